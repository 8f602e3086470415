"""One apply per journey at a time, and cleanup's ``--run latest`` (issue 18), with real ``python -m azwizard``
processes on one data dir (the demo subscription's state and the journals are shared through it)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cli_helpers import EXAMPLES, ROOT, cli_env, demo_state, run_cli

from azwizard.exitcodes import EXIT_BUSY, EXIT_OK
from azwizard.specs.common import TAG_CREATED_BY, TAG_JOURNEY, TAG_RUN


def start(args: list[str], data_dir: Path, until: str) -> tuple[subprocess.Popen[str], list[str]]:
    """``python -m azwizard ARGS`` with demo latency, returned once it printed a line containing ``until``."""
    proc = subprocess.Popen([sys.executable, "-m", "azwizard", *args], cwd=ROOT,
                            env=cli_env(data_dir, AZWIZARD_DEMO_LATENCY="demo"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 90
    for line in proc.stdout:
        seen.append(line)
        if until in line or time.monotonic() > deadline:
            break
    assert any(until in line for line in seen), "".join(seen)
    return proc, seen


def finish(proc: subprocess.Popen[str], seen: list[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, "".join(seen) + out, err


def run_tags(state: dict[str, Any]) -> dict[str, str]:
    return {k: (v.get("tags") or {}).get(TAG_RUN) for k, v in state.items() if isinstance(v, dict) and v.get("tags")}


def test_two_applies_of_one_profile_at_once_one_runs_the_other_sends_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    profile = str(EXAMPLES / "yolo-vm.toml")
    first, seen = start(["--demo", "vm", "apply", profile, "--yes"], data, "creating…")
    second = run_cli("--demo", "vm", "apply", profile, "--yes", data_dir=data)
    code, out, err = finish(first, seen)
    assert code == EXIT_OK, err
    assert second.code == EXIT_BUSY, (second.out, second.err)
    assert "Another azwizard is applying Yolo-VM right now" in second.err and "nothing was sent" in second.err
    journals = list((data / "journal").glob("*.jsonl"))
    assert len(journals) == 1  # the second one wrote no run
    run = journals[0].stem
    assert f"run {run}" in out
    owners = {v for k, v in run_tags(demo_state(data)).items() if "/resourcegroups/yolo-rg" in k}
    assert owners == {run}  # one run owns everything
    # once the first one is done, the same command has nothing to do
    again = run_cli("--demo", "vm", "apply", profile, "--yes", data_dir=data)
    assert again.code == EXIT_OK and "Nothing to change" in again.out


def test_cleanup_latest_skips_a_tags_only_run_and_a_run_in_progress(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("--demo", "vm", "apply", str(EXAMPLES / "yolo-vm.toml"), "--yes", data_dir=data).code == EXIT_OK
    [vm_run] = [p.stem for p in (data / "journal").glob("*.jsonl")]
    # resources someone PUT with azwizard's tags and a run id from 2099: seen only in tags
    script = (
        "from azwizard.demo import open_demo_session\n"
        "from azwizard.sim import LatencyProfile\n"
        "d = open_demo_session(latency=LatencyProfile())\n"
        "f = d.session.factory\n"
        f"tags = {{'{TAG_CREATED_BY}': 'azwizard', '{TAG_RUN}': '20991231-000000-ffff', '{TAG_JOURNEY}': 'vm'}}\n"
        "f.resources().resource_groups.create_or_update('Copied-RG', {'location': 'norwayeast', 'tags': tags})\n"
        "f.network().network_security_groups.begin_create_or_update('Copied-RG', 'Copied-NSG', "
        "{'location': 'norwayeast', 'tags': tags}).result()\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=cli_env(data), check=True, timeout=120)
    aks, seen = start(["--demo", "aks", "apply", str(EXAMPLES / "aks-dev.toml"), "--yes"], data,
                      "creating…         AKS cluster")
    try:
        aks_run = next(p.stem for p in (data / "journal").glob("*.jsonl") if p.stem != vm_run)
        busy = run_cli("--demo", "cleanup", "delete", "--run", aks_run, "--yes", data_dir=data)
        assert busy.code == EXIT_BUSY and "still being applied" in busy.err
        latest = run_cli("--demo", "cleanup", "delete", "--run", "latest", "--yes", data_dir=data)
    finally:
        code, _, err = finish(aks, seen)
    assert code == EXIT_OK, err
    assert latest.code == EXIT_OK, (latest.out, latest.err)
    assert "delete what the run of Yolo-VM (VM in Yolo-RG" in latest.out and f"run {vm_run})" in latest.out
    state = demo_state(data)
    keys = set(state)
    assert any(k.endswith("/resourcegroups/copied-rg/providers/microsoft.network/networksecuritygroups/copied-nsg")
               for k in keys)
    assert any("/resourcegroups/aks-dev-rg/providers/microsoft.containerservice/managedclusters/aks-dev" in k
               for k in keys)
    assert not any("/resourcegroups/yolo-rg" in k for k in keys)
    listed = json.loads(run_cli("--demo", "cleanup", "list", "--format", "json", data_dir=data).out)
    copied = next(it for it in listed["items"] if it["name"] == "Copied-NSG")
    assert copied["foreign"] and "another machine's azwizard run" in copied["note"]
