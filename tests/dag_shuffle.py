"""A pytest plugin, by hand only: ``pytest -p dag_shuffle --shuffle-dag SEED tests/...``. Every dependency graph the
runner and the cleanup deleter run (``azwizard/run/dag.py``) starts its ready nodes in a shuffled order, each after
a random pause of up to 20 ms, so the order in which independent steps reach Azure differs from run to run. What
two steps need of each other must then be in the plan's dependencies: an order that holds only because one
thread usually starts first fails here (found this way: the add-IPv6 NSG updates beside the VNet's, and the
data collection rule deleted beside its cluster)."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--shuffle-dag", type=int, default=None, metavar="SEED",
                     help="start each DAG's ready nodes in a shuffled order with random pauses (tests/dag_shuffle.py)")


def pytest_configure(config: pytest.Config) -> None:
    seed = config.getoption("--shuffle-dag")
    if seed is None:
        return
    from azwizard.run import dag

    rnd = random.Random(seed)
    original = dag._start_ready

    def shuffled(pending: list[Any], deps: Any, out: Any, running: Any, pool: Any, work: Any, on_skip: Any) -> None:
        def late(node: Any) -> Any:
            time.sleep(rnd.random() * 0.02)
            return work(node)

        rnd.shuffle(pending)
        original(pending, deps, out, running, pool, late, on_skip)

    dag._start_ready = shuffled  # type: ignore[assignment]
