"""Review and create: the last steps of every journey (VM, AKS). A journey supplies make_plan(sub) and
done_screen(plan, result)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static, TabbedContent, TabPane, TextArea
from textual.widgets.option_list import Option

from .wizard import ICONS, WizardFlow, WizardStep

if TYPE_CHECKING:
    from azwizard.plan.model import Plan
    from azwizard.run.executor import RunResult, StepEvent

    from .wizard import Journey


def plan_for(journey: Journey[Any], app: Any) -> Plan:
    """The plan for the current spec, with a run id kept for the journey until it is created."""
    from azwizard.specs.common import new_run_id

    if getattr(journey, "run_id", None) is None:
        journey.run_id = new_run_id()  # type: ignore[attr-defined]
        journey.created_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())  # type: ignore[attr-defined]
    sub = app.session.subscription_id if app.session is not None else "00000000-0000-0000-0000-000000000000"
    return journey.make_plan(sub)  # type: ignore[attr-defined,no-any-return]


class ReviewStep(WizardStep[Any]):
    STEP_TITLE = "Review"
    INTRO = ("Everything the checks found, the exact resources that will be created, and the equivalent "
             "[b]az[/b] script and ARM template. Nothing has been sent to Azure yet. Select a finding to jump "
             "to its field.")
    FIELDS = ()
    HELP_EXCLUDE = ("next",)  # the last step: Create (c) is the way on
    INITIAL_FOCUS = "#review-findings"
    BINDINGS = [
        Binding("c", "create", "Create", id="review.create"),
        Binding("s", "save_script", "Save az script", id="review.save_script"),
        Binding("t", "save_template", "Save ARM template", id="review.save_template"),
        Binding("escape", "back", "Back", id="wizard.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="wizard"):
            yield self.step_nav()
            with Vertical(classes="wizard-main review"):
                yield Static(f"[b]{self.STEP_TITLE}[/b]", classes="wizard-title")
                yield Static(self.INTRO, classes="wizard-intro")
                yield Static("", id="review-verdict")
                yield OptionList(id="review-findings")
                with TabbedContent(id="review-tabs"):
                    with TabPane("Resources", id="tab-resources"):
                        yield VerticalScroll(Static("", id="review-resources"))
                    with TabPane("az script", id="tab-az"):
                        yield TextArea("", id="review-az", read_only=True, soft_wrap=False)
                    with TabPane("ARM template", id="tab-arm"):
                        yield TextArea("", id="review-arm", read_only=True, soft_wrap=False, language="json")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "next"  # the review is the last step: Create (c) is the way on

    def _show_findings(self) -> None:  # the frame's findings panel is replaced by the list here
        self.refresh_form()
        self._show_blocked_steps()

    def refresh_form(self) -> None:
        if not self.is_mounted:
            return
        journey = self.journey
        findings = journey.findings
        blocking = [f for f in findings if f.severity == "block"]
        verdict = self.query_one("#review-verdict", Static)
        if blocking:
            verdict.update(f"[b $error]{len(blocking)} blocking finding(s)[/]: Create is disabled until they are "
                           "fixed. Select one to jump to its field.")
        else:
            warns = sum(1 for f in findings if f.severity == "warn")
            read = {0: "No warnings.", 1: "1 warning to read first."}.get(warns, f"{warns} warnings to read first.")
            verdict.update(f"[b $success]Ready to create.[/] {read} Press [b]c[/b] to create.")
        options = self.query_one("#review-findings", OptionList)
        options.clear_options()
        for i, f in enumerate(findings):
            options.add_option(Option(f"{ICONS[f.severity]} {escape(f.message)}\n   [dim]{f.rule_id} · "
                                      f"{escape(f.source)}[/dim]", id=str(i)))
        if not findings:
            options.add_option(Option("[$success]✓[/] No findings: every check passed.", id="none", disabled=True))
        else:
            options.highlighted = 0
        plan = plan_for(journey, self.app)
        lines = []
        for step in plan.topological():
            lines.append(f"[b]{escape(step.label)}[/b]  [dim]{escape(step.kind)}[/dim]")
            for k, v in step.summary:
                lines.append(f"    {escape(k)}: {escape(v)}")
        from azwizard.cleanup.costs import PRICES_AS_OF, PRICES_REGION, estimate_plan_steps

        cost = estimate_plan_steps(plan.steps)
        lines.append(f"\n[b]Estimated cost while it exists:[/b] {escape(cost.describe())} "
                     f"[dim](list prices, {PRICES_REGION}, {PRICES_AS_OF}; traffic not included)[/dim]")
        lines.append(f"[dim]Every resource is tagged created-by=azwizard and azwizard-run={plan.run_id}.[/dim]")
        self.query_one("#review-resources", Static).update("\n".join(lines))
        from azwizard.plan.export_arm import arm_template_json
        from azwizard.plan.export_az import az_script

        self.query_one("#review-az", TextArea).text = az_script(plan)
        self.query_one("#review-arm", TextArea).text = arm_template_json(plan)

    @on(OptionList.OptionSelected, "#review-findings")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in (None, "none"):
            return
        finding = self.journey.findings[int(event.option.id)]
        target = self.flow.step_for_field(finding.field)
        if target is None:
            self.notify(finding.message, timeout=6)
            return
        self.jump_to(target, finding.field)

    def jump_to(self, target: type[WizardStep[Any]], field: str) -> None:
        stack = self.app.screen_stack
        if not any(isinstance(s, target) for s in stack):
            return
        while not isinstance(self.app.screen, target):
            self.app.pop_screen()
        screen = self.app.screen
        if isinstance(screen, WizardStep):
            screen.call_after_refresh(screen.focus_field, field)

    def action_create(self) -> None:
        if self.journey.blocking:
            self.notify("Fix the blocking findings first (select one to jump to its field).", severity="error")
            return
        app: Any = self.app
        if app.session is None:
            self.notify("Not signed in to Azure.", severity="error")
            return
        self.app.push_screen(CreateScreen(self.journey, self.flow, plan_for(self.journey, self.app)))

    def _save(self, suffix: str, text: str) -> None:
        plan = plan_for(self.journey, self.app)
        path = Path.cwd() / f"azwizard-{plan.journey}-{plan.run_id}{suffix}"
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.notify(f"Could not save {path}: {exc}", severity="error")
            return
        self.notify(f"Saved {path}", timeout=6)

    def action_save_script(self) -> None:
        self._save(".sh", self.query_one("#review-az", TextArea).text)

    def action_save_template(self) -> None:
        self._save(".json", self.query_one("#review-arm", TextArea).text)


class CreateScreen(Screen[None]):
    """The plan running: each resource's state live, elapsed time, journal; retry or clean up on failure."""

    BINDINGS = [
        Binding("x", "stop", "Stop watching", id="create.stop"),
        Binding("r", "retry", "Retry", id="create.retry", show=False),
        Binding("enter", "done", "Continue", id="create.done", show=False),
        Binding("l", "cleanup", "Clean up this run", id="create.cleanup", show=False),
    ]

    def __init__(self, journey: Journey[Any], flow: WizardFlow, plan: Plan) -> None:
        super().__init__()
        self.journey = journey
        self.flow = flow
        self.plan = plan
        self.started = time.monotonic()
        self.result: RunResult | None = None
        self.events: list[StepEvent] = []
        import threading

        self.cancel = threading.Event()

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
            table: DataTable[str] = DataTable(id="create-table", cursor_type="row")
            for label, width in (("Resource", 36), ("State", 18), ("Time", 6), ("Detail", 44)):
                table.add_column(label, key=label, width=width)
            for step in self.plan.topological():
                table.add_row(step.label, "waiting", "", "", key=step.key)
            yield table
            yield Static(f"[dim]Journal: {journal_dir() / (self.plan.run_id + '.jsonl')} — it records each resource "
                         "before its request and after Azure's answer.[/dim]", id="create-journal")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)
        self.run_plan()

    def _tick(self) -> None:
        status = self.query_one("#create-status", Static)
        elapsed = time.monotonic() - self.started
        if self.result is None:
            running = [e.label for e in self._latest().values() if e.state == "running"]
            status.update(f"{_mmss(elapsed)} elapsed · now: {escape(', '.join(running) or 'starting…')}")
        table = self.query_one("#create-table", DataTable)
        for key, ev in self._latest().items():
            if ev.state == "running":
                table.update_cell(key, "Time", _mmss(time.monotonic() - self._started_at.get(key, self.started)))

    def _latest(self) -> dict[str, StepEvent]:
        out: dict[str, StepEvent] = {}
        for e in self.events:
            out[e.key] = e
        return out

    _started_at: dict[str, float] = {}

    @work(thread=True, exclusive=True, exit_on_error=False, group="run")
    def run_plan(self) -> RunResult:
        from azwizard.journal import Journal
        from azwizard.run.executor import Runner

        app: Any = self.app
        journal = Journal(self.plan.run_id, self.plan.journey)
        runner = Runner(app.session.factory, journal, cancel=self.cancel,
                        on_event=lambda e: self.app.call_from_thread(self._on_event, e))
        return runner.run(self.plan)

    def _on_event(self, event: StepEvent) -> None:
        self.events.append(event)
        if event.state == "running" and event.key not in self._started_at:
            self._started_at = {**self._started_at, event.key: time.monotonic()}
        table = self.query_one("#create-table", DataTable)
        # DataTable cells take Rich markup (ANSI colour names follow the terminal's palette)
        label = {"running": "[bold cyan]creating…[/]", "succeeded": "[green]✓ created[/]",
                 "existing": "[green]✓ exists[/]", "failed": "[bold red]✖ failed[/]",
                 "skipped": "[dim]not started[/dim]", "cancelled": "[yellow]stopped watching[/]"}[event.state]
        table.update_cell(event.key, "State", label)
        if event.state != "running":
            table.update_cell(event.key, "Time", _mmss(event.elapsed) if event.elapsed else "")
        detail = event.message if event.state != "succeeded" else _detail(event.outputs)
        table.update_cell(event.key, "Detail", escape(detail or ""))

    def on_worker_state_changed(self, event: Any) -> None:
        if event.worker.group != "run":
            return
        from textual.worker import WorkerState

        if event.state == WorkerState.SUCCESS:
            self.result = event.worker.result
            self._finished()
        elif event.state == WorkerState.ERROR:
            from azwizard.azure.errors import explain

            err = explain(event.worker.error)
            self.query_one("#create-status", Static).update(f"[b $error]{escape(err.what)}[/] {escape(err.fix)}")

    def _finished(self) -> None:
        result = self.result
        assert result is not None
        status = self.query_one("#create-status", Static)
        if result.ok:
            status.update(f"[b $success]All {len(self.plan.steps)} resources created[/] in {_mmss(result.elapsed)}. "
                          "Press [b]enter[/b] to continue.")
            self._show_keys(done=True)
            self.app.push_screen(self.journey.done_screen(self.plan, result))  # type: ignore[attr-defined]
            return
        lines = [f"[b $error]{len(result.failed)} resource(s) failed[/] after {_mmss(result.elapsed)}:"]
        for key, err in result.errors.items():
            lines.append(f"  {escape(self.plan.step(key).label)}: {escape(err.what)}"
                         + (f" [dim]({escape(err.code)})[/dim]" if err.code else ""))
            if err.fix:
                lines.append(f"    [b]What to do:[/b] {escape(err.fix)}")
        lines.append("Press [b]r[/b] to retry (what exists is kept and not sent again) or [b]l[/b] to clean up "
                     "what this run made.")
        status.update("\n".join(lines))
        self._show_keys(done=False)

    def _show_keys(self, *, done: bool) -> None:
        self._bindings.bind("r", "retry", "Retry", show=not done)
        self._bindings.bind("l", "cleanup", "Clean up this run", show=not done)
        self._bindings.bind("enter", "done", "Continue", show=done)
        self.refresh_bindings()

    def action_stop(self) -> None:
        if self.result is None:
            self.cancel.set()
            self.query_one("#create-status", Static).update(
                "[$warning]Stopped watching.[/] Operations already sent go on in Azure; the journal keeps them so "
                "cleanup can find them.")

    def action_retry(self) -> None:
        if self.result is not None and not self.result.ok:
            self.app.pop_screen()
            self.app.push_screen(CreateScreen(self.journey, self.flow, self.plan))

    def action_cleanup(self) -> None:
        self.app.switch_mode("cleanup")

    def action_done(self) -> None:
        if self.result is not None and self.result.ok:
            self.app.push_screen(self.journey.done_screen(self.plan, self.result))  # type: ignore[attr-defined]


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
