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

* **A write costs what it changes** (issue 26). The file ``F`` is a snapshot; every write appends one line
  to ``F.log`` (JSON Lines: the keys this process changed, with their new values, and its in-flight
  operations' changes) instead of rewriting the state, and a process catches up by reading the lines
  appended since it last looked. When the log has grown to twice the snapshot's size, the writer folds it into a
  new snapshot (compaction: a new log *generation*, named in both files; a log of another generation is
  already inside the snapshot). Amortised, a write costs the size of its change, not of the state.
* **Pending operations are applied once, in order, and never over a later write** (issue 22). A record's
  ``pending`` replaces its writer's in-flight changes; a later record of another writer that sets a key takes
  that key out of every other writer's pending changes; the process that applies a dead writer's pending
  changes appends them with ``resolved: [writer]``, so no later process applies them again.

https://docs.python.org/3/library/fcntl.html#fcntl.flock, https://docs.python.org/3/library/os.html#os.replace,
https://jsonlines.org/
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
VERSION = 3
_MISSING = object()

Changes = dict[str, dict[str, Any]]  # {section: {key: value, or None: removed}}


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


# ---------------------------------------------------------------------------------------------- the log


def log_path(path: Path) -> Path:
    return path.with_name(path.name + ".log")


def new_generation() -> str:
    return os.urandom(8).hex()


def start_log(path: Path, generation: str) -> int:
    """A new, empty log of ``generation`` for the snapshot ``path`` (moved into place atomically); returns
    its size (where the records start)."""
    header = json.dumps({"log": generation}) + "\n"
    write_text_atomic(log_path(path), header, fsync=False)
    return len(header.encode())


def append(path: Path, record: dict[str, Any]) -> int:
    """Append one record (one line, one ``write``) to the log of ``path``; returns the log's size after it."""
    line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
    fd = os.open(log_path(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def read_log(path: Path, offset: int) -> tuple[str | None, list[dict[str, Any]], int, int | None]:
    """(the log's generation, the complete records after byte ``offset``, the offset after them, the log's
    inode). ``offset`` 0 reads the header too; a missing log is empty (generation ``None``)."""
    try:
        with open(log_path(path), "rb") as fh:
            ino = os.fstat(fh.fileno()).st_ino
            fh.seek(offset)
            data = fh.read()
    except OSError:
        return None, [], 0, None
    end = data.rfind(b"\n") + 1  # a line still being written is left for the next read
    generation = None
    records = []
    for raw in data[:end].splitlines():
        try:
            rec = json.loads(raw)
        except ValueError:
            continue  # a torn line of a crashed writer: skipped, as if never written
        if isinstance(rec, dict) and "log" in rec and "w" not in rec:
            generation = str(rec["log"])
        elif isinstance(rec, dict):
            records.append(rec)
    return generation, records, offset + end, ino


def log_signature(path: Path) -> tuple[int, int] | None:
    """(inode, size) of the log: what tells a process, for one ``stat``, whether anyone wrote since."""
    try:
        st = log_path(path).stat()
    except OSError:
        return None
    return st.st_ino, st.st_size


def replay(state: dict[str, Any], pending: dict[str, Any], record: dict[str, Any], seq: int) -> None:
    """Apply one log record to ``state`` and to the table of writers' ``pending`` changes (see the module
    docstring: a key another writer sets is no longer anyone else's to set on their behalf)."""
    changes: Changes = record.get("set") or {}
    apply(state, changes)
    writer = str(record.get("w") or "")
    for other, entry in pending.items():
        if other == writer:
            continue
        theirs = entry.get("changes") or {}
        for s, keys in changes.items():
            for k in keys:
                (theirs.get(s) or {}).pop(k, None)
    if "pending" in record:
        if record["pending"]:
            pending[writer] = {"pid": record.get("pid"), "changes": record["pending"], "seq": seq}
        else:
            pending.pop(writer, None)
    for gone in record.get("resolved") or []:
        pending.pop(gone, None)


def load(path: Path) -> tuple[dict[str, Any], int, str | None, int | None] | None:
    """The state as the files hold it: the snapshot with the log of its generation replayed (the result
    carries ``pending`` and ``seq``), the log offset read to, the generation and the log's inode; ``None``
    when the snapshot is missing or unreadable and there is no log either. Call under :func:`locked`."""
    state = read(path)
    log_gen, records, offset, ino = read_log(path, 0)
    if state is None:
        if log_gen is None:
            return None
        state = {}
    state.setdefault("pending", {})
    state.setdefault("seq", 0)
    generation = state.get("log")
    if log_gen is not None and log_gen == generation:
        for rec in records:
            state["seq"] += 1
            replay(state, state["pending"], rec, state["seq"])
    return state, offset, generation, ino


def current(path: Path) -> dict[str, Any]:
    """The state the files hold now (snapshot + log), for readers outside a simulator (tests, tools)."""
    with locked(path):
        loaded = load(path)
    return loaded[0] if loaded is not None else {}
