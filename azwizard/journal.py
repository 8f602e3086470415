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
``stopped`` / ``started`` (AKS power actions; they do not change what exists).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import journal_dir
from .sshkeys import redact_private_keys


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class ResourceState:
    resource_id: str
    kind: str
    step: str
    # planned | requested | accepted | created | adopted | failed-exists | failed-absent | failed-unknown |
    # updating | updated | unchanged | deleting | deleted | skipped | not-adopted
    state: str
    detail: dict[str, Any]
    updated: str

    @property
    def may_exist(self) -> bool:
        """Whether the resource may exist in Azure now (cleanup must consider it)."""
        return self.state in ("requested", "accepted", "created", "adopted", "failed-exists", "failed-unknown",
                              "deleting")


class Journal:
    """One run's journal file (JSON lines, appended and fsynced line by line)."""

    def __init__(self, run_id: str, journey: str = "", directory: Path | None = None) -> None:
        self.run_id = run_id
        self.journey = journey
        self.directory = directory or journal_dir()
        self.path = self.directory / f"{run_id}.jsonl"
        self._lock = threading.Lock()

    def record(self, event: str, **fields: Any) -> None:
        line = {"ts": _now(), "run": self.run_id, "journey": self.journey, "event": event, **fields}
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
                line = line.strip()
                if not line:
                    continue
                try:
                    yield json.loads(line)
                except ValueError:
                    continue  # a torn last line after a crash: everything before it still counts

    def resources(self) -> dict[str, ResourceState]:
        """Latest state of every resource the run touched, keyed by lower-cased id."""
        out: dict[str, ResourceState] = {}
        for ev in self.events():
            event = ev.get("event")
            if event == "plan":
                if not self.journey:
                    self.journey = str(ev.get("journey", ""))
                for st in ev.get("steps", []):
                    out.setdefault(st["id"].lower(), ResourceState(st["id"], st["kind"], st["step"], "planned", {},
                                                                   ev["ts"]))
                continue
            rid = ev.get("id")
            if not rid:
                continue
            state = {
                "requested": "requested",
                "accepted": "accepted",
                "created": "created",
                "adopted": "adopted",
                "update-requested": "updating",
                "update-accepted": "updating",
                "updated": "updated",
                "unchanged": "unchanged",
                "skipped": "skipped",
                "deleted": "deleted",
                "delete-requested": "deleting",
                # exists unknown (the follow-up read failed): it may exist, never "absent"
                "failed": ("failed-unknown" if ev.get("exists") is None else
                           "failed-exists" if ev.get("exists") else "failed-absent"),
                "delete-failed": "created",
                "adopt-failed": "not-adopted",  # someone else's, left as it was: never this run's
                "exists": "created",
            }.get(str(event))
            if state is None:
                continue
            prev = out.get(rid.lower())
            detail = {k: v for k, v in ev.items() if k not in ("ts", "run", "journey", "event", "id", "kind", "step")}
            out[rid.lower()] = ResourceState(rid, ev.get("kind", prev.kind if prev else ""),
                                             ev.get("step", prev.step if prev else ""), state, detail, ev["ts"])
        return out

    def existing(self) -> list[ResourceState]:
        return [r for r in self.resources().values() if r.may_exist]


def list_runs(directory: Path | None = None) -> list[Journal]:
    d = directory or journal_dir()
    if not d.exists():
        return []
    runs = []
    for p in sorted(d.glob("*.jsonl")):
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
