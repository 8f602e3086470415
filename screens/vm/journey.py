"""The VM journey's draft: spec, facts, findings, and the choices that adapt to each other
(base name -> names, region -> zones)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from azwizard.specs.vm import VmNames, VmSpec

from ..wizard import Journey

if TYPE_CHECKING:
    from textual.screen import Screen

    from azwizard.azure.catalog import Catalog
    from azwizard.plan.model import Plan
    from azwizard.rules.model import Finding
    from azwizard.run.executor import RunResult


class VmJourney(Journey[VmSpec]):
    journey_id = "vm"

    def __init__(self, spec: VmSpec | None = None) -> None:
        super().__init__(spec or VmSpec.for_base("Yolo"))
        # A spec from a profile or an az command keeps the names it gives (e.g. its --resource-group): they count
        # as edited, so a new base name does not replace them.
        derived = VmNames.derive(self.spec.base_name)
        self.edited_names: set[str] = {f.name for f in dataclasses.fields(VmNames)
                                       if getattr(self.spec.names, f.name) != getattr(derived, f.name)}
        self.catalog: Catalog | None = None
        # The IPv6 prefix drawn at random for a new spec (None: a profile or command chose it). Until the user
        # edits it, a VM of an earlier run of the same journey keeps its VNet's prefix (make_plan).
        self._drawn_ipv6: str | None = None if spec is not None else self.spec.network.ipv6_space
        self._continued_for = ""

    create_hint = "A VM is usually ready in one to two minutes; its network resources take seconds each."

    def make_plan(self, subscription_id: str) -> Plan:
        from azwizard.plan.vm import plan_vm

        assert self.run_id is not None
        self._continue_previous_prefix(subscription_id)
        return plan_vm(self.spec, subscription_id=subscription_id, run_id=self.run_id, created_at=self.created_at)

    def _continue_previous_prefix(self, subscription_id: str) -> None:
        """A second VM journey with the same names (e.g. after quitting the wizard): the earlier run's VNet
        keeps its random IPv6 prefix instead of a new one that the plan would show as a conflict. Looked up
        once per set of resource names, in the local journals only (no Azure call)."""
        from azwizard.run.resume import continue_spec

        if self._drawn_ipv6 is None or self.spec.network.ipv6_space != self._drawn_ipv6:
            return  # chosen, not drawn: keep it
        key = f"{subscription_id}|{self.spec.location}|{self.spec.names}"
        if key == self._continued_for:
            return
        self._continued_for = key
        spec, _ = continue_spec("vm", self.spec, subscription_id, explicit_ipv6=False)
        if spec != self.spec:
            self._drawn_ipv6 = spec.network.ipv6_space
            self.spec = spec
            self.recheck()

    def done_screen(self, plan: Plan, result: RunResult) -> Screen[None]:
        from .done import VmDoneScreen

        return VmDoneScreen(self.spec, plan, result, self.group_owner)

    def check(self) -> list[Finding]:
        from azwizard.rules.vm import VmFacts, check_vm

        return check_vm(self.spec, VmFacts(self.subscription_facts, self.region_facts))

    def set_base_name(self, base: str) -> None:
        """Re-derive every name the user has not edited by hand (``Yolo`` -> ``Yolo-RG``, ...)."""
        derived = VmNames.derive(base)
        current = self.spec.names
        changes = {f.name: getattr(derived, f.name) for f in dataclasses.fields(VmNames)
                   if f.name not in self.edited_names}
        self.spec = dataclasses.replace(self.spec, base_name=base, names=dataclasses.replace(current, **changes))
        self.recheck()

    def set_name(self, field_name: str, value: str) -> None:
        self.edited_names.add(field_name)
        self.set(f"names.{field_name}", value)

    def set_location(self, location: str) -> None:
        """A new region: zone-redundant public IPs where it has zones, none where it has not."""
        region = self.subscription_facts.region(location) if self.subscription_facts else None
        if self.region_facts is not None and self.region_facts.region.name != location:
            self.region_facts = None
        self.spec = self.spec.for_region(location, region.has_zones if region is not None else None)
        self.recheck()

    @property
    def region_has_zones(self) -> bool | None:
        if self.subscription_facts is None:
            return None
        region = self.subscription_facts.region(self.spec.location)
        return region.has_zones if region else None
