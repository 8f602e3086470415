"""Run a plan's steps as a dependency graph: every step whose dependencies are done starts at once
(independent resources are created concurrently), each waits on its long-running operation in bounded
steps so it stays cancellable, transient faults are retried, and the journal is written before each
request and after each answer.

Cancelling stops *watching*: an operation already accepted by Azure goes on there, and the journal
keeps it as ``requested`` so cleanup still considers it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..azure import ops
from ..azure.errors import AzwizardError, explain
from ..azure.session import ClientFactory
from ..journal import Journal
from ..plan.diff import PlanDiff, StepDiff, body_for_put
from ..plan.model import Plan, Step, UnresolvedOutput, resolve_outputs
from .attempt import Attempt
from .dag import Cancelled, run_dag
from .identity import differs, identity_of

StepState = Literal["waiting", "running", "succeeded", "existing", "failed", "skipped", "cancelled"]

# provisioningState values that mean Azure has finished with a resource; any other (Creating, Updating,
# Accepted, ...) means an operation is still running on it.
# https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations#provisioningstate-values
TERMINAL_STATES = frozenset({"succeeded", "failed", "canceled"})

# Error codes worth sending the same PUT again for (the SDK already retried HTTP-level 429/5xx;
# these arrive as a *failed operation*). https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
TRANSIENT_CODES = frozenset({
    "InternalServerError", "ServiceUnavailable", "TooManyRequests", "RetryableError", "GatewayTimeout",
    "InternalOperationError", "OperationPreempted", "AnotherOperationInProgress", "RetryableErrorInternal",
    # a resource this one references is still updating ("Resource is in Updating state": hashicorp/terraform#7986)
    "ReferencedResourceNotProvisioned",
})


@dataclass(frozen=True)
class StepEvent:
    key: str
    state: StepState
    label: str
    resource_id: str
    elapsed: float = 0.0
    message: str = ""
    error: AzwizardError | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1


@dataclass
class RunResult:
    run_id: str
    states: dict[str, StepState]
    errors: dict[str, AzwizardError]
    outputs: dict[str, dict[str, Any]]
    elapsed: float
    step_seconds: dict[str, float]
    # Steps whose operation Azure had accepted when the run stopped watching: they go on in Azure, and a
    # re-run watches them instead of sending them again.
    in_flight: list[str] = field(default_factory=list)
    # The ARM error ``target`` of each failure, when Azure named one (e.g. "adminUsername").
    targets: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(s in ("succeeded", "existing") for s in self.states.values())

    @property
    def failed(self) -> list[str]:
        return [k for k, s in self.states.items() if s == "failed"]

    @property
    def not_started(self) -> list[str]:
        """Steps never sent: skipped after a failure, or not started when the run stopped watching."""
        return [k for k, s in self.states.items() if s in ("skipped", "cancelled") and k not in self.in_flight]


class _Cancelled(Cancelled):
    pass


class Runner:
    def __init__(
        self,
        factory: ClientFactory,
        journal: Journal,
        *,
        max_workers: int = 8,
        poll_interval: float = 0.25,
        transient_retries: int = 2,
        retry_delay: float | None = None,
        on_event: Callable[[StepEvent], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.factory = factory
        self.journal = journal
        self.max_workers = max_workers
        self.poll_interval = poll_interval
        self.transient_retries = transient_retries
        # Before sending a step again after a transient fault: the answer's Retry-After, else this times the
        # attempt (ARM's guidance: https://learn.microsoft.com/azure/azure-resource-manager/management/
        # request-limits-and-throttling#error-code; an AnotherOperationInProgress or a referenced resource still
        # updating clears once that operation ends, never at once). Default: 8 polls.
        self.retry_delay = poll_interval * 8 if retry_delay is None else retry_delay
        self.on_event = on_event
        self.cancel = cancel or threading.Event()

    # ------------------------------------------------------------------ public

    def run_attempt(self, attempt: Attempt) -> RunResult:
        """Create an attempt's plan, as both front ends do: its diff decides what each step does, its meta goes
        into the journal (see :meth:`run`)."""
        if attempt.plan is None:
            raise ValueError("the attempt has no plan yet")
        return self.run(attempt.plan, diff=attempt.diff, meta=attempt.meta or None)

    def run(self, plan: Plan, *, resume: bool = True, diff: PlanDiff | None = None,
            meta: Mapping[str, Any] | None = None) -> RunResult:
        """Create the plan. With ``diff`` (run/preflight.py read_plan), each step does what the diff says:
        nothing for an unchanged resource, never a PUT for a conflict or an unreadable one, the PUT with the
        resource's own run tags for an update of an earlier run's resource, and a poll of the operation an
        interrupted run left in flight instead of a second PUT. ``meta`` goes into the journal's plan event
        (what a resume needs: the creation time, the random IPv6 prefix, the profile)."""
        from .lock import journey_lock
        from .preflight import MAIN_STEP, plan_identity

        # One apply per journey at a time (run/lock.py): JourneyBusy, before anything is journaled or sent,
        # when another process applies the same VM or cluster.
        main = next((s.name for s in plan.steps if s.key == MAIN_STEP.get(plan.journey)), "")
        with journey_lock(plan_identity(plan), plan.run_id, name=main):
            self._fresh(plan, diff)
            return self._run(plan, resume=resume, diff=diff, meta=meta)

    def _fresh(self, plan: Plan, diff: PlanDiff | None) -> None:
        """A diff read before another run of the journey ran (the wizard's review stays open while a headless
        apply runs) is out of date: what it shows absent may be that run's now. Nothing is sent on it."""
        from .preflight import plan_identity, runs_since

        if diff is None or not diff.read_at:
            return
        others = runs_since(plan_identity(plan), diff.read_at, plan.run_id, self.journal.directory)
        if others:
            raise AzwizardError(f"Another run of this journey ({', '.join(others)}) ran since the plan was read; "
                                "nothing was sent", "Read the plan again (go back to the review, or run the "
                                "command again) to see what exists now.", code="PlanOutdated")

    def _run(self, plan: Plan, *, resume: bool, diff: PlanDiff | None, meta: Mapping[str, Any] | None) -> RunResult:
        from .preflight import plan_identity

        t0 = time.monotonic()
        self.journal.record(
            "plan", location=plan.location, subscription=plan.subscription_id, identity=plan_identity(plan),
            meta=dict(meta or {}),
            steps=[{"step": s.key, "id": s.resource_id, "kind": s.kind} for s in plan.steps],
        )
        self._in_flight: set[str] = set()
        self._targets: dict[str, str] = {}
        self._replaced: dict[str, str] = {}  # step -> why the resource of its name is no longer this run's
        # What this run's journal shows created and a read confirms: never sent again, even when ``diff`` is
        # older than that (a retry after a failure re-uses the review's diff). What it shows sent and still
        # provisioning is watched, not sent again.
        done_before, still_running = self._already_created(plan) if resume else ({}, set())
        entries = diff.by_key() if diff is not None else {}
        steps = {s.key: s for s in plan.steps}
        existing: set[str] = set()
        # Outputs of finished steps, for bodies that refer to them (plan/model.py output refs). A step
        # starts only after its dependencies' work returned, so their outputs are already here.
        produced: dict[str, dict[str, Any]] = {}
        produced_lock = threading.Lock()

        def keep(key: str, out: dict[str, Any]) -> dict[str, Any]:
            with produced_lock:
                produced[key] = {k: v for k, v in out.items() if k != "_seconds"}
            return out

        def work(key: str) -> dict[str, Any]:
            step = steps[key]
            entry = entries.get(key)
            resumed = None
            if entry is not None and entry.action in ("conflict", "unknown"):
                self._refuse(step, entry)
            if key in self._replaced:  # the last guard, also without a diff (run/identity.py)
                self._refuse(step, StepDiff(step.key, step.label, step.kind, step.resource_id, "conflict",
                                            reason=self._replaced[key],
                                            fix=f"Choose another name, or take it over with --adopt {step.name}."))
            if step.patch_of:  # a read-modify-write of a resource an earlier step made: read now, never journaled
                return keep(key, self._patch(step, time.monotonic()))  # as its maker (the resource stays that step's)
            done = key in done_before and (entry is None or entry.action != "update")
            if not done and entry is not None and entry.pending:
                resumed = self._resume_pending(step, entry)
            if done:
                existing.add(key)
                self._emit(StepEvent(key, "existing", step.label, step.resource_id,
                                     message="already created by this run"))
                out = dict(done_before[key])
            elif resumed is not None:
                out = resumed
            elif key in still_running:
                out = self._watch(step, time.monotonic())
            elif entry is not None and entry.action == "unchanged":
                existing.add(key)
                out = self._unchanged(step, entry)
            else:
                with produced_lock:
                    inputs = {d: dict(produced.get(d, {})) for d in step.depends_on}
                out = self._execute(step, time.monotonic(), inputs, entry)
            return keep(key, out)

        def skipped(key: str, _because: str) -> None:
            step = steps[key]
            # a change to a resource an earlier step made is not that resource's state (it stays its maker's)
            self.journal.record("configure-skipped" if step.patch_of else "skipped", step=key, id=step.resource_id,
                                kind=step.kind, reason="a resource it needs was not created")
            self._emit(StepEvent(key, "skipped", step.label, step.resource_id,
                                 message="not started: a resource it needs was not created"))

        def cancelled(key: str) -> None:
            step = steps[key]
            self._emit(StepEvent(key, "cancelled", step.label, step.resource_id, message="not started: cancelled"))

        outcome = run_dag(
            [s.key for s in plan.steps], {s.key: s.depends_on for s in plan.steps}, work,
            cancel=self.cancel, max_workers=self.max_workers, on_skip=skipped, on_cancel=cancelled,
            thread_name_prefix="azwizard-run",
        )
        states: dict[str, StepState] = {}
        outputs: dict[str, dict[str, Any]] = {}
        seconds: dict[str, float] = {}
        for key, state in outcome.states.items():
            if state == "succeeded":
                out = outcome.results[key]
                if key in existing:
                    states[key] = "existing"
                else:
                    states[key] = "succeeded"
                    seconds[key] = out.pop("_seconds", 0.0)
                outputs[key] = out
            else:
                states[key] = state
        errors = {k: e if isinstance(e, AzwizardError) else explain(e) for k, e in outcome.errors.items()}
        in_flight = [s.key for s in plan.topological() if s.key in self._in_flight and states.get(s.key) == "cancelled"]
        result = RunResult(plan.run_id, states, errors, outputs, time.monotonic() - t0, seconds, in_flight,
                           {k: v for k, v in self._targets.items() if k in errors})
        self.journal.record("finished", ok=result.ok, states=dict(states))
        return result

    # ------------------------------------------------------------------ one step

    def _execute(self, step: Step, started: float, inputs: dict[str, dict[str, Any]] | None = None,
                 entry: StepDiff | None = None) -> dict[str, Any]:
        body = self._body(step, inputs or {}, body_for_put(step, entry))
        # An earlier run's resource stays that run's: its events say "update", so neither cleanup nor a later
        # diff takes this run for its maker.
        update = _updates_other(entry)
        prefix = "update-" if update else ""
        if entry is not None and entry.adopted:
            self.journal.record("adopted", step=step.key, id=step.resource_id, kind=step.kind,
                                tags=dict(entry.owner.tags) if entry.owner else {},
                                identity=identity_of(step.kind, entry.current))
        verb = "updating…" if entry is not None and entry.action == "update" else "creating…"
        # Every update carries the etag read as If-Match, where the provider returns one (azure-rest-api-specs):
        # every Microsoft.Network resource ("etag": "A unique read-only string that changes whenever the resource
        # is updated"); Compute VMs from 2023-09-01 (virtualMachine.json "etag": "returned in Create/Update/Get
        # response of the VM, so that customer can supply it in the header to ensure optimistic updates"); AKS
        # clusters ("eTag": "Specify an if-match or if-none-match header with the eTag value for a subsequent
        # request to enable optimistic concurrency"); Recovery Services vaults ("etag"). Resource groups,
        # disks and registries have none. A resource changed since the plan read it is answered 412 and
        # nothing is written over the change
        # (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/Addendum.md#etags-for-resources).
        if_match = entry.etag if entry is not None and entry.action == "update" else ""
        attempt = 1
        while True:
            self.journal.record(f"{prefix}requested", step=step.key, id=step.resource_id, kind=step.kind,
                                attempt=attempt)
            self._emit(StepEvent(step.key, "running", step.label, step.resource_id,
                                 time.monotonic() - started, verb, attempt=attempt))
            try:
                result = ops.create(self.factory, step.kind, step.resource_id, body, if_match=if_match)
                if ops.is_poller(result):
                    url = ops.polling_url(result)
                    if url:
                        self.journal.record(f"{prefix}accepted", step=step.key, id=step.resource_id, kind=step.kind,
                                            operation=url)
                    while not result.done():
                        if self.cancel.is_set():
                            raise _Cancelled()
                        result.wait(timeout=self.poll_interval)
                    result = result.result()
                wire = ops.wire(result)
                out = outputs_of(step.kind, wire)
                elapsed = time.monotonic() - started
                done = "updated" if update else "created"
                # A confirmed create records the identity Azure gave the resource (run/identity.py): the proof,
                # later, that the resource of this name is still the one this run made.
                self.journal.record(done, step=step.key, id=step.resource_id, kind=step.kind, **out,
                                    **({"owner": entry.owner.run_id} if update and entry and entry.owner else
                                       {"identity": identity_of(step.kind, wire)}))
                self._emit(StepEvent(step.key, "succeeded", step.label, step.resource_id, elapsed,
                                     "updated" if entry is not None and entry.action == "update" else "created",
                                     outputs=out, attempt=attempt))
                return {**out, "_seconds": elapsed}
            except _Cancelled:
                self._in_flight.add(step.key)
                self._emit(StepEvent(step.key, "cancelled", step.label, step.resource_id,
                                     time.monotonic() - started,
                                     "stopped watching; Azure may still finish creating it (cleanup will check)"))
                raise
            except Exception as exc:  # every failure becomes a clear message, never a traceback
                err = explain(exc)
                if is_transient(exc, err) and attempt <= self.transient_retries:
                    attempt += 1
                    wait = self.retry_wait(exc, attempt)
                    self._emit(StepEvent(step.key, "running", step.label, step.resource_id,
                                         time.monotonic() - started, f"retrying after {err.code or 'a transient fault'}"
                                         f" in {wait:.0f} s", attempt=attempt))
                    self._wait_to_send_again(step, started, wait, exc, " (cleanup will check)")
                    continue
                if if_match and is_precondition_failed(exc, err):
                    landed = self._landed(step, body)
                    if landed is not None:  # our own PUT went through and its answer was lost (then a retry: 412)
                        out = outputs_of(step.kind, landed)
                        elapsed = time.monotonic() - started
                        self.journal.record("updated" if update else "created", step=step.key, id=step.resource_id,
                                            kind=step.kind, **out,
                                            **({"owner": entry.owner.run_id} if update and entry and entry.owner
                                               else {}))
                        self._emit(StepEvent(step.key, "succeeded", step.label, step.resource_id, elapsed, "updated",
                                             outputs=out, attempt=attempt))
                        return {**out, "_seconds": elapsed}
                    err = changed_since_read(step)
                target = arm_target(exc)
                if target:
                    self._targets[step.key] = target
                if update:
                    self.journal.record("update-failed", step=step.key, id=step.resource_id, kind=step.kind,
                                        code=err.code, message=err.what)
                elif entry is not None and entry.adopted:
                    # It was there before and the take-over did not happen: still not this run's, so cleanup
                    # does not delete it (the user's word was to adopt it as planned, not to delete it as is).
                    self.journal.record("adopt-failed", step=step.key, id=step.resource_id, kind=step.kind,
                                        code=err.code, message=err.what)
                else:
                    exists, found = self._exists(step)
                    self.journal.record("failed", step=step.key, id=step.resource_id, kind=step.kind,
                                        code=err.code, message=err.what, exists=exists,
                                        **({"identity": identity_of(step.kind, found)} if found else {}))
                self._emit(StepEvent(step.key, "failed", step.label, step.resource_id,
                                     time.monotonic() - started, err.what, error=err, attempt=attempt))
                raise err from exc

    def _patch(self, step: Step, started: float) -> dict[str, Any]:
        """A step that changes a resource an earlier step made (``Step.patch_of``): read it as it is now, merge the
        step's changes over it (read-only properties left out, plan/diff.py merge) and PUT the whole resource back
        with If-Match on the etag read, as ``az aks update`` does (GET, change, PUT). Nothing is sent when it
        already is as asked (a resumed run). Journaled as ``configure-*``: the resource stays its maker's."""
        from ..azure.readonly import etag_of, writable
        from ..plan.diff import compare, merge

        attempt = 1
        while True:
            self._emit(StepEvent(step.key, "running", step.label, step.resource_id, time.monotonic() - started,
                                 "reading it, then updating…", attempt=attempt))
            current = self._read_back(step)
            if current is not None:
                current = self._wait_provisioned(step, current)
            if current is None:
                err = AzwizardError(f"{step.label}: the resource it changes could not be read",
                                    "Retry: it is read again (cleanup still lists what the run made).")
                self.journal.record("configure-failed", step=step.key, id=step.resource_id, kind=step.kind,
                                    code=err.code, message=err.what)
                raise self._emit_failed(step, started, err)
            # Still the resource this run made (run/identity.py)? Deleted and re-made by someone since the maker
            # step, it is theirs: nothing is sent.
            made = self.journal.resources().get(step.resource_id.lower())
            why = differs(made.detail.get("identity") if made is not None else None, current, step.kind)
            if why:
                self._refuse(step, StepDiff(step.key, step.label, step.kind, step.resource_id, "conflict",
                                            reason=f"re-created since this run made it: {why}",
                                            fix="It is not this run's any more: nothing of it was changed. Check "
                                                "who made it (the activity log) before changing it by hand."))
            if not compare(step.body, current):
                out = outputs_of(step.kind, current)
                self.journal.record("configured", step=step.key, id=step.resource_id, kind=step.kind, changed=False)
                self._emit(StepEvent(step.key, "succeeded", step.label, step.resource_id,
                                     time.monotonic() - started, "already as asked: nothing sent", outputs=out))
                return {**out, "_seconds": time.monotonic() - started}
            body = merge(step.body, writable(step.kind, current))
            etag = etag_of(current)
            self.journal.record("configure-requested", step=step.key, id=step.resource_id, kind=step.kind,
                                attempt=attempt)
            try:
                result = ops.create(self.factory, step.kind, step.resource_id, body, if_match=etag)
                if ops.is_poller(result):
                    while not result.done():
                        if self.cancel.is_set():
                            raise _Cancelled()
                        result.wait(timeout=self.poll_interval)
                    result = result.result()
            except _Cancelled:
                self._in_flight.add(step.key)
                self._emit(StepEvent(step.key, "cancelled", step.label, step.resource_id, time.monotonic() - started,
                                     "stopped watching; Azure may still finish the update"))
                raise
            except Exception as exc:  # every failure becomes a clear message, never a traceback
                err = explain(exc)
                if (is_transient(exc, err) or (etag and is_precondition_failed(exc, err))) and \
                        attempt <= self.transient_retries:
                    attempt += 1  # a 412: someone (AKS itself) changed it since the read: read it again
                    if is_transient(exc, err):
                        self._wait_to_send_again(step, started, self.retry_wait(exc, attempt), exc)
                    continue
                if etag and is_precondition_failed(exc, err):
                    err = changed_since_read(step)
                self.journal.record("configure-failed", step=step.key, id=step.resource_id, kind=step.kind,
                                    code=err.code, message=err.what)
                raise self._emit_failed(step, started, err) from exc
            out = outputs_of(step.kind, ops.wire(result))
            self.journal.record("configured", step=step.key, id=step.resource_id, kind=step.kind, changed=True)
            elapsed = time.monotonic() - started
            self._emit(StepEvent(step.key, "succeeded", step.label, step.resource_id, elapsed, "updated",
                                 outputs=out, attempt=attempt))
            return {**out, "_seconds": elapsed}

    def retry_wait(self, exc: BaseException, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt`` (2, 3, …): the Retry-After Azure answered (capped at a
        minute), else ``retry_delay`` times the attempts so far."""
        response = getattr(exc, "response", None)
        header = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
        try:
            return min(60.0, max(0.0, float(header))) if header else self.retry_delay * (attempt - 1)
        except ValueError:  # an HTTP date: not sent by ARM for these
            return self.retry_delay * (attempt - 1)

    def _wait_to_send_again(self, step: Step, started: float, wait: float, exc: BaseException,
                            cleanup: str = "") -> None:
        """Wait ``wait`` seconds before sending ``step`` again; stopped meanwhile, nothing more is sent and the step
        counts as in flight (the earlier attempt may have landed)."""
        if self.cancel.wait(wait):
            self._in_flight.add(step.key)
            self._emit(StepEvent(step.key, "cancelled", step.label, step.resource_id, time.monotonic() - started,
                                 f"stopped before sending it again; Azure may still have the earlier attempt{cleanup}"))
            raise _Cancelled() from exc

    def _emit_failed(self, step: Step, started: float, err: AzwizardError) -> AzwizardError:
        self._emit(StepEvent(step.key, "failed", step.label, step.resource_id, time.monotonic() - started, err.what,
                             error=err))
        return err

    def _landed(self, step: Step, body: Any) -> dict[str, Any] | None:
        """After a 412: the resource as read now when it already is exactly what ``body`` asked for (a PUT of
        ours that Azure applied before its answer was lost; the SDK's retry of it then carries a stale etag),
        else None (someone else changed it)."""
        from ..azure.readonly import writable
        from ..plan.diff import compare

        current = self._read_back(step)
        if current is None:
            return None
        if compare(body, writable(step.kind, current)):
            return None
        return self._wait_provisioned(step, current)

    def _refuse(self, step: Step, entry: StepDiff) -> None:
        """A conflict or an unreadable resource is never sent (the front ends block before; this is the last
        guard)."""
        what = "in conflict" if entry.action == "conflict" else "could not be read"
        err = AzwizardError(f"{step.label} was not sent: it {what} ({entry.reason})", entry.fix)
        self.journal.record("configure-skipped" if step.patch_of else "skipped", step=step.key, id=step.resource_id,
                            kind=step.kind, reason=entry.action)
        self._emit(StepEvent(step.key, "failed", step.label, step.resource_id, message=err.what, error=err))
        raise err

    def _unchanged(self, step: Step, entry: StepDiff) -> dict[str, Any]:
        """Nothing to send: the resource already is as planned. The journal says who owns it."""
        started = time.monotonic()
        current = self._wait_provisioned(step, dict(entry.current or {}))
        relation = entry.owner.relation if entry.owner is not None else "this-run"
        if current is None:  # read while an operation ran, and gone since
            err = AzwizardError(f"{step.label}: it was there when read, and is gone now; nothing was sent",
                                "Run it again: what is missing is planned and created then.")
            self.journal.record("skipped", step=step.key, id=step.resource_id, kind=step.kind, reason="gone")
            raise self._emit_failed(step, started, err)
        state = str((current.get("properties") or {}).get("provisioningState") or "Succeeded")
        if state.lower() in ("failed", "canceled"):  # read while an operation ran, and it did not succeed
            ours = relation in ("this-run", "adopted")
            err = AzwizardError(
                f"{step.label}: the operation running on it when it was read ended {state}; nothing was sent to it",
                "Run it again: a resource of this run in a failed state is planned as an update and sent again."
                if ours else "It is not this run's: fix it where it was made, or choose another name.")
            if ours:
                self.journal.record("failed", step=step.key, id=step.resource_id, kind=step.kind, exists=True,
                                    code=state, message=err.what)
            else:
                self.journal.record("skipped", step=step.key, id=step.resource_id, kind=step.kind, reason=state)
            raise self._emit_failed(step, started, err)
        out = outputs_of(step.kind, current)
        if relation in ("same-journey", "foreign"):
            self.journal.record("unchanged", step=step.key, id=step.resource_id, kind=step.kind,
                                owner=entry.owner.run_id if entry.owner else None)
        elif relation == "adopted":
            self.journal.record("adopted", step=step.key, id=step.resource_id, kind=step.kind,
                                identity=identity_of(step.kind, current))
        else:  # this run made it before it was interrupted, and the read shows it finished
            self.journal.record("created", step=step.key, id=step.resource_id, kind=step.kind, confirmed=True,
                                identity=identity_of(step.kind, current), **out)
        self._emit(StepEvent(step.key, "existing", step.label, step.resource_id,
                             message="unchanged: nothing sent", outputs=out))
        return out

    def _wait_provisioned(self, step: Step, current: dict[str, Any]) -> dict[str, Any] | None:
        """An existing resource still being provisioned (an interrupted run's PUT): wait until it is done,
        reading it again, so what depends on it does not start too early. None: it is gone since (a read that
        fails is tried again, up to the transient retries; then the last read stands)."""
        failed_reads = 0
        while str((current.get("properties") or {}).get("provisioningState") or "Succeeded").lower() not in (
                "succeeded", "failed", "canceled"):
            if self.cancel.is_set():
                raise _Cancelled()
            self.cancel.wait(self.poll_interval)
            try:
                model = ops.get(self.factory, step.kind, step.resource_id)
            except Exception:
                failed_reads += 1
                if failed_reads > self.transient_retries:
                    break
                continue
            if model is None:
                return None
            failed_reads = 0
            current = ops.wire(model)
        return current

    def _resume_pending(self, step: Step, entry: StepDiff) -> dict[str, Any] | None:
        """Poll the operation an interrupted run left in flight. Its outputs when it succeeded; None when
        Azure no longer knows it or it failed (then the step goes on as the diff says: nothing, or the PUT)."""
        update = _updates_other(entry)
        started = time.monotonic()
        self._emit(StepEvent(step.key, "running", step.label, step.resource_id, 0.0,
                             "resuming: polling the operation the interrupted run started"))
        while True:
            if self.cancel.is_set():  # the operation goes on in Azure: the result says so, not "not started"
                self._in_flight.add(step.key)
                self._emit(StepEvent(step.key, "cancelled", step.label, step.resource_id, time.monotonic() - started,
                                     "stopped watching; Azure may still finish creating it (cleanup will check)"))
                raise _Cancelled()
            try:
                status = ops.operation_status(self.factory, step.kind, entry.pending)
            except Exception:
                return None
            if status is None:
                return None
            if status.lower() in ("succeeded", "failed", "canceled"):
                break
            self.cancel.wait(self.poll_interval)
        if status.lower() != "succeeded":
            return None
        wire = self._read_back(step)
        if wire is None:
            return None
        out = outputs_of(step.kind, wire)
        elapsed = time.monotonic() - started
        self.journal.record("updated" if update else "created", step=step.key, id=step.resource_id, kind=step.kind,
                            resumed=True, **out, **({} if update else {"identity": identity_of(step.kind, wire)}))
        self._emit(StepEvent(step.key, "succeeded", step.label, step.resource_id, elapsed,
                             "created (the interrupted run's operation finished)", outputs=out))
        return {**out, "_seconds": elapsed}

    def _body(self, step: Step, inputs: dict[str, dict[str, Any]], body: Any = None) -> Any:
        """The step's body (or ``body``, the diff's version of it) with run-time values filled in."""
        body = step.body if body is None else body
        if not step.needs_outputs:
            return body
        try:
            return resolve_outputs(body, inputs)
        except UnresolvedOutput as exc:
            err = AzwizardError(f"{step.label or step.key} needs a value the step before it did not return "
                                f"({exc.args[0]})", "Run the plan again; if it persists, report it.")
            self.journal.record("failed", step=step.key, id=step.resource_id, kind=step.kind, code=None,
                                message=err.what, exists=False)
            self._emit(StepEvent(step.key, "failed", step.label, step.resource_id, message=err.what, error=err))
            raise err from exc

    def _exists(self, step: Step) -> tuple[bool | None, dict[str, Any] | None]:
        """After a failure, does the resource exist anyway (e.g. a VM left in Failed state)? With its body, whose
        identity the journal keeps: the rerun re-sends it as this run's."""
        try:
            model = ops.get(self.factory, step.kind, step.resource_id)
        except Exception:
            return None, None  # unknown: the journal keeps "failed" with exists unknown
        return (model is not None), (ops.wire(model) if model is not None else None)

    def _read_back(self, step: Step) -> dict[str, Any] | None:
        """The resource as Azure has it now (wire JSON); None when it is gone or could not be read."""
        try:
            model = ops.get(self.factory, step.kind, step.resource_id)
        except Exception:
            return None
        return None if model is None else ops.wire(model)

    def _already_created(self, plan: Plan) -> tuple[dict[str, dict[str, Any]], set[str]]:
        """Steps this run already created, confirmed by reading them back (so a re-run sends nothing twice),
        with their outputs as read back (later steps may need them, e.g. the cluster's kubelet identity); and
        the steps whose operation is still running in Azure (sent before the run stopped watching): a re-run
        watches those instead of sending them again."""
        known = self.journal.resources()
        done: dict[str, dict[str, Any]] = {}
        running: set[str] = set()
        for step in plan.steps:
            if step.patch_of:
                continue  # read and compared when it runs (Runner._patch)
            st = known.get(step.resource_id.lower())
            if st is None or st.state not in ("created", "requested", "accepted"):
                continue
            body = self._read_back(step)
            if body is None:
                continue  # never created (or deleted since), or unreadable: send it
            why = differs(st.detail.get("identity"), body, step.kind)
            if why:  # deleted and re-created by someone else since this run made it: never this run's
                self._replaced[step.key] = f"re-created since this run made it: {why}"
                continue
            state = str((body.get("properties") or {}).get("provisioningState", "Succeeded")).lower()
            if state == "succeeded":
                done[step.key] = outputs_of(step.kind, body)
                if st.state != "created":  # sent, then the run stopped before it saw the end: the read confirms it
                    self.journal.record("created", step=step.key, id=step.resource_id, kind=step.kind,
                                        confirmed=True, identity=identity_of(step.kind, body), **done[step.key])
            elif state not in TERMINAL_STATES:
                running.add(step.key)
        return done, running

    def _watch(self, step: Step, started: float) -> dict[str, Any]:
        """Wait for a resource whose create was sent earlier and is still running in Azure, by reading it (a GET
        every poll interval) until its provisioningState is final, without sending it again."""
        self._emit(StepEvent(step.key, "running", step.label, step.resource_id, 0.0,
                             "still being created in Azure (sent earlier): watching it, not sending it again"))
        while True:
            if self.cancel.is_set():
                self._in_flight.add(step.key)
                self._emit(StepEvent(step.key, "cancelled", step.label, step.resource_id,
                                     time.monotonic() - started,
                                     "stopped watching; Azure may still finish creating it (cleanup will check)"))
                raise _Cancelled()
            try:
                model = ops.get(self.factory, step.kind, step.resource_id)
            except Exception as exc:
                err = explain(exc)
                if is_transient(exc, err):
                    time.sleep(self.poll_interval)
                    continue
                raise self._failed(step, started, err, exists=None) from exc
            if model is None:
                err = AzwizardError(f"{step.label} disappeared while Azure was creating it",
                                    "Retry: it will be sent again.")
                raise self._failed(step, started, err, exists=False)
            body = ops.wire(model)
            state = str((body.get("properties") or {}).get("provisioningState", "Succeeded")).lower()
            if state == "succeeded":
                out = outputs_of(step.kind, body)
                elapsed = time.monotonic() - started
                self.journal.record("created", step=step.key, id=step.resource_id, kind=step.kind,
                                    identity=identity_of(step.kind, body), **out)
                self._emit(StepEvent(step.key, "succeeded", step.label, step.resource_id, elapsed, "created",
                                     outputs=out))
                return {**out, "_seconds": elapsed}
            if state in TERMINAL_STATES:
                err = AzwizardError(f"Azure finished creating {step.label}, but it ended {state.capitalize()}",
                                    "Look at its Activity log in the portal, fix the setting it names, then retry "
                                    "(it will be sent again).", code=f"ProvisioningState{state.capitalize()}")
                raise self._failed(step, started, err, exists=True, body=body)
            time.sleep(self.poll_interval)

    def _failed(self, step: Step, started: float, err: AzwizardError, *, exists: bool | None,
                body: dict[str, Any] | None = None) -> AzwizardError:
        self.journal.record("failed", step=step.key, id=step.resource_id, kind=step.kind, code=err.code,
                            message=err.what, exists=exists,
                            **({"identity": identity_of(step.kind, body)} if body else {}))
        self._emit(StepEvent(step.key, "failed", step.label, step.resource_id, time.monotonic() - started, err.what,
                             error=err))
        return err

    def _emit(self, event: StepEvent) -> None:
        if self.on_event is not None:
            with contextlib.suppress(Exception):  # a broken listener must not break the run
                self.on_event(event)


def _updates_other(entry: StepDiff | None) -> bool:
    """Whether the step updates a resource this run did not make: an earlier run's of the same journey, or one
    azwizard does not own at all (``vm add-ipv6`` adds to the user's VNet and NIC). Its journal events say
    "update", so cleanup never takes this run for its maker."""
    return entry is not None and entry.owner is not None and entry.owner.relation in ("same-journey", "foreign")


def arm_target(exc: BaseException) -> str:
    """The ``target`` of an ARM error (the parameter it is about, e.g. "adminUsername"), or of its first detail
    (deployments wrap the provider's error): https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md#error-response-content"""
    error = getattr(exc, "error", None)
    if error is None:
        return ""
    target = getattr(error, "target", None)
    if not target:
        for detail in getattr(error, "details", None) or []:
            target = getattr(detail, "target", None)
            if target:
                break
    return str(target or "")


PRECONDITION_FAILED = "PreconditionFailed"


def is_precondition_failed(exc: BaseException, err: AzwizardError) -> bool:
    """Azure's 412: the If-Match etag is not the resource's any more (it changed after it was read)."""
    return getattr(exc, "status_code", None) == 412 or err.code == PRECONDITION_FAILED


def changed_since_read(step: Step) -> AzwizardError:
    return AzwizardError(
        f"{step.label} changed in Azure after the plan read it, so the update was not applied: Azure refused it "
        "(412, the etag read no longer matches) and nothing was written over the change",
        "Plan again to see the resource as it is now and what the update would change, then apply again (in the "
        "wizard: e goes back to the review, which reads it again).",
        code=PRECONDITION_FAILED)


def is_transient(exc: BaseException, err: AzwizardError) -> bool:
    """A fault worth sending the same request again for: a dropped connection or a transient ARM code."""
    from azure.core.exceptions import ServiceRequestError, ServiceResponseError

    if isinstance(exc, ServiceRequestError | ServiceResponseError):
        return True
    return err.code in TRANSIENT_CODES


def outputs_of(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The facts worth keeping from a created resource (addresses, FQDNs, ids), journal-safe."""
    props = body.get("properties") or {}
    out: dict[str, Any] = {"provisioningState": props.get("provisioningState", "Succeeded")}
    k = kind.lower()
    if k == "microsoft.network/publicipaddresses":
        out["ipAddress"] = props.get("ipAddress")
        out["version"] = props.get("publicIPAddressVersion")
    elif k == "microsoft.network/networkinterfaces":
        out["privateIPs"] = [c.get("properties", {}).get("privateIPAddress") for c in props.get("ipConfigurations", [])]
    elif k == "microsoft.compute/virtualmachines":
        out["vmId"] = props.get("vmId")
    elif k == "microsoft.containerservice/managedclusters":
        out["fqdn"] = props.get("fqdn")
        if props.get("privateFQDN"):  # a private API server (reachable from the cluster's network only)
            out["privateFQDN"] = props["privateFQDN"]
        out["nodeResourceGroup"] = props.get("nodeResourceGroup")
        # The identities later steps grant roles to: the kubelet's (pulls images: AcrPull) and the cluster's.
        kubelet = (props.get("identityProfile") or {}).get("kubeletidentity") or {}
        out["kubeletObjectId"] = kubelet.get("objectId")
        out["principalId"] = (body.get("identity") or {}).get("principalId")
    elif k == "microsoft.containerregistry/registries":
        out["loginServer"] = props.get("loginServer")
    return out
