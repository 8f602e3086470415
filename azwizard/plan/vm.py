"""The VM journey's plan: the notes' resources as ARM requests, in dependency order.

    resource group ─┬─ NSG ──────────────┐
                    ├─ public IPv4 ──────┤
                    ├─ public IPv6 ──────┤
                    ├─ (NAT public IP ─ NAT gateway) ─┤
                    │                    VNet + subnet (NSG, NAT on the subnet) ─ NIC ─ VM ─ (backup)
                    └─ (Recovery Services vault) ─────────────────────────────────────────┘

Bodies are wire JSON for the SDK's default api-versions (each installed mgmt client's own, pinned in pyproject.toml). Sources:
dual-stack VM https://learn.microsoft.com/azure/virtual-network/ip-services/create-vm-dual-stack-ipv6-cli ;
public IP https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses ;
NAT gateway https://learn.microsoft.com/azure/nat-gateway/nat-overview ;
delete options https://learn.microsoft.com/azure/virtual-machines/delete .
"""

from __future__ import annotations

import base64
from typing import Any

from ..specs.common import azwizard_tags
from ..specs.vm import VmSpec
from ..sshkeys import withhold_private_key
from .model import Plan, Step

NETWORK_API = "2026-03-01"
COMPUTE_API = "2026-04-01"
RESOURCES_API = "2025-04-01"
RECOVERY_API = "2026-11-01"
BACKUP_API = "2026-10-01"


def _rid(sub: str, rg: str, kind: str, name: str) -> str:
    ns, _, rtype = kind.partition("/")
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{rtype}/{name}"


def nsg_rule_body(rule: Any) -> dict[str, Any]:
    ports = list(rule.destination_ports)
    props: dict[str, Any] = {
        "priority": rule.priority,
        "direction": rule.direction,
        "access": rule.access,
        "protocol": rule.protocol,
        "sourceAddressPrefix": rule.source,
        "sourcePortRange": "*",
        "destinationAddressPrefix": "*",
    }
    if len(ports) == 1:
        props["destinationPortRange"] = ports[0]
    else:
        props["destinationPortRanges"] = ports
    if rule.description:
        props["description"] = rule.description
    return {"name": rule.name, "properties": props}


def public_ip_body(spec: VmSpec, version: str, tags: dict[str, str], zones: tuple[str, ...]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "publicIPAllocationMethod": spec.public_ip.allocation,
        "publicIPAddressVersion": version,
        "idleTimeoutInMinutes": spec.public_ip.idle_timeout_minutes,
    }
    if spec.public_ip.routing_preference == "Internet":
        # Routing preference "Internet" is an ipTag; "Microsoft network" is the default (no tag).
        props["ipTags"] = [{"ipTagType": "RoutingPreference", "tag": "Internet"}]
    body: dict[str, Any] = {
        "location": spec.location,
        "tags": tags,
        "sku": {"name": spec.public_ip.sku, "tier": "Regional"},
        "properties": props,
    }
    if zones:
        body["zones"] = list(zones)
    return body


def plan_vm(spec: VmSpec, *, subscription_id: str, run_id: str, created_at: str) -> Plan:
    sub, loc, n = subscription_id, spec.location, spec.names
    rg = n.resource_group
    tags = azwizard_tags(run_id, "vm", created_at, dict(spec.extra_tags))
    net = spec.network.resolved()
    steps: list[Step] = []

    def add(key: str, kind: str, name: str, body: dict[str, Any], deps: tuple[str, ...], label: str,
            summary: tuple[tuple[str, str], ...], api: str) -> str:
        rid = _rid(sub, rg, kind, name) if kind != "Microsoft.Resources/resourceGroups" else (
            f"/subscriptions/{sub}/resourceGroups/{rg}")
        steps.append(Step(key, kind, name, rid, body, deps, label, summary, api))
        return rid

    root: tuple[str, ...] = ()
    if not spec.use_existing_group:
        add("rg", "Microsoft.Resources/resourceGroups", rg, {"location": loc, "tags": tags}, (),
            f"Resource group {rg}", (("location", loc),), RESOURCES_API)
        root = ("rg",)

    nsg_id = add(
        "nsg", "Microsoft.Network/networkSecurityGroups", n.nsg,
        {"location": loc, "tags": tags,
         "properties": {"securityRules": [nsg_rule_body(r) for r in spec.nsg_rules]}},
        root, f"Network security group {n.nsg}",
        tuple((r.name, f"{r.direction} {r.access} {r.protocol} {','.join(r.destination_ports)} from {r.source} "
               f"(priority {r.priority})") for r in spec.nsg_rules) + (("associated with", f"subnet {n.subnet}"),),
        NETWORK_API,
    )
    zones = spec.public_ip.zones
    zone_text = "zone-redundant (1, 2, 3)" if set(zones) == {"1", "2", "3"} else (
        f"zone {', '.join(zones)}" if zones else "no zone (region without availability zones)")
    pip4_id = add(
        "pip4", "Microsoft.Network/publicIPAddresses", n.public_ipv4, public_ip_body(spec, "IPv4", tags, zones),
        root, f"Public IPv4 address {n.public_ipv4}",
        (("sku", f"{spec.public_ip.sku}, {spec.public_ip.allocation}"), ("zones", zone_text),
         ("routing preference", f"{spec.public_ip.routing_preference} network")),
        NETWORK_API,
    )
    pip6_id = add(
        "pip6", "Microsoft.Network/publicIPAddresses", n.public_ipv6, public_ip_body(spec, "IPv6", tags, zones),
        root, f"Public IPv6 address {n.public_ipv6}",
        (("sku", f"{spec.public_ip.sku}, {spec.public_ip.allocation}"), ("zones", zone_text)),
        NETWORK_API,
    )
    subnet_props: dict[str, Any] = {
        "addressPrefixes": [net.subnet_ipv4, net.subnet_ipv6],  # IPv4 first (Azure/azure-cli#15213)
        "networkSecurityGroup": {"id": nsg_id},
    }
    vnet_deps = (*root, "nsg")
    if spec.nat_gateway.enabled:
        nat_pip_id = add(
            "natpip", "Microsoft.Network/publicIPAddresses", n.nat_public_ipv4,
            public_ip_body(spec, "IPv4", tags, spec.nat_gateway.zones), root,
            f"NAT gateway public IPv4 {n.nat_public_ipv4}", (("sku", "Standard, Static"),), NETWORK_API,
        )
        nat_body: dict[str, Any] = {
            "location": loc, "tags": tags, "sku": {"name": spec.nat_gateway.sku},
            "properties": {"idleTimeoutInMinutes": spec.nat_gateway.idle_timeout_minutes,
                           "publicIpAddresses": [{"id": nat_pip_id}]},
        }
        if spec.nat_gateway.zones:
            nat_body["zones"] = list(spec.nat_gateway.zones)
        nat_id = add(
            "nat", "Microsoft.Network/natGateways", n.nat_gateway, nat_body, (*root, "natpip"),
            f"NAT gateway {n.nat_gateway}",
            (("TCP idle timeout", f"{spec.nat_gateway.idle_timeout_minutes} min"), ("outbound", "IPv4 only")),
            NETWORK_API,
        )
        subnet_props["natGateway"] = {"id": nat_id}
        vnet_deps = (*vnet_deps, "nat")
    vnet_id = add(
        "vnet", "Microsoft.Network/virtualNetworks", n.vnet,
        {"location": loc, "tags": tags,
         "properties": {"addressSpace": {"addressPrefixes": [net.ipv4_space, net.ipv6_space]},
                        "subnets": [{"name": n.subnet, "properties": subnet_props}]}},
        vnet_deps, f"Virtual network {n.vnet}",
        (("address space", f"{net.ipv4_space}, {net.ipv6_space}"),
         (f"subnet {n.subnet}", f"{net.subnet_ipv4}, {net.subnet_ipv6}")),
        NETWORK_API,
    )
    subnet_id = f"{vnet_id}/subnets/{n.subnet}"
    nic_id = add(
        "nic", "Microsoft.Network/networkInterfaces", n.nic,
        {"location": loc, "tags": tags,
         "properties": {
             "enableAcceleratedNetworking": spec.accelerated_networking,
             "ipConfigurations": [
                 {"name": "ipconfig1", "properties": {
                     "primary": True, "privateIPAddressVersion": "IPv4", "privateIPAllocationMethod": "Dynamic",
                     "subnet": {"id": subnet_id}, "publicIPAddress": {"id": pip4_id}}},
                 {"name": "ipconfig2", "properties": {
                     "primary": False, "privateIPAddressVersion": "IPv6", "privateIPAllocationMethod": "Dynamic",
                     "subnet": {"id": subnet_id}, "publicIPAddress": {"id": pip6_id}}},
             ]}},
        ("vnet", "pip4", "pip6"), f"Network interface {n.nic}",
        (("ipconfig1", f"IPv4, primary, {n.public_ipv4}"), ("ipconfig2", f"IPv6, {n.public_ipv6}"),
         ("NSG", "none on the NIC (the subnet's NSG applies)")),
        NETWORK_API,
    )
    add("vm", "Microsoft.Compute/virtualMachines", n.vm, vm_body(spec, tags, nic_id), ("nic",),
        f"Virtual machine {n.vm}",
        (("size", spec.size), ("image", spec.image.label or spec.image.urn),
         ("zone", spec.zone or "none (no infrastructure redundancy)"), ("security", spec.security_type),
         ("admin", f"{spec.admin_username} (SSH key only)"),
         ("OS disk", f"{spec.os_disk.sku}, {'deleted' if spec.os_disk.delete_with_vm else 'kept'} with the VM"),
         *((("data disk", f"{n.data_disk}: {spec.data_disk.size_gb or 64} GiB {spec.data_disk.sku}, "
                           f"{'deleted' if spec.data_disk.delete_with_vm else 'kept'} with the VM"),)
           if spec.data_disk is not None else ()),
         ("NIC", f"{'deleted' if spec.nic_delete_with_vm else 'kept'} with the VM; public IPs kept")),
        COMPUTE_API)
    if spec.backup.enabled:
        vault_id = add(
            "vault", "Microsoft.RecoveryServices/vaults", n.vault,
            {"location": loc, "tags": tags, "sku": {"name": "RS0", "tier": "Standard"},
             "properties": {"publicNetworkAccess": "Enabled"}},
            root, f"Recovery Services vault {n.vault}",
            (("soft delete", "14 days: deleting backups later takes extra steps"),), RECOVERY_API,
        )
        policy = "EnhancedPolicy" if spec.backup_policy == "Enhanced" else "DefaultPolicy"
        container = f"IaasVMContainer;iaasvmcontainerv2;{rg};{n.vm}"
        item = f"VM;iaasvmcontainerv2;{rg};{n.vm}"
        vm_id = _rid(sub, rg, "Microsoft.Compute/virtualMachines", n.vm)
        steps.append(Step(
            "backup", "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
            item,
            f"{vault_id}/backupFabrics/Azure/protectionContainers/{container}/protectedItems/{item}",
            {"properties": {"protectedItemType": "Microsoft.Compute/virtualMachines", "sourceResourceId": vm_id,
                            "policyId": f"{vault_id}/backupPolicies/{policy}"}},
            ("vm", "vault"), f"Backup of {n.vm}", (("policy", f"{policy} ({spec.backup_policy})"),), BACKUP_API,
        ))
    return Plan("vm", run_id, sub, loc, tuple(steps))


def vm_body(spec: VmSpec, tags: dict[str, str], nic_id: str) -> dict[str, Any]:
    n = spec.names
    os_disk: dict[str, Any] = {
        "name": n.os_disk,
        "createOption": "FromImage",
        "caching": "ReadWrite",
        "managedDisk": {"storageAccountType": spec.os_disk.sku},
        "deleteOption": "Delete" if spec.os_disk.delete_with_vm else "Detach",
    }
    if spec.os_disk.size_gb:
        os_disk["diskSizeGB"] = spec.os_disk.size_gb
    storage: dict[str, Any] = {
        "imageReference": {"publisher": spec.image.publisher, "offer": spec.image.offer, "sku": spec.image.sku,
                           "version": spec.image.version},
        "osDisk": os_disk,
    }
    if spec.data_disk is not None:
        storage["dataDisks"] = [{
            "lun": 0, "name": n.data_disk, "createOption": "Empty", "diskSizeGB": spec.data_disk.size_gb or 64,
            "managedDisk": {"storageAccountType": spec.data_disk.sku},
            "deleteOption": "Delete" if spec.data_disk.delete_with_vm else "Detach",
        }]
    os_profile: dict[str, Any] = {
        "computerName": n.vm,
        "adminUsername": spec.admin_username,
        "linuxConfiguration": {
            "disablePasswordAuthentication": True,
            "ssh": {"publicKeys": [{"path": f"/home/{spec.admin_username}/.ssh/authorized_keys",
                                    "keyData": withhold_private_key(spec.ssh_public_key)}]},
        },
    }
    if spec.custom_data:
        os_profile["customData"] = base64.b64encode(spec.custom_data.encode()).decode()
    props: dict[str, Any] = {
        "hardwareProfile": {"vmSize": spec.size},
        "storageProfile": storage,
        "osProfile": os_profile,
        "networkProfile": {"networkInterfaces": [{
            "id": nic_id,
            "properties": {"primary": True, "deleteOption": "Delete" if spec.nic_delete_with_vm else "Detach"},
        }]},
        "diagnosticsProfile": {"bootDiagnostics": {"enabled": True}},
    }
    if spec.security_type == "TrustedLaunch":
        props["securityProfile"] = {"securityType": "TrustedLaunch",
                                    "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}}
    if spec.priority == "Spot":  # api-version 2019-03-01 and later (VirtualMachineProperties.priority)
        props["priority"] = "Spot"
        props["evictionPolicy"] = spec.eviction_policy
        props["billingProfile"] = {"maxPrice": spec.max_price}
    body: dict[str, Any] = {"location": spec.location, "tags": tags, "properties": props}
    if spec.zone:
        body["zones"] = [spec.zone]
    return body
