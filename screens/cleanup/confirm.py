"""Confirmations: typing a resource group's name before it is deleted as a whole, typing a name (or "delete N")
before a VM, a cluster or several resources are deleted, and stopping or starting an AKS cluster with the notes'
advice in front of the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..fields import Input

if TYPE_CHECKING:
    from azwizard.cleanup import Cost, DeleteOp, DeletionPlan, Inventory, InventoryItem


class TypedConfirmScreen(ModalScreen[str | None]):
    """Returns the typed text when it is exactly ``expected``; None when cancelled. A wrong answer is refused
    here, and the engine checks it again (without it, nothing is sent)."""

    # Only escape: the input takes every other key (no journey keys while typing).
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cleanup.confirm.cancel")]

    def __init__(self, expected: str, title: str, body: str, *, what: str = "the confirmation") -> None:
        super().__init__()
        self.expected = expected
        self.title_text = title  # Textual markup, names escaped by the caller
        self.body = body
        self.what = what  # "the group's name", "the VM's name"…

    def compose(self) -> ComposeResult:
        with Vertical(id="cleanup-confirm-box"):
            yield Static(f"[b $error]{self.title_text}[/]", id="cleanup-confirm-title")
            yield Static(f"{self.body}\n\nType [b]{escape(self.expected)}[/b] and press [b]enter[/b] to delete. "
                         "[b]esc[/b] cancels; nothing has been sent.", id="cleanup-confirm-text")
            # no placeholder with the answer: it would look filled in
            yield Input(placeholder=self.what, id="cleanup-confirm-input")
            yield Static("", id="cleanup-confirm-error")

    def on_mount(self) -> None:
        self.query_one("#cleanup-confirm-input", Input).focus()

    @on(Input.Submitted, "#cleanup-confirm-input")
    def _submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if typed == self.expected:
            self.dismiss(typed)
            return
        error = self.query_one("#cleanup-confirm-error", Static)
        if not typed:
            error.update(f"[b $error]✖[/] Type {escape(self.expected)} to confirm; nothing is deleted without it.")
        else:
            error.update(f"[b $error]✖[/] '{escape(typed)}' is not {escape(self.what)} (it is "
                         f"{escape(self.expected)}, case matters). Nothing was deleted.")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmGroupScreen(TypedConfirmScreen):
    """A whole resource group: its name typed back."""

    def __init__(self, op: DeleteOp) -> None:
        names = [c.resource_id.rsplit("/", 1)[-1] for c in op.with_it]
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        super().__init__(
            op.name, f"Delete the whole resource group {escape(op.name)}?",
            f"This is one Azure operation that deletes the group and everything in it: {len(names)} resource(s)"
            f"{': ' + escape(shown) if shown else ''}. It cannot be undone.",
            what="the group's name")
        self.op = op


def confirm_plan_screen(plan: DeletionPlan, inventory: Inventory) -> TypedConfirmScreen | None:
    """The typed confirmation a plan needs besides whole groups' names (a VM, an AKS cluster, more than one
    resource: ``DeletionPlan.confirmation``), or None."""
    from .view import cost_sentence, item_label

    phrase = plan.confirmation()
    if not phrase:
        return None
    ops = [op for op in plan.ops if not op.whole_group]
    members = [m for op in ops for m in op.members]
    labels = [item_label(inventory, m) for m in members]
    shown = ", ".join(labels[:8]) + (f" and {len(labels) - 8} more" if len(labels) > 8 else "")
    cost = cost_sentence(sum_cost(ops))
    if len(ops) == 1:
        title = f"Delete {escape(ops[0].label)}?"
        what = "its name"
    else:
        title = f"Delete {len(members)} resources?"
        what = "the confirmation"
    body = (f"This deletes {len(members)} resource(s): {escape(shown)}. They stop costing {escape(cost)}. "
            "It cannot be undone.")
    return TypedConfirmScreen(phrase, title, body, what=what)


def sum_cost(ops: list[DeleteOp]) -> Cost:
    from azwizard.cleanup.costs import total

    return total(op.cost for op in ops)


class BackupConfirmScreen(ModalScreen["tuple[str, bool] | None"]):
    """Stop protection and delete the backup data in a vault: the soft-delete retention explained, a choice to
    turn soft delete off first (so the vault and its group can go now), the vault's name typed. Returns
    (the vault's id, turn soft delete off) or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cleanup.backup.cancel")]

    def __init__(self, vault: InventoryItem) -> None:
        super().__init__()
        self.vault = vault

    def compose(self) -> ComposeResult:
        from ..fields import Checkbox

        v = self.vault
        soft = v.soft_delete
        days = soft.days if soft is not None else 14
        active = [p.friendly_name for p in v.protected_items if not p.soft_deleted]
        gone = [p.friendly_name for p in v.protected_items if p.soft_deleted]
        what = []
        if active:
            what.append(f"protects {escape(', '.join(active))}")
        if gone:
            what.append(f"holds soft-deleted backup data of {escape(', '.join(gone))}")
        if soft is not None and not soft.on:
            soft_text = "Soft delete is off for this vault: the backup data is deleted at once."
        elif soft is not None and soft.always_on:
            soft_text = (f"Soft delete is [b]always on[/b] for this vault (it cannot be turned off): the deleted "
                         f"backup data is kept {days} days, and the vault and its group can only be deleted after "
                         "that.")
        else:
            kept = f"{days} days, Azure's default" if days == 14 else f"{days} days on this vault; 14 by default"
            soft_text = (f"Soft delete is on: deleted backup data is kept ({kept}) and can be undeleted, but the "
                         "vault and its group cannot be deleted until it is gone. Only if you tick the box below is "
                         "soft delete turned off first: the data is then deleted at once, for good, so the vault and "
                         "group can go now.")
        with Vertical(id="cleanup-backup-box"):
            yield Static(f"[b $error]Stop protection and delete the backup data in {escape(v.name)}?[/]",
                         id="cleanup-backup-title")
            yield Static(
                f"{escape(v.label)} {'; '.join(what)}. Stopping protection and deleting the backup data removes "
                f"every recovery point: the VM can no longer be restored from this vault.\n{soft_text}\n"
                "[dim]https://learn.microsoft.com/azure/backup/backup-azure-delete-vault · "
                "https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud[/dim]",
                id="cleanup-backup-text")
            can_turn_off = soft is None or (soft.on and not soft.always_on)
            # Unticked by default: the recoverable choice (the CLI too keeps soft delete unless --soft-delete-off).
            box = Checkbox("Turn soft delete off first: deleted at once, for good",
                           value=False, id="cleanup-backup-soft-off", disabled=not can_turn_off)
            yield box
            yield Static(f"Type the vault's name, [b]{escape(v.name)}[/b], and press [b]enter[/b]. [b]esc[/b] "
                         "cancels; nothing has been sent.", id="cleanup-backup-keys")
            yield Input(placeholder="the vault's name", id="cleanup-backup-input")
            yield Static("", id="cleanup-backup-error")

    def on_mount(self) -> None:
        self.query_one("#cleanup-backup-input", Input).focus()

    @on(Input.Submitted, "#cleanup-backup-input")
    def _submitted(self, event: Input.Submitted) -> None:
        from ..fields import Checkbox

        typed = event.value.strip()
        if typed == self.vault.name:
            box = self.query_one("#cleanup-backup-soft-off", Checkbox)
            self.dismiss((self.vault.id, bool(box.value) and not box.disabled))
            return
        error = self.query_one("#cleanup-backup-error", Static)
        error.update(f"[b $error]✖[/] Type {escape(self.vault.name)} (case matters) to confirm; nothing was "
                     "deleted.")

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
