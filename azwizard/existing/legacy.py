"""The demo's IPv4-only VM, made the way a portal user made VMs for years: one plain PUT per resource through
the SDK clients, no azwizard tags, no journal (so azwizard owns none of it). A VNet with one IPv4 subnet, an
NSG on the NIC (not on the subnet) whose SSH rule is open to ``*`` (the portal's "Allow selected ports: SSH"),
a Standard static public IPv4 that is not zone-redundant, and an OS disk kept when the VM is deleted (the
portal's old default, ``deleteOption: Detach``). It is what ``vm doctor`` and ``vm add-ipv6`` are tried on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..azure.session import ClientFactory

DEMO_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAM+Y7x+NS548G3RRcpSSlEjLKa47rk45XyCGsobMClj legacy@portal")


@dataclass(frozen=True)
class Legacy:
    group: str = "Legacy-RG"
    vm: str = "legacy-vm"
    location: str = "norwayeast"
    vnet: str = "legacy-vnet"
    subnet: str = "default"
    space: str = "10.1.0.0/16"
    prefix: str = "10.1.0.0/24"

    @property
    def nsg(self) -> str:
        return f"{self.vm}-nsg"

    @property
    def pip(self) -> str:
        return f"{self.vm}-ip"

    @property
    def nic(self) -> str:
        return f"{self.vm}-nic"


def make_legacy_vm(factory: ClientFactory, spec: Legacy = Legacy()) -> str:
    """Create the IPv4-only VM with plain PUTs (``azure/ops.py``: the SDK's create_or_update, nothing else);
    returns the VM's id."""
    from ..azure import ops

    sub, g, loc = factory.subscription_id, spec.group, spec.location
    base = f"/subscriptions/{sub}/resourceGroups/{g}/providers/Microsoft.Network"

    def put(kind: str, rid: str, body: dict[str, Any]) -> None:
        result = ops.create(factory, kind, rid, body)
        if ops.is_poller(result):
            result.result()

    put("Microsoft.Resources/resourceGroups", f"/subscriptions/{sub}/resourceGroups/{g}", {"location": loc})
    put("Microsoft.Network/virtualNetworks", f"{base}/virtualNetworks/{spec.vnet}", {
        "location": loc, "properties": {"addressSpace": {"addressPrefixes": [spec.space]},
                                        "subnets": [{"name": spec.subnet,
                                                     "properties": {"addressPrefix": spec.prefix}}]}})
    put("Microsoft.Network/networkSecurityGroups", f"{base}/networkSecurityGroups/{spec.nsg}", {
        "location": loc, "properties": {"securityRules": [{"name": "SSH", "properties": {
            "priority": 300, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
            "destinationPortRange": "22"}}]}})
    put("Microsoft.Network/publicIPAddresses", f"{base}/publicIPAddresses/{spec.pip}", {
        "location": loc, "sku": {"name": "Standard", "tier": "Regional"},
        "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}})
    put("Microsoft.Network/networkInterfaces", f"{base}/networkInterfaces/{spec.nic}", {
        "location": loc, "properties": {
            "networkSecurityGroup": {"id": f"{base}/networkSecurityGroups/{spec.nsg}"},
            "ipConfigurations": [{"name": "ipconfig1", "properties": {
                "privateIPAllocationMethod": "Dynamic",
                "subnet": {"id": f"{base}/virtualNetworks/{spec.vnet}/subnets/{spec.subnet}"},
                "publicIPAddress": {"id": f"{base}/publicIPAddresses/{spec.pip}"}}}]}})
    vm_id = f"/subscriptions/{sub}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{spec.vm}"
    put("Microsoft.Compute/virtualMachines", vm_id, {"location": loc, "properties": {
        "hardwareProfile": {"vmSize": "Standard_B2s"},
        "storageProfile": {
            "imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server",
                               "version": "latest"},
            "osDisk": {"createOption": "FromImage", "managedDisk": {"storageAccountType": "StandardSSD_LRS"},
                       "deleteOption": "Detach"}},
        "osProfile": {"computerName": spec.vm, "adminUsername": "azureuser", "linuxConfiguration": {
            "disablePasswordAuthentication": True,
            "ssh": {"publicKeys": [{"path": "/home/azureuser/.ssh/authorized_keys", "keyData": DEMO_KEY}]}}},
        "networkProfile": {"networkInterfaces": [{"id": f"{base}/networkInterfaces/{spec.nic}",
                                                  "properties": {"primary": True}}]}}})
    return vm_id


def ensure_legacy_vm(factory: ClientFactory, spec: Legacy = Legacy()) -> bool:
    """Make the demo VM unless its group exists already; True when it was made now."""
    if factory.resources().resource_groups.check_existence(spec.group):
        return False
    make_legacy_vm(factory, spec)
    return True
