"""The headless commands behind ``azwizard.cli``: each takes the parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..demo_latency import latency_choice
from ..exitcodes import EXIT_AZURE, EXIT_BUSY, EXIT_USAGE
from .common import CommandError, Connection, connect, err
from .review import Review, render, review_aks, review_vm


def _profile(args: argparse.Namespace, kind: str) -> Any:
    from ..profiles import ProfileError, load_profile

    try:
        return load_profile(args.profile, kind)  # type: ignore[arg-type]
    except ProfileError as e:
        raise CommandError(str(e), EXIT_USAGE) from e


def _review(conn: Connection, kind: str, profile: Any, args: argparse.Namespace | None = None) -> Review:
    """The review of the profile as this attempt runs it (a new run, or the interrupted one it continues),
    with what each PUT would do to what exists."""
    from .existing import review_existing

    def build(spec: Any, run: tuple[str, str] | None) -> Review:
        if kind == "vm":
            return review_vm(conn, spec, zones_from_region="public_ip.zones" not in profile.explicit,
                             source=profile.source, run=run)
        return review_aks(conn, spec, source=profile.source, run=run)

    return review_existing(conn, kind, profile.spec, build,
                           explicit_ipv6=bool({"network.ipv6_space", "network.subnet_ipv6"} & set(profile.explicit)),
                           adopt=getattr(args, "adopt", None) or (),
                           allow_update=bool(getattr(args, "allow_update", False)), source=str(profile.source))


def _emit(review: Review, fmt: str, output: str | None) -> int:
    from ..plan.export_arm import TemplateError
    from ..sshkeys import redact_private_keys

    try:
        # The readers already withhold a private key given as the public one; this is the last guard.
        text = redact_private_keys(render(review, fmt))  # type: ignore[arg-type]
    except TemplateError as e:
        raise CommandError(f"cannot write an ARM template for this plan: {e}",
                           review.exit_code if review.blocking else EXIT_USAGE,
                           "fix the blocking findings (azwizard check or plan with --format text lists them)") from e
    if output and output != "-":  # "-" is stdout, as for most tools
        from ..userfiles import OutputFileError, write_user_text

        try:
            write_user_text(output, text, mode=0o755 if fmt == "az" else 0o644)
        except OutputFileError as e:
            raise CommandError(str(e), EXIT_USAGE, "name a new or regular file with --output, or - for stdout") from e
        err(f"wrote {output}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if review.blocking and fmt != "text":
        err(f"azwizard: {len(review.blocking)} blocking finding(s): " +
            "; ".join(f"[{f.rule_id}] {f.message}" for f in review.blocking))
    return review.exit_code


def plan_command(args: argparse.Namespace, kind: str) -> int:
    profile = _profile(args, kind)
    conn = connect(args, offline=args.offline)
    return _emit(_review(conn, kind, profile, args), args.format, args.output)


def apply_command(args: argparse.Namespace, kind: str) -> int:
    """The journey's lock (run/lock.py) is held from the review to the run's end: a second apply of the same
    VM or cluster stops before it reads or sends anything (EXIT_BUSY), so one run owns what is made."""
    from ..run.lock import JourneyBusy, journey_lock
    from ..run.resume import journey_identity
    from .apply import apply

    profile = _profile(args, kind)
    conn = connect(args)
    try:
        identity, name = journey_identity(kind, profile.spec, conn.subscription_id)
        with journey_lock(identity, name=name):
            return apply(conn, _review(conn, kind, profile, args), yes=args.yes)
    except JourneyBusy as busy:
        raise CommandError(busy.what, EXIT_BUSY, busy.fix) from busy


def _read_az(words: list[str], subscription_id: str) -> tuple[str, Any]:
    from ..specs.azcli import AzReadError, read_aks, read_vm, split_commands

    try:
        commands = split_commands(words)
        verbs = {tuple(c[1:3]) for c in commands}
        if ("aks", "create") in verbs:
            return "aks", read_aks(commands, subscription_id=subscription_id)
        if ("vm", "create") in verbs:
            return "vm", read_vm(commands)
    except AzReadError as e:
        raise CommandError(str(e), EXIT_USAGE) from e
    raise CommandError("azwizard checks `az vm create` and `az aks create` commands (with the commands they "
                       "need, such as az network ... create)", EXIT_USAGE)


def check_command(args: argparse.Namespace) -> int:
    words = list(args.az_command)
    if args.file:
        words = _words_from_file(args.file) + (["&&"] + words if words else [])
    if not words:
        raise CommandError("Give the az command after --, e.g. azwizard check -- az aks create --name x ...")
    conn = connect(args, offline=args.offline)
    kind, read = _read_az(words, conn.subscription_id)
    from ..sshkeys import redact_private_keys
    from .existing import review_existing

    line = redact_private_keys(" ".join(words))  # an inline private key never reaches the "from:" line
    source = args.file or (line if len(line) < 100 else line[:97] + "...")

    def build(spec: Any, run: tuple[str, str] | None) -> Review:
        if kind == "vm":
            return review_vm(conn, spec, zones_from_region=not any(w in words for w in ("--nics",)), source=source,
                             run=run)
        return review_aks(conn, spec, source=source, run=run)

    review = review_existing(conn, kind, read.spec, build, source=source)
    review.import_unknown, review.import_notes = read.unknown, read.notes
    if read.unknown and args.format != "text":
        for u in read.unknown:
            err(f"azwizard: ▲ {u}")
    return _emit(review, args.format, args.output)


def _words_from_file(path: str) -> list[str]:
    """az commands from a file (a script such as ``plan --format az`` writes, or notes: one command per
    line, ``\\`` continues a line), joined with ``&&`` for :func:`split_commands`."""
    from ..specs.azcli import AzReadError, read_script
    from ..userfiles import SCRIPT_LIMIT, UserFileError, read_user_text

    try:
        text = read_user_text(path, limit=SCRIPT_LIMIT)
    except UserFileError as e:
        raise CommandError(f"cannot read {e}") from e
    try:
        commands = read_script(text)
    except AzReadError as e:
        raise CommandError(f"{path}: {e}") from e
    words: list[str] = []
    for c in commands:
        words += [*(["&&"] if words else []), *c]
    return words


def from_az_command(args: argparse.Namespace, kind: str) -> int:
    from .tui import run

    words = list(args.from_az)
    if not words:
        raise CommandError(f"Give the az command after --from-az, e.g. azwizard {kind} --from-az az {kind} create "
                           "--name ...")
    # The subscription only decides whether a --dns-name-prefix is the one az would derive anyway.
    sub = args.subscription or (_demo_subscription() if args.demo else "00000000-0000-0000-0000-000000000000")
    read_kind, read = _read_az(words, sub)
    if read_kind != kind:
        raise CommandError(f"that is an az {read_kind} command: use azwizard {read_kind} --from-az ...")
    for u in read.unknown:
        err(f"▲ {u}")
    return run(kind, read.spec, demo=args.demo, reset=args.reset, subscription=args.subscription,
               cloud=getattr(args, "cloud", None), notes=tuple(read.unknown) + tuple(read.notes),
               latency=latency_choice(args))


def _demo_subscription() -> str:
    from ..sim.catalog.locations import SUBSCRIPTION_ID

    return SUBSCRIPTION_ID


def cleanup_command(args: argparse.Namespace) -> int:
    from . import cleanup

    conn = connect(args)
    if args.cleanup_command == "list":
        return cleanup.list_command(conn, args.format)
    return cleanup.delete_command(conn, run=args.run, group=args.group, yes=args.yes,
                                  confirm_group=args.confirm_group, backup_data=tuple(args.delete_backup_data),
                                  soft_delete_off=args.soft_delete_off)


def report(e: CommandError) -> int:
    err(f"azwizard: {e.message}")
    if e.fix:
        err(f"  What to do: {e.fix}")
    return e.code


def run(args: argparse.Namespace) -> int:
    """Dispatch a headless command; every failure leaves as a message and an exit code."""
    try:
        if args.command in ("vm", "aks"):
            if getattr(args, "from_az", None) is not None:
                return from_az_command(args, args.command)
            if args.action == "verify":
                from .aks_verify import verify_command

                return verify_command(args)
            if args.action in ("doctor", "add-ipv6"):
                from .vm_existing import run as run_existing

                return run_existing(args)
            if args.action == "plan":
                return plan_command(args, args.command)
            return apply_command(args, args.command)
        if args.command == "check":
            return check_command(args)
        return cleanup_command(args)
    except CommandError as e:
        return report(e)
    except OSError as e:
        return report(CommandError(f"{e.strerror or e}" + (f": {e.filename}" if e.filename else ""), EXIT_USAGE))
    except Exception as e:  # pragma: no cover - a last resort: a message, not a traceback
        from ..azure.errors import explain

        x = explain(e)
        return report(CommandError(x.what, EXIT_AZURE, x.fix))


__all__ = ["run"]
