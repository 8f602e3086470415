"""The simulator's Azure Resource Graph ``resources`` query (the KQL subset cleanup sends), through the real
azure-mgmt-resourcegraph client: rows shaped as the REST spec answers (totalRecords, count, resultTruncated,
$skipToken paging, facets, data), rows as the resources' GETs show them, and ARG's 400 for what the subset
does not understand."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.resourcegraph import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions
from conftest import FakeCredential, SdkClients

from azwizard.azure.ops import wire
from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.transport import SimTransport

LOC = "norwayeast"
TAGS = {"created-by": "azwizard", "azwizard-run": "r1"}


def _graph(sim: ArmSim) -> ResourceGraphClient:
    return ResourceGraphClient(FakeCredential(), base_url=SIM_BASE_URL, transport=SimTransport(sim))


def _query(sim: ArmSim, text: str, **options: Any) -> Any:
    return _graph(sim).resources(QueryRequest(subscriptions=[sim.subscription_id], query=text,
                                              options=QueryRequestOptions(**options) if options else None))


@pytest.fixture
def estate(sdk: SdkClients) -> SdkClients:
    """Two tagged groups with a tagged NSG each, an untagged NSG in the first, an untagged group."""
    for rg, tagged in (("rg-a", True), ("rg-b", True), ("other", False)):
        sdk.resources.resource_groups.create_or_update(rg, {"location": LOC, "tags": TAGS if tagged else {}})
    for rg, name, tags in (("rg-a", "nsg1", TAGS), ("rg-a", "theirs", {}), ("rg-b", "nsg2", TAGS),
                           ("other", "nsg3", {})):
        sdk.network.network_security_groups.begin_create_or_update(rg, name, {"location": LOC, "tags": tags}).result()
    return sdk


def test_tagged_groups_come_from_resourcecontainers_in_resource_graphs_shape(estate: SdkClients) -> None:
    answer = _query(estate.sim, "resourcecontainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups'"
                    " and tags['created-by'] =~ 'azwizard' | project id, name, type, resourceGroup, tags")
    assert (answer.total_records, answer.count, answer.result_truncated, answer.skip_token) == (2, 2, "false", None)
    assert answer.facets == []
    assert [r["name"] for r in answer.data] == ["rg-a", "rg-b"]
    assert answer.data[0] == {"id": f"/subscriptions/{estate.sim.subscription_id}/resourceGroups/rg-a", "name": "rg-a",
                              "type": "microsoft.resources/subscriptions/resourcegroups", "resourceGroup": "rg-a",
                              "tags": TAGS}


def test_resources_by_tag_or_group_carry_what_their_get_shows(estate: SdkClients) -> None:
    answer = _query(estate.sim, "resources | where tags['created-by'] =~ 'azwizard' or resourceGroup in~ ('RG-A')")
    names = [r["name"] for r in answer.data]
    assert names == ["nsg1", "theirs", "nsg2"]  # sorted by id; rg-a's untagged NSG, not the other group's
    row = answer.data[0]
    got = wire(estate.network.network_security_groups.get("rg-a", "nsg1"))
    assert row["type"] == "microsoft.network/networksecuritygroups"  # lower case, as Resource Graph keeps it
    assert row["resourceGroup"] == "rg-a" and row["subscriptionId"] == estate.sim.subscription_id
    assert row["properties"]["provisioningState"] == "Succeeded"
    assert (row["id"], row["tags"], row["properties"]) == (got["id"], got["tags"], got["properties"])


def test_pages_follow_the_skip_token_to_the_end(estate: SdkClients) -> None:
    first = _query(estate.sim, "resources | where location =~ 'NorwayEast' | project id, name", top=3)
    assert (first.total_records, first.count) == (4, 3) and first.skip_token
    rest = _query(estate.sim, "resources | where location =~ 'NorwayEast' | project id, name", top=3,
                  skip_token=first.skip_token)
    assert (rest.count, rest.skip_token) == (1, None)
    assert [r["name"] for r in first.data + rest.data] == ["nsg3", "nsg1", "theirs", "nsg2"]  # by id: other < rg-a
    assert set(first.data[0]) == {"id", "name"}  # project keeps only what was asked


def test_reading_rows_does_not_count_as_watching_an_operation(sdk: SdkClients) -> None:
    sdk.resources.resource_groups.create_or_update("rg", {"location": LOC, "tags": TAGS})
    sdk.network.network_security_groups.begin_create_or_update("rg", "slow", {"location": LOC, "tags": TAGS},
                                                               polling=False)
    (op,) = [o for o in sdk.sim.ops.values() if not o.done]
    before = op.progress
    row = _query(sdk.sim, "resources | where name == 'slow'").data[0]
    assert row["properties"]["provisioningState"] == "Updating" and op.progress == before


@pytest.mark.parametrize("text", ["resources | summarize count() by type", "resources | where name contains 'x'",
                                  "securityresources", "resources | where tags['a'] =~ unquoted"])
def test_a_query_outside_the_subset_is_resource_graphs_bad_request(sim: ArmSim, text: str) -> None:
    with pytest.raises(HttpResponseError) as err:
        _query(sim, text)
    assert err.value.status_code == 400
    assert err.value.error is not None and err.value.error.code == "BadRequest"
    assert err.value.error.details[0].code == "InvalidQuery"


def test_top_above_resource_graphs_limit_is_refused(sim: ArmSim) -> None:
    body = b'{"query": "resources", "options": {"$top": 1001}}'
    with pytest.raises(HttpResponseError) as err:
        _graph(sim).resources(body)
    assert err.value.status_code == 400
