"""The live catalog (azwizard/azure/catalog.py) and its plain-data facts (azwizard/facts.py).

Facts are fetched by the real SDK clients from the simulator; expected values come from the
simulator's own catalog (azwizard/sim/catalog/), and the parsers are also checked on real
recorded payloads (copied into the simulator's catalog package).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from azwizard.azure.catalog import DEFAULT_TTL_S, VOLATILE_TTL_S, Catalog
from azwizard.azure.credentials import StaticTokenCredential
from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import ClientFactory
from azwizard.facts import (
    K8sVersion,
    Region,
    RegionFacts,
    SubscriptionFacts,
    Usage,
    VmSize,
    k8s_versions_from_wire,
    region_from_wire,
    vm_size_from_wire,
    vm_sizes_from_wire,
)
from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.catalog import kubernetes as sim_k8s
from azwizard.sim.catalog import quotas as sim_quotas
from azwizard.sim.catalog import skus as sim_skus
from azwizard.sim.transport import SimTransport

SKUS_PATH = "/providers/Microsoft.Compute/skus"
CATALOG_DATA = Path(sim_skus.__file__).parent
START = 1_800_000_000.0
WARM_REGIONS = ("norwayeast", "norwaywest")


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def factory(sim: ArmSim, sdk: Any) -> Iterator[ClientFactory]:
    """The product's factory, with the test credential and the simulator's transport (conftest's ``sdk``)."""
    with ClientFactory(sdk.credential, sim.subscription_id, base_url=SIM_BASE_URL, transport=sdk.transport,
                       polling_interval=0, retry_total=0) as f:
        yield f


@pytest.fixture
def catalog(factory: ClientFactory, tmp_path: Path, clock: FakeClock) -> Catalog:
    """A catalog with an empty cache: everything is fetched."""
    return Catalog(factory, cache_dir=tmp_path / "cache", clock=clock)


@pytest.fixture(scope="session")
def warm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A disk cache filled once per session for a few regions. Turning ~660 SKU records into SDK models
    costs ~0.4 s per region, so tests that only read facts start from a copy of this."""
    sim = ArmSim()
    factory = ClientFactory(StaticTokenCredential(), sim.subscription_id, base_url=SIM_BASE_URL,
                            transport=SimTransport(sim))
    cache = tmp_path_factory.mktemp("warm-catalog")
    cat = Catalog(factory, cache_dir=cache, clock=FakeClock())
    for region in WARM_REGIONS:
        cat.region_facts(region)
    return cache


@pytest.fixture
def warm(factory: ClientFactory, tmp_path: Path, clock: FakeClock, warm_dir: Path) -> Catalog:
    """A catalog whose disk cache already holds regions, SKUs and Kubernetes versions (not quotas)."""
    cache = tmp_path / "warm"
    shutil.copytree(warm_dir, cache)
    return Catalog(factory, cache_dir=cache, clock=clock)


def lists_fetched(sim: ArmSim, since: int = 0) -> list[str]:
    """Paths of the requests since ``since``, not counting a list's further pages (``$skiptoken``)."""
    return [r.path for r in sim.requests[since:] if "skiptoken" not in r.url.lower()]


def fetches(sim: ArmSim, path_suffix: str) -> int:
    return sum(p.endswith(path_suffix) for p in lists_fetched(sim))


# --------------------------------------------------------------------------------------------
# Regions and zones.


def test_regions_with_and_without_zones(catalog: Catalog) -> None:
    regions = catalog.regions()
    assert regions["norwayeast"] == Region("norwayeast", "Norway East", ("1", "2", "3"))
    assert regions["norwayeast"].has_zones
    assert regions["norwaywest"].zones == () and not regions["norwaywest"].has_zones
    assert catalog.region("Norway East").name == "norwayeast"  # display names work too
    with pytest.raises(AzwizardError) as err:
        catalog.region("atlantis")
    assert "atlantis" in err.value.what and "norwayeast" in err.value.fix


def test_logical_regions_are_not_offered() -> None:
    assert region_from_wire({"name": "europe", "type": "Region", "metadata": {"regionType": "Logical"}}) is None
    physical = region_from_wire({
        "name": "westeurope", "displayName": "West Europe", "type": "Region",
        "metadata": {"regionType": "Physical"},
        "availabilityZoneMappings": [{"logicalZone": "3", "physicalZone": "westeurope-az1"},
                                     {"logicalZone": "1", "physicalZone": "westeurope-az3"}],
    })
    assert physical == Region("westeurope", "West Europe", ("1", "3"))


def test_canary_regions_are_offered_last_and_marked(catalog: Catalog) -> None:
    """centraluseuap / eastus2euap ("Canary (US)") work only for EUAP subscriptions: listed, never first."""
    from azwizard.screens.wizard import region_options

    from azwizard.facts import SubscriptionFacts

    regions = catalog.regions()
    assert regions["centraluseuap"].early_access and not regions["eastus2"].early_access
    options = region_options(SubscriptionFacts("s", regions, {}, {}))
    assert [v for _, v in options[-2:]] == ["centraluseuap", "eastus2euap"]
    assert all("early access" in label for label, _ in options[-2:])
    assert not any("early access" in label for label, _ in options[:-2])


# --------------------------------------------------------------------------------------------
# VM sizes.


def _caps(record: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["value"] for c in record["capabilities"]}


def test_vm_sizes_match_the_simulated_sku_catalog(warm: Catalog) -> None:
    sizes = warm.vm_sizes("norwayeast")
    # Only virtualMachines records: the disks / availabilitySets records are dropped.
    assert set(sizes) == {r["name"] for r in sim_skus.vm_skus("norwayeast")}
    assert "Premium_LRS" not in sizes and "Classic" not in sizes

    for name in ("Standard_D4ds_v5", "Standard_B2s", "Standard_L16s_v3"):
        record = sim_skus.vm_sku("norwayeast", name)
        assert record is not None
        caps = _caps(record)
        size = sizes[name]
        assert size.family == record["family"]
        assert size.vcpus == int(caps["vCPUs"])
        assert size.memory_gb == float(caps["MemoryGB"])
        assert size.max_data_disks == int(caps["MaxDataDiskCount"])
        assert size.premium_io == (caps["PremiumIO"] == "True")
        assert size.ephemeral_os_supported == (caps["EphemeralOSDiskSupported"] == "True")
        assert size.cached_disk_bytes == int(caps.get("CachedDiskBytes", 0))
        assert size.resource_disk_mb == int(caps["MaxResourceVolumeMB"])
        assert size.hyperv_generations == tuple(caps["HyperVGenerations"].split(","))
        assert size.architecture == caps["CpuArchitectureType"]
        assert size.accelerated_networking == (caps["AcceleratedNetworkingEnabled"] == "True")
        assert size.nvme_disk_mib == int(caps.get("NvmeDiskSizeInMiB", 0))
        assert size.offered_zones == tuple(sim_skus.offered_zones(record))

    d4ds = sizes["Standard_D4ds_v5"]
    assert d4ds.ephemeral_placements == ("ResourceDisk", "CacheDisk")
    assert d4ds.offered_zones == ("1", "2", "3") and d4ds.usable_in(["1", "2", "3"])
    assert d4ds.series == "Ddsv5" and not d4ds.is_b_series and d4ds.supports_gen2


def test_zone_and_location_restrictions(warm: Catalog) -> None:
    sizes = warm.vm_sizes("norwayeast")
    d8 = sizes["Standard_D8s_v5"]  # DELIBERATE_RESTRICTIONS: Zone restriction, zone 2
    assert d8.restricted_zones == ("2",) and not d8.location_restricted
    assert d8.usable_zones == ("1", "3")
    assert d8.usable_in([]) and d8.usable_in(["1", "3"]) and not d8.usable_in(["1", "2", "3"])
    assert d8.restriction_reason == "NotAvailableForSubscription"

    b2ats = sizes["Standard_B2ats_v2"]  # Location restriction: unusable anywhere in the region
    assert b2ats.location_restricted and b2ats.usable_zones == ()
    assert not b2ats.usable_in([]) and not b2ats.usable_in(["1"])
    assert b2ats.is_b_series and b2ats.series == "Batsv2"

    free = sizes["Standard_D2s_v5"]  # GUARANTEED_UNRESTRICTED
    assert free.restricted_zones == () and free.restriction_reason is None

    arm = sizes["Standard_B2pts_v2"]
    assert arm.architecture == "Arm64" and arm.trusted_launch_disabled

    record = sim_skus.vm_sku("westeurope", "Standard_ND96asr_v4")  # parsed directly: one fetch less
    assert record is not None
    west = vm_size_from_wire(record, "westeurope")
    assert west.location_restricted and west.restriction_reason == "QuotaId"


def test_region_without_zones(warm: Catalog) -> None:
    facts = warm.region_facts("norwaywest", kubernetes=False)
    assert facts.region.zones == ()
    d2 = facts.size("standard_d2s_v5")  # any case, as ARM accepts it
    assert d2 is not None and d2.offered_zones == () and d2.usable_in([]) and not d2.usable_in(["1"])
    d4as = facts.size("Standard_D4as_v5")
    assert d4as is not None and d4as.location_restricted


def test_parsers_on_a_real_recorded_sku_payload() -> None:
    """resource_skus_eastus_sample.json: four real records (from a public recording)."""
    records = json.loads((CATALOG_DATA / "resource_skus_eastus_sample.json").read_text())["value"]
    sizes = vm_sizes_from_wire(records, "eastus")
    d2 = sizes["Standard_D2_v2"]
    assert (d2.vcpus, d2.memory_gb, d2.hyperv_generations, d2.premium_io) == (2, 7.0, ("V1",), False)
    assert d2.series == "Dv2"
    promo = sizes["Standard_D13_v2_Promo"]  # Location + Zone restricted; no CpuArchitectureType given
    assert promo.location_restricted and promo.restricted_zones == ("1", "2", "3") and promo.architecture == "x64"
    nv6 = sizes["Standard_NV6"]  # every zone restricted: regional deployment only
    assert nv6.offered_zones == ("2", "3") and nv6.usable_zones == ()
    assert nv6.usable_in([]) and not nv6.usable_in(["2"])
    assert sizes["Standard_D4s_v3"].cached_disk_bytes == 107374182400
    # A restriction that names another region does not apply here.
    other = dict(records[1], restrictions=[dict(r, values=["westus"], restrictionInfo={"locations": ["westus"]})
                                           for r in records[1]["restrictions"]])
    assert not vm_size_from_wire(other, "eastus").location_restricted


def test_series_names() -> None:
    def size(name: str) -> VmSize:
        return vm_size_from_wire({"name": name, "capabilities": []})

    assert size("Standard_B2s").series == "Bs" and size("Standard_B2s").is_b_series
    assert size("Standard_B2als_v2").is_b_series
    assert size("Standard_D4s_v5").series == "Dsv5"
    assert size("Standard_DS2_v2").series == "DSv2" and not size("Standard_DS2_v2").is_b_series
    assert size("Standard_E4-2ads_v5").series == "Eadsv5"
    assert size("Standard_NC4as_T4_v3").series == "NCasT4v3"
    assert size("Standard_D2s_v5").hyperv_generations == ("V1",)  # no capability: Gen1 only


# --------------------------------------------------------------------------------------------
# Quotas.


def test_compute_usages(warm: Catalog) -> None:
    usages = warm.compute_usages("norwayeast")
    limits = sim_quotas.compute_quota_limits("norwayeast")
    assert usages["cores"] == Usage("cores", "Total Regional vCPUs", 0, limits["cores"][0])
    assert usages["standardBSFamily"].limit == 20 and usages["standardBSFamily"].available == 20
    assert all(u.current == 0 for u in usages.values())
    # The SKU family is the join key of a quota check.
    family = warm.vm_sizes("norwayeast")["Standard_D4s_v5"].family
    assert family in usages
    assert warm.compute_usages("westeurope")["standardDSv5Family"].limit == 10
    assert warm.compute_usages("norwaywest")["cores"].limit == 20


def test_network_usages(catalog: Catalog) -> None:
    usages = catalog.network_usages("norwaywest")
    limits = sim_quotas.network_quota_limits("norwaywest")
    assert {name: u.limit for name, u in usages.items()} == {name: lim for name, (lim, _) in limits.items()}
    assert usages["StandardSkuPublicIpAddresses"].limit == 10
    assert all(u.current == 0 for u in usages.values())


def test_usage_available_never_negative() -> None:
    assert Usage("cores", "Total Regional vCPUs", 12, 10).available == 0
    assert Usage("cores", "Total Regional vCPUs", 4, 10).available == 6


# --------------------------------------------------------------------------------------------
# Kubernetes versions.


def test_kubernetes_versions(catalog: Catalog) -> None:
    versions = {v.version: v for v in catalog.kubernetes_versions("norwayeast")}
    expected = sim_k8s.kubernetes_versions("norwayeast")["values"]
    assert set(versions) == {v["version"] for v in expected}
    assert [v.version for v in versions.values() if v.is_default] == [sim_k8s.default_version("norwayeast")]
    assert versions["1.36"].is_preview and not versions["1.36"].lts_only
    assert versions["1.30"].lts_only and versions["1.30"].support_plans == ("AKSLongTermSupport",)
    assert not versions["1.34"].lts_only and versions["1.34"].lts_available
    assert versions["1.32"].patches == ("1.32.9", "1.32.10", "1.32.11")  # numeric order, not text
    assert versions["1.32"].latest_patch == "1.32.11"

    west = RegionFacts(Region("norwaywest", "Norway West"), {}, {}, {},
                       catalog.kubernetes_versions("Norway West"))
    assert west.kubernetes_version("1.36") is None  # no preview in the small regions
    assert west.kubernetes_version("1.35.1") is not None and west.kubernetes_version("1.35.2") is None
    assert west.default_kubernetes_version is not None


# A real answer (westus2, 2023-06-29): Azure/azure-cli, src/azure-cli/azure/cli/command_modules/acs/tests/
# latest/recordings/test_aks_create_dualstack_with_default_network.yaml, first interaction.
RECORDED_K8S_VERSIONS = {"values": [
    {"version": "1.24", "capabilities": {"supportPlan": ["KubernetesOfficial"]},
     "patchVersions": {"1.24.10": {"upgrades": ["1.25.6", "1.25.5"]},
                       "1.24.9": {"upgrades": ["1.25.6", "1.24.10", "1.25.5"]}}},
    {"version": "1.25", "capabilities": {"supportPlan": ["KubernetesOfficial"]},
     "patchVersions": {"1.25.5": {"upgrades": ["1.25.6", "1.26.0", "1.26.3"]},
                       "1.25.6": {"upgrades": ["1.26.0", "1.26.3"]}}},
    {"version": "1.26", "capabilities": {"supportPlan": ["KubernetesOfficial"]},
     "patchVersions": {"1.26.0": {"upgrades": ["1.26.3", "1.27.1"]}, "1.26.3": {"upgrades": ["1.27.1"]}}},
    {"version": "1.27", "capabilities": {"supportPlan": ["KubernetesOfficial", "AKSLongTermSupport"]},
     "patchVersions": {"1.27.1": {"upgrades": []}}},
]}


def test_kubernetes_parser_on_a_real_recorded_payload() -> None:
    versions = k8s_versions_from_wire(RECORDED_K8S_VERSIONS)
    assert [v.version for v in versions] == ["1.24", "1.25", "1.26", "1.27"]
    assert versions[0].patches == ("1.24.9", "1.24.10")
    assert versions[3].support_plans == ("KubernetesOfficial", "AKSLongTermSupport") and not versions[3].lts_only
    assert not any(v.is_default or v.is_preview for v in versions)  # the 2023 payload has no such keys


# --------------------------------------------------------------------------------------------
# Subscription facts.


def test_subscription_facts(catalog: Catalog, sim: ArmSim, rg: str) -> None:
    sim.extra.setdefault("providers", {})["microsoft.containerservice"] = "NotRegistered"
    facts = catalog.subscription_facts()
    assert facts.subscription_id == sim.subscription_id
    assert facts.region("norwayeast") == Region("norwayeast", "Norway East", ("1", "2", "3"))
    assert facts.provider_states["Microsoft.Compute"] == "Registered"
    assert facts.provider_registered("microsoft.network")
    assert facts.provider_states["Microsoft.ContainerService"] == "NotRegistered"
    assert not facts.provider_registered("Microsoft.ContainerService")
    assert set(facts.provider_states) == {"Microsoft.Compute", "Microsoft.Network", "Microsoft.ContainerService",
                                          "Microsoft.RecoveryServices", "Microsoft.ContainerRegistry"}
    assert facts.resource_groups == {"test-rg": "norwayeast"}
    assert facts.group_location("TEST-RG") == "norwayeast"


def test_groups_and_quotas_are_memoised_briefly_and_invalidated(
    catalog: Catalog, sdk: Any, clock: FakeClock, rg: str
) -> None:
    assert catalog.resource_groups() == {"test-rg": "norwayeast"}  # as created: lower-case here
    sdk.resources.resource_groups.create_or_update("Second-RG", {"location": "westeurope"})
    assert "Second-RG" not in catalog.resource_groups()  # within the 60 s memo
    clock.now += VOLATILE_TTL_S + 1
    assert catalog.resource_groups()["Second-RG"] == "westeurope"  # Azure's casing, kept
    sdk.resources.resource_groups.create_or_update("third-rg", {"location": "westeurope"})
    catalog.invalidate()
    assert "third-rg" in catalog.resource_groups()
    assert "third-rg" in catalog.resource_groups(refresh=True)
    assert not list(catalog.cache_dir.glob("groups*"))  # never written to disk


# --------------------------------------------------------------------------------------------
# Caching.


def test_second_call_makes_no_request(catalog: Catalog, sim: ArmSim) -> None:
    first = catalog.region_facts("Norway East")
    skus = [r for r in sim.requests if r.path.endswith(SKUS_PATH)]
    assert len(skus) == 1 and unquote(skus[0].url).endswith("$filter=location eq 'norwayeast'")
    before = len(sim.requests)
    second = catalog.region_facts("norwayeast")
    assert len(sim.requests) == before
    assert second == first
    assert sorted(p.name for p in catalog.cache_dir.iterdir()) == [
        "kubernetes.norwayeast.json", "locations.json", "skus.norwayeast.json", "usable-regions.json"]


def test_disk_cache_is_shared_by_a_new_catalog_but_quotas_are_not(
    warm: Catalog, factory: ClientFactory, sim: ArmSim, clock: FakeClock
) -> None:
    first = warm.region_facts("norwayeast")
    before = len(sim.requests)
    again = Catalog(factory, cache_dir=warm.cache_dir, clock=clock).region_facts("norwayeast")
    # Only the volatile facts are asked for again: compute and network usages.
    assert sorted(lists_fetched(sim, before)) == [
        f"/subscriptions/{sim.subscription_id}/providers/Microsoft.{rp}/locations/norwayeast/usages"
        for rp in ("Compute", "Network")]
    assert again == first


def test_ttl_expiry_and_refresh_refetch(catalog: Catalog, sim: ArmSim, clock: FakeClock) -> None:
    """Kubernetes versions stand for every disk-cached kind (same code path as SKUs, cheaper to fetch)."""
    k8s = "Microsoft.ContainerService/locations/norwayeast/kubernetesVersions"
    usages = "Microsoft.Compute/locations/norwayeast/usages"
    catalog.kubernetes_versions("norwayeast")
    catalog.compute_usages("norwayeast")

    clock.now += VOLATILE_TTL_S + 1  # quotas expire, versions do not
    catalog.kubernetes_versions("norwayeast")
    catalog.compute_usages("norwayeast")
    assert (fetches(sim, k8s), fetches(sim, usages)) == (1, 2)

    clock.now += DEFAULT_TTL_S  # now the versions have expired too, in memory and on disk
    catalog.kubernetes_versions("norwayeast")
    assert fetches(sim, k8s) == 2
    Catalog(catalog.factory, cache_dir=catalog.cache_dir, clock=clock).kubernetes_versions("norwayeast")
    assert fetches(sim, k8s) == 2  # the rewritten file is young again

    catalog.kubernetes_versions("norwayeast", refresh=True)
    catalog.compute_usages("norwayeast", refresh=True)
    assert (fetches(sim, k8s), fetches(sim, usages)) == (3, 3)


def test_corrupt_or_foreign_cache_files_are_ignored_and_rewritten(
    catalog: Catalog, factory: ClientFactory, sim: ArmSim, clock: FakeClock
) -> None:
    expected = catalog.kubernetes_versions("norwaywest")
    path = catalog.cache_dir / "kubernetes.norwaywest.json"
    valid = path.read_text()
    foreign = {"format": 1, "key": ["kubernetes", "westeurope"], "fetched_at": clock.now, "data": []}
    for garbage in ("{not json", "", "[]", json.dumps({"format": 1}), json.dumps(foreign),
                    json.dumps({**json.loads(valid), "format": 0}),  # an older azwizard's file
                    valid.replace('"version"', '"name"', 1)):  # a field renamed
        path.write_text(garbage)
        before = len(sim.requests)
        assert Catalog(factory, cache_dir=catalog.cache_dir, clock=clock).kubernetes_versions("norwaywest") == expected
        assert len(sim.requests) == before + 1  # refetched...
        assert json.loads(path.read_text())["key"] == ["kubernetes", "norwaywest"]  # ...and rewritten
    assert not [p for p in catalog.cache_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_cache_file_from_the_future_is_not_trusted(catalog: Catalog, sim: ArmSim, clock: FakeClock) -> None:
    catalog.regions()
    clock.now -= 3600  # the system clock went back an hour
    fresh = Catalog(catalog.factory, cache_dir=catalog.cache_dir, clock=clock)
    before = len(sim.requests)
    fresh.regions()
    assert len(sim.requests) == before + 1


def test_default_cache_dir_is_per_subscription(factory: ClientFactory) -> None:
    cat = Catalog(factory)
    assert cat.cache_dir.parts[-2:] == ("catalog", factory.subscription_id)


def test_facts_round_trip_through_json(warm: Catalog) -> None:
    facts = warm.region_facts("norwayeast")
    assert RegionFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts
    sub = warm.subscription_facts()
    assert SubscriptionFacts.from_dict(json.loads(json.dumps(sub.to_dict()))) == sub
    v = K8sVersion("1.34", True, False, ("KubernetesOfficial",), ("1.34.3",))
    assert K8sVersion.from_dict(json.loads(json.dumps(v.to_dict()))) == v


# --------------------------------------------------------------------------------------------
# Images.


def test_image_latest_is_resolved_with_generation_and_architecture(catalog: Catalog, sim: ArmSim) -> None:
    image = catalog.image("norwayeast", "Canonical", "ubuntu-24_04-lts", "server")
    assert image.version != "latest" and image.hyperv_generation == "V2" and image.architecture == "x64"
    assert image.urn.startswith("Canonical:ubuntu-24_04-lts:server:")
    before = len(sim.requests)
    assert catalog.image("norwayeast", "canonical", "ubuntu-24_04-lts", "server") == image  # cached, any case
    assert len(sim.requests) == before
    with pytest.raises(AzwizardError):
        catalog.image("norwayeast", "Canonical", "no-such-offer", "server")


# --------------------------------------------------------------------------------------------
# Errors.


def test_sdk_errors_become_azwizard_errors(warm: Catalog, sim: ArmSim) -> None:
    sim.faults.error("GET", "Microsoft.Compute/locations/norwayeast/usages", status=403, code="AuthorizationFailed",
                     message="The client 'me' does not have authorization to perform action "
                             "'Microsoft.Compute/locations/usages/read' over scope '/subscriptions/x'.")
    with pytest.raises(AzwizardError) as err:
        warm.region_facts("norwayeast")  # raised from a worker thread
    assert err.value.code == "AuthorizationFailed"
    assert warm.region_facts("norwayeast").compute_usages["cores"].limit == 100  # nothing poisoned


def test_failed_fetch_is_not_cached(catalog: Catalog, sim: ArmSim) -> None:
    sim.faults.server_error("GET", "kubernetesVersions", status=503)
    with pytest.raises(AzwizardError) as err:
        catalog.kubernetes_versions("norwayeast")
    assert err.value.code == "ServiceUnavailable"
    assert not (catalog.cache_dir / "kubernetes.norwayeast.json").exists()
    assert catalog.kubernetes_versions("norwayeast")


def test_unknown_region_is_reported_as_such(warm: Catalog) -> None:
    with pytest.raises(AzwizardError) as err:
        warm.region_facts("Atlantis Central")  # the usages fetches fail too; the region is the news
    assert "Atlantis Central" in err.value.what


# --------------------------------------------------------------------------------------------
# Import hygiene.


def test_importing_facts_and_catalog_loads_no_azure_module() -> None:
    code = ("import sys, azwizard.facts, azwizard.azure.catalog\n"
            "print(sorted(m for m in sys.modules if m == 'azure' or m.startswith('azure.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
