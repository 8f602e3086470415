"""run/executor.py's small decisions in isolation (issue 27's surviving mutants): which ARM error field names the
setting at fault, which faults are worth sending again, which facts of a created resource are kept, and which
steps update what this run did not make. Pure: errors and bodies are built by hand."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from azure.core.exceptions import ServiceRequestError, ServiceResponseError
from operation_helpers import hold_until_the_runner_polls

from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.diff import Owner, PlanDiff, StepDiff
from azwizard.plan.model import Plan
from azwizard.plan.vm import plan_vm
from azwizard.run import Runner, StepEvent
from azwizard.run.executor import (
    TRANSIENT_CODES,
    RunResult,
    _updates_other,
    arm_target,
    is_precondition_failed,
    is_transient,
    outputs_of,
)
from azwizard.run.preflight import read_plan
from azwizard.sim import ArmSim
from azwizard.specs.vm import VmSpec


def _arm_error(target: str | None, *details: str | None) -> Exception:
    exc = Exception("bad request")
    exc.error = SimpleNamespace(target=target,  # type: ignore[attr-defined]
                                details=[SimpleNamespace(target=t) for t in details])
    return exc


def test_the_error_target_is_the_errors_own_else_its_first_detail_that_names_one() -> None:
    assert arm_target(_arm_error("adminUsername", "other")) == "adminUsername"
    assert arm_target(_arm_error(None, None, "osProfile.adminPassword", "third")) == "osProfile.adminPassword"
    assert arm_target(_arm_error("", None)) == ""
    assert arm_target(Exception("no error attached")) == ""  # a network error: no ARM error body at all
    exc = Exception("no details")
    exc.error = SimpleNamespace(target=None, details=None)  # type: ignore[attr-defined]
    assert arm_target(exc) == ""


def _err(code: str | None = None) -> AzwizardError:
    return AzwizardError("it failed", "try again", code=code)


@pytest.mark.parametrize("exc", [ServiceRequestError("connection refused"), ServiceResponseError("connection reset")])
def test_a_dropped_connection_is_transient_whatever_its_code(exc: Exception) -> None:
    assert is_transient(exc, _err(None))
    assert is_transient(exc, _err("InvalidParameter"))


def test_only_the_transient_arm_codes_are_sent_again() -> None:
    assert all(is_transient(Exception(), _err(code)) for code in TRANSIENT_CODES)
    for code in ("InvalidParameter", "QuotaExceeded", "SkuNotAvailable", None, ""):
        assert not is_transient(Exception(), _err(code))


def test_a_412_is_a_precondition_failure_by_status_or_by_code() -> None:
    status = Exception("412")
    status.status_code = 412  # type: ignore[attr-defined]
    assert is_precondition_failed(status, _err(None))
    assert is_precondition_failed(Exception(), _err("PreconditionFailed"))
    other = Exception("409")
    other.status_code = 409  # type: ignore[attr-defined]
    assert not is_precondition_failed(other, _err("Conflict"))


def test_the_facts_kept_of_each_kind_of_created_resource() -> None:
    def props(**p: Any) -> dict[str, Any]:
        return {"properties": p}

    assert outputs_of("Microsoft.Network/publicIPAddresses",
                      props(ipAddress="20.1.2.3", publicIPAddressVersion="IPv4", provisioningState="Succeeded")) == {
        "provisioningState": "Succeeded", "ipAddress": "20.1.2.3", "version": "IPv4"}
    nic = props(ipConfigurations=[{"properties": {"privateIPAddress": "10.0.0.4"}},
                                  {"properties": {"privateIPAddress": "fd00::4"}}, {}])
    assert outputs_of("Microsoft.Network/networkInterfaces", nic) == {
        "provisioningState": "Succeeded", "privateIPs": ["10.0.0.4", "fd00::4", None]}
    assert outputs_of("microsoft.compute/virtualMachines", props(vmId="v-1")) == {
        "provisioningState": "Succeeded", "vmId": "v-1"}
    cluster = {"properties": {"fqdn": "c.hcp.eastus.azmk8s.io", "nodeResourceGroup": "MC_x",
                              "identityProfile": {"kubeletidentity": {"objectId": "k-1"}}},
               "identity": {"principalId": "p-1"}}
    assert outputs_of("Microsoft.ContainerService/managedClusters", cluster) == {
        "provisioningState": "Succeeded", "fqdn": "c.hcp.eastus.azmk8s.io", "nodeResourceGroup": "MC_x",
        "kubeletObjectId": "k-1", "principalId": "p-1"}
    assert outputs_of("Microsoft.ContainerService/managedClusters", {"properties": {}}) == {
        "provisioningState": "Succeeded", "fqdn": None, "nodeResourceGroup": None, "kubeletObjectId": None,
        "principalId": None}
    assert outputs_of("Microsoft.ContainerRegistry/registries", props(loginServer="r.azurecr.io")) == {
        "provisioningState": "Succeeded", "loginServer": "r.azurecr.io"}
    assert outputs_of("Microsoft.Network/networkSecurityGroups", props(provisioningState="Failed")) == {
        "provisioningState": "Failed"}
    assert outputs_of("Microsoft.Network/networkSecurityGroups", {}) == {"provisioningState": "Succeeded"}


@pytest.mark.parametrize(("relation", "other"), [("same-journey", True), ("foreign", True), ("this-run", False),
                                                 ("adopted", False), ("other-run", False), (None, False)])
def test_an_update_of_an_earlier_runs_or_someone_elses_resource_is_journaled_as_an_update(
        relation: str | None, other: bool) -> None:
    owner = Owner(relation, "run-0", "vm") if relation else None  # type: ignore[arg-type]
    entry = StepDiff("nsg", "NSG", "Microsoft.Network/networkSecurityGroups", "/x", "update", owner=owner)
    assert _updates_other(entry) is other
    assert _updates_other(None) is False


# ------------------------------------------------------------------------------ through the simulator

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def _vm_plan(run_id: str, subscription_id: str) -> Plan:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, size="Standard_D2s_v5")
    spec = replace(spec, network=replace(spec.network, ipv6_space="fd12:3456:789a::/48"))  # the same in both runs
    return plan_vm(spec,
                   subscription_id=subscription_id, run_id=run_id, created_at="2026-12-07T10:00:00Z")


def _first_run(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan = _vm_plan("run-1", sim.subscription_id)
    assert Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.01).run(plan).ok


def test_an_earlier_runs_unchanged_resources_are_journaled_as_unchanged_with_their_owner(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    _first_run(sim, factory, tmp_path)
    plan = _vm_plan("run-2", sim.subscription_id)
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    assert {e.action for e in diff.entries} == {"unchanged"}
    puts = len([r for r in sim.requests if r.method == "PUT"])
    journal = Journal("run-2", "vm", directory=tmp_path)
    events: list[StepEvent] = []
    result = Runner(factory, journal, poll_interval=0.01, on_event=events.append).run(plan, diff=diff)

    assert result.ok and set(result.states.values()) == {"existing"}
    assert len([r for r in sim.requests if r.method == "PUT"]) == puts  # nothing sent
    unchanged = {e["step"]: e for e in journal.events() if e["event"] == "unchanged"}
    assert set(unchanged) == {s.key for s in plan.steps}
    assert {e["owner"] for e in unchanged.values()} == {"run-1"}
    assert not [e for e in journal.events() if e["event"] in ("created", "adopted", "requested")]
    # run-2 made none of it: cleanup of run-2 deletes nothing, run-1 stays the maker
    assert not journal.existing()
    assert result.outputs["vm"]["vmId"] == sim.get(plan.step("vm").resource_id)["properties"]["vmId"]
    assert any(e.key == "vm" and e.state == "existing" and e.message == "unchanged: nothing sent" for e in events)


def test_an_adopted_unchanged_resource_is_journaled_adopted_with_its_identity(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    _first_run(sim, factory, tmp_path / "elsewhere")  # made by a run whose journal is not here
    plan = _vm_plan("run-2", sim.subscription_id)
    adopted_by_user = Owner("adopted", "run-2", "vm", (("owner", "alice"),), True)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "unchanged", owner=adopted_by_user,
                             current=sim.get(s.resource_id)) for s in plan.steps)
    journal = Journal("run-2", "vm", directory=tmp_path)
    assert Runner(factory, journal, poll_interval=0.01).run(plan, diff=PlanDiff(entries)).ok
    adopted = [e for e in journal.events() if e["event"] == "adopted" and e["step"] == "nsg"]
    guid = sim.get(plan.step("nsg").resource_id)["properties"]["resourceGuid"]
    assert len(adopted) == 1 and adopted[0]["identity"] == {"resourceGuid": guid}
    assert journal.resources()[plan.step("nsg").resource_id.lower()].state == "adopted"
    assert not [e for e in journal.events() if e["event"] in ("created", "unchanged")]


def test_this_runs_own_unchanged_resource_is_confirmed_created_with_its_identity(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    _first_run(sim, factory, tmp_path / "elsewhere")
    plan = _vm_plan("run-2", sim.subscription_id)
    nsg_id = plan.step("nsg").resource_id
    current = sim.get(nsg_id)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "unchanged", current=sim.get(s.resource_id))
                    for s in plan.steps)  # no owner: this run's own, interrupted before it journaled the end
    journal = Journal("run-2", "vm", directory=tmp_path)
    Runner(factory, journal, poll_interval=0.01).run(plan, diff=PlanDiff(entries), resume=False)
    created = [e for e in journal.events() if e["event"] == "created" and e["step"] == "nsg"]
    assert len(created) == 1 and created[0]["confirmed"] is True
    assert created[0]["identity"] == {"resourceGuid": current["properties"]["resourceGuid"]}
    assert journal.resources()[nsg_id.lower()].may_exist  # cleanup of run-2 considers it


# ----------------------------------------------------------- watching what an earlier attempt left running


def _left_creating(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> tuple[Plan, Journal, str]:
    """run-1 created everything; the NSG reads as still Creating (its PUT is still running in Azure)."""
    plan = _vm_plan("run-1", sim.subscription_id)
    journal = Journal("run-1", "vm", directory=tmp_path)
    assert Runner(factory, journal, poll_interval=0.01).run(plan).ok
    nsg = plan.step("nsg").resource_id
    _set_state(sim, nsg, "Creating")
    return plan, journal, nsg


def _set_state(sim: ArmSim, rid: str, state: str) -> None:
    body = sim.get(rid)
    assert body is not None
    body["properties"]["provisioningState"] = state
    sim.save(rid, body)


def _watching(key: str, then: Callable[[], None]) -> Callable[[StepEvent], None]:
    def on_event(e: StepEvent) -> None:
        if e.key == key and e.state == "running" and "not sending it again" in e.message:
            then()
    return on_event


def test_a_watched_resource_that_ends_failed_fails_its_step_and_is_journaled_existing(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, journal, nsg = _left_creating(sim, factory, tmp_path)
    puts = len(sim.requests_to("PUT", "/networkSecurityGroups/"))
    result = Runner(factory, journal, poll_interval=0.01,
                    on_event=_watching("nsg", lambda: _set_state(sim, nsg, "Failed"))).run(plan)
    assert result.states["nsg"] == "failed" and result.errors["nsg"].code == "ProvisioningStateFailed"
    assert result.states["nic"] == "skipped"  # what needs it does not start
    assert len(sim.requests_to("PUT", "/networkSecurityGroups/")) == puts  # watched, never sent again
    last = [e for e in journal.events() if e.get("step") == "nsg"][-1]
    assert last["event"] == "failed" and last["exists"] is True
    assert last["identity"] == {"resourceGuid": sim.get(nsg)["properties"]["resourceGuid"]}


def test_a_watched_resource_that_ends_succeeded_is_created(sim: ArmSim, factory: ClientFactory,
                                                           tmp_path: Path) -> None:
    plan, journal, nsg = _left_creating(sim, factory, tmp_path)
    result = Runner(factory, journal, poll_interval=0.01,
                    on_event=_watching("nsg", lambda: _set_state(sim, nsg, "Succeeded"))).run(plan)
    assert result.ok and result.states["nsg"] == "succeeded" and result.states["vm"] == "existing"
    events = list(journal.events())
    second = max(i for i, e in enumerate(events) if e["event"] == "plan")
    created = [e for e in events[second:] if e["event"] == "created" and e.get("step") == "nsg"]
    assert len(created) == 1 and created[0]["identity"]  # the end of the watch is journaled by this attempt


def test_a_watched_resource_that_disappears_fails_as_absent(sim: ArmSim, factory: ClientFactory,
                                                            tmp_path: Path) -> None:
    plan, journal, nsg = _left_creating(sim, factory, tmp_path)
    result = Runner(factory, journal, poll_interval=0.01,
                    on_event=_watching("nsg", lambda: sim.remove(nsg))).run(plan)
    assert result.states["nsg"] == "failed" and "disappeared" in result.errors["nsg"].what
    last = [e for e in journal.events() if e.get("step") == "nsg"][-1]
    assert last["event"] == "failed" and last["exists"] is False
    assert journal.resources()[nsg.lower()].state == "failed-absent"


def test_a_watched_resource_that_cannot_be_read_fails_with_its_existence_unknown(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, journal, nsg = _left_creating(sim, factory, tmp_path)

    def deny() -> None:
        sim.faults.error("GET", r"/networkSecurityGroups/Yolo-NSG$", status=403, code="AuthorizationFailed",
                         message="no", times=1000)

    result = Runner(factory, journal, poll_interval=0.01, on_event=_watching("nsg", deny)).run(plan)
    assert result.states["nsg"] == "failed"
    assert journal.resources()[nsg.lower()].state == "failed-unknown"  # may exist: cleanup still considers it


def test_a_watch_rides_out_a_transient_read_fault(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, journal, nsg = _left_creating(sim, factory, tmp_path)

    def flaky() -> None:
        sim.faults.server_error("GET", r"/networkSecurityGroups/Yolo-NSG$", status=503, times=8)
        _set_state(sim, nsg, "Succeeded")

    result = Runner(factory, journal, poll_interval=0.001, on_event=_watching("nsg", flaky)).run(plan)
    assert result.ok and result.states["nsg"] == "succeeded"


def test_stopping_while_watching_leaves_it_in_flight(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, journal, nsg = _left_creating(sim, factory, tmp_path)
    cancel = threading.Event()
    result = Runner(factory, journal, poll_interval=0.01, cancel=cancel,
                    on_event=_watching("nsg", cancel.set)).run(plan)
    assert result.states["nsg"] == "cancelled" and result.in_flight == ["nsg"]
    assert "nsg" not in result.not_started and not result.failed
    assert journal.resources()[nsg.lower()].may_exist


# ------------------------------------------------------------------------------------------- the run itself


def test_not_started_is_what_was_skipped_or_cancelled_and_not_left_in_flight() -> None:
    result = RunResult("r", {"a": "succeeded", "b": "skipped", "c": "cancelled", "d": "cancelled", "e": "failed"},
                       {}, {}, 0.0, {}, in_flight=["d"])
    assert result.not_started == ["b", "c"]
    assert result.failed == ["e"] and not result.ok


def test_the_lock_a_run_holds_names_its_vm(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from azwizard.run import lock
    from azwizard.run.preflight import plan_identity

    plan = _vm_plan("run-1", sim.subscription_id)
    holders: list[dict[str, Any]] = []

    events: list[StepEvent] = []

    def on_event(e: StepEvent) -> None:
        events.append(e)
        if not holders:
            holders.append(lock._read(lock._path(plan_identity(plan), None)) or {})

    Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.01, on_event=on_event).run(plan)
    assert holders and holders[0]["name"] == "Yolo-VM" and holders[0]["run_id"] == "run-1"
    assert {e.message for e in events if e.state == "running"} == {"creating…"}  # nothing here is an update


@pytest.mark.parametrize(("action", "words"), [("conflict", "in conflict"), ("unknown", "could not be read")])
def test_a_refused_step_says_why_it_was_not_sent(action: str, words: str, sim: ArmSim, factory: ClientFactory,
                                                 tmp_path: Path) -> None:
    plan = _vm_plan("run-1", sim.subscription_id)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, action if s.key == "nsg" else "create",  # type: ignore[arg-type]
                             reason="someone else's") for s in plan.steps)
    result = Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.01).run(
        plan, diff=PlanDiff(entries))
    assert f"it {words} (someone else's)" in result.errors["nsg"].what


def _read_while_updating(sim: ArmSim, factory: ClientFactory, tmp_path: Path,
                         owner: Owner | None = None) -> tuple[Plan, str, tuple[StepDiff, ...]]:
    """run-1 made the VM's resources; run-2's diff read them all unchanged, the NSG while an earlier PUT on it
    was still running (Updating)."""
    _first_run(sim, factory, tmp_path / "elsewhere")
    plan = _vm_plan("run-2", sim.subscription_id)
    nsg = plan.step("nsg").resource_id
    updating = sim.get(nsg)
    updating["properties"]["provisioningState"] = "Updating"  # as read: an earlier PUT still running
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "unchanged", owner=owner,
                             current=updating if s.key == "nsg" else sim.get(s.resource_id)) for s in plan.steps)
    return plan, nsg, entries


def test_an_unchanged_resource_still_provisioning_is_read_until_it_is_done(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, nsg, entries = _read_while_updating(sim, factory, tmp_path)
    reads = len(sim.requests_to("GET", "/networkSecurityGroups/Yolo-NSG"))
    result = Runner(factory, Journal("run-2", "vm", directory=tmp_path), poll_interval=0.001).run(
        plan, diff=PlanDiff(entries), resume=False)
    assert result.ok and result.outputs["nsg"]["provisioningState"] == "Succeeded"  # as read again, finished
    assert len(sim.requests_to("GET", "/networkSecurityGroups/Yolo-NSG")) > reads


def test_an_unchanged_resource_gone_while_provisioning_does_not_hang_the_run(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, nsg, entries = _read_while_updating(sim, factory, tmp_path)
    sim.remove(nsg)
    journal = Journal("run-2", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan, diff=PlanDiff(entries), resume=False)
    # the read says gone: the wait ends, and the step says so instead of reporting what was read
    assert result.states["nsg"] == "failed" and "is gone now" in result.errors["nsg"].what
    assert result.states["nic"] == "skipped"  # what needs it does not start
    gone = [e for e in journal.events() if e.get("step") == "nsg"]
    assert [(e["event"], e.get("reason")) for e in gone] == [("skipped", "gone")]


@pytest.mark.parametrize("failures", [1, 2])
def test_a_read_that_fails_while_waiting_is_tried_again_not_taken_for_gone(
        failures: int, sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, nsg, entries = _read_while_updating(sim, factory, tmp_path)
    fault = sim.faults.error("GET", r"/networkSecurityGroups/Yolo-NSG$", status=403, code="AuthorizationFailed",
                             message="a moment's refusal", times=failures)
    result = Runner(factory, Journal("run-2", "vm", directory=tmp_path), poll_interval=0.001).run(
        plan, diff=PlanDiff(entries), resume=False)
    assert fault.hits == failures and result.ok, result.errors
    assert result.states["nsg"] == "existing" and result.outputs["nsg"]["provisioningState"] == "Succeeded"


def test_the_wait_ends_on_the_last_read_after_three_failed_reads_in_a_row(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """Up to the transient retries (2) failed reads in a row are tried again; the third ends the wait, and what was
    read last stands (the read still running): the run does not wait on a resource it cannot read."""
    plan, nsg, entries = _read_while_updating(sim, factory, tmp_path)
    fault = sim.faults.error("GET", r"/networkSecurityGroups/Yolo-NSG$", status=403, code="AuthorizationFailed",
                             message="no reading it now", times=3)
    result = Runner(factory, Journal("run-2", "vm", directory=tmp_path), poll_interval=0.001).run(
        plan, diff=PlanDiff(entries), resume=False)
    assert fault.hits == 3 and result.states["nsg"] == "existing"
    assert result.outputs["nsg"]["provisioningState"] == "Updating"  # as read before the failed reads


def test_a_read_between_failed_reads_starts_their_count_again(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed, read (still updating), failed twice, read: never three failures in a row, so the wait goes on until
    the resource is done."""
    from test_run_executor_resume import _on_gets

    plan, nsg, entries = _read_while_updating(sim, factory, tmp_path)
    _set_state(sim, nsg, "Updating")
    path = r"/networkSecurityGroups/Yolo-NSG$"
    sim.faults.error("GET", path, status=403, code="AuthorizationFailed", message="a moment's refusal", times=1)

    def refuse_twice() -> None:
        sim.faults.error("GET", path, status=403, code="AuthorizationFailed", message="again", times=2)

    _on_gets(sim, monkeypatch, "/networkSecurityGroups/Yolo-NSG",
             {2: refuse_twice, 4: lambda: _set_state(sim, nsg, "Succeeded")})
    result = Runner(factory, Journal("run-2", "vm", directory=tmp_path), poll_interval=0.001).run(
        plan, diff=PlanDiff(entries), resume=False)
    assert result.states["nsg"] == "existing" and result.outputs["nsg"]["provisioningState"] == "Succeeded"


@pytest.mark.parametrize("owner", [None, Owner("foreign", "run-1", "vm", (), False)])
def test_an_unchanged_resource_whose_running_operation_fails_is_not_reported_existing(
        owner: Owner | None, sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """Read "unchanged" while an earlier PUT still ran, and that PUT ended Failed: the resource is not as
    planned. Nothing is sent to it (this run's: a rerun plans it as an update; someone else's: never touched), the
    step fails with what happened, and what depends on it does not start."""
    plan, nsg, entries = _read_while_updating(sim, factory, tmp_path, owner)
    failed = sim.get(nsg)
    failed["properties"]["provisioningState"] = "Failed"
    sim.save(nsg, failed)
    puts = len([r for r in sim.requests if r.method == "PUT"])
    journal = Journal("run-2", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan, diff=PlanDiff(entries), resume=False)
    assert result.states["nsg"] == "failed" and "ended Failed" in result.errors["nsg"].what
    assert result.states["nic"] == "skipped" and result.states["vm"] == "skipped"
    assert len([r for r in sim.requests if r.method == "PUT"]) == puts
    state = journal.resources()[nsg.lower()]
    if owner is None:  # this run's: cleanup still lists it, and the fix is to run again
        assert state.may_exist and "Run it again" in result.errors["nsg"].fix
    else:  # someone else's: never this run's to clean up
        assert not state.may_exist and "not this run's" in result.errors["nsg"].fix
        assert (state.state, state.detail.get("reason")) == ("skipped", "Failed")


def test_an_operation_azure_no_longer_knows_is_sent_again(sim: ArmSim, factory: ClientFactory,
                                                          tmp_path: Path) -> None:
    plan = _vm_plan("run-1", sim.subscription_id)
    gone = (f"https://management.azure.com/subscriptions/{sim.subscription_id}/providers/Microsoft.Network/"
            "locations/norwayeast/operations/00000000-dead-beef-0000-000000000000?api-version=2024-05-01")
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "create", pending=gone if s.key == "nsg" else "")
                    for s in plan.steps)
    result = Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.001).run(
        plan, diff=PlanDiff(entries))
    assert result.ok and result.states["nsg"] == "succeeded"
    assert len(sim.requests_to("PUT", "/networkSecurityGroups/Yolo-NSG")) == 1


def test_a_failed_put_of_a_resource_that_exists_anyway_journals_it_existing_with_its_identity(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    _first_run(sim, factory, tmp_path / "elsewhere")
    plan = _vm_plan("run-2", sim.subscription_id)
    nsg = plan.step("nsg").resource_id
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=400, code="InvalidRequestFormat",
                     message="Cannot parse the request.")
    journal = Journal("run-2", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan, resume=False)
    assert result.states["nsg"] == "failed"
    failed = [e for e in journal.events() if e["event"] == "failed" and e["step"] == "nsg"]
    assert failed[0]["exists"] is True
    assert failed[0]["identity"] == {"resourceGuid": sim.get(nsg)["properties"]["resourceGuid"]}


def test_a_failed_step_keeps_the_setting_azure_named(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, size="Standard_D2s_v5", admin_username="admin")
    plan = plan_vm(spec, subscription_id=sim.subscription_id, run_id="run-1", created_at="2026-12-07T10:00:00Z")
    result = Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.001).run(plan)
    assert result.states["vm"] == "failed"
    assert set(result.targets) == {"vm"} and "adminUsername" in result.targets["vm"]


# ------------------------------------------------------------------- an update answered 412 (If-Match)


def _stale_update(sim: ArmSim, factory: ClientFactory, tmp_path: Path, extra_tags: dict[str, str]) -> tuple[
        Plan, Journal, Any]:
    """run-1 made the NSG; run-2 updates it with an etag that is no longer the resource's."""
    from azwizard.azure.readonly import writable

    _first_run(sim, factory, tmp_path)
    plan = _vm_plan("run-2", sim.subscription_id)
    nsg = plan.step("nsg")
    current = sim.get(nsg.resource_id)
    body = writable(nsg.kind, current)
    body["tags"] = {**body.get("tags", {}), **extra_tags}
    owner = Owner("same-journey", "run-1", "vm", (), True)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "update" if s.key == "nsg" else "unchanged",
                             owner=owner, current=sim.get(s.resource_id), body=body if s.key == "nsg" else None,
                             etag='W/"stale"' if s.key == "nsg" else "") for s in plan.steps)
    journal = Journal("run-2", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan, diff=PlanDiff(entries), resume=False)
    return plan, journal, result


def test_an_update_refused_412_over_a_change_since_the_read_fails_and_writes_nothing(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, journal, result = _stale_update(sim, factory, tmp_path, {"team": "blue"})
    assert result.states["nsg"] == "failed" and result.errors["nsg"].code == "PreconditionFailed"
    assert "team" not in (sim.get(plan.step("nsg").resource_id).get("tags") or {})
    failed = [e for e in journal.events() if e["event"] == "update-failed"]
    assert [e["step"] for e in failed] == ["nsg"] and failed[0]["code"] == "PreconditionFailed"


def test_an_update_answered_412_that_had_already_landed_is_updated(sim: ArmSim, factory: ClientFactory,
                                                                   tmp_path: Path) -> None:
    plan, journal, result = _stale_update(sim, factory, tmp_path, {})  # what it asks for is what is there
    assert result.ok and result.states["nsg"] == "succeeded"
    updated = [e for e in journal.events() if e["event"] == "updated"]
    assert [e["step"] for e in updated] == ["nsg"] and updated[0]["owner"] == "run-1"


def _left_in_flight(sim: ArmSim, factory: ClientFactory, tmp_path: Path, *, fail: bool = False) -> tuple[
        Plan, Journal]:
    """run-1 sent the NSG's PUT and stopped watching while Azure still ran it (its journal says "accepted")."""
    plan = _vm_plan("run-1", sim.subscription_id)
    sim.min_polls = 10**12  # the operations keep running in Azure until the test lets them end (or it ends)
    sim.unwatched_after = 10**9
    if fail:
        sim.faults.fail_async("PUT", r"/networkSecurityGroups/Yolo-NSG$", code="InternalServerError",
                              message="The operation failed.")
    cancel = threading.Event()

    def stop(e: StepEvent) -> None:
        if e.key == "nsg" and e.state == "running":
            cancel.set()

    journal = Journal("run-1", "vm", directory=tmp_path)
    Runner(factory, journal, poll_interval=0.001, cancel=cancel, on_event=stop).run(plan)
    assert any(e["event"] == "accepted" and e["step"] == "nsg" for e in journal.events())
    return plan, journal


def test_a_create_finished_by_polling_the_interrupted_runs_operation_keeps_its_identity(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan, journal = _left_in_flight(sim, factory, tmp_path)
    hold_until_the_runner_polls(sim)  # the stopped run's SDK pollers go on polling: they must not finish it
    sim.min_polls = 2  # what the re-run sends itself finishes as usual
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    assert diff.get("nsg").pending  # type: ignore[union-attr]
    result = Runner(factory, journal, poll_interval=0.001).run(plan, diff=diff)
    assert result.ok, result.errors
    resumed = [e for e in journal.events() if e["event"] == "created" and e["step"] == "nsg" and e.get("resumed")]
    guid = sim.get(plan.step("nsg").resource_id)["properties"]["resourceGuid"]
    assert len(resumed) == 1 and resumed[0]["identity"] == {"resourceGuid": guid}


def test_a_failed_read_after_the_interrupted_runs_operation_succeeded_does_not_fail_the_step(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """The operation ended Succeeded, but reading the resource then fails once: the step is not failed on it; it goes
    on as the run would without the operation (the journal's "accepted" resource is watched until read), and nothing
    is sent again."""
    plan, journal = _left_in_flight(sim, factory, tmp_path)
    hold_until_the_runner_polls(sim)
    sim.min_polls = 2  # what the re-run sends itself finishes as usual
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    puts = len(sim.requests_to("PUT", "/networkSecurityGroups/Yolo-NSG"))
    armed: list[bool] = []
    fault: list[Any] = []
    handle = sim.handle

    def refusing(req: Any) -> Any:  # only the runner's own read (the stopped run's SDK poller reads it too)
        if armed and req.method == "GET" and req.path.endswith("/networkSecurityGroups/Yolo-NSG") and \
                threading.current_thread().name.startswith("azwizard-run"):
            armed.clear()
            with sim.lock:  # this request takes the fault, not a poller's request in between
                fault.append(sim.faults.error("GET", r"/networkSecurityGroups/Yolo-NSG$", status=403,
                                              code="AuthorizationFailed", message="a moment's refusal"))
                return handle(req)
        return handle(req)

    sim.handle = refusing  # type: ignore[method-assign]

    def refuse_the_next_read(e: StepEvent) -> None:
        if e.key == "nsg" and e.message.startswith("resuming"):
            armed.append(True)

    result = Runner(factory, journal, poll_interval=0.001, on_event=refuse_the_next_read).run(plan, diff=diff)
    assert len(fault) == 1 and fault[0].hits == 1
    assert result.ok and result.states["nsg"] == "succeeded", result.errors
    assert len(sim.requests_to("PUT", "/networkSecurityGroups/Yolo-NSG")) == puts
    assert [e.get("resumed") for e in journal.events() if e["event"] == "created" and e["step"] == "nsg"] == [None]


def test_a_take_over_whose_put_fails_leaves_the_resource_not_this_runs(sim: ArmSim, factory: ClientFactory,
                                                                       tmp_path: Path) -> None:
    """The "adopted" line is written before the PUT: a failed PUT must journal "adopt-failed", or cleanup of
    this run would take the user's resource for its own."""
    _first_run(sim, factory, tmp_path / "elsewhere")
    plan = _vm_plan("run-2", sim.subscription_id)
    nsg = plan.step("nsg")
    adopted = Owner("adopted", "run-2", "vm", (("owner", "alice"),), True)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "update" if s.key == "nsg" else "unchanged",
                             owner=adopted if s.key == "nsg" else Owner("same-journey", "run-1", "vm", (), True),
                             current=sim.get(s.resource_id)) for s in plan.steps)
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=400, code="InvalidRequestFormat",
                     message="Cannot parse the request.")
    journal = Journal("run-2", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan, diff=PlanDiff(entries), resume=False)
    assert result.states["nsg"] == "failed"
    state = journal.resources()[nsg.resource_id.lower()]
    assert state.state == "not-adopted" and not state.may_exist
    taken = [e for e in journal.events() if e["event"] == "adopted"]
    assert [e["step"] for e in taken] == ["nsg"] and taken[0]["tags"] == {"owner": "alice"}  # the tags it had


def test_a_step_missing_a_value_from_the_step_before_it_fails_journaled_absent(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from azwizard.plan.model import Step

    sub = sim.subscription_id
    group = f"/subscriptions/{sub}/resourceGroups/Odd-RG"
    kind = "Microsoft.Network/networkSecurityGroups"
    plan = Plan("vm", "run-1", sub, "norwayeast", (
        Step("rg", "Microsoft.Resources/resourceGroups", "Odd-RG", group, {"location": "norwayeast"}),
        Step("a", kind, "a", f"{group}/providers/{kind}/a", {"location": "norwayeast"}, depends_on=("rg",)),
        Step("b", kind, "b", f"{group}/providers/{kind}/b",
             {"location": "norwayeast", "tags": {"from-a": "${a.noSuchOutput}"}}, depends_on=("a",), label="NSG b"),
    ))
    journal = Journal("run-1", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan)
    assert result.states == {"rg": "succeeded", "a": "succeeded", "b": "failed"}
    assert "needs a value the step before it did not return" in result.errors["b"].what
    assert not sim.requests_to("PUT", "/networkSecurityGroups/b")  # nothing sent for it
    assert journal.resources()[plan.step("b").resource_id.lower()].state == "failed-absent"


def test_what_a_failed_step_holds_back_is_journaled_skipped(sim: ArmSim, factory: ClientFactory,
                                                            tmp_path: Path) -> None:
    plan = _vm_plan("run-1", sim.subscription_id)
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=400, code="InvalidRequestFormat",
                     message="Cannot parse the request.")
    journal = Journal("run-1", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run(plan)
    assert result.states["nic"] == result.states["vm"] == "skipped"
    skipped = {e["step"]: e for e in journal.events() if e["event"] == "skipped"}
    assert set(skipped) == {k for k, v in result.states.items() if v == "skipped"} >= {"nic", "vm"}
    assert skipped["vm"]["id"] == plan.step("vm").resource_id
    assert journal.resources()[plan.step("vm").resource_id.lower()].state == "skipped"


def test_a_resource_this_run_made_that_the_diff_updates_is_sent_again(sim: ArmSim, factory: ClientFactory,
                                                                      tmp_path: Path) -> None:
    """The journal says this run created it, but it no longer is as planned (a rule removed in the portal): the
    diff's update is sent, never skipped as "already created"."""
    _first_run(sim, factory, tmp_path)
    plan = _vm_plan("run-1", sim.subscription_id)
    nsg = plan.step("nsg").resource_id
    body = sim.get(nsg)
    body["properties"]["securityRules"] = body["properties"]["securityRules"][:-1]
    sim.save(nsg, body)
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    assert diff.get("nsg").action == "update"  # type: ignore[union-attr]
    puts = len(sim.requests_to("PUT", "/networkSecurityGroups/Yolo-NSG"))
    events: list[StepEvent] = []
    result = Runner(factory, Journal("run-1", "vm", directory=tmp_path), poll_interval=0.001,
                    on_event=events.append).run(plan, diff=diff)
    assert result.states["nsg"] == "succeeded"
    assert len(sim.requests_to("PUT", "/networkSecurityGroups/Yolo-NSG")) == puts + 1
    assert [e.message for e in events if e.key == "nsg" and e.state == "running"] == ["updating…"]


def test_an_update_refused_for_another_reason_keeps_that_reason(sim: ArmSim, factory: ClientFactory,
                                                               tmp_path: Path) -> None:
    """Only a 412 is read as "changed since the read": any other refusal of an update is shown as it is."""
    from azwizard.azure.readonly import writable

    _first_run(sim, factory, tmp_path)
    plan = _vm_plan("run-2", sim.subscription_id)
    current = sim.get(plan.step("nsg").resource_id)
    entries = tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "update" if s.key == "nsg" else "unchanged",
                             owner=Owner("same-journey", "run-1", "vm", (), True), current=sim.get(s.resource_id),
                             body=writable(s.kind, current) if s.key == "nsg" else None,
                             etag=str(current.get("etag") or "") if s.key == "nsg" else "") for s in plan.steps)
    sim.faults.error("PUT", r"/networkSecurityGroups/Yolo-NSG$", status=400, code="SecurityRuleInvalidPortRange",
                     message="bad port", times=1000)
    result = Runner(factory, Journal("run-2", "vm", directory=tmp_path), poll_interval=0.001).run(
        plan, diff=PlanDiff(entries), resume=False)
    assert result.states["nsg"] == "failed" and result.errors["nsg"].code == "SecurityRuleInvalidPortRange"


def test_an_attempt_runs_its_plan_and_journals_what_a_resume_needs(sim: ArmSim, factory: ClientFactory,
                                                                  tmp_path: Path) -> None:
    from azwizard.run.attempt import Attempt

    plan = _vm_plan("run-1", sim.subscription_id)
    meta = {"created_at": "2026-12-07T10:00:00Z", "ipv6_space": "fd12:3456:789a::/48"}
    journal = Journal("run-1", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.001).run_attempt(
        Attempt("run-1", "2026-12-07T10:00:00Z", plan=plan, meta=meta))
    assert result.ok, result.errors
    assert next(journal.events())["meta"] == meta
