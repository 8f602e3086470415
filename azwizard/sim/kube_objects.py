"""What a simulated AKS cluster's Kubernetes API answers: its nodes, and the pods and DaemonSets in ``kube-system``.

Built from the cluster as ARM stores it (``agentPoolProfiles``, ``networkProfile``, ``kubernetesVersion``), shaped as
a real AKS cluster answers ``kubectl get nodes`` / ``get pods -n kube-system`` / ``get ds -n kube-system``
(https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/,
https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/daemon-set-v1/):

- a node per agent-pool instance, named ``aks-<pool>-<8 digits>-vmss<6 base-36 digits>``, ``Ready`` with
  ``KubeletReady``, one ``InternalIP`` per cluster IP family (IPv4 first, then IPv6 on dual-stack clusters:
  https://learn.microsoft.com/azure/aks/configure-dual-stack, "nodes receive both an IPv4 and IPv6 address") and a
  ``Hostname``; addresses come from the pool's subnet when it names one, else from the AKS-managed VNet's
  ``10.224.0.0/16`` and a ULA ``/64``;
- in ``kube-system``: CoreDNS (``k8s-app=kube-dns``, 2 replicas), ``coredns-autoscaler``, ``konnectivity-agent``
  (``app=konnectivity-agent``, 2 replicas), ``metrics-server`` (2), and the DaemonSets of every node:
  ``cloud-node-manager``, ``csi-azuredisk-node``, ``csi-azurefile-node``, ``kube-proxy`` (not with the Cilium
  dataplane, which replaces it: https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium), and on Cilium
  clusters ``cilium`` (``k8s-app=cilium``) with ``cilium-operator`` (2).

A node marked NotReady (:func:`mark_node`) answers ``Ready: False`` (``KubeletNotReady``); the pods on it stay
``Running`` with ``Ready: False`` (the node lifecycle controller marks them so before any eviction:
https://kubernetes.io/docs/concepts/architecture/nodes/#condition), and each DaemonSet counts it out of
``numberReady``. A node marked IPv4-only answers no IPv6 ``InternalIP``. The marks are kept in the simulator's
state (``sim.extra["kube_nodes"]``), so a later session sees them.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import ArmSim

SYSTEM = "kube-system"
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _h(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def _b36(n: int, width: int = 6) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = _B36[r] + out
    return out


def _suffix(seed: str, n: int = 5) -> str:
    """A pod name suffix like Kubernetes makes (lower-case consonants and digits)."""
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    value = int(_h(seed)[:16], 16)
    return "".join(alphabet[(value // len(alphabet) ** i) % len(alphabet)] for i in range(n))


def families(cluster: dict[str, Any]) -> list[str]:
    return list(((cluster.get("properties") or {}).get("networkProfile") or {}).get("ipFamilies") or ["IPv4"])


def is_cilium(cluster: dict[str, Any]) -> bool:
    return ((cluster.get("properties") or {}).get("networkProfile") or {}).get("networkDataplane") == "cilium"


def _marks(sim: ArmSim, cluster: dict[str, Any]) -> dict[str, dict[str, Any]]:
    marks = (sim.extra.get("kube_nodes") or {}).get(str(cluster["id"]).lower()) or {}
    return marks if isinstance(marks, dict) else {}


def mark_node(sim: ArmSim, cluster_id: str, node: str | int, *, ready: bool | None = None,
              ip_families: list[str] | None = None) -> str:
    """Mark one node of the cluster (by name or index in :func:`nodes`' order): ``ready=False`` makes it NotReady,
    ``ip_families=["IPv4"]`` leaves it without its IPv6 address; ``ready=True`` / ``ip_families=None`` with the
    other unset clears the mark. Returns the node's name."""
    with sim.lock:
        sim._sync_from_file()  # another process (a demo session) may have marked nodes since
        cluster = sim.peek(cluster_id) or next((c for c in sim.of_type("Microsoft.ContainerService/managedClusters")
                                                if str(c["id"]).lower() == cluster_id.lower()), None)
        if cluster is None:
            raise KeyError(f"no cluster {cluster_id}")
        names = [n["metadata"]["name"] for n in nodes(sim, cluster)]
        name = names[node] if isinstance(node, int) else node
        if name not in names:
            raise KeyError(f"no node {name} in {cluster_id} (nodes: {', '.join(names)})")
        every = sim.extra.setdefault("kube_nodes", {})
        marks = every.setdefault(str(cluster["id"]).lower(), {})
        mark = marks.setdefault(name, {})
        if ready is not None:
            mark["ready"] = ready
        if ip_families is not None:
            mark["ipFamilies"] = list(ip_families)
        if mark.get("ready", True) and "ipFamilies" not in mark:
            marks.pop(name, None)
        sim.extra["kube_nodes"] = every
        sim._persist()  # kept in the state file at once: a later session (or another process) sees the mark
        return name


def _subnet_prefixes(sim: ArmSim, pool: dict[str, Any]) -> list[str]:
    sid = pool.get("vnetSubnetID")
    if not sid:
        return []
    vnet_id, _, sn_name = str(sid).rpartition("/subnets/")
    vnet = sim.peek(vnet_id) if vnet_id else None
    for sn in ((vnet or {}).get("properties") or {}).get("subnets") or []:
        if str(sn.get("name", "")).lower() == sn_name.lower():
            p = sn.get("properties") or {}
            return [*([p["addressPrefix"]] if p.get("addressPrefix") else []), *(p.get("addressPrefixes") or [])]
    return []


def _node_ip(prefixes: list[str], version: int, index: int, fallback: str) -> str:
    nets = [ipaddress.ip_network(p, strict=False) for p in prefixes]
    net = next((n for n in nets if n.version == version), ipaddress.ip_network(fallback))
    return str(net.network_address + 4 + index)  # Azure keeps the first four addresses of a subnet


def nodes(sim: ArmSim, cluster: dict[str, Any]) -> list[dict[str, Any]]:
    """The cluster's Node objects (``items`` of ``GET /api/v1/nodes``)."""
    props = cluster.get("properties") or {}
    cid = str(cluster["id"]).lower()
    fams = families(cluster)
    version = str(props.get("currentKubernetesVersion") or props.get("kubernetesVersion") or "1.33.0")
    location = str(cluster.get("location", ""))
    node_rg = str(props.get("nodeResourceGroup") or "")
    ula = f"fd{_h(cid, 'ula')[:2]}:{_h(cid, 'ula')[2:6]}:{_h(cid, 'ula')[6:10]}::/64"
    marks = _marks(sim, cluster)
    out: list[dict[str, Any]] = []
    index = 0  # addresses are handed out across pools of the managed VNet in order
    for pool in props.get("agentPoolProfiles") or []:
        pname = str(pool.get("name"))
        digits = str(int(_h(cid, pname)[:8], 16) % 10**8).zfill(8)
        prefixes = _subnet_prefixes(sim, pool)
        linux = str(pool.get("osType") or "Linux") == "Linux"
        zones = [str(z) for z in pool.get("availabilityZones") or []]
        for i in range(int(pool.get("count") or 0)):
            name = f"aks-{pname}-{digits}-vmss{_b36(i)}"
            mark = marks.get(name) or {}
            ready = bool(mark.get("ready", True))
            node_fams = [f for f in fams if f in (mark.get("ipFamilies") or fams)]
            at = i if prefixes else index
            addresses = [{"type": "InternalIP", "address": _node_ip(prefixes, 4 if f == "IPv4" else 6, at,
                                                                      "10.224.0.0/16" if f == "IPv4" else ula)}
                         for f in node_fams]
            addresses.append({"type": "Hostname", "address": name})
            index += 1
            stamp = "2026-01-01T00:00:00Z"
            cond = {"lastHeartbeatTime": stamp, "lastTransitionTime": stamp}
            pod_cidrs = [f"10.244.{index - 1}.0/24"] + ([f"fd12:3456:789a:0:{index - 1:x}::/80"]
                                                         if "IPv6" in fams else [])
            out.append({
                "metadata": {
                    "name": name, "uid": _uid(cid, name), "resourceVersion": str(1000 + index),
                    "creationTimestamp": stamp,
                    "labels": {
                        "agentpool": pname, "kubernetes.azure.com/agentpool": pname,
                        "kubernetes.azure.com/cluster": node_rg,
                        "kubernetes.azure.com/mode": str(pool.get("mode") or "User").lower(),
                        "kubernetes.azure.com/os-sku": str(pool.get("osSKU") or "Ubuntu"),
                        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                        "kubernetes.io/os": "linux" if linux else "windows", "kubernetes.io/role": "agent",
                        "node.kubernetes.io/instance-type": str(pool.get("vmSize", "")),
                        "topology.kubernetes.io/region": location,
                        "topology.kubernetes.io/zone": f"{location}-{zones[i % len(zones)]}" if zones else "0",
                    },
                },
                "spec": {
                    "podCIDR": pod_cidrs[0], "podCIDRs": pod_cidrs,
                    "providerID": (f"azure:///subscriptions/{cid.split('/')[2]}/resourceGroups/{node_rg.lower()}/"
                                   f"providers/Microsoft.Compute/virtualMachineScaleSets/aks-{pname}-{digits}-vmss/"
                                   f"virtualMachines/{i}"),
                },
                "status": {
                    "conditions": [
                        {**cond, "type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
                         "message": "kubelet has sufficient memory available"},
                        {**cond, "type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure",
                         "message": "kubelet has no disk pressure"},
                        {**cond, "type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID",
                         "message": "kubelet has sufficient PID available"},
                        {**cond, "type": "Ready", "status": "True", "reason": "KubeletReady",
                         "message": "kubelet is posting ready status"} if ready else
                        {**cond, "type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown",
                         "message": "Kubelet stopped posting node status."},
                    ],
                    "addresses": addresses,
                    "nodeInfo": {
                        "kubeletVersion": f"v{version}", "kubeProxyVersion": f"v{version}",
                        "operatingSystem": "linux" if linux else "windows", "architecture": "amd64",
                        "containerRuntimeVersion": "containerd://1.7.27-1",
                        "osImage": ("CBL-Mariner/Linux" if pool.get("osSKU") in ("AzureLinux", "CBLMariner")
                                    else "Ubuntu 22.04.5 LTS") if linux else "Windows Server 2022 Datacenter",
                        "kernelVersion": "5.15.0-1089-azure", "machineID": _h(cid, name, "m")[:32],
                        "systemUUID": _uid(cid, name, "sys"), "bootID": _uid(cid, name, "boot"),
                    },
                },
            })
    return out


def _uid(*parts: str) -> str:
    h = _h(*parts)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _ready(node: dict[str, Any]) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"]["conditions"])


def _container(name: str, image: str) -> dict[str, Any]:
    return {"name": name, "image": f"mcr.microsoft.com/{image}", "resources": {}}


# (workload, labels, container image, replicas or None for a DaemonSet, Cilium clusters only / never / always)
_DEPLOYMENTS = (
    ("coredns", {"k8s-app": "kube-dns"}, "oss/v2/kubernetes/coredns:v1.12.1-1", 2),
    ("coredns-autoscaler", {"k8s-app": "coredns-autoscaler"},
     "oss/v2/kubernetes/autoscaler/cluster-proportional-autoscaler:v1.9.0-1", 1),
    ("konnectivity-agent", {"app": "konnectivity-agent"}, "oss/kubernetes/apiserver-network-proxy/agent:v0.30.3-hotfix.20240819", 2),
    ("metrics-server", {"k8s-app": "metrics-server"}, "oss/v2/kubernetes/metrics-server:v0.7.2-5", 2),
)
_DAEMONSETS = (
    ("cloud-node-manager", {"k8s-app": "cloud-node-manager"}, "oss/kubernetes/azure-cloud-node-manager:v1.33.1", None),
    ("csi-azuredisk-node", {"app": "csi-azuredisk-node"}, "oss/v2/kubernetes-csi/azuredisk-csi:v1.33.1", None),
    ("csi-azurefile-node", {"app": "csi-azurefile-node"}, "oss/v2/kubernetes-csi/azurefile-csi:v1.33.1", None),
    ("kube-proxy", {"component": "kube-proxy"}, "oss/kubernetes/kube-proxy:v1.33.1", False),
    ("cilium", {"k8s-app": "cilium"}, "containernetworking/cilium/cilium:v1.17.3-250501", True),
)
_CILIUM_OPERATOR = ("cilium-operator", {"io.cilium/app": "operator", "name": "cilium-operator"},
                    "containernetworking/cilium/operator-generic:v1.17.3-250501", 2)


def _daemonsets(cluster: dict[str, Any]) -> list[tuple[str, dict[str, str], str]]:
    cilium = is_cilium(cluster)
    return [(n, labels, image) for n, labels, image, only in _DAEMONSETS if only is None or only == cilium]


def _pod(cid: str, name: str, labels: dict[str, str], image: str, node: dict[str, Any] | None,
         owner: tuple[str, str]) -> dict[str, Any]:
    ready = node is not None and _ready(node)
    stamp = "2026-01-01T00:00:00Z"
    ip = next((a["address"] for a in (node or {}).get("status", {}).get("addresses", []) if a["type"] == "InternalIP"),
              None)
    return {
        "metadata": {"name": name, "namespace": SYSTEM, "uid": _uid(cid, name), "labels": dict(labels),
                     "creationTimestamp": stamp, "ownerReferences": [{
                         "apiVersion": "apps/v1", "kind": owner[0], "name": owner[1], "uid": _uid(cid, owner[1]),
                         "controller": True, "blockOwnerDeletion": True}]},
        "spec": {"containers": [_container(labels.get("k8s-app") or name.rsplit("-", 2)[0], image)],
                 "nodeName": node["metadata"]["name"] if node else None, "priorityClassName": "system-node-critical"},
        "status": {
            "phase": "Running" if node else "Pending",
            "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                            "lastTransitionTime": stamp}],
            "hostIP": ip, "podIP": ip, "startTime": stamp,
            "containerStatuses": [{"name": labels.get("k8s-app") or name.rsplit("-", 2)[0], "ready": ready,
                                   "restartCount": 0, "image": f"mcr.microsoft.com/{image}", "imageID": "",
                                   "started": ready, "state": {"running": {"startedAt": stamp}}}],
        },
    }


def kube_system_pods(sim: ArmSim, cluster: dict[str, Any]) -> list[dict[str, Any]]:
    """The pods of ``kube-system`` (``items`` of ``GET /api/v1/namespaces/kube-system/pods``)."""
    cid = str(cluster["id"]).lower()
    all_nodes = nodes(sim, cluster)
    linux = [n for n in all_nodes if n["metadata"]["labels"]["kubernetes.io/os"] == "linux"]
    system = [n for n in linux if n["metadata"]["labels"]["kubernetes.azure.com/mode"] == "system"] or linux
    out: list[dict[str, Any]] = []
    deployments = list(_DEPLOYMENTS) + ([_CILIUM_OPERATOR] if is_cilium(cluster) else [])
    for workload, labels, image, replicas in deployments:
        rs = f"{workload}-{_h(cid, workload)[:10]}"
        for r in range(int(replicas or 0)):
            node = system[r % len(system)] if system else None
            out.append(_pod(cid, f"{rs}-{_suffix(cid + workload + str(r))}", labels, image, node, ("ReplicaSet", rs)))
    for ds, labels, image in _daemonsets(cluster):
        for node in linux:
            out.append(_pod(cid, f"{ds}-{_suffix(cid + ds + node['metadata']['name'])}", labels, image, node,
                            ("DaemonSet", ds)))
    return out


def kube_system_daemonsets(sim: ArmSim, cluster: dict[str, Any]) -> list[dict[str, Any]]:
    """The DaemonSets of ``kube-system`` (``items`` of ``GET /apis/apps/v1/namespaces/kube-system/daemonsets``)."""
    cid = str(cluster["id"]).lower()
    linux = [n for n in nodes(sim, cluster) if n["metadata"]["labels"]["kubernetes.io/os"] == "linux"]
    ready = sum(1 for n in linux if _ready(n))
    out = []
    for ds, labels, image in _daemonsets(cluster):
        status: dict[str, Any] = {
            "currentNumberScheduled": len(linux), "desiredNumberScheduled": len(linux), "numberMisscheduled": 0,
            "numberReady": ready, "numberAvailable": ready, "updatedNumberScheduled": len(linux),
            "observedGeneration": 1,
        }
        if ready < len(linux):
            status["numberUnavailable"] = len(linux) - ready
        out.append({
            "metadata": {"name": ds, "namespace": SYSTEM, "uid": _uid(cid, ds), "generation": 1,
                         "labels": {**labels, "kubernetes.azure.com/managedby": "aks"},
                         "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"selector": {"matchLabels": dict(labels)},
                     "template": {"metadata": {"labels": dict(labels)},
                                  "spec": {"containers": [_container(ds, image)],
                                           "nodeSelector": {"kubernetes.io/os": "linux"}}},
                     "updateStrategy": {"type": "RollingUpdate",
                                        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}},
            "status": status,
        })
    return out
