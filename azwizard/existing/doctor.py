"""``vm doctor``: a read-only check of any VM's network against the notes (../shared/seed/azure-notes.md,
VM → "Adding IPv6 to VM") and the docs they lean on. Pure rules over what ``read.py`` read, in the same
``RuleBook``/``Finding`` shape as the create rules (``azwizard/rules/model.py``): each finding says what is
wrong and what to do, with its severity and the doc behind it. ``field`` names the resource concerned.

Severities: ``warn`` is something to fix; ``info`` is worth knowing (it does not make ``vm doctor`` exit 1).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..rules.model import Finding, Issue, RuleBook, run_rules
from .read import VmNetwork, os_disk_delete_option, props

DOCTOR: RuleBook[VmNetwork, None] = RuleBook("vm-doctor")
rule = DOCTOR.rule

SRC_BASIC_RETIRED = ("https://azure.microsoft.com/updates/upgrade-to-standard-sku-public-ip-addresses-in-azure-by-30-"
                     "september-2025-basic-sku-will-be-retired/")
SRC_BASIC_UPGRADE = "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance"
SRC_NSG_BOTH = "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works"
SRC_SSH = ("https://learn.microsoft.com/azure/security/fundamentals/network-best-practices"
           "#disable-rdpssh-access-to-virtual-machines")
SRC_IPV6 = "https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-overview"
SRC_PIP = "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses"
SRC_ADD_IPV6 = "https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-add-to-existing-vnet-cli"
SRC_DELETE = "https://learn.microsoft.com/azure/virtual-machines/delete#delete-a-vm-and-attached-resources"
SRC_BACKUP = "https://learn.microsoft.com/azure/backup/backup-azure-vms-introduction"

_ANYWHERE = {"*", "internet", "any", "0.0.0.0/0", "::/0"}


def _pips(net: VmNetwork) -> Iterator[Mapping[str, Any]]:
    yield from net.public_ips.values()


@rule("doctor-basic-public-ip", "warn", "Basic public IPs are retired", source=SRC_BASIC_RETIRED,
      fields=("publicIP",))
def _basic(net: VmNetwork, _: None) -> Iterable[Issue]:
    for pip in _pips(net):
        if str((pip.get("sku") or {}).get("name") or "Basic").lower() == "basic":
            yield Issue(f"Public IP {pip.get('name')} is Basic SKU: Azure retired Basic public IPs on 2025-09-30. "
                        f"Upgrade it to Standard (static, zone-redundant), as {SRC_BASIC_UPGRADE} shows; the upgrade "
                        "keeps the address but needs the NSG to allow the traffic (Standard IPs are closed by default).",
                        f"publicIP:{pip.get('name')}")


@rule("doctor-nsg-nic-and-subnet", "info", "An NSG on the NIC and another on the subnet", source=SRC_NSG_BOTH,
      fields=("networkSecurityGroup",))
def _both(net: VmNetwork, _: None) -> Iterable[Issue]:
    for nic in net.nics:
        on_nic = net.nsg_on_nic(nic)
        if on_nic is None:
            continue
        for c in net.ipconfigs(nic):
            on_subnet = net.nsg_on_subnet(c.subnet_id) if c.subnet_id else None
            if on_subnet is not None and str(on_subnet.get("id", "")).lower() != str(on_nic.get("id", "")).lower():
                yield Issue(f"Network interface {nic.get('name')} has NSG {on_nic.get('name')} and its subnet has "
                            f"NSG {on_subnet.get('name')}: inbound traffic must be allowed by both (the subnet's "
                            "first, then the NIC's). Keep one of them, or add every rule to both.",
                            f"networkSecurityGroup:{on_nic.get('name')}")
                break


def _inbound_allows(nsg: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for r in props(nsg).get("securityRules") or []:
        p = r.get("properties") or {}
        if str(p.get("direction", "")).lower() == "inbound" and str(p.get("access", "")).lower() == "allow":
            yield r


def _sources(p: Mapping[str, Any]) -> list[str]:
    out = [str(p["sourceAddressPrefix"])] if p.get("sourceAddressPrefix") else []
    return out + [str(x) for x in p.get("sourceAddressPrefixes") or []]


def _ports(p: Mapping[str, Any]) -> list[str]:
    out = [str(p["destinationPortRange"])] if p.get("destinationPortRange") else []
    return out + [str(x) for x in p.get("destinationPortRanges") or []]


def _covers(port_range: str, port: int) -> bool:
    if port_range.strip() == "*":
        return True
    lo, _, hi = port_range.partition("-")
    try:
        return int(lo) <= port <= int(hi or lo)
    except ValueError:
        return False


@rule("doctor-ssh-open", "warn", "SSH open to the whole internet", source=SRC_SSH, fields=("securityRules",))
def _ssh(net: VmNetwork, _: None) -> Iterable[Issue]:
    for where, nsg in net.nsgs_in_path():
        for r in _inbound_allows(nsg):
            p = r.get("properties") or {}
            if (str(p.get("protocol", "*")).lower() in ("tcp", "*")
                    and any(_covers(x, 22) for x in _ports(p))
                    and any(s.lower() in _ANYWHERE for s in _sources(p))):
                yield Issue(f"Rule {r.get('name')} of NSG {nsg.get('name')} (on the {where}) lets anyone on the "
                            "internet reach SSH (port 22, source *). Allow only your own address (and its IPv6 "
                            "address), or use Azure Bastion or just-in-time access.",
                            f"securityRules:{nsg.get('name')}/{r.get('name')}")


def _family(prefix: str) -> int | None:
    try:
        return ipaddress.ip_network(prefix, strict=False).version
    except ValueError:
        return None  # *, a service tag: both families


def ipv4_only_rules(nsg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The NSG's inbound allow rules whose sources are all IPv4, with no rule beside them letting IPv6 clients (or
    any) reach the same ports (``vm add-ipv6`` can give each an IPv6 companion: existing/nsg6.py)."""
    allows = list(_inbound_allows(nsg))
    out = []
    for r in allows:
        p = r.get("properties") or {}
        sources = _sources(p)
        if not sources or {_family(s) for s in sources} != {4}:
            continue
        ports = sorted(_ports(p))
        if any(sorted(_ports(o.get("properties") or {})) == ports
               and {_family(s) for s in _sources(o.get("properties") or {})} - {4}
               for o in allows if o is not r):
            continue
        out.append(r)
    return out


@rule("doctor-ipv4-only-sources", "warn", "Rules that let only IPv4 clients in", source=SRC_IPV6,
      fields=("securityRules",))
def _ipv4_only(net: VmNetwork, _: None) -> Iterable[Issue]:
    """A rule whose sources are all IPv4, with no rule beside it letting IPv6 clients (or any) reach the same
    ports."""
    for where, nsg in net.nsgs_in_path():
        for r in ipv4_only_rules(nsg):
            sources = _sources(r.get("properties") or {})
            yield Issue(f"Rule {r.get('name')} of NSG {nsg.get('name')} (on the {where}) allows only IPv4 "
                        f"sources ({', '.join(sources)}): the same clients coming over IPv6 are not let in. Add "
                        "a rule with their IPv6 prefixes (a rule cannot mix IPv4 and IPv6 prefixes).",
                        f"securityRules:{nsg.get('name')}/{r.get('name')}")


@rule("doctor-dynamic-public-ip", "warn", "A public IP that changes", source=SRC_PIP + "#ip-address-assignment",
      fields=("publicIP",))
def _dynamic(net: VmNetwork, _: None) -> Iterable[Issue]:
    for pip in _pips(net):
        if str(props(pip).get("publicIPAllocationMethod") or "").lower() == "dynamic":
            yield Issue(f"Public IP {pip.get('name')} is dynamic: its address changes when the VM is stopped "
                        "(deallocated), which breaks DNS records and allow-lists. Make it static (a Standard IP "
                        "always is).", f"publicIP:{pip.get('name')}")


@rule("doctor-public-ip-not-zone-redundant", "warn", "A public IP not zone-redundant in a zonal region",
      source=SRC_PIP + "#availability-zone", fields=("publicIP",))
def _zones(net: VmNetwork, _: None) -> Iterable[Issue]:
    if not net.region_zones:
        return
    for pip in _pips(net):
        if str((pip.get("sku") or {}).get("name") or "").lower() != "standard":
            continue  # Basic IPs have no zones (their own finding)
        zones = {str(z) for z in pip.get("zones") or ()}
        if not set(net.region_zones) <= zones:
            what = f"in zone {', '.join(sorted(zones))} only" if zones else "not zonal (no zones)"
            yield Issue(f"Public IP {pip.get('name')} is {what}, in {net.location}, a region with zones "
                        f"{', '.join(net.region_zones)}: it does not survive the loss of a zone. A public IP's zones "
                        "are fixed at creation: a new zone-redundant one (zones 1, 2, 3) replaces it.",
                        f"publicIP:{pip.get('name')}")


@rule("doctor-no-ipv6", "warn", "No IPv6", source=SRC_ADD_IPV6, fields=("ipConfigurations",))
def _no_ipv6(net: VmNetwork, _: None) -> Iterable[Issue]:
    if not net.has_ipv6:
        yield Issue(f"VM {net.name} has no IPv6 address: clients on IPv6-only networks cannot reach it. Add it "
                    f"without re-creating anything: azwizard vm add-ipv6 --resource-group {net.resource_group} "
                    f"--vm {net.name}", f"networkInterface:{net.primary_nic.get('name')}")


@rule("doctor-ipv6-icmp", "info", "ICMPv6 cannot be filtered by an NSG", source=SRC_IPV6, fields=("ipConfigurations",))
def _icmpv6(net: VmNetwork, _: None) -> Iterable[Issue]:
    if net.has_ipv6:
        yield Issue("The VM has IPv6: NSG rules cannot filter ICMPv6, and path-MTU discovery can fail; set the guest's "
                    "IPv6 MTU to 1280 if large IPv6 transfers hang.", f"networkInterface:{net.primary_nic.get('name')}")


@rule("doctor-os-disk-kept", "warn", "The OS disk outlives the VM", source=SRC_DELETE, fields=("osDisk",))
def _os_disk(net: VmNetwork, _: None) -> Iterable[Issue]:
    if os_disk_delete_option(net.vm).lower() != "delete":
        yield Issue(f"VM {net.name}'s OS disk is not deleted with the VM (deleteOption Detach): deleting the VM "
                    "leaves the disk behind, and it is billed until someone deletes it. Set its delete option to "
                    "Delete (portal: VM → Disks; az vm update --set storageProfile.osDisk.deleteOption=Delete).",
                    "osDisk")


@rule("doctor-no-backup", "warn", "No backup", source=SRC_BACKUP, fields=("backup",))
def _backup(net: VmNetwork, _: None) -> Iterable[Issue]:
    if net.backup is False:
        yield Issue(f"No Recovery Services vault in {net.location} backs up VM {net.name}: a lost or broken disk "
                    "cannot be restored. Turn on Azure Backup for it (portal: VM → Backup).", "backup")
    elif net.backup is None:
        yield Issue("azwizard could not read the Recovery Services vaults, so it cannot tell whether the VM is backed "
                    "up (Reader on the vaults is needed).", "backup", "info")


# What decides whether IPv6 clients get in once the VM has IPv6 (``vm add-ipv6`` shows these too).
NSG_FINDINGS = ("doctor-ipv4-only-sources", "doctor-nsg-nic-and-subnet")


def doctor(net: VmNetwork) -> list[Finding]:
    """Every finding for this VM, most severe first."""
    return run_rules(DOCTOR.rules, net, None)


def to_fix(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that make ``vm doctor`` exit 1 (info findings are worth knowing, not to fix)."""
    return [f for f in findings if f.severity != "info"]
