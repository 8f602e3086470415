#!/usr/bin/env python3
"""The conformance tier: replay real azure-cli recordings against the simulator and fail below the
fidelity reached so far.

The recordings are reference data and are not part of this repository: they live next to it, in
``../shared/replay/cassettes`` (relative to the repository root). Without them the tier says so and passes.

    python tests/conformance/run.py                    # the whole corpus; exit 1 below the thresholds
    python tests/conformance/run.py -k aks -v          # extra arguments go to replay.py

Thresholds (fractions of compared interactions, over the whole corpus) are set a little under the
figures measured when they were last raised; raise them as the simulator gets closer to Azure, never lower
them to make a change pass. ``strict``: status, error code, provisioning state, poll status, key sets and
LRO headers all agree. ``lenient``: the same without key sets, bodies and LRO headers.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# ../shared/replay next to the repository; AZWIZARD_CONFORMANCE_CORPUS points elsewhere (a worktree).
CORPUS = Path(os.environ.get("AZWIZARD_CONFORMANCE_CORPUS") or ROOT.parent / "shared" / "replay")

THRESHOLDS = {"strict": 0.95, "lenient": 0.96}  # measured 95.4 % / 96.9 % (2026-12-07: responses as the api-version asked)
# The same over the resource types the product uses (every area but "other": load balancers, ASGs, prefixes).
# Issue 14 asks for >= 95 % lenient and >= 80 % strict there; measured 96.7 % / 98.3 % (2026-12-07).
PRODUCT_THRESHOLDS = {"strict": 0.96, "lenient": 0.97}
OUTSIDE_PRODUCT = ("other",)


def _azwizard() -> str:
    exe = Path(sys.executable).with_name("azwizard")
    return os.environ.get("AZWIZARD") or (str(exe) if exe.exists() else (shutil.which("azwizard") or "azwizard"))


def main(argv: list[str]) -> int:
    cassettes = sorted((CORPUS / "cassettes").glob("*.yaml"))
    if not cassettes:
        print(f"conformance tier skipped: ../shared/replay not present ({CORPUS} has no cassettes)")
        return 0
    sys.path.insert(0, str(HERE))
    import replay

    with tempfile.TemporaryDirectory(prefix="azwizard-conformance-") as tmp:
        out = Path(tmp) / "replay.json"
        extra = [a for a in argv if a not in ("-v", "--verbose")]
        if "--json" in extra:  # the caller keeps the detail: read the summary from there
            out = Path(extra[extra.index("--json") + 1])
        args = ["--azwizard", _azwizard(), "--json", str(out), *extra, *map(str, cassettes)]
        if "-v" in argv or "--verbose" in argv:
            args.insert(0, "-v")
        rc = replay.main(args)
        if rc != 0:
            print(f"conformance tier: the replay itself failed (exit {rc})", file=sys.stderr)
            return rc
        summary = json.loads(out.read_text())["summary"]
    compared = summary["compared"] or 1
    got = {"strict": summary["agree"] / compared, "lenient": summary["lenient"] / compared}
    print("\n== conformance tier: per area (strict / lenient) ==")
    for area, row in summary["areas"].items():
        n = row["compared"] or 1
        print(f"  {area:14s} {row['agree']:4d}/{row['compared']:<4d} {100 * row['agree'] / n:5.1f}%   "
              f"{row['lenient']:4d}/{row['compared']:<4d} {100 * row['lenient'] / n:5.1f}%")
    product = [row for area, row in summary["areas"].items() if area not in OUTSIDE_PRODUCT]
    n_product = sum(row["compared"] for row in product) or 1
    got_product = {k: sum(row[key] for row in product) / n_product for k, key in (("strict", "agree"),
                                                                                  ("lenient", "lenient"))}
    failed = [k for k, floor in THRESHOLDS.items() if got[k] < floor]
    failed += [f"product {k}" for k, floor in PRODUCT_THRESHOLDS.items() if got_product[k] < floor]
    for k in THRESHOLDS:
        print(f"conformance tier: {k} {100 * got[k]:.1f}% (threshold {100 * THRESHOLDS[k]:.1f}%)")
    for k in PRODUCT_THRESHOLDS:
        print(f"conformance tier: product resource types {k} {100 * got_product[k]:.1f}% "
              f"(threshold {100 * PRODUCT_THRESHOLDS[k]:.1f}%)")
    if failed:
        print(f"conformance tier FAILED: {', '.join(failed)} below the threshold", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
