"""The inventory: everything azwizard created in the subscription, with state, age and cost (each resource
priced from its own region's list prices: ``azwizard.pricing``, one price book per region, the dated table only
as the marked fallback).

Two sources, merged by id, so cleanup works on this machine and from any other (preflight rule C1):

* the local journals (``azwizard.journal``): every resource a run asked for, even one whose tags never
  arrived; entries are verified with a GET, and what is gone is shown as already deleted;
* the ``created-by=azwizard`` tags, found by asking once for the whole subscription (:func:`_discover`): Azure
  Resource Graph answers, in a few paged queries whatever the number of groups, the tagged resource groups,
  the tagged resources, and everything in the groups involved with its properties, so resources need no
  GET each and groups no list each (issue 26). If Resource Graph cannot answer, ``resource_groups.list`` and
  ``resources.list`` with ``$filter=tagName eq 'created-by' and tagValue eq 'azwizard'``, and one list per
  group, as before.

A resource counts as a run's only when the run's journal here made it, its immutable identity is the one the
journal recorded, and it carries the run's tags (``run/preflight.py`` ``Ledger.proof``, the rule ``apply``
uses). Anything else is listed as ``foreign`` with a ``note`` saying what happened ("re-created by someone
else", "another machine's azwizard run: adopt it to manage it here"), never preselected; what a journal
shows made but is gone is "deleted outside azwizard" (or "deleted by azwizard cleanup").

Plus what belongs to those resources without carrying the tag: a VM's implicitly created disks
(source ``attached``) and an AKS cluster's ``MC_`` node resource group (attached to its cluster, not
deletable on its own). Resources in the same groups that azwizard did not create are listed only for the
groups named in ``include_untagged_in_groups``, marked ``foreign``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..azure import ops
from ..azure.errors import explain
from ..azure.session import ClientFactory
from ..journal import list_runs
from ..pricing.store import region_books
from ..run.identity import fingerprint, identity_of
from ..run.preflight import ANOTHER_MACHINE, Ledger
from ..specs.common import TAG_CREATED_AT, TAG_CREATED_BY, TAG_CREATED_BY_VALUE, TAG_JOURNEY, TAG_RUN
from . import costs
from .backup import read_soft_delete
from .model import (
    CLUSTER,
    DISK,
    GROUP,
    ROLE_ASSIGNMENT,
    VAULT,
    VM,
    Cascade,
    Inventory,
    InventoryItem,
    Lock,
    ProtectedItem,
    SoftDelete,
    Source,
    extension_scope,
    group_id,
    group_name,
    key,
    kind_of,
    name_of,
)
from .refs import references

if TYPE_CHECKING:
    from ..azure.clouds import Cloud
    from ..pricing.book import PriceBook

TAG_FILTER = f"tagName eq '{TAG_CREATED_BY}' and tagValue eq '{TAG_CREATED_BY_VALUE}'"
EXPAND = "createdTime,changedTime,provisioningState"
# Never sent, or not this run's to delete: "updated"/"unchanged" resources belong to the earlier run of the
# journey that made them (journal.py).
_IGNORED_JOURNAL_STATES = ("planned", "skipped", "failed-absent", "updating", "updated", "update-failed", "unchanged",
                           "not-adopted")

Body = dict[str, Any]


@dataclass
class _Found:
    """What is known about one resource while the inventory is assembled."""

    id: str
    type: str
    run_id: str | None = None
    journey: str | None = None
    journal_time: str | None = None
    in_journal: bool = False
    tagged: bool = False
    listed: Body | None = None  # the generic view from a list call (tags, createdTime…)
    body: Body | None = None  # the full resource, from its GET
    exists: bool = True
    source: Source | None = None
    foreign: bool = False
    node_group_of: str | None = None
    soft_delete: SoftDelete | None = None  # a vault holding backup items
    journal_state: str = ""  # the run's journal state for it (journal.py ResourceState.state)
    unread: bool = False  # its GET failed: the body is only what a list showed (or its id), no identity read
    parent: str | None = None  # an attached disk: the VM using it
    note: str = ""  # what happened to the run's resource (see the module docstring)


_ROW_KEYS = ("id", "name", "location", "tags", "sku", "kind", "zones", "identity", "managedBy", "plan",
             "extendedLocation", "properties")
_PROJECT = " | project " + ", ".join(("id", "name", "type", "resourceGroup", *_ROW_KEYS[2:]))
_TAG_TERM = f"tags['{TAG_CREATED_BY}'] =~ '{TAG_CREATED_BY_VALUE}'"
_GROUPS_QUERY = ("resourcecontainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups' and "
                 + _TAG_TERM + _PROJECT)
_NAMES_PER_QUERY = 300  # group names in one query's in~ list (a few KB of query text)
_PAGE = 1000  # QueryRequestOptions.$top maximum (resourcegraph.json): fewest queries against ARG's quota (15 per 5 s)
_API_VERSION = "2024-04-01"  # the newest stable Resources API (azure-rest-api-specs, Microsoft.ResourceGraph)


@dataclass
class _Graph:
    """What Azure Resource Graph answered: rows as GET-shaped bodies by key, by group, and the (lower-case)
    groups whose whole contents are among them.
    https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources"""

    rows: dict[str, Body]
    by_group: dict[str, list[Body]]
    groups: set[str]

    def query(self, factory: ClientFactory, text: str, *, group_rows: bool = False) -> list[Body]:
        """Run one query over the subscription, every page (``$skipToken``); its rows, noted. Sent through
        the Resource Graph client's pipeline (sign-in, retries) with its ``_send_request`` (the generated
        clients' raw-request entry point: https://aka.ms/azsdk/dpcodegen/python/send_request), the answer read
        as JSON: the typed ``resources()`` walks every value of every row through the SDK's deserializer
        (seconds for a few thousand rows)."""
        from azure.core.rest import HttpRequest

        client = factory.resourcegraph()
        out: list[Body] = []
        token: str | None = None
        while True:
            options: dict[str, Any] = {"$top": _PAGE, "resultFormat": "objectArray"}
            if token:
                options["$skipToken"] = token
            response = client._send_request(HttpRequest(
                "POST", "/providers/Microsoft.ResourceGraph/resources", params={"api-version": _API_VERSION},
                json={"subscriptions": [factory.subscription_id], "query": text, "options": options}))
            response.raise_for_status()
            answer = response.json()
            if str(answer.get("resultTruncated")).lower() == "true":
                raise RuntimeError("Resource Graph truncated the answer")
            data: Any = answer.get("data")  # objectArray: a list of rows
            for row in data if isinstance(data, list) else []:
                if not isinstance(row, Mapping) or not row.get("id"):
                    continue
                body = _row_body(row, group=group_rows)
                self.rows[key(body["id"])] = body
                if not group_rows:
                    self.by_group.setdefault(str(row.get("resourceGroup") or group_name(body["id"])).lower(),
                                             []).append(body)
                out.append(body)
            token = answer.get("$skipToken")
            if not token:
                return out

    def contents_of(self, factory: ClientFactory, groups: list[str], *, tagged: bool) -> list[Body]:
        """Everything in ``groups`` (and, with ``tagged``, every resource carrying azwizard's tag)."""
        out: list[Body] = []
        chunks = [groups[i:i + _NAMES_PER_QUERY] for i in range(0, len(groups), _NAMES_PER_QUERY)]
        for i, chunk in enumerate(chunks or ([[]] if tagged else [])):
            terms = [_TAG_TERM] if tagged and i == 0 else []
            if chunk:
                terms.append("resourceGroup in~ (" + ", ".join(_kql(g) for g in chunk) + ")")
            out += self.query(factory, "resources | where " + " or ".join(terms) + _PROJECT)
            self.groups.update(g.lower() for g in chunk)
        return out


def _kql(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _row_body(row: Mapping[str, Any], *, group: bool) -> Body:
    """A Resource Graph row as the resource's GET shows it: ARM's type spelling (Resource Graph lower-cases
    ``type``) and none of the row-only columns."""
    body = {k: row[k] for k in _ROW_KEYS if row.get(k) not in (None, "")}
    rid = str(body.get("id") or "")
    parts = [p for p in rid.split("/") if p]
    lower = [p.lower() for p in parts]
    if group or "providers" not in lower:
        body["type"] = "Microsoft.Resources/resourceGroups"
    else:
        i = len(lower) - 1 - lower[::-1].index("providers")
        body["type"] = "/".join([parts[i + 1], *parts[i + 2::2]])
    return body


def _tagged(body: Mapping[str, Any]) -> bool:
    tags = body.get("tags") or {}
    return any(k.lower() == TAG_CREATED_BY and str(v).lower() == TAG_CREATED_BY_VALUE for k, v in tags.items())


def build_inventory(
    factory: ClientFactory,
    *,
    journal_dir: Path | None = None,
    include_untagged_in_groups: Iterable[str] = frozenset(),
    max_workers: int = 8,
    cloud: Cloud | None = None,
    offline_prices: bool = False,
) -> Inventory:
    """Read journals and tags, verify and describe each resource (one GET each, concurrently), list the
    groups' contents, the vaults' backup items and the subscription's locks; price each resource from its own
    region's list prices (``azwizard.pricing.price_book`` through the factory's transport, for ``cloud``: the
    disk cache, the Retail Prices API, or the dated table marked as the fallback; ``offline_prices``: no
    request, the cache or the table), one book per region, read while the power states and backup items are."""
    warnings: list[str] = []
    found: dict[str, _Found] = {}
    ledger = Ledger.load(journal_dir)
    _from_journals(found, journal_dir)
    graph = _discover(factory, found, warnings)
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="azwizard-inventory") as pool:
        _read_bodies(factory, pool, list(found.values()), warnings, graph)
        if graph is not None:
            _read_bodies(factory, pool, _identity_unseen(found, ledger), warnings)
        _verify(found, ledger)
        _attached(factory, pool, found, warnings, ledger, graph)
        _tag_only(found, ledger)
        _inherit(found)
        contents = _group_contents(factory, found, warnings, graph)
        _foreign(factory, pool, found, contents, {g.lower() for g in include_untagged_in_groups}, warnings, graph)
        books = pool.submit(region_books, _priced_regions(found), transport=factory.transport, cloud=cloud,
                            offline=offline_prices)
        views = _instance_views(factory, pool, found, warnings)
        backups = _backup_items(factory, pool, found, warnings)
        prices = books.result()
    locks, locks_known = _locks(factory, warnings)
    bodies = {k: f.body for k, f in found.items() if f.body is not None}
    extensions: dict[str, list[_Found]] = {}
    for f in found.values():
        scope = extension_scope(f.id) if f.type.lower() == ROLE_ASSIGNMENT and f.exists else None
        if scope:
            extensions.setdefault(key(scope), []).append(f)
    items = tuple(sorted(
        (_item(f, bodies, views, backups, contents, extensions, prices) for f in found.values()),
        key=lambda it: (it.resource_group.lower(), it.kind != GROUP, it.type.lower(), it.name.lower()),
    ))
    return Inventory(
        items=items,
        subscription_id=factory.subscription_id,
        locks=tuple(locks),
        locks_known=locks_known,
        group_contents={g: tuple(ids) for g, ids in contents.items()},
        warnings=tuple(warnings),
        taken_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        prices=prices,
    )


def _priced_regions(found: Mapping[str, _Found]) -> set[str]:
    """The regions of the existing resources that cost something: the price books to read."""
    return {str(f.body.get("location") or "").lower() for f in found.values()
            if f.exists and f.body is not None and not f.node_group_of and costs.priced(f.type)} - {""}


# ------------------------------------------------------------------------------------------ sources


def _from_journals(found: dict[str, _Found], directory: Path | None) -> None:
    for journal in list_runs(directory):
        first_seen: dict[str, str] = {}
        for ev in journal.events():
            rid = ev.get("id")
            if rid and ev.get("event") in ("requested", "created", "exists"):
                first_seen.setdefault(key(str(rid)), str(ev.get("ts", "")))
        for k, st in journal.resources().items():
            if st.state in _IGNORED_JOURNAL_STATES or st.kind.count("/") != 1:
                continue  # never sent, or a sub-resource (a backup item belongs to its vault)
            prev = found.get(k)
            # Journals come oldest first: a later run that made the name again is the one to check it against.
            if prev is not None and not st.may_exist:
                continue
            found[k] = _Found(st.resource_id, st.kind, journal.run_id, journal.journey or None,
                              first_seen.get(k), in_journal=True, journal_state=st.state)


def _discover(factory: ClientFactory, found: dict[str, _Found], warnings: list[str]) -> _Graph | None:
    """Every candidate in the subscription, asked for once: the resource groups and resources carrying
    ``created-by=azwizard``, and all that the groups involved hold (those tags' groups and the journals'),
    each row the resource with its properties, from Azure Resource Graph. Rows reflect Azure within seconds
    of a change, not at once (https://learn.microsoft.com/azure/governance/resource-graph/overview): what a
    journal names and Resource Graph does not show yet is read with a GET. ``None`` (after the ARM lists
    with the tag filter, as before) when Resource Graph cannot answer."""
    try:
        graph = _Graph({}, {}, set())
        groups = graph.query(factory, _GROUPS_QUERY, group_rows=True)
        names = {group_name(f.id).lower() for f in found.values()} | {str(b.get("name") or "").lower() for b in groups}
        resources = graph.contents_of(factory, sorted(n for n in names if n), tagged=True)
    except Exception:  # noqa: BLE001 - Resource Graph unavailable: the ARM lists below, as before
        _from_tags(factory, found, warnings)
        return None
    _take_tagged(found, [b for b in groups + resources if _tagged(b)])
    return graph


def _from_tags(factory: ClientFactory, found: dict[str, _Found], warnings: list[str]) -> None:
    try:
        groups = [ops.wire(g) for g in factory.resources().resource_groups.list(filter=TAG_FILTER)]
        resources = [ops.wire(r) for r in factory.resources().resources.list(filter=TAG_FILTER, expand=EXPAND)]
    except Exception as exc:
        err = explain(exc)
        warnings.append(f"Could not list tagged resources ({err.what}); only this machine's journals were used.")
        return
    _take_tagged(found, groups + resources)


def _take_tagged(found: dict[str, _Found], views: list[Body]) -> None:
    for view in views:  # Resource Graph rows without an id are left out (_Graph.query); ARM's always have one
        rid = str(view["id"])
        tags = view.get("tags") or {}
        # the type as the id spells it (what a Resource Graph row says too); the resource's GET gives ARM's own
        f = found.setdefault(key(rid), _Found(rid, kind_of(rid)))
        f.id = rid  # Azure's spelling
        f.tagged = True
        f.listed = view
        f.run_id = tags.get(TAG_RUN) or f.run_id
        f.journey = tags.get(TAG_JOURNEY) or f.journey


# ------------------------------------------------------------------------------------------ reading


def _get(factory: ClientFactory, f: _Found, graph: _Graph | None = None) -> tuple[_Found, Body | None, str | None]:
    """(item, body or None when gone, error text): Resource Graph's row when it has one, else a GET."""
    if graph is not None and key(f.id) in graph.rows:
        return f, dict(graph.rows[key(f.id)]), None
    try:
        ops.ops_for(f.type)
    except ValueError:
        # No GET known for this type: a list call that showed it is the only proof it exists.
        return f, (dict(f.listed) if f.listed else None), None
    try:
        model = ops.get(factory, f.type, f.id)
    except Exception as exc:
        return f, None, explain(exc).what
    return f, (ops.wire(model) if model is not None else None), None


def _read_bodies(factory: ClientFactory, pool: ThreadPoolExecutor, todo: list[_Found], warnings: list[str],
                 graph: _Graph | None = None) -> None:
    for f, body, error in pool.map(lambda f: _get(factory, f, graph), todo):
        if error is not None:
            warnings.append(f"Could not read {f.id}: {error}")
            f.body = dict(f.listed) if f.listed else {"id": f.id, "type": f.type}
            f.unread = True
            continue
        if body is None:
            f.exists = False
            continue
        f.body = body
        f.id = str(body.get("id") or f.id)
        f.type = str(body.get("type") or f.type)


def _verify(found: Mapping[str, _Found], ledger: Ledger) -> None:
    """The ownership rule (module docstring) for what the journals name: a resource re-created since the run
    made it (another identity, or without the run's tags) is someone else's; one that is gone says how."""
    for f in found.values():
        if not f.in_journal or not f.run_id:
            continue
        if not f.exists:
            f.note = ("deleted by azwizard cleanup" if f.journal_state == "deleted" else "deleted outside azwizard")
            continue
        if f.unread:  # a journal line and a list's tags are no proof: the identity comes with the resource's GET
            f.foreign = True
            f.note = (f"could not be read now (see the warnings), so nothing shows it is still the one run "
                      f"{f.run_id} made; not selected for you. Press r to read it again.")
            continue
        assert f.body is not None  # every resource that exists was read (or given its listed view): _read_bodies
        why = ledger.disproof(f.run_id, f.id, f.type, f.body, f.journal_state)
        if why:
            f.foreign = True
            f.note = f"re-created by someone else: {why}"


def _identity_unseen(found: Mapping[str, _Found], ledger: Ledger) -> list[_Found]:
    """What a journal made whose Resource Graph row lacks the identity field the journal recorded (a row
    carries no ``systemData``): read with a GET, so ownership rests on the field itself, not on the tags."""
    out = []
    for f in found.values():
        recorded = ledger.identities.get((f.run_id, key(f.id))) if f.run_id else None
        if recorded and f.body is not None and not set(recorded) & set(identity_of(f.type, f.body)):
            out.append(f)
    return out


def _proven(f: _Found, ledger: Ledger) -> bool:
    """Whether the journal recorded this very resource's identity for its run (an "exists" line written by
    cleanup, or a create from an older azwizard, has none)."""
    return bool(f.run_id and ledger.identities.get((f.run_id, key(f.id)))) and not f.foreign


def _attached(factory: ClientFactory, pool: ThreadPoolExecutor, found: dict[str, _Found], warnings: list[str],
              ledger: Ledger, graph: _Graph | None = None) -> None:
    """A VM's disks (created by the VM, so untagged) and an AKS cluster's MC_ node resource group. They go
    with the VM or cluster that uses them now: a disk a dead run's journal names but whose identity it did
    not record (or another one) is the new VM's, and a node group is always its cluster's."""
    extra: list[_Found] = []
    for f in list(found.values()):
        if f.body is None or not f.exists:
            continue
        kind = f.type.lower()
        if kind == VM:
            storage = (f.body.get("properties") or {}).get("storageProfile") or {}
            for disk in [storage.get("osDisk") or {}] + list(storage.get("dataDisks") or []):
                disk_id = (disk.get("managedDisk") or {}).get("id")
                known = found.get(key(disk_id)) if disk_id else None
                if disk_id and (known is None or (known.run_id != f.run_id and not _proven(known, ledger))):
                    extra.append(_Found(disk_id, "Microsoft.Compute/disks", f.run_id, f.journey, source="attached",
                                        parent=f.id))
        elif kind == CLUSTER:
            node_group = (f.body.get("properties") or {}).get("nodeResourceGroup")
            if node_group:
                gid = f"/subscriptions/{factory.subscription_id}/resourceGroups/{node_group}"
                known = found.get(key(gid))
                if known is None:
                    extra.append(_Found(gid, "Microsoft.Resources/resourceGroups", f.run_id, f.journey,
                                        source="attached", node_group_of=f.id))
                else:
                    known.node_group_of = f.id
                    known.run_id, known.journey, known.source = f.run_id, f.journey, "attached"
                    known.foreign, known.note = False, ""
    for f in extra:
        found[key(f.id)] = f
    _read_bodies(factory, pool, extra, warnings, graph)


def _tag_only(found: dict[str, _Found], ledger: Ledger) -> None:
    """Tags alone are never ownership (anyone can copy them): a resource that carries a run's tag although
    that run's journal here does not show it making it (an older azwizard re-tagged someone else's resource
    on a PUT, or the tags were copied), and one tagged by a run whose journal is on another machine, are
    listed as foreign, never preselected, and their groups are not deleted whole. The user can still select
    them one by one (the screen), or adopt them on this machine (``--adopt``). Resources in an AKS node
    resource group are the cluster's and are left to it."""
    node_groups = {name_of(f.id).lower() for f in found.values() if f.node_group_of}
    for f in found.values():
        if not f.tagged or f.in_journal or f.source is not None or f.node_group_of:
            continue
        if f.type.lower() != GROUP and group_name(f.id).lower() in node_groups:
            continue
        f.foreign = True
        if not f.run_id:  # created-by=azwizard alone: no run to look for, on this machine or another
            f.note = (f"carries {TAG_CREATED_BY}={TAG_CREATED_BY_VALUE} but no {TAG_RUN} tag, and no journal here "
                      "shows it created: adopt it to manage it here")
        else:
            f.note = (ANOTHER_MACHINE if f.run_id not in ledger.runs else
                      f"carries run {f.run_id}'s tags, but that run's journal here does not show it creating it")


def _inherit(found: Mapping[str, _Found]) -> None:
    """What is attached to a resource that is not azwizard's (a disk of someone else's VM, the node group of
    someone else's cluster) is not azwizard's either."""
    for f in found.values():
        owner = found.get(key(f.parent or f.node_group_of or "")) if f.source == "attached" else None
        if owner is not None and owner.foreign:
            f.foreign = True
            f.note = f"goes with {name_of(owner.id)}, which is not this machine's azwizard run's: {owner.note}"


def _list_group(factory: ClientFactory, name: str) -> list[Body] | None:
    from azure.core.exceptions import ResourceNotFoundError

    try:
        return [ops.wire(r) for r in factory.resources().resources.list_by_resource_group(name, expand=EXPAND)]
    except ResourceNotFoundError:
        return None


def _group_contents(factory: ClientFactory, found: dict[str, _Found], warnings: list[str],
                    graph: _Graph | None = None) -> dict[str, list[str]]:
    """Every resource in each group holding azwizard resources (and in each MC_ group), by group name: from
    Resource Graph (one more query for the groups it was not asked about, e.g. node resource groups), else
    one list per group."""
    names: dict[str, str] = {}
    for f in found.values():
        if f.exists:
            g = str(f.body.get("name") if f.type.lower() == GROUP and f.body else group_name(f.id))
            if g:  # a subscription-scope role assignment has no group
                names.setdefault(g.lower(), g)
    out: dict[str, list[str]] = {}
    if graph is not None:
        with contextlib.suppress(Exception):  # else those groups are listed one by one below
            graph.contents_of(factory, sorted(n for n in names if n not in graph.groups), tagged=False)
    for lower, name in sorted(names.items()):
        try:
            listed = graph.by_group.get(lower, []) if graph is not None and lower in graph.groups else \
                _list_group(factory, name)
        except Exception as exc:
            warnings.append(f"Could not list resource group {name}: {explain(exc).what}")
            continue
        if listed is None:
            continue
        out[lower] = [str(v["id"]) for v in listed if v.get("id")]
        for view in listed:
            seen = found.get(key(str(view.get("id") or "")))
            if seen is not None and seen.listed is None:
                seen.listed = view
    return out


def _foreign(factory: ClientFactory, pool: ThreadPoolExecutor, found: dict[str, _Found],
             contents: Mapping[str, list[str]], groups: set[str], warnings: list[str],
             graph: _Graph | None = None) -> None:
    node_groups = {name_of(f.id).lower() for f in found.values() if f.node_group_of}
    extra = []
    for g in sorted(groups - node_groups):
        for rid in contents.get(g, []):
            if key(rid) not in found:
                extra.append(_Found(rid, kind_of(rid), source="group", foreign=True))
    for f in extra:
        found[key(f.id)] = f
    _read_bodies(factory, pool, extra, warnings, graph)


def _instance_views(factory: ClientFactory, pool: ThreadPoolExecutor, found: Mapping[str, _Found],
                    warnings: list[str]) -> dict[str, str]:
    vms = [f for f in found.values() if f.exists and f.body is not None and f.type.lower() == VM]

    def power(f: _Found) -> tuple[str, str | None]:
        try:
            return f.id, ops.power_state(ops.instance_view(factory, f.id))
        except Exception as exc:
            warnings.append(f"Could not read the power state of {f.id}: {explain(exc).what}")
            return f.id, None

    return {key(rid): state for rid, state in pool.map(power, vms) if state}


def _backup_items(factory: ClientFactory, pool: ThreadPoolExecutor, found: Mapping[str, _Found],
                  warnings: list[str]) -> dict[str, list[ProtectedItem]]:
    vaults = [f for f in found.values() if f.exists and f.body is not None and f.type.lower() == VAULT]

    def items(f: _Found) -> tuple[str, list[ProtectedItem] | None]:
        try:
            got = [_protected(b) for b in ops.list_protected_items(factory, f.id)]
        except Exception as exc:
            warnings.append(f"Could not list the backup items of {f.id}: {explain(exc).what}")
            return f.id, None
        if got:  # what stopping protection would leave behind, and for how long
            try:
                f.soft_delete = read_soft_delete(factory, f.id)
            except Exception as exc:
                warnings.append(f"Could not read the soft-delete setting of {f.id}: {explain(exc).what}")
        return f.id, got

    return {key(rid): got for rid, got in pool.map(items, vaults) if got is not None}


def _protected(body: Mapping[str, Any]) -> ProtectedItem:
    props = body.get("properties") or {}
    rid = str(body.get("id") or "")
    parts = rid.split("/")
    container = parts[parts.index("protectionContainers") + 1] if "protectionContainers" in parts else ""
    return ProtectedItem(
        id=rid,
        name=str(body.get("name") or name_of(rid)),
        container=container,
        friendly_name=str(props.get("friendlyName") or body.get("name") or ""),
        source_resource_id=str(props.get("sourceResourceId") or props.get("virtualMachineId") or ""),
        soft_deleted=bool(props.get("isScheduledForDeferredDelete")),
        workload=str(props.get("workloadType") or "VM"),
    )


def _locks(factory: ClientFactory, warnings: list[str]) -> tuple[list[Lock], bool]:
    try:
        raw = ops.list_locks(factory)
    except Exception as exc:
        warnings.append(f"Could not list management locks: {explain(exc).what}")
        return [], False
    return [Lock(x["id"], x["name"], x["level"], x.get("notes", "")) for x in raw], True


# ------------------------------------------------------------------------------------------ items


def _item(f: _Found, bodies: Mapping[str, Body], views: Mapping[str, str],
          backups: Mapping[str, list[ProtectedItem]], contents: Mapping[str, list[str]],
          extensions: Mapping[str, list[_Found]], prices: Mapping[str, PriceBook]) -> InventoryItem:
    kind = f.type.lower()
    source: Source = f.source or ("both" if f.in_journal and f.tagged else "journal" if f.in_journal else "tag")
    if not f.exists:
        return InventoryItem(f.id, f.type, name_of(f.id), group_name(f.id), run_id=f.run_id, journey=f.journey,
                             created=f.journal_time, state="deleted", source=source, exists=False,
                             foreign=f.foreign, cost=costs.FREE, note=f.note)
    # every resource that exists was read, or given its listed view when the read failed (_read_bodies)
    body: Body = f.body or {"id": f.id, "type": f.type}
    props = body.get("properties") or {}
    tags = body.get("tags") or {}  # the body is the GET (or the listed view, when the GET failed)
    refs = references(kind, body, lambda rid: bodies.get(key(rid)))
    state = _state(kind, f, props, views)
    protected = tuple(backups.get(key(f.id), ()))
    is_group = kind == GROUP
    name = name_of(f.id)  # Azure's spelling: the id is the one the resource's read (or list) answered
    return InventoryItem(
        id=f.id,
        type=f.type,
        name=name,
        resource_group=name if is_group else group_name(f.id),
        location=str(body.get("location") or ""),
        run_id=f.run_id or tags.get(TAG_RUN),
        journey=f.journey or tags.get(TAG_JOURNEY),
        created=_created(body, f, tags),
        state=state,
        source=source,
        managed_by=body.get("managedBy") or None,
        exists=True,
        foreign=f.foreign,
        cost=_cost(kind, body, state, protected, bodies, f, prices.get(str(body.get("location") or "").lower())),
        uses=refs.uses,
        used_by=refs.used_by,
        cascade=_cascade(kind, f, body, refs.cascade, contents) + tuple(
            Cascade(x.id, x.type, "role assignment on it: removed with it", x.run_id, x.journey)
            for x in extensions.get(key(f.id), [])),
        keeps=refs.keeps,
        node_group_of=f.node_group_of,
        contents=tuple(contents.get(name.lower(), ())) if is_group else (),
        protected_items=protected,
        soft_delete=f.soft_delete,
        details=_details(kind, body),
        note=f.note,
        identity=fingerprint(f.type, body),
    )


def _cascade(kind: str, f: _Found, body: Mapping[str, Any], cascade: tuple[Cascade, ...],
             contents: Mapping[str, list[str]]) -> tuple[Cascade, ...]:
    if kind != CLUSTER:
        return cascade
    node_group = (body.get("properties") or {}).get("nodeResourceGroup")
    if not node_group:
        return cascade
    gid = f"{group_id(f.id).rsplit('/', 2)[0]}/resourceGroups/{node_group}"
    n = len(contents.get(str(node_group).lower(), []))
    return (*cascade, Cascade(gid, "Microsoft.Resources/resourceGroups",
                              f"node resource group ({n} resources): deleted with the cluster", f.run_id, f.journey))


def _state(kind: str, f: _Found, props: Mapping[str, Any], views: Mapping[str, str]) -> str:
    provisioning = str(props.get("provisioningState") or (f.listed or {}).get("provisioningState") or "Succeeded")
    if kind == VM:
        return views.get(key(f.id)) or provisioning
    if kind == CLUSTER:
        power = str((props.get("powerState") or {}).get("code") or "")
        return power if provisioning == "Succeeded" and power else provisioning
    return provisioning


def _created(body: Mapping[str, Any], f: _Found, tags: Mapping[str, str]) -> str | None:
    props = body.get("properties") or {}
    system = body.get("systemData") or {}
    candidates = (tags.get(TAG_CREATED_AT), (f.listed or {}).get("createdTime"), f.journal_time,
                  props.get("timeCreated"), system.get("createdAt"))
    return next((str(c) for c in candidates if c), None)


def _disk_gb(vm: Mapping[str, Any] | None, bodies: Mapping[str, Body]) -> int | None:
    if vm is None:
        return None
    storage = (vm.get("properties") or {}).get("storageProfile") or {}
    total = 0
    for disk in [storage.get("osDisk") or {}] + list(storage.get("dataDisks") or []):
        size = disk.get("diskSizeGB")
        if size is None:
            ref = bodies.get(key(str((disk.get("managedDisk") or {}).get("id") or "")))
            size = ((ref or {}).get("properties") or {}).get("diskSizeGB")
        if size is None:
            return None
        total += int(size)
    return total


def _cost(kind: str, body: Mapping[str, Any], state: str, protected: tuple[ProtectedItem, ...],
          bodies: Mapping[str, Body], f: _Found, book: PriceBook | None) -> costs.Cost:
    """From the resource's own region's book (None: no location, so the dated table, marked as such)."""
    if f.node_group_of:
        return costs.Cost((costs.CostPart("node resource group (its nodes are priced under the cluster)", 0.0),))
    sizes = [_disk_gb(bodies.get(key(p.source_resource_id)), bodies) for p in protected if not p.soft_deleted]
    return costs.estimate(kind, body, state=state, protected_sizes_gb=sizes, book=book)


def _details(kind: str, body: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    props = body.get("properties") or {}
    sku = body.get("sku") or {}
    out: list[tuple[str, str]] = []
    get: Callable[[str], Any] = props.get
    if kind == VM:
        out.append(("size", str((get("hardwareProfile") or {}).get("vmSize") or "")))
    elif kind == DISK:
        out += [("sku", str(sku.get("name") or "")), ("size", f"{get('diskSizeGB')} GiB"),
                ("state", str(get("diskState") or ""))]
    elif kind == "microsoft.network/publicipaddresses":
        out += [("address", str(get("ipAddress") or "")), ("version", str(get("publicIPAddressVersion") or ""))]
    elif kind == ROLE_ASSIGNMENT:
        # the authorization client's models are msrest ones: as_dict() flattens "properties"
        out += [("scope", str(get("scope") or body.get("scope") or extension_scope(str(body.get("id") or "")))),
                ("about", str(get("description") or body.get("description") or ""))]
    elif kind == CLUSTER:
        pools = get("agentPoolProfiles") or []
        out += [("version", str(get("currentKubernetesVersion") or get("kubernetesVersion") or "")),
                ("tier", str(sku.get("tier") or "")),
                ("nodes", ", ".join(f"{p.get('count')} × {p.get('vmSize')}" for p in pools))]
        # the API server's host names: cleanup finds the cluster's kubeconfig entries by them
        out += [("fqdn", str(get("fqdn") or "")), ("private fqdn", str(get("privateFQDN") or ""))]
    return tuple((k, v) for k, v in out if v)
