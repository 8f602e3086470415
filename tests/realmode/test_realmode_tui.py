"""One TUI journey in real mode, through Textual's Pilot: the app signs in with the real az CLI (the header
names the registered cloud), the VM journey reads its live facts from the served simulator, and Create makes
the resources there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from azcli.azcli_helpers import Az
from azwizard.screens.app import AzWizardApp, real_connector
from azwizard.screens.vm.done import VmDoneScreen
from test_vm_journey import settle, walk_to_review

from realmode.realmode_helpers import SIM_CLOUD, az_token_fingerprint, azwizard_env, azwizard_requests


async def test_vm_journey_in_the_tui_through_the_az_cli(az: Az, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    env = azwizard_env(az, tmp_path)
    for name in [n for n in os.environ if n.startswith("AZURE_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    app = AzWizardApp(real_connector(None))  # what `azwizard` without --demo opens
    async with app.run_test(size=(130, 44)) as pilot:
        await walk_to_review(app, pilot)
        assert app.session is not None and not app.session.simulated
        assert app.session.subscription.source == "cli-profile"  # az's default subscription
        assert app.session.subscription_id == az.sim.subscription
        assert app.sub_title.startswith(f"cloud {SIM_CLOUD} · "), app.sub_title
        journey = app.journeys["vm"]
        assert not journey.blocking, [f.message for f in journey.blocking]
        await pilot.press("c")
        await settle(app, pilot)
        for _ in range(20):  # the create runs in workers against a real server: wait for its screen
            if isinstance(app.screen, VmDoneScreen):
                break
            await pilot.pause(0.25)
            await settle(app, pilot)
        assert isinstance(app.screen, VmDoneScreen), type(app.screen)

    sub = az.sim.subscription
    vm = az.sim.get(f"/subscriptions/{sub}/resourceGroups/Yolo-RG/providers/Microsoft.Compute/virtualMachines/Yolo-VM")
    assert vm is not None and vm["properties"]["provisioningState"] == "Succeeded"
    assert vm["tags"]["azwizard-run"] == journey.run_id
    requests = azwizard_requests(az.sim)
    assert {r["token"] for r in requests} == {az_token_fingerprint(az)}
    assert any(r["method"] == "GET" and "/skus" in r["path"].lower() for r in requests)  # live facts, read here
