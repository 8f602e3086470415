"""The small part of each simulated AKS cluster's Kubernetes API that ``azwizard aks verify`` reads, on loopback.

Enabled per simulator (:func:`enable`: demo mode and the tests that need it); started on the first
``listClusterUserCredential`` (or :func:`start`). One HTTPS server on ``127.0.0.1`` answers for every cluster of the
simulator, as the AKS API servers would answer at their FQDNs:

- the kubeconfig the credential actions hand out (:func:`kubeconfig`) then points at it: ``server:
  https://127.0.0.1:<port>`` with ``tls-server-name: <the cluster's FQDN>`` (kubectl and the Python client send it as
  SNI and check the certificate against it), the simulator's cluster CA as ``certificate-authority-data``, a client
  certificate and key, and the user's token; without the server the kubeconfig names ``https://<fqdn>:443`` as
  Azure's does (https://learn.microsoft.com/rest/api/aks/managed-clusters/list-cluster-user-credentials);
- the server presents, for the name a client asks for, a certificate signed by that CA (``kube_certs.py``), and
  finds the cluster by the bearer token (401 ``Unauthorized`` ``Status`` otherwise, as kube-apiserver answers);
- ``GET /version``, ``/api/v1/nodes``, ``/api/v1/namespaces/kube-system/pods`` and
  ``/apis/apps/v1/namespaces/kube-system/daemonsets`` answer ``NodeList`` / ``PodList`` / ``DaemonSetList`` built by
  ``kube_objects.py``; anything else 404 ``NotFound`` (a ``Status`` object:
  https://kubernetes.io/docs/reference/using-api/api-concepts/#response-status-kind);
- a stopped cluster, a private cluster (https://learn.microsoft.com/azure/aks/private-clusters: reachable only from
  its virtual network), or a caller whose address is outside the cluster's ``authorizedIPRanges``, gets its
  connection closed without an answer (the real API server is unreachable then:
  https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges).
  The caller's address is the one demo mode says it has (``myip.DEMO_ADDRESS``; ``KubeApiServer.caller_ip``);
- ``POST /azwizard-sim/nodes/<name>`` with ``{"ready": false}`` or ``{"ipFamilies": ["IPv4"]}`` marks a node
  NotReady or IPv4-only (the simulator's own control, not a Kubernetes endpoint; ``kube_objects.mark_node``).

The port is kept in the simulator's state and taken again in a later session when it is free, so a kubeconfig
merged then still works.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import ipaddress
import json
import socket
import ssl
import tempfile
import threading
import weakref
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import kube_certs, kube_objects

if TYPE_CHECKING:
    from .core import ArmSim

T_CLUSTER = "Microsoft.ContainerService/managedClusters"
_SERVERS: weakref.WeakKeyDictionary[ArmSim, KubeApiServer] = weakref.WeakKeyDictionary()


def token_of(cluster: dict[str, Any], user: str) -> str:
    return hashlib.sha256(f"simulated-token/{cluster['id']}/{user}".encode()).hexdigest()


def user_of(cluster: dict[str, Any], *, admin: bool) -> str:
    rg = str(cluster["id"]).split("/")[4]
    return f"{'clusterAdmin' if admin else 'clusterUser'}_{rg}_{cluster['name']}"


def enable(sim: ArmSim, *, caller_ip: str | None = None) -> KubeApiServer:
    """Serve ``sim``'s clusters' Kubernetes API (started when first needed); returns the server."""
    server = _SERVERS.get(sim)
    if server is None:
        server = _SERVERS[sim] = KubeApiServer(sim, caller_ip=caller_ip)
    elif caller_ip is not None:
        server.caller_ip = caller_ip
    return server


def server_for(sim: ArmSim) -> KubeApiServer | None:
    return _SERVERS.get(sim)


def kubeconfig(sim: ArmSim, cluster: dict[str, Any], *, admin: bool) -> str:
    """The kubeconfig YAML ``listClusterUserCredential`` / ``listClusterAdminCredential`` hand out: a context named
    after the cluster (``<name>-admin`` for the admin), the cluster CA, the user's client certificate and token."""
    # A private cluster without a public FQDN (enablePrivateClusterPublicFQDN false) has only privateFQDN.
    name = cluster["name"]
    fqdn = cluster["properties"].get("fqdn") or cluster["properties"].get("privateFQDN")
    user = user_of(cluster, admin=admin)
    context = f"{name}-admin" if admin else name
    ca_pem, _ = kube_certs.ca(sim)
    cert_pem, key_pem = kube_certs.client_cert(sim, str(cluster["id"]), user)
    server = server_for(sim)
    if server is not None:
        endpoint = f"    server: {server.start()}\n    tls-server-name: {fqdn}\n"
    else:
        endpoint = f"    server: https://{fqdn}:443\n"

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    return (
        "apiVersion: v1\n"
        "clusters:\n"
        "- cluster:\n"
        f"    certificate-authority-data: {b64(ca_pem)}\n"
        f"{endpoint}"
        f"  name: {name}\n"
        "contexts:\n"
        "- context:\n"
        f"    cluster: {name}\n"
        f"    user: {user}\n"
        f"  name: {context}\n"
        f"current-context: {context}\n"
        "kind: Config\n"
        "preferences: {}\n"
        "users:\n"
        f"- name: {user}\n"
        "  user:\n"
        f"    client-certificate-data: {b64(cert_pem)}\n"
        f"    client-key-data: {b64(key_pem)}\n"
        f"    token: {token_of(cluster, user)}\n"
    )


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "details": {}, "code": code}


class KubeApiServer:
    """The loopback HTTPS server; :meth:`start` is idempotent and returns its URL."""

    def __init__(self, sim: ArmSim, *, caller_ip: str | None = None) -> None:
        from ..myip import DEMO_ADDRESS

        self._sim = weakref.ref(sim)  # the registry is keyed weakly by the simulator: no cycle keeps it alive
        self.caller_ip = caller_ip or DEMO_ADDRESS
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status) answered

    @property
    def sim(self) -> ArmSim:
        sim = self._sim()
        if sim is None:
            raise RuntimeError("the simulator behind this Kubernetes API server is gone")
        return sim

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"https://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> str:
        with self._lock:
            if self._httpd is None:
                self._httpd = self._bind()
                self._thread = threading.Thread(target=self._httpd.serve_forever, name="sim-kube-api", daemon=True)
                self._thread.start()
            return self.url

    def stop(self) -> None:
        with self._lock:
            if self._httpd is not None:
                self._httpd.shutdown()
                self._httpd.server_close()
                self._httpd = None

    def _bind(self) -> ThreadingHTTPServer:
        kept = self.sim.extra.get("kube_api") or {}
        handler = _handler(self)
        httpd: ThreadingHTTPServer | None = None
        if isinstance(kept, dict) and isinstance(kept.get("port"), int):
            try:
                httpd = ThreadingHTTPServer(("127.0.0.1", kept["port"]), handler)
            except OSError:
                httpd = None  # taken (another session): a new one, and the kubeconfig changes with it
        if httpd is None:
            httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            with self.sim.lock:
                self.sim.extra["kube_api"] = {"port": httpd.server_address[1]}
        httpd.daemon_threads = True
        httpd.socket = self._context("127.0.0.1").wrap_socket(httpd.socket, server_side=True)
        return httpd

    def _context(self, name: str) -> ssl.SSLContext:
        """A server context presenting a certificate for ``name``; the default one also picks, by SNI, the
        context of the FQDN the client asked for."""
        ctx = self._contexts.get(name)
        if ctx is not None:
            return ctx
        cert, key = kube_certs.server_cert(self.sim, name, *(("127.0.0.1",) if name != "127.0.0.1" else ()))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as tmp:  # ssl loads a chain only from files; gone right after
            cert_file, key_file = Path(tmp) / "c.pem", Path(tmp) / "k.pem"
            cert_file.write_text(cert)
            key_file.write_text(key)
            key_file.chmod(0o600)
            ctx.load_cert_chain(cert_file, key_file)
        if name == "127.0.0.1":
            ctx.sni_callback = self._sni
        self._contexts[name] = ctx
        return ctx

    def _sni(self, sock: Any, server_name: str | None, _ctx: ssl.SSLContext) -> None:
        if server_name and server_name.endswith(".azmk8s.io"):
            sock.context = self._context(server_name)

    # ---------------------------------------------------------------- answering

    def cluster_for(self, token: str) -> dict[str, Any] | None:
        with self.sim.lock:
            for cluster in self.sim.of_type(T_CLUSTER):
                for admin in (False, True):
                    if token == token_of(cluster, user_of(cluster, admin=admin)):
                        return dict(cluster)
        return None

    def reachable(self, cluster: dict[str, Any]) -> bool:
        props = cluster.get("properties") or {}
        if (props.get("powerState") or {}).get("code") == "Stopped":
            return False
        access = props.get("apiServerAccessProfile") or {}
        if access.get("enablePrivateCluster"):  # answers only inside its virtual network, never here
            return False
        ranges = access.get("authorizedIPRanges") or []
        if not ranges:
            return True
        caller = ipaddress.ip_address(self.caller_ip)
        return any(caller in ipaddress.ip_network(r, strict=False) for r in ranges)

    def answer(self, method: str, path: str, token: str | None, body: bytes) -> tuple[int, dict[str, Any]] | None:
        """(status, JSON body), or ``None`` to close the connection unanswered."""
        with self.sim.lock:
            self.sim._sync_from_file()  # what other processes changed (a node marked NotReady, a stopped cluster)
        cluster = self.cluster_for(token) if token else None
        if cluster is None:
            return 401, _status(401, "Unauthorized", "Unauthorized")
        if not self.reachable(cluster):
            return None
        path = path.split("?")[0].rstrip("/")
        with self.sim.lock:
            if method == "GET":
                lists = {
                    "/api/v1/nodes": ("NodeList", "v1", kube_objects.nodes),
                    "/api/v1/namespaces/kube-system/pods": ("PodList", "v1", kube_objects.kube_system_pods),
                    "/apis/apps/v1/namespaces/kube-system/daemonsets":
                        ("DaemonSetList", "apps/v1", kube_objects.kube_system_daemonsets),
                }
                if path in lists:
                    kind, api, build = lists[path]
                    return 200, {"kind": kind, "apiVersion": api, "metadata": {"resourceVersion": "4242"},
                                 "items": build(self.sim, cluster)}
                if path == "/version":
                    v = str(cluster["properties"].get("currentKubernetesVersion") or "1.33.0")
                    major, minor = v.split(".")[:2]
                    return 200, {"major": major, "minor": minor, "gitVersion": f"v{v}", "platform": "linux/amd64"}
            if method == "POST" and path.startswith("/azwizard-sim/nodes/"):
                try:
                    order = json.loads(body or b"{}")
                    name = kube_objects.mark_node(self.sim, str(cluster["id"]), path.rsplit("/", 1)[1],
                                                  ready=order.get("ready"), ip_families=order.get("ipFamilies"))
                except (ValueError, KeyError, AttributeError) as exc:
                    return 400, _status(400, "BadRequest", str(exc))
                return 200, {"node": name}
        return 404, _status(404, "NotFound", "the server could not find the requested resource")


def _handler(server: KubeApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            auth = self.headers.get("Authorization") or ""
            token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            answer = server.answer(self.command, self.path, token, body)
            if answer is None:
                server.requests.append((self.command, self.path, 0))
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            status, payload = answer
            server.requests.append((self.command, self.path, status))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            return

    return Handler


def start(sim: ArmSim) -> str:
    """Enable and start ``sim``'s Kubernetes API server; returns its URL."""
    return enable(sim).start()
