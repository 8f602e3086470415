"""Microsoft.Compute/disks: managed disks created directly (PUT) or implicitly by a VM (OS disk,
empty data disks), and the rules that tie them to the VM that uses them (``managedBy``).

Shapes follow the DiskRP REST spec examples (``DiskRP/stable/2024-03-02/examples/diskExamples/
Disk_Get.json``, ``Disk_Create_Empty.json``: PUT answers 200/202 with ``provisioningState:
Updating``; the SDK accepts 200/202 for create and 200/202/204 for delete) and the az CLI recording
(Azure/azure-cli ``command_modules/vm/tests/latest/recordings/test_disk_bursting.yaml``, api 2023-04-02): the
202 answer echoes the request (sku as sent, the sent properties and ``provisioningState: Updating``), both
``Azure-AsyncOperation`` and ``Location`` point at ``.../locations/{loc}/DiskOperations/{id}``, whose answer
carries the finished disk in ``properties.output``; ``burstingEnabled`` is echoed with
``burstingEnabledTime``.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ..catalog import skus
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import compute_common as cc
from .resources import validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim

# Performance tiers by size (GiB upper bound, tier, IOPS, MB/s), from the managed-disk pricing
# tables (https://learn.microsoft.com/azure/virtual-machines/disks-types).
_PREMIUM = [(4, "P1", 120, 25), (8, "P2", 120, 25), (16, "P3", 120, 25), (32, "P4", 120, 25),
            (64, "P6", 240, 50), (128, "P10", 500, 100), (256, "P15", 1100, 125), (512, "P20", 2300, 150),
            (1024, "P30", 5000, 200), (2048, "P40", 7500, 250), (4096, "P50", 7500, 250),
            (8192, "P60", 16000, 500), (16384, "P70", 18000, 750), (32767, "P80", 20000, 900)]
_STANDARD_SSD = [(4, "E1", 500, 100), (8, "E2", 500, 100), (16, "E3", 500, 100), (32, "E4", 500, 100),
                 (64, "E6", 500, 100), (128, "E10", 500, 100), (256, "E15", 500, 100), (512, "E20", 500, 100),
                 (1024, "E30", 500, 100), (2048, "E40", 500, 100), (4096, "E50", 500, 100),
                 (8192, "E60", 2000, 400), (16384, "E70", 4000, 600), (32767, "E80", 6000, 750)]
_STANDARD_HDD_IOPS = (500, 60)  # S4..S50 (no "tier" is reported for Standard_LRS)

DISK_SKUS = ("Standard_LRS", "Premium_LRS", "StandardSSD_LRS", "UltraSSD_LRS", "Premium_ZRS",
             "StandardSSD_ZRS", "PremiumV2_LRS")
PREMIUM_SKUS = ("Premium_LRS", "Premium_ZRS", "PremiumV2_LRS", "UltraSSD_LRS")

# resource-name-rules.md (Microsoft.Compute/disks: 1-80, alphanumerics, underscores, periods, hyphens;
# start with alphanumeric, end with alphanumeric or underscore). CRP answers with its entity-name rule,
# e.g. "The entity name 'dataDisk.name' is invalid according to its validation rule:
# ^[^_\W][\w-._]{0,79}(?<![-.])$." (target 'dataDisk.name', REST-spec example output).
DISK_NAME_RULE = r"^[^_\W][\w-._]{0,79}(?<![-.])$"  # .NET syntax, as quoted in the message
_DISK_NAME = re.compile(r"^[^_\W][\w\-._]{0,79}(?<![-.])$")


def name_ok(name: str) -> bool:
    return _DISK_NAME.match(name) is not None


def _perf(sku: str, size_gb: int) -> tuple[str | None, int, int]:
    table = _PREMIUM if sku.startswith("Premium") else _STANDARD_SSD if sku.startswith("StandardSSD") else None
    if table is None:
        return None, *_STANDARD_HDD_IOPS
    for limit, tier, iops, mbps in table:
        if size_gb <= limit:
            return tier, iops, mbps
    return table[-1][1], table[-1][2], table[-1][3]


def sku_tier(sku: str) -> str:
    return "Premium" if sku.startswith("Premium") or sku.startswith("Ultra") else "Standard"


def disk_body(
    sim: ArmSim,
    *,
    rid: str,
    name: str,
    location: str,
    sku: str,
    size_gb: int,
    creation: dict[str, Any],
    zones: list[str] | None = None,
    tags: dict[str, Any] | None = None,
    managed_by: str | None = None,
    os_type: str | None = None,
    hyperv: str | None = None,
    security_type: str | None = None,
    architecture: str | None = None,
) -> dict[str, Any]:
    """A Microsoft.Compute/disks body as the Disk RP reports it (Disk_Get.json)."""
    tier, iops, mbps = _perf(sku, size_gb)
    props: dict[str, Any] = {}
    if os_type:
        props["osType"] = os_type
    if hyperv:
        props["hyperVGeneration"] = hyperv
    if architecture:
        props["supportedCapabilities"] = {"diskControllerTypes": "SCSI, NVMe", "acceleratedNetwork": True,
                                          "architecture": architecture}
    if security_type:
        props["securityProfile"] = {"securityType": security_type}
    props.update({
        "creationData": creation,
        "diskSizeGB": size_gb,
        "diskIOPSReadWrite": iops,
        "diskMBpsReadWrite": mbps,
        "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
        "networkAccessPolicy": "AllowAll",
        "publicNetworkAccess": "Enabled",
        "timeCreated": cc.now(),
        "provisioningState": "Succeeded",
        "diskState": "Attached" if managed_by else "Unattached",
        "diskSizeBytes": size_gb * 1024**3,
        "uniqueId": str(uuid.uuid4()),
    })
    if tier and not sku.startswith("StandardSSD"):
        # Performance tiers are a Premium SSD setting; the recorded StandardSSD_LRS disk answers no tier
        # (test_vm_disk_storage_sku.yaml #30, https://learn.microsoft.com/azure/virtual-machines/disks-change-performance).
        props["tier"] = tier
    body: dict[str, Any] = {"name": name, "id": rid, "type": cc.DISK_TYPE, "location": location}
    if tags is not None:  # an empty {} is kept and answered, as Azure does
        body["tags"] = tags
    if managed_by:
        body["managedBy"] = managed_by
    body["sku"] = {"name": sku, "tier": sku_tier(sku)}
    if zones:
        body["zones"] = list(zones)
    body["properties"] = props
    return body


def attach(sim: ArmSim, disk_id: str, vm_id: str) -> None:
    disk = sim.peek(disk_id)
    if disk is None:
        return
    disk["managedBy"] = vm_id
    disk.setdefault("properties", {})["diskState"] = "Attached"
    disk["properties"]["LastOwnershipUpdateTime"] = cc.now()
    sim.save(disk["id"], disk)


def detach(sim: ArmSim, disk_id: str) -> None:
    """Keep the disk, clear its owner: what VM deletion does to disks with deleteOption Detach."""
    disk = sim.peek(disk_id)
    if disk is None:
        return
    disk.pop("managedBy", None)
    disk.setdefault("properties", {})["diskState"] = "Unattached"
    disk["properties"]["LastOwnershipUpdateTime"] = cc.now()
    sim.save(disk["id"], disk)


def attached_error(disk: dict[str, Any]) -> ArmError:
    """409 OperationNotAllowed "Disk kubernetes-dynamic-pvc-… is attached to VM /subscriptions/…/
    virtualMachines/aks-agentpool-25259074-0." (DisksClient#Delete, quoted in the AKS troubleshooting
    docs, MicrosoftDocs/azure-docs)."""
    return ArmError(409, "OperationNotAllowed", f"Disk {disk['name']} is attached to VM {disk['managedBy']}.")


# ---------------------------------------------------------------- routes


def check_sku_offered(location: str, sku: str, zones: list[str] | None = None) -> None:
    """A disk SKU the region does not offer (``Microsoft.Compute/skus``: ZRS and Premium SSD v2 only in regions
    with zones, Ultra in fewer) is refused as the Disk RP refuses it: 400 ``InvalidParameter`` "SKU Premium_ZRS
    is not available." target ``sku`` (quoted from Azure in ansible-collections/azure#792). A ZRS disk placed
    in a zone: 409 ``OperationNotAllowed`` "A disk with sku 'Premium_ZRS' cannot be created in an availability
    zone." (quoted in Azure/terraform-azurerm-avm-res-compute-virtualmachine#236)."""
    offered = {str(r["name"]) for r in skus.resource_skus(location) if r.get("resourceType") == "disks"}
    if offered and sku not in offered:
        raise ArmError(400, "InvalidParameter", f"SKU {sku} is not available.", target="sku")
    if zones and sku.endswith("_ZRS"):
        raise ArmError(409, "OperationNotAllowed", f"A disk with sku '{sku}' cannot be created in an availability zone.")


def _rid(sim: ArmSim, rg: str, name: str) -> str:
    return cc.rid_of(sim, cc.group_name(sim, rg), "disks", name)


@route("PUT", cc.DISKS + "/{name}")
def put_disk(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    body = cc.json_body(req)
    cc.check_wire_keys(req, body, props_type="DiskProperties")
    return _write(sim, req, rg, name, body, body)


@route("PATCH", cc.DISKS + "/{name}")
def patch_disk(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    """Disks_Update (a resize, a SKU or tag change): the stored disk with the sent ``sku``, ``tags`` and
    ``properties`` over it, then as a PUT: 202 echoing the request with ``provisioningState: Updating``, the
    DiskOperations status, and the disk ``Succeeded`` with its new size and performance tier (DiskRP
    ``stable/2024-03-02/disk.json`` Disks_Update: 200/202; examples ``diskExamples/Disk_Update_ChangeTier.json``,
    ``Disk_Update_DisableBursting.json``)."""
    sim.require_group(rg)
    patch = cc.json_body(req)
    cc.check_wire_keys(req, patch, props_type="DiskUpdateProperties")
    existing = sim.require(_rid(sim, rg, name))
    merged: dict[str, Any] = {"location": existing["location"], "sku": patch.get("sku") or existing.get("sku")}
    for key in ("tags", "zones"):
        if key in patch or key in existing:
            merged[key] = patch[key] if key in patch else existing[key]
    merged["properties"] = dict(patch.get("properties") or {})
    return _write(sim, req, rg, name, merged, patch)


def _write(sim: ArmSim, req: ArmRequest, rg: str, name: str, body: dict[str, Any],
           sent: dict[str, Any]) -> ArmResponse:
    """Create or update a disk from a full ``body``; the 202 answer echoes ``sent`` (what the client sent)."""
    location = cc.check_location(sim, body.get("location"), cc.DISK_TYPE)
    validate_tags(body.get("tags"))
    cc.check_zones_supported(location, [str(z) for z in body.get("zones") or []], cc.DISK_TYPE, name)
    if not name_ok(name):
        raise cc.invalid_parameter(
            f"The entity name 'diskName' is invalid according to its validation rule: {DISK_NAME_RULE}.",
            "diskName")
    rid = _rid(sim, rg, name)
    existing = sim.peek(rid)
    sim.check_locks(existing["id"] if existing else rid, "write")
    props = body.get("properties") or {}
    sku = ((body.get("sku") or {}).get("name")) or (existing or {}).get("sku", {}).get("name") or "Standard_LRS"
    if sku not in DISK_SKUS:
        raise cc.invalid_parameter(
            f"The value '{sku}' of parameter 'sku.name' is not allowed. Allowed values are "
            f"'{', '.join(DISK_SKUS)}'.", "sku.name")
    check_sku_offered(location, sku, zones=body.get("zones") or (existing or {}).get("zones"))
    creation = props.get("creationData") or (existing or {}).get("properties", {}).get("creationData")
    if not creation or not creation.get("createOption"):
        raise cc.required("creationData.createOption")
    size = props.get("diskSizeGB") or (existing or {}).get("properties", {}).get("diskSizeGB")
    if not size and creation.get("createOption") == "Empty":
        # CRP: "Required parameter 'diskSizeGB' is missing (null)." for an empty disk without a size.
        raise cc.required("diskSizeGB")
    zones = body.get("zones") or (existing or {}).get("zones")
    if existing is not None:
        cc.check_same_location(existing, location, rg)
        if existing.get("managedBy") and size and int(size) < existing["properties"]["diskSizeGB"]:
            raise cc.invalid_parameter("Disk size reduction is not supported.", "diskSizeGB")
    new = disk_body(
        sim, rid=rid, name=name, location=location, sku=sku, size_gb=int(size or 30),
        creation=creation, zones=zones, tags=body.get("tags") if "tags" in body else (existing or {}).get("tags"),
        managed_by=(existing or {}).get("managedBy"),
        os_type=props.get("osType") or (existing or {}).get("properties", {}).get("osType"),
        hyperv=props.get("hyperVGeneration") or (existing or {}).get("properties", {}).get("hyperVGeneration"),
    )
    if existing is not None:
        for keep in ("timeCreated", "uniqueId", "burstingEnabled", "burstingEnabledTime"):
            if keep in existing["properties"]:
                new["properties"][keep] = existing["properties"][keep]
    if isinstance(props.get("burstingEnabled"), bool):
        if props["burstingEnabled"] and not new["properties"].get("burstingEnabled"):
            new["properties"]["burstingEnabledTime"] = cc.now()
        new["properties"]["burstingEnabled"] = props["burstingEnabled"]
        if not props["burstingEnabled"]:
            new["properties"].pop("burstingEnabledTime", None)
    resp = sim.accept_put(req, rid, new, created=existing is None, namespace=cc.NS, location=location,
                          rtype=cc.DISK_TYPE, transient="Updating")
    # The Disk RP answers 202 for create and update (the SDK accepts only 200/202 here), both headers on the
    # DiskOperations URL, the body an echo of the request.
    opid = resp.headers["Azure-AsyncOperation"].split("/operations/")[1].split("?")[0]
    op_url = (f"{req.base}/subscriptions/{sim.subscription_id}/providers/Microsoft.Compute/locations/"
              f"{sim.ops[opid].location}/DiskOperations/{opid}?{urlencode({'api-version': req.api_version or ''})}")
    resp.status = 202
    resp.headers["Azure-AsyncOperation"] = op_url
    resp.headers["Location"] = op_url
    echo: dict[str, Any] = {"name": name, "id": rid, "type": cc.DISK_TYPE, "location": location}
    for key in ("tags", "sku"):  # zones are not echoed (recorded test_vm_disk_create_zones.yaml #1)
        if sent.get(key) is not None:
            echo[key] = copy.deepcopy(sent[key])
    echo["properties"] = {**copy.deepcopy(sent.get("properties") or {}), "provisioningState": "Updating"}
    if sku not in ("UltraSSD_LRS", "PremiumV2_LRS"):
        # Only Ultra and Premium SSD v2 take set IOPS/throughput; the recorded echo of a Premium_LRS update
        # leaves the sent values out (test_disk_bursting.yaml #9).
        for key in ("diskIOPSReadWrite", "diskMBpsReadWrite"):
            echo["properties"].pop(key, None)
    resp.body = echo
    return resp


@route("GET", cc.SUB + "/providers/Microsoft.Compute/locations/{loc}/DiskOperations/{opid}")
def disk_operation(sim: ArmSim, req: ArmRequest, sub: str, loc: str, opid: str) -> ArmResponse:
    """``{startTime, endTime, status, properties: {output: <disk>}, name}`` (recorded)."""
    op = sim.poll(opid)
    body: dict[str, Any] = {"startTime": op.start_time, "status": op.status, "name": op.id}
    if op.end_time:
        body["endTime"] = op.end_time
    if op.status == "Succeeded" and op.resource_id is not None:
        disk = sim.peek(op.resource_id)
        if disk is not None:
            body["properties"] = {"output": cc.public(disk)}
    if op.status == "Failed" and op.error is not None:
        body["error"] = op.error
    return ArmResponse(200, body)


@route("GET", cc.DISKS + "/{name}")
def get_disk(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    rid = _rid(sim, rg, name)
    sim.touch_resource_ops(rid)
    return ArmResponse(200, cc.public(sim.require(rid)))


@route("DELETE", cc.DISKS + "/{name}")
def delete_disk(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    rid = _rid(sim, rg, name)
    disk = sim.peek(rid)
    if disk is None:
        return ArmResponse(204)  # ARM: deleting what is not there is a no-op
    sim.check_locks(disk["id"], "delete")
    if disk.get("managedBy"):
        raise attached_error(disk)
    return sim.accept_delete(req, disk["id"], namespace=cc.NS, location=disk["location"], rtype=cc.DISK_TYPE)


@route("GET", cc.DISKS)
def list_group_disks(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    sim.require_group(rg)
    items = [cc.public(d) or {} for d in sim.of_type(cc.DISK_TYPE, group=sim.group_id(rg))]
    items.sort(key=lambda d: str(d["name"]).lower())
    return sim.paged(req, items)


@route("GET", cc.SUB + "/providers/Microsoft.Compute/disks")
def list_disks(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    items = [cc.public(d) or {} for d in sim.of_type(cc.DISK_TYPE)]
    items.sort(key=lambda d: str(d["id"]).lower())
    return sim.paged(req, items)
