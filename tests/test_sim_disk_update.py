"""Managed disk PATCH (a resize through Disks_Update) and the regional disk SKU checks (issue #25)."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest

from azwizard.sim import SIM_BASE_URL

API = "2023-04-02"


def _disk(sdk: Any, rg: str, name: str = "d1", sku: str = "Premium_LRS", size: int = 10, **extra: Any) -> Any:
    return sdk.compute.disks.begin_create_or_update(rg, name, {
        "location": "norwayeast", "sku": {"name": sku},
        "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": size}, **extra}).result()


def test_disk_patch_resizes_through_the_disk_operation(sdk: Any, sim: Any, rg: str) -> None:
    _disk(sdk, rg)
    path = f"{sim.group_id(rg)}/providers/Microsoft.Compute/disks/d1"
    resp = sdk.compute.send_request(HttpRequest("PATCH", f"{SIM_BASE_URL}{path}?api-version={API}",
                                                json={"properties": {"diskSizeGB": 20}}))
    assert resp.status_code == 202
    assert resp.json()["properties"] == {"diskSizeGB": 20, "provisioningState": "Updating"}
    status_url = resp.headers["Azure-AsyncOperation"]
    assert "/DiskOperations/" in status_url and resp.headers["Location"] == status_url
    for _ in range(5):
        status = sdk.compute.send_request(HttpRequest("GET", status_url)).json()
        if status["status"] != "InProgress":
            break
    assert status["status"] == "Succeeded"
    assert status["properties"]["output"]["properties"]["diskSizeGB"] == 20
    disk = sdk.compute.disks.get(rg, "d1")
    assert disk.disk_size_gb == 20 and disk.tier == "P4" and disk.provisioning_state == "Succeeded"
    assert disk.sku.name == "Premium_LRS"


def test_disk_update_through_the_sdk_changes_size_sku_and_tags(sdk: Any, rg: str) -> None:
    before = _disk(sdk, rg, tags={"keep": "me"})
    after = sdk.compute.disks.begin_update(rg, "d1", {"properties": {"diskSizeGB": 100},
                                                      "sku": {"name": "StandardSSD_LRS"}}).result()
    assert after.disk_size_gb == 100 and after.sku.name == "StandardSSD_LRS" and after.tags == {"keep": "me"}
    assert after.unique_id == before.unique_id and after.time_created == before.time_created
    with pytest.raises(HttpResponseError) as err:
        sdk.compute.disks.begin_update(rg, "missing", {"properties": {"diskSizeGB": 20}}).result()
    assert err.value.status_code == 404 and err.value.error.code == "ResourceNotFound"


def test_disk_sku_not_offered_in_the_region_is_refused(sdk: Any, rg: str) -> None:
    sdk.resources.resource_groups.create_or_update("west-rg", {"location": "westcentralus"})  # no zones
    with pytest.raises(HttpResponseError) as err:
        sdk.compute.disks.begin_create_or_update("west-rg", "zrs", {
            "location": "westcentralus", "sku": {"name": "Premium_ZRS"},
            "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 10}}).result()
    assert err.value.status_code == 400 and err.value.error.code == "InvalidParameter"
    assert err.value.error.message == "SKU Premium_ZRS is not available." and err.value.error.target == "sku"
    assert not list(sdk.compute.disks.list_by_resource_group("west-rg"))
    # Offered where the region has zones, but not placed in one.
    assert _disk(sdk, rg, "zrs", sku="Premium_ZRS").sku.name == "Premium_ZRS"
    with pytest.raises(HttpResponseError) as err:
        _disk(sdk, rg, "zrs-zonal", sku="StandardSSD_ZRS", zones=["1"])
    assert err.value.status_code == 409 and err.value.error.code == "OperationNotAllowed"
