"""Microsoft.ContainerRegistry admin credentials and usages: ``listCredentials``, ``regenerateCredential``
(POST) and ``listUsages`` (GET).

Shapes as the az CLI recording shows them (Azure/azure-cli ``src/azure-cli/azure/cli/command_modules/acr/tests/
latest/recordings/test_acr_create_with_managed_registry.yaml``, api 2022-02-01-preview):
``{"username": <registry name>, "passwords": [{"name": "password", "value": ...}, {"name": "password2", ...}]}``;
regenerating one password leaves the other as it was. Without the admin user Azure refuses with 400
``UnAuthorizedForCredentialOperations`` (verbatim in hashicorp/terraform-provider-azurerm#21440). The passwords
are random per registry (52 characters with ACR's ``+ACR`` marker, like the recorded ones); they are answered
only to these two calls, never logged, and kept in the registry's private state so they survive restarts.

Usages: the recorded Premium answer; Basic and Standard take the limits of the SKU table
(https://learn.microsoft.com/azure/container-registry/container-registry-skus#service-tier-features-and-limits:
included storage 10/100/500 GiB, webhooks 2/10/500, scope maps and tokens 100/500/50000; geo-replication,
IP and VNet rules and private endpoints are Premium features).
"""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING, Any

from .. import ids
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from .containerregistry import NS, REG

if TYPE_CHECKING:
    from ..core import ArmSim

_NAMES = ("password", "password2")
_GIB = 1024**3
_LIMITS: dict[str, dict[str, int]] = {
    "Basic": {"Size": 10 * _GIB, "Webhooks": 2, "Geo-replications": 0, "IPRules": 0, "VNetRules": 0,
              "PrivateEndpointConnections": 0, "ScopeMaps": 100, "Tokens": 100},
    "Standard": {"Size": 100 * _GIB, "Webhooks": 10, "Geo-replications": 0, "IPRules": 0, "VNetRules": 0,
                 "PrivateEndpointConnections": 0, "ScopeMaps": 500, "Tokens": 500},
    "Premium": {"Size": 500 * _GIB, "Webhooks": 500, "Geo-replications": -1, "IPRules": 100, "VNetRules": 100,
                "PrivateEndpointConnections": 200, "ScopeMaps": 50000, "Tokens": 50000},
}


def _password() -> str:
    raw = base64.b64encode(secrets.token_bytes(36)).decode()  # 48 characters
    return f"{raw[:42]}+ACR{raw[42:48]}"


def _registry(sim: ArmSim, rg: str, name: str) -> dict[str, Any]:
    sim.require_group(rg)
    return sim.require(ids.resource_id(sim.subscription_id, rg, NS, "registries", name))


def _credentials(sim: ArmSim, registry: dict[str, Any]) -> dict[str, str]:
    if not registry["properties"].get("adminUserEnabled"):
        raise ArmError(400, "UnAuthorizedForCredentialOperations",
                       f"Cannot perform credential operations for {registry['id']} as admin user is disabled. Kindly "
                       "enable admin user as per docs: https://docs.microsoft.com/en-us/azure/container-registry/"
                       "container-registry-authentication#admin-account")
    creds: dict[str, str] = registry.setdefault("_credentials", {})
    for n in _NAMES:
        creds.setdefault(n, _password())
    sim.save(registry["id"], registry)
    return creds


def _answer(registry: dict[str, Any], creds: dict[str, str]) -> ArmResponse:
    return ArmResponse(200, {"username": registry["name"],
                             "passwords": [{"name": n, "value": creds[n]} for n in _NAMES]})


@route("POST", REG + "/listCredentials")
def list_credentials(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    registry = _registry(sim, rg, name)
    return _answer(registry, _credentials(sim, registry))


@route("POST", REG + "/regenerateCredential")
def regenerate_credential(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    registry = _registry(sim, rg, name)
    sim.check_locks(registry["id"], "write")
    which = str((req.json() or {}).get("name") or "")
    if which not in _NAMES:
        # [inferred] an unknown PasswordName enum value fails deserialization, as other enums do.
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: 'Error converting value "
                       f"\"{which}\" to type 'PasswordName'. Path 'name'.'.")
    creds = _credentials(sim, registry)
    creds[which] = _password()
    sim.save(registry["id"], registry)
    return _answer(registry, creds)


@route("GET", REG + "/listUsages")
def list_usages(sim: ArmSim, req: ArmRequest, sub: str, rg: str, name: str) -> ArmResponse:
    registry = _registry(sim, rg, name)
    limits = _LIMITS.get(str(registry["sku"]["name"]), _LIMITS["Basic"])
    return ArmResponse(200, {"value": [
        {"name": usage, "limit": limit, "currentValue": 0, "unit": "Bytes" if usage == "Size" else "Count"}
        for usage, limit in limits.items()]})
