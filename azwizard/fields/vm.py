"""The VM journey's fields, in profile order (docs/profiles.md's table is generated from this list).

Steps: basics, network, public_ips, nat, nsg, vm, backup, cloud_init (screens/vm/steps.py). To add a field, see
docs/architecture.md ("Adding a field").
"""

from __future__ import annotations

import dataclasses

from azwizard.specs.vm import IMAGES, VmNames, VmSpec

from . import common
from .common import ZONES
from .model import Choice, Field, Registry, field

# Managed disk types (https://learn.microsoft.com/azure/virtual-machines/disks-types). A profile and the wizard
# offer the first five; Premium SSD v2 and Ultra disks are known, so the vm-disk-sku rule can say why azwizard
# does not create them (data disks only, Ultra compatibility on the VM).
_DISK_SKUS = ("Standard_LRS", "StandardSSD_LRS", "StandardSSD_ZRS", "Premium_LRS", "Premium_ZRS")
_DISK_REFUSED = ("PremiumV2_LRS", "UltraSSD_LRS")


def _disk_choices(labels: dict[str, str]) -> tuple[Choice, ...]:
    return (*(Choice(sku, labels[sku]) for sku in _DISK_SKUS), *(Choice(sku, offered=False) for sku in _DISK_REFUSED))


_OS_DISK_LABELS = {
    "StandardSSD_LRS": "Standard SSD (StandardSSD_LRS) — the notes' default",
    "Premium_LRS": "Premium SSD (Premium_LRS) — high IOPS",
    "Standard_LRS": "Standard HDD (Standard_LRS)",
    "StandardSSD_ZRS": "Standard SSD, zone-redundant (StandardSSD_ZRS)",
    "Premium_ZRS": "Premium SSD, zone-redundant (Premium_ZRS)",
}
_DATA_DISK_LABELS = {
    "StandardSSD_LRS": "Standard SSD", "Premium_LRS": "Premium SSD", "Standard_LRS": "Standard HDD",
    "StandardSSD_ZRS": "Standard SSD, zone-redundant", "Premium_ZRS": "Premium SSD, zone-redundant",
}
_NAME_NOTES = {"vault": "the Recovery Services vault (with `backup.enabled`)"}
_NAME_TARGETS = {"vm": ("computername", "osprofile.computername")}
_NAME_CODES = {"resource_group": ("ResourceGroupNotFound", "ScopeLocked", "ResourceGroupLocked")}
# the names edited in Basics › names whose findings another step shows too
_NAME_SHOWN = {"vm": ("vm",), "os_disk": ("vm",), "data_disk": ("vm",), "vault": ("backup",)}


def _names() -> list[Field]:
    example = VmNames.derive("NAME")
    return [field(f"names.{f.name}", "str", f"`{getattr(example, f.name).replace('NAME', '<name>')}`",
                  _NAME_NOTES.get(f.name, ""), step="basics", shows=_NAME_SHOWN.get(f.name, ()),
                  targets=_NAME_TARGETS.get(f.name, ()), codes=_NAME_CODES.get(f.name, ()))
            for f in dataclasses.fields(VmNames)]


VM_FIELDS = Registry("vm", [
    common.KIND,
    field("name", "str", "(required)", "the base name: every resource name derives from it (`Yolo` → `Yolo-RG`, "
          "`Yolo-VNet`, `Yolo-VM`...)", spec="base_name", step="basics", label="Base name"),
    common.location("basics", ("LocationNotAvailableForResourceType", "InvalidResourceGroupLocation",
                               "LocationNotAvailableForResourceGroup")),
    common.use_existing_group("basics", "#names-resource_group"),
    field("admin_username", "str", "`azureuser`", "the administrator account (SSH)", step="vm",
          label="Admin user name", targets=("adminusername", "osprofile.adminusername")),
    field("ssh_public_key", "str", '`""`', "an SSH public key (OpenSSH one-line form); the checks block a VM "
          "without one", step="vm", label="SSH public key", targets=("keydata", "publickeys")),
    common.SSH_PUBLIC_KEY_FILE,
    common.tags("basics"),
    field("size", "str", f"`{VmSpec().size}`", "the VM size", step="vm",
          targets=("vmsize", "hardwareprofile.vmsize"),
          codes=("SkuNotAvailable", "QuotaExceeded", "InsufficientVCPUQuota", "OperationNotAllowedQuota",
                 "AllocationFailed", "VariablePricingIsNotSupportedForThisVMSize")),
    field("image", "str", "`debian-12`", "an alias (" + ", ".join(f"`{k}`" for k in IMAGES) + ") or a marketplace "
          "URN `publisher:offer:sku:version`", step="vm", label="Image",
          targets=("imagereference", "storageprofile.imagereference"),
          codes=("VMGenerationMismatch", "BadRequestInvalidImageGeneration")),
    field("zone", "str", '`""`', "the VM's zone", step="vm", label="Availability",
          choices=(Choice("", "No infrastructure redundancy required", "none: no infrastructure redundancy, as in "
                          "the notes"), *(Choice(z, f"Zone {z}") for z in ZONES)),
          targets=("zones",), codes=("ZonalAllocationFailed",)),
    field("security_type", "str", "`TrustedLaunch`", "", step="vm", label="Security type",
          choices=(Choice("TrustedLaunch", "Trusted launch (secure boot + vTPM; Azure's default)"),
                   Choice("Standard")), targets=("securitytype", "securityprofile.securitytype")),
    field("purpose", "str", "`web` (`custom` when `nsg_rules` is given)", "the inbound rules", step="nsg",
          label="The VM's purpose",
          choices=(Choice("web", "Web server: ICMPv4, SSH, HTTP(S)", "ICMPv4, SSH, HTTP(S)"),
                   Choice("ssh-only", "SSH only: ICMPv4, SSH", "ICMPv4, SSH"),
                   Choice("custom", "Custom rules", "the `nsg_rules`"))),
    field("ssh_source", "str", "`*`", "who may use SSH and ping with purpose `web`/`ssh-only`: `*`, a service tag "
          "such as `Internet`, or an address/CIDR", spec=False),
    field("accelerated_networking", "bool", "`false`", "accelerated networking on the NIC", step="vm",
          label="Accelerated networking (needs a size that supports it)", targets=("enableacceleratednetworking",)),
    # Azure Spot (https://learn.microsoft.com/azure/virtual-machines/spot-vms; the error codes:
    # https://learn.microsoft.com/azure/virtual-machines/error-codes-spot)
    field("priority", "str", "`Regular`", "`Spot` runs on Azure's spare capacity at a discount and is evicted (30 s "
          "notice) when Azure needs it back", step="vm",
          label="Priority; for Spot, what an eviction does and the max price (USD/hour; -1 = up to pay as you go)",
          plain=True, az="--priority",
          wire="properties.priority", choices=(
              Choice("Regular", "Regular (never evicted)"), Choice("Spot", "Spot (may be evicted)")),
          codes=("VariablePricingIsSupportedOnlyForLowPriorityVirtualMachines",)),
    field("eviction_policy", "str", "`Deallocate`", "what an eviction does to a Spot VM", step="vm",
          label="When evicted (Spot)", plain=True, az="--eviction-policy", wire="properties.evictionPolicy",
          choices=(Choice("Deallocate", "Evicted: deallocate", "stopped; its disks stay and are billed"),
                   Choice("Delete", "Evicted: delete", "the VM and its disks are deleted")),
          codes=("EvictionPolicyCanBeSetOnlyOnLowPriorityVirtualMachines",)),
    field("max_price", "float", "`-1`", "the most a Spot VM may cost, in US dollars per hour (at most 5 decimals); "
          "`-1` = up to the pay-as-you-go price, never evicted for price", step="vm",
          label="Max price (Spot, USD per hour; -1 = up to the pay-as-you-go price)", plain=True, az="--max-price",
          wire="properties.billingProfile.maxPrice",
          codes=("MaxPriceValueInvalid", "VariablePriceGreaterThanProvidedMaxPrice")),
    field("nic_delete_with_vm", "bool", "`true`", "delete the NIC with the VM"),
    field("public_ip_delete_with_vm", "bool", "`false`", "delete the public IPs with the VM (the notes keep them: "
          "they are in DNS)"),
    field("custom_data", "str", '`""`', "cloud-init custom data (text; a `\'\'\'` multi-line string is handy)",
          step="cloud_init", targets=("customdata", "osprofile.customdata"),
          codes=("InvalidCustomData", "CustomDataTooLarge")),
    field("custom_data_file", "str", '`""`', "read the custom data from this file instead", spec=False),
    field("names", "table", "derived from `name`", "override single resource names", step="basics"),
    *_names(),
    field("network", "table", "", "the dual-stack virtual network", step="network"),
    field("network.ipv4_space", "str", "`10.0.0.0/16`", "the VNet's IPv4 address space", step="network",
          label="IPv4 address space", targets=("addressprefixes",), codes=("InvalidAddressPrefix",)),
    field("network.ipv6_space", "str", "a random ULA `/48`", "the VNet's IPv6 address space", step="network",
          label="IPv6 address space (ULA /48)"),
    field("network.subnet_ipv4", "str", "the first `/24` of `ipv4_space`", "subnet `default`'s IPv4 prefix",
          step="network", label="Subnet 'default' IPv4", targets=("addressprefix",), codes=("NetcfgInvalidSubnet",)),
    field("network.subnet_ipv6", "str", "the first `/64` of `ipv6_space`", "subnet `default`'s IPv6 prefix",
          step="network", label="Subnet 'default' IPv6"),
    field("public_ip", "table", "", "the VM's public IPv4 and IPv6 addresses", step="public_ips"),
    field("public_ip.sku", "str", "`Standard`", "", step="public_ips",
          choices=(Choice("Standard", "Standard (Basic was retired)"), Choice("Basic", wizard=False)),
          codes=("PublicIPCountLimitReached",)),
    field("public_ip.allocation", "str", "`Static`", "", step="public_ips",
          choices=(Choice("Static", "Static (Standard addresses always are)"), Choice("Dynamic", wizard=False)),
          codes=("StandardSkuPublicIPAddressesMustBeStatic",)),
    field("public_ip.zones", "list[str]", '`["1", "2", "3"]` where the region has zones, else `[]`',
          "all three = zone-redundant", step="public_ips", label="Availability zones",
          codes=("ZonesNotAllowedInBasicSkuResource",)),
    field("public_ip.routing_preference", "str", "`Microsoft`", "", step="public_ips", label="Routing preference",
          choices=(Choice("Microsoft", "Microsoft network (default, lowest latency)", "network"),
                   Choice("Internet", "Internet (ISP network, cheaper egress)"))),
    # https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#idle-timeout
    field("public_ip.idle_timeout_minutes", "int", "`4`", "TCP idle timeout in minutes", range=(4, 30),
          step="public_ips", label="TCP idle timeout (minutes, {lo}–{hi})", targets=("idletimeoutinminutes",)),
    field("nat_gateway", "table", "", "an outbound NAT gateway on the subnet", step="nat"),
    field("nat_gateway.enabled", "bool", "`false`", "create it (with its own public IPv4)", step="nat"),
    # https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource#tcp-idle-timeout
    field("nat_gateway.idle_timeout_minutes", "int", "`10`", "TCP idle timeout in minutes", range=(4, 120),
          step="nat", label="TCP idle timeout (minutes, {lo}–{hi})"),
    field("nat_gateway.zones", "list[str]", "`[]`", "at most one zone", step="nat"),
    field("", "str", spec="nat_gateway.sku", step="nat", choices=(Choice("Standard"),)),
    field("nsg_rules", "array[table]", "the purpose's rules", "`[[nsg_rules]]` entries, replacing the purpose's "
          "rules", step="nsg", targets=("securityrules", "priority"),
          codes=("SecurityRuleInvalidPriority", "SecurityRuleParameterContainsUnsupportedValue")),
    field("nsg_rules[].name", "str", "(required)", "", spec=False),
    field("nsg_rules[].priority", "int", "(required)", "lower first", spec=False, range=(100, 4096)),
    field("nsg_rules[].protocol", "str", "(required)", "", spec=False, choices=("Tcp", "Udp", "Icmp", "*")),
    field("nsg_rules[].ports", "list[str]", "(required)", 'destination ports or ranges: `["80", "443"]`, '
          '`["8000-8080"]`, `["*"]`', spec=False),
    field("nsg_rules[].source", "str", "`*`", "`*`, a service tag or an address/CIDR", spec=False),
    field("nsg_rules[].access", "str", "`Allow`", "", spec=False, choices=("Allow", "Deny")),
    field("nsg_rules[].direction", "str", "`Inbound`", "", spec=False, choices=("Inbound", "Outbound")),
    field("nsg_rules[].description", "str", '`""`', "", spec=False),
    field("os_disk", "table", "", "the OS disk", step="vm"),
    field("os_disk.size_gb", "int", "the image's size", "GiB", range=(1, 4095), step="vm",
          label="OS disk size in GiB (empty = the image's size)", targets=("disksizegb", "osdisk.disksizegb")),
    field("os_disk.sku", "str", "`StandardSSD_LRS`", "", step="vm", label="OS disk",
          choices=_disk_choices(_OS_DISK_LABELS), targets=("storageaccounttype",)),
    field("os_disk.delete_with_vm", "bool", "`true`", ""),
    field("data_disk", "table", "none", "an empty data disk at LUN 0; the table's presence creates it", step="vm",
          widget="#data_disk-size"),
    field("data_disk.size_gb", "int", "`64`", "GiB", range=(1, 32767), step="vm"),
    field("data_disk.sku", "str", "`StandardSSD_LRS`", "", step="vm", widget="#data_disk-sku",
          choices=_disk_choices(_DATA_DISK_LABELS)),
    field("data_disk.delete_with_vm", "bool", "`true`", "", step="vm"),
    field("backup", "table", "", "Azure Backup in a new Recovery Services vault", step="backup",
          widget="#backup-enabled"),
    field("backup.enabled", "bool", "`false`", "", step="backup"),
    field("backup.policy", "str", "`auto`", "", step="backup", label="Policy",
          choices=(Choice("auto", "Automatic (Enhanced for trusted launch, else Standard)",
                          "Enhanced for Trusted Launch, else Standard"),
                   Choice("Standard", "Standard (daily)"),
                   Choice("Enhanced", "Enhanced (hourly, required for trusted launch)"))),
    # not a profile key: the subscription's findings (providers, the region's access) open Basics at the region
    field("", "str", spec="subscription", step="basics", widget="#location"),
])
