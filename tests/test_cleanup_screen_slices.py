"""A large inventory fills the cleanup table in slices (issue 26: 2,000 rows measured at once stalled the UI
thread for seconds): every row arrives, in order, and marking a row while the rest is still arriving works, and
the spend arriving mid-fill fills the Spent cells without filling the table again.
Slices of 3 rows stand in for 100 so that a small inventory exercises the path."""

from __future__ import annotations

from pathlib import Path

import pytest
from azwizard.screens.app import AzWizardApp
from azwizard.screens.cleanup import CleanupScreen
from test_cleanup_screen import NOW, SIZE, demo, open_cleanup, screen, settle  # noqa: F401 (fixture too)
from test_cleanup_screen import own_data_dir as own_data_dir  # noqa: F401
from textual.widgets import DataTable
from tui_helpers import wait_until

from azwizard.pricing.spend import Spend


async def test_a_large_table_fills_in_slices_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CleanupScreen, "FILL_SLICE", 3)
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder, cluster=False)
        table = screen(app).query_one("#cleanup-table", DataTable)
        rows = screen(app).rows
        assert len(rows) > 6  # several slices
        screen(app)._fill_table(None)  # a refill, as a new inventory or a filter change starts one
        assert table.row_count == 3  # the first slice at once, the rest on timers
        screen(app).action_select_run()  # marks refresh while the other slices are still to come
        for _ in range(200):
            if table.row_count == len(rows):
                break
            await pilot.pause(0.01)
        assert [str(k.value) for k in table.rows] == [r.key for r in rows]
        await settle(app, pilot)
        selected = screen(app).state.selected
        assert selected
        marks = {r.key: str(table.get_row(r.key)[0]) for r in rows if r.item is not None}
        assert {k for k, m in marks.items() if m.strip()} >= {r.key for r in rows if r.item is not None
                                                           and r.item.key in selected}


async def test_the_spend_arriving_mid_fill_fills_the_spent_cells_without_a_refill(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CleanupScreen, "FILL_SLICE", 2)
    monkeypatch.setattr(CleanupScreen, "SPENT_SLICE", 2)
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder, cluster=False)
        shown = screen(app)
        table = shown.query_one("#cleanup-table", DataTable)
        rows = shown.rows
        spend = Spend("ok", currency="USD",
                      resource_since={r.item.id.lower(): 1.25 for r in rows if r.item is not None})
        shown.state.spend = None
        shown._fill_table(None)
        assert 0 < table.row_count < len(rows)
        clears: list[bool] = []
        monkeypatch.setattr(table, "clear", lambda *a, **k: (clears.append(True), DataTable.clear(table, *a, **k))[1])
        shown.state.spend = spend
        shown._show_spend()  # as the spend worker's result does
        await wait_until(pilot, lambda: table.row_count == len(rows), what="the table filled")
        await settle(app, pilot)
        assert clears == []
        spent = {r.key: str(table.get_cell(r.key, "spent")) for r in rows if r.item is not None}
        assert spent and all("1.25" in v for v in spent.values()), spent


async def test_a_large_inventory_is_frozen_out_of_the_collectors_way_once_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The inventory's worker freezes what is alive once a large inventory is read (issue 26: the table's fill
    then triggers full collections that do not walk it); "large" is 3 items here, 200 in the app."""
    import gc

    monkeypatch.setattr(CleanupScreen, "FREEZE_AT", 3)
    monkeypatch.setattr(AzWizardApp, "FREEZE_HEAP", True)  # what a user's app does (tests/conftest.py turns it off)
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder, cluster=False)
        inventory = screen(app).state.inventory
        assert inventory is not None and len(inventory.items) >= 3
        walked = gc.get_objects()  # what the collector still walks: the inventory is not among it
        assert not any(item is inventory for item in walked)
        assert not any(it is inventory.items[0] for it in walked)
    assert gc.get_freeze_count() == 0  # given back when the app ends


async def test_a_small_inventory_is_not_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    monkeypatch.setattr(AzWizardApp, "FREEZE_HEAP", True)  # as in a user's app: only the size decides
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder, cluster=False)
        inventory = screen(app).state.inventory
        assert inventory is not None and len(inventory.items) < CleanupScreen.FREEZE_AT
        assert any(it is inventory.items[0] for it in gc.get_objects())
