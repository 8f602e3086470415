"""The field registry (azwizard/fields, issue 20) is the one description of each setting: the profile's keys and
docs/profiles.md's tables, the wizard's steps, options and ranges, the rules' known values and the failure targets
all come from it, so they cannot disagree. Every field a rule names is edited on a step (the slow UI check that
each such field has a widget the jump focuses is tests/test_field_owners.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.aks import AKS_FORM_STEPS
from azwizard.screens.vm.steps import VM_FORM_STEPS, VmDetailsStep, _int_in
from azwizard.screens.wizard import WizardFlow
from test_rules_vm import FIRES, good_facts

from azwizard.fields import AKS_FIELDS, REGISTRIES, VM_FIELDS, Choice, Registry
from azwizard.fields.docs import render
from azwizard.fields.model import field
from azwizard.profiles import KEYS, ProfileError, read_profile
from azwizard.rules import aks as aks_rules
from azwizard.rules import vm as vm_rules
from azwizard.rules.vm import check_vm
from azwizard.run.failure_fields import _CODES, _TARGETS, field_for_failure
from azwizard.specs.aks import AcrSpec, NodePoolSpec, preset_prod_dual_stack
from azwizard.specs.vm import DiskSpec, NatGatewaySpec, PublicIpSpec, VmSpec

DOCS = Path(__file__).resolve().parent.parent / "docs"
VM_SPEC = dataclasses.replace(VmSpec.for_base("Yolo"), data_disk=DiskSpec(size_gb=32),
                              nat_gateway=NatGatewaySpec(enabled=True))
AKS_SPEC = preset_prod_dual_stack("aks-prod", "norwayeast").with_(acr=AcrSpec("create", "aksprodacr"),
                                                                  user_pools=(NodePoolSpec("apps", mode="User"),))
SPECS: dict[str, Any] = {"vm": VM_SPEC, "aks": AKS_SPEC}
FLOWS = {"vm": WizardFlow(VM_FORM_STEPS), "aks": WizardFlow(AKS_FORM_STEPS)}
WIZARD_ONLY = {"subscription", ""}  # findings about the subscription, not a spec value


def _value(spec: Any, path: str) -> tuple[bool, Any]:
    obj = spec
    for part in path.replace("*", "0").split("."):
        if isinstance(obj, tuple) and part.isdigit():
            if int(part) >= len(obj):
                return False, None
            obj = obj[int(part)]
        elif dataclasses.is_dataclass(obj) and part in {f.name for f in dataclasses.fields(obj)}:
            obj = getattr(obj, part)
        else:
            return False, None
    return True, obj


# ---------------------------------------------------------------------------------------------------
# The registry itself


@pytest.mark.parametrize("journey", ["vm", "aks"])
def test_every_spec_path_is_in_the_spec(journey: str) -> None:
    for f in REGISTRIES[journey]:
        if f.spec is not None and f.spec not in WIZARD_ONLY:
            assert _value(SPECS[journey], f.spec)[0], f"{journey} field {f.key or f.spec}: no spec path {f.spec}"


@pytest.mark.parametrize("journey", ["vm", "aks"])
def test_a_default_spec_holds_an_offered_choice_and_a_value_in_range(journey: str) -> None:
    for f in REGISTRIES[journey]:
        if f.spec is None or f.spec in WIZARD_ONLY:
            continue
        _, value = _value(SPECS[journey], f.spec)
        value = "" if value is None and f.key == "zone" else value
        if f.choices and value is not None:
            assert value in f.values, f"{f.spec}: the default {value!r} is not among {f.values}"
        if f.range is not None and isinstance(value, int):
            assert f.range[0] <= value <= f.range[1], f"{f.spec}: {value} outside {f.range}"


def test_a_registry_refuses_a_key_or_path_listed_twice() -> None:
    with pytest.raises(ValueError, match="listed twice: size"):
        Registry("vm", [field("size", "str"), field("size", "str", spec="other")])


def test_a_choice_outside_the_list_is_shown_so_it_can_be_fixed() -> None:
    sku = VM_FIELDS.spec("os_disk.sku")
    assert ("UltraSSD_LRS (from a profile or command)", "UltraSSD_LRS") in sku.options("UltraSSD_LRS")
    assert [v for _, v in sku.options("Premium_LRS")] == list(sku.values)
    assert Choice("x").shown == "x" and Choice("x", "X label").shown == "X label"


# ---------------------------------------------------------------------------------------------------
# What is derived from it


def test_the_profile_keys_are_the_registrys() -> None:
    for journey, registry in REGISTRIES.items():
        assert [k.path for k in KEYS[journey]] == [f.key for f in registry.profile]  # type: ignore[index]
        assert {k.path: k.choices for k in KEYS[journey]} == {f.key: f.values for f in registry.profile}  # type: ignore[index]


def test_docs_profiles_tables_are_generated_from_the_registry() -> None:
    page = (DOCS / "profiles.md").read_text(encoding="utf-8")
    assert render(page, REGISTRIES) == page, "run: python -m azwizard.fields.docs docs/profiles.md"
    assert "| `public_ip.idle_timeout_minutes` | int | `4` | TCP idle timeout in minutes (4-30) |" in page


@pytest.mark.parametrize("journey", ["vm", "aks"])
def test_each_step_edits_the_fields_the_registry_gives_it(journey: str) -> None:
    registry, flow = REGISTRIES[journey], FLOWS[journey]
    assert set(registry.steps) <= {s.STEP_ID for s in flow.steps}
    for f in registry:
        if f.step and f.spec is not None:
            step = flow.step_for_field(f.spec.replace("*", "0"))
            assert step is not None and f.step == step.STEP_ID, f"{f.spec}: edited on {f.step}, found {step}"
            if f.widget:
                assert step.FIELD_WIDGETS[f.spec] == f.widget
        for shown in f.shows:
            assert f.spec in next(s for s in flow.steps if shown == s.STEP_ID).SHOWS


def _rule_fields(journey: str) -> set[str]:
    book = vm_rules.VM_RULES if journey == "vm" else aks_rules.AKS_RULES
    out = {f for r in book.rules for f in r.fields}
    if journey == "vm":
        out |= {c.field for c in FIRES}  # the narrower fields the rules name, as they fire
    else:
        out |= {f"{pool}.{attr}" for attr, _, _ in aks_rules._POOL_CHOICES for pool in ("system_pool", "user_pools.0")}
    return out - {""}  # subscription-wide: no field, the review says so


@pytest.mark.parametrize("journey", ["vm", "aks"])
def test_every_field_a_rule_names_is_a_registry_field_edited_on_a_step(journey: str) -> None:
    registry, flow = REGISTRIES[journey], FLOWS[journey]
    fields = _rule_fields(journey)
    assert len(fields) > (35 if journey == "vm" else 25)
    for name in sorted(fields):
        assert registry.find(name) is not None, f"{journey}: a rule names {name}, which the registry does not list"
        assert flow.step_for_field(name) is not None, f"{journey}: no step edits {name}"


@pytest.mark.parametrize("journey", ["vm", "aks"])
def test_every_failure_target_and_code_goes_to_a_field_a_step_edits(journey: str) -> None:
    flow = FLOWS[journey]
    for table in (_TARGETS[journey], _CODES[journey]):
        assert table
        for name, path in table.items():
            assert flow.step_for_field(path) is not None, f"{name} -> {path}: no step edits it"
    assert field_for_failure("vm", "vm", "InvalidParameter", "properties.osProfile.adminUsername") == "admin_username"
    assert field_for_failure("aks", "aks", "InvalidParameter", "properties.networkProfile.podCidr") == "network.pod_cidrs"


# ---------------------------------------------------------------------------------------------------
# The disagreements issue 20 found, gone


def _profile(extra: str) -> VmSpec:
    return read_profile(f'name = "Yolo"\n{extra}\n', "vm").vm


def test_the_disk_types_agree_between_profile_wizard_and_rules() -> None:
    offered = VM_FIELDS.spec("os_disk.sku").values
    assert set(offered) == {"Standard_LRS", "StandardSSD_LRS", "StandardSSD_ZRS", "Premium_LRS", "Premium_ZRS"}
    for path in ("os_disk.sku", "data_disk.sku"):
        assert [v for _, v in VM_FIELDS.spec(path).options()] == list(offered)  # the wizard lists them all
    for sku in offered:  # a profile reads each, and the rules know each
        spec = _profile(f'[os_disk]\nsku = "{sku}"\n[data_disk]\nsku = "{sku}"')
        assert spec.os_disk.sku == sku
        assert not [f for f in check_vm(spec, good_facts()) if f.rule_id == "vm-disk-sku" and "not a managed disk" in f.message]
    with pytest.raises(ProfileError, match="'UltraSSD_LRS' is not one of"):
        _profile('[os_disk]\nsku = "UltraSSD_LRS"')
    ultra = dataclasses.replace(VM_SPEC, os_disk=DiskSpec(sku="UltraSSD_LRS"))  # from a pasted az command
    hits = [f for f in check_vm(ultra, good_facts()) if f.rule_id == "vm-disk-sku"]
    assert hits and "Ultra compatibility" in hits[0].message  # known, and refused with the reason


def test_the_wizard_shows_a_zone_redundant_disk_from_a_profile() -> None:
    """The OS disk select had 3 of the 5 types a profile gives: a StandardSSD_ZRS profile's value was no option."""
    spec = _profile('[os_disk]\nsku = "StandardSSD_ZRS"')
    assert ("Standard SSD, zone-redundant (StandardSSD_ZRS)", "StandardSSD_ZRS") in \
        VM_FIELDS.spec("os_disk.sku").options(spec.os_disk.sku)
    assert VmDetailsStep.FIELDS and "os_disk.sku" in VmDetailsStep.FIELDS


@pytest.mark.parametrize("minutes, ok", [(3, False), (4, True), (30, True), (31, False)])
def test_the_public_ip_idle_timeout_range_is_one(minutes: int, ok: bool) -> None:
    lo, hi = VM_FIELDS.spec("public_ip.idle_timeout_minutes").range or (0, 0)
    assert (lo, hi) == (4, 30)
    parse = _int_in(lo, hi, "The idle timeout")  # what the wizard's input uses (PublicIpStep.int_field)
    if ok:
        assert parse(str(minutes)) == minutes
        assert _profile(f"[public_ip]\nidle_timeout_minutes = {minutes}").public_ip.idle_timeout_minutes == minutes
    else:
        with pytest.raises(ValueError, match="from 4 to 30"):
            parse(str(minutes))
        with pytest.raises(ProfileError, match=r"out of range \(4-30\)"):
            _profile(f"[public_ip]\nidle_timeout_minutes = {minutes}")
    spec = dataclasses.replace(VM_SPEC, public_ip=PublicIpSpec(idle_timeout_minutes=minutes))
    hits = [f for f in check_vm(spec, good_facts()) if f.rule_id == "vm-pip-idle-timeout"]
    assert bool(hits) != ok
    assert all("Azure allows 4-30" in f.message for f in hits)


def test_aks_choices_of_the_rules_are_the_registrys() -> None:
    for path, _, allowed in aks_rules._CLUSTER_CHOICES:
        assert allowed == AKS_FIELDS.spec(path).values
