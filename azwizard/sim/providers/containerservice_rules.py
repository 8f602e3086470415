"""Microsoft.ContainerService: the AKS resource provider's validation of a managed cluster / agent pool.

Each rule raises :class:`AksError` with the code (and, where known, the message) the real AKS RP
answers. The comment beside each rule names where the wording comes from; where no verbatim message
was found, the code comes from the AKS RP's error-code list (its Go ``apierror`` package) and the
message is written in the same style and marked *composed*.

Only what the server really rejects is rejected here: checks that only ``az`` does client-side (for
example host bits in ``--api-server-authorized-ip-ranges``) are not repeated.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..catalog import kubernetes as catalog_k8s
from ..catalog import quotas as catalog_quotas
from ..catalog import skus as catalog_skus
from ..wire import ArmError, ArmRequest

if TYPE_CHECKING:
    from ..core import ArmSim

NAMING = "Please see https://aka.ms/aks-naming-rules for more details."
VERSIONS = ("Please use [az aks get-versions] command to get the supported version list in this region. "
            "For more information, please check https://aka.ms/supported-version-list")


class AksError(ArmError):
    """An AKS RP error: ARM's error object plus the ``subcode`` field the AKS RP adds to some answers
    (e.g. ``CiliumDataplaneRequiresNetworkPolicyCilium``, seen in Azure/bicep-registry-modules#3361)."""

    def __init__(self, status: int, code: str, message: str, *, target: str | None = None,
                 subcode: str | None = None) -> None:
        super().__init__(status, code, message, target=target)
        self.subcode = subcode

    def error_object(self) -> dict[str, Any]:
        err = super().error_object()
        if self.subcode is not None:
            err["subcode"] = self.subcode
        return err


def bad(code: str, message: str, target: str | None = None, subcode: str | None = None) -> AksError:
    return AksError(400, code, message, target=target, subcode=subcode)


# ---------------------------------------------------------------- request body shape


def reject_snake_case(req: ArmRequest, obj: Any, type_name: str, path: str) -> None:
    """Wire bodies are camelCase; a snake_case member (a plain dict sent through the SDK as-is) is
    refused the way ARM's Newtonsoft deserializer words it."""
    if not isinstance(obj, dict):
        return
    for key in obj:
        if "_" in key:
            raw = req.body.decode("utf-8", "replace") if isinstance(req.body, bytes) else str(req.body)
            at = raw.find(json.dumps(key))
            position = at + len(key) + 2 if at >= 0 else 0
            raise ArmError(
                400, "InvalidRequestContent",
                "The request content was invalid and could not be deserialized: "
                f"'Could not find member '{key}' on object of type '{type_name}'. "
                f"Path '{path}.{key}', line 1, position {position}.'.",
            )


def check_cluster_body_shape(req: ArmRequest, body: dict[str, Any]) -> None:
    props = body.get("properties") or {}
    reject_snake_case(req, props, "ManagedClusterProperties", "properties")
    for i, pool in enumerate(props.get("agentPoolProfiles") or []):
        reject_snake_case(req, pool, "ManagedClusterAgentPoolProfile", f"properties.agentPoolProfiles[{i}]")
    reject_snake_case(req, props.get("networkProfile"), "ContainerServiceNetworkProfile",
                      "properties.networkProfile")
    reject_snake_case(req, props.get("apiServerAccessProfile"), "ManagedClusterAPIServerAccessProfile",
                      "properties.apiServerAccessProfile")
    reject_snake_case(req, props.get("linuxProfile"), "ContainerServiceLinuxProfile", "properties.linuxProfile")


# ---------------------------------------------------------------- names

_CLUSTER_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$")
_DNS_PREFIX = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,52}[A-Za-z0-9])?$")
_POOL_NAME = re.compile(r"^[a-z][a-z0-9]*$")


def check_cluster_name(name: str) -> None:
    """Rule 9: 1-63 chars, alphanumerics, '_' and '-', starting and ending alphanumeric.
    Wording: MicrosoftDocs/SupportArticles-docs support/azure/azure-kubernetes/error-codes/invalidparameter-error.md
    ("The value of parameter name is invalid. Error details: ... Please see https://aka.ms/aks-naming-rules")."""
    if _CLUSTER_NAME.match(name):
        return
    raise bad("InvalidParameter",
              f'The value of parameter name is invalid. Error details: "{name}" managed cluster name is invalid '
              "because it must contain between 1 and 63 characters, only letters, numbers, underscores and "
              f"hyphens, and must start and end with a letter or a number.. {NAMING}", target="name")


def check_dns_prefix(prefix: Any) -> None:
    """Rule 11: 1-54 chars, alphanumerics and '-', starting and ending alphanumeric.
    Wording for the empty case verbatim from pulumi/pulumi-azure-native#571; the character rule is composed
    in the same shape."""
    text = prefix if isinstance(prefix, str) else ""
    if _DNS_PREFIX.match(text):
        return
    if not 1 <= len(text) <= 54:
        detail = f"DNS prefix '{text}' is invalid. DNS prefix must contain between 1 and 54 characters."
    else:
        detail = (f"DNS prefix '{text}' is invalid. DNS prefix must start and end with a letter or a number "
                  "and contain only letters, numbers and hyphens.")
    raise bad("InvalidParameter", f"The value of parameter dnsPrefix is invalid. Error details: {detail} {NAMING}. "
              f"{NAMING}", target="dnsPrefix")


def check_node_resource_group_name(node_rg: str) -> None:
    """Rule 10; verbatim from rancher/rancher#21264 and Azure-Terraform/terraform-azurerm-kubernetes#33."""
    if len(node_rg) > 80:
        raise bad("InvalidParameter",
                  "The length of the node resource group name is too long. The maximum length is 80 and the "
                  f"length of the value provided is {len(node_rg)}. {NAMING}", target="name")


def check_pool_name(name: Any, os_type: str) -> None:
    """Rule 12: lowercase alphanumerics starting with a letter, <= 12 (Linux) / <= 6 (Windows).
    Verbatim from kubernetes-sigs/cluster-api-provider-azure#3968 (Target agentPoolProfile.name)."""
    limit = 6 if os_type == "Windows" else 12
    if isinstance(name, str) and _POOL_NAME.match(name) and len(name) <= limit:
        return
    raise bad("InvalidParameter",
              f"The value of parameter agentPoolProfile.name is invalid. {NAMING}", target="agentPoolProfile.name")


# ---------------------------------------------------------------- kubernetes versions


def resolve_cluster_version(location: str, cluster: str, requested: str, sku_tier: str,
                            support_plan: str) -> str:
    """The full patch version for ``kubernetesVersion`` (``""`` = the region's default).

    - not offered: K8sVersionNotSupported, wording from pulumi/pulumi-azure-native#3550 and
      Azure/bicep-registry-modules#4647 ("Managed cluster X is on version Y which is not supported in this
      region. Please use [az aks get-versions] ...") — https://github.com/pulumi/pulumi-azure-native/pull/3550 and https://github.com/Azure/Microsoft-Defender-for-Cloud/issues/923;
    - LTS-only without Premium + AKSLongTermSupport: K8sVersionNotSupported, verbatim from
      Azure/secrets-store-csi-driver-provider-azure#1713 and kubernetes-sigs/cluster-api-provider-azure#5953.
    """
    wanted = requested or catalog_k8s.default_version(location)
    full = catalog_k8s.resolve_version(location, wanted)
    if full is None:
        raise bad("K8sVersionNotSupported",
                  f"Managed cluster {cluster} is on version {wanted} which is not supported in this region. "
                  f"{VERSIONS}", target="kubernetesVersion")
    lts_ok = sku_tier.lower() == "premium" and support_plan == "AKSLongTermSupport"
    if catalog_k8s.is_lts_only(location, full) and not lts_ok:
        raise bad("K8sVersionNotSupported",
                  f"Managed cluster {cluster} is on version {full}, which is only available for Long-Term Support "
                  "(LTS). If you intend to onboard to LTS, please ensure the cluster is in Premium tier and LTS "
                  "support plan (see https://aka.ms/aks/enable-lts). Otherwise, use [az aks get-versions] command "
                  "to get the supported version list in this region. For more information, please check "
                  "https://aka.ms/supported-version-list", target="kubernetesVersion")
    return full


def resolve_pool_version(location: str, requested: str, cluster_full: str) -> str:
    """An agent pool's ``orchestratorVersion`` (``""`` = the control plane's).
    Verbatim from https://github.com/dspace-group/simphera-reference-architecture-azure/issues/29."""
    if not requested:
        return cluster_full
    full = catalog_k8s.resolve_version(location, requested)
    if full is None:
        raise bad("AgentPoolK8sVersionNotSupported",
                  f"Version {requested} is not supported in this region. {VERSIONS}")
    return full


def minor(version: str) -> tuple[int, int]:
    parts = version.split(".")
    return int(parts[0]), int(parts[1])


# ---------------------------------------------------------------- API server authorized IP ranges


def normalize_authorized_ranges(ranges: Any) -> list[str]:
    """Server-side checks of ``apiServerAccessProfile.authorizedIPRanges`` (rule 67); plain addresses come
    back as ``/32`` (Azure/AKS#4085 shows the RP's normalised list).

    Host bits and private ranges are only rejected by ``az`` client-side (https://github.com/Azure/azure-cli-extensions/issues/675), so they pass.
    """
    if not ranges:
        return []
    target = "apiServerAccessProfile.authorizedIPRanges"
    if len(ranges) > 200:
        # Verbatim from neumanndaniel/terraform#1 (https://github.com/neumanndaniel/terraform/issues/1).
        raise bad("InvalidParameter",
                  "The number of APIServer Authorized IP Ranges is greater than the allowed value 200.", target)
    out: list[str] = []
    for raw in ranges:
        text = str(raw).strip()
        try:
            net = ipaddress.ip_network(text, strict=False)
        except ValueError:
            # composed: the RP refuses anything that is not an IPv4 address or CIDR.
            raise bad("InvalidParameter",
                      f"The value of parameter apiServerAccessProfile.authorizedIPRanges is invalid. Error details: "
                      f"'{text}' is not a valid IPv4 address or CIDR. Refer to https://aka.ms/aks/auth-ip-ranges "
                      "for more details", target) from None
        if net.version == 6:
            # composed: authorized IP ranges are IPv4-only (api-server-authorized-ip-ranges.md limitations).
            raise bad("InvalidParameter",
                      f"The value of parameter apiServerAccessProfile.authorizedIPRanges is invalid. Error details: "
                      f"'{text}' is an IPv6 range; only IPv4 ranges are supported. Refer to "
                      "https://aka.ms/aks/auth-ip-ranges for more details", target)
        out.append(text if "/" in text else f"{text}/32")
    if "0.0.0.0/32" in out and len(out) > 1:
        # Verbatim from Azure/terraform-azurerm-aks#378 (https://github.com/Azure/terraform-azurerm-aks/issues/378).
        raise bad("InvalidParameter",
                  "Setting apiServerAuthorizedIPRange to 0.0.0.0/32 is not allowed with other IP ranges. Refer to "
                  "https://aka.ms/aks/auth-ip-ranges for more details", target)
    return out


# ---------------------------------------------------------------- VM sizes, ephemeral OS disks, quota


def vm_sku(location: str, size: str) -> dict[str, Any] | None:
    return catalog_skus.vm_sku(location, size)


def capability_int(sku: dict[str, Any], name: str, default: float = 0) -> float:
    value = catalog_skus.capability(sku, name)
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _restricted_here(sku: dict[str, Any], location: str) -> bool:
    """A ``Location`` restriction: the size cannot be used in this region by this subscription."""
    return catalog_skus.location_restricted(sku)


def available_sizes(location: str) -> list[str]:
    return [s["name"] for s in catalog_skus.resource_skus(location)
            if s.get("resourceType") == "virtualMachines" and not _restricted_here(s, location)]


def check_vm_size(location: str, pool: str, size: str, mode: str) -> dict[str, Any]:
    """The pool's VM size must exist in the region, be open to the subscription, and be big enough.

    - unknown in the region: InvalidParameter, verbatim shape from SupportArticles-docs invalidparameter-error.md;
    - Location restriction: BadRequest, verbatim from dotnet/core#8000 ("The VM size of AgentPoolProfile:…");
    - system pool under 2 vCPU / 2 GB: SystemPoolSkuTooLow, verbatim from MicrosoftDocs/azure-dev-docs#213
      (the message says "4GB", but MicrosoftDocs/azure-docs#121181 (2024) shows 2 vCPU / 2 GB system pools
      being accepted, so only what is certainly refused is refused); B-series is only discouraged, not refused;
    - any pool under 2 vCPU: BadRequest, verbatim from Azure/azure-rest-api-specs#7153.
    """
    sku = vm_sku(location, size)
    if sku is None:
        listing = ", ".join(available_sizes(location))
        raise bad("InvalidParameter",
                  f"The requested VM size {size} is not available in the current region. The sizes available in "
                  f"the current region are: {listing}.\r\nFind out more on the available VM sizes in each region at "
                  "https://aka.ms/azureregions.", target="vmSize")
    if _restricted_here(sku, location):
        raise bad("BadRequest",
                  f"The VM size of AgentPoolProfile:{pool} is not allowed in your subscription in location "
                  f"'{location}'.  For more details, please visit https://aka.ms/aks/quotas-skus-regions")
    vcpus = capability_int(sku, "vCPUs")
    memory = capability_int(sku, "MemoryGB")
    if mode == "System" and (vcpus < 2 or memory < 2):
        raise bad("SystemPoolSkuTooLow",
                  f"System node pool must use VM sku with more than 2 cores and 4GB memory. Nodepool name: {pool}.")
    if vcpus < 2:
        raise bad("BadRequest",
                  f"The VM SKU chosen for this cluster `{sku['name']}` does not have enough CPU/memory to run as an "
                  "AKS node. Please see https://aka.ms/aks/restricted-skus for more details.")
    return sku


def ephemeral_capacity_bytes(sku: dict[str, Any]) -> int:
    """Where an ephemeral OS disk can live: the cache, else the temp (resource) disk (rule 42)."""
    cache = int(capability_int(sku, "CachedDiskBytes"))
    temp = int(capability_int(sku, "MaxResourceVolumeMB")) * 1024 * 1024
    return max(cache, temp)


def supports_ephemeral(sku: dict[str, Any]) -> bool:
    return (catalog_skus.capability(sku, "EphemeralOSDiskSupported") or "").lower() == "true"


def check_ephemeral(sku: dict[str, Any], os_disk_gb: int) -> None:
    """https://github.com/Azure/AKS/issues/2694 (VMSizeDoesNotSupportEphemeralOS) and https://github.com/Azure/AKS/issues/2672 / https://github.com/rancher/rancher/issues/33679
    (VMCacheSizeTooSmall, Azure/AKS#2672 and rancher/rancher#33679), both verbatim."""
    name = sku["name"]
    if not supports_ephemeral(sku):
        raise bad("VMSizeDoesNotSupportEphemeralOS", f"The Virtual Machine size {name} does not support Ephemeral OS disk.")
    capacity = ephemeral_capacity_bytes(sku)
    need = os_disk_gb * 1024 ** 3
    if capacity < need:
        raise bad("VMCacheSizeTooSmall",
                  f"The virtual machine size {name} has a cache size of {capacity} bytes, but the OS disk requires "
                  f"{need} bytes. Use a VM size with larger cache or disable ephemeral OS.")


def cores_in_use(sim: ArmSim, location: str, *, exclude_prefix: str | None = None) -> dict[str, int]:
    """vCPUs in use in a region per quota name ("cores" and each family), counted as the compute
    provider's usages count them (VMs and scale sets)."""
    from .compute_checks import usage_in

    used = usage_in(sim, location, exclude_prefix=exclude_prefix)
    used.pop("virtualMachines", None)
    return used


def check_quota(sim: ArmSim, location: str, cluster: str, node_rg: str,
                demand: Iterable[tuple[dict[str, Any], int]], *, exclude_prefix: str | None = None) -> None:
    """Rule 18: node count x vCPUs against the family quota, then the regional total.
    Wording verbatim from cilium/cilium#31859 (family) and mspnp/aks-baseline#377 (Total Regional Cores)."""
    need: dict[str, int] = {}
    for sku, count in demand:
        n = int(capability_int(sku, "vCPUs")) * count
        need["cores"] = need.get("cores", 0) + n
        if sku.get("family"):
            need[sku["family"]] = need.get(sku["family"], 0) + n
    limits = catalog_quotas.compute_quota_limits(location)
    used = cores_in_use(sim, location, exclude_prefix=exclude_prefix)
    order = sorted((k for k in need if k != "cores"), key=str.lower) + ["cores"]
    for key in order:
        if key not in limits:
            continue
        limit = int(limits[key][0])
        current, extra = used.get(key, 0), need[key]
        if current + extra <= limit:
            continue
        label, doc = (("Total Regional Cores", "regional-quota-requests") if key == "cores"
                      else (f"{key} Cores", "per-vm-quota-requests"))
        raise bad("QuotaExceeded",
                  f"Preflight validation check for resource(s) for container service {cluster} in resource group "
                  f"{node_rg} failed. Message: Operation could not be completed as it results in exceeding approved "
                  f"{label} quota. Additional details - Deployment Model: Resource Manager, Location: {location}, "
                  f"Current Limit: {limit}, Current Usage: {current}, Additional Required: {extra}, (Minimum) New "
                  f"Limit Required: {current + extra}. Submit a request for Quota increase at "
                  "https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView by "
                  "specifying parameters listed in the ‘Details’ section for deployment to succeed. Please read "
                  f"more about quota limits at https://docs.microsoft.com/en-us/azure/azure-supportability/{doc}.")


# ---------------------------------------------------------------- upgrades, private API server, add-ons (#24)

UPGRADE_CHANNELS = ("rapid", "stable", "patch", "node-image", "none")
NODE_OS_CHANNELS = ("None", "Unmanaged", "SecurityPatch", "NodeImage")
SSH_ACCESS = ("LocalUser", "Disabled")


def _enum(value: Any, allowed: tuple[str, ...], target: str) -> str:
    """An enum the RP matches without regard to case (ARM's modelAsString enums), answered in its spelling."""
    match = next((a for a in allowed if a.lower() == str(value).lower()), None)
    if match is None:
        # composed: the RP's wording for an enum value it does not know.
        raise bad("InvalidParameter", f"The value of parameter {target} is invalid: '{value}'. Allowed values are "
                  f"{', '.join(repr(a) for a in allowed)}.", target)
    return match


def check_operations(props: dict[str, Any]) -> dict[str, Any]:
    """The production/operations properties of a cluster PUT, validated, in the RP's spelling:
    autoUpgradeProfile (https://learn.microsoft.com/azure/aks/auto-upgrade-cluster; the node-image cluster
    channel drives node images itself, so the node OS channel can only be NodeImage with it:
    https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image#interactions-between-node-os-auto-upgrade-and-cluster-auto-upgrade),
    securityProfile.imageCleaner.intervalHours 24-2160 (https://learn.microsoft.com/azure/aks/image-cleaner),
    and the private API server (https://learn.microsoft.com/azure/aks/private-clusters): authorized IP ranges
    apply to a public API server only (api-server-authorized-ip-ranges.md; az: "--api-server-authorized-ip-ranges
    is not supported for private cluster"). Messages composed; codes are the RP's InvalidParameter / BadRequest."""
    out: dict[str, Any] = {}
    upgrade = dict(props.get("autoUpgradeProfile") or {})
    if upgrade.get("upgradeChannel") is not None:
        upgrade["upgradeChannel"] = _enum(upgrade["upgradeChannel"], UPGRADE_CHANNELS,
                                          "autoUpgradeProfile.upgradeChannel")
    if upgrade.get("nodeOSUpgradeChannel") is not None:
        upgrade["nodeOSUpgradeChannel"] = _enum(upgrade["nodeOSUpgradeChannel"], NODE_OS_CHANNELS,
                                                "autoUpgradeProfile.nodeOSUpgradeChannel")
    if upgrade.get("upgradeChannel") == "node-image" and upgrade.get("nodeOSUpgradeChannel") not in (None, "NodeImage"):
        raise bad("InvalidParameter", "The node-image auto-upgrade channel upgrades the node images itself: "
                  "autoUpgradeProfile.nodeOSUpgradeChannel must be NodeImage with it, not "
                  f"'{upgrade['nodeOSUpgradeChannel']}'.", "autoUpgradeProfile.nodeOSUpgradeChannel")
    # Answered with both channels: "none" and "NodeImage" when not sent (the API's defaults).
    out["autoUpgradeProfile"] = {**upgrade, "upgradeChannel": upgrade.get("upgradeChannel") or "none",
                                 "nodeOSUpgradeChannel": upgrade.get("nodeOSUpgradeChannel") or "NodeImage"}
    cleaner = ((props.get("securityProfile") or {}).get("imageCleaner") or {})
    if cleaner.get("enabled"):
        hours = cleaner.get("intervalHours", 168)
        if not isinstance(hours, int) or isinstance(hours, bool) or not 24 <= hours <= 2160:
            raise bad("InvalidParameter", f"The value of parameter securityProfile.imageCleaner.intervalHours is "
                      f"invalid: {hours}. It must be between 24 and 2160 (3 months).",
                      "securityProfile.imageCleaner.intervalHours")
    access = props.get("apiServerAccessProfile") or {}
    if access.get("enablePrivateCluster") and access.get("authorizedIPRanges"):
        raise bad("BadRequest", "API server authorized IP ranges are not supported for a private cluster: they "
                  "restrict the public API server endpoint, which a private cluster does not have.",
                  "apiServerAccessProfile.authorizedIPRanges")
    if not access.get("enablePrivateCluster") and access.get("enablePrivateClusterPublicFQDN") is False:
        raise bad("InvalidParameter", "enablePrivateClusterPublicFQDN can only be set for a private cluster "
                  "(enablePrivateCluster true).", "apiServerAccessProfile.enablePrivateClusterPublicFQDN")
    return out


def check_pool_ssh_access(pool: dict[str, Any]) -> None:
    """agentPoolProfiles[].securityProfile.sshAccess: LocalUser or Disabled (any case, answered in the API's
    spelling; https://learn.microsoft.com/azure/aks/manage-ssh-node-access)."""
    security = pool.get("securityProfile")
    if isinstance(security, dict) and security.get("sshAccess") is not None:
        security["sshAccess"] = _enum(security["sshAccess"], SSH_ACCESS, "agentPoolProfile.securityProfile.sshAccess")


# MaintenanceWindow (https://learn.microsoft.com/rest/api/aks/maintenance-configurations/create-or-update#maintenancewindow):
# durationHours 4-24 ("at least four hours", https://learn.microsoft.com/azure/aks/planned-maintenance), startTime
# HH:mm, utcOffset +/-HH:mm, startDate yyyy-MM-dd, exactly one schedule kind.
MAINTENANCE_CONFIG_NAMES = ("default", "aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule")
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_WEEK_INDEX = ("First", "Second", "Third", "Fourth", "Last")


def check_maintenance_configuration(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """A maintenance configuration PUT body validated; returns its properties in the RP's spelling."""
    config = next((n for n in MAINTENANCE_CONFIG_NAMES if n.lower() == name.lower()), None)
    if config is None:
        raise bad("InvalidParameter", f"The maintenance configuration name '{name}' is invalid: use default, "
                  "aksManagedAutoUpgradeSchedule or aksManagedNodeOSUpgradeSchedule.", "name")
    props = dict(body.get("properties") or {})
    window = props.get("maintenanceWindow")
    if config != "default" and not window:
        raise bad("InvalidParameter", f"The maintenance configuration {config} needs a maintenanceWindow.",
                  "properties.maintenanceWindow")
    if not window:
        return props
    window = dict(window)
    target = "properties.maintenanceWindow"
    duration = window.get("durationHours", 24)
    if not isinstance(duration, int) or isinstance(duration, bool) or not 4 <= duration <= 24:
        raise bad("InvalidParameter", f"The value of parameter {target}.durationHours is invalid: {duration}. The "
                  "maintenance window must last between 4 and 24 hours.", f"{target}.durationHours")
    window["durationHours"] = duration
    checks = (("startTime", r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "HH:mm"),
              ("utcOffset", r"^[+-]([01][0-9]|2[0-3]):[0-5][0-9]$", "+/-HH:mm"),
              ("startDate", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "yyyy-MM-dd"))
    for key, pattern, form in checks:
        if key in window and window[key] is not None and not re.match(pattern, str(window[key])):
            raise bad("InvalidParameter", f"The value of parameter {target}.{key} is invalid: '{window[key]}'. "
                      f"Use the form {form}.", f"{target}.{key}")
    if not window.get("startTime"):
        raise bad("InvalidParameter", f"Required parameter {target}.startTime is missing.", f"{target}.startTime")
    schedule = {k: v for k, v in (window.get("schedule") or {}).items() if v is not None}
    if len(schedule) != 1:
        raise bad("InvalidParameter", "Exactly one of schedule.daily, schedule.weekly, schedule.absoluteMonthly and "
                  "schedule.relativeMonthly must be given.", f"{target}.schedule")
    (kind, spec), = schedule.items()
    spec = dict(spec or {})
    interval = {"daily": ("intervalDays", 1, 7), "weekly": ("intervalWeeks", 1, 4),
                "absoluteMonthly": ("intervalMonths", 1, 6), "relativeMonthly": ("intervalMonths", 1, 6)}.get(kind)
    if interval is None:
        raise bad("InvalidParameter", f"Unknown schedule kind '{kind}'.", f"{target}.schedule")
    key, low, high = interval
    value = spec.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise bad("InvalidParameter", f"The value of parameter {target}.schedule.{kind}.{key} is invalid: {value}. "
                  f"It must be between {low} and {high}.", f"{target}.schedule.{kind}.{key}")
    if kind in ("weekly", "relativeMonthly"):
        spec["dayOfWeek"] = _enum(spec.get("dayOfWeek"), _DAYS, f"{target}.schedule.{kind}.dayOfWeek")
    if kind == "relativeMonthly":
        spec["weekIndex"] = _enum(spec.get("weekIndex"), _WEEK_INDEX, f"{target}.schedule.{kind}.weekIndex")
    if kind == "absoluteMonthly":
        day = spec.get("dayOfMonth")
        if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 31:
            raise bad("InvalidParameter", f"The value of parameter {target}.schedule.absoluteMonthly.dayOfMonth is "
                      f"invalid: {day}. It must be between 1 and 31.", f"{target}.schedule.absoluteMonthly.dayOfMonth")
    window["schedule"] = {kind: spec}
    props["maintenanceWindow"] = window
    return props
