"""The real-mode tier's fixtures (see realmode_helpers.py). The tests carry the ``realmode`` marker (and
``azcli``: they run the real az, so the default ``-m "not azcli"`` run leaves them out); without ``-m realmode``
they are skipped. ``.ci/run`` runs them after tests/azcli, reusing its azure-cli venv."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from azcli.azcli_helpers import (
    AZURE_CLI_VERSION,
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
    # azcli too: these run the real az, so the default `-m "not azcli"` run leaves them out
    mark_tier(config, items, Path(__file__).parent, "realmode", "azcli", env_flag="AZWIZARD_REALMODE")


@pytest.fixture(scope="session")
def az_exe() -> Path:
    venv = azcli_venv()
    az, seconds, installed = install_azure_cli(venv)
    print(f"realmode tier: azure-cli {AZURE_CLI_VERSION} at {venv}: "
          f"{f'installed in {seconds:.0f} s' if installed else 'reused'}")
    return az


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Simulator]:
    sim = start_simulator(tmp_path / "sim")
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture(scope="module")
def shared_az(az_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Az]:
    """One signed-in az and simulator for the tests of a module that change nothing in either."""
    workdir = tmp_path_factory.mktemp("shared-az")
    sim = start_simulator(workdir / "sim")
    try:
        yield signed_in_az(az_exe, sim, workdir / "home")
    finally:
        sim.stop()


@pytest.fixture
def az(az_exe: Path, simulator: Simulator, tmp_path: Path) -> Az:
    """The real az, signed in to the simulator as the registered cloud SimCloud."""
    return signed_in_az(az_exe, simulator, tmp_path / "home")
