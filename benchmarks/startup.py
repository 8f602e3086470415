"""Start-up figures: time to the first frame of `azwizard --demo` next to a bare Textual app, and the
wall time of `azwizard --help`. Run by hand: python benchmarks/startup.py [--runs N]

Each figure is the median of N fresh interpreter runs. The first frame is measured inside the child
process: from just before the parent spawns the interpreter (wall clock passed in) to Textual's
``Ready`` event, which Textual sends once the first frame has been displayed."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

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
    if kind != "bare":
        CSS_PATH = str(Path(azwizard.screens.__file__).parent / "app.tcss")
    def on_ready(self) -> None:  # Textual sends Ready once the first frame has been displayed
        print(f"{time.time() - t0:.4f}", flush=True)
        self.exit()

make(Timed).run(headless=True, size=(100, 30))
"""


def first_frame(kind: str) -> float:
    env = dict(os.environ, AZWIZARD_DATA_DIR=tempfile.mkdtemp())
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(CHILD)  # a file, not -c: Textual inspects the app class's source file
    out = subprocess.run([sys.executable, fh.name, repr(time.time()), kind], capture_output=True,
                         text=True, env=env, check=True).stdout
    os.unlink(fh.name)
    return float(out.strip().splitlines()[-1])


def help_wall() -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "azwizard", "--help"], capture_output=True, check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    n = ap.parse_args().runs
    first_frame("bare"), first_frame("azwizard")  # warm the .pyc caches
    bare = statistics.median(first_frame("bare") for _ in range(n))
    ours = statistics.median(first_frame("azwizard") for _ in range(n))
    helps = statistics.median(help_wall() for _ in range(n))
    print(f"first frame, bare Textual app : {bare * 1000:7.1f} ms (median of {n})")
    print(f"first frame, azwizard --demo  : {ours * 1000:7.1f} ms  ratio {ours / bare:.2f}x (target <= 1.3x)")
    print(f"azwizard --help wall time     : {helps * 1000:7.1f} ms (target <= 100 ms)")


if __name__ == "__main__":
    main()
