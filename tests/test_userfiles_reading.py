"""Reading a file the user names (userfiles.py): a regular UTF-8 file of at most ``limit`` bytes, anything else
refused with a message that says what is wrong, and nothing that can hang or exhaust memory (a FIFO, a device)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from azwizard.userfiles import UserFileError, expand_user, read_user_text, resolve


def refused(path: str | Path, limit: int = 100) -> str:
    with pytest.raises(UserFileError) as info:
        read_user_text(path, limit=limit)
    assert info.value.path == str(path).replace("\0", "\\0") or "\0" in str(path)
    return info.value.reason


def test_a_regular_file_up_to_the_limit_is_read_whole(tmp_path: Path) -> None:
    p = tmp_path / "f"
    p.write_bytes(b"x" * 100)
    assert read_user_text(p, limit=100) == "x" * 100
    big = tmp_path / "big"
    big.write_bytes(b"y" * 200_000)  # more than one read's chunk
    assert read_user_text(big, limit=200_000) == "y" * 200_000
    assert read_user_text(tmp_path / "f", limit=1 << 20) == "x" * 100
    (tmp_path / "empty").write_bytes(b"")
    assert read_user_text(tmp_path / "empty", limit=10) == ""


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(tmp_path: Path) -> None:
    p = tmp_path / "f"
    p.write_bytes(b"x" * 101)
    assert refused(p) == "is too large (101 bytes; at most 0 KiB)"
    p.write_bytes(b"x" * ((64 << 10) + 1))
    assert "at most 64 KiB" in refused(p, 64 << 10)
    p.write_bytes(b"x" * ((1 << 20) + 1))
    assert "at most 1 MiB" in refused(p, 1 << 20)


def test_what_is_not_a_regular_utf8_file_is_refused(tmp_path: Path) -> None:
    assert refused(tmp_path) == "is a directory, not a file"
    assert "No such file" in refused(tmp_path / "missing")
    assert refused(str(tmp_path / "a\0b")) == "the file name holds a NUL character"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(fifo)  # and it did not wait for a writer
    assert "not a regular file" in refused("/dev/zero")
    bad = tmp_path / "latin1"
    bad.write_bytes("key = 'é'".encode("latin-1"))
    assert refused(bad) == "is not UTF-8 text (byte 7 is 0xe9)"


def test_str_names_the_file_and_a_long_name_is_shortened(tmp_path: Path) -> None:
    long = tmp_path / ("n" * 200)
    with pytest.raises(UserFileError) as info:
        read_user_text(long, limit=10)
    text = str(info.value)
    assert text.endswith(": " + info.value.reason) and "..." in text and len(text.split(": ")[0]) == 120


def test_paths_expand_the_home_directory_and_resolve_against_the_base(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert expand_user("~/k.pub") == tmp_path / "home" / "k.pub"
    assert expand_user("~no-such-user-here/k") == Path("~no-such-user-here/k")  # as written; reading says why
    assert resolve("k.pub", tmp_path / "profiles") == tmp_path / "profiles" / "k.pub"
    assert resolve("/etc/k.pub", tmp_path) == Path("/etc/k.pub")
    assert resolve("~/k.pub", tmp_path / "profiles") == tmp_path / "home" / "k.pub"


@pytest.mark.parametrize(("length", "whole"), [(120, True), (121, False)])
def test_an_error_names_a_path_of_up_to_120_characters_whole_and_cuts_a_longer_one(length: int,
                                                                                   whole: bool) -> None:
    path = "/" + "p" * (length - 1)
    shown = str(UserFileError(path, "not found")).removesuffix(": not found")
    assert (shown == path) is whole
    assert whole or (shown == path[:117] + "..." and len(shown) == 120)


def test_a_name_the_os_cannot_take_is_refused_as_bad_input() -> None:
    assert refused("\ud800").startswith("cannot open it: ")  # a lone surrogate has no file-system encoding


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    if not os.path.exists("/proc/self/mem"):
        pytest.skip("needs Linux's /proc/self/mem: a regular file whose read fails")
    assert refused("/proc/self/mem") == "cannot read it: Input/output error"


def test_a_file_that_grows_past_the_limit_while_it_is_read_is_refused(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Its size is checked first, then it is read: bytes written in between never get past the limit. At a limit of
    exactly one read's chunk (64 KiB) the first read fills it, and the reader still reads on to see it is too large."""
    p = tmp_path / "growing"
    p.write_bytes(b"x" * (64 << 10))
    real_fstat = os.fstat

    def fstat_then_grow(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        with p.open("ab") as fh:  # someone appends right after the size was checked
            fh.write(b"y" * 10)
        return info

    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    assert refused(p, 64 << 10) == "is too large (more than 64 KiB)"
