"""cleanup/order.py's small decisions in isolation (issue 27's surviving mutants): which vaults' backup data the
user may be asked to delete, and what a deletion of backup data says becomes of it."""

from __future__ import annotations

from dataclasses import replace

from azwizard.cleanup.blockers import Blocker
from azwizard.cleanup.model import PROTECTED_ITEM, Inventory, InventoryItem, ProtectedItem, key
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


def test_the_default_selection_takes_only_this_runs_own_resources_and_groups_left_empty_by_it() -> None:
    """Preselected: azwizard's existing resources of the run, and a group only when all it holds is preselected.
    Never: something azwizard did not make (a resource or a group, even an empty one), a group already gone, an
    AKS node resource group, another run's group."""
    from azwizard.cleanup.model import GROUP
    from azwizard.cleanup.order import default_selection

    def group(name: str, *contents: InventoryItem, run: str = "r1", **kw: object) -> InventoryItem:
        return InventoryItem(f"{SUB}/resourceGroups/{name}", GROUP, name, name, run_id=run,
                             contents=tuple(c.id for c in contents), **kw)  # type: ignore[arg-type]

    def vm(group_name: str, name: str, run: str = "r1", **kw: object) -> InventoryItem:
        return InventoryItem(f"{SUB}/resourceGroups/{group_name}/providers/Microsoft.Compute/virtualMachines/{name}",
                             "Microsoft.Compute/virtualMachines", name, group_name, run_id=run, **kw)  # type: ignore[arg-type]

    ours, mixed_ours, theirs = vm("a-rg", "a"), vm("b-rg", "b"), vm("b-rg", "not-ours", run="", foreign=True)
    items = (ours, group("a-rg", ours), mixed_ours, theirs, group("b-rg", mixed_ours, theirs),
             group("f-rg", run="", foreign=True), group("gone-rg", exists=False),
             group("MC_a-rg_aks_norwayeast", node_group_of=f"{SUB}/resourceGroups/a-rg/x"),
             group("other-run-rg", run="r0"), vm("other-run-rg", "c", run="r0"))
    chosen = default_selection(Inventory(items), run_id="r1")
    assert chosen == {ours.id, f"{SUB}/resourceGroups/a-rg", mixed_ours.id}
    every_run = default_selection(Inventory(items))  # no run named: every run's
    assert every_run == chosen | {f"{SUB}/resourceGroups/other-run-rg", items[-1].id}


def test_deleting_a_backed_up_vm_but_not_its_vault_warns_that_the_backups_stay() -> None:
    """The VM goes, its vault stays: its backups stay, billed, and the plan says so; deleting the vault (its
    backup data) too, or not the VM, says nothing of it."""
    from azwizard.cleanup.order import plan_deletion

    vm_id = f"{SUB}/resourceGroups/a-rg/providers/Microsoft.Compute/virtualMachines/vm0"
    vm = InventoryItem(vm_id, "Microsoft.Compute/virtualMachines", "vm0", "a-rg", run_id="r1")
    vault = _vault("b-rg", "b-rsv")
    vault = InventoryItem(vault.id, vault.type, vault.name, vault.resource_group, run_id="r1",
                          protected_items=(replace(vault.protected_items[0], source_resource_id=vm_id),))
    other = InventoryItem(f"{SUB}/resourceGroups/a-rg/providers/Microsoft.Network/networkSecurityGroups/n",
                          "Microsoft.Network/networkSecurityGroups", "n", "a-rg", run_id="r1")
    inventory = Inventory((vm, vault, other))

    def warned(*selection: str, **kw: object) -> list[str]:
        plan = plan_deletion(inventory, selection, **kw)  # type: ignore[arg-type]
        return [w for w in plan.warnings if "is backed up in" in w]

    (warning,) = warned(vm_id)
    assert "vm0" in warning and "b-rsv" in warning and "stay (and are billed)" in warning
    assert warned(other.id) == []  # the VM stays
    assert warned(vm_id, vault.id, backup_data={vault.id: False}) == []  # its vault and backup data go too


def test_what_goes_with_a_resource_includes_what_goes_with_that_and_takes_each_ones_run() -> None:
    """A cluster takes its node resource group, and the group its contents: the closure is every level, each
    known item with its own run (``_closure``)."""
    from azwizard.cleanup.model import Cascade
    from azwizard.cleanup.order import _closure

    cluster_id = f"{SUB}/resourceGroups/a-rg/providers/Microsoft.ContainerService/managedClusters/c"
    node_group = f"{SUB}/resourceGroups/MC_a-rg_c_norwayeast"
    lb = f"{node_group}/providers/Microsoft.Network/loadBalancers/kubernetes"
    items = {key(i.id): i for i in (
        InventoryItem(cluster_id, "Microsoft.ContainerService/managedClusters", "c", "a-rg", run_id="r1",
                      cascade=(Cascade(node_group, "Microsoft.Resources/resourceGroups", "node group"),)),
        InventoryItem(node_group, "Microsoft.Resources/resourceGroups", "MC_a-rg_c_norwayeast",
                      "MC_a-rg_c_norwayeast", run_id="r1",
                      cascade=(Cascade(lb, "Microsoft.Network/loadBalancers", "in the group"),)),
    )}
    closure = _closure(items, items[key(cluster_id)])
    assert set(closure) == {key(node_group), key(lb)}
    assert closure[key(node_group)].run_id == "r1" and closure[key(lb)].run_id is None  # the LB: not an item
