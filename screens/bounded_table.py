"""A DataTable whose render caches hold about what its viewport shows (issue 26: the cleanup screen's stall).

Textual's DataTable (8.2) caches rendered cells (10,000 entries), rows, row renderables and lines (1,000 each),
keyed by the table's update count, which every ``add_row`` raises: a table filled in slices keeps the renders of
every slice's visible rows, stale, until the caches are full. At 2,000 rows that was about 6,000 cell renders,
some 100,000 objects (segment lists, Text, Strips with their own caches), which each full garbage collection
walked while the UI thread waited (over 100 ms a collection). Here each cache holds twice what the viewport
shows, so it still serves every repaint and scroll step, and a collection has little to walk.

Two more costs of a fill, both on the UI thread: Textual measures every cell of every new row, which only an
auto-width column needs (``_update_dimensions``), and each slice's ``add_row`` calls made the rows in view
stale, so each slice rendered them all again (``append_rows`` keeps them).
https://github.com/Textualize/textual/blob/main/src/textual/widgets/_data_table.py (DataTable.__init__,
add_row, _update_dimensions, _render_line)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.renderables.styled import Styled
from textual.widgets import DataTable
from textual.widgets._data_table import _EMPTY_TEXT, default_cell_formatter
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

MIN_ROWS = 24  # the size the caches assume before the table has one (a small terminal)


class BoundedTable(DataTable[Any]):
    """A DataTable whose render caches are sized by its viewport (twice the rows and cells it shows), which
    measures cells only where a width depends on them, and appends rows without re-rendering those shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a cell's render by what it shows (its text, width and styles), shared by every row showing the same
        self._shared_renders: LRUCache[tuple[object, ...], list[list[Segment]]] = LRUCache(MIN_ROWS * 16)
        self._bound_caches(MIN_ROWS, shrink=True)
        self._widths: tuple[int, int] | None = None  # the table's width and its content's at the last resize

    def on_resize(self, event: events.Resize) -> None:
        """The caches grow with the viewport. Textual's DataTable makes every cached render stale on any resize
        (``_on_resize`` raises the update count), but a render depends on the table's width only (a line is the
        row's cells padded to the width; the line cache is keyed by the line, not the screen row): when only the
        height changed (the summary above the cleanup table gained a line, 25-45 ms of renders each time), the
        default handler is skipped and the renders stay."""
        self._bound_caches(event.size.height)
        widths = (event.size.width, self.size.width)
        if widths == self._widths:
            event.prevent_default()  # DataTable._on_resize, the next handler in the class order, is not called
        self._widths = widths

    def _bound_caches(self, height: int, *, shrink: bool = False) -> None:
        rows = 2 * max(height, MIN_ROWS)
        cells = rows * max(len(self.columns), 8)
        for cache, size in ((self._row_render_cache, rows), (self._row_renderable_cache, rows),
                            (self._line_cache, rows), (self._cell_render_cache, cells),
                            (self._shared_renders, cells)):
            if size > cache.maxsize or (shrink and size != cache.maxsize):
                cache.maxsize = size
                if shrink:
                    cache.clear()  # an LRUCache over its new size would only stay there (it evicts one per insert)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._shared_renders.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._shared_renders.clear()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        """A cell's render, as DataTable's, made once for every cell that shows the same markup at the same
        width in the same styles. Textual renders each cell through Rich (markup, padding, styles: 0.1-0.15 ms
        a cell), so the first frame of a full table, about 30 rows of 10 cells, held the UI thread 40-60 ms
        (issue 26), though most of its cells repeat (a type, a state, a region, a price). The render differs
        from cell to cell only by its position, which DataTable puts in each segment's style as meta (for the
        mouse): it is added to a copy of the shared render. Header, label and fixed cells, rows taller than a
        line and cells holding anything but markup text take DataTable's own path."""
        if row_index < self.fixed_rows or column_index < self.fixed_columns:  # (the header and labels are -1)
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count,
               self._pseudo_class_state)
        done = self._cell_render_cache.get(key)
        if done is not None:
            return done  # type: ignore[no-any-return]
        row = self.rows.get(row_key)
        value = self._data.get(row_key, {}).get(column_key)
        if row is None or row.height != 1 or not isinstance(value, str):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        shared_key = (value, width, self.cell_padding, base_style, component_style, post_style)
        lines = self._shared_renders.get(shared_key)
        if lines is None:
            cell = default_cell_formatter(value, wrap=False, height=1) or _EMPTY_TEXT
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            lines = self.app.console.render_lines(
                Styled(Padding(cell, (0, self.cell_padding)), pre_style=base_style + component_style,
                       post_style=post_style), options)
            if any(seg.style is not None and seg.style.link for line in lines for seg in line):
                return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            self._shared_renders[shared_key] = lines
        meta = Style.from_meta({"row": row_index, "column": column_index})
        placed = [[Segment(text, None if style is None else style + meta, control) for text, style, control in line]
                  for line in lines]
        self._cell_render_cache[key] = placed
        return placed

    def _fixed_widths(self) -> bool:
        """Every column has its own set width (none sizes to its content) and no row has a label."""
        return not self._labelled_row_exists and not any(c.auto_width for c in self.columns.values())

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Textual measures every cell of every new row (to widen auto-width columns) before it can size the
        table: 15-35 ms a 100-row slice of the cleanup table, whose columns all have set widths, so the
        measures changed nothing. Only rows that can change the layout (a label, an auto height) are measured
        when no column sizes to its content; the virtual size is computed as before."""
        if self._fixed_widths():
            new_rows = [k for k in new_rows if (row := self.rows.get(k)) is not None
                        and (row.label is not None or row.auto_height)]
        super()._update_dimensions(new_rows)

    def append_rows(self, rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """Add ``rows`` (key, cells) after the last one. Each ``add_row`` raises the table's update count, which
        every cached render is keyed by, so the rows in view were rendered again after each slice of a fill
        (25-60 ms a slice at 130x45). Rows of one line appended under set-width columns change nothing of what
        is already rendered (a row's index, cells, widths and the cursor stay), so the count is put back and
        the renders stay valid; the line offsets (keyed by the count alone) are dropped, as a new count would."""
        kept = self._update_count
        added = [self.add_row(*cells, key=key) for key, cells in rows]
        if self._fixed_widths() and all(self.rows[k].height == 1 for k in added):
            self._update_count = kept
            self._offset_cache.clear()

    def update_column(self, column_key: str, values: Iterable[tuple[str, Any]]) -> None:
        """Set one column's cell in many rows (row key, value), rendering again only those cells: ``update_cell``
        raises the update count, which makes every cached render stale, so the rows in view were rendered
        again whole (25-60 ms at 130x45) for a change of one column (the Spent cells, when the spend arrives).
        Here the renders of the changed rows are dropped, and of their cells only those of this column; the
        other cells' renders stay. With an auto-width column, as ``update_cell`` (a width may change)."""
        if not self._fixed_widths():
            for row_key, value in values:
                self.update_cell(row_key, column_key, value)
            return
        column = ColumnKey(column_key)
        if column not in self._column_locations:
            raise CellDoesNotExist(f"No column {column_key!r}.")
        changed: set[RowKey] = set()
        for row_key, value in values:
            key = RowKey(row_key)
            if key not in self._row_locations:
                raise CellDoesNotExist(f"No row {row_key!r}.")
            self._data[key][column] = value
            changed.add(key)
        if not changed:
            return
        indexes = {self._row_locations.get(k) for k in changed}
        _drop(self._cell_render_cache, lambda k: k[0] in changed and k[1] == column)
        _drop(self._row_render_cache, lambda k: k[0] in changed)
        _drop(self._row_renderable_cache, lambda k: k[1] in indexes)
        self._line_cache.clear()  # lines are joined from the row renders: cheap to make again
        self.refresh()

    def cache_sizes(self) -> dict[str, int]:
        """How many entries each render cache holds now (for tests and benchmarks)."""
        return {"cells": len(self._cell_render_cache), "rows": len(self._row_render_cache),
                "renderables": len(self._row_renderable_cache), "lines": len(self._line_cache)}


def _drop(cache: LRUCache[Any, Any], stale: Callable[[Any], bool]) -> None:
    """Drop the entries whose key is ``stale``."""
    for key in [*filter(stale, cache.keys())]:  # (an LRUCache is not iterable)
        cache.discard(key)
