"""Worker answers as typed messages (screens/workers.py, issue 20): a worker decorated ``@posts(Message)`` posts
what it returned, or what it raised, to the node that started it, off the UI thread; a worker an exclusive newer
one replaced posts nothing."""

from __future__ import annotations

import threading

from azwizard.screens.workers import WorkerDone, leaving, posts
from textual import on, work
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static
from tui_helpers import wait_until, workers_done


class Doubled(WorkerDone[int]):
    """The doubled number, or why not."""


class Probe(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[tuple[int | None, str]] = []
        self.threads: list[int] = []
        self.release = threading.Event()
        self.release.set()

    @work(thread=True, exclusive=True, exit_on_error=False, group="double")
    @posts(Doubled)
    def double(self, n: int) -> int:
        self.threads.append(threading.get_ident())
        self.release.wait(30)
        if n < 0:
            raise ValueError("a negative number")
        return 2 * n

    @on(Doubled)
    def _doubled(self, message: Doubled) -> None:
        self.answers.append((message.result, str(message.error or "")))


async def test_a_worker_posts_its_result_or_its_error_from_its_own_thread() -> None:
    app = Probe()
    async with app.run_test() as pilot:
        app.double(21)
        await wait_until(pilot, lambda: len(app.answers) == 1, what="the answer")
        app.double(-1)
        await wait_until(pilot, lambda: len(app.answers) == 2, what="the error")
        assert app.answers == [(42, ""), (None, "a negative number")]
        assert threading.get_ident() not in app.threads  # the work ran on the workers' threads


async def test_a_worker_replaced_by_a_newer_one_posts_nothing() -> None:
    app = Probe()
    async with app.run_test() as pilot:
        app.release.clear()
        app.double(1)  # waits for the release: an exclusive newer worker of its group cancels it
        await wait_until(pilot, lambda: len(app.threads) == 1, what="the first worker to start")
        app.double(2)
        await wait_until(pilot, lambda: len(app.threads) == 2, what="the second worker to start")
        app.release.set()
        await workers_done(app)
        await pilot.pause()
        assert app.answers == [(4, "")]


class Shown(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="answer")

    @on(Doubled)
    def _doubled(self, message: Doubled) -> None:
        self.seen.append(("answer", leaving(self)))
        if not leaving(self):
            self.query_one("#answer", Static).update(str(message.result))

    def on_unmount(self) -> None:
        self.seen.append(("unmount", leaving(self)))


async def test_a_screen_knows_it_is_leaving_while_it_is_popped() -> None:
    """What a handler checks before drawing: False while the screen is shown, True while Textual removes it
    (its widgets go first, so a query would find nothing)."""
    app = App[None]()
    async with app.run_test() as pilot:
        screen = Shown()
        await app.push_screen(screen)
        screen.post_message(Doubled(result=3))
        await wait_until(pilot, lambda: bool(screen.seen), what="the answer")
        await app.pop_screen()
        await pilot.pause()
    assert screen.seen == [("answer", False), ("unmount", True)]
