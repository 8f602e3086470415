"""azwizard: guided, checked creation of Azure VMs and AKS clusters, and their cleanup.

This package is the headless engine. It never imports Textual; the terminal UI lives in
``azwizard.screens`` (the top-level ``screens/`` folder of the repository).
"""

__version__ = "0.1.0"
