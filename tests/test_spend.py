"""Actual spend from Cost Management's Query API, served by the simulator (cost = each resource's age × its
price): per run and per resource, month to date and since the run was made; no data yet and a missing Cost
Management Reader role said plainly and never raised; ``cleanup list --format json`` carries the estimate and
the spend for every run and resource."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import cli_helpers
import pytest
from cleanup_helpers import make_vm_run, region_book
from cli_helpers import main_in_process

from azwizard.pricing.spend import read_spend, run_created
from azwizard.sim import ArmSim

data_dir = cli_helpers.data_dir
NOW = datetime(2026, 11, 26, 0, 0, tzinfo=timezone.utc)


def _ip_ids(plan: Any) -> list[str]:
    return [s.resource_id for s in plan.steps if s.kind == "Microsoft.Network/publicIPAddresses"]


def test_spend_per_run_and_resource_since_made_and_month_to_date(sim: ArmSim, factory: Any, tmp_path: Path) -> None:
    sim.cost_now = lambda: NOW  # type: ignore[attr-defined]
    last_month = make_vm_run(sim, factory, tmp_path, run_id="run-old", base="Old", created_at="2026-10-31T00:00:00Z")
    this_month = make_vm_run(sim, factory, tmp_path, run_id="run-new", base="New", created_at="2026-11-25T14:00:00Z")
    spend = read_spend(factory, {"run-old": "2026-10-31T00:00:00Z", "run-new": "2026-11-25T14:00:00Z"}, now=NOW)
    assert spend.status == "ok" and spend.currency == "USD"
    ip_hourly = region_book(factory).public_ip_hourly  # the simulator charges its own list price
    assert ip_hourly is not None
    new_ip = spend.for_resource(_ip_ids(this_month)[0])
    assert new_ip["since_created"] == pytest.approx(ip_hourly * 10, abs=0.01)  # 10 hours old
    assert new_ip["month_to_date"] == new_ip["since_created"]
    old_ip = spend.for_resource(_ip_ids(last_month)[0])
    assert old_ip["since_created"] == pytest.approx(ip_hourly * 26 * 24, abs=0.01)  # since 31 Oct
    assert old_ip["month_to_date"] == pytest.approx(ip_hourly * 25 * 24, abs=0.01)  # since 1 Nov
    old, new = spend.for_run("run-old"), spend.for_run("run-new")
    assert old["since_created"] > old["month_to_date"] > new["since_created"] > 0
    # a run's figure is the sum of its resources' (the VM, its disk, its IPs, the NAT gateway...)
    ids = [s.resource_id for s in this_month.steps]
    assert sum(spend.resource_since.get(i.lower(), 0.0) for i in ids) == pytest.approx(
        spend.run_since["run-new"], rel=1e-6)
    queries = [r for r in sim.requests if r.path.lower().endswith("/providers/microsoft.costmanagement/query")]
    assert len(queries) == 2 and {q.body["timeframe"] for q in queries} == {"MonthToDate", "Custom"}
    assert {g["type"] for g in queries[0].body["dataset"]["grouping"]} == {"TagKey", "Dimension"}


def test_no_cost_data_yet_is_said_plainly(sim: ArmSim, factory: Any, tmp_path: Path) -> None:
    sim.cost_now = lambda: NOW  # type: ignore[attr-defined]
    sim.cost_data_delay_hours = 24  # type: ignore[attr-defined]
    make_vm_run(sim, factory, tmp_path, created_at="2026-11-25T14:00:00Z")  # 10 h old: not in the data yet
    spend = read_spend(factory, {"run-vm": "2026-11-25T14:00:00Z"}, now=NOW)
    assert spend.status == "no-data" and "8-24 hours" in spend.message
    assert spend.for_run("run-vm")["since_created"] is None


def test_missing_cost_management_reader_is_said_and_never_raised(sim: ArmSim, factory: Any) -> None:
    sim.faults.error("POST", r".*/Microsoft.CostManagement/query", status=403, code="AuthorizationFailed",
                     message="The client does not have authorization to perform action "
                             "'Microsoft.CostManagement/query/action'.")
    spend = read_spend(factory, {"run-x": "2026-11-25T14:00:00Z"}, now=NOW)
    assert spend.status == "forbidden" and "Cost Management Reader" in spend.message
    assert spend.for_resource("/subscriptions/x/resourcegroups/y")["status"] == "forbidden"


def test_cleanup_list_json_carries_estimate_and_spend(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from azwizard.demo import open_demo_session
    from azwizard.paths import journal_dir
    from azwizard.sim import INSTANT

    demo = open_demo_session(latency=INSTANT)
    created = (datetime.now(timezone.utc) - timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    plan = make_vm_run(demo.sim, demo.session.factory, journal_dir(), created_at=created)
    listing = json.loads(main_in_process(["--demo", "cleanup", "list", "--format", "json"], capsys).out)
    assert listing["spend"]["status"] == "ok"
    run = listing["run_costs"]["run-vm"]
    assert run["estimate"]["monthly"] > 0 and run["estimate"]["currency"] == "USD"
    assert run["spent"]["since_created"] > 0 and run["spent"]["currency"] == "USD"
    ip = next(i for i in listing["items"] if i["id"].lower() == _ip_ids(plan)[0].lower())
    assert ip["cost"]["monthly"] > 0
    ip_hourly = region_book(demo.session.factory).public_ip_hourly
    assert ip_hourly is not None and ip["spent"]["since_created"] == pytest.approx(ip_hourly * 10, abs=0.02)
    assert ip["cost"]["hourly"] == ip_hourly  # the estimate: the same list price
    text = main_in_process(["--demo", "cleanup", "list"], capsys).out
    assert "spent so far: $" in text and "since it was made" in text


def test_run_created_is_each_runs_earliest_item() -> None:
    from types import SimpleNamespace as N

    items = [N(run_id="a", created="2026-11-25T03:00:00Z"), N(run_id="a", created="2026-11-24T03:00:00Z"),
             N(run_id="b", created=None), N(run_id="", created="2026-01-01T00:00:00Z")]
    assert run_created(items) == {"a": "2026-11-24T03:00:00Z", "b": None}


def test_cleanup_list_never_waits_long_for_cost_management(data_dir: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A Cost Management that does not answer (throttled: it allows a few queries a minute) costs the listing
    its "spent so far", said plainly, never the listing."""
    import threading

    from azwizard.demo import open_demo_session
    from azwizard.paths import journal_dir
    from azwizard.pricing import spend
    from azwizard.sim import INSTANT

    demo = open_demo_session(latency=INSTANT)
    make_vm_run(demo.sim, demo.session.factory, journal_dir())
    release = threading.Event()
    monkeypatch.setattr(spend, "read_spend", lambda *a, **kw: release.wait(60) and None)  # hangs until released
    monkeypatch.setattr(spend, "SPEND_WAIT_SECONDS", 0.05)
    try:
        listing = json.loads(main_in_process(["--demo", "cleanup", "list", "--format", "json"], capsys).out)
    finally:
        release.set()
    assert listing["spend"]["status"] == "error" and "did not answer within" in listing["spend"]["message"]
    assert listing["run_costs"]["run-vm"]["estimate"]["monthly"] > 0  # the estimates are all there
    assert listing["run_costs"]["run-vm"]["spent"]["since_created"] is None
