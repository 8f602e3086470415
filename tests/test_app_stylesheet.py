"""The app parses each CSS source once (issue 26): Textual re-parses every source on each new screen's CSS and
again when a mode's first screen is shown; azwizard's stylesheet keeps what it parsed while the theme is the
same, the journeys' app.tcss is parsed on the warm-up worker, and the rules are the ones Textual's own parse
gives. A theme change still parses again with the new variables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import textual.css.stylesheet as textual_stylesheet
import textual_speed
from azwizard.screens.app import JOURNEYS_CSS, AzWizardApp
from azwizard.screens.cleanup import CleanupScreen
from azwizard.screens.stylesheet import ParseOnceStylesheet
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from tui_helpers import wait_until, workers_done

from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))


def counting_parse(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[object, ...]]:
    """Every source Textual's Stylesheet parses from now on: its location (file, class variable), then its
    tie breaker and scope (Textual adds a widget class's DEFAULT_CSS again, with a new tie breaker, for a
    subclass deeper in the class tree: that is a new source to parse)."""
    parsed: Counter[tuple[object, ...]] = Counter()
    real = textual_stylesheet.parse
    # what the app parses, not what the test process's shared cache (tests/textual_speed.py) already holds
    monkeypatch.setattr(textual_speed, "_parsed", {})

    def parse(scope: str, css: str, read_from: Any, **kwargs: Any) -> Any:
        parsed[(*read_from, kwargs.get("tie_breaker", 0), scope)] += 1
        return real(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", parse)
    return parsed


def app_for(tmp_path: Path) -> AzWizardApp:
    return AzWizardApp(lambda: open_demo_session(state_file=tmp_path / "s.json", latency=INSTANT).session, demo=True)


def described(rules: list[RuleSet]) -> list[tuple[object, ...]]:
    return [(repr(r.selector_set), repr(r.styles.get_rules()), r.is_default_rules, r.tie_breaker) for r in rules]


def textual_rules(sheet: Stylesheet) -> list[tuple[object, ...]]:
    """The rules Textual's own Stylesheet parses from the same sources and variables."""
    fresh = Stylesheet(variables=dict(sheet._variables))
    for read_from, source in sheet.source.items():
        fresh.add_source(source.content, read_from=read_from, is_default_css=source.is_defaults,
                         tie_breaker=source.tie_breaker, scope=source.scope)
    return described(fresh.rules)


async def test_opening_a_journey_screen_parses_no_source_twice(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = counting_parse(monkeypatch)
    app = app_for(tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        assert isinstance(app.stylesheet, ParseOnceStylesheet)
        await workers_done(app)  # the warm-up parses app.tcss
        journeys = (str(JOURNEYS_CSS.resolve()), "", 0, "")
        assert parsed[journeys] == 1
        await pilot.press("c")  # the cleanup mode's first screen: Textual would reparse everything twice here
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen), what="the cleanup screen")
        await workers_done(app)
        await pilot.pause()
        assert parsed[journeys] == 1
        assert [where for where, n in parsed.items() if n > 1] == []
        assert app.stylesheet.has_source(*journeys[:2])
        assert described(app.stylesheet.rules) == textual_rules(app.stylesheet)
        assert str(app.screen.query_one("#cleanup-table").styles.height) != ""  # styled by the rules


async def test_a_theme_change_parses_again_with_the_new_variables(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await workers_done(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CleanupScreen), what="the cleanup screen")
        await workers_done(app)
        before = described(app.stylesheet.rules)
        parsed = counting_parse(monkeypatch)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await pilot.pause()
        assert parsed[(str(JOURNEYS_CSS.resolve()), "", 0, "")] == 1
        after = described(app.stylesheet.rules)
        assert after != before  # colours from the new theme's variables
        assert after == textual_rules(app.stylesheet)


def test_a_file_parsed_off_the_ui_thread_is_kept_only_for_the_same_variables() -> None:
    variables = AzWizardApp(lambda: None).get_css_variables()  # type: ignore[arg-type,return-value]
    sheet = ParseOnceStylesheet(variables=variables)
    parsed = sheet.prepare(JOURNEYS_CSS)
    assert parsed is not None and parsed.rules
    sheet.set_variables(variables | {"primary": "#ff0000"})
    sheet.adopt(parsed)
    assert len(sheet._parse_cache) == 0
    sheet.set_variables(dict(parsed.variables))
    sheet.adopt(parsed)
    assert len(sheet._parse_cache) == 1
    assert ParseOnceStylesheet(variables={}).prepare(Path("/nonexistent/app.tcss")) is None
