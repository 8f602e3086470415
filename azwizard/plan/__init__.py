"""Plans: the exact ARM requests a journey will send, as a dependency graph of steps."""

from .model import Plan, Step

__all__ = ["Plan", "Step"]
