"""A plan is a DAG of steps; each step is one ARM resource PUT with its exact wire body.

The same steps feed the review screen (what will be created), the runner (what is sent), and the
exports (the equivalent az script and ARM template), so what the user reviews is what is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


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

    @property
    def resource_group(self) -> str:
        return self.resource_id.split("/")[4]


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
