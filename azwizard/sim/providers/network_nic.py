"""Microsoft.Network networkInterfaces and their ipConfigurations (embedded, also readable as children).

Private addresses come from the ipconfig's subnet: IPv4 from the subnet's IPv4 prefix, IPv6 from its /64;
Azure reserves the first four addresses and the last one of a subnet, so the first handed out is ``.4``
(https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets).
Shapes: REST spec example NetworkInterfaceCreate.json (2025-07-01), and the az CLI recordings
(Azure/azure-cli ``src/azure-cli/azure/cli/command_modules/network/tests/latest/recordings/
test_network_nic_auxiliary.yaml``, ``test_network_nic_subresources.yaml``; ``.../vm/tests/latest/recordings/
test_vm_create_existing_nic.yaml``): a NIC PUT answers ``provisioningState: Succeeded`` at once (13 of 13
recorded PUTs, creates and updates, with ``Azure-AsyncOperation``); ``allowPort25Out`` is always present;
``enableAcceleratedNetworking`` only when it was sent; ``auxiliarySku`` and ``disableTcpStateTracking`` are in
the 2022-11-01 answers and not in the 2022-01-01 ones; an IPv6 ipconfig without a subnet is accepted and
gets no private address (api 2022-01-01, ``nic ip-config create --private-ip-address-version IPv6``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import uuid
from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from .network_common import (
    NET,
    SUB,
    T_IPCONFIG,
    T_NIC,
    T_NSG,
    T_PIP,
    IPAddr,
    IPNet,
    all_of,
    check_location,
    check_same_location,
    child_not_found,
    child_response,
    copy_props,
    delete_top,
    deleted_nothing,
    find_child,
    get_response,
    group_name,
    iter_ipconfigs,
    list_response,
    networks_of,
    pip_users,
    props_of,
    put_top,
    read_body,
    ref_id,
    require_missing_property,
    res_id,
    resolve,
    resolve_subnet,
    same,
    settle,
    shaped,
    validate_name,
)
from .network_pip import pip_in_use

if TYPE_CHECKING:
    from ..core import ArmSim

NIC = NET + "/networkInterfaces/{name}"
IPCONFIG = NET + "/networkInterfaces/{nic}/ipConfigurations/{name}"

# Set by the platform (or the compute provider), never taken from a request.
_NIC_READ_ONLY = ("provisioningState", "resourceGuid", "macAddress", "virtualMachine", "primary", "hostedWorkloads",
                  "tapConfigurations", "privateEndpoint", "dscpConfiguration", "vnetEncryptionSupported",
                  "ipConfigurations")
_IPC_READ_ONLY = ("provisioningState", "privateLinkConnectionProperties")


def _unverified(code: str, message: str) -> ArmError:
    return ArmError(400, code, message)


# ---------------------------------------------------------------------------------------------- addresses


def _used_addresses(sim: ArmSim, subnet_id: str, nic_id: str) -> set[str]:
    """Addresses already handed out in a subnet to other NICs."""
    return {
        str(ipaddress.ip_address(props_of(ipc)["privateIPAddress"]))
        for nic, ipc in iter_ipconfigs(sim)
        if not same(nic["id"], nic_id) and same(ref_id(props_of(ipc).get("subnet")), subnet_id)
        and props_of(ipc).get("privateIPAddress")
    }


def _first_free(net: IPNet, taken: set[str]) -> str | None:
    first = int(net.network_address) + 4
    last = int(net.broadcast_address) - (1 if net.version == 4 else 0)
    cls = ipaddress.IPv4Address if net.version == 4 else ipaddress.IPv6Address
    for value in range(first, min(last, first + 65536) + 1):
        addr = str(cls(value))
        if addr not in taken:
            return addr
    return None


def _static_address(text: Any, net: IPNet, taken: set[str], ipc_id: str) -> str:
    """Static private address checks; codes seen in real answers (PrivateIPAddressNotInSubnet,
    PrivateIPAddressInReservedRange, PrivateIPAddressIsAllocated), messages *unverified* beyond their
    opening words."""
    try:
        addr: IPAddr = ipaddress.ip_address(str(text))
    except ValueError:
        raise _unverified("InvalidPrivateIPAddress", f"Private IP address {text} of {ipc_id} is invalid.") from None
    if addr.version != net.version or addr not in net:
        raise _unverified("PrivateIPAddressNotInSubnet",
                          f"Private static IP address {text} does not belong to the range of subnet prefix {net}.")
    offset = int(addr) - int(net.network_address)
    if offset < 4 or (net.version == 4 and addr == net.broadcast_address):
        raise _unverified("PrivateIPAddressInReservedRange",
                          f"Private static IP address {text} falls within reserved IP range of subnet prefix {net}.")
    if str(addr) in taken:
        raise _unverified("PrivateIPAddressIsAllocated",
                          f"IP configuration {ipc_id} is using the private IP address {text} which is already "
                          "allocated to resource in the subnet.")
    return str(addr)


# ---------------------------------------------------------------------------------------------- validation


def _ip_configurations(sim: ArmSim, nic_id: str, location: str, src_list: Any,
                       existing: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not isinstance(src_list, list) or not src_list:
        # A NIC needs at least one ipconfig (*unverified* code).
        raise _unverified("NetworkInterfaceMustHaveAtLeastOneIpConfiguration",
                          f"Network interface {nic_id} must have at least one IP configuration.")
    configs: list[dict[str, Any]] = []
    names: set[str] = set()
    for i, src in enumerate(src_list):
        name = src.get("name") if isinstance(src, dict) else None
        ipc_id = f"{nic_id}/ipConfigurations/{name}"
        if not isinstance(name, str):
            raise require_missing_property("name", f"properties.ipConfigurations[{i}]", 1)
        validate_name(name, ipc_id)
        if name.lower() in names:
            # Message form seen in public code handling NRP's answer.
            raise ArmError(400, "DuplicateResourceName",
                           f"Resource {nic_id} has two child resources with the same name ({name}).")
        names.add(name.lower())
        props = copy_props(props_of(src), _IPC_READ_ONLY)
        props.setdefault("privateIPAddressVersion", "IPv4")
        props.setdefault("privateIPAllocationMethod", "Dynamic")
        configs.append({"name": name, "id": ipc_id, "type": T_IPCONFIG, "properties": props})

    _check_primary(nic_id, configs)
    for cfg in configs:
        _resolve_refs(sim, nic_id, location, cfg, configs, existing)
    return configs


def _check_primary(nic_id: str, configs: list[dict[str, Any]]) -> None:
    """Rule 27 (ipv6-overview.md: "each NIC must include at least one IPv4 IP configuration"; the IPv4
    ipconfig is primary; https://github.com/hashicorp/terraform-provider-azurerm/issues/2746: "Currently Azure
    does not allow you to set an IPv6 configuration as primary"). No verbatim ARM answer was found (searched the
    issue trackers of azure-cli, terraform-provider-azurerm and ansible-collections/azure): both codes are
    *unverified*."""
    v4 = [c for c in configs if props_of(c)["privateIPAddressVersion"] == "IPv4"]
    if not v4:
        raise _unverified("NicMustHaveAtLeastOneIPv4IpConfiguration",
                          f"Network interface {nic_id} must have at least one IPv4 IP configuration. IPv6-only "
                          "network interfaces are not supported.")
    primaries = [c for c in configs if props_of(c).get("primary") is True]
    for c in primaries:
        if props_of(c)["privateIPAddressVersion"] == "IPv6":
            raise _unverified("IPv6IpConfigurationCannotBePrimary",
                              f"IP configuration {c['id']} is an IPv6 IP configuration and cannot be the primary IP "
                              "configuration of the network interface. The primary IP configuration must be IPv4.")
    if len(primaries) > 1:
        raise _unverified("MoreThanOnePrimaryIpConfiguration",
                          f"Network interface {nic_id} has more than one primary IP configuration.")
    if not primaries:
        props_of(v4[0])["primary"] = True  # the first IPv4 ipconfig becomes primary
    for c in configs:
        props_of(c).setdefault("primary", False)


def _resolve_refs(sim: ArmSim, nic_id: str, location: str, cfg: dict[str, Any], configs: list[dict[str, Any]],
                  existing: dict[str, Any] | None) -> None:
    props, ipc_id = props_of(cfg), cfg["id"]
    version = props["privateIPAddressVersion"]
    if props.get("subnet") is None:
        if version == "IPv6":
            props.pop("privateIPAddress", None)  # recorded: accepted, no subnet and no address
            return
        raise _unverified("IpConfigurationMustReferenceSubnet",
                          f"IP configuration {ipc_id} must reference a subnet.")
    _, sn = resolve_subnet(sim, props["subnet"], ipc_id, location)
    props["subnet"] = {"id": sn["id"]}
    net = next((n for n in networks_of(props_of(sn)) if n.version == (6 if version == "IPv6" else 4)), None)
    if net is None:
        # *unverified* code: an IPv6 ipconfig needs a subnet with an IPv6 prefix (and IPv4 likewise).
        raise _unverified("SubnetDoesNotHaveAddressPrefixOfIpConfigurationVersion",
                          f"IP configuration {ipc_id} with private IP address version {version} references subnet "
                          f"{sn['id']}, which has no {version} address prefix.")
    taken = _used_addresses(sim, sn["id"], nic_id)
    taken |= {str(props_of(c)["privateIPAddress"]) for c in configs
              if c is not cfg and props_of(c).get("privateIPAddress")}
    old = find_child(existing, "ipConfigurations", cfg["name"]) if existing else None
    if props["privateIPAllocationMethod"] == "Static" and props.get("privateIPAddress"):
        props["privateIPAddress"] = _static_address(props["privateIPAddress"], net, taken, ipc_id)
    else:
        kept = props_of(old).get("privateIPAddress") if old and same(ref_id(props_of(old).get("subnet")), sn["id"]) \
            and props_of(old).get("privateIPAddressVersion") == version else None
        addr = kept if kept and kept not in taken else _first_free(net, taken)
        if addr is None:
            raise _unverified("SubnetIsFull", f"Subnet {sn['name']} with address prefix {net} does not have enough "
                                              "capacity for 1 IP addresses.")
        props["privateIPAddress"] = addr
    if props.get("publicIPAddress") is not None:
        pip = resolve(sim, props["publicIPAddress"], T_PIP, ipc_id, location)
        pip_version = props_of(pip).get("publicIPAddressVersion", "IPv4")
        if pip_version != version:
            # https://github.com/ansible-collections/azure/pull/582, verbatim.
            raise ArmError(400, "IPVersionForPublicIpAndNicIpConfigurationMustMatch",
                           f"IP version for publicIPAddress '{pip['id']}', version '{pip_version}' and network interface "
                           f"ipConfiguration '{ipc_id}', version '{version}' must match.")
        for _, holder in pip_users(sim, pip["id"]):
            if not holder.lower().startswith(nic_id.lower() + "/"):
                raise pip_in_use(pip["id"], holder, ipc_id)
        for other in configs:
            if other is not cfg and same(ref_id(props_of(other).get("publicIPAddress")), pip["id"]):
                raise pip_in_use(pip["id"], other["id"], ipc_id)
        props["publicIPAddress"] = {"id": pip["id"]}


def _mac(nic_id: str) -> str:
    """A stable MAC in Azure's format (``00-0D-3A-xx-xx-xx``, Microsoft's OUI, upper case, dashes)."""
    h = hashlib.sha256(nic_id.lower().encode()).digest()
    return "-".join(["00", "0D", "3A", *(f"{b:02X}" for b in h[:3])])


# ---------------------------------------------------------------------------------------------- routes


@route("PUT", NIC)
def put_nic(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rg_name = group_name(sim, rg)
    rid = res_id(sim, rg_name, "networkInterfaces", name)
    validate_name(name, rid)
    body = read_body(req, "nic")
    location = check_location(sim, body.get("location"), T_NIC)
    existing = sim.peek(rid)
    check_same_location(existing, location, rg_name)
    sim.check_locks(rid, "write")
    src = props_of(body)
    configs = _ip_configurations(sim, rid, location, src.get("ipConfigurations"), existing)
    props = copy_props(src, _NIC_READ_ONLY)
    if props.get("networkSecurityGroup") is not None:
        nsg = resolve(sim, props["networkSecurityGroup"], T_NSG, rid, location)
        props["networkSecurityGroup"] = {"id": nsg["id"]}
    old = props_of(existing) if existing else {}
    props["resourceGuid"] = old.get("resourceGuid") or str(uuid.uuid4())
    props["ipConfigurations"] = configs
    dns: dict[str, Any] = props["dnsSettings"] if isinstance(props.get("dnsSettings"), dict) else {}
    props["dnsSettings"] = {"dnsServers": list(dns.get("dnsServers") or []),
                            "appliedDnsServers": list(dns.get("dnsServers") or []),
                            **{k: v for k, v in dns.items() if k not in ("dnsServers", "appliedDnsServers")},
                            "internalDomainNameSuffix": _dns_suffix(props["resourceGuid"])}
    for key, default in (("enableIPForwarding", False), ("disableTcpStateTracking", False),
                         ("nicType", "Standard"), ("auxiliaryMode", "None"), ("auxiliarySku", "None")):
        props.setdefault(key, default)
    if props["auxiliarySku"] != "None":
        props["nicAuxiliarySkuBillingNotificationType"] = "Added"  # recorded for a new A1 NIC
    props["allowPort25Out"] = True
    props["vnetEncryptionSupported"] = False
    props["hostedWorkloads"] = []
    props["tapConfigurations"] = []
    for key in ("macAddress", "virtualMachine", "primary"):  # the platform's, kept across updates
        if key in old:
            props[key] = old[key]
    out: dict[str, Any] = {"name": name, "id": rid, "type": T_NIC, "location": location, "kind": "Regular",
                           "properties": props}
    if body.get("tags") is not None:  # an empty {} is kept and answered, as Azure does
        out["tags"] = body["tags"]
    resp = put_top(sim, req, out, created=existing is None, rtype=T_NIC, child_keys=("ipConfigurations",),
                   transient="Succeeded")
    return shaped(req, resp)


def _dns_suffix(guid: str) -> str:
    """Azure's per-VNet internal DNS suffix looks like ``<28 base32 chars>.gx.internal.cloudapp.net``."""
    alphabet = "abcdefghijklmnopqrstuvwxyz012345"
    digest = hashlib.sha256(guid.encode()).digest()
    return "".join(alphabet[b % 32] for b in digest[:28]) + ".gx.internal.cloudapp.net"


@route("GET", NIC)
def get_nic(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return shaped(req, get_response(sim, sim.require(res_id(sim, group_name(sim, rg), "networkInterfaces", name))))


@route("DELETE", NIC)
def delete_nic(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    body = sim.peek(res_id(sim, group_name(sim, rg), "networkInterfaces", name))
    if body is None:
        return deleted_nothing()
    sim.check_locks(body["id"], "delete")
    vm = ref_id(props_of(body).get("virtualMachine"))
    if vm:
        # Verbatim from Packer build logs (400).
        raise ArmError(400, "NicInUse",
                       f"Network Interface {body['id']} is used by existing resource {vm}. In order to delete the "
                       "network interface, it must be dissociated from the resource. To learn more, see "
                       "aka.ms/deletenic.")
    return delete_top(sim, req, body, T_NIC)


@route("GET", NET + "/networkInterfaces")
def list_nics(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    return shaped(req, list_response(sim, req, all_of(sim, T_NIC, group=sim.require_group(rg)["id"])))


@route("GET", SUB + "/providers/Microsoft.Network/networkInterfaces")
def list_all_nics(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return shaped(req, list_response(sim, req, all_of(sim, T_NIC)))


@route("GET", IPCONFIG)
def get_ipconfig(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nic: str, name: str) -> ArmResponse:
    parent = sim.require(res_id(sim, group_name(sim, rg), "networkInterfaces", nic))
    ipc = find_child(parent, "ipConfigurations", name)
    if ipc is None:
        raise child_not_found(f"{parent['id']}/ipConfigurations/{name}")
    return child_response(sim, parent, ipc)


@route("GET", NET + "/networkInterfaces/{nic}/ipConfigurations")
def list_ipconfigs(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nic: str) -> ArmResponse:
    parent = sim.require(res_id(sim, group_name(sim, rg), "networkInterfaces", nic))
    settle(sim, parent)
    return sim.paged(req, list(props_of(parent).get("ipConfigurations") or []))


mac_address = _mac
