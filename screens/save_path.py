"""Where to save a file the wizard writes for the user (the review's az script, ARM template and profile: s, t,
p): a box asking for the path, prefilled with a default in the current directory, that writes only on enter and
says where the file went (issue 19 item 17). The write is ``userfiles.write_user_text``: atomic, an existing file
keeps its mode, a symlink's target is replaced; a directory, a FIFO, a device or a socket is refused with the
reason in the box, which stays open with nothing written. esc saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from .fields import Input


def save_to(typed: str, text: str, base: Path) -> Path:
    """Write ``text`` where the user typed (``~`` expanded, relative to ``base``); the file written (a symlink's
    target). Raises ``OutputFileError`` (an ``OSError``) naming the user's path when it cannot be written there,
    and ``ValueError`` for an empty path; nothing is written then."""
    from azwizard.userfiles import resolve, write_user_text

    if not typed.strip():
        raise ValueError("Type a file name to save to (esc: don't save).")
    # 0644: a script or template is for reading and sharing; it holds no secret (the review's texts never do).
    return write_user_text(resolve(typed.strip(), base), text, mode=0o644)


class SavePathScreen(ModalScreen[Path | None]):
    """Asks where to save ``what``; returns the path written, or None when cancelled."""

    DEFAULT_CSS = """
    SavePathScreen { align: center middle; }
    #save-box { width: 84; max-width: 95%; height: auto; border: round $accent; background: $surface;
                padding: 1 2; }
    #save-text { margin: 0 0 1 0; }
    #save-error { height: auto; }
    """
    # Only escape: the input takes every other key (no review keys while typing a path).
    BINDINGS = [Binding("escape", "cancel", "Don't save", id="save.cancel")]

    def __init__(self, what: str, default: Path, text: str | Callable[[], str], *, base: Path | None = None) -> None:
        super().__init__()
        self.what = what  # "the az script"
        self.default = default
        self.text = text
        self.base = base if base is not None else Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Static(f"[b]Save {escape(self.what)}[/b]", id="save-title")
            yield Static("The path to write ([b]enter[/b] saves, [b]esc[/b] doesn't). An existing file is replaced "
                         "(it keeps its permissions); a relative path is in "
                         f"{escape(str(self.base))}.", id="save-text")
            yield Input(str(self.default), id="save-path")
            yield Static("", id="save-error")

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    @on(Input.Submitted, "#save-path")
    def _submitted(self, event: Input.Submitted) -> None:
        text = self.text() if callable(self.text) else self.text
        try:
            written = save_to(event.value, text, self.base)
        except (OSError, ValueError) as exc:  # a directory, a FIFO, a device, no permission: nothing written
            self.query_one("#save-error", Static).update(f"[b $error]✖[/] {escape(str(exc))}")
            return
        self.dismiss(written)

    def action_cancel(self) -> None:
        self.dismiss(None)
