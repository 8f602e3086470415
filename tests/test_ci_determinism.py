"""CI runs the property tests deterministically (a fixed derivation of every example), so a clean CI run cannot
fail on an example no earlier run saw; the deep, random exploration is benchmarks/fuzz.py, run by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _profile_in(env: dict[str, str]) -> str:
    code = ("import conftest; from hypothesis import settings; s = settings.default; "
            "print(s.derandomize, s.database is None)")
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "tests", env={**clean, **env},
                         capture_output=True, text=True, timeout=60, check=True)
    return out.stdout.strip()


def test_ci_profile_is_derandomized_and_selected_in_ci() -> None:
    assert _profile_in({"HYPOTHESIS_PROFILE": "ci"}) == "True True"
    assert _profile_in({"CI": "true"}) == "True True"
    assert _profile_in({}) == "False False"  # locally: new examples each run, and the example database


def test_ci_run_selects_the_ci_profile_and_not_the_fuzz_command() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    pytest_line = script.index("-m pytest")
    assert 'export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"' in script[:pytest_line]
    assert "fuzz" not in script.replace("benchmarks/fuzz.py explores by hand", "")
