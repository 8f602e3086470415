"""A stopped run's operations, kept running until the re-run polls them.

When a run stops watching an operation, the SDK's poller thread for it (azure-core's LROPoller) goes on polling in
the background, and against the in-process simulator it polls without pause: with ``min_polls = 10_000`` it finished
the operation itself after some seconds, so a test that read the plan later (a loaded machine) found it done instead
of pending. ``hold_until_the_runner_polls`` stops every running operation from finishing until a request comes from
the runner's own threads (``azwizard-run``: the re-run resuming it), whatever the abandoned pollers do."""

from __future__ import annotations

import threading
from typing import Any

from azwizard.sim import ArmSim


def hold_until_the_runner_polls(sim: ArmSim) -> None:
    held = [op for op in sim.ops.values() if not op.done]
    for op in held:
        op.min_progress = 10**12
    sim.unwatched_after = 10**12
    real = sim.handle

    def handle(req: Any) -> Any:
        if held and threading.current_thread().name.startswith("azwizard-run"):
            for op in held:
                op.min_progress = 0
            held.clear()
        return real(req)

    sim.handle = handle  # type: ignore[method-assign]
