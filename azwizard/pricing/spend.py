"""What azwizard's runs have actually cost so far: the Cost Management Query API at subscription scope.

``POST /subscriptions/{id}/providers/Microsoft.CostManagement/query`` (azure-mgmt-costmanagement's
``query.usage``; REST: https://learn.microsoft.com/rest/api/cost-management/query/usage, spec
Azure/azure-rest-api-specs specification/cost-management .../examples/ManagementGroupQueryGrouping.json) with
``type: ActualCost``, ``granularity: None``, the sum of ``Cost``, grouped by the ``azwizard-run`` tag
(``TagKey``) and by ``ResourceId``. The answer is ``properties: {columns: [{name, type}], rows: [[...]],
nextLink}``; columns are found by name (the cost column, ``ResourceId``, ``TagKey``/``TagValue``, ``Currency``).

Two periods: **month to date** (``timeframe: MonthToDate``) and **since the run was made** (``Custom`` from
the oldest run's creation time to now: a resource costs nothing before it exists, so one query answers every
run's "since made"; the range is kept within the API's one year).

Nothing here blocks cleanup; the reasons there is no figure are said plainly:

* no rows yet — "Cost and usage data is typically available in Cost Management within 8-24 hours"
  (https://learn.microsoft.com/azure/cost-management-billing/costs/understand-cost-mgt-data);
* 401/403 — reading costs needs Cost Management Reader (or Reader) on the subscription
  (https://learn.microsoft.com/azure/cost-management-billing/costs/assign-access-acm-data);
* anything else (throttling, an offer Cost Management does not support) — the error in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from ..specs.common import TAG_RUN

Status = Literal["ok", "no-data", "forbidden", "error"]
COST_DATA_DELAY = ("Azure has no cost data for these resources yet: it typically appears in Cost Management "
                   "8-24 hours after use (https://learn.microsoft.com/azure/cost-management-billing/costs/"
                   "understand-cost-mgt-data).")
NO_PERMISSION = ("Spent so far is not shown: reading costs needs the Cost Management Reader role (or Reader) on "
                 "the subscription (https://learn.microsoft.com/azure/cost-management-billing/costs/"
                 "assign-access-acm-data).")
MAX_DAYS = 364  # a Custom period spans at most a year
_COST_COLUMNS = ("cost", "pretaxcost", "costusd", "totalcost")


@dataclass(frozen=True)
class Spend:
    """Actual cost per run (``azwizard-run`` tag value) and per resource id (lower case), in ``currency``."""

    status: Status
    message: str = ""
    currency: str = ""
    since: str = ""  # the start of the "since made" period (ISO 8601)
    run_month: Mapping[str, float] = field(default_factory=dict)
    run_since: Mapping[str, float] = field(default_factory=dict)
    resource_month: Mapping[str, float] = field(default_factory=dict)
    resource_since: Mapping[str, float] = field(default_factory=dict)

    def for_run(self, run_id: str) -> dict[str, Any]:
        return self._pair(self.run_month.get(run_id), self.run_since.get(run_id))

    def for_resource(self, resource_id: str) -> dict[str, Any]:
        rid = resource_id.lower()
        return self._pair(self.resource_month.get(rid), self.resource_since.get(rid))

    def _pair(self, month: float | None, since: float | None) -> dict[str, Any]:
        """JSON-ready; a resource with no row while others have some cost nothing (yet) in the period."""
        if self.status != "ok":
            return {"status": self.status, "month_to_date": None, "since_created": None, "currency": self.currency,
                    "message": self.message}
        return {"status": "ok", "month_to_date": round(month or 0.0, 2), "since_created": round(since or 0.0, 2),
                "currency": self.currency}


def query_body(timeframe: str, start: datetime | None = None, end: datetime | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "ActualCost",
        "timeframe": timeframe,
        "dataset": {
            "granularity": "None",
            "aggregation": {"totalCost": {"name": "Cost", "function": "Sum"}},
            "grouping": [{"type": "TagKey", "name": TAG_RUN}, {"type": "Dimension", "name": "ResourceId"}],
        },
    }
    if timeframe == "Custom" and start is not None and end is not None:
        body["timePeriod"] = {"from": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
    return body


def parse_rows(columns: list[Mapping[str, Any]], rows: list[list[Any]]) -> tuple[dict[str, float], dict[str, float], str]:
    """(cost per run, cost per resource id, currency) from the columns/rows shape."""
    names = [str(c.get("name") or "").lower() for c in columns]
    cost_i = next((i for i, n in enumerate(names) if n in _COST_COLUMNS), None)
    if cost_i is None:
        raise ValueError(f"the cost query's answer has no cost column (columns: {', '.join(names)})")
    rid_i = names.index("resourceid") if "resourceid" in names else None
    key_i = names.index("tagkey") if "tagkey" in names else None
    val_i = names.index("tagvalue") if "tagvalue" in names else None
    cur_i = names.index("currency") if "currency" in names else None
    by_run: dict[str, float] = {}
    by_resource: dict[str, float] = {}
    currency = ""
    for row in rows:
        cost = float(row[cost_i] or 0)
        if cur_i is not None and row[cur_i]:
            currency = str(row[cur_i])
        if rid_i is not None and row[rid_i]:
            rid = str(row[rid_i]).lower()
            by_resource[rid] = by_resource.get(rid, 0.0) + cost
        if key_i is not None and val_i is not None and str(row[key_i] or "").lower() == TAG_RUN and row[val_i]:
            run = str(row[val_i])
            by_run[run] = by_run.get(run, 0.0) + cost
    return by_run, by_resource, currency


def _query(factory: Any, body: dict[str, Any]) -> tuple[list[Mapping[str, Any]], list[list[Any]]]:
    """Every page of one query (``nextLink`` is POSTed with the same body)."""
    from azure.core.rest import HttpRequest

    client = factory.costmanagement()
    scope = f"subscriptions/{factory.subscription_id}"  # as the spec's examples write a scope (no leading /)
    result = client.query.usage(scope, body)
    if result is None or result.properties is None:  # 204: no content
        return [], []
    props = result.properties
    columns: list[Mapping[str, Any]] = [{"name": c.name, "type": c.type} for c in props.columns or []]
    rows = [list(r) for r in props.rows or []]
    link, pages = props.next_link, 1
    while link and pages < 50:
        response = client.send_request(HttpRequest("POST", link, json=body))
        response.raise_for_status()
        page = (response.json() or {}).get("properties") or {}
        rows += [list(r) for r in page.get("rows") or []]
        link, pages = page.get("nextLink"), pages + 1
    return columns, rows


def read_spend(factory: Any, run_created: Mapping[str, str | None], *, now: datetime | None = None) -> Spend:
    """Month to date and since made, per run and resource. Never raises: a failure is a status with words."""
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

    from ..azure.errors import explain

    now = now or datetime.now(timezone.utc)
    starts = [_parse(c) for c in run_created.values()]
    oldest = min((s for s in starts if s is not None), default=now.replace(day=1, hour=0, minute=0, second=0,
                                                                            microsecond=0))
    oldest = max(oldest, now - timedelta(days=MAX_DAYS))
    try:
        month_cols, month_rows = _query(factory, query_body("MonthToDate"))
        since_cols, since_rows = _query(factory, query_body("Custom", oldest, now))
    except ClientAuthenticationError:
        return Spend("forbidden", NO_PERMISSION)
    except HttpResponseError as exc:
        if exc.status_code in (401, 403):
            return Spend("forbidden", NO_PERMISSION)
        return Spend("error", f"Spent so far could not be read: {explain(exc).what}")
    except Exception as exc:  # noqa: BLE001 - never block cleanup on the cost query
        return Spend("error", f"Spent so far could not be read: {explain(exc).what}")
    if not month_rows and not since_rows:
        return Spend("no-data", COST_DATA_DELAY, since=_iso(oldest))
    try:
        run_m, res_m, cur_m = parse_rows(month_cols, month_rows)
        run_s, res_s, cur_s = parse_rows(since_cols, since_rows)
    except (ValueError, TypeError, IndexError) as exc:
        return Spend("error", f"Spent so far could not be read: {exc}")
    return Spend("ok", "", cur_m or cur_s, _iso(oldest), run_m, run_s, res_m, res_s)


SPEND_WAIT_SECONDS = 20.0
# Cost Management throttles its Query API hard (a few queries per scope a minute, answered 429 with a Retry-After
# the SDK honours: https://learn.microsoft.com/azure/cost-management-billing/automate/api-best-practices,
# https://learn.microsoft.com/answers/questions/1488793/): `cleanup list` waits this long for it, then lists
# without the figure, saying why.
SLOW = ("Spent so far is not shown: Cost Management did not answer within {s:.0f} s (it limits how often costs "
        "can be queried: https://learn.microsoft.com/azure/cost-management-billing/automate/api-best-practices); "
        "run the listing again in a minute.")


def read_spend_within(factory: Any, run_created: Mapping[str, str | None], *, wait: float | None = None,
                      now: datetime | None = None) -> Spend:
    """:func:`read_spend`, waited for at most ``wait`` seconds (default :data:`SPEND_WAIT_SECONDS`; the headless
    listing: it never blocks on the cost query). The read goes on in a daemon thread and is dropped when late."""
    import threading

    wait = SPEND_WAIT_SECONDS if wait is None else wait
    box: list[Spend] = []
    thread = threading.Thread(target=lambda: box.append(read_spend(factory, run_created, now=now)),
                              name="azwizard-spend", daemon=True)
    thread.start()
    thread.join(wait)
    return box[0] if box else Spend("error", SLOW.format(s=wait))


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def run_created(items: Any) -> dict[str, str | None]:
    """Each run's creation time: the earliest ``created`` of its items (an inventory's items)."""
    out: dict[str, str | None] = {}
    for it in items:
        if not it.run_id:
            continue
        old = out.get(it.run_id)
        if it.created and (old is None or it.created < old):
            out[it.run_id] = it.created
        else:
            out.setdefault(it.run_id, None)
    return out


def spent_text(spend: Spend | None, figures: Mapping[str, Any] | None = None) -> str:
    """A table cell: ``$1.23`` since made (month to date in the panel), ``…`` while reading, ``—`` without data."""
    from ..cleanup.costs import amount

    if spend is None:
        return "…"
    if spend.status != "ok" or figures is None:
        return "—"
    return amount(float(figures.get("since_created") or 0.0), spend.currency or "USD")


def spent_sentence(spend: Spend | None, figures: Mapping[str, Any] | None = None) -> str:
    """``spent so far: $1.23 since it was made, $0.80 this month`` or why there is no figure."""
    from ..cleanup.costs import amount

    if spend is None:
        return "spent so far: reading Cost Management…"
    if spend.status != "ok" or figures is None:
        return spend.message
    cur = spend.currency or "USD"
    return (f"spent so far: {amount(float(figures.get('since_created') or 0), cur)} since it was made, "
            f"{amount(float(figures.get('month_to_date') or 0), cur)} this month (Cost Management, actual cost)")
