"""The cleanup engine (no UI): find what azwizard created, see what it costs, and delete it safely.

* :func:`build_inventory` — everything azwizard created (journals + ``created-by=azwizard`` tags), with
  state, age, cost, references, locks and backup items;
* :func:`default_selection` / :func:`plan_deletion` — the dry run: what a selection deletes, in which order,
  and the blockers (explained, never forced);
* :class:`Deleter` — carries a plan out: concurrent, retried, verified, journaled;
* :mod:`.power` — AKS stop/start with the notes' advice; :mod:`.costs` — the price table.

Nothing here imports the Azure SDK at import time (SDK calls go through the ClientFactory).
"""

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
