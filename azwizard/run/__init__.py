"""Running plans against Azure: the DAG executor with its journal and progress events."""

from .executor import Runner, RunResult, StepEvent

__all__ = ["RunResult", "Runner", "StepEvent"]
