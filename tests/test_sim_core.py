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


# ------------------------------------------------------------------ fidelity fixes (issue 14)


def _wire(sim: ArmSim, method: str, path: str, body: object = None, api: str = "2022-09-01"):  # type: ignore[no-untyped-def]
    import json

    from azwizard.sim import SIM_TOKEN
    from azwizard.sim.wire import ArmRequest

    sep = "&" if "?" in path else "?"
    data = json.dumps(body).encode() if body is not None else b""
    return sim.handle(ArmRequest(method, f"{SIM_BASE_URL}{path}{sep}api-version={api}",
                                 {"Authorization": f"Bearer {SIM_TOKEN}"}, data))


@pytest.mark.parametrize("region", ["eastus2", "centralus", "eastasia", "westus3", "Japan East"])
def test_groups_in_every_public_region(sdk, region: str) -> None:
    g = sdk.resources.resource_groups.create_or_update("r", {"location": region})
    assert g.location == region.replace(" ", "").lower()


@pytest.mark.parametrize("region", ["centraluseuap", "eastus2euap"])
def test_canary_regions_accept_groups_for_an_early_access_subscription(sdk, sim: ArmSim, region: str) -> None:
    """The simulated subscription is enrolled in EUAP, as the one that recorded azure-cli's backup and disk
    tests (their recordings create groups and resources in centraluseuap / eastus2euap)."""
    listed = {loc.name for loc in sdk.subscriptions.subscriptions.list_locations(sim.subscription_id)}
    assert region in listed
    g = sdk.resources.resource_groups.create_or_update("r", {"location": region})
    assert g.location == region and g.properties.provisioning_state == "Succeeded"


@pytest.mark.parametrize("region", ["australiacentral2", "switzerlandwest"])
def test_restricted_regions_are_listed_but_refused(sdk, sim: ArmSim, region: str) -> None:
    listed = {loc.name for loc in sdk.subscriptions.subscriptions.list_locations(sim.subscription_id)}
    assert region in listed
    with pytest.raises(HttpResponseError) as exc:
        sdk.resources.resource_groups.create_or_update("r", {"location": region})
    assert exc.value.error.code == "LocationNotAvailableForResourceGroup"
    assert "eastus2," in exc.value.error.message and region not in exc.value.error.message.split("is '")[1]


def test_group_delete_no_wait_finishes_as_time_passes(sdk, sim: ArmSim) -> None:
    """`az group delete --no-wait` then `az group wait --deleted`: nobody polls the operation, the group
    still goes once its time has passed (it used to stay Deleting until its own status URL was polled)."""
    sdk.resources.resource_groups.create_or_update("gone", {"location": "norwayeast"})
    sdk.resources.resource_groups.begin_delete("gone", polling=False)
    assert sdk.resources.resource_groups.get("gone").properties.provisioning_state == "Deleting"
    sim.advance(30)
    assert sdk.resources.resource_groups.get("gone").properties.provisioning_state == "Deleting"
    sim.advance(60)
    assert not sdk.resources.resource_groups.check_existence("gone")


def test_polling_still_takes_min_polls_and_the_sdks_waits_advance_the_clock(sdk, sim: ArmSim) -> None:
    sdk.resources.resource_groups.create_or_update("g", {"location": "norwayeast"})
    poller = sdk.network.virtual_networks.begin_create_or_update(
        "g", "vn", {"location": "norwayeast", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}})
    assert poller.result().provisioning_state == "Succeeded"
    polls = sim.requests_to("GET", "/operations/")
    assert len(polls) >= sim.min_polls
    assert sim.clock() == sum(sim.sleeps)  # simulated time: what the SDK waited, never a real sleep


def test_served_simulator_runs_operations_nobody_polls(tmp_path: Path) -> None:
    import json
    import urllib.request

    from azwizard.sim import SIM_TOKEN
    from azwizard.sim.server import SimServer

    sim = ArmSim()
    server = SimServer(sim, port=0).start()
    try:
        def call(method: str, path: str, body: object = None) -> int:
            data = json.dumps(body).encode() if body is not None else None
            req = urllib.request.Request(f"{server.url}{path}?api-version=2022-09-01", data=data, method=method,
                                         headers={"Authorization": f"Bearer {SIM_TOKEN}",
                                                  "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req) as resp:
                    return int(resp.status)
            except urllib.error.HTTPError as err:
                return int(err.code)

        group = f"/subscriptions/{sim.subscription_id}/resourcegroups/nowait"
        assert call("PUT", group, {"location": "eastus2"}) == 201
        assert call("DELETE", group) == 202
        assert call("GET", group) == 404  # the next look already finds it gone (latency 0)
    finally:
        server.stop()


def test_foreign_skiptoken_answers_400_instead_of_dropping_the_connection(sim: ArmSim) -> None:
    resp = _wire(sim, "GET", f"/subscriptions/{sim.subscription_id}/resourcegroups?$skiptoken=eyJuZXh0IjoiMSJ9")
    assert resp.status == 400
    assert resp.body["error"]["details"][0]["code"] == "CouldNotDecodeSkipToken"


def test_empty_tags_are_kept(sdk, sim: ArmSim) -> None:
    resp = _wire(sim, "PUT", f"/subscriptions/{sim.subscription_id}/resourcegroups/t", {"location": "norwayeast",
                                                                                       "tags": {}})
    assert resp.status == 201 and resp.body["tags"] == {}
    assert "tags" not in _wire(sim, "PUT", f"/subscriptions/{sim.subscription_id}/resourcegroups/u",
                               {"location": "norwayeast"}).body
    # through accept_put, for every provider that uses it
    net = f"/subscriptions/{sim.subscription_id}/resourceGroups/t/providers/Microsoft.Network/networkSecurityGroups/n"
    put = _wire(sim, "PUT", net, {"location": "norwayeast", "tags": {}}, api="2024-05-01")
    assert put.status == 201 and put.body["tags"] == {}


def test_operation_status_bodies_have_each_providers_shape(sdk, sim: ArmSim) -> None:
    """Network: only ``status``; Compute/AKS: name, status, startTime, endTime and no id (azure-cli
    recordings, e.g. test_network_nsg, test_vm_create_ubuntu, test_aks_stop_and_start)."""
    from azwizard.sim.core import Operation

    def op(ns: str) -> Operation:
        o = Operation(id="x", namespace=ns, location="norwayeast", resource_id="/subscriptions/s/r", kind="put",
                      api_version="2024-05-01", ready_at=0, min_progress=0, status="Succeeded", end_time="t")
        return o

    assert sim.operation_status_body(op("Microsoft.Network")) == {"status": "Succeeded"}
    assert set(sim.operation_status_body(op("Microsoft.Compute"))) == {"name", "status", "startTime", "endTime"}
    assert set(sim.operation_status_body(op("Microsoft.ContainerService"))) == {"name", "status", "startTime",
                                                                                 "endTime"}
    failed = op("Microsoft.Network")
    failed.status, failed.error = "Failed", {"code": "X", "message": "y"}
    assert sim.operation_status_body(failed) == {"status": "Failed", "error": {"code": "X", "message": "y"}}


def test_status_output_carries_the_resource(sim: ArmSim) -> None:
    from azwizard.sim.wire import ArmRequest

    rid = f"/subscriptions/{sim.subscription_id}/resourceGroups/g/providers/Microsoft.Compute/disks/d"
    req = ArmRequest("PUT", f"{SIM_BASE_URL}{rid}?api-version=2023-04-02", {}, b"{}")
    sim.accept_put(req, rid, {"id": rid, "name": "d", "properties": {}}, created=True,
                   namespace="Microsoft.Compute", location="norwayeast", rtype="Microsoft.Compute/disks",
                   status_output=True)
    (op,) = sim.ops.values()
    op.progress = 10
    sim.tick()
    body = sim.operation_status_body(op)
    assert body["properties"]["output"]["properties"]["provisioningState"] == "Succeeded"


def test_answers_follow_the_requested_api_version(sim: ArmSim) -> None:
    """Keys a newer api-version introduced are left out of answers to older requests (apiversions.register)."""
    from azwizard.sim import apiversions

    apiversions.register("Microsoft.Resources/resourceGroups", "2099-01-01", "properties.futureKey")
    try:
        gid = f"/subscriptions/{sim.subscription_id}/resourcegroups/av"
        assert _wire(sim, "PUT", gid, {"location": "norwayeast"}).status == 201
        sim.peek(gid)["properties"]["futureKey"] = True
        assert "futureKey" not in _wire(sim, "GET", gid).body["properties"]
        assert _wire(sim, "GET", gid, api="2099-06-01").body["properties"]["futureKey"] is True
        listed = _wire(sim, "GET", f"/subscriptions/{sim.subscription_id}/resourcegroups").body["value"]
        assert all("futureKey" not in g["properties"] for g in listed)
        assert sim.peek(gid)["properties"]["futureKey"] is True  # the stored resource is untouched
    finally:
        apiversions._INTRODUCED.pop("microsoft.resources/resourcegroups", None)


def test_group_export_template(sdk, sim: ArmSim) -> None:
    """`az group export` (POST exportTemplate, {"resources": ["*"]}): an empty group gives resources []."""
    sdk.resources.resource_groups.create_or_update("ex", {"location": "norwayeast"})
    path = f"/subscriptions/{sim.subscription_id}/resourcegroups/ex/exportTemplate"
    empty = _wire(sim, "POST", path, {"resources": ["*"]})
    assert empty.status == 200 and empty.body["template"]["resources"] == []
    sdk.network.network_security_groups.begin_create_or_update("ex", "nsg1", {"location": "norwayeast"}).result()
    full = _wire(sim, "POST", path, {"resources": ["*"]}).body["template"]
    (nsg,) = full["resources"]
    assert nsg["type"] == "Microsoft.Network/networkSecurityGroups" and nsg["name"] == "nsg1"
    assert "provisioningState" not in nsg["properties"]
    assert _wire(sim, "POST", path, {}).status == 400
