"""The cleanup table's render caches stay about the size of its viewport (issue 26): each slice of a large fill
makes every cached render stale (the table's update count is in each cache key), and Textual's own caches keep
thousands of them (10,000 cell renders) for each full garbage collection to walk while the UI thread waits."""

from __future__ import annotations

from azwizard.screens.bounded_table import MIN_ROWS, BoundedTable
from textual.app import App, ComposeResult
from textual.widgets import DataTable
from tui_helpers import wait_until

COLUMNS = 8


class TableApp(App[None]):
    def __init__(self, table: DataTable[str]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        for c in range(COLUMNS):
            self.table.add_column(f"c{c}", key=f"c{c}", width=6)
        yield self.table


async def fill_in_slices(table: DataTable[str], pilot: object, rows: int, per_slice: int) -> None:
    for start in range(0, rows, per_slice):
        for r in range(start, start + per_slice):
            table.add_row(*(f"[b]{r}[/b]:{c}" for c in range(COLUMNS)), key=f"r{r}")
        await pilot.pause()  # type: ignore[attr-defined]  # a repaint between slices, as the cleanup screen's timer gives


async def test_renders_kept_are_bounded_by_the_viewport() -> None:
    app = TableApp(BoundedTable())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.table
        assert isinstance(table, BoundedTable)
        await fill_in_slices(table, pilot, 600, 20)
        await wait_until(pilot, lambda: table.row_count == 600, what="the rows")
        table.move_cursor(row=300)  # a scroll: the rows in view are rendered again
        await pilot.pause()
        bound = 2 * max(table.size.height, MIN_ROWS)
        sizes = table.cache_sizes()
        assert 0 < sizes["rows"] <= bound and sizes["lines"] <= bound and sizes["renderables"] <= bound
        assert 0 < sizes["cells"] <= bound * COLUMNS
        assert "300" in str(table.get_row("r300")[0]) and "r300" in {str(k.value) for k in table.rows}


async def test_textual_s_own_table_keeps_far_more() -> None:
    """The same fill with Textual's DataTable: what the bound saves (and that this test's fill does pile up)."""
    app = TableApp(DataTable())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.table
        await fill_in_slices(table, pilot, 600, 20)
        await wait_until(pilot, lambda: table.row_count == 600, what="the rows")
        bound = 2 * max(table.size.height, MIN_ROWS)
        assert len(table._cell_render_cache) > 2 * bound * COLUMNS
