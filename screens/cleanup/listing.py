"""What the cleanup table shows for one inventory and one filter, built in one piece so the inventory's worker
thread can build it beside the inventory and the UI thread only fills widgets (issue 26: building the rows of
2,000 resources in 100 runs on the UI thread stalled it for over 100 ms)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from azwizard.cleanup import Inventory

from .view import Filters, Row, build_rows, run_title, runs_index, short_type

Options = list[tuple[str, str]]  # a Select's (label, value) pairs


@dataclass(frozen=True)
class Listing:
    """The rows for ``filters`` and the filters' choices (only what still exists: a run or group whose
    resources are all deleted filters nothing, since the table never shows deleted resources)."""

    inventory: Inventory
    filters: Filters
    rows: list[Row]
    runs: Options  # (run title, run id), newest first
    groups: Options  # (name, name), by name
    types: Options  # (short type, lower-cased ARM type), by short type


def build_listing(inventory: Inventory, filters: Filters, now: _dt.datetime) -> Listing:
    """Pure and linear in the inventory's size: safe to run on a worker thread."""
    by_run = runs_index(inventory)
    rows = build_rows(inventory, filters.apply(inventory, now), now, by_run)
    live = [it for it in inventory.items if it.exists]
    run_ids = sorted({it.run_id for it in live if it.run_id}, reverse=True)
    groups = sorted({it.resource_group.lower(): it.resource_group for it in live}.values(), key=str.lower)
    return Listing(
        inventory, filters, rows,
        runs=[(run_title(inventory, r, now, by_run.get(r, [])), r) for r in run_ids],
        groups=[(g, g) for g in groups],
        types=sorted({(short_type(it.type), it.kind) for it in live}, key=lambda o: o[0].lower()),
    )

