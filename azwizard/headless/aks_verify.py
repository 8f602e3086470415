"""``azwizard aks verify --resource-group RG --name NAME [--format json]``: check a running cluster like the notes'
"Check stuff" (``azwizard/aks_verify.py``). Exit 0 when every check passes, 1 when one fails (the first failing
check is the reason), 2 when there is no such cluster, 3 when Azure fails."""

from __future__ import annotations

import argparse
import json
import sys

from ..exitcodes import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from .common import CommandError, Connection, connect, out


def verify_command(args: argparse.Namespace, conn: Connection | None = None) -> int:
    from ..aks_verify import ClusterNotFound, caller_ip, verify_cluster

    conn = conn or connect(args)
    assert conn.session is not None
    as_json = args.format == "json"
    if not as_json:
        out(f"azwizard aks verify: {args.name} in {args.resource_group}")
        out(f"  subscription: {conn.label()}")

    def shown(check: object) -> None:
        from ..aks_verify import Check

        assert isinstance(check, Check)
        out(f"  {'✓' if check.ok else '✖'} {check.summary}")

    try:
        result = verify_cluster(conn.session.factory, args.resource_group, args.name,
                                caller_ip=caller_ip(bool(args.demo)), on_check=None if as_json else shown)
    except ClusterNotFound as e:
        raise CommandError(f"{e} ({conn.label()})", EXIT_USAGE,
                           "Check the names (az aks list -o table), or the subscription (--subscription).") from e
    finally:
        if conn.sim is not None:  # demo: the clusters' loopback API server lives as long as the command
            from ..sim.kube_api import server_for

            server = server_for(conn.sim)
            if server is not None:
                server.stop()
    if as_json:
        sys.stdout.write(json.dumps({**result.to_dict(), "resourceGroup": args.resource_group, "name": args.name},
                                    indent=2, ensure_ascii=False) + "\n")
    else:
        out("")
        out("✓ Healthy." if result.healthy else f"✖ Not healthy: {result.reason}")
    return EXIT_OK if result.healthy else EXIT_FINDINGS


__all__ = ["verify_command"]
