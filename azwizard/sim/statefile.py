"""The demo state file: shared safely by several azwizard processes, and complete after a kill.

* **Several writers.** Every write takes an exclusive ``fcntl`` lock on ``<state>.lock``, re-reads the file
  and merges: what this process changed since it last read or wrote the file (its *base*) wins, everything
  else another process wrote is kept (a three-way merge, :func:`merge3`). The merged state is written to a
  unique temporary file in the same directory and moved into place (``os.replace``), so a reader never sees
  a half-written file and two writers never share a temporary name.
* **In-flight operations.** A process may be killed while operations run (a ``cleanup delete`` in demo mode,
  an AKS create). Operations are closures and cannot be stored; so with every write the simulator also stores
  what its in-flight operations will have changed once finished, cascades included (computed by running them
  to the end on the live state and putting it back: :meth:`ArmSim._settled_changes`). A process that loads
  the file applies these changes for writers that are gone: the interrupted operations end as they would
  have.

https://docs.python.org/3/library/fcntl.html#fcntl.flock, https://docs.python.org/3/library/os.html#os.replace
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..atomicfile import write_text_atomic

SECTIONS = ("resources", "meta", "locks", "extra")
_MISSING = object()


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of the state file ``path`` (a sidecar ``.lock`` file; blocks until free)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def read(path: Path) -> dict[str, Any] | None:
    """The state file's content, ``None`` if it is missing, unreadable or not a state file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write(path: Path, state: dict[str, Any]) -> str:
    """Write ``state`` atomically through a unique temporary file in the same directory; returns the text."""
    text = json.dumps(state)
    write_text_atomic(path, text, fsync=False)  # the simulator's state: written on every change
    return text


def merge3(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way merge of JSON values: a side that did not change takes the other's; when both changed,
    dicts merge key by key and anything else is mine (this process wrote last)."""
    if mine == base:
        return theirs
    if theirs in (base, mine):
        return mine
    if isinstance(mine, dict) and isinstance(theirs, dict):
        b = base if isinstance(base, dict) else {}
        out: dict[str, Any] = {}
        for k in list(mine) + [k for k in theirs if k not in mine]:
            v = merge3(b.get(k, _MISSING), mine.get(k, _MISSING), theirs.get(k, _MISSING))
            if v is not _MISSING:
                out[k] = v
        return out
    return mine


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per section, the top-level keys whose value changed: ``{section: {key: value or None (removed)}}``."""
    out: dict[str, dict[str, Any]] = {}
    for s in SECTIONS:
        b, a = before.get(s) or {}, after.get(s) or {}
        changes = {k: a.get(k) for k in set(b) | set(a) if b.get(k) != a.get(k)}
        if changes:
            out[s] = changes
    return out


def apply(state: dict[str, Any], changes: dict[str, dict[str, Any]]) -> None:
    for s, keys in changes.items():
        section = state.setdefault(s, {})
        for k, v in keys.items():
            if v is None:
                section.pop(k, None)
            else:
                section[k] = v


def restore_into(live: Any, snap: Any) -> Any:
    """Put ``snap``'s content back into ``live`` keeping the identity of every dict both have (providers and
    operation closures may hold on to stored bodies); returns the value to store."""
    if isinstance(live, dict) and isinstance(snap, dict):
        for k in [k for k in live if k not in snap]:
            del live[k]
        for k, v in snap.items():
            live[k] = restore_into(live[k], v) if k in live else v
        return live
    if isinstance(live, list) and isinstance(snap, list) and len(live) == len(snap):
        for i, v in enumerate(snap):
            live[i] = restore_into(live[i], v)
        return live
    return snap
