"""Microsoft.Network answers that the az CLI recordings pinned down (Azure/azure-cli
src/azure-cli/azure/cli/command_modules/network/tests/latest/recordings/test_network_nic_auxiliary.yaml,
test_network_nic_subresources.yaml, test_network_nsg.yaml; .../vm/tests/latest/recordings/
test_vm_create_existing_nic.yaml), driven through the real NetworkManagementClient."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest

from azwizard.sim import SIM_BASE_URL

LOC = "norwayeast"


def _subnet(sdk: Any, rg: str) -> str:
    vnet = sdk.network.virtual_networks.begin_create_or_update(rg, "vnet", {
        "location": LOC, "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                                        "subnets": [{"name": "default", "properties": {
                                            "addressPrefix": "10.0.0.0/24"}}]}}).result()
    return str(vnet.subnets[0].id)


def _nic_body(subnet_id: str, **extra: Any) -> dict[str, Any]:
    return {"location": LOC, "properties": {"ipConfigurations": [
        {"name": "ipconfig1", "properties": {"subnet": {"id": subnet_id}}}], **extra}}


def _raw(sdk: Any, method: str, path: str, api: str, body: Any = None) -> Any:
    req = HttpRequest(method, f"{SIM_BASE_URL}{path}?api-version={api}", json=body)
    return sdk.network.send_request(req)


def test_nic_put_answers_succeeded_at_once(sdk: Any, rg: str) -> None:
    subnet = _subnet(sdk, rg)
    first = sdk.network.network_interfaces.begin_create_or_update(
        rg, "nic1", _nic_body(subnet), polling=False, cls=lambda resp, body, headers: resp).result().http_response
    assert first.status_code == 201 and "Azure-AsyncOperation" in first.headers
    answer = first.json()
    assert answer["properties"]["provisioningState"] == "Succeeded"
    assert answer["properties"]["ipConfigurations"][0]["properties"]["provisioningState"] == "Succeeded"
    assert answer["properties"]["allowPort25Out"] is True
    assert "enableAcceleratedNetworking" not in answer["properties"]  # only when sent
    nic = sdk.network.network_interfaces.begin_create_or_update(rg, "nic2", _nic_body(subnet)).result()
    assert nic.provisioning_state == "Succeeded"
    updated = sdk.network.network_interfaces.begin_create_or_update(
        rg, "nic1", _nic_body(subnet, enableAcceleratedNetworking=True), polling=False).result()
    assert updated.provisioning_state == "Succeeded" and updated.enable_accelerated_networking is True


def test_nic_shape_follows_the_api_version(sdk: Any, sim: Any, rg: str) -> None:
    subnet = _subnet(sdk, rg)
    sdk.network.network_interfaces.begin_create_or_update(rg, "nic1", _nic_body(subnet)).result()
    path = f"{sim.group_id(rg)}/providers/Microsoft.Network/networkInterfaces/nic1"
    old = _raw(sdk, "GET", path, "2022-01-01").json()["properties"]
    new = _raw(sdk, "GET", path, "2022-11-01").json()["properties"]
    assert "auxiliarySku" not in old and "disableTcpStateTracking" not in old and old["allowPort25Out"] is True
    assert new["auxiliarySku"] == "None" and new["disableTcpStateTracking"] is False


def test_ipv6_ip_configuration_without_subnet_is_accepted(sdk: Any, sim: Any, rg: str) -> None:
    """`az network nic ip-config create --private-ip-address-version IPv6` on a NIC whose IPv4 ipconfig has a
    subnet: Azure answered 200 with the IPv6 ipconfig holding no subnet and no address."""
    subnet = _subnet(sdk, rg)
    sdk.network.network_interfaces.begin_create_or_update(rg, "nic1", _nic_body(subnet)).result()
    path = f"{sim.group_id(rg)}/providers/Microsoft.Network/networkInterfaces/nic1"
    current = _raw(sdk, "GET", path, "2022-01-01").json()
    current["properties"]["ipConfigurations"].append(
        {"name": "my-ipconfig2", "properties": {"primary": False, "privateIPAddressVersion": "IPv6",
                                                "privateIPAllocationMethod": "Dynamic"}})
    resp = _raw(sdk, "PUT", path, "2022-01-01", current)
    assert resp.status_code == 200, resp.text()
    v6 = resp.json()["properties"]["ipConfigurations"][1]["properties"]
    assert v6["privateIPAddressVersion"] == "IPv6" and "subnet" not in v6 and "privateIPAddress" not in v6
    # An IPv4 ipconfig still needs its subnet.
    current["properties"]["ipConfigurations"].append(
        {"name": "v4-nosubnet", "properties": {"privateIPAddressVersion": "IPv4"}})
    assert _raw(sdk, "PUT", path, "2022-01-01", current).status_code == 400


def test_nsg_rule_prefix_accepts_what_dotnet_parses_as_ipv4(sdk: Any, rg: str) -> None:
    """Azure accepted "789" and "1234" (integer IPv4 notation) and echoed them; "any" stays refused."""
    sdk.network.network_security_groups.begin_create_or_update(rg, "nsg", {"location": LOC}).result()

    def put(src: str, dst: str) -> Any:
        return sdk.network.security_rules.begin_create_or_update(rg, "nsg", "web", {"properties": {
            "access": "Allow", "direction": "Inbound", "priority": 1000, "protocol": "*",
            "sourceAddressPrefix": src, "sourcePortRange": "*", "destinationAddressPrefix": dst,
            "destinationPortRange": "4444"}}).result()

    got = put("789", "1234")
    assert (got.source_address_prefix, got.destination_address_prefix) == ("789", "1234")
    assert put("127.1", "0x0a000001").source_address_prefix == "127.1"
    for bad in ("any", "256.256", "1.2.3.4.5", "789/24"):
        with pytest.raises(HttpResponseError) as e:
            put(bad, "*")
        assert e.value.error.code == "SecurityRuleInvalidAddressPrefix", bad


def test_vnet_nsg_pip_shapes_follow_the_api_version(sdk: Any, sim: Any, rg: str) -> None:
    base = f"{sim.group_id(rg)}/providers/Microsoft.Network"
    vnet = _raw(sdk, "PUT", f"{base}/virtualNetworks/v1", "2022-01-01", {
        "location": LOC, "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
                                        "enableDdosProtection": False, "enableVmProtection": False}}).json()
    assert "privateEndpointVNetPolicies" not in vnet["properties"] and "enableVmProtection" not in vnet["properties"]
    assert _raw(sdk, "GET", f"{base}/virtualNetworks/v1", "2024-03-01").json()["properties"][
        "privateEndpointVNetPolicies"] == "Disabled"
    nsg = _raw(sdk, "PUT", f"{base}/networkSecurityGroups/n1", "2022-01-01", {"location": LOC}).json()
    assert "flushConnection" not in nsg["properties"]
    pip = {"location": LOC, "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}}
    old = _raw(sdk, "PUT", f"{base}/publicIPAddresses/p1", "2022-01-01", pip).json()
    assert "ddosSettings" not in old["properties"]
    new = _raw(sdk, "GET", f"{base}/publicIPAddresses/p1", "2022-11-01").json()
    assert new["properties"]["ddosSettings"] == {"protectionMode": "VirtualNetworkInherited"}


def test_check_ip_address_availability(sdk: Any, rg: str) -> None:
    subnet = _subnet(sdk, rg)
    sdk.network.network_interfaces.begin_create_or_update(rg, "nic1", _nic_body(subnet)).result()  # takes .4
    free = sdk.network.virtual_networks.check_ip_address_availability(rg, "vnet", ip_address="10.0.0.50")
    assert free.available is True and free.is_platform_reserved is False
    reserved = sdk.network.virtual_networks.check_ip_address_availability(rg, "vnet", ip_address="10.0.0.0")
    assert reserved.available is False and reserved.is_platform_reserved is True
    assert reserved.available_ip_addresses == ["10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9"]
    used = sdk.network.virtual_networks.check_ip_address_availability(rg, "vnet", ip_address="10.0.0.4")
    assert used.available is False and used.is_platform_reserved is False


def _first_answer(begin: Any, *args: Any) -> Any:
    """The PUT's own answer (not the poller's end): the SDK's ``cls`` hook with polling off."""
    return begin(*args, polling=False, cls=lambda resp, body, headers: resp.http_response).result()


def test_application_security_groups_as_recorded(sdk: Any, rg: str) -> None:
    """test_network_nsg.yaml `network asg create` (api 2021-08-01): 201 Updating, only provisioningState in
    properties, Succeeded once done; listed, deleted (202), a second delete 204."""
    first = _first_answer(sdk.network.application_security_groups.begin_create_or_update, rg, "test-asg1",
                          {"location": "norwayeast"})
    assert first.status_code == 201 and first.json()["properties"] == {"provisioningState": "Updating"}
    asg = sdk.network.application_security_groups.begin_create_or_update(rg, "test-asg1", {"location": "norwayeast"}
                                                                         ).result()
    assert asg.provisioning_state == "Succeeded" and asg.type == "Microsoft.Network/applicationSecurityGroups"
    assert [a.name for a in sdk.network.application_security_groups.list(rg)] == ["test-asg1"]
    sdk.network.application_security_groups.begin_delete(rg, "test-asg1").result()
    assert list(sdk.network.application_security_groups.list(rg)) == []


def test_public_ip_prefixes_get_their_block_once_created(sdk: Any, rg: str) -> None:
    """test_natgateway_basic.yaml `network public-ip prefix create --length 29 --zone 2` (api 2022-09-01): the
    PUT answers without ipPrefix, the finished prefix has an aligned /29; two prefixes never overlap."""
    import ipaddress

    body = {"location": "norwayeast", "sku": {"name": "Standard"}, "zones": ["2"],
            "properties": {"prefixLength": 29, "publicIPAddressVersion": "IPv4"}}
    first = _first_answer(sdk.network.public_ip_prefixes.begin_create_or_update, rg, "prefix", body).json()
    assert first["properties"]["provisioningState"] == "Updating" and "ipPrefix" not in first["properties"]
    assert first["sku"] == {"name": "Standard", "tier": "Regional"} and first["zones"] == ["2"]
    done = sdk.network.public_ip_prefixes.begin_create_or_update(rg, "prefix", body).result()
    other = sdk.network.public_ip_prefixes.begin_create_or_update(rg, "prefix2", body).result()
    a, b = ipaddress.ip_network(done.ip_prefix), ipaddress.ip_network(other.ip_prefix)
    assert a.prefixlen == b.prefixlen == 29 and not a.overlaps(b)
    assert sdk.network.public_ip_prefixes.get(rg, "prefix").ip_prefix == done.ip_prefix  # kept on reads
