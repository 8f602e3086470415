"""userfiles.write_user_text's file mode (issue 27's surviving mutants): a file the user already has keeps its own
mode unless the caller says it holds credentials (``keep_mode=False``); a new file gets the mode asked for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from azwizard.userfiles import write_user_text


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_file_keeps_its_mode_unless_told_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")
    os.chmod(path, 0o644)
    write_user_text(path, "new", mode=0o600)
    assert path.read_text() == "new" and _mode(path) == 0o644
    write_user_text(path, "secret", mode=0o600, keep_mode=False)
    assert path.read_text() == "secret" and _mode(path) == 0o600


def test_a_new_file_gets_the_mode_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    assert write_user_text(path, "x", mode=0o600) == path
    assert _mode(path) == 0o600
