"""Review: the last step of every journey (VM, AKS), before the create screen (create.py). A journey supplies
make_plan(sub) and done_screen(plan, result)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static, TabbedContent, TabPane, TextArea
from textual.widgets.option_list import Option

from .create import CreateScreen
from .wizard import ICONS, WizardStep

if TYPE_CHECKING:
    from azwizard.plan.model import Plan

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


__all__ = ["CreateScreen", "ReviewStep", "plan_for"]
