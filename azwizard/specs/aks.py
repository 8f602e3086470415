"""The AKS journey's spec: the seed notes' "Setup (CLI Example)" cluster as data.

The notes create a public dual-stack cluster with Azure CNI Overlay and the Cilium dataplane
(https://learn.microsoft.com/azure/aks/azure-cni-overlay; the profile keys and defaults: docs/profiles.md). This module holds the same choices as
frozen dataclasses, three presets that pass every pre-flight rule, the DNS prefix ``az`` derives, and a
reader for ``az aks create`` command lines (the notes' own command among them) so a pasted command can
be checked and corrected.

Pod and service CIDRs: the AKS docs' dual-stack defaults (configure-dual-stack.md) are pods
``10.244.0.0/16`` + ``fd12:3456:789a::/64`` and services ``10.0.0.0/16`` + ``fd12:3456:789a:1::/108``.
azwizard keeps the pod IPv4 default but moves two of them:

* services ``10.96.0.0/16`` instead of ``10.0.0.0/16``: ``10.0.0.0/16`` is the usual VNet range (the VM
  journey's own default), and a service range equal to a network the cluster is peered with or routes
  to makes that network unreachable from pods (rule 55, Azure/AKS#1117);
* IPv6 from a random ULA ``/48`` (RFC 4193), pods its first ``/64`` and services a ``/108`` of its second
  ``/64``: the documented ``fd12:3456:789a::`` prefix is the same in every cluster that kept the
  default, so two such networks can never be connected.

None of them overlaps the managed node VNet AKS creates (``10.224.0.0/12``).
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from dataclasses import dataclass, field, replace
from typing import Literal

from .common import random_ula_48

Tier = Literal["free", "standard", "premium"]
SupportPlan = Literal["KubernetesOfficial", "AKSLongTermSupport"]
PoolMode = Literal["System", "User"]
OsType = Literal["Linux", "Windows"]
OsDiskType = Literal["Managed", "Ephemeral"]
NetworkPlugin = Literal["azure", "kubenet", "none"]
PluginMode = Literal["overlay", ""]
Dataplane = Literal["azure", "cilium"]
NetworkPolicy = Literal["none", "cilium", "calico", "azure"]
OutboundType = Literal["loadBalancer", "managedNATGateway"]
LoadBalancerSku = Literal["standard", "basic"]
VmSetType = Literal["VirtualMachineScaleSets", "AvailabilitySet"]
AcrMode = Literal["none", "create", "attach"]
UpgradeChannel = Literal["", "none", "patch", "stable", "rapid", "node-image"]
NodeOsChannel = Literal["", "None", "Unmanaged", "NodeImage", "SecurityPatch"]
ScheduleType = Literal["Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly"]
SshAccess = Literal["", "disabled"]

# The two planned-maintenance configurations AKS reads for its managed upgrades (planned-maintenance.md):
# the auto-upgrade channel's window and the node OS channel's window.
AUTO_UPGRADE_SCHEDULE = "aksManagedAutoUpgradeSchedule"
NODE_OS_UPGRADE_SCHEDULE = "aksManagedNodeOSUpgradeSchedule"
MIN_WINDOW_HOURS = 4  # "The maintenance window duration ... at least four hours" (planned-maintenance.md)

DEFAULT_OS_DISK_GB = 128  # AKS's default OS disk size (concepts-storage.md; rancher/rancher#33679)
POD_CIDR_V4 = "10.244.0.0/16"
SERVICE_CIDR_V4 = "10.96.0.0/16"
MANAGED_VNET_CIDR = "10.224.0.0/12"  # the node VNet AKS creates when no subnet is brought


def dual_stack_ipv6(ula48: str) -> tuple[str, str]:
    """(pod /64, service /108) inside a ULA ``/48``: the first /64 for pods, the start of the second /64
    for services (the docs' layout, with the caller's prefix instead of ``fd12:3456:789a::``)."""
    net = ipaddress.IPv6Network(ula48, strict=False)
    sixty_fours = net.subnets(new_prefix=64)
    pods = next(sixty_fours)
    services = next(next(sixty_fours).subnets(new_prefix=108))
    return pods.compressed, services.compressed


def _random_dual_stack() -> tuple[tuple[str, ...], tuple[str, ...]]:
    pods6, services6 = dual_stack_ipv6(random_ula_48())
    return (POD_CIDR_V4, pods6), (SERVICE_CIDR_V4, services6)


@dataclass(frozen=True)
class NodePoolSpec:
    """One node pool (agentPoolProfile). ``os_disk_size_gb`` None = AKS's default (128 GiB);
    ``max_pods`` None = AKS's default (250 with Azure CNI Overlay, 110 with kubenet)."""

    name: str = "nodepool1"
    vm_size: str = "Standard_D2s_v5"
    count: int = 3
    mode: PoolMode = "System"
    os_type: OsType = "Linux"
    os_sku: str = "AzureLinux"
    os_disk_type: OsDiskType = "Managed"
    os_disk_size_gb: int | None = None
    zones: tuple[str, ...] = ()
    max_pods: int | None = None

    @property
    def os_disk_gb(self) -> int:
        return self.os_disk_size_gb or DEFAULT_OS_DISK_GB

    def with_(self, **changes: object) -> NodePoolSpec:
        return replace(self, **changes)  # type: ignore[arg-type]


def _default_pod_cidrs() -> tuple[str, ...]:
    return _random_dual_stack()[0]


@dataclass(frozen=True)
class AksNetworkSpec:
    """The cluster's networkProfile. ``dns_service_ip`` "" = the 10th address of the IPv4 service CIDR
    (AKS's own default, e.g. 10.96.0.10)."""

    plugin: NetworkPlugin = "azure"
    plugin_mode: PluginMode = "overlay"
    dataplane: Dataplane = "cilium"
    policy: NetworkPolicy = "cilium"
    ip_families: tuple[str, ...] = ("IPv4", "IPv6")
    pod_cidrs: tuple[str, ...] = ()
    service_cidrs: tuple[str, ...] = ()
    dns_service_ip: str = ""
    outbound_type: OutboundType = "loadBalancer"
    load_balancer_sku: LoadBalancerSku = "standard"
    # Managed outbound public IPs of the load balancer (loadBalancerProfile.managedOutboundIPs); None = AKS's
    # default (1 IPv4; 1 IPv6 on dual-stack, 0 otherwise).
    outbound_ipv4_count: int | None = None
    outbound_ipv6_count: int | None = None

    def __post_init__(self) -> None:
        # Fresh random ULA prefixes for a dual-stack spec built without CIDRs (one /48 for both lists).
        if not self.pod_cidrs and not self.service_cidrs:
            pods, services = _random_dual_stack()
            if tuple(self.ip_families) == ("IPv4",):
                pods, services = pods[:1], services[:1]
            object.__setattr__(self, "pod_cidrs", pods)
            object.__setattr__(self, "service_cidrs", services)

    @property
    def dual_stack(self) -> bool:
        return [f.lower() for f in self.ip_families] == ["ipv4", "ipv6"]

    @property
    def overlay(self) -> bool:
        return self.plugin == "azure" and self.plugin_mode == "overlay"

    @property
    def uses_pod_cidrs(self) -> bool:
        """Kubenet and Azure CNI Overlay take pod IPs from pod CIDRs; traditional Azure CNI from the subnet."""
        return self.plugin == "kubenet" or self.overlay

    def resolved_dns_service_ip(self) -> str:
        if self.dns_service_ip:
            return self.dns_service_ip
        for cidr in self.service_cidrs:
            try:
                net = ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                continue
            if net.version == 4 and net.num_addresses > 10:
                return str(net.network_address + 10)
        return ""

    def with_(self, **changes: object) -> AksNetworkSpec:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class AcrSpec:
    """A container registry the cluster may pull from: ``create`` a new one (Basic, as in the notes'
    ``az acr create --sku Basic``) or ``attach`` an existing one by resource id. Either way the kubelet
    identity gets AcrPull on it (what ``az aks create --attach-acr`` does)."""

    mode: AcrMode = "none"
    name: str = ""
    sku: str = "Basic"
    existing_id: str = ""

    @property
    def enabled(self) -> bool:
        return self.mode != "none"

    def registry_name(self) -> str:
        if self.mode == "attach" and self.existing_id:
            return self.existing_id.rstrip("/").rsplit("/", 1)[-1]
        return self.name


@dataclass(frozen=True)
class MaintenanceWindowSpec:
    """One planned-maintenance window (MaintenanceWindow of a maintenanceConfiguration): a schedule of one of
    the four kinds AKS offers, with its interval and day, from ``start_date`` (``""`` = from now) at
    ``start_time`` (HH:mm) in ``utc_offset`` (``""`` = UTC), lasting ``duration_hours`` (4-24).
    ``day_of_week`` is for Weekly and RelativeMonthly, ``day_of_month`` for AbsoluteMonthly, ``week_index``
    (First ... Last) for RelativeMonthly. Source: https://learn.microsoft.com/azure/aks/planned-maintenance ."""

    schedule: ScheduleType = "Weekly"
    interval: int = 1  # intervalDays / intervalWeeks / intervalMonths
    day_of_week: str = "Saturday"
    day_of_month: int = 1
    week_index: str = "First"
    start_date: str = ""
    start_time: str = "00:00"
    duration_hours: int = 8
    utc_offset: str = ""

    def with_(self, **changes: object) -> MaintenanceWindowSpec:
        return replace(self, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        every = {"Daily": "day", "Weekly": "week", "AbsoluteMonthly": "month", "RelativeMonthly": "month"}
        unit = every.get(self.schedule, "")
        each = f"every {unit}" if self.interval == 1 else f"every {self.interval} {unit}s"
        when = {"Daily": "", "Weekly": f" on {self.day_of_week}",
                "AbsoluteMonthly": f" on day {self.day_of_month}",
                "RelativeMonthly": f" on the {self.week_index.lower()} {self.day_of_week}"}.get(self.schedule, "")
        start = f", from {self.start_date}" if self.start_date else ""
        return (f"{each}{when} at {self.start_time} (UTC{self.utc_offset or '+00:00'}) for "
                f"{self.duration_hours} h{start}")


@dataclass(frozen=True)
class OperationsSpec:
    """How the cluster is kept up to date and run: the two auto-upgrade channels and their maintenance windows
    (``None`` = AKS may upgrade at any time), Image Cleaner, SSH to the nodes, the application routing add-on
    (managed ingress-nginx) and Azure Monitor managed Prometheus metrics. A channel ``""`` is not sent, and AKS
    uses its default: no Kubernetes auto-upgrade (``none``) and the ``NodeImage`` node OS channel
    (https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image)."""

    upgrade_channel: UpgradeChannel = ""
    node_os_upgrade_channel: NodeOsChannel = ""
    upgrade_window: MaintenanceWindowSpec | None = None  # aksManagedAutoUpgradeSchedule
    node_os_window: MaintenanceWindowSpec | None = None  # aksManagedNodeOSUpgradeSchedule
    image_cleaner: bool = False
    image_cleaner_interval_hours: int = 168  # az's default when --image-cleaner-interval-hours is not given
    ssh_access: SshAccess = ""  # "" = AKS's default (LocalUser: SSH with the nodes' key)
    app_routing: bool = False
    monitor_metrics: bool = False

    def with_(self, **changes: object) -> OperationsSpec:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def effective_upgrade_channel(self) -> str:
        return self.upgrade_channel or "none"

    @property
    def effective_node_os_channel(self) -> str:
        return self.node_os_upgrade_channel or "NodeImage"

    def windows(self) -> tuple[tuple[str, MaintenanceWindowSpec], ...]:
        out = []
        if self.upgrade_window is not None:
            out.append((AUTO_UPGRADE_SCHEDULE, self.upgrade_window))
        if self.node_os_window is not None:
            out.append((NODE_OS_UPGRADE_SCHEDULE, self.node_os_window))
        return tuple(out)


@dataclass(frozen=True)
class AksSpec:
    location: str = "norwayeast"
    resource_group: str = "aks-RG"
    use_existing_group: bool = False
    cluster_name: str = "aks"
    dns_prefix: str = ""  # "" = derived as az does: see default_dns_prefix
    tier: Tier = "free"
    support_plan: SupportPlan = "KubernetesOfficial"
    kubernetes_version: str = ""  # "" = the region's default version
    vm_set_type: VmSetType = "VirtualMachineScaleSets"
    system_pool: NodePoolSpec = field(default_factory=NodePoolSpec)
    user_pools: tuple[NodePoolSpec, ...] = ()
    network: AksNetworkSpec = field(default_factory=AksNetworkSpec)
    authorized_ip_ranges: tuple[str, ...] = ()  # () = the API server accepts any IPv4 address
    # A private API server (a private endpoint in the node VNet, https://learn.microsoft.com/azure/aks/
    # private-clusters): reachable only from that network or one connected to it, never from this machine
    # over the internet. ``disable_public_fqdn``: no public DNS name for its private address either.
    private_cluster: bool = False
    disable_public_fqdn: bool = False
    operations: OperationsSpec = field(default_factory=OperationsSpec)
    acr: AcrSpec = field(default_factory=AcrSpec)
    admin_username: str = "azureuser"
    # "" = no SSH key on the nodes (az's --no-ssh-key): current AKS needs none; nodes stay reachable with
    # `kubectl debug node/...` and `az aks command invoke` (the notes, "Disable SSH?").
    ssh_public_key: str = ""
    extra_tags: tuple[tuple[str, str], ...] = ()

    def with_(self, **changes: object) -> AksSpec:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def pools(self) -> tuple[NodePoolSpec, ...]:
        return (self.system_pool, *self.user_pools)

    def resolved_dns_prefix(self, subscription_id: str) -> str:
        return self.dns_prefix or default_dns_prefix(self.cluster_name, self.resource_group, subscription_id)

    @property
    def node_resource_group(self) -> str:
        """``MC_{rg}_{cluster}_{region}``, the group AKS creates for the nodes (the notes)."""
        return f"MC_{self.resource_group}_{self.cluster_name}_{''.join(self.location.split()).lower()}"


def monitor_workspace_name(cluster: str) -> str:
    """The Azure Monitor workspace azwizard makes for a cluster's managed Prometheus metrics, in the cluster's own
    resource group (plan/aks_metrics.py says why not az's shared DefaultResourceGroup-<region>):
    ``<cluster>-prometheus``, cut like az's default name (acs/azuremonitormetrics/amw/defaults.py: 43 characters)
    and ending with a letter or digit (the workspace name rule ``^(?!-)[a-zA-Z0-9-]+[^-]$``)."""
    name = "".join(c for c in f"{cluster}-prometheus"[:43] if c.isalnum() or c == "-")
    return name.rstrip("-")


def monitor_workspace_id(subscription_id: str, resource_group: str, cluster: str) -> str:
    return (f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}/providers/Microsoft.Monitor/accounts/"
            f"{monitor_workspace_name(cluster)}")


def default_dns_prefix(name: str, resource_group: str, subscription_id: str) -> str:
    """The prefix ``az aks create`` derives: ``{name[:10]}-{rg[:16]}-{sub[:6]}`` without characters other
    than letters, digits and '-', starting with a letter (azure-cli acs/custom.py _get_default_dns_prefix)."""
    name_part = re.sub(r"[^A-Za-z0-9-]", "", name)[:10]
    if not name_part[:1].isalpha():
        name_part = ("a" + name_part)[:10]
    rg_part = re.sub(r"[^A-Za-z0-9-]", "", resource_group)[:16]
    return f"{name_part}-{rg_part}-{subscription_id[:6]}"


# --------------------------------------------------------------------------------------------------
# Presets.


def preset_dev_dual_stack(name: str = "aks-dev", location: str = "norwayeast") -> AksSpec:
    """A small dual-stack cluster for trying things: free tier, 3 × Standard_D2s_v5 (2 vCPU, 8 GiB, not
    burstable, offered in every zone of norwayeast), Azure CNI Overlay + Cilium (dataplane and policy),
    IPv4 + IPv6, AzureLinux nodes, managed OS disks (D2s_v5 has no local disk for an ephemeral one)."""
    return AksSpec(
        location=location, resource_group=f"{name}-RG", cluster_name=name, tier="free",
        system_pool=NodePoolSpec(vm_size="Standard_D2s_v5", count=3),
        network=AksNetworkSpec(),
    )


# The notes' "TODO First" for production: upgrades on the stable channel and node OS security patches (instead
# of unattended-upgrades), both inside a weekend window (Saturday 00:00 UTC, 8 h), Image Cleaner, no SSH
# to the nodes, managed Prometheus metrics.
WEEKEND_WINDOW = MaintenanceWindowSpec(schedule="Weekly", interval=1, day_of_week="Saturday", start_time="00:00",
                                       duration_hours=8)
PRODUCTION_OPERATIONS = OperationsSpec(
    upgrade_channel="stable", node_os_upgrade_channel="SecurityPatch", upgrade_window=WEEKEND_WINDOW,
    node_os_window=WEEKEND_WINDOW, image_cleaner=True, ssh_access="disabled", monitor_metrics=True,
)


def preset_prod_dual_stack(name: str = "aks-prod", location: str = "norwayeast") -> AksSpec:
    """A production-shaped dual-stack cluster: standard tier (uptime SLA), a system pool and a user pool of
    3 × Standard_D4ds_v5 each spread over zones 1-3, ephemeral OS disks (the D4ds_v5 temp disk, 150 GiB,
    holds the 128 GiB default), Azure CNI Overlay + Cilium, IPv4 + IPv6, and the production operations
    (``PRODUCTION_OPERATIONS``)."""
    zones = ("1", "2", "3")
    system = NodePoolSpec(name="system", vm_size="Standard_D4ds_v5", count=3, os_disk_type="Ephemeral", zones=zones)
    return AksSpec(
        location=location, resource_group=f"{name}-RG", cluster_name=name, tier="standard",
        system_pool=system,
        user_pools=(system.with_(name="apps", mode="User"),),
        network=AksNetworkSpec(),
        operations=PRODUCTION_OPERATIONS,
    )


def preset_ipv4(name: str = "aks-v4", location: str = "norwayeast") -> AksSpec:
    """The IPv4-only variant of the dev preset (Azure CNI Overlay + Cilium)."""
    return AksSpec(
        location=location, resource_group=f"{name}-RG", cluster_name=name, tier="free",
        system_pool=NodePoolSpec(vm_size="Standard_D2s_v5", count=3),
        network=AksNetworkSpec(ip_families=("IPv4",), pod_cidrs=(POD_CIDR_V4,), service_cidrs=(SERVICE_CIDR_V4,)),
    )


# --------------------------------------------------------------------------------------------------
# Reading an `az aks create` command line.

SEED_COMMAND = (
    "az aks create --resource-group=test_rg --name=test_aks --tier=standard --load-balancer-sku=standard "
    "--vm-set-type=VirtualMachineScaleSets -s Standard_B2als_v2 --node-count=3 --kubernetes-version=1.29 "
    "--network-plugin=azure --network-plugin-mode=overlay --network-dataplane=cilium --ip-families=ipv4,ipv6 "
    "--pod-cidrs=172.16.0.0/16,fdfb:4d1e:98bf::/48 --service-cidrs=10.0.0.0/16,fd92:d839:1c02::/108 "
    "--os-sku=AzureLinux --generate-ssh-keys --api-server-authorized-ip-ranges=a.b.c.d/e"
)

_ALIASES = {"-g": "--resource-group", "-n": "--name", "-s": "--node-vm-size", "-c": "--node-count",
            "-k": "--kubernetes-version", "-l": "--location", "-p": "--dns-name-prefix", "-u": "--admin-username",
            "-z": "--zones", "-m": "--max-pods", "-x": "--no-ssh-key", "-a": "--enable-addons"}
_SWITCHES = {"--generate-ssh-keys", "--no-ssh-key", "--enable-managed-identity", "--no-wait", "--yes"}
_LIST_OPTIONS = {"--zones", "--tags", "--nodepool-tags"}  # space-separated values


def _family(text: str) -> str:
    return {"ipv4": "IPv4", "ipv6": "IPv6"}.get(text.strip().lower(), text.strip())


def _split_csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def parse_az_aks_create(command: str) -> dict[str, list[str]]:
    """The options of an ``az aks create`` command line (``--opt=value``, ``--opt value`` and the short
    aliases), long names as keys; switches map to ``[]``. Unknown options are kept, not refused."""
    words = shlex.split(command.replace("\\\n", " "))
    if words[:3] != ["az", "aks", "create"]:
        raise ValueError("not an `az aks create` command")
    opts: dict[str, list[str]] = {}
    i = 3
    while i < len(words):
        word = words[i]
        if not word.startswith("-"):
            raise ValueError(f"unexpected argument {word!r}")
        name, eq, value = word.partition("=")
        name = _ALIASES.get(name, name)
        i += 1
        if eq:
            opts[name] = [value]
            continue
        if name in _SWITCHES:
            opts[name] = []
            continue
        values: list[str] = []
        while i < len(words) and not (words[i].startswith("--") or words[i] in _ALIASES):
            values.append(words[i])
            i += 1
            if name not in _LIST_OPTIONS:
                break
        opts[name] = values
    return opts


def spec_from_az_aks_create(command: str, *, location: str = "norwayeast") -> AksSpec:
    """An AksSpec with what an ``az aks create`` command asks for, and az's / AKS's defaults for the rest
    (``--generate-ssh-keys`` becomes "no SSH key": AKS needs none). With Cilium as the dataplane and no
    ``--network-policy``, AKS enables the Cilium policy engine, so the spec says ``cilium``."""
    o = parse_az_aks_create(command)

    def one(name: str, default: str = "") -> str:
        values = o.get(name)
        return values[0] if values else default

    rg = one("--resource-group", "aks-RG")
    name = one("--name", "aks")
    families = tuple(_family(f) for f in _split_csv(one("--ip-families", "ipv4")))
    plugin = one("--network-plugin", "azure")
    dataplane = one("--network-dataplane", "azure")
    policy = one("--network-policy", "cilium" if dataplane == "cilium" else "none")
    pods = _split_csv(one("--pod-cidrs")) or _split_csv(one("--pod-cidr"))
    services = _split_csv(one("--service-cidrs")) or _split_csv(one("--service-cidr"))
    network = AksNetworkSpec(
        plugin=plugin,  # type: ignore[arg-type]
        plugin_mode=one("--network-plugin-mode", "overlay" if "--network-plugin" not in o else ""),  # type: ignore[arg-type]
        dataplane=dataplane,  # type: ignore[arg-type]
        policy=policy,  # type: ignore[arg-type]
        ip_families=families,
        pod_cidrs=pods or ((POD_CIDR_V4,) if families == ("IPv4",) else ()),
        service_cidrs=services or (("10.0.0.0/16",) if families == ("IPv4",) else ()),
        dns_service_ip=one("--dns-service-ip"),
        outbound_type=one("--outbound-type", "loadBalancer"),  # type: ignore[arg-type]
        load_balancer_sku=one("--load-balancer-sku", "standard").lower(),  # type: ignore[arg-type]
    )
    if families == ("IPv4", "IPv6") and not (pods and services):
        # AKS's documented dual-stack defaults when none are given (configure-dual-stack.md).
        network = network.with_(pod_cidrs=pods or (POD_CIDR_V4, "fd12:3456:789a::/64"),
                                service_cidrs=services or ("10.0.0.0/16", "fd12:3456:789a:1::/108"))
    disk_size = one("--node-osdisk-size")
    max_pods = one("--max-pods")
    pool = NodePoolSpec(
        name=one("--nodepool-name", "nodepool1"),
        vm_size=one("--node-vm-size", "Standard_D2s_v5"),
        count=int(one("--node-count", "3")),
        os_sku=one("--os-sku", "Ubuntu"),
        os_disk_type=one("--node-osdisk-type", "Managed"),  # type: ignore[arg-type]
        os_disk_size_gb=int(disk_size) if disk_size else None,
        zones=tuple(o.get("--zones", [])),
        max_pods=int(max_pods) if max_pods else None,
    )
    ranges = _split_csv(one("--api-server-authorized-ip-ranges"))
    acr = AcrSpec()
    attach = one("--attach-acr")
    if attach:
        acr = AcrSpec("attach", existing_id=attach) if attach.startswith("/") else AcrSpec("attach", name=attach)
    tags = tuple(tuple(t.split("=", 1)) if "=" in t else (t, "") for t in o.get("--tags", []))
    return AksSpec(
        location=one("--location", location), resource_group=rg, cluster_name=name,
        dns_prefix=one("--dns-name-prefix"), tier=one("--tier", "free").lower(),  # type: ignore[arg-type]
        support_plan=one("--k8s-support-plan", "KubernetesOfficial"),  # type: ignore[arg-type]
        kubernetes_version=one("--kubernetes-version"),
        vm_set_type=one("--vm-set-type", "VirtualMachineScaleSets"),  # type: ignore[arg-type]
        system_pool=pool, network=network, authorized_ip_ranges=ranges, acr=acr,
        admin_username=one("--admin-username", "azureuser"),
        extra_tags=tuple((k, v) for k, v in tags),
    )


def spec_from_seed_command() -> AksSpec:
    """The notes' ``az aks create`` command as a spec (what the acceptance tests check)."""
    return spec_from_az_aks_create(SEED_COMMAND)
