"""Pre-flight rules for the AKS journey: what the AKS resource provider would reject (block), what works but
surprises (warn), and what the notes explain (info), checked before anything is created.

Each rule names its entry in the pre-flight rule catalogue (``catalogue``: B9/B10 rules 49-70, plus the naming,
size and quota rules that apply to AKS) and the public page behind it (``source``). Where the sources
disagree the rule warns and a comment says why. The simulator's AKS provider
(``azwizard/sim/providers/containerservice*.py``) rejects the same things with Azure's codes; the block
rules here are at least as strict, so a spec with no block finding is one the API accepts
(``tests/test_rules_aks_agreement.py`` sends each violation to it and asserts the code).

Rules are pure: they read the spec and :class:`AksFacts` (plain data fetched beforehand) and never call
Azure. Field names are the spec's dotted paths (``network.pod_cidrs``, ``system_pool.vm_size``,
``user_pools.0.count``...), so the UI can jump to the field a finding points at.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..facts import K8sVersion, RegionFacts, SubscriptionFacts, VmSize, version_key
from ..fields import AKS_FIELDS
from ..locks import SRC_LOCKS
from ..specs.aks import MANAGED_VNET_CIDR, MIN_WINDOW_HOURS, AksSpec, MaintenanceWindowSpec, NodePoolSpec
from ..specs.common import azwizard_tags
from ..sshkeys import is_private_key
from . import common
from .model import Finding, Issue, RuleBook, run_rules

__all__ = ["AKS_RULES", "AksFacts", "check_aks"]


@dataclass(frozen=True)
class AksFacts:
    """What the AKS rules know about the live subscription (``None`` = could not be read / not asked).

    ``my_public_ipv4``/``my_public_ipv6``: the caller's egress addresses ("add my IP");
    ``acr_name_available``: ``registries.check_name_availability`` for a registry to create;
    ``acr_exists``: whether the registry to attach exists (a GET of its id);
    ``can_assign_roles``: whether the caller holds ``Microsoft.Authorization/roleAssignments/write`` on the
    registry's scope (``permissions.list_for_resource_group``/``list_for_resource``).
    """

    subscription: SubscriptionFacts | None
    region: RegionFacts | None
    my_public_ipv4: str | None = None
    my_public_ipv6: str | None = None
    acr_name_available: bool | None = None
    acr_exists: bool | None = None
    can_assign_roles: bool | None = None


AKS_RULES: RuleBook[AksSpec, AksFacts] = RuleBook("aks")
rule = AKS_RULES.rule
Issues = Iterator[Issue | str]

# --------------------------------------------------------------------------------------------------
# Sources (full URLs).

LEARN = "https://learn.microsoft.com/azure"
AKS = f"{LEARN}/aks"
SRC_PROVIDERS = f"{LEARN}/azure-resource-manager/troubleshooting/error-register-resource-provider"
SRC_LOCATIONS = "https://learn.microsoft.com/rest/api/resources/subscriptions/list-locations"
SRC_ZONES = f"{AKS}/availability-zones"
SRC_NAMES = f"{LEARN}/azure-resource-manager/management/resource-name-rules"
SRC_GROUPS = f"{LEARN}/azure-resource-manager/management/manage-resource-groups-portal"
SRC_NODE_RG = "https://github.com/rancher/rancher/issues/21264"
SRC_DNS_PREFIX = "https://github.com/MicrosoftDocs/azure-docs/issues/47952"
SRC_POOL_NAMES = f"{AKS}/create-node-pools#limitations"
SRC_SKU = f"{LEARN}/azure-resource-manager/troubleshooting/error-sku-not-available"
SRC_QUOTAS = f"{AKS}/quotas-skus-regions"
SRC_EPHEMERAL = f"{AKS}/concepts-storage#ephemeral-os-disk"
SRC_VERSIONS = f"{AKS}/supported-kubernetes-versions"
SRC_LTS = f"{AKS}/long-term-support"
SRC_DUAL_STACK = f"{AKS}/configure-dual-stack"
SRC_OVERLAY = f"{AKS}/azure-cni-overlay"
SRC_CILIUM = f"{AKS}/azure-cni-powered-by-cilium"
SRC_SERVICE_OVERLAP = ("https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/error-codes/"
                       "servicecidroverlapexistingsubnetscidr-error")
SRC_RESERVED = "https://github.com/Azure/AKS/issues/2234"
SRC_NETWORK_PROFILE = "https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update#containerservicenetworkprofile"
SRC_NAT = f"{AKS}/nat-gateway"
SRC_KUBENET = f"{AKS}/configure-kubenet"
SRC_BASIC_LB = f"{AKS}/load-balancer-standard"
SRC_SYSTEM_POOLS = f"{AKS}/use-system-pools"
QUICKSTART = f"{AKS}/learn/quick-kubernetes-deploy-cli"  # az aks create ... --node-count 1
SRC_TIERS = f"{AKS}/free-standard-pricing-tiers"
SRC_AUTH_RANGES = f"{AKS}/api-server-authorized-ip-ranges"
SRC_MY_IP = "https://github.com/Azure/AKS/issues/5526"
SRC_AZURE_LINUX = f"{AKS}/use-azure-linux"
SRC_ACR = f"{AKS}/cluster-container-registry-integration"
SRC_ACR_OWNER = "https://github.com/Azure/azure-cli/issues/18528"
SRC_WINDOWS = f"{AKS}/windows-faq"
SRC_SSH_KEYS = f"{AKS}/node-access"
SRC_PRIVATE = f"{AKS}/private-clusters"
SRC_PRIVATE_ACCESS = f"{AKS}/access-private-cluster"
SRC_PLANNED_MAINTENANCE = f"{AKS}/planned-maintenance"
SRC_MAINTENANCE_API = "https://learn.microsoft.com/rest/api/aks/maintenance-configurations/create-or-update#maintenancewindow"
SRC_NODE_OS_UPGRADE = f"{AKS}/auto-upgrade-node-os-image"
SRC_AUTO_UPGRADE = f"{AKS}/auto-upgrade-cluster"
SRC_IMAGE_CLEANER = f"{AKS}/image-cleaner"
SRC_APP_ROUTING_PRIVATE = f"{AKS}/create-nginx-ingress-private-controller"
SRC_SSH_ACCESS = f"{AKS}/manage-ssh-node-access"
SRC_PROMETHEUS = "https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable"
SRC_OUTBOUND_IPS = "https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update#managedoutboundips"

QUOTA_LINK = "https://aka.ms/ProdportalCRP"

# --------------------------------------------------------------------------------------------------
# Helpers.

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _loc(spec: AksSpec) -> str:
    return "".join(spec.location.split()).lower()


def _region_facts(spec: AksSpec, facts: AksFacts) -> RegionFacts | None:
    return common.region_facts_for(spec.location, facts.region)


def _region_zones(spec: AksSpec, facts: AksFacts) -> tuple[str, ...] | None:
    return common.region_zones_for(spec.location, facts.subscription, facts.region)


def _pool_field(i: int, attr: str) -> str:
    return f"system_pool.{attr}" if i == 0 else f"user_pools.{i - 1}.{attr}"


def _pools(spec: AksSpec) -> list[tuple[int, NodePoolSpec]]:
    return list(enumerate(spec.pools))


def _what(i: int, pool: NodePoolSpec) -> str:
    return f"the system pool '{pool.name}'" if i == 0 else f"the user pool '{pool.name}'"


def _net(text: str) -> Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _nets(cidrs: tuple[str, ...]) -> list[Network]:
    return [n for n in (_net(c) for c in cidrs) if n is not None]


def _subscription_id(facts: AksFacts) -> str:
    # Only the first six characters matter (the derived DNS prefix); unknown gives the same length.
    return facts.subscription.subscription_id if facts.subscription is not None else "000000"


def _version(spec: AksSpec, facts: AksFacts) -> K8sVersion | None:
    rf = _region_facts(spec, facts)
    if rf is None:
        return None
    if not spec.kubernetes_version.strip():
        return rf.default_kubernetes_version
    return rf.kubernetes_version(spec.kubernetes_version)


def _effective_version(spec: AksSpec, facts: AksFacts) -> str:
    """The requested version, else the region's default minor, else "" (unknown)."""
    if spec.kubernetes_version.strip():
        return spec.kubernetes_version.strip().lstrip("v")
    v = _version(spec, facts)
    return v.version if v is not None else ""


# --------------------------------------------------------------------------------------------------
# B1. Subscription and region. These read only the subscription facts (and skip when they are missing), so
# they also run when the region facts are for another region, or for none (an unknown region).


@rule("aks-providers-registered", "block", "Resource providers registered", source=SRC_PROVIDERS, fields=("",),
      catalogue="B1 #1")
def providers_registered(spec: AksSpec, facts: AksFacts) -> Issues:
    needed = ["Microsoft.ContainerService", "Microsoft.Compute", "Microsoft.Network"]
    if spec.acr.enabled:
        needed.append("Microsoft.ContainerRegistry")
    yield from common.provider_issues(facts.subscription, needed)


@rule("aks-region-known", "block", "Region offered to the subscription", source=SRC_LOCATIONS,
      fields=("location",), catalogue="B1")
def region_known(spec: AksSpec, facts: AksFacts) -> Issues:
    sub = facts.subscription
    if sub is None or sub.region(spec.location) is not None:
        return
    yield (f"The region '{spec.location}' is not offered to this subscription, so the cluster would be refused "
           "(LocationNotAvailableForResourceType). Pick a region from the list.")


@rule("aks-region-early-access", "warn", "Early-access (canary) regions", source=common.SRC_REGION_ACCESS,
      fields=("location",), catalogue="B1")
def region_early_access(spec: AksSpec, facts: AksFacts) -> Issues:
    yield from common.early_access_issues(spec.location, facts.subscription)


@rule("aks-region-access", "block", "Region usable by the subscription", source=common.SRC_REGION_ACCESS,
      fields=("location",), catalogue="B1")
def region_access(spec: AksSpec, facts: AksFacts) -> Issues:
    yield from common.region_access_issues(spec.location, facts.subscription)


@rule("aks-group-locks", "block", "No lock refuses the create", source=SRC_LOCKS,
      fields=("resource_group",), catalogue="B2")
def group_locks(spec: AksSpec, facts: AksFacts) -> Issues:
    yield from common.lock_issues(facts.subscription, spec.resource_group, "the cluster")


@rule("aks-region-zones", "block", "Zones only where the region has them", source=SRC_ZONES,
      fields=("system_pool.zones",), catalogue="B1 #3")
def region_zones(spec: AksSpec, facts: AksFacts) -> Issues:
    zones = _region_zones(spec, facts)
    if zones is None:
        return
    for i, pool in _pools(spec):
        wrong = [z for z in pool.zones if z not in zones]
        if not wrong:
            continue
        offered = ", ".join(zones) if zones else "none"
        # Server: AvailabilityZoneNotSupported "The zone(s) '4' for resource 'nodepool1' is not supported.
        # The supported zones for location 'norwaywest' are ''" (SupportArticles-docs
        # availabilityzonenotsupported-error.md).
        yield Issue(f"{_what(i, pool).capitalize()} asks for zone(s) {', '.join(wrong)}, but {_loc(spec)} has "
                    f"availability zones: {offered}; AKS would answer AvailabilityZoneNotSupported. "
                    + ("Choose no zones." if not zones else f"Use zones from {offered}, or none."),
                    _pool_field(i, "zones"))


# --------------------------------------------------------------------------------------------------
# B2. Names.

# resource-name-rules.md (Microsoft.ContainerService/managedClusters) and the AKS RP's own message:
# "must contain between 1 and 63 characters, only letters, numbers, underscores and hyphens, and must
# start and end with a letter or a number".
_CLUSTER_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$")
_DNS_PREFIX = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,52}[A-Za-z0-9])?$")
_POOL_NAME = re.compile(r"^[a-z][a-z0-9]*$")
_ACR_NAME = re.compile(r"^[A-Za-z0-9]{5,50}$")
_ACR_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.ContainerRegistry/"
                     r"registries/[A-Za-z0-9]{5,50}$", re.IGNORECASE)


@rule("aks-name-resource-group", "block", "Resource group name", source=f"{SRC_NAMES}#microsoftresources",
      fields=("resource_group",), catalogue="B2 #5")
def name_resource_group(spec: AksSpec, facts: AksFacts) -> Issues:
    yield from common.resource_group_name_issues(spec.resource_group)


@rule("aks-tags", "block", "Tags", source=common.SRC_TAGS, fields=("extra_tags",), catalogue="B2")
def tag_limits(spec: AksSpec, facts: AksFacts) -> Issues:
    yield from common.tag_issues(spec.extra_tags, own=len(azwizard_tags("", "", "")))


@rule("aks-resource-group-exists", "warn", "Resource group reuse", source=SRC_GROUPS, fields=("resource_group",),
      catalogue="B2 #5")
def resource_group_exists(spec: AksSpec, facts: AksFacts) -> Issues:
    yield from common.resource_group_reuse_issues(facts.subscription, spec.resource_group, spec.location,
                                                  use_existing=spec.use_existing_group, what="the cluster")


@rule("aks-name-cluster", "block", "Cluster name", source=f"{SRC_NAMES}#microsoftcontainerservice",
      fields=("cluster_name",), catalogue="B2 #9")
def name_cluster(spec: AksSpec, facts: AksFacts) -> Issues:
    name = spec.cluster_name
    if not _CLUSTER_NAME.match(name):
        yield (f"The cluster name '{name}' is not allowed: 1-63 letters, digits, '_' and '-', starting and ending "
               "with a letter or digit (InvalidParameter).")


@rule("aks-node-resource-group", "block", "Node resource group name length", source=SRC_NODE_RG,
      fields=("cluster_name",), catalogue="B2 #10")
def node_resource_group(spec: AksSpec, facts: AksFacts) -> Issues:
    mc = spec.node_resource_group
    if len(mc) > 80:
        # Verbatim server message: "The length of the node resource group name is too long. The maximum
        # length is 80 and the length of the value provided is N."
        yield (f"AKS puts the nodes in a second resource group named '{mc}', which is {len(mc)} characters long; "
               "Azure allows at most 80 (InvalidParameter: \"The length of the node resource group name is too "
               f"long\"). Shorten the cluster or resource group name by {len(mc) - 80} characters.")


@rule("aks-dns-prefix", "block", "DNS prefix", source=SRC_DNS_PREFIX, fields=("dns_prefix",), catalogue="B2 #11")
def dns_prefix(spec: AksSpec, facts: AksFacts) -> Issues:
    prefix = spec.resolved_dns_prefix(_subscription_id(facts))
    derived = "" if spec.dns_prefix else " (derived from the cluster and group names, as az does)"
    if not 1 <= len(prefix) <= 54:
        yield (f"The DNS prefix '{prefix}'{derived} is {len(prefix)} characters long; AKS allows 1-54 "
               "(InvalidParameter). Set a shorter one.")
    elif not _DNS_PREFIX.match(prefix):
        yield (f"The DNS prefix '{prefix}'{derived} is not allowed: letters, digits and '-' only, starting and "
               "ending with a letter or digit (InvalidParameter).")


@rule("aks-name-node-pools", "block", "Node pool names", source=SRC_POOL_NAMES, fields=("system_pool.name",),
      catalogue="B2 #12")
def name_node_pools(spec: AksSpec, facts: AksFacts) -> Issues:
    seen: set[str] = set()
    for i, pool in _pools(spec):
        # Linux 1-12, Windows 1-6 (create-node-pools.md; docs once said 11: MicrosoftDocs/azure-docs#114891,
        # the RP and terraform's ^[a-z]{1}[a-z0-9]{0,11}$ allow 12).
        limit = 6 if pool.os_type == "Windows" else 12
        fld = _pool_field(i, "name")
        if not _POOL_NAME.match(pool.name) or len(pool.name) > limit:
            yield Issue(f"The node pool name '{pool.name}' is not allowed: lower-case letters and digits, starting "
                        f"with a letter, at most {limit} characters for a {pool.os_type} pool (InvalidParameter: "
                        "\"The value of parameter agentPoolProfile.name is invalid\").", fld)
        elif pool.name in seen:
            yield Issue(f"Two node pools are named '{pool.name}'; each pool needs its own name (InvalidParameter).",
                        fld)
        seen.add(pool.name)


@rule("aks-name-acr", "block", "Container registry name", source=f"{SRC_NAMES}#microsoftcontainerregistry",
      fields=("acr.name",), catalogue="B2 #13")
def name_acr(spec: AksSpec, facts: AksFacts) -> Issues:
    acr = spec.acr
    if acr.mode == "create":
        if not _ACR_NAME.match(acr.name):
            yield (f"The registry name '{acr.name}' is not allowed: 5-50 letters and digits only, no '-' "
                   "(ResourceNameInvalid). It becomes <name>.azurecr.io.")
        elif facts.acr_name_available is False:
            yield (f"The registry name '{acr.name}' is already taken: registry names are global across Azure "
                   f"({acr.name.lower()}.azurecr.io). Pick another name (AlreadyInUse).")
    elif acr.mode == "attach" and not _ACR_ID.match(acr.existing_id):
        yield Issue(f"'{acr.existing_id or acr.name}' is not a registry resource id. Paste the id shown by "
                    "`az acr show -n <name> --query id -o tsv` (/subscriptions/.../resourceGroups/.../providers/"
                    "Microsoft.ContainerRegistry/registries/<name>).", "acr.existing_id")


# --------------------------------------------------------------------------------------------------
# B3. Sizes, zones, quota; B7 ephemeral OS disks.


@rule("aks-size-available", "block", "Node size offered in the region", source=SRC_SKU,
      fields=("system_pool.vm_size",), needs_facts=True, catalogue="B3 #16")
def size_available(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    for i, pool in _pools(spec):
        size = rf.size(pool.vm_size)
        fld = _pool_field(i, "vm_size")
        if size is None:
            yield Issue(f"{pool.vm_size} ({_what(i, pool)}) is not offered in {rf.region.name}; AKS would answer "
                        "InvalidParameter (\"The requested VM size ... is not available in the current region\"). "
                        "Pick a size from the list.", fld)
        elif size.location_restricted:
            yield Issue(f"{size.name} ({_what(i, pool)}) is not available to this subscription in {rf.region.name} "
                        f"({size.restriction_reason or 'restricted'}); AKS would answer \"The VM size of "
                        f"AgentPoolProfile:{pool.name} is not allowed in your subscription\". Pick another size.",
                        fld)


@rule("aks-size-zones", "block", "Node size usable in the pool's zones", source=SRC_SKU,
      fields=("system_pool.zones",), needs_facts=True, catalogue="B3 #17")
def size_zones(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    for i, pool in _pools(spec):
        size = rf.size(pool.vm_size)
        zones = [z for z in pool.zones if z in rf.region.zones]  # zones the region lacks: aks-region-zones
        if size is None or size.location_restricted or not zones or size.usable_in(zones):
            continue
        blocked = [z for z in zones if z not in size.usable_zones]
        usable = ", ".join(size.usable_zones) or "none"
        yield Issue(f"{size.name} can't be placed in zone(s) {', '.join(blocked)} of {rf.region.name} for "
                    f"{_what(i, pool)}; Azure would answer SkuNotAvailable (\"... zones '{','.join(pool.zones)}'\"). "
                    f"Usable zones: {usable}. Drop those zones or pick another size.", _pool_field(i, "zones"))


@rule("aks-quota-vcpus", "block", "vCPU quota for all node pools", source=SRC_QUOTAS,
      fields=("system_pool.count",), needs_facts=True, catalogue="B3 #18, #19")
def quota_vcpus(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    need: dict[str, int] = {}
    for _, pool in _pools(spec):
        size = rf.size(pool.vm_size)
        if size is None or size.location_restricted:
            continue
        n = size.vcpus * pool.count
        need["cores"] = need.get("cores", 0) + n
        if size.family:
            need[size.family] = need.get(size.family, 0) + n
    # Every family used and the regional total must all have room (node count x vCPUs, summed over pools);
    # nodes of stopped clusters still count.
    for usage_name in sorted((k for k in need if k != "cores"), key=str.lower) + ["cores"]:
        u = rf.compute_usage(usage_name)
        extra = need.get(usage_name, 0)
        if u is None or extra == 0 or u.current + extra <= u.limit:
            continue
        if u.limit == 0:
            yield (f"The {u.localized_name} quota in {rf.region.name} is 0: Azure gives this family no quota by "
                   f"default, so the {extra} vCPUs the nodes need would be refused (QuotaExceeded). Request a quota "
                   f"increase at {QUOTA_LINK} or pick another size.")
            continue
        yield (f"The node pools need {extra} vCPUs of {u.localized_name}, but only {u.available} of {u.limit} are "
               f"free in {rf.region.name}; AKS would answer QuotaExceeded (\"Current Limit: {u.limit}, Current "
               f"Usage: {u.current}, Additional Required: {extra}\"). Use fewer or smaller nodes, or request a quota "
               f"increase at {QUOTA_LINK}.")


def ephemeral_capacity(size: VmSize) -> int:
    """Bytes an ephemeral OS disk can use: the cache, else the temp (resource) disk, whichever is larger
    (AKS places it on either; AKS-Construction: eph = max(CachedDiskBytes, MaxResourceVolumeMB)). NVMe
    placement is not counted: the AKS RP's error quotes only the cache/temp size."""
    placements = {p.lower() for p in size.ephemeral_placements}
    cache = size.cached_disk_bytes if not placements or "cachedisk" in placements else 0
    temp = size.resource_disk_mb * 1024 * 1024 if not placements or "resourcedisk" in placements else 0
    return max(cache, temp)


@rule("aks-ephemeral-os", "block", "Ephemeral OS disk fits the node size", source=SRC_EPHEMERAL,
      fields=("system_pool.os_disk_type",), needs_facts=True, catalogue="B7 #42, #43")
def ephemeral_os(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    for i, pool in _pools(spec):
        size = rf.size(pool.vm_size)
        if pool.os_disk_type != "Ephemeral" or size is None:
            continue
        fld = _pool_field(i, "os_disk_type")
        if not size.ephemeral_os_supported:
            # Verbatim: "(VMSizeDoesNotSupportEphemeralOS) The Virtual Machine size Standard_NC6 does not support
            # Ephemeral OS disk." (Azure/AKS#2694)
            yield Issue(f"{size.name} has no local disk for an ephemeral OS disk ({_what(i, pool)}); AKS would "
                        "answer VMSizeDoesNotSupportEphemeralOS. Choose a managed OS disk, or a size with a "
                        "local disk ('d' in the name, e.g. Standard_D4ds_v5).", fld)
            continue
        capacity = ephemeral_capacity(size)
        need = pool.os_disk_gb * 1024 ** 3
        if capacity < need:
            fits = capacity // 1024 ** 3
            yield Issue(f"{size.name} can hold an ephemeral OS disk of at most {fits} GiB, but {_what(i, pool)} "
                        f"asks for {pool.os_disk_gb} GiB{' (the default)' if pool.os_disk_size_gb is None else ''}; "
                        f"AKS would answer VMCacheSizeTooSmall (\"has a cache size of {capacity} bytes, but the OS "
                        f"disk requires {need} bytes\"). Set the OS disk size to {fits} GiB or less (at least 30), "
                        "pick a size with a larger local disk, or use a managed OS disk.", fld)


@rule("aks-os-disk-info", "info", "Ephemeral OS disk possible", source=SRC_EPHEMERAL,
      fields=("system_pool.os_disk_type",), needs_facts=True, catalogue="B7 #44")
def os_disk_info(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    for i, pool in _pools(spec):
        size = rf.size(pool.vm_size)
        if pool.os_disk_type != "Managed" or size is None or not size.ephemeral_os_supported:
            continue
        if ephemeral_capacity(size) >= pool.os_disk_gb * 1024 ** 3:
            yield Issue(f"{size.name} can keep the OS disk on its local disk ({_what(i, pool)}): an ephemeral OS "
                        "disk is faster, costs nothing, and is what AKS picks by default. The OS disk type can't be "
                        "changed after the pool is created.", _pool_field(i, "os_disk_type"))


# --------------------------------------------------------------------------------------------------
# Choices: every field with a fixed set of values holds one of them. The wizard and profiles only offer these
# values, but an az command (check, --from-az) can carry any text where az does not check it (az passes
# --network-policy to the service with only a lower-case check: acs/_validators.py validate_network_policy), and
# the API refuses a value outside its enums (ContainerServiceNetworkProfile networkPlugin / networkPolicy /
# networkDataplane / networkPluginMode / outboundType / loadBalancerSku, ManagedClusterSKU tier,
# KubernetesSupportPlan, AgentPoolType, AgentPoolMode, OSType, OSSKU, OSDiskType). The values listed are the ones
# azwizard offers (docs/profiles.md), a subset of the API's.

SRC_API = "https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update"
_CLUSTER_CHOICES: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (path, what, AKS_FIELDS.spec(path).values) for path, what in (
        ("tier", "pricing tier"), ("support_plan", "support plan"), ("vm_set_type", "node pool type"),
        ("network.plugin", "network plugin"), ("network.plugin_mode", "network plugin mode"),
        ("network.dataplane", "network dataplane"), ("network.policy", "network policy"),
        ("network.outbound_type", "outbound type"), ("network.load_balancer_sku", "load balancer SKU")))
_POOL_CHOICES: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (attr, what, AKS_FIELDS.key(f"user_pools[].{attr}").values) for attr, what in (
        ("mode", "mode"), ("os_type", "OS type"), ("os_sku", "OS SKU"), ("os_disk_type", "OS disk type")))


def _choice_issue(value: str, what: str, choices: tuple[str, ...], fld: str) -> Issue:
    listed = ", ".join(c or '"" (none)' for c in choices)
    close = next((c for c in choices if c.lower() == value.lower()), None)
    hint = f" (did you mean {close}?)" if close is not None else ""
    return Issue(f"'{value}' is not a {what} AKS offers here{hint}: use one of {listed} (AKS would answer "
                 "InvalidParameter).", fld)


@rule("aks-choices", "block", "Values from the fixed choices", source=SRC_API, fields=("network.policy",),
      catalogue="B9 #50-#62, B10 #63-#69")
def choices(spec: AksSpec, facts: AksFacts) -> Issues:
    for fld, what, allowed in _CLUSTER_CHOICES:
        node: object = spec
        for part in fld.split("."):
            node = getattr(node, part)
        if node not in allowed:
            yield _choice_issue(str(node), what, allowed, fld)
    for i, pool in _pools(spec):
        for attr, what, allowed in _POOL_CHOICES:
            value = str(getattr(pool, attr))
            if value not in allowed:
                yield _choice_issue(value, f"node pool {what}", allowed, _pool_field(i, attr))


# --------------------------------------------------------------------------------------------------
# B9. Cluster and networking.


@rule("aks-k8s-version", "block", "Kubernetes version offered in the region", source=SRC_VERSIONS,
      fields=("kubernetes_version",), needs_facts=True, catalogue="B9 #49")
def k8s_version(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None or not rf.kubernetes_versions:
        return
    requested = spec.kubernetes_version.strip()
    v = _version(spec, facts)
    offered = ", ".join(k.version for k in rf.kubernetes_versions if not k.lts_only and not k.is_preview)
    if v is None:
        if not requested:
            return
        # K8sVersionNotSupported: "Managed cluster X is on version 1.29 which is not supported in this region.
        # Please use [az aks get-versions] ..." (https://github.com/pulumi/pulumi-azure-native/pull/3550 and https://github.com/Azure/Microsoft-Defender-for-Cloud/issues/923).
        yield (f"Kubernetes {requested} is not offered in {rf.region.name}; AKS would answer K8sVersionNotSupported. "
               f"Pick one of {offered} (or leave it empty for the default, "
               f"{(rf.default_kubernetes_version or rf.kubernetes_versions[-1]).version}).")
        return
    if v.lts_only and not (spec.tier == "premium" and spec.support_plan == "AKSLongTermSupport"):
        yield (f"Kubernetes {v.version} is only available with long-term support (LTS) in {rf.region.name}: it "
               "needs the Premium tier and the AKSLongTermSupport plan, otherwise AKS answers "
               f"K8sVersionNotSupported. Choose Premium + LTS, or a community-supported version ({offered}).")
    elif v.is_preview:
        yield Issue(f"Kubernetes {v.version} is a preview version in {rf.region.name}: not supported for production "
                    "and it may change. Prefer the default version for a cluster you keep.", severity="warn")


@rule("aks-support-plan", "block", "Long-term support needs the Premium tier", source=SRC_LTS,
      fields=("support_plan",), catalogue="B9 #49, B10 #66")
def support_plan(spec: AksSpec, facts: AksFacts) -> Issues:
    if spec.support_plan == "AKSLongTermSupport" and spec.tier != "premium":
        # long-term-support.md: "LTS is available in the Premium tier"; az aks create refuses
        # --k8s-support-plan AKSLongTermSupport without --tier premium.
        yield (f"The AKSLongTermSupport plan is only sold with the Premium tier (this spec: {spec.tier}). Choose "
               "the Premium tier or the KubernetesOfficial plan.")


@rule("aks-ip-families", "block", "IP families and CIDR lists", source=SRC_DUAL_STACK,
      fields=("network.ip_families",), catalogue="B9 #50")
def ip_families(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    fams = [f.lower() for f in net.ip_families]
    if fams not in (["ipv4"], ["ipv4", "ipv6"]):
        detail = ("IPv6-only clusters are not supported" if fams == ["ipv6"] else
                  "IPv4 must come first" if sorted(fams) == ["ipv4", "ipv6"] else f"{list(net.ip_families)} is unknown")
        yield (f"IP families must be IPv4, or IPv4 + IPv6 ({detail}); AKS would answer InvalidNetworkingConfig.")
        return
    want = [4, 6][: len(fams)]
    lists = [("service_cidrs", "service CIDRs", net.service_cidrs)]
    if net.uses_pod_cidrs:
        lists.insert(0, ("pod_cidrs", "pod CIDRs", net.pod_cidrs))
    elif net.pod_cidrs:
        # Traditional Azure CNI gives pods addresses from the node subnet (the RP refuses a pod CIDR then,
        # InvalidParameter); the plan leaves them out, so this is only a warning that they are unused.
        yield Issue(f"Pod CIDRs are only used with Azure CNI Overlay or kubenet; with network plugin "
                    f"'{net.plugin}'{' (no overlay)' if net.plugin == 'azure' else ''} pods get their addresses "
                    f"elsewhere, so {', '.join(net.pod_cidrs)} will not be sent. Choose overlay to use them.",
                    "network.pod_cidrs", "warn")
    for fld, what, cidrs in lists:
        bad = [c for c in cidrs if _net(c) is None]
        if bad:
            yield Issue(f"'{bad[0]}' in the {what} is not a CIDR prefix like 10.244.0.0/16 or fd12:3456:789a::/64 "
                        "(InvalidParameter).", f"network.{fld}")
            continue
        versions = [n.version for n in _nets(cidrs)]
        if versions != want:
            yield Issue(f"The {what} must be one IPv4 prefix{' then one IPv6 prefix' if len(want) == 2 else ''}, in "
                        f"the order of the IP families ({', '.join(net.ip_families)}), but they are "
                        f"{', '.join(cidrs) or 'empty'}; AKS would answer InvalidNetworkingConfig.", f"network.{fld}")


@rule("aks-dual-stack-plugin", "block", "Dual-stack needs Azure CNI Overlay or kubenet", source=SRC_DUAL_STACK,
      fields=("network.plugin",), catalogue="B9 #51")
def dual_stack_plugin(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    if net.dual_stack and net.plugin == "azure" and not net.overlay:
        yield ("Dual-stack (IPv4 + IPv6) clusters need Azure CNI Overlay (or the retiring kubenet); traditional "
               "Azure CNI is IPv4-only, so AKS would answer UnsupportedDualStackNetworkPlugin. Choose overlay mode.")
    elif net.dual_stack and net.plugin == "none":
        yield Issue("With no network plugin (bring your own CNI) AKS does not set up IPv6 for pods; your CNI must "
                    "handle dual-stack itself.", severity="warn")


@rule("aks-network-policy", "block", "Network policy engine", source=SRC_OVERLAY, fields=("network.policy",),
      catalogue="B9 #52")
def network_policy(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    if net.dual_stack and net.policy in ("azure", "calico"):
        # azure-cni-overlay.md, "Dual-stack networking limitations"; code from https://github.com/HON95/wiki/blob/main/cloud/azure.md and the AKS RP's Go apierror code list.
        name = {"azure": "Azure Network Policy Manager", "calico": "Calico"}[net.policy]
        yield (f"The {name} network policy engine ({net.policy}) can't do IPv4 + IPv6: AKS would refuse the cluster "
               f"with UnsupportedDualStackNetworkPolicy \"Network policy {net.policy} is not supported for dual-stack "
               "clusters.\" Pick the network model Azure CNI Overlay + Cilium (its policy is cilium) to keep "
               "policies with IPv4 + IPv6, or the policy none, or IPv4 only.")
    elif net.policy == "azure" and net.plugin != "azure":
        yield (f"Azure Network Policy Manager needs the Azure CNI plugin, not {net.plugin}. Choose Azure CNI, or "
               "the Calico policy engine.")
    elif net.plugin == "none" and net.policy != "none":
        yield ("With no network plugin (bring your own CNI), AKS installs no network policy engine; set the policy "
               "to none and install one with your CNI.")


@rule("aks-cilium", "block", "Azure CNI powered by Cilium", source=SRC_CILIUM, fields=("network.dataplane",),
      catalogue="B9 #52, #53")
def cilium(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    if net.dataplane == "cilium":
        if net.plugin != "azure":
            yield Issue(f"The Cilium dataplane needs the Azure CNI plugin (Azure CNI powered by Cilium), not "
                        f"{net.plugin}; AKS would refuse it (InvalidParameter).", "network.plugin")
        if net.policy != "cilium":
            # Verbatim: BadRequest "Cilium dataplane requires network policy cilium." (subcode
            # CiliumDataplaneRequiresNetworkPolicyCilium; Azure/bicep-registry-modules#3361). AKS-Construction
            # also says Cilium "is incompatible with Azure NPM and Calico". The catalogue's "or none": a request
            # without networkPolicy is read as cilium, an explicit "none" is refused.
            yield Issue(f"The Cilium dataplane enforces network policies itself: the policy must be cilium, not "
                        f"{net.policy} (\"Cilium dataplane requires network policy cilium.\").", "network.policy")
        version = _effective_version(spec, facts)
        if net.dual_stack and version and version_key(version) < (1, 29):  # 1.29.x is not before (1, 29)
            # https://github.com/HON95/wiki/blob/main/cloud/azure.md: "(UnsupportedDualStackNetworkPolicy) Network policy cilium is not supported for
            # dual-stack clusters." on 1.28-era clusters; Cilium dual-stack went GA for 1.29+.
            yield Issue(f"Dual-stack with Cilium needs Kubernetes 1.29 or later (this spec: {version}); AKS would "
                        "answer UnsupportedDualStackNetworkPolicy \"Network policy cilium is not supported for "
                        "dual-stack clusters.\" Pick Kubernetes 1.29 or later, or IPv4 only.", "kubernetes_version")
    elif net.policy == "cilium":
        # Verbatim: NetworkPolicyNotSupported "Network Policy cilium requires NetworkDataplane cilium".
        yield Issue("The Cilium policy engine runs only with the Cilium dataplane (\"Network Policy cilium requires "
                    "NetworkDataplane cilium\"). Choose the Cilium dataplane, or another policy.", "network.policy")


@rule("aks-service-cidr-ipv6", "block", "IPv6 service CIDR at most /108", source=SRC_DUAL_STACK,
      fields=("network.service_cidrs",), catalogue="B9 #54")
def service_cidr_ipv6(spec: AksSpec, facts: AksFacts) -> Issues:
    for n in _nets(spec.network.service_cidrs):
        if n.version == 6 and n.prefixlen < 108:
            sub = next(n.subnets(new_prefix=108))
            yield (f"The IPv6 service CIDR {n} is too large: AKS allows at most a /108 (InvalidServiceCidrIPv6MaskSize). "
                   f"Use e.g. {sub}.")


def _refused_service_nets(spec: AksSpec) -> set[Network]:
    """Service CIDRs another rule already refuses on their own (an IPv6 range larger than /108): the rules that
    compare ranges skip them, so one bad value is reported once, not again as an overlap it causes."""
    return {n for n in _nets(spec.network.service_cidrs) if n.version == 6 and n.prefixlen < 108}


@rule("aks-cidr-overlap", "block", "Pod, service and node ranges don't overlap", source=SRC_SERVICE_OVERLAP,
      fields=("network.service_cidrs",), catalogue="B9 #55")
def cidr_overlap(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    pods = _nets(net.pod_cidrs) if net.uses_pod_cidrs else []
    refused = _refused_service_nets(spec)
    services = [n for n in _nets(net.service_cidrs) if n not in refused]
    reported: set[Network] = set()
    for p in pods:
        for s in services:
            if p.version == s.version and p.overlaps(s):
                reported |= {p, s}
                yield Issue(f"The pod CIDR {p} overlaps the service CIDR {s}; AKS would refuse it (InvalidParameter). "
                            "Give pods and services separate ranges.", "network.pod_cidrs")
    # The managed node VNet (10.224.0.0/12, subnet 10.224.0.0/16) is created by AKS itself; a pod or service
    # range inside it breaks routing to the nodes. The RP's answer here is not documented (the server-side
    # check quoted in the catalogue concerns BYO subnets), so warn.
    vnet = ipaddress.IPv4Network(MANAGED_VNET_CIDR)
    for fld, what, nets in (("network.pod_cidrs", "pod", pods), ("network.service_cidrs", "service", services)):
        for n in nets:
            if n.version == 4 and n.overlaps(vnet) and n not in reported:  # a range already refused: once
                yield Issue(f"The {what} CIDR {n} overlaps {vnet}, the virtual network AKS creates for the nodes; "
                            "nodes would become unreachable from pods. Use another range (e.g. 10.244.0.0/16 for "
                            "pods, 10.96.0.0/16 for services).", fld, "warn")


_RESERVED = tuple(ipaddress.IPv4Network(c) for c in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16",
                                                      "192.0.2.0/24"))


@rule("aks-cidr-reserved", "block", "Reserved ranges", source=SRC_RESERVED, fields=("network.pod_cidrs",),
      catalogue="B9 #56")
def cidr_reserved(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    lists = [("network.service_cidrs", "service", net.service_cidrs)]
    if net.uses_pod_cidrs:
        lists.insert(0, ("network.pod_cidrs", "pod", net.pod_cidrs))
    for fld, what, cidrs in lists:
        for n in _nets(cidrs):
            hit = next((r for r in _RESERVED if n.version == 4 and n.overlaps(r)), None)
            if hit is not None:
                yield Issue(f"The {what} CIDR {n} overlaps {hit}, which AKS reserves (169.254.0.0/16, 172.30.0.0/16, "
                            "172.31.0.0/16, 192.0.2.0/24); the cluster would be refused. Use another range.", fld)


@rule("aks-dns-service-ip", "block", "DNS service IP inside the service CIDR", source=SRC_NETWORK_PROFILE,
      fields=("network.dns_service_ip",), catalogue="B9 #57")
def dns_service_ip(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    text = net.dns_service_ip.strip()
    v4 = next((n for n in _nets(net.service_cidrs) if n.version == 4), None)
    if not text or v4 is None:
        return
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        yield f"The DNS service IP '{text}' is not an IPv4 address (InvalidParameter)."
        return
    if ip.version != 4 or ip not in v4:
        # Verbatim: DnsServiceIpOutOfServiceCidr "The DNS service IP X is out of the range defined by service CIDR Y."
        yield (f"The DNS service IP {ip} is outside the IPv4 service CIDR {v4}; AKS would answer "
               f"DnsServiceIpOutOfServiceCidr. Use an address inside it, e.g. {v4.network_address + 10}.")
    elif ip in (v4.network_address, v4.network_address + 1):
        yield (f"The DNS service IP {ip} is the first address of {v4}, which Kubernetes keeps for the "
               f"'kubernetes' service; AKS would refuse it. Use e.g. {v4.network_address + 10}.")


@rule("aks-outbound-type", "block", "Outbound type", source=SRC_NAT, fields=("network.outbound_type",),
      catalogue="B9 #59")
def outbound_type(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    if net.outbound_type != "managedNATGateway":
        return
    if net.dual_stack:
        yield ("The managed NAT gateway is IPv4-only, so a dual-stack cluster can't use it for outbound traffic "
               "(nat-gateway.md); AKS would refuse it (InvalidParameter). Use the load balancer (the default), which "
               "gives the cluster an outbound IPv4 and IPv6 address.")
    else:
        yield Issue("A managed NAT gateway is zonal (not zone-redundant), and the outbound type can only be set when "
                    "the cluster is created.", severity="info")


@rule("aks-ipv6-lb-services", "info", "IPv6 LoadBalancer services", source=SRC_DUAL_STACK,
      fields=("network.ip_families",), catalogue="B9 #60")
def ipv6_lb_services(spec: AksSpec, facts: AksFacts) -> Issues:
    if spec.network.dual_stack and any(p.os_sku.lower().startswith("azurelinux") for p in spec.pools):
        yield ("On Azure Linux nodes, an IPv6 (or dual-stack) Service of type LoadBalancer is only reachable with "
               "externalTrafficPolicy: Local (configure-dual-stack.md). Set it on such services.")


@rule("aks-kubenet", "warn", "Kubenet is retiring", source=SRC_KUBENET, fields=("network.plugin",),
      catalogue="B9 #61")
def kubenet(spec: AksSpec, facts: AksFacts) -> Issues:
    if spec.network.plugin != "kubenet":
        return
    nodes = sum(p.count for p in spec.pools)
    limit = 200 if spec.network.dual_stack else 400
    yield (f"Kubenet is retiring on 31 March 2028 and limits a cluster to {limit} nodes{' (dual-stack)' if limit == 200 else ''}"
           f"{f'; this spec has {nodes}' if nodes > limit else ''}. Choose Azure CNI Overlay: it supports dual-stack "
           "and network policies.")


@rule("aks-load-balancer", "block", "Standard load balancer and scale sets", source=SRC_BASIC_LB,
      fields=("network.load_balancer_sku",), catalogue="B9 #62")
def load_balancer(spec: AksSpec, facts: AksFacts) -> Issues:
    if spec.network.load_balancer_sku.lower() != "standard":
        yield Issue("The Basic load balancer was retired on 30 September 2025; new clusters must use the Standard "
                    "load balancer (InvalidParameter). It is also needed for authorized IP ranges and several pools.",
                    "network.load_balancer_sku")
    if spec.vm_set_type != "VirtualMachineScaleSets":
        yield Issue("Availability set node pools are retired; nodes must run in virtual machine scale sets "
                    "(InvalidParameter).", "vm_set_type")


# --------------------------------------------------------------------------------------------------
# B10. Node pools, tier, access.


@rule("aks-system-pool", "block", "System node pool", source=SRC_SYSTEM_POOLS, fields=("system_pool.mode",),
      catalogue="B10 #63")
def system_pool(spec: AksSpec, facts: AksFacts) -> Issues:
    pool = spec.system_pool
    if pool.mode != "System":
        yield Issue("The first node pool must be a System pool: every cluster needs one for CoreDNS and the other "
                    "critical pods (\"There has to be at least one system agent pool\").", "system_pool.mode")
    if pool.os_type != "Linux":
        yield Issue("System node pools run Linux; Windows pools can only be user pools (SystemPoolMustBeLinux).",
                    "system_pool.os_type")
    for i, user in enumerate(spec.user_pools, start=1):
        if user.mode != "User":
            yield Issue(f"'{user.name}' is listed as a user pool but its mode is {user.mode}. Set it to User.",
                        _pool_field(i, "mode"))


@rule("aks-pool-counts", "block", "Node counts", source=SRC_SYSTEM_POOLS, fields=("system_pool.count",),
      catalogue="B10 #63")
def pool_counts(spec: AksSpec, facts: AksFacts) -> Issues:
    count = spec.system_pool.count
    if count < 1:
        # AKS refuses a system pool without nodes (InvalidParameter): the system pods need somewhere to run.
        yield Issue(f"The system pool has {count} nodes; AKS needs at least 1 for its system pods (CoreDNS, "
                    "konnectivity) and refuses fewer (InvalidParameter). Use 3.", "system_pool.count")
    elif count < 3:
        # Accepted by AKS: Microsoft's quickstart creates a 1-node cluster (QUICKSTART). use-system-pools.md
        # recommends at least 2 nodes for the system pool, the notes 3 for redundancy: a warning, not a block.
        yield Issue(f"The system pool has {count} node{'s' if count > 1 else ''}: AKS accepts it (Microsoft's "
                    "quickstart uses 1), but the critical system pods then stop while that node is upgraded or "
                    "fails. For a cluster you keep, use 3 (use-system-pools recommends at least 2).",
                    "system_pool.count", "warn")
    for i, pool in _pools(spec):
        if pool.count > 1000 or pool.count < 0:
            yield Issue(f"{_what(i, pool).capitalize()} has {pool.count} nodes; a pool holds 0-1000 (system: "
                        "1-1000) nodes (InvalidParameter).", _pool_field(i, "count"))


@rule("aks-max-pods", "block", "Pods per node", source=SRC_SYSTEM_POOLS, fields=("system_pool.max_pods",),
      catalogue="B10 #63")
def max_pods(spec: AksSpec, facts: AksFacts) -> Issues:
    for i, pool in _pools(spec):
        if pool.max_pods is None:
            continue
        fld = _pool_field(i, "max_pods")
        if pool.mode == "System" and pool.max_pods < 30:
            yield Issue(f"The system pool allows {pool.max_pods} pods per node; system pools need at least 30 "
                        "(InvalidParameter).", fld)
        elif not 10 <= pool.max_pods <= 250:
            yield Issue(f"{_what(i, pool).capitalize()} allows {pool.max_pods} pods per node; AKS accepts 10-250 "
                        "(InvalidParameter).", fld)


@rule("aks-system-pool-size", "block", "System pool node size", source=SRC_QUOTAS, fields=("system_pool.vm_size",),
      needs_facts=True, catalogue="B10 #64")
def system_pool_size(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    size = rf.size(spec.system_pool.vm_size) if rf is not None else None
    if size is None:
        return
    if size.vcpus < 2 or size.memory_gb < 2:
        # Verbatim: SystemPoolSkuTooLow "System node pool must use VM sku with more than 2 cores and 4GB memory."
        yield (f"{size.name} has {size.vcpus} vCPU and {size.memory_gb:g} GB; the system pool needs at least 2 vCPUs "
               "and 4 GB (SystemPoolSkuTooLow). Pick e.g. Standard_D2s_v5.")
        return
    if size.memory_gb < 4:
        # quotas-skus-regions.md and the RP's message say 4 GB, yet 2 vCPU / 2 GB system pools have been accepted
        # (MicrosoftDocs/azure-docs#121181): the sources disagree, so warn.
        yield Issue(f"{size.name} has {size.memory_gb:g} GB of memory; AKS documents at least 4 GB for system pools "
                    "and the system pods may not fit. Pick a size with 4 GB or more.", severity="warn")
    if size.is_b_series:
        # The catalogue (and quotas-skus-regions.md) say burstable sizes are not supported for system pools; the
        # RP accepts them, so warn. The notes' own example (Standard_B2als_v2) is one.
        yield Issue(f"{size.name} is a burstable B-series size, which AKS does not support for system pools: the "
                    "system pods run constantly, use up the CPU credits and get throttled. Use a D-series size such "
                    "as Standard_D2s_v5 (2 vCPU, 8 GiB).", severity="warn")
    if size.vcpus < 4:
        # use-system-pools.md now recommends 4 vCPUs for system pools; quotas-skus-regions.md says 2. Info only.
        yield Issue(f"{size.name} has {size.vcpus} vCPUs: enough to try things; for production, use-system-pools.md "
                    "recommends at least 4 vCPUs for system pools.", severity="info")


@rule("aks-user-pool-size", "block", "User pool node size", source=SRC_QUOTAS, fields=("user_pools",),
      needs_facts=True, catalogue="B10 #65")
def user_pool_size(spec: AksSpec, facts: AksFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    for i, pool in _pools(spec):
        size = rf.size(pool.vm_size)
        if i == 0 or size is None:
            continue
        if size.vcpus < 2 or size.memory_gb < 2:
            # Verbatim: BadRequest "The VM SKU chosen for this cluster `X` does not have enough CPU/memory to run as
            # an AKS node." (Azure/azure-rest-api-specs#7153)
            yield Issue(f"{size.name} ({size.vcpus} vCPU, {size.memory_gb:g} GB) is too small for an AKS node: pools "
                        "need at least 2 vCPUs and 2 GB (BadRequest).", _pool_field(i, "vm_size"))


def _production_shaped(spec: AksSpec) -> bool:
    """Set up for production: managed upgrades, a maintenance window or a private API server."""
    ops = spec.operations
    return bool(ops.windows() or ops.upgrade_channel not in ("", "none") or spec.private_cluster
                or ops.node_os_upgrade_channel == "SecurityPatch")


@rule("aks-tier", "info", "Pricing tier", source=SRC_TIERS, fields=("tier",), catalogue="B10 #66")
def tier(spec: AksSpec, facts: AksFacts) -> Issues:
    nodes = sum(p.count for p in spec.pools)
    if spec.tier == "free" and _production_shaped(spec):
        # free-standard-pricing-tiers.md: the Free tier has no SLA and is "for experimenting, learning and simple
        # testing... not recommended for production"; the Standard tier "for production-level workloads".
        yield Issue("Free tier for a cluster set up for production (managed upgrades, maintenance windows or a "
                    "private API server): the free tier has no uptime SLA and Microsoft does not recommend it for "
                    "production. Use the Standard tier (financially backed SLA).", severity="warn")
    elif spec.tier == "free":
        yield ("Free tier: no uptime SLA for the API server; fine for trying things and small clusters (under 10 "
               "nodes). Use Standard for production.")
        if nodes >= 10:
            yield Issue(f"The free tier is meant for clusters under 10 nodes; this one has {nodes}. Use the Standard "
                        "tier (uptime SLA, up to 5000 nodes).", severity="warn")
    elif spec.tier == "premium" and spec.support_plan != "AKSLongTermSupport":
        yield ("Premium tier: the Standard tier's uptime SLA plus long-term support (LTS), which this spec does not "
               "use (support plan KubernetesOfficial). Standard costs less for the same SLA.")


_PLACEHOLDER = re.compile(r"^[a-z](?:\.[a-z]){3}(?:/[a-z]+)?$", re.IGNORECASE)


def _range_problem(text: str) -> str | None:
    """Why one authorized IP range would be refused (by AKS or az's validator), or None."""
    if _PLACEHOLDER.match(text):
        return (f"'{text}' is the notes' placeholder, not an address: put your public IPv4 address there "
                "(e.g. 20.100.1.2/32, see 'add my IP') or leave the list empty")
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return f"'{text}' is not an IPv4 address or CIDR (InvalidParameter)"
    if net.version == 6:
        return f"'{text}' is IPv6: the API server's authorized ranges are IPv4-only (InvalidParameter)"
    assert isinstance(net, ipaddress.IPv4Network)
    if str(net.network_address) != text.partition("/")[0]:
        # az's validator refuses host bits ("--api-server-authorized-ip-ranges should be a list of IPv4
        # addresses or CIDRs", https://github.com/Azure/azure-cli-extensions/issues/675); the RP accepts them, but the exported script would fail.
        return f"'{text}' has host bits set; write {net}"
    if str(net) not in ("0.0.0.0/0", "0.0.0.0/32") and not net.is_global:
        # az: "must be global non-reserved addresses or CIDRs"; the API server sees the caller's public address,
        # so a private range admits nobody. 0.0.0.0/0 (everyone) and 0.0.0.0/32 (only the cluster's outbound IP)
        # have their own findings below, so they are named here rather than left to what is_global says of them.
        return (f"'{text}' is not a public address range: the API server sees your public (internet) address, so "
                "a private or reserved range admits nobody")
    return None


@rule("aks-authorized-ranges", "block", "API server authorized IP ranges", source=SRC_AUTH_RANGES,
      fields=("authorized_ip_ranges",), catalogue="B10 #67")
def authorized_ranges(spec: AksSpec, facts: AksFacts) -> Issues:
    ranges = [r.strip() for r in spec.authorized_ip_ranges]
    if spec.private_cluster:
        return  # a private API server has no public endpoint to restrict: aks-private-cluster says so
    if not ranges:
        # A production cluster (the Standard or Premium tier, as the production preset chooses) should not take
        # connections from the whole internet: SRC_AUTH_RANGES ("secure access to the API server") -> a warning
        # there, a note for a free dev cluster.
        production = spec.tier != "free"
        yield Issue("The API server will accept connections from any IPv4 address (sign-in is still required)"
                    + (f", on a {spec.tier}-tier cluster meant for production. Limit it to your own ranges ('add my "
                       "IP', your office or VPN egress)" if production else
                       ". Add your own address ('add my IP') to limit it")
                    + "; AKS adds the cluster's outbound IP itself.", severity="warn" if production else "info")
        return
    if len(ranges) > 200:
        # Verbatim: "The number of APIServer Authorized IP Ranges is greater than the allowed value 200."
        yield f"{len(ranges)} authorized IP ranges are too many: AKS allows at most 200 (InvalidParameter)."
    for text in ranges:
        problem = _range_problem(text)
        if problem:
            yield f"Authorized IP range {problem}."
    if "0.0.0.0/32" in ranges and len(ranges) > 1:
        # Verbatim: InvalidParameter "Setting apiServerAuthorizedIPRange to 0.0.0.0/32 is not allowed with other
        # IP ranges." (Azure/terraform-azurerm-aks#378)
        yield ("0.0.0.0/32 means 'only the cluster's own outbound IP' and can't be combined with other ranges "
               "(InvalidParameter). Remove it or the others.")
    elif ranges == ["0.0.0.0/32"]:
        yield Issue("0.0.0.0/32 admits only the cluster's own outbound IP: kubectl from your machine won't reach "
                    "the API server.", severity="warn")
    if "0.0.0.0/0" in ranges:
        yield Issue("0.0.0.0/0 admits every IPv4 address, the same as no restriction.", severity="warn")


# --------------------------------------------------------------------------------------------------
# Production and operations (#24): private API server, upgrades and their windows, add-ons.


@rule("aks-private-cluster", "block", "Private API server", source=SRC_PRIVATE,
      fields=("private_cluster", "disable_public_fqdn"), catalogue="B10")

def private_cluster(spec: AksSpec, facts: AksFacts) -> Issues:
    if not spec.private_cluster:
        if spec.disable_public_fqdn:
            # az: "--disable-public-fqdn should only be used with --enable-private-cluster".
            yield Issue("'No public DNS name' applies to a private cluster only. Turn the private cluster on, or "
                        "leave the public DNS name.", "disable_public_fqdn")
        return
    if spec.authorized_ip_ranges:
        # api-server-authorized-ip-ranges.md: authorized ranges restrict the public API server; az refuses the
        # combination ("--api-server-authorized-ip-ranges is not supported for private cluster") and so does AKS.
        yield Issue("Authorized IP ranges limit who reaches a public API server; a private cluster has none, and "
                    "AKS refuses the two together (BadRequest). Remove the ranges, or make the cluster public.",
                    "authorized_ip_ranges")
    # access-private-cluster.md: a private API server is reached from the cluster's VNet or a connected network
    # (peering, VPN, ExpressRoute, a jump box), or with az aks command invoke.
    reach = ("It has no public DNS name either, so only machines using the cluster's private DNS zone can resolve "
             "it. " if spec.disable_public_fqdn else "")
    yield Issue("The API server will be private: kubectl (and azwizard's checks) from this machine can't reach it "
                "over the internet, only from the cluster's network or one connected to it (VPN, peering, a jump "
                f"box). {reach}From here, run commands with `az aks command invoke`.",
                "private_cluster", "warn")


def _window_problems(window: MaintenanceWindowSpec, fld: str) -> Iterator[Issue]:
    if window.duration_hours < MIN_WINDOW_HOURS or window.duration_hours > 24:
        # planned-maintenance.md: "the maintenance window ... must be at least four hours" (durationHours 4-24);
        # AKS refuses a shorter one (InvalidParameter).
        yield Issue(f"A {window.duration_hours}-hour maintenance window is outside what AKS takes: at least "
                    f"{MIN_WINDOW_HOURS} hours and at most 24 (InvalidParameter). Make it {MIN_WINDOW_HOURS} hours "
                    "or longer.", f"{fld}.duration_hours")
    high = {"Daily": 7, "Weekly": 4, "AbsoluteMonthly": 6, "RelativeMonthly": 6}.get(window.schedule, 1)
    if not 1 <= window.interval <= high:
        unit = {"Daily": "days", "Weekly": "weeks"}.get(window.schedule, "months")
        yield Issue(f"Every {window.interval} {unit}: a {window.schedule} schedule repeats every 1-{high} {unit} "
                    "(InvalidParameter).", f"{fld}.interval")
    if window.schedule == "AbsoluteMonthly" and window.day_of_month > 28:
        yield Issue(f"Day {window.day_of_month} does not occur in every month; in shorter months there is no "
                    "maintenance window then. Pick day 1-28, or a RelativeMonthly schedule such as the last "
                    "Saturday.", f"{fld}.day_of_month", "warn")


@rule("aks-maintenance-window", "block", "Planned maintenance windows", source=SRC_PLANNED_MAINTENANCE,
      fields=("operations.upgrade_window", "operations.node_os_window"), catalogue="B10")

def maintenance_windows(spec: AksSpec, facts: AksFacts) -> Issues:
    ops = spec.operations
    for window, fld, channel, channel_fld, what in (
            (ops.upgrade_window, "operations.upgrade_window", ops.effective_upgrade_channel,
             "operations.upgrade_channel", "Kubernetes auto-upgrade"),
            (ops.node_os_window, "operations.node_os_window", ops.effective_node_os_channel,
             "operations.node_os_upgrade_channel", "node OS update")):
        if window is None:
            continue
        yield from _window_problems(window, fld)
        if channel in ("none", "None", "Unmanaged"):
            # planned-maintenance.md: aksManagedAutoUpgradeSchedule governs the auto-upgrade channel,
            # aksManagedNodeOSUpgradeSchedule the node OS channel; with no managed channel nothing runs in it.
            yield Issue(f"The {what} window has no effect: the {what} channel is {channel}, so AKS starts nothing "
                        "in it. Choose a channel or drop the window.", channel_fld, "warn")


@rule("aks-node-os-channel", "warn", "Node OS updates and the node OS", source=SRC_NODE_OS_UPGRADE,
      fields=("operations.node_os_upgrade_channel",), catalogue="B10")

def node_os_channel(spec: AksSpec, facts: AksFacts) -> Issues:
    channel = spec.operations.effective_node_os_channel
    fld = "operations.node_os_upgrade_channel"
    for i, pool in _pools(spec):
        sku = pool.os_sku.lower()
        if pool.os_type == "Windows" and channel == "Unmanaged":
            # auto-upgrade-node-os-image.md, OS-specific behavior: "Windows doesn't apply security patches
            # automatically, so this option behaves equivalently to None".
            yield Issue(f"{_what(i, pool).capitalize()} runs Windows, which applies no security patches by itself: "
                        "the Unmanaged channel behaves like None there. Use NodeImage or SecurityPatch.", fld)
        if channel == "SecurityPatch" and sku.startswith("azurelinux") and pool.vm_size.lower().startswith(
                "standard_n"):
            # auto-upgrade-node-os-image.md: "Azure Linux doesn't support this channel on GPU-enabled VMs".
            yield Issue(f"{_what(i, pool).capitalize()} is Azure Linux on a GPU size ({pool.vm_size}): Azure Linux "
                        "doesn't support the SecurityPatch channel on GPU-enabled VMs. Use NodeImage.", fld)
        if sku in ("cblmariner", "mariner", "azurelinux2") and channel not in ("None", "Unmanaged"):
            # auto-upgrade-node-os-image.md: the Azure Linux 2.0 node image is frozen at 202512.06.0.
            yield Issue(f"{_what(i, pool).capitalize()} runs Azure Linux 2.0 ({pool.os_sku}), whose node image is "
                        f"frozen: the {channel} channel brings it no more updates. Use AzureLinux (Azure Linux 3).",
                        _pool_field(i, "os_sku"))
    if channel in ("None", "Unmanaged") and spec.operations.upgrade_channel != "node-image":
        yield Issue(f"Node OS channel {channel}: AKS will not replace the node images with patched ones; "
                    + ("you are responsible for the nodes' security updates." if channel == "None" else
                       "the OS patches itself (unattended-upgrades / dnf-automatic) and you manage reboots (kured)."),
                    fld, "info")


@rule("aks-upgrade-channels", "block", "The node-image channel and the node OS channel", source=SRC_AUTO_UPGRADE,
      fields=("operations.upgrade_channel",), catalogue="B10")

def upgrade_channels(spec: AksSpec, facts: AksFacts) -> Issues:
    ops = spec.operations
    if ops.upgrade_channel == "node-image" and ops.node_os_upgrade_channel not in ("", "NodeImage"):
        # auto-upgrade-cluster.md / auto-upgrade-node-os-image.md (interactions): the cluster channel node-image
        # upgrades the node images itself and takes the node OS channel NodeImage; AKS refuses another one.
        yield Issue(f"The node-image auto-upgrade channel upgrades the node images itself, so the node OS channel "
                    f"must be NodeImage, not {ops.node_os_upgrade_channel} (InvalidParameter). Use the patch or "
                    "stable channel with SecurityPatch, or leave the node OS channel at NodeImage.",
                    "operations.node_os_upgrade_channel")
    elif ops.upgrade_channel == "node-image":
        yield Issue("The node-image channel only upgrades node images, never Kubernetes: use patch or stable (with "
                    "the NodeImage node OS channel) to keep the cluster on a supported version.",
                    "operations.upgrade_channel", "info")
    elif ops.upgrade_channel == "rapid" and spec.tier != "free":
        yield Issue("The rapid channel moves to each new minor version as soon as it is supported: stable (one "
                    "minor behind) is the usual choice for production.", "operations.upgrade_channel", "info")


@rule("aks-app-routing-private", "warn", "App routing on a private cluster", source=SRC_APP_ROUTING_PRIVATE,
      fields=("operations.app_routing",), catalogue="B10")

def app_routing_private(spec: AksSpec, facts: AksFacts) -> Issues:
    if spec.operations.app_routing and spec.private_cluster:
        # create-nginx-ingress-private-controller.md: the add-on's default NGINX controller is public (an external
        # load balancer); an internal one is configured with an NginxIngressController (internal LB annotation).
        yield ("App routing's default NGINX ingress controller gets a public IP even on a private cluster: your "
               "apps would be reachable from the internet while the API server is not. Configure an internal "
               "controller (NginxIngressController with the internal load balancer annotation) after creation.")


@rule("aks-addons", "block", "Image Cleaner, node SSH, metrics", source=SRC_IMAGE_CLEANER,
      fields=("operations.image_cleaner_interval_hours",), catalogue="B10")

def addons(spec: AksSpec, facts: AksFacts) -> Issues:
    ops = spec.operations
    if ops.image_cleaner and not 24 <= ops.image_cleaner_interval_hours <= 2160:
        # image-cleaner.md: the interval is 24 hours to 3 months (2160 hours).
        yield Issue(f"Image Cleaner runs every 24 to 2160 hours (3 months), not every {ops.image_cleaner_interval_hours} "
                    "(InvalidParameter).", "operations.image_cleaner_interval_hours")
    if ops.ssh_access == "disabled" and spec.ssh_public_key.strip():
        # manage-ssh-node-access.md: with SSH disabled the key is still placed but the SSH service is off.
        yield Issue("SSH is disabled on the nodes, so the SSH key you gave can't be used to log in. Nodes stay "
                    "reachable with kubectl debug node/...", "operations.ssh_access", "info")
    if ops.monitor_metrics:
        # kubernetes-monitoring-enable.md: metrics go to an Azure Monitor workspace linked by a data collection
        # rule; az aks create makes the default workspace, azwizard does not.
        yield Issue("Managed Prometheus metrics need an Azure Monitor workspace to store them: link one after "
                    "creation (az aks update --enable-azure-monitor-metrics), as az aks create does for you.",
                    "operations.monitor_metrics", "info")


@rule("aks-outbound-ips", "block", "Managed outbound public IPs", source=SRC_OUTBOUND_IPS,
      fields=("network.outbound_ipv4_count", "network.outbound_ipv6_count"), catalogue="B10")

def outbound_ips(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    v4, v6 = net.outbound_ipv4_count, net.outbound_ipv6_count
    if v4 is None and v6 is None:
        return
    if net.outbound_type != "loadBalancer":
        yield Issue("Managed outbound IP counts apply to the loadBalancer outbound type only; they are not sent.",
                    "network.outbound_ipv4_count", "info")
        return
    if v4 is not None and not 1 <= v4 <= 100:
        yield Issue(f"{v4} managed outbound IPv4 addresses: AKS takes 1-100 (InvalidParameter).",
                    "network.outbound_ipv4_count")
    if v6 is not None and not 0 <= v6 <= 100:
        yield Issue(f"{v6} managed outbound IPv6 addresses: AKS takes 0-100 (InvalidParameter).",
                    "network.outbound_ipv6_count")
    if v6 and not net.dual_stack:
        yield Issue("Managed outbound IPv6 addresses need a dual-stack cluster (InvalidParameter).",
                    "network.outbound_ipv6_count")
    if (v4 or 0) + (v6 or 0) > 100:
        yield Issue("At most 100 managed outbound IPs in all (InvalidParameter).", "network.outbound_ipv4_count")


def _covered(ip: str, ranges: tuple[str, ...]) -> bool:
    addr = ipaddress.ip_address(ip)
    return any(addr in n for n in _nets(ranges) if n.version == addr.version)


@rule("aks-my-ip", "warn", "Your address can reach the API server", source=SRC_MY_IP,
      fields=("authorized_ip_ranges",), catalogue="B10 #68")
def my_ip(spec: AksSpec, facts: AksFacts) -> Issues:
    ranges = spec.authorized_ip_ranges
    if spec.private_cluster or not ranges or any(_range_problem(r.strip()) for r in ranges):
        return  # no restriction, or aks-authorized-ranges already explains the list
    if facts.my_public_ipv4:
        if not _covered(facts.my_public_ipv4, ranges):
            yield (f"Your public IPv4 address {facts.my_public_ipv4} is not in the authorized ranges, so kubectl from "
                   f"this machine would be locked out of the API server. Add {facts.my_public_ipv4}/32.")
    elif facts.my_public_ipv6:
        yield (f"Only an IPv6 address ({facts.my_public_ipv6}) was detected for this machine, but the API server "
               "accepts IPv4 only, even in a dual-stack cluster. Make sure the IPv4 address your network uses to "
               "reach the internet is in the list, or you will be locked out.")


@rule("aks-os-sku", "info", "Node OS", source=SRC_AZURE_LINUX, fields=("system_pool.os_sku",), catalogue="B10 #69")
def os_sku(spec: AksSpec, facts: AksFacts) -> Issues:
    for i, pool in _pools(spec):
        sku = pool.os_sku.lower()
        fld = _pool_field(i, "os_sku")
        if pool.os_type == "Linux" and sku.startswith("windows"):
            yield Issue(f"{_what(i, pool).capitalize()} is Linux but its OS SKU is {pool.os_sku}.", fld, "block")
        elif pool.os_type == "Windows" and not sku.startswith("windows"):
            yield Issue(f"{_what(i, pool).capitalize()} is Windows but its OS SKU is {pool.os_sku}; use Windows2022.",
                        fld, "block")
        elif sku in ("cblmariner", "mariner", "azurelinux2"):
            yield Issue(f"{pool.os_sku} is Azure Linux 2.0, which reached end of life on 30 November 2025. Use "
                        "AzureLinux (Azure Linux 3 on supported Kubernetes versions).", fld, "warn")
        elif sku.startswith("azurelinux") and i == 0:
            yield Issue("Azure Linux: Microsoft's minimal node OS for AKS (Azure Linux 3 on current Kubernetes "
                        "versions), a small and fast-booting alternative to Ubuntu.", fld)


@rule("aks-windows-pools", "block", "Windows node pools", source=SRC_WINDOWS, fields=("user_pools",),
      catalogue="B9 #51, #53")
def windows_pools(spec: AksSpec, facts: AksFacts) -> Issues:
    net = spec.network
    for i, pool in _pools(spec):
        if pool.os_type != "Windows":
            continue
        fld = _pool_field(i, "os_type")
        if net.dual_stack:
            # configure-dual-stack.md limitations (and the notes): Windows node pools aren't supported.
            yield Issue(f"Windows node pools don't support dual-stack clusters ('{pool.name}'). Make the cluster "
                        "IPv4-only or drop the Windows pool.", fld)
        if net.dataplane == "cilium":
            yield Issue(f"Azure CNI powered by Cilium runs on Linux nodes only ('{pool.name}'). Use the Azure "
                        "dataplane for a cluster with Windows pools.", fld)
        if net.plugin == "kubenet":
            yield Issue(f"Kubenet doesn't support Windows node pools ('{pool.name}'). Use Azure CNI.", fld)


@rule("aks-acr", "block", "Registry access for the cluster", source=SRC_ACR_OWNER, fields=("acr.mode",),
      catalogue="B10 #70, B1 #2")
def acr_access(spec: AksSpec, facts: AksFacts) -> Issues:
    acr = spec.acr
    if not acr.enabled:
        return
    if acr.mode == "attach" and facts.acr_exists is False:
        yield Issue(f"The registry {acr.registry_name()} doesn't exist (or you can't read it). Create it first, or "
                    "choose 'create a registry'.", "acr.existing_id")
    if facts.can_assign_roles is False:
        # Without roleAssignments/write the cluster would be created and then the AcrPull assignment refused
        # (AuthorizationFailed; az words it "Could not create a role assignment for ACR. Are you an Owner on
        # this subscription?", Azure/azure-cli#18528).
        yield ("Giving the cluster pull access to the registry creates a role assignment (AcrPull), which needs "
               "Owner, User Access Administrator or Role Based Access Control Administrator on the registry; you "
               "don't have it there. Ask an owner to grant it, or to run `az aks update --attach-acr` after the "
               "cluster is created, or choose no registry.")


_ADMIN_NAME = re.compile(r"^[A-Za-z][-A-Za-z0-9_]{0,31}$")  # ContainerServiceLinuxProfile.adminUsername pattern


@rule("aks-ssh-key", "block", "Node SSH key", source=SRC_SSH_KEYS, fields=("ssh_public_key",), catalogue="B10")
def ssh_key(spec: AksSpec, facts: AksFacts) -> Issues:
    text = spec.ssh_public_key.strip()
    if not text:
        return  # no key: AKS needs none (the notes' --generate-ssh-keys is not required)
    if is_private_key(text):
        yield "This is a PRIVATE key: never share it. Paste the public key (the .pub file) or leave it empty."
        return
    parts = text.split()
    if "\n" in text or len(parts) < 2 or not parts[0].startswith(("ssh-", "ecdsa-", "sk-")):
        yield "This doesn't look like an OpenSSH public key (one line like 'ssh-rsa AAAAB3... me@laptop')."
        return
    if not _ADMIN_NAME.match(spec.admin_username):
        yield Issue(f"'{spec.admin_username}' can't be the nodes' admin user: 1-32 letters, digits, '-' and '_', "
                    "starting with a letter (InvalidParameter).", "admin_username")
    if parts[0] != "ssh-rsa":
        # Azure VMs accept Ed25519 keys now, but AKS node pools have long taken RSA keys only (Azure/AKS#1172,
        # #3434) and az aks create reads an inline key only if it is RSA. The sources disagree: warn.
        yield Issue(f"AKS has only documented RSA keys for the nodes; a {parts[0]} key may be refused. Nodes are "
                    "reachable without SSH (kubectl debug node/...), so you can also leave the key empty.",
                    severity="warn")


# --------------------------------------------------------------------------------------------------


def check_aks(spec: AksSpec, facts: AksFacts) -> list[Finding]:
    """Every finding for ``spec``, most severe first. Rules that need live region facts are skipped (and
    listed in one warning) when ``facts.region`` is missing or describes another region."""
    findings = run_rules(AKS_RULES.rules, spec, facts, have_facts=_region_facts(spec, facts) is not None)
    return common.without_unreadable_region_note(findings, spec.location, facts.subscription)
