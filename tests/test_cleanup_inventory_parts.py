"""cleanup/inventory.py's small readers in isolation (issue 27's surviving mutants): a VM's disk size (what its
backup data is priced by) and the details shown beside each resource (pure: bodies built by hand); and the
journey of what another machine's run made, read from its tags."""

from __future__ import annotations

from pathlib import Path

from azwizard.azure.session import ClientFactory
from azwizard.cleanup.inventory import _details, _disk_gb
from azwizard.cleanup.model import CLUSTER, DISK, ROLE_ASSIGNMENT, VM, key
from azwizard.sim import ArmSim

DISK_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/os1"


def _vm(os_disk: dict[str, object], *data: dict[str, object]) -> dict[str, object]:
    return {"properties": {"storageProfile": {"osDisk": os_disk, "dataDisks": list(data)}}}


def test_a_vms_disk_size_adds_its_disks_reading_a_disk_for_the_size_the_vm_does_not_say() -> None:
    assert _disk_gb(None, {}) is None
    assert _disk_gb(_vm({"diskSizeGB": 30}, {"diskSizeGB": 64}, {"diskSizeGB": 1}), {}) == 95
    bodies = {key(DISK_ID): {"properties": {"diskSizeGB": 128}}}
    assert _disk_gb(_vm({"managedDisk": {"id": DISK_ID.upper()}}), bodies) == 128
    assert _disk_gb(_vm({"managedDisk": {"id": DISK_ID}}, {"diskSizeGB": 4}), {}) is None  # unknown: no guess
    assert _disk_gb({"properties": {}}, {}) is None  # no storage profile: its OS disk's size is unknown


def test_the_details_shown_for_each_kind_and_none_empty() -> None:
    assert _details(VM, {"properties": {"hardwareProfile": {"vmSize": "Standard_D2s_v5"}}}) == (
        ("size", "Standard_D2s_v5"),)
    assert _details(DISK, {"sku": {"name": "Premium_LRS"}, "properties": {"diskSizeGB": 64}}) == (
        ("sku", "Premium_LRS"), ("size", "64 GiB"))
    cluster = {"sku": {"tier": "Standard"}, "properties": {
        "kubernetesVersion": "1.30", "currentKubernetesVersion": "1.30.4", "fqdn": "c.hcp.io",
        "agentPoolProfiles": [{"count": 3, "vmSize": "Standard_D2s_v5"}, {"count": 1, "vmSize": "Standard_B2s"}]}}
    assert _details(CLUSTER, cluster) == (("version", "1.30.4"), ("tier", "Standard"),
                                          ("nodes", "3 × Standard_D2s_v5, 1 × Standard_B2s"), ("fqdn", "c.hcp.io"))
    del cluster["properties"]["currentKubernetesVersion"]  # type: ignore[attr-defined]
    assert dict(_details(CLUSTER, cluster))["version"] == "1.30"
    assert _details("microsoft.network/networksecuritygroups", {"properties": {"x": 1}}) == ()


def test_the_details_of_an_address_and_of_a_role_assignment() -> None:
    pip = "microsoft.network/publicipaddresses"
    assert _details(pip, {"properties": {"ipAddress": "20.1.2.3", "publicIPAddressVersion": "IPv4"}}) == (
        ("address", "20.1.2.3"), ("version", "IPv4"))
    assert _details(pip, {"properties": {"publicIPAddressVersion": "IPv6"}}) == (("version", "IPv6"),)
    vm = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
    wire = {"properties": {"scope": vm, "description": "AcrPull for the kubelet"}}
    assert _details(ROLE_ASSIGNMENT, wire) == (("scope", vm), ("about", "AcrPull for the kubelet"))
    flat = {"scope": vm, "description": "flattened by as_dict()"}  # an msrest model's dict
    assert _details(ROLE_ASSIGNMENT, flat) == (("scope", vm), ("about", "flattened by as_dict()"))
    by_id = {"id": f"{vm}/providers/Microsoft.Authorization/roleAssignments/ra1"}
    assert dict(_details(ROLE_ASSIGNMENT, by_id))["scope"].lower() == vm.lower()


def test_from_another_machine_the_journey_comes_from_the_tags_and_the_vms_disk_shares_it(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from cleanup_helpers import make_vm_run

    from azwizard.cleanup import build_inventory

    make_vm_run(sim, factory, tmp_path / "here")
    elsewhere = build_inventory(factory, journal_dir=tmp_path / "empty")  # no journal: the tags say it all
    disks = [it for it in elsewhere.items if it.source == "attached"]
    assert disks and {it.journey for it in disks} == {"vm"}  # the OS disk carries no tags: it goes with its VM
    assert {it.journey for it in elsewhere.items} == {"vm"}


def test_a_vms_disk_goes_with_the_vm_unless_another_run_proves_it_made_it() -> None:
    """A disk the VM uses is listed with the VM (``attached``), except one this VM's run already has and one
    another run's journal proves it made (its identity recorded): those stay as they are."""
    from concurrent.futures import ThreadPoolExecutor
    from typing import Any, cast

    from azwizard.cleanup.inventory import _attached, _Found, _Graph
    from azwizard.run.preflight import Ledger

    vm_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
    disk = {n: f"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/{n}"
            for n in ("same-run", "proven", "unproven", "unknown")}
    vm = _Found(vm_id, "Microsoft.Compute/virtualMachines", run_id="r2", journey="vm", body=_vm(
        {"managedDisk": {"id": disk["same-run"]}}, *({"managedDisk": {"id": disk[n]}}
                                                    for n in ("proven", "unproven", "unknown"))))
    found = {key(vm_id): vm, **{key(disk[n]): _Found(disk[n], "Microsoft.Compute/disks", run_id=run, journey="vm")
                                for n, run in (("same-run", "r2"), ("proven", "r1"), ("unproven", "r1"))}}
    ledger = Ledger(identities={("r1", key(disk["proven"])): {"timeCreated": "2026-11-26T03:00:00Z"}})
    rows = _Graph({key(d): {"id": d, "type": "Microsoft.Compute/disks"} for d in disk.values()}, {}, set())
    with ThreadPoolExecutor(2) as pool:  # the bodies come from Resource Graph's rows: no request is sent
        _attached(cast(Any, None), pool, found, [], ledger, rows)
    owner = {n: (found[key(d)].run_id, found[key(d)].source, found[key(d)].parent) for n, d in disk.items()}
    assert owner == {"same-run": ("r2", None, None), "proven": ("r1", None, None),
                     "unproven": ("r2", "attached", vm_id), "unknown": ("r2", "attached", vm_id)}
    # a VM that is gone (its body is the journal's last view) brings no disk with it
    gone_vm = _Found(vm_id, "Microsoft.Compute/virtualMachines", run_id="r3", body=vm.body, exists=False)
    only = {key(vm_id): gone_vm}
    with ThreadPoolExecutor(2) as pool:
        _attached(cast(Any, None), pool, only, [], Ledger(), rows)
    assert list(only) == [key(vm_id)]


def test_a_kind_azwizard_cannot_read_exists_only_as_a_list_showed_it() -> None:
    from typing import Any, cast

    from azwizard.cleanup.inventory import _Found, _get

    rid = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Unknown/things/t1"
    listed = {"id": rid, "tags": {"azwizard-run": "r1"}}
    assert _get(cast(Any, None), _Found(rid, "Microsoft.Unknown/things", listed=listed))[1:] == (listed, None)
    assert _get(cast(Any, None), _Found(rid, "Microsoft.Unknown/things"))[1:] == (None, None)  # no proof: gone


def test_a_power_state_that_cannot_be_read_is_a_warning_not_a_guess(sim: ArmSim, factory: ClientFactory,
                                                                    tmp_path: Path) -> None:
    from cleanup_helpers import make_vm_run

    from azwizard.cleanup import build_inventory

    make_vm_run(sim, factory, tmp_path)
    sim.faults.error("GET", r"/virtualMachines/Yolo-VM/instanceView$", status=403, code="AuthorizationFailed",
                     message="No read access to the instance view.", times=10)
    inv = build_inventory(factory, journal_dir=tmp_path)
    (vm,) = [it for it in inv.items if it.name == "Yolo-VM"]
    assert vm.state not in ("running", "stopped", "deallocated")
    assert [w for w in inv.warnings if "Could not read the power state" in w and "Yolo-VM" in w]


def test_a_tagged_resource_in_an_untagged_group_is_found_from_another_machine(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """Resource Graph is asked for the tagged resources of every group, not only of azwizard's tagged groups:
    a resource carrying a run's tags in a group no run made is listed without the journal (as tags only: never
    preselected, adopted to be managed here)."""
    from cleanup_helpers import LOCATION

    from azwizard.cleanup import build_inventory

    factory.resources().resource_groups.create_or_update("shared-rg", {"location": LOCATION})  # no tags
    tags = {"created-by": "azwizard", "azwizard-run": "r9", "azwizard-journey": "vm",
            "azwizard-created": "2026-11-26T03:00:00Z"}
    nsg = factory.network().network_security_groups.begin_create_or_update(
        "shared-rg", "ours", {"location": LOCATION, "tags": tags}).result()
    inv = build_inventory(factory, journal_dir=tmp_path)
    (item,) = [it for it in inv.items if it.id.lower() == str(nsg.id).lower()]
    assert item.run_id == "r9" and "tags only" in item.note


# ------------------------------------------------------------------ Resource Graph rows, tags, states, costs

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"


def test_a_resource_graph_row_gets_arms_type_spelling_even_for_a_group_named_providers_or_a_child_type() -> None:
    from azwizard.cleanup.inventory import _row_body

    group = _row_body({"id": f"{SUB}/resourceGroups/providers", "name": "providers", "location": "norwayeast",
                       "kind": "", "managedBy": None, "resourceGroup": "providers"}, group=True)
    assert group == {"id": f"{SUB}/resourceGroups/providers", "name": "providers", "location": "norwayeast",
                     "type": "Microsoft.Resources/resourceGroups"}  # no empty columns, no row-only ones
    ext = f"{SUB}/resourceGroups/providers/providers/Microsoft.Compute/virtualMachines/vm1/extensions/AADLogin"
    assert _row_body({"id": ext, "type": "microsoft.compute/virtualmachines/extensions"}, group=False)["type"] == \
        "Microsoft.Compute/virtualMachines/extensions"


def test_only_the_created_by_azwizard_tag_makes_a_resource_azwizards_whatever_its_case() -> None:
    from azwizard.cleanup.inventory import _tagged

    assert _tagged({"tags": {"Created-By": "AzWizard"}})
    assert not _tagged({"tags": {"created-by": "terraform"}})
    assert not _tagged({"tags": {"owner": "azwizard"}})
    assert not _tagged({"tags": None}) and not _tagged({})


class _Pages:
    """Resource Graph's client as the inventory uses it (``_send_request``): canned answers, the requests kept."""

    subscription_id = "00000000-0000-0000-0000-000000000000"

    def __init__(self, *answers: dict[str, object]) -> None:
        self.answers = list(answers)
        self.sent: list[dict[str, object]] = []

    def resourcegraph(self) -> _Pages:
        return self

    def _send_request(self, request: object) -> object:
        import json
        from types import SimpleNamespace

        self.sent.append(json.loads(request.content))  # type: ignore[attr-defined]
        answer = self.answers.pop(0)
        return SimpleNamespace(raise_for_status=lambda: None, json=lambda: answer)


def test_resource_graph_pages_are_followed_by_their_skip_token_and_odd_rows_left_out() -> None:
    from typing import Any, cast

    from azwizard.cleanup.inventory import _Graph

    nsg = f"{SUB}/resourceGroups/Rg-A/providers/Microsoft.Network/networkSecurityGroups/n1"
    nic = f"{SUB}/resourceGroups/Rg-B/providers/Microsoft.Network/networkInterfaces/n2"
    client = _Pages({"data": [{"id": nsg, "resourceGroup": "rg-a"}, {"name": "no id"}, "not a row"], "$skipToken": "p2"},
                    {"data": [{"id": nic}]})  # no resourceGroup column: the group comes from the id
    graph = _Graph({}, {}, set())
    rows = graph.query(cast(Any, client), "resources")
    assert [r["id"] for r in rows] == [nsg, nic]
    assert [s["options"].get("$skipToken") for s in client.sent] == [None, "p2"]  # type: ignore[union-attr]
    assert {g: [r["id"] for r in rs] for g, rs in graph.by_group.items()} == {"rg-a": [nsg], "rg-b": [nic]}


def test_a_truncated_resource_graph_answer_is_never_taken_for_the_whole() -> None:
    from typing import Any, cast

    import pytest

    from azwizard.cleanup.inventory import _Graph

    client = _Pages({"data": [{"id": f"{SUB}/resourceGroups/rg"}], "resultTruncated": "true"})
    with pytest.raises(RuntimeError, match="truncated"):
        _Graph({}, {}, set()).query(cast(Any, client), "resourcecontainers", group_rows=True)


def test_groups_are_asked_about_300_names_a_query_and_azwizards_tag_only_once() -> None:
    from typing import Any, cast

    from azwizard.cleanup.inventory import _TAG_TERM, _Graph

    names = [f"rg{i:03}" for i in range(601)]
    client = _Pages(*({"data": []} for _ in range(3)))
    graph = _Graph({}, {}, set())
    graph.contents_of(cast(Any, client), names, tagged=True)
    queries = [str(s["query"]) for s in client.sent]
    assert [q.count("'rg") for q in queries] == [300, 300, 1]
    assert [_TAG_TERM in q for q in queries] == [True, False, False]
    assert graph.groups == set(names)
    client = _Pages({"data": []})
    _Graph({}, {}, set()).contents_of(cast(Any, client), [], tagged=True)  # no group: the tag alone
    assert len(client.sent) == 1 and "resourceGroup in~" not in str(client.sent[0]["query"])


def test_a_backup_items_name_and_workload_fall_back_to_what_the_item_says_else() -> None:
    from azwizard.cleanup.inventory import _protected

    rid = f"{SUB}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/backupFabrics/Azure/" \
          "protectionContainers/iaasvmcontainerv2;rg;vm1/protectedItems/vm;iaasvmcontainerv2;rg;vm1"
    bare = _protected({"id": rid, "name": "vm;iaasvmcontainerv2;rg;vm1", "properties": {}})
    assert (bare.friendly_name, bare.workload, bare.container) == (
        "vm;iaasvmcontainerv2;rg;vm1", "VM", "iaasvmcontainerv2;rg;vm1")
    full = _protected({"id": rid, "name": "x", "properties": {"friendlyName": "vm1", "workloadType": "AzureFileShare",
                                                             "isScheduledForDeferredDelete": True}})
    assert (full.friendly_name, full.workload, full.soft_deleted) == ("vm1", "AzureFileShare", True)
    assert full.name == "x"  # the item's own name; else the id's last segment
    assert _protected({"id": rid, "properties": {}}).name == "vm;iaasvmcontainerv2;rg;vm1"
    assert bare.source_resource_id == full.source_resource_id == ""
    vm = f"{SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
    for props in ({"sourceResourceId": vm}, {"virtualMachineId": vm}, {"sourceResourceId": vm, "virtualMachineId": "x"}):
        assert _protected({"id": rid, "properties": props}).source_resource_id == vm


def test_the_state_shown_a_clusters_power_only_once_provisioned() -> None:
    from azwizard.cleanup.inventory import _Found, _state

    f = _Found("x", "t")
    assert _state(CLUSTER, f, {"provisioningState": "Succeeded", "powerState": {"code": "Stopped"}}, {}) == "Stopped"
    assert _state(CLUSTER, f, {"provisioningState": "Updating", "powerState": {"code": "Running"}}, {}) == "Updating"
    assert _state(CLUSTER, f, {"provisioningState": "Succeeded"}, {}) == "Succeeded"
    assert _state(DISK, f, {"provisioningState": "Failed"}, {}) == "Failed"
    assert _state(DISK, _Found("x", "t", listed={"provisioningState": "Deleting"}), {}, {}) == "Deleting"
    assert _state(VM, f, {}, {key("x"): "deallocated"}) == "deallocated"


def test_only_a_cluster_naming_its_node_group_takes_that_group_with_it() -> None:
    from azwizard.cleanup.inventory import _cascade, _Found
    from azwizard.cleanup.model import Cascade

    cid = f"{SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c"
    own = (Cascade("x", "t", "something"),)
    f = _Found(cid, "Microsoft.ContainerService/managedClusters", run_id="r1", journey="aks")
    assert _cascade(CLUSTER, f, {"properties": {}}, own, {}) is own  # no node group (yet): nothing more
    other = "microsoft.kubernetes/connectedclusters"
    assert _cascade(other, f, {"properties": {"nodeResourceGroup": "MC_x"}}, own, {}) is own
    (*same, node) = _cascade(CLUSTER, f, {"properties": {"nodeResourceGroup": "MC_rg_c"}}, own,
                             {"mc_rg_c": ["a", "b"]})
    assert same == list(own)
    assert (node.resource_id, node.run_id, node.journey) == (f"{SUB}/resourceGroups/MC_rg_c", "r1", "aks")
    assert "(2 resources)" in node.reason


def test_a_node_group_costs_nothing_itself_its_nodes_are_priced_under_the_cluster() -> None:
    from azwizard.cleanup.inventory import _cost, _Found
    from azwizard.cleanup.model import GROUP

    node_group = _Found(f"{SUB}/resourceGroups/MC_rg_c", GROUP, node_group_of="c")
    cost = _cost(GROUP, {}, "", (), {}, node_group, None)
    assert [(p.label, p.hourly) for p in cost.parts] == [
        ("node resource group (its nodes are priced under the cluster)", 0.0)]


def test_a_known_node_group_becomes_its_clusters_and_a_tagged_resource_in_it_stays_the_clusters() -> None:
    """A node group already listed (as someone else's) is its cluster's: same run, not foreign. A resource in it
    carrying a run's tags (AKS copies the cluster's tags) is left to the cluster, not listed as foreign; the same
    tags elsewhere, without the journal, are another machine's."""
    from concurrent.futures import ThreadPoolExecutor
    from typing import Any, cast

    from azwizard.cleanup.inventory import _attached, _Found, _Graph, _tag_only
    from azwizard.run.preflight import ANOTHER_MACHINE, Ledger

    cid = f"{SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c"
    gid = f"{SUB}/resourceGroups/MC_rg_c"
    cluster = _Found(cid, "Microsoft.ContainerService/managedClusters", run_id="r1", journey="aks",
                     body={"properties": {"nodeResourceGroup": "MC_rg_c"}})
    group = _Found(gid, "Microsoft.Resources/resourceGroups", foreign=True, note="not azwizard's")
    tags = dict(tagged=True, run_id="r1", journey="aks")
    inside = _Found(f"{gid}/providers/Microsoft.Network/loadBalancers/kubernetes", "Microsoft.Network/loadBalancers",
                    **tags)  # type: ignore[arg-type]
    outside = _Found(f"{SUB}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n",
                     "Microsoft.Network/networkSecurityGroups", **tags)  # type: ignore[arg-type]
    found = {key(f.id): f for f in (cluster, group, inside, outside)}
    with ThreadPoolExecutor(2) as pool:
        _attached(cast(Any, _Pages()), pool, found, [], Ledger(), _Graph({}, {}, set()))
    assert (group.node_group_of, group.run_id, group.source, group.foreign, group.note) == (
        cid, "r1", "attached", False, "")
    _tag_only(found, Ledger())
    assert (inside.foreign, inside.note) == (False, "")
    assert (outside.foreign, outside.note) == (True, ANOTHER_MACHINE)


def test_only_what_a_journal_names_is_checked_against_it() -> None:
    """A journal's resource that is gone says how; one tagged but in no journal here is left to the tag rules
    (``_tag_only``), gone or not, run tag or not."""
    from azwizard.cleanup.inventory import _Found, _verify
    from azwizard.run.preflight import Ledger

    nsg = f"{SUB}/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/"
    ours = _Found(nsg + "a", "Microsoft.Network/networkSecurityGroups", run_id="r1", in_journal=True, exists=False,
                  journal_state="deleted")
    outside = _Found(nsg + "b", "Microsoft.Network/networkSecurityGroups", run_id="r1", in_journal=True,
                     exists=False, journal_state="created")
    tag_only = [_Found(nsg + n, "Microsoft.Network/networkSecurityGroups", run_id=run, tagged=True, exists=exists,
                       body={"tags": {"created-by": "azwizard"}})
                for n, run, exists in (("c", "r1", False), ("d", None, True), ("e", "r1", True))]
    _verify({key(f.id): f for f in (ours, outside, *tag_only)}, Ledger())
    assert (ours.note, outside.note) == ("deleted by azwizard cleanup", "deleted outside azwizard")
    assert [(f.foreign, f.note) for f in tag_only] == [(False, "")] * 3


def test_azwizards_created_by_tag_alone_is_not_ownership(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """A resource carrying ``created-by=azwizard`` but no run tag and in no journal here (the tag copied, or set
    by hand) is listed as not azwizard's, and never preselected for deletion."""
    from azwizard.cleanup import build_inventory, default_selection

    factory.resources().resource_groups.create_or_update("p-rg", {"location": "norwayeast"})
    nsg = factory.network().network_security_groups.begin_create_or_update(
        "p-rg", "copied", {"location": "norwayeast", "tags": {"created-by": "azwizard"}}).result()
    inv = build_inventory(factory, journal_dir=tmp_path)
    (item,) = [it for it in inv.items if it.id.lower() == str(nsg.id).lower()]
    assert item.foreign and "no azwizard-run tag" in item.note
    assert default_selection(inv) == set()
