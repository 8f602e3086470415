"""The Azure cloud, read as the az CLI reads it: built-in and registered clouds, precedence, the endpoints and
token scope every client and credential gets, the header, and the sign-in problems a cloud can cause.

Offline: the az CLI's files are written into ``tmp_path`` in the format azure-cli writes them (``config`` and
``clouds.config`` are INI files; see azwizard/azure/clouds.py); a fake ``az`` stands in where one is needed.
tests/realmode checks the same against the real az.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_azure_session import AZ_NOT_LOGGED_IN, DEV, PROD, TENANT, FakeArm, offline, sub_body, write_fake_az
from tui_helpers import workers_done

from azwizard.azure.clouds import (
    AZURE_PUBLIC_CLOUD,
    AZURE_US_GOVERNMENT,
    cli_active_cloud_name,
    resolve_cloud,
)
from azwizard.azure.credentials import StaticTokenCredential
from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import AzureSession, SubscriptionChoice, open_session, resolve_subscription
from azwizard.azure.signin import check_cli_cloud, open_real_session

__all__ = ["offline"]  # the fixture, re-used

SIM_URL = "https://127.0.0.1:8443"


def cfg(tmp_path: Path) -> Path:
    folder = tmp_path / "azure-config"
    folder.mkdir(exist_ok=True)
    return folder


def set_cli_cloud(folder: Path, name: str) -> None:
    """What `az cloud set --name NAME` leaves in $AZURE_CONFIG_DIR/config."""
    (folder / "config").write_text(f"[core]\ncollect_telemetry = no\n\n[cloud]\nname = {name}\n", encoding="utf-8")


def register_cloud(folder: Path, name: str = "SimCloud", **endpoints: str) -> None:
    """What `az cloud register --name NAME --endpoint-resource-manager ...` appends to clouds.config."""
    values = {"endpoint_resource_manager": f"{SIM_URL}/", "endpoint_active_directory": SIM_URL,
              "endpoint_active_directory_resource_id": "https://management.core.windows.net/",
              "endpoint_management": "https://management.core.windows.net/", **endpoints}
    lines = [f"[{name}]", "profile = latest", *(f"{k} = {v}" for k, v in values.items() if v), ""]
    with (folder / "clouds.config").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"AZURE_CONFIG_DIR": str(cfg(tmp_path)), "HOME": str(tmp_path / "home"), **extra}


# --------------------------------------------------------------------------------------------------- which cloud


def test_nothing_set_is_the_public_cloud_with_the_sdks_endpoints(tmp_path: Path) -> None:
    cloud = resolve_cloud(None, env_for(tmp_path))
    assert cloud.name == "AzureCloud" and cloud.source == "default" and cloud.is_public
    assert cloud.resource_manager == "https://management.azure.com/"
    assert cloud.scope == "https://management.azure.com/.default"
    assert cloud.authority == "https://login.microsoftonline.com"


@pytest.mark.parametrize(("name", "arm", "scope", "authority"), [
    ("AzureUSGovernment", "https://management.usgovcloudapi.net/", "https://management.core.usgovcloudapi.net/.default",
     "https://login.microsoftonline.us"),
    ("AzureChinaCloud", "https://management.chinacloudapi.cn/", "https://management.chinacloudapi.cn/.default",
     "https://login.chinacloudapi.cn"),
])
def test_az_cloud_set_picks_a_sovereign_cloud(tmp_path: Path, name: str, arm: str, scope: str, authority: str) -> None:
    set_cli_cloud(cfg(tmp_path), name)
    cloud = resolve_cloud(None, env_for(tmp_path))
    assert (cloud.name, cloud.source) == (name, "cli-config")
    assert (cloud.resource_manager, cloud.scope, cloud.authority) == (arm, scope, authority)


def test_precedence_flag_then_azure_cloud_then_az_own_variable_then_config(tmp_path: Path) -> None:
    set_cli_cloud(cfg(tmp_path), "AzureChinaCloud")
    env = env_for(tmp_path)
    assert resolve_cloud(None, env).name == "AzureChinaCloud"
    env["AZURE_CLOUD_NAME"] = "AzureUSGovernment"  # az's own override of [cloud] name
    assert (resolve_cloud(None, env).name, cli_active_cloud_name(env)) == ("AzureUSGovernment", "AzureUSGovernment")
    env["AZURE_CLOUD"] = "AzureCloud"
    assert (resolve_cloud(None, env).name, resolve_cloud(None, env).source) == ("AzureCloud", "env")
    flagged = resolve_cloud("azurechinacloud", env)  # names match as `az cloud set` matches them
    assert (flagged.name, flagged.source) == ("AzureChinaCloud", "flag")


def test_a_registered_cloud_comes_from_clouds_config(tmp_path: Path) -> None:
    folder = cfg(tmp_path)
    register_cloud(folder)
    set_cli_cloud(folder, "SimCloud")
    cloud = resolve_cloud(None, env_for(tmp_path))
    assert cloud.registered and not cloud.is_public
    assert cloud.resource_manager == f"{SIM_URL}/"
    assert cloud.authority == SIM_URL
    # az's audience for the cloud, kept as written (azure-cli's resource_to_scopes): a double slash.
    assert cloud.scope == "https://management.core.windows.net//.default"


def test_a_registered_cloud_without_an_audience_uses_its_resource_manager(tmp_path: Path) -> None:
    register_cloud(cfg(tmp_path), "Stack", endpoint_active_directory_resource_id="", endpoint_management="")
    assert resolve_cloud("Stack", env_for(tmp_path)).scope == f"{SIM_URL}//.default"


def test_clouds_config_changes_a_built_in_cloud_as_az_applies_it(tmp_path: Path) -> None:
    (cfg(tmp_path) / "clouds.config").write_text(
        "[AzureCloud]\nendpoint_resource_manager = https://arm.proxy.example/\n", encoding="utf-8")
    cloud = resolve_cloud(None, env_for(tmp_path))
    assert cloud.resource_manager == "https://arm.proxy.example/"
    assert cloud.scope == AZURE_PUBLIC_CLOUD.scope and cloud.authority == AZURE_PUBLIC_CLOUD.authority


def test_unknown_cloud_names_the_choices(tmp_path: Path) -> None:
    register_cloud(cfg(tmp_path), "MyStack")
    with pytest.raises(AzwizardError) as caught:
        resolve_cloud("AzureGermanCloud", env_for(tmp_path))
    assert caught.value.what == "Unknown Azure cloud 'AzureGermanCloud' (from --cloud)"
    assert "AzureCloud, AzureUSGovernment, AzureChinaCloud, MyStack" in caught.value.fix
    assert "az cloud register" in caught.value.fix


def test_a_registered_cloud_without_resource_manager_is_explained(tmp_path: Path) -> None:
    register_cloud(cfg(tmp_path), "Half", endpoint_resource_manager="")
    with pytest.raises(AzwizardError) as caught:
        resolve_cloud("Half", env_for(tmp_path))
    assert "has no Resource Manager endpoint" in caught.value.what
    assert "az cloud update --name Half --endpoint-resource-manager" in caught.value.fix


def test_a_broken_clouds_config_is_explained(tmp_path: Path) -> None:
    (cfg(tmp_path) / "clouds.config").write_text("endpoint_resource_manager = x\n", encoding="utf-8")
    with pytest.raises(AzwizardError) as caught:
        resolve_cloud(None, env_for(tmp_path))
    assert "registered clouds file" in caught.value.what and "could not be read" in caught.value.what


# --------------------------------------------------------------------------------------------------- the clients


def test_every_client_talks_to_the_clouds_arm_with_its_scope(tmp_path: Path) -> None:
    credential = StaticTokenCredential()
    arm = FakeArm([sub_body(DEV, "Gov Dev")])
    session = open_session(DEV, credential=credential, env=env_for(tmp_path), transport=arm,
                           cloud=AZURE_US_GOVERNMENT)
    assert session.cloud == AZURE_US_GOVERNMENT
    list(session.factory.resources().resource_groups.list())
    hosts = {url.split("/")[2] for _, url, _ in arm.requests}
    assert hosts == {"management.usgovcloudapi.net"}
    assert set(credential.requested_scopes) == {("https://management.core.usgovcloudapi.net/.default",)}


def test_the_credential_signs_in_at_the_clouds_authority(monkeypatch: pytest.MonkeyPatch) -> None:
    import azure.identity

    from azwizard.azure.credentials import default_credential

    seen: dict[str, Any] = {}

    class Recording:
        def __init__(self, **kwargs: Any) -> None:
            seen.update(kwargs)

    monkeypatch.setattr(azure.identity, "DefaultAzureCredential", Recording)
    default_credential(cloud=AZURE_US_GOVERNMENT)
    assert seen["authority"] == "https://login.microsoftonline.us"
    seen.clear()
    default_credential(cloud=AZURE_PUBLIC_CLOUD)
    assert "authority" not in seen  # the SDK's default


def test_only_the_clouds_profile_entries_count(tmp_path: Path) -> None:
    """az keeps every cloud's subscriptions in one azureProfile.json and uses the active cloud's only."""
    folder = cfg(tmp_path)
    entries = [
        {"id": DEV, "name": "Public Dev", "state": "Enabled", "isDefault": True, "tenantId": TENANT,
         "environmentName": "AzureCloud", "user": {"name": "a@contoso.com", "type": "user"}},
        {"id": PROD, "name": "Gov Prod", "state": "Enabled", "isDefault": True, "tenantId": TENANT,
         "environmentName": "AzureUSGovernment", "user": {"name": "a@contoso.us", "type": "user"}},
    ]
    (folder / "azureProfile.json").write_text(json.dumps({"subscriptions": entries}), encoding="utf-8-sig")
    env = env_for(tmp_path)
    gov = resolve_subscription(None, env, cloud="AzureUSGovernment")
    public = resolve_subscription(None, env, cloud="AzureCloud")
    assert gov is not None and (gov.id, gov.name) == (PROD, "Gov Prod")
    assert public is not None and (public.id, public.name) == (DEV, "Public Dev")
    assert resolve_subscription(None, env, cloud="AzureChinaCloud") is None  # the picker


def test_a_tenant_level_sign_in_without_subscription_is_explained(tmp_path: Path) -> None:
    """`az login --allow-no-subscriptions` leaves the tenant as the default "subscription"."""
    entry = {"id": TENANT, "name": "N/A(tenant level account)", "state": "Enabled", "isDefault": True,
             "tenantId": TENANT, "environmentName": "AzureCloud", "user": {"name": "a@contoso.com", "type": "user"}}
    (cfg(tmp_path) / "azureProfile.json").write_text(json.dumps({"subscriptions": [entry]}), encoding="utf-8-sig")
    with pytest.raises(AzwizardError) as caught:
        resolve_subscription(None, env_for(tmp_path), cloud="AzureCloud")
    assert caught.value.what == f"The Azure CLI is signed in to tenant {TENANT} without a subscription"
    assert "--subscription" in caught.value.fix and "az login" in caught.value.fix


# --------------------------------------------------------------------------------------------------- the header


def header(cloud: Any) -> str:
    choice = SubscriptionChoice(DEV, "Gov Dev", TENANT, "cli-profile")
    session = AzureSession(None, choice, TENANT, "Gov Dev", cloud=cloud)  # type: ignore[arg-type]
    return session.header_label()


def test_the_header_names_the_cloud_unless_it_is_the_public_one() -> None:
    assert header(AZURE_US_GOVERNMENT).startswith("cloud AzureUSGovernment · Gov Dev (")
    assert "cloud" not in header(AZURE_PUBLIC_CLOUD)
    assert "cloud" not in header(None)


async def test_the_app_header_shows_the_cloud(tmp_path: Path) -> None:
    from azwizard.screens.app import AzWizardApp

    from azwizard.demo import open_demo_session
    from azwizard.sim import INSTANT

    def connect() -> AzureSession:
        session = open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT).session
        session.simulated = False
        session.cloud = AZURE_US_GOVERNMENT
        return session

    app = AzWizardApp(connect)
    async with app.run_test(size=(140, 30)) as pilot:
        await workers_done(app)
        await pilot.pause()
        assert app.sub_title.startswith("cloud AzureUSGovernment · ")


# --------------------------------------------------------------------------------------------------- sign-in


def test_asking_for_another_cloud_than_az_uses_is_explained(tmp_path: Path) -> None:
    env = env_for(tmp_path)  # az: AzureCloud (nothing set)
    with pytest.raises(AzwizardError) as caught:
        check_cli_cloud(resolve_cloud("AzureUSGovernment", env), env)
    assert caught.value.what == ("azwizard was asked for cloud AzureUSGovernment (--cloud), but the Azure CLI is set "
                                 "to cloud AzureCloud")
    assert "az cloud set --name AzureUSGovernment" in caught.value.fix and "az login" in caught.value.fix
    env["AZURE_CLOUD"] = "AzureChinaCloud"
    with pytest.raises(AzwizardError, match=r"AzureChinaCloud \(AZURE_CLOUD\)"):
        check_cli_cloud(resolve_cloud(None, env), env)
    # the same cloud as az, or a service principal from the environment (it signs in to the cloud itself): fine
    set_cli_cloud(cfg(tmp_path), "AzureChinaCloud")
    check_cli_cloud(resolve_cloud(None, env), env)
    sp = env_for(tmp_path, AZURE_CLIENT_ID="c", AZURE_TENANT_ID="t", AZURE_CLIENT_SECRET="s")
    check_cli_cloud(resolve_cloud("AzureUSGovernment", sp), sp)


def test_not_signed_in_to_a_sovereign_cloud_names_it(offline: Path, tmp_path: Path) -> None:
    set_cli_cloud(cfg(tmp_path), "AzureUSGovernment")
    write_fake_az(offline, stderr=AZ_NOT_LOGGED_IN, exit_code=1)
    with pytest.raises(AzwizardError) as caught:
        open_real_session(None)
    assert caught.value.what == "You are not signed in to Azure (cloud AzureUSGovernment)"
    assert "az login" in caught.value.fix


def test_headless_unknown_cloud_is_a_usage_error(offline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from azwizard.cli import main

    code = main(["vm", "plan", "docs/examples/yolo-vm.toml", "--cloud", "Nowhere"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Unknown Azure cloud 'Nowhere' (from --cloud)" in err and "Traceback" not in err


def test_cloud_with_demo_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from azwizard.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["--demo", "--cloud", "AzureUSGovernment"])
    assert caught.value.code == 2
    assert "--cloud does not apply with --demo" in capsys.readouterr().err
