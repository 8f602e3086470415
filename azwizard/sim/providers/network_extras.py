"""Microsoft.Network resources the product does not create but azure-cli's tests touch next to the ones it
does: application security groups (NSG rules may name them) and public IP prefixes (a NAT gateway may take
its addresses from one).

Shapes follow the recordings: test_network_nsg.yaml (``network asg create``, api 2021-08-01: the PUT answers
201 ``Updating`` with ``properties`` holding only ``provisioningState``) and test_natgateway_basic.yaml /
test_subnet_detach_nat_gateway.yaml (``network public-ip prefix create --length 29``, api 2022-09-01: 201
``Updating`` with ``resourceGuid``, ``prefixLength``, ``publicIPAddressVersion``, ``ipTags: []``, ``sku``
Standard/Regional, the zones asked; ``ipPrefix`` such as ``20.55.218.32/29`` appears once the operation
succeeded). REST: https://learn.microsoft.com/rest/api/virtualnetwork/application-security-groups and
https://learn.microsoft.com/rest/api/virtualnetwork/public-ip-prefixes. Prefix sizes (/28-/31 IPv4,
/124-/127 IPv6, https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-address-prefix) are
not checked: NRP's error code for another length is not in the docs, specs or recordings.
"""

from __future__ import annotations

import ipaddress
import uuid
import zlib
from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmRequest, ArmResponse
from .network_common import (
    NET,
    SUB,
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
    props_of,
    put_top,
    read_body,
    res_id,
    validate_name,
)

if TYPE_CHECKING:
    from ..core import ArmSim

T_ASG = "Microsoft.Network/applicationSecurityGroups"
T_PREFIX = "Microsoft.Network/publicIPPrefixes"


def _read_delete_list(collection: str, rtype: str) -> None:
    """GET one, DELETE (202 + LRO; 204 when absent), and the group and subscription lists of ``collection``."""
    one = NET + f"/{collection}/{{name}}"

    @route("GET", one)
    def get_one(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
        return get_response(sim, sim.require(res_id(sim, group_name(sim, rg), collection, name)))

    @route("DELETE", one)
    def delete_one(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
        body = sim.peek(res_id(sim, group_name(sim, rg), collection, name))
        if body is None:
            return deleted_nothing()
        sim.check_locks(body["id"], "delete")
        return delete_top(sim, req, body, rtype)

    @route("GET", NET + f"/{collection}")
    def list_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
        return list_response(sim, req, all_of(sim, rtype, group=sim.require_group(rg)["id"]))

    @route("GET", SUB + f"/providers/Microsoft.Network/{collection}")
    def list_subscription(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
        return list_response(sim, req, all_of(sim, rtype))


def _start(sim: ArmSim, req: ArmRequest, rg: str, collection: str, rtype: str, name: str,
           ) -> tuple[str, dict[str, Any], str, dict[str, Any] | None]:
    """What every top-level PUT checks first: (id, body, location, the existing resource)."""
    rg_name = group_name(sim, rg)
    rid = res_id(sim, rg_name, collection, name)
    validate_name(name, rid)
    body = read_body(req, collection)
    location = check_location(sim, body.get("location"), rtype)
    existing = sim.peek(rid)
    check_same_location(existing, location, rg_name)
    sim.check_locks(rid, "write")
    return rid, body, location, existing


def _top(rid: str, name: str, rtype: str, location: str, body: dict[str, Any], props: dict[str, Any],
         ) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "id": rid, "type": rtype, "location": location, "properties": props}
    if body.get("tags") is not None:  # an empty {} is kept and answered, as Azure does
        out["tags"] = body["tags"]
    return out


# ---------------------------------------------------------------------------------- application security groups


@route("PUT", NET + "/applicationSecurityGroups/{name}")
def put_asg(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid, body, location, existing = _start(sim, req, rg, "applicationSecurityGroups", T_ASG, name)
    props = copy_props(props_of(body), ("provisioningState", "resourceGuid"))
    return put_top(sim, req, _top(rid, name, T_ASG, location, body, props), created=existing is None, rtype=T_ASG)


_read_delete_list("applicationSecurityGroups", T_ASG)


# ---------------------------------------------------------------------------------- public IP prefixes


def _allocate_prefix(sim: ArmSim, prefix_id: str, location: str, version: str, length: int) -> str:
    """An aligned block no other prefix of the simulator holds, from a Microsoft-looking range."""
    taken = [ipaddress.ip_network(str(props_of(b)["ipPrefix"])) for b in sim.of_type(T_PREFIX)
             if props_of(b).get("ipPrefix")]
    seed = zlib.crc32(prefix_id.lower().encode())
    block = ipaddress.ip_network("2603:1020:4000::/40" if version == "IPv6" else "20.55.0.0/16")
    cursor = network_state(sim).setdefault("prefix_cursor", {})
    n = cursor.get(f"{location}/{version}", seed % 1024)
    subnets = list(block.subnets(new_prefix=length)) if block.prefixlen + 16 >= length else None
    while True:
        if subnets is not None:
            candidate = subnets[n % len(subnets)]
        else:  # a long IPv6 prefix: step through the block without listing it
            candidate = ipaddress.ip_network((int(block.network_address) + (n << (128 - length)), length))
        n += 1
        if not any(candidate.overlaps(t) for t in taken):
            cursor[f"{location}/{version}"] = n
            return str(candidate)


@route("PUT", NET + "/publicIPPrefixes/{name}")
def put_prefix(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid, body, location, existing = _start(sim, req, rg, "publicIPPrefixes", T_PREFIX, name)
    props = copy_props(props_of(body), ("provisioningState", "resourceGuid", "ipPrefix", "publicIPAddresses",
                                        "loadBalancerFrontendIpConfiguration", "natGateway"))
    props.setdefault("publicIPAddressVersion", "IPv4")
    props.setdefault("ipTags", [])
    old = props_of(existing) if existing else {}
    props["resourceGuid"] = old.get("resourceGuid") or str(uuid.uuid4())
    if old.get("ipPrefix"):
        props["ipPrefix"] = old["ipPrefix"]
    raw_sku = body.get("sku")
    sku: dict[str, Any] = raw_sku if isinstance(raw_sku, dict) else {}
    out = _top(rid, name, T_PREFIX, location, body, props)
    out["sku"] = {"name": sku.get("name") or "Standard", "tier": sku.get("tier") or "Regional"}
    zones = check_zones(sim, body.get("zones"), location, T_PREFIX, name)
    if zones:
        out["zones"] = zones

    def allocate(cur: dict[str, Any]) -> None:
        p = props_of(cur)
        if not p.get("ipPrefix"):
            version = str(p.get("publicIPAddressVersion") or "IPv4")
            default = 124 if version == "IPv6" else 28
            raw_len = p.get("prefixLength")
            length = raw_len if isinstance(raw_len, int) else default
            p["ipPrefix"] = _allocate_prefix(sim, cur["id"], cur["location"], version, length)

    return put_top(sim, req, out, created=existing is None, rtype=T_PREFIX, finalize=allocate)


_read_delete_list("publicIPPrefixes", T_PREFIX)
