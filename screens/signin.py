"""Sign-in problems and the subscription picker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from azwizard.azure.errors import AzwizardError
    from azwizard.azure.session import SubscriptionChoice


class SignInProblemScreen(ModalScreen[bool]):
    """What went wrong signing in, and what to do. ``r`` retries."""

    BINDINGS = [
        Binding("r", "retry", "Retry", id="signin.retry"),
        Binding("escape", "close", "Close", id="signin.close"),
        Binding("q", "app.quit", "Quit", id="signin.quit"),
    ]

    def __init__(self, problem: AzwizardError) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="signin-box"):
            yield Static("[b]Could not open your Azure subscription[/b]", id="signin-title")
            yield Static(escape(self.problem.what), id="signin-what")
            if self.problem.fix:
                yield Static(f"[b]What to do:[/b] {escape(self.problem.fix)}", id="signin-fix")
            yield Static("[dim]Press r to retry after fixing it, or run [b]azwizard --demo[/b] to try "
                         "azwizard without an account.[/dim]", id="signin-hint")
        yield Footer()

    def action_retry(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)


class SubscriptionPicker(ModalScreen["SubscriptionChoice | None"]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, choices: list[SubscriptionChoice]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static("[b]Choose a subscription[/b]", id="picker-title")
            yield OptionList(
                *(
                    Option(f"{escape(c.name or c.id)}  [dim]{c.id} · {c.state or ''}[/dim]", id=c.id)
                    for c in self.choices
                ),
                id="subscriptions",
            )
        yield Footer()

    @on(OptionList.OptionSelected, "#subscriptions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(c for c in self.choices if c.id == event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
