"""Cleanup inventory at scale. Run by hand: python benchmarks/cleanup_scale.py [--resources 500 1000 2000]

For each size, builds in an in-process simulator a subscription of N tagged network security groups in N/10
resource groups made by N/20 azwizard runs (the runs' journals written as an apply writes them, so both of
the inventory's sources are at work), then times ``build_inventory`` through the real SDK clients (the
demo's transport, ``--latency none``). Printed: the listing time (target for 2,000 resources in 200 groups
and 100 runs: <= 2 s), the number of requests the simulator answered, by kind, and the time per resource
and per group, to show how it grows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

API_GROUP = "2024-11-01"
API_NETWORK = "2025-07-01"
PER_GROUP = 10
GROUPS_PER_RUN = 2


def build(n: int, journal_dir: Path) -> object:
    """The simulator holding ``n`` NSGs (``n / 10`` groups, ``n / 20`` runs), and one journal per run."""
    from azwizard.journal import Journal
    from azwizard.sim import ArmSim
    from azwizard.sim.wire import ArmRequest

    sim = ArmSim()
    headers = {"authorization": "Bearer azwizard-sim-token", "content-type": "application/json"}

    def put(path: str, api: str, body: dict[str, object]) -> None:
        resp = sim.handle(ArmRequest("PUT", f"https://management.azure.com{path}?api-version={api}", dict(headers),
                                     json.dumps(body).encode()))
        assert resp.status in (200, 201), resp.body

    for g in range(n // PER_GROUP):
        run = f"bench-run-{g // GROUPS_PER_RUN:03d}"
        tags = {"created-by": "azwizard", "azwizard-run": run, "azwizard-journey": "vm",
                "azwizard-created": "2026-12-01T00:00:00Z"}
        journal = Journal(run, "vm", directory=journal_dir)
        gid = f"/subscriptions/{sim.subscription_id}/resourceGroups/bench-rg-{g:03d}"
        put(gid, API_GROUP, {"location": "norwayeast", "tags": tags})
        journal.record("created", id=gid, kind="Microsoft.Resources/resourceGroups", step=f"rg-{g}")
        for i in range(PER_GROUP):
            nid = f"{gid}/providers/Microsoft.Network/networkSecurityGroups/nsg-{i}"
            put(nid, API_NETWORK, {"location": "norwayeast", "tags": tags, "properties": {}})
            journal.record("created", id=nid, kind="Microsoft.Network/networkSecurityGroups", step=f"nsg-{g}-{i}")
    sim.advance(3600)  # every PUT's operation done
    return sim


def measure(n: int) -> dict[str, float]:
    from conftest import FakeCredential

    from azwizard.azure.session import ClientFactory
    from azwizard.cleanup import build_inventory
    from azwizard.sim import SIM_BASE_URL
    from azwizard.sim.transport import SimTransport

    with tempfile.TemporaryDirectory() as tmp:
        journal_dir = Path(tmp)
        sim = build(n, journal_dir)
        factory = ClientFactory(FakeCredential(), sim.subscription_id, base_url=SIM_BASE_URL,  # type: ignore[attr-defined]
                                transport=SimTransport(sim), polling_interval=0)
        sim.requests.clear()  # type: ignore[attr-defined]
        t0 = time.monotonic()
        inv = build_inventory(factory, journal_dir=journal_dir)
        wall = time.monotonic() - t0
        requests = list(sim.requests)  # type: ignore[attr-defined]
    kinds = Counter(f"{r.method} {_kind(r.path)}" for r in requests)
    listed = sum(1 for it in inv.items if it.exists)
    assert listed == n + n // PER_GROUP, (listed, n)
    return {"wall": wall, "requests": len(requests), "items": listed, "kinds": kinds}  # type: ignore[dict-item]


def _kind(path: str) -> str:
    p = path.lower()
    if "/providers/microsoft.resourcegraph/" in p:
        return "resource graph query"
    if p.endswith("/resources"):
        return "resources list (group)" if "/resourcegroups/" in p else "resources list (subscription)"
    if p.endswith("/resourcegroups"):
        return "resource groups list"
    if "/providers/microsoft.authorization/locks" in p:
        return "locks list"
    return "resource read" if "/providers/" in p or "/resourcegroups/" in p else p


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--resources", type=int, nargs="+", default=[500, 1000, 2000])
    args = ap.parse_args()
    for n in args.resources:
        r = measure(n)
        groups = n // PER_GROUP
        print(f"{n:5d} resources  {groups:4d} groups  {groups // GROUPS_PER_RUN:3d} runs  listed in "
              f"{r['wall']:6.2f} s  {int(r['requests']):5d} requests  {r['wall'] / n * 1000:6.2f} ms/resource  "
              f"{r['wall'] / groups * 1000:6.1f} ms/group")
        kinds: Counter[str] = r["kinds"]  # type: ignore[assignment]
        print("      " + ", ".join(f"{k}: {v}" for k, v in kinds.most_common()))


if __name__ == "__main__":
    main()
