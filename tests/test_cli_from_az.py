"""``azwizard vm --from-az ...``: the wizard opens on the VM journey, pre-filled from the az command."""

from __future__ import annotations

import shlex
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import main_in_process
from tui_helpers import record_notifications, settle, wait_until

from azwizard.specs.azcli import read_vm, split_commands

pytest.importorskip("textual")

data_dir = cli_helpers.data_dir  # the fixture: a fresh data dir per test

VM_COMMAND = ("az vm create --resource-group Web-RG --name Web-VM --image Debian:debian-12:12-gen2:latest "
              "--size Standard_D2s_v5 --admin-username ops --os-disk-delete-option Delete --frobnicate yes")


async def test_the_wizard_opens_pre_filled(data_dir: Path) -> None:
    from azwizard.screens.vm.steps import BasicsStep

    from azwizard.headless.tui import build_app

    read = read_vm(split_commands(shlex.split(VM_COMMAND)))
    app = build_app("vm", read.spec, demo=True, notes=read.unknown)
    said = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BasicsStep) and len(said) > 0,
                         what="the wizard with its notes")
        # the notes can be said before the step has finished mounting: leaving then tore its Select down half
        # mounted (NoMatches '#label' in Textual's Select._on_mount, seen once under load)
        await settle(app, pilot)
        assert app.current_mode == "vm" and isinstance(app.screen, BasicsStep)
        journey = app.journeys["vm"]
        assert app.screen.journey is journey
        spec = journey.spec
        assert (spec.names.resource_group, spec.names.vm, spec.size, spec.admin_username) == \
            ("Web-RG", "Web-VM", "Standard_D2s_v5", "ops")
        assert spec.os_disk.delete_with_vm
        assert any("--frobnicate" in m for m in said)


def test_from_az_refuses_the_wrong_kind_and_empty_commands(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "aks", "--from-az", *shlex.split(VM_COMMAND)], capsys)
    assert res.code == 2 and "that is an az vm command" in res.err
    res = main_in_process(["--demo", "vm", "--from-az"], capsys)
    assert res.code == 2 and "Give the az command" in res.err
    res = main_in_process(["--demo", "vm", "--from-az", "az vm create --node-count=x --size"], capsys)
    assert res.code == 2 and "needs a value" in res.err


@pytest.mark.parametrize(("kind", "command", "group"), [
    ("aks", "az aks create --resource-group team-rg --name aks-team --node-count 3", "team-rg"),
    ("vm", VM_COMMAND, "Web-RG"),
])
async def test_basics_shows_the_commands_group_and_keeps_it(data_dir: Path, kind: str, command: str,
                                                           group: str) -> None:
    """Basics and the review agree with the command: its group, not <name>-RG (issue 12 item 7)."""
    from azwizard.headless.tui import build_app
    from azwizard.specs.azcli import read_aks

    words = split_commands(shlex.split(command))
    read = read_aks(words) if kind == "aks" else read_vm(words)
    app = build_app(kind, read.spec, demo=True)
    widget = "#resource_group" if kind == "aks" else "#names-resource_group"
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == kind and bool(app.screen.query(widget)),
                         what="the journey's first step")
        await settle(app, pilot)
        spec = app.journeys[kind].spec
        assert app.screen.query_one(widget).value == group
        assert (spec.resource_group if kind == "aks" else spec.names.resource_group) == group
