"""Route table: (method, path pattern) -> handler, matched case-insensitively like ARM paths.

Patterns use ``{name}`` for one path segment, e.g.
``/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}``.
Providers register their handlers at import time with :func:`route`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import ArmSim
    from .wire import ArmRequest, ArmResponse

Handler = Callable[..., "ArmResponse"]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    regex: re.Pattern[str]
    handler: Handler


_ROUTES: list[Route] = []


def _compile(pattern: str) -> re.Pattern[str]:
    out = []
    for part in re.split(r"(\{[a-z_]+\})", pattern):
        if part.startswith("{") and part.endswith("}"):
            out.append(f"(?P<{part[1:-1]}>[^/]+)")
        else:
            out.append(re.escape(part))
    return re.compile("^" + "".join(out) + "/?$", re.IGNORECASE)


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register ``handler(sim, req, **segments) -> ArmResponse`` for ``method`` + ``pattern``."""

    def deco(fn: Handler) -> Handler:
        _ROUTES.append(Route(method.upper(), pattern, _compile(pattern), fn))
        return fn

    return deco


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The first route for this method and path; more specific patterns must be registered first."""
    for r in _ROUTES:
        if r.method != method:
            continue
        m = r.regex.match(path)
        if m:
            return r, m.groupdict()
    return None


def path_known(path: str) -> bool:
    return any(r.regex.match(path) for r in _ROUTES)


def dispatch(sim: ArmSim, req: ArmRequest, route_: Route, params: dict[str, Any]) -> ArmResponse:
    return route_.handler(sim, req, **params)
