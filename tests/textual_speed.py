"""Two costs a test process pays per Textual app that one app run does not (issue 26: the main tier in 5 minutes).
Installed by conftest.py for every test; neither changes what an app does or shows.

- **CSS parsed once per process.** Textual keeps its parsed rules in a cache per Stylesheet, and every App (and
  every reparse: a new screen's DEFAULT_CSS, a mode switch) starts a new Stylesheet, so each UI test parsed
  app.tcss, home.tcss and every widget's DEFAULT_CSS again: about a tenth of a UI test's CPU. The rules parsed
  from the same text, location, scope and CSS variables are the same, and Textual never changes a RuleSet after
  parsing it (its own cache hands the same ones to every parse of one stylesheet), so one cache serves the
  process. Measured: a home-then-VM-basics app run, 0.81 -> 0.72 s CPU.
- **Shorter idle polls.** Pilot.press waits twice per key, and Pilot.pause once, for ``wait_for_idle``: it sleeps
  in 20 ms slices until a slice in which the process used under 1 ms of CPU, so every key and pause cost at least
  20-40 ms of idle wall time (a UI test makes 10-70 of them: 0.2-1.4 s of an idle core each). 5 ms slices with
  the same proportion (the process used under 5 % of a slice) keep the meaning, "nothing is running, the app's
  threads included", at a quarter of the wait. The tests' own waits are for conditions (tui_helpers.py)."""

from __future__ import annotations

from typing import Any

IDLE_SLICE_S = 0.005

_parsed: dict[tuple[Any, ...], Any] = {}


def install() -> None:
    import textual._wait as wait
    from textual.css.stylesheet import Stylesheet

    wait.SLEEP_GRANULARITY = IDLE_SLICE_S
    wait.SLEEP_IDLE = IDLE_SLICE_S / 20  # the same 5 % as Textual's 1 ms in 20

    if getattr(Stylesheet._parse_rules, "process_cache", False):
        return
    parse_rules = Stylesheet._parse_rules

    def cached_parse_rules(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                           tie_breaker: int = 0, scope: str = "") -> Any:
        # the variables (theme colours) are substituted while parsing: part of the key, computed once per dict
        variables = self._variables
        known = self.__dict__.get("_test_variables_key")
        if known is None or known[0] is not variables:
            known = (variables, tuple(sorted(variables.items())))
            self.__dict__["_test_variables_key"] = known
        key = (css, read_from, is_default_rules, tie_breaker, scope, known[1])
        rules = _parsed.get(key)
        if rules is None:  # a parse error raises here, as it does uncached, and is not cached
            rules = _parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    cached_parse_rules.process_cache = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = cached_parse_rules  # type: ignore[method-assign]
