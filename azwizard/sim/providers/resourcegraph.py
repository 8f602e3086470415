"""Microsoft.ResourceGraph: the ``resources`` query (``POST /providers/Microsoft.ResourceGraph/resources``), for
the small subset of KQL that azwizard sends (cleanup's inventory asks once for the whole subscription instead
of listing each resource group and reading each resource).

REST: https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources (request
``{subscriptions, query, options: {$top, $skip, $skipToken, resultFormat}}``; answer ``{totalRecords, count,
resultTruncated, $skipToken?, facets, data}``; azure-rest-api-specs
``specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/resourcegraph.json`` and
its ``ResourcesFirstPageQuery.json`` example). Tables: https://learn.microsoft.com/azure/governance/resource-graph/concepts/query-language
(``Resources``; ``ResourceContainers`` holds the resource groups, type
``microsoft.resources/subscriptions/resourcegroups``). Paging: https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data
(at most 1,000 rows a page, ``$skipToken`` for the next). Throttling headers:
https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests.

The KQL understood (case-insensitive keywords; anything else is ARG's 400 ``BadRequest``/``InvalidQuery``)::

    (resources | resourcecontainers)
    | where <term> ((and | or) <term>)*      -- and binds tighter than or; several where clauses allowed
    | project col, col, ...
    | order by col [asc | desc]

    term:  col (=~ | == | !~ | !=) 'text'    col in~ ('a', 'b', ...)    col in ('a', ...)
    col:   id, name, type, location, resourceGroup, subscriptionId, kind, managedBy, tenantId, tags['name']

A row is the resource as a GET answers it (the newest api-version's shape), with ``type`` and
``resourceGroup`` in lower case as Resource Graph stores them (the spec's examples:
``"type": "microsoft.compute/disks"``), and ``id`` as ARM spells it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import ids, router
from ..router import route
from ..wire import ArmError, ArmRequest

if TYPE_CHECKING:
    from ..core import ArmSim
    from ..wire import ArmResponse

GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"
COLUMNS = ("id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy",
           "sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation")
MAX_TOP = 1000  # QueryRequestOptions.$top: minimum 1, maximum 1000 (resourcegraph.json)
DEFAULT_TOP = 100  # what ARG returns when no $top is given (work-with-data: "returns only 100 records")
NEWEST = "9999-12-31"  # rows carry the newest shape of each resource type
_STRING_COLUMNS = {"id", "name", "type", "tenantid", "kind", "location", "resourcegroup", "subscriptionid",
                   "managedby"}

Row = dict[str, Any]
Test = Callable[[Row], bool]


def _bad_query(detail: str) -> ArmError:
    """ARG's answer to a query it cannot parse. [approximate] The code and first detail as ARG sends them
    (``BadRequest`` / ``InvalidQuery`` "Query is invalid. Please refer to the documentation for the Azure
    Resource Graph service and fix the error before retrying."); the second detail here says what the
    simulator's subset did not understand."""
    return ArmError(400, "BadRequest", "Please provide below info when asking for support: the query is invalid.",
                    details=[{"code": "InvalidQuery", "message": "Query is invalid. Please refer to the "
                              "documentation for the Azure Resource Graph service and fix the error before retrying."},
                             {"code": "ParserFailure", "message": detail}])


# ---------------------------------------------------------------------------------------------- parsing

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(?P<op>=~|!~|==|!=|in~|\||\(|\)|,|\[|\])"
                    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*))")


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _bad_query(f"unexpected text at position {pos}: {text[pos:pos + 20]!r}")
        out.append(m.group(0).strip())
        pos = m.end()
    return [t for t in out if t]


def _unquote(tok: str) -> str:
    if len(tok) >= 2 and tok[0] == tok[-1] and tok[0] in "'\"":
        return re.sub(r"\\(.)", r"\1", tok[1:-1])
    raise _bad_query(f"expected a string literal, found {tok!r}")


@dataclass
class Query:
    table: str
    tests: list[Test]
    columns: list[str] | None
    order: tuple[str, bool] | None  # (column, descending)


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok.lower() != expected):
            raise _bad_query(f"expected {expected or 'more'}, found {tok!r}")
        self.i += 1
        return tok

    def query(self) -> Query:
        table = self.take().lower()
        if table not in ("resources", "resourcecontainers"):
            raise _bad_query(f"unknown table {table!r}")
        q = Query(table, [], None, None)
        while self.peek() is not None:
            self.take("|")
            op = self.take().lower()
            if op == "where":
                q.tests.append(self.disjunction())
            elif op == "project":
                q.columns = [self.column_name()]
                while self.peek() == ",":
                    self.take(",")
                    q.columns.append(self.column_name())
            elif op == "order":
                self.take("by")
                col = self.column_name()
                desc = False
                if self.peek() is not None and self.peek().lower() in ("asc", "desc"):  # type: ignore[union-attr]
                    desc = self.take().lower() == "desc"
                q.order = (col, desc)
            else:
                raise _bad_query(f"unsupported operator {op!r}")
        return q

    def column_name(self) -> str:
        name = self.take()
        if not re.fullmatch(r"[A-Za-z_]\w*", name) or name.lower() not in {c.lower() for c in COLUMNS}:
            raise _bad_query(f"unknown column {name!r}")
        return next(c for c in COLUMNS if c.lower() == name.lower())

    def disjunction(self) -> Test:
        parts = [self.conjunction()]
        while (self.peek() or "").lower() == "or":
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def conjunction(self) -> Test:
        parts = [self.term()]
        while (self.peek() or "").lower() == "and":
            self.take()
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def term(self) -> Test:
        get = self.operand()
        op = self.take().lower()
        if op in ("in~", "in"):
            self.take("(")
            values = [_unquote(self.take())]
            while self.peek() == ",":
                self.take(",")
                values.append(_unquote(self.take()))
            self.take(")")
            if op == "in~":
                wanted = {v.lower() for v in values}
                return lambda row: str(get(row) or "").lower() in wanted
            exact = set(values)
            return lambda row: str(get(row) or "") in exact
        value = _unquote(self.take())
        if op == "=~":
            return lambda row: str(get(row) or "").lower() == value.lower()
        if op == "!~":
            return lambda row: str(get(row) or "").lower() != value.lower()
        if op == "==":
            return lambda row: str(get(row) or "") == value
        if op == "!=":
            return lambda row: str(get(row) or "") != value
        raise _bad_query(f"unsupported comparison {op!r}")

    def operand(self) -> Callable[[Row], Any]:
        name = self.take()
        if name.lower() == "tags" and self.peek() == "[":
            self.take("[")
            tag = _unquote(self.take()).lower()
            self.take("]")
            # KQL's tags['x'] reads the property bag case-sensitively; ARM tag names are case-insensitive
            # and ARG's documented examples match them with either spelling: looked up case-insensitively.
            return lambda row: next((v for k, v in (row.get("tags") or {}).items() if k.lower() == tag), None)
        if name.lower() not in _STRING_COLUMNS:
            raise _bad_query(f"unsupported column in a comparison: {name!r}")
        col = next(c for c in COLUMNS if c.lower() == name.lower())
        return lambda row: row.get(col)


# ---------------------------------------------------------------------------------------------- rows


def _candidates(sim: ArmSim, table: str) -> list[tuple[str, dict[str, Any]]]:
    """(store key, stored body) of what a table holds, sorted by id (the simulator's index; no GET yet)."""
    if table == "resourcecontainers":
        return sorted(((ids.key(b["id"]), b) for b in sim.of_type("Microsoft.Resources/resourceGroups")),
                      key=lambda kb: kb[0])
    return [(ids.key(b["id"]), b) for b in sim.top_level()]


def _filter_row(sim: ArmSim, body: dict[str, Any], table: str) -> Row:
    """The columns a where clause looks at, from the stored body (cheap: no rendering)."""
    parts = ids.key(str(body["id"])).split("/", 5)
    group = parts[4] if len(parts) > 4 else ""
    return {"id": body["id"], "name": body.get("name"), "type": GROUP_TYPE if table == "resourcecontainers"
            else str(body.get("type", "")).lower(), "location": body.get("location"), "resourceGroup": group,
            "subscriptionId": sim.subscription_id, "tenantId": sim.tenant_id, "kind": body.get("kind") or "",
            "managedBy": body.get("managedBy") or "", "tags": body.get("tags") or {}}


def _render(sim: ArmSim, req: ArmRequest, body: dict[str, Any], table: str) -> Row:
    """The full row: the resource as its own GET answers (newest shape), in Resource Graph's columns."""
    path = str(body["id"])
    shown: Any = None
    got = router.match("GET", path)
    if got is not None:
        inner = ArmRequest("GET", f"{req.base}{path}?api-version={NEWEST}", dict(req.headers))
        with sim.quiet_reads():
            try:
                shown = router.dispatch(sim, inner, got[0], got[1]).body
            except ArmError:
                shown = None
    if not isinstance(shown, dict):
        shown = {k: v for k, v in body.items() if not k.startswith("_")}
    row = _filter_row(sim, body, table)
    for col in ("sku", "plan", "properties", "identity", "zones", "extendedLocation"):
        row[col] = shown.get(col)
    row["tags"] = shown.get("tags") or row["tags"]
    row["kind"] = shown.get("kind") or row["kind"]
    row["managedBy"] = shown.get("managedBy") or row["managedBy"]
    return row


# ---------------------------------------------------------------------------------------------- the endpoint


def _token(skip: int) -> str:
    return base64.b64encode(json.dumps({"$skip": skip}).encode()).decode()


def _skip_of(token: str) -> int:
    try:
        skip = json.loads(base64.b64decode(token.encode(), validate=True))["$skip"]
    except (ValueError, KeyError, TypeError):
        raise ArmError(400, "BadRequest", "The skip token is invalid.",
                       details=[{"code": "InvalidSkipToken", "message": "The $skipToken is invalid."}]) from None
    if not isinstance(skip, int) or skip < 0:
        raise ArmError(400, "BadRequest", "The skip token is invalid.")
    return skip


@route("POST", "/providers/Microsoft.ResourceGraph/resources")
def query_resources(sim: ArmSim, req: ArmRequest) -> ArmResponse:
    from ..wire import ArmResponse

    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise ArmError(400, "BadRequest", "The request content was invalid: 'query' is required.",
                       details=[{"code": "InvalidQuery", "message": "The query is missing."}])
    q = _Parser(body["query"]).query()
    options = body.get("options") or {}
    top = options.get("$top", DEFAULT_TOP)
    if not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise ArmError(400, "BadRequest", f"The $top value must be between 1 and {MAX_TOP}.")
    skip = _skip_of(options["$skipToken"]) if options.get("$skipToken") else int(options.get("$skip") or 0)
    subs = [str(s).lower() for s in body.get("subscriptions") or [sim.subscription_id]]
    matched: list[dict[str, Any]] = []
    if sim.subscription_id.lower() in subs:
        for _, stored in _candidates(sim, q.table):
            row = _filter_row(sim, stored, q.table)
            if all(t(row) for t in q.tests):
                matched.append(stored)
    if q.order is not None:
        col, desc = q.order
        matched.sort(key=lambda b: str(_filter_row(sim, b, q.table).get(col) or "").lower(), reverse=desc)
    page = matched[skip:skip + top]
    rows = []
    for stored in page:
        row = _render(sim, req, stored, q.table)
        rows.append({c: row.get(c) for c in q.columns} if q.columns else row)
    out: dict[str, Any] = {"totalRecords": len(matched), "count": len(rows), "resultTruncated": "false",
                           "facets": []}
    if skip + top < len(matched):
        out["$skipToken"] = _token(skip + top)
    if options.get("resultFormat") == "table":
        cols = q.columns or list(COLUMNS)
        out["data"] = {"columns": [{"name": c, "type": "object" if c in ("sku", "plan", "properties", "tags",
                                                                          "identity", "zones", "extendedLocation")
                                     else "string"} for c in cols],
                       "rows": [[r.get(c) for c in cols] for r in rows]}
    else:
        out["data"] = rows
    return ArmResponse(200, out, {"x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": "00:00:05"})
