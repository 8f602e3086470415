"""Which resource uses which, read from the resources' own bodies (wire JSON as ARM returns them).

Deletion order and "in use" blockers come from these real references, not from resource types:

* forward references (``uses``): a VM → its NICs and disks; a NIC → its subnet's VNet, public IPs, NSG;
  a VNet's subnets → their NSG, NAT gateway, route table; a NAT gateway → its public IPs; an AKS cluster
  → the VNet of a subnet it was given; a data collection rule → its data collection endpoint and the Azure Monitor
  workspaces it sends to (``dataCollectionEndpointId``, ``destinations.monitoringAccounts[].accountResourceId``);
  a data collection rule association → the rule or endpoint it links its resource to (``dataCollectionRuleId``,
  ``dataCollectionEndpointId``: dataCollectionRuleAssociations_API.json, 2022-06-01), so a cluster and its
  association go before the rule its agents still read;
* back references Azure keeps (``used_by``): a NIC's ``virtualMachine``; a subnet's ``ipConfigurations``;
  an NSG's ``subnets`` and ``networkInterfaces``; a public IP's ``ipConfiguration`` and ``natGateway``; a NAT
  gateway's ``subnets``; a disk's ``managedBy``.

A resource must be deleted before everything it uses, and can only be deleted once nothing that stays
uses it. What a VM takes with it follows its delete options
(https://learn.microsoft.com/azure/virtual-machines/delete): NICs and disks with ``deleteOption: Delete``
go with the VM, and a deleted NIC's public IPs only if their own ``deleteOption`` is ``Delete``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .model import CLUSTER, DCR, DCRA, DISK, NAT, NIC, NSG, PIP, VM, VNET, Cascade, key, kind_of, top_level

Body = Mapping[str, Any]
Lookup = Callable[[str], Body | None]


@dataclass(frozen=True)
class Refs:
    uses: tuple[str, ...] = ()
    used_by: tuple[str, ...] = ()
    cascade: tuple[Cascade, ...] = ()
    keeps: tuple[Cascade, ...] = ()


def _props(body: Body | None) -> Mapping[str, Any]:
    props = (body or {}).get("properties")
    return props if isinstance(props, Mapping) else {}


def _id(ref: Any) -> str | None:
    if isinstance(ref, Mapping):
        value = ref.get("id")
        return str(value) if value else None
    return None


def _unique(own_id: str, ids: Iterable[str | None]) -> tuple[str, ...]:
    """Top-level ids, each once, in first-seen order, without the resource itself."""
    own = key(own_id)
    seen: dict[str, str] = {}
    for rid in ids:
        if not rid:
            continue
        top = top_level(rid)
        k = key(top)
        if k != own:
            seen.setdefault(k, top)
    return tuple(seen.values())


def references(kind: str, body: Body, lookup: Lookup | None = None) -> Refs:
    """What the resource ``body`` (of ARM type ``kind``) uses, is used by, and takes with it when deleted.
    ``lookup`` finds other bodies by id (a VM's NICs, to see which public IPs go with them)."""
    k = kind.lower()
    rid = str(body.get("id") or "")
    props = _props(body)
    if k == VM:
        return _vm(rid, props, lookup or (lambda _id: None))
    if k == NIC:
        uses: list[str | None] = []
        for cfg in props.get("ipConfigurations") or []:
            p = _props(cfg)
            uses += [_id(p.get("subnet")), _id(p.get("publicIPAddress"))]
        uses.append(_id(props.get("networkSecurityGroup")))
        return Refs(_unique(rid, uses), _unique(rid, [_id(props.get("virtualMachine"))]))
    if k == VNET:
        uses, used = [], []
        for sn in props.get("subnets") or []:
            p = _props(sn)
            uses += [_id(p.get("networkSecurityGroup")), _id(p.get("natGateway")), _id(p.get("routeTable"))]
            used += [_id(c) for c in p.get("ipConfigurations") or []]
        return Refs(_unique(rid, uses), _unique(rid, used))
    if k == NSG:
        used = [_id(s) for s in props.get("subnets") or []] + [_id(n) for n in props.get("networkInterfaces") or []]
        return Refs(used_by=_unique(rid, used))
    if k == PIP:
        return Refs(used_by=_unique(rid, [_id(props.get("ipConfiguration")), _id(props.get("natGateway"))]))
    if k == NAT:
        uses = [_id(p) for p in props.get("publicIpAddresses") or []] + [
            _id(p) for p in props.get("publicIpPrefixes") or []]
        return Refs(_unique(rid, uses), _unique(rid, [_id(s) for s in props.get("subnets") or []]))
    if k == DISK:
        managed_by = body.get("managedBy")
        return Refs(used_by=_unique(rid, [str(managed_by)] if managed_by else []))
    if k == DCR:
        accounts = (props.get("destinations") or {}).get("monitoringAccounts") or []
        uses = [props.get("dataCollectionEndpointId"), *(a.get("accountResourceId") for a in accounts)]
        return Refs(_unique(rid, [str(u) for u in uses if u]))
    if k == DCRA:
        return Refs(_unique(rid, [str(u) for u in (props.get("dataCollectionRuleId"),
                                                    props.get("dataCollectionEndpointId")) if u]))
    if k == CLUSTER:
        uses = []
        for pool in props.get("agentPoolProfiles") or []:
            uses += [pool.get("vnetSubnetID"), pool.get("podSubnetID")]
        return Refs(_unique(rid, uses))
    return Refs()


def _vm(rid: str, props: Mapping[str, Any], lookup: Lookup) -> Refs:
    storage = props.get("storageProfile") or {}
    disks = [storage.get("osDisk") or {}] + list(storage.get("dataDisks") or [])
    nics = list((props.get("networkProfile") or {}).get("networkInterfaces") or [])
    uses: list[str | None] = [_id(d.get("managedDisk")) for d in disks] + [_id(n) for n in nics]
    cascade: list[Cascade] = []
    keeps: list[Cascade] = []
    for i, disk in enumerate(disks):
        disk_id = _id(disk.get("managedDisk"))
        if not disk_id:
            continue  # an ephemeral OS disk is no resource
        what = "OS disk" if i == 0 else f"data disk {disk.get('name') or ''}".strip()
        if str(disk.get("deleteOption") or "Detach") == "Delete":
            cascade.append(Cascade(disk_id, kind_of(disk_id), f"{what}, deleteOption Delete: deleted with the VM"))
        else:
            keeps.append(Cascade(disk_id, kind_of(disk_id), f"{what}, deleteOption Detach: kept"))
    for ref in nics:
        nic_id = _id(ref)
        if not nic_id:
            continue
        option = str(_props(ref).get("deleteOption") or "Detach")
        if option != "Delete":
            keeps.append(Cascade(nic_id, kind_of(nic_id), "network interface, deleteOption Detach: kept"))
            continue
        cascade.append(Cascade(nic_id, kind_of(nic_id), "network interface, deleteOption Delete: deleted with the VM"))
        for pip_id, goes in _nic_public_ips(nic_id, lookup):
            if goes:
                cascade.append(Cascade(pip_id, kind_of(pip_id),
                                       "public IP of a deleted NIC, deleteOption Delete: deleted with the VM"))
            else:
                keeps.append(Cascade(pip_id, kind_of(pip_id), "public IP, deleteOption Detach: kept"))
    return Refs(_unique(rid, uses), (), tuple(cascade), tuple(keeps))


def _nic_public_ips(nic_id: str, lookup: Lookup) -> list[tuple[str, bool]]:
    """The NIC's public IPs and whether each goes with a VM delete (its deleteOption, on the NIC's
    reference or on the public IP itself)."""
    nic = lookup(nic_id)
    out: list[tuple[str, bool]] = []
    for cfg in _props(nic).get("ipConfigurations") or []:
        ref = _props(cfg).get("publicIPAddress")
        pip_id = _id(ref)
        if not pip_id:
            continue
        option = _props(ref).get("deleteOption") or _props(lookup(pip_id)).get("deleteOption") or "Detach"
        out.append((top_level(pip_id), option == "Delete"))
    return out
