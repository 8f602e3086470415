"""A footer whose keys all stay readable on a narrow terminal: when one row is too short for them, they wrap onto
two rows instead of running off the edge (at 80 columns the footer showed "? Hel": issue 19 item 12). Textual's
Footer is one row that crops what does not fit and sets its grid's column count inline (one per key); the count is
set again here after each compose and resize. The cleanup inventory has its own two-row footer (KeysFooter)."""

from __future__ import annotations

from math import ceil

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class WrapFooter(Footer):
    DEFAULT_CSS = """
    WrapFooter.-wrapped {
        layout: grid;
        grid-columns: auto;
        height: 2;
    }
    """

    def compose(self) -> ComposeResult:
        yield from super().compose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        palette = 14 if len(keys) < len(self.query(FooterKey)) else 0
        needed = sum(len(k.key_display) + len(k.description) + 3 for k in keys) + palette
        wrap = bool(keys) and needed > self.size.width > 0
        if wrap:
            self.styles.grid_size_columns = ceil(len(keys) / 2)
        self.set_class(wrap, "-wrapped")
