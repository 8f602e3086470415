"""Helpers of the az tier: the real Azure CLI against ``azwizard sim serve --tls`` (pytest marker ``azcli``; ``.ci/run`` runs it).

- azure-cli (pinned, ``AZURE_CLI_VERSION``) is installed from PyPI into its own virtual environment, never the
  project's: ``$AZWIZARD_AZCLI_VENV``, else ``~/.cache/azwizard/azcli-venv-<version>``; reused when present
  (a marker file is written after a complete install), and the install time is printed in the summary.
- Each simulator is a real ``python -m azwizard sim serve --tls --port 0 --state FILE`` process on 127.0.0.1;
  its printed URL, subscription, tenant and certificate path are parsed from stdout.
- az is set up by the project's script (``tests/azcli/az-against-sim.sh``: the simulator as a registered cloud,
  a service-principal sign-in) in a private ``AZURE_CONFIG_DIR``, and every az call gets the script's
  environment: ``REQUESTS_CA_BUNDLE`` = the simulator's certificate only (nothing else can be trusted, so az
  cannot complete TLS with any other host), ``NO_PROXY`` for loopback, telemetry and instance discovery off.
  ``HOME`` is a temp directory (``--generate-ssh-keys`` writes there). Never ``az --version`` / ``--help``:
  they run az's update check, which contacts a non-loopback host.

Without ``-m azcli`` (plain ``pytest``) these tests are skipped, so the default run stays fast.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AZURE_CLI_VERSION = "2.91.0"
REPO = Path(__file__).resolve().parents[2]
INSTALL_REPORT: list[str] = []


# ------------------------------------------------------------------------------------ the tiers' markers


def mark_tier(config: Any, items: list[Any], folder: Path, marker: str, *also: str, env_flag: str) -> None:
    """Give every test under ``folder`` the tier's ``marker`` (and ``also``); without ``-m <marker>`` (or
    ``env_flag`` set) they are skipped, so a plain ``pytest`` stays fast and offline."""
    import pytest

    expr = config.getoption("markexpr") or ""
    selected = marker in expr and f"not {marker}" not in expr
    for item in items:
        if Path(str(item.fspath)).is_relative_to(folder):
            for name in (marker, *also):
                item.add_marker(getattr(pytest.mark, name))
            if not selected and not os.environ.get(env_flag):
                item.add_marker(pytest.mark.skip(reason=f"the {marker} tier runs with -m {marker} (see .ci/run)"))


# ------------------------------------------------------------------------------------ azure-cli venv


def azcli_venv() -> Path:
    if os.environ.get("AZWIZARD_AZCLI_VENV"):
        return Path(os.environ["AZWIZARD_AZCLI_VENV"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "azwizard" / f"azcli-venv-{AZURE_CLI_VERSION}"


def install_azure_cli(venv: Path) -> tuple[Path, float, bool]:
    """The az executable of ``venv``, installing azure-cli there first if needed: (az, seconds, installed)."""
    az = venv / "bin" / "az"
    marker = venv / ".azwizard-azure-cli"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers (or two runs) install once
        if az.exists() and marker.exists() and marker.read_text().strip() == AZURE_CLI_VERSION:
            return az, 0.0, False
        start = time.monotonic()
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        f"azure-cli=={AZURE_CLI_VERSION}"], check=True, timeout=1800)
        marker.write_text(AZURE_CLI_VERSION + "\n")
        return az, time.monotonic() - start, True


SETUP_SCRIPT = Path(__file__).with_name("az-against-sim.sh")


# ------------------------------------------------------------------------------------ the simulator


@dataclass
class Simulator:
    """A running ``azwizard sim serve --tls`` process."""

    proc: subprocess.Popen[str]
    url: str
    subscription: str
    tenant: str
    cert: Path
    state_file: Path
    request_log: Path

    def resources(self) -> dict[str, dict[str, Any]]:
        """The simulator's resources (its ``--state`` file), keyed by lower-case id."""
        from azwizard.sim import statefile

        # a snapshot plus an append-only log (azwizard/sim/persistence.py): read both, as the simulator does
        return dict(statefile.current(self.state_file).get("resources") or {})

    def get(self, rid: str) -> dict[str, Any] | None:
        return self.resources().get(rid.lower())

    def requests(self) -> list[dict[str, Any]]:
        if not self.request_log.exists():
            return []
        return [json.loads(line) for line in self.request_log.read_text().splitlines() if line.strip()]

    def not_understood(self) -> list[dict[str, Any]]:
        """Requests the simulator did not understand: no route, a method or body it could not take, a token it
        refused, or a server error. Every az command of the tier must be understood (az's own expected
        refusals, like the 404 of aks create's existence check or K8sVersionNotSupported, are Azure answers)."""
        codes = {"InvalidResourceType", "NoRegisteredProviderFound", "MethodNotAllowed", "MissingApiVersionParameter",
                 "InvalidRequestContent", "AuthenticationFailed", "InvalidAuthenticationToken"}
        return [r for r in self.requests() if r["status"] >= 500 or r["code"] in codes
                or (r["code"] == "NotFound" and r["path"].lower() != "/vmimagealiasdoc" and "/providers/" not in r["path"])]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_simulator(workdir: Path) -> Simulator:
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "AZWIZARD_SIM_REQUEST_LOG": str(workdir / "requests.jsonl"),
           "AZWIZARD_DATA_DIR": str(workdir / "data"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "azwizard", "sim", "serve", "--tls", "--port", "0", "--host", "127.0.0.1",
         "--cert-dir", str(workdir / "tls"), "--state", str(workdir / "state.json"), "--latency", "none"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if line.startswith("certificate "):
            break
    info = "\n".join(lines)
    try:
        # "azwizard simulator listening on URL" / "subscription S  tenant T" / "certificate PATH  (...)"
        url = next(ln.split()[-1] for ln in lines if ln.startswith("azwizard simulator listening on "))
        sub_line = next(ln.split() for ln in lines if ln.startswith("subscription "))
        cert = Path(next(ln.split()[1] for ln in lines if ln.startswith("certificate ")))
    except StopIteration:
        proc.kill()
        raise RuntimeError(f"azwizard sim serve did not start:\n{info}") from None
    assert url.startswith("https://127.0.0.1:"), url
    return Simulator(proc, url, sub_line[1], sub_line[3], cert, workdir / "state.json", workdir / "requests.jsonl")


# ------------------------------------------------------------------------------------ az


@dataclass
class Az:
    """The real az, set up against one simulator by ``az-against-sim.sh``."""

    exe: Path
    sim: Simulator
    home: Path
    env: dict[str, str] = field(default_factory=dict)

    def setup(self, *, login: bool = True) -> float:
        """Set az up against the simulator (signed in, unless ``login`` is false); returns the seconds it took."""
        cfg = self.home / "azure-config"
        base = self._base_env()
        base.update({"AZ": str(self.exe), "SIM_URL": self.sim.url, "SIM_SUBSCRIPTION": self.sim.subscription,
                     "SIM_TENANT": self.sim.tenant, "SIM_CA_BUNDLE": str(self.sim.cert),
                     "AZURE_CONFIG_DIR": str(cfg), "SIM_LOGIN": "1" if login else "0"})
        start = time.monotonic()
        out = subprocess.run(["bash", str(SETUP_SCRIPT)], env=base, capture_output=True, text=True, timeout=180)
        if out.returncode != 0:
            raise RuntimeError(f"az-against-sim.sh failed ({out.returncode}):\n{out.stderr}")
        self.env = self._base_env()
        for line in out.stdout.splitlines():  # "export K=V [K2=V2]" lines, shell-quoted
            words = shlex.split(line)
            if words and words[0] == "export":
                for word in words[1:]:
                    k, _, v = word.partition("=")
                    self.env[k] = v
        assert self.env.get("REQUESTS_CA_BUNDLE") and self.env.get("AZURE_CONFIG_DIR") == str(cfg), out.stdout
        return time.monotonic() - start

    def _base_env(self) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy",
                "NO_PROXY", "no_proxy")
        env = {k: os.environ[k] for k in keep if k in os.environ}
        env["PATH"] = f"{self.exe.parent}:{env.get('PATH', '/usr/bin:/bin')}"  # the exported scripts call "az"
        env.update({"HOME": str(self.home), "AZURE_CORE_COLLECT_TELEMETRY": "no",
                    "AZURE_CORE_INSTANCE_DISCOVERY": "false", "AZURE_CORE_SURVEY_MESSAGE": "no",
                    "AZURE_EXTENSION_DIR": str(self.home / "az-extensions"), "AZURE_CORE_NO_COLOR": "true"})
        return env

    def run(self, *args: str, check: bool = True, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        assert args and args[0] not in ("--version", "--help", "-h") and "--help" not in args and "-h" not in args, \
            "az --version / --help run the update check (internet)"
        assert self.env, "az is not set up"
        out = subprocess.run([str(self.exe), *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and out.returncode != 0:
            raise AssertionError(f"az {shlex.join(args)} exited {out.returncode}:\n{out.stderr}")
        return out

    def json(self, *args: str) -> Any:
        out = self.run(*args, "--output", "json")
        return json.loads(out.stdout) if out.stdout.strip() else None

    def bash(self, script: str, workdir: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a bash script (an exported azwizard script) whose ``az`` is this az, with this az's settings."""
        path = workdir / "script.sh"
        path.write_text(script)
        return subprocess.run(["bash", str(path)], env=self.env, capture_output=True, text=True, timeout=timeout,
                              cwd=workdir)


def signed_in_az(az_exe: Path, sim: Simulator, home: Path, *, login: bool = True) -> Az:
    """az with its own ``home`` (created), set up against ``sim`` (signed in unless ``login`` is false)."""
    home.mkdir(parents=True, exist_ok=True)
    client = Az(az_exe, sim, home)
    client.setup(login=login)
    return client


@contextlib.contextmanager
def fresh_az(az_exe: Path, workdir: Path) -> Iterator[Az]:
    """A fresh simulator and an az set up against it (for tests that need more than one)."""
    sim = start_simulator(workdir / "sim")
    try:
        client = signed_in_az(az_exe, sim, workdir / "home")
        yield client
        assert not sim.not_understood(), sim.not_understood()
    finally:
        sim.stop()
