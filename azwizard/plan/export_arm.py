"""Export a plan as an ARM deployment template for its resource group (``az deployment group create``).

Each step becomes one template resource with the step's own api-version and wire body. Every resource
id the body mentions becomes a ``[resourceId(...)]`` expression (children such as subnets included:
``resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('vnetName'), 'default')``), and
the resource ``dependsOn`` whatever owns those ids plus its plan dependencies, so the template's
graph is the plan's graph. Resource names, the location, the admin user and the SSH public key are
parameters whose defaults are the plan's values, so the template deploys exactly the plan as is.

The resource group itself is not part of a group-level template: the template's ``metadata`` records
it (and the ``az group create`` command for it) and how to deploy.

Kinds customise their resources through registries, so other journeys (AKS) add theirs in their own
module: ``@arm_names(kind)`` gives a resource's name segments as expressions, ``@arm_resource(kind)``
adjusts the finished resource. Expression syntax and escaping follow
https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions ;
``resourceId``/``subscriptionResourceId``/``extensionResourceId`` follow
https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource .
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..userfiles import write_user_text
from .diff import merge
from .export_az import export, plan_group
from .model import Plan, Step

__all__ = ["ArmContext", "TEMPLATE_SCHEMA", "TemplateError", "arm_names", "arm_resource", "arm_template", "arm_template_json",
           "save"]

TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
RESOURCE_GROUPS = "microsoft.resources/resourcegroups"

_ID_RE = re.compile(r"^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?((?:/providers/.+)?)$", re.IGNORECASE)


def q(text: str) -> str:
    """An ARM expression string literal."""
    return "'" + text.replace("'", "''") + "'"


def literal(text: str) -> str:
    """A JSON string the template engine keeps as is: one that starts with "[" and ends with "]" would be
    read as an expression, so it gets the "[[" escape."""
    return "[" + text if text.startswith("[") and text.endswith("]") else text


def _is_literal_expr(expr: str) -> bool:
    return bool(re.fullmatch(r"'(?:[^']|'')*'", expr))


def _unquote(expr: str) -> str:
    return expr[1:-1].replace("''", "'")


def is_resource_id(text: str) -> bool:
    return bool(_ID_RE.match(text))


class TemplateError(ValueError):
    """The plan cannot be written as a template (a name the rules refuse, such as one holding a '/')."""


@dataclass(frozen=True)
class ParsedId:
    subscription: str
    resource_group: str | None
    scope: str | None  # the parent resource id of an extension resource
    namespace: str | None
    types: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def type(self) -> str:
        return "/".join([self.namespace or "", *self.types])


def parse_id(resource_id: str) -> ParsedId | None:
    m = _ID_RE.match(resource_id)
    if not m:
        return None
    sub, rg, prov = m.group(1), m.group(2), m.group(3)
    if not prov:
        return ParsedId(sub, rg, None, None, (), ())
    idx = resource_id.lower().rfind("/providers/")
    scope_id = resource_id[:idx]
    scope = scope_id if "/providers/" in scope_id.lower() else None
    segs = resource_id[idx + len("/providers/"):].split("/")
    if len(segs) < 3 or len(segs) % 2 == 0:
        return None
    return ParsedId(sub, rg, scope, segs[0], tuple(segs[1::2]), tuple(segs[2::2]))


# ---------------------------------------------------------------------------------------------------
# Context and registries


def _param_name(key: str, suffix: str) -> str:
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", key) if p]
    head = (parts[0][:1].lower() + parts[0][1:]) if parts else "step"
    return head + "".join(p[:1].upper() + p[1:] for p in parts[1:]) + suffix


@dataclass
class ArmContext:
    plan: Plan
    resource_group: str
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    name_args: dict[str, list[str]] = field(default_factory=dict)  # step key -> name segment expressions

    def param(self, name: str, default: Any, description: str, type_: str = "string") -> str:
        """Declare a parameter (once) and return the expression that reads it."""
        if name not in self.parameters:
            value = literal(default) if isinstance(default, str) else default
            self.parameters[name] = {"type": type_, "defaultValue": value, "metadata": {"description": description}}
        return f"parameters({q(name)})"

    @property
    def location(self) -> str:
        return self.param("location", self.plan.location, "Region of every resource (the plan's region).")

    def step_for(self, resource_id: str) -> Step | None:
        for s in self.plan.steps:
            if s.resource_id.lower() == resource_id.lower():
                return s
        return None

    def owner(self, resource_id: str, *, strict: bool = False) -> Step | None:
        """The step that creates ``resource_id`` or its closest parent (a subnet's VNet, a policy's vault);
        ``strict``: a parent only."""
        rid = resource_id.lower()
        best: Step | None = None
        for s in self.plan.steps:
            sid = s.resource_id.lower()
            if ((rid == sid and not strict) or rid.startswith(sid + "/")) and (
                    best is None or len(sid) > len(best.resource_id)):
                best = s
        return best

    def step_id_expr(self, step: Step) -> str:
        pid = parse_id(step.resource_id)
        assert pid is not None
        if pid.scope is not None:  # an extension resource (a role assignment on a resource)
            scope = self.id_expr(pid.scope)
            return f"extensionResourceId({', '.join([scope or q(pid.scope), q(pid.type), *self.name_args[step.key]])})"
        return self._resource_id_call(pid, self.name_args[step.key])

    def scope_value(self, scope_id: str) -> str | None:
        """The ``scope`` property of an extension resource on ``scope_id``: the resource's type and names
        ("Microsoft.Compute/virtualMachines/vm1"), for a resource of the deployment's group."""
        pid = parse_id(scope_id)
        if (pid is None or pid.namespace is None or pid.scope is not None or pid.resource_group is None
                or pid.subscription.lower() != self.plan.subscription_id.lower()
                or pid.resource_group.lower() != self.resource_group.lower()):
            return None
        step = self.step_for(scope_id)
        names = self.name_args[step.key] if step is not None and step.key in self.name_args else \
            self._names_from_parents(scope_id, pid)
        parts: list[str] = []
        for i, (t, n) in enumerate(zip(pid.types, names, strict=True)):
            parts += [q(f"{pid.namespace}/{t}/" if i == 0 else f"/{t}/"), n]
        if all(_is_literal_expr(p) for p in parts):
            return literal("".join(_unquote(p) for p in parts))
        return f"[concat({', '.join(parts)})]"

    def _resource_id_call(self, pid: ParsedId, names: list[str]) -> str:
        args = []
        if pid.subscription.lower() != self.plan.subscription_id.lower():
            args.append(q(pid.subscription))
            args.append(q(pid.resource_group or ""))
        elif (pid.resource_group or "").lower() != self.resource_group.lower():
            args.append(q(pid.resource_group or ""))
        return f"resourceId({', '.join([*args, q(pid.type), *names])})"

    def id_expr(self, resource_id: str) -> str | None:
        """An expression for ``resource_id``, with the plan's names read from parameters."""
        step = self.step_for(resource_id)
        if step is not None and step.key in self.name_args:
            return self.step_id_expr(step)
        pid = parse_id(resource_id)
        if pid is None:
            return None
        same_sub = pid.subscription.lower() == self.plan.subscription_id.lower()
        if pid.namespace is None:  # a subscription or a resource group
            if pid.resource_group is None:
                return "subscription().id" if same_sub else None
            if same_sub and pid.resource_group.lower() == self.resource_group.lower():
                return "resourceGroup().id"
            sub_args = [] if same_sub else [q(pid.subscription)]
            args = [*sub_args, q("Microsoft.Resources/resourceGroups"), q(pid.resource_group)]
            return f"subscriptionResourceId({', '.join(args)})"
        names = self._names_from_parents(resource_id, pid)
        if pid.scope is not None:
            scope = self.id_expr(pid.scope)
            if scope is None:
                return None
            return f"extensionResourceId({', '.join([scope, q(pid.type), *names])})"
        if pid.resource_group is None:
            sub_args = [] if same_sub else [q(pid.subscription)]
            return f"subscriptionResourceId({', '.join([*sub_args, q(pid.type), *names])})"
        return self._resource_id_call(pid, names)

    def _names_from_parents(self, resource_id: str, pid: ParsedId) -> list[str]:
        """Name segments, reusing a plan step's name expressions for the parent part (``vnetName`` for a
        subnet of the plan's VNet)."""
        names = [q(n) for n in pid.names]
        parent = self.owner(resource_id, strict=True)
        if parent is not None and parent.key in self.name_args and pid.scope is None:
            # the id is the parent's id and more segments (not an extension resource on the parent), and the parent's
            # name expressions are one per name segment of its id
            parent_names = self.name_args[parent.key]
            names[:len(parent_names)] = parent_names
        return names


NamesHook = Callable[[Step, ArmContext], list[str] | None]
ResourceHook = Callable[[Step, ArmContext, dict[str, Any]], None]
_NAMES: dict[str, NamesHook] = {}
_RESOURCE_HOOKS: dict[str, ResourceHook] = {}


def arm_names(kind: str) -> Callable[[NamesHook], NamesHook]:
    """Register how a kind's name segments are written (expressions, one per segment)."""

    def register(fn: NamesHook) -> NamesHook:
        _NAMES[kind.lower()] = fn
        return fn

    return register


def arm_resource(kind: str) -> Callable[[ResourceHook], ResourceHook]:
    """Register a hook that adjusts a kind's finished template resource."""

    def register(fn: ResourceHook) -> ResourceHook:
        _RESOURCE_HOOKS[kind.lower()] = fn
        return fn

    return register


def _default_names(step: Step, ctx: ArmContext) -> list[str]:
    pid = parse_id(step.resource_id)
    if pid is None or pid.namespace is None:
        raise TemplateError(f"{step.label or step.key} has no resource id a template can create "
                            f"({step.resource_id}): a name holds a '/' or is empty")
    if len(pid.names) == 1 and pid.scope is None:
        return [ctx.param(_param_name(step.key, "Name"), pid.names[0], f"Name of the {step.label or step.kind}.")]
    return ctx._names_from_parents(step.resource_id, pid)


# ---------------------------------------------------------------------------------------------------
# VM journey hooks


@arm_resource("Microsoft.Compute/virtualMachines")
def _vm_parameters(step: Step, ctx: ArmContext, resource: dict[str, Any]) -> None:
    """The admin user and SSH public key as parameters (the key is public: a plain string)."""
    user = step.body.get("properties", {}).get("osProfile", {}).get("adminUsername")
    if isinstance(user, str):  # then the resource has an osProfile, the body's with its ids as expressions
        osp = resource["properties"]["osProfile"]
        user_expr = ctx.param("adminUsername", user, "Administrator user name on the VM.")
        osp["adminUsername"] = f"[{user_expr}]"
        keys = osp.get("linuxConfiguration", {}).get("ssh", {}).get("publicKeys", [])
        for i, key in enumerate(keys):
            data = step.body["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][i]
            if data.get("path") == f"/home/{user}/.ssh/authorized_keys":
                key["path"] = f"[format('/home/{{0}}/.ssh/authorized_keys', {user_expr})]"
            if i == 0 and isinstance(data.get("keyData"), str):
                key["keyData"] = "[" + ctx.param("adminPublicKey", data["keyData"],
                                                 "SSH public key allowed to sign in as the admin user.") + "]"


@arm_names("Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems")
def _protected_item_names(step: Step, ctx: ArmContext) -> list[str] | None:
    """``vault/Azure/IaasVMContainer;iaasvmcontainerv2;<rg>;<vm>/VM;iaasvmcontainerv2;<rg>;<vm>`` with the
    vault and VM names from their parameters and the group from the deployment."""
    pid = parse_id(step.resource_id)
    if pid is None or len(pid.names) != 4:
        return None
    vault, fabric, container, item = pid.names
    vault_step = ctx.owner(step.resource_id, strict=True)
    vm_id = step.body.get("properties", {}).get("sourceResourceId", "")
    vm_step = ctx.step_for(vm_id) if isinstance(vm_id, str) else None
    if vault_step is None or vault_step.key not in ctx.name_args or vm_step is None or vm_step.key not in ctx.name_args:
        return None
    rg, vm = step.resource_group, vm_step.name
    c_prefix, i_prefix = "IaasVMContainer;iaasvmcontainerv2;", "VM;iaasvmcontainerv2;"
    if container != f"{c_prefix}{rg};{vm}" or item != f"{i_prefix}{rg};{vm}" or rg != ctx.resource_group:
        return None
    vm_expr = ctx.name_args[vm_step.key][0]
    return [ctx.name_args[vault_step.key][0], q(fabric),
            f"concat({q(c_prefix)}, resourceGroup().name, ';', {vm_expr})",
            f"concat({q(i_prefix)}, resourceGroup().name, ';', {vm_expr})"]


# ---------------------------------------------------------------------------------------------------
# Building the template


def _name_value(args: list[str]) -> str:
    if all(_is_literal_expr(a) for a in args):
        return literal("/".join(_unquote(a) for a in args))
    if len(args) == 1:
        return f"[{args[0]}]"
    joined: list[str] = []
    for a in args:
        if joined:
            joined.append("'/'")
        joined.append(a)
    return f"[concat({', '.join(joined)})]"


def _transform(node: Any, ctx: ArmContext, refs: list[str]) -> Any:
    """The body with every resource id as an expression (collected in ``refs``) and literals escaped."""
    if isinstance(node, Mapping):
        return {k: _transform(v, ctx, refs) for k, v in node.items()}
    if isinstance(node, list):
        return [_transform(v, ctx, refs) for v in node]
    if isinstance(node, str):
        if is_resource_id(node):
            expr = ctx.id_expr(node)
            refs.append(node)
            if expr is not None:
                return f"[{expr}]"
        return literal(node)
    return node


def _common_tags(plan: Plan) -> dict[str, str] | None:
    for s in plan.steps:
        tags = s.body.get("tags")
        if isinstance(tags, Mapping) and tags:
            return dict(tags)
    return None


_ORDER = ("type", "apiVersion", "name", "scope", "comments", "location", "tags", "sku", "kind", "identity", "zones",
          "properties", "dependsOn")


def _resource(step: Step, ctx: ArmContext, tags: dict[str, str] | None, order: list[str]) -> dict[str, Any]:
    refs: list[str] = []
    body = {k: v for k, v in step.body.items() if k not in ("location", "tags")}
    res: dict[str, Any] = {"type": step.kind, "apiVersion": step.api_version,
                           "name": _name_value(ctx.name_args[step.key])}
    if step.label:
        res["comments"] = literal(step.label)
    if "location" in step.body:
        loc = step.body["location"]
        res["location"] = f"[{ctx.location}]" if loc == ctx.plan.location else literal(loc)
    if "tags" in step.body:
        res["tags"] = ("[variables('tags')]" if tags is not None and dict(step.body["tags"]) == tags
                       else _transform(step.body["tags"], ctx, refs))
    res.update(_transform(body, ctx, refs))
    pid = parse_id(step.resource_id)
    if pid is not None and pid.scope is not None:
        scope = ctx.scope_value(pid.scope)
        if scope is not None:
            res["scope"] = scope
        refs.append(pid.scope)  # depend on whatever creates the scope
    deps: set[str] = set()
    for rid in refs:
        owner = ctx.owner(rid)
        if owner is not None and owner.key != step.key and owner.kind.lower() != RESOURCE_GROUPS:
            deps.add(owner.key)
    for key in step.depends_on:
        if ctx.plan.step(key).kind.lower() != RESOURCE_GROUPS:
            deps.add(key)
    if deps:
        res["dependsOn"] = [_depends_on(ctx.plan.step(k), ctx) for k in order if k in deps]
    hook = _RESOURCE_HOOKS.get(step.kind.lower())
    if hook is not None:
        hook(step, ctx, res)
    return {k: res[k] for k in sorted(res, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))}


# Nested deployments (a patch step's read-modify-write): the Microsoft.Resources api-version the plan uses for groups.
DEPLOYMENTS_API = "2025-04-01"


def _deployment_name(step: Step, ctx: ArmContext) -> str:
    """The nested deployment of a change step: a deployment name has at most 64 characters."""
    return f"azwizard-{step.key}-{ctx.plan.run_id}"[:64]


def _depends_on(dep: Step, ctx: ArmContext) -> str:
    """A ``dependsOn`` entry for ``dep``. A change step's resource is declared by its maker, so what waits for the
    change names the change's nested deployment (a deployment's id:
    https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-dependency#dependson), not the
    resource, which would wait only for the maker."""
    if dep.patch_of:
        return f"[resourceId('Microsoft.Resources/deployments', {q(_deployment_name(dep, ctx))})]"
    return f"[{ctx.step_id_expr(dep)}]"


def _patch_resource(step: Step, ctx: ArmContext, tags: dict[str, str] | None, order: list[str]) -> dict[str, Any]:
    """A step that changes a resource an earlier step made (``Step.patch_of``). A template may name a resource only
    once, so the change becomes a nested deployment that PUTs that resource again with the change merged over its
    planned body (what the runner's read-modify-write sends: the whole resource), after the step's dependencies
    (https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates#nested-template; expressions
    are evaluated in the outer template's scope, the default)."""
    target = ctx.plan.step(step.patch_of)
    merged = replace(target, body=merge(step.body, target.body), depends_on=())
    inner = _resource(merged, ctx, tags, order)
    inner.pop("dependsOn", None)
    deps = [_depends_on(ctx.plan.step(k), ctx) for k in order
            if k in step.depends_on and ctx.plan.step(k).kind.lower() != RESOURCE_GROUPS]
    return {"type": "Microsoft.Resources/deployments", "apiVersion": DEPLOYMENTS_API,
            "name": literal(_deployment_name(step, ctx)),
            "comments": literal(f"{step.label}: the resource sent again with the change (read-modify-write)"),
            "properties": {"mode": "Incremental", "template": {
                "$schema": TEMPLATE_SCHEMA, "contentVersion": "1.0.0.0", "resources": [inner]}},
            "dependsOn": deps}


def _group_command(plan: Plan) -> str | None:
    """``az group create ...`` for the plan's resource group, rendered by the az exporter."""
    for sc in export(plan).steps:
        if sc.step.kind.lower() == RESOURCE_GROUPS:
            return " && ".join(shlex.join(c.argv()) for c in sc.commands)
    return None


def arm_template(plan: Plan) -> dict[str, Any]:
    """The plan as a resource-group deployment template (a JSON-ready dict)."""
    rg = plan_group(plan)
    ctx = ArmContext(plan, rg)
    ctx.param("location", plan.location, "Region of every resource (the plan's region).")
    steps = [s for s in plan.topological() if s.kind.lower() != RESOURCE_GROUPS]
    order = [s.key for s in steps]
    for s in steps:  # parents come first in dependency order, so children can reuse their names
        if s.patch_of:  # the same resource sent again: its names, not a parameter of its own nothing would read
            ctx.name_args[s.key] = ctx.name_args[s.patch_of]
            continue
        hook = _NAMES.get(s.kind.lower())
        names = hook(s, ctx) if hook is not None else None
        ctx.name_args[s.key] = names if names is not None else _default_names(s, ctx)
    tags = _common_tags(plan)
    resources = [_patch_resource(s, ctx, tags, order) if s.patch_of else _resource(s, ctx, tags, order)
                 for s in steps]

    outputs: dict[str, Any] = {}
    for s in steps:
        if s.kind.lower() == "microsoft.network/publicipaddresses":
            outputs[_param_name(s.key, "Address")] = {
                "type": "string",
                "value": f"[reference({ctx.step_id_expr(s)}, {q(s.api_version)}).ipAddress]",
            }

    group_step = next((s for s in plan.steps if s.kind.lower() == RESOURCE_GROUPS), None)
    file_name = f"azwizard-{plan.run_id}.json"
    metadata: dict[str, Any] = {
        "_generator": {"name": "azwizard", "runId": plan.run_id, "journey": plan.journey},
        "description": (f"azwizard run {plan.run_id}: the {len(steps)} resources of the {plan.journey} plan, "
                        f"deployed into resource group {rg}."),
        "resourceGroup": {
            "name": rg,
            "location": group_step.body.get("location", plan.location) if group_step else plan.location,
            "createdBy": ("this plan: create it first" if group_step else
                          "not this plan: it must already exist"),
        },
        "deploy": shlex.join(["az", "deployment", "group", "create", "--resource-group", rg,
                              "--template-file", file_name]),
    }
    if group_step is not None:
        metadata["resourceGroup"]["tags"] = dict(group_step.body.get("tags", {}))
        metadata["resourceGroup"]["create"] = _group_command(plan)
    template: dict[str, Any] = {
        "$schema": TEMPLATE_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": metadata,
        "parameters": ctx.parameters,
        "variables": {"tags": _transform(tags, ctx, [])} if tags is not None else {},
        "resources": resources,
        "outputs": outputs,
    }
    return template


def arm_template_json(plan: Plan) -> str:
    return json.dumps(arm_template(plan), indent=2, ensure_ascii=False) + "\n"


def save(plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Write the plan's ARM template to ``path`` (a new file 0644; an existing one keeps its mode)."""
    return write_user_text(path, arm_template_json(plan), mode=0o644)  # the rules of every file a user names
