"""The AKS journey's last screen: the cluster's credentials merged into the kubeconfig as `az aks
get-credentials` does (a confirmation before replacing a different entry of the same name), the running cluster
checked like the notes' "check stuff" (``azwizard.aks_verify``, each result shown as it comes; ``v`` runs it
again), the notes' commands ready to copy, and what the cluster costs with how to stop or delete it."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Static

from ..appref import azapp
from ..fields import TextArea
from ..footer import WrapFooter
from ..workers import WorkerDone, leaving, posts

if TYPE_CHECKING:
    from azwizard.aks_verify import Check, Verification
    from azwizard.kubeconfig import Conflict, MergeResult
    from azwizard.plan.diff import Owner
    from azwizard.plan.model import Plan
    from azwizard.run.executor import RunResult
    from azwizard.specs.aks import AksSpec


class Verified(WorkerDone["Verification"]):
    """The running cluster checked (azwizard.aks_verify), or why it could not be."""


class KubeconfigMerged(WorkerDone["tuple[str, MergeResult, Path | None]"]):
    """The credentials merged into the kubeconfig: "written" (with the backup), "current" or "conflict"."""


def kubeconfig_target(demo: bool) -> Path:
    """Demo mode never touches the real kubeconfig: it writes a file under the data dir."""
    if demo:
        from azwizard.paths import data_dir

        return data_dir() / "demo" / "kube" / "config"
    from azwizard.kubeconfig import default_kubeconfig_path

    return default_kubeconfig_path()


def shown(path: Path, *, shell: bool = False) -> str:
    """A path as people write it: under the home directory as ~/... (or $HOME/... in a command)."""
    try:
        rest = path.relative_to(Path.home())
    except ValueError:
        return str(path)
    return f"{'$HOME' if shell else '~'}/{rest}"


def check_commands(spec: AksSpec, kubeconfig: Path, *, demo: bool) -> str:
    """The notes' "Check stuff" commands (Cilium ones only with the Cilium dataplane)."""
    lines = []
    if demo:
        lines += ["# demo mode: the simulated cluster's kubeconfig is a separate file",
                  f'export KUBECONFIG="{shown(kubeconfig, shell=True)}"']
    lines += [
        f"kubectl config use-context {spec.cluster_name}",
        "kubectl get nodes -o wide",
        "kubectl top nodes",
        "kubectl get pods -A -o wide",
    ]
    if spec.network.dataplane == "cilium":
        lines += ["kubectl -n kube-system exec ds/cilium -- cilium status",
                  "kubectl -n kube-system exec ds/cilium -- cilium-health status"]
    where = f"--resource-group={spec.resource_group} --name={spec.cluster_name}"
    if spec.private_cluster:
        # A private API server answers only on the cluster's network: from here, AKS runs kubectl for you
        # (https://learn.microsoft.com/azure/aks/access-private-cluster).
        lines += ["", "# the API server is private: from this machine, run kubectl through AKS",
                  f'az aks command invoke {where} --command "kubectl get nodes -o wide"',
                  f'az aks command invoke {where} --command "kubectl get pods -A -o wide"']
    if spec.operations.windows():
        lines += ["", "# the maintenance windows",
                  f"az aks maintenanceconfiguration list --resource-group={spec.resource_group} "
                  f"--cluster-name={spec.cluster_name} -o table"]
    lines += ["", "# the same credentials again, the az way", f"az aks get-credentials {where}"]
    return "\n".join(lines)


def node_summary(spec: AksSpec) -> str:
    """``6 × Standard_D4ds_v5`` for pools of the same size, ``3 × A and 2 × B`` otherwise."""
    counts: dict[str, int] = {}
    for p in spec.pools:
        counts[p.vm_size] = counts.get(p.vm_size, 0) + p.count
    return " and ".join(f"{n} × {size}" for size, n in counts.items())


def cost_sections(spec: AksSpec, plan: Plan, group_owner: Owner | None = None) -> list[tuple[str, str]]:
    """(heading, body) pairs for the cost reminder: what it costs, how to stop it, how to delete it."""
    from azwizard.cleanup import AKS_STOP_START_ADVICE
    from azwizard.cleanup.costs import estimate_plan_steps
    from azwizard.pricing.store import plan_book

    rg, name = spec.resource_group, spec.cluster_name
    control = ("free tier: the control plane costs nothing" if spec.tier == "free" else
               f"{spec.tier} tier: the control plane is billed per cluster-hour")
    disks = " with their OS disks," if any(p.os_disk_type == "Managed" for p in spec.pools) else ""
    costs = (f"About {escape(estimate_plan_steps(plan.steps, plan_book(plan)).describe())} (list prices; traffic not included).\n"
             f"The nodes ({escape(node_summary(spec))}) are billed per hour while running,{disks} and so are the "
             f"load balancer's public IPs; {control}."
             + (" The registry is billed per day." if spec.acr.mode == "create" else ""))
    stop = (f"az aks stop --resource-group={escape(rg)} --name={escape(name)}\n"
            f"az aks start --resource-group={escape(rg)} --name={escape(name)}\n"
            f"A stopped cluster keeps its configuration and bills only storage. {escape(AKS_STOP_START_ADVICE)}")
    # Whether this run made the group: the journals and the group's tags (run/origin.py), never the wizard's
    # "exists already", which a resumed run's own group shows too (issue 19 item 7). Not read: the plan says.
    from azwizard.run.origin import group_sentence

    made_group, before = group_sentence(group_owner, rg)
    if group_owner is None:
        made_group = not spec.use_existing_group
    run = f"it lists this run under {escape(name)}, run {escape(plan.run_id)}"
    delete = (f"Press [b]l[/b] to open cleanup ({run}), or run:\n"
              + (f"az group delete --name {escape(rg)}   (also removes the node group MC_…)"
                 if made_group else
                 f"az aks delete --resource-group={escape(rg)} --name={escape(name)}   (keep the group: this run "
                 "did not create it)" + (f"\n[dim]{escape(before)}[/dim]" if before else "")))
    return [("What it costs while it exists", costs), ("Stop it when you don't need it", stop),
            ("Delete it", delete)]


def failure_text(what: str, error: BaseException | None, key: str) -> str:
    """A worker's failure in plain words (``azure.errors.explain``), with the key that tries again."""
    from azwizard.azure.errors import explain

    err = explain(error) if error else None
    return (f"[b $error]✖ {what}:[/] {escape(err.what if err else 'unknown')} {escape(err.fix if err else '')} "
            f"Press [b]{key}[/b] to try again.")


class ConfirmOverwrite(ModalScreen[bool]):
    """Asked before a kubeconfig entry of the same name but different content is replaced."""

    BINDINGS = [
        Binding("y", "answer(True)", "Overwrite", id="kube.overwrite"),
        Binding("n", "answer(False)", "Keep mine", id="kube.keep"),
        Binding("escape", "answer(False)", "Keep mine", show=False),
    ]

    def __init__(self, path: Path, conflicts: tuple[Conflict, ...]) -> None:
        super().__init__()
        self.path, self.conflicts = path, conflicts

    def compose(self) -> ComposeResult:
        items = "\n".join(f"  • {escape(c.describe())}" for c in self.conflicts)
        where = escape(shown(self.path))
        with Vertical(id="confirm-box"):
            yield Static("[b]Replace entries in your kubeconfig?[/b]", id="confirm-title")
            yield Static(f"{where} already has a different\n{items}\n\nOverwrite them with the new "
                         "cluster's (the file is backed up first), or keep yours and write nothing?",
                         id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button("Overwrite (y)", id="confirm-yes", variant="warning")
                yield Button("Keep mine (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, overwrite: bool) -> None:
        self.dismiss(overwrite)


class AksDoneScreen(Screen[None]):
    BINDINGS = [
        Binding("y", "copy", "Copy commands", id="done.copy"),
        Binding("g", "credentials", "Get credentials again", id="done.credentials"),
        Binding("v", "verify", "Check the cluster again", id="done.verify"),
        Binding("l", "cleanup", "Clean up", id="done.cleanup"),
        Binding("h", "home", "Home", id="done.home"),
        Binding("escape", "home", "Home", show=False),
    ]

    def __init__(self, spec: AksSpec, plan: Plan, result: RunResult, group_owner: Owner | None = None) -> None:
        super().__init__()
        self.spec, self.plan, self.result = spec, plan, result
        self.group_owner = group_owner
        self.demo = False
        self.path = Path()
        self.new_kubeconfig: str | None = None

    def compose(self) -> ComposeResult:
        self.demo = azapp(self).demo
        self.path = kubeconfig_target(self.demo)
        yield Header()
        with VerticalScroll(id="done"):
            yield Static(self.title_text(), id="done-title")
            yield Static("[b]kubeconfig[/b]", classes="section")
            yield Static("[dim]Fetching the cluster's user credentials…[/dim]", id="kube-status")
            yield Static("[b]Cluster check[/b] [dim](nodes, IP families, system pods, Cilium, API server access; "
                         "v runs it again)[/dim]", classes="section")
            yield Static("[dim]Checking the running cluster…[/dim]", id="verify-status")
            yield Static("[b]Check the cluster[/b] [dim](the notes' commands; select and ctrl+c, or press y to "
                         "copy them all)[/dim]", classes="section")
            yield TextArea(check_commands(self.spec, self.path, demo=self.demo), id="done-commands", read_only=True,
                           soft_wrap=False)
            with Vertical(id="done-cost"):
                for heading, body in cost_sections(self.spec, self.plan, self.group_owner):
                    yield Static(f"[b]{heading}[/b]", classes="section")
                    yield Static(body, classes="done-body")
        yield WrapFooter()

    def title_text(self) -> str:
        outputs = self.result.outputs.get("aks", {})
        fqdn = outputs.get("fqdn") or outputs.get("privateFQDN") or "(unknown)"
        private = " (private: reachable from the cluster's network only)" if self.spec.private_cluster else ""
        return (f"[b $success]{escape(self.spec.cluster_name)} is running.[/]  "
                f"[dim]API server https://{escape(fqdn)}{private}[/dim]")

    def on_mount(self) -> None:
        self.fetch_credentials()
        self.run_verify()

    # -------- the running cluster checked (a thread worker: an ARM read, the credentials, three Kubernetes reads)

    @work(thread=True, exclusive=True, exit_on_error=False, group="verify")
    @posts(Verified)
    def run_verify(self) -> Verification:
        from azwizard.aks_verify import caller_ip, verify_cluster

        session = azapp(self).session
        if session is None:
            raise RuntimeError("not signed in")
        shown_lines: list[str] = []

        def on_check(check: Check) -> None:
            shown_lines.append(self.check_line(check))
            self.app.call_from_thread(self._verify_progress, [*shown_lines, "[dim]…[/dim]"])

        return verify_cluster(session.factory, self.spec.resource_group, self.spec.cluster_name,
                              caller_ip=caller_ip(self.demo), on_check=on_check)

    @staticmethod
    def check_line(check: Check) -> str:
        return f"{'[$success]✓[/]' if check.ok else '[$error]✖[/]'} {escape(check.summary)}"

    def _verify_progress(self, lines: list[str]) -> None:
        self.query_one("#verify-status", Static).update("\n".join(lines))

    @on(Verified)
    def _verify_done(self, message: Verified) -> None:
        if leaving(self):
            return  # the journey was left (home, cleanup) while the check ran
        status = self.query_one("#verify-status", Static)
        if message.error is not None:
            from azwizard.aks_verify import ClusterNotFound

            if isinstance(message.error, ClusterNotFound):  # deleted since (cleanup, or someone else)
                status.update(f"[b $error]✖ {escape(str(message.error))}[/] Was it deleted? "
                              "(az aks list -o table) Press [b]v[/b] to check again.")
                return
            status.update(failure_text("Couldn't check the cluster", message.error, "v"))
            return
        result = message.result
        if result is None:
            return
        lines = [self.check_line(c) for c in result.checks]
        lines.append("[b $success]✓ Healthy.[/]" if result.healthy else
                     f"[b $error]✖ Not healthy:[/] {escape(result.reason or 'unknown')}")
        status.update("\n".join(lines))

    # -------- credentials -> kubeconfig (thread workers: the SDK call and the file IO)

    @work(thread=True, exclusive=True, exit_on_error=False, group="kube")
    @posts(KubeconfigMerged)
    def fetch_credentials(self) -> tuple[str, MergeResult, Path | None]:
        session = azapp(self).session
        if session is None:
            raise RuntimeError("not signed in")
        creds = session.factory.containerservice().managed_clusters.list_cluster_user_credentials(
            self.spec.resource_group, self.spec.cluster_name)
        if not creds.kubeconfigs:
            raise RuntimeError("Azure returned no kubeconfig for the cluster")
        value = creds.kubeconfigs[0].value
        if value is None:
            raise RuntimeError("Azure returned an empty kubeconfig for the cluster")
        text = (value if isinstance(value, (bytes, bytearray)) else base64.b64decode(value)).decode("utf-8")
        self.new_kubeconfig = text
        return self._merge(text, overwrite=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="kube")
    @posts(KubeconfigMerged)
    def overwrite(self, text: str) -> tuple[str, MergeResult, Path | None]:
        return self._merge(text, overwrite=True)

    def _merge(self, text: str, *, overwrite: bool) -> tuple[str, MergeResult, Path | None]:
        import yaml

        from azwizard.kubeconfig import merge_kubeconfig, write_kubeconfig
        from azwizard.userfiles import read_output_text

        existing = read_output_text(self.path)  # a FIFO or a device there is refused, never read
        result = merge_kubeconfig(existing, text, context_name=self.spec.cluster_name, overwrite=overwrite)
        if not result.ok:
            return "conflict", result, None
        assert result.text is not None
        if existing is not None and yaml.safe_load(existing) == yaml.safe_load(result.text):
            return "current", result, None  # already there, as it is: no rewrite, no extra backup
        backup = write_kubeconfig(self.path, result.text)
        return "written", result, backup

    @on(KubeconfigMerged)
    def _kube_done(self, message: KubeconfigMerged) -> None:
        if leaving(self):
            return  # what was written is written; nothing left to show it on
        status = self.query_one("#kube-status", Static)
        if message.error is not None:
            from azwizard.userfiles import OutputFileError

            if isinstance(message.error, OutputFileError):  # not a regular file there: nothing was written
                status.update(f"[b $error]✖ Couldn't write the kubeconfig:[/] {escape(str(message.error))}. "
                              "Move it aside, then press [b]g[/b] to try again.")
                return
            status.update(failure_text("Couldn't write the kubeconfig", message.error, "g"))
            return
        if message.result is None:
            return
        outcome, result, backup = message.result
        if outcome == "conflict":
            status.update(f"[$warning]▲ {escape(shown(self.path))} has different entries with the same names.[/]")
            self.app.push_screen(ConfirmOverwrite(self.path, result.conflicts), self._confirmed)
            return
        where = escape(shown(self.path))
        if outcome == "current":
            lines = [f"[$success]✓[/] {where} already has these credentials: context "
                     f"[b]{escape(result.context)}[/b] is the current context."]
        else:
            lines = [f"[$success]✓[/] Merged into {where}: context [b]{escape(result.context)}[/b], now the current "
                     "context (mode 0600)."]
        if backup is not None:
            lines.append(f"  The old file is kept as {escape(shown(backup))}.")
        if result.replaced:
            lines.append(f"  Replaced: {escape(', '.join(c.describe() for c in result.replaced))}.")
        if self.demo:
            lines.append("  [dim]Demo mode: a separate file under azwizard's data dir, not your ~/.kube/config; "
                         "the credentials are simulated and reach only the simulated cluster's API, served on "
                         "127.0.0.1 while azwizard runs.[/dim]")
        status.update("\n".join(lines))

    def _confirmed(self, overwrite: bool | None) -> None:
        status = self.query_one("#kube-status", Static)
        if overwrite and self.new_kubeconfig is not None:
            status.update("[dim]Overwriting…[/dim]")
            self.overwrite(self.new_kubeconfig)
        else:
            status.update(f"[$warning]▲ Left {escape(shown(self.path))} unchanged.[/] To replace the entries later: "
                          f"az aks get-credentials --resource-group={escape(self.spec.resource_group)} "
                          f"--name={escape(self.spec.cluster_name)} --overwrite-existing (or press [b]g[/b]).")

    # -------- keys

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.query_one("#done-commands", TextArea).text)
        self.notify("Commands copied to the clipboard (if your terminal allows it).", timeout=4)

    def action_credentials(self) -> None:
        self.query_one("#kube-status", Static).update("[dim]Fetching the cluster's user credentials…[/dim]")
        self.fetch_credentials()

    def action_verify(self) -> None:
        self.query_one("#verify-status", Static).update("[dim]Checking the running cluster…[/dim]")
        self.run_verify()

    def action_cleanup(self) -> None:
        app = azapp(self)
        app.switch_mode("cleanup")
        # The journey is finished: leaving for cleanup ends it, as Home does, so neither cleanup's esc nor the
        # journey's key comes back to this screen, for a resource cleanup may delete (issue 19 items 9, 19).
        app.reset_journey("aks")

    def action_home(self) -> None:
        app = azapp(self)
        app.switch_mode("home")
        app.reset_journey("aks")  # after leaving the mode, so its screens go too and "k" starts afresh
