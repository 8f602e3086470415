"""The cleanup table's listing (rows and filter choices) is built in one piece, on the inventory's worker thread
(issue 26: building 2,000 resources' rows on the UI thread stalled it): it lists what the row and filter
functions give, and the screen shows the worker's listing without building it again on the UI thread."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from azwizard.screens.cleanup import listing as listing_module
from azwizard.screens.cleanup.listing import build_listing
from azwizard.screens.cleanup.view import Filters, build_rows, run_title, runs_index
from test_cleanup_screen import SIZE, demo, open_cleanup, screen
from test_cleanup_screen import own_data_dir as own_data_dir  # noqa: F401 (fixture)

from azwizard.cleanup.model import CLUSTER, GROUP, NSG, VM, Inventory, InventoryItem

NOW = dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.timezone.utc)
SUB = "/subscriptions/s/resourceGroups"
RUN_VM, RUN_AKS = "20261125-030000-abcd", "20261124-030000-ef01"


def inventory() -> Inventory:
    """Two runs; a foreign NSG in the VM's group (listed under the group's run); a group whose resources are
    all deleted; a resource without a run."""
    return Inventory((
        InventoryItem(f"{SUB}/Yolo-RG", GROUP, "Yolo-RG", "Yolo-RG", "norwayeast", RUN_VM, "vm", "2026-11-25T03:00:00Z"),
        InventoryItem(f"{SUB}/Yolo-RG/providers/Microsoft.Compute/virtualMachines/Yolo-VM", VM, "Yolo-VM", "Yolo-RG",
                      "norwayeast", RUN_VM, "vm", "2026-11-25T03:00:10Z"),
        InventoryItem(f"{SUB}/Yolo-RG/providers/Microsoft.Network/networkSecurityGroups/theirs", NSG, "theirs",
                      "Yolo-RG", "norwayeast", foreign=True, source="group"),
        InventoryItem(f"{SUB}/aks-rg", GROUP, "aks-rg", "aks-rg", "swedencentral", RUN_AKS, "aks",
                      "2026-11-24T03:00:00Z"),
        InventoryItem(f"{SUB}/aks-rg/providers/Microsoft.ContainerService/managedClusters/aks1", CLUSTER, "aks1",
                      "aks-rg", "swedencentral", RUN_AKS, "aks", "2026-11-24T03:00:05Z"),
        InventoryItem(f"{SUB}/Gone-RG", GROUP, "Gone-RG", "Gone-RG", "norwayeast", RUN_AKS, "aks",
                      "2026-11-24T03:00:00Z", exists=False),
        InventoryItem(f"{SUB}/loose/providers/Microsoft.Network/networkSecurityGroups/nsg1", NSG, "nsg1", "loose",
                      "norwayeast", None, None, "2026-11-20T00:00:00Z"),
    ))


@pytest.mark.parametrize("filters", [Filters(), Filters(run=RUN_AKS), Filters(type=NSG),
                                     Filters(older_than=dt.timedelta(days=1))], ids=repr)
def test_the_listing_is_what_the_row_and_filter_functions_give(filters: Filters) -> None:
    inv = inventory()
    got = build_listing(inv, filters, NOW)
    want = build_rows(inv, filters.apply(inv, NOW), NOW)
    assert got.rows == want
    assert build_rows(inv, filters.apply(inv, NOW), NOW, runs_index(inv)) == want  # with the index: the same
    assert got.inventory is inv and got.filters == filters
    # the choices list only what exists, whatever the filter: runs newest first, titled by their VM or cluster
    assert got.runs == [(run_title(inv, RUN_VM, NOW), RUN_VM), (run_title(inv, RUN_AKS, NOW), RUN_AKS)]
    assert got.runs[0][0] == "Yolo-VM · VM · norwayeast · 21 h old"
    assert got.groups == [("aks-rg", "aks-rg"), ("loose", "loose"), ("Yolo-RG", "Yolo-RG")]
    assert got.types == [("AKS cluster", CLUSTER), ("NSG", NSG), ("resource group", GROUP), ("VM", VM)]


def test_rows_by_run_then_group_with_the_groups_own_run_for_what_azwizard_did_not_make() -> None:
    rows = build_listing(inventory(), Filters(), NOW).rows
    assert [(r.kind, r.run_id, r.group, r.item.name if r.item else "") for r in rows] == [
        ("run", RUN_VM, "", ""),
        ("group", RUN_VM, "Yolo-RG", "Yolo-RG"),
        ("item", RUN_VM, "Yolo-RG", "Yolo-VM"),
        ("item", RUN_VM, "Yolo-RG", "theirs"),
        ("run", RUN_AKS, "", ""),
        ("group", RUN_AKS, "aks-rg", "aks-rg"),
        ("item", RUN_AKS, "aks-rg", "aks1"),
        ("run", "", "", ""),
        ("group", "", "loose", ""),
        ("item", "", "loose", "nsg1"),
    ]
    assert rows[0].main == "Yolo-VM" and rows[4].main == "aks1" and rows[4].where == "swedencentral"
    hidden = build_listing(inventory(), Filters(type=VM), NOW).rows
    group = next(r for r in hidden if r.kind == "group")
    assert group.item is None and group.filtered_out  # azwizard's group, only hidden by the type filter


async def test_the_screen_shows_the_listing_built_on_the_worker_thread(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = listing_module.build_listing

    def recording(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    import azwizard.screens.cleanup.inventory as inventory_screen

    monkeypatch.setattr(inventory_screen, "build_listing", recording)
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder, cluster=False)
        state = screen(app).state
        assert state.inventory is not None
        main = threading.main_thread().name
        assert threads and main not in threads, threads  # built beside the inventory, never on the UI thread
        shown = state.filters.apply(state.inventory, state.now())
        assert screen(app).rows == build_rows(state.inventory, shown, state.now())
        assert any(r.item is not None and r.item.kind == VM for r in screen(app).rows)
