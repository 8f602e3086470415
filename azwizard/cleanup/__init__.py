"""The cleanup engine (no UI): find what azwizard created, see what it costs, and delete it safely.

* :func:`build_inventory` — everything azwizard created (journals + ``created-by=azwizard`` tags), with
  state, age, cost, references, locks and backup items;
* :func:`default_selection` / :func:`plan_deletion` — the dry run: what a selection deletes, in which order,
  and the blockers (explained, never forced);
* :class:`Deleter` — carries a plan out: concurrent, retried, verified, journaled;
* :mod:`.power` — AKS stop/start with the notes' advice; :mod:`.costs` — the price table.

Nothing here imports the Azure SDK at import time (SDK calls go through the ClientFactory), and importing the
package loads none of its modules: each name below is imported from its module when first used (PEP 562), so
what needs only the price table (the simulator's price lists: ``from azwizard.cleanup import costs``) does
not load the deletion engine and the run executor with it (about 100 ms of every ``--demo`` command, issue 26).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .blockers import Blocker
    from .costs import PRICE_SOURCES, PRICES_AS_OF, Cost, CostPart
    from .delete import (
        ConfirmationRequired,
        DeleteEvent,
        Deleter,
        DeletionResult,
        GroupConfirmationRequired,
        JournalBook,
    )
    from .inventory import build_inventory
    from .model import Cascade, Inventory, InventoryItem, Lock, ProtectedItem
    from .order import DeleteOp, DeletionPlan, HeldBack, backup_vaults, default_selection, plan_deletion
    from .power import AKS_STOP_START_ADVICE, PowerResult, cluster_power_state, start_cluster, stop_cluster

_MODULE_OF = {
    "Blocker": "blockers",
    "PRICE_SOURCES": "costs",
    "PRICES_AS_OF": "costs",
    "Cost": "costs",
    "CostPart": "costs",
    "ConfirmationRequired": "delete",
    "DeleteEvent": "delete",
    "Deleter": "delete",
    "DeletionResult": "delete",
    "GroupConfirmationRequired": "delete",
    "JournalBook": "delete",
    "build_inventory": "inventory",
    "Cascade": "model",
    "Inventory": "model",
    "InventoryItem": "model",
    "Lock": "model",
    "ProtectedItem": "model",
    "DeleteOp": "order",
    "DeletionPlan": "order",
    "HeldBack": "order",
    "backup_vaults": "order",
    "default_selection": "order",
    "plan_deletion": "order",
    "AKS_STOP_START_ADVICE": "power",
    "PowerResult": "power",
    "cluster_power_state": "power",
    "start_cluster": "power",
    "stop_cluster": "power",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # asked once
    return value


__all__ = [
    "AKS_STOP_START_ADVICE",
    "PRICES_AS_OF",
    "PRICE_SOURCES",
    "Blocker",
    "Cascade",
    "ConfirmationRequired",
    "Cost",
    "CostPart",
    "DeleteEvent",
    "DeleteOp",
    "Deleter",
    "DeletionPlan",
    "DeletionResult",
    "GroupConfirmationRequired",
    "HeldBack",
    "Inventory",
    "InventoryItem",
    "JournalBook",
    "Lock",
    "PowerResult",
    "ProtectedItem",
    "backup_vaults",
    "build_inventory",
    "cluster_power_state",
    "default_selection",
    "plan_deletion",
    "start_cluster",
    "stop_cluster",
]
