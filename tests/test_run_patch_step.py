"""The runner's read-modify-write step (``Step.patch_of``, run/executor.py ``Runner._patch``) on a small plan: a
resource group, an NSG, and a change of the NSG's tags made after it. What the step does when the resource it
changes is gone, when the user stops while Azure applies the change, when a PUT is refused for a moment (a
transient fault waits, a 412 reads again at once), and what a rerun journals for the resource."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from test_run_executor_parts import _vm_plan
from test_run_executor_resume import _Waits

from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.model import Plan, Step
from azwizard.run import Runner, StepEvent
from azwizard.sim import ArmSim

NSG_PUTS = "/networkSecurityGroups/Yolo-NSG"


def _plan(run_id: str, sim: ArmSim) -> Plan:
    vm = _vm_plan(run_id, sim.subscription_id)
    nsg = vm.step("nsg")
    tag = Step("nsg-tags", nsg.kind, nsg.name, nsg.resource_id, {"tags": {"purpose": "web"}}, depends_on=("nsg",),
               label=f"Tags of {nsg.label}", patch_of="nsg")
    return Plan(vm.journey, run_id, vm.subscription_id, vm.location, (vm.step("rg"), nsg, tag))


def _after(key: str, state: str, then: object) -> object:
    def on_event(e: StepEvent) -> None:
        if e.key == key and e.state == state:
            then()  # type: ignore[operator]
    return on_event


def _events(journal: Journal, step: str) -> list[str]:
    return [e["event"] for e in journal.events() if e.get("step") == step]


def test_the_change_is_merged_over_the_resource_and_sent_with_its_etag(sim: ArmSim, factory: ClientFactory,
                                                                       tmp_path: Path) -> None:
    plan = _plan("run-1", sim)
    journal = Journal("run-1", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan)
    assert result.ok, result.errors
    puts = sim.requests_to("PUT", NSG_PUTS)
    assert len(puts) == 2 and puts[1].headers.get("if-match")
    nsg = sim.get(plan.step("nsg").resource_id)
    assert nsg["tags"]["purpose"] == "web" and nsg["tags"]["azwizard-run"] == "run-1"  # merged, not replaced
    assert _events(journal, "nsg-tags") == ["configure-requested", "configured"]


def test_a_resource_gone_before_its_change_fails_the_step_and_nothing_is_sent(sim: ArmSim, factory: ClientFactory,
                                                                              tmp_path: Path) -> None:
    plan = _plan("run-1", sim)
    journal = Journal("run-1", "vm", directory=tmp_path)
    gone = _after("nsg", "succeeded", lambda: sim.remove(plan.step("nsg").resource_id))
    result = Runner(factory, journal, poll_interval=0.001, on_event=gone).run(plan)  # type: ignore[arg-type]
    assert result.states["nsg"] == "succeeded" and result.states["nsg-tags"] == "failed"
    assert "the resource it changes could not be read" in result.errors["nsg-tags"].what
    assert "read again" in result.errors["nsg-tags"].fix
    assert len(sim.requests_to("PUT", NSG_PUTS)) == 1  # the create only
    assert _events(journal, "nsg-tags") == ["configure-failed"]


def test_stopping_while_azure_applies_the_change_leaves_it_in_flight(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    plan = _plan("run-1", sim)
    cancel = threading.Event()
    events: list[StepEvent] = []

    def on_event(e: StepEvent) -> None:
        events.append(e)
        if e.key == "nsg-tags" and e.state == "running":  # the change's PUT is accepted, then runs on in Azure
            sim.min_polls = 10**12  # until the test lets it end (or it ends: conftest's sim fixture)
            sim.unwatched_after = 10**9
            cancel.set()

    journal = Journal("run-1", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001, cancel=cancel, on_event=on_event).run(plan)
    assert result.states["nsg-tags"] == "cancelled"
    assert "nsg-tags" in result.in_flight and "nsg-tags" not in result.not_started
    assert [e.message for e in events if e.key == "nsg-tags" and e.state == "cancelled"] == [
        "stopped watching; Azure may still finish the update"]
    assert len(sim.requests_to("PUT", NSG_PUTS)) == 2  # it was sent, once
    assert _events(journal, "nsg-tags") == ["configure-requested"]


def _refused_once(sim: ArmSim, plan: Plan, **fault: object) -> object:
    """Once the NSG is made, its next PUT (the change's) is answered with ``fault``."""
    return _after("nsg", "succeeded", lambda: sim.faults.error("PUT", NSG_PUTS + "$", times=1, **fault))


@pytest.mark.parametrize(("status", "code", "message", "waits"), [
    (409, "AnotherOperationInProgress", "Another operation is in progress.", [1.0]),  # waited before sending again
    (412, "PreconditionFailed", "The etag does not match.", []),  # changed since the read: read again, no wait
], ids=["refused-for-a-moment-waits", "412-reads-again-at-once"])
def test_a_change_refused_once_is_sent_again(sim: ArmSim, factory: ClientFactory, tmp_path: Path, status: int,
                                             code: str, message: str, waits: list[float]) -> None:
    plan = _plan("run-1", sim)
    cancel = _Waits()
    journal = Journal("run-1", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001, retry_delay=1.0, cancel=cancel,
                    on_event=_refused_once(sim, plan, status=status, code=code,  # type: ignore[arg-type]
                                           message=message)).run(plan)
    assert result.ok, result.errors
    assert cancel.asked == waits
    assert _events(journal, "nsg-tags") == ["configure-requested", "configure-requested", "configured"]


def test_a_rerun_confirms_the_resource_as_its_makers_not_the_changes(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    """The run stopped while Azure still created the NSG (journaled "accepted"); it finished since. The rerun's
    read confirms it created by its maker step, and the change step (the same resource) adds no "created" line."""
    plan = _plan("run-1", sim)
    cancel = threading.Event()

    def stop(e: StepEvent) -> None:
        if e.key == "nsg" and e.state == "running":
            sim.min_polls = 10**12  # until the test lets it end (or it ends: conftest's sim fixture)
            sim.unwatched_after = 10**9
            cancel.set()

    journal = Journal("run-1", "vm", directory=tmp_path)
    first = Runner(factory, journal, poll_interval=0.001, cancel=cancel, on_event=stop).run(plan)
    nsg = plan.step("nsg").resource_id
    assert first.states["nsg"] == "cancelled" and journal.resources()[nsg.lower()].state == "accepted"
    for op in sim.ops.values():  # Azure finishes it meanwhile
        op.min_progress = 0
    sim.min_polls = 2
    sim.advance(0)
    assert sim.get(nsg)["properties"]["provisioningState"] == "Succeeded"

    again = Runner(factory, journal, poll_interval=0.001).run(plan)
    assert again.ok, again.errors
    created = [e for e in journal.events() if e["event"] == "created" and e["id"].lower() == nsg.lower()]
    assert [(e["step"], e.get("confirmed")) for e in created] == [("nsg", True)]
    assert journal.resources()[nsg.lower()].step == "nsg"
