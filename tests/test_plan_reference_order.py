"""A step that sends a reference to a resource another step of the same plan creates or changes runs after that
step: NRP refuses a PUT of a subnet or a NIC while an NSG it references is still updating
(ReferencedResourceNotProvisioned, hashicorp/terraform#7986 and #7153), and a reference to a resource not made
yet is InvalidResourceReference. The runner starts every step whose dependencies are done at once, so only the
plan's dependencies keep such steps apart. Checked on the VM, AKS and add-IPv6 plans (the last once ran its NSG
updates beside the VNet's and failed when their PUTs overlapped)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from existing_helpers import connection
from test_export import make_plan
from test_plan_aks import dev, plan_of
from test_vm_add_ipv6_choices import make_two_nsgs

from azwizard.existing.ipv6 import Choices
from azwizard.existing.legacy import Legacy
from azwizard.existing.read import read_vm_network
from azwizard.headless.vm_existing import add_ipv6_review
from azwizard.plan.model import Plan
from azwizard.sim import ArmSim


@pytest.fixture(autouse=True)
def _own_journals(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path))


def referenced_ids(body: Any) -> Iterator[str]:
    if isinstance(body, Mapping):
        for key, value in body.items():
            if key == "id" and isinstance(value, str):
                yield value.lower()
            else:
                yield from referenced_ids(value)
    elif isinstance(body, list | tuple):
        for value in body:
            yield from referenced_ids(value)


def after(plan: Plan, key: str) -> set[str]:
    """Every step ``key`` waits for, directly or through others."""
    seen: set[str] = set()
    todo = list(plan.step(key).depends_on)
    while todo:
        k = todo.pop()
        if k not in seen:
            seen.add(k)
            todo.extend(plan.step(k).depends_on)
    return seen


def unordered_references(plan: Plan) -> list[tuple[str, str]]:
    """(step, the step whose resource it references) pairs the runner may run at the same time."""
    by_id = {s.resource_id.lower(): s.key for s in plan.steps}
    bad = []
    for s in plan.steps:
        for ref in set(referenced_ids(s.body)):
            # a reference to a child (a subnet) counts for its parent's step (the VNet's)
            owner = next((k for rid, k in by_id.items() if ref == rid or ref.startswith(rid + "/")), None)
            if owner is not None and owner != s.key and owner not in after(plan, s.key):
                bad.append((s.key, owner))
    return bad


def test_the_nsg_updates_of_add_ipv6_run_before_the_vnet_and_nic_that_reference_them() -> None:
    sim = ArmSim()
    conn = connection(sim)
    make_two_nsgs(sim, conn)
    L = Legacy()
    net = read_vm_network(conn.session.factory, sim.subscription_id, L.group, L.vm)
    review, _ = add_ipv6_review(conn, net, Choices("", "2001:db8:a::/48"))
    plan = review.plan
    nsg_steps = [s.key for s in plan.steps if s.kind == "Microsoft.Network/networkSecurityGroups"]
    assert len(nsg_steps) == 2  # the subnet's NSG and the NIC's: both get companion rules
    assert unordered_references(plan) == []
    assert set(nsg_steps) <= after(plan, "vnet") and set(nsg_steps) <= after(plan, "nic")
    assert plan.steps[-1].key == "nic"  # still the plan's last step (its identity: existing/ipv6.py)


def test_vm_and_aks_plans_order_every_reference() -> None:
    assert unordered_references(make_plan()) == []
    assert unordered_references(plan_of(dev())) == []
