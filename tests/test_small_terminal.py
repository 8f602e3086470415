"""80x24, the smallest terminal azwizard supports (issue 12 item 4): what a person needs on each screen is on
the screen — the review's resources pane has rows, the size table shows Quota left and Zones, the add-rule
inputs keep their labels, cleanup shows costs and every key. Driven through Textual's Pilot; the pictures are
in test_snapshots.py (the *_80x24 tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azwizard.screens.cleanup.view import COLUMNS, columns_for
from azwizard.screens.review import ReviewStep
from cleanup_helpers import make_cluster, make_vm_run
from test_cleanup_screen import demo, own_data_dir, settle  # the same demo app, data dir and settling
from textual.widgets import DataTable, Footer, Input, TabbedContent
from tui_helpers import open_steps

from azwizard.paths import journal_dir

__all__ = ["own_data_dir"]  # an autouse fixture: each test its own journal dir
SMALL = (80, 24)


def visible_columns(table: DataTable[Any]) -> list[str]:
    """The labels of the columns that are entirely inside the table's visible width."""
    width = table.scrollable_content_region.width
    shown, x = [], 0
    for column in table.ordered_columns:
        x += column.get_render_width(table)
        if x <= width:
            shown.append(str(column.label))
    return shown


async def test_the_review_shows_resources_at_80x24(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        for mode in ("vm", "aks"):
            if mode == "aks":
                app.switch_mode("home")
                await settle(app, pilot)
            review = await open_steps(app, pilot, mode, ReviewStep)
            tabs = review.query_one("#review-tabs", TabbedContent)
            for pane_id in ("tab-changes", "tab-resources"):  # the plan diff opens first, then the resources
                tabs.active = pane_id
                await settle(app, pilot)
                pane = review.query_one(f"#{pane_id}")
                assert pane.region.height >= 8, (pane_id, pane.region)  # was 0 rows: the findings took the screen
            assert review.query_one("#review-findings").region.height <= 8
            assert review.query_one("#review-resources").region.height > 0


async def test_the_size_table_shows_quota_left_and_zones_at_80x24(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        for mode, n in (("vm", 5), ("aks", 2)):
            if mode == "aks":
                app.switch_mode("home")
                await settle(app, pilot)
            step = await open_steps(app, pilot, mode, n)
            table = step.query_one("#size", DataTable)
            assert table.row_count > 0
            shown = visible_columns(table)
            assert {"Size", "vCPUs", "Memory", "Quota left", "Zones"} <= set(shown), shown
            assert step.query_one(".wizard-nav").region.width <= 16  # the step list gave way, not the table


async def test_the_add_rule_inputs_keep_their_labels_at_80x24(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        step = await open_steps(app, pilot, "vm", 4)
        titles = {}
        for input_id in ("rule-name", "rule-priority", "rule-protocol", "rule-ports", "rule-source"):
            field = step.query_one(f"#{input_id}", Input)
            field.value = "x"  # a filled-in field has no placeholder left to say what it is
            titles[input_id] = field.border_title
            assert field.size.width >= 12, (input_id, field.size)  # two rows of wide fields, not five slivers
        assert titles == {"rule-name": "name", "rule-priority": "priority", "rule-protocol": "protocol",
                          "rule-ports": "ports", "rule-source": "source"}


async def test_cleanup_shows_costs_and_every_key_at_80x24(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        make_vm_run(holder["sim"], app.session.factory, journal_dir())  # type: ignore[union-attr]
        make_cluster(app.session.factory, journal_dir())  # type: ignore[union-attr]
        await pilot.press("c")
        await settle(app, pilot)
        table = app.screen.query_one("#cleanup-table", DataTable)
        shown = visible_columns(table)
        assert {"Resource", "Type", "State", "Age", "$/month"} <= set(shown), shown
        footer = app.screen.query_one(Footer)
        keys = [k for k in footer.query("FooterKey")]
        assert len(keys) >= 10
        screen_region = app.screen.region
        for k in keys:  # every key fully on the screen, its description not cut
            assert screen_region.contains_region(k.region), (k.description, k.region)
            assert k.region.width >= len(k.key_display or k.key) + len(k.description), k.description
        # wider again: every column comes back
        await pilot.resize_terminal(130, 40)
        await settle(app, pilot)
        assert [str(c.label) for c in table.ordered_columns] == [label for _, label, _ in COLUMNS]


def test_priority_columns_drop_the_least_important_first() -> None:
    # all of them from 130 columns; at 120 all but the actual spend (the summary and the panel say it)
    assert [k for k, _, _ in columns_for(130)] == [k for k, _, _ in COLUMNS]
    assert [k for k, _, _ in columns_for(120)] == [k for k, _, _ in COLUMNS if k != "spent"]
    narrow = [k for k, _, _ in columns_for(80)]
    assert narrow == ["mark", "name", "type", "state", "age", "monthly"]
    assert "hourly" in [k for k, _, _ in columns_for(100)] and "location" not in [k for k, _, _ in columns_for(100)]
    for width in range(80, 130):
        assert sum(w + 2 for _, _, w in columns_for(width)) <= width - 3


async def test_the_filter_lists_only_what_still_exists(tmp_path: Path) -> None:
    """Item 7: a deleted group (or run) in the journals is no filter choice: it would filter nothing."""
    from textual.widgets import Select

    from azwizard.cleanup import Deleter, JournalBook, build_inventory, default_selection, plan_deletion

    app, holder = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        factory = app.session.factory  # type: ignore[union-attr]
        make_vm_run(holder["sim"], factory, journal_dir())
        make_cluster(factory, journal_dir())
        inv = build_inventory(factory)
        plan = plan_deletion(inv, default_selection(inv, "run-aks"))
        assert Deleter(factory, JournalBook(), poll_interval=0.01, retry_delay=0).run(
            plan, confirm=plan.confirmation()).ok
        await pilot.press("c")
        await settle(app, pilot)
        groups = app.screen.query_one("#cleanup-filter-group", Select)
        runs = app.screen.query_one("#cleanup-filter-run", Select)
        assert [v for _, v in groups._options if isinstance(v, str)] == ["Yolo-RG"]
        assert [v for _, v in runs._options if isinstance(v, str)] == ["run-vm"]
