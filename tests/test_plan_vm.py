"""The VM plan: the notes' resources with the exact bodies that will be sent, in dependency order."""

from __future__ import annotations

import ipaddress

import pytest

from azwizard.plan.model import Plan, Step
from azwizard.plan.vm import plan_vm
from azwizard.specs.common import random_ula_48
from azwizard.specs.vm import NatGatewaySpec, VmNames, VmSpec

SUB = "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def make(spec: VmSpec) -> Plan:
    return plan_vm(spec, subscription_id=SUB, run_id="run-1", created_at="2026-11-26T03:00:00Z")


def test_names_derive_from_the_base_name_as_in_the_notes() -> None:
    n = VmNames.derive("Yolo")
    assert (n.resource_group, n.vnet, n.public_ipv4, n.public_ipv6, n.nat_gateway, n.nsg, n.vm, n.vault) == (
        "Yolo-RG", "Yolo-VNet", "Yolo-IPv4", "Yolo-IPv6", "Yolo-NATGW", "Yolo-NSG", "Yolo-VM", "Yolo-RSV")


def test_ula_is_a_random_zero_compressed_fd_48() -> None:
    seen = {random_ula_48() for _ in range(50)}
    assert len(seen) == 50
    for text in seen:
        net = ipaddress.IPv6Network(text)
        assert net.prefixlen == 48 and text.startswith("fd") and net.compressed == text


def test_default_plan_has_the_notes_resources_and_dependencies() -> None:
    plan = make(VmSpec.for_base("Yolo", ssh_public_key=KEY))
    assert [s.key for s in plan.topological()] == ["rg", "nsg", "pip4", "pip6", "vnet", "nic", "vm"]
    assert plan.step("nic").depends_on == ("vnet", "pip4", "pip6")
    for s in plan.steps:
        assert s.body.get("tags", {}).get("created-by") == "azwizard" or s.key == "backup"
        assert s.body.get("tags", {}).get("azwizard-run", "run-1") == "run-1"


def test_public_ips_are_standard_static_zone_redundant_with_both_versions() -> None:
    plan = make(VmSpec.for_base("Yolo", ssh_public_key=KEY))
    for key, version in (("pip4", "IPv4"), ("pip6", "IPv6")):
        body = plan.step(key).body
        assert body["sku"] == {"name": "Standard", "tier": "Regional"}
        assert body["zones"] == ["1", "2", "3"]
        assert body["properties"]["publicIPAllocationMethod"] == "Static"
        assert body["properties"]["publicIPAddressVersion"] == version
        assert "ipTags" not in body["properties"]  # Microsoft network routing = no RoutingPreference tag


def test_unzoned_region_plan_sends_no_zones() -> None:
    from azwizard.specs.vm import PublicIpSpec

    plan = make(VmSpec.for_base("Yolo", ssh_public_key=KEY, location="norwaywest", public_ip=PublicIpSpec(zones=())))
    assert "zones" not in plan.step("pip4").body


def test_subnet_has_both_prefixes_and_the_nsg_and_the_nic_has_none() -> None:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY)
    net = spec.network.resolved()
    plan = make(spec)
    vnet = plan.step("vnet").body
    assert vnet["properties"]["addressSpace"]["addressPrefixes"] == [net.ipv4_space, net.ipv6_space]
    subnet = vnet["properties"]["subnets"][0]
    assert subnet["name"] == "default"
    assert subnet["properties"]["addressPrefixes"] == ["10.0.0.0/24", net.subnet_ipv6]
    assert ipaddress.IPv6Network(net.subnet_ipv6).prefixlen == 64
    assert subnet["properties"]["networkSecurityGroup"]["id"] == plan.step("nsg").resource_id
    nic = plan.step("nic").body["properties"]
    assert "networkSecurityGroup" not in nic
    c1, c2 = nic["ipConfigurations"]
    assert (c1["name"], c1["properties"]["primary"], c1["properties"]["privateIPAddressVersion"]) == (
        "ipconfig1", True, "IPv4")
    assert (c2["name"], c2["properties"]["primary"], c2["properties"]["privateIPAddressVersion"]) == (
        "ipconfig2", False, "IPv6")
    assert c1["properties"]["publicIPAddress"]["id"] == plan.step("pip4").resource_id
    assert c2["properties"]["publicIPAddress"]["id"] == plan.step("pip6").resource_id


def test_vm_delete_options_keep_public_ips() -> None:
    plan = make(VmSpec.for_base("Yolo", ssh_public_key=KEY))
    props = plan.step("vm").body["properties"]
    assert props["storageProfile"]["osDisk"]["deleteOption"] == "Delete"
    assert props["storageProfile"]["osDisk"]["managedDisk"]["storageAccountType"] == "StandardSSD_LRS"
    assert props["networkProfile"]["networkInterfaces"][0]["properties"]["deleteOption"] == "Delete"
    assert props["osProfile"]["linuxConfiguration"]["disablePasswordAuthentication"] is True
    assert props["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["keyData"] == KEY


def test_nat_gateway_sits_on_the_subnet_with_its_own_ipv4() -> None:
    plan = make(VmSpec.for_base("Yolo", ssh_public_key=KEY, nat_gateway=NatGatewaySpec(enabled=True)))
    nat = plan.step("nat")
    assert nat.body["properties"]["idleTimeoutInMinutes"] == 10
    assert nat.body["properties"]["publicIpAddresses"] == [{"id": plan.step("natpip").resource_id}]
    assert "nat" in plan.step("vnet").depends_on
    subnet = plan.step("vnet").body["properties"]["subnets"][0]["properties"]
    assert subnet["natGateway"]["id"] == nat.resource_id


def test_critical_path_is_the_longest_chain() -> None:
    plan = make(VmSpec.for_base("Yolo", ssh_public_key=KEY))
    secs = {"rg": 1, "nsg": 3, "pip4": 3, "pip6": 3, "vnet": 6, "nic": 3, "vm": 50}
    assert plan.critical_path(secs) == 1 + 3 + 6 + 3 + 50
    assert plan.dependents("nsg") == {"vnet", "nic", "vm"}


def test_plan_rejects_cycles_and_unknown_dependencies() -> None:
    a = Step("a", "T", "a", "/x/a", {}, ("b",))
    b = Step("b", "T", "b", "/x/b", {}, ("a",))
    with pytest.raises(ValueError, match="cycle"):
        Plan("vm", "r", SUB, "x", (a, b))
    with pytest.raises(ValueError, match="unknown"):
        Plan("vm", "r", SUB, "x", (Step("c", "T", "c", "/x/c", {}, ("zz",)),))


def test_the_review_summary_lists_the_data_disk() -> None:
    """The review shows every resource the plan sends: the data disk too (issue 12 item 7)."""
    from azwizard.specs.vm import DiskSpec

    plain = dict(make(VmSpec.for_base("Yolo", ssh_public_key=KEY)).step("vm").summary)
    assert "data disk" not in plain
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, data_disk=DiskSpec(size_gb=128, sku="Premium_LRS",
                                                                          delete_with_vm=False))
    summary = dict(make(spec).step("vm").summary)
    assert summary["data disk"] == "Yolo-VM-DataDisk: 128 GiB Premium_LRS, kept with the VM"
