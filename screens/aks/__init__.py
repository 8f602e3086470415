"""The guided AKS creation journey (mode "aks"): basics, presets, node pools, networking, access, operations
(upgrades, maintenance windows, private API server, add-ons), then the
shared review and create screens, and the credentials on the last screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..review import ReviewStep
from ..wizard import WizardFlow
from .access import AccessStep
from .journey import AksJourney
from .network import NetworkStep
from .operations import OperationsStep
from .pools import NodePoolStep
from .steps import BasicsStep, PresetStep

if TYPE_CHECKING:
    from ..app import AzWizardApp

AKS_FORM_STEPS = (BasicsStep, PresetStep, NodePoolStep, NetworkStep, AccessStep, OperationsStep)
AKS_FLOW = WizardFlow([*AKS_FORM_STEPS, ReviewStep])


def aks_entry(app: AzWizardApp) -> BasicsStep:
    journey = app.journeys.get("aks")
    if journey is None:
        journey = app.journeys["aks"] = AksJourney()
    return BasicsStep(journey, AKS_FLOW)


__all__ = ["AKS_FLOW", "AKS_FORM_STEPS", "AksJourney", "aks_entry"]
