"""Microsoft.Authorization: role assignments, role definitions and the caller's permissions, at any
scope (subscription, resource group, resource, child resource such as a subnet).

Wire shapes follow api-version 2022-04-01 (the SDK's default; the az CLI also sends roleDefinitions
2022-05-01-preview, which has the same shape) and the REST spec examples under
``specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01``.

Model of the caller. The simulated caller is an **Owner** of the subscription. ``sim.extra["caller_role"]``
names another built-in role for it (e.g. ``"Contributor"``); role assignments whose principal is the
caller add to that, as in Azure (effective permissions are the union over the caller's assignments at
or above the scope). Role-assignment writes and deletes are checked against those permissions
(403 ``AuthorizationFailed``).

Model of principals. The simulator cannot see the Entra directory (service principals made with Graph or
``az ad sp create-for-rbac`` never pass through ARM), so by default **any** principal id is accepted. A
test opts into strictness with ``sim.extra["strict_principals"] = True``: then only principals the
simulator knows are accepted (the caller, ids listed in ``sim.extra["principals"]``, managed identities:
``identity.principalId`` of any resource, ``properties.principalId`` of user-assigned identities, AKS
``identityProfile.*.objectId``), and others get 400 ``PrincipalNotFound``.

Role assignments live in ``sim.extra["role_assignments"]`` (not in ``sim.resources``): they are extension
resources, which the generic resource list never shows.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import re
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .. import ids
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse

if TYPE_CHECKING:
    from ..core import ArmSim

NS = "Microsoft.Authorization"
RA_TYPE = "Microsoft.Authorization/roleAssignments"
RD_TYPE = "Microsoft.Authorization/roleDefinitions"

# The object id of the simulated caller when the token does not carry one (the in-process SIM_TOKEN).
DEFAULT_CALLER_OBJECT_ID = "3f2b8c1e-6d4a-4e7b-9c0d-5a1e2f3b4c5d"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


# ---------------------------------------------------------------- shared helpers (used by sibling providers)


def reject_snake_case(req: ArmRequest, obj: Any, type_name: str, path: str = "properties") -> None:
    """ARM deserializes bodies with Newtonsoft, which rejects unknown members; a snake_case key (what the SDK
    sends as-is when given a plain dict keyed by Python names) is always unknown. The 400 wraps the
    Newtonsoft message: "Could not find member 'x' on object of type 'T'. Path 'p.x', line 1, position N."
    """
    if not isinstance(obj, dict):
        return
    for key in obj:
        if "_" in key.strip("_") and key == key.lower():
            text = req.body.decode("utf-8", "replace") if isinstance(req.body, bytes) else str(req.body)
            start = text.find(f'"{key}"')
            position = start + len(key) + 3 if start >= 0 else 0  # just past the ':' after the name
            member_path = f"{path}.{key}" if path else key
            raise ArmError(
                400,
                "InvalidRequestContent",
                "The request content was invalid and could not be deserialized: 'Could not find member "
                f"'{key}' on object of type '{type_name}'. Path '{member_path}', line 1, position {position}.'.",
            )


def caller_object_id(sim: ArmSim, req: ArmRequest | None = None) -> str:
    """The object id of whoever sent ``req``: the ``oid`` claim of a JWT issued by the simulator's login
    endpoint, else ``sim.extra["caller_object_id"]``, else a fixed id."""
    if req is not None:
        auth = req.headers.get("authorization", "")
        token = auth.partition(" ")[2]
        parts = token.split(".")
        if len(parts) == 3:
            try:
                claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
                if isinstance(claims, dict) and claims.get("oid"):
                    return str(claims["oid"])
            except ValueError:
                pass
    return str(sim.extra.get("caller_object_id") or DEFAULT_CALLER_OBJECT_ID)


# ---------------------------------------------------------------- built-in role definitions


def _perm(actions: list[str], not_actions: list[str] | None = None) -> list[dict[str, Any]]:
    return [{"actions": actions, "notActions": not_actions or [], "dataActions": [], "notDataActions": []}]


# Real built-in roles (GUIDs, names, descriptions, permissions) as published in
# https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (MicrosoftDocs/azure-docs
# articles/role-based-access-control/built-in-roles/{privileged,general,containers,networking,
# management-and-governance}.md).
BUILTIN_ROLES: dict[str, dict[str, Any]] = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": {
        "roleName": "Owner",
        "description": "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        "permissions": _perm(["*"]),
        "createdOn": "2015-02-02T21:55:09.8806423Z",
    },
    "b24988ac-6180-42a0-ab88-20f7382dd24c": {
        "roleName": "Contributor",
        "description": "Grants full access to manage all resources, but does not allow you to assign roles in Azure "
                       "RBAC, manage assignments in Azure Blueprints, or share image galleries.",
        "permissions": _perm(["*"], [
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write",
            "Microsoft.Purview/consents/delete",
            "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
            "Microsoft.Subscription/cancel/action",
            "Microsoft.Subscription/enable/action",
        ]),
        "createdOn": "2015-02-02T21:55:09.8806423Z",
    },
    "acdd72a7-3385-48ef-bd42-f606fba81ae7": {
        "roleName": "Reader",
        "description": "View all resources, but does not allow you to make any changes.",
        "permissions": _perm(["*/read"]),
        "createdOn": "2015-02-02T21:55:09.8806423Z",
    },
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": {
        "roleName": "User Access Administrator",
        "description": "Lets you manage user access to Azure resources.",
        "permissions": _perm(["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"]),
        "createdOn": "2015-02-02T21:55:09.8806423Z",
    },
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": {
        "roleName": "Role Based Access Control Administrator",
        "description": "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not "
                       "allow you to manage access using other ways, such as Azure Policy.",
        "permissions": _perm(["Microsoft.Authorization/roleAssignments/write",
                              "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"]),
        "createdOn": "2022-09-07T02:29:29.6592395Z",
    },
    "7f951dda-4ed3-4680-a7ca-43fe172d538d": {
        "roleName": "AcrPull",
        "description": "acr pull",
        "permissions": _perm(["Microsoft.ContainerRegistry/registries/pull/read"]),
        "createdOn": "2018-03-13T19:31:54.2473587Z",
    },
    "8311e382-0749-4cb8-b61a-304f252e45ec": {
        "roleName": "AcrPush",
        "description": "acr push",
        "permissions": _perm(["Microsoft.ContainerRegistry/registries/pull/read",
                              "Microsoft.ContainerRegistry/registries/push/write"]),
        "createdOn": "2018-10-29T17:52:32.5201177Z",
    },
    "4d97b98b-1d4f-4787-a291-c67834d212e7": {
        "roleName": "Network Contributor",
        "description": "Lets you manage networks, but not access to them.",
        "permissions": _perm([
            "Microsoft.Authorization/*/read",
            "Microsoft.Insights/alertRules/*",
            "Microsoft.Network/*",
            "Microsoft.ResourceHealth/availabilityStatuses/read",
            "Microsoft.Resources/deployments/*",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Support/*",
        ]),
        "createdOn": "2015-06-02T00:18:27.3542698Z",
    },
    "5e467623-bb1f-42f4-a55d-6e525e11384b": {
        "roleName": "Backup Contributor",
        "description": "Lets you manage backup service, but can't create vaults and give access to others",
        # Abbreviated: the published role lists ~45 Microsoft.RecoveryServices actions; these are the
        # ones a VM backup needs, plus the published read/support entries.
        "permissions": _perm([
            "Microsoft.Authorization/*/read",
            "Microsoft.Network/virtualNetworks/read",
            "Microsoft.RecoveryServices/locations/*",
            "Microsoft.RecoveryServices/Vaults/backupFabrics/operationResults/*",
            "Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/*",
            "Microsoft.RecoveryServices/Vaults/backupFabrics/refreshContainers/action",
            "Microsoft.RecoveryServices/Vaults/backupJobs/*",
            "Microsoft.RecoveryServices/Vaults/backupOperationResults/*",
            "Microsoft.RecoveryServices/Vaults/backupPolicies/*",
            "Microsoft.RecoveryServices/Vaults/backupProtectableItems/*",
            "Microsoft.RecoveryServices/Vaults/backupProtectedItems/*",
            "Microsoft.RecoveryServices/Vaults/read",
            "Microsoft.RecoveryServices/Vaults/backupOperations/read",
            "Microsoft.RecoveryServices/Vaults/backupFabrics/protectableContainers/read",
            "Microsoft.RecoveryServices/locations/backupStatus/action",
            "Microsoft.RecoveryServices/locations/backupPreValidateProtection/action",
            "Microsoft.RecoveryServices/locations/backupValidateFeatures/action",
            "Microsoft.RecoveryServices/operations/read",
            "Microsoft.RecoveryServices/locations/operationStatus/read",
            "Microsoft.Resources/deployments/*",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Support/*",
        ]),
        "createdOn": "2017-05-16T21:49:26.6021367Z",
    },
}


def role_id_by_name(name: str) -> str | None:
    for guid, role in BUILTIN_ROLES.items():
        if role["roleName"].lower() == name.lower():
            return guid
    return None


def _role_definition_body(sim: ArmSim, guid: str, scope: str) -> dict[str, Any]:
    role = BUILTIN_ROLES[guid]
    # ARM answers with the subscription-level id whenever the scope is inside a subscription.
    prefix = f"/subscriptions/{sim.subscription_id}" if scope.lower().startswith("/subscriptions/") else ""
    return {
        "properties": {
            "roleName": role["roleName"],
            "type": "BuiltInRole",
            "description": role["description"],
            "assignableScopes": ["/"],
            "permissions": role["permissions"],
            "createdOn": role["createdOn"],
            "updatedOn": role.get("updatedOn", role["createdOn"]),
            "createdBy": None,
            "updatedBy": None,
        },
        "id": f"{prefix}/providers/{RD_TYPE}/{guid}",
        "type": RD_TYPE,
        "name": guid,
    }


# ---------------------------------------------------------------- scopes

# Every scope shape a role assignment/definition/permission can sit at, most specific last. The router
# matches single segments only, so each depth is registered explicitly (child resources such as subnets
# are depth 2, and a grandchild depth 3 is allowed for good measure).
_SUB = "/subscriptions/{sub}"
_RG = _SUB + "/resourceGroups/{rg}"
_RES1 = _RG + "/providers/{ns}/{rta}/{rna}"
_RES2 = _RES1 + "/{rtb}/{rnb}"
_RES3 = _RES2 + "/{rtc}/{rnc}"
SCOPES_WITH_SUB = (_SUB, _RG, _RES1, _RES2, _RES3)
SCOPES_IN_GROUP = (_RG, _RES1, _RES2, _RES3)

_SUFFIX = re.compile(r"^(?P<scope>.*)/providers/Microsoft\.Authorization/(?P<kind>roleAssignments|roleDefinitions|"
                     r"permissions)(?:/(?P<name>[^/]+))?$", re.I)


def _scope_of(req: ArmRequest) -> tuple[str, str | None]:
    m = _SUFFIX.match(req.path)
    if m is None:  # cannot happen for the routes below
        raise ArmError(404, "NotFound", f"The requested path '{req.path}' was not found.")
    return m["scope"] or "/", m["name"]


def _register(method: str, suffix: str, scopes: Iterable[str], fn: Callable[..., ArmResponse]) -> None:
    for scope in scopes:
        route(method, scope + suffix)(fn)


def resolve_scope(sim: ArmSim, scope: str) -> str:
    """The canonical scope (stored casing) if it exists; raise the ARM not-found error otherwise."""
    if scope in ("", "/"):
        return "/"
    parts = scope.strip("/").split("/")
    if len(parts) == 2:  # /subscriptions/{sub}: the core already checked the id
        return f"/subscriptions/{sim.subscription_id}"
    p = ids.parse(scope)
    if p is None:
        raise ArmError(400, "InvalidScope", f"The scope '{scope}' is not valid.")
    group = sim.require_group(p.resource_group)
    if p.namespace is None:
        return str(group["id"])
    top = str(ids.ResourceId(p.subscription, p.resource_group, p.namespace, p.types[:1], p.names[:1]))
    top_body = sim.peek(top)
    if top_body is None:
        raise sim.not_found(top)
    if len(p.types) == 1:
        return str(top_body["id"])
    body = sim.peek(str(p))
    if body is not None:
        return str(body["id"])
    # Child resources kept inline in the parent (e.g. subnets inside a VNet body).
    if len(p.types) == 2:
        for child in (top_body.get("properties") or {}).get(p.types[1], []) or []:
            if isinstance(child, dict) and str(child.get("name", "")).lower() == p.names[1].lower():
                return str(child.get("id") or f"{top_body['id']}/{p.types[1]}/{child['name']}")
    raise sim.not_found(str(p))


def _scope_key(scope: str) -> str:
    return "" if scope in ("", "/") else ids.key(scope)


def _at_or_above(assignment_scope: str, scope: str) -> bool:
    a, s = _scope_key(assignment_scope), _scope_key(scope)
    return a == s or a == "" or s.startswith(a + "/")


def _below(assignment_scope: str, scope: str) -> bool:
    a, s = _scope_key(assignment_scope), _scope_key(scope)
    return a != s and (s == "" or a.startswith(s + "/"))


# ---------------------------------------------------------------- permissions of the caller


def _assignments(sim: ArmSim) -> dict[str, dict[str, Any]]:
    store: dict[str, dict[str, Any]] = sim.extra.setdefault("role_assignments", {})
    return store


def caller_permissions(sim: ArmSim, req: ArmRequest | None, scope: str) -> list[dict[str, Any]]:
    """One permission block per role the caller holds at or above ``scope`` (what the permissions API
    lists): the subscription-level ``caller_role`` plus role assignments to the caller."""
    role_name = str(sim.extra.get("caller_role") or "Owner")
    guid = role_id_by_name(role_name)
    blocks: list[dict[str, Any]] = []
    if guid is not None:
        blocks.extend(BUILTIN_ROLES[guid]["permissions"])
    me = caller_object_id(sim, req).lower()
    for ra in _assignments(sim).values():
        props = ra["properties"]
        if str(props["principalId"]).lower() != me or not _at_or_above(props["scope"], scope):
            continue
        rguid = str(props["roleDefinitionId"]).rsplit("/", 1)[-1].lower()
        if rguid in BUILTIN_ROLES:
            blocks.extend(BUILTIN_ROLES[rguid]["permissions"])
    return [dict(b) for b in blocks]


def _matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def caller_can(sim: ArmSim, req: ArmRequest | None, action: str, scope: str) -> bool:
    """Azure RBAC: allowed when some assignment's actions grant it and that assignment's notActions do not
    take it away (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#notactions)."""
    for block in caller_permissions(sim, req, scope):
        if any(_matches(p, action) for p in block["actions"]) and not any(
            _matches(p, action) for p in block["notActions"]
        ):
            return True
    return False


def authorization_failed(sim: ArmSim, req: ArmRequest, action: str, scope: str) -> ArmError:
    # Verbatim shape of ARM's answer, as public Terraform logs of an ACR-scope role assignment quote it
    # ("... does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write'
    # over scope '/subscriptions/.../registries/x/providers/Microsoft.Authorization/roleAssignments/<id>'
    # or the scope is invalid. If access was recently granted, please refresh your credentials.").
    oid = caller_object_id(sim, req)
    return ArmError(
        403,
        "AuthorizationFailed",
        f"The client '{oid}' with object id '{oid}' does not have authorization to perform action '{action}' "
        f"over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your "
        "credentials.",
    )


def _permissions(sim: ArmSim, req: ArmRequest, **_: str) -> ArmResponse:
    scope, _name = _scope_of(req)
    canonical = resolve_scope(sim, scope)
    return sim.paged(req, caller_permissions(sim, req, canonical))


_register("GET", "/providers/Microsoft.Authorization/permissions", SCOPES_IN_GROUP, _permissions)


# ---------------------------------------------------------------- principals


def known_principals(sim: ArmSim, req: ArmRequest | None = None) -> set[str]:
    known = {caller_object_id(sim, req).lower()}
    extra = sim.extra.get("principals") or []
    known.update(str(p).lower() for p in (extra.keys() if isinstance(extra, dict) else extra))
    for body in sim.resources.values():
        identity = body.get("identity") or {}
        if identity.get("principalId"):
            known.add(str(identity["principalId"]).lower())
        for uai in (identity.get("userAssignedIdentities") or {}).values():
            if isinstance(uai, dict) and uai.get("principalId"):
                known.add(str(uai["principalId"]).lower())
        props = body.get("properties") or {}
        if str(body.get("type", "")).lower() == "microsoft.managedidentity/userassignedidentities" and props.get(
            "principalId"
        ):
            known.add(str(props["principalId"]).lower())
        for ident in (props.get("identityProfile") or {}).values():
            if isinstance(ident, dict) and ident.get("objectId"):
                known.add(str(ident["objectId"]).lower())
    return known


# ---------------------------------------------------------------- role assignments


def _ra_view(ra: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ra.items() if not k.startswith("_")}


def _prune_orphans(sim: ArmSim) -> None:
    """Deleting a scope (a resource group, a registry) takes its role assignments with it."""
    store = _assignments(sim)
    for key in list(store):
        try:
            resolve_scope(sim, store[key]["properties"]["scope"])
        except ArmError:
            store.pop(key, None)


def _check_ra_name(name: str) -> None:
    # https://learn.microsoft.com/azure/role-based-access-control/troubleshooting ("The role assignment ID
    # must be a GUID"); code as ARM returns it for a non-GUID name.
    if not _GUID.match(name):
        raise ArmError(400, "InvalidRoleAssignmentId",
                       f"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.")


def _put_role_assignment(sim: ArmSim, req: ArmRequest, **_: str) -> ArmResponse:
    scope, name = _scope_of(req)
    assert name is not None
    canonical = resolve_scope(sim, scope)
    _check_ra_name(name)
    body = req.json() or {}
    reject_snake_case(req, body, "RoleAssignmentCreateParameters", path="")
    props = body.get("properties") or {}
    reject_snake_case(req, props, "RoleAssignmentProperties")
    rid = f"{'' if canonical == '/' else canonical}/providers/{RA_TYPE}/{name}"
    if not caller_can(sim, req, "Microsoft.Authorization/roleAssignments/write", canonical):
        raise authorization_failed(sim, req, "Microsoft.Authorization/roleAssignments/write", rid)

    role_def = str(props.get("roleDefinitionId") or "")
    role_guid = role_def.rstrip("/").rsplit("/", 1)[-1].lower()
    if not role_def or role_guid not in BUILTIN_ROLES:
        raise ArmError(400, "RoleDefinitionDoesNotExist",
                       f"The specified role definition with ID '{role_guid}' does not exist.")
    principal = str(props.get("principalId") or "")
    if not _GUID.match(principal):
        raise ArmError(400, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment.")
    if sim.extra.get("strict_principals") and principal.lower() not in known_principals(sim, req):
        # Verbatim: Azure/HubAndSpokeResearchEnclave#50, Azure/avdaccelerator#76 (ARM prints the id
        # without dashes).
        raise ArmError(
            400,
            "PrincipalNotFound",
            f"Principal {principal.replace('-', '').lower()} does not exist in the directory {sim.tenant_id}. "
            "Check that you have the correct principal ID. If you are creating this principal and then "
            "immediately assigning a role, this error might be related to a replication delay. In this case, "
            "set the role assignment principalType property to a value, such as ServicePrincipal, User, or "
            "Group.  See https://aka.ms/docs-principaltype",
        )

    store = _assignments(sim)
    existing = store.get(ids.key(rid))
    if existing is not None:
        ep = existing["properties"]
        if ep["principalId"].lower() != principal.lower() or ep["roleDefinitionId"].rsplit("/", 1)[-1].lower() \
                != role_guid:
            raise ArmError(400, "RoleAssignmentUpdateNotPermitted",
                           "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")
        return ArmResponse(201, _ra_view(existing))
    for other in store.values():
        op = other["properties"]
        if (op["principalId"].lower() == principal.lower()
                and op["roleDefinitionId"].rsplit("/", 1)[-1].lower() == role_guid
                and _scope_key(op["scope"]) == _scope_key(canonical)):
            # Verbatim (409): "The role assignment already exists. The ID of the existing role assignment is
            # <id without dashes>." (terraform/Bicep logs quoted in public repos; ARM strips the dashes).
            raise ArmError(409, "RoleAssignmentExists",
                           "The role assignment already exists. The ID of the existing role assignment is "
                           f"{other['name'].replace('-', '')}.")

    from ..core import utcnow

    now = utcnow()
    ra = {
        "properties": {
            "roleDefinitionId": role_def,
            "principalId": principal,
            "principalType": props.get("principalType") or "User",
            "scope": canonical,
            "condition": props.get("condition"),
            "conditionVersion": props.get("conditionVersion"),
            "createdOn": now,
            "updatedOn": now,
            "createdBy": None,
            "updatedBy": caller_object_id(sim, req),
            "delegatedManagedIdentityResourceId": props.get("delegatedManagedIdentityResourceId"),
            "description": props.get("description"),
        },
        "id": rid,
        "type": RA_TYPE,
        "name": name,
    }
    store[ids.key(rid)] = ra
    return ArmResponse(201, _ra_view(ra))


def _get_role_assignment(sim: ArmSim, req: ArmRequest, **_: str) -> ArmResponse:
    scope, name = _scope_of(req)
    _prune_orphans(sim)
    ra = _assignments(sim).get(ids.key(f"{'' if scope == '/' else scope}/providers/{RA_TYPE}/{name}"))
    if ra is None:
        raise ArmError(404, "RoleAssignmentNotFound", f"The role assignment '{name}' is not found.")
    return ArmResponse(200, _ra_view(ra))


def _delete_role_assignment(sim: ArmSim, req: ArmRequest, **_: str) -> ArmResponse:
    scope, name = _scope_of(req)
    rid = f"{'' if scope == '/' else scope}/providers/{RA_TYPE}/{name}"
    store = _assignments(sim)
    ra = store.get(ids.key(rid))
    if ra is None:
        return ArmResponse(204)
    if not caller_can(sim, req, "Microsoft.Authorization/roleAssignments/delete", ra["properties"]["scope"]):
        raise authorization_failed(sim, req, "Microsoft.Authorization/roleAssignments/delete", ra["id"])
    store.pop(ids.key(rid), None)
    return ArmResponse(200, _ra_view(ra))


_RA_FILTER_TERM = re.compile(
    r"^\s*(?:(?P<at>atScope\(\))|principalId\s+eq\s+'(?P<pid>[^']*)'|assignedTo\('(?P<to>[^']*)'\))\s*$", re.I
)


def _parse_ra_filter(expr: str | None) -> tuple[bool, str | None]:
    """The $filter subset ARM accepts here: ``atScope()``, ``principalId eq '{id}'``, ``assignedTo('{id}')``,
    joined with ``and`` (https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope)."""
    if not expr:
        return False, None
    at_scope, principal = False, None
    for term in re.split(r"\s+and\s+", expr.strip(), flags=re.I):
        m = _RA_FILTER_TERM.match(term)
        if m is None:
            raise ArmError(400, "UnsupportedQuery", f"The filter '{expr}' is not supported.")
        at_scope = at_scope or bool(m["at"])
        principal = m["pid"] or m["to"] or principal
    return at_scope, principal


def _list_role_assignments(sim: ArmSim, req: ArmRequest, **_: str) -> ArmResponse:
    scope, _name = _scope_of(req)
    canonical = resolve_scope(sim, scope)
    _prune_orphans(sim)
    at_scope, principal = _parse_ra_filter(req.query.get("$filter"))
    items = []
    for ra in _assignments(sim).values():
        p = ra["properties"]
        # Without atScope() ARM lists assignments at, above and below the scope; with it, at and above.
        if not (_at_or_above(p["scope"], canonical) or (not at_scope and _below(p["scope"], canonical))):
            continue
        if principal is not None and p["principalId"].lower() != principal.lower():
            continue
        items.append(_ra_view(ra))
    items.sort(key=lambda r: r["id"].lower())
    return sim.paged(req, items)


_register("PUT", "/providers/Microsoft.Authorization/roleAssignments/{name}", SCOPES_WITH_SUB, _put_role_assignment)
_register("GET", "/providers/Microsoft.Authorization/roleAssignments/{name}", SCOPES_WITH_SUB, _get_role_assignment)
_register("DELETE", "/providers/Microsoft.Authorization/roleAssignments/{name}", SCOPES_WITH_SUB,
          _delete_role_assignment)
_register("GET", "/providers/Microsoft.Authorization/roleAssignments", SCOPES_WITH_SUB, _list_role_assignments)


# ---------------------------------------------------------------- role definitions


def _get_role_definition(sim: ArmSim, req: ArmRequest, **_: str) -> ArmResponse:
    scope, name = _scope_of(req)
    assert name is not None
    if scope != "/":
        resolve_scope(sim, scope)
    guid = name.lower()
    if guid not in BUILTIN_ROLES:
        raise ArmError(404, "RoleDefinitionDoesNotExist", f"The specified role definition with ID '{name}' does not "
                       "exist.")
    return ArmResponse(200, _role_definition_body(sim, guid, scope))


_RD_FILTER_TERM = re.compile(r"^\s*(?P<key>roleName|type)\s+eq\s+'(?P<value>(?:[^']|'')*)'\s*$", re.I)


def _list_role_definitions(sim: ArmSim, req: ArmRequest, **_: str) -> ArmResponse:
    scope, _name = _scope_of(req)
    if scope != "/":
        resolve_scope(sim, scope)
    flt: dict[str, str] = {}
    expr = req.query.get("$filter")
    if expr:
        for term in re.split(r"\s+and\s+", expr.strip(), flags=re.I):
            m = _RD_FILTER_TERM.match(term)
            if m is None:
                raise ArmError(400, "UnsupportedQuery", f"The filter '{expr}' is not supported.")
            flt[m["key"].lower()] = m["value"].replace("''", "'")
    items = []
    for guid, role in BUILTIN_ROLES.items():
        if "rolename" in flt and role["roleName"].lower() != flt["rolename"].lower():
            continue
        if "type" in flt and flt["type"].lower() != "builtinrole":
            continue
        items.append(_role_definition_body(sim, guid, scope))
    return sim.paged(req, items)


_RD_SCOPES = ("", *SCOPES_WITH_SUB)
_register("GET", "/providers/Microsoft.Authorization/roleDefinitions/{name}", _RD_SCOPES, _get_role_definition)
_register("GET", "/providers/Microsoft.Authorization/roleDefinitions", _RD_SCOPES, _list_role_definitions)


def new_assignment_name() -> str:
    """A fresh role-assignment name (ARM requires a GUID), for sibling providers that grant roles."""
    return str(uuid.uuid4())
