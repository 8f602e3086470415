"""Every field a step edits is edited by a widget on it: selecting a finding opens that step and focuses the
widget (issue 12 item 2). The fields are the registry's (azwizard/fields: each names the step that edits it) and
the rulebooks' declared ones, so a new field given a step without a widget fails here."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.aks.journey import AksJourney
from azwizard.screens.review import ReviewStep
from azwizard.screens.vm.journey import VmJourney
from azwizard.screens.vm.steps import BasicsStep, VmDetailsStep
from azwizard.screens.wizard import WizardStep
from test_vm_journey import demo, open_step, settle
from tui_helpers import open_steps, vm_journey

from azwizard.fields import REGISTRIES
from azwizard.rules import aks as aks_rules
from azwizard.rules import vm as vm_rules
from azwizard.specs.aks import AcrSpec, preset_prod_dual_stack
from azwizard.specs.vm import DiskSpec, NatGatewaySpec, VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop azureuser@Yolo-VM"


def rule_fields(journey: str, book: Any) -> set[str]:
    """Every field the registry says a step edits (azwizard/fields: a table's keys, not the table itself, unless it
    names a widget) and every field the rules declare (tests/test_field_registry.py checks, fast, that each field
    a rule names is in the registry and edited on a step)."""
    out = {f.spec.replace("*", "0") for f in REGISTRIES[journey]
           if f.step and f.spec is not None and (f.type != "table" or f.widget)}
    out |= {f for r in book.rules for f in r.fields}
    out.discard("")  # subscription-wide (providers, live facts): no field, the review says so instead
    return out


VM_SPEC = dataclasses.replace(VmSpec.for_base("Yolo", ssh_public_key=KEY),
                              data_disk=DiskSpec(size_gb=32, delete_with_vm=False),
                              nat_gateway=NatGatewaySpec(enabled=True))
AKS_SPEC = preset_prod_dual_stack("aks-prod", "norwayeast").with_(acr=AcrSpec("create", "aksprodacr"))


def test_the_rule_fields_are_found() -> None:
    vm = rule_fields("vm", vm_rules.VM_RULES)
    aks = rule_fields("aks", aks_rules.AKS_RULES)
    # narrower fields that only the issues name (not the rules' declarations) are among them
    assert {"names.subnet", "names.data_disk", "nat_gateway.zones", "data_disk.size_gb"} <= vm
    assert {"user_pools.0.count", "system_pool.os_type", "network.service_cidrs"} <= aks
    assert len(vm) > 35 and len(aks) > 40


async def _focus_every_field(app: Any, pilot: Any, fields: set[str],
                             variants: dict[str, Any] | None = None) -> list[str]:
    """Open each step over the review (as a finding's jump does), focus every field it owns there, and go back.
    One step at a time: with every step composed beneath, each focus change re-laid out all their footers (the
    test took 160 s on a loaded machine). ``variants``: the spec a field is checked with (its widget shows only
    then)."""
    review = app.screen
    assert isinstance(review, ReviewStep)
    flow, journey = review.flow, review.journey
    problems = []
    owned: dict[type[WizardStep[Any]], list[str]] = {}
    for field in sorted(fields):
        target = flow.step_for_field(field)
        if target is None:
            problems.append(f"{field}: no step edits it")
            continue
        owned.setdefault(target, []).append(field)
    for target, names in sorted(owned.items(), key=lambda item: flow.index_of(item[0])):
        screen: WizardStep[Any] | None = next((s for s in app.screen_stack if isinstance(s, target)), None)
        pushed = screen is None  # the journey's first step is already open beneath the review
        if screen is None:
            screen = target(journey, flow)
            app.push_screen(screen)
            await settle(app, pilot)
        for field in names:
            spec = journey.spec
            if variants and field in variants:
                journey.spec = variants[field]
                screen.refresh_form()  # the spec changed from elsewhere (a step composes from the spec it opens on)
            widget = screen.widget_for(field)
            if widget is None:
                problems.append(f"{field}: {target.__name__} has no widget for it")
            else:
                screen.set_focus(None)
                if not screen.focus_field(field):
                    problems.append(f"{field}: {target.__name__} could not focus #{widget.id}")
                else:
                    await pilot.pause()
                    if screen.focused is not widget:
                        problems.append(f"{field}: focus is on {screen.focused!r}, not #{widget.id}")
            if journey.spec is not spec:
                journey.spec = spec
                screen.refresh_form()
        if pushed:
            app.pop_screen()
            await settle(app, pilot)
    return problems


async def test_every_vm_rule_field_has_a_widget_that_the_jump_focuses(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=VmJourney(VM_SPEC))
        fields = rule_fields("vm", vm_rules.VM_RULES)
        assert await _focus_every_field(app, pilot, fields) == []
        flow = app.screen.flow
        # the names are all edited in Basics › names, whichever step shows their findings
        assert {flow.step_for_field(f) for f in fields if f.startswith("names.")} == {BasicsStep}
        assert flow.step_for_field("size") is VmDetailsStep


async def test_every_aks_rule_field_has_a_widget_that_the_jump_focuses(tmp_path: Path) -> None:
    from test_aks_journey import demo as aks_demo

    app, _ = aks_demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "aks", ReviewStep, journey=AksJourney(AKS_SPEC))
        fields = rule_fields("aks", aks_rules.AKS_RULES)
        attach = AKS_SPEC.with_(acr=AcrSpec("attach", existing_id="/subscriptions/x/resourceGroups/g/providers/"
                                                                  "Microsoft.ContainerRegistry/registries/r"))
        assert await _focus_every_field(app, pilot, fields, {"acr.existing_id": attach}) == []


@pytest.mark.parametrize("bad_name", ["Web_VM"])
async def test_an_invalid_vm_name_jumps_to_basics_names_and_focuses_it(tmp_path: Path, bad_name: str) -> None:
    """The issue's example: `Web_VM` is refused as a host name; the finding opens Basics, unfolds the names
    and focuses the VM name input (not the VM step, where the name is not edited)."""
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=vm_journey())
        journey = app.journeys["vm"]
        journey.set_name("vm", bad_name)
        await pilot.pause()
        index = next(i for i, f in enumerate(journey.findings) if f.rule_id == "vm-host-name")
        options = app.screen.query_one("#review-findings")
        options.highlighted = index
        options.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BasicsStep)
        assert app.focused is not None and app.focused.id == "names-vm"
        assert not app.screen.query_one("#names").collapsed


async def test_clicking_the_step_list_moves_to_that_step(tmp_path: Path) -> None:
    from azwizard.screens.vm.steps import NetworkStep, NsgStep

    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_step(app, pilot)
        # the nav has 1 row of padding: the 5th step (NSG) is on row 5 of the widget
        await pilot.click(".wizard-nav", offset=(3, 5))
        await settle(app, pilot)
        assert isinstance(app.screen, NsgStep)
        await pilot.press("escape")  # Back walks the steps in order
        await settle(app, pilot)
        assert app.screen.STEP_TITLE == "NAT gateway"
        await pilot.click(".wizard-nav", offset=(3, 2))
        await settle(app, pilot)
        assert isinstance(app.screen, NetworkStep)


async def test_a_step_with_a_blocking_finding_is_not_ticked_in_the_step_list(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_step(app, pilot, 1)
        nav = app.screen.query_one(".wizard-nav")
        assert str(nav.render()).splitlines()[0].startswith("✓ Basics")
        app.journeys["vm"].set_name("vm", "Web_VM")  # blocking: not a host name
        await pilot.pause()
        assert str(nav.render()).splitlines()[0].startswith("✖ Basics")
        app.journeys["vm"].set_name("vm", "Web-VM")
        await pilot.pause()
        assert str(nav.render()).splitlines()[0].startswith("✓ Basics")


async def test_a_journey_change_while_a_step_is_torn_down_does_not_crash(tmp_path: Path) -> None:
    """The review's lock read can finish while a step opened over it is being popped: its children are gone
    before its own unmount unsubscribes it from the journey. The change must not look for the gone panel (CI
    failed both tests above on `NoMatches: '#findings'` that way); once open again, the step shows the findings."""
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=VmJourney(VM_SPEC))
        journey = app.screen.journey
        step = VmDetailsStep(journey, app.screen.flow)
        app.push_screen(step)
        await settle(app, pilot)
        await step.query_one("#findings").remove()  # as a pop leaves it: still attached, no panel
        journey.update(admin_username="root")  # a finding the VM step shows
        await pilot.pause()
        app.pop_screen()
        await settle(app, pilot)
        assert app.screen is not step and not step.is_attached
        assert "vm-admin-username" in {f.rule_id for f in journey.findings}
