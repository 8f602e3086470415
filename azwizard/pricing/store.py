"""Where a region's prices come from: the disk cache, the Retail Prices API, or the dated table.

``price_book(region, currency)`` answers, best first:

1. the cached book (``<data dir>/prices/<region>-<CURRENCY>.json``), when fetched within ``MAX_AGE_DAYS``;
2. a fresh read of the Retail Prices API (:mod:`.fetch`), saved to the cache with its date;
3. the cached book however old (offline: "cached, fetched <date>");
4. the dated East US table (:func:`.book.table_book`), marked as the fallback.

It never raises for want of prices: a failed read costs accuracy, said in the book's label, never the
journey. The currency is ``--currency``, else ``$AZWIZARD_CURRENCY`` (the setting), else USD.

Clouds: the Retail Prices API is one public list for every region Microsoft prices
(https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices): it lists Azure
Government's US Gov regions too (``armRegionName eq 'usgovvirginia'``, location ``US Gov Virginia``: the same
regions the pricing pages' region picker offers, e.g.
https://azure.microsoft.com/pricing/details/virtual-machines/linux/), at Azure Government's own list prices.
So a Government region's book is read like any other, and says it holds Azure Government's list prices; if
the list has nothing for the region, the table's label says that it is the public cloud's East US prices, not
Azure Government's. Azure China is operated by 21Vianet and publishes its own prices
(https://www.azure.cn/pricing/) that this API does not list, so no request is made: the table, marked, saying
that these are the public cloud's list prices. A cloud registered with ``az cloud register`` (Azure Stack
Hub, a simulator) is not priced by the public list either: the table, unless ``$AZWIZARD_PRICES_URL`` names a
price list to read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .book import PriceBook, table_book

if TYPE_CHECKING:
    from azure.core.pipeline.transport import HttpTransport

    from ..azure.clouds import Cloud

MAX_AGE_DAYS = 7  # list prices change at most monthly; a week-old book is still the month's
ENV_CURRENCY = "AZWIZARD_CURRENCY"
ENV_PRICES_URL = "AZWIZARD_PRICES_URL"
_CURRENCY_RE = re.compile(r"^[A-Za-z]{3}$")
GOV_NOTE = "Azure Government: its US Gov region's own list prices, as the public price list publishes them"
GOV_FALLBACK_NOTE = ("Azure Government's US Gov regions are priced on their own "
                     "(https://azure.microsoft.com/pricing/details/virtual-machines/linux/, region US Gov): these are "
                     "the public cloud's list prices")
CHINA_NOTE = ("Azure China (21Vianet) publishes its own prices (https://www.azure.cn/pricing/): these are the "
              "public cloud's list prices")
CUSTOM_NOTE = "a cloud registered with az is not priced by Azure's public list: these are the public cloud's list prices"


def utc_today() -> date:
    """Today (UTC): the date a fetched book carries (a seam for tests that need a fixed date)."""
    return datetime.now(timezone.utc).date()


def currency_setting(flag: str | None = None) -> str:
    """``--currency``, else ``$AZWIZARD_CURRENCY``, else USD; a value that is not a 3-letter code is an error."""
    value = (flag or os.environ.get(ENV_CURRENCY) or "USD").strip()
    if not _CURRENCY_RE.match(value):
        raise ValueError(f"'{value}' is not a currency code (three letters, e.g. USD, EUR, GBP)")
    return value.upper()


def cache_path(region: str, currency: str, simulated: bool = False) -> Path:
    """The real price list's cache, or (``simulated``) the simulator's, kept apart so demo prices never stand in
    for Azure's."""
    from ..paths import data_dir

    base = data_dir() / "demo" if simulated else data_dir()
    return base / "prices" / f"{region.lower()}-{currency.upper()}.json"


def load_cached(region: str, currency: str, simulated: bool = False) -> PriceBook | None:
    try:
        data = json.loads(cache_path(region, currency, simulated).read_text(encoding="utf-8"))
        return PriceBook.from_json(data, "cache")
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none, or unreadable: fetched again


def save(book: PriceBook, simulated: bool = False) -> None:
    from ..atomicfile import write_text_atomic

    path = cache_path(book.region, book.currency, simulated)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(book.to_json(), separators=(",", ":")), 0o644, fsync=False)
    except OSError:
        pass  # a read-only or full disk costs a fetch next time, not the estimate


def _age_days(book: PriceBook, today: date) -> int:
    try:
        return (today - date.fromisoformat(book.as_of)).days
    except ValueError:
        return MAX_AGE_DAYS + 1


def cloud_note(cloud: Cloud | None) -> tuple[str, bool]:
    """(what to say about the cloud's prices, whether the public price list may be read for it)."""
    if cloud is None or cloud.is_public:
        return "", True
    if cloud.name == "AzureUSGovernment":
        return GOV_NOTE, True
    if cloud.name == "AzureChinaCloud":
        return CHINA_NOTE, False
    return CUSTOM_NOTE, bool(os.environ.get(ENV_PRICES_URL))


def price_book(region: str, currency: str | None = None, *, transport: HttpTransport[Any, Any] | None = None,
               offline: bool = False, cloud: Cloud | None = None, today: date | None = None,
               simulated: bool | None = None, **client_kwargs: Any) -> PriceBook:
    """The best prices to be had for ``region`` (see the module docstring); never raises. ``simulated``: the
    simulator's price list (demo mode); by default, whether ``transport`` is the simulator's."""
    if simulated is None:
        simulated = getattr(transport, "sim", None) is not None
    cur = currency_setting(currency)
    region = region.lower()
    note, may_fetch = cloud_note(cloud)
    when = today or utc_today()
    cached = load_cached(region, cur, simulated)
    if cached is not None and _age_days(cached, when) <= MAX_AGE_DAYS:
        return cached.with_source("cache", note)
    if may_fetch and not offline:
        book = _fetch(region, cur, when, transport, client_kwargs)
        if book is not None:
            save(book, simulated)
            return book.with_source("live", note)
    if cached is not None:
        return cached.with_source("cache", note)
    fallback = table_book(region, cur)
    if note == GOV_NOTE:  # the table is not the region's own list: say whose prices it holds
        note = GOV_FALLBACK_NOTE
    return fallback.with_source("table", "; ".join(n for n in (fallback.note, note) if n))


def _fetch(region: str, currency: str, when: date, transport: HttpTransport[Any, Any] | None,
           client_kwargs: dict[str, Any]) -> PriceBook | None:
    from .client import RetailPricesClient
    from .fetch import fetch_book

    client = RetailPricesClient(url=os.environ.get(ENV_PRICES_URL) or None, transport=transport, **client_kwargs)
    try:
        book = fetch_book(client, region, currency, when)
    except Exception:  # noqa: BLE001 - any failure (offline, proxy, 5xx, bad JSON) falls back, said in the label
        return None
    finally:
        if transport is None:
            client.close()
    return book if book.vm_hourly else None  # a region the list does not know: nothing worth keeping


def plan_book(plan: Any) -> PriceBook:
    """A plan's region's prices without a request (the done screens): the cache, else the marked table. The
    simulated subscription's plans read the simulator's cache (demo mode)."""
    from ..sim.catalog.locations import SUBSCRIPTION_ID

    return price_book(plan.location, offline=True, simulated=plan.subscription_id == SUBSCRIPTION_ID)


def region_books(regions: Iterable[str], *, transport: HttpTransport[Any, Any] | None = None,
                 cloud: Cloud | None = None, offline: bool = False, simulated: bool | None = None,
                 max_workers: int = 4) -> dict[str, PriceBook]:
    """One :func:`price_book` per region (lower-cased), read concurrently: what cleanup prices its resources
    from, each in its own region. Never raises (a region that cannot be read gets the marked table)."""
    wanted = sorted({r.lower() for r in regions if r})
    if not wanted:
        return {}

    def one(region: str) -> PriceBook:
        return price_book(region, transport=transport, cloud=cloud, offline=offline, simulated=simulated)

    if len(wanted) == 1:
        return {wanted[0]: one(wanted[0])}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(max_workers, len(wanted)), thread_name_prefix="azwizard-prices") as pool:
        return dict(zip(wanted, pool.map(one, wanted), strict=True))
