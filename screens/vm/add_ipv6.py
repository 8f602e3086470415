"""Add IPv6 to an existing VM, in the terminal: pick the VM from a list (group, name, region, size, IPv4/IPv6),
see the doctor's findings and the plan of updates (``azwizard/existing``: the same engine as ``azwizard vm
add-ipv6``), apply it, and get the IPv6 address with the AAAA hint, ``ssh -6`` and the guest advice from the
notes. Every Azure call runs in a worker thread. Home opens it (``i``); in demo mode the list offers the demo's
IPv4-only VM (``Legacy-RG``, made with plain PUTs as a portal user would, as ``azwizard --demo vm add-ipv6`` does)."""

from __future__ import annotations

from typing import Any

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from ..fields import Input

COLUMNS = ("group", "VM", "region", "size", "IPv4", "IPv6")
# The IPv6 NSG rules the user may pick (existing/nsg6.py): none, or a companion of each IPv4-only inbound allow
# rule on the NIC's path, from any IPv6 address or from the prefix typed beside it.
NSG_CHOICES = [("NSGs: no change", ""), ("NSGs: IPv6 rules for the IPv4-only ones, from any address (*)", "*"),
               ("NSGs: IPv6 rules for the IPv4-only ones, from the prefix →", "prefix")]


def _addresses(net: Any, version: str) -> str:
    ips = [str((p.get("properties") or {}).get("ipAddress") or "") for p in net.public_ips.values()
           if str((p.get("properties") or {}).get("publicIPAddressVersion") or "IPv4") == version]
    return ", ".join(i for i in ips if i) or ("yes (no public)" if any(c.version == version for c in net.ipconfigs())
                                             else "—")


class AddIpv6Screen(Screen[None]):
    BINDINGS = [
        Binding("a", "apply", "Apply", id="ipv6.apply"),
        Binding("escape", "back", "Back", id="ipv6.back"),
    ]

    DEFAULT_CSS = """
    #ipv6-choices { height: auto; }
    #ipv6-nic { width: 36; }
    #ipv6-nsg { width: 1fr; }
    #ipv6-nsg-prefix { width: 38; }
    """

    def __init__(self, session: Any, *, demo: bool = False) -> None:
        super().__init__()
        self.session = session
        self.demo = demo
        self.networks: list[Any] = []
        self.chosen: Any = None
        self.review: Any = None
        self.result: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("[b]Add IPv6 to an existing VM[/b]  [dim]Pick a VM (Enter); nothing changes until you press "
                     "a on its plan.[/dim]", id="ipv6-title")
        yield DataTable(id="ipv6-vms", cursor_type="row")
        with Horizontal(id="ipv6-choices"):
            yield Select([], id="ipv6-nic", prompt="NIC: the primary", disabled=True)
            yield Select(NSG_CHOICES, id="ipv6-nsg", value="", allow_blank=False, disabled=True)
            yield Input(placeholder="IPv6 prefix, e.g. 2001:db8::/48", id="ipv6-nsg-prefix", disabled=True)
        with VerticalScroll(id="ipv6-detail-box"):
            yield Static("[dim]Reading the VMs…[/dim]", id="ipv6-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#ipv6-vms", DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.read_vms()

    def _say(self, text: str) -> None:
        self.query_one("#ipv6-detail", Static).update(text)

    # ---- 1. the VMs

    @work(thread=True, exclusive=True, exit_on_error=False, group="ipv6-read")
    def read_vms(self) -> None:
        from azwizard.existing.read import list_vms, read_vm_network

        try:
            if self.demo:
                from azwizard.existing.legacy import ensure_legacy_vm

                ensure_legacy_vm(self.session.factory)
            nets = []
            for vm in list_vms(self.session.factory):
                group = str(vm.get("id", "")).split("/")[4]
                nets.append(read_vm_network(self.session.factory, self.session.subscription_id, group,
                                            str(vm.get("name", ""))))
        except Exception as e:  # a message, never a traceback
            from azwizard.azure.errors import explain

            x = explain(e)
            self.app.call_from_thread(self._say, f"[b $error]Could not read the VMs:[/] {escape(x.what)}\n"
                                                 f"{escape(x.fix)}")
            return
        self.app.call_from_thread(self._show_vms, nets)

    def _show_vms(self, nets: list[Any]) -> None:
        self.networks = nets
        table = self.query_one("#ipv6-vms", DataTable)
        for i, n in enumerate(nets):
            table.add_row(n.resource_group, n.name, n.location, n.size, _addresses(n, "IPv4"), _addresses(n, "IPv6"),
                          key=str(i))
        self._say("Pick a VM (Enter)." if nets else "No VMs in this subscription.")

    # ---- 2. its findings and the plan

    @on(DataTable.RowSelected, "#ipv6-vms")
    def _picked(self, event: DataTable.RowSelected) -> None:
        self.chosen = net = self.networks[int(str(event.row_key.value))]
        nic = self.query_one("#ipv6-nic", Select)
        primary = str(net.primary_nic.get("name", ""))
        with self.prevent(Select.Changed):
            nic.set_options([(f"NIC: {n.get('name')}" + (" (primary)" if net.is_primary(n) else ""),
                              str(n.get("name", ""))) for n in net.nics])
            nic.value = primary
            self.query_one("#ipv6-nsg", Select).value = ""
        for widget in (nic, self.query_one("#ipv6-nsg", Select), self.query_one("#ipv6-nsg-prefix", Input)):
            widget.disabled = False
        nic.disabled = len(net.nics) < 2  # one NIC: nothing to pick
        self._replan()

    @on(Select.Changed, "#ipv6-nic")
    @on(Select.Changed, "#ipv6-nsg")
    @on(Input.Submitted, "#ipv6-nsg-prefix")
    def _choice_changed(self) -> None:
        if self.chosen is not None:
            self._replan()

    def choices(self) -> Any:
        """What the user picked (existing/ipv6.py Choices); ValueError for a prefix that is not IPv6."""
        from azwizard.existing.ipv6 import Choices
        from azwizard.existing.nsg6 import parse_source

        nic = self.query_one("#ipv6-nic", Select).value
        nsg = self.query_one("#ipv6-nsg", Select).value
        source = ""
        if nsg == "*":
            source = "*"
        elif nsg == "prefix":
            typed = self.query_one("#ipv6-nsg-prefix", Input).value
            if not typed.strip():
                raise ValueError("Type the IPv6 prefix the rules let in (e.g. 2001:db8::/48) and press enter.")
            source = parse_source(typed)
        return Choices(nic if isinstance(nic, str) else "", source)

    def _replan(self) -> None:
        self.review = None
        self.refresh_bindings()
        try:
            choices = self.choices()
        except ValueError as e:  # bad input: said, nothing planned, nothing sent
            self._say(f"[b $error]✖[/] {escape(str(e))}")
            return
        self._say(f"[dim]Checking {escape(self.chosen.name)} and planning…[/dim]")
        self.plan_for(self.chosen, choices)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ipv6-plan")
    def plan_for(self, net: Any, choices: Any = None) -> None:
        from azwizard.existing.doctor import doctor
        from azwizard.headless.common import CommandError, Connection
        from azwizard.headless.review import render_findings
        from azwizard.headless.vm_existing import add_ipv6_review

        try:
            review, _ = add_ipv6_review(Connection(self.session), net, choices)
            findings = doctor(net)
        except CommandError as e:  # a choice that cannot be planned: what is wrong, nothing sent
            self.app.call_from_thread(self._say, f"[b $error]✖[/] {escape(e.message)}")
            return
        except Exception as e:
            from azwizard.azure.errors import explain

            x = explain(e)
            self.app.call_from_thread(self._say, f"[b $error]{escape(x.what)}[/]\n{escape(x.fix)}")
            return
        from azwizard.headless.review import nothing_to_do

        lines = [f"[b]{escape(net.name)}[/b] in {escape(net.resource_group)}", "", "[b]Findings[/b]",
                 *(escape(x) for x in render_findings(findings)), "", "[b]Plan[/b] (+ create, = unchanged, ~ update)",
                 *(escape(x) for x in (review.diff.lines() if review.diff else [])),
                 *(f"[dim]note: {escape(n)}[/dim]" for n in review.plan.notes), ""]
        if review.blocking:
            lines.append(f"[b $error]Blocked:[/] {escape(review.blocking[0].message)}")
        elif nothing_to_do(review):
            lines.append("[b $success]Nothing to change: it has IPv6 already.[/]")
        else:
            lines.append("Press [b]a[/b] to apply: each update sends the resource as read plus only these changes.")
        self.app.call_from_thread(self._planned, review, "\n".join(lines))

    def _planned(self, review: Any, text: str) -> None:
        from azwizard.headless.review import nothing_to_do

        self.review = None if review.blocking or nothing_to_do(review) else review
        self._say(text)
        self.refresh_bindings()

    # ---- 3. apply, then done

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return self.review is not None and self.result is None
        return True

    def action_apply(self) -> None:
        if self.review is None:
            return
        self._say("[dim]Applying…[/dim]")
        self.apply_plan(self.review)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ipv6-apply")
    def apply_plan(self, review: Any) -> None:
        from azwizard.journal import Journal
        from azwizard.run.executor import Runner

        try:
            result = Runner(self.session.factory, Journal(review.plan.run_id, review.plan.journey)).run(
                review.plan, diff=review.diff, meta=review.meta)
        except Exception as e:
            from azwizard.azure.errors import explain

            x = explain(e)
            self.app.call_from_thread(self._say, f"[b $error]{escape(x.what)}[/]\n{escape(x.fix)}")
            return
        self.app.call_from_thread(self._done, review, result)

    def _done(self, review: Any, result: Any) -> None:
        self.result = result
        self.refresh_bindings()
        if not result.ok:
            errors = "; ".join(f"{review.plan.step(k).label}: {e.what}" for k, e in result.errors.items())
            self._say(f"[b $error]Not all of it went through:[/] {escape(errors)}\nFix the cause and pick the VM "
                      f"again: what is done is not sent twice (run {escape(review.plan.run_id)}).")
            return
        self._say(done_text(self.chosen.name, review, result))

    def action_back(self) -> None:
        self.app.pop_screen()


def done_text(vm: str, review: Any, result: Any) -> str:
    ip6 = result.outputs.get("pip6", {}).get("ipAddress") or "(see the public IP in the portal)"
    run = review.plan.run_id
    return "\n".join([
        f"[b $success]{escape(vm)} has IPv6.[/]", "",
        f"[b]Public IPv6[/b]  {escape(ip6)}", "",
        f"[b]DNS[/b]  add an AAAA record: {escape(vm)}.example.com. AAAA {escape(ip6)}",
        f"[b]Connect[/b]  ssh -6 azureuser@{escape(ip6)}  [dim](your VM's admin user)[/dim]", "",
        "[b]In the guest[/b] (the notes): the NIC gets its IPv6 address by DHCPv6; on Debian use systemd-networkd "
        "rather than ifupdown; NSGs cannot filter ICMPv6, so if large IPv6 transfers hang, set the MTU to 1280.", "",
        f"[dim]Undo: azwizard cleanup delete --run {escape(run)} --yes (the VM and its resources stay).[/dim]",
    ])
