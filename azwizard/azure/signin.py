"""Real (non-demo) sign-in, the one path the terminal UI and the headless commands share.

1. the cloud, read as the Azure CLI reads it (:mod:`.clouds`), checked against the CLI's own cloud;
2. ``DefaultAzureCredential`` for that cloud, asked for a token for the cloud's scope (a clear
   "run az login" before anything else), behind one token cache for all the session's clients;
3. the subscription (flag, environment, the CLI profile's default for that cloud, else the picker);
4. one request to Resource Manager for the subscription, which proves the token is accepted and the
   subscription exists in this cloud before any step shows live facts;
5. the tenant's name for the header (best effort).

Every failure is an :class:`AzwizardError` saying what happened and what to do. Call from a worker thread.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .arm import API_VERSIONS
from .clouds import CLOUD_ENV, Cloud, cli_active_cloud_name, resolve_cloud
from .credentials import CachedTokenCredential, default_credential
from .errors import AzwizardError, explain
from .session import AzureSession, SubscriptionPickRequired, check_sign_in, describe_tenant, open_session

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

__all__ = ["check_cli_cloud", "open_real_session", "verify_subscription"]


def open_real_session(
    subscription: str | None,
    cloud_flag: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    credential: TokenCredential | None = None,
    **client_kwargs: Any,
) -> AzureSession:
    """The signed-in session (see the module docstring). Raises :class:`SubscriptionPickRequired` when the
    user must choose a subscription, and :class:`AzwizardError` for every problem."""
    env = os.environ if env is None else env
    cloud = resolve_cloud(cloud_flag, env)
    check_cli_cloud(cloud, env)
    if credential is None:
        credential = CachedTokenCredential(default_credential(cloud=cloud))
    try:
        check_sign_in(credential, cloud.scope)
    except AzwizardError as exc:
        raise _in_cloud(exc, cloud) from exc
    try:
        session = open_session(subscription, credential=credential, env=env, cloud=cloud, **client_kwargs)
    except SubscriptionPickRequired:
        raise
    except AzwizardError as exc:
        raise _subscription_hint(exc, cloud) from exc
    verify_subscription(session)
    describe_tenant(session)
    return session


def check_cli_cloud(cloud: Cloud, env: Mapping[str, str]) -> None:
    """A cloud asked for with ``--cloud`` / ``AZURE_CLOUD`` that is not the Azure CLI's own is an error when
    the sign-in would come from az: ``az account get-access-token`` signs in to az's active cloud only, so its
    token would be for another cloud's Resource Manager. A service principal or workload identity from the
    environment signs in to ``cloud`` itself and needs no such match."""
    if cloud.source not in ("flag", "env") or _identity_from_environment(env):
        return
    cli_cloud = cli_active_cloud_name(env)
    if cli_cloud.casefold() == cloud.name.casefold():
        return
    origin = "--cloud" if cloud.source == "flag" else CLOUD_ENV
    raise AzwizardError(
        f"azwizard was asked for cloud {cloud.name} ({origin}), but the Azure CLI is set to cloud {cli_cloud}",
        f"Run `az cloud set --name {cloud.name}` and `az login`, or drop {origin} to use {cli_cloud}.",
    )


def verify_subscription(session: AzureSession) -> None:
    """``GET /subscriptions/{id}``: Resource Manager accepts the token and knows the subscription."""
    try:
        session.factory.arm().get(f"/subscriptions/{session.subscription_id}",
                                  API_VERSIONS["microsoft.resources/subscriptions"])
    except Exception as exc:
        problem = explain(exc)
        raise (_subscription_hint(problem, session.cloud) if session.cloud is not None else problem) from exc


def _subscription_hint(problem: AzwizardError, cloud: Cloud) -> AzwizardError:
    """A subscription Resource Manager does not know may be another cloud's: say which cloud was asked."""
    if problem.code != "SubscriptionNotFound":
        return problem
    return AzwizardError(
        f"{problem.what} in cloud {cloud.name}",
        f"{problem.fix} If it belongs to another cloud, pass --cloud with that cloud's name.",
        code=problem.code,
    )


def _in_cloud(problem: AzwizardError, cloud: Cloud) -> AzwizardError:
    """Name the cloud in a sign-in problem when it is not the public one (az signs in per cloud)."""
    if cloud.is_public or cloud.name in problem.what:
        return problem
    return AzwizardError(f"{problem.what} (cloud {cloud.name})", problem.fix, code=problem.code)


def _identity_from_environment(env: Mapping[str, str]) -> bool:
    """What azure-identity's EnvironmentCredential / WorkloadIdentityCredential would sign in with."""
    def has(name: str) -> bool:
        return bool(env.get(name, "").strip())

    if not (has("AZURE_CLIENT_ID") and has("AZURE_TENANT_ID")):
        return False
    return has("AZURE_CLIENT_SECRET") or has("AZURE_CLIENT_CERTIFICATE_PATH") or has("AZURE_FEDERATED_TOKEN_FILE")
