"""The guided VM creation journey (mode "vm")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..review import ReviewStep
from ..wizard import WizardFlow
from .journey import VmJourney
from .steps import VM_FORM_STEPS, BasicsStep

if TYPE_CHECKING:
    from ..app import AzWizardApp

VM_FLOW = WizardFlow([*VM_FORM_STEPS, ReviewStep])


def vm_entry(app: AzWizardApp) -> BasicsStep:
    journey = app.journeys.get("vm")
    if journey is None:
        journey = app.journeys["vm"] = VmJourney()
    return BasicsStep(journey, VM_FLOW)


__all__ = ["VM_FLOW", "VmJourney", "vm_entry"]
