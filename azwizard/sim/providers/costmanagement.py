"""Cost Management's Query API, served by the simulator:
``POST /subscriptions/{id}/providers/Microsoft.CostManagement/query`` (any api-version the SDK sends).

Shape as the REST spec answers it (Azure/azure-rest-api-specs specification/cost-management
.../stable/2023-03-01/examples/ManagementGroupQueryGrouping.json): ``{id, name, type:
"microsoft.costmanagement/Query", properties: {nextLink, columns: [{name, type}], rows: [[...]]}}``; the
aggregated column keeps the aggregated column's name (``Cost`` for ActualCost, ``PreTaxCost`` for Usage), then
the grouping columns (a ``TagKey`` grouping gives ``TagKey`` and ``TagValue``; a dimension its name), then
``Currency``; resource ids in lower case, as Cost Management reports them.

The cost is **modelled**: each resource's age inside the period (from its ``azwizard-created`` tag, else its
``systemData.createdAt``) × its hourly list price from the simulator's own price list for its region
(``retailprices.region_book``, priced by ``azwizard/cleanup/costs.py``: the same figures the estimate shows); a
resource with no known creation time or price has no row. ``sim.cost_data_delay_hours`` (default 0) holds back the most recent usage,
as Cost Management does for 8-24 hours; ``sim.cost_now`` (a callable) fixes "now" for tests. Supported: ``timeframe`` MonthToDate, BillingMonthToDate or Custom
(``timePeriod``), ``granularity`` None, aggregation ``Sum``, grouping by ``TagKey`` and the ``ResourceId``,
``ResourceGroup``/``ResourceGroupName``, ``ResourceType`` and ``ResourceLocation`` dimensions; anything else is
400 ``BadRequest``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ...cleanup import costs
from ..router import route
from ..wire import ArmError, ArmResponse
from .retailprices import region_book

if TYPE_CHECKING:
    from ..core import ArmSim
    from ..wire import ArmRequest

_DIMENSIONS = {"resourceid": "ResourceId", "resourcegroup": "ResourceGroup", "resourcegroupname": "ResourceGroupName",
               "resourcetype": "ResourceType", "resourcelocation": "ResourceLocation"}


def _bad(message: str) -> ArmError:
    return ArmError(400, "BadRequest", message)


def _time(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        t = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _period(body: dict[str, Any], now: datetime) -> tuple[datetime, datetime]:
    timeframe = str(body.get("timeframe") or "")
    if timeframe.lower() in ("monthtodate", "billingmonthtodate"):
        return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0), now
    if timeframe.lower() == "custom":
        period = body.get("timePeriod") or {}
        start, end = _time(period.get("from")), _time(period.get("to"))
        if start is None or end is None or end < start:
            raise _bad("Invalid query definition: a Custom timeframe needs timePeriod 'from' and 'to' (from <= to).")
        return start, min(end, now)
    raise _bad(f"Invalid query definition: timeframe '{timeframe}' is not supported by this simulator.")


def _grouping_columns(dataset: dict[str, Any]) -> list[tuple[str, str]]:
    """[(column name, what fills it)]: ('TagKey', 'tagkey:<name>'), ('TagValue', ...), ('ResourceId', 'dim:…')."""
    out: list[tuple[str, str]] = []
    for g in dataset.get("grouping") or []:
        kind, name = str(g.get("type") or ""), str(g.get("name") or "")
        if kind.lower() == "tagkey" and name:
            out += [("TagKey", f"tagkey:{name}"), ("TagValue", f"tagvalue:{name}")]
        elif kind.lower() == "dimension" and name.lower() in _DIMENSIONS:
            out.append((_DIMENSIONS[name.lower()], f"dim:{name.lower()}"))
        else:
            raise _bad(f"Invalid query definition: grouping by {kind} '{name}' is not supported by this simulator.")
    return out


def _value(body: dict[str, Any], what: str) -> str:
    rid = str(body.get("id") or "")
    tags = {str(k).lower(): str(v) for k, v in (body.get("tags") or {}).items()}
    kind, _, name = what.partition(":")
    if kind == "tagkey":
        return name if name.lower() in tags else ""
    if kind == "tagvalue":
        return tags.get(name.lower(), "")
    parts = rid.split("/")
    return {"resourceid": rid.lower(), "resourcegroup": parts[4].lower() if len(parts) > 4 else "",
            "resourcegroupname": parts[4].lower() if len(parts) > 4 else "",
            "resourcetype": str(body.get("type") or "").lower(),
            "resourcelocation": str(body.get("location") or "").lower()}[name]


def _created(body: dict[str, Any]) -> datetime | None:
    tags = {str(k).lower(): v for k, v in (body.get("tags") or {}).items()}
    return _time(tags.get("azwizard-created")) or _time((body.get("systemData") or {}).get("createdAt"))


def resource_cost(body: dict[str, Any], start: datetime, end: datetime) -> float:
    """The modelled cost of one resource over [start, end]: its hours alive there × its hourly price."""
    created = _created(body)
    if created is None:
        return 0.0
    hours = (end - max(start, created)).total_seconds() / 3600
    if hours <= 0:
        return 0.0
    region = str(body.get("location") or "").lower()
    hourly = costs.estimate(str(body.get("type") or ""), body, book=region_book(region)).known_hourly
    return hours * hourly


@route("POST", "/subscriptions/{sub}/providers/Microsoft.CostManagement/query")
def query(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    body = req.json() or {}
    dataset = body.get("dataset") or {}
    if str(dataset.get("granularity") or "None").lower() != "none":
        raise _bad("Invalid query definition: only granularity 'None' is supported by this simulator.")
    aggregation = dataset.get("aggregation") or {}
    if len(aggregation) != 1:
        raise _bad("Invalid query definition: exactly one aggregation is supported by this simulator.")
    agg = next(iter(aggregation.values()))
    if str(agg.get("function") or "").lower() != "sum":
        raise _bad("Invalid query definition: the aggregation function must be 'Sum'.")
    clock = getattr(sim, "cost_now", None)  # tests fix "now"; else the wall clock (tags carry wall time)
    now = (clock() if clock is not None else datetime.now(timezone.utc)) - timedelta(
        hours=float(getattr(sim, "cost_data_delay_hours", 0)))
    start, end = _period(body, now)
    groups = _grouping_columns(dataset)
    totals: dict[tuple[str, ...], float] = {}
    with sim.quiet_reads():
        bodies = sim.top_level()
    for res in bodies:
        if str(res.get("type") or "").lower() == "microsoft.resources/resourcegroups":
            continue
        cost = resource_cost(res, start, end)
        if cost <= 0:
            continue
        key = tuple(_value(res, what) for _, what in groups)
        totals[key] = totals.get(key, 0.0) + cost
    columns = [{"name": str(agg.get("name") or "Cost"), "type": "Number"}]
    columns += [{"name": name, "type": "String"} for name, _ in groups] + [{"name": "Currency", "type": "String"}]
    rows = [[round(cost, 6), *key, "USD"] for key, cost in sorted(totals.items())]
    name = str(uuid.uuid4())
    return ArmResponse(200, {
        "id": f"subscriptions/{sub}/providers/Microsoft.CostManagement/query/{name}", "name": name,
        "type": "microsoft.costmanagement/Query", "location": None, "sku": None, "eTag": None, "tags": None,
        "properties": {"nextLink": None, "columns": columns, "rows": rows},
    })
