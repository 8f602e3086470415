"""The rule and finding types, and the runner that applies a list of rules to a spec."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

Severity = Literal["block", "warn", "info"]
SEVERITY_ORDER: dict[str, int] = {s: i for i, s in enumerate(("block", "warn", "info"))}  # most severe first

S = TypeVar("S")  # the spec type
F = TypeVar("F")  # the facts type


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str  # what is wrong and what to do, in plain words
    field: str  # the spec field it concerns ("size", "network.subnet_ipv6", ...): the UI jumps there
    source: str  # the doc URL behind the rule
    title: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == "block"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.rule_id, "severity": self.severity, "field": self.field, "message": self.message,
                "source": self.source, "title": self.title}


@dataclass(frozen=True)
class Issue:
    """What a check function yields: a message, and optionally a narrower field or another severity."""

    message: str
    field: str | None = None
    severity: Severity | None = None


CheckFn = Callable[[Any, Any], Iterable["Issue | str"]]


@dataclass(frozen=True)
class Rule(Generic[S, F]):
    id: str
    severity: Severity
    title: str
    source: str
    fields: tuple[str, ...]
    check: Callable[[S, F], Iterable[Issue | str]]
    needs_facts: bool = False  # skipped (with an info finding) when live facts are unavailable
    catalogue: str = ""  # its pre-flight catalogue entry, e.g. "B4 #25"

    def apply(self, spec: S, facts: F) -> list[Finding]:
        out = []
        for issue in self.check(spec, facts):
            if isinstance(issue, str):
                issue = Issue(issue)
            out.append(Finding(self.id, issue.severity or self.severity, issue.message,
                               issue.field or (self.fields[0] if self.fields else ""), self.source, self.title))
        return out


@dataclass
class RuleBook(Generic[S, F]):
    """An ordered list of rules with a decorator to add to it."""

    name: str
    rules: list[Rule[S, F]] = field(default_factory=list)

    def rule(self, id: str, severity: Severity, title: str, *, source: str, fields: Sequence[str],
             needs_facts: bool = False, catalogue: str = "") -> Callable[[Callable[[S, F], Iterable[Issue | str]]],
                                                                        Callable[[S, F], Iterable[Issue | str]]]:
        def deco(fn: Callable[[S, F], Iterable[Issue | str]]) -> Callable[[S, F], Iterable[Issue | str]]:
            if any(r.id == id for r in self.rules):
                raise ValueError(f"duplicate rule id {id}")
            self.rules.append(Rule(id, severity, title, source, tuple(fields), fn, needs_facts, catalogue))
            return fn

        return deco

    def by_id(self, rule_id: str) -> Rule[S, F]:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def run_rules(rules: Iterable[Rule[S, F]], spec: S, facts: F, *, have_facts: bool = True) -> list[Finding]:
    """Every finding, most severe first (stable within a severity). A rule that crashes reports itself
    as a warning instead of hiding the others."""
    findings: list[Finding] = []
    skipped: list[str] = []
    for r in rules:
        if r.needs_facts and not have_facts:
            skipped.append(r.title)
            continue
        try:
            findings.extend(r.apply(spec, facts))
        except Exception as exc:  # a rule bug must not hide the other findings
            findings.append(Finding(r.id, "warn", f"This check could not run ({type(exc).__name__}: {exc}).",
                                    r.fields[0] if r.fields else "", r.source, r.title))
    if skipped:
        findings.append(Finding("live-facts-unavailable", "warn",
                                "Live facts (sizes, zones, quotas) could not be read, so these checks did not run: "
                                + "; ".join(skipped) + ". Retry when the connection to Azure works.",
                                "", "https://learn.microsoft.com/rest/api/compute/resource-skus/list", "Live checks"))
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return findings
