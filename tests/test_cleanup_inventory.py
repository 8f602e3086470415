"""The cleanup inventory against the simulator: journals + tags, state, age, cost, what belongs to what."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cleanup_helpers import foreign_nsg, make_cluster, make_vm_run, region_book

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import build_inventory, default_selection
from azwizard.journal import Journal
from azwizard.sim import ArmSim
from azwizard.sim.catalog import skus

NOW = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.timezone.utc)


def by_name(inv, name):  # type: ignore[no-untyped-def]
    matches = [it for it in inv.items if it.name == name]
    assert len(matches) == 1, [it.name for it in inv.items]
    return matches[0]


def test_inventory_shows_both_runs_with_state_costs_and_ages(sim: ArmSim, factory: ClientFactory,
                                                             tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    cluster_id = make_cluster(factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    book = region_book(factory)  # everything is in norwayeast: priced from its list prices

    assert inv.runs() == ["run-aks", "run-vm"]
    assert not inv.warnings and inv.locks_known
    runs = inv.by_run()
    assert {it.name for it in runs["run-vm"]} == {"Yolo-RG", "Yolo-NSG", "Yolo-IPv4", "Yolo-IPv6", "Yolo-VNet",
                                                  "Yolo-NIC", "Yolo-VM", "Yolo-VM-OsDisk"}
    aks_run = {it.name: it for it in runs["run-aks"]}
    [assignment] = [it for it in runs["run-aks"] if it.type == "Microsoft.Authorization/roleAssignments"]
    assert set(aks_run) == {"aks-rg", "aks1", "aks1acr", "MC_aks-rg_aks1_norwayeast", assignment.name}
    # the AcrPull assignment (journal only: role assignments carry no tags) goes with its registry
    assert assignment.source == "journal" and ("about", "AcrPull for AKS cluster aks1 (azwizard run run-aks)") in \
        assignment.details
    assert [c.resource_id for c in aks_run["aks1acr"].cascade] == [assignment.id]
    acr_cost = aks_run["aks1acr"].cost
    assert acr_cost is not None and (acr_cost.hourly or 0) * 24 == pytest.approx(book.acr_daily["Basic"])

    vm = by_name(inv, "Yolo-VM")
    assert (vm.state, vm.source, vm.journey, vm.location) == ("running", "both", "vm", "norwayeast")
    assert vm.age(NOW) == dt.timedelta(days=1)  # from the azwizard-created tag
    d2s = book.vm_hourly["standard_d2s_v5"]
    assert vm.cost is not None and vm.cost.hourly == d2s and vm.cost.monthly == pytest.approx(d2s * 730)
    used = inv.book_for(vm)
    assert used is not None and used.with_source("live") == book.with_source("live")  # the same prices
    assert vm.cost.currency == book.currency
    assert ("size", "Standard_D2s_v5") in vm.details
    # the implicitly created OS disk is azwizard's (found through its VM), priced by tier
    disk = by_name(inv, "Yolo-VM-OsDisk")
    assert (disk.source, disk.run_id, disk.managed_by) == ("attached", "run-vm", vm.id)
    assert disk.cost is not None and disk.cost.parts[0].label.startswith("disk E4")
    e4 = next(monthly for _, tier, monthly in book.disk_tiers["StandardSSD_LRS"] if tier == "E4")
    assert disk.cost.hourly == pytest.approx(e4 / 730)
    pip = by_name(inv, "Yolo-IPv4")
    assert pip.cost is not None and pip.cost.hourly == book.public_ip_hourly

    cluster = by_name(inv, "aks1")
    assert cluster.id.lower() == cluster_id.lower()
    assert (cluster.state, cluster.source) == ("Running", "both")
    assert cluster.age(NOW) == dt.timedelta(days=2)
    assert cluster.cost is not None and cluster.cost.known
    labels = [p.label for p in cluster.cost.parts]
    assert labels[0] == "AKS Standard tier" and cluster.cost.parts[0].hourly == book.aks_tier_hourly["Standard"]
    assert "3 × Standard_D2s_v5 nodes (nodepool1)" in labels
    assert cluster.cost.parts[labels.index("3 × Standard_D2s_v5 nodes (nodepool1)")].hourly == pytest.approx(3 * d2s)
    assert inv.prices_label() == used.label()
    # fetched now, or from the cache another test of this process left: either way the region's, dated
    assert used.label().startswith(f"list prices, norwayeast, {book.currency}, ")
    assert f"fetched {book.as_of}" in used.label() and used.source in ("live", "cache")
    # the MC_ group is shown under its cluster, with its contents, and is never deletable on its own
    mc = by_name(inv, "MC_aks-rg_aks1_norwayeast")
    assert mc.node_group_of == cluster.id and mc.managed_by and mc.source == "attached"
    assert len(mc.contents) >= 3 and all("/mc_aks-rg_aks1_norwayeast/" in c.lower() for c in mc.contents)
    assert [c.resource_id for c in cluster.cascade] == [mc.id]
    assert mc.id not in default_selection(inv)

    # references read from the bodies
    nic = by_name(inv, "Yolo-NIC")
    assert {u.rsplit("/", 1)[1] for u in nic.uses} == {"Yolo-VNet", "Yolo-IPv4", "Yolo-IPv6"}
    assert [u.rsplit("/", 1)[1] for u in nic.used_by] == ["Yolo-VM"]
    assert [c.resource_id.rsplit("/", 1)[1] for c in vm.cascade] == ["Yolo-VM-OsDisk", "Yolo-NIC"]
    assert [c.resource_id.rsplit("/", 1)[1] for c in vm.keeps] == ["Yolo-IPv4", "Yolo-IPv6"]

    # filters the screen offers
    assert {it.name for it in inv.filter(types=["Microsoft.Network/publicIPAddresses"])} == {"Yolo-IPv4", "Yolo-IPv6"}
    assert {it.name for it in inv.filter(group="aks-rg")} == {"aks-rg", "aks1", "aks1acr", assignment.name}
    assert {it.run_id for it in inv.filter(older_than=dt.timedelta(days=1, hours=12), now=NOW)} == {"run-aks"}


def test_tags_alone_list_the_same_resources_from_another_machine(sim: ArmSim, factory: ClientFactory,
                                                                 tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path / "here")
    here = build_inventory(factory, journal_dir=tmp_path / "here")
    elsewhere = build_inventory(factory, journal_dir=tmp_path / "empty")
    assert {it.key for it in elsewhere.items} == {it.key for it in here.items}
    assert {it.source for it in elsewhere.items} == {"tag", "attached"}
    assert by_name(elsewhere, "Yolo-VM").run_id == "run-vm"
    # listed, but tags alone are never ownership (issue 18): nothing is preselected from another machine
    vm = by_name(elsewhere, "Yolo-VM")
    assert vm.foreign and "another machine's azwizard run" in vm.note
    assert all(it.foreign for it in elsewhere.items) and default_selection(elsewhere) == set()
    assert default_selection(here) and not any(it.foreign for it in here.items)


def test_journal_entries_are_verified_and_gone_ones_shown_as_deleted(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    plan = make_vm_run(sim, factory, tmp_path)
    # deleted behind azwizard's back (the VM takes its NIC and OS disk along)
    factory.compute().virtual_machines.begin_delete("Yolo-RG", "Yolo-VM").result()
    # and a resource the journal shows sent, not yet answered (a run interrupted before the PUT's answer):
    # the PUT carried the run's tags, so it is the run's; one of that name without them is someone else's
    tags = dict(plan.step("nsg").body["tags"])
    half_made = factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "half-made-nsg", {"location": "norwayeast", "tags": tags}).result()
    untagged = factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "untagged-nsg", {"location": "norwayeast"}).result()
    for made in (half_made, untagged):
        Journal("run-vm", "vm", directory=tmp_path).record("requested", id=made.id,
                                                           kind="Microsoft.Network/networkSecurityGroups")
    inv = build_inventory(factory, journal_dir=tmp_path)
    vm = by_name(inv, "Yolo-VM")
    assert (vm.exists, vm.state, vm.source, vm.note) == (False, "deleted", "journal", "deleted outside azwizard")
    assert not by_name(inv, "Yolo-NIC").exists
    assert vm.id not in default_selection(inv)
    half = by_name(inv, "half-made-nsg")
    assert (half.exists, half.source, half.run_id, half.foreign) == (True, "both", "run-vm", False)
    other = by_name(inv, "untagged-nsg")
    assert other.foreign and "does not carry its tags" in other.note and other.id not in default_selection(inv)
    gets = [r.path for r in sim.requests if r.method == "GET" and r.path.endswith("/virtualMachines/Yolo-VM")]
    assert gets, "journal entries are verified with a GET"
    assert plan.step("vm").resource_id.lower() == vm.key


def test_untagged_resources_appear_only_when_asked_and_are_never_preselected(sim: ArmSim, factory: ClientFactory,
                                                                            tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    nsg_id = foreign_nsg(factory, "Yolo-RG")
    hidden = build_inventory(factory, journal_dir=tmp_path)
    assert hidden.get(nsg_id) is None
    assert nsg_id.lower() in {c.lower() for c in hidden.group_contents["yolo-rg"]}  # known, not shown

    shown = build_inventory(factory, journal_dir=tmp_path, include_untagged_in_groups={"yolo-rg"})
    nsg = shown.get(nsg_id)
    assert nsg is not None and nsg.foreign and nsg.source == "group" and nsg.run_id is None
    chosen = default_selection(shown)
    assert nsg_id not in chosen
    assert by_name(shown, "Yolo-RG").id not in chosen  # the group holds something not preselected
    assert by_name(shown, "Yolo-VM").id in chosen
    assert default_selection(shown, run_id="run-vm") == chosen


def test_a_deallocated_vm_costs_only_its_disks_and_ips(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    factory.compute().virtual_machines.begin_deallocate("Yolo-RG", "Yolo-VM").result()
    inv = build_inventory(factory, journal_dir=tmp_path)
    vm = by_name(inv, "Yolo-VM")
    assert vm.state == "deallocated"
    assert vm.cost is not None and vm.cost.hourly == 0.0
    assert "deallocated" in vm.cost.parts[0].note
    assert by_name(inv, "Yolo-VM-OsDisk").cost.hourly > 0  # type: ignore[union-attr]
    assert by_name(inv, "Yolo-IPv4").cost.hourly == region_book(factory).public_ip_hourly  # type: ignore[union-attr]


def test_an_unknown_size_is_reported_unknown_not_guessed(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    vm = sim.peek(f"{sim.group_id('Yolo-RG')}/providers/Microsoft.Compute/virtualMachines/Yolo-VM")
    assert vm is not None
    # a real size the region's price list does not carry (the simulator does not offer it there)
    book = region_book(factory)
    size = next(s.name for s in skus.vm_specs().values() if s.name.lower() not in book.vm_hourly)
    vm["properties"]["hardwareProfile"]["vmSize"] = size
    inv = build_inventory(factory, journal_dir=tmp_path)
    cost = by_name(inv, "Yolo-VM").cost
    assert cost is not None and cost.hourly is None and cost.monthly is None
    assert cost.describe() == f"unknown ({size} is not in the price list)"


def test_locks_and_backup_items_are_read_up_front(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from azwizard.specs.vm import BackupSpec

    make_vm_run(sim, factory, tmp_path, backup=BackupSpec(enabled=True))
    factory.locks().management_locks.create_or_update_at_resource_group_level(
        "Yolo-RG", "keep-me", {"level": "CanNotDelete", "notes": "shared demo"})
    inv = build_inventory(factory, journal_dir=tmp_path)
    assert [(lk.name, lk.level, lk.where) for lk in inv.locks] == [("keep-me", "CanNotDelete",
                                                                     "resource group 'Yolo-RG'")]
    vault = by_name(inv, "Yolo-RSV")
    assert [(p.friendly_name, p.soft_deleted) for p in vault.protected_items] == [("Yolo-VM", False)]
    instance = region_book(factory).backup_instance_monthly
    assert instance is not None  # one protected VM ≤ 50 GB: half the protected-instance price
    assert vault.cost is not None and vault.cost.monthly == pytest.approx(instance / 2)


def test_plan_cost_estimate_counts_vm_disks_and_ips() -> None:
    from azwizard.cleanup.costs import estimate_plan_steps, vm_hourly
    from azwizard.plan.vm import plan_vm
    from azwizard.specs.vm import VmSpec

    plan = plan_vm(VmSpec.for_base("Yolo", size="Standard_B2s", ssh_public_key="k"), subscription_id="s" * 8,
                   run_id="r", created_at="t")
    cost = estimate_plan_steps(plan.steps)
    assert cost.known
    vm = vm_hourly("Standard_B2s")
    assert vm is not None
    assert cost.hourly is not None and cost.hourly > vm  # plus two public IPs and the OS disk
    labels = " ".join(p.label for p in cost.parts).lower()
    assert "disk" in labels and "ip" in labels
