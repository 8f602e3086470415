"""Ownership is proven by the resource itself (issue 18): a resource is "made by run R" only when R's journal
here confirmed its create, its live identity (resourceGuid, vmId, uniqueId, resourceUID...) equals the one
journaled, and it still carries R's run tags. A name re-created by someone else is a conflict, never updated,
re-tagged or deleted. Through the real SDK against the simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cli_helpers
from existing_helpers import (
    LOC,
    VM_PROFILE,
    apply,
    connection,
    group_prefix,
    profile,
    review,
    rule,
    state_of,
    writes,
)

from azwizard.exitcodes import EXIT_FINDINGS, EXIT_OK
from azwizard.journal import Journal
from azwizard.sim import ArmSim

data_dir = cli_helpers.data_dir


def colleague_recreates(conn: Any, nsg_tags: dict[str, str] | None = None) -> None:
    """The group is deleted outside azwizard; a colleague creates Yolo-RG and Yolo-NSG (an RDP rule)."""
    f = conn.session.factory
    f.resources().resource_groups.begin_delete("Yolo-RG").result()
    f.resources().resource_groups.create_or_update("Yolo-RG", {"location": LOC, "tags": {"owner": "colleague"}})
    f.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "Yolo-NSG", {"location": LOC, "tags": nsg_tags or {"owner": "colleague"},
                                "properties": {"securityRules": [rule("Allow-RDP", "3389")]}}).result()


def test_the_journal_records_the_identity_azure_gave_each_created_resource(data_dir: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    code, r = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    created = {ev["step"]: ev.get("identity") for ev in Journal(r.plan.run_id).events() if ev["event"] == "created"}
    vm = sim.get(r.plan.step("vm").resource_id)
    nsg = sim.get(r.plan.step("nsg").resource_id)
    assert created["vm"] == {"vmId": vm["properties"]["vmId"]}
    assert created["nsg"] == {"resourceGuid": nsg["properties"]["resourceGuid"]}
    assert created["rg"] in ({}, None)  # a resource group has no immutable identity in ARM


def test_a_name_re_created_by_a_colleague_is_a_conflict_and_stays_theirs(data_dir: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    colleague_recreates(conn)
    theirs = state_of(sim, group_prefix(sim, "yolo-rg"))
    r = review(conn, profile(VM_PROFILE))
    rg, nsg = r.diff.get("rg"), r.diff.get("nsg")
    assert rg.action == "conflict" and nsg.action == "conflict"
    assert "owner=colleague" in nsg.owner.who()
    assert f"re-created since run {first.plan.run_id} made it: resourceGuid differs" in nsg.reason
    assert "does not carry its tags" in rg.reason and "owner=colleague" in rg.reason
    assert any("! Network security group" in line or "! " in line and "Yolo-NSG" in line for line in r.diff.lines())
    for allow in (False, True):
        start = len(sim.requests)
        code, _ = apply(conn, profile(VM_PROFILE), allow_update=allow)
        assert code == EXIT_FINDINGS
        assert writes(sim, start) == []
    assert state_of(sim, group_prefix(sim, "yolo-rg")) == theirs


def test_copied_azwizard_tags_do_not_make_a_re_created_resource_azwizards(data_dir: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    tags = dict(first.plan.step("nsg").body["tags"])
    colleague_recreates(conn, nsg_tags=tags)
    r = review(conn, profile(VM_PROFILE), allow_update=True)
    nsg = r.diff.get("nsg")
    assert nsg.action == "conflict" and "resourceGuid differs" in nsg.reason


def test_a_resource_tagged_by_a_run_whose_journal_is_elsewhere_is_offered_for_adoption(data_dir: Path,
                                                                                          tmp_path: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    assert apply(conn, profile(VM_PROFILE))[0] == EXIT_OK
    (data_dir / "journal").rename(tmp_path / "elsewhere")
    r = review(conn, profile(VM_PROFILE), allow_update=True)
    nsg = r.diff.get("nsg")
    assert nsg.action == "conflict"
    assert "another machine's azwizard run" in nsg.owner.who() and "adopt it to manage it here" in nsg.reason


def test_cleanup_of_the_old_run_leaves_the_colleagues_group_and_nsg(data_dir: Path, capsys: Any) -> None:
    from azwizard.headless.cleanup import delete_command, inventory

    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    colleague_recreates(conn)
    theirs = state_of(sim, group_prefix(sim, "yolo-rg"))
    inv = inventory(conn)
    rows = {it.name: it for it in inv.items if it.run_id == first.plan.run_id}
    assert rows["Yolo-NSG"].foreign and rows["Yolo-NSG"].note.startswith("re-created by someone else")
    assert rows["Yolo-RG"].foreign and "does not carry its tags" in rows["Yolo-RG"].note
    assert rows["Yolo-VM"].note == "deleted outside azwizard" and not rows["Yolo-VM"].exists
    start = len(sim.requests)
    code = delete_command(conn, run=first.plan.run_id, group=None, yes=True, confirm_group=None, live=False)
    assert code == EXIT_OK
    said = capsys.readouterr().out
    assert "kept: Network security group Yolo-NSG — re-created by someone else" in said
    assert [w for w in writes(sim, start) if w[0] == "DELETE"] == []
    assert state_of(sim, group_prefix(sim, "yolo-rg")) == theirs


def test_a_failed_resource_of_this_run_is_re_sent_by_the_rerun_without_allow_update(
        data_dir: Path, capsys: Any) -> None:
    sim = ArmSim()
    conn = connection(sim)
    sim.faults.fail_async("PUT", r"/virtualMachines/Yolo-VM$", code="AllocationFailed",
                          message="Allocation failed. We do not have sufficient capacity for the requested VM size.")
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == 3
    assert "run the command again (it continues this run)" in capsys.readouterr().err
    vm_id = first.plan.step("vm").resource_id
    assert sim.get(vm_id)["properties"]["provisioningState"] == "Failed"
    start = len(sim.requests)
    code, again = apply(conn, profile(VM_PROFILE))  # the fault is gone; no --allow-update
    assert code == EXIT_OK, capsys.readouterr()
    assert again.plan.run_id == first.plan.run_id
    assert again.diff.get("vm").owner.relation == "this-run"
    assert any(f.rule_id == "plan-resend" for f in again.findings)
    assert [p for p in (w[1] for w in writes(sim, start)) if "virtualmachines" in p] == [vm_id.lower()]
    assert sim.get(vm_id)["properties"]["provisioningState"] == "Succeeded"


def test_a_failed_cluster_of_this_run_is_re_sent_too(data_dir: Path) -> None:
    from existing_helpers import AKS_PROFILE

    sim = ArmSim()
    conn = connection(sim)
    sim.faults.fail_async("PUT", r"/managedClusters/aks-dev$", code="ReconcileAgentPoolFailed",
                          message="Agent pool nodepool1 failed to provision.")
    code, first = apply(conn, profile(AKS_PROFILE))
    assert code == 3
    code, again = apply(conn, profile(AKS_PROFILE))
    assert code == EXIT_OK and again.plan.run_id == first.plan.run_id


def test_demo_reset_archives_the_demo_subscriptions_journals(data_dir: Path, capsys: Any) -> None:
    from cli_helpers import EXAMPLES, main_in_process

    assert main_in_process(["--demo", "vm", "apply", str(EXAMPLES / "yolo-vm.toml"), "--yes"], capsys).code == 0
    [made] = list((data_dir / "journal").glob("*.jsonl"))
    r = main_in_process(["--demo", "--reset", "vm", "plan", str(EXAMPLES / "yolo-vm.toml")], capsys)
    assert r.code == EXIT_OK and "7 to create" in r.out
    assert list((data_dir / "journal").glob("*.jsonl")) == []
    assert [p.name for p in (data_dir / "journal-archive").glob("*/*.jsonl")] == [made.name]


def test_a_selection_never_carries_over_to_a_resource_re_created_under_the_same_name(data_dir: Path) -> None:
    from azwizard.cleanup import build_inventory
    from screens.cleanup.state import CleanupState

    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    state = CleanupState()
    state.set_inventory(build_inventory(conn.session.factory))
    nsg = first.plan.step("nsg").resource_id.lower()
    pip = first.plan.step("pip4").resource_id.lower()
    state.selected |= {nsg, pip}
    state.set_inventory(build_inventory(conn.session.factory))  # the same resources: the selection stays
    assert {nsg, pip} <= state.selected
    f = conn.session.factory
    f.compute().virtual_machines.begin_delete("Yolo-RG", first.plan.step("vm").name).result()
    f.network().network_interfaces.begin_delete("Yolo-RG", first.plan.step("nic").name).result()
    f.network().virtual_networks.begin_delete("Yolo-RG", first.plan.step("vnet").name).result()
    f.network().network_security_groups.begin_delete("Yolo-RG", "Yolo-NSG").result()
    f.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "Yolo-NSG", {"location": LOC, "tags": dict(first.plan.step("nsg").body["tags"])}).result()
    state.set_inventory(build_inventory(conn.session.factory))
    assert nsg not in state.selected and pip in state.selected
    item = state.inventory.get(first.plan.step("nsg").resource_id)  # type: ignore[union-attr]
    assert item is not None and item.foreign and "resourceGuid differs" in item.note


async def test_in_the_wizard_the_colleagues_group_and_nsg_are_conflicts_and_create_sends_nothing(
        data_dir: Path) -> None:
    from azwizard.screens.review import CreateScreen, ReviewStep
    from test_plan_review_screen import app_on, open_review, settle, text_of

    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    colleague_recreates(conn)
    theirs = state_of(sim, group_prefix(sim, "yolo-rg"))
    app = app_on(sim)
    start = len(sim.requests)
    async with app.run_test(size=(130, 44)) as pilot:
        review = await open_review(app, pilot, profile(VM_PROFILE).spec)
        changes = text_of(review, "#review-diff")
        # the wizard puts the resources into the existing group without changing it; the NSG is a conflict
        assert "! Network security group Yolo-NSG" in changes and "owner=colleague" in changes
        assert "~ Resource group" not in changes and "+ Resource group" not in changes
        assert review.diff is not None
        assert f"re-created since run {first.plan.run_id} made it" in review.diff.get("nsg").reason
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep) and not any(isinstance(s, CreateScreen) for s in app.screen_stack)
    assert writes(sim, start) == []
    assert state_of(sim, group_prefix(sim, "yolo-rg")) == theirs


def test_the_runner_never_takes_a_re_created_resource_for_the_one_its_run_made(data_dir: Path) -> None:
    """The last guard, without a diff: a resume of run R reads back what R's journal says it created, and a
    resource of that name with another identity is refused, not taken as done (nor sent)."""
    from azwizard.run.executor import Runner

    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    colleague_recreates(conn)
    start = len(sim.requests)
    result = Runner(conn.session.factory, Journal(first.plan.run_id, "vm"), poll_interval=0.01).run(first.plan)
    assert result.states["nsg"] == "failed" and "resourceGuid differs" in result.errors["nsg"].what
    assert not any(p.endswith("/networksecuritygroups/yolo-nsg") for _, p in writes(sim, start))


def test_a_new_run_after_an_outside_delete_owns_its_disk_in_cleanup(data_dir: Path) -> None:
    """The group deleted outside azwizard, the same profile applied again: everything, the new VM's OS disk
    included, is the new run's; nothing is listed under the dead run but what was deleted outside azwizard."""
    from azwizard.cleanup import build_inventory, default_selection

    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    conn.session.factory.resources().resource_groups.begin_delete("Yolo-RG").result()
    code, second = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK and second.plan.run_id != first.plan.run_id
    inv = build_inventory(conn.session.factory)
    live = [it for it in inv.items if it.exists]
    assert {it.run_id for it in live} == {second.plan.run_id} and not any(it.foreign for it in live)
    disk = next(it for it in live if it.kind == "microsoft.compute/disks")
    assert disk.key in {k.lower() for k in default_selection(inv, second.plan.run_id)}


def test_a_plan_read_before_another_run_of_the_journey_is_refused(data_dir: Path) -> None:
    """The wizard's review stays open while a headless apply of the same VM runs: its diff (everything "+")
    is out of date, and the runner sends nothing on it."""
    from azwizard.azure.errors import AzwizardError
    from azwizard.run.executor import Runner

    sim = ArmSim()
    conn = connection(sim)
    stale = review(conn, profile(VM_PROFILE))  # read while nothing exists
    assert apply(conn, profile(VM_PROFILE))[0] == EXIT_OK  # another apply of the journey meanwhile
    start = len(sim.requests)
    runner = Runner(conn.session.factory, Journal(stale.plan.run_id, "vm"), poll_interval=0.01)
    try:
        runner.run(stale.plan, diff=stale.diff, meta=stale.meta)
    except AzwizardError as e:
        assert e.code == "PlanOutdated" and "ran since the plan was read" in e.what
    else:
        raise AssertionError("an out-of-date plan was run")
    assert writes(sim, start) == []
    assert not Journal(stale.plan.run_id, "vm").path.exists()


def test_a_run_being_applied_is_not_offered_for_resume(data_dir: Path) -> None:
    from existing_helpers import killed_run

    from azwizard.run.lock import journey_lock
    from azwizard.run.resume import interrupted_runs

    sim = ArmSim()
    run = killed_run(sim, profile(VM_PROFILE), lines=4)
    [offered] = interrupted_runs()
    assert offered.run_id == run
    with journey_lock(offered.record.identity, run):  # an apply of that journey is going on
        assert interrupted_runs() == []
    assert [p.run_id for p in interrupted_runs()] == [run]
