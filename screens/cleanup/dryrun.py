"""The dry run: exactly what the selection deletes, in which order, what goes along and what stops it, before
anything is sent. x sends it (after the typed name for a whole group, and the typed confirmation a VM, a
cluster or several resources need); b offers to stop protection and delete the backup data that keeps a vault
(and its group) from being deleted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from azwizard.cleanup import backup_vaults

from ..appref import azapp
from .confirm import BackupConfirmScreen, ConfirmGroupScreen, confirm_plan_screen
from .progress import DeleteScreen, Replan
from .state import cleanup_state
from .view import dry_run_text

if TYPE_CHECKING:
    from azwizard.cleanup import DeleteOp, DeletionPlan, Inventory


class DryRunScreen(Screen[None]):
    BINDINGS = [
        Binding("x", "delete", "Delete this", id="cleanup.dry.delete"),
        Binding("b", "backup_data", "Delete backup data…", id="cleanup.dry.backup"),
        Binding("escape", "back", "Back", id="cleanup.dry.back"),
    ]

    def __init__(self, plan: DeletionPlan, inventory: Inventory, *, selection: Sequence[str] | None = None,
                 whole: Sequence[str] | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.inventory = inventory
        self.selection = selection  # what was planned (None: the cleanup screen's selection)
        self.whole = whole

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="cleanup-dry"):
            yield Static("[b]Dry run[/b] — exactly what will be deleted and in which order. Nothing has been sent "
                         "to Azure.", id="cleanup-dry-title")
            with VerticalScroll(id="cleanup-dry-scroll"):
                yield Static(self._text(), id="cleanup-dry-text")
        yield Footer()

    def _text(self) -> str:
        text = dry_run_text(self.plan, self.inventory)
        vaults = backup_vaults(self.plan, self.inventory)
        if vaults:
            names = ", ".join(v.name for v in vaults)
            text += (f"\n[b $warning]▲[/] Press [b]b[/b] to have azwizard stop protection and delete the backup "
                     f"data in {names} (you type the vault's name), so that the vault and its group can be "
                     "deleted too.")
        return text

    def on_mount(self) -> None:
        self.query_one("#cleanup-dry-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return bool(self.plan.ops)  # not offered when nothing here can be deleted (issue 19 item 13)
        if action == "backup_data":
            return bool(backup_vaults(self.plan, self.inventory))
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_backup_data(self) -> None:
        vaults = backup_vaults(self.plan, self.inventory)
        if not vaults:
            return
        vault = vaults[0]

        def answered(answer: tuple[str, bool] | None) -> None:
            if answer is None:
                self.notify(f"Cancelled: the backup data in {vault.name} stays, nothing was sent.", timeout=6)
                return
            self._replan_with_backup(answer[0], answer[1])

        self.app.push_screen(BackupConfirmScreen(vault), answered)

    def _show(self, plan: DeletionPlan) -> None:
        self.plan = plan
        self.query_one("#cleanup-dry-text", Static).update(self._text())
        self.refresh_bindings()

    def _replan_with_backup(self, vault_id: str, soft_delete_off: bool) -> None:
        """The same selection planned again, with the backup data deleted first (no Azure call: the plan)."""
        from azwizard.cleanup import plan_deletion
        from azwizard.cleanup.model import key

        state = cleanup_state(azapp(self))
        state.backup_data[key(vault_id)] = soft_delete_off
        selection = list(self.selection) if self.selection is not None else state.selected_ids()
        whole = list(self.whole) if self.whole is not None else state.whole_group_names()
        self._show(plan_deletion(self.inventory, selection, whole_groups=whole, backup_data=state.backup_data))
        vault_goes = key(vault_id) in self.plan.deleted_ids()
        then = "then the vault" if vault_goes else "the vault itself stays until the soft-deleted data is gone"
        fate = "deleted for good" if soft_delete_off else "kept soft-deleted"
        self.notify(f"Planned: the backup data goes first ({fate}), {then}. Nothing is sent before you press x.",
                    timeout=6)

    def action_delete(self) -> None:
        if not self.plan.ops:
            self.notify("Nothing in this selection can be deleted now: see why above.", severity="warning")
            return
        self._confirm([op for op in self.plan.ops if op.whole_group], [])

    def _confirm(self, groups: list[DeleteOp], typed: list[str]) -> None:
        """One typed name per whole group, then the plan's own confirmation (a VM, a cluster, several
        resources), then the deletion; a cancel anywhere sends nothing."""
        if not groups:
            screen = confirm_plan_screen(self.plan, self.inventory)
            if screen is None or self.plan.confirmation() in typed:
                self._delete(typed)
                return

            def confirmed(phrase: str | None) -> None:
                if phrase is None:
                    self.notify("Cancelled: nothing was sent.", timeout=6)
                    return
                self._delete([*typed, phrase])

            self.app.push_screen(screen, confirmed)
            return
        op = groups[0]

        def answered(name: str | None) -> None:
            if name is None:
                self.notify(f"Cancelled: {op.name} was not confirmed, nothing was sent.", timeout=6)
                return
            self._confirm(groups[1:], [*typed, name])

        self.app.push_screen(ConfirmGroupScreen(op), answered)

    def _delete(self, confirmed: list[str]) -> None:
        self.app.push_screen(DeleteScreen(self.plan, self.inventory, confirmed), self._after_delete)

    def _after_delete(self, replan: Replan | None) -> None:
        """The deletion is over (its screen popped): back to the inventory, or what it left planned again (r) shown
        here (nothing runnable: this dry run says why; esc leads back) and run."""
        if replan is None:
            self.dismiss()
            return
        self.inventory = replan.inventory
        self.selection, self.whole = replan.selection, replan.whole
        self._show(replan.plan)
        self.query_one("#cleanup-dry-scroll").scroll_home(animate=False)
        if replan.plan.ops:
            # What is retried was confirmed already (it is part of the plan the user typed the answer for): its
            # own, smaller "delete N" is not asked again.
            self._delete([*replan.confirmed, replan.plan.confirmation()])
