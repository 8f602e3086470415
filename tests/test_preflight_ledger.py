"""run/preflight.py in isolation (issue 27's surviving mutants): what makes two runs the same journey, what the
journals on this machine say about each run and resource (finished or interrupted, who made it last, a tie in
time), how a diff turns into findings, and which rule findings a diff supersedes. Pure: journals are written as
JSON lines with chosen timestamps, diffs are built by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from azwizard.azure.session import ClientFactory
from azwizard.plan.diff import Change, Owner, PlanDiff, StepDiff
from azwizard.plan.model import Plan
from azwizard.plan.vm import plan_vm
from azwizard.rules.model import Finding
from azwizard.run.preflight import (
    Ledger,
    diff_findings,
    entry_for,
    owner_of,
    plan_identity,
    read_plan,
    rest_body,
    runs_since,
    superseded,
)
from azwizard.sim import ArmSim
from azwizard.specs.common import TAG_RUN
from azwizard.specs.vm import VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
SUB = "00000000-0000-0000-0000-000000000000"
NSG = f"/subscriptions/{SUB}/resourceGroups/Yolo-RG/providers/Microsoft.Network/networkSecurityGroups/Yolo-NSG"
NSG_KIND = "Microsoft.Network/networkSecurityGroups"


def _plan(vm: str = "Yolo-VM", journey: str = "vm") -> Plan:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY)
    spec = replace(spec, names=replace(spec.names, vm=vm))
    plan = plan_vm(spec, subscription_id=SUB, run_id="run-1", created_at="2026-12-07T10:00:00Z")
    return replace(plan, journey=journey)


def _write(directory: Path, run: str, *events: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"run": run, "journey": "vm", **ev}) for ev in events]
    (directory / f"{run}.jsonl").write_text("\n".join(lines) + "\n")


def _plan_event(ts: str, identity: str = "vm:x") -> dict[str, Any]:
    return {"ts": ts, "event": "plan", "identity": identity, "steps": [{"id": NSG, "kind": NSG_KIND, "step": "nsg"}]}


# ------------------------------------------------------------------------------------------- plan_identity


def test_the_journey_is_the_main_resource_so_two_vms_in_one_group_are_two_journeys() -> None:
    a, b = _plan("Yolo-VM"), _plan("Other-VM")
    assert plan_identity(a) == "vm:" + a.step("vm").resource_id.lower()
    assert plan_identity(a) != plan_identity(b)
    assert plan_identity(a) == plan_identity(replace(a, run_id="run-2"))  # whatever the run id


def test_a_plan_without_its_main_step_is_named_by_its_last_step() -> None:
    plan = _plan()
    other = replace(plan, journey="other")
    assert plan_identity(other) == "other:" + plan.steps[-1].resource_id.lower()
    assert plan_identity(replace(plan, journey="other", steps=())) == "other:"


# ------------------------------------------------------------------------------------------------- Ledger


def test_a_run_is_finished_only_by_a_finished_ok_event_after_its_last_plan(tmp_path: Path) -> None:
    _write(tmp_path, "run-a", _plan_event("2026-12-07T10:00:00Z"))  # interrupted: no finished event
    _write(tmp_path, "run-b", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "finished", "ok": True})
    _write(tmp_path, "run-c", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "finished", "ok": True},
           _plan_event("2026-12-07T10:02:00Z"))  # resumed, then interrupted again
    _write(tmp_path, "run-d", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "finished", "ok": False})
    _write(tmp_path, "run-e", {"ts": "2026-12-07T10:01:00Z", "event": "created", "id": NSG, "kind": NSG_KIND})
    runs = Ledger.load(tmp_path).runs
    assert {r: runs[r].finished_ok for r in runs} == {"run-a": False, "run-b": True, "run-c": False, "run-d": False,
                                                      "run-e": False}  # no plan event: nothing says it finished
    assert runs["run-a"].identity == "vm:x" and runs["run-a"].journey == "vm"


def test_the_run_that_made_a_resource_last_is_its_maker_and_a_tie_goes_to_the_later_run(tmp_path: Path) -> None:
    created = {"event": "created", "id": NSG, "kind": NSG_KIND, "step": "nsg"}
    _write(tmp_path, "run-1", _plan_event("2026-12-07T10:00:00Z"), {**created, "ts": "2026-12-07T10:05:00Z"})
    _write(tmp_path, "run-2", _plan_event("2026-12-07T10:00:00Z"), {**created, "ts": "2026-12-07T10:05:00Z"})
    assert Ledger.load(tmp_path).maker(NSG) == "run-2"  # same second: the later journal wins
    assert Ledger.load(tmp_path).maker(NSG.upper()) == "run-2"  # ids are compared case-insensitively
    _write(tmp_path, "run-3", _plan_event("2026-12-07T09:00:00Z"), {**created, "ts": "2026-12-07T09:05:00Z"})
    assert Ledger.load(tmp_path).maker(NSG) == "run-2"  # an older create does not take it over
    _write(tmp_path, "run-4", _plan_event("2026-12-07T11:00:00Z"),
           {"ts": "2026-12-07T11:05:00Z", "event": "deleted", "id": NSG, "kind": NSG_KIND})
    assert Ledger.load(tmp_path).maker(NSG) is None  # deleted since: nobody's
    assert Ledger.load(tmp_path / "none").maker(NSG) is None


def test_the_identity_azure_gave_a_resource_is_kept_from_the_events_that_carry_it(tmp_path: Path) -> None:
    guid = {"resourceGuid": "1111"}
    _write(tmp_path, "run-1", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "requested", "id": NSG, "kind": NSG_KIND, "identity": guid},
           {"ts": "2026-12-07T10:02:00Z", "event": "created", "id": NSG, "kind": NSG_KIND, "identity": guid})
    _write(tmp_path, "run-2", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "requested", "id": NSG, "kind": NSG_KIND, "identity": guid},
           {"ts": "2026-12-07T10:02:00Z", "event": "created", "id": NSG, "kind": NSG_KIND, "identity": {}})
    assert Ledger.load(tmp_path).identities == {("run-1", NSG.lower()): guid}


def test_an_operation_in_flight_is_pending_only_for_a_requested_or_accepted_resource(tmp_path: Path) -> None:
    op = "https://management.azure.com/subscriptions/x/operations/1"
    _write(tmp_path, "run-1", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "accepted", "id": NSG, "kind": NSG_KIND, "operation": op})
    _write(tmp_path, "run-2", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "created", "id": NSG, "kind": NSG_KIND, "operation": op})
    _write(tmp_path, "run-3", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:01:00Z", "event": "requested", "id": NSG, "kind": NSG_KIND})
    pending = Ledger.load(tmp_path).pending
    assert pending == {"run-1": {NSG.lower(): op}, "run-2": {}, "run-3": {}}


def test_a_resource_re_created_since_its_run_made_it_is_not_that_runs_even_with_its_tags(tmp_path: Path) -> None:
    _write(tmp_path, "run-1", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:02:00Z", "event": "created", "id": NSG, "kind": NSG_KIND,
            "identity": {"resourceGuid": "1111"}})
    ledger = Ledger.load(tmp_path)
    tags = {"tags": {TAG_RUN: "run-1"}}
    assert ledger.proof(NSG, NSG_KIND, {**tags, "properties": {"resourceGuid": "1111"}}) == ("run-1", "")
    run, why = ledger.proof(NSG, NSG_KIND, {**tags, "properties": {"resourceGuid": "2222"}})
    assert run is None and why.startswith("re-created since run run-1 made it")
    run, why = ledger.proof(NSG, NSG_KIND, {"tags": {TAG_RUN: "run-0"}, "properties": {"resourceGuid": "1111"}})
    assert run is None and f"({TAG_RUN}=run-0)" in why


def test_an_adopted_resource_is_its_runs_by_its_identity_without_the_runs_tags(tmp_path: Path) -> None:
    _write(tmp_path, "run-1", _plan_event("2026-12-07T10:00:00Z"),
           {"ts": "2026-12-07T10:02:00Z", "event": "adopted", "id": NSG, "kind": NSG_KIND,
            "identity": {"resourceGuid": "1111"}})
    ledger = Ledger.load(tmp_path)
    alices = {"tags": {"owner": "alice"}, "properties": {"resourceGuid": "1111"}}
    assert ledger.proof(NSG, NSG_KIND, alices) == ("run-1", "")
    assert ledger.proof(NSG, NSG_KIND, {**alices, "properties": {"resourceGuid": "2222"}})[0] is None


def test_without_a_kind_the_resource_type_decides_which_identity_is_compared(tmp_path: Path) -> None:
    vm = NSG.replace("Microsoft.Network/networkSecurityGroups/Yolo-NSG", "Microsoft.Compute/virtualMachines/Yolo-VM")
    _write(tmp_path, "run-0", _plan_event("2026-12-07T10:00:00Z", identity="vm:other"),
           {"ts": "2026-12-07T10:02:00Z", "event": "created", "id": vm, "kind": "Microsoft.Compute/virtualMachines",
            "identity": {"vmId": "old"}})
    ledger = Ledger.load(tmp_path)
    body = {"type": "Microsoft.Compute/virtualMachines", "tags": {TAG_RUN: "run-0"}, "properties": {"vmId": "new"}}
    owner = owner_of(vm, body, _plan(), "vm:mine", ledger, False)  # as vm add-ipv6 asks: no kind given
    assert owner.relation == "foreign" and "vmId differs" in owner.why
    assert owner_of(vm, {**body, "properties": {"vmId": "old"}}, _plan(), "vm:mine", ledger, False).relation == (
        "other-run")


def test_a_resource_of_another_journeys_run_is_that_runs_never_this_journeys(tmp_path: Path) -> None:
    plan = _plan()
    mine = plan_identity(plan)
    created = {"ts": "2026-12-07T10:02:00Z", "event": "created", "id": NSG, "kind": NSG_KIND}
    _write(tmp_path, "run-0", _plan_event("2026-12-07T10:00:00Z", identity=mine), created)
    _write(tmp_path, "run-x", _plan_event("2026-12-07T10:00:00Z", identity="vm:/another/vm"),
           {**created, "id": NSG.replace("Yolo-NSG", "X-NSG")})
    _write(tmp_path, "run-y", _plan_event("2026-12-07T10:00:00Z", identity=""),
           {**created, "id": NSG.replace("Yolo-NSG", "Y-NSG")})
    ledger = Ledger.load(tmp_path)

    def owner(rid: str, run: str) -> Owner:
        return owner_of(rid, {"tags": {TAG_RUN: run}}, plan, mine, ledger, False, NSG_KIND)

    assert owner(NSG, "run-0") == Owner("same-journey", "run-0", "vm", ((TAG_RUN, "run-0"),), True)
    other = owner(NSG.replace("Yolo-NSG", "X-NSG"), "run-x")
    assert other.relation == "other-run" and other.run_id == "run-x" and other.journal_known and not other.ours
    assert owner(NSG.replace("Yolo-NSG", "Y-NSG"), "run-y").relation == "other-run"  # no identity: not the same
    assert owner_of(NSG, {"tags": {TAG_RUN: "run-0"}}, replace(plan, run_id="run-0"), mine, ledger, False,
                    NSG_KIND).relation == "this-run"


def test_only_other_runs_of_this_journey_written_after_the_read_outdate_a_diff(tmp_path: Path) -> None:
    import os

    _write(tmp_path, "run-old", _plan_event("2026-12-07T10:00:00Z", identity="vm:mine"))
    os.utime(tmp_path / "run-old.jsonl", (1000.0, 1000.0))  # written before the read
    for run, identity in (("run-same", "vm:mine"), ("run-other", "vm:theirs"), ("run-me", "vm:mine")):
        _write(tmp_path, run, _plan_event("2026-12-07T10:00:00Z", identity=identity))
        os.utime(tmp_path / f"{run}.jsonl", (3000.0, 3000.0))
    (tmp_path / "run-empty.jsonl").write_text("")  # no plan event: nothing to compare
    os.utime(tmp_path / "run-empty.jsonl", (3000.0, 3000.0))
    assert runs_since("vm:mine", 2000.0, "run-me", tmp_path) == ["run-same"]
    assert runs_since("vm:mine", 3000.0, "run-me", tmp_path) == []  # not after the read


# ---------------------------------------------------------------------------------------------- read_plan


def test_when_the_group_does_not_exist_only_the_group_is_read(sim: ArmSim, factory: ClientFactory,
                                                               tmp_path: Path) -> None:
    plan = plan_vm(VmSpec.for_base("Yolo", ssh_public_key=KEY), subscription_id=sim.subscription_id, run_id="run-1",
                   created_at="2026-12-07T10:00:00Z")
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    assert {e.action for e in diff.entries} == {"create"}
    assert [r.path for r in sim.requests if r.method == "GET"] == [plan.step("rg").resource_id]
    assert all(e.pending == "" and e.reason == "" for e in diff.entries)
    assert entry_for(diff, "nsg") == diff.get("nsg") and entry_for(diff, "nsg") is not None
    assert entry_for(None, "nsg") is None


def test_when_the_group_cannot_be_read_everything_is_still_read_and_the_error_shown(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan = plan_vm(VmSpec.for_base("Yolo", ssh_public_key=KEY), subscription_id=sim.subscription_id, run_id="run-1",
                   created_at="2026-12-07T10:00:00Z")
    sim.faults.error("GET", r"/resourcegroups/Yolo-RG$", status=403, code="AuthorizationFailed",
                     message="no read on the group", times=1000)
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    rg = diff.get("rg")
    assert rg is not None and rg.action == "unknown"
    assert "not allowed" in rg.reason  # why it could not be read, in words (the 403 explained)
    reads = {r.path.lower() for r in sim.requests if r.method == "GET"}
    assert {s.resource_id.lower() for s in plan.steps} <= reads  # the rest was read, not taken as absent


def test_a_role_assignment_model_is_read_as_wire_json_with_its_read_only_fields() -> None:
    from azure.mgmt.authorization.models import RoleAssignment

    model = RoleAssignment.deserialize({"id": "/x/roleAssignments/1", "name": "1", "type": "Microsoft.Authorization/"
                                        "roleAssignments", "properties": {"roleDefinitionId": "/r", "principalId": "p",
                                                                          "createdOn": "2026-12-07T10:00:00Z"}})
    body = rest_body(model)
    assert body["id"] == "/x/roleAssignments/1" and body["name"] == "1"
    assert body["properties"]["roleDefinitionId"] == "/r" and body["properties"]["createdOn"].startswith("2026-12-07T10")
    assert rest_body({"id": "/y", "properties": {"a": 1}}) == {"id": "/y", "properties": {"a": 1}}


# ------------------------------------------------------------------------------------------- diff_findings


def _entry(action: str, changes: int = 0, **kw: Any) -> StepDiff:
    return StepDiff("nsg", "Network security group Yolo-NSG", NSG_KIND, NSG, action,  # type: ignore[arg-type]
                    changes=tuple(Change(f"properties.x{i}", i, i + 1) for i in range(changes)), **kw)


def test_an_update_lists_four_changes_and_says_when_there_are_more() -> None:
    four = diff_findings(PlanDiff((_entry("update", 4),)), "vm", allow_update=False)[0]
    five = diff_findings(PlanDiff((_entry("update", 5),)), "vm", allow_update=False)[0]
    assert "properties.x3" in four.message and "…" not in four.message
    assert "properties.x3" in five.message and "properties.x4" not in five.message and "…" in five.message
    assert four.blocking and four.field == "names.nsg" and "--allow-update" in four.message


def test_which_findings_an_update_makes() -> None:
    this_run = Owner("this-run", "run-1", "vm", (), True)
    failed = {"properties": {"provisioningState": "Failed"}}

    def one(entry: StepDiff, allow: bool = False, journey: str = "vm") -> Finding:
        (f,) = diff_findings(PlanDiff((entry,)), journey, allow_update=allow)
        return f

    assert one(_entry("update", 1, owner=this_run, current=failed)).rule_id == "plan-resend"
    assert one(_entry("update", 1, owner=this_run, current=failed)).severity == "warn"
    # not Failed, or not this run's: an update needs a yes
    assert one(_entry("update", 1, owner=this_run, current={"properties": {}})).severity == "block"
    same = Owner("same-journey", "run-0", "vm", (), True)
    assert one(_entry("update", 1, owner=same, current=failed)).severity == "block"
    assert "an earlier run of this vm journey (run-0)" in one(_entry("update", 1, owner=same)).message
    assert one(_entry("update", 1, owner=same), allow=True).severity == "warn"
    assert one(_entry("update", 1, owner=Owner("adopted", "run-1", "vm", (), True))).rule_id == "plan-adopt"
    assert "this journey" in one(_entry("update", 1)).message
    assert one(_entry("conflict", reason="made by someone else", fix="rename it",
                      refused=("location",))).message == ("made by someone else; Azure refuses in place: location. "
                                                          "rename it")
    assert one(_entry("unknown", reason="403", fix="ask")).rule_id == "plan-unreadable"
    assert one(_entry("update", 1), journey="aks").field == ""  # the AKS plan has no "nsg" field
    assert diff_findings(PlanDiff((_entry("create"), _entry("unchanged"))), "vm", allow_update=False) == []


# ------------------------------------------------------------------------------------------------ superseded


def test_a_diff_that_read_the_group_and_registry_supersedes_the_rules_guesses_about_them() -> None:
    rg_warn = Finding("vm-resource-group-exists", "warn", "its tags would be replaced", "names.resource_group", "")
    rg_block = Finding("vm-resource-group-exists", "block", "not yours", "names.resource_group", "")
    acr = Finding("aks-name-acr", "block", "The registry name is already taken", "acr.name", "")
    acr_other = Finding("aks-name-acr", "block", "The registry name is too short", "acr.name", "")
    other = Finding("vm-size", "warn", "small", "size", "")
    findings = [rg_warn, rg_block, acr, acr_other, other]

    def entry(key: str, action: str) -> StepDiff:
        return replace(_entry(action), key=key)

    existing = PlanDiff((entry("rg", "unchanged"), entry("acr", "update")))
    assert superseded(findings, existing) == [rg_block, acr_other, other]
    absent = PlanDiff((entry("rg", "create"), entry("acr", "unknown")))
    assert superseded(findings, absent) == findings
    assert superseded(findings, PlanDiff((entry("rg", "unchanged"), entry("acr", "update")), read=False)) == findings
    assert superseded(findings, None) == findings
    assert superseded(findings, PlanDiff((entry("acr", "conflict"),))) == [rg_warn, rg_block, acr_other, other]
    assert superseded(findings, PlanDiff((entry("rg", "conflict"),))) == [rg_block, acr, acr_other, other]
