"""Microsoft.ContainerRegistry in the simulator, driven through the real ContainerRegistryManagementClient."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.containerregistry.models import (
    Registry,
    RegistryNameCheckRequest,
    RegistryUpdateParameters,
    Sku,
)

from azwizard.sim.providers.containerregistry import TAKEN_ELSEWHERE


def _create(sdk: Any, rg: str, name: str, sku: str = "Basic", **kw: Any) -> Any:
    return sdk.containerregistry.registries.begin_create(
        rg, name, Registry(location=kw.pop("location", "norwayeast"), sku=Sku(name=sku), **kw)
    ).result()


def test_create_is_an_lro_with_registry_scoped_status_url(sdk: Any, sim: Any, rg: str) -> None:
    reg = _create(sdk, rg, "wizardacr01", tags={"created-by": "azwizard"})
    assert reg.name == "wizardacr01"
    assert reg.type == "Microsoft.ContainerRegistry/registries"
    assert reg.sku.name == "Basic" and reg.sku.tier == "Basic"
    assert reg.location == "norwayeast"
    assert reg.tags == {"created-by": "azwizard"}
    assert reg.login_server == "wizardacr01.azurecr.io"
    assert reg.admin_user_enabled is False
    assert reg.provisioning_state == "Succeeded"
    assert reg.public_network_access == "Enabled"
    put = sim.requests_to("PUT", "/registries/wizardacr01")[0]
    assert put.body["sku"] == {"name": "Basic"}
    polls = sim.requests_to("GET", "/registries/wizardacr01/operationStatuses/registries-")
    assert polls, "the SDK polled the registry-scoped Azure-AsyncOperation URL"


def test_initial_put_answers_201_creating(sdk: Any, sim: Any, rg: str) -> None:
    poller = sdk.containerregistry.registries.begin_create(
        rg, "wizardacr02", Registry(location="norwayeast", sku=Sku(name="Premium")), polling=False
    )
    initial = poller.result()
    assert initial.provisioning_state == "Creating"
    assert sdk.containerregistry.registries.get(rg, "wizardacr02").sku.tier == "Premium"


def test_get_list_update_delete(sdk: Any, rg: str) -> None:
    _create(sdk, rg, "wizardacr03", sku="Standard")
    _create(sdk, rg, "wizardacr04")
    sdk.resources.resource_groups.create_or_update("other-rg", {"location": "westeurope"})
    _create(sdk, "other-rg", "wizardacr05", location="westeurope")
    assert sorted(r.name for r in sdk.containerregistry.registries.list_by_resource_group(rg)) == [
        "wizardacr03", "wizardacr04"]
    assert {r.name for r in sdk.containerregistry.registries.list()} == {"wizardacr03", "wizardacr04", "wizardacr05"}

    updated = sdk.containerregistry.registries.begin_update(
        rg, "wizardacr03", RegistryUpdateParameters(sku=Sku(name="Premium"), admin_user_enabled=True)
    ).result()
    assert updated.sku.name == "Premium" and updated.admin_user_enabled is True

    sdk.containerregistry.registries.begin_delete(rg, "wizardacr03").result()
    with pytest.raises(HttpResponseError) as e:
        sdk.containerregistry.registries.get(rg, "wizardacr03")
    assert e.value.status_code == 404 and e.value.error.code == "ResourceNotFound"


def test_list_pages_follow_next_link(sdk: Any, sim: Any, rg: str) -> None:
    sim.page_size = 2
    for i in range(5):
        _create(sdk, rg, f"pagedacr{i:02d}")
    names = [r.name for r in sdk.containerregistry.registries.list_by_resource_group(rg)]
    assert names == [f"pagedacr{i:02d}" for i in range(5)]
    pages = [r for r in sim.requests_to("GET", "/providers/Microsoft.ContainerRegistry/registries")
             if r.path.endswith("/registries")]
    assert len(pages) == 3


def test_check_name_availability(sdk: Any, rg: str) -> None:
    ops = sdk.containerregistry.registries
    free = ops.check_name_availability(RegistryNameCheckRequest(name="freshname42",
                                                                type="Microsoft.ContainerRegistry/registries"))
    assert free.name_available is True

    taken = ops.check_name_availability(RegistryNameCheckRequest(name="Contoso",
                                                                 type="Microsoft.ContainerRegistry/registries"))
    assert taken.name_available is False and taken.reason == "AlreadyExists"
    assert taken.message == "The registry Contoso is already in use."

    _create(sdk, rg, "wizardacr06")
    mine = ops.check_name_availability(RegistryNameCheckRequest(name="WIZARDACR06",
                                                                type="Microsoft.ContainerRegistry/registries"))
    assert mine.name_available is False and mine.reason == "AlreadyExists"

    for bad in ("acr", "my-registry", "x" * 51):
        invalid = ops.check_name_availability(RegistryNameCheckRequest(
            name=bad, type="Microsoft.ContainerRegistry/registries"))
        assert invalid.name_available is False and invalid.reason == "Invalid"
        assert "between 5 and 50 characters" in invalid.message


@pytest.mark.parametrize("name", ["acr", "my-registry", "a" * 51, "acr_underscore"])
def test_invalid_name_is_rejected(sdk: Any, rg: str, name: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        _create(sdk, rg, name)
    assert e.value.status_code == 400
    assert e.value.error.code == "ResourceNameInvalid"
    assert e.value.error.message == (f"Invalid resource name: '{name}'. Resource names may contain alpha numeric "
                                     "characters only and must be between 5 and 50 characters.")


@pytest.mark.parametrize("name", sorted(TAKEN_ELSEWHERE)[:3])
def test_name_owned_by_another_tenant_is_rejected(sdk: Any, rg: str, name: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        _create(sdk, rg, name)
    assert e.value.error.code == "AlreadyInUse"
    assert e.value.error.message.startswith(f"The registry DNS name {name}.azurecr.io is already in use.")


def test_name_used_in_another_group_is_rejected_but_same_registry_updates(sdk: Any, rg: str) -> None:
    _create(sdk, rg, "wizardacr07")
    again = _create(sdk, rg, "wizardacr07", sku="Standard")  # a PUT to the same registry is an update
    assert again.sku.name == "Standard"
    sdk.resources.resource_groups.create_or_update("other-rg", {"location": "norwayeast"})
    with pytest.raises(HttpResponseError) as e:
        _create(sdk, "other-rg", "WizardAcr07")
    assert e.value.status_code == 409 and e.value.error.code == "AlreadyInUse"


def test_classic_or_missing_sku_is_rejected(sdk: Any, sim: Any, rg: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        _create(sdk, rg, "wizardacr08", sku="Classic")
    assert e.value.error.code == "ClassicSkuDeprecated"
    with pytest.raises(HttpResponseError) as e:
        sdk.containerregistry.registries.begin_create(rg, "wizardacr08", {"location": "norwayeast"}).result()
    assert e.value.error.code == "ClassicSkuDeprecated"
    with pytest.raises(HttpResponseError) as e:
        _create(sdk, rg, "wizardacr08", sku="Free")
    assert e.value.error.code == "InvalidRequestContent"


def test_snake_case_property_is_rejected(sdk: Any, rg: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        sdk.containerregistry.registries.begin_create(
            rg, "wizardacr09",
            {"location": "norwayeast", "sku": {"name": "Basic"}, "properties": {"admin_user_enabled": True}},
        ).result()
    assert e.value.status_code == 400 and e.value.error.code == "InvalidRequestContent"
    assert "Could not find member 'admin_user_enabled' on object of type 'RegistryProperties'" in e.value.error.message


def test_group_and_location_checks(sdk: Any, rg: str) -> None:
    with pytest.raises(HttpResponseError) as e:
        _create(sdk, "no-such-rg", "wizardacr10")
    assert e.value.error.code == "ResourceGroupNotFound"
    with pytest.raises(HttpResponseError) as e:
        _create(sdk, rg, "wizardacr10", location="moon")
    assert e.value.error.code == "LocationNotAvailableForResourceType"


def test_delete_respects_locks(sdk: Any, rg: str) -> None:
    _create(sdk, rg, "wizardacr11")
    sdk.locks.management_locks.create_or_update_at_resource_group_level(rg, "keep", {"level": "CanNotDelete"})
    with pytest.raises(HttpResponseError) as e:
        sdk.containerregistry.registries.begin_delete(rg, "wizardacr11").result()
    assert e.value.error.code == "ScopeLocked"
