"""The AKS pre-flight rules at their edges: each limit exactly at and one past it, the exact words a finding
gives (the field it names, the values it suggests), quotas counted over pools and families, and the rules
that need live facts saying nothing without them. Facts are built by hand (no simulator), so each case
states exactly what Azure would report."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from test_rules_aks import ACR_ID, BASE, RSA_KEY, V4, net, ops, pool, spec, user

from azwizard.facts import K8sVersion, Region, RegionFacts, SubscriptionFacts, Usage, VmSize
from azwizard.rules.aks import AKS_RULES, AksFacts, check_aks
from azwizard.specs.aks import WEEKEND_WINDOW, AcrSpec, AksSpec, NodePoolSpec

NONE = AksFacts(None, None)
ZONES = ("1", "2", "3")


def vm(name: str, vcpus: int = 2, memory_gb: float = 8.0, family: str = "standardDSv5Family", **kw: Any) -> VmSize:
    return VmSize(name, family, vcpus, memory_gb, 4, True, False, 0, 0, ("V1", "V2"), "x64", False, True,
                  offered_zones=ZONES, **kw)


D2 = vm("Standard_D2s_v5")
SIZES = (D2, vm("Standard_D8s_v5", vcpus=8, memory_gb=32, restricted_zones=("2",)),
         vm("Standard_D16s_v5", vcpus=16, memory_gb=64, restricted_zones=ZONES),
         vm("Standard_D2as_v5", family="standardDASv5Family", location_restricted=True,
            restriction_reason="NotAvailableForSubscription"),
         vm("Standard_A1_v2", vcpus=1, memory_gb=2, family="standardAv2Family"),
         vm("Standard_A2_v2", vcpus=2, memory_gb=2, family="standardAv2Family"),
         vm("Standard_D2ls_v5", memory_gb=4, family="standardDLSv5Family"),
         vm("Standard_NC4as_T4_v3", vcpus=4, memory_gb=28, family="Standard NCASv3_T4 Family"))


def usage(name: str, current: int, limit: int) -> Usage:
    return Usage(name, f"{name} vCPUs", current, limit)


def region(*usages: Usage, versions: tuple[K8sVersion, ...] = (), where: str = "norwayeast") -> AksFacts:
    """Facts of norwayeast (or another region) holding SIZES, these compute quotas and these Kubernetes versions."""
    rf = RegionFacts(Region(where, where, ZONES), {s.name: s for s in SIZES},
                     {u.name: u for u in usages}, {}, versions)
    return AksFacts(None, rf)


def found(rule_id: str, cluster: AksSpec, facts: AksFacts = NONE) -> list[tuple[str, str, str]]:
    """(severity, field, message) of each finding of one rule."""
    return [(f.severity, f.field, f.message) for f in AKS_RULES.by_id(rule_id).apply(cluster, facts)]


def messages(rule_id: str, cluster: AksSpec, facts: AksFacts = NONE) -> list[str]:
    return [m for _, _, m in found(rule_id, cluster, facts)]


def pools(*user_pools: NodePoolSpec, **system: Any) -> AksSpec:
    return BASE.with_(system_pool=BASE.system_pool.with_(**system), user_pools=user_pools)


# --------------------------------------------------------------------------------------------------
# Rules that need live facts: without them (or with another region's) they say nothing, and check_aks lists
# them as skipped instead; a pool whose size the region does not list is reported by aks-size-available only.


@pytest.mark.parametrize("rule", [r for r in AKS_RULES.rules if r.needs_facts], ids=lambda r: r.id)
def test_a_rule_needing_live_facts_says_nothing_without_them(rule: Any) -> None:
    cluster = pools(NodePoolSpec(name="apps", mode="User", vm_size="Standard_D2s_v5"), os_disk_type="Ephemeral")
    assert rule.apply(cluster, NONE) == []
    assert rule.apply(cluster, region(where="westeurope")) == []


def test_a_size_the_region_does_not_list_is_reported_once_and_breaks_no_other_check() -> None:
    unknown = "Standard_Nope_v9"
    cluster = pools(NodePoolSpec(name="apps", mode="User", vm_size=unknown), vm_size=unknown,
                    os_disk_type="Ephemeral")
    findings = [f for f in check_aks(cluster, region(usage("cores", 100, 100))) if unknown in f.message
                or "could not run" in f.message]
    assert [(f.rule_id, f.field) for f in findings] == [("aks-size-available", "system_pool.vm_size"),
                                                        ("aks-size-available", "user_pools.0.vm_size")]


# --------------------------------------------------------------------------------------------------
# Quota.


def test_node_pools_may_use_the_quota_to_the_last_vcpu() -> None:
    """3 + 2 nodes of 2 vCPUs: 10 more vCPUs of the family and of the regional total, exactly what is left."""
    cluster = pools(NodePoolSpec(name="apps", mode="User", count=2), count=3)
    assert messages("aks-quota-vcpus", cluster, region(usage("standardDSv5Family", 90, 100),
                                                       usage("cores", 40, 50))) == []
    over = messages("aks-quota-vcpus", cluster, region(usage("standardDSv5Family", 91, 100), usage("cores", 40, 50)))
    assert len(over) == 1 and over[0].startswith("The node pools need 10 vCPUs of standardDSv5Family vCPUs, but only "
                                                 "9 of 100 are free in norwayeast")


def test_a_family_quota_is_checked_beside_the_regional_total() -> None:
    """The total has room, the family has not: the family's quota is named, once."""
    facts = region(usage("standardDSv5Family", 0, 4), usage("cores", 0, 100))
    over = messages("aks-quota-vcpus", pools(count=3), facts)
    assert over == ["The node pools need 6 vCPUs of standardDSv5Family vCPUs, but only 4 of 4 are free in norwayeast; "
                    "AKS would answer QuotaExceeded (\"Current Limit: 4, Current Usage: 0, Additional Required: 6\"). "
                    "Use fewer or smaller nodes, or request a quota increase at https://aka.ms/ProdportalCRP."]


def test_one_node_of_one_vcpu_over_a_full_quota_is_refused() -> None:
    facts = region(usage("standardAv2Family", 0, 100), usage("cores", 100, 100))
    over = messages("aks-quota-vcpus", pools(vm_size="Standard_A1_v2", count=1), facts)
    assert len(over) == 1 and "need 1 vCPUs of cores vCPUs, but only 0 of 100" in over[0]


def test_sizes_the_subscription_cannot_use_add_nothing_to_the_quota() -> None:
    """A size restricted in the region, or not listed, is aks-size-available's finding: its nodes would never
    run, so they take no quota (and a full quota says nothing)."""
    full = region(usage("standardDASv5Family", 100, 100), usage("cores", 100, 100))
    assert messages("aks-quota-vcpus", pools(vm_size="Standard_D2as_v5", count=50), full) == []
    assert messages("aks-quota-vcpus", pools(vm_size="Standard_Nope_v9", count=50), full) == []


def test_a_family_with_no_quota_at_all_says_so() -> None:
    facts = region(usage("Standard NCASv3_T4 Family", 0, 0), usage("cores", 0, 100))
    assert messages("aks-quota-vcpus", pools(vm_size="Standard_NC4as_T4_v3", count=1), facts) == [
        "The Standard NCASv3_T4 Family vCPUs quota in norwayeast is 0: Azure gives this family no quota by default, "
        "so the 4 vCPUs the nodes need would be refused (QuotaExceeded). Request a quota increase at "
        "https://aka.ms/ProdportalCRP or pick another size."]


# --------------------------------------------------------------------------------------------------
# Sizes and zones.


@pytest.mark.parametrize(("size", "zones", "words"), [
    ("Standard_D8s_v5", ("1", "2"), "can't be placed in zone(s) 2 of norwayeast"),
    ("Standard_D8s_v5", ("2",), "Usable zones: 1, 3. Drop"),
    ("Standard_D16s_v5", ("1", "3"), "can't be placed in zone(s) 1, 3 of norwayeast"),
    ("Standard_D16s_v5", ("1",), "Usable zones: none. Drop"),
])
def test_a_size_restricted_in_some_zones_names_them_and_the_usable_ones(size: str, zones: tuple[str, ...],
                                                                        words: str) -> None:
    (finding,) = messages("aks-size-zones", pools(vm_size=size, zones=zones), region())
    assert words in finding


def test_a_size_without_a_local_disk_says_so_for_an_ephemeral_os_disk() -> None:
    assert found("aks-ephemeral-os", pools(os_disk_type="Ephemeral"), region()) == [(
        "block", "system_pool.os_disk_type",
        "Standard_D2s_v5 has no local disk for an ephemeral OS disk (the system pool 'nodepool1'); AKS would answer "
        "VMSizeDoesNotSupportEphemeralOS. Choose a managed OS disk, or a size with a local disk ('d' in the name, "
        "e.g. Standard_D4ds_v5).")]


@pytest.mark.parametrize(("size", "expected"), [
    ("Standard_A1_v2", [("block", "SystemPoolSkuTooLow")]),  # 1 vCPU
    ("Standard_A2_v2", [("warn", "2 GB of memory"), ("info", "2 vCPUs")]),  # 2 vCPUs, 2 GB: accepted, warned
    ("Standard_D2ls_v5", [("info", "2 vCPUs")]),  # 4 GB: enough memory
    ("Standard_D2s_v5", [("info", "2 vCPUs")]),
])
def test_the_system_pool_size_at_the_edges(size: str, expected: list[tuple[str, str]]) -> None:
    got = found("aks-system-pool-size", pools(vm_size=size), region())
    assert [s for s, _, _ in got] == [s for s, _ in expected], got
    assert all(words in message for (_, _, message), (_, words) in zip(got, expected, strict=True))


def test_user_pool_sizes_at_the_edges() -> None:
    """2 vCPUs and 2 GB is enough for a user pool; 1 vCPU is not; the system pool is the other rule's."""
    rule = "aks-user-pool-size"
    assert found(rule, pools(NodePoolSpec(name="apps", mode="User", vm_size="Standard_A2_v2")), region()) == []
    assert found(rule, pools(vm_size="Standard_A1_v2"), region()) == []  # aks-system-pool-size's finding
    assert found(rule, pools(NodePoolSpec(name="apps", mode="User", vm_size="Standard_Nope_v9")), region()) == []
    assert [f for _, f, _ in found(rule, pools(NodePoolSpec(name="apps", mode="User"),
                                               NodePoolSpec(name="tiny", mode="User", vm_size="Standard_A1_v2")),
                                   region())] == ["user_pools.1.vm_size"]


# --------------------------------------------------------------------------------------------------
# Kubernetes versions.

VERSIONS = (K8sVersion("1.30", support_plans=("AKSLongTermSupport",)),
            K8sVersion("1.32", support_plans=("KubernetesOfficial", "AKSLongTermSupport")),
            K8sVersion("1.33", is_default=True, support_plans=("KubernetesOfficial",)),
            K8sVersion("1.34", is_preview=True, support_plans=("KubernetesOfficial",)))


def test_a_version_not_offered_lists_only_the_community_versions_and_the_default() -> None:
    assert messages("aks-k8s-version", BASE.with_(kubernetes_version="1.29"), region(versions=VERSIONS)) == [
        "Kubernetes 1.29 is not offered in norwayeast; AKS would answer K8sVersionNotSupported. Pick one of 1.32, "
        "1.33 (or leave it empty for the default, 1.33)."]


def test_an_lts_only_version_needs_the_premium_tier_and_the_lts_plan_together() -> None:
    facts = region(versions=VERSIONS)
    lts = BASE.with_(kubernetes_version="1.30")
    assert messages("aks-k8s-version", lts.with_(tier="premium", support_plan="AKSLongTermSupport"), facts) == []
    for half in (lts.with_(tier="premium"), lts.with_(support_plan="AKSLongTermSupport")):
        (message,) = messages("aks-k8s-version", half, facts)
        assert "only available with long-term support (LTS)" in message


def test_no_version_asked_in_a_region_without_a_default_is_left_to_aks() -> None:
    no_default = tuple(dataclasses.replace(v, is_default=False) for v in VERSIONS)
    assert messages("aks-k8s-version", BASE.with_(kubernetes_version=""), region(versions=no_default)) == []


@pytest.mark.parametrize(("version", "refused"), [("1.28.15", True), ("1.28", True), ("1.29", False),
                                                  ("1.29.0", False), ("v1.29.2", False)])
def test_dual_stack_cilium_needs_kubernetes_1_29_or_any_of_its_patches(version: str, refused: bool) -> None:
    assert BASE.network.dual_stack and BASE.network.dataplane == "cilium"
    fields = [f for _, f, _ in found("aks-cilium", BASE.with_(kubernetes_version=version))]
    assert (fields == ["kubernetes_version"]) is refused and (fields == []) is not refused


# --------------------------------------------------------------------------------------------------
# Names, choices and registries.


def test_the_region_zones_finding_names_the_region_as_azure_does() -> None:
    facts = region()
    (message,) = messages("aks-region-zones", pools(zones=("4",)).with_(location="Norway East"), facts)
    assert "but norwayeast has availability zones: 1, 2, 3;" in message


@pytest.mark.parametrize(("os_type", "name", "ok"), [("Linux", "a" * 12, True), ("Linux", "a" * 13, False),
                                                     ("Windows", "w" * 6, True), ("Windows", "w" * 7, False)])
def test_node_pool_names_are_at_most_12_characters_or_6_on_windows(os_type: Any, name: str, ok: bool) -> None:
    sku = "Windows2022" if os_type == "Windows" else "Ubuntu"
    cluster = pools(NodePoolSpec(name=name, mode="User", os_type=os_type, os_sku=sku))
    assert (messages("aks-name-node-pools", cluster) == []) is ok


def test_a_dns_prefix_set_by_hand_is_not_called_derived() -> None:
    assert messages("aks-dns-prefix", BASE.with_(dns_prefix="-bad")) == [
        "The DNS prefix '-bad' is not allowed: letters, digits and '-' only, starting and ending with a letter or "
        "digit (InvalidParameter)."]


def test_a_value_differing_only_in_case_is_suggested() -> None:
    (message,) = messages("aks-choices", user(os_disk_type="managed")(BASE))
    assert "'managed' is not a node pool OS disk type AKS offers here (did you mean Managed?): use one of" in message
    (message,) = messages("aks-choices", user(os_disk_type="Fast")(BASE))
    assert "did you mean" not in message and message.startswith("'Fast' is not a node pool OS disk type")


@pytest.mark.parametrize("acr", [AcrSpec("create", "myacr2026"), AcrSpec("attach", existing_id=ACR_ID)])
def test_the_registry_provider_is_needed_only_with_a_registry(acr: AcrSpec) -> None:
    sub = SubscriptionFacts("0" * 8, {}, {"Microsoft.ContainerService": "Registered", "Microsoft.Compute": "Registered",
                                          "Microsoft.Network": "Registered",
                                          "Microsoft.ContainerRegistry": "NotRegistered"}, {})
    facts = AksFacts(sub, None)
    (message,) = messages("aks-providers-registered", BASE.with_(acr=acr), facts)
    assert "not registered to use Microsoft.ContainerRegistry" in message
    assert messages("aks-providers-registered", BASE, facts) == []


def test_without_a_registry_role_assignments_do_not_matter() -> None:
    assert not BASE.acr.enabled
    assert messages("aks-acr", BASE, AksFacts(None, None, acr_exists=False, can_assign_roles=False)) == []


# --------------------------------------------------------------------------------------------------
# Networking.


def test_a_cidr_with_host_bits_is_read_as_its_network_as_the_api_does() -> None:
    """10.96.0.5/16 is 10.96.0.0/16 (the simulator's AKS reads it so too): no "not a CIDR" finding, and it still
    overlaps a service range there."""
    cluster = net(pod_cidrs=("10.96.0.5/16", BASE.network.pod_cidrs[1]))(BASE)
    assert messages("aks-ip-families", cluster) == []
    assert any("The pod CIDR 10.96.0.0/16 overlaps the service CIDR 10.96.0.0/16" in m
               for m in messages("aks-cidr-overlap", cluster))


def test_a_list_holding_something_not_a_cidr_says_which() -> None:
    cluster = net(pod_cidrs=("10.244.0.0/16", "nonsense"))(BASE)
    assert found("aks-ip-families", cluster) == [
        ("block", "network.pod_cidrs", "'nonsense' in the pod CIDRs is not a CIDR prefix like 10.244.0.0/16 or "
                                       "fd12:3456:789a::/64 (InvalidParameter).")]


def test_pod_ranges_are_reported_before_service_ranges() -> None:
    """The findings follow the form's order: pod CIDRs, then service CIDRs."""
    assert [f for _, f, _ in found("aks-ip-families", net(pod_cidrs=("x",), service_cidrs=("y",))(BASE))] == \
        ["network.pod_cidrs", "network.service_cidrs"]
    reserved = net(pod_cidrs=("172.31.0.0/16", BASE.network.pod_cidrs[1]),
                   service_cidrs=("169.254.0.0/16", BASE.network.service_cidrs[1]))(BASE)
    assert [f for _, f, _ in found("aks-cidr-reserved", reserved)] == ["network.pod_cidrs", "network.service_cidrs"]


def test_a_too_large_ipv6_service_range_suggests_a_108() -> None:
    cluster = net(service_cidrs=("10.96.0.0/16", "fd00:1:2:3::/64"))(BASE)
    assert messages("aks-service-cidr-ipv6", cluster) == [
        "The IPv6 service CIDR fd00:1:2:3::/64 is too large: AKS allows at most a /108 "
        "(InvalidServiceCidrIPv6MaskSize). Use e.g. fd00:1:2:3::/108."]


@pytest.mark.parametrize(("policy", "refused"), [("calico", True), ("none", False)])
def test_without_a_network_plugin_the_policy_must_be_none(policy: str, refused: bool) -> None:
    cluster = BASE.with_(network=V4.with_(plugin="none", plugin_mode="", dataplane="azure", policy=policy))
    assert any("bring your own CNI" in m for m in messages("aks-network-policy", cluster)) is refused


@pytest.mark.parametrize(("families", "limit"), [(("IPv4",), "limits a cluster to 400 nodes. "),
                                                 (("IPv4", "IPv6"), "limits a cluster to 200 nodes (dual-stack). ")])
def test_kubenet_names_its_node_limit(families: tuple[str, ...], limit: str) -> None:
    cluster = net(plugin="kubenet", plugin_mode="", dataplane="azure", policy="none", ip_families=families)(BASE)
    (message,) = messages("aks-kubenet", cluster)
    assert limit in message


@pytest.mark.parametrize(("v4", "v6", "total"), [(50, 50, False), (None, 100, False), (100, None, False),
                                                 (60, 41, True), (100, 1, True)])
def test_at_most_100_managed_outbound_ips_in_all(v4: int | None, v6: int | None, total: bool) -> None:
    cluster = net(outbound_ipv4_count=v4, outbound_ipv6_count=v6)(BASE)
    assert any("At most 100 managed outbound IPs in all" in m for m in messages("aks-outbound-ips", cluster)) is total


# --------------------------------------------------------------------------------------------------
# Pools.


def test_a_user_pool_listed_as_system_is_named_by_its_own_field() -> None:
    assert [f for _, f, _ in found("aks-system-pool", user(mode="System")(BASE))] == ["user_pools.0.mode"]


@pytest.mark.parametrize(("count", "ok"), [(1000, True), (1001, False)])
def test_a_pool_holds_up_to_1000_nodes(count: int, ok: bool) -> None:
    assert (messages("aks-pool-counts", user(count=count)(BASE)) == []) is ok


@pytest.mark.parametrize(("max_pods", "ok"), [(250, True), (251, False)])
def test_up_to_250_pods_per_node(max_pods: int, ok: bool) -> None:
    assert (messages("aks-max-pods", pool(max_pods=max_pods)(BASE)) == []) is ok
    assert (messages("aks-max-pods", user(max_pods=max_pods)(BASE)) == []) is ok


# --------------------------------------------------------------------------------------------------
# Access: authorized ranges, SSH, registry.


@pytest.mark.parametrize(("text", "problem"), [
    ("20.100.1.2/24", "Authorized IP range '20.100.1.2/24' has host bits set; write 20.100.1.0/24."),
    ("300.1.2.3", "Authorized IP range '300.1.2.3' is not an IPv4 address or CIDR (InvalidParameter)."),
])
def test_an_authorized_range_az_would_refuse_says_why(text: str, problem: str) -> None:
    assert messages("aks-authorized-ranges", spec(authorized_ip_ranges=(text,))(BASE)) == [problem]


def test_every_address_is_a_warning_not_a_refusal() -> None:
    assert [s for s, _, _ in found("aks-authorized-ranges", spec(authorized_ip_ranges=("0.0.0.0/0",))(BASE))] == \
        ["warn"]


def test_a_private_cluster_has_no_open_public_endpoint_to_warn_about() -> None:
    assert found("aks-authorized-ranges", BASE.with_(private_cluster=True, authorized_ip_ranges=())) == []


def test_a_private_key_is_named_as_such() -> None:
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----"
    assert messages("aks-ssh-key", BASE.with_(ssh_public_key=key)) == [
        "This is a PRIVATE key: never share it. Paste the public key (the .pub file) or leave it empty."]


def test_a_public_key_without_a_comment_is_accepted() -> None:
    assert found("aks-ssh-key", BASE.with_(ssh_public_key=RSA_KEY.rsplit(" ", 1)[0])) == []


# --------------------------------------------------------------------------------------------------
# Operations: windows, channels, add-ons.


@pytest.mark.parametrize(("hours", "ok"), [(24, True), (25, False)])
def test_a_maintenance_window_lasts_at_most_24_hours(hours: int, ok: bool) -> None:
    cluster = ops(upgrade_channel="stable", upgrade_window=WEEKEND_WINDOW.with_(duration_hours=hours))(BASE)
    assert (messages("aks-maintenance-window", cluster) == []) is ok


def test_day_29_does_not_occur_in_every_month() -> None:
    window = WEEKEND_WINDOW.with_(schedule="AbsoluteMonthly", day_of_month=29, day_of_week="")
    (finding,) = found("aks-maintenance-window", ops(upgrade_channel="stable", upgrade_window=window)(BASE))
    assert finding[:2] == ("warn", "operations.upgrade_window.day_of_month")


@pytest.mark.parametrize(("channel", "words"), [
    ("None", "you are responsible for the nodes' security updates."),
    ("Unmanaged", "the OS patches itself (unattended-upgrades / dnf-automatic) and you manage reboots (kured)."),
])
def test_an_unmanaged_node_os_channel_says_who_patches(channel: str, words: str) -> None:
    notes = [m for s, _, m in found("aks-node-os-channel", ops(node_os_upgrade_channel=channel)(BASE)) if s == "info"]
    assert notes == [f"Node OS channel {channel}: AKS will not replace the node images with patched ones; {words}"]


@pytest.mark.parametrize(("tier", "noted"), [("free", False), ("standard", True)])
def test_the_rapid_channel_is_noted_for_production_tiers(tier: str, noted: bool) -> None:
    cluster = ops(upgrade_channel="rapid")(BASE).with_(tier=tier)
    assert any("rapid channel" in m for m in messages("aks-upgrade-channels", cluster)) is noted


@pytest.mark.parametrize(("hours", "ok"), [(2160, True), (2161, False)])
def test_image_cleaner_runs_at_most_every_2160_hours(hours: int, ok: bool) -> None:
    cluster = ops(image_cleaner=True, image_cleaner_interval_hours=hours)(BASE)
    assert (messages("aks-addons", cluster) == []) is ok


@pytest.mark.parametrize(("access", "key", "noted"), [("disabled", RSA_KEY, True), ("disabled", "", False),
                                                      ("", RSA_KEY, False)])
def test_a_key_is_unusable_only_when_ssh_is_disabled(access: str, key: str, noted: bool) -> None:
    cluster = ops(ssh_access=access)(BASE).with_(ssh_public_key=key)
    assert any("SSH is disabled" in m for m in messages("aks-addons", cluster)) is noted
