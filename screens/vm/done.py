"""The VM journey's last screen: the addresses, the ready ssh command, DNS hints, and the cost reminder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from azwizard.screens.text import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from azwizard.sshconfig import ssh_commands

from ..appref import azapp
from ..footer import WrapFooter

if TYPE_CHECKING:
    from azwizard.plan.diff import Owner
    from azwizard.plan.model import Plan
    from azwizard.run.executor import RunResult
    from azwizard.specs.vm import VmSpec


def done_text(spec: VmSpec, plan: Plan, result: RunResult, identity: Path | None = None,
              group_owner: Owner | None = None) -> str:
    """The done screen's text; ``identity`` is the private key of the VM's public key, when azwizard knows where
    it is (a generated key, or one chosen from the ssh directory): the ssh commands then name it with -i."""
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
        *(f"  {escape(copyable(command))}" for command in ssh_commands(user, ip4, ip6, identity)),
        "  [dim]Press [b]s[/b] to add a Host entry for it to your ssh config\n"
        "  (shown first, written only if you say yes).[/dim]" if ip4 != "(not allocated)" else "",
        "",
        "[b]DNS records[/b] (the addresses are static and kept even if the VM is deleted)",
        f"  yourhost.example.com.  A     {escape(ip4)}",
        f"  yourhost.example.com.  AAAA  {escape(ip6)}",
        "",
        "[b]What it costs while it exists[/b]",
        f"  About {escape(_cost(plan))}; list prices, traffic not included.",
        # one line each: a wrapped sentence's second line started at the margin (issue 19 item 18)
        f"  The VM ({escape(spec.size)}) is billed per hour while running;",
        "  deallocate it to stop compute charges (az vm deallocate).",
        "  Its disks and both static public IPs are billed even when it is stopped.",
        *(["  The NAT gateway is billed per hour and per GB."] if spec.nat_gateway.enabled else []),
        *(["  Backups are billed per protected instance and storage."] if spec.backup.enabled else []),
        "",
        "[b]When you are done[/b]",
        *_when_done(spec, plan, result, group_owner),
    ]
    if spec.backup.enabled:  # the vault with backup data blocks the group delete: say so, and what to do
        from azwizard.cleanup.backup import group_delete_blocked_hint

        lines += [f"  [$warning]▲[/] {escape(line)}" if i == 0 else f"  {escape(line)}"
                  for i, line in enumerate(group_delete_blocked_hint(n.resource_group, n.vault, n.vm))]
    return "\n".join(lines)


def _when_done(spec: VmSpec, plan: Plan, result: RunResult, group_owner: Owner | None = None) -> list[str]:
    """How to remove it later (issue 19 item 7). Whether this run made the group is what the journals and the
    group's tags say (run/origin.py), read after the create: a resumed run made the group its first attempt
    created, although the wizard found it existing when the journey reopened. Without that answer only a group
    this very attempt created counts as the run's. A run that created nothing is not the run cleanup lists the
    resources under."""
    from azwizard.run.origin import group_sentence

    created = any(state == "succeeded" for state in result.states.values())
    group = spec.names.resource_group
    made_group, before = group_sentence(group_owner, group)
    if group_owner is None:
        made_group = result.states.get("rg") == "succeeded"
    run = f"it lists this run under {escape(spec.names.vm)}, run {escape(plan.run_id)}"
    if made_group:
        return [f"  Press [b]l[/b] to open cleanup ({run}), or run:", f"  az group delete --name {escape(group)}"]
    tail = [f"  [dim]{escape(before)}[/dim]"] if before else []
    if not created:
        return ["  Nothing was created by this run: everything already existed as planned. Press [b]l[/b] to open "
                "cleanup: it lists these resources under the run that made them.", *tail]
    return [f"  Press [b]l[/b] to open cleanup ({run}): it deletes only what azwizard created, never the group "
            f"{escape(group)} itself, which this run did not create.", *tail]


def copyable(command: str, width: int = 72) -> str:
    """A long ssh command split before its ``user@host`` with a shell line continuation, so that at 80 columns it
    is not wrapped at a space mid-command (which would paste as two commands): the two lines paste as one
    (issue 19 item 12)."""
    if len(command) <= width:
        return command
    start, _, target = command.rpartition(" ")  # "ssh -6 -i KEY", "user@host"
    program, key_flag, key = start.partition(" -i ")
    parts = [program, f"-i {key}", target] if key_flag else [start, target]
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 1 + len(part) + 2 <= width:  # and room for the " \\" that may follow
            lines[-1] += " " + part
        else:
            lines.append("    " + part)
    return " \\\n".join(lines)


def _cost(plan: Plan) -> str:
    from azwizard.cleanup.costs import estimate_plan_steps
    from azwizard.pricing.store import plan_book

    return estimate_plan_steps(plan.steps, plan_book(plan)).describe()


class VmDoneScreen(Screen[None]):
    BINDINGS = [
        Binding("s", "ssh_config", "Add to ssh config", id="done.ssh_config"),
        Binding("l", "cleanup", "Clean up", id="done.cleanup"),
        Binding("h", "home", "Home", id="done.home"),
        Binding("escape", "home", "Home", show=False),
    ]

    def __init__(self, spec: VmSpec, plan: Plan, result: RunResult, group_owner: Owner | None = None) -> None:
        super().__init__()
        self.spec, self.plan, self.result = spec, plan, result
        self.group_owner = group_owner

    @property
    def ssh_dir(self) -> Path:
        from azwizard.sshkeys import ssh_dir

        return ssh_dir(azapp(self).demo)

    @property
    def identity(self) -> Path | None:
        from azwizard.sshkeys import private_key_for

        return private_key_for(self.spec.ssh_public_key, self.ssh_dir) if self.spec.ssh_public_key else None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="done"):
            yield Static(done_text(self.spec, self.plan, self.result, self.identity, self.group_owner),
                         id="done-text")
        yield WrapFooter()

    def action_ssh_config(self) -> None:
        from azwizard.sshconfig import HostExists, add_host, has_host, host_alias, host_entry
        from azwizard.userfiles import read_output_text

        from ..confirm import YesNoScreen

        ip4 = self.result.outputs.get("pip4", {}).get("ipAddress")
        if not ip4:
            self.notify("The VM has no public IPv4 address yet: nothing to add.", severity="warning")
            return
        path = self.ssh_dir / "config"
        alias = host_alias(self.spec.names.vm)
        try:
            old = read_output_text(path)  # a FIFO there would hang the screen: refused, never read
        except OSError as exc:
            self.notify(f"Nothing was written: {exc}", severity="error", timeout=8)
            return
        if old is not None and has_host(old, alias):
            self.notify(f"{path} already has a Host {alias} entry; it was left as it is.", severity="warning")
            return
        entry = host_entry(alias, ip4, self.spec.admin_username, self.identity,
                           f"{self.spec.names.vm} (azwizard run {self.plan.run_id})")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                backup = add_host(path, entry, alias)
            except (OSError, HostExists) as exc:
                self.notify(f"Nothing was written: {exc}", severity="error", timeout=8)
                return
            kept = f" The previous file is kept as {backup}." if backup else ""
            self.notify(f"Added Host {alias} to {path}: connect with ssh {alias}.{kept}", timeout=8)

        self.app.push_screen(YesNoScreen(
            f"Add this to {path}?",
            f"{entry}\nIt is appended at the end; the entries already there are not changed, and the file is "
            "backed up first.", yes="Add it", no="Don't"), answered)

    def action_cleanup(self) -> None:
        app = azapp(self)
        app.switch_mode("cleanup")
        # The journey is finished: leaving for cleanup ends it, as Home does, so neither cleanup's esc nor the
        # journey's key comes back to this screen, for a resource cleanup may delete (issue 19 items 9, 19).
        app.reset_journey("vm")

    def action_home(self) -> None:
        app = azapp(self)
        app.switch_mode("home")
        app.reset_journey("vm")  # after leaving the mode, so the next visit starts a fresh journey
