"""Before anything is sent: read every planned resource (one GET each, concurrently) and say what its PUT
would do (``azwizard/plan/diff.py``), and who made what already exists, from the journals on this machine and
the resources' tags.

A resource is "made by run R" only when all three hold (``Ledger.proof``):

1. R's journal on this machine shows it created (or adopted) by R;
2. its live immutable identity (``run/identity.py``: resourceGuid, vmId, uniqueId, resourceUID, systemData's
   createdAt) equals the one R's journal recorded when Azure confirmed the create;
3. it still carries R's run tags (``azwizard-run=R``).

It is this journey's when R is this run or an earlier run of the same journey (the same kind of plan for the
same main resource: ``plan_identity``). Anything else that exists is someone else's: a conflict, saying who
made it (its tags) and why azwizard does not take it ("re-created since run R made it: resourceGuid
differs"). Tags alone are never ownership (anyone can copy them): a resource tagged by an azwizard run whose
journal is not here is "another machine's azwizard run: adopt it to manage it here". The user adopts by name
or id (``--adopt``, or a in the wizard's review). The reads go through ``azwizard/azure/ops.py`` like every
SDK call.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..azure import ops
from ..azure.session import ClientFactory
from ..journal import Journal, list_runs
from ..plan.diff import Owner, PlanDiff, StepDiff, classify
from ..plan.model import Plan, Step
from ..rules.model import Finding
from ..specs.common import TAG_CREATED_BY, TAG_CREATED_BY_VALUE, TAG_JOURNEY, TAG_RUN
from .identity import differs

MAIN_STEP = {"vm": "vm", "aks": "aks"}
SRC_PUT = "https://learn.microsoft.com/rest/api/azure/#create-the-request"

# The states in which a journal says "this run made it" (journal.py ResourceState.state).
_MADE = ("requested", "accepted", "created", "failed-exists", "failed-unknown", "adopted")
# The events that carry the identity Azure gave a resource (executor.py records it on a confirmed create).
_IDENTIFYING = ("created", "adopted", "failed", "exists")
# Resources that take no tags: only the journal and the identity decide (a role assignment is an extension
# resource without tags: https://learn.microsoft.com/azure/azure-resource-manager/management/tag-support; a
# cluster's maintenance configuration is a proxy resource without tags: MaintenanceConfiguration has none,
# https://learn.microsoft.com/rest/api/aks/maintenance-configurations/get).
UNTAGGED_KINDS = frozenset({"microsoft.authorization/roleassignments",
                            "microsoft.containerservice/managedclusters/maintenanceconfigurations"})


def plan_identity(plan: Plan) -> str:
    """What makes two runs "the same journey": the kind of plan and the id of its main resource (the VM, the
    cluster), whatever the run id, profile file or front end."""
    key = MAIN_STEP.get(plan.journey, "")
    rid = next((s.resource_id for s in plan.steps if s.key == key), plan.steps[-1].resource_id if plan.steps else "")
    return f"{plan.journey}:{rid.lower()}"


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    identity: str
    journey: str
    meta: Mapping[str, Any]
    finished_ok: bool


@dataclass
class Ledger:
    """What the journals on this machine say: each run's identity, and which run last made each resource."""

    runs: dict[str, RunRecord] = field(default_factory=dict)
    made_by: dict[str, tuple[str, str]] = field(default_factory=dict)  # id (lower) -> (run id, state)
    pending: dict[str, dict[str, str]] = field(default_factory=dict)  # run id -> {id (lower): operation url}
    identities: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (run, id lower) -> identity

    @classmethod
    def load(cls, directory: Path | None = None) -> Ledger:
        ledger = cls()
        latest: dict[str, tuple[str, str, str]] = {}  # id -> (ts, run, state)
        for journal in list_runs(directory):
            ledger._add(journal, latest)
        ledger.made_by = {k: (run, state) for k, (_, run, state) in latest.items()}
        return ledger

    def _add(self, journal: Journal, latest: dict[str, tuple[str, str, str]]) -> None:
        plan_ev: dict[str, Any] = {}
        finished_ok = False
        for ev in journal.events():
            if ev.get("event") == "plan":
                plan_ev = ev
                finished_ok = False
            elif ev.get("event") == "finished":
                finished_ok = bool(ev.get("ok"))
            if ev.get("event") in _IDENTIFYING and ev.get("id") and isinstance(ev.get("identity"), dict) \
                    and ev["identity"]:
                self.identities[(journal.run_id, str(ev["id"]).lower())] = dict(ev["identity"])
        identity = str(plan_ev.get("identity") or "")
        self.runs[journal.run_id] = RunRecord(journal.run_id, identity, str(plan_ev.get("journey") or journal.journey),
                                              dict(plan_ev.get("meta") or {}), finished_ok)
        pending: dict[str, str] = {}
        for k, st in journal.resources().items():
            if st.state in ("requested", "accepted") and st.detail.get("operation"):
                pending[k] = str(st.detail["operation"])
            if st.state in _MADE or st.state == "deleted":
                prev = latest.get(k)
                if prev is None or st.updated >= prev[0]:
                    latest[k] = (st.updated, journal.run_id, st.state)
        self.pending[journal.run_id] = pending

    def maker(self, resource_id: str) -> str | None:
        """The run that last made this resource (None: no journal here made it, or it was deleted since)."""
        got = self.made_by.get(resource_id.lower())
        if got is None or got[1] == "deleted":
            return None
        return got[0]

    def disproof(self, run: str, resource_id: str, kind: str, body: Mapping[str, Any], state: str = "") -> str:
        """Why the live resource is not the one ``run`` made ("" when it is): its identity differs from the
        one the journal recorded, or it no longer carries the run's tags (an adopted resource keeps the tags
        it had when the user adopted it unchanged: its identity is the proof)."""
        why = differs(self.identities.get((run, resource_id.lower())), body, kind)
        if why:
            return f"re-created since run {run} made it: {why}"
        state = state or (self.made_by.get(resource_id.lower()) or ("", ""))[1]
        if kind.lower() in UNTAGGED_KINDS or state == "adopted":
            return ""
        tags = {str(k): str(v) for k, v in (body.get("tags") or {}).items()}
        if tags.get(TAG_RUN) != run:
            now = f"{TAG_RUN}={tags[TAG_RUN]}" if tags.get(TAG_RUN) else f"no {TAG_RUN} tag"
            return f"run {run} made a resource of this name, but this one does not carry its tags ({now})"
        return ""

    def proof(self, resource_id: str, kind: str, body: Mapping[str, Any]) -> tuple[str | None, str]:
        """(the run on this machine that made this very resource, or None; why not, when a run's journal
        names it but the resource is not that run's)."""
        run = self.maker(resource_id)
        if run is None:
            return None, ""
        why = self.disproof(run, resource_id, kind, body)
        return (None, why) if why else (run, "")


ANOTHER_MACHINE = "another machine's azwizard run (its tags only; no journal here): adopt it to manage it here"


def owner_of(resource_id: str, body: Mapping[str, Any], plan: Plan, identity: str, ledger: Ledger,
             adopted: bool, kind: str = "") -> Owner:
    tags = {str(k): str(v) for k, v in (body.get("tags") or {}).items()}
    tag_pairs = tuple(sorted(tags.items()))
    if adopted:
        return Owner("adopted", plan.run_id, plan.journey, tag_pairs, True)
    kind = kind or str(body.get("type") or "")
    run, why = ledger.proof(resource_id, kind, body)
    if run is None:
        tag_run = tags.get(TAG_RUN) if tags.get(TAG_CREATED_BY) == TAG_CREATED_BY_VALUE else None
        if not why and tag_run and tag_run in ledger.runs:
            why = (f"it carries run {tag_run}'s tags, but that run's journal here does not show it creating this "
                   "resource (tags can be copied)")
        if not why and tag_run:
            return Owner("other-run", tag_run, tags.get(TAG_JOURNEY), tag_pairs, False, why=ANOTHER_MACHINE)
        return Owner("foreign", None, None, tag_pairs, why=why)
    record = ledger.runs.get(run)
    journey = record.journey if record is not None else tags.get(TAG_JOURNEY)
    if run == plan.run_id:
        return Owner("this-run", run, journey, tag_pairs, record is not None)
    if record is not None and record.identity and record.identity == identity:
        return Owner("same-journey", run, journey, tag_pairs, True)
    return Owner("other-run", run, journey, tag_pairs, record is not None)


def matches(step: Step, wanted: str) -> bool:
    w = wanted.strip().lower()
    return bool(w) and w in (step.resource_id.lower(), step.name.lower(), step.key.lower())


def unmatched_adoptions(plan: Plan, adopt: Iterable[str]) -> list[str]:
    return [a for a in adopt if not any(matches(s, a) for s in plan.steps)]


def _read(factory: ClientFactory, step: Step) -> tuple[Step, dict[str, Any] | None, str | None]:
    """(step, its wire body or None when absent, an error text when it could not be read)."""
    try:
        model = ops.get(factory, step.kind, step.resource_id)
    except Exception as exc:  # every failure is an "unknown", never a traceback
        from ..azure.errors import explain

        return step, None, explain(exc).what
    return step, (rest_body(model) if model is not None else None), None


def rest_body(model: Any) -> dict[str, Any]:
    """The resource as Azure's wire JSON. Hybrid models are mappings already; msrest ones (the authorization
    client's) serialize to wire keys with ``serialize(keep_readonly=True)`` (``as_dict`` would flatten them)."""
    serialize = getattr(model, "serialize", None)
    if not isinstance(model, Mapping) and callable(serialize):
        try:
            return dict(serialize(keep_readonly=True))
        except Exception:
            pass
    return ops.wire(model)


def read_plan(factory: ClientFactory, plan: Plan, *, adopt: Iterable[str] = (), journal_dir: Path | None = None,
              max_workers: int = 8) -> PlanDiff:
    """Read every planned resource and classify its PUT. Concurrent GETs; when the plan creates the resource
    group and it does not exist, nothing in it can exist either, so only the group is read."""
    read_at = time.time()
    ledger = Ledger.load(journal_dir)
    identity = plan_identity(plan)
    adopt = tuple(adopt)
    steps = plan.topological()
    reads: dict[str, tuple[dict[str, Any] | None, str | None]] = {}
    group = next((s for s in steps if s.key == "rg"), None)
    rest = steps
    if group is not None:
        _, body, error = _read(factory, group)
        reads[group.key] = (body, error)
        rest = [s for s in steps if s.key != "rg"]
        if body is None and error is None:
            rest_reads = {s.key: (None, None) for s in rest}
            reads.update(rest_reads)
            rest = []
    if rest:
        with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="azwizard-read") as pool:
            for step, body, error in pool.map(lambda s: _read(factory, s), rest):
                reads[step.key] = (body, error)
    pending = ledger.pending.get(plan.run_id, {})
    entries = []
    for step in steps:
        body, error = reads[step.key]
        owner = None
        if body is not None:
            owner = owner_of(step.resource_id, body, plan, identity, ledger, any(matches(step, a) for a in adopt),
                             step.kind)
        entry = classify(step, body, owner, readable=error is None, read_error=error or "")
        if step.patch_of and entry.action == "update" and owner is not None and owner.relation == "this-run":
            # the change is part of this run (an interrupted run's metrics not yet on): done without a yes
            from dataclasses import replace

            entry = replace(entry, action="create")
        url = pending.get(step.resource_id.lower())
        if url and entry.action in ("create", "update", "unchanged"):
            from dataclasses import replace

            entry = replace(entry, pending=url)
        entries.append(entry)
    return PlanDiff(tuple(entries), read_at=read_at)


def runs_since(identity: str, since: float, exclude_run: str, directory: Path | None = None) -> list[str]:
    """Other runs of the journey whose journal was written after ``since`` (a diff read before them is out of
    date: they may have made what it shows as absent)."""
    out = []
    for journal in list_runs(directory):
        if journal.run_id == exclude_run:
            continue
        try:
            if journal.path.stat().st_mtime <= since:
                continue
        except OSError:
            continue
        plan_ev = next((ev for ev in journal.events() if ev.get("event") == "plan"), None)
        if plan_ev is not None and str(plan_ev.get("identity") or "") == identity:
            out.append(journal.run_id)
    return out


# ---------------------------------------------------------------------------------------------------
# The diff as findings (what blocks, what needs a yes)

VM_FIELDS = {"rg": "names.resource_group", "nsg": "names.nsg", "pip4": "names.public_ipv4",
             "pip6": "names.public_ipv6", "natpip": "names.nat_public_ipv4", "nat": "names.nat_gateway",
             "vnet": "names.vnet", "nic": "names.nic", "vm": "names.vm", "vault": "names.vault",
             "backup": "backup.enabled"}
AKS_FIELDS = {"rg": "resource_group", "aks": "cluster_name", "acr": "acr.name", "acrpull": "acr.mode"}


def diff_findings(diff: PlanDiff, journey: str, *, allow_update: bool) -> list[Finding]:
    """Conflicts and unreadable resources block; updates of this journey's resources block until allowed
    (``--allow-update``, or the wizard's confirmation)."""
    fields = VM_FIELDS if journey == "vm" else AKS_FIELDS
    out: list[Finding] = []
    for e in diff.entries:
        where = fields.get(e.key, "")
        if e.action == "conflict":
            refused = ("; Azure refuses in place: " + "; ".join(e.refused)) if e.refused else ""
            out.append(Finding("plan-conflict", "block", f"{e.reason}{refused}. {e.fix}", where, SRC_PUT,
                               "Nothing is overwritten"))
        elif e.action == "unknown":
            out.append(Finding("plan-unreadable", "block", f"{e.label}: {e.reason}. {e.fix}", where, SRC_PUT,
                               "Every resource read first"))
        elif e.action == "update":
            changed = ", ".join(c.describe() for c in e.changes[:4]) + (" …" if len(e.changes) > 4 else "")
            who = e.owner.who() if e.owner is not None else "this journey"
            if e.adopted:  # adopting it was the explicit word
                out.append(Finding("plan-adopt", "warn", f"{e.label} is taken over on request and will be updated "
                                   f"and tagged for this run: {changed}.", where, SRC_PUT, "Adopted"))
            elif e.owner is not None and e.owner.relation == "this-run" and _ended_failed(e.current):
                # This run created it (journal and identity prove it) and Azure left it Failed: continuing the
                # run sends it again, as the failure's advice says ("run the command again"), without a yes.
                out.append(Finding("plan-resend", "warn", f"{e.label} was created by this run and Azure left it "
                                   f"Failed: it is sent again ({changed}).", where,
                                   "https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations#provisioningstate-values",
                                   "Failed resources of this run are re-sent"))
            elif allow_update:
                out.append(Finding("plan-update", "warn", f"{e.label} exists (made by {who}) and will be updated: "
                                   f"{changed}.", where, SRC_PUT, "Updates confirmed"))
            else:
                out.append(Finding("plan-update", "block", f"{e.label} exists (made by {who}) and the plan changes "
                                   f"it: {changed}. Pass --allow-update to apply the changes (in the wizard: "
                                   "confirm them on Create), or change the profile back.", where, SRC_PUT,
                                   "Updates need a yes"))
    return out


def _ended_failed(current: Mapping[str, Any] | None) -> bool:
    state = str(((current or {}).get("properties") or {}).get("provisioningState") or "")
    return state.lower() == "failed"


def superseded(findings: list[Finding], diff: PlanDiff | None) -> list[Finding]:
    """The rules' guesses about existing resources, once the diff knows better: the warning that an existing
    group's tags would be replaced, and "the registry name is taken" when it is taken by the planned registry
    itself (the diff says whether that one is this journey's or a conflict)."""
    if diff is None or not diff.read:
        return findings
    existing = {e.key for e in diff.entries if e.action not in ("create", "unknown")}
    out = []
    for f in findings:
        if "rg" in existing and f.rule_id.endswith("-resource-group-exists") and f.severity == "warn":
            continue
        if "acr" in existing and f.rule_id == "aks-name-acr" and "already taken" in f.message:
            continue
        out.append(f)
    return out


def entry_for(diff: PlanDiff | None, key: str) -> StepDiff | None:
    return diff.get(key) if diff is not None else None
