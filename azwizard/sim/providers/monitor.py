"""What managed Prometheus for AKS uses (``az aks create --enable-azure-monitor-metrics``): Azure Monitor workspaces
(``Microsoft.Monitor/accounts``), data collection endpoints, rules and rule associations (``Microsoft.Insights``),
Prometheus rule groups and the workspace's alert rule recommendations (``Microsoft.AlertsManagement``).

Shapes, status codes and api-versions from the REST specs (azure-rest-api-specs ``specification/monitor/
resource-manager``):

- ``Microsoft.Monitor/accounts`` (``Microsoft.Monitor/Accounts/stable/2023-04-03/monitoringAccounts_API.json``):
  PUT is synchronous, 201 created / 200 updated; the name matches ``^(?!-)[a-zA-Z0-9-]+[^-]$``; the properties
  ``accountId``, ``metrics`` (``prometheusQueryEndpoint``, ``internalId``), ``provisioningState``,
  ``defaultIngestionSettings`` (the workspace's own rule and endpoint, in its managed group ``MA_<name>_<region>
  _managed``; the simulator names them but does not make that group), ``publicNetworkAccess``, and ``etag``;
  DELETE is long-running, 202 with ``Location`` (``final-state-via: location``), 204 when there is nothing to delete.
- ``Microsoft.Insights/dataCollectionEndpoints`` / ``dataCollectionRules`` / ``dataCollectionRuleAssociations``
  (``Microsoft.Insights/stable/2022-06-01/dataCollectionEndpoints_API.json``, ``dataCollectionRules_API.json``,
  ``dataCollectionRuleAssociations_API.json``): PUT synchronous 201 / 200, DELETE 200, or 204 when absent; an
  endpoint answers ``immutableId`` and its ``configurationAccess`` / ``logsIngestion`` / ``metricsIngestion``
  endpoints, a rule its ``immutableId``; the association is a proxy (extension) resource of the resource it
  names (no location, no tags); its scope must exist (ARM's 404 otherwise).
- ``Microsoft.AlertsManagement/prometheusRuleGroups`` (``Microsoft.AlertsManagement/stable/2023-03-01/
  PrometheusRuleGroups.json``): PUT synchronous 201 / 200, DELETE 200 / 204.
- ``{workspace}/providers/Microsoft.AlertsManagement/alertRuleRecommendations`` (2023-01-01-preview), which az
  reads for the recording rule templates: the simulator answers an empty list (the templates' rules are the
  service's content, not modelled), so az creates no rule groups against it.

Every write checks the group, the region and management locks like every other provider.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import compute_common as cc
from .resources import validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim

ACCOUNT = "Microsoft.Monitor/accounts"
DCE = "Microsoft.Insights/dataCollectionEndpoints"
DCR = "Microsoft.Insights/dataCollectionRules"
DCRA = "Microsoft.Insights/dataCollectionRuleAssociations"
RULE_GROUP = "Microsoft.AlertsManagement/prometheusRuleGroups"
_RG = "/subscriptions/{sub}/resourceGroups/{rg}/providers/"
_WORKSPACE_NAME = re.compile(r"^(?!-)[a-zA-Z0-9-]+[^-]$")


def _hex(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).lower().encode()).hexdigest()[:32]


def _rid(sim: ArmSim, rg: str, rtype: str, name: str) -> str:
    return f"{sim.group_id(cc.group_name(sim, rg))}/providers/{rtype}/{name}"


def _put_tracked(sim: ArmSim, req: ArmRequest, rg: str, rtype: str, name: str,
                 server: dict[str, Any], *, provisioning: bool = True) -> ArmResponse:
    """Store a tracked resource (location, tags, kind, properties) with the server's properties over the sent
    ones; 201 new / 200 over an existing one (same region, or ARM's 409 InvalidResourceLocation)."""
    sim.require_group(rg)
    body = cc.json_body(req)
    location = cc.check_location(sim, body.get("location"), rtype)
    validate_tags(body.get("tags"))
    rid = _rid(sim, rg, rtype, name)
    existing = sim.peek(rid)
    sim.check_locks(existing["id"] if existing else rid, "write")
    cc.check_same_location(existing, location, rg)
    props = {**(body.get("properties") or {}), **server}
    if provisioning:  # a rule group's properties have no provisioningState (PrometheusRuleGroups.json)
        props["provisioningState"] = "Succeeded"
    if existing is not None:  # server-made identifiers stay as they were
        for key in server:
            if key in (existing.get("properties") or {}):
                props[key] = existing["properties"][key]
    stored: dict[str, Any] = {"id": (existing or {}).get("id", rid), "name": (existing or {}).get("name", name),
                              "type": rtype, "location": location, "tags": body.get("tags") or {},
                              "etag": sim.new_etag(), "properties": props}
    if body.get("kind"):
        stored["kind"] = body["kind"]
    sim.save(rid, stored)
    return ArmResponse(201 if existing is None else 200, cc.public(stored))


def _get(sim: ArmSim, rg: str, rtype: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    return ArmResponse(200, cc.public(sim.require(_rid(sim, rg, rtype, name))))


def _delete_now(sim: ArmSim, rid: str) -> ArmResponse:
    stored = sim.peek(rid)
    if stored is None:
        return ArmResponse(204)
    sim.check_locks(stored["id"], "delete")
    sim.remove(stored["id"])
    return ArmResponse(200)


def _list(sim: ArmSim, req: ArmRequest, rg: str, rtype: str) -> ArmResponse:
    group = sim.require_group(rg)
    items = [cc.public(b) or {} for b in sim.of_type(rtype, group=group["id"])]
    return sim.paged(req, sorted(items, key=lambda b: str(b["name"]).lower()))


# ---------------------------------------------------------------- Azure Monitor workspaces


@route("PUT", _RG + "Microsoft.Monitor/accounts/{name}")
def put_account(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    if not _WORKSPACE_NAME.match(name):
        raise ArmError(400, "InvalidResourceName", f"The resource name '{name}' is invalid. It must match "
                       "'^(?!-)[a-zA-Z0-9-]+[^-]$'.")
    location = str(cc.json_body(req).get("location") or "").replace(" ", "").lower()
    account_id = str(uuid.UUID(_hex(sim.subscription_id, rg, name)))
    managed = f"/subscriptions/{sim.subscription_id}/resourceGroups/MA_{name}_{location}_managed/providers"
    server = {
        "accountId": account_id,
        "metrics": {"prometheusQueryEndpoint": f"https://{name.lower()}-{_hex(account_id)[:8]}.{location}"
                                               ".prometheus.monitor.azure.com",
                    "internalId": f"mac_{account_id}"},
        "defaultIngestionSettings": {
            "dataCollectionRuleResourceId": f"{managed}/Microsoft.Insights/dataCollectionRules/{name}",
            "dataCollectionEndpointResourceId": f"{managed}/Microsoft.Insights/dataCollectionEndpoints/{name}"},
        "publicNetworkAccess": (cc.json_body(req).get("properties") or {}).get("publicNetworkAccess") or "Enabled",
    }
    return _put_tracked(sim, req, rg, ACCOUNT, name, server)


@route("GET", _RG + "Microsoft.Monitor/accounts/{name}")
def get_account(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _get(sim, rg, ACCOUNT, name)


@route("GET", _RG + "Microsoft.Monitor/accounts")
def list_accounts(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    return _list(sim, req, rg, ACCOUNT)


@route("DELETE", _RG + "Microsoft.Monitor/accounts/{name}")
def delete_account(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    rid = _rid(sim, rg, ACCOUNT, name)
    stored = sim.peek(rid)
    if stored is None:
        return ArmResponse(204)
    sim.check_locks(stored["id"], "delete")
    # 202 + Location, polled to the end (final-state-via: location), as the spec's delete says
    return sim.accept_delete(req, stored["id"], namespace="Microsoft.Monitor", location=stored["location"],
                             rtype=ACCOUNT, async_header=False)


@route("GET", _RG + "Microsoft.Monitor/accounts/{name}/providers/Microsoft.AlertsManagement/"
                    "alertRuleRecommendations")
def list_recommendations(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require(_rid(sim, rg, ACCOUNT, name))
    return sim.paged(req, [])


# ---------------------------------------------------------------- data collection endpoints and rules


@route("PUT", _RG + "Microsoft.Insights/dataCollectionEndpoints/{name}")
def put_dce(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    location = str(cc.json_body(req).get("location") or "").replace(" ", "").lower()
    host = f"{name.lower()}-{_hex(sim.subscription_id, rg, name)[:4]}.{location}"
    server = {"immutableId": f"dce-{_hex('dce', sim.subscription_id, rg, name)}",
              "configurationAccess": {"endpoint": f"https://{host}-1.handler.control.monitor.azure.com"},
              "logsIngestion": {"endpoint": f"https://{host}-1.ingest.monitor.azure.com"},
              "metricsIngestion": {"endpoint": f"https://{host}-1.metrics.ingest.monitor.azure.com"},
              "networkAcls": {"publicNetworkAccess": "Enabled"}}
    return _put_tracked(sim, req, rg, DCE, name, server)


@route("GET", _RG + "Microsoft.Insights/dataCollectionEndpoints/{name}")
def get_dce(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _get(sim, rg, DCE, name)


@route("DELETE", _RG + "Microsoft.Insights/dataCollectionEndpoints/{name}")
def delete_dce(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    return _delete_now(sim, _rid(sim, rg, DCE, name))


@route("PUT", _RG + "Microsoft.Insights/dataCollectionRules/{name}")
def put_dcr(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _put_tracked(sim, req, rg, DCR, name, {"immutableId": f"dcr-{_hex('dcr', sim.subscription_id, rg, name)}"})


@route("GET", _RG + "Microsoft.Insights/dataCollectionRules/{name}")
def get_dcr(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _get(sim, rg, DCR, name)


@route("DELETE", _RG + "Microsoft.Insights/dataCollectionRules/{name}")
def delete_dcr(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    return _delete_now(sim, _rid(sim, rg, DCR, name))


# ---------------------------------------------------------------- rule associations (extension resources)

_SCOPE = _RG + "{ns}/{rtype}/{rname}/providers/Microsoft.Insights/dataCollectionRuleAssociations"


def _scope(sim: ArmSim, rg: str, ns: str, rtype: str, rname: str) -> dict[str, Any]:
    sim.require_group(rg)
    return sim.require(f"{sim.group_id(cc.group_name(sim, rg))}/providers/{ns}/{rtype}/{rname}")


@route("PUT", _SCOPE + "/{name}")
def put_dcra(sim: ArmSim, req: ArmRequest, sub: str, rg: str, ns: str, rtype: str, rname: str,
             name: str) -> ArmResponse:
    scope = _scope(sim, rg, ns, rtype, rname)
    body = cc.json_body(req)
    rid = f"{scope['id']}/providers/{DCRA}/{name}"
    existing = sim.peek(rid)
    sim.check_locks(rid, "write")
    props = {k: v for k, v in (body.get("properties") or {}).items() if k != "provisioningState"}
    props["provisioningState"] = "Succeeded"
    stored = {"id": (existing or {}).get("id", rid), "name": name, "type": DCRA, "etag": sim.new_etag(),
              "properties": props}
    sim.save(rid, stored)
    return ArmResponse(201 if existing is None else 200, cc.public(stored))


@route("GET", _SCOPE + "/{name}")
def get_dcra(sim: ArmSim, req: ArmRequest, sub: str, rg: str, ns: str, rtype: str, rname: str,
             name: str) -> ArmResponse:
    scope = _scope(sim, rg, ns, rtype, rname)
    return ArmResponse(200, cc.public(sim.require(f"{scope['id']}/providers/{DCRA}/{name}")))


@route("DELETE", _SCOPE + "/{name}")
def delete_dcra(sim: ArmSim, req: ArmRequest, sub: str, rg: str, ns: str, rtype: str, rname: str,
                name: str) -> ArmResponse:
    sim.require_group(rg)
    return _delete_now(sim, f"{sim.group_id(cc.group_name(sim, rg))}/providers/{ns}/{rtype}/{rname}/providers/"
                            f"{DCRA}/{name}")


# ---------------------------------------------------------------- Prometheus rule groups


@route("PUT", _RG + "Microsoft.AlertsManagement/prometheusRuleGroups/{name}")
def put_rule_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _put_tracked(sim, req, rg, RULE_GROUP, name, {}, provisioning=False)


@route("GET", _RG + "Microsoft.AlertsManagement/prometheusRuleGroups/{name}")
def get_rule_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _get(sim, rg, RULE_GROUP, name)


@route("DELETE", _RG + "Microsoft.AlertsManagement/prometheusRuleGroups/{name}")
def delete_rule_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    return _delete_now(sim, _rid(sim, rg, RULE_GROUP, name))
