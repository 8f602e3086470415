"""The VM rules at the edges of their limits (the last value Azure accepts and the first it refuses) and the
details their findings give (which disk, which zone, which characters, which image): what a user would be told
wrongly, or not told, if a bound moved by one or a condition turned round. Each rule is applied on its own to a
built spec; facts come from the simulator's catalog as in test_rules_vm.py."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace

import pytest
from test_rules_vm import (
    KEY,
    _ssh_string,
    good_facts,
    good_spec,
    names,
    net,
    nsg_rule,
    only,
    region_facts,
    subscription_facts,
    web_rules,
    with_usage,
)

from azwizard.facts import RegionFacts
from azwizard.rules.model import Finding, Rule
from azwizard.rules.vm import VM_RULES, VmFacts, check_vm
from azwizard.specs.vm import (
    BackupSpec,
    DiskSpec,
    ImageRef,
    NatGatewaySpec,
    NetworkSpec,
    NsgRule,
    PublicIpSpec,
    VmNames,
    VmSpec,
)

NO_FACTS = VmFacts(None, None)
VmRule = Rule[VmSpec, VmFacts]
NAMES = VmNames.derive("Yolo")


def found(rule_id: str, spec: VmSpec, facts: VmFacts = NO_FACTS) -> list[Finding]:
    return VM_RULES.by_id(rule_id).apply(spec, facts)


def said(rule_id: str, spec: VmSpec, facts: VmFacts = NO_FACTS) -> list[str]:
    return [f.message for f in found(rule_id, spec, facts)]


def with_size(location: str, name: str, offered: tuple[str, ...], restricted: tuple[str, ...]) -> RegionFacts:
    """The region's facts with one size offered in, and restricted in, other zones."""
    rf = region_facts(location)
    sizes = dict(rf.vm_sizes)
    sizes[name] = replace(sizes[name], offered_zones=offered, restricted_zones=restricted)
    return RegionFacts(rf.region, sizes, rf.compute_usages, rf.network_usages)


# ------------------------------------------------------------------------------------------------ facts


@pytest.mark.parametrize("rule", VM_RULES.rules, ids=lambda r: r.id)
def test_every_rule_applied_alone_copes_without_facts_and_with_another_regions(rule: VmRule) -> None:
    """A rule is pure: without live facts, or with facts of another region, it says nothing it would need them
    for, and never fails (check_vm would turn a failure into "this check could not run")."""
    for facts in (NO_FACTS, good_facts("westeurope")):
        findings = rule.apply(good_spec(location="norwayeast"), facts)
        if rule.needs_facts:
            assert findings == [], findings


def test_without_subscription_facts_one_note_lists_every_check_that_did_not_run() -> None:
    both = only(check_vm(good_spec(), NO_FACTS), "live-facts-unavailable")
    assert len(both) == 1
    assert "Region offered to the subscription" in both[0].message and "Size offered in the region" in both[0].message
    sub_only = only(check_vm(good_spec(), VmFacts(None, region_facts("norwayeast"))), "live-facts-unavailable")
    assert len(sub_only) == 1 and sub_only[0].message.startswith("Live facts about the subscription could not be read")
    assert "Region offered to the subscription" in sub_only[0].message
    assert "Size offered in the region" not in sub_only[0].message


def test_a_region_without_zones_is_named_as_azure_writes_it() -> None:
    msgs = said("vm-region-zones", good_spec(location="Norway West"), VmFacts(subscription_facts(), None))
    assert msgs and msgs[0].startswith("norwaywest has no availability zones"), msgs


@pytest.mark.parametrize(("enabled", "zones", "fires"), [(True, ("1",), True), (False, ("1",), False),
                                                         (True, (), False)])
def test_a_nat_gateway_asks_for_zones_only_when_it_is_made_with_some(enabled: bool, zones: tuple[str, ...],
                                                                     fires: bool) -> None:
    spec = good_spec(location="norwaywest", public_ip=PublicIpSpec(zones=()),
                     nat_gateway=NatGatewaySpec(enabled=enabled, zones=zones))
    fields = [f.field for f in found("vm-region-zones", spec, good_facts("norwaywest"))]
    assert fields == (["nat_gateway.zones"] if fires else [])


# ------------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize("nat", [True, False])
def test_the_nat_gateways_public_ip_name_clashes_only_when_it_is_made(nat: bool) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=nat), names=names(nat_public_ipv4="yolo-ipv4"))
    assert [f.field for f in found("vm-names-unique", spec)] == (["names.nat_public_ipv4"] if nat else [])


@pytest.mark.parametrize("data_disk", [DiskSpec(size_gb=64), None])
def test_a_data_disk_named_like_the_os_disk_clashes_only_when_there_is_one(data_disk: DiskSpec | None) -> None:
    spec = good_spec(data_disk=data_disk, names=names(data_disk=NAMES.os_disk.upper()))
    assert [f.field for f in found("vm-names-unique", spec)] == (["names.data_disk"] if data_disk else [])


@pytest.mark.parametrize(("length", "ok"), [(64, True), (65, False)])
def test_a_host_name_is_at_most_64_characters(length: int, ok: bool) -> None:
    assert (said("vm-host-name", good_spec(names=names(vm="v" * length))) == []) is ok


@pytest.mark.parametrize("backup", [True, False])
def test_the_vault_name_matters_only_with_backup(backup: bool) -> None:
    spec = good_spec(names=names(vault="1-RSV"), backup=BackupSpec(enabled=backup))
    assert bool(said("vm-name-vault", spec)) is backup


@pytest.mark.parametrize(("name", "ok"), [("a" * 64, True), ("a" * 65, False), ("-bob", False), ("$bob", False),
                                          ("b-o$b", True)])
def test_an_admin_name_is_at_most_64_characters_not_starting_with_dash_or_dollar(name: str, ok: bool) -> None:
    assert (said("vm-admin-username", good_spec(admin_username=name)) == []) is ok


# ------------------------------------------------------------------------------------------------ size, zone, quota


@pytest.mark.parametrize(("rf", "zone", "why", "hint"), [
    (lambda: region_facts("norwayeast"), "2", "restricted for this subscription", "Pick zone 1 or 3, no zone"),
    (lambda: with_size("norwayeast", "Standard_D8s_v5", ("1", "3"), ()), "2",
     "not offered there", "Pick zone 1 or 3, no zone"),
    (lambda: with_size("norwayeast", "Standard_D8s_v5", ("2",), ("2",)), "2",
     "restricted for this subscription", "Pick no zone"),
])
def test_a_size_refused_in_a_zone_says_why_and_which_zones_it_can_use(rf: Callable[[], RegionFacts], zone: str, why: str,
                                                                       hint: str) -> None:
    spec = good_spec(size="Standard_D8s_v5", zone=zone)
    msgs = said("vm-size-zone", spec, good_facts(region=rf()))
    assert len(msgs) == 1 and f": {why}" in msgs[0] and f"SkuNotAvailable. {hint}, or another size." in msgs[0], msgs


@pytest.mark.parametrize(("used", "fires"), [(18, False), (19, True)])
def test_a_quota_that_the_vm_fills_exactly_is_enough(used: int, fires: bool) -> None:
    rf = with_usage(region_facts("norwayeast"), "compute", "standardBSFamily", used)  # limit 20, Standard_B2s: 2
    assert bool(said("vm-quota-vcpus", good_spec(), good_facts(region=rf))) is fires


@pytest.mark.parametrize(("size", "kind"), [("Standard_B2s", "a B-series"), ("Standard_D2_v2_Promo", "a Promo")])
def test_a_spot_vm_says_which_kind_of_size_cannot_be_spot(size: str, kind: str) -> None:
    msgs = said("vm-spot", good_spec(priority="Spot", size=size))
    assert any(m.startswith(f"{size} is {kind} size") for m in msgs), msgs


@pytest.mark.parametrize(("price", "ok"), [(-1, True), (0.5, True), (2.0, True), (0.12345, True), (0.123456, False),
                                           (0, False), (-2, False), (-0.5, False)])
def test_a_spot_max_price_is_minus_one_or_above_zero_with_five_decimals(price: float, ok: bool) -> None:
    spec = good_spec(priority="Spot", size="Standard_D2s_v5", max_price=price)
    assert ("max_price" not in [f.field for f in found("vm-spot", spec)]) is ok


@pytest.mark.parametrize(("policy", "os_kept", "data_kept", "severity", "text"), [
    ("Delete", False, False, None, ""),
    ("Delete", True, False, "warn", "also the OS disk set to be kept"),
    ("Delete", False, True, "warn", "also the data disk set to be kept"),
    ("Delete", True, True, "warn", "also the OS disk and data disk set to be kept"),
    ("Deallocate", True, True, "info", "is deallocated"),
])
def test_a_spot_eviction_policy_names_the_kept_disks_it_would_delete(policy: str, os_kept: bool, data_kept: bool,
                                                                     severity: str | None, text: str) -> None:
    spec = good_spec(priority="Spot", size="Standard_D2s_v5", eviction_policy=policy,
                     os_disk=DiskSpec(delete_with_vm=not os_kept), data_disk=DiskSpec(size_gb=64,
                                                                                      delete_with_vm=not data_kept))
    mine = [f for f in found("vm-spot", spec) if f.field == "eviction_policy"]
    assert [f.severity for f in mine] == ([severity] if severity else [])
    assert all(text in f.message for f in mine), mine


# ------------------------------------------------------------------------------------------------ addresses


def test_an_ipv6_prefix_in_an_ipv4_field_is_called_that() -> None:
    spec = good_spec(network=net(ipv4_space="fd00::/48", subnet_ipv4="fd00::/64"))
    assert said("vm-vnet-ipv4-space", spec) == [
        "The IPv4 address space 'fd00::/48' is an IPv6 prefix; this field takes the IPv4 prefix."]
    assert said("vm-subnet-ipv4", spec) == ["The IPv4 subnet 'fd00::/64' is an IPv6 prefix; this field takes the "
                                            "IPv4 prefix."]


def test_a_subnet_with_host_bits_gets_that_one_finding() -> None:
    msgs = said("vm-subnet-ipv4", good_spec(network=net(subnet_ipv4="10.0.0.1/24")))
    assert len(msgs) == 1 and "InvalidCIDRNotation" in msgs[0]


@pytest.mark.parametrize(("prefix", "ok"), [(29, True), (30, False)])
def test_a_vnet_and_a_subnet_are_at_least_a_29(prefix: int, ok: bool) -> None:
    space = good_spec(network=net(ipv4_space=f"10.0.0.0/{prefix}", subnet_ipv4=f"10.0.0.0/{prefix}"))
    assert (said("vm-vnet-ipv4-space", space) == []) is ok
    assert (said("vm-subnet-ipv4", space) == []) is ok


@pytest.mark.parametrize(("space", "example"), [("10.0.0.0/16", "10.0.0.0/24"), ("10.0.0.0/24", "10.0.0.0/24"),
                                                ("10.0.0.0/25", "10.0.0.0/25")])
def test_a_subnet_outside_the_space_is_shown_one_inside_it(space: str, example: str) -> None:
    msgs = said("vm-subnet-ipv4", good_spec(network=net(ipv4_space=space, subnet_ipv4="10.9.0.0/29")))
    assert len(msgs) == 1 and msgs[0].endswith(f"e.g. {example}."), msgs


@pytest.mark.parametrize(("prefix", "ok"), [(24, True), (25, False)])
def test_without_a_subnet_the_space_holds_at_least_the_default_24(prefix: int, ok: bool) -> None:
    msgs = said("vm-subnet-ipv4", good_spec(network=net(ipv4_space=f"10.0.0.0/{prefix}")))
    assert (msgs == []) is ok, msgs
    assert ok or "is smaller than a /24" in msgs[0]


@pytest.mark.parametrize(("subnet", "example"), [("fd12:3456:789a::/56", "fd12:3456:789a::/64"),
                                                 ("fd12:3456:789a:1:2::/80", "fd12:3456:789a:1::/64")])
def test_an_ipv6_subnet_other_than_a_64_is_shown_the_64_it_starts(subnet: str, example: str) -> None:
    msgs = said("vm-subnet-ipv6-64", good_spec(network=net(subnet_ipv6=subnet)))
    assert len(msgs) == 1 and msgs[0].endswith(f"the subnet would be rejected. Use {example}."), msgs


@pytest.mark.parametrize(("prefix", "ok"), [(64, True), (65, False)])
def test_an_ipv6_space_holds_at_least_one_64(prefix: int, ok: bool) -> None:
    spec = good_spec(network=NetworkSpec(ipv6_space=f"fd12:3456:789a::/{prefix}", subnet_ipv6="fd12:3456:789a::/64"))
    blocks = [f for f in found("vm-vnet-ipv6-space", spec) if f.blocking]
    assert (blocks == []) is ok, blocks


# ------------------------------------------------------------------------------------------------ public IPs, NAT


@pytest.mark.parametrize(("sku", "text"), [("StandardV2", "StandardV2 public IPs only work with a StandardV2 NAT"),
                                           ("Premium", "'Premium' is not a public IP SKU")])
def test_a_public_ip_sku_other_than_standard_says_why(sku: str, text: str) -> None:
    msgs = said("vm-pip-sku", good_spec(public_ip=PublicIpSpec(sku=sku)))
    assert len(msgs) == 1 and msgs[0].startswith(text), msgs


@pytest.mark.parametrize(("minutes", "ok"), [(3, False), (4, True), (30, True), (31, False)])
def test_a_public_ip_idle_timeout_is_4_to_30_minutes(minutes: int, ok: bool) -> None:
    assert (said("vm-pip-idle-timeout", good_spec(public_ip=PublicIpSpec(idle_timeout_minutes=minutes))) == []) is ok


@pytest.mark.parametrize(("minutes", "ok"), [(3, False), (4, True), (120, True), (121, False)])
def test_a_nat_gateway_idle_timeout_is_4_to_120_minutes(minutes: int, ok: bool) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True, idle_timeout_minutes=minutes))
    fields = [f.field for f in found("vm-nat-gateway", spec, good_facts())]
    assert ("nat_gateway.idle_timeout_minutes" not in fields) is ok


@pytest.mark.parametrize(("pip_sku", "fires"), [("StandardV2", False), ("Standard", True)])
def test_a_standardv2_nat_gateway_needs_standardv2_public_ips(pip_sku: str, fires: bool) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True, sku="StandardV2"), public_ip=PublicIpSpec(sku=pip_sku))
    msgs = said("vm-nat-gateway", spec, good_facts())
    assert any("needs a StandardV2 public IP" in m for m in msgs) is fires, msgs


@pytest.mark.parametrize(("zones", "fires"), [(("1",), False), (("1", "2"), True)])
def test_a_standard_nat_gateway_has_at_most_one_zone(zones: tuple[str, ...], fires: bool) -> None:
    spec = good_spec(nat_gateway=NatGatewaySpec(enabled=True, zones=zones))
    fields = [f.field for f in found("vm-nat-gateway", spec, good_facts())]
    assert ("nat_gateway.zones" in fields) is fires


@pytest.mark.parametrize(("location", "pip_zones", "vm_zone", "nat_zones", "tail"), [
    ("norwayeast", ("1", "2", "3"), None, ("1",),
     " The VM's public IPs are zone-redundant but the NAT gateway can't be, so outbound IPv4 depends on zone 1."),
    ("norwayeast", ("1",), "1", ("1",), ""),
    ("norwaywest", (), None, (), ""),
    ("norwayeast", ("1",), "1", ("2",), " The VM is in zone 1 but the NAT gateway in zone 2."),
])
def test_a_standard_nat_gateways_note_adds_only_the_zone_mismatches_there_are(
        location: str, pip_zones: tuple[str, ...], vm_zone: str | None, nat_zones: tuple[str, ...], tail: str) -> None:
    spec = good_spec(location=location, zone=vm_zone, public_ip=PublicIpSpec(zones=pip_zones),
                     nat_gateway=NatGatewaySpec(enabled=True, zones=nat_zones))
    (note,) = [m for m in said("vm-nat-gateway", spec, good_facts(location))
               if m.startswith("A Standard NAT gateway handles outbound IPv4 only")]
    assert note.endswith("is the alternative)." + tail), note


# ------------------------------------------------------------------------------------------------ NSG


@pytest.mark.parametrize(("priority", "ok"), [(99, False), (100, True), (4096, True), (4097, False)])
def test_a_custom_rule_priority_is_100_to_4096(priority: int, ok: bool) -> None:
    spec = good_spec(nsg_rules=(nsg_rule(priority=priority),))
    assert (said("vm-nsg-priority", spec) == []) is ok


@pytest.mark.parametrize(("length", "ok"), [(140, True), (141, False)])
def test_a_rule_description_is_at_most_140_characters(length: int, ok: bool) -> None:
    spec = good_spec(nsg_rules=(nsg_rule(description="d" * length),))
    assert (said("vm-nsg-rule-syntax", spec) == []) is ok


@pytest.mark.parametrize(("source", "hint"), [("10.0.0.1/24", " (for that prefix Azure wants 10.0.0.0/24). Use"),
                                              ("any", ". Use")])
def test_a_refused_source_with_host_bits_is_shown_its_prefix(source: str, hint: str) -> None:
    msgs = said("vm-nsg-source", good_spec(nsg_rules=(nsg_rule(source=source),)))
    assert len(msgs) == 1 and f"(SecurityRuleInvalidAddressPrefix){hint}" in msgs[0], msgs


@pytest.mark.parametrize(("rules", "start"), [(web_rules(), "Rule Allow-ICMPv4 allows ICMP for IPv4 only. Network"),
                                              ((nsg_rule(),), "Network security groups can't filter ICMPv6")])
def test_the_icmpv6_warning_names_the_icmp_rule_there_is(rules: tuple[NsgRule, ...], start: str) -> None:
    msgs = said("vm-nsg-icmpv6", good_spec(nsg_rules=rules))
    assert len(msgs) == 1 and msgs[0].startswith(start), msgs


@pytest.mark.parametrize(("ports", "fires"), [(("http",), True), (("22",), False), (("20-22",), False),
                                              (("23-80",), True)])
def test_only_a_rule_whose_ports_hold_22_lets_ssh_in(ports: tuple[str, ...], fires: bool) -> None:
    """A port that is not a number (refused by vm-nsg-rule-syntax) opens nothing."""
    assert bool(said("vm-nsg-no-ssh", good_spec(nsg_rules=(nsg_rule(ports=ports),)))) is fires


@pytest.mark.parametrize(("direction", "access", "fires"), [("Inbound", "Allow", True), ("Outbound", "Allow", False),
                                                            ("Inbound", "Deny", False)])
def test_the_nsg_note_comes_only_with_an_inbound_allow_rule(direction: str, access: str, fires: bool) -> None:
    spec = good_spec(nsg_rules=(nsg_rule(direction=direction, access=access),))
    assert bool(said("vm-nsg-on-subnet", spec)) is fires


# ------------------------------------------------------------------------------------------------ disks, custom data


def test_an_unknown_disk_type_gets_only_that_finding() -> None:
    spec = good_spec(size="Standard_D2_v4", os_disk=DiskSpec(sku="Premium_XYZ"))
    msgs = said("vm-disk-sku", spec, good_facts())
    assert len(msgs) == 1 and "is not a managed disk type" in msgs[0], msgs


@pytest.mark.parametrize(("location", "sku", "fires"), [("norwayeast", "StandardSSD_ZRS", False),
                                                        ("norwaywest", "StandardSSD_LRS", False),
                                                        ("norwaywest", "StandardSSD_ZRS", True)])
def test_a_zrs_disk_is_questioned_only_in_a_region_without_zones(location: str, sku: str, fires: bool) -> None:
    spec = good_spec(location=location, public_ip=PublicIpSpec(zones=()), os_disk=DiskSpec(sku=sku))
    assert bool(said("vm-disk-sku", spec, good_facts(location))) is fires


@pytest.mark.parametrize(("size", "severity", "text"), [(0, "block", "is not a size"), (1, "warn", "smaller than"),
                                                        (29, "warn", "smaller than"), (30, None, "")])
def test_an_os_disk_is_above_0_and_should_hold_the_30_gib_image(size: int, severity: str | None, text: str) -> None:
    mine = found("vm-disk-size", good_spec(os_disk=DiskSpec(size_gb=size)))
    assert [f.severity for f in mine] == ([severity] if severity else [])
    assert all(text in f.message for f in mine)


@pytest.mark.parametrize(("size", "ok"), [(0, False), (1, True), (32767, True), (32768, False)])
def test_a_data_disk_is_1_to_32767_gib(size: int, ok: bool) -> None:
    assert (said("vm-disk-size", good_spec(data_disk=DiskSpec(size_gb=size))) == []) is ok


def test_a_script_is_not_read_as_cloud_config() -> None:
    assert said("vm-cloud-config-yaml", good_spec(custom_data="#!/bin/sh\napt-get install -y nginx\n")) == []


def test_yaml_refusing_a_character_is_quoted_with_its_reason() -> None:
    msgs = said("vm-cloud-config-yaml", good_spec(custom_data="#cloud-config\nfoo: \x07\n"))
    assert msgs == ["The cloud-config is not valid YAML (unacceptable character #x0007: special characters are not "
                    "allowed): cloud-init would not apply any of it. Fix the YAML (indent with spaces, quote values "
                    "with ':' or '#')."]


# ------------------------------------------------------------------------------------------------ image, SSH key


@pytest.mark.parametrize(("label", "shown"), [("Debian 12 Gen1", "The image Debian 12 Gen1 (Debian:debian-12:12:latest) "),
                                              ("", "The image Debian:debian-12:12:latest ")])
def test_an_image_is_named_by_its_label_and_urn(label: str, shown: str) -> None:
    spec = good_spec(image=ImageRef("Debian", "debian-12", "12", label=label))
    msgs = said("vm-trusted-launch-image", spec, good_facts(image_generations=("V1",)))
    assert len(msgs) == 1 and msgs[0].startswith(shown + "is Generation 1"), msgs


@pytest.mark.parametrize(("sku", "recorded", "fires"), [("12", "Arm64", True), ("12-arm64", "x64", False)])
def test_the_images_record_decides_its_architecture_over_the_sku_name(sku: str, recorded: str, fires: bool) -> None:
    spec = good_spec(image=ImageRef("Debian", "debian-12", sku))
    assert bool(said("vm-image-architecture", spec, good_facts(image_architecture=recorded))) is fires


def _key(kind: bytes, *strings: bytes, trailing: bytes = b"") -> str:
    blob = _ssh_string(kind) + b"".join(_ssh_string(s) for s in strings) + trailing
    return f"{kind.decode()} {base64.b64encode(blob).decode()}"


@pytest.mark.parametrize(("key", "text"), [
    ("---- BEGIN SSH2 PUBLIC KEY ----\nAAAAC3NzaC1lZDI1NTE5\n---- END SSH2 PUBLIC KEY ----", "SSH2 (RFC 4716)"),
    (_key(b"ssh-ed25519", bytes(32), trailing=b"\x00\x00"), "damaged"),
    (_key(b"ssh-rsa", b"\x01\x00\x01"), "damaged: the RSA key has no modulus"),
    (_key(b"ssh-ed25519", bytes(32)).replace("ssh-ed25519 ", "ssh-rsa ", 1), "holds another key type"),
])
def test_a_public_key_refused_says_what_is_wrong_with_it(key: str, text: str) -> None:
    msgs = said("vm-ssh-key", good_spec(ssh_public_key=key))
    assert len(msgs) == 1 and text in msgs[0], msgs


def test_a_public_key_without_a_comment_is_accepted() -> None:
    assert said("vm-ssh-key", good_spec(ssh_public_key=" ".join(KEY.split()[:2]))) == []
