"""Regions of the simulated subscription.

The list, its order and every value (display names, geography, coordinates as strings, physical
location, pairing, region category, which regions have availability zones and how many) follow what
``GET /subscriptions/{id}/locations?api-version=2022-12-01`` answered in February 2025 for the public
cloud (the azure-cli recording ``test_list_locations.yaml``,
https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/resource/tests/latest/recordings/test_list_locations.yaml;
REST reference https://learn.microsoft.com/rest/api/resources/subscriptions/list-locations). Microsoft's
internal stage regions (``eastusstg``, ``*stage``, ``brazilus``) that only Microsoft's own subscription
lists are left out.

``availabilityZoneMappings`` is only present for regions with availability zones; the logical-to-physical
mapping is shuffled per subscription (as Azure does), but deterministically, so a given subscription id
always sees the same mapping.

What a subscription may *use* is narrower than what it lists
(https://learn.microsoft.com/troubleshoot/azure/general/region-access-request-process):

* ``open`` regions accept resource groups and resources;
* ``restricted`` regions (Australia Central 2, France South, Germany North, ...) are listed, but a resource
  group there is refused with ``LocationNotAvailableForResourceGroup`` until access is requested
  (Azure/azure-cli#7602 shows the refusal and the list of the regions that are available);
* ``canary`` regions (``centraluseuap``, ``eastus2euap``) are listed too; only subscriptions enrolled in the
  Early Updates Access Program (EUAP) may use them, others are refused as for a restricted region.

This simulated subscription has been granted the restricted regions ``norwaywest`` and ``swedensouth``
(the product's own scenarios use them), so they are ``open`` here. It is also enrolled in EUAP
(:data:`EARLY_ACCESS`), as the subscription that recorded azure-cli's tests is: its recordings create
resource groups, Recovery Services vaults, disks and public IPs in ``centraluseuap`` and ``eastus2euap``
and Azure answers them as in any region (e.g. azure-cli's ``test_backup_vault_*`` and
``test_disk_bursting`` recordings, src/azure-cli/azure/cli/command_modules/{backup,vm}/tests/latest/
recordings). The product itself never proposes a canary region.
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

OPEN, RESTRICTED, CANARY = "open", "restricted", "canary"
#: The simulated subscription is enrolled in the early-access programme: canary regions accept resources.
EARLY_ACCESS = True


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
    paired_region: str  # "" when Azure lists no pair (``pairedRegion: []``)
    region_category: str  # "Recommended" | "Other"
    zones: tuple[str, ...]
    access: str = OPEN  # open | restricted | canary (see the module docstring)

    @property
    def has_zones(self) -> bool:
        return bool(self.zones)

    @property
    def usable(self) -> bool:
        return self.access == OPEN or (self.access == CANARY and EARLY_ACCESS)


@dataclass(frozen=True)
class LogicalRegion:
    """A logical location (``europe``, ``global``...): listed, never a place to create anything."""

    name: str
    display_name: str
    regional_display_name: str


_Z3: tuple[str, ...] = ("1", "2", "3")
_Z2: tuple[str, ...] = ("1", "2")
_Z0: tuple[str, ...] = ()
_R, _O = "Recommended", "Other"


def _r(name: str, display: str, group: str, geography: str, lat: str, lon: str, place: str, pair: str,
       category: str, zones: tuple[str, ...], access: str = OPEN) -> Region:
    return Region(name, display, f"({group}) {display}", geography, group, lat, lon, place, pair, category,
                  zones, access)


_US, _EU, _AP = "US", "Europe", "Asia Pacific"

# In the order the real list answers: recommended regions first, then the others.
_REGION_LIST: tuple[Region, ...] = (
    _r("eastus", "East US", _US, "United States", "37.3719", "-79.8164", "Virginia", "westus", _R, _Z3),
    _r("southcentralus", "South Central US", _US, "United States", "29.4167", "-98.5", "Texas", "northcentralus",
       _R, _Z3),
    _r("westus2", "West US 2", _US, "United States", "47.233", "-119.852", "Washington", "westcentralus", _R, _Z3),
    _r("westus3", "West US 3", _US, "United States", "33.448376", "-112.074036", "Phoenix", "eastus", _R, _Z3),
    _r("australiaeast", "Australia East", _AP, "Australia", "-33.86", "151.2094", "New South Wales",
       "australiasoutheast", _R, _Z3),
    _r("southeastasia", "Southeast Asia", _AP, "Asia Pacific", "1.283", "103.833", "Singapore", "eastasia", _R, _Z3),
    _r("northeurope", "North Europe", _EU, "Europe", "53.3478", "-6.2597", "Ireland", "westeurope", _R, _Z3),
    _r("swedencentral", "Sweden Central", _EU, "Sweden", "60.67488", "17.14127", "Gävle", "swedensouth", _R, _Z3),
    _r("uksouth", "UK South", _EU, "United Kingdom", "50.941", "-0.799", "London", "ukwest", _R, _Z3),
    _r("westeurope", "West Europe", _EU, "Europe", "52.3667", "4.9", "Netherlands", "northeurope", _R, _Z3),
    _r("centralus", "Central US", _US, "United States", "41.5908", "-93.6208", "Iowa", "eastus2", _R, _Z3),
    _r("southafricanorth", "South Africa North", "Africa", "South Africa", "-25.73134", "28.21837", "Johannesburg",
       "southafricawest", _R, _Z3),
    _r("centralindia", "Central India", _AP, "India", "18.5822", "73.9197", "Pune", "southindia", _R, _Z3),
    _r("eastasia", "East Asia", _AP, "Asia Pacific", "22.267", "114.188", "Hong Kong", "southeastasia", _R, _Z3),
    _r("japaneast", "Japan East", _AP, "Japan", "35.68", "139.77", "Tokyo, Saitama", "japanwest", _R, _Z3),
    _r("koreacentral", "Korea Central", _AP, "Korea", "37.5665", "126.978", "Seoul", "koreasouth", _R, _Z3),
    _r("newzealandnorth", "New Zealand North", _AP, "New Zealand", "-36.84853", "174.76349", "Auckland", "", _R,
       _Z3),
    _r("canadacentral", "Canada Central", "Canada", "Canada", "43.653", "-79.383", "Toronto", "canadaeast", _R, _Z3),
    _r("francecentral", "France Central", _EU, "France", "46.3772", "2.373", "Paris", "francesouth", _R, _Z3),
    _r("germanywestcentral", "Germany West Central", _EU, "Germany", "50.110924", "8.682127", "Frankfurt",
       "germanynorth", _R, _Z3),
    _r("italynorth", "Italy North", _EU, "Italy", "45.46888", "9.18109", "Milan", "", _R, _Z3),
    _r("norwayeast", "Norway East", _EU, "Norway", "59.913868", "10.752245", "Norway", "norwaywest", _R, _Z3),
    _r("polandcentral", "Poland Central", _EU, "Poland", "52.23334", "21.01666", "Warsaw", "", _R, _Z3),
    _r("spaincentral", "Spain Central", _EU, "Spain", "40.4259", "3.4209", "Madrid", "", _R, _Z3),
    _r("switzerlandnorth", "Switzerland North", _EU, "Switzerland", "47.451542", "8.564572", "Zurich",
       "switzerlandwest", _R, _Z3),
    _r("mexicocentral", "Mexico Central", "Mexico", "Mexico", "20.588818", "-100.389888", "Querétaro State", "",
       _R, _Z3),
    _r("uaenorth", "UAE North", "Middle East", "UAE", "25.266666", "55.316666", "Dubai", "uaecentral", _R, _Z3),
    _r("brazilsouth", "Brazil South", "South America", "Brazil", "-23.55", "-46.633", "Sao Paulo State",
       "southcentralus", _R, _Z3),
    _r("israelcentral", "Israel Central", "Middle East", "Israel", "31.2655698", "33.4506633", "Israel", "", _R,
       _Z3),
    _r("qatarcentral", "Qatar Central", "Middle East", "Qatar", "25.551462", "51.439327", "Doha", "", _R, _Z3),
    _r("eastus2", "East US 2", _US, "United States", "36.6681", "-78.3889", "Virginia", "centralus", _O, _Z3),
    _r("northcentralus", "North Central US", _US, "United States", "41.8819", "-87.6278", "Illinois",
       "southcentralus", _O, _Z0),
    _r("westus", "West US", _US, "United States", "37.783", "-122.417", "California", "eastus", _O, _Z0),
    _r("japanwest", "Japan West", _AP, "Japan", "34.6939", "135.5022", "Osaka", "japaneast", _O, _Z0),
    _r("jioindiawest", "Jio India West", _AP, "India", "22.470701", "70.05773", "Jamnagar", "jioindiacentral", _O,
       _Z0, RESTRICTED),
    _r("centraluseuap", "Central US EUAP", _US, "Canary (US)", "41.5908", "-93.6208", "", "eastus2euap", _O, _Z2,
       CANARY),
    _r("eastus2euap", "East US 2 EUAP", _US, "Canary (US)", "36.6681", "-78.3889", "", "centraluseuap", _O, _Z3,
       CANARY),
    _r("westcentralus", "West Central US", _US, "United States", "40.89", "-110.234", "Wyoming", "westus2", _O,
       _Z0),
    _r("southafricawest", "South Africa West", "Africa", "South Africa", "-34.075691", "18.843266", "Cape Town",
       "southafricanorth", _O, _Z0, RESTRICTED),
    _r("australiacentral", "Australia Central", _AP, "Australia", "-35.3075", "149.1244", "Canberra",
       "australiacentral2", _O, _Z0),
    _r("australiacentral2", "Australia Central 2", _AP, "Australia", "-35.3075", "149.1244", "Canberra",
       "australiacentral", _O, _Z0, RESTRICTED),
    _r("australiasoutheast", "Australia Southeast", _AP, "Australia", "-37.8136", "144.9631", "Victoria",
       "australiaeast", _O, _Z0),
    _r("jioindiacentral", "Jio India Central", _AP, "India", "21.146633", "79.08886", "Nagpur", "jioindiawest", _O,
       _Z0, RESTRICTED),
    _r("koreasouth", "Korea South", _AP, "Korea", "35.1796", "129.0756", "Busan", "koreacentral", _O, _Z0),
    _r("southindia", "South India", _AP, "India", "12.9822", "80.1636", "Chennai", "centralindia", _O, _Z0),
    _r("westindia", "West India", _AP, "India", "19.088", "72.868", "Mumbai", "southindia", _O, _Z0),
    _r("canadaeast", "Canada East", "Canada", "Canada", "46.817", "-71.217", "Quebec", "canadacentral", _O, _Z0),
    _r("francesouth", "France South", _EU, "France", "43.8345", "2.1972", "Marseille", "francecentral", _O, _Z0,
       RESTRICTED),
    _r("germanynorth", "Germany North", _EU, "Germany", "53.073635", "8.806422", "Berlin", "germanywestcentral", _O,
       _Z0, RESTRICTED),
    _r("norwaywest", "Norway West", _EU, "Norway", "58.969975", "5.733107", "Norway", "norwayeast", _O, _Z0),
    _r("swedensouth", "Sweden South", _EU, "Sweden", "55.60587", "13.00073", "Malmo", "swedencentral", _O, _Z0),
    _r("switzerlandwest", "Switzerland West", _EU, "Switzerland", "46.204391", "6.143158", "Geneva",
       "switzerlandnorth", _O, _Z0, RESTRICTED),
    _r("ukwest", "UK West", _EU, "United Kingdom", "53.427", "-3.084", "Cardiff", "uksouth", _O, _Z0),
    _r("uaecentral", "UAE Central", "Middle East", "UAE", "24.466667", "54.366669", "Abu Dhabi", "uaenorth", _O, _Z0,
       RESTRICTED),
    _r("brazilsoutheast", "Brazil Southeast", "South America", "Brazil", "-22.90278", "-43.2075", "Rio",
       "brazilsouth", _O, _Z0, RESTRICTED),
)

# Logical locations, listed after the recommended physical regions (as Azure lists them).
_LOGICAL: tuple[LogicalRegion, ...] = tuple(
    LogicalRegion(n, d, d) for n, d in (
        ("asia", "Asia"), ("asiapacific", "Asia Pacific"), ("australia", "Australia"), ("brazil", "Brazil"),
        ("canada", "Canada"), ("europe", "Europe"), ("france", "France"), ("germany", "Germany"),
        ("global", "Global"), ("india", "India"), ("israel", "Israel"), ("italy", "Italy"), ("japan", "Japan"),
        ("korea", "Korea"), ("newzealand", "New Zealand"), ("norway", "Norway"), ("poland", "Poland"),
        ("qatar", "Qatar"), ("singapore", "Singapore"), ("southafrica", "South Africa"), ("sweden", "Sweden"),
        ("switzerland", "Switzerland"), ("uae", "United Arab Emirates"), ("uk", "United Kingdom"),
        ("unitedstates", "United States"), ("unitedstateseuap", "United States EUAP"),
    )
)

LISTED: dict[str, Region] = {r.name: r for r in _REGION_LIST}
"""Every physical region the locations list shows, usable or not."""

REGIONS: dict[str, Region] = {r.name: r for r in _REGION_LIST if r.usable}
"""The regions this subscription may use, keyed by ARM location name (``norwayeast``)."""

_DISPLAY_INDEX: dict[str, str] = {}
for _reg in _REGION_LIST:
    _DISPLAY_INDEX[_reg.name] = _reg.name
    _DISPLAY_INDEX[_reg.display_name.lower().replace(" ", "")] = _reg.name


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


def _zone_mappings(subscription_id: str, region: Region) -> list[dict[str, str]]:
    perms = tuple(permutations(range(len(region.zones))))
    perm = perms[zlib.crc32(f"{subscription_id.lower()}/{region.name}".encode()) % len(perms)]
    return [
        {"logicalZone": z, "physicalZone": f"{region.name}-az{perm[i] + 1}"}
        for i, z in enumerate(region.zones)
    ]


def _physical_payload(subscription_id: str, region: Region) -> dict[str, Any]:
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
            ] if region.paired_region else [],
        },
    }
    if region.has_zones:
        item["availabilityZoneMappings"] = _zone_mappings(subscription_id, region)
    return item


def location_payload(subscription_id: str, location: str) -> dict[str, Any]:
    """One item of the locations list (see :func:`locations_payload`); any listed physical region."""
    name = normalize_location(location)
    if name not in LISTED:
        raise KeyError(location)
    return _physical_payload(subscription_id, LISTED[name])


def _logical_payload(subscription_id: str, region: LogicalRegion) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{subscription_id}/locations/{region.name}",
        "name": region.name,
        "type": "Region",
        "displayName": region.display_name,
        "regionalDisplayName": region.regional_display_name,
        "metadata": {"regionType": "Logical", "regionCategory": "Other"},
    }


def locations_payload(subscription_id: str) -> list[dict[str, Any]]:
    """Items of ``GET /subscriptions/{id}/locations?api-version=2022-12-01`` (wrap in ``{"value": ...}``):
    the recommended physical regions, the logical locations, then the other physical regions, as Azure
    orders them. Restricted and canary regions are listed too (see :data:`REGIONS` for what is usable)."""
    recommended = [r for r in _REGION_LIST if r.region_category == "Recommended"]
    other = [r for r in _REGION_LIST if r.region_category != "Recommended"]
    return ([_physical_payload(subscription_id, r) for r in recommended]
            + [_logical_payload(subscription_id, r) for r in _LOGICAL]
            + [_physical_payload(subscription_id, r) for r in other])


def usable_location_names() -> list[str]:
    """The regions a resource group may be created in, for ARM's LocationNotAvailableForResourceGroup text."""
    return [r.name for r in _REGION_LIST if r.usable]


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
