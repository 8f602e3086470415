"""Who made the resource group a run put its resources in, for the done screens' "when you are done" (issue 19
item 7): this run (in this attempt or in an earlier, interrupted attempt of the same run: a resume), an earlier
azwizard run, or someone else. Decided as every ownership question is (run/preflight.py ``owner_of``: the
journals on this machine and the group's tags; ARM gives a group no immutable identity, so for a group only the
journal and the tags decide), never by the group's name, and never by whether the wizard found the group
existing when the journey was reopened (a resumed run finds the group its first attempt made)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..plan.diff import Owner
    from ..plan.model import Plan

GROUP = "Microsoft.Resources/resourceGroups"


def group_id(plan: Plan) -> str | None:
    """The id of the group the plan's resources are in (every resource of a journey is in one group)."""
    for step in plan.steps:
        parts = step.resource_id.split("/")
        if len(parts) >= 5 and parts[1].lower() == "subscriptions" and parts[3].lower() == "resourcegroups":
            return "/".join(parts[:5])
    return None


def group_owner(factory: Any, plan: Plan) -> Owner | None:
    """Who made ``plan``'s resource group (None: no group, gone, or it could not be read: the caller says less
    rather than guess). One GET; run it off the UI thread."""
    from ..azure import ops
    from .preflight import Ledger, owner_of, plan_identity

    rid = group_id(plan)
    if rid is None:
        return None
    try:
        body = ops.get(factory, GROUP, rid)
    except Exception:  # unreadable: nothing is claimed
        return None
    if body is None:
        return None
    return owner_of(rid, ops.wire(body), plan, plan_identity(plan), Ledger.load(), False, kind=GROUP)


def group_sentence(owner: Owner | None, group: str) -> tuple[bool, str]:
    """(whether this run made the group, a sentence on who did when it did not)."""
    if owner is None:
        return False, ""
    if owner.relation == "this-run":
        return True, ""
    if owner.relation in ("same-journey", "other-run") and owner.run_id:
        return False, f"The group {group} existed before this run: {owner.who()} made it."
    return False, f"The group {group} existed before this run and is not azwizard's ({owner.who()})."
