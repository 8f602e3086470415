"""Demo mode: a session on the simulated subscription, persisted in the user data dir so a later
``azwizard --demo`` sees what an earlier one created (``--reset`` starts clean)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .azure.session import AzureSession, open_session
from .paths import demo_state_file

if TYPE_CHECKING:
    from .sim import ArmSim, LatencyProfile


LATENCY_CHOICES = ("none", "demo", "real")


def demo_latency(choice: str) -> LatencyProfile:
    """``--latency none|demo|real``: instant, realistic / 20 (the default), or as long as Azure takes."""
    from .sim import DEMO, LatencyProfile

    if choice not in LATENCY_CHOICES:
        raise ValueError(f"latency {choice!r}: use none, demo or real")
    return {"none": LatencyProfile(), "demo": DEMO, "real": LatencyProfile(scale=1.0)}[choice]


@dataclass
class DemoSession:
    session: AzureSession
    sim: ArmSim


def open_demo_session(
    *,
    reset: bool = False,
    state_file: Path | None = None,
    persist: bool = True,
    latency: LatencyProfile | None = None,
    subscription: str | None = None,
) -> DemoSession:
    """The simulated subscription behind the real SDK clients (in-process transport, fake token)."""
    from .azure.credentials import StaticTokenCredential
    from .sim import DEMO, SIM_BASE_URL, ArmSim
    from .sim.transport import SimTransport

    path = (state_file or demo_state_file()) if persist else None
    sim = ArmSim(latency=DEMO if latency is None else latency, persist_path=path)
    from .sim import kube_api

    kube_api.enable(sim)  # the clusters' Kubernetes API on loopback, started when first asked (aks verify, kubectl)
    if reset:
        sim.reset()
        if persist:  # the fresh subscription starts clean: its old journals go too (archived, not deleted)
            from .journal import archive_journals

            archive_journals(sim.subscription_id)
    session = open_session(
        subscription,
        credential=StaticTokenCredential(),
        base_url=SIM_BASE_URL,
        transport=SimTransport(sim),
        simulated=True,
    )
    from .azure.session import describe_tenant

    describe_tenant(session)  # the header names the tenant by its domain, as for a real sign-in
    return DemoSession(session, sim)
