"""Runs are named as a person knows them (issue 19 item 14): the cleanup inventory's run headers, its detail panel
and its run filter say the VM or cluster name, the journey, the region and the age, not only the run id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from azwizard.screens.cleanup.view import build_rows, detail_text, name_cell, run_title

from azwizard.cleanup.model import CLUSTER, GROUP, VM, Inventory, InventoryItem

NOW = dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.timezone.utc)
SUB = "/subscriptions/s/resourceGroups"


def inventory() -> Inventory:
    return Inventory((
        InventoryItem(f"{SUB}/Yolo-RG", GROUP, "Yolo-RG", "Yolo-RG", "norwayeast", "20261125-030000-abcd", "vm",
                      "2026-11-25T03:00:00Z"),
        InventoryItem(f"{SUB}/Yolo-RG/providers/Microsoft.Compute/virtualMachines/Yolo-VM", VM, "Yolo-VM", "Yolo-RG",
                      "norwayeast", "20261125-030000-abcd", "vm", "2026-11-25T03:00:10Z"),
        InventoryItem(f"{SUB}/aks-rg/providers/Microsoft.ContainerService/managedClusters/aks1", CLUSTER, "aks1",
                      "aks-rg", "swedencentral", "20261124-030000-ef01", "aks", "2026-11-24T03:00:00Z"),
    ))


def test_a_run_is_titled_by_its_vm_or_cluster_journey_region_and_age() -> None:
    inv = inventory()
    assert run_title(inv, "20261125-030000-abcd", NOW) == "Yolo-VM · VM · norwayeast · 21 h old"
    assert run_title(inv, "20261124-030000-ef01", NOW) == "aks1 · AKS cluster · swedencentral · 1 d old"


def test_the_run_headers_and_the_detail_name_the_run_and_keep_its_id() -> None:
    inv = inventory()
    rows = build_rows(inv, inv.items, NOW)
    header = next(r for r in rows if r.kind == "run" and r.run_id == "20261125-030000-abcd")
    assert "▼ Yolo-VM[" in name_cell(header, set())  # type, region and age have their own columns
    detail = detail_text(header, inv, NOW)
    assert "Yolo-VM · VM · norwayeast · 21 h old (run 20261125-030000-abcd)" in detail


async def test_the_run_filter_lists_runs_by_name(tmp_path: Path) -> None:
    from azwizard.screens.cleanup import CleanupScreen
    from cleanup_helpers import make_vm_run
    from test_cleanup_screen import demo, settle

    from azwizard.paths import journal_dir

    app, holder = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        make_vm_run(holder["sim"], app.session.factory, journal_dir())  # type: ignore[union-attr]
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CleanupScreen)
        from textual.widgets import Select

        labels = [str(label) for label, _ in app.screen.query_one("#cleanup-filter-run", Select)._options]
        assert any(label.startswith("Yolo-VM · VM · norwayeast · ") for label in labels), labels


def test_a_run_is_named_by_its_vm_group_region_and_date_with_the_id_last() -> None:
    """Item 14: the dry run and the headless cleanup named a run by its id alone ("run 20261125-030000-abcd")."""
    from azwizard.cleanup.runs import run_date, run_name

    inv = inventory()
    assert run_name(inv, "20261125-030000-abcd") == (
        "Yolo-VM (VM in Yolo-RG, norwayeast, made 2026-11-25 03:00 UTC; run 20261125-030000-abcd)")
    assert run_name(inv, "20261124-030000-ef01").startswith("aks1 (AKS cluster in aks-rg, swedencentral, made 2026-11-24")
    assert run_name(inv, "20261101-120000-0000") == "run 20261101-120000-0000"  # nothing of it left: the id
    assert run_name(inv, None).startswith("no run")
    undated = Inventory((InventoryItem(f"{SUB}/Old-RG", GROUP, "Old-RG", "Old-RG", "westeurope",
                                       "20260102-091500-beef", "vm", None),))
    assert run_date(undated, "20260102-091500-beef") == "2026-01-02 09:15 UTC"  # from the id's time
    assert run_name(undated, "20260102-091500-beef") == (
        "Old-RG (VM, westeurope, made 2026-01-02 09:15 UTC; run 20260102-091500-beef)")


def test_the_dry_run_names_each_operations_run_by_its_vm_and_date() -> None:
    from azwizard.screens.cleanup.view import dry_run_text

    from azwizard.cleanup import plan_deletion

    inv = inventory()
    vm_id = f"{SUB}/Yolo-RG/providers/Microsoft.Compute/virtualMachines/Yolo-VM"
    text = dry_run_text(plan_deletion(inv, [vm_id]), inv)
    assert "(resource group Yolo-RG · run Yolo-VM, 2026-11-25)" in text  # each operation: the run in a few words
    assert "Made by Yolo-VM (VM in Yolo-RG, norwayeast, made 2026-11-25 03:00 UTC; run 20261125-030000-abcd)." in text
    assert "· run 20261125" not in text and text.count("20261125-030000-abcd") == 1  # the id once, second


def test_a_resource_s_detail_names_its_run_in_a_few_words() -> None:
    """The detail panel of a resource says which run made it as the run line does elsewhere (``run_short``: the
    VM's name and the day), not by the run id alone."""
    inv = inventory()
    rows = build_rows(inv, inv.items, NOW)
    vm = next(r for r in rows if r.item is not None and r.item.kind == VM)
    facts = detail_text(vm, inv, NOW).splitlines()[0]
    assert "run Yolo-VM, 2026-11-25" in facts
    assert "20261125-030000-abcd" not in facts
