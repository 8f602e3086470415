"""A plan's exports, the az script and the ARM template, with every journey's exporters registered.

The VM journey's kinds are exported by export_az / export_arm themselves; the AKS journey's are in export_aks and
registered here, explicitly, rather than by an import at the bottom of plan/aks.py (which made an import cycle:
issue 20). Front ends import the exports from here.
"""

from __future__ import annotations

from . import export_aks, export_aks_metrics
from .export_arm import TemplateError, arm_template, arm_template_json
from .export_arm import save as save_arm
from .export_az import AzCommand, az_commands, az_script, export
from .export_az import save as save_az

export_aks.register()
export_aks_metrics.register()

__all__ = ["AzCommand", "TemplateError", "arm_template", "arm_template_json", "az_commands", "az_script", "export",
           "save_arm", "save_az"]
