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

import copy
import uuid
from typing import Any

from ..specs.aks import AksSpec, MaintenanceWindowSpec, NodePoolSpec
from ..specs.common import azwizard_tags
from ..sshkeys import withhold_private_key
from .aks_metrics import METRICS_NOTE, metrics_steps
from .model import Plan, Step, output_ref

CONTAINERSERVICE_API = "2026-08-01"
CONTAINERREGISTRY_API = "2025-11-01"
AUTHORIZATION_API = "2022-04-01"
RESOURCES_API = "2025-04-01"

CLUSTER_KIND = "Microsoft.ContainerService/managedClusters"
REGISTRY_KIND = "Microsoft.ContainerRegistry/registries"
ROLE_ASSIGNMENT_KIND = "Microsoft.Authorization/roleAssignments"
MAINTENANCE_KIND = "Microsoft.ContainerService/managedClusters/maintenanceConfigurations"
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


# What ``az aks create`` writes into every agent pool profile whatever its flags (azure-cli 2.91.0,
# acs/agentpool_decorator.py AKSAgentPoolAddDecorator.construct_agentpool_profile_default: set_up_node_network_properties
# enableNodePublicIP, set_up_auto_scaler_properties enableAutoScaling, set_up_priority_properties scaleSetPriority
# "Regular", set_up_label_tag_taint nodeTaints [], set_up_upgrade_settings an empty AgentPoolUpgradeSettings,
# set_up_vm_properties enableEncryptionAtHost / enableUltraSSD / enableFIPS; each the flag's default), sent as az
# sends them so the body is az's field for field.
AZ_POOL_DEFAULTS: dict[str, Any] = {
    "enableNodePublicIP": False, "enableAutoScaling": False, "scaleSetPriority": "Regular", "nodeTaints": [],
    "upgradeSettings": {}, "enableEncryptionAtHost": False, "enableUltraSSD": False, "enableFIPS": False,
}


def pool_body(pool: NodePoolSpec, spec: AksSpec, tags: dict[str, str]) -> dict[str, Any]:
    """One agentPoolProfile (ManagedClusterAgentPoolProfile, wire keys), with what az aks create always sends
    (``AZ_POOL_DEFAULTS``; ``orchestratorVersion`` is the cluster's ``--kubernetes-version``, "" = the default:
    agentpool_decorator.py set_up_vm_properties / AKSAgentPoolContext.get_kubernetes_version)."""
    body: dict[str, Any] = {
        "name": pool.name,
        "mode": pool.mode,
        "count": pool.count,
        "vmSize": pool.vm_size,
        "osType": pool.os_type,
        "osSKU": pool.os_sku,
        "type": spec.vm_set_type,
        "osDiskType": pool.os_disk_type,
        "orchestratorVersion": spec.kubernetes_version.strip(),
        **copy.deepcopy(AZ_POOL_DEFAULTS),
    }
    if pool.os_disk_size_gb is not None:
        body["osDiskSizeGB"] = pool.os_disk_size_gb
    if pool.zones:
        body["availabilityZones"] = list(pool.zones)
    if pool.max_pods is not None:
        body["maxPods"] = pool.max_pods
    if spec.operations.ssh_access:
        # az aks create / nodepool add --ssh-access disabled (aks-preview: CONST_SSH_ACCESS_DISABLED "disabled",
        # set as agentpool.security_profile.ssh_access); AgentPoolSecurityProfile.sshAccess, the API's enum
        # LocalUser | Disabled (https://learn.microsoft.com/azure/aks/manage-ssh-node-access).
        body["securityProfile"] = {"sshAccess": spec.operations.ssh_access}
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
    managed: dict[str, int] = {}
    if net.outbound_type == "loadBalancer":
        # --load-balancer-managed-outbound-ip[v6]-count, as az sends them (acs/_loadbalancer.py
        # configure_load_balancer_profile: loadBalancerProfile.managedOutboundIPs, with count 1 when only the
        # IPv6 count is given); None for both = AKS's default, not sent.
        if net.outbound_ipv4_count is not None or net.outbound_ipv6_count is not None:
            managed["count"] = net.outbound_ipv4_count if net.outbound_ipv4_count is not None else 1
        if net.outbound_ipv6_count is not None:
            managed["countIPv6"] = net.outbound_ipv6_count
    if managed:
        np["loadBalancerProfile"] = {"managedOutboundIPs": managed}
    np["outboundType"] = net.outbound_type
    return np


def api_server_access_profile(spec: AksSpec) -> dict[str, Any] | None:
    """ManagedClusterAPIServerAccessProfile as az builds it (acs/managed_cluster_decorator.py
    set_up_api_server_access_profile): only with authorized ranges or a private cluster; then the ranges (an
    empty list when none), ``enablePrivateCluster`` true, and ``enablePrivateClusterPublicFQDN`` false with
    --disable-public-fqdn."""
    ranges = [r.strip() for r in spec.authorized_ip_ranges]
    if not ranges and not spec.private_cluster:
        return None
    out: dict[str, Any] = {"authorizedIPRanges": ranges}
    if spec.private_cluster:
        out["enablePrivateCluster"] = True
        if spec.disable_public_fqdn:
            out["enablePrivateClusterPublicFQDN"] = False
    return out


def operations_properties(spec: AksSpec) -> dict[str, Any]:
    """The cluster properties of the production/operations choices, shaped as ``az aks create`` sends them
    (azure-cli 2.91.0, request bodies recorded against the simulator with --debug; acs/managed_cluster_decorator.py
    set_up_auto_upgrade_profile, set_up_image_cleaner, set_up_ingress_web_app_routing, set_up_azure_monitor_profile).
    Each is left out when not chosen, as az leaves out a flag not given."""
    ops = spec.operations
    props: dict[str, Any] = {}
    upgrade: dict[str, str] = {}
    if ops.upgrade_channel:
        upgrade["upgradeChannel"] = ops.upgrade_channel
    if ops.node_os_upgrade_channel:
        upgrade["nodeOSUpgradeChannel"] = ops.node_os_upgrade_channel
    if upgrade:
        props["autoUpgradeProfile"] = upgrade
    if ops.image_cleaner:
        props["securityProfile"] = {"imageCleaner": {"enabled": True,
                                                     "intervalHours": ops.image_cleaner_interval_hours}}
    if ops.app_routing:
        props["ingressProfile"] = {"webAppRouting": {"enabled": True}}
    if ops.monitor_metrics:
        # As az sends it (set_up_azure_monitor_profile): metrics *off* with the kube-state-metrics allow lists ("" when
        # --ksm-metric-labels-allow-list / --ksm-metric-annotations-allow-list are not given). The workspace, data
        # collection endpoint, rule and association and the recording rules are created after the cluster, and a
        # last read-modify-write update turns the metrics on (plan/aks_metrics.py, az's
        # azuremonitormetrics/azuremonitorprofile.py link_azure_monitor_profile_artifacts and addonput.addon_put).
        props["azureMonitorProfile"] = {"metrics": {"enabled": False, "kubeStateMetrics": {
            "metricLabelsAllowlist": "", "metricAnnotationsAllowList": ""}}}
    return props


def maintenance_body(window: MaintenanceWindowSpec) -> dict[str, Any]:
    """A MaintenanceConfiguration with a maintenanceWindow, as ``az aks maintenanceconfiguration add`` sends it
    for aksManagedAutoUpgradeSchedule / aksManagedNodeOSUpgradeSchedule (acs/maintenanceconfiguration.py
    constructDedicatedMaintenanceConfiguration: the schedule of the chosen type, startDate / utcOffset only when
    given). https://learn.microsoft.com/rest/api/aks/maintenance-configurations/create-or-update"""
    kind = {"Daily": "daily", "Weekly": "weekly", "AbsoluteMonthly": "absoluteMonthly",
            "RelativeMonthly": "relativeMonthly"}[window.schedule]
    schedule: dict[str, Any]
    if window.schedule == "Daily":
        schedule = {"intervalDays": window.interval}
    elif window.schedule == "Weekly":
        schedule = {"intervalWeeks": window.interval, "dayOfWeek": window.day_of_week}
    elif window.schedule == "AbsoluteMonthly":
        schedule = {"intervalMonths": window.interval, "dayOfMonth": window.day_of_month}
    else:
        schedule = {"intervalMonths": window.interval, "dayOfWeek": window.day_of_week,
                    "weekIndex": window.week_index}
    mw: dict[str, Any] = {"schedule": {kind: schedule}, "durationHours": window.duration_hours}
    if window.utc_offset:
        mw["utcOffset"] = window.utc_offset
    if window.start_date:
        mw["startDate"] = window.start_date
    mw["startTime"] = window.start_time
    return {"properties": {"maintenanceWindow": mw}}


# What ``az aks create`` writes into every cluster whatever its flags (acs/managed_cluster_decorator.py
# AKSManagedClusterCreateDecorator.construct_mc_profile_default): set_up_mc_properties disableLocalAccounts false
# (--disable-local-accounts not given), set_up_addon_profiles {} (no --enable-addons), set_up_storage_profile {} (no
# CSI driver flags), set_up_bootstrap_profile artifactSource "Direct" (--bootstrap-artifact-source's default).
def az_cluster_defaults() -> dict[str, Any]:
    """A fresh copy of the cluster properties az aks create always sends (see above)."""
    return {"disableLocalAccounts": False, "addonProfiles": {}, "storageProfile": {},
            "bootstrapProfile": {"artifactSource": "Direct"}}


def cluster_body(spec: AksSpec, subscription_id: str, tags: dict[str, str]) -> dict[str, Any]:
    """The managed cluster's PUT body, field for field what ``az aks create`` sends for the same flags (the
    defaults az always writes included: ``AZ_POOL_DEFAULTS``, :func:`az_cluster_defaults`); its user pools
    go inline (az adds them after the cluster with az aks nodepool add)."""
    props: dict[str, Any] = {}
    # "" = the region's default version, sent as az sends it (set_up_mc_properties: get_kubernetes_version)
    props["kubernetesVersion"] = spec.kubernetes_version.strip()
    props["dnsPrefix"] = spec.resolved_dns_prefix(subscription_id)
    props["agentPoolProfiles"] = [pool_body(p, spec, tags) for p in spec.pools]
    if spec.ssh_public_key.strip():
        props["linuxProfile"] = {"adminUsername": spec.admin_username,
                                 "ssh": {"publicKeys": [{"keyData": withhold_private_key(spec.ssh_public_key.strip())}]}}
    props["networkProfile"] = network_profile(spec)
    access = api_server_access_profile(spec)
    if access is not None:
        props["apiServerAccessProfile"] = access
    props["enableRBAC"] = True
    props["supportPlan"] = spec.support_plan
    props.update(az_cluster_defaults())
    props.update(operations_properties(spec))
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
        ("API server access", _access_summary(spec)),
        ("SSH to nodes", f"key for {spec.admin_username}" if spec.ssh_public_key.strip() else "no SSH key"),
        ("node resource group", spec.node_resource_group),
    ]
    rows += _operations_summary(spec)
    return tuple(rows)


def _access_summary(spec: AksSpec) -> str:
    if spec.private_cluster:
        fqdn = "no public DNS name" if spec.disable_public_fqdn else "a public DNS name for its private address"
        return (f"private API server ({fqdn}): reachable only from the cluster's network or one connected to it "
                "(VPN, peering, a jump box, az aks command invoke)")
    return ", ".join(spec.authorized_ip_ranges) or "any IPv4 address (no authorized ranges)"


def _operations_summary(spec: AksSpec) -> list[tuple[str, str]]:
    ops = spec.operations
    rows = [("Kubernetes upgrades", f"channel {ops.effective_upgrade_channel}"
             + (f", window {ops.upgrade_window.describe()}" if ops.upgrade_window else "")),
            ("node OS updates", f"channel {ops.effective_node_os_channel}"
             + (f", window {ops.node_os_window.describe()}" if ops.node_os_window else ""))]
    net = spec.network
    if net.outbound_ipv4_count is not None or net.outbound_ipv6_count is not None:
        rows.append(("outbound IPs", f"{net.outbound_ipv4_count if net.outbound_ipv4_count is not None else 1} IPv4"
                     + (f", {net.outbound_ipv6_count if net.outbound_ipv6_count is not None else 1} IPv6"
                        if net.dual_stack else "")))
    rows.append(("Image Cleaner", f"every {ops.image_cleaner_interval_hours} h" if ops.image_cleaner else "off"))
    if ops.ssh_access == "disabled":
        rows.append(("SSH service on nodes", "disabled (use kubectl debug node/...)"))
    rows.append(("app routing (managed NGINX ingress)", "on" if ops.app_routing else "off"))
    rows.append(("managed Prometheus metrics", "on" if ops.monitor_metrics else "off"))
    return rows


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
    metrics = metrics_steps(spec, sub, tags, cluster_id, root, CONTAINERSERVICE_API) if spec.operations.monitor_metrics \
        else []
    # The workspace is listed before the cluster: the az export creates it first and names it to az aks create.
    steps += [s for s in metrics if s.key == "amw"]
    steps.append(Step(
        "aks", CLUSTER_KIND, spec.cluster_name, cluster_id, cluster_body(spec, sub, tags), root,
        f"AKS cluster {spec.cluster_name}", _cluster_summary(spec, sub), CONTAINERSERVICE_API,
    ))

    for config, window in spec.operations.windows():
        steps.append(Step(
            f"maint-{config}", MAINTENANCE_KIND, config, f"{cluster_id}/maintenanceConfigurations/{config}",
            maintenance_body(window), ("aks",), f"Maintenance window {config}",
            (("for", "Kubernetes auto-upgrades" if config.endswith("AutoUpgradeSchedule") else "node OS updates"),
             ("when", window.describe())),
            CONTAINERSERVICE_API,
        ))
    if spec.operations.monitor_metrics:
        steps += [s for s in metrics if s.key != "amw"]
        notes.append(METRICS_NOTE)
    if spec.private_cluster:
        notes.append("The API server is private: kubectl works only from the cluster's network or one connected to "
                     "it; from here use az aks command invoke.")

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
