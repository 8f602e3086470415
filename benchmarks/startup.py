"""Start-up figures, each next to a bare Textual app measured in the same run. Run by hand:
python benchmarks/startup.py [--runs N]

1. First frame, in process: from just before the parent spawns the interpreter (wall clock passed in) to
   Textual's ``Ready`` event, which Textual sends once the first frame has been displayed (headless, 100x30).
2. Home screen in a pseudo-terminal: from spawning ``python -m azwizard --demo`` in a real pty (100x30) to the
   home screen's text appearing in what it writes; the bare app's figure is the same for its one line.
3. ``azwizard --help`` (the console script, and ``python -m azwizard --help``), wall and CPU, next to
   ``python -c pass`` in the same interpreter (the floor: with an editable install, ``site`` alone imports
   pathlib and re for the install's path finder; ``python -I -S -c pass`` shows the interpreter without it).

Each figure is the median of N fresh interpreter runs, the two apps' runs interleaved so a busy machine
weighs on both alike; the CPU time each used until then (all threads) is printed beside the wall time, since
a busy machine inflates the wall time but hardly the CPU time. The children run with Python's bytecode cache on (PYTHONPYCACHEPREFIX in a temp dir,
warmed by one run first): an installed azwizard has its .pyc files, and an environment with
PYTHONDONTWRITEBYTECODE set would otherwise charge azwizard (not the already-compiled Textual) for
compiling its own modules on every start."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable

CHILD = r"""
import sys, time
t0 = float(sys.argv[1])
kind = sys.argv[2]
if kind == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static
    class Base(App):
        def compose(self):
            yield Header(); yield Static("hello"); yield Footer()
    make = lambda cls: cls()
else:
    from pathlib import Path
    import azwizard.screens
    from azwizard.screens.app import AzWizardApp as Base, demo_connector
    make = lambda cls: cls(demo_connector(False)[0], demo=True)

class Timed(Base):
    if kind != "bare":  # Textual resolves a relative CSS_PATH beside the subclass's file (this script)
        CSS_PATH = str(Path(azwizard.screens.__file__).parent / Base.CSS_PATH)
    def on_ready(self) -> None:  # Textual sends Ready once the first frame has been displayed
        print(f"{time.time() - t0:.4f} {time.process_time():.4f}", flush=True)
        self.exit()

make(Timed).run(headless=True, size=(100, 30))
"""

BARE_APP = r"""
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header(); yield Static("Bare Textual app: one line of text"); yield Footer()

Bare().run()
"""

BARE_TEXT = "Bare Textual app: one line of text"
HOME_TEXT = "What would you like to do?"  # screens/home.py, the home screen's first line
_ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def child_env() -> dict[str, str]:
    env = dict(os.environ, AZWIZARD_DATA_DIR=tempfile.mkdtemp(prefix="azwizard-bench-"),
               PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), "azwizard-bench-pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _script(text: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(text)  # a file, not -c: Textual inspects the app class's source file
    return fh.name


def first_frame(kind: str) -> tuple[float, float]:
    """(wall, CPU) seconds to the first frame."""
    path = _script(CHILD)
    try:
        out = subprocess.run([sys.executable, path, repr(time.time()), kind], capture_output=True,
                             text=True, env=child_env(), check=True).stdout
    finally:
        os.unlink(path)
    wall, cpu = out.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def in_pty(argv: list[str], marker: str, *, timeout: float = 30.0, cols: int = 100,
           rows: int = 30) -> tuple[float, float]:
    """Seconds from spawning ``argv`` in a fresh pseudo-terminal to ``marker`` appearing in its output (escape
    sequences stripped), and the CPU seconds the child had used by then (all its threads, /proc/PID/stat).
    The child is then stopped."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = child_env() | {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    want = marker.encode()
    try:
        while True:
            left = timeout - (time.perf_counter() - t0)
            if left <= 0:
                raise SystemExit(f"{argv}: {marker!r} did not appear within {timeout:.0f} s")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                raise SystemExit(f"{argv} ended before {marker!r} appeared: {_ANSI.sub(b'', seen)[-400:]!r}") from None
            seen += chunk
            if want in _ANSI.sub(b"", seen):
                elapsed = time.perf_counter() - t0
                return elapsed, _cpu_seconds(proc.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()  # utime, stime: the stat file's fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pty_home(kind: str) -> tuple[float, float]:
    if kind == "bare":
        path = _script(BARE_APP)
        try:
            return in_pty([sys.executable, path], BARE_TEXT)
        finally:
            os.unlink(path)
    return in_pty([sys.executable, "-m", "azwizard", "--demo"], HOME_TEXT)


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``argv`` (CPU: the child's user + system time, os.wait4)."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env())
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return elapsed, usage.ru_utime + usage.ru_stime


HELP_RUNS = {  # the --help figures, each beside the same interpreter doing nothing
    "python -c pass (the floor)": [sys.executable, "-c", "pass"],
    "python -I -S -c pass (no site)": [sys.executable, "-I", "-S", "-c", "pass"],
    "azwizard --help (console script)": [os.path.join(os.path.dirname(sys.executable), "azwizard"), "--help"],
    "python -m azwizard --help": [sys.executable, "-m", "azwizard", "--help"],
}


def show_help(n: int) -> None:
    """Median wall and CPU of each HELP_RUNS command over ``n`` interleaved rounds."""
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in HELP_RUNS}
    for _ in range(n):
        for label, argv in HELP_RUNS.items():
            runs[label].append(timed(argv))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    floor_wall, floor_cpu = med["python -c pass (the floor)"]
    print(f"--help, median of {n} (target <= 100 ms wall; the floor is the same interpreter doing nothing: with an "
          "editable install, site's path finder alone costs what 'no site' leaves out):")
    for label, (w, c) in med.items():
        print(f"  {label:34}: {w * 1000:6.1f} ms wall, {c * 1000:5.1f} ms CPU   over the floor: "
              f"{(w - floor_wall) * 1000:+6.1f} ms wall, {(c - floor_cpu) * 1000:+5.1f} ms CPU")


def paired(fn: Callable[[str], tuple[float, float]], n: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) of each app, their runs interleaved."""
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "azwizard": []}
    for _ in range(n):
        for kind, got in runs.items():
            got.append(fn(kind))
    return {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for k, v in runs.items()}


def show(title: str, figures: dict[str, tuple[float, float]]) -> None:
    (bw, bc), (ow, oc) = figures["bare"], figures["azwizard"]
    print(title)
    print(f"  bare Textual app   : {bw * 1000:7.1f} ms wall, {bc * 1000:6.1f} ms CPU")
    print(f"  azwizard --demo    : {ow * 1000:7.1f} ms wall, {oc * 1000:6.1f} ms CPU   ratio {ow / bw:.2f}x wall, "
          f"{oc / bc:.2f}x CPU (target <= 1.15x)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    n = ap.parse_args().runs
    for kind in ("bare", "azwizard"):  # warm the bytecode cache
        first_frame(kind)
        pty_home(kind)
    for argv in HELP_RUNS.values():
        timed(argv)
    frame = paired(first_frame, n)
    home = paired(pty_home, n)
    show(f"first frame (in process, headless), median of {n}:", frame)
    show(f"spawn -> home screen text in a pty (100x30), median of {n}:", home)
    show_help(max(n, 15))


if __name__ == "__main__":
    main()
