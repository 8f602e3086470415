"""The AKS done screen checks the running cluster (azwizard.aks_verify) in a worker and shows each result as it
comes; ``v`` runs the check again. The screen is pushed directly over a cluster made through the engine (plan_aks
+ Runner, as the journey does): no walk from home."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from azwizard.screens.aks.done import AksDoneScreen
from test_aks_journey import data_dir, demo
from tui_helpers import aks_dev_journey, settle, wait_until

from azwizard.journal import Journal
from azwizard.plan.aks import plan_aks
from azwizard.run import Runner
from azwizard.sim import kube_objects

__all__ = ["data_dir"]  # the fixture: a fresh data dir (the demo kubeconfig and journals go there)


def status_text(app: Any) -> str:
    """The check's lines on the done screen ('' until the screen is composed)."""
    found = app.screen.query("#verify-status")
    return str(found.first().render()) if found else ""


async def test_the_done_screen_shows_the_cluster_check_and_runs_it_again_on_v(tmp_path: Path,
                                                                             data_dir: Path) -> None:
    from azwizard.paths import journal_dir

    app, holder = demo(tmp_path)
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(app, pilot)
        factory = app.session.factory
        spec = aks_dev_journey().spec  # dual-stack, Cilium, authorized range = the demo caller's address
        plan = plan_aks(spec, subscription_id=factory.subscription_id, run_id="run-verify",
                        created_at="2026-12-07T10:00:00Z")
        runner = Runner(factory, Journal("run-verify", "aks", directory=journal_dir()), poll_interval=0.01)
        result = await asyncio.to_thread(runner.run, plan)
        assert result.ok, result.errors
        app.push_screen(AksDoneScreen(spec, plan, result))
        await wait_until(pilot, lambda: isinstance(app.screen, AksDoneScreen) and "Healthy" in status_text(app),
                         what="the cluster check to finish")
        text = status_text(app)
        for line in ("3 node(s) Ready", "every node has an IPv4 and an IPv6 InternalIP", "CoreDNS: 2 of 2 pods",
                     "konnectivity-agent: 2 of 2 pods", "cilium DaemonSet: 3 of 3 pods ready",
                     "your IP 20.100.1.2 is in the authorized range 20.100.1.2/32"):
            assert line in text, text
        assert "Not healthy" not in text
        # a node goes NotReady: v checks again, and the reason names it
        node = kube_objects.mark_node(holder["sim"], plan.step("aks").resource_id, 0, ready=False)
        await pilot.press("v")
        await wait_until(pilot, lambda: "Not healthy" in status_text(app), what="the second check")
        text = status_text(app)
        assert f"Not healthy: 1 of 3 nodes NotReady: {node}" in text.replace("\n", " "), text
        assert "cilium DaemonSet: 2 of 3 pods ready" in text
        await settle(app, pilot)
        assert "Merged into" in str(app.screen.query_one("#kube-status").render())  # the kubeconfig still done
