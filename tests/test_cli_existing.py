"""Applying over what already exists (issue 11): nothing azwizard did not create is changed, a second apply
of the same profile sends nothing, a changed one needs --allow-update, a change Azure refuses in place is a
conflict, and --adopt is the only way to take over someone else's resource. Through the real SDK against the
simulator; requests are counted on the simulator."""

from __future__ import annotations

import json
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import demo_state, main_in_process
from existing_helpers import (
    AKS_PROFILE,
    VM_PROFILE,
    apply,
    connection,
    foreign_vm_neighbours,
    group_prefix,
    profile,
    profile_text,
    puts,
    review,
    state_of,
    writes,
)

from azwizard.exitcodes import EXIT_FINDINGS, EXIT_OK
from azwizard.plan.diff import ABSENT
from azwizard.sim import ArmSim
from azwizard.specs.common import TAG_RUN

data_dir = cli_helpers.data_dir


def test_foreign_resources_block_vm_apply_and_nothing_changes(data_dir: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """(a) someone else's Yolo-RG with an untagged NSG (RDP rule) and a public IP with a DNS label."""
    from azwizard.headless.common import Connection

    sim = ArmSim(persist_path=data_dir / "demo" / "simulator-state.json")
    foreign_vm_neighbours(connection(sim))
    before = demo_state(data_dir)
    res = main_in_process(["--demo", "vm", "apply", str(VM_PROFILE), "--yes"], capsys)
    assert res.code == EXIT_FINDINGS == 1, res.out + res.err
    assert demo_state(data_dir) == before  # nothing changed, not even a tag
    assert "nothing was created" in res.err
    for name in ("Yolo-RG", "Yolo-NSG", "Yolo-IPv4"):
        assert f"! {name}" in res.out.replace("Resource group ", "").replace("Network security group ", "").replace(
            "Public IPv4 address ", "")
    # which resource, who made it, what to do
    assert "made by: not azwizard: it has no tags" in res.out
    assert "not azwizard (tags: owner=alice)" in res.out
    assert "--adopt Yolo-NSG" in res.out and "use_existing_group = true" in res.out
    # read-modify-write: the PUT would add azwizard's rules to the rule there, never remove it
    assert "+ properties.securityRules[Allow-SSH]" in res.out
    assert "properties.securityRules[Allow-RDP]" not in res.out
    assert "Plan: 4 to create, 0 unchanged, 0 to update, 3 in conflict." in res.out
    assert not (data_dir / "journal").exists() or not list((data_dir / "journal").glob("*.jsonl"))

    # the same through an in-memory simulator, to count what was sent: reads only
    sim2 = ArmSim()
    conn: Connection = connection(sim2)
    foreign_vm_neighbours(conn)
    start = len(sim2.requests)
    code, r = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_FINDINGS and writes(sim2, start) == []
    assert {f.rule_id for f in r.blocking} == {"plan-conflict"}


def test_plan_and_check_show_the_diff_in_text_and_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sim = ArmSim(persist_path=data_dir / "demo" / "simulator-state.json")
    foreign_vm_neighbours(connection(sim))
    text = main_in_process(["--demo", "vm", "plan", str(VM_PROFILE)], capsys)
    assert text.code == EXIT_FINDINGS
    assert "! Network security group Yolo-NSG  (in conflict)" in text.out
    assert "+ Virtual machine Yolo-VM  (to create)" in text.out
    data = json.loads(main_in_process(["--demo", "vm", "plan", str(VM_PROFILE), "--format", "json"], capsys).out)
    assert data["verdict"] == "blocked"
    assert data["diff"]["counts"] == {"create": 4, "unchanged": 0, "update": 0, "conflict": 3, "unknown": 0}
    nsg = next(e for e in data["diff"]["resources"] if e["key"] == "nsg")
    assert nsg["symbol"] == "!" and nsg["owner"]["relation"] == "foreign"
    assert not any(c["removed"] for c in nsg["changes"])  # the rule there stays: the body is what was read + rules
    assert [r["name"] for r in nsg["body"]["properties"]["securityRules"]] == [
        "Allow-RDP", "Allow-ICMPv4", "Allow-SSH", "Allow-HTTP-HTTPS"]
    check = main_in_process(["--demo", "check", "--", "az", "network", "nsg", "create", "-g", "Yolo-RG", "-n",
                             "Yolo-NSG", "&&", "az", "vm", "create", "-g", "Yolo-RG", "-n", "Yolo-VM", "--image",
                             "Debian:debian-12:12-gen2:latest", "--nsg", "Yolo-NSG", "--ssh-key-values",
                             "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAM+Y7x+NS548G3RRcpSSlEjLKa47rk45XyCGsobMClj me"],
                            capsys)
    assert "What each PUT would do" in check.out and "(in conflict)" in check.out, check.out + check.err
    offline = main_in_process(["vm", "plan", str(VM_PROFILE), "--offline"], capsys)
    assert "Offline: nothing was read from Azure" in offline.out


def test_second_apply_of_the_same_profile_sends_nothing(data_dir: Path) -> None:
    """(b) all unchanged: zero PUTs (and no new journal: there is nothing to record)."""
    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK and first.diff.counts()["create"] == 7
    snapshot = sim.snapshot()
    start = len(sim.requests)
    code, second = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    assert second.diff.counts() == {"create": 0, "unchanged": 7, "update": 0, "conflict": 0, "unknown": 0}
    assert puts(sim, start) == [] and writes(sim, start) == []
    assert sim.snapshot() == snapshot
    assert len(list((data_dir / "journal").glob("*.jsonl"))) == 1


def test_a_changed_profile_is_an_update_refused_without_allow_update(data_dir: Path, tmp_path: Path) -> None:
    """(b) the same journey, one change (SSH from another address): shown as ~ with old → new, refused without
    --allow-update, applied with it, to that resource only, keeping the first run's tags."""
    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    changed = profile_text(VM_PROFILE, tmp_path, replace={'ssh_source = "20.100.1.2/32"': 'ssh_source = "20.100.1.9/32"'})
    start = len(sim.requests)
    code, refused = apply(conn, changed)
    assert code == EXIT_FINDINGS and puts(sim, start) == []
    nsg = refused.diff.get("nsg")
    assert nsg.action == "update" and nsg.owner.relation == "same-journey" and nsg.owner.run_id == first.plan.run_id
    assert any(c.old == "20.100.1.2/32" and c.new == "20.100.1.9/32" for c in nsg.changes)
    assert [f.rule_id for f in refused.blocking] == ["plan-update"] * len(refused.blocking)
    assert "--allow-update" in refused.blocking[0].message
    assert {e.key for e in refused.diff.entries if e.action != "unchanged"} == {"nsg"}

    code, applied = apply(conn, changed, allow_update=True)
    assert code == EXIT_OK
    nsg_id = applied.plan.step("nsg").resource_id.lower()
    assert puts(sim, start) == [nsg_id]  # the one update, nothing else
    body = sim.get(nsg_id)
    assert body is not None and body["tags"][TAG_RUN] == first.plan.run_id  # never re-tagged to the new run
    assert {r["properties"]["sourceAddressPrefix"] for r in body["properties"]["securityRules"]} >= {"20.100.1.9/32"}
    again = review(conn, changed)
    assert again.diff.counts()["unchanged"] == 7


def test_aks_apply_over_a_cluster_with_other_pod_cidrs_is_a_conflict(data_dir: Path, tmp_path: Path) -> None:
    """(c) the network profile is fixed at creation: a conflict even with --allow-update; the cluster is left
    as it is."""
    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(AKS_PROFILE))
    assert code == EXIT_OK
    cluster_id = first.plan.step("aks").resource_id.lower()
    before = sim.get(cluster_id)
    other = profile_text(AKS_PROFILE, tmp_path, replace={'"10.244.0.0/16"': '"10.200.0.0/16"'})
    start = len(sim.requests)
    for allow in (False, True):
        code, r = apply(conn, other, allow_update=allow)
        assert code == EXIT_FINDINGS
        aks = r.diff.get("aks")
        assert aks.action == "conflict" and any("networkProfile" in x for x in aks.refused)
        assert any(f.rule_id == "plan-conflict" and "network profile" in f.message for f in r.blocking)
    assert writes(sim, start) == []
    assert sim.get(cluster_id) == before
    # someone else's cluster of that name: a conflict too, and naming who made it
    sim2 = ArmSim()
    conn2 = connection(sim2)
    assert apply(conn2, profile(AKS_PROFILE))[0] == EXIT_OK
    (data_dir / "journal").rename(tmp_path / "elsewhere")  # the journal is on another machine
    code, r = apply(conn2, profile(AKS_PROFILE))
    who = r.diff.get("aks").owner.who()
    assert code == EXIT_FINDINGS and "another machine's azwizard run" in who and "adopt it" in who


def test_adopt_is_the_only_way_to_take_over(data_dir: Path, tmp_path: Path) -> None:
    from existing_helpers import LOC, rule

    sim = ArmSim()
    conn = connection(sim)
    foreign_vm_neighbours(conn)
    into_group = {'kind = "vm"': 'kind = "vm"\nuse_existing_group = true'}
    prof = profile_text(VM_PROFILE, tmp_path, replace=into_group)
    code, r = apply(conn, prof, adopt=("Yolo-NSG",))
    assert code == EXIT_FINDINGS  # the public IP is still someone else's
    # adopting adds azwizard's rules to the one there, and that one (Allow-RDP) has Allow-ICMPv4's priority
    nsg_entry = r.diff.get("nsg")
    assert nsg_entry.adopted and nsg_entry.action == "conflict"
    assert any("Allow-RDP there has the same priority (100)" in x for x in nsg_entry.refused)
    assert r.diff.get("pip4").action == "conflict"
    pip_id = r.plan.step("pip4").resource_id
    with pytest.raises(Exception, match="no planned resource"):
        review(conn, prof, adopt=("Nope-NSG",))
    # the owner moves their rule to another priority: now azwizard's rules can be added beside it
    conn.session.factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "Yolo-NSG", {"location": LOC, "properties": {"securityRules": [rule("Allow-RDP", "3389", 300)]}}
    ).result()
    code, r = apply(conn, prof, adopt=("Yolo-NSG",))
    assert code == EXIT_FINDINGS and r.diff.get("nsg").action == "update"
    # a public IP cannot become zone-redundant in place: adopting it does not make the change possible
    code, r = apply(conn, prof, adopt=("Yolo-NSG", pip_id))
    assert code == EXIT_FINDINGS and r.diff.get("pip4").refused
    ok_prof = profile_text(VM_PROFILE, tmp_path, replace=into_group, extra="\n[public_ip]\nzones = []\n")
    start = len(sim.requests)
    code, r = apply(conn, ok_prof, adopt=("Yolo-NSG", "yolo-ipv4"))
    assert code == EXIT_OK, [f.message for f in r.blocking]
    assert not any(c.new is ABSENT for e in r.diff.entries for c in e.changes)  # nothing removed
    nsg = sim.get(r.plan.step("nsg").resource_id)
    assert nsg is not None and nsg["tags"][TAG_RUN] == r.plan.run_id  # adopted: now this run's
    assert [x["name"] for x in nsg["properties"]["securityRules"]] == [
        "Allow-RDP", "Allow-ICMPv4", "Allow-SSH", "Allow-HTTP-HTTPS"]  # azwizard's rules added to the owner's
    pip = sim.get(pip_id)
    assert pip is not None and pip["properties"]["dnsSettings"]["domainNameLabel"] == "alice-web"  # kept
    assert pip["tags"]["owner"] == "alice"  # other tags stay
    rg = sim.get(group_prefix(sim, "yolo-rg"))
    assert rg is not None and not rg.get("tags")  # the group was not in the plan: untouched
    assert group_prefix(sim, "yolo-rg") not in puts(sim, start)
    events = [json.loads(ln) for p in (data_dir / "journal").glob("*.jsonl") for ln in p.read_text().splitlines()]
    assert {e["id"].lower() for e in events if e["event"] == "adopted"} == {
        r.plan.step("nsg").resource_id.lower(), pip_id.lower()}
    assert state_of(sim, group_prefix(sim, "yolo-rg"))
