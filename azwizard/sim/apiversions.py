"""Answers shaped by the request's api-version.

The REST specs add keys to a resource type's model in newer api-versions (azure-rest-api-specs: each
``stable/<version>/*.json`` is one version's model). ARM answers in the shape of the api-version a client
asks for, so a 2022 client never sees a key that only a 2024 model has. Providers register, per resource
type, the keys a given api-version introduced; the core drops them from 2xx answers (the resource itself,
or the items of a ``value`` list) to requests with an older api-version.

    register("Microsoft.Network/networkInterfaces", "2023-06-01", "properties.auxiliarySku")

Paths are dotted (``properties.x.y``). api-versions compare as strings (``YYYY-MM-DD[-preview]``), which
orders them by date.
"""

from __future__ import annotations

import copy
from typing import Any

# lower-cased full resource type -> [(api-version that introduced it, dotted path)]
_INTRODUCED: dict[str, list[tuple[str, tuple[str, ...]]]] = {}


def register(rtype: str, since: str, *paths: str) -> None:
    """Keys of ``rtype`` that first appear in api-version ``since``."""
    entries = _INTRODUCED.setdefault(rtype.lower(), [])
    for p in paths:
        entries.append((since, tuple(p.split("."))))


def _base(version: str) -> str:
    return version[:10]


def newer_keys(rtype: str, api_version: str | None) -> list[tuple[str, ...]]:
    """The paths to drop for a request of ``rtype`` at ``api_version`` (none when the version is unknown)."""
    if not api_version:
        return []
    asked = _base(api_version)
    return [path for since, path in _INTRODUCED.get(rtype.lower(), ()) if asked < _base(since)]


def _drop(body: Any, path: tuple[str, ...]) -> None:
    node = body
    for part in path[:-1]:
        if not isinstance(node, dict):
            return
        node = node.get(part)
    if isinstance(node, dict):
        node.pop(path[-1], None)


def shape(rtype: str | None, api_version: str | None, body: Any) -> Any:
    """``body`` as a client at ``api_version`` sees it: a copy without the keys newer versions added."""
    if rtype is None or not isinstance(body, dict):
        return body
    paths = newer_keys(rtype, api_version)
    if not paths:
        return body
    out = copy.deepcopy(body)
    items = out["value"] if isinstance(out.get("value"), list) else [out]
    for item in items:
        if isinstance(item, dict) and str(item.get("type", rtype)).lower() == rtype.lower():
            for p in paths:
                _drop(item, p)
    return out


def resource_type_of(path: str) -> str | None:
    """``Microsoft.X/a/b`` for a resource (or collection) path, else ``None``."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    lower = [p.lower() for p in parts]
    if "providers" not in lower:
        if len(parts) in (3, 4) and lower[2] == "resourcegroups":
            return "Microsoft.Resources/resourceGroups"
        return None
    i = len(lower) - 1 - lower[::-1].index("providers")
    ns, rest = parts[i + 1] if i + 1 < len(parts) else None, parts[i + 2:]
    if ns is None or not rest:
        return None
    types = rest[0::2]
    return "/".join([ns, *types])
