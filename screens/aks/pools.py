"""Step 3: node pools. The system pool (size from the live SKU list with the system pool's minimums, count,
Azure Linux, ephemeral OS disk only where the size's local disk holds it, zones where the region has
them) and optional user pools."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label, Select, Static

from azwizard.fields import AKS_FIELDS
from azwizard.specs.aks import NodePoolSpec

from ..fields import Input
from ..vm.steps import MAX_SIZE_ROWS, SizePicker, price_note, size_rows
from ..wizard import FieldError, refill_select
from .steps import AksStep

if TYPE_CHECKING:
    from azwizard.facts import VmSize

SYSTEM_MIN_VCPUS = 2
SYSTEM_MIN_MEMORY_GB = 4  # quotas-skus-regions.md: system pools need at least 2 vCPUs and 4 GB
_POOL_NAME = re.compile(r"^[a-z][a-z0-9]*$")


def ephemeral_fits(size: VmSize | None, os_disk_gb: int) -> bool:
    """Whether the size's cache or temp disk holds an ephemeral OS disk of ``os_disk_gb`` (the rule's test)."""
    from azwizard.rules.aks import ephemeral_capacity  # the same arithmetic as the aks-ephemeral-os rule

    return size is not None and size.ephemeral_os_supported and ephemeral_capacity(size) >= os_disk_gb * 1024 ** 3


def pool_name_problem(name: str, os_type: str) -> str | None:
    limit = 6 if os_type == "Windows" else 12
    if not _POOL_NAME.match(name) or len(name) > limit:
        return (f"Pool names are lower-case letters and digits, start with a letter, at most {limit} characters "
                f"for a {os_type} pool")
    return None


def _count(text: str, lo: int) -> int:
    bounds = AKS_FIELDS.spec("system_pool.count").range
    hi = bounds[1] if bounds else 1000
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"The node count must be a whole number from {lo} to {hi}") from None
    if not lo <= value <= hi:
        raise ValueError(f"The node count must be from {lo} to {hi}")
    return value


class NodePoolStep(AksStep):
    STEP_TITLE = "Node pools"
    INTRO = ("The [b]system pool[/b] runs CoreDNS, konnectivity and the other critical pods: at least 3 nodes "
             "(the notes), sizes with 2+ vCPUs and 4+ GB only. [b]User pools[/b] are optional and run your "
             "workloads. Sizes are the ones offered here to your subscription, with the vCPU quota left.")
    STEP_ID = "node_pools"
    INITIAL_FOCUS = "#size-filter"
    BINDINGS = [
        Binding("ctrl+o", "add_pool", "Add user pool", id="aks.pools.add"),
        Binding("ctrl+r", "remove_pool", "Remove user pool", id="aks.pools.remove"),
    ]

    def compose_form(self) -> ComposeResult:
        pool = self.spec.system_pool
        yield Static("[b]System pool[/b]", classes="section")
        yield Label("Pool name")
        yield Input(pool.name, id="system_pool-name")
        yield FieldError(id="system_pool-name-error")
        yield Label("", id="size-label")
        yield SizePicker(id="size-picker")
        yield Static("", id="size-note", classes="note")
        yield Label("Node count (3 or more recommended)")
        yield Input(str(pool.count), id="system_pool-count")
        yield FieldError(id="system_pool-count-error")
        os_sku = AKS_FIELDS.spec("system_pool.os_sku")
        yield Label(os_sku.label)
        yield Select(os_sku.options(pool.os_sku, missing="{value}"), value=pool.os_sku, id="system_pool-os_sku",
                     allow_blank=False)
        yield Label("OS disk")
        yield Select(self._disk_options(), value=pool.os_disk_type, id="system_pool-os_disk_type", allow_blank=False)
        yield Static("", id="disk-note", classes="note")
        yield Label("Availability zones")
        yield Select(self._zone_options(), value=",".join(pool.zones), id="system_pool-zones", allow_blank=False)
        yield Static("", id="zones-note", classes="note")
        yield Label("Mode, OS type, node set and pods per node (empty = AKS's default)")
        with Horizontal(classes="choice-row"):
            for path in ("system_pool.mode", "system_pool.os_type", "vm_set_type"):
                yield self.choice(path.replace(".", "-"), path, AKS_FIELDS.spec(path).options())
            yield Input(str(pool.max_pods or ""), id="system_pool-max_pods", placeholder="default")
        yield FieldError(id="system_pool-max_pods-error")
        yield Static("[b]User pools[/b] [dim](optional)[/dim]", classes="section")
        table: DataTable[str] = DataTable(id="user_pools", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "OS", "Size", "Nodes", "OS disk", "Zones")
        yield table
        with Vertical(classes="rule-form"):
            yield Label("Add a user pool (select one above to edit it): name, size, nodes, OS")
            with Horizontal():
                yield Input(placeholder="apps", id="pool-name")
                yield Input(placeholder=pool.vm_size, id="pool-size")
                yield Input(placeholder="3", id="pool-count")
                yield Select([("Linux", "Linux"), ("Windows", "Windows")], value="Linux", id="pool-os",
                             allow_blank=False)
            yield FieldError(id="pool-error")
            yield Button("Add user pool (ctrl+o)", id="pool-add")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()

    # -------- what the region and the size allow

    def _vm_size(self, name: str) -> VmSize | None:
        facts = self.journey.region_facts
        return facts.size(name) if facts is not None else None

    def _disk_options(self) -> list[tuple[str, str]]:
        pool = self.spec.system_pool
        options = [("Managed (a network disk, kept across reimages)", "Managed")]
        if ephemeral_fits(self._vm_size(pool.vm_size), pool.os_disk_gb) or pool.os_disk_type == "Ephemeral":
            options.insert(0, ("Ephemeral (on the node's local disk: faster, free)", "Ephemeral"))
        return options

    def _zone_options(self) -> list[tuple[str, str]]:
        zones = self.journey.region_zones() or ()
        options = [("No zones (regional)", "")]
        if zones:
            options.insert(0, (f"Spread over zones {', '.join(zones)} (survives a zone outage)", ",".join(zones)))
            options += [(f"Zone {z} only", z) for z in zones]
        current = ",".join(self.spec.system_pool.zones)
        if all(v != current for _, v in options):
            options.append((f"Zones {current} (not offered in this region)", current))
        return options

    def refresh_form(self) -> None:
        self._fill_sizes(self.query_one("#size-filter", Input).value)
        pool = self.spec.system_pool
        size = self._vm_size(pool.vm_size)
        what = f"{size.vcpus} vCPU, {size.memory_gb:g} GiB" if size else "not in this region's list"
        self.query_one("#size-label", Label).update(f"Node size (now {escape(pool.vm_size)}: {what})")
        note = self.query_one("#size-note", Static)
        if size is not None and size.is_b_series:
            note.update(f"[$warning]▲ {escape(size.name)} is burstable (B-series)[/]: AKS doesn't support it for "
                        "system pools — the system pods use up the CPU credits and get throttled.")
        else:
            note.update(f"[dim]Sizes under {SYSTEM_MIN_VCPUS} vCPUs or {SYSTEM_MIN_MEMORY_GB} GB aren't listed (AKS "
                        "refuses them for system pools); B-series sizes are marked ▲ burstable.[/dim]")
        disk = self.query_one("#system_pool-os_disk_type", Select)
        with self.prevent(Select.Changed):
            refill_select(disk, self._disk_options(), pool.os_disk_type)
        if ephemeral_fits(size, pool.os_disk_gb):
            disk_note = (f"[dim]{escape(pool.vm_size)}'s local disk holds the {pool.os_disk_gb} GiB OS disk: an "
                         "ephemeral OS disk is possible (and what AKS picks by default).[/dim]")
        elif size is None:
            disk_note = ""
        else:
            disk_note = (f"[dim]Ephemeral isn't offered: {escape(pool.vm_size)} has no local disk big enough for "
                         f"a {pool.os_disk_gb} GiB OS disk (sizes with 'd' in the name have one).[/dim]")
        self.query_one("#disk-note", Static).update(disk_note)
        zones = self.query_one("#system_pool-zones", Select)
        with self.prevent(Select.Changed):
            refill_select(zones, self._zone_options(), ",".join(pool.zones))
        region_zones = self.journey.region_zones()
        self.query_one("#zones-note", Static).update(
            "[dim]This region has no availability zones.[/dim]" if region_zones == () else
            "[dim]Zones can't be changed after a pool is created.[/dim]")
        if not self.query_one("#system_pool-count", Input).has_class("-invalid"):
            self.set_value("#system_pool-count", str(pool.count))
        self._fill_pools()

    def _fill_sizes(self, query: str) -> None:
        facts = self.journey.region_facts
        table = self.query_one("#size", DataTable)
        table.clear()
        if facts is None:
            self.query_one("#size-count", Static).update("[dim]Reading the sizes offered here…[/dim]")
            return
        quota = {name: u.available for name, u in facts.compute_usages.items()}
        zones = self.spec.system_pool.zones
        sizes = sorted((s for s in facts.vm_sizes.values()
                        if not s.location_restricted and s.usable_in(zones)
                        and s.vcpus >= SYSTEM_MIN_VCPUS and s.memory_gb >= SYSTEM_MIN_MEMORY_GB),
                       key=lambda s: (s.vcpus, s.memory_gb, s.name))
        burstable = {s.name for s in sizes if s.is_b_series}
        all_rows = size_rows(sizes, quota, query, self.journey.prices)
        chosen = self.spec.system_pool.vm_size.lower()
        rows = all_rows[:MAX_SIZE_ROWS] + [r for r in all_rows[MAX_SIZE_ROWS:] if r[0].lower() == chosen]
        table.add_rows([(*r[:3], r[3] + (" ▲ burstable" if r[0] in burstable else ""), *r[4:]) for r in rows])
        self.query_one("#size-count", Static).update(
            f"[dim]{len(rows)} of {len(all_rows)} sizes shown — type to narrow[/dim]" if len(all_rows) > len(rows)
            else f"[dim]{len(all_rows)} size(s)[/dim]")
        self.query_one("#size-prices", Static).update(price_note(self.journey.prices))
        current = next((i for i, r in enumerate(rows) if r[0].lower() == chosen), None)
        if current is not None:
            table.move_cursor(row=current)

    def _fill_pools(self) -> None:
        table = self.query_one("#user_pools", DataTable)
        table.clear()
        for p in self.spec.user_pools:
            table.add_row(p.name, p.os_type, p.vm_size, str(p.count), p.os_disk_type, ",".join(p.zones) or "—",
                          key=p.name)

    # -------- system pool edits

    @on(Input.Changed, "#size-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill_sizes(event.value)

    @on(DataTable.RowSelected, "#size")
    def _size_chosen(self, event: DataTable.RowSelected) -> None:
        name = str(event.data_table.get_row(event.row_key)[0])
        pool = self.spec.system_pool
        changes: dict[str, Any] = {"vm_size": name}
        if pool.os_disk_type == "Ephemeral" and not ephemeral_fits(self._vm_size(name), pool.os_disk_gb):
            changes["os_disk_type"] = "Managed"  # only offered where it fits
            self.notify(f"{name} has no local disk for the OS disk: switched to a managed OS disk.", timeout=5)
        self.journey.set_pool(0, **changes)
        self.refresh_form()

    @on(Input.Changed, "#system_pool-name")
    def _pool_name(self, event: Input.Changed) -> None:
        name = event.value.strip()
        problem = pool_name_problem(name, "Linux")
        self.set_error(event.input, problem)
        if problem is None and name != self.spec.system_pool.name:
            self.journey.set_pool(0, name=name)

    @on(Input.Changed, "#system_pool-count")
    def _pool_count(self, event: Input.Changed) -> None:
        try:
            count = _count(event.value, 1)
        except ValueError as exc:
            self.set_error(event.input, str(exc))
            return
        self.set_error(event.input, None)
        if count != self.spec.system_pool.count:
            self.journey.set_pool(0, count=count)

    @on(Input.Changed, "#system_pool-max_pods")
    def _max_pods(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if text and not text.isdigit():
            self.set_error(event.input, "Pods per node must be a whole number (10–250), or empty for the default")
            return
        self.set_error(event.input, None)
        value = int(text) if text else None
        if value != self.spec.system_pool.max_pods:
            self.journey.set_pool(0, max_pods=value)

    @on(Select.Changed, "#system_pool-os_sku")
    def _os_sku(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.system_pool.os_sku:
            self.journey.set_pool(0, os_sku=event.value)

    @on(Select.Changed, "#system_pool-os_disk_type")
    def _disk(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.system_pool.os_disk_type:
            self.journey.set_pool(0, os_disk_type=event.value)
            self.refresh_form()

    @on(Select.Changed, "#system_pool-zones")
    def _zones(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            zones = tuple(z for z in event.value.split(",") if z)
            if zones != self.spec.system_pool.zones:
                self.journey.set_pool(0, zones=zones)
                self.refresh_form()

    # -------- user pools

    @on(Button.Pressed, "#pool-add")
    def _add_pressed(self) -> None:
        self.action_add_pool()

    def action_add_pool(self) -> None:
        name = self.query_one("#pool-name", Input).value.strip()
        size_name = self.query_one("#pool-size", Input).value.strip() or self.spec.system_pool.vm_size
        count_text = self.query_one("#pool-count", Input).value.strip() or "3"
        os_value = self.query_one("#pool-os", Select).value
        os_type = os_value if isinstance(os_value, str) else "Linux"
        err = self.query_one("#pool-error", FieldError)
        problem = pool_name_problem(name, os_type) if name else "The pool needs a name, e.g. apps"
        if problem is None and name == self.spec.system_pool.name:
            problem = f"'{name}' is the system pool's name"
        try:
            count = _count(count_text, 0)
        except ValueError as exc:
            problem = problem or str(exc)
            count = 0
        size = self._vm_size(size_name)
        if problem is None and self.journey.region_facts is not None and size is None:
            problem = f"{size_name} is not offered in {self.spec.location}"
        if problem:
            err.set_error(problem)  # bad input: nothing changes
            return
        err.set_error(None)
        pool = NodePoolSpec(
            name=name, vm_size=size.name if size else size_name, count=count, mode="User", os_type=os_type,  # type: ignore[arg-type]
            os_sku="Windows2022" if os_type == "Windows" else "AzureLinux",
            os_disk_type="Ephemeral" if ephemeral_fits(size, 128) else "Managed",
            zones=self.spec.system_pool.zones,
        )
        others = tuple(p for p in self.spec.user_pools if p.name != name)
        replaced = len(others) != len(self.spec.user_pools)
        self.journey.update(user_pools=(*others, pool))
        self.journey.mark_custom()
        for wid in ("#pool-name", "#pool-size", "#pool-count"):
            self.query_one(wid, Input).value = ""
        self._fill_pools()
        self.notify(f"User pool {name} {'updated' if replaced else 'added'}.", timeout=3)

    def action_remove_pool(self) -> None:
        table = self.query_one("#user_pools", DataTable)
        if table.row_count == 0:
            self.notify("There are no user pools to remove.", timeout=3)
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        name = str(row_key.value)
        self.journey.update(user_pools=tuple(p for p in self.spec.user_pools if p.name != name))
        self.journey.mark_custom()
        self._fill_pools()
        self.notify(f"User pool {name} removed.", timeout=3)

    @on(DataTable.RowSelected, "#user_pools")
    def _edit_pool(self, event: DataTable.RowSelected) -> None:
        pool = next((p for p in self.spec.user_pools if p.name == str(event.row_key.value)), None)
        if pool is None:
            return
        self.query_one("#pool-name", Input).value = pool.name
        self.query_one("#pool-size", Input).value = pool.vm_size
        self.query_one("#pool-count", Input).value = str(pool.count)
        self.query_one("#pool-os", Select).value = pool.os_type
        self.query_one("#pool-name", Input).focus()
