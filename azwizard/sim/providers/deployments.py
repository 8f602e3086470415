"""Microsoft.Resources/deployments at resource-group scope: ARM template deployments.

``az vm create`` never PUTs the VM itself: it builds an ARM template (vm/_template_builder.py) and sends it
as a deployment named ``vm_deploy_<random>``, then waits on the deployment. So the simulator runs
deployments the way ARM does: the template is evaluated (``deployments_template.py``), each resource is
PUT to its resource provider in ``dependsOn`` order through the simulator's own routes (so every check
and default of that provider applies), and the deployment succeeds when all of them have, or fails with
``DeploymentFailed`` naming the resource that failed.

Shapes: az CLI recording vm/tests/latest/recordings/test_vm_create_ubuntu.yaml (PUT answers 201 with
``provisioningState: Accepted`` and ``Azure-AsyncOperation: .../deployments/{name}/operationStatuses/{id}``;
the status answers ``{"status": "Running"}`` then ``{"status": "Succeeded"}``; the final GET carries
``outputs`` and ``outputResources``); the failure body from real ``az vm create`` output
(``DeploymentFailed`` "At least one resource deployment operation failed..." with the resource's error in
``details``); REST reference https://learn.microsoft.com/rest/api/resources/deployments .

The body is read as leniently as ARM's reader does (``az deployment group create`` sends an unquoted
``template:`` key followed by the template file's text, comments included).

Not simulated: ARM's preflight (a resource the RP would refuse fails the deployment when it is PUT, as
``DeploymentFailed``, instead of failing the PUT of the deployment with ``InvalidTemplateDeployment``),
``Complete`` mode, linked templates, what-if, and the template features listed in deployments_template.py.
A deployment runs as time passes (the core's clock: every request moves it on, ``--no-wait`` included), like
every other simulated operation.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import re
import time
import uuid
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .. import ids, router
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import deployments_template as tpl

if TYPE_CHECKING:
    from ..core import ArmSim, Operation

DEPLOYMENT = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}"
DEPLOYMENTS = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments"
# The deployment operations' SDK/az path has no providers/ segment:
# https://learn.microsoft.com/rest/api/resources/deployment-operations/list
SDK_OPERATIONS = "/subscriptions/{sub}/resourcegroups/{rg}/deployments/{name}/operations"
TYPE = "Microsoft.Resources/deployments"
_FAILED_MESSAGE = ("At least one resource deployment operation failed. Please list deployment operations for "
                   "details. Please see https://aka.ms/arm-deployment-operations for usage details.")


@dataclass
class _Step:
    res: tpl.TemplateResource
    deps: set[int]
    state: str = "Pending"  # Pending | Running | Succeeded | Failed
    op_id: str | None = None
    status_code: str = ""
    error: dict[str, Any] | None = None
    started: float = 0.0
    ended: float = 0.0
    operation_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16].upper())


@dataclass
class _Run:
    """A deployment in flight (not persisted: what is running when the simulator stops is gone)."""

    key: str
    ctx: tpl.Context
    template: dict[str, Any]
    steps: list[_Step]
    op_id: str
    base: str
    auth: str
    started: float = field(default_factory=time.monotonic)
    accepted_at: float = 0.0  # the simulator's clock at the PUT
    looked: bool = False  # a client read its status or the deployment: it ends once its resources are done


_RUNS: weakref.WeakKeyDictionary[ArmSim, dict[str, _Run]] = weakref.WeakKeyDictionary()


def _runs(sim: ArmSim) -> dict[str, _Run]:
    return _RUNS.setdefault(sim, {})


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _duration(seconds: float) -> str:
    return f"PT{max(seconds, 0.0):.7f}S"  # ISO 8601, as ARM reports it ("PT36.0746958S")


# ------------------------------------------------------------------------------------ the store


def _store(sim: ArmSim) -> dict[str, Any]:
    store: dict[str, Any] = sim.extra.setdefault("deployments", {})
    return store


def _deployment_id(sim: ArmSim, group: dict[str, Any], name: str) -> str:
    return f"{group['id']}/providers/Microsoft.Resources/deployments/{name}"


def _group_stamp(sim: ArmSim, group: dict[str, Any]) -> str:
    return str(sim.meta.get(ids.key(group["id"]), {}).get("createdTime", ""))


def _record(sim: ArmSim, group: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The stored deployment, if it belongs to this incarnation of the group (deployments go with it)."""
    key = ids.key(_deployment_id(sim, group, name))
    rec = _store(sim).get(key)
    if rec is not None and rec.get("_group") != _group_stamp(sim, group):
        _store(sim).pop(key, None)
        return None
    return rec


def _public(rec: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy({k: v for k, v in rec.items() if not k.startswith("_")})


def _not_found(name: str) -> ArmError:
    # ARM: 404 DeploymentNotFound "Deployment '<name>' could not be found." (az deployment group show).
    return ArmError(404, "DeploymentNotFound", f"Deployment '{name}' could not be found.")


# ------------------------------------------------------------------------------------ evaluation


def _context(sim: ArmSim, group: dict[str, Any], name: str, run_ref: list[_Run]) -> tpl.Context:
    def reference(target: str, api_version: str | None, full: bool) -> Any:
        rid = target
        if not target.startswith("/"):
            run = run_ref[0] if run_ref else None
            match = [s.res.id for s in run.steps if s.res.name.lower() == target.lower()] if run else []
            if not match:
                raise tpl.TemplateError(f"The template reference '{target}' is not valid: could not find template "
                                        "resource or resource copy with this name")
            rid = match[0]
        body = sim.get(rid)
        if body is None:
            raise tpl.TemplateError(f"The Resource '{rid}' was not found")
        return body if full else body.get("properties", {})

    return tpl.Context(sim.subscription_id, sim.tenant_id, group, name, {}, {}, reference)


def _evaluate(sim: ArmSim, group: dict[str, Any], name: str, props: dict[str, Any]
              ) -> tuple[tpl.Context, dict[str, Any], list[tpl.TemplateResource], dict[int, set[int]], list[_Run]]:
    if "templateLink" in props:
        raise tpl.invalid_template("linked templates (templateLink) are not supported by the azwizard simulator")
    template = props.get("template")
    if not isinstance(template, dict):
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: 'Required property "
                       "'template' not found in JSON. Path 'properties'.'.")
    given = props.get("parameters") or {}
    if not isinstance(given, dict):
        raise tpl.invalid_template("The deployment parameters must be an object")
    run_ref: list[_Run] = []
    ctx = _context(sim, group, name, run_ref)
    try:
        ctx.variables_src = dict(template.get("variables") or {})
        ctx.parameters = tpl.bind_parameters(template, given, ctx)
        resources = tpl.expand_resources(template, ctx)
        deps = tpl.resolve_dependencies(resources)
    except tpl.TemplateError as e:
        raise tpl.invalid_template(str(e)) from e
    return ctx, template, resources, deps, run_ref


def _check_mode(props: dict[str, Any]) -> str:
    mode = str(props.get("mode", ""))
    if mode.lower() == "incremental":
        return "Incremental"
    if mode.lower() == "complete":
        raise tpl.invalid_template("Complete mode deployments are not supported by the azwizard simulator")
    raise ArmError(400, "InvalidRequestContent",
                   f"The request content was invalid and could not be deserialized: 'Error converting value "
                   f"\"{mode}\" to type 'Microsoft.WindowsAzure.ResourceStack.Frontdoor.Data.Definitions."
                   "DeploymentMode'. Path 'properties.mode'.'.")


def _providers(resources: list[tpl.TemplateResource], location: str) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in resources:
        ns, _, rtype = r.type.partition("/")
        entry = out.setdefault(ns.lower(), {"namespace": ns, "resourceTypes": []})
        loc = str(r.body.get("location") or location)
        if not any(t["resourceType"].lower() == rtype.lower() for t in entry["resourceTypes"]):
            entry["resourceTypes"].append({"resourceType": rtype, "locations": [loc]})
    return list(out.values())


def _dependencies(resources: list[tpl.TemplateResource], deps: dict[int, set[int]]) -> list[dict[str, Any]]:
    by_index = {r.index: r for r in resources}
    out = []
    for r in resources:
        if deps.get(r.index):
            out.append({
                "dependsOn": [{"id": by_index[i].id, "resourceType": by_index[i].type,
                               "resourceName": by_index[i].name} for i in sorted(deps[r.index])],
                "id": r.id, "resourceType": r.type, "resourceName": r.name,
            })
    return out


# ------------------------------------------------------------------------------------ routes


def _request_body(req: ArmRequest) -> Any:
    """The request's JSON, read as leniently as ARM reads it (az deployment group create sends an unquoted
    ``template:`` key and the template file's comments: see ``loads_lenient``)."""
    try:
        return req.json() or {}
    except ArmError as strict:
        try:
            return tpl.loads_lenient(req.body.decode("utf-8-sig")) or {}
        except (ValueError, UnicodeDecodeError):
            raise strict from None


@route("PUT", DEPLOYMENT)
def put_deployment(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    group = sim.require_group(rg)
    _check_name(name)
    body = _request_body(req)
    props = body.get("properties")
    if not isinstance(props, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                       "'Required property 'properties' not found in JSON. Path '', line 1, position 2.'.")
    mode = _check_mode(props)
    existing = _record(sim, group, name)
    if existing is not None and existing["properties"]["provisioningState"] in ("Accepted", "Running"):
        # https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
        raise ArmError(409, "DeploymentActive",
                       f"Unable to edit or replace deployment '{name}': previous deployment from "
                       f"'{existing['properties']['timestamp']}' is still active. Please see https://aka.ms/arm-deploy "
                       "for usage details.")
    ctx, template, resources, deps, run_ref = _evaluate(sim, group, name, props)
    did = _deployment_id(sim, group, name)
    rec: dict[str, Any] = {
        "id": did, "name": name, "type": TYPE,
        "properties": {
            "templateHash": tpl.template_hash(template),
            **_parameters(template, ctx, props),
            "mode": mode, "provisioningState": "Accepted", "timestamp": _now(), "duration": _duration(0),
            "correlationId": str(uuid.uuid4()),
            "providers": _providers(resources, group["location"]),
            "dependencies": _dependencies(resources, deps),
        },
        "_group": _group_stamp(sim, group),
        "_template": template,
    }
    if body.get("tags") is not None:
        rec["tags"] = body["tags"]
    _store(sim)[ids.key(did)] = rec
    op = sim.start_operation(req, namespace="Microsoft.Resources", location=group["location"], resource_id=did,
                             kind="put", seconds=0, on_success=lambda: _succeeded(sim, ids.key(did)),
                             on_failure=lambda err: _failed(sim, ids.key(did), err))
    op.ready_at = float("inf")  # finished by the run, once every resource is done
    run = _Run(ids.key(did), ctx, template, [_Step(r, deps[r.index]) for r in resources], op.id, req.base,
               req.headers.get("authorization", ""), accepted_at=sim.clock())
    run_ref.append(run)
    _runs(sim)[run.key] = run
    op.on_tick = lambda: _advance(sim, run)  # ARM runs it whether or not anyone looks (--no-wait)
    status = f"{req.base}{did}/operationStatuses/{op.id}?{urlencode({'api-version': req.api_version or ''})}"
    # 201 for a new deployment name, 200 for a PUT over an existing one (azure-cli recording
    # test_resource_group_deployment: azure-cli-resource-group-deployment000002 answered 201 then 200).
    return ArmResponse(201 if existing is None else 200, _public(rec), {"Azure-AsyncOperation": status})


def _check_name(name: str) -> None:
    # Deployment names: 1-64 characters, alphanumerics, underscores, parentheses, hyphens and periods
    # (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources).
    if not re.fullmatch(r"[-\w.()]{1,64}", name):
        raise ArmError(400, "InvalidDeploymentName",
                       f"The deployment name '{name}' is invalid. It can contain only alphanumeric characters, "
                       "underscores, parentheses, hyphens and periods, and be at most 64 characters long.")


def _param_type(template: dict[str, Any], name: str) -> str:
    spec = (template.get("parameters") or {}).get(name) or {}
    t = str(spec.get("type", "String"))
    return {"string": "String", "int": "Int", "bool": "Bool", "object": "Object", "array": "Array",
            "securestring": "SecureString", "secureobject": "SecureObject"}.get(t.lower(), t)


def _secure(template: dict[str, Any], name: str) -> bool:
    return _param_type(template, name).startswith("Secure")


@route("GET", DEPLOYMENT + "/operationStatuses/{opid}")
def deployment_status(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, opid: str) -> ArmResponse:
    run = _runs(sim).get(ids.key(f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{TYPE}/{name}"))
    if run is not None and run.op_id == opid:
        run.looked = True
        _advance(sim, run)
    op = sim.poll(opid)
    status = {"InProgress": "Running"}.get(op.status, op.status)
    out: dict[str, Any] = {"status": status}
    if op.status == "Failed" and op.error is not None:
        out["error"] = op.error
    return ArmResponse(200, out)


def _operations_of(sim: ArmSim, rg: str, name: str) -> list[dict[str, Any]]:
    group = sim.require_group(rg)
    rec = _record(sim, group, name)
    if rec is None:
        raise _not_found(name)
    return copy.deepcopy(rec.get("_operations", []))


@route("GET", DEPLOYMENT + "/operations")
@route("GET", SDK_OPERATIONS)
def list_operations(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    # The list leaves serviceRequestId out; the GET of one operation has it (recording
    # test_resource_group_deployment, `deployment operation group list` / `show`).
    items = _operations_of(sim, rg, name)
    for op in items:
        op["properties"].pop("serviceRequestId", None)
    return sim.paged(req, items)


@route("GET", DEPLOYMENT + "/operations/{opid}")
@route("GET", SDK_OPERATIONS + "/{opid}")
def get_operation(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, opid: str) -> ArmResponse:
    for op in _operations_of(sim, rg, name):
        if op["operationId"].lower() == opid.lower():
            return ArmResponse(200, op)
    # https://learn.microsoft.com/rest/api/resources/deployment-operations/get
    raise ArmError(404, "DeploymentOperationNotFound",
                   f"The deployment operation '{opid}' under deployment '{name}' could not be found.")


@route("POST", DEPLOYMENT + "/exportTemplate")
def export_template(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    """``{"template": {...}}``: the template the deployment ran, as sent
    (https://learn.microsoft.com/rest/api/resources/deployments/export-template)."""
    group = sim.require_group(rg)
    rec = _record(sim, group, name)
    if rec is None:
        raise _not_found(name)
    return ArmResponse(200, {"template": copy.deepcopy(rec.get("_template") or {})})


@route("POST", DEPLOYMENT + "/cancel")
def cancel_deployment(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    """204 and ``provisioningState: Canceled`` while the deployment is Accepted or Running; what it already
    created stays (https://learn.microsoft.com/rest/api/resources/deployments/cancel: "You can cancel a
    deployment only if the provisioningState is Accepted or Running ... leaves the resource group partially
    deployed")."""
    group = sim.require_group(rg)
    rec = _record(sim, group, name)
    if rec is None:
        raise _not_found(name)
    props = rec["properties"]
    if props["provisioningState"] not in ("Accepted", "Running"):
        # The error code is not in the REST reference; this is the shape of ARM's other 409s.
        raise ArmError(409, "DeploymentCannotBeCancelled",
                       f"The deployment '{name}' cannot be cancelled: its provisioning state is "
                       f"'{props['provisioningState']}'. Only an Accepted or Running deployment can be cancelled.")
    run = _runs(sim).pop(ids.key(rec["id"]), None)
    props["provisioningState"] = "Canceled"
    props["timestamp"] = _now()
    if run is not None:
        props["duration"] = _duration(time.monotonic() - run.started)
        op = sim.ops.get(run.op_id)
        if op is not None:
            op.on_tick, op.on_success = None, None
            op.status, op.end_time = "Canceled", _now()
    return ArmResponse(204)


@route("POST", DEPLOYMENT + "/validate")
def validate_deployment(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    group = sim.require_group(rg)
    _check_name(name)
    body = _request_body(req)
    props = body.get("properties") if isinstance(body.get("properties"), dict) else None
    if props is None:
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                       "'Required property 'properties' not found in JSON. Path '', line 1, position 2.'.")
    mode = _check_mode(props)
    ctx, template, resources, deps, _ = _evaluate(sim, group, name, props)
    return ArmResponse(200, {
        "id": _deployment_id(sim, group, name), "name": name, "type": TYPE,
        "properties": {
            "templateHash": tpl.template_hash(template), "mode": mode, "provisioningState": "Succeeded",
            "timestamp": _now(), "duration": _duration(0), "correlationId": str(uuid.uuid4()),
            **_parameters(template, ctx, props),
            "providers": _providers(resources, group["location"]),
            "dependencies": _dependencies(resources, deps),
            "validatedResources": [{"id": r.id} for r in resources],
        },
    })


@route("GET", DEPLOYMENT)
def get_deployment(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    group = sim.require_group(rg)
    rec = _record(sim, group, name)
    if rec is None:
        raise _not_found(name)
    run = _runs(sim).get(ids.key(rec["id"]))
    if run is not None:
        run.looked = True
        _advance(sim, run)
        sim.touch_resource_ops(rec["id"])
    return ArmResponse(200, _public(rec))


@route("GET", DEPLOYMENTS)
def list_deployments(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    group = sim.require_group(rg)
    prefix = ids.key(group["id"]) + "/"
    items = [_public(r) for k, r in sorted(_store(sim).items())
             if k.startswith(prefix) and r.get("_group") == _group_stamp(sim, group)]
    return sim.paged(req, items)


@route("DELETE", DEPLOYMENT)
def delete_deployment(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    group = sim.require_group(rg)
    rec = _record(sim, group, name)
    if rec is None:
        return ArmResponse(204)
    if rec["properties"]["provisioningState"] in ("Accepted", "Running"):
        raise ArmError(409, "DeploymentActive",
                       f"Unable to delete deployment '{name}': the deployment is still active. Please see "
                       "https://aka.ms/arm-deploy for usage details.")
    # Deleting a deployment removes its history only, never the resources it created.
    _store(sim).pop(ids.key(rec["id"]), None)
    return ArmResponse(204)


# ------------------------------------------------------------------------------------ running


MIN_SECONDS = 1.0
"""The least time a deployment nobody watches takes, even when its resources are done at once: ARM runs
templates asynchronously, with its own overhead. azure-cli's test_resource_group_deployment recording cancels a
``--no-wait`` deployment a second after its PUT and gets 204, the deployment then Canceled
(https://learn.microsoft.com/rest/api/resources/deployments/cancel: only an Accepted or Running deployment can
be cancelled, and what it created stays), while test_vm_create_no_wait finds the VM of a ``--no-wait``
deployment already there at its first GET: the resources start at once, the deployment ends later. Reading
its status or the deployment (a client watching it) ends it as soon as its resources are done."""

_OP_ID = re.compile(r"/(?:operations|operationResults|operationresults)/([^/?]+)", re.IGNORECASE)


def _advance(sim: ArmSim, run: _Run) -> None:
    """Move the deployment on: poll the resources being created, start those whose dependencies are done,
    and finish the deployment when nothing is left (ARM does this on its own; here each look at the
    deployment drives it, as each look at an operation drives the simulator's other operations)."""
    rec = _store(sim).get(run.key)
    if rec is None:
        _runs(sim).pop(run.key, None)
        return
    if rec["properties"]["provisioningState"] == "Accepted":
        rec["properties"]["provisioningState"] = "Running"
    for _ in range(4 * len(run.steps) + 4):  # bounded: every pass either changes a step or stops
        changed = False
        for step in run.steps:
            if step.state == "Running":
                changed |= _poll_step(sim, step)
        failed = any(s.state == "Failed" for s in run.steps)
        done = {s.res.index for s in run.steps if s.state == "Succeeded"}
        if not failed:
            for step in run.steps:
                if step.state == "Pending" and step.deps <= done:
                    _start_step(sim, run, step)
                    changed = True
        if not changed:
            break
    rec["properties"]["duration"] = _duration(time.monotonic() - run.started)
    rec["_operations"] = [_operation_body(rec["id"], s) for s in run.steps if s.state != "Pending"] + [
        o for o in rec.get("_operations", []) if "targetResource" not in o["properties"]]
    running = any(s.state == "Running" for s in run.steps)
    pending = any(s.state == "Pending" for s in run.steps)
    failed_steps = [s for s in run.steps if s.state == "Failed"]
    if running or (pending and not failed_steps):
        return
    if not run.looked and sim.clock() < run.accepted_at + MIN_SECONDS:
        return  # ARM's own part of a deployment takes time: nobody watching, it is still Running (cancellable)
    op = sim.ops.get(run.op_id)
    if op is not None:
        if failed_steps:
            op.error = {
                "code": "DeploymentFailed", "target": rec["id"], "message": _FAILED_MESSAGE,
                "details": [s.error or {} for s in failed_steps],
            }
            op.error_status = 400
        elif "outputs" in run.template:  # an empty section answers {} (recorded az vm create); none, no key
            rec["properties"]["outputs"] = _outputs(run)
        op.ready_at = sim.clock()
        op.min_progress = 0  # the run watched its resources; the deployment ends with the last of them
        op.on_tick = None
    _runs(sim).pop(run.key, None)


def _start_step(sim: ArmSim, run: _Run, step: _Step) -> None:
    from ..core import RecordedRequest

    step.state, step.started = "Running", time.monotonic()
    res = step.res
    try:
        body = tpl.evaluate(res.body, run.ctx)
    except tpl.TemplateError as e:
        _fail_step(step, "InvalidTemplate", f"Deployment template validation failed: '{e}'.", "BadRequest")
        return
    url = f"{run.base}{res.id}?{urlencode({'api-version': res.api_version})}"
    headers = {"Content-Type": "application/json", "Authorization": run.auth,
               "x-ms-correlation-request-id": run.ctx.deployment_name}
    inner = ArmRequest("PUT", url, headers, json.dumps(body).encode())
    sim.requests.append(RecordedRequest("PUT", inner.path, res.api_version, body,
                                        {"x-azwizard-deployment": run.ctx.deployment_name}, url))
    found = router.match("PUT", inner.path)
    if found is None:
        p = ids.parse(res.id)
        _fail_step(step, "NoRegisteredProviderFound" if p is None else "InvalidResourceType",
                   f"The resource type '{res.type}' could not be found for api version '{res.api_version}'.",
                   "NotFound")
        return
    try:
        resp = router.dispatch(sim, inner, *found)
    except ArmError as err:
        step.error = err.error_object()
        step.state, step.ended = "Failed", time.monotonic()
        step.status_code = {400: "BadRequest", 404: "NotFound", 409: "Conflict"}.get(err.status, str(err.status))
        return
    step.status_code = {200: "OK", 201: "Created", 202: "Accepted"}.get(resp.status, str(resp.status))
    link = resp.headers.get("Azure-AsyncOperation") or resp.headers.get("Location") or ""
    m = _OP_ID.search(link)
    if m is None:
        _settle(sim, step)
    else:
        step.op_id = m.group(1)


def _poll_step(sim: ArmSim, step: _Step) -> bool:
    op: Operation | None = sim.ops.get(step.op_id or "")
    if op is None:
        _settle(sim, step)
        return True
    op.progress += 1
    sim.tick()
    if not op.done:
        return False
    if op.status == "Failed":
        _fail_step(step, "ResourceDeploymentFailure", "The resource write operation failed to complete "
                   "successfully, because it reached terminal provisioning state 'Failed'.", step.status_code,
                   target=step.res.id, details=[op.error] if op.error else None)
    else:
        _settle(sim, step)
    return True


def _settle(sim: ArmSim, step: _Step) -> None:
    body = sim.peek(step.res.id)
    state = (body or {}).get("properties", {}).get("provisioningState", "Succeeded") if body else "Succeeded"
    if state == "Failed":
        _fail_step(step, "ResourceDeploymentFailure", "The resource write operation failed to complete "
                   "successfully, because it reached terminal provisioning state 'Failed'.", step.status_code,
                   target=step.res.id)
        return
    step.state, step.ended = "Succeeded", time.monotonic()


def _fail_step(step: _Step, code: str, message: str, status_code: str, *, target: str | None = None,
               details: list[dict[str, Any]] | None = None) -> None:
    err: dict[str, Any] = {"code": code}
    if target:
        err["target"] = target
    err["message"] = message
    if details:
        err["details"] = details
    step.error, step.state, step.ended, step.status_code = err, "Failed", time.monotonic(), status_code


def _operation_body(deployment_id: str, step: _Step) -> dict[str, Any]:
    res = step.res
    props: dict[str, Any] = {
        "provisioningOperation": "Create",
        "provisioningState": step.state,
        "timestamp": _now(),
        "duration": _duration((step.ended or time.monotonic()) - step.started),
        "trackingId": str(uuid.uuid5(uuid.NAMESPACE_URL, deployment_id + step.operation_id)),
        "serviceRequestId": str(uuid.uuid5(uuid.NAMESPACE_OID, deployment_id + step.operation_id)),
        "statusCode": step.status_code,
        "targetResource": {"id": res.id, "resourceType": res.type, "resourceName": res.name},
    }
    if step.error is not None:
        props["statusMessage"] = {"status": "Failed", "error": step.error}
    return {"id": f"{deployment_id}/operations/{step.operation_id}", "operationId": step.operation_id,
            "properties": props}


def _parameters(template: dict[str, Any], ctx: Any, props: dict[str, Any]) -> dict[str, Any]:
    """The deployment's ``parameters`` (secure ones left out); without any, the key only when the request
    sent one. ARM answers ``"parameters": {}`` to az vm create's ``"parameters": {}`` (azure-cli recording
    test_vm_create_ubuntu.yaml, validate, PUT and GET) and leaves the key out for a request and template
    without parameters (as it leaves ``outputs`` out for a template without an ``outputs`` section; measured
    against azure-cli recordings, issue #25)."""
    given = {k: {"type": _param_type(template, k), "value": v} for k, v in ctx.parameters.items()
             if not _secure(template, k)}
    return {"parameters": given} if given or "parameters" in props else {}


def _outputs(run: _Run) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, spec in (run.template.get("outputs") or {}).items():
        if not isinstance(spec, dict):
            continue
        try:
            value = tpl.evaluate(spec.get("value"), run.ctx)
        except tpl.TemplateError:
            value = None
        out[name] = {"type": str(spec.get("type", "String")).capitalize(), "value": value}
    return out


def _succeeded(sim: ArmSim, key: str) -> None:
    rec = _store(sim).get(key)
    if rec is None:
        return
    props = rec["properties"]
    props["provisioningState"] = "Succeeded"
    props["timestamp"] = _now()
    if "outputs" in (rec.get("_template") or {}):
        props.setdefault("outputs", {})
    ops = rec.get("_operations", [])
    props["outputResources"] = [{"id": op["properties"]["targetResource"]["id"]}
                                for op in sorted((o for o in ops if "targetResource" in o["properties"]),
                                                 key=lambda o: o["properties"]["targetResource"]["id"].lower())]
    if (rec.get("_template") or {}).get("outputs") and not any(
            o["properties"]["provisioningOperation"] == "EvaluateDeploymentOutput" for o in ops):
        # ARM lists the evaluation of the template's outputs as an operation of its own, without a target.
        op_id = str(uuid.uuid5(uuid.NAMESPACE_URL, rec["id"] + "/outputs").int)[:20]
        ops.append({"id": f"{rec['id']}/operations/{op_id}", "operationId": op_id, "properties": {
            "provisioningOperation": "EvaluateDeploymentOutput", "provisioningState": "Succeeded",
            "timestamp": _now(), "duration": props.get("duration", _duration(0)),
            "trackingId": str(uuid.uuid5(uuid.NAMESPACE_URL, rec["id"] + op_id)), "statusCode": "OK"}})


def _failed(sim: ArmSim, key: str, err: dict[str, Any]) -> None:
    rec = _store(sim).get(key)
    if rec is None:
        return
    rec["properties"]["provisioningState"] = "Failed"
    rec["properties"]["timestamp"] = _now()
    rec["properties"]["error"] = err
