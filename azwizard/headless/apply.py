"""``azwizard vm|aks apply``: check, show the plan, ask, create, report (the review and create screens, headless).

The run is the TUI's: the same :class:`~azwizard.run.executor.Runner`, the same journal (so ``azwizard
cleanup`` finds everything, and a crash or Ctrl+C leaves a record of what was sent). Ctrl+C stops watching:
operations Azure accepted go on, and the message says how to clean them up.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ..exitcodes import EXIT_AZURE, EXIT_CHANGED, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK
from .common import CommandError, Connection, confirm, err, out
from .progress import Progress
from .review import Review, nothing_to_do, render_findings

if TYPE_CHECKING:
    from ..run.executor import RunResult, StepEvent


def run_plan(conn: Connection, review: Review, *, live: bool | None = None) -> RunResult:
    """Create the review's plan with progress; KeyboardInterrupt stops watching and is re-raised."""
    from ..journal import Journal
    from ..run.executor import Runner

    assert conn.session is not None
    plan = review.plan
    cancel = threading.Event()
    steps = plan.topological()
    progress = Progress(f"Creating {len(steps)} resources · run {plan.run_id}", [(s.key, s.label) for s in steps],
                        live=live)
    result: dict[str, Any] = {}

    def on_event(e: StepEvent) -> None:
        detail = e.message if e.state != "succeeded" else _detail(e.outputs)
        state = "updated" if e.state == "succeeded" and e.message == "updated" else e.state
        progress.update(e.key, state, detail, e.elapsed if e.state != "running" else None)

    def work() -> None:
        try:
            runner = Runner(conn.session.factory, Journal(plan.run_id, plan.journey),  # type: ignore[union-attr]
                            cancel=cancel, on_event=on_event)
            result["value"] = runner.run_attempt(review.attempt)
        except BaseException as exc:  # handed to the main thread
            result["error"] = exc

    # The run goes on in a thread so Ctrl+C reaches the main thread at once (and cancels cleanly).
    thread = threading.Thread(target=work, name="azwizard-apply", daemon=True)
    with progress:
        thread.start()
        try:
            while thread.is_alive():
                thread.join(0.2)
        except KeyboardInterrupt:
            cancel.set()
            thread.join(30)
            raise
    if "error" in result:
        raise result["error"]
    return result["value"]  # type: ignore[no-any-return]


def _detail(outputs: dict[str, Any]) -> str:
    if outputs.get("ipAddress"):
        return str(outputs["ipAddress"])
    if outputs.get("fqdn") or outputs.get("privateFQDN"):
        return str(outputs.get("fqdn") or outputs["privateFQDN"])
    return ", ".join(ip for ip in outputs.get("privateIPs", []) or [] if ip)


def _connect_lines(conn: Connection, review: Review, result: RunResult) -> list[str]:
    """A VM's ssh commands, as the wizard's done screen shows them (issue 19 item 21); for a cluster, the command
    that checks it running (the done screen runs the same check)."""
    if review.journey == "aks":
        spec = review.spec
        demo = " --demo" if conn.sim is not None else ""
        return [f"Check it: azwizard aks verify --resource-group {spec.resource_group} --name {spec.cluster_name}"
                f"{demo}"]
    if review.journey != "vm":
        return []
    from ..sshconfig import ssh_commands
    from ..sshkeys import private_key_for, ssh_dir

    spec = review.spec
    identity = private_key_for(spec.ssh_public_key, ssh_dir(conn.sim is not None)) if spec.ssh_public_key else None
    commands = ssh_commands(spec.admin_username, result.outputs.get("pip4", {}).get("ipAddress"),
                            result.outputs.get("pip6", {}).get("ipAddress"), identity)
    return ["Connect:", *(f"  {c}" for c in commands)] if commands else []


def apply(conn: Connection, review: Review, *, yes: bool, live: bool | None = None) -> int:
    plan = review.plan
    if review.findings:
        out(f"Findings ({len(review.findings)}):")
        for line in render_findings(review.findings):
            out(line)
    if review.blocking:
        if review.diff is not None:
            out("\nWhat each PUT would do (+ create, = unchanged, ~ update, ! conflict, ? could not be read):")
            for line in review.diff.lines():
                out(line)
        err(f"✖ {len(review.blocking)} blocking finding(s): nothing was created. Fix them and run again.")
        return EXIT_FINDINGS
    steps = plan.topological()
    if nothing_to_do(review):
        out(f"\n✓ Nothing to change: all {len(steps)} resources already exist as planned in {conn.label()}. "
            "Nothing was sent.")
        return EXIT_OK
    diff = review.diff
    if diff is None:
        out(f"\nazwizard will create {len(steps)} resources in {conn.label()}:")
        for s in steps:
            out(f"  {s.label}")
        question = f"Create these {len(steps)} resources?"
    else:
        c = diff.counts()
        more = f" and update {c['update']}" if c["update"] else ""
        out(f"\nazwizard will create {c['create']} resources{more} in {conn.label()} "
            f"({c['unchanged']} unchanged: nothing is sent for them):")
        for line in diff.lines():
            out(line)
        if review.resumed:
            out(f"  Continuing interrupted run {review.resumed}.")
        question = f"Create {c['create']}" + (f" and update {c['update']}" if c["update"] else "") + " resources?"
    confirm(question, assume_yes=yes)
    try:
        result = run_plan(conn, review, live=live)
    except KeyboardInterrupt:
        err(f"\nStopped watching run {plan.run_id}. Operations Azure already accepted go on; the journal keeps "
            f"them. Run the same command again to continue this run (nothing done is sent twice), or remove "
            f"what it made: azwizard cleanup delete --run {plan.run_id} --yes")
        return EXIT_INTERRUPTED
    except Exception as exc:
        from ..azure.errors import explain

        x = explain(exc)
        raise CommandError(x.what, EXIT_AZURE, x.fix) from exc
    if result.ok:
        kept = sum(1 for st in result.states.values() if st == "existing")
        updated = len(diff.updates) if diff is not None else 0
        if kept or updated:
            out(f"\n✓ All {len(steps)} resources in place in {result.elapsed:.0f} s (run {plan.run_id}): "
                f"{len(steps) - kept - updated} created, {updated} updated, {kept} already as planned.")
        else:
            out(f"\n✓ All {len(steps)} resources created in {result.elapsed:.0f} s (run {plan.run_id}).")
        for s in steps:
            if s.patch_of:  # a change to a resource listed already (the metrics update of the cluster)
                continue
            detail = _detail(result.outputs.get(s.key, {}))
            if detail:
                out(f"  {s.label}: {detail}")
        for line in _connect_lines(conn, review, result):
            out(line)
        out(f"To delete them later: azwizard cleanup delete --run {plan.run_id} --yes")
        return EXIT_OK
    err(f"\n✖ {len(result.failed)} resource(s) failed after {result.elapsed:.0f} s (run {plan.run_id}):")
    for key, e in result.errors.items():
        err(f"  {plan.step(key).label}: {e.what}" + (f" ({e.code})" if e.code else ""))
        if e.fix:
            err(f"    What to do: {e.fix}")
    from ..run.executor import PRECONDITION_FAILED

    if result.errors and all(e.code == PRECONDITION_FAILED for e in result.errors.values()):
        # Only changes made in Azure after the plan read it stopped the run (412): nothing was written over them.
        err(f"Plan again to see those resources as they are now, then apply again (it continues run {plan.run_id}).")
        return EXIT_CHANGED
    err(f"Fix the cause and run the command again (it continues this run), or remove what this run made: "
        f"azwizard cleanup delete --run {plan.run_id} --yes")
    return EXIT_AZURE
