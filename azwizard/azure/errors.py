"""Plain-words errors for everything that can go wrong between azwizard and Azure.

Every failure the UI or the headless CLI shows goes through :func:`explain`, which turns an
exception (from azure-identity, azure-core, the mgmt clients, or anything else) into an
:class:`AzwizardError` that says *what happened* and *what to do*. No traceback reaches the user.

This module never imports an Azure package at module level. :func:`explain` looks the Azure
exception classes up in ``sys.modules``: an exception of an Azure type can only exist if its
module is already loaded, so explaining a plain ``ValueError`` costs no SDK import at all.
"""

from __future__ import annotations

import re
import sys
from typing import Any

__all__ = ["AzwizardError", "explain"]


class AzwizardError(Exception):
    """An error a person can act on.

    ``what`` says what happened in plain words, ``fix`` what to do about it, and ``code`` keeps
    Azure's own error code (``AuthorizationFailed``, ``AADSTS700082``, ...) when there is one.
    """

    def __init__(self, what: str, fix: str = "", code: str | None = None) -> None:
        super().__init__(what, fix, code)
        self.what = what
        self.fix = fix
        self.code = code

    def __str__(self) -> str:
        head = f"{self.what} ({self.code})" if self.code and self.code not in self.what else self.what
        return f"{head}\nFix: {self.fix}" if self.fix else head

    def __repr__(self) -> str:
        return f"{type(self).__name__}(what={self.what!r}, fix={self.fix!r}, code={self.code!r})"


# --------------------------------------------------------------------------------------------
# Fixes used in more than one place.

SP_ENV_VARS = "AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET"
FIX_INSTALL_CLI = f"Install the Azure CLI and run `az login`, or set {SP_ENV_VARS}, or try `azwizard --demo`."
FIX_LOGIN = f"Run `az login` (or set {SP_ENV_VARS} for a service principal), then retry."
FIX_LOGIN_AGAIN = "Run `az login` again, then retry."
FIX_NETWORK = "Check your network connection (and HTTPS_PROXY if you use a proxy), then retry."

_MAX_DETAIL = 400

# AADSTS codes (Microsoft Entra sign-in errors) that mean "your sign-in is stale: sign in again".
_EXPIRED_AADSTS = {
    "AADSTS700082",  # refresh token expired due to inactivity
    "AADSTS70043",  # refresh token expired or invalid due to sign-in frequency checks
    "AADSTS50173",  # grant expired (password changed / sessions revoked)
    "AADSTS50133",  # session invalid due to password expiration or recent password change
    "AADSTS70008",  # the provided authorization code or refresh token has expired
    "AADSTS700084",  # refresh token for a single-page app expired
}
_REAUTH_AADSTS = {
    "AADSTS50076",  # multi-factor authentication required
    "AADSTS50079",  # MFA enrolment required
    "AADSTS50078",  # presented MFA has expired
    "AADSTS53003",  # blocked by conditional access
    "AADSTS50158",  # external security challenge not satisfied
}
_SP_SECRET_AADSTS = {
    "AADSTS7000215",  # invalid client secret
    "AADSTS7000222",  # client secret expired
    "AADSTS700027",  # certificate / client assertion invalid
}

_QUOTA_CODES = {
    "QuotaExceeded",
    "ErrCode_InsufficientVCPUQuota",
    "InsufficientVCPUQuota",
    "OperationNotAllowedQuota",
    "PublicIPCountLimitReached",
    "SubscriptionQuotaExceeded",
    "InsufficientSubnetSize",
    "RoleAssignmentLimitExceeded",
}
_CAPACITY_CODES = {
    "SkuNotAvailable",
    "ZonalAllocationFailed",
    "AllocationFailed",
    "OverconstrainedAllocationRequest",
    "OverconstrainedZonalAllocationRequest",
    "VMSizeNotSupported",
    "NotAvailableForSubscription",
    "SkuNotSupported",
}
_WRAPPER_CODES = {"InvalidTemplateDeployment", "DeploymentFailed", "Conflict", "BadRequest"}
_GUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"


def explain(exc: BaseException) -> AzwizardError:
    """Turn any exception into an :class:`AzwizardError` with a short, specific fix.

    Never raises and never returns a traceback. An :class:`AzwizardError` is returned unchanged.
    """
    try:
        return _explain(exc)
    except Exception:  # the explainer itself must never be the thing that crashes
        return _generic(exc)


def _explain(exc: BaseException) -> AzwizardError:
    if isinstance(exc, AzwizardError):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        return AzwizardError("Stopped by Ctrl+C", "Run the command again when you are ready.")

    core = sys.modules.get("azure.core.exceptions")
    if core is not None:
        if isinstance(exc, core.ClientAuthenticationError) and getattr(exc, "response", None) is None:
            # Raised by a credential (azure-identity), not by an ARM response.
            return _explain_sign_in(_message_of(exc))
        if isinstance(exc, core.HttpResponseError):
            return _explain_http(exc)
        if isinstance(exc, core.ServiceRequestError):
            return AzwizardError(
                "Could not reach Azure (the request was not sent)",
                FIX_NETWORK,
                code=None,
            )
        if isinstance(exc, core.ServiceResponseError):
            return AzwizardError(
                "The connection to Azure dropped before Azure answered",
                "Check your network, then retry. The request may have reached Azure, so look before "
                "creating anything twice.",
            )
    return _generic(exc)


def _generic(exc: BaseException) -> AzwizardError:
    try:
        detail = _short(str(exc))
    except Exception:  # an exception whose __str__ fails still gets a message
        detail = ""
    name = type(exc).__name__
    what = f"Unexpected error ({name}): {detail}" if detail else f"Unexpected error ({name})"
    return AzwizardError(what, "Retry; if it happens again, please report it with the steps that led here.")


# --------------------------------------------------------------------------------------------
# Sign-in failures (azure-identity credentials).


def _explain_sign_in(message: str) -> AzwizardError:
    """Classify a credential failure from its message.

    ``DefaultAzureCredential`` reports every credential it tried in one message, one line each
    (``\\tAzureCliCredential: Please run 'az login' ...``), so the checks look for the most
    specific cause first and the plain "not installed" last.
    """
    aadsts = _aadsts_codes(message)

    if aadsts & _EXPIRED_AADSTS or "refresh token has expired" in message.lower():
        code = _first(aadsts & _EXPIRED_AADSTS)
        return AzwizardError("Your Azure sign-in has expired", FIX_LOGIN_AGAIN, code=code)
    if aadsts & _REAUTH_AADSTS:
        return AzwizardError(
            "Azure needs you to sign in again (multi-factor or conditional-access check)",
            FIX_LOGIN_AGAIN,
            code=_first(aadsts & _REAUTH_AADSTS),
        )
    if aadsts & _SP_SECRET_AADSTS:
        return AzwizardError(
            "The service principal's secret or certificate was rejected (it may have expired)",
            "Check AZURE_CLIENT_SECRET (or the certificate), or unset "
            f"{SP_ENV_VARS} to use `az login` instead.",
            code=_first(aadsts & _SP_SECRET_AADSTS),
        )
    if "AADSTS700016" in aadsts:
        return AzwizardError(
            "The application in AZURE_CLIENT_ID was not found in the tenant",
            "Check AZURE_CLIENT_ID and AZURE_TENANT_ID, or unset them to use `az login` instead.",
            code="AADSTS700016",
        )
    if "AADSTS90002" in aadsts:
        return AzwizardError(
            "The tenant in AZURE_TENANT_ID was not found",
            "Check AZURE_TENANT_ID (a GUID or a domain such as contoso.onmicrosoft.com).",
            code="AADSTS90002",
        )
    if aadsts:
        return AzwizardError(
            f"Azure refused the sign-in: {_short(_detail_line(message))}",
            FIX_LOGIN_AGAIN,
            code=_first(aadsts),
        )
    if "Failed to invoke the Azure CLI" in message:
        return AzwizardError(
            "The Azure CLI (az) did not return a sign-in token in time",
            "Run `az account get-access-token` in a terminal to see what it waits for, then retry.",
        )
    if "az login" in message and ("Please run" in message or "please run" in message):
        return AzwizardError("You are not signed in to Azure", FIX_LOGIN)
    if "Azure CLI not found" in message:
        return AzwizardError("The Azure CLI (az) is not installed or not on PATH", FIX_INSTALL_CLI)
    return AzwizardError(
        f"Could not sign in to Azure: {_short(_detail_line(message))}",
        f"Run `az login` (or check {SP_ENV_VARS}), then retry.",
    )


def _detail_line(message: str) -> str:
    """The most telling line of a (possibly chained) credential message."""
    attempts = [line.strip() for line in message.splitlines() if line.startswith("\t")]
    if attempts:
        for line in attempts:
            if line.startswith("AzureCliCredential:"):
                return line
        return attempts[-1]
    return message


# --------------------------------------------------------------------------------------------
# ARM responses (HttpResponseError and its subclasses).


def _explain_http(exc: Any) -> AzwizardError:
    status: int | None = getattr(exc, "status_code", None)
    code, message = _error_code_and_message(exc)

    if code in _WRAPPER_CODES:
        inner = _first_detail(exc)
        if inner is not None:
            code, message = inner

    if code is not None:
        known = _explain_code(code, message, status)
        if known is not None:
            return known

    detail = _short(message)
    if status == 401:
        return AzwizardError("Azure did not accept your sign-in", FIX_LOGIN_AGAIN, code=code)
    if status == 403:
        return AzwizardError(
            f"Azure refused the request: {detail}" if detail else "Azure refused the request",
            "Ask an Owner of the subscription for a role that allows this, then retry.",
            code=code,
        )
    if status == 429:
        return _throttled(code)
    if status is not None and status >= 500:
        return AzwizardError(
            f"Azure had a temporary problem (HTTP {status})",
            "Retry in a few minutes; if it persists, check https://status.azure.com.",
            code=code,
        )
    if status == 404:
        return AzwizardError(
            f"Azure could not find it: {detail}" if detail else "Azure could not find the resource",
            "It may have been deleted or never created; refresh and retry.",
            code=code,
        )
    if code is None and (not detail or detail.startswith("Operation returned an invalid status")):
        return AzwizardError(
            "An Azure operation failed without saying why",
            "Look at the resource's Activity log in the Azure portal for details, then retry.",
        )
    return AzwizardError(
        f"Azure rejected the request: {detail}" if detail else f"Azure rejected the request (HTTP {status})",
        "Change the setting the message names, then retry.",
        code=code,
    )


def _explain_code(code: str, message: str, status: int | None) -> AzwizardError | None:
    detail = _short(message)
    lowered = message.lower()

    if code in ("AuthorizationFailed", "LinkedAuthorizationFailed", "AuthorizationPermissionMismatch"):
        action = _search(r"perform action '([^']+)'", message)
        what = (
            f"Your account is not allowed to perform {action}"
            if action
            else "Your account is not allowed to do this"
        )
        return AzwizardError(
            what,
            "Ask an Owner of the subscription or resource group for a role such as Contributor, "
            "then retry (new roles can take a few minutes to apply).",
            code=code,
        )
    if code == "SubscriptionNotFound":
        sub = _search(f"({_GUID})", message)
        return AzwizardError(
            f"Subscription {sub} was not found" if sub else "The subscription was not found",
            "Check the ID with `az account list -o table`; if it belongs to another tenant, "
            "run `az login --tenant <tenant>`.",
            code=code,
        )
    if code == "InvalidSubscriptionId":
        return AzwizardError(
            "The subscription ID is not valid",
            "Use a subscription ID (a GUID) from `az account list -o table`.",
            code=code,
        )
    if code in ("DisabledSubscription", "ReadOnlyDisabledSubscription", "SubscriptionNotRegistered"):
        return AzwizardError(
            "The subscription is disabled or read-only",
            "Re-enable it in the Azure portal (Subscriptions), or choose another subscription.",
            code=code,
        )
    if code == "ResourceGroupNotFound":
        group = _search(r"[Rr]esource group '([^']+)'", message)
        return AzwizardError(
            f"Resource group '{group}' was not found" if group else "The resource group was not found",
            "Check the name and the subscription, or let azwizard create the group.",
            code=code,
        )
    if code in ("ResourceNotFound", "NotFound", "ParentResourceNotFound"):
        return AzwizardError(
            f"Azure could not find it: {detail}" if detail else "Azure could not find the resource",
            "It may have been deleted or never created; refresh and retry.",
            code=code,
        )
    if code in ("LocationNotAvailableForResourceGroup", "LocationNotAvailableForResourceType",
                "NoRegisteredProviderFound") and "location" in lowered:
        # ARM's text names the API version and lists every available region: one sentence instead, and where to
        # pick another (issue 19 item 23).
        where = _search(r"location '([^']+)'", message)
        return AzwizardError(
            f"The region {where} is not available to this subscription" if where else
            "The region is not available to this subscription",
            "Pick another region (the region picker marks the ones this subscription cannot use), or request "
            "access: https://learn.microsoft.com/troubleshoot/azure/general/region-access-request-process",
            code=code,
        )
    if code == "MissingSubscriptionRegistration":
        namespace = _search(r"namespace '([^']+)'", message) or "<namespace>"
        return AzwizardError(
            f"The subscription is not registered for {namespace}",
            f"Run `az provider register --namespace {namespace}`, wait for it to finish, then retry.",
            code=code,
        )
    if code in _QUOTA_CODES or (code == "OperationNotAllowed" and "quota" in lowered):
        return AzwizardError(
            detail or "Not enough quota for this request",
            "Request more quota (Azure portal > Quotas), or choose a smaller size, fewer nodes or "
            "another region.",
            code=code,
        )
    if code in _CAPACITY_CODES:
        return AzwizardError(
            detail or "That VM size is not available here",
            "Choose another VM size, zone or region.",
            code=code,
        )
    if code == "RequestDisallowedByPolicy":
        policy = _search(r"policy[^']*'([^']+)'", message)
        return AzwizardError(
            f"Azure Policy '{policy}' blocked this request"
            if policy
            else "An Azure Policy blocked this request",
            "Change the setting the policy requires, or ask your administrator for an exemption.",
            code=code,
        )
    if code in ("ScopeLocked", "ResourceGroupLocked"):
        return AzwizardError(
            "A resource lock prevents this change",
            "Remove the lock (`az lock list`, then `az lock delete`) or ask its owner, then retry.",
            code=code,
        )
    if code in ("AnotherOperationInProgress", "OperationPreempted", "RetryableError"):
        return AzwizardError(
            "Another operation on this resource is still running",
            "Wait for it to finish, then retry.",
            code=code,
        )
    if code in ("TooManyRequests", "SubscriptionRequestsThrottled", "TenantRequestsThrottled"):
        return _throttled(code)
    if code == "ExpiredAuthenticationToken":
        return AzwizardError("Your Azure sign-in has expired", FIX_LOGIN_AGAIN, code=code)
    if code == "InvalidAuthenticationTokenTenant":
        tenant = _search(rf"tenant 'https://[^/]+/({_GUID}|[^/']+)/?'", message)
        fix = (
            f"Run `az login --tenant {tenant}`, then retry."
            if tenant
            else ("Run `az login --tenant <the subscription's tenant>`, then retry.")
        )
        return AzwizardError("Your sign-in is for a different tenant than this subscription", fix, code=code)
    if code in ("InvalidAuthenticationToken", "AuthenticationFailed", "InvalidAuthenticationTokenAudience"):
        return AzwizardError("Azure did not accept your sign-in token", FIX_LOGIN_AGAIN, code=code)
    if code in ("OperationCanceled", "Canceled"):
        return AzwizardError(
            "The Azure operation was cancelled before it finished",
            "Check the resource in the Azure portal, then retry.",
            code=code,
        )
    if status is not None and status >= 500:
        return AzwizardError(
            f"Azure had a temporary problem: {detail}" if detail else "Azure had a temporary problem",
            "Retry in a few minutes; if it persists, check https://status.azure.com.",
            code=code,
        )
    if code == "Conflict" or code.endswith("AlreadyExists") or code == "ResourceExists":
        return AzwizardError(
            detail or "A resource with that name already exists",
            "Choose another name, or clean up the existing resource first.",
            code=code,
        )
    # Any other Azure code: its own message is the most specific thing we can say.
    if detail:
        return AzwizardError(detail, "Change the setting the message names, then retry.", code=code)
    return None


def _throttled(code: str | None) -> AzwizardError:
    return AzwizardError(
        "Azure is limiting how fast requests can be sent", "Wait a minute, then retry.", code=code
    )


def _error_code_and_message(exc: Any) -> tuple[str | None, str]:
    error = getattr(exc, "error", None)  # an ODataV4Format, or None (e.g. body-polling LRO failures)
    code = getattr(error, "code", None) if error is not None else None
    message = getattr(error, "message", None) if error is not None else None
    if not message:
        message = _message_of(exc)
        # azure-core prefixes "(Code) " and appends "Code: ...\nMessage: ..." lines; keep the first line.
        message = message.splitlines()[0] if message else ""
        if code and message.startswith(f"({code}) "):
            message = message[len(code) + 3 :]
    return (str(code) if code else None), str(message or "")


def _first_detail(exc: Any) -> tuple[str, str] | None:
    error = getattr(exc, "error", None)
    details = getattr(error, "details", None) or []
    for detail in details:
        code = getattr(detail, "code", None)
        if code:
            return str(code), str(getattr(detail, "message", "") or "")
    return None


# --------------------------------------------------------------------------------------------
# Small helpers.


def _message_of(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    return str(message) if message else str(exc)


def _aadsts_codes(message: str) -> set[str]:
    return set(re.findall(r"AADSTS\d+", message))


def _first(codes: set[str]) -> str | None:
    return sorted(codes)[0] if codes else None


def _search(pattern: str, text: str) -> str | None:
    found = re.search(pattern, text)
    return found.group(1) if found else None


def _short(text: str | None, limit: int = _MAX_DETAIL) -> str:
    """One calm line: whitespace collapsed, trace/correlation noise and long tails cut."""
    if not text:
        return ""
    text = re.split(r"\s(?:Trace ID|Correlation ID|Timestamp):", text)[0]
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
