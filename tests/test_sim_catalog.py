"""Tests of the simulator's static catalog (azwizard.sim.catalog)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from azwizard.sim import catalog
from azwizard.sim.catalog import images, kubernetes, locations, quotas, skus

PKG_DIR = Path(skus.__file__).parent
# The recorded payloads the package's copies came from: reference data kept outside the repository (beside it in
# ../shared/data, or wherever AZWIZARD_REFERENCE_DATA points). Only test_package_copies_match_the_reference_payloads
# reads them, and it says so when they are absent; every other test uses the package's own copies.
REFERENCE_DATA = Path(os.environ.get("AZWIZARD_REFERENCE_DATA")
                      or Path(__file__).resolve().parents[2] / "shared" / "data")
REFERENCE_FILES = ("resource_skus_eastus_sample.json", "resource_skus_vm_names_to_size.json")

ZONED = ["norwayeast", "westeurope", "northeurope", "swedencentral", "eastus", "westus2", "uksouth"]
UNZONED = ["norwaywest", "ukwest"]


def caps(rec: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["value"] for c in rec["capabilities"]}


def vm_records(location: str | None = None) -> list[dict[str, Any]]:
    return [r for r in skus.resource_skus(location) if r["resourceType"] == "virtualMachines"]


# ------------------------------------------------------------------------------------------ locations

@pytest.mark.parametrize("region", ZONED)
def test_zoned_regions_have_three_zones(region: str) -> None:
    assert locations.zones_for(region) == ["1", "2", "3"]


@pytest.mark.parametrize("region", UNZONED)
def test_unzoned_regions_have_no_zones(region: str) -> None:
    assert locations.zones_for(region) == []


def test_location_names_are_case_and_space_insensitive() -> None:
    assert locations.zones_for("Norway East") == locations.zones_for("norwayeast") == ["1", "2", "3"]
    assert locations.zones_for("NORWAY WEST") == []
    assert locations.normalize_location("West Europe") == "westeurope"
    assert locations.normalize_location(" UK South ") == "uksouth"
    assert locations.is_known_location("Sweden Central")
    assert not locations.is_known_location("atlantis")
    assert not locations.is_known_location(None)
    with pytest.raises(KeyError):
        locations.zones_for("atlantis")


def test_locations_payload_shape() -> None:
    sub = locations.SUBSCRIPTION_ID
    items = locations.locations_payload(sub)
    names = [i["name"] for i in items]
    for required in ZONED + UNZONED:
        assert required in names
    for item in items:
        assert list(item)[:6] == ["id", "name", "type", "displayName", "regionalDisplayName", "metadata"]
        assert item["id"] == f"/subscriptions/{sub}/locations/{item['name']}"
        assert item["type"] == "Region"
        md = item["metadata"]
        if md["regionType"] == "Logical":  # europe, global...: Azure sends only type and category
            assert md == {"regionType": "Logical", "regionCategory": "Other"}
            assert "availabilityZoneMappings" not in item
            continue
        assert set(md) == {"regionType", "regionCategory", "geography", "geographyGroup", "longitude",
                           "latitude", "physicalLocation", "pairedRegion"}
        float(md["latitude"]), float(md["longitude"])
        assert isinstance(md["latitude"], str)
        for pair in md["pairedRegion"]:
            assert pair["name"] in names
            assert pair["id"] == f"/subscriptions/{sub}/locations/{pair['name']}"
        zones = list(locations.LISTED[item["name"]].zones)
        if zones:
            mapping = item["availabilityZoneMappings"]
            assert [m["logicalZone"] for m in mapping] == zones
            assert sorted(m["physicalZone"] for m in mapping) == [f"{item['name']}-az{z}" for z in zones]
        else:
            assert "availabilityZoneMappings" not in item
    no = next(i for i in items if i["name"] == "norwayeast")
    assert no["displayName"] == "Norway East"
    assert no["regionalDisplayName"] == "(Europe) Norway East"
    assert no["metadata"]["pairedRegion"][0]["name"] == "norwaywest"


def test_public_region_list_matches_azure() -> None:
    """The regions a real subscription lists (Feb 2025 answer, azure-cli test_list_locations.yaml), with
    the zones Azure maps for them: eastus2/centralus/eastasia exist, West US has no zones, the canary
    centraluseuap has two."""
    items = {i["name"]: i for i in locations.locations_payload(locations.SUBSCRIPTION_ID)}
    physical = [n for n, i in items.items() if i["metadata"]["regionType"] == "Physical"]
    assert len(physical) == 55 and len(items) == 81
    for name in ("eastus2", "centralus", "eastasia", "westus3", "southcentralus", "japaneast"):
        assert locations.zones_for(name) == ["1", "2", "3"]
    assert locations.zones_for("westus") == [] and "availabilityZoneMappings" not in items["westus"]
    assert [m["logicalZone"] for m in items["centraluseuap"]["availabilityZoneMappings"]] == ["1", "2"]
    assert items["newzealandnorth"]["metadata"]["pairedRegion"] == []
    assert items["eastus2"]["regionalDisplayName"] == "(US) East US 2"
    assert items["eastus2"]["metadata"]["regionCategory"] == "Other"
    assert items["global"]["metadata"] == {"regionType": "Logical", "regionCategory": "Other"}
    # listed but not usable until access is granted: restricted-access regions; canary ones are usable by
    # this early-access subscription
    for name in ("australiacentral2", "switzerlandwest"):
        assert name in items and not locations.is_known_location(name)
    for name in ("centraluseuap", "eastus2euap"):
        assert name in items and locations.is_known_location(name)
    assert "eastusstg" not in items  # Microsoft-internal stage regions are not listed


def test_new_regions_are_in_the_sku_catalog_with_their_zones() -> None:
    recs = {r["name"]: r for r in vm_records("eastus2")}
    assert recs["Standard_D2s_v5"]["locationInfo"][0]["zones"]
    assert vm_records("westus3") and vm_records("eastasia")
    assert all(not r["locationInfo"][0].get("zones") for r in vm_records("northcentralus"))


def test_zone_mapping_is_per_subscription_but_deterministic() -> None:
    a1 = locations.locations_payload("11111111-1111-1111-1111-111111111111")
    a2 = locations.locations_payload("11111111-1111-1111-1111-111111111111")
    assert a1 == a2
    maps = {json.dumps(locations.location_payload(f"{i:08d}-0000-0000-0000-000000000000", "westeurope")
                       ["availabilityZoneMappings"]) for i in range(30)}
    assert len(maps) > 1  # subscriptions see different logical->physical mappings


def test_locations_deserialize_in_sdk_model() -> None:
    from azure.mgmt.resource.subscriptions.models import Location

    items = {i["name"]: i for i in locations.locations_payload(locations.SUBSCRIPTION_ID)}
    loc = Location(items["norwayeast"])
    assert loc.metadata.paired_region[0].name == "norwaywest"
    assert loc.availability_zone_mappings[0].logical_zone == "1"
    assert Location(items["norwaywest"]).availability_zone_mappings is None


# ------------------------------------------------------------------------------------------------ skus

VM_KEYS = ["resourceType", "name", "tier", "size", "family", "locations", "locationInfo", "capabilities",
           "restrictions"]


def test_vm_records_have_wire_keys_and_string_capabilities() -> None:
    real_names = {r["name"] for r in skus.real_eastus_records()}
    for rec in vm_records():
        if rec["name"] in real_names and rec["locations"] == ["eastus"]:
            continue  # verbatim real records (Go-SDK null keys), checked separately
        assert list(rec) == VM_KEYS, rec["name"]
        assert rec["resourceType"] == "virtualMachines"
        assert rec["tier"] in ("Standard", "Basic")
        assert rec["name"] == f"{rec['tier']}_{rec['size']}"
        assert len(rec["locations"]) == 1
        info = rec["locationInfo"]
        assert len(info) == 1 and info[0]["location"] == rec["locations"][0]
        assert list(info[0]) == ["location", "zones", "zoneDetails"]
        for c in rec["capabilities"]:
            assert set(c) == {"name", "value"}
            assert isinstance(c["value"], str), (rec["name"], c)
        for r in rec["restrictions"]:
            assert list(r) == ["type", "values", "restrictionInfo", "reasonCode"]
            assert r["type"] in ("Location", "Zone")
            assert r["reasonCode"] in ("NotAvailableForSubscription", "QuotaId")
            assert r["values"] == rec["locations"]


def test_capability_values_are_well_formed() -> None:
    for rec in vm_records("westeurope") + vm_records("eastus"):
        c = caps(rec)
        assert int(c["vCPUs"]) >= int(c["vCPUsAvailable"]) >= 1
        assert float(c["MemoryGB"]) > 0
        assert int(c["MaxResourceVolumeMB"]) >= 0
        assert c["HyperVGenerations"] in ("V1", "V2", "V1,V2")
        assert c.get("CpuArchitectureType", "x64") in ("x64", "Arm64")  # absent in one real record
        for flag in ("PremiumIO", "EphemeralOSDiskSupported", "AcceleratedNetworkingEnabled",
                     "LowPriorityCapable", "EncryptionAtHostSupported"):
            assert c[flag] in ("True", "False"), (rec["name"], flag)
        if "CachedDiskBytes" in c:
            assert int(c["CachedDiskBytes"]) > 0


def test_real_eastus_records_are_present_verbatim() -> None:
    real = list(skus.real_eastus_records())
    assert len(real) == 4
    eastus = skus.resource_skus("eastus")
    for rec in real:
        assert rec in eastus
        assert sum(1 for r in eastus if r.get("name") == rec["name"]) == 1
        assert skus.vm_sku("eastus", rec["name"]) == rec
    promo = skus.vm_sku("eastus", "Standard_D13_v2_Promo")
    assert promo is not None
    assert {r["type"] for r in promo["restrictions"]} == {"Location", "Zone"}


def test_generated_capabilities_match_real_records() -> None:
    """The generator reproduces the real eastus values for the same sizes in another region."""
    hardware = {"vCPUs", "MemoryGB", "MaxResourceVolumeMB", "MaxDataDiskCount", "HyperVGenerations",
                "PremiumIO", "ACUs", "LowPriorityCapable", "VMDeploymentTypes", "MaxNetworkInterfaces",
                "EphemeralOSDiskSupported", "EncryptionAtHostSupported", "AcceleratedNetworkingEnabled",
                "CachedDiskBytes", "CpuArchitectureType", "GPUs", "vCPUsPerCore"}
    for real in skus.real_eastus_records():
        gen = skus.vm_sku("westus2", str(real["name"]))
        assert gen is not None, real["name"]
        assert gen["family"] == real["family"]
        real_caps, gen_caps = caps(real), caps(gen)
        for name, value in real_caps.items():
            if real["name"] == "Standard_D13_v2_Promo" and name not in hardware:
                continue
            assert gen_caps.get(name) == value, (real["name"], name, gen_caps.get(name), value)


def test_every_real_size_name_is_offered_somewhere() -> None:
    names = json.loads((PKG_DIR / "vm_sku_names.json").read_text())["skus"]
    assert len(names) == 806
    offered: dict[str, str] = {}
    for rec in vm_records():
        offered.setdefault(rec["name"], rec["size"])
    assert set(offered) == set(names)
    for name, size in names.items():
        assert offered[name] == size
    assert set(skus.vm_sku_names()) == set(names)


def test_package_copies_match_the_reference_payloads() -> None:
    """The package's copies are the recorded payloads, unmodified (optional: needs the reference data)."""
    missing = [name for name in REFERENCE_FILES if not (REFERENCE_DATA / name).is_file()]
    if missing:
        pytest.skip(f"reference payloads not present in {REFERENCE_DATA} ({', '.join(missing)}); "
                    "set AZWIZARD_REFERENCE_DATA to their folder to compare the package's copies with them")
    recorded = json.loads((REFERENCE_DATA / "resource_skus_eastus_sample.json").read_text())["value"]
    assert list(skus.real_eastus_records()) == recorded
    sizes = json.loads((REFERENCE_DATA / "resource_skus_vm_names_to_size.json").read_text())["skus"]
    assert json.loads((PKG_DIR / "vm_sku_names.json").read_text())["skus"] == sizes


def test_all_regions_listing_is_one_record_per_region() -> None:
    total = skus.resource_skus()
    per_region = sum(len(skus.resource_skus(r)) for r in locations.REGIONS)
    assert len(total) == per_region
    assert skus.resource_skus("Norway East") == skus.resource_skus("norwayeast")
    assert skus.resource_skus("atlantis") == []


@pytest.mark.parametrize("region", UNZONED)
def test_unzoned_regions_list_no_zones(region: str) -> None:
    recs = skus.resource_skus(region)
    assert recs
    for rec in recs:
        assert rec["locationInfo"][0]["zones"] == []
        for r in rec["restrictions"]:
            assert r["type"] == "Location"


def test_zoned_region_zones_are_subsets_of_region_zones() -> None:
    for region in ZONED:
        allowed = set(locations.zones_for(region))
        for rec in vm_records(region):
            zones = rec["locationInfo"][0]["zones"]
            assert set(zones) <= allowed
            assert len(zones) == len(set(zones))


def test_guaranteed_sizes_in_norwayeast_are_unrestricted_in_all_zones() -> None:
    required = ["Standard_B2s", "Standard_B2als_v2", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_DS2_v2",
                "Standard_DS3_v2", "Standard_D4ds_v5", "Standard_E2ds_v5"]
    assert set(required) <= set(skus.GUARANTEED_UNRESTRICTED["norwayeast"])
    for region, names in skus.GUARANTEED_UNRESTRICTED.items():
        for name in names:
            rec = skus.vm_sku(region, name)
            assert rec is not None, (region, name)
            assert rec["restrictions"] == [], (region, name)
            assert sorted(rec["locationInfo"][0]["zones"]) == locations.zones_for(region)
            assert skus.usable_zones(rec) == locations.zones_for(region)


def test_deliberate_restrictions_are_reported() -> None:
    assert len(skus.DELIBERATE_RESTRICTIONS) >= 8
    kinds = {(d.location, d.type) for d in skus.DELIBERATE_RESTRICTIONS}
    assert ("norwayeast", "Location") in kinds and ("norwayeast", "Zone") in kinds
    assert ("westeurope", "Zone") in kinds
    for d in skus.DELIBERATE_RESTRICTIONS:
        rec = skus.vm_sku(d.location, d.sku)
        assert rec is not None, d
        match = [r for r in rec["restrictions"] if r["type"] == d.type and r["reasonCode"] == d.reason_code]
        assert match, d
        info = match[0]["restrictionInfo"]
        assert info["locations"] == [d.location]
        if d.type == "Zone":
            assert info["zones"] == list(d.zones)
            assert set(d.zones) <= set(rec["locationInfo"][0]["zones"])
            assert not set(d.zones) & set(skus.usable_zones(rec))
        else:
            assert skus.location_restricted(rec)
            assert skus.usable_zones(rec) == []


def test_specific_scenarios_from_the_brief() -> None:
    b2als = skus.vm_sku("westeurope", "Standard_B2als_v2")
    assert b2als is not None
    assert skus.restricted_zones(b2als) == ["3"]
    assert skus.usable_zones(b2als) == ["1", "2"]
    d_zone2 = [d for d in skus.DELIBERATE_RESTRICTIONS
               if d.location == "norwayeast" and d.type == "Zone" and d.sku.startswith("Standard_D")]
    assert d_zone2 and d_zone2[0].zones == ("2",)
    loc_restricted = [d for d in skus.DELIBERATE_RESTRICTIONS
                      if d.location == "norwayeast" and d.type == "Location"]
    assert len(loc_restricted) >= 2


def test_availability_varies_by_region() -> None:
    counts = {r: len(vm_records(r)) for r in locations.REGIONS}
    assert counts["eastus"] == 806
    assert counts["norwaywest"] < counts["norwayeast"] < counts["westeurope"] <= counts["eastus"]
    for region in UNZONED:
        names = {r["name"] for r in vm_records(region)}
        assert not any(re.match(r"Standard_(N[CDPV]|H[BCX]|M)\d", n) for n in names), region
        assert "Standard_D2s_v5" in names
    # some GPU/HPC series are missing from at least one big zoned region
    full = {r: {x["name"] for x in vm_records(r)} for r in ("westeurope", "northeurope", "westus2")}
    specials = [n for n in skus.vm_sku_names() if re.match(r"Standard_(ND|NV|HB|HX)\d", n)]
    assert any(n not in full[r] for n in specials for r in full)


def test_generation_is_deterministic_across_processes() -> None:
    code = ("import hashlib, json; from azwizard.sim.catalog import skus; "
            "print(hashlib.sha256(json.dumps(skus.resource_skus()).encode()).hexdigest())")
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_generation_is_fast_and_cached() -> None:
    # CPU time, not wall time: the sandbox is shared with other busy processes.
    code = ("import time; from azwizard.sim.catalog import skus; t=time.process_time(); "
            "skus.resource_skus(); a=time.process_time()-t; t=time.process_time(); skus.resource_skus(); "
            "b=time.process_time()-t; print(a, b)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    cold, warm = (float(x) for x in out.stdout.split())
    assert cold < 0.5, cold  # ~0.06 s on the dev sandbox; the brief's budget is 0.2 s
    assert warm < 0.05, warm
    assert skus.resource_skus("norwayeast")[5] is skus.resource_skus("norwayeast")[5]


def test_vm_sku_lookup_and_capability_helper() -> None:
    rec = skus.vm_sku("Norway East", "standard_ds2_v2")
    assert rec is not None and rec["name"] == "Standard_DS2_v2"
    assert skus.vm_sku("norwayeast", "Standard_Nope_v9") is None
    assert skus.vm_sku("atlantis", "Standard_DS2_v2") is None
    assert skus.vm_sku("norwaywest", "Standard_NC24ads_A100_v4") is None
    assert skus.capability(rec, "vCPUs") == "2"
    assert skus.capability(rec, "vcpus") == "2"
    assert skus.capability(rec, "NoSuchCapability") is None
    assert skus.canonical_vm_size("STANDARD_d2S_V5") == "Standard_D2s_v5"
    assert skus.is_known_vm_size("Standard_B2als_v2") and not skus.is_known_vm_size("Standard_B2als_v9")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Standard_DS2_v2", {"vCPUs": "2", "MemoryGB": "7", "CachedDiskBytes": "92341796864",
                             "MaxResourceVolumeMB": "14336", "PremiumIO": "True", "EphemeralOSDiskSupported": "True",
                             "HyperVGenerations": "V1,V2", "CpuArchitectureType": "x64"}),
        ("Standard_DS3_v2", {"vCPUs": "4", "MemoryGB": "14", "CachedDiskBytes": str(172 * 1024**3)}),
        ("Standard_B2als_v2", {"vCPUs": "2", "MemoryGB": "4", "MaxResourceVolumeMB": "0", "PremiumIO": "True",
                               "EphemeralOSDiskSupported": "False", "CpuArchitectureType": "x64"}),
        ("Standard_B2s", {"vCPUs": "2", "MemoryGB": "4", "MaxResourceVolumeMB": "8192"}),
        ("Standard_B2pls_v2", {"vCPUs": "2", "MemoryGB": "4", "CpuArchitectureType": "Arm64",
                               "HyperVGenerations": "V2"}),
        ("Standard_D2s_v5", {"vCPUs": "2", "MemoryGB": "8", "MaxResourceVolumeMB": "0", "PremiumIO": "True",
                             "EphemeralOSDiskSupported": "False"}),
        ("Standard_D2_v5", {"PremiumIO": "False"}),
        ("Standard_D4ds_v5", {"vCPUs": "4", "MemoryGB": "16", "MaxResourceVolumeMB": "153600",
                              "EphemeralOSDiskSupported": "True"}),
        ("Standard_E2ds_v5", {"vCPUs": "2", "MemoryGB": "16", "MaxResourceVolumeMB": "76800"}),
        ("Standard_F4s_v2", {"vCPUs": "4", "MemoryGB": "8"}),
        ("Standard_D4ps_v5", {"CpuArchitectureType": "Arm64", "HyperVGenerations": "V2",
                              "TrustedLaunchDisabled": "True"}),
        ("Standard_E4-2s_v3", {"vCPUs": "4", "vCPUsAvailable": "2", "ParentSize": "Standard_E4s_v3"}),
        ("Standard_M8-2ms", {"vCPUs": "8", "vCPUsAvailable": "2", "MemoryGB": "218.75",
                             "ParentSize": "Standard_M8ms", "TrustedLaunchDisabled": "True"}),
        ("Standard_M416ms_v2", {"vCPUs": "416", "MemoryGB": "11400", "HyperVGenerations": "V2"}),
        ("Standard_A0", {"vCPUs": "1", "MemoryGB": "0.75", "HyperVGenerations": "V1"}),
        ("Standard_D1_v2", {"vCPUs": "1", "MemoryGB": "3.5", "AcceleratedNetworkingEnabled": "False"}),
        ("Standard_G5", {"vCPUs": "32", "MemoryGB": "448"}),
        ("Standard_NC24ads_A100_v4", {"GPUs": "1", "MemoryGB": "220", "NvmeDiskSizeInMiB": "915456"}),
    ],
)
def test_size_capabilities(name: str, expected: dict[str, str]) -> None:
    rec = skus.vm_sku("eastus", name)
    assert rec is not None
    c = caps(rec)
    for key, value in expected.items():
        assert c.get(key) == value, (name, key, c.get(key))


# Capability values seen in real resource-SKU payloads: eastus 2024-01 (Azure/karpenter-provider-azure
# pkg/fake/zz_generated.sku.eastus.go, generated from the live API) and koreasouth 2026-01 (a public
# CM-Beetle test report listing SKU capabilities). Only hardware facts are pinned here.
REAL_VALUES: dict[str, dict[str, str]] = {
    "Standard_A0": {"MaxResourceVolumeMB": "20480", "vCPUs": "1", "HyperVGenerations": "V1", "MemoryGB": "0.75",
                    "MaxDataDiskCount": "1", "LowPriorityCapable": "False", "PremiumIO": "False", "ACUs": "50",
                    "VMDeploymentTypes": "IaaS,PaaS", "EphemeralOSDiskSupported": "False",
                    "AcceleratedNetworkingEnabled": "False", "MaxNetworkInterfaces": "2"},
    "Standard_B1s": {"MaxResourceVolumeMB": "4096", "MemoryGB": "1", "MaxDataDiskCount": "2", "PremiumIO": "True",
                     "CachedDiskBytes": "32212254720", "UncachedDiskIOPS": "320", "EphemeralOSDiskSupported": "True",
                     "AcceleratedNetworkingEnabled": "False", "LowPriorityCapable": "False"},
    "Standard_D2s_v3": {"MaxResourceVolumeMB": "16384", "MemoryGB": "8", "MaxDataDiskCount": "4", "ACUs": "160",
                        "CachedDiskBytes": "53687091200", "UncachedDiskIOPS": "3200", "vCPUsPerCore": "2",
                        "CombinedTempDiskAndCachedIOPS": "4000", "HyperVGenerations": "V1,V2"},
    "Standard_D2_v3": {"MaxResourceVolumeMB": "51200", "HyperVGenerations": "V1", "PremiumIO": "False",
                       "VMDeploymentTypes": "IaaS,PaaS", "CombinedTempDiskAndCachedIOPS": "3000",
                       "CombinedTempDiskAndCachedReadBytesPerSecond": "48234496"},
    "Standard_D2_v5": {"MaxResourceVolumeMB": "0", "HyperVGenerations": "V1,V2", "MemoryGB": "8",
                       "PremiumIO": "False", "EphemeralOSDiskSupported": "False", "EncryptionAtHostSupported": "True",
                       "UncachedDiskIOPS": "3750"},
    "Standard_D64s_v3": {"MaxResourceVolumeMB": "524288", "MemoryGB": "256", "MaxDataDiskCount": "32",
                         "CachedDiskBytes": "1717986918400", "UncachedDiskIOPS": "80000",
                         "UncachedDiskBytesPerSecond": "1258291200", "MaxNetworkInterfaces": "8"},
    "Standard_DC8s_v3": {"MaxResourceVolumeMB": "0", "HyperVGenerations": "V2", "MemoryGB": "64",
                         "MaxDataDiskCount": "32", "vCPUsPerCore": "1", "EphemeralOSDiskSupported": "False",
                         "MaxNetworkInterfaces": "8", "family": "standardDCSv3Family"},
    "Standard_DS2_v2": {"MaxResourceVolumeMB": "14336", "HyperVGenerations": "V1,V2", "MemoryGB": "7",
                        "CachedDiskBytes": "92341796864", "UncachedDiskIOPS": "6400", "ACUs": "210",
                        "CombinedTempDiskAndCachedIOPS": "8000", "UncachedDiskBytesPerSecond": "96000000"},
    "Standard_F16s_v2": {"MaxResourceVolumeMB": "131072", "MemoryGB": "32", "ACUs": "195",
                         "CachedDiskBytes": "274877906944", "CombinedTempDiskAndCachedIOPS": "32000",
                         "CombinedTempDiskAndCachedReadBytesPerSecond": "262144000", "UncachedDiskIOPS": "25600",
                         "UncachedDiskBytesPerSecond": "384000000", "MaxNetworkInterfaces": "4"},
    "Standard_M8-2ms": {"MaxResourceVolumeMB": "256000", "vCPUs": "8", "vCPUsAvailable": "2",
                        "MemoryGB": "218.75", "MaxDataDiskCount": "8", "MaxWriteAcceleratorDisksAllowed": "1",
                        "ParentSize": "Standard_M8ms", "CachedDiskBytes": "851477266432", "UncachedDiskIOPS": "5000",
                        "UncachedDiskBytesPerSecond": "131072000", "TrustedLaunchDisabled": "True",
                        "MemoryPreservingMaintenanceSupported": "False"},
    "Standard_NC16as_T4_v3": {"MaxResourceVolumeMB": "360448", "MemoryGB": "110", "GPUs": "1",
                              "CachedDiskBytes": "154619000000", "MaxNetworkInterfaces": "8",
                              "family": "Standard NCASv3_T4 Family"},
    "Standard_NC24ads_A100_v4": {"MaxResourceVolumeMB": "65536", "MemoryGB": "220", "HyperVGenerations": "V2",
                                 "MaxDataDiskCount": "8", "CachedDiskBytes": "274877906944",
                                 "NvmeDiskSizeInMiB": "915456", "family": "StandardNCADSA100v4Family"},
    "Standard_NC6s_v3": {"MaxResourceVolumeMB": "344064", "MemoryGB": "112", "MaxDataDiskCount": "12",
                         "EphemeralOSDiskSupported": "True", "MaxNetworkInterfaces": "4"},
    "Standard_D16plds_v5": {"MaxResourceVolumeMB": "614400", "HyperVGenerations": "V2", "MemoryGB": "32",
                            "CpuArchitectureType": "Arm64", "vCPUsPerCore": "1", "CachedDiskBytes": "429496729600",
                            "TrustedLaunchDisabled": "True", "MaxNetworkInterfaces": "4",
                            "family": "standardDPLDSv5Family"},
    "Standard_D2s_v5": {"MaxResourceVolumeMB": "0", "MemoryGB": "8", "MaxDataDiskCount": "4",
                        "LowPriorityCapable": "True", "HibernationSupported": "True",
                        "CombinedTempDiskAndCachedIOPS": "9000", "UncachedDiskIOPS": "3750",
                        "UncachedDiskBytesPerSecond": "85000000", "EphemeralOSDiskSupported": "False"},
    "Standard_B2als_v2": {"MaxResourceVolumeMB": "0", "MemoryGB": "4", "MaxDataDiskCount": "4",
                          "LowPriorityCapable": "True", "PremiumIO": "True", "EphemeralOSDiskSupported": "False",
                          "MaxNetworkInterfaces": "2", "family": "standardBasv2Family"},
    "Standard_B4as_v2": {"MemoryGB": "16", "MaxDataDiskCount": "8", "UncachedDiskIOPS": "6400",
                         "UncachedDiskBytesPerSecond": "145000000", "CombinedTempDiskAndCachedIOPS": "19000",
                         "MaxNetworkInterfaces": "3"},
}


@pytest.mark.parametrize("name", sorted(REAL_VALUES))
def test_generated_values_match_real_payloads(name: str) -> None:
    rec = skus.vm_sku("eastus", name)
    assert rec is not None
    c = caps(rec)
    for key, value in REAL_VALUES[name].items():
        got = rec["family"] if key == "family" else c.get(key)
        assert got == value, (name, key, got, value)


def test_v5_sizes_without_temp_disk_have_no_cache() -> None:
    for rec in vm_records("eastus"):
        m = re.match(r"Standard_[DE]\d+(-\d+)?([a-z]*)_v5$", rec["name"])
        if not m:
            continue
        c = caps(rec)
        has_d = "d" in m.group(2)
        assert (c["MaxResourceVolumeMB"] != "0") == has_d, rec["name"]
        if not has_d:
            assert "CachedDiskBytes" not in c, rec["name"]
            assert c["EphemeralOSDiskSupported"] == "False", rec["name"]


def test_premium_io_follows_the_s_in_modern_names() -> None:
    for rec in vm_records("eastus"):
        m = re.match(r"Standard_[DEF]\d+(-\d+)?([a-z]*)_v[345]$", rec["name"])
        if not m:
            continue
        assert caps(rec)["PremiumIO"] == ("True" if "s" in m.group(2) else "False"), rec["name"]


def test_memory_ratios_per_series() -> None:
    ratios = {r"Standard_D\d+s_v5": 4, r"Standard_E\d+s_v5": 8, r"Standard_F\d+s_v2": 2,
              r"Standard_D\d+ls_v5": 2, r"Standard_E\d+ds_v4": 8}
    for rec in vm_records("eastus"):
        c = caps(rec)
        for pattern, ratio in ratios.items():
            if re.fullmatch(pattern, rec["name"]) and int(c["vCPUs"]) < 64:
                assert float(c["MemoryGB"]) == ratio * int(c["vCPUs"]), rec["name"]


def test_arm_sizes_are_arm64() -> None:
    for rec in vm_records("eastus"):
        p = skus.parse_size_name(rec["name"])
        assert p is not None
        is_arm = p.letters in ("D", "E", "B") and p.suffix.startswith("p")
        assert (caps(rec).get("CpuArchitectureType", "x64") == "Arm64") == is_arm, rec["name"]


def test_families_match_azure_usage_names() -> None:
    fam = {n: skus.vm_sku("eastus", n)["family"] for n in (  # type: ignore[index]
        "Standard_B2s", "Standard_B2als_v2", "Standard_B2s_v2", "Standard_DS2_v2", "Standard_D4s_v3",
        "Standard_D2s_v5", "Standard_D2as_v5", "Standard_D2ads_v5", "Standard_E2ds_v5", "Standard_M8ms",
        "Standard_NV6", "Basic_A1", "Standard_NC4as_T4_v3", "Standard_DC2ds_v3")}
    assert fam == {
        "Standard_B2s": "standardBSFamily", "Standard_B2als_v2": "standardBasv2Family",
        "Standard_B2s_v2": "standardBsv2Family", "Standard_DS2_v2": "standardDSv2Family",
        "Standard_D4s_v3": "standardDSv3Family", "Standard_D2s_v5": "standardDSv5Family",
        "Standard_D2as_v5": "standardDASv5Family", "Standard_D2ads_v5": "standardDADSv5Family",
        "Standard_E2ds_v5": "standardEDSv5Family", "Standard_M8ms": "standardMSFamily",
        "Standard_NV6": "standardNVFamily", "Basic_A1": "basicAFamily",
        "Standard_NC4as_T4_v3": "Standard NCASv3_T4 Family", "Standard_DC2ds_v3": "standardDDCSv3Family",
    }


def test_parse_size_name() -> None:
    p = skus.parse_size_name("Standard_E4-2ads_v5")
    assert p is not None
    assert (p.letters, p.number, p.constrained, p.suffix, p.rest) == ("E", 4, 2, "ads", "_v5")
    assert p.parent_name == "Standard_E4ads_v5"
    assert skus.parse_size_name("Basic_A0") is not None
    assert skus.parse_size_name("Premium_LRS") is None
    assert skus.parse_size_name("garbage") is None


def test_records_deserialize_in_sdk_model() -> None:
    from azure.mgmt.compute.models import ResourceSku

    rec = skus.vm_sku("westeurope", "Standard_B2als_v2")
    model = ResourceSku(rec)
    assert model.name == "Standard_B2als_v2"
    assert model.family == "standardBasv2Family"
    assert model.capabilities[0].value == caps(rec)["MaxResourceVolumeMB"]
    assert model.restrictions[0].values_property == ["westeurope"]
    assert model.restrictions[0].restriction_info.zones == ["3"]
    assert model.restrictions[0].reason_code == "NotAvailableForSubscription"
    assert sorted(model.location_info[0].zones) == ["1", "2", "3"]
    assert model.location_info[0].zone_details[0].capabilities[0].name == "UltraSSDAvailable"
    for rec in skus.resource_skus("norwaywest")[:50]:
        ResourceSku(rec).as_dict()


def test_disk_sku_records() -> None:
    from azure.mgmt.compute.models import ResourceSku

    for region in ZONED + UNZONED:
        disks = [r for r in skus.resource_skus(region) if r["resourceType"] == "disks"]
        names = {d["name"] for d in disks}
        assert {"Standard_LRS", "StandardSSD_LRS", "Premium_LRS"} <= names
        if locations.zones_for(region):
            assert {"StandardSSD_ZRS", "Premium_ZRS", "PremiumV2_LRS"} <= names
        else:
            assert not names & {"StandardSSD_ZRS", "Premium_ZRS", "PremiumV2_LRS", "UltraSSD_LRS"}
        for d in disks:
            assert list(d) == ["resourceType", "name", "tier", "size", "locations", "locationInfo", "capabilities",
                               "restrictions"]
            c = caps(d)
            assert int(c["MaxSizeGiB"]) > int(c["MinSizeGiB"]) >= 0
            assert all(isinstance(v, str) for v in c.values())
            if d["name"].endswith("_ZRS"):
                assert d["locationInfo"][0]["zones"] == []
        p30 = next(d for d in disks if d["name"] == "Premium_LRS" and d["size"] == "P30")
        assert caps(p30)["MaxSizeGiB"] == "1024" and caps(p30)["MaxIOps"] == "5000"
        assert ResourceSku(p30).capabilities[0].name == "MaxSizeGiB"
    assert "UltraSSD_LRS" in {r["name"] for r in skus.resource_skus("eastus")}


def test_vm_sizes_payload() -> None:
    items = skus.vm_sizes_payload("norwayeast")
    by_name = {i["name"]: i for i in items}
    assert by_name["Standard_DS2_v2"] == {"name": "Standard_DS2_v2", "numberOfCores": 2, "osDiskSizeInMB": 1047552,
                                         "resourceDiskSizeInMB": 14336, "memoryInMB": 7168, "maxDataDiskCount": 8}
    assert "Standard_D2as_v5" not in by_name  # Location-restricted for the subscription


# ---------------------------------------------------------------------------------------------- quotas

def test_compute_quotas_cover_every_family() -> None:
    families = {r["family"] for r in vm_records()}
    assert families == set(skus.sku_families())
    for region in locations.REGIONS:
        limits = quotas.compute_quota_limits(region)
        for key in ("cores", "virtualMachines", "availabilitySets", "virtualMachineScaleSets"):
            assert key in limits
        assert families <= set(limits), region
        for name, (limit, label) in limits.items():
            assert isinstance(limit, int) and limit >= 0
            assert label, name


def test_compute_quota_values() -> None:
    assert quotas.compute_quota_limits("eastus")["cores"] == (100, "Total Regional vCPUs")
    assert quotas.compute_quota_limits("Norway West")["cores"][0] == 20
    for region in locations.REGIONS:
        limits = quotas.compute_quota_limits(region)
        assert limits["standardMSFamily"][0] == 0
        assert limits["standardBSFamily"] == (20, "Standard BS Family vCPUs")
    assert quotas.compute_quota_limits("westeurope")["standardDSv5Family"] == (10, "Standard DSv5 Family vCPUs")
    assert quotas.compute_quota_limits("northeurope")["standardDSv5Family"][0] > 10
    assert quotas.compute_quota_limits("eastus")["virtualMachines"] == (25000, "Virtual Machines")
    with pytest.raises(KeyError):
        quotas.compute_quota_limits("atlantis")


def test_family_localized_names() -> None:
    f = quotas.family_localized_name
    assert f("standardBSFamily") == "Standard BS Family vCPUs"
    assert f("standardBasv2Family") == "Standard Basv2 Family vCPUs"
    assert f("standardA0_A7Family") == "Standard A0-A7 Family vCPUs"
    assert f("basicAFamily") == "Basic A Family vCPUs"
    assert f("Standard NCASv3_T4 Family") == "Standard NCASv3_T4 Family vCPUs"
    assert f("standardDv2PromoFamily") == "Standard Dv2 Promo Family vCPUs"


def test_network_quotas() -> None:
    limits = quotas.network_quota_limits("norwayeast")
    assert limits["PublicIPAddresses"] == (1000, "Public IP Addresses")
    for name in ("StandardSkuPublicIpAddresses", "VirtualNetworks", "NetworkSecurityGroups", "NetworkInterfaces",
                 "NatGateways", "LoadBalancers"):
        assert name in limits
    assert quotas.network_quota_limits("norwaywest")["StandardSkuPublicIpAddresses"][0] == 10
    with pytest.raises(KeyError):
        quotas.network_quota_limits("atlantis")


def test_usage_payloads_deserialize_in_sdk_models() -> None:
    from azure.mgmt.compute.models import Usage as ComputeUsage
    from azure.mgmt.network.models import Usage as NetworkUsage

    items = quotas.compute_usages_payload("westeurope", {"cores": 4, "standardDSv5Family": 4})
    by_name = {i["name"]["value"]: ComputeUsage(i) for i in items}
    assert by_name["cores"].current_value == 4 and by_name["cores"].limit == 100
    assert by_name["standardDSv5Family"].name.localized_value == "Standard DSv5 Family vCPUs"
    sub = locations.SUBSCRIPTION_ID
    net = quotas.network_usages_payload("westeurope", sub)
    first = NetworkUsage(net[0])
    assert first.id == f"/subscriptions/{sub}/providers/Microsoft.Network/locations/westeurope/usages/VirtualNetworks"
    assert first.unit == "Count" and first.current_value == 0


# ------------------------------------------------------------------------------------------ kubernetes

def test_kubernetes_versions_shape_and_sdk_model() -> None:
    from azure.mgmt.containerservice.models import KubernetesVersionListResult

    for region in locations.REGIONS:
        body = kubernetes.kubernetes_versions(region)
        assert list(body) == ["values"]
        result = KubernetesVersionListResult(body)
        versions = [v.version for v in result.values_property]
        assert versions == sorted(versions, key=lambda s: tuple(int(x) for x in s.split(".")))
        assert sum(1 for v in result.values_property if v.is_default) == 1
        for v in result.values_property:
            assert v.capabilities.support_plan
            assert v.patch_versions
            offered = {p for x in body["values"] for p in x["patchVersions"]}
            for patch, pv in v.patch_versions.items():
                assert patch.startswith(v.version + ".")
                for up in pv.upgrades:
                    assert up in offered
                    assert tuple(map(int, up.split("."))) > tuple(map(int, patch.split(".")))


def test_kubernetes_default_resolve_and_lts() -> None:
    loc = "norwayeast"
    assert kubernetes.default_version(loc) == "1.34"
    latest = kubernetes.resolve_version(loc, "1.34")
    assert latest == kubernetes.patch_versions(loc, "1.34")[-1]
    assert kubernetes.resolve_version(loc, latest) == latest  # type: ignore[arg-type]
    assert kubernetes.resolve_version(loc, "v1.33") == kubernetes.patch_versions(loc, "1.33")[-1]
    assert kubernetes.resolve_version(loc, "1.34.999") is None
    assert kubernetes.resolve_version(loc, "latest") is None
    assert kubernetes.is_lts_only(loc, "1.30")
    assert kubernetes.is_lts_only(loc, "1.31")
    assert kubernetes.is_lts_only(loc, kubernetes.patch_versions(loc, "1.30")[0])
    assert not kubernetes.is_lts_only(loc, "1.32")
    assert not kubernetes.is_lts_only(loc, "1.34")
    body = kubernetes.kubernetes_versions(loc)
    plans = {v["version"]: v["capabilities"]["supportPlan"] for v in body["values"]}
    assert plans["1.30"] == ["AKSLongTermSupport"]
    assert "KubernetesOfficial" in plans["1.34"]
    with pytest.raises(KeyError):
        kubernetes.kubernetes_versions("atlantis")


@pytest.mark.parametrize("region", list(locations.REGIONS))
def test_kubernetes_1_29_is_not_offered(region: str) -> None:
    assert kubernetes.resolve_version(region, "1.29") is None
    assert kubernetes.resolve_version(region, "1.29.9") is None
    assert not kubernetes.is_offered(region, "1.29")
    assert "1.29" not in kubernetes.offered_minor_versions(region)


def test_kubernetes_regional_variation() -> None:
    assert "1.36" in kubernetes.offered_minor_versions("westus2")
    assert kubernetes.is_preview("westus2", "1.36")
    assert "1.36" not in kubernetes.offered_minor_versions("norwaywest")
    assert kubernetes.kubernetes_versions("norwaywest") != kubernetes.kubernetes_versions("norwayeast")
    assert kubernetes.kubernetes_versions("westus2") == kubernetes.kubernetes_versions("West US 2")


# ---------------------------------------------------------------------------------------------- images

IMAGE_ID_RE = re.compile(
    r"^/Subscriptions/[0-9a-f-]+/Providers/Microsoft\.Compute/Locations/[a-z0-9]+/Publishers/[^/]+"
    r"(/ArtifactTypes/VMImage/Offers/[^/]+(/Skus/[^/]+(/Versions/[^/]+)?)?)?$"
)


def test_image_listing_chain() -> None:
    from azure.mgmt.compute.models import VirtualMachineImageResource

    loc, sub = "norwayeast", locations.SUBSCRIPTION_ID
    pubs = images.list_publishers(loc)
    assert pubs is not None
    assert {"Debian", "Canonical", "MicrosoftCBLMariner", "MicrosoftWindowsServer"} <= {p["name"] for p in pubs}
    offers = images.list_offers(loc, "debian")
    assert offers is not None and [o["name"] for o in offers] == ["debian-12", "debian-10"]
    sku_items = images.list_skus(loc, "Debian", "DEBIAN-12")
    assert sku_items is not None and {s["name"] for s in sku_items} == {"12", "12-gen2", "12-arm64"}
    versions = images.list_versions(loc, "Debian", "debian-12", "12-gen2", subscription_id=sub)
    assert versions is not None and len(versions) >= 2
    for listing in (pubs, offers, sku_items, versions):
        for item in listing:
            # SKU items lead with whether their images take automatic OS upgrades (issue #25).
            assert list(item) == (["properties", "location", "name", "id"] if listing is sku_items
                                  else ["location", "name", "id"])
            assert item["location"] == loc
            assert IMAGE_ID_RE.match(item["id"]), item["id"]
            assert VirtualMachineImageResource(item).name == item["name"]
    assert versions[-1]["id"] == (
        f"/Subscriptions/{sub}/Providers/Microsoft.Compute/Locations/norwayeast/Publishers/Debian/ArtifactTypes/"
        f"VMImage/Offers/debian-12/Skus/12-gen2/Versions/{versions[-1]['name']}")
    ubuntu = images.list_skus(loc, "Canonical", "ubuntu-24_04-lts")
    assert ubuntu is not None and {"server", "server-gen1", "server-arm64"} <= {s["name"] for s in ubuntu}
    azl = images.list_skus(loc, "MicrosoftCBLMariner", "azure-linux-3")
    assert azl is not None and {"azure-linux-3", "azure-linux-3-gen2"} <= {s["name"] for s in azl}
    win = images.list_skus(loc, "MicrosoftWindowsServer", "WindowsServer")
    assert win is not None and "2022-datacenter-azure-edition" in {s["name"] for s in win}
    for item in [*sku_items, *ubuntu, *azl, *win]:
        img = images.find_image_sku(item["id"].split("/Publishers/")[1].split("/")[0],
                                    item["id"].split("/Offers/")[1].split("/")[0], item["name"])
        assert img is not None
        assert item["properties"] == {"automaticOSUpgradeProperties": {
            "automaticOSUpgradeSupported": img.automatic_os_upgrade}}
    assert {i["properties"]["automaticOSUpgradeProperties"]["automaticOSUpgradeSupported"]
            for i in [*sku_items, *ubuntu, *azl, *win]} == {True, False}


def test_image_unknowns_return_none() -> None:
    assert images.list_publishers("atlantis") is None
    assert images.list_offers("norwayeast", "NoSuchPublisher") is None
    assert images.list_skus("norwayeast", "Debian", "debian-99") is None
    assert images.list_versions("norwayeast", "Debian", "debian-12", "13") is None
    assert images.get_version("norwayeast", "Debian", "debian-12", "12-gen2", "0.0.0") is None
    assert images.image_is_gen2("norwayeast", "Debian", "debian-12", "nope") is None


def test_get_image_version_body() -> None:
    from azure.mgmt.compute.models import VirtualMachineImage

    versions = images.list_versions("westeurope", "Canonical", "ubuntu-24_04-lts", "server")
    assert versions is not None
    ver = versions[-1]["name"]
    body = images.get_version("West Europe", "canonical", "UBUNTU-24_04-LTS", "Server", ver)
    assert body is not None
    assert body["name"] == ver and body["location"] == "westeurope"
    assert body["id"] == versions[-1]["id"]
    model = VirtualMachineImage(body)
    assert model.hyper_v_generation == "V2"
    assert model.architecture == "x64"
    assert model.os_disk_image.operating_system == "Linux"
    feats = {f.name: f.value for f in model.features}
    assert feats["SecurityType"].startswith("TrustedLaunch")
    assert model.automatic_os_upgrade_properties.automatic_os_upgrade_supported is False
    assert images.get_version("westeurope", "Canonical", "ubuntu-24_04-lts", "server", "latest") == body

    arm = images.get_version("westeurope", "Debian", "debian-12", "12-arm64", "latest")
    assert arm is not None and arm["properties"]["architecture"] == "Arm64"
    gen1 = images.get_version("westeurope", "Debian", "debian-12", "12", "latest")
    assert gen1 is not None and gen1["properties"]["hyperVGeneration"] == "V1"
    assert "SecurityType" not in {f["name"] for f in gen1["properties"]["features"]}
    win = images.get_version("westeurope", "MicrosoftWindowsServer", "WindowsServer",
                             "2022-datacenter-azure-edition", "latest")
    assert win is not None and win["properties"]["osDiskImage"]["operatingSystem"] == "Windows"


def test_image_is_gen2() -> None:
    assert images.image_is_gen2("norwayeast", "Debian", "debian-12", "12-gen2") is True
    assert images.image_is_gen2("norwayeast", "Debian", "debian-12", "12") is False
    assert images.image_is_gen2("norwayeast", "Canonical", "ubuntu-24_04-lts", "server", "latest") is True
    assert images.image_is_gen2("norwayeast", "Canonical", "ubuntu-24_04-lts", "server-gen1") is False
    assert images.image_is_gen2("norwayeast", "MicrosoftCBLMariner", "azure-linux-3", "azure-linux-3-gen2") is True
    assert images.parse_urn("Debian:debian-12:12-gen2:latest") == ("Debian", "debian-12", "12-gen2", "latest")
    assert images.parse_urn("Debian:debian-12") is None


# ----------------------------------------------------------------------------------------- package API

def test_package_reexports() -> None:
    for name in ("zones_for", "normalize_location", "is_known_location", "locations_payload", "resource_skus",
                 "vm_sku", "capability", "compute_quota_limits", "network_quota_limits", "kubernetes_versions",
                 "default_version", "resolve_version", "is_lts_only", "list_publishers", "list_offers",
                 "list_skus", "list_versions", "get_version", "image_is_gen2", "SUBSCRIPTION_ID", "TENANT_ID",
                 "SUBSCRIPTION_NAME", "REGIONS", "DELIBERATE_RESTRICTIONS"):
        assert hasattr(catalog, name), name
    assert catalog.SUBSCRIPTION_ID == "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
    assert catalog.TENANT_ID == "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9"
    assert catalog.SUBSCRIPTION_NAME == "azwizard simulated subscription"


def test_catalog_does_not_import_http_or_sdk() -> None:
    """The catalog is pure data: only the standard library and its own modules are imported."""
    import ast

    allowed = {"__future__", "collections", "dataclasses", "functools", "importlib", "itertools", "json", "re",
               "threading", "typing", "zlib"}
    for path in PKG_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the package
                    continue
                mods = [node.module or ""]
            else:
                continue
            for mod in mods:
                assert mod.split(".")[0] in allowed, (path.name, mod)


def test_recorded_legacy_images_answer_as_recorded() -> None:
    """The images the az CLI recordings used (api-version 2023-09-01) and the versions Azure listed for them."""
    for urn, version in (("Canonical:UbuntuServer:18.04-LTS", "18.04.202306070"),
                         ("Debian:debian-10:10", "0.20230802.1460"),
                         ("OpenLogic:CentOS:7.5", "7.5.201808150"),
                         ("MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter", "9600.21620.231004")):
        pub, offer, sku = urn.split(":")
        listed = images.list_versions("westus", pub, offer, sku)
        assert listed is not None and listed[-1]["name"] == version, urn
        body = images.get_version("westus", pub, offer, sku, version)
        assert body is not None
        props = body["properties"]
        assert props["replicaType"] == "Unmanaged" and props["hyperVGeneration"] == "V1"
        assert props["disallowed"] == {"vmDiskType": "None"}
    centos = images.get_version("westus", "OpenLogic", "CentOS", "7.5", "7.5.201808150")
    assert centos is not None and "features" not in centos["properties"]  # recorded without a features list
