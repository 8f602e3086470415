"""Stop and start an AKS cluster from the cleanup screen (``managed_clusters.begin_stop`` /
``begin_start``): a stopped cluster's nodes are not billed, and the cluster comes back as it was.

The seed notes' advice, from the AKS docs, is shown with every action: don't stop and start repeatedly;
once stopped, wait 15–30 minutes before starting again; starting may change IP addresses.
"""

from __future__ import annotations

import datetime as _dt
import threading
from dataclasses import dataclass

from ..azure import ops
from ..azure.errors import AzwizardError, explain
from ..azure.session import ClientFactory
from ..journal import Journal
from .model import CLUSTER, key, parse_time

AKS_STOP_START_ADVICE = (
    "Don't stop and start a cluster repeatedly: once it is stopped, wait at least 15–30 minutes before starting "
    "it again (AKS docs). Starting it may change its IP addresses (the API server's and the load balancer's "
    "outbound ones), so check DNS records and firewall rules that name them."
)
MIN_STOPPED_BEFORE_START = _dt.timedelta(minutes=15)


@dataclass(frozen=True)
class PowerResult:
    cluster_id: str
    action: str  # stop | start
    power_state: str  # Running | Stopped
    message: str
    advice: str = AKS_STOP_START_ADVICE


def cluster_power_state(factory: ClientFactory, cluster_id: str) -> str:
    """``Running`` or ``Stopped`` (the cluster's ``powerState.code``)."""
    try:
        body = ops.wire(ops.get(factory, CLUSTER, cluster_id))
    except Exception as exc:
        raise explain(exc) from exc
    if not body:
        raise AzwizardError("The cluster no longer exists", "Refresh the inventory.", code="ResourceNotFound")
    return str(((body.get("properties") or {}).get("powerState") or {}).get("code") or "Running")


def last_stopped(journal: Journal, cluster_id: str) -> _dt.datetime | None:
    """When azwizard last stopped the cluster (its run's journal), if it did."""
    when = None
    for ev in journal.events():
        if ev.get("event") == "stopped" and key(str(ev.get("id", ""))) == key(cluster_id):
            when = parse_time(str(ev.get("ts", "")))
    return when


def wait_before_start(stopped_at: _dt.datetime | None, now: _dt.datetime | None = None) -> _dt.timedelta | None:
    """How much longer to wait before starting (None when it is fine to start now)."""
    if stopped_at is None:
        return None
    now = now or _dt.datetime.now(_dt.timezone.utc)
    left = stopped_at + MIN_STOPPED_BEFORE_START - now
    return left if left > _dt.timedelta(0) else None


def stop_cluster(factory: ClientFactory, cluster_id: str, *, journal: Journal | None = None,
                 cancel: threading.Event | None = None, poll_interval: float = 0.25) -> PowerResult:
    return _power(factory, cluster_id, "stop", journal, cancel, poll_interval)


def start_cluster(factory: ClientFactory, cluster_id: str, *, journal: Journal | None = None,
                  allow_early: bool = False, now: _dt.datetime | None = None,
                  cancel: threading.Event | None = None, poll_interval: float = 0.25) -> PowerResult:
    """Start a stopped cluster; refuses (sending nothing) within 15 minutes of azwizard stopping it unless
    ``allow_early`` (the user confirmed after reading the advice)."""
    if not allow_early and journal is not None:
        left = wait_before_start(last_stopped(journal, cluster_id), now)
        if left is not None:
            minutes = max(1, int(left.total_seconds() // 60))
            raise AzwizardError(
                f"The cluster was stopped less than 15 minutes ago (wait about {minutes} more minute(s))",
                "Wait 15–30 minutes after stopping before starting it again, or confirm to start it anyway.",
                code="StartTooSoon",
            )
    return _power(factory, cluster_id, "start", journal, cancel, poll_interval)


def _power(factory: ClientFactory, cluster_id: str, action: str, journal: Journal | None,
           cancel: threading.Event | None, poll_interval: float) -> PowerResult:
    target = "Stopped" if action == "stop" else "Running"
    if cluster_power_state(factory, cluster_id) == target:
        return PowerResult(cluster_id, action, target, f"The cluster is already {target.lower()}")
    cancel = cancel or threading.Event()
    try:
        poller = ops.cluster_power_action(factory, cluster_id, action)
        while not poller.done():
            if cancel.is_set():
                return PowerResult(cluster_id, action, "unknown",
                                   f"Stopped watching; Azure goes on with the {action} (refresh to see)")
            poller.wait(timeout=poll_interval)
        poller.result()
    except Exception as exc:
        raise explain(exc) from exc
    state = cluster_power_state(factory, cluster_id)
    if journal is not None:
        journal.record("stopped" if action == "stop" else "started", id=cluster_id, kind="Microsoft.ContainerService/managedClusters",
                       power_state=state)
    verb = "stopped (its nodes are no longer billed)" if action == "stop" else "started"
    return PowerResult(cluster_id, action, state, f"The cluster is {verb}")
