"""Resume (issue 11): an apply killed at any point (the process gone between two journal lines: nothing more
written, nothing more sent) and run again continues the same run: the same run id, no second PUT for anything
Azure already has (operations still in flight are polled, not re-sent), exactly the planned resources at the
end. In process through the real SDK against one simulator, plus real SIGKILL / SIGINT of ``azwizard apply``."""

from __future__ import annotations

import json
import re
import signal
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import cli_helpers
import pytest
from cli_helpers import demo_state, run_cli
from existing_helpers import (
    AKS_PROFILE,
    VM_PROFILE,
    apply,
    connection,
    killed_run,
    profile,
    profile_text,
    puts,
    review,
)
from operation_helpers import hold_until_the_runner_polls

from azwizard.journal import Journal
from azwizard.run.executor import Runner
from azwizard.sim import ArmSim
from azwizard.specs.common import TAG_RUN

data_dir = cli_helpers.data_dir


ACR_PROFILE_EXTRA = '\n[acr]\nmode = "create"\nname = "aksdevresume01"\n'
VM_POINTS = (1, 2, 3, 5, 7, 9, 12, 15, 18, 21)
AKS_POINTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


@pytest.mark.parametrize(("kind", "lines"), [("vm", n) for n in VM_POINTS] + [("aks", n) for n in AKS_POINTS])
def test_a_killed_apply_is_continued_and_nothing_is_sent_twice(kind: str, lines: int, data_dir: Path,
                                                               tmp_path: Path) -> None:
    prof = profile(VM_PROFILE) if kind == "vm" else profile_text(AKS_PROFILE, tmp_path, extra=ACR_PROFILE_EXTRA)
    sim = ArmSim()
    run_id = killed_run(sim, prof, lines)
    sent_before = Counter(puts(sim))

    conn = connection(sim)
    code, again = apply(conn, prof)
    assert code == 0, [f.message for f in again.blocking]
    assert again.plan.run_id == run_id and again.resumed == run_id  # one run
    planned = {s.resource_id.lower() for s in again.plan.steps}
    sent = Counter(puts(sim))
    # every planned resource was PUT exactly once over both attempts: nothing Azure had was sent again
    assert set(sent) == planned and set(sent.values()) == {1}, (sent_before, sent)
    assert all(sent_before[k] == 0 for k in sent - sent_before)
    # exactly the planned resources, all tagged with the one run id
    tagged = {k: v for k, v in sim.snapshot().items() if (v.get("tags") or {}).get("created-by") == "azwizard"
              and "/resourcegroups/mc_" not in k}
    assert {k for k in tagged if "/roleassignments/" not in k} == {k for k in planned if "/roleassignments/" not in k}
    assert {v["tags"][TAG_RUN] for v in tagged.values()} == {run_id}
    assert [p.stem for p in (data_dir / "journal").glob("*.jsonl")] == [run_id]
    journal = Journal(run_id, kind)
    assert {st.resource_id.lower() for st in journal.resources().values() if st.state == "created"} == planned
    # and a third apply: nothing left to do
    start = len(sim.requests)
    assert apply(conn, prof)[0] == 0 and puts(sim, start) == []


def test_an_operation_left_in_flight_is_polled_not_sent_again(data_dir: Path) -> None:
    sim = ArmSim()
    sim.min_polls = 10_000  # operations never finish while the first attempt watches
    sim.unwatched_after = 10**9  # and time alone does not finish them (sim/core.py time model)
    prof = profile(VM_PROFILE)
    conn = connection(sim)
    r = review(conn, prof)
    cancel = threading.Event()

    def on_event(e: Any) -> None:
        if e.key == "nsg" and e.state == "running":
            cancel.set()

    Runner(conn.session.factory, Journal(r.plan.run_id, "vm"), poll_interval=0.001, cancel=cancel,
           on_event=on_event).run(r.plan, diff=r.diff, meta=r.meta)
    events = [json.loads(ln) for ln in (data_dir / "journal" / f"{r.plan.run_id}.jsonl").read_text().splitlines()]
    accepted = [e for e in events if e["event"] == "accepted"]
    assert accepted and all("/operations/" in e["operation"].lower() for e in accepted)
    sim.min_polls = 2
    hold_until_the_runner_polls(sim)  # the stopped run's SDK pollers go on polling: they must not finish them
    nsg = r.plan.step("nsg").resource_id.lower()
    before = Counter(puts(sim))[nsg]
    assert before == 1
    code, again = apply(conn, prof)
    assert code == 0 and again.plan.run_id == r.plan.run_id
    assert again.diff.get("nsg").pending
    assert Counter(puts(sim))[nsg] == 1  # polled, not sent again
    after = [json.loads(ln) for ln in (data_dir / "journal" / f"{r.plan.run_id}.jsonl").read_text().splitlines()]
    done = [e for e in after if e["event"] == "created" and e["id"].lower() == nsg]
    assert done and done[-1].get("resumed") is True  # finished by polling the journaled operation URL
    url = next(e["operation"] for e in accepted if e["id"].lower() == nsg)
    assert any(q.method == "GET" and q.path.lower() in url.lower() for q in sim.requests)


def test_a_resource_that_could_not_be_read_after_a_failure_may_exist(data_dir: Path) -> None:
    """A failed PUT whose follow-up read fails too: journaled as *may exist* (never absent), and cleanup lists it."""
    from azwizard.cleanup import build_inventory

    sim = ArmSim()
    conn = connection(sim)
    r = review(conn, profile(VM_PROFILE))
    nsg = r.plan.step("nsg").resource_id
    sim.faults.error("PUT", "networkSecurityGroups/Yolo-NSG$", status=400, code="InvalidRequestFormat",
                     message="Cannot parse the request.")
    sim.faults.server_error("GET", "networkSecurityGroups/Yolo-NSG$", status=503, times=50)
    result = Runner(conn.session.factory, Journal(r.plan.run_id, "vm"), poll_interval=0.001).run(
        r.plan, diff=r.diff, meta=r.meta)
    assert result.states["nsg"] == "failed"
    st = Journal(r.plan.run_id, "vm").resources()[nsg.lower()]
    assert st.state == "failed-unknown" and st.may_exist
    sim.faults.clear()
    inv = build_inventory(conn.session.factory)
    assert any(it.id.lower() == nsg.lower() for it in inv.items)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_kill_9_or_ctrl_c_then_the_same_command_continues_the_run(sig: int, tmp_path: Path) -> None:
    data = tmp_path / "data"
    cli_helpers.interrupted(["--demo", "vm", "apply", str(VM_PROFILE), "--yes"], data, "Network interface", sig)
    journals = list((data / "journal").glob("*.jsonl"))
    assert len(journals) == 1
    run_id = journals[0].stem
    again = run_cli("--demo", "vm", "apply", str(VM_PROFILE), "--yes", data_dir=data)
    assert again.code == 0, again.out + again.err
    assert f"Continuing interrupted run {run_id}" in again.out and f"(run {run_id})" in again.out
    assert re.search(r"= Resource group Yolo-RG|✓ exists +Resource group Yolo-RG", again.out)
    assert [p.stem for p in (data / "journal").glob("*.jsonl")] == [run_id]
    state = demo_state(data)
    tags = {v["tags"][TAG_RUN] for v in state.values() if (v.get("tags") or {}).get("created-by") == "azwizard"}
    assert tags == {run_id}
    assert sum(1 for k in state if "/virtualmachines/" in k) == 1
