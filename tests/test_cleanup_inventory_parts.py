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
