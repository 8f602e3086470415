"""A DataTable whose render caches hold about what its viewport shows (issue 26: the cleanup screen's stall).

Textual's DataTable (8.2) caches rendered cells (10,000 entries), rows, row renderables and lines (1,000 each),
keyed by the table's update count, which every ``add_row`` raises: a table filled in slices keeps the renders of
every slice's visible rows, stale, until the caches are full. At 2,000 rows that was about 6,000 cell renders,
some 100,000 objects (segment lists, Text, Strips with their own caches), which each full garbage collection
walked while the UI thread waited (over 100 ms a collection). Here each cache holds twice what the viewport
shows, so it still serves every repaint and scroll step, and a collection has little to walk.
https://github.com/Textualize/textual/blob/main/src/textual/widgets/_data_table.py (DataTable.__init__)
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import DataTable

MIN_ROWS = 24  # the size the caches assume before the table has one (a small terminal)


class BoundedTable(DataTable[Any]):
    """A DataTable whose render caches are sized by its viewport (twice the rows and cells it shows)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bound_caches(MIN_ROWS)

    def on_resize(self, event: events.Resize) -> None:
        # A resize makes every cached render stale anyway (DataTable._on_resize raises the update count)
        self._bound_caches(event.size.height)

    def _bound_caches(self, height: int) -> None:
        rows = 2 * max(height, MIN_ROWS)
        cells = rows * max(len(self.columns), 8)
        for cache, size in ((self._row_render_cache, rows), (self._row_renderable_cache, rows),
                            (self._line_cache, rows), (self._cell_render_cache, cells)):
            if cache.maxsize != size:
                cache.maxsize = size
                cache.clear()  # an LRUCache over its new size would only stay there (it evicts one per insert)

    def cache_sizes(self) -> dict[str, int]:
        """How many entries each render cache holds now (for tests and benchmarks)."""
        return {"cells": len(self._cell_render_cache), "rows": len(self._row_render_cache),
                "renderables": len(self._row_renderable_cache), "lines": len(self._line_cache)}
