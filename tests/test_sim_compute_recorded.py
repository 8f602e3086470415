"""Managed disks and public IPs as the az CLI recordings show them (Azure/azure-cli
src/azure-cli/azure/cli/command_modules/vm/tests/latest/recordings/test_disk_bursting.yaml, api 2023-04-02;
.../network/tests/latest/recordings/test_network_public_ip_sku.yaml, api 2022-11-01), through the real SDK."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest

LOC = "norwayeast"


def _first(resp: Any, body: Any, headers: Any) -> Any:
    return resp.http_response


def test_disk_put_echoes_the_request_and_the_operation_carries_the_disk(sdk: Any, rg: str) -> None:
    disk = {"location": LOC, "tags": {}, "sku": {"name": "Premium_LRS"},
            "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 1024, "burstingEnabled": True}}
    first = sdk.compute.disks.begin_create_or_update(rg, "d1", disk, polling=False, cls=_first).result()
    assert first.status_code == 202
    echo = first.json()
    assert echo["sku"] == {"name": "Premium_LRS"} and echo["tags"] == {}
    assert set(echo["properties"]) == {"creationData", "diskSizeGB", "burstingEnabled", "provisioningState"}
    status_url = first.headers["Azure-AsyncOperation"]
    assert "/DiskOperations/" in status_url and first.headers["Location"] == status_url

    done = sdk.compute.disks.begin_create_or_update(rg, "d2", disk).result()
    assert done.bursting_enabled is True and done.bursting_enabled_time is not None
    assert done.tags == {} and done.sku.tier == "Premium" and done.tier == "P30"
    op = sdk.compute.send_request(HttpRequest("GET", status_url)).json()
    while op["status"] == "InProgress":  # the in-process simulator needs its polls
        op = sdk.compute.send_request(HttpRequest("GET", status_url)).json()
    assert op["status"] == "Succeeded" and op["properties"]["output"]["name"] == "d1"
    assert op["properties"]["output"]["properties"]["burstingEnabled"] is True


def test_basic_global_public_ip_is_refused_for_its_tier_first(sdk: Any, rg: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        sdk.network.public_ip_addresses.begin_create_or_update(rg, "pubip4", {
            "location": LOC, "sku": {"name": "Basic", "tier": "Global"},
            "properties": {"idleTimeoutInMinutes": 4, "publicIPAllocationMethod": "Dynamic"}}).result()
    assert e.value.error.code == "GlobalPublicIPAddressNotSupportedForBasicPublicIpAddress"
    assert "is not standard SKU" in e.value.error.message


def test_empty_tags_are_kept(sdk: Any, rg: str) -> None:
    pip = sdk.network.public_ip_addresses.begin_create_or_update(rg, "p1", {
        "location": LOC, "tags": {}, "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static"}}).result()
    assert pip.tags == {}
    nsg = sdk.network.network_security_groups.begin_create_or_update(rg, "n1", {"location": LOC, "tags": {}}).result()
    assert nsg.tags == {}


def test_disk_update_echo_leaves_out_premium_iops(sdk: Any, rg: str) -> None:
    disk = {"location": LOC, "sku": {"name": "Premium_LRS"},
            "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 1024,
                           "diskIOPSReadWrite": 5000, "diskMBpsReadWrite": 200}}
    first = sdk.compute.disks.begin_create_or_update(rg, "d3", disk, polling=False, cls=_first).result()
    assert "diskIOPSReadWrite" not in first.json()["properties"]


def test_nat_gateway_answers_no_uncited_keys(sdk: Any, rg: str) -> None:
    nat = sdk.network.nat_gateways.begin_create_or_update(rg, "ng1", {"location": LOC, "sku": {"name": "Standard"}}
                                                          ).result()
    raw = sdk.network.send_request(HttpRequest("GET", f"{nat.id}?api-version=2022-01-01")).json()
    assert not {"scope", "privateIPAddresses", "privateIPAddressesV6"} & set(raw["properties"])


def test_vm_etag_follows_the_api_version(sdk: Any, sim: Any, rg: str) -> None:
    vid = f"{sim.group_id(rg)}/providers/Microsoft.Compute/virtualMachines/vm1"
    sim.save(vid, {"id": vid, "name": "vm1", "type": "Microsoft.Compute/virtualMachines", "location": LOC,
                   "properties": {"provisioningState": "Succeeded"}})
    old = sdk.compute.send_request(HttpRequest("GET", f"{vid}?api-version=2023-09-01")).json()
    new = sdk.compute.send_request(HttpRequest("GET", f"{vid}?api-version=2024-03-01")).json()
    assert "etag" not in old and new["etag"]


def test_standard_ssd_disk_answers_no_performance_tier_and_no_zone_echo(sdk: Any, rg: str) -> None:
    disk = {"location": LOC, "sku": {"name": "StandardSSD_LRS"}, "zones": ["2"],
            "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 4}}
    first = sdk.compute.disks.begin_create_or_update(rg, "d4", disk, polling=False, cls=_first).result()
    assert "zones" not in first.json()
    done = sdk.compute.disks.get(rg, "d4")
    assert done.tier is None and done.zones == ["2"]
