"""The VM journey's pre-flight rules: each rule fires on the spec it is about (right id, severity, field and
message) and stays quiet on a good one. Facts come from the simulator's catalog data converted through the
same ``azwizard.facts`` parsers the live catalog uses."""

from __future__ import annotations

import base64
import dataclasses
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pytest

from azwizard.facts import (
    RegionFacts,
    SubscriptionFacts,
    Usage,
    region_from_wire,
    usages_from_wire,
    vm_sizes_from_wire,
)
from azwizard.locks import ScopeLock
from azwizard.rules.model import Finding
from azwizard.rules.vm import VM_RULES, VmFacts, check_vm
from azwizard.sim.catalog import locations, quotas, skus
from azwizard.specs.vm import (
    IMAGES,
    BackupSpec,
    DiskSpec,
    ImageRef,
    NatGatewaySpec,
    NetworkSpec,
    NsgRule,
    PublicIpSpec,
    VmNames,
    VmSpec,
    rules_for_purpose,
)

SUB = locations.SUBSCRIPTION_ID
MY_IP = "198.51.100.7"


def _ssh_string(b: bytes) -> bytes:
    return len(b).to_bytes(4, "big") + b


def ed25519_key() -> str:
    blob = _ssh_string(b"ssh-ed25519") + _ssh_string(bytes(range(32)))
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} me@laptop"


def rsa_key(bits: int) -> str:
    n = (1 << (bits - 1)) | 1
    blob = _ssh_string(b"ssh-rsa") + _ssh_string(b"\x01\x00\x01") + _ssh_string(b"\x00" + n.to_bytes(bits // 8, "big"))
    return f"ssh-rsa {base64.b64encode(blob).decode()} me@laptop"


def ecdsa_key() -> str:
    blob = _ssh_string(b"ecdsa-sha2-nistp256") + _ssh_string(b"nistp256") + _ssh_string(b"\x04" + bytes(64))
    return f"ecdsa-sha2-nistp256 {base64.b64encode(blob).decode()} me@laptop"


KEY = ed25519_key()


# ------------------------------------------------------------------------------------------------ facts


@cache
def region_facts(location: str) -> RegionFacts:
    """The simulator's catalog for a region, through the wire parsers (quotas unused: currentValue 0)."""
    regions = [region_from_wire(d) for d in locations.locations_payload(SUB)]
    region = next(r for r in regions if r is not None and r.name == location)
    return RegionFacts(
        region=region,
        vm_sizes=vm_sizes_from_wire(skus.resource_skus(location), location),
        compute_usages=usages_from_wire(quotas.compute_usages_payload(location)),
        network_usages=usages_from_wire(quotas.network_usages_payload(location, SUB)),
    )


def subscription_facts(groups: dict[str, str] | None = None,
                       providers: dict[str, str] | None = None) -> SubscriptionFacts:
    regions = (region_from_wire(d) for d in locations.locations_payload(SUB))
    states = {ns: "Registered" for ns in ("Microsoft.Compute", "Microsoft.Network", "Microsoft.RecoveryServices")}
    states.update(providers or {})
    return SubscriptionFacts(SUB, {r.name: r for r in regions if r is not None}, states, dict(groups or {}))


def good_facts(location: str = "norwayeast", **changes: Any) -> VmFacts:
    facts = VmFacts(subscription_facts(), region_facts(location), image_generations=("V2",),
                    image_architecture="x64", my_public_ipv4=MY_IP)
    return replace(facts, **changes) if changes else facts


def with_usage(rf: RegionFacts, kind: str, name: str, current: int) -> RegionFacts:
    table = dict(rf.compute_usages if kind == "compute" else rf.network_usages)
    u = table[name]
    table[name] = Usage(u.name, u.localized_name, current, u.limit)
    key = "compute_usages" if kind == "compute" else "network_usages"
    return dataclasses.replace(rf, **{key: table})


def good_spec(**changes: Any) -> VmSpec:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY)
    return spec.with_(**changes) if changes else spec


def names(**changes: str) -> VmNames:
    return replace(VmNames.derive("Yolo"), **changes)


def net(**changes: str) -> NetworkSpec:
    return NetworkSpec(ipv6_space="fd12:3456:789a::/48", **changes)


def nsg_rule(name: str = "Allow-X", priority: int = 200, ports: tuple[str, ...] = ("8080",), source: str = "*",
             **kw: Any) -> NsgRule:
    return NsgRule(name, priority, kw.pop("protocol", "Tcp"), ports, source, **kw)


def web_rules(*extra: NsgRule, source: str = "*") -> tuple[NsgRule, ...]:
    return rules_for_purpose("web", source) + extra


def ids(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def only(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


# ------------------------------------------------------------------------------------------------ cases


@dataclass(frozen=True)
class Case:
    """One spec/facts combination and what ``rule`` must say about it."""

    rule: str
    severity: str
    field: str
    text: str  # a key part of the message
    spec: Callable[[], VmSpec] = good_spec
    facts: Callable[[], VmFacts] = good_facts
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.label or self.severity}"


def _gen1_debian() -> VmSpec:
    return good_spec(image=ImageRef("Debian", "debian-12", "12", label="Debian 12 Gen1"))


FIRES: list[Case] = [
    # B1
    Case("vm-providers-registered", "warn", "", "az provider register --namespace Microsoft.Network",
         facts=lambda: good_facts(subscription=subscription_facts(providers={"Microsoft.Network": "NotRegistered"}))),
    Case("vm-providers-registered", "warn", "", "still registering", label="registering",
         facts=lambda: good_facts(subscription=subscription_facts(providers={"Microsoft.Compute": "Registering"}))),
    Case("vm-providers-registered", "warn", "", "Microsoft.RecoveryServices", label="backup",
         spec=lambda: good_spec(backup=BackupSpec(enabled=True)),
         facts=lambda: good_facts(subscription=subscription_facts(
             providers={"Microsoft.RecoveryServices": "NotRegistered"}))),
    Case("vm-region-known", "block", "location", "'marsnorth' is not offered",
         spec=lambda: good_spec(location="marsnorth")),
    Case("vm-region-early-access", "warn", "location", "Early Updates Access Program",
         spec=lambda: good_spec(location="eastus2euap"), facts=lambda: good_facts("eastus2euap")),
    Case("vm-region-access", "block", "location", "not available to this subscription",
         spec=lambda: good_spec(location="southafricawest"),
         facts=lambda: good_facts(subscription=replace(subscription_facts(), usable_regions=frozenset(
             {"norwayeast", "westeurope"})))),
    Case("vm-group-locks", "block", "names.resource_group", "ReadOnly lock 'freeze'",
         facts=lambda: good_facts(subscription=replace(subscription_facts(), locks=(ScopeLock(
             f"/subscriptions/{SUB}/resourceGroups/yolo-rg/providers/Microsoft.Authorization/locks/freeze", "freeze",
             "ReadOnly"),)))),
    Case("vm-group-locks", "warn", "names.resource_group", "cleanup cannot delete it", label="cannot-delete",
         facts=lambda: good_facts(subscription=replace(subscription_facts(), locks=(ScopeLock(
             f"/subscriptions/{SUB}/providers/Microsoft.Authorization/locks/keep", "keep", "CanNotDelete"),)))),
    Case("vm-region-zones", "block", "public_ip.zones", "LocationNotSupportAvailabilityZones",
         spec=lambda: good_spec(location="norwaywest"), facts=lambda: good_facts("norwaywest")),
    Case("vm-region-zones", "block", "zone", "pinned to zone 1", label="vm-zone",
         spec=lambda: good_spec(location="norwaywest", zone="1", public_ip=PublicIpSpec(zones=())),
         facts=lambda: good_facts("norwaywest")),
    Case("vm-region-zones", "block", "nat_gateway.zones", "NAT gateway asks for zone", label="nat",
         spec=lambda: good_spec(location="norwaywest", public_ip=PublicIpSpec(zones=()),
                                nat_gateway=NatGatewaySpec(enabled=True, zones=("1",))),
         facts=lambda: good_facts("norwaywest")),
    # B2
    Case("vm-name-resource-group", "block", "names.resource_group", "characters Azure does not allow",
         spec=lambda: good_spec(names=names(resource_group="Yolo!RG"))),
    Case("vm-name-resource-group", "block", "names.resource_group", "ends with a period", label="dot",
         spec=lambda: good_spec(names=names(resource_group="Yolo-RG."))),
    Case("vm-name-resource-group", "block", "names.resource_group", "at most 90", label="long",
         spec=lambda: good_spec(names=names(resource_group="r" * 91))),
    Case("vm-tags", "block", "extra_tags", "az reads such a word as an option",
         spec=lambda: good_spec(extra_tags=(("-n", "Evil"),))),
    Case("vm-tags", "block", "extra_tags", "does not allow in tag names", label="chars",
         spec=lambda: good_spec(extra_tags=(("a/b", "x"),))),
    Case("vm-tags", "block", "extra_tags", "at most 256", label="value",
         spec=lambda: good_spec(extra_tags=(("k", "v" * 257),))),
    Case("vm-tags", "block", "extra_tags", "at most 50", label="count",
         spec=lambda: good_spec(extra_tags=tuple((f"t{i}", "") for i in range(47)))),
    Case("vm-resource-group-exists", "block", "names.resource_group", "InvalidResourceGroupLocation",
         facts=lambda: good_facts(subscription=subscription_facts(groups={"yolo-rg": "westeurope"}))),
    Case("vm-resource-group-exists", "warn", "names.resource_group", "already exists in norwayeast",
         label="same-region",
         facts=lambda: good_facts(subscription=subscription_facts(groups={"yolo-rg": "norwayeast"}))),
    Case("vm-resource-group-exists", "block", "names.resource_group", "ResourceGroupNotFound", label="missing",
         spec=lambda: good_spec(use_existing_group=True)),
    Case("vm-name-network", "block", "names.vnet", "Azure allows 2-64",
         spec=lambda: good_spec(names=names(vnet="V"))),
    Case("vm-name-network", "block", "names.public_ipv4", "start with a letter or digit", label="pip",
         spec=lambda: good_spec(names=names(public_ipv4="-Yolo-IPv4"))),
    Case("vm-name-network", "block", "nsg_rules", "security rule name 'Allow SSH'", label="rule",
         spec=lambda: good_spec(nsg_rules=(nsg_rule("Allow SSH", 110, ("22",)),))),
    Case("vm-names-unique", "block", "names.public_ipv6", "would overwrite the first",
         spec=lambda: good_spec(names=names(public_ipv6="Yolo-IPv4"))),
    Case("vm-names-unique", "block", "nsg_rules", "DuplicateResourceName", label="rules",
         spec=lambda: good_spec(nsg_rules=web_rules(nsg_rule("allow-ssh", 300, ("2222",))))),
    Case("vm-name-vm", "block", "names.vm", "don't start with '_'", spec=lambda: good_spec(names=names(vm="_Yolo"))),
    Case("vm-name-vm", "block", "names.vm", "Azure allows 1-64", label="long",
         spec=lambda: good_spec(names=names(vm="v" * 65))),
    Case("vm-host-name", "block", "names.vm", "Linux host name cannot exceed 64 characters in length",
         spec=lambda: good_spec(names=names(vm="Yolo_VM"))),
    Case("vm-name-disks", "block", "names.os_disk", "OS disk name '-disk'",
         spec=lambda: good_spec(names=names(os_disk="-disk"))),
    Case("vm-name-disks", "block", "names.data_disk", "data disk name 'data.'", label="data",
         spec=lambda: good_spec(names=names(data_disk="data."), data_disk=DiskSpec(size_gb=64))),
    Case("vm-name-vault", "block", "names.vault", "starting with a letter",
         spec=lambda: good_spec(names=names(vault="1-RSV"), backup=BackupSpec(enabled=True))),
    Case("vm-admin-username", "block", "admin_username", "The Admin Username specified is not allowed",
         spec=lambda: good_spec(admin_username="Admin")),
    Case("vm-admin-username", "block", "admin_username", "no upper-case letters", label="pattern",
         spec=lambda: good_spec(admin_username="Bob")),
    Case("vm-admin-username", "block", "admin_username", "needs a name", label="empty",
         spec=lambda: good_spec(admin_username="")),
    Case("vm-ssh-key", "block", "ssh_public_key", "needs your SSH public key",
         spec=lambda: good_spec(ssh_public_key="")),
    Case("vm-ssh-key", "block", "ssh_public_key", "doesn't look like an OpenSSH public key", label="garbage",
         spec=lambda: good_spec(ssh_public_key="my key")),
    Case("vm-ssh-key", "block", "ssh_public_key", "base64 part is damaged", label="damaged",
         spec=lambda: good_spec(ssh_public_key="ssh-ed25519 AAAA!!!! me")),
    Case("vm-ssh-key", "block", "ssh_public_key", "PRIVATE key", label="private",
         spec=lambda: good_spec(ssh_public_key="-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END")),
    Case("vm-ssh-key", "warn", "ssh_public_key", "ecdsa-sha2-nistp256 keys are not on its list", label="ecdsa",
         spec=lambda: good_spec(ssh_public_key=ecdsa_key())),
    Case("vm-ssh-key", "warn", "ssh_public_key", "1024 bits", label="short-rsa",
         spec=lambda: good_spec(ssh_public_key=rsa_key(1024))),
    # B3
    Case("vm-size-available", "block", "size",
         "Standard_D2as_v5 is not available to this subscription in norwayeast (NotAvailableForSubscription)",
         spec=lambda: good_spec(size="Standard_D2as_v5")),
    Case("vm-size-available", "block", "size", "Standard_Nope is not offered in norwayeast", label="unknown",
         spec=lambda: good_spec(size="Standard_Nope")),
    Case("vm-size-zone", "block", "zone", "can't be placed in zone 2 of norwayeast",
         spec=lambda: good_spec(size="Standard_D8s_v5", zone="2")),
    Case("vm-size-zone", "block", "zone", "not zone 4", label="no-such-zone", spec=lambda: good_spec(zone="4")),
    Case("vm-quota-vcpus", "block", "size", "Current Limit: 10, Current Usage: 0, Additional Required: 16",
         spec=lambda: good_spec(location="westeurope", size="Standard_D16s_v5"),
         facts=lambda: good_facts("westeurope")),
    Case("vm-quota-vcpus", "block", "size", "Total Regional Cores", label="regional",
         spec=lambda: good_spec(location="norwaywest", size="Standard_D32s_v5", public_ip=PublicIpSpec(zones=())),
         facts=lambda: good_facts("norwaywest")),
    Case("vm-quota-vcpus", "block", "size", "gives this family no quota by default", label="zero",
         spec=lambda: good_spec(size="Standard_NC6s_v3")),
    Case("vm-quota-vcpus", "block", "size", "https://aka.ms/ProdportalCRP", label="in-use",
         facts=lambda: good_facts(region=with_usage(region_facts("norwayeast"), "compute", "standardBSFamily", 19))),
    Case("vm-quota-public-ips", "warn", "public_ip.sku", "only 1 of the 1000",
         facts=lambda: good_facts(region=with_usage(region_facts("norwayeast"), "network",
                                                     "StandardSkuPublicIpAddresses", 999))),
    Case("vm-trusted-launch", "block", "security_type", "supports only Generation 1 VMs",
         spec=lambda: good_spec(size="Standard_A2_v2")),
    Case("vm-trusted-launch", "block", "security_type", "TrustedLaunchDisabled", label="disabled",
         spec=lambda: good_spec(size="Standard_M8ms")),
    Case("vm-trusted-launch-image", "block", "image", "is Generation 1, and Trusted Launch needs",
         spec=_gen1_debian, facts=lambda: good_facts(image_generations=("V1",))),
    Case("vm-image-generation", "block", "image", "cannot boot Hypervisor Generation",
         spec=lambda: good_spec(size="Standard_A2_v2", security_type="Standard")),
    Case("vm-image-architecture", "block", "image", "built for Arm64 but Standard_B2s has x64 CPUs",
         spec=lambda: good_spec(image=ImageRef("Debian", "debian-12", "12-arm64")),
         facts=lambda: good_facts(image_architecture=None)),
    Case("vm-accelerated-networking", "block", "accelerated_networking", "does not support accelerated networking",
         spec=lambda: good_spec(accelerated_networking=True)),
    Case("vm-b-series", "info", "size", "CPU credits"),
    Case("vm-spot", "block", "size", "VariablePricingIsNotSupportedForThisVMSize",
         lambda: good_spec(priority="Spot"), label="b-series"),
    Case("vm-spot", "block", "max_price", "MaxPriceValueInvalid",
         lambda: good_spec(priority="Spot", size="Standard_D2s_v5", max_price=0.0), label="max-price"),
    Case("vm-spot", "warn", "eviction_policy", "deletes the VM together with its disks",
         lambda: good_spec(priority="Spot", size="Standard_D2s_v5", eviction_policy="Delete",
                           os_disk=DiskSpec(delete_with_vm=False)), label="delete-kept-disks"),
    Case("vm-spot", "info", "eviction_policy", "deallocated",
         lambda: good_spec(priority="Spot", size="Standard_D2s_v5"), label="deallocate"),
    # B4
    Case("vm-vnet-ipv4-space", "block", "network.ipv4_space", "Azure wants 10.0.0.0/16 (InvalidCIDRNotation)",
         spec=lambda: good_spec(network=net(ipv4_space="10.0.0.1/16", subnet_ipv4="10.0.0.0/24"))),
    Case("vm-vnet-ipv4-space", "block", "network.ipv4_space", "InvalidAddressPrefixFormat", label="text",
         spec=lambda: good_spec(network=net(ipv4_space="10.0.0.0", subnet_ipv4="10.0.0.0/24"))),
    Case("vm-vnet-ipv4-space", "block", "network.ipv4_space", "range Azure reserves", label="reserved",
         spec=lambda: good_spec(network=net(ipv4_space="169.254.0.0/16"))),
    Case("vm-vnet-ipv4-space", "warn", "network.ipv4_space", "not a private (RFC 1918) range", label="public",
         spec=lambda: good_spec(network=net(ipv4_space="8.8.0.0/16"))),
    Case("vm-subnet-ipv4", "block", "network.subnet_ipv4", "NetcfgSubnetRangeOutsideVnet",
         spec=lambda: good_spec(network=net(subnet_ipv4="10.1.0.0/24"))),
    Case("vm-subnet-ipv4", "block", "network.subnet_ipv4", "smaller than a /24", label="default-too-big",
         spec=lambda: good_spec(network=net(ipv4_space="10.0.0.0/26"))),
    Case("vm-vnet-ipv6-space", "warn", "network.ipv6_space", "not a unique local (fd00::/8) prefix",
         spec=lambda: good_spec(network=NetworkSpec(ipv6_space="2001:db8:1::/48"))),
    Case("vm-vnet-ipv6-space", "warn", "network.ipv6_space", "usual VNet IPv6 space is a /48", label="size",
         spec=lambda: good_spec(network=NetworkSpec(ipv6_space="fd12:3456::/40"))),
    Case("vm-vnet-ipv6-space", "block", "network.ipv6_space", "not an IPv6 CIDR prefix", label="text",
         spec=lambda: good_spec(network=NetworkSpec(ipv6_space="fd12::zz/48", subnet_ipv6="fd12::/64"))),
    Case("vm-ipv6-canonical", "block", "network.ipv6_space", "as 'fd12:34:5678::/48'",
         spec=lambda: good_spec(network=NetworkSpec(ipv6_space="fd12:0034:5678:0000::/48"))),
    Case("vm-ipv6-canonical", "block", "network.subnet_ipv6", "Azure doesn't like zeroes", label="subnet",
         spec=lambda: good_spec(network=net(subnet_ipv6="fd12:3456:789a:0000::/64"))),
    Case("vm-subnet-ipv6-64", "block", "network.subnet_ipv6", "must be exactly /64",
         spec=lambda: good_spec(network=net(subnet_ipv6="fd12:3456:789a::/56"))),
    Case("vm-subnet-ipv6-inside", "block", "network.subnet_ipv6", "outside the IPv6 address space",
         spec=lambda: good_spec(network=net(subnet_ipv6="fd99::/64"))),
    Case("vm-dual-stack-nic", "info", "names.nic", "No load balancer is needed"),
    # B5
    Case("vm-pip-sku", "block", "public_ip.sku", "ZonesNotAllowedInBasicSkuResource",
         spec=lambda: good_spec(public_ip=PublicIpSpec(sku="Basic"))),
    Case("vm-pip-static", "block", "public_ip.allocation", "StandardSkuPublicIPAddressesMustBeStatic",
         spec=lambda: good_spec(public_ip=PublicIpSpec(allocation="Dynamic"))),
    Case("vm-pip-idle-timeout", "block", "public_ip.idle_timeout_minutes", "Azure allows 4-30",
         spec=lambda: good_spec(public_ip=PublicIpSpec(idle_timeout_minutes=45))),
    Case("vm-pip-zone-redundant", "warn", "public_ip.zones", "zone 1 only",
         spec=lambda: good_spec(public_ip=PublicIpSpec(zones=("1",)))),
    Case("vm-pip-zone-redundant", "block", "public_ip.zones", "4 is not one of them", label="bad-zone",
         spec=lambda: good_spec(public_ip=PublicIpSpec(zones=("1", "4")))),
    Case("vm-zone-pip-match", "block", "zone", "has a zone constraint 1",
         spec=lambda: good_spec(zone="1", public_ip=PublicIpSpec(zones=("2",)))),
    Case("vm-zone-pip-match", "block", "zone", "no zone (Regional)", label="regional",
         spec=lambda: good_spec(zone="1", public_ip=PublicIpSpec(zones=()))),
    Case("vm-nat-gateway", "warn", "nat_gateway.enabled", "outbound IPv4 only",
         spec=lambda: good_spec(nat_gateway=NatGatewaySpec(enabled=True))),
    Case("vm-nat-gateway", "block", "nat_gateway.zones", "never zone-redundant", label="zones",
         spec=lambda: good_spec(nat_gateway=NatGatewaySpec(enabled=True, zones=("1", "2")))),
    Case("vm-nat-gateway", "block", "nat_gateway.idle_timeout_minutes", "Azure allows 4-120", label="idle",
         spec=lambda: good_spec(nat_gateway=NatGatewaySpec(enabled=True, idle_timeout_minutes=200))),
    Case("vm-nat-outbound", "info", "nat_gateway.enabled", "outbound IPv4 connections leave through Yolo-NATGW-IPv4",
         spec=lambda: good_spec(nat_gateway=NatGatewaySpec(enabled=True))),
    # B6
    Case("vm-nsg-priority", "block", "nsg_rules", "SecurityRuleInvalidPriority",
         spec=lambda: good_spec(nsg_rules=web_rules(nsg_rule(priority=99)))),
    Case("vm-nsg-priority", "block", "nsg_rules", "SecurityRuleConflict", label="conflict",
         spec=lambda: good_spec(nsg_rules=web_rules(nsg_rule(priority=110)))),
    Case("vm-nsg-rule-syntax", "block", "nsg_rules", "SecurityRuleInvalidPortRange",
         spec=lambda: good_spec(nsg_rules=web_rules(nsg_rule(ports=("70000",))))),
    Case("vm-nsg-source", "block", "nsg_rules", "SecurityRuleInvalidAddressPrefix",
         spec=lambda: good_spec(nsg_rules=web_rules(nsg_rule(source="any")))),
    Case("vm-nsg-address-family", "info", "nsg_rules", "only admits the IPv4 source 198.51.100.7",
         spec=lambda: good_spec(nsg_rules=web_rules(source=MY_IP))),
    Case("vm-nsg-icmpv6", "warn", "nsg_rules", "MTU to 1280"),
    Case("vm-nsg-on-subnet", "info", "names.nsg", "no NSG of its own"),
    Case("vm-nsg-ssh-open", "warn", "nsg_rules", f"restrict the source to your public IP {MY_IP}"),
    Case("vm-nsg-no-ssh", "warn", "nsg_rules", "won't be able to log in",
         spec=lambda: good_spec(purpose="custom", nsg_rules=())),
    # B7
    Case("vm-disk-sku", "block", "os_disk.sku", "doesn't support Premium storage",
         spec=lambda: good_spec(size="Standard_D2_v4", os_disk=DiskSpec(sku="Premium_LRS"))),
    Case("vm-disk-sku", "block", "os_disk.sku", "as an OS disk", label="ultra",
         spec=lambda: good_spec(os_disk=DiskSpec(sku="PremiumV2_LRS"))),
    Case("vm-disk-sku", "warn", "os_disk.sku", "Use the _LRS variant", label="zrs",
         spec=lambda: good_spec(location="norwaywest", public_ip=PublicIpSpec(zones=()),
                                os_disk=DiskSpec(sku="StandardSSD_ZRS")),
         facts=lambda: good_facts("norwaywest")),
    Case("vm-disk-size", "warn", "os_disk.size_gb", "smaller than the image's disk",
         spec=lambda: good_spec(os_disk=DiskSpec(size_gb=10))),
    Case("vm-disk-size", "block", "data_disk.size_gb", "1-32767", label="data",
         spec=lambda: good_spec(data_disk=DiskSpec(size_gb=40000))),
    Case("vm-custom-data-size", "block", "custom_data", "maximum length of 87380 characters",
         spec=lambda: good_spec(custom_data="#cloud-config\n" + "x" * 70000)),
    Case("vm-cloud-init", "info", "custom_data", "runs cloud-init",
         spec=lambda: good_spec(custom_data="#cloud-config\npackages: [nginx]\n")),
    Case("vm-cloud-init", "warn", "custom_data", "cloud-init would ignore it", label="format",
         spec=lambda: good_spec(custom_data="apt-get install nginx")),
    Case("vm-cloud-config-yaml", "warn", "custom_data", "not valid YAML at line 4, column 9",
         spec=lambda: good_spec(custom_data="#cloud-config\npackages:\n - nginx\n  - curl: [\n")),
    Case("vm-cloud-config-yaml", "warn", "custom_data", "rather than keys and values", label="not-a-mapping",
         spec=lambda: good_spec(custom_data="#cloud-config\n- nginx\n")),
    # B8
    Case("vm-backup-vault-region", "info", "backup.enabled", "same region",
         spec=lambda: good_spec(backup=BackupSpec(enabled=True))),
    Case("vm-backup-policy", "warn", "backup.policy", "backed up with the Enhanced policy",
         spec=lambda: good_spec(backup=BackupSpec(enabled=True, policy="Standard"))),
    Case("vm-backup-soft-delete", "warn", "backup.enabled", "soft-deleted for 14 days",
         spec=lambda: good_spec(backup=BackupSpec(enabled=True))),
]

# Specs on which a rule has nothing to say (the good default spec, unless it is about the rule).
QUIET: dict[str, Callable[[], VmSpec]] = {
    "vm-b-series": lambda: good_spec(size="Standard_D2s_v5"),
    "vm-dual-stack-nic": lambda: good_spec(network=NetworkSpec(ipv6_space="nonsense", subnet_ipv6="")),
    "vm-nsg-icmpv6": lambda: good_spec(custom_data="#cloud-config\nruncmd: [[ip, link, set, dev, eth0, mtu, '1280']]"),
    "vm-nsg-on-subnet": lambda: good_spec(purpose="custom", nsg_rules=()),
    "vm-nsg-ssh-open": lambda: good_spec(nsg_rules=web_rules(source=MY_IP)),
    "vm-cloud-init": good_spec,
    "vm-cloud-config-yaml": lambda: good_spec(custom_data="#cloud-config\npackages: [nginx]\nruncmd:\n  - [sh, -c, "
                                                          "'echo ok: done']\n"),
}
DEFAULT_FINDINGS = {"vm-b-series", "vm-dual-stack-nic", "vm-nsg-icmpv6", "vm-nsg-on-subnet", "vm-nsg-ssh-open"}


@pytest.mark.parametrize("case", FIRES, ids=lambda c: c.id)
def test_rule_fires(case: Case) -> None:
    findings = check_vm(case.spec(), case.facts())
    mine = [f for f in only(findings, case.rule) if f.severity == case.severity and f.field == case.field]
    assert mine, f"{case.rule} did not fire as {case.severity} on {case.field}: {[f.to_dict() for f in findings]}"
    assert any(case.text in f.message for f in mine), [f.message for f in mine]
    rule = VM_RULES.by_id(case.rule)
    assert all(f.source == rule.source and f.title == rule.title for f in mine)
    assert not [f for f in findings if f.message.startswith("This check could not run")]


@pytest.mark.parametrize("rule_id", [r.id for r in VM_RULES.rules])
def test_rule_stays_quiet_on_a_good_spec(rule_id: str) -> None:
    findings = check_vm(QUIET.get(rule_id, good_spec)(), good_facts())
    assert not only(findings, rule_id), [f.message for f in only(findings, rule_id)]


def test_every_rule_has_a_firing_case_and_cites_its_source() -> None:
    rules = VM_RULES.rules
    assert {r.id for r in rules} == {c.rule for c in FIRES}
    for r in rules:
        assert r.source.startswith("https://"), r.id
        assert r.catalogue.startswith("B"), r.id
        assert r.id.startswith("vm-")


def test_the_default_spec_with_good_facts_has_no_block_and_only_the_expected_notes() -> None:
    findings = check_vm(good_spec(), good_facts())
    assert not [f for f in findings if f.blocking]
    assert ids(findings) == DEFAULT_FINDINGS
    assert [f.severity for f in findings] == sorted((f.severity for f in findings), key=["block", "warn", "info"].index)


def test_the_notes_setups_pass_in_every_zoned_region_and_without_zones() -> None:
    for loc in ("norwayeast", "westeurope", "swedencentral"):
        findings = check_vm(good_spec(location=loc), good_facts(loc))
        assert not [f.to_dict() for f in findings if f.blocking], loc
    west = check_vm(good_spec(location="norwaywest", public_ip=PublicIpSpec(zones=())), good_facts("norwaywest"))
    assert not [f.to_dict() for f in west if f.blocking]
    assert "vm-pip-zone-redundant" not in ids(west)  # nothing to be redundant across


def test_other_images_pass_with_their_facts() -> None:
    for image in IMAGES.values():
        assert not [f for f in check_vm(good_spec(image=image), good_facts()) if f.blocking], image.urn


def test_without_live_facts_the_offline_rules_still_run_and_the_rest_are_listed() -> None:
    spec = good_spec(public_ip=PublicIpSpec(allocation="Dynamic"), size="Standard_Nope")
    findings = check_vm(spec, VmFacts(None, None))
    assert "vm-pip-static" in ids(findings)
    assert "vm-size-available" not in ids(findings)
    skipped = only(findings, "live-facts-unavailable")
    assert len(skipped) == 1 and skipped[0].severity == "warn"
    assert "Size offered in the region" in skipped[0].message and "vCPU quota" in skipped[0].message


def test_facts_of_another_region_are_not_used() -> None:
    findings = check_vm(good_spec(location="westeurope", size="Standard_D2as_v5"), good_facts("norwayeast"))
    assert "vm-size-available" not in ids(findings)  # D2as_v5 is only blocked in norwayeast
    assert "live-facts-unavailable" in ids(findings)


def test_region_zones_come_from_subscription_facts_when_region_facts_are_missing() -> None:
    facts = VmFacts(subscription_facts(), None)
    findings = check_vm(good_spec(location="Norway West"), facts)
    assert only(findings, "vm-region-zones")[0].field == "public_ip.zones"


def test_quota_counts_family_and_regional_separately() -> None:
    rf = with_usage(region_facts("norwayeast"), "compute", "cores", 99)
    findings = only(check_vm(good_spec(), good_facts(region=rf)), "vm-quota-vcpus")
    assert len(findings) == 1 and "Total Regional vCPUs" in findings[0].message
    assert "only 1 of the 100" in findings[0].message


def test_ssh_open_without_a_detected_ip_still_says_what_to_do() -> None:
    msg = only(check_vm(good_spec(), good_facts(my_public_ipv4=None)), "vm-nsg-ssh-open")[0].message
    assert "restrict the source to your public IP address" in msg


def test_rsa_2048_and_ed25519_keys_are_accepted() -> None:
    for key in (rsa_key(2048), rsa_key(4096), KEY):
        assert not only(check_vm(good_spec(ssh_public_key=key), good_facts()), "vm-ssh-key")


def test_importing_the_rules_loads_neither_azure_nor_textual() -> None:
    code = "import sys, azwizard.rules.vm\nprint('\\n'.join(sorted(sys.modules)))"
    mods = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not [m for m in mods if m == "azure" or m.startswith(("azure.", "textual"))]


@pytest.mark.parametrize(("port", "ok"), [("65535", True), ("65536", False), ("1-65535", True), ("1-65536", False),
                                          ("65536-65537", False)])
def test_an_nsg_port_is_at_most_65535(port: str, ok: bool) -> None:
    """The edge of the port range (issue 27's surviving mutants moved it by one)."""
    rule = VM_RULES.by_id("vm-nsg-rule-syntax")
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, nsg_rules=(NsgRule("App", 300, "Tcp", (port,)),))
    findings = rule.apply(spec, VmFacts(None, None))
    assert (findings == []) is ok, findings


def test_a_key_whose_base64_carries_foreign_characters_is_damaged() -> None:
    kind, blob, comment = KEY.split()
    rule = VM_RULES.by_id("vm-ssh-key")
    assert rule.apply(VmSpec.for_base("Yolo", ssh_public_key=KEY), VmFacts(None, None)) == []
    spoiled = f"{kind} {blob[:10]}!{blob[10:]} {comment}"
    findings = rule.apply(VmSpec.for_base("Yolo", ssh_public_key=spoiled), VmFacts(None, None))
    assert len(findings) == 1 and "damaged" in findings[0].message


@pytest.mark.parametrize(("length", "ok"), [(80, True), (81, False)])
def test_a_nat_gateways_public_ip_name_is_at_most_80_characters(length: int, ok: bool) -> None:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, nat_gateway=NatGatewaySpec(enabled=True))
    spec = replace(spec, names=replace(spec.names, nat_public_ipv4="n" * length))
    findings = VM_RULES.by_id("vm-name-network").apply(spec, VmFacts(None, None))
    assert (findings == []) is ok, findings
    assert ok or findings[0].field == "names.nat_public_ipv4"


@pytest.mark.parametrize(("vm", "shown"), [("Yolo_VM", "(_)"), ("v" * 65, "(65 characters)")])
def test_the_host_name_finding_names_what_azure_would_refuse(vm: str, shown: str) -> None:
    spec = good_spec(names=names(vm=vm))
    findings = VM_RULES.by_id("vm-host-name").apply(spec, good_facts())
    assert len(findings) == 1 and shown in findings[0].message


@pytest.mark.parametrize(("source", "admits", "not_admitted"), [("198.51.100.7", "IPv4", "IPv6"),
                                                                 ("2001:db8::/64", "IPv6", "IPv4")])
def test_a_rule_of_one_address_family_says_which_family_it_leaves_out(source: str, admits: str,
                                                                      not_admitted: str) -> None:
    spec = good_spec(nsg_rules=(nsg_rule("Web", 300, ("443",), source),))
    findings = VM_RULES.by_id("vm-nsg-address-family").apply(spec, good_facts())
    assert len(findings) == 1
    assert f"only admits the {admits} source" in findings[0].message
    assert f"so {not_admitted} connections" in findings[0].message


def test_a_rule_for_every_port_lets_ssh_in() -> None:
    everything = good_spec(nsg_rules=(nsg_rule("All", 300, ("*",), "Internet"),))
    assert VM_RULES.by_id("vm-nsg-no-ssh").apply(everything, good_facts()) == []
    assert len(VM_RULES.by_id("vm-nsg-ssh-open").apply(everything, good_facts())) == 1


@pytest.mark.parametrize(("usable", "kept"), [(None, True), (frozenset({"norwayeast"}), True),
                                              (frozenset({"westeurope"}), False)])
def test_the_unreadable_facts_note_goes_only_for_a_region_the_subscription_may_not_use(
        usable: frozenset[str] | None, kept: bool) -> None:
    from azwizard.rules.common import without_unreadable_region_note

    note = Finding("live-facts-unavailable", "warn", "could not be read", "", "")
    other = Finding("vm-region-access", "block", "not available", "location", "")
    sub = replace(subscription_facts(), usable_regions=usable)
    assert without_unreadable_region_note([note, other], "norwayeast", sub) == ([note, other] if kept else [other])
    assert without_unreadable_region_note([note], "norwayeast", None) == [note]  # nothing known: kept


@pytest.mark.parametrize("field", ["subnet", "nsg", "nic", "public_ipv4", "public_ipv6"])
@pytest.mark.parametrize(("length", "ok"), [(1, True), (80, True), (81, False)])
def test_a_network_resources_name_is_at_most_80_characters(field: str, length: int, ok: bool) -> None:
    spec = good_spec(names=names(**{field: "n" * length}))
    findings = VM_RULES.by_id("vm-name-network").apply(spec, VmFacts(None, None))
    assert (findings == []) is ok, findings
    assert ok or findings[0].field == f"names.{field}"


@pytest.mark.parametrize(("name", "ok"), [("t" * 512, True), ("t" * 513, False), ("  ", False)])
def test_a_tag_name_is_1_to_512_characters_not_blank(name: str, ok: bool) -> None:
    findings = VM_RULES.by_id("vm-tags").apply(good_spec(extra_tags=((name, "v"),)), VmFacts(None, None))
    assert (not any("must be 1-512 characters" in f.message for f in findings)) is ok, findings


def test_a_keys_data_may_end_in_an_empty_string() -> None:
    """RFC 4253 strings may be empty, the last one too: such a key is read (here: a DSA key, refused for being
    DSA), not called damaged; a length running past the data is damaged."""
    rule = VM_RULES.by_id("vm-ssh-key")
    blob = _ssh_string(b"ssh-dss") + _ssh_string(b"\x01") + _ssh_string(b"\x02") + _ssh_string(b"\x03")
    for data, words in ((blob + _ssh_string(b""), "DSA (ssh-dss) keys are not supported"),
                        (blob + (5).to_bytes(4, "big") + b"ab", "damaged")):
        key = f"ssh-dss {base64.b64encode(data).decode()} me@laptop"
        findings = rule.apply(VmSpec.for_base("Yolo", ssh_public_key=key), VmFacts(None, None))
        assert len(findings) == 1 and words in findings[0].message, findings


@pytest.mark.parametrize(("sku", "fires"), [("12-gen1", True), ("12", False), ("12-gen2", False)])
def test_without_the_images_record_its_generation_comes_from_the_sku_name(sku: str, fires: bool) -> None:
    """Trusted Launch needs a Gen2 image: a '-gen1' SKU is Gen1, a '-gen2' SKU Gen2, and a SKU that says neither
    is unknown (not refused on a guess)."""
    spec = good_spec(image=ImageRef("Debian", "debian-12", sku))
    findings = VM_RULES.by_id("vm-trusted-launch-image").apply(spec, good_facts(image_generations=None))
    assert bool(findings) is fires, findings
    # a Gen1-only size (no Trusted Launch): a '-gen2' SKU cannot boot there; an unknown generation is not refused
    gen1_size = spec.with_(size="Standard_A2_v2", security_type="Standard")
    findings = VM_RULES.by_id("vm-image-generation").apply(gen1_size, good_facts(image_generations=None))
    assert bool(findings) is sku.endswith("gen2"), findings


@pytest.mark.parametrize(("nat", "free", "fires"), [(False, 2, False), (False, 1, True), (True, 3, False),
                                                    (True, 2, True)])
def test_the_public_ip_quota_counts_the_nat_gateways_address(nat: bool, free: int, fires: bool) -> None:
    """The plan makes 2 public IPs (IPv4 and IPv6), 3 with a NAT gateway: the warning comes when fewer are free."""
    rf = region_facts("norwayeast")
    for name in ("StandardSkuPublicIpAddresses", "PublicIPAddresses"):
        rf = with_usage(rf, "network", name, dict(rf.network_usages)[name].limit - free)
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=nat))
    findings = VM_RULES.by_id("vm-quota-public-ips").apply(spec, good_facts(region=rf))
    assert bool(findings) is fires, findings
    assert all(f"creates {3 if nat else 2} public IP addresses" in f.message for f in findings)


@pytest.mark.parametrize("field", ["nat_gateway", "nat_public_ipv4"])
@pytest.mark.parametrize(("length", "ok"), [(0, False), (1, True), (80, True), (81, False)])
def test_a_nat_gateways_names_are_1_to_80_characters(field: str, length: int, ok: bool) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True), names=names(**{field: "n" * length}))
    findings = VM_RULES.by_id("vm-name-network").apply(spec, VmFacts(None, None))
    assert [f.field for f in findings] == ([] if ok else [f"names.{field}"]), findings


@pytest.mark.parametrize(("length", "ok"), [(0, False), (1, True), (64, True), (65, False)])
def test_a_vm_name_is_1_to_64_characters(length: int, ok: bool) -> None:
    findings = VM_RULES.by_id("vm-name-vm").apply(good_spec(names=names(vm="v" * length)), VmFacts(None, None))
    assert (findings == []) is ok, findings
    assert ok or f"has {length} characters" in findings[0].message


@pytest.mark.parametrize(("zones", "where"), [((), "the one zone Azure places it in"), (("2",), "zone 2")])
def test_a_standard_nat_gateway_says_it_carries_ipv4_only_and_from_which_zone(zones: tuple[str, ...],
                                                                              where: str) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True, zones=zones), zone=None)
    assert set(spec.public_ip.zones) == {"1", "2", "3"}  # zone-redundant public IPs
    messages = [f.message for f in VM_RULES.by_id("vm-nat-gateway").apply(spec, good_facts())]
    (note,) = [m for m in messages if m.startswith("A Standard NAT gateway handles outbound IPv4 only")]
    assert note.endswith(f"so outbound IPv4 depends on {where}."), note


@pytest.mark.parametrize(("length", "ok"), [(0, False), (1, True), (80, True), (81, False)])
def test_a_security_rules_name_is_1_to_80_characters(length: int, ok: bool) -> None:
    spec = good_spec(nsg_rules=web_rules(nsg_rule(name="r" * length)))
    findings = [f for f in VM_RULES.by_id("vm-name-network").apply(spec, VmFacts(None, None))
                if f.field == "nsg_rules"]
    assert (findings == []) is ok, findings


@pytest.mark.parametrize(("direction", "access", "ok"), [("Inbound", "Allow", True), ("Sideways", "Allow", False),
                                                         ("Outbound", "Maybe", False)])
def test_a_security_rule_needs_a_known_direction_and_action(direction: str, access: str, ok: bool) -> None:
    spec = good_spec(nsg_rules=web_rules(nsg_rule(direction=direction, access=access)))
    findings = VM_RULES.by_id("vm-nsg-rule-syntax").apply(spec, VmFacts(None, None))
    assert (not any("needs direction Inbound/Outbound" in f.message for f in findings)) is ok, findings
