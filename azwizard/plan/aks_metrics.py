"""What ``az aks create --enable-azure-monitor-metrics`` does after the cluster exists, as plan steps.

az (azure-cli 2.91.0, acs/managed_cluster_decorator.py ``set_up_azure_monitor_profile``) creates the cluster with
``azureMonitorProfile.metrics.enabled: false``, then (``postprocessing_after_mc_created`` ->
acs/azuremonitormetrics/azuremonitorprofile.py ``link_azure_monitor_profile_artifacts``):

1. the Azure Monitor workspace (amw/create.py ``create_default_mac``: ``Microsoft.Monitor/accounts`` at api
   2023-04-03, body ``{"location", "properties": {}}``), or the one ``--azure-monitor-workspace-resource-id`` names;
2. the data collection endpoint (dc/dce_api.py ``create_dce``: ``MSProm-<region>-<cluster>`` cut to 44 characters,
   body ``{"location", "kind": "Linux", "properties": {}}`` on the wire, api 2022-06-01);
3. the data collection rule (dc/dcr_api.py ``create_dcr``: the Prometheus forwarder into the workspace, same name
   rule cut to 64 characters);
4. the association of the rule with the cluster (dc/dcra_api.py ``create_dcra``:
   ``ContainerInsightsMetricsExtension``, an extension resource of the cluster);
5. the recording rule groups (recordingrules/create.py ``create_rules``: one ``prometheusRuleGroups`` per template
   the workspace's ``alertRuleRecommendations`` lists, api 2023-03-01);
6. a read-modify-write of the cluster that turns the metrics on (addonput.py ``addon_put``: GET, ``enabled = True``,
   PUT).

azwizard plans steps 1-4 and 6 with az's names, bodies and api-versions (``arm.API_VERSIONS``), adding only its
own tags where the resource type takes tags (the association is a proxy resource without tags: its proof is the
journal and the cluster's identity). Step 6 is a ``patch_of`` step: the runner reads the cluster, merges the change
and sends the whole cluster back with If-Match on the etag read (run/executor.py ``Runner._patch``).

**Where the workspace goes (a safety decision).** az puts it in the shared ``DefaultResourceGroup-<region>`` as
``DefaultAzureMonitorWorkspace-<region>`` and reuses one that is there. azwizard may only change or delete what a
run of its own made (proved by the live resource's identity and its run tags), and a shared default group holds
other people's workspaces and is found by everyone's az: cleanup could never delete it, and another az user could
start sending their cluster's metrics to it. So azwizard creates the workspace in the cluster's own resource group,
named after the cluster (``<cluster>-prometheus``), tagged with the run: cleanup deletes it with the cluster, and
nothing in the shared group is created or touched. The az export passes the same workspace to az with
``--azure-monitor-workspace-resource-id`` so az does not make its default one.

**Recording rules (step 5) are not planned.** Their rules come from the service at run time (the workspace's
``alertRuleRecommendations``); a plan shows exact bodies before anything is sent, so azwizard leaves them out and
says so in the plan's notes (the metrics are collected without them; the portal's "Configure recording rules" or az
aks update --enable-azure-monitor-metrics adds them).
"""

from __future__ import annotations

from typing import Any

from ..specs.aks import AksSpec, monitor_workspace_id, monitor_workspace_name
from .model import Step

MONITOR_ACCOUNT_KIND = "Microsoft.Monitor/accounts"
DCE_KIND = "Microsoft.Insights/dataCollectionEndpoints"
DCR_KIND = "Microsoft.Insights/dataCollectionRules"
DCRA_KIND = "Microsoft.Insights/dataCollectionRuleAssociations"
MAC_API = "2023-04-03"  # acs/azuremonitormetrics/constants.py
DC_API = "2022-06-01"
DCRA_NAME = "ContainerInsightsMetricsExtension"  # dc/defaults.py get_default_dcra_name
METRICS_STEP_KEYS = ("amw", "dce", "dcr", "dcra", "metrics-on")


def _sanitize(name: str, length: int, *, dce: bool) -> str:
    """dc/defaults.py ``sanitize_name``: cut to ``length``, a DCE name keeps only letters, digits and '-', and
    every name ends with a letter or digit."""
    name = name[:length]
    if dce:
        name = "".join(c for c in name if c.isalnum() or c == "-")
    while name and not name[-1].isalnum():
        name = name[:-1]
    return name


def dce_name(region: str, cluster: str) -> str:
    return _sanitize(f"MSProm-{region}-{cluster}", 44, dce=True)


def dcr_name(region: str, cluster: str) -> str:
    return _sanitize(f"MSProm-{region}-{cluster}", 64, dce=False)


def _rid(sub: str, rg: str, kind: str, name: str) -> str:
    ns, _, rtype = kind.partition("/")
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{rtype}/{name}"


def metrics_steps(spec: AksSpec, subscription_id: str, tags: dict[str, str], cluster_id: str,
                  root: tuple[str, ...], cluster_api: str) -> list[Step]:
    """Steps 1-4 and 6 of the module's list for the cluster ``cluster_id`` (the plan's ``aks`` step)."""
    sub, rg, cluster, region = subscription_id, spec.resource_group, spec.cluster_name, spec.location
    amw_id = monitor_workspace_id(sub, rg, cluster)
    amw_name = monitor_workspace_name(cluster)
    dce = dce_name(region, cluster)
    dce_id = _rid(sub, rg, DCE_KIND, dce)
    dcr = dcr_name(region, cluster)
    dcr_id = _rid(sub, rg, DCR_KIND, dcr)
    dcra_id = f"{cluster_id}/providers/{DCRA_KIND}/{DCRA_NAME}"
    dcr_body: dict[str, Any] = {
        "location": region, "kind": "Linux", "tags": tags,
        "properties": {
            "dataCollectionEndpointId": dce_id,
            "dataSources": {"prometheusForwarder": [{"name": "PrometheusDataSource",
                                                     "streams": ["Microsoft-PrometheusMetrics"],
                                                     "labelIncludeFilter": {}}]},
            "dataFlows": [{"destinations": ["MonitoringAccount1"], "streams": ["Microsoft-PrometheusMetrics"]}],
            "description": "DCR description",
            # lower-cased as az sends a workspace id it is given (helper.py sanitize_resource_id)
            "destinations": {"monitoringAccounts": [{"accountResourceId": amw_id.lower(),
                                                     "name": "MonitoringAccount1"}]},
        },
    }
    return [
        Step("amw", MONITOR_ACCOUNT_KIND, amw_name, amw_id,
             {"location": region, "tags": tags, "properties": {}}, root,
             f"Azure Monitor workspace {amw_name}",
             (("stores", f"the managed Prometheus metrics of {cluster}"), ("resource group", rg)), MAC_API),
        Step("dce", DCE_KIND, dce, dce_id,
             # create_dce passes "name" too, but the generic resource model az serializes it with does not send it
             # (GenericResource.name is read-only): on the wire az sends location, kind and properties
             {"location": region, "kind": "Linux", "tags": tags, "properties": {}}, root,
             f"Data collection endpoint {dce}", (("for", "managed Prometheus"),), DC_API),
        Step("dcr", DCR_KIND, dcr, dcr_id, dcr_body, ("amw", "dce"), f"Data collection rule {dcr}",
             (("sends", f"Prometheus metrics to workspace {amw_name}"),), DC_API),
        Step("dcra", DCRA_KIND, DCRA_NAME, dcra_id,
             {"location": region, "properties": {
                 "dataCollectionRuleId": dcr_id,
                 "description": "Promtheus data collection association between DCR, DCE and target AKS resource"}},
             ("aks", "dcr"), f"Data collection rule association of {cluster}",
             (("links", f"cluster {cluster} to rule {dcr}"),), DC_API),
        Step("metrics-on", "Microsoft.ContainerService/managedClusters", cluster, cluster_id,
             {"properties": {"azureMonitorProfile": {"metrics": {"enabled": True}}}}, ("aks", "dcra"),
             f"Managed Prometheus metrics on for {cluster}",
             (("how", "read the cluster, set azureMonitorProfile.metrics.enabled, send it back with If-Match"),),
             cluster_api, patch_of="aks"),
    ]


METRICS_NOTE = ("Managed Prometheus: the cluster is created with metrics off (as az aks create sends it); the "
                "workspace, data collection endpoint, rule and association follow, and the last step turns the "
                "metrics on (read-modify-write). The workspace is made in the cluster's resource group, not az's "
                "shared DefaultResourceGroup-<region>, so cleanup can delete it. az's recording rule groups are not "
                "made (their rules come from the service at run time).")
