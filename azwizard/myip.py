"""The caller's public IPv4 address, for NSG sources and AKS authorized IP ranges ("my public IP").

Real mode asks a public echo service over HTTPS (a few seconds at most, in a worker); demo mode never
touches the network and answers a documentation address (RFC 5737) marked as simulated."""

from __future__ import annotations

import ipaddress
import urllib.request

DEMO_ADDRESS = "203.0.113.10"  # TEST-NET-3: never routed, so a simulated rule can't expose anything
ECHO_URLS = ("https://api.ipify.org", "https://ipv4.icanhazip.com")


def detect_public_ipv4(*, demo: bool, timeout: float = 4.0) -> str:
    """The address as ``a.b.c.d``; raises ``OSError`` with a plain message when it cannot be found."""
    if demo:
        return DEMO_ADDRESS
    last: Exception | None = None
    for url in ECHO_URLS:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (fixed https URLs)
                text = resp.read(64).decode().strip()
            addr = ipaddress.ip_address(text)
            if addr.version == 4 and addr.is_global:
                return str(addr)
        except (OSError, ValueError) as exc:
            last = exc
    raise OSError(f"Could not find your public IPv4 address ({last}); type it in instead.")
