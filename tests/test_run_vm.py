"""Running the VM plan against the simulator through the real SDK: concurrency, journal, faults, resume."""

from __future__ import annotations

import threading
from pathlib import Path

from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.vm import plan_vm
from azwizard.run import Runner, StepEvent
from azwizard.sim import ArmSim
from azwizard.specs.vm import VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def vm_plan(sim: ArmSim, run_id: str = "run-1", **changes: object):  # type: ignore[no-untyped-def]
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, size="Standard_D2s_v5", **changes)
    return plan_vm(spec, subscription_id=sim.subscription_id, run_id=run_id, created_at="2026-11-26T03:00:00Z")


def run(factory: ClientFactory, plan, tmp_path: Path, **kw):  # type: ignore[no-untyped-def]
    events: list[StepEvent] = []
    journal = Journal(plan.run_id, "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.01, on_event=events.append, **kw).run(plan)
    return result, journal, events


def puts(sim: ArmSim, fragment: str) -> int:
    return len(sim.requests_to("PUT", fragment))


def puts_to(sim: ArmSim, resource_id: str) -> int:
    return sum(1 for r in sim.requests if r.method == "PUT" and r.path.lower() == resource_id.lower())


def test_full_plan_creates_every_resource_with_the_planned_bodies(sim: ArmSim, factory: ClientFactory,
                                                                  tmp_path: Path) -> None:
    from azwizard.sim import LatencyProfile

    sim.latency = LatencyProfile(scale=0.01)  # operations take a little while, so overlap is observable
    plan = vm_plan(sim)
    result, journal, events = run(factory, plan, tmp_path)
    assert result.ok, result.errors
    for step in plan.steps:
        assert sim.get(step.resource_id) is not None, step.key
        assert sim.get(step.resource_id)["properties"]["provisioningState"] == "Succeeded"
    # what the simulator received is what the plan says
    pip_put = sim.requests_to("PUT", "/publicIPAddresses/Yolo-IPv6")[0].body
    assert pip_put["sku"]["name"] == "Standard" and pip_put["zones"] == ["1", "2", "3"]
    assert pip_put["properties"]["publicIPAllocationMethod"] == "Static"
    nic = sim.get(plan.step("nic").resource_id)
    assert "networkSecurityGroup" not in nic["properties"]
    # journal: everything created, with the allocated addresses
    states = journal.resources()
    assert {s.state for s in states.values()} == {"created"}
    assert states[plan.step("pip4").resource_id.lower()].detail["ipAddress"]
    # independent steps ran concurrently: NSG and both PIPs were all running before any finished
    order = [(e.key, e.state) for e in events if e.state in ("running", "succeeded")]
    first_done = next(i for i, (k, s) in enumerate(order) if s == "succeeded" and k != "rg")
    started_before = {k for k, s in order[:first_done] if s == "running"}
    assert {"nsg", "pip4", "pip6"} <= started_before


def test_throttling_and_server_errors_mid_plan_are_retried(sim: ArmSim, factory: ClientFactory,
                                                           tmp_path: Path) -> None:
    sim.faults.throttle("PUT", r"/publicIPAddresses/", retry_after=7)
    sim.faults.server_error("PUT", r"/networkInterfaces/", status=503)
    result, _, _ = run(factory, vm_plan(sim), tmp_path)
    assert result.ok, result.errors
    assert 7.0 in sim.sleeps  # the SDK honoured Retry-After (the simulator's sleep is instant)
    assert puts(sim, "/networkInterfaces/Yolo-NIC") == 2


def test_transient_failed_operation_is_retried_by_the_runner(sim: ArmSim, factory: ClientFactory,
                                                             tmp_path: Path) -> None:
    sim.faults.fail_async("PUT", r"/virtualNetworks/Yolo-VNet$", code="InternalServerError",
                          message="An internal error occurred.")
    result, _, events = run(factory, vm_plan(sim), tmp_path)
    assert result.ok
    assert any(e.key == "vnet" and "retrying" in e.message for e in events)


def test_failed_vm_leaves_a_true_journal_and_rerun_creates_nothing_twice(sim: ArmSim, factory: ClientFactory,
                                                                         tmp_path: Path) -> None:
    sim.faults.fail_async("PUT", r"/virtualMachines/Yolo-VM$", code="AllocationFailed",
                          message="Allocation failed. We do not have sufficient capacity for the requested VM size "
                                  "in this region.")
    plan = vm_plan(sim)
    result, journal, _ = run(factory, plan, tmp_path)
    assert result.states["vm"] == "failed"
    assert result.errors["vm"].code == "AllocationFailed"
    states = journal.resources()
    # exactly what exists: everything before the VM, and the VM itself (left in Failed state)
    existing = {s.resource_id for s in states.values() if s.may_exist}
    assert existing == {s.resource_id for s in plan.steps}
    assert states[plan.step("vm").resource_id.lower()].state == "failed-exists"
    # re-run: only the VM is sent again
    before = {s.key: puts_to(sim, s.resource_id) for s in plan.steps}
    result2, _, _ = run(factory, plan, tmp_path)
    assert result2.ok
    assert result2.states["vm"] == "succeeded"
    assert all(result2.states[k] == "existing" for k in ("rg", "nsg", "pip4", "pip6", "vnet", "nic"))
    for s in plan.steps:
        assert puts_to(sim, s.resource_id) == before[s.key] + (1 if s.key == "vm" else 0), s.key


def test_non_transient_failure_skips_dependents_with_a_clear_message(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    sim.faults.error("PUT", r"/networkSecurityGroups/", status=400, code="SecurityRuleInvalidPriority",
                     message="Security rule has invalid Priority. Value provided: 50 Allowed range 100-4096.")
    result, journal, _ = run(factory, vm_plan(sim), tmp_path)
    assert result.states["nsg"] == "failed"
    assert result.states["vnet"] == result.states["nic"] == result.states["vm"] == "skipped"
    assert "Allowed range 100-4096" in result.errors["nsg"].what
    assert journal.resources()[vm_plan(sim).step("nsg").resource_id.lower()].state == "failed-absent"


def test_dropped_connections_surface_as_a_clear_error(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    sim.faults.drop("PUT", r"/networkSecurityGroups/", times=50)
    result, _, _ = run(factory, vm_plan(sim), tmp_path)
    assert result.states["nsg"] == "failed"
    err = result.errors["nsg"]
    assert "connection" in (err.what + err.fix).lower()


def test_cancel_stops_watching_and_the_journal_keeps_what_was_requested(sim: ArmSim, factory: ClientFactory,
                                                                        tmp_path: Path) -> None:
    cancel = threading.Event()
    plan = vm_plan(sim)
    sim.min_polls = 10_000  # operations never finish on their own
    sim.unwatched_after = 10**9  # and time alone does not finish them (sim/core.py time model)

    def on_event(e: StepEvent) -> None:
        if e.key in ("nsg", "pip4", "pip6") and e.state == "running":
            cancel.set()

    journal = Journal(plan.run_id, "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.01, on_event=on_event, cancel=cancel).run(plan)
    assert "cancelled" in result.states.values()
    assert result.states["vm"] == "cancelled"
    requested = {s.step for s in journal.resources().values() if s.state in ("requested", "accepted")}
    assert requested & {"nsg", "pip4", "pip6"}


def test_backup_and_nat_gateway_options_are_created_too(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from azwizard.specs.vm import BackupSpec, NatGatewaySpec

    plan = vm_plan(sim, backup=BackupSpec(enabled=True), nat_gateway=NatGatewaySpec(enabled=True))
    result, journal, _ = run(factory, plan, tmp_path)
    assert result.ok, {k: str(e) for k, e in result.errors.items()}
    item = sim.requests_to("PUT", "/protectedItems/")[-1].body
    assert item["properties"]["policyId"].endswith("/backupPolicies/EnhancedPolicy")  # Trusted Launch VM
    nat = sim.get(plan.step("nat").resource_id)
    assert nat["properties"]["idleTimeoutInMinutes"] == 10
    vnet = sim.get(plan.step("vnet").resource_id)
    assert vnet["properties"]["subnets"][0]["properties"]["natGateway"]["id"].lower() == plan.step("nat").resource_id.lower()


def test_after_stopping_watching_a_rerun_watches_what_is_still_being_created_and_sends_it_once(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """Stop watching while the VM is being created, then retry: the VM (still creating in Azure) is read until it
    is done, never PUT again; what was not started is created (issue 12 item 1)."""
    cancel = threading.Event()
    plan = vm_plan(sim)
    journal = Journal(plan.run_id, "vm", directory=tmp_path)

    def on_event(e: StepEvent) -> None:
        if e.key == "vm" and e.state == "running":
            sim.min_polls = 10_000  # the VM's operation keeps running in Azure
            sim.unwatched_after = 10**9  # and time alone does not finish them (sim/core.py time model)
            cancel.set()

    sim.min_polls = 2
    result = Runner(factory, journal, poll_interval=0.01, on_event=on_event, cancel=cancel).run(plan)
    assert result.in_flight == ["vm"]
    assert result.failed == [] and not result.ok
    vm_id = plan.step("vm").resource_id
    assert puts_to(sim, vm_id) == 1
    assert sim.get(vm_id)["properties"]["provisioningState"] != "Succeeded"
    # (the SDK's poller thread of the first run may still be polling: it must not finish the operation yet)
    for op in sim.ops.values():
        op.min_progress = 10**9
    events: list[StepEvent] = []

    def watching(e: StepEvent) -> None:
        events.append(e)
        if e.key == "vm" and "not sending it again" in e.message:
            for op in sim.ops.values():
                op.min_progress = 0  # the operation finishes in Azure while the re-run watches it

    result2 = Runner(factory, journal, poll_interval=0.01, on_event=watching).run(plan)
    assert result2.ok, result2.errors
    assert puts_to(sim, vm_id) == 1  # watched, not sent again
    assert result2.states["vm"] == "succeeded"
    assert any(e.key == "vm" and "not sending it again" in e.message for e in events)
    assert journal.resources()[vm_id.lower()].state == "created"


def test_a_failure_keeps_the_arm_error_target(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from azwizard.run.executor import arm_target

    class Detail:
        target = "adminUsername"

    class Error:
        target = None
        details = [Detail()]

    class Exc(Exception):
        error = Error()

    assert arm_target(Exc()) == "adminUsername"
    assert arm_target(ValueError()) == ""
