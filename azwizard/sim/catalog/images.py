"""Marketplace VM images (``Microsoft.Compute/locations/{loc}/publishers/...``).

List operations return a **bare JSON array** of ``{"location", "name", "id"}`` (as
``virtual_machine_images.list*`` expects); ``get_version`` returns the VirtualMachineImage body.
Ids use the casing Azure returns:
``/Subscriptions/{sub}/Providers/Microsoft.Compute/Locations/{loc}/Publishers/{pub}/ArtifactTypes/VMImage/
Offers/{offer}/Skus/{sku}/Versions/{version}``.

Every image is offered in every simulated region. Lookups are case-insensitive; names are returned
in their canonical casing. Unknown location/publisher/offer/sku/version -> ``None``.
Version numbers follow each publisher's real scheme (``0.20260909.2596`` was seen on Azure; the
others are modelled on the same pattern).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .locations import REGIONS, SUBSCRIPTION_ID, normalize_location

_LINUX_OS_BYTES = 32213303808  # 30 GiB + 1 MiB
_WINDOWS_OS_BYTES = 136367309312  # 127 GiB + 1 MiB


@dataclass(frozen=True)
class ImageSku:
    publisher: str
    offer: str
    sku: str
    versions: tuple[str, ...]  # ascending
    hyper_v_generation: str  # "V1" | "V2"
    architecture: str = "x64"  # "x64" | "Arm64"
    os_type: str = "Linux"
    security_type: str | None = None  # features.SecurityType (Gen2 x64 images)
    automatic_os_upgrade: bool = False
    # Recorded answers of older images: their own feature list (None: computed; () : no "features" key),
    # the disallowed disk type and the OS disk size.
    features: tuple[tuple[str, str], ...] | None = None
    disallowed_disk_type: str = "Unmanaged"
    os_disk_bytes: int | None = None


_DEBIAN_12 = ("0.20251110.2290", "0.20260909.2596", "0.20261014.2630", "0.20261104.2658")
_UBUNTU_2404 = ("24.04.202609230", "24.04.202610150", "24.04.202611050")
_UBUNTU_2204 = ("22.04.202606110", "22.04.202610080")
_AZL3 = ("3.20260915.01", "3.20261020.01", "3.20261103.01")
_WS2022 = ("20348.4648.260812", "20348.4773.260909", "20348.4826.261014")
_WS2025 = ("26100.6584.260909", "26100.6899.261014")

# Older images the az CLI recordings use, with the versions and properties Azure answered there
# (Azure/azure-cli recordings, api-version 2023-09-01: vm/tests/latest/recordings/test_vm_create_no_wait.yaml
# UbuntuServer 18.04-LTS, test_vm_create_auth.yaml Debian 10, test_vm_create_existing_nic.yaml CentOS 7.5,
# backup/tests/latest/recordings/test_backup_item.yaml WindowsServer 2012-R2-Datacenter). Each is the last
# version its publisher released (the releases ended with the distributions' end of support), so the list
# ``$orderby=name desc&$top=1`` answers that version, as it did then.
_LEGACY: tuple[ImageSku, ...] = (
    ImageSku("Canonical", "UbuntuServer", "18.04-LTS", ("18.04.202306070",), "V1", automatic_os_upgrade=True,
             features=(("IsAcceleratedNetworkSupported", "True"), ("DiskControllerTypes", "SCSI, NVMe"),
                       ("IsHibernateSupported", "True")), disallowed_disk_type="None"),
    ImageSku("Debian", "debian-10", "10", ("0.20230802.1460",), "V1",
             features=(("IsAcceleratedNetworkSupported", "True"), ("DiskControllerTypes", "SCSI"),
                       ("IsHibernateSupported", "False")), disallowed_disk_type="None",
             os_disk_bytes=32212255232),
    ImageSku("OpenLogic", "CentOS", "7.5", ("7.5.201808150",), "V1", automatic_os_upgrade=True, features=(),
             disallowed_disk_type="None", os_disk_bytes=32212255232),
    ImageSku("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter", ("9600.21620.231004",), "V1",
             os_type="Windows", automatic_os_upgrade=True,
             features=(("IsAcceleratedNetworkSupported", "True"), ("DiskControllerTypes", "SCSI"),
                       ("IsHibernateSupported", "False")), disallowed_disk_type="None"),
)

IMAGES: tuple[ImageSku, ...] = (
    ImageSku("Debian", "debian-12", "12", _DEBIAN_12, "V1"),
    ImageSku("Debian", "debian-12", "12-gen2", _DEBIAN_12, "V2", security_type="TrustedLaunchSupported"),
    ImageSku("Debian", "debian-12", "12-arm64", _DEBIAN_12, "V2", architecture="Arm64"),
    ImageSku("Canonical", "ubuntu-24_04-lts", "server", _UBUNTU_2404, "V2",
             security_type="TrustedLaunchAndConfidentialVmSupported"),
    ImageSku("Canonical", "ubuntu-24_04-lts", "server-gen1", _UBUNTU_2404, "V1"),
    ImageSku("Canonical", "ubuntu-24_04-lts", "server-arm64", _UBUNTU_2404, "V2", architecture="Arm64"),
    ImageSku("Canonical", "ubuntu-24_04-lts", "minimal", _UBUNTU_2404, "V2",
             security_type="TrustedLaunchSupported"),
    ImageSku("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts", _UBUNTU_2204, "V1"),
    ImageSku("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", _UBUNTU_2204, "V2",
             security_type="TrustedLaunchSupported"),
    ImageSku("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-arm64", _UBUNTU_2204, "V2",
             architecture="Arm64"),
    ImageSku("MicrosoftCBLMariner", "azure-linux-3", "azure-linux-3", _AZL3, "V1"),
    ImageSku("MicrosoftCBLMariner", "azure-linux-3", "azure-linux-3-gen2", _AZL3, "V2",
             security_type="TrustedLaunchSupported"),
    ImageSku("MicrosoftCBLMariner", "azure-linux-3", "azure-linux-3-arm64", _AZL3, "V2", architecture="Arm64"),
    ImageSku("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition", _WS2022, "V2",
             os_type="Windows", security_type="TrustedLaunchAndConfidentialVmSupported",
             automatic_os_upgrade=True),
    ImageSku("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2", _WS2022, "V2", os_type="Windows",
             security_type="TrustedLaunchSupported", automatic_os_upgrade=True),
    ImageSku("MicrosoftWindowsServer", "WindowsServer", "2025-datacenter-azure-edition", _WS2025, "V2",
             os_type="Windows", security_type="TrustedLaunchAndConfidentialVmSupported",
             automatic_os_upgrade=True),
    *_LEGACY,
)


def _region(location: str) -> str | None:
    region = normalize_location(location)
    return region if region in REGIONS else None


def _prefix(subscription_id: str, region: str) -> str:
    return f"/Subscriptions/{subscription_id}/Providers/Microsoft.Compute/Locations/{region}"


def _item(region: str, name: str, rid: str) -> dict[str, Any]:
    return {"location": region, "name": name, "id": rid}


def _ci(a: str, b: str) -> bool:
    return a.lower() == b.strip().lower()


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def find_image_sku(publisher: str, offer: str, sku: str) -> ImageSku | None:
    """The catalog entry for publisher/offer/sku (case-insensitive), or ``None``."""
    for img in IMAGES:
        if _ci(img.publisher, publisher) and _ci(img.offer, offer) and _ci(img.sku, sku):
            return img
    return None


def list_publishers(location: str, subscription_id: str = SUBSCRIPTION_ID) -> list[dict[str, Any]] | None:
    """``GET .../locations/{loc}/publishers`` -> bare array."""
    region = _region(location)
    if region is None:
        return None
    base = _prefix(subscription_id, region)
    return [_item(region, p, f"{base}/Publishers/{p}") for p in _unique([i.publisher for i in IMAGES])]


def list_offers(location: str, publisher: str,
                subscription_id: str = SUBSCRIPTION_ID) -> list[dict[str, Any]] | None:
    """``GET .../publishers/{pub}/artifacttypes/vmimage/offers`` -> bare array."""
    region = _region(location)
    imgs = [i for i in IMAGES if _ci(i.publisher, publisher)]
    if region is None or not imgs:
        return None
    base = f"{_prefix(subscription_id, region)}/Publishers/{imgs[0].publisher}/ArtifactTypes/VMImage/Offers"
    return [_item(region, o, f"{base}/{o}") for o in _unique([i.offer for i in imgs])]


def list_skus(location: str, publisher: str, offer: str,
              subscription_id: str = SUBSCRIPTION_ID) -> list[dict[str, Any]] | None:
    """``GET .../offers/{offer}/skus`` -> bare array."""
    region = _region(location)
    imgs = [i for i in IMAGES if _ci(i.publisher, publisher) and _ci(i.offer, offer)]
    if region is None or not imgs:
        return None
    first = imgs[0]
    base = (f"{_prefix(subscription_id, region)}/Publishers/{first.publisher}/ArtifactTypes/VMImage"
            f"/Offers/{first.offer}/Skus")
    # Each SKU carries whether its images take automatic OS upgrades (Azure answers
    # ``properties.automaticOSUpgradeProperties`` on every item; az CLI recordings measured in issue #25).
    return [{"properties": {"automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": i.automatic_os_upgrade}},
             **_item(region, i.sku, f"{base}/{i.sku}")} for i in imgs]


def _version_id(subscription_id: str, region: str, img: ImageSku, version: str) -> str:
    return (f"{_prefix(subscription_id, region)}/Publishers/{img.publisher}/ArtifactTypes/VMImage"
            f"/Offers/{img.offer}/Skus/{img.sku}/Versions/{version}")


def list_versions(location: str, publisher: str, offer: str, sku: str,
                  subscription_id: str = SUBSCRIPTION_ID) -> list[dict[str, Any]] | None:
    """``GET .../skus/{sku}/versions`` -> bare array (ascending versions)."""
    region = _region(location)
    img = find_image_sku(publisher, offer, sku)
    if region is None or img is None:
        return None
    return [_item(region, v, _version_id(subscription_id, region, img, v)) for v in img.versions]


def latest_version(publisher: str, offer: str, sku: str) -> str | None:
    """Newest version of an image sku (what ``version: "latest"`` resolves to), or ``None``."""
    img = find_image_sku(publisher, offer, sku)
    return img.versions[-1] if img else None


def _features(img: ImageSku) -> list[dict[str, str]]:
    if img.features is not None:
        return [{"name": n, "value": v} for n, v in img.features]
    feats: list[dict[str, str]] = []
    if img.security_type:
        feats.append({"name": "SecurityType", "value": img.security_type})
    feats.append({"name": "IsAcceleratedNetworkSupported", "value": "True"})
    gen2 = img.hyper_v_generation == "V2"
    feats.append({"name": "DiskControllerTypes", "value": "SCSI, NVMe" if gen2 else "SCSI"})
    if gen2 and img.architecture == "x64":
        feats.append({"name": "IsHibernateSupported", "value": "True"})
    return feats


def get_version(location: str, publisher: str, offer: str, sku: str, version: str,
                subscription_id: str = SUBSCRIPTION_ID) -> dict[str, Any] | None:
    """``GET .../skus/{sku}/versions/{version}`` -> VirtualMachineImage body, or ``None``.

    ``version`` may be ``"latest"`` (resolved to the newest version) for convenience.
    """
    region = _region(location)
    img = find_image_sku(publisher, offer, sku)
    if region is None or img is None:
        return None
    want = version.strip().lower()
    if want == "latest":
        ver: str | None = img.versions[-1]
    else:
        ver = next((v for v in img.versions if v.lower() == want), None)
    if ver is None:
        return None
    size = img.os_disk_bytes or (_WINDOWS_OS_BYTES if img.os_type == "Windows" else _LINUX_OS_BYTES)
    props: dict[str, Any] = {
        "hyperVGeneration": img.hyper_v_generation,
        "architecture": img.architecture,
        # Every recorded VirtualMachineImage answer (api-version 2023-09-01) carries replicaType.
        "replicaType": "Unmanaged",
        "osDiskImage": {"operatingSystem": img.os_type, "sizeInBytes": size, "sizeInGb": -(-size // 1024**3)},
        "dataDiskImages": [],
        "automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": img.automatic_os_upgrade},
        "disallowed": {"vmDiskType": img.disallowed_disk_type},
        "imageDeprecationStatus": {"imageState": "Active"},
    }
    features = _features(img)
    if features:
        props["features"] = features
    return {
        "properties": props,
        "location": region,
        "name": ver,
        "id": _version_id(subscription_id, region, img, ver),
    }


def image_is_gen2(location: str, publisher: str, offer: str, sku: str, version: str | None = None) -> bool | None:
    """True for a Gen2 (``hyperVGeneration == "V2"``) image, False for Gen1, ``None`` if unknown."""
    if _region(location) is None:
        return None
    img = find_image_sku(publisher, offer, sku)
    if img is None:
        return None
    if version is not None and version.strip().lower() != "latest" and not any(
            v.lower() == version.strip().lower() for v in img.versions):
        return None
    return img.hyper_v_generation == "V2"


def image_architecture(publisher: str, offer: str, sku: str) -> str | None:
    """``"x64"`` or ``"Arm64"`` for a known image sku, else ``None``."""
    img = find_image_sku(publisher, offer, sku)
    return img.architecture if img else None


def parse_urn(urn: str) -> tuple[str, str, str, str] | None:
    """Split ``Publisher:Offer:Sku:Version`` (as ``az vm create --image`` takes it); ``None`` if malformed."""
    parts = urn.strip().split(":")
    if len(parts) != 4 or not all(parts):
        return None
    return parts[0], parts[1], parts[2], parts[3]
