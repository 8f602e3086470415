"""Pre-flight checks: pure functions from a spec (and live facts) to findings. No SDK, no I/O.

Each rule is data — id, severity, title, the fields it concerns, the doc it comes from — plus a small
check function. The review screen, the headless ``check`` command and the tests read the same lists.
"""

from .model import Finding, Rule, Severity, run_rules

__all__ = ["Finding", "Rule", "Severity", "run_rules"]
