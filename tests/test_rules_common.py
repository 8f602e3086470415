"""The checks both journeys share (rules/common.py), called directly: which region facts apply, the resource
group's name and reuse, the user's tags, with the limits Azure sets at their edges."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_rules_vm import region_facts, subscription_facts

from azwizard.rules import common
from azwizard.rules.model import Issue


@pytest.mark.parametrize(("location", "used"), [("norwayeast", True), ("Oslo Region", True), ("westeurope", False)])
def test_region_facts_answer_for_their_region_by_name_or_display_name(location: str, used: bool) -> None:
    rf = region_facts("norwayeast")
    renamed = replace(rf, region=replace(rf.region, display_name="Oslo Region"))
    assert (common.region_facts_for(location, renamed) is renamed) is used


@pytest.mark.parametrize(("name", "ok"), [("r" * 90, True), ("r" * 91, False)])
def test_a_resource_group_name_is_at_most_90_characters(name: str, ok: bool) -> None:
    assert (list(common.resource_group_name_issues(name)) == []) is ok


def test_a_refused_resource_group_name_names_only_the_characters_azure_refuses() -> None:
    (msg,) = common.resource_group_name_issues("My RG!(1)")
    assert "characters Azure does not allow (' !')" in msg


def test_without_subscription_facts_providers_and_groups_are_not_guessed() -> None:
    assert list(common.provider_issues(None, ["Microsoft.Compute"])) == []
    for use_existing in (True, False):
        assert list(common.resource_group_reuse_issues(None, "rg", "norwayeast", use_existing=use_existing,
                                                       what="it")) == []
    sub = subscription_facts()
    (missing,) = common.resource_group_reuse_issues(sub, "rg", "norwayeast", use_existing=True, what="it")
    assert isinstance(missing, Issue) and missing.severity == "block"


@pytest.mark.parametrize(("count", "ok"), [(50, True), (51, False)])
def test_at_most_50_tags_with_azwizards_own(count: int, ok: bool) -> None:
    tags = [(f"t{i}", "v") for i in range(count - 4)]
    assert (list(common.tag_issues(tags, own=4)) == []) is ok


@pytest.mark.parametrize(("length", "ok"), [(256, True), (257, False)])
def test_a_tag_value_is_at_most_256_characters(length: int, ok: bool) -> None:
    assert (list(common.tag_issues([("k", "v" * length)], own=4)) == []) is ok
