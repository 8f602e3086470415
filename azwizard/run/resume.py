"""Which run a new attempt continues. A run of the same journey (``preflight.plan_identity``) that did not
finish cleanly (killed, Ctrl+C, a failure) is continued: the same run id, creation time and random IPv6
prefix, so the resources it made are "this run's" and nothing is re-tagged or re-addressed. The journal's
``plan`` event keeps what that takes (``meta``)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .preflight import Ledger, RunRecord


@dataclass(frozen=True)
class Previous:
    """The journey's last run on this machine, and whether it is to be continued."""

    record: RunRecord
    interrupted: bool  # it did not finish cleanly: continue it (same run id)

    @property
    def run_id(self) -> str:
        return self.record.run_id

    @property
    def meta(self) -> Mapping[str, Any]:
        return self.record.meta

    @property
    def created_at(self) -> str:
        return str(self.meta.get("created_at") or "")

    @property
    def ipv6_space(self) -> str:
        return str(self.meta.get("ipv6_space") or "")


def previous_run(identity: str, directory: Path | None = None, ledger: Ledger | None = None) -> Previous | None:
    """The newest run of this journey (run ids sort by their UTC start time)."""
    ledger = ledger or Ledger.load(directory)
    runs = sorted((r for r in ledger.runs.values() if r.identity == identity), key=lambda r: r.run_id)
    if not runs:
        return None
    last = runs[-1]
    return Previous(last, interrupted=not last.finished_ok)


def interrupted_runs(directory: Path | None = None) -> list[Previous]:
    """Every journey whose newest run did not finish cleanly and can be resumed (its journal keeps the
    profile), newest first: what the wizard offers to resume on start. Not one another process is applying
    right now (run/lock.py): it is not interrupted, it is running."""
    from .lock import in_progress

    ledger = Ledger.load(directory)
    live = {run for run, state in ledger.made_by.values() if state != "deleted"}  # runs with something left
    out = []
    for identity in {r.identity for r in ledger.runs.values() if r.identity}:
        prev = previous_run(identity, ledger=ledger)
        if prev is not None and prev.interrupted and prev.meta.get("profile") and prev.run_id in live \
                and not in_progress(identity):
            out.append(prev)
    return sorted(out, key=lambda p: p.run_id, reverse=True)


def run_meta(kind: str, spec: Any, created_at: str, source: str = "") -> dict[str, Any]:
    """What the journal keeps so the run can be continued: the creation time, the random IPv6 prefix, and
    the spec as a profile (the wizard resumes from it)."""
    from ..profiles import dump_aks, dump_vm

    meta: dict[str, Any] = {"created_at": created_at, "source": source}
    if kind == "vm":
        meta["ipv6_space"] = spec.network.ipv6_space
    # a spec the profile writer cannot express: the run just cannot be resumed in the wizard
    with contextlib.suppress(Exception):
        meta["profile"] = dump_vm(spec) if kind == "vm" else dump_aks(spec)
    return meta


def _plan_of(kind: str, spec: Any, subscription_id: str, run_id: str, created_at: str) -> Any:
    from ..plan.aks import plan_aks
    from ..plan.vm import plan_vm

    planner: Any = plan_vm if kind == "vm" else plan_aks
    return planner(spec, subscription_id=subscription_id, run_id=run_id, created_at=created_at)


def journey_identity(kind: str, spec: Any, subscription_id: str) -> tuple[str, str]:
    """The plan identity (``preflight.plan_identity``) of the spec's journey, before a run id is chosen, and
    the name of its main resource (the VM, the cluster)."""
    from .preflight import MAIN_STEP, plan_identity

    probe = _plan_of(kind, spec, subscription_id, "probe", "")
    main = next((s.name for s in probe.steps if s.key == MAIN_STEP.get(kind)), "")
    return plan_identity(probe), main


def continue_spec(kind: str, spec: Any, subscription_id: str, *, explicit_ipv6: bool) -> tuple[Any, Any]:
    """(the spec, the journey's previous run or None). A VM whose IPv6 prefix the profile (or the wizard's
    user) leaves random gets the previous run's prefix, so the VNet is the same one and not re-addressed
    (a VNet with NICs cannot change its ranges in place: the plan would show a conflict)."""
    from .preflight import plan_identity

    probe = _plan_of(kind, spec, subscription_id, "probe", "")
    prev = previous_run(plan_identity(probe))
    if prev is not None and kind == "vm" and not explicit_ipv6 and prev.ipv6_space:
        spec = replace(spec, network=replace(spec.network, ipv6_space=prev.ipv6_space, subnet_ipv6=""))
    return spec, prev
