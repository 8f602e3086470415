"""Step 6: production and operations — the notes' "TODO First" for a cluster you keep: the Kubernetes
auto-upgrade channel and the node OS channel (security patches instead of unattended-upgrades), a planned
maintenance window for each, a private API server (and what it means for reaching it from here), Image
Cleaner, SSH to the nodes, the application routing add-on (managed NGINX ingress), managed Prometheus
metrics, and the load balancer's managed outbound IP counts. Nothing here calls Azure."""

from __future__ import annotations

import re
from typing import Any

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from azwizard.fields import AKS_FIELDS
from azwizard.specs.aks import WEEKEND_WINDOW, MaintenanceWindowSpec

from ..fields import Input, Switch
from ..wizard import FieldError
from .steps import AksStep

SCHEDULES = [("No window: AKS may start at any time", "none"), ("Daily", "Daily"), ("Weekly", "Weekly"),
             ("Monthly, on a date (AbsoluteMonthly)", "AbsoluteMonthly"),
             ("Monthly, on a weekday such as the last Tuesday (RelativeMonthly)", "RelativeMonthly")]
DAYS = [(d, d) for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]
WEEK_INDEXES = [(w, w) for w in ("First", "Second", "Third", "Fourth", "Last")]
WINDOWS = (("upgrade_window", "Kubernetes upgrade window (aksManagedAutoUpgradeSchedule)"),
           ("node_os_window", "Node OS update window (aksManagedNodeOSUpgradeSchedule)"))
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_OFFSET = re.compile(r"^([+-]([01][0-9]|2[0-3]):[0-5][0-9])?$")
_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")


class OperationsStep(AksStep):
    STEP_TITLE = "Operations"
    INTRO = ("Keeping the cluster up to date and running it: upgrade channels with a maintenance window each "
             "(the notes' production choice is stable + SecurityPatch on the weekend), a private API server, "
             "Image Cleaner, SSH to the nodes, managed NGINX ingress and Prometheus metrics.")
    STEP_ID = "operations"

    def compose_form(self) -> ComposeResult:
        ops, net = self.spec.operations, self.spec.network
        yield Label("Kubernetes auto-upgrade channel")
        yield Select(AKS_FIELDS.spec("operations.upgrade_channel").options(ops.upgrade_channel),
                     value=ops.upgrade_channel, id="operations-upgrade_channel", allow_blank=False)
        yield Label("Node OS update channel")
        yield Select(AKS_FIELDS.spec("operations.node_os_upgrade_channel").options(ops.node_os_upgrade_channel),
                     value=ops.node_os_upgrade_channel, id="operations-node_os_upgrade_channel",
                     allow_blank=False)
        for key, title in WINDOWS:
            yield from self._window_form(key, title, getattr(ops, key))
        yield Label("Private API server (reachable only from the cluster's network)")
        yield Switch(self.spec.private_cluster, id="private_cluster")
        yield Label("No public DNS name for the private API server")
        yield Switch(self.spec.disable_public_fqdn, id="disable_public_fqdn")
        yield Static("", id="private-note", classes="note")
        yield Label("Image Cleaner (removes unused images from the nodes)")
        with Horizontal(classes="cidr-row"):
            yield Switch(ops.image_cleaner, id="operations-image_cleaner")
            yield Input(str(ops.image_cleaner_interval_hours), id="operations-image_cleaner_interval_hours",
                        placeholder="hours, 24-2160")
        yield FieldError(id="operations-image_cleaner_interval_hours-error")
        yield Label("SSH to the nodes")
        yield Select(AKS_FIELDS.spec("operations.ssh_access").options(ops.ssh_access), value=ops.ssh_access,
                     id="operations-ssh_access", allow_blank=False)
        yield Label("Application routing add-on (managed NGINX ingress)")
        yield Switch(ops.app_routing, id="operations-app_routing")
        yield Label("Azure Monitor managed Prometheus metrics")
        yield Switch(ops.monitor_metrics, id="operations-monitor_metrics")
        yield Label("Managed outbound public IPs (IPv4, IPv6; empty = AKS's default of 1 each)")
        with Horizontal(classes="cidr-row"):
            yield Input("" if net.outbound_ipv4_count is None else str(net.outbound_ipv4_count),
                        id="network-outbound_ipv4_count", placeholder="1")
            yield Input("" if net.outbound_ipv6_count is None else str(net.outbound_ipv6_count),
                        id="network-outbound_ipv6_count", placeholder="1 (dual-stack)")
        yield FieldError(id="network-outbound_ipv4_count-error")
        yield FieldError(id="network-outbound_ipv6_count-error")

    def _window_form(self, key: str, title: str, window: MaintenanceWindowSpec | None) -> ComposeResult:
        w = window or WEEKEND_WINDOW
        p = f"operations-{key}"
        yield Label(title)
        yield Select(SCHEDULES, value=window.schedule if window else "none", id=f"{p}-schedule", allow_blank=False)
        with Vertical(id=f"{p}-details"):
            with Horizontal(classes="cidr-row"):
                yield Select(DAYS, value=w.day_of_week, id=f"{p}-day_of_week", allow_blank=False)
                yield Select(WEEK_INDEXES, value=w.week_index, id=f"{p}-week_index", allow_blank=False)
                yield Input(str(w.day_of_month), id=f"{p}-day_of_month", placeholder="day of month, 1-31")
            with Horizontal(classes="cidr-row"):
                yield Input(str(w.interval), id=f"{p}-interval", placeholder="every N")
                yield Input(w.start_time, id=f"{p}-start_time", placeholder="HH:mm")
                yield Input(str(w.duration_hours), id=f"{p}-duration_hours", placeholder="hours, 4-24")
            with Horizontal(classes="cidr-row"):
                yield Input(w.utc_offset, id=f"{p}-utc_offset", placeholder="UTC offset, e.g. +01:00")
                yield Input(w.start_date, id=f"{p}-start_date", placeholder="start date yyyy-MM-dd (empty = now)")
            for field in ("day_of_month", "interval", "start_time", "duration_hours", "utc_offset", "start_date"):
                yield FieldError(id=f"{p}-{field}-error")
            yield Static("", id=f"{p}-note", classes="note")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()

    # -------- changes

    def _set_ops(self, **changes: Any) -> None:
        self.journey.update(operations=self.spec.operations.with_(**changes))
        self.refresh_form()

    @on(Select.Changed, "#operations-upgrade_channel, #operations-node_os_upgrade_channel, #operations-ssh_access")
    def _select(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("operations-")
        if isinstance(event.value, str) and getattr(self.spec.operations, key) != event.value:
            self._set_ops(**{key: event.value})

    @on(Switch.Changed, "#operations-image_cleaner, #operations-app_routing, #operations-monitor_metrics")
    def _switch(self, event: Switch.Changed) -> None:
        key = (event.switch.id or "").removeprefix("operations-")
        if getattr(self.spec.operations, key) != event.value:
            self._set_ops(**{key: event.value})

    @on(Switch.Changed, "#private_cluster, #disable_public_fqdn")
    def _access(self, event: Switch.Changed) -> None:
        key = event.switch.id or ""
        if getattr(self.spec, key) != event.value:
            self.journey.update(**{key: event.value})
            self.refresh_form()

    @on(Input.Changed, "#operations-image_cleaner_interval_hours")
    def _interval(self, event: Input.Changed) -> None:
        value = self._int(event.input, event.value, "a whole number of hours, 24-2160", required=True)
        if value is not None and value != self.spec.operations.image_cleaner_interval_hours:
            self._set_ops(image_cleaner_interval_hours=value)

    @on(Input.Changed, "#network-outbound_ipv4_count, #network-outbound_ipv6_count")
    def _outbound(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("network-")
        text = event.value.strip()
        value = None if not text else self._int(event.input, text, "a whole number, or empty for AKS's default")
        if text and value is None:
            return
        self.set_error(event.input, None)
        if getattr(self.spec.network, key) != value:
            self.journey.set_network(**{key: value})

    def _int(self, widget: Widget, text: str, what: str, *, required: bool = False) -> int | None:
        text = text.strip()
        if not re.fullmatch(r"[0-9]{1,5}", text):
            self.set_error(widget, f"'{text}' is not {what}" if text or required else None)
            return None
        self.set_error(widget, None)
        return int(text)

    @on(Select.Changed, "#operations-upgrade_window-schedule, #operations-node_os_window-schedule")
    def _schedule(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("operations-").removesuffix("-schedule")
        current: MaintenanceWindowSpec | None = getattr(self.spec.operations, key)
        if event.value == "none":
            if current is not None:
                self._set_ops(**{key: None})
            return
        if isinstance(event.value, str) and (current is None or current.schedule != event.value):
            self._set_ops(**{key: self._read_window(key).with_(schedule=event.value)})

    @on(Select.Changed, "#operations-upgrade_window-details Select, #operations-node_os_window-details Select")
    @on(Input.Changed, "#operations-upgrade_window-details Input, #operations-node_os_window-details Input")
    def _window_detail(self, event: Select.Changed | Input.Changed) -> None:
        widget = event.select if isinstance(event, Select.Changed) else event.input
        key = "upgrade_window" if (widget.id or "").startswith("operations-upgrade_window") else "node_os_window"
        if getattr(self.spec.operations, key) is None:
            return
        window = self._read_window(key)
        if window != getattr(self.spec.operations, key):
            self._set_ops(**{key: window})

    def _read_window(self, key: str) -> MaintenanceWindowSpec:
        """The window the widgets show; a value that is not of its form keeps the spec's and shows why."""
        p = f"#operations-{key}"
        base = getattr(self.spec.operations, key) or WEEKEND_WINDOW
        values: dict[str, Any] = {}
        for field, pattern, what in (("start_time", _TIME, "a time HH:mm, e.g. 22:00"),
                                     ("utc_offset", _OFFSET, "an offset +HH:mm or -HH:mm (empty = UTC)"),
                                     ("start_date", _DATE, "a date yyyy-MM-dd (empty = from now)")):
            widget = self.query_one(f"{p}-{field}", Input)
            text = widget.value.strip()
            ok = bool(pattern.match(text)) and (field != "start_time" or bool(text))
            self.set_error(widget, None if ok else f"'{text}' is not {what}")
            if ok:
                values[field] = text
        for field in ("day_of_month", "interval", "duration_hours"):
            widget = self.query_one(f"{p}-{field}", Input)
            number = self._int(widget, widget.value, "a whole number", required=True)
            if number is not None:
                values[field] = number
        for field in ("day_of_week", "week_index"):
            value = self.query_one(f"{p}-{field}", Select).value
            if isinstance(value, str):
                values[field] = value
        return base.with_(**values)

    # -------- what the form shows

    def refresh_form(self) -> None:
        ops, spec = self.spec.operations, self.spec
        for key, _ in WINDOWS:
            window: MaintenanceWindowSpec | None = getattr(ops, key)
            p = f"#operations-{key}"
            self.query_one(f"{p}-details").display = window is not None
            if window is None:
                continue
            self.query_one(f"{p}-day_of_week").display = window.schedule in ("Weekly", "RelativeMonthly")
            self.query_one(f"{p}-week_index").display = window.schedule == "RelativeMonthly"
            self.query_one(f"{p}-day_of_month").display = window.schedule == "AbsoluteMonthly"
            self.query_one(f"{p}-note", Static).update(f"[dim]{escape(window.describe())}[/dim]")
        self.query_one("#operations-image_cleaner_interval_hours").display = ops.image_cleaner
        note = self.query_one("#private-note", Static)
        if spec.private_cluster:
            note.update("[$warning]Private:[/] kubectl from this machine can't reach the API server over the "
                        "internet; only from the cluster's network or one connected to it (VPN, peering, a jump "
                        "box), or with [b]az aks command invoke[/b]. Authorized IP ranges don't apply.")
        else:
            note.update("[dim]Public API server: limit who reaches it with authorized IP ranges (Access step).[/dim]")
