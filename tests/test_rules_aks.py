"""The AKS pre-flight rules: each fires on a spec that breaks it and stays quiet on one that doesn't, the
presets pass with the simulator's live facts, and the notes' own `az aks create` gets exactly the
findings it deserves."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from azwizard.azure.catalog import Catalog
from azwizard.azure.session import ClientFactory
from azwizard.facts import RegionFacts, SubscriptionFacts
from azwizard.locks import ScopeLock
from azwizard.rules.aks import AKS_RULES, AksFacts, check_aks
from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.catalog.locations import SUBSCRIPTION_ID as SUB_ID
from azwizard.sim.transport import SimTransport
from azwizard.specs.aks import (
    SEED_COMMAND,
    WEEKEND_WINDOW,
    AcrSpec,
    AksNetworkSpec,
    AksSpec,
    NodePoolSpec,
    default_dns_prefix,
    dual_stack_ipv6,
    parse_az_aks_create,
    preset_dev_dual_stack,
    preset_ipv4,
    preset_prod_dual_stack,
    spec_from_az_aks_create,
    spec_from_seed_command,
)

ULA = "fd3c:1f0e:9a7b::/48"
PODS6, SERVICES6 = dual_stack_ipv6(ULA)
NET = AksNetworkSpec(pod_cidrs=("10.244.0.0/16", PODS6), service_cidrs=("10.96.0.0/16", SERVICES6))
BASE = preset_dev_dual_stack().with_(network=NET)
V4 = AksNetworkSpec(ip_families=("IPv4",), pod_cidrs=("10.244.0.0/16",), service_cidrs=("10.96.0.0/16",))
RSA_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 me@laptop"
ACR_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/shared-rg/providers/"
          "Microsoft.ContainerRegistry/registries/sharedacr01")


class _Credential:
    def get_token(self, *scopes: str, **kw: Any) -> Any:
        import time

        from azure.core.credentials import AccessToken

        return AccessToken("azwizard-sim-token", int(time.time()) + 3600)


@pytest.fixture(scope="module")
def live() -> tuple[SubscriptionFacts, RegionFacts]:
    """Facts read from one simulator through the product's Catalog (shared by the table tests)."""
    sim = ArmSim()
    factory = ClientFactory(_Credential(), sim.subscription_id, base_url=SIM_BASE_URL,
                            transport=SimTransport(sim), polling_interval=0, retry_total=3)
    catalog = Catalog(factory)
    return catalog.subscription_facts(), catalog.region_facts("norwayeast")


def facts_of(live: tuple[SubscriptionFacts, RegionFacts], **extra: Any) -> AksFacts:
    return AksFacts(live[0], live[1], **extra)


def ids(findings: list[Any], severity: str | None = None) -> set[str]:
    return {f.rule_id for f in findings if severity is None or f.severity == severity}


def pool(**changes: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(system_pool=s.system_pool.with_(**changes))


def user(**changes: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(user_pools=(NodePoolSpec(name="apps", mode="User").with_(**changes),))


def net(**changes: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(network=s.network.with_(**changes))


def spec(**changes: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(**changes)


def ops(**changes: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(operations=s.operations.with_(**changes))


def subscription(**changes: Any) -> Callable[[AksFacts], AksFacts]:
    return lambda f: dataclasses.replace(f, subscription=dataclasses.replace(f.subscription, **changes))


def fact(**changes: Any) -> Callable[[AksFacts], AksFacts]:
    return lambda f: dataclasses.replace(f, **changes)


def same(f: Any) -> Any:
    return f


@dataclass(frozen=True)
class Case:
    """``bad`` (with ``facts``) must make ``rule`` fire with ``severity``; ``good`` (with ``good_facts``, by
    default the same facts) must not."""

    rule: str
    severity: str
    bad: Callable[[AksSpec], AksSpec]
    good: Callable[[AksSpec], AksSpec] = same
    facts: Callable[[AksFacts], AksFacts] = same
    good_facts: Callable[[AksFacts], AksFacts] | None = None


_RAW: list[tuple[Any, ...]] = [
    ("aks-providers-registered", "block", same, same,
     subscription(provider_states={"Microsoft.ContainerService": "NotRegistered", "Microsoft.Compute": "Registered",
                                   "Microsoft.Network": "Registered"}), same),
    ("aks-providers-registered", "warn", same, same,
     subscription(provider_states={"Microsoft.ContainerService": "Registering"}), same),
    ("aks-region-known", "block", spec(location="marsnorth"), same, same),
    ("aks-region-early-access", "warn", spec(location="centraluseuap"), same, same),
    # issue 19 item 3: a listed region the subscription may not use, and locks over the target group
    ("aks-region-access", "block", spec(location="southafricawest"), same, same),
    ("aks-group-locks", "block", same, spec(resource_group="other-rg"),
     subscription(locks=(ScopeLock(f"/subscriptions/{SUB_ID}/resourceGroups/aks-dev-rg/providers/"
                                   "Microsoft.Authorization/locks/freeze", "freeze", "ReadOnly"),))),
    ("aks-group-locks", "warn", same, spec(resource_group="other-rg"),
     subscription(locks=(ScopeLock(f"/subscriptions/{SUB_ID}/resourceGroups/AKS-DEV-RG/providers/"
                                   "Microsoft.Authorization/locks/keep", "keep", "CanNotDelete"),))),
    ("aks-region-zones", "block", pool(zones=("4",)), pool(zones=("1", "2", "3")), same),
    ("aks-resource-group-exists", "warn", same, spec(resource_group="fresh-RG"),
     subscription(resource_groups={"aks-dev-rg": "norwayeast"})),
    ("aks-resource-group-exists", "block", spec(use_existing_group=True), same, same),
    ("aks-name-resource-group", "block", spec(resource_group="bad/rg"), same, same),
    ("aks-name-cluster", "block", spec(cluster_name="aks_"), spec(cluster_name="aks_1"), same),
    ("aks-node-resource-group", "block", spec(cluster_name="c" * 63, dns_prefix="short"),
     spec(cluster_name="c" * 40, dns_prefix="short"), same),
    ("aks-dns-prefix", "block", spec(dns_prefix="-bad"), spec(dns_prefix="good-1"), same),
    ("aks-dns-prefix", "block", spec(dns_prefix="a" * 55), spec(dns_prefix="a" * 54), same),
    ("aks-name-node-pools", "block", pool(name="NodePool1"), pool(name="system"), same),
    ("aks-name-node-pools", "block", user(name="nodepool1"), user(name="apps"), same),
    ("aks-name-node-pools", "block",
     lambda s: s.with_(network=V4.with_(dataplane="azure", policy="none"),
                       user_pools=(NodePoolSpec(name="windows", mode="User", os_type="Windows", os_sku="Windows2022"),)),
     lambda s: s.with_(network=V4.with_(dataplane="azure", policy="none"),
                       user_pools=(NodePoolSpec(name="win", mode="User", os_type="Windows", os_sku="Windows2022"),)),
     same),
    ("aks-name-acr", "block", spec(acr=AcrSpec("create", "my-acr")), spec(acr=AcrSpec("create", "myacr2026")), same),
    ("aks-name-acr", "block", spec(acr=AcrSpec("create", "myacr2026")), spec(acr=AcrSpec("create", "myacr2026")),
     fact(acr_name_available=False), fact(acr_name_available=True)),
    ("aks-name-acr", "block", spec(acr=AcrSpec("attach", existing_id="sharedacr01")),
     spec(acr=AcrSpec("attach", existing_id=ACR_ID)), same),
    ("aks-size-available", "block", pool(vm_size="Standard_Nope_v9"), same, same),
    ("aks-size-available", "block", pool(vm_size="Standard_D2as_v5"), pool(vm_size="Standard_D2ads_v5"), same),
    ("aks-size-zones", "block", pool(vm_size="Standard_D8s_v5", zones=("2",)),
     pool(vm_size="Standard_D8s_v5", zones=("1", "3")), same),
    ("aks-quota-vcpus", "block", pool(count=60), pool(count=40), same),
    ("aks-quota-vcpus", "block", lambda s: s.with_(user_pools=(NodePoolSpec(name="apps", mode="User", count=48),)),
     lambda s: s.with_(user_pools=(NodePoolSpec(name="apps", mode="User", count=40),)), same),
    ("aks-ephemeral-os", "block", pool(os_disk_type="Ephemeral"), pool(vm_size="Standard_D4ds_v5",
                                                                      os_disk_type="Ephemeral"), same),
    ("aks-ephemeral-os", "block", pool(vm_size="Standard_D2ds_v5", os_disk_type="Ephemeral"),
     pool(vm_size="Standard_D2ds_v5", os_disk_type="Ephemeral", os_disk_size_gb=64), same),
    ("aks-os-disk-info", "info", pool(vm_size="Standard_D4ds_v5"), pool(vm_size="Standard_D4ds_v5",
                                                                       os_disk_type="Ephemeral"), same),
    ("aks-k8s-version", "block", spec(kubernetes_version="1.29"), spec(kubernetes_version="1.34"), same),
    ("aks-k8s-version", "block", spec(kubernetes_version="1.30"),
     spec(kubernetes_version="1.30", tier="premium", support_plan="AKSLongTermSupport"), same),
    ("aks-k8s-version", "warn", spec(kubernetes_version="1.36"), spec(kubernetes_version="1.35.2"), same),
    ("aks-support-plan", "block", spec(support_plan="AKSLongTermSupport"),
     spec(support_plan="AKSLongTermSupport", tier="premium"), same),
    ("aks-ip-families", "block", net(ip_families=("IPv6",)), same, same),
    ("aks-ip-families", "block", net(ip_families=("IPv6", "IPv4")), same, same),
    ("aks-ip-families", "block", net(pod_cidrs=(PODS6, "10.244.0.0/16")), same, same),
    ("aks-ip-families", "block", net(service_cidrs=("10.96.0.0/16",)), same, same),
    ("aks-ip-families", "block", net(pod_cidrs=("10.244.0.0/16", "nonsense")), same, same),
    ("aks-ip-families", "warn", lambda s: s.with_(network=V4.with_(plugin_mode="", dataplane="azure", policy="none")),
     lambda s: s.with_(network=V4.with_(plugin_mode="", pod_cidrs=(), dataplane="azure", policy="none")), same),
    ("aks-dual-stack-plugin", "block", net(plugin_mode="", pod_cidrs=()), same, same),
    ("aks-network-policy", "block", net(dataplane="azure", policy="calico"),
     lambda s: s.with_(network=V4.with_(dataplane="azure", policy="calico")), same),
    ("aks-network-policy", "block", lambda s: s.with_(network=V4.with_(plugin="kubenet", dataplane="azure",
                                                                        policy="azure")),
     lambda s: s.with_(network=V4.with_(plugin="kubenet", dataplane="azure", policy="calico")), same),
    ("aks-cilium", "block", net(policy="none"), same, same),
    ("aks-cilium", "block", lambda s: s.with_(network=V4.with_(policy="calico")), same, same),
    ("aks-cilium", "block", lambda s: s.with_(network=V4.with_(dataplane="azure")),
     lambda s: s.with_(network=V4.with_(dataplane="azure", policy="none")), same),
    ("aks-cilium", "block", net(plugin="kubenet", plugin_mode=""), same, same),
    ("aks-cilium", "block", spec(kubernetes_version="1.28"), same, same),
    ("aks-service-cidr-ipv6", "block", net(service_cidrs=("10.96.0.0/16", PODS6)), same, same),
    ("aks-cidr-overlap", "block", net(pod_cidrs=("10.96.0.0/16", PODS6)), same, same),
    ("aks-cidr-overlap", "block", net(service_cidrs=("10.96.0.0/16", PODS6.replace("/64", "/108"))), same, same),
    ("aks-cidr-overlap", "warn", net(service_cidrs=("10.224.0.0/16", SERVICES6), dns_service_ip=""), same, same),
    ("aks-cidr-reserved", "block", net(pod_cidrs=("172.31.0.0/16", PODS6)), same, same),
    ("aks-cidr-reserved", "block", net(service_cidrs=("169.254.0.0/16", SERVICES6)), same, same),
    ("aks-dns-service-ip", "block", net(dns_service_ip="10.0.0.10"), net(dns_service_ip="10.96.0.53"), same),
    ("aks-dns-service-ip", "block", net(dns_service_ip="10.96.0.1"), net(dns_service_ip="10.96.0.2"), same),
    ("aks-outbound-type", "block", net(outbound_type="managedNATGateway"),
     lambda s: s.with_(network=V4.with_(outbound_type="loadBalancer")), same),
    ("aks-outbound-type", "info", lambda s: s.with_(network=V4.with_(outbound_type="managedNATGateway")), same, same),
    ("aks-ipv6-lb-services", "info", same, pool(os_sku="Ubuntu"), same),
    ("aks-kubenet", "warn", net(plugin="kubenet", plugin_mode="", dataplane="azure", policy="none"), same, same),
    ("aks-load-balancer", "block", net(load_balancer_sku="basic"), same, same),
    ("aks-load-balancer", "block", spec(vm_set_type="AvailabilitySet"), same, same),
    ("aks-system-pool", "block", pool(mode="User"), same, same),
    ("aks-system-pool", "block", pool(os_type="Windows", os_sku="Windows2022"), same, same),
    ("aks-system-pool", "block", user(mode="System"), user(mode="User"), same),
    # an API server open to everyone: a note for a free dev cluster, a warning for a production (paid tier) one
    ("aks-authorized-ranges", "warn", spec(tier="standard", authorized_ip_ranges=()),
     spec(tier="standard", authorized_ip_ranges=("20.100.1.2/32",)), same),
    ("aks-authorized-ranges", "info", spec(tier="free", authorized_ip_ranges=()),
     spec(tier="free", authorized_ip_ranges=("20.100.1.2/32",)), same),
    ("aks-pool-counts", "warn", pool(count=2), pool(count=3), same),
    ("aks-pool-counts", "warn", pool(count=1), pool(count=5), same),  # Microsoft's quickstart: 1 node
    ("aks-pool-counts", "block", pool(count=0), pool(count=1), same),
    ("aks-pool-counts", "block", user(count=1001), user(count=0), same),
    ("aks-max-pods", "block", pool(max_pods=20), pool(max_pods=30), same),
    ("aks-max-pods", "block", user(max_pods=251), user(max_pods=10), same),
    ("aks-system-pool-size", "block", pool(vm_size="Standard_A1_v2"), pool(vm_size="Standard_D4s_v5"), same),
    ("aks-system-pool-size", "warn", pool(vm_size="Standard_B2als_v2"), pool(vm_size="Standard_D4s_v5"), same),
    ("aks-system-pool-size", "info", same, pool(vm_size="Standard_D4s_v5"), same),
    ("aks-user-pool-size", "block", user(vm_size="Standard_A1_v2"), user(vm_size="Standard_D2s_v5"), same),
    ("aks-tier", "info", same, spec(tier="standard"), same),
    ("aks-tier", "warn", pool(count=10), pool(count=9), same),
    ("aks-tier", "info", spec(tier="premium"), spec(tier="premium", support_plan="AKSLongTermSupport"), same),
    ("aks-authorized-ranges", "block", spec(authorized_ip_ranges=("a.b.c.d/e",)),
     spec(authorized_ip_ranges=("20.100.1.2/32",)), same),
    ("aks-authorized-ranges", "block", spec(authorized_ip_ranges=("2001:db8::/64",)),
     spec(authorized_ip_ranges=("20.100.1.2",)), same),
    ("aks-authorized-ranges", "block", spec(authorized_ip_ranges=("20.100.1.2/24",)),
     spec(authorized_ip_ranges=("20.100.1.0/24",)), same),
    ("aks-authorized-ranges", "block", spec(authorized_ip_ranges=("10.1.0.0/16",)),
     spec(authorized_ip_ranges=("51.120.0.0/16",)), same),
    ("aks-authorized-ranges", "block", spec(authorized_ip_ranges=("0.0.0.0/32", "20.100.1.2/32")),
     spec(authorized_ip_ranges=("20.100.1.2/32", "51.120.0.0/16")), same),
    ("aks-authorized-ranges", "block",
     spec(authorized_ip_ranges=tuple(f"20.100.{i // 250}.{i % 250 + 1}/32" for i in range(201))),
     spec(authorized_ip_ranges=tuple(f"20.100.{i // 250}.{i % 250 + 1}/32" for i in range(200))), same),
    ("aks-authorized-ranges", "info", same, spec(authorized_ip_ranges=("20.100.1.2/32",)), same),
    ("aks-authorized-ranges", "warn", spec(authorized_ip_ranges=("0.0.0.0/32",)),
     spec(authorized_ip_ranges=("20.100.1.2/32",)), same),
    ("aks-my-ip", "warn", spec(authorized_ip_ranges=("20.100.1.2/32",)),
     spec(authorized_ip_ranges=("20.100.1.2/32", "51.120.7.8/32")), fact(my_public_ipv4="51.120.7.8")),
    ("aks-my-ip", "warn", spec(authorized_ip_ranges=("20.100.1.2/32",)), spec(authorized_ip_ranges=()),
     fact(my_public_ipv6="2a01:799:1:2::3")),
    ("aks-os-sku", "info", same, pool(os_sku="Ubuntu"), same),
    ("aks-os-sku", "warn", pool(os_sku="CBLMariner"), pool(os_sku="Ubuntu"), same),
    ("aks-os-sku", "block", pool(os_sku="Windows2022"), pool(os_sku="Ubuntu"), same),
    ("aks-windows-pools", "block", user(name="win", os_type="Windows", os_sku="Windows2022"),
     lambda s: s.with_(network=V4.with_(dataplane="azure", policy="none"),
                       user_pools=(NodePoolSpec(name="win", mode="User", os_type="Windows", os_sku="Windows2022"),)),
     same),
    ("aks-ssh-key", "block", spec(ssh_public_key="-----BEGIN OPENSSH PRIVATE KEY-----\nabc"),
     spec(ssh_public_key=RSA_KEY), same),
    ("aks-ssh-key", "block", spec(ssh_public_key="hello"), spec(ssh_public_key=""), same),
    ("aks-ssh-key", "block", spec(ssh_public_key=RSA_KEY, admin_username="1admin"), spec(ssh_public_key=RSA_KEY), same),
    ("aks-ssh-key", "warn", spec(ssh_public_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc me@laptop"),
     spec(ssh_public_key=RSA_KEY), same),
    ("aks-acr", "block", spec(acr=AcrSpec("create", "myacr2026")), spec(acr=AcrSpec("create", "myacr2026")),
     fact(can_assign_roles=False), fact(can_assign_roles=True)),
    ("aks-acr", "block", spec(acr=AcrSpec("attach", existing_id=ACR_ID)), spec(acr=AcrSpec("attach", existing_id=ACR_ID)),
     fact(acr_exists=False), fact(acr_exists=True, can_assign_roles=True)),
    # Unknown values (an az command can carry any --network-policy; AKS refuses values outside its enums).
    ("aks-tags", "block", spec(extra_tags=(("-n", "Evil"),)), spec(extra_tags=(("n", "-Evil"),)), same),
    ("aks-choices", "block", net(policy="bogus"), same, same),
    ("aks-choices", "block", net(dataplane="ebpf", policy="none"), net(dataplane="azure", policy="none"), same),
    ("aks-choices", "block", spec(tier="gold"), spec(tier="standard"), same),
    ("aks-choices", "block", net(plugin="calico"), same, same),
    ("aks-choices", "block", user(os_disk_type="managed"), user(os_disk_type="Managed"), same),
    # Production / operations (#24)
    ("aks-private-cluster", "block", spec(private_cluster=True, authorized_ip_ranges=("20.100.1.2/32",)),
     spec(private_cluster=True), same),
    ("aks-private-cluster", "block", spec(disable_public_fqdn=True),
     spec(private_cluster=True, disable_public_fqdn=True), same),
    ("aks-private-cluster", "warn", spec(private_cluster=True), same, same),
    ("aks-maintenance-window", "block", ops(upgrade_channel="stable", upgrade_window=WEEKEND_WINDOW.with_(duration_hours=3)),
     ops(upgrade_channel="stable", upgrade_window=WEEKEND_WINDOW.with_(duration_hours=4)), same),
    ("aks-maintenance-window", "block", ops(node_os_window=WEEKEND_WINDOW.with_(interval=5)),
     ops(node_os_window=WEEKEND_WINDOW.with_(interval=4)), same),
    ("aks-maintenance-window", "warn", ops(upgrade_window=WEEKEND_WINDOW),
     ops(upgrade_channel="patch", upgrade_window=WEEKEND_WINDOW), same),
    ("aks-maintenance-window", "warn",
     ops(node_os_window=WEEKEND_WINDOW.with_(schedule="AbsoluteMonthly", day_of_month=31)),
     ops(node_os_window=WEEKEND_WINDOW.with_(schedule="AbsoluteMonthly", day_of_month=28)), same),
    ("aks-node-os-channel", "warn", lambda s: user(os_type="Windows", os_sku="Windows2022")(
        ops(node_os_upgrade_channel="Unmanaged")(s)),
     lambda s: user(os_type="Windows", os_sku="Windows2022")(ops(node_os_upgrade_channel="NodeImage")(s)), same),
    ("aks-node-os-channel", "warn", lambda s: pool(vm_size="Standard_NC6s_v3")(
        ops(node_os_upgrade_channel="SecurityPatch")(s)), pool(vm_size="Standard_NC6s_v3"), same),
    ("aks-node-os-channel", "warn", pool(os_sku="CBLMariner"), pool(os_sku="AzureLinux"), same),
    ("aks-node-os-channel", "info", ops(node_os_upgrade_channel="None"), ops(node_os_upgrade_channel="NodeImage"),
     same),
    ("aks-upgrade-channels", "block", ops(upgrade_channel="node-image", node_os_upgrade_channel="SecurityPatch"),
     ops(upgrade_channel="node-image", node_os_upgrade_channel="NodeImage"), same),
    ("aks-upgrade-channels", "info", ops(upgrade_channel="node-image"), ops(upgrade_channel="stable"), same),
    ("aks-app-routing-private", "warn", lambda s: ops(app_routing=True)(s).with_(private_cluster=True),
     ops(app_routing=True), same),
    ("aks-addons", "block", ops(image_cleaner=True, image_cleaner_interval_hours=12),
     ops(image_cleaner=True, image_cleaner_interval_hours=24), same),
    ("aks-addons", "info", ops(monitor_metrics=True), same, same),
    ("aks-outbound-ips", "block", net(outbound_ipv4_count=0), net(outbound_ipv4_count=1), same),
    ("aks-outbound-ips", "block", lambda s: s.with_(network=V4.with_(outbound_ipv6_count=1)),
     lambda s: s.with_(network=V4.with_(outbound_ipv4_count=2)), same),
    ("aks-outbound-ips", "info", net(outbound_type="managedNATGateway", ip_families=("IPv4",),
                                     outbound_ipv4_count=2), net(outbound_ipv4_count=2), same),
    ("aks-tier", "warn", ops(upgrade_channel="stable"), lambda s: ops(upgrade_channel="stable")(s).with_(
        tier="standard"), same),
]
CASES = [Case(*c) for c in _RAW]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}:{c.severity}:{i}" for i, c in enumerate(CASES)])
def test_rule_fires_and_stays_quiet(live: tuple[SubscriptionFacts, RegionFacts], case: Case) -> None:
    base = facts_of(live)
    broken = check_aks(case.bad(BASE), case.facts(base))
    hits = [x for x in broken if x.rule_id == case.rule and x.severity == case.severity]
    assert hits, (case.rule, case.severity, [(x.rule_id, x.severity, x.message) for x in broken])
    rule = AKS_RULES.by_id(case.rule)
    for hit in hits:
        assert hit.source == rule.source and hit.source.startswith("https://")
        assert hit.message and (hit.field or case.rule == "aks-providers-registered")  # subscription-wide
    fine = check_aks(case.good(BASE), (case.good_facts or case.facts)(base))
    assert not [x for x in fine if x.rule_id == case.rule and x.severity == case.severity], \
        [(x.rule_id, x.severity, x.message) for x in fine if x.rule_id == case.rule]


def test_every_rule_has_a_case_and_a_catalogue_entry() -> None:
    assert {r.id for r in AKS_RULES.rules} == {c.rule for c in CASES}
    for r in AKS_RULES.rules:
        assert r.catalogue.startswith("B"), r.id
        assert r.source.startswith("https://"), r.id


@pytest.mark.parametrize("make", [preset_dev_dual_stack, preset_prod_dual_stack, preset_ipv4])
def test_presets_pass_with_live_facts(factory: ClientFactory, make: Callable[[], AksSpec]) -> None:
    catalog = Catalog(factory)
    facts = AksFacts(catalog.subscription_facts(), catalog.region_facts("norwayeast"),
                     my_public_ipv4="20.100.1.2", acr_name_available=True, can_assign_roles=True)
    spec = make()
    findings = check_aks(spec, facts)
    assert not ids(findings, "block"), [f.message for f in findings if f.blocking]
    # the production preset (a paid tier) warns while its API server is open to every address; the others don't
    open_api = {"aks-authorized-ranges"} if spec.tier != "free" else set()
    assert ids(findings, "warn") == open_api, [f.message for f in findings if f.severity == "warn"]
    # with "add my IP" and a registry they pass without a warning
    more = spec.with_(authorized_ip_ranges=("20.100.1.2/32",), acr=AcrSpec("create", "azwizardpreset1"))
    assert not ids(check_aks(more, facts), "block") | ids(check_aks(more, facts), "warn")


def test_presets_are_what_they_say() -> None:
    dev, prod, v4 = preset_dev_dual_stack(), preset_prod_dual_stack(), preset_ipv4()
    assert dev.tier == "free" and dev.system_pool.count == 3 and dev.network.dual_stack
    assert (dev.network.plugin, dev.network.plugin_mode, dev.network.dataplane, dev.network.policy) == \
        ("azure", "overlay", "cilium", "cilium")
    assert dev.network.pod_cidrs[0] == "10.244.0.0/16" and dev.network.service_cidrs[0] == "10.96.0.0/16"
    pods6, services6 = dev.network.pod_cidrs[1], dev.network.service_cidrs[1]
    assert pods6.endswith("/64") and services6.endswith("/108") and pods6.startswith("fd")
    assert pods6 != "fd12:3456:789a::/64"  # a random ULA, not the docs' shared example prefix
    assert preset_dev_dual_stack().network.pod_cidrs[1] != pods6  # fresh per spec
    assert prod.tier == "standard" and prod.system_pool.zones == ("1", "2", "3")
    assert prod.system_pool.os_disk_type == "Ephemeral" and prod.user_pools[0].mode == "User"
    assert v4.network.ip_families == ("IPv4",) and v4.network.pod_cidrs == ("10.244.0.0/16",)


def test_rules_needing_live_facts_are_skipped_without_them() -> None:
    findings = check_aks(BASE.with_(kubernetes_version="1.29"), AksFacts(None, None))
    assert "aks-k8s-version" not in ids(findings)
    assert "live-facts-unavailable" in ids(findings, "warn")
    assert not ids(findings, "block")


# ---------------------------------------------------------------------------------------------------
# The notes' own command.


def test_seed_command_parses_into_the_spec_it_describes() -> None:
    opts = parse_az_aks_create(SEED_COMMAND)
    assert opts["--node-vm-size"] == ["Standard_B2als_v2"] and opts["--generate-ssh-keys"] == []
    seed = spec_from_seed_command()
    assert (seed.resource_group, seed.cluster_name, seed.tier, seed.kubernetes_version) == \
        ("test_rg", "test_aks", "standard", "1.29")
    assert seed.system_pool == NodePoolSpec(vm_size="Standard_B2als_v2", count=3, os_sku="AzureLinux")
    assert seed.network == AksNetworkSpec(
        plugin="azure", plugin_mode="overlay", dataplane="cilium", policy="cilium", ip_families=("IPv4", "IPv6"),
        pod_cidrs=("172.16.0.0/16", "fdfb:4d1e:98bf::/48"), service_cidrs=("10.0.0.0/16", "fd92:d839:1c02::/108"),
        load_balancer_sku="standard")
    assert seed.authorized_ip_ranges == ("a.b.c.d/e",)
    assert seed.ssh_public_key == ""  # --generate-ssh-keys: AKS needs no key


def test_seed_command_findings_name_each_problem_and_nothing_else(live: tuple[SubscriptionFacts, RegionFacts]) -> None:
    findings = check_aks(spec_from_seed_command(), facts_of(live))
    by_rule = {f.rule_id: f for f in findings if f.severity != "info"}
    assert ids(findings, "block") == {"aks-k8s-version", "aks-authorized-ranges"}
    assert ids(findings, "warn") == {"aks-system-pool-size"}
    assert ids(findings) == {"aks-k8s-version", "aks-authorized-ranges", "aks-system-pool-size", "aks-os-sku",
                             "aks-ipv6-lb-services"}
    assert "1.29" in by_rule["aks-k8s-version"].message and "K8sVersionNotSupported" in by_rule["aks-k8s-version"].message
    assert "a.b.c.d/e" in by_rule["aks-authorized-ranges"].message
    assert "placeholder" in by_rule["aks-authorized-ranges"].message
    assert "Standard_B2als_v2" in by_rule["aks-system-pool-size"].message
    assert "B-series" in by_rule["aks-system-pool-size"].message


def test_seed_command_corrected_passes(live: tuple[SubscriptionFacts, RegionFacts]) -> None:
    seed = spec_from_seed_command()
    fixed = seed.with_(kubernetes_version="", authorized_ip_ranges=("20.100.1.2/32",),
                       system_pool=seed.system_pool.with_(vm_size="Standard_D2s_v5"))
    findings = check_aks(fixed, facts_of(live, my_public_ipv4="20.100.1.2"))
    assert not ids(findings, "block") and not ids(findings, "warn")


def test_default_dns_prefix_matches_az() -> None:
    # azure-cli acs/custom.py _get_default_dns_prefix
    assert default_dns_prefix("test_aks", "test_rg", "5a1b0c11-0000") == "testaks-testrg-5a1b0c"
    assert default_dns_prefix("1cluster", "rg", "abcdef99") == "a1cluster-rg-abcdef"
    assert default_dns_prefix("averyveryverylongname", "a-very-long-resource-group-name", "123456") == \
        "averyveryv-a-very-long-reso-123456"


def test_az_command_reader_handles_the_usual_forms() -> None:
    spec = spec_from_az_aks_create(
        "az aks create -g rg1 -n aks1 -l westeurope --node-count 2 --zones 1 2 3 --network-plugin kubenet "
        "--tags env=dev team=x --attach-acr myacr2026 --node-osdisk-type Ephemeral --node-osdisk-size 64")
    assert (spec.location, spec.resource_group, spec.cluster_name) == ("westeurope", "rg1", "aks1")
    assert spec.system_pool.zones == ("1", "2", "3") and spec.system_pool.count == 2
    assert spec.system_pool.os_disk_type == "Ephemeral" and spec.system_pool.os_disk_size_gb == 64
    assert spec.network.plugin == "kubenet" and spec.network.ip_families == ("IPv4",)
    assert spec.extra_tags == (("env", "dev"), ("team", "x"))
    assert spec.acr == AcrSpec("attach", name="myacr2026")
    with pytest.raises(ValueError):
        parse_az_aks_create("az vm create -n x")


def test_unknown_values_are_findings_with_the_valid_values_and_the_docs() -> None:
    """``--network-policy bogus`` / ``--network-dataplane ebpf`` were reported Ready: any value outside the fixed
    choices is a blocking finding that lists what is valid and links the API reference."""
    bad = BASE.with_(network=BASE.network.with_(policy="bogus", dataplane="ebpf"), tier="gold")
    found = {f.field: f for f in check_aks(bad, AksFacts(None, None)) if f.rule_id == "aks-choices"}
    assert set(found) == {"network.policy", "network.dataplane", "tier"}
    assert "'bogus'" in found["network.policy"].message and "none, cilium, calico, azure" in found["network.policy"].message
    assert "azure, cilium" in found["network.dataplane"].message
    assert "free, standard, premium" in found["tier"].message
    assert all(f.blocking and f.source == "https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update"
               for f in found.values())


@pytest.mark.parametrize(("services", "bad"), [
    (("10.96.0.0/16", "fd00::/8"), "fd00::/8"),  # too large: not also "the pod CIDR overlaps fd00::/8"
    (("10.0.0.0/8", SERVICES6), "10.0.0.0/8"),  # overlaps the pods: not also the node network warning
])
def test_a_bad_cidr_is_reported_once(live: tuple[SubscriptionFacts, RegionFacts], services: tuple[str, ...],
                                     bad: str) -> None:
    """One bad range, one finding: the findings it would cause in the range comparisons are left out (issue 12)."""
    findings = check_aks(BASE.with_(network=NET.with_(service_cidrs=services)), facts_of(live))
    about = [f for f in findings if bad in f.message]
    assert len(about) == 1 and about[0].blocking, [(f.rule_id, f.message) for f in about]


@pytest.mark.parametrize(("tier", "words"), [("standard", "meant for production"), ("free", "Add your own address")])
def test_an_open_api_server_is_explained_by_the_tier(live: tuple[SubscriptionFacts, RegionFacts], tier: str,
                                                     words: str) -> None:
    cluster = BASE.with_(tier=tier, authorized_ip_ranges=(), private_cluster=False)
    findings = [f for f in check_aks(cluster, facts_of(live)) if f.rule_id == "aks-authorized-ranges"]
    assert len(findings) == 1 and words in findings[0].message


@pytest.mark.parametrize(("os_type", "channel", "fires"), [("Windows", "Unmanaged", True),
                                                           ("Windows", "NodeImage", False),
                                                           ("Linux", "Unmanaged", False)])
def test_unmanaged_node_os_updates_are_flagged_for_windows_pools_only(
        live: tuple[SubscriptionFacts, RegionFacts], os_type: str, channel: str, fires: bool) -> None:
    cluster = user(os_type=os_type, os_sku="Windows2022" if os_type == "Windows" else "Ubuntu")(BASE)
    cluster = ops(node_os_upgrade_channel=channel)(cluster)
    findings = [f for f in check_aks(cluster, facts_of(live)) if f.rule_id == "aks-node-os-channel"]
    assert any("runs Windows" in f.message for f in findings) is fires
    assert not fires or any(f.message.startswith("The user pool 'apps' runs Windows") for f in findings)


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)])
def test_the_node_resource_group_name_is_at_most_80_characters(extra: int, ok: bool) -> None:
    cluster = BASE.with_(resource_group="rg")
    room = 80 - len(cluster.node_resource_group)  # MC_rg_{cluster}_{region}: lengthen the cluster name to fit
    cluster = cluster.with_(cluster_name=cluster.cluster_name + "x" * (room + extra))
    assert len(cluster.node_resource_group) == 80 + extra
    findings = AKS_RULES.by_id("aks-node-resource-group").apply(cluster, AksFacts(None, None))
    assert (findings == []) is ok, findings


@pytest.mark.parametrize(("v4", "v6", "blamed"), [(100, None, None), (101, None, "network.outbound_ipv4_count"),
                                                  (0, None, "network.outbound_ipv4_count"), (None, 100, None),
                                                  (None, 101, "network.outbound_ipv6_count"), (1, 0, None)])
def test_managed_outbound_ip_counts_stay_within_what_aks_takes(v4: int | None, v6: int | None,
                                                               blamed: str | None) -> None:
    """Each family's count has its own range (the finding points at that field), beside the total of 100."""
    cluster = net(outbound_ipv4_count=v4, outbound_ipv6_count=v6)(BASE)
    findings = AKS_RULES.by_id("aks-outbound-ips").apply(cluster, AksFacts(None, None))
    ranged = [f for f in findings if f.severity == "block" and "AKS takes" in f.message]
    assert [f.field for f in ranged] == ([blamed] if blamed else []), findings


@pytest.mark.parametrize(("disk_type", "gb", "rule"), [("Ephemeral", 75, None), ("Ephemeral", 76, "aks-ephemeral-os"),
                                                       ("Managed", 75, "aks-os-disk-info"), ("Managed", 76, None)])
def test_an_ephemeral_os_disk_may_fill_the_local_disk_to_the_byte(live: tuple[SubscriptionFacts, RegionFacts],
                                                                  disk_type: str, gb: int, rule: str | None) -> None:
    """Standard_D2ds_v5's temp disk holds exactly 75 GiB (76 800 MiB): a 75 GiB ephemeral OS disk fits, 76 does
    not (VMCacheSizeTooSmall), and the managed disk's hint offers ephemeral only where it fits."""
    facts = facts_of(live)
    assert facts.region is not None and facts.region.size("Standard_D2ds_v5").resource_disk_mb == 76800
    cluster = pool(vm_size="Standard_D2ds_v5", os_disk_type=disk_type, os_disk_size_gb=gb)(BASE)
    found = [f for f in check_aks(cluster, facts) if f.rule_id in ("aks-ephemeral-os", "aks-os-disk-info")]
    assert [f.rule_id for f in found] == ([rule] if rule else []), found
    if rule == "aks-ephemeral-os":
        assert "at most 75 GiB" in found[0].message and "requires 81604378624 bytes" in found[0].message


@pytest.mark.parametrize(("families", "detail"), [(("IPv6",), "IPv6-only clusters are not supported"),
                                                  (("IPv6", "IPv4"), "IPv4 must come first"),
                                                  (("IPv4", "IPX"), "['IPv4', 'IPX'] is unknown")])
def test_the_ip_families_finding_says_what_is_wrong(families: tuple[str, ...], detail: str) -> None:
    findings = AKS_RULES.by_id("aks-ip-families").apply(net(ip_families=families)(BASE), AksFacts(None, None))
    assert [f.message for f in findings] == [
        f"IP families must be IPv4, or IPv4 + IPv6 ({detail}); AKS would answer InvalidNetworkingConfig."]


def test_without_a_version_asked_the_regions_default_is_the_one_checked(
        live: tuple[SubscriptionFacts, RegionFacts]) -> None:
    """Dual-stack Cilium needs Kubernetes 1.29+: with no version in the spec, the region's default is what AKS
    installs, so a region defaulting to 1.28 is refused, and with no facts at all nothing is assumed."""
    from azwizard.facts import K8sVersion

    assert BASE.kubernetes_version == "" and BASE.network.dual_stack and BASE.network.dataplane == "cilium"
    old = dataclasses.replace(live[1], kubernetes_versions=(K8sVersion("1.28", is_default=True), K8sVersion("1.29")))
    cilium = AKS_RULES.by_id("aks-cilium")
    (finding,) = cilium.apply(BASE, AksFacts(live[0], old))
    assert finding.field == "kubernetes_version" and "(this spec: 1.28)" in finding.message
    assert cilium.apply(BASE, facts_of(live)) == []  # the live default, 1.34
    assert cilium.apply(BASE, AksFacts(None, None)) == []  # unknown: not refused
    # a region whose versions could not be read: a version asked for is not called "not offered"
    unread = AksFacts(live[0], dataclasses.replace(live[1], kubernetes_versions=()))
    assert AKS_RULES.by_id("aks-k8s-version").apply(BASE.with_(kubernetes_version="1.29"), unread) == []


def test_a_pools_finding_names_that_pools_field(live: tuple[SubscriptionFacts, RegionFacts]) -> None:
    ephemeral = {"vm_size": "Standard_D2s_v5", "os_disk_type": "Ephemeral"}  # no local disk
    rule = AKS_RULES.by_id("aks-ephemeral-os")
    assert [f.field for f in rule.apply(pool(**ephemeral)(BASE), facts_of(live))] == ["system_pool.os_disk_type"]
    assert [f.field for f in rule.apply(user(**ephemeral)(BASE), facts_of(live))] == ["user_pools.0.os_disk_type"]


@pytest.mark.parametrize(("length", "ok"), [(1, True), (54, True), (55, False)])
def test_the_dns_prefix_is_1_to_54_characters(length: int, ok: bool) -> None:
    findings = AKS_RULES.by_id("aks-dns-prefix").apply(BASE.with_(dns_prefix="a" * length), AksFacts(None, None))
    assert (findings == []) is ok, findings
    assert ok or f"is {length} characters long; AKS allows 1-54" in findings[0].message


def test_a_derived_dns_prefix_is_checked_with_or_without_the_subscription(
        live: tuple[SubscriptionFacts, RegionFacts]) -> None:
    """az derives the prefix from the names and the subscription's first 6 characters (always valid): with
    the subscription unknown the same length stands in, and nothing is refused either way."""
    long = BASE.with_(cluster_name="c" * 60, dns_prefix="")
    rule = AKS_RULES.by_id("aks-dns-prefix")
    assert rule.apply(long, facts_of(live)) == [] and rule.apply(long, AksFacts(None, None)) == []


def test_a_pool_zone_the_region_lacks_lists_the_regions_zones(live: tuple[SubscriptionFacts, RegionFacts]) -> None:
    rule = AKS_RULES.by_id("aks-region-zones")
    (finding,) = rule.apply(pool(zones=("4",))(BASE), facts_of(live))
    assert "availability zones: 1, 2, 3;" in finding.message and finding.field == "system_pool.zones"
    no_zones = dataclasses.replace(live[1], region=dataclasses.replace(live[1].region, zones=()))
    (finding,) = rule.apply(pool(zones=("1",))(BASE), AksFacts(live[0], no_zones))
    assert "availability zones: none;" in finding.message and "Choose no zones." in finding.message
    assert rule.apply(pool(zones=("4",))(BASE), AksFacts(None, None)) == []  # zones unknown: nothing said


def test_an_ephemeral_os_disk_counts_only_the_placements_the_size_offers(
        live: tuple[SubscriptionFacts, RegionFacts]) -> None:
    from azwizard.rules.aks import ephemeral_capacity

    size = live[1].size("Standard_D2ds_v5")
    assert size is not None and size.cached_disk_bytes < size.resource_disk_mb * 2**20
    big_cache = dataclasses.replace(size, cached_disk_bytes=10 * 2**40)
    assert ephemeral_capacity(dataclasses.replace(big_cache, ephemeral_placements=("ResourceDisk",))) == \
        size.resource_disk_mb * 2**20
    assert ephemeral_capacity(dataclasses.replace(big_cache, ephemeral_placements=("CacheDisk",))) == 10 * 2**40
    assert ephemeral_capacity(dataclasses.replace(big_cache, ephemeral_placements=())) == 10 * 2**40  # unknown: either


@pytest.mark.parametrize("no_fqdn", [True, False])
def test_a_private_cluster_says_who_can_resolve_it_only_without_a_public_name(no_fqdn: bool) -> None:
    cluster = BASE.with_(private_cluster=True, disable_public_fqdn=no_fqdn, authorized_ip_ranges=())
    messages = " ".join(f.message for f in AKS_RULES.by_id("aks-private-cluster").apply(cluster, AksFacts(None, None)))
    assert ("only machines using the cluster's private DNS zone can resolve it" in messages) is no_fqdn


@pytest.mark.parametrize(("schedule", "interval", "ok"), [
    ("Daily", 7, True), ("Daily", 8, False), ("Weekly", 4, True), ("Weekly", 5, False),
    ("AbsoluteMonthly", 6, True), ("AbsoluteMonthly", 7, False), ("RelativeMonthly", 6, True),
    ("RelativeMonthly", 7, False), ("Yearly", 1, True), ("Yearly", 2, False)])
def test_a_window_repeats_within_its_schedules_range(schedule: str, interval: int, ok: bool) -> None:
    """Daily 1-7 days, Weekly 1-4 weeks, monthly 1-6 months (planned-maintenance.md); a schedule AKS does not
    know gets 1 only."""
    window = WEEKEND_WINDOW.with_(schedule=schedule, interval=interval, day_of_week="", day_of_month=1)
    cluster = ops(upgrade_channel="stable", upgrade_window=window)(BASE)
    findings = AKS_RULES.by_id("aks-maintenance-window").apply(cluster, AksFacts(None, None))
    assert (findings == []) is ok, findings
    assert ok or findings[0].field == "operations.upgrade_window.interval"


def test_another_outbound_type_without_ip_counts_says_nothing() -> None:
    rule = AKS_RULES.by_id("aks-outbound-ips")
    assert rule.apply(net(outbound_type="userDefinedRouting")(BASE), AksFacts(None, None)) == []
    assert [f.severity for f in rule.apply(net(outbound_type="userDefinedRouting", outbound_ipv4_count=2)(BASE),
                                           AksFacts(None, None))] == ["info"]
