"""AKS for production (#24): the upgrade channels, the two maintenance windows, the private API server, Image
Cleaner, node SSH access, app routing, managed Prometheus metrics and the managed outbound IP counts, each through
the profile, ``check -- az aks create ... && az aks maintenanceconfiguration add ...``, the plan's request bodies
(against what az sends for the same flags), the az and ARM exports, and the simulator.

The recorded bodies below are what azure-cli 2.91.0 sent for these flags (``az ... --debug`` against ``azwizard sim
serve``, the way tests/azcli runs it; ``--ssh-access`` is aks-preview's, whose constant is ``"disabled"``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from azwizard.plan.aks import maintenance_body, plan_aks
from azwizard.plan.exports import arm_template, az_commands, az_script  # every journey's exporters registered
from azwizard.profiles import ProfileError, dump_aks, read_profile
from azwizard.sim import ArmSim
from azwizard.specs.aks import (
    PRODUCTION_OPERATIONS,
    WEEKEND_WINDOW,
    AksNetworkSpec,
    AksSpec,
    MaintenanceWindowSpec,
    preset_dev_dual_stack,
    preset_prod_dual_stack,
)
from azwizard.specs.azcli import AzReadError, canonical_aks, read_aks, read_script, split_commands

SUB = "00000000-0000-0000-0000-000000000000"
NET = AksNetworkSpec(pod_cidrs=("10.244.0.0/16", "fd3c:1f0e:9a7b::/64"),
                     service_cidrs=("10.96.0.0/16", "fd3c:1f0e:9a7b:1::/108"))

# az aks create -g rg1 -n c1 --no-ssh-key --tier standard --auto-upgrade-channel stable --node-os-upgrade-channel
# SecurityPatch --enable-image-cleaner --image-cleaner-interval-hours 48 --enable-app-routing
# --enable-azure-monitor-metrics --load-balancer-managed-outbound-ip-count 2 --load-balancer-managed-outbound-ipv6-count 2
# --ip-families ipv4,ipv6 ... (az 2.91.0, api 2026-06-01): the properties these flags set.
AZ_CREATE = ("az aks create -g rg1 -n c1 --no-ssh-key --tier standard --auto-upgrade-channel stable "
             "--node-os-upgrade-channel SecurityPatch --enable-image-cleaner --image-cleaner-interval-hours 48 "
             "--enable-app-routing --enable-azure-monitor-metrics --load-balancer-managed-outbound-ip-count 2 "
             "--load-balancer-managed-outbound-ipv6-count 2 --ip-families ipv4,ipv6 --network-plugin azure "
             "--network-plugin-mode overlay --network-dataplane cilium --os-sku AzureLinux "
             "--node-vm-size Standard_D2s_v5")
AZ_SENT = {
    "autoUpgradeProfile": {"upgradeChannel": "stable", "nodeOSUpgradeChannel": "SecurityPatch"},
    "securityProfile": {"imageCleaner": {"enabled": True, "intervalHours": 48}},
    "ingressProfile": {"webAppRouting": {"enabled": True}},
    "azureMonitorProfile": {"metrics": {"enabled": False, "kubeStateMetrics": {"metricLabelsAllowlist": "",
                                                                               "metricAnnotationsAllowList": ""}}},
}
AZ_SENT_LB = {"managedOutboundIPs": {"count": 2, "countIPv6": 2}}
# az aks create -g rg1 -n c2 --no-ssh-key --enable-private-cluster --disable-public-fqdn
AZ_SENT_PRIVATE = {"authorizedIPRanges": [], "enablePrivateCluster": True, "enablePrivateClusterPublicFQDN": False}
# az aks maintenanceconfiguration add ... (the three schedules recorded)
AZ_MAINTENANCE = [
    ("--schedule-type Weekly --day-of-week Saturday --interval-weeks 1 --duration 8 --utc-offset +00:00 "
     "--start-time 00:00 --start-date 2026-12-12",
     {"properties": {"maintenanceWindow": {"schedule": {"weekly": {"intervalWeeks": 1, "dayOfWeek": "Saturday"}},
                                           "startDate": "2026-12-12", "startTime": "00:00", "durationHours": 8,
                                           "utcOffset": "+00:00"}}}),
    ("--schedule-type RelativeMonthly --day-of-week Tuesday --interval-months 1 --week-index Last --duration 4 "
     "--utc-offset=+01:00 --start-time 22:00",
     {"properties": {"maintenanceWindow": {"schedule": {"relativeMonthly": {"intervalMonths": 1, "dayOfWeek": "Tuesday",
                                                                            "weekIndex": "Last"}},
                                           "startTime": "22:00", "durationHours": 4, "utcOffset": "+01:00"}}}),
    ("--schedule-type Daily --interval-days 2 --duration 4 --start-time 01:30",
     {"properties": {"maintenanceWindow": {"schedule": {"daily": {"intervalDays": 2}}, "startTime": "01:30",
                                           "durationHours": 4}}}),
]


def plan_of(spec: AksSpec) -> Any:
    return plan_aks(spec, subscription_id=SUB, run_id="r", created_at="t")


def read(line: str) -> AksSpec:
    return read_aks(split_commands([line]), subscription_id=SUB).spec


# ------------------------------------------------------------------------------------ request bodies = az's


def test_the_create_body_has_what_az_sends_for_the_same_flags() -> None:
    props = plan_of(read(AZ_CREATE)).step("aks").body["properties"]
    for key in ("autoUpgradeProfile", "securityProfile", "ingressProfile", "azureMonitorProfile"):
        assert props[key] == AZ_SENT[key], key
    assert props["networkProfile"]["loadBalancerProfile"] == AZ_SENT_LB
    private = plan_of(read("az aks create -g rg1 -n c2 --no-ssh-key --enable-private-cluster --disable-public-fqdn"))
    assert private.step("aks").body["properties"]["apiServerAccessProfile"] == AZ_SENT_PRIVATE
    assert any("az aks command invoke" in n for n in private.notes)


def test_an_ipv6_count_alone_goes_with_count_1_as_az_sends_it() -> None:
    # acs/_loadbalancer.py configure_load_balancer_profile: count defaults to 1 when only the IPv6 count is given
    body = plan_of(read("az aks create -n c --ip-families ipv4,ipv6 --load-balancer-managed-outbound-ipv6-count 2"))
    assert body.step("aks").body["properties"]["networkProfile"]["loadBalancerProfile"] == {
        "managedOutboundIPs": {"count": 1, "countIPv6": 2}}


def test_flags_not_given_send_nothing_as_az() -> None:
    props = plan_of(read("az aks create -g rg1 -n c1 --no-ssh-key")).step("aks").body["properties"]
    for key in ("autoUpgradeProfile", "securityProfile", "ingressProfile", "azureMonitorProfile",
                "apiServerAccessProfile"):
        assert key not in props
    assert "loadBalancerProfile" not in props["networkProfile"]
    assert all("securityProfile" not in p for p in props["agentPoolProfiles"])
    only_os = plan_of(read("az aks create -n c --node-os-upgrade-channel NodeImage")).step("aks").body
    assert only_os["properties"]["autoUpgradeProfile"] == {"nodeOSUpgradeChannel": "NodeImage"}  # as given, as az


@pytest.mark.parametrize(("flags", "sent"), AZ_MAINTENANCE, ids=["weekly", "relative-monthly", "daily"])
def test_maintenance_bodies_are_what_az_maintenanceconfiguration_add_sends(flags: str, sent: dict[str, Any]) -> None:
    line = (f"az aks create -g rg1 -n c1 --auto-upgrade-channel patch && az aks maintenanceconfiguration add "
            f"-g rg1 --cluster-name c1 -n aksManagedAutoUpgradeSchedule {flags}")
    plan = plan_of(read(line))
    step = plan.step("maint-aksManagedAutoUpgradeSchedule")
    assert step.body == sent
    assert step.resource_id.endswith("/managedClusters/c1/maintenanceConfigurations/aksManagedAutoUpgradeSchedule")
    assert step.depends_on == ("aks",)


def test_ssh_access_disabled_goes_on_every_pool() -> None:
    spec = read("az aks create -n c --ssh-access disabled && az aks nodepool add --cluster-name c -n apps "
                "--ssh-access disabled")
    pools = plan_of(spec).step("aks").body["properties"]["agentPoolProfiles"]
    assert [p["securityProfile"] for p in pools] == [{"sshAccess": "disabled"}] * 2


# ------------------------------------------------------------------------------------ reading az lines


def test_az_refusals_are_repeated() -> None:
    with pytest.raises(AzReadError, match="not supported for private cluster"):
        read("az aks create -n c --enable-private-cluster --api-server-authorized-ip-ranges 20.1.2.3/32")
    with pytest.raises(AzReadError, match="only be used with --enable-private-cluster"):
        read("az aks create -n c --disable-public-fqdn")
    with pytest.raises(AzReadError, match="requires \"--enable-image-cleaner\""):
        read("az aks create -n c --image-cleaner-interval-hours 48")
    with pytest.raises(AzReadError, match="invalid choice"):
        read("az aks create -n c --auto-upgrade-channel weekly")
    base = "az aks create -n c && az aks maintenanceconfiguration add --cluster-name c -n aksManagedAutoUpgradeSchedule"
    with pytest.raises(AzReadError, match="--week-index"):
        read(f"{base} --schedule-type RelativeMonthly --day-of-week Tuesday --interval-months 1 --duration 4 "
             "--start-time 01:00")
    with pytest.raises(AzReadError, match="cannot be used for Daily"):
        read(f"{base} --schedule-type Daily --interval-days 1 --day-of-week Monday --duration 4 --start-time 01:00")
    with pytest.raises(AzReadError, match="HH:mm"):
        read(f"{base} --schedule-type Daily --interval-days 1 --duration 4 --start-time 1am")


def test_a_short_window_is_read_and_then_blocked_by_the_rules() -> None:
    from azwizard.rules.aks import AksFacts, check_aks

    spec = read("az aks create -n c --auto-upgrade-channel stable && az aks maintenanceconfiguration add "
                "--cluster-name c -n aksManagedAutoUpgradeSchedule --schedule-type Weekly --day-of-week Sunday "
                "--interval-weeks 1 --duration 2 --start-time 01:00")
    assert spec.operations.upgrade_window == MaintenanceWindowSpec("Weekly", 1, "Sunday", start_time="01:00",
                                                                   duration_hours=2)
    blocks = [f for f in check_aks(spec, AksFacts(None, None)) if f.blocking]
    assert [(f.rule_id, f.field) for f in blocks] == [("aks-maintenance-window", "operations.upgrade_window.duration_hours")]


def test_other_configurations_and_other_clusters_are_reported_not_dropped() -> None:
    r = read_aks(split_commands(["az aks create -n c && az aks maintenanceconfiguration add --cluster-name c "
                                 "-n default --weekday Monday --start-hour 1"]))
    assert any("--weekday" in u for u in r.unknown)
    assert r.spec.operations.windows() == ()
    other = read_aks(split_commands(["az aks create -n c && az aks maintenanceconfiguration add --cluster-name d "
                                     "-n aksManagedAutoUpgradeSchedule --schedule-type Daily --interval-days 1 "
                                     "--duration 4 --start-time 01:00"]))
    assert any("for another cluster (d)" in u for u in other.unknown) and other.spec.operations.windows() == ()


# ------------------------------------------------------------------------------------ exports and profiles

FULL = preset_prod_dual_stack().with_(
    network=NET.with_(outbound_ipv4_count=2, outbound_ipv6_count=3), private_cluster=True, disable_public_fqdn=True,
    operations=PRODUCTION_OPERATIONS.with_(
        app_routing=True, image_cleaner_interval_hours=72,
        node_os_window=WEEKEND_WINDOW.with_(schedule="RelativeMonthly", day_of_week="Tuesday", week_index="Last",
                                            utc_offset="-05:00", start_date="2027-01-05", duration_hours=6)))


def test_the_az_script_says_every_option_and_reads_back_as_the_same_spec() -> None:
    plan = plan_of(FULL)
    commands = az_commands(plan)
    create = next(c for c in commands if c[:3] == ["az", "aks", "create"])
    for flag in ("--auto-upgrade-channel", "--node-os-upgrade-channel", "--enable-image-cleaner",
                 "--image-cleaner-interval-hours", "--ssh-access", "--enable-app-routing",
                 "--enable-azure-monitor-metrics", "--enable-private-cluster", "--disable-public-fqdn",
                 "--load-balancer-managed-outbound-ip-count", "--load-balancer-managed-outbound-ipv6-count"):
        assert flag in create, flag
    adds = [c for c in commands if c[:4] == ["az", "aks", "maintenanceconfiguration", "add"]]
    assert [c[c.index("--name") + 1] for c in adds] == ["aksManagedAutoUpgradeSchedule",
                                                         "aksManagedNodeOSUpgradeSchedule"]
    assert "--utc-offset=-05:00" in adds[1]  # a negative offset would be read as an option by argparse
    script = az_script(plan)
    assert "aks-preview" in script  # --ssh-access is not in core az
    back = read_aks(read_script(script), subscription_id=SUB)
    assert back.spec == canonical_aks(FULL, SUB)


def test_the_arm_template_has_the_windows_as_child_resources() -> None:
    plan = plan_of(FULL)
    template = arm_template(plan)
    windows = [r for r in template["resources"]
               if r["type"] == "Microsoft.ContainerService/managedClusters/maintenanceConfigurations"]
    assert [r["name"] for r in windows] == ["[concat(parameters('aksName'), '/', 'aksManagedAutoUpgradeSchedule')]",
                                            "[concat(parameters('aksName'), '/', 'aksManagedNodeOSUpgradeSchedule')]"]
    assert windows[1]["properties"] == plan.step("maint-aksManagedNodeOSUpgradeSchedule").body["properties"]
    assert all("tags" not in r and "location" not in r for r in windows)  # proxy resources
    assert all("[resourceId('Microsoft.ContainerService/managedClusters', parameters('aksName'))]" in r["dependsOn"]
               for r in windows)
    cluster = next(r for r in template["resources"] if r["type"] == "Microsoft.ContainerService/managedClusters")
    body = plan.step("aks").body["properties"]
    for key in ("autoUpgradeProfile", "securityProfile", "ingressProfile", "azureMonitorProfile",
                "apiServerAccessProfile"):
        assert cluster["properties"][key] == body[key]


def test_the_profile_keeps_every_option() -> None:
    text = dump_aks(FULL)
    assert "[operations.node_os_window]" in text and 'utc_offset = "-05:00"' in text
    assert read_profile(text, "aks").aks == FULL
    assert read_profile(dump_aks(preset_dev_dual_stack()), "aks").aks.operations.windows() == ()


def test_profile_mistakes_name_the_key() -> None:
    with pytest.raises(ProfileError) as e:
        read_profile('name = "c"\n[operations]\nssh_access = "off"\nnode_os_upgrade_channel = "securitypatch"\n'
                     '[operations.upgrade_window]\nstart_time = "7pm"\n[network]\noutbound_ipv4_count = 0\n', "aks")
    text = str(e.value)
    for key in ("operations.ssh_access", "operations.node_os_upgrade_channel", "operations.upgrade_window.start_time",
                "network.outbound_ipv4_count"):
        assert key in text, key


def test_the_production_preset_has_the_production_choices() -> None:
    ops = preset_prod_dual_stack().operations
    assert preset_prod_dual_stack().tier == "standard"
    assert (ops.upgrade_channel, ops.node_os_upgrade_channel) == ("stable", "SecurityPatch")
    assert ops.upgrade_window == ops.node_os_window == MaintenanceWindowSpec("Weekly", 1, "Saturday",
                                                                             start_time="00:00", duration_hours=8)
    assert ops.image_cleaner and ops.ssh_access == "disabled" and ops.monitor_metrics


# ------------------------------------------------------------------------------------ the simulator


def _create(sdk: Any, rg: str, spec: AksSpec) -> tuple[Any, Any]:
    plan = plan_of(spec.with_(resource_group=rg))
    step = plan.step("aks")
    return plan, sdk.containerservice.managed_clusters.begin_create_or_update(rg, step.name, dict(step.body)).result()


def test_the_simulator_keeps_and_answers_the_options(sim: ArmSim, sdk: Any, rg: str) -> None:
    spec = FULL.with_(private_cluster=False, disable_public_fqdn=False)
    plan, cluster = _create(sdk, rg, spec)
    got = sdk.containerservice.managed_clusters.get(rg, cluster.name)
    assert (got.auto_upgrade_profile.upgrade_channel, got.auto_upgrade_profile.node_os_upgrade_channel) == (
        "stable", "SecurityPatch")
    assert (got.security_profile.image_cleaner.enabled, got.security_profile.image_cleaner.interval_hours) == (True, 72)
    assert got.ingress_profile.web_app_routing.enabled is True
    # sent off, as az sends them: the plan's last metrics step turns them on (tests/test_aks_metrics.py)
    assert got.azure_monitor_profile.metrics.enabled is False
    assert [p.security_profile.ssh_access for p in got.agent_pool_profiles] == ["Disabled", "Disabled"]
    managed = got.network_profile.load_balancer_profile.managed_outbound_i_ps  # the SDK says "i_ps"
    assert (managed.count, managed.count_ipv6) == (2, 3)
    # AKS makes one public IP per managed outbound address asked for
    pips = [b for k, b in sim.snapshot().items() if "/providers/microsoft.network/publicipaddresses/" in k
            and k.startswith(f"/subscriptions/{sim.subscription_id}/resourcegroups/mc_".lower())]
    versions = sorted(b["properties"]["publicIPAddressVersion"] for b in pips)
    assert versions == ["IPv4"] * 2 + ["IPv6"] * 3


def test_a_private_cluster_has_a_private_fqdn_only(sdk: Any, rg: str) -> None:
    _, cluster = _create(sdk, rg, preset_dev_dual_stack().with_(network=NET, private_cluster=True,
                                                                disable_public_fqdn=True))
    assert cluster.private_fqdn and ".privatelink.norwayeast.azmk8s.io" in cluster.private_fqdn
    assert cluster.fqdn is None
    access = cluster.api_server_access_profile
    assert access.enable_private_cluster and access.enable_private_cluster_public_fqdn is False
    assert access.private_dns_zone == "system"


def test_maintenance_configurations_live_and_die_with_the_cluster(sim: ArmSim, sdk: Any, rg: str) -> None:
    plan, cluster = _create(sdk, rg, FULL.with_(private_cluster=False, disable_public_fqdn=False))
    mc = sdk.containerservice.maintenance_configurations
    for key in ("maint-aksManagedAutoUpgradeSchedule", "maint-aksManagedNodeOSUpgradeSchedule"):
        step = plan.step(key)
        made = mc.create_or_update(rg, cluster.name, step.name, dict(step.body))
        assert made.name == step.name and made.id.lower().endswith(step.resource_id.lower().split("/resourcegroups/")[1])
    got = mc.get(rg, cluster.name, "aksManagedNodeOSUpgradeSchedule").maintenance_window
    rel = got.schedule.relative_monthly
    assert (rel.interval_months, rel.day_of_week, rel.week_index) == (1, "Tuesday", "Last")
    assert (got.utc_offset, str(got.start_date), got.duration_hours) == ("-05:00", "2027-01-05", 6)
    assert sorted(c.name for c in mc.list_by_managed_cluster(rg, cluster.name)) == [
        "aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"]
    # proxy resources: never in the group's resource list
    assert not [r for r in sdk.resources.resources.list_by_resource_group(rg) if "maintenance" in r.type.lower()]
    mc.delete(rg, cluster.name, "aksManagedAutoUpgradeSchedule")
    with pytest.raises(HttpResponseError) as e:
        mc.get(rg, cluster.name, "aksManagedAutoUpgradeSchedule")
    assert e.value.status_code == 404
    sdk.containerservice.managed_clusters.begin_delete(rg, cluster.name).result()
    assert not [k for k in sim.snapshot() if "/maintenanceconfigurations/" in k]


@pytest.mark.parametrize(("name", "window", "target"), [
    ("aksManagedAutoUpgradeSchedule", WEEKEND_WINDOW.with_(duration_hours=3), "durationHours"),
    ("aksManagedAutoUpgradeSchedule", WEEKEND_WINDOW.with_(interval=5), "intervalWeeks"),
    ("aksManagedAutoUpgradeSchedule", WEEKEND_WINDOW.with_(start_time="24:00"), "startTime"),
    ("aksManagedAutoUpgradeSchedule", WEEKEND_WINDOW.with_(day_of_week="Caturday"), "dayOfWeek"),
    ("someOtherWindow", WEEKEND_WINDOW, "name"),
])
def test_the_simulator_refuses_what_aks_refuses(sdk: Any, rg: str, name: str, window: MaintenanceWindowSpec,
                                               target: str) -> None:
    _, cluster = _create(sdk, rg, preset_dev_dual_stack().with_(network=NET))
    with pytest.raises(HttpResponseError) as e:
        sdk.containerservice.maintenance_configurations.create_or_update(rg, cluster.name, name,
                                                                         maintenance_body(window))
    assert e.value.status_code == 400 and e.value.error.code == "InvalidParameter"
    assert target in (e.value.error.target or "") + e.value.message


def test_two_schedules_in_one_window_are_refused(sdk: Any, rg: str) -> None:
    _, cluster = _create(sdk, rg, preset_dev_dual_stack().with_(network=NET))
    body = maintenance_body(WEEKEND_WINDOW)
    body["properties"]["maintenanceWindow"]["schedule"]["daily"] = {"intervalDays": 1}
    with pytest.raises(HttpResponseError) as e:
        sdk.containerservice.maintenance_configurations.create_or_update(rg, cluster.name,
                                                                         "aksManagedAutoUpgradeSchedule", body)
    assert e.value.error.code == "InvalidParameter"


def test_upgrade_profiles_and_node_image_upgrade(sim: ArmSim, sdk: Any, rg: str) -> None:
    _, cluster = _create(sdk, rg, preset_dev_dual_stack().with_(network=NET, kubernetes_version="1.33"))
    profile = sdk.containerservice.managed_clusters.get_upgrade_profile(rg, cluster.name)
    control = profile.control_plane_profile
    assert control.kubernetes_version.startswith("1.33.") and control.os_type == "Linux"
    newer = [u.kubernetes_version for u in control.upgrades or []]
    assert newer and all(v > control.kubernetes_version for v in newer)
    assert {v.rsplit(".", 1)[0] for v in newer} <= {"1.33", "1.34"}  # one minor version at a time
    assert [p.name for p in profile.agent_pool_profiles] == ["nodepool1"]
    pools = sdk.containerservice.agent_pools
    pool = pools.get(rg, cluster.name, "nodepool1")
    pool.node_image_version = "AKSUbuntu-2204gen2containerd-202401.01.0"  # an old image, as a long-lived pool has
    stored = sim.peek(cluster.id)
    assert stored is not None
    stored["properties"]["agentPoolProfiles"][0]["nodeImageVersion"] = pool.node_image_version
    sim.save(cluster.id, stored)
    upgraded = pools.begin_upgrade_node_image_version(rg, cluster.name, "nodepool1").result()
    latest = pools.get_upgrade_profile(rg, cluster.name, "nodepool1").latest_node_image_version
    assert pools.get(rg, cluster.name, "nodepool1").node_image_version == latest
    assert upgraded is None or upgraded.name == "nodepool1"


def test_the_simulator_refuses_the_channel_and_access_mistakes(sdk: Any, rg: str) -> None:
    for spec, code in (
            (FULL.with_(operations=FULL.operations.with_(upgrade_channel="node-image")), "InvalidParameter"),
            (FULL.with_(disable_public_fqdn=False, authorized_ip_ranges=("20.100.1.2/32",)), "BadRequest"),
            (FULL.with_(network=NET.with_(ip_families=("IPv4",), pod_cidrs=("10.244.0.0/16",),
                                          service_cidrs=("10.96.0.0/16",), outbound_ipv6_count=1)),
             "InvalidParameter")):
        with pytest.raises(HttpResponseError) as e:
            _create(sdk, rg, spec)
        assert e.value.error.code == code, json.dumps(e.value.error.message)


def test_a_later_run_may_change_the_channels_but_not_make_the_cluster_private(sdk: Any, rg: str) -> None:
    from azwizard.plan.diff import compare, refused_changes

    kind = "Microsoft.ContainerService/managedClusters"
    cur = {"properties": {"autoUpgradeProfile": {"upgradeChannel": "stable"}, "apiServerAccessProfile": {}}}
    want = {"properties": {"autoUpgradeProfile": {"upgradeChannel": "patch"},
                           "apiServerAccessProfile": {"enablePrivateCluster": True}}}
    refused = refused_changes(kind, compare(want, cur), cur)
    assert len(refused) == 1 and "private" in refused[0]
    # the simulator takes the channel change in place (az aks update --auto-upgrade-channel), validated as at creation
    plan, cluster = _create(sdk, rg, preset_dev_dual_stack().with_(network=NET))
    body = dict(plan.step("aks").body)
    body["properties"] = {**body["properties"], "autoUpgradeProfile": {"upgradeChannel": "patch"},
                          "securityProfile": {"imageCleaner": {"enabled": True, "intervalHours": 24}}}
    updated = sdk.containerservice.managed_clusters.begin_create_or_update(rg, cluster.name, body).result()
    assert updated.auto_upgrade_profile.upgrade_channel == "patch"
    assert updated.security_profile.image_cleaner.interval_hours == 24
    body["properties"]["securityProfile"] = {"imageCleaner": {"enabled": True, "intervalHours": 5000}}
    with pytest.raises(HttpResponseError) as e:
        sdk.containerservice.managed_clusters.begin_create_or_update(rg, cluster.name, body).result()
    assert e.value.error.code == "InvalidParameter"


def test_the_done_screen_commands_reach_a_private_cluster_through_aks(tmp_path: Any) -> None:
    from azwizard.screens.aks.done import check_commands

    text = check_commands(FULL, tmp_path / "config", demo=False)
    assert 'az aks command invoke --resource-group=aks-prod-RG --name=aks-prod --command "kubectl get nodes -o wide"' \
        in text
    assert "az aks maintenanceconfiguration list --resource-group=aks-prod-RG --cluster-name=aks-prod" in text
    public = check_commands(preset_dev_dual_stack(), tmp_path / "config", demo=False)
    assert "command invoke" not in public and "maintenanceconfiguration" not in public


# The whole body az 2.91.0 sent (api 2026-06-01, --debug against azwizard sim serve) for azwizard's exported
# ``az aks create`` of the production preset with one pool, a private API server, outbound counts 2 + 2 and Image
# Cleaner every 48 h (core az has no --ssh-access: that preset choice is left out here). What az builds it from:
# acs/managed_cluster_decorator.py AKSManagedClusterCreateDecorator.construct_mc_profile_default (set_up_mc_properties:
# kubernetesVersion "", disableLocalAccounts false; set_up_addon_profiles {}; set_up_storage_profile {};
# set_up_bootstrap_profile Direct; set_up_auto_upgrade_profile; set_up_image_cleaner; set_up_ingress_web_app_routing;
# set_up_azure_monitor_profile: metrics off; set_up_api_server_access_profile) and
# acs/agentpool_decorator.py construct_agentpool_profile_default (orchestratorVersion "", enableNodePublicIP,
# enableAutoScaling, scaleSetPriority Regular, nodeTaints [], upgradeSettings {}, enableEncryptionAtHost, enableUltraSSD,
# enableFIPS), acs/_loadbalancer.py configure_load_balancer_profile.
AZ_TAGS = {"azwizard-created": "2026-12-07T00:00:00Z", "azwizard-journey": "aks", "azwizard-run": "r1",
           "created-by": "azwizard"}
AZ_PROD_CREATE_BODY: dict[str, Any] = {
    "identity": {"type": "SystemAssigned"}, "location": "norwayeast", "sku": {"name": "Base", "tier": "Standard"},
    "tags": AZ_TAGS,
    "properties": {
        "addonProfiles": {},
        "agentPoolProfiles": [{
            "availabilityZones": ["1", "2", "3"], "count": 3, "enableAutoScaling": False,
            "enableEncryptionAtHost": False, "enableFIPS": False, "enableNodePublicIP": False, "enableUltraSSD": False,
            "mode": "System", "name": "system", "nodeTaints": [], "orchestratorVersion": "", "osDiskType": "Ephemeral",
            "osSKU": "AzureLinux", "osType": "Linux", "scaleSetPriority": "Regular", "tags": AZ_TAGS,
            "type": "VirtualMachineScaleSets", "upgradeSettings": {}, "vmSize": "Standard_D4ds_v5"}],
        "apiServerAccessProfile": {"authorizedIPRanges": [], "enablePrivateCluster": True,
                                   "enablePrivateClusterPublicFQDN": False},
        "autoUpgradeProfile": {"nodeOSUpgradeChannel": "SecurityPatch", "upgradeChannel": "stable"},
        "azureMonitorProfile": {"metrics": {"enabled": False, "kubeStateMetrics": {
            "metricAnnotationsAllowList": "", "metricLabelsAllowlist": ""}}},
        "bootstrapProfile": {"artifactSource": "Direct"},
        "disableLocalAccounts": False, "dnsPrefix": "prod-prod-RG-5a1b0c", "enableRBAC": True,
        "ingressProfile": {"webAppRouting": {"enabled": True}},
        "kubernetesVersion": "",
        "networkProfile": {
            "dnsServiceIP": "10.96.0.10", "ipFamilies": ["IPv4", "IPv6"],
            "loadBalancerProfile": {"managedOutboundIPs": {"count": 2, "countIPv6": 2}}, "loadBalancerSku": "standard",
            "networkDataplane": "cilium", "networkPlugin": "azure", "networkPluginMode": "overlay",
            "networkPolicy": "cilium", "outboundType": "loadBalancer",
            "podCidrs": ["10.244.0.0/16", "fd31:9c2e:44a1::/64"],
            "serviceCidrs": ["10.96.0.0/16", "fd31:9c2e:44a1:1::/108"]},
        "securityProfile": {"imageCleaner": {"enabled": True, "intervalHours": 48}},
        "storageProfile": {}, "supportPlan": "KubernetesOfficial"},
}


def test_the_production_create_body_is_azs_field_for_field() -> None:
    prod = preset_prod_dual_stack("prod")
    spec = prod.with_(
        user_pools=(), private_cluster=True, disable_public_fqdn=True,
        network=prod.network.with_(pod_cidrs=("10.244.0.0/16", "fd31:9c2e:44a1::/64"),
                                   service_cidrs=("10.96.0.0/16", "fd31:9c2e:44a1:1::/108"),
                                   outbound_ipv4_count=2, outbound_ipv6_count=2),
        operations=prod.operations.with_(app_routing=True, image_cleaner_interval_hours=48, ssh_access=""))
    plan = plan_aks(spec, subscription_id="5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", run_id="r1",
                    created_at="2026-12-07T00:00:00Z")
    assert json.loads(json.dumps(plan.step("aks").body)) == AZ_PROD_CREATE_BODY
    # and the two windows are az maintenanceconfiguration add's (the weekend window of the preset)
    for config in ("aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"):
        assert plan.step(f"maint-{config}").body == {"properties": {"maintenanceWindow": {
            "schedule": {"weekly": {"intervalWeeks": 1, "dayOfWeek": "Saturday"}}, "startTime": "00:00",
            "durationHours": 8}}}


def test_ssh_access_is_sent_as_aks_preview_sends_it() -> None:
    """Core az 2.91.0 has no --ssh-access; aks-preview's set_up_ssh_access passes its value as given
    (CONST_SSH_ACCESS_DISABLED = "disabled") into agentPoolProfiles[].securityProfile.sshAccess: azwizard sends the
    same on every pool, and its az export says the flag needs the aks-preview extension."""
    from azwizard.plan.exports import az_script as script_of  # every journey's exporters registered

    plan = plan_of(preset_prod_dual_stack().with_(network=NET))
    pools = plan.step("aks").body["properties"]["agentPoolProfiles"]
    assert [p["securityProfile"] for p in pools] == [{"sshAccess": "disabled"}] * 2
    assert "aks-preview" in script_of(plan)
