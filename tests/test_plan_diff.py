"""plan/diff.py without Azure: what counts as a change (only what the spec sets; named lists replaced whole;
run tags never), which changes Azure refuses in place, and how each step is classified."""

from __future__ import annotations

from azwizard.plan.diff import ABSENT, Owner, PlanDiff, body_for_put, classify, compare, refused_changes
from azwizard.plan.model import Step

RULE = {"name": "Allow-SSH", "properties": {"priority": 110, "protocol": "Tcp", "destinationPortRange": "22"}}
TAGS = {"created-by": "azwizard", "azwizard-run": "run-2", "azwizard-journey": "vm", "azwizard-created": "t2"}


def step(kind: str, body: dict, key: str = "x") -> Step:  # type: ignore[type-arg]
    return Step(key, kind, "n", f"/subscriptions/s/resourceGroups/g/providers/{kind}/n", body, label=f"{kind} n")


def test_server_defaults_and_read_only_fields_are_not_changes() -> None:
    current = {"id": "/x", "etag": "W/1", "location": "Norway East", "tags": {**TAGS, "azwizard-run": "run-1"},
               "properties": {"provisioningState": "Succeeded", "resourceGuid": "g",
                              "securityRules": [{"name": "allow-ssh", "id": "/r", "properties": {
                                  **RULE["properties"], "protocol": "TCP", "provisioningState": "Succeeded"}}]}}
    desired = {"location": "norwayeast", "tags": TAGS, "properties": {"securityRules": [RULE]}}
    assert compare(desired, current) == []  # case, spaces, ids, run tags: none of them a change


def test_a_rule_the_body_leaves_out_is_removed_by_the_put() -> None:
    current = {"properties": {"securityRules": [RULE, {"name": "Allow-RDP", "properties": {"priority": 100}}]}}
    changes = compare({"properties": {"securityRules": [RULE]}}, current)
    assert [(c.path, c.new is ABSENT) for c in changes] == [("properties.securityRules[Allow-RDP]", True)]


def test_tags_are_replaced_whole_except_the_run_tags() -> None:
    changes = compare({"tags": TAGS}, {"tags": {"owner": "bob", "azwizard-run": "old"}})
    assert {c.path: (c.old, c.new) for c in changes} == {
        "tags.created-by": (ABSENT, "azwizard"), "tags.azwizard-journey": (ABSENT, "vm"),
        "tags.owner": ("bob", ABSENT)}


def test_write_only_values_and_run_time_outputs_are_not_compared() -> None:
    assert compare({"properties": {"osProfile": {"customData": "Y2xvdWQ="}}}, {"properties": {"osProfile": {}}}) == []
    assert compare({"properties": {"principalId": "${aks.kubeletObjectId}"}}, {"properties": {"principalId": "z"}}) == []


def test_changes_azure_refuses_in_place() -> None:
    vnet = {"properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
        {"name": "default", "properties": {"addressPrefixes": ["10.0.0.0/24"], "ipConfigurations": [{"id": "/nic"}]}}]}}
    desired = {"properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "subnets": [
        {"name": "default", "properties": {"addressPrefixes": ["10.1.0.0/24"]}}]}}
    kind = "Microsoft.Network/virtualNetworks"
    refused = refused_changes(kind, compare(desired, vnet), vnet)
    assert any("InUseSubnetCannotBeUpdated" in r for r in refused) and any("addressSpace" in r for r in refused)
    unused = {"properties": {**vnet["properties"], "subnets": [{"name": "default", "properties": {
        "addressPrefixes": ["10.0.0.0/24"]}}]}}
    assert refused_changes(kind, compare(desired, unused), unused) == []  # no NICs: an update
    aks = "Microsoft.ContainerService/managedClusters"
    cur = {"properties": {"networkProfile": {"podCidrs": ["10.244.0.0/16"]}, "agentPoolProfiles": [
        {"name": "system", "count": 3, "vmSize": "Standard_D2s_v5"}]}}
    want = {"properties": {"networkProfile": {"podCidrs": ["10.200.0.0/16"]}, "agentPoolProfiles": [
        {"name": "system", "count": 5, "vmSize": "Standard_D4s_v5"}]}}
    refused = refused_changes(aks, compare(want, cur), cur)
    assert len(refused) == 2 and "networkProfile" in refused[0] and "vmSize" in refused[1]  # the count may change


def test_classify_and_the_body_an_update_sends() -> None:
    s = step("Microsoft.Network/networkSecurityGroups", {"location": "x", "tags": TAGS,
                                                         "properties": {"securityRules": [RULE]}})
    assert classify(s, None, None).action == "create"
    assert classify(s, None, None, readable=False, read_error="403").action == "unknown"
    current = {"location": "x", "tags": {**TAGS, "azwizard-run": "run-1", "azwizard-created": "t1"},
               "properties": {"securityRules": []}}
    foreign = classify(s, current, Owner("foreign"))
    assert foreign.action == "conflict" and "--adopt n" in foreign.fix
    mine = classify(s, current, Owner("same-journey", "run-1", "vm"))
    assert mine.action == "update" and mine.changes[0].path == "properties.securityRules[Allow-SSH]"
    sent = body_for_put(s, mine)
    assert sent["tags"]["azwizard-run"] == "run-1" and sent["tags"]["azwizard-created"] == "t1"  # not re-tagged
    adopted = classify(s, current, Owner("adopted", "run-2"))
    assert body_for_put(s, adopted)["tags"]["azwizard-run"] == "run-2"  # adopting is taking it over
    same = classify(s, {**current, "properties": {"securityRules": [RULE]}}, Owner("same-journey", "run-1"))
    assert same.action == "unchanged"
    diff = PlanDiff((foreign, mine, same))
    assert diff.summary() == "Plan: 0 to create, 1 unchanged, 1 to update, 1 in conflict."
    assert [ln.split()[0] for ln in diff.lines() if ln.startswith("  ") and ln[2] in "+=~!?"] == ["!", "~", "="]


def test_adopting_an_nsg_adds_rules_and_a_clash_with_the_rules_there_is_a_conflict() -> None:
    kind = "Microsoft.Network/networkSecurityGroups"
    theirs = {"name": "Allow-RDP", "properties": {"priority": 300, "direction": "Inbound", "access": "Allow",
                                                  "protocol": "Tcp", "destinationPortRange": "3389"}}
    ssh = {"name": "Allow-SSH", "properties": {"priority": 110, "direction": "Inbound", "access": "Allow",
                                               "protocol": "Tcp", "destinationPortRange": "22"}}
    s = step(kind, {"location": "x", "tags": TAGS, "properties": {"securityRules": [ssh]}})
    current = {"location": "x", "etag": 'W/"1"', "properties": {"provisioningState": "Succeeded",
                                                                 "securityRules": [theirs]}}
    adopted = classify(s, current, Owner("adopted", "run-2"))
    assert adopted.action == "update" and adopted.etag == 'W/"1"'
    assert [r["name"] for r in body_for_put(s, adopted)["properties"]["securityRules"]] == ["Allow-RDP", "Allow-SSH"]
    assert "provisioningState" not in body_for_put(s, adopted)["properties"]
    # their rule has azwizard's name with another port: adopting does not rewrite it
    other_ssh = {**ssh, "properties": {**ssh["properties"], "destinationPortRange": "2222"}}
    clash = classify(s, {**current, "properties": {"securityRules": [other_ssh]}}, Owner("adopted", "run-2"))
    assert clash.action == "conflict" and "a rule named Allow-SSH is there with other settings" in clash.refused[0]
    # the same name on azwizard's own NSG is an update of azwizard's rule
    mine = classify(s, {**current, "tags": TAGS, "properties": {"securityRules": [other_ssh]}},
                    Owner("same-journey", "run-1"))
    assert mine.action == "update" and [c.path for c in mine.changes] == [
        "properties.securityRules[Allow-SSH].properties.destinationPortRange"]
    # their rule at azwizard's priority and direction: Azure would refuse the PUT
    at_110 = {**theirs, "properties": {**theirs["properties"], "priority": 110}}
    for owner in (Owner("adopted", "run-2"), Owner("same-journey", "run-1")):
        refused = classify(s, {**current, "properties": {"securityRules": [at_110]}}, owner)
        assert refused.action == "conflict" and "SecurityRuleConflict" in refused.refused[0]
