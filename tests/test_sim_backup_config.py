"""Recovery Services vault LRO shapes and the vault-level backup routes (soft delete config, storage config,
jobs, protection containers, resource guard proxies, backup status), driven through the real SDK clients.

The recorded answers these tests hold the simulator to come from the az CLI test recordings
(Azure/azure-cli src/azure-cli/azure/cli/command_modules/backup/tests/latest/recordings/test_backup_vault.yaml,
test_backup_protection.yaml, test_backup_item.yaml; api-version 2023-04-01)."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest
from azure.mgmt.recoveryservices import RecoveryServicesClient
from azure.mgmt.recoveryservicesbackup.models import (
    AzureIaaSComputeVMProtectedItem,
    BackupResourceVaultConfig,
    BackupResourceVaultConfigResource,
    BackupStatusRequest,
    ProtectedItemResource,
)

from azwizard.sim import SIM_BASE_URL

FABRIC = "Azure"
VAULT = "wizard-rsv"


def _headers(pipeline_response: Any, _body: Any, _hdrs: Any) -> Any:
    return pipeline_response


def _vm(sim: Any, rg: str, name: str = "vm1") -> str:
    vid = f"{sim.group_id(rg)}/providers/Microsoft.Compute/virtualMachines/{name}"
    sim.save(vid, {"id": vid, "name": name, "type": "Microsoft.Compute/virtualMachines", "location": "norwayeast",
                   "properties": {"provisioningState": "Succeeded"}})
    return vid


def _names(rg: str, vm: str) -> tuple[str, str]:
    return f"IaasVMContainer;iaasvmcontainerv2;{rg};{vm}", f"VM;iaasvmcontainerv2;{rg};{vm}"


def _vault(sdk: Any, rg: str) -> Any:
    return sdk.recoveryservices.vaults.begin_create_or_update(
        rg, VAULT, {"location": "norwayeast", "sku": {"name": "Standard"}, "properties": {}}).result()


def _protect(sdk: Any, sim: Any, rg: str, vm_id: str, vm: str = "vm1") -> None:
    container, item = _names(rg, vm)
    policy_id = f"{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/{VAULT}/backupPolicies/DefaultPolicy"
    sdk.backup.protected_items.begin_create_or_update(
        VAULT, rg, FABRIC, container, item,
        ProtectedItemResource(properties=AzureIaaSComputeVMProtectedItem(source_resource_id=vm_id,
                                                                          policy_id=policy_id))).result()


def _old_client(sdk: Any, sim: Any) -> Any:
    """A vaults client at the api-version the az CLI recordings used."""
    return RecoveryServicesClient(sdk.credential, sim.subscription_id, api_version="2023-04-01", **sdk.kwargs)


# ---------------------------------------------------------------- vault LRO shapes


def test_vault_create_answers_201_provisioning_with_async_operation(sdk: Any, sim: Any, rg: str) -> None:
    poller = sdk.recoveryservices.vaults.begin_create_or_update(
        rg, VAULT, {"location": "norwayeast", "sku": {"name": "Standard"}, "properties": {}},
        polling=False, cls=_headers)
    first = poller.result().http_response
    assert first.status_code == 201
    body = first.json()
    assert body["properties"]["provisioningState"] == "Provisioning"
    # Not yet in the Provisioning answer (recorded); present once provisioned.
    assert "securitySettings" not in body["properties"] and "redundancySettings" not in body["properties"]
    assert "tags" not in body  # none sent, none answered
    status_url = first.headers["Azure-AsyncOperation"]
    assert f"/vaults/{VAULT}/operationStatus/" in status_url
    done = sdk.recoveryservices.vaults.begin_create_or_update(
        rg, VAULT + "2", {"location": "norwayeast", "sku": {"name": "Standard"}, "properties": {}}).result()
    assert done.properties.provisioning_state == "Succeeded"
    assert done.properties.restore_settings.cross_subscription_restore_settings.cross_subscription_restore_state \
        == "Enabled"
    assert done.properties.backup_storage_version in ("V1", "V2", "Unassigned")


def test_vault_patch_answers_202_without_body(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    poller = sdk.recoveryservices.vaults.begin_update(
        rg, VAULT, {"properties": {"monitoringSettings": {"azureMonitorAlertSettings": {
            "alertsForAllJobFailures": "Disabled"}}}}, polling=False, cls=_headers)
    first = poller.result().http_response
    assert first.status_code == 202 and not first.text()
    assert "/operationStatus/" in first.headers["Azure-AsyncOperation"]
    assert "/operationResults/" in first.headers["Location"]
    updated = sdk.recoveryservices.vaults.begin_update(
        rg, VAULT, {"properties": {"monitoringSettings": {"azureMonitorAlertSettings": {
            "alertsForAllJobFailures": "Disabled"}}}}).result()
    assert updated.properties.monitoring_settings.azure_monitor_alert_settings.alerts_for_all_job_failures == \
        "Disabled"


def test_vault_delete_is_200_at_the_recorded_api_version(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    old = _old_client(sdk, sim)
    url = f"{SIM_BASE_URL}{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/{VAULT}" \
          "?api-version=2023-04-01"
    resp = old.send_request(HttpRequest("DELETE", url))
    assert resp.status_code == 200 and "Location" not in resp.headers and "Azure-AsyncOperation" not in resp.headers
    assert sim.of_type("Microsoft.RecoveryServices/vaults") == []


def test_vault_shape_follows_the_api_version(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    url = f"{SIM_BASE_URL}{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/{VAULT}"
    old = _old_client(sdk, sim).send_request(HttpRequest("GET", url + "?api-version=2023-04-01")).json()
    new = sdk.recoveryservices.send_request(HttpRequest("GET", url + "?api-version=2026-11-01")).json()
    assert "bcdrSecurityLevel" not in old["properties"] and "bcdrSecurityLevel" in new["properties"]
    listed = _old_client(sdk, sim).send_request(HttpRequest(
        "GET", f"{SIM_BASE_URL}{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults"
               "?api-version=2023-04-01")).json()["value"][0]
    # Lists carry the reduced VaultProperties (recorded `backup vault list`).
    assert set(listed["properties"]) == {"provisioningState", "publicNetworkAccess", "restoreSettings"}


# ---------------------------------------------------------------- soft delete and storage config


def test_soft_delete_can_be_turned_off_then_the_vault_deleted(sdk: Any, sim: Any, rg: str) -> None:
    """The test_backup_protection flow: switch soft delete off, protect, stop and delete data, delete vault."""
    _vault(sdk, rg)
    cfg = sdk.backup.backup_resource_vault_configs.get(VAULT, rg)
    assert cfg.name == "vaultconfig" and cfg.properties.soft_delete_feature_state == "Enabled"
    assert cfg.properties.is_soft_delete_feature_state_editable is True
    assert list(sdk.backup.resource_guard_proxies.get(VAULT, rg)) == []
    off = sdk.backup.backup_resource_vault_configs.update(VAULT, rg, BackupResourceVaultConfigResource(
        properties=BackupResourceVaultConfig(soft_delete_feature_state="Disabled", enhanced_security_state="Enabled",
                                             soft_delete_retention_period_in_days=14)))
    assert off.properties.soft_delete_feature_state == "Disabled"
    vault = sdk.recoveryservices.vaults.get(rg, VAULT)
    assert vault.properties.security_settings.soft_delete_settings.soft_delete_state == "Disabled"

    vm_id = _vm(sim, rg)
    _protect(sdk, sim, rg, vm_id)
    container, item = _names(rg, "vm1")
    sdk.backup.protected_items.delete(VAULT, rg, FABRIC, container, item)
    with pytest.raises(HttpResponseError):
        sdk.backup.protected_items.get(VAULT, rg, FABRIC, container, item)
    assert list(sdk.backup.backup_protection_containers.list(
        VAULT, rg, filter="backupManagementType eq 'AzureIaasVM' and status eq 'Registered'")) == []
    sdk.recoveryservices.vaults.begin_delete(rg, VAULT).result()
    assert sim.of_type("Microsoft.RecoveryServices/vaults") == []


def test_always_on_soft_delete_cannot_be_disabled(sdk: Any, rg: str) -> None:
    _vault(sdk, rg)
    sdk.backup.backup_resource_vault_configs.update(VAULT, rg, BackupResourceVaultConfigResource(
        properties=BackupResourceVaultConfig(soft_delete_feature_state="AlwaysON")))
    assert sdk.backup.backup_resource_vault_configs.get(VAULT, rg).properties.is_soft_delete_feature_state_editable \
        is False
    with pytest.raises(HttpResponseError) as e:
        sdk.backup.backup_resource_vault_configs.update(VAULT, rg, BackupResourceVaultConfigResource(
            properties=BackupResourceVaultConfig(soft_delete_feature_state="Disabled")))
    assert e.value.status_code == 400


def test_storage_config_sets_the_vault_redundancy_until_items_are_protected(sdk: Any, sim: Any, rg: str) -> None:
    from azure.mgmt.recoveryservicesbackup.models import BackupResourceConfig, BackupResourceConfigResource

    _vault(sdk, rg)
    cfg = sdk.backup.backup_resource_storage_configs_non_crr.get(VAULT, rg)
    assert cfg.properties.storage_model_type == "GeoRedundant" and cfg.properties.storage_type_state == "Unlocked"
    got = sdk.backup.backup_resource_storage_configs_non_crr.update(VAULT, rg, BackupResourceConfigResource(
        properties=BackupResourceConfig(storage_model_type="LocallyRedundant", cross_region_restore_flag=False)))
    assert got.properties.storage_type == "LocallyRedundant"
    vault = sdk.recoveryservices.vaults.get(rg, VAULT)
    assert vault.properties.redundancy_settings.standard_tier_storage_redundancy == "LocallyRedundant"
    _protect(sdk, sim, rg, _vm(sim, rg))
    assert sdk.backup.backup_resource_storage_configs_non_crr.get(VAULT, rg).properties.storage_type_state == \
        "Locked"
    with pytest.raises(HttpResponseError) as e:
        sdk.backup.backup_resource_storage_configs_non_crr.update(VAULT, rg, BackupResourceConfigResource(
            properties=BackupResourceConfig(storage_model_type="GeoRedundant")))
    assert e.value.status_code == 400


# ---------------------------------------------------------------- jobs, containers, backup status


def test_operations_run_as_jobs_that_can_be_read(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    vm_id = _vm(sim, rg)
    container, item = _names(rg, "vm1")
    policy_id = f"{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/{VAULT}/backupPolicies/DefaultPolicy"
    resp = sdk.backup.protected_items.begin_create_or_update(
        VAULT, rg, FABRIC, container, item,
        ProtectedItemResource(properties=AzureIaaSComputeVMProtectedItem(source_resource_id=vm_id,
                                                                          policy_id=policy_id)),
        polling=False, cls=_headers).result().http_response
    opid = resp.headers["Azure-AsyncOperation"].split("/operationsStatus/")[1].split("?")[0]
    while True:
        status = sdk.backup.backup_operation_statuses.get(VAULT, rg, opid)
        if status.status != "InProgress":
            break
    job_id = status.properties.job_id
    job = sdk.backup.job_details.get(VAULT, rg, job_id)
    assert job.name == job_id and job.type == "Microsoft.RecoveryServices/vaults/backupJobs"
    assert job.properties.operation == "ConfigureBackup" and job.properties.status == "Completed"
    assert job.properties.entity_friendly_name == "vm1" and job.properties.end_time is not None
    sdk.backup.protected_items.delete(VAULT, rg, FABRIC, container, item)
    ops = sorted(j.properties.operation for j in sdk.backup.backup_jobs.list(VAULT, rg))
    assert ops == ["ConfigureBackup", "DeleteBackupData"]
    with pytest.raises(HttpResponseError) as e:
        sdk.backup.job_details.get(VAULT, rg, "00000000-0000-0000-0000-000000000000")
    assert e.value.status_code == 404


def test_protection_containers_and_backup_status(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    vm_id = _vm(sim, rg)
    status = sdk.backup.backup_status.get("norwayeast", BackupStatusRequest(resource_type="VM", resource_id=vm_id))
    assert status.protection_status == "NotProtected" and status.vault_id is None
    assert status.container_name == f"iaasvmcontainer;iaasvmcontainerv2;{rg};vm1"
    _protect(sdk, sim, rg, vm_id)
    status = sdk.backup.backup_status.get("norwayeast", BackupStatusRequest(resource_type="VM", resource_id=vm_id))
    assert status.protection_status == "Protected" and status.vault_id.endswith(f"/vaults/{VAULT}")
    assert status.policy_name == "DefaultPolicy"
    found = list(sdk.backup.backup_protection_containers.list(
        VAULT, rg, filter="backupManagementType eq 'AzureIaasVM' and friendlyName eq 'vm1' and status eq 'Registered'"))
    assert [c.name for c in found] == [f"IaasVMContainer;iaasvmcontainerv2;{rg};vm1"]
    assert found[0].properties["registrationStatus"] == "Registered"
    assert list(sdk.backup.backup_protection_containers.list(
        VAULT, rg, filter="backupManagementType eq 'AzureIaasVM' and friendlyName eq 'other'")) == []
