"""The simulated resource-SKU catalog (``GET .../providers/Microsoft.Compute/skus``).

Records are wire dicts exactly as ``api-version=2021-07-01`` returns them: camelCase keys
(``resourceType``, ``name``, ``tier``, ``size``, ``family``, ``locations``, ``locationInfo``,
``capabilities``, ``restrictions``), one record per SKU per region, every capability value a string.

How the catalog is built:

* VM sizes: every one of the 806 real names in ``vm_sku_names.json`` is parsed and its capabilities
  derived from the per-series facts in :mod:`._series` (real where known, otherwise modelled).
* Region availability is rule-based and deterministic (no randomness): a series' availability class
  (core / wide / special / legacy / promo) decides in which regions it is listed; "special" series are
  additionally missing from some big regions (stable CRC32 of region + series) and may be limited to
  some zones. Every name is offered in ``eastus``.
* Generic restrictions mimic what real payloads show: ``*_Promo`` sizes are Location + Zone restricted,
  retired GPU and A-series sizes are Zone restricted in all zones (regional deployments only), M-series
  sizes have one restricted zone.
* :data:`DELIBERATE_RESTRICTIONS` adds fixed scenarios other tests can rely on, and
  :data:`GUARANTEED_UNRESTRICTED` lists sizes guaranteed offered in every zone with no restriction.
* ``eastus`` uses the four real records of ``resource_skus_eastus_sample.json`` verbatim
  (they replace the generated records of the same name).
* ``disks`` (per performance tier, like the real API) and ``availabilitySets`` records are included
  per region.

The generated lists are cached; treat returned records as read-only (they are shared).
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from . import _series
from ._series import CORE, LEGACY, PROMO, SERIES, SPECIAL, WIDE, Series
from .locations import REGIONS, get_region, normalize_location

API_VERSION_SKUS = "2021-07-01"

NOT_AVAILABLE = "NotAvailableForSubscription"
QUOTA_ID = "QuotaId"

Record = dict[str, Any]


# ---------------------------------------------------------------------------------------------------
# Deliberate scenarios (tests elsewhere may rely on these)
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeliberateRestriction:
    """A restriction the simulator always reports (``zones`` empty for ``Location`` restrictions)."""

    location: str
    sku: str
    type: str  # "Location" | "Zone"
    zones: tuple[str, ...] = ()
    reason_code: str = NOT_AVAILABLE


DELIBERATE_RESTRICTIONS: tuple[DeliberateRestriction, ...] = (
    # norwayeast: a few sizes not available for this subscription at all...
    DeliberateRestriction("norwayeast", "Standard_B2ats_v2", "Location"),
    DeliberateRestriction("norwayeast", "Standard_D2as_v5", "Location"),
    DeliberateRestriction("norwayeast", "Standard_E2as_v5", "Location"),
    DeliberateRestriction("norwayeast", "Standard_NC4as_T4_v3", "Location"),
    # ...and D/E sizes that cannot be placed in zone 2
    DeliberateRestriction("norwayeast", "Standard_D8s_v5", "Zone", ("2",)),
    DeliberateRestriction("norwayeast", "Standard_E4s_v5", "Zone", ("2",)),
    # westeurope: AMD burstable sizes blocked in zone 3; a GPU size blocked by offer type
    DeliberateRestriction("westeurope", "Standard_B2als_v2", "Zone", ("3",)),
    DeliberateRestriction("westeurope", "Standard_B4als_v2", "Zone", ("3",)),
    DeliberateRestriction("westeurope", "Standard_ND96asr_v4", "Location", (), QUOTA_ID),
    # swedencentral: Bv2 sizes not available for this subscription (seen in real subscriptions)
    DeliberateRestriction("swedencentral", "Standard_B2s_v2", "Location"),
    DeliberateRestriction("swedencentral", "Standard_B2as_v2", "Location"),
    # uksouth / westus2: single-zone blocks on popular sizes
    DeliberateRestriction("uksouth", "Standard_D2ads_v5", "Zone", ("1",)),
    DeliberateRestriction("westus2", "Standard_E2s_v5", "Zone", ("1",)),
    # norwaywest (no zones): a Location restriction
    DeliberateRestriction("norwaywest", "Standard_D4as_v5", "Location"),
)

GUARANTEED_UNRESTRICTED: dict[str, tuple[str, ...]] = {
    "norwayeast": (
        "Standard_B2s", "Standard_B2als_v2", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_DS2_v2",
        "Standard_DS3_v2", "Standard_D4ds_v5", "Standard_E2ds_v5",
    ),
    "westeurope": ("Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_DS2_v2", "Standard_D4ds_v5"),
    "swedencentral": ("Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D4ds_v5"),
    "eastus": ("Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D4ds_v5"),
    "westus2": ("Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D4ds_v5"),
    "norwaywest": ("Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5"),
    "ukwest": ("Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5"),
}
"""Sizes offered with every zone of the region and no restriction at all."""

# Region classes for availability.
# The large US hubs carry (nearly) every series; the other recommended regions with zones most of them
# (https://azure.microsoft.com/explore/global-infrastructure/products-by-region/).
_FULL = frozenset({"eastus", "westus2", "westeurope", "northeurope", "eastus2", "southcentralus", "centralus",
                   "westus3"})
_LARGE = frozenset({"swedencentral", "uksouth", "westus", "norwayeast", "australiaeast", "southeastasia",
                    "japaneast", "canadacentral", "francecentral", "germanywestcentral", "centralindia",
                    "koreacentral", "brazilsouth", "switzerlandnorth"})
_LEGACY_REGIONS = frozenset({"eastus", "westus", "westus2", "westeurope", "northeurope", "uksouth", "eastus2",
                             "southcentralus", "centralus"})
_PROMO_REGIONS = frozenset({"eastus", "westus", "westus2", "westeurope", "northeurope"})
# Series missing from the small regions although "core".
_SMALL_EXCLUDED = frozenset({"Da_v4", "Das_v4", "Ea_v4", "Eas_v4", "F", "Fs", "Dd_v4", "Ed_v4"})
# Regions where Ultra disks are available per zone (zoneDetails on premium sizes).
_ULTRA_REGIONS = frozenset({"eastus", "westus2", "westeurope", "northeurope", "swedencentral", "uksouth",
                            "norwayeast", "eastus2", "centralus", "southcentralus", "westus3"})


def _crc(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode())


# ---------------------------------------------------------------------------------------------------
# Name parsing
# ---------------------------------------------------------------------------------------------------

_SIZE_RE = re.compile(r"^(?P<letters>[A-Z]+)(?P<n>\d+)(?:-(?P<c>\d+))?(?P<suffix>[a-z]*)(?P<rest>(?:_[A-Za-z0-9]+)*)$")


@dataclass(frozen=True)
class ParsedSize:
    """A VM size name split into its parts: ``Standard_E4-2ads_v5``."""

    name: str  # Standard_E4-2ads_v5
    tier: str  # Standard | Basic
    size: str  # E4-2ads_v5
    letters: str  # E
    number: int  # 4
    constrained: int | None  # 2 (constrained-vCPU size), else None
    suffix: str  # ads
    rest: str  # _v5
    series_key: str  # Eads_v5

    @property
    def parent_name(self) -> str | None:
        """The full-core size a constrained-vCPU size derives from (``Standard_E4ads_v5``)."""
        if self.constrained is None:
            return None
        return f"{self.tier}_{self.letters}{self.number}{self.suffix}{self.rest}"


def parse_size_name(name: str) -> ParsedSize | None:
    """Parse ``Standard_D4ds_v5`` / ``Basic_A1`` into :class:`ParsedSize`; ``None`` if unparsable."""
    tier, sep, size = name.partition("_")
    if not sep or tier not in ("Standard", "Basic"):
        return None
    m = _SIZE_RE.match(size)
    if not m:
        return None
    letters, number, suffix, rest = m["letters"], int(m["n"]), m["suffix"], m["rest"]
    key = f"{letters}{suffix}{rest}"
    if tier == "Basic":
        key = f"Basic:{key}"
    elif letters == "M" and rest.endswith("_v2") and number >= 208:
        key = f"{key}@mv2"
    return ParsedSize(name, tier, size, letters, number, int(m["c"]) if m["c"] else None, suffix, rest, key)


# ---------------------------------------------------------------------------------------------------
# Capabilities
# ---------------------------------------------------------------------------------------------------

_GIB = 1024**3
_V5_UNCACHED = ((1, 1875, 42500000), (2, 3750, 85000000), (4, 6400, 145000000), (8, 12800, 290000000),
                (16, 25600, 600000000), (20, 32000, 750000000), (32, 51200, 865000000),
                (48, 76800, 1315000000), (64, 80000, 1735000000), (96, 80000, 2600000000))
_V5_COMBINED = ((1, 4500, 62500000), (2, 9000, 125000000), (4, 19000, 250000000), (8, 38000, 500000000),
                (16, 75000, 1000000000), (20, 94000, 1250000000), (32, 150000, 2000000000),
                (48, 225000, 3000000000), (64, 300000, 4000000000))


def _stepped(table: tuple[tuple[int, int, int], ...], v: int) -> tuple[int, int]:
    out = table[0][1:]
    for threshold, iops, bps in table:
        if v >= threshold:
            out = (iops, bps)
    return out


def _perf(series: Series, v: int, mem_gib: float) -> list[tuple[str, str]]:
    """Disk performance capabilities (IOPS / bytes per second); modelled per generation."""
    p = series.perf
    if p is None:
        return []
    combined: tuple[int, int, int] | None = None  # iops, read B/s, write B/s
    uncached: tuple[int, int] | None = None
    if p == "v5":
        ci, cb = _stepped(_V5_COMBINED, v)
        combined = (ci, cb, cb)
        uncached = _stepped(_V5_UNCACHED, v)
    elif p == "v3":
        combined = (2000 * v, 16777216 * v, 16777216 * v)
        uncached = (min(1600 * v, 80000), min(25165824 * v, 1258291200))
    elif p == "fsv2":  # real F16s_v2: 32000 / 262144000 combined, 25600 / 384000000 uncached
        combined = (2000 * v, 16384000 * v, 16384000 * v)
        uncached = (min(1600 * v, 80000), min(24000000 * v, 1200000000))
    elif p == "v3np":
        combined = (1500 * v, 24117248 * v, 12058624 * v)
    elif p == "v2":
        combined = (4000 * v, 32768000 * v, 32768000 * v)
        uncached = (min(3200 * v, 80000), min(48000000 * v, 1200000000))
    elif p == "v2np":
        combined = (3000 * v, 48758784 * v, 24117248 * v)
    elif p == "bv1":
        g = max(mem_gib, 0.5)
        combined = (int(min(400 * g, 8000)), int(min(22528000 * g, 180000000)), int(min(22528000 * g, 180000000)))
        uncached = (int(min(320 * g, 4320)), int(min(22500000 * g, 202500000)))
    elif p == "m":
        combined = (1250 * v, 13107200 * v, 13107200 * v)
        uncached = (min(625 * v, 80000), min(16384000 * v, 2000000000))
    out: list[tuple[str, str]] = []
    if combined:
        out += [("CombinedTempDiskAndCachedIOPS", str(combined[0])),
                ("CombinedTempDiskAndCachedReadBytesPerSecond", str(combined[1])),
                ("CombinedTempDiskAndCachedWriteBytesPerSecond", str(combined[2]))]
    if uncached:
        out += [("UncachedDiskIOPS", str(uncached[0])), ("UncachedDiskBytesPerSecond", str(uncached[1]))]
    return out


def _num(x: float) -> str:
    """Format a number the way Azure writes capability values ("7", "0.75", "218.75")."""
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x)).rstrip("0").rstrip(".")


def _tf(b: bool) -> str:
    return "True" if b else "False"


@dataclass(frozen=True)
class VmSkuSpec:
    """Static (region-independent) part of one VM size."""

    parsed: ParsedSize
    series: Series
    family: str
    vcpus: int
    capabilities: tuple[tuple[str, str], ...]
    capability_records: list[Record]  # wire form, shared by every region's record (read-only)

    @property
    def name(self) -> str:
        return self.parsed.name


def _build_spec(p: ParsedSize) -> VmSkuSpec:
    s = SERIES[p.series_key]
    n = p.number
    v = s.vcpus[n] if s.vcpus else n
    mem = _series.amount(s.mem, n, v)
    temp_gib = _series.amount(s.temp, n, v)
    if s.cache_bytes is not None:
        cache_b = int(s.cache_bytes.get(n, 0))
    else:
        cache_b = int(round(_series.amount(s.cache, n, v) * _GIB))
    nvme = int(round(_series.amount(s.nvme_mib, n, v)))
    ephemeral = s.ephemeral if s.ephemeral is not None else (s.premium and (temp_gib > 0 or cache_b > 0))
    eah = s.eah if s.eah is not None else (s.premium or s.modern)
    acus = s.acus.get(n) if isinstance(s.acus, Mapping) else s.acus

    caps: list[tuple[str, str]] = [
        ("MaxResourceVolumeMB", str(int(round(temp_gib * 1024)))),
        ("OSVhdSizeMB", "1047552"),
        ("vCPUs", str(v)),
    ]
    if s.mpm is not None:
        caps.append(("MemoryPreservingMaintenanceSupported", _tf(s.mpm)))
    caps += [
        ("HyperVGenerations", s.hyperv),
        ("MemoryGB", _num(mem)),
        ("MaxDataDiskCount", str(_series.max_data_disks(s, n, v))),
        ("CpuArchitectureType", s.arch),
    ]
    if s.write_accel:
        caps.append(("MaxWriteAcceleratorDisksAllowed", str(s.write_accel.get(v, 1))))
    caps.append(("LowPriorityCapable", _tf(s.low_priority)))
    if s.modern and s.arch == "x64":
        caps.append(("HibernationSupported", "True"))
    caps += [
        ("PremiumIO", _tf(s.premium)),
        ("VMDeploymentTypes", s.deploy),
        ("vCPUsAvailable", str(p.constrained if p.constrained is not None else v)),
    ]
    if acus is not None:
        caps.append(("ACUs", str(acus)))
    if s.gpus:
        caps.append(("GPUs", str(s.gpus[n])))
    if p.parent_name:
        caps.append(("ParentSize", p.parent_name))
    caps.append(("vCPUsPerCore", str(s.per_core)))
    if s.retire:
        caps.append(("RetirementDateUtc", s.retire))
    perf = _perf(s, v, mem)
    caps += [c for c in perf if c[0].startswith("Combined")]
    if cache_b > 0:
        caps.append(("CachedDiskBytes", str(cache_b)))
    caps += [c for c in perf if c[0].startswith("Uncached")]
    if nvme > 0:
        caps.append(("NvmeDiskSizeInMiB", str(nvme)))
    caps.append(("EphemeralOSDiskSupported", _tf(ephemeral)))
    if ephemeral:
        placements = [x for x, ok in (("ResourceDisk", temp_gib > 0), ("CacheDisk", cache_b > 0)) if ok]
        caps.append(("SupportedEphemeralOSDiskPlacements", ",".join(placements)))
    caps += [
        ("EncryptionAtHostSupported", _tf(eah)),
        ("CapacityReservationSupported", _tf(s.modern)),
    ]
    if s.tl_disabled:
        caps.append(("TrustedLaunchDisabled", "True"))
    if s.confidential:
        caps.append(("ConfidentialComputingType", s.confidential))
    caps += [
        ("AcceleratedNetworkingEnabled", _tf(s.an and v >= 2)),
        ("RdmaEnabled", _tf(s.rdma)),
        ("MaxNetworkInterfaces", str(_series.max_nics(s, n, v))),
    ]
    return VmSkuSpec(p, s, s.family, v, tuple(caps), [{"name": k, "value": val} for k, val in caps])


# ---------------------------------------------------------------------------------------------------
# Static data
# ---------------------------------------------------------------------------------------------------

def _read_json(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def vm_sku_names() -> tuple[str, ...]:
    """The 806 real VM size names (``Standard_D2s_v5``, ``Basic_A0``...), sorted."""
    data = _read_json("vm_sku_names.json")
    return tuple(sorted(data["skus"]))


@lru_cache(maxsize=1)
def real_eastus_records() -> tuple[Record, ...]:
    """The four real eastus records of ``resource_skus_eastus_sample.json``, unmodified."""
    return tuple(_read_json("resource_skus_eastus_sample.json")["value"])


@lru_cache(maxsize=1)
def vm_specs() -> dict[str, VmSkuSpec]:
    """All VM size specs keyed by lower-case name."""
    out: dict[str, VmSkuSpec] = {}
    for name in vm_sku_names():
        p = parse_size_name(name)
        if p is None or p.series_key not in SERIES:
            raise ValueError(f"no series data for VM size {name!r}")
        out[name.lower()] = _build_spec(p)
    return out


def sku_families() -> list[str]:
    """Every VM ``family`` that appears in the catalog (the compute-usage join key), sorted."""
    fams = {spec.family for spec in vm_specs().values()}
    fams.update(str(r["family"]) for r in real_eastus_records())
    return sorted(fams)


# ---------------------------------------------------------------------------------------------------
# Availability per region
# ---------------------------------------------------------------------------------------------------

_DELIBERATE_INDEX: dict[tuple[str, str], list[DeliberateRestriction]] = {}
for _d in DELIBERATE_RESTRICTIONS:
    _DELIBERATE_INDEX.setdefault((_d.location, _d.sku.lower()), []).append(_d)
_GUARANTEED_INDEX: frozenset[tuple[str, str]] = frozenset(
    (loc, name.lower()) for loc, names in GUARANTEED_UNRESTRICTED.items() for name in names
)


def _offered(region: str, spec: VmSkuSpec) -> bool:
    key = (region, spec.name.lower())
    if key in _DELIBERATE_INDEX or key in _GUARANTEED_INDEX or region == "eastus":
        return True
    kind = spec.series.kind
    skey = spec.parsed.series_key
    if kind == CORE:
        if region in _FULL or region in _LARGE:
            return True
        return skey not in _SMALL_EXCLUDED and spec.vcpus <= 64
    if kind == WIDE:
        return region in _FULL or region in _LARGE
    if kind == SPECIAL:
        return region in _FULL and _crc(region, skey) % 3 != 0
    if kind == LEGACY:
        return region in _LEGACY_REGIONS
    if kind == PROMO:
        return region in _PROMO_REGIONS
    return False


_ZONE_ORDERS: tuple[tuple[str, ...], ...] = (
    ("1", "2", "3"), ("2", "3", "1"), ("3", "1", "2"), ("1", "3", "2"), ("2", "1", "3"), ("3", "2", "1"),
)


def _zones(region: str, spec: VmSkuSpec, region_zones: tuple[str, ...]) -> list[str]:
    """Zones a size is offered in, in the (unsorted, stable) order Azure tends to return."""
    if not region_zones:
        return []
    zones: tuple[str, ...] = region_zones
    guaranteed = (region, spec.name.lower()) in _GUARANTEED_INDEX
    if spec.series.kind == SPECIAL and not guaranteed:
        pick = _crc("zones", region, spec.parsed.series_key) % 3
        zones = region_zones[: 3 - pick] if pick else region_zones
    order = _ZONE_ORDERS[_crc("order", region, spec.name) % len(_ZONE_ORDERS)]
    return [z for z in order if z in zones]


def _restriction(region: str, rtype: str, zones: Iterable[str] = (), reason: str = NOT_AVAILABLE) -> Record:
    info: Record = {"locations": [region]}
    zl = sorted(zones)
    if rtype == "Zone":
        info["zones"] = zl
    return {"type": rtype, "values": [region], "restrictionInfo": info, "reasonCode": reason}


def _restrictions(region: str, spec: VmSkuSpec, zones: list[str]) -> list[Record]:
    key = (region, spec.name.lower())
    if key in _GUARANTEED_INDEX:
        return []
    deliberate = _DELIBERATE_INDEX.get(key)
    if deliberate:
        return [_restriction(region, d.type, d.zones, d.reason_code) for d in deliberate]
    kind = spec.series.kind
    out: list[Record] = []
    if kind == PROMO:
        out.append(_restriction(region, "Location"))
        if zones:
            out.append(_restriction(region, "Zone", zones))
    elif kind == LEGACY and zones:
        out.append(_restriction(region, "Zone", zones))
    elif spec.family == "standardMSFamily" and zones:
        out.append(_restriction(region, "Zone", [zones[_crc("mzone", region, spec.name) % len(zones)]]))
    return out


def _vm_record(region: str, spec: VmSkuSpec, region_zones: tuple[str, ...]) -> Record:
    zones = _zones(region, spec, region_zones)
    zone_details: list[Record] = []
    if (zones and region in _ULTRA_REGIONS and spec.series.premium and spec.series.arch == "x64"
            and spec.series.kind in (CORE, WIDE) and spec.series.perf in ("v3", "v5", "m")):
        zone_details = [{"Name": list(zones),
                         "capabilities": [{"name": "UltraSSDAvailable", "value": "True"}]}]
    return {
        "resourceType": "virtualMachines",
        "name": spec.name,
        "tier": spec.parsed.tier,
        "size": spec.parsed.size,
        "family": spec.family,
        "locations": [region],
        "locationInfo": [{"location": region, "zones": zones, "zoneDetails": zone_details}],
        "capabilities": spec.capability_records,
        "restrictions": _restrictions(region, spec, zones),
    }


# ---------------------------------------------------------------------------------------------------
# Disks and availability sets
# ---------------------------------------------------------------------------------------------------

# (size, MaxSizeGiB, MaxIOps, MaxBandwidthMBps, MaxValueOfMaxShares, burst IOPS, burst MBps)
_STANDARD_HDD = (("S4", 32, 500, 60, 1, 0, 0), ("S6", 64, 500, 60, 1, 0, 0), ("S10", 128, 500, 60, 1, 0, 0),
                 ("S15", 256, 500, 60, 1, 0, 0), ("S20", 512, 500, 60, 1, 0, 0), ("S30", 1024, 500, 60, 1, 0, 0),
                 ("S40", 2048, 500, 60, 1, 0, 0), ("S50", 4096, 500, 60, 1, 0, 0),
                 ("S60", 8192, 1300, 300, 1, 0, 0), ("S70", 16384, 2000, 500, 1, 0, 0),
                 ("S80", 32767, 2000, 500, 1, 0, 0))
_STANDARD_SSD = (("E1", 4, 500, 60, 3, 600, 150), ("E2", 8, 500, 60, 3, 600, 150), ("E3", 16, 500, 60, 3, 600, 150),
                 ("E4", 32, 500, 60, 3, 600, 150), ("E6", 64, 500, 60, 3, 600, 150),
                 ("E10", 128, 500, 60, 3, 600, 150), ("E15", 256, 500, 60, 3, 600, 150),
                 ("E20", 512, 500, 60, 3, 600, 150), ("E30", 1024, 500, 60, 5, 1000, 250),
                 ("E40", 2048, 500, 60, 5, 0, 0), ("E50", 4096, 500, 60, 5, 0, 0),
                 ("E60", 8192, 2000, 400, 10, 0, 0), ("E70", 16384, 4000, 600, 10, 0, 0),
                 ("E80", 32767, 6000, 750, 10, 0, 0))
_PREMIUM_SSD = (("P1", 4, 120, 25, 3, 3500, 170), ("P2", 8, 120, 25, 3, 3500, 170), ("P3", 16, 120, 25, 3, 3500, 170),
                ("P4", 32, 120, 25, 3, 3500, 170), ("P6", 64, 240, 50, 3, 3500, 170),
                ("P10", 128, 500, 100, 3, 3500, 170), ("P15", 256, 1100, 125, 3, 3500, 170),
                ("P20", 512, 2300, 150, 3, 3500, 170), ("P30", 1024, 5000, 200, 5, 30000, 1000),
                ("P40", 2048, 7500, 250, 5, 30000, 1000), ("P50", 4096, 7500, 250, 5, 30000, 1000),
                ("P60", 8192, 16000, 500, 10, 30000, 1000), ("P70", 16384, 18000, 750, 10, 30000, 1000),
                ("P80", 32767, 20000, 900, 10, 30000, 1000))


def _disk_caps(min_gib: int, row: tuple[str, int, int, int, int, int, int]) -> list[Record]:
    _size, max_gib, iops, mbps, shares, burst_iops, burst_mbps = row
    caps = [("MaxSizeGiB", max_gib), ("MinSizeGiB", min_gib), ("MaxIOps", iops), ("MinIOps", iops),
            ("MaxBandwidthMBps", mbps), ("MinBandwidthMBps", mbps), ("MaxValueOfMaxShares", shares)]
    if burst_iops:
        caps += [("MaxBurstIops", burst_iops), ("MaxBurstBandwidthMBps", burst_mbps)]
    return [{"name": k, "value": str(val)} for k, val in caps]


def _disk_record(region: str, name: str, tier: str, size: str, zones: list[str], caps: list[Record]) -> Record:
    return {
        "resourceType": "disks",
        "name": name,
        "tier": tier,
        "size": size,
        "locations": [region],
        "locationInfo": [{"location": region, "zones": zones, "zoneDetails": []}],
        "capabilities": caps,
        "restrictions": [],
    }


def _disk_records(region: str, region_zones: tuple[str, ...]) -> list[Record]:
    out: list[Record] = []
    zoned = list(region_zones)
    families: list[tuple[str, str, tuple[tuple[str, int, int, int, int, int, int], ...], bool]] = [
        ("Standard_LRS", "Standard", _STANDARD_HDD, False),
        ("Premium_LRS", "Premium", _PREMIUM_SSD, False),
        ("StandardSSD_LRS", "Standard", _STANDARD_SSD, False),
    ]
    if region_zones:
        families += [("Premium_ZRS", "Premium", _PREMIUM_SSD, True),
                     ("StandardSSD_ZRS", "Standard", _STANDARD_SSD, True)]
    for name, tier, rows, zrs in families:
        prev = 0
        for row in rows:
            out.append(_disk_record(region, name, tier, row[0], [] if zrs else zoned, _disk_caps(prev, row)))
            prev = row[1]
    if region_zones:
        # Premium SSD v2 and Ultra disks: zonal only, no performance tiers (values modelled).
        out.append(_disk_record(region, "PremiumV2_LRS", "Premium", "Premium", zoned, [
            {"name": k, "value": v} for k, v in (
                ("MaxSizeGiB", "65536"), ("MinSizeGiB", "1"), ("MaxIOps", "80000"), ("MinIOps", "3000"),
                ("MaxBandwidthMBps", "1200"), ("MinBandwidthMBps", "125"), ("MaxValueOfMaxShares", "15"))]))
        if region in _ULTRA_REGIONS:
            out.append(_disk_record(region, "UltraSSD_LRS", "Ultra", "Ultra", zoned, [
                {"name": k, "value": v} for k, v in (
                    ("MaxSizeGiB", "65536"), ("MinSizeGiB", "4"), ("MaxIOps", "400000"), ("MinIOps", "100"),
                    ("MaxBandwidthMBps", "10000"), ("MinBandwidthMBps", "1"), ("MaxValueOfMaxShares", "15"))]))
    return out


def _availability_set_records(region: str, region_zones: tuple[str, ...]) -> list[Record]:
    fault_domains = "3" if region_zones else "2"
    return [
        {
            "resourceType": "availabilitySets",
            "name": name,
            "locations": [region],
            "locationInfo": [{"location": region, "zones": [], "zoneDetails": []}],
            "capabilities": [{"name": "MaximumPlatformFaultDomainCount", "value": fault_domains}],
            "restrictions": [],
        }
        for name in ("Classic", "Aligned")
    ]


# ---------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------

_lock = threading.Lock()


@dataclass(frozen=True)
class _RegionCatalog:
    records: tuple[Record, ...]
    vm_index: dict[str, Record]


@cache
def _region_catalog(region: str) -> _RegionCatalog:
    with _lock:
        region_zones = REGIONS[region].zones
        vm: dict[str, Record] = {}
        for key, spec in vm_specs().items():
            if _offered(region, spec):
                vm[key] = _vm_record(region, spec, region_zones)
        if region == "eastus":
            for rec in real_eastus_records():
                vm[str(rec["name"]).lower()] = rec
        vm_records = [vm[k] for k in sorted(vm)]
        records = (_availability_set_records(region, region_zones) + _disk_records(region, region_zones)
                   + vm_records)
        return _RegionCatalog(tuple(records), vm)


def resource_skus(location: str | None = None) -> list[Record]:
    """Records of ``GET /subscriptions/{id}/providers/Microsoft.Compute/skus`` (``$filter=location eq``).

    ``location=None`` returns every region (one record per SKU per region, like Azure).
    Unknown locations give an empty list. Records are cached and shared: do not mutate them.
    """
    if location is None:
        out: list[Record] = []
        for region in REGIONS:
            out.extend(_region_catalog(region).records)
        return out
    region = normalize_location(location)
    if region not in REGIONS:
        return []
    return list(_region_catalog(region).records)


def vm_sku(location: str, name: str) -> Record | None:
    """The ``virtualMachines`` record for ``name`` in ``location`` (case-insensitive), else ``None``.

    Restricted sizes are returned too (check ``restrictions``); sizes not offered give ``None``.
    """
    region = normalize_location(location)
    if region not in REGIONS:
        return None
    return _region_catalog(region).vm_index.get(name.strip().lower())


def vm_skus(location: str) -> list[Record]:
    """All ``virtualMachines`` records offered in ``location`` (sorted by name)."""
    region = normalize_location(location)
    if region not in REGIONS:
        return []
    idx = _region_catalog(region).vm_index
    return [idx[k] for k in sorted(idx)]


def capability(sku: Record, name: str) -> str | None:
    """Value of capability ``name`` (case-insensitive) of a wire SKU record, or ``None``."""
    want = name.lower()
    for cap in sku.get("capabilities") or ():
        if str(cap.get("name", "")).lower() == want:
            value = cap.get("value")
            return None if value is None else str(value)
    return None


def is_known_vm_size(name: str) -> bool:
    """True if ``name`` is one of the real VM size names (case-insensitive)."""
    return name.strip().lower() in vm_specs()


def canonical_vm_size(name: str) -> str | None:
    """The correctly cased VM size name (``standard_d2s_v5`` -> ``Standard_D2s_v5``), or ``None``."""
    spec = vm_specs().get(name.strip().lower())
    return spec.name if spec else None


def location_restricted(sku: Record) -> bool:
    """True if the record carries a ``Location`` restriction (size unusable in that region)."""
    return any(r.get("type") == "Location" for r in sku.get("restrictions") or ())


def restricted_zones(sku: Record) -> list[str]:
    """Zones listed by ``Zone`` restrictions of the record, sorted."""
    zones: set[str] = set()
    for r in sku.get("restrictions") or ():
        if r.get("type") == "Zone":
            zones.update((r.get("restrictionInfo") or {}).get("zones") or ())
    return sorted(zones)


def offered_zones(sku: Record) -> list[str]:
    """``locationInfo[].zones`` of the record, sorted."""
    zones: set[str] = set()
    for info in sku.get("locationInfo") or ():
        zones.update(info.get("zones") or ())
    return sorted(zones)


def usable_zones(sku: Record) -> list[str]:
    """Zones a VM of this size can be placed in: offered minus Zone-restricted (none if Location-restricted)."""
    if location_restricted(sku):
        return []
    blocked = set(restricted_zones(sku))
    return [z for z in offered_zones(sku) if z not in blocked]


def vm_sizes_payload(location: str) -> list[Record]:
    """Items of the legacy ``GET .../locations/{loc}/vmSizes`` list (sizes usable in the region)."""
    out: list[Record] = []
    for rec in vm_skus(location):
        if location_restricted(rec):
            continue
        mem = float(capability(rec, "MemoryGB") or 0)
        cores = capability(rec, "vCPUsAvailable") or capability(rec, "vCPUs") or "0"
        out.append({
            "name": rec["name"],
            "numberOfCores": int(cores),
            "osDiskSizeInMB": int(capability(rec, "OSVhdSizeMB") or 1047552),
            "resourceDiskSizeInMB": int(capability(rec, "MaxResourceVolumeMB") or 0),
            "memoryInMB": int(mem * 1024),
            "maxDataDiskCount": int(capability(rec, "MaxDataDiskCount") or 0),
        })
    return out


def deliberate_restrictions(location: str | None = None) -> list[DeliberateRestriction]:
    """The entries of :data:`DELIBERATE_RESTRICTIONS`, optionally for one region."""
    if location is None:
        return list(DELIBERATE_RESTRICTIONS)
    region = get_region(location).name
    return [d for d in DELIBERATE_RESTRICTIONS if d.location == region]
