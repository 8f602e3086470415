"""Exports of the managed Prometheus steps (plan/aks_metrics.py), which :func:`register` adds to the az exporter
(plan/exports.py calls it).

az: the workspace is ``az monitor account create`` (monitor/aaz/latest/monitor/account/_create.py: ``--name``,
``--resource-group``, ``--location``, ``--tags``), made before the cluster, and ``az aks create`` gets
``--azure-monitor-workspace-resource-id`` with its id, so az links azwizard's workspace instead of making its default
one in DefaultResourceGroup-<region>; the data collection endpoint, rule and association and the metrics update are
what ``--enable-azure-monitor-metrics`` itself does after the cluster (acs/azuremonitormetrics/azuremonitorprofile.py
link_azure_monitor_profile_artifacts, with the same names), so they need no command of their own.

The ARM template turns the metrics on in the cluster's read-modify-write form: a nested deployment that PUTs the
cluster again with the change merged (export_arm.py ``_patch_resource``).
"""

from __future__ import annotations

from .aks import CLUSTER_KIND
from .aks_metrics import DCE_KIND, DCR_KIND, DCRA_KIND, MONITOR_ACCOUNT_KIND
from .export_az import AzCommand, AzContext, BodyReader, Inexpressible, _Cmd, _common, az_exporter
from .model import Step

__all__ = ["register", "workspace_step"]

_BY_AZ = ("made by az aks create --enable-azure-monitor-metrics after the cluster (same name and body, without "
          "azwizard's tags)")


def workspace_step(ctx: AzContext, cluster: Step) -> Step | None:
    """The plan's Azure Monitor workspace for ``cluster``'s metrics (in the same group), if any."""
    return next((s for s in ctx.plan.steps if s.kind.lower() == MONITOR_ACCOUNT_KIND.lower()
                 and s.resource_group.lower() == cluster.resource_group.lower()), None)


def _cluster_with_metrics(ctx: AzContext, step: Step) -> Step:
    cluster = next((s for s in ctx.plan.steps if s.kind.lower() == CLUSTER_KIND.lower() and not s.patch_of
                    and "azureMonitorProfile" in (s.body.get("properties") or {})), None)
    if cluster is None:
        raise Inexpressible(f"{step.kind} without a cluster created with --enable-azure-monitor-metrics")
    return cluster


def _workspace(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    cmd = _Cmd("monitor", "account", "create").opt("--name", step.name) \
        .opt("--resource-group", ctx.group(step.resource_group))
    _common(cmd, r, ctx)
    if not r.expect("properties", value={}):
        raise Inexpressible("workspace properties az monitor account create has no flags for")
    return [cmd.build()]


def _made_by_aks_create(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    _cluster_with_metrics(ctx, step)
    for key in list(step.body):
        r.get(key)
    r.notes.append(_BY_AZ)
    return []


def register() -> None:
    """Add the managed Prometheus kinds to the az exporter (idempotent). The metrics update (a ``patch_of`` step of
    the cluster's kind) is handled by the cluster's exporter (export_aks.py)."""
    az_exporter(MONITOR_ACCOUNT_KIND)(_workspace)
    for kind in (DCE_KIND, DCR_KIND, DCRA_KIND):
        az_exporter(kind)(_made_by_aks_create)
