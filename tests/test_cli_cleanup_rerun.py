"""``cleanup delete`` run again after everything is gone (issue 22): an idempotent success, exit code 0 with
"nothing left to delete", not exit code 2 (the usage-error code) as if the command were wrong."""

from __future__ import annotations

import json
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, demo_state, main_in_process

data_dir = cli_helpers.data_dir


def test_a_rerun_after_everything_is_gone_exits_0(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_in_process(["--demo", "vm", "apply", str(EXAMPLES / "yolo-vm.toml"), "--yes"], capsys).code == 0
    run_id = json.loads(main_in_process(["--demo", "cleanup", "list", "--format", "json"], capsys).out)["runs"][-1]
    first = main_in_process(["--demo", "cleanup", "delete", "--run", "latest", "--yes"], capsys)
    assert first.code == 0 and "✓ Deleted" in first.out, first.out + first.err
    after = demo_state(data_dir)
    for argv in (["--run", "latest", "--yes"], ["--run", "latest"], ["--run", run_id, "--yes"]):
        again = main_in_process(["--demo", "cleanup", "delete", *argv], capsys)
        assert again.code == 0, (argv, again.code, again.err)
        assert "nothing left to delete" in again.out.lower() and not again.err, (argv, again.out, again.err)
    assert demo_state(data_dir) == after  # nothing more was sent
