"""A plan is a DAG of steps; each step is one ARM resource PUT with its exact wire body.

The same steps feed the review screen (what will be created), the runner (what is sent), and the
exports (the equivalent az script and ARM template), so what the user reviews is what is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------------------------------------------
# Values known only at run time. A body string that is exactly ``${step.output}`` is replaced, just
# before the PUT, by that output of an earlier step (``outputs_of`` in run/executor.py names them), e.g.
# the AcrPull role assignment's ``principalId`` = ``${aks.kubeletObjectId}``: the kubelet identity exists
# only once the cluster does. The step must depend on the step it reads. Exports turn the reference into
# their own form (``reference(...)`` in a template, ``--attach-acr`` for az).

_OUTPUT_REF = re.compile(r"^\$\{(?P<step>[A-Za-z0-9_-]+)\.(?P<output>[A-Za-z0-9_]+)\}$")


class UnresolvedOutput(KeyError):
    """A body refers to an output the step it names did not produce."""


def output_ref(step: str, output: str) -> str:
    """The body value standing for ``output`` of step ``step``: ``${aks.kubeletObjectId}``."""
    ref = f"${{{step}.{output}}}"
    if not _OUTPUT_REF.match(ref):
        raise ValueError(f"not a valid output reference: {ref}")
    return ref


def parse_output_ref(value: Any) -> tuple[str, str] | None:
    """(step, output) when ``value`` is an output reference, else None."""
    if not isinstance(value, str):
        return None
    m = _OUTPUT_REF.match(value)
    return (m["step"], m["output"]) if m else None


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, Mapping):
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list | tuple):
        for v in node:
            yield from _walk(v)


def output_refs(body: Any) -> list[tuple[str, str]]:
    """Every (step, output) a body refers to, in order."""
    return [ref for ref in (parse_output_ref(v) for v in _walk(body)) if ref is not None]


def resolve_outputs(body: Any, outputs: Mapping[str, Mapping[str, Any]]) -> Any:
    """A copy of ``body`` with every output reference replaced by its value from ``outputs`` (step key ->
    that step's outputs). Raises :class:`UnresolvedOutput` for an output that is missing or empty."""
    ref = parse_output_ref(body)
    if ref is not None:
        value = (outputs.get(ref[0]) or {}).get(ref[1])
        if value in (None, ""):
            raise UnresolvedOutput(f"step {ref[0]!r} produced no {ref[1]!r}")
        return value
    if isinstance(body, Mapping):
        return {k: resolve_outputs(v, outputs) for k, v in body.items()}
    if isinstance(body, list | tuple):
        return [resolve_outputs(v, outputs) for v in body]
    return body


@dataclass(frozen=True)
class Step:
    key: str  # unique within the plan, e.g. "nsg"
    kind: str  # ARM type, e.g. "Microsoft.Network/networkSecurityGroups"
    name: str
    resource_id: str
    body: Mapping[str, Any]  # the wire (camelCase) request body, sent as-is
    depends_on: tuple[str, ...] = ()
    label: str = ""  # "Network security group Yolo-NSG"
    summary: tuple[tuple[str, str], ...] = ()  # key properties shown on the review
    api_version: str = ""  # for the ARM template export
    # A change to the resource an earlier step of the plan made (the key of that step): at run time the resource is
    # read, ``body`` (only the properties it changes) is merged over it and the whole resource is sent back with
    # If-Match (ARM's PUT replaces the whole resource: read-modify-write). E.g. az aks create
    # --enable-azure-monitor-metrics turns the metrics on once the workspace is linked (plan/aks_metrics.py).
    patch_of: str = ""

    @property
    def resource_group(self) -> str:
        return self.resource_id.split("/")[4]

    @property
    def needs_outputs(self) -> bool:
        """Whether the body has values filled in at run time from earlier steps' outputs."""
        return bool(output_refs(self.body))


@dataclass(frozen=True)
class Plan:
    journey: str  # "vm" | "aks"
    run_id: str
    subscription_id: str
    location: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        keys = [s.key for s in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate step keys in plan: {keys}")
        known = set(keys)
        for s in self.steps:
            missing = set(s.depends_on) - known
            if missing:
                raise ValueError(f"step {s.key!r} depends on unknown steps {sorted(missing)}")
            if s.patch_of and (s.patch_of not in s.depends_on
                               or self.step(s.patch_of).resource_id.lower() != s.resource_id.lower()):
                raise ValueError(f"step {s.key!r} changes the resource of {s.patch_of!r}: it must depend on it and "
                                 "name the same resource")
            unread = {step for step, _ in output_refs(s.body)} - set(s.depends_on)
            if unread:
                raise ValueError(f"step {s.key!r} reads outputs of {sorted(unread)} without depending on them")
        self.topological()  # raises on a cycle

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)

    def topological(self) -> list[Step]:
        """Steps in an order where every step comes after what it depends on (stable)."""
        done: set[str] = set()
        out: list[Step] = []
        pending = list(self.steps)
        while pending:
            ready = [s for s in pending if set(s.depends_on) <= done]
            if not ready:
                raise ValueError(f"dependency cycle among {[s.key for s in pending]}")
            for s in ready:
                out.append(s)
                done.add(s.key)
            pending = [s for s in pending if s.key not in done]
        return out

    def critical_path(self, seconds: Mapping[str, float]) -> float:
        """The longest chain of step durations (``seconds`` by step key): the least a perfect
        concurrent run can take."""
        finish: dict[str, float] = {}
        for s in self.topological():
            start = max((finish[d] for d in s.depends_on), default=0.0)
            finish[s.key] = start + seconds.get(s.key, 0.0)
        return max(finish.values(), default=0.0)

    def dependents(self, key: str) -> set[str]:
        """Every step that needs ``key`` directly or through others."""
        out: set[str] = set()
        frontier = {key}
        while frontier:
            nxt = {s.key for s in self.steps if set(s.depends_on) & frontier} - out
            out |= nxt
            frontier = nxt
        return out


def ids_of(steps: Iterable[Step]) -> list[str]:
    return [s.resource_id for s in steps]
