"""Read-only Microsoft.Compute catalogs: resource SKUs, vCPU usages, VM sizes and marketplace images.

* ``GET /subscriptions/{s}/providers/Microsoft.Compute/skus`` (SDK default api-version 2021-07-01):
  only the ``location eq '…'`` filter is honoured; Azure ignores every other filter and answers the
  full list (Azure/azure-sdk-for-net#9428, Azure/azure-sdk-for-go#6393: "does NOT filter for anything
  other than a filter that uses location"), in one response without ``nextLink``
  (Azure/azure-rest-api-specs#15672).
* ``.../locations/{loc}/usages``: limits from the quota catalog, ``currentValue`` from the VMs in state
  (deallocated VMs still count).
* ``.../locations/{loc}/vmSizes`` and the ``publishers/.../versions`` image lists answer what the SDK
  expects: ``{"value": [...]}`` for sizes, **bare JSON arrays** for image lists.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..catalog import images as catalog_images
from ..catalog import locations as catalog_locations
from ..catalog import quotas as catalog_quotas
from ..catalog import skus as catalog_skus
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import compute_common as cc

if TYPE_CHECKING:
    from ..core import ArmSim

IMAGES = cc.LOC + "/publishers"
OFFERS = IMAGES + "/{pub}/artifacttypes/vmimage/offers"
SKUS = OFFERS + "/{offer}/skus"
VERSIONS = SKUS + "/{sku}/versions"

_LOCATION_FILTER = re.compile(r"^\s*location\s+eq\s+'([^']*)'\s*$", re.I)


def _known_location(req: ArmRequest, loc: str, rtype: str) -> str:
    """Location-scoped routes answer unknown regions the way ARM's router does: 400
    NoRegisteredProviderFound "No registered resource provider found for location 'x' and API version
    'y' for type 'locations/usages'. The supported api-versions are '…'. The supported locations are '…'."
    """
    if catalog_locations.is_known_location(loc):
        return catalog_locations.normalize_location(loc)
    known = ", ".join(catalog_locations.REGIONS)
    raise ArmError(
        400, "NoRegisteredProviderFound",
        f"No registered resource provider found for location '{loc}' and API version '{req.api_version}' for "
        f"type '{rtype}'. The supported api-versions are '2024-07-01, 2024-11-01, 2025-04-01, 2026-04-01'. "
        f"The supported locations are '{known}'.")


# ---------------------------------------------------------------- resource SKUs


@route("GET", cc.SUB + "/providers/Microsoft.Compute/skus")
def list_resource_skus(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    m = _LOCATION_FILTER.match(req.query.get("$filter") or "")
    records = catalog_skus.resource_skus(m.group(1) if m else None)
    return ArmResponse(200, {"value": records})


# ---------------------------------------------------------------- usages and sizes


@route("GET", cc.LOC + "/usages")
def list_usages(sim: ArmSim, req: ArmRequest, sub: str, loc: str) -> ArmResponse:
    from .compute_checks import usage_in

    location = _known_location(req, loc, "locations/usages")
    items = catalog_quotas.compute_usages_payload(location, usage_in(sim, location))
    return sim.paged(req, items)


@route("GET", cc.LOC + "/vmSizes")
def list_vm_sizes(sim: ArmSim, req: ArmRequest, sub: str, loc: str) -> ArmResponse:
    location = _known_location(req, loc, "locations/vmSizes")
    return ArmResponse(200, {"value": catalog_skus.vm_sizes_payload(location)})


# ---------------------------------------------------------------- marketplace images


def find_image(sim: ArmSim, location: str, publisher: str, offer: str, sku: str,
               version: str) -> tuple[dict[str, Any], str] | None:
    """The image version record for an imageReference (``latest`` resolved) and its exact version."""
    rec = catalog_images.get_version(location, publisher, offer, sku, version or "latest", sim.subscription_id)
    if rec is None:
        return None
    return rec, str(rec["name"])


def _array(items: list[dict[str, Any]] | None) -> ArmResponse:
    # Listing what does not exist gives an empty array rather than an error.
    return ArmResponse(200, items or [])


@route("GET", IMAGES)
def list_publishers(sim: ArmSim, req: ArmRequest, sub: str, loc: str) -> ArmResponse:
    location = _known_location(req, loc, "locations/publishers")
    return _array(catalog_images.list_publishers(location, sim.subscription_id))


@route("GET", OFFERS)
def list_offers(sim: ArmSim, req: ArmRequest, sub: str, loc: str, pub: str) -> ArmResponse:
    location = _known_location(req, loc, "locations/publishers")
    return _array(catalog_images.list_offers(location, pub, sim.subscription_id))


@route("GET", SKUS)
def list_image_skus(sim: ArmSim, req: ArmRequest, sub: str, loc: str, pub: str, offer: str) -> ArmResponse:
    location = _known_location(req, loc, "locations/publishers")
    return _array(catalog_images.list_skus(location, pub, offer, sim.subscription_id))


def _version_key(name: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.]", name))


@route("GET", VERSIONS)
def list_image_versions(sim: ArmSim, req: ArmRequest, sub: str, loc: str, pub: str, offer: str,
                        sku: str) -> ArmResponse:
    """Supports the ``$orderby=name desc`` + ``$top=1`` pair ``az vm create`` sends
    (recording test_vm_create_ubuntu.yaml)."""
    location = _known_location(req, loc, "locations/publishers")
    items = list(catalog_images.list_versions(location, pub, offer, sku, sim.subscription_id) or [])
    order = (req.query.get("$orderby") or "").strip().lower()
    if order.startswith("name"):
        items.sort(key=lambda i: _version_key(str(i["name"])), reverse=order.endswith("desc"))
    top = req.query.get("$top")
    if top and top.isdigit():
        items = items[: int(top)]
    if (req.query.get("$expand") or "").lower() == "properties":  # list_with_properties
        items = [catalog_images.get_version(location, pub, offer, sku, str(i["name"]), sim.subscription_id) or i
                 for i in items]
    return ArmResponse(200, items)


@route("GET", VERSIONS + "/{version}")
def get_image_version(sim: ArmSim, req: ArmRequest, sub: str, loc: str, pub: str, offer: str, sku: str,
                      version: str) -> ArmResponse:
    location = _known_location(req, loc, "locations/publishers")
    if version.lower() == "latest":
        rec = None  # "latest" is resolved by VM creation only; as a path segment it names no version
    else:
        rec = catalog_images.get_version(location, pub, offer, sku, version, sim.subscription_id)
    if rec is None:
        # 404 NotFound "Artifact: VMImage was not found." (CRP's answer for an unknown image version).
        raise ArmError(404, "NotFound", "Artifact: VMImage was not found.")
    return ArmResponse(200, rec)
