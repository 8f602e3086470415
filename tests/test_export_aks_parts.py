"""The AKS journey's exports, exactly: the az aks create, acr create and maintenance commands a user pastes, every
cluster body az aks create cannot say sent as its exact body with the reason, and the ARM template's AcrPull
assignment (its principal from the cluster, a registry outside the deployment's group said in its comments).
Built plans, function calls only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from export_helpers import argv as _argv
from export_helpers import commands as _commands
from export_helpers import edited as _edited
from export_helpers import fallback as _fallback

from azwizard.plan.aks import KUBELET_OBJECT_ID, plan_aks
from azwizard.plan.exports import arm_template
from azwizard.plan.model import Plan, output_ref
from azwizard.specs.aks import (
    AcrSpec,
    AksNetworkSpec,
    AksSpec,
    dual_stack_ipv6,
    preset_dev_dual_stack,
    preset_prod_dual_stack,
)

SUB = "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
RUN = "20261126-031200-3f9a"
PODS6, SERVICES6 = dual_stack_ipv6("fd3c:1f0e:9a7b::/48")
NET = AksNetworkSpec(pod_cidrs=("10.244.0.0/16", PODS6), service_cidrs=("10.96.0.0/16", SERVICES6))
TAGS = ["created-by=azwizard", f"azwizard-run={RUN}", "azwizard-journey=aks", "azwizard-created=2026-11-26T03:12:00Z"]
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def _plan(spec: AksSpec | None = None) -> Plan:
    spec = spec or preset_dev_dual_stack().with_(network=NET, authorized_ip_ranges=("20.100.1.2/32",),
                                                 acr=AcrSpec("create", "azwizarddev1234"))
    return plan_aks(spec, subscription_id=SUB, run_id=RUN, created_at="2026-11-26T03:12:00Z")


def _p(body: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = body["properties"]
    return props


def _pool(body: dict[str, Any], i: int = 0) -> dict[str, Any]:
    pool: dict[str, Any] = _p(body)["agentPoolProfiles"][i]
    return pool


def test_the_dev_clusters_commands_are_exact() -> None:
    plan = _plan()
    assert _argv(plan, "acr") == [["az", "acr", "create", "--resource-group=aks-dev-RG", "--name", "azwizarddev1234",
                                   "--sku", "Basic", "--location=norwayeast", "--tags", *TAGS]]
    assert _argv(plan, "aks") == [[
        "az", "aks", "create", "--resource-group=aks-dev-RG", "--name", "aks-dev", "--location=norwayeast",
        "--tags", *TAGS, "--tier", "free", "--k8s-support-plan", "KubernetesOfficial",
        "--dns-name-prefix", "aks-dev-aks-dev-RG-5a1b0c", "--nodepool-name", "nodepool1", "--node-count", "3",
        "--node-vm-size", "Standard_D2s_v5", "--os-sku", "AzureLinux", "--vm-set-type", "VirtualMachineScaleSets",
        "--node-osdisk-type", "Managed", "--nodepool-tags", *TAGS,  # the system pool's tags: aks create's flag
        "--network-plugin", "azure", "--network-plugin-mode", "overlay", "--network-dataplane", "cilium",
        "--network-policy", "cilium", "--ip-families", "IPv4,IPv6", "--pod-cidrs", f"10.244.0.0/16,{PODS6}",
        "--service-cidrs", f"10.96.0.0/16,{SERVICES6}", "--dns-service-ip", "10.96.0.10",
        "--load-balancer-sku", "standard", "--outbound-type", "loadBalancer",
        "--api-server-authorized-ip-ranges", "20.100.1.2/32", "--no-ssh-key", "--attach-acr", "azwizarddev1234"]]
    assert _argv(plan, "acrpull") == []  # made by --attach-acr


def test_the_prod_clusters_user_pool_is_an_exact_nodepool_add_with_its_own_tags_flag() -> None:
    create, add = _argv(_plan(preset_prod_dual_stack().with_(network=NET)), "aks")
    at = create.index("--nodepool-name")
    assert create[at:at + 23] == [
        "--nodepool-name", "system", "--node-count", "3", "--node-vm-size", "Standard_D4ds_v5", "--os-sku",
        "AzureLinux", "--vm-set-type", "VirtualMachineScaleSets", "--node-osdisk-type", "Ephemeral",
        "--zones", "1", "2", "3", "--ssh-access", "disabled", "--nodepool-tags", *TAGS]
    assert add == [
        "az", "aks", "nodepool", "add", "--resource-group=aks-prod-RG", "--cluster-name", "aks-prod", "--name", "apps",
        "--mode", "User", "--os-type", "Linux", "--node-count", "3", "--node-vm-size", "Standard_D4ds_v5",
        "--os-sku", "AzureLinux", "--vm-set-type", "VirtualMachineScaleSets", "--node-osdisk-type", "Ephemeral",
        "--zones", "1", "2", "3", "--ssh-access", "disabled", "--tags", *TAGS]  # nodepool add's flag is --tags


def test_a_workspace_in_the_group_is_linked_only_to_a_cluster_sent_with_the_metrics_flag() -> None:
    plan = _plan(preset_prod_dual_stack().with_(network=NET))
    (create, _) = _argv(plan, "aks")
    amw = f"/subscriptions/{SUB}/resourceGroups/aks-prod-RG/providers/Microsoft.Monitor/accounts/aks-prod-prometheus"
    at = create.index("--enable-azure-monitor-metrics")
    assert create[at:at + 3] == ["--enable-azure-monitor-metrics", "--azure-monitor-workspace-resource-id", amw]
    without = _edited(plan, "aks", lambda b: _p(b).pop("azureMonitorProfile"))
    (create, _) = _argv(without, "aks")
    assert not any("monitor" in a for a in create)


def test_the_kubernetes_version_is_a_flag_only_when_the_body_names_one() -> None:
    plan = _plan()
    assert _p(dict(plan.step("aks").body))["kubernetesVersion"] == ""  # the region's default
    pinned = _edited(plan, "aks", lambda b: (_p(b).update(kubernetesVersion="1.34"),
                                              _pool(b).update(orchestratorVersion="1.34")))
    (create,) = _argv(pinned, "aks")
    assert create[create.index("--kubernetes-version"):][:2] == ["--kubernetes-version", "1.34"]
    for version_less in (plan, _edited(plan, "aks", lambda b: (_p(b).pop("kubernetesVersion"),
                                                               _pool(b).pop("orchestratorVersion")))):
        (create,) = _argv(version_less, "aks")
        assert not any(a.startswith("--kubernetes-version") for a in create)


def test_a_private_cluster_without_a_public_fqdn_has_its_two_flags() -> None:
    plan = _edited(_plan(), "aks", lambda b: _p(b).update(apiServerAccessProfile={
        "authorizedIPRanges": [], "enablePrivateCluster": True, "enablePrivateClusterPublicFQDN": False}))
    (create,) = _argv(plan, "aks")
    at = create.index("--enable-private-cluster")
    assert create[at - 2:at + 3] == ["--outbound-type", "loadBalancer", "--enable-private-cluster",
                                     "--disable-public-fqdn", "--no-ssh-key"]


def _access(**values: Any) -> Callable[[dict[str, Any]], object]:
    return lambda b: _p(b)["apiServerAccessProfile"].update(values)


def _two_keys(body: dict[str, Any]) -> None:
    _p(body)["linuxProfile"] = {"adminUsername": "azureuser", "ssh": {"publicKeys": [{"keyData": KEY}] * 2}}


FALLBACKS: dict[str, Callable[[dict[str, Any]], object]] = {
    "a node pool's enableFIPS other than az's False": lambda b: _pool(b).update(enableFIPS=True),
    "a node pool version other than the cluster's": lambda b: _pool(b).update(orchestratorVersion="1.33"),
    "identity.type other than SystemAssigned": lambda b: b["identity"].update(type="UserAssigned"),
    "sku.name other than Base": lambda b: b["sku"].update(name="Automatic"),
    "properties.enableRBAC other than True": lambda b: _p(b).update(enableRBAC=False),
    "properties.disableLocalAccounts other than az's False": lambda b: _p(b).update(disableLocalAccounts=True),
    "a cluster without node pools": lambda b: _p(b).update(agentPoolProfiles=[]),
    "a first node pool that is not a Linux system pool": lambda b: _pool(b).update(mode="User"),
    "enablePrivateCluster other than true": _access(enablePrivateCluster=False),
    "enablePrivateClusterPublicFQDN other than false": _access(enablePrivateCluster=True,
                                                                enablePrivateClusterPublicFQDN=True),
    "other than one SSH public key": _two_keys,
    "Azure Monitor metrics other than az's (sent off, with its allow lists)": lambda b: _p(b).update(
        azureMonitorProfile={"metrics": {"enabled": True, "kubeStateMetrics": {
            "metricLabelsAllowlist": "", "metricAnnotationsAllowList": ""}}}),
}


@pytest.mark.parametrize("why", list(FALLBACKS))
def test_a_cluster_az_aks_create_cannot_say_is_sent_as_its_exact_body(why: str) -> None:
    plan = _plan()
    assert not _commands(plan, "aks").generic
    assert _fallback(_edited(plan, "aks", FALLBACKS[why]), "aks") == f"az cannot express {why}"


def test_a_windows_first_pool_is_not_the_system_pool_az_aks_create_makes() -> None:
    plan = _edited(_plan(), "aks", lambda b: _pool(b).update(osType="Windows"))
    assert _fallback(plan, "aks") == "az cannot express a first node pool that is not a Linux system pool"


def test_the_maintenance_windows_are_exact_commands_and_one_schedule_is_required() -> None:
    plan = _plan(preset_prod_dual_stack().with_(network=NET))
    key = "maint-aksManagedAutoUpgradeSchedule"
    assert _argv(plan, key) == [[
        "az", "aks", "maintenanceconfiguration", "add", "--resource-group=aks-prod-RG", "--cluster-name", "aks-prod",
        "--name", "aksManagedAutoUpgradeSchedule", "--schedule-type", "Weekly", "--interval-weeks", "1",
        "--day-of-week", "Saturday", "--duration", "8", "--start-time", "00:00"]]
    daily = {"daily": {"intervalDays": 2}}
    assert _argv(_edited(plan, key, lambda b: _p(b)["maintenanceWindow"].update(schedule=daily)), key)[0][9:13] == [
        "--schedule-type", "Daily", "--interval-days", "2"]
    for schedule in ({}, {"daily": {"intervalDays": 1}, "weekly": {"intervalWeeks": 1, "dayOfWeek": "Monday"}},
                     {"hourly": {"intervalHours": 4}}):
        changed = _edited(plan, key, lambda b, s=schedule: _p(b)["maintenanceWindow"].update(schedule=s))
        assert _fallback(changed, key) == "az cannot express a maintenance window without exactly one schedule"


def test_the_registry_admin_user_is_a_flag_only_when_it_is_on() -> None:
    plan = _plan()
    for value, flags in ((False, []), (True, ["--admin-enabled", "true"])):
        (create,) = _argv(_edited(plan, "acr", lambda b, v=value: _p(b).update(adminUserEnabled=v)), "acr")
        assert create[6:8 + len(flags)] == ["--sku", "Basic", *flags], value
    (create,) = _argv(_edited(plan, "acr", lambda b: b.pop("properties")), "acr")
    assert create[6:9] == ["--sku", "Basic", "--location=norwayeast"]


def test_a_role_assignment_other_than_acr_pull_for_the_kubelet_is_no_attach_acr() -> None:
    plan = _plan()
    reader = "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
    changed = _edited(plan, "acrpull", lambda b: _p(b).update(roleDefinitionId=reader.format(SUB)))
    (create,) = _argv(changed, "aks")
    assert create[-1] == "--no-ssh-key"  # no --attach-acr
    assert _fallback(changed, "acrpull") == ("az cannot express a role assignment other than AcrPull for a cluster's "
                                             "kubelet identity (azwizard has no az command for it)")


def _assignment(plan: Plan) -> dict[str, Any]:
    (res,) = [r for r in arm_template(plan)["resources"] if r["type"] == "Microsoft.Authorization/roleAssignments"]
    return res


def test_every_run_time_reference_in_an_assignment_becomes_a_reference_expression() -> None:
    ref = output_ref("aks", KUBELET_OBJECT_ID)
    plan = _edited(_plan(), "acrpull", lambda b: _p(b).update(delegates=[ref, "literal"]))
    kubelet = ("[reference(resourceId('Microsoft.ContainerService/managedClusters', parameters('aksName')), "
               "'2026-08-01').identityProfile.kubeletidentity.objectId]")
    assert _assignment(plan)["properties"]["delegates"] == [kubelet, "literal"]


def test_an_assignment_on_a_registry_outside_the_deployments_group_says_so() -> None:
    inside = _assignment(_plan())
    assert inside["comments"] == "AcrPull on azwizarddev1234 for aks-dev"
    acr_id = f"/subscriptions/{SUB}/resourceGroups/shared-rg/providers/Microsoft.ContainerRegistry/registries/shared1"
    outside = _assignment(_plan(preset_dev_dual_stack().with_(network=NET, acr=AcrSpec("attach", existing_id=acr_id))))
    assert "scope" not in outside
    assert outside["comments"] == (
        f"AcrPull on shared1 for aks-dev. The registry {acr_id} is outside this deployment's resource group: "
        "deploy this assignment in a template for that group (or run az aks update --attach-acr).")
