"""The cleanup inventory: everything azwizard created, by run and resource group, with state, age and cost;
selection, filters, "show everything in this group", AKS stop/start, and the way to the dry run."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from azwizard.cleanup.model import CLUSTER

from ..appref import azapp
from ..bounded_table import BoundedTable
from ..gcquiet import fewer_full_collections, hold_full_collections
from ..workers import WorkerDone, leaving, posts
from .confirm import PowerConfirmScreen
from .dryrun import DryRunScreen
from .listing import Listing, build_listing
from .state import CleanupState, cleanup_state
from .view import (
    AGE_CHOICES,
    COLUMNS,
    Clock,
    Filters,
    Row,
    bulk_items,
    bulk_selection,
    cells_for,
    columns_for,
    detail_text,
    mark_cell,
    name_cell,
    spent_cell,
    summary_text,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from azwizard.azure.clouds import Cloud
    from azwizard.azure.session import ClientFactory
    from azwizard.cleanup import Inventory, InventoryItem, PowerResult
    from azwizard.pricing.spend import Spend

# An inventory older than this is read again when the screen comes back (from a journey, the dry run…).
REFRESH_AFTER_SECONDS = 10.0
# The workers' descriptions: without one, Textual describes a worker by the repr of its arguments, on the UI
# thread: the repr of a 2,000-resource inventory took about 15 ms of its CPU (issue 26)
DESCRIBE_INVENTORY, DESCRIBE_SPEND, DESCRIBE_POWER = "read the inventory", "read the spend", "stop or start AKS"
FILTER_IDS = ("cleanup-filter-run", "cleanup-filter-group", "cleanup-filter-type", "cleanup-filter-age")


class InventoryRead(WorkerDone[Listing]):
    """The inventory and its rows for the filters of the moment, or why it could not be read."""


class SpendRead(WorkerDone["Spend"]):
    """What the runs have cost so far (a failure changes nothing shown)."""


class PowerDone(WorkerDone["PowerResult"]):
    """An AKS stop or start's result, or why it failed."""


class KeysFooter(Footer):
    """The footer, its keys wrapping onto a second row on a narrow terminal (app.tcss) instead of being cut
    off: Footer sets its grid's column count inline (one per key), which would beat the stylesheet.

    Built again only when the keys it shows change: Textual's Footer rebuilds itself (15-40 ms of the UI
    thread) on every ``refresh_bindings``, which the screen's focus, each highlighted row and a resumed screen
    send (four rebuilds as the screen opened, one per row the cursor or a fill passes), nearly always to show
    the same keys. https://github.com/Textualize/textual/blob/main/src/textual/widgets/_footer.py"""

    _shown: list[tuple[object, ...]] | None = None  # the keys the footer shows, or will once rebuilt (_keys)

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()
        self.styles.clear_rule("grid_size_columns")

    def bindings_changed(self, screen: Screen[Any]) -> None:
        mine = self.is_attached and screen is self.screen
        if mine and self._shown is not None and self._keys() == self._shown:
            return  # the same keys, enabled the same way (as built, or as the rebuild already asked for will be)
        super().bindings_changed(screen)  # asks for a rebuild after the next refresh
        if mine and screen.app.app_focus:
            self._shown = self._keys()

    def _keys(self) -> list[tuple[object, ...]]:
        """What compose shows: each shown key of the screen's active bindings, its action, label, state, tooltip."""
        return [(b.key, b.action, b.description, enabled, tooltip)
                for _, b, enabled, tooltip in self.screen.active_bindings.values() if b.show]


class CleanupScreen(Screen[None]):
    """The inventory. No text input here, so plain letters are the keys."""

    BINDINGS = [
        Binding("space", "toggle", "Select", id="cleanup.toggle"),
        Binding("a", "select_run", "Select run", id="cleanup.select_run"),
        Binding("n", "select_none", "Clear", id="cleanup.select_none"),
        Binding("w", "whole_group", "Whole group", id="cleanup.whole_group"),
        Binding("d", "dry_run", "Dry run", id="cleanup.dry_run"),
        # x is the dry run's key to delete; here it opens the dry run too (not in the footer: d says it)
        Binding("x", "delete", "Delete…", id="cleanup.delete", show=False),
        Binding("g", "show_group", "Show all", id="cleanup.show_group"),
        Binding("f", "filter", "Filter", id="cleanup.filter"),
        Binding("r", "refresh", "Refresh", id="cleanup.refresh"),
        Binding("s", "stop_cluster", "Stop AKS", id="cleanup.stop"),
        Binding("t", "start_cluster", "Start AKS", id="cleanup.start"),
        Binding("escape", "back", "Home", id="cleanup.home"),
    ]

    AUTO_FOCUS = "#cleanup-table"
    FILL_SLICE = 500  # rows a slice at most
    FILL_SECONDS = 0.01  # and the UI thread's CPU time it may take (building and adding), looked at every FILL_CHECK rows
    FILL_CHECK = 50
    FREEZE_AT = 200  # inventories this large are frozen into the collector's permanent generation when read
    SPENT_SLICE = 2000  # rows a slice (a Spent cell is ~10 us; only the Spent cells in view are rendered again)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._loading = False
        self._error: str | None = None
        self._power_notes: dict[str, str] = {}  # cluster key -> what the last stop/start said
        self._release_collections: Callable[[], None] | None = None  # while a large table fills (_fill_table)
        self._busy_cluster: str | None = None
        self._filter_options: dict[str, list[tuple[str, str]]] = {}
        self._columns = COLUMNS  # the table's columns now (fewer on a narrow terminal: columns_for)
        self._fill_generation = 0  # which _fill_table the slices being added belong to
        self._filters: list[Select[str]] | None = None  # the filter menus, once _mount_filters made them
        self._filters_ready = False  # and they are mounted
        self._listing: Listing | None = None  # the listing last shown (its filter choices)
        self._focus_filter = False  # f was pressed before the menus were mounted

    @property
    def state(self) -> CleanupState:
        return cleanup_state(azapp(self))

    @property
    def rows(self) -> list[Row]:
        """The table's rows, in order (row i of the table is ``rows[i]``)."""
        return list(self._rows)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="cleanup"):
            yield Static("", id="cleanup-summary")
            with Horizontal(id="cleanup-filters"):
                yield Label("Filter:", id="cleanup-filter-label")  # the menus follow the first frame: _mount_filters
            table = BoundedTable(id="cleanup-table", cursor_type="row")  # 2,000 rows: small render caches
            self._columns = columns_for(self.app.size.width)
            for column_key, label, width in self._columns:
                table.add_column(label, key=column_key, width=width)
            yield table
            yield Static("", id="cleanup-detail")
        yield KeysFooter(compact=True, show_command_palette=False)  # ctrl+p still works; the keys need the room

    def on_mount(self) -> None:
        self.query_one("#cleanup-table", DataTable).focus()
        self.watch(self.app, "session", self._session_changed, init=False)
        self.call_after_refresh(self._mount_filters)

    async def _mount_filters(self) -> None:
        """The four filter menus, mounted once the screen has shown its first frame. Styling and laying out their
        ~20 widgets took 30-45 ms of the UI thread's time on top of the rest of the screen's opening, in one
        turn of its event loop (issue 26: no stall over 100 ms); mounted here, it is a turn of its own. The bar
        keeps its height meanwhile, so nothing moves; the options the listing already gave are set on arrival."""
        if self._filters is not None:
            return
        self._filters = [
            Select([], prompt="any run", id="cleanup-filter-run", compact=True),
            Select([], prompt="any group", id="cleanup-filter-group", compact=True),
            Select([], prompt="any type", id="cleanup-filter-type", compact=True),
            Select([(label, str(i)) for i, (label, _) in enumerate(AGE_CHOICES)], prompt="any age",
                   id="cleanup-filter-age", compact=True)]
        await self.query_one("#cleanup-filters", Horizontal).mount_all(self._filters)
        self._filters_ready = True
        if self._listing is not None:
            self._fill_filters(self._listing)
        if self._focus_filter:
            self._filters[0].focus()

    def on_resize(self, event: Any) -> None:
        """Priority columns: a narrower terminal drops the least important ones instead of hiding costs."""
        wanted = columns_for(event.size.width)
        if wanted == self._columns:
            return
        self._columns = wanted
        table = self.query_one("#cleanup-table", DataTable)
        current = self._current_row()
        table.clear(columns=True)
        for column_key, label, width in wanted:
            table.add_column(label, key=column_key, width=width)
        if self.state.inventory is not None:
            self._fill_table(current.key if current else None)

    def on_screen_resume(self) -> None:
        state = self.state
        if state.inventory is not None:
            self._render_all()
        old = time.monotonic() - state.loaded_at > REFRESH_AFTER_SECONDS
        if not self._loading and (state.inventory is None or state.stale or old):
            self.reload()

    def _session_changed(self, session: Any) -> None:
        if session is not None and self.is_current:
            self.reload()

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        app = azapp(self)
        if app.session is None:
            self._error = None
            self._summary("[dim]Connecting to Azure…[/dim]" if app.connecting else
                          "[b]Not signed in[/b]: cleanup needs a subscription (press [b]?[/b] for help).")
            return
        self._loading = True
        self._error = None
        if self.state.inventory is None:
            self._summary("[dim]Reading what azwizard created (this machine's journals and the created-by=azwizard "
                          "tags), with each resource's state, locks and backup items…[/dim]")
        else:
            self._summary("[dim]Refreshing…[/dim]", keep=True)
        state = self.state
        self._load(app.session.factory, state.journal_dir, sorted(state.show_all), state.filters, state.now,
                   app.session.cloud)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-inventory",
          description=DESCRIBE_INVENTORY)
    @posts(InventoryRead)
    def _load(self, factory: ClientFactory, journal_dir: Path | None, show_all: list[str], filters: Filters,
              now: Clock, cloud: Cloud | None = None) -> Listing:
        """The inventory (each resource priced from its region's list prices) and its rows for the filters of
        the moment, all built here, off the UI thread."""
        from azwizard.cleanup import build_inventory

        with fewer_full_collections():  # what is built here lives on: full collections would only hold the GIL
            inventory = build_inventory(factory, journal_dir=journal_dir, include_untagged_in_groups=show_all,
                                        cloud=cloud)
            listing = build_listing(inventory, filters, now())
        if len(inventory.items) >= self.FREEZE_AT:
            # The listing lives until the next read; frozen, the collections the table's fill triggers on the
            # UI thread do not walk it (2,000 resources: ~30,000 objects, issue 26)
            azapp(self).freeze_heap()
        return listing

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-spend",
          description=DESCRIBE_SPEND)
    @posts(SpendRead)
    def _load_spend(self, factory: ClientFactory, inventory: Inventory) -> Spend:
        """What the runs have actually cost so far: after the inventory, never holding it up (pricing/spend.py)."""
        from azwizard.pricing.spend import read_spend, run_created

        return read_spend(factory, run_created(inventory.items), now=self.state.now())

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-power",
          description=DESCRIBE_POWER)
    @posts(PowerDone)
    def _power(self, factory: ClientFactory, item: InventoryItem, action: str, allow_early: bool,
               journal_dir: Path | None) -> PowerResult:
        from azwizard.cleanup import start_cluster, stop_cluster
        from azwizard.journal import Journal

        journal = Journal(item.run_id, item.journey or "", directory=journal_dir) if item.run_id else None
        if action == "stop":
            return stop_cluster(factory, item.id, journal=journal)
        return start_cluster(factory, item.id, journal=journal, allow_early=allow_early)

    @on(InventoryRead)
    def _inventory_done(self, message: InventoryRead) -> None:
        self._loading = False
        if message.result is not None:
            listing = message.result
            self.state.set_inventory(listing.inventory)
            if leaving(self):
                return
            self._render_all(listing)
            session = azapp(self).session
            if session is not None and any(it.run_id for it in listing.inventory.items):
                self._load_spend(session.factory, listing.inventory)
            return
        from azwizard.azure.errors import explain

        err = explain(message.error) if message.error is not None else None
        self._error = (f"[b $error]Could not read the inventory:[/] {escape(err.what)}\n{escape(err.fix)} "
                       "Press [b]r[/b] to try again.") if err else None
        if leaving(self):
            return
        if self.state.inventory is not None:
            self._render_all()
        else:
            self._summary(self._error or "")

    @on(SpendRead)
    def _spend_read(self, message: SpendRead) -> None:
        if message.result is not None:
            self.state.spend = message.result
            if not leaving(self):
                self._show_spend()

    @on(PowerDone)
    def _power_done(self, message: PowerDone) -> None:
        busy, self._busy_cluster = self._busy_cluster, None
        self.state.stale = True
        if leaving(self):
            return  # (the app is ending: the cleanup screen is the mode's own, never popped)
        if message.result is not None:
            result = message.result
            note = f"{result.message} (power state: {result.power_state})."
            if busy is not None:
                self._power_notes[busy] = note
            self.notify(note, timeout=8)
            self.reload()
            return
        from azwizard.azure.errors import explain

        err = explain(message.error) if message.error is not None else None
        if err is not None and err.code == "StartTooSoon" and busy is not None:
            item = self.state.inventory.get(busy) if self.state.inventory else None
            if item is not None:
                self.app.push_screen(PowerConfirmScreen("start", item, too_soon=err.what),
                                     lambda ok: self._start_power(item, "start", True) if ok else None)
                return
        if err is not None:
            if busy is not None:
                self._power_notes[busy] = f"{err.what}. {err.fix}"
            self.notify(f"{err.what}. {err.fix}", severity="error", timeout=10)
        self.reload()

    # ------------------------------------------------------------------ showing

    def _summary(self, text: str, *, keep: bool = False) -> None:
        widget = self.query_one("#cleanup-summary", Static)
        if keep and self.state.inventory is not None:
            text = self._summary_text() + "\n" + text
        widget.update(text)

    def _summary_text(self) -> str:
        state = self.state
        inv = state.inventory
        if inv is None:
            return ""
        text = summary_text(inv, self._shown(), state.selected, state.whole_groups, state.filters, state.now(),
                            state.spend)
        return f"{self._error}\n{text}" if self._error else text

    def _shown(self) -> list[InventoryItem]:
        state = self.state
        if state.inventory is None:
            return []
        return state.filters.apply(state.inventory, state.now())

    def _show_spend(self) -> None:
        """The spend arrived: the Spent cells of the rows in the table (rows the fill adds later are built with
        it), the summary and the detail. The table is not filled again: at 2,000 rows that doubled the fill's
        work on the UI thread (issue 26)."""
        if self.state.inventory is None:
            return
        self._refresh_spent(self._fill_generation, 0)
        self.query_one("#cleanup-summary", Static).update(self._summary_text())
        self._show_detail()

    def _refresh_spent(self, generation: int, start: int) -> None:
        """The Spent cells of the rows already in the table, ``SPENT_SLICE`` rows a refresh."""
        if generation != self._fill_generation or not any(key == "spent" for key, _, _ in self._columns):
            return  # a newer fill builds its rows with the spend; a narrow table has no Spent column
        state = self.state
        table = self.query_one("#cleanup-table", BoundedTable)
        end = min(start + self.SPENT_SLICE, table.row_count)
        table.update_column("spent", ((row.key, spent_cell(row, state.spend)) for row in self._rows[start:end]))
        if end < table.row_count:
            self.set_timer(0.005, partial(self._refresh_spent, generation, end))

    def _render_all(self, listing: Listing | None = None) -> None:
        """Show the inventory: ``listing`` when the worker built it for this inventory and these filters, else
        built here (a filter changed, the screen came back: linear in the inventory, milliseconds)."""
        state = self.state
        inv = state.inventory
        if inv is None:
            return
        if listing is None or listing.inventory is not inv or listing.filters != state.filters:
            listing = build_listing(inv, state.filters, state.now())
        current = self._current_row()
        self._fill_filters(listing)
        self._rows = listing.rows
        self._show_rows(current)

    def _show_rows(self, current: Row | None) -> None:
        """Fill the table from ``self._rows`` (keeping ``current`` selected), then the summary and the detail."""
        self._fill_table(current.key if current else None)
        self.query_one("#cleanup-summary", Static).update(self._summary_text())
        self._show_detail()

    def _fill_filters(self, listing: Listing) -> None:
        self._listing = listing
        if not self._filters_ready:
            return  # _mount_filters fills them
        f = self.state.filters
        choices: dict[str, tuple[list[tuple[str, str]], str | None]] = {
            "cleanup-filter-run": (listing.runs, f.run),
            "cleanup-filter-group": (listing.groups, f.group),
            "cleanup-filter-type": (listing.types, f.type),
        }
        for widget_id, (options, value) in choices.items():
            select: Select[str] = self.query_one(f"#{widget_id}", Select)
            if self._filter_options.get(widget_id) != options:  # set_options resets the value: only on change
                self._filter_options[widget_id] = options
                select.set_options(options)
            legal = {v for _, v in options}
            wanted = value if value in legal else Select.NULL
            if select.value != wanted:
                select.value = wanted

    def _fill_table(self, current_key: str | None) -> None:
        """The rows in slices of at most ``FILL_SLICE`` rows and about ``FILL_SECONDS`` of the UI thread's time,
        one per refresh, so the UI thread never stalls for long. Each slice is
        appended below the rows shown (``BoundedTable.append_rows``): they are not rendered again (issue 26)."""
        self._fill_generation += 1
        self.query_one("#cleanup-table", DataTable).clear()
        if len(self._rows) >= self.FREEZE_AT and self._release_collections is None:
            # No full collection mid-fill (12-47 ms on the UI thread, walking the rows just added): one, with a
            # freeze, on a worker once the table is full (_filled)
            self._release_collections = hold_full_collections()
        self._fill_from(self._fill_generation, 0, current_key)

    def _fill_from(self, generation: int, start: int, current_key: str | None) -> None:
        if generation != self._fill_generation:
            return  # a newer fill started
        state = self.state
        table = self.query_one("#cleanup-table", BoundedTable)
        now = state.now()
        end = len(self._rows) if len(self._rows) <= self.FILL_SLICE else min(start + self.FILL_SLICE, len(self._rows))
        deadline = time.thread_time() + self.FILL_SECONDS
        at = start
        while at < end:  # FILL_CHECK rows at a time, until the slice's rows or its time are used up
            chunk = self._rows[at:min(at + self.FILL_CHECK, end)]
            table.append_rows((row.key, cells_for(row, state.selected, state.whole_groups, now, self._columns,
                                                  state.spend)) for row in chunk)
            at += len(chunk)
            if time.thread_time() > deadline:
                break  # the UI thread's CPU time: a loaded machine's waits do not shorten a slice
        end = at
        if end == len(self._rows):
            self._filled()
        if end < len(self._rows):
            # A timer, not call_after_refresh: between slices the event loop runs everything else (keys,
            # painting).
            self.set_timer(0.005, partial(self._fill_from, generation, end, current_key))
        keys = [r.key for r in self._rows[:end]]
        if current_key in keys[start:]:  # the row that had the cursor is back
            table.move_cursor(row=keys.index(current_key), animate=False)
        elif start == 0 and self._rows:
            first_item = next((i for i, r in enumerate(self._rows) if r.kind != "run"), 0)
            table.move_cursor(row=first_item, animate=False)

    def _filled(self) -> None:
        """The table holds every row: a large table's rows are frozen out of the collector's way, collected
        first, on a worker (the collection holds the GIL, not the UI thread's time), and full collections go
        on as before after that one (released before it, the one due would run on the UI thread)."""
        release = self._release_collections
        if release is not None:
            self._freeze(release)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-freeze", description="freeze the rows")
    def _freeze(self, release: Callable[[], None]) -> None:
        try:
            azapp(self).freeze_heap()
        finally:
            release()
            if self._release_collections is release:
                self._release_collections = None

    def on_unmount(self) -> None:
        release, self._release_collections = self._release_collections, None
        if release is not None:
            release()  # a fill or its freeze that never ended (the app closed first)

    def _refresh_marks(self) -> None:
        state = self.state
        table = self.query_one("#cleanup-table", DataTable)
        for row in self._rows:
            if row.key not in table.rows:
                continue  # not added yet (a large table fills in slices): added with its mark
            table.update_cell(row.key, "mark", mark_cell(row, state.selected, state.whole_groups))
            if row.kind == "group":
                table.update_cell(row.key, "name", name_cell(row, state.whole_groups))
        self.query_one("#cleanup-summary", Static).update(self._summary_text())

    def _current_row(self) -> Row | None:
        table = self.query_one("#cleanup-table", DataTable)
        if table.row_count == 0:
            return None
        index = table.cursor_row
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def _show_detail(self) -> None:
        inv = self.state.inventory
        detail = self.query_one("#cleanup-detail", Static)
        if inv is None:
            detail.update("")
            return
        row = self._current_row()
        if row is None:
            if self.state.filters.active:
                detail.update("Nothing matches the filter: press [b]f[/b] and choose \"any\" to see everything.")
            else:
                detail.update("Nothing to clean up. Resources that the VM and AKS journeys create show up here with "
                              "their state, age and cost. Press [b]esc[/b] for the home screen.")
            return
        note = ""
        if row.item is not None:
            note = ("Working on it… (AKS takes a few minutes to stop or start)" if row.item.key == self._busy_cluster
                    else self._power_notes.get(row.item.key, ""))
        detail.update(detail_text(row, inv, self.state.now(), note, self.state.spend))

    @on(DataTable.RowHighlighted, "#cleanup-table")
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(Select.Changed)
    def _filter_changed(self, _: Select.Changed) -> None:
        if not self._filters_ready:
            return
        values = [self.query_one(f"#{i}", Select).value for i in FILTER_IDS]
        run, group, kind, age = (v if isinstance(v, str) else None for v in values)
        filters = Filters(run=run, group=group, type=kind,
                          older_than=AGE_CHOICES[int(age)][1] if age is not None else None)
        if filters != self.state.filters:
            self.state.filters = filters
            if self.state.inventory is not None:
                self._render_all()

    # ------------------------------------------------------------------ selecting

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("stop_cluster", "start_cluster"):
            # shown only on an AKS cluster's line, the one that applies to its power state (help lists both)
            row = self._current_row() if self.is_mounted else None
            if row is None or row.item is None or row.item.kind != CLUSTER:
                return False
            state = row.item.state.lower()
            if state in ("stopping", "starting"):
                return False  # one operation at a time: https://learn.microsoft.com/azure/aks/start-stop-cluster
            stopped = state == "stopped"
            return stopped if action == "start_cluster" else not stopped
        return True

    def _toggle(self, keys: set[str], what: str) -> None:
        state = self.state
        if not keys:
            self.notify(f"Nothing in {what} that azwizard created can be selected.", timeout=5)
            return
        if keys <= state.selected:
            state.selected -= keys
        else:
            state.selected |= keys
        self._refresh_marks()

    def _run_row(self, run_id: str) -> Row | None:
        return next((r for r in self._rows if r.kind == "run" and r.run_id == run_id), None)

    def action_toggle(self) -> None:  # type: ignore[override]  # the screen's own "toggle the row" action
        row = self._current_row()
        inv = self.state.inventory
        if row is None or inv is None:
            return
        if row.kind == "run":
            self._toggle(bulk_selection(inv, row.run_id, row.members), "this run")
            return
        if row.item is None:
            self._toggle(bulk_items(row.members), f"resource group {row.group}")
            return
        it = row.item
        if it.key in self.state.selected:
            self.state.selected.discard(it.key)
        else:
            self.state.selected.add(it.key)
            if it.foreign:
                self.notify(f"{it.name} was not created by azwizard: selected only because you chose it.",
                            severity="warning", timeout=6)
        self._refresh_marks()

    def action_select_run(self) -> None:
        row = self._current_row()
        inv = self.state.inventory
        if row is None or inv is None:
            return
        run = self._run_row(row.run_id)
        if run is not None:
            self._toggle(bulk_selection(inv, run.run_id, run.members), "this run")

    def action_select_none(self) -> None:
        self.state.selected.clear()
        self.state.whole_groups.clear()
        self._refresh_marks()

    def action_whole_group(self) -> None:
        row = self._current_row()
        inv = self.state.inventory
        if row is None or inv is None:
            return
        if row.kind == "run":
            self.notify("Move to a resource group (or a resource in it) to mark the whole group.", timeout=5)
            return
        group = inv.group(row.group)
        if group is None or group.foreign:
            self.notify(f"Resource group {row.group} was not created by azwizard, so azwizard does not delete it as "
                        "a whole. Select its azwizard resources instead.", severity="warning", timeout=8)
            return
        if group.node_group_of:
            self.notify(f"{group.name} is an AKS node resource group: delete its cluster instead (the group goes "
                        "with it).", severity="warning", timeout=8)
            return
        lower = group.name.lower()
        if lower in self.state.whole_groups:
            self.state.whole_groups.discard(lower)
            self.notify(f"{group.name} is no longer marked for a whole-group delete.", timeout=4)
        else:
            self.state.whole_groups.add(lower)
            self.notify(f"{group.name} marked: the whole group goes as one operation, everything in it. The dry run "
                        "shows what that is; you will type its name to confirm.", timeout=8)
        self._refresh_marks()

    def action_dry_run(self) -> None:
        from azwizard.cleanup import plan_deletion

        state = self.state
        inv = state.inventory
        if inv is None:
            self.notify("The inventory is still being read.", timeout=4)
            return
        if not state.selected and not state.whole_groups:
            self.notify("Select something first: space selects the highlighted resource (or run), a the whole run, "
                        "w a whole resource group.", timeout=6)
            return
        plan = plan_deletion(inv, state.selected_ids(), whole_groups=state.whole_group_names(),
                             backup_data=state.backup_data)
        self.app.push_screen(DryRunScreen(plan, inv))

    def action_delete(self) -> None:
        # Never straight to deleting: the dry run comes first, and x there sends it.
        self.action_dry_run()

    def action_show_group(self) -> None:
        row = self._current_row()
        inv = self.state.inventory
        if row is None or inv is None:
            return
        if row.kind == "run":
            self.notify("Move to a resource group (or a resource in it) to show everything in that group.", timeout=5)
            return
        group = inv.group(row.group)
        if group is not None and group.node_group_of:
            self.notify(f"{group.name} belongs to its AKS cluster: what is in it is managed by AKS and deleted with "
                        "the cluster.", timeout=8)
            return
        lower = row.group.lower()
        if lower in self.state.show_all:
            self.state.show_all.discard(lower)
            self.notify(f"Showing only azwizard's resources in {row.group}.", timeout=4)
        else:
            self.state.show_all.add(lower)
            self.notify(f"Showing everything in {row.group}; what azwizard did not create is marked ⚠ and never "
                        "selected for you.", timeout=6)
        self.reload()

    def action_filter(self) -> None:
        if not self._filters_ready:
            self._focus_filter = True  # focused as soon as mounted
            return
        self.query_one("#cleanup-filter-run", Select).focus()

    def action_refresh(self) -> None:
        self.reload()

    def action_back(self) -> None:
        focused = self.focused
        if focused is not None and focused.id in FILTER_IDS:
            self.query_one("#cleanup-table", DataTable).focus()
            return
        self.app.switch_mode("home")

    # ------------------------------------------------------------------ AKS power

    def _cluster(self) -> InventoryItem | None:
        row = self._current_row()
        if row is None or row.item is None or row.item.kind != CLUSTER:
            self.notify("Move to an AKS cluster to stop or start it.", timeout=4)
            return None
        if self._busy_cluster is not None:
            self.notify("A stop or start is still running; wait for it to finish.", timeout=4)
            return None
        return row.item

    def action_stop_cluster(self) -> None:
        item = self._cluster()
        if item is not None:
            self.app.push_screen(PowerConfirmScreen("stop", item),
                                 lambda ok: self._start_power(item, "stop", False) if ok else None)

    def action_start_cluster(self) -> None:
        item = self._cluster()
        if item is None:
            return
        too_soon = self._too_soon(item)
        # One confirmation: when azwizard stopped it less than 15 minutes ago, the dialog says so and y starts it
        # anyway (the engine refuses an early start unless told the user confirmed).
        self.app.push_screen(PowerConfirmScreen("start", item, too_soon=too_soon),
                             lambda ok: self._start_power(item, "start", bool(too_soon)) if ok else None)

    def _too_soon(self, item: InventoryItem) -> str:
        """Why starting now is early (stopped by azwizard less than 15 minutes ago, from its run's journal)."""
        if not item.run_id:
            return ""
        from azwizard.cleanup.power import last_stopped, wait_before_start
        from azwizard.journal import Journal

        try:
            left = wait_before_start(last_stopped(Journal(item.run_id, directory=self.state.journal_dir), item.id))
        except OSError:
            return ""
        if left is None:
            return ""
        minutes = max(1, int(left.total_seconds() // 60))
        return f"The cluster was stopped less than 15 minutes ago (wait about {minutes} more minute(s))"

    def _start_power(self, item: InventoryItem, action: str, allow_early: bool) -> None:
        session = azapp(self).session
        if session is None:
            return
        self._busy_cluster = item.key
        self._power_notes.pop(item.key, None)
        verb = "Stopping" if action == "stop" else "Starting"
        self.notify(f"{verb} {item.name}… (a few minutes in Azure)", timeout=5)
        table = self.query_one("#cleanup-table", DataTable)
        if item.key in table.rows:
            table.update_cell(item.key, "state", f"[cyan]{verb.lower()}…[/]")
        self._show_detail()
        self._power(session.factory, item, action, allow_early, self.state.journal_dir)

