"""Reading az commands back: spec -> az export -> az import gives the same spec (in its canonical form, which
creates exactly the same resources), for every VM and AKS spec the journeys can produce; the notes' own
command; a lone az vm create; unknown flags reported, bad values refused."""

from __future__ import annotations

import copy
import shlex
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from spec_strategies import KEY, SUB, aks_specs, vm_specs

from azwizard.plan.aks import plan_aks
from azwizard.plan.exports import az_commands, az_script, export
from azwizard.plan.model import Plan
from azwizard.plan.vm import plan_vm
from azwizard.specs.aks import SEED_COMMAND, AksSpec, spec_from_seed_command
from azwizard.specs.azcli import (
    AzReadError,
    canonical_aks,
    canonical_vm,
    read_aks,
    read_script,
    read_vm,
    split_commands,
)
from azwizard.specs.vm import IMAGES, VmSpec

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def bodies(plan: Plan) -> dict[str, Any]:
    return {s.resource_id: s.body for s in plan.steps}


def vm_plan(spec: VmSpec) -> Plan:
    return plan_vm(spec, subscription_id=SUB, run_id="20260101-000000-abcd", created_at="2026-01-01T00:00:00Z")


def aks_plan(spec: AksSpec) -> Plan:
    return plan_aks(spec, subscription_id=SUB, run_id="20260101-000000-abcd", created_at="2026-01-01T00:00:00Z")


def without_data_disk_name(b: dict[str, Any]) -> dict[str, Any]:
    """az vm create cannot name a new data disk (the export notes it): Azure names it."""
    b = copy.deepcopy(b)
    for body in b.values():
        for disk in body.get("properties", {}).get("storageProfile", {}).get("dataDisks", []):
            disk.pop("name", None)
    return b


@SETTINGS
@given(vm_specs())
def test_vm_spec_az_export_import_round_trip(spec: VmSpec) -> None:
    plan = vm_plan(spec)
    assert not [s.step.key for s in export(plan).steps if s.generic]  # every step has its az command
    read = read_vm(az_commands(plan))
    assert read.unknown == ()
    assert read.spec == canonical_vm(spec)
    assert read.subscription_id == SUB
    # ... and the canonical form creates the very same resources with the very same bodies.
    assert without_data_disk_name(bodies(vm_plan(read.spec))) == without_data_disk_name(bodies(plan))


@SETTINGS
@given(vm_specs())
def test_the_exported_script_reads_back(spec: VmSpec) -> None:
    """The bash script itself (variables, custom data in a here-document), not just its argv form."""
    assert read_vm(read_script(az_script(vm_plan(spec)))).spec == canonical_vm(spec)


@SETTINGS
@given(aks_specs())
def test_aks_spec_az_export_import_round_trip(spec: AksSpec) -> None:
    plan = aks_plan(spec)
    assert not [s.step.key for s in export(plan).steps if s.generic]
    read = read_aks(az_commands(plan))
    assert read.unknown == ()
    assert read.spec == canonical_aks(spec, SUB)
    assert bodies(aks_plan(read.spec)) == bodies(plan)
    assert read_aks(read_script(az_script(plan))).spec == read.spec  # the script (SSH key in a file) too


def test_canonical_forms_are_fixed_points() -> None:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY)
    assert canonical_vm(canonical_vm(spec)) == canonical_vm(spec)
    assert canonical_vm(spec) == spec  # the wizard's default spec is already canonical
    seed = spec_from_seed_command()
    assert canonical_aks(seed) == seed


def test_the_notes_command_reads_as_the_seed_spec() -> None:
    read = read_aks(split_commands([SEED_COMMAND]))
    assert read.spec == spec_from_seed_command()
    assert read.unknown == () and read.notes == ()


def test_unknown_flags_are_reported_not_dropped() -> None:
    read = read_aks(split_commands(["az", "aks", "create", "-g", "rg", "-n", "c", "--enable-addons", "monitoring",
                                    "--frobnicate", "3", "--node-count", "2"]))
    assert read.spec.system_pool.count == 2
    assert any("--frobnicate 3 is not a flag azwizard understands" in u for u in read.unknown)
    assert any("--enable-addons" in u and "add-ons" in u for u in read.unknown)
    vm = read_vm(split_commands(["az vm create -g rg -n web --image Debian12 --admin-password x --wat"]))
    assert any("--admin-password" in u and "SSH" in u for u in vm.unknown)
    assert any("--wat" in u for u in vm.unknown)
    other = read_vm(split_commands(["az", "network", "lb", "create", "-g", "x", ";", "az", "vm", "create", "-n", "v"]))
    assert any(u.startswith("az network lb create") for u in other.unknown)


def test_bad_values_are_refused() -> None:
    with pytest.raises(AzReadError, match="--node-count takes a whole number"):
        read_aks([["az", "aks", "create", "--node-count=three"]])
    with pytest.raises(AzReadError, match="needs a value"):
        read_aks([["az", "aks", "create", "--name"]])
    with pytest.raises(AzReadError, match="not an az command"):
        split_commands(["kubectl", "get", "pods"])
    with pytest.raises(AzReadError, match="no az aks create"):
        read_aks([["az", "group", "create", "-n", "x"]])
    with pytest.raises(AzReadError, match="--image"):
        read_vm([["az", "vm", "create", "-n", "x", "--image", "Win2022Datacenter"]])


def test_a_lone_az_vm_create_reads_with_azs_defaults(tmp_path: Any) -> None:
    key = tmp_path / "id.pub"
    key.write_text(KEY + "\n")
    cmd = (f"az vm create --resource-group Yolo-RG --name Yolo-VM --image Debian:debian-12:12-gen2:latest "
           f"--size Standard_B2s --admin-username azureuser --ssh-key-values {key} --public-ip-sku Standard "
           "--zone 2 --os-disk-delete-option Delete --nic-delete-option Delete --tags team=web")
    read = read_vm(split_commands(shlex.split(cmd)))
    s = read.spec
    assert (s.base_name, s.names.resource_group, s.names.vm, s.names.vnet) == ("Yolo", "Yolo-RG", "Yolo-VM", "Yolo-VNet")
    assert s.image == IMAGES["debian-12"] and s.size == "Standard_B2s" and s.zone == "2"
    assert s.ssh_public_key == KEY and s.extra_tags == (("team", "web"),)
    assert s.purpose == "ssh-only" and s.os_disk.delete_with_vm and s.nic_delete_with_vm
    assert s.public_ip.zones == ("2",)
    assert any("IPv4-only" in n for n in read.notes)
    bare = read_vm([["az", "vm", "create", "-n", "x", "--image", "Ubuntu2404"]]).spec
    assert bare.size == "Standard_DS1_v2" and not bare.os_disk.delete_with_vm  # az's defaults


def test_reserved_tags_are_not_read_however_spaced_or_cased() -> None:
    """Issue 22: azwizard's bookkeeping tag names are matched after trimming and case-folding, as ARM matches tag
    names (tag-resources#limitations), so `" created-by=me"` cannot pass as a tag of the user's own."""
    cmd = ["az", "vm", "create", "-n", "x", "--image", "Ubuntu2404", "--tags", " created-by=me", "Created-By =x",
           "AZWIZARD-RUN=1", "team=web"]
    assert read_vm([cmd]).spec.extra_tags == (("team", "web"),)


def test_exported_script_lines_read_from_argv_and_text() -> None:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY)
    commands = az_commands(vm_plan(spec))
    joined: list[str] = []
    for c in commands:
        joined += [*c, ";"]
    assert read_vm(split_commands(joined)).spec == canonical_vm(spec)


@pytest.mark.parametrize(("alias", "urn"), [
    ("Debian11", "Debian:debian-11:11-backports-gen2:latest"),
    ("Ubuntu2204", "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"),
    ("ubuntu2204", "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"),  # az matches without case
    ("Ubuntu2404", "Canonical:ubuntu-24_04-lts:server:latest"),
    ("Ubuntu2404Pro", "Canonical:ubuntu-24_04-lts:ubuntu-pro:latest"),
    ("CentOS85Gen2", "OpenLogic:CentOS:8_5-gen2:latest"),
    ("RHELRaw8LVMGen2", "RedHat:RHEL:8-lvm-gen2:latest"),
    ("SuseSles15SP5", "SUSE:sles-15-sp5:gen2:latest"),
    ("OpenSuseLeap154Gen2", "SUSE:openSUSE-leap-15-4:gen2:latest"),
    ("FlatcarLinuxFreeGen2", "kinvolk:flatcar-container-linux-free:stable-gen2:latest"),
    ("Debian12", "Debian:debian-12:12-gen2:latest"),  # azwizard's own (the docs' examples), not az's
])
def test_az_image_aliases_read_as_az_resolves_them(alias: str, urn: str) -> None:
    """The Linux URN aliases of az's alias document (arm-compute/quickstart-templates/aliases.json): Debian11 and
    Ubuntu2204 were refused."""
    assert read_vm([["az", "vm", "create", "-n", "x", "--image", alias]]).spec.image.urn == urn


def test_windows_aliases_and_unknown_images_are_refused_clearly() -> None:
    with pytest.raises(AzReadError, match="'Win2019Datacenter' is a Windows image"):
        read_vm([["az", "vm", "create", "-n", "x", "--image", "Win2019Datacenter"]])
    with pytest.raises(AzReadError, match="Debian11, .*Ubuntu2204"):
        read_vm([["az", "vm", "create", "-n", "x", "--image", "Debian13"]])


def test_load_balancer_managed_outbound_counts_are_read() -> None:
    """--load-balancer-managed-outbound-ip[v6]-count were read and then dropped with a note (#24): the counts the
    user gave are what is sent (loadBalancerProfile.managedOutboundIPs, as az sends them); an impossible one is an
    error; with another outbound type they are not sent, and a note says so."""
    base = ["az", "aks", "create", "-n", "c", "--ip-families", "ipv4,ipv6"]
    same = read_aks([[*base, "--load-balancer-managed-outbound-ipv6-count", "1",
                      "--load-balancer-managed-outbound-ip-count", "1"]])
    assert same.unknown == () and same.notes == ()
    assert (same.spec.network.outbound_ipv4_count, same.spec.network.outbound_ipv6_count) == (1, 1)
    more = read_aks([[*base, "--load-balancer-managed-outbound-ipv6-count", "2",
                      "--load-balancer-managed-outbound-ip-count", "3"]])
    assert more.unknown == () and more.notes == ()
    body = plan_aks(more.spec, subscription_id="00000000-0000-0000-0000-000000000000", run_id="r",
                    created_at="t").step("aks").body
    assert body["properties"]["networkProfile"]["loadBalancerProfile"] == {"managedOutboundIPs": {"count": 3,
                                                                                                  "countIPv6": 2}}
    nat = read_aks([["az", "aks", "create", "-n", "c", "--outbound-type", "managedNATGateway",
                     "--load-balancer-managed-outbound-ip-count", "3"]])
    assert nat.spec.network.outbound_ipv4_count is None and any("ignored" in n for n in nat.notes)
    with pytest.raises(AzReadError, match="0-100"):
        read_aks([[*base, "--load-balancer-managed-outbound-ipv6-count", "101"]])
