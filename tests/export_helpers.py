"""What the exporter tests share: a plan with one step's body edited, and the az commands made for a step, as
argv (az expresses it) or as the exact-body fallback with its reason."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from azwizard.plan.export_az import StepCommands
from azwizard.plan.exports import export
from azwizard.plan.model import Plan


def edited(plan: Plan, key: str, edit: Callable[[dict[str, Any]], object]) -> Plan:
    body = copy.deepcopy(dict(plan.step(key).body))
    edit(body)
    return replace(plan, steps=tuple(replace(s, body=body) if s.key == key else s for s in plan.steps))


def commands(plan: Plan, key: str) -> StepCommands:
    return next(sc for sc in export(plan).steps if sc.step.key == key)


def argv(plan: Plan, key: str) -> list[list[str]]:
    sc = commands(plan, key)
    assert not sc.generic, sc.notes
    return [c.argv() for c in sc.commands]


def fallback(plan: Plan, key: str) -> str:
    """The reason in the note of a step sent as its exact body (and that exact body as the one command)."""
    sc, step = commands(plan, key), plan.step(key)
    assert sc.generic
    assert [c.argv() for c in sc.commands] == [[
        "az", "resource", "create", "--id", step.resource_id, "--api-version", step.api_version, "--is-full-object",
        "--properties", json.dumps(step.body, separators=(",", ":"), sort_keys=True)]]
    (note,) = sc.notes
    suffix = "; the exact body is sent with az resource create"
    assert note.endswith(suffix)
    return note[:-len(suffix)]
