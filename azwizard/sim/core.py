"""The simulated Azure Resource Manager: state, dispatch, and the long-running-operation protocol.

Providers (``providers/*.py``) register route handlers; this module gives them the shared machinery
ARM has for every resource type: the resource store, resource-group existence, management locks,
async operations (``Azure-AsyncOperation`` / ``Location`` polling), paging with absolute ``nextLink``,
ARM's error bodies, fault injection, latency, a request log and optional persistence.

It is thread-safe (the SDK's LRO poller runs on its own thread) and never imports ``azwizard.rules``:
the simulator's rejections are written independently of the client-side checks.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from . import apiversions, ids, persistence, preconditions, router
from .catalog import locations as _locations
from .faults import Fault, Faults
from .index import ResourceIndex
from .latency import INSTANT, LatencyProfile
from .wire import ArmError, ArmRequest, ArmResponse, DropConnection

log = logging.getLogger(__name__)

SIM_TOKEN = "azwizard-sim-token"  # what StaticTokenCredential hands out for the in-process simulator


def utcnow() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class RecordedRequest:
    method: str
    path: str
    api_version: str | None
    body: Any
    headers: dict[str, str]
    url: str


@dataclass
class Operation:
    id: str
    namespace: str
    location: str
    resource_id: str | None
    kind: str  # put | delete | action
    api_version: str | None
    ready_at: float
    min_progress: int
    status: str = "InProgress"
    progress: int = 0
    error: dict[str, Any] | None = None
    start_time: str = field(default_factory=utcnow)
    end_time: str | None = None
    on_success: Callable[[], None] | None = None
    on_failure: Callable[[dict[str, Any]], None] | None = None
    result: Any = None  # body for Location polls that end with 200 + body
    error_status: int = 409  # what a Location poll answers when the operation failed
    on_tick: Callable[[], None] | None = None  # work the operation does as time passes (a deployment's run)
    status_output: bool = False  # the final status carries properties.output = the resource (Compute disks)
    started_at: float = 0.0  # on the simulator's clock

    @property
    def done(self) -> bool:
        return self.status != "InProgress"


class SimClock:
    """A deterministic clock for in-process simulators: simulated seconds that pass only when a client
    sleeps through :class:`~azwizard.sim.transport.SimTransport` (the SDK's poller waiting ``Retry-After``)
    or a test calls :meth:`advance`. Tests stay instant and repeatable; ``sim serve`` and demo mode use the
    wall clock instead."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += max(0.0, seconds)


STATUS_SHAPES: dict[str, str] = {
    "microsoft.network": "status",
    "microsoft.containerregistry": "status",
    "microsoft.resources": "status",
    "microsoft.recoveryservices": "with-id",
}
"""Operation-status body shape per namespace (lower case): ``status`` = only ``{"status"}`` (+ ``error``),
``with-id`` = ``id``, ``name``, ``status``, ``startTime``, ``endTime``; any other namespace ``named`` (the
same without ``id``)."""

UNWATCHED_AFTER_SECONDS = 60.0
"""How long (in unscaled Azure seconds) an operation nobody polls takes beyond its own duration to finish
anyway: ARM runs operations whether or not the client watches (``--no-wait``)."""


class ArmSim:
    """One simulated subscription. Create one per test; demo mode persists it to a file."""

    def __init__(
        self,
        *,
        subscription_id: str = _locations.SUBSCRIPTION_ID,
        tenant_id: str = _locations.TENANT_ID,
        subscription_name: str = _locations.SUBSCRIPTION_NAME,
        latency: LatencyProfile | None = None,
        min_polls: int = 2,
        page_size: int = 50,
        persist_path: Path | None = None,
        accept_tokens: Iterable[str] = (SIM_TOKEN,),
        clock: Callable[[], float] | None = None,
        unwatched_after: float | None = None,
    ) -> None:
        from . import providers  # noqa: F401  (registers every route)

        self.subscription_id = subscription_id
        self.tenant_id = tenant_id
        self.subscription_name = subscription_name
        self.latency = latency or INSTANT
        self.min_polls = min_polls
        # Operations advance with time. With latency 0 (tests) the clock is simulated (SimClock), so an
        # operation also completes after ``min_polls`` looks at it, as the SDK tests rely on; with a latency
        # scale (demo mode) the wall clock. ``sim serve`` switches to the wall clock and time alone.
        self.sim_clock = SimClock()
        self.clock: Callable[[], float] = clock or self._auto_clock
        self._unwatched_after = unwatched_after
        self._ticking = False
        self._quiet = 0  # inside quiet_reads()
        self.page_size = page_size
        self.persist_path = persist_path
        self.accepted_tokens: set[str] = set(accept_tokens)
        self.lock = threading.RLock()
        self.resources: dict[str, dict[str, Any]] = {}
        self.meta: dict[str, dict[str, Any]] = {}
        self.locks: dict[str, dict[str, Any]] = {}
        self.extra: dict[str, Any] = {}  # provider-private state (e.g. backup items), persisted
        self.ops: dict[str, Operation] = {}
        self._running: dict[str, Operation] = {}  # the operations not known to be done: what tick() looks at
        self._index = ResourceIndex()  # type / group / top-level views of ``resources`` (index.py)
        self.requests: list[RecordedRequest] = []
        self.faults = Faults()
        self.sleeps: list[float] = []
        self.unknown_api_versions: set[tuple[str, str]] = set()
        self._finished_ops = 0  # operations finished while handling the current request
        self.writer_id = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._store = persistence.Persistence(self, persist_path) if persist_path is not None else None
        if self._store is not None:
            self._load()

    # ------------------------------------------------------------------ dispatch

    def handle(self, req: ArmRequest) -> ArmResponse:
        with self.lock:
            self._sync_from_file()
            self.requests.append(
                RecordedRequest(req.method, req.path, req.api_version, _safe_json(req), dict(req.headers), req.url)
            )
            fault = self.faults.take(req.method, req.path)
            if fault is not None and fault.kind == "drop":
                raise DropConnection(req.url)
            if fault is not None and fault.kind == "status":
                return _with_common_headers(ArmResponse(fault.status, fault.body(), dict(fault.headers)))
            self._async_fault = fault if fault is not None and fault.kind == "async_fail" else None
            try:
                resp = self._dispatch(req)
            except ArmError as err:
                resp = err.response()
            finally:
                self._async_fault = None
            if resp.status < 300 and isinstance(resp.body, dict):
                resp.body = apiversions.shape(apiversions.resource_type_of(req.path), req.api_version, resp.body)
            # An operation that finished during a GET (a poll) changed state too: persist it, so a
            # `sim serve --state FILE` reader sees what the client just saw completing.
            if (req.method in ("PUT", "PATCH", "DELETE", "POST") and resp.status < 400) or self._finished_ops:
                self._persist()
            self._finished_ops = 0
            return _with_common_headers(resp)

    def _dispatch(self, req: ArmRequest) -> ArmResponse:
        from .providers import identity

        if identity.is_login_path(req.path):
            return identity.handle_login(self, req)
        from .providers import retailprices

        if retailprices.is_prices_path(req.path):  # prices.azure.com: public, no token, no ARM api-version
            return retailprices.handle(self, req)
        self._check_auth(req)
        if req.api_version is None:
            raise ArmError(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        self.tick()
        found = router.match(req.method, req.path)
        if found is None:
            if router.path_known(req.path):
                raise ArmError(
                    405, "MethodNotAllowed", f"The requested resource does not support http method '{req.method}'."
                )
            raise _no_route(req.path, req.api_version)
        route_, params = found
        sub = params.get("sub")
        if sub is not None and sub.lower() != self.subscription_id.lower():
            raise ArmError(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
        preconditions.check(self, req)  # If-Match / If-None-Match: 412 as ARM answers it
        return router.dispatch(self, req, route_, params)

    def _check_auth(self, req: ArmRequest) -> None:
        auth = req.headers.get("authorization")
        if not auth:
            raise ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
        from .providers import identity

        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and token not in self.accepted_tokens:
            state, expired_at = identity.token_state(self, token)
            if state == "expired":
                raise identity.expired_token_error(self, req, expired_at)
        if scheme.lower() != "bearer" or not (token in self.accepted_tokens or identity.token_ok(self, token)):
            raise ArmError(
                401,
                "InvalidAuthenticationToken",
                "The access token is invalid.",
            )

    # ------------------------------------------------------------------ store

    def get(self, rid: str) -> dict[str, Any] | None:
        with self.lock:
            body = self.resources.get(ids.key(rid))
            return copy.deepcopy(body) if body is not None else None

    def peek(self, rid: str) -> dict[str, Any] | None:
        """The stored body itself (no copy): for providers that update state in place, under ``lock``."""
        k = ids.key(rid)
        self._touch(k)
        return self.resources.get(k)

    def save(self, rid: str, body: dict[str, Any]) -> None:
        with self.lock:
            k = ids.key(rid)
            self._touch(k)
            now = utcnow()
            meta = self.meta.setdefault(k, {"createdTime": now})
            meta["changedTime"] = now
            self.resources[k] = body
            self._index.add(k, body)

    def remove(self, rid: str) -> None:
        with self.lock:
            k = ids.key(rid)
            self._touch(k)
            self.resources.pop(k, None)
            self.meta.pop(k, None)
            self._index.drop(k)

    def under(self, prefix: str) -> list[dict[str, Any]]:
        """Every stored body whose id starts with ``prefix + '/'`` (children at any depth)."""
        pk = ids.key(prefix)
        with self.lock:
            found = self._index.under(pk)
            if found is None:
                found = [b for k, b in self.resources.items() if k.startswith(pk + "/")]
            return found

    def of_type(self, rtype: str, *, group: str | None = None) -> list[dict[str, Any]]:
        """Stored bodies of one type (in one resource group: ``group`` is its id), from the index."""
        with self.lock:
            return self._index.of_type(rtype, ids.key(group) if group else None)

    def top_level(self, scope: str | None = None) -> list[dict[str, Any]]:
        """The top-level resources (not child resources) of a resource group (``scope`` its id) or of the
        subscription, sorted by id case-insensitively: what the generic resources list answers."""
        with self.lock:
            return [b for _, b in self._index.top_level(ids.key(scope) if scope else None)]


    # ------------------------------------------------------------------ common checks

    def group_id(self, rg: str) -> str:
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{rg}"

    def require_group(self, rg: str) -> dict[str, Any]:
        body = self.peek(self.group_id(rg))
        if body is None:
            raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
        if body.get("properties", {}).get("provisioningState") == "Deleting":
            raise ArmError(
                409,
                "ResourceGroupBeingDeleted",
                f"The resource group '{rg}' is in deprovisioning state and cannot perform this operation.",
            )
        return body

    def not_found(self, rid: str) -> ArmError:
        p = ids.parse(rid)
        if p is None or p.namespace is None:
            return ArmError(404, "ResourceNotFound", f"The Resource '{rid}' was not found.")
        short = "/".join((p.namespace, *(f"{t}/{n}" for t, n in zip(p.types, p.names, strict=True))))
        return ArmError(
            404,
            "ResourceNotFound",
            f"The Resource '{short}' under resource group '{p.resource_group}' was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        )

    def require(self, rid: str) -> dict[str, Any]:
        body = self.peek(rid)
        if body is None:
            raise self.not_found(rid)
        return body

    def check_locks(self, rid: str, operation: str) -> None:
        """Raise ScopeLocked if a lock at this scope or above forbids ``operation`` (delete|write).

        https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources
        """
        k = ids.key(rid)
        blocking = []
        with self.lock:
            for lock in self.locks.values():
                scope = lock["_scope"]
                sk = ids.key(scope)
                at_or_above = k == sk or k.startswith(sk + "/")
                below = sk.startswith(k + "/")  # deleting a scope deletes what a lock below protects
                if not at_or_above and not (below and operation == "delete"):
                    continue
                level = lock["properties"]["level"]
                if level == "ReadOnly" or (level == "CanNotDelete" and operation == "delete"):
                    blocking.append(scope)
        if blocking:
            scopes = ",".join(f"'{s}'" for s in sorted(set(blocking)))
            raise ArmError(
                409,
                "ScopeLocked",
                f"The scope '{rid}' cannot perform {operation} operation because following scope(s) are locked: "
                f"{scopes}. Please remove the lock and try again.",
            )

    def provider_state(self, namespace: str) -> str:
        states: dict[str, str] = self.extra.setdefault("providers", {})
        return states.get(namespace.lower(), "Registered")

    def require_registered(self, namespace: str) -> None:
        if self.provider_state(namespace) != "Registered":
            raise ArmError(
                409,
                "MissingSubscriptionRegistration",
                f"The subscription is not registered to use namespace '{namespace}'. "
                "See https://aka.ms/rps-not-found for how to register subscriptions.",
                details=[{"code": "MissingSubscriptionRegistration", "target": namespace,
                          "message": f"The subscription is not registered to use namespace '{namespace}'. "
                          "See https://aka.ms/rps-not-found for how to register subscriptions."}],
            )

    def active_operation(self, rid: str) -> Operation | None:
        k = ids.key(rid)
        for op in list(self._running.values()):
            if not op.done and op.resource_id is not None and ids.key(op.resource_id) == k:
                return op
        return None

    @staticmethod
    def new_etag() -> str:
        return f'W/"{uuid.uuid4()}"'

    # ------------------------------------------------------------------ long-running operations

    def start_operation(
        self,
        req: ArmRequest,
        *,
        namespace: str,
        location: str,
        resource_id: str | None,
        kind: str,
        seconds: float,
        on_success: Callable[[], None] | None = None,
        on_failure: Callable[[dict[str, Any]], None] | None = None,
    ) -> Operation:
        op = Operation(
            id=str(uuid.uuid4()),
            namespace=namespace,
            location=_locations.normalize_location(location) if location else "global",
            resource_id=resource_id,
            kind=kind,
            api_version=req.api_version,
            ready_at=self.clock() + seconds,
            min_progress=self.min_polls,
            on_success=on_success,
            on_failure=on_failure,
            started_at=self.clock(),
        )
        fault: Fault | None = getattr(self, "_async_fault", None)
        if fault is not None:
            op.error = {"code": fault.code, "message": fault.message}
            op.error_status = fault.status if fault.status >= 400 else 409
        self.ops[op.id] = op
        self._running[op.id] = op
        return op

    def async_url(self, req: ArmRequest, op: Operation) -> str:
        q = urlencode({"api-version": op.api_version or ""})
        return (
            f"{req.base}/subscriptions/{self.subscription_id}/providers/{op.namespace}/locations/"
            f"{op.location}/operations/{op.id}?{q}"
        )

    def location_url(self, req: ArmRequest, op: Operation) -> str:
        q = urlencode({"api-version": op.api_version or ""})
        if op.namespace == "Microsoft.Resources":
            return f"{req.base}/subscriptions/{self.subscription_id}/operationresults/{op.id}?{q}"
        return (
            f"{req.base}/subscriptions/{self.subscription_id}/providers/{op.namespace}/locations/"
            f"{op.location}/operationResults/{op.id}?{q}"
        )

    def _auto_clock(self) -> float:
        """Wall time while operations have a real duration (a latency scale, demo mode), else the simulated
        clock (tests: instant and deterministic)."""
        return time.monotonic() if self.latency.scale > 0 else self.sim_clock()

    @property
    def unwatched_after(self) -> float:
        if self._unwatched_after is not None:
            return self._unwatched_after
        return UNWATCHED_AFTER_SECONDS * (self.latency.scale or 1.0)

    @unwatched_after.setter
    def unwatched_after(self, seconds: float | None) -> None:
        self._unwatched_after = seconds

    def waited(self, seconds: float) -> None:
        """A client waited ``seconds`` (the SDK's poller between polls): a simulated clock moves on."""
        if isinstance(self.clock, SimClock):
            self.clock.advance(seconds)
        elif self.clock == self._auto_clock:
            self.sim_clock.advance(seconds)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass and move operations on (tests of ``--no-wait`` flows)."""
        self.waited(seconds)
        self.tick()

    def use_wall_clock(self) -> None:
        """Switch to the wall clock and let time alone finish operations (``sim serve``): a client that
        never polls (``--no-wait``) still finds the operation done once its duration has passed."""
        with self.lock:
            now, before = time.monotonic(), self.clock()
            for op in self.ops.values():
                op.ready_at += now - before
                op.started_at += now - before
            self.clock = time.monotonic
            self.unwatched_after = 0.0

    def _due(self, op: Operation, now: float) -> bool:
        if op.done or now < op.ready_at:
            return False
        return op.progress >= op.min_progress or now >= op.ready_at + self.unwatched_after

    def tick(self) -> None:
        """Move every operation on: run the work of those still going (``on_tick``: a deployment starts
        and watches its resources) and finish those whose time has come. An operation is done once its
        duration has passed and it was watched ``min_polls`` times, or ``unwatched_after`` more seconds went
        by: time advances operations, looking at them only speeds up a simulated clock."""
        with self.lock:
            if self._ticking:  # a tick from inside an operation's work: finish what is due, nothing more
                now = self.clock()
                for op in list(self._running.values()):
                    if self._due(op, now):
                        self._finish(op)
                return
            self._ticking = True
            try:
                for _ in range(16):  # bounded: each pass starts or finishes something, or stops
                    before = self._finished_ops
                    for op in list(self._running.values()):
                        if not op.done and op.on_tick is not None:
                            op.on_tick()
                    now = self.clock()
                    for op in list(self._running.values()):
                        if self._due(op, now):
                            self._finish(op)
                    if self._finished_ops == before:
                        break
                for opid in [i for i, op in self._running.items() if op.done]:
                    del self._running[opid]
            finally:
                self._ticking = False

    def _finish(self, op: Operation) -> None:
        if op.resource_id is not None:
            self._touch(ids.key(op.resource_id))  # its callbacks change the resource, maybe in place
        op.end_time = utcnow()
        self._finished_ops += 1
        if op.error is not None:
            op.status = "Failed"
            if op.on_failure is not None:
                op.on_failure(op.error)
            elif op.resource_id is not None:
                body = self.peek(op.resource_id)
                if body is not None and isinstance(body.get("properties"), dict):
                    body["properties"]["provisioningState"] = "Failed"
            return
        if op.on_success is not None:
            try:
                op.on_success()
            except ArmError as err:  # the operation itself ran into Azure's refusal (e.g. a group delete)
                op.status = "Failed"
                op.error = err.error_object()
                op.error_status = err.status
                return
        op.status = "Succeeded"

    @contextlib.contextmanager
    def quiet_reads(self) -> Iterator[None]:
        """GETs made by the simulator itself (a Resource Graph row is the resource as its GET shows it) do not
        count as a client watching an operation."""
        with self.lock:
            self._quiet += 1
            try:
                yield
            finally:
                self._quiet -= 1

    def touch_resource_ops(self, rid: str) -> None:
        """A GET of a resource counts as watching its operation (body polling, `az ... show`)."""
        if self._quiet:
            return
        op = self.active_operation(rid)
        if op is not None:
            op.progress += 1
            self.tick()

    def poll(self, opid: str) -> Operation:
        with self.lock:
            op = self.ops.get(opid)
            if op is None:
                raise ArmError(404, "OperationNotFound", f"The operation '{opid}' could not be found.")
            op.progress += 1
            self.tick()
            return op

    # -------- the standard shapes of PUT / DELETE / POST-action answers

    def accept_put(
        self,
        req: ArmRequest,
        rid: str,
        body: dict[str, Any],
        *,
        created: bool,
        namespace: str,
        location: str,
        rtype: str,
        transient: str | None = None,
        finalize: Callable[[dict[str, Any]], None] | None = None,
        retry_after: int | None = None,
        status_output: bool = False,
    ) -> ArmResponse:
        """Store ``body`` in its transient state and answer 201 (new) / 200 (update) with
        ``Azure-AsyncOperation``; the operation sets ``provisioningState: Succeeded`` (and runs
        ``finalize``) when it completes. ``status_output``: the final operation status carries the
        resource as ``properties.output`` (what Compute's DiskOperations answer). ``tags: {}`` sent by the
        client is kept even if the provider left it out of ``body`` (ARM stores and echoes empty tags)."""
        self.require_registered(namespace)
        sent = _safe_json(req)
        if isinstance(sent, dict) and isinstance(sent.get("tags"), dict) and body.get("tags") is None:
            body["tags"] = copy.deepcopy(sent["tags"])
        state = transient or ("Creating" if created else "Updating")
        body.setdefault("properties", {})["provisioningState"] = state
        self.save(rid, body)

        def done() -> None:
            cur = self.peek(rid)
            if cur is None:
                return
            cur.setdefault("properties", {})["provisioningState"] = "Succeeded"
            if finalize is not None:
                finalize(cur)
            self.save(rid, cur)

        op = self.start_operation(
            req, namespace=namespace, location=location, resource_id=rid, kind="put",
            seconds=self.latency.put(rtype), on_success=done,
        )
        op.status_output = status_output
        headers = {"Azure-AsyncOperation": self.async_url(req, op)}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        return ArmResponse(201 if created else 200, copy.deepcopy(body), headers)

    def accept_delete(
        self,
        req: ArmRequest,
        rid: str,
        *,
        namespace: str,
        location: str,
        rtype: str,
        on_done: Callable[[], None] | None = None,
        async_header: bool = True,
        status: int = 202,
        retry_after: int | None = None,
    ) -> ArmResponse:
        """Mark the resource Deleting and answer 202 with ``Location`` (and ``Azure-AsyncOperation``)."""
        body = self.peek(rid)
        if body is not None and isinstance(body.get("properties"), dict):
            body["properties"]["provisioningState"] = "Deleting"

        def done() -> None:
            if on_done is not None:
                on_done()
            else:
                self.remove(rid)

        def failed(err: dict[str, Any]) -> None:
            cur = self.peek(rid)
            if cur is not None and isinstance(cur.get("properties"), dict):
                cur["properties"]["provisioningState"] = "Failed"

        op = self.start_operation(
            req, namespace=namespace, location=location, resource_id=rid, kind="delete",
            seconds=self.latency.delete(rtype), on_success=done, on_failure=failed,
        )
        headers = {"Location": self.location_url(req, op)}
        if async_header:
            headers["Azure-AsyncOperation"] = self.async_url(req, op)
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        return ArmResponse(status, None, headers)

    def accept_action(
        self,
        req: ArmRequest,
        rid: str,
        *,
        namespace: str,
        location: str,
        action: str,
        on_done: Callable[[], None] | None = None,
        async_header: bool = True,
        status: int = 202,
    ) -> ArmResponse:
        """A POST action (start, stop, deallocate…): 202 with ``Location`` (+ ``Azure-AsyncOperation``)."""
        op = self.start_operation(
            req, namespace=namespace, location=location, resource_id=rid, kind="action",
            seconds=self.latency.action(action), on_success=on_done,
        )
        headers = {"Location": self.location_url(req, op)}
        if async_header:
            headers["Azure-AsyncOperation"] = self.async_url(req, op)
        return ArmResponse(status, None, headers)

    def operation_status_body(self, op: Operation) -> dict[str, Any]:
        """The body of an ``Azure-AsyncOperation`` poll, in the shape each resource provider answers
        (azure-cli recordings, 2023): Network, Container Registry and Resources send only ``status`` (and
        ``error`` when it failed); Compute and AKS ``name``, ``status``, ``startTime``, ``endTime`` once done
        and no ``id``; Recovery Services also the operation's ``id``. See :data:`STATUS_SHAPES`."""
        shape = STATUS_SHAPES.get(op.namespace.lower(), "named")
        body: dict[str, Any]
        if shape == "status":
            body = {"status": op.status}
        else:
            body = {"name": op.id, "status": op.status, "startTime": op.start_time}
            if shape == "with-id":
                body = {"id": (f"/subscriptions/{self.subscription_id}/providers/{op.namespace}/locations/"
                               f"{op.location}/operations/{op.id}"), **body}
            if op.end_time:
                body["endTime"] = op.end_time
        if op.status == "Failed" and op.error is not None:
            body["error"] = op.error
        if op.status_output and op.status == "Succeeded" and op.resource_id is not None:
            res = self.get(op.resource_id)
            if res is not None:
                body["properties"] = {"output": res}
        return body

    # ------------------------------------------------------------------ paging

    def paged(self, req: ArmRequest, items: list[dict[str, Any]]) -> ArmResponse:
        """``{"value": [...], "nextLink": <absolute url>}`` pages, as ARM lists answer."""
        token = req.query.get("$skiptoken", "0") or "0"
        if not token.isdigit() or len(token) > 9:
            # A token the simulator did not hand out (another service's, or garbled): ARM's 400
            # (microsoft/ARI#201: BadRequest with CouldNotDecodeSkipToken "Skip token could not be decoded.").
            raise ArmError(400, "BadRequest", "The skip token in the request could not be decoded.",
                           details=[{"code": "CouldNotDecodeSkipToken", "message": "Skip token could not be decoded."}])
        skip = int(token)
        page = items[skip : skip + self.page_size]
        body: dict[str, Any] = {"value": copy.deepcopy(page)}
        if skip + self.page_size < len(items):
            q = dict(req.query)
            q["$skiptoken"] = str(skip + self.page_size)
            body["nextLink"] = f"{req.base}{req.path}?{urlencode(q)}"
        return ArmResponse(200, body)

    # ------------------------------------------------------------------ persistence

    def _sections(self) -> dict[str, Any]:
        return {"resources": self.resources, "meta": self.meta, "locks": self.locks, "extra": self.extra}

    def _touch(self, k: str) -> None:
        """A stored body changed, or was handed out by ``peek`` to be changed in place: note it for the next
        write (persistence.py). A provider that changes a body it got from ``under``/``of_type`` saves it."""
        if self._store is not None:
            self._store.touch(k)

    def _persist(self, *, replace: bool = False) -> None:
        """Record in the state file what this process changed and what its in-flight operations will change
        (see :mod:`statefile`); ``replace``: this state wins whole, for :meth:`reset`."""
        if self._store is None:
            return
        if replace:
            self._store.replace()
        else:
            self._store.write()

    def _sync_from_file(self) -> None:
        """Another process wrote the state file since this one last looked (``azwizard --demo`` in one
        terminal, ``azwizard vm apply --demo`` in another): take in what it changed before answering, so both
        see one subscription. A ``stat`` per request; the log is read only when it grew."""
        if self._store is not None:
            self._store.sync()

    def _load(self) -> None:
        assert self._store is not None
        if not self._store.load(self._finish_gone):
            log.warning("simulator state at %s is unreadable; starting empty", self.persist_path)

    def _finish_gone(self, pending: dict[str, Any]) -> set[str]:
        """On load, after the pending changes of writers that are gone were applied: deployments in flight end
        Canceled (their run died with the process that ran it), and what older files (no recorded changes)
        left in flight is taken as finished, except what a live writer still has in flight."""
        live_keys: set[str] = set()
        for entry in pending.values():
            if persistence.writer_alive(entry):
                live_keys.update((entry.get("changes") or {}).get("resources", {}))
        for rec in (self.extra.get("deployments") or {}).values():
            props = rec.get("properties") if isinstance(rec, dict) else None
            if isinstance(props, dict) and props.get("provisioningState") in ("Accepted", "Running"):
                props["provisioningState"] = "Canceled"
        for k, body in list(self.resources.items()):
            props = body.get("properties")
            if k in live_keys or not isinstance(props, dict):
                continue
            state_ = props.get("provisioningState")
            if state_ == "Deleting":
                del self.resources[k]
                self.meta.pop(k, None)
            elif state_ in ("Creating", "Updating", "Starting", "Stopping"):
                props["provisioningState"] = "Succeeded"
        return live_keys

    def reset(self) -> None:
        with self.lock:
            self.resources.clear()
            self.meta.clear()
            self.locks.clear()
            self.extra.clear()
            self.ops.clear()
            self._running.clear()
            self._index.rebuild(self.resources)
            self.requests.clear()
            self._persist(replace=True)

    # ------------------------------------------------------------------ helpers for tests

    def requests_to(self, method: str, path_contains: str) -> list[RecordedRequest]:
        needle = path_contains.lower()
        return [r for r in self.requests if r.method == method and needle in r.path.lower()]

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(self.resources)


def _safe_json(req: ArmRequest) -> Any:
    try:
        return req.json()
    except ArmError:
        return req.body


def _with_common_headers(resp: ArmResponse) -> ArmResponse:
    rid = str(uuid.uuid4())
    resp.headers.setdefault("x-ms-request-id", rid)
    resp.headers.setdefault("x-ms-correlation-request-id", rid)
    resp.headers.setdefault("Cache-Control", "no-cache")
    return resp


def _no_route(path: str, api_version: str | None) -> ArmError:
    p = ids.parse(path)
    if p is not None and p.namespace:
        return ArmError(
            404,
            "InvalidResourceType",
            f"The resource type '{'/'.join(p.types)}' could not be found in the namespace '{p.namespace}' "
            f"for api version '{api_version}'.",
        )
    return ArmError(404, "NotFound", f"The requested path '{path}' was not found.")
