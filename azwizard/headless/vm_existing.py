"""``azwizard vm doctor`` and ``azwizard vm add-ipv6``: a VM that exists already (docs/cli-vm-existing.md).

``doctor`` reads the VM's network and prints the findings (exit 0: nothing to fix; 1: findings). ``add-ipv6``
prints the plan of updates (without ``--yes``) or applies it with the runner and journal every create uses
(exit codes as ``vm apply``). With ``--demo``, the demo's IPv4-only VM (``Legacy-RG``/``legacy-vm``) is made
first when its group does not exist, with plain PUTs as a portal user would (``azwizard/existing/legacy.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ..exitcodes import EXIT_AZURE, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from .common import CommandError, Connection, connect, err, out
from .review import render_findings

if TYPE_CHECKING:
    from ..existing.ipv6 import Choices, Ipv6Plan
    from .review import Review


def _network(conn: Connection, args: argparse.Namespace) -> Any:
    from ..existing.read import VmNotFound, read_vm_network

    assert conn.session is not None
    factory = conn.session.factory
    if args.demo:
        from ..existing.legacy import Legacy, ensure_legacy_vm

        if args.resource_group.lower() == Legacy().group.lower() and ensure_legacy_vm(factory):
            err(f"Made the demo's IPv4-only VM {Legacy().vm} in {Legacy().group} (plain PUTs, as a portal user "
                "would: azwizard owns none of it).")
    try:
        return read_vm_network(factory, conn.subscription_id, args.resource_group, args.vm)
    except VmNotFound as e:
        raise CommandError(f"{e} ({conn.label()})", EXIT_USAGE,
                           "Check the names (az vm list -o table), or the subscription (--subscription).") from e


def doctor_command(args: argparse.Namespace, conn: Connection | None = None) -> int:
    from ..existing.doctor import doctor, to_fix

    conn = conn or connect(args)
    net = _network(conn, args)
    findings = doctor(net)
    fix = to_fix(findings)
    if args.format == "json":
        sys.stdout.write(json.dumps({"vm": net.vm_id, "verdict": "findings" if fix else "ok",
                                     "findings": [f.to_dict() for f in findings], "read": net.summary()},
                                    indent=2, ensure_ascii=False) + "\n")
    else:
        out(f"azwizard vm doctor: {net.name} in {net.resource_group} ({net.location}, {net.size}"
            f"{', zone ' + ', '.join(net.zones) if net.zones else ''})")
        out(f"  subscription: {conn.label()}")
        out(f"\nFindings ({len(findings)}):")
        for line in render_findings(findings):
            out(line)
        out("")
        out(f"▲ {len(fix)} thing(s) to fix." if fix else "✓ Nothing to fix.")
    return EXIT_FINDINGS if fix else EXIT_OK


def choices_from(args: argparse.Namespace) -> Choices:
    """``--nic``, ``--ipv6-nsg-source`` and ``--ipv6-nsg-rule``; a source that is not ``*`` or an IPv6 prefix
    is bad input (exit 2, nothing read or sent)."""
    from ..existing.ipv6 import Choices
    from ..existing.nsg6 import parse_source

    rules = tuple(getattr(args, "ipv6_nsg_rule", None) or ())
    source = str(getattr(args, "ipv6_nsg_source", "") or "")
    if rules and not source:
        raise CommandError("--ipv6-nsg-rule only goes with --ipv6-nsg-source SOURCE (the IPv6 clients to let in); "
                           "nothing was changed.", EXIT_USAGE)
    try:
        parsed = parse_source(source) if source else ""
    except ValueError as e:
        raise CommandError(f"--ipv6-nsg-source: {e}; nothing was changed.", EXIT_USAGE) from e
    return Choices(str(getattr(args, "nic", "") or ""), parsed, rules)


def add_ipv6_review(conn: Connection, net: Any, choices: Choices | None = None) -> tuple[Review, Ipv6Plan]:
    """The review of adding IPv6 to ``net``'s VM (a new run): the plan, its diff over what was read, the
    findings that block, and the journal's metadata (what is added). A NIC the VM does not have, or an NSG rule
    that needs no companion, is a :class:`CommandError` (bad input)."""
    from ..existing.ipv6 import Choices, review_add_ipv6
    from ..existing.read import NicNotFound
    from ..run.preflight import diff_findings
    from .review import Review, new_run

    choices = choices or Choices()
    run_id, created_at = new_run()
    assert conn.session is not None
    try:
        planned = review_add_ipv6(conn.session.factory, net, run_id=run_id, created_at=created_at, choices=choices)
    except (NicNotFound, ValueError) as e:
        raise CommandError(f"{e}; nothing was changed.", EXIT_USAGE) from e
    # The updates are what the command is for (--yes is the word): only conflicts and unreadable resources block.
    findings = [*planned.findings, *(f for f in diff_findings(planned.diff, "vm", allow_update=True) if f.blocking)]
    # IPv6 clients get in only where every NSG on the way lets them: the doctor's NSG findings, said here too,
    # but not for a rule this plan gives its IPv6 companion.
    from ..existing.doctor import NSG_FINDINGS, doctor

    covered = {f"securityRules:{a.nsg_name}/{a.mirrors}".lower() for a in planned.rules}
    findings += [f for f in doctor(net) if f.rule_id in NSG_FINDINGS and f.field.lower() not in covered]
    review = Review("vm-ipv6", None, findings, planned.plan, created_at, conn.label(),
                    f"{net.resource_group}/{net.name}", diff=planned.diff,
                    meta={"vm": net.vm_id, "additions": planned.additions.to_dict() if planned.additions else {}})
    return review, planned


def add_ipv6_command(args: argparse.Namespace, conn: Connection | None = None, *, live: bool | None = None) -> int:
    from .apply import apply
    from .review import nothing_to_do, plan_dict

    choices = choices_from(args)
    conn = conn or connect(args)
    net = _network(conn, args)
    review, planned = add_ipv6_review(conn, net, choices)
    findings, run_id = review.findings, review.plan.run_id
    if not args.yes:
        if args.format == "json":
            sys.stdout.write(json.dumps({
                "vm": net.vm_id, "verdict": "blocked" if review.blocking else "ready",
                "findings": [f.to_dict() for f in findings], "plan": plan_dict(planned.plan, planned.diff),
                "diff": planned.diff.to_dict(),
                "additions": planned.additions.to_dict() if planned.additions else None}, indent=2,
                ensure_ascii=False) + "\n")
            return review.exit_code
        out(f"azwizard vm add-ipv6: {net.name} in {net.resource_group} ({net.location}), run {run_id}")
        out(f"  subscription: {conn.label()}")
        out(f"\nFindings ({len(findings)}):")
        for line in render_findings(findings):
            out(line)
        out("\nWhat each PUT would do (+ create, = unchanged, ~ update, ! conflict, ? could not be read):")
        for line in planned.diff.lines():
            out(line)
        for note in planned.plan.notes:
            out(f"  note: {note}")
        out("")
        if review.blocking:
            out(f"✖ {len(review.blocking)} blocking finding(s): nothing can be changed until they are fixed.")
        elif nothing_to_do(review):
            out("✓ Nothing to change: the VM has IPv6 already.")
        else:
            out("Ready: run again with --yes to apply (each update sends the resource as read plus only these "
                "changes).")
        return review.exit_code
    if args.format != "json":
        return apply(conn, review, yes=True, live=live)
    # JSON on stdout for scripts: the progress and messages go to stderr, then the outcome and the VM's network
    # as read after it (its IPv6 addresses among them).
    import contextlib

    with contextlib.redirect_stdout(sys.stderr):
        code = apply(conn, review, yes=True, live=False)
    after = _network(conn, args)
    sys.stdout.write(json.dumps({
        "vm": net.vm_id, "run_id": run_id, "exit_code": code, "findings": [f.to_dict() for f in findings],
        "diff": planned.diff.to_dict(), "additions": planned.additions.to_dict() if planned.additions else None,
        "read_after": after.summary()}, indent=2, ensure_ascii=False) + "\n")
    return code


def run(args: argparse.Namespace) -> int:
    if args.action == "doctor":
        return doctor_command(args)
    return add_ipv6_command(args)


def undo_run(conn: Connection, run_id: str, *, yes: bool) -> int | None:
    """``cleanup delete --run ID`` of an add-ipv6 run: undo its additions (``azwizard/existing/undo.py``), a dry
    run without ``--yes``. None when ``run_id`` is not an add-ipv6 run (cleanup goes on as for any run)."""
    from ..azure.errors import explain
    from ..existing.undo import additions_of, plan_undo, run_undo
    from ..journal import Journal

    journal = Journal(run_id)
    if not journal.path.exists() or additions_of(journal) is None:
        return None
    assert conn.session is not None
    factory = conn.session.factory
    try:
        plan = plan_undo(factory, journal)
    except Exception as e:
        x = explain(e)
        raise CommandError(x.what, EXIT_AZURE, x.fix) from e
    out(f"azwizard cleanup: undo the IPv6 additions {_made_to(journal)} in {conn.label()} (the VM, its NIC, VNet "
        "and NSGs stay; only what the run added goes):")
    for line in plan.lines():
        out(line)
    if not plan.todo:
        out("\nNothing left to undo.")
        return EXIT_OK
    if not yes:
        out("\nDry run: nothing was changed. To undo, run again with --yes.")
        return EXIT_OK
    try:
        run_undo(factory, journal, plan)
    except Exception as e:
        x = explain(e)
        raise CommandError(f"the undo stopped: {x.what}", EXIT_AZURE,
                           x.fix or f"Run azwizard cleanup delete --run {run_id} --yes again to finish it.") from e
    out(f"\n✓ Undone: the VM's network is as it was before run {run_id}.")
    return EXIT_OK


def _made_to(journal: Any) -> str:
    """``made to VM legacy-vm in Legacy-RG on 2026-12-07 11:15 UTC (run 20261207-111533-3ce4)``: the VM and the
    date a person knows the run by, the id second (issue 19 item 14)."""
    from ..cleanup.model import Inventory
    from ..cleanup.runs import run_date

    vm = next((str((ev.get("meta") or {}).get("vm") or "") for ev in journal.events() if ev.get("event") == "plan"),
              "")
    parts = vm.split("/")
    who = f"made to VM {parts[-1]} in {parts[4]}" if len(parts) > 8 else "made"
    when = run_date(Inventory(()), journal.run_id)
    return f"{who}{' on ' + when if when else ''} (run {journal.run_id})"
