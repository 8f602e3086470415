"""Microsoft.Network networkSecurityGroups, their securityRules (inline and as child resources) and the
six defaultSecurityRules every NSG gets.

The default rules are copied from the REST spec example NetworkSecurityGroupCreate.json (2024-05-01)
with the empty ``*Ranges`` / ``*Prefixes`` lists real answers carry (seen in dumped NSGs).
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from .network_common import (
    NET,
    SUB,
    T_DEFAULT_RULE,
    T_NSG,
    T_RULE,
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
    list_response,
    nics_using_nsg,
    props_of,
    put_child,
    put_top,
    read_body,
    require_missing_property,
    res_id,
    settle,
    subnets_using,
    validate_name,
)

if TYPE_CHECKING:
    from ..core import ArmSim

NSG = NET + "/networkSecurityGroups/{name}"
RULE = NET + "/networkSecurityGroups/{nsg}/securityRules/{name}"
DEFAULT_RULE = NET + "/networkSecurityGroups/{nsg}/defaultSecurityRules/{name}"

_NSG_READ_ONLY = ("provisioningState", "resourceGuid", "defaultSecurityRules", "subnets", "networkInterfaces",
                  "flowLogs", "securityRules")
_RULE_READ_ONLY = ("provisioningState",)

# name, description, source, destination, access, priority, direction
_DEFAULTS: tuple[tuple[str, str, str, str, str, int, str], ...] = (
    ("AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "VirtualNetwork", "VirtualNetwork",
     "Allow", 65000, "Inbound"),
    ("AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "AzureLoadBalancer", "*",
     "Allow", 65001, "Inbound"),
    ("DenyAllInBound", "Deny all inbound traffic", "*", "*", "Deny", 65500, "Inbound"),
    ("AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "VirtualNetwork",
     "VirtualNetwork", "Allow", 65000, "Outbound"),
    ("AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "*", "Internet", "Allow", 65001,
     "Outbound"),
    ("DenyAllOutBound", "Deny all outbound traffic", "*", "*", "Deny", 65500, "Outbound"),
)


def default_rules(nsg_id: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "id": f"{nsg_id}/defaultSecurityRules/{name}",
            "type": T_DEFAULT_RULE,
            "properties": {
                "provisioningState": "Succeeded",
                "description": description,
                "protocol": "*",
                "sourcePortRange": "*",
                "destinationPortRange": "*",
                "sourceAddressPrefix": source,
                "destinationAddressPrefix": destination,
                "access": access,
                "priority": priority,
                "direction": direction,
                "sourcePortRanges": [],
                "destinationPortRanges": [],
                "sourceAddressPrefixes": [],
                "destinationAddressPrefixes": [],
            },
        }
        for name, description, source, destination, access, priority, direction in _DEFAULTS
    ]


# ---------------------------------------------------------------------------------------------- rule validation

# Service tags start with a capital letter (VirtualNetwork, Internet, AzureLoadBalancer, Storage.WestEurope…);
# "any" is refused ("Security rule has invalid Address prefix. Value provided: any", ernestio/ernest#473).
_SERVICE_TAG = re.compile(r"^[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$")


def _bad_prefix(value: Any) -> ArmError:
    """SecurityRuleInvalidAddressPrefix, message verbatim from users' reports (also given for host bits)."""
    return ArmError(400, "SecurityRuleInvalidAddressPrefix",
                    f"Security rule has invalid Address prefix. Value provided: {value}.")


_ATON_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$")


def _aton(text: str) -> ipaddress.IPv4Address | None:
    """An IPv4 address in any form .NET's ``IPAddress.TryParse`` accepts (NRP is a .NET service): ``a.b.c.d``
    and the inet_aton shorthands ``a``, ``a.b``, ``a.b.c`` with decimal, octal (``0``) or hex (``0x``) parts —
    "this method accepts as valid an ipString value that can be parsed as an Int64"
    (https://learn.microsoft.com/dotnet/api/system.net.ipaddress.tryparse). Azure accepted the prefixes
    "789" and "1234" in the recorded ``az network nsg rule create`` (Azure/azure-cli
    ``command_modules/network/tests/latest/recordings/test_network_nsg.yaml`` #4, #41) and echoed them as sent."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_ATON_PART.match(p) for p in parts):
        return None
    nums = [int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if len(p) > 1 and p[0] == "0" else int(p)
            for p in parts]
    *head, last = nums
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(nums)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(nums)) + last
    return ipaddress.IPv4Address(value)


def _prefix_family(value: Any) -> int | None:
    """4 or 6 for an address/CIDR, None for '*' or a service tag; rejects anything else."""
    if not isinstance(value, str) or not value:
        raise _bad_prefix(value)
    if value == "*" or _SERVICE_TAG.match(value):
        return None
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError:
        addr, slash, bits = value.partition("/")
        v4 = _aton(addr) if ":" not in addr else None
        if v4 is None:
            raise _bad_prefix(value) from None
        try:
            ipaddress.ip_network(f"{v4}{slash}{bits}", strict=True)
        except ValueError:
            raise _bad_prefix(value) from None
        return 4
    return net.version


def _check_ports(values: list[Any]) -> None:
    """SecurityRuleInvalidPortRange, message verbatim (terraform user's report)."""
    for value in values:
        ok = False
        if value == "*":
            ok = True
        elif isinstance(value, str) and re.fullmatch(r"\d{1,5}(-\d{1,5})?", value):
            lo, _, hi = value.partition("-")
            ok = int(lo) <= 65535 and (not hi or int(lo) <= int(hi) <= 65535)
        if not ok:
            raise ArmError(400, "SecurityRuleInvalidPortRange",
                           f"Security rule has invalid Port range. Value provided: {value}. Value should be an integer "
                           "OR integer range with '-' delimiter. Valid range 0-65535.")


def _rule_props(rule_id: str, src: dict[str, Any], path: str) -> dict[str, Any]:
    props = copy_props(src, _RULE_READ_ONLY)
    for required in ("protocol", "access", "direction"):
        if props.get(required) is None:
            raise require_missing_property(required, path, 1)
    priority = props.get("priority")
    if not isinstance(priority, int) or isinstance(priority, bool) or not 100 <= priority <= 4096:
        # Message as quoted in public code (preflight rule 36).
        raise ArmError(400, "SecurityRuleInvalidPriority",
                       f"Security rule has invalid Priority. Value provided: {priority} Allowed range 100-4096.")
    ports = [props.get("sourcePortRange"), props.get("destinationPortRange")]
    ports += list(props.get("sourcePortRanges") or []) + list(props.get("destinationPortRanges") or [])
    _check_ports([p for p in ports if p is not None])
    families: set[int] = set()
    for key in ("sourceAddressPrefix", "destinationAddressPrefix"):
        if props.get(key) is not None:
            fam = _prefix_family(props[key])
            if fam:
                families.add(fam)
    for key in ("sourceAddressPrefixes", "destinationAddressPrefixes"):
        for value in props.get(key) or []:
            fam = _prefix_family(value)
            if fam:
                families.add(fam)
    if len(families) > 1:
        # Verbatim (gardener-extension-provider-azure#397); rule 37 / ipv6-overview.md.
        raise ArmError(400, "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies",
                       f"Resource {rule_id} contains IP addresses or prefixes that belong to different address "
                       "families. All IP addresses or prefixes in the resource should belong to the same address "
                       "family.")
    for key in ("sourcePortRanges", "destinationPortRanges", "sourceAddressPrefixes", "destinationAddressPrefixes"):
        props.setdefault(key, [])
    return props


def _check_conflicts(rules: list[dict[str, Any]]) -> None:
    """Same priority and direction: SecurityRuleConflict, message verbatim from az CLI users' output."""
    seen: list[dict[str, Any]] = []
    for rule in rules:
        p = props_of(rule)
        for other in seen:
            q = props_of(other)
            if p["priority"] == q["priority"] and p["direction"] == q["direction"]:
                raise ArmError(400, "SecurityRuleConflict",
                               f"Security rule {rule['name']} conflicts with rule {other['name']}. Rules cannot have "
                               "the same Priority and Direction.")
        seen.append(rule)


def _rule_entry(nsg_id: str, name: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "id": f"{nsg_id}/securityRules/{name}", "type": T_RULE, "properties": props}


# ---------------------------------------------------------------------------------------------- NSGs


@route("PUT", NSG)
def put_nsg(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rg_name = group_name(sim, rg)
    rid = res_id(sim, rg_name, "networkSecurityGroups", name)
    validate_name(name, rid)
    body = read_body(req, "nsg")
    location = check_location(sim, body.get("location"), T_NSG)
    existing = sim.peek(rid)
    check_same_location(existing, location, rg_name)
    sim.check_locks(rid, "write")
    rules: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, src in enumerate(props_of(body).get("securityRules") or []):
        rname = src.get("name") if isinstance(src, dict) else None
        if not isinstance(rname, str):
            raise require_missing_property("name", f"properties.securityRules[{i}]", 1)
        rule_id = f"{rid}/securityRules/{rname}"
        validate_name(rname, rule_id)
        if rname.lower() in seen:
            raise ArmError(400, "DuplicateResourceName",
                           f"Resource {rid} has two child resources with the same name ({rname}).")
        seen.add(rname.lower())
        rules.append(_rule_entry(rid, rname, _rule_props(rule_id, props_of(src),
                                                         f"properties.securityRules[{i}].properties")))
    _check_conflicts(rules)
    props = copy_props(props_of(body), _NSG_READ_ONLY)
    props["resourceGuid"] = props_of(existing).get("resourceGuid") if existing else str(uuid.uuid4())
    # flushConnection is in the 2022-01-01 model, yet every recorded NSG answer at 2022-01-01 leaves it out
    # when it was not set (test_network_nsg.yaml): it is answered only when sent.
    props["securityRules"] = rules
    props["defaultSecurityRules"] = (props_of(existing).get("defaultSecurityRules") if existing
                                     else default_rules(rid))
    out: dict[str, Any] = {"name": name, "id": rid, "type": T_NSG, "location": location, "properties": props}
    if body.get("tags") is not None:  # an empty {} is kept and answered, as Azure does
        out["tags"] = body["tags"]
    return put_top(sim, req, out, created=existing is None, rtype=T_NSG,
                   child_keys=("securityRules", "defaultSecurityRules"))


@route("GET", NSG)
def get_nsg(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return get_response(sim, sim.require(res_id(sim, group_name(sim, rg), "networkSecurityGroups", name)))


@route("DELETE", NSG)
def delete_nsg(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    body = sim.peek(res_id(sim, group_name(sim, rg), "networkSecurityGroups", name))
    if body is None:
        return deleted_nothing()
    sim.check_locks(body["id"], "delete")
    users = subnets_using(sim, "networkSecurityGroup", body["id"]) + nics_using_nsg(sim, body["id"])
    if users:
        # Message verbatim from users' reports (400).
        raise ArmError(400, "InUseNetworkSecurityGroupCannotBeDeleted",
                       f"Network security group {body['id']} cannot be deleted because it is in use by the following "
                       f"resources: {', '.join(users)}.")
    return delete_top(sim, req, body, T_NSG)


@route("GET", NET + "/networkSecurityGroups")
def list_nsgs(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    return list_response(sim, req, all_of(sim, T_NSG, group=sim.require_group(rg)["id"]))


@route("GET", SUB + "/providers/Microsoft.Network/networkSecurityGroups")
def list_all_nsgs(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    return list_response(sim, req, all_of(sim, T_NSG))


# ---------------------------------------------------------------------------------------------- rules


def _nsg_or_404(sim: ArmSim, rg: str, nsg: str) -> dict[str, Any]:
    return sim.require(res_id(sim, group_name(sim, rg), "networkSecurityGroups", nsg))


@route("PUT", RULE)
def put_rule(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nsg: str, name: str) -> ArmResponse:
    parent = _nsg_or_404(sim, rg, nsg)
    rule_id = f"{parent['id']}/securityRules/{name}"
    validate_name(name, rule_id)
    body = read_body(req, "rule")
    sim.check_locks(rule_id, "write")
    existing = find_child(parent, "securityRules", name)
    entry = _rule_entry(parent["id"], existing["name"] if existing else name,
                        _rule_props(rule_id, props_of(body), "properties"))
    others = [r for r in props_of(parent).get("securityRules") or [] if r is not existing]
    _check_conflicts([*others, entry])
    rules = children(parent, "securityRules")
    if existing is not None:
        rules[rules.index(existing)] = entry
    else:
        rules.append(entry)
    return put_child(sim, req, parent, entry, created=existing is None, rtype=T_RULE,
                     child_keys=("securityRules", "defaultSecurityRules"))


@route("GET", RULE)
def get_rule(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nsg: str, name: str) -> ArmResponse:
    parent = _nsg_or_404(sim, rg, nsg)
    rule = find_child(parent, "securityRules", name)
    if rule is None:
        raise child_not_found(f"{parent['id']}/securityRules/{name}")
    return child_response(sim, parent, rule)


@route("DELETE", RULE)
def delete_rule(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nsg: str, name: str) -> ArmResponse:
    parent = sim.peek(res_id(sim, group_name(sim, rg), "networkSecurityGroups", nsg))
    rule = find_child(parent, "securityRules", name) if parent is not None else None
    if parent is None or rule is None:
        return deleted_nothing()
    sim.check_locks(rule["id"], "delete")
    return delete_child(sim, req, parent, "securityRules", rule, T_RULE)


@route("GET", NET + "/networkSecurityGroups/{nsg}/securityRules")
def list_rules(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nsg: str) -> ArmResponse:
    parent = _nsg_or_404(sim, rg, nsg)
    settle(sim, parent)
    return sim.paged(req, list(props_of(parent).get("securityRules") or []))


@route("GET", DEFAULT_RULE)
def get_default_rule(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nsg: str, name: str) -> ArmResponse:
    parent = _nsg_or_404(sim, rg, nsg)
    rule = find_child(parent, "defaultSecurityRules", name)
    if rule is None:
        raise child_not_found(f"{parent['id']}/defaultSecurityRules/{name}")
    return child_response(sim, parent, rule)


@route("GET", NET + "/networkSecurityGroups/{nsg}/defaultSecurityRules")
def list_default_rules(sim: ArmSim, req: ArmRequest, sub: str, rg: str, nsg: str) -> ArmResponse:
    parent = _nsg_or_404(sim, rg, nsg)
    settle(sim, parent)
    return sim.paged(req, list(props_of(parent).get("defaultSecurityRules") or []))
