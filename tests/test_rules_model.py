"""The rule book and runner every journey's pre-flight uses (rules/model.py): registering rules, finding one by
id, the order findings come in, rules that need live facts, and a rule that fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from azwizard.rules.model import Finding, Issue, Rule, RuleBook, run_rules


def _says(*issues: Issue | str) -> Callable[[object, object], Iterator[Issue | str]]:
    def check(spec: object, facts: object) -> Iterator[Issue | str]:
        yield from issues
    return check


def _fails(spec: object, facts: object) -> Iterator[str]:
    raise RuntimeError("boom")
    yield ""  # pragma: no cover


def test_a_registered_check_stays_the_function_it_was() -> None:
    book: RuleBook[object, object] = RuleBook("t")

    def check(spec: object, facts: object) -> Iterator[str]:
        yield f"{spec} {facts}"

    assert book.rule("t-one", "warn", "One", source="https://x", fields=("a",))(check) is check
    assert list(check("s", "f")) == ["s f"]  # still callable on its own
    assert book.by_id("t-one").check is check


def test_a_rule_id_is_registered_once_and_an_unknown_id_is_refused() -> None:
    book: RuleBook[object, object] = RuleBook("t")
    book.rule("t-one", "warn", "One", source="https://x", fields=("a",))(_says("x"))
    with pytest.raises(ValueError, match="duplicate rule id t-one"):
        book.rule("t-one", "info", "Again", source="https://x", fields=("a",))(_says("y"))
    assert [r.title for r in book.rules] == ["One"]
    with pytest.raises(KeyError):
        book.by_id("t-two")


def test_findings_come_most_severe_first_in_the_rules_order_within_a_severity() -> None:
    rules = [Rule(f"r{i}", sev, f"R{i}", "https://x", ("f",), _says(f"m{i}"))
             for i, sev in enumerate(("info", "warn", "block", "info", "warn", "block"))]
    got = [(f.severity, f.message) for f in run_rules(rules, None, None)]
    assert got == [("block", "m2"), ("block", "m5"), ("warn", "m1"), ("warn", "m4"), ("info", "m0"), ("info", "m3")]


def test_an_issue_may_narrow_the_field_and_change_the_severity() -> None:
    rule = Rule("r", "block", "R", "https://x", ("a", "b"), _says("plain", Issue("narrow", "b", "info")))
    got = [(f.field, f.severity, f.message) for f in rule.apply(None, None)]
    assert got == [("a", "block", "plain"), ("b", "info", "narrow")]


def test_a_rule_needs_live_facts_only_when_it_says_so() -> None:
    plain = Rule("plain", "warn", "Plain", "https://x", ("f",), _says("offline"))
    live = Rule("live", "warn", "Live check", "https://x", ("f",), _says("online"), needs_facts=True)
    without = run_rules([plain, live], None, None, have_facts=False)
    assert [f.message for f in without if f.rule_id == "plain"] == ["offline"]
    (note,) = [f for f in without if f.rule_id == "live-facts-unavailable"]
    assert "did not run: Live check." in note.message and not [f for f in without if f.rule_id == "live"]
    assert sorted(f.message for f in run_rules([plain, live], None, None)) == ["offline", "online"]  # facts by default


@pytest.mark.parametrize(("fields", "field"), [(("a", "b"), "a"), ((), "")])
def test_a_rule_that_fails_reports_itself_on_its_first_field_and_the_others_still_run(fields: tuple[str, ...],
                                                                                     field: str) -> None:
    broken = Rule("broken", "block", "Broken", "https://x", fields, _fails)
    fine = Rule("fine", "info", "Fine", "https://x", ("z",), _says("ok"))
    got = run_rules([broken, fine], None, None)
    assert [(f.rule_id, f.severity, f.field) for f in got] == [("broken", "warn", field), ("fine", "info", "z")]
    assert got[0].message == "This check could not run (RuntimeError: boom)."


def test_a_finding_as_json_carries_what_the_cli_prints() -> None:
    """The shape the CLI's --json output gives each finding (headless/review.py, vm_existing.py)."""
    finding = Finding("vm-x", "block", "What is wrong.", "size", "https://learn.microsoft.com/x", "Title")
    assert finding.to_dict() == {"id": "vm-x", "severity": "block", "field": "size", "message": "What is wrong.",
                                 "source": "https://learn.microsoft.com/x", "title": "Title"}
    assert finding.blocking and not Finding("vm-x", "warn", "m", "", "").blocking
