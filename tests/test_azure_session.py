"""The Azure session layer: subscription precedence, the client factory, sign-in failures.

Everything runs offline. ARM is a tiny in-process transport defined here (``FakeArm``); the Azure
CLI is a fake ``az`` script written into ``tmp_path`` with ``PATH`` pointing only there; the CLI
profile lives in ``tmp_path`` through ``AZURE_CONFIG_DIR``. No SDK method is monkeypatched.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from azure.core.exceptions import ServiceRequestError
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest

from azwizard.azure.credentials import SIM_TOKEN, StaticTokenCredential, default_credential
from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import (
    AzureSession,
    ClientFactory,
    SubscriptionChoice,
    SubscriptionPickRequired,
    check_sign_in,
    list_subscriptions,
    open_session,
    resolve_subscription,
)
from azwizard.sim.transport import SimHttpResponse

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = "https://arm.fake.test"
DEV = "5a1b2c3d-0000-4000-8000-000000000001"
PROD = "9f8e7d6c-0000-4000-8000-000000000002"
OLD = "0badc0de-0000-4000-8000-000000000003"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ARM_SCOPE = "https://management.azure.com/.default"


# --------------------------------------------------------------------------------------------
# A minimal in-process ARM (azure-core transport + response), enough for these tests.


def FakeResponse(request: HttpRequest, status: int, body: Any = None,  # noqa: N802 (reads like a class)
                 headers: dict[str, str] | None = None) -> SimHttpResponse:
    """A complete JSON response, built with the simulator's transport response (the same azure-core ABC)."""
    content = b"" if body is None else json.dumps(body).encode()
    return SimHttpResponse(request, status, {"Content-Type": "application/json", **(headers or {})}, content)


def sub_body(sub_id: str, name: str, state: str = "Enabled", tenant: str = TENANT) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{sub_id}",
        "subscriptionId": sub_id,
        "tenantId": tenant,
        "displayName": name,
        "state": state,
    }


class FakeArm(HttpTransport):  # type: ignore[type-arg]
    """Answers GET /subscriptions[/{id}] from ``subscriptions``; every other GET lists nothing.

    ``faults`` maps (method, path regex) to a (status, body) answer or an exception to raise.
    Every request is recorded as (method, url, headers).
    """

    def __init__(self, subscriptions: list[dict[str, Any]] | None = None) -> None:
        self.subscriptions = list(subscriptions or [])
        self.faults: list[tuple[str, str, Any]] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def send(self, request: HttpRequest, **kwargs: Any) -> SimHttpResponse:  # type: ignore[override]
        with self._lock:
            self.requests.append((request.method, request.url, dict(request.headers)))
        path = urlsplit(request.url).path.rstrip("/")
        for method, pattern, answer in self.faults:
            if request.method == method and re.fullmatch(pattern, path, re.IGNORECASE):
                if isinstance(answer, BaseException):
                    raise answer
                status, body = answer
                return FakeResponse(request, status, body)
        if request.method == "GET" and path.lower() == "/subscriptions":
            return FakeResponse(request, 200, {"value": self.subscriptions})
        found = re.fullmatch(r"/subscriptions/([^/]+)", path, re.IGNORECASE)
        if request.method == "GET" and found:
            for sub in self.subscriptions:
                if sub["subscriptionId"].lower() == found.group(1).lower():
                    return FakeResponse(request, 200, sub)
            return FakeResponse(
                request,
                404,
                {
                    "error": {
                        "code": "SubscriptionNotFound",
                        "message": f"The subscription '{found.group(1)}' could not be found.",
                    }
                },
            )
        if request.method == "HEAD":
            return FakeResponse(request, 204)
        return FakeResponse(request, 200, {"value": []})

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __exit__(self, *args: Any) -> None:
        pass

    def sleep(self, duration: float) -> None:
        self.slept.append(duration)


# --------------------------------------------------------------------------------------------
# Fixtures: an offline environment, a CLI profile and fake `az` scripts.


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No real az, no real ~/.azure, no service-principal variables, no managed-identity probe.

    Returns the folder that is the whole PATH; tests put a fake `az` there when they want one.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith(("AZURE_", "IDENTITY_", "MSI_", "IMDS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(tmp_path / "azure-config"))
    # Developer tools only (shared cache, VS Code, az, pwsh, azd, broker): no IMDS network probe.
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "dev")
    return bin_dir


def write_fake_az(
    bin_dir: Path, *, stdout: str = "", stderr: str = "", exit_code: int = 0, sleep: float = 0
) -> Path:
    """A stand-in `az`: a Python script run by this interpreter (PATH holds no other tools)."""
    script = bin_dir / "az"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, time\n"
        f"time.sleep({sleep!r})\n"
        f"sys.stdout.write({stdout!r})\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({exit_code})\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


# What `az account get-access-token` prints on stderr when there is no account (azure-cli's
# _AZ_LOGIN_MESSAGE) and when the refresh token has expired (Entra's AADSTS700082 through
# azure-cli's aad_error_handler: the description, then the re-login recommendation).
AZ_NOT_LOGGED_IN = "ERROR: Please run 'az login' to setup account.\n"
AZ_EXPIRED = (
    "ERROR: AADSTS700082: The refresh token has expired due to inactivity. The token was issued on "
    "2024-01-02T03:04:05.6789012Z and was inactive for 90.00:00:00. Trace ID: "
    "3a0f4e1c-1111-4a2b-9c3d-5e6f7a8b9c00 Correlation ID: 7b1e2d3c-2222-4b5c-8d9e-0f1a2b3c4d5e "
    "Timestamp: 2024-04-01 10:11:12Z\n"
    "To re-authenticate, please run:\n"
    "az login --scope https://management.core.windows.net//.default\n"
)
AZ_TOKEN = json.dumps(
    {
        "accessToken": "x-fake-cli-token",
        "expiresOn": "2099-01-01 00:00:00.000000",
        "expires_on": 4070908800,
        "subscription": DEV,
        "tenant": TENANT,
        "tokenType": "Bearer",
    }
)


def write_profile(env: dict[str, str] | None, default: str | None = PROD) -> None:
    folder = Path((env or os.environ)["AZURE_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    entries = [
        {
            "id": DEV,
            "name": "Contoso Dev",
            "state": "Enabled",
            "isDefault": default == DEV,
            "tenantId": TENANT,
            "user": {"name": "dev@contoso.com", "type": "user"},
            "tenantDefaultDomain": "contoso.onmicrosoft.com",
        },
        {
            "id": PROD,
            "name": "Contoso Prod",
            "state": "Enabled",
            "isDefault": default == PROD,
            "tenantId": TENANT,
            "user": {"name": "dev@contoso.com", "type": "user"},
        },
    ]
    (folder / "azureProfile.json").write_text(
        json.dumps({"installationId": "x", "subscriptions": entries}), encoding="utf-8-sig"
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"AZURE_CONFIG_DIR": str(tmp_path / "cfg"), "HOME": str(tmp_path / "home")}


# --------------------------------------------------------------------------------------------
# Subscription precedence: flag > AZURE_SUBSCRIPTION_ID > CLI default > picker.


def test_flag_wins_over_env_and_profile(env: dict[str, str]) -> None:
    write_profile(env, default=PROD)
    env["AZURE_SUBSCRIPTION_ID"] = OLD
    choice = resolve_subscription(DEV, env)
    assert choice is not None
    assert (choice.id, choice.source, choice.name, choice.tenant_id) == (DEV, "flag", "Contoso Dev", TENANT)
    assert choice.tenant_label == "contoso.onmicrosoft.com"


def test_env_wins_over_profile(env: dict[str, str]) -> None:
    write_profile(env, default=PROD)
    env["AZURE_SUBSCRIPTION_ID"] = f"  {OLD.upper()} "
    choice = resolve_subscription(None, env)
    assert choice == SubscriptionChoice(id=OLD, name=None, tenant_id=None, source="env")


def test_profile_default_is_used_when_nothing_else_is_set(env: dict[str, str]) -> None:
    write_profile(env, default=PROD)
    choice = resolve_subscription(None, env)
    assert choice is not None
    assert (choice.id, choice.source, choice.name, choice.user) == (
        PROD,
        "cli-profile",
        "Contoso Prod",
        "dev@contoso.com",
    )


def test_nothing_set_means_the_picker(env: dict[str, str]) -> None:
    assert resolve_subscription(None, env) is None
    write_profile(env, default=None)
    assert resolve_subscription("", env) is None


def test_flag_may_name_a_subscription_the_cli_knows(env: dict[str, str]) -> None:
    write_profile(env)
    choice = resolve_subscription("contoso dev", env)
    assert choice is not None and choice.id == DEV and choice.source == "flag"


def test_bad_flag_names_the_flag(env: dict[str, str]) -> None:
    with pytest.raises(AzwizardError) as caught:
        resolve_subscription("not-a-guid", env)
    assert "--subscription 'not-a-guid'" in caught.value.what
    assert "az account list" in caught.value.fix


def test_bad_env_names_the_variable(env: dict[str, str]) -> None:
    env["AZURE_SUBSCRIPTION_ID"] = "my-sub"
    with pytest.raises(AzwizardError) as caught:
        resolve_subscription(None, env)
    assert "AZURE_SUBSCRIPTION_ID" in caught.value.what and "my-sub" in caught.value.what


def test_explicit_id_does_not_need_a_readable_profile(env: dict[str, str]) -> None:
    Path(env["AZURE_CONFIG_DIR"]).mkdir(parents=True)
    (Path(env["AZURE_CONFIG_DIR"]) / "azureProfile.json").write_text("{broken", encoding="utf-8")
    env["AZURE_SUBSCRIPTION_ID"] = DEV
    assert resolve_subscription(None, env) == SubscriptionChoice(DEV, None, None, "env")
    del env["AZURE_SUBSCRIPTION_ID"]
    with pytest.raises(AzwizardError, match="not valid JSON"):
        resolve_subscription(None, env)


def test_env_none_reads_the_process_environment(offline: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", DEV)
    choice = resolve_subscription(None)
    assert choice is not None and choice.source == "env"


# --------------------------------------------------------------------------------------------
# The client factory.


def one_request_per_client(factory: ClientFactory) -> None:
    """A cheap GET through each of the ten clients."""
    list(factory.compute().virtual_machines.list("rg"))
    list(factory.network().virtual_networks.list("rg"))
    list(factory.containerservice().managed_clusters.list())
    list(factory.resources().resource_groups.list())
    list(factory.subscriptions().subscriptions.list())
    list(factory.locks().management_locks.list_at_subscription_level())
    list(factory.recoveryservices().vaults.list_by_subscription_id())
    list(factory.backup().backup_jobs.list("vault", "rg"))
    list(factory.containerregistry().registries.list())
    list(factory.authorization().role_assignments.list_for_subscription())


def test_every_client_shares_credential_base_url_and_transport() -> None:
    arm = FakeArm([sub_body(DEV, "Contoso Dev")])
    credential = StaticTokenCredential()
    factory = ClientFactory(
        credential, DEV, base_url=BASE_URL, transport=arm, polling_interval=0, retry_total=0
    )

    one_request_per_client(factory)

    assert len(arm.requests) == 10
    hosts = {urlsplit(url).netloc for _, url, _ in arm.requests}
    assert hosts == {"arm.fake.test"}
    assert all(headers["Authorization"] == f"Bearer {SIM_TOKEN}" for _, _, headers in arm.requests)
    scoped = [url for _, url, _ in arm.requests if "/subscriptions/" in url]
    assert len(scoped) == 9 and all(f"/subscriptions/{DEV}/" in url for url in scoped)
    assert set(credential.requested_scopes) == {(ARM_SCOPE,)}
    assert sorted(factory.built()) == sorted(
        [
            "compute",
            "network",
            "containerservice",
            "resources",
            "subscriptions",
            "locks",
            "recoveryservices",
            "backup",
            "containerregistry",
            "authorization",
        ]
    )


def test_client_kwargs_reach_every_client() -> None:
    factory = ClientFactory(
        StaticTokenCredential(), DEV, base_url=BASE_URL, transport=FakeArm(), polling_interval=0
    )
    assert factory.compute()._config.polling_interval == 0
    assert factory.containerservice()._config.polling_interval == 0
    assert factory.network()._config.polling_interval == 0


def test_clients_are_built_once_even_across_threads() -> None:
    factory = ClientFactory(StaticTokenCredential(), DEV, base_url=BASE_URL, transport=FakeArm())
    seen: list[object] = []
    lock = threading.Lock()

    def grab() -> None:
        client = factory.network()
        with lock:
            seen.append(client)

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in seen}) == 1
    assert factory.network() is seen[0]
    assert factory.compute() is factory.compute()


def test_production_defaults_are_left_to_the_sdk() -> None:
    factory = ClientFactory(StaticTokenCredential(), DEV)
    client = factory.resources()
    assert client._config.base_url.startswith("https://management.azure.com")
    assert (
        "transport" not in factory._constructor_kwargs() and "base_url" not in factory._constructor_kwargs()
    )


def test_scoped_client_without_subscription_is_a_clear_error() -> None:
    factory = ClientFactory(StaticTokenCredential(), "")
    with pytest.raises(AzwizardError, match="No Azure subscription has been chosen"):
        factory.compute()
    assert factory.subscriptions() is not None


# --------------------------------------------------------------------------------------------
# Listing subscriptions, opening sessions, the picker.


def test_list_subscriptions_puts_enabled_ones_first() -> None:
    arm = FakeArm([sub_body(OLD, "Old", "Disabled"), sub_body(PROD, "Prod"), sub_body(DEV, "Dev")])
    choices = list_subscriptions(StaticTokenCredential(), base_url=BASE_URL, transport=arm)
    assert [(c.id, c.state, c.source) for c in choices] == [
        (DEV, "Enabled", "picker"),
        (PROD, "Enabled", "picker"),
        (OLD, "Disabled", "picker"),
    ]
    assert choices[0].tenant_id == TENANT


def test_no_subscriptions_is_a_clear_error() -> None:
    arm = FakeArm([])
    with pytest.raises(AzwizardError) as caught:
        list_subscriptions(StaticTokenCredential(), base_url=BASE_URL, transport=arm)
    assert caught.value.what == "No Azure subscriptions are visible to this sign-in"
    assert "az login" in caught.value.fix
    assert [m for m, _, _ in arm.requests] == ["GET"]


def test_open_session_with_flag_reads_name_and_tenant_from_azure(env: dict[str, str]) -> None:
    arm = FakeArm([sub_body(DEV, "Contoso Dev")])
    session = open_session(DEV, credential=StaticTokenCredential(), env=env, base_url=BASE_URL, transport=arm)
    assert isinstance(session, AzureSession)
    assert (session.subscription_id, session.subscription_name, session.tenant_id) == (
        DEV,
        "Contoso Dev",
        TENANT,
    )
    assert session.subscription.source == "flag"
    assert session.header_label() == f"Contoso Dev (5a1b2c3d…) · tenant {TENANT}"
    assert session.factory.transport is arm and session.factory.base_url == BASE_URL


def test_open_session_from_profile_needs_no_request(env: dict[str, str]) -> None:
    write_profile(env, default=DEV)
    arm = FakeArm([])
    session = open_session(
        None, credential=StaticTokenCredential(), env=env, base_url=BASE_URL, transport=arm
    )
    assert arm.requests == []
    assert session.subscription.source == "cli-profile"
    assert session.header_label() == "Contoso Dev (5a1b2c3d…) · tenant contoso.onmicrosoft.com"
    assert session.user == "dev@contoso.com"


def test_unknown_subscription_is_explained(env: dict[str, str]) -> None:
    arm = FakeArm([sub_body(DEV, "Contoso Dev")])
    with pytest.raises(AzwizardError) as caught:
        open_session(
            OLD, credential=StaticTokenCredential(), env=env, base_url=BASE_URL, transport=arm, retry_total=0
        )
    assert caught.value.code == "SubscriptionNotFound"
    assert OLD in caught.value.what and "az account list" in caught.value.fix


def test_nothing_resolves_so_the_picker_gets_the_choices(env: dict[str, str]) -> None:
    arm = FakeArm([sub_body(PROD, "Prod"), sub_body(DEV, "Dev")])
    with pytest.raises(SubscriptionPickRequired) as caught:
        open_session(None, credential=StaticTokenCredential(), env=env, base_url=BASE_URL, transport=arm)
    need = caught.value
    assert isinstance(need, AzwizardError)
    assert [c.name for c in need.choices] == ["Dev", "Prod"]

    session = need.pick(need.choices[1])
    assert session.subscription.source == "picker"
    assert (session.subscription_id, session.subscription_name) == (PROD, "Prod")
    assert session.factory.transport is arm


def test_no_subscriptions_at_the_picker_is_explained(env: dict[str, str]) -> None:
    with pytest.raises(AzwizardError, match="No Azure subscriptions are visible") as caught:
        open_session(
            None, credential=StaticTokenCredential(), env=env, base_url=BASE_URL, transport=FakeArm([])
        )
    assert not isinstance(caught.value, SubscriptionPickRequired)


def test_simulated_session_ignores_the_real_environment(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profile(env, default=DEV)
    env["AZURE_SUBSCRIPTION_ID"] = OLD
    arm = FakeArm([sub_body(PROD, "Simulated Sub")])
    session = open_session(None, env=env, base_url=BASE_URL, transport=arm, simulated=True)
    assert session.simulated and session.subscription.source == "simulator"
    assert session.subscription_id == PROD
    assert isinstance(session.credential, StaticTokenCredential)
    assert session.header_label().startswith("SIMULATED · Simulated Sub (9f8e7d6c…)")


def test_network_failure_while_listing_is_explained() -> None:
    arm = FakeArm()
    arm.faults.append(("GET", "/subscriptions", ServiceRequestError("Name or service not known")))
    with pytest.raises(AzwizardError) as caught:
        list_subscriptions(StaticTokenCredential(), base_url=BASE_URL, transport=arm, retry_total=0)
    assert "Could not reach Azure" in caught.value.what and "network" in caught.value.fix


# --------------------------------------------------------------------------------------------
# Sign-in with DefaultAzureCredential and a fake `az` (the four failure scenarios + success).


def test_az_not_installed(offline: Path) -> None:
    with pytest.raises(AzwizardError) as caught:
        check_sign_in(default_credential())
    assert caught.value.what == "The Azure CLI (az) is not installed or not on PATH"
    assert "az login" in caught.value.fix and "AZURE_CLIENT_ID" in caught.value.fix
    assert "azwizard --demo" in caught.value.fix


def test_az_not_logged_in(offline: Path) -> None:
    write_fake_az(offline, stderr=AZ_NOT_LOGGED_IN, exit_code=1)
    with pytest.raises(AzwizardError) as caught:
        check_sign_in(default_credential())
    assert caught.value.what == "You are not signed in to Azure"
    assert "`az login`" in caught.value.fix


def test_az_not_logged_in_full_chain_without_managed_identity(
    offline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AZURE_TOKEN_CREDENTIALS")
    write_fake_az(offline, stderr=AZ_NOT_LOGGED_IN, exit_code=1)
    with pytest.raises(AzwizardError) as caught:
        check_sign_in(default_credential(exclude_managed_identity_credential=True))
    assert caught.value.what == "You are not signed in to Azure"


def test_az_refresh_token_expired(offline: Path) -> None:
    write_fake_az(offline, stderr=AZ_EXPIRED, exit_code=1)
    with pytest.raises(AzwizardError) as caught:
        check_sign_in(default_credential())
    assert caught.value.what == "Your Azure sign-in has expired"
    assert caught.value.code == "AADSTS700082"
    assert "az login" in caught.value.fix
    assert "Trace ID" not in str(caught.value)


def test_az_that_hangs_is_cut_off_by_process_timeout(offline: Path) -> None:
    write_fake_az(offline, stdout=AZ_TOKEN, sleep=10)
    started = time.monotonic()
    with pytest.raises(AzwizardError) as caught:
        check_sign_in(default_credential(process_timeout=1))
    assert time.monotonic() - started < 8
    assert "did not return a sign-in token in time" in caught.value.what


def test_az_signed_in_gives_a_token(offline: Path) -> None:
    write_fake_az(offline, stdout=AZ_TOKEN)
    credential = default_credential()
    token = credential.get_token(ARM_SCOPE)
    assert token.token == "x-fake-cli-token" and token.expires_on == 4070908800
    check_sign_in(credential)


def test_az_signed_in_works_through_the_clients(offline: Path) -> None:
    write_fake_az(offline, stdout=AZ_TOKEN)
    arm = FakeArm([sub_body(DEV, "Contoso Dev")])
    session = open_session(DEV, base_url=BASE_URL, transport=arm)
    assert session.subscription_name == "Contoso Dev"
    assert arm.requests[0][2]["Authorization"] == "Bearer x-fake-cli-token"


def test_no_subscriptions_for_a_signed_in_user(offline: Path) -> None:
    write_fake_az(offline, stdout=AZ_TOKEN)
    with pytest.raises(AzwizardError) as caught:
        open_session(None, base_url=BASE_URL, transport=FakeArm([]))
    assert caught.value.what == "No Azure subscriptions are visible to this sign-in"


def test_bad_token_credentials_setting_is_explained(offline: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "NoSuchCredential")
    with pytest.raises(AzwizardError, match="AZURE_TOKEN_CREDENTIALS"):
        default_credential()


def test_static_credential_never_shows_its_token() -> None:
    credential = StaticTokenCredential()
    token = credential.get_token(ARM_SCOPE)
    assert token.token == SIM_TOKEN and token.expires_on > time.time() + 3500
    info = credential.get_token_info(ARM_SCOPE)
    assert info.token == SIM_TOKEN and info.token_type == "Bearer"
    assert SIM_TOKEN not in repr(credential)


# --------------------------------------------------------------------------------------------
# Import hygiene: importing the session layer loads no Azure SDK module.


def test_importing_the_session_layer_loads_no_azure_module() -> None:
    code = (
        "import sys\n"
        "import azwizard.azure, azwizard.azure.session, azwizard.azure.errors, azwizard.azure.profile\n"
        "import azwizard.azure.credentials\n"
        "from azwizard.azure.errors import explain\n"
        "explain(ValueError('x'))\n"
        "loaded = sorted(m for m in sys.modules if m == 'azure' or m.startswith('azure.'))\n"
        "assert not loaded, loaded\n"
        "from azwizard.azure.session import ClientFactory\n"
        "from azwizard.azure.credentials import StaticTokenCredential\n"
        "ClientFactory(StaticTokenCredential(), '00000000-0000-0000-0000-000000000000').resources()\n"
        "assert 'azure.mgmt.resource.resources' in sys.modules\n"
        "assert 'azure.mgmt.network' not in sys.modules and 'azure.identity' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_describe_tenant_names_the_tenants_default_domain() -> None:
    from azwizard.azure.credentials import StaticTokenCredential
    from azwizard.azure.session import describe_tenant, open_session
    from azwizard.sim import SIM_BASE_URL, ArmSim
    from azwizard.sim.transport import SimTransport

    sim = ArmSim()
    session = open_session(None, credential=StaticTokenCredential(), base_url=SIM_BASE_URL,
                           transport=SimTransport(sim), simulated=True)
    describe_tenant(session)
    assert session.tenant_label == "azwizardsim.onmicrosoft.com"
    assert "tenant azwizardsim.onmicrosoft.com" in session.header_label()
