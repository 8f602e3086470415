"""Reading the files a user names: a profile, an SSH public key file, cloud-init custom data, a file of az
commands (``check --file``). One rule for all of them: a regular file only (never a device, a FIFO or a
directory: ``/dev/zero`` would exhaust memory and a FIFO would hang), at most ``limit`` bytes, UTF-8 text.
Anything else is a :class:`UserFileError` whose message says what is wrong with the file, for the caller to
report as bad input (exit code 2), never an unexpected error.

Writing the files a user names or has (``--output``, the wizard's saved script and template, the kubeconfig,
the ssh config): :func:`write_user_text`. A symlink is followed and its target replaced (the link stays); an
existing regular file is replaced atomically and keeps its mode (and owner, where this process may set it);
anything else that exists (a directory, a FIFO, a device, a socket) is refused with an :class:`OutputFileError`
naming the user's path, never a temporary file's, and nothing is written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["CUSTOM_DATA_LIMIT", "KEY_LIMIT", "PROFILE_LIMIT", "SCRIPT_LIMIT", "OutputFileError", "UserFileError",
           "expand_user", "output_target", "read_output_text", "read_user_text", "resolve", "write_user_text"]

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


class OutputFileError(OSError):
    """A file cannot be written where the user said; ``str()`` names the user's path and says why. An
    ``OSError``, so every caller that reports a failed write reports this too."""

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


def output_target(path: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None]:
    """Where writing ``path`` lands (a symlink's target, followed to the end) and what is there now (None when
    nothing is). Raises :class:`OutputFileError` when what is there is not a regular file."""
    name = os.fspath(path)
    if "\0" in str(name):
        raise OutputFileError(name, "the file name holds a NUL character")
    try:
        # stat follows every link the way the kernel does (a link to /proc/self/fd/1 is the pipe or terminal
        # it stands for), so what would be replaced is judged, not the link.
        info: os.stat_result | None = os.stat(name)
    except FileNotFoundError:
        info = None  # nothing there yet, or a link to nothing: the file is created (at the link's target)
    except (OSError, ValueError) as exc:
        raise OutputFileError(name, f"cannot write it: {getattr(exc, 'strerror', None) or exc}") from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputFileError(name, "is a directory: name a file (nothing was written)")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputFileError(name, "is not a regular file (a device, a pipe or a socket), so azwizard does not "
                                    "replace it: name a file (nothing was written)")
    return Path(os.path.realpath(name)), info


def read_output_text(path: str | os.PathLike[str], *, limit: int = PROFILE_LIMIT) -> str | None:
    """The text of a file azwizard is about to extend and rewrite (the kubeconfig, the ssh config), or None when
    there is none. Raises :class:`OutputFileError` when it is not a regular UTF-8 file of at most ``limit``."""
    if output_target(path)[1] is None:
        return None
    try:
        return read_user_text(path, limit=limit)
    except UserFileError as exc:
        raise OutputFileError(path, exc.reason) from exc


def write_user_text(path: str | os.PathLike[str], text: str, *, mode: int, keep_mode: bool = True) -> Path:
    """Write ``text`` to the file at ``path`` atomically (see the module's rules); a new file gets ``mode``, an
    existing one keeps its own unless ``keep_mode`` is False (a file that holds credentials stays ``mode``).
    Returns the file written (a symlink's target)."""
    from .atomicfile import write_text_atomic

    target, info = output_target(path)
    try:
        return write_text_atomic(target, text, mode, like=info if keep_mode else None)
    except OSError as exc:
        raise OutputFileError(path, f"cannot write it: {exc.strerror or exc}") from exc
