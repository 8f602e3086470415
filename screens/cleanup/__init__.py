"""The cleanup screen (mode "cleanup"): everything azwizard created, with state, age and cost; a dry run of the
selection; the deletion with each resource's state live and a report; AKS stop/start. The engine is
``azwizard.cleanup``; these screens only show it and call it from thread workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .confirm import BackupConfirmScreen, ConfirmGroupScreen, PowerConfirmScreen, TypedConfirmScreen
from .dryrun import DryRunScreen
from .inventory import CleanupScreen
from .progress import DeleteScreen
from .state import CleanupState, cleanup_state

if TYPE_CHECKING:
    from ..app import AzWizardApp


def cleanup_entry(app: AzWizardApp) -> CleanupScreen:
    cleanup_state(app)
    return CleanupScreen()


__all__ = [
    "BackupConfirmScreen",
    "CleanupScreen",
    "CleanupState",
    "ConfirmGroupScreen",
    "DeleteScreen",
    "DryRunScreen",
    "PowerConfirmScreen",
    "TypedConfirmScreen",
    "cleanup_entry",
    "cleanup_state",
]
