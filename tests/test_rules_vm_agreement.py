"""The VM rules and the simulated Azure agree: for each block rule the simulator also enforces, the rule fires
on the offending spec, and sending that spec's exact plan bodies through the real SDK is rejected with Azure's
error code. The good spec passes the rules and deploys completely.

Where the simulator answers with another code than the public evidence says Azure does, the test is an
``xfail(strict=True)`` naming both, so it flips when the simulator is corrected.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from conftest import FakeCredential, SdkClients
from test_rules_vm import (
    KEY,
    good_facts,
    good_spec,
    names,
    net,
    nsg_rule,
    region_facts,
    subscription_facts,
    web_rules,
)

from azwizard.azure.catalog import Catalog
from azwizard.azure.session import ClientFactory
from azwizard.plan.model import Plan, Step
from azwizard.plan.vm import plan_vm
from azwizard.rules.vm import LINUX_HOST_MESSAGE, VmFacts, check_vm
from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.transport import SimTransport
from azwizard.specs.vm import DiskSpec, ImageRef, NatGatewaySpec, NetworkSpec, PublicIpSpec, VmSpec

# ------------------------------------------------------------------------------------------------ helpers


def make_plan(sim: ArmSim, spec: VmSpec) -> Plan:
    return plan_vm(spec, subscription_id=sim.subscription_id, run_id="agree-1", created_at="2026-11-26T03:00:00Z")


def send(sdk: SdkClients, step: Step) -> Any:
    """One plan step through the real SDK client for its resource type, waiting for the LRO."""
    body, rg, name = dict(step.body), step.resource_group, step.name
    kind = step.kind.lower()
    if kind == "microsoft.resources/resourcegroups":
        return sdk.resources.resource_groups.create_or_update(name, body)
    groups = {
        "microsoft.network/networksecuritygroups": sdk.network.network_security_groups,
        "microsoft.network/publicipaddresses": sdk.network.public_ip_addresses,
        "microsoft.network/natgateways": sdk.network.nat_gateways,
        "microsoft.network/virtualnetworks": sdk.network.virtual_networks,
        "microsoft.network/networkinterfaces": sdk.network.network_interfaces,
        "microsoft.compute/virtualmachines": sdk.compute.virtual_machines,
        "microsoft.recoveryservices/vaults": sdk.recoveryservices.vaults,
    }
    return groups[kind].begin_create_or_update(rg, name, body).result()


def needed_for(plan: Plan, key: str) -> list[Step]:
    """The steps ``key`` depends on (transitively), in a valid order."""
    want: set[str] = set()
    frontier = {key}
    while frontier:
        deps = {d for k in frontier for d in plan.step(k).depends_on} - want
        want |= deps
        frontier = deps
    return [s for s in plan.topological() if s.key in want]


def rejection(sdk: SdkClients, spec: VmSpec, key: str) -> HttpResponseError:
    """Create what ``key`` needs, then send ``key``'s body and return Azure's (the simulator's) rejection."""
    plan = make_plan(sdk.sim, spec)
    for step in needed_for(plan, key):
        send(sdk, step)
    with pytest.raises(HttpResponseError) as err:
        send(sdk, plan.step(key))
    return err.value


def blocks(spec: VmSpec, facts: VmFacts, rule_id: str) -> str:
    """The rule's block message (asserting that it fires)."""
    found = [f for f in check_vm(spec, facts) if f.rule_id == rule_id and f.blocking]
    assert found, f"{rule_id} did not block: {[f.to_dict() for f in check_vm(spec, facts)]}"
    return found[0].message


def agree(sdk: SdkClients, spec: VmSpec, key: str, rule_id: str, code: str, facts: VmFacts | None = None) -> str:
    message = blocks(spec, facts or good_facts(spec.location), rule_id)
    err = rejection(sdk, spec, key)
    assert err.error is not None and err.error.code == code, (err.error.code if err.error else None, str(err))
    return message


# ------------------------------------------------------------------------------------------------ the good case


def test_the_good_spec_passes_the_rules_and_deploys(sdk: SdkClients) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True), data_disk=DiskSpec(size_gb=64),
                     custom_data="#cloud-config\npackages: [nginx]\n")
    assert not [f.to_dict() for f in check_vm(spec, good_facts()) if f.blocking]
    for step in make_plan(sdk.sim, spec).topological():
        send(sdk, step)
    vm = sdk.compute.virtual_machines.get(spec.names.resource_group, spec.names.vm)
    assert vm.provisioning_state == "Succeeded"


# ------------------------------------------------------------------------------------------------ B1


def test_zones_in_a_region_without_zones(sdk: SdkClients) -> None:
    spec = good_spec(location="norwaywest")
    agree(sdk, spec, "pip4", "vm-region-zones", "LocationNotSupportAvailabilityZones")


def test_nat_gateway_zone_in_a_region_without_zones(sdk: SdkClients) -> None:
    spec = good_spec(location="norwaywest", public_ip=PublicIpSpec(zones=()),
                     nat_gateway=NatGatewaySpec(enabled=True, zones=("1",)))
    # The NAT gateway's own public IP (same zones) is refused first, with the same code.
    agree(sdk, spec, "natpip", "vm-region-zones", "LocationNotSupportAvailabilityZones")


def test_zonal_vm_in_a_region_without_zones(sdk: SdkClients) -> None:
    spec = good_spec(location="norwaywest", zone="1", public_ip=PublicIpSpec(zones=()))
    agree(sdk, spec, "vm", "vm-region-zones", "ResourceTypeNotSupportAvailabilityZones")


# ------------------------------------------------------------------------------------------------ B2 names


@pytest.mark.parametrize("rg", ["Yolo!RG", "Yolo-RG.", "r" * 91])
def test_bad_resource_group_name(sdk: SdkClients, rg: str) -> None:
    agree(sdk, good_spec(names=names(resource_group=rg)), "rg", "vm-name-resource-group", "InvalidResourceGroup")


def test_existing_group_in_another_region(sdk: SdkClients) -> None:
    sdk.resources.resource_groups.create_or_update("Yolo-RG", {"location": "westeurope"})
    facts = good_facts(subscription=subscription_facts(groups={"yolo-rg": "westeurope"}))
    agree(sdk, good_spec(), "rg", "vm-resource-group-exists", "InvalidResourceGroupLocation", facts)


def test_reusing_a_group_that_does_not_exist(sdk: SdkClients) -> None:
    agree(sdk, good_spec(use_existing_group=True), "nsg", "vm-resource-group-exists", "ResourceGroupNotFound")


@pytest.mark.parametrize(("key", "changes"), [
    ("vnet", {"vnet": "V"}),
    ("pip4", {"public_ipv4": "-Yolo-IPv4"}),
    ("nsg", {"nsg": "Yolo-NSG."}),
    ("nic", {"nic": "n" * 81}),
    ("vnet", {"subnet": "default-"}),
])
def test_bad_network_names(sdk: SdkClients, key: str, changes: dict[str, str]) -> None:
    agree(sdk, good_spec(names=names(**changes)), key, "vm-name-network", "InvalidResourceName")


def test_bad_security_rule_name(sdk: SdkClients) -> None:
    spec = good_spec(nsg_rules=web_rules(nsg_rule("Allow-X-", 300)))
    agree(sdk, spec, "nsg", "vm-name-network", "InvalidResourceName")


def test_duplicate_security_rule_names(sdk: SdkClients) -> None:
    spec = good_spec(nsg_rules=web_rules(nsg_rule("allow-ssh", 300, ("2222",))))
    agree(sdk, spec, "nsg", "vm-names-unique", "DuplicateResourceName")


@pytest.mark.parametrize("vm", ["_Yolo", "Yolo-VM.", "v" * 65])
def test_bad_vm_resource_name(sdk: SdkClients, vm: str) -> None:
    agree(sdk, good_spec(names=names(vm=vm)), "vm", "vm-name-vm", "InvalidParameter")


def test_linux_host_name(sdk: SdkClients) -> None:
    spec = good_spec(names=names(vm="Yolo_VM"))
    message = agree(sdk, spec, "vm", "vm-host-name", "InvalidParameter")
    err = rejection(SdkClients(ArmSim()), spec, "vm")
    assert err.error is not None and err.error.message == LINUX_HOST_MESSAGE and LINUX_HOST_MESSAGE in message


def test_bad_data_disk_name(sdk: SdkClients) -> None:
    spec = good_spec(names=names(data_disk="-data"), data_disk=DiskSpec(size_gb=32))
    agree(sdk, spec, "vm", "vm-name-disks", "InvalidParameter")


@pytest.mark.parametrize("user", ["admin", "Root", "support_388945a0"])
def test_reserved_admin_user_name(sdk: SdkClients, user: str) -> None:
    spec = good_spec(admin_username=user)
    agree(sdk, spec, "vm", "vm-admin-username", "InvalidParameter")
    err = rejection(SdkClients(ArmSim()), spec, "vm")
    assert err.error is not None and err.error.message == "The Admin Username specified is not allowed."


@pytest.mark.parametrize("key", ["", "my key"])
def test_missing_or_malformed_ssh_key(sdk: SdkClients, key: str) -> None:
    agree(sdk, good_spec(ssh_public_key=key), "vm", "vm-ssh-key", "InvalidParameter")


# ------------------------------------------------------------------------------------------------ B3 size, quota


def test_size_not_available_for_the_subscription(sdk: SdkClients) -> None:
    agree(sdk, good_spec(size="Standard_D2as_v5"), "vm", "vm-size-available", "SkuNotAvailable")


def test_size_unknown_in_the_region(sdk: SdkClients) -> None:
    agree(sdk, good_spec(size="Standard_Nope"), "vm", "vm-size-available", "InvalidParameter")


def test_size_restricted_in_the_zone(sdk: SdkClients) -> None:
    agree(sdk, good_spec(size="Standard_D8s_v5", zone="2"), "vm", "vm-size-zone", "SkuNotAvailable")


def test_family_quota(sdk: SdkClients) -> None:
    spec = good_spec(location="westeurope", size="Standard_D16s_v5")
    agree(sdk, spec, "vm", "vm-quota-vcpus", "OperationNotAllowed")


def test_regional_quota(sdk: SdkClients) -> None:
    spec = good_spec(location="norwaywest", size="Standard_D32s_v5", public_ip=PublicIpSpec(zones=()))
    agree(sdk, spec, "vm", "vm-quota-vcpus", "OperationNotAllowed")


def test_family_without_default_quota(sdk: SdkClients) -> None:
    agree(sdk, good_spec(size="Standard_NC6s_v3"), "vm", "vm-quota-vcpus", "OperationNotAllowed")


def test_quota_taken_by_an_existing_vm_read_through_the_live_catalog(sdk: SdkClients) -> None:
    first = good_spec(size="Standard_B16ms")
    for step in make_plan(sdk.sim, first).topological():
        send(sdk, step)
    factory = ClientFactory(FakeCredential(), sdk.sim.subscription_id, base_url=SIM_BASE_URL,
                            transport=SimTransport(sdk.sim), polling_interval=0)
    catalog = Catalog(factory, cache_dir=Path(tempfile.mkdtemp(prefix="azwizard-catalog-")))
    usages = catalog.compute_usages("norwayeast")
    assert usages["standardBSFamily"].current == 16
    facts = good_facts(region=replace(region_facts("norwayeast"), compute_usages=usages))
    second = VmSpec.for_base("Second", ssh_public_key=KEY, size="Standard_B8ms", network=net())
    message = agree(sdk, second, "vm", "vm-quota-vcpus", "OperationNotAllowed", facts)
    assert "Current Usage: 16, Additional Required: 8" in message


def test_trusted_launch_on_a_gen1_only_size(sdk: SdkClients) -> None:
    agree(sdk, good_spec(size="Standard_A2_v2"), "vm", "vm-trusted-launch", "BadRequest")


def test_trusted_launch_disabled_for_the_size(sdk: SdkClients) -> None:
    # M-series sizes also have no default quota; raise it in the facts' eyes is not needed: Azure checks the
    # security type before the quota (the simulator too).
    agree(sdk, good_spec(size="Standard_M8ms"), "vm", "vm-trusted-launch", "BadRequest")


def test_trusted_launch_with_a_gen1_image(sdk: SdkClients) -> None:
    spec = good_spec(image=ImageRef("Debian", "debian-12", "12"))
    agree(sdk, spec, "vm", "vm-trusted-launch-image", "BadRequest", good_facts(image_generations=("V1",)))


def test_gen2_image_on_a_gen1_only_size(sdk: SdkClients) -> None:
    spec = good_spec(size="Standard_A2_v2", security_type="Standard")
    agree(sdk, spec, "vm", "vm-image-generation", "BadRequest")


def test_arm64_image_on_an_x64_size(sdk: SdkClients) -> None:
    spec = good_spec(image=ImageRef("Debian", "debian-12", "12-arm64"), security_type="Standard")
    agree(sdk, spec, "vm", "vm-image-architecture", "BadRequest", good_facts(image_architecture="Arm64"))


# ------------------------------------------------------------------------------------------------ B4 network


@pytest.mark.parametrize(("space", "subnet", "code"), [
    ("10.0.0.1/16", "10.0.0.0/24", "InvalidCIDRNotation"),
    ("10.0.0.0", "10.0.0.0/24", "InvalidAddressPrefixFormat"),
])
def test_bad_ipv4_space(sdk: SdkClients, space: str, subnet: str, code: str) -> None:
    spec = good_spec(network=net(ipv4_space=space, subnet_ipv4=subnet))
    agree(sdk, spec, "vnet", "vm-vnet-ipv4-space", code)


def test_ipv4_subnet_outside_the_space(sdk: SdkClients) -> None:
    spec = good_spec(network=net(subnet_ipv4="10.1.0.0/24"))
    agree(sdk, spec, "vnet", "vm-subnet-ipv4", "NetcfgSubnetRangeOutsideVnet")


def test_ipv6_subnet_not_64(sdk: SdkClients) -> None:
    # The simulator's code is NRP's generic invalid-subnet one: no verbatim ARM answer is public.
    spec = good_spec(network=net(subnet_ipv6="fd12:3456:789a::/56"))
    agree(sdk, spec, "vnet", "vm-subnet-ipv6-64", "NetcfgInvalidSubnet")


def test_ipv6_subnet_outside_the_space(sdk: SdkClients) -> None:
    spec = good_spec(network=net(subnet_ipv6="fd99::/64"))
    agree(sdk, spec, "vnet", "vm-subnet-ipv6-inside", "NetcfgSubnetRangeOutsideVnet")


def test_ipv6_space_with_host_bits(sdk: SdkClients) -> None:
    spec = good_spec(network=NetworkSpec(ipv6_space="fd12:3456:789a::1/48", subnet_ipv6="fd12:3456:789a::/64"))
    agree(sdk, spec, "vnet", "vm-vnet-ipv6-space", "InvalidCIDRNotation")


def test_non_canonical_ipv6_is_refused_by_azwizard_although_the_api_takes_it(sdk: SdkClients) -> None:
    # A deliberate choice (catalogue B4 #24, the notes: "Azure doesn't like zeroes"): the simulator, like the
    # API as far as public evidence shows, accepts the text; azwizard asks for the canonical form anyway.
    spec = good_spec(network=NetworkSpec(ipv6_space="fd12:0034:5678::/48"))
    assert "fd12:34:5678::/48" in blocks(spec, good_facts(), "vm-ipv6-canonical")
    plan = make_plan(sdk.sim, spec)
    for step in needed_for(plan, "vnet") + [plan.step("vnet")]:
        send(sdk, step)


# ------------------------------------------------------------------------------------------------ B5 public IPs


def test_basic_public_ip_with_zones(sdk: SdkClients) -> None:
    spec = good_spec(public_ip=PublicIpSpec(sku="Basic"))
    agree(sdk, spec, "pip4", "vm-pip-sku", "ZonesNotAllowedInBasicSkuResource")


def test_basic_public_ip_without_zones(sdk: SdkClients) -> None:
    spec = good_spec(public_ip=PublicIpSpec(sku="Basic", zones=()))
    agree(sdk, spec, "pip4", "vm-pip-sku", "IPv4BasicSkuPublicIpCountLimitReached")


def test_standard_public_ip_must_be_static(sdk: SdkClients) -> None:
    spec = good_spec(public_ip=PublicIpSpec(allocation="Dynamic"))
    agree(sdk, spec, "pip6", "vm-pip-static", "StandardSkuPublicIPAddressesMustBeStatic")


@pytest.mark.parametrize("pip_zones", [("2",), ()])
def test_zonal_vm_with_public_ips_elsewhere(sdk: SdkClients, pip_zones: tuple[str, ...]) -> None:
    spec = good_spec(zone="1", public_ip=PublicIpSpec(zones=pip_zones))
    agree(sdk, spec, "vm", "vm-zone-pip-match",
          "ComputeResourceZoneConstraintDoesNotMatchPublicIPAddressZoneConstraint")


def test_standard_nat_gateway_cannot_be_zone_redundant(sdk: SdkClients) -> None:
    # Condition documented (nat-availability-zones); the simulator's code is marked *unverified* there.
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True, zones=("1", "2")))
    agree(sdk, spec, "nat", "vm-nat-gateway", "NatGatewayCannotBeZoneRedundant")


def test_nat_gateway_idle_timeout(sdk: SdkClients) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True, idle_timeout_minutes=200))
    agree(sdk, spec, "nat", "vm-nat-gateway", "InvalidIdleTimeoutInMinutes")


# ------------------------------------------------------------------------------------------------ B6 NSG


@pytest.mark.parametrize(("extra", "rule_id", "code"), [
    (nsg_rule(priority=99), "vm-nsg-priority", "SecurityRuleInvalidPriority"),
    (nsg_rule(priority=4097), "vm-nsg-priority", "SecurityRuleInvalidPriority"),
    (nsg_rule(priority=110), "vm-nsg-priority", "SecurityRuleConflict"),
    (nsg_rule(ports=("70000",)), "vm-nsg-rule-syntax", "SecurityRuleInvalidPortRange"),
    (nsg_rule(ports=("9000-8000",)), "vm-nsg-rule-syntax", "SecurityRuleInvalidPortRange"),
    (nsg_rule(source="any"), "vm-nsg-source", "SecurityRuleInvalidAddressPrefix"),
    (nsg_rule(source="198.51.100.7/24"), "vm-nsg-source", "SecurityRuleInvalidAddressPrefix"),
])
def test_bad_security_rules(sdk: SdkClients, extra: Any, rule_id: str, code: str) -> None:
    agree(sdk, good_spec(nsg_rules=web_rules(extra)), "nsg", rule_id, code)


def test_same_priority_in_the_other_direction_is_fine(sdk: SdkClients) -> None:
    spec = good_spec(nsg_rules=web_rules(nsg_rule(priority=110, direction="Outbound")))
    assert not [f for f in check_vm(spec, good_facts()) if f.rule_id == "vm-nsg-priority"]
    send(sdk, make_plan(sdk.sim, spec).step("rg"))
    send(sdk, make_plan(sdk.sim, spec).step("nsg"))


# ------------------------------------------------------------------------------------------------ B7 disks, data


def test_premium_disk_on_a_size_without_premium_io(sdk: SdkClients) -> None:
    spec = good_spec(size="Standard_D2_v4", os_disk=DiskSpec(sku="Premium_LRS"))
    agree(sdk, spec, "vm", "vm-disk-sku", "InvalidParameter")


def test_custom_data_too_large(sdk: SdkClients) -> None:
    spec = good_spec(custom_data="#cloud-config\n" + "x" * 70000)
    agree(sdk, spec, "vm", "vm-custom-data-size", "InvalidParameter")


def test_custom_data_at_the_limit_is_accepted(sdk: SdkClients) -> None:
    spec = good_spec(custom_data="#!/bin/sh\n" + "x" * (65535 - 10))
    assert not [f for f in check_vm(spec, good_facts()) if f.rule_id == "vm-custom-data-size"]
    for step in make_plan(sdk.sim, spec).topological():
        send(sdk, step)
