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
