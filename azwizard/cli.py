"""The ``azwizard`` command. Parsing is kept free of Textual and the Azure SDK so ``--help`` and
``--version`` answer at once; each command imports what it needs when it runs."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

from . import __version__
from .demo_latency import LATENCY_ENV, latency_choice
from .exitcodes import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

DESCRIPTION = """\
Create Azure VMs (dual-stack IPv4/IPv6) and AKS clusters the right way the first time, and clean
them up. Every choice is checked against live facts (SKUs, zones, quotas, Kubernetes versions)
before anything is created; the review shows the exact resources and the equivalent az commands.

Without a command, opens the terminal wizard. --demo uses a simulated Azure subscription (no
account needed); otherwise azwizard signs in like the Azure CLI does (az login, service-principal
environment variables, managed identity)."""


COMMANDS_HELP = """\
commands:
  vm plan|apply PROFILE     check and show (plan) or create (apply) a VM from a TOML profile
  aks plan|apply PROFILE    the same for an AKS cluster
  vm|aks --from-az AZ...    open the wizard pre-filled from an az vm|aks create command
  vm doctor|add-ipv6 -g RG --vm NAME   check an existing VM; add IPv6 to an IPv4-only one
  aks verify -g RG -n NAME  check a running cluster (nodes, IP families, system pods, Cilium, API access)
  check -- az ...           check an az vm create / az aks create command line
  cleanup list|delete       what azwizard created; delete a run or a resource group
  sim serve                 serve the simulated Azure Resource Manager

exit codes: 0 ok; 1 blocking findings (a conflict with what exists, an update not allowed); 2 usage or
profile error; 3 Azure error; 4 a resource changed since the plan read it (plan again); 5 busy (another
azwizard applies the same VM or cluster: nothing sent); 130 interrupted (run the same apply again to continue).
Docs: docs/cli.md (every command), docs/profiles.md (profile keys)."""

FORMATS = ("text", "json", "az", "arm", "profile")


def _columns() -> int:
    """``shutil.get_terminal_size().columns`` (argparse's width for help text), without importing shutil: in
    Python 3.11 that imports zlib, bz2 and lzma, a third of what ``azwizard --help`` imported (issue 26)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help formatter is given the width argparse would compute itself (the terminal's
    columns less 2), so that argparse does not import shutil to measure it."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        return self.formatter_class(prog=self.prog, width=_columns() - 2)  # type: ignore[call-arg]


def _common_options(defaults: bool) -> _Parser:
    """--demo, --subscription... accepted before the command and after it (``azwizard vm plan p.toml --demo``).
    On subcommands the defaults are suppressed so they never overwrite what was given before."""
    p = _Parser(add_help=False)
    kw = {} if defaults else {"default": argparse.SUPPRESS}
    p.add_argument("--demo", action="store_true", help="use a simulated Azure subscription (no account needed)",
                   **kw)  # type: ignore[arg-type]
    p.add_argument("--reset", action="store_true", help="with --demo: start from an empty simulated subscription",
                   **kw)  # type: ignore[arg-type]
    p.add_argument("--subscription", metavar="ID",
                   help="subscription to use (default: $AZURE_SUBSCRIPTION_ID, then the az CLI's default)",
                   **kw)  # type: ignore[arg-type]
    p.add_argument("--cloud", metavar="NAME",
                   help="Azure cloud: AzureCloud, AzureUSGovernment, AzureChinaCloud or one registered with "
                        "`az cloud register` (default: $AZURE_CLOUD, then the az CLI's active cloud)",
                   **kw)  # type: ignore[arg-type]
    p.add_argument("--latency", choices=("none", "demo", "real"),
                   help="with --demo: how long simulated operations take (default: $AZWIZARD_DEMO_LATENCY, "
                        "else demo = realistic / 20)", **kw)  # type: ignore[arg-type]
    p.add_argument("--currency", metavar="CODE",
                   help="currency of the price estimates, e.g. EUR (default: $AZWIZARD_CURRENCY, else USD)",
                   **kw)  # type: ignore[arg-type]
    return p


def _existing_options(p: argparse.ArgumentParser) -> None:
    """What may happen to resources that exist already (docs/cli-apply.md "What exists already")."""
    p.add_argument("--allow-update", action="store_true",
                   help="apply the changes the plan makes (~) to resources an earlier run of this journey created")
    p.add_argument("--adopt", metavar="ID|NAME", action="append", default=[],
                   help="take over this existing resource that azwizard did not create (!): it is updated, tagged "
                        "for this run and deleted by its cleanup (repeatable)")


def _vm_existing_actions(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """``vm doctor`` and ``vm add-ipv6``: a VM that exists already (docs/cli-vm-existing.md)."""
    for name, what in (("doctor", "check an existing VM's network against the notes (read-only)"),
                       ("add-ipv6", "add IPv6 to an existing IPv4-only VM (a plan; --yes applies it)")):
        a = actions.add_parser(name, parents=[common], help=what, description=what[0].upper() + what[1:] + ".")
        a.add_argument("--resource-group", "-g", required=True, metavar="RG", help="the VM's resource group")
        a.add_argument("--vm", "-n", required=True, metavar="NAME", help="the VM's name")
        a.add_argument("--format", choices=("text", "json"), default="text")
        if name == "add-ipv6":
            a.add_argument("--yes", "-y", action="store_true", help="apply the plan (without it: only show it)")
            a.add_argument("--nic", default="", metavar="NAME",
                           help="the network interface to add IPv6 to (default: the VM's primary NIC)")
            a.add_argument("--ipv6-nsg-source", default="", metavar="SOURCE",
                           help="also give each inbound allow rule with IPv4-only sources an IPv6 companion rule "
                                "(same ports) from SOURCE: * or an IPv6 prefix (default: no NSG change)")
            a.add_argument("--ipv6-nsg-rule", action="append", default=[], metavar="RULE",
                           help="only this rule gets a companion (repeatable; default: all of them)")


def _aks_verify_action(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """``aks verify``: check a running cluster (docs/cli.md)."""
    what = "check a running cluster: nodes Ready with every IP family, system pods, Cilium, API server access"
    v = actions.add_parser("verify", parents=[common], help=what, description=what[0].upper() + what[1:] + ".")
    v.add_argument("--resource-group", "-g", required=True, metavar="RG", help="the cluster's resource group")
    v.add_argument("--name", "-n", required=True, metavar="NAME", help="the cluster's name")
    v.add_argument("--format", choices=("text", "json"), default="text")


COMMANDS = ("vm", "aks", "check", "cleanup", "sim")


def build_parser(words: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Every command is listed (its name and help line), but a command's own options are added only
    when ``words`` (the command line) names it, or always when ``words`` is None: ``azwizard --help`` then
    builds one parser instead of seventeen (issue 26: --help <= 100 ms). The help printed is the same."""
    common = _common_options(False)
    p = _Parser(  # the commands' parsers are _Parser too (argparse makes subparsers of the parent's class)
        prog="azwizard",
        description=DESCRIPTION,
        epilog=COMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options(True)],
    )
    p.add_argument("--version", action="version", version=f"azwizard {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    named = set(COMMANDS) if words is None else set(COMMANDS).intersection(words)
    for kind, what in (("vm", "a VM (dual-stack network, public IPv4 + IPv6)"), ("aks", "an AKS cluster")):
        k = sub.add_parser(kind, help=f"plan or create {what} from a profile; --from-az opens the wizard",
                           parents=[common] if kind in named else [],
                           description=f"Plan or create {what} from a TOML profile (docs/profiles.md), or open "
                                       f"the wizard pre-filled from an az {kind} create command (--from-az).")
        if kind in named:
            _journey_command(k, kind, common)
    check = sub.add_parser(
        "check", parents=[common] if "check" in named else [], help="check an az vm create / az aks create command line",
        description="Read an az vm create or az aks create command (after --) into a spec and print the "
                    "findings; flags azwizard does not understand are reported.")
    if "check" in named:
        _check_command(check)
    cleanup = sub.add_parser("cleanup", parents=[common] if "cleanup" in named else [],
                             help="list or delete what azwizard created",
                             description="List what azwizard created, or delete a run or a resource group "
                                         "(a dry run unless --yes).")
    if "cleanup" in named:
        _cleanup_command(cleanup, common)
    sim = sub.add_parser("sim", help="the simulated Azure Resource Manager")
    if "sim" in named:
        _sim_command(sim)
    return p


def _journey_command(k: argparse.ArgumentParser, kind: str, common: argparse.ArgumentParser) -> None:
    """``vm`` / ``aks``: plan, apply, --from-az (and vm doctor / add-ipv6)."""
    k.add_argument("--from-az", action="store_true",
                   help=f"open the wizard pre-filled from the az {kind} create command that follows "
                        "(everything after --from-az)")
    actions = k.add_subparsers(dest="action", metavar="ACTION")
    plan = actions.add_parser("plan", parents=[common], help="print the findings and the plan (nothing is created)",
                              description="Check the profile and print the findings and the plan.")
    plan.add_argument("profile", metavar="PROFILE", help="the TOML profile")
    plan.add_argument("--format", choices=FORMATS, default="text",
                      help="text (default), json (findings and steps with request bodies), az (a bash script), "
                           "arm (an ARM template), profile (the spec as a complete profile)")
    plan.add_argument("--output", "-o", metavar="FILE",
                      help="write the output to FILE instead of stdout (-: stdout)")
    plan.add_argument("--offline", action="store_true",
                      help="do not sign in: the checks that need live facts are skipped (with a warning)")
    _existing_options(plan)
    apply = actions.add_parser("apply", parents=[common], help="check, confirm and create",
                               description="Check the profile, show what will be created, ask, and create it.")
    apply.add_argument("profile", metavar="PROFILE", help="the TOML profile")
    apply.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    _existing_options(apply)
    if kind == "vm":
        _vm_existing_actions(actions, common)
    else:
        _aks_verify_action(actions, common)


def _check_command(check: argparse.ArgumentParser) -> None:
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text (default), json, az, arm, or profile (a TOML profile for plan/apply)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the output to FILE instead of stdout (-: stdout)")
    check.add_argument("--offline", action="store_true", help="do not sign in (skip the live checks)")
    check.add_argument("--file", "-f", metavar="FILE", help="read the az commands from FILE (one per line)")
    check.add_argument("az_command", nargs="*", metavar="-- az ...", help="the az command")


def _cleanup_command(cleanup: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    cleanup_sub = cleanup.add_subparsers(dest="cleanup_command", metavar="ACTION", required=True)
    listing = cleanup_sub.add_parser("list", parents=[common], help="everything azwizard created, by run")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    delete = cleanup_sub.add_parser("delete", parents=[common], help="delete a run's resources or a whole group",
                                    description="Show what would be deleted (dry run); with --yes, delete it.")
    target = delete.add_mutually_exclusive_group(required=True)
    target.add_argument("--run", metavar="ID",
                        help="the resources one run created (azwizard cleanup list); 'latest' = the newest run")
    target.add_argument("--group", metavar="NAME", help="a whole resource group, with everything in it")
    delete.add_argument("--yes", "-y", action="store_true", help="delete (without it: a dry run)")
    delete.add_argument("--confirm-group", metavar="NAME",
                        help="with --group: the group's name typed again, to confirm deleting all of it")
    delete.add_argument("--delete-backup-data", metavar="VAULT", action="append", default=[],
                        help="stop protection and delete the backup data in this Recovery Services vault (its "
                             "name typed, to confirm), so the vault and its group can be deleted; repeatable")
    delete.add_argument("--soft-delete-off", action="store_true",
                        help="with --delete-backup-data: turn the vault's soft delete off first, so the data "
                             "goes at once (else it stays soft-deleted for its retention, 14 days by default, "
                             "and the vault waits)")


def _sim_command(sim: argparse.ArgumentParser) -> None:
    sim_sub = sim.add_subparsers(dest="sim_command", metavar="SIM_COMMAND", required=True)
    serve = sim_sub.add_parser(
        "serve",
        help="serve the simulator on loopback (HTTP, or HTTPS with --tls)",
        description="Serve the simulated ARM on a loopback address so curl or the real az CLI can talk to it.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8443, help="port (default 8443; 0 picks a free one)")
    serve.add_argument("--tls", action="store_true", help="HTTPS with a self-signed certificate for 127.0.0.1")
    serve.add_argument("--cert-dir", metavar="DIR", help="where to write the certificate (default: data dir)")
    serve.add_argument(
        "--state",
        metavar="FILE",
        help="persist the simulator's state in FILE (default: in memory only)",
    )
    serve.add_argument(
        "--latency",
        choices=("none", "demo", "real"),
        default="none",
        help="provisioning times: none (instant), demo (realistic / 20), real",
    )


def _split_tail(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """The az command after ``--`` (check) or ``--from-az`` (vm/aks), kept away from argparse: its flags
    are az's, not ours."""
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    if "--from-az" in argv:
        i = argv.index("--from-az")
        return argv[:i + 1], argv[i + 1:]
    return argv, None


def main(argv: Sequence[str] | None = None) -> int:
    words, tail = _split_tail(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(words)
    args = parser.parse_args(words)
    try:
        if args.command == "sim":
            return _sim_serve(args)
        if args.reset and not args.demo:
            parser.error("--reset only applies with --demo")
        if args.cloud and args.demo:
            parser.error("--cloud does not apply with --demo (the simulated subscription has no cloud)")
        with _currency(parser, getattr(args, "currency", None)):
            if args.command in ("vm", "aks", "check", "cleanup"):
                return _headless(parser, args, tail)
            return _run_app(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


@contextlib.contextmanager
def _currency(parser: argparse.ArgumentParser, flag: str | None) -> Iterator[None]:
    """``--currency``: the setting every price lookup reads while the command runs (TUI workers included), put
    back afterwards (``main`` may run in a process that goes on: tests, an embedding program)."""
    if not flag:
        yield
        return
    from .pricing.store import ENV_CURRENCY, currency_setting

    try:
        value = currency_setting(flag)
    except ValueError as exc:
        parser.error(f"--currency: {exc}")
    before = os.environ.get(ENV_CURRENCY)
    os.environ[ENV_CURRENCY] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_CURRENCY, None)
        else:
            os.environ[ENV_CURRENCY] = before


def _headless(parser: argparse.ArgumentParser, args: argparse.Namespace, tail: list[str] | None) -> int:
    if args.command in ("vm", "aks"):
        if args.from_az:
            args.from_az = tail or []
        elif tail is not None:
            parser.error(f"unexpected arguments after --: {' '.join(tail)}")
        else:
            args.from_az = None
            if args.action is None:
                parser.error(f"azwizard {args.command}: choose plan, apply or --from-az "
                             f"(azwizard {args.command} --help)")
    elif args.command == "check":
        args.az_command = [*args.az_command, *(tail or [])]
    elif tail is not None:
        parser.error(f"unexpected arguments after --: {' '.join(tail)}")
    from .headless.commands import run

    return run(args)


def _run_app(args: argparse.Namespace) -> int:
    # Not through headless.common: it imports the Azure session modules, which the first frame does not need
    # (the session worker imports them after it; issue 26)
    from .screens.app import run_app

    latency = latency_choice(args)  # --latency, else $AZWIZARD_DEMO_LATENCY, else demo: as the headless commands
    if args.demo and latency not in ("none", "demo", "real"):
        print(f"azwizard: {LATENCY_ENV}={latency!r}: use none, demo or real", file=sys.stderr)
        return EXIT_USAGE
    return int(run_app(demo=args.demo, reset=args.reset, subscription=args.subscription, latency=latency,
                       cloud=args.cloud))


def _sim_serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .paths import data_dir
    from .sim import DEMO, ArmSim, LatencyProfile
    from .sim.server import SimServer

    latency = {"none": None, "demo": DEMO, "real": LatencyProfile(scale=1.0)}[args.latency]
    sim = ArmSim(latency=latency, persist_path=Path(args.state) if args.state else None)
    cert_dir = Path(args.cert_dir) if args.cert_dir else data_dir() / "sim-tls"
    try:
        server = SimServer(sim, host=args.host, port=args.port, tls=args.tls, cert_dir=cert_dir)
    except (ValueError, OSError) as exc:
        print(f"azwizard sim serve: {exc}", file=sys.stderr)
        return EXIT_USAGE

    def ready(s: SimServer) -> None:
        print(f"azwizard simulator listening on {s.url}", flush=True)
        print(f"subscription {sim.subscription_id}  tenant {sim.tenant_id}", flush=True)
        if s.cert_path is not None:
            print(f"certificate {s.cert_path}  (export REQUESTS_CA_BUNDLE={s.cert_path})", flush=True)

    try:
        server.serve_forever(on_ready=ready)
    except KeyboardInterrupt:
        server.stop()
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
