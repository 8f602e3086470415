"""Each blocker explained, and nothing forced: no DELETE is ever sent for a blocked resource."""

from __future__ import annotations

from pathlib import Path

from cleanup_helpers import deletes, make_cluster, make_vm_run

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import Deleter, JournalBook, build_inventory, default_selection, plan_deletion
from azwizard.cleanup.model import Inventory, InventoryItem
from azwizard.sim import ArmSim
from azwizard.specs.vm import BackupSpec


def item(inv: Inventory, name: str) -> InventoryItem:
    return next(it for it in inv.items if it.name == name)


def run(factory: ClientFactory, tmp_path: Path, plan, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("confirm", plan.confirmation())  # typed by the user in the screen; here: as if typed
    return Deleter(factory, JournalBook(tmp_path), poll_interval=0.01, retry_delay=0).run(plan, **kw)


def test_a_lock_is_explained_with_where_and_how_to_remove_it(sim: ArmSim, factory: ClientFactory,
                                                             tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    factory.locks().management_locks.create_or_update_at_resource_level(
        "Yolo-RG", "Microsoft.Network", "", "virtualNetworks", "Yolo-VNet", "keep-vnet", {"level": "CanNotDelete"})
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, default_selection(inv))
    vnet = item(inv, "Yolo-VNet")
    [blocker] = plan.blockers
    assert (blocker.resource_id, blocker.code) == (vnet.id, "ScopeLocked")
    assert "CanNotDelete lock 'keep-vnet' on Virtual network 'Yolo-VNet'" in blocker.message
    assert ("az lock delete --name 'keep-vnet' --resource-group 'Yolo-RG' --resource 'Yolo-VNet' "
            "--resource-type Microsoft.Network/virtualNetworks") in blocker.fix
    # what must wait for the VNet (its NSG, then the group) is held back, the rest runs
    assert {h.label for h in plan.held_back} == {"Network security group Yolo-NSG", "Resource group Yolo-RG"}
    assert sorted(op.name for op in plan.ops) == ["Yolo-IPv4", "Yolo-IPv6", "Yolo-VM"]

    result = run(factory, tmp_path, plan)
    assert not deletes(sim, "/virtualNetworks/") and not deletes(sim, "/networkSecurityGroups/")
    assert not [p for p in deletes(sim) if p.lower().endswith("/resourcegroups/yolo-rg")]
    assert sim.get(vnet.id) is not None and sim.locks  # nothing forced, the lock is still there
    assert {rid.rsplit("/", 1)[1] for rid, _ in result.not_deleted} == {"Yolo-VNet"}
    assert {rid.rsplit("/", 1)[1] for rid, _ in result.not_attempted} == {"Yolo-NSG", "Yolo-RG"}


def test_a_group_lock_blocks_the_whole_group(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    factory.locks().management_locks.create_or_update_at_resource_group_level(
        "Yolo-RG", "rg-lock", {"level": "ReadOnly", "notes": "demo"})
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, set(), whole_groups={"Yolo-RG"})
    assert not plan.ops
    [blocker] = plan.blockers
    assert blocker.code == "ScopeLocked" and "on resource group 'Yolo-RG'" in blocker.message
    assert '"demo"' in blocker.message
    assert "az lock delete --name 'rg-lock' --resource-group 'Yolo-RG'" in blocker.fix
    result = run(factory, tmp_path, plan)
    assert not deletes(sim) and not result.ok


def test_a_vault_with_a_protected_item_is_explained_never_forced(sim: ArmSim, factory: ClientFactory,
                                                                tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))  # protects the VM through the backup SDK
    inv = build_inventory(factory, journal_dir=tmp_path)
    vault = item(inv, "Yolo-RSV")
    plan = plan_deletion(inv, {vault.id})
    [blocker] = plan.blockers
    assert (blocker.resource_id, blocker.code) == (vault.id, "VaultHasProtectedItems")
    assert "still protects 1 item(s) (Yolo-VM)" in blocker.message
    assert "BMSUserErrorVaultDeletionNotAllowed" in blocker.message
    assert ("az backup protection disable --resource-group 'Yolo-RG' --vault-name 'Yolo-RSV' --container-name "
            "'IaasVMContainer;iaasvmcontainerv2;Yolo-RG;Yolo-VM' --item-name 'VM;iaasvmcontainerv2;Yolo-RG;Yolo-VM'"
            ) in blocker.fix
    assert "--delete-backup-data true" in blocker.fix and "14 days" in blocker.fix
    # the whole group is blocked for the same reason (Azure: ResourceGroupDeletionBlocked)
    whole = plan_deletion(inv, set(), whole_groups={"Yolo-RG"})
    assert [x.code for x in whole.blockers] == ["VaultHasProtectedItems"] and not whole.ops
    run(factory, tmp_path, plan)
    run(factory, tmp_path, whole, confirm_group_name="Yolo-RG")
    assert not deletes(sim)
    assert sim.get(vault.id) is not None


def test_soft_deleted_backup_items_still_block_the_vault(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    factory.backup().protected_items.delete("Yolo-RSV", "Yolo-RG", "Azure",
                                            "IaasVMContainer;iaasvmcontainerv2;Yolo-RG;Yolo-VM",
                                            "VM;iaasvmcontainerv2;Yolo-RG;Yolo-VM")
    inv = build_inventory(factory, journal_dir=tmp_path)
    vault = item(inv, "Yolo-RSV")
    assert [p.soft_deleted for p in vault.protected_items] == [True]
    assert vault.cost is not None and vault.cost.hourly == 0.0  # no instance fee during soft delete
    [blocker] = plan_deletion(inv, {vault.id}).blockers
    assert blocker.code == "VaultHasSoftDeletedItems" and "14 days" in blocker.message
    assert "az backup protection undelete" in blocker.fix


def test_a_resource_still_used_by_one_not_selected_is_blocked(sim: ArmSim, factory: ClientFactory,
                                                              tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    vnet, nsg, pip = item(inv, "Yolo-VNet"), item(inv, "Yolo-NSG"), item(inv, "Yolo-IPv4")
    plan = plan_deletion(inv, {vnet.id, nsg.id, pip.id})  # the NIC (and its VM) stay
    by_target = {x.resource_id: x for x in plan.blockers}
    assert by_target[vnet.id].code == "InUse"
    assert by_target[vnet.id].message == (
        "Virtual network Yolo-VNet cannot be deleted: it is still used by Network interface Yolo-NIC, which is not "
        "selected; Azure would answer InUseSubnetCannotBeDeleted.")
    assert "Select Network interface Yolo-NIC too" in by_target[vnet.id].fix
    assert "PublicIPAddressCannotBeDeleted" in by_target[pip.id].message
    assert [h.resource_id for h in plan.held_back] == [nsg.id]  # the NSG waits for the VNet
    assert not plan.ops
    run(factory, tmp_path, plan)
    assert not deletes(sim)


def test_a_foreign_nic_in_the_subnet_blocks_the_vnet(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    subnet = f"{sim.group_id('Yolo-RG')}/providers/Microsoft.Network/virtualNetworks/Yolo-VNet/subnets/default"
    factory.network().network_interfaces.begin_create_or_update("Yolo-RG", "their-nic", {
        "location": "norwayeast",
        "properties": {"ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": subnet}}}]}}).result()
    inv = build_inventory(factory, journal_dir=tmp_path)  # their NIC is not shown, but the subnet says it's there
    plan = plan_deletion(inv, default_selection(inv))
    vnet = item(inv, "Yolo-VNet")
    [blocker] = [x for x in plan.blockers if x.resource_id == vnet.id]
    assert blocker.code == "InUse" and "Network interface their-nic" in blocker.message
    run(factory, tmp_path, plan)
    assert not deletes(sim, "/virtualNetworks/") and sim.get(vnet.id) is not None
    assert deletes(sim, "/virtualMachines/Yolo-VM")  # the rest went ahead


def test_the_mc_group_is_refused_and_the_cluster_offered_instead(sim: ArmSim, factory: ClientFactory,
                                                                 tmp_path: Path) -> None:
    make_cluster(factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    mc = item(inv, "MC_aks-rg_aks1_norwayeast")
    for plan in (plan_deletion(inv, {mc.id}), plan_deletion(inv, set(), whole_groups={mc.name})):
        [blocker] = plan.blockers
        assert (blocker.resource_id, blocker.code) == (mc.id, "ManagedNodeResourceGroup")
        assert "node resource group of AKS cluster aks1" in blocker.message
        assert blocker.fix.startswith("Delete the cluster aks1 instead")
        assert not plan.ops
        run(factory, tmp_path, plan)
    assert not deletes(sim)
    assert sim.get(mc.id) is not None


def test_locks_at_every_scope_say_where_they_are_and_how_to_remove_them() -> None:
    from azwizard.cleanup import Lock

    sub = "/subscriptions/5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
    vnet = f"{sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
    marker = "/providers/Microsoft.Authorization/locks/"
    at_sub = Lock(f"{sub}{marker}no-deletes", "no-deletes", "CanNotDelete")
    at_subnet = Lock(f"{vnet}/subnets/default{marker}sn", "sn", "ReadOnly")
    assert at_sub.where == "the subscription 5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
    assert at_sub.remove_command == "az lock delete --name 'no-deletes' --subscription 5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
    assert at_subnet.remove_command == f"az lock delete --ids '{vnet}/subnets/default{marker}sn'"
    assert at_sub.covers(vnet) and at_subnet.covers(vnet)  # above it, and below it (deleting v deletes the subnet)
    assert not at_subnet.covers(f"{sub}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n")

    item = InventoryItem(vnet, "Microsoft.Network/virtualNetworks", "v", "rg")
    inv = Inventory((item,), locks=(at_sub,))
    [blocker] = plan_deletion(inv, {vnet}).blockers
    assert blocker.code == "ScopeLocked" and "on the subscription" in blocker.message
    assert at_sub.remove_command in blocker.fix
