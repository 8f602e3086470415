"""The dry run: exactly what the selection deletes, in which order, what goes along and what stops it, before
anything is sent. x sends it (after the typed name for a whole group)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from .confirm import ConfirmGroupScreen, confirm_plan_screen
from .view import dry_run_text

if TYPE_CHECKING:
    from azwizard.cleanup import DeleteOp, DeletionPlan, Inventory


class DryRunScreen(Screen[None]):
    BINDINGS = [
        Binding("x", "delete", "Delete this", id="cleanup.dry.delete"),
        Binding("escape", "back", "Back", id="cleanup.dry.back"),
    ]

    def __init__(self, plan: DeletionPlan, inventory: Inventory) -> None:
        super().__init__()
        self.plan = plan
        self.inventory = inventory

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="cleanup-dry"):
            yield Static("[b]Dry run[/b] — exactly what will be deleted and in which order. Nothing has been sent "
                         "to Azure.", id="cleanup-dry-title")
            with VerticalScroll(id="cleanup-dry-scroll"):
                yield Static(dry_run_text(self.plan, self.inventory), id="cleanup-dry-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cleanup-dry-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return True if self.plan.ops else None  # shown dimmed: nothing here can be deleted
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_delete(self) -> None:
        if not self.plan.ops:
            self.notify("Nothing in this selection can be deleted now: see why above.", severity="warning")
            return
        self._confirm([op for op in self.plan.ops if op.whole_group], [])

    def _confirm(self, groups: list[DeleteOp], typed: list[str]) -> None:
        """One typed name per whole group, then the plan's own confirmation (a VM, a cluster, several
        resources), then the deletion; a cancel anywhere sends nothing."""
        if not groups:
            from .progress import DeleteScreen

            screen = confirm_plan_screen(self.plan, self.inventory)
            if screen is None or self.plan.confirmation() in typed:
                self.app.push_screen(DeleteScreen(self.plan, self.inventory, typed))
                return

            def confirmed(phrase: str | None) -> None:
                if phrase is None:
                    self.notify("Cancelled: nothing was sent.", timeout=6)
                    return
                self.app.push_screen(DeleteScreen(self.plan, self.inventory, [*typed, phrase]))

            self.app.push_screen(screen, confirmed)
            return
        op = groups[0]

        def answered(name: str | None) -> None:
            if name is None:
                self.notify(f"Cancelled: {op.name} was not confirmed, nothing was sent.", timeout=6)
                return
            self._confirm(groups[1:], [*typed, name])

        self.app.push_screen(ConfirmGroupScreen(op), answered)
