"""Cleanup keeps the Backup step's promise: with the user's word, stop protection and delete the backup data
(soft delete turned off first, or waited out), then delete the vault and its group — through the real
RecoveryServicesBackupClient against the simulator."""

from __future__ import annotations

from pathlib import Path

from cleanup_helpers import deletes, ids_in, make_vm_run

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import Deleter, JournalBook, build_inventory, default_selection, plan_deletion
from azwizard.cleanup.delete import DeletionResult
from azwizard.cleanup.model import PROTECTED_ITEM, Inventory, InventoryItem, key
from azwizard.cleanup.order import DeletionPlan
from azwizard.sim import ArmSim
from azwizard.specs.vm import BackupSpec

CONTAINER = "IaasVMContainer;iaasvmcontainerv2;Yolo-RG;Yolo-VM"
ITEM = "VM;iaasvmcontainerv2;Yolo-RG;Yolo-VM"


def item(inv: Inventory, name: str) -> InventoryItem:
    return next(it for it in inv.items if it.name == name)


def run(factory: ClientFactory, tmp_path: Path, plan: DeletionPlan, **kw: object) -> DeletionResult:
    kw.setdefault("confirm", plan.confirmation())
    return Deleter(factory, JournalBook(tmp_path), poll_interval=0.01, retry_delay=0).run(plan, **kw)  # type: ignore[arg-type]


def backed_up_run(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> Inventory:
    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    return build_inventory(factory, journal_dir=tmp_path)


def requests(sim: ArmSim, method: str, fragment: str) -> list[str]:
    return [r.path for r in sim.requests if r.method == method and fragment.lower() in r.path.lower()]


def test_the_inventory_reads_the_vaults_soft_delete_setting(sim: ArmSim, factory: ClientFactory,
                                                            tmp_path: Path) -> None:
    inv = backed_up_run(sim, factory, tmp_path)
    vault = item(inv, "Yolo-RSV")
    assert vault.soft_delete is not None and (vault.soft_delete.on, vault.soft_delete.days) == (True, 14)
    assert requests(sim, "GET", "/backupconfig/vaultconfig")  # through the backup client's vault config


def test_stopping_protection_with_soft_delete_off_lets_the_vault_and_group_go(sim: ArmSim, factory: ClientFactory,
                                                                              tmp_path: Path) -> None:
    inv = backed_up_run(sim, factory, tmp_path)
    vault = item(inv, "Yolo-RSV")
    plan = plan_deletion(inv, default_selection(inv), backup_data={vault.id: True})
    assert not plan.blockers and not plan.held_back, plan.describe()
    data = plan.op(vault.protected_items[0].id)
    assert data.kind == PROTECTED_ITEM and data.soft_delete_off and "Backup data of Yolo-VM" in data.label
    assert data.key in plan.op(vault.id).after  # the vault waits for its data to go
    assert not any("its backups stay" in w for w in plan.warnings)

    result = run(factory, tmp_path, plan)
    assert result.ok, result.report()
    # soft delete switched off through the vault config, then the data deleted for good, then the vault
    assert requests(sim, "PATCH", "/backupconfig/vaultconfig")
    assert requests(sim, "DELETE", "/protectedItems/" + ITEM)
    order = [p.lower() for p in deletes(sim)]
    vault_at = order.index(key(vault.id))
    assert any(ITEM.lower() in p for p in order[:vault_at])
    assert not ids_in(sim)  # VM set, vault and group: all gone


def test_keeping_soft_delete_deletes_the_data_and_explains_why_the_vault_waits(sim: ArmSim, factory: ClientFactory,
                                                                              tmp_path: Path) -> None:
    inv = backed_up_run(sim, factory, tmp_path)
    vault = item(inv, "Yolo-RSV")
    plan = plan_deletion(inv, {vault.id}, backup_data={vault.id: False})
    [blocker] = plan.blockers
    assert blocker.code == "VaultKeepsSoftDeletedData" and "14 days" in blocker.message
    assert [op.kind for op in plan.ops] == [PROTECTED_ITEM] and not plan.ops[0].soft_delete_off
    result = run(factory, tmp_path, plan)
    assert key(vault.protected_items[0].id) in {key(d) for d in result.deleted}
    assert not requests(sim, "PATCH", "/backupconfig/vaultconfig")  # soft delete left as it was
    body = factory.backup().protected_items.get("Yolo-RSV", "Yolo-RG", "Azure", CONTAINER, ITEM)
    assert body.properties.is_scheduled_for_deferred_delete  # soft-deleted, kept 14 days
    assert sim.get(vault.id) is not None and key(vault.id) not in {p.lower() for p in deletes(sim)}


def test_always_on_soft_delete_cannot_be_turned_off_so_the_vault_waits(sim: ArmSim, factory: ClientFactory,
                                                                      tmp_path: Path) -> None:
    from azure.mgmt.recoveryservicesbackup.models import (
        BackupResourceVaultConfig,
        BackupResourceVaultConfigResource,
    )

    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    factory.backup().backup_resource_vault_configs.update("Yolo-RSV", "Yolo-RG", BackupResourceVaultConfigResource(
        properties=BackupResourceVaultConfig(soft_delete_feature_state="AlwaysON")))
    inv = build_inventory(factory, journal_dir=tmp_path)
    vault = item(inv, "Yolo-RSV")
    assert vault.soft_delete is not None and vault.soft_delete.always_on
    plan = plan_deletion(inv, {vault.id}, backup_data={vault.id: True})
    [blocker] = plan.blockers
    assert blocker.code == "VaultKeepsSoftDeletedData" and "always on" in blocker.message
    assert [op.soft_delete_off for op in plan.ops] == [False]
    patches = len(requests(sim, "PATCH", "/backupconfig/vaultconfig"))
    run(factory, tmp_path, plan)
    assert len(requests(sim, "PATCH", "/backupconfig/vaultconfig")) == patches  # never tried


def test_already_soft_deleted_data_is_undeleted_then_deleted_for_good(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    factory.backup().protected_items.delete("Yolo-RSV", "Yolo-RG", "Azure", CONTAINER, ITEM)  # soft-deleted
    inv = build_inventory(factory, journal_dir=tmp_path)
    vault = item(inv, "Yolo-RSV")
    assert [p.soft_deleted for p in vault.protected_items] == [True]
    assert not plan_deletion(inv, {vault.id}, backup_data={vault.id: False}).ops  # nothing more to do: it waits
    plan = plan_deletion(inv, {vault.id}, backup_data={vault.id: True})
    assert not plan.blockers and [op.kind for op in plan.ops][-1] == "microsoft.recoveryservices/vaults"
    puts = len(requests(sim, "PUT", "/protectedItems/" + ITEM))
    result = run(factory, tmp_path, plan)
    assert result.ok, result.report()
    assert len(requests(sim, "PUT", "/protectedItems/" + ITEM)) == puts + 1  # the undelete (isRehydrate)
    assert sim.get(vault.id) is None


def test_backup_data_stays_when_the_vault_is_blocked_by_something_else(sim: ArmSim, factory: ClientFactory,
                                                                       tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    factory.locks().management_locks.create_or_update_at_resource_level(
        "Yolo-RG", "Microsoft.RecoveryServices", "", "vaults", "Yolo-RSV", "keep", {"level": "CanNotDelete"})
    inv = build_inventory(factory, journal_dir=tmp_path)
    vault = item(inv, "Yolo-RSV")
    plan = plan_deletion(inv, {vault.id}, backup_data={vault.id: True})
    assert [x.code for x in plan.blockers] == ["ScopeLocked"] and not plan.ops
    assert [h.resource_id for h in plan.held_back] == [vault.protected_items[0].id]
    run(factory, tmp_path, plan)
    assert not requests(sim, "DELETE", "/protectedItems/") and not requests(sim, "PATCH", "/vaultconfig")


def test_the_done_screens_group_delete_hint_says_the_vault_blocks_it_and_what_to_do() -> None:
    from types import SimpleNamespace

    from azwizard.screens.vm.done import done_text

    from azwizard.plan.vm import plan_vm
    from azwizard.specs.vm import VmSpec

    key_text = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
    result = SimpleNamespace(outputs={"pip4": {"ipAddress": "20.1.2.3"}, "pip6": {"ipAddress": "2603::1"}},
                             states={"rg": "succeeded", "vm": "succeeded"})  # this run created them
    for backup in (False, True):
        spec = VmSpec.for_base("Yolo", ssh_public_key=key_text, backup=BackupSpec(enabled=backup))
        plan = plan_vm(spec, subscription_id="5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", run_id="r", created_at="t")
        text = done_text(spec, plan, result)  # type: ignore[arg-type]
        assert "az group delete --name Yolo-RG" in text
        assert ("ResourceGroupDeletionBlocked" in text) is backup
        if backup:
            assert "vault Yolo-RSV holds Yolo-VM's backup data" in text
            assert "--soft-delete-feature-state Disable" in text and "--delete-backup-data true" in text
            assert "offers b to stop protection" in text and "14 days" in text
