"""Microsoft.Compute: virtual machines (PUT/PATCH/GET/list/DELETE, power actions, instance view).

Disks, SKUs/usages/images/sizes and the create-time rejections live in ``compute_disks``,
``compute_catalog`` and ``compute_checks``; importing this module registers all of them.

Shapes follow the REST spec (``ComputeRP/stable/2024-11-01/examples/virtualMachineExamples``) and the
az CLI recording ``vm/tests/latest/recordings/test_vm_create_ubuntu.yaml`` (full VM GET with
``$expand=instanceView``). Secrets (``adminPassword``, ``customData``) are never stored or echoed:
Azure omits them from every answer.

Cross-provider contract used (Microsoft.Network provider, imported lazily): ``attach_nic_to_vm``,
``detach_nic_from_vm``, ``remove_nic``, ``remove_public_ip``, ``nic_public_ips``.
"""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from ..catalog import locations as catalog_locations
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import compute_catalog  # noqa: F401  (registers SKU/usage/image/size routes)
from . import compute_checks as checks
from . import compute_common as cc
from . import compute_disks as cdisks
from .api_shapes import older_than
from .resources import validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim

_POWER_TEXT = {
    "running": "VM running", "stopped": "VM stopped", "deallocated": "VM deallocated",
    "starting": "VM starting", "stopping": "VM stopping", "deallocating": "VM deallocating",
}


def _rid(sim: ArmSim, rg: str, name: str) -> str:
    return cc.rid_of(sim, cc.group_name(sim, rg), "virtualMachines", name)


_SETTLED = {"starting": "running", "stopping": "stopped", "deallocating": "deallocated"}


def _power(vm: dict[str, Any]) -> str:
    power = str((vm.get(cc.PRIVATE) or {}).get("power", "running"))
    if (vm.get("properties") or {}).get("provisioningState") == "Succeeded":
        # A settled VM is never mid-transition (e.g. state reloaded from a demo-mode file).
        power = _SETTLED.get(power, power)
    return power


# ---------------------------------------------------------------- create / update


@route("PUT", cc.VMS + "/{name}")
def put_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    body = cc.json_body(req)
    cc.check_wire_keys(req, body)
    return _create_or_update(sim, req, rg, name, body)


@route("PATCH", cc.VMS + "/{name}")
def patch_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    """``begin_update``: merge the patch into the current model, then run the same PUT path (200 only)."""
    sim.require_group(rg)
    patch = cc.json_body(req)
    cc.check_wire_keys(req, patch)
    current = sim.peek(_rid(sim, rg, name))
    if current is None:
        raise sim.not_found(_rid(sim, rg, name))
    merged = _merge(cc.public(current) or {}, patch)
    resp = _create_or_update(sim, req, rg, name, merged)
    resp.status = 200
    return resp


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "tags":
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _create_or_update(sim: ArmSim, req: ArmRequest, rg: str, name: str, body: dict[str, Any]) -> ArmResponse:
    location = cc.check_location(sim, body.get("location"), cc.VM_TYPE)
    validate_tags(body.get("tags"))
    rid = _rid(sim, rg, name)
    existing = sim.peek(rid)
    if existing is not None and existing.get("location") != location:
        raise ArmError(409, "InvalidResourceLocation",
                       f"The resource '{name}' already exists in location '{existing['location']}' in resource "
                       f"group '{cc.group_name(sim, rg)}'. A resource with the same name cannot be created in "
                       f"location '{location}'. Please select a new resource name.")
    sim.check_locks(rid, "write")
    if existing is None:
        checks.check_vm_name(name)
    props = body.get("properties") or {}
    zones = [str(z) for z in body.get("zones") or []]
    cc.check_zones_supported(location, zones, cc.VM_TYPE, name, req.api_version)
    size = (props.get("hardwareProfile") or {}).get("vmSize")
    sku = checks.resolve_size(sim, rid, location, size, zones)
    if existing is None:
        new, nic_ids = _build_new(sim, rid, name, location, body, sku)
        checks.check_quota(sim, rid, location, sku)
        return _accept_new(sim, req, rid, location, new, nic_ids)
    new, nic_ids = _build_update(sim, rid, existing, body, sku)
    old_size = existing["properties"]["hardwareProfile"]["vmSize"]
    if old_size.lower() != sku["name"].lower():
        checks.check_quota(sim, rid, location, sku)
    return _accept_update(sim, req, rid, location, existing, new, nic_ids)


def _build_new(sim: ArmSim, rid: str, name: str, location: str, body: dict[str, Any],
               sku: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    props = body.get("properties") or {}
    zones = [str(z) for z in body.get("zones") or []]
    size = sku["name"]
    storage = props.get("storageProfile") or {}
    image, exact = checks.resolve_image(sim, location, storage.get("imageReference"))
    image_props = image.get("properties") or {}
    os_type = (image_props.get("osDiskImage") or {}).get("operatingSystem", "Linux")
    checks.check_os_profile(props.get("osProfile"), os_type)
    security = props.get("securityProfile")
    checks.check_image_fit(size, sku, image, security)
    os_disk_in = storage.get("osDisk") or {}
    os_disk_name = os_disk_in.get("name") or f"{name}_OsDisk_1_{uuid.uuid4().hex}"
    # The VM reports the image's OS disk size in whole GiB, rounded down (image sizeInBytes 32213303808
    # -> diskSizeGB 30, recording test_vm_create_ubuntu.yaml).
    image_bytes = int((image_props.get("osDiskImage") or {}).get("sizeInBytes") or 30 * 1024**3)
    os_size = int(os_disk_in.get("diskSizeGB") or image_bytes // 1024**3)
    os_sku = (os_disk_in.get("managedDisk") or {}).get("storageAccountType") or _default_disk_sku(sku)
    checks.check_premium(size, sku, os_disk_name, os_sku)
    checks.check_ephemeral(size, sku, os_disk_in, os_size)
    checks.check_spot(size, sku, props)
    data_views = _data_disks_view(sim, rid, name, location, zones, storage.get("dataDisks") or [])
    for d in data_views:
        checks.check_premium(size, sku, d["name"], d["managedDisk"]["storageAccountType"])
    nic_refs = (props.get("networkProfile") or {}).get("networkInterfaces") or []
    nic_ids = checks.check_nics(sim, rid, location, nic_refs)
    checks.check_zone_pips(sim, rid, zones, nic_ids)

    new: dict[str, Any] = {"name": name, "id": rid, "type": cc.VM_TYPE, "location": location}
    for key in ("tags", "identity", "plan", "extendedLocation"):
        if body.get(key) is not None:
            new[key] = copy.deepcopy(body[key])
    if zones:
        new["zones"] = zones
    gen = image_props.get("hyperVGeneration") or "V1"
    out_props: dict[str, Any] = {
        "vmId": str(uuid.uuid4()),
        "hardwareProfile": {"vmSize": size},
        "storageProfile": {
            "imageReference": {**{k: storage["imageReference"][k] for k in ("publisher", "offer", "sku", "version")
                                  if k in storage["imageReference"]}, "exactVersion": exact},
            "osDisk": _os_disk_view(os_disk_in, os_type, os_disk_name, os_sku, os_size),
            "dataDisks": [],
            "diskControllerType": "SCSI",
        },
        "osProfile": _os_profile_view(props["osProfile"], os_type),
        "networkProfile": {"networkInterfaces": _nic_refs_view(nic_refs, nic_ids)},
    }
    if security:
        out_props["securityProfile"] = _security_view(security)
    for key in ("diagnosticsProfile", "additionalCapabilities", "priority", "evictionPolicy", "billingProfile",
                "licenseType"):
        if props.get(key) is not None:
            out_props[key] = copy.deepcopy(props[key])
    out_props["timeCreated"] = cc.now()
    new["properties"] = out_props
    new[cc.PRIVATE] = {"power": "starting", "hyperVGeneration": gen, "imageId": image.get("id"),
                       "architecture": image_props.get("architecture") or "x64", "etag": 1}
    if props.get("userData") is not None:
        new[cc.PRIVATE]["userData"] = props["userData"]  # returned only with $expand=userData
    if not os_disk_in.get("diffDiskSettings"):
        os_disk_id = cc.rid_of(sim, _group_of(rid), "disks", os_disk_name)
        out_props["storageProfile"]["osDisk"]["managedDisk"]["id"] = os_disk_id
    out_props["storageProfile"]["dataDisks"] = data_views
    return new, nic_ids


def _group_of(rid: str) -> str:
    return rid.split("/")[4]


def _default_disk_sku(sku: dict[str, Any]) -> str:
    # Without storageAccountType CRP picks Premium_LRS where the size supports it (the recording above
    # shows Premium_LRS for Standard_DS1_v2 with storageAccountType null), else Standard_LRS.
    return "Premium_LRS" if cc.sku_caps(sku).get("PremiumIO") == "True" else "Standard_LRS"


def _os_disk_view(os_disk: dict[str, Any], os_type: str, name: str, sku: str, size_gb: int) -> dict[str, Any]:
    view: dict[str, Any] = {
        "osType": os_type,
        "name": name,
        "createOption": "FromImage",
        "caching": os_disk.get("caching") or ("ReadOnly" if os_disk.get("diffDiskSettings") else "ReadWrite"),
    }
    if os_disk.get("diffDiskSettings"):
        diff = dict(os_disk["diffDiskSettings"])
        diff.setdefault("placement", "CacheDisk")
        view["diffDiskSettings"] = diff
    view["managedDisk"] = {"storageAccountType": sku}
    view["deleteOption"] = os_disk.get("deleteOption") or ("Delete" if os_disk.get("diffDiskSettings") else "Detach")
    view["diskSizeGB"] = size_gb
    return view


def _data_disks_view(sim: ArmSim, vm_id: str, vm_name: str, location: str, zones: list[str],
                     disks_in: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    group = _group_of(vm_id)
    for i, d in enumerate(disks_in):
        create = str(d.get("createOption") or "Empty")
        managed = d.get("managedDisk") or {}
        if create.lower() == "attach":
            disk = sim.peek(str(managed.get("id") or ""))
            if disk is None:
                raise cc.invalid_parameter(
                    f"The resource {managed.get('id')} referenced by the data disk at lun {d.get('lun')} was not "
                    "found.", f"dataDisks[{i}].managedDisk.id")
            if disk.get("managedBy") and disk["managedBy"].lower() != vm_id.lower():
                raise cdisks.attached_error(disk)
            name, sku, size = disk["name"], disk["sku"]["name"], disk["properties"]["diskSizeGB"]
            disk_id = disk["id"]
        else:
            name = d.get("name") or f"{vm_name}_disk{i + 2}_{uuid.uuid4().hex}"
            if not cdisks.name_ok(name):
                raise cc.invalid_parameter(
                    f"The entity name 'dataDisk.name' is invalid according to its validation rule: "
                    f"{cdisks.DISK_NAME_RULE}.", "dataDisk.name")
            sku = managed.get("storageAccountType") or "Standard_LRS"
            size = int(d.get("diskSizeGB") or 0)
            if not size:
                raise cc.required(f"dataDisks[{i}].diskSizeGB")
            disk_id = cc.rid_of(sim, group, "disks", name)
        out.append({
            "lun": int(d.get("lun", i)),
            "name": name,
            "createOption": "Attach" if create.lower() == "attach" else "Empty",
            "caching": d.get("caching") or "None",
            "managedDisk": {"storageAccountType": sku, "id": disk_id},
            "deleteOption": d.get("deleteOption") or "Detach",
            "diskSizeGB": size,
            "toBeDetached": False,
        })
    return out


def _os_profile_view(os_profile: dict[str, Any], os_type: str) -> dict[str, Any]:
    """The osProfile Azure echoes: no adminPassword, no customData (never returned)."""
    view: dict[str, Any] = {"computerName": os_profile["computerName"], "adminUsername": os_profile["adminUsername"]}
    if os_type == "Linux":
        linux = copy.deepcopy(os_profile.get("linuxConfiguration") or {})
        keys = (linux.get("ssh") or {}).get("publicKeys") or []
        linux["disablePasswordAuthentication"] = bool(linux.get("disablePasswordAuthentication", bool(keys)))
        if keys:
            linux["ssh"] = {"publicKeys": keys}
        linux.setdefault("provisionVMAgent", True)
        linux.setdefault("patchSettings", {"patchMode": "ImageDefault", "assessmentMode": "ImageDefault"})
        linux.setdefault("enableVMAgentPlatformUpdates", False)
        view["linuxConfiguration"] = linux
    else:
        win = copy.deepcopy(os_profile.get("windowsConfiguration") or {})
        win.setdefault("provisionVMAgent", True)
        win.setdefault("enableAutomaticUpdates", True)
        view["windowsConfiguration"] = win
    view["secrets"] = copy.deepcopy(os_profile.get("secrets") or [])
    view["allowExtensionOperations"] = os_profile.get("allowExtensionOperations", True)
    view["requireGuestProvisionSignal"] = True
    return view


def _nic_refs_view(refs: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for ref, nic_id in zip(refs, ids, strict=True):
        p = (ref or {}).get("properties") or {}
        view_props: dict[str, Any] = {}
        if "primary" in p:
            view_props["primary"] = p["primary"]
        view_props["deleteOption"] = p.get("deleteOption") or "Detach"
        out.append({"id": nic_id, "properties": view_props})
    return out


def _security_view(security: dict[str, Any]) -> dict[str, Any]:
    view = copy.deepcopy(security)
    if view.get("securityType") == "TrustedLaunch":
        uefi = view.setdefault("uefiSettings", {})
        uefi.setdefault("secureBootEnabled", True)
        uefi.setdefault("vTpmEnabled", True)
    return view


def _create_disks(sim: ArmSim, vm: dict[str, Any]) -> None:
    """Create the managed disks a new VM brings (OS disk from the image, empty data disks)."""
    props = vm["properties"]
    priv = cc.private(vm)
    os_disk = props["storageProfile"]["osDisk"]
    zones = vm.get("zones")
    tl = (props.get("securityProfile") or {}).get("securityType")
    if os_disk["managedDisk"].get("id"):
        disk = cdisks.disk_body(
            sim, rid=os_disk["managedDisk"]["id"], name=os_disk["name"], location=vm["location"],
            sku=os_disk["managedDisk"]["storageAccountType"], size_gb=os_disk["diskSizeGB"],
            creation={"createOption": "FromImage", "imageReference": {"id": priv.get("imageId")}},
            zones=zones, managed_by=vm["id"], os_type=os_disk["osType"], hyperv=priv.get("hyperVGeneration"),
            security_type=tl, architecture=priv.get("architecture"))
        sim.save(disk["id"], disk)
    for d in props["storageProfile"]["dataDisks"]:
        if sim.peek(d["managedDisk"]["id"]) is None:
            disk = cdisks.disk_body(
                sim, rid=d["managedDisk"]["id"], name=d["name"], location=vm["location"],
                sku=d["managedDisk"]["storageAccountType"], size_gb=d["diskSizeGB"],
                creation={"createOption": "Empty"}, zones=zones, managed_by=vm["id"])
            sim.save(disk["id"], disk)
        else:
            cdisks.attach(sim, d["managedDisk"]["id"], vm["id"])


def _accept_new(sim: ArmSim, req: ArmRequest, rid: str, location: str, vm: dict[str, Any],
                nic_ids: list[str]) -> ArmResponse:
    _create_disks(sim, vm)
    _attach_nics(sim, vm)

    def finalize(cur: dict[str, Any]) -> None:
        cc.private(cur)["power"] = "running"

    resp = sim.accept_put(req, rid, vm, created=True, namespace=cc.NS, location=location, rtype=cc.VM_TYPE,
                          finalize=finalize)
    resp.body = _view(resp.body, req=req)
    return resp


def _attach_nics(sim: ArmSim, vm: dict[str, Any]) -> None:
    from . import network

    refs = vm["properties"]["networkProfile"]["networkInterfaces"]
    for i, ref in enumerate(refs):
        primary = ref.get("properties", {}).get("primary")
        network.attach_nic_to_vm(sim, ref["id"], vm["id"], primary=bool(primary) if primary is not None else i == 0)


# ---------------------------------------------------------------- updates


def _build_update(sim: ArmSim, rid: str, existing: dict[str, Any], body: dict[str, Any],
                  sku: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """An update keeps what Azure treats as immutable and applies the rest (tags, size, NICs, data disks)."""
    props = body.get("properties") or {}
    cur = copy.deepcopy(existing)
    cur_props = cur["properties"]
    zones = [str(z) for z in body.get("zones") or cur.get("zones") or []]
    if [str(z) for z in cur.get("zones") or []] != zones and body.get("zones") is not None:
        raise ArmError(409, "PropertyChangeNotAllowed", "Changing property 'zones' is not allowed.", target="zones")
    os_in = props.get("osProfile") or {}
    for key in ("computerName", "adminUsername"):
        if key in os_in and os_in[key] != cur_props["osProfile"].get(key):
            # 409 PropertyChangeNotAllowed "Changing property 'osProfile.computerName' is not allowed."
            raise ArmError(409, "PropertyChangeNotAllowed", f"Changing property 'osProfile.{key}' is not allowed.",
                           target=f"osProfile.{key}")
    if "customData" in os_in:
        checks.check_custom_data(os_in["customData"])
    if body.get("tags") is not None:  # an empty {} is kept and answered, as Azure does
        cur["tags"] = copy.deepcopy(body["tags"])
    else:
        cur.pop("tags", None)  # a PUT replaces the model: no tags in the body, no tags kept
    size = sku["name"]
    cur_props["hardwareProfile"] = {"vmSize": size}
    os_disk = cur_props["storageProfile"]["osDisk"]
    checks.check_premium(size, sku, os_disk["name"], os_disk["managedDisk"]["storageAccountType"])
    storage_in = props.get("storageProfile") or {}
    if "dataDisks" in storage_in:
        keep = {d["lun"]: d for d in cur_props["storageProfile"]["dataDisks"]}
        fresh = [d for d in storage_in["dataDisks"] if int(d.get("lun", -1)) not in keep]
        views = _data_disks_view(sim, rid, cur["name"], cur["location"], zones, fresh)
        wanted = {int(d.get("lun", -1)) for d in storage_in["dataDisks"]}
        cur_props["storageProfile"]["dataDisks"] = sorted(
            [d for lun, d in keep.items() if lun in wanted] + views, key=lambda d: d["lun"])
        for d in cur_props["storageProfile"]["dataDisks"]:
            checks.check_premium(size, sku, d["name"], d["managedDisk"]["storageAccountType"])
    nic_ids = [n["id"] for n in cur_props["networkProfile"]["networkInterfaces"]]
    refs = (props.get("networkProfile") or {}).get("networkInterfaces")
    if refs is not None:
        nic_ids = checks.check_nics(sim, rid, cur["location"], refs)
        checks.check_zone_pips(sim, rid, zones, nic_ids)
        cur_props["networkProfile"] = {"networkInterfaces": _nic_refs_view(refs, nic_ids)}
    for key in ("diagnosticsProfile", "securityProfile", "additionalCapabilities", "licenseType"):
        if props.get(key) is not None:
            if key == "securityProfile" and key not in cur_props and props[key] == {"securityType": "Standard"}:
                continue  # the read default of 2025-11-01 on (version_defaults.READ_DEFAULTS) sent back: still unset
            cur_props[key] = copy.deepcopy(props[key])
    return cur, nic_ids


def _accept_update(sim: ArmSim, req: ArmRequest, rid: str, location: str, old: dict[str, Any],
                   new: dict[str, Any], nic_ids: list[str]) -> ArmResponse:
    from . import network

    old_nics = {n["id"].lower(): n["id"] for n in old["properties"]["networkProfile"]["networkInterfaces"]}
    for key, nic_id in old_nics.items():
        if key not in {n.lower() for n in nic_ids}:
            network.detach_nic_from_vm(sim, nic_id)
    _attach_nics(sim, new)
    new_disks = {d["managedDisk"]["id"].lower() for d in new["properties"]["storageProfile"]["dataDisks"]}
    for d in old["properties"]["storageProfile"]["dataDisks"]:
        if d["managedDisk"]["id"].lower() not in new_disks:
            cdisks.detach(sim, d["managedDisk"]["id"])
    _create_disks(sim, new)
    priv = cc.private(new)
    priv["etag"] = int(priv.get("etag", 1)) + 1
    resp = sim.accept_put(req, rid, new, created=False, namespace=cc.NS, location=location, rtype=cc.VM_TYPE)
    resp.body = _view(resp.body, req=req)
    if _only_tags_changed(old, new):
        # A tags-only update answers 200 Updating with no polling header (recorded `az vm update --set tags...`,
        # vm test_vm_create_no_wait.yaml #13); the update still completes on its own.
        resp.headers.pop("Azure-AsyncOperation", None)
    return resp


def _only_tags_changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    def strip(vm: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in vm.items() if k not in ("tags", cc.PRIVATE)}
        out["properties"] = {k: v for k, v in vm["properties"].items() if k != "provisioningState"}
        return out

    return strip(old) == strip(new) and old.get("tags") != new.get("tags")


# ---------------------------------------------------------------- reads


# The VM etag is in the 2023-09-01 model (https://learn.microsoft.com/azure/templates/microsoft.compute/
# change-log/virtualmachines), yet no recorded answer at 2023-09-01 carries it (test_vm_create_*.yaml,
# test_vm_disk_attach_detach.yaml, Dec 2023): it is answered from the next api-version on.
_ETAG_SINCE = "2023-09-02"


def _view(vm: dict[str, Any] | None, *, expand: bool = False, user_data: bool = False,
          req: ArmRequest | None = None) -> dict[str, Any]:
    assert vm is not None
    out = cc.public(vm) or {}
    priv = vm.get(cc.PRIVATE) or {}
    if not older_than(req, _ETAG_SINCE):
        out["etag"] = f'"{priv.get("etag", 1)}"'
    if expand:
        out["properties"]["instanceView"] = _instance_view(vm)
    if user_data and priv.get("userData") is not None:
        out["properties"]["userData"] = priv["userData"]
    return out


def _instance_view(vm: dict[str, Any]) -> dict[str, Any]:
    props = vm.get("properties") or {}
    priv = vm.get(cc.PRIVATE) or {}
    state = str(props.get("provisioningState", "Succeeded"))
    power = _power(vm)
    stamp = cc.now()
    view: dict[str, Any] = {"computerName": (props.get("osProfile") or {}).get("computerName")}
    if power == "running" and state == "Succeeded":
        view["vmAgent"] = {
            "vmAgentVersion": "2.13.1.1",
            "statuses": [{"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Ready",
                          "message": "Guest Agent is running", "time": stamp}],
            "extensionHandlers": [],
        }
    storage = props.get("storageProfile") or {}
    disks = [storage.get("osDisk") or {}] + list(storage.get("dataDisks") or [])
    view["disks"] = [{"name": d.get("name"), "statuses": [{
        "code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded",
        "time": props.get("timeCreated")}]} for d in disks if d.get("name")]
    view["hyperVGeneration"] = priv.get("hyperVGeneration", "V1")
    prov = {"code": f"ProvisioningState/{state.lower()}", "level": "Error" if state == "Failed" else "Info",
            "displayStatus": f"Provisioning {state.lower()}" if state in ("Succeeded", "Failed") else state}
    if state == "Succeeded":
        prov["time"] = stamp
    view["statuses"] = [prov]
    if state != "Failed":
        view["statuses"].append({"code": f"PowerState/{power}", "level": "Info",
                                 "displayStatus": _POWER_TEXT.get(power, power)})
    return view


@route("GET", cc.VMS + "/{name}/instanceView")
def get_instance_view(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    rid = _rid(sim, rg, name)
    sim.touch_resource_ops(rid)
    return ArmResponse(200, _instance_view(sim.require(rid)))


@route("GET", cc.VMS + "/{name}")
def get_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    rid = _rid(sim, rg, name)
    sim.touch_resource_ops(rid)
    expand = (req.query.get("$expand") or "").lower()
    if expand and expand not in ("instanceview", "userdata", "resiliencypolicy"):
        # CRP validates the enum: "The value of parameter $expand is invalid."
        raise cc.invalid_parameter("The value of parameter $expand is invalid.", "$expand")
    return ArmResponse(200, _view(sim.require(rid), expand=expand == "instanceview", user_data=expand == "userdata",
                                  req=req))


@route("GET", cc.VMS)
def list_group_vms(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    sim.require_group(rg)
    vms = sorted(sim.of_type(cc.VM_TYPE, group=sim.group_id(rg)), key=lambda v: v["name"].lower())
    expand = (req.query.get("$expand") or "").lower() == "instanceview"
    return sim.paged(req, [_view(v, expand=expand, req=req) for v in vms])


@route("GET", cc.SUB + "/providers/Microsoft.Compute/virtualMachines")
def list_all_vms(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    vms = sorted(sim.of_type(cc.VM_TYPE), key=lambda v: v["id"].lower())
    status_only = (req.query.get("statusOnly") or "").lower() == "true"
    return sim.paged(req, [_view(v, expand=status_only, req=req) for v in vms])


@route("GET", cc.LOC + "/virtualMachines")
def list_location_vms(sim: ArmSim, req: ArmRequest, sub: str, loc: str) -> ArmResponse:
    where = catalog_locations.normalize_location(loc)
    vms = sorted((v for v in sim.of_type(cc.VM_TYPE) if v.get("location") == where), key=lambda v: v["id"].lower())
    return sim.paged(req, [_view(v, req=req) for v in vms])


@route("GET", cc.VMS + "/{name}/vmSizes")
def list_available_sizes(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    from ..catalog import skus as catalog_skus

    sim.require_group(rg)
    vm = sim.require(_rid(sim, rg, name))
    return ArmResponse(200, {"value": catalog_skus.vm_sizes_payload(vm["location"])})


# ---------------------------------------------------------------- delete


@route("DELETE", cc.VMS + "/{name}")
def delete_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    sim.require_group(rg)
    rid = _rid(sim, rg, name)
    vm = sim.peek(rid)
    if vm is None:
        return ArmResponse(204)
    sim.check_locks(vm["id"], "delete")
    vm_id = vm["id"]

    def done() -> None:
        cur = sim.peek(vm_id)
        if cur is not None:
            _cascade_delete(sim, cur)
        sim.remove(vm_id)

    # forceDeletion=true only shortens the real operation; the outcome is the same.
    return sim.accept_delete(req, vm_id, namespace=cc.NS, location=vm["location"], rtype=cc.VM_TYPE, on_done=done)


def _cascade_delete(sim: ArmSim, vm: dict[str, Any]) -> None:
    """What VM deletion does to its parts, per their deleteOption
    (https://learn.microsoft.com/azure/virtual-machines/delete): disks and NICs marked Delete go with the
    VM, the rest are detached and kept; a deleted NIC's public IPs go only if their own deleteOption is
    Delete (``PublicIPAddressPropertiesFormat.deleteOption``, network REST spec)."""
    from . import network

    storage = vm["properties"]["storageProfile"]
    for disk in [storage["osDisk"]] + list(storage.get("dataDisks") or []):
        disk_id = (disk.get("managedDisk") or {}).get("id")
        if not disk_id:
            continue  # ephemeral OS disks are no resource
        if disk.get("deleteOption") == "Delete":
            sim.remove(disk_id)
        else:
            cdisks.detach(sim, disk_id)
    for ref in vm["properties"]["networkProfile"]["networkInterfaces"]:
        nic_id = ref["id"]
        if sim.peek(nic_id) is None:
            continue
        if (ref.get("properties") or {}).get("deleteOption") == "Delete":
            doomed = [p["id"] for p in network.nic_public_ips(sim, nic_id) if _pip_delete(sim, nic_id, p)]
            network.remove_nic(sim, nic_id)
            for pip_id in doomed:
                network.remove_public_ip(sim, pip_id)
        else:
            network.detach_nic_from_vm(sim, nic_id)


def _pip_delete(sim: ArmSim, nic_id: str, pip: dict[str, Any]) -> bool:
    if (pip.get("properties") or {}).get("deleteOption") == "Delete":
        return True
    nic = sim.peek(nic_id) or {}
    for cfg in (nic.get("properties") or {}).get("ipConfigurations") or []:
        ref = (cfg.get("properties") or {}).get("publicIPAddress") or {}
        if str(ref.get("id", "")).lower() == pip["id"].lower():
            return (ref.get("properties") or {}).get("deleteOption") == "Delete"
    return False


# ---------------------------------------------------------------- power actions


_ACTIONS = {
    # action: (power state while it runs, power state when done)
    "start": ("starting", "running"),
    "powerOff": ("stopping", "stopped"),
    "deallocate": ("deallocating", "deallocated"),
    "restart": ("starting", "running"),
}


def _action(sim: ArmSim, req: ArmRequest, rg: str, name: str, action: str) -> ArmResponse:
    sim.require_group(rg)
    rid = _rid(sim, rg, name)
    vm = sim.require(rid)
    # A ReadOnly lock blocks POST actions: "A read-only lock on a resource group that contains a virtual
    # machine prevents all users from starting or restarting the virtual machine."
    # (https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources)
    sim.check_locks(vm["id"], "write")
    if action == "restart" and _power(vm) in ("deallocated", "deallocating"):
        # 409 OperationNotAllowed "Operation 'PUT' is not allowed on VM 'avd-0' since the VM is deallocated
        # or marked to be deallocated." (az CLI output quoted in a public test fixture).
        raise ArmError(409, "OperationNotAllowed",
                       f"Operation 'restart' is not allowed on VM '{vm['name']}' since the VM is deallocated or "
                       "marked to be deallocated.")
    transitional, final = _ACTIONS[action]
    vm_id = vm["id"]
    cc.private(vm)["power"] = transitional
    vm["properties"]["provisioningState"] = "Updating"
    sim.save(vm_id, vm)

    def done() -> None:
        cur = sim.peek(vm_id)
        if cur is None:
            return
        cc.private(cur)["power"] = final
        cur["properties"]["provisioningState"] = "Succeeded"
        sim.save(vm_id, cur)

    return sim.accept_action(req, vm_id, namespace=cc.NS, location=vm["location"], action=action, on_done=done)


@route("POST", cc.VMS + "/{name}/start")
def start_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _action(sim, req, rg, name, "start")


@route("POST", cc.VMS + "/{name}/powerOff")
def power_off_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _action(sim, req, rg, name, "powerOff")


@route("POST", cc.VMS + "/{name}/deallocate")
def deallocate_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _action(sim, req, rg, name, "deallocate")


@route("POST", cc.VMS + "/{name}/restart")
def restart_vm(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _action(sim, req, rg, name, "restart")
