"""Cleanup deletes what the journal shows azwizard made (or the user adopted), never a resource that merely
carries a run's tag (issue 11: an older azwizard re-tagged someone else's NSG on a PUT, and cleanup deleted it)."""

from __future__ import annotations

from pathlib import Path

import cli_helpers
from existing_helpers import LOC, VM_PROFILE, apply, connection, foreign_vm_neighbours, profile, rule

from azwizard.cleanup import build_inventory, default_selection
from azwizard.sim import ArmSim

data_dir = cli_helpers.data_dir


def test_a_resource_that_only_carries_the_tag_is_not_deleted(data_dir: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    code, r = apply(conn, profile(VM_PROFILE))
    assert code == 0
    run = r.plan.run_id
    tags = r.plan.step("nsg").body["tags"]
    # someone else's NSG in the group, re-tagged for that run (what a PUT over it used to do)
    nsg = conn.session.factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "Their-NSG", {"location": LOC, "tags": tags,
                                 "properties": {"securityRules": [rule("Allow-RDP", "3389")]}}).result()
    inv = build_inventory(conn.session.factory)
    item = next(it for it in inv.items if it.id.lower() == nsg.id.lower())
    assert item.foreign and item.run_id == run
    chosen = {i.lower() for i in default_selection(inv, run)}
    assert nsg.id.lower() not in chosen
    assert {s.resource_id.lower() for s in r.plan.steps if s.key != "rg"} <= chosen
    assert r.plan.step("rg").resource_id.lower() not in chosen  # the group holds someone else's NSG


def test_an_adopted_resource_is_cleaned_up_with_its_run(data_dir: Path, tmp_path: Path) -> None:
    from existing_helpers import profile_text

    sim = ArmSim()
    conn = connection(sim)
    foreign_vm_neighbours(conn, rdp_priority=300)  # beside azwizard's rules (100-120), not in their place
    prof = profile_text(VM_PROFILE, tmp_path, replace={'kind = "vm"': 'kind = "vm"\nuse_existing_group = true'},
                        extra="\n[public_ip]\nzones = []\n")
    code, r = apply(conn, prof, adopt=("Yolo-NSG", "Yolo-IPv4"))
    assert code == 0
    inv = build_inventory(conn.session.factory)
    chosen = {i.lower() for i in default_selection(inv, r.plan.run_id)}
    assert {r.plan.step(k).resource_id.lower() for k in ("nsg", "pip4", "vm")} <= chosen
    rg = f"/subscriptions/{sim.subscription_id}/resourcegroups/yolo-rg"
    assert rg not in chosen  # never adopted, never azwizard's: not deleted


def test_an_adoption_that_failed_leaves_the_resource_someone_elses(data_dir: Path, tmp_path: Path) -> None:
    """Adopting a foreign NSG whose update Azure refuses (a lock, a bad request): the NSG is as it was, so
    the run's cleanup must not take it for its own (tried in tmux: a ReadOnly-locked group adopted in the
    review, the create failed, and cleanup offered to delete the group)."""
    from existing_helpers import profile_text

    from azwizard.journal import Journal

    sim = ArmSim()
    conn = connection(sim)
    foreign_vm_neighbours(conn, rdp_priority=300)  # beside azwizard's rules (100-120), not in their place
    prof = profile_text(VM_PROFILE, tmp_path, replace={'kind = "vm"': 'kind = "vm"\nuse_existing_group = true'},
                        extra="\n[public_ip]\nzones = []\n")
    sim.faults.error("PUT", "networkSecurityGroups/Yolo-NSG$", status=409, code="ScopeLocked",
                     message="The scope cannot perform write operation because it is locked.")
    code, r = apply(conn, prof, adopt=("Yolo-NSG", "Yolo-IPv4"))
    assert code != 0
    nsg = r.plan.step("nsg").resource_id.lower()
    assert Journal(r.plan.run_id, "vm").resources()[nsg].state == "not-adopted"
    inv = build_inventory(conn.session.factory)
    assert nsg not in {i.lower() for i in default_selection(inv, r.plan.run_id)}
    # not listed as the run's: at most as someone else's (in a group azwizard lists whole), never selected
    assert all(it.foreign for it in inv.items if it.id.lower() == nsg)
