"""``vm plan`` / ``aks plan`` carry the estimate per resource and in total per month, with the currency and the
price date: priced from the simulator's Retail Prices endpoint in the profile's region."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, main_in_process

data_dir = cli_helpers.data_dir  # the fixture: a fresh data dir per test
VM_PROFILE = EXAMPLES / "yolo-vm.toml"
AKS_PROFILE = EXAMPLES / "aks-dev.toml"


def _profile_in(tmp_path: Path, source: Path, region: str) -> str:
    text = re.sub(r'(?m)^location\s*=\s*"[^"]*"', f'location = "{region}"', source.read_text())
    assert f'location = "{region}"' in text
    out = tmp_path / f"{region}-{source.name}"
    out.write_text(text)
    return str(out)


def _plan(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    res = main_in_process(["--demo", *args, "--format", "json"], capsys)
    return json.loads(res.out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind,profile", [("vm", VM_PROFILE), ("aks", AKS_PROFILE)])
def test_plan_json_carries_the_estimate_and_a_cheaper_region_is_lower(
        kind: str, profile: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cheap = _plan([kind, "plan", _profile_in(tmp_path, profile, "centralindia")], capsys)["estimate"]
    dear = _plan([kind, "plan", _profile_in(tmp_path, profile, "brazilsouth")], capsys)["estimate"]
    for est, region in ((cheap, "centralindia"), (dear, "brazilsouth")):
        assert est["currency"] == "USD" and est["price_source"] == "live" and est["region"] == region
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", est["price_date"])
        assert est["resources"] and est["total_monthly"] is not None
        assert round(sum(r["monthly"] for r in est["resources"]), 2) == pytest.approx(est["total_monthly"], abs=0.02)
    assert cheap["total_monthly"] < dear["total_monthly"]


def test_plan_text_lists_each_resource_the_total_and_the_price_date(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "--currency", "EUR", "vm", "plan", str(VM_PROFILE)], capsys)
    text = res.out
    assert "Estimated cost per month while it exists:" in text
    block = text.split("Estimated cost per month while it exists:")[1]
    assert re.search(r"total\s+€[\d,]+\.\d\d/month", block)
    assert re.search(r"list prices, \w+, EUR, fetched \d{4}-\d\d-\d\d", block)
    assert block.count("/month") >= 4  # the VM, its OS disk, the public IPs... and the total
