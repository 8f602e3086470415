"""The Networking step never drops a choice silently (issue 19 items 4 and 20): IPv4 + IPv6 is kept when a plugin
that can't do it is tried (a blocking finding and the families note say what to pick), a policy a plugin change had
to replace is said where it changed and comes back when it is valid again, and a policy that can't do dual-stack is a
blocking finding quoting the error AKS would give. The step is pushed with its journey built directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.aks import AKS_FLOW, AksJourney
from azwizard.screens.aks.network import NetworkStep
from test_aks_journey import demo, settle
from textual.widgets import Select


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own journals: another test's run of the same names would make these resources "ours"."""
    data = tmp_path / "own-data"
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(data))
    return data


async def open_network(app: Any, pilot: Any) -> tuple[NetworkStep, AksJourney]:
    await settle(app, pilot)
    journey = AksJourney()
    app.push_screen(NetworkStep(journey, AKS_FLOW))
    await settle(app, pilot)
    assert isinstance(app.screen, NetworkStep)
    return app.screen, journey


async def choose(pilot: Any, screen: NetworkStep, wid: str, value: str) -> None:
    screen.query_one(wid, Select).value = value
    await settle(screen.app, pilot)


def text(screen: NetworkStep, wid: str) -> str:
    return str(screen.query_one(wid).render())


async def test_trying_traditional_cni_keeps_dual_stack_and_says_so(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, journey = await open_network(app, pilot)
        assert journey.spec.network.dual_stack
        await choose(pilot, screen, "#network-plugin", "cni")
        assert journey.spec.network.ip_families == ("IPv4", "IPv6")  # kept, not dropped
        assert "aks-dual-stack-plugin" in {f.rule_id for f in journey.blocking}
        assert "can't do IPv4 + IPv6" in text(screen, "#families-note")
        await choose(pilot, screen, "#network-plugin", "overlay-cilium")
        assert journey.spec.network.ip_families == ("IPv4", "IPv6") and journey.spec.network.policy == "cilium"
        assert not journey.blocking, [f.message for f in journey.blocking]


async def test_a_policy_a_plugin_change_replaced_is_said_and_comes_back(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, journey = await open_network(app, pilot)
        await choose(pilot, screen, "#network-ip_families", "v4")
        await choose(pilot, screen, "#network-plugin", "overlay")
        await choose(pilot, screen, "#network-policy", "calico")
        assert journey.spec.network.policy == "calico"
        await choose(pilot, screen, "#network-plugin", "overlay-cilium")
        assert journey.spec.network.policy == "cilium"
        assert "Changed from calico to cilium" in text(screen, "#policy-note")
        await choose(pilot, screen, "#network-plugin", "overlay")
        assert journey.spec.network.policy == "calico"  # the user's pick, back
        assert "Back to calico" in text(screen, "#policy-note")


async def test_dual_stack_with_a_policy_that_cannot_do_it_quotes_the_error_and_says_what_to_pick(
        tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, journey = await open_network(app, pilot)
        await choose(pilot, screen, "#network-ip_families", "v4")
        await choose(pilot, screen, "#network-plugin", "overlay")
        await choose(pilot, screen, "#network-policy", "calico")
        await choose(pilot, screen, "#network-ip_families", "dual")
        assert journey.spec.network.dual_stack and journey.spec.network.policy == "calico"  # kept
        [finding] = [f for f in journey.blocking if f.rule_id == "aks-network-policy"]
        assert "UnsupportedDualStackNetworkPolicy" in finding.message
        assert '"Network policy calico is not supported for dual-stack clusters."' in finding.message
        assert "Azure CNI Overlay + Cilium" in finding.message and "IPv4 only" in finding.message
        assert any("calico" in str(label).lower() and "not possible" in str(label)
                   for label, _ in screen.query_one("#network-policy", Select)._options)  # shown as it is
