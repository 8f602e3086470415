"""Microsoft.ManagedIdentity/userAssignedIdentities: create (PUT), read, update (PATCH), list, delete.

Shapes follow the REST spec (azure-rest-api-specs ``specification/msi/resource-manager/Microsoft.ManagedIdentity/
stable/2023-01-31/ManagedIdentity.json`` and its examples ``IdentityCreate.json``, ``IdentityGet.json``,
``IdentityDelete.json``): a synchronous PUT answers 201 for a new identity and 200 over an existing one, the body
``{id, name, type, location, tags, properties: {tenantId, principalId, clientId}}``; the principal and client ids
are minted once and kept by later PUTs; DELETE answers 200, or 204 when there is nothing to delete. A missing
identity reads as ARM's 404 ``ResourceNotFound``; a missing group as ``ResourceGroupNotFound``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmRequest, ArmResponse
from . import compute_common as cc
from .resources import validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim

TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"
_SUB = "/subscriptions/{sub}"
_GROUP = _SUB + "/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities"


def _rid(sim: ArmSim, rg: str, name: str) -> str:
    return f"{sim.group_id(cc.group_name(sim, rg))}/providers/{TYPE}/{name}"


def _public(body: dict[str, Any]) -> dict[str, Any]:
    return cc.public(body) or {}


@route("PUT", _GROUP + "/{name}")
def put_identity(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    body = cc.json_body(req)
    location = cc.check_location(sim, body.get("location"), TYPE)
    validate_tags(body.get("tags"))
    rid = _rid(sim, rg, name)
    existing = sim.peek(rid)
    sim.check_locks(existing["id"] if existing else rid, "write")
    cc.check_same_location(existing, location, rg)
    props = (existing or {}).get("properties") or {
        "tenantId": sim.tenant_id, "principalId": str(uuid.uuid4()), "clientId": str(uuid.uuid4())}
    stored: dict[str, Any] = {"id": (existing or {}).get("id", rid), "name": (existing or {}).get("name", name),
                              "type": TYPE, "location": location, "tags": body.get("tags") or {},
                              "properties": dict(props)}
    sim.save(rid, stored)
    return ArmResponse(201 if existing is None else 200, _public(stored))


@route("PATCH", _GROUP + "/{name}")
def patch_identity(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    body = cc.json_body(req)
    stored = sim.require(_rid(sim, rg, name))
    sim.check_locks(stored["id"], "write")
    if "tags" in body:
        validate_tags(body.get("tags"))
        stored["tags"] = body.get("tags") or {}
    sim.save(stored["id"], stored)
    return ArmResponse(200, _public(stored))


@route("GET", _GROUP + "/{name}")
def get_identity(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    return ArmResponse(200, _public(sim.require(_rid(sim, rg, name))))


@route("DELETE", _GROUP + "/{name}")
def delete_identity(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    stored = sim.peek(_rid(sim, rg, name))
    if stored is None:
        return ArmResponse(204)
    sim.check_locks(stored["id"], "delete")
    sim.remove(stored["id"])
    return ArmResponse(200)


@route("GET", _GROUP)
def list_group_identities(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    group = sim.require_group(rg)
    items = [_public(b) for b in sim.of_type(TYPE, group=group["id"])]
    return sim.paged(req, sorted(items, key=lambda b: str(b["name"]).lower()))


@route("GET", _SUB + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities")
def list_identities(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    items = [_public(b) for b in sim.of_type(TYPE)]
    return sim.paged(req, sorted(items, key=lambda b: str(b["id"]).lower()))
