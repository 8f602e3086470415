"""The AKS journey's draft: the spec, the live facts (regions, sizes, quotas, Kubernetes versions, and what
the Access step asks Azure: registry name availability, existing registries, role-assignment rights), the
findings, and the choices that adapt to each other (cluster name -> group and DNS prefix, region -> zones,
preset -> pools and network)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azwizard.myip import DEMO_ADDRESS
from azwizard.specs.aks import (
    AcrSpec,
    AksSpec,
    preset_dev_dual_stack,
    preset_ipv4,
    preset_prod_dual_stack,
)

from ..wizard import Journey

if TYPE_CHECKING:
    from textual.screen import Screen

    from azwizard.azure.catalog import Catalog
    from azwizard.plan.model import Plan
    from azwizard.rules.model import Finding
    from azwizard.run.executor import RunResult


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    summary: str
    make: Any  # (name, location) -> AksSpec


PRESETS: tuple[Preset, ...] = (
    Preset("dev", "Dev dual-stack",
           "Free tier · 3 × Standard_D2s_v5 system nodes (2 vCPU, 8 GiB) · managed OS disks · no zones · "
           "Azure CNI Overlay + Cilium · IPv4 + IPv6. For trying things: the cheapest cluster that passes "
           "every check.", preset_dev_dual_stack),
    Preset("prod", "Production dual-stack",
           "Standard tier (uptime SLA) · system pool and user pool 'apps', 3 × Standard_D4ds_v5 each, spread "
           "over zones 1–3 where the region has them · ephemeral OS disks on the local disk · Azure CNI "
           "Overlay + Cilium · IPv4 + IPv6 · stable Kubernetes upgrades and SecurityPatch node OS updates in a "
           "Saturday 00:00 UTC window (8 h) · Image Cleaner · SSH to nodes disabled · managed Prometheus "
           "metrics.", preset_prod_dual_stack),
    Preset("ipv4", "Plain IPv4",
           "The dev cluster without IPv6: free tier · 3 × Standard_D2s_v5 · Azure CNI Overlay + Cilium · "
           "IPv4 pod and service CIDRs only.", preset_ipv4),
)

# The demo's "my public IPv4": the one both journeys use (azwizard.myip), labelled "simulated" wherever shown.
DEMO_PUBLIC_IPV4 = DEMO_ADDRESS


class AksJourney(Journey[AksSpec]):
    create_hint = ("An AKS cluster usually takes 5 to 10 minutes to create; the elapsed time keeps counting and "
                   "each resource shows its state.")
    journey_id = "aks"

    def __init__(self, spec: AksSpec | None = None) -> None:
        super().__init__(spec or preset_dev_dual_stack())
        self.catalog: Catalog | None = None
        self.preset: str = "dev" if spec is None else "custom"
        # A spec from a profile or an az command keeps its own group (not <cluster>-RG) when it names one.
        self.group_edited = spec is not None and spec.resource_group != f"{spec.cluster_name}-RG"
        # The network policy the user picked on the Networking step (kept across plugin changes, restored when
        # valid again), and what the step says when a plugin change had to change it.
        self.policy_choice: str | None = None
        self.policy_note = ""
        # What the Access step learned from Azure (None = not asked / could not be read).
        self.my_public_ipv4: str | None = None
        self.acr_name_available: bool | None = None
        self.acr_name_checked: str = ""
        self.acr_name_message: str = ""
        self.acr_exists: bool | None = None
        self.can_assign_roles: bool | None = None
        self.rights_note: str = ""
        self.registries: list[dict[str, str]] | None = None


    # ------------------------------------------------------------------ journey protocol

    def check(self) -> list[Finding]:
        from azwizard.rules.aks import AksFacts, check_aks

        return check_aks(self.spec, AksFacts(
            self.subscription_facts, self.region_facts, my_public_ipv4=self.my_public_ipv4,
            acr_name_available=self.acr_name_available if self.acr_name_checked == self.spec.acr.name else None,
            acr_exists=self.acr_exists, can_assign_roles=self.can_assign_roles))

    def make_plan(self, subscription_id: str) -> Plan:
        from azwizard.plan.aks import plan_aks

        assert self.run_id is not None
        return plan_aks(self.spec, subscription_id=subscription_id, run_id=self.run_id, created_at=self.created_at)

    def done_screen(self, plan: Plan, result: RunResult) -> Screen[None]:
        from .done import AksDoneScreen

        return AksDoneScreen(self.spec, plan, result, self.group_owner)

    # ------------------------------------------------------------------ choices that adapt

    @property
    def subscription_id(self) -> str:
        return self.subscription_facts.subscription_id if self.subscription_facts else "000000"

    def derived_dns_prefix(self) -> str:
        from azwizard.specs.aks import default_dns_prefix

        return default_dns_prefix(self.spec.cluster_name, self.spec.resource_group, self.subscription_id)

    def set_cluster_name(self, name: str) -> None:
        """A new cluster name; the resource group follows (``<name>-RG``) until the user edits it."""
        changes: dict[str, Any] = {"cluster_name": name}
        if not self.group_edited:
            changes["resource_group"] = f"{name}-RG"
        self.update(**changes)

    def set_group(self, name: str) -> None:
        self.group_edited = True
        self.update(resource_group=name)

    def set_location(self, location: str) -> None:
        """A new region: pools keep their zones only where the region has them."""
        zones = self.region_zones(location)
        changes: dict[str, Any] = {"location": location}
        if zones is not None:
            changes["system_pool"] = self.spec.system_pool.with_(
                zones=tuple(z for z in self.spec.system_pool.zones if z in zones))
            changes["user_pools"] = tuple(p.with_(zones=tuple(z for z in p.zones if z in zones))
                                          for p in self.spec.user_pools)
        if self.region_facts is not None and self.region_facts.region.name != location:
            self.region_facts = None
        self.update(**changes)

    def set_tier(self, tier: str) -> None:
        """Premium is the Standard tier plus long-term support: the LTS plan comes with it."""
        plan = "AKSLongTermSupport" if tier == "premium" else "KubernetesOfficial"
        self.update(tier=tier, support_plan=plan)

    def region_zones(self, location: str | None = None) -> tuple[str, ...] | None:
        if self.subscription_facts is None:
            return None
        region = self.subscription_facts.region(location or self.spec.location)
        return region.zones if region else None

    def apply_preset(self, key: str) -> None:
        """Fill node pools, network, tier and operations (upgrades, windows, add-ons) from a preset; keep the
        basics (names, region, version) and the access choices. Zones the region lacks are dropped, so the preset passes every check there."""
        preset = next(p for p in PRESETS if p.key == key)
        made: AksSpec = preset.make(self.spec.cluster_name, self.spec.location)
        zones = self.region_zones()
        pools = (made.system_pool, *made.user_pools)
        if zones is not None:
            pools = tuple(p.with_(zones=tuple(z for z in p.zones if z in zones)) for p in pools)
        plan = "AKSLongTermSupport" if made.tier == "premium" else "KubernetesOfficial"
        self.preset = key
        self.update(tier=made.tier, support_plan=plan, system_pool=pools[0], user_pools=pools[1:],
                    network=made.network, operations=made.operations)

    def mark_custom(self) -> None:
        self.preset = "custom"

    def set_acr(self, acr: AcrSpec) -> None:
        if acr.mode != self.spec.acr.mode or acr.existing_id != self.spec.acr.existing_id:
            self.can_assign_roles, self.rights_note = None, ""
            self.acr_exists = None
        self.update(acr=acr)

    def set_pool(self, index: int, **changes: Any) -> None:
        """Change the system pool (index 0) or a user pool (1..); a real change leaves the preset."""
        before = self.spec
        if index == 0:
            self.update(system_pool=self.spec.system_pool.with_(**changes))
        else:
            pools = list(self.spec.user_pools)
            pools[index - 1] = pools[index - 1].with_(**changes)
            self.update(user_pools=tuple(pools))
        if self.spec != before:
            self.mark_custom()

    def set_network(self, **changes: Any) -> None:
        before = self.spec
        self.update(network=dataclasses.replace(self.spec.network, **changes))
        if self.spec != before:
            self.mark_custom()
