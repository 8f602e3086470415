"""Microsoft.Network virtualNetworks and their subnets.

Subnets live inside the VNet body's ``properties.subnets`` (as ARM stores and returns them) and are also
served as child resources at ``.../virtualNetworks/{vnet}/subnets/{name}``. A VNet PUT replaces the whole
subnet list, so a subnet left out of it is deleted (the classic InUseSubnetCannotBeDeleted on redeploy).

Shapes: REST spec examples (2025-07-01 VirtualNetworkCreateSubnet.json) and az CLI recordings.
"""

from __future__ import annotations

import ipaddress
import uuid
from typing import TYPE_CHECKING, Any

from ..router import route
from ..version_defaults import apply_create_defaults
from ..wire import ArmError, ArmRequest, ArmResponse
from .network_common import (
    NET,
    SUB,
    T_NAT,
    T_NSG,
    T_SUBNET,
    T_VNET,
    IPNet,
    all_of,
    check_location,
    check_same_location,
    child_not_found,
    child_response,
    children,
    copy_props,
    delete_child,
    delete_top,
    deleted_nothing,
    find_child,
    get_response,
    group_name,
    ipconfigs_in_subnet,
    iter_ipconfigs,
    list_response,
    parse_prefix,
    props_of,
    put_child,
    put_top,
    read_body,
    ref_id,
    require_missing_property,
    res_id,
    resolve,
    same,
    settle,
    shaped,
    validate_name,
)

if TYPE_CHECKING:
    from ..core import ArmSim

VNET = NET + "/virtualNetworks/{name}"
SUBNET = NET + "/virtualNetworks/{vnet}/subnets/{name}"

_VNET_READ_ONLY = ("provisioningState", "resourceGuid", "subnets")
_SUBNET_READ_ONLY = ("provisioningState", "ipConfigurations", "ipConfigurationProfiles", "serviceAssociationLinks",
                     "resourceNavigationLinks", "privateEndpoints", "purpose")


# ---------------------------------------------------------------------------------------------- validation


def _in_use(subnet_name: str, ipconfig_id: str) -> ArmError:
    """Message verbatim from terraform-provider-azurerm (a real NRP answer quoted in its source), 400."""
    return ArmError(
        400,
        "InUseSubnetCannotBeDeleted",
        f"Subnet {subnet_name} is in use by {ipconfig_id} and cannot be deleted. In order to delete the subnet, "
        "delete all the resources within the subnet. See aka.ms/deletesubnet.",
    )


def _address_space(vnet_id: str, props: dict[str, Any]) -> list[IPNet]:
    space = props.get("addressSpace")
    prefixes = space.get("addressPrefixes") if isinstance(space, dict) else None
    if not isinstance(prefixes, list) or not prefixes:
        # A VNet needs an address space (*unverified* code for the empty case; NRP's generic prefix error).
        raise ArmError(400, "InvalidAddressPrefixFormat",
                       f"Address prefix  of resource {vnet_id} is not formatted correctly. It should follow CIDR "
                       "notation, for example 10.0.0.0/24.")
    return [parse_prefix(p, vnet_id) for p in prefixes]


def _subnet_props(sim: ArmSim, src: dict[str, Any], sn_id: str, sn_name: str, vnet_name: str, space: list[IPNet],
                  location: str) -> tuple[dict[str, Any], list[IPNet]]:
    """Validate one subnet against its VNet's space; returns its stored properties and parsed prefixes."""
    props = copy_props(src, _SUBNET_READ_ONLY)
    texts: list[str] = []
    if "addressPrefix" in props:
        texts.append(props["addressPrefix"])
    if isinstance(props.get("addressPrefixes"), list):
        texts.extend(props["addressPrefixes"])
    if not texts:
        # No prefix at all: NRP's generic subnet rejection (Azure/azure-cli#10917 shows its wording).
        raise ArmError(400, "NetcfgInvalidSubnet", f"Subnet '{sn_name}' is not valid in virtual network '{vnet_name}'.")
    nets = [parse_prefix(t, sn_id) for t in texts]
    for net in nets:
        # https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-overview ("The subnets for IPv6
        # must be exactly /64"). No verbatim ARM answer was found (https://github.com/MicrosoftDocs/azure-docs/issues/35668): *unverified* code,
        # NRP's generic invalid-subnet one.
        if net.version == 6 and net.prefixlen != 64:
            raise ArmError(400, "NetcfgInvalidSubnet",
                           f"Subnet '{sn_name}' is not valid in virtual network '{vnet_name}'. An IPv6 subnet prefix "
                           f"must be /64; {net} was given.")
        if not any(net.version == s.version and net.subnet_of(s) for s in space):  # type: ignore[arg-type]
            # Verbatim from an az CLI user's terminal output.
            raise ArmError(400, "NetcfgSubnetRangeOutsideVnet",
                           f"Subnet '{sn_name}' is not valid because its IP address range is outside the IP address "
                           f"range of virtual network '{vnet_name}'.")
    referrer = sn_id
    if props.get("networkSecurityGroup") is not None:
        nsg = resolve(sim, props["networkSecurityGroup"], T_NSG, referrer, location)
        props["networkSecurityGroup"] = {"id": nsg["id"]}
    if props.get("natGateway") is not None:
        nat = resolve(sim, props["natGateway"], T_NAT, referrer, location)
        props["natGateway"] = {"id": nat["id"]}
    props.setdefault("delegations", [])
    props.setdefault("privateEndpointNetworkPolicies", "Disabled")
    props.setdefault("privateLinkServiceNetworkPolicies", "Enabled")
    return props, nets


def _check_overlaps(vnet_name: str, subnets: list[tuple[str, list[IPNet]]], new_name: str | None = None) -> None:
    """Verbatim NRP message (terraform user report): NetcfgSubnetRangesOverlap, 400."""
    seen: list[tuple[str, IPNet]] = []
    for name, nets in subnets:
        for net in nets:
            for other_name, other in seen:
                if other_name != name and net.version == other.version and net.overlaps(other):  # type: ignore[arg-type]
                    culprit = new_name if new_name is not None else name
                    raise ArmError(400, "NetcfgSubnetRangesOverlap",
                                   f"Subnet '{culprit}' is not valid because its IP address range overlaps with that "
                                   f"of an existing subnet in virtual network '{vnet_name}'.")
        seen.extend((name, n) for n in nets)


def _check_in_use_update(sim: ArmSim, sn_id: str, sn_name: str, nets: list[IPNet]) -> None:
    """Re-addressing a subnet whose NICs' addresses would fall outside it: InUseSubnetCannotBeUpdated
    (a real NRP code; *unverified* message wording)."""
    for _, ipc in iter_ipconfigs(sim):
        p = props_of(ipc)
        if not same(ref_id(p.get("subnet")), sn_id) or not p.get("privateIPAddress"):
            continue
        addr = ipaddress.ip_address(p["privateIPAddress"])
        if not any(addr.version == n.version and addr in n for n in nets):
            raise ArmError(400, "InUseSubnetCannotBeUpdated",
                           f"Subnet {sn_name} is in use by {ipc['id']} and cannot be updated.")


def _subnet_entry(sn_id: str, name: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "id": sn_id, "type": T_SUBNET, "properties": props}


# ---------------------------------------------------------------------------------------------- VNets


@route("PUT", VNET)
def put_vnet(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rg_name = group_name(sim, rg)
    rid = res_id(sim, rg_name, "virtualNetworks", name)
    validate_name(name, rid, max_len=64, min_len=2)  # VNet names: 2-64 (resource-name-rules)
    body = read_body(req, "vnet")
    location = check_location(sim, body.get("location"), T_VNET)
    existing = sim.peek(rid)
    check_same_location(existing, location, rg_name)
    sim.check_locks(rid, "write")
    props = copy_props(props_of(body), _VNET_READ_ONLY)
    space = _address_space(rid, props)
    props["addressSpace"] = {"addressPrefixes": list(props["addressSpace"]["addressPrefixes"])}

    new_subnets: list[dict[str, Any]] = []
    parsed: list[tuple[str, list[IPNet]]] = []
    names: set[str] = set()
    for i, sn in enumerate(props_of(body).get("subnets") or []):
        sn_name = sn.get("name") if isinstance(sn, dict) else None
        if not isinstance(sn_name, str):
            raise require_missing_property("name", f"properties.subnets[{i}]", 1)
        sn_id = f"{rid}/subnets/{sn_name}"
        validate_name(sn_name, sn_id)
        if sn_name.lower() in names:
            raise _duplicate(rid, sn_name)
        names.add(sn_name.lower())
        sn_props, nets = _subnet_props(sim, props_of(sn), sn_id, sn_name, name, space, location)
        old_sn = find_child(existing, "subnets", sn_name) if existing is not None else None
        if old_sn is not None:
            _check_in_use_update(sim, sn_id, sn_name, nets)
        apply_create_defaults(T_SUBNET, req.api_version, sn_props, props_of(old_sn) if old_sn else None)
        new_subnets.append(_subnet_entry(sn_id, sn_name, sn_props))
        parsed.append((sn_name, nets))
    _check_overlaps(name, parsed)
    if existing is not None:
        for old in props_of(existing).get("subnets") or []:
            if old["name"].lower() not in names:
                used = ipconfigs_in_subnet(sim, old["id"])
                if used:
                    raise _in_use(old["name"], used[0])

    props["subnets"] = new_subnets
    props["resourceGuid"] = props_of(existing).get("resourceGuid") if existing else str(uuid.uuid4())
    props.setdefault("virtualNetworkPeerings", [])
    props.setdefault("enableDdosProtection", False)
    props.setdefault("privateEndpointVNetPolicies", "Disabled")
    # az sends enableVmProtection: false; Azure never answers it (every recorded VNet answer, 2021-03-01 to
    # 2022-01-01, test_network_vnet.yaml and others).
    props.pop("enableVmProtection", None)
    out: dict[str, Any] = {"name": name, "id": rid, "type": T_VNET, "location": location, "properties": props}
    if body.get("tags") is not None:  # an empty {} is kept and answered, as Azure does
        out["tags"] = body["tags"]
    return shaped(req, put_top(sim, req, out, created=existing is None, rtype=T_VNET, child_keys=("subnets",)))


def _duplicate(parent_id: str, child: str) -> ArmError:
    """NRP's duplicate child name answer (message form seen in public code; code DuplicateResourceName)."""
    return ArmError(400, "DuplicateResourceName",
                    f"Resource {parent_id} has two child resources with the same name ({child}).")


@route("GET", VNET)
def get_vnet(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = res_id(sim, group_name(sim, rg), "virtualNetworks", name)
    return shaped(req, get_response(sim, sim.require(rid)))


@route("DELETE", VNET)
def delete_vnet(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = res_id(sim, group_name(sim, rg), "virtualNetworks", name)
    body = sim.peek(rid)
    if body is None:
        return deleted_nothing()
    sim.check_locks(body["id"], "delete")
    for sn in props_of(body).get("subnets") or []:
        used = ipconfigs_in_subnet(sim, sn["id"])
        if used:
            raise _in_use(sn["name"], used[0])
    return delete_top(sim, req, body, T_VNET)


@route("GET", NET + "/virtualNetworks")
def list_vnets(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    return shaped(req, list_response(sim, req, all_of(sim, T_VNET, group=sim.require_group(rg)["id"])))


@route("GET", SUB + "/providers/Microsoft.Network/virtualNetworks")
def list_all_vnets(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return shaped(req, list_response(sim, req, all_of(sim, T_VNET)))


# ---------------------------------------------------------------------------------------------- subnets


def _vnet_or_404(sim: ArmSim, rg: str, vnet: str) -> dict[str, Any]:
    return sim.require(res_id(sim, group_name(sim, rg), "virtualNetworks", vnet))


@route("PUT", SUBNET)
def put_subnet(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vnet: str, name: str) -> ArmResponse:
    parent = _vnet_or_404(sim, rg, vnet)
    sn_id = f"{parent['id']}/subnets/{name}"
    validate_name(name, sn_id)
    body = read_body(req, "subnet")
    sim.check_locks(sn_id, "write")
    space = _address_space(parent["id"], props_of(parent))
    props, nets = _subnet_props(sim, props_of(body), sn_id, name, parent["name"], space, parent["location"])
    existing = find_child(parent, "subnets", name)
    if existing is not None:
        _check_in_use_update(sim, existing["id"], name, nets)
    apply_create_defaults(T_SUBNET, req.api_version, props, props_of(existing) if existing else None)
    others = [(sn["name"], [ipaddress.ip_network(p, strict=False) for p in _prefix_texts(sn)])
              for sn in props_of(parent).get("subnets") or [] if not same(sn["name"], name)]
    _check_overlaps(parent["name"], [*others, (name, nets)], new_name=name)
    entry = _subnet_entry(existing["id"] if existing else sn_id, existing["name"] if existing else name, props)
    subnets = children(parent, "subnets")
    if existing is not None:
        subnets[subnets.index(existing)] = entry
    else:
        subnets.append(entry)
    return put_child(sim, req, parent, entry, created=existing is None, rtype=T_SUBNET, child_keys=("subnets",),
                     subnet=True)


def _prefix_texts(sn: dict[str, Any]) -> list[str]:
    p = props_of(sn)
    out = [p["addressPrefix"]] if isinstance(p.get("addressPrefix"), str) else []
    return out + [x for x in p.get("addressPrefixes") or [] if x not in out]


@route("GET", SUBNET)
def get_subnet(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vnet: str, name: str) -> ArmResponse:
    parent = _vnet_or_404(sim, rg, vnet)
    sn = find_child(parent, "subnets", name)
    if sn is None:
        raise child_not_found(f"{parent['id']}/subnets/{name}")
    return child_response(sim, parent, sn, subnet=True)


@route("DELETE", SUBNET)
def delete_subnet(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vnet: str, name: str) -> ArmResponse:
    parent = sim.peek(res_id(sim, group_name(sim, rg), "virtualNetworks", vnet))
    sn = find_child(parent, "subnets", name) if parent is not None else None
    if parent is None or sn is None:
        return deleted_nothing()
    sim.check_locks(sn["id"], "delete")
    used = ipconfigs_in_subnet(sim, sn["id"])
    if used:
        raise _in_use(sn["name"], used[0])
    return delete_child(sim, req, parent, "subnets", sn, T_SUBNET)


@route("GET", NET + "/virtualNetworks/{vnet}/subnets")
def list_subnets(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vnet: str) -> ArmResponse:
    from .network_common import render_subnet

    parent = _vnet_or_404(sim, rg, vnet)
    settle(sim, parent)
    return sim.paged(req, [render_subnet(sim, sn) for sn in props_of(parent).get("subnets") or []])


@route("GET", VNET + "/CheckIPAddressAvailability")
def check_ip_address_availability(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    """VirtualNetworks_CheckIPAddressAvailability, shaped as recorded (network test_network_vnet.yaml #5/#6,
    api 2022-01-01): ``{"available", "isPlatformReserved"}``, and when the address is taken or reserved the
    next five free addresses of its subnet. Azure reserves the first four and the last address of a subnet
    (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq)."""
    from .network_common import iter_ipconfigs, networks_of, ref_id

    vnet = sim.require(res_id(sim, group_name(sim, rg), "virtualNetworks", name))
    text = req.query.get("ipAddress") or ""
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        # [inferred] NRP's answer to an unparsable address (code as for other invalid addresses).
        raise ArmError(400, "InvalidPrivateIPAddress", f"Private IP address {text} is invalid.") from None
    subnet = next((sn for sn in props_of(vnet).get("subnets") or []
                   if any(addr in net for net in networks_of(props_of(sn)) if net.version == addr.version)), None)
    if subnet is None:
        # [inferred] wording; NRP refuses an address outside every subnet of the VNet.
        raise ArmError(400, "PrivateIPAddressNotInAnySubnet",
                       f"Private IP address {text} does not belong to any subnet in virtual network {vnet['id']}.")
    net = next(n for n in networks_of(props_of(subnet)) if n.version == addr.version and addr in n)
    taken = {str(props_of(ipc).get("privateIPAddress")) for _, ipc in iter_ipconfigs(sim)
             if (ref_id(props_of(ipc).get("subnet")) or "").lower() == subnet["id"].lower()}
    offset = int(addr) - int(net.network_address)
    reserved = offset < 4 or (net.version == 4 and addr == net.broadcast_address)
    out: dict[str, Any] = {"available": not reserved and str(addr) not in taken, "isPlatformReserved": reserved}
    if not out["available"]:
        free: list[str] = []
        value = int(net.network_address) + 4
        last = int(net.broadcast_address) - (1 if net.version == 4 else 0)
        while value <= last and len(free) < 5:
            cand = str(ipaddress.ip_address(value))
            if cand not in taken:
                free.append(cand)
            value += 1
        out = {"available": False, "availableIPAddresses": free, "isPlatformReserved": reserved}
    return ArmResponse(200, out)
