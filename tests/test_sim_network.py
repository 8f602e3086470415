"""The simulator's Microsoft.Network provider, driven through the real NetworkManagementClient."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from azwizard.sim import ArmSim
from azwizard.sim.providers import network

LOC = "norwayeast"
ULA = "fd12:3456:789a::/48"
ULA64 = "fd12:3456:789a::/64"


# ---------------------------------------------------------------------------------------------- helpers


def fails(fn: Callable[[], Any]) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as info:
        fn()
    return info.value


class Raw:
    """Collects the raw answers of one SDK call (initial request first, then its polls)."""

    def __init__(self) -> None:
        self.responses: list[tuple[int, dict[str, str]]] = []

    def __call__(self, pipeline_response: Any) -> None:
        http = pipeline_response.http_response
        self.responses.append((http.status_code, dict(http.headers)))

    @property
    def first(self) -> tuple[int, dict[str, str]]:
        return self.responses[0]


def rule(name: str, priority: int, port: str = "*", protocol: str = "Tcp", direction: str = "Inbound",
         **extra: Any) -> dict[str, Any]:
    props = {"protocol": protocol, "access": "Allow", "direction": direction, "priority": priority,
             "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
             "destinationPortRange": port}
    props.update(extra)
    return {"name": name, "properties": props}


def nsg_body(rules: list[dict[str, Any]] | None = None, location: str = LOC) -> dict[str, Any]:
    return {"location": location, "properties": {"securityRules": rules or []}}


def vnet_body(subnets: list[dict[str, Any]] | None = None, prefixes: list[str] | None = None,
              location: str = LOC) -> dict[str, Any]:
    return {"location": location, "properties": {
        "addressSpace": {"addressPrefixes": prefixes or ["10.0.0.0/16", ULA]},
        "subnets": subnets if subnets is not None else [
            {"name": "default", "properties": {"addressPrefixes": ["10.0.0.0/24", ULA64]}}]}}


def pip_body(version: str = "IPv4", sku: str = "Standard", zones: list[str] | None = None,
             method: str = "Static", location: str = LOC, **props: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"location": location, "sku": {"name": sku, "tier": "Regional"},
                            "properties": {"publicIPAllocationMethod": method, "publicIPAddressVersion": version,
                                           **props}}
    if zones is not None:
        body["zones"] = zones
    return body


def ipconfig(name: str, subnet_id: str, pip_id: str | None = None, version: str = "IPv4",
             primary: bool | None = None, **props: Any) -> dict[str, Any]:
    p: dict[str, Any] = {"privateIPAddressVersion": version, "subnet": {"id": subnet_id}, **props}
    if pip_id:
        p["publicIPAddress"] = {"id": pip_id}
    if primary is not None:
        p["primary"] = primary
    return {"name": name, "properties": p}


def nic_body(*configs: dict[str, Any], location: str = LOC, **props: Any) -> dict[str, Any]:
    return {"location": location, "properties": {"ipConfigurations": list(configs), **props}}


# The notes' NSG rules: ICMPv4, SSH, HTTP(S) - source/destination any, action allow.
NOTES_RULES = [rule("ICMPv4", 100, protocol="Icmp"), rule("SSH", 110, "22"),
               {"name": "HTTPS", "properties": {**rule("x", 120)["properties"], "protocol": "*",
                                                "destinationPortRange": None,
                                                "destinationPortRanges": ["80", "443"]}}]


def build(sdk: Any, rg: str) -> dict[str, Any]:
    """The notes' dual-stack network: NSG on the subnet, zone-redundant Standard PIPs (IPv4 with the
    'Microsoft network' routing preference, IPv6), a NIC with ipconfig1 (IPv4, primary) + ipconfig2 (IPv6),
    and a NAT gateway for outbound IPv4."""
    n = sdk.network
    out: dict[str, Any] = {}
    out["nsg"] = n.network_security_groups.begin_create_or_update(rg, "yolo-nsg", nsg_body(NOTES_RULES)).result()
    vnet = vnet_body([{"name": "default", "properties": {"addressPrefixes": ["10.0.0.0/24", ULA64],
                                                         "networkSecurityGroup": {"id": out["nsg"].id}}}])
    out["vnet"] = n.virtual_networks.begin_create_or_update(rg, "yolo-vnet", vnet).result()
    out["subnet_id"] = out["vnet"].subnets[0].id
    out["pip4"] = n.public_ip_addresses.begin_create_or_update(rg, "yolo-ipv4", pip_body(zones=["1", "2", "3"])).result()
    out["pip6"] = n.public_ip_addresses.begin_create_or_update(
        rg, "yolo-ipv6", pip_body("IPv6", zones=["1", "2", "3"])).result()
    out["nic"] = n.network_interfaces.begin_create_or_update(rg, "yolo-nic", nic_body(
        ipconfig("ipconfig1", out["subnet_id"], out["pip4"].id, primary=True),
        ipconfig("ipconfig2", out["subnet_id"], out["pip6"].id, "IPv6"))).result()
    out["natpip"] = n.public_ip_addresses.begin_create_or_update(rg, "yolo-natip", pip_body(zones=["1"])).result()
    out["nat"] = n.nat_gateways.begin_create_or_update(rg, "yolo-natgw", {
        "location": LOC, "sku": {"name": "Standard"}, "zones": ["1"],
        "properties": {"idleTimeoutInMinutes": 10, "publicIpAddresses": [{"id": out["natpip"].id}]}}).result()
    subnet = vnet["properties"]["subnets"][0]
    subnet["properties"]["natGateway"] = {"id": out["nat"].id}
    out["subnet"] = n.subnets.begin_create_or_update(rg, "yolo-vnet", "default", subnet).result()
    return out


# ---------------------------------------------------------------------------------------------- the full network


def test_dual_stack_network_shapes_and_back_references(sim: ArmSim, sdk: Any, rg: str) -> None:
    net = build(sdk, rg)
    n = sdk.network
    vnet = n.virtual_networks.get(rg, "yolo-vnet")
    assert vnet.provisioning_state == "Succeeded" and vnet.type == "Microsoft.Network/virtualNetworks"
    assert vnet.address_space.address_prefixes == ["10.0.0.0/16", ULA]
    assert vnet.etag.startswith('W/"') and vnet.resource_guid
    subnet = vnet.subnets[0]
    assert subnet.address_prefixes == ["10.0.0.0/24", ULA64]
    assert subnet.network_security_group.id == net["nsg"].id
    assert subnet.nat_gateway.id == net["nat"].id
    assert subnet.etag == vnet.etag  # embedded children share the parent's etag
    assert sorted(c.id.rsplit("/", 1)[1] for c in subnet.ip_configurations) == ["ipconfig1", "ipconfig2"]

    pip4, pip6 = n.public_ip_addresses.get(rg, "yolo-ipv4"), n.public_ip_addresses.get(rg, "yolo-ipv6")
    for pip in (pip4, pip6):
        assert (pip.sku.name, pip.sku.tier, pip.zones) == ("Standard", "Regional", ["1", "2", "3"])
        assert pip.public_ip_allocation_method == "Static" and pip.ip_tags == []
        assert pip.idle_timeout_in_minutes == 4
    v4, v6 = ipaddress.ip_address(pip4.ip_address), ipaddress.ip_address(pip6.ip_address)
    assert v4.version == 4 and v4.is_global
    assert v6.version == 6 and pip6.ip_address.startswith("2603:10")
    assert pip4.ip_configuration.id.endswith("/networkInterfaces/yolo-nic/ipConfigurations/ipconfig1")
    assert pip6.ip_configuration.id.endswith("/ipConfigurations/ipconfig2")
    natpip = n.public_ip_addresses.get(rg, "yolo-natip")
    assert natpip.nat_gateway.id == net["nat"].id and natpip.ip_configuration is None

    nic = n.network_interfaces.get(rg, "yolo-nic")
    c1, c2 = nic.ip_configurations
    assert (c1.name, c1.private_ip_address, c1.private_ip_address_version, c1.primary) == (
        "ipconfig1", "10.0.0.4", "IPv4", True)
    assert (c2.name, c2.private_ip_address, c2.private_ip_address_version, c2.primary) == (
        "ipconfig2", "fd12:3456:789a::4", "IPv6", False)
    assert c1.private_ip_allocation_method == "Dynamic" and c1.public_ip_address.id == pip4.id
    assert nic.network_security_group is None  # the subnet's NSG is enough (notes)
    assert nic.virtual_machine is None and nic.mac_address is None
    assert nic.enable_accelerated_networking is None  # absent unless sent (recorded)
    assert nic.dns_settings.internal_domain_name_suffix

    nsg = n.network_security_groups.get(rg, "yolo-nsg")
    assert [s.id for s in nsg.subnets] == [subnet.id] and not nsg.network_interfaces
    assert [(r.name, r.priority, r.protocol) for r in nsg.security_rules] == [
        ("ICMPv4", 100, "Icmp"), ("SSH", 110, "Tcp"), ("HTTPS", 120, "*")]
    assert nsg.security_rules[2].destination_port_ranges == ["80", "443"]

    nat = n.nat_gateways.get(rg, "yolo-natgw")
    assert (nat.sku.name, nat.idle_timeout_in_minutes, nat.zones) == ("Standard", 10, ["1"])
    assert [s.id for s in nat.subnets] == [subnet.id]
    assert [p.id for p in nat.public_ip_addresses] == [natpip.id]


def test_default_security_rules_are_azures(sdk: Any, rg: str) -> None:
    nsg = sdk.network.network_security_groups.begin_create_or_update(rg, "nsg", nsg_body()).result()
    wire = [r.as_dict() for r in nsg.default_security_rules]
    expected = [
        ("AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "VirtualNetwork", "VirtualNetwork",
         "Allow", 65000, "Inbound"),
        ("AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "AzureLoadBalancer",
         "*", "Allow", 65001, "Inbound"),
        ("DenyAllInBound", "Deny all inbound traffic", "*", "*", "Deny", 65500, "Inbound"),
        ("AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "VirtualNetwork",
         "VirtualNetwork", "Allow", 65000, "Outbound"),
        ("AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "*", "Internet", "Allow",
         65001, "Outbound"),
        ("DenyAllOutBound", "Deny all outbound traffic", "*", "*", "Deny", 65500, "Outbound"),
    ]
    assert len(wire) == 6
    for got, (name, desc, src, dst, access, prio, direction) in zip(wire, expected, strict=True):
        assert got["name"] == name
        assert got["id"] == f"{nsg.id}/defaultSecurityRules/{name}"
        assert got["type"] == "Microsoft.Network/networkSecurityGroups/defaultSecurityRules"
        assert got["etag"] == nsg.etag
        assert got["properties"] == {
            "provisioningState": "Succeeded", "description": desc, "protocol": "*", "sourcePortRange": "*",
            "destinationPortRange": "*", "sourceAddressPrefix": src, "destinationAddressPrefix": dst,
            "access": access, "priority": prio, "direction": direction, "sourcePortRanges": [],
            "destinationPortRanges": [], "sourceAddressPrefixes": [], "destinationAddressPrefixes": []}
    listed = list(sdk.network.default_security_rules.list(rg, "nsg"))
    assert [r.name for r in listed] == [e[0] for e in expected]
    assert sdk.network.default_security_rules.get(rg, "nsg", "DenyAllInBound").priority == 65500


def test_put_is_an_lro_polled_through_azure_async_operation(sim: ArmSim, sdk: Any, rg: str) -> None:
    raw = Raw()
    vnet = sdk.network.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(), raw_response_hook=raw).result()
    status, headers = raw.first
    assert status == 201
    assert "/providers/Microsoft.Network/locations/norwayeast/operations/" in headers["Azure-AsyncOperation"]
    assert "Retry-After" not in headers  # az CLI recordings: NRP's PUT answers carry none
    assert vnet.provisioning_state == "Succeeded"
    polls = sim.requests_to("GET", "/providers/Microsoft.Network/locations/norwayeast/operations/")
    assert len(polls) >= 2
    # The PUT answer itself shows the resource mid-flight, as NRP does (Updating, also on create).
    initial = sdk.network.virtual_networks.begin_create_or_update(rg, "v2", vnet_body(), polling=False).result()
    assert initial.provisioning_state == "Updating"
    assert initial.subnets[0].provisioning_state == "Updating"
    raw2 = Raw()
    sdk.network.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(), raw_response_hook=raw2).result()
    assert raw2.first[0] == 200  # update


def test_delete_lro_and_delete_of_missing_resource(sim: ArmSim, sdk: Any, rg: str) -> None:
    n = sdk.network
    n.public_ip_addresses.begin_create_or_update(rg, "p", pip_body()).result()
    raw = Raw()
    n.public_ip_addresses.begin_delete(rg, "p", raw_response_hook=raw).result()
    status, headers = raw.first
    assert status == 202 and "operationResults" in headers["Location"] and "Azure-AsyncOperation" in headers
    assert fails(lambda: n.public_ip_addresses.get(rg, "p")).error.code == "ResourceNotFound"
    raw = Raw()
    n.public_ip_addresses.begin_delete(rg, "p", raw_response_hook=raw).result()
    assert raw.first[0] == 204
    raw = Raw()
    n.subnets.begin_delete(rg, "nope", "nope", raw_response_hook=raw).result()
    assert raw.first[0] == 204


def test_lists_paging_and_lookups(sim: ArmSim, sdk: Any, rg: str) -> None:
    sim.page_size = 2
    n = sdk.network
    for i in range(3):
        n.network_security_groups.begin_create_or_update(rg, f"nsg{i}", nsg_body()).result()
    sdk.resources.resource_groups.create_or_update("other-rg", {"location": "westeurope"})
    n.network_security_groups.begin_create_or_update("other-rg", "far", nsg_body(location="westeurope")).result()
    assert [g.name for g in n.network_security_groups.list(rg)] == ["nsg0", "nsg1", "nsg2"]
    pages = [r.url for r in sim.requests_to("GET", f"/resourceGroups/{rg}/providers/Microsoft.Network/"
                                                  "networkSecurityGroups") if r.path.endswith("networkSecurityGroups")]
    assert len(pages) == 2 and "skiptoken" in pages[1]  # the SDK followed the absolute nextLink
    assert sorted(g.name for g in n.network_security_groups.list_all()) == ["far", "nsg0", "nsg1", "nsg2"]
    assert fails(lambda: list(n.network_security_groups.list("missing-rg"))).error.code == "ResourceGroupNotFound"
    err = fails(lambda: n.network_security_groups.get(rg, "nope"))
    assert err.status_code == 404 and err.error.code == "ResourceNotFound"
    # the other types list too
    n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result()
    assert [v.name for v in n.virtual_networks.list(rg)] == ["vn"]
    assert [v.name for v in n.virtual_networks.list_all()] == ["vn"]
    assert [s.name for s in n.subnets.list(rg, "vn")] == ["default"]
    assert fails(lambda: n.subnets.get(rg, "vn", "nope")).status_code == 404


def test_child_resources_subnets_rules_ipconfigs(sim: ArmSim, sdk: Any, rg: str) -> None:
    n = sdk.network
    n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result()
    raw = Raw()
    sn = n.subnets.begin_create_or_update(rg, "vn", "second", {"properties": {"addressPrefix": "10.0.1.0/24"}},
                                          raw_response_hook=raw).result()
    assert raw.first[0] == 201 and "Azure-AsyncOperation" in raw.first[1]
    assert sn.address_prefix == "10.0.1.0/24" and sn.provisioning_state == "Succeeded"
    assert sn.type == "Microsoft.Network/virtualNetworks/subnets"
    vnet = n.virtual_networks.get(rg, "vn")
    assert [s.name for s in vnet.subnets] == ["default", "second"]  # stored inside the VNet body
    assert sim.peek(sn.id) is None  # not a separate resource
    n.subnets.begin_delete(rg, "vn", "second").result()
    assert [s.name for s in n.subnets.list(rg, "vn")] == ["default"]

    n.network_security_groups.begin_create_or_update(rg, "nsg", nsg_body([rule("ssh", 100, "22")])).result()
    r = n.security_rules.begin_create_or_update(rg, "nsg", "web", rule("web", 200, "443")).result()
    assert (r.name, r.priority, r.destination_port_range, r.provisioning_state) == ("web", 200, "443", "Succeeded")
    assert [x.name for x in n.security_rules.list(rg, "nsg")] == ["ssh", "web"]
    assert n.security_rules.get(rg, "nsg", "web").type == "Microsoft.Network/networkSecurityGroups/securityRules"
    n.security_rules.begin_delete(rg, "nsg", "ssh").result()
    assert [x.name for x in n.network_security_groups.get(rg, "nsg").security_rules] == ["web"]

    subnet_id = vnet.subnets[0].id
    n.network_interfaces.begin_create_or_update(rg, "nic", nic_body(ipconfig("ipconfig1", subnet_id))).result()
    ipcs = list(n.network_interface_ip_configurations.list(rg, "nic"))
    assert [(c.name, c.private_ip_address) for c in ipcs] == [("ipconfig1", "10.0.0.4")]
    assert n.network_interface_ip_configurations.get(rg, "nic", "ipconfig1").primary is True


def test_private_addresses_are_allocated_from_the_subnet(sdk: Any, rg: str) -> None:
    n = sdk.network
    subnet_id = n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result().subnets[0].id
    addrs = []
    for i in range(3):
        nic = n.network_interfaces.begin_create_or_update(rg, f"nic{i}", nic_body(
            ipconfig("ipconfig1", subnet_id), ipconfig("ipconfig2", subnet_id, version="IPv6"))).result()
        addrs.append([c.private_ip_address for c in nic.ip_configurations])
    assert addrs == [["10.0.0.4", "fd12:3456:789a::4"], ["10.0.0.5", "fd12:3456:789a::5"],
                     ["10.0.0.6", "fd12:3456:789a::6"]]
    # an update keeps the NIC's addresses; a freed address is reused
    again = n.network_interfaces.begin_create_or_update(rg, "nic1", nic_body(
        ipconfig("ipconfig1", subnet_id), ipconfig("ipconfig2", subnet_id, version="IPv6"))).result()
    assert again.ip_configurations[0].private_ip_address == "10.0.0.5"
    n.network_interfaces.begin_delete(rg, "nic0").result()
    nic = n.network_interfaces.begin_create_or_update(rg, "nic9", nic_body(ipconfig("ipconfig1", subnet_id))).result()
    assert nic.ip_configurations[0].private_ip_address == "10.0.0.4"
    static = n.network_interfaces.begin_create_or_update(rg, "nics", nic_body(ipconfig(
        "ipconfig1", subnet_id, privateIPAllocationMethod="Static", privateIPAddress="10.0.0.50"))).result()
    assert static.ip_configurations[0].private_ip_address == "10.0.0.50"
    err = fails(lambda: n.network_interfaces.begin_create_or_update(rg, "nicr", nic_body(ipconfig(
        "ipconfig1", subnet_id, privateIPAllocationMethod="Static", privateIPAddress="10.0.0.2"))).result())
    assert err.error.code == "PrivateIPAddressInReservedRange"
    err = fails(lambda: n.network_interfaces.begin_create_or_update(rg, "nict", nic_body(ipconfig(
        "ipconfig1", subnet_id, privateIPAllocationMethod="Static", privateIPAddress="10.0.0.50"))).result())
    assert err.error.code == "PrivateIPAddressIsAllocated"


def test_public_ip_options_and_unique_addresses(sdk: Any, rg: str) -> None:
    n = sdk.network
    internet = n.public_ip_addresses.begin_create_or_update(rg, "inet", pip_body(
        ipTags=[{"ipTagType": "RoutingPreference", "tag": "Internet"}], idleTimeoutInMinutes=10,
        dnsSettings={"domainNameLabel": "yolo-vm"})).result()
    assert [(t.ip_tag_type, t.tag) for t in internet.ip_tags] == [("RoutingPreference", "Internet")]
    assert internet.idle_timeout_in_minutes == 10
    assert internet.dns_settings.fqdn == "yolo-vm.norwayeast.cloudapp.azure.com"
    assert internet.ddos_settings.protection_mode == "VirtualNetworkInherited"
    addresses = {internet.ip_address}
    for i in range(5):
        addresses.add(n.public_ip_addresses.begin_create_or_update(rg, f"p{i}", pip_body()).result().ip_address)
        addresses.add(n.public_ip_addresses.begin_create_or_update(rg, f"q{i}", pip_body("IPv6")).result().ip_address)
    assert len(addresses) == 11
    assert fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "dup", pip_body(
        dnsSettings={"domainNameLabel": "yolo-vm"})).result()).error.code == "DnsRecordInUse"
    # the address survives an update
    again = n.public_ip_addresses.begin_create_or_update(rg, "inet", pip_body(idleTimeoutInMinutes=20)).result()
    assert again.ip_address == internet.ip_address and again.ip_tags == []
    v2 = n.public_ip_addresses.begin_create_or_update(rg, "v2", pip_body(sku="StandardV2")).result()
    assert v2.sku.name == "StandardV2"
    assert fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "bad", pip_body(
        dnsSettings={"domainNameLabel": "Bad_Label"})).result()).error.code == "InvalidDomainNameLabel"


def test_nat_gateway_standard_v2_takes_ipv6(sdk: Any, rg: str) -> None:
    n = sdk.network
    p4 = n.public_ip_addresses.begin_create_or_update(rg, "v4", pip_body(sku="StandardV2")).result()
    p6 = n.public_ip_addresses.begin_create_or_update(rg, "v6", pip_body("IPv6", sku="StandardV2")).result()
    raw = Raw()
    nat = n.nat_gateways.begin_create_or_update(rg, "nat", {
        "location": LOC, "sku": {"name": "StandardV2"}, "zones": ["1", "2", "3"],
        "properties": {"publicIpAddresses": [{"id": p4.id}], "publicIpAddressesV6": [{"id": p6.id}]}},
        raw_response_hook=raw).result()
    assert raw.first[0] in (200, 201, 202)
    assert (nat.sku.name, nat.idle_timeout_in_minutes, nat.zones) == ("StandardV2", 4, ["1", "2", "3"])
    assert [p.id for p in nat.public_ip_addresses_v6] == [p6.id]
    wire = n.nat_gateways.get(rg, "nat").as_dict()
    assert "publicIpAddressesV6" in wire["properties"]  # the wire casing differs from publicIPAddress
    assert n.public_ip_addresses.get(rg, "v6").nat_gateway.id == nat.id


# ---------------------------------------------------------------------------------------------- rejections


@pytest.mark.parametrize(("kind", "name"), [
    ("vnet", "a"), ("vnet", "x" * 65), ("vnet", "-starts-badly"), ("nsg", "ends-with."), ("pip", "x" * 81),
    ("nsg", "bad!name"),
])
def test_invalid_names(sdk: Any, rg: str, kind: str, name: str) -> None:
    n = sdk.network
    calls = {
        "vnet": lambda: n.virtual_networks.begin_create_or_update(rg, name, vnet_body()).result(),
        "nsg": lambda: n.network_security_groups.begin_create_or_update(rg, name, nsg_body()).result(),
        "pip": lambda: n.public_ip_addresses.begin_create_or_update(rg, name, pip_body()).result(),
    }
    err = fails(calls[kind])
    assert err.status_code == 400 and err.error.code == "InvalidResourceName"
    assert "It must begin with a word character" in err.error.message


def test_valid_name_edges(sdk: Any, rg: str) -> None:
    n = sdk.network
    assert n.network_security_groups.begin_create_or_update(rg, "a", nsg_body()).result().name == "a"
    assert n.network_security_groups.begin_create_or_update(rg, "ends_", nsg_body()).result().name == "ends_"
    assert n.virtual_networks.begin_create_or_update(rg, "x" * 64, vnet_body()).result().name == "x" * 64
    err = fails(lambda: n.subnets.begin_create_or_update(rg, "x" * 64, "bad.", {
        "properties": {"addressPrefix": "10.0.9.0/24"}}).result())
    assert err.error.code == "InvalidResourceName"


def test_snake_case_and_bad_enum_values_are_parse_errors(sdk: Any, rg: str) -> None:
    n = sdk.network
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", {
        "location": LOC, "properties": {"address_space": {"addressPrefixes": ["10.0.0.0/16"]}}}).result())
    assert err.status_code == 400 and err.error.code == "InvalidRequestFormat"
    assert err.error.message == "Cannot parse the request."
    detail = err.error.details[0]
    assert detail.code == "InvalidJson"
    assert detail.message.startswith("Could not find member 'address_space' on object of type "
                                     "'VirtualNetworkPropertiesFormat'. Path 'properties.address_space', line 1")
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "p", pip_body(method="Sometimes")).result())
    assert err.error.code == "InvalidRequestFormat"
    assert "IpAllocationMethod" in err.error.details[0].message
    err = fails(lambda: n.network_security_groups.begin_create_or_update(rg, "n", nsg_body(
        [rule("r", 100, protocol="Tcpx")])).result())
    assert err.error.code == "InvalidRequestFormat" and "SecurityRuleProtocol" in err.error.details[0].message
    # enum values are case-insensitive and answered canonical
    ok = n.network_security_groups.begin_create_or_update(rg, "n", nsg_body(
        [{"name": "r", "properties": {**rule("r", 100)["properties"], "protocol": "tcp", "direction": "inbound",
                                      "access": "allow"}}])).result()
    assert (ok.security_rules[0].protocol, ok.security_rules[0].direction) == ("Tcp", "Inbound")


@pytest.mark.parametrize(("prefixes", "code"), [
    (["10.0.0.0/24", "fd12:3456:789a::/56"], "NetcfgInvalidSubnet"),  # IPv6 subnets are /64 (rule 25)
    (["10.0.0/24"], "InvalidAddressPrefixFormat"),
    (["10.0.0.0/33"], "InvalidAddressPrefixFormat"),
    (["fd12:3456:789a::/64x"], "InvalidAddressPrefixFormat"),
    (["10.0.0.5/24"], "InvalidCIDRNotation"),
    (["10.0.0.0/24", "fd12:3456:789a::1/64"], "InvalidCIDRNotation"),
    (["10.1.0.0/24"], "NetcfgSubnetRangeOutsideVnet"),
    (["10.0.0.0/24", "fd99::/64"], "NetcfgSubnetRangeOutsideVnet"),
])
def test_subnet_prefix_rejections(sdk: Any, rg: str, prefixes: list[str], code: str) -> None:
    body = vnet_body([{"name": "default", "properties": {"addressPrefixes": prefixes}}])
    err = fails(lambda: sdk.network.virtual_networks.begin_create_or_update(rg, "vn", body).result())
    assert err.status_code == 400 and err.error.code == code


def test_subnet_prefix_messages_and_overlaps(sdk: Any, rg: str) -> None:
    n = sdk.network
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(
        [{"name": "default", "properties": {"addressPrefix": "10.0.0.5/24"}}])).result())
    assert err.error.message.endswith("has an invalid CIDR notation. For the given prefix length, the address "
                                      "prefix should be 10.0.0.0/24.")
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(
        [{"name": "default", "properties": {"addressPrefix": "10.9.0.0/24"}}])).result())
    assert err.error.message == ("Subnet 'default' is not valid because its IP address range is outside the IP "
                                 "address range of virtual network 'vn'.")
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body([
        {"name": "a", "properties": {"addressPrefix": "10.0.0.0/24"}},
        {"name": "b", "properties": {"addressPrefix": "10.0.0.128/25"}}])).result())
    assert err.error.code == "NetcfgSubnetRangesOverlap"
    n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result()
    err = fails(lambda: n.subnets.begin_create_or_update(rg, "vn", "b", {
        "properties": {"addressPrefixes": ["10.0.1.0/24", "fd12:3456:789a::/64"]}}).result())
    assert err.error.code == "NetcfgSubnetRangesOverlap"
    assert err.error.message == ("Subnet 'b' is not valid because its IP address range overlaps with that of an "
                                 "existing subnet in virtual network 'vn'.")
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(
        [{"name": "default", "properties": {}}])).result())
    assert err.error.code == "NetcfgInvalidSubnet"


def test_ipv6_written_non_canonically_is_accepted_as_sent(sdk: Any, rg: str) -> None:
    """No ARM rejection of leading zeros was found (the notes' complaint is about the portal)."""
    body = vnet_body([{"name": "default", "properties": {"addressPrefixes": ["10.0.0.0/24",
                                                                             "fd12:3456:789a:0000::/64"]}}],
                     prefixes=["10.0.0.0/16", "fd12:3456:789a:0000:0000::/48"])
    vnet = sdk.network.virtual_networks.begin_create_or_update(rg, "vn", body).result()
    assert vnet.address_space.address_prefixes[1] == "fd12:3456:789a:0000:0000::/48"


def test_public_ip_rejections(sdk: Any, rg: str) -> None:
    n = sdk.network
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "b", pip_body(
        sku="Basic", zones=["1"], method="Dynamic")).result())
    assert err.error.code == "ZonesNotAllowedInBasicSkuResource"
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "d", pip_body(method="Dynamic")).result())
    assert err.error.code == "StandardSkuPublicIPAddressesMustBeStatic"
    assert err.error.message == (f"Standard sku publicIp /subscriptions/{sdk.sim.subscription_id}/resourceGroups/"
                                 f"{rg}/providers/Microsoft.Network/publicIPAddresses/d must have AllocationMethod "
                                 "set to Static.")
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "z", pip_body(
        zones=["1"], location="norwaywest")).result())
    assert err.error.code == "LocationNotSupportAvailabilityZones"
    assert err.error.message == ("The resource 'Microsoft.Network/publicIPAddresses/z' does not support availability "
                                 "zones at location 'norwaywest'.")
    # Basic public IPs were retired on 2025-09-30: new ones are refused
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "basic", pip_body(
        sku="Basic", method="Dynamic")).result())
    assert err.error.code == "IPv4BasicSkuPublicIpCountLimitReached"
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "nowhere", pip_body(
        location="atlantis")).result())
    assert err.error.code == "LocationNotAvailableForResourceType"
    n.public_ip_addresses.begin_create_or_update(rg, "moved", pip_body()).result()
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "moved", pip_body(
        location="westeurope")).result())
    assert err.status_code == 409 and err.error.code == "InvalidResourceLocation"


def test_standard_public_ip_quota(sdk: Any, rg: str) -> None:
    """catalog.quotas: 10 Standard public IPs in norwaywest."""
    n = sdk.network
    for i in range(10):
        n.public_ip_addresses.begin_create_or_update(rg, f"p{i}", pip_body(location="norwaywest")).result()
    err = fails(lambda: n.public_ip_addresses.begin_create_or_update(rg, "p10", pip_body(
        location="norwaywest")).result())
    assert err.error.code == "IPv4StandardSkuPublicIpCountLimitReached"
    usage = {u.name.value: u for u in n.usages.list("norwaywest")}
    assert (usage["StandardSkuPublicIpAddresses"].current_value, usage["StandardSkuPublicIpAddresses"].limit) == (10, 10)


def test_nic_rejections(sdk: Any, rg: str) -> None:
    n = sdk.network
    sid = n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result().subnets[0].id
    v4only = n.subnets.begin_create_or_update(rg, "vn", "v4only", {"properties": {"addressPrefix": "10.0.5.0/24"}}).result()
    p4 = n.public_ip_addresses.begin_create_or_update(rg, "p4", pip_body()).result()
    p6 = n.public_ip_addresses.begin_create_or_update(rg, "p6", pip_body("IPv6")).result()

    def put(*configs: dict[str, Any], name: str = "nic", **kw: Any) -> Any:
        return n.network_interfaces.begin_create_or_update(rg, name, nic_body(*configs, **kw)).result()

    err = fails(lambda: put(ipconfig("ipconfig1", sid, p6.id)))
    assert err.error.code == "IPVersionForPublicIpAndNicIpConfigurationMustMatch"
    nic_id = f"/subscriptions/{sdk.sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/nic"
    assert err.error.message == (f"IP version for publicIPAddress '{p6.id}', version 'IPv6' and network interface "
                                 f"ipConfiguration '{nic_id}/ipConfigurations/ipconfig1', version 'IPv4' must match.")
    assert fails(lambda: put(ipconfig("ipconfig1", sid), ipconfig("ipconfig2", sid, version="IPv6", primary=True))
                 ).error.code == "IPv6IpConfigurationCannotBePrimary"
    assert fails(lambda: put(ipconfig("ipconfig1", sid, version="IPv6"))
                 ).error.code == "NicMustHaveAtLeastOneIPv4IpConfiguration"
    assert fails(lambda: put(ipconfig("ipconfig1", sid), ipconfig("IPCONFIG1", sid, version="IPv6"))
                 ).error.code == "DuplicateResourceName"
    assert fails(lambda: put(ipconfig("ipconfig1", v4only.id), ipconfig("ipconfig2", v4only.id, version="IPv6"))
                 ).error.code == "SubnetDoesNotHaveAddressPrefixOfIpConfigurationVersion"
    assert fails(lambda: put(ipconfig("ipconfig1", sid + "x"))).error.code == "InvalidResourceReference"
    assert fails(lambda: put(ipconfig("ipconfig1", sid, p4.id + "x"))).error.code == "InvalidResourceReference"
    err = fails(lambda: put(ipconfig("ipconfig1", sid), networkSecurityGroup={"id": p4.id.replace(
        "publicIPAddresses", "networkSecurityGroups")}))
    assert err.error.code == "InvalidResourceReference"
    assert err.error.message.endswith("Please make sure that the referenced resource exists, and that both "
                                      "resources are in the same region.")
    far = n.public_ip_addresses.begin_create_or_update(rg, "far", pip_body(location="westeurope")).result()
    assert fails(lambda: put(ipconfig("ipconfig1", sid, far.id))).error.code == "InvalidResourceReference"
    assert fails(lambda: put(ipconfig("ipconfig1", sid), location="westeurope")).error.code == "InvalidResourceReference"
    put(ipconfig("ipconfig1", sid, p4.id), name="holder")
    assert fails(lambda: put(ipconfig("ipconfig1", sid, p4.id))).error.code == "PublicIPAddressInUse"
    assert fails(lambda: put(ipconfig("ipconfig1", sid, p6.id + "0"))).error.code == "InvalidResourceReference"


def test_reference_to_resource_still_updating(sdk: Any, rg: str) -> None:
    n = sdk.network
    sid = n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result().subnets[0].id
    pending = n.public_ip_addresses.begin_create_or_update(rg, "slow", pip_body(), polling=False).result()
    assert pending.provisioning_state == "Updating"
    err = fails(lambda: n.network_interfaces.begin_create_or_update(rg, "nic", nic_body(
        ipconfig("ipconfig1", sid, pending.id))).result())
    assert err.error.code == "ReferencedResourceNotProvisioned"


def test_nsg_rule_rejections(sdk: Any, rg: str) -> None:
    n = sdk.network

    def put(*rules: dict[str, Any]) -> Any:
        return n.network_security_groups.begin_create_or_update(rg, "nsg", nsg_body(list(rules))).result()

    err = fails(lambda: put(rule("low", 50)))
    assert err.error.code == "SecurityRuleInvalidPriority"
    assert err.error.message == "Security rule has invalid Priority. Value provided: 50 Allowed range 100-4096."
    assert fails(lambda: put(rule("high", 4097))).error.code == "SecurityRuleInvalidPriority"
    err = fails(lambda: put(rule("a", 100, "22"), rule("b", 100, "80")))
    assert err.error.code == "SecurityRuleConflict"
    assert err.error.message == "Security rule b conflicts with rule a. Rules cannot have the same Priority and Direction."
    assert len(put(rule("a", 100, "22"), rule("b", 100, direction="Outbound")).security_rules) == 2
    err = fails(lambda: n.security_rules.begin_create_or_update(rg, "nsg", "c", rule("c", 100)).result())
    assert err.error.code == "SecurityRuleConflict"
    mixed = rule("mixed", 300, sourceAddressPrefix=None, sourceAddressPrefixes=["10.0.0.0/24", "fd00::/64"])
    err = fails(lambda: put(mixed))
    assert err.error.code == "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies"
    assert fails(lambda: put(rule("cross", 300, sourceAddressPrefix="10.0.0.0/24",
                                  destinationAddressPrefix="fd00::/64"))
                 ).error.code == "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies"
    ok = put(rule("v6", 300, sourceAddressPrefix="fd00::/64", destinationAddressPrefix="VirtualNetwork"))
    assert ok.security_rules[0].source_address_prefix == "fd00::/64"
    assert fails(lambda: put(rule("ports", 300, "80,443"))).error.code == "SecurityRuleInvalidPortRange"
    assert fails(lambda: put(rule("ports", 300, "443-80"))).error.code == "SecurityRuleInvalidPortRange"
    assert fails(lambda: put(rule("ports", 300, "70000"))).error.code == "SecurityRuleInvalidPortRange"
    assert put(rule("range", 300, "8000-8080")).security_rules[0].destination_port_range == "8000-8080"
    assert fails(lambda: put(rule("any", 300, sourceAddressPrefix="any"))
                 ).error.code == "SecurityRuleInvalidAddressPrefix"
    assert fails(lambda: put(rule("host", 300, sourceAddressPrefix="193.23.120.230/30"))
                 ).error.code == "SecurityRuleInvalidAddressPrefix"
    assert fails(lambda: put(rule("dir", 300, direction="Sideways"))).error.code == "InvalidRequestFormat"
    assert fails(lambda: put({"name": "acc", "properties": {**rule("acc", 300)["properties"], "access": "Maybe"}})
                 ).error.code == "InvalidRequestFormat"
    no_access = rule("noacc", 300)
    del no_access["properties"]["access"]
    assert fails(lambda: put(no_access)).error.code == "InvalidRequestFormat"


def test_nat_gateway_rejections(sdk: Any, rg: str) -> None:
    n = sdk.network
    std4 = n.public_ip_addresses.begin_create_or_update(rg, "std4", pip_body()).result()
    std6 = n.public_ip_addresses.begin_create_or_update(rg, "std6", pip_body("IPv6")).result()

    def put(name: str = "nat", sku: str = "Standard", zones: list[str] | None = None, **props: Any) -> Any:
        body: dict[str, Any] = {"location": LOC, "sku": {"name": sku}, "properties": props}
        if zones is not None:
            body["zones"] = zones
        return n.nat_gateways.begin_create_or_update(rg, name, body).result()

    assert fails(lambda: put(publicIpAddressesV6=[{"id": std6.id}])).error.code == "NatGatewayStandardSkuDoesNotSupportIPv6"
    assert fails(lambda: put(publicIpAddresses=[{"id": std6.id}])).error.code == "NatGatewayPublicIpAddressVersionMismatch"
    assert fails(lambda: put(sku="StandardV2", publicIpAddresses=[{"id": std4.id}])
                 ).error.code == "NatGatewaySkuAndPublicIpSkuMismatch"
    assert fails(lambda: put(idleTimeoutInMinutes=200)).error.code == "InvalidIdleTimeoutInMinutes"
    assert fails(lambda: put(idleTimeoutInMinutes=3)).error.code == "InvalidIdleTimeoutInMinutes"
    assert fails(lambda: put(zones=["1", "2", "3"])).error.code == "NatGatewayCannotBeZoneRedundant"
    assert fails(lambda: put(publicIpAddresses=[{"id": std4.id + "x"}])).error.code == "InvalidResourceReference"
    put(publicIpAddresses=[{"id": std4.id}])
    assert fails(lambda: put("nat2", publicIpAddresses=[{"id": std4.id}])).error.code == "PublicIPAddressInUse"
    put(idleTimeoutInMinutes=120, publicIpAddresses=[{"id": std4.id}])  # re-PUT keeps its own IP


def test_vnet_update_cannot_drop_or_readdress_a_used_subnet(sdk: Any, rg: str) -> None:
    n = sdk.network
    sid = n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result().subnets[0].id
    n.network_interfaces.begin_create_or_update(rg, "nic", nic_body(ipconfig("ipconfig1", sid))).result()
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body([])).result())
    assert err.error.code == "InUseSubnetCannotBeDeleted"
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(
        [{"name": "default", "properties": {"addressPrefix": "10.0.7.0/24"}}])).result())
    assert err.error.code == "InUseSubnetCannotBeUpdated"
    # removing the VNet prefix a subnet sits in
    err = fails(lambda: n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(prefixes=["10.1.0.0/16", ULA])
                                                                   ).result())
    assert err.error.code == "NetcfgSubnetRangeOutsideVnet"


def test_locks_guard_writes_and_deletes(sdk: Any, rg: str) -> None:
    n = sdk.network
    n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result()
    sdk.locks.management_locks.create_or_update_at_resource_group_level(rg, "nodelete", {"level": "CanNotDelete"})
    assert fails(lambda: n.virtual_networks.begin_delete(rg, "vn").result()).error.code == "ScopeLocked"
    assert fails(lambda: n.subnets.begin_delete(rg, "vn", "default").result()).error.code == "ScopeLocked"
    n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result()  # writes still allowed
    sdk.locks.management_locks.create_or_update_at_resource_group_level(rg, "ro", {"level": "ReadOnly"})
    assert fails(lambda: n.network_security_groups.begin_create_or_update(rg, "n", nsg_body()).result()
                 ).error.code == "ScopeLocked"


# ---------------------------------------------------------------------------------------------- deletion order


def test_deletion_order_errors_then_success(sim: ArmSim, sdk: Any, rg: str) -> None:
    net = build(sdk, rg)
    n = sdk.network
    vm_id = f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/yolo-vm"
    network.attach_nic_to_vm(sim, net["nic"].id, vm_id)
    nic = n.network_interfaces.get(rg, "yolo-nic")
    assert nic.virtual_machine.id == vm_id and nic.primary is True
    assert nic.mac_address.startswith("00-0D-3A-")

    err = fails(lambda: n.network_interfaces.begin_delete(rg, "yolo-nic").result())
    assert err.error.code == "NicInUse"
    assert err.error.message == (f"Network Interface {net['nic'].id} is used by existing resource {vm_id}. In order to "
                                 "delete the network interface, it must be dissociated from the resource. To learn "
                                 "more, see aka.ms/deletenic.")
    err = fails(lambda: n.public_ip_addresses.begin_delete(rg, "yolo-ipv4").result())
    assert err.error.code == "PublicIPAddressCannotBeDeleted"
    assert err.error.message == (f"Public IP address {net['pip4'].id} can not be deleted since it is still allocated "
                                 f"to resource {net['nic'].id}/ipConfigurations/ipconfig1. In order to delete the "
                                 "public IP, disassociate/detach the Public IP address from the resource. To learn "
                                 "how to do this, see aka.ms/deletepublicip.")
    err = fails(lambda: n.public_ip_addresses.begin_delete(rg, "yolo-natip").result())
    assert err.error.code == "PublicIPAddressCannotBeDeleted" and net["nat"].id in err.error.message
    err = fails(lambda: n.subnets.begin_delete(rg, "yolo-vnet", "default").result())
    assert err.error.code == "InUseSubnetCannotBeDeleted"
    assert err.error.message == (f"Subnet default is in use by {net['nic'].id}/ipConfigurations/ipconfig1 and cannot "
                                 "be deleted. In order to delete the subnet, delete all the resources within the "
                                 "subnet. See aka.ms/deletesubnet.")
    assert fails(lambda: n.virtual_networks.begin_delete(rg, "yolo-vnet").result()
                 ).error.code == "InUseSubnetCannotBeDeleted"
    err = fails(lambda: n.network_security_groups.begin_delete(rg, "yolo-nsg").result())
    assert err.error.code == "InUseNetworkSecurityGroupCannotBeDeleted"
    assert err.error.message == (f"Network security group {net['nsg'].id} cannot be deleted because it is in use by "
                                 f"the following resources: {net['subnet_id']}.")
    assert fails(lambda: n.nat_gateways.begin_delete(rg, "yolo-natgw").result()
                 ).error.code == "InUseNatGatewayCannotBeDeleted"

    # the right order: VM lets go of the NIC -> NIC -> IPs / NSG / NAT (after dissociating) -> VNet
    network.detach_nic_from_vm(sim, net["nic"].id)
    n.network_interfaces.begin_delete(rg, "yolo-nic").result()
    n.public_ip_addresses.begin_delete(rg, "yolo-ipv4").result()
    n.public_ip_addresses.begin_delete(rg, "yolo-ipv6").result()
    n.subnets.begin_create_or_update(rg, "yolo-vnet", "default", {
        "properties": {"addressPrefixes": ["10.0.0.0/24", ULA64]}}).result()
    n.nat_gateways.begin_delete(rg, "yolo-natgw").result()
    n.public_ip_addresses.begin_delete(rg, "yolo-natip").result()
    n.network_security_groups.begin_delete(rg, "yolo-nsg").result()
    n.virtual_networks.begin_delete(rg, "yolo-vnet").result()
    for lister in (n.network_interfaces, n.public_ip_addresses, n.nat_gateways, n.network_security_groups,
                   n.virtual_networks):
        assert list(lister.list(rg)) == []


# ---------------------------------------------------------------------------------------------- compute contract


def test_compute_contract_helpers(sim: ArmSim, sdk: Any, rg: str) -> None:
    net = build(sdk, rg)
    n = sdk.network
    nic_id, vm = net["nic"].id, "/subscriptions/x/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/a"
    pips = network.nic_public_ips(sim, nic_id)
    assert [p["name"] for p in pips] == ["yolo-ipv4", "yolo-ipv6"]
    assert pips[0]["properties"]["ipConfiguration"]["id"].endswith("/ipConfigurations/ipconfig1")
    network.attach_nic_to_vm(sim, nic_id, vm)
    with pytest.raises(Exception) as info:
        network.attach_nic_to_vm(sim, nic_id, vm + "b")
    assert getattr(info.value, "code", None) == "NicInUse"
    assert network.nic_view(sim, nic_id)["properties"]["virtualMachine"] == {"id": vm}
    # VM deleted with deleteOption=Delete for the NIC and the IPv6 IP
    assert network.remove_nic(sim, nic_id) is True
    assert network.remove_public_ip(sim, net["pip6"].id) is True
    assert network.remove_nic(sim, nic_id) is False
    assert n.public_ip_addresses.get(rg, "yolo-ipv4").ip_configuration is None
    assert n.subnets.get(rg, "yolo-vnet", "default").ip_configurations is None
    assert [p.name for p in n.public_ip_addresses.list(rg)] == ["yolo-ipv4", "yolo-natip"]
    # removing an IP strips its references (here: the NAT gateway's)
    network.remove_public_ip(sim, net["natpip"].id)
    assert n.nat_gateways.get(rg, "yolo-natgw").public_ip_addresses == []


# ---------------------------------------------------------------------------------------------- usages and versions


def test_usages_count_what_exists(sim: ArmSim, sdk: Any, rg: str) -> None:
    build(sdk, rg)
    usages = {u.name.value: u for u in sdk.network.usages.list(LOC)}
    assert usages["VirtualNetworks"].current_value == 1
    assert usages["PublicIPAddresses"].current_value == 3
    assert usages["StaticPublicIPAddresses"].current_value == 3
    assert usages["NetworkSecurityGroups"].current_value == 1
    assert usages["NetworkInterfaces"].current_value == 1
    assert usages["NatGateways"].current_value == 1
    assert usages["StandardSkuPublicIpAddresses"].limit == 1000
    u = usages["VirtualNetworks"]
    assert u.unit == "Count" and u.name.localized_value == "Virtual Networks"
    assert u.id == f"/subscriptions/{sim.subscription_id}/providers/Microsoft.Network/locations/{LOC}/usages/VirtualNetworks"
    assert {v.name.value: v.current_value for v in sdk.network.usages.list("westeurope")}["VirtualNetworks"] == 0


def test_any_api_version_is_accepted(sim: ArmSim, sdk: Any, rg: str) -> None:
    """The az CLI uses 2025-07-01; nothing depends on the version."""
    vnet = sdk.network.virtual_networks.begin_create_or_update(rg, "vn", vnet_body(), api_version="2025-07-01").result()
    assert vnet.provisioning_state == "Succeeded"
    assert {r.api_version for r in sim.requests_to("PUT", "/virtualNetworks/vn")} == {"2025-07-01"}
    assert sdk.network.virtual_networks.get(rg, "vn", api_version="2018-01-01").name == "vn"


# ---------------------------------------------------------------------------------------------- failures, restarts


def test_failed_child_operation_leaves_nothing_mid_flight(sim: ArmSim, sdk: Any, rg: str) -> None:
    n = sdk.network
    n.virtual_networks.begin_create_or_update(rg, "vn", vnet_body()).result()
    sim.faults.fail_async("PUT", r"/subnets/second$", code="InternalServerError", message="Something went wrong.")
    err = fails(lambda: n.subnets.begin_create_or_update(rg, "vn", "second", {
        "properties": {"addressPrefix": "10.0.1.0/24"}}).result())
    assert err.error.code == "InternalServerError"
    vnet = n.virtual_networks.get(rg, "vn")
    assert vnet.provisioning_state == "Succeeded"
    assert {s.name: s.provisioning_state for s in vnet.subnets} == {"default": "Succeeded", "second": "Failed"}


def test_restart_settles_embedded_children(tmp_path: Any) -> None:
    """Operations are not persisted: after a restart nothing may stay Updating (demo mode)."""
    from conftest import SdkClients

    path = tmp_path / "state.json"
    first = ArmSim(persist_path=path)
    sdk = SdkClients(first, retry_total=0)
    sdk.resources.resource_groups.create_or_update("test-rg", {"location": LOC})
    sdk.network.virtual_networks.begin_create_or_update("test-rg", "vn", vnet_body(), polling=False).result()
    second = ArmSim(persist_path=path)
    again = SdkClients(second, retry_total=0)
    vnet = again.network.virtual_networks.get("test-rg", "vn")
    assert vnet.provisioning_state == "Succeeded" and vnet.subnets[0].provisioning_state == "Succeeded"
    nic = again.network.network_interfaces.begin_create_or_update("test-rg", "nic", nic_body(
        ipconfig("ipconfig1", vnet.subnets[0].id))).result()
    assert nic.ip_configurations[0].private_ip_address == "10.0.0.4"


def test_get_modify_put_round_trips(sdk: Any, rg: str) -> None:
    """The SDK sends a model from a GET back whole (read-only fields included): NRP ignores those."""
    net = build(sdk, rg)
    n = sdk.network
    for ops, name in ((n.virtual_networks, "yolo-vnet"), (n.network_security_groups, "yolo-nsg"),
                      (n.public_ip_addresses, "yolo-ipv4"), (n.network_interfaces, "yolo-nic"),
                      (n.nat_gateways, "yolo-natgw")):
        model = ops.get(rg, name)
        model.tags = {"owner": "azwizard"}
        updated = ops.begin_create_or_update(rg, name, model).result()
        assert updated.tags == {"owner": "azwizard"} and updated.provisioning_state == "Succeeded"
    nic = n.network_interfaces.get(rg, "yolo-nic")
    assert [c.private_ip_address for c in nic.ip_configurations] == ["10.0.0.4", "fd12:3456:789a::4"]
    assert n.public_ip_addresses.get(rg, "yolo-ipv4").ip_address == net["pip4"].ip_address
    assert len(n.network_security_groups.get(rg, "yolo-nsg").default_security_rules) == 6
    subnet = n.subnets.get(rg, "yolo-vnet", "default")
    subnet.network_security_group = None
    after = n.subnets.begin_create_or_update(rg, "yolo-vnet", "default", subnet).result()
    assert after.network_security_group is None and len(after.ip_configurations) == 2
    assert not n.network_security_groups.get(rg, "yolo-nsg").subnets


def test_every_type_gets_lists_and_404s(sdk: Any, rg: str) -> None:
    build(sdk, rg)
    n = sdk.network
    expected = {n.virtual_networks: ["yolo-vnet"], n.network_security_groups: ["yolo-nsg"],
                n.public_ip_addresses: ["yolo-ipv4", "yolo-ipv6", "yolo-natip"], n.network_interfaces: ["yolo-nic"],
                n.nat_gateways: ["yolo-natgw"]}
    for ops, names in expected.items():
        assert sorted(x.name for x in ops.list(rg)) == sorted(names)
        assert sorted(x.name for x in ops.list_all()) == sorted(names)
        for x in ops.list(rg):
            assert x.provisioning_state == "Succeeded" and x.location == LOC and x.etag
        err = fails(lambda ops=ops: ops.get(rg, "missing"))
        assert (err.status_code, err.error.code) == (404, "ResourceNotFound")
    # the generic resources list sees the top-level network resources, not the embedded children
    types = sorted({r.type for r in sdk.resources.resources.list_by_resource_group(rg)})
    assert types == ["Microsoft.Network/natGateways", "Microsoft.Network/networkInterfaces",
                     "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/publicIPAddresses",
                     "Microsoft.Network/virtualNetworks"]
