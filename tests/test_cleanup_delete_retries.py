"""How often a delete is tried again (cleanup/delete.py): a transient failure up to ``transient_retries`` more
times, an "in use" answer only for a resource that waited for another deletion (it may be settling), and
never anything else."""

from __future__ import annotations

from pathlib import Path

from cleanup_helpers import deletes, make_vm_run

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import Deleter, JournalBook, build_inventory, plan_deletion
from azwizard.sim import ArmSim


def _loose_nsg(factory: ClientFactory) -> str:
    return str(factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "loose-nsg", {"location": "norwayeast", "tags": {"created-by": "azwizard", "azwizard-run": "run-vm"}}
    ).result().id)


def _delete(factory: ClientFactory, tmp_path: Path, rid: str, **kw: int) -> object:
    inv = build_inventory(factory, journal_dir=tmp_path)
    return Deleter(factory, JournalBook(tmp_path), poll_interval=0.001, retry_delay=0, **kw).run(  # type: ignore[arg-type]
        plan_deletion(inv, {rid}))


def test_a_transient_failure_is_tried_again_up_to_the_limit(sim: ArmSim, factory: ClientFactory,
                                                           tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    sim.faults.fail_async("DELETE", r"/networkSecurityGroups/loose-nsg$", code="InternalServerError",
                          message="An internal error occurred.", times=2)
    result = _delete(factory, tmp_path, rid, transient_retries=2)
    assert result.ok and len(deletes(sim, "loose-nsg")) == 3  # type: ignore[attr-defined]
    assert sim.get(rid) is None

    rid = _loose_nsg(factory)
    sim.faults.fail_async("DELETE", r"/networkSecurityGroups/loose-nsg$", code="InternalServerError",
                          message="An internal error occurred.", times=3)
    result = _delete(factory, tmp_path, rid, transient_retries=2)
    assert not result.ok and len(deletes(sim, "loose-nsg")) == 3 + 3  # type: ignore[attr-defined]
    assert sim.get(rid) is not None


def test_in_use_is_tried_again_only_after_another_deletion(sim: ArmSim, factory: ClientFactory,
                                                          tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)  # waits for nothing: "in use" will not change by waiting
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=400,
                     code="InUseNetworkSecurityGroupCannotBeDeleted", message="in use", times=1)
    result = _delete(factory, tmp_path, rid)
    assert not result.ok and len(deletes(sim, "loose-nsg")) == 1  # type: ignore[attr-defined]
    assert result.errors[rid].code == "InUseNetworkSecurityGroupCannotBeDeleted"  # type: ignore[attr-defined]


def test_other_failures_are_not_tried_again(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=409, code="ScopeLocked",
                     message="locked", times=1)
    result = _delete(factory, tmp_path, rid)
    assert not result.ok and len(deletes(sim, "loose-nsg")) == 1  # type: ignore[attr-defined]
    assert sim.get(rid) is not None


def test_in_use_after_another_deletion_is_tried_again_up_to_the_limit(sim: ArmSim, factory: ClientFactory,
                                                                      tmp_path: Path) -> None:
    """The NSG and the public IPv4 wait for the NIC's deletion: an "in use" answer (a listed code, or any code
    starting InUse) is tried again, up to ``in_use_retries`` more times (issue 27's surviving mutants)."""
    from azwizard.cleanup import default_selection

    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, default_selection(inv))
    sim.faults.error("DELETE", r"/publicIPAddresses/Yolo-IPv4$", status=400, code="PublicIPAddressCannotBeDeleted",
                     message="in use", times=2)
    sim.faults.error("DELETE", r"/networkSecurityGroups/Yolo-NSG$", status=400, code="InUseByAFutureFeature",
                     message="in use", times=2)
    result = Deleter(factory, JournalBook(tmp_path), poll_interval=0.001, retry_delay=0, in_use_retries=2).run(
        plan, confirm=plan.confirmation(), confirm_group_name=[op.name for op in plan.ops if op.whole_group])
    assert result.ok, result.errors
    assert len(deletes(sim, "/publicIPAddresses/Yolo-IPv4")) == 3 and len(deletes(sim, "/networkSecurityGroups/Yolo-NSG")) == 3


def test_a_delete_answered_404_is_gone(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.remove(rid)  # deleted by someone else since the inventory was read
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=404, code="ResourceNotFound",
                     message="not found", times=5)
    result = Deleter(factory, JournalBook(tmp_path), poll_interval=0.001, retry_delay=0).run(plan_deletion(inv, {rid}))
    assert result.ok and rid in result.deleted  # type: ignore[attr-defined]


def test_stopping_while_a_delete_runs_in_azure_stops_watching_it(sim: ArmSim, factory: ClientFactory,
                                                                  tmp_path: Path) -> None:
    """Cancel while Azure is still deleting: the operation is left to Azure, shown cancelled, and the journal
    keeps the resource as possibly there (issue 27's surviving mutants: the stop not re-raised)."""
    import threading

    from azwizard.cleanup.model import key
    from azwizard.journal import Journal

    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.min_polls = 10_000  # the delete keeps running in Azure
    sim.unwatched_after = 10**9
    cancel = threading.Event()

    def on_event(e: object) -> None:
        if getattr(e, "state", "") == "deleting":
            cancel.set()

    result = Deleter(factory, JournalBook(tmp_path), on_event, cancel, poll_interval=0.001, retry_delay=0).run(
        plan_deletion(inv, {rid}))
    assert result.states[rid] == "cancelled" and rid not in result.deleted
    assert len(deletes(sim, "loose-nsg")) == 1  # sent once, never again
    assert Journal("run-vm", directory=tmp_path).resources()[key(rid)].may_exist


def test_stopping_during_the_pause_before_a_retry_sends_nothing_more(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    import threading

    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.faults.fail_async("DELETE", r"/networkSecurityGroups/loose-nsg$", code="InternalServerError",
                          message="An internal error occurred.", times=1)
    cancel = threading.Event()

    def on_event(e: object) -> None:
        if getattr(e, "state", "") == "retrying":
            cancel.set()

    result = Deleter(factory, JournalBook(tmp_path), on_event, cancel, poll_interval=0.001, retry_delay=30).run(
        plan_deletion(inv, {rid}))
    assert result.states[rid] == "cancelled"
    assert len(deletes(sim, "loose-nsg")) == 1  # the retry the pause waited for is not sent
    assert sim.get(rid) is not None


def test_stopping_while_a_deletion_is_verified_stops_reading(sim: ArmSim, factory: ClientFactory,
                                                             tmp_path: Path) -> None:
    """Azure answered the DELETE; the reads that verify it cannot tell (403): stopping then ends the wait, it
    does not read on until it reports the resource "still there"."""
    import threading

    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    cancel = threading.Event()

    def on_event(e: object) -> None:
        if getattr(e, "state", "") == "verifying":
            sim.faults.error("GET", r"/networkSecurityGroups/loose-nsg$", status=403, code="AuthorizationFailed",
                             message="no", times=1000)
            cancel.set()

    result = Deleter(factory, JournalBook(tmp_path), on_event, cancel, poll_interval=0.001, retry_delay=0).run(
        plan_deletion(inv, {rid}))
    assert result.states[rid] == "cancelled" and rid not in result.errors


def test_a_run_still_being_applied_is_not_cleaned_up(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    import pytest

    from azwizard.run.lock import RunInProgress, journey_lock
    from azwizard.run.preflight import plan_identity

    plan = make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    with journey_lock(plan_identity(plan), "run-vm"), pytest.raises(RunInProgress) as raised:
        Deleter(factory, JournalBook(tmp_path), poll_interval=0.001, retry_delay=0).run(plan_deletion(inv, {rid}))
    assert raised.value.runs == ["run-vm"]
    assert not deletes(sim)  # nothing was sent
    assert sim.get(rid) is not None


def test_by_default_a_transient_failure_is_tried_three_more_times(sim: ArmSim, factory: ClientFactory,
                                                                  tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    for faults, ok in ((3, True), (4, False)):
        rid = _loose_nsg(factory)
        before = len(deletes(sim, "loose-nsg"))
        sim.faults.fail_async("DELETE", r"/networkSecurityGroups/loose-nsg$", code="InternalServerError",
                              message="An internal error occurred.", times=faults)
        result = _delete(factory, tmp_path, rid)
        assert result.ok is ok  # type: ignore[attr-defined]
        assert len(deletes(sim, "loose-nsg")) - before == 4
        sim.faults.clear()


def test_a_delete_that_fails_but_leaves_the_resource_gone_is_deleted(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    """Azure answers the DELETE with an error, yet the resource is gone (read 404 after it): deleted, and
    journaled so, not reported failed."""
    from azwizard.cleanup.model import key
    from azwizard.journal import Journal

    make_vm_run(sim, factory, tmp_path)
    rid = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=400, code="InvalidRequestFormat",
                     message="Cannot parse the request.")
    sim.remove(rid)  # gone all the same (deleted meanwhile by another hand)
    result = Deleter(factory, JournalBook(tmp_path), poll_interval=0.001, retry_delay=0).run(plan_deletion(inv, {rid}))
    assert result.ok and result.states[rid] == "deleted"
    assert Journal("run-vm", directory=tmp_path).resources()[key(rid)].state == "deleted"
