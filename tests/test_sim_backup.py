"""Microsoft.RecoveryServices vaults and Azure Backup for a VM in the simulator, driven through the real
RecoveryServicesClient (vaults 2026-11-01) and RecoveryServicesBackupClient (2026-10-01)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.recoveryservices.models import Sku, Vault, VaultProperties
from azure.mgmt.recoveryservicesbackup.models import (
    AzureIaaSComputeVMProtectedItem,
    ProtectedItemResource,
    ProtectionPolicyResource,
)

from azwizard.sim.providers.recoveryservices import group_deletion_blocked, vault_blocks_delete

FABRIC = "Azure"


def _vm(sim: Any, rg: str, name: str = "vm1", location: str = "norwayeast", trusted: bool = False) -> str:
    """A VM stored directly (the compute provider is another module): what the backup RP reads from it."""
    vid = f"{sim.group_id(rg)}/providers/Microsoft.Compute/virtualMachines/{name}"
    props: dict[str, Any] = {"provisioningState": "Succeeded", "hardwareProfile": {"vmSize": "Standard_D2s_v5"}}
    if trusted:
        props["securityProfile"] = {"securityType": "TrustedLaunch",
                                    "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}}
    sim.save(vid, {"id": vid, "name": name, "type": "Microsoft.Compute/virtualMachines", "location": location,
                   "properties": props})
    return vid


def _names(rg: str, vm: str) -> tuple[str, str]:
    return f"IaasVMContainer;iaasvmcontainerv2;{rg};{vm}", f"VM;iaasvmcontainerv2;{rg};{vm}"


def _vault(sdk: Any, rg: str, name: str = "wizard-rsv", location: str = "norwayeast") -> Any:
    return sdk.recoveryservices.vaults.begin_create_or_update(
        rg, name, Vault(location=location, sku=Sku(name="Standard"), properties=VaultProperties())).result()


def _protect(sdk: Any, sim: Any, rg: str, vm_id: str, vault: str = "wizard-rsv", policy: str = "DefaultPolicy",
             vm: str = "vm1") -> Any:
    container, item = _names(rg, vm)
    policy_id = f"{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/{vault}/backupPolicies/{policy}"
    return sdk.backup.protected_items.begin_create_or_update(
        vault, rg, FABRIC, container, item,
        ProtectedItemResource(properties=AzureIaaSComputeVMProtectedItem(source_resource_id=vm_id,
                                                                          policy_id=policy_id)),
    ).result()


# Note for readers of these tests: azure-mgmt-recoveryservicesbackup 11.2 resolves only one level of
# polymorphism, so a "Microsoft.Compute/virtualMachines" item (two levels below ProtectedItem) comes back
# as the base ProtectedItem/WorkloadProtectableItem; its VM-only fields are read by wire name
# (props["protectionState"]). The product's service layer has to do the same.


def _headers(pipeline_response: Any, _body: Any, _hdrs: Any) -> Any:
    return pipeline_response.http_response.headers


# ---------------------------------------------------------------- vaults


def test_vault_create_shape_and_default_policies(sdk: Any, sim: Any, rg: str) -> None:
    v = _vault(sdk, rg)
    assert v.type == "Microsoft.RecoveryServices/vaults" and v.location == "norwayeast"
    assert v.sku.name == "Standard" and v.sku.tier is None  # echoed as sent (recorded az CLI create)
    assert v.properties.provisioning_state == "Succeeded"
    soft = v.properties.security_settings.soft_delete_settings
    assert soft.soft_delete_state == "Enabled" and soft.soft_delete_retention_period_in_days == 14
    assert v.properties.redundancy_settings.standard_tier_storage_redundancy == "GeoRedundant"
    assert v.etag.startswith('W/"datetime')
    put = sim.requests_to("PUT", "/vaults/wizard-rsv")[0]
    assert put.api_version == "2026-11-01"

    policies = {p.name: p for p in sdk.backup.backup_policies.list("wizard-rsv", rg)}
    assert set(policies) == {"DefaultPolicy", "EnhancedPolicy", "HourlyLogBackup"}
    default = sdk.backup.protection_policies.get("wizard-rsv", rg, "DefaultPolicy")
    assert default.properties.backup_management_type == "AzureIaasVM"
    assert default.properties.policy_type == "V1"
    assert default.properties.schedule_policy.schedule_policy_type == "SimpleSchedulePolicy"
    enhanced = sdk.backup.protection_policies.get("wizard-rsv", rg, "EnhancedPolicy")
    assert enhanced.properties.policy_type == "V2"
    assert enhanced.properties.schedule_policy.schedule_policy_type == "SimpleSchedulePolicyV2"
    iaas = list(sdk.backup.backup_policies.list("wizard-rsv", rg, filter="backupManagementType eq 'AzureIaasVM'"))
    assert {p.name for p in iaas} == {"DefaultPolicy", "EnhancedPolicy"}


def test_vault_get_list_update(sdk: Any, rg: str) -> None:
    _vault(sdk, rg)
    sdk.resources.resource_groups.create_or_update("other-rg", {"location": "westeurope"})
    _vault(sdk, "other-rg", "other-rsv", location="westeurope")
    assert sdk.recoveryservices.vaults.get(rg, "wizard-rsv").name == "wizard-rsv"
    assert [v.name for v in sdk.recoveryservices.vaults.list_by_resource_group(rg)] == ["wizard-rsv"]
    assert {v.name for v in sdk.recoveryservices.vaults.list_by_subscription_id()} == {"wizard-rsv", "other-rsv"}
    updated = sdk.recoveryservices.vaults.begin_update(rg, "wizard-rsv", {"tags": {"env": "demo"}}).result()
    assert updated.tags == {"env": "demo"}
    with pytest.raises(HttpResponseError) as e:
        sdk.recoveryservices.vaults.get(rg, "nope")
    assert e.value.status_code == 404 and e.value.error.code == "ResourceNotFound"


def test_vault_soft_delete_settings_are_settable(sdk: Any, rg: str) -> None:
    v = sdk.recoveryservices.vaults.begin_create_or_update(rg, "rsv-nosoft", {
        "location": "norwayeast", "sku": {"name": "Standard"},
        "properties": {"securitySettings": {"softDeleteSettings": {"softDeleteState": "Disabled"}},
                       "redundancySettings": {"standardTierStorageRedundancy": "LocallyRedundant"}},
    }).result()
    assert v.properties.security_settings.soft_delete_settings.soft_delete_state == "Disabled"
    assert v.properties.redundancy_settings.standard_tier_storage_redundancy == "LocallyRedundant"


def test_vault_rejects_snake_case_properties(sdk: Any, rg: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        sdk.recoveryservices.vaults.begin_create_or_update(rg, "rsv", {
            "location": "norwayeast", "sku": {"name": "Standard"}, "properties": {"public_network_access": "Enabled"},
        }).result()
    assert e.value.status_code == 400 and e.value.error.code == "InvalidRequestContent"
    assert "Could not find member 'public_network_access' on object of type 'VaultProperties'" in \
        e.value.error.message


def test_empty_vault_delete_is_an_lro(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    sdk.recoveryservices.vaults.begin_delete(rg, "wizard-rsv").result()
    assert list(sdk.recoveryservices.vaults.list_by_resource_group(rg)) == []
    assert sim.under(f"{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/wizard-rsv") == []
    assert sim.requests_to("DELETE", "/vaults/wizard-rsv")


# ---------------------------------------------------------------- policies


def test_custom_policy_put_and_delete(sdk: Any, rg: str) -> None:
    _vault(sdk, rg)
    default = sdk.backup.protection_policies.get("wizard-rsv", rg, "DefaultPolicy")
    body = copy.deepcopy(default.as_dict())
    body["properties"]["retentionPolicy"]["dailySchedule"]["retentionDuration"]["count"] = 7
    body["properties"]["instantRpRetentionRangeInDays"] = 3
    created = sdk.backup.protection_policies.create_or_update(
        "wizard-rsv", rg, "wizard-daily", ProtectionPolicyResource(body))
    assert created.name == "wizard-daily"
    assert created.properties.policy_type == "V1"
    assert created.properties.instant_rp_retention_range_in_days == 3
    assert created.properties.retention_policy.daily_schedule.retention_duration.count == 7
    assert sdk.backup.protection_policies.get("wizard-rsv", rg, "wizard-daily").properties.protected_items_count == 0
    sdk.backup.protection_policies.begin_delete("wizard-rsv", rg, "wizard-daily").result()
    with pytest.raises(HttpResponseError) as e:
        sdk.backup.protection_policies.get("wizard-rsv", rg, "wizard-daily")
    assert e.value.status_code == 404


def test_policy_in_use_cannot_be_deleted(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    _protect(sdk, sim, rg, _vm(sim, rg))
    assert sdk.backup.protection_policies.get("wizard-rsv", rg, "DefaultPolicy").properties.protected_items_count == 1
    with pytest.raises(HttpResponseError) as e:
        sdk.backup.protection_policies.begin_delete("wizard-rsv", rg, "DefaultPolicy").result()
    assert e.value.error.code == "BMSUserErrorPolicyObjectInUse"


# ---------------------------------------------------------------- protection


def test_discover_then_protect_vm(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    vm_id = _vm(sim, rg)
    _vm(sim, rg, "far-vm", location="westeurope")
    sdk.backup.protection_containers.refresh("wizard-rsv", rg, FABRIC)
    protectable = list(sdk.backup.backup_protectable_items.list(
        "wizard-rsv", rg, filter="backupManagementType eq 'AzureIaasVM'"))
    assert [p.name for p in protectable] == [f"iaasvmcontainerv2;{rg};vm1"]  # only the vault's region
    assert protectable[0].properties["virtualMachineId"] == vm_id

    item = _protect(sdk, sim, rg, vm_id)
    props = item.properties
    assert props.protected_item_type == "Microsoft.Compute/virtualMachines"
    assert props.source_resource_id == vm_id and props["virtualMachineId"] == vm_id
    assert props["friendlyName"] == "vm1" and props.workload_type == "VM"
    assert props["protectionState"] == "IRPending"
    assert props.policy_name == "DefaultPolicy"
    assert props.is_scheduled_for_deferred_delete is False
    assert props.container_name == f"iaasvmcontainerv2;{rg};vm1"

    put = sim.requests_to("PUT", "/protectedItems/")[0]
    assert put.body["properties"]["protectedItemType"] == "Microsoft.Compute/virtualMachines"
    assert sim.requests_to("GET", "/operationsStatus/"), "the SDK followed Azure-AsyncOperation"

    listed = list(sdk.backup.backup_protected_items.list(
        "wizard-rsv", rg, filter="backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'"))
    assert [i.properties["friendlyName"] for i in listed] == ["vm1"]
    assert list(sdk.backup.backup_protectable_items.list("wizard-rsv", rg)) == []  # protected now

    container, name = _names(rg, "vm1")
    got = sdk.backup.protected_items.get("wizard-rsv", rg, FABRIC, container, name)
    assert got.properties.policy_id.endswith("/backupPolicies/DefaultPolicy")


def test_protect_initial_answer_is_202_with_both_headers(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    vm_id = _vm(sim, rg)
    container, name = _names(rg, "vm1")
    poller = sdk.backup.protected_items.begin_create_or_update(
        "wizard-rsv", rg, FABRIC, container, name,
        {"properties": {"protectedItemType": "Microsoft.Compute/virtualMachines", "sourceResourceId": vm_id,
                        "policyId": f"{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/wizard-rsv/"
                                    "backupPolicies/EnhancedPolicy"}},
        polling=False, cls=_headers)
    headers = poller.result()
    assert "/protectedItems/" in headers["Location"] and "/operationResults/" in headers["Location"]
    assert "/operationsStatus/" in headers["Azure-AsyncOperation"]
    opid = headers["Azure-AsyncOperation"].split("/operationsStatus/")[1].split("?")[0]
    status = sdk.backup.protected_item_operation_statuses.get("wizard-rsv", rg, FABRIC, container, name, opid)
    assert status.status in ("InProgress", "Succeeded") and status.name == opid


def test_stop_protection_and_delete_data_soft_deletes_then_undelete(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    vm_id = _vm(sim, rg)
    _protect(sdk, sim, rg, vm_id)
    container, name = _names(rg, "vm1")
    headers = sdk.backup.protected_items.delete("wizard-rsv", rg, FABRIC, container, name, cls=_headers)
    assert "/backupOperationResults/" in headers["Location"]
    assert "/backupOperations/" in headers["Azure-AsyncOperation"]
    opid = headers["Azure-AsyncOperation"].split("/backupOperations/")[1].split("?")[0]
    status = sdk.backup.backup_operation_statuses.get("wizard-rsv", rg, opid)
    assert status.status in ("InProgress", "Succeeded")

    item = sdk.backup.protected_items.get("wizard-rsv", rg, FABRIC, container, name)
    props = item.properties
    assert props.is_scheduled_for_deferred_delete is True
    assert props["protectionState"] == "ProtectionStopped"
    assert props.deferred_delete_time_in_utc is not None
    assert props.deferred_delete_time_remaining.startswith("13.") or props.deferred_delete_time_remaining.startswith(
        "14.")
    listed = list(sdk.backup.backup_protected_items.list("wizard-rsv", rg))
    assert len(listed) == 1 and listed[0].properties.is_scheduled_for_deferred_delete is True

    # Undelete: PUT with isRehydrate (what `az backup protection undelete` sends).
    sdk.backup.protected_items.begin_create_or_update(
        "wizard-rsv", rg, FABRIC, container, name,
        {"properties": {"protectedItemType": "Microsoft.Compute/virtualMachines", "sourceResourceId": vm_id,
                        "isRehydrate": True, "protectionState": "ProtectionStopped"}}).result()
    back = sdk.backup.protected_items.get("wizard-rsv", rg, FABRIC, container, name).properties
    assert back.is_scheduled_for_deferred_delete is False and back["protectionState"] == "ProtectionStopped"


def test_delete_without_soft_delete_removes_the_item(sdk: Any, sim: Any, rg: str) -> None:
    sdk.recoveryservices.vaults.begin_create_or_update(rg, "wizard-rsv", {
        "location": "norwayeast", "sku": {"name": "Standard"},
        "properties": {"securitySettings": {"softDeleteSettings": {"softDeleteState": "Disabled"}}}}).result()
    _protect(sdk, sim, rg, _vm(sim, rg))
    container, name = _names(rg, "vm1")
    sdk.backup.protected_items.delete("wizard-rsv", rg, FABRIC, container, name)
    with pytest.raises(HttpResponseError) as e:
        sdk.backup.protected_items.get("wizard-rsv", rg, FABRIC, container, name)
    assert e.value.status_code == 404 and e.value.error.code == "BMSUserErrorDataSourceObjectNotFound"
    sdk.recoveryservices.vaults.begin_delete(rg, "wizard-rsv").result()  # empty now


def test_protection_rejections(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    far = _vm(sim, rg, "far-vm", location="westeurope")
    with pytest.raises(HttpResponseError) as e:
        _protect(sdk, sim, rg, far, vm="far-vm")
    assert e.value.status_code == 400 and e.value.error.code == "BadRequest"
    assert "same region as the vault" in e.value.error.message

    vm_id = _vm(sim, rg)
    with pytest.raises(HttpResponseError) as e:
        _protect(sdk, sim, rg, vm_id, policy="NoSuchPolicy")
    assert e.value.status_code == 404 and e.value.error.code == "BMSUserErrorPolicyNotExist"
    with pytest.raises(HttpResponseError) as e:
        _protect(sdk, sim, rg, f"{vm_id}-missing")
    assert e.value.error.code == "BadRequest"
    with pytest.raises(HttpResponseError) as e:
        sdk.backup.protected_items.begin_create_or_update(
            "wizard-rsv", rg, FABRIC, "iaasvmcontainer;vm1", "vm1",
            {"properties": {"protectedItemType": "Microsoft.Compute/virtualMachines", "sourceResourceId": vm_id}},
        ).result()
    assert e.value.error.code == "BMSUserErrorInvalidInput"
    with pytest.raises(HttpResponseError) as e:
        container, name = _names(rg, "vm1")
        sdk.backup.protected_items.begin_create_or_update(
            "wizard-rsv", rg, FABRIC, container, name,
            {"properties": {"protectedItemType": "Microsoft.Compute/virtualMachines", "source_resource_id": vm_id}},
        ).result()
    assert e.value.error.code == "InvalidRequestContent"

    _protect(sdk, sim, rg, vm_id)
    _vault(sdk, rg, "second-rsv")
    with pytest.raises(HttpResponseError) as e:
        _protect(sdk, sim, rg, vm_id, vault="second-rsv")
    assert e.value.error.code == "BadRequest" and "already protected" in e.value.error.message


def test_trusted_launch_vm_takes_standard_policy_unless_legacy_rule(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    tl = _vm(sim, rg, "tl-vm", trusted=True)
    assert _protect(sdk, sim, rg, tl, vm="tl-vm").properties.policy_name == "DefaultPolicy"  # allowed since 2025-05

    tl2 = _vm(sim, rg, "tl-vm2", trusted=True)
    sim.extra["backup_tl_requires_enhanced"] = True
    with pytest.raises(HttpResponseError) as e:
        _protect(sdk, sim, rg, tl2, vm="tl-vm2")
    assert e.value.error.code == "BadRequest"
    assert "Trusted Launch Backup is supported using Enhanced policy" in e.value.error.message
    assert _protect(sdk, sim, rg, tl2, vm="tl-vm2", policy="EnhancedPolicy").properties["policyType"] == "V2"


# ---------------------------------------------------------------- vault delete with items


def test_vault_with_protected_item_cannot_be_deleted(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    _protect(sdk, sim, rg, _vm(sim, rg))
    with pytest.raises(HttpResponseError) as e:
        sdk.recoveryservices.vaults.begin_delete(rg, "wizard-rsv").result()
    assert e.value.status_code == 400
    assert e.value.error.code == "BMSUserErrorVaultDeletionNotAllowed"
    assert e.value.error.message.startswith(
        "Vault cannot be deleted as there are existing resources within the vault.")
    assert e.value.error.message.endswith(": vm1")

    container, name = _names(rg, "vm1")
    sdk.backup.protected_items.delete("wizard-rsv", rg, FABRIC, container, name)
    with pytest.raises(HttpResponseError) as e:  # soft-deleted items still block it
        sdk.recoveryservices.vaults.begin_delete(rg, "wizard-rsv").result()
    assert e.value.error.code == "ServiceResourceNotEmptyWithBackendMessage"
    assert "backup items still present in soft delete state" in e.value.error.message
    assert sdk.recoveryservices.vaults.get(rg, "wizard-rsv").properties.provisioning_state == "Succeeded"


def test_soft_deleted_items_expire(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    _protect(sdk, sim, rg, _vm(sim, rg))
    container, name = _names(rg, "vm1")
    sdk.backup.protected_items.delete("wizard-rsv", rg, FABRIC, container, name)
    item_id = (f"{sim.group_id(rg)}/providers/Microsoft.RecoveryServices/vaults/wizard-rsv/backupFabrics/Azure/"
               f"protectionContainers/{container}/protectedItems/{name}")
    sim.peek(item_id)["_purgeAt"] = "2000-01-01T00:00:00Z"  # 14 days later
    assert list(sdk.backup.backup_protected_items.list("wizard-rsv", rg)) == []
    sdk.recoveryservices.vaults.begin_delete(rg, "wizard-rsv").result()


def test_vault_blocks_delete_contract_for_group_delete(sdk: Any, sim: Any, rg: str) -> None:
    v = _vault(sdk, rg)
    assert vault_blocks_delete(sim, v.id) is None
    _protect(sdk, sim, rg, _vm(sim, rg))
    refusal = vault_blocks_delete(sim, v.id)
    assert refusal is not None and refusal.code == "BMSUserErrorVaultDeletionNotAllowed"
    blocked = group_deletion_blocked(sim, rg, [(v.id, refusal)])
    assert blocked.status == 409 and blocked.code == "ResourceGroupDeletionBlocked"
    assert blocked.message.startswith(
        f"Deletion of resource group '{rg}' failed as resources with identifiers "
        "'Microsoft.RecoveryServices/vaults/wizard-rsv' could not be deleted.")
    assert blocked.details == [{"code": "BMSUserErrorVaultDeletionNotAllowed", "target": v.id,
                                "message": refusal.message}]


def test_protected_items_list_pages(sdk: Any, sim: Any, rg: str) -> None:
    _vault(sdk, rg)
    sim.page_size = 2
    for i in range(3):
        _protect(sdk, sim, rg, _vm(sim, rg, f"vm{i}"), vm=f"vm{i}")
    assert sorted(i.properties["friendlyName"] for i in sdk.backup.backup_protected_items.list("wizard-rsv", rg)) == [
        "vm0", "vm1", "vm2"]


def test_group_delete_with_a_protected_vm_is_blocked_and_keeps_the_vault(sdk, sim) -> None:
    """ARM deletes what it can and fails the group delete with ResourceGroupDeletionBlocked."""
    import pytest
    from azure.core.exceptions import HttpResponseError

    rg = "bk-rg"
    sdk.resources.resource_groups.create_or_update(rg, {"location": "norwayeast"})
    sdk.recoveryservices.vaults.begin_create_or_update(
        rg, "v1", {"location": "norwayeast", "sku": {"name": "RS0", "tier": "Standard"}, "properties": {}}).result()
    sdk.network.network_security_groups.begin_create_or_update(rg, "nsg", {"location": "norwayeast"}).result()
    vault_id = f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/v1"
    # a protected item, stored the way the backup provider keeps it
    from azwizard.sim.providers import recoveryservices_backup as backup

    if not hasattr(backup, "vault_items"):
        pytest.skip("backup provider without vault_items")
    vm_id = f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/vm1"
    sim.save(vm_id, {"id": vm_id, "name": "vm1", "type": "Microsoft.Compute/virtualMachines", "location": "norwayeast",
                     "properties": {"provisioningState": "Succeeded"}})
    container = f"IaasVMContainer;iaasvmcontainerv2;{rg};vm1"
    item = f"VM;iaasvmcontainerv2;{rg};vm1"
    sdk.backup.protected_items.begin_create_or_update(
        "v1", rg, "Azure", container, item,
        {"properties": {"protectedItemType": "Microsoft.Compute/virtualMachines", "sourceResourceId": vm_id,
                        "policyId": f"{vault_id}/backupPolicies/DefaultPolicy"}}).result()
    with pytest.raises(HttpResponseError) as exc:
        sdk.resources.resource_groups.begin_delete(rg).result()
    assert exc.value.error.code == "ResourceGroupDeletionBlocked"
    assert sdk.resources.resource_groups.check_existence(rg)
    assert sim.get(vault_id) is not None
    assert sim.get(vm_id) is None  # everything else went
