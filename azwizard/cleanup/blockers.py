"""Why something cannot be deleted now, and what the user can do about it. Blockers are explained, never
forced: azwizard does not remove locks, stop backups or detach resources on the user's behalf.

Sources: preflight rules C3 (locks: "… cannot perform delete operation because following scope(s) are
locked …", https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources), C4 (vault
with backup items: https://learn.microsoft.com/azure/backup/backup-azure-delete-vault), C5 (never delete an
AKS node resource group directly: Azure/AKS#942), C6 (in-use errors such as ``InUseSubnetCannotBeDeleted``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import (
    DISK,
    KIND_LABELS,
    NAT,
    NIC,
    NSG,
    PIP,
    VNET,
    InventoryItem,
    Lock,
    ProtectedItem,
    group_name,
    kind_of,
    name_of,
)

SOFT_DELETE_DAYS = 14

# What Azure answers when a resource still in use is deleted (the simulator's and ARM's codes).
_IN_USE_CODES = {
    VNET: "InUseSubnetCannotBeDeleted",
    NSG: "InUseNetworkSecurityGroupCannotBeDeleted",
    PIP: "PublicIPAddressCannotBeDeleted",
    NIC: "NicInUse",
    NAT: "InUseNatGatewayCannotBeDeleted",
    DISK: "OperationNotAllowed",
}


@dataclass(frozen=True)
class Blocker:
    resource_id: str
    code: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.message} Fix: {self.fix}"


def describe(resource_id: str, item: InventoryItem | None = None) -> str:
    if item is not None:
        return item.label
    kind = kind_of(resource_id).lower()
    return f"{KIND_LABELS.get(kind, kind_of(resource_id))} {name_of(resource_id)}"


def lock_blocker(target: str, label: str, lock: Lock, *, whole_group: bool = False) -> Blocker:
    scope = "the group or something in it" if whole_group else "it"
    notes = f" (its note: \"{lock.notes}\")" if lock.notes else ""
    return Blocker(
        target,
        "ScopeLocked",
        f"{label} cannot be deleted: the {lock.level} lock '{lock.name}' on {lock.where}{notes} protects {scope}; "
        "Azure would answer ScopeLocked.",
        f"If the lock is no longer wanted, remove it: `{lock.remove_command}` (or ask whoever set it), then "
        "refresh. azwizard never removes locks itself.",
    )


def _backup_cmd(verb: str, vault: InventoryItem, item: ProtectedItem, extra: str = "") -> str:
    return (f"az backup protection {verb} --resource-group '{vault.resource_group}' --vault-name '{vault.name}' "
            f"--container-name '{item.container}' --item-name '{item.name}' --backup-management-type AzureIaasVM "
            f"--workload-type VM{extra}")


def vault_blockers(target: str, vault: InventoryItem, purge: bool | None = None) -> list[Blocker]:
    """A vault holding backup items cannot be deleted (BMSUserErrorVaultDeletionNotAllowed), nor can its
    group (ResourceGroupDeletionBlocked); soft-deleted items block it for 14 days.

    ``purge``: the user agreed to stop protection and delete the backup data (True: with soft delete turned
    off first). Then the only thing left in the way is soft delete staying on (kept off by the user, or
    always-on): the data waits out its retention, and the vault with it."""
    if purge is not None:
        setting = vault.soft_delete
        days = setting.days if setting is not None else SOFT_DELETE_DAYS
        stays_on = setting is None or setting.on
        if purge and not (setting is not None and setting.always_on):
            return []
        if not stays_on:
            return []
        why = ("soft delete is always on for this vault (it cannot be turned off)" if setting is not None
               and setting.always_on else "you kept soft delete on")
        return [Blocker(
            target,
            "VaultKeepsSoftDeletedData",
            f"{vault.label} cannot be deleted yet: {why}, so its backup data, once deleted, stays soft-deleted "
            f"for {days} days and Azure refuses to delete the vault until it is gone "
            "(ServiceResourceNotEmptyWithBackendMessage).",
            f"The backup data is deleted now; delete the vault (and its group) after {days} days, when "
            "azwizard shows it empty. To delete it now instead, let azwizard turn soft delete off first "
            "(not possible when it is always on).",
        )]
    active = [p for p in vault.protected_items if not p.soft_deleted]
    soft = [p for p in vault.protected_items if p.soft_deleted]
    soft_delete_how = (
        f"Deleted backup data stays soft-deleted for {SOFT_DELETE_DAYS} days and still blocks the vault: wait "
        f"{SOFT_DELETE_DAYS} days, or disable soft delete (`az backup vault backup-properties set --name "
        f"'{vault.name}' --resource-group '{vault.resource_group}' --soft-delete-feature-state Disable`; not "
        "possible when soft delete is 'always on'), undelete the items and delete their data again."
    )
    out = []
    if active:
        names = ", ".join(sorted(p.friendly_name for p in active))
        steps = "; ".join(f"`{_backup_cmd('disable', vault, p, ' --delete-backup-data true --yes')}`" for p in active)
        out.append(Blocker(
            target,
            "VaultHasProtectedItems",
            f"{vault.label} still protects {len(active)} item(s) ({names}); Azure refuses to delete a vault with "
            "backup items (BMSUserErrorVaultDeletionNotAllowed), and a resource group holding it "
            "(ResourceGroupDeletionBlocked).",
            f"Stop protection and delete the backup data first: {steps}. {soft_delete_how} Then delete the vault.",
        ))
    if soft and not active:
        names = ", ".join(sorted(p.friendly_name for p in soft))
        undelete = "; ".join(f"`{_backup_cmd('undelete', vault, p)}`" for p in soft)
        out.append(Blocker(
            target,
            "VaultHasSoftDeletedItems",
            f"{vault.label} holds {len(soft)} soft-deleted backup item(s) ({names}); Azure keeps them "
            f"{SOFT_DELETE_DAYS} days after protection stopped and refuses to delete the vault until they are "
            "gone (ServiceResourceNotEmptyWithBackendMessage).",
            f"{soft_delete_how} To undelete: {undelete}; then "
            "`az backup protection disable ... --delete-backup-data true --yes` for each.",
        ))
    return out


def node_group_blocker(item: InventoryItem) -> Blocker:
    cluster = item.node_group_of or item.managed_by or ""
    return Blocker(
        item.id,
        "ManagedNodeResourceGroup",
        f"Resource group {item.name} is the node resource group of AKS cluster {name_of(cluster)} (managed by "
        "it); deleting it directly breaks the cluster and AKS recreates or orphans parts of it.",
        f"Delete the cluster {name_of(cluster)} instead: Azure removes {item.name} with it. To stop paying for the "
        "nodes but keep the cluster, stop the cluster.",
    )


def in_use_blocker(target: str, label: str, member: str, member_label: str, user: str,
                   user_label: str) -> Blocker:
    code = _IN_USE_CODES.get(kind_of(member).lower(), "InUse")
    what = "it" if member.lower() == target.lower() else f"{member_label}, which goes with it,"
    return Blocker(
        target,
        "InUse",
        f"{label} cannot be deleted: {what} is still used by {user_label}, which is not selected; "
        f"Azure would answer {code}.",
        f"Select {user_label} too, or detach it from {member_label} first, or keep {member_label}.",
    )


def group_not_empty_blocker(group: InventoryItem, leftovers: Sequence[str], labels: Sequence[str]) -> Blocker:
    shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
    return Blocker(
        group.id,
        "GroupNotEmpty",
        f"{group.label} still holds {len(leftovers)} resource(s) that are not selected ({shown}); deleting the "
        "group would delete them too.",
        "Select them too (or show everything in the group to see them), or delete the whole group on purpose "
        "(typing its name), or keep the group.",
    )


def foreign_blocker(group: InventoryItem, foreign: Sequence[str], labels: Sequence[str]) -> Blocker:
    shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
    return Blocker(
        group.id,
        "ForeignResourcesInGroup",
        f"Deleting {group.label} deletes everything in it, including {len(foreign)} resource(s) azwizard did not "
        f"create: {shown}.",
        "Show everything in this group and select those resources too if they should go, move them to another "
        "group (`az resource move`), or delete only azwizard's resources instead of the whole group.",
    )


def foreign_cascade_blocker(target: str, label: str, foreign: Sequence[str], labels: Sequence[str]) -> Blocker:
    return Blocker(
        target,
        "ForeignResourcesInCascade",
        f"Deleting {label} would also delete {', '.join(labels)}, which azwizard did not create (Azure deletes "
        "it along: deleteOption Delete, or it is inside).",
        "Select it too if it should go, or change its deleteOption to Detach first "
        "(`az vm update ... --set ...deleteOption=Detach`), or keep the resource.",
    )


def cycle_blocker(target: str, label: str, others: Sequence[str], whole_group: bool) -> Blocker:
    how = ("Delete the resources one by one instead of the whole group (select them rather than the group), "
           "or move the cross-group references first." if whole_group else
           "Detach one of the references first, or delete these resources in two steps.")
    return Blocker(
        target,
        "CircularDependency",
        f"{label} and {', '.join(others)} each need the other deleted first (something in one uses something in "
        "the other), so no order works.",
        how,
    )


def not_in_inventory_blocker(resource_id: str) -> Blocker:
    return Blocker(
        resource_id,
        "NotInInventory",
        f"{describe(resource_id)} is not in the inventory: azwizard did not create it, or it was not found.",
        "Refresh the inventory. azwizard deletes only what it created, or what you chose to show.",
    )


def group_not_azwizard_blocker(name: str, resource_id: str = "") -> Blocker:
    return Blocker(
        resource_id or name,
        "GroupNotCreatedByAzwizard",
        f"Resource group {name} was not created by azwizard (no created-by=azwizard tag or journal entry), so "
        "azwizard does not delete it as a whole.",
        "Select azwizard's resources in it instead.",
    )


def unsupported_blocker(item: InventoryItem) -> Blocker:
    return Blocker(
        item.id,
        "UnsupportedType",
        f"azwizard does not know how to delete {item.type} {item.name}.",
        f"Delete it yourself if it should go: `az resource delete --ids '{item.id}'`.",
    )


def groups_of(ids: Iterable[str]) -> set[str]:
    return {group_name(i).lower() for i in ids}
