"""Vault-level Azure Backup settings and read-only views of a Recovery Services vault: the backup
configuration (soft delete), the backup storage configuration (redundancy), resource guard proxies, the
registered protection containers and the per-VM backup status.

REST: https://learn.microsoft.com/azure/backup/use-restapi-update-vault-properties (GET/PATCH
``backupconfig/vaultconfig`` to read and switch soft delete: "Disabling soft-delete is the only way to
guarantee immediate deletion" of a vault that held backups), https://learn.microsoft.com/rest/api/backup/
(backup-resource-storage-configs-non-crr, resource-guard-proxies, backup-protection-containers,
backup-status). Shapes as recorded by the az CLI tests (Azure/azure-cli
``src/azure-cli/azure/cli/command_modules/backup/tests/latest/recordings/test_backup_vault.yaml``,
``test_backup_protection.yaml``, ``test_backup_item.yaml``; api-version 2023-04-01).

The soft-delete and redundancy settings live on the vault (``securitySettings.softDeleteSettings``,
``redundancySettings``), so the vault's own GET and these configs always agree, as they do in Azure.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from .. import ids
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from .recoveryservices_backup import VAULT_TYPE, _parse_filter, require_vault, vault_items

if TYPE_CHECKING:
    from ..core import ArmSim

SUB = "/subscriptions/{sub}"
VAULT = SUB + "/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{vault}"
CONTAINER_TYPE = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers"
_STATES = ("Enabled", "Disabled", "AlwaysON")
_REDUNDANCY = ("GeoRedundant", "LocallyRedundant", "ZoneRedundant", "ReadAccessGeoZoneRedundant")


def _invalid(message: str) -> ArmError:
    # [inferred] code: the backup RP answers invalid input with BMSUserErrorInvalidInput elsewhere.
    return ArmError(400, "BMSUserErrorInvalidInput", message)


# ---------------------------------------------------------------- backupconfig/vaultconfig (soft delete)


def _soft(vault: dict[str, Any]) -> dict[str, Any]:
    sec = vault["properties"].setdefault("securitySettings", {})
    soft: dict[str, Any] = sec.setdefault("softDeleteSettings", {"softDeleteState": "Enabled",
                                                                 "softDeleteRetentionPeriodInDays": 14,
                                                                 "enhancedSecurityState": "Enabled"})
    return soft


def _vault_config(vault: dict[str, Any]) -> dict[str, Any]:
    soft = _soft(vault)
    state = str(soft.get("softDeleteState", "Enabled"))
    return {
        "id": f"{vault['id']}/backupconfig/vaultconfig",
        "name": "vaultconfig",
        "type": "Microsoft.RecoveryServices/vaults/backupconfig",
        "properties": {
            "enhancedSecurityState": soft.get("enhancedSecurityState", "Enabled"),
            "softDeleteFeatureState": state,
            "softDeleteRetentionPeriodInDays": int(soft.get("softDeleteRetentionPeriodInDays", 14)),
            # AlwaysON is irreversible: "Once you enable the always-on state for soft delete, you can't disable
            # it for that vault" (https://learn.microsoft.com/azure/backup/backup-azure-enhanced-soft-delete-tutorial).
            "isSoftDeleteFeatureStateEditable": state != "AlwaysON",
        },
    }


@route("GET", VAULT + "/backupconfig/vaultconfig")
def get_vault_config(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    return ArmResponse(200, _vault_config(require_vault(sim, rg, vault)))


def _update_vault_config(sim: ArmSim, req: ArmRequest, rg: str, vault: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    sim.check_locks(v["id"], "write")
    props = (req.json() or {}).get("properties") or {}
    soft = _soft(v)
    new_state = props.get("softDeleteFeatureState")
    if new_state is not None:
        if new_state not in _STATES:
            raise _invalid(f"The value '{new_state}' is not valid for softDeleteFeatureState.")
        if soft.get("softDeleteState") == "AlwaysON" and new_state != "AlwaysON":
            raise _invalid("Soft delete is in the always-on state for this vault and cannot be changed.")
    days = props.get("softDeleteRetentionPeriodInDays")
    if days is not None and not (isinstance(days, int) and 14 <= days <= 180):
        # Enhanced soft delete: retention "from 14 to 180 days" (backup-azure-enhanced-soft-delete-about).
        raise _invalid("softDeleteRetentionPeriodInDays must be between 14 and 180 days.")
    if new_state is not None:
        soft["softDeleteState"] = new_state
    if days is not None:
        soft["softDeleteRetentionPeriodInDays"] = days
    if props.get("enhancedSecurityState") in ("Enabled", "Disabled"):
        soft["enhancedSecurityState"] = props["enhancedSecurityState"]
    sim.save(v["id"], v)
    return ArmResponse(200, _vault_config(v))


@route("PATCH", VAULT + "/backupconfig/vaultconfig")
def patch_vault_config(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    return _update_vault_config(sim, req, rg, vault)


@route("PUT", VAULT + "/backupconfig/vaultconfig")
def put_vault_config(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    return _update_vault_config(sim, req, rg, vault)


# ---------------------------------------------------------------- backupstorageconfig/vaultstorageconfig


def _storage_config(sim: ArmSim, vault: dict[str, Any]) -> dict[str, Any]:
    red = vault["properties"].setdefault("redundancySettings", {"standardTierStorageRedundancy": "GeoRedundant",
                                                                 "crossRegionRestore": "Disabled"})
    kind = red.get("standardTierStorageRedundancy", "GeoRedundant")
    # "You can modify the storage replication type only before you protect any items" — after that the
    # setting is locked (https://learn.microsoft.com/azure/backup/backup-create-recovery-services-vault).
    locked = any(True for _ in vault_items(sim, vault["id"]))
    return {
        "id": f"{vault['id']}/backupstorageconfig/vaultstorageconfig",
        "name": "vaultstorageconfig",
        "type": "Microsoft.RecoveryServices/vaults/backupstorageconfig",
        "properties": {
            "storageModelType": kind,
            "storageType": kind,
            "dedupState": "Disabled",
            "xcoolState": "Disabled",
            "storageTypeState": "Locked" if locked else "Unlocked",
            "crossRegionRestoreFlag": red.get("crossRegionRestore") == "Enabled",
        },
    }


@route("GET", VAULT + "/backupstorageconfig/vaultstorageconfig")
def get_storage_config(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    return ArmResponse(200, _storage_config(sim, require_vault(sim, rg, vault)))


def _update_storage_config(sim: ArmSim, req: ArmRequest, rg: str, vault: str) -> dict[str, Any]:
    v = require_vault(sim, rg, vault)
    sim.check_locks(v["id"], "write")
    props = (req.json() or {}).get("properties") or {}
    current = _storage_config(sim, v)["properties"]
    kind = props.get("storageModelType") or props.get("storageType")
    red = v["properties"]["redundancySettings"]
    if kind is not None:
        if kind not in _REDUNDANCY:
            raise _invalid(f"The value '{kind}' is not valid for storageModelType.")
        if kind != current["storageModelType"] and current["storageTypeState"] == "Locked":
            raise _invalid("The storage replication type cannot be changed after items have been protected in "
                           "the vault.")
        red["standardTierStorageRedundancy"] = kind
    if isinstance(props.get("crossRegionRestoreFlag"), bool):
        red["crossRegionRestore"] = "Enabled" if props["crossRegionRestoreFlag"] else "Disabled"
    sim.save(v["id"], v)
    return _storage_config(sim, v)


@route("PUT", VAULT + "/backupstorageconfig/vaultstorageconfig")
def put_storage_config(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    return ArmResponse(200, _update_storage_config(sim, req, rg, vault))


@route("PATCH", VAULT + "/backupstorageconfig/vaultstorageconfig")
def patch_storage_config(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    _update_storage_config(sim, req, rg, vault)
    return ArmResponse(204)  # BackupResourceStorageConfigsNonCRR_Patch answers 204 No Content


# ---------------------------------------------------------------- resource guard proxies


@route("GET", VAULT + "/backupResourceGuardProxies")
def list_resource_guard_proxies(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    """No resource guard is ever associated in the simulator (az reads this before every sensitive change)."""
    require_vault(sim, rg, vault)
    return sim.paged(req, [])


@route("GET", VAULT + "/backupResourceGuardProxies/{proxy}")
def get_resource_guard_proxy(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str,
                             proxy: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    raise sim.not_found(f"{v['id']}/backupResourceGuardProxies/{proxy}")


# ---------------------------------------------------------------- protection containers


def _containers(sim: ArmSim, vault: dict[str, Any]) -> list[dict[str, Any]]:
    """One registered IaaS VM container per VM that has a backup item (active or soft-deleted) in the vault."""
    out: dict[str, dict[str, Any]] = {}
    for item in vault_items(sim, vault["id"]):
        p = item["properties"]
        vm_id = p["sourceResourceId"]
        parsed = ids.parse(vm_id)
        vm_rg = parsed.resource_group if parsed else ""
        name = f"IaasVMContainer;{p['containerName']}"
        out[name.lower()] = {
            "id": f"{vault['id']}/backupFabrics/Azure/protectionContainers/{name}",
            "name": name,
            "type": CONTAINER_TYPE,
            "properties": {
                "virtualMachineId": vm_id,
                "virtualMachineVersion": "Compute",
                "resourceGroup": vm_rg,
                "friendlyName": p["friendlyName"],
                "backupManagementType": "AzureIaasVM",
                "registrationStatus": "Registered",
                "healthStatus": "Healthy",
                "containerType": "Microsoft.Compute/virtualMachines",
                "protectableObjectType": "Microsoft.Compute/virtualMachines",
            },
        }
    return sorted(out.values(), key=lambda c: c["name"].lower())


@route("GET", VAULT + "/backupProtectionContainers")
def list_protection_containers(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    flt = _parse_filter(req.query.get("$filter"))
    keys = {"backupmanagementtype": "backupManagementType", "status": "registrationStatus",
            "friendlyname": "friendlyName"}
    items = [c for c in _containers(sim, v)
             if all(str(c["properties"].get(field, "")).lower() == flt[k].lower()
                    for k, field in keys.items() if k in flt)]
    return sim.paged(req, copy.deepcopy(items))


# ---------------------------------------------------------------- backup status of a VM


_VM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/(?P<rg>[^/]+)/providers/Microsoft\.Compute/"
                    r"virtualMachines/(?P<vm>[^/]+)$", re.I)


@route("POST", SUB + "/providers/Microsoft.RecoveryServices/locations/{location}/backupStatus")
def backup_status(sim: ArmSim, req: ArmRequest, sub: str, location: str) -> ArmResponse:
    """BackupStatus_Get: is this VM protected, and by which vault (az ``backup protection check-vm``)."""
    body = req.json() or {}
    rid = str(body.get("resourceId") or "")
    m = _VM_ID.match(rid)
    if m is None:
        raise _invalid("Input provided for the call is invalid. Please check the required inputs.")
    name = f"iaasvmcontainerv2;{m['rg']};{m['vm']}".lower()
    out: dict[str, Any] = {"protectionStatus": "NotProtected", "fabricName": "Azure",
                           "containerName": f"iaasvmcontainer;{name}", "protectedItemName": f"vm;{name}",
                           "protectedItemsCount": 0, "objectType": "BackupStatusResponse"}
    for vault in sim.of_type(VAULT_TYPE):
        for item in vault_items(sim, vault["id"]):
            if ids.key(item["properties"]["sourceResourceId"]) == ids.key(rid):
                out = {"protectionStatus": "Protected", "vaultId": vault["id"], **{k: out[k] for k in (
                    "fabricName", "containerName", "protectedItemName")},
                    "policyName": item["properties"].get("policyName", ""), "protectedItemsCount": 0,
                    "objectType": "BackupStatusResponse"}
    return ArmResponse(200, out)
