"""The field registry (issue 20): one description per setting of each journey, metadata only.

``VM_FIELDS`` and ``AKS_FIELDS`` (:class:`Registry` of :class:`Field`) are what the profile's key table and
docs/profiles.md's table, the wizard's options, ranges and step ownership, and the failure-field targets are
derived from. How to add a field: docs/architecture.md.
"""

from __future__ import annotations

from .aks import AKS_FIELDS
from .model import Choice, Field, Registry
from .vm import VM_FIELDS

REGISTRIES: dict[str, Registry] = {"vm": VM_FIELDS, "aks": AKS_FIELDS}

__all__ = ["AKS_FIELDS", "REGISTRIES", "VM_FIELDS", "Choice", "Field", "Registry"]
