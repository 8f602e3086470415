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
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Literal

from ..azure import ops
from ..azure.errors import AzwizardError, explain
from ..azure.session import ClientFactory
from ..journal import Journal
from ..plan.model import Plan, Step

StepState = Literal["waiting", "running", "succeeded", "existing", "failed", "skipped", "cancelled"]

# Error codes worth sending the same PUT again for (the SDK already retried HTTP-level 429/5xx;
# these arrive as a *failed operation*). https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
TRANSIENT_CODES = frozenset({
    "InternalServerError", "ServiceUnavailable", "TooManyRequests", "RetryableError", "GatewayTimeout",
    "InternalOperationError", "OperationPreempted", "AnotherOperationInProgress", "RetryableErrorInternal",
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

    @property
    def ok(self) -> bool:
        return all(s in ("succeeded", "existing") for s in self.states.values())

    @property
    def failed(self) -> list[str]:
        return [k for k, s in self.states.items() if s == "failed"]


class _Cancelled(Exception):
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
        on_event: Callable[[StepEvent], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.factory = factory
        self.journal = journal
        self.max_workers = max_workers
        self.poll_interval = poll_interval
        self.transient_retries = transient_retries
        self.on_event = on_event
        self.cancel = cancel or threading.Event()

    # ------------------------------------------------------------------ public

    def run(self, plan: Plan, *, resume: bool = True) -> RunResult:
        t0 = time.monotonic()
        states: dict[str, StepState] = {s.key: "waiting" for s in plan.steps}
        errors: dict[str, AzwizardError] = {}
        outputs: dict[str, dict[str, Any]] = {}
        seconds: dict[str, float] = {}
        self.journal.record(
            "plan", location=plan.location, subscription=plan.subscription_id,
            steps=[{"step": s.key, "id": s.resource_id, "kind": s.kind} for s in plan.steps],
        )
        done_before = self._already_created(plan) if resume else set()

        pending = {s.key: s for s in plan.steps}
        running: dict[Future[dict[str, Any]], Step] = {}
        with ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="azwizard-run") as pool:
            while pending or running:
                if not self.cancel.is_set():
                    for key, step in list(pending.items()):
                        deps = [states[d] for d in step.depends_on]
                        if any(d in ("failed", "skipped", "cancelled") for d in deps):
                            states[key] = "skipped"
                            del pending[key]
                            self.journal.record("skipped", step=key, id=step.resource_id, kind=step.kind,
                                                reason="a resource it needs was not created")
                            self._emit(StepEvent(key, "skipped", step.label, step.resource_id,
                                                 message="not started: a resource it needs was not created"))
                            continue
                        if all(d in ("succeeded", "existing") for d in deps):
                            del pending[key]
                            if key in done_before:
                                states[key] = "existing"
                                outputs[key] = {}
                                self._emit(StepEvent(key, "existing", step.label, step.resource_id,
                                                     message="already created by this run"))
                                continue
                            states[key] = "running"
                            running[pool.submit(self._execute, step, time.monotonic())] = step
                elif pending:
                    for key, step in pending.items():
                        states[key] = "cancelled"
                        self._emit(StepEvent(key, "cancelled", step.label, step.resource_id,
                                             message="not started: cancelled"))
                    pending.clear()
                if not running:
                    if pending and not any(states[k] == "running" for k in states):
                        # Nothing running and nothing ready: only possible if pending steps wait on
                        # steps that became "existing"/"succeeded" this very loop; go round again.
                        continue
                    break
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for fut in finished:
                    step = running.pop(fut)
                    try:
                        out = fut.result()
                        states[step.key] = "succeeded"
                        outputs[step.key] = out
                        seconds[step.key] = out.pop("_seconds", 0.0)
                    except _Cancelled:
                        states[step.key] = "cancelled"
                    except AzwizardError as err:
                        states[step.key] = "failed"
                        errors[step.key] = err
        return RunResult(plan.run_id, states, errors, outputs, time.monotonic() - t0, seconds)

    # ------------------------------------------------------------------ one step

    def _execute(self, step: Step, started: float) -> dict[str, Any]:
        attempt = 1
        while True:
            self.journal.record("requested", step=step.key, id=step.resource_id, kind=step.kind, attempt=attempt)
            self._emit(StepEvent(step.key, "running", step.label, step.resource_id,
                                 time.monotonic() - started, "creating…", attempt=attempt))
            try:
                result = ops.create(self.factory, step.kind, step.resource_id, step.body)
                if ops.is_poller(result):
                    while not result.done():
                        if self.cancel.is_set():
                            raise _Cancelled()
                        result.wait(timeout=self.poll_interval)
                    result = result.result()
                out = outputs_of(step.kind, ops.wire(result))
                elapsed = time.monotonic() - started
                self.journal.record("created", step=step.key, id=step.resource_id, kind=step.kind, **out)
                self._emit(StepEvent(step.key, "succeeded", step.label, step.resource_id, elapsed, "created",
                                     outputs=out, attempt=attempt))
                return {**out, "_seconds": elapsed}
            except _Cancelled:
                self._emit(StepEvent(step.key, "cancelled", step.label, step.resource_id,
                                     time.monotonic() - started,
                                     "stopped watching; Azure may still finish creating it (cleanup will check)"))
                raise
            except Exception as exc:  # every failure becomes a clear message, never a traceback
                err = explain(exc)
                if _transient(exc, err) and attempt <= self.transient_retries:
                    attempt += 1
                    self._emit(StepEvent(step.key, "running", step.label, step.resource_id,
                                         time.monotonic() - started, f"retrying after {err.code or 'a transient fault'}",
                                         attempt=attempt))
                    continue
                exists = self._exists(step)
                self.journal.record("failed", step=step.key, id=step.resource_id, kind=step.kind,
                                    code=err.code, message=err.what, exists=exists)
                self._emit(StepEvent(step.key, "failed", step.label, step.resource_id,
                                     time.monotonic() - started, err.what, error=err, attempt=attempt))
                raise err from exc

    def _exists(self, step: Step) -> bool | None:
        """After a failure, does the resource exist anyway (e.g. a VM left in Failed state)?"""
        try:
            return ops.get(self.factory, step.kind, step.resource_id) is not None
        except Exception:
            return None  # unknown: the journal keeps "failed" with exists unknown

    def _already_created(self, plan: Plan) -> set[str]:
        """Steps this run already created, confirmed by reading them back (so a re-run sends nothing twice)."""
        known = self.journal.resources()
        done: set[str] = set()
        for step in plan.steps:
            st = known.get(step.resource_id.lower())
            if st is None or st.state != "created":
                continue
            try:
                model = ops.get(self.factory, step.kind, step.resource_id)
            except Exception:
                continue
            state = (ops.wire(model).get("properties") or {}).get("provisioningState", "Succeeded")
            if model is not None and str(state).lower() == "succeeded":
                done.add(step.key)
        return done

    def _emit(self, event: StepEvent) -> None:
        if self.on_event is not None:
            with contextlib.suppress(Exception):  # a broken listener must not break the run
                self.on_event(event)


def _transient(exc: BaseException, err: AzwizardError) -> bool:
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
        out["nodeResourceGroup"] = props.get("nodeResourceGroup")
    return out
