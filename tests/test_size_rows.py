"""The VM size picker's rows (screens/vm/steps.py SizeRows): built once per list of sizes, filtered per
keystroke. The figures are in benchmarks/plan_run.py; this checks what a keystroke shows."""

from __future__ import annotations

from azwizard.screens.vm.steps import SizeRows, size_rows

from azwizard.facts import VmSize


def size(name: str, family: str, vcpus: int, memory: float, zones: tuple[str, ...] = ("1", "2", "3"),
         restricted: tuple[str, ...] = ()) -> VmSize:
    return VmSize(name, family, vcpus, memory, 4, True, True, 0, 0, ("V2",), "x64", False, True, zones, restricted)


SIZES = [
    size("Standard_B2s", "standardBSFamily", 2, 4),
    size("Standard_D2s_v5", "standardDSv5Family", 2, 8, restricted=("2",)),
    size("Standard_D4s_v5", "standardDSv5Family", 4, 16),
    size("Standard_E4s_v5", "standardESv5Family", 4, 32, zones=()),
]
QUOTA = {"standardDSv5Family": 10, "standardBSFamily": 0}


def names(rows: list[tuple[str, ...]]) -> list[str]:
    return [r[0] for r in rows]


def test_words_vcpus_and_the_standard_prefix() -> None:
    rows = SizeRows(SIZES, QUOTA)
    assert names(rows.matching("")) == [s.name for s in SIZES]  # the given order (smallest first)
    assert names(rows.matching("d2s")) == ["Standard_D2s_v5"]
    assert names(rows.matching("Standard_D2")) == ["Standard_D2s_v5"]  # the typed prefix is ignored
    assert names(rows.matching("s v5")) == ["Standard_D2s_v5", "Standard_D4s_v5", "Standard_E4s_v5"]  # every word
    assert names(rows.matching("4 vcpu")) == ["Standard_D4s_v5", "Standard_E4s_v5"]
    assert names(rows.matching("4 vcpus")) == ["Standard_D4s_v5", "Standard_E4s_v5"]
    assert rows.matching("f64") == []


def test_a_row_says_quota_left_and_usable_zones() -> None:
    by_name = {r[0]: r for r in SizeRows(SIZES, QUOTA).matching("")}
    assert by_name["Standard_D2s_v5"] == ("Standard_D2s_v5", "2", "8 GiB", "10", "1,3", "…", "standardDSv5Family")
    assert by_name["Standard_B2s"][3] == "0"
    assert by_name["Standard_E4s_v5"][3:5] == ("?", "—")  # no quota known, no zones


def test_the_pure_filter_is_the_same_rows() -> None:
    rows = SizeRows(SIZES, QUOTA)
    for query in ("", "d", "4 vcpu", "standard_e", "zz"):
        assert size_rows(SIZES, QUOTA, query) == rows.matching(query)


def test_a_row_says_the_price_per_month_from_the_book() -> None:
    from azwizard.pricing.book import PriceBook

    book = PriceBook("westeurope", "EUR", "2026-12-01", "cache", vm_hourly={"standard_d2s_v5": 0.1})
    by_name = {r[0]: r for r in SizeRows(SIZES, QUOTA, book).matching("")}
    assert by_name["Standard_D2s_v5"][5] == "€73.00"  # 0.1 × 730 h
    assert by_name["Standard_B2s"][5] == "?"  # not in the book: unknown, never guessed
