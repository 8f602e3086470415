"""Headless command figures: wall time, CPU time and peak RSS of ``azwizard --demo check -- <the notes' az aks
create line>`` and ``azwizard --demo vm plan docs/examples/yolo-vm.toml`` (target: <= 1.0 s wall each), next
to ``python -c pass`` in the same interpreter (the floor). Run by hand: python benchmarks/headless.py [--runs N]

Each figure is the median of N fresh runs (instant simulated provisioning, a fresh data directory each), with
the bytecode cache on as in startup.py. CPU time (user + system) is printed beside the wall time because a
busy machine inflates the wall time but hardly the CPU time."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTES_AKS = [  # /work/shared/seed/azure-notes.md, 'Create AKS cluster'
    "az", "aks", "create", "--resource-group=test_rg", "--name=test_aks", "--tier=standard",
    "--load-balancer-sku=standard", "--vm-set-type=VirtualMachineScaleSets", "-s", "Standard_B2als_v2",
    "--node-count=3", "--kubernetes-version=1.29", "--network-plugin=azure",
    "--network-plugin-mode=overlay", "--network-dataplane=cilium", "--ip-families=ipv4,ipv6",
    "--pod-cidrs=172.16.0.0/16,fdfb:4d1e:98bf::/48", "--service-cidrs=10.0.0.0/16,fd92:d839:1c02::/108",
    "--os-sku=AzureLinux", "--generate-ssh-keys", "--api-server-authorized-ip-ranges=a.b.c.d/e"
]
COMMANDS = {
    "python -c pass (the floor)": ["-c", "pass"],
    "azwizard --demo check -- <notes' az aks create>": ["-m", "azwizard", "--demo", "check", "--", *NOTES_AKS],
    "azwizard --demo vm plan yolo-vm.toml": ["-m", "azwizard", "--demo", "vm", "plan",
                                             str(REPO / "docs/examples/yolo-vm.toml")],
}


def one(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one run (os.wait4: the child's own rusage; ru_maxrss is KiB on Linux)."""
    env = dict(os.environ, AZWIZARD_DATA_DIR=tempfile.mkdtemp(prefix="azwizard-bench-"), AZWIZARD_DEMO_LATENCY="none",
               PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), "azwizard-bench-pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: the notes' line has blocking findings, as it should
        raise SystemExit(f"{argv} failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    n = ap.parse_args().runs
    for argv in COMMANDS.values():
        one(argv)  # warm the bytecode cache
    print(f"headless commands, median of {n} runs (target <= 1.0 s wall):")
    figures: dict[str, list[tuple[float, float, float]]] = {k: [] for k in COMMANDS}
    for _ in range(n):  # interleaved, so a busy moment weighs on all alike
        for label, argv in COMMANDS.items():
            figures[label].append(one(argv))
    for label, runs in figures.items():
        wall, cpu, rss = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"  {label:48}: {wall * 1000:6.0f} ms wall, {cpu * 1000:5.0f} ms CPU, {rss:5.1f} MB peak RSS")


if __name__ == "__main__":
    main()
