"""One apply per journey at a time: a lock per plan identity (``preflight.plan_identity``: the VM or the
cluster), across processes, held from the review to the end of the run (apply, and a resume of it).

Two applies of the same profile at once would both start a run, PUT the same resources twice and split
their ownership between two run ids. The second one finds the lock held and stops before it sends anything
(``JourneyBusy``; headless: exit code ``EXIT_BUSY``). Cleanup refuses a run whose journey is locked (it is
still being created).

The lock is an ``fcntl.flock`` on a file in the data dir, named after the identity's hash: the kernel
releases it when the process ends, however it ends (kill -9 included), so a crashed apply never leaves a
stale lock (https://man7.org/linux/man-pages/man2/flock.2.html). The file holds who holds it (pid, run id,
since when) for the message. Within one process the lock is re-entrant (the review and the Runner share it).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..azure.errors import AzwizardError
from ..paths import data_dir

try:  # POSIX; on Windows the lock is a no-op (azwizard's supported platforms are Linux and macOS)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

_held: dict[str, tuple[int, int]] = {}  # path -> (fd, depth): this process's locks
_guard = threading.Lock()


class JourneyBusy(AzwizardError):
    """Another process is applying the same journey (the same VM or cluster): nothing was sent."""

    def __init__(self, identity: str, holder: dict[str, Any] | None) -> None:
        self.identity = identity
        self.holder = holder or {}
        what = str(self.holder.get("name") or identity.split(":", 1)[-1].rsplit("/", 1)[-1] or identity)
        who = ""
        if self.holder:
            who = (f" (process {self.holder.get('pid')}, run {self.holder.get('run_id') or '?'}, since "
                   f"{self.holder.get('since', '?')})")
        super().__init__(f"Another azwizard is applying {what} right now{who}; nothing was sent",
                         "Wait for it to finish (or stop it), then run the command again: it will see what the "
                         "other one made.", code="JourneyBusy")


def lock_dir() -> Path:
    return data_dir() / "locks"


def _path(identity: str, directory: Path | None = None) -> Path:
    digest = hashlib.sha256(identity.lower().encode()).hexdigest()[:24]
    return (directory or lock_dir()) / f"{digest}.lock"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def holder(identity: str, directory: Path | None = None) -> dict[str, Any] | None:
    """Who holds the journey's lock (pid, run id, since), or None when no process does."""
    path = _path(identity, directory)
    if fcntl is None or not path.exists():
        return None
    with _guard:
        if str(path) in _held:
            return _read(path) or {"pid": os.getpid()}
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return _read(path) or {}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read(path: Path) -> dict[str, Any] | None:
    with contextlib.suppress(OSError, ValueError):
        got = json.loads(path.read_text(encoding="utf-8") or "{}")
        return got if isinstance(got, dict) else None
    return None


def _write(fd: int, info: dict[str, Any]) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)


@contextlib.contextmanager
def journey_lock(identity: str, run_id: str = "", directory: Path | None = None, name: str = "") -> Iterator[None]:
    """Hold the journey's lock for the block, or raise ``JourneyBusy`` at once when another process holds it.
    ``run_id`` and ``name`` (the VM's or cluster's) are written for the message the other process shows."""
    if fcntl is None or not identity:
        yield
        return
    path = _path(identity, directory)
    key = str(path)
    with _guard:
        mine = _held.get(key)
        if mine is not None:
            _held[key] = (mine[0], mine[1] + 1)
            if run_id:  # the review took the lock before the run had its id
                _write(mine[0], {**(_read(path) or {}), "run_id": run_id, **({"name": name} if name else {})})
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise JourneyBusy(identity, _read(path)) from None
            _write(fd, {"pid": os.getpid(), "run_id": run_id, "identity": identity, "name": name, "since": _now()})
            _held[key] = (fd, 1)
    try:
        yield
    finally:
        with _guard:
            fd, depth = _held[key]
            if depth > 1:
                _held[key] = (fd, depth - 1)
            else:
                del _held[key]
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def in_progress(identity: str, directory: Path | None = None) -> bool:
    """Whether a process (another one, or this one) is applying the journey now."""
    return bool(identity) and holder(identity, directory) is not None


class RunInProgress(AzwizardError):
    """Cleanup of a run whose journey is being applied right now: nothing was deleted."""

    def __init__(self, runs: list[str]) -> None:
        self.runs = runs
        names = ", ".join(runs)
        super().__init__(f"Run {names} is still being applied by another azwizard; cleanup refuses a run in "
                         "progress, and nothing was deleted",
                         "Wait for the apply to end (or stop it), then run cleanup again.", code="JourneyBusy")


def runs_in_progress(run_ids: Iterable[str | None],
                     directory: Path | None = None) -> list[str]:
    """The runs among ``run_ids`` whose journey (the plan identity their journal records) is locked now."""
    from .preflight import Ledger

    wanted = {r for r in run_ids if r}
    if not wanted:
        return []
    ledger = Ledger.load(directory)
    return sorted(r for r in wanted if r in ledger.runs and in_progress(ledger.runs[r].identity))
