"""The review's "what each PUT would do" (azwizard/plan/diff.py) in the wizard: the diff view, the update
confirmation and the adopt picker. The reads run in the review's thread worker (screens/review.py); these
widgets only show the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static

from .text import escape

if TYPE_CHECKING:
    from azwizard.plan.diff import PlanDiff, StepDiff

STYLE = {"create": "$success", "unchanged": "$text-muted", "update": "$warning", "conflict": "$error",
         "unknown": "$error"}
LEGEND = "[b]+[/] create  [b]=[/] unchanged  [b]~[/] update  [b]![/] conflict  [b]?[/] could not be read"


def counts_line(diff: PlanDiff | None, *, reading: bool = False, error: str = "") -> str:
    if error:
        return f"[b $error]Could not read what exists:[/] {escape(error)}"
    if reading or diff is None:
        return "[dim]Reading what already exists in Azure…[/dim]"
    return escape(diff.summary())


def diff_markup(diff: PlanDiff) -> str:
    """The diff like ``terraform plan``: one line per resource, the changing fields under it."""
    lines = [f"[dim]{LEGEND}[/dim]", ""]
    for e in diff.entries:
        lines += entry_lines(e)
    lines += ["", f"[b]{escape(diff.summary())}[/b]"]
    lines += [f"[dim]{escape(n)}[/dim]" for n in diff.notes]
    return "\n".join(lines)


def entry_lines(e: StepDiff) -> list[str]:
    from azwizard.plan.diff import ABSENT, VERBS

    style = STYLE[e.action]
    out = [f"[b {style}]{e.symbol}[/] [b]{escape(e.label)}[/b]  [{style}]{VERBS[e.action]}[/]"]
    if e.owner is not None and (e.action in ("conflict", "update") or e.adopted):
        out.append(f"    [dim]made by:[/dim] {escape(e.owner.who())}")
    for c in e.changes[:10]:
        mark = "-" if c.new is ABSENT else "+" if c.old is ABSENT else "~"
        out.append(f"    {mark} {escape(c.describe())}")
    if len(e.changes) > 10:
        out.append(f"    [dim]… and {len(e.changes) - 10} more[/dim]")
    for r in e.refused:
        out.append(f"    [$error]✖[/] {escape(r)}")
    if e.action in ("conflict", "unknown") and e.fix:
        out.append(f"    [b]What to do:[/b] {escape(e.fix)}")
    return out


class PlanDiffView(Static):
    """The diff, or that it is being read."""

    DEFAULT_CSS = "PlanDiffView { height: auto; }"

    def show(self, diff: PlanDiff | None, *, reading: bool = False, error: str = "") -> None:
        if diff is None or reading or error:
            self.update(counts_line(diff, reading=reading, error=error))
        else:
            self.update(diff_markup(diff))


class ConfirmUpdatesScreen(ModalScreen[bool]):
    """Updates to resources an earlier run of this journey made: each change, then y to go on."""

    DEFAULT_CSS = """
    ConfirmUpdatesScreen { align: center middle; }
    #updates-box { width: 96; max-width: 95%; height: auto; max-height: 90%; border: round $warning;
                   background: $surface; padding: 1 2; }
    #updates-list { height: auto; max-height: 20; margin: 1 0; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Update them", id="review.updates.yes"),
        Binding("n", "answer(False)", "Cancel", id="review.updates.no"),
        Binding("escape", "answer(False)", "Cancel", show=False),
    ]

    def __init__(self, updates: list[StepDiff]) -> None:
        super().__init__()
        self.updates = updates

    def compose(self) -> ComposeResult:
        n = len(self.updates)
        with Vertical(id="updates-box"):
            yield Static(f"[b]Update {n} existing resource{'s' if n != 1 else ''}?[/b]", id="updates-title")
            yield Static(self._what(), id="updates-what")
            body = []
            for e in self.updates:
                body += entry_lines(e)
            with VerticalScroll(id="updates-list"):
                yield Static("\n".join(body))
            yield Static("Press [b]y[/b] to update them and create the rest, [b]n[/b] or [b]esc[/b] to cancel.",
                         id="updates-keys")

    def _what(self) -> str:
        adopted = sum(1 for e in self.updates if e.adopted)
        earlier = len(self.updates) - adopted
        parts = []
        if earlier:
            parts.append(f"{'An earlier run' if earlier == 1 else 'Earlier runs'} of this journey made "
                         f"{'it' if earlier == 1 else earlier}; the plan changes {'it' if earlier == 1 else 'them'} "
                         "as shown (the run tags stay as they are).")
        if adopted:
            parts.append(f"You adopted {'one' if adopted == 1 else adopted} that azwizard did not create: "
                         f"{'it gets' if adopted == 1 else 'they get'} azwizard's tags and this run's cleanup will "
                         f"delete {'it' if adopted == 1 else 'them'}.")
        return " ".join(parts) + " Nothing else that exists is touched."

    def action_answer(self, ok: bool) -> None:
        self.dismiss(ok)


class AdoptScreen(ModalScreen["list[str] | None"]):
    """Pick the existing resources to take over (the only way to change what azwizard did not create)."""

    DEFAULT_CSS = """
    AdoptScreen { align: center middle; }
    #adopt-box { width: 96; max-width: 95%; height: auto; max-height: 90%; border: round $error;
                 background: $surface; padding: 1 2; }
    #adopt-list { height: auto; max-height: 14; margin: 1 0; }
    """
    BINDINGS = [
        Binding("enter", "done", "Adopt the marked ones", id="review.adopt.done", priority=True),
        Binding("escape", "cancel", "Cancel", id="review.adopt.cancel"),
    ]

    def __init__(self, conflicts: list[StepDiff], chosen: set[str]) -> None:
        super().__init__()
        self.conflicts = conflicts
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="adopt-box"):
            yield Static("[b]Adopt existing resources[/b]", id="adopt-title")
            yield Static("azwizard did not create these. Adopting one means this run updates it as planned, tags it "
                         "as its own, and its cleanup deletes it. Mark with [b]space[/b], [b]enter[/b] to adopt, "
                         "[b]esc[/b] to cancel.", id="adopt-what")
            items: list[Any] = [(f"{e.label} — {e.owner.who() if e.owner else 'unknown'}", e.resource_id,
                                 e.resource_id.lower() in self.chosen) for e in self.conflicts]
            yield SelectionList[str](*items, id="adopt-list")

    def on_mount(self) -> None:
        self.query_one("#adopt-list", SelectionList).focus()

    def action_done(self) -> None:
        chosen = list(self.query_one("#adopt-list", SelectionList).selected)
        if not chosen and not self.chosen:
            self.notify("Nothing is marked: press space on a resource to mark it, then enter (esc cancels).",
                        severity="warning", timeout=5)
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
