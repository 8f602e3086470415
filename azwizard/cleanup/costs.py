"""Running-cost hints for what azwizard creates (preflight rule C8: "show running cost hints and age, so
users delete stale test rigs").

Every function prices from a :class:`~azwizard.pricing.book.PriceBook`: the chosen region's list prices
from the Azure Retail Prices API (``azwizard.pricing``), or, given none, the small dated table below —
pay-as-you-go list prices in USD for Linux in East US, the last fallback, marked as such. A size or SKU
that is in neither is reported as *unknown*, never guessed. Monthly figures are the hourly ones × 730 hours
(Azure's own convention on the pricing pages).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..pricing.book import PriceBook

HOURS_PER_MONTH = 730
PRICES_CURRENCY = "USD"
PRICES_REGION = "East US"
PRICES_AS_OF = "2025-01"
NOT_INCLUDED = "data transfer, disk transactions and backup storage"  # never in an estimate (traffic is not known)
PRICE_SOURCES: dict[str, str] = {
    "virtual machines": "https://azure.microsoft.com/pricing/details/virtual-machines/linux/",
    "managed disks": "https://azure.microsoft.com/pricing/details/managed-disks/",
    "public IP addresses": "https://azure.microsoft.com/pricing/details/ip-addresses/",
    "NAT gateway": "https://azure.microsoft.com/pricing/details/azure-nat-gateway/",
    "AKS": "https://azure.microsoft.com/pricing/details/kubernetes-service/",
    "container registry": "https://azure.microsoft.com/pricing/details/container-registry/",
    "backup": "https://azure.microsoft.com/pricing/details/backup/",
}

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
DISK_TIERS: dict[str, tuple[tuple[int, str, float], ...]] = {
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
NAT_GATEWAY_HOURLY = 0.045
NAT_GATEWAY_PER_GB = 0.045  # per GB processed, not estimated (traffic is not known)
AKS_TIER_HOURLY: dict[str, float] = {"Free": 0.0, "Standard": 0.10, "Premium": 0.60}
ACR_DAILY: dict[str, float] = {"Basic": 0.167, "Standard": 0.667, "Premium": 1.667}
# Azure Backup for a VM, per protected instance and month, by the instance's size (GB): ≤ 50 GB $5,
# ≤ 500 GB $10, then $10 per further 500 GB. Backup storage is billed on top and not estimated.
BACKUP_SMALL_INSTANCE_MONTHLY = 5.0
BACKUP_INSTANCE_MONTHLY_PER_500GB = 10.0


@dataclass(frozen=True)
class CostPart:
    label: str
    hourly: float | None  # None: not in the price list nor the table (unknown)
    note: str = ""


@dataclass(frozen=True)
class Cost:
    """An estimate made of parts; unknown parts are kept and named, never counted as zero."""

    parts: tuple[CostPart, ...] = ()
    currency: str = PRICES_CURRENCY

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
        unknown = "; ".join(p.note or f"{p.label}: not in the price list" for p in self.unknown_parts)
        if not self.parts:
            return "unknown (no price for this kind of resource)"
        if self.known:
            return money(self.known_hourly, self.currency)
        if self.known_hourly > 0:
            return f"{money(self.known_hourly, self.currency)} + unknown ({unknown})"
        return f"unknown ({unknown})"

    @property
    def charged(self) -> bool:
        """Some part costs money (or may: an unknown price): free parts say nothing about the currency."""
        return any(p.hourly != 0 for p in self.parts)

    def __add__(self, other: Cost) -> Cost:
        # The sum is in the currency of what is charged: a free resource group or VNet, priced without a book
        # (in the default currency), never relabels the euros of the VM beside it.
        if self.charged or not other.charged:
            currency = self.currency if self.parts or not other.parts else other.currency
        else:
            currency = other.currency
        return Cost(self.parts + other.parts, currency)


_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def amount(value: float, currency: str = PRICES_CURRENCY, digits: int = 2) -> str:
    """``$70.08``, ``€70.08``, ``CHF 70.08``."""
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{value:,.{digits}f}" if symbol else f"{currency.upper()} {value:,.{digits}f}"


def money(hourly: float, currency: str = PRICES_CURRENCY) -> str:
    if hourly == 0:
        return "no charge"
    return f"{amount(hourly, currency, 4)}/h (about {amount(hourly * HOURS_PER_MONTH, currency)}/month)"


def total(costs: Iterable[Cost | None]) -> Cost:
    """The sum of ``costs``: what ``Cost() + a + b + …`` gives (the currency rule of ``__add__``), in one pass.
    The fold itself rebuilt the tuple of parts and scanned it for a charge at every step: quadratic, about 100 ms
    of the UI thread for a 2,000-resource inventory's summary, 1 ms now (issue 26)."""
    parts: list[CostPart] = []
    currency = PRICES_CURRENCY
    charged = False  # some part so far is charged (Cost.charged of the running sum)
    for c in costs:
        if c is None:
            continue
        other_charged = c.charged
        if charged or not other_charged:
            currency = currency if parts or not c.parts else c.currency
        else:
            currency = c.currency
        parts += c.parts
        charged = charged or other_charged
    return Cost(tuple(parts), currency)


FREE = Cost((CostPart("no charge", 0.0),))


def unknown(label: str, why: str, book: PriceBook | None = None) -> Cost:
    return Cost((CostPart(label, None, why),), _currency(book))


# ------------------------------------------------------------------------------------------ price lookups


def _book(book: PriceBook | None) -> PriceBook:
    if book is not None:
        return book
    from ..pricing.book import table_book

    return table_book()


def _currency(book: PriceBook | None) -> str:
    return PRICES_CURRENCY if book is None else book.currency


def _pick(book: PriceBook | None, own: float | None, table: float | None) -> tuple[float | None, str]:
    """The book's price, else the dated table's (said in the note) when the currencies agree."""
    b = _book(book)
    if own is not None:
        return own, ""
    if b.source != "table" and table is not None and b.currency == PRICES_CURRENCY:
        return table, f"not in {b.region}'s price list: dated East US table ({PRICES_AS_OF})"
    return None, ""


# ------------------------------------------------------------------------------------------ per resource


def vm_hourly(size: str, book: PriceBook | None = None) -> float | None:
    return _book(book).vm_hourly.get(size.lower())


def vm_cost(size: str, power: str = "running", book: PriceBook | None = None) -> Cost:
    """A VM's compute only (its disks and public IPs are items of their own). Deallocated: not billed;
    stopped from inside the OS but still allocated: billed like running."""
    state = power.lower()
    cur = _currency(book)
    if state in ("deallocated", "deallocating"):
        return Cost((CostPart(f"compute {size}", 0.0, "deallocated: compute is not billed (disks and IPs are)"),),
                    cur)
    price = vm_hourly(size, book)
    if price is None:
        return unknown(f"compute {size}", f"{size} is not in the price list", book)
    note = "stopped but still allocated: billed like running" if state == "stopped" else ""
    return Cost((CostPart(f"compute {size}", price, note),), cur)


def disk_tier(sku: str, size_gb: int, book: PriceBook | None = None) -> tuple[str, float] | None:
    tiers = _book(book).disk_tiers.get(sku)
    if not tiers or size_gb <= _DISK_TIER_FLOOR.get(sku, 0):
        return None
    for limit, tier, monthly in tiers:
        if size_gb <= limit:
            return tier, monthly
    return None


def disk_cost(sku: str, size_gb: int | None, book: PriceBook | None = None) -> Cost:
    if size_gb is None:
        return unknown(f"disk {sku}", "the disk's size is not known", book)
    found = disk_tier(sku, size_gb, book)
    if found is None:
        return unknown(f"disk {sku} {size_gb} GiB", f"{sku} {size_gb} GiB is not in the price list", book)
    tier, monthly = found
    return Cost((CostPart(f"disk {tier} ({sku}, {size_gb} GiB)", monthly / HOURS_PER_MONTH),), _currency(book))


def public_ip_cost(sku: str, version: str = "IPv4", book: PriceBook | None = None) -> Cost:
    if sku.lower() != "standard":
        return unknown(f"public IP {sku}", f"public IP SKU {sku} is not in the price list", book)
    price, why = _pick(book, _book(book).public_ip_hourly, PUBLIC_IP_STANDARD_HOURLY)
    note = "; ".join(n for n in (why, "" if version == "IPv4" else "priced at the Standard public IP rate") if n)
    return Cost((CostPart(f"public {version} address (Standard)", price, note or
                          ("" if price is not None else "the Standard public IP price is not known")),), _currency(book))


def nat_gateway_cost(book: PriceBook | None = None) -> Cost:
    b = _book(book)
    price, why = _pick(book, b.nat_gateway_hourly, NAT_GATEWAY_HOURLY)
    per_gb = b.nat_gateway_per_gb if b.nat_gateway_per_gb is not None else NAT_GATEWAY_PER_GB
    traffic = f"plus {amount(per_gb, b.currency, 3)} per GB processed (not estimated)"
    return Cost((CostPart("NAT gateway", price, "; ".join(n for n in (traffic, why) if n)),), _currency(book))


def _premium_capable(size: str) -> bool:
    """Sizes with premium storage carry an ``s`` in their additive letters (D2s_v5, B2als_v2)."""
    m = re.match(r"^Standard_[A-Z]+\d+([a-z]*)", size)
    return bool(m and "s" in m.group(1))


def cluster_cost(tier: str, pools: Sequence[Mapping[str, Any]], power: str = "Running",
                 book: PriceBook | None = None) -> Cost:
    """An AKS cluster: its tier's per-cluster-hour fee, its nodes (VM price × count) and their managed OS
    disks. A stopped cluster's nodes are not billed."""
    parts: list[CostPart] = []
    fee, why = (0.0, "") if tier == "Free" else _pick(book, _book(book).aks_tier_hourly.get(tier),
                                                       AKS_TIER_HOURLY.get(tier))
    parts.append(CostPart(f"AKS {tier} tier", fee, why if fee is not None else f"AKS tier {tier} is not in the price list"))
    stopped = power.lower() == "stopped"
    for pool in pools:
        size = str(pool.get("vmSize") or "")
        count = int(pool.get("count") or 0)
        name = str(pool.get("name") or "pool")
        if stopped:
            parts.append(CostPart(f"{count} × {size} nodes ({name})", 0.0, "cluster stopped: nodes are not billed"))
        else:
            price = vm_hourly(size, book)
            parts.append(CostPart(f"{count} × {size} nodes ({name})", None if price is None else price * count,
                                  "" if price is not None else f"{size} is not in the price list"))
        if str(pool.get("osDiskType") or "Managed") == "Ephemeral":
            continue
        sku = "Premium_LRS" if _premium_capable(size) else "StandardSSD_LRS"
        disk = disk_cost(sku, int(pool.get("osDiskSizeGB") or 128), book)
        for part in disk.parts:
            parts.append(CostPart(f"{count} × node OS {part.label}", None if part.hourly is None else part.hourly * count,
                                  part.note or f"assumed {sku} (AKS managed OS disk)"))
    return Cost(tuple(parts), _currency(book))


def registry_cost(sku: str, book: PriceBook | None = None) -> Cost:
    daily, why = _pick(book, _book(book).acr_daily.get(sku), ACR_DAILY.get(sku))
    if daily is None:
        return unknown(f"container registry {sku}", f"registry SKU {sku} is not in the price list", book)
    return Cost((CostPart(f"container registry {sku}", daily / 24, why),), _currency(book))


def backup_instance_monthly(size_gb: int, book: PriceBook | None = None) -> float | None:
    """Azure Backup's fee per protected VM and month by its size: up to 50 GB half the instance price, up to
    500 GB the instance price, then one instance price per further 500 GB
    (https://azure.microsoft.com/pricing/details/backup/)."""
    unit, _ = _pick(book, _book(book).backup_instance_monthly, BACKUP_INSTANCE_MONTHLY_PER_500GB)
    if unit is None:
        return None
    if size_gb <= 50:
        return unit / 2
    return unit * max(1, math.ceil(size_gb / 500))


def vault_cost(instance_sizes_gb: Sequence[int | None], book: PriceBook | None = None) -> Cost:
    """A Recovery Services vault: one protected-instance fee per actively protected VM (soft-deleted
    items are not charged during soft delete); backup storage is extra and not estimated."""
    cur = _currency(book)
    if not instance_sizes_gb:
        return Cost((CostPart("vault (no protected items)", 0.0),), cur)
    parts = []
    for size in instance_sizes_gb:
        if size is None:
            parts.append(CostPart("protected VM", None, "the protected VM's size is not known"))
            continue
        monthly = backup_instance_monthly(size, book)
        parts.append(CostPart(f"protected VM ({size} GB)", None if monthly is None else monthly / HOURS_PER_MONTH,
                              "backup storage not included"))
    return Cost(tuple(parts), cur)


_FREE_KINDS = frozenset({
    "microsoft.network/virtualnetworks", "microsoft.network/networksecuritygroups",
    "microsoft.network/networkinterfaces", "microsoft.resources/resourcegroups",
    "microsoft.authorization/roleassignments",
    "microsoft.containerservice/managedclusters/maintenanceconfigurations",
})


# Managed Prometheus' resources have no standing charge: the Azure Monitor workspace bills the metrics samples it
# ingests and the queries it serves (recording rules included), data collection endpoints, rules and their
# associations nothing by themselves (https://azure.microsoft.com/pricing/details/monitor/, "Metrics" tab).
_USAGE_KINDS = frozenset({
    "microsoft.monitor/accounts", "microsoft.insights/datacollectionendpoints",
    "microsoft.insights/datacollectionrules", "microsoft.insights/datacollectionruleassociations",
    "microsoft.alertsmanagement/prometheusrulegroups",
})
USAGE_NOTE = "no standing charge; the metrics ingested and queried are billed per sample"


def priced(kind: str) -> bool:
    """Whether a resource of this ARM type costs anything by itself (so its region's prices are needed)."""
    return kind.lower() not in _FREE_KINDS | _USAGE_KINDS


def estimate(kind: str, body: Mapping[str, Any], *, state: str = "", protected_sizes_gb: Sequence[int | None] = (),
             book: PriceBook | None = None) -> Cost:
    """The cost of one resource from its wire body (camelCase JSON as ARM returns it)."""
    k = kind.lower()
    props = body.get("properties") or {}
    sku = body.get("sku") or {}
    if k in _FREE_KINDS:
        return Cost(FREE.parts, _currency(book))
    if k in _USAGE_KINDS:
        return Cost((CostPart("usage only", 0.0, USAGE_NOTE),), _currency(book))
    if k == "microsoft.compute/virtualmachines":
        return vm_cost(str((props.get("hardwareProfile") or {}).get("vmSize") or "?"), state or "running", book)
    if k == "microsoft.compute/disks":
        size = props.get("diskSizeGB")
        return disk_cost(str(sku.get("name") or "?"), int(size) if size is not None else None, book)
    if k == "microsoft.network/publicipaddresses":
        return public_ip_cost(str(sku.get("name") or "Basic"), str(props.get("publicIPAddressVersion") or "IPv4"),
                              book)
    if k == "microsoft.network/natgateways":
        return nat_gateway_cost(book)
    if k == "microsoft.containerservice/managedclusters":
        tier = str(sku.get("tier") or "Free")
        power = str((props.get("powerState") or {}).get("code") or state or "Running")
        return cluster_cost(tier, list(props.get("agentPoolProfiles") or []), power, book)
    if k == "microsoft.containerregistry/registries":
        return registry_cost(str(sku.get("name") or "?"), book)
    if k == "microsoft.recoveryservices/vaults":
        return vault_cost(protected_sizes_gb, book)
    return unknown(str(body.get("type") or kind), "this kind of resource is not in the price list", book)


def estimate_plan_resources(steps: Iterable[Any], book: PriceBook | None = None) -> list[tuple[str, str, Cost]]:
    """(kind, name, cost) per resource a plan creates: each step's body priced like the created resource;
    a VM's OS and data disks (which the VM creates for itself, not steps) are rows of their own."""
    rows: list[tuple[str, str, Cost]] = []
    for step in steps:
        kind = str(step.kind).lower()
        if kind.endswith("/protecteditems"):
            continue  # priced with the vault
        name = str(getattr(step, "name", "") or "")
        rows.append((str(step.kind), name, estimate(step.kind, step.body, book=book)))
        if kind == "microsoft.compute/virtualmachines":
            storage = (step.body.get("properties") or {}).get("storageProfile") or {}
            os_disk = storage.get("osDisk") or {}
            sku = str((os_disk.get("managedDisk") or {}).get("storageAccountType") or "StandardSSD_LRS")
            rows.append(("Microsoft.Compute/disks", str(os_disk.get("name") or f"{name} OS disk"),
                         disk_cost(sku, int(os_disk.get("diskSizeGB") or 30), book)))
            for data in storage.get("dataDisks") or []:
                dsku = str((data.get("managedDisk") or {}).get("storageAccountType") or sku)
                rows.append(("Microsoft.Compute/disks", str(data.get("name") or f"{name} data disk"),
                             disk_cost(dsku, int(data.get("diskSizeGB") or 64), book)))
    return rows


def estimate_plan_steps(steps: Iterable[Any], book: PriceBook | None = None) -> Cost:
    """What a plan's resources cost per hour once created (a review and done-screen figure)."""
    out = Cost((), _currency(book))
    for _, _, cost in estimate_plan_resources(steps, book):
        out = out + cost
    return out
