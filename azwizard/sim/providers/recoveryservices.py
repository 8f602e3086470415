"""Microsoft.RecoveryServices: Recovery Services vaults (create, read, update, list, delete) and the rule
that a vault holding backup items cannot be deleted. Azure Backup inside the vault (policies, protected
items) is in ``recoveryservices_backup.py``, registered from here.

Shapes follow api-version 2026-11-01 (the SDK default) and the REST spec examples
``specification/recoveryservices/resource-manager/Microsoft.RecoveryServices/RecoveryServices/stable/2025-08-01/
examples/{PUTVault,GETVault}.json``: ``sku`` is echoed as sent, soft delete is on for 14 days by default,
storage redundancy defaults to GeoRedundant.

The LRO protocol is as the az CLI recordings show it (Azure/azure-cli
``src/azure-cli/azure/cli/command_modules/backup/tests/latest/recordings/test_backup_vault.yaml``,
``test_backup_protection.yaml``, api-version 2023-04-01): a create answers 201 ``provisioningState:
Provisioning`` with an ``Azure-AsyncOperation`` header pointing at ``{vault}/operationStatus/{id}``; a PATCH
answers 202 with no body and both ``Azure-AsyncOperation`` and ``Location`` (``{vault}/operationResults/{id}``);
a DELETE answers 200 with no body before api-version 2024-04-01 and, from 2024-04-01 (the version whose spec
samples call ``beginDeleteAndWait``, Azure/azure-rest-api-specs-examples ``.../stable/2024-04-01/examples-js/
DeleteVault.js``), 202 with ``Location`` (the SDK's Vaults_Delete accepts only 202/204).

Contract for the resource-group delete (``providers/resources.py``, owned by the lead): ARM deletes a group's
resources one by one, and a vault that still holds backup items refuses, which makes the group delete fail.
``vault_blocks_delete(sim, vault_id)`` returns that refusal (or None); ``group_deletion_blocked(...)``
builds the error the group-delete operation then fails with.
"""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .. import ids
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import recoveryservices_backup as backup
from . import recoveryservices_config, recoveryservices_jobs  # noqa: F401  (registers their routes)
from .api_shapes import older_than, strip_newer
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


# First api-version of each VaultProperties key the simulator stores (bicep-types-az
# generated/recoveryservices/microsoft.recoveryservices/<version>/types.md; absent from the 2023-04-01
# recordings, present in 2024-04-01).
_PROPS_SINCE = {"bcdrSecurityLevel": "2024-04-01"}
# Keys Azure leaves out of the 201 Provisioning answer of a create (recorded, see the module docstring):
# they appear once the vault is provisioned.
_NOT_YET_PROVISIONED = ("redundancySettings", "securitySettings", "backupStorageVersion", "bcdrSecurityLevel")
# The list answers carry a reduced VaultProperties (recorded ``backup vault list``, both scopes).
_LIST_PROPS = ("provisioningState", "publicNetworkAccess", "restoreSettings", "upgradeDetails")


def _view(body: dict[str, Any], req: ArmRequest | None = None) -> dict[str, Any]:
    out = copy.deepcopy({k: v for k, v in body.items() if not k.startswith("_")})
    return strip_newer(req, out, props=_PROPS_SINCE)


def _list_view(body: dict[str, Any], req: ArmRequest) -> dict[str, Any]:
    out = _view(body, req)
    out["properties"] = {k: v for k, v in out["properties"].items() if k in _LIST_PROPS}
    return out


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
    props.setdefault("restoreSettings", {"crossSubscriptionRestoreSettings": {"crossSubscriptionRestoreState":
                                                                               "Enabled"}})
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
    cross = ((requested.get("restoreSettings") or {}).get("crossSubscriptionRestoreSettings") or {})
    mine_cross = props["restoreSettings"]["crossSubscriptionRestoreSettings"]
    # "PermanentlyDisabled" is one-way (https://learn.microsoft.com/azure/backup/backup-azure-cross-subscription-restore)
    if cross.get("crossSubscriptionRestoreState") in ("Enabled", "Disabled", "PermanentlyDisabled") and \
            mine_cross["crossSubscriptionRestoreState"] != "PermanentlyDisabled":
        mine_cross["crossSubscriptionRestoreState"] = cross["crossSubscriptionRestoreState"]
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
        "backupStorageVersion": "V2",
        "restoreSettings": {"crossSubscriptionRestoreSettings": {"crossSubscriptionRestoreState": "Enabled"}},
    }


def _check_sku(sku: Any) -> None:
    name = sku.get("name") if isinstance(sku, dict) else None
    if name is not None and str(name) not in ("Standard", "RS0"):
        # [inferred] an unknown SkuName enum value fails deserialization.
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: 'Error converting value "
                       f"\"{name}\" to type 'SkuName'. Path 'sku.name'.'.")


def _op_urls(req: ArmRequest, vid: str, opid: str) -> tuple[str, str]:
    q = urlencode({"api-version": req.api_version or ""})
    return f"{req.base}{vid}/operationStatus/{opid}?{q}", f"{req.base}{vid}/operationResults/{opid}?{q}"


def _start(sim: ArmSim, req: ArmRequest, vault: dict[str, Any], kind: str,
           done: Any = None) -> Any:
    return sim.start_operation(req, namespace=NS, location=vault["location"], resource_id=vault["id"], kind=kind,
                               seconds=sim.latency.put(RTYPE), on_success=done)


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
    sku = body.get("sku")
    vault["sku"] = dict(sku) if isinstance(sku, dict) and sku.get("name") else \
        vault.get("sku") or {"name": "RS0", "tier": "Standard"}
    if "tags" in body:
        vault["tags"] = body.get("tags") or {}
    identity = _identity(sim, body.get("identity"), (existing or {}).get("identity"))
    if identity is not None:
        vault["identity"] = identity
    if existing is not None:
        sim.save(vault["id"], vault)
        return ArmResponse(200, _view(vault, req))
    vault["properties"]["provisioningState"] = "Provisioning"
    sim.save(vault["id"], vault)
    backup.create_default_policies(sim, vault["id"])

    def done() -> None:
        cur = sim.peek(rid)
        if cur is not None:
            cur["properties"]["provisioningState"] = "Succeeded"
            sim.save(rid, cur)

    op = _start(sim, req, vault, "put", done)
    answer = _view(vault, req)
    for key in _NOT_YET_PROVISIONED:
        answer["properties"].pop(key, None)
    status_url, _ = _op_urls(req, vault["id"], op.id)
    return ArmResponse(201, answer, {"Azure-AsyncOperation": status_url})


@route("GET", VAULT)
def get_vault(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = ids.resource_id(sim.subscription_id, rg, NS, "vaults", name)
    sim.touch_resource_ops(rid)
    return ArmResponse(200, _view(sim.require(rid), req))


@route("PATCH", VAULT)
def patch_vault(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    """202, no body, ``Azure-AsyncOperation`` + ``Location`` (recorded). The change is applied on acceptance:
    Azure does the work whether or not anyone polls."""
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
    op = _start(sim, req, vault, "put")
    status_url, result_url = _op_urls(req, vault["id"], op.id)
    return ArmResponse(202, None, {"Azure-AsyncOperation": status_url, "Location": result_url})


@route("GET", VAULT + "/operationStatus/{opid}")
def vault_operation_status(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, opid: str) -> ArmResponse:
    """Recorded body: ``{"id": "{vault}/operationStatus/{id}", "name": "{id}", "status": ...}``."""
    vid = ids.resource_id(sim.subscription_id, rg, NS, "vaults", name)
    op = sim.poll(opid)
    body: dict[str, Any] = {"id": f"{vid}/operationStatus/{opid}", "name": opid, "status": op.status}
    if op.status == "Failed" and op.error is not None:
        body["error"] = op.error
    return ArmResponse(200, body)


@route("GET", VAULT + "/operationResults/{opid}")
def vault_operation_result(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, opid: str) -> ArmResponse:
    op = sim.poll(opid)
    if not op.done:
        return ArmResponse(202, None, {"Location": req.url, "Retry-After": "10"})
    if op.status == "Failed" and op.error is not None:
        raise ArmError(op.error_status, op.error["code"], op.error["message"])
    vault = sim.peek(ids.resource_id(sim.subscription_id, rg, NS, "vaults", name))
    return ArmResponse(200, _view(vault, req)) if vault is not None else ArmResponse(204)


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

    if older_than(req, "2024-04-01"):
        done()
        return ArmResponse(200)  # recorded: 200, no body, no polling header
    # Vaults_Delete (2024-04-01 on) accepts 202 (Location) or 204.
    return sim.accept_delete(req, canonical, namespace=NS, location=vault["location"], rtype=RTYPE, on_done=done,
                             async_header=False)


@route("GET", RG + "/providers/Microsoft.RecoveryServices/vaults")
def list_vaults_in_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    group = sim.require_group(rg)
    items = [_list_view(b, req) for b in sim.of_type(RTYPE, group=group["id"])]
    items.sort(key=lambda b: b["name"].lower())
    return sim.paged(req, items)


@route("GET", SUB + "/providers/Microsoft.RecoveryServices/vaults")
def list_vaults(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    items = [_list_view(b, req) for b in sim.of_type(RTYPE)]
    items.sort(key=lambda b: b["id"].lower())
    return sim.paged(req, items)
