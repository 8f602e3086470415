"""One attempt at creating a journey's resources, as both front ends carry it from the review to the runner
(issue 20: the wizard kept these on the journey with getattr; the headless commands on their Review)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..plan.diff import PlanDiff
    from ..plan.model import Plan


def now_utc() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class Attempt:
    run_id: str  # the run's id: its journal's name and every resource's azwizard-run tag
    created_at: str  # the run's creation time (UTC, ISO 8601), in its tags and journal
    plan: Plan | None = None  # what it will create, once planned
    diff: PlanDiff | None = None  # what each PUT would do to what exists (plan/diff.py), once read
    adopt: set[str] = field(default_factory=set)  # ids of resources azwizard did not make that the user takes over
    meta: dict[str, Any] = field(default_factory=dict)  # for the journal: what a resume needs (run/resume.py)
    resumed: str = ""  # the interrupted run it continues ("" = a new run)

    @classmethod
    def new(cls, run_id: str | None = None, created_at: str = "") -> Attempt:
        from ..specs.common import new_run_id

        return cls(run_id or new_run_id(), created_at or now_utc())
