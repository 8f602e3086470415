"""The VM journey's form steps: basics, network, public IPs, NAT gateway, NSG, VM, backup, cloud-init."""

from __future__ import annotations

import dataclasses
import ipaddress
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Collapsible, DataTable, Label, Select, Static

from azwizard.fields import VM_FIELDS
from azwizard.specs.common import compressed, first_subnet, random_ula_48
from azwizard.specs.vm import IMAGES, NsgRule, VmNames, VmSpec, rules_for_purpose

from ..appref import azapp
from ..fields import Input, Switch, TextArea
from ..wizard import FactsRead, FieldError, IpDetected, WizardStep, get_path, region_options
from ..workers import leaving, posts
from .journey import VmJourney

if TYPE_CHECKING:
    from azwizard.facts import RegionFacts, SubscriptionFacts, VmSize
    from azwizard.pricing import PriceBook

NAME_LABELS: dict[str, str] = {
    "resource_group": "Resource group", "vnet": "Virtual network", "subnet": "Subnet", "public_ipv4": "Public IPv4",
    "public_ipv6": "Public IPv6", "nat_gateway": "NAT gateway", "nat_public_ipv4": "NAT gateway IPv4",
    "nsg": "Network security group", "vm": "Virtual machine", "nic": "Network interface", "os_disk": "OS disk",
    "data_disk": "Data disk", "vault": "Recovery Services vault",
}


def _cidr(version: int) -> Any:
    def parse(text: str) -> str:
        text = text.strip()
        try:
            net = ipaddress.ip_network(text, strict=True)
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a valid IPv{version} network in CIDR form ({exc})") from None
        if net.version != version:
            raise ValueError(f"'{text}' is an IPv{net.version} network; this field needs IPv{version}")
        return text  # kept as typed: the rules tell the user if Azure wants it zero-compressed

    return parse


def _int_in(lo: int, hi: int, what: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"{what} must be a whole number from {lo} to {hi}") from None
        if not lo <= value <= hi:
            raise ValueError(f"{what} must be from {lo} to {hi}")
        return value

    return parse


def _price(text: str) -> float:
    """A max price as typed: -1 or US dollars per hour (the vm-spot rule says when Azure would refuse it)."""
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError("The max price is -1 or a price in US dollars per hour, e.g. 0.05") from None
    if not math.isfinite(value):
        raise ValueError("The max price is -1 or a price in US dollars per hour, e.g. 0.05")
    return value


def _optional_int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError("The size must be a whole number of GiB, or empty for the image's size") from None


def _range(path: str) -> tuple[int, int]:
    bounds = VM_FIELDS.spec(path).range
    assert bounds is not None, path
    return bounds


class VmStep(WizardStep[VmSpec]):
    REGISTRY = VM_FIELDS
    journey: VmJourney

    @property
    def spec(self) -> VmSpec:
        return self.journey.spec

    def int_field(self, path: str, what: str) -> ComposeResult:
        """A whole-number input for ``path`` with its label, error line and range from the registry."""
        lo, hi = _range(path)
        widget_id = path.replace(".", "-")
        yield Label(VM_FIELDS.spec(path).label.format(lo=lo, hi=hi))
        yield Input(str(get_path(self.spec, path)), id=widget_id)
        yield FieldError(id=f"{widget_id}-error")
        self.bind_input(widget_id, path, _int_in(lo, hi, what))

    def commit(self) -> bool:
        return not self.has_invalid_input()


# ---------------------------------------------------------------------------------------------- 1


class BasicsStep(VmStep):
    STEP_TITLE = "Basics"
    INTRO = ("Where the VM lives. Every resource gets its name from the base name, as in the notes "
             "([b]Yolo[/b] → Yolo-RG, Yolo-VNet, Yolo-IPv4, …); each name stays editable.")
    STEP_ID = "basics"

    def compose_form(self) -> ComposeResult:
        session = azapp(self).session
        sub = session.header_label() if session is not None else "not signed in"
        yield Static(f"[dim]Subscription:[/dim] {escape(sub)}", id="subscription")
        yield Label(VM_FIELDS.spec("base_name").label)
        yield Input(self.spec.base_name, id="base_name", placeholder="e.g. Yolo")
        yield FieldError(id="base_name-error")
        yield Label("Region")
        yield Select([(self.spec.location, self.spec.location)], value=self.spec.location, id="location",
                     allow_blank=False)
        yield Static("", id="region-note", classes="note")
        yield Label("Resource group")
        yield Input(self.spec.names.resource_group, id="names-resource_group")
        yield Static("", id="group-note", classes="note")
        with Collapsible(title="All resource names", collapsed=True, id="names"):
            for field in dataclasses.fields(VmNames):
                if field.name == "resource_group":
                    continue
                yield Label(NAME_LABELS.get(field.name, field.name))
                yield Input(getattr(self.spec.names, field.name), id=f"names-{field.name}")
        yield from self.tags_field()

    def on_mount(self) -> None:
        super().on_mount()
        self.load_facts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="facts")
    @posts(FactsRead)
    def load_facts(self) -> tuple[SubscriptionFacts, RegionFacts]:
        self.app.call_from_thread(self.journey.mark_loading)
        return self.journey.fetch_facts(azapp(self).session, kubernetes=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="facts")
    @posts(FactsRead)
    def load_region(self, location: str) -> tuple[SubscriptionFacts, RegionFacts]:
        journey = self.journey
        assert journey.catalog is not None and journey.subscription_facts is not None
        region = journey.catalog.region_facts(location, kubernetes=False)
        journey.fetch_prices(azapp(self).session, location)
        return journey.subscription_facts, region

    @on(FactsRead)
    def _facts_loaded(self, message: FactsRead) -> None:
        journey = self.journey
        if message.result is not None:
            sub, region = message.result
            journey.subscription_facts, journey.region_facts = sub, region
            journey.facts_loading, journey.facts_error = False, None
            # The answer can arrive before this screen's widgets have finished mounting (a Select updated
            # before its label exists raises inside Textual): apply it after the next refresh.
            self.call_after_refresh(self._apply_facts)
        elif message.error is not None:
            from azwizard.azure.errors import explain

            err = explain(message.error)
            journey.facts_loading = False
            journey.facts_error = f"Could not read live facts: {err.what}"
            if err.code == "LocationNotAvailableForResourceGroup":
                journey.facts_error = None  # the region's blocking finding (vm-region-access) says it, once
            journey.recheck()

    def _apply_facts(self) -> None:
        if not self.is_attached or self._closing or self.app._closing:
            return  # the app is closing: nothing left to update
        self._fill_regions()
        self.journey.set_location(self.journey.spec.location)

    def _fill_regions(self) -> None:
        facts = self.journey.subscription_facts
        if facts is None:
            return
        select = self.query_one("#location", Select)
        options = region_options(facts)
        with self.prevent(Select.Changed):
            select.set_options(options)
            if any(v == self.spec.location for _, v in options):
                select.value = self.spec.location
        self.refresh_form()

    def refresh_form(self) -> None:
        journey = self.journey
        has_zones = journey.region_has_zones
        note = self.query_one("#region-note", Static)
        if has_zones is None:
            note.update("[dim]Reading regions…[/dim]" if journey.facts_loading else "")
        elif has_zones:
            note.update("[dim]This region has availability zones: public IPs will be zone-redundant.[/dim]")
        else:
            note.update("[dim]This region has no availability zones: resources are regional (no zones).[/dim]")
        group_note = self.query_one("#group-note", Static)
        facts = journey.subscription_facts
        where = facts.group_location(self.spec.names.resource_group) if facts else None
        if where:
            group_note.update(f"[$warning]Exists already[/] in {where}: azwizard will add the resources to it.")
            if not self.spec.use_existing_group:
                journey.update(use_existing_group=True)
        else:
            existing = facts.group_names_for_people() if facts else []
            hint = f" Existing groups: {escape(', '.join(existing[:8]))}{' …' if len(existing) > 8 else ''}." \
                if existing else ""
            group_note.update(f"[dim]A new resource group will be created.{hint}[/dim]")
            if self.spec.use_existing_group:
                journey.update(use_existing_group=False)

    @on(Input.Changed, "#base_name")
    def _base(self, event: Input.Changed) -> None:
        base = event.value.strip()
        err = self.query_one("#base_name-error", FieldError)
        if not base:
            event.input.add_class("-invalid")
            err.set_error("The base name cannot be empty")
            return
        event.input.remove_class("-invalid")
        err.set_error(None)
        if base == self.spec.base_name:
            return  # the value shown when the step opens: nothing to derive
        self.journey.set_base_name(base)
        for field in dataclasses.fields(VmNames):
            widget = self.query_one(f"#names-{field.name}", Input)
            value = getattr(self.spec.names, field.name)
            if widget.value != value:
                with self.prevent(Input.Changed):
                    widget.value = value
        self.refresh_form()

    @on(Input.Changed)
    def _name_changed(self, event: Input.Changed) -> None:
        wid = event.input.id or ""
        if not wid.startswith("names-"):
            return
        field = wid.removeprefix("names-")
        if event.value.strip() and event.value.strip() != getattr(self.spec.names, field):
            self.journey.set_name(field, event.value.strip())
            if field == "resource_group":
                self.refresh_form()

    @on(Select.Changed, "#location")
    def _region(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.location:
            self.journey.set_location(event.value)
            self.refresh_form()
            if self.journey.catalog is not None and self.journey.subscription_facts is not None:
                self.journey.facts_loading = True
                self.journey.recheck()
                self.load_region(event.value)


# ---------------------------------------------------------------------------------------------- 2


class NetworkStep(VmStep):
    STEP_TITLE = "Network"
    INTRO = ("A dual-stack virtual network: an IPv4 private space (/16) and a random [b]unique local IPv6[/b] "
             "/48 (RFC 4193), with a subnet [b]default[/b] holding the first IPv4 /24 and the first IPv6 /64 "
             "(Azure requires IPv6 subnets to be exactly /64). Addresses are written zero-compressed, as "
             "Azure wants them. Press [b]ctrl+g[/b] for a new random IPv6 prefix.")
    STEP_ID = "network"
    BINDINGS = [Binding("ctrl+g", "regenerate", "New IPv6 prefix", id="vm.network.regenerate")]

    def compose_form(self) -> ComposeResult:
        net = self.spec.network.resolved()
        for key, version in (("ipv4_space", 4), ("ipv6_space", 6), ("subnet_ipv4", 4), ("subnet_ipv6", 6)):
            fid = f"network-{key}"
            yield Label(VM_FIELDS.spec(f"network.{key}").label)
            yield Input(getattr(net, key), id=fid)
            yield FieldError(id=f"{fid}-error")
            self.bind_input(fid, fid.replace("-", "."), _cidr(version))

    def refresh_form(self) -> None:
        """Show an IPv6 prefix set from elsewhere (the review keeps an earlier run's prefix for its VNet),
        unless the user is editing the field."""
        net = self.spec.network.resolved()
        for fid, value in (("network-ipv6_space", net.ipv6_space), ("network-subnet_ipv6", net.subnet_ipv6)):
            widget = self.query_one(f"#{fid}", Input)
            if widget.value != value and not widget.has_focus and not widget.has_class("-invalid"):
                with self.prevent(Input.Changed):
                    widget.value = value

    def action_regenerate(self) -> None:
        ula = random_ula_48()
        self.query_one("#network-ipv6_space", Input).value = ula
        self.query_one("#network-subnet_ipv6", Input).value = first_subnet(ula, 64)

    @on(Input.Changed, "#network-ipv4_space")
    def _v4_space(self, event: Input.Changed) -> None:
        self._follow(event.value, "#network-subnet_ipv4", 24)

    @on(Input.Changed, "#network-ipv6_space")
    def _v6_space(self, event: Input.Changed) -> None:
        self._follow(event.value, "#network-subnet_ipv6", 64)

    def _follow(self, space: str, subnet_id: str, prefixlen: int) -> None:
        """Keep the subnet at the first /24 (/64) of the space while the user edits the space."""
        try:
            net = ipaddress.ip_network(space.strip(), strict=True)
            if net.prefixlen <= prefixlen:
                self.query_one(subnet_id, Input).value = first_subnet(compressed(space), prefixlen)
        except ValueError:
            pass


# ---------------------------------------------------------------------------------------------- 3


class PublicIpStep(VmStep):
    STEP_TITLE = "Public IPs"
    INTRO = ("Two public addresses for the VM: IPv4 and IPv6, [b]Standard[/b] SKU (Basic was retired in "
             "September 2025), [b]static[/b] (Standard addresses always are), routed over the "
             "[b]Microsoft network[/b]. Note the allocated addresses on the last step for your DNS records.")
    STEP_ID = "public_ips"

    def compose_form(self) -> ComposeResult:
        yield Label(VM_FIELDS.spec("public_ip.zones").label)
        yield Select(self._zone_options(), value=self._zone_value(), id="public_ip-zones", allow_blank=False)
        yield Static("", id="zones-note", classes="note")
        routing = VM_FIELDS.spec("public_ip.routing_preference")
        yield Label(routing.label)
        yield Select(routing.options(self.spec.public_ip.routing_preference),
                     value=self.spec.public_ip.routing_preference, id="public_ip-routing_preference",
                     allow_blank=False)
        yield Label("SKU and assignment")
        with Horizontal(classes="choice-row"):
            yield self.choice("public_ip-sku", "public_ip.sku", VM_FIELDS.spec("public_ip.sku").options())
            yield self.choice("public_ip-allocation", "public_ip.allocation",
                              VM_FIELDS.spec("public_ip.allocation").options())
        yield from self.int_field("public_ip.idle_timeout_minutes", "The idle timeout")
        yield Static("[dim]Tier: regional[/dim]", classes="note")

    def _zone_options(self) -> list[tuple[str, str]]:
        opts = [("Zone-redundant (zones 1, 2, 3) — survives a zone outage", "1,2,3")]
        opts += [(f"Zonal: zone {z} only", z) for z in ("1", "2", "3")]
        opts.append(("No zone (regional)", ""))
        return opts

    def _zone_value(self) -> str:
        return ",".join(self.spec.public_ip.zones)

    def refresh_form(self) -> None:
        has = self.journey.region_has_zones
        note = self.query_one("#zones-note", Static)
        if has is False:
            note.update(f"[$warning]{escape(self.spec.location)} has no availability zones[/]: public IPs there "
                        "are regional. Choose 'No zone' (zone-redundant is not possible in this region).")
        else:
            note.update("[dim]Zone-redundant addresses keep working when one zone fails; addresses created "
                        "as non-zonal cannot be made zone-redundant later.[/dim]")
        sel = self.query_one("#public_ip-zones", Select)
        if sel.value != self._zone_value():
            with self.prevent(Select.Changed):
                sel.value = self._zone_value()

    @on(Select.Changed, "#public_ip-zones")
    def _zones(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            zones = tuple(z for z in event.value.split(",") if z)
            self.journey.set("public_ip", dataclasses.replace(self.spec.public_ip, zones=zones))
            self.refresh_form()

    @on(Select.Changed, "#public_ip-routing_preference")
    def _routing(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.set("public_ip.routing_preference", event.value)


# ---------------------------------------------------------------------------------------------- 4


class NatStep(VmStep):
    STEP_TITLE = "NAT gateway"
    INTRO = ("[b]Optional.[/b] A NAT gateway gives the subnet's VMs shared outbound IPv4 through its own "
             "public address. You need it when many VMs share few public IPv4 addresses and risk SNAT port "
             "exhaustion; you do not when every VM has its own public IPv4 (as this one does). Caveats: a "
             "Standard NAT gateway is IPv4-only (IPv6 keeps leaving through the VM's public IPv6) and is zonal "
             "or regional, never zone-redundant.")
    STEP_ID = "nat"

    def compose_form(self) -> ComposeResult:
        with Horizontal(classes="switch-row"):
            yield Switch(self.spec.nat_gateway.enabled, id="nat_gateway-enabled")
            yield Label("Create a NAT gateway for outbound IPv4")
        yield from self.int_field("nat_gateway.idle_timeout_minutes", "The idle timeout")
        yield Label("SKU and zone")
        with Horizontal(classes="choice-row"):
            yield self.choice("nat_gateway-sku", "nat_gateway.sku", VM_FIELDS.spec("nat_gateway.sku").options())
            yield self.choice("nat_gateway-zones", "nat_gateway.zones",
                              [("No zone (regional)", ())] + [(f"Zone {z} only", (z,)) for z in ("1", "2", "3")])

    @on(Switch.Changed, "#nat_gateway-enabled")
    def _enabled(self, event: Switch.Changed) -> None:
        self.journey.set("nat_gateway.enabled", event.value)


# ---------------------------------------------------------------------------------------------- 5


class NsgStep(VmStep):
    STEP_TITLE = "Security rules (NSG)"
    INTRO = ("Inbound rules for the VM's purpose, on an NSG associated with the [b]subnet[/b] (never with the "
             "NIC, so there is one place to look). NSGs filter ICMPv4 only: inbound ping over IPv6 will not "
             "work, and path MTU discovery over IPv6 may break — the cloud-init step can set the NIC's MTU to "
             "1280 to avoid it.")
    STEP_ID = "nsg"
    BINDINGS = [
        # keys free in Input, TextArea and DataTable, so they work wherever the focus is
        Binding("ctrl+o", "add_rule", "Add rule", id="vm.nsg.add"),
        Binding("ctrl+r", "remove_rule", "Remove rule", id="vm.nsg.remove"),
        Binding("ctrl+t", "my_ip", "Use my public IP", id="vm.nsg.myip"),
    ]

    def compose_form(self) -> ComposeResult:
        purpose = VM_FIELDS.spec("purpose")
        yield Label(purpose.label)
        yield Select(purpose.options(self.spec.purpose), value=self.spec.purpose, id="purpose", allow_blank=False)
        yield Label("Source for ICMP and SSH")
        yield Input(self._admin_source(), id="nsg-source",
                    placeholder="* (any) or your IP/CIDR; ctrl+t fills in your public IP")
        yield FieldError(id="nsg-source-error")
        table: DataTable[str] = DataTable(id="nsg_rules", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "Priority", "Protocol", "Ports", "Source", "Action")
        yield table
        with Vertical(id="rule-form", classes="rule-form"):
            yield Label("Add a rule (select one above to edit it): name, priority (100–4096), protocol "
                        "(Tcp/Udp/Icmp/*), ports, source")
            with Horizontal():
                for title, placeholder, input_id in (("name", "Allow-App", "rule-name"),
                                                     ("priority", "200", "rule-priority"),
                                                     ("protocol", "Tcp", "rule-protocol"),
                                                     ("ports", "8080", "rule-ports"), ("source", "*", "rule-source")):
                    field = Input(placeholder=placeholder, id=input_id)
                    field.border_title = title  # the label stays when the field is filled in, and when narrow
                    yield field
            yield FieldError(id="rule-error")
            yield Button("Add rule (ctrl+o)", id="rule-add")

    def on_mount(self) -> None:
        super().on_mount()
        self._fill()

    def _admin_source(self) -> str:
        for r in self.spec.nsg_rules:
            if r.name == "Allow-SSH":
                return r.source
        return "*"

    def _fill(self) -> None:
        table = self.query_one("#nsg_rules", DataTable)
        table.clear()
        for r in self.spec.nsg_rules:
            table.add_row(r.name, str(r.priority), r.protocol, ",".join(r.destination_ports), r.source, r.access,
                          key=r.name)

    @on(Select.Changed, "#purpose")
    def _purpose(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.purpose:
            rules = rules_for_purpose(event.value, self._admin_source())  # type: ignore[arg-type]
            self.journey.update(purpose=event.value, nsg_rules=rules or self.spec.nsg_rules)
            self._fill()

    @on(Input.Changed, "#nsg-source")
    def _source(self, event: Input.Changed) -> None:
        text = event.value.strip() or "*"
        err = self.query_one("#nsg-source-error", FieldError)
        if text not in ("*", "Internet"):
            try:
                ipaddress.ip_network(text, strict=False)
            except ValueError:
                event.input.add_class("-invalid")
                err.set_error(f"'{text}' is not *, Internet or an IP address / CIDR")
                return
        event.input.remove_class("-invalid")
        err.set_error(None)
        rules = tuple(dataclasses.replace(r, source=text) if r.name in ("Allow-SSH", "Allow-ICMPv4") else r
                      for r in self.spec.nsg_rules)
        self.journey.update(nsg_rules=rules)
        self._fill()

    @on(Button.Pressed, "#rule-add")
    def _add_pressed(self) -> None:
        self.action_add_rule()

    def action_add_rule(self) -> None:
        vals = {k: self.query_one(f"#rule-{k}", Input).value.strip()
                for k in ("name", "priority", "protocol", "ports", "source")}
        err = self.query_one("#rule-error", FieldError)
        if not any(vals.values()):
            self.notify("Fill in the new rule's fields (name, priority, protocol, ports, source) first; then ctrl+o "
                        "adds it.", severity="warning", timeout=5)  # never a silent key (issue 19 item 5)
            self.query_one("#rule-name", Input).focus()
            return
        try:
            rule = _parse_rule(vals)
        except ValueError as exc:
            err.set_error(str(exc))  # bad input: nothing changes
            # the reason may be below the fold: scrolled to, and said where the user looks
            self.call_after_refresh(err.scroll_visible, animate=False)
            self.notify(f"The rule was not added: {exc}.", severity="error", timeout=6)
            return
        err.set_error(None)
        others = tuple(r for r in self.spec.nsg_rules if r.name.lower() != rule.name.lower())
        replaced = len(others) != len(self.spec.nsg_rules)
        self.journey.update(nsg_rules=(*others, rule), purpose="custom")
        if replaced:
            self.notify(f"Rule {rule.name} updated.")
        with self.prevent(Select.Changed):
            self.query_one("#purpose", Select).value = "custom"
        for k in vals:
            self.query_one(f"#rule-{k}", Input).value = ""
        self._fill()

    def action_my_ip(self) -> None:
        self._detect_ip()

    @work(thread=True, exclusive=True, exit_on_error=False, group="myip")
    @posts(IpDetected)
    def _detect_ip(self) -> str:
        from azwizard.myip import detect_public_ipv4

        return detect_public_ipv4(demo=azapp(self).demo)

    @on(IpDetected)
    def _ip_detected(self, message: IpDetected) -> None:
        if message.result:
            if leaving(self):
                return  # the step is being popped: the address is not wanted any more
            self.query_one("#nsg-source", Input).value = f"{message.result}/32"
            demo = " (simulated: demo mode doesn't look up your real address)" if azapp(self).demo \
                else ""
            self.notify(f"SSH and ICMP now allowed only from {message.result}{demo}.")
        elif message.error is not None:
            self.notify(str(message.error), severity="error")

    @on(DataTable.RowSelected, "#nsg_rules")
    def _edit(self, event: DataTable.RowSelected) -> None:
        """Selecting a rule puts it in the form: change it and add it again under the same name to replace it."""
        name = str(event.row_key.value)
        rule = next((r for r in self.spec.nsg_rules if r.name == name), None)
        if rule is None:
            return
        for key, value in (("name", rule.name), ("priority", str(rule.priority)), ("protocol", rule.protocol),
                           ("ports", ",".join(rule.destination_ports)), ("source", rule.source)):
            self.query_one(f"#rule-{key}", Input).value = value

    def action_remove_rule(self) -> None:
        table = self.query_one("#nsg_rules", DataTable)
        if table.row_count == 0:
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        name = str(row_key.value)
        self.journey.update(nsg_rules=tuple(r for r in self.spec.nsg_rules if r.name != name), purpose="custom")
        with self.prevent(Select.Changed):
            self.query_one("#purpose", Select).value = "custom"
        self._fill()


def _parse_rule(vals: dict[str, str]) -> NsgRule:
    if not vals["name"]:
        raise ValueError("The rule needs a name")
    try:
        priority = int(vals["priority"])
    except ValueError:
        raise ValueError("Priority must be a whole number (100–4096)") from None
    protocol = {"tcp": "Tcp", "udp": "Udp", "icmp": "Icmp", "*": "*", "any": "*", "": "Tcp"}.get(
        vals["protocol"].lower())
    if protocol is None:
        raise ValueError("Protocol must be Tcp, Udp, Icmp or *")
    ports = tuple(p.strip() for p in (vals["ports"] or "*").split(",") if p.strip())
    for p in ports:
        if p != "*" and not all(part.isdigit() and 0 < int(part) < 65536 for part in p.split("-")):
            raise ValueError(f"'{p}' is not a port, a range like 8000-8080, or *")
    source = vals["source"] or "*"
    return NsgRule(vals["name"], priority, protocol, ports, source)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------- 6


MAX_SIZE_ROWS = 60


class SizePicker(Vertical):
    """VM sizes offered in the region (and zone), with vCPUs, memory, family and vCPU quota left;
    type to filter. In the filter, enter picks the only match (or moves into the list) and down moves into
    the list."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to filter sizes, e.g. d2s or 4 vcpu; enter picks the only match",
                    id="size-filter")
        table: DataTable[str] = DataTable(id="size", cursor_type="row", zebra_stripes=True)
        # Quota left, Zones and the price before Family: a narrow terminal cuts the last column, and these decide
        table.add_columns("Size", "vCPUs", "Memory", "Quota left", "Zones", month_header(), "Family")
        yield table
        yield Static("", id="size-count")
        yield Static("", id="size-prices")

    @on(Input.Submitted, "#size-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        table = self.query_one("#size", DataTable)
        if table.row_count == 1:
            table.move_cursor(row=0)
            # Selected from the screen's context: a message sent from here (the table's parent) would stop
            # bubbling here and never reach the step's RowSelected handler, which sets the size.
            self.screen.call_later(table.action_select_cursor)
        elif table.row_count:
            table.focus()

    def on_key(self, event: events.Key) -> None:
        table = self.query_one("#size", DataTable)
        if event.key == "down" and self.query_one("#size-filter", Input).has_focus and table.row_count:
            event.stop()
            table.focus()


def month_price(book: PriceBook | None, size: str) -> str:
    """The size's Linux pay-as-you-go price per month (730 h) in the book's currency; ``?`` when not listed."""
    from azwizard.cleanup.costs import HOURS_PER_MONTH, amount, vm_hourly

    if book is None:
        return "…"
    hourly = vm_hourly(size, book)
    return "?" if hourly is None else amount(hourly * HOURS_PER_MONTH, book.currency)


def month_header(book: PriceBook | None = None) -> str:
    """``$/month`` (or ``€/month``, ``CHF/month``): the picker's price column."""
    from azwizard.cleanup.costs import amount
    from azwizard.pricing import currency_setting

    try:
        currency = book.currency if book is not None else currency_setting()
    except ValueError:
        currency = "USD"
    return amount(0, currency).split("0")[0].strip() + "/month"


def price_note(book: PriceBook | None) -> str:
    """Under the picker: where the $/month figures come from (date, currency, or the marked fallback)."""
    if book is None:
        return "[dim]Reading prices…[/dim]"
    text = escape(book.label())
    return f"[b $warning]{text}[/]" if book.is_fallback else f"[dim]$/month: Linux pay-as-you-go, {text}[/dim]"


class SizeRows:
    """The picker's rows for one list of sizes, built once (price, quota, zones and memory formatted); a
    keystroke then only filters them, so typing stays within a frame over the 800+ sizes of a large region."""

    def __init__(self, sizes: list[VmSize], quota: dict[str, int], prices: PriceBook | None = None) -> None:
        self.index: list[tuple[str, int, tuple[str, ...]]] = []
        for s in sizes:
            left = quota.get(s.family)
            row = (s.name, str(s.vcpus), f"{s.memory_gb:g} GiB", "?" if left is None else str(left),
                   ",".join(s.usable_zones) or "—", month_price(prices, s.name), s.family)
            self.index.append((s.name.lower(), s.vcpus, row))

    def matching(self, query: str) -> list[tuple[str, ...]]:
        q = query.strip().lower().replace("standard_", "")
        words = q.split()
        if len(words) == 2 and words[0].isdigit() and words[1].startswith("vcpu"):
            want = int(words[0])
            return [row for _, vcpus, row in self.index if vcpus == want]
        if not words:
            return [row for _, _, row in self.index]
        return [row for name, _, row in self.index if all(w in name for w in words)]


def size_rows(sizes: list[VmSize], quota: dict[str, int], query: str,
              prices: PriceBook | None = None) -> list[tuple[str, ...]]:
    """The rows the picker shows for ``query`` (pure, so it can be benchmarked per keystroke)."""
    return SizeRows(sizes, quota, prices).matching(query)


class VmDetailsStep(VmStep):
    STEP_TITLE = "Virtual machine"
    INTRO = ("The VM itself. Only sizes offered in this region for your subscription are listed, with the "
             "vCPU quota you have left in each family. The OS disk is Standard SSD and is deleted with the "
             "VM; the NIC too; the public IPs are kept (they are in your DNS).")
    STEP_ID = "vm"
    BINDINGS = [Binding("ctrl+g", "generate_key", "New SSH key", id="vm.details.keygen")]
    INITIAL_FOCUS = "#size-filter"

    def compose_form(self) -> ComposeResult:
        yield Label(VM_FIELDS.spec("image").label)
        yield Select([(img.label, key) for key, img in IMAGES.items()], value=self._image_key(), id="image",
                     allow_blank=False)
        yield Label(f"Size (now {self.spec.size})", id="size-label")
        yield SizePicker(id="size-picker")
        zone, security = VM_FIELDS.spec("zone"), VM_FIELDS.spec("security_type")
        yield Label(zone.label)
        yield Select(zone.options(self.spec.zone or ""), value=self.spec.zone or "", id="zone", allow_blank=False)
        yield Label(security.label)
        yield Select(security.options(self.spec.security_type), value=self.spec.security_type, id="security_type",
                     allow_blank=False)
        yield Label(VM_FIELDS.spec("admin_username").label)
        yield Input(self.spec.admin_username, id="admin_username")
        self.bind_input("admin_username", "admin_username")
        yield Label(VM_FIELDS.spec("ssh_public_key").label)
        yield Select(self._key_options(), value=self._key_value(), id="ssh_public_key", allow_blank=True,
                     prompt=f"choose a key from {self._ssh_dir_shown()}, or press ctrl+g to generate one")
        yield Input(id="ssh_public_key-paste", placeholder="… or paste a public key here (ssh-ed25519 AAAA… you@host)")
        yield FieldError(id="ssh_public_key-paste-error")
        yield Static("", id="key-note", classes="note")
        os_disk = VM_FIELDS.spec("os_disk.sku")
        yield Label(os_disk.label)
        yield Select(os_disk.options(self.spec.os_disk.sku), value=self.spec.os_disk.sku, id="os_disk-sku",
                     allow_blank=False)
        yield Label(VM_FIELDS.spec("os_disk.size_gb").label)
        yield Input(str(self.spec.os_disk.size_gb or ""), id="os_disk-size_gb", placeholder="the image's size")
        yield FieldError(id="os_disk-size_gb-error")
        self.bind_input("os_disk-size_gb", "os_disk.size_gb", _optional_int)
        yield Label("Data disk size in GiB (0 = none) and type")
        with Horizontal(classes="choice-row"):
            yield Input(str(self.spec.data_disk.size_gb if self.spec.data_disk else 0), id="data_disk-size")
            yield Select(self._data_disk_options(), value=self.spec.data_disk.sku if self.spec.data_disk else
                         "StandardSSD_LRS", id="data_disk-sku", allow_blank=False)
        yield FieldError(id="data_disk-size-error")
        with Horizontal(classes="switch-row"):
            # the same default as a profile's data_disk.delete_with_vm (true), said as it is (issue 19 item 11)
            yield Switch(self.spec.data_disk.delete_with_vm if self.spec.data_disk else True,
                         id="data_disk-delete_with_vm")
            yield Label("Delete the data disk with the VM (off: it is kept, and billed, after the VM is deleted)")
        with Horizontal(classes="switch-row"):
            yield Switch(self.spec.accelerated_networking, id="accelerated_networking")
            yield Label(VM_FIELDS.spec("accelerated_networking").label)
        yield Label(VM_FIELDS.spec("priority").label)
        with Horizontal(classes="choice-row"):
            for path in ("priority", "eviction_policy"):
                yield self.choice(path, path, VM_FIELDS.spec(path).options())
            yield Input(f"{self.spec.max_price:g}", id="max_price", placeholder="-1")
        yield FieldError(id="max_price-error")
        self.bind_input("max_price", "max_price", _price)
        yield Static("", id="price-note", classes="note")

    def on_mount(self) -> None:
        super().on_mount()
        self._fill_sizes("")
        self._show_price()

    def _journey_changed(self) -> None:
        super()._journey_changed()
        if self.is_attached:
            self._show_price()

    def _show_price(self) -> None:
        """The size's pay-as-you-go price, and what a Spot VM pays (spot-vms#pricing: "the current price for spot
        or the price for a standard VM, which ever is less"; -1 is never evicted for price)."""
        from azwizard.cleanup.costs import money, vm_hourly

        spec, book = self.spec, self.journey.prices  # the region's list prices (azwizard.pricing), when read
        hourly = vm_hourly(spec.size, book)
        payg = (money(hourly, book.currency if book is not None else "USD") if hourly is not None
                else "not in the price list")
        if spec.priority != "Spot":
            text = f"Pay as you go: {spec.size} {payg}."
        elif spec.max_price == -1:
            text = (f"Spot: the price follows demand, at most the pay-as-you-go price: {payg} for {spec.size}. "
                    "Evicted with 30 s notice when Azure needs the capacity, never for price.")
        else:
            # billingProfile.maxPrice is in US dollars whatever the billing currency (spot-vms#pricing)
            text = (f"Spot: the price follows demand, at most {money(spec.max_price)} (pay as you go: {payg}). "
                    "Evicted with 30 s notice when Azure needs the capacity or the price goes above your max.")
        self.query_one("#price-note", Static).update(f"[dim]{escape(text)}[/dim]")

    def _data_disk_options(self) -> list[tuple[str, str]]:
        return VM_FIELDS.spec("data_disk.sku").options(self.spec.data_disk.sku if self.spec.data_disk else None)

    def _image_key(self) -> str:
        return next((k for k, v in IMAGES.items() if v == self.spec.image), "debian-12")

    def _key_options(self) -> list[tuple[str, str]]:
        from azwizard.sshkeys import list_public_keys

        opts = [(f"{k.path.name} ({k.kind} {k.comment})", k.text) for k in list_public_keys(self._ssh_dir())]
        if self.spec.ssh_public_key and all(v != self.spec.ssh_public_key for _, v in opts):
            opts.insert(0, (f"{self.spec.ssh_public_key.split()[0]} {self.spec.ssh_public_key.split()[-1]}",
                            self.spec.ssh_public_key))
        return opts

    def _key_value(self) -> Any:
        return self.spec.ssh_public_key or Select.NULL

    def _ssh_dir_shown(self) -> str:
        """Where the keys are read from, as the user would type it (demo mode reads $AZWIZARD_DATA_DIR/demo/ssh,
        not ~/.ssh: issue 19 item 10)."""
        path = self._ssh_dir()
        try:
            return "~/" + str(path.relative_to(Path.home()))
        except ValueError:
            return str(path)

    def _ssh_dir(self) -> Path:
        from azwizard.sshkeys import ssh_dir

        return ssh_dir(azapp(self).demo)

    _sizes: tuple[Any, Any, SizeRows] | None = None  # (facts, (zones, prices), rows) the picker's rows came from
    _shown: tuple[list[tuple[str, ...]], str] | None = None  # the rows in the table, and the chosen size then

    def _size_rows(self, facts: Any, zones: tuple[str, ...]) -> SizeRows:
        """The rows of the sizes usable here, sorted smallest first: built when the facts or the zone change."""
        prices = self.journey.prices
        if (self._sizes is None or self._sizes[0] is not facts or self._sizes[1][0] != zones
                or self._sizes[1][1] is not prices):
            quota = {name: u.available for name, u in facts.compute_usages.items()}
            sizes = sorted((s for s in facts.vm_sizes.values() if not s.location_restricted and s.usable_in(zones)),
                           key=lambda s: (s.vcpus, s.memory_gb, s.name))
            self._sizes = (facts, (zones, prices), SizeRows(sizes, quota, prices))
        return self._sizes[2]

    def _fill_sizes(self, query: str) -> None:
        facts = self.journey.region_facts
        table = self.query_one("#size", DataTable)
        if facts is None:
            table.clear()
            self._shown = None
            return
        zones = (self.spec.zone,) if self.spec.zone else ()
        rows = self._size_rows(facts, zones).matching(query)
        total = len(rows)
        chosen = self.spec.size.lower()
        if total > MAX_SIZE_ROWS:
            # A region offers hundreds of sizes; the table shows the first matches (smallest first, the
            # chosen size always among them) and typing narrows it: refilling stays under a frame (16 ms).
            keep = rows[:MAX_SIZE_ROWS]
            picked = [r for r in rows[MAX_SIZE_ROWS:] if r[0].lower() == chosen]
            rows = keep + picked
        if self._shown != (rows, chosen) or table.row_count != len(rows):  # else the table is left as it is
            table.clear()
            table.add_rows(rows)  # one batch
            self._shown = (rows, chosen)
            current = next((i for i, row in enumerate(rows) if row[0].lower() == chosen), None)
            if current is not None:
                table.move_cursor(row=current)  # show where the chosen size sits among the others
        self.query_one("#size-count", Static).update(
            f"[dim]{len(rows)} of {total} sizes shown — type to narrow[/dim]" if total > len(rows) else
            f"[dim]{total} size(s)[/dim]")
        self.query_one("#size-prices", Static).update(price_note(self.journey.prices))

    def refresh_form(self) -> None:
        self._fill_sizes(self.query_one("#size-filter", Input).value)
        for path in ("priority", "eviction_policy"):  # set from elsewhere (a profile, a pasted command)
            select = self.query_one(f"#{path}", Select)
            if select.value != getattr(self.spec, path):
                with self.prevent(Select.Changed):
                    select.value = getattr(self.spec, path)

    @on(Input.Changed, "#size-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill_sizes(event.value)

    @on(DataTable.RowSelected, "#size")
    def _size_chosen(self, event: DataTable.RowSelected) -> None:
        name = str(event.data_table.get_row(event.row_key)[0])
        self.journey.set("size", name)
        self.query_one("#size-label", Label).update(f"Size (now {name})")

    @on(Select.Changed, "#image")
    def _image(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.set("image", IMAGES[event.value])

    @on(Select.Changed, "#zone")
    def _zone(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.set("zone", event.value or None)
            self.refresh_form()

    @on(Select.Changed, "#security_type")
    def _security(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.set("security_type", event.value)

    @on(Select.Changed, "#ssh_public_key")
    def _key(self, event: Select.Changed) -> None:
        self.journey.set("ssh_public_key", event.value if isinstance(event.value, str) else "")

    @on(Input.Changed, "#ssh_public_key-paste")
    def _key_pasted(self, event: Input.Changed) -> None:
        """A pasted public key becomes the VM's key; anything else (a private key above all) is refused with a
        message, and the spec keeps the key it had."""
        from azwizard.sshkeys import public_key_problem

        text = event.value.strip()
        err = self.query_one("#ssh_public_key-paste-error", FieldError)
        problem = public_key_problem(text) if text else None
        event.input.set_class(problem is not None, "-invalid")
        err.set_error(problem)
        if problem is not None:
            if "private key" in problem:
                with self.prevent(Input.Changed):
                    event.input.value = ""  # not kept on screen (nor anywhere) either
                event.input.remove_class("-invalid")
            return
        if text and text != self.spec.ssh_public_key:
            self.journey.set("ssh_public_key", text)
            select = self.query_one("#ssh_public_key", Select)
            with self.prevent(Select.Changed):
                select.set_options(self._key_options())
                select.value = text
            self.query_one("#key-note", Static).update("[$success]Pasted public key[/] set for the admin user.")

    @on(Select.Changed, "#os_disk-sku")
    def _disk(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.set("os_disk.sku", event.value)

    @on(Input.Changed, "#data_disk-size")
    def _data_disk(self, event: Input.Changed) -> None:
        from azwizard.specs.vm import DiskSpec

        err = self.query_one("#data_disk-size-error", FieldError)
        try:
            size = _int_in(0, _range("data_disk.size_gb")[1], "The data disk size")(event.value or "0")
        except ValueError as exc:
            event.input.add_class("-invalid")
            err.set_error(str(exc))
            return
        event.input.remove_class("-invalid")
        err.set_error(None)
        sku = self.query_one("#data_disk-sku", Select).value
        delete = self.query_one("#data_disk-delete_with_vm", Switch).value
        self.journey.update(data_disk=DiskSpec(size_gb=size, sku=sku if isinstance(sku, str) else "StandardSSD_LRS",
                                               delete_with_vm=delete) if size else None)

    @on(Switch.Changed, "#data_disk-delete_with_vm")
    def _data_disk_delete(self, event: Switch.Changed) -> None:
        disk = self.spec.data_disk
        if disk is not None and event.value != disk.delete_with_vm:
            self.journey.update(data_disk=dataclasses.replace(disk, delete_with_vm=event.value))

    @on(Select.Changed, "#data_disk-sku")
    def _data_disk_sku(self, event: Select.Changed) -> None:
        disk = self.spec.data_disk
        if disk is not None and isinstance(event.value, str) and event.value != disk.sku:
            self.journey.update(data_disk=dataclasses.replace(disk, sku=event.value))

    @on(Switch.Changed, "#accelerated_networking")
    def _accelerated(self, event: Switch.Changed) -> None:
        self.journey.set("accelerated_networking", event.value)

    def action_generate_key(self) -> None:
        from azwizard.sshkeys import generate_keypair

        base = self.spec.base_name.lower()
        path = self._ssh_dir() / f"azwizard_{base}_ed25519"
        n = 1
        while path.exists():
            n += 1
            path = self._ssh_dir() / f"azwizard_{base}_{n}_ed25519"
        try:
            key = generate_keypair(path, f"{self.spec.admin_username}@{self.spec.names.vm}")
        except OSError as exc:
            self.notify(f"Could not write the key: {exc}", severity="error")
            return
        select = self.query_one("#ssh_public_key", Select)
        select.set_options(self._key_options())
        select.value = key.text
        self.query_one("#key-note", Static).update(
            f"[$success]New key pair[/]: private key {escape(str(path))} (mode 0600, never shown); "
            f"public key {escape(str(key.path))}.")


# ---------------------------------------------------------------------------------------------- 7


class BackupStep(VmStep):
    STEP_TITLE = "Backup"
    INTRO = ("[b]Optional.[/b] Azure Backup in a Recovery Services vault in the same resource group and region. "
             "Trusted launch VMs need the [b]Enhanced[/b] policy. Mind the cleanup cost: a vault with backups "
             "cannot be deleted until protection is stopped and the backup data deleted, and deleted backups "
             "stay in soft delete for 14 days.")
    STEP_ID = "backup"

    def compose_form(self) -> ComposeResult:
        with Horizontal(classes="switch-row"):
            yield Switch(self.spec.backup.enabled, id="backup-enabled")
            yield Label("Back up this VM")
        policy = VM_FIELDS.spec("backup.policy")
        yield Label(policy.label)
        yield Select(policy.options(self.spec.backup.policy), value=self.spec.backup.policy, id="backup-policy",
                     allow_blank=False)

    @on(Switch.Changed, "#backup-enabled")
    def _enabled(self, event: Switch.Changed) -> None:
        self.journey.set("backup.enabled", event.value)

    @on(Select.Changed, "#backup-policy")
    def _policy(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.journey.set("backup.policy", event.value)


# ---------------------------------------------------------------------------------------------- 8

MTU_SNIPPET = """#cloud-config
# IPv6 on Azure: NSGs drop ICMPv6, so path MTU discovery can fail. An MTU of 1280 (the IPv6 minimum)
# avoids needing it for outbound traffic. The notes also saw ifupdown lose IPv6 after a while;
# systemd-networkd with DHCP for both families kept it.
write_files:
  - path: /etc/systemd/network/10-eth0.network
    content: |
      [Match]
      Name=eth0
      [Network]
      DHCP=yes
      [Link]
      MTUBytes=1280
runcmd:
  - [sh, -c, "sed -i 's/^\\\\([^#]\\\\)/#\\\\1/' /etc/network/interfaces"]
  - [systemctl, mask, ifup@eth0.service]
  - [systemctl, enable, --now, systemd-networkd]
"""


class CloudInitStep(VmStep):
    STEP_TITLE = "cloud-init"
    INTRO = ("[b]Optional.[/b] Custom data run by cloud-init at first boot (at most 64 KiB once base64-encoded). "
             "Press [b]ctrl+o[/b] to add the notes' advice for IPv6: NIC MTU 1280 and systemd-networkd.")
    STEP_ID = "cloud_init"
    # ctrl+o adds, as on the NSG, node pool and access steps; ctrl+t is "my public IP" wherever it is bound (a key
    # keeps its meaning from step to step: issue 19 item 22)
    BINDINGS = [Binding("ctrl+o", "snippet", "Add MTU snippet", id="vm.cloudinit.snippet")]

    def compose_form(self) -> ComposeResult:
        yield TextArea(self.spec.custom_data, id="custom_data", language=None, soft_wrap=False)
        yield FieldError(id="custom_data-error")
        yield Static("", id="custom_data-size", classes="note")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_size()

    def action_snippet(self) -> None:
        area = self.query_one("#custom_data", TextArea)
        area.text = MTU_SNIPPET if not area.text.strip() else area.text.rstrip() + "\n" + MTU_SNIPPET

    @on(TextArea.Changed, "#custom_data")
    def _changed(self, event: TextArea.Changed) -> None:
        from azwizard.sshkeys import custom_data_problem

        problem = custom_data_problem(event.text_area.text)  # a private key: refused, the spec keeps what it had
        event.text_area.set_class(problem is not None, "-invalid")
        self.query_one("#custom_data-error", FieldError).set_error(f"The custom data {problem}" if problem else None)
        if problem is None:
            self.journey.set("custom_data", event.text_area.text)
        self._show_size()

    def _show_size(self) -> None:
        raw = len(self.spec.custom_data.encode())
        encoded = 4 * ((raw + 2) // 3)
        self.query_one("#custom_data-size", Static).update(
            f"[dim]{raw} bytes; {encoded} bytes base64-encoded (limit 65,536)[/dim]" if raw else
            "[dim]No custom data.[/dim]")


VM_FORM_STEPS: tuple[type[VmStep], ...] = (BasicsStep, NetworkStep, PublicIpStep, NatStep, NsgStep, VmDetailsStep,
                                           BackupStep, CloudInitStep)
