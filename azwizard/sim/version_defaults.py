"""Service defaults that depend on the api-version of the request that creates a resource.

A property a resource provider fills in when the client leaves it out can take a different value depending on the
api-version the create request used: the service applies the default of that version once, at creation, and then
stores and answers it like any other value (a later read at another api-version shows what was stored, filtered
by that version's model in ``apiversions.py``). Each entry cites where the change is announced.

A default can also depend on the api-version a client *reads* with: the service stores nothing and answers the
value only to versions from a given one on (:data:`READ_DEFAULTS`, applied by ``apiversions.shape``).

Surveyed for the simulated types (VM, NIC, public IP, VNet, subnet, NSG, disk, AKS cluster and pool, ACR, NAT
gateway); the version-dependent defaults found documented with their api-version:

- ``Microsoft.Compute/virtualMachines`` ``securityProfile.securityType``, read: "If not specified, Standard will be
  returned starting api version 2025-11-01" (the compute spec's ``SecurityProfile.securityType`` description, as
  azure-mgmt-compute's ``SecurityProfile`` model docstring carries it:
  https://learn.microsoft.com/python/api/azure-mgmt-compute/azure.mgmt.compute.models.securitytypes, "returns a
  Standard value starting API version 2025-11-01").
- ``Microsoft.ContainerService/managedClusters`` agent pools (inline ``agentPoolProfiles`` and ``agentPools``)
  ``upgradeSettings.maxSurge`` / ``maxUnavailable``, at creation (:func:`pool_upgrade_settings`): the stable
  specs' ``AgentPoolUpgradeSettings.maxSurge`` reads "If not specified, the default is 1" up to 2024-10-01 (the
  implicit default, stored as nothing: the pool answers the ``upgradeSettings`` it was sent, ``{}`` from az) and
  "If not specified, the default is 10%" from 2025-01-01; ``maxUnavailable`` ("If not specified, the default is
  0") is in the stable models from 2025-03-01 (azure-rest-api-specs ``aks/stable/<version>/managedClusters.json``,
  as the azure-mgmt-containerservice models generated from them carry it: 34.1.0 for 2024-10-01, 34.2.0 for
  2025-01-01, 35.0.0 for 2025-02-01, 36.0.0 for 2025-03-01).
- ``Microsoft.Network/virtualNetworks/subnets`` ``defaultOutboundAccess``, at creation: subnets created with api-version
  2025-07-01 or later are private by default (``false``); before it the property is left unset (the service's
  implicit default outbound access). https://techcommunity.microsoft.com/t5/azure-networking-blog/private-subnets-by-default-in-azure-virtual-networks-what/ba-p/4513778
  ("With API version 2025-07-01 and later: Subnets in newly created VNets are private by default. The subnet
  property ``defaultOutboundAccess`` is set to false"); https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
  ("For the API released after March 31, 2026, new virtual networks default to using private subnets").

What was checked and left as one default for every version is listed in docs/simulator.md.
"""

from __future__ import annotations

from typing import Any

# lower-cased resource type -> [(``properties`` key, first api-version with the new default, that default)]
CREATE_DEFAULTS: dict[str, list[tuple[str, str, Any]]] = {
    "microsoft.network/virtualnetworks/subnets": [("defaultOutboundAccess", "2025-07-01", False)],
}


# lower-cased resource type -> [(dotted path in the answer, first api-version answering it when unset, value)]
READ_DEFAULTS: dict[str, list[tuple[str, str, Any]]] = {
    "microsoft.compute/virtualmachines": [("properties.securityProfile.securityType", "2025-11-01", "Standard")],
}


# AgentPoolUpgradeSettings key -> (first api-version whose spec documents the default, that default): see above.
POOL_UPGRADE_DEFAULTS: dict[str, tuple[str, str]] = {
    "maxSurge": ("2025-01-01", "10%"),
    "maxUnavailable": ("2025-03-01", "0"),
}


def pool_upgrade_settings(sent: Any, previous: Any, api_version: str | None) -> dict[str, Any]:
    """An agent pool's stored ``upgradeSettings``: what the request sent; a key it leaves out keeps the stored value
    on an update (``previous``), and on a create takes the default of the request's api-version, when that version
    documents one (none before 2025-01-01: a pool created at 2023-10-01 with ``{}`` answers ``{}``)."""
    out = dict(sent) if isinstance(sent, dict) else {}
    stored = previous if isinstance(previous, dict) else None
    asked = (api_version or "")[:10]
    for key, (since, value) in POOL_UPGRADE_DEFAULTS.items():
        if out.get(key) not in (None, ""):
            continue
        out.pop(key, None)
        if stored is not None:
            if stored.get(key) not in (None, ""):
                out[key] = stored[key]
        elif asked and asked >= since:
            out[key] = value
    return out


def read_defaults(rtype: str, api_version: str | None) -> list[tuple[tuple[str, ...], Any]]:
    """(path, value) pairs an answer to ``api_version`` carries for ``rtype`` where the resource leaves them unset."""
    if not api_version:
        return []
    asked = api_version[:10]
    return [(tuple(path.split(".")), value) for path, since, value in READ_DEFAULTS.get(rtype.lower(), ())
            if asked >= since]


def fill_read_defaults(item: dict[str, Any], defaults: list[tuple[tuple[str, ...], Any]]) -> None:
    """Set each default path of ``item`` (a copy being answered) that is absent or null."""
    for path, value in defaults:
        node = item
        for part in path[:-1]:
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            if not isinstance(child, dict):
                break
            node = child
        else:
            if node.get(path[-1]) is None:
                node[path[-1]] = value


def create_defaults(rtype: str, api_version: str | None) -> dict[str, Any]:
    """The ``properties`` a resource of ``rtype`` created at ``api_version`` gets when the request leaves them out."""
    if not api_version:
        return {}
    asked = api_version[:10]
    return {key: value for key, since, value in CREATE_DEFAULTS.get(rtype.lower(), ()) if asked >= since}


def apply_create_defaults(rtype: str, api_version: str | None, props: dict[str, Any],
                          previous: dict[str, Any] | None) -> None:
    """Fill ``props`` (a PUT's stored properties) in place: on a create, the defaults of the request's api-version
    for the keys it left out; on an update, a key left out keeps its stored value (*unverified*: what NRP does with
    an omitted ``defaultOutboundAccess`` on a PUT over an existing subnet is not documented)."""
    for key, _since, _value in CREATE_DEFAULTS.get(rtype.lower(), ()):
        if key in props:
            continue
        if previous is not None:
            if key in previous:
                props[key] = previous[key]
        elif key in (defaults := create_defaults(rtype, api_version)):
            props[key] = defaults[key]
