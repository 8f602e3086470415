"""Pricing a region's ~800 VM sizes against the simulator. Run by hand: python benchmarks/prices.py [--runs 3]

Cold: an empty price cache and a fresh simulator price list (the region's size catalog is the simulator's
facts, read before the picker opens, so it is built once outside the timing): ``price_book`` reads the Retail Prices endpoint (every page) through the azure-core
pipeline and the in-process transport, builds the book and writes the cache; then every size offered in the
region is priced per month (the size picker's column). Warm: the same with the cache written (no request).
Targets: cold <= 3 s, warm <= 1 s. Printed: the median and worst of --runs runs, the sizes priced, the
requests sent.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def price_region(region: str, sim: object) -> tuple[int, int]:
    from azwizard.cleanup.costs import HOURS_PER_MONTH, vm_hourly
    from azwizard.pricing import price_book
    from azwizard.sim.catalog import skus
    from azwizard.sim.transport import SimTransport

    book = price_book(region, transport=SimTransport(sim))  # type: ignore[arg-type]
    names = [str(r["name"]) for r in skus.vm_skus(region)]
    priced = [h * HOURS_PER_MONTH for h in (vm_hourly(n, book) for n in names) if h is not None]
    return len(names), len(priced)


def one(region: str, warm: bool) -> tuple[float, int, int, int]:
    from azwizard.sim import ArmSim
    from azwizard.sim.providers import retailprices

    sim = ArmSim()
    if not warm:  # the simulator builds the region's price list again (the server's side of a cold read)
        retailprices.region_items.cache_clear()
    start = time.perf_counter()
    sizes, priced = price_region(region, sim)
    elapsed = time.perf_counter() - start
    requests = sum(1 for r in sim.requests if r.path == retailprices.PATH)
    return elapsed, sizes, priced, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="eastus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import azwizard.pricing.fetch  # noqa: F401 - the app has these loaded when it prices a region
    import azwizard.sim.providers  # noqa: F401
    from azwizard.sim.catalog import skus

    skus.vm_skus(args.region)  # the simulator's size catalog (the picker's facts): built once, not timed
    for label, warm, target in (("cold", False, 3.0), ("warm", True, 1.0)):
        times = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as data:
                os.environ["AZWIZARD_DATA_DIR"] = data
                if warm:
                    one(args.region, warm=False)  # fills the cache
                elapsed, sizes, priced, requests = one(args.region, warm)
                times.append(elapsed)
        verdict = "ok" if max(times) <= target else "OVER TARGET"
        print(f"{label}: {args.region} {sizes} sizes, {priced} priced, {requests} request(s): "
              f"median {statistics.median(times):.3f} s, worst {max(times):.3f} s (target <= {target:g} s) {verdict}")


if __name__ == "__main__":
    main()
