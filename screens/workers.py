"""Worker answers as typed messages (issue 20), as harlequin posts its workers' results: a thread worker is
decorated ``@posts(SomethingRead)`` under Textual's ``@work``, and what it returns, or the exception it raised, is
posted to the screen (or the app) that started it as that ``WorkerDone`` subclass, which the screen handles with
``@on(SomethingRead)``; no handler filters ``Worker.StateChanged`` by group name.

The work itself still runs on the worker's thread, never on the UI thread. Nothing is posted when the worker was
cancelled meanwhile (an exclusive newer worker of its group replaced it): Textual's StateChanged never said
SUCCESS for such a worker either. A screen being popped gets no message once it is closing, but one posted
before may arrive while its widgets are being removed: a handler keeps what it must (on the journey, say), then
draws only ``if not leaving(self)``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, Generic, ParamSpec, TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

T = TypeVar("T")
P = ParamSpec("P")
N = TypeVar("N", bound=MessagePump)


@dataclass
class WorkerDone(Message, Generic[T]):
    """A worker's answer: ``result`` when it returned, ``error`` (what it raised) when it failed."""

    result: T | None = None
    error: Exception | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def posts(message: type[WorkerDone[T]]) -> Callable[[Callable[Concatenate[N, P], T]],
                                                     Callable[Concatenate[N, P], None]]:
    """The decorated worker function posts ``message`` with its result (or its error) to its node."""

    def decorate(work: Callable[Concatenate[N, P], T]) -> Callable[Concatenate[N, P], None]:
        def run(node: N, /, *args: P.args, **kwargs: P.kwargs) -> None:
            try:
                answer = message(result=work(node, *args, **kwargs))
            except Exception as error:  # the answer, for the screen to explain (azwizard.azure.errors.explain)
                answer = message(error=error)
            if not get_current_worker().is_cancelled:
                node.post_message(answer)

        functools.update_wrapper(run, work)
        return run

    return decorate


def leaving(node: DOMNode) -> bool:
    """The node is being removed (a popped screen: Textual prunes its widgets before the screen itself, so a query
    finds nothing) or closing: an answer arriving then has nothing to draw on (the screen draws afresh when it is
    shown again). Textual keeps these flags private: ``_pruning`` is set on every node ``App._prune`` removes."""
    return node._pruning or node._closing or node._closed
