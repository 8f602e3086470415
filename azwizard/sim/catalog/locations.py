"""Regions of the simulated subscription.

Region metadata (display names, geography, coordinates, physical location, pairing, region
category) follows what ``GET /subscriptions/{id}/locations?api-version=2022-12-01`` returns for
the public cloud. ``availabilityZoneMappings`` is only present for regions with availability
zones; the logical-to-physical mapping is shuffled per subscription (as Azure does), but
deterministically, so a given subscription id always sees the same mapping.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from itertools import permutations
from typing import Any

SUBSCRIPTION_ID = "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
TENANT_ID = "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9"
SUBSCRIPTION_NAME = "azwizard simulated subscription"

API_VERSION_LOCATIONS = "2022-12-01"


@dataclass(frozen=True)
class Region:
    """One physical Azure region as the simulator knows it."""

    name: str
    display_name: str
    regional_display_name: str
    geography: str
    geography_group: str
    latitude: str
    longitude: str
    physical_location: str
    paired_region: str
    region_category: str  # "Recommended" | "Other"
    zones: tuple[str, ...]

    @property
    def has_zones(self) -> bool:
        return bool(self.zones)


_ZONES3: tuple[str, ...] = ("1", "2", "3")

# Values as the real locations API reports them (strings for coordinates, as on the wire).
_REGION_LIST: tuple[Region, ...] = (
    Region("eastus", "East US", "(US) East US", "United States", "US",
           "37.3719", "-79.8164", "Virginia", "westus", "Recommended", _ZONES3),
    Region("westus2", "West US 2", "(US) West US 2", "United States", "US",
           "47.233", "-119.852", "Washington", "westcentralus", "Recommended", _ZONES3),
    Region("westus", "West US", "(US) West US", "United States", "US",
           "37.783", "-122.417", "California", "eastus", "Other", _ZONES3),
    Region("westcentralus", "West Central US", "(US) West Central US", "United States", "US",
           "40.890", "-110.234", "Wyoming", "westus2", "Other", ()),
    Region("northeurope", "North Europe", "(Europe) North Europe", "Europe", "Europe",
           "53.3478", "-6.2597", "Ireland", "westeurope", "Recommended", _ZONES3),
    Region("westeurope", "West Europe", "(Europe) West Europe", "Europe", "Europe",
           "52.3667", "4.9", "Netherlands", "northeurope", "Recommended", _ZONES3),
    Region("uksouth", "UK South", "(Europe) UK South", "United Kingdom", "Europe",
           "50.941", "-0.799", "London", "ukwest", "Recommended", _ZONES3),
    Region("ukwest", "UK West", "(Europe) UK West", "United Kingdom", "Europe",
           "53.427", "-3.084", "Cardiff", "uksouth", "Other", ()),
    Region("swedencentral", "Sweden Central", "(Europe) Sweden Central", "Sweden", "Europe",
           "60.67488", "17.14127", "Gävle", "swedensouth", "Recommended", _ZONES3),
    Region("swedensouth", "Sweden South", "(Europe) Sweden South", "Sweden", "Europe",
           "55.60587", "13.00073", "Malmo", "swedencentral", "Other", ()),
    Region("norwayeast", "Norway East", "(Europe) Norway East", "Norway", "Europe",
           "59.913868", "10.752245", "Norway", "norwaywest", "Recommended", _ZONES3),
    Region("norwaywest", "Norway West", "(Europe) Norway West", "Norway", "Europe",
           "58.969975", "5.733107", "Norway", "norwayeast", "Other", ()),
)

REGIONS: dict[str, Region] = {r.name: r for r in _REGION_LIST}
"""All simulated regions, keyed by ARM location name (``norwayeast``)."""

_DISPLAY_INDEX: dict[str, str] = {}
for _r in _REGION_LIST:
    _DISPLAY_INDEX[_r.name] = _r.name
    _DISPLAY_INDEX[_r.display_name.lower().replace(" ", "")] = _r.name


def normalize_location(s: str) -> str:
    """Canonical ARM location name: ``"Norway East"`` / ``"NORWAYEAST"`` -> ``"norwayeast"``.

    Unknown strings are normalised the same way (lower case, no spaces) but not validated.
    """
    key = "".join(s.split()).lower()
    return _DISPLAY_INDEX.get(key, key)


def is_known_location(s: object) -> bool:
    """True if ``s`` names a simulated region (name or display name, any case/spacing)."""
    return isinstance(s, str) and normalize_location(s) in REGIONS


def get_region(location: str) -> Region:
    """The :class:`Region` for ``location``; raises ``KeyError`` for unknown regions."""
    name = normalize_location(location)
    try:
        return REGIONS[name]
    except KeyError:
        raise KeyError(location) from None


def zones_for(location: str) -> list[str]:
    """Logical availability zones of a region (``["1","2","3"]`` or ``[]``).

    Raises ``KeyError`` for an unknown region.
    """
    return list(get_region(location).zones)


_PERMS: tuple[tuple[int, ...], ...] = tuple(permutations(range(3)))


def _zone_mappings(subscription_id: str, region: Region) -> list[dict[str, str]]:
    perm = _PERMS[zlib.crc32(f"{subscription_id.lower()}/{region.name}".encode()) % len(_PERMS)]
    return [
        {"logicalZone": z, "physicalZone": f"{region.name}-az{perm[i] + 1}"}
        for i, z in enumerate(region.zones)
    ]


def location_payload(subscription_id: str, location: str) -> dict[str, Any]:
    """One item of the locations list (see :func:`locations_payload`)."""
    region = get_region(location)
    base = f"/subscriptions/{subscription_id}/locations"
    item: dict[str, Any] = {
        "id": f"{base}/{region.name}",
        "name": region.name,
        "type": "Region",
        "displayName": region.display_name,
        "regionalDisplayName": region.regional_display_name,
        "metadata": {
            "regionType": "Physical",
            "regionCategory": region.region_category,
            "geography": region.geography,
            "geographyGroup": region.geography_group,
            "longitude": region.longitude,
            "latitude": region.latitude,
            "physicalLocation": region.physical_location,
            "pairedRegion": [
                {"name": region.paired_region, "id": f"{base}/{region.paired_region}"},
            ],
        },
    }
    if region.has_zones:
        item["availabilityZoneMappings"] = _zone_mappings(subscription_id, region)
    return item


def locations_payload(subscription_id: str) -> list[dict[str, Any]]:
    """Items of ``GET /subscriptions/{id}/locations?api-version=2022-12-01`` (wrap in ``{"value": ...}``)."""
    return [location_payload(subscription_id, r.name) for r in _REGION_LIST]


def subscription_payload(subscription_id: str = SUBSCRIPTION_ID) -> dict[str, Any]:
    """Body of ``GET /subscriptions/{id}?api-version=2022-12-01`` for the simulated subscription."""
    return {
        "id": f"/subscriptions/{subscription_id}",
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "tags": {},
        "subscriptionId": subscription_id,
        "tenantId": TENANT_ID,
        "displayName": SUBSCRIPTION_NAME,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
    }
