"""``azwizard vm --from-az ...`` / ``azwizard aks --from-az ...``: the terminal wizard, opened on the journey
with the spec read from an az command (every step pre-filled, the findings shown as usual)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from ..exitcodes import EXIT_USAGE
from .common import CommandError


def journey_for(kind: str, spec: Any) -> Any:
    """The journey object the app keeps in ``app.journeys[kind]`` (what its first screen edits)."""
    if kind == "vm":
        from ..screens.vm.journey import VmJourney

        return VmJourney(spec)
    try:
        from ..screens.aks.journey import AksJourney  # type: ignore[import-not-found, unused-ignore]
    except ImportError as exc:
        raise CommandError("The AKS journey's screens are not in this build yet.", EXIT_USAGE,
                           "Use `azwizard check -- az aks create ...` or `azwizard aks plan PROFILE`.") from exc
    return AksJourney(spec)


def build_app(kind: str, spec: Any, *, demo: bool, reset: bool = False, subscription: str | None = None,
              notes: tuple[str, ...] = (), cloud: str | None = None, latency: str = "demo") -> Any:
    """The app, with the journey pre-filled; it opens that journey as soon as the session is ready."""
    from ..screens.app import AzWizardApp, demo_connector, real_connector

    connect = demo_connector(reset, latency)[0] if demo else real_connector(subscription, cloud)

    class PrefilledApp(AzWizardApp):  # type: ignore[misc]
        # Textual reads a relative CSS_PATH next to the class's own module: point at the app's stylesheet.
        CSS_PATH = str(Path(inspect.getfile(AzWizardApp)).with_name("app.tcss"))

        def _session_ready(self, session: Any) -> None:
            super()._session_ready(session)
            if self.current_mode != kind:
                self.switch_mode(kind)
                for note in notes:
                    self.notify(note, timeout=10)

    app = PrefilledApp(connect, demo=demo)
    app.journeys[kind] = journey_for(kind, spec)
    return app


def run(kind: str, spec: Any, *, demo: bool, reset: bool, subscription: str | None,
        notes: tuple[str, ...] = (), cloud: str | None = None, latency: str = "demo") -> int:
    app = build_app(kind, spec, demo=demo, reset=reset, subscription=subscription, notes=notes, cloud=cloud,
                    latency=latency)
    app.run()
    return int(app.return_code or 0)
