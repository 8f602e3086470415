"""Shared machinery of the Microsoft.Network provider: ids, request validation the way the Network RP
(NRP) parses bodies, CIDR parsing, reference resolution, back-references and child-resource LROs.

Back-references (a subnet's ``ipConfigurations``, a public IP's ``ipConfiguration`` / ``natGateway``,
an NSG's ``subnets`` / ``networkInterfaces``, a NAT gateway's ``subnets``) are never stored: they are
computed from the forward references whenever a body is rendered, so they can never go stale (a
resource-group delete, for instance, removes bodies without telling this provider).
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .. import ids
from ..catalog import locations as catalog_locations
from ..wire import ArmError, ArmRequest, ArmResponse
from .compute_common import check_same_location as check_same_location  # the network providers import it here
from .resources import validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim

NS = "Microsoft.Network"
SUB = "/subscriptions/{sub}"
NET = SUB + "/resourceGroups/{rg}/providers/Microsoft.Network"

T_VNET = "Microsoft.Network/virtualNetworks"
T_SUBNET = T_VNET + "/subnets"
T_PIP = "Microsoft.Network/publicIPAddresses"
T_NAT = "Microsoft.Network/natGateways"
T_NSG = "Microsoft.Network/networkSecurityGroups"
T_RULE = T_NSG + "/securityRules"
T_DEFAULT_RULE = T_NSG + "/defaultSecurityRules"
T_NIC = "Microsoft.Network/networkInterfaces"
T_IPCONFIG = T_NIC + "/ipConfigurations"

# States in which NRP refuses to let another resource reference this one (ReferencedResourceNotProvisioned).
TRANSIENT = ("Updating", "Creating", "Deleting")

IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddr = ipaddress.IPv4Address | ipaddress.IPv6Address


# ---------------------------------------------------------------------------------------------- ids


def res_id(sim: ArmSim, rg: str, *type_name_pairs: str) -> str:
    return ids.resource_id(sim.subscription_id, rg, NS, *type_name_pairs)


def same(a: str | None, b: str | None) -> bool:
    """ARM ids and names compare case-insensitively."""
    return a is not None and b is not None and ids.key(a) == ids.key(b)


def ref_id(ref: Any) -> str | None:
    return ref.get("id") if isinstance(ref, dict) and isinstance(ref.get("id"), str) else None


def new_etag() -> str:
    return f'W/"{uuid.uuid4()}"'


def group_name(sim: ArmSim, rg: str) -> str:
    """The group's own casing (ids in answers use it, whatever casing the request path had)."""
    return str(sim.require_group(rg)["name"])


def children(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A body's embedded child list (``properties.subnets`` …), created if absent."""
    props = body.setdefault("properties", {})
    lst = props.get(key)
    if not isinstance(lst, list):
        lst = props[key] = []
    return lst  # type: ignore[no-any-return]


def find_child(body: dict[str, Any], key: str, name: str) -> dict[str, Any] | None:
    for child in (body.get("properties") or {}).get(key) or []:
        if same(child.get("name"), name):
            return child  # type: ignore[no-any-return]
    return None


def stamp_etag(body: dict[str, Any], *child_keys: str) -> None:
    """A new etag for the resource; NRP gives its embedded children the parent's etag."""
    etag = new_etag()
    body["etag"] = etag
    for key in child_keys:
        for child in (body.get("properties") or {}).get(key) or []:
            child["etag"] = etag


def set_children_state(body: dict[str, Any], state: str, *child_keys: str) -> None:
    for key in child_keys:
        for child in (body.get("properties") or {}).get(key) or []:
            child.setdefault("properties", {})["provisioningState"] = state


# ---------------------------------------------------------------------------------------------- names

# https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftnetwork
# Message as NRP answers it (terraform-provider-azurerm user report): "Resource name <id> is invalid. The
# name can be up to 80 characters long. It must begin with a word character, and it must end with a word
# character or with '_'. The name may contain word characters or '.', '-', '_'."
_NAME = re.compile(r"^\w(?:[\w.\-]*\w)?$")


def validate_name(name: str, rid: str, *, max_len: int = 80, min_len: int = 1) -> None:
    if min_len <= len(name) <= max_len and _NAME.match(name):
        return
    # The 64-character variant for virtual networks is *unverified*: same wording, VNet length limit.
    raise ArmError(
        400,
        "InvalidResourceName",
        f"Resource name {rid} is invalid. The name can be up to {max_len} characters long. It must begin "
        "with a word character, and it must end with a word character or with '_'. The name may contain "
        "word characters or '.', '-', '_'.",
    )


# ---------------------------------------------------------------------------------------------- bodies

_CONTRACT = "Microsoft.WindowsAzure.Networking.Nrp.Frontend.Contract.Csm.Public."

# Enum-typed wire fields: key -> (NRP contract type, canonical values). Newtonsoft's StringEnumConverter is
# case-insensitive, and NRP answers with the canonical spelling.
ENUMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "publicIPAllocationMethod": ("IpAllocationMethod", ("Static", "Dynamic")),
    "privateIPAllocationMethod": ("IpAllocationMethod", ("Static", "Dynamic")),
    "publicIPAddressVersion": ("IpVersion", ("IPv4", "IPv6")),
    "privateIPAddressVersion": ("IpVersion", ("IPv4", "IPv6")),
    "protocol": ("SecurityRuleProtocol", ("Tcp", "Udp", "Icmp", "Esp", "*", "Ah")),
    "access": ("SecurityRuleAccess", ("Allow", "Deny")),
    "direction": ("SecurityRuleDirection", ("Inbound", "Outbound")),
}
SKU_ENUMS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "pip": {"name": ("PublicIPAddressSkuName", ("Basic", "Standard", "StandardV2")),
            "tier": ("PublicIPAddressSkuTier", ("Regional", "Global"))},
    "nat": {"name": ("NatGatewaySkuName", ("Standard", "StandardV2"))},
}

# NRP contract type of the object holding a key, per resource kind and (index-free) path, for messages.
_TYPES: dict[str, dict[str, str]] = {
    "vnet": {"": "VirtualNetwork", "properties": "VirtualNetworkPropertiesFormat",
             "properties.addressSpace": "AddressSpace", "properties.subnets[]": "Subnet",
             "properties.subnets[].properties": "SubnetPropertiesFormat"},
    "subnet": {"": "Subnet", "properties": "SubnetPropertiesFormat"},
    "pip": {"": "PublicIPAddress", "properties": "PublicIPAddressPropertiesFormat", "sku": "PublicIPAddressSku",
            "properties.dnsSettings": "PublicIPAddressDnsSettings", "properties.ipTags[]": "IpTag"},
    "nat": {"": "NatGateway", "properties": "NatGatewayPropertiesFormat", "sku": "NatGatewaySku"},
    "nsg": {"": "NetworkSecurityGroup", "properties": "NetworkSecurityGroupPropertiesFormat",
            "properties.securityRules[]": "SecurityRule",
            "properties.securityRules[].properties": "SecurityRulePropertiesFormat"},
    "rule": {"": "SecurityRule", "properties": "SecurityRulePropertiesFormat"},
    "nic": {"": "NetworkInterface", "properties": "NetworkInterfacePropertiesFormat",
            "properties.ipConfigurations[]": "NetworkInterfaceIPConfiguration",
            "properties.ipConfigurations[].properties": "NetworkInterfaceIPConfigurationPropertiesFormat",
            "properties.dnsSettings": "NetworkInterfaceDnsSettings"},
}


def _parse_error(detail: str) -> ArmError:
    """NRP's answer to a body Newtonsoft could not bind (seen verbatim in a Packer test fixture:
    {"code":"InvalidRequestFormat","message":"Cannot parse the request.","details":[{"code":"InvalidJson",
    "message":"Error converting value \\"playground\\" to type '...IpAllocationMethod'. Path '...'..."}]})."""
    return ArmError(400, "InvalidRequestFormat", "Cannot parse the request.",
                    details=[{"code": "InvalidJson", "message": detail}])


def _position(raw: str, key: str, value: Any = None) -> int:
    """Newtonsoft's 'line 1, position N' (the character after the token it failed on), best effort."""
    token = json.dumps(key)
    at = raw.find(token)
    if at < 0:
        return len(raw)
    pos = at + len(token)
    if value is None:
        colon = raw.find(":", pos)
        return colon + 1 if colon >= 0 else pos
    vtoken = json.dumps(value)
    vat = raw.find(vtoken, pos)
    return vat + len(vtoken) if vat >= 0 else pos


def _type_name(kind: str, pattern: str) -> str:
    return _TYPES.get(kind, {}).get(pattern) or "SubResource"


def _walk(obj: Any, path: str, pattern: str, kind: str, raw: str) -> None:
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            _walk(item, f"{path}[{i}]", pattern + "[]", kind, raw)
        return
    if not isinstance(obj, dict):
        return
    for key in list(obj):
        value = obj[key]
        kpath = f"{path}.{key}" if path else key
        kpattern = f"{pattern}.{key}" if pattern else key
        if "_" in key:
            # The SDK sends plain dicts as-is, so a snake_case key reaches the service and Newtonsoft
            # (MissingMemberHandling.Error) refuses it.
            raise _parse_error(
                f"Could not find member '{key}' on object of type '{_type_name(kind, pattern)}'. "
                f"Path '{kpath}', line 1, position {_position(raw, key)}."
            )
        if kpattern == "tags":
            continue  # free-form keys
        enum = SKU_ENUMS.get(kind, {}).get(key) if pattern == "sku" else ENUMS.get(key)
        if enum is not None and value is not None:
            obj[key] = _canonical(value, enum, kpath, raw, key)
            continue
        _walk(value, kpath, kpattern, kind, raw)


def _canonical(value: Any, enum: tuple[str, tuple[str, ...]], path: str, raw: str, key: str) -> str:
    type_name, allowed = enum
    if isinstance(value, str):
        for canonical in allowed:
            if canonical.lower() == value.lower():
                return canonical
    shown = f'"{value}"' if isinstance(value, str) else json.dumps(value)
    raise _parse_error(
        f"Error converting value {shown} to type '{_CONTRACT}{type_name}'. "
        f"Path '{path}', line 1, position {_position(raw, key, value)}."
    )


def read_body(req: ArmRequest, kind: str) -> dict[str, Any]:
    """The request body as NRP binds it: a JSON object, wire (camelCase) members only, enums canonical."""
    body = req.json()
    raw = req.body.decode("utf-8-sig") if isinstance(req.body, bytes) else str(req.body or "")
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise _parse_error("Unexpected JSON token when reading the request body. Path '', line 1, position 1.")
    if body.get("properties") is not None and not isinstance(body["properties"], dict):
        raise _parse_error("Error reading 'properties': an object was expected. Path 'properties'.")
    _walk(body, "", "", kind, raw)
    validate_tags(body.get("tags"))
    return body


def require_missing_property(name: str, path: str, position: int) -> ArmError:
    """Newtonsoft's answer to a [JsonProperty(Required = Always)] member left out (*unverified* that NRP
    marks these members required this way; the message form is Newtonsoft's own)."""
    return _parse_error(f"Required property '{name}' not found in JSON. Path '{path}', line 1, position {position}.")


def props_of(body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("properties")
    return props if isinstance(props, dict) else {}


def copy_props(src: dict[str, Any], read_only: tuple[str, ...]) -> dict[str, Any]:
    """Settable properties as sent (ARM echoes them back), minus those the service computes."""
    return {k: copy.deepcopy(v) for k, v in src.items() if k not in read_only and v is not None}


# ---------------------------------------------------------------------------------------------- locations


def check_location(sim: ArmSim, location: Any, rtype: str) -> str:
    if not location or not isinstance(location, str):
        raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
    if not catalog_locations.is_known_location(location):
        regions = ",".join(r["name"] for r in catalog_locations.locations_payload(sim.subscription_id))
        # ARM's front door answer (it knows which regions host the resource type).
        raise ArmError(
            400,
            "LocationNotAvailableForResourceType",
            f"The provided location '{location}' is not available for resource type '{rtype}'. "
            f"List of available regions for the resource type is '{regions}'.",
        )
    return catalog_locations.normalize_location(location)


def check_zones(sim: ArmSim, zones: Any, location: str, rtype: str, name: str) -> list[str] | None:
    """Zones asked in a region without availability zones: ARM's LocationNotSupportAvailabilityZones
    (terraform-azurerm-caf#1744: "The resource 'Microsoft.Network/publicIPAddresses/test-pip' does not
    support availability zones at location 'ukwest'.")."""
    if zones is None:
        return None
    if not isinstance(zones, list) or not all(isinstance(z, str) for z in zones):
        raise _parse_error("Error converting value to type 'System.Collections.Generic.List`1[System.String]'. "
                           "Path 'zones'.")
    if zones and not catalog_locations.zones_for(location):
        raise ArmError(
            400,
            "LocationNotSupportAvailabilityZones",
            f"The resource '{rtype}/{name}' does not support availability zones at location '{location}'.",
        )
    return list(zones)


# ---------------------------------------------------------------------------------------------- CIDRs


def parse_prefix(text: Any, rid: str) -> IPNet:
    """A CIDR prefix as NRP accepts it.

    - not CIDR at all -> InvalidAddressPrefixFormat (Azure/azure-rest-api-specs#1556, verbatim message);
    - host bits set -> InvalidCIDRNotation (terraform users' reports, verbatim message).

    IPv6 written with leading zeros or without zero compression (``fd00:0db8:0000::/48``) is *accepted*:
    HON95's "Azure doesn't like zeroes" note is about the portal's form, and no ARM rejection of such a
    prefix was found in the docs, specs or recordings; NRP parses addresses with .NET, which accepts them.
    The prefix is stored as sent, as ARM echoes it.
    """
    bad = ArmError(
        400,
        "InvalidAddressPrefixFormat",
        f"Address prefix {text} of resource {rid} is not formatted correctly. It should follow CIDR notation, "
        "for example 10.0.0.0/24.",
    )
    if not isinstance(text, str) or text.count("/") != 1:
        raise bad
    addr_text, _, length = text.partition("/")
    if not length.isdigit():
        raise bad
    try:
        addr = ipaddress.ip_address(addr_text)
    except ValueError:
        raise bad from None
    if int(length) > addr.max_prefixlen:
        raise bad
    net = ipaddress.ip_network(f"{addr}/{int(length)}", strict=False)
    if net.network_address != addr:
        raise ArmError(
            400,
            "InvalidCIDRNotation",
            f"The address prefix {text} in resource {rid} has an invalid CIDR notation. For the given prefix "
            f"length, the address prefix should be {net}.",
        )
    return net


def prefixes_of(props: dict[str, Any]) -> list[str]:
    """A subnet's prefixes, whichever of ``addressPrefix`` / ``addressPrefixes`` it uses."""
    out: list[str] = []
    if isinstance(props.get("addressPrefix"), str):
        out.append(props["addressPrefix"])
    for p in props.get("addressPrefixes") or []:
        if isinstance(p, str) and p not in out:
            out.append(p)
    return out


def networks_of(props: dict[str, Any]) -> list[IPNet]:
    nets = []
    for p in prefixes_of(props):
        try:
            nets.append(ipaddress.ip_network(p, strict=False))
        except ValueError:
            continue
    return nets


# ---------------------------------------------------------------------------------------------- lookups


def all_of(sim: ArmSim, rtype: str, group: str | None = None) -> list[dict[str, Any]]:
    """Every resource of ``rtype`` (in ``group``, a resource group id, when given), in id order."""
    return sorted(sim.of_type(rtype, group=group), key=lambda b: ids.key(b["id"]))


def iter_ipconfigs(sim: ArmSim) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (NIC body, ipconfig) pair in the subscription."""
    for nic in all_of(sim, T_NIC):
        for ipc in props_of(nic).get("ipConfigurations") or []:
            yield nic, ipc


def ipconfigs_in_subnet(sim: ArmSim, subnet_id: str) -> list[str]:
    return [ipc["id"] for _, ipc in iter_ipconfigs(sim) if same(ref_id(props_of(ipc).get("subnet")), subnet_id)]


def pip_users(sim: ArmSim, pip_id: str) -> list[tuple[str, str]]:
    """Who holds a public IP: ("ipConfiguration", ipconfig id) and/or ("natGateway", NAT gateway id)."""
    users = [("ipConfiguration", ipc["id"]) for _, ipc in iter_ipconfigs(sim)
             if same(ref_id(props_of(ipc).get("publicIPAddress")), pip_id)]
    for nat in all_of(sim, T_NAT):
        p = props_of(nat)
        refs = (p.get("publicIpAddresses") or []) + (p.get("publicIpAddressesV6") or [])
        if any(same(ref_id(r), pip_id) for r in refs):
            users.append(("natGateway", nat["id"]))
    return users


def subnets_using(sim: ArmSim, key: str, target_id: str) -> list[str]:
    """Subnet ids whose ``properties.<key>`` (networkSecurityGroup, natGateway) points at ``target_id``."""
    out = []
    for vnet in all_of(sim, T_VNET):
        for sn in props_of(vnet).get("subnets") or []:
            if same(ref_id(props_of(sn).get(key)), target_id):
                out.append(sn["id"])
    return out


def nics_using_nsg(sim: ArmSim, nsg_id: str) -> list[str]:
    return [nic["id"] for nic in all_of(sim, T_NIC) if same(ref_id(props_of(nic).get("networkSecurityGroup")), nsg_id)]


def split_subnet_id(subnet_id: str) -> tuple[str, str] | None:
    p = ids.parse(subnet_id)
    if p is None or p.namespace is None or p.namespace.lower() != NS.lower() or len(p.types) != 2:
        return None
    if p.types[0].lower() != "virtualnetworks" or p.types[1].lower() != "subnets":
        return None
    return str(p.parent), p.names[1]


def lookup_subnet(sim: ArmSim, subnet_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    parts = split_subnet_id(subnet_id)
    if parts is None:
        return None
    vnet = sim.peek(parts[0])
    if vnet is None:
        return None
    sn = find_child(vnet, "subnets", parts[1])
    return (vnet, sn) if sn is not None else None


# ---------------------------------------------------------------------------------------------- references


def invalid_reference(target: str, referrer: str) -> ArmError:
    """NRP's InvalidResourceReference, message verbatim from users' reports (400)."""
    return ArmError(
        400,
        "InvalidResourceReference",
        f"Resource {target} referenced by resource {referrer} was not found. Please make sure that the "
        "referenced resource exists, and that both resources are in the same region.",
    )


def not_provisioned(target: str, referrer: str, state: str) -> ArmError:
    """ReferencedResourceNotProvisioned (400), message from a terraform user's report; the operation
    name at its end is generic here (*unverified* wording of that tail)."""
    return ArmError(
        400,
        "ReferencedResourceNotProvisioned",
        f"Cannot proceed with operation because resource {target} used by resource {referrer} is not in "
        f"Succeeded state. Resource is in {state} state and the last operation that updated/is updating the "
        "resource is PutResourceOperation.",
    )


_CHILD_KEYS: dict[str, tuple[str, ...]] = {
    T_VNET.lower(): ("subnets",),
    T_NSG.lower(): ("securityRules", "defaultSecurityRules"),
    T_NIC.lower(): ("ipConfigurations",),
}


def settle(sim: ArmSim, body: dict[str, Any]) -> None:
    """Nothing stays mid-flight without an operation behind it: operations are not persisted (demo mode
    restarts) and a failed top-level operation only marks the parent. An embedded child still in a transient
    state with no running operation takes its parent's state."""
    parent_state = props_of(body).get("provisioningState")
    if parent_state in TRANSIENT:
        return
    for key in _CHILD_KEYS.get(str(body.get("type", "")).lower(), ()):
        for child in props_of(body).get(key) or []:
            cprops = child.setdefault("properties", {})
            if cprops.get("provisioningState") in TRANSIENT and sim.active_operation(child["id"]) is None:
                cprops["provisioningState"] = parent_state or "Succeeded"


def resolve(sim: ArmSim, ref: Any, rtype: str, referrer: str, location: str) -> dict[str, Any]:
    """The stored body a reference points at (same type, same region, provisioned), or NRP's rejection."""
    target = ref_id(ref)
    if target is None:
        raise invalid_reference(str(ref), referrer)
    body = sim.peek(target)
    if body is None or str(body.get("type", "")).lower() != rtype.lower() or body.get("location") != location:
        raise invalid_reference(target, referrer)
    state = props_of(body).get("provisioningState")
    if state in TRANSIENT:
        raise not_provisioned(body["id"], referrer, state)
    return body


def resolve_subnet(sim: ArmSim, ref: Any, referrer: str, location: str) -> tuple[dict[str, Any], dict[str, Any]]:
    target = ref_id(ref)
    found = lookup_subnet(sim, target) if target else None
    if found is None or found[0].get("location") != location:
        raise invalid_reference(str(target), referrer)
    vnet, sn = found
    settle(sim, vnet)
    state = props_of(sn).get("provisioningState")
    if state in TRANSIENT:
        raise not_provisioned(sn["id"], referrer, state)
    return vnet, sn


# ---------------------------------------------------------------------------------------------- rendering


def render(sim: ArmSim, body: dict[str, Any]) -> dict[str, Any]:
    """A wire copy of a stored body with its back-references filled in."""
    settle(sim, body)
    out = copy.deepcopy(body)
    t = str(out.get("type", "")).lower()
    if t == T_VNET.lower():
        for sn in props_of(out).get("subnets") or []:
            _fill_subnet(sim, sn)
    elif t == T_PIP.lower():
        props = out.setdefault("properties", {})
        for kind, holder in pip_users(sim, out["id"]):
            props[kind] = {"id": holder}
    elif t == T_NSG.lower():
        props = out.setdefault("properties", {})
        subnets = subnets_using(sim, "networkSecurityGroup", out["id"])
        nics = nics_using_nsg(sim, out["id"])
        if subnets:
            props["subnets"] = [{"id": s} for s in subnets]
        if nics:
            props["networkInterfaces"] = [{"id": n} for n in nics]
    elif t == T_NAT.lower():
        subnets = subnets_using(sim, "natGateway", out["id"])
        if subnets:
            out.setdefault("properties", {})["subnets"] = [{"id": s} for s in subnets]
    return out


def _fill_subnet(sim: ArmSim, sn: dict[str, Any]) -> None:
    used = ipconfigs_in_subnet(sim, sn["id"])
    if used:
        sn.setdefault("properties", {})["ipConfigurations"] = [{"id": i} for i in used]


def render_subnet(sim: ArmSim, sn: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(sn)
    _fill_subnet(sim, out)
    return out


def get_response(sim: ArmSim, body: dict[str, Any]) -> ArmResponse:
    sim.touch_resource_ops(body["id"])
    out = render(sim, body)
    return ArmResponse(200, out, {"ETag": out.get("etag", "")})


def child_response(sim: ArmSim, parent: dict[str, Any], child: dict[str, Any], *, subnet: bool = False) -> ArmResponse:
    sim.touch_resource_ops(child["id"])
    sim.touch_resource_ops(parent["id"])
    settle(sim, parent)
    out = render_subnet(sim, child) if subnet else copy.deepcopy(child)
    return ArmResponse(200, out, {"ETag": out.get("etag", "")})


def child_not_found(child_id: str) -> ArmError:
    """NRP's own 404 for a missing child resource (*unverified* exact wording; code NotFound)."""
    return ArmError(404, "NotFound", f"Resource {child_id} not found.")


# ---------------------------------------------------------------------------------------------- LROs


def put_top(sim: ArmSim, req: ArmRequest, body: dict[str, Any], *, created: bool, rtype: str,
            child_keys: tuple[str, ...] = (), finalize: Callable[[dict[str, Any]], None] | None = None,
            transient: str = "Updating") -> ArmResponse:
    """PUT of a top-level network resource: 201 (new) / 200 (update) + Azure-AsyncOperation, the body in
    ``Updating`` (NRP uses Updating for creates too: az CLI recordings test_natgateway_basic.yaml,
    test_natgateway_pipv6_param_formats.yaml), Succeeded when the operation completes. Those recordings
    carry no Retry-After on the PUT answer, so none is sent. ``transient`` is the state the PUT answers with
    (a NIC answers ``Succeeded`` at once, see network_nic.py)."""
    stamp_etag(body, *child_keys)
    set_children_state(body, transient, *child_keys)

    def done(cur: dict[str, Any]) -> None:
        set_children_state(cur, "Succeeded", *child_keys)
        if finalize is not None:
            finalize(cur)

    resp = sim.accept_put(req, body["id"], body, created=created, namespace=NS, location=body["location"],
                          rtype=rtype, transient=transient, finalize=done)
    resp.body = render(sim, resp.body)
    return resp


def put_child(sim: ArmSim, req: ArmRequest, parent: dict[str, Any], child: dict[str, Any], *, created: bool,
              rtype: str, child_keys: tuple[str, ...], subnet: bool = False) -> ArmResponse:
    """PUT of a child resource stored inside its parent (subnet in a VNet, rule in an NSG): the parent goes
    Updating with the child, both Succeeded when the operation (on the child's id) completes."""
    sim.require_registered(NS)
    parent["properties"]["provisioningState"] = "Updating"
    child.setdefault("properties", {})["provisioningState"] = "Updating"
    stamp_etag(parent, *child_keys)
    sim.save(parent["id"], parent)
    parent_id, child_name, list_key = parent["id"], child["name"], child_keys[0]

    def finish(child_state: str) -> None:
        cur = sim.peek(parent_id)
        if cur is None:
            return
        props_of(cur)["provisioningState"] = "Succeeded"
        got = find_child(cur, list_key, child_name)
        if got is not None:
            got.setdefault("properties", {})["provisioningState"] = child_state
        sim.save(parent_id, cur)

    op = sim.start_operation(req, namespace=NS, location=parent["location"], resource_id=child["id"], kind="put",
                             seconds=sim.latency.put(rtype), on_success=lambda: finish("Succeeded"),
                             on_failure=lambda err: finish("Failed"))
    out = render_subnet(sim, child) if subnet else copy.deepcopy(child)
    return ArmResponse(201 if created else 200, out, {"Azure-AsyncOperation": sim.async_url(req, op)})


def delete_top(sim: ArmSim, req: ArmRequest, body: dict[str, Any], rtype: str,
               on_done: Callable[[], None] | None = None) -> ArmResponse:
    """DELETE: 202 + Location + Azure-AsyncOperation (az CLI recording test_natgateway_basic.yaml)."""
    return sim.accept_delete(req, body["id"], namespace=NS, location=body["location"], rtype=rtype, on_done=on_done)


def delete_child(sim: ArmSim, req: ArmRequest, parent: dict[str, Any], list_key: str, child: dict[str, Any],
                 rtype: str) -> ArmResponse:
    child.setdefault("properties", {})["provisioningState"] = "Deleting"
    parent_id, name = parent["id"], child["name"]

    def done() -> None:
        cur = sim.peek(parent_id)
        if cur is None:
            return
        lst = children(cur, list_key)
        lst[:] = [c for c in lst if not same(c.get("name"), name)]
        stamp_etag(cur, list_key)
        sim.save(parent_id, cur)

    return sim.accept_delete(req, child["id"], namespace=NS, location=parent["location"], rtype=rtype, on_done=done)


def deleted_nothing() -> ArmResponse:
    """DELETE of a resource that does not exist: NRP answers 204 No Content (the spec's documented 204)."""
    return ArmResponse(204)


def list_response(sim: ArmSim, req: ArmRequest, bodies: list[dict[str, Any]]) -> ArmResponse:
    return sim.paged(req, [render(sim, b) for b in bodies])


def network_state(sim: ArmSim) -> dict[str, Any]:
    """This provider's private, persisted state (address allocation cursors)."""
    state: dict[str, Any] = sim.extra.setdefault("network", {})
    return state


# ---------------------------------------------------------------------------------------------- api-version shapes

# First api-version whose answers carry a property the simulator stores. Sources: the ARM template API
# change logs (https://learn.microsoft.com/azure/templates/microsoft.network/change-log/virtualnetworks:
# privateEndpointVNetPolicies in 2024-03-01; .../change-log/publicipaddresses: ddosSettings.protectionMode in
# 2022-05-01) and, for the NIC, the az CLI recordings (auxiliarySku and disableTcpStateTracking answered at
# 2022-11-01, absent at 2022-01-01; test_network_nic_subresources.yaml).
PROPS_SINCE: dict[str, dict[str, str]] = {
    T_VNET.lower(): {"privateEndpointVNetPolicies": "2024-03-01"},
    T_PIP.lower(): {"ddosSettings": "2022-05-01"},
    T_NIC.lower(): {"auxiliarySku": "2022-11-01", "disableTcpStateTracking": "2022-11-01",
                    "nicAuxiliarySkuBillingNotificationType": "2022-11-01"},
}


def shaped(req: ArmRequest, resp: ArmResponse) -> ArmResponse:
    """The answer (one resource or a list) in the shape of the requested api-version."""
    from .api_shapes import strip_newer

    body = resp.body
    items = body["value"] if isinstance(body, dict) and isinstance(body.get("value"), list) else [body]
    for item in items:
        if isinstance(item, dict):
            since = PROPS_SINCE.get(str(item.get("type", "")).lower())
            if since:
                strip_newer(req, item, props=since)
    return resp

