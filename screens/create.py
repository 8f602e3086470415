"""Create: the plan running, each resource's state live, and never a dead end when it goes wrong.

After a failure (or after "stop watching") the screen offers: **back to edit** (the step and field the error
names, when it names one; else the review), **retry what failed** (the journal and a read-back of each resource
decide: what exists is not sent again, what Azure is still creating is watched, not re-sent), and **leave** (home;
the run stays in the journal, so cleanup lists it). ``ctrl+q`` while resources are being created asks first."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from azwizard.screens.text import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from .appref import azapp
from .footer import WrapFooter
from .workers import WorkerDone, leaving, posts

if TYPE_CHECKING:
    from azwizard.plan.model import Plan
    from azwizard.run.executor import RunResult, StepEvent

    from .wizard import Journey, WizardFlow, WizardStep


class RunFinished(WorkerDone["RunResult"]):
    """The run's result, or why it could not go on."""


@dataclass(frozen=True)
class CreateOutcome:
    """How the user went on from a create that stopped short; the screen that pushed the create (the review)
    acts on it: ``edit`` goes to ``step`` and ``field`` (the ones the error names; None: the review itself),
    ``retry`` runs the same plan again, ``leave`` goes home, ``cleanup`` to the cleanup screen."""

    way: Literal["edit", "retry", "leave", "cleanup"]
    step: type[WizardStep[Any]] | None = None
    field: str = ""


class CreateScreen(Screen[CreateOutcome]):
    """The plan running: each resource's state live, elapsed time, journal; edit, retry or leave on failure
    (dismissed with a CreateOutcome: the review, beneath, goes on from there)."""

    # Which keys work depends on the run (check_action): x stops watching while it runs and leaves after it
    # stopped; e/esc, r and l only once it stopped short; enter once everything exists.
    BINDINGS = [
        Binding("x", "stop", "Stop watching", id="create.stop"),
        Binding("e", "edit", "Back to edit", id="create.edit"),
        Binding("r", "retry", "Retry what is left", id="create.retry"),
        Binding("x", "leave", "Leave", id="create.leave"),
        Binding("l", "cleanup", "Clean up this run", id="create.cleanup"),
        Binding("enter", "done", "Continue", id="create.done"),
        Binding("escape", "edit", "Back to edit", id="create.back", show=False),
        Binding("ctrl+q", "quit", "Quit", id="create.quit", show=False, priority=True),
    ]

    def __init__(self, journey: Journey[Any], flow: WizardFlow, plan: Plan) -> None:
        super().__init__()
        self.journey = journey
        self.flow = flow
        self.plan = plan
        self.started = time.monotonic()
        self.result: RunResult | None = None
        self.events: list[StepEvent] = []
        self.cancel = threading.Event()
        self._started_at: dict[str, float] = {}
        self.errored = False  # the run itself could not go on (not one resource's failure)

    def compose(self) -> ComposeResult:
        from azwizard.paths import journal_dir

        yield Header()
        with Vertical(id="create"):
            yield Static(f"[b]Creating {len(self.plan.steps)} resources[/b] · run {self.plan.run_id}",
                         id="create-title")
            hint = getattr(self.journey, "create_hint", "")
            if hint:
                yield Static(f"[dim]{escape(hint)}[/dim]", id="create-hint")
            yield Static("", id="create-status")
            table: DataTable[Any] = DataTable(id="create-table", cursor_type="row")
            for label, width in column_widths(self.app.size.width):
                table.add_column(label, key=label, width=width)
            for step in self.plan.topological():
                table.add_row(cut(step.label), "waiting", "", "", key=step.key)
            yield table
            yield Static(f"[dim]Journal: {journal_dir() / (self.plan.run_id + '.jsonl')} — it records each resource "
                         "before its request and after Azure's answer.[/dim]", id="create-journal")
        yield WrapFooter()

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)
        self.run_plan()

    # ------------------------------------------------------------------ while it runs

    @property
    def running(self) -> bool:
        return self.result is None and not self.errored

    @property
    def stopped_short(self) -> bool:
        """The run ended without everything created: failed, stopped watching, or could not go on."""
        return self.errored or (self.result is not None and not self.result.ok)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.running
        if action in ("edit", "retry", "leave", "cleanup"):
            return self.stopped_short
        if action == "done":
            return self.result is not None and self.result.ok
        return True

    def _tick(self) -> None:
        status = self.query_one("#create-status", Static)
        elapsed = time.monotonic() - self.started
        if self.result is None:
            running = [e.label for e in self._latest().values() if e.state == "running"]
            stopping = " · stopping: waiting for the current requests to be answered" if self.cancel.is_set() else ""
            status.update(f"{_mmss(elapsed)} elapsed · now: {escape(', '.join(running) or 'starting…')}{stopping}")
        table = self.query_one("#create-table", DataTable)
        for key, ev in self._latest().items():
            if ev.state == "running":
                table.update_cell(key, "Time", _mmss(time.monotonic() - self._started_at.get(key, self.started)))

    def _latest(self) -> dict[str, StepEvent]:
        out: dict[str, StepEvent] = {}
        for e in self.events:
            out[e.key] = e
        return out

    @work(thread=True, exclusive=True, exit_on_error=False, group="run")
    @posts(RunFinished)
    def run_plan(self) -> RunResult:
        from azwizard.journal import Journal
        from azwizard.run.executor import Runner

        session = azapp(self).session
        if session is None:  # the review offers Create only when signed in
            raise RuntimeError("not signed in: nothing can be created")
        journal = Journal(self.plan.run_id, self.plan.journey)
        runner = Runner(session.factory, journal, cancel=self.cancel,
                        on_event=lambda e: self.app.call_from_thread(self._on_event, e))
        attempt = self.journey.begin_attempt()
        attempt.plan = self.plan  # the plan the review showed; its diff says what exists (plan/diff.py)
        result = runner.run_attempt(attempt)
        if result.ok:  # who made the group, for the done screen's "when you are done" (issue 19 item 7)
            from azwizard.run.origin import group_owner

            self.journey.group_owner = group_owner(session.factory, self.plan)
        return result

    def _on_event(self, event: StepEvent) -> None:
        self.events.append(event)
        if event.state == "running" and event.key not in self._started_at:
            self._started_at[event.key] = time.monotonic()
        table = self.query_one("#create-table", DataTable)
        # DataTable cells take Rich markup (ANSI colour names follow the terminal's palette)
        label = {"running": "[bold cyan]creating…[/]", "succeeded": "[green]✓ created[/]",
                 "existing": "[green]✓ exists[/]", "failed": "[bold red]✖ failed[/]",
                 "skipped": "[dim]not started[/dim]", "cancelled": "[yellow]stopped watching[/]"}[event.state]
        table.update_cell(event.key, "State", label)
        if event.state != "running":
            table.update_cell(event.key, "Time", _mmss(event.elapsed) if event.elapsed else "")
        detail = event.message if event.state != "succeeded" else _detail(event.outputs)
        table.update_cell(event.key, "Detail", cut(detail or ""))

    @on(RunFinished)
    def _run_finished(self, message: RunFinished) -> None:
        if message.error is None:
            self.result = message.result
            if not leaving(self):
                self._finished()
            return
        from azwizard.azure.errors import explain

        err = explain(message.error)
        self.errored = True
        if leaving(self):
            return
        self.query_one("#create-status", Static).update(
            f"[b $error]{escape(err.what)}[/] {escape(err.fix)}\nPress [b]e[/b] to go back to the review, "
            "[b]r[/b] to try again or [b]x[/b] to leave (cleanup knows this run).")
        self.refresh_bindings()

    # ------------------------------------------------------------------ the outcome

    def _finished(self) -> None:
        result = self.result
        assert result is not None
        status = self.query_one("#create-status", Static)
        if result.ok:
            status.update(f"[b $success]All {len(self.plan.steps)} resources created[/] in {_mmss(result.elapsed)}. "
                          "Press [b]enter[/b] to continue.")
            self.refresh_bindings()
            self.app.push_screen(self.journey.done_screen(self.plan, result))  # type: ignore[attr-defined]
            return
        status.update(outcome_text(self.plan, result, self._edit_target_label()))
        self.refresh_bindings()

    def _failure_field(self) -> tuple[type[WizardStep[Any]] | None, str]:
        """The step and field the first failure's error names (None, "" when it names none)."""
        from azwizard.run.failure_fields import field_for_failure

        result = self.result
        if result is None:
            return None, ""
        for key in result.failed:
            err = result.errors.get(key)
            if err is None:
                continue
            field = field_for_failure(self.plan.journey, key, err.code, result.targets.get(key, ""), err.what)
            step = self.flow.step_for_field(field) if field else None
            if step is not None and field:
                return step, field
        return None, ""

    def _edit_target_label(self) -> str:
        step, field = self._failure_field()
        return f"{step.STEP_TITLE} › {field}" if step is not None else "the review"

    # ------------------------------------------------------------------ actions

    def action_stop(self) -> None:
        if self.result is None:
            self.cancel.set()
            self.query_one("#create-status", Static).update(
                "[$warning]Stopping: waiting for the current requests to be answered.[/] Operations already sent "
                "go on in Azure; the journal keeps them so a retry watches them and cleanup can find them.")

    def action_leave(self) -> None:
        """Home; the draft and the run are kept (the journal lists the run in cleanup, and the journey opens on
        its review again rather than on this finished screen)."""
        self.dismiss(CreateOutcome("leave"))

    def action_edit(self) -> None:
        step, field = self._failure_field()
        self.dismiss(CreateOutcome("edit", step, field))

    def action_retry(self) -> None:
        self.dismiss(CreateOutcome("retry"))

    def action_cleanup(self) -> None:
        self.dismiss(CreateOutcome("cleanup"))  # the journey reopens on its review, not on this finished screen

    def action_done(self) -> None:
        if self.result is not None and self.result.ok:
            self.app.push_screen(self.journey.done_screen(self.plan, self.result))  # type: ignore[attr-defined]

    def action_quit(self) -> None:
        if not self.running:
            self.app.exit()
            return
        from .confirm import YesNoScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.cancel.set()
                self.app.exit()

        self.app.push_screen(YesNoScreen(
            "Quit while resources are being created?",
            "Azure goes on creating what was already sent; azwizard stops watching it. The journal keeps this run, "
            "so cleanup (or a retry of the same plan) finds everything it made.", yes="Quit", no="Keep watching"),
            answered)


def outcome_text(plan: Plan, result: RunResult, edit_target: str) -> str:
    """What happened, in words: what failed and what to do, what Azure is still creating, what never started, and
    the ways on (never "0 failed" after a stop)."""
    lines = []
    if result.failed:
        lines.append(f"[b $error]{len(result.failed)} resource(s) failed[/] after {_mmss(result.elapsed)}:")
        for key in result.failed:
            err = result.errors.get(key)
            if err is None:
                continue
            lines.append(f"  {escape(plan.step(key).label)}: {escape(err.what)}"
                         + (f" [dim]({escape(err.code)})[/dim]" if err.code else ""))
            if err.fix:
                lines.append(f"    [b]What to do:[/b] {escape(err.fix)}")
    else:
        lines.append(f"[b $warning]Stopped watching[/] after {_mmss(result.elapsed)}.")
    if result.in_flight:
        labels = ", ".join(plan.step(k).label for k in result.in_flight)
        lines.append(f"Still being created in Azure: {escape(labels)} (Azure goes on with it; a retry watches it "
                     "and does not send it again).")
    if result.not_started:
        lines.append(f"Not started: {len(result.not_started)} resource(s) that need the ones above.")
    keys = []
    if result.failed:
        keys.append(f"[b]e[/b] back to edit ({escape(edit_target)})")
        keys.append("[b]r[/b] retry only what failed or did not start (what exists is not sent again)")
    else:
        keys.append("[b]r[/b] watch again and create the rest (nothing is sent twice)")
        keys.append("[b]e[/b] back to the review")
    keys.append("[b]x[/b] leave (the run stays in cleanup)")
    keys.append("[b]l[/b] clean up what this run made")
    lines.append("Keys: " + "; ".join(keys) + ".")
    return "\n".join(lines)


def column_widths(screen_width: int) -> list[tuple[str, int]]:
    """The progress table's columns, all inside the screen (80 columns too): nothing is cut at the screen's edge,
    where an address would lose its last digits and look like another valid one (issue 19 item 12)."""
    room = max(screen_width - 6 - 8, 50)  # the screen's padding and scrollbar, one space each side of each cell
    resource = min(36, max(20, room * 35 // 100))
    state, time_ = 16, 5  # "stopped watching", "00:00"
    return [("Resource", resource), ("State", state), ("Time", time_), ("Detail", room - resource - state - time_)]


def cut(text: str) -> Text:
    """A cell that ends in "…" when it does not fit, so a cut value never looks like a whole one."""
    return Text(text, no_wrap=True, overflow="ellipsis")


def _mmss(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60:02d}:{s % 60:02d}"


def _detail(outputs: dict[str, Any]) -> str:
    if outputs.get("ipAddress"):
        return str(outputs["ipAddress"])
    if outputs.get("fqdn"):
        return str(outputs["fqdn"])
    ips = [ip for ip in outputs.get("privateIPs", []) if ip]
    return ", ".join(ips)
