"""Running-cost hints for what azwizard creates (preflight rule C8: "show running cost hints and age, so
users delete stale test rigs").

A small price table, not a bill: pay-as-you-go list prices in USD for Linux, in one region, for the sizes and
resources this product creates. A size or SKU that is not in the table is reported as *unknown*, never
guessed. Monthly figures are the hourly ones × 730 hours (Azure's own convention on the pricing pages).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HOURS_PER_MONTH = 730
PRICES_CURRENCY = "USD"
PRICES_REGION = "East US"
PRICES_AS_OF = "2025-01"
PRICE_SOURCES: dict[str, str] = {
    "virtual machines": "https://azure.microsoft.com/pricing/details/virtual-machines/linux/",
    "managed disks": "https://azure.microsoft.com/pricing/details/managed-disks/",
    "public IP addresses": "https://azure.microsoft.com/pricing/details/ip-addresses/",
    "NAT gateway": "https://azure.microsoft.com/pricing/details/azure-nat-gateway/",
    "AKS": "https://azure.microsoft.com/pricing/details/kubernetes-service/",
    "container registry": "https://azure.microsoft.com/pricing/details/container-registry/",
    "backup": "https://azure.microsoft.com/pricing/details/backup/",
}
PRICES_NOTE = (
    f"Estimates from pay-as-you-go list prices ({PRICES_CURRENCY}, Linux, {PRICES_REGION}) on the Azure pricing "
    f"pages as of {PRICES_AS_OF}. Other regions cost more or less (Norway East is typically higher); data "
    "transfer, disk transactions and backup storage are not included. Check the pricing calculator "
    "(https://azure.microsoft.com/pricing/calculator/) for a quote."
)

# Linux VM, per hour. Only sizes whose list price is known here; anything else is "unknown".
VM_HOURLY: dict[str, float] = {
    # B-series (burstable)
    "Standard_B1ls": 0.0052, "Standard_B1s": 0.0104, "Standard_B1ms": 0.0207, "Standard_B2s": 0.0416,
    "Standard_B2ms": 0.0832, "Standard_B4ms": 0.166, "Standard_B8ms": 0.333,
    # Bsv2 / Basv2 / Bpsv2
    "Standard_B2ts_v2": 0.0104, "Standard_B2ls_v2": 0.0416, "Standard_B2s_v2": 0.0832,
    "Standard_B4ls_v2": 0.0832, "Standard_B4s_v2": 0.1664,
    "Standard_B2ats_v2": 0.0094, "Standard_B2als_v2": 0.0376, "Standard_B2as_v2": 0.0752,
    "Standard_B4als_v2": 0.0752, "Standard_B4as_v2": 0.1504,
    "Standard_B2pts_v2": 0.0084, "Standard_B2pls_v2": 0.0336, "Standard_B2ps_v2": 0.0672,
    "Standard_B4ps_v2": 0.1344,
    # D-series (general purpose)
    "Standard_D2s_v5": 0.096, "Standard_D4s_v5": 0.192, "Standard_D8s_v5": 0.384, "Standard_D16s_v5": 0.768,
    "Standard_D2_v5": 0.096, "Standard_D4_v5": 0.192,
    "Standard_D2ds_v5": 0.113, "Standard_D4ds_v5": 0.226, "Standard_D8ds_v5": 0.452,
    "Standard_D2as_v5": 0.086, "Standard_D4as_v5": 0.172, "Standard_D8as_v5": 0.344,
    "Standard_D2ads_v5": 0.103, "Standard_D4ads_v5": 0.206,
    "Standard_D2ps_v5": 0.077, "Standard_D4ps_v5": 0.154,
    "Standard_D2s_v4": 0.096, "Standard_D4s_v4": 0.192,
    "Standard_D2s_v3": 0.096, "Standard_D4s_v3": 0.192, "Standard_D8s_v3": 0.384, "Standard_D2_v3": 0.096,
    "Standard_DS1_v2": 0.073, "Standard_DS2_v2": 0.146,
    # E-series (memory optimised)
    "Standard_E2s_v5": 0.126, "Standard_E4s_v5": 0.252, "Standard_E8s_v5": 0.504, "Standard_E16s_v5": 1.008,
    "Standard_E2as_v5": 0.113, "Standard_E4as_v5": 0.226,
    "Standard_E2ds_v5": 0.144, "Standard_E4ds_v5": 0.288,
    "Standard_E2s_v3": 0.126, "Standard_E4s_v3": 0.252,
}

# Managed disks, per month, LRS, by performance tier: (largest size in GiB, tier, USD per month).
_DISK_TIERS: dict[str, tuple[tuple[int, str, float], ...]] = {
    "StandardSSD_LRS": ((4, "E1", 0.30), (8, "E2", 0.60), (16, "E3", 1.20), (32, "E4", 2.40), (64, "E6", 4.80),
                        (128, "E10", 9.60), (256, "E15", 19.20), (512, "E20", 38.40), (1024, "E30", 76.80),
                        (2048, "E40", 153.60), (4096, "E50", 307.20)),
    # P1–P3 are left out on purpose (not known here): a size that small is reported as unknown.
    "Premium_LRS": ((32, "P4", 5.28), (64, "P6", 10.21), (128, "P10", 19.71), (256, "P15", 38.01),
                    (512, "P20", 73.22), (1024, "P30", 135.17), (2048, "P40", 259.05), (4096, "P50", 495.57)),
    "Standard_LRS": ((32, "S4", 1.54), (64, "S6", 3.01), (128, "S10", 5.89), (256, "S15", 11.33),
                     (512, "S20", 21.76), (1024, "S30", 40.96), (2048, "S40", 77.83), (4096, "S50", 143.36)),
}
_DISK_TIER_FLOOR: dict[str, int] = {"Premium_LRS": 4, "Standard_LRS": 0, "StandardSSD_LRS": 0}

PUBLIC_IP_STANDARD_HOURLY = 0.005  # Standard SKU, static (the only allocation Standard allows)
NAT_GATEWAY_HOURLY = 0.045  # plus 0.045 per GB processed, not estimated
AKS_TIER_HOURLY: dict[str, float] = {"Free": 0.0, "Standard": 0.10, "Premium": 0.60}
ACR_DAILY: dict[str, float] = {"Basic": 0.167, "Standard": 0.667, "Premium": 1.667}
# Azure Backup for a VM, per protected instance and month, by the instance's size (GB): ≤ 50 GB $5,
# ≤ 500 GB $10, then $10 per further 500 GB. Backup storage is billed on top and not estimated.
BACKUP_SMALL_INSTANCE_MONTHLY = 5.0
BACKUP_INSTANCE_MONTHLY_PER_500GB = 10.0


@dataclass(frozen=True)
class CostPart:
    label: str
    hourly: float | None  # None: not in the price table (unknown)
    note: str = ""


@dataclass(frozen=True)
class Cost:
    """An estimate made of parts; unknown parts are kept and named, never counted as zero."""

    parts: tuple[CostPart, ...] = ()

    @property
    def known(self) -> bool:
        return all(p.hourly is not None for p in self.parts)

    @property
    def hourly(self) -> float | None:
        """The hourly estimate, or None when some part is unknown."""
        return self.known_hourly if self.known else None

    @property
    def monthly(self) -> float | None:
        hourly = self.hourly
        return None if hourly is None else hourly * HOURS_PER_MONTH

    @property
    def known_hourly(self) -> float:
        return sum(p.hourly for p in self.parts if p.hourly is not None)

    @property
    def unknown_parts(self) -> list[CostPart]:
        return [p for p in self.parts if p.hourly is None]

    def describe(self) -> str:
        """``$0.096/h (about $70.08/month)``; ``unknown (…)`` when nothing is known; both when partly."""
        unknown = "; ".join(p.note or f"{p.label}: not in the price table" for p in self.unknown_parts)
        if not self.parts:
            return "unknown (no price for this kind of resource)"
        if self.known:
            return money(self.known_hourly)
        if self.known_hourly > 0:
            return f"{money(self.known_hourly)} + unknown ({unknown})"
        return f"unknown ({unknown})"

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.parts + other.parts)


def money(hourly: float) -> str:
    if hourly == 0:
        return "no charge"
    return f"${hourly:.4f}/h (about ${hourly * HOURS_PER_MONTH:,.2f}/month)"


def total(costs: Iterable[Cost | None]) -> Cost:
    out = Cost()
    for c in costs:
        if c is not None:
            out = out + c
    return out


FREE = Cost((CostPart("no charge", 0.0),))


def unknown(label: str, why: str) -> Cost:
    return Cost((CostPart(label, None, why),))


# ------------------------------------------------------------------------------------------ per resource


def vm_hourly(size: str) -> float | None:
    for name, price in VM_HOURLY.items():
        if name.lower() == size.lower():
            return price
    return None


def vm_cost(size: str, power: str = "running") -> Cost:
    """A VM's compute only (its disks and public IPs are items of their own). Deallocated: not billed;
    stopped from inside the OS but still allocated: billed like running."""
    state = power.lower()
    if state in ("deallocated", "deallocating"):
        return Cost((CostPart(f"compute {size}", 0.0, "deallocated: compute is not billed (disks and IPs are)"),))
    price = vm_hourly(size)
    if price is None:
        return unknown(f"compute {size}", f"{size} is not in the price table")
    note = "stopped but still allocated: billed like running" if state == "stopped" else ""
    return Cost((CostPart(f"compute {size}", price, note),))


def disk_tier(sku: str, size_gb: int) -> tuple[str, float] | None:
    tiers = _DISK_TIERS.get(sku)
    if tiers is None or size_gb <= _DISK_TIER_FLOOR.get(sku, 0):
        return None
    for limit, tier, monthly in tiers:
        if size_gb <= limit:
            return tier, monthly
    return None


def disk_cost(sku: str, size_gb: int | None) -> Cost:
    if size_gb is None:
        return unknown(f"disk {sku}", "the disk's size is not known")
    found = disk_tier(sku, size_gb)
    if found is None:
        return unknown(f"disk {sku} {size_gb} GiB", f"{sku} {size_gb} GiB is not in the price table")
    tier, monthly = found
    return Cost((CostPart(f"disk {tier} ({sku}, {size_gb} GiB)", monthly / HOURS_PER_MONTH),))


def public_ip_cost(sku: str, version: str = "IPv4") -> Cost:
    if sku.lower() != "standard":
        return unknown(f"public IP {sku}", f"public IP SKU {sku} is not in the price table")
    note = "" if version == "IPv4" else "priced at the Standard public IP rate"
    return Cost((CostPart(f"public {version} address (Standard)", PUBLIC_IP_STANDARD_HOURLY, note),))


def nat_gateway_cost() -> Cost:
    return Cost((CostPart("NAT gateway", NAT_GATEWAY_HOURLY, "plus $0.045 per GB processed (not estimated)"),))


def _premium_capable(size: str) -> bool:
    """Sizes with premium storage carry an ``s`` in their additive letters (D2s_v5, B2als_v2)."""
    m = re.match(r"^Standard_[A-Z]+\d+([a-z]*)", size)
    return bool(m and "s" in m.group(1))


def cluster_cost(tier: str, pools: Sequence[Mapping[str, Any]], power: str = "Running") -> Cost:
    """An AKS cluster: its tier's per-cluster-hour fee, its nodes (VM price × count) and their managed OS
    disks. A stopped cluster's nodes are not billed."""
    parts: list[CostPart] = []
    fee = AKS_TIER_HOURLY.get(tier)
    parts.append(CostPart(f"AKS {tier} tier", fee, "" if fee is not None else f"AKS tier {tier} is not in the price table"))
    stopped = power.lower() == "stopped"
    for pool in pools:
        size = str(pool.get("vmSize") or "")
        count = int(pool.get("count") or 0)
        name = str(pool.get("name") or "pool")
        if stopped:
            parts.append(CostPart(f"{count} × {size} nodes ({name})", 0.0, "cluster stopped: nodes are not billed"))
        else:
            price = vm_hourly(size)
            parts.append(CostPart(f"{count} × {size} nodes ({name})", None if price is None else price * count,
                                  "" if price is not None else f"{size} is not in the price table"))
        if str(pool.get("osDiskType") or "Managed") == "Ephemeral":
            continue
        sku = "Premium_LRS" if _premium_capable(size) else "StandardSSD_LRS"
        disk = disk_cost(sku, int(pool.get("osDiskSizeGB") or 128))
        for part in disk.parts:
            parts.append(CostPart(f"{count} × node OS {part.label}", None if part.hourly is None else part.hourly * count,
                                  part.note or f"assumed {sku} (AKS managed OS disk)"))
    return Cost(tuple(parts))


def registry_cost(sku: str) -> Cost:
    daily = ACR_DAILY.get(sku)
    if daily is None:
        return unknown(f"container registry {sku}", f"registry SKU {sku} is not in the price table")
    return Cost((CostPart(f"container registry {sku}", daily / 24),))


def backup_instance_monthly(size_gb: int) -> float:
    if size_gb <= 50:
        return BACKUP_SMALL_INSTANCE_MONTHLY
    return BACKUP_INSTANCE_MONTHLY_PER_500GB * max(1, math.ceil(size_gb / 500))


def vault_cost(instance_sizes_gb: Sequence[int | None]) -> Cost:
    """A Recovery Services vault: one protected-instance fee per actively protected VM (soft-deleted
    items are not charged during soft delete); backup storage is extra and not estimated."""
    if not instance_sizes_gb:
        return Cost((CostPart("vault (no protected items)", 0.0),))
    parts = []
    for size in instance_sizes_gb:
        if size is None:
            parts.append(CostPart("protected VM", None, "the protected VM's size is not known"))
        else:
            parts.append(CostPart(f"protected VM ({size} GB)", backup_instance_monthly(size) / HOURS_PER_MONTH,
                                  "backup storage not included"))
    return Cost(tuple(parts))


_FREE_KINDS = frozenset({
    "microsoft.network/virtualnetworks", "microsoft.network/networksecuritygroups",
    "microsoft.network/networkinterfaces", "microsoft.resources/resourcegroups",
    "microsoft.authorization/roleassignments",
    "microsoft.containerservice/managedclusters/maintenanceconfigurations",
})


def estimate(kind: str, body: Mapping[str, Any], *, state: str = "", protected_sizes_gb: Sequence[int | None] = ()) -> Cost:
    """The cost of one resource from its wire body (camelCase JSON as ARM returns it)."""
    k = kind.lower()
    props = body.get("properties") or {}
    sku = body.get("sku") or {}
    if k in _FREE_KINDS:
        return FREE
    if k == "microsoft.compute/virtualmachines":
        return vm_cost(str((props.get("hardwareProfile") or {}).get("vmSize") or "?"), state or "running")
    if k == "microsoft.compute/disks":
        size = props.get("diskSizeGB")
        return disk_cost(str(sku.get("name") or "?"), int(size) if size is not None else None)
    if k == "microsoft.network/publicipaddresses":
        return public_ip_cost(str(sku.get("name") or "Basic"), str(props.get("publicIPAddressVersion") or "IPv4"))
    if k == "microsoft.network/natgateways":
        return nat_gateway_cost()
    if k == "microsoft.containerservice/managedclusters":
        tier = str(sku.get("tier") or "Free")
        power = str((props.get("powerState") or {}).get("code") or state or "Running")
        return cluster_cost(tier, list(props.get("agentPoolProfiles") or []), power)
    if k == "microsoft.containerregistry/registries":
        return registry_cost(str(sku.get("name") or "?"))
    if k == "microsoft.recoveryservices/vaults":
        return vault_cost(protected_sizes_gb)
    return unknown(str(body.get("type") or kind), "this kind of resource is not in the price table")


def estimate_plan_steps(steps: Iterable[Any]) -> Cost:
    """What a plan's resources cost per hour once created (a review and done-screen figure): each step's
    body priced like the created resource, plus the OS disk a VM creates for itself (not a step)."""
    out = Cost()
    for step in steps:
        kind = str(step.kind).lower()
        if kind.endswith("/protecteditems"):
            continue  # priced with the vault
        out = out + estimate(step.kind, step.body)
        if kind == "microsoft.compute/virtualmachines":
            storage = (step.body.get("properties") or {}).get("storageProfile") or {}
            os_disk = storage.get("osDisk") or {}
            sku = str((os_disk.get("managedDisk") or {}).get("storageAccountType") or "StandardSSD_LRS")
            out = out + disk_cost(sku, int(os_disk.get("diskSizeGB") or 30))
            for data in storage.get("dataDisks") or []:
                dsku = str((data.get("managedDisk") or {}).get("storageAccountType") or sku)
                out = out + disk_cost(dsku, int(data.get("diskSizeGB") or 64))
    return out
