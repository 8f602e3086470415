"""cleanup/order.py's small decisions in isolation (issue 27's surviving mutants): which vaults' backup data the
user may be asked to delete, and what a deletion of backup data says becomes of it."""

from __future__ import annotations

from azwizard.cleanup.blockers import Blocker
from azwizard.cleanup.model import PROTECTED_ITEM, Inventory, InventoryItem, ProtectedItem
from azwizard.cleanup.order import DeleteOp, DeletionPlan, backup_vaults

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
VAULTS = "Microsoft.RecoveryServices/vaults"


def _vault(group: str, name: str, *, items: int = 1, exists: bool = True) -> InventoryItem:
    vid = f"{SUB}/resourceGroups/{group}/providers/{VAULTS}/{name}"
    protected = tuple(ProtectedItem(f"{vid}/backupFabrics/Azure/protectionContainers/c/protectedItems/vm{i}",
                                    f"vm{i}", "c", f"vm{i}") for i in range(items))
    return InventoryItem(vid, VAULTS, name, group, exists=exists, protected_items=protected)


def test_only_the_vaults_whose_backup_data_blocks_the_plan_are_offered() -> None:
    blocked = _vault("a-rg", "a-rsv")
    in_blocked_group = _vault("b-rg", "b-rsv")
    elsewhere = _vault("c-rg", "c-rsv")  # has backup data, but nothing blocks on it
    empty = _vault("a-rg", "empty-rsv", items=0)  # in a blocked group, but no backup data to delete
    gone = _vault("b-rg", "gone-rsv", exists=False)
    plan = DeletionPlan((), blockers=(
        Blocker(blocked.id, "VaultHasProtectedItems", "it holds backups", "delete them"),
        Blocker(f"{SUB}/resourceGroups/b-rg", "VaultHasSoftDeletedItems", "a vault in it holds backups", "wait"),
        Blocker(elsewhere.id, "ScopeLocked", "locked", "remove the lock"),  # blocked, but not by backup data
    ))
    inventory = Inventory((blocked, in_blocked_group, elsewhere, empty, gone))
    assert [v.name for v in backup_vaults(plan, inventory)] == ["a-rsv", "b-rsv"]


def _op(kind: str, *, soft_delete_off: bool = False) -> DeleteOp:
    return DeleteOp(f"{SUB}/resourceGroups/a-rg/providers/x", kind, "x", "a-rg", "x", soft_delete_off=soft_delete_off)


def test_deleting_backup_data_always_says_whether_it_can_be_undeleted() -> None:
    assert "cannot be undeleted" in _op(PROTECTED_ITEM, soft_delete_off=True).data_fate
    assert "can be undeleted" in _op(PROTECTED_ITEM).data_fate
    assert "cannot" not in _op(PROTECTED_ITEM).data_fate
    assert _op("Microsoft.Compute/virtualMachines").data_fate == ""
