"""Microsoft.ContainerRegistry: registries (create, read, update, list, delete) and the global name check.

Shapes follow api-version 2025-11-01 (the SDK default): the REST spec examples
``specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/Registry/stable/2025-11-01/
examples/Registry*.json`` and the az CLI recording
``src/azure-cli/azure/cli/command_modules/acr/tests/latest/recordings/test_acr_create_normal.yaml``
(PUT 201 ``Creating`` + ``Azure-AsyncOperation`` to ``.../registries/{name}/operationStatuses/registries-<id>``
answering ``{"status": ...}``; DELETE 200 with an empty body). A PATCH of tags, the admin user or policies answers
200 at once (``test_acr_create_with_managed_registry.yaml``); one that switches anonymous pull answers 201
``Updating`` with ``Azure-AsyncOperation`` (``test_acr_with_anonymous_pull.yaml``, api 2022-02-01-preview).
Credentials and usages are in ``containerregistry_credentials.py``.

Registry names are global (they become ``<name>.azurecr.io``): every registry in the simulator and the few
names in ``TAKEN_ELSEWHERE`` (owned by other tenants) are unavailable. ``sim.extra["acr_taken_names"]``
adds more.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .. import ids
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from .api_shapes import older_than, strip_newer
from .authorization import caller_object_id, reject_snake_case
from .resources import check_location, validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim

NS = "Microsoft.ContainerRegistry"
RTYPE = "Microsoft.ContainerRegistry/registries"
SUB = "/subscriptions/{sub}"
RG = SUB + "/resourceGroups/{rg}"
REG = RG + "/providers/Microsoft.ContainerRegistry/registries/{name}"

# Names other tenants already own, so "globally unique" has teeth in tests and demos.
TAKEN_ELSEWHERE = frozenset({"contoso", "myregistry", "acr12345", "testacr", "azurecr", "registry"})

SKUS = ("Basic", "Standard", "Premium")
_NAME = re.compile(r"^[a-zA-Z0-9]{5,50}$")

# https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftcontainerregistry
# Service message verbatim from microsoft/GitHub-Copilot-for-Azure#867 ("ResourceNameInvalid: Invalid
# resource name: '...'. Resource names may contain alpha numeric characters only and must be between 5 and
# 50 characters.").
_NAME_RULE = "Resource names may contain alpha numeric characters only and must be between 5 and 50 characters."


def name_problem(name: str) -> str | None:
    return None if _NAME.match(name) else _NAME_RULE


def taken_names(sim: ArmSim, *, except_id: str | None = None) -> set[str]:
    names = {n.lower() for n in TAKEN_ELSEWHERE}
    names.update(str(n).lower() for n in sim.extra.get("acr_taken_names", []))
    skip = ids.key(except_id) if except_id else None
    for body in sim.of_type(RTYPE):
        if ids.key(body["id"]) != skip:
            names.add(str(body["name"]).lower())
    return names


def _login_server(name: str) -> str:
    return f"{name.lower()}.azurecr.io"


# First api-version of RegistryProperties the simulator stores
# (https://learn.microsoft.com/azure/templates/microsoft.containerregistry/change-log/registries:
# networkRuleBypassAllowedForTasks in 2025-05-01-preview; roleAssignmentMode in 2025-03-01-preview, per the
# Azure.ResourceManager.ContainerRegistry 1.3.0-beta.3 release notes "package-2025-03-preview").
_PROPS_SINCE = {"networkRuleBypassAllowedForTasks": "2025-05-01", "roleAssignmentMode": "2025-03-01"}
# Properties whose change makes a PATCH a long-running update (recorded for anonymousPullEnabled).
_ASYNC_PATCH = ("anonymousPullEnabled",)


def _view(body: dict[str, Any], req: ArmRequest | None = None) -> dict[str, Any]:
    out = copy.deepcopy({k: v for k, v in body.items() if not k.startswith("_")})
    return strip_newer(req, out, props=_PROPS_SINCE)


def _system_data(sim: ArmSim, req: ArmRequest, created_at: str, now: str, created_by: str) -> dict[str, Any]:
    me = caller_object_id(sim, req)
    return {
        "createdBy": created_by,
        "createdByType": "Application",
        "createdAt": created_at,
        "lastModifiedBy": me,
        "lastModifiedByType": "Application",
        "lastModifiedAt": now,
    }


def _check_sku(sku: Any) -> str:
    name = sku.get("name") if isinstance(sku, dict) else None
    if name is None or str(name).lower() == "classic":
        # Verbatim: hashicorp/terraform-provider-azurerm#17248 (no sku) and Azure/bicep#4577 (Classic).
        raise ArmError(
            400,
            "ClassicSkuDeprecated",
            "Classic SKU is now deprecated. Please select a managed SKU. Kindly refer to docs for instructions: "
            "https://docs.microsoft.com/en-us/azure/container-registry/container-registry-upgrade",
        )
    canonical = next((s for s in SKUS if s.lower() == str(name).lower()), None)
    if canonical is None:
        # [inferred] an unknown enum value fails Newtonsoft deserialization of the SkuName enum.
        raise ArmError(
            400,
            "InvalidRequestContent",
            f"The request content was invalid and could not be deserialized: 'Error converting value \"{name}\" "
            "to type 'Microsoft.Azure.ContainerRegistry.ResourceProvider.Models.SkuName'. Path 'sku.name'.'.",
        )
    return canonical


def _policies(now: str) -> dict[str, Any]:
    return {
        "quarantinePolicy": {"status": "disabled"},
        "trustPolicy": {"type": "Notary", "status": "disabled"},
        "retentionPolicy": {"days": 7, "lastUpdatedTime": now, "status": "disabled"},
        "exportPolicy": {"status": "enabled"},
        "azureADAuthenticationAsArmPolicy": {"status": "enabled"},
        "softDeletePolicy": {"retentionDays": 7, "lastUpdatedTime": now, "status": "disabled"},
    }


def _new_registry(sim: ArmSim, req: ArmRequest, rid: str, name: str, body: dict[str, Any], location: str,
                  sku: str) -> dict[str, Any]:
    from ..core import utcnow

    now = utcnow()
    props = body.get("properties") or {}
    registry: dict[str, Any] = {
        "sku": {"name": sku, "tier": sku},
        "type": RTYPE,
        "id": rid,
        "name": name,
        "location": location,
        "tags": body.get("tags") or {},
        "systemData": _system_data(sim, req, now, now, caller_object_id(sim, req)),
        "properties": {
            "loginServer": _login_server(name),
            "creationDate": now,
            "provisioningState": "Creating",
            "adminUserEnabled": bool(props.get("adminUserEnabled", False)),
            "networkRuleSet": {"defaultAction": "Allow", "ipRules": []},
            "policies": _policies(now),
            "encryption": {"status": "disabled"},
            "dataEndpointEnabled": bool(props.get("dataEndpointEnabled", False)),
            "dataEndpointHostNames": [],
            "privateEndpointConnections": [],
            "publicNetworkAccess": props.get("publicNetworkAccess", "Enabled"),
            "networkRuleBypassOptions": props.get("networkRuleBypassOptions", "AzureServices"),
            "networkRuleBypassAllowedForTasks": False,
            "zoneRedundancy": props.get("zoneRedundancy", "Disabled"),
            "anonymousPullEnabled": bool(props.get("anonymousPullEnabled", False)),
            "roleAssignmentMode": props.get("roleAssignmentMode", "LegacyRegistryPermissions"),
        },
    }
    if body.get("identity"):
        registry["identity"] = _identity(sim, body["identity"])
    return registry


def _identity(sim: ArmSim, identity: Any) -> dict[str, Any]:
    out = dict(identity) if isinstance(identity, dict) else {}
    if "systemassigned" in str(out.get("type", "")).lower().replace(" ", ""):
        out.setdefault("principalId", str(uuid.uuid4()))
        out.setdefault("tenantId", sim.tenant_id)
    return out


def _status_url(req: ArmRequest, rid: str, opid: str, api_version: str | None) -> str:
    q = urlencode({"api-version": api_version or ""})
    return f"{req.base}{rid}/operationStatuses/registries-{opid}?{q}"


@route("PUT", REG)
def put_registry(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    group = sim.require_group(rg)
    problem = name_problem(name)
    if problem is not None:
        raise ArmError(400, "ResourceNameInvalid", f"Invalid resource name: '{name}'. {problem}")
    body = req.json() or {}
    reject_snake_case(req, body.get("properties"), "RegistryProperties")
    location = check_location(sim, body.get("location"), what=f"resource type '{RTYPE}'")
    validate_tags(body.get("tags"))
    sku = _check_sku(body.get("sku"))
    rid = ids.resource_id(sim.subscription_id, group["name"], NS, "registries", name)
    existing = sim.peek(rid)
    if existing is None and name.lower() in taken_names(sim):
        # Verbatim: MicrosoftDocs/azure-dev-docs#1303 ("(AlreadyInUse) The registry DNS name
        # webappacr123.azurecr.io is already in use. You can check ..."). [inferred] status 409.
        raise ArmError(
            409,
            "AlreadyInUse",
            f"The registry DNS name {_login_server(name)} is already in use. You can check if the name is already "
            "claimed using following API: https://docs.microsoft.com/en-us/rest/api/containerregistry/registries/"
            "checknameavailability",
        )
    if existing is not None:
        sim.check_locks(existing["id"], "write")
        if existing["location"] != location:
            raise ArmError(400, "InvalidResourceLocation",
                           f"The resource '{existing['name']}' already exists in location '{existing['location']}' "
                           f"in resource group '{group['name']}'. A resource with the same name cannot be created in "
                           f"location '{location}'. Please select a new resource name.")
        new = _new_registry(sim, req, existing["id"], existing["name"], body, location, sku)
        new["properties"]["creationDate"] = existing["properties"]["creationDate"]
        new["systemData"]["createdAt"] = existing["systemData"]["createdAt"]
        new["systemData"]["createdBy"] = existing["systemData"]["createdBy"]
    else:
        new = _new_registry(sim, req, rid, name, body, location, sku)
    resp = sim.accept_put(req, new["id"], new, created=existing is None, namespace=NS, location=location,
                          rtype=RTYPE)
    op = sim.active_operation(new["id"])
    if op is not None:  # ACR points Azure-AsyncOperation at the registry itself, not at a location
        resp.headers["Azure-AsyncOperation"] = _status_url(req, new["id"], op.id, req.api_version)
    resp.body = _view(resp.body, req)
    return resp


@route("GET", REG + "/operationStatuses/{opid}")
def registry_operation_status(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, opid: str) -> ArmResponse:
    op = sim.poll(opid.removeprefix("registries-"))
    body: dict[str, Any] = {"status": op.status}
    if op.status == "Failed" and op.error is not None:
        body["error"] = op.error
    return ArmResponse(200, body)


@route("GET", REG)
def get_registry(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = ids.resource_id(sim.subscription_id, rg, NS, "registries", name)
    sim.touch_resource_ops(rid)
    return ArmResponse(200, _view(sim.require(rid), req))


@route("PATCH", REG)
def patch_registry(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = ids.resource_id(sim.subscription_id, rg, NS, "registries", name)
    body = sim.require(rid)
    sim.check_locks(body["id"], "write")
    update = req.json() or {}
    reject_snake_case(req, update.get("properties"), "RegistryPropertiesUpdateParameters")
    if "tags" in update:
        validate_tags(update["tags"])
        body["tags"] = update["tags"] or {}
    if update.get("sku") is not None:
        sku = _check_sku(update["sku"])
        body["sku"] = {"name": sku, "tier": sku}
    props = update.get("properties") or {}
    slow = any(key in props and props[key] != body["properties"].get(key) for key in _ASYNC_PATCH)
    for key in ("adminUserEnabled", "publicNetworkAccess", "networkRuleBypassOptions", "anonymousPullEnabled",
                "dataEndpointEnabled", "roleAssignmentMode"):
        if key in props:
            body["properties"][key] = props[key]
    from ..core import utcnow

    now = utcnow()
    if isinstance(props.get("policies"), dict):
        _merge_policies(body["properties"]["policies"], props["policies"], now)
    if update.get("identity") is not None:
        body["identity"] = _identity(sim, update["identity"])
    body["systemData"]["lastModifiedAt"] = now
    if slow:
        resp = sim.accept_put(req, rid, body, created=False, namespace=NS, location=body["location"], rtype=RTYPE)
        op = sim.active_operation(rid)
        if op is not None:
            resp.headers["Azure-AsyncOperation"] = _status_url(req, rid, op.id, req.api_version)
        resp.status = 201  # recorded: 201 Updating, like the create
        resp.body = _view(resp.body, req)
        return resp
    sim.save(rid, body)
    return ArmResponse(200, _view(body, req))


def _merge_policies(current: dict[str, Any], requested: dict[str, Any], now: str) -> None:
    """Apply the policies a PATCH sends; retention and soft-delete policies restamp ``lastUpdatedTime``
    (recorded ``az acr config retention update``)."""
    for name, value in requested.items():
        if not isinstance(value, dict) or name not in current:
            continue
        current[name].update({k: v for k, v in value.items() if k != "lastUpdatedTime"})
        if "lastUpdatedTime" in current[name]:
            current[name]["lastUpdatedTime"] = now


@route("DELETE", REG)
def delete_registry(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = ids.resource_id(sim.subscription_id, rg, NS, "registries", name)
    body = sim.peek(rid)
    if body is None:
        return ArmResponse(204)
    sim.check_locks(body["id"], "delete")
    # The recorded az CLI delete (test_acr_create_normal.yaml) answers 200 with an empty body: done at once.
    for child in sim.under(body["id"]):
        sim.remove(child["id"])
    sim.remove(body["id"])
    return ArmResponse(200)


@route("GET", RG + "/providers/Microsoft.ContainerRegistry/registries")
def list_registries_in_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    group = sim.require_group(rg)
    items = [_view(b, req) for b in sim.of_type(RTYPE, group=group["id"])]
    items.sort(key=lambda b: b["name"].lower())
    return sim.paged(req, items)


@route("GET", SUB + "/providers/Microsoft.ContainerRegistry/registries")
def list_registries(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    items = [_view(b, req) for b in sim.of_type(RTYPE)]
    items.sort(key=lambda b: b["id"].lower())
    return sim.paged(req, items)


@route("POST", SUB + "/providers/Microsoft.ContainerRegistry/checkNameAvailability")
def check_name_availability(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    body = req.json() or {}
    name = str(body.get("name") or "")
    rtype = str(body.get("type") or RTYPE)
    if rtype.lower() != RTYPE.lower():
        raise ArmError(400, "InvalidResourceType",
                       f"The resource type '{rtype}' is not supported. Supported type: '{RTYPE}'.")
    problem = name_problem(name)
    if problem is not None:
        # [inferred] reason "Invalid" is the spec's enum value; message text is the service's name rule.
        return ArmResponse(200, {"nameAvailable": False, "reason": "Invalid", "message": problem})
    if name.lower() in taken_names(sim):
        # Verbatim: spec example RegistryCheckNameNotAvailable.json (2025-11-01).
        return ArmResponse(200, {"nameAvailable": False, "reason": "AlreadyExists",
                                 "message": f"The registry {name} is already in use."})
    # The recorded answer at 2022-02-01-preview (acr test_check_name_availability.yaml) is {"nameAvailable": true};
    # availableLoginServerName belongs to the auto-generated domain name labels of 2025-05-01-preview
    # (autoGeneratedDomainNameLabelScope, change-log/registries) [inferred: first version].
    if older_than(req, "2025-05-01"):
        return ArmResponse(200, {"nameAvailable": True})
    return ArmResponse(200, {"availableLoginServerName": _login_server(name), "nameAvailable": True})
