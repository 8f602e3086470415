"""Smaller things a person meets in the wizard (issue 19 minor items), each on the screen under test pushed with its
journey built directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.vm import VM_FLOW, VmJourney
from azwizard.screens.vm.steps import VmDetailsStep
from test_vm_journey import demo, settle
from textual.widgets import Input, Label, Switch
from tui_helpers import record_notifications


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own journals: another test's run of the same names would make these resources "ours"."""
    data = tmp_path / "own-data"
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(data))
    return data


async def push(app: Any, pilot: Any, step: type[Any], journey: Any = None) -> Any:
    await settle(app, pilot)
    app.push_screen(step(journey or VmJourney(), VM_FLOW))
    await settle(app, pilot)
    return app.screen


async def test_the_data_disk_says_and_does_what_a_profile_does(tmp_path: Path) -> None:
    """Item 11: the data disk is deleted with the VM by default, as a profile's data_disk.delete_with_vm = true;
    the form said 'kept when the VM is deleted' and made it so."""
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await push(app, pilot, VmDetailsStep)
        labels = " ".join(str(label.render()) for label in screen.query(Label))
        assert "kept when the VM is deleted" not in labels
        screen.query_one("#data_disk-size", Input).value = "32"
        await pilot.pause()
        assert screen.journey.spec.data_disk.delete_with_vm is True
        screen.query_one("#data_disk-delete_with_vm", Switch).value = False
        await pilot.pause()
        assert screen.journey.spec.data_disk.delete_with_vm is False and screen.journey.spec.data_disk.size_gb == 32


async def test_the_review_lists_blocking_findings_first_and_marks_the_conflicting_step(tmp_path: Path) -> None:
    """Item 6: a conflict with what exists (someone else's NSG of the same name) was listed after the rules'
    notes, and the step list showed ✓ on every step."""
    from azwizard.screens.review import ReviewStep
    from azwizard.screens.wizard import StepNav
    from conftest import SdkClients

    from azwizard.specs.vm import VmSpec

    app, holder = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sdk = SdkClients(holder["sim"])
        sdk.resources.resource_groups.create_or_update("Yolo-RG", {"location": "norwayeast"})
        sdk.network.network_security_groups.begin_create_or_update(
            "Yolo-RG", "Yolo-NSG", {"location": "norwayeast"}).result()
        key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAM+Y7x+NS548G3RRcpSSlEjLKa47rk45XyCGsobMClj me@laptop"
        screen = await push(app, pilot, ReviewStep, VmJourney(VmSpec.for_base("Yolo", ssh_public_key=key)))
        assert isinstance(screen, ReviewStep) and screen.diff is not None
        severities = [f.severity for f in screen._shown]
        assert "block" in severities and severities == sorted(severities, key=["block", "warn", "info"].index)
        conflict = next(f for f in screen._shown if f.rule_id == "plan-conflict")
        step = VM_FLOW.step_for_field(conflict.field)
        assert step is not None and VM_FLOW.index_of(step) in screen.query_one(StepNav).blocked


async def test_after_cleanup_from_the_done_screen_nothing_leads_back_to_it(tmp_path: Path) -> None:
    """Items 9 and 19: cleanup's "esc Home" went back to the VM done screen, and v on Home reopened an old
    "Yolo-VM is ready" screen (for a VM cleanup may have deleted)."""
    from azwizard.screens.home import HomeScreen
    from azwizard.screens.vm.done import VmDoneScreen
    from azwizard.screens.vm.steps import BasicsStep

    from azwizard.run.executor import RunResult
    from azwizard.specs.vm import VmSpec

    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        journey = app.journeys["vm"]
        journey.run_id, journey.created_at = "20261126-030000-abcd", "2026-11-26T03:00:00Z"
        plan = journey.make_plan(app.session.subscription_id)  # type: ignore[union-attr]
        done = {s.key: "succeeded" for s in plan.steps}
        app.push_screen(VmDoneScreen(VmSpec.for_base("Yolo"), plan, RunResult(plan.run_id, done, {}, {}, 1.0, {})))  # type: ignore[arg-type]
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        assert app.current_mode == "cleanup"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, BasicsStep) and app.journeys["vm"] is not journey  # a fresh journey


async def test_demo_mode_names_the_key_folder_it_reads(tmp_path: Path) -> None:
    """Item 10: demo mode reads keys from $AZWIZARD_DATA_DIR/demo/ssh, but the key list said ~/.ssh."""
    from textual.widgets import Select

    from azwizard.sshkeys import ssh_dir

    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await push(app, pilot, VmDetailsStep)
        prompt = screen.query_one("#ssh_public_key", Select).prompt
        assert "~/.ssh" not in str(prompt) and str(ssh_dir(True).name) in str(prompt)


def test_the_done_screen_cost_lines_fit_80_columns() -> None:
    """Item 18: a wrapped cost sentence started its second line at the margin."""
    from azwizard.screens.vm.done import done_text

    from azwizard.plan.vm import plan_vm
    from azwizard.run.executor import RunResult
    from azwizard.specs.vm import VmSpec

    spec = VmSpec.for_base("Yolo")
    plan = plan_vm(spec, subscription_id="s", run_id="r", created_at="2026-11-26T03:00:00Z")
    ips = {"pip4": {"ipAddress": "51.120.24.212"}, "pip6": {"ipAddress": "2603:1020:e01:11::"}}
    text = done_text(spec, plan, RunResult("r", {}, {}, ips, 1.0, {}))
    import re

    block = re.sub(r"\[/?[a-z $]*\]", "", text[text.index("Connect"):text.index("When you are done")])
    assert all(len(line) <= 76 for line in block.splitlines()), block


async def test_ctrl_o_never_fails_silently_on_the_nsg_step(tmp_path: Path) -> None:
    """Item 5: an invalid rule + ctrl+o showed nothing at 120x40 (the error was below the fold), and ctrl+o on an
    empty row did nothing."""
    from azwizard.screens.vm.steps import NsgStep

    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await push(app, pilot, NsgStep)
        rules = screen.journey.spec.nsg_rules
        said = record_notifications(app)  # a toast leaves app._notifications after its timeout
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert any("Fill in the new rule" in m for m in said)
        screen.query_one("#rule-name", Input).value = "web"
        screen.query_one("#rule-priority", Input).value = "not a number"
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert any("The rule was not added: Priority must be a whole number" in m for m in said)
        error = screen.query_one("#rule-error")
        assert error.display and error.region.height > 0  # scrolled into view
        assert screen.journey.spec.nsg_rules == rules  # nothing changed


async def test_switch_and_checkbox_states_are_text_not_only_shade(monkeypatch: Any) -> None:
    """Item 16: with NO_COLOR a switch's and a checkbox's state were told by shade only."""
    from azwizard.screens.fields import Checkbox, Switch
    from textual.app import App, ComposeResult

    monkeypatch.setenv("NO_COLOR", "1")

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Checkbox("Turn soft delete off first", value=False, id="box")
            yield Switch(value=True, id="switch")

    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        box, switch = app.query_one("#box", Checkbox), app.query_one("#switch", Switch)
        assert "✓" not in str(box.render()) and "X" not in str(box.render())
        assert str(switch.render()).strip() == "on"
        box.value, switch.value = True, False
        await pilot.pause()
        assert "✓" in str(box.render()) and str(switch.render()).strip() == "off"


def test_existing_groups_keep_azure_casing_and_leave_out_aks_node_groups() -> None:
    """Item 18: "Existing groups" listed lower-cased names and AKS's MC_ node resource groups."""
    from azwizard.facts import SubscriptionFacts

    facts = SubscriptionFacts("s", {}, {}, {"Yolo-RG": "norwayeast", "MC_aks-rg_aks1_norwayeast": "norwayeast",
                                            "aks-rg": "norwayeast"})
    assert facts.group_names_for_people() == ["aks-rg", "Yolo-RG"]
    assert facts.group_location("yolo-rg") == "norwayeast"  # still found ignoring case


def test_a_ctrl_key_keeps_its_meaning_from_step_to_step() -> None:
    """Item 22: ctrl+t was "my public IP" on the NSG step and "insert MTU snippet" on cloud-init."""
    from azwizard.screens.aks import AKS_FLOW

    meanings: dict[str, set[str]] = {}
    for flow in (VM_FLOW, AKS_FLOW):
        for step in flow.steps:
            for binding in step.BINDINGS:
                if isinstance(binding, tuple) or not binding.key.startswith("ctrl+"):
                    continue
                verb = binding.description.split()[0].lower()  # Add, Remove, New, Use, Next…
                meanings.setdefault(binding.key, set()).add("my-ip" if "my public ip" in
                                                            binding.description.lower() else verb)
    assert meanings["ctrl+t"] == {"my-ip"}, meanings
    assert meanings["ctrl+o"] == {"add"}, meanings
    assert meanings["ctrl+r"] == {"remove"}, meanings


async def test_the_palette_jumps_to_any_step_and_review_tab(tmp_path: Path) -> None:
    """Item 15: the command palette had only global commands; no keyboard way to jump to a step or a review tab
    other than ctrl+n/esc and tabbing to the tab bar."""
    from azwizard.screens.commands import JourneyCommands
    from azwizard.screens.review import ReviewStep
    from azwizard.screens.vm.steps import BackupStep, BasicsStep
    from textual.widgets import TabbedContent

    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await push(app, pilot, BasicsStep)
        commands = {title: run for title, run, _ in JourneyCommands(app.screen)._commands()}
        assert "Go to step: Backup" in commands and "Create a virtual machine" in commands
        commands["Go to step: Backup"]()
        await settle(app, pilot)
        assert isinstance(app.screen, BackupStep)
        commands = {title: run for title, run, _ in JourneyCommands(app.screen)._commands()}
        commands["Go to step: Review"]()
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)
        commands = {title: run for title, run, _ in JourneyCommands(app.screen)._commands()}
        commands["Show tab: az script"]()
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "tab-az"


def test_help_lines_fit_its_box_so_no_word_is_orphaned() -> None:
    """Item 18: help's lines were longer than its box, so a word ("Everything", "exists.") wrapped onto a line of
    its own."""
    import re

    from azwizard.screens.help import HELP_TEXT

    plain = [re.sub(r"\[/?b\]", "", line) for line in HELP_TEXT.splitlines()]
    assert max(len(line) for line in plain) <= 68  # the help box is 76 wide less its padding


def test_the_done_screen_never_ends_in_or_run_without_a_command() -> None:
    """Item 7: after a rerun that changed nothing, the done screen said "Press l … (it knows run <new id>), or
    run:" with no command after it."""
    from azwizard.screens.vm.done import done_text

    from azwizard.plan.vm import plan_vm
    from azwizard.run.executor import RunResult
    from azwizard.specs.vm import VmSpec

    spec = VmSpec.for_base("Yolo").with_(use_existing_group=True)
    plan = plan_vm(spec, subscription_id="s", run_id="20261126-030000-new0", created_at="2026-11-26T03:00:00Z")
    unchanged = RunResult(plan.run_id, {s.key: "existing" for s in plan.steps}, {}, {}, 1.0, {})
    text = done_text(spec, plan, unchanged)
    tail = text[text.index("When you are done"):]
    assert "or run:" not in tail and "20261126-030000-new0" not in tail and "Nothing was created by this run" in tail
    made = RunResult(plan.run_id, {s.key: "succeeded" for s in plan.steps}, {}, {}, 1.0, {})
    tail = done_text(spec, plan, made)[text.index("When you are done"):]
    assert "or run:" not in tail and "never the group Yolo-RG itself" in tail
