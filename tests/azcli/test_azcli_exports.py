"""azwizard's exported az scripts, run by the real az (bash) against a fresh ``azwizard sim serve``, create the
same resources as ``azwizard vm|aks apply PROFILE --demo`` does for the same profile.

Both sides go through the product's own commands: ``azwizard vm|aks plan PROFILE --demo --format az`` writes
the script, ``azwizard vm|aks apply PROFILE --demo --yes --latency none`` creates the resources in a private
demo state file. The two simulators' states are then compared after removing what differs by nature, each
listed in ``IGNORED`` / ``RUN_TAGS`` / ``VM_AZ_ONLY`` / ``AKS_AZ_ONLY`` with its reason; everything else
must be equal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from azcli.azcli_helpers import REPO, fresh_az

# Values generated anew by every create, on either path: never compared (key name -> reason). Each was
# seen to differ; GUID-valued fields (resourceGuid, vmId, principalId, tenantId, a disk's uniqueId, ...) are
# covered by the GUID rule below instead.
IGNORED: dict[str, str] = {
    "etag": "a new ETag on every write (and az writes the VM twice: vm create, then boot-diagnostics enable)",
    "ipAddress": "a public address allocated from the region's pool",
    "timeCreated": "a disk's creation timestamp",
    "createdAt": "systemData timestamp",
    "lastModifiedAt": "systemData timestamp",
    "creationDate": "a registry's creation timestamp",
    "lastUpdatedTime": "a registry policy's timestamp",
    "fqdn": "the API server FQDN carries a random suffix",
    "azurePortalFQDN": "carries the same random suffix",
    "privateFQDN": "a private cluster's API server name carries the same random suffix",
    "resourceUID": "a cluster's generated unique id",
    "internalDomainNameSuffix": "a NIC's internal DNS suffix carries a random label",
}
# GUIDs anywhere (in ids and values: the MC_ group's public IPs and identities are named after generated
# GUIDs) are replaced by a placeholder before comparing.
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


# Tags that name the run: the script and the apply are two runs (plan and apply each make a run id).
RUN_TAGS: dict[str, str] = {
    "azwizard-run": "the run id: the exported script carries the plan command's run, apply makes its own",
    "azwizard-created": "the run's creation timestamp",
}


def normalize(node: Any, drop: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: normalize(v, drop) for k, v in sorted(node.items())
                if k not in IGNORED and k not in drop and k not in RUN_TAGS}
    if isinstance(node, list):
        return [normalize(v, drop) for v in node]
    if isinstance(node, str):
        return GUID.sub("<guid>", node)
    return node


def by_id(state: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {GUID.sub("<guid>", k): v for k, v in state.items()}


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}.{k}: only from az: {json.dumps(b[k])[:200]}")
            elif k not in b:
                out.append(f"{path}.{k}: only from the engine: {json.dumps(a[k])[:200]}")
            else:
                out += differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: engine {json.dumps(a)[:200]} != az {json.dumps(b)[:200]}"]


def compare(engine: dict[str, dict[str, Any]], az_state: dict[str, dict[str, Any]],
            az_only: dict[str, str]) -> list[str]:
    engine, az_state = by_id(engine), by_id(az_state)
    assert sorted(engine) == sorted(az_state), "different resources"
    out = []
    for rid in sorted(engine):
        out += differences(normalize(engine[rid], az_only), normalize(az_state[rid], az_only), rid)
    return out


# ------------------------------------------------------------------------------------ the product's commands


def azwizard(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    """``python -m azwizard ...`` with a private data dir (its demo state file and journals live there)."""
    env = {**os.environ, "AZWIZARD_DATA_DIR": str(data), "AZWIZARD_CACHE_DIR": str(data / "cache")}
    out = subprocess.run([sys.executable, "-m", "azwizard", *args], env=env, capture_output=True, text=True,
                         timeout=300, cwd=REPO)
    assert out.returncode == 0, f"azwizard {' '.join(args)} exited {out.returncode}:\n{out.stdout}\n{out.stderr}"
    return out


def apply_demo(kind: str, profile: Path, data: Path) -> dict[str, dict[str, Any]]:
    """What ``azwizard KIND apply PROFILE --demo`` creates: its demo simulator's state afterwards."""
    azwizard(kind, "apply", str(profile), "--demo", "--reset", "--yes", "--latency", "none", data=data)
    from azwizard.sim import statefile

    return dict(statefile.current(data / "demo" / "simulator-state.json").get("resources") or {})


def exported_script(kind: str, profile: Path, data: Path) -> str:
    out = data / f"{kind}.sh"
    azwizard(kind, "plan", str(profile), "--demo", "--format", "az", "--output", str(out), data=data)
    return out.read_text()


def check_profile(kind: str, profile: Path, az_only: dict[str, str], az_exe: Path, tmp_path: Path) -> list[dict[str, Any]]:
    engine = apply_demo(kind, profile, tmp_path / "apply")
    script = exported_script(kind, profile, tmp_path / "plan")
    with fresh_az(az_exe, tmp_path / "az") as az:
        out = az.bash(script, tmp_path)
        assert out.returncode == 0, f"exported script failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-5000:]}"
        az_state = az.sim.resources()
        sent = az.sim.requests()
    diffs = compare(engine, az_state, az_only)
    assert not diffs, "\n".join(diffs)
    return sent


# ------------------------------------------------------------------------------------ VM

VM_AZ_ONLY: dict[str, str] = {
    "enableVmProtection": "az network vnet create always sends enableVmProtection: false (a deprecated property "
                          "Azure echoes back); the engine does not send it",
}


def test_exported_vm_script_creates_what_vm_apply_demo_creates(az_exe: Path, tmp_path: Path) -> None:
    sent = check_profile("vm", REPO / "docs" / "examples" / "yolo-vm.toml", VM_AZ_ONLY, az_exe, tmp_path)
    # az vm create went through an ARM template deployment (it never PUTs the VM itself).
    assert any(r["method"] == "PUT" and "/Microsoft.Resources/deployments/vm_deploy_" in r["path"]
               and r["command"] == "vm create" and r["status"] == 201 for r in sent)


# ------------------------------------------------------------------------------------ AKS

# Nothing: azwizard's cluster body is az aks create's field for field (plan/aks.py AZ_POOL_DEFAULTS and
# az_cluster_defaults: scaleSetPriority "Regular", bootstrapProfile {"artifactSource": "Direct"}, ... included).
AKS_AZ_ONLY: dict[str, str] = {}


ACR_PROFILE = """\
# aks-dev with a registry created with the cluster: az acr create, then az aks create --attach-acr (AcrPull
# for the kubelet identity), against apply's registry PUT and role assignment PUT.
kind = "aks"
name = "aks-acr"
location = "norwayeast"

[network]
pod_cidrs = ["10.244.0.0/16", "fd31:9c2e:44a0::/64"]
service_cidrs = ["10.96.0.0/16", "fd31:9c2e:44a0:1::/108"]

[acr]
mode = "create"
name = "azwizardsimacr1"
"""


# The production choices (#24) core az 2.91.0 has flags for (--ssh-access is aks-preview's; the metrics flag also
# creates an Azure Monitor workspace): upgrade channels, both maintenance windows (one with a negative UTC
# offset), Image Cleaner, app routing, a private API server without public FQDN, managed outbound IP counts.
OPS_PROFILE = """\
kind = "aks"
name = "aks-ops"
location = "norwayeast"
tier = "standard"
private_cluster = true
disable_public_fqdn = true

[network]
pod_cidrs = ["10.244.0.0/16", "fd31:9c2e:44a1::/64"]
service_cidrs = ["10.96.0.0/16", "fd31:9c2e:44a1:1::/108"]
outbound_ipv4_count = 2
outbound_ipv6_count = 2

[operations]
upgrade_channel = "stable"
node_os_upgrade_channel = "SecurityPatch"
image_cleaner = true
image_cleaner_interval_hours = 48
app_routing = true

[operations.upgrade_window]
schedule = "Weekly"
day_of_week = "Saturday"
start_time = "00:00"
duration_hours = 8

[operations.node_os_window]
schedule = "RelativeMonthly"
day_of_week = "Tuesday"
week_index = "Last"
start_time = "22:00"
duration_hours = 4
utc_offset = "-05:00"
start_date = "2027-01-05"
"""


@pytest.mark.parametrize("profile", ["aks-dev.toml", "acr", "ops"])
def test_exported_aks_script_creates_what_aks_apply_demo_creates(az_exe: Path, tmp_path: Path, profile: str) -> None:
    path = REPO / "docs" / "examples" / profile
    if profile in ("acr", "ops"):
        path = tmp_path / f"aks-{profile}.toml"
        path.write_text(ACR_PROFILE if profile == "acr" else OPS_PROFILE)
    sent = check_profile("aks", path, AKS_AZ_ONLY, az_exe, tmp_path)
    assert any(r["method"] == "PUT" and "/managedClusters/" in r["path"] and r["command"] == "aks create"
               and r["api_version"] == "2026-06-01" for r in sent)


METRICS_PROFILE = """\
# the dev cluster with managed Prometheus: azwizard's plan (workspace, endpoint, rule, association, metrics on)
# against az monitor account create + az aks create --enable-azure-monitor-metrics --azure-monitor-workspace-resource-id
kind = "aks"
name = "aks-mon"
location = "norwayeast"

[network]
pod_cidrs = ["10.244.0.0/16", "fd31:9c2e:44a2::/64"]
service_cidrs = ["10.96.0.0/16", "fd31:9c2e:44a2:1::/108"]

[operations]
monitor_metrics = true
"""
# az makes the data collection endpoint and rule itself (acs/azuremonitormetrics/dc/*.py), without azwizard's tags;
# the association is a proxy resource without tags either way.
UNTAGGED_BY_AZ = ("/providers/microsoft.insights/datacollectionendpoints/",
                  "/providers/microsoft.insights/datacollectionrules/")


def test_exported_metrics_script_creates_what_aks_apply_demo_creates(az_exe: Path, tmp_path: Path) -> None:
    path = tmp_path / "aks-mon.toml"
    path.write_text(METRICS_PROFILE)
    engine = apply_demo("aks", path, tmp_path / "apply")
    script = exported_script("aks", path, tmp_path / "plan")
    with fresh_az(az_exe, tmp_path / "az") as az:
        out = az.bash(script, tmp_path)
        assert out.returncode == 0, f"exported script failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-5000:]}"
        az_state = az.sim.resources()
    for state in (engine, az_state):
        for rid, body in state.items():
            if any(part in rid.lower() for part in UNTAGGED_BY_AZ):
                body.pop("tags", None)
    diffs = compare(engine, az_state, AKS_AZ_ONLY)
    assert not diffs, "\n".join(diffs)
    cluster = next(b for k, b in engine.items() if k.endswith("/managedclusters/aks-mon"))
    assert cluster["properties"]["azureMonitorProfile"]["metrics"]["enabled"] is True
