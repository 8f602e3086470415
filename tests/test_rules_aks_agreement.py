"""The AKS block rules agree with the service: for each violation the simulator's AKS provider also refuses,
the rule fires, and the plan's own body, sent anyway through the real SDK, is refused with Azure's code.

(The simulator is checked against real recorded Azure traffic; the codes are the ones its provider cites.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from azwizard.azure.catalog import Catalog
from azwizard.azure.session import ClientFactory
from azwizard.facts import RegionFacts, SubscriptionFacts
from azwizard.plan.aks import plan_aks
from azwizard.rules.aks import AksFacts, check_aks
from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.transport import SimTransport
from azwizard.specs.aks import (
    WEEKEND_WINDOW,
    AcrSpec,
    AksNetworkSpec,
    AksSpec,
    NodePoolSpec,
    dual_stack_ipv6,
    preset_dev_dual_stack,
)

PODS6, SERVICES6 = dual_stack_ipv6("fd3c:1f0e:9a7b::/48")
NET = AksNetworkSpec(pod_cidrs=("10.244.0.0/16", PODS6), service_cidrs=("10.96.0.0/16", SERVICES6))
V4 = AksNetworkSpec(ip_families=("IPv4",), pod_cidrs=("10.244.0.0/16",), service_cidrs=("10.96.0.0/16",))
BASE = preset_dev_dual_stack("aks1").with_(resource_group="test-rg", network=NET)


class _Credential:
    def get_token(self, *scopes: str, **kw: Any) -> Any:
        import time

        from azure.core.credentials import AccessToken

        return AccessToken("azwizard-sim-token", int(time.time()) + 3600)


@pytest.fixture(scope="module")
def live() -> tuple[SubscriptionFacts, RegionFacts]:
    sim = ArmSim()
    factory = ClientFactory(_Credential(), sim.subscription_id, base_url=SIM_BASE_URL,
                            transport=SimTransport(sim), polling_interval=0, retry_total=3)
    catalog = Catalog(factory)
    return catalog.subscription_facts(), catalog.region_facts("norwayeast")


def pool(**c: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(system_pool=s.system_pool.with_(**c))


def net(**c: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(network=s.network.with_(**c))


def v4(**c: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(network=V4.with_(**c))


def spec(**c: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(**c)


def ops(**c: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(operations=s.operations.with_(**c))


def user(**c: Any) -> Callable[[AksSpec], AksSpec]:
    return lambda s: s.with_(user_pools=(NodePoolSpec(name="apps", mode="User").with_(**c),))


# (rule, violation, Azure's error code)
CASES: list[tuple[str, Callable[[AksSpec], AksSpec], str]] = [
    ("aks-k8s-version", spec(kubernetes_version="1.29"), "K8sVersionNotSupported"),
    ("aks-k8s-version", spec(kubernetes_version="1.30"), "K8sVersionNotSupported"),  # LTS-only, free tier
    ("aks-ip-families", net(ip_families=("IPv6",), pod_cidrs=(PODS6,), service_cidrs=(SERVICES6,)),
     "InvalidNetworkingConfig"),
    ("aks-ip-families", net(pod_cidrs=(PODS6, "10.244.0.0/16")), "InvalidNetworkingConfig"),
    ("aks-ip-families", net(service_cidrs=("10.96.0.0/16",)), "InvalidNetworkingConfig"),
    ("aks-dual-stack-plugin", net(plugin_mode=""), "UnsupportedDualStackNetworkPlugin"),
    ("aks-network-policy", net(dataplane="azure", policy="calico"), "UnsupportedDualStackNetworkPolicy"),
    ("aks-network-policy", net(dataplane="azure", policy="azure"), "UnsupportedDualStackNetworkPolicy"),
    ("aks-cilium", v4(policy="calico"), "BadRequest"),  # subcode CiliumDataplaneRequiresNetworkPolicyCilium
    ("aks-cilium", v4(dataplane="azure", policy="cilium"), "NetworkPolicyNotSupported"),
    ("aks-cilium", v4(plugin="kubenet", plugin_mode=""), "InvalidParameter"),
    ("aks-service-cidr-ipv6", net(service_cidrs=("10.96.0.0/16", PODS6)), "InvalidServiceCidrIPv6MaskSize"),
    ("aks-cidr-overlap", net(pod_cidrs=("10.96.0.0/16", PODS6)), "InvalidParameter"),
    ("aks-cidr-reserved", net(pod_cidrs=("172.31.0.0/16", PODS6)), "InvalidParameter"),
    ("aks-cidr-reserved", net(service_cidrs=("169.254.0.0/16", SERVICES6)), "InvalidParameter"),
    ("aks-dns-service-ip", net(dns_service_ip="10.0.0.10"), "DnsServiceIpOutOfServiceCidr"),
    ("aks-dns-service-ip", net(dns_service_ip="10.96.0.1"), "InvalidParameter"),
    ("aks-outbound-type", net(outbound_type="managedNATGateway"), "InvalidParameter"),
    ("aks-load-balancer", net(load_balancer_sku="basic"), "InvalidParameter"),
    ("aks-load-balancer", spec(vm_set_type="AvailabilitySet"), "InvalidParameter"),
    ("aks-system-pool", pool(mode="User"), "InvalidParameter"),
    ("aks-system-pool", pool(name="sys", os_type="Windows", os_sku="Windows2022"), "SystemPoolMustBeLinux"),
    ("aks-pool-counts", pool(count=0), "InvalidParameter"),
    ("aks-max-pods", pool(max_pods=20), "InvalidParameter"),
    ("aks-system-pool-size", pool(vm_size="Standard_A1_v2"), "SystemPoolSkuTooLow"),
    ("aks-user-pool-size", user(vm_size="Standard_A1_v2"), "BadRequest"),
    ("aks-authorized-ranges", spec(authorized_ip_ranges=("a.b.c.d/e",)), "InvalidParameter"),
    ("aks-authorized-ranges", spec(authorized_ip_ranges=("2001:db8::/64",)), "InvalidParameter"),
    ("aks-authorized-ranges", spec(authorized_ip_ranges=("0.0.0.0/32", "20.100.1.2/32")), "InvalidParameter"),
    ("aks-authorized-ranges", spec(authorized_ip_ranges=tuple(f"20.100.{i // 250}.{i % 250 + 1}/32"
                                                              for i in range(201))), "InvalidParameter"),
    ("aks-name-cluster", spec(cluster_name="aks1_"), "InvalidParameter"),
    ("aks-dns-prefix", spec(dns_prefix="-bad"), "InvalidParameter"),
    ("aks-node-resource-group", spec(cluster_name="c" * 63, dns_prefix="short"), "InvalidParameter"),
    ("aks-name-node-pools", pool(name="NodePool1"), "InvalidParameter"),
    ("aks-name-node-pools", user(name="nodepool1"), "InvalidParameter"),
    ("aks-size-available", pool(vm_size="Standard_Nope_v9"), "InvalidParameter"),
    ("aks-size-available", pool(vm_size="Standard_D2as_v5"), "BadRequest"),  # Location restriction
    ("aks-region-zones", pool(zones=("4",)), "AvailabilityZoneNotSupported"),
    ("aks-quota-vcpus", pool(count=60), "QuotaExceeded"),
    ("aks-quota-vcpus", user(count=48), "QuotaExceeded"),  # summed over pools: 3×2 + 48×2 > 100
    ("aks-ephemeral-os", pool(os_disk_type="Ephemeral"), "VMSizeDoesNotSupportEphemeralOS"),
    ("aks-ephemeral-os", pool(vm_size="Standard_D2ds_v5", os_disk_type="Ephemeral"), "VMCacheSizeTooSmall"),
    # Production / operations (#24)
    ("aks-private-cluster", spec(private_cluster=True, authorized_ip_ranges=("20.100.1.2/32",)), "BadRequest"),
    ("aks-upgrade-channels", ops(upgrade_channel="node-image", node_os_upgrade_channel="SecurityPatch"),
     "InvalidParameter"),
    ("aks-addons", ops(image_cleaner=True, image_cleaner_interval_hours=12), "InvalidParameter"),
    ("aks-outbound-ips", net(outbound_ipv4_count=0), "InvalidParameter"),
    ("aks-outbound-ips", v4(outbound_ipv6_count=1), "InvalidParameter"),
]


@pytest.mark.parametrize(("rule_id", "violate", "code"), CASES, ids=[f"{c[0]}:{c[2]}:{i}" for i, c in enumerate(CASES)])
def test_block_rule_agrees_with_the_service(live: tuple[SubscriptionFacts, RegionFacts], sim: ArmSim, sdk: Any,
                                            rg: str, rule_id: str, violate: Callable[[AksSpec], AksSpec],
                                            code: str) -> None:
    bad = violate(BASE)
    findings = check_aks(bad, AksFacts(live[0], live[1]))
    assert rule_id in {f.rule_id for f in findings if f.blocking}, [(f.rule_id, f.message) for f in findings]
    step = plan_aks(bad, subscription_id=sim.subscription_id, run_id="r", created_at="t").step("aks")
    with pytest.raises(HttpResponseError) as e:
        sdk.containerservice.managed_clusters.begin_create_or_update(rg, step.name, dict(step.body)).result()
    assert e.value.error is not None and e.value.error.code == code, e.value.message


def test_the_base_spec_is_accepted(live: tuple[SubscriptionFacts, RegionFacts], sim: ArmSim, sdk: Any,
                                   rg: str) -> None:
    """The control: without the violation, neither the rules nor the service object."""
    assert not [f for f in check_aks(BASE, AksFacts(live[0], live[1])) if f.blocking]
    step = plan_aks(BASE, subscription_id=sim.subscription_id, run_id="r", created_at="t").step("aks")
    cluster = sdk.containerservice.managed_clusters.begin_create_or_update(rg, step.name, dict(step.body)).result()
    assert cluster.provisioning_state == "Succeeded"


@pytest.mark.parametrize(("rule_id", "variant"), [
    ("aks-pool-counts", pool(count=1)),  # Microsoft's quickstart cluster: one system node
    ("aks-authorized-ranges", spec(tier="standard", authorized_ip_ranges=())),  # open API server, paid tier
    ("aks-private-cluster", spec(private_cluster=True, disable_public_fqdn=True)),  # unreachable from here
    ("aks-tier", ops(upgrade_channel="stable", node_os_upgrade_channel="SecurityPatch")),  # free tier, production
    ("aks-app-routing-private", lambda s: ops(app_routing=True)(s).with_(private_cluster=True)),
])
def test_a_warning_rule_agrees_that_the_service_accepts_it(live: tuple[SubscriptionFacts, RegionFacts], sim: ArmSim,
                                                          sdk: Any, rg: str, rule_id: str,
                                                          variant: Callable[[AksSpec], AksSpec]) -> None:
    """What the rules only warn about, the service accepts (so blocking it would refuse a valid cluster)."""
    spec = variant(BASE)
    findings = check_aks(spec, AksFacts(live[0], live[1]))
    assert rule_id in {f.rule_id for f in findings if f.severity == "warn"}
    assert not [f for f in findings if f.blocking], [(f.rule_id, f.message) for f in findings if f.blocking]
    step = plan_aks(spec, subscription_id=sim.subscription_id, run_id="r", created_at="t").step("aks")
    cluster = sdk.containerservice.managed_clusters.begin_create_or_update(rg, step.name, dict(step.body)).result()
    assert cluster.provisioning_state == "Succeeded"


def test_registry_name_taken_agrees(live: tuple[SubscriptionFacts, RegionFacts], sim: ArmSim, sdk: Any,
                                    rg: str) -> None:
    sim.extra["acr_taken_names"] = ["takenacr2026"]
    spec = BASE.with_(acr=AcrSpec("create", "takenacr2026"))
    answer = sdk.containerregistry.registries.check_name_availability(
        {"name": "takenacr2026", "type": "Microsoft.ContainerRegistry/registries"})
    facts = AksFacts(live[0], live[1], acr_name_available=answer.name_available)
    assert "aks-name-acr" in {f.rule_id for f in check_aks(spec, facts) if f.blocking}
    step = plan_aks(spec, subscription_id=sim.subscription_id, run_id="r", created_at="t").step("acr")
    with pytest.raises(HttpResponseError) as e:
        sdk.containerregistry.registries.begin_create(rg, step.name, dict(step.body)).result()
    assert e.value.error.code == "AlreadyInUse"


def test_registry_name_rule_agrees(live: tuple[SubscriptionFacts, RegionFacts], sim: ArmSim, sdk: Any, rg: str) -> None:
    spec = BASE.with_(acr=AcrSpec("create", "my-acr"))
    assert "aks-name-acr" in {f.rule_id for f in check_aks(spec, AksFacts(live[0], live[1])) if f.blocking}
    step = plan_aks(spec, subscription_id=sim.subscription_id, run_id="r", created_at="t").step("acr")
    with pytest.raises(HttpResponseError) as e:
        sdk.containerregistry.registries.begin_create(rg, step.name, dict(step.body)).result()
    assert e.value.error.code == "ResourceNameInvalid"


def _can_assign_roles(factory: ClientFactory, rg: str) -> bool:
    """What the UI asks the permissions API: roleAssignments/write granted and not taken away."""
    import fnmatch

    action = "microsoft.authorization/roleassignments/write"
    for p in factory.authorization().permissions.list_for_resource_group(rg):
        if any(fnmatch.fnmatchcase(action, a.lower()) for a in p.actions or []) and not any(
                fnmatch.fnmatchcase(action, a.lower()) for a in p.not_actions or []):
            return True
    return False


def test_role_assignment_rights_agree(live: tuple[SubscriptionFacts, RegionFacts], sim: ArmSim, sdk: Any,
                                      factory: ClientFactory, rg: str) -> None:
    spec = BASE.with_(acr=AcrSpec("create", "azwizardrights1"))
    plan = plan_aks(spec, subscription_id=sim.subscription_id, run_id="r", created_at="t")
    acr = plan.step("acr")
    sdk.containerregistry.registries.begin_create(rg, acr.name, dict(acr.body)).result()
    assert _can_assign_roles(factory, rg)
    sim.extra["caller_role"] = "Contributor"  # everything but Microsoft.Authorization/*/Write
    can = _can_assign_roles(factory, rg)
    assert can is False
    assert "aks-acr" in {f.rule_id for f in check_aks(spec, AksFacts(live[0], live[1], can_assign_roles=can))
                         if f.blocking}
    ra = plan.step("acrpull")
    body = {"properties": {**ra.body["properties"], "principalId": "00000000-0000-0000-0000-0000000000aa"}}
    scope = ra.resource_id.rsplit("/providers/Microsoft.Authorization/", 1)[0]
    with pytest.raises(HttpResponseError) as e:
        sdk.authorization.role_assignments.create(scope, ra.name, body)
    assert e.value.error.code == "AuthorizationFailed"


@pytest.mark.parametrize("hours", [3, 25])
def test_maintenance_window_length_agrees(live: tuple[SubscriptionFacts, RegionFacts], sim: ArmSim, sdk: Any,
                                         rg: str, hours: int) -> None:
    """A window outside 4-24 hours: the rule blocks it, and AKS refuses the maintenance configuration PUT the
    plan would send (InvalidParameter) once the cluster exists."""
    bad = ops(upgrade_channel="stable", upgrade_window=WEEKEND_WINDOW.with_(duration_hours=hours))(BASE)
    assert "aks-maintenance-window" in {f.rule_id for f in check_aks(bad, AksFacts(live[0], live[1])) if f.blocking}
    plan = plan_aks(bad, subscription_id=sim.subscription_id, run_id="r", created_at="t")
    cluster = plan.step("aks")
    sdk.containerservice.managed_clusters.begin_create_or_update(rg, cluster.name, dict(cluster.body)).result()
    window = plan.step("maint-aksManagedAutoUpgradeSchedule")
    with pytest.raises(HttpResponseError) as e:
        sdk.containerservice.maintenance_configurations.create_or_update(rg, cluster.name, window.name,
                                                                         dict(window.body))
    assert e.value.error is not None and e.value.error.code == "InvalidParameter", e.value.message
    good = plan_aks(ops(upgrade_channel="stable", upgrade_window=WEEKEND_WINDOW)(BASE), subscription_id=sim.subscription_id,
                    run_id="r", created_at="t").step("maint-aksManagedAutoUpgradeSchedule")
    made = sdk.containerservice.maintenance_configurations.create_or_update(rg, cluster.name, good.name, dict(good.body))
    assert made.maintenance_window.duration_hours == 8
