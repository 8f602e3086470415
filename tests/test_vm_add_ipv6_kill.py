"""vm add-ipv6 killed for real (issue 21): the headless entry (``add_ipv6_command``, what ``azwizard vm add-ipv6
--yes`` runs) in its own process, talking HTTPS to ``azwizard sim serve --state`` on loopback (each operation in
flight for a poll interval); the test polls the run's journal until it holds ``lines`` lines, then sends
SIGKILL: no handler, no flush, no journal line on the way out. The same command run again in a new process
finishes the job; then the VM's network is read back over HTTP: the VNet has its old space plus one /48, the
subnet its old prefix plus one /64, the NIC ipconfig1 unchanged and primary plus one IPv6 ipconfig, exactly one
public IPv6 (nothing lost, nothing made twice), the VM never written; a third run sends nothing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import ROOT, cli_env

from azwizard.existing.legacy import Legacy

L = Legacy()

# The headless entry in a process of its own, against the served simulator (no --demo: a simulated session over
# HTTP to the server's URL, as the real SDK clients talk to ARM).
LAUNCHER = """
import argparse, sys
from azwizard.azure.credentials import StaticTokenCredential
from azwizard.azure.session import open_session
from azwizard.headless.common import Connection
from azwizard.headless.vm_existing import add_ipv6_command
session = open_session(None, credential=StaticTokenCredential(), base_url=sys.argv[1], simulated=True,
                       polling_interval=0.3)
if sys.argv[2] == "make-legacy":
    from azwizard.existing.legacy import Legacy, make_legacy_vm
    for group in sys.argv[3:]:
        make_legacy_vm(session.factory, Legacy(group=group))
    sys.exit(0)
args = argparse.Namespace(demo=False, resource_group=sys.argv[2], vm="legacy-vm", format="text", yes=True, nic="",
                          ipv6_nsg_source="", ipv6_nsg_rule=[])
sys.exit(add_ipv6_command(args, Connection(session, None), live=False))
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, str, str]]:
    """``azwizard sim serve --tls --port 0 --state FILE`` on 127.0.0.1 (TLS: azure-core sends a bearer token
    over https only): (url, request log, subscription id, its certificate). Served, an operation completes on its
    first poll; the client polls 0.3 s after each PUT, so each one is in flight for that long (a network
    operation still running would make the SDK wait its Retry-After, 10 s)."""
    log = tmp_path / "requests.jsonl"
    env = {**cli_env(tmp_path / "server-data"), "AZWIZARD_SIM_REQUEST_LOG": str(log)}
    proc = subprocess.Popen([sys.executable, "-m", "azwizard", "sim", "serve", "--tls", "--cert-dir",
                             str(tmp_path / "tls"), "--port", "0", "--state", str(tmp_path / "state.json"),
                             "--latency", "none"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
    assert url.startswith("https://127.0.0.1:"), url
    sub = proc.stdout.readline().split()[1]
    cert = proc.stdout.readline().split()[1]
    try:
        yield url, log, sub, cert
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def launch(served: tuple[str, Path, str, str], data: Path, *what: str) -> subprocess.Popen[str]:
    url, _, _, cert = served
    env = cli_env(data, REQUESTS_CA_BUNDLE=cert, SSL_CERT_FILE=cert)
    return subprocess.Popen([sys.executable, "-c", LAUNCHER, url, *what], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def journal_lines(data: Path) -> list[dict[str, Any]]:
    journals = list((data / "journal").glob("*.jsonl")) if (data / "journal").exists() else []
    out: list[dict[str, Any]] = []
    for j in sorted(journals):
        for line in j.read_text().splitlines():
            with contextlib.suppress(ValueError):  # a line being written
                out.append(json.loads(line))
    return out


def get(served: tuple[str, Path, str, str], path: str, api: str = "2024-05-01") -> Any:
    import http.client
    import ssl
    from urllib.parse import urlsplit

    url, _, _, cert = served
    conn = http.client.HTTPSConnection(urlsplit(url).netloc, timeout=30, context=ssl.create_default_context(cafile=cert))
    try:
        conn.request("GET", f"{path}?api-version={api}", headers={"Authorization": "Bearer azwizard-sim-token"})
        resp = conn.getresponse()
        body = resp.read()
        return json.loads(body) if resp.status == 200 else None
    finally:
        conn.close()


def writes(log: Path) -> list[tuple[str, str]]:
    if not log.exists():
        return []
    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return [(r["method"], r["path"].lower()) for r in rows if r["method"] in ("PUT", "PATCH", "DELETE", "POST")
            and "/operations" not in r["path"].lower()]


KILL_AFTER = (2, 3, 4, 5, 6)  # journal lines: the plan, then each step's request and answer (8 in a whole run)


def test_killed_with_sigkill_after_each_journal_line_then_rerun_finishes(served: tuple[str, Path, str, str],
                                                                         tmp_path: Path) -> None:
    """One IPv4-only VM per kill point (its own group and data dir), all made first in one process."""
    _, log, sub, _ = served
    groups = [f"Legacy-{n}" for n in KILL_AFTER]
    made = launch(served, tmp_path / "maker", "make-legacy", *groups)
    assert made.wait(timeout=180) == 0, made.communicate()
    for lines, group in zip(KILL_AFTER, groups, strict=True):
        killed_then_rerun(served, tmp_path / group, sub, group, lines)
    # everything in place: a third run sends nothing (once: it is the same command each time)
    n = len(writes(log))
    third = launch(served, tmp_path / groups[-1], groups[-1])
    out, err = third.communicate(timeout=180)
    assert third.returncode == 0, (out, err)
    assert writes(log)[n:] == []


def killed_then_rerun(served: tuple[str, Path, str, str], data: Path, sub: str, group: str, lines: int) -> None:
    log = served[1]
    base = f"/subscriptions/{sub}/resourceGroups/{group}/providers"
    vm_before = get(served, f"{base}/Microsoft.Compute/virtualMachines/{L.vm}", "2024-07-01")
    assert vm_before is not None
    before = len(writes(log))

    proc = launch(served, data, group)
    deadline = time.monotonic() + 120
    while len(journal_lines(data)) < lines and proc.poll() is None:
        assert time.monotonic() < deadline, "the journal never reached that line"
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"the run ended before the kill at line {lines}: nothing was interrupted"
    seen = journal_lines(data)
    assert len(seen) >= lines and not any(ev.get("event") == "finished" for ev in seen)

    again = launch(served, data, group)
    out, err = again.communicate(timeout=180)
    assert again.returncode == 0, (lines, out, err)

    vnet = get(served, f"{base}/Microsoft.Network/virtualNetworks/{L.vnet}")
    spaces = vnet["properties"]["addressSpace"]["addressPrefixes"]
    assert spaces[0] == L.space and len(spaces) == 2 and spaces[1].endswith("/48"), (lines, spaces)
    subnet = vnet["properties"]["subnets"][0]["properties"]
    assert subnet["addressPrefixes"][0] == L.prefix and len(subnet["addressPrefixes"]) == 2, (lines, subnet)
    nic = get(served, f"{base}/Microsoft.Network/networkInterfaces/{L.nic}")
    configs = {c["name"]: c["properties"] for c in nic["properties"]["ipConfigurations"]}
    assert list(configs) == ["ipconfig1", "ipconfig2"], (lines, list(configs))
    assert configs["ipconfig1"]["primary"] is True
    assert configs["ipconfig1"].get("privateIPAddressVersion", "IPv4") == "IPv4"
    assert configs["ipconfig2"]["privateIPAddressVersion"] == "IPv6"
    pip6 = configs["ipconfig2"]["publicIPAddress"]["id"]
    # exactly one public IPv6 was made over both processes, and it is the one the NIC uses
    made_pips = {p for m, p in writes(log)[before:] if m == "PUT" and "/publicipaddresses/" in p}
    assert made_pips == {pip6.lower()}, (lines, made_pips)
    assert get(served, pip6)["properties"]["publicIPAddressVersion"] == "IPv6"
    # the VM was never written, and is as it was
    assert not [w for w in writes(log)[before:] if "/virtualmachines/" in w[1]]
    vm_after = get(served, f"{base}/Microsoft.Compute/virtualMachines/{L.vm}", "2024-07-01")
    assert {k: v for k, v in vm_after.items() if k != "etag"} == {k: v for k, v in vm_before.items() if k != "etag"}
