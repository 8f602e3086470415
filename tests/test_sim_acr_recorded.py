"""Container registry answers the az CLI recordings pinned down (Azure/azure-cli
src/azure-cli/azure/cli/command_modules/acr/tests/latest/recordings/test_acr_create_with_managed_registry.yaml,
test_acr_with_anonymous_pull.yaml; api 2022-02-01-preview), through the real ContainerRegistryManagementClient."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest

from azwizard.sim import SIM_BASE_URL

LOC = "norwayeast"


def _registry(sdk: Any, rg: str, name: str = "wizardreg01", sku: str = "Premium", admin: bool = False) -> Any:
    return sdk.containerregistry.registries.begin_create(rg, name, {
        "location": LOC, "sku": {"name": sku}, "properties": {"adminUserEnabled": admin}}).result()


def test_patch_switching_anonymous_pull_is_long_running(sdk: Any, rg: str) -> None:
    _registry(sdk, rg)
    first = sdk.containerregistry.registries.begin_update(
        rg, "wizardreg01", {"properties": {"anonymousPullEnabled": True}}, polling=False,
        cls=lambda resp, body, headers: resp.http_response).result()
    assert first.status_code == 201 and first.json()["properties"]["provisioningState"] == "Updating"
    assert "/operationStatuses/registries-" in first.headers["Azure-AsyncOperation"]
    done = sdk.containerregistry.registries.begin_update(
        rg, "wizardreg01", {"properties": {"anonymousPullEnabled": False}}).result()
    assert done.provisioning_state == "Succeeded" and done.anonymous_pull_enabled is False
    # Tags, admin user and policies change at once: 200 Succeeded.
    quick = sdk.containerregistry.registries.begin_update(
        rg, "wizardreg01", {"tags": {"foo": "bar"}, "properties": {"adminUserEnabled": True, "policies": {
            "retentionPolicy": {"days": 30, "status": "enabled"}}}}, polling=False,
        cls=lambda resp, body, headers: resp.http_response).result()
    assert quick.status_code == 200 and quick.json()["properties"]["provisioningState"] == "Succeeded"
    assert quick.json()["properties"]["policies"]["retentionPolicy"]["days"] == 30


def test_credentials_list_and_regenerate(sdk: Any, rg: str) -> None:
    _registry(sdk, rg, admin=False)
    with pytest.raises(HttpResponseError) as e:
        sdk.containerregistry.registries.list_credentials(rg, "wizardreg01")
    assert e.value.status_code == 400 and e.value.error.code == "UnAuthorizedForCredentialOperations"
    sdk.containerregistry.registries.begin_update(rg, "wizardreg01", {"properties": {"adminUserEnabled": True}}
                                                  ).result()
    creds = sdk.containerregistry.registries.list_credentials(rg, "wizardreg01")
    assert creds.username == "wizardreg01" and [p.name for p in creds.passwords] == ["password", "password2"]
    first, second = (p.value for p in creds.passwords)
    assert len(first) == 52 and "+ACR" in first and first != second
    assert sdk.containerregistry.registries.list_credentials(rg, "wizardreg01").passwords[0].value == first
    renewed = sdk.containerregistry.registries.regenerate_credential(rg, "wizardreg01", {"name": "password"})
    assert renewed.passwords[0].value != first and renewed.passwords[1].value == second


def test_list_usages_by_sku(sdk: Any, rg: str) -> None:
    _registry(sdk, rg)
    usages = {u.name: u for u in sdk.containerregistry.registries.list_usages(rg, "wizardreg01").value}
    assert usages["Size"].limit == 536870912000 and usages["Size"].unit == "Bytes"
    assert usages["Webhooks"].limit == 500 and usages["Geo-replications"].limit == -1
    _registry(sdk, rg, name="wizardreg02", sku="Basic")
    basic = {u.name: u.limit for u in sdk.containerregistry.registries.list_usages(rg, "wizardreg02").value}
    assert basic["Size"] == 10 * 1024**3 and basic["Webhooks"] == 2


def test_registry_shape_follows_the_api_version(sdk: Any, sim: Any, rg: str) -> None:
    _registry(sdk, rg)
    url = f"{SIM_BASE_URL}{sim.group_id(rg)}/providers/Microsoft.ContainerRegistry/registries/wizardreg01"
    old = sdk.containerregistry.send_request(HttpRequest("GET", url + "?api-version=2022-02-01-preview")).json()
    new = sdk.containerregistry.send_request(HttpRequest("GET", url + "?api-version=2025-11-01")).json()
    assert "roleAssignmentMode" not in old["properties"] and "networkRuleBypassAllowedForTasks" not in old["properties"]
    assert "roleAssignmentMode" in new["properties"] and "networkRuleBypassAllowedForTasks" in new["properties"]


def test_check_name_answer_by_api_version(sdk: Any, sim: Any) -> None:
    url = f"{SIM_BASE_URL}/subscriptions/{sim.subscription_id}/providers/Microsoft.ContainerRegistry/checkNameAvailability"
    body = {"name": "freshname01", "type": "Microsoft.ContainerRegistry/registries"}
    old = sdk.containerregistry.send_request(HttpRequest("POST", url + "?api-version=2022-02-01-preview", json=body))
    assert old.json() == {"nameAvailable": True}
    new = sdk.containerregistry.send_request(HttpRequest("POST", url + "?api-version=2025-11-01", json=body))
    assert new.json()["availableLoginServerName"] == "freshname01.azurecr.io"


def test_the_generic_resources_list_carries_the_registrys_system_data(sdk: Any, sim: Any, rg: str) -> None:
    """`az resource list --resource-type Microsoft.ContainerRegistry/registries` (api 2022-09-01): each registry
    in the recorded answer has its systemData (test_acr_create_with_managed_registry.yaml)."""
    _registry(sdk, rg)
    url = (f"{SIM_BASE_URL}/subscriptions/{sim.subscription_id}/resources?$filter=resourceType eq "
           "'Microsoft.ContainerRegistry/registries'&api-version=2022-09-01")
    items = sdk.containerregistry.send_request(HttpRequest("GET", url)).json()["value"]
    assert [i["name"] for i in items] == ["wizardreg01"]
    assert set(items[0]["systemData"]) >= {"createdBy", "createdByType", "createdAt", "lastModifiedAt"}
    assert "properties" not in items[0]
