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


def test_a_directory_is_never_an_output_file(tmp_path: Path) -> None:
    import pytest

    from azwizard.userfiles import OutputFileError, read_output_text

    (tmp_path / "d").mkdir()
    with pytest.raises(OutputFileError, match="is a directory"):
        write_user_text(tmp_path / "d", "x", mode=0o600)
    with pytest.raises(OutputFileError, match="is a directory"):
        read_output_text(tmp_path / "d")
    assert read_output_text(tmp_path / "none.txt") is None  # nothing there yet
    (tmp_path / "big.txt").write_text("x" * 100)
    with pytest.raises(OutputFileError, match="too large"):
        read_output_text(tmp_path / "big.txt", limit=10)
    assert read_output_text(tmp_path / "big.txt") == "x" * 100


def test_what_cannot_be_written_is_refused_naming_the_users_path(tmp_path: Path) -> None:
    import pytest

    from azwizard.userfiles import OutputFileError

    def refused(path: str | Path) -> str:
        with pytest.raises(OutputFileError) as info:
            write_user_text(path, "x", mode=0o600)
        assert info.value.path == str(path)
        return info.value.reason

    assert refused(str(tmp_path / "a\0b")) == "the file name holds a NUL character"
    (tmp_path / "file").write_text("a file, not a directory")
    assert refused(tmp_path / "file" / "out.txt") == "cannot write it: Not a directory"
    assert refused(tmp_path / "no-such-dir" / "out.txt") == "cannot write it: No such file or directory"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert refused(fifo).startswith("is not a regular file")
    assert refused("\ud800").startswith("cannot write it: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "file"]  # nothing was written
