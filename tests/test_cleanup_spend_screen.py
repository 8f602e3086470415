"""Cleanup's "spent so far", through Textual's Pilot: the actual cost from the simulator's Cost Management
Query endpoint beside each run's and resource's estimate (the Spent column on a wide terminal, the summary and
the detail panel on any), and a missing Cost Management Reader role said plainly without blocking cleanup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.app import AzWizardApp
from azwizard.screens.cleanup import CleanupScreen, CleanupState
from cleanup_helpers import make_vm_run, region_book
from textual.widgets import DataTable, Static
from tui_helpers import wait_until, workers_done

from azwizard.azure.session import AzureSession
from azwizard.demo import open_demo_session
from azwizard.paths import journal_dir
from azwizard.sim import INSTANT, ArmSim

NOW = dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.timezone.utc)  # the VM run is 21 h old
WIDE = (160, 45)


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def demo(tmp_path: Path) -> tuple[AzWizardApp, dict[str, ArmSim]]:
    holder: dict[str, ArmSim] = {}

    def connect() -> AzureSession:
        d = open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT)
        d.sim.cost_now = lambda: NOW  # type: ignore[attr-defined]
        holder["sim"] = d.sim
        return d.session

    app = AzWizardApp(connect, demo=True)
    app.journeys["cleanup"] = CleanupState(now=lambda: NOW)
    return app, holder


async def open_cleanup(app: AzWizardApp, pilot: Any, holder: dict[str, ArmSim]) -> CleanupScreen:
    await workers_done(app)
    await pilot.pause()
    make_vm_run(holder["sim"], app.session.factory, journal_dir())  # type: ignore[union-attr]
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen) and app.screen.state.spend is not None,
                     what="cleanup with the spend read")
    await workers_done(app)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CleanupScreen)
    return screen


def _cell(screen: CleanupScreen, row_key: str, column: str) -> str:
    table = screen.query_one("#cleanup-table", DataTable)
    return str(table.get_cell(row_key, column))


async def test_spent_so_far_beside_the_estimate_per_run_and_resource(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_cleanup(app, pilot, holder)
        spend = screen.state.spend
        assert spend is not None and spend.status == "ok"
        ip = next(r for r in screen.rows if r.item is not None and r.item.name == "Yolo-IPv4")
        ip_hourly = region_book(app.session.factory).public_ip_hourly  # type: ignore[union-attr]
        assert ip_hourly is not None
        expected = ip_hourly * 21  # 21 hours of a Standard public IP at norwayeast's list price
        assert _cell(screen, ip.key, "spent") == f"${expected:.2f}"
        assert _cell(screen, ip.key, "monthly") == f"${ip_hourly * 730:.2f}"  # the estimate beside it
        run_spent = _cell(screen, "run:run-vm", "spent")
        assert run_spent.startswith("[b]$") and float(run_spent[4:-4]) == pytest.approx(spend.run_since["run-vm"], abs=0.01)
        summary = str(screen.query_one("#cleanup-summary", Static).render())
        assert "Spent so far (actual cost, Cost Management)" in summary
        table = screen.query_one("#cleanup-table", DataTable)
        table.move_cursor(row=table.get_row_index(ip.key))
        await pilot.pause()
        detail = str(screen.query_one("#cleanup-detail", Static).render())
        assert f"spent so far: ${expected:.2f} since it was made" in detail


async def test_no_permission_is_said_and_cleanup_still_works(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await workers_done(app)
        holder["sim"].faults.error("POST", r".*/Microsoft.CostManagement/query", status=403,
                                   code="AuthorizationFailed", message="The client does not have authorization.",
                                   times=10)
        screen = await open_cleanup(app, pilot, holder)
        assert screen.state.spend is not None and screen.state.spend.status == "forbidden"
        summary = str(screen.query_one("#cleanup-summary", Static).render())
        assert "Cost Management Reader" in summary
        assert _cell(screen, "run:run-vm", "spent") == "[b]—[/b]"
        assert any(r.kind == "run" for r in screen.rows)  # the inventory is there: nothing blocked
