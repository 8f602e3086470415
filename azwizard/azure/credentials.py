"""Credentials: the real chain Azure users expect, and a fixed one for the simulator.

Nothing here imports azure-identity or azure-core until a credential is built or a token is
asked for. Tokens are never logged, printed or put in an error message.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from .errors import AzwizardError

if TYPE_CHECKING:
    from azure.core.credentials import AccessToken, AccessTokenInfo, TokenCredential, TokenRequestOptions

    from .clouds import Cloud

__all__ = [
    "ARM_SCOPE",
    "CachedTokenCredential",
    "PROCESS_TIMEOUT_S",
    "SIM_TOKEN",
    "StaticTokenCredential",
    "default_credential",
    "quiet_sdk_logging",
]

ARM_SCOPE = "https://management.azure.com/.default"
PROCESS_TIMEOUT_S = 15
"""Seconds each developer tool (``az``, ``pwsh``, ``azd``) gets to hand over a token. A cold ``az``
on a slow laptop takes a few seconds; a hung one must not freeze the sign-in check for long."""

SIM_TOKEN = "azwizard-sim-token"


def quiet_sdk_logging() -> None:
    """Keep the SDK's own log lines off the terminal unless the app configures logging.

    ``DefaultAzureCredential`` logs a multi-line WARNING for every failed sign-in; with no handler
    configured, Python's last-resort handler would print it over the UI. A ``NullHandler`` on the
    ``azure`` logger stops that while still passing records to any handler the app sets up.
    """
    logger = logging.getLogger("azure")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def default_credential(
    *, process_timeout: int = PROCESS_TIMEOUT_S, cloud: Cloud | None = None, **overrides: Any
) -> TokenCredential:
    """``DefaultAzureCredential`` as Azure users expect it, minus the interactive browser.

    Service-principal environment variables, workload and managed identity, ``az login``,
    Azure PowerShell and ``azd auth login`` all work, in the SDK's usual order. The environment
    variable ``AZURE_TOKEN_CREDENTIALS`` (``dev``, ``prod`` or one credential's class name)
    narrows the chain as the SDK documents. With a ``cloud`` other than the public one, every credential
    that signs in itself (service principal, workload identity) uses that cloud's Microsoft Entra
    authority; the Azure CLI, PowerShell and azd use their own cloud setting (see
    https://learn.microsoft.com/azure/developer/python/sdk/azure-sdk-sovereign-domain). ``overrides`` go to
    ``DefaultAzureCredential``
    unchanged (tests pass ``exclude_managed_identity_credential=True``); note that an explicit
    ``exclude_*`` keyword wins over ``AZURE_TOKEN_CREDENTIALS``.
    """
    from azure.identity import DefaultAzureCredential

    quiet_sdk_logging()
    kwargs: dict[str, Any] = {
        "exclude_interactive_browser_credential": True,
        "process_timeout": process_timeout,
    }
    if cloud is not None and not cloud.is_public:
        kwargs["authority"] = cloud.authority  # an https URL; azure-identity takes a host or a URL
    kwargs.update(overrides)
    try:
        return DefaultAzureCredential(**kwargs)
    except ValueError as exc:  # e.g. an unknown AZURE_TOKEN_CREDENTIALS value
        raise AzwizardError(
            f"The Azure sign-in settings are not valid: {exc}",
            "Unset AZURE_TOKEN_CREDENTIALS, or set it to dev, prod or a credential name such as "
            "AzureCliCredential.",
        ) from exc


REFRESH_MARGIN_S = 300
"""A cached token is handed out while it has more than this left (azure-core's own policies refresh 300 s
before expiry, ``azure.core.pipeline.policies._authentication._should_refresh_token``)."""


class CachedTokenCredential:
    """One token per scope for every SDK client of a session.

    Each SDK client keeps its own bearer-token policy, and ``AzureCliCredential`` runs
    ``az account get-access-token`` (about a second) for every token it is asked for, so a plan that touches
    ten clients would run az ten times. This wrapper asks the wrapped credential once per (scopes, tenant,
    CAE) and hands the same token to everyone until it is close to expiry. A request with ``claims`` (a
    Continuous Access Evaluation challenge) always goes to the wrapped credential, and its answer replaces
    the cached one. Tokens live in memory only and never appear in ``repr``.
    """

    def __init__(self, credential: TokenCredential, *, refresh_margin_s: int = REFRESH_MARGIN_S) -> None:
        self.credential = credential
        self._margin = refresh_margin_s
        self._tokens: dict[tuple[tuple[str, ...], str | None, bool], AccessToken] = {}
        self._lock = threading.Lock()

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        key = (tuple(scopes), tenant_id, enable_cae)
        with self._lock:  # one az run at a time: the first caller fetches, the others reuse its token
            cached = self._tokens.get(key)
            if claims is None and cached is not None and cached.expires_on - time.time() > self._margin:
                return cached
            extra: dict[str, Any] = dict(kwargs)
            if claims is not None:
                extra["claims"] = claims
            if tenant_id is not None:
                extra["tenant_id"] = tenant_id
            if enable_cae:
                extra["enable_cae"] = enable_cae
            token = self.credential.get_token(*scopes, **extra)
            self._tokens[key] = token
            return token

    def close(self) -> None:
        close = getattr(self.credential, "close", None)
        if callable(close):
            close()

    def __enter__(self) -> CachedTokenCredential:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def __repr__(self) -> str:  # never show a token
        return f"{type(self).__name__}({type(self.credential).__name__})"


class StaticTokenCredential:
    """A credential for the simulator: always the same harmless token, valid for an hour.

    Satisfies ``azure.core.credentials.TokenCredential`` and ``SupportsTokenInfo``. It records the
    scopes it was asked for (never the token) so tests can check what the SDK requested.
    """

    def __init__(self, token: str = SIM_TOKEN, *, lifetime_s: int = 3600) -> None:
        self._token = token
        self._lifetime_s = lifetime_s
        self._lock = threading.Lock()
        self.requested_scopes: list[tuple[str, ...]] = []

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        from azure.core.credentials import AccessToken

        self._record(scopes)
        return AccessToken(self._token, int(time.time()) + self._lifetime_s)

    def get_token_info(self, *scopes: str, options: TokenRequestOptions | None = None) -> AccessTokenInfo:
        from azure.core.credentials import AccessTokenInfo

        self._record(scopes)
        return AccessTokenInfo(self._token, int(time.time()) + self._lifetime_s)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> StaticTokenCredential:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def __repr__(self) -> str:  # never show the token
        return f"{type(self).__name__}(lifetime_s={self._lifetime_s})"

    def _record(self, scopes: tuple[str, ...]) -> None:
        with self._lock:
            self.requested_scopes.append(tuple(scopes))


if TYPE_CHECKING:  # mypy proves the simulator credential satisfies both SDK protocols
    from azure.core.credentials import SupportsTokenInfo

    _as_token_credential: TokenCredential = StaticTokenCredential()
    _cached_as_token_credential: TokenCredential = CachedTokenCredential(StaticTokenCredential())
    _as_token_info: SupportsTokenInfo = StaticTokenCredential()
