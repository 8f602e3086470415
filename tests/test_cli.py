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


@pytest.mark.parametrize(("argv", "env", "scale"), [
    (["--demo", "--latency", "real"], None, 1.0),
    (["--demo", "--latency", "none"], None, 0.0),
    (["--demo"], "real", 1.0),  # $AZWIZARD_DEMO_LATENCY, as for the headless commands
    (["--demo"], None, 1 / 20),
])
def test_the_wizard_honours_latency(argv: list[str], env: str | None, scale: float, tmp_path: object,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`azwizard --demo --latency real` runs the wizard on a simulator that takes as long as Azure (issue 12)."""
    import azwizard.screens.app as app_module

    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path))
    if env is None:
        monkeypatch.delenv("AZWIZARD_DEMO_LATENCY", raising=False)
    else:
        monkeypatch.setenv("AZWIZARD_DEMO_LATENCY", env)
    seen: dict[str, object] = {}

    def fake_run_app(**kw: object) -> int:
        seen.update(kw)
        connect, holder = app_module.demo_connector(bool(kw["reset"]), str(kw["latency"]))
        connect()
        seen["scale"] = holder["sim"].latency.scale
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    assert main(argv) == 0
    assert seen["scale"] == pytest.approx(scale)
