"""Microsoft.Network publicIPAddresses and natGateways.

Shapes follow az CLI recordings (test_natgateway_basic.yaml 2025, test_natgateway_pipv6_param_formats.yaml
2026): the PUT answers ``Updating`` without ``ipAddress``; the address appears once the operation has
succeeded (IPv4 like ``172.175.224.109``, IPv6 like ``2603:1030:403:4::``); Standard/StandardV2 IPs carry
``ddosSettings.protectionMode: VirtualNetworkInherited`` and ``ipTags: []``.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
import zlib
from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from .network_common import (
    NET,
    SUB,
    T_NAT,
    T_PIP,
    all_of,
    check_location,
    check_same_location,
    check_zones,
    copy_props,
    delete_top,
    deleted_nothing,
    get_response,
    group_name,
    list_response,
    network_state,
    pip_users,
    props_of,
    put_top,
    read_body,
    res_id,
    resolve,
    same,
    shaped,
    subnets_using,
    validate_name,
)

if TYPE_CHECKING:
    from ..core import ArmSim

PIP = NET + "/publicIPAddresses/{name}"
NAT = NET + "/natGateways/{name}"

_PIP_READ_ONLY = ("provisioningState", "resourceGuid", "ipAddress", "ipConfiguration", "natGateway",
                  "linkedPublicIPAddress", "servicePublicIPAddress")
_NAT_READ_ONLY = ("provisioningState", "resourceGuid", "subnets", "sourceVirtualNetwork", "scope", "flowlogs",
                  "privateIPAddresses", "privateIPAddressesV6")

# Address blocks that look like each region's (Microsoft-owned ranges seen on public IPs there).
_V4_BLOCKS: dict[str, str] = {
    "norwayeast": "51.120.0.0/16", "norwaywest": "51.13.0.0/16", "westeurope": "20.16.0.0/14",
    "northeurope": "20.67.0.0/16", "eastus": "20.121.0.0/16", "westus": "13.64.0.0/16",
    "westus2": "20.115.0.0/16", "westcentralus": "52.161.0.0/16", "uksouth": "20.108.0.0/16",
    "ukwest": "20.90.0.0/16", "swedencentral": "20.91.0.0/16", "swedensouth": "20.91.128.0/17",
}
_V6_BLOCKS: dict[str, str] = {
    "norwayeast": "2603:1020:e01", "norwaywest": "2603:1020:f00", "westeurope": "2603:1020:206",
    "northeurope": "2603:1020:5", "eastus": "2603:1030:210", "westus": "2603:1030:a07",
    "westus2": "2603:1030:c06", "westcentralus": "2603:1030:b04", "uksouth": "2603:1020:705",
    "ukwest": "2603:1020:605", "swedencentral": "2603:1020:1001", "swedensouth": "2603:1020:1101",
}

# https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#dns-name-label
_DNS_LABEL = re.compile(r"^[a-z][a-z0-9-]{1,61}[a-z0-9]$")


# ---------------------------------------------------------------------------------------------- addresses


def _taken_public(sim: ArmSim) -> set[str]:
    return {str(props_of(b).get("ipAddress")) for b in sim.of_type(T_PIP) if props_of(b).get("ipAddress")}


def allocate_public_ip(sim: ArmSim, pip_id: str, location: str, version: str) -> str:
    """A unique, region-looking address: IPv4 from the region's block, IPv6 a host address in a Microsoft
    2603:10xx:: block with a short suffix, as Azure hands them out (a Standard static IPv6 in australiacentral read
    back as ``2603:1010:300::29``, recorded in kubernetes-sigs/cluster-api-provider-azure's notes for issue 1716)."""
    taken = _taken_public(sim)
    seed = zlib.crc32(pip_id.lower().encode())
    if version == "IPv6":
        base = _V6_BLOCKS.get(location, f"2603:10{20 + seed % 20:02x}:{seed % 0xfff:x}")
        cursor = network_state(sim).setdefault("v6_cursor", {})
        n = cursor.get(location, seed % 200 + 1)
        while True:
            addr = str(ipaddress.IPv6Address(f"{base}::{n:x}"))
            n += 1
            if addr not in taken:
                cursor[location] = n
                return addr
    block = ipaddress.IPv4Network(_V4_BLOCKS.get(location, "20.50.0.0/16"))
    size = block.num_addresses
    offset = seed % size
    for step in range(size):
        candidate = block.network_address + (offset + step) % size
        if candidate.packed[-1] in (0, 255) or str(candidate) in taken:
            continue
        return str(candidate)
    raise ArmError(409, "PublicIPCountLimitReached", "Cannot allocate a public IP address in this region.")


# ---------------------------------------------------------------------------------------------- public IPs


def _pip_sku(body: dict[str, Any]) -> dict[str, str]:
    sku: dict[str, Any] = body["sku"] if isinstance(body.get("sku"), dict) else {}
    # Without a SKU NRP used to make Basic; since Basic's retirement (2025-09-30) *unverified* which SKU
    # the API defaults to - Standard here, so an SKU-less create behaves like the portal/CLI default.
    return {"name": sku.get("name") or "Standard", "tier": sku.get("tier") or "Regional"}


def _validate_pip(sim: ArmSim, rid: str, name: str, location: str, body: dict[str, Any], props: dict[str, Any],
                  sku: dict[str, str], existing: dict[str, Any] | None) -> list[str] | None:
    zones = check_zones(sim, body.get("zones"), location, T_PIP, name)
    if sku["name"] == "Basic" and zones:
        # https://github.com/microsoft/lisa/pull/3343 (2024 wording of ZonesNotAllowedInBasicSkuResource).
        raise ArmError(400, "ZonesNotAllowedInBasicSkuResource",
                       f"Request for resource {rid} is invalid as it is Basic sku and in an Availability Zone which is "
                       "a deprecated configuration.  Please change your resource to Standard sku for Availability "
                       "Zone support")
    if sku["name"] == "Basic" and sku["tier"] == "Global":
        # Verbatim from the recorded answer (Azure/azure-cli network recordings test_network_public_ip_sku.yaml
        # #12, api 2022-11-01): checked before the Basic-SKU limit.
        raise ArmError(400, "GlobalPublicIPAddressNotSupportedForBasicPublicIpAddress",
                       "Global publicIP addresses are only supported for standard SKU public IP addresses. Public IP "
                       f"address {rid} is not standard SKU.", details=[])
    if sku["name"] != "Basic" and props["publicIPAllocationMethod"] == "Dynamic":
        # https://github.com/MicrosoftDocs/azure-docs/issues/42889, verbatim.
        raise ArmError(400, "StandardSkuPublicIPAddressesMustBeStatic",
                       f"Standard sku publicIp {rid} must have AllocationMethod set to Static.")
    if sku["name"] == "Basic" and existing is None:
        # Basic public IPs were retired on 2025-09-30; new subscriptions get a limit of 0 and Azure answers
        # IPv4BasicSkuPublicIpCountLimitReached (several users' reports, verbatim). The IPv6 twin of the code
        # is *unverified*.
        v = "IPv6" if props["publicIPAddressVersion"] == "IPv6" else "IPv4"
        raise ArmError(400, f"{v}BasicSkuPublicIpCountLimitReached",
                       f"Cannot create more than 0 {v} Basic SKU public IP addresses for this subscription in this "
                       "region.")
    if existing is None:
        _check_quota(sim, location, sku["name"], props["publicIPAddressVersion"])
    if existing is not None:
        old = props_of(existing)
        if old.get("publicIPAddressVersion") != props["publicIPAddressVersion"] and pip_users(sim, rid):
            # *unverified* code: the address family of an attached IP cannot change.
            raise ArmError(400, "PublicIPAddressInUseCannotUpdate",
                           f"Public IP address {rid} is in use and its version cannot be changed.")
    return zones


def _check_quota(sim: ArmSim, location: str, sku: str, version: str) -> None:
    """Regional public IP quotas (catalog.quotas). The Standard-SKU answer mirrors the Basic one users quote
    ("Cannot create more than 0 IPv4 Basic SKU public IP addresses ..."); PublicIPCountLimitReached is the
    code users report for the overall count. Both wordings *unverified* beyond that pattern."""
    from ..catalog import quotas

    limits = quotas.network_quota_limits(location)
    here = [b for b in sim.of_type(T_PIP) if b.get("location") == location]
    standard = [b for b in here if (b.get("sku") or {}).get("name") != "Basic"]
    limit = limits.get("StandardSkuPublicIpAddresses", (None, ""))[0]
    if sku != "Basic" and limit is not None and len(standard) >= limit:
        raise ArmError(400, f"{version}StandardSkuPublicIpCountLimitReached",
                       f"Cannot create more than {limit} {version} Standard SKU public IP addresses for this "
                       "subscription in this region.")
    total = limits.get("PublicIPAddresses", (None, ""))[0]
    if total is not None and len(here) >= total:
        raise ArmError(400, "PublicIPCountLimitReached",
                       f"Cannot create more than {total} public IP addresses for this subscription in this region.")


def _dns_settings(sim: ArmSim, rid: str, location: str, dns: Any) -> dict[str, Any] | None:
    if not isinstance(dns, dict) or not dns.get("domainNameLabel"):
        return dns if isinstance(dns, dict) else None
    label = str(dns["domainNameLabel"])
    if not _DNS_LABEL.match(label):
        # NRP's InvalidDomainNameLabel (message form as commonly reported).
        raise ArmError(400, "InvalidDomainNameLabel",
                       f"The domain name label {label} is invalid. It must conform to the following regular "
                       "expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.")
    fqdn = f"{label}.{location}.cloudapp.azure.com"
    for other in sim.of_type(T_PIP):
        if not same(other["id"], rid) and (props_of(other).get("dnsSettings") or {}).get("fqdn") == fqdn:
            raise ArmError(400, "DnsRecordInUse", f"DNS record {fqdn} is already used by another public IP.")
    return {**dns, "domainNameLabel": label, "fqdn": fqdn}


@route("PUT", PIP)
def put_pip(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rg_name = group_name(sim, rg)
    rid = res_id(sim, rg_name, "publicIPAddresses", name)
    validate_name(name, rid)
    body = read_body(req, "pip")
    location = check_location(sim, body.get("location"), T_PIP)
    existing = sim.peek(rid)
    check_same_location(existing, location, rg_name)
    sim.check_locks(rid, "write")
    sku = _pip_sku(body)
    props = copy_props(props_of(body), _PIP_READ_ONLY)
    props.setdefault("publicIPAddressVersion", "IPv4")
    props.setdefault("publicIPAllocationMethod", "Dynamic" if sku["name"] == "Basic" else "Static")
    props.setdefault("idleTimeoutInMinutes", 4)
    props.setdefault("ipTags", [])
    zones = _validate_pip(sim, rid, name, location, body, props, sku, existing)
    dns = _dns_settings(sim, rid, location, props.get("dnsSettings"))
    if dns is not None:
        props["dnsSettings"] = dns
    if sku["name"] != "Basic":
        props.setdefault("ddosSettings", {"protectionMode": "VirtualNetworkInherited"})
    old = props_of(existing) if existing else {}
    props["resourceGuid"] = old.get("resourceGuid") or str(uuid.uuid4())
    if old.get("ipAddress") and old.get("publicIPAddressVersion") == props["publicIPAddressVersion"]:
        props["ipAddress"] = old["ipAddress"]  # a static address survives updates
    out: dict[str, Any] = {"name": name, "id": rid, "location": location, "properties": props, "type": T_PIP,
                           "sku": sku}
    if zones:
        out["zones"] = zones
    if body.get("tags") is not None:  # an empty {} is kept and answered, as Azure does
        out["tags"] = body["tags"]

    def allocate(cur: dict[str, Any]) -> None:
        p = props_of(cur)
        if p.get("publicIPAllocationMethod") == "Static" and not p.get("ipAddress"):
            p["ipAddress"] = allocate_public_ip(sim, cur["id"], cur["location"], p["publicIPAddressVersion"])

    return shaped(req, put_top(sim, req, out, created=existing is None, rtype=T_PIP, finalize=allocate))


@route("GET", PIP)
def get_pip(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return shaped(req, get_response(sim, sim.require(res_id(sim, group_name(sim, rg), "publicIPAddresses", name))))


@route("DELETE", PIP)
def delete_pip(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    body = sim.peek(res_id(sim, group_name(sim, rg), "publicIPAddresses", name))
    if body is None:
        return deleted_nothing()
    sim.check_locks(body["id"], "delete")
    users = pip_users(sim, body["id"])
    if users:
        # Verbatim from Packer build logs (400).
        raise ArmError(400, "PublicIPAddressCannotBeDeleted",
                       f"Public IP address {body['id']} can not be deleted since it is still allocated to resource "
                       f"{users[0][1]}. In order to delete the public IP, disassociate/detach the Public IP address "
                       "from the resource. To learn how to do this, see aka.ms/deletepublicip.")
    return delete_top(sim, req, body, T_PIP)


@route("GET", NET + "/publicIPAddresses")
def list_pips(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    return shaped(req, list_response(sim, req, all_of(sim, T_PIP, group=sim.require_group(rg)["id"])))


@route("GET", SUB + "/providers/Microsoft.Network/publicIPAddresses")
def list_all_pips(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return shaped(req, list_response(sim, req, all_of(sim, T_PIP)))


# ---------------------------------------------------------------------------------------------- NAT gateways


def _nat_pip_refs(sim: ArmSim, rid: str, location: str, sku: str, props: dict[str, Any]) -> None:
    """https://learn.microsoft.com/azure/nat-gateway/nat-sku: Standard takes IPv4 only; StandardV2 takes
    IPv4 and IPv6 and must use StandardV2 public IPs. The codes below are *unverified* (no recorded
    rejection found); the conditions are the documented ones."""
    for key, version in (("publicIpAddresses", "IPv4"), ("publicIpAddressesV6", "IPv6")):
        refs = props.get(key)
        if refs is None:
            continue
        if version == "IPv6" and refs and sku != "StandardV2":
            raise ArmError(400, "NatGatewayStandardSkuDoesNotSupportIPv6",
                           f"Nat Gateway {rid} with sku Standard does not support IPv6 public IP addresses. Use the "
                           "StandardV2 sku for IPv6.")
        normalized = []
        for ref in refs:
            pip = resolve(sim, ref, T_PIP, rid, location)
            p = props_of(pip)
            if p.get("publicIPAddressVersion", "IPv4") != version:
                raise ArmError(400, "NatGatewayPublicIpAddressVersionMismatch",
                               f"Public IP address {pip['id']} referenced in {key} of Nat Gateway {rid} must be "
                               f"{version}.")
            pip_sku = (pip.get("sku") or {}).get("name")
            if pip_sku != sku:
                raise ArmError(400, "NatGatewaySkuAndPublicIpSkuMismatch",
                               f"Nat Gateway {rid} with sku {sku} cannot use public IP address {pip['id']} with sku "
                               f"{pip_sku}.")
            for _, holder in pip_users(sim, pip["id"]):
                if not same(holder, rid):
                    raise _pip_in_use(pip["id"], holder, rid)
            normalized.append({"id": pip["id"]})
        props[key] = normalized


def _pip_in_use(pip_id: str, holder: str, referrer: str) -> ArmError:
    """PublicIPAddressInUse is NRP's code (seen answering an attach of a NAT-owned IP); the message here is
    *unverified* wording."""
    return ArmError(400, "PublicIPAddressInUse",
                    f"Public IP address {pip_id} is already in use by {holder} and cannot be referenced by {referrer}.")


def _nat_service_keys(props: dict[str, Any]) -> None:
    """Keys NRP answers for a NAT gateway that no published spec defines (``apiversions.UNDOCUMENTED`` keeps them
    from api-version 2025-07-01, the first recorded answering them; older versions' models leave them out).
    Azure/azure-cli .../network/tests/latest/recordings/test_natgateway_pipv6_param_formats.yaml (2026-04, api
    2025-07-01): ``scope: Public`` and, on a gateway holding public IPs, ``privateIPAddresses: []`` and
    ``privateIPAddressesV6: []``; test_natgateway_nat64.yaml (2026-06, api 2025-07-01, no public IP):
    ``scope: Public`` and ``flowlogs: {"logsVersions": {}}`` on every answer (the newer recording, so answered
    always here), and ``nat64`` only as sent."""
    props["scope"] = "Public"
    props["flowlogs"] = {"logsVersions": {}}
    if any(props.get(k) for k in ("publicIpAddresses", "publicIpAddressesV6", "publicIpPrefixes", "publicIpPrefixesV6")):
        props["privateIPAddresses"] = []
        props["privateIPAddressesV6"] = []


@route("PUT", NAT)
def put_nat(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rg_name = group_name(sim, rg)
    rid = res_id(sim, rg_name, "natGateways", name)
    validate_name(name, rid)
    body = read_body(req, "nat")
    location = check_location(sim, body.get("location"), T_NAT)
    existing = sim.peek(rid)
    check_same_location(existing, location, rg_name)
    sim.check_locks(rid, "write")
    sku_name = (body.get("sku") or {}).get("name") or "Standard"
    zones = check_zones(sim, body.get("zones"), location, T_NAT, name)
    if sku_name == "Standard" and zones and len(zones) > 1:
        # Standard NAT gateways are zonal: one zone or none (nat-availability-zones). *unverified* code.
        raise ArmError(400, "NatGatewayCannotBeZoneRedundant",
                       f"Nat Gateway {rid} with sku Standard can be deployed in at most one availability zone; "
                       "use the StandardV2 sku for zone redundancy.")
    props = copy_props(props_of(body), _NAT_READ_ONLY)
    idle = props.setdefault("idleTimeoutInMinutes", 4)
    if not isinstance(idle, int) or not 4 <= idle <= 120:
        # Documented range 4-120 minutes; *unverified* code and wording.
        raise ArmError(400, "InvalidIdleTimeoutInMinutes",
                       f"Idle timeout {idle} of Nat Gateway {rid} is invalid. Allowed range is 4-120 minutes.")
    _nat_pip_refs(sim, rid, location, sku_name, props)
    props["resourceGuid"] = props_of(existing).get("resourceGuid") if existing else str(uuid.uuid4())
    _nat_service_keys(props)
    out: dict[str, Any] = {"name": name, "id": rid, "type": T_NAT, "location": location, "properties": props,
                           "sku": {"name": sku_name, "tier": "Regional"}}
    if zones:
        out["zones"] = zones
    if body.get("tags") is not None:  # an empty {} is kept and answered, as Azure does
        out["tags"] = body["tags"]
    return put_top(sim, req, out, created=existing is None, rtype=T_NAT)


@route("GET", NAT)
def get_nat(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return get_response(sim, sim.require(res_id(sim, group_name(sim, rg), "natGateways", name)))


@route("DELETE", NAT)
def delete_nat(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    body = sim.peek(res_id(sim, group_name(sim, rg), "natGateways", name))
    if body is None:
        return deleted_nothing()
    sim.check_locks(body["id"], "delete")
    subnets = subnets_using(sim, "natGateway", body["id"])
    if subnets:
        # InUseNatGatewayCannotBeDeleted is NRP's code; the message mirrors the NSG one (*unverified*).
        raise ArmError(400, "InUseNatGatewayCannotBeDeleted",
                       f"Nat Gateway {body['id']} cannot be deleted because it is in use by the following resources: "
                       f"{', '.join(subnets)}.")
    return delete_top(sim, req, body, T_NAT)


@route("GET", NET + "/natGateways")
def list_nats(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    return list_response(sim, req, all_of(sim, T_NAT, group=sim.require_group(rg)["id"]))


@route("GET", SUB + "/providers/Microsoft.Network/natGateways")
def list_all_nats(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return list_response(sim, req, all_of(sim, T_NAT))


pip_in_use = _pip_in_use
