"""The VM journey's last screen: the addresses, the ready ssh command, DNS hints, and the cost reminder."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azwizard.screens.text import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

if TYPE_CHECKING:
    from azwizard.plan.model import Plan
    from azwizard.run.executor import RunResult
    from azwizard.specs.vm import VmSpec


def done_text(spec: VmSpec, plan: Plan, result: RunResult) -> str:
    ip4 = result.outputs.get("pip4", {}).get("ipAddress") or "(not allocated)"
    ip6 = result.outputs.get("pip6", {}).get("ipAddress") or "(not allocated)"
    user = spec.admin_username
    n = spec.names
    lines = [
        f"[b $success]{escape(n.vm)} is ready.[/]",
        "",
        f"[b]Public IPv4[/b]  {escape(ip4)}",
        f"[b]Public IPv6[/b]  {escape(ip6)}",
        "",
        "[b]Connect[/b]",
        f"  ssh {escape(user)}@{escape(ip4)}",
        f"  ssh -6 {escape(user)}@{escape(ip6)}",
        "",
        "[b]DNS records[/b] (the addresses are static and kept even if the VM is deleted)",
        f"  yourhost.example.com.  A     {escape(ip4)}",
        f"  yourhost.example.com.  AAAA  {escape(ip6)}",
        "",
        "[b]What it costs while it exists[/b]",
        f"  About {escape(_cost(plan))} (list prices; traffic not included).",
        f"  The VM ({escape(spec.size)}) is billed per hour while running; deallocate it to stop compute "
        "charges (az vm deallocate). Its disks and the two static public IPs are billed even when it is "
        "stopped." + (" The NAT gateway is billed per hour and per GB." if spec.nat_gateway.enabled else "")
        + (" Backups are billed per protected instance and storage." if spec.backup.enabled else ""),
        "",
        "[b]When you are done[/b]",
        f"  Press [b]l[/b] to open cleanup (it knows run {escape(plan.run_id)}), or run:",
        f"  az group delete --name {escape(n.resource_group)}" if not spec.use_existing_group else
        "  (the resource group existed before; cleanup deletes only what this run created)",
    ]
    if spec.backup.enabled:  # the vault with backup data blocks the group delete: say so, and what to do
        from azwizard.cleanup.backup import group_delete_blocked_hint

        lines += [f"  [$warning]▲[/] {escape(line)}" if i == 0 else f"  {escape(line)}"
                  for i, line in enumerate(group_delete_blocked_hint(n.resource_group, n.vault, n.vm))]
    return "\n".join(lines)


def _cost(plan: Plan) -> str:
    from azwizard.cleanup.costs import estimate_plan_steps

    return estimate_plan_steps(plan.steps).describe()


class VmDoneScreen(Screen[None]):
    BINDINGS = [
        Binding("l", "cleanup", "Clean up", id="done.cleanup"),
        Binding("h", "home", "Home", id="done.home"),
        Binding("escape", "home", "Home", show=False),
    ]

    def __init__(self, spec: VmSpec, plan: Plan, result: RunResult) -> None:
        super().__init__()
        self.spec, self.plan, self.result = spec, plan, result

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="done"):
            yield Static(done_text(self.spec, self.plan, self.result), id="done-text")
        yield Footer()

    def action_cleanup(self) -> None:
        self.app.switch_mode("cleanup")

    def action_home(self) -> None:
        app: Any = self.app
        self.app.switch_mode("home")
        app.reset_journey("vm")  # after leaving the mode, so the next visit starts a fresh journey
