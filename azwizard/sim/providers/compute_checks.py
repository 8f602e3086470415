"""The Compute RP's rejections of a virtual-machine PUT, each with Azure's real code and message.

Every rule cites where the code/message was seen. Order follows what Azure reports first for the
combinations we know about (e.g. a Gen1-only size with Trusted Launch gets the Trusted Launch
message, Azure/azure-cli#28005).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..catalog import locations as catalog_locations
from ..catalog import quotas as catalog_quotas
from ..catalog import skus as catalog_skus
from ..wire import ArmError
from . import compute_common as cc
from . import compute_disks as cdisks

if TYPE_CHECKING:
    from ..core import ArmSim


# ---------------------------------------------------------------- names and OS profile

# https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
# (Microsoft.Compute/virtualMachines: 1-64 for Linux). CRP reports a bad entity name with its
# validation rule, in the same form as for disks/galleries ("The entity name 'galleryName' is invalid
# according to its validation rule: ^[^_\W][\w-._]{0,79}(?<![-.])$.", Azure Compute Gallery
# troubleshooting docs); the 64-character variant of the rule is inferred from the name rules.
VM_NAME_RULE = r"^[^_\W][\w-._]{0,63}(?<![-.])$"  # .NET syntax, as quoted in the message
_VM_NAME = re.compile(r"^[^_\W][\w\-._]{0,63}(?<![-.])$")


def check_vm_name(name: str) -> None:
    if not _VM_NAME.match(name):
        raise cc.invalid_parameter(
            f"The entity name 'vmName' is invalid according to its validation rule: {VM_NAME_RULE}.", "vmName")


# https://github.com/hashicorp/terraform/issues/15913 and https://github.com/MicrosoftDocs/azure-docs/issues/5601: 400 InvalidParameter,
# target computerName. The Go/JSON renderings show "\\"; the message itself holds one backslash.
LINUX_HOST_MESSAGE = (
    "Linux host name cannot exceed 64 characters in length or contain the following characters: "
    "` ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \\ | ; : ' \" , < > / ?."
)
_LINUX_HOST_BAD = set("`~!@#$%^&*()=+_[]{}\\|;:'\",<>/? ")

# Reserved admin user names listed in the OSProfile REST reference
# (https://learn.microsoft.com/rest/api/compute/virtual-machines/create-or-update#osprofile), plus
# "sa" (MicrosoftDocs/azure-docs#106743). Azure answers 400 InvalidParameter "The Admin Username
# specified is not allowed." target adminUsername (MicrosoftDocs/azure-docs#27881, Azure/azure-cli#582).
# The same reference limits Linux names to 64 characters, not ending in "."; the answer for those is
# assumed to be the same message.
RESERVED_ADMIN_NAMES = frozenset({
    "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123",
    "a", "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner",
    "root", "server", "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5", "sa",
})

# Custom data: base64, at most 87380 characters (65535 bytes encoded). Message as returned to
# Azure/aks-engine#1663 and Azure/acs-engine#4149: 400 InvalidParameter, target customData.
CUSTOM_DATA_MAX = 87380
CUSTOM_DATA_MESSAGE = ("Custom data in OSProfile must be in Base64 encoding and with a maximum length of "
                       f"{CUSTOM_DATA_MAX} characters.")


def check_os_profile(os_profile: dict[str, Any] | None, os_type: str) -> None:
    if not os_profile:
        raise cc.required("osProfile")
    computer = os_profile.get("computerName")
    if not computer:
        raise cc.required("osProfile.computerName")
    if os_type == "Linux" and (len(computer) > 64 or any(c in _LINUX_HOST_BAD for c in computer)):
        raise cc.invalid_parameter(LINUX_HOST_MESSAGE, "computerName")
    admin = os_profile.get("adminUsername")
    if not admin:
        raise cc.required("osProfile.adminUsername")
    if admin.lower() in RESERVED_ADMIN_NAMES or len(admin) > 64 or admin.endswith("."):
        raise cc.invalid_parameter("The Admin Username specified is not allowed.", "adminUsername")
    check_custom_data(os_profile.get("customData"))
    if os_type == "Linux":
        check_linux_auth(os_profile)


def check_custom_data(data: Any) -> None:
    if data is None:
        return
    ok = isinstance(data, str) and len(data) <= CUSTOM_DATA_MAX
    if ok:
        try:
            base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            ok = False
    if not ok:
        raise cc.invalid_parameter(CUSTOM_DATA_MESSAGE, "customData")


def check_linux_auth(os_profile: dict[str, Any]) -> None:
    """400 InvalidParameter target linuxConfiguration "Authentication using either SSH or by user name
    and password must be enabled in Linux profile." (quoted by terraform-provider-azurerm's
    linux_virtual_machine_resource.go and an Azure::API test fixture)."""
    linux = os_profile.get("linuxConfiguration") or {}
    keys = ((linux.get("ssh") or {}).get("publicKeys")) or []
    password_off = bool(linux.get("disablePasswordAuthentication"))
    if (password_off or not os_profile.get("adminPassword")) and not keys:
        raise cc.invalid_parameter(
            "Authentication using either SSH or by user name and password must be enabled in Linux profile.",
            "linuxConfiguration")
    for key in keys:
        # 400 InvalidParameter "The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid."
        # (seen in public deployment logs for empty or non-OpenSSH key data)
        data = str((key or {}).get("keyData") or "").split()
        if len(data) < 2 or not (data[0].startswith(("ssh-", "ecdsa-sha2-", "sk-")) and data[1].startswith("AAAA")):
            raise cc.invalid_parameter("The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid.",
                                       "linuxConfiguration.ssh.publicKeys.keyData")


# ---------------------------------------------------------------- size, zones, quota


def resolve_size(sim: ArmSim, vm_id: str, location: str, size: str | None, zones: list[str]) -> dict[str, Any]:
    if not size:
        raise cc.required("hardwareProfile.vmSize")
    sku = catalog_skus.vm_sku(location, size)
    if sku is None:
        # Sizes unknown in the region: 400 InvalidParameter "The value Standard_B2s_v3 provided for the
        # VM size is not valid. The valid sizes in the current region are: Standard_B1ls,..."
        # (sassoftware/viya4-iac-azure#116, 2021 wording).
        valid = ",".join(s["name"] for s in catalog_skus.vm_skus(location)
                         if not catalog_skus.location_restricted(s))
        raise cc.invalid_parameter(
            f"The value {size} provided for the VM size is not valid. The valid sizes in the current region "
            f"are: {valid}. Find out more on the available VM sizes in each region at "
            "https://aka.ms/azure-regions.", "vmSize")
    blocked = catalog_skus.location_restricted(sku)
    if zones and not blocked:
        blocked = not set(zones) <= set(catalog_skus.usable_zones(sku))
    if blocked:
        raise sku_not_available(sku["name"], location)
    return sku


def sku_not_available(size: str, location: str) -> ArmError:
    """409 SkuNotAvailable, the current "Capacity Restrictions" wording (https://github.com/Azure-Samples/azuresandbox/issues/70 and https://github.com/MicrosoftLearning/Configure-secure-access-to-workloads-with-Azure-virtual-networking-services/issues/10:
    Azure-Samples/azuresandbox#70, 2024, HTTP 409)."""
    return ArmError(
        409, "SkuNotAvailable",
        f"The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: {size}' "
        f"is currently not available in location '{location}'. Please try another size or deploy to a "
        "different location or different zone. See https://aka.ms/azureskunotavailable for details.")


def check_quota(sim: ArmSim, vm_id: str, location: str, sku: dict[str, Any]) -> None:
    """409 OperationNotAllowed for family and regional vCPU quota (https://github.com/nforgeio/neonKUBE/issues/1671; full wording with
    the quota-increase link from google/cloud-forensics-utils#488 and the AKS quota troubleshooting
    page). Existing VMs count whatever their power state: "vCPU quotas ... are calculated based on the
    total number of cores in use, both allocated and deallocated" (learn.microsoft.com, vCPU quotas)."""
    limits = catalog_quotas.compute_quota_limits(location)
    need = cc.vcpus_of(sku)
    family = str(sku.get("family") or "")
    usage = usage_in(sim, location, exclude=vm_id)
    checks = []
    if family in limits:
        checks.append((family, f"{family} Cores", "per-vm-quota-requests"))
    if "cores" in limits:
        checks.append(("cores", "Total Regional Cores", "regional-quota-requests"))
    for name, label, doc in checks:
        limit = int(limits[name][0])
        current = usage.get(name, 0)
        if current + need > limit:
            raise quota_error(sim, location, name, label, doc, limit, current, need)


def quota_error(sim: ArmSim, location: str, name: str, label: str, doc: str, limit: int, current: int,
                need: int) -> ArmError:
    new_limit = current + need
    params = cc.dumps_compact({
        "subscriptionId": sim.subscription_id, "command": "openQuotaApprovalBlade",
        "quotas": [{"location": location, "providerId": "Microsoft.Compute", "resourceName": name,
                    "quotaRequest": {"properties": {"limit": new_limit, "unit": "Count", "name": {"value": name}}}}],
    })
    link = ("https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView/Parameters/"
            + quote(params, safe=':,[]'))
    return ArmError(
        409, "OperationNotAllowed",
        f"Operation could not be completed as it results in exceeding approved {label} quota. Additional "
        f"details - Deployment Model: Resource Manager, Location: {location}, Current Limit: {limit}, "
        f"Current Usage: {current}, Additional Required: {need}, (Minimum) New Limit Required: {new_limit}. "
        f"Submit a request for Quota increase at {link} by specifying parameters listed in the \u2018Details\u2019 "
        "section for deployment to succeed. Please read more about quota limits at "
        f"https://docs.microsoft.com/en-us/azure/azure-supportability/{doc}")


def usage_in(sim: ArmSim, location: str, exclude: str | None = None, *,
             exclude_prefix: str | None = None) -> dict[str, int]:
    """vCPUs per family and in total (``cores``), and the VM count, in ``location``: VMs and scale sets
    (AKS nodes are scale-set instances); deallocated machines still count, as Azure counts them.
    ``exclude`` skips one resource (the VM being updated), ``exclude_prefix`` everything under an id
    (a cluster's node resource group being replaced)."""
    out: dict[str, int] = {"cores": 0, "virtualMachines": 0}
    skip = exclude.lower() if exclude else None
    skip_prefix = exclude_prefix.lower() if exclude_prefix else None
    for body in list(sim.resources.values()):
        rid = str(body.get("id", "")).lower()
        if str(body.get("location", "")).lower() != location.lower() or rid == skip:
            continue
        if skip_prefix and rid.startswith(skip_prefix):
            continue
        rtype = str(body.get("type", "")).lower()
        if rtype == cc.VM_TYPE.lower():
            size, count = body.get("properties", {}).get("hardwareProfile", {}).get("vmSize", ""), 1
            out["virtualMachines"] += 1
        elif rtype == "microsoft.compute/virtualmachinescalesets":
            sku_body = body.get("sku") or {}
            size, count = sku_body.get("name", ""), int(sku_body.get("capacity") or 0)
        else:
            continue
        sku = catalog_skus.vm_sku(location, size) if size else None
        n = cc.vcpus_of(sku) * count
        out["cores"] += n
        if sku and sku.get("family"):
            out[sku["family"]] = out.get(sku["family"], 0) + n
    return out


# ---------------------------------------------------------------- image, generation, security


def resolve_image(sim: ArmSim, location: str, ref: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    """The platform image version record (and its exact version) for ``imageReference``.

    404 PlatformImageNotFound, target imageReference: "The platform image 'MicrosoftWindowsDesktop:
    windows11preview:win11-21h2-pro:latest' is not available. Verify that all fields in the storage
    profile are correct. For more details about storage profile information, please refer to
    https://aka.ms/storageprofile" (clear-code/firefox-support-common#31, hashicorp/packer#10600).
    """
    if not ref:
        raise cc.required("storageProfile.imageReference")
    parts = [str(ref.get(k) or "") for k in ("publisher", "offer", "sku", "version")]
    from .compute_catalog import find_image

    found = find_image(sim, location, *parts)
    if found is None:
        raise ArmError(
            404, "PlatformImageNotFound",
            f"The platform image '{':'.join(parts)}' is not available. Verify that all fields in the storage "
            "profile are correct. For more details about storage profile information, please refer to "
            "https://aka.ms/storageprofile", target="imageReference")
    return found


def check_image_fit(size: str, sku: dict[str, Any], image: dict[str, Any], security: dict[str, Any] | None) -> None:
    caps = cc.sku_caps(sku)
    props = image.get("properties") or {}
    img_arch = props.get("architecture") or "x64"
    size_arch = caps.get("CpuArchitectureType", "x64")
    if img_arch.lower() != size_arch.lower():
        # 400 BadRequest (Azure docs troubleshooting table; PowerShell New-AzVM output quoted in public
        # lab notes): architecture mismatch between size and image.
        raise ArmError(
            400, "BadRequest",
            f"Cannot create a VM of size '{size}' because this VM size only supports a CPU Architecture of "
            f"'{size_arch}', but an image or disk with CPU Architecture '{img_arch}' was given. Please check "
            "that the CPU Architecture of the image or disk is compatible with that of the VM size.")
    gens = {g.strip() for g in caps.get("HyperVGenerations", "V1").split(",")}
    gen = props.get("hyperVGeneration") or "V1"
    if (security or {}).get("securityType") == "TrustedLaunch":
        # Azure/azure-cli#28005 (updated API messages, Nov 2023), 400 BadRequest (Azure/azure-cli#27975).
        if caps.get("TrustedLaunchDisabled", "False") == "True" or "V2" not in gens:
            raise ArmError(
                400, "BadRequest",
                f"The VM size '{size}' is not supported for creation of VMs and Virtual Machine Scale Set with "
                "'TrustedLaunch' security type. For more information, see https://aka.ms/TrustedLaunch-FAQ")
        if gen != "V2" or not _image_supports_tl(props):
            name = image.get("name", "")
            raise ArmError(
                400, "BadRequest",
                f"Use of TrustedLaunch setting is not supported for the provided image \u201c{name}\u201d. Please "
                "select Trusted Launch Supported Gen2 OS Image. For more information, see "
                "https://aka.ms/TrustedLaunch-FAQ")
    if gen not in gens:
        # 400 BadRequest, quoted by juju's errorutils test and public deployment notes.
        n = gen[1:]
        raise ArmError(
            400, "BadRequest",
            f"The selected VM size '{size}' cannot boot Hypervisor Generation '{n}'. If this was a Create "
            "operation please check that the Hypervisor Generation of the Image matches the Hypervisor "
            f"Generation of the selected VM Size. If this was an Update operation please select a Hypervisor "
            f"Generation '{n}' VM Size. For more information, see https://aka.ms/azuregen2vm")


def _image_supports_tl(props: dict[str, Any]) -> bool:
    for feature in props.get("features") or ():
        if str(feature.get("name", "")).lower() == "securitytype":
            return "trustedlaunch" in str(feature.get("value", "")).lower()
    return True  # Gen2 platform images without the feature flag accept Trusted Launch


# ---------------------------------------------------------------- disks


def check_premium(size: str, sku: dict[str, Any], disk_name: str, storage: str | None) -> None:
    """400 InvalidParameter "Requested operation cannot be performed because the VM size Standard_F4 does
    not support the storage account type Premium_LRS of disk '…'. Consider updating the VM to a size that
    supports Premium storage." (google/cloud-forensics-utils#488, microsoft/lisa#689)."""
    if storage in cdisks.PREMIUM_SKUS and cc.sku_caps(sku).get("PremiumIO") != "True":
        raise cc.invalid_parameter(
            f"Requested operation cannot be performed because the VM size {size} does not support the storage "
            f"account type {storage} of disk '{disk_name}'. Consider updating the VM to a size that supports "
            "Premium storage.")


def check_ephemeral(size: str, sku: dict[str, Any], os_disk: dict[str, Any], size_gb: int) -> None:
    """Ephemeral OS disk rules (409 NotSupported):

    * size without the capability: "Ephemeral OS disk is not supported for VM size Standard_D16ps_v5."
      (taskcluster/taskcluster#8154, 2025, deployment operation status Conflict);
    * placement without room: "The Diff Disk Placement of type 'CacheDisk' is not supported for VM size
      Standard_D48d_v4. Please request with different DiffDiskPlacement or use a different VM Sku which
      supports the current DiffDiskPlacement in the request." (microsoft/lisa#2289);
    * disk bigger than the placement: https://github.com/cloudfoundry/bosh-azure-cpi-release/pull/674 "OS disk of Ephemeral VM with size greater than 50
      GB is not allowed for VM size Standard_D2s_v3 when the DiffDiskPlacement is CacheDisk. Please refer
      to https://aka.ms/Ephemeral for more details." (cloudfoundry/bosh-azure-cpi-release#674).
    """
    diff = os_disk.get("diffDiskSettings") or {}
    if str(diff.get("option", "")).lower() != "local":
        return
    caps = cc.sku_caps(sku)
    if caps.get("EphemeralOSDiskSupported") != "True":
        raise ArmError(409, "NotSupported", f"Ephemeral OS disk is not supported for VM size {size}.")
    placement = diff.get("placement") or "CacheDisk"
    if placement == "ResourceDisk":
        room_gib = int(caps.get("MaxResourceVolumeMB", "0")) // 1024
    elif placement == "NvmeDisk":
        room_gib = int(float(caps.get("NvmeDiskSizeInMiB", "0"))) // 1024
    else:
        room_gib = int(caps.get("CachedDiskBytes", "0")) // 1024**3
    if room_gib <= 0:
        raise ArmError(
            409, "NotSupported",
            f"The Diff Disk Placement of type '{placement}' is not supported for VM size {size}. Please request "
            "with different DiffDiskPlacement or use a different VM Sku which supports the current "
            "DiffDiskPlacement in the request.")
    if size_gb > room_gib:
        raise ArmError(
            409, "NotSupported",
            f"OS disk of Ephemeral VM with size greater than {room_gib} GB is not allowed for VM size {size} "
            f"when the DiffDiskPlacement is {placement}. Please refer to https://aka.ms/Ephemeral for more "
            "details.")


# ---------------------------------------------------------------- Spot


_SPOT_PRIORITIES = ("spot", "low")  # "Low" is the older name of Spot (VirtualMachinePriorityTypes)


def check_spot(size: str, sku: dict[str, Any], props: dict[str, Any]) -> None:
    """Spot settings (https://learn.microsoft.com/azure/virtual-machines/error-codes-spot, 400 each): an eviction
    policy or a max price on a VM that is not Spot, a max price other than -1 or above 0, and a Spot VM of a size
    without the LowPriorityCapable capability (B-series and Promo sizes: spot-vms#limitations)."""
    spot = str(props.get("priority") or "Regular").lower() in _SPOT_PRIORITIES
    if props.get("evictionPolicy") is not None and not spot:
        raise ArmError(400, "EvictionPolicyCanBeSetOnlyOnLowPriorityVirtualMachines",
                       "Eviction policy can be set only on Azure Spot Virtual Machines.")
    price = (props.get("billingProfile") or {}).get("maxPrice")
    if price is not None and not spot:
        raise ArmError(400, "VariablePricingIsSupportedOnlyForLowPriorityVirtualMachines",
                       "Variable pricing is supported only for Azure Spot Virtual Machines.")
    if price is not None and (isinstance(price, bool) or not isinstance(price, (int, float))
                              or (price != -1 and price <= 0)):
        raise ArmError(400, "MaxPriceValueInvalid",
                       "Invalid max price value. The only supported values for max price are -1 or a decimal greater "
                       "than zero. Max price value of -1 indicates the Azure Spot virtual machine will not be evicted "
                       "for price reasons.")
    if spot and cc.sku_caps(sku).get("LowPriorityCapable") == "False":
        raise ArmError(400, "VariablePricingIsNotSupportedForThisVMSize",
                       f"Variable pricing is not supported for this VM size {size}.")


# ---------------------------------------------------------------- network interfaces


def check_nics(sim: ArmSim, vm_id: str, location: str, refs: list[dict[str, Any]]) -> list[str]:
    """The referenced NICs must exist in the VM's region and not belong to another VM.

    * missing / other region: 400 InvalidResourceReference "Resource … referenced by resource … was not
      found. Please make sure that the referenced resource exists, and that both resources are in the same
      region." (ARM's cross-resource reference error, as quoted in Azure/azure-quickstart-templates#2824);
    * attached elsewhere: 400 NicInUse "Network Interface … is used by existing VM …." (the NRP's answer,
      quoted in Azure/bosh-azure-cpi docs and hashicorp/terraform#18127).
    """
    if not refs:
        raise cc.required("networkProfile")
    ids: list[str] = []
    for ref in refs:
        nic_id = str((ref or {}).get("id") or "")
        nic = sim.peek(nic_id) if nic_id else None
        if nic is None or catalog_locations.normalize_location(str(nic.get("location", ""))) != location:
            raise ArmError(
                400, "InvalidResourceReference",
                f"Resource {nic_id} referenced by resource {vm_id} was not found. Please make sure that the "
                "referenced resource exists, and that both resources are in the same region.",
                details=[{"code": "NotFound", "message": f"Resource {nic_id} not found."}] if nic is None else [])
        owner = ((nic.get("properties") or {}).get("virtualMachine") or {}).get("id")
        if owner and owner.lower() != vm_id.lower():
            raise ArmError(400, "NicInUse", f"Network Interface {nic['id']} is used by existing VM {owner}.")
        ids.append(nic["id"])
    return ids


def check_zone_pips(sim: ArmSim, vm_id: str, zones: list[str], nic_ids: list[str]) -> None:
    """Rule 33: a zonal VM's public IPs must be in its zone or zone-redundant.

    400 ComputeResourceZoneConstraintDoesNotMatchPublicIPAddressZoneConstraint "Compute resource … has a
    zone constraint 3 but the PublicIPAddress … used by the compute resource via NetworkInterface or
    LoadBalancer has a different zone constraint Regional." (https://github.com/MicrosoftDocs/azure-docs/issues/64801; code from the RGCOPY
    release notes, Azure/RGCOPY).
    """
    if not zones:
        return
    from . import network

    zone = zones[0]
    for nic_id in nic_ids:
        for pip in network.nic_public_ips(sim, nic_id):
            pzones = [str(z) for z in pip.get("zones") or []]
            if zone in pzones:
                continue  # same zone, or zone-redundant (zones 1,2,3)
            constraint = ",".join(pzones) if pzones else "Regional"
            raise ArmError(
                400, "ComputeResourceZoneConstraintDoesNotMatchPublicIPAddressZoneConstraint",
                f"Compute resource {vm_id} has a zone constraint {zone} but the PublicIPAddress {pip['id']} used "
                f"by the compute resource via NetworkInterface or LoadBalancer has a different zone constraint "
                f"{constraint}.")
