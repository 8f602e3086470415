"""Applying profiles over what already exists, in process, through the real SDK against one simulator (so the
tests can count the requests it received): the same path ``azwizard vm|aks apply`` takes."""

from __future__ import annotations

import argparse
import dataclasses
import threading
from pathlib import Path
from typing import Any

from cli_helpers import EXAMPLES

from azwizard.azure.credentials import StaticTokenCredential
from azwizard.azure.session import open_session
from azwizard.journal import Journal
from azwizard.profiles import Profile, load_profile
from azwizard.run.executor import Runner
from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.transport import SimTransport

VM_PROFILE = EXAMPLES / "yolo-vm.toml"
AKS_PROFILE = EXAMPLES / "aks-dev.toml"
LOC = "norwayeast"


def session_on(sim: ArmSim, transport: Any = None) -> Any:
    return open_session(None, credential=StaticTokenCredential(), base_url=SIM_BASE_URL,
                        transport=transport or SimTransport(sim), simulated=True, polling_interval=0)


def connection(sim: ArmSim, transport: Any = None) -> Any:
    from azwizard.headless.common import Connection

    return Connection(session_on(sim, transport), sim)


def profile_text(path: Path, tmp: Path, extra: str = "", replace: dict[str, str] | None = None) -> Profile:
    """A profile from an example, changed: ``replace`` swaps text, ``extra`` is appended."""
    text = path.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    p = tmp / f"changed-{path.name}"
    p.write_text(text + extra, encoding="utf-8")
    kind = "vm" if "vm" in path.name else "aks"
    return load_profile(p, kind)  # type: ignore[arg-type]


def profile(path: Path) -> Profile:
    return load_profile(path, "vm" if "vm" in path.name else "aks")  # type: ignore[arg-type]


def review(conn: Any, prof: Profile, *, adopt: tuple[str, ...] = (), allow_update: bool = False) -> Any:
    from azwizard.headless.commands import _review

    kind = prof.kind
    args = argparse.Namespace(adopt=list(adopt), allow_update=allow_update)
    return _review(conn, kind, prof, args)


def apply(conn: Any, prof: Profile, **kw: Any) -> tuple[int, Any]:
    from azwizard.headless.apply import apply as do_apply

    r = review(conn, prof, **kw)
    return do_apply(conn, r, yes=True, live=False), r


def puts(sim: ArmSim, since: int = 0) -> list[str]:
    return [r.path.lower() for r in sim.requests[since:] if r.method == "PUT"]


def writes(sim: ArmSim, since: int = 0) -> list[tuple[str, str]]:
    return [(r.method, r.path.lower()) for r in sim.requests[since:] if r.method in ("PUT", "PATCH", "DELETE", "POST")
            and "/operations" not in r.path.lower()]


def state_of(sim: ArmSim, prefix: str) -> dict[str, Any]:
    return {k: v for k, v in sim.snapshot().items() if k.startswith(prefix.lower())}


def group_prefix(sim: ArmSim, group: str) -> str:
    return f"/subscriptions/{sim.subscription_id}/resourcegroups/{group}".lower()


def rule(name: str, port: str, priority: int = 100) -> dict[str, Any]:
    return {"name": name, "properties": {"priority": priority, "direction": "Inbound", "access": "Allow",
                                         "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
                                         "destinationAddressPrefix": "*", "destinationPortRange": port}}


def foreign_vm_neighbours(conn: Any, rdp_priority: int = 100) -> None:
    """Someone else's Yolo-RG: an untagged group, an untagged NSG with an RDP rule, a public IP with a DNS label.
    At priority 100 the RDP rule clashes with azwizard's Allow-ICMPv4 (adopting the NSG is then a conflict)."""
    f = conn.session.factory
    f.resources().resource_groups.create_or_update("Yolo-RG", {"location": LOC})
    f.network().network_security_groups.begin_create_or_update(
        "Yolo-RG", "Yolo-NSG", {"location": LOC, "properties": {"securityRules": [
            rule("Allow-RDP", "3389", rdp_priority)]}}).result()
    f.network().public_ip_addresses.begin_create_or_update(
        "Yolo-RG", "Yolo-IPv4", {"location": LOC, "sku": {"name": "Standard"}, "tags": {"owner": "alice"},
                                 "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4",
                                                "dnsSettings": {"domainNameLabel": "alice-web"}}}).result()


def with_spec(prof: Profile, **changes: Any) -> Profile:
    return dataclasses.replace(prof, spec=dataclasses.replace(prof.spec, **changes))


class Killed(Exception):
    """The process is gone: nothing it does from here reaches Azure or the disk."""


class DyingJournal(Journal):
    """Writes ``lines`` journal lines, then the process dies."""

    def __init__(self, run_id: str, journey: str, lines: int, dead: threading.Event) -> None:
        super().__init__(run_id, journey)
        self.left = lines
        self.dead = dead

    def record(self, event: str, **fields: Any) -> None:
        if self.dead.is_set():
            return
        super().record(event, **fields)
        self.left -= 1
        if self.left <= 0:
            self.dead.set()


class DyingTransport(SimTransport):
    def __init__(self, sim: ArmSim, dead: threading.Event) -> None:
        super().__init__(sim)
        self.dead = dead

    def send(self, request: Any, **kwargs: Any) -> Any:
        if self.dead.is_set():
            raise Killed("the process was killed")
        return super().send(request, **kwargs)


def killed_run(sim: ArmSim, prof: Any, lines: int) -> str:
    """``apply`` up to the ``lines``-th journal line, then a kill; returns the run id."""
    dead = threading.Event()
    conn = connection(sim, DyingTransport(sim, dead))
    r = review(conn, prof)
    assert not r.blocking
    journal = DyingJournal(r.plan.run_id, r.plan.journey, lines, dead)
    Runner(conn.session.factory, journal, poll_interval=0.001).run(r.plan, diff=r.diff, meta=r.meta)
    assert dead.is_set()
    return str(r.plan.run_id)
