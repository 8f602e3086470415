"""The Textual app: header with the subscription, a home screen with the three journeys, help,
command palette. Azure work happens in thread workers; nothing here imports the Azure SDK."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from .commands import JourneyCommands
from .help import HelpScreen
from .home import HomeScreen
from .journeys import JOURNEY_MODES
from .signin import SignInProblemScreen, SubscriptionPicker
from .stylesheet import ParsedFile, ParseOnceStylesheet
from .workers import WorkerDone, posts

if TYPE_CHECKING:
    from azwizard.azure.errors import AzwizardError
    from azwizard.azure.session import AzureSession, SubscriptionChoice, SubscriptionPickRequired

Connector = Callable[[], "AzureSession"]
FIRST_FRAME_WAIT_S = 2.0
JOURNEYS_CSS = Path(__file__).with_name("app.tcss")  # the journeys' rules; the shell's are in home.tcss
_SHELL_SCREENS = (HomeScreen, HelpScreen, SignInProblemScreen, SubscriptionPicker)
# Imported on a worker thread once the session is open (_warm_up), so opening the screen does not stall the UI
# thread on the import (the cleanup screen and the engine it shows: about 100 ms of CPU, issue 26).
# The engine's package loads its modules when first used (azwizard/cleanup/__init__.py): the ones the screen calls.
WARM_MODULES = ("azwizard.screens.cleanup", "azwizard.cleanup.inventory", "azwizard.cleanup.order",
                "azwizard.cleanup.delete", "azwizard.cleanup.power")


@dataclass
class SessionReady(Message):
    session: AzureSession


class SessionOpened(WorkerDone["AzureSession"]):
    """The session worker's answer: the session, or why signing in failed (SubscriptionPickRequired: choose)."""


class WarmedUp(WorkerDone["ParsedFile | None"]):
    """The warm-up worker's answer: the journeys' stylesheet parsed off the UI thread (None: nothing to adopt)."""


class AzWizardApp(App[int]):
    """azwizard's terminal UI. ``connect`` opens the Azure session (in a worker thread)."""

    TITLE = "azwizard"
    # The shell only: the journeys' rules (app.tcss) wait for the first journey screen. Absolute, so a subclass
    # defined elsewhere (tests, benchmarks) finds it too (Textual resolves CSS_PATH beside the subclass's file).
    CSS_PATH = str(Path(__file__).with_name("home.tcss"))
    COMMANDS = App.COMMANDS | {JourneyCommands}
    # "home" starts as the default screen (get_default_screen), not from MODES: Textual (8.2) builds a mode's first
    # screen with an extra CSS reparse and restyle and the footer's keys before the first frame, a third of the
    # start-up's CPU over a bare app (benchmarks/startup.py). on_mount then registers the mode for switch_mode.
    MODES = dict(JOURNEY_MODES)
    DEFAULT_MODE = "home"
    # Every screen gets -narrow/-wide and -short/-tall: app.tcss adapts the layouts to 80x24 with them.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("f1", "help", "Help", id="help.f1", show=False, priority=True),  # works inside inputs too
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False),
    ]

    # _warm_up's collection and gc.freeze are for a process that runs one app. A test process runs hundreds: each
    # paid a full collection of everything its worker holds, and each app's end thawed what tests/conftest.py froze
    # once after collection. The tests turn it off (a test-speed hook, issue 26); test_app_warm_up.py turns it on.
    FREEZE_HEAP = True

    session: reactive[AzureSession | None] = reactive(None)
    connecting: reactive[bool] = reactive(True)

    def __init__(self, connect: Connector, *, demo: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Parses each CSS source once (Textual parses them all again for each new screen's CSS: stylesheet.py)
        self.stylesheet = ParseOnceStylesheet(variables=self.get_css_variables())
        self._connect = connect
        self.demo = demo
        self.problem: AzwizardError | None = None
        self.journeys: dict[str, Any] = {}
        self._first_frame = threading.Event()
        self._gc_lock = threading.Lock()  # _warm_up's gc.freeze and on_unmount's gc.unfreeze, in that order only
        self._ended = False
        self._froze = False
        # Journeys with a real flow replace their placeholder entry; imported only when opened.
        self._modes["vm"] = self._vm_entry
        self._modes["aks"] = self._aks_entry
        self._modes["cleanup"] = self._cleanup_entry

    def _vm_entry(self) -> Any:
        from .vm import vm_entry

        return vm_entry(self)

    def _aks_entry(self) -> Any:
        from .aks import aks_entry

        return aks_entry(self)

    def _cleanup_entry(self) -> Any:
        from .cleanup import cleanup_entry

        return cleanup_entry(self)

    def _load_screen_css(self, screen: Screen[Any]) -> None:
        """Textual reads a screen's CSS here before showing it (push, switch, a mode's first screen). The first
        azwizard screen that is not the shell's (home, help, sign-in) brings the journeys' stylesheet with it,
        so parsing and applying its rules is not paid before the home screen's first frame."""
        ours = type(screen).__module__.startswith("azwizard.screens.")
        if ours and not isinstance(screen, _SHELL_SCREENS) and JOURNEYS_CSS not in screen.css_path:
            screen.css_path = [*screen.css_path, JOURNEYS_CSS]
        super()._load_screen_css(screen)

    def reset_journey(self, mode: str) -> None:
        """Forget a finished journey's draft so the next visit starts fresh."""
        self.journeys.pop(mode, None)
        if self.current_mode != mode:
            self.remove_mode(mode)
            entries = {"vm": self._vm_entry, "aks": self._aks_entry, "cleanup": self._cleanup_entry}
            self.add_mode(mode, entries.get(mode, JOURNEY_MODES[mode]))

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    def on_mount(self) -> None:
        if "home" not in self._modes:  # the running home screen is the mode's; later switches come back to it
            self.add_mode("home", HomeScreen)
        self.sub_title = "simulated subscription · connecting…" if self.demo else "signing in…"
        self.open_session()

    def on_ready(self) -> None:
        """Textual's Ready: the first frame is on the screen."""
        self._first_frame.set()

    def wait_for_first_frame(self) -> None:
        """For worker threads started at mount: block until the first frame is painted (bounded), so their
        imports do not compete with the first paint for the GIL (benchmarks/startup.py)."""
        self._first_frame.wait(FIRST_FRAME_WAIT_S)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session", name="open-session")
    @posts(SessionOpened)
    def open_session(self) -> AzureSession:
        # The worker exists from mount (so whoever waits for the session waits for it), but its work starts once
        # the first frame is painted: importing the simulator and azure-core would compete with the paint.
        self.wait_for_first_frame()
        return self._connect()  # what it raises is an answer for the sign-in screen (_session_failed)

    @on(SessionOpened)
    def _session_opened(self, message: SessionOpened) -> None:
        if message.result is not None:
            self._session_ready(message.result)
        else:
            self._session_failed(message.error)

    @on(WarmedUp)
    def _warmed_up(self, message: WarmedUp) -> None:
        """The journeys' stylesheet, parsed on the warm-up worker, is adopted here on the UI thread (if the
        warm-up failed, the first journey screen parses it as Textual would)."""
        if isinstance(message.result, ParsedFile) and isinstance(self.stylesheet, ParseOnceStylesheet):
            self.stylesheet.adopt(message.result)

    def _session_ready(self, session: AzureSession) -> None:
        self.session = session
        self.connecting = False
        self.problem = None
        self.sub_title = session.header_label()
        self.post_message(SessionReady(session))
        self._warm_up()

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up", name="warm-up")
    @posts(WarmedUp)
    def _warm_up(self) -> ParsedFile | None:
        """Import WARM_MODULES and parse the journeys' stylesheet (app.tcss, adopted on the UI thread when this
        worker ends: _warmed_up) off the UI thread (pressing a journey's key before this ends only
        waits for the import, Python's module lock, as it would have without it); then move everything alive by now, the
        imported modules, Textual's and the SDK's classes, the simulator's state, into the garbage collector's
        permanent generation (gc.freeze: https://docs.python.org/3/library/gc.html#gc.freeze). A full
        collection stops every thread, the UI's too, while it walks every object: with the demo's subscription
        at 2,000 resources that was over 100 ms of UI stall each time (issue 26); frozen objects are not
        walked. A collection first, so that no garbage cycle is frozen with them (a frozen cycle is never freed);
        the app gives them back to the collector when it ends (on_unmount: a test process runs many apps)."""
        import importlib

        for name in WARM_MODULES:
            importlib.import_module(name)
        stylesheet = self.stylesheet
        parsed = stylesheet.prepare(JOURNEYS_CSS) if isinstance(stylesheet, ParseOnceStylesheet) else None
        self.freeze_heap()
        return parsed

    def freeze_heap(self) -> None:
        """On a worker thread, once a large and lasting set of objects is built (the session, an inventory):
        collect, then move everything alive into the permanent generation, so that the full collections the
        UI's own allocations trigger later walk only what came after (_warm_up says why)."""
        import gc

        with self._gc_lock:
            if not self._ended and self.FREEZE_HEAP:
                gc.collect()
                gc.freeze()
                self._froze = True

    def on_unmount(self) -> None:
        """The app is over: what _warm_up froze (this app's widgets among it) goes back to the collector."""
        import gc

        with self._gc_lock:
            self._ended = True
            if self._froze:
                gc.unfreeze()

    def _session_failed(self, error: BaseException | None) -> None:
        from azwizard.azure.errors import explain
        from azwizard.azure.session import SubscriptionPickRequired

        self.connecting = False
        if isinstance(error, SubscriptionPickRequired):
            self._pick_subscription(error)
            return
        problem = explain(error) if error is not None else None
        self.problem = problem
        self.sub_title = "not signed in"
        if problem is not None:
            self.push_screen(SignInProblemScreen(problem), self._after_problem)

    def _after_problem(self, retry: bool | None) -> None:
        if retry:
            self.connecting = True
            self.sub_title = "signing in…"
            self.open_session()

    def _pick_subscription(self, pick: SubscriptionPickRequired) -> None:
        def chosen(choice: SubscriptionChoice | None) -> None:
            if choice is None:
                self.sub_title = "no subscription chosen"
                return
            self.sub_title = "opening subscription…"
            self._open_picked(pick, choice)

        self.push_screen(SubscriptionPicker(pick.choices), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session", name="open-picked")
    @posts(SessionOpened)
    def _open_picked(self, pick: SubscriptionPickRequired, choice: SubscriptionChoice) -> AzureSession:
        return pick.pick(choice)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_journey(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_home(self) -> None:
        self.switch_mode("home")


def demo_connector(reset: bool, latency: str = "demo") -> tuple[Connector, dict[str, Any]]:
    """The simulated subscription; ``latency`` is --latency's none, demo (realistic / 20) or real."""
    holder: dict[str, Any] = {}

    def connect() -> AzureSession:
        from azwizard.azure.session import describe_tenant
        from azwizard.demo import demo_latency, open_demo_session

        demo = open_demo_session(reset=reset, latency=demo_latency(latency))
        holder["sim"] = demo.sim
        describe_tenant(demo.session)
        return demo.session

    return connect, holder


def real_connector(subscription: str | None, cloud: str | None = None) -> Connector:
    def connect() -> AzureSession:
        from azwizard.azure.signin import open_real_session

        # The cloud as az reads it, a clear "run az login" before anything else, then the subscription;
        # the header names the cloud when it is not the public one (AzureSession.header_label).
        return open_real_session(subscription, cloud)

    return connect


def run_app(*, demo: bool, reset: bool = False, subscription: str | None = None, cloud: str | None = None,
            latency: str = "demo") -> int:
    if demo:
        connect, _ = demo_connector(reset, latency)
    else:
        connect = real_connector(subscription, cloud)
    app = AzWizardApp(connect, demo=demo)
    app.run()
    return app.return_code or 0
