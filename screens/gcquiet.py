"""Fewer full garbage collections while a worker builds a large structure that lives on (issue 26).

A full (generation-2) collection walks every object the collector tracks and holds the GIL while it does, so
the UI thread's event loop waits however idle it is. Parsing a 2,000-resource inventory (Azure Resource
Graph's 1,000-row pages, then the items and the table's rows) allocates enough to trigger four or five of
them on the worker, 12-45 ms each, for nothing: what it allocates lives on (the app freezes it afterwards,
``AzWizardApp.freeze_heap``, after one collection). Inside :func:`fewer_full_collections` the third
threshold is raised (young collections go on as before); it is restored when the last such block ends, on
every path. The collector is never disabled.
https://docs.python.org/3/library/gc.html#gc.set_threshold
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FULL_EVERY = 1000  # generation-1 collections between two full ones inside the block (Python's default: 10)

_lock = threading.Lock()
_depth = 0  # blocks running now (a refresh may start a new worker before the old one's thread ends)
_saved: tuple[int, int, int] | None = None


def hold_full_collections() -> Callable[[], None]:
    """Raise the threshold until the returned function is called (once is enough; later calls do nothing): for
    work that spans several turns of the UI's event loop (the cleanup table's fill)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(_saved[0], _saved[1], max(_saved[2], FULL_EVERY))
        _depth += 1
    released = False

    def release() -> None:
        global _depth, _saved
        nonlocal released
        with _lock:
            if released:
                return
            released = True
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None

    return release


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    release = hold_full_collections()
    try:
        yield
    finally:
        release()
