"""The examples in the command pages (docs/cli*.md) are run: every ``$ command`` line of a ```console block
runs in bash (``azwizard`` is ``python -m azwizard``, against the simulated subscription with instant
operations, in a fresh data dir per page), and the lines shown after it must appear in its output in that
order (``…`` stands for any text; a line that is only ``…`` for any lines). ``echo $?`` shows the previous
command's exit code. ``--from-az`` commands open the wizard headless and check it opened pre-filled."""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cli_helpers import DOCS, ROOT, cli_env
from tui_helpers import settle, wait_until

PAGES = sorted(p.name for p in DOCS.glob("cli*.md"))


@dataclass
class Example:
    command: str
    expected: list[str] = field(default_factory=list)
    line: int = 0


def examples(page: Path) -> list[Example]:
    out: list[Example] = []
    in_block = False
    for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            in_block = line.strip() == "```console"
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            out.append(Example(line[2:], line=n))
        elif out:
            out[-1].expected.append(line)
    return out


def _pattern(expected: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in expected.rstrip().split("…")))


def check_output(example: Example, output: str) -> None:
    actual = [ln.rstrip() for ln in output.splitlines()]
    i = 0
    for want in example.expected:
        if want.strip() in ("", "…"):
            continue
        pattern = _pattern(want)
        while i < len(actual) and not pattern.fullmatch(actual[i]):
            i += 1
        assert i < len(actual), (f"docs line {example.line}: `{example.command}`\nexpected (in order): {want!r}\n"
                                 f"output:\n{output}")
        i += 1


def shim(tmp: Path) -> Path:
    """A bin directory whose ``azwizard`` runs this checkout's ``python -m azwizard``."""
    import sys

    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    script = bin_dir / "azwizard"
    script.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m azwizard \"$@\"\n")
    script.chmod(0o755)
    return bin_dir


async def open_from_az(command: str, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run an ``azwizard ... --from-az ...`` example in Textual's headless pilot instead of a terminal."""
    from azwizard.headless.commands import _read_az
    from azwizard.headless.tui import build_app
    from azwizard.sim.catalog.locations import SUBSCRIPTION_ID

    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(data))
    argv = shlex.split(command)
    kind = argv[argv.index("--from-az") - 1]
    tail = argv[argv.index("--from-az") + 1:]
    read_kind, read = _read_az(tail, SUBSCRIPTION_ID)
    assert read_kind == kind
    app = build_app(kind, read.spec, demo="--demo" in argv)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == kind
                         and getattr(app.screen, "journey", None) is app.journeys[kind], what=command)
        # let the journey's first screen finish mounting and its facts arrive before the app closes
        await settle(app, pilot)
        spec = app.journeys[kind].spec
        if kind == "vm":
            assert (spec.names.resource_group, spec.names.vm) == (read.spec.names.resource_group, read.spec.names.vm)
        else:
            assert (spec.resource_group, spec.cluster_name) == (read.spec.resource_group, read.spec.cluster_name)


def _plain(command: str) -> bool:
    """A bare ``azwizard ...`` (no pipes, redirections or shell variables): run in this process, which is
    the same code path and much faster than a new interpreter. The others run in bash."""
    return command.startswith("azwizard ") and not any(ch in command for ch in "|<>;&$`")


def _in_process(command: str, data: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    import contextlib
    import io

    from azwizard.cli import main

    for key, value in cli_env(data).items():
        if key.startswith("AZWIZARD_"):
            monkeypatch.setenv(key, value)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            code = main(shlex.split(command)[1:])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return buf.getvalue(), code


@pytest.mark.parametrize("page", PAGES)
async def test_the_pages_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = examples(DOCS / page)
    if page == "cli.md" or page.startswith("cli-"):
        assert items, f"{page} has no runnable example"
    data = tmp_path / "data"
    env = cli_env(data)
    env["PATH"] = f"{shim(tmp_path)}:{env.get('PATH', '')}"
    last = 0
    for ex in items:
        # Pages write scratch files to /tmp: each test gets its own.
        command = ex.command.replace("/tmp/", f"{tmp_path}/")
        ex.expected = [line.replace("/tmp/", f"{tmp_path}/") for line in ex.expected]
        if command.strip() == "echo $?":
            output = str(last)
        elif "--from-az" in command:
            await open_from_az(command, data, monkeypatch)
            output, last = "", 0
        elif _plain(command):
            output, last = _in_process(command, data, monkeypatch)
            follows_echo = items.index(ex) + 1 < len(items) and items[items.index(ex) + 1].command == "echo $?"
            if not follows_echo:
                assert last == 0, f"docs line {ex.line}: `{ex.command}` exited {last}:\n{output}"
        else:
            proc = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
            output, last = proc.stdout, proc.returncode
            follows_echo = items.index(ex) + 1 < len(items) and items[items.index(ex) + 1].command == "echo $?"
            if not follows_echo:
                assert last == 0, f"docs line {ex.line}: `{ex.command}` exited {last}:\n{output}"
        check_output(ex, output)
