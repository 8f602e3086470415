"""The Azure Retail Prices API (``GET https://prices.azure.com/api/retail/prices``), served by the simulator.

Shape as documented (https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices):
``{"BillingCurrency", "CustomerEntityId": "Default", "CustomerEntityType": "Retail", "Items": [...],
"NextPageLink", "Count"}``, items with ``currencyCode, tierMinimumUnits, retailPrice, unitPrice,
armRegionName, location, effectiveStartDate, meterId, meterName, productId, skuId, productName, skuName,
serviceName, serviceId, serviceFamily, unitOfMeasure, type, isPrimaryMeterRegion, armSkuName``; at most
1,000 items a page, ``NextPageLink`` carrying ``$skip``; no sign-in (no Authorization header needed); the
``$filter`` is ``field eq 'value'`` clauses joined by ``and``, values case-sensitive from api-version
``2023-01-01-preview`` (case-insensitive before). ``currencyCode`` converts at the fixed reference rates
below. A filter this simulator cannot read answers 400 (the real API's message is not documented).

The prices are a realistic subset, **modelled**: for every VM size the simulator offers in a region, a Linux,
a Windows, a Spot and a Low Priority item (so a client must pick the Linux pay-as-you-go one); managed-disk
tiers (LRS and ZRS, with their operations meters), Standard/Basic public IPs, NAT gateway, AKS Uptime SLA
and Long Term Support, Container Registry units and Backup protected instances. The East US prices are the
dated table in ``azwizard/cleanup/costs.py`` (list prices, 2025-01) where it has them, else modelled from the
size's shape (vCPUs, memory, GPUs) and family (:func:`eastus_vm_hourly`); every other region is East US × :data:`REGION_FACTOR` (modelled
on the pricing pages' ordering: US East/West 2 cheapest, Europe ~10–25 % dearer, Brazil South dearest).
Meter, product, SKU and service names are the real ones; ids (meterId, productId, skuId, serviceId) are
synthetic but stable.
"""

from __future__ import annotations

import re
import uuid
import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ...cleanup import costs
from ..catalog import skus
from ..catalog.locations import REGIONS
from ..wire import ArmResponse

if TYPE_CHECKING:
    from ...pricing.book import PriceBook
    from ..core import ArmSim
    from ..wire import ArmRequest

PATH = "/api/retail/prices"
PAGE_SIZE = 1000  # the real page size; tests set ``sim.retail_prices_page_size`` to exercise paging
CASE_SENSITIVE_FROM = "2023-01-01-preview"

REGION_FACTOR: dict[str, float] = {
    "eastus": 1.0, "eastus2": 1.0, "westus2": 1.0, "westus3": 1.0, "centralus": 1.05, "southcentralus": 1.05,
    "northcentralus": 1.05, "westcentralus": 1.08, "westus": 1.12, "centralindia": 0.96, "southindia": 0.98,
    "northeurope": 1.08, "swedencentral": 1.06, "westeurope": 1.15, "uksouth": 1.14, "francecentral": 1.15,
    "germanywestcentral": 1.16, "norwayeast": 1.25, "switzerlandnorth": 1.3, "japaneast": 1.28,
    "australiaeast": 1.3, "southeastasia": 1.18, "koreacentral": 1.2, "canadacentral": 1.1,
    "southafricanorth": 1.22, "uaenorth": 1.25, "brazilsouth": 1.55,
}
DEFAULT_FACTOR = 1.2
# Reference conversion rates (the API converts from USD; its non-USD prices are "for your reference").
RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "JPY": 150.0, "CHF": 0.88, "CAD": 1.36, "AUD": 1.52, "INR": 83.0,
         "SEK": 10.5, "NOK": 10.8, "DKK": 6.9, "BRL": 5.0}
# Sizes the dated table does not list are priced from their shape (modelled): per vCPU and per GiB of memory,
# the rates the table's general-purpose and memory-optimised sizes imply (D2s_v5: 2 vCPU + 8 GiB = $0.096,
# E2s_v5: 2 vCPU + 16 GiB = $0.126), × a premium by the size's family letters (older A-series, confidential
# DC/EC, HPC, storage-optimised L, large-memory M cost more per vCPU and GiB; burstable B less), plus a rate per
# GPU for the N-series. So sizes of different shape or family differ (A2_v2 ≈ $0.091/h, DC1s_v2 ≈ $0.076/h).
_PER_VCPU = 0.0315
_PER_GIB = 0.004
_PREMIUM = {"A": 1.15, "B": 0.9, "F": 1.05, "FX": 1.6, "G": 1.4, "H": 1.5, "HB": 1.1, "HC": 1.1, "HX": 1.1,
            "L": 1.35, "M": 1.25, "DC": 1.6, "EC": 1.3}
_PER_GPU = {"N": 0.9, "NC": 0.9, "ND": 2.5, "NV": 0.5, "NG": 0.5}
_LOCATION = {"eastus": "US East", "eastus2": "US East 2", "westus": "US West", "westus2": "US West 2",
             "westus3": "US West 3", "centralus": "US Central", "northeurope": "EU North", "westeurope": "EU West",
             "uksouth": "UK South", "japaneast": "JA East", "australiaeast": "AU East", "brazilsouth": "BR South"}
_SERVICE_IDS = {"Virtual Machines": "DZH313Z7MMC8", "Storage": "DZH317F1HKN0", "Virtual Network": "DZH3157SN9M7",
                "NAT Gateway": "DZH318Z0BQ7T", "Azure Kubernetes Service": "DZH313Z0ZKQ6",
                "Container Registry": "DZH315Z28WC1", "Backup": "DZH318Z0BNVX"}
_FAMILY = {"Virtual Machines": "Compute", "Storage": "Storage", "Virtual Network": "Networking",
           "NAT Gateway": "Networking", "Azure Kubernetes Service": "Compute", "Container Registry": "Containers",
           "Backup": "Storage"}
_EFFECTIVE = "2025-01-01T00:00:00Z"


def is_prices_path(path: str) -> bool:
    return path.lower() == PATH


def _id(*parts: str) -> str:
    return f"DZH{zlib.crc32('/'.join(parts).encode()):09X}"[:12]


def _item(region: str, service: str, product: str, sku: str, meter: str, unit: str, usd: float,
          arm_sku: str = "", kind: str = "Consumption") -> dict[str, Any]:
    product_id = _id(service, product)
    return {
        "currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": usd, "unitPrice": usd,
        "armRegionName": region, "location": _LOCATION.get(region, REGIONS[region].display_name),
        "effectiveStartDate": _EFFECTIVE, "meterId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{region}/{product}/{meter}")),
        "meterName": meter, "productId": product_id, "skuId": f"{product_id}/{_id(sku)[-4:]}",
        "productName": product, "skuName": sku, "serviceName": service, "serviceId": _SERVICE_IDS[service],
        "serviceFamily": _FAMILY[service], "unitOfMeasure": unit, "type": kind, "isPrimaryMeterRegion": True,
        "armSkuName": arm_sku,
    }


def eastus_vm_hourly(name: str, vcpus: int, letters: str, memory_gb: float | None = None, gpus: int = 0) -> float:
    """A size's East US Linux pay-as-you-go price: the dated table's, else modelled from its shape."""
    known = costs.VM_HOURLY.get(name)
    if known is not None:
        return known
    memory = memory_gb if memory_gb is not None else 4.0 * max(vcpus, 1)
    premium = _PREMIUM.get(letters[:2], _PREMIUM.get(letters[:1], 1.0))
    gpu = _PER_GPU.get(letters[:2], _PER_GPU.get(letters[:1], 0.0)) if gpus else 0.0
    return round((max(vcpus, 1) * _PER_VCPU + memory * _PER_GIB) * premium + gpus * gpu, 4)


def _shape(spec: skus.VmSkuSpec) -> tuple[float | None, int]:
    """(memory in GiB, GPUs) from the size's capabilities."""
    caps = dict(spec.capabilities)
    memory = caps.get("MemoryGB")
    return (float(memory) if memory else None), int(float(caps.get("GPUs") or 0))


def _vm_items(region: str, factor: float) -> list[dict[str, Any]]:
    out = []
    specs = skus.vm_specs()
    for rec in skus.vm_skus(region):
        spec = specs.get(str(rec["name"]).lower())
        if spec is None:
            continue
        p = spec.parsed
        usd = round(eastus_vm_hourly(spec.name, spec.vcpus, p.letters, *_shape(spec)) * factor, 4)
        series = re.sub(r"^([A-Z]+)\d+(?:-\d+)?", r"\1", p.size).replace("_", "")  # D2s_v5 -> Dsv5
        product = f"Virtual Machines {series} Series"
        meter = p.size.replace("_", " ")  # D2s v5
        out.append(_item(region, "Virtual Machines", product, meter, meter, "1 Hour", usd, spec.name))
        out.append(_item(region, "Virtual Machines", f"{product} Windows", meter, meter, "1 Hour",
                         round(usd + 0.046 * spec.vcpus, 4), spec.name))
        out.append(_item(region, "Virtual Machines", product, f"{meter} Spot", f"{meter} Spot", "1 Hour",
                         round(usd * 0.2, 4), spec.name))
        out.append(_item(region, "Virtual Machines", product, f"{meter} Low Priority", f"{meter} Low Priority",
                         "1 Hour", round(usd * 0.2, 4), spec.name))
    return out


def _disk_items(region: str, factor: float) -> list[dict[str, Any]]:
    out = []
    products = {"Premium_LRS": "Premium SSD Managed Disks", "StandardSSD_LRS": "Standard SSD Managed Disks",
                "Standard_LRS": "Standard HDD Managed Disks"}
    for sku, rows in costs.DISK_TIERS.items():
        product = products[sku]
        for _, tier, monthly in rows:
            for red, mult in (("LRS", 1.0), ("ZRS", 1.5)) if sku != "Standard_LRS" else (("LRS", 1.0),):
                out.append(_item(region, "Storage", product, f"{tier} {red}", f"{tier} {red} Disk", "1/Month",
                                 round(monthly * mult * factor, 4)))
            if sku != "Premium_LRS":
                out.append(_item(region, "Storage", product, f"{tier} LRS", f"{tier} LRS Disk Operations", "10K",
                                 round(0.002 * factor, 4)))
    return out


def _other_items(region: str, f: float) -> list[dict[str, Any]]:
    i = _item
    return [
        i(region, "Virtual Network", "IP Addresses", "Standard", "Standard IPv4 Static Public IP", "1 Hour",
          round(costs.PUBLIC_IP_STANDARD_HOURLY * f, 4)),
        i(region, "Virtual Network", "IP Addresses", "Basic", "Basic IPv4 Dynamic Public IP", "1 Hour",
          round(0.004 * f, 4)),
        i(region, "NAT Gateway", "NAT Gateway", "Standard", "Standard Gateway", "1 Hour",
          round(costs.NAT_GATEWAY_HOURLY * f, 4)),
        i(region, "NAT Gateway", "NAT Gateway", "Standard", "Standard Data Processed", "1 GB",
          round(costs.NAT_GATEWAY_PER_GB * f, 4)),
        i(region, "Azure Kubernetes Service", "Azure Kubernetes Service", "Standard", "Standard Uptime SLA", "1 Hour",
          round(costs.AKS_TIER_HOURLY["Standard"] * f, 4)),
        i(region, "Azure Kubernetes Service", "Azure Kubernetes Service", "Standard", "Standard Long Term Support",
          "1 Hour", round((costs.AKS_TIER_HOURLY["Premium"] - costs.AKS_TIER_HOURLY["Standard"]) * f, 4)),
        *[i(region, "Container Registry", "Container Registry", sku, f"{sku} Registry Unit", "1/Day",
            round(daily * f, 4)) for sku, daily in costs.ACR_DAILY.items()],
        i(region, "Backup", "Backup", "Azure VM", "Azure VM Protected Instances", "1/Month",
          round(costs.BACKUP_INSTANCE_MONTHLY_PER_500GB * f, 4)),
        i(region, "Backup", "Backup", "Standard", "LRS Data Stored", "1 GB/Month", round(0.0224 * f, 4)),
    ]


@lru_cache(maxsize=64)
def region_items(region: str) -> tuple[dict[str, Any], ...]:
    """Every USD item of ``region`` (cached; read-only)."""
    if region not in REGIONS:
        return ()
    factor = REGION_FACTOR.get(region, DEFAULT_FACTOR)
    return tuple(_vm_items(region, factor) + _disk_items(region, factor) + _other_items(region, factor))


@lru_cache(maxsize=64)
def region_book(region: str) -> PriceBook:
    """The prices this list serves for ``region`` (USD), read as azwizard reads them (``pricing/fetch.py``): what
    the simulated Cost Management charges, so the actual spend and the estimate agree."""
    from ...pricing.fetch import book_from_items

    by_service: dict[str, list[Mapping[str, Any]]] = {}
    for it in region_items(region.lower()):
        by_service.setdefault(it["serviceName"], []).append(it)
    return book_from_items(region.lower(), "USD", by_service, _EFFECTIVE[:10])


_CLAUSE = re.compile(r"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)


def parse_filter(text: str) -> list[tuple[str, str]] | None:
    """``a eq 'x' and b eq 'y'`` -> [(a, x), (b, y)]; None when it is not that form."""
    if not text.strip():
        return []
    out = []
    for clause in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        m = _CLAUSE.match(clause)
        if m is None:
            return None
        out.append((m.group(1), m.group(2).replace("''", "'")))
    return out


def _error(message: str) -> ArmResponse:
    return ArmResponse(400, {"Error": {"Code": "BadRequest", "Message": message}})


def handle(sim: ArmSim, req: ArmRequest) -> ArmResponse:
    if req.method != "GET":
        return ArmResponse(405, {"Error": {"Code": "MethodNotAllowed", "Message": "Only GET is supported."}})
    clauses = parse_filter(req.query.get("$filter", ""))
    if clauses is None:
        return _error("Invalid OData $filter (this simulator reads `field eq 'value'` clauses joined by `and`).")
    currency = req.query.get("currencyCode", "USD").strip("'\"").upper() or "USD"
    if currency not in RATES:
        return _error(f"Invalid currency code '{currency}'.")
    sensitive = (req.api_version or "") >= CASE_SENSITIVE_FROM
    regions = [v for k, v in clauses if k.lower() == "armregionname"]
    pool: tuple[dict[str, Any], ...] | list[dict[str, Any]]
    if regions:
        pool = region_items(regions[0] if sensitive else regions[0].lower())
    else:
        pool = [it for r in REGIONS for it in region_items(r)]
    keys = {k.lower(): k for k in (pool[0] if pool else {})} | {"pricetype": "type"}  # the filter's name for `type`

    def keep(it: dict[str, Any]) -> bool:
        for field, value in clauses:
            got = str(it.get(keys.get(field.lower(), field), ""))
            if (got != value) if sensitive else (got.lower() != value.lower()):
                return False
        return True

    matched = [it for it in pool if keep(it)]
    size = int(getattr(sim, "retail_prices_page_size", PAGE_SIZE))
    skip = int(req.query.get("$skip", "0") or 0)
    page = matched[skip:skip + size]
    rate = RATES[currency]
    if rate != 1.0:
        page = [it | {"currencyCode": currency, "retailPrice": round(it["retailPrice"] * rate, 4),
                      "unitPrice": round(it["unitPrice"] * rate, 4)} for it in page]
    link = None
    if skip + size < len(matched):
        query = {k: v for k, v in req.query.items() if k != "$skip"} | {"$skip": str(skip + size)}
        link = f"{req.base}{PATH}?{urlencode(query)}"
    return ArmResponse(200, {"BillingCurrency": currency, "CustomerEntityId": "Default",
                             "CustomerEntityType": "Retail", "Items": page, "NextPageLink": link,
                             "Count": len(page)})
