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

from ..fields import REGISTRIES

# ARM targets (and the parameter paths messages quote), lower-cased, -> spec field, per journey, and the error
# codes that name the setting by themselves: each field's own (azwizard/fields). A target is matched on its last
# dotted parts too ("properties.osProfile.adminUsername" -> "adminusername").
_TARGETS: dict[str, dict[str, str]] = {journey: registry.targets() for journey, registry in REGISTRIES.items()}
_CODES: dict[str, dict[str, str]] = {journey: registry.codes() for journey, registry in REGISTRIES.items()}

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
