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
