"""vm add-ipv6 through the real SDK against the simulator: an IPv4-only VM made with plain PUTs gets the
VNet's /48, the subnet's /64 and ipconfig2 with a new public IPv6, each update being the body as read plus only
these changes; the VM gets no PUT; a rerun sends nothing."""

from __future__ import annotations

import argparse
import copy
import ipaddress
import json
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from existing_helpers import connection, writes

from azwizard.azure import ops
from azwizard.existing.legacy import Legacy, make_legacy_vm
from azwizard.existing.read import NIC, PIP, VM, VNET, list_vms, read_vm_network
from azwizard.headless.vm_existing import add_ipv6_command
from azwizard.journal import list_runs
from azwizard.sim import ArmSim

L = Legacy()


@pytest.fixture(autouse=True)
def _own_journals(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path))


@pytest.fixture
def legacy() -> tuple[ArmSim, Any]:
    sim = ArmSim()
    conn = connection(sim)
    make_legacy_vm(conn.session.factory)
    return sim, conn


def args(**kw: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"demo": False, "resource_group": L.group, "vm": L.vm, "format": "text", "yes": True,
                                 **kw})


def ids(sim: ArmSim) -> dict[str, str]:
    base = f"/subscriptions/{sim.subscription_id}/resourceGroups/{L.group}/providers"
    return {"vm": f"{base}/{VM}/{L.vm}", "nic": f"{base}/{NIC}/{L.nic}", "vnet": f"{base}/{VNET}/{L.vnet}",
            "nsg": f"{base}/Microsoft.Network/networkSecurityGroups/{L.nsg}", "pip4": f"{base}/{PIP}/{L.pip}"}


KINDS = {"vm": VM, "nic": NIC, "vnet": VNET, "nsg": "Microsoft.Network/networkSecurityGroups", "pip4": PIP}


def bodies(conn: Any, sim: ArmSim) -> dict[str, dict[str, Any]]:
    f = conn.session.factory
    out = {k: ops.wire(ops.get(f, KINDS[k], rid)) for k, rid in ids(sim).items()}
    disk = out["vm"]["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"]
    out["disk"] = ops.wire(ops.get(f, "Microsoft.Compute/disks", disk))
    return out


def _no_etags(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _no_etags(v) for k, v in node.items() if k != "etag"}
    if isinstance(node, list):
        return [_no_etags(v) for v in node]
    return node


def test_add_ipv6_to_an_ipv4_only_vm(legacy: tuple[ArmSim, Any], capsys: pytest.CaptureFixture[str]) -> None:
    sim, conn = legacy
    before = bodies(conn, sim)
    n = len(sim.requests)
    assert add_ipv6_command(args(), conn, live=False) == 0
    sent = writes(sim, n)
    after = bodies(conn, sim)
    rid = ids(sim)
    # No PUT (or PATCH, or anything) to the VM; exactly the VNet, the new public IP and the NIC were written
    assert not [w for w in sent if "/virtualmachines/" in w[1]]
    pip6 = f"/subscriptions/{sim.subscription_id}/resourceGroups/{L.group}/providers/{PIP}/{L.vm}-ipv6"
    assert sorted(sent) == sorted([("PUT", rid["vnet"].lower()), ("PUT", rid["nic"].lower()), ("PUT", pip6.lower())])

    # The VNet: its old space plus a zero-compressed ULA /48; the subnet its old prefix plus the first /64 of it
    spaces = after["vnet"]["properties"]["addressSpace"]["addressPrefixes"]
    assert spaces[0] == L.space and len(spaces) == 2
    ula = ipaddress.IPv6Network(spaces[1])
    assert ula.prefixlen == 48 and ula.subnet_of(ipaddress.IPv6Network("fc00::/7")) and spaces[1] == ula.compressed
    subnet = after["vnet"]["properties"]["subnets"][0]
    assert subnet["properties"]["addressPrefixes"] == [L.prefix, next(ula.subnets(new_prefix=64)).compressed]
    # The NIC: ipconfig1 as it was and primary, plus ipconfig2 (IPv6, dynamic, the new public IP)
    cfgs = {c["name"]: c["properties"] for c in after["nic"]["properties"]["ipConfigurations"]}
    old1 = before["nic"]["properties"]["ipConfigurations"][0]
    assert _no_etags(after["nic"]["properties"]["ipConfigurations"][0]) == _no_etags(old1)
    assert cfgs["ipconfig1"]["primary"] is True
    assert cfgs["ipconfig2"]["privateIPAddressVersion"] == "IPv6" and cfgs["ipconfig2"]["primary"] is False
    assert cfgs["ipconfig2"]["privateIPAllocationMethod"] == "Dynamic"
    assert cfgs["ipconfig2"]["publicIPAddress"]["id"].lower() == pip6.lower()
    assert ipaddress.ip_address(cfgs["ipconfig2"]["privateIPAddress"]) in ula
    pip = ops.wire(ops.get(conn.session.factory, PIP, pip6))
    assert pip["sku"]["name"] == "Standard" and pip["zones"] == ["1", "2", "3"]
    assert pip["properties"]["publicIPAllocationMethod"] == "Static"
    assert pip["properties"]["publicIPAddressVersion"] == "IPv6"
    assert pip["tags"]["created-by"] == "azwizard"

    # Every other property of every resource is as it was
    b, a = _no_etags(before), _no_etags(after)
    for key in ("vm", "nsg", "pip4", "disk"):
        assert a[key] == b[key], key
    b_vnet, a_vnet = copy.deepcopy(b["vnet"]), copy.deepcopy(a["vnet"])
    a_vnet["properties"]["addressSpace"] = b_vnet["properties"]["addressSpace"]
    a_sn, b_sn = a_vnet["properties"]["subnets"][0]["properties"], b_vnet["properties"]["subnets"][0]["properties"]
    a_sn.pop("addressPrefixes")
    a_sn["addressPrefix"] = b_sn["addressPrefix"]
    a_sn["ipConfigurations"] = [c for c in a_sn["ipConfigurations"] if not c["id"].endswith("/ipconfig2")]
    assert a_vnet == b_vnet
    a_nic = copy.deepcopy(a["nic"])
    a_nic["properties"]["ipConfigurations"] = a_nic["properties"]["ipConfigurations"][:1]
    assert a_nic == b["nic"]

    # Each update carried the etag read as If-Match, and its body was the resource as read plus the changes
    puts = {r.path.lower(): r for r in sim.requests[n:] if r.method == "PUT"}
    assert puts[rid["vnet"].lower()].headers.get("if-match") == before["vnet"]["etag"]
    assert puts[rid["nic"].lower()].headers.get("if-match") == before["nic"]["etag"]
    sent_nic = puts[rid["nic"].lower()].body
    assert [c["name"] for c in sent_nic["properties"]["ipConfigurations"]] == ["ipconfig1", "ipconfig2"]
    assert sent_nic["properties"]["networkSecurityGroup"]["id"].lower() == rid["nsg"].lower()

    # A rerun sends nothing
    capsys.readouterr()
    n = len(sim.requests)
    assert add_ipv6_command(args(), conn, live=False) == 0
    assert writes(sim, n) == []
    assert "Nothing to change" in capsys.readouterr().out


def test_the_journal_makes_this_run_the_maker_of_the_public_ip_only(legacy: tuple[ArmSim, Any]) -> None:
    sim, conn = legacy
    assert add_ipv6_command(args(), conn, live=False) == 0
    (journal,) = list_runs()
    made = {r.resource_id.lower() for r in journal.existing()}
    assert made == {f"/subscriptions/{sim.subscription_id}/resourcegroups/{L.group.lower()}/providers/"
                    f"microsoft.network/publicipaddresses/{L.vm}-ipv6"}
    states = {r.step: r.state for r in journal.resources().values()}
    assert states == {"vnet": "updated", "pip6": "created", "nic": "updated"}
    plan = next(e for e in journal.events() if e["event"] == "plan")
    assert plan["journey"] == "vm-ipv6" and plan["meta"]["additions"]["ipconfig"] == "ipconfig2"


def test_the_plan_alone_sends_nothing(legacy: tuple[ArmSim, Any], capsys: pytest.CaptureFixture[str]) -> None:
    sim, conn = legacy
    n = len(sim.requests)
    assert add_ipv6_command(args(yes=False, format="json"), conn) == 0
    assert writes(sim, n) == []
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "ready"
    assert report["diff"]["counts"] == {"create": 1, "unchanged": 0, "update": 2, "conflict": 0, "unknown": 0}
    paths = {c["path"] for r in report["diff"]["resources"] for c in r["changes"]}
    assert paths == {"properties.addressSpace.addressPrefixes",
                     "properties.subnets[default].properties.addressPrefixes",
                     "properties.subnets[default].properties.addressPrefix",
                     "properties.ipConfigurations[ipconfig2]"}


def test_an_ipv6_space_there_is_kept_and_a_free_64_used(legacy: tuple[ArmSim, Any]) -> None:
    sim, conn = legacy
    f = conn.session.factory
    vnet = ops.wire(ops.get(f, VNET, ids(sim)["vnet"]))
    vnet["properties"]["addressSpace"]["addressPrefixes"].append("fd12:3456:789a::/48")
    vnet["properties"]["subnets"].append({"name": "other", "properties": {
        "addressPrefixes": ["10.1.1.0/24", "fd12:3456:789a::/64"]}})
    from azwizard.azure.readonly import writable

    f.network().virtual_networks.begin_create_or_update(L.group, L.vnet, writable(VNET, vnet)).result()
    assert add_ipv6_command(args(), conn, live=False) == 0
    after = ops.wire(ops.get(f, VNET, ids(sim)["vnet"]))
    assert after["properties"]["addressSpace"]["addressPrefixes"] == [L.space, "fd12:3456:789a::/48"]
    sn = {s["name"]: s["properties"] for s in after["properties"]["subnets"]}
    assert sn["default"]["addressPrefixes"] == [L.prefix, "fd12:3456:789a:1::/64"]
    assert sn["other"]["addressPrefixes"] == ["10.1.1.0/24", "fd12:3456:789a::/64"]


def test_a_foreign_public_ip_of_the_planned_name_blocks(legacy: tuple[ArmSim, Any],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    sim, conn = legacy
    conn.session.factory.network().public_ip_addresses.begin_create_or_update(L.group, f"{L.vm}-ipv6", {
        "location": L.location, "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv6"}}).result()
    n = len(sim.requests)
    assert add_ipv6_command(args(), conn, live=False) == 1
    assert writes(sim, n) == []
    assert "was not created by this journey" in capsys.readouterr().out


def test_the_vms_to_pick_from_are_every_vm_of_the_subscription_page_by_page(legacy: tuple[ArmSim, Any]) -> None:
    """The screen's list (list_vms): ARM's list of the subscription's VMs, every page (nextLink) followed."""
    sim, conn = legacy
    other = Legacy(group="Other-RG", vm="other-vm", vnet="other-vnet")
    make_legacy_vm(conn.session.factory, other)
    sim.page_size = 1
    vms = list(list_vms(conn.session.factory))
    assert sorted((v["id"].split("/")[4], v["name"]) for v in vms) == [("Legacy-RG", "legacy-vm"),
                                                                       ("Other-RG", "other-vm")]
    path = f"/subscriptions/{sim.subscription_id}/providers/{VM}".lower()
    lists = [r for r in sim.requests_to("GET", path) if r.path.lower().rstrip("/") == path]
    assert [r.api_version for r in lists] == ["2026-04-01", "2026-04-01"]  # two pages, the VM's api-version


def test_read_sees_the_vm_as_it_is(legacy: tuple[ArmSim, Any]) -> None:
    sim, conn = legacy
    net = read_vm_network(conn.session.factory, sim.subscription_id, L.group, L.vm)
    assert net.size == "Standard_B2s" and net.zones == () and net.region_zones == ("1", "2", "3")
    assert [(c.name, c.version, c.primary) for c in net.ipconfigs()] == [("ipconfig1", "IPv4", True)]
    assert [n.get("name") for _, n in net.nsgs_in_path()] == [L.nsg]
    assert net.backup is False and not net.has_ipv6


# ---- what Azure refuses here, as the simulator answers it through the SDK


def _nic_with(conn: Any, sim: ArmSim, ipconfig2: dict[str, Any]) -> None:
    from azwizard.azure.readonly import writable

    f = conn.session.factory
    nic = writable(NIC, ops.wire(ops.get(f, NIC, ids(sim)["nic"])))
    nic["properties"]["ipConfigurations"].append({"name": "ipconfig2", "properties": ipconfig2})
    f.network().network_interfaces.begin_create_or_update(L.group, L.nic, nic).result()


def _dual_stack(conn: Any, sim: ArmSim, v6: str = "fd00:1::/64") -> str:
    from azwizard.azure.readonly import writable

    f = conn.session.factory
    vnet = writable(VNET, ops.wire(ops.get(f, VNET, ids(sim)["vnet"])))
    vnet["properties"]["addressSpace"]["addressPrefixes"].append("fd00:1::/48")
    vnet["properties"]["subnets"][0]["properties"] = {"addressPrefixes": [L.prefix, v6]}
    f.network().virtual_networks.begin_create_or_update(L.group, L.vnet, vnet).result()
    return ids(sim)["vnet"] + "/subnets/default"


def test_sim_an_ipv6_subnet_prefix_must_be_64(legacy: tuple[ArmSim, Any]) -> None:
    sim, conn = legacy
    with pytest.raises(HttpResponseError) as e:
        _dual_stack(conn, sim, "fd00:1::/56")
    assert e.value.error.code == "NetcfgInvalidSubnet"


def test_sim_an_ipv6_ipconfig_cannot_be_primary(legacy: tuple[ArmSim, Any]) -> None:
    sim, conn = legacy
    subnet = _dual_stack(conn, sim)
    with pytest.raises(HttpResponseError) as e:
        _nic_with(conn, sim, {"primary": True, "privateIPAddressVersion": "IPv6", "subnet": {"id": subnet}})
    assert e.value.error.code in ("IPv6IpConfigurationCannotBePrimary", "MoreThanOnePrimaryIpConfiguration")


def test_sim_an_ipv6_ipconfig_needs_an_ipv6_subnet_and_an_ipv6_public_ip(legacy: tuple[ArmSim, Any]) -> None:
    sim, conn = legacy
    subnet = ids(sim)["vnet"] + "/subnets/default"
    with pytest.raises(HttpResponseError) as e:
        _nic_with(conn, sim, {"privateIPAddressVersion": "IPv6", "subnet": {"id": subnet}})
    assert e.value.error.code == "SubnetDoesNotHaveAddressPrefixOfIpConfigurationVersion"
    subnet = _dual_stack(conn, sim)
    conn.session.factory.network().public_ip_addresses.begin_create_or_update(L.group, "v4", {
        "location": L.location, "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}}).result()
    with pytest.raises(HttpResponseError) as e:
        _nic_with(conn, sim, {"privateIPAddressVersion": "IPv6", "subnet": {"id": subnet},
                              "publicIPAddress": {"id": ids(sim)["pip4"].rsplit("/", 1)[0] + "/v4"}})
    assert e.value.error.code == "IPVersionForPublicIpAndNicIpConfigurationMustMatch"


# ---- killed part-way, then run again


@pytest.mark.parametrize("lines", [2, 3, 4, 5, 6, 7])
def test_killed_midway_then_rerun_completes(lines: int, legacy: tuple[ArmSim, Any]) -> None:
    """The process dies after ``lines`` journal lines (nothing more reaches Azure or the disk); the same command
    run again finishes the job, with one public IPv6 only, and a third run sends nothing."""
    import threading

    from existing_helpers import DyingJournal, DyingTransport

    from azwizard.headless.vm_existing import add_ipv6_review
    from azwizard.run.executor import Runner

    sim, conn = legacy
    dead = threading.Event()
    dying = connection(sim, DyingTransport(sim, dead))
    net = read_vm_network(dying.session.factory, sim.subscription_id, L.group, L.vm)
    review, _ = add_ipv6_review(dying, net)
    journal = DyingJournal(review.plan.run_id, review.plan.journey, lines, dead)
    Runner(dying.session.factory, journal, poll_interval=0.001).run(review.plan, diff=review.diff, meta=review.meta)
    assert dead.is_set()

    assert add_ipv6_command(args(), connection(sim), live=False) == 0
    f = conn.session.factory
    nic = ops.wire(ops.get(f, NIC, ids(sim)["nic"]))
    cfgs = {c["name"]: c["properties"] for c in nic["properties"]["ipConfigurations"]}
    assert cfgs["ipconfig1"]["primary"] is True and cfgs["ipconfig2"]["privateIPAddressVersion"] == "IPv6"
    vnet = ops.wire(ops.get(f, VNET, ids(sim)["vnet"]))
    spaces = vnet["properties"]["addressSpace"]["addressPrefixes"]
    assert spaces[0] == L.space and len(spaces) == 2
    pips = [p for p in sim.snapshot() if "/publicipaddresses/" in p]
    assert len(pips) == 2  # the VM's IPv4 and one IPv6
    n = len(sim.requests)
    assert add_ipv6_command(args(), connection(sim), live=False) == 0
    assert writes(sim, n) == []


# ---- undone at cleanup


def test_cleanup_of_the_run_leaves_exactly_the_original_resources(legacy: tuple[ArmSim, Any],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from azwizard.headless.cleanup import delete_command

    sim, conn = legacy
    before = _no_etags(bodies(conn, sim))
    assert add_ipv6_command(args(), conn, live=False) == 0
    (journal,) = list_runs()
    capsys.readouterr()
    n = len(sim.requests)
    assert delete_command(conn, run=journal.run_id, group=None, yes=False, confirm_group=None) == 0
    assert writes(sim, n) == []
    dry = capsys.readouterr().out
    assert "Dry run" in dry and "~ Network interface legacy-vm-nic" in dry and "- Public IPv6 address" in dry
    assert delete_command(conn, run=journal.run_id, group=None, yes=True, confirm_group=None) == 0
    sent = writes(sim, n)
    rid = ids(sim)
    # NIC first (the public IP cannot go while it is used), then the VNet, then the public IP; never the VM
    assert [m for m, _ in sent] == ["PUT", "PUT", "DELETE"]
    assert sent[0][1] == rid["nic"].lower() and sent[1][1] == rid["vnet"].lower()
    assert sent[2][1].endswith(f"/publicipaddresses/{L.vm}-ipv6")
    after = _no_etags(bodies(conn, sim))
    assert after == before
    assert [p for p in sim.snapshot() if "/publicipaddresses/" in p] == [rid["pip4"].lower()]
    # Again: nothing left to undo, nothing sent
    n = len(sim.requests)
    assert delete_command(conn, run=journal.run_id, group=None, yes=True, confirm_group=None) == 0
    assert writes(sim, n) == []
    assert "Nothing left to undo" in capsys.readouterr().out


def test_json_with_yes_prints_the_outcome_and_the_network_after(legacy: tuple[ArmSim, Any],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    sim, conn = legacy
    assert add_ipv6_command(args(format="json"), conn) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["exit_code"] == 0 and "All 3 resources in place" in captured.err
    versions = [c["version"] for c in report["read_after"]["ip_configurations"]]
    assert versions == ["IPv4", "IPv6"]
    assert {p["version"] for p in report["read_after"]["public_ips"]} == {"IPv4", "IPv6"}


def test_a_basic_public_ip_is_said_before_adding_a_standard_one(legacy: tuple[ArmSim, Any]) -> None:
    import dataclasses

    from azwizard.existing.ipv6 import plan_add_ipv6

    sim, conn = legacy
    net = read_vm_network(conn.session.factory, sim.subscription_id, L.group, L.vm)
    assert "ipv6-basic-public-ip" not in {f.rule_id for f in plan_add_ipv6(net, run_id="r", created_at="t").findings}
    basic = dataclasses.replace(net, public_ips={k: {**v, "sku": {"name": "Basic"}} for k, v in net.public_ips.items()})
    found = [f for f in plan_add_ipv6(basic, run_id="r", created_at="t").findings if f.rule_id == "ipv6-basic-public-ip"]
    assert len(found) == 1 and found[0].severity == "warn" and L.pip in found[0].message


def test_nsg_rules_that_keep_ipv6_clients_out_are_said(legacy: tuple[ArmSim, Any],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    sim, conn = legacy
    conn.session.factory.network().network_security_groups.begin_create_or_update(L.group, L.nsg, {
        "location": L.location, "properties": {"securityRules": [{"name": "HTTPS-office", "properties": {
            "priority": 310, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "203.0.113.0/24", "sourcePortRange": "*", "destinationAddressPrefix": "*",
            "destinationPortRange": "443"}}]}}).result()
    assert add_ipv6_command(args(yes=False), conn) == 0
    text = capsys.readouterr().out
    assert "[doctor-ipv4-only-sources]" in text and "HTTPS-office" in text
