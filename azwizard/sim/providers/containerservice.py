"""Microsoft.ContainerService (AKS): managed clusters, their agent pools, stop/start, credentials and the
region's Kubernetes versions.

Protocol as the real RP answers (Azure/azure-cli acs recordings, see containerservice_model.py):
cluster and agent-pool PUT → 201/200 + ``Azure-AsyncOperation`` (provisioningState Creating/Updating →
Succeeded); DELETE → 202 + ``Location`` + ``Azure-AsyncOperation`` (204 when already gone); ``stop`` /
``start`` → 202 likewise; ``listClusterUserCredential`` / ``listClusterAdminCredential`` → 200 with
base64 kubeconfigs (not an LRO). Validation lives in containerservice_rules.py and
containerservice_network.py, bodies and the ``MC_`` group in containerservice_model.py.

Contract with other providers: the cluster's node resource group is a resource group whose ``managedBy``
is the cluster id, holding a ``Microsoft.Compute/virtualMachineScaleSets`` per pool (``sku.name`` = VM
size, ``sku.capacity`` = node count) — what the quota check (and a compute usage list) counts.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from .. import ids
from ..catalog import kubernetes as catalog_k8s
from ..core import utcnow
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import containerservice_model as model
from . import containerservice_rules as rules
from .containerservice_network import build_network_profile
from .containerservice_rules import bad
from .resources import check_location, delete_group_contents, validate_tags

if TYPE_CHECKING:
    from ..core import ArmSim, Operation

NS = model.NS
SUB = "/subscriptions/{sub}"
RG_CLUSTERS = SUB + "/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters"
CLUSTER = RG_CLUSTERS + "/{name}"
POOLS = CLUSTER + "/agentPools"
POOL = POOLS + "/{pool}"
CLUSTER_RTYPE = "Microsoft.ContainerService/managedClusters"
POOL_RTYPE = "Microsoft.ContainerService/managedClusters/agentPools"
_VERBS = {"Creating": "create", "Updating": "update", "Deleting": "delete", "Stopping": "stop",
          "Starting": "start", "Upgrading": "upgrade", "Scaling": "scale"}


# ---------------------------------------------------------------- helpers


def _require_cluster(sim: ArmSim, rg: str, name: str) -> dict[str, Any]:
    rid = model.cluster_id(sim.subscription_id, rg, name)
    body = sim.peek(rid)
    if body is None:
        sim.require_group(rg)
        raise sim.not_found(rid)
    return body


def _find_pool(cluster: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((p for p in cluster["properties"]["agentPoolProfiles"] if p["name"].lower() == name.lower()), None)


def _ops_on(sim: ArmSim, cid: str) -> list[Operation]:
    k = ids.key(cid)
    return [op for op in sim.ops.values() if not op.done and op.resource_id is not None
            and (ids.key(op.resource_id) == k or ids.key(op.resource_id).startswith(k + "/"))]


def _check_no_operation(sim: ArmSim, cluster: dict[str, Any]) -> None:
    """One operation at a time per cluster (its agent pools included): 409 OperationNotAllowed.
    Cluster wording verbatim from Azure/azure-cli-extensions#9855 (2026); agent-pool wording verbatim from
    cilium/cilium#25944."""
    for op in _ops_on(sim, cluster["id"]):
        rid = op.resource_id or ""
        pool_name = rid.rsplit("/", 1)[1] if "/agentpools/" in rid.lower() else None
        if pool_name is not None:
            pool = _find_pool(cluster, pool_name) or {}
            state = pool.get("provisioningState", "Updating")
            raise ArmError(409, "OperationNotAllowed",
                           f"Operation is not allowed: Another agentpool operation ({pool_name} - {state}) is in "
                           "progress, please wait for it to finish before starting a new operation. See "
                           "https://aka.ms/aks-pending-operation for more details")
        verb = _VERBS.get(cluster["properties"].get("provisioningState", ""), "update")
        raise ArmError(409, "OperationNotAllowed",
                       f"Operation is not allowed because there's an in progress {verb} managed cluster operation "
                       f"(operation ID: {op.id}) on the managed cluster started on UTC {op.start_time[:19]}Z. "
                       "Please wait for it to finish before starting a new operation. You can also use "
                       "'az aks operation-abort ...' to abort the ongoing operation.")


def _preempt_by_delete(sim: ArmSim, cid: str) -> None:
    """A delete preempts whatever runs on the cluster (SupportArticles-docs aksoperationpreempted-error.md)."""
    for op in _ops_on(sim, cid):
        op.error = {"code": "AKSOperationPreemptedByDelete", "message": "This operation has been preempted by "
                    "Deleting operation."}
        op.on_failure = lambda err: None


def _subnet_body(sim: ArmSim, sid: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    vnet = sim.peek(sid.rsplit("/subnets/", 1)[0]) if "/subnets/" in sid.lower() else None
    sub = sim.peek(sid)
    if sub is None and vnet is not None:
        name = sid.rsplit("/", 1)[1].lower()
        sub = next((s for s in (vnet.get("properties") or {}).get("subnets") or [] if s.get("name", "").lower() == name),
                   None)
    return sub, vnet


def _prefixes(subnet: dict[str, Any]) -> list[str]:
    props = subnet.get("properties") or {}
    return list(props.get("addressPrefixes") or ([props["addressPrefix"]] if props.get("addressPrefix") else []))


def _byo_subnet_prefixes(sim: ArmSim, pools: list[dict[str, Any]], node_rg: str, location: str,
                         dual: bool) -> list[str]:
    """Address prefixes of every subnet in the VNets the pools' BYO subnets belong to (what the service
    CIDR must not overlap), checking the subnets exist in the region."""
    out: list[str] = []
    for pool in pools:
        sid = pool.get("vnetSubnetID")
        if not sid:
            continue
        sub, vnet = _subnet_body(sim, sid)
        if sub is None or (vnet is not None and str(vnet.get("location", "")).lower() != location):
            vmss = (f"/subscriptions/{sim.subscription_id}/resourceGroups/{node_rg}/providers/"
                    f"Microsoft.Compute/virtualMachineScaleSets/aks-{pool.get('name')}-vmss")
            # Verbatim, SupportArticles-docs error-codes/invalidresourcereference-error.md.
            raise bad("InvalidResourceReference", f"Resource {sid} referenced by resource {vmss} was not found. Please "
                      "make sure that the referenced resource exists, and that both resources are in the same region.")
        mine = _prefixes(sub)
        if dual and not any(":" in p for p in mine):
            # Code from the AKS RP dual-stack catalogue (the AKS RP's Go apierror code list, rule 58); message composed.
            raise bad("VnetSubnetMissingIPv6", f"Subnet {sid} has no IPv6 address prefix, but the cluster is "
                      "dual-stack. Add an IPv6 prefix to the subnet or use ipFamilies [IPv4].",
                      "agentPoolProfile.vnetSubnetID")
        siblings = list((vnet or {}).get("properties", {}).get("subnets") or [])
        if vnet is not None:
            siblings += sim.under(vnet["id"])
        for s in [sub, *siblings]:
            out += [p for p in _prefixes(s) if p not in out]
    return out


def _sku(raw: Any) -> dict[str, Any]:
    raw = raw or {}
    tier = str(raw.get("tier") or "Free")
    return {"name": raw.get("name") or "Base", "tier": tier[:1].upper() + tier[1:].lower()}


def _build_pools(sim: ArmSim, location: str, pools_in: list[dict[str, Any]], net: dict[str, Any],
                 version: str, full: str, api_version: str | None = None
                 ) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], int]]]:
    seen: set[str] = set()
    pools, demand = [], []
    for raw in pools_in:
        profile, sku = model.build_pool(sim, location, raw, net=net, cluster_version=version, cluster_full=full,
                                        default_mode="System", api_version=api_version)
        if profile["name"] in seen:
            # composed: pool names are unique within a cluster.
            raise bad("InvalidParameter", f"The agent pool name {profile['name']} is used more than once.",
                      "agentPoolProfile.name")
        seen.add(profile["name"])
        pools.append(profile)
        demand.append((sku, profile["count"]))
    if not any(p["mode"] == "System" for p in pools):
        # Verbatim wording of kubernetes-sigs/cluster-api-provider-azure#1355.
        raise bad("InvalidParameter", "There has to be at least one system agent pool.", "agentPoolProfiles")
    return pools, demand


# ---------------------------------------------------------------- managed clusters


def _validated_properties(sim: ArmSim, rg: str, name: str, location: str, props_in: dict[str, Any],
                          sku: dict[str, Any], api_version: str | None = None) -> tuple[dict[str, Any], list[tuple[dict[str, Any], int]]]:
    """Every create-time rule in the order the RP reports them, and the properties with server defaults."""
    rules.check_cluster_name(name)
    rules.check_dns_prefix(props_in.get("dnsPrefix"))
    node_rg = props_in.get("nodeResourceGroup") or f"MC_{rg}_{name}_{location}"
    rules.check_node_resource_group_name(node_rg)
    support_plan = props_in.get("supportPlan") or "KubernetesOfficial"
    requested = props_in.get("kubernetesVersion") or ""
    full = rules.resolve_cluster_version(location, name, requested, sku["tier"], support_plan)
    version = requested or catalog_k8s.default_version(location)
    pools_in = props_in.get("agentPoolProfiles") or []
    if not pools_in:
        # Verbatim, Azure/ARO-HCP#629.
        raise bad("InvalidParameter", f"Preflight validation check for resource(s) for container service {name} in "
                  f"resource group {rg} failed. Message: Required parameter agentPoolProfiles is missing (null).. "
                  "Details: ", "agentPoolProfiles")
    families = [str(f).lower() for f in (props_in.get("networkProfile") or {}).get("ipFamilies") or []]
    subnets = _byo_subnet_prefixes(sim, pools_in, node_rg, location, dual="ipv6" in families)
    net = build_network_profile(props_in.get("networkProfile"), full, subnets)
    pools, demand = _build_pools(sim, location, pools_in, net, version, full, api_version)
    operations = rules.check_operations(props_in)
    access = dict(props_in.get("apiServerAccessProfile") or {})
    if access.get("authorizedIPRanges") is not None:
        access["authorizedIPRanges"] = rules.normalize_authorized_ranges(access["authorizedIPRanges"])
    if access.get("enablePrivateCluster"):
        # A private cluster's access profile as the RP answers it: a public FQDN for the private address unless
        # turned off, and the system-managed private DNS zone (https://learn.microsoft.com/azure/aks/private-clusters).
        access.setdefault("enablePrivateClusterPublicFQDN", True)
        access.setdefault("privateDNSZone", "system")
        if not access.get("authorizedIPRanges"):
            access.pop("authorizedIPRanges", None)
    props = {k: v for k, v in props_in.items() if k not in ("provisioningState", "powerState", "fqdn", "privateFQDN")}
    props.update({"kubernetesVersion": version, "currentKubernetesVersion": full, "dnsPrefix": props_in["dnsPrefix"],
                  "agentPoolProfiles": pools, "nodeResourceGroup": node_rg, "supportPlan": support_plan,
                  "networkProfile": net, "sku": sku, "apiServerAccessProfile": access, **operations})
    return props, demand


@route("PUT", CLUSTER)
def put_cluster(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    group = sim.require_group(rg)
    body = req.json() or {}
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.")
    rules.check_cluster_body_shape(req, body)
    rg = group["name"]
    rid = model.cluster_id(sim.subscription_id, rg, name)
    existing = sim.peek(rid)
    if existing is not None:
        return _update_cluster(sim, req, existing, body)
    sim.check_locks(rid, "write")
    location = check_location(sim, body.get("location"), "resource type")
    validate_tags(body.get("tags"))
    sku = _sku(body.get("sku"))
    props, demand = _validated_properties(sim, rg, name, location, body.get("properties") or {}, sku,
                                          req.api_version)
    rules.check_quota(sim, location, name, props["nodeResourceGroup"], demand)
    new = model.new_cluster_body(sim, rg=rg, name=name, location=location, req_body=body, props=props,
                                 now=utcnow())
    model.ensure_node_group(sim, new)
    # ManagedCluster.eTag: "Unique read-only string used to implement optimistic concurrency. The eTag value will
    # change when the resource is updated" (managedClusters.json); If-Match on it is checked (sim/preconditions.py).
    new["eTag"] = sim.new_etag()

    def finish(cur: dict[str, Any]) -> None:
        cur["eTag"] = sim.new_etag()
        for pool in cur["properties"]["agentPoolProfiles"]:
            pool["provisioningState"] = "Succeeded"
        cur["properties"]["networkProfile"]["loadBalancerSku"] = "Standard"  # as the final GET of the recordings
        if sim.peek(sim.group_id(cur["properties"]["nodeResourceGroup"])) is not None:
            model.save_node_resources(sim, cur)

    resp = sim.accept_put(req, rid, new, created=True, namespace=NS, location=location, rtype=CLUSTER_RTYPE,
                          finalize=finish)
    # The 201 Creating answer has no identityProfile yet: the kubelet identity appears once it is made
    # (every recorded create, test_aks_*.yaml, api 2023-10-01).
    resp.body = model.view(sim, resp.body, req)
    resp.body["properties"].pop("identityProfile", None)
    return resp


def _update_cluster(sim: ArmSim, req: ArmRequest, cur: dict[str, Any], body: dict[str, Any]) -> ArmResponse:
    """PUT on an existing cluster: tags, tier/support plan, version, authorized ranges and pool counts change;
    the network profile is fixed at creation (outboundType "can only be set at cluster creation time")."""
    _check_no_operation(sim, cur)
    sim.check_locks(cur["id"], "write")
    location = check_location(sim, body.get("location") or cur["location"], "resource type")
    if location != cur["location"]:
        rg = cur["id"].split("/")[4]
        raise ArmError(409, "InvalidResourceLocation",
                       f"The resource '{cur['name']}' already exists in location '{cur['location']}' in resource group "
                       f"'{rg}'. A resource with the same name cannot be created in location '{location}'. Please "
                       "select a new resource name.")
    validate_tags(body.get("tags"))
    props_in = body.get("properties") or {}
    props = cur["properties"]
    sku = _sku(body.get("sku") or cur.get("sku"))
    support_plan = props_in.get("supportPlan") or props["supportPlan"]
    requested = props_in.get("kubernetesVersion") or props["kubernetesVersion"]
    full = rules.resolve_cluster_version(location, cur["name"], requested, sku["tier"], support_plan)
    pools = {p["name"]: p for p in props["agentPoolProfiles"]}
    for raw in props_in.get("agentPoolProfiles") or []:
        old = pools.get(raw.get("name"), {})
        merged = {**old, **{k: v for k, v in raw.items() if v not in (None, "")}}
        profile, _ = model.build_pool(sim, location, merged, net=props["networkProfile"], cluster_version=requested,
                                      cluster_full=full, default_mode=old.get("mode", "User"),
                                      api_version=req.api_version, previous=old or None)
        profile["provisioningState"] = "Updating" if old else "Creating"
        pools[profile["name"]] = profile
    demand = [(rules.vm_sku(location, p["vmSize"]) or {}, p["count"]) for p in pools.values()]
    rules.check_quota(sim, location, cur["name"], props["nodeResourceGroup"], demand,
                      exclude_prefix=sim.group_id(props["nodeResourceGroup"]) + "/")
    if any(k in props_in for k in ("autoUpgradeProfile", "securityProfile", "ingressProfile", "azureMonitorProfile")):
        # The production/operations properties change in place (az aks update --auto-upgrade-channel,
        # --enable-image-cleaner, approuting enable, --enable-azure-monitor-metrics), validated as at creation.
        merged = {**props, **props_in, "apiServerAccessProfile": props.get("apiServerAccessProfile") or {}}
        props.update({k: props_in[k] for k in ("securityProfile", "ingressProfile", "azureMonitorProfile")
                      if k in props_in}, **rules.check_operations(merged))
    access = props_in.get("apiServerAccessProfile")
    if access is not None:
        props["apiServerAccessProfile"] = {**access, "authorizedIPRanges":
                                           rules.normalize_authorized_ranges(access.get("authorizedIPRanges"))}
        if not any(props["apiServerAccessProfile"].values()):
            # Clearing the ranges leaves no profile: the recorded update with authorizedIPRanges [] answers
            # none (test_aks_api_server_authorized_ip_ranges.yaml #15).
            del props["apiServerAccessProfile"]
    props.update({"kubernetesVersion": requested, "currentKubernetesVersion": full, "supportPlan": support_plan,
                  "agentPoolProfiles": list(pools.values())})
    cur["sku"] = sku
    if "tags" in body:
        cur["tags"] = body["tags"] or {}
    cur["systemData"]["lastModifiedAt"] = utcnow()

    cur["eTag"] = sim.new_etag()

    def finish(done: dict[str, Any]) -> None:
        done["eTag"] = sim.new_etag()
        for pool in done["properties"]["agentPoolProfiles"]:
            pool["provisioningState"] = "Succeeded"
            vmss = model.pool_vmss(sim, done, pool)
            sim.save(vmss["id"], vmss)

    resp = sim.accept_put(req, cur["id"], cur, created=False, namespace=NS, location=location,
                          rtype=CLUSTER_RTYPE, finalize=finish)
    resp.body = model.view(sim, resp.body, req)
    return resp


@route("GET", CLUSTER)
def get_cluster(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = model.cluster_id(sim.subscription_id, rg, name)
    sim.touch_resource_ops(rid)
    return ArmResponse(200, model.view(sim, _require_cluster(sim, rg, name), req))


@route("GET", RG_CLUSTERS)
def list_clusters_in_group(sim: ArmSim, req: ArmRequest, sub: str, rg: str) -> ArmResponse:
    sim.require_group(rg)
    items = [model.view(sim, b, req) for b in sim.of_type(model.CLUSTER_TYPE, group=sim.group_id(rg))]
    return sim.paged(req, sorted(items, key=lambda b: b["name"].lower()))


@route("GET", SUB + "/providers/Microsoft.ContainerService/managedClusters")
def list_clusters(sim: ArmSim, req: ArmRequest, sub: str) -> ArmResponse:
    items = [model.view(sim, b, req) for b in sim.of_type(model.CLUSTER_TYPE)]
    return sim.paged(req, sorted(items, key=lambda b: b["id"].lower()))


@route("DELETE", CLUSTER)
def delete_cluster(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    rid = model.cluster_id(sim.subscription_id, rg, name)
    body = sim.peek(rid)
    if body is None:
        sim.require_group(rg)
        return ArmResponse(204)
    sim.check_locks(body["id"], "delete")
    _preempt_by_delete(sim, body["id"])
    node_group = sim.group_id(body["properties"]["nodeResourceGroup"])

    def done() -> None:
        sim.remove(body["id"])
        for child in sim.under(body["id"]):  # its maintenance configurations (containerservice_upgrades.py)
            sim.remove(child["id"])
        mc = sim.peek(node_group)
        if mc is not None and str(mc.get("managedBy", "")).lower() == body["id"].lower():
            delete_group_contents(sim, mc["id"])

    return sim.accept_delete(req, body["id"], namespace=NS, location=body["location"], rtype=CLUSTER_RTYPE,
                             on_done=done)


def _power_action(sim: ArmSim, req: ArmRequest, rg: str, name: str, *, action: str) -> ArmResponse:
    """``stop`` / ``start``: provisioningState Stopping/Starting, then powerState Stopped/Running on the
    cluster and every pool (recording test_aks_stop_and_start.yaml: 202 + both polling headers). The
    15-30 minutes to wait between the two is advice, not a server rule."""
    cluster = _require_cluster(sim, rg, name)
    sim.check_locks(cluster["id"], "write")
    _check_no_operation(sim, cluster)
    transient, power = ("Stopping", "Stopped") if action == "stop" else ("Starting", "Running")
    cluster["properties"]["provisioningState"] = transient
    for pool in cluster["properties"]["agentPoolProfiles"]:
        pool["provisioningState"] = transient

    def done() -> None:
        cur = sim.peek(cluster["id"])
        if cur is None:
            return
        cur["properties"]["provisioningState"] = "Succeeded"
        cur["properties"]["powerState"] = {"code": power}
        for pool in cur["properties"]["agentPoolProfiles"]:
            pool["provisioningState"] = "Succeeded"
            pool["powerState"] = {"code": power}
        sim.save(cur["id"], cur)

    return sim.accept_action(req, cluster["id"], namespace=NS, location=cluster["location"], action=action,
                             on_done=done)


@route("POST", CLUSTER + "/stop")
def stop_cluster(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _power_action(sim, req, rg, name, action="stop")


@route("POST", CLUSTER + "/start")
def start_cluster(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _power_action(sim, req, rg, name, action="start")


def _credentials(sim: ArmSim, rg: str, name: str, *, admin: bool) -> ArmResponse:
    cluster = _require_cluster(sim, rg, name)
    sim.check_locks(cluster["id"], "write")  # a POST: a ReadOnly lock blocks it like any action
    if admin and cluster["properties"].get("disableLocalAccounts"):
        raise bad("BadRequest", "Getting static credential is not allowed because this cluster is set to disable "
                  "local accounts.")
    kind = "clusterAdmin" if admin else "clusterUser"
    from ..kube_api import kubeconfig

    value = base64.b64encode(kubeconfig(sim, cluster, admin=admin).encode()).decode()
    return ArmResponse(200, {"kubeconfigs": [{"name": kind, "value": value}]})


@route("POST", CLUSTER + "/listClusterUserCredential")
def list_user_credential(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _credentials(sim, rg, name, admin=False)


@route("POST", CLUSTER + "/listClusterAdminCredential")
def list_admin_credential(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    return _credentials(sim, rg, name, admin=True)


@route("GET", SUB + "/providers/Microsoft.ContainerService/locations/{loc}/kubernetesVersions")
def kubernetes_versions(sim: ArmSim, req: ArmRequest, sub: str, loc: str) -> ArmResponse:
    location = check_location(sim, loc, "resource type")
    return ArmResponse(200, catalog_k8s.kubernetes_versions(location))


# ---------------------------------------------------------------- agent pools


def _pool_id(cluster: dict[str, Any], pool: str) -> str:
    return f"{cluster['id']}/agentPools/{pool}"


@route("PUT", POOL)
def put_pool(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, pool: str) -> ArmResponse:
    cluster = _require_cluster(sim, rg, name)
    body = req.json() or {}
    props_in = body.get("properties") or {}
    rules.reject_snake_case(req, props_in, "ManagedClusterAgentPoolProfileProperties", "properties")
    _check_no_operation(sim, cluster)
    pid = _pool_id(cluster, pool)
    sim.check_locks(pid, "write")
    sim.require_registered(NS)
    location, cprops = cluster["location"], cluster["properties"]
    old = _find_pool(cluster, pool)
    raw = {**(old or {}), **{k: v for k, v in props_in.items() if v not in (None, "")}, "name": pool}
    _byo_subnet_prefixes(sim, [raw], cprops["nodeResourceGroup"], location,
                         dual=cprops["networkProfile"].get("ipFamilies") == ["IPv4", "IPv6"])
    profile, sku = model.build_pool(sim, location, raw, net=cprops["networkProfile"],
                                    cluster_version=cprops["kubernetesVersion"],
                                    cluster_full=cprops["currentKubernetesVersion"],
                                    default_mode=(old or {}).get("mode", "User"), api_version=req.api_version,
                                    previous=old)
    if old and old["mode"] == "System" and profile["mode"] != "System" and \
            not any(p["mode"] == "System" for p in cprops["agentPoolProfiles"] if p is not old):
        raise bad("OperationNotAllowed", "There has to be at least one system agent pool.")
    vmss_id = model.pool_vmss(sim, cluster, profile)["id"]
    rules.check_quota(sim, location, cluster["name"], cprops["nodeResourceGroup"], [(sku, profile["count"])],
                      exclude_prefix=vmss_id)
    # A PUT that changes only the node count is a scale: AKS answers "Scaling" (recorded
    # `az aks nodepool scale`, test_aks_nodepool_create_scale_delete.yaml #29).
    scale_only = old is not None and profile.get("count") != old.get("count") and all(
        profile.get(k) == old.get(k) for k in set(profile) | set(old) if k not in ("count", "provisioningState"))
    profile["provisioningState"] = "Scaling" if scale_only else "Updating" if old else "Creating"
    if old is None:
        cprops["agentPoolProfiles"].append(profile)
    else:
        cprops["agentPoolProfiles"] = [profile if p is old else p for p in cprops["agentPoolProfiles"]]
    sim.save(cluster["id"], cluster)

    def done() -> None:
        cur = sim.peek(cluster["id"])
        mine = _find_pool(cur, pool) if cur else None
        if cur is None or mine is None:
            return
        mine["provisioningState"] = "Succeeded"
        vmss = model.pool_vmss(sim, cur, mine)
        sim.save(vmss["id"], vmss)

    def failed(err: dict[str, Any]) -> None:
        cur = sim.peek(cluster["id"])
        mine = _find_pool(cur, pool) if cur else None
        if mine is not None:
            mine["provisioningState"] = "Failed"

    op = sim.start_operation(req, namespace=NS, location=location, resource_id=pid, kind="put",
                             seconds=sim.latency.put(POOL_RTYPE), on_success=done, on_failure=failed)
    return ArmResponse(200 if old else 201, model.pool_view(cluster["id"], profile, req),
                       {"Azure-AsyncOperation": sim.async_url(req, op)})


@route("GET", POOL)
def get_pool(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, pool: str) -> ArmResponse:
    cluster = _require_cluster(sim, rg, name)
    sim.touch_resource_ops(_pool_id(cluster, pool))
    profile = _find_pool(model.view(sim, cluster), pool)
    if profile is None:
        raise sim.not_found(_pool_id(cluster, pool))
    return ArmResponse(200, model.pool_view(cluster["id"], profile, req))


@route("GET", POOL + "/upgradeProfiles/default")
def get_pool_upgrade_profile(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, pool: str) -> ArmResponse:
    """AgentPools_GetUpgradeProfile, as recorded (`az aks nodepool get-upgrades`,
    test_aks_nodepool_create_scale_delete.yaml #40): the pool's version, OS type and latest node image; the
    ``upgrades`` list names newer versions the region offers, up to the control plane's."""
    cluster = _require_cluster(sim, rg, name)
    profile = _find_pool(cluster, pool)
    pid = _pool_id(cluster, pool)
    if profile is None:
        raise sim.not_found(pid)
    current = str(profile.get("currentOrchestratorVersion") or profile.get("orchestratorVersion") or "")
    props: dict[str, Any] = {"kubernetesVersion": current, "osType": profile.get("osType", "Linux"),
                             "latestNodeImageVersion": profile.get("nodeImageVersion")}
    # A pool cannot run a newer version than its control plane: the recorded pool at the cluster's version
    # lists no upgrades.
    upgrades = _newer_versions(cluster["location"], current,
                               str(cluster["properties"].get("currentKubernetesVersion") or ""))
    if upgrades:
        props["upgrades"] = [{"kubernetesVersion": v} for v in upgrades]
    # Azure writes "resourcegroups" in this id (recorded).
    uid = pid.replace("/resourceGroups/", "/resourcegroups/") + "/upgradeProfiles/default"
    return ArmResponse(200, {"id": uid, "name": "default",
                             "type": "Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles",
                             "properties": props})


def _newer_versions(location: str, current: str, ceiling: str) -> list[str]:
    def key(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in v.split(".") if x.isdigit())

    if not current:
        return []
    minors = catalog_k8s.offered_minor_versions(location)
    mine = ".".join(current.split(".")[:2])
    later = [m for m in minors if key(m) > key(mine)]
    candidates = [v for m in [mine, *sorted(later, key=key)[:1]] for v in catalog_k8s.patch_versions(location, m)]
    return sorted({v for v in candidates if key(current) < key(v) <= key(ceiling or v)}, key=key)


@route("GET", POOLS)
def list_pools(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    cluster = model.view(sim, _require_cluster(sim, rg, name))
    return sim.paged(req, [model.pool_view(cluster["id"], p, req) for p in cluster["properties"]["agentPoolProfiles"]])


@route("DELETE", POOL)
def delete_pool(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str, pool: str) -> ArmResponse:
    cluster = _require_cluster(sim, rg, name)
    profile = _find_pool(cluster, pool)
    if profile is None:
        return ArmResponse(204)
    pid = _pool_id(cluster, pool)
    sim.check_locks(pid, "delete")
    _check_no_operation(sim, cluster)
    pools = cluster["properties"]["agentPoolProfiles"]
    if len(pools) == 1:
        # Verbatim, Azure/AKS#2560 and pulumi/pulumi-azure-native#1575.
        raise bad("OperationNotAllowed", "There has to be at least one agent pool.")
    if profile["mode"] == "System" and not any(p["mode"] == "System" for p in pools if p is not profile):
        # Verbatim, kubernetes-sigs/cluster-api-provider-azure#1355 (HTTP 400).
        raise bad("OperationNotAllowed", "There has to be at least one system agent pool.")
    profile["provisioningState"] = "Deleting"
    vmss_id = model.pool_vmss(sim, cluster, profile)["id"]

    def done() -> None:
        cur = sim.peek(cluster["id"])
        if cur is not None:
            cur["properties"]["agentPoolProfiles"] = [p for p in cur["properties"]["agentPoolProfiles"]
                                                      if p["name"].lower() != pool.lower()]
            sim.save(cur["id"], cur)
        sim.remove(vmss_id)

    op = sim.start_operation(req, namespace=NS, location=cluster["location"], resource_id=pid, kind="delete",
                             seconds=sim.latency.delete(POOL_RTYPE), on_success=done)
    return ArmResponse(202, None, {"Location": sim.location_url(req, op),
                                   "Azure-AsyncOperation": sim.async_url(req, op)})
