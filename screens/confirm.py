"""A yes/no question in a box (quit during a create, write to ~/.ssh/config): ``y`` answers yes, ``n`` and
``esc`` no; the focus starts on the safe answer."""

from __future__ import annotations

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class YesNoScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    YesNoScreen { align: center middle; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, title: str, text: str, *, yes: str = "Yes", no: str = "No", markup_text: bool = False) -> None:
        super().__init__()
        self.title_text, self.text = title, text if markup_text else escape(text)
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(f"[b]{escape(self.title_text)}[/b]", id="confirm-title")
            yield Static(self.text, id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
