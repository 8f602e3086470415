"""Microsoft.Authorization in the simulator (role assignments, role definitions, permissions), driven
through the real AuthorizationManagementClient (multi-API 4.0, roleAssignments 2022-04-01)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.authorization.v2022_04_01.models import RoleAssignmentCreateParameters
from azure.mgmt.containerregistry.models import Registry, Sku

from azwizard.sim.providers.authorization import DEFAULT_CALLER_OBJECT_ID

ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
USER_ACCESS_ADMIN = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
KUBELET = "1c3d5e7f-9a0b-4c2d-8e4f-6a8b0c2d4e6f"


def _role(sim: Any, guid: str) -> str:
    return f"/subscriptions/{sim.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{guid}"


@pytest.fixture
def acr_id(sdk: Any, rg: str) -> str:
    reg = sdk.containerregistry.registries.begin_create(
        rg, "wizardacr01", Registry(location="norwayeast", sku=Sku(name="Basic"))).result()
    return str(reg.id)


@pytest.fixture
def subnet_id(sim: Any, rg: str) -> str:
    """A VNet stored directly (the network provider is another module); its subnet lives inline, as ARM
    returns it."""
    vnet_id = f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/vnet1"
    sim.save(vnet_id, {"id": vnet_id, "name": "vnet1", "type": "Microsoft.Network/virtualNetworks",
                       "location": "norwayeast",
                       "properties": {"provisioningState": "Succeeded",
                                      "subnets": [{"id": f"{vnet_id}/subnets/aks", "name": "aks",
                                                   "properties": {"addressPrefix": "10.0.0.0/24"}}]}})
    return f"{vnet_id}/subnets/aks"


def _assign(sdk: Any, sim: Any, scope: str, role: str = ACR_PULL, principal: str = KUBELET,
            name: str | None = None, **kw: Any) -> Any:
    return sdk.authorization.role_assignments.create(
        scope, name or str(uuid.uuid4()),
        RoleAssignmentCreateParameters(role_definition_id=_role(sim, role), principal_id=principal,
                                       principal_type="ServicePrincipal", **kw),
    )


def test_create_get_delete_at_acr_scope(sdk: Any, sim: Any, acr_id: str) -> None:
    name = str(uuid.uuid4())
    ra = _assign(sdk, sim, acr_id, name=name)
    assert ra.name == name
    assert ra.id == f"{acr_id}/providers/Microsoft.Authorization/roleAssignments/{name}"
    assert ra.type == "Microsoft.Authorization/roleAssignments"
    assert ra.scope == acr_id
    assert ra.role_definition_id == _role(sim, ACR_PULL)
    assert ra.principal_id == KUBELET and ra.principal_type == "ServicePrincipal"
    assert ra.created_on is not None
    put = sim.requests_to("PUT", "/roleAssignments/")[0]
    assert put.api_version == "2022-04-01"
    assert put.body["properties"]["principalType"] == "ServicePrincipal"

    got = sdk.authorization.role_assignments.get(acr_id, name)
    assert got.id == ra.id
    by_id = sdk.authorization.role_assignments.get_by_id(ra.id)
    assert by_id.name == name

    deleted = sdk.authorization.role_assignments.delete(acr_id, name)
    assert deleted is not None and deleted.name == name
    assert sdk.authorization.role_assignments.delete(acr_id, name) is None  # 204 the second time
    with pytest.raises(HttpResponseError) as e:
        sdk.authorization.role_assignments.get(acr_id, name)
    assert e.value.status_code == 404 and e.value.error.code == "RoleAssignmentNotFound"


def test_subnet_group_and_subscription_scopes(sdk: Any, sim: Any, rg: str, subnet_id: str) -> None:
    on_subnet = _assign(sdk, sim, subnet_id, role=NETWORK_CONTRIBUTOR)
    assert on_subnet.scope.endswith("/virtualNetworks/vnet1/subnets/aks")
    on_group = _assign(sdk, sim, sim.group_id(rg), role=READER)
    on_sub = _assign(sdk, sim, f"/subscriptions/{sim.subscription_id}", role=READER, principal=str(uuid.uuid4()))
    assert on_group.scope == f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}"
    assert on_sub.scope == f"/subscriptions/{sim.subscription_id}"
    assert sdk.authorization.role_assignments.get(subnet_id, on_subnet.name).principal_id == KUBELET


def test_list_for_scope_filters(sdk: Any, sim: Any, rg: str, acr_id: str) -> None:
    other = str(uuid.uuid4())
    at_acr = _assign(sdk, sim, acr_id)
    at_group = _assign(sdk, sim, sim.group_id(rg), role=READER, principal=other)
    ra = sdk.authorization.role_assignments

    at_scope = {r.name for r in ra.list_for_scope(acr_id, filter="atScope()")}
    assert at_scope == {at_acr.name, at_group.name}  # at and above the registry
    group_at_scope = {r.name for r in ra.list_for_scope(sim.group_id(rg), filter="atScope()")}
    assert group_at_scope == {at_group.name}
    everything = {r.name for r in ra.list_for_resource_group(rg)}
    assert everything == {at_acr.name, at_group.name}  # without atScope(), below the scope too
    mine = [r.name for r in ra.list_for_scope(acr_id, filter=f"principalId eq '{KUBELET}'")]
    assert mine == [at_acr.name]
    both = [r.name for r in ra.list_for_scope(acr_id, filter=f"atScope() and principalId eq '{other}'")]
    assert both == [at_group.name]
    for_res = {r.name for r in ra.list_for_resource(rg, "Microsoft.ContainerRegistry", "registries",
                                                     "wizardacr01")}
    assert for_res == {at_acr.name, at_group.name}
    assert {r.name for r in ra.list_for_subscription()} == {at_acr.name, at_group.name}

    with pytest.raises(HttpResponseError) as e:
        list(ra.list_for_scope(acr_id, filter="roleName eq 'x'"))
    assert e.value.status_code == 400


def test_list_pages(sdk: Any, sim: Any, acr_id: str) -> None:
    sim.page_size = 2
    for _ in range(5):
        _assign(sdk, sim, acr_id, principal=str(uuid.uuid4()))
    assert len(list(sdk.authorization.role_assignments.list_for_scope(acr_id))) == 5


def test_duplicate_assignment_is_409_with_the_existing_id(sdk: Any, sim: Any, acr_id: str) -> None:
    first = _assign(sdk, sim, acr_id)
    again = _assign(sdk, sim, acr_id, name=first.name)  # same name, same content: idempotent
    assert again.id == first.id
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, acr_id)
    assert e.value.status_code == 409
    assert e.value.error.code == "RoleAssignmentExists"
    assert e.value.error.message == ("The role assignment already exists. The ID of the existing role assignment "
                                     f"is {first.name.replace('-', '')}.")
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, acr_id, name=first.name, principal=str(uuid.uuid4()))
    assert e.value.error.code == "RoleAssignmentUpdateNotPermitted"


def test_bad_inputs(sdk: Any, sim: Any, rg: str, acr_id: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, acr_id, name="not-a-guid")
    assert e.value.error.code == "InvalidRoleAssignmentId"
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, acr_id, role="00000000-0000-0000-0000-00000000dead")
    assert e.value.error.code == "RoleDefinitionDoesNotExist"
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, acr_id, principal="kubelet")
    assert e.value.error.code == "InvalidPrincipalId"
    missing = acr_id.replace("wizardacr01", "nosuchacr")
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, missing)
    assert e.value.status_code == 404 and e.value.error.code == "ResourceNotFound"
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, sim.group_id("no-such-rg"))
    assert e.value.error.code == "ResourceGroupNotFound"
    # The msrest-based authorization client drops unknown keys, so send the snake_case body the way a plain
    # dict goes out of a hybrid-model client (the generic resources client sends it as-is).
    ra_id = f"{acr_id}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}"
    with pytest.raises(HttpResponseError) as e:
        sdk.resources.resources.begin_create_or_update_by_id(
            ra_id, {"properties": {"role_definition_id": _role(sim, ACR_PULL), "principal_id": KUBELET}},
            api_version="2022-04-01").result()
    assert e.value.status_code == 400 and e.value.error.code == "InvalidRequestContent"
    assert ("Could not find member 'role_definition_id' on object of type 'RoleAssignmentProperties'. "
            "Path 'properties.role_definition_id'") in e.value.error.message


def test_unknown_principal_is_accepted_unless_strict(sdk: Any, sim: Any, rg: str, acr_id: str) -> None:
    stranger = str(uuid.uuid4())
    assert _assign(sdk, sim, acr_id, principal=stranger).principal_id == stranger
    sim.extra["strict_principals"] = True
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, acr_id, principal=str(uuid.uuid4()), role=READER)
    assert e.value.status_code == 400 and e.value.error.code == "PrincipalNotFound"
    assert "does not exist in the directory" in e.value.error.message
    assert "https://aka.ms/docs-principaltype" in e.value.error.message

    # Known principals: ids registered by tests, user-assigned identities, AKS kubelet identities.
    sim.extra["principals"] = [stranger]
    _assign(sdk, sim, sim.group_id(rg), principal=stranger, role=READER)
    uai = f"{sim.group_id(rg)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/kubelet"
    sim.save(uai, {"id": uai, "name": "kubelet", "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
                   "location": "norwayeast", "properties": {"principalId": KUBELET, "clientId": str(uuid.uuid4())}})
    assert _assign(sdk, sim, acr_id).principal_id == KUBELET


def test_role_definitions(sdk: Any, sim: Any, rg: str) -> None:
    rd = sdk.authorization.role_definitions
    sub_scope = f"/subscriptions/{sim.subscription_id}"
    pull = rd.get(sub_scope, ACR_PULL)
    assert pull.role_name == "AcrPull" and pull.role_type == "BuiltInRole"
    assert pull.id == _role(sim, ACR_PULL)
    assert pull.permissions[0].actions == ["Microsoft.ContainerRegistry/registries/pull/read"]
    assert rd.get_by_id(_role(sim, ACR_PULL)).role_name == "AcrPull"
    assert rd.get_by_id(f"/providers/Microsoft.Authorization/roleDefinitions/{ACR_PULL}").id == \
        f"/providers/Microsoft.Authorization/roleDefinitions/{ACR_PULL}"

    found = list(rd.list(sim.group_id(rg), filter="roleName eq 'AcrPull'"))
    assert [r.name for r in found] == [ACR_PULL]
    by_name = {r.role_name: r.name for r in rd.list(sub_scope)}
    assert by_name["Owner"] == "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    assert by_name["Contributor"] == "b24988ac-6180-42a0-ab88-20f7382dd24c"
    assert by_name["AcrPush"] == "8311e382-0749-4cb8-b61a-304f252e45ec"
    assert by_name["User Access Administrator"] == USER_ACCESS_ADMIN
    assert by_name["Network Contributor"] == NETWORK_CONTRIBUTOR
    assert by_name["Backup Contributor"] == "5e467623-bb1f-42f4-a55d-6e525e11384b"
    assert by_name["Reader"] == READER
    contributor = rd.get(sub_scope, "b24988ac-6180-42a0-ab88-20f7382dd24c")
    assert "Microsoft.Authorization/*/Write" in contributor.permissions[0].not_actions
    with pytest.raises(HttpResponseError) as e:
        rd.get(sub_scope, "00000000-0000-0000-0000-00000000dead")
    assert e.value.status_code == 404 and e.value.error.code == "RoleDefinitionDoesNotExist"


def test_permissions_owner_by_default(sdk: Any, rg: str, acr_id: str) -> None:
    perms = list(sdk.authorization.permissions.list_for_resource_group(rg))
    assert len(perms) == 1 and perms[0].actions == ["*"] and perms[0].not_actions == []
    on_acr = list(sdk.authorization.permissions.list_for_resource(rg, "Microsoft.ContainerRegistry", "",
                                                                  "registries", "wizardacr01"))
    assert on_acr[0].actions == ["*"]


def test_contributor_caller_cannot_assign_roles(sdk: Any, sim: Any, rg: str, acr_id: str) -> None:
    existing = _assign(sdk, sim, acr_id)
    sim.extra["caller_role"] = "Contributor"
    perms = list(sdk.authorization.permissions.list_for_resource_group(rg))
    assert perms[0].actions == ["*"]
    assert {"Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/elevateAccess/Action"} <= set(perms[0].not_actions)

    name = str(uuid.uuid4())
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, acr_id, name=name, principal=str(uuid.uuid4()))
    assert e.value.status_code == 403 and e.value.error.code == "AuthorizationFailed"
    assert e.value.error.message == (
        f"The client '{DEFAULT_CALLER_OBJECT_ID}' with object id '{DEFAULT_CALLER_OBJECT_ID}' does not have "
        "authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope "
        f"'{acr_id}/providers/Microsoft.Authorization/roleAssignments/{name}' or the scope is invalid. If access "
        "was recently granted, please refresh your credentials.")
    with pytest.raises(HttpResponseError) as e:
        sdk.authorization.role_assignments.delete(acr_id, existing.name)
    assert e.value.error.code == "AuthorizationFailed"
    assert "'Microsoft.Authorization/roleAssignments/delete'" in e.value.error.message
    assert sdk.authorization.role_assignments.get(acr_id, existing.name).name == existing.name  # reads still work


def test_user_access_admin_on_the_registry_lets_a_contributor_assign_there(sdk: Any, sim: Any, rg: str,
                                                                         acr_id: str) -> None:
    _assign(sdk, sim, acr_id, role=USER_ACCESS_ADMIN, principal=DEFAULT_CALLER_OBJECT_ID)
    sim.extra["caller_role"] = "Contributor"
    assert _assign(sdk, sim, acr_id).scope == acr_id  # granted on the registry...
    with pytest.raises(HttpResponseError) as e:
        _assign(sdk, sim, sim.group_id(rg), role=READER)  # ...but not on the group above it
    assert e.value.error.code == "AuthorizationFailed"
    blocks = list(sdk.authorization.permissions.list_for_resource(rg, "Microsoft.ContainerRegistry", "",
                                                                  "registries", "wizardacr01"))
    assert len(blocks) == 2 and "Microsoft.Authorization/*" in blocks[1].actions


def test_assignments_go_with_their_scope(sdk: Any, sim: Any, rg: str, acr_id: str) -> None:
    ra = _assign(sdk, sim, acr_id)
    sdk.containerregistry.registries.begin_delete(rg, "wizardacr01").result()
    assert list(sdk.authorization.role_assignments.list_for_subscription()) == []
    with pytest.raises(HttpResponseError) as e:
        sdk.authorization.role_assignments.get_by_id(ra.id)
    assert e.value.error.code == "RoleAssignmentNotFound"
