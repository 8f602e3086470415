"""How cleanup's inventory reads what it lists (cleanup/inventory.py): what Resource Graph answered is not read
again; a read that fails is a warning and never makes a resource look deleted; and what the journals say (the
states that count, which run a resource is, its journey and first-seen time, Azure's own spelling of its id)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleanup_helpers import LOCATION, make_vm_run

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import build_inventory
from azwizard.cleanup.model import GROUP, key
from azwizard.sim import ArmSim
from azwizard.specs.vm import BackupSpec

NSGS = "Microsoft.Network/networkSecurityGroups"


def test_from_another_machine_the_groups_contents_come_with_the_query_not_read_one_by_one(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """No journal here: the tagged group's untagged contents (the VM's OS disk) come in Resource Graph's rows
    for the group, not a GET each. Each group is listed first among its resources."""
    make_vm_run(sim, factory, tmp_path / "here")
    sim.requests.clear()
    inv = build_inventory(factory, journal_dir=tmp_path / "elsewhere")
    assert [it for it in inv.items if it.source == "attached" and it.type.lower() == "microsoft.compute/disks"]
    assert not [r.path for r in sim.requests if r.method == "GET" and "/disks/" in r.path.lower()]
    kinds = [it.kind == GROUP for it in inv.items if it.resource_group == "Yolo-RG"]
    assert kinds[0] and not any(kinds[1:]) and len(kinds) > 1


def test_reads_that_fail_are_warnings_and_nothing_unread_looks_deleted(sim: ArmSim, factory: ClientFactory,
                                                                      tmp_path: Path) -> None:
    """Resource Graph refused (the ARM lists then), a resource's GET refused, its group gone from the list call,
    the locks and the vault's backup items unreadable: each a warning; the resource still exists with what its
    list call showed, locks are marked unknown."""
    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    no = {"status": 403, "code": "AuthorizationFailed", "message": "no access", "times": 100}
    sim.faults.error("POST", "Microsoft.ResourceGraph", **no)
    sim.faults.error("GET", r"/networkSecurityGroups/Yolo-NSG$", **no)
    sim.faults.error("GET", r"/providers/Microsoft.Authorization/locks$", **no)
    sim.faults.error("GET", r"/backupProtectedItems$", **no)
    sim.faults.error("GET", r"/resourceGroups/Yolo-RG/resources$", status=404, code="ResourceGroupNotFound",
                     message="Resource group 'Yolo-RG' could not be found.", times=100)
    inv = build_inventory(factory, journal_dir=tmp_path)
    (nsg,) = [it for it in inv.items if it.name == "Yolo-NSG"]
    assert nsg.exists and nsg.state != "deleted" and nsg.location == LOCATION and nsg.run_id == "run-vm"
    # its identity could not be read: the journal and the list's tags alone do not make it this run's to delete
    assert nsg.foreign and "could not be read now" in nsg.note
    assert not [it for it in inv.items if it.exists and it.run_id == "run-vm" and it.foreign
                and it.name != "Yolo-NSG"]  # what was read is this run's, as before
    warned = "\n".join(inv.warnings)
    assert f"Could not read {nsg.id}" in warned
    assert "Could not list management locks" in warned and not inv.locks_known and inv.locks == ()
    assert "Could not list the backup items" in warned
    assert "yolo-rg" not in inv.group_contents  # gone from the list call: no contents claimed


def _journal(directory: Path, run_id: str, journey: str, *lines: tuple[str, str, str, str],
             steps: tuple[dict[str, str], ...] = ()) -> None:
    """A journal as azwizard writes it (journal.py), with chosen times: (ts, event, id, kind) per line."""
    directory.mkdir(parents=True, exist_ok=True)
    out = [{"ts": "2026-11-20T00:00:00Z", "run": run_id, "journey": journey, "event": "plan", "steps": list(steps)}]
    out += [{"ts": ts, "run": run_id, "journey": journey, "event": ev, "id": rid, "kind": kind}
            for ts, ev, rid, kind in lines]
    (directory / f"{run_id}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in out))


def test_what_the_journals_say_of_each_resource(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    factory.resources().resource_groups.create_or_update("h-rg", {"location": LOCATION})
    nsgs = factory.network().network_security_groups

    def nsg(name: str, **tags: str) -> str:
        return str(nsgs.begin_create_or_update("h-rg", name, {"location": LOCATION, "tags": tags}).result().id)

    plain = nsg("plain")  # its tags never arrived: the journal alone knows it
    twice = nsg("twice")
    kept = nsg("kept", **{"created-by": "azwizard", "azwizard-run": "r1", "azwizard-journey": "vm"})
    adopted = nsg("adopted")
    never = plain.replace("/plain", "/never-sent")
    rule = f"{plain}/securityRules/r1"
    assignment = f"{kept}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-0000000000a1"
    _journal(tmp_path, "r1", "vm",
             ("2026-11-20T01:00:00Z", "requested", plain.lower(), NSGS.lower()),
             ("2026-11-20T01:00:05Z", "accepted", plain.lower(), NSGS.lower()),
             ("2026-11-20T01:01:00Z", "created", plain.lower(), NSGS.lower()),
             ("2026-11-20T01:02:00Z", "created", rule, f"{NSGS}/securityRules"),  # a sub-resource
             ("2026-11-20T01:03:00Z", "requested", kept, NSGS),
             ("2026-11-20T01:04:00Z", "created", kept, NSGS),
             ("2026-11-20T01:05:00Z", "created", assignment, "Microsoft.Authorization/roleAssignments"),
             ("2026-11-20T01:06:00Z", "adopted", adopted, NSGS),
             ("2026-11-20T01:07:00Z", "created", twice, NSGS),
             steps=({"id": never, "kind": NSGS, "step": "nsg"},))  # planned, never sent
    # a later run whose journal shows "twice" deleted, though it is there: the run that made it is r1
    _journal(tmp_path, "r2", "vm", ("2026-11-21T00:00:00Z", "deleted", twice, NSGS))
    inv = build_inventory(factory, journal_dir=tmp_path)
    items: dict[str, Any] = {it.key: it for it in inv.items}
    assert key(never) not in items and key(rule) not in items
    mine = items[key(plain)]
    assert (mine.id, mine.type, mine.journey, mine.run_id) == (plain, NSGS, "vm", "r1")  # Azure's spelling
    assert mine.created == "2026-11-20T01:00:00Z"  # first asked for, not accepted or created
    assert items[key(adopted)].created != "2026-11-20T01:06:00Z"  # taken over then, not made then
    assert (items[key(twice)].run_id, items[key(twice)].exists) == ("r1", True)
    gone = items[key(assignment)]
    assert not gone.exists
    assert not [c for c in items[key(kept)].cascade if key(c.resource_id) == key(assignment)]


def test_through_the_arm_lists_an_untagged_resource_is_dated_by_arms_created_time(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """Resource Graph unavailable: the VM's OS disk (no tags) is dated by the createdTime of its group's list
    call, as a tagged resource is by the tag list's."""
    make_vm_run(sim, factory, tmp_path)
    sim.faults.error("POST", "Microsoft.ResourceGraph", status=403, code="AuthorizationFailed", message="no",
                     times=100)
    inv = build_inventory(factory, journal_dir=tmp_path)
    (disk,) = [it for it in inv.items if it.source == "attached" and it.type.lower() == "microsoft.compute/disks"]
    from azwizard.azure import ops

    listed = {str(r.id).lower(): ops.wire(r) for r in factory.resources().resources.list_by_resource_group(
        "Yolo-RG", expand="createdTime")}
    assert listed[disk.key]["createdTime"] and disk.created == listed[disk.key]["createdTime"]


def test_a_vault_holding_backup_items_has_its_soft_delete_setting_read(sim: ArmSim, factory: ClientFactory,
                                                                      tmp_path: Path) -> None:
    """What stopping protection would leave behind, and for how long, is read only for a vault with items."""
    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    inv = build_inventory(factory, journal_dir=tmp_path)
    (vault,) = [it for it in inv.items if it.type.lower() == "microsoft.recoveryservices/vaults"]
    assert vault.protected_items and vault.soft_delete is not None
