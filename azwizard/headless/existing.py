"""The review against what already exists: which run this attempt is (a new one, or the interrupted run it
continues), and what each planned PUT would do (``azwizard/run/preflight.py``), as findings that block a
conflict, an unreadable resource, and an update nobody allowed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..exitcodes import EXIT_USAGE
from ..run.resume import continue_spec
from .common import CommandError, Connection
from .review import Review

Build = Callable[[Any, "tuple[str, str] | None"], Review]


def review_existing(conn: Connection, kind: str, spec: Any, build: Build, *, explicit_ipv6: bool = False,
                    adopt: Iterable[str] = (), allow_update: bool = False, source: str = "") -> Review:
    """The review of ``spec`` as this attempt will run it, with the diff against what exists."""
    from ..plan.diff import offline_diff

    if conn.session is None:
        review = build(spec, None)
        review.diff = offline_diff(review.plan)
        return review
    from ..run.preflight import diff_findings, read_plan, superseded, unmatched_adoptions

    spec, prev = continue_spec(kind, spec, conn.subscription_id, explicit_ipv6=explicit_ipv6)
    run = None
    if prev is not None and prev.interrupted:
        from .review import new_run

        run = (prev.run_id, prev.created_at or new_run()[1])
    review = build(spec, run)
    if run is not None:
        review.resumed = prev.run_id if prev is not None else ""
    adopt = tuple(adopt)
    missing = unmatched_adoptions(review.plan, adopt)
    if missing:
        names = ", ".join(s.name for s in review.plan.topological())
        raise CommandError(f"--adopt {missing[0]}: no planned resource has that name or id", EXIT_USAGE,
                           f"Adopt one of the planned resources by name or id: {names}.")
    assert conn.session is not None
    review.diff = read_plan(conn.session.factory, review.plan, adopt=adopt)
    review.findings = [*superseded(review.findings, review.diff),
                       *diff_findings(review.diff, kind, allow_update=allow_update)]
    from ..run.resume import run_meta

    review.meta = run_meta(kind, review.spec, review.created_at, source)
    return review
