"""Once the session is open, the app freezes what is alive into the garbage collector's permanent generation
(so a full collection does not walk the imported modules and the simulator's state while the UI waits, issue
26), and gives it back when it ends (a process that runs several apps, as a test process does, frees each)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from azwizard.screens.app import AzWizardApp
from tui_helpers import wait_until

from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT


async def test_the_heap_is_frozen_while_the_app_runs_and_thawed_when_it_ends(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AzWizardApp, "FREEZE_HEAP", True)  # what a user's app does (the other tests turn it off)
    gc.unfreeze()
    app = AzWizardApp(lambda: open_demo_session(state_file=tmp_path / "s.json", latency=INSTANT).session, demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.session is not None, what="the session")
        await app.workers.wait_for_complete()  # the warm-up starts with the session
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
