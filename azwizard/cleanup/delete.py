"""Carry out a deletion plan: independent deletions concurrently, each resource's state as events, transient
faults retried, every "success" verified with a GET that answers 404 (preflight rule C7: a DELETE can report
success while the resource is still listed), and the run's journal updated before each request and after
each answer.

A partial failure leaves a clear report (deleted / not deleted and why / not attempted), and the same
selection can be planned and run again: what is already gone is shown as such and not sent again.

Whole-group deletion is one ARM operation that takes everything in the group, so it requires the group's
name typed back (preflight rule C2); a plan that deletes a VM, an AKS cluster or more than one resource
requires its :meth:`DeletionPlan.confirmation` typed back too. Without them nothing at all is sent.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..azure import ops
from ..azure.errors import AzwizardError, explain
from ..azure.session import ClientFactory
from ..journal import Journal
from ..paths import journal_dir
from ..run.dag import Cancelled, run_dag
from ..run.executor import is_transient
from ..specs.common import new_run_id
from . import backup
from .model import DISK, PROTECTED_ITEM, Cascade, is_group_id, within
from .order import DeleteOp, DeletionPlan

OpState = Literal["waiting", "deleting", "deleted", "failed", "skipped", "cancelled"]
EventState = Literal["deleting", "retrying", "verifying", "deleted", "failed", "skipped", "cancelled"]

# Azure's "still in use" answers: worth retrying when something this resource waited for was deleted a
# moment ago (NRP can take a few seconds to let go of a NIC after its VM is gone).
IN_USE_CODES = frozenset({
    "InUseSubnetCannotBeDeleted", "InUseNetworkSecurityGroupCannotBeDeleted", "InUseNatGatewayCannotBeDeleted",
    "PublicIPAddressCannotBeDeleted", "PublicIPAddressInUse", "NicInUse", "NicReservedForAnotherVm",
})


@dataclass(frozen=True)
class DeleteEvent:
    resource_id: str
    state: EventState
    label: str
    message: str = ""
    elapsed: float = 0.0
    attempt: int = 1
    error: AzwizardError | None = None


class GroupConfirmationRequired(AzwizardError):
    """A whole-group deletion without the group's name typed back: nothing was sent."""

    def __init__(self, groups: Iterable[str]) -> None:
        self.groups = tuple(groups)
        names = ", ".join(self.groups)
        super().__init__(
            f"Deleting a whole resource group needs its name typed to confirm ({names}); nothing was deleted",
            f"Type the group's name exactly as shown ({names}) to confirm, or delete single resources instead.",
            code="ConfirmationRequired",
        )


class ConfirmationRequired(AzwizardError):
    """A deletion of a costly resource or of several resources without its confirmation typed: nothing was
    sent."""

    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        super().__init__(
            f"This deletion needs '{phrase}' typed to confirm; nothing was deleted",
            f"Type {phrase} exactly as shown to confirm, or delete less at once.",
            code="ConfirmationRequired",
        )


class JournalBook:
    """The journal of each run a deletion touches (created when the run came from another machine); a
    cleanup journal for resources without a run."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or journal_dir()
        self._journals: dict[str, Journal] = {}
        self._lock = threading.Lock()
        self.cleanup_run_id = f"cleanup-{new_run_id()}"

    def for_run(self, run_id: str | None, journey: str | None = None) -> Journal:
        run = run_id or self.cleanup_run_id
        with self._lock:
            journal = self._journals.get(run)
            if journal is None:
                journal = self._journals[run] = Journal(run, journey or ("cleanup" if run_id is None else ""),
                                                        directory=self.directory)
            return journal


@dataclass
class DeletionResult:
    states: dict[str, OpState]  # by the operation's resource id
    errors: dict[str, AzwizardError] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)  # verified gone: operations and what went with them
    not_deleted: list[tuple[str, str]] = field(default_factory=list)  # (id, why): failed, blocked, still there
    not_attempted: list[tuple[str, str]] = field(default_factory=list)  # (id, why): waiting on others, cancelled
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.not_deleted and not self.not_attempted

    def retry_ids(self) -> set[str]:
        """What to select again for a re-run: everything not deleted or not attempted."""
        return {rid for rid, _ in self.not_deleted} | {rid for rid, _ in self.not_attempted}

    def report(self) -> list[str]:
        lines = [f"deleted: {rid}" for rid in self.deleted]
        lines += [f"not deleted: {rid} — {why}" for rid, why in self.not_deleted]
        lines += [f"not attempted: {rid} — {why}" for rid, why in self.not_attempted]
        return lines


@dataclass
class _Done:
    deleted: list[str]
    leftovers: list[tuple[str, str]]


class _Stop(Cancelled):
    pass


class Deleter:
    def __init__(
        self,
        factory: ClientFactory,
        journals: JournalBook | None = None,
        on_event: Callable[[DeleteEvent], None] | None = None,
        cancel: threading.Event | None = None,
        *,
        max_workers: int = 8,
        poll_interval: float = 0.25,
        transient_retries: int = 3,
        in_use_retries: int = 6,
        retry_delay: float = 5.0,
        verify_attempts: int = 6,
    ) -> None:
        self.factory = factory
        self.journals = journals or JournalBook()
        self.on_event = on_event
        self.cancel = cancel or threading.Event()
        self.max_workers = max_workers
        self.poll_interval = poll_interval
        self.transient_retries = transient_retries
        self.in_use_retries = in_use_retries
        self.retry_delay = retry_delay
        self.verify_attempts = verify_attempts

    # ------------------------------------------------------------------ public

    def run(self, plan: DeletionPlan, *, confirm_group_name: str | Iterable[str] | None = None,
            confirm: str | Iterable[str] | None = None) -> DeletionResult:
        """Delete what ``plan`` says. Raises :class:`GroupConfirmationRequired` (sending nothing) when a
        whole-group operation's name is not in ``confirm_group_name``, :class:`ConfirmationRequired` when the
        plan's :meth:`~DeletionPlan.confirmation` is in neither (the answers typed), and ``RunInProgress`` when
        a run it deletes from is still being applied (run/lock.py)."""
        confirmed: set[str] = set()
        for given in (confirm_group_name, confirm):
            confirmed |= {given} if isinstance(given, str) else set(given or ())
        confirmed = {c.strip() for c in confirmed}
        missing = [op.name for op in plan.ops if op.whole_group and op.name not in confirmed]
        if missing:
            raise GroupConfirmationRequired(missing)
        phrase = plan.confirmation()
        if phrase and phrase not in confirmed:
            raise ConfirmationRequired(phrase)
        from ..run.lock import RunInProgress, runs_in_progress

        busy = runs_in_progress({op.run_id for op in plan.ops}, self.journals.directory)
        if busy:  # its apply is still creating what this plan would delete
            raise RunInProgress(busy)
        t0 = time.monotonic()
        by_key = {op.key: op for op in plan.ops}
        skipped_for: dict[str, str] = {}

        def skipped(k: str, because: str) -> None:
            op, first = by_key[k], by_key[because]
            skipped_for[k] = f"not attempted: it waits for {first.label}, which was not deleted"
            self._emit(DeleteEvent(op.resource_id, "skipped", op.label, skipped_for[k]))

        def cancelled(k: str) -> None:
            op = by_key[k]
            self._emit(DeleteEvent(op.resource_id, "cancelled", op.label, "not started: cancelled"))

        outcome = run_dag(
            [op.key for op in plan.ops], {op.key: op.after for op in plan.ops},
            lambda k: self._delete(by_key[k], time.monotonic()),
            cancel=self.cancel, max_workers=self.max_workers, on_skip=skipped, on_cancel=cancelled,
            thread_name_prefix="azwizard-delete",
        )
        result = DeletionResult({}, elapsed=0.0)
        for k, state in outcome.states.items():
            op = by_key[k]
            if state == "succeeded":
                result.states[op.resource_id] = "deleted"
                done = outcome.results[k]
                result.deleted += done.deleted
                result.not_deleted += done.leftovers
            elif state == "failed":
                err = outcome.errors[k]
                error = err if isinstance(err, AzwizardError) else explain(err)
                result.states[op.resource_id] = "failed"
                result.errors[op.resource_id] = error
                result.not_deleted.append((op.resource_id, f"{error.what}. {error.fix}".strip()))
            elif state == "skipped":
                result.states[op.resource_id] = "skipped"
                result.not_attempted.append((op.resource_id, skipped_for.get(k, "not attempted")))
            else:
                result.states[op.resource_id] = "cancelled"
                result.not_attempted.append((op.resource_id, "cancelled; Azure may still finish an operation "
                                             "already sent (refresh to see)"))
        result.not_deleted += [(x.resource_id, f"{x.message} Fix: {x.fix}") for x in plan.blockers]
        result.not_attempted += [(h.resource_id, h.reason) for h in plan.held_back]
        result.elapsed = time.monotonic() - t0
        return result

    # ------------------------------------------------------------------ one operation

    def _delete(self, op: DeleteOp, started: float) -> _Done:
        journal = self.journals.for_run(op.run_id, op.journey)
        attempt = 1
        while True:
            journal.record("delete-requested", id=op.resource_id, kind=op.type, attempt=attempt,
                           whole_group=op.whole_group)
            self._emit(DeleteEvent(op.resource_id, "deleting", op.label, "deleting…",
                                   time.monotonic() - started, attempt))
            try:
                self._send(op)
                break
            except Cancelled:
                self._emit(DeleteEvent(op.resource_id, "cancelled", op.label,
                                       "stopped watching; Azure may still finish deleting it (refresh to see)",
                                       time.monotonic() - started, attempt))
                raise
            except Exception as exc:  # every failure becomes a clear message, never a traceback
                err = explain(exc)
                if _not_found(exc):
                    break  # already gone: verified below
                if self._retryable(exc, err, op, attempt):
                    self._emit(DeleteEvent(op.resource_id, "retrying", op.label,
                                           f"retrying after {err.code or 'a transient fault'}",
                                           time.monotonic() - started, attempt, err))
                    self._pause(attempt)
                    attempt += 1
                    continue
                exists = self._exists(op.type, op.resource_id)
                if exists is False:
                    break  # the operation failed, but the resource is gone anyway
                journal.record("delete-failed", id=op.resource_id, kind=op.type, code=err.code, message=err.what,
                               exists=exists)
                self._emit(DeleteEvent(op.resource_id, "failed", op.label, err.what, time.monotonic() - started,
                                       attempt, err))
                raise err from exc
        self._emit(DeleteEvent(op.resource_id, "verifying", op.label, "checking it is really gone…",
                               time.monotonic() - started, attempt))
        if not self._verified_gone(op):
            err = AzwizardError(
                f"Azure reported {op.label} deleted, but it is still there",
                "Refresh in a few minutes; if it is still listed, delete it again.",
                code="StillExists",
            )
            journal.record("delete-failed", id=op.resource_id, kind=op.type, code=err.code, message=err.what,
                           exists=True)
            self._emit(DeleteEvent(op.resource_id, "failed", op.label, err.what, time.monotonic() - started,
                                   attempt, err))
            raise err
        journal.record("deleted", id=op.resource_id, kind=op.type, verified=True)
        done = _Done([op.resource_id], [])
        # Groups first: what a group held is gone once the group is verified gone, even when azwizard has no GET
        # for its kind (an AKS node group's scale set, identity, load balancer).
        gone_scopes = [op.resource_id] if op.whole_group else []
        for c in sorted(op.with_it, key=lambda c: not is_group_id(c.resource_id)):
            self._went_with(op, c, done, gone_scopes)
        for c in op.keeps:
            if c.type.lower() == DISK and self._exists(c.type, c.resource_id):
                # An untagged disk the VM left behind: the journal keeps it findable from this machine.
                self.journals.for_run(op.run_id, op.journey).record(
                    "exists", id=c.resource_id, kind=c.type, left_by=op.resource_id)
        self._emit(DeleteEvent(op.resource_id, "deleted", op.label,
                               "deleted" + (f" with {len(op.with_it)} resource(s)" if op.with_it else ""),
                               time.monotonic() - started, attempt))
        return done

    def _send(self, op: DeleteOp) -> None:
        if op.kind == PROTECTED_ITEM:  # stop protection and delete the backup data (the user typed the vault)
            backup.purge(self.factory, op.resource_id, self.cancel, soft_delete_off=op.soft_delete_off,
                         poll_interval=self.poll_interval)
            return
        if op.whole_group:
            self._group_unchanged(op)
        result = ops.delete(self.factory, op.type, op.resource_id)
        if ops.is_poller(result):
            while not result.done():
                if self.cancel.is_set():
                    raise _Stop()
                result.wait(timeout=self.poll_interval)
            result.result()

    def _group_unchanged(self, op: DeleteOp) -> None:
        """A whole group goes only with what the plan showed in it. The plan may come from Azure Resource Graph,
        which reflects a change within seconds, not at once
        (https://learn.microsoft.com/azure/governance/resource-graph/overview), so the group is listed through
        ARM right before its DELETE; a resource that appeared since stops it, and nothing is sent."""
        shown = {c.resource_id.lower() for c in op.with_it} | {f.lower() for f in op.folded}
        name = op.name
        now = [str(r.id) for r in self.factory.resources().resources.list_by_resource_group(name)]
        new = sorted(r for r in now if r.lower() not in shown)
        if new:
            raise AzwizardError(
                f"Resource group {name} holds {len(new)} resource(s) the plan did not show "
                f"({', '.join(r.rsplit('/', 1)[-1] for r in new[:3])}{'…' if len(new) > 3 else ''}); "
                "it was not deleted.",
                "Refresh the list (or run `azwizard cleanup list`) to see what is in the group now, then decide again.",
                "GroupContentsChanged")

    def _went_with(self, op: DeleteOp, c: Cascade, done: _Done, gone_scopes: list[str]) -> None:
        inside = any(within(c.resource_id, scope) for scope in gone_scopes)
        if inside or self._exists(c.type, c.resource_id) is False:
            if is_group_id(c.resource_id):
                gone_scopes.append(c.resource_id)
            # Journal azwizard's own resources (in their run); not, say, what AKS kept in a node group.
            run = c.run_id or (None if op.whole_group else op.run_id)
            if run is not None:
                self.journals.for_run(run, c.journey or op.journey).record(
                    "deleted", id=c.resource_id, kind=c.type, via=op.resource_id, verified=not inside)
            done.deleted.append(c.resource_id)
        else:
            done.leftovers.append((c.resource_id, f"expected to go with {op.label}, but it is still there"))

    # ------------------------------------------------------------------ helpers

    def _retryable(self, exc: BaseException, err: AzwizardError, op: DeleteOp, attempt: int) -> bool:
        if is_transient(exc, err):
            return attempt <= self.transient_retries
        in_use = err.code in IN_USE_CODES or (err.code or "").startswith("InUse")
        return in_use and bool(op.after) and attempt <= self.in_use_retries

    def _pause(self, attempt: int) -> None:
        if self.cancel.wait(self.retry_delay * attempt):
            raise _Stop()

    def _exists(self, kind: str, resource_id: str) -> bool | None:
        try:
            return ops.get(self.factory, kind, resource_id) is not None
        except Exception:
            return None  # unknown

    def _verified_gone(self, op: DeleteOp) -> bool:
        """GET until Azure answers 404 (C7), a few times with growing pauses; backup data kept in soft delete
        (the user kept it on, or it is always on) counts as deleted."""
        for i in range(self.verify_attempts):
            if op.kind == PROTECTED_ITEM:
                if backup.purged(self.factory, op.resource_id, soft_delete_off=op.soft_delete_off):
                    return True
            elif self._exists(op.type, op.resource_id) is False:
                return True
            if self.cancel.wait(self.poll_interval * (i + 1)):
                raise _Stop()
        return False

    def _emit(self, event: DeleteEvent) -> None:
        if self.on_event is not None:
            with contextlib.suppress(Exception):  # a broken listener must not break the deletion
                self.on_event(event)


def _not_found(exc: BaseException) -> bool:
    from azure.core.exceptions import ResourceNotFoundError

    return isinstance(exc, ResourceNotFoundError)

