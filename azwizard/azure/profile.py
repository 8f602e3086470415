"""Read the Azure CLI's subscription list (``azureProfile.json``) without running ``az``.

``az login`` and ``az account set`` keep the subscriptions the CLI knows, and which one is the
default, in ``$AZURE_CONFIG_DIR/azureProfile.json`` (``~/.azure`` when the variable is unset).
The CLI writes that file with a UTF-8 byte-order mark, so it is read as ``utf-8-sig``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AzwizardError

__all__ = [
    "PROFILE_FILE",
    "CliSubscription",
    "azure_config_dir",
    "cli_profile_path",
    "default_cli_subscription",
    "find_cli_subscription",
    "read_cli_profile",
]

PROFILE_FILE = "azureProfile.json"


@dataclass(frozen=True)
class CliSubscription:
    """One entry of ``azureProfile.json``'s ``subscriptions`` list."""

    id: str
    name: str | None
    tenant_id: str | None
    is_default: bool
    user: str | None
    state: str | None
    tenant_default_domain: str | None = None
    tenant_display_name: str | None = None
    environment_name: str | None = None


def azure_config_dir(env: Mapping[str, str] | None = None) -> Path:
    """The Azure CLI's configuration folder: ``$AZURE_CONFIG_DIR``, else ``~/.azure``."""
    env = os.environ if env is None else env
    configured = env.get("AZURE_CONFIG_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    home = env.get("HOME", "").strip()
    return (Path(home) if home else Path.home()) / ".azure"


def cli_profile_path(env: Mapping[str, str] | None = None) -> Path:
    return azure_config_dir(env) / PROFILE_FILE


def read_cli_profile(env: Mapping[str, str] | None = None, *, cloud: str | None = None) -> list[CliSubscription]:
    """All subscriptions the Azure CLI knows, in the file's order; with ``cloud``, only that cloud's.

    The profile holds the subscriptions of every cloud az was signed in to, each with its
    ``environmentName``; az itself only uses the active cloud's (azure-cli's
    ``Profile.load_cached_subscriptions``, https://github.com/Azure/azure-cli/blob/dev/src/azure-cli-core/
    azure/cli/core/_profile.py). An entry without ``environmentName`` (an old profile) counts for any cloud.

    A missing (or empty) file means the CLI was never signed in: ``[]``. A file that is not
    valid JSON raises :class:`AzwizardError` naming the file and how to repair it.
    """
    path = cli_profile_path(env)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise AzwizardError(
            f"Could not read the Azure CLI profile {path} ({type(exc).__name__})",
            "Check the file's permissions, or delete it and run `az login` again.",
        ) from exc
    if not raw.strip():
        return []
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AzwizardError(
            f"The Azure CLI profile {path} is not valid JSON ({exc.msg}, line {exc.lineno})",
            "Delete the file and run `az login` again, or pass --subscription / set AZURE_SUBSCRIPTION_ID.",
        ) from exc
    if not isinstance(document, dict):
        raise AzwizardError(
            f"The Azure CLI profile {path} has an unexpected shape (not a JSON object)",
            "Delete the file and run `az login` again, or pass --subscription / set AZURE_SUBSCRIPTION_ID.",
        )
    entries = document.get("subscriptions") or []
    if not isinstance(entries, list):
        return []
    subs = [sub for sub in (_parse_entry(entry) for entry in entries) if sub is not None]
    if cloud is None:
        return subs
    return [sub for sub in subs if sub.environment_name is None or sub.environment_name.casefold() == cloud.casefold()]


def default_cli_subscription(
    env: Mapping[str, str] | None = None, *, cloud: str | None = None
) -> CliSubscription | None:
    """The subscription ``az account show`` would use (``isDefault: true``), if any."""
    for sub in read_cli_profile(env, cloud=cloud):
        if sub.is_default:
            return sub
    return None


def find_cli_subscription(
    id_or_name: str, env: Mapping[str, str] | None = None, *, cloud: str | None = None
) -> list[CliSubscription]:
    """Profile entries whose id or name equals ``id_or_name`` (case-insensitive), deduplicated."""
    wanted = id_or_name.strip().casefold()
    found: dict[str, CliSubscription] = {}
    for sub in read_cli_profile(env, cloud=cloud):
        if sub.id.casefold() == wanted or (sub.name or "").casefold() == wanted:
            found.setdefault(sub.id.casefold(), sub)
    return list(found.values())


def _parse_entry(entry: Any) -> CliSubscription | None:
    if not isinstance(entry, dict):
        return None
    sub_id = entry.get("id")
    if not isinstance(sub_id, str) or not sub_id.strip():
        return None
    user = entry.get("user")
    user_name = user.get("name") if isinstance(user, dict) else None
    return CliSubscription(
        id=sub_id.strip(),
        name=_text(entry.get("name")),
        tenant_id=_text(entry.get("tenantId")),
        is_default=entry.get("isDefault") is True,
        user=_text(user_name),
        state=_text(entry.get("state")),
        tenant_default_domain=_text(entry.get("tenantDefaultDomain")),
        tenant_display_name=_text(entry.get("tenantDisplayName")),
        environment_name=_text(entry.get("environmentName")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
