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
