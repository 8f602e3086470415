"""The safety paths mutation testing found untested (issue 27): each test here fails when the bug it names is put
back (benchmarks/mutation.py puts such bugs in one at a time).

- the runner's own last guard: a conflict or an unreadable resource is never sent, whatever the front end did;
- a resource of this journey with the planned values but ``provisioningState: Failed`` is an update (a rerun
  repairs it), never "unchanged";
- ``compare`` reports a value the existing resource lacks (a setting new in the profile is a change);
- delete verification never counts a resource whose read failed as gone, and a failed DELETE followed by a
  failed read is journaled as failed with its existence unknown, never as deleted;
- a private key never reaches the spec or the plan's ``keyData``;
- an IPv6 subnet must be exactly a /64: smaller (/80, /65, /128) and larger (/63, /56) are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cleanup_helpers import deletes, make_vm_run

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import Deleter, JournalBook, build_inventory, plan_deletion
from azwizard.cleanup.model import key
from azwizard.journal import Journal
from azwizard.plan.diff import ABSENT, Change, Owner, PlanDiff, StepDiff, classify, compare, offline_diff
from azwizard.plan.model import Step
from azwizard.plan.vm import plan_vm
from azwizard.rules.vm import VM_RULES, VmFacts
from azwizard.run import Runner, StepEvent
from azwizard.sim import ArmSim
from azwizard.specs.vm import NetworkSpec, VmSpec
from azwizard.sshkeys import PRIVATE_KEY_WITHHELD, withhold_private_key

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def vm_spec(**changes: object) -> VmSpec:
    return VmSpec.for_base("Yolo", ssh_public_key=KEY, size="Standard_D2s_v5", **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ the runner


@pytest.mark.parametrize("action", ["conflict", "unknown"])
def test_the_runner_itself_never_sends_a_conflict_or_an_unreadable_resource(
        action: str, sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    plan = plan_vm(vm_spec(), subscription_id=sim.subscription_id, run_id="run-1", created_at="2026-11-26T03:00:00Z")
    nsg = plan.step("nsg")
    entries = [StepDiff(e.key, e.label, e.kind, e.resource_id, "create") for e in offline_diff(plan).entries]
    entries = [StepDiff(e.key, e.label, e.kind, e.resource_id, action,  # type: ignore[arg-type]
                        reason="made by someone else", fix="choose another name") if e.key == "nsg" else e
               for e in entries]
    events: list[StepEvent] = []
    journal = Journal("run-1", "vm", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.01, on_event=events.append).run(
        plan, diff=PlanDiff(tuple(entries)))

    assert not [r for r in sim.requests if r.method == "PUT" and r.path.lower() == nsg.resource_id.lower()]
    assert sim.get(nsg.resource_id) is None
    assert result.states["nsg"] == "failed" and not result.ok
    assert "was not sent" in result.errors["nsg"].what and result.errors["nsg"].fix == "choose another name"
    # what needs the NSG is not sent either; what does not need it is created
    assert result.states["nic"] == "skipped" and result.states["vm"] == "skipped"
    assert result.states["pip4"] == "succeeded" and sim.get(plan.step("pip4").resource_id) is not None
    skipped = [e for e in journal.events() if e["event"] == "skipped" and e["step"] == "nsg"]
    assert skipped and skipped[0]["reason"] == action
    assert journal.resources()[nsg.resource_id.lower()].state == "skipped"
    assert any(e.key == "nsg" and e.state == "failed" for e in events)


# ------------------------------------------------------------------------------------------------ the diff


def _nsg_step() -> Step:
    kind = "Microsoft.Network/networkSecurityGroups"
    body = {"location": "norwayeast", "tags": {"created-by": "azwizard"},
            "properties": {"securityRules": [{"name": "Allow-SSH", "properties": {"priority": 110}}]}}
    return Step("nsg", kind, "n", f"/subscriptions/s/resourceGroups/g/providers/{kind}/n", body, label="NSG n")


@pytest.mark.parametrize("owner", [Owner("this-run", "run-1", "vm"), Owner("same-journey", "run-0", "vm")])
def test_a_failed_resource_of_this_journey_with_the_planned_values_is_an_update(owner: Owner) -> None:
    step = _nsg_step()
    current = json.loads(json.dumps(step.body))
    current["properties"]["provisioningState"] = "Succeeded"
    assert compare(step.body, current) == []
    assert classify(step, current, owner).action == "unchanged"  # the same values, provisioned: nothing to send

    current["properties"]["provisioningState"] = "Failed"
    entry = classify(step, current, owner)
    assert entry.action == "update"  # a rerun sends the PUT again, which is how ARM retries a failed resource
    assert [(c.path, c.old, c.new) for c in entry.changes] == [("properties.provisioningState", "Failed", "Succeeded")]


def test_compare_reports_a_value_the_existing_resource_lacks() -> None:
    current = {"location": "norwayeast", "properties": {"securityRules": []}}
    desired = {"location": "norwayeast", "sku": {"name": "Standard"}, "zones": ["1", "2", "3"],
               "properties": {"securityRules": [], "flushConnection": False, "idleTimeoutInMinutes": 4,
                              "dnsSettings": {"domainNameLabel": "yolo"}}}
    changes = {c.path: (c.old, c.new) for c in compare(desired, current)}
    assert changes == {
        "sku": (ABSENT, {"name": "Standard"}),
        "zones": (ABSENT, ["1", "2", "3"]),
        "properties.flushConnection": (ABSENT, False),
        "properties.idleTimeoutInMinutes": (ABSENT, 4),
        "properties.dnsSettings": (ABSENT, {"domainNameLabel": "yolo"}),
    }
    # classified: a journey's own resource missing a setting the profile now has is an update, shown as added
    step = Step("pip", "Microsoft.Network/publicIPAddresses", "n", "/subscriptions/s/resourceGroups/g/providers/"
                "Microsoft.Network/publicIPAddresses/n", {"properties": {"idleTimeoutInMinutes": 4}}, label="pip")
    entry = classify(step, {"properties": {"provisioningState": "Succeeded"}}, Owner("same-journey", "run-0"))
    assert entry.action == "update"
    assert entry.changes == (Change("properties.idleTimeoutInMinutes", ABSENT, 4),)
    assert entry.changes[0].to_dict()["added"] is True


# ------------------------------------------------------------------------------------------------ deletion


def _loose_nsg(factory: ClientFactory) -> str:
    """A standalone NSG of run-vm (no dependants, so it is one delete operation)."""
    return str(factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "loose-nsg", {"location": "norwayeast", "tags": {"created-by": "azwizard", "azwizard-run": "run-vm"}}
    ).result().id)


def test_a_resource_whose_read_fails_after_its_delete_is_not_counted_gone(sim: ArmSim, factory: ClientFactory,
                                                                         tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    loose = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=200, code="Accepted",
                     message="accepted")  # a 200 that does nothing
    for status, code in ((403, "AuthorizationFailed"), (500, "InternalServerError")):
        sim.faults.error("GET", r"/networkSecurityGroups/loose-nsg$", status=status, code=code,
                         message="the read failed", times=1000)
        result = Deleter(factory, JournalBook(tmp_path), poll_interval=0.001, retry_delay=0,
                         verify_attempts=2).run(plan_deletion(inv, {loose}))
        assert result.states[loose] == "failed" and loose not in result.deleted, status
        assert [r for r, _ in result.not_deleted] == [loose]
        state = Journal("run-vm", directory=tmp_path).resources()[key(loose)]
        assert state.state != "deleted" and state.may_exist, status
        sim.faults.clear()
        sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=200, code="Accepted",
                         message="accepted")
    assert sim.get(loose) is not None


def test_a_failed_delete_then_a_failed_read_is_journaled_failed_with_existence_unknown(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    loose = _loose_nsg(factory)
    inv = build_inventory(factory, journal_dir=tmp_path)
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=409, code="OperationNotAllowed",
                     message="The operation is not allowed.")
    sim.faults.error("GET", r"/networkSecurityGroups/loose-nsg$", status=403, code="AuthorizationFailed",
                     message="no read permission", times=1)  # the read after the failed DELETE
    result = Deleter(factory, JournalBook(tmp_path), poll_interval=0.001, retry_delay=0,
                     verify_attempts=2).run(plan_deletion(inv, {loose}))
    assert len(deletes(sim, "loose-nsg")) == 1
    assert result.states[loose] == "failed" and loose not in result.deleted
    assert result.errors[loose].code == "OperationNotAllowed"  # the DELETE's own answer, not a verification's
    events = [e for e in Journal("run-vm", directory=tmp_path).events() if e.get("id", "").lower() == key(loose)]
    assert events[-1]["event"] == "delete-failed" and events[-1]["exists"] is None
    assert not [e for e in events if e["event"] == "deleted"]
    assert Journal("run-vm", directory=tmp_path).resources()[key(loose)].may_exist
    assert sim.get(loose) is not None


# ------------------------------------------------------------------------------------------------ private keys


def _private_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()).decode()


def test_a_private_key_never_reaches_the_spec_or_the_plans_key_data(tmp_path: Path) -> None:
    from azwizard.plan.aks import plan_aks
    from azwizard.profiles import read_profile
    from azwizard.specs.aks import preset_dev_dual_stack
    from azwizard.specs.azcli import read_vm

    secret = _private_key()
    body = [line for line in secret.splitlines() if not line.startswith("-----")]
    assert withhold_private_key(secret) == PRIVATE_KEY_WITHHELD
    assert withhold_private_key(KEY) == KEY  # a public key goes through as it is
    putty = "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAAsecret\nPrivate-MAC: 00ff"
    assert withhold_private_key(putty) == PRIVATE_KEY_WITHHELD

    def clean(text: str, where: str) -> None:
        assert "PRIVATE KEY" not in text and not any(line in text for line in body), where

    profile = read_profile(f'kind = "vm"\nname = "Yolo"\nssh_public_key = {json.dumps(secret)}\n', "vm")
    assert profile.spec.ssh_public_key == PRIVATE_KEY_WITHHELD  # type: ignore[union-attr]
    key_file = tmp_path / "id_ed25519"
    key_file.write_text(secret)
    read = read_vm([["az", "vm", "create", "-g", "rg", "-n", "Yolo", "--image", "Ubuntu2204",
                     "--ssh-key-values", str(key_file)]])
    assert read.spec.ssh_public_key == PRIVATE_KEY_WITHHELD

    plan = plan_vm(vm_spec().with_(ssh_public_key=secret), subscription_id="s", run_id="r", created_at="t")
    keys = plan.step("vm").body["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"]
    assert [k["keyData"] for k in keys] == [PRIVATE_KEY_WITHHELD]
    clean(json.dumps([s.body for s in plan.steps]), "the VM plan")
    from dataclasses import replace

    aks = plan_aks(replace(preset_dev_dual_stack("c"), ssh_public_key=secret), subscription_id="s", run_id="r",
                   created_at="t")
    clean(json.dumps([s.body for s in aks.steps]), "the AKS plan")
    assert PRIVATE_KEY_WITHHELD in json.dumps(aks.step("aks").body)


# ------------------------------------------------------------------------------------------------ rules


@pytest.mark.parametrize("prefix", [80, 65, 128, 63, 56, 48])
def test_an_ipv6_subnet_must_be_exactly_a_64(prefix: int) -> None:
    rule = VM_RULES.by_id("vm-subnet-ipv6-64")
    subnet = "fd12:3456:789a::" if prefix >= 64 else "fd12:3456:7800::"
    spec = vm_spec(network=NetworkSpec(ipv6_space="fd12:3456::/32", subnet_ipv6=f"{subnet}/{prefix}"))
    findings = rule.apply(spec, VmFacts(None, None))
    assert len(findings) == 1 and findings[0].severity == "block", findings
    assert f"is a /{prefix}" in findings[0].message and "exactly /64" in findings[0].message
    assert "/64." in findings[0].message  # it offers a /64 in its place
    good = vm_spec(network=NetworkSpec(ipv6_space="fd12:3456::/32", subnet_ipv6="fd12:3456:789a::/64"))
    assert rule.apply(good, VmFacts(None, None)) == []


def test_an_update_keeps_the_run_tags_wherever_they_are_and_changes_nothing_else() -> None:
    from azwizard.plan.diff import body_for_put

    kind = "Microsoft.ContainerService/managedClusters"
    new_tags = {"created-by": "azwizard", "azwizard-run": "run-2", "azwizard-created": "t2", "env": "dev"}
    body = {"location": "norwayeast", "tags": new_tags, "properties": {
        "kubernetesVersion": "1.30", "agentPoolProfiles": [{"name": "system", "count": 3, "tags": dict(new_tags)}],
        "nodeResourceGroupProfile": {"restrictionLevel": "Unrestricted"}}}
    step = Step("aks", kind, "c", f"/subscriptions/s/resourceGroups/g/providers/{kind}/c", body, label="cluster c")
    current = {**json.loads(json.dumps(body)), "tags": {**new_tags, "azwizard-run": "run-1", "azwizard-created": "t1"}}
    entry = classify(step, current, Owner("same-journey", "run-1", "aks"))
    sent = body_for_put(step, entry)
    assert sent["tags"] == {**new_tags, "azwizard-run": "run-1", "azwizard-created": "t1"}
    pool = sent["properties"]["agentPoolProfiles"][0]
    assert pool["tags"]["azwizard-run"] == "run-1" and pool["count"] == 3  # a node pool's tags too
    assert sent["properties"]["nodeResourceGroupProfile"] == {"restrictionLevel": "Unrestricted"}  # no tags added
    assert sent["properties"]["kubernetesVersion"] == "1.30" and sent["location"] == "norwayeast"
    assert body["tags"]["azwizard-run"] == "run-2"  # the plan itself is left as it was
