"""`azwizard sim serve`: the simulator on loopback, answering curl over HTTP and HTTPS."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from azwizard.sim import SIM_TOKEN, ArmSim
from azwizard.sim.server import SimServer

API = "api-version=2025-04-01"


def curl(*args: str) -> tuple[int, dict]:
    out = subprocess.run(
        ["curl", "-sS", "--noproxy", "*", "-w", "\n%{http_code}", "-H", f"Authorization: Bearer {SIM_TOKEN}", *args],
        capture_output=True, text=True, check=True, timeout=20,
    ).stdout
    body, _, code = out.rpartition("\n")
    return int(code), (json.loads(body) if body.strip() else {})


@pytest.fixture
def http_server():
    server = SimServer(ArmSim(), port=0).start()
    yield server
    server.stop()


def test_curl_put_and_get_resource_group(http_server: SimServer) -> None:
    sub = http_server.sim.subscription_id
    url = f"{http_server.url}/subscriptions/{sub}/resourcegroups/curl-rg?{API}"
    code, body = curl("-X", "PUT", "-H", "Content-Type: application/json", "-d", '{"location": "norwayeast"}', url)
    assert code == 201
    assert body["id"] == f"/subscriptions/{sub}/resourceGroups/curl-rg"
    assert body["properties"]["provisioningState"] == "Succeeded"
    code, body = curl(url)
    assert code == 200 and body["location"] == "norwayeast"
    code, body = curl(f"{http_server.url}/subscriptions/{sub}/resourcegroups/missing?{API}")
    assert code == 404 and body["error"]["code"] == "ResourceGroupNotFound"


def test_requests_without_a_token_are_refused(http_server: SimServer) -> None:
    out = subprocess.run(
        ["curl", "-sS", "--noproxy", "*", f"{http_server.url}/subscriptions?api-version=2022-12-01"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert json.loads(out)["error"]["code"] == "AuthenticationFailed"


def test_tls_with_self_signed_certificate(tmp_path: Path) -> None:
    server = SimServer(ArmSim(), port=0, tls=True, cert_dir=tmp_path).start()
    try:
        assert server.url.startswith("https://127.0.0.1:")
        assert server.cert_path is not None
        assert (tmp_path / "sim-key.pem").stat().st_mode & 0o777 == 0o600
        code, body = curl("--cacert", str(server.cert_path),
                          f"{server.url}/subscriptions?api-version=2022-12-01")
        assert code == 200 and body["value"][0]["subscriptionId"] == server.sim.subscription_id
    finally:
        server.stop()


def test_login_endpoints_issue_tokens_only_this_simulator_accepts(http_server: SimServer) -> None:
    tenant = http_server.sim.tenant_id
    out = subprocess.run(
        ["curl", "-sS", "--noproxy", "*", "-X", "POST", "-d",
         "client_id=abc&grant_type=client_credentials&client_secret=x&scope=https://management.core.windows.net//.default",
         f"{http_server.url}/{tenant}/oauth2/v2.0/token"],
        capture_output=True, text=True, check=True,
    ).stdout
    token = json.loads(out)["access_token"]
    sub_url = f"{http_server.url}/subscriptions?api-version=2022-12-01"
    ok = subprocess.run(["curl", "-sS", "--noproxy", "*", "-H", f"Authorization: Bearer {token}", sub_url],
                        capture_output=True, text=True, check=True).stdout
    assert json.loads(ok)["value"][0]["tenantId"] == tenant
    other = SimServer(ArmSim(), port=0).start()
    try:
        denied = subprocess.run(
            ["curl", "-sS", "--noproxy", "*", "-H", f"Authorization: Bearer {token}",
             f"{other.url}/subscriptions?api-version=2022-12-01"],
            capture_output=True, text=True, check=True).stdout
        assert json.loads(denied)["error"]["code"] == "InvalidAuthenticationToken"
    finally:
        other.stop()


def test_dropped_connection_gives_no_answer(http_server: SimServer) -> None:
    http_server.sim.faults.drop("GET", "/resourcegroups/")
    res = subprocess.run(
        ["curl", "-sS", "--noproxy", "*", "-H", f"Authorization: Bearer {SIM_TOKEN}",
         f"{http_server.url}/subscriptions/{http_server.sim.subscription_id}/resourcegroups/x?{API}"],
        capture_output=True, text=True,
    )
    assert res.returncode != 0  # curl: empty reply from server
