"""Driving the TUI in tests without walking to the screen under test.

Navigation (home -> every step -> review -> create) is walked with the keyboard once per journey, in
test_vm_journey.py and test_aks_journey.py. The other UI tests build the journey's state directly and push the
screen they test: ``open_steps`` opens the journey (its Basics step reads the live facts, as it does for a
user) and pushes the step under test over it: the steps in between are not composed at all (composing and
painting a step costs about as much as the rest of a test). Waiting is always for a condition (workers done,
a screen shown), never for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.screen import Screen


async def workers_done(app: Any, timeout: float = 60.0) -> None:
    """Wait until the app has its session (or knows it has none) and every worker running now has finished,
    whatever its outcome.

    Two races hid behind ``--reruns``: the session worker starts only after the first frame
    (``call_after_refresh``), so a wait that came earlier found no worker and returned with the app still
    connecting; and Textual's ``wait_for_complete`` raises a worker's error only when the wait began before the
    failure, so a test of a failing worker (the sign-in problem) passed or failed depending on timing. A
    worker's failure reaches the user through the app's own handler, which is what the tests look at."""
    deadline = time.monotonic() + timeout
    while getattr(app, "connecting", False):
        if time.monotonic() > deadline:
            raise AssertionError(f"the app was still connecting after {timeout:.0f} s")
        await asyncio.sleep(0.02)
    await asyncio.gather(*[w.wait() for w in list(app.workers)], return_exceptions=True)


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    """Workers done and the messages they posted handled, ``rounds`` times (a worker's answer can start
    another)."""
    for _ in range(rounds):
        await workers_done(app)
        await pilot.pause()


async def wait_until(pilot: Any, condition: Callable[[], bool], *, timeout: float = 60.0, what: str = "") -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds (a generous bound for a loaded
    machine: the condition, not the time, ends the wait)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or condition}")
        await pilot.pause(0.02)


def record_notifications(app: Any) -> list[str]:
    """Every message the app shows as a notification from now on. A toast leaves ``app._notifications`` after its
    timeout (5 s for most), so on a loaded machine a test reading that list after a few settles found it
    empty; this list keeps what was said."""
    said: list[str] = []
    shown = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> Any:
        said.append(str(message))
        return shown(message, *args, **kwargs)

    app.notify = notify
    return said


MODE_KEYS = {"vm": "v", "aks": "k"}


async def open_steps(app: Any, pilot: Any, mode: str, upto: int | type[Screen[Any]], *,
                     journey: Any = None, under: tuple[type[Screen[Any]], ...] = ()) -> Any:
    """Open journey ``mode`` on ``journey`` (default: the app's draft or a new one) at its step ``upto`` (an index
    in the flow, or a step class), pushed directly over the journey's first step (Basics, which reads the live
    facts as it does for a user). ``under``: steps pushed beneath it, for a test that goes back to one (a
    finding's jump, a failed create's "back to edit"). Returns the screen on top."""
    await settle(app, pilot)
    if journey is not None:
        app.journeys[mode] = journey
    await pilot.press(MODE_KEYS[mode])
    await settle(app, pilot)
    first = app.screen
    flow = first.flow
    target = flow.steps[upto] if isinstance(upto, int) else upto
    for step in sorted({*under, target}, key=flow.index_of):
        if step is not type(first):
            # one screen at a time: Textual's pause gives a screen 30 s to handle what is queued, and composing
            # nine steps in one go took longer than that on a loaded machine (WaitForScreenTimeout)
            app.push_screen(step(first.journey, flow))
            await settle(app, pilot)
    await settle(app, pilot)
    assert type(app.screen) is target, type(app.screen)
    return app.screen


# A fixed public key (a test of the key the VM step generates walks the journey: test_vm_journey.py).
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop azureuser@Yolo-VM"


def vm_journey(**changes: Any) -> Any:
    """The VM journey as a user leaves it after the VM step: the defaults and a public key (nothing blocks)."""
    from azwizard.screens.vm.journey import VmJourney

    from azwizard.specs.vm import VmSpec

    return VmJourney(VmSpec.for_base("Yolo", **{"ssh_public_key": KEY, **changes}))


def aks_dev_journey() -> Any:
    """The AKS journey as the "dev dual-stack" preset and the Access step's "add my public IPv4" leave it."""
    from azwizard.screens.aks.journey import DEMO_PUBLIC_IPV4, AksJourney

    journey = AksJourney()
    journey.spec = journey.spec.with_(authorized_ip_ranges=(f"{DEMO_PUBLIC_IPV4}/32",))
    return journey
