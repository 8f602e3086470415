"""What of a resource, as read, may be sent back in a PUT: the read body without its read-only properties.

An update is read-modify-write, as ``az … update`` does it (GET, change, PUT the whole resource): ARM's PUT
replaces the resource (https://learn.microsoft.com/rest/api/azure/#create-the-request), so the body sent is
the resource as read with only the planned changes. What the server fills in and owns (``provisioningState``,
``resourceGuid``, ``etag``, a VM's ``vmId`` and ``instanceView``, an NSG's ``defaultSecurityRules``, a
subnet's ``ipConfigurations``, a public IP's ``ipConfiguration`` …) is marked ``readOnly`` in the REST specs
(https://github.com/Azure/azure-rest-api-specs, e.g. specification/network/resource-manager/
Microsoft.Network/stable/*/networkSecurityGroup.json: ``"provisioningState": {"readOnly": true}``) and is
left out of the body: ARM's RPC says read-only properties in a PUT are ignored or refused
(https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/resource-api-reference.md#put-resource).

The readOnly marks are taken from the installed SDK's generated models, which are generated from those
specs: a hybrid model's field with ``visibility=["read"]`` is a spec ``readOnly`` property. The model class
for each resource kind is named here; kinds whose SDK has no hybrid models fall back to the names that are
read-only in every spec azwizard uses.
"""

from __future__ import annotations

import functools
import importlib
import sys
import typing
from collections.abc import Mapping
from typing import Any

# kind (lower case) -> (models module, model class)
MODELS: dict[str, tuple[str, str]] = {
    "microsoft.resources/resourcegroups": ("azure.mgmt.resource.resources.models", "ResourceGroup"),
    "microsoft.network/networksecuritygroups": ("azure.mgmt.network.models", "NetworkSecurityGroup"),
    "microsoft.network/publicipaddresses": ("azure.mgmt.network.models", "PublicIPAddress"),
    "microsoft.network/natgateways": ("azure.mgmt.network.models", "NatGateway"),
    "microsoft.network/virtualnetworks": ("azure.mgmt.network.models", "VirtualNetwork"),
    "microsoft.network/networkinterfaces": ("azure.mgmt.network.models", "NetworkInterface"),
    "microsoft.compute/virtualmachines": ("azure.mgmt.compute.models", "VirtualMachine"),
    "microsoft.compute/disks": ("azure.mgmt.compute.models", "Disk"),
    "microsoft.containerservice/managedclusters": ("azure.mgmt.containerservice.models", "ManagedCluster"),
    "microsoft.containerservice/managedclusters/agentpools": ("azure.mgmt.containerservice.models", "AgentPool"),
    "microsoft.containerservice/managedclusters/maintenanceconfigurations": ("azure.mgmt.containerservice.models",
                                                                            "MaintenanceConfiguration"),
    "microsoft.containerregistry/registries": ("azure.mgmt.containerregistry.models", "Registry"),
    "microsoft.recoveryservices/vaults": ("azure.mgmt.recoveryservices.models", "Vault"),
    # msrest-style (azure-mgmt-authorization 4.0): readOnly as ``_validation``, wire keys in ``_attribute_map``
    "microsoft.authorization/roleassignments": ("azure.mgmt.authorization.v2022_04_01.models", "RoleAssignment"),
}

# Read-only wherever they appear in the specs of the kinds above (the fallback for the others).
COMMON_READ_ONLY = frozenset({"provisioningState", "resourceGuid", "etag", "eTag", "type", "systemData"})


def writable(kind: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` (wire JSON as read) without its read-only properties, nested ones included."""
    cls = _model(kind)
    if cls is not None and not getattr(cls, "_is_model", False):
        out = _strip_paths(_strip_common(body), _msrest_read_only(cls))
    else:
        out = _strip_common(body) if cls is None else _strip(cls, body)
    return out if isinstance(out, dict) else {}


def etag_of(body: Mapping[str, Any] | None) -> str:
    """The resource's etag as read (``etag``; AKS names it ``eTag``), or "" when its provider returns none."""
    if not body:
        return ""
    return str(body.get("etag") or body.get("eTag") or "")


def _model(kind: str) -> type | None:
    where = MODELS.get(kind.lower())
    if where is None:
        return None
    try:
        cls = getattr(importlib.import_module(where[0]), where[1])
    except (ImportError, AttributeError):
        return None
    return cls if getattr(cls, "_is_model", False) or hasattr(cls, "_validation") else None


@functools.cache
def _fields(cls: type) -> dict[str, tuple[bool, type | None]]:
    """rest name -> (read-only, the model class of its value or of its items)."""
    module = sys.modules[cls.__module__]
    package = sys.modules.get(cls.__module__.rsplit(".", 1)[0], module)
    try:
        hints = typing.get_type_hints(cls, globalns=vars(module), localns={"_models": package})
    except Exception:
        hints = {}
    out: dict[str, tuple[bool, type | None]] = {}
    for attr, rf in cls()._attr_to_rest_field.items():  # type: ignore[attr-defined]
        out[rf._rest_name] = (getattr(rf, "_visibility", None) == ["read"], _model_in(hints.get(attr)))
    return out


def _msrest_read_only(cls: type) -> tuple[str, ...]:
    """The wire paths (``properties.createdOn``) an msrest model marks read-only."""
    attrs: dict[str, Any] = getattr(cls, "_attribute_map", {})
    return tuple(attrs[a]["key"] for a, rule in getattr(cls, "_validation", {}).items()
                 if rule.get("readonly") and a in attrs)


def _strip_paths(body: Any, paths: tuple[str, ...]) -> Any:
    if not isinstance(body, dict):
        return body
    for path in paths:
        *parents, leaf = path.split(".")
        node: Any = body
        for p in parents:
            node = node.get(p) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(leaf, None)
    return body


def _model_in(tp: Any) -> type | None:
    """The model class inside ``Optional[X]``, ``list[X]``, ``dict[str, X]``."""
    if tp is None:
        return None
    if isinstance(tp, type):
        return tp if getattr(tp, "_is_model", False) else None
    for arg in reversed(typing.get_args(tp)):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _strip(cls: type | None, value: Any) -> Any:
    if isinstance(value, list):
        return [_strip(cls, v) for v in value]
    if not isinstance(value, Mapping):
        return value
    if cls is None:
        return dict(value)
    fields = _fields(cls)
    out: dict[str, Any] = {}
    for k, v in value.items():
        read_only, sub = fields.get(k, (False, None))
        if read_only:
            continue
        out[k] = _strip(sub, v) if sub is not None else v
    return out


def _strip_common(value: Any) -> Any:
    if isinstance(value, list):
        return [_strip_common(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _strip_common(v) for k, v in value.items() if k not in COMMON_READ_ONLY}
    return value
