"""Step 4: networking. The network model (plugin, mode, dataplane) with what each one can't do, IP
families, pod and service CIDRs per family, DNS service IP, outbound type, the Standard load balancer, and
a network policy list that only offers the values valid for the combination."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from azwizard.screens.text import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static

from azwizard.fields import AKS_FIELDS
from azwizard.specs.aks import POD_CIDR_V4, SERVICE_CIDR_V4, AksNetworkSpec, dual_stack_ipv6
from azwizard.specs.common import random_ula_48

from ..fields import Input
from ..wizard import FieldError, refill_select
from .steps import AksStep


@dataclass(frozen=True)
class NetworkModel:
    key: str
    label: str
    plugin: str
    plugin_mode: str
    dataplane: str
    dual_stack: bool  # whether IPv4 + IPv6 is possible
    note: str


MODELS: tuple[NetworkModel, ...] = (
    NetworkModel("overlay-cilium", "Azure CNI Overlay + Cilium (recommended)", "azure", "overlay", "cilium", True,
                 "Pods get addresses from a private overlay range (the pod CIDRs), not from the VNet, so it scales "
                 "without planning subnets. Cilium's eBPF dataplane replaces kube-proxy and enforces network "
                 "policies itself. Dual-stack needs Kubernetes 1.29+. Linux nodes only (no Windows pools)."),
    NetworkModel("overlay", "Azure CNI Overlay, Azure dataplane", "azure", "overlay", "azure", True,
                 "The overlay without Cilium (iptables and kube-proxy). Dual-stack works, but then without any "
                 "network policy engine (Azure NPM and Calico are IPv4-only)."),
    NetworkModel("cni", "Azure CNI (traditional: pods get VNet addresses)", "azure", "", "azure", False,
                 "Every pod takes an address from the node subnet: IPv4 only (no dual-stack), and the subnet must "
                 "hold nodes × max pods addresses. Pod CIDRs are not used. Choose it only when pods must be "
                 "reachable directly from the VNet."),
    NetworkModel("kubenet", "kubenet (retiring 31 March 2028)", "kubenet", "", "azure", True,
                 "Nodes get VNet addresses, pods a private range behind route tables: at most 400 nodes (200 "
                 "dual-stack), no Windows pools, an extra hop for pod traffic. Retiring: choose Azure CNI Overlay."),
)

POLICIES = {
    "none": "None — every pod can reach every pod",
    "cilium": "Cilium — enforced by the dataplane (L3–L7, FQDN rules)",
    "azure": "Azure Network Policy Manager",
    "calico": "Calico",
}


def model_of(net: AksNetworkSpec) -> NetworkModel | None:
    return next((m for m in MODELS if (m.plugin, m.plugin_mode, m.dataplane) ==
                 (net.plugin, net.plugin_mode, net.dataplane)), None)


def valid_policies(net: AksNetworkSpec) -> list[str]:
    """The network policies AKS accepts for this plugin, dataplane and IP families (the rules
    aks-network-policy and aks-cilium): Cilium's dataplane takes only cilium, dual-stack without Cilium
    has no engine, Azure NPM needs Azure CNI."""
    if net.dataplane == "cilium":
        return ["cilium"]
    if net.dual_stack:
        return ["none"]
    if net.plugin == "azure":
        return ["none", "azure", "calico"]
    if net.plugin == "kubenet":
        return ["none", "calico"]
    return ["none"]


def _cidr(text: str, version: int) -> str:
    text = text.strip()
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a valid IPv{version} network in CIDR form ({exc})") from None
    if net.version != version:
        raise ValueError(f"'{text}' is an IPv{net.version} network; this field needs IPv{version}")
    return text


class NetworkStep(AksStep):
    STEP_TITLE = "Networking"
    INTRO = ("How pods and services get addresses. The defaults are the notes' cluster: Azure CNI Overlay with "
             "the Cilium dataplane, IPv4 + IPv6, with pod and service ranges that don't collide with each other, "
             "with the node network AKS creates (10.224.0.0/12) or with the usual 10.0.0.0/16 VNets. IPv6 ranges "
             "come from a random unique local /48; press [b]ctrl+g[/b] for a new one.")
    STEP_ID = "networking"
    BINDINGS = [Binding("ctrl+g", "regenerate", "New IPv6 ranges", id="aks.network.regenerate")]

    def compose_form(self) -> ComposeResult:
        net = self.spec.network
        model = model_of(net)
        options = [(m.label, m.key) for m in MODELS]
        if model is None:
            options.append((f"{net.plugin} / {net.plugin_mode or 'no mode'} / {net.dataplane} (from a command)",
                            "other"))
        yield Label("Network plugin, mode and dataplane")
        yield Select(options, value=model.key if model else "other", id="network-plugin", allow_blank=False)
        yield Static("", id="model-note", classes="note")
        yield Label("IP families")
        yield Select(self._family_options(), value="dual" if net.dual_stack else "v4", id="network-ip_families",
                     allow_blank=False)
        yield Static("", id="families-note", classes="note")
        pods4, pods6 = self._pair(net.pod_cidrs)
        services4, services6 = self._pair(net.service_cidrs)
        with Vertical(id="pod-cidrs", classes="cidr-block"):
            yield Label("Pod CIDRs (IPv4, IPv6)")
            with Horizontal(classes="cidr-row"):
                yield Input(pods4, id="network-pod_cidrs", placeholder=POD_CIDR_V4)
                yield Input(pods6, id="network-pod_cidrs-6", placeholder="fdxx:xxxx:xxxx::/64")
            yield FieldError(id="network-pod_cidrs-error")
            yield FieldError(id="network-pod_cidrs-6-error")
        yield Label("Service CIDRs (IPv4, IPv6 — at most a /108)")
        with Horizontal(classes="cidr-row"):
            yield Input(services4, id="network-service_cidrs", placeholder=SERVICE_CIDR_V4)
            yield Input(services6, id="network-service_cidrs-6", placeholder="fdxx:xxxx:xxxx:1::/108")
        yield FieldError(id="network-service_cidrs-error")
        yield FieldError(id="network-service_cidrs-6-error")
        yield Label("DNS service IP (inside the IPv4 service CIDR; empty = its 10th address)")
        yield Input(net.dns_service_ip, id="network-dns_service_ip", placeholder=net.resolved_dns_service_ip())
        yield FieldError(id="network-dns_service_ip-error")
        yield Label("Network policy")
        yield Select(self._policy_options(), value=net.policy, id="network-policy", allow_blank=False)
        yield Static("", id="policy-note", classes="note")
        yield Label("Outbound traffic")
        yield Select(self._outbound_options(), value=net.outbound_type, id="network-outbound_type",
                     allow_blank=False)
        yield self.choice("network-load_balancer_sku", "network.load_balancer_sku",
                          AKS_FIELDS.spec("network.load_balancer_sku").options())
        yield Static("", id="outbound-note", classes="note")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()

    @staticmethod
    def _pair(cidrs: tuple[str, ...]) -> tuple[str, str]:
        return (cidrs[0] if cidrs else "", cidrs[1] if len(cidrs) > 1 else "")

    # -------- options valid for the combination

    def _family_options(self) -> list[tuple[str, str]]:
        model = model_of(self.spec.network)
        options = [("IPv4 only", "v4")]
        if model is None or model.dual_stack:
            options.insert(0, ("IPv4 + IPv6 (dual-stack)", "dual"))
        elif self.spec.network.dual_stack:
            options.insert(0, ("IPv4 + IPv6 (not possible with this plugin)", "dual"))
        return options

    def _policy_options(self) -> list[tuple[str, str]]:
        valid = valid_policies(self.spec.network)
        options = [(POLICIES.get(p, p), p) for p in valid]
        current = self.spec.network.policy
        if current not in valid:
            options.append((f"{POLICIES.get(current, current)} (not possible with these choices)", current))
        return options

    def _outbound_options(self) -> list[tuple[str, str]]:
        options = [("Load balancer (Standard): outbound IPv4 and IPv6 through its public addresses", "loadBalancer")]
        net = self.spec.network
        if not net.dual_stack or net.outbound_type == "managedNATGateway":
            options.append(("Managed NAT gateway (IPv4 only, zonal)", "managedNATGateway"))
        return options

    def refresh_form(self) -> None:
        net = self.spec.network
        model = model_of(net)
        self.query_one("#model-note", Static).update(f"[dim]{escape(model.note) if model else ''}[/dim]")
        with self.prevent(Select.Changed):
            fam = self.query_one("#network-ip_families", Select)
            refill_select(fam, self._family_options(), "dual" if net.dual_stack else "v4")
            pol = self.query_one("#network-policy", Select)
            refill_select(pol, self._policy_options(), net.policy)
            out = self.query_one("#network-outbound_type", Select)
            refill_select(out, self._outbound_options(), net.outbound_type)
        self.query_one("#families-note", Static).update(
            f"[b $error]✖[/] {escape(model.label if model else net.plugin)} can't do IPv4 + IPv6: pick IPv4 only "
            "here, or a plugin that can (Azure CNI Overlay)." if net.dual_stack and model and not model.dual_stack else
            "[dim]The API server stays IPv4-only either way. IPv6 Services of type LoadBalancer on Azure Linux "
            "nodes need externalTrafficPolicy: Local.[/dim]" if net.dual_stack else
            "[dim]IPv4 only: pods and services get IPv4 addresses.[/dim]")
        for wid in ("#network-pod_cidrs-6", "#network-service_cidrs-6"):
            self.query_one(wid, Input).display = net.dual_stack
        self.query_one("#pod-cidrs").display = net.uses_pod_cidrs
        for field, cidrs in (("pod_cidrs", net.pod_cidrs), ("service_cidrs", net.service_cidrs)):
            v4, v6 = self._pair(cidrs)
            for wid, value in ((f"#network-{field}", v4), (f"#network-{field}-6", v6)):
                widget = self.query_one(wid, Input)
                if not widget.has_class("-invalid"):
                    self.set_value(wid, value)
        self.query_one("#network-dns_service_ip", Input).placeholder = net.resolved_dns_service_ip()
        valid = valid_policies(net)
        changed = self.journey.policy_note
        self.query_one("#policy-note", Static).update(
            (f"[$warning]▲ {escape(changed)}[/] " if changed else "") + (
                "[dim]The Cilium dataplane enforces policies itself, so cilium is the only choice.[/dim]"
                if valid == ["cilium"] else
                "[dim]Azure NPM and Calico don't support dual-stack: no policy engine for IPv4 + IPv6 without "
                "Cilium.[/dim]" if net.dual_stack else ""))
        self.query_one("#outbound-note", Static).update(
            "[dim]Load balancer SKU: [b]Standard[/b] (Basic was retired on 30 September 2025; Standard is also what "
            "authorized IP ranges and several node pools need). "
            + ("A managed NAT gateway is IPv4-only, so it isn't offered for dual-stack." if net.dual_stack else
               "The outbound type can only be set when the cluster is created.") + "[/dim]")

    # -------- edits

    @on(Select.Changed, "#network-plugin")
    def _model(self, event: Select.Changed) -> None:
        model = next((m for m in MODELS if m.key == event.value), None)
        if model is None:
            return
        net = self.spec.network
        changes: dict[str, Any] = {"plugin": model.plugin, "plugin_mode": model.plugin_mode,
                                   "dataplane": model.dataplane}
        if net.dual_stack and not model.dual_stack:
            # The user's IPv4 + IPv6 is kept, never dropped silently (issue 19 item 4): it blocks Create, and the
            # IP families note and the finding say what to pick.
            self.notify(f"{model.label} can't do IPv4 + IPv6: your dual-stack choice is kept, and Create waits "
                        "until you pick IPv4 only or another plugin.", severity="warning", timeout=6)
        changes.update(self._policy_for(net.with_(**changes)))
        self.journey.set_network(**changes)
        self.refresh_form()

    def _policy_for(self, probe: AksNetworkSpec) -> dict[str, Any]:
        """The policy a plugin change leaves: the one the user picked when it is valid again, else the current
        one, else the first valid one — said under the policy list (and in a notification) when it changes."""
        valid = valid_policies(probe)
        chosen = self.journey.policy_choice
        if chosen in valid and chosen != probe.policy:
            self.journey.policy_note = f"Back to {chosen}, the policy you picked."
            return {"policy": chosen}
        if probe.policy in valid:
            return {}
        new = valid[0]
        why = ("the Cilium dataplane enforces policies itself" if new == "cilium" else
               f"{probe.policy} is not possible with these choices")
        note = f"Changed from {probe.policy} to {new}: {why}."
        self.journey.policy_note = note
        self.notify(f"Network policy: {note}", timeout=5)
        return {"policy": new}

    @on(Select.Changed, "#network-ip_families")
    def _families(self, event: Select.Changed) -> None:
        net = self.spec.network
        if event.value == "dual" and not net.dual_stack:
            pods6, services6 = dual_stack_ipv6(random_ula_48())
            changes: dict[str, Any] = {"ip_families": ("IPv4", "IPv6"),
                                       "pod_cidrs": (*(net.pod_cidrs[:1] or (POD_CIDR_V4,)), pods6),
                                       "service_cidrs": (*(net.service_cidrs[:1] or (SERVICE_CIDR_V4,)), services6)}
            if net.outbound_type == "managedNATGateway":
                changes["outbound_type"] = "loadBalancer"
        elif event.value == "v4" and net.dual_stack:
            changes = {"ip_families": ("IPv4",), "pod_cidrs": net.pod_cidrs[:1], "service_cidrs": net.service_cidrs[:1]}
        else:
            return
        # The policy is kept: one that can't do dual-stack (Azure NPM, Calico) is a blocking finding quoting the
        # error AKS would give and saying what to pick (items 4 and 20), not silently replaced.
        self.journey.set_network(**changes)
        self.refresh_form()

    @on(Input.Changed, "#network-pod_cidrs, #network-pod_cidrs-6, #network-service_cidrs, #network-service_cidrs-6")
    def _cidr_changed(self, event: Input.Changed) -> None:
        wid = event.input.id or ""
        field = wid.removeprefix("network-").removesuffix("-6")
        version = 6 if wid.endswith("-6") else 4
        try:
            value = _cidr(event.value, version)
        except ValueError as exc:
            self.set_error(event.input, str(exc))
            return
        self.set_error(event.input, None)
        cidrs = list(getattr(self.spec.network, field))
        index = 0 if version == 4 else 1
        while len(cidrs) <= index:
            cidrs.append("")
        cidrs[index] = value
        if tuple(cidrs) != getattr(self.spec.network, field):
            self.journey.set_network(**{field: tuple(cidrs)})
            self.query_one("#network-dns_service_ip", Input).placeholder = \
                self.spec.network.resolved_dns_service_ip()

    @on(Input.Changed, "#network-dns_service_ip")
    def _dns_ip(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if text:
            try:
                ipaddress.IPv4Address(text)
            except ValueError:
                self.set_error(event.input, f"'{text}' is not an IPv4 address (empty = the 10th address of the "
                                            "IPv4 service CIDR)")
                return
        self.set_error(event.input, None)
        if text != self.spec.network.dns_service_ip:
            self.journey.set_network(dns_service_ip=text)

    @on(Select.Changed, "#network-policy")
    def _policy(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.network.policy:
            self.journey.policy_choice = event.value
            self.journey.policy_note = ""
            self.journey.set_network(policy=event.value)
            self.refresh_form()

    @on(Select.Changed, "#network-outbound_type")
    def _outbound(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.network.outbound_type:
            self.journey.set_network(outbound_type=event.value)
            self.refresh_form()

    def action_regenerate(self) -> None:
        if not self.spec.network.dual_stack:
            self.notify("The cluster is IPv4 only: there are no IPv6 ranges to renew.", timeout=3)
            return
        pods6, services6 = dual_stack_ipv6(random_ula_48())
        self.query_one("#network-pod_cidrs-6", Input).value = pods6
        self.query_one("#network-service_cidrs-6", Input).value = services6
