"""The dry run: order, cascades, whole groups, and a property test over random inventories and selections."""

from __future__ import annotations

from pathlib import Path

import pytest
from cleanup_helpers import make_cluster, make_vm_run, region_book
from hypothesis import given, settings
from hypothesis import strategies as st

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import (
    Cascade,
    Inventory,
    InventoryItem,
    Lock,
    build_inventory,
    default_selection,
    plan_deletion,
)
from azwizard.cleanup.model import key
from azwizard.cleanup.order import DeletionPlan
from azwizard.sim import ArmSim

SUB = "00000000-0000-0000-0000-000000000000"


def names(ops) -> list[str]:  # type: ignore[no-untyped-def]
    return [op.name for op in ops]


def test_dry_run_of_a_vm_set_shows_the_order_and_what_goes_with_the_vm(sim: ArmSim, factory: ClientFactory,
                                                                       tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, default_selection(inv, run_id="run-vm"))
    assert not plan.blockers and not plan.held_back
    # VM (with its NIC and OS disk) → its public IPs and the VNet → the subnet's NSG → the emptied group
    assert [sorted(names(w)) for w in plan.waves()] == [
        ["Yolo-VM"], ["Yolo-IPv4", "Yolo-IPv6", "Yolo-VNet"], ["Yolo-NSG"], ["Yolo-RG"]]
    vm = plan.op(inv.items[[it.name for it in inv.items].index("Yolo-VM")].id)
    assert [(c.resource_id.rsplit("/", 1)[1], c.reason) for c in vm.with_it] == [
        ("Yolo-VM-OsDisk", "OS disk, deleteOption Delete: deleted with the VM"),
        ("Yolo-NIC", "network interface, deleteOption Delete: deleted with the VM")]
    assert sorted(f.rsplit("/", 1)[1] for f in vm.folded) == ["Yolo-NIC", "Yolo-VM-OsDisk"]  # selected, not sent twice
    assert [c.resource_id.rsplit("/", 1)[1] for c in vm.keeps] == ["Yolo-IPv4", "Yolo-IPv6"]
    assert not any(op.whole_group for op in plan.ops)
    text = "\n".join(plan.describe())
    assert "1. delete Virtual machine Yolo-VM" in text and "with it: Yolo-NIC" in text
    # what stops being billed, from norwayeast's list prices: the VM, its two Standard public IPs, its E4 OS disk
    book = region_book(factory)
    e4 = next(monthly for _, tier, monthly in book.disk_tiers["StandardSSD_LRS"] if tier == "E4")
    assert book.public_ip_hourly is not None
    expected = book.vm_hourly["standard_d2s_v5"] + 2 * book.public_ip_hourly + e4 / 730
    assert plan.cost().known and plan.cost().known_hourly == pytest.approx(expected)


def test_a_vm_alone_takes_only_its_own_cascade_and_says_what_it_leaves(sim: ArmSim, factory: ClientFactory,
                                                                       tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    vm = next(it for it in inv.items if it.name == "Yolo-VM")
    plan = plan_deletion(inv, {vm.id})
    assert names(plan.ops) == ["Yolo-VM"]
    assert {key(m) for m in plan.ops[0].members} == {vm.key} | {key(c.resource_id) for c in vm.cascade}
    assert any("leaves Yolo-IPv4 behind" in w for w in plan.warnings)


def test_whole_group_is_one_operation_with_its_contents_listed(sim: ArmSim, factory: ClientFactory,
                                                               tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    make_cluster(factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, set(), whole_groups={"Yolo-RG", "aks-rg"})
    assert sorted(names(plan.ops)) == ["Yolo-RG", "aks-rg"] and all(op.whole_group for op in plan.ops)
    yolo = next(op for op in plan.ops if op.name == "Yolo-RG")
    assert {c.resource_id.rsplit("/", 1)[1] for c in yolo.with_it} == {
        "Yolo-NSG", "Yolo-IPv4", "Yolo-IPv6", "Yolo-VNet", "Yolo-NIC", "Yolo-VM", "Yolo-VM-OsDisk"}
    aks = next(op for op in plan.ops if op.name == "aks-rg")
    listed = {c.resource_id.rsplit("/", 1)[1] for c in aks.with_it}
    assert {"aks1", "MC_aks-rg_aks1_norwayeast"} <= listed and len(listed) > 3  # and the MC_ group's contents


# ------------------------------------------------------------------------------------------ property test
#
# Inventories as data: resources in a few groups with references between them drawn as a random DAG
# (a resource only uses resources of a higher level), some references kept as back references on the used
# side (as Azure reports them), VM-like cascades, foreign and already-gone resources, hidden resources in
# the groups, an AKS-style node group, and locks. Selections and whole groups are random.

KINDS = ["Microsoft.Compute/virtualMachines", "Microsoft.Network/networkInterfaces",
         "Microsoft.Network/virtualNetworks", "Microsoft.Network/publicIPAddresses",
         "Microsoft.Network/networkSecurityGroups", "Microsoft.RecoveryServices/vaults",
         "Microsoft.Compute/disks", "Microsoft.Network/natGateways"]
GROUPS = ["rg-a", "rg-b", "rg-c"]


def rid(group: str, kind: str, name: str) -> str:
    return f"/subscriptions/{SUB}/resourceGroups/{group}/providers/{kind}/{name}"


def gid(group: str) -> str:
    return f"/subscriptions/{SUB}/resourceGroups/{group}"


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Inventory, set[str], set[str], dict[str, set[str]], dict[str, set[str]]]:
    n = draw(st.integers(min_value=1, max_value=12))
    res = []
    for i in range(n):
        kind = draw(st.sampled_from(KINDS))
        res.append({"id": rid(draw(st.sampled_from(GROUPS)), kind, f"r{i}"), "type": kind,
                    "level": draw(st.integers(0, 4)), "foreign": draw(st.integers(0, 5)) == 0,
                    "exists": draw(st.integers(0, 9)) > 0, "uses": [], "used_by": [], "cascade": []})
    hidden = [rid(g, "Microsoft.Network/networkSecurityGroups", f"hidden-{g}")
              for g in GROUPS if draw(st.booleans()) and draw(st.booleans())]
    users: dict[str, set[str]] = {}  # the truth the plan must respect: key(used) → keys of its users
    for a in res:
        for b in res:
            odds = 1 if a["type"].endswith("virtualMachines") else 3  # VMs use most (NICs, disks)
            if b["level"] > a["level"] and draw(st.integers(0, odds)) == 0:
                side = draw(st.booleans()) or not a["exists"]  # Azure reports only live users
                (a["uses"] if side else b["used_by"]).append(b["id"] if side else a["id"])
                if a["exists"] and b["exists"]:
                    users.setdefault(key(b["id"]), set()).add(key(a["id"]))
                if a["type"].endswith("virtualMachines") and draw(st.booleans()):  # deleteOption Delete
                    a["cascade"].append(Cascade(b["id"], b["type"], "deleted with the VM"))
    for h in hidden:  # something not shown uses a shown resource (Azure's back reference)
        live = [r for r in res if r["exists"]]
        if live and draw(st.booleans()):
            target = draw(st.sampled_from(live))
            target["used_by"].append(h)
            users.setdefault(key(target["id"]), set()).add(key(h))
    items = [InventoryItem(r["id"], r["type"], r["id"].rsplit("/", 1)[1], r["id"].split("/")[4],
                           exists=r["exists"], foreign=r["foreign"], uses=tuple(r["uses"]),
                           used_by=tuple(r["used_by"]), cascade=tuple(r["cascade"])) for r in res]
    contents: dict[str, tuple[str, ...]] = {}
    for g in GROUPS:
        ids = tuple([it.id for it in items if it.resource_group == g and it.exists] + [h for h in hidden if f"/{g}/" in h])
        contents[g] = ids
    for g in GROUPS:
        if draw(st.booleans()):
            items.append(InventoryItem(gid(g), "Microsoft.Resources/resourceGroups", g, g, contents=contents[g]))
    node_group = None
    if draw(st.booleans()):
        node_group = gid("MC_rg-a_aks_norwayeast")
        items.append(InventoryItem(node_group, "Microsoft.Resources/resourceGroups", "MC_rg-a_aks_norwayeast",
                                   "MC_rg-a_aks_norwayeast", node_group_of=rid("rg-a", KINDS[0], "aks"),
                                   source="attached"))
    lockable = [it.id for it in items if it.exists]  # Azure deletes a lock with its resource
    locks: tuple[Lock, ...] = ()
    if lockable and draw(st.integers(0, 3)) == 0:
        target = draw(st.sampled_from(lockable))
        locks = (Lock(f"{target}/providers/Microsoft.Authorization/locks/l0", "l0", "CanNotDelete"),)
    inv = Inventory(tuple(items), SUB, locks=locks, group_contents=contents)
    pool = [it.id for it in items] + ([rid("rg-a", KINDS[0], "not-in-inventory")] if draw(st.booleans()) else [])
    selection = set(draw(st.lists(st.sampled_from(pool), max_size=len(pool))))
    if draw(st.booleans()):  # often a selection that takes its users along (as a whole run would)
        by_key = {it.key: it.id for it in items}
        frontier = {key(x) for x in selection}
        while frontier:
            more = {u for k in frontier for u in users.get(k, set()) if u in by_key} - {key(x) for x in selection}
            selection |= {by_key[u] for u in more}
            frontier = more
    groups = [g for g in GROUPS if any(it.is_group and it.name == g for it in items)]
    whole = set(draw(st.lists(st.sampled_from(groups + ["MC_rg-a_aks_norwayeast", "rg-x"]), max_size=2)))
    return inv, selection, whole, users, contents


def allowed_ids(inv: Inventory, selection: set[str], whole: set[str]) -> set[str]:
    """The selection, what it cascades, and whole groups with everything in them (and their cascades)."""
    items = {it.key: it for it in inv.items}
    out = {key(s) for s in selection}
    for g in whole:
        out.add(key(gid(g)))
        out |= {key(c) for c in inv.group_contents.get(g.lower(), ())}
    frontier = set(out)
    while frontier:
        nxt = set()
        for k in frontier:
            it = items.get(k)
            if it is None:
                continue
            nxt |= {key(c.resource_id) for c in it.cascade} | {key(c) for c in it.contents}
        frontier = nxt - out
        out |= frontier
    return out


def check_plan(inv: Inventory, selection: set[str], whole: set[str], users: dict[str, set[str]],
               plan: DeletionPlan) -> None:
    items = {it.key: it for it in inv.items}
    deleted = plan.deleted_ids()
    # 1. nothing outside the selection (plus documented cascades and whole groups' contents)
    assert deleted <= allowed_ids(inv, selection, whole)
    # 2. a resource azwizard did not create goes only if explicitly selected
    for op in plan.ops:
        for m in op.members:
            it = items.get(key(m))
            if it is None or it.foreign:
                assert key(m) in {key(s) for s in selection}, m
        assert items[op.key].node_group_of is None  # never an MC_ group on its own
    # 3. the order never violates a dependency: users go first
    position = {key(m): i for i, op in enumerate(plan.ops) for m in op.members}
    for used, who in users.items():
        for user in who:
            if used in position and user in position and position[user] != position[used]:
                assert position[user] < position[used], (user, used)
    for i, op in enumerate(plan.ops):
        assert all(position[a] < i for a in op.after)
    # 4. never asks Azure to delete something a remaining resource still uses, nor anything locked
    for m in deleted:
        assert users.get(m, set()) <= deleted, m
        assert not any(lock.covers(m) for lock in inv.locks), m
    # 5. every selected resource is accounted for
    accounted = deleted | plan.blocked_ids() | {key(g) for g in plan.already_gone}
    for s in selection:
        assert key(s) in accounted, s


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_plans_stay_inside_the_selection_and_respect_every_dependency(scenario) -> None:  # type: ignore[no-untyped-def]
    inv, selection, whole, users, _contents = scenario
    plan = plan_deletion(inv, selection, whole_groups=whole)
    check_plan(inv, selection, whole, users, plan)


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_default_selection_never_preselects_foreign_or_node_groups(scenario) -> None:  # type: ignore[no-untyped-def]
    inv = scenario[0]
    chosen = {key(s) for s in default_selection(inv)}
    for it in inv.items:
        if it.foreign or it.node_group_of is not None or not it.exists:
            assert it.key not in chosen
    plan = plan_deletion(inv, default_selection(inv))
    check_plan(inv, default_selection(inv), set(), scenario[3], plan)
