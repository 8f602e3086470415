"""A VM's network as it is: the VM (size, zone, OS disk), its NICs and their IP configurations, the subnets
and virtual networks they are in (address spaces), the NSGs on the subnets and on the NICs, the public IPs
(SKU, allocation, zones, version), the region's zones and whether a Recovery Services vault protects the VM.

Every read is one GET through the real SDK clients (``azwizard/azure/ops.py``); the bodies are kept as
Azure's wire JSON, so the doctor's checks and the add-IPv6 plan work on exactly what Azure answered, and an
update can send the body as read plus only its changes (``azwizard/plan/diff.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..azure import ops
from ..azure.session import ClientFactory

VM = "Microsoft.Compute/virtualMachines"
NIC = "Microsoft.Network/networkInterfaces"
VNET = "Microsoft.Network/virtualNetworks"
NSG = "Microsoft.Network/networkSecurityGroups"
PIP = "Microsoft.Network/publicIPAddresses"


class VmNotFound(LookupError):
    """No VM of that name in that resource group (or no such group)."""


class NicNotFound(LookupError):
    """The VM has no network interface of that name."""


def props(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (body or {}).get("properties") or {}


def ref(value: Any) -> str:
    """The id of a ``{"id": ...}`` reference ("" for none)."""
    return str(value.get("id") or "") if isinstance(value, Mapping) else ""


def vm_id(subscription_id: str, group: str, name: str) -> str:
    return f"/subscriptions/{subscription_id}/resourceGroups/{group}/providers/{VM}/{name}"


def vnet_of_subnet(subnet_id: str) -> str:
    return subnet_id.split("/subnets/", 1)[0]


def subnet_name(subnet_id: str) -> str:
    return subnet_id.rsplit("/", 1)[-1]


def prefixes_of(subnet: Mapping[str, Any]) -> list[str]:
    """A subnet's prefixes: ``addressPrefix`` (one) and ``addressPrefixes`` (several, e.g. IPv4 + IPv6)."""
    p = props(subnet)
    out = [str(p["addressPrefix"])] if p.get("addressPrefix") else []
    out += [str(x) for x in p.get("addressPrefixes") or [] if str(x) not in out]
    return out


def is_ipv6(prefix: str) -> bool:
    return ":" in prefix


@dataclass(frozen=True)
class IpConfig:
    nic_id: str
    name: str
    version: str  # "IPv4" | "IPv6"
    primary: bool
    subnet_id: str
    public_ip_id: str
    private_ip: str


@dataclass(frozen=True)
class VmNetwork:
    """What was read, by lower-cased id. ``region_zones`` is None when the region's zones could not be read;
    ``backup`` is None when azwizard could not tell whether a vault protects the VM."""

    subscription_id: str
    resource_group: str
    name: str
    vm: Mapping[str, Any]
    nics: tuple[Mapping[str, Any], ...]
    vnets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    nsgs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    public_ips: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    region_zones: tuple[str, ...] | None = None
    backup: bool | None = None

    @property
    def vm_id(self) -> str:
        return str(self.vm.get("id") or vm_id(self.subscription_id, self.resource_group, self.name))

    @property
    def location(self) -> str:
        return str(self.vm.get("location") or "")

    @property
    def size(self) -> str:
        return str((props(self.vm).get("hardwareProfile") or {}).get("vmSize") or "")

    @property
    def zones(self) -> tuple[str, ...]:
        return tuple(str(z) for z in self.vm.get("zones") or ())

    @property
    def primary_nic(self) -> Mapping[str, Any]:
        """The NIC the VM marks primary (the only one when there is one)."""
        refs = (props(self.vm).get("networkProfile") or {}).get("networkInterfaces") or []
        primary = next((ref(r) for r in refs if (r.get("properties") or {}).get("primary")), "")
        for nic in self.nics:
            if primary and str(nic.get("id", "")).lower() == primary.lower():
                return nic
        return self.nics[0]

    def nic_named(self, name: str) -> Mapping[str, Any]:
        """The VM's NIC of that name (case-insensitive, as ARM names are); ``""``: the primary. Raises
        :class:`NicNotFound` naming the VM's NICs."""
        if not name.strip():
            return self.primary_nic
        for nic in self.nics:
            if str(nic.get("name", "")).lower() == name.strip().lower():
                return nic
        names = ", ".join(str(n.get("name")) for n in self.nics) or "none"
        raise NicNotFound(f"VM {self.name} has no network interface named {name.strip()} (its NICs: {names})")

    def is_primary(self, nic: Mapping[str, Any]) -> bool:
        return str(nic.get("id", "")).lower() == str(self.primary_nic.get("id", "")).lower()

    def ipconfigs(self, nic: Mapping[str, Any] | None = None) -> list[IpConfig]:
        out = []
        for n in ([nic] if nic is not None else list(self.nics)):
            for c in props(n).get("ipConfigurations") or []:
                p = c.get("properties") or {}
                out.append(IpConfig(str(n.get("id", "")), str(c.get("name", "")),
                                    str(p.get("privateIPAddressVersion") or "IPv4"), bool(p.get("primary")),
                                    ref(p.get("subnet")), ref(p.get("publicIPAddress")),
                                    str(p.get("privateIPAddress") or "")))
        return out

    def vnet(self, subnet_id: str) -> Mapping[str, Any] | None:
        return self.vnets.get(vnet_of_subnet(subnet_id).lower())

    def subnet(self, subnet_id: str) -> Mapping[str, Any] | None:
        name = subnet_name(subnet_id).lower()
        return next((s for s in props(self.vnet(subnet_id)).get("subnets") or []
                     if str(s.get("name", "")).lower() == name), None)

    def nsg_on_nic(self, nic: Mapping[str, Any]) -> Mapping[str, Any] | None:
        nid = ref(props(nic).get("networkSecurityGroup"))
        return self.nsgs.get(nid.lower()) if nid else None

    def nsg_on_subnet(self, subnet_id: str) -> Mapping[str, Any] | None:
        nid = ref(props(self.subnet(subnet_id)).get("networkSecurityGroup"))
        return self.nsgs.get(nid.lower()) if nid else None

    def subnet_ids(self) -> list[str]:
        seen: list[str] = []
        for c in self.ipconfigs():
            if c.subnet_id and c.subnet_id.lower() not in [s.lower() for s in seen]:
                seen.append(c.subnet_id)
        return seen

    def nsgs_in_path(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """(where, NSG) for every NSG traffic to the VM passes: each NIC's and each of its subnets'."""
        for nic in self.nics:
            nsg = self.nsg_on_nic(nic)
            if nsg is not None:
                yield f"network interface {nic.get('name')}", nsg
        for sid in self.subnet_ids():
            nsg = self.nsg_on_subnet(sid)
            if nsg is not None:
                yield f"subnet {subnet_name(sid)}", nsg

    @property
    def has_ipv6(self) -> bool:
        return any(c.version == "IPv6" for c in self.ipconfigs())

    def summary(self) -> dict[str, Any]:
        """What was read, as plain data (``vm doctor --format json``)."""
        return {
            "vm": {"id": self.vm_id, "location": self.location, "size": self.size, "zones": list(self.zones),
                   "os_disk_delete_option": os_disk_delete_option(self.vm)},
            "region_zones": None if self.region_zones is None else list(self.region_zones),
            "backup": self.backup,
            "ip_configurations": [c.__dict__ for c in self.ipconfigs()],
            "address_spaces": {v.get("name"): list((props(v).get("addressSpace") or {}).get("addressPrefixes") or [])
                               for v in self.vnets.values()},
            "subnets": {subnet_name(s): prefixes_of(self.subnet(s) or {}) for s in self.subnet_ids()},
            "nsgs": [{"on": where, "name": nsg.get("name")} for where, nsg in self.nsgs_in_path()],
            "public_ips": [{"name": p.get("name"), "sku": (p.get("sku") or {}).get("name"),
                            "allocation": props(p).get("publicIPAllocationMethod"),
                            "version": props(p).get("publicIPAddressVersion"), "zones": list(p.get("zones") or []),
                            "address": props(p).get("ipAddress")} for p in self.public_ips.values()],
        }


def os_disk_delete_option(vm: Mapping[str, Any]) -> str:
    disk = (props(vm).get("storageProfile") or {}).get("osDisk") or {}
    return str(disk.get("deleteOption") or "Detach")


def _get(factory: ClientFactory, kind: str, rid: str) -> dict[str, Any] | None:
    model = ops.get(factory, kind, rid)
    return ops.wire(model) if model is not None else None


def list_vms(factory: ClientFactory) -> Iterator[dict[str, Any]]:
    """Every VM of the subscription, as ARM's wire JSON: ``GET /subscriptions/{id}/providers/
    Microsoft.Compute/virtualMachines`` (https://learn.microsoft.com/rest/api/compute/virtual-machines/list-all),
    read through the generic client with the VM's api-version (what azure-mgmt-compute's
    ``virtual_machines.list_all`` sends, without importing that package)."""
    from ..azure.arm import api_version_for

    yield from factory.arm().list_items(f"/subscriptions/{factory.subscription_id}/providers/{VM}",
                                        api_version_for(VM))


def read_vm_network(factory: ClientFactory, subscription_id: str, group: str, name: str) -> VmNetwork:
    """Read the VM and everything its network is made of. Raises :class:`VmNotFound` when there is no such
    VM; other failures (permissions, connection) propagate for the caller to explain."""
    from azure.core.exceptions import ResourceNotFoundError

    try:
        vm = _get(factory, VM, vm_id(subscription_id, group, name))
    except ResourceNotFoundError:  # the group itself does not exist
        vm = None
    if vm is None:
        raise VmNotFound(f"there is no VM named {name} in resource group {group}")
    nic_ids = [ref(r) for r in (props(vm).get("networkProfile") or {}).get("networkInterfaces") or []]
    nics = tuple(n for n in (_get(factory, NIC, i) for i in nic_ids if i) if n is not None)
    vnets: dict[str, dict[str, Any]] = {}
    nsgs: dict[str, dict[str, Any]] = {}
    pips: dict[str, dict[str, Any]] = {}
    wanted_nsgs = [ref(props(n).get("networkSecurityGroup")) for n in nics]
    for nic in nics:
        for c in props(nic).get("ipConfigurations") or []:
            p = c.get("properties") or {}
            sid, pid = ref(p.get("subnet")), ref(p.get("publicIPAddress"))
            if sid and vnet_of_subnet(sid).lower() not in vnets:
                vnet = _get(factory, VNET, vnet_of_subnet(sid))
                if vnet is not None:
                    vnets[vnet_of_subnet(sid).lower()] = vnet
            if pid and pid.lower() not in pips:
                pip = _get(factory, PIP, pid)
                if pip is not None:
                    pips[pid.lower()] = pip
    for vnet in vnets.values():
        wanted_nsgs += [ref(props(s).get("networkSecurityGroup")) for s in props(vnet).get("subnets") or []]
    for nid in wanted_nsgs:
        if nid and nid.lower() not in nsgs:
            nsg = _get(factory, NSG, nid)
            if nsg is not None:
                nsgs[nid.lower()] = nsg
    return VmNetwork(subscription_id, group, name, vm, nics, vnets, nsgs, pips,
                     region_zones(factory, str(vm.get("location") or "")), protected_by_backup(factory, vm))


def region_zones(factory: ClientFactory, location: str) -> tuple[str, ...] | None:
    """The region's logical zones ("" tuple: a region without zones; None: could not be read)."""
    from ..azure.catalog import Catalog

    try:
        return tuple(Catalog(factory).region(location).zones)
    except Exception:
        return None


def protected_by_backup(factory: ClientFactory, vm: Mapping[str, Any]) -> bool | None:
    """Whether a Recovery Services vault in the VM's region protects it (its backup items name the VM as
    ``sourceResourceId``; https://learn.microsoft.com/rest/api/backup/backup-protected-items/list). None when
    the vaults could not be read."""
    vid = str(vm.get("id") or "").lower()
    location = "".join(str(vm.get("location") or "").split()).lower()
    try:
        for vault in factory.recoveryservices().vaults.list_by_subscription_id():
            if "".join(str(vault.location or "").split()).lower() != location:
                continue
            for item in ops.list_protected_items(factory, str(vault.id)):
                source = str(props(item).get("sourceResourceId") or "").lower()
                if source == vid:
                    return True
    except Exception:
        return None
    return False
