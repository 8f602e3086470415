"""Peak memory (RSS) of the TUI through a whole VM journey and its create. Run by hand:
python benchmarks/memory.py [--runs N]

Each run is a fresh interpreter that starts ``azwizard --demo``'s app (headless, 130x44, the simulator
in-process as in demo mode, instant provisioning), walks the VM journey with the keyboard (basics, network,
public IPs, NAT, NSG, VM with a generated SSH key, backup, cloud-init, review), presses c to create and waits
for the done screen. Printed: the median over the runs of the peak RSS at the home screen and at the end
(``ru_maxrss``), against the target of 150 MB. Children run with the bytecode cache on (as in startup.py)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import asyncio, json, resource, sys, tempfile
from pathlib import Path

from azwizard.screens.app import AzWizardApp
from azwizard.screens.review import ReviewStep
from azwizard.screens.vm.done import VmDoneScreen
from azwizard.screens.vm.steps import BasicsStep, VmDetailsStep

from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

async def main():
    data = Path(tempfile.mkdtemp())
    app = AzWizardApp(lambda: open_demo_session(state_file=data / "state.json", latency=INSTANT).session, demo=True)
    out = {}

    async def settle(pilot):
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

    async with app.run_test(size=(130, 44)) as pilot:
        await settle(pilot)
        out["home"] = peak_mb()
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, BasicsStep), type(app.screen)
        for _ in range(5):
            await pilot.press("ctrl+n")
            await settle(pilot)
        assert isinstance(app.screen, VmDetailsStep), type(app.screen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        for _ in range(3):
            await pilot.press("ctrl+n")
            await settle(pilot)
        assert isinstance(app.screen, ReviewStep), type(app.screen)
        out["review"] = peak_mb()
        await pilot.press("c")
        for _ in range(200):
            await settle(pilot)
            if isinstance(app.screen, VmDoneScreen):
                break
        assert isinstance(app.screen, VmDoneScreen), type(app.screen)
        out["done"] = peak_mb()
    print(json.dumps(out))

asyncio.run(main())
"""


def one_run() -> dict[str, float]:
    env = dict(os.environ, AZWIZARD_DATA_DIR=tempfile.mkdtemp(prefix="azwizard-bench-"),
               PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), "azwizard-bench-pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(CHILD)
    try:
        res = subprocess.run([sys.executable, fh.name], capture_output=True, text=True, env=env, timeout=600)
    finally:
        os.unlink(fh.name)
    if res.returncode != 0:
        raise SystemExit(f"the journey failed:\n{res.stderr[-3000:]}")
    return dict(json.loads(res.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    n = ap.parse_args().runs
    one_run()  # warm the bytecode cache (compiling the SDK's generated modules takes far more memory)
    runs = [one_run() for _ in range(n)]
    print(f"TUI peak RSS through the VM journey and create (median of {n} runs):")
    for key, label in (("home", "home screen"), ("review", "at the review"), ("done", "after create (done)")):
        print(f"  {label:22}: {statistics.median(r[key] for r in runs):6.1f} MB")
    print("  target: <= 150 MB at the end")


if __name__ == "__main__":
    main()
