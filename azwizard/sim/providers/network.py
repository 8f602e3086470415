"""Microsoft.Network: virtual networks and subnets, public IP addresses, NAT gateways, network security
groups and their rules, network interfaces, and the regional usages list.

The routes live in ``network_vnet.py``, ``network_pip.py`` (public IPs and NAT gateways),
``network_nsg.py`` and ``network_nic.py``; ``network_common.py`` holds what they share (NRP-style body
binding, CIDR parsing, references, back-references computed on read, child-resource LROs). Importing
this module registers them all.

Every PUT is a long-running operation answered 201 (create) / 200 (update) with ``Azure-AsyncOperation``
and the body in ``provisioningState: Updating``; every DELETE 202 with ``Location`` and
``Azure-AsyncOperation``; a DELETE of something that does not exist 204. Any api-version is accepted
(the SDK uses 2026-03-01, the az CLI 2025-07-01).

Contract for the compute provider (all take the simulator and run under ``sim.lock``):

``attach_nic_to_vm(sim, nic_id, vm_id, primary=True)``
    Record that a VM uses the NIC: writes ``properties.virtualMachine = {"id": vm_id}`` (plus the NIC's
    ``macAddress`` and ``primary`` flag, which Azure sets once a VM holds the NIC) into the stored NIC.
    Raises ``ArmError`` 404 if the NIC does not exist, or Compute's ``NicInUse`` (400) if another VM
    already holds it.
``detach_nic_from_vm(sim, nic_id)``
    Drop ``virtualMachine`` / ``primary`` again (VM deleted with deleteOption ``Detach``); no-op if absent.
``remove_nic(sim, nic_id) -> bool``
    Delete the NIC outright (VM deleteOption ``Delete``); back-references (subnet ``ipConfigurations``,
    public IP ``ipConfiguration``, NSG ``networkInterfaces``) disappear with it because they are computed.
``remove_public_ip(sim, pip_id) -> bool``
    Delete a public IP and strip every reference to it (NIC ipconfigs, NAT gateways).
``nic_public_ips(sim, nic_id) -> list[dict]``
    The (rendered) public IP bodies attached to the NIC's ipconfigs, primary ipconfig first.
``nic_view(sim, nic_id) -> dict | None``
    The NIC as a GET would answer it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import network_extras, network_nic, network_nsg, network_pip, network_vnet  # noqa: F401  (registers the routes)
from .network_common import (
    SUB,
    T_NAT,
    T_NIC,
    T_NSG,
    T_PIP,
    T_VNET,
    new_etag,
    props_of,
    ref_id,
    render,
    same,
)

if TYPE_CHECKING:
    from ..core import ArmSim

__all__ = ["attach_nic_to_vm", "detach_nic_from_vm", "remove_nic", "remove_public_ip", "nic_public_ips", "nic_view"]


# ---------------------------------------------------------------------------------------------- usages


def _current_usage(sim: ArmSim, location: str) -> dict[str, int]:
    def here(rtype: str) -> list[dict[str, Any]]:
        return [b for b in sim.of_type(rtype) if b.get("location") == location]

    pips = here(T_PIP)
    return {
        "VirtualNetworks": len(here(T_VNET)),
        "NetworkSecurityGroups": len(here(T_NSG)),
        "NetworkInterfaces": len(here(T_NIC)),
        "NatGateways": len(here(T_NAT)),
        "PublicIPAddresses": len(pips),
        "StaticPublicIPAddresses": sum(props_of(p).get("publicIPAllocationMethod") == "Static" for p in pips),
        "StandardSkuPublicIpAddresses": sum((p.get("sku") or {}).get("name") != "Basic" for p in pips),
    }


@route("GET", SUB + "/providers/Microsoft.Network/locations/{loc}/usages")
def list_usages(sim: ArmSim, req: ArmRequest, sub: str, loc: str) -> ArmResponse:
    from ..catalog import locations, quotas

    if not locations.is_known_location(loc):
        # NRP's answer for an unknown region in the usages path (*unverified* wording).
        raise ArmError(404, "LocationNotFound", f"The location '{loc}' could not be found.")
    location = locations.normalize_location(loc)
    return sim.paged(req, quotas.network_usages_payload(location, sim.subscription_id,
                                                        _current_usage(sim, location)))


# ---------------------------------------------------------------------------------------------- compute contract


def _nic(sim: ArmSim, nic_id: str) -> dict[str, Any]:
    nic = sim.peek(nic_id)
    if nic is None or str(nic.get("type", "")).lower() != T_NIC.lower():
        raise sim.not_found(nic_id)
    return nic


def attach_nic_to_vm(sim: ArmSim, nic_id: str, vm_id: str, primary: bool = True) -> None:
    with sim.lock:
        nic = _nic(sim, nic_id)
        props = nic.setdefault("properties", {})
        holder = ref_id(props.get("virtualMachine"))
        if holder and not same(holder, vm_id):
            # Compute's answer when a VM is given a NIC another VM holds (BOSH CPI docs quote it).
            raise ArmError(400, "NicInUse", f"Network Interface {nic['id']} is used by existing VM {holder}.")
        props["virtualMachine"] = {"id": vm_id}
        props["primary"] = primary
        props.setdefault("macAddress", network_nic.mac_address(nic["id"]))
        _touch(sim, nic)


def detach_nic_from_vm(sim: ArmSim, nic_id: str) -> None:
    with sim.lock:
        nic = sim.peek(nic_id)
        if nic is None:
            return
        props = nic.setdefault("properties", {})
        if props.pop("virtualMachine", None) is not None:
            props.pop("primary", None)
            _touch(sim, nic)


def remove_nic(sim: ArmSim, nic_id: str) -> bool:
    with sim.lock:
        if sim.peek(nic_id) is None:
            return False
        sim.remove(nic_id)
        return True


def remove_public_ip(sim: ArmSim, pip_id: str) -> bool:
    with sim.lock:
        if sim.peek(pip_id) is None:
            return False
        for nic in sim.of_type(T_NIC):
            changed = False
            for ipc in props_of(nic).get("ipConfigurations") or []:
                if same(ref_id(props_of(ipc).get("publicIPAddress")), pip_id):
                    props_of(ipc).pop("publicIPAddress", None)
                    changed = True
            if changed:
                _touch(sim, nic, "ipConfigurations")
        for nat in sim.of_type(T_NAT):
            p = props_of(nat)
            changed = False
            for key in ("publicIpAddresses", "publicIpAddressesV6"):
                refs = p.get(key)
                if isinstance(refs, list):
                    kept = [r for r in refs if not same(ref_id(r), pip_id)]
                    changed |= len(kept) != len(refs)
                    p[key] = kept
            if changed:
                _touch(sim, nat)
        sim.remove(pip_id)
        return True


def nic_public_ips(sim: ArmSim, nic_id: str) -> list[dict[str, Any]]:
    with sim.lock:
        nic = sim.peek(nic_id)
        if nic is None:
            return []
        configs = sorted(props_of(nic).get("ipConfigurations") or [], key=lambda c: not props_of(c).get("primary"))
        out = []
        for ipc in configs:
            pip_id = ref_id(props_of(ipc).get("publicIPAddress"))
            pip = sim.peek(pip_id) if pip_id else None
            if pip is not None:
                out.append(render(sim, pip))
        return out


def nic_view(sim: ArmSim, nic_id: str) -> dict[str, Any] | None:
    with sim.lock:
        nic = sim.peek(nic_id)
        return render(sim, nic) if nic is not None else None


def _touch(sim: ArmSim, body: dict[str, Any], *child_keys: str) -> None:
    """A platform-side change: new etag (children share it), saved (and persisted with the next write)."""
    etag = new_etag()
    body["etag"] = etag
    for key in ("ipConfigurations", *child_keys):
        for child in props_of(body).get(key) or []:
            child["etag"] = etag
    sim.save(body["id"], body)
