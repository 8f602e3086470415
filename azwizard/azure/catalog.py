"""The live catalog: what a subscription and its regions offer, fetched through the real SDK and cached.

The rules never call Azure; they read :mod:`azwizard.facts`. This service builds those facts from
the ARM APIs the Azure CLI and portal use (their wire shapes: see azwizard/facts.py):

=================  ===============================================================  ==============
fact               SDK call                                                         cache
=================  ===============================================================  ==============
regions, zones     ``subscriptions().subscriptions.list_locations(sub)``            disk, ``ttl_s``
VM sizes           ``compute().resource_skus.list(filter="location eq '<loc>'")``   disk, ``ttl_s``
Kubernetes vers.   ``containerservice().managed_clusters.list_kubernetes_versions``  disk, ``ttl_s``
images             ``compute().virtual_machine_images.list`` / ``.get``             disk, ``ttl_s``
compute quotas     ``compute().usage.list(loc)``                                    memory, 60 s
network quotas     ``network().usages.list(loc)``                                   memory, 60 s
provider states    ``resources().providers.get(ns)``                                memory, 60 s
resource groups    ``resources().resource_groups.list()``                           memory, 60 s
=================  ===============================================================  ==============

Why two policies: regions, SKUs, Kubernetes versions and images change on Azure's schedule (days),
so a disk cache shared by every run is safe and saves seconds (the SKU list of a big region is a
few MB). Quotas, resource groups and provider registrations change with every create, every
``az group create`` and every ``az provider register`` -- often in another process the disk cache
would not know about -- and a stale answer there makes a check block what would work, or pass
what will fail. So they never reach the disk; they are memoised in memory for only 60 s, which
keeps one wizard screen from asking twice while bounding the staleness. Call :meth:`invalidate`
after creating something to forget them at once.

Disk layout: ``<cache_dir>/<kind>[.<region>].json`` (one file per subscription, kind and region;
``cache_dir`` defaults to ``paths.cache_dir()/catalog/<subscription id>``), written atomically
(temporary file + ``os.replace``). A corrupt, foreign or future-dated file counts as a miss and is
rewritten. ``refresh=True`` bypasses both caches.

Independent fetches run concurrently on a small thread pool: they are I/O-bound and azure-core
clients are thread-safe. SDK exceptions leave as :class:`AzwizardError` (via :func:`explain`).
The SDK is only imported by the :class:`ClientFactory` methods, so importing this module loads no
``azure.*`` module.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from .. import paths
from ..atomicfile import write_text_atomic
from ..facts import (
    Image,
    K8sVersion,
    Region,
    RegionFacts,
    SubscriptionFacts,
    Usage,
    VmSize,
    image_from_wire,
    k8s_versions_from_wire,
    region_from_wire,
    usages_from_wire,
    version_key,
    vm_sizes_from_wire,
)
from ..locks import ScopeLock
from .arm import ArmClient
from .arm import api_version_for as _api
from .errors import AzwizardError, explain
from .session import ClientFactory

__all__ = ["DEFAULT_TTL_S", "PROVIDER_NAMESPACES", "VOLATILE_TTL_S", "Catalog"]

log = logging.getLogger(__name__)

DEFAULT_TTL_S = 6 * 3600.0
VOLATILE_TTL_S = 60.0  # quotas, groups, provider states: see the module docstring
CACHE_FORMAT = 1  # bump when a cached shape changes; older files then count as misses

PROVIDER_NAMESPACES = (
    "Microsoft.Compute",
    "Microsoft.Network",
    "Microsoft.ContainerService",
    "Microsoft.RecoveryServices",
    "Microsoft.ContainerRegistry",
)

_T = TypeVar("_T")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class _Stamped(Generic[_T]):
    value: _T
    fetched_at: float


@dataclass(frozen=True)
class _Kind(Generic[_T]):
    """How one kind of fact is fetched, and whether (and how) it goes to disk.

    ``key`` names it: the kind first, then the region and any other qualifier (also the file name).
    """

    key: tuple[str, ...]
    fetch: Callable[[], _T]
    to_json: Callable[[_T], Any] | None = None  # None: memory only (volatile)
    from_json: Callable[[Any], _T] | None = None


class Catalog:
    """Fetches and caches the live facts the rules need, for one subscription."""

    def __init__(
        self,
        factory: ClientFactory,
        *,
        cache_dir: Path | None = None,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.time,
        volatile_ttl_s: float = VOLATILE_TTL_S,
        max_workers: int = 6,
    ) -> None:
        self.factory = factory
        self.subscription_id = factory.subscription_id
        self.cache_dir = cache_dir or paths.cache_dir() / "catalog" / _safe(self.subscription_id.lower())
        self.ttl_s = ttl_s
        self.volatile_ttl_s = volatile_ttl_s
        self.clock = clock
        self.max_workers = max_workers
        self._memory: dict[tuple[str, ...], _Stamped[Any]] = {}
        self._lock = threading.Lock()

    # ----------------------------------------------------------------------------------------
    # Public API.

    def subscription_facts(self, refresh: bool = False) -> SubscriptionFacts:
        """Regions (with zones), provider registration states and existing resource groups."""
        regions, states, groups, usable, locks = self._gather(
            lambda: self._regions(refresh),
            lambda: self.provider_states(refresh),
            lambda: self.resource_groups(refresh),
            lambda: self._optional(lambda: self.usable_regions(refresh)),
            lambda: self._optional(lambda: self.locks(refresh)),
        )
        return SubscriptionFacts(self.subscription_id, regions.value, states, groups, usable, locks)

    @staticmethod
    def _optional(call: Callable[[], _T]) -> _T | None:
        """A fact the rules can do without (None: not read, e.g. no right to read locks)."""
        try:
            return call()
        except AzwizardError:
            return None

    def region_facts(self, location: str, refresh: bool = False, *, kubernetes: bool = True) -> RegionFacts:
        """VM sizes, compute and network quotas and (unless ``kubernetes=False``) AKS versions of a region.

        Raises :class:`AzwizardError` for a region the subscription does not offer.
        """
        loc = normalize_location(location)
        usable = self._optional(self.usable_regions)
        known = self.regions().get(loc) if usable is not None else None
        if usable is not None and known is not None and not usable & {loc, normalize_location(known.display_name)}:
            raise region_not_usable(known)  # one sentence, not the API version and every region (issue 19 item 23)
        parts: list[Callable[[], _Stamped[Any]]] = [
            lambda: self._regions(refresh),
            lambda: self._stamped(self._skus_kind(loc), refresh),
            lambda: self._stamped(self._compute_usages_kind(loc), refresh),
            lambda: self._stamped(self._network_usages_kind(loc), refresh),
        ]
        if kubernetes:
            parts.append(lambda: self._stamped(self._kubernetes_kind(loc), refresh))
        done = self._run_all(parts)
        # An unknown region is the error to report, not whatever the other fetches hit because of it.
        region = _find_region(done[0].result().value, location)
        results: list[_Stamped[Any]] = [f.result() for f in done]
        sizes, compute, network = results[1:4]
        versions: tuple[K8sVersion, ...] = results[4].value if kubernetes else ()
        return RegionFacts(
            region=region,
            vm_sizes=sizes.value,
            compute_usages=compute.value,
            network_usages=network.value,
            kubernetes_versions=versions,
            fetched_at=min(r.fetched_at for r in results),
        )

    def regions(self, refresh: bool = False) -> dict[str, Region]:
        """The subscription's physical regions by name, with their logical zones."""
        return self._regions(refresh).value

    def region(self, location: str, refresh: bool = False) -> Region:
        """One region by name or display name; :class:`AzwizardError` if the subscription lacks it."""
        return _find_region(self.regions(refresh), location)

    def vm_sizes(self, location: str, refresh: bool = False) -> dict[str, VmSize]:
        return self._stamped(self._skus_kind(normalize_location(location)), refresh).value

    def compute_usages(self, location: str, refresh: bool = False) -> dict[str, Usage]:
        return self._stamped(self._compute_usages_kind(normalize_location(location)), refresh).value

    def network_usages(self, location: str, refresh: bool = False) -> dict[str, Usage]:
        return self._stamped(self._network_usages_kind(normalize_location(location)), refresh).value

    def kubernetes_versions(self, location: str, refresh: bool = False) -> tuple[K8sVersion, ...]:
        return self._stamped(self._kubernetes_kind(normalize_location(location)), refresh).value

    def provider_states(self, refresh: bool = False) -> dict[str, str]:
        """Registration state (``Registered``, ``NotRegistered``, ``Registering``...) of each namespace
        azwizard deploys to."""
        return self._stamped(_Kind(("providers",), self._fetch_provider_states), refresh).value

    def usable_regions(self, refresh: bool = False) -> frozenset[str]:
        """The regions (names) where the subscription may create resource groups (see SubscriptionFacts)."""
        # cached on disk like the regions list: access to a region changes as rarely (a request granted)
        return self._stamped(_Kind(("usable-regions",), self._fetch_usable_regions, sorted, frozenset),
                             refresh).value

    def locks(self, refresh: bool = False) -> tuple[ScopeLock, ...]:
        """Every management lock in the subscription (azwizard/locks.py says what they block)."""
        from ..locks import read_locks

        def fetch() -> tuple[ScopeLock, ...]:
            with _explained():
                return read_locks(self.factory)

        return self._stamped(_Kind(("locks",), fetch), refresh).value

    def resource_groups(self, refresh: bool = False) -> dict[str, str]:
        """Existing resource groups: name (as Azure spells it) -> location."""
        return self._stamped(_Kind(("groups",), self._fetch_groups), refresh).value

    def image(
        self, location: str, publisher: str, offer: str, sku: str, version: str = "latest", refresh: bool = False
    ) -> Image:
        """A marketplace image version (``latest`` resolved to the newest), with its Hyper-V generation
        and architecture."""
        loc = normalize_location(location)
        kind = _Kind(
            ("image", loc, publisher.lower(), offer.lower(), sku.lower(), version.lower()),
            lambda: self._fetch_image(loc, publisher, offer, sku, version),
            Image.to_dict,
            Image.from_dict,
        )
        return self._stamped(kind, refresh).value

    def invalidate(self, location: str | None = None) -> None:
        """Forget the volatile facts (quotas, groups, provider states) -- call after creating something.

        With ``location``, only that region's quotas (plus groups and providers) are dropped.
        """
        loc = normalize_location(location) if location else None
        with self._lock:
            for key in list(self._memory):
                if key[0] in ("groups", "providers", "locks") or (
                    key[0] in ("compute-usages", "network-usages") and (loc is None or key[1] == loc)
                ):
                    del self._memory[key]

    # ----------------------------------------------------------------------------------------
    # Kinds: what to fetch and how it is cached.

    def _regions(self, refresh: bool) -> _Stamped[dict[str, Region]]:
        return self._stamped(
            _Kind(("locations",), self._fetch_regions, _regions_to_json, _regions_from_json),
            refresh,
        )

    def _skus_kind(self, loc: str) -> _Kind[dict[str, VmSize]]:
        return _Kind(
            ("skus", loc),
            lambda: self._fetch_vm_sizes(loc),
            lambda sizes: [s.to_dict() for s in sizes.values()],
            lambda data: {s.name: s for s in (VmSize.from_dict(d) for d in data)},
        )

    def _kubernetes_kind(self, loc: str) -> _Kind[tuple[K8sVersion, ...]]:
        return _Kind(
            ("kubernetes", loc),
            lambda: self._fetch_kubernetes(loc),
            lambda versions: [v.to_dict() for v in versions],
            lambda data: tuple(K8sVersion.from_dict(d) for d in data),
        )

    def _compute_usages_kind(self, loc: str) -> _Kind[dict[str, Usage]]:
        return _Kind(("compute-usages", loc), lambda: self._fetch_compute_usages(loc))

    def _network_usages_kind(self, loc: str) -> _Kind[dict[str, Usage]]:
        return _Kind(("network-usages", loc), lambda: self._fetch_network_usages(loc))

    # ----------------------------------------------------------------------------------------
    # Fetches (one read each through the generic client, azure/arm.py; errors become AzwizardError).

    @property
    def _sub(self) -> str:
        return f"/subscriptions/{self.subscription_id}"

    def _arm(self) -> ArmClient:
        return self.factory.arm()

    def _fetch_regions(self) -> dict[str, Region]:
        with _explained():
            items = list(self._arm().list_items(f"{self._sub}/locations", _api("microsoft.resources/subscriptions")))
        regions = (region_from_wire(item) for item in items)
        return {r.name: r for r in sorted((r for r in regions if r is not None), key=lambda r: r.name)}

    def _fetch_vm_sizes(self, loc: str) -> dict[str, VmSize]:
        with _explained():
            # The SKU API supports only a location filter; it still lists disks, availability sets...
            records = list(self._arm().list_items(f"{self._sub}/providers/Microsoft.Compute/skus",
                                                  _api("microsoft.compute/skus"), {"$filter": f"location eq '{loc}'"}))
        return vm_sizes_from_wire(records, loc)

    def _fetch_compute_usages(self, loc: str) -> dict[str, Usage]:
        with _explained():
            return usages_from_wire(self._arm().list_items(
                f"{self._sub}/providers/Microsoft.Compute/locations/{loc}/usages", _api("microsoft.compute/locations/usages")))

    def _fetch_network_usages(self, loc: str) -> dict[str, Usage]:
        with _explained():
            return usages_from_wire(self._arm().list_items(
                f"{self._sub}/providers/Microsoft.Network/locations/{loc}/usages", _api("microsoft.network/locations/usages")))

    def _fetch_kubernetes(self, loc: str) -> tuple[K8sVersion, ...]:
        with _explained():
            return k8s_versions_from_wire(self._arm().get(
                f"{self._sub}/providers/Microsoft.ContainerService/locations/{loc}/kubernetesVersions",
                _api("microsoft.containerservice/locations/kubernetesversions")))

    def _fetch_provider_states(self) -> dict[str, str]:
        arm = self._arm()

        def state(ns: str) -> str:
            with _explained():
                body = arm.get(f"{self._sub}/providers/{ns}", _api("microsoft.resources/providers"))
                return str(body.get("registrationState") or "NotRegistered")

        states = self._gather(*(partial(state, ns) for ns in PROVIDER_NAMESPACES))
        return dict(zip(PROVIDER_NAMESPACES, states, strict=True))

    def _fetch_usable_regions(self) -> frozenset[str]:
        """Microsoft.Resources' ``resourceGroups`` locations for this subscription (display names, as ARM lists
        them), as region names."""
        with _explained():
            provider = self._arm().get(f"{self._sub}/providers/Microsoft.Resources", _api("microsoft.resources/providers"))
        listed = next((t.get("locations") or [] for t in provider.get("resourceTypes") or []
                       if str(t.get("resourceType")).lower() == "resourcegroups"), [])
        return frozenset(normalize_location(str(name)) for name in listed)

    def _fetch_groups(self) -> dict[str, str]:
        with _explained():
            return {str(g.get("name")): str(g.get("location"))  # Azure's casing
                    for g in self._arm().list_items(f"{self._sub}/resourcegroups", _api("microsoft.resources/resourcegroups"))}

    def _fetch_image(self, loc: str, publisher: str, offer: str, sku: str, version: str) -> Image:
        arm = self._arm()
        api = _api("microsoft.compute/locations/publishers/artifacttypes/offers/skus/versions")
        base = (f"{self._sub}/providers/Microsoft.Compute/locations/{loc}/publishers/{quote(publisher, safe='')}"
                f"/artifacttypes/vmimage/offers/{quote(offer, safe='')}/skus/{quote(sku, safe='')}/versions")
        with _explained():
            if version.lower() == "latest":
                versions = [str(v.get("name")) for v in arm.get(base, api)["value"]]
                if not versions:
                    raise AzwizardError(
                        f"The image {publisher}:{offer}:{sku} has no versions in {loc}",
                        "Choose another image, or check its name with `az vm image list --all`.",
                    )
                version = max(versions, key=version_key)
            body = arm.get(f"{base}/{quote(version, safe='')}", api)
        return image_from_wire(body, publisher, offer, sku)

    # ----------------------------------------------------------------------------------------
    # The caches.

    def _stamped(self, kind: _Kind[_T], refresh: bool) -> _Stamped[_T]:
        persistent = kind.to_json is not None
        ttl = self.ttl_s if persistent else self.volatile_ttl_s
        if not refresh:
            with self._lock:
                hit = self._memory.get(kind.key)
            if hit is not None and self._fresh(hit.fetched_at, ttl):
                return hit
            if persistent:
                from_disk = self._read(kind)
                if from_disk is not None:
                    with self._lock:
                        self._memory[kind.key] = from_disk
                    return from_disk
        started = time.perf_counter()
        stamped = _Stamped(kind.fetch(), self.clock())
        log.debug("catalog: fetched %s in %.0f ms", "/".join(kind.key), (time.perf_counter() - started) * 1000)
        with self._lock:
            self._memory[kind.key] = stamped
        if persistent:
            self._write(kind, stamped)
        return stamped

    def _fresh(self, fetched_at: float, ttl: float) -> bool:
        age = self.clock() - fetched_at
        return 0 <= age < ttl  # a file from the future (clock change) is not trusted

    def _path(self, kind: _Kind[Any]) -> Path:
        return self.cache_dir / (".".join(_safe(part) for part in kind.key) + ".json")

    def _read(self, kind: _Kind[_T]) -> _Stamped[_T] | None:
        assert kind.from_json is not None
        path = self._path(kind)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") != CACHE_FORMAT or doc.get("key") != list(kind.key):
                return None
            fetched_at = float(doc["fetched_at"])
            if not self._fresh(fetched_at, self.ttl_s):
                return None
            return _Stamped(kind.from_json(doc["data"]), fetched_at)
        except FileNotFoundError:
            return None
        except Exception as exc:  # corrupt or from an older azwizard: a miss, rewritten after the fetch
            log.debug("catalog: ignoring unreadable cache file %s: %s", path, exc)
            return None

    def _write(self, kind: _Kind[_T], stamped: _Stamped[_T]) -> None:
        assert kind.to_json is not None
        path = self._path(kind)
        doc = {
            "format": CACHE_FORMAT,
            "key": list(kind.key),
            "subscription_id": self.subscription_id,
            "fetched_at": stamped.fetched_at,
            "data": kind.to_json(stamped.value),
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, json.dumps(doc, separators=(",", ":")), fsync=False)
        except OSError as exc:  # a read-only or full disk costs speed, not correctness
            log.warning("catalog: could not write cache file %s: %s", path, exc)

    # ----------------------------------------------------------------------------------------
    # Concurrency.

    def _gather(self, *calls: Callable[[], Any]) -> list[Any]:
        """Run independent calls concurrently; their results in order, or the first error (in call order)."""
        return [f.result() for f in self._run_all(list(calls))]

    def _run_all(self, calls: list[Callable[[], _T]]) -> list[Future[_T]]:
        """Run the calls on a small pool (they wait on I/O) and return their futures, all finished."""
        if len(calls) == 1:
            only: Future[_T] = Future()
            try:
                only.set_result(calls[0]())
            except Exception as exc:
                only.set_exception(exc)
            return [only]
        workers = min(self.max_workers, len(calls))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="azwizard-catalog") as pool:
            return [pool.submit(call) for call in calls]  # leaving the block waits for all of them


# --------------------------------------------------------------------------------------------
# Helpers.


def region_not_usable(region: Region) -> AzwizardError:
    return AzwizardError(
        f"{region.display_name} ({region.name}) is not available to this subscription, so its sizes and quotas "
        "cannot be read and nothing can be created there",
        "Pick another region (the picker marks the ones this subscription cannot use), or request access: "
        "https://learn.microsoft.com/troubleshoot/azure/general/region-access-request-process",
        code="LocationNotAvailableForResourceGroup")


def normalize_location(location: str) -> str:
    """ARM's location name: ``"Norway East"`` -> ``"norwayeast"``."""
    return "".join(location.split()).lower()


def _find_region(regions: Mapping[str, Region], location: str) -> Region:
    key = normalize_location(location)
    found = regions.get(key) or next(
        (r for r in regions.values() if normalize_location(r.display_name) == key), None
    )
    if found is None:
        raise AzwizardError(
            f"Region '{location}' is not available to this subscription",
            "Choose one of: " + ", ".join(sorted(regions)) + ".",
            code="LocationNotAvailableForResourceType",
        )
    return found


def _regions_to_json(regions: dict[str, Region]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in regions.values()]


def _regions_from_json(data: list[dict[str, Any]]) -> dict[str, Region]:
    regions = (Region.from_dict(d) for d in data)
    return {r.name: r for r in regions}


def _safe(part: str) -> str:
    """A file-name-safe piece (subscription ids and region names already are)."""
    return _SAFE.sub("_", part) or "_"


@contextmanager
def _explained() -> Iterator[None]:
    """Re-raise any SDK exception as the :class:`AzwizardError` that :func:`explain` gives."""
    try:
        yield
    except AzwizardError:
        raise
    except Exception as exc:
        raise explain(exc) from exc
