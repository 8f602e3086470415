"""Which spec field a failed create is about, so "back to edit" opens the step and the widget that changes it.

Azure names the parameter in the error's ``target`` (``{"code": "InvalidParameter", "target": "adminUsername"}``,
https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md#error-response-content)
or in its message ("The value of parameter agentPoolProfile.name is invalid"); many codes name the setting by
themselves (``SkuNotAvailable`` is the size, ``K8sVersionNotSupported`` the Kubernetes version:
https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors). A name that
Azure refuses (``InvalidResourceName``) is the failed resource's own name field.
"""

from __future__ import annotations

import re

# ARM targets (and the parameter paths messages quote), lower-cased, -> spec field, per journey. A target is
# matched on its last dotted parts too ("properties.osProfile.adminUsername" -> "adminusername").
_TARGETS: dict[str, dict[str, str]] = {
    "vm": {
        "adminusername": "admin_username", "osprofile.adminusername": "admin_username",
        "computername": "names.vm", "osprofile.computername": "names.vm",
        "vmsize": "size", "hardwareprofile.vmsize": "size",
        "customdata": "custom_data", "osprofile.customdata": "custom_data",
        "keydata": "ssh_public_key", "publickeys": "ssh_public_key",
        "securitytype": "security_type", "securityprofile.securitytype": "security_type",
        "imagereference": "image", "storageprofile.imagereference": "image",
        "disksizegb": "os_disk.size_gb", "osdisk.disksizegb": "os_disk.size_gb",
        "storageaccounttype": "os_disk.sku", "zones": "zone",
        "addressprefixes": "network.ipv4_space", "addressprefix": "network.subnet_ipv4",
        "idletimeoutinminutes": "public_ip.idle_timeout_minutes", "priority": "nsg_rules",
        "securityrules": "nsg_rules", "enableacceleratednetworking": "accelerated_networking",
    },
    "aks": {
        "kubernetesversion": "kubernetes_version", "dnsprefix": "dns_prefix",
        "agentpoolprofile.name": "system_pool.name", "agentpoolprofiles.name": "system_pool.name",
        "agentpoolprofile.count": "system_pool.count", "agentpoolprofiles.count": "system_pool.count",
        "agentpoolprofile.vmsize": "system_pool.vm_size", "vmsize": "system_pool.vm_size",
        "agentpoolprofile.maxpods": "system_pool.max_pods", "maxpods": "system_pool.max_pods",
        "agentpoolprofile.osdisktype": "system_pool.os_disk_type", "osdisktype": "system_pool.os_disk_type",
        "availabilityzones": "system_pool.zones",
        "networkprofile.podcidr": "network.pod_cidrs", "networkprofile.podcidrs": "network.pod_cidrs",
        "podcidr": "network.pod_cidrs", "podcidrs": "network.pod_cidrs",
        "networkprofile.servicecidr": "network.service_cidrs", "networkprofile.servicecidrs": "network.service_cidrs",
        "servicecidr": "network.service_cidrs", "servicecidrs": "network.service_cidrs",
        "networkprofile.dnsserviceip": "network.dns_service_ip", "dnsserviceip": "network.dns_service_ip",
        "networkprofile.networkpolicy": "network.policy", "networkpolicy": "network.policy",
        "networkprofile.outboundtype": "network.outbound_type", "outboundtype": "network.outbound_type",
        "networkprofile.ipfamilies": "network.ip_families", "ipfamilies": "network.ip_families",
        "apiserveraccessprofile.authorizedipranges": "authorized_ip_ranges",
        "authorizedipranges": "authorized_ip_ranges", "linuxprofile.adminusername": "admin_username",
        "adminusername": "admin_username", "linuxprofile.ssh.publickeys": "ssh_public_key",
    },
}

# Error codes that name the setting by themselves, per journey.
_CODES: dict[str, dict[str, str]] = {
    "vm": {
        "SkuNotAvailable": "size", "QuotaExceeded": "size", "InsufficientVCPUQuota": "size",
        "OperationNotAllowedQuota": "size", "AllocationFailed": "size", "ZonalAllocationFailed": "zone",
        "PublicIPCountLimitReached": "public_ip.sku", "StandardSkuPublicIPAddressesMustBeStatic":
        "public_ip.allocation", "ZonesNotAllowedInBasicSkuResource": "public_ip.zones",
        "LocationNotAvailableForResourceType": "location", "InvalidResourceGroupLocation": "location",
        "InvalidAddressPrefix": "network.ipv4_space", "NetcfgInvalidSubnet": "network.subnet_ipv4",
        "SecurityRuleInvalidPriority": "nsg_rules", "SecurityRuleParameterContainsUnsupportedValue": "nsg_rules",
        "InvalidCustomData": "custom_data", "CustomDataTooLarge": "custom_data",
        "VMGenerationMismatch": "image", "BadRequestInvalidImageGeneration": "image",
        "ResourceGroupNotFound": "names.resource_group",
        # a lock on the group, a region the subscription may not use (issue 19 item 8: e went to the review)
        "ScopeLocked": "names.resource_group", "ResourceGroupLocked": "names.resource_group",
        "LocationNotAvailableForResourceGroup": "location",
    },
    "aks": {
        "SkuNotAvailable": "system_pool.vm_size", "QuotaExceeded": "system_pool.vm_size",
        "InsufficientVCPUQuota": "system_pool.vm_size", "ErrCode_InsufficientVCPUQuota": "system_pool.vm_size",
        "OperationNotAllowedQuota": "system_pool.vm_size",
        "K8sVersionNotSupported": "kubernetes_version", "AgentPoolK8sVersionNotSupported": "kubernetes_version",
        "VersionNotSupported": "kubernetes_version",
        "VMCacheSizeTooSmall": "system_pool.os_disk_type", "VMSizeDoesNotSupportEphemeralOS":
        "system_pool.os_disk_type", "AvailabilityZoneNotSupported": "system_pool.zones",
        "UnsupportedDualStackNetworkPolicy": "network.policy", "NetworkPolicyNotSupported": "network.policy",
        "InvalidNetworkingConfig": "network.pod_cidrs", "ServiceCidrOverlapExistingSubnetsCidr":
        "network.service_cidrs", "DnsPrefixInvalid": "dns_prefix", "LocationNotAvailableForResourceType": "location",
        "ResourceGroupNotFound": "resource_group", "InvalidResourceGroupLocation": "location",
        "RegistryNameNotAvailable": "acr.name", "AlreadyInUse": "acr.name",
        "ScopeLocked": "resource_group", "ResourceGroupLocked": "resource_group",
        "LocationNotAvailableForResourceGroup": "location",
    },
}

# A resource's own name field, for InvalidResourceName and friends: plan step key -> field.
_NAMES: dict[str, dict[str, str]] = {
    "vm": {"rg": "names.resource_group", "nsg": "names.nsg", "pip4": "names.public_ipv4",
           "pip6": "names.public_ipv6", "natpip": "names.nat_public_ipv4", "nat": "names.nat_gateway",
           "vnet": "names.vnet", "nic": "names.nic", "vm": "names.vm", "vault": "names.vault"},
    "aks": {"rg": "resource_group", "aks": "cluster_name", "acr": "acr.name"},
}
_NAME_CODES = frozenset({"InvalidResourceName", "InvalidName", "ResourceNameInvalid", "AccountNameInvalid"})

_PARAMETER = re.compile(r"parameter '?([A-Za-z][\w.\[\]]*?)'? (?:is|has|must|cannot|can)", re.I)


def _target_field(journey: str, target: str) -> str | None:
    table = _TARGETS.get(journey, {})
    parts = [re.sub(r"\[\d+\]", "", p) for p in target.lower().split(".") if p and p != "properties"]
    for n in range(len(parts)):
        hit = table.get(".".join(parts[n:]))
        if hit:
            return hit
    return None


def field_for_failure(journey: str, step_key: str, code: str | None, target: str = "",
                      message: str = "") -> str | None:
    """The spec field a failed step's error is about, or None when the error names no setting."""
    if target:
        hit = _target_field(journey, target)
        if hit:
            return hit
    if code in _NAME_CODES:
        return _NAMES.get(journey, {}).get(step_key)
    if code and code in _CODES.get(journey, {}):
        return _CODES[journey][code]
    match = _PARAMETER.search(message or "")
    if match:
        return _target_field(journey, match.group(1))
    return None
