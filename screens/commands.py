"""Command palette entries for the journeys (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

_COMMANDS = [
    ("Create a virtual machine", "vm", "Guided dual-stack VM creation"),
    ("Create an AKS cluster", "aks", "Guided AKS creation"),
    ("Clean up", "cleanup", "Find and delete what azwizard created"),
    ("Home", "home", "Back to the start"),
]


class JourneyCommands(Provider):
    """The journeys, and where the palette was opened on a wizard step: a jump to each step of the journey and,
    on the review, to each of its tabs (the keyboard ways there besides ctrl+n/esc: issue 19 item 15)."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        out: list[tuple[str, Callable[[], object], str]] = [
            (title, partial(self.app.switch_mode, mode), help_) for title, mode, help_ in _COMMANDS]
        from .wizard import WizardStep

        screen = self.screen
        if isinstance(screen, WizardStep):
            for i, title in enumerate(screen.flow.titles):
                out.append((f"Go to step: {title}", partial(screen.go_to_step, i), f"Step {i + 1} of this journey"))
            from textual.widgets import TabbedContent

            for tabs in screen.query(TabbedContent):
                for pane in tabs.query("TabPane"):
                    label = str(getattr(pane, "_title", pane.id))
                    out.append((f"Show tab: {label}", partial(setattr, tabs, "active", pane.id),
                                "A tab of the review"))
        return out

    async def discover(self) -> Hits:
        for title, run, help_ in self._commands():
            yield DiscoveryHit(title, run, help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_ in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_)
