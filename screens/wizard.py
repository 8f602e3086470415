"""The step-by-step wizard frame shared by the VM and AKS journeys.

A journey keeps its draft spec, live facts and findings *outside* the widgets (``Journey``), so Back
and jumping between steps never lose a choice. Each step is a screen (``WizardStep``) with the step list
on the left, its form in the middle, and the findings that concern its fields underneath, re-checked on
every change. Azure reads (facts) run in thread workers; rules are pure and run on each change.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from azwizard.screens.text import escape
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Collapsible, Header, Label, Select, Static

from .fields import Input
from .footer import WrapFooter
from .workers import WorkerDone

if TYPE_CHECKING:
    from textual.widget import Widget

    from azwizard.azure.catalog import Catalog
    from azwizard.facts import Region, RegionFacts, SubscriptionFacts
    from azwizard.fields import Registry
    from azwizard.plan.diff import Owner
    from azwizard.pricing import PriceBook
    from azwizard.rules.model import Finding
    from azwizard.run.attempt import Attempt


class FactsRead(WorkerDone["tuple[SubscriptionFacts, RegionFacts]"]):
    """A journey's live facts (the subscription's and its region's), read by its Basics step's worker."""


class IpDetected(WorkerDone[str]):
    """This machine's public IPv4 address (azwizard.myip), for an NSG source or an authorized range."""


S = TypeVar("S")

ICONS = {"block": "[b $error]✖[/]", "warn": "[b $warning]▲[/]", "info": "[b $primary]ℹ[/]"}


def replace_path(obj: Any, path: str, value: Any) -> Any:
    """``replace_path(spec, "network.ipv4_space", "10.1.0.0/16")`` on nested frozen dataclasses."""
    head, _, rest = path.partition(".")
    if not rest:
        return dataclasses.replace(obj, **{head: value})
    return dataclasses.replace(obj, **{head: replace_path(getattr(obj, head), rest, value)})


def get_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


class Journey(Generic[S]):
    """One journey's draft: the spec, the live facts, the findings, and who to tell when they change."""

    journey_id = ""

    def __init__(self, spec: S) -> None:
        self.spec = spec
        self.subscription_facts: SubscriptionFacts | None = None
        self.region_facts: RegionFacts | None = None
        self.facts_error: str | None = None
        self.facts_loading = False
        self.prices: PriceBook | None = None  # the region's list prices (azwizard.pricing), read with the facts
        self.findings: list[Finding] = []
        self._listeners: list[Callable[[], None]] = []
        self.catalog: Catalog | None = None  # the live facts' reader, kept so later steps reuse its caches
        self.attempt: Attempt | None = None  # the try at creating it, from its first review (azwizard/run/attempt.py)
        # who made the run's group (run/origin.py), read after a create for the done screen (issue 19 item 7)
        self.group_owner: Owner | None = None

    @property
    def run_id(self) -> str | None:
        return self.attempt.run_id if self.attempt is not None else None

    @run_id.setter
    def run_id(self, value: str | None) -> None:
        from azwizard.run.attempt import Attempt

        if value is None:
            self.attempt = None
        elif self.attempt is None:
            self.attempt = Attempt(value, "")
        else:
            self.attempt.run_id = value

    @property
    def created_at(self) -> str:
        return self.attempt.created_at if self.attempt is not None else ""

    @created_at.setter
    def created_at(self, value: str) -> None:
        if self.attempt is None:
            raise ValueError("set run_id first: the creation time belongs to an attempt")
        self.attempt.created_at = value

    def begin_attempt(self) -> Attempt:
        """This journey's attempt, made (a new run id, now) at its first review."""
        from azwizard.run.attempt import Attempt

        if self.attempt is None:
            self.attempt = Attempt.new()
        elif not self.attempt.created_at:
            from azwizard.run.attempt import now_utc

            self.attempt.created_at = now_utc()
        return self.attempt

    # subclasses: what the rules say about the spec given the facts
    def check(self) -> list[Finding]:
        return []

    def fetch_facts(self, session: Any, *, kubernetes: bool) -> tuple[SubscriptionFacts, RegionFacts]:
        """The subscription's and the spec region's live facts. Runs in a thread worker (the SDK blocks);
        the catalog is kept on the journey so later steps and regions reuse its caches."""
        from azwizard.azure.catalog import Catalog

        if session is None:
            raise RuntimeError("not signed in")
        catalog = self.catalog
        if catalog is None:
            catalog = Catalog(session.factory)
            self.catalog = catalog
        spec: Any = self.spec
        facts = catalog.subscription_facts(), catalog.region_facts(spec.location, kubernetes=kubernetes)
        self.fetch_prices(session, spec.location)
        return facts

    def fetch_prices(self, session: Any, location: str) -> None:
        """The region's list prices: the disk cache, the Retail Prices API through the session's transport
        (the simulator in demo mode), or the marked dated table. Never raises; runs in a thread worker."""
        from azwizard.pricing import price_book

        factory = getattr(session, "factory", None)
        self.prices = price_book(location, transport=getattr(factory, "transport", None),
                                 cloud=getattr(session, "cloud", None))

    def mark_loading(self) -> None:
        self.facts_loading = True
        self.recheck()

    def set(self, path: str, value: Any) -> None:
        new = replace_path(self.spec, path, value)
        if new != self.spec:
            self.spec = new
            self.recheck()

    def update(self, **changes: Any) -> None:
        new = dataclasses.replace(self.spec, **changes)  # type: ignore[type-var]
        if new != self.spec:
            self.spec = new
            self.recheck()

    def recheck(self) -> None:
        self.findings = self.check()
        for fn in list(self._listeners):
            fn()

    def subscribe(self, fn: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(fn)

        def unsubscribe() -> None:
            if fn in self._listeners:
                self._listeners.remove(fn)

        return unsubscribe

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "block"]

    def findings_for(self, prefixes: Sequence[str]) -> list[Finding]:
        if not prefixes:
            return list(self.findings)
        return [f for f in self.findings if any(f.field == p or f.field.startswith(p + ".") or
                                                 (p.endswith(".") and f.field.startswith(p)) for p in prefixes)]


def region_options(facts: SubscriptionFacts) -> list[tuple[str, str]]:
    """The region picker's options: every region, with whether it has availability zones; the canary
    (early-access) regions after the others and marked, as only subscriptions enrolled in EUAP can use them; the
    regions this subscription may not use at all last and marked (picking one is a blocking finding)."""
    options = []

    def unusable(r: Region) -> bool:
        return facts.region_usable(r.name) is False

    for r in sorted(facts.regions.values(), key=lambda r: (unusable(r), r.early_access, r.display_name)):
        zones = f"zones {', '.join(r.zones)}" if r.has_zones else "no availability zones"
        early = " · early access (EUAP) only" if r.early_access else ""
        if unusable(r):
            options.append((f"✖ {r.display_name} ({r.name}) — not available to this subscription", r.name))
        else:
            options.append((f"{r.display_name} ({r.name}) — {zones}{early}", r.name))
    return options


def refill_select(select: Select[Any], options: Sequence[tuple[str, Any]], value: Any) -> None:
    """New options for ``select``, showing ``value``. Textual's ``set_options`` picks the first option and leaves
    the old label on screen when that option's value equals the current one (the Kubernetes version select kept
    "reading the versions offered…" after they arrived), so the value is moved away and back. Call it inside
    ``prevent(Select.Changed)``."""
    select.set_options(options)
    legal = [v for _, v in options]
    if value not in legal:
        return
    other = next((v for v in legal if v != value), None)
    if select.value == value and other is not None:
        select.value = other
    select.value = value


class StepNav(Static):
    """The step list: done ✓ (✖ when that step still has a blocking finding), current ▶, later ·. Clicking a
    step moves there (see :meth:`WizardStep.go_to_step`)."""

    @dataclasses.dataclass
    class Chosen(Message):
        index: int

    def __init__(self, titles: Sequence[str], current: int, blocked: Iterable[int] = (), **kw: Any) -> None:
        super().__init__(**kw)
        self.titles = list(titles)
        self.current = current
        self.blocked = set(blocked)

    def render_text(self) -> str:
        lines = []
        for i, title in enumerate(self.titles):
            if i < self.current:
                mark = "[$error]✖[/]" if i in self.blocked else "[$success]✓[/]"
                lines.append(f"{mark} {escape(title)}")
            elif i == self.current:
                lines.append(f"[b $accent]▶ {escape(title)}[/]")
            else:
                lines.append(f"[dim]· {escape(title)}[/]")
        return "\n".join(lines)

    def show_blocked(self, blocked: Iterable[int]) -> None:
        blocked = set(blocked)
        if blocked != self.blocked:
            self.blocked = blocked
            self.update(self.render_text())

    def on_mount(self) -> None:
        self.update(self.render_text())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y < len(self.titles) and offset.y != self.current:
            self.post_message(self.Chosen(offset.y))


class FindingsPanel(Static):
    """The findings for a set of fields, most severe first, each with what to do and its source."""

    def show(self, findings: Iterable[Finding], *, loading: bool = False, error: str | None = None) -> None:
        lines = []
        if loading:
            lines.append("[dim]Reading live facts from Azure (sizes, zones, quotas)…[/dim]")
        if error:
            lines.append(f"[b $warning]▲[/] {escape(error)}")
        for f in findings:
            lines.append(f"{ICONS[f.severity]} {escape(f.message)} [dim]({f.rule_id})[/dim]")
        if not lines:
            lines.append("[$success]✓[/] No problems found for this step.")
        self.update("\n".join(lines))
        self.set_class(any(f.severity == "block" for f in findings), "-blocking")


class FieldError(Label):
    """An input error under a field, wrapped to the form's width so it is never cut off; bad input changes nothing
    in the spec."""

    DEFAULT_CSS = """
    FieldError { width: 100%; height: auto; }
    """

    def set_error(self, message: str | None) -> None:
        self.update(f"[b $error]✖[/] {escape(message)}" if message else "")
        self.display = bool(message)


class WizardStep(Screen[None], Generic[S]):
    """One step of a journey. Subclasses set ``STEP_TITLE``, ``FIELDS`` and ``compose_form``.

    ``FIELDS`` are the spec fields (prefixes) this step's widgets edit: a finding about one of them jumps here
    and its findings show underneath. ``SHOWS`` are fields edited elsewhere whose findings this step shows too
    (the VM name is edited in Basics, but the VM step shows its findings). ``FIELD_WIDGETS`` maps a field
    (prefix) to the selector of the widget that edits it, where that widget's id is not the field with "." ->
    "-"."""

    STEP_TITLE: ClassVar[str] = ""
    INTRO: ClassVar[str] = ""
    # The journey's field registry and this step's id in it: FIELDS, SHOWS and FIELD_WIDGETS are derived from them
    # (azwizard/fields: each field names the step that edits it).
    REGISTRY: ClassVar[Registry | None] = None
    STEP_ID: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()
    SHOWS: ClassVar[tuple[str, ...]] = ()
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {}
    INITIAL_FOCUS: ClassVar[str | None] = None  # a selector; default: the form's first focusable widget
    BINDINGS = [
        Binding("ctrl+n", "next", "Next", id="wizard.next", priority=True),
        Binding("escape", "back", "Back", id="wizard.back"),
    ]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.REGISTRY is not None and cls.STEP_ID and "STEP_ID" in cls.__dict__:
            cls.FIELDS = cls.REGISTRY.owned_by(cls.STEP_ID)
            cls.SHOWS = cls.REGISTRY.shown_by(cls.STEP_ID)
            cls.FIELD_WIDGETS = cls.REGISTRY.widgets(cls.STEP_ID)

    def __init__(self, journey: Journey[S], flow: WizardFlow) -> None:
        super().__init__()
        self.journey = journey
        self.flow = flow
        self._unsubscribe: Callable[[], None] | None = None

    # -------- to override

    def compose_form(self) -> ComposeResult:
        yield from ()

    def commit(self) -> bool:
        """Copy what is still only in the widgets into the spec; False (with a message shown) if the
        form has bad input that must be fixed before moving on."""
        return True

    def refresh_form(self) -> None:
        """Called when facts or the spec changed from elsewhere."""

    # -------- frame

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="wizard"):
            yield self.step_nav()
            with Vertical(classes="wizard-main"):
                with VerticalScroll(classes="wizard-form"):
                    yield Static(f"[b]{escape(self.STEP_TITLE)}[/b]", classes="wizard-title")
                    if self.INTRO:
                        yield Static(self.INTRO, classes="wizard-intro")
                    yield from self.compose_form()
                yield FindingsPanel(classes="wizard-findings", id="findings")
        yield WrapFooter()

    def on_mount(self) -> None:
        self._unsubscribe = self.journey.subscribe(self._journey_changed)
        self.journey.recheck()
        self.call_after_refresh(self._initial_focus)

    def _initial_focus(self) -> None:
        if self.INITIAL_FOCUS and self.query(self.INITIAL_FOCUS):
            self.query_one(self.INITIAL_FOCUS).focus()
            return
        for widget in self.query(".wizard-form *"):
            if widget.focusable:
                widget.focus()
                return

    def on_unmount(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()

    def on_screen_resume(self) -> None:
        self.refresh_form()
        self._show_findings()

    def _journey_changed(self) -> None:
        # A worker may finish while this step is still composing or already being popped (its children
        # removed before its own unmount unsubscribes): there is no panel to redraw then, and on_screen_resume
        # or the next change redraws it.
        if not self.is_attached:
            return
        with contextlib.suppress(NoMatches):
            self._show_findings()

    def _show_findings(self) -> None:
        panel = self.query_one("#findings", FindingsPanel)
        panel.show(self.journey.findings_for(self.FIELDS + self.SHOWS if self.FIELDS else ()),
                   loading=self.journey.facts_loading, error=self.journey.facts_error)
        self._show_blocked_steps()

    def step_nav(self) -> StepNav:
        return StepNav(self.flow.titles, self.flow.index_of(type(self)), self.flow.blocked_steps(self.journey),
                       classes="wizard-nav")

    def _show_blocked_steps(self) -> None:
        for nav in self.query(StepNav):
            nav.show_blocked(self.flow.blocked_steps(self.journey))

    @on(StepNav.Chosen)
    def _step_chosen(self, event: StepNav.Chosen) -> None:
        self.go_to_step(event.index)

    def go_to_step(self, index: int) -> None:
        """Move to the flow's step ``index``: back by closing the steps after it, forward by opening each
        step on the way (so Back still walks the steps in order)."""
        here = self.flow.index_of(type(self))
        if index < here:
            self.commit()
            while isinstance(self.app.screen, WizardStep) and self.flow.index_of(type(self.app.screen)) > index:
                self.app.pop_screen()
        elif index > here:
            if not self.commit():
                self.notify("Fix the field marked ✖ first.", severity="error", timeout=4)
                return
            for step in self.flow.steps[here + 1:index + 1]:
                self.app.push_screen(step(self.journey, self.flow))

    def action_next(self) -> None:
        if not self.commit():
            self.notify("Fix the field marked ✖ first.", severity="error", timeout=4)
            return
        nxt = self.flow.next_after(type(self))
        if nxt is not None:
            self.app.push_screen(nxt(self.journey, self.flow))

    def action_back(self) -> None:
        self.commit()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.switch_mode("home")

    # -------- helpers for forms

    def bind_input(self, input_id: str, path: str, parse: Callable[[str], Any] | None = None) -> None:
        """Remember that ``#input_id`` edits ``path``; see :meth:`_input_changed`."""
        self._inputs = getattr(self, "_inputs", {})
        self._inputs[input_id] = (path, parse or (lambda s: s.strip()))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        inputs: dict[str, tuple[str, Callable[[str], Any]]] = getattr(self, "_inputs", {})
        if event.input.id not in inputs:
            return
        path, parse = inputs[event.input.id]
        err = self.query(f"#{event.input.id}-error")
        try:
            value = parse(event.value)
        except ValueError as exc:
            event.input.add_class("-invalid")
            if err:
                shown = err.first(FieldError)
                shown.set_error(str(exc))
                self.call_after_refresh(shown.scroll_visible, animate=False)  # the reason, not only a red border
            return
        event.input.remove_class("-invalid")
        if err:
            err.first(FieldError).set_error(None)
        self.journey.set(path, value)

    def tags_field(self) -> ComposeResult:
        """The user's own tags (``extra_tags``) as ``name=value, name=value``, on every resource created;
        azwizard's bookkeeping tags are refused here as in a profile."""
        from azwizard.specs.common import format_tags_text, parse_tags_text

        spec: Any = self.journey.spec
        yield Label("Tags (optional, on every resource)")
        yield Input(format_tags_text(spec.extra_tags), id="extra_tags", placeholder="e.g. owner=alice, env=dev")
        yield FieldError(id="extra_tags-error")
        self.bind_input("extra_tags", "extra_tags", parse_tags_text)

    def has_invalid_input(self) -> bool:
        return bool(self.query("Input.-invalid"))

    @classmethod
    def owns(cls, field: str) -> bool:
        return any(_covers(p, field) for p in cls.FIELDS)

    def widget_for(self, field: str) -> Widget | None:
        """The widget that edits ``field``: for the field, then each parent (``user_pools.0.count``,
        ``user_pools.0``, ``user_pools``), its ``FIELD_WIDGETS`` entry or the widget whose id is it with "." ->
        "-" (``#user_pools-0-count``, ..., ``#user_pools``)."""
        if not field:
            return None  # subscription-wide findings (providers, live facts) have no widget
        parts = field.split(".")
        for n in range(len(parts), 0, -1):
            for selector in (self.FIELD_WIDGETS.get(".".join(parts[:n])), "#" + "-".join(parts[:n])):
                if selector:
                    found = self.query(selector)
                    if found:
                        return found.first()
        return None

    def focus_field(self, field: str) -> bool:
        """Focus the widget that edits ``field`` (a finding selected on the review, a failed create's error),
        opening the collapsed section it is in. False when no widget here edits it (or it is hidden now)."""
        widget = self.widget_for(field)
        if widget is None:
            return False
        unfolded = False
        for ancestor in widget.ancestors:
            if isinstance(ancestor, Collapsible) and ancestor.collapsed:
                ancestor.collapsed = False
                unfolded = True
        if not widget.focusable:
            return False

        def show() -> None:
            widget.focus()
            widget.scroll_visible(animate=False, top=True)

        widget.focus()
        if unfolded:
            self.call_after_refresh(show)  # scrolled to once the unfolded section has its size
        else:
            show()
        return True

    # -------- fixed choices (values only a profile or a pasted az command can set, shown so they can be fixed)

    def choice(self, select_id: str, path: str, options: Sequence[tuple[str, Any]]) -> Select[Any]:
        """A select for ``path`` offering ``options``; a value outside them (from a profile or a pasted
        command) is listed as not allowed, so the user sees it and can pick a valid one."""
        current = get_path(self.journey.spec, path)
        opts = list(options)
        if all(v != current for _, v in opts):
            opts.append((f"{current} (from a profile or command: not allowed)", current))
        self._choices = getattr(self, "_choices", {})
        self._choices[select_id] = path
        return Select(opts, value=current, id=select_id, allow_blank=False)

    @on(Select.Changed)
    def _choice_changed(self, event: Select.Changed) -> None:
        choices: dict[str, str] = getattr(self, "_choices", {})
        path = choices.get(event.select.id or "")
        if path is not None and event.value is not Select.NULL and event.value != get_path(self.journey.spec, path):
            self.journey.set(path, event.value)


class WizardFlow:
    """The ordered step screens of a journey."""

    def __init__(self, steps: Sequence[type[WizardStep[Any]]]) -> None:
        self.steps = list(steps)

    @property
    def titles(self) -> list[str]:
        return [s.STEP_TITLE for s in self.steps]

    def index_of(self, step: type[WizardStep[Any]]) -> int:
        return self.steps.index(step)

    def next_after(self, step: type[WizardStep[Any]]) -> type[WizardStep[Any]] | None:
        i = self.index_of(step)
        return self.steps[i + 1] if i + 1 < len(self.steps) else None

    def step_for_field(self, field: str) -> type[WizardStep[Any]] | None:
        """The step whose widgets edit ``field`` (the longest matching ``FIELDS`` prefix wins)."""
        best: tuple[int, type[WizardStep[Any]]] | None = None
        for s in self.steps:
            for p in s.FIELDS:
                if _covers(p, field) and (best is None or len(p) > best[0]):
                    best = (len(p), s)
        return best[1] if best else None

    def blocked_steps(self, journey: Journey[Any], findings: Sequence[Finding] | None = None) -> list[int]:
        """The indexes of the steps that edit a field with a blocking finding (the step list marks them ✖); the
        review passes its own findings, which include what exists in Azure (a conflict)."""
        out = set()
        for f in (journey.blocking if findings is None else [f for f in findings if f.severity == "block"]):
            step = self.step_for_field(f.field)
            if step is not None:
                out.add(self.steps.index(step))
        return sorted(out)


def _covers(prefix: str, field: str) -> bool:
    return field == prefix or field.startswith(prefix + ".") or (prefix.endswith(".") and field.startswith(prefix))
