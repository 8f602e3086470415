"""Command palette entries for the journeys (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

_COMMANDS = [
    ("Create a virtual machine", "vm", "Guided dual-stack VM creation"),
    ("Create an AKS cluster", "aks", "Guided AKS creation"),
    ("Clean up", "cleanup", "Find and delete what azwizard created"),
    ("Home", "home", "Back to the start"),
]


class JourneyCommands(Provider):
    async def discover(self) -> Hits:
        for title, mode, help_ in _COMMANDS:
            yield DiscoveryHit(title, partial(self.app.switch_mode, mode), help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, mode, help_ in _COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.switch_mode, mode), help=help_)
