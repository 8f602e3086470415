"""Indexes over the simulator's resource store, so a list looks only at what it lists.

``ArmSim.resources`` maps store keys (lower-case ids, :func:`ids.key`) to bodies. Lists by type, by
resource group and of a group's top-level resources used to scan every body and parse every id (issue 26:
``ids.parse`` ran 534k times for one ``cleanup list`` over 200 groups of 10 NSGs). The index keeps, for the
same bodies (same objects), their type and group, worked out once from the key when the body is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Body = dict[str, Any]


def group_key(k: str) -> str | None:
    """The store key of the resource group holding the resource with store key ``k`` (``None`` for a group
    itself and anything outside a group)."""
    parts = k.split("/", 5)
    if len(parts) == 6 and parts[1] == "subscriptions" and parts[3] == "resourcegroups" and parts[5]:
        return "/".join(parts[:5])
    return None


def is_top_level(k: str) -> bool:
    """``/subscriptions/s/resourcegroups/g/providers/ns/type/name``: a resource, not a child resource."""
    parts = k.split("/")
    return len(parts) == 9 and parts[5] == "providers" and parts[3] == "resourcegroups"


class ResourceIndex:
    """Type → bodies, group → bodies, and the top-level ones of each group (all by store key)."""

    def __init__(self) -> None:
        self.by_type: dict[str, dict[str, Body]] = {}
        self.by_group: dict[str, dict[str, Body]] = {}
        self.top_by_group: dict[str, dict[str, Body]] = {}
        self._type_of: dict[str, str] = {}

    def add(self, k: str, body: Body) -> None:
        t = str(body.get("type", "")).lower()
        old = self._type_of.get(k)
        if old is not None and old != t:
            self.by_type.get(old, {}).pop(k, None)
        self._type_of[k] = t
        self.by_type.setdefault(t, {})[k] = body
        g = group_key(k)
        if g is not None:
            self.by_group.setdefault(g, {})[k] = body
            if is_top_level(k):
                self.top_by_group.setdefault(g, {})[k] = body

    def drop(self, k: str) -> None:
        t = self._type_of.pop(k, None)
        if t is not None:
            self.by_type.get(t, {}).pop(k, None)
        g = group_key(k)
        if g is not None:
            self.by_group.get(g, {}).pop(k, None)
            self.top_by_group.get(g, {}).pop(k, None)

    def rebuild(self, resources: Mapping[str, Body]) -> None:
        self.__init__()  # type: ignore[misc]
        for k, body in resources.items():
            self.add(k, body)

    def sync(self, resources: Mapping[str, Body], keys: Iterable[str]) -> None:
        """Bring ``keys`` in line with the store after it changed behind the index's back."""
        for k in keys:
            body = resources.get(k)
            if body is None:
                self.drop(k)
            else:
                self.add(k, body)

    def of_type(self, rtype: str, group: str | None = None) -> list[Body]:
        bodies = self.by_type.get(rtype.lower(), {})
        if group is None:
            return list(bodies.values())
        members = self.by_group.get(group, {})
        if len(members) < len(bodies):
            t = rtype.lower()
            return [b for k, b in members.items() if self._type_of.get(k) == t]
        return [b for k, b in bodies.items() if k in members]

    def under(self, prefix: str) -> list[Body] | None:
        """Bodies whose store key starts with ``prefix + '/'`` (``prefix`` a store key at or below a resource
        group); ``None`` for a prefix above a group (the caller scans the store)."""
        p = prefix + "/"
        g = group_key(p + "x")
        if g is None:
            return None
        return [b for k, b in self.by_group.get(g, {}).items() if k.startswith(p)]

    def top_level(self, group: str | None) -> list[tuple[str, Body]]:
        """(store key, body) of the top-level resources of one group (or of all), sorted by key."""
        if group is not None:
            items = list(self.top_by_group.get(group, {}).items())
        else:
            items = [kv for members in self.top_by_group.values() for kv in members.items()]
        items.sort(key=lambda kv: kv[0])
        return items
