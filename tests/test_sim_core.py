"""ARM behaviour the simulator's core gives every provider: LRO protocol, paging, case-insensitive
paths, errors, faults, locks, persistence — exercised through the real SDK clients."""

from __future__ import annotations

from pathlib import Path

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError, ServiceResponseError

from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.transport import SimTransport


def test_resource_group_crud_and_check_existence(sdk, sim: ArmSim) -> None:
    rc = sdk.resources
    g = rc.resource_groups.create_or_update("Yolo-RG", {"location": "norwayeast", "tags": {"created-by": "azwizard"}})
    assert g.id == f"/subscriptions/{sim.subscription_id}/resourceGroups/Yolo-RG"
    assert g.properties.provisioning_state == "Succeeded"
    assert rc.resource_groups.check_existence("yolo-rg") is True  # ARM ids are case-insensitive
    assert rc.resource_groups.check_existence("other") is False
    assert rc.resource_groups.get("YOLO-RG").name == "Yolo-RG"  # the original casing is echoed
    with pytest.raises(ResourceNotFoundError) as exc:
        rc.resource_groups.get("other")
    assert exc.value.error.code == "ResourceGroupNotFound"


def test_group_create_answers_201_then_200(sdk, sim: ArmSim) -> None:
    sdk.resources.resource_groups.create_or_update("g1", {"location": "westeurope"})
    sdk.resources.resource_groups.create_or_update("g1", {"location": "westeurope", "tags": {"a": "b"}})
    assert sdk.resources.resource_groups.get("g1").tags == {"a": "b"}
    with pytest.raises(HttpResponseError) as exc:
        sdk.resources.resource_groups.create_or_update("g1", {"location": "norwayeast"})
    assert exc.value.error.code == "InvalidResourceGroupLocation"


@pytest.mark.parametrize(("body", "code"), [
    ({}, "LocationRequired"),
    ({"location": "atlantis"}, "LocationNotAvailableForResourceGroup"),
    ({"location": "norwayeast", "tags": {"a/b": "x"}}, "InvalidTagNameCharacters"),
])
def test_group_rejections(sdk, body: dict, code: str) -> None:
    with pytest.raises(HttpResponseError) as exc:
        sdk.resources.resource_groups.create_or_update("g", body)
    assert exc.value.error.code == code


def test_invalid_group_name(sdk) -> None:
    with pytest.raises(HttpResponseError) as exc:
        sdk.resources.resource_groups.create_or_update("bad name!", {"location": "norwayeast"})
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidResourceGroup"


def test_group_delete_is_a_202_location_lro_and_cascades(sdk, sim: ArmSim) -> None:
    sdk.resources.resource_groups.create_or_update("g", {"location": "norwayeast"})
    sdk.network.network_security_groups.begin_create_or_update("g", "nsg", {"location": "norwayeast"}).result()
    poller = sdk.resources.resource_groups.begin_delete("g")
    assert poller.result() is None
    delete = sim.requests_to("DELETE", "/resourcegroups/g")[0]
    assert delete.api_version == "2025-04-01"
    polls = [r for r in sim.requests if "/operationresults/" in r.path]
    assert len(polls) >= 2  # 202 while running, then 200
    assert sim.get(f"/subscriptions/{sim.subscription_id}/resourceGroups/g/providers/Microsoft.Network/"
                   "networkSecurityGroups/nsg") is None
    assert not sdk.resources.resource_groups.check_existence("g")


def test_paging_follows_absolute_next_links(sdk, sim: ArmSim) -> None:
    sim.page_size = 3
    for i in range(8):
        sdk.resources.resource_groups.create_or_update(f"g{i}", {"location": "norwayeast"})
    names = [g.name for g in sdk.resources.resource_groups.list()]
    assert sorted(names) == [f"g{i}" for i in range(8)]
    pages = [r for r in sim.requests if r.method == "GET" and r.path.endswith("/resourcegroups")]
    assert len(pages) == 3
    assert all(r.url.startswith(SIM_BASE_URL) for r in pages)


def test_tag_filter_on_group_and_resource_lists(sdk) -> None:
    sdk.resources.resource_groups.create_or_update("mine", {"location": "norwayeast", "tags": {"created-by": "azwizard"}})
    sdk.resources.resource_groups.create_or_update("theirs", {"location": "norwayeast"})
    found = [g.name for g in sdk.resources.resource_groups.list(filter="tagName eq 'created-by' and tagValue eq 'azwizard'")]
    assert found == ["mine"]


def test_429_with_retry_after_is_retried_by_the_sdk(sdk, sim: ArmSim) -> None:
    sim.faults.throttle("PUT", r"/resourcegroups/g$", retry_after=7)
    sdk.resources.resource_groups.create_or_update("g", {"location": "norwayeast"})
    assert len(sim.requests_to("PUT", "/resourcegroups/g")) == 2
    assert sim.sleeps == [7.0]  # honoured, and the simulator's transport never really slept


def test_failed_async_operation_surfaces_its_code(sdk, sim: ArmSim, rg: str) -> None:
    sim.faults.fail_async("PUT", r"/networkSecurityGroups/nsg$", code="InternalOperationError",
                          message="An internal error occurred while processing the operation.")
    with pytest.raises(HttpResponseError) as exc:
        sdk.network.network_security_groups.begin_create_or_update(rg, "nsg", {"location": "norwayeast"}).result()
    assert exc.value.error.code == "InternalOperationError"
    nsg = sdk.network.network_security_groups.get(rg, "nsg")
    assert nsg.provisioning_state == "Failed"


def test_dropped_connection_surfaces_as_a_service_response_error(sim: ArmSim) -> None:
    from conftest import SdkClients

    sdk = SdkClients(sim, retry_total=1)
    sim.faults.drop("GET", r"/resourcegroups/g$", times=10)
    with pytest.raises(ServiceResponseError):
        sdk.resources.resource_groups.get("g")


def test_missing_token_and_unknown_subscription(sim: ArmSim) -> None:
    from azure.mgmt.resource.resources import ResourceManagementClient
    from conftest import FakeCredential

    bad = ResourceManagementClient(FakeCredential("not-a-sim-token"), sim.subscription_id, base_url=SIM_BASE_URL,
                                   transport=SimTransport(sim), retry_total=0)
    with pytest.raises(HttpResponseError) as exc:
        bad.resource_groups.create_or_update("g", {"location": "norwayeast"})
    assert exc.value.status_code == 401 and exc.value.error.code == "InvalidAuthenticationToken"
    other = ResourceManagementClient(FakeCredential(), "00000000-1111-2222-3333-444444444444", base_url=SIM_BASE_URL,
                                     transport=SimTransport(sim), retry_total=0)
    with pytest.raises(HttpResponseError) as exc:
        other.resource_groups.get("g")
    assert exc.value.error.code == "SubscriptionNotFound"


def test_unknown_api_versions_are_accepted(sim: ArmSim) -> None:
    from azure.mgmt.resource.resources import ResourceManagementClient
    from conftest import FakeCredential

    old = ResourceManagementClient(FakeCredential(), sim.subscription_id, base_url=SIM_BASE_URL,
                                   transport=SimTransport(sim), api_version="2019-10-01")
    old.resource_groups.create_or_update("g", {"location": "norwayeast"})
    assert sim.requests[-1].api_version == "2019-10-01"
    assert old.resource_groups.get("g").location == "norwayeast"


def test_locks_block_deletion_with_scope_locked_until_removed(sdk, rg: str) -> None:
    sdk.locks.management_locks.create_or_update_at_resource_group_level(rg, "keep", {"level": "CanNotDelete"})
    with pytest.raises(HttpResponseError) as exc:
        sdk.resources.resource_groups.begin_delete(rg).result()
    assert exc.value.status_code == 409 and exc.value.error.code == "ScopeLocked"
    assert "cannot perform delete operation because following scope(s) are locked" in exc.value.error.message
    assert [lk.name for lk in sdk.locks.management_locks.list_at_resource_group_level(rg)] == ["keep"]
    sdk.locks.management_locks.delete_at_resource_group_level(rg, "keep")
    sdk.resources.resource_groups.begin_delete(rg).result()
    assert not sdk.resources.resource_groups.check_existence(rg)


def test_subscriptions_and_locations(sdk, sim: ArmSim) -> None:
    subs = list(sdk.subscriptions.subscriptions.list())
    assert [s.subscription_id for s in subs] == [sim.subscription_id]
    assert subs[0].tenant_id == sim.tenant_id
    locs = {loc.name: loc for loc in sdk.subscriptions.subscriptions.list_locations(sim.subscription_id)}
    assert {"norwayeast", "norwaywest", "westeurope", "eastus", "swedencentral"} <= set(locs)
    assert len(locs["norwayeast"].availability_zone_mappings or []) == 3
    assert not locs["norwaywest"].availability_zone_mappings


def test_providers_registration(sdk, sim: ArmSim) -> None:
    assert sdk.resources.providers.get("Microsoft.Network").registration_state == "Registered"
    sim.extra.setdefault("providers", {})["microsoft.recoveryservices"] = "NotRegistered"
    assert sdk.resources.providers.get("Microsoft.RecoveryServices").registration_state == "NotRegistered"
    sdk.resources.providers.register("Microsoft.RecoveryServices")
    assert sdk.resources.providers.get("Microsoft.RecoveryServices").registration_state == "Registered"


def test_state_persists_for_demo_mode_and_reset_starts_clean(tmp_path: Path) -> None:
    from conftest import SdkClients

    state = tmp_path / "sim.json"
    first = SdkClients(ArmSim(persist_path=state))
    first.resources.resource_groups.create_or_update("kept", {"location": "norwayeast"})
    again = ArmSim(persist_path=state)
    assert SdkClients(again).resources.resource_groups.get("kept").location == "norwayeast"
    again.reset()
    assert not SdkClients(ArmSim(persist_path=state)).resources.resource_groups.check_existence("kept")
