"""The real az (2.91.0) against the simulator for what keeps an AKS cluster up to date (#24): the production
flags of ``az aks create``, ``az aks maintenanceconfiguration add|list|show|delete`` with each schedule kind,
``az aks get-upgrades`` / ``nodepool get-upgrades`` (upgradeProfiles/default) and ``nodepool upgrade
--node-image-only`` (upgradeNodeImageVersion). Every request must be understood (the ``az`` fixture checks)."""

from __future__ import annotations

import json

from azcli.azcli_helpers import Az

RG, LOC = "upkeep_rg", "norwayeast"


def test_production_flags_windows_and_upgrades(az: Az) -> None:
    az.run("group", "create", "--name", RG, "--location", LOC, "-o", "none")
    cluster = az.json("aks", "create", "-g", RG, "-n", "c1", "--no-ssh-key", "--tier", "standard",
                      "--node-vm-size", "Standard_D2s_v5", "--auto-upgrade-channel", "stable",
                      "--node-os-upgrade-channel", "SecurityPatch", "--enable-image-cleaner",
                      "--image-cleaner-interval-hours", "48", "--enable-app-routing",
                      "--load-balancer-managed-outbound-ip-count", "2")
    assert cluster["autoUpgradeProfile"] == {"upgradeChannel": "stable", "nodeOsUpgradeChannel": "SecurityPatch"}
    assert cluster["securityProfile"]["imageCleaner"] == {"enabled": True, "intervalHours": 48}
    assert cluster["ingressProfile"]["webAppRouting"]["enabled"] is True
    assert cluster["networkProfile"]["loadBalancerProfile"]["managedOutboundIPs"]["count"] == 2
    assert len(cluster["networkProfile"]["loadBalancerProfile"]["effectiveOutboundIPs"]) == 2

    base = ("aks", "maintenanceconfiguration")
    where = ("-g", RG, "--cluster-name", "c1")
    weekly = az.json(*base, "add", *where, "-n", "aksManagedAutoUpgradeSchedule", "--schedule-type", "Weekly",
                     "--day-of-week", "Saturday", "--interval-weeks", "1", "--duration", "8", "--start-time", "00:00")
    assert weekly["maintenanceWindow"]["schedule"]["weekly"] == {"dayOfWeek": "Saturday", "intervalWeeks": 1}
    last_tuesday = az.json(*base, "add", *where, "-n", "aksManagedNodeOSUpgradeSchedule", "--schedule-type",
                           "RelativeMonthly", "--day-of-week", "Tuesday", "--week-index", "Last", "--interval-months",
                           "1", "--duration", "4", "--start-time", "22:00", "--utc-offset=-05:00",
                           "--start-date", "2027-01-05")
    window = last_tuesday["maintenanceWindow"]
    assert window["schedule"]["relativeMonthly"] == {"dayOfWeek": "Tuesday", "intervalMonths": 1, "weekIndex": "Last"}
    assert (window["utcOffset"], window["startDate"], window["durationHours"]) == ("-05:00", "2027-01-05", 4)
    names = sorted(c["name"] for c in az.json(*base, "list", *where))
    assert names == ["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"]
    assert az.json(*base, "show", *where, "-n", "aksManagedAutoUpgradeSchedule")["name"] == \
        "aksManagedAutoUpgradeSchedule"
    # az passes a 3-hour window on; AKS refuses it
    short = az.run(*base, "update", *where, "-n", "aksManagedAutoUpgradeSchedule", "--schedule-type", "Daily",
                   "--interval-days", "1", "--duration", "3", "--start-time", "01:00", check=False)
    assert short.returncode != 0 and "InvalidParameter" in short.stderr
    az.run(*base, "delete", *where, "-n", "aksManagedAutoUpgradeSchedule")
    assert [c["name"] for c in az.json(*base, "list", *where)] == ["aksManagedNodeOSUpgradeSchedule"]

    upgrades = az.json("aks", "get-upgrades", "-g", RG, "-n", "c1")
    assert upgrades["controlPlaneProfile"]["kubernetesVersion"] == cluster["currentKubernetesVersion"]
    assert [p["name"] for p in upgrades["agentPoolProfiles"]] == ["nodepool1"]
    pool_upgrades = az.json("aks", "nodepool", "get-upgrades", "-g", RG, "--cluster-name", "c1",
                            "--nodepool-name", "nodepool1")
    az.run("aks", "nodepool", "upgrade", "-g", RG, "--cluster-name", "c1", "-n", "nodepool1", "--node-image-only",
           "--yes", "-o", "none")
    pool = az.json("aks", "nodepool", "show", "-g", RG, "--cluster-name", "c1", "-n", "nodepool1")
    assert pool["nodeImageVersion"] == pool_upgrades["latestNodeImageVersion"]
    assert pool["provisioningState"] == "Succeeded"


def test_a_private_cluster_without_public_fqdn(az: Az) -> None:
    az.run("group", "create", "--name", RG, "--location", LOC, "-o", "none")
    cluster = az.json("aks", "create", "-g", RG, "-n", "c2", "--no-ssh-key", "--node-vm-size", "Standard_D2s_v5",
                      "--enable-private-cluster", "--disable-public-fqdn")
    access = cluster["apiServerAccessProfile"]
    assert access["enablePrivateCluster"] is True and access["enablePrivateClusterPublicFqdn"] is False
    assert cluster["fqdn"] is None and cluster["privateFqdn"].endswith(f".privatelink.{LOC}.azmk8s.io")


def test_azure_monitor_metrics_as_az_makes_them(az: Az) -> None:
    """The real az's --enable-azure-monitor-metrics flow against the simulator (#24): the cluster sent with metrics
    off, the region's default workspace in DefaultResourceGroup-<region> (az's choice; azwizard's own plan keeps it
    in the cluster's group), the data collection endpoint, rule and association, and the last read-modify-write that
    turns the metrics on. Every request must be understood (the fixture checks)."""
    az.run("group", "create", "--name", RG, "--location", LOC, "-o", "none")
    out = az.run("aks", "create", "-g", RG, "-n", "c3", "--no-ssh-key", "--node-vm-size", "Standard_D2s_v5",
                 "--enable-azure-monitor-metrics", "-o", "json").stdout
    # az prints "Using Azure Monitor Workspace (stores prometheus metrics) : <id>" before the JSON (amw/helper.py)
    assert "Using Azure Monitor Workspace" in out
    created = json.loads(out[out.index("{"):])
    assert created["azureMonitorProfile"]["metrics"]["enabled"] is False  # what the create answered
    cluster = az.json("aks", "show", "-g", RG, "-n", "c3")
    assert cluster["azureMonitorProfile"]["metrics"]["enabled"] is True  # after addon_put
    sim = az.sim
    workspace = sim.get(f"/subscriptions/{sim.subscription}/resourceGroups/DefaultResourceGroup-{LOC}/providers/"
                        f"Microsoft.Monitor/accounts/DefaultAzureMonitorWorkspace-{LOC}")
    assert workspace is not None and workspace["properties"]["provisioningState"] == "Succeeded"
    base = f"/subscriptions/{sim.subscription}/resourceGroups/{RG}/providers"
    dcr = sim.get(f"{base}/Microsoft.Insights/dataCollectionRules/MSProm-{LOC}-c3")
    assert dcr is not None and sim.get(f"{base}/Microsoft.Insights/dataCollectionEndpoints/MSProm-{LOC}-c3")
    assert dcr["properties"]["destinations"]["monitoringAccounts"][0]["accountResourceId"].lower() == \
        workspace["id"].lower()
    assert sim.get(f"{base}/Microsoft.ContainerService/managedClusters/c3/providers/Microsoft.Insights/"
                   "dataCollectionRuleAssociations/ContainerInsightsMetricsExtension") is not None
    puts = [r for r in sim.requests() if r["method"] == "PUT" and r["path"].lower().endswith("/managedclusters/c3")]
    assert len(puts) == 2  # the create, then addon_put's read-modify-write
