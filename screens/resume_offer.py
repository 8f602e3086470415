"""The home screen's offer to resume an interrupted run (killed, Ctrl+C, a failure): the journal keeps the
run's profile, so the journey opens on its review with the same run id, and creating continues the run
(azwizard/run/resume.py): what exists is kept, operations in flight are polled, nothing is sent twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from azwizard.screens.text import escape

if TYPE_CHECKING:
    from .app import AzWizardApp

WHAT = {"vm": "VM", "aks": "AKS cluster"}


@dataclass(frozen=True)
class Offer:
    run_id: str
    journey: str
    profile: str
    created_at: str
    made: int
    planned: int
    name: str

    @property
    def text(self) -> str:
        what = WHAT.get(self.journey, self.journey)
        return (f"[b]Resume the interrupted run[/b]  [dim](r)[/dim]\n[dim]{what} {escape(self.name)} · run "
                f"{escape(self.run_id)} · {self.made} of {self.planned} resources made: continue where it stopped "
                "(nothing is sent twice).[/dim]")


def find_offers() -> list[Offer]:
    """Interrupted runs with a profile in their journal, newest first (local files only: run in a worker)."""
    from azwizard.journal import Journal
    from azwizard.run.resume import interrupted_runs

    out = []
    for prev in interrupted_runs():
        states = Journal(prev.run_id).resources()
        made = sum(1 for s in states.values() if s.state in ("created", "adopted"))
        main = next((s for s in states.values() if s.step == prev.record.journey), None)
        name = main.resource_id.rsplit("/", 1)[-1] if main is not None else prev.run_id
        out.append(Offer(prev.run_id, prev.record.journey, str(prev.meta.get("profile") or ""), prev.created_at,
                         made, len(states), name))
    return out


async def open_offer(app: AzWizardApp, offer: Offer) -> None:
    """The journey pre-filled from the journal's profile, on its review, continuing the run."""
    from azwizard.headless.tui import journey_for
    from azwizard.profiles import ProfileError, read_profile
    from azwizard.run.attempt import Attempt

    from .review import ReviewStep

    try:
        profile = read_profile(offer.profile, offer.journey, source=f"the journal of run {offer.run_id}")  # type: ignore[arg-type]
    except ProfileError as exc:
        app.notify(f"Cannot resume run {offer.run_id}: {exc}", severity="error", timeout=8)
        return
    journey = journey_for(offer.journey, profile.spec)
    journey.attempt = Attempt.new(offer.run_id, offer.created_at)
    journey.attempt.resumed = offer.run_id
    app.reset_journey(offer.journey)
    app.journeys[offer.journey] = journey
    if offer.journey == "vm":
        from .vm import VM_FLOW as flow
    else:
        from .aks import AKS_FLOW as flow
    await app.switch_mode(offer.journey)  # the mode's first screen, then the review on top of it
    await app.push_screen(ReviewStep(journey, flow))
