"""A price book: the list prices of one region in one currency, with where they came from and when.

Sources, best first (``PriceBook.source``):

* ``live``  — read from the Azure Retail Prices API just now (:mod:`.fetch`);
* ``cache`` — read from that API earlier and kept on disk (:mod:`.store`), with the date it was fetched;
* ``table`` — the dated East US table in :mod:`azwizard.cleanup.costs`, the last fallback, marked as such.

A live or cached book that lacks one price (a meter the API did not list for the region) takes that one
from the table and says so in the part's note; nothing is ever priced at zero for want of a price.
Monthly figures are hourly × 730 hours (https://azure.microsoft.com/pricing/calculator/ "730 hours").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Source = Literal["live", "cache", "table"]

# The size (GiB) each managed-disk performance tier covers, per https://learn.microsoft.com/azure/virtual-machines/disks-types
# ("Disk size" tables for Premium SSD, Standard SSD and Standard HDD): P/E/S + the tier number.
TIER_GIB: dict[str, int] = {
    "1": 4, "2": 8, "3": 16, "4": 32, "6": 64, "10": 128, "15": 256, "20": 512, "30": 1024, "40": 2048,
    "50": 4096, "60": 8192, "70": 16384, "80": 32767,
}

DiskTiers = tuple[tuple[int, str, float], ...]  # (largest size in GiB, tier, price per month), ascending


@dataclass(frozen=True)
class PriceBook:
    """List prices for one region; every amount in ``currency``. Lookups are by lower-cased name."""

    region: str
    currency: str
    as_of: str  # the date the prices were fetched (YYYY-MM-DD), or the table's month
    source: Source
    vm_hourly: Mapping[str, float] = field(default_factory=dict)
    disk_tiers: Mapping[str, DiskTiers] = field(default_factory=dict)
    public_ip_hourly: float | None = None
    nat_gateway_hourly: float | None = None
    nat_gateway_per_gb: float | None = None
    aks_tier_hourly: Mapping[str, float] = field(default_factory=dict)
    acr_daily: Mapping[str, float] = field(default_factory=dict)
    backup_instance_monthly: float | None = None  # per protected VM up to 500 GB (half up to 50 GB)
    note: str = ""  # e.g. "Azure Government: these are the public cloud's list prices"

    @property
    def is_fallback(self) -> bool:
        return self.source == "table"

    def label(self) -> str:
        """``list prices, westeurope, USD, fetched 2026-12-07`` / ``… cached 2026-12-01`` / the fallback's."""
        if self.source == "table":
            text = (f"FALLBACK dated table: {self.currency} list prices for East US as of {self.as_of}, "
                    f"not {self.region}'s (the price list could not be read)")
            return f"{text}; {self.note}" if self.note else text
        how = "fetched" if self.source == "live" else "cached, fetched"
        text = f"list prices, {self.region}, {self.currency}, {how} {self.as_of}"
        return f"{text}; {self.note}" if self.note else text

    def with_source(self, source: Source, note: str | None = None) -> PriceBook:
        return replace(self, source=source, note=self.note if note is None else note)

    # --------------------------------------------------------------------------------- JSON (the cache)

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.region, "currency": self.currency, "as_of": self.as_of,
            "vm_hourly": dict(self.vm_hourly),
            "disk_tiers": {k: [list(t) for t in v] for k, v in self.disk_tiers.items()},
            "public_ip_hourly": self.public_ip_hourly, "nat_gateway_hourly": self.nat_gateway_hourly,
            "nat_gateway_per_gb": self.nat_gateway_per_gb, "aks_tier_hourly": dict(self.aks_tier_hourly),
            "acr_daily": dict(self.acr_daily), "backup_instance_monthly": self.backup_instance_monthly,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: Source = "cache", note: str = "") -> PriceBook:
        tiers = {str(k): tuple((int(a), str(b), float(c)) for a, b, c in v)
                 for k, v in dict(data.get("disk_tiers") or {}).items()}
        return cls(
            region=str(data["region"]), currency=str(data["currency"]), as_of=str(data["as_of"]), source=source,
            vm_hourly={str(k): float(v) for k, v in dict(data.get("vm_hourly") or {}).items()},
            disk_tiers=tiers,
            public_ip_hourly=_opt(data.get("public_ip_hourly")),
            nat_gateway_hourly=_opt(data.get("nat_gateway_hourly")),
            nat_gateway_per_gb=_opt(data.get("nat_gateway_per_gb")),
            aks_tier_hourly={str(k): float(v) for k, v in dict(data.get("aks_tier_hourly") or {}).items()},
            acr_daily={str(k): float(v) for k, v in dict(data.get("acr_daily") or {}).items()},
            backup_instance_monthly=_opt(data.get("backup_instance_monthly")),
            note=note,
        )


def _opt(value: Any) -> float | None:
    return None if value is None else float(value)


def table_book(region: str = "eastus", currency: str = "USD") -> PriceBook:
    """The dated East US table (USD) as a book: the last fallback. Another currency is not converted (the
    table has none), so its figures stay USD and the label says so."""
    from ..cleanup import costs

    tiers = {sku: tuple((limit, tier, monthly) for limit, tier, monthly in rows)
             for sku, rows in costs.DISK_TIERS.items()}
    return PriceBook(
        region=region, currency=costs.PRICES_CURRENCY, as_of=costs.PRICES_AS_OF, source="table",
        vm_hourly={k.lower(): v for k, v in costs.VM_HOURLY.items()}, disk_tiers=tiers,
        public_ip_hourly=costs.PUBLIC_IP_STANDARD_HOURLY, nat_gateway_hourly=costs.NAT_GATEWAY_HOURLY,
        nat_gateway_per_gb=costs.NAT_GATEWAY_PER_GB, aks_tier_hourly=dict(costs.AKS_TIER_HOURLY),
        acr_daily=dict(costs.ACR_DAILY), backup_instance_monthly=costs.BACKUP_INSTANCE_MONTHLY_PER_500GB,
        note="" if currency == costs.PRICES_CURRENCY else f"{currency} was asked for; the table has only USD",
    )
