"""The cleanup screen's state, kept across visits in ``app.journeys["cleanup"]`` (like a journey's draft):
the last inventory, the selection, the whole groups marked, the groups shown in full, the filters."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .view import Clock, Filters, system_now

if TYPE_CHECKING:
    from azwizard.cleanup import Inventory
    from azwizard.pricing.spend import Spend

    from ..app import AzWizardApp


class CleanupState:
    """``now`` (the clock for ages), ``journal_dir`` (None: the default) and ``deleter_options`` (extra
    keyword arguments for the engine's Deleter) are there so tests can make the screen deterministic."""

    def __init__(self, *, now: Clock | None = None, journal_dir: Path | None = None,
                 deleter_options: dict[str, Any] | None = None) -> None:
        self.now: Clock = now or system_now
        self.journal_dir = journal_dir
        self.deleter_options: dict[str, Any] = dict(deleter_options or {})
        self.inventory: Inventory | None = None
        self.loaded_at = 0.0  # time.monotonic() of the last inventory
        self.stale = False  # something was deleted, stopped or started since: read again on return
        self.selected: set[str] = set()  # item keys
        self.whole_groups: set[str] = set()  # lower-cased group names to delete as one operation
        self.show_all: set[str] = set()  # lower-cased group names whose other resources are shown
        # vault key → turn its soft delete off first: the user typed the vault's name to have azwizard stop
        # protection and delete its backup data (so it, and its group, can be deleted)
        self.backup_data: dict[str, bool] = {}
        self.filters = Filters()
        self.spend: Spend | None = None  # actual cost so far (azwizard/pricing/spend.py); None while reading

    def set_inventory(self, inventory: Inventory) -> None:
        """Keep the selection for what still exists as the same resource (the same immutable identity:
        cleanup/model.py ``InventoryItem.identity``); forget the rest, and a resource of the same name made
        since (deleted and re-created) is never selected by what was ticked before."""
        before = {it.key: it.identity for it in self.inventory.items} if self.inventory is not None else {}
        self.inventory = inventory
        self.loaded_at = time.monotonic()
        self.stale = False
        now = {it.key: it.identity for it in inventory.items if it.exists}
        self.selected = {k for k in self.selected if k in now and before.get(k, now[k]) == now[k]}
        groups = {it.name.lower() for it in inventory.items if it.is_group and it.exists}
        self.whole_groups &= groups
        vaults = {it.key for it in inventory.items if it.exists and it.protected_items}
        self.backup_data = {k: v for k, v in self.backup_data.items()
                            if k in vaults and before.get(k, now.get(k)) == now.get(k)}

    def selected_ids(self) -> list[str]:
        if self.inventory is None:
            return []
        return [it.id for it in self.inventory.items if it.key in self.selected]

    def whole_group_names(self) -> list[str]:
        if self.inventory is None:
            return []
        return [it.name for it in self.inventory.items if it.is_group and it.name.lower() in self.whole_groups]


def cleanup_state(app: AzWizardApp) -> CleanupState:
    state = app.journeys.get("cleanup")
    if not isinstance(state, CleanupState):
        state = app.journeys["cleanup"] = CleanupState()
    return state
