"""Undoing an ``add-ipv6`` run (``azwizard cleanup delete --run ID`` of a ``vm-ipv6`` run): the additions are
taken back in the reverse order of their dependencies, and nothing else is changed:

1. the NIC without the run's IPv6 ipconfig (the PUT as read minus that ipconfig, If-Match), and each NSG without
   the IPv6 companion rules the run added to it (by name; the NSG's other rules as read);
2. the virtual network without the /64 on the subnet and without the /48 in the address space (only what the
   run added, per its journal; a /48 another subnet still uses is kept, and said so); a subnet left with one
   prefix lists it in ``addressPrefix`` again, as it was;
3. the public IPv6 the run made is deleted (Azure refuses to delete a public IP a NIC still uses:
   https://learn.microsoft.com/azure/virtual-network/ip-services/virtual-network-public-ip-address#delete-a-public-ip-address).

The VM, the NIC, the VNet and the NSGs are never deleted; the VM gets no request. Each step is journaled in the
run's journal (``update-requested``/``updated`` for the NIC and the VNet, ``delete-requested``/``deleted`` for
the public IP), so a rerun after an interruption finishes what is left and a finished undo sends nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..azure import ops
from ..azure.readonly import etag_of, writable
from ..azure.session import ClientFactory
from ..journal import Journal
from .read import NIC, NSG, PIP, VNET, is_ipv6, ref

JOURNEY = "vm-ipv6"


@dataclass(frozen=True)
class UndoStep:
    key: str
    label: str
    kind: str
    resource_id: str
    action: str  # "update" | "delete" | "nothing"
    changes: tuple[str, ...] = ()
    body: Mapping[str, Any] | None = None
    etag: str = ""


@dataclass
class UndoPlan:
    run_id: str
    steps: list[UndoStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def todo(self) -> list[UndoStep]:
        return [s for s in self.steps if s.action != "nothing"]

    def lines(self) -> list[str]:
        out = []
        for s in self.steps:
            sym = {"update": "~", "delete": "-", "nothing": "="}[s.action]
            out.append(f"  {sym} {s.label}  ({'nothing to undo' if s.action == 'nothing' else s.action})")
            out += [f"      - {c}" for c in s.changes]
        out += [f"  note: {n}" for n in self.notes]
        return out


def additions_of(journal: Journal) -> dict[str, Any] | None:
    """The additions an add-ipv6 run recorded in its plan event (None: not such a run)."""
    for ev in journal.events():
        if ev.get("event") == "plan" and ev.get("journey") == JOURNEY:
            adds = (ev.get("meta") or {}).get("additions")
            return dict(adds) if adds else None
    return None


def _wire(factory: ClientFactory, kind: str, rid: str) -> dict[str, Any] | None:
    model = ops.get(factory, kind, rid)
    return ops.wire(model) if model is not None else None


def plan_undo(factory: ClientFactory, journal: Journal) -> UndoPlan:
    adds = additions_of(journal)
    if adds is None:
        raise ValueError(f"run {journal.run_id} is not an add-ipv6 run")
    plan = UndoPlan(journal.run_id)
    # 1. the NIC's ipconfig
    nic = _wire(factory, NIC, adds["nic_id"]) if adds.get("ipconfig_added") else None
    name = str(adds.get("ipconfig") or "").lower()
    nic_label = f"Network interface {adds['nic_id'].rsplit('/', 1)[-1]}"
    kept = [c for c in ((nic or {}).get("properties") or {}).get("ipConfigurations") or []
            if not (str(c.get("name", "")).lower() == name
                    and ref((c.get("properties") or {}).get("publicIPAddress")).lower() == adds["public_ip_id"].lower())]
    if nic is not None and len(kept) < len((nic.get("properties") or {}).get("ipConfigurations") or []):
        body = writable(NIC, nic)
        body["properties"]["ipConfigurations"] = [c for c in body["properties"]["ipConfigurations"]
                                                  if str(c.get("name", "")).lower() != name]
        plan.steps.append(UndoStep("nic", nic_label, NIC, adds["nic_id"], "update",
                                   (f"properties.ipConfigurations[{adds['ipconfig']}]",), body, etag_of(nic)))
    else:
        plan.steps.append(UndoStep("nic", nic_label, NIC, adds["nic_id"], "nothing"))
    # 1b. the IPv6 companion rules the run added to existing NSGs (existing/nsg6.py): only those, by name
    by_nsg: dict[str, list[str]] = {}
    for nsg_id, rule in adds.get("nsg_rules") or []:
        by_nsg.setdefault(str(nsg_id), []).append(str(rule))
    for i, (nsg_id, rules) in enumerate(by_nsg.items(), 1):
        nsg = _wire(factory, NSG, nsg_id)
        label = f"Network security group {nsg_id.rsplit('/', 1)[-1]}"
        gone = {r.lower() for r in rules}
        present = [r for r in ((nsg or {}).get("properties") or {}).get("securityRules") or []
                   if str(r.get("name", "")).lower() in gone]
        if nsg is None or not present:
            plan.steps.append(UndoStep(f"nsg{i}", label, NSG, nsg_id, "nothing"))
            continue
        body = writable(NSG, nsg)
        body["properties"]["securityRules"] = [r for r in body["properties"].get("securityRules") or []
                                               if str(r.get("name", "")).lower() not in gone]
        plan.steps.append(UndoStep(f"nsg{i}", label, NSG, nsg_id, "update",
                                   tuple(f"properties.securityRules[{r.get('name')}]" for r in present), body,
                                   etag_of(nsg)))
    # 2. the VNet's /64 and /48
    vnet = _wire(factory, VNET, adds["vnet_id"])
    vnet_label = f"Virtual network {adds['vnet_id'].rsplit('/', 1)[-1]}"
    if vnet is not None:
        body = writable(VNET, vnet)
        changes: list[str] = []
        sn_name = adds["subnet_id"].rsplit("/", 1)[-1].lower()
        for sn in body["properties"].get("subnets") or []:
            p = sn.get("properties") or {}
            if str(sn.get("name", "")).lower() != sn_name or not adds.get("prefix_added"):
                continue
            prefixes = [x for x in p.get("addressPrefixes") or [] if x != adds["subnet_prefix"]]
            if len(prefixes) < len(p.get("addressPrefixes") or []):
                changes.append(f"properties.subnets[{sn.get('name')}].properties.addressPrefixes: "
                               f"{adds['subnet_prefix']}")
                if len(prefixes) == 1:
                    p.pop("addressPrefixes", None)
                    p["addressPrefix"] = prefixes[0]
                else:
                    p["addressPrefixes"] = prefixes
        space = adds["ipv6_space"]
        space_list = body["properties"]["addressSpace"]["addressPrefixes"]
        still_used = [str(sn.get("name")) for sn in body["properties"].get("subnets") or []
                      for x in [*((sn.get("properties") or {}).get("addressPrefixes") or []),
                                (sn.get("properties") or {}).get("addressPrefix") or ""]
                      if x and is_ipv6(x) and _within(x, space)]
        if adds.get("space_added") and space in space_list:
            if still_used:
                plan.notes.append(f"The /48 {space} stays in {vnet_label}: subnet {still_used[0]} uses it now.")
            else:
                space_list.remove(space)
                changes.append(f"properties.addressSpace.addressPrefixes: {space}")
        plan.steps.append(UndoStep("vnet", vnet_label, VNET, adds["vnet_id"], "update" if changes else "nothing",
                                   tuple(changes), body if changes else None, etag_of(vnet)))
    # 3. the public IPv6 this run made
    made = journal.resources().get(adds["public_ip_id"].lower())
    pip_label = f"Public IPv6 address {adds['public_ip_id'].rsplit('/', 1)[-1]}"
    exists = _wire(factory, PIP, adds["public_ip_id"]) is not None
    if made is not None and made.may_exist and exists:
        plan.steps.append(UndoStep("pip6", pip_label, PIP, adds["public_ip_id"], "delete", ("the whole resource",)))
    else:
        plan.steps.append(UndoStep("pip6", pip_label, PIP, adds["public_ip_id"], "nothing"))
    return plan


def _within(prefix: str, space: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_network(prefix, strict=False).subnet_of(ipaddress.ip_network(space, strict=False))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return False


def run_undo(factory: ClientFactory, journal: Journal, plan: UndoPlan) -> None:
    """Send the undo, one step after the other (each needs the one before it done). Raises on the first
    failure (explained by the caller); what was done is journaled."""
    for s in plan.todo:
        journal.record("update-requested" if s.action == "update" else "delete-requested", step=s.key,
                       id=s.resource_id, kind=s.kind, undo=True)
        if s.action == "update":
            result = ops.create(factory, s.kind, s.resource_id, copy.deepcopy(dict(s.body or {})), if_match=s.etag)
            if ops.is_poller(result):
                result.result()
            journal.record("updated", step=s.key, id=s.resource_id, kind=s.kind, undo=True,
                           removed=list(s.changes))
        else:
            result = ops.delete(factory, s.kind, s.resource_id)
            if ops.is_poller(result):
                result.result()
            if _wire(factory, s.kind, s.resource_id) is not None:
                raise RuntimeError(f"{s.label} is still there after its delete")
            journal.record("deleted", step=s.key, id=s.resource_id, kind=s.kind)
