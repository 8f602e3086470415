"""The size picker's $/month column, through Textual's Pilot: the VM step pushed directly (tui_helpers
``open_steps``), priced from the simulator's Retail Prices endpoint for the journey's region, with the prices'
region, currency and date under the table; a cheaper region shows lower figures; the fallback is marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.app import AzWizardApp
from azwizard.screens.vm.steps import VmDetailsStep
from tui_helpers import open_steps, vm_journey, wait_until

from azwizard.azure.session import AzureSession
from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT

SIZE = (130, 44)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("AZWIZARD_CURRENCY", raising=False)
    return tmp_path / "data"


def demo(tmp_path: Path) -> AzWizardApp:
    def connect() -> AzureSession:
        return open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT).session

    return AzWizardApp(connect, demo=True)


async def _price_of(tmp_path: Path, region: str, size: str = "Standard_D2s_v5") -> tuple[str, str, str]:
    """(the $/month cell of ``size``, the column's header, the note under the table) in ``region``."""
    app = demo(tmp_path / region)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steps(app, pilot, "vm", VmDetailsStep, journey=vm_journey(location=region))
        screen.query_one("#size-filter").value = size.removeprefix("Standard_").lower()
        table: Any = screen.query_one("#size")
        await wait_until(pilot, lambda: table.row_count >= 1 and str(table.get_row_at(0)[0]) == size,
                         what=f"{size} alone in the picker")
        header = str(table.ordered_columns[5].label)
        note = str(screen.query_one("#size-prices").render())
        return str(table.get_row_at(0)[5]), header, note


def _dollars(cell: str) -> float:
    assert cell.startswith("$"), cell
    return float(cell[1:].replace(",", ""))


async def test_the_month_column_is_the_regions_price_and_a_cheaper_region_is_lower(tmp_path: Path) -> None:
    from azwizard.sim.providers.retailprices import REGION_FACTOR

    assert REGION_FACTOR["centralindia"] < REGION_FACTOR["norwayeast"]
    cheap, header, note = await _price_of(tmp_path, "centralindia")
    dear, _, dear_note = await _price_of(tmp_path, "norwayeast")
    assert header == "$/month"
    assert _dollars(cheap) < _dollars(dear)
    assert "centralindia, USD, fetched" in note and "Linux pay-as-you-go" in note
    assert "norwayeast, USD, fetched" in dear_note


async def test_no_price_list_shows_the_dated_table_marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import azwizard.pricing.store as store

    monkeypatch.setattr(store, "_fetch", lambda *a, **k: None)  # the price list cannot be read, nothing cached
    cell, _, note = await _price_of(tmp_path, "westeurope")
    assert "FALLBACK dated table" in note and "not westeurope's" in note
    assert _dollars(cell) == pytest.approx(0.096 * 730, abs=0.01)  # the table's East US D2s_v5
