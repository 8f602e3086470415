"""The az tier's fixtures (see azcli_helpers.py for how az is installed, set up and kept offline).

Without ``-m azcli`` (plain ``pytest``) these tests are skipped, so the default run stays fast; ``.ci/run``
runs them with ``-m azcli``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from azcli.azcli_helpers import (
    AZURE_CLI_VERSION,
    INSTALL_REPORT,
    Az,
    Simulator,
    azcli_venv,
    install_azure_cli,
    mark_tier,
    signed_in_az,
    start_simulator,
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_tier(config, items, Path(__file__).parent, "azcli", env_flag="AZWIZARD_AZCLI")


def pytest_configure(config: pytest.Config) -> None:
    # xdist workers install (or reuse) azure-cli; they report through this file to the controller's summary.
    if not hasattr(config, "workerinput") and "AZWIZARD_AZCLI_REPORT" not in os.environ:
        fd, path = tempfile.mkstemp(prefix="azwizard-azcli-report-", suffix=".txt")
        os.close(fd)
        os.environ["AZWIZARD_AZCLI_REPORT"] = path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    path = Path(os.environ.get("AZWIZARD_AZCLI_REPORT", "/nonexistent"))
    lines = list(INSTALL_REPORT)
    if path.exists():
        lines += [ln for ln in path.read_text().splitlines() if ln not in lines]
    for line in dict.fromkeys(lines):
        terminalreporter.write_line(line)



@pytest.fixture(scope="session")
def az_exe() -> Path:
    venv = azcli_venv()
    az, seconds, installed = install_azure_cli(venv)
    what = f"installed in {seconds:.0f} s" if installed else "reused (already installed)"
    line = f"azcli tier: azure-cli {AZURE_CLI_VERSION} at {venv}: {what}"
    INSTALL_REPORT.append(line)
    if os.environ.get("AZWIZARD_AZCLI_REPORT"):
        with open(os.environ["AZWIZARD_AZCLI_REPORT"], "a") as fh:
            fh.write(line + "\n")
    return az


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Simulator]:
    sim = start_simulator(tmp_path / "sim")
    try:
        yield sim
        assert not sim.not_understood(), sim.not_understood()
    finally:
        sim.stop()


@pytest.fixture
def az(az_exe: Path, simulator: Simulator, tmp_path: Path) -> Az:
    return signed_in_az(az_exe, simulator, tmp_path / "home")


