"""Run the nodes of a dependency graph on a thread pool: every node whose dependencies succeeded starts at
once (independent work runs concurrently), a node whose dependency failed is skipped, and after a cancel
nothing new starts. Shared by the create runner and the cleanup deleter, which differ only in what one
node does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")

NodeState = Literal["waiting", "running", "succeeded", "failed", "skipped", "cancelled"]
_STOPPED = ("failed", "skipped", "cancelled")


class Cancelled(Exception):
    """Raised by a node's work when it stopped because the run was cancelled."""


@dataclass
class DagOutcome(Generic[K, R]):
    states: dict[K, NodeState]
    results: dict[K, R] = field(default_factory=dict)
    errors: dict[K, Exception] = field(default_factory=dict)


def run_dag(
    order: Sequence[K],
    depends_on: Mapping[K, Iterable[K]],
    work: Callable[[K], R],
    *,
    cancel: threading.Event,
    max_workers: int = 8,
    on_skip: Callable[[K, K], None] | None = None,
    on_cancel: Callable[[K], None] | None = None,
    thread_name_prefix: str = "azwizard-dag",
) -> DagOutcome[K, R]:
    """Run ``work(node)`` for every node of ``order`` once its ``depends_on`` nodes succeeded.

    ``on_skip(node, dependency)`` is called for a node not started because ``dependency`` failed, was
    skipped or was cancelled; ``on_cancel(node)`` for one not started because ``cancel`` was set. ``work``
    raising :class:`Cancelled` marks the node cancelled; any other exception marks it failed (kept in
    ``errors``). Dependencies outside ``order`` count as satisfied.
    """
    known = set(order)
    deps: dict[K, tuple[K, ...]] = {n: tuple(d for d in depends_on.get(n, ()) if d in known) for n in order}
    out: DagOutcome[K, R] = DagOutcome({n: "waiting" for n in order})
    pending = list(order)
    running: dict[Future[R], K] = {}
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=thread_name_prefix) as pool:
        while pending or running:
            if cancel.is_set():
                for node in pending:
                    out.states[node] = "cancelled"
                    if on_cancel is not None:
                        on_cancel(node)
                pending.clear()
            else:
                _start_ready(pending, deps, out, running, pool, work, on_skip)
            if not running:
                if pending:
                    raise ValueError(f"dependency cycle among {pending!r}")
                break
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for fut in finished:
                node = running.pop(fut)
                try:
                    out.results[node] = fut.result()
                    out.states[node] = "succeeded"
                except Cancelled:
                    out.states[node] = "cancelled"
                except Exception as exc:  # the node's own failure; the graph goes on
                    out.states[node] = "failed"
                    out.errors[node] = exc
    return out


def _start_ready(
    pending: list[K],
    deps: Mapping[K, tuple[K, ...]],
    out: DagOutcome[K, R],
    running: dict[Future[R], K],
    pool: ThreadPoolExecutor,
    work: Callable[[K], R],
    on_skip: Callable[[K, K], None] | None,
) -> None:
    """Skip what can no longer run and start what is ready, until nothing changes (skips cascade)."""
    changed = True
    while changed:
        changed = False
        for node in list(pending):
            stopped = next((d for d in deps[node] if out.states[d] in _STOPPED), None)
            if stopped is not None:
                out.states[node] = "skipped"
                pending.remove(node)
                changed = True
                if on_skip is not None:
                    on_skip(node, stopped)
            elif all(out.states[d] == "succeeded" for d in deps[node]):
                out.states[node] = "running"
                pending.remove(node)
                running[pool.submit(work, node)] = node
