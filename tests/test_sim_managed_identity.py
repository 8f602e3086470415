"""User-assigned managed identities (Microsoft.ManagedIdentity/userAssignedIdentities), shapes from the REST spec
examples (azure-rest-api-specs msi stable/2023-01-31 IdentityCreate.json, IdentityDelete.json), issue #25."""

from __future__ import annotations

import uuid
from typing import Any

from azure.core.rest import HttpRequest

from azwizard.sim import SIM_BASE_URL

API = "2023-01-31"


def _send(sdk: Any, method: str, path: str, body: Any = None) -> Any:
    return sdk.resources.send_request(HttpRequest(method, f"{SIM_BASE_URL}{path}?api-version={API}", json=body))


def test_identity_create_read_list_delete(sdk: Any, sim: Any, rg: str) -> None:
    path = f"{sim.group_id(rg)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
    created = _send(sdk, "PUT", path, {"location": "norwayeast", "tags": {"k": "v"}})
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "name", "type", "location", "tags", "properties"}
    assert body["type"] == "Microsoft.ManagedIdentity/userAssignedIdentities" and body["tags"] == {"k": "v"}
    assert set(body["properties"]) == {"tenantId", "principalId", "clientId"}
    assert body["properties"]["tenantId"] == sim.tenant_id
    for key in ("principalId", "clientId"):
        uuid.UUID(body["properties"][key])
    again = _send(sdk, "PUT", path, {"location": "norwayeast"})
    assert again.status_code == 200 and again.json()["properties"] == body["properties"]
    assert _send(sdk, "GET", path).json()["properties"] == body["properties"]
    group_list = _send(sdk, "GET", path.rsplit("/", 1)[0]).json()["value"]
    sub_list = _send(sdk, "GET", f"/subscriptions/{sim.subscription_id}/providers/"
                                 "Microsoft.ManagedIdentity/userAssignedIdentities").json()["value"]
    assert [i["name"] for i in group_list] == ["id1"] and [i["id"] for i in sub_list] == [body["id"]]
    assert _send(sdk, "DELETE", path).status_code == 200
    missing = _send(sdk, "GET", path)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "ResourceNotFound"
    assert _send(sdk, "DELETE", path).status_code == 204


def test_identity_errors(sdk: Any, sim: Any, rg: str) -> None:
    base = "providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
    no_group = _send(sdk, "PUT", f"{sim.group_id('nope')}/{base}", {"location": "norwayeast"})
    assert no_group.status_code == 404 and no_group.json()["error"]["code"] == "ResourceGroupNotFound"
    no_location = _send(sdk, "PUT", f"{sim.group_id(rg)}/{base}", {})
    assert no_location.status_code == 400 and no_location.json()["error"]["code"] == "LocationRequired"
    assert not sim.of_type("Microsoft.ManagedIdentity/userAssignedIdentities")
