"""Check a running AKS cluster the way the notes' "Check stuff" does (``kubectl get nodes -o wide``, ``kubectl get
pods -A``, ``cilium status``), with the official Kubernetes Python client and the kubeconfig of
``listClusterUserCredential`` (https://learn.microsoft.com/rest/api/aks/managed-clusters/list-cluster-user-credentials).

The checks, in order (each one a :class:`Check`; the first that fails is the verdict's reason):

1. ``cluster``: Azure has the cluster ``Succeeded`` and ``Running`` (a stopped cluster has no API server).
2. ``api-server``: the API server answers (``GET /api/v1/nodes``), and from which of the cluster's
   ``authorizedIPRanges`` the caller's public IP is: an API server with authorized ranges drops every other
   address (https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges); a private cluster's answers only
   inside its network (https://learn.microsoft.com/azure/aks/private-clusters).
3. ``nodes-ready``: every node's ``Ready`` condition is ``True`` (``kubectl get nodes``: STATUS Ready).
4. ``node-addresses``: every node has an ``InternalIP`` of each family the cluster asked for (``ipFamilies``; a
   dual-stack cluster's nodes have both: https://learn.microsoft.com/azure/aks/configure-dual-stack).
5. ``coredns`` / ``konnectivity``: the system pods (``k8s-app=kube-dns``, ``app=konnectivity-agent`` in
   ``kube-system``) are ``Running`` and ready: CoreDNS answers the cluster's DNS, konnectivity carries the API
   server's traffic to the nodes (https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/tunnel-connectivity-issues).
6. ``cilium`` (Cilium dataplane only): the ``cilium`` DaemonSet has a ready pod on every node it wants
   (``numberReady == desiredNumberScheduled``; https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium).

Nothing is changed anywhere: one ARM read, one credentials action, three Kubernetes reads. The kubeconfig is
never written to the user's files; the Kubernetes client keeps the certificate and key it holds in its own 0600
temporary files (``tempfile.mkstemp``), removed when the process exits.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["Check", "ClusterNotFound", "Verification", "caller_ip", "verify_cluster"]

TIMEOUT = (5.0, 15.0)  # (connect, read) seconds for each Kubernetes call


class ClusterNotFound(LookupError):
    """No such cluster in the subscription (a usage error, not an unhealthy cluster)."""


@dataclass(frozen=True)
class Check:
    key: str
    ok: bool
    summary: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.key, "ok": self.ok, "summary": self.summary}


@dataclass
class Verification:
    cluster_id: str
    name: str
    resource_group: str
    checks: list[Check] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def reason(self) -> str | None:
        return next((c.summary for c in self.checks if not c.ok), None)

    def to_dict(self) -> dict[str, Any]:
        return {"cluster": self.cluster_id, "healthy": self.healthy, "reason": self.reason,
                "checks": [c.to_dict() for c in self.checks]}


def caller_ip(demo: bool) -> str | None:
    """The caller's public IPv4 (demo: the simulated one), or ``None`` when it cannot be found."""
    from .myip import detect_public_ipv4

    try:
        return detect_public_ipv4(demo=demo)
    except OSError:
        return None


def _get(obj: Any, *path: str) -> Any:
    for p in path:
        obj = getattr(obj, p, None) if obj is not None else None
    return obj


def _kube_client(kubeconfig_text: str) -> Any:
    from kubernetes import client, config

    cfg = client.Configuration()
    config.load_kube_config_from_dict(yaml.safe_load(kubeconfig_text), client_configuration=cfg)  # type: ignore[no-untyped-call]
    cfg.retries = 1  # an unreachable API server fails fast instead of urllib3's three retries
    return client.ApiClient(cfg)


def _range_of(caller_ip: str | None, ranges: list[str]) -> str | None:
    if not caller_ip:
        return None
    try:
        ip = ipaddress.ip_address(caller_ip)
        return next((r for r in ranges if ip in ipaddress.ip_network(r, strict=False)), None)
    except ValueError:
        return None


def _unreachable_reason(exc: Exception) -> str:
    from kubernetes.client.exceptions import ApiException

    if isinstance(exc, ApiException):
        if exc.status in (401, 403):
            return f"it refused the credentials ({exc.status} {exc.reason})"
        return f"it answered {exc.status} {exc.reason}"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"no answer ({text[:160]})"


def verify_cluster(factory: Any, resource_group: str, name: str, *, caller_ip: str | None,
                   on_check: Callable[[Check], None] | None = None) -> Verification:
    """Run the checks against cluster ``name`` in ``resource_group``; ``on_check`` sees each result as it comes.
    Raises :class:`ClusterNotFound` when Azure has no such cluster; other Azure errors propagate."""
    from azure.core.exceptions import ResourceNotFoundError

    mc_client = factory.containerservice().managed_clusters
    try:
        mc = mc_client.get(resource_group, name)
    except ResourceNotFoundError as e:
        raise ClusterNotFound(f"No AKS cluster '{name}' in resource group '{resource_group}'.") from e
    result = Verification(str(mc.id), name, resource_group)

    def add(key: str, ok: bool, summary: str) -> bool:
        check = Check(key, ok, summary)
        result.checks.append(check)
        if on_check is not None:
            on_check(check)
        return ok

    state = mc.provisioning_state or "unknown"
    power = _get(mc, "power_state", "code") or "Running"
    if state != "Succeeded" or power != "Running":
        why = (f"the cluster is stopped: start it first (az aks start --resource-group={resource_group} "
               f"--name={name})" if power == "Stopped" else f"the cluster is {state} in Azure, not Succeeded")
        add("cluster", False, why)
        return result
    add("cluster", True, f"Azure: {name} is Succeeded and Running (Kubernetes {mc.current_kubernetes_version or '?'})")

    access = mc.api_server_access_profile
    ranges = list(_get(access, "authorized_ip_ranges") or [])
    private = bool(_get(access, "enable_private_cluster"))
    fqdn = mc.private_fqdn if private and mc.private_fqdn else mc.fqdn
    creds = mc_client.list_cluster_user_credentials(resource_group, name)
    if not creds.kubeconfigs:
        add("api-server", False, "Azure returned no kubeconfig for the cluster")
        return result
    value = creds.kubeconfigs[0].value
    text = (value if isinstance(value, (bytes, bytearray)) else base64.b64decode(value)).decode("utf-8")

    from kubernetes import client

    api = _kube_client(text)
    try:
        core, apps = client.CoreV1Api(api), client.AppsV1Api(api)
        try:
            node_list: list[Any] = list(core.list_node(_request_timeout=TIMEOUT).items)
        except Exception as exc:  # noqa: BLE001 - any failure to reach it is the finding
            hint = ""
            inside = _range_of(caller_ip, ranges)
            if private:
                hint = " It is a private cluster: its API server answers only inside its virtual network."
            elif ranges and inside is None:
                hint = (f" Your public IP {caller_ip or '(unknown)'} is in none of its authorized ranges "
                        f"({', '.join(ranges)}): add it (az aks update --api-server-authorized-ip-ranges).")
            add("api-server", False, f"API server https://{fqdn} not reachable: {_unreachable_reason(exc)}.{hint}")
            return result
        if not ranges:
            where = "no authorized IP ranges: it answers any address"
        else:
            inside = _range_of(caller_ip, ranges)
            where = (f"your IP {caller_ip} is in the authorized range {inside}" if inside else
                     f"your IP {caller_ip or '(unknown)'} is in none of the authorized ranges ({', '.join(ranges)}), "
                     "yet it answered: you reach it through another address")
        add("api-server", True, f"API server answers; {where}")

        not_ready = []
        for n in node_list:
            ready = next((c for c in n.status.conditions or [] if c.type == "Ready"), None)
            if ready is None or ready.status != "True":
                why = f"{ready.reason}: {ready.message}" if ready is not None else "no Ready condition"
                not_ready.append(f"{n.metadata.name} ({why})")
        if not node_list:
            add("nodes-ready", False, "the cluster has no nodes")
        elif not_ready:
            add("nodes-ready", False, f"{len(not_ready)} of {len(node_list)} nodes NotReady: {'; '.join(not_ready)}")
        else:
            add("nodes-ready", True, f"{len(node_list)} node(s) Ready")

        wanted = [str(getattr(f, "value", f)) for f in _get(mc, "network_profile", "ip_families") or ["IPv4"]]
        missing = []
        for n in node_list:
            have = set()
            internal = [a.address for a in n.status.addresses or [] if a.type == "InternalIP"]
            for addr in internal:
                try:
                    have.add(f"IPv{ipaddress.ip_address(addr).version}")
                except ValueError:
                    continue
            lacking = [f for f in wanted if f not in have]
            if lacking:
                missing.append(f"{n.metadata.name} has no {' or '.join(lacking)} InternalIP "
                               f"(has {', '.join(internal) or 'none'})")
        if node_list:
            families = " and ".join(f"an {f}" for f in wanted)
            add("node-addresses", not missing,
                "; ".join(missing) if missing else f"every node has {families} InternalIP")

        try:
            pods: list[Any] = list(core.list_namespaced_pod("kube-system", _request_timeout=TIMEOUT).items)
        except Exception as exc:  # noqa: BLE001 - reported as the failing check
            add("coredns", False, f"could not read the kube-system pods: {_unreachable_reason(exc)}")
            return result
        for key, label, what in (("coredns", ("k8s-app", "kube-dns"), "CoreDNS"),
                                 ("konnectivity", ("app", "konnectivity-agent"), "konnectivity-agent")):
            mine = [p for p in pods if (p.metadata.labels or {}).get(label[0]) == label[1]]
            bad = [p.metadata.name + (f" on {p.spec.node_name}" if p.spec and p.spec.node_name else "")
                   for p in mine if p.status.phase != "Running" or not all(
                       c.ready for c in p.status.container_statuses or [])]
            if not mine:
                add(key, False, f"no {what} pods in kube-system")
            elif bad:
                add(key, False, f"{len(mine) - len(bad)} of {len(mine)} {what} pods running and ready; not: "
                                f"{', '.join(bad)}")
            else:
                add(key, True, f"{what}: {len(mine)} of {len(mine)} pods running and ready")

        if _get(mc, "network_profile", "network_dataplane") == "cilium":
            try:
                sets: list[Any] = list(apps.list_namespaced_daemon_set("kube-system", _request_timeout=TIMEOUT).items)
            except Exception as exc:  # noqa: BLE001 - reported as the failing check
                add("cilium", False, f"could not read the kube-system DaemonSets: {_unreachable_reason(exc)}")
                return result
            ds = next((d for d in sets if d.metadata.name == "cilium"), None)
            if ds is None:
                add("cilium", False, "the cilium DaemonSet is missing from kube-system")
            else:
                want, ready_n = ds.status.desired_number_scheduled or 0, ds.status.number_ready or 0
                add("cilium", bool(want) and ready_n == want,
                    f"cilium DaemonSet: {ready_n} of {want} pods ready" + ("" if ready_n == want and want else
                                                                          " (a node without a ready Cilium agent "
                                                                          "has no pod networking)"))
    finally:
        api.close()
    return result
