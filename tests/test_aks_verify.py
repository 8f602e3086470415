"""``azwizard aks verify`` (azwizard/aks_verify.py, headless/aks_verify.py) against the demo subscription: a healthy
simulated cluster passes (exit 0), one with a node NotReady or IPv4-only fails with that node as the reason
(exit 1), a missing cluster is a usage error (exit 2), a stopped one fails before the Kubernetes API."""

from __future__ import annotations

import json
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, main_in_process

from azwizard.exitcodes import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from azwizard.sim import ArmSim, kube_objects

data_dir = cli_helpers.data_dir
RG, NAME = "aks-dev-RG", "aks-dev"  # docs/examples/aks-dev.toml: dual-stack, Cilium, authorized 20.100.1.2/32


def demo_sim(data_dir: Path) -> ArmSim:
    """The demo subscription as another process sees it (marks made here reach the next command)."""
    return ArmSim(persist_path=data_dir / "demo" / "simulator-state.json")


def cluster_id(data_dir: Path) -> str:
    (mc,) = demo_sim(data_dir).of_type("Microsoft.ContainerService/managedClusters")
    return str(mc["id"])


@pytest.fixture
def cluster(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    res = main_in_process(["--demo", "aks", "apply", str(EXAMPLES / "aks-dev.toml"), "--yes"], capsys)
    assert res.code == EXIT_OK, res.out + res.err
    assert f"Check it: azwizard aks verify --resource-group {RG} --name {NAME} --demo" in res.out  # said after create
    return cluster_id(data_dir)


def verify(capsys: pytest.CaptureFixture[str], *extra: str) -> cli_helpers.Result:
    return main_in_process(["--demo", "aks", "verify", "--resource-group", RG, "--name", NAME, *extra], capsys)


def test_a_healthy_cluster_passes_every_check(cluster: str, capsys: pytest.CaptureFixture[str]) -> None:
    res = verify(capsys)
    assert res.code == EXIT_OK, res.out + res.err
    for line in ("✓ 3 node(s) Ready", "✓ every node has an IPv4 and an IPv6 InternalIP",
                 "✓ CoreDNS: 2 of 2 pods running and ready", "✓ konnectivity-agent: 2 of 2 pods running and ready",
                 "✓ cilium DaemonSet: 3 of 3 pods ready",
                 "API server answers; your IP 20.100.1.2 is in the authorized range 20.100.1.2/32", "✓ Healthy."):
        assert line in res.out, res.out
    res = verify(capsys, "--format", "json")
    doc = json.loads(res.out)
    assert res.code == EXIT_OK and doc["healthy"] is True and doc["reason"] is None
    assert [c["check"] for c in doc["checks"]] == ["cluster", "api-server", "nodes-ready", "node-addresses",
                                                  "coredns", "konnectivity", "cilium"]
    assert all(c["ok"] for c in doc["checks"]) and doc["cluster"] == cluster


def test_a_not_ready_node_fails_with_its_name(cluster: str, data_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    node = kube_objects.mark_node(demo_sim(data_dir), cluster, 1, ready=False)
    res = verify(capsys)
    assert res.code == EXIT_FINDINGS == 1, res.out + res.err
    assert f"✖ Not healthy: 1 of 3 nodes NotReady: {node} (NodeStatusUnknown" in res.out, res.out
    assert f"on {node}" in res.out  # the system pods it held are not ready either
    doc = json.loads(verify(capsys, "--format", "json").out)
    assert doc["healthy"] is False and node in doc["reason"]
    assert {c["check"]: c["ok"] for c in doc["checks"]}["cilium"] is False


def test_an_ipv4_only_node_fails_on_a_dual_stack_cluster(cluster: str, data_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    node = kube_objects.mark_node(demo_sim(data_dir), cluster, 2, ip_families=["IPv4"])
    res = verify(capsys)
    assert res.code == EXIT_FINDINGS, res.out + res.err
    assert f"✖ Not healthy: {node} has no IPv6 InternalIP (has 10." in res.out, res.out
    assert "✓ 3 node(s) Ready" in res.out  # only the address check fails


def test_a_missing_cluster_is_a_usage_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "aks", "verify", "-g", "nowhere-RG", "-n", "nothing"], capsys)
    assert res.code == EXIT_USAGE
    assert "No AKS cluster 'nothing' in resource group 'nowhere-RG'" in res.err and "az aks list" in res.err


def test_a_stopped_cluster_fails_before_reaching_kubernetes(cluster: str, data_dir: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from existing_helpers import connection

    sim = demo_sim(data_dir)
    connection(sim).session.factory.containerservice().managed_clusters.begin_stop(
        RG, NAME, polling_interval=0).result()
    res = verify(capsys)
    assert res.code == EXIT_FINDINGS
    assert "✖ Not healthy: the cluster is stopped: start it first (az aks start --resource-group=aks-dev-RG " \
           "--name=aks-dev)" in res.out, res.out
