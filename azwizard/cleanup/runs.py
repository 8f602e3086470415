"""A run as a person knows it (issue 19 item 14): by its VM or cluster (else its resource group), its journey,
region and date, with the run id second, for commands. Used wherever a run is named to a person: the cleanup
screen's headers, filter and dry run, and ``azwizard cleanup list``/``delete``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import CLUSTER, VM, Inventory, InventoryItem

JOURNEY_NAMES = {"vm": "VM", "aks": "AKS cluster", "vm-ipv6": "IPv6 added to a VM"}

_RUN_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})\d{2}-")


def run_items(inventory: Inventory, run_id: str | None,
              items: Sequence[InventoryItem] | None = None) -> Sequence[InventoryItem]:
    """A run's items: ``items`` when the caller has them already (``runs_index``), else read off the inventory."""
    if items is None:
        return [it for it in inventory.items if it.run_id == run_id]
    return items


def run_main(inventory: Inventory, run_id: str | None,
             items: Sequence[InventoryItem] | None = None) -> InventoryItem | None:
    """The resource a run is known by: its VM or cluster, else its group, else its first resource. ``items``:
    the run's items, when the caller has them (``runs_index``)."""
    items = run_items(inventory, run_id, items)
    if not run_id or not items:
        return None
    return (next((it for it in items if it.kind in (VM, CLUSTER)), None)
            or next((it for it in items if it.is_group), None) or items[0])


def run_date(inventory: Inventory, run_id: str) -> str:
    """When the run was made, ``2026-11-25 03:00 UTC``: its first resource's creation time, else the time its id
    starts with (``new_run_id``: UTC, ``YYYYmmdd-HHMMSS-xxxx``); "" when neither tells."""
    created = sorted(it.created for it in inventory.items if it.run_id == run_id and it.created)
    if created:
        day, _, clock = created[0].partition("T")
        return f"{day} {clock[:5]} UTC" if clock else day
    m = _RUN_TIME.match(run_id)
    return f"{m[1]}-{m[2]}-{m[3]} {m[4]}:{m[5]} UTC" if m else ""


def run_name(inventory: Inventory, run_id: str | None) -> str:
    """``Yolo-VM (VM in Yolo-RG, norwayeast, made 2026-11-25 03:00 UTC; run 20261125-030000-abcd)``: what a
    person recognises first, the id last; the id alone only when nothing else is known."""
    if not run_id:
        return "no run (found by tags or in an azwizard group)"
    main = run_main(inventory, run_id)
    if main is None:
        return f"run {run_id}"
    journey = next((it.journey for it in inventory.items if it.run_id == run_id and it.journey), None)
    what = JOURNEY_NAMES.get(journey or "", journey or "")
    where = f"in {main.resource_group}" if main.resource_group and not main.is_group else ""
    facts = [" ".join(p for p in (what, where) if p), main.location,
             f"made {run_date(inventory, run_id)}" if run_date(inventory, run_id) else ""]
    return f"{main.name} ({', '.join(f for f in facts if f)}; run {run_id})"


def run_short(inventory: Inventory, run_id: str) -> str:
    """``Yolo-VM, 2026-11-25``: the run in a few words, for a line that names it beside something else (the id
    and the rest are said once, with :func:`run_name`)."""
    main = run_main(inventory, run_id)
    if main is None:
        return f"run {run_id}"
    day = run_date(inventory, run_id).split(" ")[0]
    return f"{main.name}, {day}" if day else main.name
