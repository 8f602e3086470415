"""Cleanup inventory at scale. Run by hand: python benchmarks/cleanup_scale.py [--resources 500 1000 2000] [--ui [--repeat N]]

For each size, builds in an in-process simulator a subscription of N tagged network security groups in N/10
resource groups made by N/20 azwizard runs (the runs' journals written as an apply writes them, so both of
the inventory's sources are at work), then times ``build_inventory`` through the real SDK clients (the
demo's transport, ``--latency none``). Printed: the listing time, wall and CPU (target for 2,000 resources
in 200 groups and 100 runs: <= 2 s; on a loaded machine the CPU time is the steadier figure), the number of
requests the simulator answered, by kind, and the time per resource and per group, to show how it grows.

``--ui``: the same subscription behind the TUI (headless, Textual's pilot): opens the cleanup screen and
prints the longest stall of the UI thread's event loop while the inventory loads and the table fills, and
for a second after (target: <= 100 ms; set AZWIZARD_BENCH_TRACE=1 to list each stall over 100 ms), the
longest stretch the UI thread itself was busy (its CPU time: what the stall would be on an idle machine,
without the OS's scheduling delays), and the time until the table shows every resource. The baseline, in the same run: the
same two figures on the idle home screen for a few seconds just before, once the session's warm-up worker has
ended (what the machine's load alone does to the loop); each size is measured --repeat times (default 3) and
the medians printed. AZWIZARD_BENCH_BUSY=0.05 also lists each stretch the UI thread was busy over 50 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

API_GROUP = "2024-11-01"
API_NETWORK = "2025-07-01"
PER_GROUP = 10
IDLE_SECONDS = 3.0  # --ui: how long the idle baseline is watched
GROUPS_PER_RUN = 2
SETTLE_SECONDS = 1.0  # --ui: how long the loop is still watched once the table is full


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
        t0, c0 = time.monotonic(), time.process_time()
        inv = build_inventory(factory, journal_dir=journal_dir)
        wall, cpu = time.monotonic() - t0, time.process_time() - c0
        requests = list(sim.requests)  # type: ignore[attr-defined]
    kinds = Counter(f"{r.method} {_kind(r.path)}" for r in requests)
    listed = sum(1 for it in inv.items if it.exists)
    assert listed == n + n // PER_GROUP, (listed, n)
    return {"wall": wall, "cpu": cpu, "requests": len(requests), "items": listed, "kinds": kinds}  # type: ignore[dict-item]


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


async def ui_stall(n: int) -> dict[str, float]:
    """The longest event-loop stall (``stall``), the longest the UI thread itself was busy between two turns of
    its loop (``busy``), seconds until the cleanup table lists everything (``filled``) in the headless TUI, and
    the first two on the idle home screen just before (``idle_stall``, ``idle_busy``: the baseline). The stall
    is what a user feels on a quiet machine; on a loaded one it also counts the time the OS did not run the UI
    thread, which ``busy`` leaves out, and which the idle baseline shows."""
    import asyncio
    import os

    from azwizard.screens.app import AzWizardApp
    from azwizard.screens.cleanup import CleanupScreen
    from textual.widgets import DataTable

    from azwizard.azure.credentials import StaticTokenCredential
    from azwizard.azure.session import AzureSession, open_session
    from azwizard.paths import journal_dir
    from azwizard.sim import SIM_BASE_URL
    from azwizard.sim.transport import SimTransport

    os.environ["AZWIZARD_DATA_DIR"] = tempfile.mkdtemp()
    sim = build(n, journal_dir())

    def connect() -> AzureSession:
        return open_session(None, credential=StaticTokenCredential(), base_url=SIM_BASE_URL,
                            transport=SimTransport(sim), simulated=True)  # type: ignore[arg-type]

    app = AzWizardApp(connect, demo=True)
    async with app.run_test(size=(130, 45)) as pilot:
        while app.session is None or any(w.name == "warm-up" and not w.is_finished for w in app.workers):
            await pilot.pause(0.05)  # the session's warm-up (imports, a collection, gc.freeze) is not the idle
        loop = asyncio.get_running_loop()
        start = loop.time()

        async def watch(lags: list[float], busy: list[float], stop: asyncio.Event) -> None:
            """The event loop's lag and the UI thread's CPU time (``busy``) between two turns of its loop."""
            last, last_cpu = loop.time(), time.thread_time()
            busy_over = float(os.environ.get("AZWIZARD_BENCH_BUSY", "1"))
            while not stop.is_set():
                await asyncio.sleep(0.005)
                now, cpu = loop.time(), time.thread_time()
                lags.append(now - last - 0.005)
                busy.append(cpu - last_cpu)
                if os.environ.get("AZWIZARD_BENCH_TRACE") and (now - last > 0.1 or cpu - last_cpu > busy_over):
                    print(f"  stall {now - last:.3f} s (UI thread busy {cpu - last_cpu:.3f} s) ending at "
                          f"+{now - start:.2f} s", flush=True)
                last, last_cpu = now, cpu

        # The baseline: the same watch on the idle home screen for IDLE_SECONDS, in this run (what the machine's
        # load alone does to the loop).
        idle_lags: list[float] = []
        idle_busy: list[float] = []
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(idle_lags, idle_busy, stop))
        await asyncio.sleep(IDLE_SECONDS)
        stop.set()
        await watcher

        lags: list[float] = []
        busy: list[float] = []
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(lags, busy, stop))
        t0 = time.monotonic()
        await pilot.press("c")
        while True:
            screen = app.screen
            if isinstance(screen, CleanupScreen) and screen.query(DataTable) and \
                    screen.query_one(DataTable).row_count >= n:
                break
            await asyncio.sleep(0.01)
        filled = time.monotonic() - t0
        await asyncio.sleep(SETTLE_SECONDS)  # what follows the fill is part of the load (the spend, a freeze)
        stop.set()
        await watcher
    return {"stall": max(lags), "busy": max(busy), "filled": filled, "idle_stall": max(idle_lags),
            "idle_busy": max(idle_busy)}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--resources", type=int, nargs="+", default=[500, 1000, 2000])
    ap.add_argument("--ui", action="store_true", help="measure the TUI's cleanup screen instead")
    ap.add_argument("--repeat", type=int, default=3, help="with --ui: runs per size (the median is printed)")
    args = ap.parse_args()
    if args.ui:
        import asyncio

        for n in args.resources:
            got = [asyncio.run(ui_stall(n)) for _ in range(args.repeat)]
            for g in got:
                print(f"{n:5d} resources  cleanup screen filled in {g['filled']:6.2f} s  longest UI stall "
                      f"{g['stall'] * 1000:6.1f} ms (UI thread busy at most {g['busy'] * 1000:5.1f} ms at a time); "
                      f"idle baseline: stall {g['idle_stall'] * 1000:6.1f} ms, busy {g['idle_busy'] * 1000:5.1f} ms")
            med = {k: statistics.median(g[k] for g in got) for k in got[0]}
            print(f"{n:5d} resources, median of {args.repeat}: longest UI stall {med['stall'] * 1000:.1f} ms "
                  f"(target <= 100 ms; idle baseline {med['idle_stall'] * 1000:.1f} ms, ratio "
                  f"{med['stall'] / max(med['idle_stall'], 1e-3):.2f}x), UI thread busy at most "
                  f"{med['busy'] * 1000:.1f} ms at a time (idle {med['idle_busy'] * 1000:.1f} ms), filled in "
                  f"{med['filled']:.2f} s")
        return
    for n in args.resources:
        r = measure(n)
        groups = n // PER_GROUP
        print(f"{n:5d} resources  {groups:4d} groups  {groups // GROUPS_PER_RUN:3d} runs  listed in "
              f"{r['wall']:6.2f} s (CPU {r['cpu']:5.2f} s)  {int(r['requests']):5d} requests  "
              f"{r['wall'] / n * 1000:6.2f} ms/resource  {r['wall'] / groups * 1000:6.1f} ms/group")
        kinds: Counter[str] = r["kinds"]  # type: ignore[assignment]
        print("      " + ", ".join(f"{k}: {v}" for k, v in kinds.most_common()))


if __name__ == "__main__":
    main()
