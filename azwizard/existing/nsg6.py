"""The IPv6 NSG rules ``vm add-ipv6`` adds when the user asks (``--ipv6-nsg-source``, or the screen's choice):
for each inbound allow rule whose sources are all IPv4 (the doctor's ``doctor-ipv4-only-sources``), in each NSG
traffic to the chosen NIC passes (the subnet's and the NIC's: both must allow,
https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works), an IPv6 companion: the
same protocol and ports, from the IPv6 source the user gave (``*`` or an IPv6 prefix). A rule cannot mix IPv4 and
IPv6 prefixes, so the companion is a rule of its own
(https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules: "you can't
specify both IPv4 and IPv6 addresses in the same rule"; priorities 100-4096, unique per direction in an NSG).

Its priority sits right beside the rule it mirrors (the number after it, else the one before), so no other rule
comes between them; failing that, the first free number after it with only allow rules in between. Nothing is
re-created: each NSG is one read-modify-write update (``plan/diff.py put_over``: the NSG as read plus the new rules,
If-Match), shown as ``~`` with the new rules.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .doctor import _family, ipv4_only_rules
from .read import VmNetwork, props

SRC_RULES = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules"
SRC_BOTH = "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works"
SUFFIX = "-IPv6"
_SOURCE_TAGS = {"*": "*", "internet": "Internet"}


def parse_source(text: str) -> str:
    """The IPv6 source the user gave: ``*`` (any address), ``Internet``, or an IPv6 prefix (normalised). Raises
    ValueError with what to give instead."""
    t = text.strip()
    if t.lower() in _SOURCE_TAGS:
        return _SOURCE_TAGS[t.lower()]
    try:
        net = ipaddress.ip_network(t, strict=False)
    except ValueError:
        raise ValueError(f"{t!r} is not an IPv6 source: give * (any address), Internet, or an IPv6 prefix such as "
                         "2001:db8:1234::/48") from None
    if net.version != 6:
        raise ValueError(f"{t} is an IPv4 prefix: the rules added are for IPv6 clients, so give * or an IPv6 "
                         "prefix (a rule cannot mix IPv4 and IPv6 prefixes)")
    return net.compressed


@dataclass(frozen=True)
class RuleAddition:
    """One IPv6 companion rule to add to an existing NSG."""

    nsg_id: str
    nsg_name: str
    where: str  # "network interface web-nic", "subnet default"
    mirrors: str  # the IPv4-only rule it mirrors
    rule: Mapping[str, Any]  # the new rule, as sent

    @property
    def name(self) -> str:
        return str(self.rule["name"])

    def describe(self) -> str:
        p = self.rule["properties"]
        ports = p.get("destinationPortRange") or ", ".join(p.get("destinationPortRanges") or [])
        return (f"NSG {self.nsg_name} (on the {self.where}) gets rule {self.name}: {p['protocol']} {ports} from "
                f"{p['sourceAddressPrefix']}, priority {p['priority']}, beside {self.mirrors} (IPv4 sources only); "
                f"a rule cannot mix IPv4 and IPv6 prefixes ({SRC_RULES})")


def _priorities(nsg: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    out = {}
    for r in props(nsg).get("securityRules") or []:
        p = r.get("properties") or {}
        if str(p.get("direction", "")).lower() == "inbound" and p.get("priority") is not None:
            out[int(p["priority"])] = r
    return out


def _priority(taken: dict[int, Mapping[str, Any]], at: int) -> int | None:
    """Right after ``at``, else right before it; else the first free number after it with only allow rules in
    between (a deny between them would shadow the companion)."""
    for p in (at + 1, at - 1):
        if 100 <= p <= 4096 and p not in taken:
            return p
    for p in range(at + 2, 4097):
        if p not in taken:
            return p
        if str((taken[p].get("properties") or {}).get("access", "")).lower() != "allow":
            return None
    return None


def _name(existing: set[str], base: str) -> str:
    name, n = f"{base}{SUFFIX}", 2
    while name.lower() in existing:
        name, n = f"{base}{SUFFIX}-{n}", n + 1
    return name


def companion_rules(net: VmNetwork, nic: Mapping[str, Any], subnet_id: str, ipv6_subnet: str, source: str,
                    only: Iterable[str] = ()) -> tuple[list[RuleAddition], list[str]]:
    """The companions to add (for the rules named in ``only``; all IPv4-only ones when empty) and the problems
    (a rule with no free priority beside it). Raises ValueError when ``only`` names a rule that is not an
    IPv4-only inbound allow rule of these NSGs."""
    wanted = {n.strip().lower() for n in only if n.strip()}
    on_path: list[tuple[str, Mapping[str, Any]]] = []
    for where, nsg in ((f"subnet {subnet_id.rsplit('/', 1)[-1]}", net.nsg_on_subnet(subnet_id)),
                       (f"network interface {nic.get('name')}", net.nsg_on_nic(nic))):
        if nsg is not None and all(str(nsg.get("id", "")).lower() != str(o.get("id", "")).lower() for _, o in on_path):
            on_path.append((where, nsg))
    candidates = {str(r.get("name", "")).lower(): r for _, nsg in on_path for r in ipv4_only_rules(nsg)}
    unknown = sorted(wanted - set(candidates))
    if unknown:
        offered = ", ".join(sorted(str(r.get("name")) for r in candidates.values())) or "none"
        raise ValueError(f"no inbound allow rule with IPv4-only sources named {', '.join(unknown)} in the NSGs of "
                         f"the NIC and its subnet (rules that need an IPv6 companion: {offered})")
    additions: list[RuleAddition] = []
    problems: list[str] = []
    for where, nsg in on_path:
        taken = _priorities(nsg)
        names = {str(r.get("name", "")).lower() for r in props(nsg).get("securityRules") or []}
        for r in ipv4_only_rules(nsg):
            if wanted and str(r.get("name", "")).lower() not in wanted:
                continue
            p = r.get("properties") or {}
            at = _priority(taken, int(p.get("priority") or 0))
            if at is None:
                problems.append(f"Rule {r.get('name')} of NSG {nsg.get('name')} has no free priority beside it for "
                                f"an IPv6 companion (priorities are unique per direction; {SRC_RULES})")
                continue
            name = _name(names, str(r.get("name", "")))
            names.add(name.lower())
            rule: dict[str, Any] = {"name": name, "properties": {
                "description": f"IPv6 companion of {r.get('name')} (azwizard vm add-ipv6)"[:140],
                "priority": at, "direction": "Inbound", "access": "Allow", "protocol": p.get("protocol", "*"),
                "sourceAddressPrefix": source}}
            rp = rule["properties"]
            for key in ("sourcePortRange", "sourcePortRanges", "destinationPortRange", "destinationPortRanges",
                        "destinationApplicationSecurityGroups"):
                if p.get(key):
                    rp[key] = p[key]
            if not p.get("destinationApplicationSecurityGroups"):
                dests = [str(p["destinationAddressPrefix"])] if p.get("destinationAddressPrefix") else []
                dests += [str(x) for x in p.get("destinationAddressPrefixes") or []]
                # an address-free destination (*, a service tag) stays; an IPv4 one becomes the subnet's new /64
                neutral = dests and all(_family(d) is None for d in dests)
                if neutral and len(dests) == 1:
                    rp["destinationAddressPrefix"] = dests[0]
                elif neutral:
                    rp["destinationAddressPrefixes"] = dests
                else:
                    rp["destinationAddressPrefix"] = ipv6_subnet
            taken[at] = rule
            additions.append(RuleAddition(str(nsg.get("id", "")), str(nsg.get("name", "")), where,
                                          str(r.get("name", "")), rule))
    return additions, problems


__all__ = ["SRC_BOTH", "SRC_RULES", "RuleAddition", "companion_rules", "parse_source"]
