"""The simulator's sign-in side: tokens it issued, their fingerprints, and expiring them (ARM's 401
ExpiredAuthenticationToken), served over HTTP and through the real SDK."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from azwizard.sim import ArmSim
from azwizard.sim.providers import identity
from azwizard.sim.server import SimServer

SCOPE = "https://management.core.windows.net//.default"


def curl(*args: str) -> tuple[int, dict[str, str], dict[str, Any]]:
    out = subprocess.run(["curl", "-sS", "--noproxy", "*", "-D", "-", *args],
                         capture_output=True, text=True, check=True, timeout=20).stdout
    out = out.replace("\r\n", "\n")
    head, _, body = out.partition("\n\n")
    lines = head.split("\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return status, headers, (json.loads(body) if body.strip() else {})


def sign_in(server: SimServer, client: str = "abc") -> str:
    _, _, body = curl("-X", "POST", "-d", f"client_id={client}&grant_type=client_credentials&client_secret=x"
                      f"&scope={SCOPE}", f"{server.url}/{server.sim.tenant_id}/oauth2/v2.0/token")
    return str(body["access_token"])


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    srv = SimServer(ArmSim(), port=0, request_log=tmp_path / "requests.jsonl").start()
    yield srv
    srv.stop()


def test_expired_tokens_get_arms_401_with_its_challenge(server: SimServer) -> None:
    token = sign_in(server)
    subs = f"{server.url}/subscriptions?api-version=2022-12-01"
    status, _, _ = curl("-H", f"Authorization: Bearer {token}", subs)
    assert status == 200
    status, _, body = curl("-X", "POST", f"{server.url}/azwizard-sim/expire-tokens")
    assert status == 200 and body == {"expired": 1}

    status, headers, body = curl("-H", f"Authorization: Bearer {token}", subs)
    assert status == 401
    assert body["error"]["code"] == "ExpiredAuthenticationToken"
    assert re.fullmatch(r"The access token expiry UTC time '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d:\d\d [AP]M' is "
                        r"earlier than current UTC time '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d:\d\d [AP]M'\.",
                        body["error"]["message"]), body["error"]["message"]
    challenge = headers["www-authenticate"]
    assert challenge.startswith("Bearer authorization_uri=")
    assert 'error="invalid_token"' in challenge and server.sim.tenant_id in challenge

    fresh = sign_in(server)  # signing in again works at once
    status, _, _ = curl("-H", f"Authorization: Bearer {fresh}", subs)
    assert status == 200


def test_a_forged_token_is_invalid_not_expired(server: SimServer) -> None:
    token = sign_in(server)
    head, claims, sig = token.split(".")
    forged = f"{head}.{claims}x.{sig}"
    status, _, body = curl("-H", f"Authorization: Bearer {forged}", f"{server.url}/subscriptions?api-version=2022-12-01")
    assert status == 401 and body["error"]["code"] == "InvalidAuthenticationToken"


def test_the_request_log_names_the_token_by_fingerprint_only(server: SimServer, tmp_path: Path) -> None:
    token = sign_in(server, client="fingerprinted")
    curl("-H", f"Authorization: Bearer {token}", "-A", "azsdk-python-test/1.0 Python/3",
         f"{server.url}/subscriptions?api-version=2022-12-01")
    text = (tmp_path / "requests.jsonl").read_text()
    assert token not in text and token.split(".")[2] not in text  # never the token itself
    lines = [json.loads(line) for line in text.splitlines()]
    arm = next(line for line in lines if line["path"] == "/subscriptions")
    assert arm["token"] == identity.fingerprint(token)
    assert arm["agent"] == "azsdk-python-test/1.0"
    issued = server.sim.extra[identity.ISSUED]
    assert [(e["sha256"], e["client_id"], e["scope"]) for e in issued] == [(arm["token"], "fingerprinted", SCOPE)]


def test_the_sdk_reports_an_expired_token_as_an_expired_sign_in() -> None:
    from azure.core.credentials import AccessToken

    from azwizard.azure.errors import AzwizardError
    from azwizard.azure.session import AzureSession, ClientFactory, SubscriptionChoice
    from azwizard.azure.signin import verify_subscription
    from azwizard.sim import SIM_BASE_URL
    from azwizard.sim.transport import SimTransport

    sim = ArmSim()
    token = identity.issue_token(sim, sim.tenant_id, "client", SCOPE)

    class IssuedToken:  # what az hands over: a token the simulator issued, cached and still "valid" locally
        def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
            return AccessToken(token, int(time.time()) + 3600)

    factory = ClientFactory(IssuedToken(), sim.subscription_id, base_url=SIM_BASE_URL,  # type: ignore[arg-type]
                            transport=SimTransport(sim), retry_total=0)
    choice = SubscriptionChoice(sim.subscription_id, "Sim", sim.tenant_id, "cli-profile")
    session = AzureSession(factory, choice, sim.tenant_id, "Sim")
    verify_subscription(session)  # accepted while valid
    identity.expire_tokens(sim)
    with pytest.raises(AzwizardError) as caught:
        verify_subscription(session)
    assert caught.value.code == "ExpiredAuthenticationToken"
    assert caught.value.what == "Your Azure sign-in has expired"
    assert "az login" in caught.value.fix
