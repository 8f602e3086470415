"""Resource ids: parsing and building, case-insensitively as ARM compares them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_RID = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)"
    r"(?:/providers/(?P<ns>[^/]+)/(?P<rest>.+))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ResourceId:
    subscription: str
    resource_group: str
    namespace: str | None = None
    types: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.names[-1] if self.names else self.resource_group

    @property
    def type(self) -> str:
        """Full type, e.g. ``Microsoft.Network/virtualNetworks/subnets``."""
        if not self.namespace:
            return "Microsoft.Resources/resourceGroups"
        return "/".join((self.namespace, *self.types))

    @property
    def group_id(self) -> str:
        return f"/subscriptions/{self.subscription}/resourceGroups/{self.resource_group}"

    def __str__(self) -> str:
        if not self.namespace:
            return self.group_id
        tail = "/".join(f"{t}/{n}" for t, n in zip(self.types, self.names, strict=True))
        return f"{self.group_id}/providers/{self.namespace}/{tail}"

    @property
    def parent(self) -> ResourceId | None:
        if len(self.types) <= 1:
            return None
        return ResourceId(self.subscription, self.resource_group, self.namespace, self.types[:-1], self.names[:-1])


def parse(rid: str) -> ResourceId | None:
    m = _RID.match(rid.rstrip("/"))
    if not m:
        return None
    if not m["ns"]:
        return ResourceId(m["sub"], m["rg"])
    segs = m["rest"].split("/")
    if len(segs) % 2:
        return None
    return ResourceId(m["sub"], m["rg"], m["ns"], tuple(segs[0::2]), tuple(segs[1::2]))


def key(rid: str) -> str:
    """The store key: ARM ids compare case-insensitively."""
    return rid.rstrip("/").lower()


def resource_id(sub: str, rg: str, namespace: str, *type_name_pairs: str) -> str:
    tail = "/".join(type_name_pairs)
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{tail}"
