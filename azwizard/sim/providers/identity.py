"""The few Microsoft Entra endpoints a real client needs to sign in to the simulator.

MSAL (inside the Azure CLI) fetches the tenant's OpenID configuration, then asks the token endpoint
for a client-credentials token (see shared docs/az-cli-against-sim.md). Tokens are JWT-shaped, HMAC-
signed with a key only this simulator holds, so they are accepted here and nowhere else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from ..wire import ArmError, ArmRequest, ArmResponse

if TYPE_CHECKING:
    from ..core import ArmSim

_OIDC = re.compile(r"^/(?P<tenant>[^/]+)(?:/v2\.0)?/\.well-known/openid-configuration$", re.I)
_TOKEN = re.compile(r"^/(?P<tenant>[^/]+)/oauth2(?:/v2\.0)?/token$", re.I)
_DISCOVERY = re.compile(r"^/(?:common|organizations)/discovery/instance$", re.I)
# The cloud that az-against-sim.sh registers points az's VM image alias document here too. The simulator
# does not serve one: az answers a non-200 with "Failed to retrieve image alias doc ... Use local copy
# instead" and uses the copy bundled with az, whose aliases name the images real Azure offers (shared
# docs/az-cli-against-sim.md). A plain 404 (not ARM's 401 for a request without a token) says "no such doc".
_ALIAS_DOC = re.compile(r"^/vmImageAliasDoc$", re.I)


def is_login_path(path: str) -> bool:
    return bool(_OIDC.match(path) or _TOKEN.match(path) or _DISCOVERY.match(path) or _ALIAS_DOC.match(path))


def _key(sim: ArmSim) -> bytes:
    k = sim.extra.get("token_key")
    if not k:
        k = secrets.token_hex(32)
        sim.extra["token_key"] = k
    return bytes.fromhex(k)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue_token(sim: ArmSim, tenant: str, client_id: str, scope: str, lifetime: int = 86399) -> str:
    now = int(time.time())
    header = {"typ": "JWT", "alg": "HS256"}
    claims = {
        "aud": scope.removesuffix("/.default").removesuffix("/") + "/",
        "iss": f"https://sts.sim.test/{tenant}/",
        "iat": now, "nbf": now, "exp": now + lifetime,
        "tid": tenant, "oid": client_id, "appid": client_id, "sub": client_id,
        "idtyp": "app", "ver": "1.0",
    }
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    sig = hmac.new(_key(sim), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(sig)}"


def token_ok(sim: ArmSim, token: str) -> bool:
    parts = token.split(".")
    if len(parts) != 3 or "token_key" not in sim.extra:
        return False
    expected = _b64(hmac.new(_key(sim), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, parts[2]):
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return False
    return bool(claims.get("exp", 0) > time.time())


def handle_login(sim: ArmSim, req: ArmRequest) -> ArmResponse:
    m = _OIDC.match(req.path)
    if m and req.method == "GET":
        tenant = m["tenant"]
        root = f"{req.base}/{tenant}"
        v2 = "/v2.0" in req.path
        body: dict[str, Any] = {
            "token_endpoint": f"{root}/oauth2/v2.0/token" if v2 else f"{root}/oauth2/token",
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize" if v2 else f"{root}/oauth2/authorize",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
            "issuer": f"https://sts.sim.test/{tenant}/" + ("v2.0" if v2 else ""),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "sim.test",
        }
        return ArmResponse(200, body)
    m = _TOKEN.match(req.path)
    if m and req.method == "POST":
        form = {k: v[-1] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
        grant = form.get("grant_type", "")
        if grant not in ("client_credentials", "refresh_token", "password"):
            return ArmResponse(
                400,
                {"error": "unsupported_grant_type",
                 "error_description": f"AADSTS70003: The app requested an unsupported grant type '{grant}'."},
            )
        if not form.get("client_id"):
            return ArmResponse(
                400,
                {"error": "invalid_request",
                 "error_description": "AADSTS900144: The request body must contain the following parameter: 'client_id'."},
            )
        scope = form.get("scope", "https://management.core.windows.net//.default").split()[0]
        token = issue_token(sim, m["tenant"], form["client_id"], scope)
        return ArmResponse(
            200,
            {"token_type": "Bearer", "expires_in": 86399, "ext_expires_in": 86399, "access_token": token},
        )
    if _ALIAS_DOC.match(req.path):
        return ArmResponse(404, {"error": {"code": "NotFound", "message": "The simulator serves no VM image alias "
                                           "document; use the copy bundled with the client."}})
    if _DISCOVERY.match(req.path):
        # MSAL instance discovery: never needed (az's config turns it off), answered anyway.
        return ArmResponse(200, {"tenant_discovery_endpoint": f"{req.base}/common/v2.0/.well-known/openid-configuration",
                                 "api-version": "1.1", "metadata": []})
    raise ArmError(405, "MethodNotAllowed", f"The requested resource does not support http method '{req.method}'.")
