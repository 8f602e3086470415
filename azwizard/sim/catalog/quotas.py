"""Quota limits of the simulated subscription.

* Compute: ``GET /subscriptions/{id}/providers/Microsoft.Compute/locations/{loc}/usages`` items are
  ``{"limit", "unit": "Count", "currentValue", "name": {"value", "localizedValue"}}``. ``name.value``
  of a VM-family usage equals the resource SKU ``family`` (the join key of a quota check); the
  regional total is ``cores`` ("Total Regional vCPUs").
* Network: ``GET .../providers/Microsoft.Network/locations/{loc}/usages`` items additionally carry an
  ``id`` (``.../locations/{loc}/usages/{name}``). Names and localized values follow the REST spec
  example (``UsageList.json``) plus the quota names Azure uses for Standard public IPs, NAT gateways...

Deliberate scenarios (other tests may rely on them):

* ``cores`` = 100 in most regions, 20 in ``norwaywest`` and ``swedensouth``, 50 in ``ukwest`` and
  ``westcentralus``;
* ``standardBSFamily`` = 20 everywhere; ``standardDSv5Family`` = 10 in ``westeurope``;
* every M-series family (``standardMSFamily`` ...) and the GPU/HPC/FPGA families = 0, except
  ``Standard NCASv3_T4 Family`` = 8 in ``eastus`` and ``westeurope``;
* network: ``StandardSkuPublicIpAddresses`` = 10 in ``norwaywest`` (1000 elsewhere).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .locations import get_region
from .skus import sku_families

QuotaTable = dict[str, tuple[int, str]]

_CORES: dict[str, int] = {"norwaywest": 20, "swedensouth": 20, "ukwest": 50, "westcentralus": 50}
_DEFAULT_CORES = 100

_POPULAR_LIMIT = 100
_DEFAULT_FAMILY_LIMIT = 10
_POPULAR = frozenset({
    "standardAv2Family", "standardDv2Family", "standardDSv2Family", "standardDv3Family", "standardDSv3Family",
    "standardDv4Family", "standardDSv4Family", "standardDDv4Family", "standardDDSv4Family",
    "standardDAv4Family", "standardDASv4Family", "standardDv5Family", "standardDSv5Family",
    "standardDDv5Family", "standardDDSv5Family", "standardDASv5Family", "standardDADSv5Family",
    "standardDLSv5Family", "standardDLDSv5Family", "standardDPSv5Family", "standardDPDSv5Family",
    "standardDPLSv5Family", "standardDPLDSv5Family", "standardEv3Family", "standardESv3Family",
    "standardEv4Family", "standardESv4Family", "standardEDv4Family", "standardEDSv4Family",
    "standardEAv4Family", "standardEASv4Family", "standardEv5Family", "standardESv5Family",
    "standardEDv5Family", "standardEDSv5Family", "standardEASv5Family", "standardEADSv5Family",
    "standardEPSv5Family", "standardEPDSv5Family", "standardFSv2Family",
})
_FIXED: dict[str, int] = {
    "standardBSFamily": 20,
    "standardBsv2Family": 20,
    "standardBasv2Family": 20,
    "standardBpsv2Family": 10,
}
# Families with a default quota of 0 (must be requested): M-series, GPU, HPC, FPGA, isolated sizes.
_ZERO_RE = re.compile(
    r"^(standard|Standard ?)(M|N[CDPV]|H[BCX]|PB|EI|XEI|ECI)", re.IGNORECASE,
)
_REGION_FAMILY_OVERRIDES: dict[str, dict[str, int]] = {
    "westeurope": {"standardDSv5Family": 10, "Standard NCASv3_T4 Family": 8},
    "eastus": {"Standard NCASv3_T4 Family": 8},
}


def family_localized_name(family: str) -> str:
    """Localized usage name of a VM family (``standardBSFamily`` -> ``Standard BS Family vCPUs``)."""
    if " " in family:  # e.g. "Standard NCASv3_T4 Family"
        return f"{family} vCPUs"
    if family == "standardA0_A7Family":
        return "Standard A0-A7 Family vCPUs"
    if family == "standardA8_A11Family":
        return "Standard A8-A11 Family vCPUs"
    m = re.match(r"^(standard|Standard|basic)(.+?)(Promo)?Family$", family)
    if not m:
        return f"{family} vCPUs"
    prefix = "Basic" if m.group(1) == "basic" else "Standard"
    promo = " Promo" if m.group(3) else ""
    return f"{prefix} {m.group(2)}{promo} Family vCPUs"


def _family_limit(region: str, family: str) -> int:
    override = _REGION_FAMILY_OVERRIDES.get(region, {})
    if family in override:
        limit = override[family]
    elif family in _FIXED:
        limit = _FIXED[family]
    elif _ZERO_RE.match(family):
        limit = 0
    elif family in _POPULAR:
        limit = _POPULAR_LIMIT
    else:
        limit = _DEFAULT_FAMILY_LIMIT
    return limit


def compute_quota_limits(location: str) -> QuotaTable:
    """Compute usage name -> (limit, localizedValue) for a region (raises ``KeyError`` if unknown).

    Order follows the real usage list: availability sets, regional vCPUs, VMs, scale sets, one entry
    per VM family in the catalog, low-priority vCPUs, managed-disk counts.
    """
    region = get_region(location).name
    cores = _CORES.get(region, _DEFAULT_CORES)
    out: QuotaTable = {
        "availabilitySets": (2500, "Availability Sets"),
        "cores": (cores, "Total Regional vCPUs"),
        "virtualMachines": (25000, "Virtual Machines"),
        "virtualMachineScaleSets": (2500, "Virtual Machine Scale Sets"),
    }
    for family in sku_families():
        out[family] = (_family_limit(region, family), family_localized_name(family))
    out["lowPriorityCores"] = (cores, "Total Regional Low-priority vCPUs")
    # Managed-disk counts (names as in az vm list-usage; limits modelled).
    out["PremiumDiskCount"] = (50000, "Premium Storage Managed Disks")
    out["StandardDiskCount"] = (50000, "Standard Storage Managed Disks")
    out["StandardSSDDiskCount"] = (50000, "StandardSSDStorageDisks")
    out["UltraSSDDiskCount"] = (1000, "UltraSSDStorageDisks")
    return out


_NETWORK: tuple[tuple[str, int, str], ...] = (
    ("VirtualNetworks", 1000, "Virtual Networks"),
    ("StaticPublicIPAddresses", 1000, "Static Public IP Addresses"),
    ("NetworkSecurityGroups", 5000, "Network Security Groups"),
    ("PublicIPAddresses", 1000, "Public IP Addresses"),
    ("CustomIpPrefixes", 5, "Custom Ip Prefixes"),
    ("PublicIpPrefixes", 1000, "Public Ip Prefixes"),
    ("NatGateways", 1000, "Nat Gateways"),
    ("NetworkInterfaces", 65536, "Network Interfaces"),
    ("PrivateEndpoints", 64000, "Private Endpoints"),
    ("LoadBalancers", 1000, "Load Balancers"),
    ("PrivateLinkServices", 800, "Private Link Services"),
    ("ApplicationGateways", 1000, "Application Gateways"),
    ("RouteTables", 200, "Route Tables"),
    ("RouteFilters", 1000, "Route Filters"),
    ("NetworkWatchers", 1, "Network Watchers"),
    ("PacketCaptures", 10000, "Packet Captures"),
    ("ApplicationSecurityGroups", 3000, "Application Security Groups."),
    ("DdosProtectionPlans", 1, "DDoS Protection Plans."),
    ("ServiceEndpointPolicies", 500, "Service Endpoint Policies"),
    ("StandardSkuLoadBalancers", 1000, "Standard Sku Load Balancers"),
    ("StandardSkuPublicIpAddresses", 1000, "Public IP Addresses - Standard"),
    ("DnsServersPerVirtualNetwork", 25, "DNS servers per Virtual Network"),
    ("SubnetsPerVirtualNetwork", 3000, "Subnets per Virtual Network"),
    ("IPConfigurationsPerVirtualNetwork", 65536, "IP Configurations per Virtual Network"),
    ("PeeringsPerVirtualNetwork", 500, "Peerings per Virtual Network"),
    ("SecurityRulesPerNetworkSecurityGroup", 1000, "Security rules per Network Security Group"),
    ("SecurityRuleAddressesOrPortsPerNetworkSecurityGroup", 4000,
     "Security rules addresses or ports per Network Security Group"),
    ("InboundRulesPerLoadBalancer", 1500, "Inbound Rules per Load Balancer"),
    ("FrontendIPConfigurationPerLoadBalancer", 600, "Frontend IP Configurations per Load Balancer"),
    ("outboundRulesPerLoadBalancer", 600, "Outbound Rules per Load Balancer"),
    ("RoutesPerRouteTable", 400, "Routes per Route Table"),
    ("SecondaryIPConfigurationsPerNetworkInterface", 256, "Secondary IP Configurations per Network Interface"),
    ("InboundRulesPerNetworkInterface", 500, "Inbound rules per Network Interface"),
    ("RouteFilterRulesPerRouteFilter", 1, "Route filter rules per Route Filter"),
    ("RouteFiltersPerExpressRouteBgpPeering", 1, "Route filters per Express route BGP Peering"),
)
_NETWORK_OVERRIDES: dict[str, dict[str, int]] = {"norwaywest": {"StandardSkuPublicIpAddresses": 10}}


def network_quota_limits(location: str) -> QuotaTable:
    """Network usage name -> (limit, localizedValue) for a region (raises ``KeyError`` if unknown)."""
    region = get_region(location).name
    over = _NETWORK_OVERRIDES.get(region, {})
    return {name: (over.get(name, limit), label) for name, limit, label in _NETWORK}


def compute_usages_payload(location: str, current: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """Items of the compute usages list; ``current`` maps usage name -> currentValue (default 0)."""
    cur = current or {}
    return [
        {"limit": limit, "unit": "Count", "currentValue": int(cur.get(name, 0)),
         "name": {"value": name, "localizedValue": label}}
        for name, (limit, label) in compute_quota_limits(location).items()
    ]


def network_usages_payload(location: str, subscription_id: str,
                           current: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """Items of the network usages list; ``current`` maps usage name -> currentValue (default 0)."""
    cur = current or {}
    region = get_region(location).name
    base = f"/subscriptions/{subscription_id}/providers/Microsoft.Network/locations/{region}/usages"
    return [
        {"currentValue": int(cur.get(name, 0)), "id": f"{base}/{name}", "limit": limit,
         "name": {"localizedValue": label, "value": name}, "unit": "Count"}
        for name, (limit, label) in network_quota_limits(location).items()
    ]
