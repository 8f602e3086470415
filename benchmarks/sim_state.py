"""Simulator persistence at scale. Run by hand: python benchmarks/sim_state.py [--puts 220 2200] [--timeout 600]

Starts real ``azwizard sim serve`` processes (loopback, a free port) and sends N network-security-group PUTs (one rule each) over one
keep-alive connection, each followed by polls of its ``Azure-AsyncOperation`` until ``Succeeded`` (what a
client does). Printed per N: the wall time without ``--state`` and with ``--state FILE`` (target for 2,200 with
state: <= 30 s), the mean time of the last 100 PUTs (a write's cost must not grow with the state), and the
state files' sizes. Issue 26 measured 44 s for 220 and no finish in 11 min for 2,200 before the append-only log.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

API_GROUP = "2024-11-01"
API_NETWORK = "2025-07-01"
HEADERS = {"Authorization": "Bearer azwizard-sim-token", "Content-Type": "application/json"}


def start_server(state: Path | None) -> tuple[subprocess.Popen[str], str, str]:
    cmd = [sys.executable, "-m", "azwizard", "sim", "serve", "--port", "0"]
    if state is not None:
        cmd += ["--state", str(state)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
    sub = proc.stdout.readline().split()[1]
    return proc, url, sub


def request(conn: http.client.HTTPConnection, method: str, path: str, body: object = None) -> tuple[int, dict[str, str], object]:
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=HEADERS)
    resp = conn.getresponse()
    raw = resp.read()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, (json.loads(raw) if raw else None)


def run(n: int, state: Path | None, timeout: float) -> tuple[float, float, int]:
    """(wall seconds, mean seconds of the last 100 PUTs, PUTs done)."""
    proc, url, sub = start_server(state)
    try:
        conn = http.client.HTTPConnection(urlsplit(url).netloc, timeout=60)
        group = f"/subscriptions/{sub}/resourcegroups/bench"
        status, _, _ = request(conn, "PUT", f"{group}?api-version={API_GROUP}", {"location": "norwayeast"})
        assert status in (200, 201), status
        times: list[float] = []
        t0 = time.monotonic()
        for i in range(n):
            t = time.monotonic()
            nsg = f"{group}/providers/Microsoft.Network/networkSecurityGroups/nsg-{i}?api-version={API_NETWORK}"
            status, headers, body = request(conn, "PUT", nsg, {
                "location": "norwayeast", "tags": {"created-by": "azwizard"},
                "properties": {"securityRules": [{"name": "ssh", "properties": {
                    "priority": 1000, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                    "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
                    "destinationPortRange": "22"}}]}})
            assert status in (200, 201), (status, body)
            poll = urlsplit(headers["azure-asyncoperation"])
            while True:
                status, _, body = request(conn, "GET", f"{poll.path}?{poll.query}")
                assert status == 200 and isinstance(body, dict), (status, body)
                if body.get("status") != "InProgress":
                    break
            times.append(time.monotonic() - t)
            if time.monotonic() - t0 > timeout:
                break
        wall = time.monotonic() - t0
        tail = times[-100:]
        return wall, sum(tail) / len(tail), len(times)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--puts", type=int, nargs="+", default=[220, 2200])
    ap.add_argument("--timeout", type=float, default=600.0, help="give up on one run after this many seconds")
    args = ap.parse_args()
    for n in args.puts:
        with tempfile.TemporaryDirectory() as tmp:
            state = Path(tmp) / "state.json"
            plain = run(n, None, args.timeout)
            saved = run(n, state, args.timeout)
            sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in sorted(Path(tmp).iterdir())
                              if p.is_file() and not p.name.endswith(".lock"))
        for label, (wall, last, done) in (("no state", plain), ("--state", saved)):
            finished = "" if done == n else f"  (stopped after {done} of {n}: --timeout)"
            print(f"{n:5d} PUTs  {label:9s} {wall:7.2f} s  last 100: {last * 1000:6.1f} ms/PUT{finished}")
        print(f"             files: {sizes}")


if __name__ == "__main__":
    main()
