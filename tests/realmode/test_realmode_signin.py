"""Sign-in problems in real mode, with the real az CLI: each one a clear message with what to do, exit code 3
(2 for a wrong or unknown cloud, which is the user's input), never a traceback, and nothing created."""

from __future__ import annotations

from pathlib import Path

from azcli.azcli_helpers import REPO, Az, Simulator, signed_in_az

from realmode.realmode_helpers import SIM_CLOUD, azwizard_env, azwizard_requests, expire_tokens, run_azwizard

PROFILE = str(REPO / "docs" / "examples" / "yolo-vm.toml")


def assert_clear(result_err: str, what: str, fix: str) -> None:
    assert "Traceback" not in result_err and "Unexpected error" not in result_err, result_err
    assert f"azwizard: {what}" in result_err, result_err
    assert "What to do:" in result_err and fix in result_err, result_err


def test_az_not_installed(shared_az: Az, tmp_path: Path) -> None:
    env = azwizard_env(shared_az, tmp_path)
    env["PATH"] = "/usr/bin:/bin"  # az's own settings are there, az is not
    result = run_azwizard(env, "vm", "plan", PROFILE)
    assert result.code == 3
    assert_clear(result.err, "The Azure CLI (az) is not installed or not on PATH", "Install the Azure CLI")


def test_az_not_logged_in(az_exe: Path, simulator: Simulator, tmp_path: Path) -> None:
    az = signed_in_az(az_exe, simulator, tmp_path / "home", login=False)  # the cloud is active, nobody signed in
    result = run_azwizard(azwizard_env(az, tmp_path), "vm", "plan", PROFILE)
    assert result.code == 3
    assert_clear(result.err, f"You are not signed in to Azure (cloud {SIM_CLOUD})", "Run `az login`")
    assert not simulator.resources()


def test_token_expired(az: Az, tmp_path: Path) -> None:
    env = azwizard_env(az, tmp_path)
    expire_tokens(az.sim)  # az still holds its cached token; Resource Manager now says it has expired
    result = run_azwizard(env, "vm", "apply", PROFILE, "--yes")
    assert result.code == 3
    assert_clear(result.err, "Your Azure sign-in has expired", "Run `az login` again")
    assert not az.sim.resources(), "something was created with an expired token"
    refused = [r for r in az.sim.requests() if r["code"] == "ExpiredAuthenticationToken"]
    assert refused and all(r["status"] == 401 for r in refused)


def test_wrong_cloud(shared_az: Az, tmp_path: Path) -> None:
    az = shared_az
    env = azwizard_env(az, tmp_path)
    before = len(azwizard_requests(az.sim))
    result = run_azwizard(env, "vm", "plan", PROFILE, "--cloud", "AzureUSGovernment")
    assert result.code == 2
    assert_clear(result.err, f"azwizard was asked for cloud AzureUSGovernment (--cloud), but the Azure CLI is set "
                 f"to cloud {SIM_CLOUD}", "az cloud set --name AzureUSGovernment")
    unknown = run_azwizard(env, "vm", "plan", PROFILE, "--cloud", "NoSuchCloud")
    assert unknown.code == 2
    assert_clear(unknown.err, "Unknown Azure cloud 'NoSuchCloud' (from --cloud)", f"{SIM_CLOUD}")
    assert len(azwizard_requests(az.sim)) == before, "azwizard sent requests with a token for another cloud"


def test_no_subscription(shared_az: Az, tmp_path: Path) -> None:
    """A subscription az does not know (e.g. one in another tenant or cloud): ARM answers SubscriptionNotFound."""
    env = azwizard_env(shared_az, tmp_path)
    other = "11111111-2222-4333-8444-555555555555"
    result = run_azwizard(env, "vm", "plan", PROFILE, "--subscription", other)
    assert result.code == 3
    assert_clear(result.err, f"Subscription {other} was not found in cloud {SIM_CLOUD}", "--cloud")
