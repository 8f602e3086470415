"""Live facts about a subscription, as plain data the rules can read.

Rules are pure functions: they never call Azure. :class:`azwizard.azure.catalog.Catalog` fetches
these facts through the SDK and caches them on disk; this module only holds the shapes, the
parsers from ARM's wire JSON, and the JSON round trip used by the cache.

The parsers take wire-keyed mappings (camelCase, exactly as ARM sends them). The SDK's "hybrid"
models are ``MutableMapping``s keyed by those same wire names, so a model can be passed as is,
and tests can pass plain dicts copied from recordings. No Azure module is imported here.

Sources for the wire shapes: ``GET .../providers/Microsoft.Compute/skus?api-version=2021-07-01``
(ResourceSku), ``GET .../locations/{loc}/usages`` (compute and network Usage),
``GET .../providers/Microsoft.ContainerService/locations/{loc}/kubernetesVersions``
(KubernetesVersionListResult), ``GET /subscriptions/{id}/locations?api-version=2022-12-01``
(Location) and ``GET .../vmimage/.../versions/{v}`` (VirtualMachineImage): the REST references
https://learn.microsoft.com/rest/api/compute/resource-skus/list, .../rest/api/compute/usage/list,
.../rest/api/aks/managed-clusters/list-kubernetes-versions, .../rest/api/resources/subscriptions/list-locations
and .../rest/api/compute/virtual-machine-images/get.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from .locks import ScopeLock

__all__ = [
    "Image",
    "K8sVersion",
    "Region",
    "RegionFacts",
    "SubscriptionFacts",
    "Usage",
    "VmSize",
    "image_from_wire",
    "k8s_versions_from_wire",
    "region_from_wire",
    "usage_from_wire",
    "vm_size_from_wire",
    "vm_sizes_from_wire",
]

Wire = Mapping[str, Any]
_V = TypeVar("_V")

# AKS support plans (capabilities.supportPlan); LTS-only minors need the Premium tier.
SUPPORT_KUBERNETES_OFFICIAL = "KubernetesOfficial"
SUPPORT_AKS_LTS = "AKSLongTermSupport"


# --------------------------------------------------------------------------------------------
# Regions.


@dataclass(frozen=True)
class Region:
    """A physical Azure region and its logical availability zones (``("1", "2", "3")`` or ``()``)."""

    name: str
    display_name: str
    zones: tuple[str, ...] = ()
    #: a canary region (``metadata.geography`` "Canary (US)": centraluseuap, eastus2euap), usable only by
    #: subscriptions enrolled in the Early Updates Access Program; the region picker lists them last
    early_access: bool = False

    @property
    def has_zones(self) -> bool:
        return bool(self.zones)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "display_name": self.display_name, "zones": list(self.zones),
                "early_access": self.early_access}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Region:
        return cls(str(d["name"]), str(d["display_name"]), tuple(str(z) for z in d.get("zones", ())),
                   bool(d.get("early_access", False)))


def region_from_wire(d: Wire) -> Region | None:
    """A Region from one item of the locations list, or ``None`` for logical regions (``global``, ``europe``).

    Zones come from ``availabilityZoneMappings[].logicalZone``, which ARM sends only for regions
    that have availability zones.
    """
    metadata = d.get("metadata") or {}
    region_type = metadata.get("regionType")
    if region_type is not None and str(region_type) != "Physical":
        return None
    if region_type is None and str(d.get("type") or "Region") != "Region":
        return None  # e.g. an EdgeZone, listed with include_extended_locations
    zones = {str(m["logicalZone"]) for m in d.get("availabilityZoneMappings") or () if m.get("logicalZone")}
    name = str(d["name"])
    canary = str(metadata.get("geography") or "").lower().startswith("canary")
    return Region(name, str(d.get("displayName") or name), tuple(sorted(zones)), canary)


# --------------------------------------------------------------------------------------------
# VM sizes (resource SKUs of type virtualMachines).

# Standard_E4-2ads_v5 -> letters E, constrained -2, suffix "ads", rest "_v5".
_SIZE_NAME = re.compile(r"^(?P<letters>[A-Z]+)\d+(?:-\d+)?(?P<suffix>[a-z]*)(?P<rest>(?:_[A-Za-z0-9]+)*)$")


@dataclass(frozen=True)
class VmSize:
    """One VM size in one region, with the capabilities and restrictions the rules need.

    ``offered_zones`` are the zones the size is listed in (``locationInfo[].zones``);
    ``restricted_zones`` those a ``Zone`` restriction blocks for this subscription;
    ``location_restricted`` means a ``Location`` restriction blocks the size in the whole region.
    """

    name: str
    family: str
    vcpus: int
    memory_gb: float
    max_data_disks: int
    premium_io: bool
    ephemeral_os_supported: bool
    cached_disk_bytes: int
    resource_disk_mb: int
    hyperv_generations: tuple[str, ...]
    architecture: str  # "x64" | "Arm64"
    trusted_launch_disabled: bool
    accelerated_networking: bool
    offered_zones: tuple[str, ...] = ()
    restricted_zones: tuple[str, ...] = ()
    location_restricted: bool = False
    restriction_reason: str | None = None  # NotAvailableForSubscription | QuotaId
    # Extra capabilities the ephemeral-OS-disk check needs (NvmeDisk placement, api >= 2024-03-01).
    nvme_disk_mib: int = 0
    ephemeral_placements: tuple[str, ...] = ()  # ResourceDisk, CacheDisk, NvmeDisk

    @property
    def usable_zones(self) -> tuple[str, ...]:
        """Zones a VM of this size can be placed in: offered minus restricted (none if location-restricted)."""
        if self.location_restricted:
            return ()
        blocked = set(self.restricted_zones)
        return tuple(z for z in self.offered_zones if z not in blocked)

    def usable_in(self, zones: Sequence[str] = ()) -> bool:
        """Can this size be deployed with these zones? No zones (a regional deployment) needs only no
        ``Location`` restriction; zones must all be offered and not restricted."""
        if self.location_restricted:
            return False
        usable = set(self.usable_zones)
        return all(str(z) in usable for z in zones)

    @property
    def series(self) -> str:
        """The series from the name, without the size number: ``Standard_D4s_v5`` -> ``Dsv5``,
        ``Standard_B2s`` -> ``Bs``, ``Standard_B2als_v2`` -> ``Balsv2``, ``Standard_DS2_v2`` -> ``DSv2``."""
        size = self.name.partition("_")[2] or self.name
        m = _SIZE_NAME.match(size)
        if m is None:
            return size
        return m["letters"] + m["suffix"] + m["rest"].replace("_", "")

    @property
    def is_b_series(self) -> bool:
        """Burstable (B, Bsv2, Basv2, Bpsv2...): not supported for AKS system pools."""
        size = self.name.partition("_")[2] or self.name
        m = _SIZE_NAME.match(size)
        return m is not None and m["letters"] == "B"

    @property
    def supports_gen2(self) -> bool:
        return "V2" in self.hyperv_generations

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("hyperv_generations", "offered_zones", "restricted_zones", "ephemeral_placements"):
            d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> VmSize:
        values = dict(d)
        for key in ("hyperv_generations", "offered_zones", "restricted_zones", "ephemeral_placements"):
            values[key] = tuple(values.get(key, ()))
        return cls(**values)


def _capabilities(d: Wire) -> dict[str, str]:
    return {str(c["name"]): str(c["value"]) for c in d.get("capabilities") or () if c.get("name") is not None}


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


def _float(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _applies_to(restriction: Wire, location: str | None) -> bool:
    """A restriction lists the locations it concerns (``values`` / ``restrictionInfo.locations``)."""
    if location is None:
        return True
    info = restriction.get("restrictionInfo") or {}
    listed = [*(restriction.get("values") or ()), *(info.get("locations") or ())]
    return not listed or any(str(loc).lower() == location.lower() for loc in listed)


def vm_size_from_wire(d: Wire, location: str | None = None) -> VmSize:
    """A VmSize from one ``virtualMachines`` resource-SKU record (wire keys; capability values are strings).

    ``location`` picks the ``locationInfo`` entry and the restrictions of that region; ``None``
    takes them all (a record fetched with ``$filter=location eq '...'`` has one region anyway).
    """
    caps = _capabilities(d)
    offered: set[str] = set()
    for info in d.get("locationInfo") or ():
        if location is None or str(info.get("location", "")).lower() == location.lower():
            offered.update(str(z) for z in info.get("zones") or ())

    restricted: set[str] = set()
    location_restricted = False
    reasons: list[str] = []
    for r in d.get("restrictions") or ():
        if not _applies_to(r, location):
            continue
        reason = r.get("reasonCode")
        if str(r.get("type")) == "Location":
            location_restricted = True
            if reason:
                reasons.insert(0, str(reason))  # the region-wide reason matters most
        elif str(r.get("type")) == "Zone":
            restricted.update(str(z) for z in (r.get("restrictionInfo") or {}).get("zones") or ())
            if reason:
                reasons.append(str(reason))

    return VmSize(
        name=str(d["name"]),
        family=str(d.get("family") or ""),
        vcpus=_int(caps.get("vCPUs")),
        memory_gb=_float(caps.get("MemoryGB")),
        max_data_disks=_int(caps.get("MaxDataDiskCount")),
        premium_io=_true(caps.get("PremiumIO")),
        ephemeral_os_supported=_true(caps.get("EphemeralOSDiskSupported")),
        cached_disk_bytes=_int(caps.get("CachedDiskBytes")),
        resource_disk_mb=_int(caps.get("MaxResourceVolumeMB")),
        hyperv_generations=_split(caps.get("HyperVGenerations")) or ("V1",),  # absent means Gen1 only
        architecture=caps.get("CpuArchitectureType") or "x64",
        trusted_launch_disabled=_true(caps.get("TrustedLaunchDisabled")),
        accelerated_networking=_true(caps.get("AcceleratedNetworkingEnabled")),
        offered_zones=tuple(sorted(offered)),
        restricted_zones=tuple(sorted(restricted)),
        location_restricted=location_restricted,
        restriction_reason=reasons[0] if reasons else None,
        nvme_disk_mib=_int(caps.get("NvmeDiskSizeInMiB")),
        ephemeral_placements=_split(caps.get("SupportedEphemeralOSDiskPlacements")),
    )


def vm_sizes_from_wire(records: Iterable[Wire], location: str | None = None) -> dict[str, VmSize]:
    """VM sizes by name from resource-SKU records, skipping every other resource type (disks, ...)."""
    sizes: dict[str, VmSize] = {}
    for rec in records:
        if str(rec.get("resourceType", "")).lower() != "virtualmachines":
            continue
        if location is not None and rec.get("locations") and not any(
            str(loc).lower() == location.lower() for loc in rec["locations"]
        ):
            continue
        size = vm_size_from_wire(rec, location)
        sizes[size.name] = size
    return sizes


# --------------------------------------------------------------------------------------------
# Usages (quotas).


@dataclass(frozen=True)
class Usage:
    """One quota: ``name`` is the wire id (``cores``, ``standardDSv5Family``, ``PublicIPAddresses``)."""

    name: str
    localized_name: str
    current: int
    limit: int

    @property
    def available(self) -> int:
        return max(0, self.limit - self.current)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Usage:
        return cls(str(d["name"]), str(d["localized_name"]), int(d["current"]), int(d["limit"]))


def usage_from_wire(d: Wire) -> Usage:
    """A Usage from a compute or network usage item: ``{name: {value, localizedValue}, currentValue, limit}``."""
    name = d.get("name") or {}
    value = str(name.get("value") or "")
    return Usage(value, str(name.get("localizedValue") or value), int(d.get("currentValue") or 0),
                 int(d.get("limit") or 0))


def usages_from_wire(items: Iterable[Wire]) -> dict[str, Usage]:
    usages = (usage_from_wire(item) for item in items)
    return {u.name: u for u in usages if u.name}


# --------------------------------------------------------------------------------------------
# Kubernetes versions (AKS).


def version_key(version: str) -> tuple[int, ...]:
    """``"1.32.7"`` -> ``(1, 32, 7)`` for numeric ordering (``1.9`` < ``1.10``)."""
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.\-+]", version))


@dataclass(frozen=True)
class K8sVersion:
    """A Kubernetes minor version AKS offers in a region, with its patches (oldest first)."""

    version: str  # "1.32"
    is_default: bool = False
    is_preview: bool = False
    support_plans: tuple[str, ...] = ()
    patches: tuple[str, ...] = ()

    @property
    def lts_only(self) -> bool:
        """Only under AKS Long Term Support (Premium tier), no longer community supported."""
        return SUPPORT_AKS_LTS in self.support_plans and SUPPORT_KUBERNETES_OFFICIAL not in self.support_plans

    @property
    def lts_available(self) -> bool:
        return SUPPORT_AKS_LTS in self.support_plans

    @property
    def latest_patch(self) -> str | None:
        return self.patches[-1] if self.patches else None

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "is_default": self.is_default, "is_preview": self.is_preview,
                "support_plans": list(self.support_plans), "patches": list(self.patches)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> K8sVersion:
        return cls(str(d["version"]), bool(d.get("is_default")), bool(d.get("is_preview")),
                   tuple(d.get("support_plans", ())), tuple(d.get("patches", ())))


def k8s_versions_from_wire(body: Wire) -> tuple[K8sVersion, ...]:
    """Minor versions (oldest first) from a ``kubernetesVersions`` body ``{"values": [...]}``."""
    out: list[K8sVersion] = []
    for v in body.get("values") or ():
        plans = (v.get("capabilities") or {}).get("supportPlan") or ()
        patches = sorted((str(p) for p in (v.get("patchVersions") or {})), key=version_key)
        out.append(K8sVersion(str(v["version"]), bool(v.get("isDefault")), bool(v.get("isPreview")),
                              tuple(str(p) for p in plans), tuple(patches)))
    return tuple(sorted(out, key=lambda k: version_key(k.version)))


# --------------------------------------------------------------------------------------------
# Marketplace images.


@dataclass(frozen=True)
class Image:
    """A marketplace image version (the URN ``publisher:offer:sku:version``) and what it runs on."""

    publisher: str
    offer: str
    sku: str
    version: str
    hyperv_generation: str  # "V1" | "V2"
    architecture: str  # "x64" | "Arm64"

    @property
    def urn(self) -> str:
        return f"{self.publisher}:{self.offer}:{self.sku}:{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Image:
        return cls(**{k: str(v) for k, v in d.items()})


def image_from_wire(d: Wire, publisher: str, offer: str, sku: str) -> Image:
    """An Image from a ``VirtualMachineImage`` body (``{name: version, properties: {hyperVGeneration, architecture}}``)."""
    props = d.get("properties") or {}
    return Image(publisher, offer, sku, str(d.get("name") or ""), str(props.get("hyperVGeneration") or "V1"),
                 str(props.get("architecture") or "x64"))


# --------------------------------------------------------------------------------------------
# Facts bundles the rules read.


@dataclass(frozen=True)
class RegionFacts:
    """What one region offers this subscription: VM sizes, quotas, Kubernetes versions.

    ``fetched_at`` is when the oldest part was fetched (epoch seconds), for "data as of" labels.
    ``kubernetes_versions`` is empty when they were not asked for.
    """

    region: Region
    vm_sizes: dict[str, VmSize]
    compute_usages: dict[str, Usage]
    network_usages: dict[str, Usage]
    kubernetes_versions: tuple[K8sVersion, ...] = ()
    fetched_at: float = 0.0
    _by_lower: dict[str, VmSize] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_lower", {k.lower(): v for k, v in self.vm_sizes.items()})

    def size(self, name: str) -> VmSize | None:
        """The VM size by name, any case (ARM treats ``standard_d2s_v5`` as ``Standard_D2s_v5``)."""
        return self._by_lower.get(name.strip().lower())

    def compute_usage(self, name: str) -> Usage | None:
        """A compute quota by usage name, any case: ``cores`` or a SKU ``family`` such as ``standardDSv5Family``."""
        return _lookup(self.compute_usages, name)

    def network_usage(self, name: str) -> Usage | None:
        return _lookup(self.network_usages, name)

    def kubernetes_version(self, requested: str) -> K8sVersion | None:
        """The minor version entry for ``"1.32"`` or for a patch it lists (``"1.32.7"``)."""
        requested = requested.strip().lstrip("v")
        for v in self.kubernetes_versions:
            if v.version == requested or requested in v.patches:
                return v
        return None

    @property
    def default_kubernetes_version(self) -> K8sVersion | None:
        return next((v for v in self.kubernetes_versions if v.is_default), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region.to_dict(),
            "vm_sizes": [s.to_dict() for s in self.vm_sizes.values()],
            "compute_usages": [u.to_dict() for u in self.compute_usages.values()],
            "network_usages": [u.to_dict() for u in self.network_usages.values()],
            "kubernetes_versions": [v.to_dict() for v in self.kubernetes_versions],
            "fetched_at": self.fetched_at,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RegionFacts:
        sizes = (VmSize.from_dict(s) for s in d.get("vm_sizes", ()))
        return cls(
            region=Region.from_dict(d["region"]),
            vm_sizes={s.name: s for s in sizes},
            compute_usages=_usages_from_dicts(d.get("compute_usages", ())),
            network_usages=_usages_from_dicts(d.get("network_usages", ())),
            kubernetes_versions=tuple(K8sVersion.from_dict(v) for v in d.get("kubernetes_versions", ())),
            fetched_at=float(d.get("fetched_at", 0.0)),
        )


@dataclass(frozen=True)
class SubscriptionFacts:
    """Subscription-wide facts: its regions, resource-provider states and existing resource groups.

    ``provider_states`` maps a namespace (``Microsoft.Compute``) to ``Registered``/``NotRegistered``/...;
    ``resource_groups`` maps a group name (Azure's casing; looked up ignoring case) to its location.
    """

    subscription_id: str
    regions: dict[str, Region]
    provider_states: dict[str, str]
    resource_groups: dict[str, str]
    # The regions (names) where this subscription may create resource groups: Microsoft.Resources'
    # resourceGroups locations for the subscription. Regions it lists but may not use (restricted until access
    # is requested) are left out. None: not read.
    # https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types
    # https://learn.microsoft.com/troubleshoot/azure/general/region-access-request-process
    usable_regions: frozenset[str] | None = None
    locks: tuple[ScopeLock, ...] | None = None  # every management lock in the subscription (None: not read)

    def region_usable(self, name: str) -> bool | None:
        """Whether the subscription may create in the region (None: unknown, or the region is not listed)."""
        region = self.region(name)
        if region is None or self.usable_regions is None:
            return None
        return region.name in self.usable_regions or \
            "".join(region.display_name.split()).lower() in self.usable_regions

    def region(self, name: str) -> Region | None:
        """A region by name or display name, any case or spacing (``"Norway East"`` -> ``norwayeast``)."""
        key = "".join(name.split()).lower()
        found = self.regions.get(key)
        if found is not None:
            return found
        return next((r for r in self.regions.values() if "".join(r.display_name.split()).lower() == key), None)

    def provider_registered(self, namespace: str) -> bool:
        state = _lookup(self.provider_states, namespace)
        return state is not None and state.lower() == "registered"

    def group_location(self, name: str) -> str | None:
        return _lookup(self.resource_groups, name)  # ARM names are case-insensitive

    def to_dict(self) -> dict[str, Any]:
        return {
            "subscription_id": self.subscription_id,
            "regions": [r.to_dict() for r in self.regions.values()],
            "provider_states": dict(self.provider_states),
            "resource_groups": dict(self.resource_groups),
            "usable_regions": sorted(self.usable_regions) if self.usable_regions is not None else None,
            "locks": [lock.to_dict() for lock in self.locks] if self.locks is not None else None,
        }

    def group_names_for_people(self) -> list[str]:
        """The existing groups to name to a person: Azure's casing, sorted ignoring case, without AKS's node
        resource groups (``MC_<group>_<cluster>_<region>``, which AKS manages: issue 19 item 18)."""
        return sorted((g for g in self.resource_groups if not g.upper().startswith("MC_")), key=str.lower)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SubscriptionFacts:
        regions = (Region.from_dict(r) for r in d.get("regions", ()))
        usable, locks = d.get("usable_regions"), d.get("locks")
        return cls(str(d["subscription_id"]), {r.name: r for r in regions},
                   dict(d.get("provider_states", {})), dict(d.get("resource_groups", {})),
                   frozenset(usable) if usable is not None else None,
                   tuple(ScopeLock.from_dict(x) for x in locks) if locks is not None else None)


def _lookup(table: Mapping[str, _V], name: str) -> _V | None:
    """``table[name]``, else the first key equal to ``name`` ignoring case (ARM names are case-insensitive)."""
    if name in table:
        return table[name]
    lowered = name.lower()
    return next((v for k, v in table.items() if k.lower() == lowered), None)


def _usages_from_dicts(items: Iterable[Mapping[str, Any]]) -> dict[str, Usage]:
    usages = (Usage.from_dict(u) for u in items)
    return {u.name: u for u in usages}
