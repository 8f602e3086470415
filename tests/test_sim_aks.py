"""The simulated AKS resource provider, driven through the real ContainerServiceClient."""

from __future__ import annotations

import base64
import copy
import re
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.mgmt.containerservice import models as m

from azwizard.sim.catalog import kubernetes as catalog_k8s
from azwizard.sim.providers.containerservice_network import build_network_profile
from azwizard.sim.providers.containerservice_rules import AksError

LOCATION = "norwayeast"
MC = "MC_test-rg_aks1_norwayeast"
DEFAULT_MINOR = catalog_k8s.default_version(LOCATION)


def notes_cluster(version: str = DEFAULT_MINOR) -> m.ManagedCluster:
    """The seed notes' cluster, corrected: dual-stack Azure CNI Overlay + Cilium, Azure Linux, 3 nodes of a
    non-B-series size, Standard tier, a supported version."""
    return m.ManagedCluster(
        location=LOCATION,
        sku=m.ManagedClusterSKU(name="Base", tier="Standard"),
        identity=m.ManagedClusterIdentity(type="SystemAssigned"),
        kubernetes_version=version,
        dns_prefix="aks1",
        agent_pool_profiles=[m.ManagedClusterAgentPoolProfile(
            name="system", mode="System", count=3, vm_size="Standard_D2s_v5", os_type="Linux", os_sku="AzureLinux")],
        network_profile=m.ContainerServiceNetworkProfile(
            network_plugin="azure", network_plugin_mode="overlay", network_dataplane="cilium",
            ip_families=["IPv4", "IPv6"], load_balancer_sku="standard", outbound_type="loadBalancer"),
        api_server_access_profile=m.ManagedClusterAPIServerAccessProfile(authorized_ip_ranges=["203.0.113.7"]),
    )


def wire_body(**props: Any) -> dict[str, Any]:
    """A minimal valid wire body (plain dict, sent by the SDK as-is); ``props`` override properties."""
    body: dict[str, Any] = {
        "location": LOCATION,
        "identity": {"type": "SystemAssigned"},
        "sku": {"name": "Base", "tier": "Free"},
        "properties": {
            "kubernetesVersion": DEFAULT_MINOR,
            "dnsPrefix": "aks1",
            "agentPoolProfiles": [{"name": "nodepool1", "mode": "System", "count": 1, "vmSize": "Standard_D2s_v5",
                                   "osType": "Linux"}],
            "networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                               "ipFamilies": ["IPv4", "IPv6"]},
        },
    }
    body["properties"].update(props)
    return body


def pool(**over: Any) -> dict[str, Any]:
    base = {"name": "nodepool1", "mode": "System", "count": 1, "vmSize": "Standard_D2s_v5", "osType": "Linux"}
    base.update(over)
    return base


def create(sdk: Any, body: Any, name: str = "aks1", rg: str = "test-rg", **kw: Any) -> Any:
    return sdk.containerservice.managed_clusters.begin_create_or_update(rg, name, body, **kw).result()


def rejected(sdk: Any, body: Any, name: str = "aks1") -> Any:
    with pytest.raises(HttpResponseError) as info:
        create(sdk, body, name)
    assert sdk.sim.get(f"/subscriptions/{sdk.sim.subscription_id}/resourceGroups/test-rg/providers/"
                       f"Microsoft.ContainerService/managedClusters/{name}") is None
    return info.value


# ---------------------------------------------------------------- the happy path


def test_create_answers_201_creating_then_succeeds_with_server_defaults(sdk: Any, rg: str) -> None:
    first = sdk.containerservice.managed_clusters.begin_create_or_update(rg, "aks1", notes_cluster(), polling=False)
    assert first.result().provisioning_state == "Creating"
    put = [r for r in sdk.sim.requests_to("PUT", "/managedClusters/aks1")][0]
    assert put.api_version == "2026-08-01"

    mc = sdk.containerservice.managed_clusters.get(rg, "aks1")
    mc = sdk.containerservice.managed_clusters.get(rg, "aks1")  # two GETs finish the operation
    assert mc.provisioning_state == "Succeeded"
    assert mc.type == "Microsoft.ContainerService/ManagedClusters"
    assert mc.power_state.code == "Running"
    assert mc.kubernetes_version == DEFAULT_MINOR
    assert mc.current_kubernetes_version == catalog_k8s.resolve_version(LOCATION, DEFAULT_MINOR)
    assert re.fullmatch(r"aks1-[0-9a-f]{8}\.hcp\.norwayeast\.azmk8s\.io", mc.fqdn)
    assert mc.azure_portal_fqdn == mc.fqdn.replace(".hcp.", ".portal.hcp.")
    assert mc.node_resource_group == MC
    assert mc.enable_rbac is True and mc.support_plan == "KubernetesOfficial" and mc.max_agent_pools == 100
    assert mc.identity.principal_id and mc.identity.tenant_id == sdk.sim.tenant_id
    kubelet = mc.identity_profile["kubeletidentity"]
    assert kubelet.resource_id.endswith(f"/resourcegroups/{MC}/providers/Microsoft.ManagedIdentity/"
                                        "userAssignedIdentities/aks1-agentpool")
    assert kubelet.client_id and kubelet.object_id
    assert mc.api_server_access_profile.authorized_ip_ranges == ["203.0.113.7/32"]

    (p,) = mc.agent_pool_profiles
    assert (p.name, p.count, p.vm_size, p.mode, p.os_sku) == ("system", 3, "Standard_D2s_v5", "System", "AzureLinux")
    assert (p.os_disk_size_gb, p.os_disk_type, p.max_pods) == (128, "Managed", 250)
    assert p.current_orchestrator_version == mc.current_kubernetes_version
    assert p.node_image_version.startswith("AKSAzureLinux-") and p.power_state.code == "Running"
    assert p.provisioning_state == "Succeeded" and p.type == "VirtualMachineScaleSets"

    net = mc.network_profile
    assert net.ip_families == ["IPv4", "IPv6"]
    assert net.pod_cidrs == ["10.244.0.0/16", "fd12:3456:789a::/64"]
    assert net.service_cidrs == ["10.0.0.0/16", "fd12:3456:789a:1::/108"]
    assert (net.pod_cidr, net.service_cidr, net.dns_service_ip) == ("10.244.0.0/16", "10.0.0.0/16", "10.0.0.10")
    assert (net.network_policy, net.network_dataplane, net.outbound_type) == ("cilium", "cilium", "loadBalancer")
    lb = net.load_balancer_profile
    assert (lb.managed_outbound_i_ps.count, lb.managed_outbound_i_ps.count_ipv6) == (1, 1)
    ids = [ip.id for ip in lb.effective_outbound_i_ps]
    assert len(ids) == 2 and ids[1].endswith("-ipv6") and f"/resourceGroups/{MC}/" in ids[0]


def test_node_resource_group_holds_the_cluster_infrastructure(sdk: Any, rg: str) -> None:
    mc = create(sdk, notes_cluster())
    group = sdk.resources.resource_groups.get(MC)
    assert group.managed_by.lower() == mc.id.lower()
    assert group.location == LOCATION
    found = {(r.type, r.name) for r in sdk.resources.resources.list_by_resource_group(MC)}
    types = sorted(t for t, _ in found)
    assert types.count("Microsoft.Network/publicIPAddresses") == 2
    for rtype in ("Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Network/loadBalancers",
                  "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/virtualNetworks",
                  "Microsoft.ManagedIdentity/userAssignedIdentities"):
        assert rtype in types
    assert ("Microsoft.Network/loadBalancers", "kubernetes") in found
    assert any(re.fullmatch(r"aks-vnet-\d{8}", n) for _, n in found)
    assert any(re.fullmatch(r"aks-system-\d{8}-vmss", n) for _, n in found)
    v6 = [b for b in sdk.sim.of_type("Microsoft.Network/publicIPAddresses", group=sdk.sim.group_id(MC))
          if b["properties"]["publicIPAddressVersion"] == "IPv6"]
    assert len(v6) == 1 and v6[0]["sku"]["name"] == "Standard"
    vmss = sdk.sim.of_type("Microsoft.Compute/virtualMachineScaleSets", group=sdk.sim.group_id(MC))[0]
    assert vmss["sku"] == {"name": "Standard_D2s_v5", "tier": "Standard", "capacity": 3}


def test_lists_by_group_and_subscription(sdk: Any, rg: str) -> None:
    create(sdk, notes_cluster())
    assert [c.name for c in sdk.containerservice.managed_clusters.list_by_resource_group(rg)] == ["aks1"]
    assert [c.name for c in sdk.containerservice.managed_clusters.list()] == ["aks1"]


def test_credentials_are_kubeconfigs_for_the_cluster(sdk: Any, rg: str) -> None:
    mc = create(sdk, notes_cluster())
    user = sdk.containerservice.managed_clusters.list_cluster_user_credentials(rg, "aks1")
    (kc,) = user.kubeconfigs
    assert kc.name == "clusterUser"
    text = kc.value.decode()
    assert "kind: Config" in text and "current-context: aks1\n" in text
    assert f"    server: https://{mc.fqdn}:443\n" in text
    assert "  name: aks1\n" in text and "user: clusterUser_test-rg_aks1" in text
    pem = re.search(r"certificate-authority-data: (\S+)", text).group(1)
    assert "BEGIN CERTIFICATE" in base64.b64decode(pem).decode()
    admin = sdk.containerservice.managed_clusters.list_cluster_admin_credentials(rg, "aks1").kubeconfigs[0]
    assert admin.name == "clusterAdmin" and "current-context: aks1-admin" in admin.value.decode()
    post = sdk.sim.requests_to("POST", "/listClusterUserCredential")
    assert post and post[0].api_version == "2026-08-01"


def test_admin_credentials_refused_without_local_accounts(sdk: Any, rg: str) -> None:
    create(sdk, wire_body(disableLocalAccounts=True))
    with pytest.raises(HttpResponseError) as info:
        sdk.containerservice.managed_clusters.list_cluster_admin_credentials(rg, "aks1")
    assert info.value.error.code == "BadRequest"


def test_stop_and_start_change_power_state(sdk: Any, rg: str) -> None:
    clusters = sdk.containerservice.managed_clusters
    create(sdk, notes_cluster())
    clusters.begin_stop(rg, "aks1", polling=False)
    stopping = clusters.get(rg, "aks1")
    assert stopping.provisioning_state == "Stopping" and stopping.power_state.code == "Running"
    with pytest.raises(ResourceExistsError) as info:  # start while stopping: one operation at a time
        clusters.begin_start(rg, "aks1")
    assert info.value.error.code == "OperationNotAllowed"
    assert "in progress stop managed cluster operation" in info.value.error.message
    stopped = clusters.get(rg, "aks1")
    assert stopped.provisioning_state == "Succeeded" and stopped.power_state.code == "Stopped"
    assert stopped.agent_pool_profiles[0].power_state.code == "Stopped"
    clusters.begin_start(rg, "aks1").result()
    running = clusters.get(rg, "aks1")
    assert running.power_state.code == "Running" and running.agent_pool_profiles[0].power_state.code == "Running"


def test_agent_pools_add_list_get_delete(sdk: Any, rg: str) -> None:
    create(sdk, notes_cluster())
    pools = sdk.containerservice.agent_pools
    user = m.AgentPool(count=2, vm_size="Standard_D4s_v5", os_type="Linux", mode="User")
    added = pools.begin_create_or_update(rg, "aks1", "userpool", user).result()
    assert added.provisioning_state == "Succeeded" and added.mode == "User" and added.max_pods == 250
    assert added.type == "Microsoft.ContainerService/managedClusters/agentPools"
    assert sorted(p.name for p in pools.list(rg, "aks1")) == ["system", "userpool"]
    assert pools.get(rg, "aks1", "userpool").count == 2
    names = [b["name"] for b in sdk.sim.of_type("Microsoft.Compute/virtualMachineScaleSets")]
    assert any(n.startswith("aks-userpool-") for n in names)

    scaled = pools.begin_create_or_update(rg, "aks1", "userpool", m.AgentPool(count=4, vm_size="Standard_D4s_v5",
                                                                              mode="User")).result()
    assert scaled.count == 4

    with pytest.raises(HttpResponseError) as info:
        pools.begin_delete(rg, "aks1", "system").result()
    assert (info.value.status_code, info.value.error.code) == (400, "OperationNotAllowed")
    assert info.value.error.message == "There has to be at least one system agent pool."

    pools.begin_delete(rg, "aks1", "userpool").result()
    assert [p.name for p in pools.list(rg, "aks1")] == ["system"]
    assert not any(b["name"].startswith("aks-userpool-") for b in sdk.sim.of_type("Microsoft.Compute/virtualMachineScaleSets"))
    with pytest.raises(ResourceNotFoundError):
        pools.get(rg, "aks1", "userpool")
    with pytest.raises(HttpResponseError) as info:
        pools.begin_delete(rg, "aks1", "system").result()
    assert info.value.error.message == "There has to be at least one agent pool."


def test_agent_pool_rejections(sdk: Any, rg: str) -> None:
    create(sdk, notes_cluster())
    pools = sdk.containerservice.agent_pools
    cases = [
        ("Bad-Name", {"vmSize": "Standard_D2s_v5"}, "InvalidParameter"),
        ("winpool1", {"vmSize": "Standard_D2s_v5", "osType": "Windows"}, "InvalidParameter"),
        ("tiny", {"vmSize": "Standard_A1_v2", "mode": "User"}, "BadRequest"),
        ("old", {"vmSize": "Standard_D2s_v5", "orchestratorVersion": "1.25.5"}, "AgentPoolK8sVersionNotSupported"),
        ("eph", {"vmSize": "Standard_DS2_v2", "osDiskType": "Ephemeral"}, "VMCacheSizeTooSmall"),
    ]
    for name, props, code in cases:
        with pytest.raises(HttpResponseError) as info:
            pools.begin_create_or_update(rg, "aks1", name, {"properties": props}).result()
        assert info.value.error.code == code, name
    assert sorted(p.name for p in pools.list(rg, "aks1")) == ["system"]


def test_delete_removes_the_cluster_and_its_node_resource_group(sdk: Any, rg: str) -> None:
    create(sdk, notes_cluster())
    assert sdk.resources.resource_groups.check_existence(MC)
    sdk.containerservice.managed_clusters.begin_delete(rg, "aks1").result()
    with pytest.raises(ResourceNotFoundError):
        sdk.containerservice.managed_clusters.get(rg, "aks1")
    assert not sdk.resources.resource_groups.check_existence(MC)
    assert not sdk.sim.under(sdk.sim.group_id(MC))
    # deleting what is already gone is a 204 the SDK accepts
    sdk.containerservice.managed_clusters.begin_delete(rg, "aks1").result()


def test_deleting_the_resource_group_takes_the_node_resource_group_along(sdk: Any, rg: str) -> None:
    create(sdk, notes_cluster())
    sdk.resources.resource_groups.begin_delete(rg).result()
    assert not sdk.resources.resource_groups.check_existence(MC)


def test_delete_preempts_a_running_create(sdk: Any, rg: str) -> None:
    sdk.containerservice.managed_clusters.begin_create_or_update(rg, "aks1", notes_cluster(), polling=False)
    sdk.containerservice.managed_clusters.begin_delete(rg, "aks1").result()
    assert not sdk.resources.resource_groups.check_existence(MC)
    preempted = [op for op in sdk.sim.ops.values() if op.kind == "put"]
    assert preempted[0].error["code"] == "AKSOperationPreemptedByDelete"


def test_existence_check_is_a_404(sdk: Any, rg: str) -> None:
    with pytest.raises(ResourceNotFoundError) as info:
        sdk.containerservice.managed_clusters.get(rg, "aks1")
    assert info.value.error.code == "ResourceNotFound"
    assert "Microsoft.ContainerService/managedClusters/aks1" in info.value.error.message


def test_update_scales_the_system_pool(sdk: Any, rg: str) -> None:
    create(sdk, notes_cluster())
    body = notes_cluster()
    body.agent_pool_profiles[0].count = 5
    updated = create(sdk, body)
    assert updated.agent_pool_profiles[0].count == 5
    vmss = sdk.sim.of_type("Microsoft.Compute/virtualMachineScaleSets", group=sdk.sim.group_id(MC))
    assert [v["sku"]["capacity"] for v in vmss] == [5]
    assert len(sdk.sim.of_type("Microsoft.Network/publicIPAddresses", group=sdk.sim.group_id(MC))) == 2


def test_kubernetes_versions_parse(sdk: Any, rg: str) -> None:
    result = sdk.containerservice.managed_clusters.list_kubernetes_versions(LOCATION)
    versions = {v.version: v for v in result.values_property}
    assert versions[DEFAULT_MINOR].is_default
    assert "AKSLongTermSupport" in versions["1.30"].capabilities.support_plan
    assert all(v.patch_versions for v in versions.values())


# ---------------------------------------------------------------- what the az CLI sends


AZ_CLI_BODY: dict[str, Any] = {
    "location": "norwayeast",
    "properties": {
        "agentPoolProfiles": [{"name": "nodepool1", "orchestratorVersion": "", "vmSize": "", "osType": "Linux",
                               "osSKU": "AzureLinux", "enableNodePublicIP": False, "count": 3,
                               "enableAutoScaling": False, "scaleSetPriority": "Regular", "nodeTaints": [],
                               "upgradeSettings": {}, "type": "VirtualMachineScaleSets",
                               "enableEncryptionAtHost": False, "enableUltraSSD": False, "enableFIPS": False,
                               "mode": "System"}],
        "kubernetesVersion": "",
        "dnsPrefix": "aks1-test-rg-5a1b0c",
        "disableLocalAccounts": False,
        "enableRBAC": True,
        "linuxProfile": {"adminUsername": "azureuser",
                         "ssh": {"publicKeys": [{"keyData": "ssh-rsa AAAAB3NzaC1yc2E azwizard@test\n"}]}},
        "networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay", "ipFamilies": ["ipv4", "ipv6"],
                           "networkDataplane": "cilium", "loadBalancerSku": "standard",
                           "outboundType": "loadBalancer"},
        "addonProfiles": {},
        "storageProfile": {},
        "bootstrapProfile": {"artifactSource": "Direct"},
    },
    "identity": {"type": "SystemAssigned"},
    "sku": {"name": "Base", "tier": "Standard"},
}


def test_az_cli_body_gets_server_defaults(sdk: Any, rg: str) -> None:
    from azure.mgmt.containerservice import ContainerServiceClient

    # The generated operations take the api-version from the client configuration (a per-call
    # ``api_version=`` is overridden by it), so az's 2026-06-01 is set on the client.
    az = ContainerServiceClient(sdk.credential, sdk.sim.subscription_id, api_version="2026-06-01", **sdk.kwargs)
    mc = az.managed_clusters.begin_create_or_update("test-rg", "aks1", copy.deepcopy(AZ_CLI_BODY)).result()
    assert {r.api_version for r in sdk.sim.requests_to("PUT", "/managedClusters/aks1")} == {"2026-06-01"}
    assert mc.provisioning_state == "Succeeded"
    assert mc.kubernetes_version == DEFAULT_MINOR
    assert mc.current_kubernetes_version == catalog_k8s.resolve_version(LOCATION, DEFAULT_MINOR)
    p = mc.agent_pool_profiles[0]
    assert p.vm_size == "Standard_D2s_v5" and p.orchestrator_version == DEFAULT_MINOR
    assert p.current_orchestrator_version == mc.current_kubernetes_version
    assert mc.network_profile.ip_families == ["IPv4", "IPv6"]
    assert mc.network_profile.network_policy == "cilium"
    assert mc.linux_profile.ssh.public_keys[0].key_data.endswith("\n")



@pytest.mark.parametrize(("api_version", "settings"), [
    ("2023-10-01", {}),  # spec: "If not specified, the default is 1" (implicit, nothing answered)
    ("2024-10-01", {}),  # the last stable version whose spec still says so
    ("2025-01-01", {"maxSurge": "10%"}),  # "If not specified, the default is 10%"
    ("2026-06-01", {"maxSurge": "10%", "maxUnavailable": "0"}),  # maxUnavailable in the model from 2025-03-01
])
def test_pool_max_surge_default_follows_the_create_api_version(sdk: Any, rg: str, api_version: str,
                                                              settings: dict[str, str]) -> None:
    """az sends ``upgradeSettings: {}``; what the pool then stores and answers depends on the api-version of the
    create (sim/version_defaults.py POOL_UPGRADE_DEFAULTS), read back here at the current one."""
    from azure.mgmt.containerservice import ContainerServiceClient

    client = ContainerServiceClient(sdk.credential, sdk.sim.subscription_id, api_version=api_version, **sdk.kwargs)
    client.managed_clusters.begin_create_or_update("test-rg", "aks1", copy.deepcopy(AZ_CLI_BODY)).result()
    read = sdk.sim.get(f"/subscriptions/{sdk.sim.subscription_id}/resourceGroups/test-rg/providers/"
                       "Microsoft.ContainerService/managedClusters/aks1")
    assert read["properties"]["agentPoolProfiles"][0]["upgradeSettings"] == settings
    # an update that leaves the settings out (az sends {} again) keeps what was stored
    client.agent_pools.begin_create_or_update("test-rg", "aks1", "nodepool1", {"properties": {
        "count": 2, "upgradeSettings": {}}}).result()
    pool_read = client.agent_pools.get("test-rg", "aks1", "nodepool1")
    assert (pool_read.upgrade_settings.max_surge if pool_read.upgrade_settings else None) == settings.get("maxSurge")
    # a surge the client sets is kept as sent, at every version
    client.agent_pools.begin_create_or_update("test-rg", "aks1", "nodepool1", {"properties": {
        "count": 2, "upgradeSettings": {"maxSurge": "33%"}}}).result()
    assert client.agent_pools.get("test-rg", "aks1", "nodepool1").upgrade_settings.max_surge == "33%"


# ---------------------------------------------------------------- the seed notes' command


def seed_command_body(version: str = "1.29") -> dict[str, Any]:
    """``az aks create … -s Standard_B2als_v2 --node-count=3 --kubernetes-version=1.29 … --pod-cidrs=172.16.0.0/16,
    fdfb:4d1e:98bf::/48 --service-cidrs=10.0.0.0/16,fd92:d839:1c02::/108 --api-server-authorized-ip-ranges=a.b.c.d/e``
    as the SDK would send it (az itself refuses the placeholder range client-side)."""
    body = copy.deepcopy(AZ_CLI_BODY)
    props = body["properties"]
    props["kubernetesVersion"] = version
    props["agentPoolProfiles"][0].update({"vmSize": "Standard_B2als_v2", "orchestratorVersion": version})
    props["networkProfile"].update({"podCidrs": ["172.16.0.0/16", "fdfb:4d1e:98bf::/48"],
                                    "serviceCidrs": ["10.0.0.0/16", "fd92:d839:1c02::/108"]})
    props["apiServerAccessProfile"] = {"authorizedIPRanges": ["a.b.c.d/e"]}
    return body


def test_seed_command_is_rejected_like_azure(sdk: Any, rg: str) -> None:
    err = rejected(sdk, seed_command_body())
    assert (err.status_code, err.error.code) == (400, "K8sVersionNotSupported")
    assert "version 1.29 which is not supported in this region" in err.error.message
    err = rejected(sdk, seed_command_body(version=DEFAULT_MINOR))
    assert err.error.code == "InvalidParameter" and err.error.target == "apiServerAccessProfile.authorizedIPRanges"
    fixed = seed_command_body(version=DEFAULT_MINOR)
    fixed["properties"]["apiServerAccessProfile"]["authorizedIPRanges"] = ["203.0.113.0/24"]
    assert create(sdk, fixed).provisioning_state == "Succeeded"  # B-series system pools are accepted


# ---------------------------------------------------------------- rejections


REJECTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("lts-only version without premium", {"kubernetesVersion": "1.30"}, "K8sVersionNotSupported"),
    ("pool version not offered", {"agentPoolProfiles": [pool(orchestratorVersion="1.20.7")]},
     "AgentPoolK8sVersionNotSupported"),
    ("pool name upper case", {"agentPoolProfiles": [pool(name="NodePool1")]}, "InvalidParameter"),
    ("pool name starts with a digit", {"agentPoolProfiles": [pool(name="1pool")]}, "InvalidParameter"),
    ("pool name 13 chars", {"agentPoolProfiles": [pool(name="abcdefghijklm")]}, "InvalidParameter"),
    ("windows pool name 7 chars", {"agentPoolProfiles": [pool(), pool(name="winpool", osType="Windows", mode="User")]},
     "InvalidParameter"),
    ("dns prefix missing", {"dnsPrefix": None}, "InvalidParameter"),
    ("dns prefix starts with a hyphen", {"dnsPrefix": "-aks"}, "InvalidParameter"),
    ("dns prefix 55 chars", {"dnsPrefix": "a" * 55}, "InvalidParameter"),
    ("authorized range ipv6", {"apiServerAccessProfile": {"authorizedIPRanges": ["2001:db8::/32"]}},
     "InvalidParameter"),
    ("authorized ranges > 200", {"apiServerAccessProfile": {"authorizedIPRanges":
                                 [f"198.51.{i // 250}.{i % 250}/32" for i in range(201)]}}, "InvalidParameter"),
    ("0.0.0.0/32 with others", {"apiServerAccessProfile": {"authorizedIPRanges": ["0.0.0.0/32", "203.0.113.0/24"]}},
     "InvalidParameter"),
    ("ipv6-only", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay", "ipFamilies": ["IPv6"]}},
     "InvalidNetworkingConfig"),
    ("families out of order", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                  "ipFamilies": ["IPv6", "IPv4"]}}, "InvalidNetworkingConfig"),
    ("dual-stack with traditional azure cni", {"networkProfile": {"networkPlugin": "azure", "ipFamilies": ["IPv4", "IPv6"]}},
     "UnsupportedDualStackNetworkPlugin"),
    ("dual-stack with azure policy", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                         "networkPolicy": "azure", "ipFamilies": ["IPv4", "IPv6"]}},
     "UnsupportedDualStackNetworkPolicy"),
    ("dual-stack with calico", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                   "networkPolicy": "calico", "ipFamilies": ["IPv4", "IPv6"]}},
     "UnsupportedDualStackNetworkPolicy"),
    ("cilium dataplane with calico", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                         "networkDataplane": "cilium", "networkPolicy": "calico"}},
     "BadRequest"),
    ("cilium policy without cilium dataplane", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                                   "networkPolicy": "cilium"}}, "NetworkPolicyNotSupported"),
    ("one pod cidr for two families", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                          "ipFamilies": ["IPv4", "IPv6"], "podCidrs": ["10.244.0.0/16"]}},
     "InvalidNetworkingConfig"),
    ("service cidrs in the wrong order", {"networkProfile": {
        "networkPlugin": "azure", "networkPluginMode": "overlay", "ipFamilies": ["IPv4", "IPv6"],
        "serviceCidrs": ["fd12:3456:789a:1::/108", "10.0.0.0/16"]}}, "InvalidNetworkingConfig"),
    ("ipv6 service cidr larger than /108", {"networkProfile": {
        "networkPlugin": "azure", "networkPluginMode": "overlay", "ipFamilies": ["IPv4", "IPv6"],
        "serviceCidrs": ["10.0.0.0/16", "fd12:3456:789a:1::/64"]}}, "InvalidServiceCidrIPv6MaskSize"),
    ("pod cidr overlaps service cidr", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                           "podCidr": "10.0.0.0/8"}}, "InvalidParameter"),
    ("reserved service range", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                   "serviceCidr": "169.254.0.0/16", "dnsServiceIP": "169.254.0.10"}},
     "InvalidParameter"),
    ("reserved pod range", {"networkProfile": {"networkPlugin": "kubenet", "podCidr": "172.31.0.0/16"}},
     "InvalidParameter"),
    ("dns service ip outside", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                   "serviceCidr": "10.200.0.0/16", "dnsServiceIP": "10.0.0.10"}},
     "DnsServiceIpOutOfServiceCidr"),
    ("dns service ip first address", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                         "serviceCidr": "10.200.0.0/16", "dnsServiceIP": "10.200.0.1"}},
     "InvalidParameter"),
    ("dual-stack with managed nat gateway", {"networkProfile": {
        "networkPlugin": "azure", "networkPluginMode": "overlay", "ipFamilies": ["IPv4", "IPv6"],
        "outboundType": "managedNATGateway"}}, "InvalidParameter"),
    ("basic load balancer", {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                "loadBalancerSku": "basic"}}, "InvalidParameter"),
    ("ephemeral os disk too big for the cache", {"agentPoolProfiles": [pool(vmSize="Standard_DS2_v2", osDiskType="Ephemeral")]},
     "VMCacheSizeTooSmall"),
    ("ephemeral os disk on a size without one", {"agentPoolProfiles": [pool(osDiskType="Ephemeral")]},
     "VMSizeDoesNotSupportEphemeralOS"),
    ("windows system pool", {"agentPoolProfiles": [pool(name="win", osType="Windows")]}, "SystemPoolMustBeLinux"),
    ("system pool with one vcpu", {"agentPoolProfiles": [pool(vmSize="Standard_DS1_v2")]}, "SystemPoolSkuTooLow"),
    ("user pool with one vcpu", {"agentPoolProfiles": [pool(), pool(name="tiny", mode="User", vmSize="Standard_A1_v2")]},
     "BadRequest"),
    ("size not offered in the region", {"agentPoolProfiles": [pool(vmSize="Standard_NC6")]}, "InvalidParameter"),
    ("size restricted for the subscription", {"agentPoolProfiles": [pool(vmSize="Standard_D2as_v5")]}, "BadRequest"),
    ("no system pool", {"agentPoolProfiles": [pool(mode="User")]}, "InvalidParameter"),
    ("system pool with no node", {"agentPoolProfiles": [pool(count=0)]}, "InvalidParameter"),
    ("family quota", {"agentPoolProfiles": [pool(count=51)]}, "QuotaExceeded"),
    ("zone the region lacks", {"agentPoolProfiles": [pool(availabilityZones=["4"])]}, "AvailabilityZoneNotSupported"),
]


@pytest.mark.parametrize(("props", "code"), [(p, c) for _, p, c in REJECTIONS], ids=[n for n, _, _ in REJECTIONS])
def test_rejections(sdk: Any, rg: str, props: dict[str, Any], code: str) -> None:
    err = rejected(sdk, wire_body(**props))
    assert err.status_code == 400
    assert err.error.code == code
    assert not sdk.resources.resource_groups.check_existence(MC)


def test_exact_messages_of_verbatim_rules(sdk: Any, rg: str) -> None:
    err = rejected(sdk, wire_body(agentPoolProfiles=[pool(vmSize="Standard_DS2_v2", osDiskType="Ephemeral")]))
    assert err.error.message == ("The virtual machine size Standard_DS2_v2 has a cache size of 92341796864 bytes, but "
                                 "the OS disk requires 137438953472 bytes. Use a VM size with larger cache or disable "
                                 "ephemeral OS.")
    err = rejected(sdk, wire_body(agentPoolProfiles=[pool(name="Bad_Pool")]))
    assert (err.error.message, err.error.target) == (
        "The value of parameter agentPoolProfile.name is invalid. Please see https://aka.ms/aks-naming-rules for "
        "more details.", "agentPoolProfile.name")
    err = rejected(sdk, wire_body(apiServerAccessProfile={"authorizedIPRanges": ["0.0.0.0/32", "203.0.113.0/24"]}))
    assert err.error.message == ("Setting apiServerAuthorizedIPRange to 0.0.0.0/32 is not allowed with other IP "
                                 "ranges. Refer to https://aka.ms/aks/auth-ip-ranges for more details")
    err = rejected(sdk, wire_body(networkProfile={"networkPlugin": "azure", "networkPluginMode": "overlay",
                                                  "networkDataplane": "cilium", "networkPolicy": "azure"}))
    assert err.response.json()["error"]["subcode"] == "CiliumDataplaneRequiresNetworkPolicyCilium"
    assert err.error.message == "Cilium dataplane requires network policy cilium."
    err = rejected(sdk, wire_body(agentPoolProfiles=[pool(vmSize="Standard_DS1_v2")]))
    assert err.error.message == ("System node pool must use VM sku with more than 2 cores and 4GB memory. Nodepool "
                                 "name: nodepool1.")


def test_lts_version_with_premium_and_lts_plan_is_accepted(sdk: Any, rg: str) -> None:
    err = rejected(sdk, wire_body(kubernetesVersion="1.30"))
    assert "only available for Long-Term Support (LTS)" in err.error.message
    body = wire_body(kubernetesVersion="1.30", supportPlan="AKSLongTermSupport")
    body["sku"]["tier"] = "Premium"
    mc = create(sdk, body)
    assert mc.current_kubernetes_version.startswith("1.30.") and mc.support_plan == "AKSLongTermSupport"


def test_cluster_name_and_node_resource_group_rules(sdk: Any, rg: str) -> None:
    err = rejected(sdk, wire_body(), name="-aks")
    assert (err.error.code, err.error.target) == ("InvalidParameter", "name")
    long_name = "a" * 63  # valid cluster name, but MC_test-rg_<63>_norwayeast is 85 characters
    err = rejected(sdk, wire_body(), name=long_name)
    assert err.error.code == "InvalidParameter"
    assert "The maximum length is 80 and the length of the value provided is 85" in err.error.message
    assert create(sdk, wire_body(nodeResourceGroup="aks-nodes"), name=long_name).node_resource_group == "aks-nodes"


def test_authorized_ranges_only_rejected_where_the_server_rejects(sdk: Any, rg: str) -> None:
    """Host bits and private ranges are refused by az client-side only (https://github.com/Azure/azure-cli-extensions/issues/675)."""
    mc = create(sdk, wire_body(apiServerAccessProfile={"authorizedIPRanges": ["203.0.113.7/24", "10.1.2.3"]}))
    assert mc.api_server_access_profile.authorized_ip_ranges == ["203.0.113.7/24", "10.1.2.3/32"]


def test_regional_core_quota(sdk: Any, rg: str) -> None:
    body = wire_body(agentPoolProfiles=[pool(count=45), pool(name="second", mode="User", count=6,
                                                             vmSize="Standard_D4ds_v5")])
    err = rejected(sdk, body)
    assert err.error.code == "QuotaExceeded"
    assert "exceeding approved Total Regional Cores quota" in err.error.message
    assert "Current Limit: 100, Current Usage: 0, Additional Required: 114" in err.error.message


def test_quota_counts_existing_clusters(sdk: Any, rg: str) -> None:
    create(sdk, wire_body(agentPoolProfiles=[pool(count=30)]))
    err = rejected(sdk, wire_body(dnsPrefix="aks2", agentPoolProfiles=[pool(count=30)]), name="aks2")
    assert err.error.code == "QuotaExceeded"
    assert "standardDSv5Family Cores quota" in err.error.message and "Current Usage: 60" in err.error.message


def test_service_cidr_overlapping_the_byo_subnet(sdk: Any, rg: str) -> None:
    vnet = sdk.network.virtual_networks.begin_create_or_update(rg, "vnet1", {
        "location": LOCATION,
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16", "fd00:db8:1::/48"]},
                       "subnets": [{"name": "nodes", "properties": {"addressPrefixes": ["10.0.0.0/24",
                                                                                        "fd00:db8:1::/64"]}}]},
    }).result()
    subnet = {"id": vnet.subnets[0].id}
    vnet_id = vnet.id
    err = rejected(sdk, wire_body(agentPoolProfiles=[pool(vnetSubnetID=subnet["id"])]))
    assert err.error.code == "ServiceCidrOverlapExistingSubnetsCidr"
    assert err.error.message == ("The specified service CIDR 10.0.0.0/16 is conflicted with an existing subnet CIDR "
                                 "10.0.0.0/24")
    err = rejected(sdk, wire_body(agentPoolProfiles=[pool(vnetSubnetID=f"{vnet_id}/subnets/missing")]))
    assert err.error.code == "InvalidResourceReference"
    mc = create(sdk, wire_body(agentPoolProfiles=[pool(vnetSubnetID=subnet["id"])],
                               networkProfile={"networkPlugin": "azure", "networkPluginMode": "overlay",
                                               "ipFamilies": ["IPv4", "IPv6"],
                                               "serviceCidrs": ["10.1.0.0/16", "fd12:3456:789a:1::/108"],
                                               "dnsServiceIP": "10.1.0.10"}))
    assert mc.provisioning_state == "Succeeded"
    assert not sdk.sim.of_type("Microsoft.Network/virtualNetworks", group=sdk.sim.group_id(MC))


def test_dual_stack_cilium_before_129_is_refused() -> None:
    """No version below 1.29 is offered any more, so the rule is exercised directly."""
    profile = {"networkPlugin": "azure", "networkPluginMode": "overlay", "networkDataplane": "cilium",
               "ipFamilies": ["IPv4", "IPv6"]}
    with pytest.raises(AksError) as info:
        build_network_profile(profile, "1.28.9", [])
    assert (info.value.code, info.value.message) == (
        "UnsupportedDualStackNetworkPolicy", "Network policy cilium is not supported for dual-stack clusters.")
    assert build_network_profile(profile, "1.29.0", [])["networkPolicy"] == "cilium"


def test_snake_case_member_is_a_deserialization_error(sdk: Any, rg: str) -> None:
    err = rejected(sdk, wire_body(kubernetes_version=DEFAULT_MINOR))
    assert err.error.code == "InvalidRequestContent"
    assert "Could not find member 'kubernetes_version' on object of type 'ManagedClusterProperties'" in err.error.message


def test_one_operation_at_a_time(sdk: Any, rg: str) -> None:
    clusters = sdk.containerservice.managed_clusters
    clusters.begin_create_or_update(rg, "aks1", notes_cluster(), polling=False)
    with pytest.raises(ResourceExistsError) as info:
        clusters.begin_create_or_update(rg, "aks1", notes_cluster(), polling=False)
    assert info.value.error.code == "OperationNotAllowed"
    assert info.value.error.message.startswith("Operation is not allowed because there's an in progress create "
                                               "managed cluster operation (operation ID: ")
    with pytest.raises(ResourceExistsError) as info:
        sdk.containerservice.agent_pools.begin_create_or_update(rg, "aks1", "userpool",
                                                                m.AgentPool(count=1, mode="User"), polling=False)
    assert info.value.error.code == "OperationNotAllowed"


def test_locks(sdk: Any, rg: str) -> None:
    create(sdk, notes_cluster())
    cluster_scope = ("Microsoft.ContainerService", "", "managedClusters", "aks1")
    sdk.locks.management_locks.create_or_update_at_resource_level(rg, *cluster_scope, "keep",
                                                                  {"level": "CanNotDelete"})
    with pytest.raises(HttpResponseError) as info:
        sdk.containerservice.managed_clusters.begin_delete(rg, "aks1").result()
    assert info.value.error.code == "ScopeLocked"
    sdk.locks.management_locks.create_or_update_at_resource_group_level(rg, "ro", {"level": "ReadOnly"})
    with pytest.raises(HttpResponseError) as info:
        create(sdk, wire_body(dnsPrefix="aks2"), name="aks2")
    assert info.value.error.code == "ScopeLocked"
    with pytest.raises(HttpResponseError) as info:
        sdk.containerservice.managed_clusters.begin_stop(rg, "aks1").result()
    assert info.value.error.code == "ScopeLocked"


def test_failed_async_operation_reports_the_error(sdk: Any, rg: str) -> None:
    sdk.sim.faults.fail_async("PUT", r"/managedClusters/aks1$", code="AKSCapacityHeavyUsage",
                              message="Creating a new cluster is unavailable at this time in region norwayeast.")
    with pytest.raises(HttpResponseError) as info:
        create(sdk, notes_cluster())
    assert info.value.error.code == "AKSCapacityHeavyUsage"
    assert sdk.containerservice.managed_clusters.get(rg, "aks1").provisioning_state == "Failed"


def test_dual_stack_cluster_needs_a_dual_stack_byo_subnet(sdk: Any, rg: str) -> None:
    vnet = sdk.network.virtual_networks.begin_create_or_update(rg, "v4only", {
        "location": LOCATION,
        "properties": {"addressSpace": {"addressPrefixes": ["10.10.0.0/16"]},
                       "subnets": [{"name": "nodes", "properties": {"addressPrefix": "10.10.0.0/24"}}]},
    }).result()
    err = rejected(sdk, wire_body(agentPoolProfiles=[pool(vnetSubnetID=vnet.subnets[0].id)]))
    assert err.error.code == "VnetSubnetMissingIPv6"
    single = wire_body(agentPoolProfiles=[pool(vnetSubnetID=vnet.subnets[0].id)],
                       networkProfile={"networkPlugin": "azure", "networkPluginMode": "overlay"})
    assert create(sdk, single).network_profile.ip_families == ["IPv4"]


def test_cluster_nodes_count_in_the_regions_compute_usage(sdk: Any, rg: str) -> None:
    """AKS nodes are scale-set instances: the compute usages (and so a later VM's quota check) see them."""
    def used(name: str) -> int:
        return next(u.current_value for u in sdk.compute.usage.list(LOCATION) if u.name.value == name)

    before_cores, before_family = used("cores"), used("standardDSv5Family")
    create(sdk, notes_cluster())
    assert used("cores") == before_cores + 3 * 2
    assert used("standardDSv5Family") == before_family + 3 * 2
