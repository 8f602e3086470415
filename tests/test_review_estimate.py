"""The review's estimate (screens/review.py ``cost_lines``) and the plan's (pricing/estimate.py): every
resource with its figure per month, the total, and the prices' region, currency and date, or the fallback
marked; the same figures in both front ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from azwizard.screens.review import cost_lines

from azwizard.plan.vm import plan_vm
from azwizard.pricing import price_book
from azwizard.pricing.book import PriceBook
from azwizard.pricing.estimate import plan_estimate
from azwizard.sim import ArmSim
from azwizard.sim.transport import SimTransport
from azwizard.specs.vm import VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path))


def _plan(location: str = "westeurope") -> object:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, size="Standard_D2s_v5", location=location)
    return plan_vm(spec, subscription_id="00000000-0000-0000-0000-000000000000", run_id="r1",
                   created_at="2026-11-25T03:00:00Z")


def test_the_review_lists_each_resource_the_total_and_where_prices_come_from(sim: ArmSim) -> None:
    plan = _plan()
    book = price_book("westeurope", transport=SimTransport(sim))
    text = "\n".join(cost_lines(plan, book))  # type: ignore[arg-type]
    est = plan_estimate(plan.steps, book)  # type: ignore[attr-defined]
    for row in est["resources"]:
        assert row["name"] in text
    assert f"Total: ${est['total_monthly']:,.2f}/month" in text
    assert "list prices, westeurope, USD, fetched" in text and "FALLBACK" not in text


def test_the_review_marks_the_fallback_and_uses_no_other_regions_prices() -> None:
    plan = _plan("brazilsouth")
    other = PriceBook("eastus", "USD", "2026-12-01", "cache", vm_hourly={"standard_d2s_v5": 0.001})
    text = "\n".join(cost_lines(plan, other))  # type: ignore[arg-type]
    assert "FALLBACK dated table" in text and "not brazilsouth's" in text  # no cache for brazilsouth, no network
    assert "$70.08" in text  # the table's D2s_v5, never the other region's $0.73
