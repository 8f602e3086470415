"""Writing a file so that a reader sees the old content or the new, never half of it: a unique temporary file
in the same directory, written, flushed and fsynced, given its mode, then moved into place with ``os.replace``
(atomic on POSIX: https://docs.python.org/3/library/os.html#os.replace). On any failure the temporary file is
removed and the target is untouched. :func:`backup_copy` keeps the old file first (a 0600 copy beside it).
What may be replaced where a user said (a symlink, a FIFO, a device...) is decided in userfiles.write_user_text."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path


def write_text_atomic(path: str | os.PathLike[str], text: str, mode: int = 0o600, *, fsync: bool = True,
                      like: os.stat_result | None = None) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically with permissions ``mode`` (0600 unless
    said: kubeconfigs, caches and the simulator's state may hold credentials). ``fsync=False`` for a cache,
    whose loss after a power cut costs one fetch. ``like``: the file being replaced, whose mode (instead of
    ``mode``) and, where this process may set it, owner and group the new file gets."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            os.fchmod(f.fileno(), stat.S_IMODE(like.st_mode) if like is not None else mode)
            if like is not None and (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):  # only root may give a file away; otherwise it stays ours
                    os.fchown(f.fileno(), like.st_uid, like.st_gid)
            f.write(text)
            f.flush()
            if fsync:
                os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def backup_copy(path: Path, stamp: str) -> Path:
    """Copy ``path`` to a new ``<path>.bak-<stamp>[-n]`` that is created with mode 0600 (``os.open`` with the
    mode, so it never exists with the umask's mode, not even for a moment) and never overwrites a file."""
    n = 1
    while True:
        backup = path.with_name(f"{path.name}.bak-{stamp}" + (f"-{n}" if n > 1 else ""))
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:  # two writes in the same second keep both backups
            n += 1
            continue
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            os.fchmod(out.fileno(), 0o600)  # the umask can only remove bits; this keeps exactly 0600
            shutil.copyfileobj(src, out)
        return backup
