"""The simulated clusters' Kubernetes API (azwizard/sim/kube_api.py, kube_objects.py, kube_certs.py): what the
official Kubernetes client reads with the kubeconfig of listClusterUserCredential, over TLS on loopback."""

from __future__ import annotations

import base64
import json
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from test_sim_aks import notes_cluster, wire_body

from azwizard.sim import ArmSim, kube_api, kube_objects

NOTES_CALLER = "203.0.113.7"


@pytest.fixture
def kube(sim: ArmSim) -> Iterator[kube_api.KubeApiServer]:
    server = kube_api.enable(sim, caller_ip=NOTES_CALLER)  # notes_cluster() authorizes only this address
    yield server
    server.stop()


def kubeconfig(sdk: Any, rg: str, name: str) -> dict[str, Any]:
    value = sdk.containerservice.managed_clusters.list_cluster_user_credentials(rg, name).kubeconfigs[0].value
    return dict(yaml.safe_load(value if isinstance(value, str) else value.decode()))


def make(sdk: Any, rg: str, name: str = "aks1", body: Any = None) -> Any:
    return sdk.containerservice.managed_clusters.begin_create_or_update(rg, name, body or notes_cluster()).result()


def kube_client(doc: dict[str, Any]) -> Any:
    from kubernetes import client, config

    cfg = client.Configuration()
    config.load_kube_config_from_dict(doc, client_configuration=cfg)
    cfg.retries = 0
    return client.ApiClient(cfg)


def test_the_kubeconfig_points_at_the_loopback_api_server_with_its_own_ca(
        sdk: Any, rg: str, sim: ArmSim, kube: kube_api.KubeApiServer) -> None:
    from cryptography import x509

    mc = make(sdk, rg)
    doc = kubeconfig(sdk, rg, "aks1")
    cluster = doc["clusters"][0]["cluster"]
    assert cluster["server"].startswith("https://127.0.0.1:") and cluster["tls-server-name"] == mc.fqdn
    ca = x509.load_pem_x509_certificate(base64.b64decode(cluster["certificate-authority-data"]))
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    user = doc["users"][0]["user"]
    client_cert = x509.load_pem_x509_certificate(base64.b64decode(user["client-certificate-data"]))
    assert client_cert.issuer == ca.subject and user["token"]
    # the same credentials again, and after a new session on the same state: nothing changes but nothing new
    assert kubeconfig(sdk, rg, "aks1") == doc
    # the server's certificate, asked for the cluster's FQDN (SNI), is signed by that CA and names the FQDN
    port = int(cluster["server"].rsplit(":", 1)[1])
    ctx = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
            ctx.wrap_socket(raw, server_hostname=mc.fqdn) as tls:
        assert ("DNS", mc.fqdn) in tls.getpeercert()["subjectAltName"]


def test_nodes_pods_and_daemonsets_read_like_a_dual_stack_cilium_cluster(
        sdk: Any, rg: str, kube: kube_api.KubeApiServer) -> None:
    from kubernetes import client

    make(sdk, rg)
    api = kube_client(kubeconfig(sdk, rg, "aks1"))
    nodes = client.CoreV1Api(api).list_node().items
    assert len(nodes) == 3
    for n in nodes:
        assert n.metadata.name.startswith("aks-system-") and "-vmss00000" in n.metadata.name
        assert [c.status for c in n.status.conditions if c.type == "Ready"] == ["True"]
        internal = [a.address for a in n.status.addresses if a.type == "InternalIP"]
        assert len(internal) == 2 and ":" not in internal[0] and ":" in internal[1], internal
    assert len({a.address for n in nodes for a in n.status.addresses if a.type == "InternalIP"}) == 6
    pods = client.CoreV1Api(api).list_namespaced_pod("kube-system").items
    labels = [p.metadata.labels for p in pods]
    assert sum(1 for lab in labels if lab.get("k8s-app") == "kube-dns") == 2
    assert sum(1 for lab in labels if lab.get("app") == "konnectivity-agent") == 2
    assert all(p.status.phase == "Running" for p in pods)
    sets = {d.metadata.name: d for d in client.AppsV1Api(api).list_namespaced_daemon_set("kube-system").items}
    assert "cilium" in sets and "kube-proxy" not in sets  # Cilium replaces kube-proxy
    assert sets["cilium"].status.number_ready == sets["cilium"].status.desired_number_scheduled == 3


def test_a_kubenet_ipv4_cluster_has_kube_proxy_no_cilium_and_one_address_per_node(
        sdk: Any, rg: str, kube: kube_api.KubeApiServer) -> None:
    from kubernetes import client

    body = wire_body(networkProfile={"networkPlugin": "kubenet"})
    sdk.containerservice.managed_clusters.begin_create_or_update(rg, "plain", body).result()
    api = kube_client(kubeconfig(sdk, rg, "plain"))
    (node,) = client.CoreV1Api(api).list_node().items
    assert [a.type for a in node.status.addresses] == ["InternalIP", "Hostname"]
    sets = {d.metadata.name for d in client.AppsV1Api(api).list_namespaced_daemon_set("kube-system").items}
    assert "kube-proxy" in sets and "cilium" not in sets


def test_marked_nodes_answer_not_ready_and_ipv4_only(sdk: Any, rg: str, sim: ArmSim,
                                                     kube: kube_api.KubeApiServer) -> None:
    from kubernetes import client

    mc = make(sdk, rg)
    api = kube_client(kubeconfig(sdk, rg, "aks1"))
    down = kube_objects.mark_node(sim, mc.id, 0, ready=False)
    v4 = kube_objects.mark_node(sim, mc.id, 2, ip_families=["IPv4"])
    nodes = {n.metadata.name: n for n in client.CoreV1Api(api).list_node().items}
    assert [c.status for c in nodes[down].status.conditions if c.type == "Ready"] == ["Unknown"]
    assert [a.type for a in nodes[v4].status.addresses] == ["InternalIP", "Hostname"]
    pods_on_down = [p for p in client.CoreV1Api(api).list_namespaced_pod("kube-system").items
                    if p.spec.node_name == down]
    assert pods_on_down and not any(cs.ready for p in pods_on_down for cs in p.status.container_statuses)
    cilium = next(d for d in client.AppsV1Api(api).list_namespaced_daemon_set("kube-system").items
                  if d.metadata.name == "cilium")
    assert (cilium.status.number_ready, cilium.status.desired_number_scheduled) == (2, 3)
    # the marks are kept in the state (a later session sees them), and the control endpoint clears one
    assert sim.extra["kube_nodes"][mc.id.lower()][down] == {"ready": False}
    doc = kubeconfig(sdk, rg, "aks1")
    server, token = doc["clusters"][0]["cluster"]["server"], doc["users"][0]["user"]["token"]
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    req = urllib.request.Request(f"{server}/azwizard-sim/nodes/{down}", data=b'{"ready": true}', method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=ctx) as resp:  # noqa: S310 - loopback
        assert json.loads(resp.read()) == {"node": down}
    assert down not in sim.extra["kube_nodes"][mc.id.lower()]


def test_a_wrong_token_is_401_and_an_unauthorized_caller_or_stopped_cluster_gets_no_answer(
        sdk: Any, rg: str, sim: ArmSim, kube: kube_api.KubeApiServer) -> None:
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    make(sdk, rg)  # authorized range 203.0.113.7 only
    doc = kubeconfig(sdk, rg, "aks1")
    kube.caller_ip = "20.100.1.2"  # the demo's own address, outside it
    with pytest.raises(Exception) as refused:
        client.CoreV1Api(kube_client(doc)).list_node(_request_timeout=5)
    assert not isinstance(refused.value, ApiException)  # no HTTP answer at all: the connection is dropped
    kube.caller_ip = NOTES_CALLER
    assert len(client.CoreV1Api(kube_client(doc)).list_node().items) == 3
    doc["users"][0]["user"]["token"] = "0" * 64
    with pytest.raises(ApiException) as unauthorized:
        client.CoreV1Api(kube_client(doc)).list_node()
    assert unauthorized.value.status == 401
    doc = kubeconfig(sdk, rg, "aks1")
    sdk.containerservice.managed_clusters.begin_stop(rg, "aks1").result()
    with pytest.raises(Exception) as stopped:
        client.CoreV1Api(kube_client(doc)).list_node(_request_timeout=5)
    assert not isinstance(stopped.value, ApiException)


def test_without_the_api_server_the_kubeconfig_names_the_fqdn_as_azure_does(sdk: Any, rg: str) -> None:
    mc = make(sdk, rg)
    cluster = kubeconfig(sdk, rg, "aks1")["clusters"][0]["cluster"]
    assert cluster["server"] == f"https://{mc.fqdn}:443" and "tls-server-name" not in cluster


def test_an_unknown_path_is_a_404_status(sdk: Any, rg: str, kube: kube_api.KubeApiServer) -> None:
    make(sdk, rg)
    doc = kubeconfig(sdk, rg, "aks1")
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    req = urllib.request.Request(doc["clusters"][0]["cluster"]["server"] + "/api/v1/secrets",
                                 headers={"Authorization": f"Bearer {doc['users'][0]['user']['token']}"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, context=ctx)  # noqa: S310 - loopback
    assert e.value.code == 404 and json.loads(e.value.read())["reason"] == "NotFound"


def test_verify_says_when_the_callers_ip_is_outside_the_authorized_ranges(
        sdk: Any, rg: str, kube: kube_api.KubeApiServer) -> None:
    """The engine against a cluster whose API server drops the caller: the reason names the caller's IP and the
    ranges, and what to do (azwizard/aks_verify.py, check ``api-server``)."""
    from types import SimpleNamespace

    from azwizard.aks_verify import verify_cluster

    make(sdk, rg)  # authorizes 203.0.113.7 only
    kube.caller_ip = "20.100.1.2"
    factory = SimpleNamespace(containerservice=lambda: sdk.containerservice)
    result = verify_cluster(factory, rg, "aks1", caller_ip="20.100.1.2")
    assert not result.healthy and [c.key for c in result.checks] == ["cluster", "api-server"]
    assert result.reason is not None and "not reachable" in result.reason
    assert "Your public IP 20.100.1.2 is in none of its authorized ranges (203.0.113.7/32)" in result.reason, \
        result.reason
    kube.caller_ip = NOTES_CALLER
    result = verify_cluster(factory, rg, "aks1", caller_ip=NOTES_CALLER)
    assert result.healthy, result.reason
    assert "your IP 203.0.113.7 is in the authorized range 203.0.113.7/32" in result.checks[1].summary
