"""The VM journey's spec: the seed notes' "Setup (Web Example)" as data.

Defaults follow the notes (the profile keys and their defaults: docs/profiles.md): resource group ``<base>-RG``, a dual-stack
VNet (IPv4 /16 + a random ULA IPv6 /48, subnet ``default`` with the first /24 and /64), Standard static
zone-redundant public IPv4 and IPv6 with the Microsoft-network routing preference, an NSG on the subnet
with ICMPv4, SSH and HTTP(S) inbound, a Debian VM with an SSH key, a Standard SSD OS disk deleted with the
VM, the NIC deleted with the VM and the public IPs kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from .common import default_subnet, random_ula_48

Protocol = Literal["Tcp", "Udp", "Icmp", "*"]
Access = Literal["Allow", "Deny"]
Direction = Literal["Inbound", "Outbound"]
SecurityType = Literal["Standard", "TrustedLaunch"]
Purpose = Literal["web", "ssh-only", "custom"]
RoutingPreference = Literal["Microsoft", "Internet"]


@dataclass(frozen=True)
class NsgRule:
    name: str
    priority: int
    protocol: Protocol
    destination_ports: tuple[str, ...]
    source: str = "*"  # "*", a service tag such as "Internet", or a CIDR ("my public IP")
    access: Access = "Allow"
    direction: Direction = "Inbound"
    description: str = ""


def rules_for_purpose(purpose: Purpose, source: str = "*") -> tuple[NsgRule, ...]:
    """The notes' inbound rules by the VM's purpose: "ICMPv4: port *, protocol ICMP. SSH: port 22,
    protocol TCP. HTTP(S): port 80,443, protocol any." Source any, action allow."""
    icmp = NsgRule("Allow-ICMPv4", 100, "Icmp", ("*",), source, description="ping over IPv4 (NSGs cannot filter ICMPv6)")
    ssh = NsgRule("Allow-SSH", 110, "Tcp", ("22",), source, description="SSH")
    web = NsgRule("Allow-HTTP-HTTPS", 120, "*", ("80", "443"), "*", description="HTTP and HTTPS (TCP, and UDP for HTTP/3)")
    if purpose == "web":
        return (icmp, ssh, web)
    if purpose == "ssh-only":
        return (icmp, ssh)
    return ()


@dataclass(frozen=True)
class ImageRef:
    publisher: str
    offer: str
    sku: str
    version: str = "latest"
    label: str = ""

    @property
    def urn(self) -> str:
        return f"{self.publisher}:{self.offer}:{self.sku}:{self.version}"


IMAGES: dict[str, ImageRef] = {
    "debian-12": ImageRef("Debian", "debian-12", "12-gen2", label="Debian 12 (Bookworm)"),
    "ubuntu-24.04": ImageRef("Canonical", "ubuntu-24_04-lts", "server", label="Ubuntu 24.04 LTS"),
    "azure-linux-3": ImageRef("MicrosoftCBLMariner", "azure-linux-3", "azure-linux-3-gen2", label="Azure Linux 3"),
}


@dataclass(frozen=True)
class VmNames:
    resource_group: str
    vnet: str
    subnet: str
    public_ipv4: str
    public_ipv6: str
    nat_gateway: str
    nat_public_ipv4: str
    nsg: str
    vm: str
    nic: str
    os_disk: str
    data_disk: str
    vault: str

    @classmethod
    def derive(cls, base: str) -> VmNames:
        """``Yolo`` -> ``Yolo-RG``, ``Yolo-VNet``, ``Yolo-IPv4``, ``Yolo-IPv6``, ``Yolo-NATGW``, ``Yolo-NSG``,
        ``Yolo-VM``, ``Yolo-RSV`` as in the notes (the NIC and disks get names in the same style)."""
        return cls(
            resource_group=f"{base}-RG",
            vnet=f"{base}-VNet",
            subnet="default",
            public_ipv4=f"{base}-IPv4",
            public_ipv6=f"{base}-IPv6",
            nat_gateway=f"{base}-NATGW",
            nat_public_ipv4=f"{base}-NATGW-IPv4",
            nsg=f"{base}-NSG",
            vm=f"{base}-VM",
            nic=f"{base}-NIC",
            os_disk=f"{base}-VM-OsDisk",
            data_disk=f"{base}-VM-DataDisk",
            vault=f"{base}-RSV",
        )


@dataclass(frozen=True)
class NetworkSpec:
    ipv4_space: str = "10.0.0.0/16"
    ipv6_space: str = field(default_factory=random_ula_48)
    subnet_ipv4: str = ""  # "" = the first /24 of ipv4_space
    subnet_ipv6: str = ""  # "" = the first /64 of ipv6_space

    def resolved(self) -> NetworkSpec:
        return replace(
            self,
            subnet_ipv4=self.subnet_ipv4 or default_subnet(self.ipv4_space, 24),
            subnet_ipv6=self.subnet_ipv6 or default_subnet(self.ipv6_space, 64),
        )


@dataclass(frozen=True)
class PublicIpSpec:
    sku: str = "Standard"
    allocation: str = "Static"
    zones: tuple[str, ...] = ("1", "2", "3")  # zone-redundant where the region has zones
    routing_preference: RoutingPreference = "Microsoft"
    idle_timeout_minutes: int = 4


@dataclass(frozen=True)
class NatGatewaySpec:
    enabled: bool = False
    sku: str = "Standard"
    idle_timeout_minutes: int = 10  # the notes: "TCP idle timeout 10 minutes"
    zones: tuple[str, ...] = ()  # Standard NAT gateway: zonal or no zone, never zone-redundant


@dataclass(frozen=True)
class DiskSpec:
    size_gb: int | None = None  # None = the image's size (OS disk)
    sku: str = "StandardSSD_LRS"  # the notes: "standard SSD unless you need high IOPS"
    delete_with_vm: bool = True


@dataclass(frozen=True)
class BackupSpec:
    enabled: bool = False
    policy: Literal["auto", "Standard", "Enhanced"] = "auto"  # auto: Enhanced for Trusted Launch


@dataclass(frozen=True)
class VmSpec:
    base_name: str = "Yolo"
    location: str = "norwayeast"
    names: VmNames = field(default_factory=lambda: VmNames.derive("Yolo"))
    use_existing_group: bool = False
    network: NetworkSpec = field(default_factory=NetworkSpec)
    public_ip: PublicIpSpec = field(default_factory=PublicIpSpec)
    nat_gateway: NatGatewaySpec = field(default_factory=NatGatewaySpec)
    purpose: Purpose = "web"
    nsg_rules: tuple[NsgRule, ...] = field(default_factory=lambda: rules_for_purpose("web"))
    image: ImageRef = field(default_factory=lambda: IMAGES["debian-12"])
    size: str = "Standard_B2s"
    zone: str | None = None  # the notes: "don't require infrastructure redundancy"
    security_type: SecurityType = "TrustedLaunch"
    admin_username: str = "azureuser"
    ssh_public_key: str = ""
    os_disk: DiskSpec = field(default_factory=DiskSpec)
    data_disk: DiskSpec | None = None
    nic_delete_with_vm: bool = True  # the notes: delete the NIC with the VM ...
    public_ip_delete_with_vm: bool = False  # ... but keep the public IPs (they are in DNS)
    accelerated_networking: bool = False
    backup: BackupSpec = field(default_factory=BackupSpec)
    custom_data: str = ""  # cloud-init
    extra_tags: tuple[tuple[str, str], ...] = ()
    # Azure Spot (https://learn.microsoft.com/azure/virtual-machines/spot-vms): spare capacity at a discount,
    # evicted when Azure needs it back; max_price in USD per hour, -1 = up to the pay-as-you-go price
    priority: Literal["Regular", "Spot"] = "Regular"
    eviction_policy: Literal["Deallocate", "Delete"] = "Deallocate"
    max_price: float = -1.0

    @classmethod
    def for_base(cls, base: str, **changes: object) -> VmSpec:
        """A spec whose every resource name derives from ``base``."""
        spec = cls(base_name=base, names=VmNames.derive(base))
        return replace(spec, **changes) if changes else spec  # type: ignore[arg-type]

    def with_(self, **changes: object) -> VmSpec:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def backup_policy(self) -> Literal["Standard", "Enhanced"]:
        if self.backup.policy != "auto":
            return self.backup.policy
        return "Enhanced" if self.security_type == "TrustedLaunch" else "Standard"

    def for_region(self, location: str, has_zones: bool | None) -> VmSpec:
        """The spec moved to ``location``: zone-redundant public IPs where the region has zones, none (and no
        VM zone) where it has none; unknown zone support leaves the zones as they are."""
        spec = replace(self, location=location)
        if has_zones is None:
            return spec
        spec = replace(spec, public_ip=replace(spec.public_ip, zones=("1", "2", "3") if has_zones else ()))
        return spec if has_zones else replace(spec, zone=None)
