"""AKS Kubernetes versions per region, as of 2026-11.

Body of ``GET /subscriptions/{id}/providers/Microsoft.ContainerService/locations/{loc}/kubernetesVersions``
modelled on a real payload (``aks_kubernetes_versions_westus2_2023-06-29.json``):

``{"values": [{"version": "1.34", "isDefault": true, "capabilities": {"supportPlan": [...]},
"patchVersions": {"1.34.4": {"upgrades": [...]}}}, ...]}``

Minor versions offered (deliberate; tests may rely on them):

* ``1.30``, ``1.31``: long-term support only (``supportPlan == ["AKSLongTermSupport"]``, patch
  numbers >= 100 as AKS uses for LTS-only patches) -> need the Premium tier;
* ``1.32``, ``1.33``, ``1.35``: ``KubernetesOfficial`` + ``AKSLongTermSupport``;
* ``1.34``: the default (``isDefault: true``), both plans;
* ``1.36``: preview (``isPreview: true``), ``KubernetesOfficial`` only; not offered in the small
  regions (``norwaywest``, ``ukwest``, ``swedensouth``, ``westcentralus``);
* ``1.29`` and older: not offered anywhere.
* ``norwaywest`` lags one patch behind on ``1.35`` (``1.35.2`` missing).

Upgrade lists are deliberately not sorted (real payloads are not), but deterministic.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from .locations import get_region

LTS = "AKSLongTermSupport"
OFFICIAL = "KubernetesOfficial"


@dataclass(frozen=True)
class _Minor:
    version: str
    support_plan: tuple[str, ...]
    patches: tuple[str, ...]  # ascending
    is_default: bool = False
    is_preview: bool = False


_MINORS: tuple[_Minor, ...] = (
    _Minor("1.30", (LTS,), ("1.30.100", "1.30.101", "1.30.102")),
    _Minor("1.31", (LTS,), ("1.31.100", "1.31.101")),
    _Minor("1.32", (OFFICIAL, LTS), ("1.32.9", "1.32.10", "1.32.11")),
    _Minor("1.33", (OFFICIAL, LTS), ("1.33.6", "1.33.7", "1.33.8")),
    _Minor("1.34", (OFFICIAL, LTS), ("1.34.3", "1.34.4", "1.34.5"), is_default=True),
    _Minor("1.35", (OFFICIAL, LTS), ("1.35.1", "1.35.2")),
    _Minor("1.36", (OFFICIAL,), ("1.36.0",), is_preview=True),
)

_NO_PREVIEW = frozenset({"norwaywest", "ukwest", "swedensouth", "westcentralus"})
_MISSING_PATCHES: dict[str, frozenset[str]] = {"norwaywest": frozenset({"1.35.2"})}


def _minors_for(region: str) -> list[_Minor]:
    out: list[_Minor] = []
    missing = _MISSING_PATCHES.get(region, frozenset())
    for m in _MINORS:
        if m.is_preview and region in _NO_PREVIEW:
            continue
        patches = tuple(p for p in m.patches if p not in missing)
        out.append(_Minor(m.version, m.support_plan, patches, m.is_default, m.is_preview))
    return out


def _shuffled(items: list[str], seed: str) -> list[str]:
    """A stable, unsorted order (real upgrade lists come in no particular order)."""
    return sorted(items, key=lambda s: zlib.crc32(f"{seed}/{s}".encode()))


def kubernetes_versions(location: str) -> dict[str, Any]:
    """The kubernetesVersions body for ``location`` (raises ``KeyError`` for unknown regions)."""
    region = get_region(location).name
    minors = _minors_for(region)
    values: list[dict[str, Any]] = []
    for i, m in enumerate(minors):
        nxt = minors[i + 1].patches if i + 1 < len(minors) else ()
        patch_versions: dict[str, Any] = {}
        for j, p in enumerate(m.patches):
            upgrades = list(m.patches[j + 1:]) + list(nxt)
            patch_versions[p] = {"upgrades": _shuffled(upgrades, f"{region}/{p}")}
        item: dict[str, Any] = {"version": m.version}
        if m.is_default:
            item["isDefault"] = True
        if m.is_preview:
            item["isPreview"] = True
        item["capabilities"] = {"supportPlan": list(m.support_plan)}
        item["patchVersions"] = patch_versions
        values.append(item)
    return {"values": values}


def _minor_of(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:2])


def _clean(version: str) -> str:
    v = version.strip()
    return v[1:] if v[:1] in ("v", "V") else v


_VERSION_RE = re.compile(r"^\d+\.\d+(\.\d+)?$")


def offered_minor_versions(location: str) -> list[str]:
    """Minor versions offered in ``location`` (``["1.30", ..., "1.36"]``)."""
    return [m.version for m in _minors_for(get_region(location).name)]


def patch_versions(location: str, minor: str) -> list[str]:
    """Patch versions of ``minor`` offered in ``location`` (ascending); ``[]`` if not offered."""
    want = _minor_of(_clean(minor))
    for m in _minors_for(get_region(location).name):
        if m.version == want:
            return list(m.patches)
    return []


def default_version(location: str) -> str:
    """The default *minor* version (``"1.34"``); use :func:`resolve_version` for its latest patch."""
    for m in _minors_for(get_region(location).name):
        if m.is_default:
            return m.version
    raise LookupError(f"no default Kubernetes version in {location}")  # pragma: no cover


def resolve_version(location: str, requested: str) -> str | None:
    """Resolve ``"1.34"`` (latest patch) or an exact patch (``"1.34.4"``); ``None`` if not offered.

    A leading ``v`` is accepted. Raises ``KeyError`` for an unknown region.
    """
    region = get_region(location).name
    v = _clean(requested)
    if not _VERSION_RE.match(v):
        return None
    for m in _minors_for(region):
        if v == m.version:
            return m.patches[-1] if m.patches else None
        if v in m.patches:
            return v
    return None


def _find_minor(location: str, version: str) -> _Minor | None:
    region = get_region(location).name
    v = _clean(version)
    if resolve_version(region, v) is None:
        return None
    want = _minor_of(v)
    return next((m for m in _minors_for(region) if m.version == want), None)


def is_lts_only(location: str, version: str) -> bool:
    """True if ``version`` (minor or patch) is offered only with ``AKSLongTermSupport`` (Premium tier)."""
    m = _find_minor(location, version)
    return m is not None and m.support_plan == (LTS,)


def is_preview(location: str, version: str) -> bool:
    """True if ``version`` (minor or patch) is offered as a preview version."""
    m = _find_minor(location, version)
    return m is not None and m.is_preview


def is_offered(location: str, version: str) -> bool:
    """True if ``version`` (minor or exact patch) is offered in ``location``."""
    return resolve_version(location, version) is not None
