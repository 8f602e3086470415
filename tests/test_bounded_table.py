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


def rendered(table: DataTable[str]) -> list[str]:
    """Each line the table shows now (header included), as text with its styles."""
    return [repr([(seg.text, seg.style) for seg in table.render_line(y)]) for y in range(table.size.height)]


async def test_rows_appended_in_slices_render_as_rows_added_one_by_one() -> None:
    """``append_rows`` keeps the renders of the rows already shown (the update count is put back): the table
    must still show every row where Textual's own table does, at the top, after a scroll and a cursor move."""
    slices = [[(f"r{r}", [f"[b]{r}[/b]:{c}" for c in range(COLUMNS)]) for r in range(s, s + 70)]
              for s in range(0, 280, 70)]
    ours, theirs = BoundedTable(), DataTable[str]()
    shown: list[list[list[str]]] = []
    for table in (ours, theirs):
        app = TableApp(table)
        async with app.run_test(size=(80, 24)) as pilot:
            views = []
            for rows in slices:
                if isinstance(table, BoundedTable):
                    table.append_rows(rows)
                else:
                    for key, cells in rows:
                        table.add_row(*cells, key=key)
                await pilot.pause()
                views.append(rendered(table))
            table.move_cursor(row=200)  # a scroll to rows added by the last slices
            await pilot.pause()
            views.append(rendered(table))
            table.move_cursor(row=3)
            await pilot.pause()
            views.append(rendered(table))
            assert table.row_count == 280
        shown.append(views)
    assert any("200:0" in line for line in shown[1][-2])  # the scroll shows row 200
    assert shown[0] == shown[1]


class SteadyTableApp(TableApp):
    """The table's size set from the start (neither its rows nor the scrollbar's arrival resize it: a resize
    renders every row again, as it must), as the cleanup screen's table is."""

    CSS = "DataTable { scrollbar-gutter: stable; height: 1fr; }"


async def test_appending_rows_leaves_the_rendered_rows_cached() -> None:
    """The rows in view are not rendered again when rows are appended below them (25-60 ms a slice of the
    cleanup table); a cell update still renders them again."""
    table = BoundedTable()
    app = SteadyTableApp(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.append_rows([(f"r{r}", [f"{r}:{c}" for c in range(COLUMNS)]) for r in range(50)])
        await pilot.pause()
        first = [table._render_line(y, 0, table.size.width, table.rich_style) for y in range(1, 10)]
        table.append_rows([(f"r{r}", [f"{r}:{c}" for c in range(COLUMNS)]) for r in range(50, 100)])
        await pilot.pause()
        again = [table._render_line(y, 0, table.size.width, table.rich_style) for y in range(1, 10)]
        assert all(a is b for a, b in zip(first, again, strict=True))  # the same cached strips
        table.update_cell("r1", "c0", "new")
        await pilot.pause()
        after = table._render_line(2, 0, table.size.width, table.rich_style)
        assert after is not first[1] and "new" in after.text


async def test_an_auto_width_column_still_grows_with_its_cells() -> None:
    """New rows' cells are measured only where a width depends on them: a column sized to its content still is."""
    table = BoundedTable()
    app = TableApp(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.add_column("auto", key="auto")
        table.append_rows([("r0", ["x"] * COLUMNS + ["short"])])
        await wait_until(pilot, lambda: table.columns["auto"].content_width == len("short"), what="measured")
        table.append_rows([("r1", ["x"] * COLUMNS + ["a much longer value"])])
        await wait_until(pilot, lambda: table.columns["auto"].content_width == len("a much longer value"),
                         what="the column widened")


async def test_a_change_of_height_keeps_the_renders_and_one_of_width_renders_again() -> None:
    """A render depends on the table's width only: a shorter table (the cleanup summary gained a line) keeps its
    cached lines; a narrower or wider one renders them again, exactly as Textual's own table shows them."""
    table, theirs = BoundedTable(), DataTable[str]()
    rows = [(f"r{r}", [f"{r}:{c}" for c in range(COLUMNS)]) for r in range(60)]
    views: list[list[list[str]]] = []
    for each in (table, theirs):
        views.append([])
        app = SteadyTableApp(each)
        async with app.run_test(size=(80, 24)) as pilot:
            for key, cells in rows:
                each.add_row(*cells, key=key)
            await wait_until(pilot, lambda t=each: t.size.height == 24 and t.show_vertical_scrollbar,  # type: ignore[misc]
                             what="laid out")
            before = [each._render_line(y, 0, each.size.width, each.rich_style) for y in range(1, 10)]
            each.styles.height = 12
            await wait_until(pilot, lambda t=each: t.size.height == 12, what="shorter")  # type: ignore[misc]
            await pilot.pause()
            after = [each._render_line(y, 0, each.size.width, each.rich_style) for y in range(1, 10)]
            if each is table:
                assert all(a is b for a, b in zip(before, after, strict=True))
            each.styles.width = 50
            await wait_until(pilot, lambda t=each: t.outer_size.width == 50, what="narrower")  # type: ignore[misc]
            await pilot.pause()
            views[-1].append(rendered(each))
            each.styles.width = 70
            await wait_until(pilot, lambda t=each: t.outer_size.width == 70, what="wider")  # type: ignore[misc]
            await pilot.pause()
            views[-1].append(rendered(each))
            assert each.render_line(1).cell_length == each.size.width
    assert views[0] == views[1]


async def test_a_column_updated_renders_as_textual_s_table_and_only_its_cells_again() -> None:
    """``update_column`` (the Spent cells when the spend arrives) shows what ``update_cell`` shows in Textual's
    table, rows in view and rows scrolled to later, and renders again only the changed column's cells."""
    rows = [(f"r{r}", [f"{r}:{c}" for c in range(COLUMNS)]) for r in range(60)]
    changed = [(f"r{r}", f"${r}") for r in range(0, 60, 2)]
    views: list[list[list[str]]] = []
    kept: list[bool] = []
    for table in (BoundedTable(), DataTable[str]()):
        views.append([])
        app = SteadyTableApp(table)
        async with app.run_test(size=(80, 24)) as pilot:
            for key, cells in rows:
                table.add_row(*cells, key=key)
            await wait_until(pilot, lambda t=table: t.size.height == 24, what="laid out")  # type: ignore[misc]
            views[-1].append(rendered(table))
            if isinstance(table, BoundedTable):
                cache = table._cell_render_cache
                others = {k: cache.get(k) for k in [*cache.keys()] if str(k[1].value) == "c1"}
                table.update_column("c3", changed)
            else:
                for key, value in changed:
                    table.update_cell(key, "c3", value)
            await pilot.pause()
            views[-1].append(rendered(table))
            shot = app.export_screenshot().replace("&#160;", " ")
            assert "$4 " in shot and "4:3" not in shot and "5:3" in shot  # on the screen, through the compositor
            if isinstance(table, BoundedTable):
                kept = [cache.get(k) is v for k, v in others.items()]
            table.move_cursor(row=50)
            await pilot.pause()
            views[-1].append(rendered(table))
    assert kept and all(kept)  # the other columns' cells were not rendered again
    assert any("$50" in line for line in views[0][-1])
    assert views[0] == views[1]


async def test_cells_showing_the_same_text_are_rendered_once_and_look_as_in_textual_s_table() -> None:
    """The first frame of a full table renders about 30 rows of cells, most of them repeats (a type, a state, a
    region): each text, at its width in its styles, is rendered through Rich once and shared. Every line still
    shows what Textual's table shows, the cursor's row too, and each cell's segments carry its own position
    (the meta a mouse click is read from)."""
    rows = [(f"r{r}", [f"[b]{r}[/b]", "NSG", "[green]Succeeded[/]", "norwayeast", "$0.01", "", "tag", "x"])
            for r in range(60)]
    views: list[list[str]] = []
    for table in (BoundedTable(), DataTable[str]()):
        app = SteadyTableApp(table)
        async with app.run_test(size=(80, 24)) as pilot:
            for key, cells in rows:
                table.add_row(*cells, key=key)
            table.move_cursor(row=4)
            await wait_until(pilot, lambda t=table: t.size.height == 24, what="laid out")  # type: ignore[misc]
            views.append(rendered(table))
            if isinstance(table, BoundedTable):
                shown_cells = (table.size.height - 1) * COLUMNS
                assert 0 < len(table._shared_renders) <= table.size.height + 2 * COLUMNS < shown_cells // 4
                line = table.render_line(6)  # the row at index 5, below the cursor's
                metas = {(seg.style.meta.get("row"), seg.style.meta.get("column"))
                         for seg in line if seg.style is not None and seg.style.meta}
                assert metas == {(5, c) for c in range(COLUMNS)}
                assert " 5 " in line.text and "NSG" in line.text and "Succee" in line.text  # (6 wide: cropped)
    assert views[0] == views[1]
