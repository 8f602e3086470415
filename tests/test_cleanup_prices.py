"""Cleanup's estimates come from each resource's own region's list prices (the same price book the review, the
done screen and ``vm plan`` use), with the prices' currency and date shown; the dated East US table only as
the marked last fallback (offline with no cache)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import cli_helpers
import pytest
from cleanup_helpers import make_vm_run, region_book
from cli_helpers import main_in_process

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import build_inventory
from azwizard.cleanup import costs as table
from azwizard.cleanup.costs import total
from azwizard.cleanup.model import Inventory
from azwizard.pricing.estimate import plan_estimate
from azwizard.pricing.store import plan_book
from azwizard.sim import ArmSim
from azwizard.sim.providers import retailprices

data_dir = cli_helpers.data_dir
NOW = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def own_prices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No price cache left by another test: each test reads (or fails to read) the price list itself."""
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("AZWIZARD_CURRENCY", raising=False)


def run_cost(inv: Inventory, run_id: str) -> table.Cost:
    return total(it.cost for it in inv.items if it.run_id == run_id and it.exists)


def test_the_same_runs_estimate_agrees_on_the_done_screen_the_plan_and_in_cleanup(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from azwizard.screens.vm.done import _cost as done_screen_estimate

    region_book(factory)  # the wizard reads the region's prices before the review (screens/wizard.py)
    plan = make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    cleanup = run_cost(inv, "run-vm")
    assert cleanup.known and cleanup.hourly is not None
    # the done screen's sentence, word for word
    assert done_screen_estimate(plan) == cleanup.describe()
    # `vm plan --format json`'s total per month, and its currency and price date
    planned = plan_estimate(plan.steps, plan_book(plan))
    assert planned["total_monthly"] == round(cleanup.hourly * 730, 2)
    assert (planned["currency"], planned["price_date"], planned["region"]) == (
        cleanup.currency, inv.books()[0].as_of, "norwayeast")
    # and not the dated table's figure (the gap this closes: $0.4612/h against $0.3690/h)
    assert cleanup.hourly != pytest.approx(table.estimate_plan_steps(plan.steps).hourly)


def test_a_cheaper_region_gives_a_lower_cleanup_estimate(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    factors = retailprices.REGION_FACTOR
    cheap, dear = "centralindia", "westeurope"
    assert factors[cheap] < factors[dear]  # the simulator's price list, as on the pricing pages
    make_vm_run(sim, factory, tmp_path, run_id="run-cheap", base="Cheap", location=cheap)
    make_vm_run(sim, factory, tmp_path, run_id="run-dear", base="Dear", location=dear)
    inv = build_inventory(factory, journal_dir=tmp_path)
    assert sorted(inv.prices) == [cheap, dear]  # one book per region
    low, high = run_cost(inv, "run-cheap"), run_cost(inv, "run-dear")
    assert low.known and high.known and low.hourly is not None and high.hourly is not None
    assert low.hourly < high.hourly
    for run, region in (("run-cheap", cheap), ("run-dear", dear)):
        vm = next(it for it in inv.items if it.run_id == run and it.type == "Microsoft.Compute/virtualMachines")
        assert vm.cost is not None and vm.cost.hourly == region_book(factory, region).vm_hourly["standard_d2s_v5"]
        assert region in inv.prices_label([vm]) and "FALLBACK" not in inv.prices_label([vm])


def test_offline_with_no_cache_cleanup_uses_the_dated_table_marked(sim: ArmSim, factory: ClientFactory,
                                                                   tmp_path: Path) -> None:
    from azwizard.screens.cleanup.view import Filters, summary_text

    make_vm_run(sim, factory, tmp_path)
    sim.faults.drop("GET", retailprices.PATH, times=1000)  # prices.azure.com unreachable
    inv = build_inventory(factory, journal_dir=tmp_path)
    assert sim.faults.take("GET", retailprices.PATH) is not None  # a read was tried (and failed)
    [book] = inv.books()
    assert book.is_fallback and book.region == "norwayeast"
    vm = next(it for it in inv.items if it.name == "Yolo-VM")
    assert vm.cost is not None and vm.cost.hourly == table.VM_HOURLY["Standard_D2s_v5"]  # the table's figure
    label = inv.prices_label()
    assert "FALLBACK" in label and "East US" in label and table.PRICES_AS_OF in label and "norwayeast" in label
    # the screen's summary says so, in the warning colour
    existing = [it for it in inv.items if it.exists]
    summary = summary_text(inv, existing, set(), set(), Filters(), NOW)
    assert f"[$warning]({label})[/]" in summary
    # with the cache written by an earlier read, the same offline inventory prices from it instead
    sim.faults.clear()
    fetched = region_book(factory)
    sim.faults.drop("GET", retailprices.PATH, times=1000)
    again = build_inventory(factory, journal_dir=tmp_path, offline_prices=True)
    assert not again.books()[0].is_fallback and f"fetched {fetched.as_of}" in again.prices_label()


def test_cleanup_list_carries_estimate_currency_and_price_date_per_resource_and_run(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from azwizard.demo import open_demo_session
    from azwizard.paths import journal_dir
    from azwizard.sim import INSTANT

    demo = open_demo_session(latency=INSTANT)
    make_vm_run(demo.sim, demo.session.factory, journal_dir())
    listing = json.loads(main_in_process(["--demo", "cleanup", "list", "--format", "json"], capsys).out)
    book = region_book(demo.session.factory)
    [prices] = listing["prices"]
    assert prices | {"price_source": "?"} == {"region": "norwayeast", "currency": "USD", "price_date": book.as_of,
                                              "price_source": "?", "fallback": False, "label": prices["label"]}
    run = listing["run_costs"]["run-vm"]["estimate"]
    assert (run["currency"], run["price_date"]) == ("USD", book.as_of) and "norwayeast" in run["prices"]
    items = {i["name"]: i for i in listing["items"]}
    vm = items["Yolo-VM"]["cost"]
    assert (vm["hourly"], vm["currency"], vm["price_date"]) == (book.vm_hourly["standard_d2s_v5"], "USD", book.as_of)
    assert vm["price_source"] in ("live", "cache")
    assert run["hourly"] == pytest.approx(sum(i["cost"]["hourly"] for i in listing["items"]
                                              if i["run_id"] == "run-vm" and i["exists"]))
    assert items["Yolo-NSG"]["cost"]["hourly"] == 0 and items["Yolo-NSG"]["cost"]["price_date"] == book.as_of
    # the text says where the figures come from, after each run's estimate
    text = main_in_process(["--demo", "cleanup", "list"], capsys).out
    estimate = next(line for line in text.splitlines() if line.strip().startswith("estimate "))
    assert f"(list prices, norwayeast, USD, cached, fetched {book.as_of})" in estimate
    # and so does the dry run of a deletion, after what it stops
    dry = main_in_process(["--demo", "cleanup", "delete", "--run", "run-vm"], capsys).out
    stops = next(line for line in dry.splitlines() if "stops about" in line)
    assert stops.endswith(f"of charges (list prices, norwayeast, USD, cached, fetched {book.as_of})")


def test_currency_setting_prices_cleanup_in_that_currency(sim: ArmSim, factory: ClientFactory, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from azwizard.screens.cleanup.view import hourly_text, monthly_text

    make_vm_run(sim, factory, tmp_path)
    monkeypatch.setenv("AZWIZARD_CURRENCY", "EUR")  # what --currency EUR sets for the command
    inv = build_inventory(factory, journal_dir=tmp_path)
    eur = region_book(factory)
    assert eur.currency == "EUR"
    cost = run_cost(inv, "run-vm")  # its free resources (group, VNet, NSG, NIC) do not make it dollars
    assert cost.currency == "EUR" and cost.hourly is not None
    assert hourly_text(cost) == f"€{cost.hourly:.4f}" and monthly_text(cost) == f"€{cost.hourly * 730:,.2f}"
    assert ", EUR, " in inv.prices_label()


def test_a_sum_is_in_the_currency_of_what_is_charged() -> None:
    """A free resource priced without a book (a role assignment has no region: USD by default) never relabels
    the euros beside it, whichever comes first."""
    euros = table.Cost((table.CostPart("compute", 0.11),), "EUR")
    assert (table.FREE + euros).currency == (euros + table.FREE).currency == "EUR"
    assert total([table.FREE, euros, table.FREE]).currency == "EUR"


def test_total_is_the_sum_of_its_costs_in_order() -> None:
    """``total`` (one pass, issue 26) gives what adding the costs one by one gives: every part in order, and the
    currency the pairwise rule picks, whatever the mix of free, charged, unknown and empty costs."""
    import functools
    import itertools

    euros = table.Cost((table.CostPart("compute", 0.11),), "EUR")
    pounds = table.Cost((table.CostPart("disk", 0.02), table.CostPart("ip", 0.0)), "GBP")
    free_eur = table.Cost((table.CostPart("vnet", 0.0),), "EUR")
    unknown = table.unknown("gateway", "not in the price list")
    kinds = [table.FREE, euros, pounds, free_eur, unknown, table.Cost(), None]
    for n in range(4):
        for mix in itertools.product(kinds, repeat=n):
            folded = functools.reduce(lambda a, b: a + b, (c for c in mix if c is not None), table.Cost())
            assert total(mix) == folded, mix
