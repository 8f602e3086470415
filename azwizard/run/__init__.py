"""Running plans against Azure: the DAG executor with its journal and progress events.

Importing the package loads none of its modules: ``Runner``, ``RunResult`` and ``StepEvent`` are imported from
the executor when first used (PEP 562), so what needs only ``run.preflight`` or ``run.resume`` (``plan``,
``check``) does not load the executor and its thread pool (issue 26: every headless command paid for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .executor import Runner, RunResult, StepEvent

__all__ = ["RunResult", "Runner", "StepEvent"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import executor

    value = getattr(executor, name)
    globals()[name] = value  # asked once
    return value
