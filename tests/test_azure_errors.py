"""explain(): every failure becomes a short what + fix, never a traceback.

ARM errors are produced by the real SDK clients against the in-process ``FakeArm`` transport
(see test_azure_session.py), so the exceptions carry exactly what the SDK puts on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.core.rest import HttpRequest
from azure.identity import AzureCliCredential, CredentialUnavailableError
from test_azure_session import (  # the shared fakes (tests/ is on sys.path under pytest)
    AZ_EXPIRED,
    AZ_NOT_LOGGED_IN,
    BASE_URL,
    DEV,
    TENANT,
    FakeArm,
    FakeResponse,
    offline,
    write_fake_az,
)

from azwizard.azure.credentials import StaticTokenCredential
from azwizard.azure.errors import AzwizardError, explain
from azwizard.azure.session import ClientFactory

__all__ = ["offline"]  # a fixture imported from the session tests

ARM_SCOPE = "https://management.azure.com/.default"


def factory_with(method: str, path: str, status: int, error: dict[str, Any] | None) -> ClientFactory:
    arm = FakeArm()
    arm.faults.append((method, path, (status, {"error": error} if error else None)))
    return ClientFactory(StaticTokenCredential(), DEV, base_url=BASE_URL, transport=arm, retry_total=0)


def raised_by(call: Any) -> BaseException:
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


# --------------------------------------------------------------------------------------------
# AzwizardError itself.


def test_error_text_combines_what_code_and_fix() -> None:
    error = AzwizardError(
        "Your account is not allowed to do this", "Ask an Owner.", code="AuthorizationFailed"
    )
    assert str(error) == "Your account is not allowed to do this (AuthorizationFailed)\nFix: Ask an Owner."
    assert str(AzwizardError("Just this")) == "Just this"
    assert explain(error) is error


def test_unknown_exceptions_get_a_generic_message() -> None:
    error = explain(ValueError("boom\nsecond line"))
    assert error.what == "Unexpected error (ValueError): boom second line"
    assert "report it" in error.fix
    assert "Traceback" not in str(error)


def test_explain_never_raises() -> None:
    class Nasty(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no text")

    assert explain(Nasty()).what == "Unexpected error (Nasty)"
    assert "Ctrl+C" in explain(KeyboardInterrupt()).what


# --------------------------------------------------------------------------------------------
# Credential failures, as azure-identity raises them.


def test_cli_missing() -> None:
    error = explain(CredentialUnavailableError(message="Azure CLI not found on path"))
    assert error.what == "The Azure CLI (az) is not installed or not on PATH"
    assert error.fix == (
        "Install the Azure CLI and run `az login`, or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, "
        "or try `azwizard --demo`."
    )


def test_cli_not_logged_in() -> None:
    error = explain(CredentialUnavailableError(message="Please run 'az login' to set up an account"))
    assert error.what == "You are not signed in to Azure"
    assert error.fix.startswith("Run `az login`")


@pytest.mark.parametrize(
    "stderr",
    [
        AZ_EXPIRED,
        # The WAM/broker wording seen from newer az builds.
        "ERROR: V2Error: invalid_grant AADSTS700082: The refresh token has expired due to inactivity. "
        "The token was issued on 2026-04-20T14:30:28.0990908Z and was inactive for 90.00:00:00.",
        "ERROR: AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks "
        "by conditional access. To re-authenticate, please run: az login",
    ],
)
def test_expired_sign_in(stderr: str) -> None:
    error = explain(ClientAuthenticationError(message=stderr))
    assert error.what == "Your Azure sign-in has expired"
    assert error.fix == "Run `az login` again, then retry."
    assert error.code in {"AADSTS700082", "AADSTS70043"}


def test_service_principal_secret_rejected() -> None:
    message = (
        "DefaultAzureCredential failed to retrieve a token from the included credentials.\n"
        "Attempted credentials:\n\tEnvironmentCredential: Authentication failed: AADSTS7000215: Invalid client "
        "secret provided. Ensure the secret being sent in the request is the client secret value."
    )
    error = explain(ClientAuthenticationError(message=message))
    assert "secret" in error.what and error.code == "AADSTS7000215"
    assert "AZURE_CLIENT_SECRET" in error.fix


def test_other_sign_in_failures_keep_the_telling_line() -> None:
    message = (
        "DefaultAzureCredential failed to retrieve a token from the included credentials.\n"
        "Attempted credentials:\n\tEnvironmentCredential: EnvironmentCredential authentication unavailable.\n"
        "\tAzureCliCredential: ERROR: The command failed with an unexpected error.\n"
        "\tAzurePowerShellCredential: PowerShell is not installed\n"
    )
    error = explain(ClientAuthenticationError(message=message))
    assert (
        error.what
        == "Could not sign in to Azure: AzureCliCredential: ERROR: The command failed with an unexpected error."
    )


def test_real_azure_cli_credential_outside_the_chain(offline: Path) -> None:
    """Outside DefaultAzureCredential, az's own stderr comes back as ClientAuthenticationError."""
    write_fake_az(offline, stderr=AZ_EXPIRED, exit_code=1)
    exc = raised_by(lambda: AzureCliCredential().get_token(ARM_SCOPE))
    assert type(exc) is ClientAuthenticationError
    assert explain(exc).what == "Your Azure sign-in has expired"

    write_fake_az(offline, stderr=AZ_NOT_LOGGED_IN, exit_code=1)
    exc = raised_by(lambda: AzureCliCredential().get_token(ARM_SCOPE))
    assert isinstance(exc, CredentialUnavailableError)
    assert explain(exc).what == "You are not signed in to Azure"


# --------------------------------------------------------------------------------------------
# ARM errors raised by the real clients.


def test_authorization_failed_names_the_action_and_the_fix() -> None:
    message = (
        "The client 'dev@contoso.com' with object id 'a1b2' does not have authorization to perform action "
        "'Microsoft.Resources/subscriptions/resourcegroups/write' over scope "
        f"'/subscriptions/{DEV}/resourcegroups/rg1' or the scope is invalid."
    )
    factory = factory_with(
        "PUT",
        r"/subscriptions/[^/]+/resourcegroups/rg1",
        403,
        {"code": "AuthorizationFailed", "message": message},
    )
    exc = raised_by(
        lambda: factory.resources().resource_groups.create_or_update("rg1", {"location": "eastus"})
    )
    error = explain(exc)
    assert error.code == "AuthorizationFailed"
    assert (
        error.what
        == "Your account is not allowed to perform Microsoft.Resources/subscriptions/resourcegroups/write"
    )
    assert "Contributor" in error.fix


def test_resource_group_not_found() -> None:
    factory = factory_with(
        "GET",
        r".*/virtualNetworks/v1",
        404,
        {"code": "ResourceGroupNotFound", "message": "Resource group 'rg-missing' could not be found."},
    )
    error = explain(raised_by(lambda: factory.network().virtual_networks.get("rg-missing", "v1")))
    assert (error.code, error.what) == ("ResourceGroupNotFound", "Resource group 'rg-missing' was not found")


def test_quota_errors_pass_azure_message_through() -> None:
    message = (
        "Operation could not be completed as it results in exceeding approved Total Regional Cores quota. "
        "Additional details - Deployment Model: Resource Manager, Location: centralus, Current Limit: 10, "
        "Current Usage: 8, Additional Required: 4, (Minimum) New Limit Required: 12."
    )
    factory = factory_with(
        "PUT", r".*/virtualMachines/vm1", 409, {"code": "OperationNotAllowed", "message": message}
    )
    exc = raised_by(
        lambda: factory.compute().virtual_machines.begin_create_or_update(
            "rg", "vm1", {"location": "centralus"}
        )
    )
    error = explain(exc)
    assert error.code == "OperationNotAllowed"
    assert error.what == message
    assert "quota" in error.fix.lower()


def test_sku_not_available_passes_through() -> None:
    message = (
        "The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: Standard_B2s' "
        "is currently not available in location 'eastus'. Please try another size or deploy to a different "
        "location or different zone. See https://aka.ms/azureskunotavailable for details."
    )
    factory = factory_with(
        "PUT", r".*/virtualMachines/vm1", 409, {"code": "SkuNotAvailable", "message": message}
    )
    error = explain(
        raised_by(
            lambda: factory.compute().virtual_machines.begin_create_or_update(
                "rg", "vm1", {"location": "eastus"}
            )
        )
    )
    assert (error.code, error.what) == ("SkuNotAvailable", message)
    assert "another VM size" in error.fix


def test_wrapped_template_errors_use_the_inner_code() -> None:
    inner = "Operation results in exceeding quota limits of Core. Maximum allowed: 10, Current in use: 0, Additional requested: 12."
    factory = factory_with(
        "GET",
        r"/subscriptions/[^/]+/resourcegroups/rg1",
        400,
        {
            "code": "InvalidTemplateDeployment",
            "message": "The template deployment is not valid.",
            "details": [{"code": "QuotaExceeded", "message": inner}],
        },
    )
    error = explain(raised_by(lambda: factory.resources().resource_groups.get("rg1")))
    assert (error.code, error.what) == ("QuotaExceeded", inner)


def test_wrong_tenant_says_which_tenant_to_sign_in_to() -> None:
    message = (
        "The access token is from the wrong issuer 'https://sts.windows.net/11111111-2222-3333-4444-555555555555/'. "
        f"It must match the tenant 'https://sts.windows.net/{TENANT}/' associated with this subscription."
    )
    factory = factory_with(
        "GET",
        r"/subscriptions/[^/]+/resourcegroups",
        401,
        {"code": "InvalidAuthenticationTokenTenant", "message": message},
    )
    exc = raised_by(lambda: list(factory.resources().resource_groups.list()))
    assert isinstance(exc, ClientAuthenticationError)
    error = explain(exc)
    assert error.fix == f"Run `az login --tenant {TENANT}`, then retry."


def test_expired_arm_token() -> None:
    factory = factory_with(
        "GET",
        r"/subscriptions/[^/]+/resourcegroups",
        401,
        {
            "code": "ExpiredAuthenticationToken",
            "message": "The access token expiry UTC time is earlier than current UTC time.",
        },
    )
    error = explain(raised_by(lambda: list(factory.resources().resource_groups.list())))
    assert error.what == "Your Azure sign-in has expired" and error.code == "ExpiredAuthenticationToken"


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (429, "SubscriptionRequestsThrottled", "Azure is limiting how fast requests can be sent"),
        (500, None, "Azure had a temporary problem (HTTP 500)"),
        (503, "ServiceUnavailable", "Azure had a temporary problem: The service is unavailable."),
        (409, "ScopeLocked", "A resource lock prevents this change"),
        (409, "AnotherOperationInProgress", "Another operation on this resource is still running"),
    ],
)
def test_status_and_code_table(status: int, code: str | None, expected: str) -> None:
    error_body = {"code": code, "message": "The service is unavailable."} if code else None
    factory = factory_with("GET", r"/subscriptions/[^/]+/resourcegroups/rg1", status, error_body)
    error = explain(raised_by(lambda: factory.resources().resource_groups.get("rg1")))
    assert error.what == expected
    assert error.fix


def test_missing_provider_registration_names_the_command() -> None:
    request = HttpRequest(
        "PUT",
        f"{BASE_URL}/subscriptions/{DEV}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a",
    )
    body = {
        "error": {
            "code": "MissingSubscriptionRegistration",
            "message": "The subscription is not registered to use namespace 'Microsoft.ContainerService'.",
        }
    }
    error = explain(HttpResponseError(response=FakeResponse(request, 409, body)))
    assert error.what == "The subscription is not registered for Microsoft.ContainerService"
    assert "az provider register --namespace Microsoft.ContainerService" in error.fix


def test_error_without_an_error_object() -> None:
    """Body-polling LRO failures raise HttpResponseError with e.error None."""
    exc = HttpResponseError(message="Operation returned an invalid status 'OK'")
    assert exc.error is None
    error = explain(exc)
    assert error.what == "An Azure operation failed without saying why"
    assert error.code is None


def test_unknown_arm_code_keeps_azure_message() -> None:
    factory = factory_with(
        "GET",
        r"/subscriptions/[^/]+/resourcegroups/rg1",
        400,
        {
            "code": "UnsupportedDualStackNetworkPolicy",
            "message": "Network policy cilium is not supported for dual-stack clusters.",
        },
    )
    error = explain(raised_by(lambda: factory.resources().resource_groups.get("rg1")))
    assert (error.code, error.what) == (
        "UnsupportedDualStackNetworkPolicy",
        "Network policy cilium is not supported for dual-stack clusters.",
    )


# --------------------------------------------------------------------------------------------
# Network failures.


def test_unreachable_azure() -> None:
    arm = FakeArm()
    arm.faults.append(("GET", r".*", ServiceRequestError("Failed to establish a new connection")))
    factory = ClientFactory(StaticTokenCredential(), DEV, base_url=BASE_URL, transport=arm, retry_total=0)
    error = explain(raised_by(lambda: factory.resources().resource_groups.get("rg1")))
    assert error.what == "Could not reach Azure (the request was not sent)"
    assert error.fix.startswith("Check your network") and error.fix.endswith("then retry.")


def test_connection_dropped() -> None:
    error = explain(ServiceResponseError("Connection aborted."))
    assert error.what == "The connection to Azure dropped before Azure answered"
    assert "network" in error.fix
