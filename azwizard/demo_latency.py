"""The demo's simulated latency choice (``--latency``, else ``$AZWIZARD_DEMO_LATENCY``, else ``demo``), shared by
the wizard's start-up (cli.py) and the headless commands (headless/common.py) without either importing the other.
Standard library only: ``azwizard --demo`` reads it before the first frame."""

from __future__ import annotations

import argparse
import os

LATENCY_ENV = "AZWIZARD_DEMO_LATENCY"


def latency_choice(args: argparse.Namespace) -> str:
    """--latency, else $AZWIZARD_DEMO_LATENCY, else demo (the wizard and the headless commands alike)."""
    return str(getattr(args, "latency", None) or os.environ.get(LATENCY_ENV) or "demo")
