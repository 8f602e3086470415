"""The few Microsoft Entra endpoints a real client needs to sign in to the simulator.

MSAL (inside the Azure CLI) fetches the tenant's OpenID configuration
(https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc), then asks the token endpoint for a
client-credentials token (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
Tokens are JWT-shaped, HMAC-signed with a key only this simulator holds, so they are accepted here and nowhere
else. The simulator keeps a fingerprint (SHA-256 prefix, never the token) of every token it issued, so a test
can prove which sign-in a request came from, and can expire every token issued so far
(:func:`expire_tokens`, or ``POST /azwizard-sim/expire-tokens`` when served): Resource Manager then answers
401 ``ExpiredAuthenticationToken`` as it does for a token past its lifetime.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs

from ..wire import ArmError, ArmRequest, ArmResponse

if TYPE_CHECKING:
    from ..core import ArmSim

_OIDC = re.compile(r"^/(?P<tenant>[^/]+)(?:/v2\.0)?/\.well-known/openid-configuration$", re.I)
_TOKEN = re.compile(r"^/(?P<tenant>[^/]+)/oauth2(?:/v2\.0)?/token$", re.I)
_DISCOVERY = re.compile(r"^/(?:common|organizations)/discovery/instance$", re.I)
# The cloud that tests/azcli/az-against-sim.sh registers points az's VM image alias document here too. The
# simulator does not serve one: az answers a non-200 with "Failed to retrieve image alias doc ... Use local
# copy instead" and uses the copy bundled with az (azure-cli's `load_images_from_aliases_doc`, azure/cli/
# command_modules/vm/_actions.py), whose aliases name the images real Azure offers. A plain 404 (not ARM's 401
# for a request without a token) says "no such doc".
_ALIAS_DOC = re.compile(r"^/vmImageAliasDoc$", re.I)
# The simulator's own control: not an Azure endpoint (no Azure client sends it), loopback only like the server.
_EXPIRE = re.compile(r"^/azwizard-sim/expire-tokens$", re.I)
ISSUED = "issued_tokens"  # sim.extra: fingerprints of the tokens issued, oldest first
EXPIRED = "expired_tokens"  # sim.extra: fingerprint -> when expire_tokens() ended its lifetime
_MAX_ISSUED = 200


def is_login_path(path: str) -> bool:
    return bool(_OIDC.match(path) or _TOKEN.match(path) or _DISCOVERY.match(path) or _ALIAS_DOC.match(path)
                or _EXPIRE.match(path))


def fingerprint(token: str) -> str:
    """What the simulator records of a token: enough to tell tokens apart, useless as a credential."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def expire_tokens(sim: ArmSim) -> int:
    """Every token issued until now expires now: Resource Manager refuses it with ExpiredAuthenticationToken
    (what a cached token past its lifetime gets). Tokens issued afterwards are valid. Returns how many."""
    now = time.time()
    expired = sim.extra.setdefault(EXPIRED, {})
    for entry in sim.extra.get(ISSUED, []):
        expired.setdefault(entry["sha256"], now)
    for old in list(expired)[:-_MAX_ISSUED]:
        del expired[old]
    return len(expired)


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
        # Entra's per-token identifier (https://learn.microsoft.com/entra/identity-platform/access-token-claims-
        # reference): two tokens issued in the same second still differ.
        "uti": _b64(secrets.token_bytes(16)),
    }
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    sig = hmac.new(_key(sim), signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{_b64(sig)}"
    issued = sim.extra.setdefault(ISSUED, [])
    issued.append({"sha256": fingerprint(token), "client_id": client_id, "scope": scope, "iat": now})
    del issued[:-_MAX_ISSUED]
    return token


TokenState = Literal["ok", "expired", "invalid"]


def token_state(sim: ArmSim, token: str) -> tuple[TokenState, float]:
    """Whether ``token`` is one this simulator issued and still valid, and when it expires (epoch seconds)."""
    parts = token.split(".")
    if len(parts) != 3 or "token_key" not in sim.extra:
        return "invalid", 0.0
    expected = _b64(hmac.new(_key(sim), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, parts[2]):
        return "invalid", 0.0
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        exp = float(claims.get("exp", 0))
    except (ValueError, TypeError, AttributeError):
        return "invalid", 0.0
    ended = sim.extra.get(EXPIRED, {}).get(fingerprint(token))
    if isinstance(ended, (int, float)):
        exp = min(exp, float(ended))
    return ("ok" if exp > time.time() else "expired"), exp


def token_ok(sim: ArmSim, token: str) -> bool:
    return token_state(sim, token)[0] == "ok"


def expired_token_error(sim: ArmSim, req: ArmRequest, expired_at: float) -> ArmError:
    """ARM's answer to a token past its lifetime: 401 ``ExpiredAuthenticationToken`` with the .NET-formatted
    times ("The access token expiry UTC time '6/15/2026 8:22:51 AM' is earlier than current UTC time ...", as
    ARM words it, e.g. https://github.com/microsoft/foundry-dev-tools/issues/461) and a Bearer challenge in the
    shape ARM sends (``authorization_uri``, ``error="invalid_token"``: RFC 6750 section 3,
    https://datatracker.ietf.org/doc/html/rfc6750#section-3, and
    https://learn.microsoft.com/entra/identity-platform/app-resilience-continuous-access-evaluation)."""
    message = (f"The access token expiry UTC time '{_dotnet_time(expired_at)}' is earlier than current UTC time "
               f"'{_dotnet_time(time.time())}'.")
    challenge = (f'Bearer authorization_uri="{req.base}/{sim.tenant_id}", error="invalid_token", '
                 'error_description="The access token has expired."')
    return ArmError(401, "ExpiredAuthenticationToken", message, headers={"WWW-Authenticate": challenge})


def _dotnet_time(epoch: float) -> str:
    t = datetime.fromtimestamp(epoch, timezone.utc)
    hour = t.hour % 12 or 12
    return f"{t.month}/{t.day}/{t.year} {hour}:{t.minute:02d}:{t.second:02d} {'AM' if t.hour < 12 else 'PM'}"


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
    if _EXPIRE.match(req.path) and req.method == "POST":
        return ArmResponse(200, {"expired": expire_tokens(sim)})
    if _ALIAS_DOC.match(req.path):
        return ArmResponse(404, {"error": {"code": "NotFound", "message": "The simulator serves no VM image alias "
                                           "document; use the copy bundled with the client."}})
    if _DISCOVERY.match(req.path):
        # MSAL instance discovery: never needed (az's config turns it off), answered anyway.
        return ArmResponse(200, {"tenant_discovery_endpoint": f"{req.base}/common/v2.0/.well-known/openid-configuration",
                                 "api-version": "1.1", "metadata": []})
    raise ArmError(405, "MethodNotAllowed", f"The requested resource does not support http method '{req.method}'.")
