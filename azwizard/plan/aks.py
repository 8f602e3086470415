"""The AKS journey's plan: the notes' cluster (and an optional container registry) as ARM requests.

    resource group ─┬─ (container registry) ────────────────┐
                    └─ managed cluster (system + user pools) ┴─ (AcrPull for the kubelet identity)

Bodies are wire JSON for the SDK's default api-versions (each installed mgmt client's own, pinned in pyproject.toml), shaped like what
``az aks create`` sends (as tests/azcli records it from the real az) with every choice the review shows spelled out
(CIDRs, DNS service IP, OS disk type) instead of left to server defaults. User pools go inline in the
cluster's ``agentPoolProfiles``, so the cluster is created with all its pools in one operation.

The AcrPull role assignment (what ``--attach-acr`` does) needs the kubelet identity's object id, which
exists only once the cluster does: its ``principalId`` is the run-time reference
``${aks.kubeletObjectId}`` (plan/model.py), filled in by the runner from the cluster step's outputs.
Its name is a uuid5 of the cluster and scope, so a re-run finds the same assignment instead of adding one.

Sources: https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update ;
https://learn.microsoft.com/azure/aks/configure-dual-stack ;
https://learn.microsoft.com/azure/aks/cluster-container-registry-integration ;
https://learn.microsoft.com/azure/role-based-access-control/role-assignments-rest .
"""

from __future__ import annotations

import uuid
from typing import Any

from ..specs.aks import AksSpec, NodePoolSpec
from ..specs.common import azwizard_tags
from ..sshkeys import withhold_private_key
from .model import Plan, Step, output_ref

CONTAINERSERVICE_API = "2026-08-01"
CONTAINERREGISTRY_API = "2025-11-01"
AUTHORIZATION_API = "2022-04-01"
RESOURCES_API = "2025-04-01"

CLUSTER_KIND = "Microsoft.ContainerService/managedClusters"
REGISTRY_KIND = "Microsoft.ContainerRegistry/registries"
ROLE_ASSIGNMENT_KIND = "Microsoft.Authorization/roleAssignments"
ACR_PULL_ROLE = "7f951dda-4ed3-4680-a7ca-43fe172d538d"  # built-in "AcrPull"
KUBELET_OBJECT_ID = "kubeletObjectId"  # the cluster step's output (run/executor.py outputs_of)

# A fixed namespace for azwizard's deterministic role-assignment names.
_NAMESPACE = uuid.UUID("5f0c2c3e-6a7b-4d1e-9c2f-a2f7e3b1d001")

_TIERS = {"free": "Free", "standard": "Standard", "premium": "Premium"}


def _rid(sub: str, rg: str, kind: str, name: str) -> str:
    ns, _, rtype = kind.partition("/")
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{rtype}/{name}"


def role_assignment_name(cluster_id: str, scope: str, principal_step: str) -> str:
    """The assignment's GUID: the same cluster, scope and principal always give the same name, so a re-run of
    the journey (a resumed or a later run) finds the assignment it made instead of adding another (which
    Azure refuses: RoleAssignmentExists)."""
    return str(uuid.uuid5(_NAMESPACE, f"{cluster_id.lower()}/{scope.lower()}/{principal_step}/{ACR_PULL_ROLE}"))


def pool_body(pool: NodePoolSpec, spec: AksSpec, tags: dict[str, str]) -> dict[str, Any]:
    """One agentPoolProfile (ManagedClusterAgentPoolProfile, wire keys)."""
    body: dict[str, Any] = {
        "name": pool.name,
        "mode": pool.mode,
        "count": pool.count,
        "vmSize": pool.vm_size,
        "osType": pool.os_type,
        "osSKU": pool.os_sku,
        "type": spec.vm_set_type,
        "osDiskType": pool.os_disk_type,
    }
    if pool.os_disk_size_gb is not None:
        body["osDiskSizeGB"] = pool.os_disk_size_gb
    if pool.zones:
        body["availabilityZones"] = list(pool.zones)
    if pool.max_pods is not None:
        body["maxPods"] = pool.max_pods
    body["tags"] = tags  # on the node scale sets, so cleanup can find them too
    return body


def network_profile(spec: AksSpec) -> dict[str, Any]:
    """ContainerServiceNetworkProfile, with AKS's defaults written out (the review shows them)."""
    net = spec.network
    np: dict[str, Any] = {"networkPlugin": net.plugin}
    if net.plugin == "azure" and net.plugin_mode:
        np["networkPluginMode"] = net.plugin_mode
    if net.plugin != "none":
        np["networkDataplane"] = net.dataplane
    if net.policy != "none":
        np["networkPolicy"] = net.policy  # "none" is the API's default when the property is absent
    np["ipFamilies"] = list(net.ip_families)
    if net.uses_pod_cidrs:
        np["podCidrs"] = list(net.pod_cidrs)
    np["serviceCidrs"] = list(net.service_cidrs)
    dns_ip = net.resolved_dns_service_ip()
    if dns_ip:
        np["dnsServiceIP"] = dns_ip
    np["loadBalancerSku"] = net.load_balancer_sku
    np["outboundType"] = net.outbound_type
    return np


def cluster_body(spec: AksSpec, subscription_id: str, tags: dict[str, str]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if spec.kubernetes_version.strip():
        props["kubernetesVersion"] = spec.kubernetes_version.strip()
    props["dnsPrefix"] = spec.resolved_dns_prefix(subscription_id)
    props["agentPoolProfiles"] = [pool_body(p, spec, tags) for p in spec.pools]
    if spec.ssh_public_key.strip():
        props["linuxProfile"] = {"adminUsername": spec.admin_username,
                                 "ssh": {"publicKeys": [{"keyData": withhold_private_key(spec.ssh_public_key.strip())}]}}
    props["networkProfile"] = network_profile(spec)
    if spec.authorized_ip_ranges:
        props["apiServerAccessProfile"] = {"authorizedIPRanges": [r.strip() for r in spec.authorized_ip_ranges]}
    props["enableRBAC"] = True
    props["supportPlan"] = spec.support_plan
    return {
        "location": spec.location,
        "tags": tags,
        "identity": {"type": "SystemAssigned"},
        "sku": {"name": "Base", "tier": _TIERS.get(spec.tier, spec.tier)},  # rules/aks.py aks-choices
        "properties": props,
    }


def _pool_summary(pool: NodePoolSpec) -> str:
    disk = f"{pool.os_disk_type} OS disk {pool.os_disk_gb} GiB"
    zones = f", zones {', '.join(pool.zones)}" if pool.zones else ""
    return f"{pool.count} × {pool.vm_size}, {pool.os_sku}, {disk}{zones}"


def _cluster_summary(spec: AksSpec, subscription_id: str) -> tuple[tuple[str, str], ...]:
    net = spec.network
    plugin = {"azure": "Azure CNI" + (" Overlay" if net.overlay else ""), "kubenet": "kubenet",
              "none": "none (bring your own CNI)"}.get(net.plugin, net.plugin)
    rows = [
        ("tier", f"{spec.tier} ({spec.support_plan})"),
        ("Kubernetes", spec.kubernetes_version or "the region's default version"),
        ("DNS prefix", spec.resolved_dns_prefix(subscription_id)),
        (f"system pool {spec.system_pool.name}", _pool_summary(spec.system_pool)),
    ]
    rows += [(f"user pool {p.name}", _pool_summary(p)) for p in spec.user_pools]
    rows += [
        ("network", f"{plugin}, dataplane {net.dataplane}, policy {net.policy}"),
        ("IP families", " + ".join(net.ip_families)),
    ]
    if net.uses_pod_cidrs:
        rows.append(("pod CIDRs", ", ".join(net.pod_cidrs)))
    rows += [
        ("service CIDRs", ", ".join(net.service_cidrs)),
        ("DNS service IP", net.resolved_dns_service_ip()),
        ("outbound", f"{net.outbound_type}, {net.load_balancer_sku} load balancer"),
        ("API server access", ", ".join(spec.authorized_ip_ranges) or "any IPv4 address (no authorized ranges)"),
        ("SSH to nodes", f"key for {spec.admin_username}" if spec.ssh_public_key.strip() else "no SSH key"),
        ("node resource group", spec.node_resource_group),
    ]
    return tuple(rows)


def plan_aks(spec: AksSpec, *, subscription_id: str, run_id: str, created_at: str) -> Plan:
    sub, loc, rg = subscription_id, spec.location, spec.resource_group
    tags = azwizard_tags(run_id, "aks", created_at, dict(spec.extra_tags))
    steps: list[Step] = []
    notes: list[str] = []

    root: tuple[str, ...] = ()
    if not spec.use_existing_group:
        steps.append(Step("rg", "Microsoft.Resources/resourceGroups", rg, f"/subscriptions/{sub}/resourceGroups/{rg}",
                          {"location": loc, "tags": tags}, (), f"Resource group {rg}", (("location", loc),),
                          RESOURCES_API))
        root = ("rg",)

    acr_id = ""
    acr_deps: tuple[str, ...] = ()
    if spec.acr.mode == "create":
        acr_id = _rid(sub, rg, REGISTRY_KIND, spec.acr.name)
        # Listed before the cluster, so exports create it first (az aks create --attach-acr needs it).
        steps.append(Step(
            "acr", REGISTRY_KIND, spec.acr.name, acr_id,
            {"location": loc, "tags": tags, "sku": {"name": spec.acr.sku},
             "properties": {"adminUserEnabled": False}},
            root, f"Container registry {spec.acr.name}",
            (("sku", spec.acr.sku), ("login server", f"{spec.acr.name.lower()}.azurecr.io"),
             ("admin user", "disabled (the cluster pulls with its kubelet identity)")),
            CONTAINERREGISTRY_API,
        ))
        acr_deps = ("acr",)
    elif spec.acr.mode == "attach":
        acr_id = spec.acr.existing_id

    cluster_id = _rid(sub, rg, CLUSTER_KIND, spec.cluster_name)
    steps.append(Step(
        "aks", CLUSTER_KIND, spec.cluster_name, cluster_id, cluster_body(spec, sub, tags), root,
        f"AKS cluster {spec.cluster_name}", _cluster_summary(spec, sub), CONTAINERSERVICE_API,
    ))

    if acr_id:
        name = role_assignment_name(cluster_id, acr_id, "aks")
        steps.append(Step(
            "acrpull", ROLE_ASSIGNMENT_KIND, name, f"{acr_id}/providers/{ROLE_ASSIGNMENT_KIND}/{name}",
            {"properties": {
                "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/"
                                    f"{ACR_PULL_ROLE}",
                "principalId": output_ref("aks", KUBELET_OBJECT_ID),
                "principalType": "ServicePrincipal",
                "description": f"AcrPull for AKS cluster {spec.cluster_name} (azwizard run {run_id})",
            }},
            ("aks", *acr_deps), f"AcrPull on {spec.acr.registry_name()} for {spec.cluster_name}",
            (("role", "AcrPull (pull images)"), ("scope", f"registry {spec.acr.registry_name()}"),
             ("assignee", f"the kubelet identity of {spec.cluster_name} (known once the cluster exists)")),
            AUTHORIZATION_API,
        ))
        notes.append("The AcrPull role assignment is made for the cluster's kubelet identity, whose id is read "
                     "from the created cluster (like az aks create --attach-acr).")
    return Plan("aks", run_id, sub, loc, tuple(steps), tuple(notes))
