"""The ``azwizard`` command. Parsing is kept free of Textual and the Azure SDK so ``--help`` and
``--version`` answer at once; each command imports what it needs when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_AZURE = 3
EXIT_INTERRUPTED = 130

DESCRIPTION = """\
Create Azure VMs (dual-stack IPv4/IPv6) and AKS clusters the right way the first time, and clean
them up. Every choice is checked against live facts (SKUs, zones, quotas, Kubernetes versions)
before anything is created; the review shows the exact resources and the equivalent az commands.

Without a command, opens the terminal wizard. --demo uses a simulated Azure subscription (no
account needed); otherwise azwizard signs in like the Azure CLI does (az login, service-principal
environment variables, managed identity)."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="azwizard",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"azwizard {__version__}")
    p.add_argument("--demo", action="store_true", help="use a simulated Azure subscription (no account needed)")
    p.add_argument("--reset", action="store_true", help="with --demo: start from an empty simulated subscription")
    p.add_argument(
        "--subscription",
        metavar="ID",
        help="subscription to use (default: $AZURE_SUBSCRIPTION_ID, then the az CLI's default)",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    sim = sub.add_parser("sim", help="the simulated Azure Resource Manager")
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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "sim":
            return _sim_serve(args)
        if args.reset and not args.demo:
            parser.error("--reset only applies with --demo")
        return _run_app(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run_app(args: argparse.Namespace) -> int:
    from .screens.app import run_app

    return int(run_app(demo=args.demo, reset=args.reset, subscription=args.subscription))


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
