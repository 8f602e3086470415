"""Every package in the source tree is listed in pyproject.toml, so a wheel install has it all (an
editable install would hide a missing entry)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_every_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set()
    for init in (ROOT / "azwizard").rglob("__init__.py"):
        found.add(".".join(init.parent.relative_to(ROOT).parts))
    for init in (ROOT / "screens").rglob("__init__.py"):
        found.add(".".join(("azwizard", *init.parent.relative_to(ROOT).parts)))
    assert found <= listed, f"missing from pyproject.toml packages: {sorted(found - listed)}"


def test_package_data_ships_styles_and_catalog_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = config["tool"]["setuptools"]["package-data"]
    assert "*.tcss" in data["azwizard.screens"]
    assert "*.json" in data["azwizard.sim.catalog"]
    assert "*.json" in data["azwizard.sim"]  # api_models.json
