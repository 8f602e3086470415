"""The AKS journey's first steps: basics (where, names, tier, Kubernetes version) and presets. The node
pool, networking and access steps are in pools.py, network.py and access.py."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from azwizard.fields import AKS_FIELDS
from azwizard.specs.aks import AksSpec

from ..appref import azapp
from ..fields import Input
from ..wizard import FactsRead, FieldError, WizardStep, refill_select, region_options
from ..workers import posts
from .journey import PRESETS, AksJourney

if TYPE_CHECKING:
    from textual.widget import Widget

    from azwizard.facts import K8sVersion, RegionFacts, SubscriptionFacts


class AksStep(WizardStep[AksSpec]):
    REGISTRY = AKS_FIELDS
    journey: AksJourney

    @property
    def spec(self) -> AksSpec:
        return self.journey.spec

    @property
    def demo(self) -> bool:
        return azapp(self).demo

    def commit(self) -> bool:
        return not self.has_invalid_input()

    def set_error(self, widget: Widget, message: str | None) -> None:
        """Mark an input bad (nothing changes in the spec) or good again."""
        widget.set_class(bool(message), "-invalid")
        err = self.query(f"#{widget.id}-error")
        if err:
            err.first(FieldError).set_error(message)

    def set_value(self, selector: str, value: Any) -> None:
        """Show a value the journey changed, without it counting as the user's edit."""
        widget = self.query_one(selector)
        if isinstance(widget, Input) and widget.value != value:
            with self.prevent(Input.Changed):
                widget.value = value
        elif isinstance(widget, Select) and widget.value != value:
            with self.prevent(Select.Changed):
                widget.value = value


# ---------------------------------------------------------------------------------------------- 1

_CLUSTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")

TIER_NOTES = {
    "free": "The control plane costs nothing; only nodes, disks and IPs are billed. No SLA: the notes use it "
            "for simple testing.",
    "standard": "The control plane is billed per cluster-hour; the API server gets an uptime SLA (99.95 % with "
                "availability zones) and scales to 5,000 nodes. The notes' choice for production.",
    "premium": "Billed per cluster-hour like Standard, plus long-term support: a Kubernetes version is supported "
               "for two years. Chosen here, the cluster uses the AKSLongTermSupport plan.",
}


def version_label(v: K8sVersion) -> str:
    marks = []
    if v.is_default:
        marks.append("the API's default")
    if v.is_preview:
        marks.append("preview — not for production")
    if v.lts_only:
        marks.append("LTS only — Premium tier")
    latest = f" (latest patch {v.latest_patch})" if v.latest_patch else ""
    return f"{v.version}{latest}" + (f" · {', '.join(marks)}" if marks else "")


class BasicsStep(AksStep):
    STEP_TITLE = "Basics"
    INTRO = ("Where the cluster lives and what it runs. The resource group follows the cluster name until you "
             "edit it; AKS also creates a second group for the nodes (MC_…). Kubernetes versions are read "
             "live for the region.")
    STEP_ID = "basics"

    def compose_form(self) -> ComposeResult:
        session = azapp(self).session
        sub = session.header_label() if session is not None else "not signed in"
        yield Static(f"[dim]Subscription:[/dim] {escape(sub)}", id="subscription")
        yield Label("Region")
        yield Select([(self.spec.location, self.spec.location)], value=self.spec.location, id="location",
                     allow_blank=False)
        yield Static("", id="region-note", classes="note")
        yield Label("Cluster name")
        yield Input(self.spec.cluster_name, id="cluster_name", placeholder="e.g. aks-dev")
        yield FieldError(id="cluster_name-error")
        yield Label("Resource group")
        yield Input(self.spec.resource_group, id="resource_group")
        yield FieldError(id="resource_group-error")
        yield Static("", id="group-note", classes="note")
        yield Label("DNS prefix of the API server")
        yield Input(self.spec.dns_prefix or self.journey.derived_dns_prefix(), id="dns_prefix")
        yield Static("", id="dns-note", classes="note")
        yield Label("Pricing tier")
        yield Select(AKS_FIELDS.spec("tier").options(self.spec.tier), value=self.spec.tier, id="tier",
                     allow_blank=False)
        yield Static("", id="tier-note", classes="note")
        yield Label("Kubernetes version")
        yield Select(self._version_options(), value=self.spec.kubernetes_version, id="kubernetes_version",
                     allow_blank=False)
        yield Static("", id="version-note", classes="note")
        yield from self.tags_field()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()
        if self.journey.region_facts is None or self.journey.subscription_facts is None:
            self.load_facts()

    # -------- live facts (a thread worker: the SDK blocks)

    @work(thread=True, exclusive=True, exit_on_error=False, group="facts")
    @posts(FactsRead)
    def load_facts(self) -> tuple[SubscriptionFacts, RegionFacts]:
        self.app.call_from_thread(self.journey.mark_loading)
        return self.journey.fetch_facts(azapp(self).session, kubernetes=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="facts")
    @posts(FactsRead)
    def load_region(self, location: str) -> tuple[SubscriptionFacts, RegionFacts]:
        journey = self.journey
        assert journey.catalog is not None and journey.subscription_facts is not None
        region = journey.catalog.region_facts(location)
        journey.fetch_prices(azapp(self).session, location)
        return journey.subscription_facts, region

    def _apply_facts(self) -> None:
        if not self.is_attached or self._closing or self.app._closing:
            return  # the app is closing: nothing left to update
        self._fill_regions()
        self._fill_versions()
        self.journey.set_location(self.journey.spec.location)
        self.journey.recheck()  # the facts changed even when the spec did not
        self.refresh_form()

    @on(FactsRead)
    def _facts_loaded(self, message: FactsRead) -> None:
        journey = self.journey
        if message.result is not None:
            sub, region = message.result
            if region.region.name != journey.spec.location:
                return  # an answer for a region the user has since left
            journey.subscription_facts, journey.region_facts = sub, region
            journey.facts_loading, journey.facts_error = False, None
            # The answer can arrive before this screen's widgets have finished mounting (a Select updated
            # before its label exists raises inside Textual): apply it after the next refresh.
            self.call_after_refresh(self._apply_facts)
        elif message.error is not None:
            from azwizard.azure.errors import explain

            err = explain(message.error)
            journey.facts_loading = False
            journey.facts_error = f"Could not read live facts: {err.what}" + (f" {err.fix}" if err.fix else "")
            if err.code == "LocationNotAvailableForResourceGroup":
                journey.facts_error = None  # the region's blocking finding (aks-region-access) says it, once
            journey.recheck()

    def _fill_regions(self) -> None:
        facts = self.journey.subscription_facts
        if facts is None:
            return
        options = region_options(facts)
        select = self.query_one("#location", Select)
        with self.prevent(Select.Changed):
            select.set_options(options)
            if any(v == self.spec.location for _, v in options):
                select.value = self.spec.location

    def _version_options(self) -> list[tuple[str, str]]:
        facts = self.journey.region_facts
        versions = facts.kubernetes_versions if facts is not None else ()
        default = next((v for v in versions if v.is_default), None)
        first = (f"Region default — {default.version} (what AKS picks when none is given)" if default else
                 "Region default (reading the versions offered…)" if facts is None else "Region default")
        options = [(first, "")]
        options += [(version_label(v), v.version) for v in reversed(versions)]
        wanted = self.spec.kubernetes_version.strip()
        if wanted and all(value != wanted for _, value in options):
            options.append((f"{wanted} — not offered in {self.spec.location}", wanted))  # e.g. a pasted command
        return options

    def _fill_versions(self) -> None:
        select = self.query_one("#kubernetes_version", Select)
        with self.prevent(Select.Changed):
            refill_select(select, self._version_options(), self.spec.kubernetes_version.strip())

    # -------- notes that follow the spec

    def refresh_form(self) -> None:
        journey, spec = self.journey, self.spec
        zones = journey.region_zones()
        note = self.query_one("#region-note", Static)
        if zones is None:
            note.update("[dim]Reading regions…[/dim]" if journey.facts_loading else "")
        elif zones:
            note.update(f"[dim]This region has availability zones {', '.join(zones)}: node pools can be spread "
                        "over them (Node pools step).[/dim]")
        else:
            note.update("[dim]This region has no availability zones: node pools are regional.[/dim]")
        facts = journey.subscription_facts
        where = facts.group_location(spec.resource_group) if facts else None
        group_note = self.query_one("#group-note", Static)
        if where:
            group_note.update(f"[$warning]Exists already[/] in {escape(where)}: the cluster will be added to it. "
                              f"[dim]Nodes go to {escape(spec.node_resource_group)}.[/dim]")
            if not spec.use_existing_group:
                journey.update(use_existing_group=True)
        else:
            existing = facts.group_names_for_people() if facts else []
            hint = (f" Existing groups: {escape(', '.join(existing[:8]))}{' …' if len(existing) > 8 else ''}."
                    if existing else "")
            group_note.update(f"[dim]A new resource group will be created. Nodes go to "
                              f"{escape(spec.node_resource_group)}.{hint}[/dim]")
            if spec.use_existing_group:
                journey.update(use_existing_group=False)
        if not spec.dns_prefix:
            self.set_value("#dns_prefix", journey.derived_dns_prefix())
        self.query_one("#dns-note", Static).update(
            "[dim]Derived from the cluster, group and subscription, as az does; edit it to choose your own. The "
            f"API server will be {escape(spec.resolved_dns_prefix(journey.subscription_id))}-<hash>.hcp."
            f"{escape(spec.location)}.azmk8s.io.[/dim]")
        self.query_one("#tier-note", Static).update(f"[dim]{TIER_NOTES.get(spec.tier, '')}[/dim]")
        self._version_note()

    def _version_note(self) -> None:
        facts = self.journey.region_facts
        note = self.query_one("#version-note", Static)
        if facts is None:
            note.update("[dim]Reading the versions offered in this region…[/dim]" if self.journey.facts_loading
                        else "")
            return
        chosen = facts.kubernetes_version(self.spec.kubernetes_version) if self.spec.kubernetes_version else \
            facts.default_kubernetes_version
        if chosen is None:
            note.update("[$warning]This version is not offered here[/]: pick one from the list.")
        elif chosen.lts_only and self.spec.tier != "premium":
            note.update(f"[$warning]{chosen.version} is supported only with long-term support[/]: choose the "
                        "Premium tier above, or a newer version.")
        elif chosen.is_preview:
            note.update(f"[$warning]{chosen.version} is a preview[/]: fine to try, not for a cluster you keep.")
        else:
            note.update("[dim]Versions marked 'LTS only' need the Premium tier; 'preview' ones are not for "
                        "production. Dual-stack with Cilium needs 1.29 or later.[/dim]")

    # -------- edits

    @on(Select.Changed, "#location")
    def _region(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.location:
            self.journey.set_location(event.value)
            self._fill_versions()
            self.refresh_form()
            if self.journey.catalog is not None and self.journey.subscription_facts is not None:
                self.journey.facts_loading = True
                self.journey.recheck()
                self.load_region(event.value)

    @on(Input.Changed, "#cluster_name")
    def _cluster_name_changed(self, event: Input.Changed) -> None:
        name = event.value.strip()
        if not _CLUSTER_NAME.match(name):
            self.set_error(event.input, "1–63 letters, digits, '_' and '-', starting with a letter or digit")
            return
        self.set_error(event.input, None)
        if name == self.spec.cluster_name:
            return  # the value shown when the step opens: nothing to derive
        self.journey.set_cluster_name(name)
        self.set_value("#resource_group", self.spec.resource_group)
        self.refresh_form()

    @on(Input.Changed, "#resource_group")
    def _group(self, event: Input.Changed) -> None:
        name = event.value.strip()
        if not name:
            self.set_error(event.input, "The resource group needs a name")
            return
        self.set_error(event.input, None)
        if name != self.spec.resource_group:
            self.journey.set_group(name)
        self.refresh_form()

    @on(Input.Changed, "#dns_prefix")
    def _dns(self, event: Input.Changed) -> None:
        text = event.value.strip()
        # The derived value (or nothing) means "derive it": it then follows the names.
        self.journey.update(dns_prefix="" if text in ("", self.journey.derived_dns_prefix()) else text)
        self.refresh_form()

    @on(Select.Changed, "#tier")
    def _tier(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.set_tier(event.value)
            self.refresh_form()

    @on(Select.Changed, "#kubernetes_version")
    def _version(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.update(kubernetes_version=event.value)
            self._version_note()


# ---------------------------------------------------------------------------------------------- 2


class PresetStep(AksStep):
    STEP_TITLE = "Presets"
    INTRO = ("Start from a cluster that passes every check; the next steps show what it chose and let you "
             "change anything. The basics (names, region, version) are kept. Select one with [b]enter[/b]. "
             "The findings below are for the whole cluster.")
    STEP_ID = "presets"  # edits no field: a preset replaces the spec
    INITIAL_FOCUS = "#preset"

    def compose_form(self) -> ComposeResult:
        options = [Option(f"[b]{escape(p.title)}[/b]\n[dim]{escape(p.summary)}[/dim]", id=p.key) for p in PRESETS]
        yield OptionList(*options, id="preset")
        yield Static("", id="preset-note", classes="note")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()

    def refresh_form(self) -> None:
        current = self.journey.preset
        options = self.query_one("#preset", OptionList)
        keys = [p.key for p in PRESETS]
        if current in keys:
            options.highlighted = keys.index(current)
        title = next((p.title for p in PRESETS if p.key == current), None)
        spec = self.spec
        pools = ", ".join(f"{p.name}: {p.count} × {p.vm_size}" for p in spec.pools)
        net = spec.network
        text = (f"[b]Now:[/b] {escape(title) if title else 'your own choices (changed after a preset)'} — "
                f"{escape(spec.tier)} tier · {escape(pools)} · {'IPv4 + IPv6' if net.dual_stack else 'IPv4'} · "
                f"plugin {escape(net.plugin)}{' overlay' if net.overlay else ''}, dataplane {escape(net.dataplane)}")
        self.query_one("#preset-note", Static).update(text)

    @on(OptionList.OptionSelected, "#preset")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.journey.apply_preset(event.option.id)
            self.refresh_form()
            title = next(p.title for p in PRESETS if p.key == event.option.id)
            self.notify(f"Applied '{title}': node pools, networking and tier are filled in. Press ctrl+n to see "
                        "them.", timeout=5)
