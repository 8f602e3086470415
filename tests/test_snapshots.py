"""SVG snapshots of the screens (fixed terminal size, deterministic data). Update with
`pytest tests/test_snapshots.py --snapshot-update` after an intended change, and look at the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.app import AzWizardApp
from azwizard.screens.vm.journey import VmJourney

from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import AzureSession
from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT
from azwizard.specs.vm import NetworkSpec, VmSpec

SIZE = (120, 40)
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop azureuser@Yolo-VM"


def demo_app(tmp_path: Path) -> AzWizardApp:
    def connect() -> AzureSession:
        return open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT).session

    app = AzWizardApp(connect, demo=True)
    journey = VmJourney(VmSpec.for_base("Yolo", network=NetworkSpec(ipv6_space="fd12:3456:789a::/48"),
                                        ssh_public_key=KEY))
    journey.run_id = "20261126-030000-abcd"
    journey.created_at = "2026-11-26T03:00:00Z"
    app.journeys["vm"] = journey
    return app


async def settle(pilot: Any) -> None:
    """Wait until workers are done, deferred focus has landed and animations have finished."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.05)
    await pilot.pause()


def steps_to(n: int) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        for _ in range(n):
            await pilot.press("ctrl+n")
            await settle(pilot)

    return run_before


def test_home(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_help(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_sign_in_problem(snap_compare: Any) -> None:
    def connect() -> AzureSession:
        raise AzwizardError("You are not signed in to Azure (the Azure CLI has no account)",
                            "Run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET.")

    assert snap_compare(AzWizardApp(connect), terminal_size=SIZE, run_before=settle)


@pytest.mark.parametrize(("name", "steps"), [("basics", 0), ("network", 1), ("public_ips", 2), ("nat", 3),
                                             ("nsg", 4), ("vm", 5), ("backup", 6), ("cloud_init", 7),
                                             ("review", 8)])
def test_vm_steps(snap_compare: Any, tmp_path: Path, name: str, steps: int) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=SIZE, run_before=steps_to(steps))
