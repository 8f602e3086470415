"""How the diff reads (plan/diff.py): each value, who made a resource, the JSON entry and the text plan. This is
what a user reads before saying yes to an update, so a wrong word here is a wrong decision there."""

from __future__ import annotations

from azwizard.plan.diff import ABSENT, Change, Owner, PlanDiff, StepDiff, show

RID = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/n"


def test_show_each_kind_of_value() -> None:
    assert show(ABSENT) == "(absent)"
    assert show(ABSENT, 0) == ""
    rule = {"name": "Allow-SSH", "id": "/r", "properties": {"priority": 110, "protocol": "Tcp", "id": "/x",
                                                            "ranges": ["22"], "ratio": 0.5}}
    assert show(rule) == "Allow-SSH (priority=110, protocol=Tcp, ratio=0.5)"  # ids and lists left out
    assert show({"name": "x", "properties": "not a table"}) == '{"name": "x", "properties": "not a table"}'
    assert show("Standard") == "Standard"
    assert show({"b": 1, "a": [True]}) == '{"a": [true], "b": 1}'
    assert show("x" * 70) == "x" * 70
    assert show("x" * 71) == "x" * 69 + "…"
    assert show("abcdef", limit=4) == "abc…"


def test_who_made_it_in_words() -> None:
    assert Owner("this-run", "r1").who() == "this run (r1)"
    assert Owner("same-journey", "r0", "vm").who() == "an earlier run of this vm journey (r0)"
    assert Owner("same-journey", "r0").who() == "an earlier run of this journey (r0)"
    assert Owner("adopted").who().startswith("adopted on request")
    assert Owner("other-run", "r9", "aks", journal_known=True).who() == "azwizard run r9 (aks journey)"
    assert Owner("other-run", "r9").who() == "azwizard run r9 (another journey): its journal is not on this machine"
    assert Owner("other-run", "r9", why="tags only").who() == "azwizard run r9 (another journey): tags only"
    assert Owner("foreign", tags=(("owner", "c"),), why="re-created").who() == "someone else (tags: owner=c); re-created"
    assert Owner("foreign", why="re-created").who() == "someone else (no tags); re-created"
    assert Owner("foreign").who() == "not azwizard: it has no tags"
    tags = tuple((k, "v") for k in "edcba")
    assert Owner("foreign", tags=tags).who() == "not azwizard (tags: a=v, b=v, c=v, d=v)"  # the first four, sorted
    assert [o for o in ("this-run", "same-journey", "adopted", "other-run", "foreign")
            if Owner(o).ours] == ["this-run", "same-journey", "adopted"]  # type: ignore[arg-type]


def _entry(action: str, **kw: object) -> StepDiff:
    return StepDiff("nsg", "NSG n", "Microsoft.Network/networkSecurityGroups", RID, action, **kw)  # type: ignore[arg-type]


def test_the_json_entry_says_only_what_applies() -> None:
    plain = _entry("create").to_dict()
    assert plain == {"key": "nsg", "label": "NSG n", "kind": "Microsoft.Network/networkSecurityGroups",
                     "resource_id": RID, "action": "create", "symbol": "+", "changes": []}
    full = _entry("conflict", changes=(Change("tags.owner", "bob", ABSENT),), reason="why", fix="do this",
                  owner=Owner("foreign", tags=(("owner", "bob"),)), refused=("zones: fixed",),
                  pending="https://op").to_dict()
    assert full["owner"] == {"relation": "foreign", "run_id": None, "journey": None, "tags": {"owner": "bob"},
                             "who": "not azwizard (tags: owner=bob)"}
    assert (full["reason"], full["fix"], full["refused"], full["pending_operation"]) == (
        "why", "do this", ["zones: fixed"], True)
    assert full["changes"] == [{"path": "tags.owner", "old": "bob", "new": None, "removed": True, "added": False}]
    assert "https://op" not in str(full)  # the operation URL is not shown


def test_the_text_plan() -> None:
    changes = tuple(Change(f"properties.p{i}", i, i + 1) for i in range(13))
    diff = PlanDiff((
        _entry("create"),
        _entry("update", changes=(Change("properties.a", ABSENT, 1), Change("properties.b", 2, ABSENT),
                                  Change("properties.c", 3, 4)), owner=Owner("same-journey", "r0", "vm")),
        _entry("conflict", changes=changes, reason="made by someone else", fix="another name",
               owner=Owner("foreign"), refused=("zones: fixed at creation",)),
        _entry("unknown", reason="403", fix="check permissions"),
        _entry("unchanged", owner=Owner("same-journey", "r0", "vm"), reason="not shown", fix="not shown"),
    ))
    lines = diff.lines()
    assert lines[0] == "  + NSG n  (to create)"
    assert lines[1:6] == ["  ~ NSG n  (to update)", "      made by: an earlier run of this vm journey (r0)",
                          "      + properties.a: (absent) → 1", "      - properties.b: 2 → (absent)",
                          "      ~ properties.c: 3 → 4"]
    conflict = lines[lines.index("  ! NSG n  (in conflict)"):lines.index("  ? NSG n  (could not be read)")]
    assert conflict[1] == "      made by: not azwizard: it has no tags"
    assert len([x for x in conflict if x.startswith("      ~ properties.p")]) == 12
    assert "      … and 1 more change(s)" in conflict and "      ✖ zones: fixed at creation" in conflict
    assert conflict[-2:] == ["      why: made by someone else", "      what to do: another name"]
    unknown = lines[lines.index("  ? NSG n  (could not be read)"):]
    assert unknown[1:3] == ["      why: 403", "      what to do: check permissions"]
    assert "  = NSG n  (unchanged)" in lines and not [x for x in lines if "not shown" in x]
    assert lines[-1] == "  Plan: 1 to create, 1 unchanged, 1 to update, 1 in conflict, 1 could not be read."
    assert PlanDiff((_entry("create"),)).summary() == "Plan: 1 to create, 0 unchanged, 0 to update, 0 in conflict."
    assert diff.counts() == {"create": 1, "unchanged": 1, "update": 1, "conflict": 1, "unknown": 1}
    assert [e.action for e in (*diff.conflicts, *diff.unknown, *diff.updates)] == ["conflict", "unknown", "update"]
    assert diff.get("nsg") is not None and diff.get("nope") is None
    assert diff.to_dict()["summary"] == diff.summary() and diff.to_dict()["read"] is True
    adopted = PlanDiff((_entry("update", owner=Owner("adopted", "r2")),)).lines()
    assert adopted[1].startswith("      made by: adopted on request")


def test_a_boolean_flipped_is_a_change() -> None:
    from azwizard.plan.diff import compare

    assert [(c.old, c.new) for c in compare({"properties": {"enableIPForwarding": True}},
                                            {"properties": {"enableIPForwarding": False}})] == [(False, True)]
    assert compare({"properties": {"enableIPForwarding": True}}, {"properties": {"enableIPForwarding": True}}) == []


def test_a_conflict_says_who_made_it_and_what_to_do() -> None:
    from azwizard.plan.diff import classify
    from azwizard.plan.model import Step

    nsg = Step("nsg", "Microsoft.Network/networkSecurityGroups", "n", RID, {"tags": {"env": "dev"}}, label="NSG n")
    same = classify(nsg, {"tags": {"env": "dev"}}, None)
    assert same.action == "conflict" and "(made by: unknown); a PUT would overwrite it" in same.reason
    assert same.reason.endswith("overwrite it") and "--adopt n" in same.fix
    retag = classify(nsg, {"tags": {"env": "prod"}}, Owner("foreign", tags=(("env", "prod"),)))
    assert retag.reason.endswith("overwrite it and re-tag it") and "(made by: not azwizard (tags: env=prod))" in retag.reason
    group = Step("rg", "Microsoft.Resources/resourceGroups", "g", "/subscriptions/s/resourceGroups/g", {}, label="g")
    fix = classify(group, {"location": "x"}, Owner("foreign")).fix
    assert "use_existing_group = true" in fix and "--adopt g" in fix
