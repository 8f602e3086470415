"""Build a region's :class:`~.book.PriceBook` from Retail Prices API items.

One query per service, each ``serviceName eq … and armRegionName eq … and priceType eq 'Consumption'``
(https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices "API filters"), and
the items read as the pricing pages name their meters:

* VMs (``Virtual Machines``): Linux pay-as-you-go only — items whose ``productName`` ends in ``Windows``
  and whose ``skuName``/``meterName`` say ``Spot`` or ``Low Priority`` are other offers of the same size;
  ``unitOfMeasure`` ``1 Hour``; keyed by ``armSkuName``.
* Managed disks (``Storage``, products ``Premium SSD``/``Standard SSD``/``Standard HDD Managed Disks``):
  meters ``P10 LRS Disk``, ``E10 ZRS Disk``… per ``1/Month``; a tier's size range is Azure's (book.TIER_GIB).
* Public IPs (``Virtual Network``, product ``IP Addresses``): ``Standard IPv4 Static Public IP`` per hour.
* NAT gateway (``NAT Gateway``): the ``1 Hour`` meter, and the ``1 GB`` data-processed one.
* AKS (``Azure Kubernetes Service``): ``Standard Uptime SLA`` per cluster-hour; Premium adds the Long Term
  Support meter (https://azure.microsoft.com/pricing/details/kubernetes-service/).
* Container Registry: ``Basic``/``Standard``/``Premium Registry Unit`` per ``1/Day``.
* Backup: ``Azure VM Protected Instances`` per ``1/Month``.

Several items for one meter (a newer ``effectiveStartDate``, a price tier above ``tierMinimumUnits`` 0)
keep the newest first tier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from typing import Any

from .book import TIER_GIB, DiskTiers, PriceBook
from .client import RetailPricesClient, odata_filter

Item = Mapping[str, Any]

DISK_PRODUCTS = {"Premium SSD Managed Disks": "Premium", "Standard SSD Managed Disks": "StandardSSD",
                 "Standard HDD Managed Disks": "Standard"}
SERVICES = ("Virtual Machines", "Storage", "Virtual Network", "NAT Gateway", "Azure Kubernetes Service",
            "Container Registry", "Backup")
_DISK_METER = re.compile(r"^([PES])(\d+) (LRS|ZRS) Disk$")


def linux_payg(item: Item) -> bool:
    """A Linux pay-as-you-go VM price: not Windows, not Spot, not Low Priority, per hour."""
    if item.get("type") != "Consumption" or item.get("unitOfMeasure") != "1 Hour":
        return False
    if str(item.get("productName") or "").endswith("Windows"):
        return False
    words = f"{item.get('skuName') or ''} {item.get('meterName') or ''}"
    return "Spot" not in words and "Low Priority" not in words and bool(item.get("armSkuName"))


def _first_tier(items: Iterable[Item]) -> Iterable[Item]:
    """Per (meterId or meter name + sku), the newest item of the first price tier."""
    best: dict[tuple[str, str], Item] = {}
    for it in items:
        if float(it.get("tierMinimumUnits") or 0) != 0:
            continue
        key = (str(it.get("armSkuName") or it.get("skuName") or ""), str(it.get("meterName") or ""))
        old = best.get(key)
        if old is None or str(it.get("effectiveStartDate") or "") > str(old.get("effectiveStartDate") or ""):
            best[key] = it
    return best.values()


def vm_prices(items: Iterable[Item]) -> dict[str, float]:
    return {str(it["armSkuName"]).lower(): float(it["retailPrice"]) for it in _first_tier(i for i in items if linux_payg(i))}


def disk_prices(items: Iterable[Item]) -> dict[str, DiskTiers]:
    rows: dict[str, list[tuple[int, str, float]]] = {}
    for it in _first_tier(items):
        family = DISK_PRODUCTS.get(str(it.get("productName") or ""))
        m = _DISK_METER.match(str(it.get("meterName") or ""))
        if family is None or m is None or it.get("unitOfMeasure") != "1/Month" or m.group(2) not in TIER_GIB:
            continue
        sku = f"{family}_{m.group(3)}"
        rows.setdefault(sku, []).append((TIER_GIB[m.group(2)], f"{m.group(1)}{m.group(2)}", float(it["retailPrice"])))
    return {sku: tuple(sorted(r)) for sku, r in rows.items()}


def _hourly(items: Iterable[Item], **match: str) -> float | None:
    for it in _first_tier(items):
        if all(it.get(k) == v for k, v in match.items()):
            return float(it["retailPrice"])
    return None


def book_from_items(region: str, currency: str, by_service: Mapping[str, list[Item]], as_of: str) -> PriceBook:
    aks = by_service.get("Azure Kubernetes Service", [])
    sla = _hourly(aks, meterName="Standard Uptime SLA", unitOfMeasure="1 Hour")
    lts = _hourly(aks, meterName="Standard Long Term Support", unitOfMeasure="1 Hour")
    aks_tiers = {"Free": 0.0} | ({"Standard": sla} if sla is not None else {}) | (
        {"Premium": sla + lts} if sla is not None and lts is not None else {})
    acr = {}
    for sku in ("Basic", "Standard", "Premium"):
        daily = _hourly(by_service.get("Container Registry", []), meterName=f"{sku} Registry Unit", unitOfMeasure="1/Day")
        if daily is not None:
            acr[sku] = daily
    nat = by_service.get("NAT Gateway", [])
    return PriceBook(
        region=region, currency=currency, as_of=as_of, source="live",
        vm_hourly=vm_prices(by_service.get("Virtual Machines", [])),
        disk_tiers=disk_prices(by_service.get("Storage", [])),
        public_ip_hourly=_hourly(by_service.get("Virtual Network", []), productName="IP Addresses",
                                 meterName="Standard IPv4 Static Public IP", unitOfMeasure="1 Hour"),
        nat_gateway_hourly=_hourly(nat, productName="NAT Gateway", unitOfMeasure="1 Hour"),
        nat_gateway_per_gb=_hourly(nat, productName="NAT Gateway", unitOfMeasure="1 GB"),
        aks_tier_hourly=aks_tiers, acr_daily=acr,
        backup_instance_monthly=_hourly(by_service.get("Backup", []), meterName="Azure VM Protected Instances",
                                        unitOfMeasure="1/Month"),
    )


def _query(service: str, region: str) -> list[str]:
    base = {"serviceName": service, "armRegionName": region, "priceType": "Consumption"}
    if service == "Storage":  # only the managed-disk products: the service lists thousands of other meters
        return [odata_filter(**base, productName=p) for p in DISK_PRODUCTS]
    return [odata_filter(**base)]


def fetch_book(client: RetailPricesClient, region: str, currency: str = "USD", when: date | None = None) -> PriceBook:
    """Every price azwizard uses for ``region``, read now (a few requests, concurrently)."""
    jobs = [(service, f) for service in SERVICES for f in _query(service, region)]
    # The VMs first, alone: when the list cannot be read (offline), one failure ends it, not a dozen.
    answers = [(jobs[0][0], list(client.items(jobs[0][1], currency)))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers += list(pool.map(lambda job: (job[0], list(client.items(job[1], currency))), jobs[1:]))
    by_service: dict[str, list[Item]] = {}
    for service, items in answers:
        by_service.setdefault(service, []).extend(items)
    when = when or datetime.now(timezone.utc).date()
    return book_from_items(region, currency, by_service, when.isoformat())
