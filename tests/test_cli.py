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


HELP_CASES = [["--help"], ["-h"], ["vm", "--help"], ["vm", "plan", "--help"], ["vm", "add-ipv6", "--help"],
              ["aks", "apply", "--help"], ["check", "--help"], ["cleanup", "delete", "--help"],
              ["sim", "serve", "--help"], ["--demo", "cleanup", "list", "-h"]]


@pytest.mark.parametrize("argv", HELP_CASES, ids=" ".join)
def test_help_is_the_full_parsers_help(argv: list[str], capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """main() builds only the options of the command it is given (a fast --help, issue 26); what it prints is
    what the parser with every command's options prints."""
    monkeypatch.setenv("COLUMNS", "100")
    full = build_parser()
    for word in argv[:-1]:  # the subparser the words lead to
        if not word.startswith("-"):
            full = next(a for a in full._subparsers._group_actions if a.choices).choices[word]  # type: ignore[union-attr]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out == full.format_help()
    assert out.startswith("usage: azwizard")
    if argv == ["--help"]:  # the top level lists every command with its help line
        assert all(f"\n    {c}" in out for c in ("vm", "aks", "check", "cleanup", "sim"))
        assert "plan or create a VM" in out and "exit codes:" in out


@pytest.mark.parametrize("columns", ["60", "100", "157", "", "junk"])
def test_help_is_formatted_as_argparse_formats_it(columns: str, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser gives argparse's help formatter the width argparse would measure itself (so that --help does
    not import shutil): the same text as argparse's own formatter, at any terminal width."""
    import argparse
    import shutil

    from azwizard import cli

    monkeypatch.setenv("COLUMNS", columns)
    assert cli._columns() == shutil.get_terminal_size().columns
    for argv in (["--help"], ["cleanup", "delete", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        ours = capsys.readouterr().out
        with monkeypatch.context() as m:
            m.setattr(cli._Parser, "_get_formatter", argparse.ArgumentParser._get_formatter)
            with pytest.raises(SystemExit):
                main(argv)
        assert ours == capsys.readouterr().out
