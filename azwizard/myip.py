"""The caller's public IPv4 address, for NSG sources and AKS authorized IP ranges ("my public IP").

Real mode asks a public echo service over HTTPS (a few seconds at most, in a worker); demo mode never
touches the network and answers one fixed address, marked as simulated wherever it is shown, the same in every
journey (the VM's NSG sources and the AKS authorized ranges)."""

from __future__ import annotations

import ipaddress
import urllib.request

# A public (global) address, not a documentation one (RFC 5737): the AKS authorized-ranges rule rightly refuses
# ranges the API server can never see, and the demo must pass its own checks. Only the simulator ever sees it.
DEMO_ADDRESS = "20.100.1.2"
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
