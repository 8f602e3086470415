"""The real az's Recovery Services vault commands against ``azwizard sim serve``: create, the soft-delete
settings through ``backupconfig/vaultconfig``, storage redundancy, containers, and delete (the flow of
Azure/azure-cli's recorded ``test_backup_protection.yaml``, without the VM).

az 2.91 creates every vault with soft delete "AlwaysOn" (``_get_vault_security_settings`` in its backup
``custom.py``: "Passing AlwaysOn as default for soft delete settings"), which cannot be switched off
afterwards; az itself warns "Vault's current Soft Delete State is AlwaysOn. This cannot be modified." and keeps
it. Switching soft delete off on a vault that allows it is covered through the SDK in
tests/test_sim_backup_config.py."""

from __future__ import annotations

from azcli.azcli_helpers import Az

RG = "backup_rg"
LOC = "norwayeast"


def test_vault_soft_delete_always_on_storage_and_delete(az: Az) -> None:
    az.json("group", "create", "--name", RG, "--location", LOC)
    vault = az.json("backup", "vault", "create", "-g", RG, "-n", "wizard-rsv", "--location", LOC)
    assert vault["properties"]["provisioningState"] == "Succeeded"

    # `backup-properties show` answers [storage config, vault config].
    storage, config = az.json("backup", "vault", "backup-properties", "show", "-g", RG, "-n", "wizard-rsv")
    assert storage["properties"]["storageModelType"] == "GeoRedundant"
    assert config["properties"]["softDeleteFeatureState"] == "AlwaysON"
    assert config["properties"]["isSoftDeleteFeatureStateEditable"] is False
    out = az.run("backup", "vault", "backup-properties", "set", "-g", RG, "-n", "wizard-rsv",
                 "--soft-delete-feature-state", "Disable")
    assert "This cannot be modified" in out.stderr
    vid = f"/subscriptions/{az.sim.subscription}/resourceGroups/{RG}/providers/Microsoft.RecoveryServices/vaults/wizard-rsv"
    stored = az.sim.get(vid)
    assert stored is not None
    assert stored["properties"]["securitySettings"]["softDeleteSettings"]["softDeleteState"] == "AlwaysON"

    az.run("backup", "vault", "backup-properties", "set", "-g", RG, "-n", "wizard-rsv",
           "--backup-storage-redundancy", "LocallyRedundant")
    stored = az.sim.get(vid)
    assert stored is not None
    assert stored["properties"]["redundancySettings"]["standardTierStorageRedundancy"] == "LocallyRedundant"

    assert az.json("backup", "container", "list", "-g", RG, "-v", "wizard-rsv",
                   "--backup-management-type", "AzureIaasVM") == []
    az.run("backup", "vault", "delete", "-g", RG, "-n", "wizard-rsv", "--yes")
    assert az.sim.get(vid) is None
