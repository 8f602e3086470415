"""Which Azure cloud to talk to, read the way the Azure CLI reads it.

Precedence (first that is set wins):

1. ``--cloud NAME``;
2. ``AZURE_CLOUD`` (azwizard's own variable);
3. ``AZURE_CLOUD_NAME`` (the Azure CLI's own override of its ``[cloud] name`` setting: knack maps every
   ``[section] option`` of ``$AZURE_CONFIG_DIR/config`` to ``AZURE_<SECTION>_<OPTION>``);
4. ``[cloud] name`` in ``$AZURE_CONFIG_DIR/config`` (what ``az cloud set --name`` writes);
5. ``AzureCloud``.

A name is looked up among the built-in clouds, then among the clouds ``az cloud register`` wrote to
``$AZURE_CONFIG_DIR/clouds.config``: an INI file with one section per cloud and options
``endpoint_<name>`` / ``suffix_<name>`` (``endpoint_resource_manager``, ``endpoint_active_directory``,
``endpoint_active_directory_resource_id``, ...), applied on top of the built-in values exactly as
azure-cli's ``get_clouds`` does
(https://github.com/Azure/azure-cli/blob/dev/src/azure-cli-core/azure/cli/core/cloud.py).

Each cloud gives every SDK client its Resource Manager endpoint (``base_url``) and token scope
(``credential_scopes``), and every credential its Microsoft Entra authority, as Microsoft's multicloud
guide for the Python libraries shows
(https://learn.microsoft.com/azure/developer/python/sdk/azure-sdk-sovereign-domain).
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .errors import AzwizardError
from .profile import azure_config_dir

__all__ = [
    "AZURE_CHINA_CLOUD",
    "AZURE_PUBLIC_CLOUD",
    "AZURE_US_GOVERNMENT",
    "CLOUD_ENV",
    "KNOWN_CLOUDS",
    "Cloud",
    "CloudSource",
    "cli_active_cloud_name",
    "resolve_cloud",
]

CloudSource = Literal["flag", "env", "cli-config", "default"]
CLOUD_ENV = "AZURE_CLOUD"
CLI_CLOUD_ENV = "AZURE_CLOUD_NAME"
CONFIG_FILE = "config"
CLOUDS_FILE = "clouds.config"


@dataclass(frozen=True)
class Cloud:
    """One Azure cloud: where Resource Manager is, who signs tokens for it, and the token scope."""

    name: str
    resource_manager: str  # ARM's base URL, e.g. https://management.azure.com/
    authority: str  # the Microsoft Entra authority host URL, e.g. https://login.microsoftonline.com
    scope: str  # what a credential is asked for, e.g. https://management.azure.com/.default
    source: CloudSource = "default"
    registered: bool = False  # from clouds.config (az cloud register), not built in

    @property
    def is_public(self) -> bool:
        return self.name == AZURE_PUBLIC_CLOUD.name


# The built-in clouds. Resource Manager endpoints and token scopes are azure-mgmt-core's own table
# (azure.mgmt.core.tools.get_arm_endpoints, https://github.com/Azure/azure-sdk-for-python/blob/main/sdk/core/
# azure-mgmt-core/azure/mgmt/core/tools.py); authority hosts are azure-identity's AzureAuthorityHosts and
# azure-cli's `endpoint_active_directory` for the same clouds (cloud.py above). Microsoft Cloud Germany
# closed in 2021 and is not offered.
AZURE_PUBLIC_CLOUD = Cloud(
    "AzureCloud",
    resource_manager="https://management.azure.com/",
    authority="https://login.microsoftonline.com",
    scope="https://management.azure.com/.default",
)
AZURE_US_GOVERNMENT = Cloud(
    "AzureUSGovernment",
    resource_manager="https://management.usgovcloudapi.net/",
    authority="https://login.microsoftonline.us",
    scope="https://management.core.usgovcloudapi.net/.default",
)
AZURE_CHINA_CLOUD = Cloud(
    "AzureChinaCloud",
    resource_manager="https://management.chinacloudapi.cn/",
    authority="https://login.chinacloudapi.cn",
    scope="https://management.chinacloudapi.cn/.default",
)
KNOWN_CLOUDS = (AZURE_PUBLIC_CLOUD, AZURE_US_GOVERNMENT, AZURE_CHINA_CLOUD)


def cli_active_cloud_name(env: Mapping[str, str] | None = None) -> str:
    """The cloud ``az`` itself uses: ``AZURE_CLOUD_NAME``, else ``[cloud] name`` of its config file, else
    ``AzureCloud`` (azure-cli's ``get_active_cloud_name``)."""
    env = os.environ if env is None else env
    from_env = env.get(CLI_CLOUD_ENV, "").strip()
    if from_env:
        return from_env
    parser = _read_ini(azure_config_dir(env) / CONFIG_FILE, "The Azure CLI's settings file")
    name = parser.get("cloud", "name", fallback="").strip() if parser.has_section("cloud") else ""
    return name or AZURE_PUBLIC_CLOUD.name


def resolve_cloud(flag: str | None = None, env: Mapping[str, str] | None = None) -> Cloud:
    """The cloud azwizard talks to (see the module docstring for the precedence).

    Raises :class:`AzwizardError` for a cloud that is neither built in nor registered with the Azure CLI,
    for a registered cloud without a Resource Manager endpoint, and for an unreadable settings file.
    """
    env = os.environ if env is None else env
    name: str
    source: CloudSource
    if flag is not None and flag.strip():
        name, source, origin = flag.strip(), "flag", "--cloud"
    elif env.get(CLOUD_ENV, "").strip():
        name, source, origin = env[CLOUD_ENV].strip(), "env", CLOUD_ENV
    else:
        name = cli_active_cloud_name(env)
        from_config = name != AZURE_PUBLIC_CLOUD.name or bool(env.get(CLI_CLOUD_ENV, "").strip())
        source = "cli-config" if from_config else "default"
        origin = "the Azure CLI's active cloud (az cloud set)"
    clouds = _all_clouds(env)
    found = next((c for c in clouds if c.name == name), None) or next(
        (c for c in clouds if c.name.casefold() == name.casefold()), None
    )
    if found is None:
        known = ", ".join(c.name for c in clouds)
        raise AzwizardError(
            f"Unknown Azure cloud '{name}' (from {origin})",
            f"Use one of {known}, or register it first with `az cloud register --name {name} "
            "--endpoint-resource-manager <url> ...`.",
        )
    return replace(found, source=source)


def _all_clouds(env: Mapping[str, str]) -> list[Cloud]:
    """Built-in clouds with clouds.config applied on top, then the registered ones, as az lists them."""
    path = azure_config_dir(env) / CLOUDS_FILE
    parser = _read_ini(path, "The Azure CLI's registered clouds file")
    clouds: list[Cloud] = []
    for known in KNOWN_CLOUDS:
        section = parser[known.name] if parser.has_section(known.name) else None
        clouds.append(_apply(known, section, path) if section is not None else known)
    known_names = {c.name for c in KNOWN_CLOUDS}
    for name in parser.sections():
        if name not in known_names:
            clouds.append(_apply(None, parser[name], path, name=name))
    return clouds


def _apply(base: Cloud | None, section: configparser.SectionProxy, path: object, *, name: str = "") -> Cloud:
    arm = section.get("endpoint_resource_manager", "").strip()
    authority = section.get("endpoint_active_directory", "").strip()
    audience = section.get("endpoint_active_directory_resource_id", "").strip()
    if base is not None:
        if not (arm or authority or audience):
            return base
        arm = arm or base.resource_manager
        authority = authority or base.authority
        # A changed endpoint on a built-in cloud: the token audience follows az's value when given.
        scope = _scope_for(audience) if audience else base.scope
        return replace(base, resource_manager=arm, authority=authority, scope=scope)
    if not arm:
        raise AzwizardError(
            f"The registered cloud '{name}' in {path} has no Resource Manager endpoint",
            f"Run `az cloud update --name {name} --endpoint-resource-manager <url>`, or choose another cloud.",
        )
    # A registered cloud's tokens are for its `active_directory_resource_id` (the audience az itself asks for;
    # Azure Stack Hub documents the same for the Python libraries:
    # https://learn.microsoft.com/azure-stack/user/azure-stack-version-profiles-python); without one, the
    # Resource Manager URL is the audience, as for the built-in clouds.
    return Cloud(
        name,
        resource_manager=arm,
        authority=authority or AZURE_PUBLIC_CLOUD.authority,
        scope=_scope_for(audience or arm),
        registered=True,
    )


def _scope_for(resource: str) -> str:
    """A v1 resource id as a v2 scope: ``<resource>/.default``. Like azure-cli's ``resource_to_scopes`` the
    resource is kept as written, so ``https://management.core.windows.net/`` becomes
    ``https://management.core.windows.net//.default`` (Entra matches that audience with its trailing slash)."""
    return f"{resource}/.default"


def _read_ini(path: object, what: str) -> configparser.ConfigParser:
    # interpolation off: az writes values verbatim (URLs may hold '%'); az reads its files as UTF-8.
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(str(path), encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise AzwizardError(
            f"{what} {path} could not be read ({type(exc).__name__})",
            "Repair or delete the file (az recreates it), or pass --cloud AzureCloud.",
        ) from exc
    except OSError as exc:
        raise AzwizardError(
            f"{what} {path} could not be read ({exc.strerror or type(exc).__name__})",
            "Check the file's permissions.",
        ) from exc
    return parser
