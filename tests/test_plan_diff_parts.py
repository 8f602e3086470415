"""plan/diff.py's small rules in isolation (issue 27's surviving mutants): how lists compare (unordered scalars,
lengths, a value that is not a list), what merge does with an empty list over a value, the role assignment's
description that is sent as read and never compared, and the offline diff that read nothing."""

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
