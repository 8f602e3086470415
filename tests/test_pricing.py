"""Prices from the Azure Retail Prices API, served by the simulator: region, paging, Linux pay-as-you-go,
currency, the disk cache (offline, with its date), the marked fallback, and the clouds' notes."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from azure.core.exceptions import ServiceRequestError
from azure.core.pipeline.transport import HttpTransport

from azwizard.azure.clouds import AZURE_PUBLIC_CLOUD, AZURE_US_GOVERNMENT, Cloud
from azwizard.cleanup.costs import estimate_plan_steps
from azwizard.pricing import price_book
from azwizard.pricing.client import RetailPricesClient, odata_filter
from azwizard.sim import ArmSim
from azwizard.sim.providers import retailprices
from azwizard.sim.transport import SimTransport


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AZWIZARD_CURRENCY", raising=False)


class Offline(HttpTransport):  # type: ignore[type-arg]
    """No network: every request fails as an unreachable host does."""

    def __init__(self) -> None:
        self.sent = 0

    def __enter__(self) -> Offline:
        return self

    def __exit__(self, *a: Any) -> None:
        pass

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send(self, request: Any, **kwargs: Any) -> Any:
        self.sent += 1
        raise ServiceRequestError("Failed to resolve 'prices.azure.com'")

    def sleep(self, duration: float) -> None:
        pass


def _vm_plan(size: str = "Standard_D2s_v5") -> list[Any]:
    vm = {"properties": {"hardwareProfile": {"vmSize": size}, "storageProfile": {
        "osDisk": {"diskSizeGB": 30, "managedDisk": {"storageAccountType": "StandardSSD_LRS"}}}}}
    ip = {"sku": {"name": "Standard"}, "properties": {"publicIPAddressVersion": "IPv4"}}
    return [SimpleNamespace(kind="Microsoft.Compute/virtualMachines", name="vm", body=vm),
            SimpleNamespace(kind="Microsoft.Network/publicIPAddresses", name="ip", body=ip)]


def _prices_requests(sim: ArmSim) -> list[Any]:
    return [r for r in sim.requests if r.path == retailprices.PATH]


def test_a_cheaper_region_gives_a_lower_estimate(sim: ArmSim) -> None:
    india = price_book("centralindia", transport=SimTransport(sim))
    europe = price_book("westeurope", transport=SimTransport(sim))
    assert india.source == europe.source == "live"
    cheap, dear = estimate_plan_steps(_vm_plan(), india), estimate_plan_steps(_vm_plan(), europe)
    assert cheap.known and dear.known
    assert cheap.monthly is not None and dear.monthly is not None
    assert cheap.monthly < dear.monthly
    assert "centralindia" in india.label() and "fetched" in india.label()


def test_vm_price_is_linux_pay_as_you_go_not_windows_spot_or_low_priority(sim: ArmSim) -> None:
    book = price_book("eastus", transport=SimTransport(sim))
    items = [it for it in retailprices.region_items("eastus") if it["armSkuName"] == "Standard_D4s_v5"]
    assert {it["productName"] for it in items} == {"Virtual Machines Dsv5 Series", "Virtual Machines Dsv5 Series Windows"}
    linux = next(it for it in items if it["skuName"] == "D4s v5" and not it["productName"].endswith("Windows"))
    assert book.vm_hourly["standard_d4s_v5"] == linux["retailPrice"]
    assert len({it["retailPrice"] for it in items}) == 3  # Linux, Windows, and Spot = Low Priority differ
    assert len(book.vm_hourly) >= 800  # every size eastus offers


def test_paging_follows_next_page_link(sim: ArmSim) -> None:
    sim.retail_prices_page_size = 250  # type: ignore[attr-defined]
    client = RetailPricesClient(transport=SimTransport(sim))
    f = odata_filter(serviceName="Virtual Machines", armRegionName="eastus", priceType="Consumption")
    pages = list(client.pages(f))
    expected = [it for it in retailprices.region_items("eastus") if it["serviceName"] == "Virtual Machines"]
    assert len(pages) == -(-len(expected) // 250) > 1
    assert all(p["Count"] == len(p["Items"]) for p in pages)
    assert pages[-1]["NextPageLink"] is None and all(p["NextPageLink"] for p in pages[:-1])
    assert [it["meterId"] for p in pages for it in p["Items"]] == [it["meterId"] for it in expected]
    skips = [r.url for r in _prices_requests(sim) if "$skip" in r.url or "%24skip" in r.url]
    assert len(skips) == len(pages) - 1
    # a paged read and a one-page read give the same book
    small = price_book("eastus", transport=SimTransport(sim))
    sim.retail_prices_page_size = 1000  # type: ignore[attr-defined]
    assert small.vm_hourly == price_book("eastus", transport=SimTransport(sim), today=date.today() + timedelta(30)).vm_hourly


def test_filter_values_are_case_sensitive_in_the_preview_api_version(sim: ArmSim) -> None:
    client = RetailPricesClient(transport=SimTransport(sim))
    assert list(client.items(odata_filter(serviceName="Backup", armRegionName="eastus")))
    assert not list(client.items(odata_filter(serviceName="backup", armRegionName="eastus")))


def test_the_cache_is_used_offline_with_its_date(sim: ArmSim) -> None:
    fetched = price_book("northeurope", transport=SimTransport(sim))
    assert fetched.source == "live"
    sent = len(_prices_requests(sim))
    again = price_book("northeurope", transport=SimTransport(sim))
    assert again.source == "cache" and len(_prices_requests(sim)) == sent  # fresh cache: no request
    offline = Offline()
    later = date.fromisoformat(fetched.as_of) + timedelta(days=40)  # stale: a fetch is tried and fails
    stale = price_book("northeurope", transport=offline, today=later, simulated=True)
    assert offline.sent > 0
    assert stale.source == "cache" and stale.vm_hourly == fetched.vm_hourly
    assert f"cached, fetched {fetched.as_of}" in stale.label()


def test_no_cache_and_no_network_falls_back_to_the_dated_table_marked() -> None:
    offline = Offline()
    book = price_book("brazilsouth", transport=offline)
    assert 1 < offline.sent <= 3  # the first query, retried twice; the other services are not tried
    assert book.source == "table" and book.is_fallback
    assert "FALLBACK" in book.label() and "East US" in book.label() and "brazilsouth" in book.label()
    assert estimate_plan_steps(_vm_plan(), book).known  # the table still prices what it knows


def test_currency_flag_and_setting(sim: ArmSim, monkeypatch: pytest.MonkeyPatch) -> None:
    usd = price_book("eastus", transport=SimTransport(sim))
    eur = price_book("eastus", "eur", transport=SimTransport(sim))
    assert eur.currency == "EUR" and eur.vm_hourly["standard_d2s_v5"] < usd.vm_hourly["standard_d2s_v5"]
    assert any("currencyCode=EUR" in r.url for r in _prices_requests(sim))
    assert "€" in estimate_plan_steps(_vm_plan(), eur).describe()
    monkeypatch.setenv("AZWIZARD_CURRENCY", "GBP")
    assert price_book("eastus", transport=SimTransport(sim)).currency == "GBP"
    with pytest.raises(ValueError, match="not a currency code"):
        price_book("eastus", "dollars", transport=SimTransport(sim))


def test_government_reads_its_regions_own_prices_and_china_reads_no_public_list(sim: ArmSim) -> None:
    # The public list carries Azure Government's US Gov regions at their own prices: read like any region
    gov = price_book("eastus", transport=SimTransport(sim), cloud=AZURE_US_GOVERNMENT)
    assert gov.source == "live" and "Azure Government: its US Gov region's own list prices" in gov.label()
    assert "public cloud's" not in gov.label()
    # a region the list has nothing for: the table, which is the public cloud's prices, not Government's
    nowhere = price_book("usgovnowhere", transport=SimTransport(sim), cloud=AZURE_US_GOVERNMENT)
    assert nowhere.is_fallback and "public cloud's list prices" in nowhere.label()
    china = Cloud("AzureChinaCloud", "https://management.chinacloudapi.cn/", "https://login.chinacloudapi.cn",
                  "https://management.chinacloudapi.cn/.default")
    offline = Offline()
    book = price_book("chinaeast2", transport=offline, cloud=china)
    assert offline.sent == 0 and book.is_fallback and "21Vianet" in book.label()
    assert price_book("westus2", transport=SimTransport(sim), cloud=AZURE_PUBLIC_CLOUD).note == ""


def test_a_price_missing_from_the_list_comes_from_the_table_and_says_so(sim: ArmSim) -> None:
    from dataclasses import replace

    from azwizard.cleanup.costs import nat_gateway_cost

    book = replace(price_book("eastus", transport=SimTransport(sim)), nat_gateway_hourly=None)
    part = nat_gateway_cost(book).parts[0]
    assert part.hourly == 0.045 and "dated East US table" in part.note


def test_the_simulators_prices_never_stand_in_for_azures(sim: ArmSim) -> None:
    demo = price_book("uksouth", transport=SimTransport(sim))
    assert demo.source == "live"
    real = price_book("uksouth", transport=Offline())  # not the simulator: its own cache, empty
    assert real.is_fallback
    assert price_book("uksouth", offline=True, simulated=True).vm_hourly == demo.vm_hourly


def test_sizes_the_table_lacks_are_priced_by_their_shape_not_one_rate_per_vcpu(sim: ArmSim) -> None:
    from azwizard.cleanup.costs import VM_HOURLY

    book = price_book("norwayeast", transport=SimTransport(sim))
    modelled = {k for k in book.vm_hourly if k not in {n.lower() for n in VM_HOURLY}}
    wanted = {"standard_a2_v2", "standard_dc1s_v2", "standard_d2as_v4", "standard_e2as_v4", "standard_nc6s_v3",
              "standard_d8as_v4"}
    assert wanted <= modelled
    price = book.vm_hourly
    assert price["standard_a2_v2"] != price["standard_dc1s_v2"]  # 2 vCPU older A-series, 1 vCPU confidential
    assert price["standard_d2as_v4"] < price["standard_e2as_v4"]  # same vCPUs, twice the memory
    assert price["standard_nc6s_v3"] > 2 * price["standard_d8as_v4"]  # a GPU costs far more than 2 vCPUs
    # the whole modelled range is not a few dozen per-vCPU figures
    assert len({price[k] for k in modelled}) > 100
