"""The journal file (journal.py): private to the user, readable after a crash, and each event read back as the
state cleanup decides on (a resource whose existence is unknown may exist; never "absent" on a guess)."""

from __future__ import annotations

from pathlib import Path

from azwizard.journal import Journal, list_runs

RID = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/N"


def test_the_file_is_0600_and_a_private_key_never_reaches_it(tmp_path: Path) -> None:
    j = Journal("run-1", "vm", directory=tmp_path / "journal")
    j.record("plan", steps=[])
    j.record("failed", id=RID, kind="k", message="-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH "
                                                  "PRIVATE KEY-----")
    assert j.path.stat().st_mode & 0o777 == 0o600
    text = j.path.read_text()
    assert "PRIVATE KEY" not in text and "b3Blbn" not in text


def test_a_torn_last_line_and_blank_lines_do_not_hide_what_came_before(tmp_path: Path) -> None:
    j = Journal("run-1", "vm", directory=tmp_path)
    j.record("plan", steps=[{"step": "nsg", "id": RID, "kind": "k"}])
    j.record("created", id=RID, kind="k", step="nsg")
    with j.path.open("a") as fh:
        fh.write("\n\n{\"ts\": \"x\", \"event\": \"delet")  # the crash cut the last write short
    assert [e["event"] for e in j.events()] == ["plan", "created"]
    assert j.resources()[RID.lower()].state == "created"
    assert [r.resource_id for r in j.existing()] == [RID]
    assert list(Journal("none", directory=tmp_path).events()) == []  # no file: no events


def test_each_event_becomes_the_state_cleanup_decides_on(tmp_path: Path) -> None:
    def state_after(*events: tuple[str, dict[str, object]]) -> tuple[str, bool]:
        j = Journal(f"run-{len(list(tmp_path.iterdir()))}", "vm", directory=tmp_path)
        j.record("plan", steps=[{"step": "nsg", "id": RID, "kind": "k"}])
        for event, fields in events:
            j.record(event, id=RID, kind="k", **fields)
        s = j.resources()[RID.lower()]
        return s.state, s.may_exist

    assert state_after() == ("planned", False)
    assert state_after(("requested", {})) == ("requested", True)
    assert state_after(("failed", {"exists": None})) == ("failed-unknown", True)  # the read failed: it may exist
    assert state_after(("failed", {})) == ("failed-unknown", True)
    assert state_after(("failed", {"exists": True})) == ("failed-exists", True)
    assert state_after(("failed", {"exists": False})) == ("failed-absent", False)
    assert state_after(("created", {}), ("delete-requested", {})) == ("deleting", True)
    assert state_after(("created", {}), ("delete-failed", {"exists": None})) == ("created", True)
    assert state_after(("created", {}), ("deleted", {})) == ("deleted", False)
    assert state_after(("adopt-failed", {})) == ("not-adopted", False)
    assert state_after(("skipped", {})) == ("skipped", False)
    assert state_after(("created", {}), ("some-future-event", {})) == ("created", True)  # unknown: ignored
    # a change made to it later (the metrics update of a cluster) or a stop and start are not its state
    assert state_after(("created", {}), ("configure-requested", {}), ("configure-failed", {})) == ("created", True)
    assert state_after(("created", {}), ("stopped", {}), ("started", {})) == ("created", True)


def test_detail_kind_and_step_carry_over_from_earlier_events(tmp_path: Path) -> None:
    j = Journal("run-1", "vm", directory=tmp_path)
    j.record("created", id=RID, kind="Microsoft.Network/networkSecurityGroups", step="nsg", ipAddress="1.2.3.4")
    j.record("delete-failed", id=RID, code="Conflict")
    j.record("note-without-id", text="ignored")
    s = j.resources()[RID.lower()]
    assert (s.kind, s.step, s.state) == ("Microsoft.Network/networkSecurityGroups", "nsg", "created")
    assert s.detail == {"code": "Conflict"}


def test_runs_are_listed_with_their_journey(tmp_path: Path) -> None:
    assert list_runs(tmp_path / "missing") == []
    Journal("run-b", "aks", directory=tmp_path).record("plan", steps=[])
    Journal("run-a", "vm", directory=tmp_path).record("plan", steps=[])
    (tmp_path / "run-c.jsonl").write_text("")  # an empty journal still names a run
    (tmp_path / "copied.jsonl").mkdir()  # a folder named like one names none (it used to end cleanup in a traceback)
    runs = list_runs(tmp_path)
    assert [(r.run_id, r.journey) for r in runs] == [("run-a", "vm"), ("run-b", "aks"), ("run-c", "")]
    reread = Journal("run-b", directory=tmp_path)
    reread.resources()
    assert reread.journey == "aks"  # taken from the file when not given


def test_one_state_table_covers_every_event_and_update_failed_has_its_own_state(tmp_path: Path) -> None:
    """Issue 20: the journal's events are an enum with one table of the state each leaves a resource in; a failed
    update leaves the earlier run's resource in ``update-failed`` (before, it stayed ``updating``), which cleanup
    ignores as it does the other updates (that run still owns the resource)."""
    from azwizard.cleanup.inventory import _IGNORED_JOURNAL_STATES
    from azwizard.journal import MAY_EXIST, STATE_AFTER, Event, State

    assert set(STATE_AFTER) == set(Event)
    rid = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v"
    j = Journal("run-u", "vm", directory=tmp_path)
    j.record(Event.UPDATE_REQUESTED, step="vnet", id=rid, kind="Microsoft.Network/virtualNetworks")
    assert j.resources()[rid.lower()].state is State.UPDATING
    j.record("update-failed", step="vnet", id=rid, code="PreconditionFailed")
    state = j.resources()[rid.lower()]
    assert state.state == "update-failed" and state.state is State.UPDATE_FAILED and str(state.state) == "update-failed"
    assert not state.may_exist and "update-failed" in _IGNORED_JOURNAL_STATES
    assert State.UPDATE_FAILED not in MAY_EXIST
    j.record(Event.FAILED, step="vnet", id=rid, exists=False)
    assert j.resources()[rid.lower()].state == "failed-absent"


def test_the_first_record_makes_the_journal_directory_and_its_parents(tmp_path: Path) -> None:
    """A fresh data dir has no journal folder, nor the folders above it (issue 27's surviving mutant)."""
    journal = Journal("run-1", "vm", directory=tmp_path / "data" / "journal")
    journal.record("plan", steps=[])
    journal.record("plan", steps=[])  # and the second finds it there
    assert [e["event"] for e in journal.events()] == ["plan", "plan"]


def test_a_line_without_a_resource_id_changes_no_resource(tmp_path: Path) -> None:
    """A line naming no resource (a hand edit, another version's event) is skipped, never a crash."""
    journal = Journal("run-1", "vm", directory=tmp_path)
    rid = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/n"
    journal.record("created", id=rid, kind="Microsoft.Network/networkSecurityGroups", step="nsg")
    journal.record("deleted", kind="Microsoft.Network/networkSecurityGroups")
    journal.record("failed", id="", exists=False)
    assert {k: s.state for k, s in journal.resources().items()} == {rid.lower(): "created"}


def test_archiving_moves_only_the_journals_of_that_subscription(tmp_path: Path) -> None:
    from azwizard.journal import archive_journals

    d = tmp_path / "journal"
    Journal("run-a", "vm", directory=d).record("created", id="/subscriptions/SUB-1/resourceGroups/g", kind="g")
    Journal("run-b", "vm", directory=d).record("plan", subscription="sub-1", steps=[])  # named only by its plan
    Journal("run-c", "vm", directory=d).record("created", id="/subscriptions/sub-2/resourceGroups/g", kind="g")
    target = archive_journals("sub-1", d)
    assert target is not None and target.parent == tmp_path / "journal-archive"
    assert sorted(p.name for p in target.glob("*.jsonl")) == ["run-a.jsonl", "run-b.jsonl"]
    assert [j.run_id for j in list_runs(d)] == ["run-c"]
    assert archive_journals("sub-1", d) is None  # nothing left to move
    # no subscription named is no subscription's journals, never every one (each line names "/subscriptions/")
    assert archive_journals("", d) is None and [j.run_id for j in list_runs(d)] == ["run-c"]
    assert archive_journals("sub-2", tmp_path / "no-journals-yet") is None
    assert list_runs(tmp_path / "no-journals-yet") == []
