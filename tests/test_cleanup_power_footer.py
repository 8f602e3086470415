"""The cleanup footer offers the power action that applies to the cluster's state: start for a stopped cluster,
not "s Stop AKS" (issue 12 item 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_cleanup_screen import demo, goto, open_cleanup, settle

from azwizard.azure import ops


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def footer(app: Any) -> set[str]:
    from textual.widgets._footer import FooterKey

    return {str(k.description) for k in app.screen.query(FooterKey)}


async def test_a_stopping_cluster_is_not_offered_stop_in_the_footer(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sim = holder["sim"]
        from cleanup_helpers import make_cluster

        from azwizard.paths import journal_dir

        cluster_id = make_cluster(app.session.factory, journal_dir())  # type: ignore[union-attr]
        sim.min_polls = 10**9  # the stop is still going on when cleanup opens: provisioningState Stopping
        sim.unwatched_after = 10**9  # and time alone does not finish them (sim/core.py time model)
        ops.cluster_power_action(app.session.factory, cluster_id, "stop")  # type: ignore[union-attr]
        await pilot.press("c")
        await settle(app, pilot)
        await goto(app, pilot, "aks1")
        await settle(app, pilot)
        keys = footer(app)
        assert "Stop AKS" not in keys and "Start AKS" not in keys, keys
        sim.unwatched_after = 0  # let the held stop finish, so its SDK poller thread ends with the test


async def test_after_stopping_from_cleanup_the_footer_offers_start(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_cleanup(app, pilot, holder, vm=False)
        await goto(app, pilot, "aks1")
        await settle(app, pilot)
        assert "Stop AKS" in footer(app), " | ".join(sorted(footer(app)))
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        keys = footer(app)
        assert "Start AKS" in keys and "Stop AKS" not in keys, keys


async def test_the_footer_is_built_again_only_when_its_keys_change(tmp_path: Path) -> None:
    """Each highlighted row asks the footer to refresh its keys; it is rebuilt (15-40 ms, issue 26) only when
    they change: moving between the VM run's resources keeps it, onto the cluster adds Stop AKS."""
    from textual.widgets._footer import FooterKey

    app, holder = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_cleanup(app, pilot, holder)
        names = [r.item.name for r in app.screen.rows if r.item is not None and r.item.run_id == "run-vm"][:4]
        assert len(names) == 4
        await goto(app, pilot, names[0])
        await settle(app, pilot)
        built = list(app.screen.query(FooterKey))
        for name in names[1:]:
            await goto(app, pilot, name)
        app.screen.refresh_bindings()
        await settle(app, pilot)
        assert list(app.screen.query(FooterKey)) == built and all(k.is_attached for k in built)
        await goto(app, pilot, "aks1")
        await settle(app, pilot)
        assert "Stop AKS" in footer(app) and not any(k.is_attached for k in built)
