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


# ------------------------------------------------------------------ plans built from hand-made inventories

def _res(group: str, kind: str, name: str, run: str | None = "r1", **kw: object) -> InventoryItem:
    return InventoryItem(f"{SUB}/resourceGroups/{group}/providers/{kind}/{name}", kind, name, group, run_id=run,
                         **kw)  # type: ignore[arg-type]


def _group(name: str, *contents: InventoryItem, **kw: object) -> InventoryItem:
    from azwizard.cleanup.model import GROUP

    return InventoryItem(f"{SUB}/resourceGroups/{name}", GROUP, name, name, run_id="r1",
                         contents=tuple(c.id for c in contents), **kw)  # type: ignore[arg-type]


VMS, NICS, DISKS = "Microsoft.Compute/virtualMachines", "Microsoft.Network/networkInterfaces", "Microsoft.Compute/disks"
VNETS = "Microsoft.Network/virtualNetworks"


def test_operations_come_in_waves_each_needing_only_earlier_ones_and_an_unknown_id_is_no_operation() -> None:
    import pytest

    from azwizard.cleanup.order import plan_deletion

    nic = _res("a-rg", NICS, "nic")
    vm = _res("a-rg", VMS, "vm", uses=(nic.id,))  # the NIC can go only once the VM is gone
    plan = plan_deletion(Inventory((vm, nic)), {vm.id, nic.id})
    assert [[op.name for op in wave] for wave in plan.waves()] == [["vm"], ["nic"]]
    assert [line.split(" ", 1)[0] for line in plan.describe()] == ["1.", "2."]
    assert DeletionPlan(()).waves() == []  # nothing to delete: no wave at all, not an empty one
    assert plan.op(nic.id.upper()) is plan.ops[1]
    with pytest.raises(KeyError):
        plan.op(f"{SUB}/resourceGroups/a-rg/providers/{NICS}/not-planned")


def test_a_plan_warns_when_the_locks_could_not_be_read_and_only_then() -> None:
    from azwizard.cleanup.order import plan_deletion

    nic = _res("a-rg", NICS, "nic")
    note = "Management locks could not be read"
    assert not [w for w in plan_deletion(Inventory((nic,)), {nic.id}).warnings if note in w]
    unread = plan_deletion(Inventory((nic,), locks_known=False), {nic.id})
    assert [w for w in unread.warnings if note in w] and unread.ops  # a warning, not a blocker


def test_a_part_a_vm_leaves_behind_is_named_only_when_it_exists_and_is_not_selected() -> None:
    from azwizard.cleanup.model import Cascade
    from azwizard.cleanup.order import plan_deletion

    kept, gone, chosen = _res("a-rg", DISKS, "kept"), _res("a-rg", DISKS, "gone", exists=False), _res("a-rg", DISKS, "chosen")
    unknown = f"{SUB}/resourceGroups/a-rg/providers/{DISKS}/unknown"  # not in the inventory at all
    vm = _res("a-rg", VMS, "vm", keeps=tuple(Cascade(d, DISKS, "deleteOption Detach")
                                              for d in (kept.id, gone.id, chosen.id, unknown)))
    plan = plan_deletion(Inventory((vm, kept, gone, chosen)), {vm.id, chosen.id})
    left = [w for w in plan.warnings if "leaves" in w]
    assert len(left) == 1 and "leaves kept behind (deleteOption Detach)" in left[0]


def test_a_group_deleted_once_emptied_keeps_its_own_cost() -> None:
    from azwizard.cleanup.costs import Cost, CostPart
    from azwizard.cleanup.order import plan_deletion

    nic = _res("a-rg", NICS, "nic")
    group = _group("a-rg", nic, cost=Cost((CostPart("something the group itself bills", 0.5),)))
    plan = plan_deletion(Inventory((nic, group), group_contents={"a-rg": (nic.id,)}), {nic.id, group.id})
    assert plan.op(group.id).cost.hourly == 0.5
    assert plan.cost().hourly == 0.5


def test_a_selected_vm_whose_disk_is_in_a_whole_group_deletes_the_disk_and_the_group_waits() -> None:
    """Each resource is deleted by one operation: the VM's (its disk goes with it), and the whole group's
    operation, no longer counting the disk, runs after it."""
    from azwizard.cleanup.model import Cascade
    from azwizard.cleanup.order import plan_deletion

    disk = _res("a-rg", DISKS, "osdisk")
    nic = _res("a-rg", NICS, "nic")
    vm = _res("b-rg", VMS, "vm", cascade=(Cascade(disk.id, DISKS, "deleteOption Delete"),))
    group = _group("a-rg", disk, nic)
    inv = Inventory((vm, disk, nic, group), group_contents={"a-rg": (disk.id, nic.id)})
    plan = plan_deletion(inv, {vm.id}, whole_groups={"a-rg"})
    assert [c.resource_id for c in plan.op(vm.id).with_it] == [disk.id]
    assert [c.resource_id for c in plan.op(group.id).with_it] == [nic.id]
    assert plan.op(group.id).after == (vm.key,)


def test_what_goes_with_a_resource_never_includes_the_resource_itself() -> None:
    from azwizard.cleanup.model import Cascade
    from azwizard.cleanup.order import _closure

    nic = _res("a-rg", NICS, "nic")
    vm = _res("a-rg", VMS, "vm")
    vm = replace(vm, cascade=(Cascade(vm.id.upper(), VMS, "itself, another spelling"), Cascade(nic.id, NICS, "nic")))
    nic = replace(nic, cascade=(Cascade(vm.id, VMS, "back to the VM"),))
    items = {key(i.id): i for i in (vm, nic)}
    assert set(_closure(items, vm)) == {nic.key}


def test_a_resource_that_is_gone_no_longer_holds_on_to_what_it_used() -> None:
    from azwizard.cleanup.order import plan_deletion

    nic = _res("a-rg", NICS, "nic")
    gone_vm = _res("a-rg", VMS, "vm", exists=False, uses=(nic.id,))
    plan = plan_deletion(Inventory((gone_vm, nic)), {nic.id})
    assert [op.name for op in plan.ops] == ["nic"] and not plan.blockers


def test_two_operations_that_each_need_the_other_gone_first_are_both_blocked_each_naming_the_other() -> None:
    from azwizard.cleanup.order import plan_deletion

    uses_vm = _res("a-rg", NICS, "nic")
    used = _res("a-rg", DISKS, "disk")
    vm = _res("b-rg", VMS, "vm", uses=(used.id,))
    uses_vm = replace(uses_vm, uses=(vm.id,))
    group = _group("a-rg", uses_vm, used)
    inv = Inventory((vm, uses_vm, used, group), group_contents={"a-rg": (uses_vm.id, used.id)})
    plan = plan_deletion(inv, {vm.id}, whole_groups={"a-rg"})
    assert not plan.ops
    cycle = {x.resource_id: x.message for x in plan.blockers if x.code == "CircularDependency"}
    assert set(cycle) == {vm.id, group.id}
    assert cycle[vm.id].startswith(f"{vm.label} and {group.label} each need")
    assert cycle[group.id].startswith(f"{group.label} and {vm.label} each need")


def test_a_lock_blocks_once_and_a_lock_below_a_resource_blocks_deleting_it() -> None:
    """Deleting a VNet deletes its subnets: a lock on a subnet stops it (Azure answers ScopeLocked). A lock
    the inventory lists twice is one blocker."""
    from azwizard.cleanup.model import Lock
    from azwizard.cleanup.order import plan_deletion

    vnet = _res("a-rg", VNETS, "vnet")
    lock = Lock(f"{vnet.id}/subnets/s1/providers/Microsoft.Authorization/locks/keep", "keep", "CanNotDelete")
    for locks in ((lock,), (lock, lock)):
        plan = plan_deletion(Inventory((vnet,), locks=locks), {vnet.id})
        assert not plan.ops and [x.code for x in plan.blockers] == ["ScopeLocked"]


def test_a_resource_still_used_by_one_that_stays_is_blocked_even_when_its_group_is_selected() -> None:
    """Selecting a NIC and its group (deleted once emptied) does not make the VM using the NIC go: the NIC is
    blocked as in use, the group as not empty."""
    from azwizard.cleanup.order import plan_deletion

    nic = _res("a-rg", NICS, "nic")
    vm = _res("a-rg", VMS, "vm", uses=(nic.id,))
    group = _group("a-rg", vm, nic)
    plan = plan_deletion(Inventory((vm, nic, group), group_contents={"a-rg": (vm.id, nic.id)}), {nic.id, group.id})
    assert not plan.ops
    assert {x.resource_id: x.code for x in plan.blockers} == {nic.id: "InUse", group.id: "GroupNotEmpty"}


def test_a_part_that_goes_with_a_resource_and_is_used_by_one_that_stays_blocks_it() -> None:
    """The VM's disk (known only as its cascade, not listed itself) is used by another VM that stays."""
    from azwizard.cleanup.model import Cascade
    from azwizard.cleanup.order import plan_deletion

    disk_id = f"{SUB}/resourceGroups/a-rg/providers/{DISKS}/shared"
    vm = _res("a-rg", VMS, "vm", cascade=(Cascade(disk_id, DISKS, "deleteOption Delete"),))
    other = _res("a-rg", VMS, "other", uses=(disk_id,))
    plan = plan_deletion(Inventory((vm, other)), {vm.id})
    assert not plan.ops
    (blocker,) = plan.blockers
    assert blocker.resource_id == vm.id and blocker.code == "InUse"
    assert "shared, which goes with it, is still used by" in blocker.message and other.label in blocker.message


def test_operations_that_need_each_other_first_cannot_be_ordered() -> None:
    import pytest

    from azwizard.cleanup.order import _Draft, _ordered

    a, b = _op(NICS), replace(_op(NICS), resource_id=f"{SUB}/resourceGroups/a-rg/providers/y")
    with pytest.raises(ValueError, match="dependency cycle"):
        _ordered([_Draft(a, {a.key}, needs_gone={b.key}), _Draft(b, {b.key}, needs_gone={a.key})], {})


def test_a_lock_on_a_resource_in_a_group_deleted_once_emptied_blocks_the_resource_and_the_group_waits() -> None:
    """The lock is the NIC's blocker; the group (deleted once emptied) is held back waiting for the NIC, not
    reported locked itself."""
    from azwizard.cleanup.model import Lock
    from azwizard.cleanup.order import plan_deletion

    nic = _res("a-rg", NICS, "nic")
    group = _group("a-rg", nic)
    lock = Lock(f"{nic.id}/providers/Microsoft.Authorization/locks/keep", "keep", "CanNotDelete")
    plan = plan_deletion(Inventory((nic, group), locks=(lock,), group_contents={"a-rg": (nic.id,)}),
                         {nic.id, group.id})
    assert not plan.ops
    assert [(x.resource_id, x.code) for x in plan.blockers] == [(nic.id, "ScopeLocked")]
    assert [(h.resource_id, h.waits_for) for h in plan.held_back] == [(group.id, nic.id)]


def test_only_a_kind_azure_deletes_with_its_parent_is_taken_for_gone_with_it() -> None:
    """A data collection rule association under a cluster goes with the cluster, so the rule it uses can go
    too; a role assignment on a VM is not deleted with the VM, so what it names is still in use."""
    from azwizard.cleanup.order import plan_deletion

    rule = _res("a-rg", "Microsoft.Insights/dataCollectionRules", "dcr")
    cluster = _res("a-rg", "Microsoft.ContainerService/managedClusters", "aks")
    dcra = InventoryItem(f"{cluster.id}/providers/Microsoft.Insights/dataCollectionRuleAssociations/a",
                         "Microsoft.Insights/dataCollectionRuleAssociations", "a", "a-rg", run_id="r1", uses=(rule.id,))
    plan = plan_deletion(Inventory((cluster, rule, dcra)), {cluster.id, rule.id})
    assert [op.name for op in plan.ops] == ["aks", "dcr"] and not plan.blockers
    assert plan.op(rule.id).after == (cluster.key,)  # the association goes with the cluster: the rule waits

    nic = _res("a-rg", NICS, "nic")
    vm = _res("a-rg", VMS, "vm")
    ra = InventoryItem(f"{vm.id}/providers/Microsoft.Authorization/roleAssignments/ra",
                       "Microsoft.Authorization/roleAssignments", "ra", "a-rg", run_id="r1", uses=(nic.id,))
    plan = plan_deletion(Inventory((vm, nic, ra)), {vm.id, nic.id})
    assert [op.name for op in plan.ops] == ["vm"]
    assert [(x.resource_id, x.code) for x in plan.blockers] == [(nic.id, "InUse")]


def test_the_dry_run_text_says_which_operation_is_a_whole_group_and_what_becomes_of_backup_data() -> None:
    from azwizard.cleanup.order import plan_deletion

    nic = _res("a-rg", NICS, "nic")
    other = _res("b-rg", NICS, "other")
    group = _group("b-rg", other)
    vault = _vault("c-rg", "rsv")
    vault = replace(vault, run_id="r1")
    inv = Inventory((nic, other, group, vault), group_contents={"b-rg": (other.id,), "c-rg": (vault.id,)})
    plan = plan_deletion(inv, {nic.id, vault.id}, whole_groups={"b-rg"}, backup_data={vault.id: True})
    lines = plan.describe()
    assert "1. delete Network interface nic" in lines
    assert "1. delete Resource group b-rg whole resource group (one operation)" in lines
    assert "     with it: other — in the group" in lines
    (purge,) = [line for line in lines if "Backup data of vm0" in line]
    assert purge.endswith("(soft delete off: deleted at once, for good (it cannot be undeleted))")
