"""Reading the files a user names: a profile, an SSH public key file, cloud-init custom data, a file of az
commands (``check --file``). One rule for all of them: a regular file only (never a device, a FIFO or a
directory: ``/dev/zero`` would exhaust memory and a FIFO would hang), at most ``limit`` bytes, UTF-8 text.
Anything else is a :class:`UserFileError` whose message says what is wrong with the file, for the caller to
report as bad input (exit code 2), never an unexpected error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["CUSTOM_DATA_LIMIT", "KEY_LIMIT", "PROFILE_LIMIT", "SCRIPT_LIMIT", "UserFileError", "expand_user",
           "read_user_text", "resolve"]

# Generous ceilings, well above what each file can usefully hold, so the rules (not this reader) explain the
# real limits: Azure takes at most 64 KiB of custom data (rules/vm.py vm-custom-data-size), and an OpenSSH
# public key is one line of a few kilobytes at most (a 16384-bit RSA key is about 2.8 KB).
PROFILE_LIMIT = 1 << 20
SCRIPT_LIMIT = 1 << 20
CUSTOM_DATA_LIMIT = 1 << 20
KEY_LIMIT = 64 << 10


class UserFileError(ValueError):
    """The file cannot be used; ``reason`` says why (and ``str()`` names the file)."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{_show(self.path)}: {reason}")


def _show(path: str) -> str:
    shown = path.replace("\0", "\\0")
    return shown if len(shown) <= 120 else shown[:117] + "..."


def _size(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n >> 10} KiB"


def read_user_text(path: str | os.PathLike[str], *, limit: int) -> str:
    """The text of the regular file ``path`` (UTF-8, at most ``limit`` bytes)."""
    name = os.fspath(path)
    if "\0" in str(name):
        raise UserFileError(name, "the file name holds a NUL character")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; what is opened is then checked with fstat, so a
        # file swapped for a FIFO or a device between a check and the open is refused too.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise UserFileError(name, f"{exc.strerror or exc}") from exc
    except ValueError as exc:  # a name the OS cannot take
        raise UserFileError(name, f"cannot open it: {exc}") from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserFileError(name, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UserFileError(name, "is not a regular file (a device, a pipe or a socket): give a file")
        if info.st_size > limit:
            raise UserFileError(name, f"is too large ({info.st_size} bytes; at most {_size(limit)})")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while being read
            raise UserFileError(name, f"is too large (more than {_size(limit)})")
    except OSError as exc:
        raise UserFileError(name, f"cannot read it: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserFileError(name, f"is not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x})") from exc


def expand_user(path: str) -> Path:
    """``path`` with ``~`` expanded; as written when it cannot be (``~nosuchuser``, no home directory, a NUL),
    and then reading it says what is wrong."""
    try:
        return Path(path).expanduser()
    except (RuntimeError, ValueError, KeyError):
        return Path(path)


def resolve(path: str, base: Path) -> Path:
    """``path`` with ``~`` expanded, relative to ``base``."""
    p = expand_user(path)
    return p if p.is_absolute() else base / p
