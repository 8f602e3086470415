"""Where azwizard keeps its files: the user data dir (platformdirs), overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """``$AZWIZARD_DATA_DIR`` if set, else the platform's user data dir for azwizard."""
    override = os.environ.get("AZWIZARD_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("azwizard", appauthor=False))


def demo_state_file() -> Path:
    return data_dir() / "demo" / "simulator-state.json"


def journal_dir() -> Path:
    return data_dir() / "journal"


def cache_dir() -> Path:
    override = os.environ.get("AZWIZARD_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("azwizard", appauthor=False))
