"""One simulator's side of the shared state file (:mod:`statefile` has the format): what it changed since it
last wrote, catching up with what other processes appended, and its in-flight operations' changes.

The simulator keeps a copy of the state as the file holds it (``committed``: as this process last read or
wrote it). Changes are found by key, not by comparing whole states: :meth:`ArmSim.save`, ``remove`` and
``peek`` (a body handed out to be changed in place) note the keys they touch, and only those are compared
with their committed value (a provider that changes a body it got from ``under``/``of_type`` saves it); ``locks`` and ``extra`` (small, changed
in place) are compared key by key. The committed value is also the base of the three-way merge with another
process's write of the same key, and what operations run ahead of time are undone to. A write then costs
what it touched, not the size of the state.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import statefile

if TYPE_CHECKING:
    from .core import ArmSim

Body = dict[str, Any]
_KEYED = ("resources", "meta")  # compared for the keys touched
_WHOLE = ("locks", "extra")  # compared whole at each write (see the module docstring)


def clone(value: Any) -> Any:
    """A deep copy of JSON data (faster than ``copy.deepcopy`` for it)."""
    return json.loads(json.dumps(value)) if isinstance(value, (dict, list)) else value


class Persistence:
    def __init__(self, sim: ArmSim, path: Path) -> None:
        self.sim = sim
        self.path = path
        self.writer_id = sim.writer_id
        self.committed: dict[str, dict[str, Any]] = {s: {} for s in statefile.SECTIONS}
        self.touched: set[str] = set()  # resource keys touched since the last write
        self.pending: dict[str, Any] = {}  # every writer's in-flight changes, as the file holds them
        self.mine: statefile.Changes = {}  # this process's, as last written
        self.generation: str | None = None
        self.offset = 0
        self.seq = 0
        self.log_sig: tuple[int, int] | None = None
        self.snapshot_size = 0

    # ------------------------------------------------------------------ tracking

    def touch(self, k: str) -> None:
        self.touched.add(k)

    def _changes(self, keys: Iterable[str]) -> statefile.Changes:
        """Of ``keys`` (resources and their meta) and of every key of ``locks``/``extra``: those whose live
        value differs from the committed one, with the live value (``None``: removed)."""
        sections = self.sim._sections()
        out: statefile.Changes = {}
        for s in _KEYED:
            live, committed = sections[s], self.committed[s]
            for k in keys:
                now = live.get(k)
                if now != committed.get(k):
                    out.setdefault(s, {})[k] = clone(now)
        for s in _WHOLE:
            live, committed = sections[s], self.committed[s]
            for k in set(live) | set(committed):
                if live.get(k) != committed.get(k):
                    out.setdefault(s, {})[k] = clone(live.get(k))
        return out

    def _commit(self, changes: statefile.Changes) -> None:
        """``changes`` (plain copies) are now what the file holds."""
        for s, keys in changes.items():
            committed = self.committed.setdefault(s, {})
            for k, v in keys.items():
                if v is None:
                    committed.pop(k, None)
                else:
                    committed[k] = clone(v)

    def _put_back(self, s: str, k: str, value: Any) -> None:
        """Set the live value of ``k`` in section ``s`` keeping the identity of a body held here (operations'
        closures hold on to stored bodies); ``value`` is not shared afterwards."""
        live = self.sim._sections()[s]
        if value is None:
            live.pop(k, None)
        elif isinstance(live.get(k), dict):
            statefile.restore_into(live[k], clone(value))
        else:
            live[k] = clone(value)

    # ------------------------------------------------------------------ taking in other processes' writes

    def _take_in(self, changes: statefile.Changes) -> None:
        """Another process's changes: a key this process also changed since it last wrote is merged
        three-way against the committed value (its own change wins where both changed the same value); any
        other is taken as written."""
        sections = self.sim._sections()
        resources: set[str] = set()
        for s, keys in changes.items():
            live = sections.get(s)
            if live is None:
                continue
            committed = self.committed.setdefault(s, {})
            for k, theirs in keys.items():
                mine, base = live.get(k), committed.get(k)
                value = theirs if mine == base else statefile.merge3(base, clone(mine), theirs)
                self._put_back(s, k, value)
                if theirs is None:
                    committed.pop(k, None)
                else:
                    committed[k] = clone(theirs)
                if s == "resources":
                    resources.add(k)
        self.sim._index.sync(self.sim.resources, resources)

    def _catch_up(self) -> None:
        """Read what was appended since this process last looked (under the file's lock). A new log file
        (someone compacted, or reset) is read whole, with its snapshot."""
        sig = statefile.log_signature(self.path)
        if sig is None or self.log_sig is None or sig[0] != self.log_sig[0] or sig[1] < self.offset:
            self._reload()
            return
        _, records, offset, _ = statefile.read_log(self.path, self.offset)
        for rec in records:
            self.seq += 1
            if rec.get("w") != self.writer_id:
                self._take_in(rec.get("set") or {})
            statefile.replay({}, self.pending, rec, self.seq)
        self.offset = offset
        self.log_sig = statefile.log_signature(self.path)

    def _reload(self) -> None:
        loaded = statefile.load(self.path)
        if loaded is None:
            return
        state, self.offset, self.generation, _ = loaded
        self.seq = int(state.get("seq") or 0)
        self.pending = state.get("pending") or {}
        theirs: statefile.Changes = {}
        for s in statefile.SECTIONS:
            new, committed = state.get(s) or {}, self.committed[s]
            theirs[s] = {k: new.get(k) for k in set(new) | set(committed) if new.get(k) != committed.get(k)}
        self._take_in(theirs)
        self.log_sig = statefile.log_signature(self.path)
        self.snapshot_size = _size(self.path)

    def sync(self) -> None:
        """Before a request: one ``stat`` of the log; read it only if someone appended or compacted."""
        sig = statefile.log_signature(self.path)
        if sig == self.log_sig:
            return
        with statefile.locked(self.path):
            self._catch_up()

    # ------------------------------------------------------------------ writing

    def write(self) -> None:
        """Append what this process changed (and its in-flight operations' changes, when they differ from
        what it last recorded); fold the log into the snapshot when it has outgrown it."""
        with statefile.locked(self.path):
            self._catch_up()
            changes = self._changes(self.touched)
            self.touched = set()
            self._commit(changes)
            mine = self.settled_changes()
            record: dict[str, Any] = {"w": self.writer_id, "pid": os.getpid()}
            if changes:
                record["set"] = changes
            if mine != self.mine:
                record["pending"] = mine
                self.mine = mine
            if len(record) > 2:
                size = statefile.append(self.path, record)
                self.seq += 1
                statefile.replay({}, self.pending, record, self.seq)
                self.offset = size
                self.log_sig = statefile.log_signature(self.path)
                if size > max(2 * self.snapshot_size, 1 << 20):  # amortised: a write pays O(its own size)
                    self.compact()

    def compact(self, *, full: bool = False) -> None:
        """Write the whole state as a new snapshot and start a new log generation (under the lock). ``full``:
        the committed copy is taken again whole (after a load or a reset changed the state wholesale)."""
        self.generation = statefile.new_generation()
        sections = self.sim._sections()
        state = {"version": statefile.VERSION, **sections, "pending": self.pending, "seq": self.seq,
                 "log": self.generation}
        text = statefile.write(self.path, state)
        # What the snapshot holds is the live state: the committed copy already is for every key written or
        # read since (the keyed sections are not copied again: that would cost the state's size once more).
        for s in statefile.SECTIONS if full else _WHOLE:
            self.committed[s] = clone(sections[s])
        self.touched = set()
        self.snapshot_size = len(text.encode())
        self.offset = statefile.start_log(self.path, self.generation)
        self.log_sig = statefile.log_signature(self.path)

    def replace(self) -> None:
        """This process's state wins whole (``reset``)."""
        with statefile.locked(self.path):
            self.pending = {}
            self.mine = {}
            self.compact(full=True)

    # ------------------------------------------------------------------ loading

    def load(self, finish_gone: Callable[[dict[str, Any]], object]) -> bool:
        """Read the file into the (empty) simulator. Pending changes of writers that are gone are applied,
        oldest first, and recorded as resolved; ``finish_gone(pending)`` then ends what older files left in
        flight. Returns False when the file is unreadable (the simulator starts empty and replaces it)."""
        with statefile.locked(self.path):
            loaded = statefile.load(self.path)
            if loaded is None:
                unreadable = self.path.exists() or statefile.log_path(self.path).exists()
                self.compact(full=True)  # an empty state from here on (an unreadable file is replaced, as before)
                return not unreadable
            state, self.offset, self.generation, _ = loaded
            self.seq = int(state.get("seq") or 0)
            self.pending = state.get("pending") or {}
            sections = self.sim._sections()
            for s in statefile.SECTIONS:
                sections[s].update(state.get(s) or {})
                self.committed[s] = clone(state.get(s) or {})
            gone = sorted((int(e.get("seq") or 0), i, w) for i, (w, e) in enumerate(self.pending.items())
                          if not writer_alive(e))
            for _, _, w in gone:
                statefile.apply(sections, clone(self.pending[w].get("changes") or {}))
            finish_gone(self.pending)
            self.sim._index.rebuild(self.sim.resources)
            self.log_sig = statefile.log_signature(self.path)
            self.snapshot_size = _size(self.path)
            if self.generation is None or state.get("version") != statefile.VERSION:
                for _, _, w in gone:
                    self.pending.pop(w, None)
                self.compact(full=True)  # an older file (one JSON document): from now on a snapshot and its log
                return True
            applied = self._changes(set(self.sim.resources) | set(self.committed["resources"]))
            if gone or applied:
                record: dict[str, Any] = {"w": self.writer_id, "pid": os.getpid(), "set": applied}
                if gone:
                    record["resolved"] = [w for _, _, w in gone]
                self.offset = statefile.append(self.path, record)
                self.seq += 1
                statefile.replay({}, self.pending, record, self.seq)
                self._commit(applied)
                self.log_sig = statefile.log_signature(self.path)
            return True

    # ------------------------------------------------------------------ in-flight operations

    def settled_changes(self) -> statefile.Changes:
        """What the operations still in flight will have changed once they finish, cascades included: they
        are run to the end on the live state (their own callbacks, as if their time had come), what they
        touched is compared with the committed state and put back as it was. Deployments in flight are left
        out: on reload they end Canceled with what they created so far, as a cancelled ARM deployment does.
        Costs what the operations touch (and ``locks``/``extra``), not the state's size. Called right after
        a write, when the live state is the committed one."""
        sim = self.sim
        running = [op for op in sim._running.values() if not op.done and op.on_tick is None]
        if not running:
            return {}
        running_before = dict(sim._running)
        fields = {op.id: dict(vars(op)) for op in running_before.values()}
        n_requests, finished, fault = len(sim.requests), sim._finished_ops, getattr(sim, "_async_fault", None)
        self.touched = set()
        out: statefile.Changes | None = None
        try:
            for _ in range(8):
                todo = [op for op in sim._running.values() if not op.done and op.on_tick is None]
                if not todo:
                    break
                for op in todo:
                    try:
                        sim._finish(op)
                    except Exception:  # noqa: BLE001 - a callback that cannot run ahead of time is skipped
                        op.status = "Failed"
            out = self._changes(self.touched)
        finally:
            undo = out if out is not None else self._changes(self.touched)
            for s, keys in undo.items():
                for k in keys:
                    self._put_back(s, k, self.committed[s].get(k))
            sim._index.sync(sim.resources, undo.get("resources") or {})
            self.touched = set()
            for opid in [i for i in sim._running if i not in running_before]:  # started by a callback
                sim.ops.pop(opid, None)
            sim._running.clear()
            sim._running.update(running_before)
            for op in running_before.values():
                vars(op).update(fields[op.id])
            del sim.requests[n_requests:]
            sim._finished_ops, sim._async_fault = finished, fault
        return out


def writer_alive(entry: Any) -> bool:
    """Whether the process that recorded pending changes still runs. Another simulator of this same process
    counts as gone: in one process a second simulator on the file stands for a restart (tests)."""
    pid = entry.get("pid") if isinstance(entry, dict) else None
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    return statefile.pid_alive(pid)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
