"""Spot VMs (issue 20's proof of the field registry): priority Regular/Spot, eviction policy Deallocate/Delete and a
max price, read from a profile and an az command, sent in the VM's body (and its az export), checked by the vm-spot
rule (https://learn.microsoft.com/azure/virtual-machines/spot-vms) and by the simulator as Azure does
(https://learn.microsoft.com/azure/virtual-machines/error-codes-spot)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from test_rules_vm import good_facts
from test_sim_compute import Net, create, rejected, vm_body

from azwizard.fields import VM_FIELDS
from azwizard.plan.exports import az_commands
from azwizard.plan.vm import plan_vm
from azwizard.profiles import ProfileError, dump_vm, read_profile
from azwizard.rules.vm import check_vm
from azwizard.run.failure_fields import field_for_failure
from azwizard.specs.azcli import canonical_vm, read_vm
from azwizard.specs.vm import DiskSpec, VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop azureuser@Yolo-VM"
SPOT = VmSpec.for_base("Yolo", ssh_public_key=KEY, size="Standard_D2s_v5", priority="Spot",
                       eviction_policy="Delete", max_price=0.05)
SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"


def _vm_props(spec: VmSpec) -> dict[str, Any]:
    plan = plan_vm(spec, subscription_id=SUB, run_id="r1", created_at="2026-01-01T00:00:00Z")
    step = next(s for s in plan.steps if s.kind == "Microsoft.Compute/virtualMachines")
    return dict(step.body["properties"])


# ---------------------------------------------------------------------------------------------------
# profile, body, az


def test_a_profile_reads_and_writes_the_spot_settings() -> None:
    spec = read_profile('name = "Yolo"\nsize = "Standard_D2s_v5"\npriority = "Spot"\neviction_policy = "Delete"\n'
                        "max_price = 0.05\n", "vm").vm
    assert (spec.priority, spec.eviction_policy, spec.max_price) == ("Spot", "Delete", 0.05)
    assert read_profile('name = "Yolo"\npriority = "Spot"\nmax_price = -1\n', "vm").vm.max_price == -1.0
    again = read_profile(dump_vm(spec), "vm").vm
    assert again == spec
    assert read_profile('name = "Yolo"\n', "vm").vm.priority == "Regular"  # the default


@pytest.mark.parametrize("line, message", [
    ('priority = "spot"', "'spot' is not one of 'Regular', 'Spot' (did you mean 'Spot'?)"),
    ('priority = "Low"', "'Low' is not one of 'Regular', 'Spot'"),
    ('eviction_policy = "Stop"', "'Stop' is not one of 'Deallocate', 'Delete'"),
    ('max_price = "cheap"', "expected an integer or a number, got a string"),
])
def test_a_profile_refuses_bad_spot_settings(line: str, message: str) -> None:
    with pytest.raises(ProfileError) as info:
        read_profile(f'name = "Yolo"\n{line}\n', "vm")
    assert message in str(info.value)


def test_the_body_carries_spot_only_for_a_spot_vm() -> None:
    props = _vm_props(SPOT)
    assert props["priority"] == "Spot" and props["evictionPolicy"] == "Delete"
    assert props["billingProfile"] == {"maxPrice": 0.05}
    regular = _vm_props(dataclasses.replace(SPOT, priority="Regular"))
    assert not {"priority", "evictionPolicy", "billingProfile"} & set(regular)


def test_the_az_export_says_spot_and_reads_back_the_same_spec() -> None:
    plan = plan_vm(SPOT, subscription_id=SUB, run_id="r1", created_at="2026-01-01T00:00:00Z")
    commands = az_commands(plan)
    create_vm = next(c for c in commands if c[:3] == ["az", "vm", "create"])
    for option, value in (("--priority", "Spot"), ("--eviction-policy", "Delete"), ("--max-price", "0.05")):
        assert create_vm[create_vm.index(option) + 1] == value
    assert read_vm(commands).spec == canonical_vm(SPOT)


def test_an_az_command_with_spot_options_reads_them() -> None:
    base = ["az", "vm", "create", "-g", "Yolo-RG", "-n", "Yolo-VM", "--image", "Debian:debian-12:12-gen2:latest",
            "--size", "Standard_D2s_v5", "--priority", "Spot", "--max-price", "-1", "--eviction-policy", "deallocate"]
    spec = read_vm([base]).spec
    assert (spec.priority, spec.eviction_policy, spec.max_price) == ("Spot", "Deallocate", -1.0)
    from azwizard.specs.azcli import AzReadError

    with pytest.raises(AzReadError, match="--max-price"):
        read_vm([[*base[:-6], "--priority", "Spot", "--max-price", "cheap"]])


# ---------------------------------------------------------------------------------------------------
# the rule


def _spot(spec: VmSpec) -> list[tuple[str, str, str]]:
    return [(f.severity, f.field, f.message) for f in check_vm(spec, good_facts()) if f.rule_id == "vm-spot"]


def test_a_b_series_size_cannot_be_spot() -> None:
    hits = _spot(dataclasses.replace(SPOT, size="Standard_B2s"))
    assert [(s, f) for s, f, _ in hits] == [("block", "size")]
    assert "VariablePricingIsNotSupportedForThisVMSize" in hits[0][2]
    assert not [h for h in _spot(SPOT) if h[0] == "block"]
    assert _spot(dataclasses.replace(SPOT, priority="Regular", size="Standard_B2s")) == []  # Regular: no finding


@pytest.mark.parametrize("price, ok", [(-1.0, True), (0.05, True), (0.00001, True), (0.0, False), (-0.5, False),
                                       (0.123456, False)])
def test_the_max_price_is_minus_one_or_above_zero_with_five_decimals(price: float, ok: bool) -> None:
    hits = [h for h in _spot(dataclasses.replace(SPOT, max_price=price)) if h[1] == "max_price"]
    assert (hits == []) == ok
    assert all(h[0] == "block" and "MaxPriceValueInvalid" in h[2] for h in hits)


def test_eviction_delete_takes_the_disks_set_to_be_kept() -> None:
    keep = dataclasses.replace(SPOT, os_disk=DiskSpec(delete_with_vm=False),
                               data_disk=DiskSpec(size_gb=64, delete_with_vm=False))
    hits = [h for h in _spot(keep) if h[1] == "eviction_policy"]
    assert [h[0] for h in hits] == ["warn"] and "OS disk and data disk" in hits[0][2]
    assert [h[0] for h in _spot(dataclasses.replace(keep, eviction_policy="Deallocate"))] == ["info"]


def test_spot_errors_go_back_to_the_spot_fields() -> None:
    for code, field in (("MaxPriceValueInvalid", "max_price"), ("VariablePriceGreaterThanProvidedMaxPrice", "max_price"),
                        ("EvictionPolicyCanBeSetOnlyOnLowPriorityVirtualMachines", "eviction_policy"),
                        ("VariablePricingIsNotSupportedForThisVMSize", "size")):
        assert field_for_failure("vm", "vm", code) == field
    assert VM_FIELDS.spec("priority").step == "vm"


# ---------------------------------------------------------------------------------------------------
# the simulator, as Azure answers


@pytest.fixture
def net(sdk: Any, rg: str) -> Net:
    return Net(sdk, rg)


def _spot_body(nic: str, **props: Any) -> dict[str, Any]:
    body = vm_body(nic)
    body["properties"].update(props)
    return body


def test_the_simulator_creates_a_spot_vm_and_reports_its_settings(sdk: Any, rg: str, net: Net) -> None:
    nic = net.nic("spot-nic")
    vm = create(sdk, rg, "spot1", _spot_body(nic, priority="Spot", evictionPolicy="Delete",
                                              billingProfile={"maxPrice": -1}))
    assert (vm.priority, vm.eviction_policy, vm.billing_profile.max_price) == ("Spot", "Delete", -1)


@pytest.mark.parametrize("props, code", [
    ({"evictionPolicy": "Delete"}, "EvictionPolicyCanBeSetOnlyOnLowPriorityVirtualMachines"),
    ({"billingProfile": {"maxPrice": 0.5}}, "VariablePricingIsSupportedOnlyForLowPriorityVirtualMachines"),
    ({"priority": "Spot", "billingProfile": {"maxPrice": 0}}, "MaxPriceValueInvalid"),
])
def test_the_simulator_refuses_spot_settings_azure_refuses(sdk: Any, rg: str, net: Net, props: dict[str, Any],
                                                            code: str) -> None:
    err = rejected(sdk, rg, "spot2", _spot_body(net.nic("spot-nic2"), **props))
    assert err.status_code == 400 and err.error is not None and err.error.code == code


def test_the_simulator_refuses_a_spot_vm_of_a_size_without_spot(sdk: Any, rg: str, net: Net) -> None:
    body = _spot_body(net.nic("spot-nic3"), priority="Spot")
    body["properties"]["hardwareProfile"]["vmSize"] = "Standard_B2s"
    body["properties"].pop("securityProfile", None)
    err = rejected(sdk, rg, "spot3", body)
    assert err.error is not None and err.error.code == "VariablePricingIsNotSupportedForThisVMSize"
