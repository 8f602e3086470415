"""Microsoft.ContainerService: what keeps a cluster up to date — its maintenance configurations (planned
maintenance windows), the cluster's upgrade profile and the agent pools' node image upgrade.

* ``managedClusters/{name}/maintenanceConfigurations/{config}``: PUT (200/201, not an LRO), GET, DELETE (200,
  204 when gone), list (https://learn.microsoft.com/rest/api/aks/maintenance-configurations). A proxy resource:
  id, name, type, systemData and properties; no location, no tags. Stored as its own resource (a child id, never
  in a group's resource list) and removed with the cluster. Validation: containerservice_rules
  ``check_maintenance_configuration``.
* ``managedClusters/{name}/upgradeProfiles/default`` (ManagedClusters_GetUpgradeProfile): the control plane's and
  each pool's version, OS type and the newer versions offered
  (https://learn.microsoft.com/rest/api/aks/managed-clusters/get-upgrade-profile).
* ``agentPools/{pool}/upgradeNodeImageVersion`` (AgentPools_UpgradeNodeImageVersion, ``az aks nodepool upgrade
  --node-image-only``): 202 with ``Azure-AsyncOperation`` and the pool in ``UpgradingNodeImageVersion``; the pool
  ends on the latest node image (https://learn.microsoft.com/rest/api/aks/agent-pools/upgrade-node-image-version).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ..core import utcnow
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import containerservice as cs
from . import containerservice_model as model
from . import containerservice_rules as rules

if TYPE_CHECKING:
    from ..core import ArmSim

CONFIGS = cs.CLUSTER + "/maintenanceConfigurations"
CONFIG = CONFIGS + "/{config}"
CONFIG_TYPE = "Microsoft.ContainerService/managedClusters/maintenanceConfigurations"


def _config_id(cluster: dict[str, Any], config: str) -> str:
    return f"{cluster['id']}/maintenanceConfigurations/{config}"


def _view(body: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(body)


@route("PUT", CONFIG)
def put_maintenance_configuration(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str,
                                  config: str) -> ArmResponse:
    cluster = cs._require_cluster(sim, rg, name)
    body = req.json() or {}
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.")
    rules.reject_snake_case(req, body.get("properties") or {}, "MaintenanceConfigurationProperties", "properties")
    sim.require_registered(cs.NS)
    props = rules.check_maintenance_configuration(config, body)
    canonical = next(n for n in rules.MAINTENANCE_CONFIG_NAMES if n.lower() == config.lower())
    rid = _config_id(cluster, canonical)
    sim.check_locks(rid, "write")
    old = sim.peek(rid)
    now = utcnow()
    created = (old or {}).get("systemData", {}).get("createdAt", now)
    new = {"id": rid, "name": canonical, "type": CONFIG_TYPE, "properties": props,
           "systemData": {**model.system_data(now), "createdAt": created}}
    sim.save(rid, new)
    return ArmResponse(200 if old else 201, _view(new))


@route("GET", CONFIG)
def get_maintenance_configuration(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str,
                                  config: str) -> ArmResponse:
    cluster = cs._require_cluster(sim, rg, name)
    body = sim.peek(_config_id(cluster, config))
    if body is None:
        raise sim.not_found(_config_id(cluster, config))
    return ArmResponse(200, _view(body))


@route("GET", CONFIGS)
def list_maintenance_configurations(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    cluster = cs._require_cluster(sim, rg, name)
    items = [_view(b) for b in sim.under(cluster["id"]) if str(b.get("type", "")).lower() == CONFIG_TYPE.lower()]
    return sim.paged(req, sorted(items, key=lambda b: b["name"].lower()))


@route("DELETE", CONFIG)
def delete_maintenance_configuration(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str,
                                     config: str) -> ArmResponse:
    cluster = cs._require_cluster(sim, rg, name)
    rid = _config_id(cluster, config)
    if sim.peek(rid) is None:
        return ArmResponse(204)
    sim.check_locks(rid, "delete")
    sim.remove(rid)
    return ArmResponse(200)


def remove_configurations(sim: ArmSim, cluster_id: str) -> None:
    """A deleted cluster takes its maintenance configurations along."""
    for body in sim.under(cluster_id):
        if str(body.get("type", "")).lower() == CONFIG_TYPE.lower():
            sim.remove(body["id"])


# ---------------------------------------------------------------- upgrade profile and node image upgrade


@route("GET", cs.CLUSTER + "/upgradeProfiles/default")
def get_cluster_upgrade_profile(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    """ManagedClusterUpgradeProfile: ``controlPlaneProfile`` and ``agentPoolProfiles`` (each kubernetesVersion,
    name, osType, upgrades[]); the control plane may go to the next minor version's patches, a pool up to the
    control plane's version (the pool profile's rule, containerservice.get_pool_upgrade_profile)."""
    cluster = cs._require_cluster(sim, rg, name)
    props = cluster["properties"]
    current = str(props.get("currentKubernetesVersion") or props.get("kubernetesVersion") or "")
    ceiling = _next_minor_ceiling(cluster["location"], current)
    control: dict[str, Any] = {"kubernetesVersion": current, "name": None, "osType": "Linux"}
    upgrades = cs._newer_versions(cluster["location"], current, ceiling)
    if upgrades:
        control["upgrades"] = [{"kubernetesVersion": v} for v in upgrades]
    pools = []
    for pool in props["agentPoolProfiles"]:
        mine = str(pool.get("currentOrchestratorVersion") or pool.get("orchestratorVersion") or "")
        entry: dict[str, Any] = {"kubernetesVersion": mine, "name": pool["name"], "osType": pool.get("osType", "Linux")}
        newer = cs._newer_versions(cluster["location"], mine, current)
        if newer:
            entry["upgrades"] = [{"kubernetesVersion": v} for v in newer]
        pools.append(entry)
    uid = cluster["id"] + "/upgradeprofiles/default"
    return ArmResponse(200, {"id": uid, "name": "default",
                             "type": "Microsoft.ContainerService/managedClusters/upgradeprofiles",
                             "properties": {"controlPlaneProfile": control, "agentPoolProfiles": pools}})


def _next_minor_ceiling(location: str, current: str) -> str:
    """The newest patch of the next offered minor version (the control plane moves one minor at a time)."""
    later = cs._newer_versions(location, current, "999.999.999")
    if not later:
        return current
    mine = tuple(int(x) for x in current.split(".")[:2] if x.isdigit())
    nxt = sorted({tuple(int(x) for x in v.split(".")[:2]) for v in later if tuple(int(x) for x in v.split(".")[:2]) > mine})
    if not nxt:
        return later[-1]
    top = nxt[0]
    return max((v for v in later if tuple(int(x) for x in v.split(".")[:2]) <= top),
               key=lambda v: tuple(int(x) for x in v.split(".") if x.isdigit()))


@route("POST", cs.POOL + "/upgradeNodeImageVersion")
def upgrade_node_image(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, pool: str) -> ArmResponse:
    cluster = cs._require_cluster(sim, rg, name)
    profile = cs._find_pool(cluster, pool)
    pid = cs._pool_id(cluster, pool)
    if profile is None:
        raise sim.not_found(pid)
    sim.check_locks(pid, "write")
    cs._check_no_operation(sim, cluster)
    latest = model.latest_node_image(str(profile.get("osType", "Linux")), str(profile.get("osSKU", "Ubuntu")))
    profile["provisioningState"] = "UpgradingNodeImageVersion"
    sim.save(cluster["id"], cluster)

    def done() -> None:
        cur = sim.peek(cluster["id"])
        mine = cs._find_pool(cur, pool) if cur else None
        if cur is None or mine is None:
            return
        mine["provisioningState"] = "Succeeded"
        mine["nodeImageVersion"] = latest
        sim.save(cur["id"], cur)

    op = sim.start_operation(req, namespace=cs.NS, location=cluster["location"], resource_id=pid, kind="put",
                             seconds=sim.latency.put(cs.POOL_RTYPE), on_success=done)
    return ArmResponse(202, model.pool_view(cluster["id"], profile, req),
                       {"Azure-AsyncOperation": sim.async_url(req, op), "Location": sim.location_url(req, op)})
