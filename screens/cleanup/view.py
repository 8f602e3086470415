"""What the cleanup screens show, as plain functions of the engine's data (no widgets): the inventory's rows
grouped by run and resource group, the filters, ages, costs, and the dry run's and report's text.

Table cells are Rich markup (DataTable renders them with Rich: ANSI colour names follow the terminal's
palette); panel text is Textual markup (theme variables). Every name that comes from Azure or the user is
escaped.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from azwizard.cleanup import (
    AKS_STOP_START_ADVICE,
    Cost,
    Inventory,
    InventoryItem,
    default_selection,
)
from azwizard.cleanup.costs import HOURS_PER_MONTH, NOT_INCLUDED, amount, total
from azwizard.cleanup.kubetidy import KubeTidy
from azwizard.cleanup.model import CLUSTER, KIND_LABELS, ROLE_ASSIGNMENT, key, kind_of, name_of
from azwizard.cleanup.order import DeleteOp, DeletionPlan
from azwizard.cleanup.runs import JOURNEY_NAMES, run_items, run_main, run_name, run_short

if TYPE_CHECKING:
    from azwizard.pricing.spend import Spend

from ..text import escape

Clock = Callable[[], _dt.datetime]

# Under a run's estimate: what it leaves out (the pricing calculator gives a quote).
NOT_PRICED = (f"{HOURS_PER_MONTH} h a month; {NOT_INCLUDED} not included. A quote: the pricing calculator "
              "(https://azure.microsoft.com/pricing/calculator/).")

# Short type names for the table (the full label is in the detail panel).
SHORT_TYPES: dict[str, str] = {
    "microsoft.resources/resourcegroups": "resource group",
    "microsoft.compute/virtualmachines": "VM",
    "microsoft.compute/disks": "disk",
    "microsoft.network/networkinterfaces": "NIC",
    "microsoft.network/publicipaddresses": "public IP",
    "microsoft.network/networksecuritygroups": "NSG",
    "microsoft.network/natgateways": "NAT gateway",
    "microsoft.network/virtualnetworks": "VNet",
    "microsoft.containerservice/managedclusters": "AKS cluster",
    "microsoft.containerregistry/registries": "registry",
    "microsoft.recoveryservices/vaults": "backup vault",
    "microsoft.authorization/roleassignments": "role assignment",
    # what AKS puts in a node resource group (listed in dry runs and reports)
    "microsoft.compute/virtualmachinescalesets": "VM scale set",
    "microsoft.managedidentity/userassignedidentities": "managed identity",
    "microsoft.network/loadbalancers": "load balancer",
}

# Minimum ages offered by the age filter.
AGE_CHOICES: tuple[tuple[str, _dt.timedelta], ...] = (
    ("older than 1 hour", _dt.timedelta(hours=1)),
    ("older than 1 day", _dt.timedelta(days=1)),
    ("older than 7 days", _dt.timedelta(days=7)),
    ("older than 30 days", _dt.timedelta(days=30)),
)

SOURCE_TEXT = {
    "both": "journal+tag",
    "journal": "journal",
    "tag": "tag",
    "attached": "with owner",
    "group": "not azwizard",
}


def system_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def short_type(kind: str) -> str:
    return SHORT_TYPES.get(kind.lower(), kind.rsplit("/", 1)[-1])


def long_type(kind: str) -> str:
    """``Virtual machine``; a kind the engine has no label for by its short name (``VM scale set``)."""
    label = KIND_LABELS.get(kind.lower())
    if label:
        return label
    short = short_type(kind)
    return short[:1].upper() + short[1:]


# ------------------------------------------------------------------------------------------ numbers


def age_text(age: _dt.timedelta | None) -> str:
    if age is None:
        return "unknown"
    seconds = age.total_seconds()
    if seconds < 60:
        return "<1 min"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def hourly_text(cost: Cost | None) -> str:
    """``$0.0960`` (``€0.0883`` …, in the cost's currency); ``free``; ``unknown``; ``$0.4690+?`` when part of
    it is unknown."""
    if cost is None or not cost.parts:
        return "unknown"
    known = cost.known_hourly
    if cost.known:
        return "free" if known == 0 else amount(known, cost.currency, 4)
    return f"{amount(known, cost.currency, 4)}+?" if known > 0 else "unknown"


def monthly_text(cost: Cost | None) -> str:
    if cost is None or not cost.parts:
        return "unknown"
    monthly = cost.known_hourly * HOURS_PER_MONTH
    if cost.known:
        return "free" if monthly == 0 else amount(monthly, cost.currency)
    return f"{amount(monthly, cost.currency)}+?" if monthly > 0 else "unknown"


def cost_sentence(cost: Cost) -> str:
    """``about $0.1070/h ($78.11/month)``, saying what is unknown."""
    if not cost.parts:
        return "no cost known"
    known = cost.known_hourly
    cur = cost.currency
    text = f"about {amount(known, cur, 4)}/h ({amount(known * HOURS_PER_MONTH, cur)}/month)" if known else "no charge"
    unknown = len(cost.unknown_parts)
    if unknown:
        text += f" plus {unknown} part(s) whose price is unknown"
    return text


def state_cell(item: InventoryItem) -> str:
    state = item.state or "?"
    low = state.lower()
    if low == "running":
        return f"[green]● {escape(low)}[/]"
    if low in ("stopped", "deallocated", "stopping", "deallocating"):
        return f"[yellow]○ {escape(low)}[/]"
    if low in ("failed", "canceled"):
        return f"[red]✖ {escape(low)}[/]"
    if low == "succeeded":
        return "[dim]exists[/dim]"
    return escape(low)


# ------------------------------------------------------------------------------------------ filters


@dataclass(frozen=True)
class Filters:
    run: str | None = None
    group: str | None = None
    type: str | None = None  # lower-cased ARM type
    older_than: _dt.timedelta | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.run, self.group, self.type, self.older_than))

    def apply(self, inventory: Inventory, now: _dt.datetime) -> list[InventoryItem]:
        return inventory.filter(run_id=self.run, group=self.group,
                                types=[self.type] if self.type else None,
                                older_than=self.older_than, include_gone=False, now=now)


# ------------------------------------------------------------------------------------------ rows


RowKind = Literal["run", "group", "item"]


@dataclass
class Row:
    """One line of the inventory table: a run header, a resource group header (the group itself when it is in
    the inventory) or a resource."""

    key: str
    kind: RowKind
    run_id: str
    group: str
    item: InventoryItem | None = None
    members: list[InventoryItem] = field(default_factory=list)  # run/group headers: the items under them
    filtered_out: bool = False  # a group header whose group is azwizard's but hidden by the type/age filter
    title: str = ""  # a run header: the run as a person knows it (run_title)
    main: str = ""  # a run header: the name of its VM or cluster (the table's cell: type, region, age have theirs)
    where: str = ""  # a run header: that resource's region


def section_run(item: InventoryItem, group_runs: dict[str, str]) -> str:
    """The run a row is listed under: its own, else its group's (a resource azwizard did not create)."""
    return item.run_id or group_runs.get(item.resource_group.lower(), "")


def runs_index(inventory: Inventory) -> dict[str, list[InventoryItem]]:
    """Each run's items (by run id; "" holds those without one), so that naming every run takes one pass over
    the inventory instead of one per run (2,000 resources in 100 runs: issue 26)."""
    out: dict[str, list[InventoryItem]] = {}
    for it in inventory.items:
        out.setdefault(it.run_id or "", []).append(it)
    return out


def build_rows(inventory: Inventory, shown: Sequence[InventoryItem], now: _dt.datetime | None = None,
               by_run: dict[str, list[InventoryItem]] | None = None) -> list[Row]:
    """Rows for ``shown`` items, by run (newest first, no run last), then resource group, the group first; with
    ``now``, each run header is titled by its VM or cluster, journey, region and age. ``by_run``:
    ``runs_index(inventory)`` when the caller has it. Linear in the inventory's size."""
    by_run = runs_index(inventory) if by_run is None else by_run
    group_runs: dict[str, str] = {}
    group_items: dict[str, InventoryItem] = {}  # lower-cased name -> the first group item (Inventory.group)
    for it in inventory.items:
        if it.is_group:
            lower = it.name.lower()
            group_items.setdefault(lower, it)
            if it.run_id:
                group_runs[lower] = it.run_id
    runs: dict[str, dict[str, list[InventoryItem]]] = {}
    for it in shown:
        run = section_run(it, group_runs)
        runs.setdefault(run, {}).setdefault(it.resource_group.lower(), []).append(it)

    def run_order(run: str) -> tuple[int, str, str]:
        items = [it for groups in runs[run].values() for it in groups]
        created = min((it.created or "" for it in items if it.created), default="")
        return (1 if not run else 0, _desc(created), _desc(run))

    rows: list[Row] = []
    for run in sorted(runs, key=run_order):
        members = [it for groups in runs[run].values() for it in groups]
        own = by_run.get(run, []) if run else []
        main = run_main(inventory, run, own)
        rows.append(Row(f"run:{run}", "run", run, "", item=None, members=members,
                        title=run_title(inventory, run, now, own) if now is not None and run else "",
                        main=main.name if main is not None else "", where=main.location if main is not None else ""))
        for lower in sorted(runs[run], key=lambda g: g):
            items = runs[run][lower]
            group_item = next((it for it in items if it.is_group and it.name.lower() == lower), None)
            name = group_item.name if group_item else items[0].resource_group
            header_key = group_item.key if group_item else f"group:{run}:{lower}"
            known = group_items.get(name.lower())
            hidden = group_item is None and known is not None and known.exists and not known.foreign
            rows.append(Row(header_key, "group", run, name, item=group_item, members=items, filtered_out=hidden))
            for it in items:
                if it is not group_item:
                    rows.append(Row(it.key, "item", run, name, item=it))
    return rows


def run_title(inventory: Inventory, run_id: str, now: _dt.datetime,
              items: Sequence[InventoryItem] | None = None) -> str:
    """A run as a person knows it (issue 19 item 14): its VM or cluster, journey, region and age —
    ``Yolo-VM · VM · norwayeast · 21 h old`` — wherever a run is named; the id is for commands. ``items``: as
    for ``run_main``."""
    items = run_items(inventory, run_id, items)
    main = run_main(inventory, run_id, items)
    if main is None:
        return run_id or "no run id"
    journey = next((it.journey for it in items if it.journey), None)
    ages = [a for a in (it.age(now) for it in items) if a is not None]
    parts = [main.name, JOURNEY_NAMES.get(journey or "", journey or ""), main.location,
             f"{age_text(max(ages))} old" if ages else ""]
    return " · ".join(p for p in parts if p)


def _desc(text: str) -> str:
    """A sort key that orders strings descending when sorted ascending."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def bulk_selection(inventory: Inventory, run_id: str, within: Iterable[InventoryItem]) -> set[str]:
    """What "select the run" takes: the engine's default selection for the run (azwizard's own existing
    resources, never untagged ones or an AKS node group; a group only with all its contents), limited to the
    rows shown. Keys."""
    shown = {it.key for it in within}
    if run_id:
        chosen = default_selection(inventory, run_id)
    else:
        chosen = {i for i in default_selection(inventory) if _run_of(inventory, i) is None}
    return {key(i) for i in chosen} & shown


def _run_of(inventory: Inventory, resource_id: str) -> str | None:
    it = inventory.get(resource_id)
    return it.run_id if it is not None else "?"


def bulk_items(items: Iterable[InventoryItem]) -> set[str]:
    """Keys of the items a bulk selection may take: azwizard's own, existing, not an AKS node group."""
    return {it.key for it in items if it.exists and not it.foreign and it.node_group_of is None}


# ------------------------------------------------------------------------------------------ cells


def name_cell(row: Row, whole_groups: set[str]) -> str:
    if row.kind == "run":
        title = row.main or row.run_id or "no run id"
        return f"[b]▼ {escape(title)}[/b]"
    if row.kind == "group":
        if row.group.lower() in whole_groups:
            return f"  [b red]{escape(row.group)}[/]"
        return f"  [b]{escape(row.group)}[/b]"
    it = row.item
    assert it is not None
    if it.foreign:
        return f"    [yellow]{escape(display_name(it))} ⚠[/]"
    return f"    {escape(display_name(it))}"


def display_name(it: InventoryItem) -> str:
    """The name to show: a role assignment's name is a GUID, its description says what it is."""
    if it.kind == ROLE_ASSIGNMENT:
        about = dict(it.details).get("about", "")
        if about:  # "AcrPull for AKS cluster aks1 (azwizard run …)" → "AcrPull for aks1"
            return about.split(" (", 1)[0].replace(" AKS cluster ", " ")
    return it.name


WHOLE_MARK = "[b red]◆[/]"  # goes with a whole-group delete


def mark_cell(row: Row, selected: set[str], whole_groups: Collection[str] = ()) -> str:
    if row.kind != "run" and row.group.lower() in whole_groups:
        return WHOLE_MARK
    if row.item is not None:
        if row.item.key in selected:
            return "[b green]✔[/]"
        return "[yellow]·[/]" if row.item.foreign else "·"
    keys = bulk_items(row.members)
    if not keys:
        return ""
    chosen = len(keys & selected)
    if chosen == 0:
        return "·"
    return "[b green]✔[/]" if chosen == len(keys) else "[green]◐[/]"


def row_cells(row: Row, selected: set[str], whole_groups: set[str], now: _dt.datetime,
              spend: Spend | None = None) -> list[str]:
    """Cells in column order: mark, resource, type, state, location, age, $/hour, $/month, spent, found by."""
    mark = mark_cell(row, selected, whole_groups)
    name = name_cell(row, whole_groups)
    if row.kind == "run":
        cost = total(it.cost for it in row.members)
        journeys = sorted({it.journey for it in row.members if it.journey})
        ages = [a for a in (it.age(now) for it in row.members) if a is not None]
        n = len(row.members)
        return [mark, name, escape(", ".join(journeys) + " journey" if journeys else ""), "", escape(row.where),
                age_text(max(ages)) if ages else "unknown", f"[b]{hourly_text(cost)}[/b]",
                f"[b]{monthly_text(cost)}[/b]", spent_cell(row, spend), f"{n} resource{'s' if n != 1 else ''}"]
    it = row.item
    if it is None:  # a group azwizard did not create, holding azwizard resources (or one the filter hides)
        source = "" if row.filtered_out else "[dim]not azwizard[/dim]"
        return [mark, name, "resource group", "", "", "", "", "", "", source]
    source = "[yellow]not azwizard[/]" if it.foreign else SOURCE_TEXT.get(it.source, it.source)
    if it.node_group_of:
        source = "[dim]AKS nodes[/dim]"
    return [mark, name, escape(short_type(it.type)), state_cell(it), escape(it.location),
            age_text(it.age(now)), hourly_text(it.cost), monthly_text(it.cost), spent_cell(row, spend), source]


def spent_cell(row: Row, spend: Spend | None) -> str:
    """The Spent cell alone (what the spend's arrival changes in rows already shown)."""
    from azwizard.pricing.spend import spent_text

    if row.kind == "run":
        return f"[b]{spent_text(spend, spend.for_run(row.run_id) if spend and row.run_id else None)}[/b]"
    if row.item is None:
        return ""
    return spent_text(spend, spend.for_resource(row.item.id) if spend else None)


COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("mark", "", 1),
    ("name", "Resource", 24),
    ("type", "Type", 15),
    ("state", "State", 11),
    ("location", "Location", 10),
    ("age", "Age", 7),
    ("hourly", "$/hour", 9),
    ("monthly", "$/month", 9),
    ("spent", "Spent", 9),  # actual cost since made (Cost Management): azwizard/pricing/spend.py
    ("source", "Found by", 12),
)

# What a narrow terminal drops first (everything dropped is in the detail panel under the table): where it
# is, how it was found, the hourly price (the summary and the panel keep it; $/month stays in the table).
# The Spent column (actual cost) goes first: below ~134 columns the summary and the panel say it instead.
DROP_FIRST = ("spent", "location", "source", "hourly")
SHRINK = (("type", 14), ("name", 16))  # then these narrow, down to these widths
CELL_PADDING = 2  # DataTable's cell_padding (1) on each side
CHROME = 3  # the screen's left padding, the table's vertical scrollbar (2)


def columns_for(width: int) -> tuple[tuple[str, str, int], ...]:
    """The inventory table's columns for a terminal ``width`` wide: all of them from about 120 columns; below
    that the least important go first (DROP_FIRST), then the resource column narrows; the selection mark,
    name, type, state, age and $/month always stay (80x24 shows them all)."""
    budget = width - CHROME
    cols = list(COLUMNS)

    def total() -> int:
        return sum(w + CELL_PADDING for _, _, w in cols)

    for drop in DROP_FIRST:
        if total() <= budget:
            break
        cols = [c for c in cols if c[0] != drop]
    for shrink, least in SHRINK:  # then narrower columns ("resource group" still fits the type column)
        over = total() - budget
        if over > 0:
            cols = [(k, label, max(least, w - over)) if k == shrink else (k, label, w) for k, label, w in cols]
    return tuple(cols)


def cells_for(row: Row, selected: set[str], whole_groups: set[str], now: _dt.datetime,
              columns: Sequence[tuple[str, str, int]], spend: Spend | None = None) -> list[str]:
    """``row_cells`` for the columns shown."""
    by_key = dict(zip((k for k, _, _ in COLUMNS), row_cells(row, selected, whole_groups, now, spend), strict=True))
    return [by_key[k] for k, _, _ in columns]


# ------------------------------------------------------------------------------------------ panels


def summary_text(inventory: Inventory, shown: Sequence[InventoryItem], selected: set[str],
                 whole_groups: set[str], filters: Filters, now: _dt.datetime, spend: Spend | None = None) -> str:
    existing = [it for it in inventory.items if it.exists]
    gone = len(inventory.items) - len(existing)
    runs = {it.run_id for it in existing if it.run_id}
    if not existing and gone:
        lines = ["[b]Nothing left to clean up:[/b] everything azwizard created here has been deleted."]
    elif not existing:
        lines = ["[b]Nothing found that azwizard created[/b] in this subscription (journals on this machine and "
                 "created-by=azwizard tags)."]
    else:
        cost = total(it.cost for it in existing)
        lines = [f"[b]{len(runs)} run(s), {len(existing)} resource(s)[/b] cost {cost_sentence(cost)} while they "
                 f"exist {prices_note(inventory, existing)}", spend_line(spend, runs)]
    extra = []
    if filters.active:
        extra.append(f"filtered: {len(shown)} of {len(existing)} shown (f to change)")
    if gone:
        extra.append(f"{gone} resource(s) from the journals are already deleted (not shown)")
    if extra:
        lines.append("[dim]" + " · ".join(escape(x) for x in extra) + "[/dim]")
    picked = [it for it in inventory.items if it.exists and (it.key in selected
                                                              or it.resource_group.lower() in whole_groups)]
    if picked or whole_groups:
        cost = total(it.cost for it in picked)
        names = [it.name for it in inventory.items if it.is_group and it.name.lower() in whole_groups]
        whole = f", including the whole group(s) {', '.join(names)} (◆)" if names else ""
        lines.append(f"[b $accent]Selected: {len(picked)} resource(s){escape(whole)}[/], {cost_sentence(cost)}. "
                     "Press [b]d[/b] for the dry run (nothing is sent before you confirm).")
    elif existing:
        lines.append("Nothing selected: [b]space[/b] selects a resource (on a run line: the run), [b]a[/b] the "
                     "whole run, [b]w[/b] marks a whole resource group.")
    for warning in inventory.warnings:
        lines.append(f"[$warning]▲[/] {escape(warning)}")
    return "\n".join(lines)


def prices_note(inventory: Inventory, items: Iterable[InventoryItem] | None = None) -> str:
    """Where the estimates of ``items`` come from, dim: each region's list prices with their currency and
    date, or the dated table in the warning colour (the fallback: the price list could not be read)."""
    books = inventory.books(items)
    if not books:
        return ""
    text = escape("; ".join(book.label() for book in books))
    return f"[$warning]({text})[/]" if any(book.is_fallback for book in books) else f"[dim]({text})[/dim]"


def spend_line(spend: Spend | None, runs: set[str]) -> str:
    """Under the summary: what the runs have actually cost so far, or plainly why that is not known."""
    if spend is None:
        return "[dim]Spent so far: reading Cost Management…[/dim]"
    if spend.status != "ok":
        return f"[dim]{escape(spend.message)}[/dim]"
    since = sum(spend.run_since.get(r, 0.0) for r in runs)
    month = sum(spend.run_month.get(r, 0.0) for r in runs)
    cur = spend.currency or "USD"
    return (f"Spent so far (actual cost, Cost Management): [b]{amount(since, cur)}[/b] since the runs were made, "
            f"{amount(month, cur)} this month.")


def detail_text(row: Row | None, inventory: Inventory, now: _dt.datetime, power_note: str = "",
                spend: Spend | None = None) -> str:
    """The panel under the table: everything about the highlighted row."""
    from azwizard.pricing.spend import spent_sentence

    if row is None:
        return ""
    if row.kind == "run":
        journeys = ", ".join(sorted({it.journey for it in row.members if it.journey})) or "unknown"
        title = f"{row.title or row.run_id} (run {row.run_id})" if row.run_id else "Resources without a run id"
        return (f"[b]{escape(title)}[/b] · journey {escape(journeys)} · {len(row.members)} resource(s) shown · "
                f"{cost_sentence(total(it.cost for it in row.members))}; "
                f"{escape(spent_sentence(spend, spend.for_run(row.run_id) if spend and row.run_id else None))}\n"
                "space or a selects everything azwizard created in this run (never resources it did not create, "
                f"never an AKS node resource group).\n{prices_note(inventory, row.members)} [dim]{escape(NOT_PRICED)}[/dim]")
    it = row.item
    if it is None and row.filtered_out:
        return f"[b]Resource group {escape(row.group)}[/b]: the filter hides the group itself (f to change it)."
    if it is None:
        return (f"[b]Resource group {escape(row.group)}[/b] was not created by azwizard; only azwizard's resources "
                "in it are listed and can be selected. [b]g[/b] shows everything in it.")
    # Most important first: the panel is a few lines high and long ids wrap.
    facts = [f"state {it.state or 'unknown'}", f"location {it.location or 'none'}",
             f"age {age_text(it.age(now))}" + (f" (created {it.created})" if it.created else ""),
             f"run {run_short(inventory, it.run_id)}" if it.run_id else "run none"]
    facts += [f"{k} {v}" for k, v in it.details]
    lines = [f"[b]{escape(f'{long_type(it.type)} {display_name(it)}')}[/b] · " + escape(" · ".join(facts))]
    if it.kind == CLUSTER:
        note = f" [b]{escape(power_note)}[/b]" if power_note else ""
        lines.append(f"[b]Power: {escape(it.state)}.[/b]{note} [b]s[/b] stops the cluster (its nodes stop being billed), "
                     f"[b]t[/b] starts it. [$warning]▲[/] {escape(AKS_STOP_START_ADVICE)}")
    if it.node_group_of:
        lines.append(f"[$warning]▲[/] This is the node resource group of AKS cluster "
                     f"{escape(name_of(it.node_group_of))}: delete the cluster instead (Azure removes this group "
                     "with it), or stop the cluster to stop paying for its nodes. Never delete it directly.")
    if it.protected_items:
        names = ", ".join(p.friendly_name + (" (soft-deleted)" if p.soft_deleted else "") for p in it.protected_items)
        lines.append(f"[$warning]▲[/] Backup items in this vault: {escape(names)}.")
    for lock in (lock for lock in inventory.locks if lock.covers(it.id)):
        lines.append(f"[$warning]▲[/] {escape(lock.level)} lock '{escape(lock.name)}' on {escape(lock.where)}.")
    lines.append(_found_by(it))
    lines.append(_cost_lines(it.cost))
    lines.append(escape(spent_sentence(spend, spend.for_resource(it.id) if spend else None)))
    lines.append(f"[dim]{escape(it.id)}[/dim]")
    return "\n".join(lines)


def _found_by(it: InventoryItem) -> str:
    if it.note and (it.foreign or not it.exists):
        # what happened to the run's resource (cleanup/inventory.py: re-created, deleted outside azwizard…)
        head = "[$warning]▲ Not this run's[/]: " if it.foreign else ""
        tail = " Never selected unless you select it yourself." if it.foreign else ""
        return f"{head}{escape(it.note[:1].upper() + it.note[1:])}.{tail}"
    if it.foreign:
        return ("[$warning]▲ Not created by azwizard[/] (no created-by=azwizard tag, no journal entry): shown because "
                "you asked to see everything in this group (g). Never selected unless you select it yourself.")
    if it.node_group_of:
        return "Found through its cluster (AKS created it)."
    return {
        "both": "Found in this machine's journal and by its created-by=azwizard tag.",
        "journal": "Found in this machine's journal (it carries no created-by=azwizard tag).",
        "tag": "Found by its created-by=azwizard tag (not in this machine's journals).",
        "attached": "Found through the azwizard resource it belongs to (created with it, so not tagged).",
    }.get(it.source, "")


def _cost_lines(cost: Cost | None) -> str:
    if cost is None or not cost.parts:
        return "[b]Cost:[/b] unknown (no price for this kind of resource)."
    if cost.known and cost.known_hourly == 0 and len(cost.parts) == 1:
        note = cost.parts[0].note or (cost.parts[0].label if cost.parts[0].label != "no charge" else "")
        return "[b]Cost:[/b] no charge" + (f" ({escape(note)})" if note else "") + "."
    parts = []
    for p in cost.parts:
        price = "unknown" if p.hourly is None else ("no charge" if p.hourly == 0 else
                                                    f"{amount(p.hourly, cost.currency, 4)}/h "
                                                    f"({amount(p.hourly * HOURS_PER_MONTH, cost.currency)}/month)")
        parts.append(f"{p.label}: {price}" + (f" — {p.note}" if p.note else ""))
    return "[b]Cost:[/b] " + escape("; ".join(parts)) + "."


# ------------------------------------------------------------------------------------------ dry run


def item_label(inventory: Inventory, resource_id: str) -> str:
    """``Virtual machine Yolo-VM``; a role assignment by what it grants."""
    it = inventory.get(resource_id)
    if it is not None:
        return f"{long_type(it.type)} {display_name(it)}"
    k = key(resource_id)
    for vault in inventory.items:  # a backup item: by the VM it backs up
        for p in vault.protected_items:
            if key(p.id) == k:
                return f"Backup data of {p.friendly_name} (vault {vault.name})"
    return f"{long_type(kind_of(resource_id))} {name_of(resource_id)}"


_label = item_label


def _plan_prices(plan: DeletionPlan, inventory: Inventory) -> str:
    """The prices the deleted resources were estimated from (their regions' books)."""
    deleted = {key(r) for r in plan.deleted_ids()}
    return prices_note(inventory, (it for it in inventory.items if it.key in deleted))


def dry_run_text(plan: DeletionPlan, inventory: Inventory) -> str:
    """Exactly what the plan deletes and in which order, what goes along, what stops it, and why."""
    lines: list[str] = []
    deleted = plan.deleted_ids()
    if plan.ops:
        lines.append(f"[b]Deleting {len(plan.ops)} operation(s) removes {len(deleted)} resource(s)[/b] and stops "
                     f"{cost_sentence(plan.cost())} {_plan_prices(plan, inventory)}.")
        lines.append("[dim]In this order: each step starts once the steps it depends on are done and verified "
                     "gone; operations in the same step run at the same time.[/dim]")
        runs = sorted({op.run_id for op in plan.ops if op.run_id})
        if runs:
            lines.append(f"[dim]Made by {escape('; '.join(run_name(inventory, r) for r in runs))}.[/dim]")
    else:
        lines.append("[b $error]Nothing in this selection can be deleted now.[/] The reasons are below; nothing "
                     "will be forced.")
    n = 0
    for wave_no, wave in enumerate(plan.waves(), 1):
        lines.append("")
        lines.append(f"[b $accent]Step {wave_no}[/]" + (" [dim](together)[/dim]" if len(wave) > 1 else ""))
        for op in wave:
            n += 1
            where = ("" if op.kind == "microsoft.resources/resourcegroups" else f"resource group {op.resource_group}")
            # the run by its VM or cluster and date; its id once, under the heading (issue 19 item 14)
            made = f"run {run_short(inventory, op.run_id)}" if op.run_id else ""
            where = " · ".join(w for w in (where, made) if w)
            where = f" [dim]({escape(where)})[/dim]" if where else ""
            if op.whole_group:
                lines.append(f"  {n}. [b]{escape(op.label)}[/b] — [b $error]the whole group, one operation[/]{where}; "
                             "you will type its name to confirm")
                lines.append(f"       everything in it goes ({len(op.with_it)} resource(s)):")
            elif op.kind == "microsoft.resources/resourcegroups":
                lines.append(f"  {n}. [b]{escape(op.label)}[/b]{where}, once everything in it is gone")
            else:
                lines.append(f"  {n}. [b]{escape(op.label)}[/b]{where}")
            if op.data_fate:
                lines.append(f"       {data_fate_text(op)}")
            inside: dict[str, list[str]] = {}  # what a cascaded group holds, listed on one line per group
            for c in op.with_it:
                holder = _inside_of(c.reason)
                if holder:
                    inside.setdefault(holder, []).append(f"{name_of(c.resource_id)} ({short_type(c.type)})")
                    continue
                what = escape(_label(inventory, c.resource_id))
                if op.whole_group and c.reason == "in the group":
                    lines.append(f"       [dim]in it:[/dim] {what}")
                else:
                    lines.append(f"       [dim]with it:[/dim] {what} [dim]— {escape(c.reason)}[/dim]")
            for holder, names in inside.items():
                lines.append(f"       [dim]in {escape(holder)}, with it:[/dim] {escape(', '.join(names))}")
    if plan.blockers:
        lines.append("")
        lines.append("[b $error]Cannot be deleted now — explained, never forced[/]")
        for x in plan.blockers:
            code = f" [dim]({escape(x.code)})[/dim]" if x.code not in x.message else ""
            lines.append(f"  [b $error]✖[/] {escape(x.message)}{code}")
            lines.append(f"     [b]What to do:[/b] {escape(x.fix)}")
    if plan.held_back:
        lines.append("")
        lines.append("[b $warning]Not now (they wait for something blocked)[/]")
        for h in plan.held_back:
            lines.append(f"  · {escape(h.label)} — {escape(h.reason)}")
    if plan.already_gone:
        lines.append("")
        lines.append("[b]Already deleted[/b] (nothing to send)")
        for gone in plan.already_gone:
            lines.append(f"  · {escape(_label(inventory, gone))}")
    if plan.warnings:
        lines.append("")
        lines.append("[b]Notes[/b]")
        for w in plan.warnings:
            lines.append(f"  [$warning]▲[/] {escape(w)}")
    lines.append("")
    if plan.ops:
        whole = [op.name for op in plan.ops if op.whole_group]
        confirm = f" (you will type {', '.join(whole)} to confirm the whole-group delete)" if whole else ""
        if plan.confirmation():
            confirm += f" (you will type {plan.confirmation()} to confirm)"
        lines.append(f"Nothing has been sent to Azure yet. Press [b]x[/b] to delete exactly this{escape(confirm)}, or "
                     "[b]esc[/b] to change the selection.")
    else:
        lines.append("Press [b]esc[/b] to change the selection.")
    return "\n".join(lines)


def _inside_of(reason: str) -> str:
    """The group named by a cascade reason "in <group>, deleted with it" (the engine's wording), else ""."""
    if reason.startswith("in ") and reason.endswith(", deleted with it"):
        return reason[3:-len(", deleted with it")]
    return ""


# ------------------------------------------------------------------------------------------ report


def report_text(deleted: Sequence[str], not_deleted: Sequence[tuple[str, str]],
                not_attempted: Sequence[tuple[str, str]], inventory: Inventory, elapsed: str,
                journal: Path | None = None) -> str:
    lines: list[str] = []
    if not not_deleted and not not_attempted:
        lines.append(f"[b $success]Done: {len(deleted)} resource(s) deleted and verified gone[/] in {elapsed}. "
                     "The journals say so too.")
    else:
        lines.append(f"[b $warning]Partly done[/] after {elapsed}: {len(deleted)} deleted, {len(not_deleted)} not "
                     f"deleted, {len(not_attempted)} not attempted.")
    if deleted:
        lines.append(f"[b $success]Deleted ({len(deleted)})[/] — each checked with a GET that Azure answers 404:")
        lines += [f"  [$success]✓[/] {escape(_label(inventory, rid))}" for rid in deleted]
    if not_deleted:
        lines.append(f"[b $error]Not deleted ({len(not_deleted)})[/]:")
        for rid, why in not_deleted:
            lines.append(f"  [b $error]✖[/] {escape(_label(inventory, rid))} — {escape(why)}")
    if not_attempted:
        lines.append(f"[b $warning]Not attempted ({len(not_attempted)})[/]:")
        for rid, why in not_attempted:
            lines.append(f"  · {escape(_label(inventory, rid))} — {escape(why)}")
    if not_deleted or not_attempted:
        lines.append("Press [b]r[/b] to retry what was not deleted (a fresh dry run is made first; what is blocked "
                     "stays blocked until you fix it), or [b]enter[/b] to go back to the inventory.")
    else:
        lines.append("Press [b]enter[/b] to go back to the inventory.")
    return "\n".join(lines)


def data_fate_text(op: DeleteOp) -> str:
    """What becomes of backup data, marked when it is irreversible (the dry run and the report say it)."""
    if op.soft_delete_off:
        return f"[b $error]▲ {escape(op.data_fate)}[/]"
    return f"[dim]{escape(op.data_fate)}[/dim]"


def fates_text(plan: DeletionPlan, deleted: Sequence[str]) -> str:
    """The report's line on the backup data deleted: for good, or kept soft-deleted."""
    done = {key(rid) for rid in deleted}
    return "\n".join(f"  {escape(op.label)}: {data_fate_text(op)}" for op in plan.ops
                     if op.data_fate and op.key in done)


def kube_text(tidy: KubeTidy) -> str:
    """What cleanup did to the kubeconfig after deleting a cluster."""
    from azwizard.screens.aks.done import shown

    where = escape(shown(tidy.path))
    if tidy.error:
        return f"[$warning]▲[/] {where} was not tidied: {escape(tidy.error)}. Remove the cluster's context yourself."
    if not tidy.removed:
        return f"[dim]{where} held no entries of the deleted cluster(s).[/dim]"
    lines = [f"[$success]✓[/] Removed from {where}: {escape('; '.join(tidy.removed))}."]
    if tidy.backup is not None:
        lines.append(f"  The old file is kept as {escape(shown(tidy.backup))} (mode 0600).")
    if tidy.current_reset:
        lines.append("  Its current context was the deleted cluster's and is now unset: "
                     "[b]kubectl config use-context <name>[/b] picks another.")
    return "\n".join(lines)


__all__ = [
    "AGE_CHOICES",
    "COLUMNS",
    "cells_for",
    "columns_for",
    "NOT_PRICED",
    "prices_note",
    "Clock",
    "Filters",
    "Row",
    "age_text",
    "build_rows",
    "runs_index",
    "run_main",
    "run_title",
    "bulk_items",
    "bulk_selection",
    "detail_text",
    "dry_run_text",
    "hourly_text",
    "data_fate_text",
    "fates_text",
    "kube_text",
    "monthly_text",
    "report_text",
    "row_cells",
    "short_type",
    "summary_text",
    "system_now",
]
