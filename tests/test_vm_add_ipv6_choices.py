"""vm add-ipv6's choices (issue 21): IPv6 companion rules in the existing NSGs the user asks for
(``--ipv6-nsg-source``, ``--ipv6-nsg-rule``), planned as read-modify-write updates of the subnet's and the NIC's
NSG (both must allow), each rule cited, undone at cleanup; and the NIC to add IPv6 to (``--nic``, default the
primary), through the real SDK against the simulator."""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from existing_helpers import connection, writes
from test_vm_add_ipv6 import _no_etags

from azwizard.azure import ops
from azwizard.existing.doctor import doctor
from azwizard.existing.legacy import Legacy, make_legacy_vm
from azwizard.existing.nsg6 import SRC_RULES, parse_source
from azwizard.existing.read import NIC, VM, VNET, read_vm_network
from azwizard.exitcodes import EXIT_USAGE
from azwizard.headless.common import CommandError
from azwizard.headless.vm_existing import add_ipv6_command
from azwizard.journal import list_runs
from azwizard.sim import ArmSim

L = Legacy()
NSG = "Microsoft.Network/networkSecurityGroups"
SUBNET_NSG = "legacy-subnet-nsg"


@pytest.fixture(autouse=True)
def _own_journals(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path))


def rule(name: str, priority: int, source: str, port: str, access: str = "Allow") -> dict[str, Any]:
    return {"name": name, "properties": {"priority": priority, "direction": "Inbound", "access": access,
                                         "protocol": "Tcp", "sourceAddressPrefix": source, "sourcePortRange": "*",
                                         "destinationAddressPrefix": "*", "destinationPortRange": port}}


def base(sim: ArmSim) -> str:
    return f"/subscriptions/{sim.subscription_id}/resourceGroups/{L.group}/providers"


@pytest.fixture
def two_nsgs() -> tuple[ArmSim, Any]:
    sim = ArmSim()
    conn = connection(sim)
    make_two_nsgs(sim, conn)
    return sim, conn


def make_two_nsgs(sim: ArmSim, conn: Any) -> None:
    """The demo's legacy VM with an NSG on its NIC (SSH from one IPv4 address, and a rule right after it) and
    another on its subnet (HTTPS from an IPv4 office range, SSH from the same address, a deny at the end): the
    portal user's "both must allow" set-up."""
    f = conn.session.factory
    make_legacy_vm(f)
    net = f.network()
    net.network_security_groups.begin_create_or_update(L.group, L.nsg, {"location": L.location, "properties": {
        "securityRules": [rule("SSH", 300, "198.51.100.7/32", "22"), rule("Web", 301, "*", "80")]}}).result()
    net.network_security_groups.begin_create_or_update(L.group, SUBNET_NSG, {"location": L.location, "properties": {
        "securityRules": [rule("HTTPS-office", 310, "203.0.113.0/24", "443"),
                          rule("SSH-admin", 200, "198.51.100.7/32", "22"),
                          rule("Deny-rest", 4000, "*", "*", "Deny")]}}).result()
    net.virtual_networks.begin_create_or_update(L.group, L.vnet, {"location": L.location, "properties": {
        "addressSpace": {"addressPrefixes": [L.space]}, "subnets": [{"name": L.subnet, "properties": {
            "addressPrefix": L.prefix,
            "networkSecurityGroup": {"id": f"{base(sim)}/{NSG}/{SUBNET_NSG}"}}}]}}).result()


def args(**kw: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"demo": False, "resource_group": L.group, "vm": L.vm, "format": "text", "yes": True,
                                 "nic": "", "ipv6_nsg_source": "", "ipv6_nsg_rule": [], **kw})


def nsg(conn: Any, sim: ArmSim, name: str) -> dict[str, Any]:
    return ops.wire(ops.get(conn.session.factory, NSG, f"{base(sim)}/{NSG}/{name}"))


def rules_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r["properties"] for r in body["properties"]["securityRules"]}


def test_parse_source_takes_star_or_an_ipv6_prefix_and_refuses_ipv4() -> None:
    assert parse_source(" * ") == "*" and parse_source("internet") == "Internet"
    assert parse_source("2001:DB8:0:0::/48") == "2001:db8::/48"
    with pytest.raises(ValueError, match="IPv4 prefix"):
        parse_source("203.0.113.0/24")
    with pytest.raises(ValueError, match="not an IPv6 source"):
        parse_source("office")


def test_the_plan_shows_each_nsg_update_and_cites_each_rule(two_nsgs: tuple[ArmSim, Any],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    sim, conn = two_nsgs
    n = len(sim.requests)
    assert add_ipv6_command(args(yes=False, ipv6_nsg_source="*"), conn) == 0
    assert writes(sim, n) == []  # a plan sends nothing
    text = capsys.readouterr().out
    assert f"~ Network security group {SUBNET_NSG}" in text and f"~ Network security group {L.nsg}" in text
    assert "securityRules[HTTPS-office-IPv6]" in text and "securityRules[SSH-IPv6]" in text
    for name in ("HTTPS-office-IPv6", "SSH-admin-IPv6", "SSH-IPv6"):
        note = next(line for line in text.splitlines() if f"gets rule {name}:" in line)
        assert SRC_RULES in note, note  # each rule cited
    # the rules given companions are no longer said to keep IPv6 clients out
    assert "[doctor-ipv4-only-sources]" not in text
    # without the choice, nothing about NSGs is planned and the doctor's finding stays
    assert add_ipv6_command(args(yes=False), conn) == 0
    text = capsys.readouterr().out
    assert "~ Network security group" not in text and "[doctor-ipv4-only-sources]" in text


def test_companions_are_added_beside_their_rules_by_read_modify_write_and_undone(
        two_nsgs: tuple[ArmSim, Any], capsys: pytest.CaptureFixture[str]) -> None:
    from azwizard.headless.cleanup import delete_command

    sim, conn = two_nsgs
    etags = {name.lower(): nsg(conn, sim, name)["etag"] for name in (L.nsg, SUBNET_NSG)}
    before_nic_nsg, before_subnet_nsg = _no_etags(nsg(conn, sim, L.nsg)), _no_etags(nsg(conn, sim, SUBNET_NSG))
    n = len(sim.requests)
    assert add_ipv6_command(args(ipv6_nsg_source="2001:db8:1234::/48"), conn, live=False) == 0
    sent = writes(sim, n)
    assert ("PUT", f"{base(sim)}/{NSG}/{SUBNET_NSG}".lower()) in sent and ("PUT", f"{base(sim)}/{NSG}/{L.nsg}".lower()) in sent
    puts = [r for r in sim.requests[n:] if r.method == "PUT" and "/networksecuritygroups/" in r.path.lower()]
    assert len(puts) == 2  # read-modify-write, each with the etag read as If-Match
    assert all(r.headers.get("if-match") == etags[r.path.rsplit("/", 1)[-1].lower()] for r in puts)
    subnet_rules, nic_rules = rules_of(nsg(conn, sim, SUBNET_NSG)), rules_of(nsg(conn, sim, L.nsg))
    # the rules there before are unchanged
    for name, props in rules_of(before_subnet_nsg).items():
        assert _no_etags(subnet_rules[name]) == props
    for name, props in rules_of(before_nic_nsg).items():
        assert _no_etags(nic_rules[name]) == props
    # each IPv4-only allow rule got its companion, beside it, same protocol and ports, from the IPv6 source
    https6 = subnet_rules["HTTPS-office-IPv6"]
    assert (https6["priority"], https6["protocol"], https6["destinationPortRange"], https6["access"]) == (
        311, "Tcp", "443", "Allow")
    assert https6["sourceAddressPrefix"] == "2001:db8:1234::/48" and https6["destinationAddressPrefix"] == "*"
    assert subnet_rules["SSH-admin-IPv6"]["priority"] == 201
    assert nic_rules["SSH-IPv6"]["priority"] == 299  # 301 is taken: the number before SSH, nothing between
    assert set(nic_rules) == {"SSH", "Web", "SSH-IPv6"}  # Web is open to * already: no companion
    after = read_vm_network(conn.session.factory, sim.subscription_id, L.group, L.vm)
    assert "doctor-ipv4-only-sources" not in {f.rule_id for f in doctor(after)}
    # a rerun sends nothing
    n = len(sim.requests)
    assert add_ipv6_command(args(ipv6_nsg_source="2001:db8:1234::/48"), connection(sim), live=False) == 0
    assert writes(sim, n) == []
    # cleanup of the run takes the companions out again, and only them
    (journal,) = list_runs()
    capsys.readouterr()
    assert delete_command(conn, run=journal.run_id, group=None, yes=True, confirm_group=None) == 0
    said = capsys.readouterr().out
    assert "~ Network security group legacy-subnet-nsg" in said
    # the run named by the VM and its date, the id second (issue 19 item 14)
    assert f"undo the IPv6 additions made to VM {L.vm} in {L.group} on 20" in said and f"(run {journal.run_id})" in said
    assert _no_etags(nsg(conn, sim, SUBNET_NSG)) == before_subnet_nsg
    assert _no_etags(nsg(conn, sim, L.nsg)) == before_nic_nsg


def test_only_the_rules_named_get_companions_and_bad_choices_change_nothing(two_nsgs: tuple[ArmSim, Any]) -> None:
    sim, conn = two_nsgs
    n = len(sim.requests)
    with pytest.raises(CommandError) as bad:
        add_ipv6_command(args(ipv6_nsg_source="203.0.113.0/24"), conn, live=False)
    assert bad.value.code == EXIT_USAGE and "IPv4 prefix" in bad.value.message
    with pytest.raises(CommandError) as bad:
        add_ipv6_command(args(ipv6_nsg_source="*", ipv6_nsg_rule=["Web"]), conn, live=False)
    assert bad.value.code == EXIT_USAGE and "HTTPS-office, SSH, SSH-admin" in bad.value.message
    with pytest.raises(CommandError) as bad:
        add_ipv6_command(args(ipv6_nsg_rule=["SSH"]), conn, live=False)
    assert bad.value.code == EXIT_USAGE
    assert writes(sim, n) == []
    assert add_ipv6_command(args(ipv6_nsg_source="*", ipv6_nsg_rule=["https-office"]), conn, live=False) == 0
    assert set(rules_of(nsg(conn, sim, SUBNET_NSG))) == {"HTTPS-office", "SSH-admin", "Deny-rest", "HTTPS-office-IPv6"}
    assert set(rules_of(nsg(conn, sim, L.nsg))) == {"SSH", "Web"}


# ---- the NIC to change


@pytest.fixture
def two_nics() -> tuple[ArmSim, Any]:
    sim = ArmSim()
    conn = connection(sim)
    make_two_nics(sim, conn)
    return sim, conn


def make_two_nics(sim: ArmSim, conn: Any) -> None:
    """The legacy VM with a second NIC in the same subnet (the VM names the first one primary)."""
    f = conn.session.factory
    make_legacy_vm(f)
    nic2 = f"{base(sim)}/{NIC}/{L.vm}-nic2"
    ops.create(f, NIC, nic2, {"location": L.location, "properties": {"ipConfigurations": [{
        "name": "ipconfig1", "properties": {"privateIPAllocationMethod": "Dynamic", "subnet": {
            "id": f"{base(sim)}/{VNET}/{L.vnet}/subnets/{L.subnet}"}}}]}}).result()
    vm = ops.wire(ops.get(f, VM, f"{base(sim)}/{VM}/{L.vm}"))
    from azwizard.azure.readonly import writable

    body = writable(VM, vm)
    body["properties"]["networkProfile"]["networkInterfaces"].append({"id": nic2, "properties": {"primary": False}})
    result = ops.create(f, VM, f"{base(sim)}/{VM}/{L.vm}", body)
    if ops.is_poller(result):
        result.result()


def versions(conn: Any, sim: ArmSim, nic: str) -> list[str]:
    body = ops.wire(ops.get(conn.session.factory, NIC, f"{base(sim)}/{NIC}/{nic}"))
    return [c["properties"].get("privateIPAddressVersion", "IPv4") for c in body["properties"]["ipConfigurations"]]


def test_the_primary_nic_by_default(two_nics: tuple[ArmSim, Any]) -> None:
    sim, conn = two_nics
    assert add_ipv6_command(args(), conn, live=False) == 0
    assert versions(conn, sim, L.nic) == ["IPv4", "IPv6"] and versions(conn, sim, f"{L.vm}-nic2") == ["IPv4"]


def test_another_nic_when_picked_and_the_guest_route_is_said(two_nics: tuple[ArmSim, Any],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    sim, conn = two_nics
    assert add_ipv6_command(args(yes=False, nic=f"{L.vm}-NIC2"), conn) == 0  # ARM names: any case
    text = capsys.readouterr().out
    assert f"~ Network interface {L.vm}-nic2" in text and "is not the VM's primary NIC" in text
    assert "multiple-nics" in text
    n = len(sim.requests)
    assert add_ipv6_command(args(nic=f"{L.vm}-nic2"), conn, live=False) == 0
    assert not [w for w in writes(sim, n) if w[1].endswith(f"/networkinterfaces/{L.nic}")]
    assert versions(conn, sim, f"{L.vm}-nic2") == ["IPv4", "IPv6"] and versions(conn, sim, L.nic) == ["IPv4"]
    n = len(sim.requests)
    with pytest.raises(CommandError) as bad:
        add_ipv6_command(args(nic="eth9"), conn, live=False)
    assert bad.value.code == EXIT_USAGE and f"its NICs: {L.nic}, {L.vm}-nic2" in bad.value.message
    assert writes(sim, n) == []
