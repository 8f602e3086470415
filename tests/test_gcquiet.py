"""Fewer full collections while the cleanup inventory's worker parses (issue 26), and the collector's thresholds
given back on every path, however the blocks overlap (a refresh starts a new worker before the old one ends)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from azwizard.screens.gcquiet import FULL_EVERY, fewer_full_collections
from test_cleanup_screen import demo, open_cleanup, screen
from test_cleanup_screen import own_data_dir as own_data_dir  # noqa: F401 (an autouse fixture)


def test_the_full_collection_threshold_is_raised_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_full_collections():
        inside = gc.get_threshold()
        assert gc.isenabled()  # never disabled
    assert inside[:2] == before[:2] and inside[2] == max(before[2], FULL_EVERY) > 10
    assert gc.get_threshold() == before


def test_restored_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_full_collections():
        raise RuntimeError("the inventory could not be read")
    assert gc.get_threshold() == before


def test_overlapping_blocks_restore_when_the_last_one_ends() -> None:
    before = gc.get_threshold()
    first_in, second_done, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def first() -> None:
        with fewer_full_collections():
            first_in.set()
            second_done.wait(30)
            seen.append(gc.get_threshold())  # the other block ended: still raised for this one
        first_out.set()

    worker = threading.Thread(target=first)
    worker.start()
    assert first_in.wait(30)
    with fewer_full_collections():
        pass
    second_done.set()
    worker.join(30)
    assert first_out.is_set()
    assert seen == [(before[0], before[1], max(before[2], FULL_EVERY))]
    assert gc.get_threshold() == before


async def test_the_cleanup_screen_reads_its_inventory_with_fewer_full_collections(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import azwizard.cleanup as engine

    real = engine.build_inventory
    during: list[tuple[int, int, int]] = []

    def build_inventory(*args: object, **kwargs: object) -> object:
        during.append(gc.get_threshold())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "build_inventory", build_inventory)
    before = gc.get_threshold()
    app, holder = demo(tmp_path)
    async with app.run_test() as pilot:
        await open_cleanup(app, pilot, holder, cluster=False)
        assert screen(app).state.inventory is not None
    assert during and all(t[2] >= FULL_EVERY for t in during)
    assert gc.get_threshold() == before


async def test_a_large_table_fills_with_fewer_full_collections_then_gives_them_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a large table fills in slices (3 rows "large" and 2 a slice here), no full collection runs on the
    UI thread; once every row is in, the thresholds are given back."""
    from azwizard.screens.cleanup import CleanupScreen
    from textual.widgets import DataTable
    from tui_helpers import wait_until

    before = gc.get_threshold()
    app, holder = demo(tmp_path)
    async with app.run_test() as pilot:
        await open_cleanup(app, pilot, holder, cluster=False)
        monkeypatch.setattr(CleanupScreen, "FREEZE_AT", 3)
        monkeypatch.setattr(CleanupScreen, "FILL_SLICE", 2)
        shown = screen(app)
        table = shown.query_one("#cleanup-table", DataTable)
        shown._fill_table(None)
        assert table.row_count == 2 < len(shown.rows)
        assert gc.get_threshold()[2] >= FULL_EVERY
        await wait_until(pilot, lambda: table.row_count == len(shown.rows), what="the table filled")
        # given back by the worker that collects and freezes the rows once they are all in
        await wait_until(pilot, lambda: gc.get_threshold() == before, what="the thresholds given back")
    assert gc.get_threshold() == before
