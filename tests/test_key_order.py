"""Nothing a user types is lost (issue 19 item 1): keys that arrive together — a terminal delivers several in one
read, or they queue while the app re-checks the rules — apply in the order they were typed. Before
screens/fields.py, Backspace ×8 then ``Web1`` gave ``eb1``: the ``W`` was inserted before the Backspaces' actions
(bindings run only once the key had bubbled up to the app) and then deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azwizard.screens.app import AzWizardApp
from azwizard.screens.vm import VM_FLOW, VmJourney
from azwizard.screens.vm.steps import BasicsStep, CloudInitStep, NetworkStep
from test_vm_journey import demo, settle
from textual import events
from textual.widgets import Input, TextArea


def deliver_at_once(app: AzWizardApp, *keys: str) -> None:
    """Keys as one terminal read delivers them: all queued before the app handles the first."""
    assert app._driver is not None
    for key in keys:
        char = key if len(key) == 1 else ("\x7f" if key == "backspace" else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def type_after_backspaces(app: AzWizardApp, pilot: Any, field: Any, backspaces: int, text: str) -> None:
    field.focus()
    field.action_end() if hasattr(field, "action_end") else field.move_cursor(field.document.end)
    await pilot.pause()
    deliver_at_once(app, *["backspace"] * backspaces, text[0])
    keys: list[str] = []
    for ch in text[1:]:
        keys += ["wait:80", ch]  # the rest typed at 80 ms a key
    await pilot.press(*keys)
    await settle(app, pilot)


async def open_vm_step(app: AzWizardApp, pilot: Any, step: type[Any]) -> Any:
    await settle(app, pilot)
    app.push_screen(step(VmJourney(), VM_FLOW))
    await settle(app, pilot)
    return app.screen


async def test_the_base_name_keeps_the_first_key_typed_after_extra_backspaces(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_vm_step(app, pilot, BasicsStep)
        field = screen.query_one("#base_name", Input)
        field.value = "Web1"
        await type_after_backspaces(app, pilot, field, 8, "Web1")
        assert field.value == "Web1"
        assert screen.journey.spec.base_name == "Web1"


async def test_the_ipv4_space_keeps_the_first_key_typed_after_extra_backspaces(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_vm_step(app, pilot, NetworkStep)
        field = screen.query_one("#network-ipv4_space", Input)
        await type_after_backspaces(app, pilot, field, len(field.value) + 3, "10.5.0.0/16")
        assert field.value == "10.5.0.0/16"
        assert screen.journey.spec.network.ipv4_space == "10.5.0.0/16"


async def test_custom_data_keeps_the_first_key_typed_after_extra_backspaces(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_vm_step(app, pilot, CloudInitStep)
        area = screen.query_one("#custom_data", TextArea)
        area.text = "ab"
        await type_after_backspaces(app, pilot, area, 5, "xyz")
        assert area.text == "xyz"
