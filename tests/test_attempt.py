"""One Attempt (run id, creation time, plan, diff, adopt, meta, resumed) for both front ends (issue 20): the wizard
keeps it on the journey instead of attributes stuck on with getattr, the headless review gives the same dataclass,
and the runner runs it."""

from __future__ import annotations

import pytest
from azwizard.screens.vm.journey import VmJourney

from azwizard.headless.review import Review
from azwizard.plan.vm import plan_vm
from azwizard.run.attempt import Attempt
from azwizard.run.executor import Runner
from azwizard.specs.vm import VmSpec


def test_a_journey_keeps_one_attempt_from_its_first_review() -> None:
    journey = VmJourney(VmSpec.for_base("Yolo"))
    assert journey.attempt is None and journey.run_id is None and journey.created_at == ""
    first = journey.begin_attempt()
    assert first.run_id and first.created_at.endswith("Z")
    assert journey.begin_attempt() is first and journey.run_id == first.run_id  # kept until created
    journey.run_id = "20261126-030000-abcd"
    journey.created_at = "2026-11-26T03:00:00Z"
    assert (first.run_id, first.created_at) == ("20261126-030000-abcd", "2026-11-26T03:00:00Z")
    plan = journey.make_plan("00000000-0000-0000-0000-000000000000")
    assert plan.run_id == "20261126-030000-abcd"
    journey.run_id = None
    assert journey.attempt is None
    with pytest.raises(ValueError, match="run_id first"):
        journey.created_at = "2026-11-26T03:00:00Z"


def test_the_headless_review_gives_the_same_attempt() -> None:
    plan = plan_vm(VmSpec.for_base("Yolo"), subscription_id="s", run_id="r1", created_at="2026-01-01T00:00:00Z")
    review = Review("vm", None, [], plan, "2026-01-01T00:00:00Z", resumed="r0", meta={"profile": "p"})
    attempt = review.attempt
    assert isinstance(attempt, Attempt)
    assert (attempt.run_id, attempt.created_at, attempt.plan, attempt.resumed, attempt.meta) == \
        ("r1", "2026-01-01T00:00:00Z", plan, "r0", {"profile": "p"})


def test_the_runner_refuses_an_attempt_without_a_plan() -> None:
    runner = Runner.__new__(Runner)  # run_attempt checks the attempt before anything of the runner is used
    with pytest.raises(ValueError, match="no plan"):
        runner.run_attempt(Attempt.new())
