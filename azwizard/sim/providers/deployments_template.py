"""The ARM template language, as far as the simulator's deployments need it.

``az vm create`` (and ``az vmss create``, ``az deployment group create`` ...) send an ARM template
deployment rather than resource PUTs. This module evaluates such a template: parameters (with defaults and
the deployment's values), variables, ``[expression]`` strings with the functions below, ``condition``,
``dependsOn``, and outputs. Reference: https://learn.microsoft.com/azure/azure-resource-manager/templates/
template-functions and .../templates/syntax.

Supported functions: parameters, variables, concat, format, resourceId, subscriptionResourceId,
subscription, resourceGroup, deployment, reference (of a resource this deployment already created, or that
exists), base64, base64ToString, string, int, bool, toLower, toUpper, trim, replace, length, empty, equals,
not, and, or, if, coalesce, contains, first, last, createArray, createObject, union, json, guid,
uniqueString, true, false, null. Not supported (answered 400 InvalidTemplate naming it): ``copy`` loops
and ``copyIndex``, nested child ``resources``, ``scope`` / cross-group ``resourceGroup`` properties,
linked templates (``templateLink``), ``languageVersion`` 2.0 symbolic names, and any other function.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..wire import ArmError


class TemplateError(Exception):
    """An error in the template: ARM's ``InvalidTemplate`` (400)."""


def invalid_template(message: str) -> ArmError:
    # ARM prefixes template problems with "Deployment template validation failed: ..." (code InvalidTemplate),
    # https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-invalid-template
    return ArmError(400, "InvalidTemplate", f"Deployment template validation failed: '{message}'.")


@dataclass
class Context:
    subscription_id: str
    tenant_id: str
    group: dict[str, Any]
    deployment_name: str
    parameters: dict[str, Any]
    variables_src: dict[str, Any]
    reference: Callable[[str, str | None, bool], Any]
    _variables: dict[str, Any] = field(default_factory=dict)
    _resolving: set[str] = field(default_factory=set)

    def variable(self, name: str) -> Any:
        key = _find_key(self.variables_src, name)
        if key is None:
            raise TemplateError(f"The template variable '{name}' is not found")
        if key not in self._variables:
            if key in self._resolving:
                raise TemplateError(f"The template variable '{name}' refers to itself")
            self._resolving.add(key)
            self._variables[key] = evaluate(self.variables_src[key], self)
            self._resolving.discard(key)
        return self._variables[key]


def _find_key(mapping: Mapping[str, Any], name: str) -> str | None:
    # Template names (parameters, variables, properties read with ".") are case-insensitive.
    for k in mapping:
        if k.lower() == name.lower():
            return k
    return None


def evaluate(node: Any, ctx: Context) -> Any:
    """Evaluate every ``[expression]`` string inside ``node`` (dicts and lists recursively)."""
    if isinstance(node, dict):
        return {k: evaluate(v, ctx) for k, v in node.items()}
    if isinstance(node, list):
        return [evaluate(v, ctx) for v in node]
    if isinstance(node, str):
        return evaluate_string(node, ctx)
    return node


def is_expression(text: str) -> bool:
    return text.startswith("[") and text.endswith("]") and not text.startswith("[[")


def evaluate_string(text: str, ctx: Context) -> Any:
    if text.startswith("[["):
        return text[1:]  # "[[" escapes a literal string that starts with "["
    if not is_expression(text):
        return text
    parser = _Parser(text[1:-1], ctx)
    value = parser.expression()
    parser.skip_ws()
    if parser.pos != len(parser.text):
        raise TemplateError(f"The template language expression '{text[1:-1]}' is not valid: unexpected "
                            f"'{parser.text[parser.pos:]}'")
    return value


class _Parser:
    def __init__(self, text: str, ctx: Context) -> None:
        self.text, self.pos, self.ctx = text, 0, ctx

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise TemplateError(f"The template language expression '{self.text}' is not valid: expected '{ch}' "
                                f"at position {self.pos}")
        self.pos += 1

    def expression(self) -> Any:
        ch = self.peek()
        if ch == "'":
            value: Any = self.string()
        elif ch.isdigit() or ch == "-":
            m = re.compile(r"-?\d+").match(self.text, self.pos)
            if m is None:
                raise TemplateError(f"The template language expression '{self.text}' is not valid")
            self.pos = m.end()
            value = int(m.group())
        else:
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*").match(self.text, self.pos)
            if m is None:
                raise TemplateError(f"The template language expression '{self.text}' is not valid")
            name = m.group()
            self.pos = m.end()
            self.expect("(")
            args: list[Any] = []
            if self.peek() != ")":
                args.append(self.expression())
                while self.peek() == ",":
                    self.pos += 1
                    args.append(self.expression())
            self.expect(")")
            value = call(name, args, self.ctx)
        return self.accessors(value)

    def accessors(self, value: Any) -> Any:
        while True:
            ch = self.peek()
            if ch == ".":
                self.pos += 1
                m = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*").match(self.text, self.pos)
                if m is None:
                    raise TemplateError(f"The template language expression '{self.text}' is not valid")
                self.pos = m.end()
                value = _member(value, m.group())
            elif ch == "[":
                self.pos += 1
                index = self.expression()
                self.expect("]")
                value = _index(value, index)
            else:
                return value

    def string(self) -> str:
        self.expect("'")
        out = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "'":
                if self.text[self.pos + 1:self.pos + 2] == "'":  # '' is an escaped quote
                    out.append("'")
                    self.pos += 2
                    continue
                self.pos += 1
                return "".join(out)
            out.append(ch)
            self.pos += 1
        raise TemplateError(f"The template language expression '{self.text}' is not valid: unterminated string")


def _member(value: Any, name: str) -> Any:
    if not isinstance(value, dict):
        raise TemplateError(f"The language expression property '{name}' can't be evaluated, property name must be "
                            "a string")
    key = _find_key(value, name)
    if key is None:
        raise TemplateError(f"The language expression property '{name}' doesn't exist, available properties are "
                            f"'{', '.join(value)}'")
    return value[key]


def _index(value: Any, index: Any) -> Any:
    if isinstance(value, list) and isinstance(index, int):
        if not 0 <= index < len(value):
            raise TemplateError(f"The language expression property array index '{index}' is out of bounds")
        return value[index]
    if isinstance(value, dict) and isinstance(index, str):
        return _member(value, index)
    raise TemplateError(f"The language expression property '{index}' can't be evaluated")


def resource_id(ctx: Context, args: list[Any], *, subscription_level: bool = False) -> str:
    """resourceId([subscriptionId], [resourceGroupName], resourceType, resourceName1, [resourceName2], ...)."""
    strs = [str(a) for a in args]
    type_at = next((i for i, a in enumerate(strs) if "/" in a and "." in a.split("/", 1)[0]), None)
    if type_at is None:
        raise TemplateError("The template function 'resourceId' needs a resource type ('Namespace/type')")
    before, rtype, names = strs[:type_at], strs[type_at], strs[type_at + 1:]
    ns, *types = rtype.split("/")
    if len(types) != len(names) or not names:
        raise TemplateError(f"The template function 'resourceId' has {len(names)} name segments for the type "
                            f"'{rtype}', which needs {len(types)}")
    sub = ctx.subscription_id
    rg = ctx.group["name"]
    if subscription_level:
        sub = before[0] if before else sub
        tail = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
        return f"/subscriptions/{sub}/providers/{ns}/{tail}"
    if len(before) == 1:
        rg = before[0]
    elif len(before) == 2:
        sub, rg = before
    elif len(before) > 2:
        raise TemplateError("The template function 'resourceId' has too many arguments")
    tail = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{tail}"


def _to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"  # ARM's string(true) is "True"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _unique_string(*parts: Any) -> str:
    # ARM's uniqueString is a 13-character base-32 hash; the exact algorithm is not public: any stable hash
    # of the same inputs serves (only determinism and the shape matter).
    digest = hashlib.sha256("|".join(map(_to_string, parts)).encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    n = int.from_bytes(digest[:9], "big")
    return "".join(alphabet[(n >> (5 * i)) & 31] for i in range(13))


def _format(fmt: str, *args: Any) -> str:
    # .NET composite formatting: {0}, {1:format}; "{{" and "}}" are literal braces.
    def sub(m: re.Match[str]) -> str:
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        i = int(m.group(1))
        if i >= len(args):
            raise TemplateError(f"The template function 'format' has no argument {{{i}}}")
        return _to_string(args[i])

    return re.sub(r"\{\{|\}\}|\{(\d+)(?::[^}]*)?\}", sub, fmt)


def call(name: str, args: list[Any], ctx: Context) -> Any:
    fn = name.lower()
    if fn == "parameters":
        key = _find_key(ctx.parameters, str(args[0]))
        if key is None:
            raise TemplateError(f"The template parameter '{args[0]}' is not found")
        return ctx.parameters[key]
    if fn == "variables":
        return ctx.variable(str(args[0]))
    if fn == "concat":
        if args and all(isinstance(a, list) for a in args):
            return [x for a in args for x in a]
        return "".join(_to_string(a) for a in args)
    if fn == "format":
        return _format(str(args[0]), *args[1:])
    if fn == "resourceid":
        return resource_id(ctx, args)
    if fn == "subscriptionresourceid":
        return resource_id(ctx, args, subscription_level=True)
    if fn == "subscription":
        return {"id": f"/subscriptions/{ctx.subscription_id}", "subscriptionId": ctx.subscription_id,
                "tenantId": ctx.tenant_id, "displayName": "azwizard simulated subscription"}
    if fn == "resourcegroup":
        g = ctx.group
        return {"id": g["id"], "name": g["name"], "type": g["type"], "location": g["location"],
                "tags": g.get("tags") or {}, "properties": {"provisioningState": "Succeeded"}}
    if fn == "deployment":
        return {"name": ctx.deployment_name, "properties": {"templateLink": None}}
    if fn == "reference":
        full = len(args) > 2 and str(args[2]).lower() == "full"
        return ctx.reference(str(args[0]), str(args[1]) if len(args) > 1 else None, full)
    if fn == "base64":
        return base64.b64encode(_to_string(args[0]).encode()).decode()
    if fn == "base64tostring":
        return base64.b64decode(str(args[0])).decode()
    if fn == "string":
        return _to_string(args[0])
    if fn == "int":
        return int(args[0])
    if fn == "bool":
        return args[0] if isinstance(args[0], bool) else str(args[0]).lower() == "true"
    if fn == "tolower":
        return str(args[0]).lower()
    if fn == "toupper":
        return str(args[0]).upper()
    if fn == "trim":
        return str(args[0]).strip()
    if fn == "replace":
        return str(args[0]).replace(str(args[1]), str(args[2]))
    if fn == "length":
        return len(args[0])
    if fn == "empty":
        return args[0] is None or (hasattr(args[0], "__len__") and len(args[0]) == 0)
    if fn == "equals":
        return args[0] == args[1]
    if fn == "not":
        return not args[0]
    if fn == "and":
        return all(args)
    if fn == "or":
        return any(args)
    if fn == "if":
        return args[1] if args[0] else args[2]
    if fn == "coalesce":
        return next((a for a in args if a is not None), None)
    if fn == "contains":
        container, item = args
        if isinstance(container, dict):
            return _find_key(container, str(item)) is not None
        if isinstance(container, str):
            return str(item).lower() in container.lower()
        return item in container
    if fn == "first":
        return args[0][0] if args[0] else None
    if fn == "last":
        return args[0][-1] if args[0] else None
    if fn == "createarray":
        return list(args)
    if fn == "createobject":
        return {str(args[i]): args[i + 1] for i in range(0, len(args) - 1, 2)}
    if fn == "union":
        if all(isinstance(a, dict) for a in args):
            out: dict[str, Any] = {}
            for a in args:
                out.update(a)
            return out
        merged: list[Any] = []
        for a in args:
            merged.extend(x for x in a if x not in merged)
        return merged
    if fn == "json":
        return json.loads(str(args[0]))
    if fn == "guid":
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(map(_to_string, args))))
    if fn == "uniquestring":
        return _unique_string(*args)
    if fn == "true":
        return True
    if fn == "false":
        return False
    if fn == "null":
        return None
    if fn == "copyindex":
        raise TemplateError("copy loops (copyIndex) are not supported by the azwizard simulator")
    raise TemplateError(f"The template function '{name}' is not valid. Please see https://aka.ms/arm-functions "
                        "for usage details")


# ------------------------------------------------------------------------------------- parameters


_PARAM_TYPES = {"string", "securestring", "int", "bool", "object", "secureobject", "array"}


def bind_parameters(template: dict[str, Any], given: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """The template's parameters with the deployment's values (``{"name": {"value": ...}}``) or defaults."""
    defs = template.get("parameters") or {}
    if not isinstance(defs, dict):
        raise TemplateError("The template 'parameters' section must be an object")
    for name in given:
        if _find_key(defs, name) is None:
            raise ArmError(
                400, "InvalidTemplate",
                f"Deployment template validation failed: 'The template parameters '{name}' in the parameters file "
                "are not valid; they are not present in the original template and can therefore not be provided "
                "at deployment time.'.",
            )
    values: dict[str, Any] = {}
    for name, spec in defs.items():
        spec = spec if isinstance(spec, dict) else {}
        ptype = str(spec.get("type", "")).lower()
        if ptype not in _PARAM_TYPES:
            raise TemplateError(f"The template parameter '{name}' has an invalid type '{spec.get('type')}'")
        key = _find_key(given, name)
        if key is not None:
            entry = given[key]
            if not isinstance(entry, dict) or "value" not in entry:
                raise TemplateError(f"The value of deployment parameter '{name}' is null or has no 'value'")
            values[name] = entry["value"]
        elif "defaultValue" in spec:
            ctx.parameters = values  # defaults may read earlier parameters
            values[name] = evaluate(spec["defaultValue"], ctx)
        else:
            raise ArmError(
                400, "InvalidTemplate",
                f"Deployment template validation failed: 'The value for the template parameter '{name}' at line "
                "'1' and column '1' is not provided. Please see https://aka.ms/arm-create-parameter-file for "
                "usage details.'.",
            )
        allowed = spec.get("allowedValues")
        if isinstance(allowed, list) and values[name] not in allowed:
            raise TemplateError(f"The provided value '{values[name]}' for the template parameter '{name}' is not "
                                f"valid. The parameter value is not part of the allowed value(s): "
                                f"'{','.join(map(_to_string, allowed))}'")
    return values


# -------------------------------------------------------------------------------------- resources


@dataclass
class TemplateResource:
    index: int
    type: str
    name: str
    api_version: str
    body: dict[str, Any]  # what is PUT to the resource provider (location, tags, sku, properties, ...)
    depends_on: list[str]
    raw: dict[str, Any]
    id: str = ""


_NOT_BODY = {"name", "type", "apiversion", "dependson", "condition", "comments", "copy", "resources", "scope",
             "metadata"}
_UNSUPPORTED = {"copy": "copy loops", "resources": "nested child resources", "scope": "the 'scope' property",
                "resourcegroup": "deploying to another resource group", "subscriptionid": "deploying to another "
                "subscription"}


def resource_id_of(sub: str, rg: str, rtype: str, name: str) -> str:
    ns, *types = rtype.split("/")
    names = name.split("/")
    if len(types) != len(names) or not types:
        raise TemplateError(f"The template resource '{name}' for type '{rtype}' has incorrect segment lengths. A "
                            "nested resource type must have identical number of segments as its resource name. A "
                            "root resource type must have segment length one greater than its resource name")
    tail = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{tail}"


def expand_resources(template: dict[str, Any], ctx: Context) -> list[TemplateResource]:
    """Every resource of the template with its name, type, apiVersion and body evaluated (``reference()``
    inside a body is evaluated later, when the resource is deployed)."""
    if str(template.get("languageVersion", "1.0")).startswith("2"):
        raise TemplateError("languageVersion 2.0 templates (symbolic resource names) are not supported by the "
                            "azwizard simulator")
    resources = template.get("resources")
    if not isinstance(resources, list):
        raise TemplateError("The template 'resources' section must be an array")
    out: list[TemplateResource] = []
    for i, raw in enumerate(resources):
        if not isinstance(raw, dict):
            raise TemplateError(f"The template resource at index {i} is not an object")
        for key in raw:
            if key.lower() in _UNSUPPORTED:
                raise TemplateError(f"{_UNSUPPORTED[key.lower()]} (template resource {i}) are not supported by "
                                    "the azwizard simulator")
        for required in ("type", "name", "apiVersion"):
            if _find_key(raw, required) is None:
                raise TemplateError(f"The template resource at index {i} is missing the required property "
                                    f"'{required}'")
        if "condition" in raw and not evaluate(raw["condition"], ctx):
            continue
        rtype = str(evaluate(raw[_find_key(raw, "type") or "type"], ctx))
        name = str(evaluate(raw[_find_key(raw, "name") or "name"], ctx))
        api = str(evaluate(raw[_find_key(raw, "apiVersion") or "apiVersion"], ctx))
        deps = [str(evaluate(d, ctx)) for d in (raw.get("dependsOn") or [])]
        body = {k: v for k, v in raw.items() if k.lower() not in _NOT_BODY}
        res = TemplateResource(i, rtype, name, api, body, deps, raw)
        res.id = resource_id_of(ctx.subscription_id, ctx.group["name"], rtype, name)
        out.append(res)
    return out


def resolve_dependencies(resources: list[TemplateResource]) -> dict[int, set[int]]:
    """Each resource's dependencies as indexes into the template: a dependsOn entry is a resource id, a
    ``type/name`` or a plain resource name (ARM accepts all three)."""
    deps: dict[int, set[int]] = {}
    for r in resources:
        mine: set[int] = set()
        for d in r.depends_on:
            dl = d.lower().rstrip("/")
            match = [o for o in resources if o is not r and (
                o.id.lower() == dl or o.id.lower().endswith("/providers/" + dl)
                or f"{o.type}/{o.name}".lower() == dl or o.name.lower() == dl
                or _type_name(o).lower() == dl)]
            if not match:
                raise TemplateError(f"The resource '{d}' is not defined in the template")
            mine.update(o.index for o in match)
        deps[r.index] = mine
    _check_cycles(deps)
    return deps


def _type_name(r: TemplateResource) -> str:
    ns, *types = r.type.split("/")
    return ns + "/" + "/".join(f"{t}/{n}" for t, n in zip(types, r.name.split("/"), strict=False))


def _check_cycles(deps: dict[int, set[int]]) -> None:
    state: dict[int, int] = {}

    def visit(n: int) -> None:
        if state.get(n) == 1:
            raise TemplateError("Circular dependency detected on resource: the template's dependsOn form a cycle")
        if state.get(n) == 2:
            return
        state[n] = 1
        for m in deps.get(n, ()):
            visit(m)
        state[n] = 2

    for n in deps:
        visit(n)


def template_hash(template: Any) -> str:
    # ARM reports a 64-bit decimal hash of the template; any stable hash of the same shape serves.
    digest = hashlib.sha256(json.dumps(template, sort_keys=True).encode()).digest()
    return str(int.from_bytes(digest[:8], "big"))


# ------------------------------------------------------------------------------------- JSON with comments


def loads_lenient(text: str) -> Any:
    """JSON as ARM's (Newtonsoft) reader accepts it: ``//`` and ``/* */`` comments, unquoted property names,
    single-quoted strings and trailing commas. ``az deployment group create`` relies on this: it splices the
    template file's text into the request as ``..., template:{...}}`` (azure-cli resource/custom.py,
    ``JsonCTemplatePolicy``), with an unquoted key and the file's comments as they are."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            j, buf = i + 1, []
            while j < n and text[j] != ch:
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j:j + 2])
                    j += 2
                    continue
                buf.append('\\"' if text[j] == '"' else text[j])
                j += 1
            if j >= n:
                raise ValueError("unterminated string")
            out.append('"' + "".join(buf).replace("\\'", "'") + '"')
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ValueError("unterminated comment")
            i = j + 2
        elif ch.isalpha() or ch in "_$":
            m = re.compile(r"[A-Za-z_$][\w$]*").match(text, i)
            assert m is not None
            word = m.group()
            rest = text[m.end():].lstrip()
            if rest.startswith(":") and word not in ("true", "false", "null"):
                out.append(json.dumps(word))
            else:
                out.append(word)
            i = m.end()
        elif ch in "}]":
            # a trailing comma before a closing bracket
            k = len(out) - 1
            while k >= 0 and out[k].strip() == "":
                k -= 1
            if k >= 0 and out[k] == ",":
                del out[k]
            out.append(ch)
            i += 1
        else:
            out.append(ch)
            i += 1
    return json.loads("".join(out), strict=False)  # raw newlines inside strings, as Newtonsoft reads them
