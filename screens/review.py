"""Review: the last step of every journey (VM, AKS), before the create screen (create.py). A journey supplies
make_plan(sub) and done_screen(plan, result)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from .appref import azapp
from .create import CreateOutcome, CreateScreen
from .fields import TextArea
from .footer import WrapFooter
from .plan_diff import AdoptScreen, ConfirmUpdatesScreen, PlanDiffView, counts_line
from .wizard import ICONS, StepNav, WizardStep
from .workers import WorkerDone, leaving, posts

if TYPE_CHECKING:
    from azwizard.plan.diff import PlanDiff
    from azwizard.plan.model import Plan
    from azwizard.rules.model import Finding

    from .app import AzWizardApp
    from .wizard import Journey


def cost_lines(plan: Plan, book: Any, simulated: bool = False) -> list[str]:
    """The review's estimate: each resource's figure per month, the total, and the prices' region, currency
    and date (or the marked fallback) — the same figures as ``vm plan`` / ``aks plan``."""
    from azwizard.cleanup.costs import estimate_plan_resources, estimate_plan_steps
    from azwizard.pricing import price_book
    from azwizard.pricing.estimate import monthly_text

    if book is None or book.region != plan.location.lower():
        # the region's cached prices, else the marked table
        book = price_book(plan.location, offline=True, simulated=simulated)
    lines = ["\n[b]Estimated cost while it exists[/b] (per month):"]
    for kind, name, cost in estimate_plan_resources(plan.steps, book):
        lines.append(f"    {escape(name)}: [b]{escape(monthly_text(cost))}[/b] [dim]{escape(kind.split('/')[-1])}[/dim]")
    total = estimate_plan_steps(plan.steps, book)
    lines.append(f"    [b]Total: {escape(monthly_text(total))}/month[/b] — {escape(total.describe())}")
    style = "b $warning" if book.is_fallback else "dim"
    lines.append(f"    [{style}]{escape(book.label())}; traffic not included[/]")
    return lines


def plan_for(journey: Journey[Any], app: AzWizardApp) -> Plan:
    """The plan for the current spec, with the journey's attempt (its run id) kept until it is created."""
    attempt = journey.begin_attempt()
    sub = app.session.subscription_id if app.session is not None else "00000000-0000-0000-0000-000000000000"
    attempt.plan = journey.make_plan(sub)  # type: ignore[attr-defined]
    return attempt.plan


class ExistingRead(WorkerDone["tuple[str, PlanDiff, Any]"]):
    """What each PUT would do (for the plan whose key it carries), and the locks read again with it."""


class ReviewStep(WizardStep[Any]):
    STEP_TITLE = "Review"
    INTRO = ("Everything the checks found, what each request would do to what already exists, the exact "
             "resources, and the equivalent [b]az[/b] script and ARM template. Nothing has been sent to Azure yet. "
             "Select a finding to jump to its field.")
    FIELDS = ()
    HELP_EXCLUDE = ("next",)  # the last step: Create (c) is the way on
    INITIAL_FOCUS = "#review-findings"
    BINDINGS = [
        Binding("c", "create", "Create", id="review.create"),
        Binding("s", "save_script", "Save az script", id="review.save_script"),
        Binding("t", "save_template", "Save ARM template", id="review.save_template"),
        Binding("p", "save_profile", "Save profile", id="review.save_profile"),
        Binding("a", "adopt", "Adopt…", id="review.adopt"),
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
                    with TabPane("Changes", id="tab-changes"):
                        yield VerticalScroll(PlanDiffView("", id="review-diff"))
                    with TabPane("Resources", id="tab-resources"):
                        yield VerticalScroll(Static("", id="review-resources"))
                    with TabPane("az script", id="tab-az"):
                        yield TextArea("", id="review-az", read_only=True, soft_wrap=False)
                    with TabPane("ARM template", id="tab-arm"):
                        yield TextArea("", id="review-arm", read_only=True, soft_wrap=False, language="json")
        yield WrapFooter()

    # What each PUT would do (azwizard/plan/diff.py), read in a thread worker whenever the plan changes.
    diff: PlanDiff | None = None
    _diff_key = ""
    _diff_error = ""
    _shown: list[Finding] = []

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()

    def on_screen_resume(self) -> None:
        self._diff_key = ""  # back from creating (or a dialog): what exists may have changed; read it again
        super().on_screen_resume()

    def _read_if_changed(self, plan: Plan) -> None:
        import json

        app = azapp(self)
        adopt = tuple(sorted(self.journey.attempt.adopt if self.journey.attempt is not None else ()))
        key = json.dumps([[s.resource_id, s.body] for s in plan.steps], sort_keys=True, default=str) + repr(adopt)
        if app.session is None or key == self._diff_key:
            return
        self._diff_key = key
        self.diff = None
        self._diff_error = ""
        self.query_one("#review-diff", PlanDiffView).show(None, reading=True)
        self.read_existing(plan, adopt, key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-read")
    @posts(ExistingRead)
    def read_existing(self, plan: Plan, adopt: tuple[str, ...], key: str) -> tuple[str, PlanDiff, Any]:
        from azwizard.run.preflight import read_plan

        session = azapp(self).session
        if session is None:  # _read_if_changed reads only when signed in
            raise RuntimeError("not signed in: nothing can be read from Azure")
        return key, read_plan(session.factory, plan, adopt=adopt), self._read_locks()

    def _read_locks(self) -> Any:
        """The locks again, each time what exists is read (a lock added since Basics, or the one a failed
        create met, is a blocking finding here before Create: issue 19 item 3). None: not read."""
        catalog = getattr(self.journey, "catalog", None)
        if catalog is None:
            return None
        try:
            return catalog.locks(refresh=True)
        except Exception:
            return None

    @on(ExistingRead)
    def _existing_read(self, message: ExistingRead) -> None:
        if message.result is not None:
            key, diff, locks = message.result
            sub = self.journey.subscription_facts
            if locks is not None and sub is not None and locks != sub.locks:
                import dataclasses

                self.journey.subscription_facts = dataclasses.replace(sub, locks=locks)
            if key == self._diff_key:
                self.diff = diff
                if self.journey.attempt is not None:
                    self.journey.attempt.diff = diff
            self.journey.recheck()  # the findings with the locks just read; redraws this review too
        elif message.error is not None:
            from azwizard.azure.errors import explain

            self._diff_error = explain(message.error).what
            if not leaving(self):  # else it reads again when shown again
                self.refresh_form()

    def _review_findings(self) -> list[Finding]:
        """The rules' findings, and the diff's: a conflict or an unreadable resource blocks; an update is a
        warning here (Create asks to confirm it)."""
        from azwizard.rules.model import SEVERITY_ORDER
        from azwizard.run.preflight import diff_findings, superseded

        if self.diff is None:
            return list(self.journey.findings)
        found = [*superseded(list(self.journey.findings), self.diff),
                 *diff_findings(self.diff, self.journey.journey_id, allow_update=True)]
        return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])  # blocking first (issue 19 item 6)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "next"  # the review is the last step: Create (c) is the way on

    def _show_findings(self) -> None:  # the frame's findings panel is replaced by the list here
        self.refresh_form()
        self._show_blocked_steps()

    def _show_blocked_steps(self) -> None:
        """The step list marks ✖ the steps of the review's blocking findings, a conflict with what exists too."""
        for nav in self.query(StepNav):
            nav.show_blocked(self.flow.blocked_steps(self.journey, self._shown))

    def refresh_form(self) -> None:
        if not self.is_mounted:
            return
        journey = self.journey
        plan = plan_for(journey, azapp(self))
        self._read_if_changed(plan)
        findings = self._shown = self._review_findings()
        blocking = [f for f in findings if f.severity == "block"]
        if blocking:
            text = (f"[b $error]{len(blocking)} blocking finding(s)[/]: Create is disabled until they are fixed. "
                    "Select one to jump to its field.")
        else:
            warns = sum(1 for f in findings if f.severity == "warn")
            read = {0: "No warnings.", 1: "1 warning to read first."}.get(warns, f"{warns} warnings to read first.")
            text = f"[b $success]Ready to create.[/] {read} Press [b]c[/b] to create."
        app = azapp(self)
        if app.session is not None:
            text += "\n" + counts_line(self.diff, reading=self.diff is None and not self._diff_error,
                                       error=self._diff_error)
        resumed = journey.attempt.resumed if journey.attempt is not None else ""
        if resumed:
            text += (f"\n[b]Continuing interrupted run {escape(resumed)}[/b]: what it made is kept; "
                     "operations still in flight are polled, not sent again.")
        self.query_one("#review-verdict", Static).update(text)
        diff_view = self.query_one("#review-diff", PlanDiffView)
        if app.session is None:
            diff_view.update("[dim]Not signed in: nothing was read from Azure yet.[/dim]")
        else:
            diff_view.show(self.diff, reading=self.diff is None and not self._diff_error, error=self._diff_error)
        options = self.query_one("#review-findings", OptionList)
        options.clear_options()
        for i, f in enumerate(findings):
            options.add_option(Option(f"{ICONS[f.severity]} {escape(f.message)}\n   [dim]{f.rule_id} · "
                                      f"{escape(f.source)}[/dim]", id=str(i)))
        if not findings:
            options.add_option(Option("[$success]✓[/] No findings: every check passed.", id="none", disabled=True))
        else:
            options.highlighted = 0
        lines = []
        for step in plan.topological():
            lines.append(f"[b]{escape(step.label)}[/b]  [dim]{escape(step.kind)}[/dim]")
            for k, v in step.summary:
                lines.append(f"    {escape(k)}: {escape(v)}")
        lines.extend(cost_lines(plan, getattr(self.journey, "prices", None), azapp(self).demo))
        lines.append(f"[dim]Every resource is tagged created-by=azwizard and azwizard-run={plan.run_id}.[/dim]")
        self.query_one("#review-resources", Static).update("\n".join(lines))
        from azwizard.plan.exports import arm_template_json, az_script

        self.query_one("#review-az", TextArea).text = az_script(plan)
        self.query_one("#review-arm", TextArea).text = arm_template_json(plan)

    @on(OptionList.OptionSelected, "#review-findings")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in (None, "none"):
            return
        finding = self._shown[int(event.option.id)]
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
        if self.journey.blocking or any(f.severity == "block" for f in self._shown):
            self.notify("Fix the blocking findings first (select one to jump to its field).", severity="error")
            return
        app = azapp(self)
        if app.session is None:
            self.notify("Not signed in to Azure.", severity="error")
            return
        diff = self.diff
        if diff is None:
            self.notify(self._diff_error or "Still reading what already exists in Azure; a moment…",
                        severity="error" if self._diff_error else "warning")
            return
        plan = plan_for(self.journey, azapp(self))
        if diff.updates:
            def answered(ok: bool | None) -> None:
                if ok:
                    self._create(plan, diff)

            self.app.push_screen(ConfirmUpdatesScreen(diff.updates), answered)
            return
        self._create(plan, diff)

    def _create(self, plan: Plan, diff: PlanDiff) -> None:
        from azwizard.run.resume import run_meta

        attempt = self.journey.begin_attempt()
        attempt.diff = diff
        attempt.meta = run_meta(self.journey.journey_id, self.journey.spec, attempt.created_at, "wizard")
        self._push_create(plan)

    def _push_create(self, plan: Plan) -> None:
        self.app.push_screen(CreateScreen(self.journey, self.flow, plan), partial(self._after_create, plan))

    def _after_create(self, plan: Plan, outcome: CreateOutcome | None) -> None:
        """The create screen stopped short and the user chose how to go on (it is popped already)."""
        if outcome is None:
            return
        if outcome.way == "retry":
            self._push_create(plan)
        elif outcome.way == "leave":
            self.app.switch_mode("home")
            self.app.notify(f"Run {plan.run_id} is in cleanup (c); its draft is kept: press v or k to edit it.",
                            timeout=6)
        elif outcome.way == "cleanup":
            self.app.switch_mode("cleanup")
        elif outcome.step is not None:  # edit: the step and field the error names (else stay on the review)
            self.jump_to(outcome.step, outcome.field)
            self.app.notify(f"Change {outcome.field} and create again: what exists is kept and not sent again.",
                            timeout=6)

    def action_adopt(self) -> None:
        """Take over resources azwizard did not create (the only way to change them)."""
        conflicts = [e for e in (self.diff.entries if self.diff else ()) if e.action == "conflict" or e.adopted]
        if not conflicts:
            self.notify("Nothing to adopt: no existing resource is in the way.", timeout=4)
            return
        attempt = self.journey.begin_attempt()
        chosen = {a.lower() for a in attempt.adopt}

        def picked(ids: list[str] | None) -> None:
            if ids is not None:
                attempt.adopt = set(ids)
                self.refresh_form()

        self.app.push_screen(AdoptScreen(conflicts, chosen), picked)

    def _default_path(self, suffix: str) -> Path:
        """In the current directory, named for the VM or cluster (``Yolo-VM-az.sh``), not the run id."""
        plan = plan_for(self.journey, azapp(self))
        name = next((s.name for s in plan.steps if s.key == plan.journey), "") or f"azwizard-{plan.journey}"
        return Path.cwd() / f"{name}{suffix}"

    def _save(self, what: str, suffix: str, text: str | Callable[[], str]) -> None:
        """Ask where (prefilled), write there atomically, say where it went (issue 19 item 17)."""
        from .save_path import SavePathScreen

        def saved(path: Path | None) -> None:
            if path is None:
                self.notify(f"Not saved: {what} was not written anywhere.", timeout=4)
            else:
                self.notify(f"Saved {what} to {path}", timeout=8)

        self.app.push_screen(SavePathScreen(what, self._default_path(suffix), text), saved)

    def action_save_script(self) -> None:
        self._save("the az script", "-az.sh", self.query_one("#review-az", TextArea).text)

    def action_save_template(self) -> None:
        self._save("the ARM template", "-template.json", self.query_one("#review-arm", TextArea).text)

    def action_save_profile(self) -> None:
        """The journey's choices as a profile for ``azwizard vm|aks plan/apply`` (profiles.py dump_vm/dump_aks)."""
        from azwizard import profiles

        spec: Any = self.journey.spec
        dump = profiles.dump_aks if plan_for(self.journey, azapp(self)).journey == "aks" else profiles.dump_vm
        self._save("the profile", "-profile.toml", lambda: dump(spec))

__all__ = ["CreateOutcome", "CreateScreen", "ReviewStep", "plan_for"]
