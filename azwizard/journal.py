"""The journal: what each run asked Azure to create and what Azure answered, one JSON line per event,
written before each request and after each answer, so a crash or Ctrl+C never leaves the user unsure
what exists. Cleanup and re-runs read it back.

Events: ``plan`` (the steps the run intends, the journey's identity and what a resume needs: ``meta``),
``requested`` (sent, outcome unknown), ``accepted`` (Azure took it: the ``operation`` URL to poll, so a resumed
run polls instead of sending again), ``created``, ``failed`` (with ``exists`` true/false from a follow-up
read, or null when that read failed too: the resource *may exist*), ``skipped``, ``adopted`` (an existing
resource the user chose to take over: cleanup may delete it), ``updated`` / ``unchanged`` (a resource an
earlier run of the same journey made, changed or left as it was: that run still owns it; while the change
is on its way: ``update-requested`` / ``update-accepted``, and ``update-failed``), ``finished``
(the run's end, ``ok`` true/false), and from cleanup
``delete-requested`` (a DELETE sent, outcome unknown), ``deleted`` (verified gone), ``delete-failed`` (still
there, with the code and message), ``exists`` (seen in Azure, e.g. a disk a deleted VM left behind), and
``stopped`` / ``started`` (AKS power actions; they do not change what exists), and ``configure-requested`` /
``configured`` / ``configure-failed`` / ``configure-skipped`` (a read-modify-write change the run made to a resource it made, such as
turning a cluster's metrics on: the resource stays the run's, as it was).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from .paths import journal_dir
from .sshkeys import redact_private_keys


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class _Text(str, Enum):
    """Compares, hashes, prints and serialises as its text (the journal's words)."""

    def __str__(self) -> str:
        return str(self.value)


class Event(_Text):
    """What a journal line records (the module's docstring says what each means)."""

    PLAN = "plan"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    CREATED = "created"
    FAILED = "failed"
    SKIPPED = "skipped"
    ADOPTED = "adopted"
    ADOPT_FAILED = "adopt-failed"
    UPDATE_REQUESTED = "update-requested"
    UPDATE_ACCEPTED = "update-accepted"
    UPDATED = "updated"
    UPDATE_FAILED = "update-failed"
    UNCHANGED = "unchanged"
    FINISHED = "finished"
    DELETE_REQUESTED = "delete-requested"
    DELETED = "deleted"
    DELETE_FAILED = "delete-failed"
    EXISTS = "exists"
    STOPPED = "stopped"
    STARTED = "started"
    CONFIGURE_REQUESTED = "configure-requested"
    CONFIGURED = "configured"
    CONFIGURE_FAILED = "configure-failed"
    CONFIGURE_SKIPPED = "configure-skipped"


class State(_Text):
    """Where a resource the run touched stands, after the last event about it."""

    PLANNED = "planned"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    CREATED = "created"
    ADOPTED = "adopted"
    NOT_ADOPTED = "not-adopted"  # someone else's, left as it was: never this run's
    FAILED_EXISTS = "failed-exists"
    FAILED_ABSENT = "failed-absent"
    FAILED_UNKNOWN = "failed-unknown"  # the follow-up read failed too: it may exist, never "absent"
    UPDATING = "updating"
    UPDATED = "updated"
    UPDATE_FAILED = "update-failed"  # an earlier run's resource, left as Azure has it: that run still owns it
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    DELETING = "deleting"
    DELETED = "deleted"


# The one state table: the state a resource is in after each event (None: the event is about the run, or changes
# nothing that exists). ``failed`` is refined by its ``exists`` field (see Journal.resources).
STATE_AFTER: dict[Event, State | None] = {
    Event.PLAN: State.PLANNED,
    Event.REQUESTED: State.REQUESTED,
    Event.ACCEPTED: State.ACCEPTED,
    Event.CREATED: State.CREATED,
    Event.FAILED: State.FAILED_UNKNOWN,
    Event.SKIPPED: State.SKIPPED,
    Event.ADOPTED: State.ADOPTED,
    Event.ADOPT_FAILED: State.NOT_ADOPTED,
    Event.UPDATE_REQUESTED: State.UPDATING,
    Event.UPDATE_ACCEPTED: State.UPDATING,
    Event.UPDATED: State.UPDATED,
    Event.UPDATE_FAILED: State.UPDATE_FAILED,
    Event.UNCHANGED: State.UNCHANGED,
    Event.FINISHED: None,
    Event.DELETE_REQUESTED: State.DELETING,
    Event.DELETED: State.DELETED,
    Event.DELETE_FAILED: State.CREATED,  # still there
    Event.EXISTS: State.CREATED,  # seen in Azure (a disk a deleted VM left behind)
    Event.STOPPED: None,
    Event.STARTED: None,
    Event.CONFIGURE_REQUESTED: None,
    Event.CONFIGURED: None,
    Event.CONFIGURE_FAILED: None,
    Event.CONFIGURE_SKIPPED: None,
}
# What may exist in Azure now because of the run (cleanup must consider it).
MAY_EXIST = frozenset({State.REQUESTED, State.ACCEPTED, State.CREATED, State.ADOPTED, State.FAILED_EXISTS,
                       State.FAILED_UNKNOWN, State.DELETING})


@dataclass(frozen=True)
class ResourceState:
    resource_id: str
    kind: str
    step: str
    state: State
    detail: dict[str, Any]
    updated: str

    @property
    def may_exist(self) -> bool:
        """Whether the resource may exist in Azure now (cleanup must consider it)."""
        return self.state in MAY_EXIST


class Journal:
    """One run's journal file (JSON lines, appended and fsynced line by line)."""

    def __init__(self, run_id: str, journey: str = "", directory: Path | None = None) -> None:
        self.run_id = run_id
        self.journey = journey
        self.directory = directory or journal_dir()
        self.path = self.directory / f"{run_id}.jsonl"
        self._lock = threading.Lock()

    def record(self, event: Event | str, **fields: Any) -> None:
        """Append one event (an :class:`Event`, or its text)."""
        line = {"ts": _now(), "run": self.run_id, "journey": self.journey, "event": str(event), **fields}
        # A private key never reaches the journal, whatever a caller hands in (sshkeys.redact_private_keys).
        data = redact_private_keys(json.dumps(line, sort_keys=True)) + "\n"
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, data.encode())
                os.fsync(fd)
            finally:
                os.close(fd)

    def events(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    yield json.loads(line)
                except ValueError:
                    continue  # a torn last line after a crash, or a blank one: everything before it still counts

    def resources(self) -> dict[str, ResourceState]:
        """Latest state of every resource the run touched, keyed by lower-cased id."""
        out: dict[str, ResourceState] = {}
        for ev in self.events():
            event = ev.get("event")
            if event == "plan":
                if not self.journey:
                    self.journey = str(ev.get("journey", ""))
                for st in ev.get("steps", []):
                    out.setdefault(st["id"].lower(), ResourceState(st["id"], st["kind"], st["step"], State.PLANNED,
                                                                   {}, ev["ts"]))
                continue
            rid = ev.get("id")
            if not rid:
                continue
            try:
                state = STATE_AFTER[Event(str(event))]
            except ValueError:
                continue  # an event of a later azwizard: what this one knows still counts
            if state is None:
                continue
            if state is State.FAILED_UNKNOWN and ev.get("exists") is not None:
                state = State.FAILED_EXISTS if ev.get("exists") else State.FAILED_ABSENT
            prev = out.get(rid.lower())
            detail = {k: v for k, v in ev.items() if k not in ("ts", "run", "journey", "event", "id", "kind", "step")}
            out[rid.lower()] = ResourceState(rid, ev.get("kind", prev.kind if prev else ""),
                                             ev.get("step", prev.step if prev else ""), state, detail, ev["ts"])
        return out

    def existing(self) -> list[ResourceState]:
        return [r for r in self.resources().values() if r.may_exist]


def list_runs(directory: Path | None = None) -> list[Journal]:
    d = directory or journal_dir()
    runs = []
    for p in sorted(d.glob("*.jsonl")):  # none when the directory does not exist yet
        if not p.is_file():
            continue  # a folder (or anything else) named like a journal is no run's journal
        j = Journal(p.stem, directory=d)
        first = next(j.events(), None)
        if first is not None:
            j.journey = str(first.get("journey", ""))
        runs.append(j)
    return runs


def archive_journals(subscription_id: str, directory: Path | None = None) -> Path | None:
    """Move the journals of one subscription's runs (any line naming a resource in it) into
    ``journal-archive/<time>/`` beside the journal dir: a fresh simulated subscription (``--demo --reset``) is
    then judged by no journal of the old one. Returns the archive dir (None: nothing to move)."""
    d = directory or journal_dir()
    if not d.exists() or not subscription_id:
        return None
    needle = f"/subscriptions/{subscription_id}".lower()
    target = d.parent / "journal-archive" / _now().replace(":", "")
    moved = False
    for p in sorted(d.glob("*.jsonl")):
        try:
            text = p.read_text(encoding="utf-8").lower()
        except OSError:
            continue
        if needle in text or f'"subscription": "{subscription_id.lower()}"' in text:
            target.mkdir(parents=True, exist_ok=True)
            os.replace(p, target / p.name)
            moved = True
    return target if moved else None
