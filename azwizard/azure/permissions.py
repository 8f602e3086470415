"""Reading the caller's effective permissions (``Microsoft.Authorization/permissions``) for the checks that
depend on them, such as attaching an ACR (an AcrPull role assignment)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from typing import Any

ROLE_WRITE = "microsoft.authorization/roleassignments/write"


def grants_role_assignments(permissions: Iterable[Any]) -> bool:
    """Whether permission blocks (``Permission`` models with ``actions`` / ``not_actions``, or their wire JSON with
    ``actions`` / ``notActions``) allow creating
    role assignments: some block grants the action and that block's notActions don't take it away
    (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#notactions)."""
    for p in permissions:
        wire = isinstance(p, Mapping)  # ARM's JSON (``notActions``), as the generic reader answers
        actions = [str(a).lower() for a in ((p.get("actions") if wire else getattr(p, "actions", None)) or [])]
        not_actions = [str(a).lower() for a in
                       ((p.get("notActions") if wire else getattr(p, "not_actions", None)) or [])]
        if any(fnmatch.fnmatchcase(ROLE_WRITE, a) for a in actions) and not any(
                fnmatch.fnmatchcase(ROLE_WRITE, a) for a in not_actions):
            return True
    return False
