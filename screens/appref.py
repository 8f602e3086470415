"""The running app, typed: ``azapp(self)`` rather than ``app: Any = self.app`` (issue 20), so mypy checks what a
screen reads from it (the session, demo mode, the journeys)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from .app import AzWizardApp


def azapp(node: DOMNode) -> AzWizardApp:
    return cast("AzWizardApp", node.app)
