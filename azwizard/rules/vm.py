"""Pre-flight rules for the VM journey: what Azure would reject (block), what works but surprises (warn),
and what the notes explain (info), checked before anything is created.

Each rule names its entry in the pre-flight rule catalogue (``catalogue``) and the public page behind it
(``source``). Where the sources disagree, or the catalogue marks a rule *verify*, the rule warns instead of
blocking and says why in a comment. Rules are pure: they read the spec and :class:`VmFacts` (plain data
fetched beforehand by :class:`azwizard.azure.catalog.Catalog`) and never call Azure.

Field names are the spec's dotted paths (``network.subnet_ipv6``, ``public_ip.zones``, ``nsg_rules``...),
so the UI can jump to the field a finding points at.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..facts import RegionFacts, SubscriptionFacts, VmSize
from ..fields import VM_FIELDS
from ..locks import SRC_LOCKS
from ..specs.common import azwizard_tags, first_subnet
from ..specs.vm import NsgRule, VmSpec
from ..sshkeys import is_private_key
from . import common
from .model import SEVERITY_ORDER, Finding, Issue, RuleBook, run_rules

__all__ = ["VM_RULES", "VmFacts", "check_vm"]


@dataclass(frozen=True)
class VmFacts:
    """What the VM rules know about the live subscription (``None`` = could not be read).

    ``image_generations`` are the Hyper-V generations of the chosen image version (``("V2",)``) and
    ``image_architecture`` its CPU architecture, both from ``Catalog.image``; ``my_public_ipv4`` is the
    caller's egress address, offered as the SSH source.
    """

    subscription: SubscriptionFacts | None
    region: RegionFacts | None
    image_generations: tuple[str, ...] | None = None
    image_architecture: str | None = None
    my_public_ipv4: str | None = None


VM_RULES: RuleBook[VmSpec, VmFacts] = RuleBook("vm")
rule = VM_RULES.rule
Issues = Iterator[Issue | str]

# --------------------------------------------------------------------------------------------------
# Sources (full URLs; the catalogue's short references resolved).

LEARN = "https://learn.microsoft.com/azure"
SRC_PROVIDERS = f"{LEARN}/azure-resource-manager/troubleshooting/error-register-resource-provider"
SRC_LOCATIONS = "https://learn.microsoft.com/rest/api/resources/subscriptions/list-locations"
SRC_ZONES = f"{LEARN}/reliability/availability-zones-region-support"
SRC_NAMES = f"{LEARN}/azure-resource-manager/management/resource-name-rules"
SRC_GROUPS = f"{LEARN}/azure-resource-manager/management/manage-resource-groups-portal"
SRC_SKU = f"{LEARN}/azure-resource-manager/troubleshooting/error-sku-not-available"
SRC_QUOTA = f"{LEARN}/virtual-machines/quotas"
SRC_NET_LIMITS = f"{LEARN}/azure-resource-manager/management/azure-subscription-service-limits"
SRC_TRUSTED_LAUNCH = f"{LEARN}/virtual-machines/trusted-launch"
SRC_GEN2 = f"{LEARN}/virtual-machines/generation-2"
SRC_SIZES = f"{LEARN}/virtual-machines/sizes/overview"
SRC_B_SERIES = f"{LEARN}/virtual-machines/sizes-b-series-burstable"
SRC_ACCEL = f"{LEARN}/virtual-network/accelerated-networking-overview"
SRC_VNET_FAQ = f"{LEARN}/virtual-network/virtual-networks-faq"
SRC_DUAL_STACK = f"{LEARN}/virtual-network/ip-services/create-vm-dual-stack-ipv6-cli"
SRC_IPV6 = f"{LEARN}/virtual-network/ip-services/ipv6-overview"
SRC_HON95 = "https://github.com/HON95/wiki/blob/main/cloud/azure.md"
SRC_BASIC_PIP = f"{LEARN}/virtual-network/ip-services/public-ip-basic-upgrade-guidance"
SRC_PIP = f"{LEARN}/virtual-network/ip-services/public-ip-addresses"
SRC_ZONE_BEHAVIOR = "https://azure.microsoft.com/en-us/updates/zone-behavior-change/"
SRC_ZONE_MATCH = "https://github.com/MicrosoftDocs/azure-docs/issues/64801"
SRC_NAT_ZONES = f"{LEARN}/nat-gateway/nat-availability-zones"
SRC_NAT = f"{LEARN}/nat-gateway/nat-overview"
SRC_NSG = f"{LEARN}/virtual-network/network-security-groups-overview"
SRC_SSH_PORTAL = f"{LEARN}/virtual-machines/linux/quick-create-portal"
SRC_DISKS = f"{LEARN}/virtual-machines/disks-types"
SRC_CUSTOM_DATA = f"{LEARN}/virtual-machines/custom-data"
SRC_CLOUD_INIT = f"{LEARN}/virtual-machines/linux/using-cloud-init"
SRC_BACKUP_PREPARE = f"{LEARN}/backup/backup-azure-arm-vms-prepare"
SRC_BACKUP_ENHANCED = f"{LEARN}/backup/backup-azure-vms-enhanced-policy"
SRC_SOFT_DELETE = f"{LEARN}/backup/backup-azure-security-feature-cloud"
SRC_SSH_KEYS = f"{LEARN}/virtual-machines/linux/create-ssh-keys-detailed#supported-ssh-key-formats"
SRC_OSPROFILE = "https://learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update#osprofile"
SRC_AZ_CLI_VALIDATORS = ("https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/"
                         "vm/_validators.py")

QUOTA_LINK = "https://aka.ms/ProdportalCRP"

# --------------------------------------------------------------------------------------------------
# Helpers.


def _loc(spec: VmSpec) -> str:
    return "".join(spec.location.split()).lower()


def _region_facts(spec: VmSpec, facts: VmFacts) -> RegionFacts | None:
    return common.region_facts_for(spec.location, facts.region)


def _region_zones(spec: VmSpec, facts: VmFacts) -> tuple[str, ...] | None:
    return common.region_zones_for(spec.location, facts.subscription, facts.region)


def _size(spec: VmSpec, facts: VmFacts) -> VmSize | None:
    rf = _region_facts(spec, facts)
    return rf.size(spec.size) if rf is not None else None


def _zones_text(zones: tuple[str, ...] | list[str]) -> str:
    return ", ".join(zones) if zones else "none"


def _image_label(spec: VmSpec) -> str:
    return f"{spec.image.label} ({spec.image.urn})" if spec.image.label else spec.image.urn


def _image_generations(spec: VmSpec, facts: VmFacts) -> tuple[str, ...] | None:
    """From the live image record; else from the marketplace naming convention (``*-gen2`` / ``*-gen1``
    SKUs), else unknown."""
    if facts.image_generations is not None:
        return facts.image_generations
    sku = spec.image.sku.lower()
    if "gen2" in sku:
        return ("V2",)
    if "gen1" in sku:
        return ("V1",)
    return None


def _image_architecture(spec: VmSpec, facts: VmFacts) -> str | None:
    if facts.image_architecture:
        return facts.image_architecture
    return "Arm64" if "arm64" in spec.image.sku.lower() else None


def _net(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _resolved_subnet_ipv4(spec: VmSpec) -> str:
    if spec.network.subnet_ipv4:
        return spec.network.subnet_ipv4
    try:
        return first_subnet(spec.network.ipv4_space, 24)
    except ValueError:
        return ""


def _resolved_subnet_ipv6(spec: VmSpec) -> str:
    if spec.network.subnet_ipv6:
        return spec.network.subnet_ipv6
    try:
        return first_subnet(spec.network.ipv6_space, 64)
    except ValueError:
        return ""


def _port_covers(port: str, number: int) -> bool:
    if port == "*":
        return True
    lo, _, hi = port.partition("-")
    try:
        return int(lo) <= number <= int(hi or lo)
    except ValueError:
        return False


def _allows_ssh(r: NsgRule) -> bool:
    return (r.direction == "Inbound" and r.access == "Allow" and r.protocol in ("Tcp", "*")
            and any(_port_covers(p, 22) for p in r.destination_ports))


_ANYWHERE = {"*", "internet", "any", "0.0.0.0/0", "::/0"}

# --------------------------------------------------------------------------------------------------
# B1. Subscription and region.


@rule("vm-providers-registered", "warn", "Resource providers registered", source=SRC_PROVIDERS, fields=("",),
      catalogue="B1 #1")
def providers_registered(spec: VmSpec, facts: VmFacts) -> Issues:
    needed = ["Microsoft.Network", "Microsoft.Compute"]
    if spec.backup.enabled:
        needed.append("Microsoft.RecoveryServices")
    yield from common.provider_issues(facts.subscription, needed)


@rule("vm-region-known", "block", "Region offered to the subscription", source=SRC_LOCATIONS,
      fields=("location",), catalogue="B1")
def region_known(spec: VmSpec, facts: VmFacts) -> Issues:
    sub = facts.subscription
    if sub is None or sub.region(spec.location) is not None:
        return
    yield (f"The region '{spec.location}' is not offered to this subscription, so every create would fail with "
           "LocationNotAvailableForResourceType. Pick a region from the list (it only shows the subscription's "
           "regions).")


@rule("vm-region-early-access", "warn", "Early-access (canary) regions", source=common.SRC_REGION_ACCESS,
      fields=("location",), catalogue="B1")
def region_early_access(spec: VmSpec, facts: VmFacts) -> Issues:
    yield from common.early_access_issues(spec.location, facts.subscription)


@rule("vm-region-access", "block", "Region usable by the subscription", source=common.SRC_REGION_ACCESS,
      fields=("location",), catalogue="B1")
def region_access(spec: VmSpec, facts: VmFacts) -> Issues:
    yield from common.region_access_issues(spec.location, facts.subscription)


@rule("vm-group-locks", "block", "No lock refuses the create", source=SRC_LOCKS,
      fields=("names.resource_group",), catalogue="B2")
def group_locks(spec: VmSpec, facts: VmFacts) -> Issues:
    yield from common.lock_issues(facts.subscription, spec.names.resource_group, "the VM and its resources")


@rule("vm-region-zones", "block", "Zones only where the region has them", source=SRC_ZONES,
      fields=("public_ip.zones", "zone", "nat_gateway.zones"), catalogue="B1 #3")
def region_zones(spec: VmSpec, facts: VmFacts) -> Issues:
    zones = _region_zones(spec, facts)
    if zones is None or zones:
        return
    loc = _loc(spec)
    if spec.public_ip.zones:
        yield Issue(f"{loc} has no availability zones, but the public IPs ask for zones "
                    f"{_zones_text(spec.public_ip.zones)}; Azure would answer LocationNotSupportAvailabilityZones. "
                    "Choose 'no zone' (regional public IPs) or a region with zones.", "public_ip.zones")
    if spec.zone:
        # Azure answered a zonal VM in a region without zones with ResourceTypeNotSupportAvailabilityZones
        # "The resource type 'virtualMachines' does not support availability zones at location ..."
        # (kubernetes-sigs/cluster-api-provider-azure#294).
        yield Issue(f"{loc} has no availability zones, but the VM is pinned to zone {spec.zone}; Azure would "
                    "refuse it (ResourceTypeNotSupportAvailabilityZones). Choose no zone, or a region with zones.",
                    "zone")
    if spec.nat_gateway.enabled and spec.nat_gateway.zones:
        yield Issue(f"{loc} has no availability zones, but the NAT gateway asks for zone(s) "
                    f"{_zones_text(spec.nat_gateway.zones)}; Azure would answer LocationNotSupportAvailabilityZones. "
                    "Choose no zone for the NAT gateway.", "nat_gateway.zones")


# --------------------------------------------------------------------------------------------------
# B2. Names. Patterns from resource-name-rules.md; where a resource provider's own validation rule is
# known (quoted in its error message), that rule is used.

# Microsoft.Network: alphanumerics, underscores, periods, hyphens; start alphanumeric; end alphanumeric
# or underscore.
_NETWORK_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?$")
# CRP's entity-name rule as its error quotes it ("^[^_\W][\w-._]{0,79}(?<![-.])$" for disks, Azure Compute
# Gallery troubleshooting); virtual machines use the 64-character variant.
_VM_NAME = re.compile(r"^[^_\W][\w\-._]{0,63}(?<![-.])$")
_DISK_NAME = re.compile(r"^[^_\W][\w\-._]{0,79}(?<![-.])$")
_VAULT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,49}$")
# https://github.com/hashicorp/terraform/issues/15913: the characters a Linux host name cannot contain (plus whitespace).
_LINUX_HOST_BAD = set("`~!@#$%^&*()=+_[]{}\\|;:'\",<>/?")
LINUX_HOST_MESSAGE = ("Linux host name cannot exceed 64 characters in length or contain the following characters: "
                      "` ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \\ | ; : ' \" , < > / ?.")


@rule("vm-name-resource-group", "block", "Resource group name", source=f"{SRC_NAMES}#microsoftresources",
      fields=("names.resource_group",), catalogue="B2 #5")
def name_resource_group(spec: VmSpec, facts: VmFacts) -> Issues:
    yield from common.resource_group_name_issues(spec.names.resource_group)


@rule("vm-tags", "block", "Tags", source=common.SRC_TAGS, fields=("extra_tags",), catalogue="B2")
def tag_limits(spec: VmSpec, facts: VmFacts) -> Issues:
    yield from common.tag_issues(spec.extra_tags, own=len(azwizard_tags("", "", "")))


@rule("vm-resource-group-exists", "warn", "Resource group reuse", source=SRC_GROUPS,
      fields=("names.resource_group",), catalogue="B2 #5")
def resource_group_exists(spec: VmSpec, facts: VmFacts) -> Issues:
    yield from common.resource_group_reuse_issues(facts.subscription, spec.names.resource_group, spec.location,
                                                  use_existing=spec.use_existing_group, what="the VM's resources")


def _network_names(spec: VmSpec) -> list[tuple[str, str, str, int, int]]:
    """(field, what, name, min, max) of every Microsoft.Network name the plan uses."""
    n = spec.names
    out = [("names.vnet", "virtual network", n.vnet, 2, 64), ("names.subnet", "subnet", n.subnet, 1, 80),
           ("names.nsg", "network security group", n.nsg, 1, 80), ("names.nic", "network interface", n.nic, 1, 80),
           ("names.public_ipv4", "public IPv4 address", n.public_ipv4, 1, 80),
           ("names.public_ipv6", "public IPv6 address", n.public_ipv6, 1, 80)]
    if spec.nat_gateway.enabled:
        out += [("names.nat_gateway", "NAT gateway", n.nat_gateway, 1, 80),
                ("names.nat_public_ipv4", "NAT gateway public IP", n.nat_public_ipv4, 1, 80)]
    out += [("nsg_rules", "security rule", r.name, 1, 80) for r in spec.nsg_rules]
    return out


@rule("vm-name-network", "block", "Network resource names", source=f"{SRC_NAMES}#microsoftnetwork",
      fields=("names.vnet",), catalogue="B2 #6")
def name_network(spec: VmSpec, facts: VmFacts) -> Issues:
    for fld, what, name, lo, hi in _network_names(spec):
        if not lo <= len(name) <= hi:
            yield Issue(f"The {what} name '{name}' has {len(name)} characters; Azure allows {lo}-{hi} "
                        "(InvalidResourceName).", fld)
        elif not _NETWORK_NAME.match(name):
            yield Issue(f"The {what} name '{name}' is not allowed: use letters, digits, '_', '.' and '-', start with "
                        "a letter or digit and end with a letter, digit or '_' (InvalidResourceName).", fld)


@rule("vm-names-unique", "block", "Distinct names", source=SRC_NAMES, fields=("names.public_ipv6",),
      catalogue="B2 #6")
def names_unique(spec: VmSpec, facts: VmFacts) -> Issues:
    n = spec.names
    # Resources of one type share a namespace in the group (names are case-insensitive): a second PUT with the
    # same name would silently update the first resource.
    pips = [("names.public_ipv4", n.public_ipv4), ("names.public_ipv6", n.public_ipv6)]
    if spec.nat_gateway.enabled:
        pips.append(("names.nat_public_ipv4", n.nat_public_ipv4))
    seen: dict[str, str] = {}
    for fld, name in pips:
        if name.lower() in seen:
            yield Issue(f"Two public IP addresses are both named '{name}'; the second would overwrite the first. "
                        "Give each public IP its own name.", fld)
        seen.setdefault(name.lower(), fld)
    if spec.data_disk is not None and n.data_disk.lower() == n.os_disk.lower():
        yield Issue(f"The OS disk and the data disk are both named '{n.os_disk}'. Give the data disk another name.",
                    "names.data_disk")
    rule_names: set[str] = set()
    for r in spec.nsg_rules:
        if r.name.lower() in rule_names:
            yield Issue(f"Two security rules are named '{r.name}'; Azure refuses duplicate rule names in one NSG "
                        "(DuplicateResourceName). Rename one.", "nsg_rules")
        rule_names.add(r.name.lower())


@rule("vm-name-vm", "block", "VM resource name", source=f"{SRC_NAMES}#microsoftcompute", fields=("names.vm",),
      catalogue="B2 #7")
def name_vm(spec: VmSpec, facts: VmFacts) -> Issues:
    name = spec.names.vm
    if not 1 <= len(name) <= 64:
        yield f"The VM name '{name}' has {len(name)} characters; Azure allows 1-64 (InvalidParameter)."
    elif not _VM_NAME.match(name):
        yield (f"The VM name '{name}' is not allowed: use letters, digits, '-', '_' and '.', don't start with '_' "
               "and don't end with '.' or '-' (InvalidParameter).")


@rule("vm-host-name", "block", "Linux host name", source=f"{SRC_NAMES}#microsoftcompute", fields=("names.vm",),
      catalogue="B2 #7")
def host_name(spec: VmSpec, facts: VmFacts) -> Issues:
    # azwizard uses the VM name as the computer (host) name, like the portal does.
    name = spec.names.vm
    bad = sorted({c for c in name if c in _LINUX_HOST_BAD or c.isspace()})
    if len(name) > 64 or bad:
        shown = "".join(bad) if bad else f"{len(name)} characters"
        yield (f"The VM name '{name}' is also its host name, and Azure would refuse it ({shown}): "
               f"\"{LINUX_HOST_MESSAGE}\" (InvalidParameter). Use letters, digits, '-' and '.' only, e.g. "
               f"'{re.sub(r'[^A-Za-z0-9.-]+', '-', name).strip('-.')[:64] or 'vm'}'.")


@rule("vm-name-disks", "block", "Disk names", source=f"{SRC_NAMES}#microsoftcompute", fields=("names.os_disk",),
      catalogue="B2 #8")
def name_disks(spec: VmSpec, facts: VmFacts) -> Issues:
    disks = [("names.os_disk", "OS disk", spec.names.os_disk)]
    if spec.data_disk is not None:
        disks.append(("names.data_disk", "data disk", spec.names.data_disk))
    for fld, what, name in disks:
        if not _DISK_NAME.match(name):
            yield Issue(f"The {what} name '{name}' is not allowed: 1-80 letters, digits, '_', '-' and '.', not "
                        "starting with '_' nor ending with '.' or '-' (InvalidParameter).", fld)


@rule("vm-name-vault", "block", "Recovery Services vault name", source=f"{SRC_NAMES}#microsoftrecoveryservices",
      fields=("names.vault",), catalogue="B2 #14")
def name_vault(spec: VmSpec, facts: VmFacts) -> Issues:
    if spec.backup.enabled and not _VAULT_NAME.match(spec.names.vault):
        yield (f"The vault name '{spec.names.vault}' is not allowed: 2-50 letters, digits and '-', starting with a "
               "letter (InvalidResourceName).")


# --------------------------------------------------------------------------------------------------
# B3. Size, zones, quota, image fit.


@rule("vm-size-available", "block", "Size offered in the region", source=SRC_SKU, fields=("size",),
      needs_facts=True, catalogue="B3 #16")
def size_available(spec: VmSpec, facts: VmFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    size = rf.size(spec.size)
    loc = rf.region.name
    if size is None:
        yield (f"{spec.size} is not offered in {loc}; Azure would answer InvalidParameter (not a valid size in the "
               "region). Pick a size from the list; it only shows sizes offered here.")
    elif size.location_restricted:
        yield (f"{size.name} is not available to this subscription in {loc} "
               f"({size.restriction_reason or 'restricted'}); Azure would answer SkuNotAvailable. Pick another size; "
               "the list only shows sizes offered here.")


@rule("vm-size-zone", "block", "Size usable in the zone", source=SRC_SKU, fields=("zone",), needs_facts=True,
      catalogue="B3 #17")
def size_zone(spec: VmSpec, facts: VmFacts) -> Issues:
    rf = _region_facts(spec, facts)
    size = _size(spec, facts)
    if rf is None or size is None or size.location_restricted or not spec.zone or not rf.region.zones:
        return
    if spec.zone not in rf.region.zones:
        yield (f"{rf.region.name} has zones {_zones_text(rf.region.zones)}, not zone {spec.zone}. Pick one of those "
               "or no zone.")
    elif not size.usable_in((spec.zone,)):
        usable = size.usable_zones
        why = (f"restricted for this subscription ({size.restriction_reason or 'NotAvailableForSubscription'})"
               if spec.zone in size.restricted_zones else "not offered there")
        hint = f"Pick zone {' or '.join(usable)}, no zone" if usable else "Pick no zone"
        yield (f"{size.name} can't be placed in zone {spec.zone} of {rf.region.name}: {why}. Azure would answer "
               f"SkuNotAvailable. {hint}, or another size.")


@rule("vm-quota-vcpus", "block", "vCPU quota", source=SRC_QUOTA, fields=("size",), needs_facts=True,
      catalogue="B3 #18, #19")
def quota_vcpus(spec: VmSpec, facts: VmFacts) -> Issues:
    rf = _region_facts(spec, facts)
    size = _size(spec, facts)
    if rf is None or size is None or size.location_restricted:
        return
    need = size.vcpus
    # Both the family's and the regional quota must have room; deallocated VMs still count.
    # (A size without a family reads no family usage: no usage is named "".)
    for usage_name, label in ((size.family, f"{size.family} Cores"), ("cores", "Total Regional Cores")):
        u = rf.compute_usage(usage_name)
        if u is None or u.current + need <= u.limit:
            continue
        if u.limit == 0:
            # B3 #19: families such as M-series and GPUs start with no quota at all.
            yield (f"The {u.localized_name} quota in {rf.region.name} is 0: Azure gives this family no quota by "
                   f"default, so {size.name} ({need} vCPUs) would be refused (OperationNotAllowed). Request a quota "
                   f"increase at {QUOTA_LINK} or pick another family.")
            continue
        yield (f"{size.name} needs {need} vCPUs, but only {u.available} of the {u.limit} {u.localized_name} in "
               f"{rf.region.name} are free; Azure would answer OperationNotAllowed (\"exceeding approved {label} "
               f"quota ... Current Limit: {u.limit}, Current Usage: {u.current}, Additional Required: {need}\"). "
               f"Request a quota increase at {QUOTA_LINK} or pick another family.")


@rule("vm-quota-public-ips", "warn", "Public IP quota", source=SRC_NET_LIMITS, fields=("public_ip.sku",),
      needs_facts=True, catalogue="B3 #20")
def quota_public_ips(spec: VmSpec, facts: VmFacts) -> Issues:
    rf = _region_facts(spec, facts)
    if rf is None:
        return
    need = 3 if spec.nat_gateway.enabled else 2
    for usage_name in ("StandardSkuPublicIpAddresses", "PublicIPAddresses"):
        u = rf.network_usage(usage_name)
        if u is not None and u.available < need:
            yield (f"The plan creates {need} public IP addresses, but only {u.available} of the {u.limit} "
                   f"'{u.localized_name}' in {rf.region.name} are free; the create would fail with a public-IP count "
                   "limit error. Delete unused public IPs or request a higher limit.")


@rule("vm-trusted-launch", "block", "Trusted Launch needs a Gen2 size", source=SRC_TRUSTED_LAUNCH,
      fields=("security_type",), needs_facts=True, catalogue="B3 #21")
def trusted_launch_size(spec: VmSpec, facts: VmFacts) -> Issues:
    size = _size(spec, facts)
    if spec.security_type != "TrustedLaunch" or size is None:
        return
    why = ("has Trusted Launch disabled (TrustedLaunchDisabled)" if size.trusted_launch_disabled
           else "supports only Generation 1 VMs" if not size.supports_gen2 else "")
    if why:
        yield (f"{size.name} {why}, so Azure would refuse it: \"The VM size '{size.name}' is not supported for "
               "creation of VMs and Virtual Machine Scale Set with 'TrustedLaunch' security type.\" Pick a size "
               "with Generation 2 and Trusted Launch support, or choose Standard security.")


@rule("vm-trusted-launch-image", "block", "Trusted Launch needs a Gen2 image", source=SRC_TRUSTED_LAUNCH,
      fields=("image",), catalogue="B3 #21")
def trusted_launch_image(spec: VmSpec, facts: VmFacts) -> Issues:
    gens = _image_generations(spec, facts)
    if spec.security_type == "TrustedLaunch" and gens is not None and "V2" not in gens:
        yield (f"The image {_image_label(spec)} is Generation 1, and Trusted Launch needs a Generation 2 image; "
               "Azure would answer BadRequest (\"Use of TrustedLaunch setting is not supported for the provided "
               "image\"). Pick the image's Gen2 SKU (e.g. '-gen2') or choose Standard security.")


@rule("vm-image-generation", "block", "Size boots the image's generation", source=SRC_GEN2, fields=("image",),
      needs_facts=True, catalogue="B3 #21")
def image_generation(spec: VmSpec, facts: VmFacts) -> Issues:
    size = _size(spec, facts)
    gens = _image_generations(spec, facts)
    if size is None or gens is None or spec.security_type == "TrustedLaunch":
        return  # with Trusted Launch, vm-trusted-launch* already explain the generation
    if not set(gens) & set(size.hyperv_generations):
        image_gen, size_gens = "/".join(gens), "/".join(size.hyperv_generations)
        yield (f"{size.name} boots only Hyper-V generation {size_gens}, but {_image_label(spec)} is generation "
               f"{image_gen}; Azure would answer BadRequest (\"cannot boot Hypervisor Generation\"). Pick a "
               "matching image SKU or another size.")


@rule("vm-image-architecture", "block", "CPU architecture of size and image", source=SRC_SIZES, fields=("image",),
      needs_facts=True, catalogue="B3")
def image_architecture(spec: VmSpec, facts: VmFacts) -> Issues:
    size = _size(spec, facts)
    arch = _image_architecture(spec, facts)
    if size is None or arch is None or arch.lower() == size.architecture.lower():
        return
    yield (f"{_image_label(spec)} is built for {arch} but {size.name} has {size.architecture} CPUs; Azure would "
           f"answer BadRequest. Pick an {size.architecture} image or an {arch} size"
           f"{' (Standard_*p* sizes are Arm64)' if arch == 'Arm64' else ''}.")


@rule("vm-accelerated-networking", "block", "Accelerated networking supported", source=SRC_ACCEL,
      fields=("accelerated_networking",), needs_facts=True, catalogue="B3")
def accelerated_networking(spec: VmSpec, facts: VmFacts) -> Issues:
    size = _size(spec, facts)
    if spec.accelerated_networking and size is not None and not size.accelerated_networking:
        yield (f"{size.name} does not support accelerated networking; Azure would refuse the VM "
               "(VMSizeIsNotPermittedToEnableAcceleratedNetworking). Turn it off or pick a size that supports it.")


@rule("vm-b-series", "info", "Burstable B-series", source=SRC_B_SERIES, fields=("size",), catalogue="B3")
def b_series(spec: VmSpec, facts: VmFacts) -> Issues:
    name = spec.size.partition("_")[2] or spec.size
    if re.match(r"^B\d", name):
        # The notes: "The B-series is fine for e.g. smaller web hosting servers."
        yield (f"{spec.size} is a burstable B-series size: fine for small web servers, which idle most of the time. "
               "It earns CPU credits while idle and is throttled to its baseline when they run out; pick a D-series "
               "size for steady CPU load.")


# Azure Spot: "The following VM sizes are not supported for Azure Spot Virtual Machines: B-series; Promo versions of
# any size" (spot-vms#limitations); max price "-1 or a decimal greater than zero" (MaxPriceValueInvalid, in US
# dollars "using up to five decimal places": spot-vms#pricing); with eviction policy Delete "the evicted VMs are
# deleted together with their underlying disks"; Deallocate leaves them "stopped-deallocated", their disks billed
# (spot-vms#eviction-policy).
SRC_SPOT = f"{LEARN}/virtual-machines/spot-vms"
SRC_SPOT_ERRORS = f"{LEARN}/virtual-machines/error-codes-spot"


@rule("vm-spot", "block", "Spot VM", source=SRC_SPOT, fields=("priority", "max_price", "eviction_policy"),
      catalogue="B3")
def spot(spec: VmSpec, facts: VmFacts) -> Issues:
    if spec.priority != "Spot":
        return
    name = spec.size.partition("_")[2] or spec.size
    if re.match(r"^B\d", name) or name.lower().endswith("_promo"):
        kind = "a B-series" if re.match(r"^B\d", name) else "a Promo"
        yield Issue(f"{spec.size} is {kind} size, which can't run as a Spot VM; Azure would answer "
                    "VariablePricingIsNotSupportedForThisVMSize. Pick another size (e.g. Standard_D2s_v5), or "
                    "Regular priority.", "size")
    price = spec.max_price
    if price != -1 and (price <= 0 or round(price, 5) != price):
        yield Issue(f"The max price {price:g} is not -1 or a price above 0 in US dollars with at most 5 decimals; "
                    "Azure would answer MaxPriceValueInvalid. Use -1 to pay at most the pay-as-you-go price and "
                    "never be evicted for price.", "max_price")
    kept = [what for what, keep in (("OS disk", not spec.os_disk.delete_with_vm),
                                    ("data disk", spec.data_disk is not None and not spec.data_disk.delete_with_vm))
            if keep]
    if spec.eviction_policy == "Delete" and kept:
        yield Issue(f"With eviction policy Delete an eviction deletes the VM together with its disks, also the "
                    f"{' and '.join(kept)} set to be kept when the VM is deleted. Use Deallocate to keep them.",
                    "eviction_policy", "warn")
    elif spec.eviction_policy == "Deallocate":
        yield Issue("An evicted Spot VM is deallocated: it doesn't restart by itself, and its disks stay and are "
                    "billed until you start or delete it.", "eviction_policy", "info")


# --------------------------------------------------------------------------------------------------
# B4. Virtual network and IPv6.

_PRIVATE4 = [ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
# Address ranges Azure refuses in a virtual network (virtual-networks-faq: multicast, broadcast, loopback,
# link-local, and the platform's internal DNS/health address).
_RESERVED4 = [ipaddress.IPv4Network(n) for n in ("224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8",
                                                  "169.254.0.0/16", "168.63.129.16/32")]
_ULA = ipaddress.IPv6Network("fd00::/8")


def _strict_v4(text: str, what: str) -> ipaddress.IPv4Network | str:
    """The IPv4 network, or the reason the text is not a valid CIDR as Azure reads it."""
    net = _net(text)
    if net is None or "/" not in text:
        return f"The {what} '{text}' is not an IPv4 CIDR prefix like 10.0.0.0/16 (InvalidAddressPrefixFormat)."
    if not isinstance(net, ipaddress.IPv4Network):
        return f"The {what} '{text}' is an IPv6 prefix; this field takes the IPv4 prefix."
    if str(net.network_address) != text.strip().partition("/")[0]:
        return f"The {what} '{text}' has host bits set; for /{net.prefixlen} Azure wants {net} (InvalidCIDRNotation)."
    return net


@rule("vm-vnet-ipv4-space", "block", "IPv4 address space", source=SRC_VNET_FAQ, fields=("network.ipv4_space",),
      catalogue="B4 #23")
def vnet_ipv4_space(spec: VmSpec, facts: VmFacts) -> Issues:
    net = _strict_v4(spec.network.ipv4_space, "IPv4 address space")
    if isinstance(net, str):
        yield net
        return
    if any(net.overlaps(r) for r in _RESERVED4):
        yield (f"{net} overlaps a range Azure reserves (multicast 224.0.0.0/4, loopback 127.0.0.0/8, link-local "
               "169.254.0.0/16, broadcast, 168.63.129.16); use a private range such as 10.0.0.0/16.")
    elif net.prefixlen > 29:
        yield f"{net} is too small: an Azure virtual network needs at least a /29. Use e.g. a /16."
    elif not any(net.subnet_of(p) for p in _PRIVATE4):
        # Azure accepts public ranges in a VNet (virtual-networks-faq), the catalogue asks for RFC 1918:
        # warn, since the VM could then no longer reach the real owners of those addresses.
        yield Issue(f"{net} is not a private (RFC 1918) range; Azure accepts it, but the VM could no longer reach "
                    "the internet hosts that really own those addresses. Use 10.0.0.0/8, 172.16.0.0/12 or "
                    "192.168.0.0/16 space.", severity="warn")


@rule("vm-subnet-ipv4", "block", "IPv4 subnet inside the space", source=SRC_DUAL_STACK,
      fields=("network.subnet_ipv4",), catalogue="B4 #23")
def subnet_ipv4(spec: VmSpec, facts: VmFacts) -> Issues:
    space = _net(spec.network.ipv4_space)
    text = _resolved_subnet_ipv4(spec)
    if not text:
        if isinstance(space, ipaddress.IPv4Network):
            yield (f"The default subnet is the first /24 of the address space, but {space} is smaller than a /24. "
                   "Set the subnet explicitly (at least a /29 inside the space).")
        return
    net = _strict_v4(text, "IPv4 subnet")
    if isinstance(net, str):
        yield net
        return
    if net.prefixlen > 29:
        yield f"The subnet {net} is too small: Azure subnets need at least a /29 (Azure reserves 5 addresses)."
    elif isinstance(space, ipaddress.IPv4Network) and not net.subnet_of(space):
        example = first_subnet(str(space), max(24, space.prefixlen))  # its first /24, or the whole space
        yield (f"The subnet {net} lies outside the address space {space}; Azure would answer "
               f"NetcfgSubnetRangeOutsideVnet. Use a subnet of {space}, e.g. {example}.")


@rule("vm-vnet-ipv6-space", "block", "IPv6 address space (ULA /48)", source=SRC_IPV6,
      fields=("network.ipv6_space",), catalogue="B4 #24")
def vnet_ipv6_space(spec: VmSpec, facts: VmFacts) -> Issues:
    text = spec.network.ipv6_space
    net = _net(text)
    if not isinstance(net, ipaddress.IPv6Network):
        yield (f"The IPv6 address space '{text}' is not an IPv6 CIDR prefix like fd12:3456:789a::/48 "
               "(InvalidAddressPrefixFormat).")
        return
    if str(net.network_address) != str(ipaddress.IPv6Address(text.strip().partition("/")[0])):
        yield f"The IPv6 address space '{text}' has host bits set; Azure wants {net} (InvalidCIDRNotation)."
        return
    if net.prefixlen > 64:
        yield f"The IPv6 address space {net} is smaller than a /64, so it can't hold the /64 subnet Azure requires."
        return
    # Sizes and ranges other than a ULA /48 work; the notes pick a random ULA /48, so only warn.
    if not net.subnet_of(_ULA):
        yield Issue(f"{net} is not a unique local (fd00::/8) prefix. Private VNet space should be a random ULA /48 "
                    "(RFC 4193, e.g. from the 'random' button) so it never clashes with real addresses.",
                    severity="warn")
    elif net.prefixlen != 48:
        yield Issue(f"{net} is a /{net.prefixlen}; the usual VNet IPv6 space is a /48 (room for 65536 /64 subnets).",
                    severity="warn")


@rule("vm-ipv6-canonical", "block", "IPv6 written zero-compressed", source=SRC_HON95,
      fields=("network.ipv6_space", "network.subnet_ipv6"), catalogue="B4 #24")
def ipv6_canonical(spec: VmSpec, facts: VmFacts) -> Issues:
    # The catalogue blocks on this (HON95: "Remove any leading zeroes ... Azure doesn't like zeroes"). The API
    # itself may accept such text (the simulator does), but the canonical form costs nothing and is what the
    # portal and the notes want, so azwizard insists on it.
    net = spec.network
    for fld, text in (("network.ipv6_space", net.ipv6_space), ("network.subnet_ipv6", net.subnet_ipv6)):
        if isinstance(_net(text), ipaddress.IPv6Network):
            addr, _, plen = text.strip().partition("/")
            canonical = f"{ipaddress.IPv6Address(addr).compressed}/{plen}"
            if text.strip().lower() != canonical:
                yield Issue(f"Write '{text}' zero-compressed, without leading zeroes, as '{canonical}': Azure doesn't "
                            "like zeroes (the notes).", fld)


@rule("vm-subnet-ipv6-64", "block", "IPv6 subnet is exactly /64", source=SRC_IPV6, fields=("network.subnet_ipv6",),
      catalogue="B4 #25")
def subnet_ipv6_64(spec: VmSpec, facts: VmFacts) -> Issues:
    text = _resolved_subnet_ipv6(spec)
    net = _net(text) if text else None
    if text and not isinstance(net, ipaddress.IPv6Network):
        yield f"The IPv6 subnet '{text}' is not an IPv6 CIDR prefix like fd12:3456:789a::/64."
    elif isinstance(net, ipaddress.IPv6Network) and net.prefixlen != 64:
        example = ipaddress.ip_network((net.network_address, 64), strict=False)  # the /64 it starts
        yield (f"The IPv6 subnet {text} is a /{net.prefixlen}, but Azure IPv6 subnets must be exactly /64 "
               f"(ipv6-overview); the subnet would be rejected. Use {example}.")


@rule("vm-subnet-ipv6-inside", "block", "IPv6 subnet inside the space", source=SRC_DUAL_STACK,
      fields=("network.subnet_ipv6",), catalogue="B4 #23, #25")
def subnet_ipv6_inside(spec: VmSpec, facts: VmFacts) -> Issues:
    space = _net(spec.network.ipv6_space)
    net = _net(_resolved_subnet_ipv6(spec))
    if (isinstance(space, ipaddress.IPv6Network) and isinstance(net, ipaddress.IPv6Network)
            and not net.subnet_of(space)):
        yield (f"The IPv6 subnet {net} lies outside the IPv6 address space {space}; Azure would answer "
               f"NetcfgSubnetRangeOutsideVnet. Use a /64 of {space}, e.g. "
               f"{first_subnet(str(space), 64) if space.prefixlen <= 64 else space}.")


@rule("vm-dual-stack-nic", "info", "Dual-stack NIC without a load balancer", source=SRC_DUAL_STACK,
      fields=("names.nic",), catalogue="B4 #27, #28, #29")
def dual_stack_nic(spec: VmSpec, facts: VmFacts) -> Issues:
    # The plan always builds the NIC this way (no spec field can break #27/#28), so this only explains it,
    # once the IPv6 side is valid enough to be built at all.
    if not isinstance(_net(_resolved_subnet_ipv6(spec)), ipaddress.IPv6Network):
        return
    n = spec.names
    yield (f"{n.nic} gets two IP configurations: ipconfig1 (IPv4, primary, with {n.public_ipv4}) and ipconfig2 "
           f"(IPv6, with {n.public_ipv6}); Azure requires the IPv4 one to be primary and each public IP to match its "
           "configuration's IP version. No load balancer is needed for a dual-stack VM.")


# --------------------------------------------------------------------------------------------------
# B5. Public IPs and NAT gateway.


@rule("vm-pip-sku", "block", "Standard public IPs", source=SRC_BASIC_PIP, fields=("public_ip.sku",),
      catalogue="B5 #30")
def pip_sku(spec: VmSpec, facts: VmFacts) -> Issues:
    sku = spec.public_ip.sku
    if sku == "Standard":
        return
    if sku.lower() == "basic":
        code = "ZonesNotAllowedInBasicSkuResource" if spec.public_ip.zones else "BasicSkuPublicIpCountLimitReached"
        yield (f"Basic public IPs were retired on 30 September 2025 and can't be zonal; Azure would refuse them "
               f"({code}). Use the Standard SKU.")
    elif sku == "StandardV2":
        yield ("StandardV2 public IPs only work with a StandardV2 NAT gateway, not on a VM's network interface. Use "
               "the Standard SKU.")
    else:
        yield f"'{sku}' is not a public IP SKU. Use Standard."


@rule("vm-pip-static", "block", "Static allocation", source=f"{SRC_PIP}#sku", fields=("public_ip.allocation",),
      catalogue="B5 #31")
def pip_static(spec: VmSpec, facts: VmFacts) -> Issues:
    alloc = spec.public_ip.allocation
    if alloc == "Static" or spec.public_ip.sku.lower() == "basic":
        return
    yield (f"Standard public IPs must be Static; with '{alloc}' Azure would answer "
           "StandardSkuPublicIPAddressesMustBeStatic. Use Static (the address then never changes, which DNS "
           "records need anyway).")


@rule("vm-pip-idle-timeout", "block", "Public IP idle timeout", source=SRC_PIP,
      fields=("public_ip.idle_timeout_minutes",), catalogue="B5")
def pip_idle_timeout(spec: VmSpec, facts: VmFacts) -> Issues:
    t = spec.public_ip.idle_timeout_minutes
    allowed = VM_FIELDS.spec("public_ip.idle_timeout_minutes").range
    assert allowed is not None  # fields/vm.py gives the field its range (4, 30)
    lo, hi = allowed
    if not lo <= t <= hi:
        yield f"The public IP TCP idle timeout is {t} minutes; Azure allows {lo}-{hi}."


@rule("vm-pip-zone-redundant", "warn", "Zone-redundant public IPs", source=SRC_ZONE_BEHAVIOR,
      fields=("public_ip.zones",), catalogue="B5 #32")
def pip_zone_redundant(spec: VmSpec, facts: VmFacts) -> Issues:
    region = _region_zones(spec, facts)
    zones = spec.public_ip.zones
    if not region:
        return  # unknown, or vm-region-zones covers a region without zones
    unknown = [z for z in zones if z not in region]
    if unknown:
        yield Issue(f"{_loc(spec)} has zones {_zones_text(region)}; {', '.join(unknown)} is not one of them. Use "
                    "zones 1, 2, 3 (zone-redundant).", severity="block")
    elif set(zones) != set(region):
        # API >= 2020-08-01: no zones = non-zonal, one zone = zonal; only all zones is zone-redundant.
        what = "no zones (non-zonal)" if not zones else f"zone {_zones_text(zones)} only"
        yield (f"The public IPs would have {what}, so a zone outage can take the addresses down; the notes use "
               f"zone-redundant IPs. Choose zones {_zones_text(region)}. (This can't be changed later: a public IP's "
               "zones are fixed at creation.)")


@rule("vm-zone-pip-match", "block", "Zonal VM and public IP zones", source=SRC_ZONE_MATCH,
      fields=("zone",), catalogue="B5 #33")
def zone_pip_match(spec: VmSpec, facts: VmFacts) -> Issues:
    zone, pip_zones = spec.zone, spec.public_ip.zones
    region = _region_zones(spec, facts)
    if not zone or region == () or zone in pip_zones:
        return  # same zone or zone-redundant: fine
    constraint = f"zone {_zones_text(pip_zones)}" if pip_zones else "no zone (Regional)"
    yield (f"The VM is pinned to zone {zone} but its public IPs have {constraint}; Azure would refuse the VM "
           f"(\"has a zone constraint {zone} but the PublicIPAddress ... has a different zone constraint\"). Make "
           f"the public IPs zone-redundant (1, 2, 3) or put them in zone {zone}.")


@rule("vm-nat-gateway", "warn", "NAT gateway limits", source=SRC_NAT_ZONES, fields=("nat_gateway.enabled",),
      catalogue="B5 #34")
def nat_gateway(spec: VmSpec, facts: VmFacts) -> Issues:
    nat = spec.nat_gateway
    if not nat.enabled:
        return
    if nat.sku not in ("Standard", "StandardV2"):
        yield Issue(f"'{nat.sku}' is not a NAT gateway SKU; use Standard.", "nat_gateway.sku", "block")
    if nat.sku == "StandardV2" and spec.public_ip.sku != "StandardV2":
        # The plan gives the NAT gateway's public IP the same SKU as the VM's (public_ip.sku).
        yield Issue("A StandardV2 NAT gateway needs a StandardV2 public IP, but the plan's public IPs are "
                    f"{spec.public_ip.sku}. Use the Standard NAT gateway.", "nat_gateway.sku", "block")
    if not 4 <= nat.idle_timeout_minutes <= 120:
        yield Issue(f"The NAT gateway TCP idle timeout is {nat.idle_timeout_minutes} minutes; Azure allows 4-120.",
                    "nat_gateway.idle_timeout_minutes", "block")
    if nat.sku == "Standard" and len(nat.zones) > 1:
        yield Issue(f"A Standard NAT gateway is zonal or non-zonal, never zone-redundant, but zones "
                    f"{_zones_text(nat.zones)} were chosen; Azure would refuse it. Choose one zone or none.",
                    "nat_gateway.zones", "block")
    if nat.sku == "Standard":
        region = _region_zones(spec, facts)
        redundant = bool(region) and set(spec.public_ip.zones) == set(region or ())
        tail = (" The VM's public IPs are zone-redundant but the NAT gateway can't be, so outbound IPv4 depends on "
                f"{'zone ' + nat.zones[0] if nat.zones else 'the one zone Azure places it in'}." if redundant else "")
        if spec.zone and nat.zones and spec.zone not in nat.zones:
            tail += f" The VM is in zone {spec.zone} but the NAT gateway in zone {nat.zones[0]}."
        yield ("A Standard NAT gateway handles outbound IPv4 only: the VM's outbound IPv6 keeps using its public IPv6 "
               "address (the StandardV2 NAT gateway, with IPv6 and zone redundancy, is the alternative)." + tail)


@rule("vm-nat-outbound", "info", "NAT gateway and instance public IPs", source=SRC_NAT, fields=("nat_gateway.enabled",),
      catalogue="B5 #35")
def nat_outbound(spec: VmSpec, facts: VmFacts) -> Issues:
    if spec.nat_gateway.enabled:
        n = spec.names
        yield (f"With the NAT gateway, outbound IPv4 connections leave through {n.nat_public_ipv4}, while inbound "
               f"connections still reach the VM on {n.public_ipv4} and {n.public_ipv6}; DNS records keep pointing at "
               "the VM's own addresses.")


# --------------------------------------------------------------------------------------------------
# B6. Network security group.

_SERVICE_TAG = re.compile(r"^[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$")
_PORT = re.compile(r"^\d{1,5}(?:-\d{1,5})?$")
_PROTOCOLS = ("Tcp", "Udp", "Icmp", "Esp", "Ah", "*")


def _source_family(source: str) -> int | None:
    """4 or 6 for an address or CIDR, 0 for '*' or a service tag, None if Azure would reject it."""
    if source == "*" or _SERVICE_TAG.match(source):
        return 0
    try:
        return ipaddress.ip_network(source, strict=True).version
    except ValueError:
        return None


@rule("vm-nsg-priority", "block", "NSG rule priorities", source=f"{SRC_NSG}#security-rules", fields=("nsg_rules",),
      catalogue="B6 #36")
def nsg_priority(spec: VmSpec, facts: VmFacts) -> Issues:
    seen: dict[tuple[str, int], str] = {}
    for r in spec.nsg_rules:
        if not 100 <= r.priority <= 4096:
            yield (f"Rule {r.name} has priority {r.priority}; custom rules use 100-4096 (lower wins, 65000+ are "
                   "Azure's defaults). Azure would answer SecurityRuleInvalidPriority.")
            continue
        other = seen.get((r.direction, r.priority))
        if other is not None:
            yield (f"Rules {other} and {r.name} both have priority {r.priority} ({r.direction}); Azure would answer "
                   "SecurityRuleConflict (\"Rules cannot have the same Priority and Direction\"). Give one another "
                   "priority.")
        seen.setdefault((r.direction, r.priority), r.name)


@rule("vm-nsg-rule-syntax", "block", "NSG rule ports and fields", source=f"{SRC_NSG}#security-rules",
      fields=("nsg_rules",), catalogue="B6")
def nsg_rule_syntax(spec: VmSpec, facts: VmFacts) -> Issues:
    for r in spec.nsg_rules:
        if r.protocol not in _PROTOCOLS:
            yield f"Rule {r.name} has protocol '{r.protocol}'; use TCP, UDP, ICMP or Any."
        if r.direction not in ("Inbound", "Outbound") or r.access not in ("Allow", "Deny"):
            yield f"Rule {r.name} needs direction Inbound/Outbound and action Allow/Deny."
        if not r.destination_ports:
            yield f"Rule {r.name} has no destination port; use '*' for any port."
        for p in r.destination_ports:
            lo, _, hi = p.partition("-")
            if p != "*" and not (_PORT.match(p) and int(lo) <= 65535 and int(hi or lo) <= 65535
                                 and int(lo) <= int(hi or lo)):
                yield (f"Rule {r.name} has the port '{p}'; Azure wants a number or range within 0-65535 such as 22 "
                       "or 8000-8080, or '*' (SecurityRuleInvalidPortRange).")
        if len(r.description) > 140:
            yield f"Rule {r.name} has a {len(r.description)}-character description; Azure allows 140."


@rule("vm-nsg-source", "block", "NSG rule source", source=f"{SRC_NSG}#security-rules", fields=("nsg_rules",),
      catalogue="B6 #37")
def nsg_source(spec: VmSpec, facts: VmFacts) -> Issues:
    for r in spec.nsg_rules:
        if _source_family(r.source) is None:
            net = _net(r.source)
            hint = f" (for that prefix Azure wants {net})" if net is not None else ""
            yield (f"Rule {r.name} has the source '{r.source}', which Azure would reject "
                   f"(SecurityRuleInvalidAddressPrefix){hint}. Use '*', a service tag such as Internet, or an "
                   "address/CIDR.")


@rule("vm-nsg-address-family", "info", "One address family per rule", source=SRC_IPV6, fields=("nsg_rules",),
      catalogue="B6 #37")
def nsg_address_family(spec: VmSpec, facts: VmFacts) -> Issues:
    # A rule can't mix IPv4 and IPv6 prefixes; a rule whose source is one family admits only that family.
    for r in spec.nsg_rules:
        fam = _source_family(r.source)
        if r.direction == "Inbound" and r.access == "Allow" and r.protocol != "Icmp" and fam in (4, 6):
            other = "IPv6" if fam == 4 else "IPv4"
            yield (f"Rule {r.name} only admits the IPv{fam} source {r.source}, so {other} connections to the VM's "
                   f"public {other} address are not allowed by it. A rule can't mix IPv4 and IPv6 prefixes: add a "
                   f"second rule with your {other} prefix if you need it.")


@rule("vm-nsg-icmpv6", "warn", "NSGs don't filter ICMPv6", source=SRC_IPV6, fields=("nsg_rules",),
      catalogue="B6 #38")
def nsg_icmpv6(spec: VmSpec, facts: VmFacts) -> Issues:
    if "1280" in spec.custom_data:
        return  # the user already lowers the MTU
    icmp = next((r for r in spec.nsg_rules if r.protocol == "Icmp"), None)
    start = (f"Rule {icmp.name} allows ICMP for IPv4 only. " if icmp is not None else "")
    yield (start + "Network security groups can't filter ICMPv6, so the VM can't be pinged over IPv6 and path MTU "
           "discovery over IPv6 breaks. Lowering the NIC MTU to 1280 (the IPv6 minimum) avoids most of the trouble; "
           "e.g. add to the cloud-init custom data: `#cloud-config` with `runcmd: [[ip, link, set, dev, eth0, mtu, "
           "'1280']]`.")


@rule("vm-nsg-on-subnet", "info", "NSG on the subnet, none on the NIC", source=SRC_NSG, fields=("names.nsg",),
      catalogue="B6 #39")
def nsg_on_subnet(spec: VmSpec, facts: VmFacts) -> Issues:
    # Catalogue W for a design with NSGs on both subnet and NIC; azwizard never does that, so this only explains
    # it, when there is an inbound rule to explain.
    if not any(r.direction == "Inbound" and r.access == "Allow" for r in spec.nsg_rules):
        return
    yield (f"{spec.names.nsg} is attached to the subnet {spec.names.subnet}, and the network interface gets no NSG of "
           "its own: one set of rules applies, so an open port here is really open (two NSGs would both have to "
           "allow it).")


@rule("vm-nsg-ssh-open", "warn", "SSH open to the internet", source=SRC_SSH_PORTAL, fields=("nsg_rules",),
      catalogue="B6 #40")
def nsg_ssh_open(spec: VmSpec, facts: VmFacts) -> Issues:
    for r in spec.nsg_rules:
        if _allows_ssh(r) and r.source.lower() in _ANYWHERE:
            mine = f"your public IP {facts.my_public_ipv4}" if facts.my_public_ipv4 else "your public IP address"
            yield (f"Rule {r.name} lets anyone on the internet try to log in over SSH (port 22, source '{r.source}'); "
                   f"the portal recommends this only for testing. Use my public IP: restrict the source to {mine}.")


@rule("vm-nsg-no-ssh", "warn", "No way in over SSH", source=SRC_SSH_PORTAL, fields=("nsg_rules",), catalogue="B6")
def nsg_no_ssh(spec: VmSpec, facts: VmFacts) -> Issues:
    if not any(_allows_ssh(r) for r in spec.nsg_rules):
        yield ("No inbound rule allows SSH (TCP 22), so you won't be able to log in with your key until you add one "
               "(the NSG's default rules deny inbound internet traffic).")


# --------------------------------------------------------------------------------------------------
# B7. Disks, custom data, cloud-init.

_DISK_SKUS = VM_FIELDS.spec("os_disk.sku").known  # the managed disk types Azure knows (azwizard/fields/vm.py)
_DATA_ONLY = ("PremiumV2_LRS", "UltraSSD_LRS")


@rule("vm-disk-sku", "block", "Disk types allowed for the size", source=SRC_DISKS, fields=("os_disk.sku",),
      catalogue="B7 #41")
def disk_sku(spec: VmSpec, facts: VmFacts) -> Issues:
    size = _size(spec, facts)
    region = _region_zones(spec, facts)
    disks = [("os_disk.sku", "OS disk", spec.os_disk.sku)]
    if spec.data_disk is not None:
        disks.append(("data_disk.sku", "data disk", spec.data_disk.sku))
    for fld, what, sku in disks:
        if sku not in _DISK_SKUS:
            yield Issue(f"'{sku}' is not a managed disk type; use StandardSSD_LRS (the notes' choice), Premium_LRS "
                        "or Standard_LRS.", fld)
            continue
        if sku == "UltraSSD_LRS" or (what == "OS disk" and sku in _DATA_ONLY):
            yield Issue(f"{sku} can't be used {'as an OS disk' if what == 'OS disk' else 'here'}: Ultra disks need "
                        "Ultra compatibility on the VM and Premium SSD v2 only works as a data disk. Use "
                        "StandardSSD_LRS or Premium_LRS.", fld)
            continue
        if sku.startswith("Premium") and size is not None and not size.premium_io:
            yield Issue(f"{size.name} doesn't support Premium storage (PremiumIO), so the {what} can't be {sku}; "
                        "Azure would answer InvalidParameter. Use StandardSSD_LRS, or an 's' size such as "
                        "Standard_D2s_v5.", fld)
        if sku.endswith("_ZRS") and region == ():
            # ZRS disks exist only in regions with availability zones (disks-redundancy); not verified as a
            # rejection code, so warn.
            yield Issue(f"{sku} (zone-redundant) disks are only offered in regions with availability zones, and "
                        f"{_loc(spec)} has none. Use the _LRS variant.", fld, "warn")


@rule("vm-disk-size", "block", "Disk sizes", source=SRC_DISKS, fields=("os_disk.size_gb",), catalogue="B7")
def disk_size(spec: VmSpec, facts: VmFacts) -> Issues:
    os_size = spec.os_disk.size_gb
    if os_size is not None and os_size <= 0:
        yield Issue(f"The OS disk size {os_size} GiB is not a size; leave it empty to use the image's size.")
    elif os_size is not None and os_size < 30:
        # The Linux marketplace images azwizard offers are 30 GiB; CRP refuses an OS disk smaller than the image.
        yield Issue(f"The OS disk is {os_size} GiB, smaller than the image's disk (30 GiB for the offered Linux "
                    "images); Azure refuses an OS disk smaller than its image. Leave the size empty or use 30 GiB "
                    "or more.",
                    severity="warn")
    if spec.data_disk is not None:
        size = spec.data_disk.size_gb
        if size is not None and not 1 <= size <= 32767:
            yield Issue(f"The data disk size {size} GiB is outside Azure's 1-32767 GiB.", "data_disk.size_gb")


@rule("vm-custom-data-size", "block", "Custom data size", source=SRC_CUSTOM_DATA, fields=("custom_data",),
      catalogue="B7 #45")
def custom_data_size(spec: VmSpec, facts: VmFacts) -> Issues:
    # The catalogue marks the 64 KB limit *verify*. It is verified: Azure answers 400 InvalidParameter "Custom
    # data in OSProfile must be in Base64 encoding and with a maximum length of 87380 characters."
    # (Azure/aks-engine docs, quoting the service), i.e. 65535 bytes before encoding; so this blocks.
    encoded = len(base64.b64encode(spec.custom_data.encode()))
    if encoded > 87380:
        yield (f"The custom data is {len(spec.custom_data.encode())} bytes ({encoded} characters in base64); Azure "
               "allows 87380 base64 characters (64 KB) and would answer InvalidParameter (\"Custom data in OSProfile "
               "must be in Base64 encoding and with a maximum length of 87380 characters\"). Shrink it, or have "
               "cloud-init download the rest.")


_CLOUD_INIT_STARTS = ("#cloud-config", "#!", "#include", "#cloud-boothook", "#part-handler", "#upstart-job",
                      "content-type: multipart", "## template: jinja")
_CLOUD_INIT_PUBLISHERS = ("debian", "canonical", "microsoftcblmariner", "redhat", "suse", "almalinux", "kinvolk")


@rule("vm-cloud-init", "info", "Cloud-init custom data", source=SRC_CLOUD_INIT, fields=("custom_data",),
      catalogue="B7 #45")
def cloud_init(spec: VmSpec, facts: VmFacts) -> Issues:
    data = spec.custom_data.lstrip()
    if not data:
        return
    if not data.lower().startswith(_CLOUD_INIT_STARTS):
        yield Issue("The custom data doesn't start with '#cloud-config' or '#!' (a script), so cloud-init would "
                    "ignore it. Start it with one of those lines.", severity="warn")
    if spec.image.publisher.lower() in _CLOUD_INIT_PUBLISHERS:
        yield f"{_image_label(spec)} runs cloud-init, which applies the custom data once, on the first boot."
    else:
        yield Issue(f"azwizard doesn't know whether {_image_label(spec)} runs cloud-init; if it doesn't, the custom "
                    "data is silently ignored.", severity="warn")


SRC_CLOUD_CONFIG = "https://cloudinit.readthedocs.io/en/latest/reference/user_data_formats.html#cloud-config-data"


@rule("vm-cloud-config-yaml", "warn", "cloud-config is valid YAML", source=SRC_CLOUD_CONFIG, fields=("custom_data",),
      catalogue="B7 #45")
def cloud_config_yaml(spec: VmSpec, facts: VmFacts) -> Issues:
    # Azure accepts any custom data; cloud-init reads '#cloud-config' data as YAML holding one mapping, and data it
    # cannot load is not applied (cloud-init only logs it: `cloud-init schema --system` shows it on the VM). So it
    # warns, with where the YAML goes wrong, before the first boot that cannot be repeated.
    import yaml

    data = spec.custom_data.lstrip()
    if not data.lower().startswith("#cloud-config"):
        return
    try:
        loaded = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        yield (f"The cloud-config is not valid YAML{where} ({problem}): cloud-init would not apply any of it. "
               "Fix the YAML (indent with spaces, quote values with ':' or '#').")
        return
    if loaded is not None and not isinstance(loaded, dict):
        yield (f"The cloud-config is YAML, but a {type(loaded).__name__} rather than keys and values (e.g. "
               "'packages: [nginx]'): cloud-init would not apply it.")


# --------------------------------------------------------------------------------------------------
# B8. Backup.


@rule("vm-backup-vault-region", "info", "Vault in the VM's region", source=SRC_BACKUP_PREPARE,
      fields=("backup.enabled",), catalogue="B8 #46")
def backup_vault_region(spec: VmSpec, facts: VmFacts) -> Issues:
    if spec.backup.enabled:
        yield (f"The Recovery Services vault {spec.names.vault} is created in {_loc(spec)}, the VM's region: Azure "
               "Backup protects a VM only from a vault in the same region.")


@rule("vm-backup-policy", "warn", "Backup policy for Trusted Launch", source=SRC_BACKUP_ENHANCED,
      fields=("backup.policy",), catalogue="B8 #47")
def backup_policy(spec: VmSpec, facts: VmFacts) -> Issues:
    if spec.backup.enabled and spec.security_type == "TrustedLaunch" and spec.backup_policy == "Standard":
        # Catalogue W: Standard was rejected for Trusted Launch until May 2025 and still blocks later changes.
        yield ("Trusted Launch VMs should be backed up with the Enhanced policy: Azure rejected the Standard policy "
               "for them until May 2025 (\"Trusted Launch Backup is supported using Enhanced policy\"), and "
               "Standard-policy protection still gets in the way of later security-type changes. Choose Enhanced "
               "(or auto, which picks it for Trusted Launch).")


@rule("vm-backup-soft-delete", "warn", "Soft delete slows cleanup", source=SRC_SOFT_DELETE,
      fields=("backup.enabled",), catalogue="B8 #48")
def backup_soft_delete(spec: VmSpec, facts: VmFacts) -> Issues:
    if spec.backup.enabled:
        yield (f"Backups in {spec.names.vault} are soft-deleted for 14 days: deleting the VM later means stopping "
               "protection and deleting the backup data first, and the vault (and its resource group) can't be "
               "deleted until the soft-deleted items are gone. azwizard's cleanup does these steps for you.")


# --------------------------------------------------------------------------------------------------
# Admin account.

# OSProfile.adminUsername "Disallowed values" (REST reference), plus "sa" (MicrosoftDocs/azure-docs#106743).
RESERVED_ADMIN_NAMES = frozenset({
    "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a",
    "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server",
    "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5", "sa",
})
# The az CLI's Linux check (azure-cli vm/_validators.py _validate_admin_username).
_LINUX_ADMIN_BAD = re.compile(r'[\\/"\[\]:|<>+=;,?*@#()!A-Z\s]')


@rule("vm-admin-username", "block", "Admin user name", source=SRC_OSPROFILE, fields=("admin_username",),
      catalogue="B2")
def admin_username(spec: VmSpec, facts: VmFacts) -> Issues:
    name = spec.admin_username
    if not name:
        yield "The admin user needs a name, e.g. azureuser."
    elif name.lower() in RESERVED_ADMIN_NAMES:
        yield (f"Azure doesn't allow '{name}' as the admin user name (\"The Admin Username specified is not "
               "allowed.\", InvalidParameter). Use another name, e.g. azureuser.")
    elif len(name) > 64:
        yield f"The admin user name is {len(name)} characters long; Linux VMs allow 1-64."
    elif _LINUX_ADMIN_BAD.search(name) or name[0] in "$-":
        yield (f"'{name}' can't be a Linux user name: no upper-case letters, spaces or \\/\"[]:|<>+=;,?*@#()!, and "
               "don't start with $ or - (the az CLI refuses it too). Use lower-case letters, digits, '-' and '_'.")


_SSH_TYPES = {
    "ssh-rsa": "ok", "ssh-ed25519": "ok",
    "ecdsa-sha2-nistp256": "unsupported", "ecdsa-sha2-nistp384": "unsupported", "ecdsa-sha2-nistp521": "unsupported",
    "sk-ssh-ed25519@openssh.com": "unsupported", "sk-ecdsa-sha2-nistp256@openssh.com": "unsupported",
    "ssh-dss": "refused",
}


def _ssh_strings(blob: bytes) -> list[bytes]:
    """The length-prefixed strings of an SSH wire blob (RFC 4253 §6.6)."""
    out: list[bytes] = []
    i = 0
    while i + 4 <= len(blob):
        n = int.from_bytes(blob[i:i + 4], "big")  # a length past the end leaves i past it: refused below
        out.append(blob[i + 4:i + 4 + n])
        i += 4 + n
    if i != len(blob):
        raise ValueError("truncated, or trailing bytes")
    return out


@rule("vm-ssh-key", "block", "SSH public key", source=SRC_SSH_KEYS, fields=("ssh_public_key",), catalogue="B2")
def ssh_key(spec: VmSpec, facts: VmFacts) -> Issues:
    text = spec.ssh_public_key.strip()
    if not text:
        yield ("The VM allows only SSH-key logins (no password), so it needs your SSH public key; without one Azure "
               "answers InvalidParameter (\"The value of parameter linuxConfiguration.ssh.publicKeys.keyData is "
               "invalid.\"). Paste the contents of ~/.ssh/id_ed25519.pub (create one with `ssh-keygen -t ed25519`).")
        return
    if is_private_key(text):
        yield ("This is a PRIVATE key: never share it. Paste the public key instead (the .pub file, one line "
               "starting with ssh-ed25519 or ssh-rsa).")
        return
    if text.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        yield ("This is an SSH2 (RFC 4716) public key; azwizard writes OpenSSH format to authorized_keys. Convert it "
               "with `ssh-keygen -i -f key.pub` and paste the one-line result.")
        return
    parts = text.split()
    kind = parts[0] if parts else ""
    if "\n" in text or len(parts) < 2 or kind not in _SSH_TYPES:
        yield ("This doesn't look like an OpenSSH public key: expected one line like 'ssh-ed25519 AAAAC3... "
               "me@laptop' (the contents of a .pub file).")
        return
    try:
        fields = _ssh_strings(base64.b64decode(parts[1], validate=True))
    except (binascii.Error, ValueError):
        yield "The key's base64 part is damaged (copy the whole .pub line again)."
        return
    if not fields or fields[0].decode(errors="replace") != kind:
        yield f"The key says '{kind}' but its data holds another key type; copy the whole .pub line again."
        return
    if kind == "ssh-rsa" and len(fields) < 3:  # its type, exponent and modulus (RFC 4253 §6.6)
        yield "The key's base64 part is damaged: the RSA key has no modulus (copy the whole .pub line again)."
        return
    if _SSH_TYPES[kind] == "refused":
        yield "DSA (ssh-dss) keys are not supported by Azure or by current OpenSSH. Use an Ed25519 or RSA key."
    elif _SSH_TYPES[kind] == "unsupported":
        # Azure documents RSA (>= 2048 bits) and Ed25519 only; others may still land in authorized_keys, so warn.
        yield Issue(f"Azure supports RSA and Ed25519 SSH keys; {kind} keys are not on its list. Use an Ed25519 key "
                    "(`ssh-keygen -t ed25519`).", severity="warn")
    elif kind == "ssh-rsa":
        bits = int.from_bytes(fields[2], "big").bit_length()
        if bits < 2048:
            # Documented minimum; the service's own rejection of short keys is unverified, so warn.
            yield Issue(f"This RSA key has {bits} bits; Azure requires at least 2048. Create a new key with "
                        "`ssh-keygen -t ed25519` (or `-t rsa -b 4096`).", severity="warn")


# --------------------------------------------------------------------------------------------------


# Rules that read only ``facts.subscription`` (regions, provider states, groups): they run without region
# facts, e.g. to tell that an unknown region is unknown.
SUBSCRIPTION_RULES = ("vm-providers-registered", "vm-region-known", "vm-region-access", "vm-group-locks",
                      "vm-resource-group-exists")


def check_vm(spec: VmSpec, facts: VmFacts) -> list[Finding]:
    """Every finding for ``spec``, most severe first. Rules that need live region facts are skipped (and
    listed in one warning) when ``facts.region`` is missing or describes another region; the subscription
    rules likewise when ``facts.subscription`` is missing."""
    findings = run_rules(VM_RULES.rules, spec, facts, have_facts=_region_facts(spec, facts) is not None)
    if facts.subscription is not None:
        return common.without_unreadable_region_note(findings, spec.location, facts.subscription)
    titles = "; ".join(VM_RULES.by_id(i).title for i in SUBSCRIPTION_RULES)
    old = next((f for f in findings if f.rule_id == "live-facts-unavailable"), None)
    if old is None:
        findings.append(Finding("live-facts-unavailable", "warn",
                                f"Live facts about the subscription could not be read, so these checks did not run: "
                                f"{titles}. Retry when the connection to Azure works.", "", SRC_LOCATIONS,
                                "Live checks"))
    else:
        merged = replace(old, message=old.message.replace(" did not run: ", f" did not run: {titles}; "))
        findings = [merged if f is old else f for f in findings]
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return findings
