"""Progress while creating or deleting: a Rich live table on a terminal, plain lines when the output is a
file or a pipe (CI logs stay readable: one line per state change, with the elapsed time)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from .common import is_terminal, mmss

STATE_TEXT = {
    "waiting": "waiting", "running": "creating…", "succeeded": "✓ created", "updated": "✓ updated",
    "existing": "✓ exists",
    "failed": "✖ failed", "skipped": "not started", "cancelled": "stopped watching",
    "deleting": "deleting…", "retrying": "retrying…", "verifying": "verifying…", "deleted": "✓ deleted",
}
STATE_STYLE = {"running": "bold cyan", "deleting": "bold cyan", "retrying": "yellow", "verifying": "cyan",
               "succeeded": "green", "updated": "green", "existing": "green", "deleted": "green", "failed": "bold red",
               "skipped": "dim", "cancelled": "yellow", "waiting": "dim"}


@dataclass
class _Row:
    label: str
    state: str = "waiting"
    detail: str = ""
    started: float | None = None
    elapsed: float | None = None


class Progress:
    """Rows keyed by step (or resource id); ``update`` is thread-safe (runner threads call it)."""

    def __init__(self, title: str, rows: Sequence[tuple[str, str]], *, stream: TextIO | None = None,
                 live: bool | None = None) -> None:
        self.title = title
        self.stream = stream or sys.stdout
        self.rows = {key: _Row(label) for key, label in rows}
        self.started = time.monotonic()
        self.live = is_terminal(self.stream) if live is None else live
        self._lock = threading.Lock()
        self._live: Any = None

    def __enter__(self) -> Progress:
        if self.live:
            from rich.console import Console
            from rich.live import Live

            self._live = Live(self._table(), console=Console(file=self.stream), refresh_per_second=4,
                              transient=False, get_renderable=self._table)
            self._live.__enter__()
        else:
            self.stream.write(f"{self.title}\n")
            self.stream.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None

    def update(self, key: str, state: str, detail: str = "", elapsed: float | None = None) -> None:
        with self._lock:
            row = self.rows.setdefault(key, _Row(key))
            now = time.monotonic()
            if state in ("running", "deleting") and row.started is None:
                row.started = now
            changed = state != row.state or detail != row.detail
            row.state, row.detail = state, detail
            if elapsed is not None:
                row.elapsed = elapsed
            if not self.live and changed:
                text = STATE_TEXT.get(state, state)
                line = f"[{mmss(now - self.started)}] {text:<17} {row.label}"
                if detail and detail not in ("creating…", "deleting…", "created", "deleted"):
                    line += f" — {detail}"
                self.stream.write(line + "\n")
                self.stream.flush()

    def _table(self) -> Any:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"{self.title} · {mmss(time.monotonic() - self.started)}", title_justify="left",
                      expand=False)
        for name, width in (("Resource", 40), ("State", 18), ("Time", 6), ("Detail", 48)):
            table.add_column(name, max_width=width, no_wrap=name != "Detail")
        now = time.monotonic()
        with self._lock:
            for row in self.rows.values():
                if row.elapsed is not None and row.state not in ("running", "deleting"):
                    t = mmss(row.elapsed)
                elif row.started is not None and row.state in ("running", "deleting", "retrying", "verifying"):
                    t = mmss(now - row.started)
                else:
                    t = ""
                table.add_row(row.label, Text(STATE_TEXT.get(row.state, row.state),
                                              style=STATE_STYLE.get(row.state, "")), t, row.detail)
        return table
