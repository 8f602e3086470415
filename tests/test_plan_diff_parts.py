"""plan/diff.py's small rules in isolation (issue 27's surviving mutants): how lists compare (unordered scalars,
lengths, a value that is not a list), numbers, nulls, property names and the versions the service picks; what merge
sends (an empty list over a value or a null, values equal to those read kept as read, output references, values
never read back left out); the role assignment's description that is sent as read and never compared; an NSG with
nothing there; an in-use subnet a PUT would delete; and the offline diff that read nothing."""

from __future__ import annotations

from azwizard.plan.diff import (
    ABSENT,
    Change,
    Owner,
    PlanDiff,
    StepDiff,
    compare,
    merge,
    offline_diff,
    put_over,
    refused_changes,
    rule_clashes,
)
from azwizard.plan.model import Step
from azwizard.plan.vm import plan_vm
from azwizard.specs.vm import VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def test_the_offline_diff_read_nothing_and_creates_everything() -> None:
    plan = plan_vm(VmSpec.for_base("Yolo", ssh_public_key=KEY), subscription_id="s", run_id="r", created_at="t")
    diff = offline_diff(plan)
    assert diff.read is False and {e.action for e in diff.entries} == {"create"}
    assert [e.key for e in diff.entries] == [s.key for s in plan.topological()]


def test_how_lists_compare() -> None:
    assert compare(["b", "a"], ["a", "b"], "p") == []  # scalars: the order is not a change
    assert compare(["a", "c"], ["a", "b"], "p") == [Change("p", ["a", "b"], ["a", "c"])]
    assert compare([{"x": 1}], [{"x": 1}, {"x": 2}], "p") == [Change("p", [{"x": 1}, {"x": 2}], [{"x": 1}])]
    assert compare([{"x": 1}], [{"x": 2}], "p") == [Change("p[0].x", 2, 1)]
    assert compare(["a"], None, "p") == [Change("p", ABSENT, ["a"])]
    assert compare(["a"], "a", "p") == [Change("p", "a", ["a"])]  # read as a single value: shown as it is
    assert compare([], None, "p") == []


def test_an_empty_list_over_a_value_clears_it_and_over_nothing_adds_nothing() -> None:
    assert merge({"a": [], "b": 1}, {"a": [1, 2], "c": 3}) == {"a": [], "b": 1, "c": 3}
    assert merge({"a": []}, {"c": 3}) == {"c": 3}


def test_a_role_assignments_description_is_sent_as_read_and_never_compared() -> None:
    kind = "Microsoft.Authorization/roleAssignments"
    step = Step("acrpull", kind, "n", f"/x/providers/{kind}/n",
                {"properties": {"roleDefinitionId": "/r", "principalId": "p", "description": "azwizard"}})
    current = {"properties": {"roleDefinitionId": "/r", "principalId": "p", "description": "set by alice"}}
    body, changes = put_over(step, current, None)
    assert body["properties"]["description"] == "set by alice" and changes == ()
    body, changes = put_over(step, {"properties": {"roleDefinitionId": "/r", "principalId": "p"}}, None)
    assert "description" not in body["properties"] and changes == ()  # left out, never sent as null


def test_a_location_compares_by_its_name_without_spaces_or_case() -> None:
    assert compare({"location": "Norway East"}, {"location": "norwayeast"}) == []
    assert compare({"location": "norwayeast"}, {"location": "westeurope"}) == [
        Change("location", "westeurope", "norwayeast")]


def _entry(action: str, changes: int = 0, owner: Owner | None = None) -> StepDiff:
    return StepDiff("nsg", "NSG", "Microsoft.Network/networkSecurityGroups", "/x", action, owner=owner,  # type: ignore[arg-type]
                    changes=tuple(Change(f"tags.t{i}", ABSENT, "v") for i in range(changes)))


def test_the_plan_text_names_the_maker_of_what_it_updates_and_cuts_long_change_lists() -> None:
    earlier = Owner("same-journey", "run-1", "vm")
    assert any("made by" in line for line in PlanDiff((_entry("update", 1, earlier),)).lines())
    assert not any("made by" in line for line in PlanDiff((_entry("unchanged", 0, earlier),)).lines())
    twelve = PlanDiff((_entry("update", 12, earlier),)).lines()
    assert sum("+ tags." in line for line in twelve) == 12 and not any("more change" in line for line in twelve)
    thirteen = PlanDiff((_entry("update", 13, earlier),)).lines()
    assert sum("+ tags." in line for line in thirteen) == 12 and "      … and 1 more change(s)" in thirteen


def test_numbers_compare_by_value_also_in_lists() -> None:
    assert compare({"properties": {"priority": 100}}, {"properties": {"priority": 100.0}}) == []
    assert compare({"ports": [22, 80]}, {"ports": [80.0, 22.0]}) == []  # JSON writes 80 or 80.0: the same number
    assert compare({"ports": [22, 80]}, {"ports": [22, 443]}) == [Change("ports", [22, 443], [22, 80])]


def test_a_null_planned_over_a_value_is_a_change() -> None:
    """A PUT with null removes what is there (e.g. a subnet's NSG association): the diff must show it."""
    assert compare({"properties": {"networkSecurityGroup": None}},
                   {"properties": {"networkSecurityGroup": {"id": "/nsg"}}}) == [
        Change("properties.networkSecurityGroup", {"id": "/nsg"}, None)]
    assert compare({"properties": {"networkSecurityGroup": None}}, {"properties": {}}) == []


def test_a_version_left_to_the_service_is_no_change_and_a_version_asked_is_compared() -> None:
    """az aks create without --kubernetes-version sends "": the region's default, read back as the version picked."""
    read = {"properties": {"kubernetesVersion": "1.29.2", "dnsPrefix": "mon"}}
    assert compare({"properties": {"kubernetesVersion": "", "dnsPrefix": "mon"}}, read) == []
    assert compare({"properties": {"kubernetesVersion": "1.30.0"}}, read) == [
        Change("properties.kubernetesVersion", "1.29.2", "1.30.0")]
    assert compare({"properties": {"dnsPrefix": ""}}, read) == [Change("properties.dnsPrefix", "mon", "")]


def test_property_names_compare_without_case() -> None:
    """ARM property names are case-insensitive: the SDK's publicIPAddress and a body's publicIpAddress are one."""
    assert compare({"properties": {"publicIpAddress": {"id": "/PIP"}}},
                   {"properties": {"publicIPAddress": {"id": "/pip"}}}) == []
    assert compare({"properties": {"publicIpAddress": {"id": "/a"}}},
                   {"properties": {"publicIPAddress": {"id": "/b"}}}) == [
        Change("properties.publicIpAddress.id", "/b", "/a")]


def test_merge_keeps_what_equals_the_value_read_as_read() -> None:
    assert merge({"zones": ["1", "2"]}, {"zones": ["2", "1"]}) == {"zones": ["2", "1"]}
    assert merge({"sku": {"name": "standard"}}, {"sku": {"name": "Standard"}}) == {"sku": {"name": "Standard"}}
    assert merge({"zones": ["1", "3"]}, {"zones": ["2", "1"]}) == {"zones": ["1", "3"]}
    # an empty list where Azure has null is no change: the null is sent back as read
    assert merge({"properties": {"securityRules": []}}, {"properties": {"securityRules": None}}) == {
        "properties": {"securityRules": None}}


def test_merge_sends_an_output_reference_to_be_filled_in_not_the_value_read() -> None:
    merged = merge({"properties": {"principalId": "${aks.kubeletObjectId}"}}, {"properties": {"principalId": "old"}})
    assert merged == {"properties": {"principalId": "${aks.kubeletObjectId}"}}


def test_merge_replaces_a_value_of_another_shape_with_the_planned_object() -> None:
    assert merge({"sku": {"name": "Standard"}}, {"sku": "Basic", "x": 1}) == {"sku": {"name": "Standard"}, "x": 1}


def test_merge_never_sends_again_what_azure_never_returns() -> None:
    """Custom data and passwords are not read back: not compared, and not sent again (over a value or over none)."""
    planned = {"properties": {"osProfile": {"adminUsername": "azureuser", "customData": "I2Nsb3Vk",
                                            "adminPassword": "x"}}}
    assert merge(planned, {"properties": {"osProfile": {"adminUsername": "azureuser"}}}) == {
        "properties": {"osProfile": {"adminUsername": "azureuser"}}}
    assert merge(planned, {"properties": {}}) == {"properties": {"osProfile": {"adminUsername": "azureuser"}}}
    assert merge({"items": [{"name": "a", "adminPassword": "x"}]}, {}) == {"items": [{"name": "a"}]}


def test_rules_clash_only_with_rules_that_are_there() -> None:
    nsg = "Microsoft.Network/networkSecurityGroups"
    ours = {"properties": {"securityRules": [{"name": "ssh", "properties": {"priority": 100, "direction": "Inbound"}}]}}
    assert rule_clashes(nsg, ours, None, adopting=False) == []  # nothing there yet
    assert rule_clashes(nsg, ours, {}, adopting=True) == []
    theirs = {"properties": {"securityRules": [{"name": "web", "properties": {"priority": 100,
                                                                                "direction": "Inbound"}}]}}
    assert len(rule_clashes(nsg, ours, theirs, adopting=False)) == 1


def test_a_put_that_would_delete_a_subnet_in_use_is_refused() -> None:
    vnet = "Microsoft.Network/virtualNetworks"
    app = {"name": "app", "properties": {"addressPrefix": "10.0.0.0/24", "ipConfigurations": [{"id": "/nic/ip"}]}}
    idle = {"name": "idle", "properties": {"addressPrefix": "10.0.1.0/24"}}
    current = {"properties": {"subnets": [app, idle]}}
    refused = refused_changes(vnet, [Change("properties.subnets[app]", app, ABSENT)], current)
    assert len(refused) == 1 and "InUseSubnetCannotBeDeleted" in refused[0]
    assert refused[0].startswith("properties.subnets[app]: ")
    assert refused_changes(vnet, [Change("properties.subnets[idle]", idle, ABSENT)], current) == []
