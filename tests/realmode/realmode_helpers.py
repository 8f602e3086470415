"""Helpers of the real-mode tier: azwizard WITHOUT ``--demo``, signed in through the real az CLI, against
``azwizard sim serve --tls`` registered with az as a cloud (pytest marker ``realmode``; ``.ci/run`` runs it).

The az side is tests/azcli's (the same cached azure-cli venv, the project's ``az-against-sim.sh``). azwizard
gets only what a user's shell would hold after ``az cloud register`` + ``az login``: az on ``PATH``, az's
``AZURE_CONFIG_DIR``, and the simulator's certificate as the only trusted one (``REQUESTS_CA_BUNDLE`` for
azure-core's requests transport, ``SSL_CERT_FILE`` for the rest). It finds the simulator only through az's
active cloud, its subscription only in az's profile and its token only from ``az account get-access-token``
(``AZURE_TOKEN_CREDENTIALS=AzureCliCredential`` narrows DefaultAzureCredential to az, so no managed-identity
probe leaves the machine). Any non-loopback request would go to a dead loopback proxy and fail.
"""

from __future__ import annotations

import ssl
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azcli.azcli_helpers import REPO, Az, Simulator

from azwizard.sim.providers.identity import fingerprint

SIM_CLIENT_ID = "00000000-0000-0000-0000-0000000000c1"  # az-against-sim.sh's default service principal
SIM_CLOUD = "SimCloud"
# The registered cloud's token audience is az's (active_directory_resource_id), kept as written.
SCOPE = "https://management.core.windows.net//.default"
DEAD_PROXY = "http://127.0.0.1:9"


@dataclass
class Result:
    code: int
    out: str
    err: str


def azwizard_env(az: Az, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a user who ran az-against-sim.sh: az's settings, nothing of azwizard's demo."""
    env = dict(az.env)  # PATH (az first), HOME, AZURE_CONFIG_DIR, REQUESTS_CA_BUNDLE, NO_PROXY, az's offline settings
    env.update({
        "SSL_CERT_FILE": env["REQUESTS_CA_BUNDLE"],
        "AZURE_TOKEN_CREDENTIALS": "AzureCliCredential",
        "HTTPS_PROXY": DEAD_PROXY, "HTTP_PROXY": DEAD_PROXY, "https_proxy": DEAD_PROXY, "http_proxy": DEAD_PROXY,
        "AZWIZARD_DATA_DIR": str(workdir / "azwizard-data"),
        "AZWIZARD_CACHE_DIR": str(workdir / "azwizard-cache"),
        "COLUMNS": "120",
        **extra,
    })
    for name in ("AZURE_SUBSCRIPTION_ID", "AZURE_CLOUD", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"):
        env.pop(name, None)
    return env


def run_azwizard(env: dict[str, str], *args: str, timeout: float = 300) -> Result:
    """``python -m azwizard ARGS`` (never ``--demo``) in ``env``, stdin closed."""
    assert "--demo" not in args
    proc = subprocess.run([sys.executable, "-m", "azwizard", *args], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def sim_state(sim: Simulator) -> dict[str, Any]:
    """The simulator's saved state: its snapshot plus its append-only log (azwizard/sim/persistence.py)."""
    from azwizard.sim import statefile

    return dict(statefile.current(sim.state_file))


def issued_tokens(sim: Simulator) -> list[dict[str, Any]]:
    """The fingerprints of the tokens the simulator's token endpoint issued (its state's ``extra``)."""
    return list(sim_state(sim).get("extra", {}).get("issued_tokens", []))


def azwizard_requests(sim: Simulator) -> list[dict[str, Any]]:
    """The requests azwizard's SDK clients sent (their User-Agent starts ``azsdk-python-``; az's ``AZURECLI/``)."""
    return [r for r in sim.requests() if (r.get("agent") or "").startswith("azsdk-python-")]


def az_token_fingerprint(az: Az, scope: str = SCOPE) -> str:
    """The fingerprint of the token az hands out for ``scope`` now (the token itself is never kept or shown)."""
    token = az.json("account", "get-access-token", "--scope", scope)["accessToken"]
    return fingerprint(str(token))


def expire_tokens(sim: Simulator) -> None:
    """Every token the simulator issued so far expires now (its control endpoint; see docs/simulator.md)."""
    ctx = ssl.create_default_context(cafile=str(sim.cert))
    req = urllib.request.Request(f"{sim.url}/azwizard-sim/expire-tokens", method="POST", data=b"")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=ctx))
    with opener.open(req, timeout=10) as resp:
        assert resp.status == 200
