"""The AKS journey's fields, in profile order (docs/profiles.md's table is generated from this list).

Steps: basics, node_pools, networking, access (screens/aks/). To add a field, see docs/architecture.md
("Adding a field").
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import common
from .model import Choice, Field, Registry, field

OS_SKUS_LINUX = ("AzureLinux", "AzureLinux3", "Ubuntu", "Ubuntu2204", "Ubuntu2404", "CBLMariner")
OS_SKUS_WINDOWS = ("Windows2019", "Windows2022", "Windows2025", "WindowsAnnual")
_OS_SKU_LABELS = {"AzureLinux": "Azure Linux (Microsoft's minimal node OS; the notes' choice)",
                  "Ubuntu": "Ubuntu (AKS's default)"}


def _os_skus(*, windows: bool) -> tuple[Choice, ...]:
    """The node OS SKUs: the wizard lists Azure Linux and Ubuntu; a system pool runs Linux, so a Windows SKU there
    is known (the profile names why it is refused) but not offered."""
    return (*(Choice(s, _OS_SKU_LABELS.get(s, ""), wizard=s in _OS_SKU_LABELS) for s in OS_SKUS_LINUX),
            *(Choice(s, offered=windows, wizard=False) for s in OS_SKUS_WINDOWS))


_DISK_TYPES = ("Managed", "Ephemeral")
_POOL_TARGETS = {"name": ("agentpoolprofile.name", "agentpoolprofiles.name"),
                 "count": ("agentpoolprofile.count", "agentpoolprofiles.count"),
                 "vm_size": ("agentpoolprofile.vmsize", "vmsize"), "max_pods": ("agentpoolprofile.maxpods", "maxpods"),
                 "os_disk_type": ("agentpoolprofile.osdisktype", "osdisktype"), "zones": ("availabilityzones",)}
_POOL_CODES = {"vm_size": ("SkuNotAvailable", "QuotaExceeded", "InsufficientVCPUQuota",
                           "ErrCode_InsufficientVCPUQuota", "OperationNotAllowedQuota"),
               "os_disk_type": ("VMCacheSizeTooSmall", "VMSizeDoesNotSupportEphemeralOS"),
               "zones": ("AvailabilityZoneNotSupported",)}


def _system_pool() -> list[Field]:
    kw: dict[str, dict[str, Any]] = {k: {"targets": _POOL_TARGETS.get(k, ()), "codes": _POOL_CODES.get(k, ()), "step": "node_pools"}
          for k in ("name", "vm_size", "count", "os_type", "os_sku", "os_disk_type", "os_disk_size_gb", "zones",
                    "max_pods")}
    kw["os_disk_size_gb"]["step"] = ""  # no widget: a profile or a pasted command sets it
    return [
        field("system_pool", "table", "", "the system node pool (Linux)", step="node_pools"),
        field("system_pool.name", "str", "`nodepool1`", "lower-case letters and digits, at most 12", **kw["name"]),
        field("system_pool.vm_size", "str", "`Standard_D2s_v5`", "", widget="#size", **kw["vm_size"]),
        field("system_pool.count", "int", "`3`", "", range=(0, 1000), **kw["count"]),
        field("system_pool.os_type", "str", "`Linux`", "the system pool runs Linux", choices=(Choice("Linux"),),
              **kw["os_type"]),
        field("system_pool.os_sku", "str", "`AzureLinux`", "", choices=_os_skus(windows=False), label="Node OS",
              **kw["os_sku"]),
        field("system_pool.os_disk_type", "str", "`Managed`", "", choices=_DISK_TYPES, **kw["os_disk_type"]),
        field("system_pool.os_disk_size_gb", "int", "`128` (AKS's default)", "GiB", range=(30, 2048),
              **kw["os_disk_size_gb"]),
        field("system_pool.zones", "list[str]", "`[]`", "", **kw["zones"]),
        field("system_pool.max_pods", "int", "AKS's default (250 with overlay, 110 with kubenet)", "",
              range=(10, 250), **kw["max_pods"]),
        field("", "str", spec="system_pool.mode", step="node_pools", choices=(Choice("System"),)),
    ]


def _user_pools() -> list[Field]:
    """The keys of each ``[[user_pools]]`` entry: edited in the user pool table (``#user_pools``)."""
    return [dataclasses.replace(f, step="node_pools") for f in [
        field("user_pools", "array[table]", "`[]`", "more node pools, `[[user_pools]]` entries", step="node_pools"),
        field("user_pools[].name", "str", "(required)", "at most 12 characters (6 for Windows pools)"),
        field("user_pools[].mode", "str", "`User`", "", choices=("User", "System")),
        field("user_pools[].vm_size", "str", "`Standard_D2s_v5`", ""),
        field("user_pools[].count", "int", "`3`", "", range=(0, 1000)),
        field("user_pools[].os_type", "str", "`Linux`", "", choices=("Linux", "Windows")),
        field("user_pools[].os_sku", "str", "`AzureLinux` (`Windows2022` for Windows)", "",
              choices=_os_skus(windows=True)),
        field("user_pools[].os_disk_type", "str", "`Managed`", "", choices=_DISK_TYPES),
        field("user_pools[].os_disk_size_gb", "int", "`128`", "", range=(30, 2048)),
        field("user_pools[].zones", "list[str]", "`[]`", ""),
        field("user_pools[].max_pods", "int", "AKS's default", "", range=(10, 250)),
    ]]


UPGRADE_CHANNELS = ("", "none", "patch", "stable", "rapid", "node-image")
NODE_OS_CHANNELS = ("", "None", "Unmanaged", "NodeImage", "SecurityPatch")
SCHEDULE_TYPES = ("Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly")
WEEK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEK_INDEXES = ("First", "Second", "Third", "Fourth", "Last")


def _window(name: str, what: str) -> list[Field]:
    """A planned-maintenance window table (https://learn.microsoft.com/azure/aks/planned-maintenance): the step
    edits the table through its schedule select; its keys are read and checked by the profile reader and rules."""
    t = f"operations.{name}"
    return [
        field(t, "table", "none (AKS may start at any time)", f"the planned-maintenance window for {what}",
              step="operations", widget=f"#operations-{name}-schedule"),
        field(f"{t}.schedule", "str", "`Weekly`", "", choices=SCHEDULE_TYPES),
        field(f"{t}.interval", "int", "`1`", "every N days (Daily, 1-7), weeks (Weekly, 1-4) or months (1-6)"),
        field(f"{t}.day_of_week", "str", "`Saturday`", "Weekly and RelativeMonthly", choices=WEEK_DAYS),
        field(f"{t}.day_of_month", "int", "`1`", "AbsoluteMonthly", range=(1, 31)),
        field(f"{t}.week_index", "str", "`First`", "RelativeMonthly: which of the month's weekdays",
              choices=WEEK_INDEXES),
        field(f"{t}.start_date", "str", '`""`', '`yyyy-MM-dd`; `""` = from now'),
        field(f"{t}.start_time", "str", "`00:00`", "`HH:mm`"),
        field(f"{t}.duration_hours", "int", "`8`", "hours; AKS needs 4 or more (the rules block a shorter window)",
              range=(1, 24)),
        field(f"{t}.utc_offset", "str", '`""`', '`+HH:mm` or `-HH:mm`; `""` = UTC'),
    ]


def _operations() -> list[Field]:
    """Production / operations (issue 24): the Operations step (screens/aks/operations.py)."""
    return [
        field("private_cluster", "bool", "`false`", "a private API server (reachable only from the cluster's "
              "network)", step="operations", targets=("apiserveraccessprofile.enableprivatecluster",)),
        field("disable_public_fqdn", "bool", "`false`", "private cluster: no public DNS name for the API server",
              step="operations", targets=("apiserveraccessprofile.enableprivateclusterpublicfqdn",)),
        field("network.outbound_ipv4_count", "int", "AKS's default (1)", "managed outbound public IPv4 addresses",
              range=(1, 100), step="operations", targets=_targets("loadbalancerprofile.managedoutboundips.count")),
        field("network.outbound_ipv6_count", "int", "AKS's default (1 dual-stack)", "managed outbound public IPv6 "
              "addresses", range=(0, 100), step="operations",
              targets=_targets("loadbalancerprofile.managedoutboundips.countipv6")),
        field("operations", "table", "", "upgrades, maintenance windows and add-ons", step="operations"),
        field("operations.upgrade_channel", "str", '`""` (AKS: none)', "Kubernetes auto-upgrade channel",
              step="operations", targets=("autoupgradeprofile.upgradechannel",), choices=(
                  Choice("", "AKS's default: no automatic Kubernetes upgrades (none)", "AKS's default"),
                  Choice("none", "none — you upgrade Kubernetes yourself"),
                  Choice("patch", "patch — the latest patch of the current minor version"),
                  Choice("stable", "stable — one minor version behind the newest (production)"),
                  Choice("rapid", "rapid — each new minor version as soon as it is supported"),
                  Choice("node-image", "node-image — node images only, never Kubernetes"))),
        field("operations.node_os_upgrade_channel", "str", '`""` (AKS: NodeImage)', "node OS updates",
              step="operations", targets=("autoupgradeprofile.nodeosupgradechannel",), choices=(
                  Choice("", "AKS's default: NodeImage (weekly patched node images)", "AKS's default"),
                  Choice("NodeImage", "NodeImage — weekly patched node images, nodes reimaged"),
                  Choice("SecurityPatch", "SecurityPatch — security patches only, fewer reimages (replaces "
                                          "unattended-upgrades)"),
                  Choice("Unmanaged", "Unmanaged — the OS patches itself; you handle reboots"),
                  Choice("None", "None — no node OS updates at all"))),
        field("operations.image_cleaner", "bool", "`false`", "Image Cleaner removes unused images from the nodes",
              step="operations"),
        field("operations.image_cleaner_interval_hours", "int", "`168`", "", range=(24, 2160), step="operations",
              targets=("securityprofile.imagecleaner.intervalhours",)),
        field("operations.ssh_access", "str", '`""`', "SSH to the nodes", step="operations", choices=(
            Choice("", "AKS's default: SSH with the nodes' key (if one is set)", "AKS's default"),
            Choice("disabled", "Disabled — the SSH service is off on every node"))),
        field("operations.app_routing", "bool", "`false`", "the application routing add-on (managed NGINX ingress)",
              step="operations"),
        field("operations.monitor_metrics", "bool", "`false`", "Azure Monitor managed Prometheus metrics",
              step="operations"),
        *_window("upgrade_window", "Kubernetes auto-upgrades (aksManagedAutoUpgradeSchedule)"),
        *_window("node_os_window", "node OS updates (aksManagedNodeOSUpgradeSchedule)"),
    ]


def _targets(*names: str) -> tuple[str, ...]:
    """A network profile setting as ARM names it, with and without ``networkProfile.``."""
    return tuple(t for n in names for t in (f"networkprofile.{n}", n))


AKS_FIELDS = Registry("aks", [
    common.KIND,
    field("name", "str", "(required)", "the cluster's name", spec="cluster_name", step="basics"),
    common.location("basics", ("LocationNotAvailableForResourceType", "InvalidResourceGroupLocation",
                               "LocationNotAvailableForResourceGroup")),
    common.use_existing_group("basics", "#resource_group"),
    field("admin_username", "str", "`azureuser`", "the nodes' administrator (only with an SSH key)", step="access",
          targets=("linuxprofile.adminusername", "adminusername")),
    field("ssh_public_key", "str", '`""`', "an SSH key for the nodes; `\"\"` = none (AKS needs none: "
          "`kubectl debug node/...` works)", step="access", targets=("linuxprofile.ssh.publickeys",)),
    common.SSH_PUBLIC_KEY_FILE,
    common.tags("basics"),
    field("resource_group", "str", "`<name>-RG`", "the cluster's resource group", step="basics",
          codes=("ResourceGroupNotFound", "ScopeLocked", "ResourceGroupLocked")),
    field("dns_prefix", "str", '`""`', "the API server's DNS prefix; `\"\"` = derived as `az aks create` does",
          step="basics", targets=("dnsprefix",), codes=("DnsPrefixInvalid",)),
    field("tier", "str", "`free`", "pricing tier", step="basics", choices=(
        Choice("free", "Free — no uptime SLA; for trying things and small clusters (under 10 nodes)"),
        Choice("standard", "Standard — financially backed uptime SLA for the API server; for production",
               "uptime SLA"),
        Choice("premium", "Premium — Standard plus long-term support (LTS, 2 years per version)"))),
    field("support_plan", "str", "`KubernetesOfficial`", "", step="basics", widget="#tier",
          choices=("KubernetesOfficial", "AKSLongTermSupport")),
    field("kubernetes_version", "str", '`""`', '`""` = the region\'s default version', step="basics",
          targets=("kubernetesversion",),
          codes=("K8sVersionNotSupported", "AgentPoolK8sVersionNotSupported", "VersionNotSupported")),
    field("vm_set_type", "str", "`VirtualMachineScaleSets`", "", step="node_pools",
          choices=(Choice("VirtualMachineScaleSets", "Scale sets"), Choice("AvailabilitySet", wizard=False))),
    field("authorized_ip_ranges", "list[str]", "`[]`", "IPv4 addresses/CIDRs that may reach the API server; `[]` = "
          "any", step="access", widget="#range-input",
          targets=("apiserveraccessprofile.authorizedipranges", "authorizedipranges")),
    *_system_pool(),
    *_user_pools(),
    field("network", "table", "", "the cluster network", step="networking"),
    field("network.plugin", "str", "`azure`", "", step="networking", widget="#network-plugin",
          choices=("azure", "kubenet", "none")),
    field("network.plugin_mode", "str", "`overlay`", "", step="networking", widget="#network-plugin",
          choices=(Choice("overlay"), Choice("", note="traditional Azure CNI"))),
    field("network.dataplane", "str", "`cilium`", "", step="networking", widget="#network-plugin",
          choices=("azure", "cilium")),
    field("network.policy", "str", "`cilium`", "", step="networking", choices=("none", "cilium", "calico", "azure"),
          targets=_targets("networkpolicy"), codes=("UnsupportedDualStackNetworkPolicy", "NetworkPolicyNotSupported")),
    field("network.ip_families", "list[str]", '`["IPv4", "IPv6"]`', '`["IPv4"]` or `["IPv4", "IPv6"]`',
          step="networking", targets=_targets("ipfamilies")),
    field("network.pod_cidrs", "list[str]", "`10.244.0.0/16` + the first `/64` of a random ULA `/48`", "",
          step="networking", targets=_targets("podcidr", "podcidrs"), codes=("InvalidNetworkingConfig",)),
    field("network.service_cidrs", "list[str]", "`10.96.0.0/16` + a `/108` of the same ULA `/48`", "",
          step="networking", targets=_targets("servicecidr", "servicecidrs"),
          codes=("ServiceCidrOverlapExistingSubnetsCidr",)),
    field("network.dns_service_ip", "str", '`""`', '`""` = the 10th address of the IPv4 service CIDR',
          step="networking", targets=_targets("dnsserviceip")),
    field("network.outbound_type", "str", "`loadBalancer`", "", step="networking",
          choices=("loadBalancer", "managedNATGateway"), targets=_targets("outboundtype")),
    field("network.load_balancer_sku", "str", "`standard`", "", step="networking",
          choices=(Choice("standard", "Standard load balancer"), Choice("basic", wizard=False))),
    field("acr", "table", "", "a container registry the nodes pull from (AcrPull for the kubelet identity)",
          step="access"),
    field("acr.mode", "str", "`none`", "", step="access", widget="#acr-mode",
          choices=(Choice("none", "No registry"), Choice("create", "Create a new registry (Basic SKU)"),
                   Choice("attach", "Attach an existing registry"))),
    field("acr.name", "str", '`""`', "the registry to create (5-50 letters and digits)", step="access",
          widget="#acr-name", codes=("RegistryNameNotAvailable", "AlreadyInUse")),
    field("acr.sku", "str", "`Basic`", "", choices=("Basic", "Standard", "Premium")),
    field("acr.existing_id", "str", '`""`', "the resource id of the registry to attach", step="access",
          widget="#acr-existing_id"),
    # Production / operations (issue 24)
    *_operations(),
    # not a profile key: subscription-wide findings (providers, live facts) show on Basics
    field("", "str", spec="", step="basics"),
])
