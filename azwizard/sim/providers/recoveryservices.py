"""Microsoft.RecoveryServices: Recovery Services vaults (create, read, update, list, delete) and the rule
that a vault holding backup items cannot be deleted. Azure Backup inside the vault (policies, protected
items) is in ``recoveryservices_backup.py``, registered from here.

Shapes follow api-version 2026-11-01 (the SDK default) and the REST spec examples
``specification/recoveryservices/resource-manager/Microsoft.RecoveryServices/RecoveryServices/stable/2025-08-01/
examples/{PUTVault,GETVault}.json``: ``sku`` comes back as ``{"name": "RS0", "tier": "Standard"}``, soft delete
is on for 14 days by default, storage redundancy defaults to GeoRedundant. The recorded az CLI create
(``src/azure-cli/azure/cli/command_modules/backup/tests/latest/recordings/test_backup_vault.yaml``) answers
201 with ``provisioningState: Succeeded`` and no polling header: vault creation is synchronous.

Contract for the resource-group delete (``providers/resources.py``, owned by the lead): ARM deletes a group's
resources one by one, and a vault that still holds backup items refuses, which makes the group delete fail.
``vault_blocks_delete(sim, vault_id)`` returns that refusal (or None); ``group_deletion_blocked(...)``
builds the error the group-delete operation then fails with.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from .. import ids
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import recoveryservices_backup as backup
from .authorization import reject_snake_case
from .resources import check_location, validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim

NS = "Microsoft.RecoveryServices"
RTYPE = "Microsoft.RecoveryServices/vaults"
SUB = "/subscriptions/{sub}"
RG = SUB + "/resourceGroups/{rg}"
VAULT = RG + "/providers/Microsoft.RecoveryServices/vaults/{name}"

_REDUNDANCY = ("GeoRedundant", "LocallyRedundant", "ZoneRedundant")


def _etag() -> str:
    from ..core import utcnow

    return f"W/\"datetime'{utcnow().replace(':', '%3A')}'\""


def _view(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if not k.startswith("_")}


def _identity(sim: ArmSim, identity: Any, existing: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(identity, dict) or not identity.get("type") or identity["type"] == "None":
        return None
    out = dict(identity)
    if "systemassigned" in str(out["type"]).lower().replace(",", "").replace(" ", ""):
        old = existing or {}
        out["principalId"] = old.get("principalId") or str(uuid.uuid4())
        out["tenantId"] = sim.tenant_id
    return out


def _merge_properties(current: dict[str, Any], requested: dict[str, Any]) -> dict[str, Any]:
    """Apply the settable vault properties a client sends (the rest are service-owned)."""
    props = current
    if "publicNetworkAccess" in requested:
        props["publicNetworkAccess"] = requested["publicNetworkAccess"]
    red = requested.get("redundancySettings") or {}
    if red.get("standardTierStorageRedundancy") in _REDUNDANCY:
        props["redundancySettings"]["standardTierStorageRedundancy"] = red["standardTierStorageRedundancy"]
    if red.get("crossRegionRestore") in ("Enabled", "Disabled"):
        props["redundancySettings"]["crossRegionRestore"] = red["crossRegionRestore"]
    sec = requested.get("securitySettings") or {}
    soft = sec.get("softDeleteSettings") or {}
    mine = props["securitySettings"]["softDeleteSettings"]
    for key in ("softDeleteState", "softDeleteRetentionPeriodInDays", "enhancedSecurityState"):
        if soft.get(key) is not None:
            mine[key] = soft[key]
    if sec.get("immutabilitySettings") is not None:
        props["securitySettings"]["immutabilitySettings"] = sec["immutabilitySettings"]
    if requested.get("monitoringSettings") is not None:
        props["monitoringSettings"] = requested["monitoringSettings"]
    return props


def _new_properties() -> dict[str, Any]:
    return {
        "provisioningState": "Succeeded",
        "privateEndpointStateForBackup": "None",
        "privateEndpointStateForSiteRecovery": "None",
        "publicNetworkAccess": "Enabled",
        "redundancySettings": {"standardTierStorageRedundancy": "GeoRedundant", "crossRegionRestore": "Disabled"},
        "securitySettings": {
            "softDeleteSettings": {"softDeleteState": "Enabled", "softDeleteRetentionPeriodInDays": 14,
                                   "enhancedSecurityState": "Enabled"},
            "multiUserAuthorization": "Disabled",
        },
        "monitoringSettings": {
            "azureMonitorAlertSettings": {"alertsForAllJobFailures": "Enabled"},
            "classicAlertSettings": {"alertsForCriticalOperations": "Disabled"},
        },
        "secureScore": "None",
        "bcdrSecurityLevel": "Poor",
    }


def _check_sku(sku: Any) -> None:
    name = sku.get("name") if isinstance(sku, dict) else None
    if name is not None and str(name) not in ("Standard", "RS0"):
        # [inferred] an unknown SkuName enum value fails deserialization.
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: 'Error converting value "
                       f"\"{name}\" to type 'SkuName'. Path 'sku.name'.'.")


@route("PUT", VAULT)
def put_vault(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    group = sim.require_group(rg)
    sim.require_registered(NS)
    body = req.json() or {}
    props = body.get("properties") or {}
    reject_snake_case(req, props, "VaultProperties")
    location = check_location(sim, body.get("location"), what=f"resource type '{RTYPE}'")
    validate_tags(body.get("tags"))
    _check_sku(body.get("sku"))
    rid = ids.resource_id(sim.subscription_id, group["name"], NS, "vaults", name)
    existing = sim.peek(rid)
    if existing is not None:
        sim.check_locks(existing["id"], "write")
        if existing["location"] != location:
            raise ArmError(400, "InvalidResourceLocation",
                           f"The resource '{existing['name']}' already exists in location '{existing['location']}' "
                           f"in resource group '{group['name']}'. A resource with the same name cannot be created in "
                           f"location '{location}'. Please select a new resource name.")
        vault = existing
        vault["properties"] = _merge_properties(vault["properties"], props)
    else:
        vault = {"location": location, "name": name, "id": rid, "type": RTYPE,
                 "properties": _merge_properties(_new_properties(), props)}
    vault["etag"] = _etag()
    vault["sku"] = {"name": "RS0", "tier": "Standard"}
    if "tags" in body or existing is None:
        vault["tags"] = body.get("tags") or {}
    identity = _identity(sim, body.get("identity"), (existing or {}).get("identity"))
    if identity is not None:
        vault["identity"] = identity
    sim.save(vault["id"], vault)
    if existing is None:
        backup.create_default_policies(sim, vault["id"])
    return ArmResponse(201 if existing is None else 200, _view(vault))


@route("GET", VAULT)
def get_vault(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = ids.resource_id(sim.subscription_id, rg, NS, "vaults", name)
    sim.touch_resource_ops(rid)
    return ArmResponse(200, _view(sim.require(rid)))


@route("PATCH", VAULT)
def patch_vault(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = ids.resource_id(sim.subscription_id, rg, NS, "vaults", name)
    vault = sim.require(rid)
    sim.check_locks(vault["id"], "write")
    update = req.json() or {}
    props = update.get("properties") or {}
    reject_snake_case(req, props, "VaultProperties")
    if "tags" in update:
        validate_tags(update["tags"])
        vault["tags"] = update["tags"] or {}
    vault["properties"] = _merge_properties(vault["properties"], props)
    identity = _identity(sim, update.get("identity"), vault.get("identity"))
    if identity is not None:
        vault["identity"] = identity
    vault["etag"] = _etag()
    sim.save(rid, vault)
    return ArmResponse(200, _view(vault))


def vault_blocks_delete(sim: ArmSim, vault_id: str) -> ArmError | None:
    """The refusal Azure gives when deleting a vault that still holds backup items, or None.

    https://learn.microsoft.com/azure/backup/backup-azure-delete-vault lists both messages. Active items:
    code ``BMSUserErrorVaultDeletionNotAllowed`` (the docs' troubleshooting page of that name; also quoted in
    public IaC teardown notes), message as in the docs with the containers appended (as
    Azure/azure-powershell#9291 shows: "... before proceeding for deletion : baseline-vm1").
    Soft-deleted items only: ``ServiceResourceNotEmptyWithBackendMessage`` with the text a Terraform destroy
    printed verbatim ("Recovery Services vault cannot be deleted as there are backup items still present in
    soft delete state. ...").
    """
    items = backup.vault_items(sim, vault_id)
    active = [it for it in items if not backup.is_soft_deleted(it)]
    if active:
        names = ", ".join(sorted({it["properties"]["friendlyName"] for it in active}))
        return ArmError(
            400,
            "BMSUserErrorVaultDeletionNotAllowed",
            "Vault cannot be deleted as there are existing resources within the vault. Please ensure there are no "
            "backup items, protected servers or backup management servers associated with this vault. Unregister "
            f"the following containers associated with this vault before proceeding for deletion : {names}",
        )
    if items:
        return ArmError(
            400,
            "ServiceResourceNotEmptyWithBackendMessage",
            "Recovery Services vault cannot be deleted as there are backup items still present in soft delete "
            "state. Visit the following link for the steps to permanently delete soft deleted items: "
            "https://aka.ms/undeletesoftdeleteditems.",
        )
    return None


def group_deletion_blocked(sim: ArmSim, group_name: str, blocked: list[tuple[str, ArmError]]) -> ArmError:
    """The error a resource-group delete operation fails with when some resources refused to go.

    Shape from a recorded ARM answer (Go SDK log quoted in a public issue): 409 ``ResourceGroupDeletionBlocked``
    "Deletion of resource group '<rg>' failed as resources with identifiers '<type>/<name>,...' could not be
    deleted. The provisioning state of the resource group will be rolled back. The tracking Id is '<id>'.
    Please check audit logs for more details." with one detail per blocked resource.
    """
    short = []
    for rid, _err in blocked:
        p = ids.parse(rid)
        short.append("/".join((p.namespace or "", *(f"{t}/{n}" for t, n in zip(p.types, p.names, strict=True)))) if p else rid)
    return ArmError(
        409,
        "ResourceGroupDeletionBlocked",
        f"Deletion of resource group '{group_name}' failed as resources with identifiers '{','.join(short)}' could "
        f"not be deleted. The provisioning state of the resource group will be rolled back. The tracking Id is "
        f"'{uuid.uuid4()}'. Please check audit logs for more details.",
        details=[{"code": err.code, "target": rid, "message": err.message} for rid, err in blocked],
    )


@route("DELETE", VAULT)
def delete_vault(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = ids.resource_id(sim.subscription_id, rg, NS, "vaults", name)
    vault = sim.peek(rid)
    if vault is None:
        return ArmResponse(204)
    sim.check_locks(vault["id"], "delete")
    refusal = vault_blocks_delete(sim, vault["id"])
    if refusal is not None:
        raise refusal  # answered on the DELETE itself (Terraform: "unexpected status 400")
    canonical = vault["id"]

    def done() -> None:
        for child in sim.under(canonical):
            sim.remove(child["id"])
        sim.remove(canonical)

    # Vaults_Delete accepts 202 (Location) or 204.
    return sim.accept_delete(req, canonical, namespace=NS, location=vault["location"], rtype=RTYPE, on_done=done,
                             async_header=False)


@route("GET", RG + "/providers/Microsoft.RecoveryServices/vaults")
def list_vaults_in_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    group = sim.require_group(rg)
    items = [_view(b) for b in sim.of_type(RTYPE, group=group["id"])]
    items.sort(key=lambda b: b["name"].lower())
    return sim.paged(req, items)


@route("GET", SUB + "/providers/Microsoft.RecoveryServices/vaults")
def list_vaults(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    items = [_view(b) for b in sim.of_type(RTYPE)]
    items.sort(key=lambda b: b["id"].lower())
    return sim.paged(req, items)
