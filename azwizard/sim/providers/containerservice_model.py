"""Microsoft.ContainerService: what the AKS RP answers and builds — a managed cluster's body with the
server defaults filled in, its agent pools, the node resource group (``MC_…``) and what lives in it (the kubeconfig the credential actions hand out is
built by ``kube_api.py``).

Shapes follow the recorded responses in Azure/azure-cli
``src/azure-cli/azure/cli/command_modules/acs/tests/latest/recordings/`` (``test_aks_create_dualstack_with_default_network.yaml``:
``id`` with lower-case ``resourcegroups``, ``type`` ``Microsoft.ContainerService/ManagedClusters``, fqdn
``<dnsPrefix>-<8 chars>.hcp.<region>.azmk8s.io``, ``maxAgentPools`` 100, ``identityProfile.kubeletidentity``,
``effectiveOutboundIPs`` named ``<guid>`` and ``<guid>-ipv6``; ``test_aks_stop_and_start.yaml``).
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress
import uuid
import zlib
from typing import TYPE_CHECKING, Any

from ..catalog import locations as catalog_locations
from ..version_defaults import pool_upgrade_settings
from ..wire import ArmRequest
from . import containerservice_rules as rules
from .api_shapes import older_than, strip_newer
from .containerservice_network import max_pods_default
from .containerservice_rules import bad
from .resources import group_body

if TYPE_CHECKING:
    from ..core import ArmSim

NS = "Microsoft.ContainerService"
CLUSTER_TYPE = "Microsoft.ContainerService/ManagedClusters"
POOL_TYPE = "Microsoft.ContainerService/managedClusters/agentPools"
# "Default value is dynamically selected by the AKS resource provider based on quota and capacity"
# (Az.Aks NodeVmSize help, Azure/azure-powershell#27663); these are tried in order.
DEFAULT_VM_SIZES = ("Standard_D2s_v5", "Standard_D2ds_v5", "Standard_D2as_v5", "Standard_DS2_v2", "Standard_D2s_v3")
NODE_IMAGE_RELEASE = "202511.07.0"
TRANSIENT = ("Creating", "Updating", "Deleting", "Stopping", "Starting", "Upgrading", "Scaling")


def cluster_id(sub: str, rg: str, name: str) -> str:
    # The AKS RP answers ids with a lower-case "resourcegroups" (see the recordings).
    return f"/subscriptions/{sub}/resourcegroups/{rg}/providers/{NS}/managedClusters/{name}"


def node_suffix(cid: str) -> str:
    """The 8 digits AKS puts in node resource names (``aks-nodepool1-12345678-vmss``), stable per cluster."""
    return f"{zlib.crc32(cid.lower().encode()) % 10**8:08d}"


def _hash_hex(*parts: str, n: int = 8) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


# ---------------------------------------------------------------- agent pools


def _pick_default_size(sim: ArmSim, location: str, count: int) -> str:
    """The size AKS picks when ``vmSize`` is "" or missing: the first candidate offered in the region whose
    quota still fits; else the first one offered (quota is then checked and reported as usual)."""
    offered = [s for s in DEFAULT_VM_SIZES if rules.vm_sku(location, s) is not None
               and s in rules.available_sizes(location)]
    for size in offered:
        try:
            rules.check_quota(sim, location, "", "", [(rules.vm_sku(location, size) or {}, count)])
            return size
        except rules.AksError:
            continue
    return offered[0] if offered else DEFAULT_VM_SIZES[0]


def _node_image(os_type: str, os_sku: str) -> str:
    if os_type == "Windows":
        return f"AKSWindows-2022-containerd-20348.{NODE_IMAGE_RELEASE.split('.')[0]}"
    if os_sku.startswith("AzureLinux"):
        return f"AKSAzureLinux-V3gen2-{NODE_IMAGE_RELEASE}"
    return f"AKSUbuntu-2204gen2containerd-{NODE_IMAGE_RELEASE}"


def latest_node_image(os_type: str, os_sku: str) -> str:
    """The newest node image of a pool's OS (what upgradeNodeImageVersion moves a pool to)."""
    return _node_image(os_type, os_sku)


def _check_zones(location: str, name: str, zones: Any) -> None:
    if not zones:
        return
    offered = catalog_locations.zones_for(location)
    wrong = [str(z) for z in zones if str(z) not in offered]
    if wrong:
        # ARM's zone wording; code per SupportArticles-docs error-codes/availabilityzonenotsupported-error.md.
        raise bad("AvailabilityZoneNotSupported",
                  f"The zone(s) '{','.join(wrong)}' for resource '{name}' is not supported. The supported zones "
                  f"for location '{location}' are '{','.join(offered)}'")


def _check_count(name: str, mode: str, count: int) -> None:
    low = 1 if mode == "System" else 0
    if not low <= count <= 1000:
        # composed: every cluster needs a system pool with at least one node (use-system-pools.md).
        raise bad("InvalidParameter", f"The value of parameter agentPoolProfile.count is invalid: {count}. The node "
                  f"count of {mode.lower()} node pool '{name}' must be between {low} and 1000.",
                  "agentPoolProfile.count")


def build_pool(sim: ArmSim, location: str, raw: dict[str, Any], *, net: dict[str, Any], cluster_version: str,
               cluster_full: str, default_mode: str, check_quota: bool = True, api_version: str | None = None,
               previous: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate one agent pool profile and fill the server defaults (those that depend on the request's
    ``api_version``: version_defaults.py; ``previous``: the pool as stored, on an update); returns (profile, vm sku)."""
    pool = copy.deepcopy(raw)
    os_type = pool.get("osType") or "Linux"
    name = str(pool.get("name") or "")
    rules.check_pool_name(name, os_type)
    mode = pool.get("mode") or default_mode
    if mode == "System" and os_type != "Linux":
        # Code per pre-flight rule 63; message composed (use-system-pools.md: system pools are Linux).
        raise bad("SystemPoolMustBeLinux", f"System node pool {name} must use the Linux OS type. Windows node pools "
                  "can only be user node pools.", "agentPoolProfile.mode")
    if (pool.get("type") or "VirtualMachineScaleSets") == "AvailabilitySet":
        # composed (rule 62): availability-set pools are retired.
        raise bad("InvalidParameter", "Availability set node pools are no longer supported. Use "
                  "VirtualMachineScaleSets.", "agentPoolProfile.type")
    raw_count = pool.get("count")
    count = int(raw_count) if raw_count is not None else 1
    _check_count(name, mode, count)
    size = str(pool.get("vmSize") or _pick_default_size(sim, location, count))
    sku = rules.check_vm_size(location, name, size, mode)
    rules.check_pool_ssh_access(pool)
    _check_zones(location, name, pool.get("availabilityZones"))
    disk_gb = int(pool.get("osDiskSizeGB") or 128)
    disk_type = pool.get("osDiskType")
    if disk_type == "Ephemeral":
        rules.check_ephemeral(sku, disk_gb)
    elif not disk_type:
        # AKS defaults to an ephemeral OS disk when the size can hold it (concepts-storage.md).
        fits = rules.supports_ephemeral(sku) and rules.ephemeral_capacity_bytes(sku) >= disk_gb * 1024 ** 3
        disk_type = "Ephemeral" if fits else "Managed"
    max_pods = int(pool.get("maxPods") or max_pods_default(net))
    if mode == "System" and max_pods < 30:
        # composed (use-system-pools.md: system node pools must support at least 30 pods).
        raise bad("InvalidParameter", f"The value of parameter agentPoolProfile.maxPods is invalid: {max_pods}. "
                  "System node pools must support at least 30 pods.", "agentPoolProfile.maxPods")
    requested = pool.get("orchestratorVersion") or ""
    current = rules.resolve_pool_version(location, requested, cluster_full)
    os_sku = pool.get("osSKU") or ("Windows2022" if os_type == "Windows" else "Ubuntu")
    out: dict[str, Any] = {
        "name": name, "count": count, "vmSize": sku["name"], "osDiskSizeGB": disk_gb, "osDiskType": disk_type,
        "kubeletDiskType": pool.get("kubeletDiskType") or "OS", "maxPods": max_pods,
        "type": pool.get("type") or "VirtualMachineScaleSets",
    }
    if pool.get("availabilityZones"):
        out["availabilityZones"] = [str(z) for z in pool["availabilityZones"]]
    out.update({
        "enableAutoScaling": bool(pool.get("enableAutoScaling", False)),
        "provisioningState": "Creating", "powerState": {"code": "Running"},
        "orchestratorVersion": requested or cluster_version, "currentOrchestratorVersion": current,
        "enableNodePublicIP": bool(pool.get("enableNodePublicIP", False)), "mode": mode,
        "enableEncryptionAtHost": bool(pool.get("enableEncryptionAtHost", False)),
        "enableUltraSSD": bool(pool.get("enableUltraSSD", False)), "osType": os_type, "osSKU": os_sku,
        "nodeImageVersion": _node_image(os_type, os_sku),
        "upgradeSettings": pool_upgrade_settings(pool.get("upgradeSettings"),
                                                 (previous or {}).get("upgradeSettings"), api_version),
        "enableFIPS": bool(pool.get("enableFIPS", False)),
        "securityProfile": pool.get("securityProfile") or {"enableVTPM": False, "enableSecureBoot": False},
    })
    for key, value in pool.items():
        if key not in out and value not in (None, [], {}) and key != "properties":
            out[key] = value
    # Answered only when they mean something (recorded agent pools, api 2023-10-01, test_aks_nodepool_*.yaml):
    # scaleDownMode when it was sent; the Spot settings only on a Spot pool (az sends Regular/Delete/-1).
    if out.get("scaleSetPriority") != "Spot":
        for key in ("scaleSetPriority", "scaleSetEvictionPolicy", "spotMaxPrice"):
            out.pop(key, None)
    return out, sku


# First api-version of agent-pool properties the simulator stores: the pool securityProfile is in no GA
# version up to 2024-02-01 (https://learn.microsoft.com/azure/templates/microsoft.containerservice/change-log/
# managedclusters/agentpools lists it as removed there) and in none of the 2023-10-01 recordings; 2024-05-01 is
# taken as its first GA version (not checked further).
POOL_PROPS_SINCE = {"securityProfile": "2024-05-01"}
# Cluster keys absent from every recorded answer at 2023-10-01 (test_aks_*.yaml): the first api-version that
# carries systemData is not established; the simulator keeps it for later versions.
CLUSTER_TOP_SINCE = {"systemData": "2023-10-02"}
# Cluster properties the 2023-10-01 spec defines (api_models.json) but no recorded 2023-10-01 answer carries
# (27 answers in test_aks_*.yaml: create, get, nodepool, stop/start; issue #25 saw the same in other
# recordings): the service answered them only from a later version; which one is not established.
CLUSTER_PROPS_SINCE = {"autoUpgradeProfile": "2023-10-02", "resourceUID": "2023-10-02"}


def pool_view(cid: str, profile: dict[str, Any], req: ArmRequest | None = None) -> dict[str, Any]:
    """An agent pool as ``GET …/agentPools/{name}`` answers it."""
    props = {k: copy.deepcopy(v) for k, v in profile.items() if k != "name"}
    out = {"id": f"{cid}/agentPools/{profile['name']}", "name": profile["name"], "type": POOL_TYPE,
           "properties": props}
    return strip_newer(req, out, props=POOL_PROPS_SINCE)


# ---------------------------------------------------------------- the cluster body


def system_data(now: str) -> dict[str, Any]:
    return {"createdBy": "azwizard@sim.test", "createdByType": "User", "createdAt": now,
            "lastModifiedBy": "azwizard@sim.test", "lastModifiedByType": "User", "lastModifiedAt": now}


def new_cluster_body(sim: ArmSim, *, rg: str, name: str, location: str, req_body: dict[str, Any],
                     props: dict[str, Any], now: str) -> dict[str, Any]:
    """The first stored body of a new cluster; ``props`` holds the validated, defaulted properties."""
    cid = cluster_id(sim.subscription_id, rg, name)
    fqdn_id = _hash_hex(cid, str(uuid.uuid4()))
    prefix = props["dnsPrefix"]
    mc = props["nodeResourceGroup"]
    sp_client = str((props.get("servicePrincipalProfile") or {}).get("clientId") or "msi")
    uses_sp = sp_client.lower() != "msi" and not req_body.get("identity")
    identity: dict[str, Any] | None = None
    if not uses_sp:  # a service-principal cluster has no managed identity (recorded, no "identity" key)
        identity = dict(req_body.get("identity") or {"type": "SystemAssigned"})
        if identity.get("type", "SystemAssigned") == "SystemAssigned":
            identity.update({"type": "SystemAssigned", "principalId": str(uuid.uuid4()), "tenantId": sim.tenant_id})
    full: dict[str, Any] = {
        "provisioningState": "Creating", "powerState": {"code": "Running"},
        "kubernetesVersion": props["kubernetesVersion"], "currentKubernetesVersion": props["currentKubernetesVersion"],
        "dnsPrefix": prefix, "fqdn": f"{prefix}-{fqdn_id}.hcp.{location}.azmk8s.io",
        "azurePortalFQDN": f"{prefix}-{fqdn_id}.portal.hcp.{location}.azmk8s.io",
        "agentPoolProfiles": props["agentPoolProfiles"],
    }
    if props.get("linuxProfile"):
        full["linuxProfile"] = props["linuxProfile"]
    full.update({
        # The secret is never answered (Azure returns only the clientId).
        "servicePrincipalProfile": {"clientId": sp_client if uses_sp else "msi"},
        "nodeResourceGroup": mc, "enableRBAC": props.get("enableRBAC", True),
        "supportPlan": props["supportPlan"], "networkProfile": props["networkProfile"], "maxAgentPools": 100,
        "identityProfile": {"kubeletidentity": {
            "resourceId": f"/subscriptions/{sim.subscription_id}/resourcegroups/{mc}/providers/"
                          f"Microsoft.ManagedIdentity/userAssignedIdentities/{name}-agentpool",
            "clientId": str(uuid.uuid4()), "objectId": str(uuid.uuid4())}},
        "autoUpgradeProfile": props.get("autoUpgradeProfile") or {"upgradeChannel": "none",
                                                                  "nodeOSUpgradeChannel": "NodeImage"},
        "disableLocalAccounts": bool(props.get("disableLocalAccounts", False)),
        "securityProfile": props.get("securityProfile") or {},
        "storageProfile": {"diskCSIDriver": {"enabled": True}, "fileCSIDriver": {"enabled": True},
                           "snapshotController": {"enabled": True}, **(props.get("storageProfile") or {})},
        "oidcIssuerProfile": props.get("oidcIssuerProfile") or {"enabled": False},
        "workloadAutoScalerProfile": props.get("workloadAutoScalerProfile") or {},
        "resourceUID": _hash_hex(cid, now, n=24),
    })
    if props.get("addonProfiles"):  # an empty {} is not answered (recorded creates send {} and get none)
        full["addonProfiles"] = props["addonProfiles"]
    if props["networkProfile"].get("networkPlugin") == "azure" and not props.get("windowsProfile"):
        # Azure CNI clusters can take Windows pools: Azure answers a default windowsProfile (recorded
        # test_aks_create_with_network_dataplane_cilium.yaml, ..._overlay_network_plugin_mode.yaml).
        full["windowsProfile"] = {"adminUsername": "azureuser", "enableCSIProxy": True}
    access = props.get("apiServerAccessProfile") or {}
    if access:
        full["apiServerAccessProfile"] = access
    if access.get("enablePrivateCluster"):
        # The private endpoint's name in the system private DNS zone; the public FQDN (which resolves to the
        # private address) only while enablePrivateClusterPublicFQDN is true (private-clusters.md).
        full["privateFQDN"] = f"{prefix}-{fqdn_id}.{_hash_hex(cid, 'private', n=32)}.privatelink.{location}.azmk8s.io"
        if not access.get("enablePrivateClusterPublicFQDN", True):
            del full["fqdn"]
    for key, value in props.items():
        if key not in ("sku", "apiServerAccessProfile", "addonProfiles", "servicePrincipalProfile"):
            full.setdefault(key, value)
    body: dict[str, Any] = {"id": cid, "location": location, "name": name, "type": CLUSTER_TYPE}
    if req_body.get("tags"):
        body["tags"] = req_body["tags"]
    body["properties"] = full
    if identity is not None:
        body["identity"] = identity
    body.update({"sku": props["sku"], "systemData": system_data(now)})
    return body


def view(sim: ArmSim, body: dict[str, Any], req: ArmRequest | None = None) -> dict[str, Any]:
    """A stored cluster as GET answers it: pools left in a transient state by an operation that no longer
    runs (e.g. after a restart from the persisted state) show as Succeeded; the shape of ``req``'s
    api-version."""
    out = copy.deepcopy(body)
    for pool in out["properties"].get("agentPoolProfiles", []):
        if pool.get("provisioningState") in TRANSIENT and sim.active_operation(f"{body['id']}/agentPools/{pool['name']}") is None \
                and sim.active_operation(body["id"]) is None:
            pool["provisioningState"] = "Succeeded"
        for key, since in POOL_PROPS_SINCE.items():
            if key in pool and older_than(req, since):
                del pool[key]
    return strip_newer(req, out, top=CLUSTER_TOP_SINCE, props=CLUSTER_PROPS_SINCE)


# ---------------------------------------------------------------- the node resource group and its resources


def ensure_node_group(sim: ArmSim, body: dict[str, Any]) -> None:
    """Create ``MC_{rg}_{cluster}_{location}`` managed by the cluster (so deleting the cluster, or its
    resource group, takes it along: resources.delete_group_contents)."""
    props = body["properties"]
    mc = props["nodeResourceGroup"]
    gid = sim.group_id(mc)
    existing = sim.peek(gid)
    if existing is not None:
        if str(existing.get("managedBy", "")).lower() == body["id"].lower():
            return
        # Code from the AKS RP catalogue (the AKS RP's Go apierror code list); message composed.
        raise bad("NodeResourceGroupAlreadyExists", f"The node resource group '{mc}' already exists and is not "
                  "managed by this cluster. Use another nodeResourceGroup or delete the existing group.",
                  "nodeResourceGroup")
    rg = body["id"].split("/")[4]
    tags = {"aks-managed-cluster-name": body["name"], "aks-managed-cluster-rg": rg}
    sim.save(gid, group_body(sim, mc, body["location"], tags, managed_by=body["id"]))


def _mc_id(sim: ArmSim, mc: str, rtype: str, name: str) -> str:
    return f"/subscriptions/{sim.subscription_id}/resourceGroups/{mc}/providers/{rtype}/{name}"


def _tracked(rid: str, rtype: str, location: str, props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": rid, "name": rid.rsplit("/", 1)[1], "type": rtype, "location": location}
    body.update(extra)
    body["properties"] = {"provisioningState": "Succeeded", **props}
    return body


def _fake_ip(seed: str, version: int) -> str:
    h = hashlib.sha256(seed.encode()).digest()
    if version == 4:
        return f"20.{100 + h[0] % 100}.{h[1]}.{1 + h[2] % 254}"
    return f"2603:1020:{h[0]:x}{h[1]:02x}::{h[2]:x}{h[3]:02x}"


def pool_vmss(sim: ArmSim, body: dict[str, Any], pool: dict[str, Any]) -> dict[str, Any]:
    mc = body["properties"]["nodeResourceGroup"]
    name = f"aks-{pool['name']}-{node_suffix(body['id'])}-vmss"
    extra: dict[str, Any] = {
        "sku": {"name": pool["vmSize"], "tier": "Standard", "capacity": pool["count"]},
        "tags": {"aks-managed-poolName": pool["name"], "aks-managed-orchestrator":
                 f"Kubernetes:{pool['currentOrchestratorVersion']}", "aks-managed-createOperationID": str(uuid.uuid4())},
    }
    if pool.get("availabilityZones"):
        extra["zones"] = pool["availabilityZones"]
    return _tracked(_mc_id(sim, mc, "Microsoft.Compute/virtualMachineScaleSets", name),
                    "Microsoft.Compute/virtualMachineScaleSets", body["location"],
                    {"orchestrationMode": "Uniform", "singlePlacementGroup": False,
                     "upgradePolicy": {"mode": "Manual"}, "overprovision": False}, **extra)


def _vnet(sim: ArmSim, body: dict[str, Any], dual: bool) -> dict[str, Any]:
    """The managed ``aks-vnet-<digits>`` (10.224.0.0/12, subnet aks-subnet 10.224.0.0/16), dual-stack when
    the cluster is. The subnet lives inside the VNet body, as the Network provider keeps subnets."""
    mc, loc = body["properties"]["nodeResourceGroup"], body["location"]
    vid = _mc_id(sim, mc, "Microsoft.Network/virtualNetworks", f"aks-vnet-{node_suffix(body['id'])}")
    space, prefixes = ["10.224.0.0/12"], ["10.224.0.0/16"]
    if dual:
        ula = "fd" + _hash_hex(body["id"], "ula", n=10)  # RFC 4193: fd + 40-bit global ID, zero-compressed
        net48 = ipaddress.ip_network(f"{ula[0:4]}:{ula[4:8]}:{ula[8:12]}::/48")
        space.append(str(net48))
        prefixes.append(str(next(net48.subnets(new_prefix=64))))
    sub_props: dict[str, Any] = {"provisioningState": "Succeeded", "addressPrefixes": prefixes,
                                 "privateEndpointNetworkPolicies": "Disabled",
                                 "privateLinkServiceNetworkPolicies": "Enabled"}
    if not dual:
        sub_props = {"provisioningState": "Succeeded", "addressPrefix": prefixes[0],
                     **{k: v for k, v in sub_props.items() if k not in ("provisioningState", "addressPrefixes")}}
    subnet = {"id": f"{vid}/subnets/aks-subnet", "name": "aks-subnet",
              "type": "Microsoft.Network/virtualNetworks/subnets", "properties": sub_props}
    return _tracked(vid, "Microsoft.Network/virtualNetworks", loc,
                    {"addressSpace": {"addressPrefixes": space}, "subnets": [subnet],
                     "enableDdosProtection": False}, tags={})


def node_resources(sim: ArmSim, body: dict[str, Any]) -> list[dict[str, Any]]:
    """What AKS creates in the node resource group: the kubelet identity, a VMSS per pool, the
    ``kubernetes`` load balancer with its outbound public IP(s), an NSG, and the managed VNet (or a route
    table for kubenet) unless the pools use a BYO subnet."""
    props = body["properties"]
    mc, loc, cid = props["nodeResourceGroup"], body["location"], body["id"]
    net = props["networkProfile"]
    dual = net.get("ipFamilies") == ["IPv4", "IPv6"]
    suffix = node_suffix(cid)
    kubelet = props["identityProfile"]["kubeletidentity"]
    out = [_tracked(_mc_id(sim, mc, "Microsoft.ManagedIdentity/userAssignedIdentities", f"{body['name']}-agentpool"),
                    "Microsoft.ManagedIdentity/userAssignedIdentities", loc,
                    {"tenantId": sim.tenant_id, "principalId": kubelet["objectId"], "clientId": kubelet["clientId"]},
                    tags={})]
    out += [pool_vmss(sim, body, p) for p in props["agentPoolProfiles"]]
    if net.get("outboundType") == "loadBalancer":
        out += _load_balancer(sim, body, dual)
    out.append(_tracked(_mc_id(sim, mc, "Microsoft.Network/networkSecurityGroups", f"aks-agentpool-{suffix}-nsg"),
                        "Microsoft.Network/networkSecurityGroups", loc, {"securityRules": []}, tags={}))
    if not any(p.get("vnetSubnetID") for p in props["agentPoolProfiles"]):
        out.append(_vnet(sim, body, dual))
        if net.get("networkPlugin") == "kubenet":
            out.append(_tracked(_mc_id(sim, mc, "Microsoft.Network/routeTables", f"aks-agentpool-{suffix}-routetable"),
                                "Microsoft.Network/routeTables", loc, {"routes": [], "disableBgpRoutePropagation": False},
                                tags={}))
    return out


def _load_balancer(sim: ArmSim, body: dict[str, Any], dual: bool) -> list[dict[str, Any]]:
    props = body["properties"]
    mc, loc, cid = props["nodeResourceGroup"], body["location"], body["id"]
    zones = catalog_locations.zones_for(loc)
    pips = []
    # One public IP per managed outbound address asked for (loadBalancerProfile.managedOutboundIPs count /
    # countIPv6, defaults 1 and 1 on dual-stack): AKS names each <guid>, IPv6 ones <guid>-ipv6.
    managed = ((props["networkProfile"].get("loadBalancerProfile") or {}).get("managedOutboundIPs") or {})
    v4 = int(managed.get("count", 1) or 0)
    v6 = int(managed.get("countIPv6", 1 if dual else 0) or 0) if dual else 0
    for version, suffix in [(4, "")] * v4 + [(6, "-ipv6")] * v6:
        name = f"{uuid.uuid4()}{suffix}"
        extra: dict[str, Any] = {"sku": {"name": "Standard", "tier": "Regional"},
                                 "tags": {"aks-managed-cluster-name": body["name"],
                                          "aks-managed-type": "aks-slb-managed-outbound-ip"}}
        if zones:
            extra["zones"] = zones
        pips.append(_tracked(_mc_id(sim, mc, "Microsoft.Network/publicIPAddresses", name),
                             "Microsoft.Network/publicIPAddresses", loc,
                             {"publicIPAddressVersion": f"IPv{version}", "publicIPAllocationMethod": "Static",
                              "idleTimeoutInMinutes": 30, "ipAddress": _fake_ip(cid + name, version), "ipTags": []},
                             **extra))
    lb_id = _mc_id(sim, mc, "Microsoft.Network/loadBalancers", "kubernetes")
    pools = ["kubernetes", "aksOutboundBackendPool"] + (["kubernetes-ipv6", "aksOutboundBackendPool-ipv6"] if dual else [])
    lb = _tracked(lb_id, "Microsoft.Network/loadBalancers", loc, {
        "frontendIPConfigurations": [{"id": f"{lb_id}/frontendIPConfigurations/{p['name']}", "name": p["name"],
                                      "properties": {"publicIPAddress": {"id": p["id"]}}} for p in pips],
        "backendAddressPools": [{"id": f"{lb_id}/backendAddressPools/{n}", "name": n} for n in pools],
        "outboundRules": [{"id": f"{lb_id}/outboundRules/{n}", "name": n}
                          for n in (["aksOutboundRule", "aksOutboundRule-ipv6"] if dual else ["aksOutboundRule"])],
        "loadBalancingRules": [], "probes": [], "inboundNatRules": []},
        sku={"name": "Standard", "tier": "Regional"}, tags={"aks-managed-cluster-name": body["name"]})
    props["networkProfile"].setdefault("loadBalancerProfile", {})["effectiveOutboundIPs"] = [{"id": p["id"]} for p in pips]
    return [*pips, lb]


def save_node_resources(sim: ArmSim, body: dict[str, Any]) -> None:
    for res in node_resources(sim, body):
        sim.save(res["id"], res)
