"""Shared helpers of the Microsoft.Compute provider: paths, private state, wire-key validation and
the small lookups (SKU capabilities, images) every compute module needs.

Private simulator state lives in the stored body under ``_sim`` and is stripped from every answer
(:func:`public`), so the wire shape stays exactly what Azure sends.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import re
from typing import TYPE_CHECKING, Any

from ..catalog import locations as catalog_locations
from ..wire import ArmError, ArmRequest

if TYPE_CHECKING:
    from ..core import ArmSim

NS = "Microsoft.Compute"
VM_TYPE = "Microsoft.Compute/virtualMachines"
DISK_TYPE = "Microsoft.Compute/disks"
SUB = "/subscriptions/{sub}"
RG = SUB + "/resourceGroups/{rg}"
VMS = RG + "/providers/Microsoft.Compute/virtualMachines"
DISKS = RG + "/providers/Microsoft.Compute/disks"
LOC = SUB + "/providers/Microsoft.Compute/locations/{loc}"

PRIVATE = "_sim"


def now() -> str:
    """Compute RP timestamps carry 7 fractional digits and an explicit offset
    (``2022-05-18T09:41:39.4827026+00:00``, az CLI recording test_vm_create_ubuntu.yaml)."""
    t = _dt.datetime.now(_dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}0+00:00"


def public(body: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a stored body without simulator-private keys."""
    if body is None:
        return None
    return {k: copy.deepcopy(v) for k, v in body.items() if not k.startswith("_")}


def private(body: dict[str, Any]) -> dict[str, Any]:
    priv: dict[str, Any] = body.setdefault(PRIVATE, {})
    return priv


def rid_of(sim: ArmSim, rg: str, rtype: str, name: str) -> str:
    return f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/{NS}/{rtype}/{name}"


def group_name(sim: ArmSim, rg: str) -> str:
    """The resource group name as it was created (ids echo the stored casing)."""
    body = sim.peek(sim.group_id(rg))
    return str(body["name"]) if body else rg


# ---------------------------------------------------------------- request body checks


def json_body(req: ArmRequest) -> dict[str, Any]:
    body = req.json()
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: "
                       "'Unexpected character encountered while parsing value. Path '', line 1, position 1.'")
    return body


# Maps a JSON path (without list indexes) to the .NET type ARM/CRP name in Newtonsoft errors.
_TYPE_NAMES = {
    "": "ResourceDefinition",
    "properties": "VirtualMachineProperties",
    "properties.hardwareProfile": "HardwareProfile",
    "properties.storageProfile": "StorageProfile",
    "properties.storageProfile.osDisk": "OSDisk",
    "properties.storageProfile.dataDisks": "DataDisk",
    "properties.storageProfile.imageReference": "ImageReference",
    "properties.osProfile": "OSProfile",
    "properties.osProfile.linuxConfiguration": "LinuxConfiguration",
    "properties.networkProfile": "NetworkProfile",
    "properties.networkProfile.networkInterfaces": "NetworkInterfaceReference",
    "properties.securityProfile": "SecurityProfile",
}
# Free-form maps whose keys are data, not members (tag names may contain underscores).
_FREE_FORM = {"tags", "userAssignedIdentities"}


def check_wire_keys(req: ArmRequest, body: dict[str, Any], props_type: str = "VirtualMachineProperties") -> None:
    """Reject snake_case member names the way ARM does.

    The SDK sends plain dicts as-is, so ``{"hardware_profile": ...}`` reaches Azure verbatim and is
    answered 400 InvalidRequestContent "The request content was invalid and could not be deserialized:
    'Could not find member 'hardware_profile' on object of type 'ResourceDefinition'. Path
    'hardware_profile', line 1, position 153.'" (quoted in a public test of an azure-mgmt-compute
    caller; the SDK's hybrid models are keyed by wire names and a dict body goes out unchanged:
    https://aka.ms/azsdk/python/migrate/hybrid-models). Keys inside ``properties`` get the RP's type names.
    """
    found = _find_snake(body, "")
    if found is None:
        return
    path, key = found
    container = path.rsplit(".", 1)[0] if "." in path else ""
    generic = re.sub(r"\[\d+\]", "", container)
    tname = props_type if generic == "properties" else _TYPE_NAMES.get(generic) or _pascal(generic)
    raw = req.body.decode("utf-8", "replace") if isinstance(req.body, bytes) else str(req.body or "")
    pos = raw.find(f'"{key}"')
    position = pos + len(key) + 2 if pos >= 0 else 1
    raise ArmError(
        400,
        "InvalidRequestContent",
        "The request content was invalid and could not be deserialized: "
        f"'Could not find member '{key}' on object of type '{tname}'. Path '{path}', line 1, "
        f"position {position}.'",
    )


def _pascal(path: str) -> str:
    last = path.rsplit(".", 1)[-1] if path else "ResourceDefinition"
    return last[:1].upper() + last[1:]


def _find_snake(node: Any, path: str) -> tuple[str, str] | None:
    if isinstance(node, dict):
        for k, v in node.items():
            sub = f"{path}.{k}" if path else k
            if "_" in k and not k.startswith("$"):
                return sub, k
            if k in _FREE_FORM:
                continue
            found = _find_snake(v, sub)
            if found:
                return found
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found = _find_snake(item, f"{path}[{i}]")
            if found:
                return found
    return None


def invalid_parameter(message: str, target: str | None = None, status: int = 400) -> ArmError:
    return ArmError(status, "InvalidParameter", message, target=target)


def required(path: str) -> ArmError:
    """CRP's missing-parameter answer, e.g. "Required parameter 'osProfile' is missing (null)."
    (target 'osProfile'), as seen in public VM deployment failures."""
    return invalid_parameter(f"Required parameter '{path}' is missing (null).", path)


# ---------------------------------------------------------------- ARM front-door checks


def check_location(sim: ArmSim, location: Any, rtype: str) -> str:
    """ARM's answer for a missing or unknown region (same wording as for every resource type)."""
    if not location or not isinstance(location, str):
        raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
    if not catalog_locations.is_known_location(location):
        regions = ",".join(r["name"] for r in catalog_locations.locations_payload(sim.subscription_id))
        raise ArmError(
            400, "LocationNotAvailableForResourceType",
            f"The provided location '{location}' is not available for resource type '{rtype}'. "
            f"List of available regions for the resource type is '{regions}'.")
    return catalog_locations.normalize_location(location)


def check_zones_supported(location: str, zones: list[str], rtype: str, name: str,
                          api_version: str | None = None) -> None:
    """Zones asked in a region without availability zones. The compute RP answers 400
    ResourceTypeNotSupportAvailabilityZones "The resource type 'virtualMachines' does not support
    availability zones at location 'southcentralus' and api-version '2019-03-01'."
    (kubernetes-sigs/cluster-api-provider-azure#294); the network RP's wording for public IPs is
    LocationNotSupportAvailabilityZones (https://github.com/aztfmod/terraform-azurerm-caf/issues/1744)."""
    if zones and not catalog_locations.zones_for(location):
        short = rtype.split("/", 1)[-1]
        raise ArmError(400, "ResourceTypeNotSupportAvailabilityZones",
                       f"The resource type '{short}' does not support availability zones at location '{location}' "
                       f"and api-version '{api_version or ''}'.")


# ---------------------------------------------------------------- catalog lookups


def sku_caps(sku: dict[str, Any] | None) -> dict[str, str]:
    if not sku:
        return {}
    return {str(c.get("name")): str(c.get("value")) for c in sku.get("capabilities") or []}


def vcpus_of(sku: dict[str, Any] | None) -> int:
    try:
        return int(sku_caps(sku).get("vCPUs", "0"))
    except ValueError:
        return 0


def dumps_compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"))


def check_same_location(existing: dict[str, Any] | None, location: str, rg: str) -> None:
    """https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-invalid-resource-location
    (409, message as users report it)."""
    if existing is not None and existing.get("location") != location:
        raise ArmError(
            409,
            "InvalidResourceLocation",
            f"The resource '{existing['name']}' already exists in location '{existing['location']}' in resource "
            f"group '{rg}'. A resource with the same name cannot be created in location '{location}'. "
            "Please select a new resource name.",
        )
