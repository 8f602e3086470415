"""Answer the shape of the api-version a request asked for (the providers' minimal mechanism).

ARM resource providers serialize their answers with the model of the requested api-version: a property
added in a later version is absent from an answer to an older one (the REST specs list each version's
model: https://github.com/Azure/azure-rest-api-specs). The simulator stores one modern body; a provider
lists, per property, the first api-version whose model has it, and ``strip_newer`` removes what the asked
version does not know. Dated versions compare as text (``YYYY-MM-DD[-preview]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..wire import ArmRequest


def older_than(req: ArmRequest | str | None, version: str) -> bool:
    """True when the request's api-version is dated before ``version`` (a missing one counts as current)."""
    asked = req if isinstance(req, str) or req is None else req.api_version
    if not asked:
        return False
    return asked[:10] < version[:10]


def strip_newer(req: ArmRequest | str | None, body: dict[str, Any], top: Mapping[str, str] | None = None,
                props: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Drop the top-level and ``properties`` keys whose first api-version is newer than the request's.

    ``body`` is changed in place and returned (callers pass a copy of the stored body)."""
    for key, since in (top or {}).items():
        if key in body and older_than(req, since):
            del body[key]
    p = body.get("properties")
    if isinstance(p, dict):
        for key, since in (props or {}).items():
            if key in p and older_than(req, since):
                del p[key]
    return body
