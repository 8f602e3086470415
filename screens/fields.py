"""Text fields that keep every key in the order it was typed.

Textual's ``Input`` and ``TextArea`` insert a printable key in their own ``_on_key``, but their editing keys
(backspace, delete, arrows, home/end, ctrl+k …) are bindings, run only once the key event has bubbled from the
field through each ancestor's message queue up to the app. When keys queue up (a terminal delivers several in
one read, or the app is busy re-checking the rules after a change), the next printable key reaches the field
before the earlier Backspace's action has run: Backspace ×8 then ``W`` typed at once inserted the ``W`` first and
then deleted it (``Web1`` came out ``eb1``). Upstream: https://github.com/Textualize/textual/issues/6605 (fix
proposed in https://github.com/Textualize/textual/pull/6631, not released).

``KeyOrder`` runs the field's *own* non-priority bindings inline, in the field's queue, where the printable keys
are handled too, so keys apply in the order they arrived. What runs is unchanged: the focused widget is the first
namespace of the binding chain, and priority bindings were already checked by the app before the key reached
the field. Every editable field in the screens uses these classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import widgets

if TYPE_CHECKING:
    from textual import events


class KeyOrder:
    """Mixin for a Textual text widget: its own key bindings run where its printable keys are inserted."""

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # the widget's own _on_key (next in the MRO) inserts it
        widget = self
        for binding in widget._bindings.key_to_bindings.get(event.key, ()):  # type: ignore[attr-defined]
            if not binding.priority and await widget.app.run_action(binding.action, widget):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()  # handled: neither the widget's _on_key nor the app runs it again
                return


class Input(KeyOrder, widgets.Input):
    """``textual.widgets.Input`` with its editing keys applied in typing order."""


class TextArea(KeyOrder, widgets.TextArea):
    """``textual.widgets.TextArea`` with its editing keys applied in typing order."""


def _no_color() -> bool:
    """https://no-color.org: set and not empty."""
    import os

    return bool(os.environ.get("NO_COLOR"))


class Checkbox(widgets.Checkbox):
    """``textual.widgets.Checkbox`` whose state is in the text, not in shade only (NO_COLOR showed ticked and
    unticked alike: issue 19 item 16): ✓ when ticked, blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "✓" if self.value else " "


class Switch(widgets.Switch):
    """``textual.widgets.Switch`` that says on/off in text when colours are off (NO_COLOR): the slider's position is
    told by shade alone."""

    def render(self) -> Any:
        if _no_color():
            from rich.text import Text

            return Text(" on " if self.value else "off ")
        return super().render()
