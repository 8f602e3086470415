from __future__ import annotations

import subprocess
import sys

import pytest

from azwizard import __version__
from azwizard.cli import build_parser, main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"azwizard {__version__}"


def test_help_mentions_demo_and_subscription() -> None:
    text = build_parser().format_help()
    assert "--demo" in text and "--subscription" in text and "sim" in text


def test_reset_without_demo_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--reset"])
    assert exc.value.code == 2
    assert "--reset only applies with --demo" in capsys.readouterr().err


def test_sim_serve_refuses_non_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", "serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_python_dash_m_works() -> None:
    res = subprocess.run([sys.executable, "-m", "azwizard", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and __version__ in res.stdout
