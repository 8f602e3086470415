"""Confirmations: typing a resource group's name before it is deleted as a whole, and stopping or starting an
AKS cluster with the notes' advice in front of the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from azwizard.cleanup import DeleteOp, InventoryItem


class ConfirmGroupScreen(ModalScreen[str | None]):
    """Returns the typed name when it is exactly the group's name; None when cancelled. A wrong name is refused
    here, and the engine checks it again (without it, nothing is sent)."""

    # Only escape: the input takes every other key (no journey keys while typing).
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cleanup.confirm.cancel")]

    def __init__(self, op: DeleteOp) -> None:
        super().__init__()
        self.op = op

    def compose(self) -> ComposeResult:
        op = self.op
        names = [c.resource_id.rsplit("/", 1)[-1] for c in op.with_it]
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        with Vertical(id="cleanup-confirm-box"):
            yield Static(f"[b $error]Delete the whole resource group {escape(op.name)}?[/]", id="cleanup-confirm-title")
            yield Static(
                f"This is one Azure operation that deletes the group and everything in it: {len(names)} resource(s)"
                f"{': ' + escape(shown) if shown else ''}. It cannot be undone.\n\n"
                f"Type the group's name, [b]{escape(op.name)}[/b], and press [b]enter[/b] to delete it. "
                "[b]esc[/b] cancels; nothing has been sent.",
                id="cleanup-confirm-text",
            )
            # no placeholder with the name: it would look filled in
            yield Input(placeholder="the group's name", id="cleanup-confirm-input")
            yield Static("", id="cleanup-confirm-error")

    def on_mount(self) -> None:
        self.query_one("#cleanup-confirm-input", Input).focus()

    @on(Input.Submitted, "#cleanup-confirm-input")
    def _submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if typed == self.op.name:
            self.dismiss(typed)
            return
        error = self.query_one("#cleanup-confirm-error", Static)
        if not typed:
            error.update(f"[b $error]✖[/] Type {escape(self.op.name)} to confirm; nothing is deleted without it.")
        else:
            error.update(f"[b $error]✖[/] '{escape(typed)}' is not the group's name (it is "
                         f"{escape(self.op.name)}, case matters). Nothing was deleted.")

    def action_cancel(self) -> None:
        self.dismiss(None)


class PowerConfirmScreen(ModalScreen[bool]):
    """Stop or start an AKS cluster: the advice first, then y to go on."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="cleanup.power.yes"),
        Binding("n", "answer(False)", "No", id="cleanup.power.no"),
        Binding("escape", "answer(False)", "Cancel", show=False),
    ]

    def __init__(self, action: str, item: InventoryItem, *, too_soon: str = "") -> None:
        super().__init__()
        self.action = action
        self.item = item
        self.too_soon = too_soon

    def compose(self) -> ComposeResult:
        from azwizard.cleanup import AKS_STOP_START_ADVICE

        it = self.item
        if self.action == "stop":
            title = f"Stop AKS cluster {escape(it.name)}?"
            what = ("Its nodes are deallocated and stop being billed (the control plane fee of a paid tier and the "
                    "disks, IPs and load balancer are still billed). The cluster keeps its configuration and comes "
                    "back with [b]t[/b] (start).")
        elif self.too_soon:
            title = f"Start AKS cluster {escape(it.name)} anyway?"
            what = f"[b $warning]{escape(self.too_soon)}.[/] Starting it this soon is what the advice below warns about."
        else:
            title = f"Start AKS cluster {escape(it.name)}?"
            what = "Its nodes come back and are billed again."
        with Vertical(id="cleanup-power-box"):
            yield Static(f"[b]{title}[/b]", id="cleanup-power-title")
            yield Static(f"Power state now: [b]{escape(it.state or 'unknown')}[/b]. {what}", id="cleanup-power-what")
            yield Static(f"[b $warning]▲[/] {escape(AKS_STOP_START_ADVICE)}", id="cleanup-power-advice")
            yield Static("Press [b]y[/b] to go on, [b]n[/b] or [b]esc[/b] to cancel.", id="cleanup-power-keys")

    def action_answer(self, ok: bool) -> None:
        self.dismiss(ok)
