"""Serve the simulator over loopback HTTP or HTTPS, so curl, the real `az` CLI or any other client can
talk to it (``azwizard sim serve``). It binds loopback addresses only."""

from __future__ import annotations

import datetime as _dt
import ipaddress
import json
import os
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .core import ArmSim
from .providers.identity import fingerprint as _fingerprint
from .wire import ArmRequest, DropConnection

_REASONS = {202: "Accepted", 204: "No Content"}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_certificate(cert_dir: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate valid for 127.0.0.1, ::1 and localhost (key written 0600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    cert_dir.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = cert_dir / "sim-cert.pem", cert_dir / "sim-key.pem"
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "azwizard simulator")])
    now = _dt.datetime.now(_dt.timezone.utc)
    sans: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
        x509.DNSName("localhost"),
    ]
    if host not in ("127.0.0.1", "::1", "localhost"):
        sans.append(x509.IPAddress(ipaddress.ip_address(host)))
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5))
        .not_valid_after(now + _dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return cert_path, key_path


REQUEST_LOG_ENV = "AZWIZARD_SIM_REQUEST_LOG"


class RequestLog:
    """One JSON line per request answered (method, path, api-version, status, error code, and the az command
    that sent it from its ``CommandName`` header): what a test of a real client asserts on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def write(self, req: ArmRequest, status: int, body: object) -> None:
        code = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = body["error"].get("code")
        line = {"method": req.method, "path": req.path, "api_version": req.api_version, "status": status,
                "code": code, "command": req.headers.get("commandname")}
        # Which sign-in sent it: the bearer token's fingerprint (never the token) and the client's product name.
        scheme, _, token = (req.headers.get("authorization") or "").partition(" ")
        line["token"] = _fingerprint(token) if scheme.lower() == "bearer" and token else None
        line["agent"] = (req.headers.get("user-agent") or "").split(" ", 1)[0] or None
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\n")


def _handler_for(sim: ArmSim, scheme: str, server_url: str,
                 log: RequestLog | None = None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "azwizard-sim"
        # The status line and headers go out in one write and the body in another: with Nagle's algorithm the
        # body waits for the client's delayed ACK (~40 ms a response on Linux loopback). TCP_NODELAY:
        # https://docs.python.org/3/library/socketserver.html#socketserver.StreamRequestHandler
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # quiet; the sim keeps its own log
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            host = self.headers.get("Host") or server_url.split("://", 1)[1]
            req = ArmRequest(self.command, f"{scheme}://{host}{self.path}", dict(self.headers.items()), body)
            try:
                resp = sim.handle(req)
            except DropConnection:
                self.close_connection = True
                self.connection.close()
                return
            if log is not None:
                log.write(req, resp.status, resp.body)
            content = resp.content() if self.command != "HEAD" else b""
            self.send_response(resp.status, _REASONS.get(resp.status))
            for k, v in resp.headers.items():
                self.send_header(k, v)
            ctype = resp.content_type()
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(resp.content())))
            self.end_headers()
            if content:
                self.wfile.write(content)

        do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _serve

    return Handler


class SimServer:
    """A running loopback server; ``url`` is what clients point at."""

    def __init__(self, sim: ArmSim, *, host: str = "127.0.0.1", port: int = 0, tls: bool = False,
                 cert_dir: Path | None = None, min_polls: int | None = 1, request_log: Path | None = None) -> None:
        if not _is_loopback(host):
            raise ValueError(f"the simulator serves loopback addresses only, not {host!r}")
        self.sim = sim
        if min_polls is not None:
            # Real clients wait between polls (az: Retry-After, else 30 s for AKS), so an operation with no
            # simulated latency completes on the first poll; the in-process default (2 polls) exists to
            # prove clients poll at all, and would cost every az command one full polling interval here.
            sim.min_polls = min_polls
        # Served, time advances operations (ARM runs them whether or not the client polls): `group delete
        # --no-wait` then `group wait --deleted` sees the group go, a `--no-wait` deployment runs.
        sim.use_wall_clock()
        self.tls = tls
        self.cert_path: Path | None = None
        self.httpd = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler)
        self.httpd.daemon_threads = True
        if tls:
            if cert_dir is None:
                raise ValueError("tls needs a cert_dir")
            self.cert_path, key_path = make_certificate(cert_dir, host)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.cert_path, key_path)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        bound_port = self.httpd.socket.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"{'https' if tls else 'http'}://{shown}:{bound_port}"
        if request_log is None and os.environ.get(REQUEST_LOG_ENV):
            request_log = Path(os.environ[REQUEST_LOG_ENV])
        self.request_log = RequestLog(request_log) if request_log is not None else None
        self.httpd.RequestHandlerClass = _handler_for(sim, "https" if tls else "http", self.url, self.request_log)
        self._thread: threading.Thread | None = None

    def start(self) -> SimServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="azwizard-sim", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self, on_ready: Callable[[SimServer], None] | None = None) -> None:
        if on_ready is not None:
            on_ready(self)
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
