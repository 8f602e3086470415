"""Keeping the Backup step's promise at cleanup: stop protecting a VM and delete its backup data, so that the
Recovery Services vault (and its group) can be deleted — only when the user asked for it, by typing the
vault's name.

Azure's rules (https://learn.microsoft.com/azure/backup/backup-azure-delete-vault): a vault holding backup
items cannot be deleted; "Stop protection and delete backup data" (``ProtectedItems_Delete``) with soft delete
on (the default) keeps the data soft-deleted for 14 days (the retention can be 14–180 days,
https://learn.microsoft.com/azure/backup/backup-azure-enhanced-soft-delete-about), and a soft-deleted item
still blocks the vault. "Disabling soft-delete is the only way to guarantee immediate deletion"
(https://learn.microsoft.com/azure/backup/use-restapi-update-vault-properties: ``PATCH
backupconfig/vaultconfig`` with ``softDeleteFeatureState: Disabled``), which is refused once soft delete is
always-on. Items already soft-deleted are undeleted first (``PUT`` with ``isRehydrate: true``, as
``az backup protection undelete`` does) and deleted again with soft delete off
(https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud).

All calls go through the real ``RecoveryServicesBackupClient``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from ..azure.session import ClientFactory
from .blockers import SOFT_DELETE_DAYS
from .model import SoftDelete, group_name, name_of

# The protected item type of an Azure VM (``protectedItemType`` of IaasVMProtectedItem).
VM_ITEM_TYPE = "Microsoft.Compute/virtualMachines"


def _vault_args(vault_id: str) -> tuple[str, str]:
    return name_of(vault_id), group_name(vault_id)


def read_soft_delete(factory: ClientFactory, vault_id: str) -> SoftDelete:
    cfg = factory.backup().backup_resource_vault_configs.get(*_vault_args(vault_id))
    props = cfg.properties
    raw = getattr(props, "soft_delete_feature_state", None) or "Enabled"
    state = str(getattr(raw, "value", raw))  # the SDK's enums are str subclasses: str() would add the class name
    days = int(getattr(props, "soft_delete_retention_period_in_days", None) or SOFT_DELETE_DAYS)
    editable = getattr(props, "is_soft_delete_feature_state_editable", None)
    return SoftDelete(state, days, True if editable is None else bool(editable) and state != "AlwaysON")


def turn_soft_delete_off(factory: ClientFactory, vault_id: str) -> None:
    """PATCH the vault config (what ``az backup vault backup-properties set --soft-delete-feature-state
    Disable`` sends)."""
    from azure.mgmt.recoveryservicesbackup.models import (
        BackupResourceVaultConfig,
        BackupResourceVaultConfigResource,
    )

    factory.backup().backup_resource_vault_configs.update(
        *_vault_args(vault_id),
        BackupResourceVaultConfigResource(properties=BackupResourceVaultConfig(soft_delete_feature_state="Disabled")))


def _item_args(item_id: str) -> tuple[str, str, str, str, str]:
    parts = [p for p in item_id.split("/") if p]
    low = [p.lower() for p in parts]
    vault = parts[low.index("vaults") + 1]
    fabric = parts[low.index("backupfabrics") + 1]
    container = parts[low.index("protectioncontainers") + 1]
    item = parts[low.index("protecteditems") + 1]
    return vault, parts[3], fabric, container, item


def vault_of(item_id: str) -> str:
    low = item_id.lower()
    return item_id[:low.index("/backupfabrics/")]


def get_item(factory: ClientFactory, item_id: str) -> Mapping[str, Any] | None:
    """The backup item's wire JSON, or None when Azure says it is gone (404)."""
    from azure.core.exceptions import ResourceNotFoundError

    from ..azure import ops

    try:
        return ops.wire(factory.backup().protected_items.get(*_item_args(item_id)))
    except ResourceNotFoundError:
        return None


def is_soft_deleted(body: Mapping[str, Any]) -> bool:
    return bool((body.get("properties") or {}).get("isScheduledForDeferredDelete"))


def undelete(factory: ClientFactory, item_id: str, source_id: str, *, poll_interval: float) -> None:
    """Bring a soft-deleted item back (protection stays stopped), as ``az backup protection undelete``."""
    body = {"properties": {"protectedItemType": VM_ITEM_TYPE, "protectionState": "ProtectionStopped",
                           "sourceResourceId": source_id, "isRehydrate": True}}
    poller = factory.backup().protected_items.begin_create_or_update(
        *_item_args(item_id), body, polling_interval=poll_interval)  # type: ignore[call-overload]
    poller.result()


def delete_data(factory: ClientFactory, item_id: str, cancel: threading.Event, *, poll_interval: float,
                timeout: float = 1800.0) -> None:
    """``ProtectedItems_Delete`` (stop protection and delete backup data), then follow the operation its
    ``Azure-AsyncOperation`` header names (``backupOperations/{id}``) until it is done; a failed operation
    raises with Azure's error."""
    from azure.core.exceptions import HttpResponseError

    client = factory.backup()
    vault, rg = _item_args(item_id)[:2]

    def headers_of(pipeline_response: Any, _body: Any, _headers: Any) -> Mapping[str, str]:
        return dict(pipeline_response.http_response.headers)  # the operation to follow: a 202's headers

    headers: Mapping[str, str] = client.protected_items.delete(*_item_args(item_id), cls=headers_of) or {}
    status_url = str(headers.get("Azure-AsyncOperation") or headers.get("Location") or "")
    if not status_url:
        return  # answered 200/204: done
    op_id = status_url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + timeout
    while True:
        status = client.backup_operation_statuses.get(vault, rg, op_id)
        state = str(getattr(status.status, "value", status.status) or "")  # an enum: str() would add its name
        if state.lower() == "succeeded":
            return
        if state.lower() in ("failed", "canceled", "cancelled"):
            error = status.error
            raise HttpResponseError(message=f"{getattr(error, 'code', None) or 'BackupOperationFailed'}: "
                                            f"{getattr(error, 'message', None) or 'deleting the backup data failed'}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"Deleting the backup data of {name_of(item_id)} did not finish in time")
        if cancel.wait(poll_interval):
            from ..run.dag import Cancelled

            raise Cancelled()


def purge(factory: ClientFactory, item_id: str, cancel: threading.Event, *, soft_delete_off: bool,
          poll_interval: float) -> None:
    """Stop protection and delete the backup data of the item ``item_id``: soft delete turned off on its vault
    first when asked (so the data goes at once), an item already soft-deleted undeleted first (only then can it
    be deleted for good)."""
    vault_id = vault_of(item_id)
    if soft_delete_off and read_soft_delete(factory, vault_id).on:
        turn_soft_delete_off(factory, vault_id)
    current = get_item(factory, item_id)
    if current is None:
        return
    if is_soft_deleted(current):
        if not soft_delete_off:
            return  # already deleted as far as it can be: it expires on its own
        props = current.get("properties") or {}
        undelete(factory, item_id, str(props.get("sourceResourceId") or props.get("virtualMachineId") or ""),
                 poll_interval=poll_interval)
    delete_data(factory, item_id, cancel, poll_interval=poll_interval)


def purged(factory: ClientFactory, item_id: str, *, soft_delete_off: bool) -> bool | None:
    """Whether the item is as deleted as asked: gone (404), or soft-deleted when soft delete stays on."""
    try:
        body = get_item(factory, item_id)
    except Exception:
        return None
    if body is None:
        return True
    return (not soft_delete_off) and is_soft_deleted(body)


def group_delete_blocked_hint(resource_group: str, vault: str, vm: str) -> list[str]:
    """Why ``az group delete`` fails while the vault holds the VM's backup data, and what to do (the done
    screen's hint): Azure answers ResourceGroupDeletionBlocked (BMSUserErrorVaultDeletionNotAllowed for the
    vault), https://learn.microsoft.com/azure/backup/backup-azure-delete-vault."""
    container = f"IaasVMContainer;iaasvmcontainerv2;{resource_group};{vm}"
    item = f"VM;iaasvmcontainerv2;{resource_group};{vm}"
    return [
        f"It fails while the vault {vault} holds {vm}'s backup data (Azure: ResourceGroupDeletionBlocked).",
        "Cleanup does it in order: its dry run offers b to stop protection and delete the backup data, then",
        "deletes the vault and the group. By hand: turn soft delete off (else the data stays 14 days and",
        "still blocks the vault), stop protection and delete the data, then delete the group:",
        f"  az backup vault backup-properties set --name {vault} --resource-group {resource_group} "
        "--soft-delete-feature-state Disable",
        f"  az backup protection disable --resource-group {resource_group} --vault-name {vault} "
        f"--container-name '{container}' --item-name '{item}' --backup-management-type AzureIaasVM "
        "--workload-type VM --delete-backup-data true --yes",
    ]


__all__ = ["VM_ITEM_TYPE", "SoftDelete", "delete_data", "get_item", "group_delete_blocked_hint", "is_soft_deleted",
           "purge", "purged",
           "read_soft_delete", "turn_soft_delete_off", "undelete", "vault_of"]
