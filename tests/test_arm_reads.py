"""The generic reader (azwizard/azure/arm.py): the same request and the same answer as the typed SDK clients,
without their imports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from conftest import SdkClients

from azwizard.azure import ops
from azwizard.azure.arm import API_VERSIONS, api_version_for
from azwizard.azure.session import ClientFactory
from azwizard.sim import ArmSim
from azwizard.specs.vm import VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop b@x"


def _asked(sim: ArmSim, call: Callable[[], Any]) -> str:
    """The api-version of the (last) request ``call`` sent."""
    before = len(sim.requests)
    try:
        result = call()
        if hasattr(result, "__next__") or hasattr(result, "by_page"):
            list(result)
    except HttpResponseError:
        pass  # the request was sent; a 404 or a refusal is fine here
    sent = sim.requests[before:]
    assert sent, "no request sent"
    return str(sent[-1].api_version)


def test_api_versions_are_the_installed_sdk_defaults(sim: ArmSim, sdk: SdkClients, rg: str) -> None:
    sub = sim.subscription_id
    probes: dict[str, Callable[[], Any]] = {
        "microsoft.resources/subscriptions": lambda: sdk.subscriptions.subscriptions.list_locations(sub),
        "microsoft.resources/tenants": lambda: sdk.subscriptions.tenants.list(),
        "microsoft.resources/resourcegroups": lambda: sdk.resources.resource_groups.get(rg),
        "microsoft.resources/providers": lambda: sdk.resources.providers.get("Microsoft.Network"),
        "microsoft.network/networksecuritygroups": lambda: sdk.network.network_security_groups.get(rg, "x"),
        "microsoft.network/publicipaddresses": lambda: sdk.network.public_ip_addresses.get(rg, "x"),
        "microsoft.network/natgateways": lambda: sdk.network.nat_gateways.get(rg, "x"),
        "microsoft.network/virtualnetworks": lambda: sdk.network.virtual_networks.get(rg, "x"),
        "microsoft.network/networkinterfaces": lambda: sdk.network.network_interfaces.get(rg, "x"),
        "microsoft.network/locations/usages": lambda: sdk.network.usages.list("norwayeast"),
        "microsoft.compute/virtualmachines": lambda: sdk.compute.virtual_machines.get(rg, "x"),
        "microsoft.compute/disks": lambda: sdk.compute.disks.get(rg, "x"),
        "microsoft.compute/skus": lambda: sdk.compute.resource_skus.list(filter="location eq 'norwayeast'"),
        "microsoft.compute/locations/usages": lambda: sdk.compute.usage.list("norwayeast"),
        "microsoft.compute/locations/publishers/artifacttypes/offers/skus/versions":
            lambda: sdk.compute.virtual_machine_images.list("norwayeast", "Canonical", "x", "y"),
        "microsoft.containerservice/managedclusters": lambda: sdk.containerservice.managed_clusters.get(rg, "x"),
        "microsoft.containerservice/managedclusters/agentpools":
            lambda: sdk.containerservice.agent_pools.get(rg, "x", "y"),
        "microsoft.containerservice/managedclusters/maintenanceconfigurations":
            lambda: sdk.containerservice.maintenance_configurations.get(rg, "x", "y"),
        "microsoft.containerservice/locations/kubernetesversions":
            lambda: sdk.containerservice.managed_clusters.list_kubernetes_versions("norwayeast"),
        "microsoft.containerregistry/registries": lambda: sdk.containerregistry.registries.get(rg, "x"),
        "microsoft.containerregistry/checknameavailability":
            lambda: sdk.containerregistry.registries.check_name_availability(
                {"name": "azwizardx1", "type": "Microsoft.ContainerRegistry/registries"}),
        "microsoft.recoveryservices/vaults": lambda: sdk.recoveryservices.vaults.get(rg, "x"),
        "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems":
            lambda: sdk.backup.protected_items.get("v", rg, "Azure", "c", "i"),
        "microsoft.authorization/roleassignments":
            lambda: sdk.authorization.role_assignments.get(f"/subscriptions/{sub}", "0" * 8 + "-0000-0000-0000-" + "0" * 12),
        "microsoft.authorization/permissions": lambda: sdk.authorization.permissions.list_for_resource_group(rg),
        "microsoft.authorization/locks": lambda: sdk.locks.management_locks.list_at_subscription_level(),
    }
    assert set(probes) == set(API_VERSIONS)
    assert {kind: _asked(sim, probe) for kind, probe in probes.items()} == API_VERSIONS


def _vnet_id(sim: ArmSim, rg: str) -> str:
    return f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/v1"


def test_a_read_answers_what_the_typed_client_answers(sim: ArmSim, sdk: SdkClients, rg: str,
                                                      factory: ClientFactory) -> None:
    sdk.network.virtual_networks.begin_create_or_update(rg, "v1", {
        "location": "norwayeast", "tags": {"a": "b"},
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                       "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}]}}).result()
    typed = json.loads(json.dumps(dict(sdk.network.virtual_networks.get(rg, "v1")), default=dict))
    generic = ops.get(factory, "Microsoft.Network/virtualNetworks", _vnet_id(sim, rg))
    assert generic == typed
    assert generic["properties"]["subnets"][0]["name"] == "default"
    assert "network" not in factory.built()  # no typed client was needed


def test_absent_is_none_and_a_refusal_is_the_sdk_error(sim: ArmSim, rg: str, factory: ClientFactory) -> None:
    assert ops.get(factory, "Microsoft.Network/virtualNetworks", _vnet_id(sim, rg)) is None
    missing_group = _vnet_id(sim, "no-such-rg")
    assert ops.get(factory, "Microsoft.Network/virtualNetworks", missing_group) is None  # ResourceGroupNotFound
    with pytest.raises(ResourceNotFoundError):
        factory.arm().get(missing_group, api_version_for("Microsoft.Network/virtualNetworks"))
    from azure.core.rest import HttpRequest

    from azwizard.azure.errors import explain
    from azwizard.sim.transport import SimHttpResponse, SimTransport

    class Refusing(SimTransport):
        def send(self, request: HttpRequest, **kwargs: Any) -> Any:  # type: ignore[override]
            body = {"error": {"code": "AuthorizationFailed", "message": "The client does not have authorization."}}
            return SimHttpResponse(request, 403, {"Content-Type": "application/json"}, json.dumps(body).encode())

    refusing = ClientFactory(factory.credential, sim.subscription_id, base_url=factory.base_url,
                             transport=Refusing(sim), retry_total=0)
    with pytest.raises(HttpResponseError) as refused:
        ops.get(refusing, "Microsoft.Network/virtualNetworks", _vnet_id(sim, rg))
    assert refused.value.status_code == 403 and refused.value.error is not None
    assert refused.value.error.code == "AuthorizationFailed"
    assert explain(refused.value).code == "AuthorizationFailed"
    with pytest.raises(ValueError, match="does not know how to manage"):
        ops.get(factory, "Microsoft.Web/sites", _vnet_id(sim, rg))


def test_lists_follow_next_link(sim: ArmSim, sdk: SdkClients, factory: ClientFactory) -> None:
    from azure.core.rest import HttpRequest

    from azwizard.sim.transport import SimHttpResponse, SimTransport

    class Paged(SimTransport):
        """Splits the resource group list into pages of one, linked by nextLink."""

        def send(self, request: HttpRequest, **kwargs: Any) -> Any:  # type: ignore[override]
            if "/resourcegroups" in request.url.lower() and "page=" not in request.url:
                response = super().send(request, **kwargs)
                groups = response.json()["value"]
                for g in groups:
                    pages.append(g)
                return _page(request, 0)
            if "page=" in request.url:
                return _page(request, int(request.url.rsplit("page=", 1)[1]))
            return super().send(request, **kwargs)

    pages: list[dict[str, Any]] = []
    base = factory.base_url or ""

    def _page(request: HttpRequest, n: int) -> Any:
        more = {"nextLink": f"{base}/subscriptions/{sim.subscription_id}/resourcegroups?api-version=x&page={n + 1}"}
        body = {"value": pages[n:n + 1], **(more if n + 1 < len(pages) else {})}
        return SimHttpResponse(request, 200, {"Content-Type": "application/json"}, json.dumps(body).encode())

    for name in ("g1", "g2", "g3"):
        sdk.resources.resource_groups.create_or_update(name, {"location": "norwayeast"})
    paged = ClientFactory(factory.credential, sim.subscription_id, base_url=base, transport=Paged(sim))
    names = [g["name"] for g in paged.arm().list_items(f"/subscriptions/{sim.subscription_id}/resourcegroups",
                                                        api_version_for("Microsoft.Resources/resourceGroups"))]
    assert sorted(names) == ["g1", "g2", "g3"] and len(pages) == 3


def test_catalog_and_plan_reads_build_no_typed_client(factory: ClientFactory, sim: ArmSim, tmp_path: Path) -> None:
    from azwizard.azure.catalog import Catalog
    from azwizard.plan.vm import plan_vm
    from azwizard.run.preflight import read_plan

    catalog = Catalog(factory, cache_dir=tmp_path)
    catalog.subscription_facts()
    catalog.region_facts("norwayeast")
    spec = VmSpec.for_base("Lazy", ssh_public_key=KEY)
    diff = read_plan(factory, plan_vm(spec, subscription_id=sim.subscription_id, run_id="r", created_at="t"))
    assert {e.action for e in diff.entries} == {"create"}
    assert factory.built() == ["arm"]
