"""Running ``azwizard`` in tests: in-process (``cli.main``) or as ``python -m azwizard`` subprocesses, always with
a fresh data dir (never the real one) and instant simulated operations."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")}
    # The facts cache (regions, SKUs) is shared by the tests: the simulated subscription's never change.
    cache = os.environ.get("AZWIZARD_CACHE_DIR") or str(data_dir / "cache")
    env.update({"AZWIZARD_DATA_DIR": str(data_dir), "AZWIZARD_CACHE_DIR": cache,
                "AZWIZARD_DEMO_LATENCY": "none", "AZURE_CORE_COLLECT_TELEMETRY": "no", "COLUMNS": "120", **extra})
    return env


def run_cli(*args: str, data_dir: Path, stdin: str | None = None, cwd: Path = ROOT, timeout: float = 120,
            **env: str) -> Result:
    """``python -m azwizard ARGS`` as a user runs it (stdin closed unless given)."""
    proc = subprocess.run([sys.executable, "-m", "azwizard", *args], cwd=cwd, env=cli_env(data_dir, **env),
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def interrupted(args: list[str], data_dir: Path, creating: str, sig: int, **env: str) -> Result:
    """``python -m azwizard ARGS`` (demo latency), sent ``sig`` once it prints that it is creating ``creating``."""
    import time

    proc = subprocess.Popen([sys.executable, "-m", "azwizard", *args], cwd=ROOT,
                            env=cli_env(data_dir, **{"AZWIZARD_DEMO_LATENCY": "demo", **env}),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "creating…" in line and creating in line or time.monotonic() > deadline:
            break
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return Result(proc.returncode, "".join(seen) + out, err)


def main_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> Result:
    from azwizard.cli import main

    code = main(args)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh azwizard data dir for in-process runs too (the demo subscription's state lives there)."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(d))
    monkeypatch.setenv("AZWIZARD_DEMO_LATENCY", "none")
    return d


def demo_state(data_dir: Path) -> dict[str, Any]:
    """The simulated subscription's resources as the next ``--demo`` run would see them."""
    from azwizard.sim import ArmSim

    sim = ArmSim(persist_path=data_dir / "demo" / "simulator-state.json")
    return sim.snapshot()
