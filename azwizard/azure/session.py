"""The Azure session: which subscription, which credential, and the one factory for SDK clients.

Subscription precedence, as Azure users expect it:

1. ``--subscription`` (an ID, or the exact name of a subscription the Azure CLI knows);
2. ``AZURE_SUBSCRIPTION_ID``;
3. the Azure CLI's default subscription (``isDefault`` in ``azureProfile.json``);
4. otherwise the user picks one from ``SubscriptionClient.subscriptions.list()``:
   :func:`open_session` raises :class:`SubscriptionPickRequired` carrying the choices.

Azure SDK modules are imported inside the functions that need them, never at import time, so
importing this module (and the whole ``azwizard.azure`` package) loads no ``azure.*`` module.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .arm import API_VERSIONS
from .clouds import Cloud
from .credentials import ARM_SCOPE, StaticTokenCredential, default_credential, quiet_sdk_logging
from .errors import AzwizardError, explain
from .profile import CliSubscription, cli_profile_path, default_cli_subscription, find_cli_subscription

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.pipeline.transport import HttpTransport
    from azure.mgmt.authorization import AuthorizationManagementClient
    from azure.mgmt.compute import ComputeManagementClient
    from azure.mgmt.containerregistry import ContainerRegistryManagementClient
    from azure.mgmt.containerservice import ContainerServiceClient
    from azure.mgmt.costmanagement import CostManagementClient
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.recoveryservices import RecoveryServicesClient
    from azure.mgmt.recoveryservicesbackup import RecoveryServicesBackupClient
    from azure.mgmt.resource.locks import ManagementLockClient
    from azure.mgmt.resource.resources import ResourceManagementClient
    from azure.mgmt.resource.subscriptions import SubscriptionClient
    from azure.mgmt.resourcegraph import ResourceGraphClient

    from .arm import ArmClient

    Transport = HttpTransport[Any, Any]

__all__ = [
    "AzureSession",
    "ClientFactory",
    "SubscriptionChoice",
    "SubscriptionPickRequired",
    "SubscriptionSource",
    "check_sign_in",
    "is_subscription_id",
    "list_subscriptions",
    "open_session",
    "resolve_subscription",
    "session_from_choice",
]

SubscriptionSource = Literal["flag", "env", "cli-profile", "picker", "simulator"]
ENV_SUBSCRIPTION = "AZURE_SUBSCRIPTION_ID"

_SUBS_API = API_VERSIONS["microsoft.resources/subscriptions"]
_GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_C = TypeVar("_C")


def is_subscription_id(value: str) -> bool:
    """True when ``value`` looks like a subscription ID (a GUID)."""
    return bool(_GUID_RE.match(value.strip()))


@dataclass(frozen=True)
class SubscriptionChoice:
    """A subscription and where it came from (for the header and for error messages)."""

    id: str
    name: str | None
    tenant_id: str | None
    source: SubscriptionSource
    state: str | None = None
    tenant_label: str | None = None  # the tenant's domain or display name, when known
    user: str | None = None  # the signed-in account, when the CLI profile says


# --------------------------------------------------------------------------------------------
# Subscription resolution (offline: flag, environment, CLI profile).


TENANT_LEVEL_ACCOUNT = "N/A(tenant level account)"
"""The name ``az login --allow-no-subscriptions`` gives the tenant it signed in to when there is no
subscription (its id is the tenant's; azure-cli's ``_TENANT_LEVEL_ACCOUNT_NAME`` in ``_profile.py``)."""


def resolve_subscription(
    flag: str | None, env: Mapping[str, str] | None = None, *, cloud: str | None = None
) -> SubscriptionChoice | None:
    """The subscription to use without asking Azure, or ``None`` when the user must pick one.

    With ``cloud``, only the CLI profile's subscriptions of that cloud count (as in az). Raises
    :class:`AzwizardError` (naming the source) for a value that is not a subscription ID, for a
    tenant-level sign-in without a subscription, and for a corrupt CLI profile.
    """
    env = os.environ if env is None else env

    if flag is not None and flag.strip():
        value = flag.strip()
        if is_subscription_id(value):
            return _with_profile_details(value.lower(), "flag", env, cloud)
        by_name = [
            sub
            for sub in find_cli_subscription(value, env, cloud=cloud)
            if (sub.name or "").casefold() == value.casefold()
        ]
        if len(by_name) == 1:
            return _choice_from_cli(by_name[0], "flag")
        if len(by_name) > 1:
            raise AzwizardError(
                f"--subscription '{value}' matches {len(by_name)} subscriptions by name",
                "Pass the subscription's ID instead (see `az account list -o table`).",
            )
        raise AzwizardError(
            f"--subscription '{value}' is not a subscription ID",
            "Pass the subscription's ID (a GUID) or the exact name shown by `az account list -o table`.",
        )

    env_value = env.get(ENV_SUBSCRIPTION, "").strip()
    if env_value:
        if not is_subscription_id(env_value):
            raise AzwizardError(
                f"{ENV_SUBSCRIPTION} is set to '{env_value}', which is not a subscription ID",
                f"Set {ENV_SUBSCRIPTION} to a subscription ID (a GUID) from `az account list -o table`, "
                "or unset it.",
            )
        return _with_profile_details(env_value.lower(), "env", env, cloud)

    default = default_cli_subscription(env, cloud=cloud)
    if default is not None:
        if default.name == TENANT_LEVEL_ACCOUNT:
            raise AzwizardError(
                f"The Azure CLI is signed in to tenant {default.tenant_id or default.id} without a subscription",
                "Ask an administrator for access to a subscription and run `az login` again, or pass "
                "--subscription with a subscription you can use.",
            )
        if not is_subscription_id(default.id):
            raise AzwizardError(
                f"The Azure CLI's default subscription in {cli_profile_path(env)} has an invalid ID "
                f"'{default.id}'",
                "Run `az account set --subscription <id>`, or pass --subscription.",
            )
        return _choice_from_cli(default, "cli-profile")
    return None


def _with_profile_details(
    sub_id: str, source: SubscriptionSource, env: Mapping[str, str], cloud: str | None = None
) -> SubscriptionChoice:
    """A choice for ``sub_id``, with its name and tenant when the CLI profile knows them."""
    try:
        known = find_cli_subscription(sub_id, env, cloud=cloud)
    except AzwizardError:
        known = []  # the explicit ID does not need the profile; a corrupt one must not block it
    match = next((sub for sub in known if sub.id.casefold() == sub_id.casefold()), None)
    if match is None:
        return SubscriptionChoice(id=sub_id, name=None, tenant_id=None, source=source)
    return replace(_choice_from_cli(match, source), id=sub_id)


def _choice_from_cli(sub: CliSubscription, source: SubscriptionSource) -> SubscriptionChoice:
    return SubscriptionChoice(
        id=sub.id.lower(),
        name=sub.name,
        tenant_id=sub.tenant_id,
        source=source,
        state=sub.state,
        tenant_label=sub.tenant_default_domain or sub.tenant_display_name,
        user=sub.user,
    )


# --------------------------------------------------------------------------------------------
# The client factory.


class ClientFactory:
    """Builds every Azure SDK client with the same credential, subscription, base URL and transport.

    Each client is built once, on first use, and cached (thread-safe). ``base_url`` and
    ``transport`` are passed only when set, so production gets the SDK defaults (public ARM,
    ``RequestsTransport``) and tests or ``--demo`` get the simulator. ``client_kwargs`` go to
    every client (e.g. ``polling_interval=0``, ``retry_total=2``).
    """

    def __init__(
        self,
        credential: TokenCredential,
        subscription_id: str,
        *,
        base_url: str | None = None,
        transport: Transport | None = None,
        **client_kwargs: Any,
    ) -> None:
        self.credential = credential
        self.subscription_id = subscription_id
        self.base_url = base_url
        self.transport = transport
        self.client_kwargs: dict[str, Any] = dict(client_kwargs)
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def with_subscription(self, subscription_id: str) -> ClientFactory:
        """A new factory for another subscription, with the same credential and settings."""
        return ClientFactory(
            self.credential,
            subscription_id,
            base_url=self.base_url,
            transport=self.transport,
            **self.client_kwargs,
        )

    # One method per client. The import is inside each method on purpose (see module docstring).

    def arm(self) -> ArmClient:
        """The generic reader (GET/list by path with the type's api-version, answers as wire JSON): it loads
        none of the typed clients' generated models, so reads cost no typed client's import (azure/arm.py)."""
        from .arm import ArmClient

        return self._get("arm", ArmClient, scoped=False)

    def compute(self) -> ComputeManagementClient:
        from azure.mgmt.compute import ComputeManagementClient

        return self._get("compute", ComputeManagementClient)

    def network(self) -> NetworkManagementClient:
        from azure.mgmt.network import NetworkManagementClient

        return self._get("network", NetworkManagementClient)

    def containerservice(self) -> ContainerServiceClient:
        from azure.mgmt.containerservice import ContainerServiceClient

        return self._get("containerservice", ContainerServiceClient)

    def resources(self) -> ResourceManagementClient:
        from azure.mgmt.resource.resources import ResourceManagementClient

        return self._get("resources", ResourceManagementClient)

    def subscriptions(self) -> SubscriptionClient:
        """Tenant-level client: works before a subscription is chosen."""
        from azure.mgmt.resource.subscriptions import SubscriptionClient

        return self._get("subscriptions", SubscriptionClient, scoped=False)

    def locks(self) -> ManagementLockClient:
        from azure.mgmt.resource.locks import ManagementLockClient

        return self._get("locks", ManagementLockClient)

    def recoveryservices(self) -> RecoveryServicesClient:
        from azure.mgmt.recoveryservices import RecoveryServicesClient

        return self._get("recoveryservices", RecoveryServicesClient)

    def backup(self) -> RecoveryServicesBackupClient:
        from azure.mgmt.recoveryservicesbackup import RecoveryServicesBackupClient

        return self._get("backup", RecoveryServicesBackupClient)

    def containerregistry(self) -> ContainerRegistryManagementClient:
        from azure.mgmt.containerregistry import ContainerRegistryManagementClient

        return self._get("containerregistry", ContainerRegistryManagementClient)

    def authorization(self) -> AuthorizationManagementClient:
        from azure.mgmt.authorization import AuthorizationManagementClient

        return self._get("authorization", AuthorizationManagementClient)

    def resourcegraph(self) -> ResourceGraphClient:
        """Tenant-level client (the query names its subscriptions): Azure Resource Graph."""
        from azure.mgmt.resourcegraph import ResourceGraphClient

        return self._get("resourcegraph", ResourceGraphClient, scoped=False)

    def costmanagement(self) -> CostManagementClient:
        """Tenant-level client (the query names its scope): Cost Management's Query API (pricing/spend.py)."""
        from azure.mgmt.costmanagement import CostManagementClient

        return self._get("costmanagement", CostManagementClient, scoped=False)

    def built(self) -> list[str]:
        """Names of the clients built so far (for diagnostics and tests)."""
        with self._lock:
            return list(self._clients)

    def close(self) -> None:
        """Forget every client built so far, closing their connections. Safe to call more than once.

        An injected ``transport`` belongs to whoever passed it (the simulator, a test), so clients
        sharing it are dropped but not closed: closing a client closes its transport.
        """
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
        if self.transport is not None:
            return
        for client in clients:
            with contextlib.suppress(Exception):  # best effort; nothing useful to tell the user
                client.close()

    def __enter__(self) -> ClientFactory:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def _get(self, key: str, client_class: Callable[..., _C], *, scoped: bool = True) -> _C:
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                quiet_sdk_logging()
                client = client_class(*self._constructor_args(scoped), **self._constructor_kwargs())
                self._clients[key] = client
            return client  # type: ignore[no-any-return]

    def _constructor_args(self, scoped: bool) -> tuple[Any, ...]:
        if not scoped:
            return (self.credential,)
        if not self.subscription_id:
            raise AzwizardError(
                "No Azure subscription has been chosen yet",
                f"Pass --subscription, set {ENV_SUBSCRIPTION}, or run `az account set --subscription <id>`.",
            )
        return (self.credential, self.subscription_id)

    def _constructor_kwargs(self) -> dict[str, Any]:
        kwargs = dict(self.client_kwargs)
        if self.base_url is not None:
            kwargs["base_url"] = self.base_url
        if self.transport is not None:
            kwargs["transport"] = self.transport
        return kwargs


# --------------------------------------------------------------------------------------------
# The session.


@dataclass
class AzureSession:
    """What the app works with once signed in: the factory, the subscription and its labels."""

    factory: ClientFactory
    subscription: SubscriptionChoice
    tenant_id: str | None
    subscription_name: str | None
    simulated: bool = False
    tenant_label: str | None = None
    user: str | None = None
    cloud: Cloud | None = None  # None: the SDK's defaults (public cloud), or the simulator in demo

    @property
    def subscription_id(self) -> str:
        return self.subscription.id

    @property
    def credential(self) -> TokenCredential:
        return self.factory.credential

    def header_label(self) -> str:
        """E.g. ``Contoso Dev (5a1b2c3d…) · tenant contoso.onmicrosoft.com``; ``SIMULATED · …`` in demo;
        ``cloud AzureUSGovernment · …`` for any cloud but the public one (first, so a narrow header keeps it)."""
        sub_id = self.subscription.id
        label = f"{self.subscription_name} ({sub_id[:8]}…)" if self.subscription_name else sub_id
        tenant = self.tenant_label or self.tenant_id
        if tenant:
            label += f" · tenant {tenant}"
        if self.cloud is not None and not self.cloud.is_public:
            label = f"cloud {self.cloud.name} · {label}"
        if self.simulated:
            label = f"SIMULATED · {label}"
        return label

    def close(self) -> None:
        self.factory.close()


class SubscriptionPickRequired(AzwizardError):
    """Nothing chose a subscription: the UI shows ``choices`` and calls :meth:`pick`."""

    def __init__(
        self,
        choices: list[SubscriptionChoice],
        *,
        credential: TokenCredential | None = None,
        base_url: str | None = None,
        transport: Transport | None = None,
        simulated: bool = False,
        client_kwargs: Mapping[str, Any] | None = None,
        cloud: Cloud | None = None,
    ) -> None:
        super().__init__(
            "Choose an Azure subscription",
            f"Pick one from the list, or pass --subscription, set {ENV_SUBSCRIPTION}, or run "
            "`az account set --subscription <id>`.",
        )
        self.choices = list(choices)
        self.credential = credential
        self.base_url = base_url
        self.transport = transport
        self.simulated = simulated
        self.client_kwargs = dict(client_kwargs or {})
        self.cloud = cloud

    def pick(self, choice: SubscriptionChoice) -> AzureSession:
        """The session for the subscription the user picked (same credential and settings)."""
        return session_from_choice(
            replace(choice, source="picker") if not self.simulated else choice,
            credential=self.credential,
            base_url=self.base_url,
            transport=self.transport,
            simulated=self.simulated,
            cloud=self.cloud,
            **self.client_kwargs,
        )


def list_subscriptions(
    credential: TokenCredential,
    *,
    base_url: str | None = None,
    transport: Transport | None = None,
    **client_kwargs: Any,
) -> list[SubscriptionChoice]:
    """Every subscription this sign-in can see, enabled ones first, then by name.

    Raises :class:`AzwizardError` (through :func:`explain`) on failure, and when the list is empty.
    """
    factory = ClientFactory(credential, "", base_url=base_url, transport=transport, **client_kwargs)
    try:
        found = [_choice_from_wire(sub, "picker") for sub in factory.arm().list_items("/subscriptions", _SUBS_API)]
    except AzwizardError:
        raise
    except Exception as exc:
        raise explain(exc) from exc
    finally:
        factory.close()
    unique: dict[str, SubscriptionChoice] = {}
    for choice in found:
        if choice.id:
            unique.setdefault(choice.id.casefold(), choice)
    if not unique:
        raise AzwizardError(
            "No Azure subscriptions are visible to this sign-in",
            "Sign in with an account that has one (`az login`, or `az login --tenant <tenant>` for "
            "another directory), or ask an administrator for access to a subscription.",
        )
    return sorted(
        unique.values(),
        key=lambda c: ((c.state or "Enabled").casefold() != "enabled", (c.name or c.id).casefold()),
    )


def check_sign_in(credential: TokenCredential, scope: str = ARM_SCOPE) -> None:
    """Ask the credential for an ARM token (``scope``: the cloud's); raise a friendly :class:`AzwizardError`
    if it can't.

    Blocks for at most the credential's own timeouts (``process_timeout`` for ``az``), so call it
    from a worker thread.
    """
    try:
        credential.get_token(scope)
    except Exception as exc:
        raise explain(exc) from exc


def open_session(
    flag_subscription: str | None,
    *,
    credential: TokenCredential | None = None,
    env: Mapping[str, str] | None = None,
    base_url: str | None = None,
    transport: Transport | None = None,
    simulated: bool = False,
    cloud: Cloud | None = None,
    **client_kwargs: Any,
) -> AzureSession:
    """Resolve the subscription and build the session.

    Raises :class:`SubscriptionPickRequired` (with the choices) when neither the flag, the
    environment nor the CLI profile names a subscription, and :class:`AzwizardError` for every
    other failure. A simulated session never reads the real CLI profile or environment: it uses
    the flag, else the first subscription the simulator lists. With ``cloud``, every client talks to
    its Resource Manager endpoint with its token scope, and only its CLI profile entries count.
    """
    base_url, client_kwargs = _cloud_settings(cloud, base_url, client_kwargs)
    if credential is None:
        credential = StaticTokenCredential() if simulated else default_credential(cloud=cloud)

    if simulated:
        choice: SubscriptionChoice | None = None
        if flag_subscription and flag_subscription.strip():
            value = flag_subscription.strip()
            if not is_subscription_id(value):
                raise AzwizardError(
                    f"--subscription '{value}' is not a subscription ID",
                    "Pass the subscription's ID (a GUID).",
                )
            choice = SubscriptionChoice(id=value.lower(), name=None, tenant_id=None, source="simulator")
        else:
            listed = list_subscriptions(credential, base_url=base_url, transport=transport, **client_kwargs)
            choice = replace(listed[0], source="simulator")
    else:
        choice = resolve_subscription(flag_subscription, env, cloud=cloud.name if cloud is not None else None)
        if choice is None:
            choices = list_subscriptions(credential, base_url=base_url, transport=transport, **client_kwargs)
            raise SubscriptionPickRequired(
                choices,
                credential=credential,
                base_url=base_url,
                transport=transport,
                simulated=False,
                client_kwargs=client_kwargs,
                cloud=cloud,
            )
    return session_from_choice(
        choice,
        credential=credential,
        base_url=base_url,
        transport=transport,
        simulated=simulated,
        cloud=cloud,
        **client_kwargs,
    )


def _cloud_settings(
    cloud: Cloud | None, base_url: str | None, client_kwargs: dict[str, Any]
) -> tuple[str | None, dict[str, Any]]:
    """The cloud's Resource Manager endpoint and token scope as client settings (explicit ones win)."""
    if cloud is None:
        return base_url, client_kwargs
    kwargs = dict(client_kwargs)
    kwargs.setdefault("credential_scopes", [cloud.scope])
    return base_url or cloud.resource_manager, kwargs


def session_from_choice(
    choice: SubscriptionChoice,
    *,
    credential: TokenCredential | None = None,
    base_url: str | None = None,
    transport: Transport | None = None,
    simulated: bool = False,
    cloud: Cloud | None = None,
    **client_kwargs: Any,
) -> AzureSession:
    """The session for an already chosen subscription.

    When the choice lacks the subscription's name or tenant (an ID from the flag or the
    environment that the CLI profile does not list), they are read with
    ``SubscriptionClient.subscriptions.get``, which also proves the subscription exists and the
    sign-in works.
    """
    base_url, client_kwargs = _cloud_settings(cloud, base_url, client_kwargs)
    if credential is None:
        credential = StaticTokenCredential() if simulated else default_credential(cloud=cloud)
    factory = ClientFactory(credential, choice.id, base_url=base_url, transport=transport, **client_kwargs)
    if choice.name is None or choice.tenant_id is None:
        try:
            found = _choice_from_wire(factory.arm().get(f"/subscriptions/{choice.id}", _SUBS_API), choice.source)
        except Exception as exc:
            raise explain(exc) from exc
        choice = replace(
            choice,
            name=choice.name or found.name,
            tenant_id=choice.tenant_id or found.tenant_id,
            state=choice.state or found.state,
        )
    return AzureSession(
        factory=factory,
        subscription=choice,
        tenant_id=choice.tenant_id,
        subscription_name=choice.name,
        simulated=simulated,
        tenant_label=choice.tenant_label,
        user=choice.user,
        cloud=cloud,
    )


def _choice_from_wire(sub: Mapping[str, Any], source: SubscriptionSource) -> SubscriptionChoice:
    """A subscription as ARM lists it (``subscriptionId``, ``displayName``, ``tenantId``, ``state``:
    https://learn.microsoft.com/rest/api/resources/subscriptions/list)."""
    state = sub.get("state")
    sub_id = sub.get("subscriptionId") or str(sub.get("id") or "").rsplit("/", 1)[-1]
    return SubscriptionChoice(
        id=str(sub_id).lower(),
        name=sub.get("displayName"),
        tenant_id=sub.get("tenantId"),
        source=source,
        state=str(state) if state is not None else None,
    )


def describe_tenant(session: AzureSession) -> None:
    """Fill ``session.tenant_label`` with the tenant's default domain (``contoso.onmicrosoft.com``) from
    ``SubscriptionClient.tenants.list()``, when the CLI profile did not say. Best effort: the header
    falls back to the tenant id if this fails."""
    if session.tenant_label or not session.tenant_id:
        return
    try:
        for tenant in session.factory.arm().list_items("/tenants", _SUBS_API):
            if str(tenant.get("tenantId") or "").lower() == session.tenant_id.lower():
                session.tenant_label = tenant.get("defaultDomain") or tenant.get("displayName") or None
                return
    except Exception:  # a label is not worth failing the sign-in for
        return
