"""The app's stylesheet: Textual's, but each CSS source is parsed once per set of variables (issue 26).

Textual (8.2) re-parses every source, each widget's DEFAULT_CSS and both .tcss files, in a fresh Stylesheet on
``reparse()``, and ``refresh_css()`` (which calls ``set_variables()`` first, clearing the parse cache even when
the variables are the same) does it again: opening a mode's first screen does both, so the cleanup screen's
first frame paid for parsing everything twice, about 40 ms of the UI thread's time (``app.tcss`` three times).
Here ``reparse()`` keeps the parsed rules of the sources it has seen while the variables (the theme) are the
same, and ``prepare()``/``adopt()`` let a worker thread parse a file before a screen needs it.

Textual's parse cache is keyed by the source's text, location, defaults flag, tie breaker and scope, and is
cleared whenever the variables change (``Stylesheet.set_variables``), so what it holds is valid for the
variables of the moment: https://github.com/Textualize/textual/blob/main/src/textual/css/stylesheet.py
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet


@dataclass(frozen=True)
class ParsedFile:
    """A CSS file's rules, parsed (on any thread) with ``variables``, for ``ParseOnceStylesheet.adopt``."""

    key: tuple[object, ...]  # Textual's parse-cache key for the file as Stylesheet.read stores it
    variables: dict[str, str]
    rules: list[RuleSet]


class ParseOnceStylesheet(Stylesheet):
    """A Stylesheet whose ``reparse()`` parses only the sources it has not parsed with these variables."""

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._variables:
            return  # the same theme: what was parsed stays valid (Textual would clear it all)
        super().set_variables(variables)

    def reparse(self) -> None:
        """Textual's reparse parses every source again in a fresh Stylesheet; the variables are the same as when
        the cache was filled (``set_variables`` clears it otherwise), so parsing here, through the cache, gives
        the same rules. An error raises as Textual's does, leaving the rules as they were."""
        self._parse_cache.grow(2 * len(self.source))  # its 64 entries can fall short of the app's sources
        self.parse()

    def prepare(self, path: Path) -> ParsedFile | None:
        """Parse the CSS file ``path`` as ``read(path)`` would store it: safe on a worker thread (a separate
        Stylesheet; Textual's tokenizer and parser keep no state between calls). None if it cannot be read or
        parsed (the UI thread's own read then reports it as Textual does)."""
        variables = dict(self._variables)
        try:
            css = Path(path).read_text(encoding="utf-8")
            read_from = (os.path.abspath(path), "")
            sheet = Stylesheet(variables=variables)
            sheet.add_source(css, read_from=read_from)
            rules = sheet.rules
        except Exception:  # noqa: BLE001 - an invalid file is Textual's to report, on the UI thread
            return None
        if any(rule.errors for rule in rules):
            return None
        return ParsedFile((css, read_from, False, 0, ""), variables, rules)

    def adopt(self, parsed: ParsedFile) -> None:
        """On the UI thread: keep a file ``prepare`` parsed, if the variables are still the ones it used."""
        if parsed.variables == self._variables and self._parse_cache.get(parsed.key) is None:
            self._parse_cache[parsed.key] = parsed.rules
