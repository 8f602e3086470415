"""The AKS Operations step (#24), pushed directly over the journey (tests/tui_helpers.py ``open_steps``): the
production preset's choices are shown, each widget changes the spec, a private API server says what it means for
reaching it from here, a window too short for AKS is a blocking finding on its field, and "no window" removes the
maintenance configuration from the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.aks.journey import AksJourney
from azwizard.screens.aks.operations import OperationsStep
from test_aks_journey import SIZE, demo
from textual.widgets import Select
from tui_helpers import open_steps, settle, wait_until

from azwizard.plan.aks import plan_aks
from azwizard.specs.aks import preset_prod_dual_stack


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def text(screen: Any, wid: str) -> str:
    return str(screen.query_one(wid).render())


async def test_the_operations_step_edits_the_production_choices(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        journey = AksJourney(preset_prod_dual_stack())
        screen = await open_steps(app, pilot, "aks", OperationsStep, journey=journey)
        assert screen.query_one("#operations-upgrade_channel", Select).value == "stable"
        assert screen.query_one("#operations-node_os_upgrade_channel", Select).value == "SecurityPatch"
        assert screen.query_one("#operations-upgrade_window-schedule", Select).value == "Weekly"
        assert "on Saturday at 00:00" in text(screen, "#operations-upgrade_window-note")

        # a private API server: the spec changes and the step says what it means from here
        screen.query_one("#private_cluster").value = True
        await wait_until(pilot, lambda: journey.spec.private_cluster, what="the private cluster")
        assert "az aks command invoke" in text(screen, "#private-note")
        assert "aks-private-cluster" in {f.rule_id for f in journey.findings if f.severity == "warn"}

        # a 2-hour node OS window: a blocking finding on that field, the spec keeps the typed value
        screen.query_one("#operations-node_os_window-duration_hours").value = "2"
        await wait_until(pilot, lambda: journey.spec.operations.node_os_window is not None
                         and journey.spec.operations.node_os_window.duration_hours == 2, what="the duration")
        blocks = [f for f in journey.blocking if f.rule_id == "aks-maintenance-window"]
        assert [f.field for f in blocks] == ["operations.node_os_window.duration_hours"]

        # the last Tuesday of every month instead
        screen.query_one("#operations-node_os_window-schedule", Select).value = "RelativeMonthly"
        await settle(app, pilot)
        screen.query_one("#operations-node_os_window-week_index", Select).value = "Last"
        screen.query_one("#operations-node_os_window-day_of_week", Select).value = "Tuesday"
        screen.query_one("#operations-node_os_window-duration_hours").value = "4"
        await wait_until(pilot, lambda: journey.spec.operations.node_os_window is not None
                         and journey.spec.operations.node_os_window.duration_hours == 4
                         and journey.spec.operations.node_os_window.day_of_week == "Tuesday", what="the window")
        window = journey.spec.operations.node_os_window
        assert (window.schedule, window.week_index) == ("RelativeMonthly", "Last")
        assert "on the last Tuesday" in text(screen, "#operations-node_os_window-note")
        assert not [f for f in journey.blocking if f.rule_id == "aks-maintenance-window"]

        # no window for Kubernetes upgrades: its maintenance configuration leaves the plan
        screen.query_one("#operations-upgrade_window-schedule", Select).value = "none"
        await wait_until(pilot, lambda: journey.spec.operations.upgrade_window is None, what="no window")
        plan = plan_aks(journey.spec, subscription_id="00000000-0000-0000-0000-000000000000", run_id="r", created_at="t")
        keys = [s.key for s in plan.steps]
        assert "maint-aksManagedAutoUpgradeSchedule" not in keys and "maint-aksManagedNodeOSUpgradeSchedule" in keys

        # add-ons and outbound IPs
        screen.query_one("#operations-app_routing").value = True
        screen.query_one("#network-outbound_ipv4_count").value = "3"
        screen.query_one("#operations-image_cleaner_interval_hours").value = "abc"
        await wait_until(pilot, lambda: journey.spec.operations.app_routing
                         and journey.spec.network.outbound_ipv4_count == 3, what="app routing and the count")
        assert journey.spec.operations.image_cleaner_interval_hours == 168  # bad input changes nothing
        assert "not a whole number" in text(screen, "#operations-image_cleaner_interval_hours-error")
        assert "aks-app-routing-private" in {f.rule_id for f in journey.findings}
