"""AKS answers the az CLI recordings pinned down (Azure/azure-cli src/azure-cli/azure/cli/command_modules/acs/
tests/latest/recordings/test_aks_*.yaml, api-version 2023-10-01), through the real ContainerServiceClient."""

from __future__ import annotations

import copy
from typing import Any

from azure.core.rest import HttpRequest

from azwizard.sim import SIM_BASE_URL
from azwizard.sim.catalog import kubernetes as catalog_k8s

LOCATION = "norwayeast"
VERSION = catalog_k8s.default_version(LOCATION)


def _body(plugin: str = "azure", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "location": LOCATION, "identity": {"type": "SystemAssigned"}, "sku": {"name": "Base", "tier": "Free"},
        "properties": {
            "kubernetesVersion": VERSION, "dnsPrefix": "aks1", "addonProfiles": {},
            "agentPoolProfiles": [{"name": "nodepool1", "mode": "System", "count": 1, "vmSize": "Standard_D2s_v5",
                                   "osType": "Linux"}],
            "networkProfile": {"networkPlugin": plugin} if plugin != "azure" else
            {"networkPlugin": "azure", "networkPluginMode": "overlay"},
        },
    }
    body.update(extra)
    return body


def _first(resp: Any, body: Any, headers: Any) -> Any:
    return resp.http_response


def test_create_answer_shape(sdk: Any, rg: str) -> None:
    first = sdk.containerservice.managed_clusters.begin_create_or_update(
        rg, "aks1", _body(), polling=False, cls=_first).result().json()
    props = first["properties"]
    assert props["provisioningState"] == "Creating"
    assert "identityProfile" not in props  # not yet made in the Creating answer
    assert "addonProfiles" not in props  # {} sent, none answered
    assert props["windowsProfile"] == {"adminUsername": "azureuser", "enableCSIProxy": True}  # Azure CNI
    done = sdk.containerservice.managed_clusters.get(rg, "aks1")
    assert done.identity_profile["kubeletidentity"].object_id


def test_kubenet_cluster_has_no_windows_profile(sdk: Any, rg: str) -> None:
    mc = sdk.containerservice.managed_clusters.begin_create_or_update(rg, "aks2", _body("kubenet")).result()
    assert mc.windows_profile is None


def test_service_principal_cluster_gets_no_identity(sdk: Any, rg: str) -> None:
    body = _body("kubenet")
    del body["identity"]
    body["properties"]["servicePrincipalProfile"] = {"clientId": "00000000-0000-0000-0000-0000000000aa",
                                                     "secret": "not-a-real-secret"}
    first = sdk.containerservice.managed_clusters.begin_create_or_update(
        rg, "aks3", copy.deepcopy(body), polling=False, cls=_first).result().json()
    assert "identity" not in first
    assert first["properties"]["servicePrincipalProfile"] == {"clientId": "00000000-0000-0000-0000-0000000000aa"}


def test_old_api_version_shape(sdk: Any, sim: Any, rg: str) -> None:
    sdk.containerservice.managed_clusters.begin_create_or_update(rg, "aks1", _body()).result()
    base = f"{SIM_BASE_URL}{sim.group_id(rg)}/providers/Microsoft.ContainerService/managedClusters/aks1"
    old = sdk.containerservice.send_request(HttpRequest("GET", base + "?api-version=2023-10-01")).json()
    assert "systemData" not in old
    pool = sdk.containerservice.send_request(HttpRequest("GET", base + "/agentPools/nodepool1"
                                                                "?api-version=2023-10-01")).json()
    assert "securityProfile" not in pool["properties"]
    assert "scaleDownMode" not in pool["properties"] and "scaleSetPriority" not in pool["properties"]


def test_nodepool_scale_shows_scaling_and_upgrade_profile(sdk: Any, rg: str) -> None:
    sdk.containerservice.managed_clusters.begin_create_or_update(rg, "aks1", _body()).result()
    pools = sdk.containerservice.agent_pools
    added = pools.begin_create_or_update(rg, "aks1", "pool2", {"properties": {
        "count": 1, "vmSize": "Standard_D2s_v5", "osType": "Linux", "mode": "User", "scaleDownMode": "Delete",
        "scaleSetPriority": "Regular", "scaleSetEvictionPolicy": "Delete", "spotMaxPrice": -1}}).result()
    assert added.scale_down_mode == "Delete" and added.scale_set_priority is None and added.spot_max_price is None
    current = pools.get(rg, "aks1", "pool2").as_dict()["properties"]
    current["count"] = 3
    first = pools.begin_create_or_update(rg, "aks1", "pool2", {"properties": current}, polling=False,
                                         cls=_first).result().json()
    assert first["properties"]["provisioningState"] == "Scaling" and first["properties"]["count"] == 3
    profile = pools.get_upgrade_profile(rg, "aks1", "pool2")
    assert profile.name == "default" and profile.os_type == "Linux"
    assert profile.kubernetes_version and profile.latest_node_image_version
    assert profile.id.endswith("/agentPools/pool2/upgradeProfiles/default") and "/resourcegroups/" in profile.id


def test_pool_upgrades_stop_at_the_control_plane_and_cleared_ranges_drop_the_profile(sdk: Any, rg: str) -> None:
    body = _body()
    body["properties"]["apiServerAccessProfile"] = {"authorizedIPRanges": ["203.0.113.7/32"]}
    mc = sdk.containerservice.managed_clusters.begin_create_or_update(rg, "aks1", body).result()
    profile = sdk.containerservice.agent_pools.get_upgrade_profile(rg, "aks1", "nodepool1")
    assert not profile.upgrades  # the pool already runs the control plane's version
    current = mc.as_dict()
    current["properties"]["apiServerAccessProfile"] = {"authorizedIPRanges": []}
    updated = sdk.containerservice.managed_clusters.begin_create_or_update(rg, "aks1", current).result()
    assert updated.api_server_access_profile is None
