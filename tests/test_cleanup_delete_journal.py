"""What a deletion writes and reports (cleanup/delete.py): each run's journal (journey, verified or not, what went
with a resource, a disk a VM left behind), the cleanup journal for resources of no run, the events a screen
shows, and what Azure is asked: how often a deletion is read back, how often an "in use" answer is tried again,
and nothing at all when the journal cannot be written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from cleanup_helpers import LOCATION, deletes, foreign_nsg, make_vm_run

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import (
    DeleteEvent,
    Deleter,
    JournalBook,
    build_inventory,
    default_selection,
    plan_deletion,
)
from azwizard.cleanup.model import Cascade, key
from azwizard.cleanup.order import DeleteOp, DeletionPlan
from azwizard.journal import Journal
from azwizard.sim import ArmSim
from azwizard.specs.vm import DiskSpec

NSGS = "Microsoft.Network/networkSecurityGroups"


def _deleter(factory: ClientFactory, directory: Path, events: list[DeleteEvent] | None = None,
             **kw: Any) -> Deleter:
    return Deleter(factory, JournalBook(directory), events.append if events is not None else None,
                   poll_interval=0.001, retry_delay=0, **kw)


def _lines(directory: Path, run_id: str) -> list[dict[str, Any]]:
    return list(Journal(run_id, directory=directory).events())


def _nsg(factory: ClientFactory, rg: str, name: str, tags: dict[str, str] | None = None) -> str:
    return str(factory.network().network_security_groups.begin_create_or_update(
        rg, name, {"location": LOCATION, "tags": tags or {}}).result().id)


def _loose(factory: ClientFactory) -> str:
    """An NSG tagged by a run (r9) whose journal is not here, in a group of its own."""
    factory.resources().resource_groups.create_or_update("x-rg", {"location": LOCATION})
    return _nsg(factory, "x-rg", "loose-nsg", {"created-by": "azwizard", "azwizard-run": "r9"})


def test_a_whole_group_journals_itself_verified_and_its_contents_in_their_own_runs_unverified(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """The group's GET answered 404 (verified); what it held went with it (not read one by one): each resource
    of a run in that run's journal, with that run's journey; a resource of no run in no journal."""
    factory.resources().resource_groups.create_or_update("g-rg", {"location": LOCATION})
    ours = _nsg(factory, "g-rg", "ours")
    theirs = _nsg(factory, "g-rg", "theirs")
    group = sim.group_id("g-rg")
    op = DeleteOp(group, "Microsoft.Resources/resourceGroups", "g-rg", "g-rg", "Resource group g-rg", "r1", "vm",
                  with_it=(Cascade(ours, NSGS, "in the group", "r2", "aks"), Cascade(theirs, NSGS, "in the group")),
                  whole_group=True)
    # the contents cannot be read (403): the group's own 404 is what proves them gone
    sim.faults.error("GET", r"/networkSecurityGroups/(ours|theirs)$", status=403, code="AuthorizationFailed",
                     message="no", times=100)
    result = _deleter(factory, tmp_path).run(DeletionPlan((op,)), confirm_group_name="g-rg")
    assert result.ok, result.report()
    assert {key(r) for r in result.deleted} == {key(group), key(ours), key(theirs)}
    assert [(ev["event"], ev["journey"], ev.get("verified")) for ev in _lines(tmp_path, "r1")] == [
        ("delete-requested", "vm", None), ("deleted", "vm", True)]
    assert [(ev["event"], ev["id"], ev["journey"], ev["verified"], ev["via"]) for ev in _lines(tmp_path, "r2")] == [
        ("deleted", ours, "aks", False, group)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r1.jsonl", "r2.jsonl"]  # none for "theirs"


def test_what_goes_with_a_runs_resource_is_journaled_in_that_run_even_when_no_run_is_known_for_it(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    (vm,) = [it for it in inv.items if it.name == "Yolo-VM"]
    plan = plan_deletion(inv, {vm.id})
    vm_op = plan.op(vm.id)
    assert vm_op.with_it
    unknown = replace(vm_op, with_it=tuple(replace(c, run_id=None, journey=None) for c in vm_op.with_it))
    events: list[DeleteEvent] = []
    result = _deleter(factory, tmp_path, events).run(DeletionPlan((unknown,)), confirm=vm.name)
    assert result.ok, result.report()
    went = {ev["id"].lower(): ev for ev in _lines(tmp_path, "run-vm") if ev.get("via")}
    assert set(went) == {key(c.resource_id) for c in vm_op.with_it}
    assert {ev["event"] for ev in went.values()} == {"deleted"} and {ev["verified"] for ev in went.values()} == {True}
    assert [e.message for e in events if e.state == "deleted"] == [f"deleted with {len(vm_op.with_it)} resource(s)"]


def test_a_resource_of_no_run_is_journaled_as_cleanup_and_another_machines_run_in_its_own_journal(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """A resource no run made goes in a cleanup journal (journey "cleanup"); one tagged by a run whose journal
    is not here gets that run's journal, with the journey its tags name, or none: never "cleanup"."""
    factory.resources().resource_groups.create_or_update("x-rg", {"location": LOCATION})
    loose = foreign_nsg(factory, "x-rg")
    base = {"created-by": "azwizard", "azwizard-created": "2026-11-26T03:00:00Z"}
    tagged = _nsg(factory, "x-rg", "tagged", {**base, "azwizard-run": "r8", "azwizard-journey": "vm"})
    no_journey = _nsg(factory, "x-rg", "no-journey", {**base, "azwizard-run": "r9"})
    inv = build_inventory(factory, journal_dir=tmp_path / "none", include_untagged_in_groups={"x-rg"})
    book = tmp_path / "journals"
    events: list[DeleteEvent] = []
    for rid in (loose, tagged, no_journey):
        result = _deleter(factory, book, events).run(plan_deletion(inv, {rid}))
        assert result.ok, result.report()
    assert [e.message for e in events if e.state == "deleted"] == ["deleted"] * 3
    journeys = {p.stem: {ev["journey"] for ev in _lines(book, p.stem)} for p in book.iterdir()}
    (cleanup,) = [run for run in journeys if run.startswith("cleanup-")]
    assert journeys == {cleanup: {"cleanup"}, "r8": {"vm"}, "r9": {""}}


def test_a_vm_deleted_alone_journals_the_disk_it_left_behind_and_nothing_else(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """The data disk (deleteOption Detach) has no tags: an "exists" line keeps it findable from this machine.
    The NIC it keeps is the run's own already, and is not written again."""
    make_vm_run(sim, factory, tmp_path, data_disk=DiskSpec(size_gb=4, delete_with_vm=False), nic_delete_with_vm=False)
    inv = build_inventory(factory, journal_dir=tmp_path)
    (vm,) = [it for it in inv.items if it.name == "Yolo-VM"]
    kept = {c.type.lower(): c.resource_id for c in vm.keeps}
    assert set(kept) >= {"microsoft.compute/disks", "microsoft.network/networkinterfaces"}
    result = _deleter(factory, tmp_path).run(plan_deletion(inv, {vm.id}), confirm=vm.name)
    assert result.ok, result.report()
    left = [(ev["id"], ev["left_by"]) for ev in _lines(tmp_path, "run-vm") if ev["event"] == "exists"]
    assert left == [(kept["microsoft.compute/disks"], vm.id)]
    after = build_inventory(factory, journal_dir=tmp_path)
    (disk,) = [it for it in after.items if it.id.lower() == key(kept["microsoft.compute/disks"])]
    assert disk.exists and disk.run_id == "run-vm"


def test_a_disk_gone_by_the_time_its_vm_is_deleted_is_not_journaled_as_left_behind(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path, data_disk=DiskSpec(size_gb=4, delete_with_vm=False))
    inv = build_inventory(factory, journal_dir=tmp_path)
    (vm,) = [it for it in inv.items if it.name == "Yolo-VM"]
    (disk,) = [c.resource_id for c in vm.keeps if c.type.lower() == "microsoft.compute/disks"]

    def on_event(e: DeleteEvent) -> None:
        if e.state == "verifying":  # the VM is gone: someone deletes the detached disk meanwhile
            sim.remove(disk)

    result = Deleter(factory, JournalBook(tmp_path), on_event, poll_interval=0.001, retry_delay=0).run(
        plan_deletion(inv, {vm.id}), confirm=vm.name)
    assert result.ok, result.report()
    assert not [ev for ev in _lines(tmp_path, "run-vm") if ev["event"] == "exists"]


def test_a_delete_answered_404_is_verified_through_a_read_that_fails_once(sim: ArmSim, factory: ClientFactory,
                                                                          tmp_path: Path) -> None:
    """Azure says the resource is not there (404 on DELETE); the read that checks it fails once (403), the next
    answers 404: deleted, not failed."""
    rid = _loose(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.remove(rid)
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=404, code="ResourceNotFound",
                     message="not found", times=5)
    sim.faults.error("GET", r"/networkSecurityGroups/loose-nsg$", status=403, code="AuthorizationFailed",
                     message="no", times=1)
    result = _deleter(factory, tmp_path).run(plan_deletion(inv, {rid}))
    assert result.ok and result.states[rid] == "deleted", result.report()


def test_by_default_a_deletion_is_read_back_six_times_before_it_is_reported_still_there(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    rid = _loose(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=200, code="Accepted",
                     message="accepted")  # a 200 that does nothing
    sim.requests.clear()
    result = _deleter(factory, tmp_path).run(plan_deletion(inv, {rid}))
    assert result.errors[rid].code == "StillExists"
    reads = [r for r in sim.requests if r.method == "GET" and r.path.lower().endswith("/loose-nsg")]
    assert len(reads) == 6


def test_by_default_in_use_after_another_deletion_is_tried_six_more_times(sim: ArmSim, factory: ClientFactory,
                                                                         tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, default_selection(inv))
    sim.faults.error("DELETE", r"/networkSecurityGroups/Yolo-NSG$", status=400,
                     code="InUseNetworkSecurityGroupCannotBeDeleted", message="in use", times=7)
    result = _deleter(factory, tmp_path).run(
        plan, confirm=plan.confirmation(), confirm_group_name=[op.name for op in plan.ops if op.whole_group])
    nsg = next(op.resource_id for op in plan.ops if op.name == "Yolo-NSG")
    assert result.errors[nsg].code == "InUseNetworkSecurityGroupCannotBeDeleted"
    assert len(deletes(sim, "/networkSecurityGroups/Yolo-NSG")) == 7


def test_a_journal_that_cannot_be_written_fails_the_deletion_clearly_and_sends_nothing(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    rid = _loose(factory)
    inv = build_inventory(factory, journal_dir=tmp_path / "none")
    book = tmp_path / "journals"
    book.write_text("a file where the journal folder should be")  # no journal can be written there
    result = _deleter(factory, book).run(plan_deletion(inv, {rid}))
    assert result.states[rid] == "failed" and not result.ok
    ((failed, why),) = result.not_deleted
    assert failed == rid and why
    assert not deletes(sim) and sim.get(rid) is not None
