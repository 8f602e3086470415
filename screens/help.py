"""The ``?`` help screen: what the app does and every key that works where you are."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP_TEXT = """\
[b]azwizard[/b] guides you through creating Azure resources the right
way the first time.

[b]Journeys[/b]
  [b]v[/b]  Create a virtual machine (dual-stack IPv4/IPv6)
  [b]k[/b]  Create an AKS cluster
  [b]c[/b]  Clean up what azwizard created
  [b]i[/b]  Add IPv6 to an existing VM that has IPv4 only

[b]Everywhere[/b]
  [b]?[/b] / [b]f1[/b]   this help (f1 also works while typing in a field)
  [b]ctrl+p[/b]   command palette: any action; "Go to step: …" on
           a journey's steps, "Show tab: …" on the review
  [b]esc[/b]      back / close
  [b]tab[/b]      next field      [b]shift+tab[/b]  previous field
  [b]ctrl+q[/b]   quit
  On the review, [b]tab[/b] also reaches its tab bar (Changes,
  Resources, az script, ARM template): [b]←[/b]/[b]→[/b] switch tabs.

[b]Safety[/b]
  Nothing is created until you confirm on the review, which
  shows every finding, the exact resources and the equivalent
  az commands. Everything created is tagged and written to a
  journal, so cleanup knows what exists.

[b]Demo mode[/b]
  azwizard --demo uses a simulated subscription: nothing
  reaches Azure and nothing costs money.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP_TEXT, id="help-text")
            yield Static(self._screen_keys(), id="help-keys")

    def _screen_keys(self) -> str:
        """The keys of the screen under this one, from its bindings and its base classes' (so help never
        drifts from what the footer offers)."""
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) >= 2 else None
        if below is None:
            return ""
        seen: dict[str, str] = {}
        hidden = set(getattr(below, "HELP_EXCLUDE", ()))  # actions a subclass does not offer (review: next)
        for cls in reversed(type(below).__mro__):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.show and binding.description:
                    if binding.action in hidden:
                        continue
                    seen[binding.key_display or binding.key] = binding.description
        lines = [f"  [b]{key}[/b]  {desc}" for key, desc in seen.items()]
        return ("[b]On this screen[/b]\n" + "\n".join(lines)) if lines else ""

    async def action_dismiss(self, result: object = None) -> None:
        self.dismiss(None)
