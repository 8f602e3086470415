"""Writing a file so that a reader sees the old content or the new, never half of it: a unique temporary file
in the same directory, written, flushed and fsynced, given its mode, then moved into place with ``os.replace``
(atomic on POSIX: https://docs.python.org/3/library/os.html#os.replace). On any failure the temporary file is
removed and the target is untouched."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_text_atomic(path: str | os.PathLike[str], text: str, mode: int = 0o600, *, fsync: bool = True) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically with permissions ``mode`` (0600 unless
    said: kubeconfigs, caches and the simulator's state may hold credentials). ``fsync=False`` for a cache,
    whose loss after a power cut costs one fetch."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            os.fchmod(f.fileno(), mode)
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
