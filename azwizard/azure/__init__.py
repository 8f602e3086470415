"""Azure session layer: credentials, subscription resolution, the SDK client factory, errors.

Importing this package loads no ``azure.*`` module; SDK modules load when a client or a
credential is first built.
"""

from .credentials import StaticTokenCredential, default_credential
from .errors import AzwizardError, explain
from .profile import CliSubscription, azure_config_dir, default_cli_subscription, read_cli_profile
from .session import (
    AzureSession,
    ClientFactory,
    SubscriptionChoice,
    SubscriptionPickRequired,
    check_sign_in,
    list_subscriptions,
    open_session,
    resolve_subscription,
    session_from_choice,
)

__all__ = [
    "AzureSession",
    "AzwizardError",
    "CliSubscription",
    "ClientFactory",
    "StaticTokenCredential",
    "SubscriptionChoice",
    "SubscriptionPickRequired",
    "azure_config_dir",
    "check_sign_in",
    "default_cli_subscription",
    "default_credential",
    "explain",
    "list_subscriptions",
    "open_session",
    "read_cli_profile",
    "resolve_subscription",
    "session_from_choice",
]
