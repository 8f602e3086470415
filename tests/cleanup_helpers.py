"""Shared set-up for the cleanup tests: a VM set and an AKS cluster created through the engine (plan_vm /
plan_aks + Runner, as the journeys do)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.aks import plan_aks
from azwizard.plan.model import Plan
from azwizard.plan.vm import plan_vm
from azwizard.pricing import PriceBook, price_book
from azwizard.run import Runner
from azwizard.sim import ArmSim
from azwizard.specs.aks import AcrSpec, preset_dev_dual_stack
from azwizard.specs.vm import VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
LOCATION = "norwayeast"


def make_vm_run(sim: ArmSim, factory: ClientFactory, journal_dir: Path, *, run_id: str = "run-vm",
                base: str = "Yolo", created_at: str = "2026-11-25T03:00:00Z", **changes: Any) -> Plan:
    spec = VmSpec.for_base(base, ssh_public_key=KEY, size="Standard_D2s_v5", **changes)
    plan = plan_vm(spec, subscription_id=sim.subscription_id, run_id=run_id, created_at=created_at)
    result = Runner(factory, Journal(run_id, "vm", directory=journal_dir), poll_interval=0.01).run(plan)
    assert result.ok, result.errors
    return plan


def make_cluster(factory: ClientFactory, journal_dir: Path, *, run_id: str = "run-aks", rg: str = "aks-rg",
                 name: str = "aks1", created_at: str = "2026-11-24T03:00:00Z") -> str:
    """A cluster through the AKS journey's engine (plan_aks + Runner): standard tier, 3 × D2s_v5, a Basic
    registry with AcrPull for the kubelet identity. Returns the cluster's id."""
    spec = replace(preset_dev_dual_stack(name), resource_group=rg, tier="standard",
                   acr=AcrSpec(mode="create", name=f"{name}acr"))
    plan = plan_aks(spec, subscription_id=factory.subscription_id, run_id=run_id, created_at=created_at)
    result = Runner(factory, Journal(run_id, "aks", directory=journal_dir), poll_interval=0.01).run(plan)
    assert result.ok, result.errors
    return plan.step("aks").resource_id


def foreign_nsg(factory: ClientFactory, rg: str, name: str = "someone-elses-nsg") -> str:
    """A resource azwizard did not create (no tags, no journal), in one of its groups."""
    return str(factory.network().network_security_groups.begin_create_or_update(
        rg, name, {"location": LOCATION}).result().id)


def ids_in(sim: ArmSim) -> set[str]:
    """Every top-level resource and group the simulator holds (lower-cased ids)."""
    out = set()
    for k, body in sim.resources.items():
        parts = [p for p in k.split("/") if p]
        if len(parts) == 4 or (len(parts) == 8 and parts[4] == "providers"):
            out.add(str(body.get("id", k)).lower())
    return out


def deletes(sim: ArmSim, fragment: str = "") -> list[str]:
    return [r.path for r in sim.requests if r.method == "DELETE" and fragment.lower() in r.path.lower()]


def region_book(factory: ClientFactory, region: str = LOCATION) -> PriceBook:
    """The simulator's list prices for ``region`` as azwizard reads them (the Retail Prices endpoint, or the
    cache it left): what cleanup's estimates must come from. Never the dated table."""
    book = price_book(region, transport=factory.transport)
    assert book.region == region and not book.is_fallback, book.label()
    return book
