"""CachedTokenCredential: one token per scope for all of a session's SDK clients (az runs once, not once per
client), refreshed near expiry, bypassed for claims challenges, never shown."""

from __future__ import annotations

import threading
import time
from typing import Any

from azure.core.credentials import AccessToken
from test_azure_session import BASE_URL, DEV, FakeArm, sub_body

from azwizard.azure.credentials import CachedTokenCredential
from azwizard.azure.session import ClientFactory

SCOPE = "https://management.azure.com/.default"


class Counting:
    """A credential that hands out a new token each call (like `az account get-access-token` after expiry)."""

    def __init__(self, lifetime_s: int = 3600) -> None:
        self.calls: list[tuple[tuple[str, ...], dict[str, Any]]] = []
        self.lifetime_s = lifetime_s
        self._lock = threading.Lock()

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        with self._lock:
            self.calls.append((scopes, kwargs))
            n = len(self.calls)
        time.sleep(0.01)
        return AccessToken(f"secret-token-{n}", int(time.time()) + self.lifetime_s)


def test_every_client_of_a_session_shares_one_token() -> None:
    inner = Counting()
    arm = FakeArm([sub_body(DEV, "Dev")])
    factory = ClientFactory(CachedTokenCredential(inner), DEV, base_url=BASE_URL, transport=arm)  # type: ignore[arg-type]
    list(factory.resources().resource_groups.list())
    list(factory.network().virtual_networks.list_all())
    list(factory.compute().virtual_machines.list_all())
    factory.subscriptions().subscriptions.get(DEV)
    assert len(inner.calls) == 1
    assert {h["Authorization"] for _, _, h in arm.requests} == {"Bearer secret-token-1"}


def test_concurrent_first_use_asks_once() -> None:
    inner = Counting()
    cached = CachedTokenCredential(inner)  # type: ignore[arg-type]
    threads = [threading.Thread(target=cached.get_token, args=(SCOPE,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(inner.calls) == 1


def test_a_token_close_to_expiry_is_fetched_again() -> None:
    inner = Counting(lifetime_s=200)  # less than the 300 s margin
    cached = CachedTokenCredential(inner)  # type: ignore[arg-type]
    assert cached.get_token(SCOPE).token == "secret-token-1"
    assert cached.get_token(SCOPE).token == "secret-token-2"


def test_other_scopes_tenants_and_claims_are_asked_for() -> None:
    inner = Counting()
    cached = CachedTokenCredential(inner)  # type: ignore[arg-type]
    cached.get_token(SCOPE)
    cached.get_token("https://management.core.usgovcloudapi.net/.default")
    cached.get_token(SCOPE, tenant_id="other-tenant")
    challenged = cached.get_token(SCOPE, claims='{"access_token":{"nbf":{"essential":true}}}')
    assert len(inner.calls) == 4
    assert inner.calls[2][1] == {"tenant_id": "other-tenant"}
    assert "claims" in inner.calls[3][1]
    assert cached.get_token(SCOPE) == challenged  # the challenge's answer replaced the cached token
    assert "secret" not in repr(cached)
