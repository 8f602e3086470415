"""Deleting: the plan running, each resource's state live (deleting, retrying, verifying gone…), then the report
of what was deleted, what was not and why, and what was not attempted; r retries the rest."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..appref import azapp
from ..workers import WorkerDone, leaving, posts
from .state import cleanup_state
from .view import fates_text, item_label, kube_text, report_text

if TYPE_CHECKING:
    from pathlib import Path

    from azwizard.azure.clouds import Cloud
    from azwizard.azure.session import ClientFactory
    from azwizard.cleanup import DeleteEvent, DeletionPlan, DeletionResult, Inventory
    from azwizard.cleanup.kubetidy import KubeTidy

STATE_LABELS = {
    "waiting": "[dim]waiting[/dim]",
    "deleting": "[bold cyan]deleting…[/]",
    "retrying": "[yellow]retrying…[/]",
    "verifying": "[cyan]checking it is gone…[/]",
    "deleted": "[green]✓ deleted[/]",
    "failed": "[bold red]✖ not deleted[/]",
    "skipped": "[yellow]not attempted[/]",
    "cancelled": "[yellow]stopped watching[/]",
}
RUNNING = ("deleting", "retrying", "verifying")


def _key(resource_id: str) -> str:
    return resource_id.strip().rstrip("/").lower()


def _mmss(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60:02d}:{s % 60:02d}"


class Deleted(WorkerDone["DeletionResult"]):
    """The deletion's result, or why it stopped."""


class Replanned(WorkerDone["tuple[Inventory, DeletionPlan]"]):
    """What is left after a deletion, read and planned again (r), or why it could not be."""


@dataclass(frozen=True)
class Replan:
    """What a deletion left, planned again from a fresh read (r after a partial failure). The dry run that pushed
    the deletion shows it and, when something in it can be deleted, runs it: ``confirmed`` are the answers
    already typed for the first plan."""

    plan: DeletionPlan
    inventory: Inventory
    selection: list[str]
    whole: list[str]
    confirmed: list[str]


class DeleteScreen(Screen[Replan]):
    """The deletion running, then its report; dismissed with a Replan (r: retry the rest) or None (back to the
    inventory)."""

    BINDINGS = [
        Binding("x", "stop", "Stop watching", id="cleanup.run.stop"),
        Binding("r", "retry", "Retry the rest", id="cleanup.run.retry"),
        # priority: the table would take enter otherwise (it is active only once the run has finished)
        Binding("enter", "back", "Back to inventory", id="cleanup.run.back", priority=True),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, plan: DeletionPlan, inventory: Inventory, confirmed: list[str]) -> None:
        super().__init__()
        self.plan = plan
        self.inventory = inventory
        self.confirmed = list(confirmed)
        self.cancel = threading.Event()
        self.started = time.monotonic()
        self.result: DeletionResult | None = None
        self.kube_tidy: KubeTidy | None = None
        self.failure: str | None = None
        self.retrying = False
        self._retry_inputs: tuple[list[str], list[str]] = ([], [])
        self._states: dict[str, str] = {}
        self._began: dict[str, float] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        n = len(self.plan.ops)
        with_it = sum(len(op.with_it) for op in self.plan.ops)
        yield Header()
        with Vertical(id="cleanup-run"):
            yield Static(f"[b]Deleting {n} operation(s)[/b]" + (f" and {with_it} resource(s) that go with them"
                                                                 if with_it else ""), id="cleanup-run-title")
            yield Static("", id="cleanup-run-status")
            table: DataTable[str] = DataTable(id="cleanup-run-table", cursor_type="row")
            narrow = self.app.size.width < 100  # 80 columns: the state and time stay in view
            for label, width in (("Step", 4), ("Resource", 30 if narrow else 40), ("State", 20 if narrow else 22),
                                 ("Time", 5), ("Detail", 40)):
                table.add_column(label, key=label, width=width)
            for wave_no, wave in enumerate(self.plan.waves(), 1):
                for op in wave:
                    self._states[op.key] = "waiting"
                    table.add_row(str(wave_no), escape(op.label) + (" (whole group)" if op.whole_group else ""),
                                  STATE_LABELS["waiting"], "", "", key=op.key)
                    for c in op.with_it:
                        table.add_row("", f"  ↳ {escape(item_label(self.inventory, c.resource_id))}",
                                      "[dim]goes with it[/dim]",
                                      "", "", key=f"{op.key}>{_key(c.resource_id)}")
            for x in self.plan.blockers:
                table.add_row("–", escape(self._label(x.resource_id)), "[red]✖ blocked[/]", "",
                              escape(x.code), key=f"blocked:{_key(x.resource_id)}:{x.code}")
            for h in self.plan.held_back:
                table.add_row("–", escape(h.label), "[yellow]not now[/]", "", "waits for a blocked resource",
                              key=f"held:{_key(h.resource_id)}")
            yield table
            with VerticalScroll(id="cleanup-run-report-box"):
                yield Static("[dim]Each deletion is written to its run's journal before it is sent and after Azure's "
                             "answer; \"deleted\" means a GET afterwards answered 404.[/dim]", id="cleanup-run-report")
        yield Footer()

    def _label(self, resource_id: str) -> str:
        return item_label(self.inventory, resource_id)

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)
        self._tick()
        session = azapp(self).session
        if session is None:
            self.failure = "Not signed in to Azure: nothing was sent."
            self._show_failure()
            return
        state = cleanup_state(azapp(self))
        self._run(session.factory, state.journal_dir, dict(state.deleter_options))

    # ------------------------------------------------------------------ running

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-delete")
    @posts(Deleted)
    def _run(self, factory: ClientFactory, journal_dir: Path | None, options: dict[str, Any]) -> DeletionResult:
        from azwizard.cleanup import Deleter, JournalBook

        deleter = Deleter(factory, JournalBook(journal_dir),
                          on_event=lambda e: self.app.call_from_thread(self._on_event, e), cancel=self.cancel,
                          **options)
        result = deleter.run(self.plan, confirm_group_name=self.confirmed)
        self.kube_tidy = self._tidy(result)
        return result

    def _tidy(self, result: DeletionResult) -> KubeTidy | None:
        """A deleted cluster's kubeconfig entries go too (backup first); in the worker: file IO."""
        from azwizard.cleanup.kubetidy import tidy_kubeconfig
        from azwizard.kubeconfig import kubeconfig_target

        return tidy_kubeconfig(result.deleted, self.inventory, kubeconfig_target(azapp(self).demo))

    def _on_event(self, event: DeleteEvent) -> None:
        k = _key(event.resource_id)
        if k not in self._states:
            return
        self._states[k] = event.state
        if event.state in RUNNING:
            self._began.setdefault(k, time.monotonic())
        table = self.query_one("#cleanup-run-table", DataTable)
        table.update_cell(k, "State", STATE_LABELS.get(event.state, escape(event.state)))
        detail = event.message + (f" (attempt {event.attempt})" if event.attempt > 1 else "")
        if event.error is not None and event.error.code and event.error.code not in detail:
            detail += f" ({event.error.code})"
        table.update_cell(k, "Detail", escape(detail))
        if event.state not in RUNNING:
            table.update_cell(k, "Time", _mmss(event.elapsed))

    def _tick(self) -> None:
        if self.result is not None or self.failure is not None:
            return
        now = time.monotonic()
        running = [k for k, s in self._states.items() if s in RUNNING]
        table = self.query_one("#cleanup-run-table", DataTable)
        for k in running:
            table.update_cell(k, "Time", _mmss(now - self._began.get(k, self.started)))
        done = sum(1 for s in self._states.values() if s == "deleted")
        self.query_one("#cleanup-run-status", Static).update(
            f"{_mmss(now - self.started)} elapsed · {done} of {len(self._states)} done · {len(running)} running. "
            "Independent deletions run at the same time; each waits for what must go first.")

    @on(Deleted)
    def _deleted(self, message: Deleted) -> None:
        cleanup_state(azapp(self)).stale = True
        if message.error is None:
            self.result = message.result
            if not leaving(self):
                self._finished()
            return
        from azwizard.azure.errors import explain

        err = explain(message.error)
        self.failure = f"{err.what}. {err.fix}"
        if not leaving(self):
            self._show_failure()

    def _show_failure(self) -> None:
        self.query_one("#cleanup-run-status", Static).update(f"[b $error]✖[/] {escape(self.failure or '')}")
        self.refresh_bindings()

    def _finished(self) -> None:
        result = self.result
        assert result is not None
        table = self.query_one("#cleanup-run-table", DataTable)
        gone = {_key(r) for r in result.deleted}
        left = {_key(r): why for r, why in result.not_deleted}
        for op in self.plan.ops:
            for c in op.with_it:
                ck = _key(c.resource_id)
                if ck in gone:
                    table.update_cell(f"{op.key}>{ck}", "State", "[green]✓ went with it[/]")
                elif ck in left:
                    table.update_cell(f"{op.key}>{ck}", "State", "[bold red]✖ still there[/]")
                    table.update_cell(f"{op.key}>{ck}", "Detail", escape(left[ck]))
                elif self._states.get(op.key) != "deleted":
                    table.update_cell(f"{op.key}>{ck}", "State", "[yellow]not attempted[/]")
        status = self.query_one("#cleanup-run-status", Static)
        if result.ok:
            status.update(f"[b $success]Finished in {_mmss(result.elapsed)}.[/]")
        else:
            status.update(f"[b $warning]Finished in {_mmss(result.elapsed)}, not everything was deleted.[/] "
                          "The report below says why.")
        report = report_text(result.deleted, result.not_deleted, result.not_attempted, self.inventory,
                             _mmss(result.elapsed))
        extra = [t for t in (fates_text(self.plan, result.deleted),
                             kube_text(self.kube_tidy) if self.kube_tidy is not None else "") if t]
        if extra:  # before the last line, which says which key to press
            head, _, keys = report.rpartition("\n")
            report = "\n".join([head, *extra, keys])
        self.query_one("#cleanup-run-report", Static).update(report)
        self.refresh_bindings()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        finished = self.result is not None or self.failure is not None
        if action == "stop":
            return not finished
        if action == "retry":
            return self.result is not None and not self.result.ok
        if action == "back":
            return finished
        return True

    def action_stop(self) -> None:
        if self.result is None:
            self.cancel.set()
            self.query_one("#cleanup-run-status", Static).update(
                "[$warning]Stopped watching.[/] What was already sent may still finish in Azure; the journals keep it "
                "and a refresh shows what is left.")

    def action_back(self) -> None:
        if self.result is None and self.failure is None:
            return
        self.dismiss(None)

    def action_retry(self) -> None:
        """Plan what is left again from a fresh read, and run it (what is blocked stays blocked)."""
        result = self.result
        session = azapp(self).session
        if result is None or result.ok or self.retrying or session is None:
            return
        self.retrying = True
        self.query_one("#cleanup-run-status", Static).update("[dim]Reading what is left and planning it again…[/dim]")
        state = cleanup_state(azapp(self))
        retry = {_key(r) for r in result.retry_ids()}
        whole = [op.name for op in self.plan.ops if op.whole_group and op.key in retry]
        # backup data is not selected by id: the vault's backup_data answer plans it again
        ids = [r for r in result.retry_ids() if _key(r) not in {op.key for op in self.plan.ops if op.whole_group}
               and "/backupfabrics/" not in _key(r)]
        self._retry_inputs = (ids, whole)
        self._replan(session.factory, state.journal_dir, sorted(state.show_all), ids, whole,
                     dict(state.backup_data), session.cloud)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-retry")
    @posts(Replanned)
    def _replan(self, factory: ClientFactory, journal_dir: Path | None, show_all: list[str], ids: list[str],
                whole: list[str], backup_data: dict[str, bool], cloud: Cloud | None = None,
                ) -> tuple[Inventory, DeletionPlan]:
        from azwizard.cleanup import build_inventory, plan_deletion

        inventory = build_inventory(factory, journal_dir=journal_dir, include_untagged_in_groups=show_all,
                                    cloud=cloud)
        return inventory, plan_deletion(inventory, ids, whole_groups=whole, backup_data=backup_data)

    @on(Replanned)
    def _replanned(self, message: Replanned) -> None:
        if leaving(self):
            return  # already going (its dismiss would pop another screen)
        if message.result is not None:
            inventory, plan = message.result
            cleanup_state(azapp(self)).set_inventory(inventory)
            ids, whole = self._retry_inputs
            self.dismiss(Replan(plan, inventory, ids, whole, self.confirmed))
        elif message.error is not None:
            from azwizard.azure.errors import explain

            self.retrying = False
            err = explain(message.error)
            self.query_one("#cleanup-run-status", Static).update(
                f"[b $error]Could not plan the retry:[/] {escape(err.what)} {escape(err.fix)}")
