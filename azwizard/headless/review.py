"""The review, headless: a spec's findings and plan, rendered as text, JSON, an ``az`` script or an ARM
template. It is the TUI's review (``screens/review.py``) without the screen: the same findings from the
same rules and facts, the same plan steps in the same order, the same exports."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..exitcodes import EXIT_FINDINGS, EXIT_OK
from .common import Connection, adjust_zones, aks_facts, vm_facts

if TYPE_CHECKING:
    from ..plan.diff import PlanDiff
    from ..plan.model import Plan, Step
    from ..pricing import PriceBook
    from ..rules.model import Finding
    from ..run.attempt import Attempt
    from ..specs.aks import AksSpec
    from ..specs.vm import VmSpec

Format = Literal["text", "json", "az", "arm", "profile"]
FORMATS = ("text", "json", "az", "arm", "profile")
ICONS = {"block": "✖", "warn": "▲", "info": "ℹ"}


@dataclass
class Review:
    journey: str  # "vm" | "aks"
    spec: Any
    findings: list[Finding]
    plan: Plan
    created_at: str
    subscription_label: str = ""
    source: str = ""  # the profile or the az command it came from
    import_unknown: tuple[str, ...] = ()  # az flags not understood (check)
    import_notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    diff: PlanDiff | None = None  # what each PUT would do to what exists (headless/existing.py)
    resumed: str = ""  # the interrupted run this attempt continues
    meta: dict[str, Any] = field(default_factory=dict)  # for the journal: what a resume needs
    prices: PriceBook | None = None  # the region's list prices: the plan's estimate (azwizard/pricing)

    @property
    def attempt(self) -> Attempt:
        """The attempt this review plans (the same dataclass the wizard keeps on its journey)."""
        from ..run.attempt import Attempt

        return Attempt(self.plan.run_id, self.created_at, self.plan, self.diff, meta=dict(self.meta),
                       resumed=self.resumed)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "block"]

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.blocking else EXIT_OK


def new_run() -> tuple[str, str]:
    """A run id and creation time, as the review screen makes them (screens/review.py plan_for)."""
    from ..specs.common import new_run_id

    return new_run_id(), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def review_vm(conn: Connection, spec: VmSpec, *, zones_from_region: bool = False, source: str = "",
              run: tuple[str, str] | None = None) -> Review:
    from ..plan.vm import plan_vm
    from ..rules.vm import check_vm

    facts = vm_facts(conn, spec)
    if zones_from_region:
        spec = adjust_zones(spec, facts)
    run_id, created_at = run or new_run()
    findings = check_vm(spec, facts)
    plan = plan_vm(spec, subscription_id=conn.subscription_id, run_id=run_id, created_at=created_at)
    return Review("vm", spec, findings, plan, created_at, conn.label(), source, prices=prices_for(conn, plan))


def review_aks(conn: Connection, spec: AksSpec, *, source: str = "", run: tuple[str, str] | None = None) -> Review:
    from ..plan.aks import plan_aks
    from ..rules.aks import check_aks

    facts = aks_facts(conn, spec)
    run_id, created_at = run or new_run()
    findings = check_aks(spec, facts)
    plan = plan_aks(spec, subscription_id=conn.subscription_id, run_id=run_id, created_at=created_at)
    return Review("aks", spec, findings, plan, created_at, conn.label(), source, prices=prices_for(conn, plan))


def prices_for(conn: Connection, plan: Plan) -> PriceBook:
    """The plan's region's list prices: through the session's transport (the simulator with --demo), honouring
    the cloud; offline, the cache or the marked table. Never raises (pricing/store.py)."""
    from ..pricing import price_book

    session = conn.session
    if session is None:
        return price_book(plan.location, offline=True, simulated=False)
    return price_book(plan.location, transport=session.factory.transport, cloud=session.cloud)


# ---------------------------------------------------------------------------------------------------
# Rendering


def step_dict(step: Step, body: Any = None) -> dict[str, Any]:
    """One step; ``body`` is the exact body the PUT sends when the diff has one (an existing resource: what was
    read with the planned changes, plan/diff.py), else the plan's own."""
    return {
        "key": step.key, "kind": step.kind, "name": step.name, "label": step.label,
        "resource_id": step.resource_id, "depends_on": list(step.depends_on), "api_version": step.api_version,
        "summary": [[k, v] for k, v in step.summary], "body": step.body if body is None else body,
        # a change to the resource step ``patch_of`` made: ``body`` holds only the change, merged over the resource
        # as read when the step runs (read-modify-write with If-Match)
        **({"patch_of": step.patch_of} if step.patch_of else {}),
    }


def plan_dict(plan: Plan, diff: PlanDiff | None = None) -> dict[str, Any]:
    """The plan as the review lists it: every step in dependency order, with its exact request body (for a
    resource that exists, the body the diff computed over what was read)."""
    entries = diff.by_key() if diff is not None else {}
    return {
        "journey": plan.journey, "run_id": plan.run_id, "subscription_id": plan.subscription_id,
        "location": plan.location, "notes": list(plan.notes),
        "steps": [step_dict(s, getattr(entries.get(s.key), "body", None)) for s in plan.topological()],
    }


def review_dict(r: Review) -> dict[str, Any]:
    out: dict[str, Any] = {
        "journey": r.journey,
        "source": r.source,
        "subscription": r.subscription_label,
        "created_at": r.created_at,
        "verdict": "blocked" if r.blocking else "ready",
        "findings": [f.to_dict() for f in r.findings],
        "plan": plan_dict(r.plan, r.diff),
    }
    if r.prices is not None:
        from ..pricing.estimate import plan_estimate

        out["estimate"] = plan_estimate(r.plan.steps, r.prices)
    if r.diff is not None:
        out["diff"] = r.diff.to_dict()
    if r.resumed:
        out["resumed_run"] = r.resumed
    if r.import_unknown or r.import_notes:
        out["import"] = {"unknown": list(r.import_unknown), "notes": list(r.import_notes)}
    return out


def render(r: Review, fmt: Format) -> str:
    if fmt == "json":
        return json.dumps(review_dict(r), indent=2, ensure_ascii=False) + "\n"
    if fmt == "az":
        from ..plan.exports import az_script

        return az_script(r.plan)
    if fmt == "profile":
        from ..profiles import dump_aks, dump_vm

        return dump_vm(r.spec) if r.journey == "vm" else dump_aks(r.spec)
    if fmt == "arm":
        from ..plan.exports import arm_template_json

        text = arm_template_json(r.plan)
        return text if text.endswith("\n") else text + "\n"
    return render_text(r)


def render_findings(findings: list[Finding]) -> list[str]:
    if not findings:
        return ["  ✓ No findings: every check passed."]
    lines = []
    for f in findings:
        lines.append(f"  {ICONS[f.severity]} {f.severity:<5} {f.message}")
        where = f"field {f.field} · " if f.field else ""
        lines.append(f"          [{f.rule_id}] {where}{f.source}")
    return lines


def render_text(r: Review) -> str:
    what = {"vm": "VM", "aks": "AKS cluster"}[r.journey]
    lines = [f"azwizard {r.journey}: {what} plan, run {r.plan.run_id}", f"  subscription: {r.subscription_label}"]
    if r.source:
        lines.append(f"  from: {r.source}")
    if r.import_unknown or r.import_notes:
        lines += ["", "Reading the az command:"]
        lines += [f"  ▲ {u}" for u in r.import_unknown]
        lines += [f"  ℹ {n}" for n in r.import_notes]
    lines += ["", f"Findings ({len(r.findings)}):"]
    lines += render_findings(r.findings)
    lines += render_diff(r)
    steps = r.plan.topological()
    lines += ["", f"Resources ({len(steps)}), in the order they are created:"]
    for s in steps:
        lines.append(f"  {s.label}  ({s.kind})")
        lines += [f"      {k}: {v}" for k, v in s.summary]
    lines += [f"  note: {n}" for n in r.plan.notes]
    lines.append(f"  Every resource is tagged created-by=azwizard and azwizard-run={r.plan.run_id}.")
    if r.prices is not None:
        from ..pricing.estimate import estimate_lines

        lines += ["", "Estimated cost per month while it exists:"]
        lines += estimate_lines(r.plan.steps, r.prices)
    lines.append("")
    if r.blocking:
        lines.append(f"✖ {len(r.blocking)} blocking finding(s): fix them first; nothing can be created until then.")
    elif nothing_to_do(r):
        lines.append("✓ Nothing to change: every resource already exists as planned.")
    else:
        warns = sum(1 for f in r.findings if f.severity == "warn")
        lines.append(f"✓ Ready to create. {warns} warning(s) to read first.")
    return "\n".join(lines) + "\n"


def nothing_to_do(r: Review) -> bool:
    """Every resource already exists as planned (and no interrupted run is waiting to be closed)."""
    return (r.diff is not None and r.diff.read and not r.resumed
            and all(e.action == "unchanged" and not e.pending for e in r.diff.entries))


def render_diff(r: Review) -> list[str]:
    """What each PUT would do, like ``terraform plan``: + create, = unchanged, ~ update, ! conflict."""
    if r.diff is None:
        return []
    lines = ["", "What each PUT would do (+ create, = unchanged, ~ update, ! conflict, ? could not be read):"]
    if r.resumed:
        lines.append(f"  Continuing interrupted run {r.resumed}: what it made is kept, operations still in flight "
                     "are polled, not sent again.")
    lines += r.diff.lines()
    lines += [f"  note: {n}" for n in r.diff.notes]
    return lines
