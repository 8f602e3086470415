"""Microsoft.Resources and friends: subscriptions, tenants, locations, resource providers, resource
groups, the generic resources list, management locks, and the operation-status endpoints that every
provider's long-running operations point at.

Shapes follow the REST API (resources 2025-04-01, subscriptions 2022-12-01, locks 2020-05-01) and
https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import ids
from ..catalog import locations as catalog_locations
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse

if TYPE_CHECKING:
    from ..core import ArmSim

SUB = "/subscriptions/{sub}"
RG = SUB + "/resourceGroups/{rg}"

PROVIDER_TYPES: dict[str, list[str]] = {
    "Microsoft.Resources": ["resourceGroups", "deployments", "tags"],
    "Microsoft.Network": ["virtualNetworks", "publicIPAddresses", "natGateways", "networkSecurityGroups",
                          "networkInterfaces", "locations/usages", "locations/operations"],
    "Microsoft.Compute": ["virtualMachines", "disks", "skus", "locations/usages", "locations/publishers"],
    "Microsoft.ContainerService": ["managedClusters", "locations/kubernetesVersions"],
    "Microsoft.ContainerRegistry": ["registries", "checkNameAvailability"],
    "Microsoft.RecoveryServices": ["vaults"],
    "Microsoft.Authorization": ["roleAssignments", "roleDefinitions", "locks"],
    "Microsoft.OperationsManagement": ["solutions"],
    "Microsoft.Monitor": ["accounts"],  # managed Prometheus (providers/monitor.py)
    "Microsoft.Insights": ["dataCollectionEndpoints", "dataCollectionRules", "dataCollectionRuleAssociations"],
    "Microsoft.AlertsManagement": ["prometheusRuleGroups", "alertRuleRecommendations"],
}


# ---------------------------------------------------------------- operation status (all providers)


@route("GET", SUB + "/providers/{ns}/locations/{loc}/operations/{opid}")
def operation_status(sim: ArmSim, req: ArmRequest, sub: str, ns: str, loc: str, opid: str) -> ArmResponse:
    op = sim.poll(opid)
    headers = {}
    if not op.done and op.namespace == "Microsoft.Network":
        headers["Retry-After"] = "10"
    return ArmResponse(200, sim.operation_status_body(op), headers)


def _location_poll(sim: ArmSim, req: ArmRequest, opid: str) -> ArmResponse:
    op = sim.poll(opid)
    if not op.done:
        return ArmResponse(202, None, {"Location": req.url, "Retry-After": "15" if op.namespace == "Microsoft.Resources" else "10"})
    if op.status == "Failed" and op.error is not None:
        raise ArmError(op.error_status, op.error["code"], op.error["message"])
    if op.result is not None:
        return ArmResponse(200, op.result)
    return ArmResponse(200 if op.namespace == "Microsoft.Resources" else 204, None)


@route("GET", SUB + "/providers/{ns}/locations/{loc}/operationResults/{opid}")
def operation_result(sim: ArmSim, req: ArmRequest, sub: str, ns: str, loc: str, opid: str) -> ArmResponse:
    return _location_poll(sim, req, opid)


@route("GET", SUB + "/operationresults/{opid}")
def group_operation_result(sim: ArmSim, req: ArmRequest, sub: str, opid: str) -> ArmResponse:
    return _location_poll(sim, req, opid)


# ---------------------------------------------------------------- subscriptions, tenants, locations


def subscription_body(sim: ArmSim) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{sim.subscription_id}",
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": sim.subscription_id,
        "tenantId": sim.tenant_id,
        "displayName": sim.subscription_name,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
    }


@route("GET", "/subscriptions")
def list_subscriptions(sim: ArmSim, req: ArmRequest) -> ArmResponse:
    return ArmResponse(200, {"value": [subscription_body(sim)], "count": {"type": "Total", "value": 1}})


@route("GET", SUB)
def get_subscription(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return ArmResponse(200, subscription_body(sim))


@route("GET", "/tenants")
def list_tenants(sim: ArmSim, req: ArmRequest) -> ArmResponse:
    return ArmResponse(200, {"value": [{
        "id": f"/tenants/{sim.tenant_id}",
        "tenantId": sim.tenant_id,
        "tenantCategory": "Home",
        "country": "Norway",
        "countryCode": "NO",
        "displayName": "azwizard simulated tenant",
        "domains": ["azwizardsim.onmicrosoft.com"],
        "defaultDomain": "azwizardsim.onmicrosoft.com",
        "tenantType": "AAD",
    }]})


@route("GET", SUB + "/locations")
def list_locations(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return ArmResponse(200, {"value": catalog_locations.locations_payload(sim.subscription_id)})


# ---------------------------------------------------------------- resource providers


def _provider_body(sim: ArmSim, ns: str) -> dict[str, Any]:
    canonical = next((n for n in PROVIDER_TYPES if n.lower() == ns.lower()), ns)
    regions = [r.display_name for r in catalog_locations.REGIONS.values()]
    return {
        "id": f"/subscriptions/{sim.subscription_id}/providers/{canonical}",
        "namespace": canonical,
        "registrationState": sim.provider_state(canonical),
        "registrationPolicy": "RegistrationRequired",
        "resourceTypes": [
            {"resourceType": t, "locations": regions, "apiVersions": [], "capabilities": "None"}
            for t in PROVIDER_TYPES.get(canonical, [])
        ],
    }


@route("GET", SUB + "/providers")
def list_providers(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return sim.paged(req, [_provider_body(sim, ns) for ns in PROVIDER_TYPES])


@route("GET", SUB + "/providers/{ns}")
def get_provider(sim: ArmSim, req: ArmRequest, sub: str, ns: str) -> ArmResponse:
    if not any(n.lower() == ns.lower() for n in PROVIDER_TYPES):
        raise ArmError(404, "InvalidResourceNamespace", f"The resource namespace '{ns}' is invalid.")
    return ArmResponse(200, _provider_body(sim, ns))


@route("POST", SUB + "/providers/{ns}/register")
def register_provider(sim: ArmSim, req: ArmRequest, sub: str, ns: str) -> ArmResponse:
    if not any(n.lower() == ns.lower() for n in PROVIDER_TYPES):
        raise ArmError(404, "InvalidResourceNamespace", f"The resource namespace '{ns}' is invalid.")
    sim.extra.setdefault("providers", {})[ns.lower()] = "Registered"
    return ArmResponse(200, _provider_body(sim, ns))


# ---------------------------------------------------------------- resource groups

_RG_NAME = re.compile(r"^[-\w._()]{1,90}$")


def validate_group_name(rg: str) -> None:
    """https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources"""
    if not _RG_NAME.match(rg) or rg.endswith("."):
        bad = "".join(sorted({c for c in rg if not re.match(r"[-\w._()]", c)}))
        if len(rg) > 90:
            msg = f"Resource group name '{rg}' is invalid. It can be at most 90 characters long."
        elif rg.endswith("."):
            msg = f"The provided resource group name '{rg}' cannot end with a period."
        else:
            msg = (f"The provided resource group name '{rg}' has these invalid characters: '{bad}'. "
                   "The name can only be a letter, digit, '-', '.', '(', ')' or '_'.")
        raise ArmError(400, "InvalidResourceGroup", msg)


def check_location(sim: ArmSim, location: Any, what: str = "resource group") -> str:
    if not location or not isinstance(location, str):
        raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
    if not catalog_locations.is_known_location(location):
        available = ",".join(catalog_locations.usable_location_names())
        raise ArmError(
            400,
            "LocationNotAvailableForResourceGroup" if what == "resource group" else "LocationNotAvailableForResourceType",
            f"The provided location '{location}' is not available for {what}. "
            f"List of available regions is '{available}'.",
        )
    return catalog_locations.normalize_location(location)


def validate_tags(tags: Any) -> None:
    """https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations"""
    if tags is None:
        return
    if not isinstance(tags, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                       "'Error converting value to type 'System.Collections.Generic.Dictionary`2'. Path 'tags'.'")
    if len(tags) > 50:
        raise ArmError(400, "InvalidTemplate", "The number of tags exceeds the limit of 50.")
    for name, value in tags.items():
        if len(name) > 512 or any(c in name for c in "<>%&\\?/"):
            raise ArmError(400, "InvalidTagNameCharacters",
                           f"The tag names '{name}' have reserved characters '<,>,%,&,\\,?,/' or control characters.")
        if value is not None and len(str(value)) > 256:
            raise ArmError(400, "InvalidTagValueLength",
                           f"The tag value '{str(value)[:40]}…' exceeds the maximum length of 256 characters.")


def group_body(sim: ArmSim, rg: str, location: str, tags: Any, managed_by: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": sim.group_id(rg),
        "name": rg,
        "type": "Microsoft.Resources/resourceGroups",
        "location": location,
        "properties": {"provisioningState": "Succeeded"},
    }
    if tags is not None:
        body["tags"] = tags  # `tags: {}` is kept and echoed, as ARM does
    if managed_by:
        body["managedBy"] = managed_by
    return body


def _public_group(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if not k.startswith("_")}


@route("PUT", SUB + "/resourcegroups/{rg}")
def put_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    validate_group_name(rg)
    body = req.json() or {}
    location = check_location(sim, body.get("location"))
    validate_tags(body.get("tags"))
    existing = sim.peek(sim.group_id(rg))
    if existing is not None:
        if existing["properties"].get("provisioningState") == "Deleting":
            raise ArmError(409, "ResourceGroupBeingDeleted",
                           f"The resource group '{existing['name']}' is in deprovisioning state and cannot perform this operation.")
        if existing["location"] != location:
            raise ArmError(409, "InvalidResourceGroupLocation",
                           f"Invalid resource group location '{location}'. The Resource group already exists in "
                           f"location '{existing['location']}'.")
        sim.check_locks(existing["id"], "write")
        new = dict(existing)
        if "tags" in body:
            new["tags"] = body["tags"] or {}
        if body.get("managedBy"):
            new["managedBy"] = body["managedBy"]
        sim.save(existing["id"], new)
        return ArmResponse(200, _public_group(new))
    new = group_body(sim, rg, location, body.get("tags"), body.get("managedBy"))
    sim.save(new["id"], new)
    return ArmResponse(201, _public_group(new))


@route("GET", SUB + "/resourcegroups/{rg}")
def get_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    body = sim.peek(sim.group_id(rg))
    if body is None:
        raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    return ArmResponse(200, _public_group(body))


@route("HEAD", SUB + "/resourcegroups/{rg}")
def head_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    return ArmResponse(204 if sim.peek(sim.group_id(rg)) is not None else 404)


@route("PATCH", SUB + "/resourcegroups/{rg}")
def patch_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    existing = sim.require_group(rg)
    body = req.json() or {}
    validate_tags(body.get("tags"))
    sim.check_locks(existing["id"], "write")
    if "tags" in body:
        existing["tags"] = body["tags"] or {}
    sim.save(existing["id"], existing)
    return ArmResponse(200, _public_group(existing))


@route("DELETE", SUB + "/resourcegroups/{rg}")
def delete_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    gid = sim.group_id(rg)
    body = sim.peek(gid)
    if body is None:
        raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    sim.check_locks(body["id"], "delete")
    canonical = body["id"]

    def done() -> None:
        # ARM deletes what it can; a Recovery Services vault that still holds backup items refuses,
        # and the whole operation then fails with ResourceGroupDeletionBlocked (the group stays).
        from .recoveryservices import group_deletion_blocked, vault_blocks_delete

        blocked = []
        for vault in sim.of_type("Microsoft.RecoveryServices/vaults", group=canonical):
            err = vault_blocks_delete(sim, vault["id"])
            if err is not None:
                blocked.append((vault["id"], err))
        if blocked:
            keep = [ids.key(v) for v, _ in blocked]
            for body in sim.under(canonical):
                k = ids.key(body["id"])
                if not any(k == v or k.startswith(v + "/") for v in keep):
                    sim.remove(body["id"])
            group = sim.peek(canonical)
            if group is not None:
                group["properties"]["provisioningState"] = "Succeeded"
            raise group_deletion_blocked(sim, rg, blocked)
        delete_group_contents(sim, canonical)

    return sim.accept_delete(
        req, canonical, namespace="Microsoft.Resources", location=body["location"],
        rtype="Microsoft.Resources/resourceGroups", on_done=done, async_header=False, retry_after=15,
    )


_EXPORT_READ_ONLY = ("provisioningState", "resourceGuid", "etag")


@route("POST", SUB + "/resourcegroups/{rg}/exportTemplate")
def export_group_template(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    """``{"template": {...}}`` describing the group's top-level resources (200; an empty group gives
    ``resources: []`` as in the azure-cli recording test_resource_group `group export`). REST reference:
    https://learn.microsoft.com/rest/api/resources/resource-groups/export-template. Simplified: names are
    literals (ARM parameterises them), ``apiVersion`` is the one the resource was last written with."""
    group = sim.require_group(rg)
    body = req.json() or {}
    wanted = body.get("resources") if isinstance(body, dict) else None
    if not isinstance(wanted, list) or not wanted:
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: 'Required property "
                       "'resources' not found in JSON.'.")
    every = "*" in wanted
    picked = {ids.key(w) for w in wanted if isinstance(w, str) and w != "*"}
    versions = {ids.key(r.path): r.api_version for r in sim.requests if r.method == "PUT"}
    resources = []
    for res in top_level_resources(sim, group["id"]):
        if not every and ids.key(res["id"]) not in picked:
            continue
        item: dict[str, Any] = {"type": res["type"], "apiVersion": versions.get(ids.key(res["id"])) or "2023-09-01",
                                "name": res["name"]}
        for k in ("location", "tags", "sku", "kind", "zones", "identity"):
            if res.get(k) is not None:
                item[k] = res[k]
        props = res.get("properties")
        if isinstance(props, dict):
            item["properties"] = {k: v for k, v in props.items() if k not in _EXPORT_READ_ONLY}
        resources.append(item)
    return ArmResponse(200, {"template": {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0", "parameters": {}, "variables": {}, "resources": resources}})


def delete_group_contents(sim: ArmSim, gid: str) -> None:
    """Remove a group and all it holds; then any group managed by a resource that went with it (an AKS
    cluster's MC_ node resource group is deleted through its cluster)."""
    removed = [b["id"] for b in sim.under(gid)]
    for rid in removed:
        sim.remove(rid)
    sim.remove(gid)
    for lid in [k for k, lock in sim.locks.items() if ids.key(lock["_scope"]).startswith(ids.key(gid))]:
        sim.locks.pop(lid, None)
    removed_keys = {ids.key(r) for r in removed}
    for other in sim.of_type("Microsoft.Resources/resourceGroups"):
        if other.get("managedBy") and ids.key(other["managedBy"]) in removed_keys:
            delete_group_contents(sim, other["id"])


_FILTER_TERM = re.compile(r"\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*", re.I)


def parse_filter(expr: str | None) -> dict[str, str]:
    """The small OData subset ARM list calls accept: ``a eq 'x' and b eq 'y'``."""
    if not expr:
        return {}
    out: dict[str, str] = {}
    for term in re.split(r"\s+and\s+", expr.strip(), flags=re.I):
        m = _FILTER_TERM.fullmatch(term)
        if not m:
            raise ArmError(400, "InvalidFilterInQueryString",
                           f"Invalid $filter '{expr}' specified in the query string.")
        out[m.group(1).lower()] = m.group(2).replace("''", "'")
    return out


def _tag_match(body: dict[str, Any], flt: dict[str, str]) -> bool:
    if "tagname" not in flt:
        return True
    tags = {k.lower(): v for k, v in (body.get("tags") or {}).items()}
    name = flt["tagname"].lower()
    if name not in tags:
        return False
    return "tagvalue" not in flt or str(tags[name]) == flt["tagvalue"]


@route("GET", SUB + "/resourcegroups")
def list_groups(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    flt = parse_filter(req.query.get("$filter"))
    groups = [_public_group(g) for g in sim.of_type("Microsoft.Resources/resourceGroups") if _tag_match(g, flt)]
    groups.sort(key=lambda g: g["name"].lower())
    top = req.query.get("$top")
    if top:
        groups = groups[: int(top)]
    return sim.paged(req, groups)


# ---------------------------------------------------------------- generic resources list

# systemData too, for the resources whose provider keeps it (ARM returns what the provider last reported: the
# container registries in azure-cli's test_acr_create_with_managed_registry recording, `az resource list`
# at api-version 2022-09-01, each carry it).
_GENERIC_KEYS = ("id", "name", "type", "location", "tags", "sku", "kind", "zones", "identity", "managedBy",
                 "extendedLocation", "plan", "systemData")


def generic_view(sim: ArmSim, body: dict[str, Any], expand: str) -> dict[str, Any]:
    out = {k: body[k] for k in _GENERIC_KEYS if k in body and body[k] is not None}
    exp = {e.strip().lower() for e in expand.split(",") if e.strip()}
    meta = sim.meta.get(ids.key(body["id"]), {})
    if "createdtime" in exp and "createdTime" in meta:
        out["createdTime"] = meta["createdTime"]
    if "changedtime" in exp and "changedTime" in meta:
        out["changedTime"] = meta["changedTime"]
    if "provisioningstate" in exp:
        out["provisioningState"] = (body.get("properties") or {}).get("provisioningState", "Succeeded")
    return out


def top_level_resources(sim: ArmSim, scope: str | None) -> list[dict[str, Any]]:
    """The top-level resources of a group (``scope`` its id) or of the subscription, sorted by id (the
    simulator's index: no scan of the whole store)."""
    return sim.top_level(scope)


def _list_resources(sim: ArmSim, req: ArmRequest, scope: str | None) -> ArmResponse:
    flt = parse_filter(req.query.get("$filter"))
    expand = req.query.get("$expand", "")
    items = []
    for body in top_level_resources(sim, scope):
        if not _tag_match(body, flt):
            continue
        if "resourcetype" in flt and body["type"].lower() != flt["resourcetype"].lower():
            continue
        if "name" in flt and body["name"].lower() != flt["name"].lower():
            continue
        if "location" in flt and str(body.get("location", "")).lower() != flt["location"].lower():
            continue
        items.append(generic_view(sim, body, expand))
    top = req.query.get("$top")
    if top:
        items = items[: int(top)]
    return sim.paged(req, items)


@route("GET", RG + "/resources")
def list_group_resources(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    sim.require_group(rg)
    return _list_resources(sim, req, sim.group_id(rg))


@route("GET", SUB + "/resources")
def list_subscription_resources(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return _list_resources(sim, req, None)


# ---------------------------------------------------------------- management locks (2020-05-01)

_LOCK_LEVELS = ("CanNotDelete", "ReadOnly")
LOCKS = "/providers/Microsoft.Authorization/locks"


def _lock_view(lock: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in lock.items() if not k.startswith("_")}


def _put_lock(sim: ArmSim, req: ArmRequest, scope: str, name: str) -> ArmResponse:
    body = req.json() or {}
    props = body.get("properties") or {}
    level = props.get("level")
    if level not in _LOCK_LEVELS:
        raise ArmError(400, "LockLevelInvalid" if level else "InvalidRequestContent",
                       f"The lock level '{level}' is invalid. Allowed values are 'CanNotDelete' and 'ReadOnly'.")
    lid = f"{scope}{LOCKS}/{name}"
    existed = ids.key(lid) in sim.locks
    lock = {
        "id": lid,
        "name": name,
        "type": "Microsoft.Authorization/locks",
        "properties": {"level": level, **({"notes": props["notes"]} if props.get("notes") else {}),
                       **({"owners": props["owners"]} if props.get("owners") else {})},
        "_scope": scope,
    }
    sim.locks[ids.key(lid)] = lock
    return ArmResponse(200 if existed else 201, _lock_view(lock))


def _get_lock(sim: ArmSim, scope: str, name: str) -> ArmResponse:
    lock = sim.locks.get(ids.key(f"{scope}{LOCKS}/{name}"))
    if lock is None:
        raise ArmError(404, "LockNotFound", f"The lock '{name}' could not be found.")
    return ArmResponse(200, _lock_view(lock))


def _delete_lock(sim: ArmSim, scope: str, name: str) -> ArmResponse:
    existed = sim.locks.pop(ids.key(f"{scope}{LOCKS}/{name}"), None)
    return ArmResponse(200 if existed else 204)


def _list_locks(sim: ArmSim, req: ArmRequest, scope: str, *, exact: bool = False) -> ArmResponse:
    sk = ids.key(scope)
    items = [
        _lock_view(lk) for lk in sim.locks.values()
        if (ids.key(lk["_scope"]) == sk) or (not exact and ids.key(lk["_scope"]).startswith(sk + "/"))
        # ARM also lists locks inherited from above the scope
        or sk.startswith(ids.key(lk["_scope"]) + "/")
    ]
    return sim.paged(req, items)


@route("PUT", RG + LOCKS + "/{name}")
def put_group_lock(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _put_lock(sim, req, sim.require_group(rg)["id"], name)


@route("GET", RG + LOCKS + "/{name}")
def get_group_lock(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _get_lock(sim, sim.group_id(rg), name)


@route("DELETE", RG + LOCKS + "/{name}")
def delete_group_lock(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _delete_lock(sim, sim.group_id(rg), name)


@route("GET", RG + LOCKS)
def list_group_locks(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    sim.require_group(rg)
    return _list_locks(sim, req, sim.group_id(rg))


@route("GET", SUB + LOCKS)
def list_subscription_locks(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return _list_locks(sim, req, f"/subscriptions/{sim.subscription_id}")


_RES = RG + "/providers/{ns}/{rtype}/{rname}"


def _resource_scope(sim: ArmSim, rg: str, ns: str, rtype: str, rname: str) -> str:
    rid = ids.resource_id(sim.subscription_id, rg, ns, rtype, rname)
    body = sim.peek(rid)
    if body is None:
        raise sim.not_found(rid)
    return str(body["id"])


@route("PUT", _RES + LOCKS + "/{name}")
def put_resource_lock(sim: ArmSim, req: ArmRequest, sub: str, rg: str, ns: str, rtype: str, rname: str,
                      name: str) -> ArmResponse:
    return _put_lock(sim, req, _resource_scope(sim, rg, ns, rtype, rname), name)


@route("GET", _RES + LOCKS + "/{name}")
def get_resource_lock(sim: ArmSim, req: ArmRequest, sub: str, rg: str, ns: str, rtype: str, rname: str,
                      name: str) -> ArmResponse:
    return _get_lock(sim, ids.resource_id(sim.subscription_id, rg, ns, rtype, rname), name)


@route("DELETE", _RES + LOCKS + "/{name}")
def delete_resource_lock(sim: ArmSim, req: ArmRequest, sub: str, rg: str, ns: str, rtype: str, rname: str,
                         name: str) -> ArmResponse:
    return _delete_lock(sim, ids.resource_id(sim.subscription_id, rg, ns, rtype, rname), name)


@route("GET", _RES + LOCKS)
def list_resource_locks(sim: ArmSim, req: ArmRequest, sub: str, rg: str, ns: str, rtype: str,
                        rname: str) -> ArmResponse:
    return _list_locks(sim, req, ids.resource_id(sim.subscription_id, rg, ns, rtype, rname))
