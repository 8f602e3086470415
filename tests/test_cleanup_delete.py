"""Deleting through the real SDK against the simulator: exactly the selection goes, faults are retried or
reported, the journal stays true, whole groups need their name typed, AKS stop/start."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from cleanup_helpers import deletes, foreign_nsg, ids_in, make_cluster, make_vm_run

from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import ClientFactory
from azwizard.cleanup import (
    AKS_STOP_START_ADVICE,
    ConfirmationRequired,
    DeleteEvent,
    Deleter,
    GroupConfirmationRequired,
    JournalBook,
    build_inventory,
    default_selection,
    plan_deletion,
    start_cluster,
    stop_cluster,
)
from azwizard.cleanup.model import Inventory, InventoryItem, key
from azwizard.journal import Journal
from azwizard.sim import ArmSim
from azwizard.sim.wire import ArmRequest, ArmResponse


def item(inv: Inventory, name: str) -> InventoryItem:
    return next(it for it in inv.items if it.name == name)


def deleter(factory: ClientFactory, tmp_path: Path, events: list[DeleteEvent] | None = None,
            **kw: object) -> Deleter:
    return Deleter(factory, JournalBook(tmp_path), events.append if events is not None else None,
                   poll_interval=0.01, retry_delay=0, **kw)  # type: ignore[arg-type]


def rid(sim: ArmSim, rg: str, kind: str, name: str) -> str:
    return f"{sim.group_id(rg)}/providers/{kind}/{name}".lower()


def test_deleting_a_selection_removes_exactly_it_and_journals_it(sim: ArmSim, factory: ClientFactory,
                                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 ) -> None:
    make_vm_run(sim, factory, tmp_path)
    make_vm_run(sim, factory, tmp_path, run_id="run-2", base="Other")
    make_cluster(factory, tmp_path)
    foreign_nsg(factory, "Yolo-RG")
    before = ids_in(sim)
    inv = build_inventory(factory, journal_dir=tmp_path)
    selection = {item(inv, n).id for n in ("Yolo-VM", "Yolo-IPv4", "Yolo-IPv6", "aks1")}
    plan = plan_deletion(inv, selection)
    assert not plan.blockers and sorted(op.name for op in plan.ops) == ["Yolo-IPv4", "Yolo-IPv6", "Yolo-VM", "aks1"]

    # Independent deletions run concurrently: the VM's and the cluster's DELETEs each wait at a barrier for the
    # other, so run one after the other they would break it (and fail the deletion); no timing involved.
    meet = threading.Barrier(2, timeout=30)
    handle = sim.handle

    def meeting(req: ArmRequest) -> ArmResponse:
        if req.method == "DELETE" and req.path.lower().endswith(("/virtualmachines/yolo-vm", "/managedclusters/aks1")):
            meet.wait()
        return handle(req)

    monkeypatch.setattr(sim, "handle", meeting)
    events: list[DeleteEvent] = []
    result = deleter(factory, tmp_path, events).run(plan, confirm=plan.confirmation())
    assert result.ok, result.report()
    assert not meet.broken

    mc = sim.group_id("MC_aks-rg_aks1_norwayeast").lower()
    gone = {rid(sim, "Yolo-RG", "Microsoft.Compute/virtualMachines", "Yolo-VM"),
            rid(sim, "Yolo-RG", "Microsoft.Network/networkInterfaces", "Yolo-NIC"),
            rid(sim, "Yolo-RG", "Microsoft.Compute/disks", "Yolo-VM-OsDisk"),
            rid(sim, "Yolo-RG", "Microsoft.Network/publicIPAddresses", "Yolo-IPv4"),
            rid(sim, "Yolo-RG", "Microsoft.Network/publicIPAddresses", "Yolo-IPv6"),
            rid(sim, "aks-rg", "Microsoft.ContainerService/managedClusters", "aks1"), mc}
    gone |= {i for i in before if i.startswith(mc + "/")}  # the node resource group's contents
    assert ids_in(sim) == before - gone  # everything else untouched, the foreign NSG included
    assert {key(r) for r in result.deleted} == gone - {i for i in before if i.startswith(mc + "/")}
    # one DELETE per operation: the NIC, disk and MC_ group went with their owners
    assert len(deletes(sim)) == 4

    # the journals say what happened, in each resource's own run
    vm_states = Journal("run-vm", directory=tmp_path).resources()
    for name in ("Yolo-VM", "Yolo-NIC", "Yolo-IPv4", "Yolo-IPv6"):
        kind = {"Yolo-VM": "Microsoft.Compute/virtualMachines", "Yolo-NIC": "Microsoft.Network/networkInterfaces"}.get(
            name, "Microsoft.Network/publicIPAddresses")
        assert vm_states[rid(sim, "Yolo-RG", kind, name)].state == "deleted", name
    assert vm_states[rid(sim, "Yolo-RG", "Microsoft.Network/virtualNetworks", "Yolo-VNet")].state == "created"
    nic_event = vm_states[rid(sim, "Yolo-RG", "Microsoft.Network/networkInterfaces", "Yolo-NIC")]
    assert nic_event.detail["via"].endswith("/Yolo-VM")
    aks_states = Journal("run-aks", directory=tmp_path).resources()
    assert aks_states[rid(sim, "aks-rg", "Microsoft.ContainerService/managedClusters", "aks1")].state == "deleted"
    assert aks_states[mc].state == "deleted"
    assert Journal("run-2", directory=tmp_path).events().__next__()["event"] == "plan"  # run 2 untouched

    # independent deletions ran concurrently (both sent before either came back); each was verified
    order = [(e.resource_id.rsplit("/", 1)[1], e.state) for e in events]
    first_done = next(i for i, (_, s) in enumerate(order) if s == "deleted")
    assert {"Yolo-VM", "aks1"} <= {n for n, s in order[:first_done] if s == "deleting"}
    assert all((n, "verifying") in order for n in ("Yolo-VM", "aks1", "Yolo-IPv4"))
    assert order.index(("Yolo-IPv4", "deleting")) > order.index(("Yolo-VM", "deleted"))  # after the NIC went


def test_a_whole_run_goes_including_its_emptied_group(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    make_vm_run(sim, factory, tmp_path, run_id="run-2", base="Other")
    before = ids_in(sim)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, default_selection(inv, run_id="run-2"))
    result = deleter(factory, tmp_path).run(plan, confirm=plan.confirmation())
    assert result.ok, result.report()
    assert ids_in(sim) == {i for i in before if "/resourcegroups/other-rg" not in i}
    assert deletes(sim)[-1].lower().endswith("/resourcegroups/other-rg")  # the group last, once empty
    again = plan_deletion(build_inventory(factory, journal_dir=tmp_path), default_selection(inv, run_id="run-2"))
    assert not again.ops and len(again.already_gone) == len(default_selection(inv, run_id="run-2"))


def test_faults_mid_delete_are_retried(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    sim.faults.server_error("DELETE", r"/publicIPAddresses/Yolo-IPv4$", status=503)  # the SDK retries
    sim.faults.fail_async("DELETE", r"/virtualNetworks/Yolo-VNet$", code="InternalServerError",
                          message="An internal error occurred.")  # the operation fails: the deleter retries
    sim.faults.error("DELETE", r"/networkSecurityGroups/Yolo-NSG$", status=400,
                     code="InUseNetworkSecurityGroupCannotBeDeleted",
                     message="Network security group Yolo-NSG cannot be deleted because it is in use by the "
                             "following resources: Yolo-VNet/subnets/default.")  # NRP still settling
    inv = build_inventory(factory, journal_dir=tmp_path)
    events: list[DeleteEvent] = []
    plan = plan_deletion(inv, default_selection(inv))
    result = deleter(factory, tmp_path, events).run(plan, confirm=plan.confirmation())
    assert result.ok, result.report()
    assert not any(k.startswith(sim.group_id("Yolo-RG").lower()) for k in sim.resources)
    retried = {e.resource_id.rsplit("/", 1)[1]: e.message for e in events if e.state == "retrying"}
    assert retried == {"Yolo-VNet": "retrying after InternalServerError",
                       "Yolo-NSG": "retrying after InUseNetworkSecurityGroupCannotBeDeleted"}
    assert len(deletes(sim, "/publicIPAddresses/Yolo-IPv4")) == 2
    states = Journal("run-vm", directory=tmp_path).resources()
    assert {s.state for s in states.values() if "/backupfabrics/" not in s.resource_id.lower()} == {"deleted"}


def test_a_failure_is_reported_the_journal_stays_true_and_a_rerun_finishes(sim: ArmSim, factory: ClientFactory,
                                                                          tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    sim.faults.fail_async("DELETE", r"/virtualMachines/Yolo-VM$", code="OperationNotAllowed",
                          message="The operation is not allowed while the VM is being updated.")
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, default_selection(inv))
    result = deleter(factory, tmp_path).run(plan, confirm=plan.confirmation())
    assert not result.ok
    vm = item(inv, "Yolo-VM")
    assert result.states[vm.id] == "failed" and result.errors[vm.id].code == "OperationNotAllowed"
    assert [r for r, _ in result.not_deleted] == [vm.id]
    waiting = dict(result.not_attempted)
    assert set(waiting) == {item(inv, n).id for n in ("Yolo-IPv4", "Yolo-IPv6", "Yolo-VNet", "Yolo-NSG", "Yolo-RG")}
    assert "waits for Virtual machine Yolo-VM" in waiting[item(inv, "Yolo-VNet").id]
    assert any(line.startswith("not deleted: ") and "not allowed" in line for line in result.report())
    assert len(deletes(sim)) == 1  # only the VM was tried
    # the journal says what is true: the VM (and everything after it) still exists
    states = Journal("run-vm", directory=tmp_path).resources()
    assert states[vm.key].state == "created" and states[vm.key].may_exist
    assert states[vm.key].detail["code"] == "OperationNotAllowed" and states[vm.key].detail["exists"] is True
    assert states[item(inv, "Yolo-VNet").key].state == "created"
    assert sim.get(vm.id) is not None

    # the rest can be retried: a fresh inventory and the same selection
    fresh = build_inventory(factory, journal_dir=tmp_path)
    retry = plan_deletion(fresh, result.retry_ids())
    assert not retry.blockers
    second = deleter(factory, tmp_path).run(retry, confirm=retry.confirmation())
    assert second.ok, second.report()
    assert not any(k.startswith(sim.group_id("Yolo-RG").lower()) for k in sim.resources)
    assert not sim.get(sim.group_id("Yolo-RG"))


def test_a_delete_that_reports_success_but_leaves_the_resource_is_caught(sim: ArmSim, factory: ClientFactory,
                                                                        tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    nsg = item(inv, "Yolo-NSG")
    vnet = item(inv, "Yolo-VNet")
    # the VM set without the NSG's users is not deletable; take a standalone NSG instead
    loose = factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "loose-nsg", {"location": "norwayeast", "tags": {"created-by": "azwizard", "azwizard-run": "run-vm"}}
    ).result()
    sim.faults.error("DELETE", r"/networkSecurityGroups/loose-nsg$", status=200, code="Accepted",
                     message="accepted")  # a 200 that does nothing
    inv = build_inventory(factory, journal_dir=tmp_path)
    result = deleter(factory, tmp_path, verify_attempts=2).run(plan_deletion(inv, {loose.id}))
    assert result.states[loose.id] == "failed" and result.errors[loose.id].code == "StillExists"
    assert "still there" in result.errors[loose.id].what
    state = Journal("run-vm", directory=tmp_path).resources()[key(loose.id)]
    assert state.state == "created" and state.detail["exists"] is True
    assert sim.get(nsg.id) is not None and sim.get(vnet.id) is not None


def test_whole_group_delete_refuses_without_the_typed_name(sim: ArmSim, factory: ClientFactory,
                                                           tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    make_vm_run(sim, factory, tmp_path, run_id="run-2", base="Other")
    before = ids_in(sim)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, set(), whole_groups={"Yolo-RG"})
    assert [op.name for op in plan.ops] == ["Yolo-RG"] and plan.ops[0].whole_group
    for typed in (None, "", "yolo-rg", "Yolo-RG2", ["Other-RG"]):
        with pytest.raises(GroupConfirmationRequired) as info:
            deleter(factory, tmp_path).run(plan, confirm_group_name=typed)  # type: ignore[arg-type]
        assert info.value.groups == ("Yolo-RG",) and "nothing was deleted" in info.value.what
    assert not deletes(sim) and ids_in(sim) == before

    result = deleter(factory, tmp_path).run(plan, confirm_group_name="Yolo-RG")
    assert result.ok, result.report()
    assert [p.lower() for p in deletes(sim)] == [sim.group_id("Yolo-RG").lower()]  # one operation
    assert ids_in(sim) == {i for i in before if "/resourcegroups/yolo-rg" not in i}
    states = Journal("run-vm", directory=tmp_path).resources()
    assert {s.state for s in states.values()} == {"deleted"}


def test_a_group_that_gained_a_resource_since_the_plan_is_not_deleted(sim: ArmSim, factory: ClientFactory,
                                                                      tmp_path: Path) -> None:
    """The plan's view of a group may be seconds old (Resource Graph): a resource someone put in the group after
    the plan was made stops the whole-group DELETE, and nothing is sent."""
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, set(), whole_groups={"Yolo-RG"})
    assert [op.name for op in plan.ops] == ["Yolo-RG"] and plan.ops[0].whole_group
    late = foreign_nsg(factory, "Yolo-RG", "arrived-late-nsg")
    before = ids_in(sim)
    result = deleter(factory, tmp_path).run(plan, confirm_group_name="Yolo-RG")
    assert not result.ok and not deletes(sim) and ids_in(sim) == before and late.lower() in before
    error = result.errors[plan.ops[0].resource_id]
    assert error.code == "GroupContentsChanged" and "arrived-late-nsg" in error.what, error.what


def test_a_costly_or_multi_resource_delete_needs_its_confirmation_typed(sim: ArmSim, factory: ClientFactory,
                                                                        tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    make_cluster(factory, tmp_path)
    loose, other = (factory.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", name, {"location": "norwayeast", "tags": {"created-by": "azwizard", "azwizard-run": "run-vm"}}
    ).result() for name in ("loose-nsg", "other-nsg"))
    inv = build_inventory(factory, journal_dir=tmp_path)
    before = ids_in(sim)
    vm_plan = plan_deletion(inv, {item(inv, "Yolo-VM").id})  # one VM (with its NIC and disk)
    cluster_plan = plan_deletion(inv, {item(inv, "aks1").id})
    many = plan_deletion(inv, {loose.id, other.id})  # two cheap ones
    assert (vm_plan.confirmation(), cluster_plan.confirmation(), many.confirmation()) == ("Yolo-VM", "aks1",
                                                                                          "delete 2")
    assert plan_deletion(inv, {loose.id}).confirmation() == ""  # one inexpensive resource: no typing
    for plan in (vm_plan, cluster_plan, many):
        for typed in (None, "", "yolo-vm", "delete", ["Yolo-RG"]):
            with pytest.raises(ConfirmationRequired) as info:
                deleter(factory, tmp_path).run(plan, confirm=typed)  # type: ignore[arg-type]
            assert info.value.phrase == plan.confirmation() and "nothing was deleted" in info.value.what
    assert not deletes(sim) and ids_in(sim) == before
    result = deleter(factory, tmp_path).run(many, confirm=" delete 2 ")
    assert result.ok, result.report()


def test_a_whole_group_holding_a_cluster_reports_its_node_group_contents_deleted(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    # The node group's scale set, identity and load balancer have no GET in azwizard.azure.ops: they are known
    # gone because the node group that held them answers 404, not reported as "still there".
    make_cluster(factory, tmp_path)
    before = ids_in(sim)
    inv = build_inventory(factory, journal_dir=tmp_path)
    plan = plan_deletion(inv, set(), whole_groups={"aks-rg"})
    result = deleter(factory, tmp_path).run(plan, confirm_group_name="aks-rg")
    assert result.ok, result.report()
    mc = sim.group_id("MC_aks-rg_aks1_norwayeast").lower()
    assert {i for i in before if i.startswith(mc + "/")} <= {key(r) for r in result.deleted}
    assert not ids_in(sim)


def test_cancel_before_start_sends_nothing(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    make_vm_run(sim, factory, tmp_path)
    inv = build_inventory(factory, journal_dir=tmp_path)
    cancel = threading.Event()
    cancel.set()
    plan = plan_deletion(inv, default_selection(inv))
    events: list[DeleteEvent] = []
    result = Deleter(factory, JournalBook(tmp_path), events.append, cancel, poll_interval=0.01).run(
        plan, confirm=plan.confirmation())
    assert not deletes(sim)
    assert set(result.states.values()) == {"cancelled"} and not result.deleted
    # each shown "not started", never as a try after another ("attempt 2" on the progress screen)
    assert events and {(e.state, e.message, e.attempt) for e in events} == {("cancelled", "not started: cancelled", 1)}


def test_aks_stop_and_start_with_the_notes_advice(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    cluster_id = make_cluster(factory, tmp_path)
    journal = Journal("run-aks", "aks", directory=tmp_path)
    assert "15–30 minutes" in AKS_STOP_START_ADVICE and "IP addresses" in AKS_STOP_START_ADVICE
    stopped = stop_cluster(factory, cluster_id, journal=journal, poll_interval=0.01)
    assert (stopped.power_state, stopped.advice) == ("Stopped", AKS_STOP_START_ADVICE)
    inv = build_inventory(factory, journal_dir=tmp_path)
    cluster = item(inv, "aks1")
    assert cluster.state == "Stopped"
    assert cluster.cost is not None and all(p.hourly == 0.0 for p in cluster.cost.parts if "nodes" in p.label)

    posts = len([r for r in sim.requests if r.method == "POST"])
    with pytest.raises(AzwizardError) as info:
        start_cluster(factory, cluster_id, journal=journal, poll_interval=0.01)
    assert info.value.code == "StartTooSoon"
    assert len([r for r in sim.requests if r.method == "POST"]) == posts  # refused before sending
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=16)
    started = start_cluster(factory, cluster_id, journal=journal, now=later, poll_interval=0.01)
    assert started.power_state == "Running"
    assert [e["event"] for e in journal.events() if e["event"] in ("stopped", "started")] == ["stopped", "started"]
    again = stop_cluster(factory, cluster_id, poll_interval=0.01)
    assert again.power_state == "Stopped"
    assert start_cluster(factory, cluster_id, allow_early=True, poll_interval=0.01).power_state == "Running"


def test_deleting_a_cluster_tidies_its_kubeconfig_entries_with_a_0600_backup(sim: ArmSim, factory: ClientFactory,
                                                                             tmp_path: Path) -> None:
    import base64
    import stat

    import yaml

    from azwizard.cleanup.kubetidy import tidy_kubeconfig
    from azwizard.kubeconfig import merge_kubeconfig, write_kubeconfig

    make_cluster(factory, tmp_path)
    creds = factory.containerservice().managed_clusters.list_cluster_user_credentials("aks-rg", "aks1")
    value = creds.kubeconfigs[0].value
    other = ("apiVersion: v1\nkind: Config\nclusters:\n- name: kind\n  cluster: {server: 'https://kind.local:6443'}\n"
             "contexts:\n- name: kind\n  context: {cluster: kind, user: kind}\nusers:\n- name: kind\n  user: {}\n")
    merged = merge_kubeconfig(other, (value if isinstance(value, bytes) else base64.b64decode(value)).decode(),
                              context_name="aks1", overwrite=False)
    path = tmp_path / "kube" / "config"
    write_kubeconfig(path, merged.text or "")
    before = path.read_text()
    assert yaml.safe_load(before)["current-context"] == "aks1"
    inv = build_inventory(factory, journal_dir=tmp_path)
    assert dict(item(inv, "aks1").details)["fqdn"]  # found by the API server's host
    plan = plan_deletion(inv, {item(inv, "aks1").id})
    assert tidy_kubeconfig([], inv, path) is None  # nothing deleted yet: the file is left alone
    result = deleter(factory, tmp_path).run(plan, confirm="aks1")
    assert result.ok, result.report()

    tidy = tidy_kubeconfig(result.deleted, inv, path)
    assert tidy is not None and tidy.changed and tidy.current_reset
    doc = yaml.safe_load(path.read_text())
    assert [e["name"] for e in doc["clusters"]] == ["kind"] and [e["name"] for e in doc["contexts"]] == ["kind"]
    assert [e["name"] for e in doc["users"]] == ["kind"] and doc["current-context"] == ""
    assert tidy.backup is not None and tidy.backup.read_text() == before
    assert stat.S_IMODE(tidy.backup.stat().st_mode) == 0o600 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert any("current-context" in line for line in tidy.lines())
