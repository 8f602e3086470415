"""run/executor.py when a run meets what an earlier, interrupted run left behind (issue 27's surviving mutants):
the operation it left in flight ends failed, or the user stops while it is polled; an unchanged resource still
provisioning when the user stops; an update answered 412 whose resource is gone; the retries a run gives a
transient fault by default."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from operation_helpers import hold_until_the_runner_polls
from test_run_executor_parts import _first_run, _left_in_flight, _vm_plan

from azwizard.azure.readonly import writable
from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.diff import Owner, PlanDiff, StepDiff
from azwizard.run import Runner, StepEvent
from azwizard.run.preflight import read_plan
from azwizard.sim import ArmSim

NSG_PUTS = "/networkSecurityGroups/Yolo-NSG"


def test_an_interrupted_runs_operation_that_failed_is_sent_again(sim: ArmSim, factory: ClientFactory,
                                                                 tmp_path: Path) -> None:
    """The step then does what the diff says (here: send it, as for this run's resource that Azure left
    Failed), never takes the failed operation for a finished create."""
    plan, journal = _left_in_flight(sim, factory, tmp_path, fail=True)
    hold_until_the_runner_polls(sim)  # the stopped run's SDK pollers go on polling: they must not finish it
    sim.min_polls = 2  # what the re-run sends itself finishes as usual
    read = read_plan(factory, plan, journal_dir=tmp_path)
    entry = read.get("nsg")
    assert entry is not None and entry.pending
    diff = PlanDiff(tuple(replace(e, action="update") if e.key == "nsg" else e for e in read.entries))
    puts = len(sim.requests_to("PUT", NSG_PUTS))
    result = Runner(factory, journal, poll_interval=0.001).run(plan, diff=diff, resume=False)
    assert result.ok, result.errors
    assert len(sim.requests_to("PUT", NSG_PUTS)) == puts + 1  # the failed operation is not taken for done
    assert not [e for e in journal.events() if e.get("resumed") and e["step"] == "nsg"]
    assert sim.get(plan.step("nsg").resource_id)["properties"]["provisioningState"] == "Succeeded"


def test_stopping_while_the_interrupted_runs_operation_is_polled_leaves_it_in_flight(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, journal = _left_in_flight(sim, factory, tmp_path)
    hold_until_the_runner_polls(sim)  # the stopped run's SDK pollers go on polling: they must not finish it
    sim.min_polls = 40  # it would finish after 40 polls, if the run went on polling
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    cancel = threading.Event()

    def stop(e: StepEvent) -> None:
        if e.key == "nsg" and e.state == "running" and e.message.startswith("resuming"):
            cancel.set()

    result = Runner(factory, journal, poll_interval=0.001, cancel=cancel, on_event=stop).run(
        plan, diff=diff, resume=False)
    assert result.states["nsg"] == "cancelled"
    # Azure still runs what the earlier run sent: the result says so, not "not started"
    assert "nsg" in result.in_flight and "nsg" not in result.not_started
    assert not [e for e in journal.events() if e.get("resumed") and e["step"] == "nsg"]


def _on_gets(sim: ArmSim, monkeypatch: pytest.MonkeyPatch, path: str, actions: dict[int, Callable[[], None]]) -> None:
    """Run ``actions[n]`` once the simulator has answered the n-th GET of ``path``."""
    handle = sim.handle
    seen = [0]

    def counting(req: Any) -> Any:
        resp = handle(req)
        if req.method == "GET" and req.path.endswith(path):
            seen[0] += 1
            if seen[0] in actions:
                actions[seen[0]]()
        return resp

    monkeypatch.setattr(sim, "handle", counting)


def test_stopping_while_an_unchanged_resource_is_still_provisioning_stops_the_wait(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _first_run(sim, factory, tmp_path / "elsewhere")
    plan = _vm_plan("run-2", sim.subscription_id)
    nsg = plan.step("nsg").resource_id
    body = sim.get(nsg)
    body["properties"]["provisioningState"] = "Updating"  # an earlier PUT still running in Azure
    sim.save(nsg, body)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "unchanged", current=sim.get(s.resource_id))
                    for s in plan.steps)
    cancel = threading.Event()

    def finished() -> None:
        done = sim.get(nsg)
        done["properties"]["provisioningState"] = "Succeeded"
        sim.save(nsg, done)

    # the user stops at the wait's first read; had the wait read on, the NSG would finish at its 30th read
    _on_gets(sim, monkeypatch, "/networkSecurityGroups/Yolo-NSG", {1: cancel.set, 30: finished})
    result = Runner(factory, Journal("run-2", "vm", directory=tmp_path), poll_interval=0.001, cancel=cancel).run(
        plan, diff=PlanDiff(entries), resume=False)
    assert result.states["nsg"] == "cancelled"  # stopped: the wait does not go on reading until it is done


def test_an_update_answered_412_for_a_resource_gone_since_is_a_change_since_the_read(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    _first_run(sim, factory, tmp_path)
    plan = _vm_plan("run-2", sim.subscription_id)
    nsg = plan.step("nsg")
    current = sim.get(nsg.resource_id)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "update" if s.key == "nsg" else "unchanged",
                             owner=Owner("same-journey", "run-1", "vm", (), True), current=sim.get(s.resource_id),
                             body=writable(s.kind, current) if s.key == "nsg" else None,
                             etag='W/"stale"' if s.key == "nsg" else "") for s in plan.steps)
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=412, code="PreconditionFailed",
                     message="The etag does not match.", times=1000)
    sim.remove(nsg.resource_id)  # deleted by someone since the review read it
    result = Runner(factory, Journal("run-2", "vm", directory=tmp_path), poll_interval=0.001).run(
        plan, diff=PlanDiff(entries), resume=False)
    assert result.states["nsg"] == "failed" and result.errors["nsg"].code == "PreconditionFailed"
    assert "changed" in result.errors["nsg"].what


@pytest.mark.parametrize(("faults", "ok"), [(2, True), (3, False)])
def test_a_run_sends_a_step_again_twice_after_a_transient_fault(faults: int, ok: bool, sim: ArmSim,
                                                                factory: ClientFactory, tmp_path: Path) -> None:
    plan = _vm_plan("run-1", sim.subscription_id)
    # 409 AnotherOperationInProgress: transient for the runner, not retried by the SDK's own policy
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=409, code="AnotherOperationInProgress",
                     message="Another operation is in progress.", times=faults)
    events: list[StepEvent] = []
    result = Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.001,
                    on_event=events.append).run(plan)
    assert (result.states["nsg"] == "succeeded") is ok
    assert max(e.attempt for e in events if e.key == "nsg") == 3
    assert {e.attempt for e in events if e.key != "nsg"} == {1}  # a step sent once says attempt 1 throughout


class _Waits(threading.Event):
    """A cancel event that records how long the runner asked to wait, and can be set during the n-th wait."""

    def __init__(self, set_on: int = 0) -> None:
        super().__init__()
        self.asked: list[float] = []
        self.set_on = set_on

    def wait(self, timeout: float | None = None) -> bool:
        if timeout is not None and timeout >= 0.5:  # the retry waits (the polls ask for poll_interval)
            self.asked.append(timeout)
            if len(self.asked) == self.set_on:
                self.set()
        return super().wait(0 if timeout is None else min(timeout, 0.001))


def test_a_step_is_sent_again_only_after_a_wait(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """An operation in progress, or a referenced resource still updating, clears when that operation ends: the
    runner waits longer each attempt, never re-sends at once (an answer with Retry-After the SDK's own retry
    policy waits out first)."""
    plan = _vm_plan("run-1", sim.subscription_id)
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=400, code="ReferencedResourceNotProvisioned",
                     message="Resource is in Updating state", times=2)
    cancel = _Waits()
    result = Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.001, retry_delay=1.0,
                    cancel=cancel).run(plan)
    assert result.ok and cancel.asked == [1.0, 2.0]
    assert len(sim.requests_to("PUT", "/networkSecurityGroups/Yolo-NSG")) == 3


def test_the_wait_is_azures_retry_after_when_it_says_one(factory: ClientFactory, tmp_path: Path) -> None:
    from types import SimpleNamespace

    runner = Runner(factory, Journal("run-1", "vm", directory=tmp_path), retry_delay=3.0)

    def answered(**headers: str) -> Exception:
        exc = Exception("409")
        exc.response = SimpleNamespace(headers=headers)  # type: ignore[attr-defined]
        return exc

    assert runner.retry_wait(answered(**{"Retry-After": "7"}), 2) == 7.0
    assert runner.retry_wait(answered(**{"Retry-After": "3600"}), 2) == 60.0  # capped
    assert runner.retry_wait(answered(), 3) == 6.0
    assert runner.retry_wait(answered(**{"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}), 2) == 3.0
    assert Runner(factory, Journal("r", "vm", directory=tmp_path), poll_interval=0.25).retry_delay == 2.0


def test_stopping_during_the_wait_sends_nothing_more(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan = _vm_plan("run-1", sim.subscription_id)
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=409, code="AnotherOperationInProgress",
                     message="Another operation is in progress.", times=1)
    cancel = _Waits(set_on=1)
    result = Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.001, retry_delay=1.0,
                    cancel=cancel).run(plan)
    assert result.states["nsg"] == "cancelled" and cancel.asked == [1.0]
    assert len(sim.requests_to("PUT", "/networkSecurityGroups/Yolo-NSG")) == 1  # never sent again
    assert "nsg" in result.in_flight  # the first attempt may have landed: cleanup checks it
