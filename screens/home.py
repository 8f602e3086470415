"""The home screen: the three journeys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from .appref import azapp
from .workers import WorkerDone, leaving, posts

if TYPE_CHECKING:
    from .resume_offer import Offer

JOURNEYS: list[tuple[str, str, str, str]] = [
    ("vm", "v", "Create a virtual machine",
     "Dual-stack IPv4/IPv6 VNet, zone-redundant public IPs, NSG on the subnet, SSH key, optional NAT gateway and backup."),
    ("aks", "k", "Create an AKS cluster",
     "Dual-stack Azure CNI overlay with Cilium, system pool of 3, authorized IP ranges, optional ACR."),
    ("cleanup", "c", "Clean up what azwizard created",
     "Everything azwizard made, with age and cost; dry run first, then delete in the right order."),
    ("ipv6", "i", "Add IPv6 to an existing VM",
     "A VM with IPv4 only, checked against the notes; a /48, a /64 and a public IPv6 added in place."),
]


class OffersFound(WorkerDone["list[Offer]"]):
    """Interrupted runs this machine's journals know, to offer resuming (screens/resume_offer.py)."""


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("v", "app.journey('vm')", "VM", id="home.vm"),
        Binding("k", "app.journey('aks')", "AKS", id="home.aks"),
        Binding("c", "app.journey('cleanup')", "Cleanup", id="home.cleanup"),
        Binding("i", "add_ipv6", "IPv6", id="home.ipv6"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
        Binding("r", "resume", "Resume run", id="home.resume"),
    ]
    offers: list[Offer] = []  # interrupted runs to resume (screens/resume_offer.py)
    # None of the app's breakpoint classes (-narrow, -short…: journey rules in app.tcss): home.tcss does not use
    # them, and setting them on the first resize restyles every widget before the first frame (issue 26).
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = []
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(
                "What would you like to do? Every choice is checked before anything is created, "
                "and you see the exact resources and the equivalent az commands first.",
                id="home-intro",
            )
            options: list[Option | None] = []
            for mode, key, title, blurb in JOURNEYS:
                if options:
                    options.append(None)  # a separator line between journeys
                options.append(Option(f"[b]{title}[/b]  [dim]({key})[/dim]\n[dim]{blurb}[/dim]", id=mode))
            yield OptionList(*options, id="journeys")
            yield Static("", id="home-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#journeys", OptionList).focus()
        self._show_status()
        self.watch(self.app, "sub_title", lambda _: self._show_status(), init=False)
        self.look_for_interrupted()

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-resume")
    @posts(OffersFound)
    def look_for_interrupted(self) -> list[Offer]:
        # reading the journals imports the run/plan modules: not during the first paint
        azapp(self).wait_for_first_frame()
        from .resume_offer import find_offers

        return find_offers()

    @on(OffersFound)
    def _offers_found(self, message: OffersFound) -> None:
        if not message.result:
            return  # none, or the journals could not be read: nothing to offer
        self.offers = list(message.result)
        if leaving(self):
            return
        options = self.query_one("#journeys", OptionList)
        options.add_option(None)
        options.add_option(Option(self.offers[0].text, id="resume"))
        self.refresh_bindings()

    @property
    def HELP_EXCLUDE(self) -> tuple[str, ...]:  # noqa: N802  (the help screen's name for what is not offered)
        return () if self.offers else ("resume",)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.offers) if action == "resume" else True

    async def action_resume(self) -> None:
        if self.offers:
            from .resume_offer import open_offer

            await open_offer(azapp(self), self.offers[0])

    def action_add_ipv6(self) -> None:
        """Add IPv6 to a VM azwizard did not make (screens/vm/add_ipv6.py; `azwizard vm add-ipv6` headless)."""
        app = azapp(self)
        session = app.session
        if session is None:
            self.notify("Not signed in yet: wait for the subscription to show below, or press ? for help.",
                        severity="warning")
            return
        from .vm.add_ipv6 import AddIpv6Screen

        app.push_screen(AddIpv6Screen(session, demo=app.demo))

    def _show_status(self) -> None:
        app = azapp(self)
        status = self.query_one("#home-status", Static)
        if app.connecting:
            status.update("[dim]Connecting to Azure…[/dim]")
        elif app.session is not None:
            status.update(f"[dim]Subscription:[/dim] {app.sub_title}")
        else:
            status.update("[b]Not signed in[/b] — press [b]?[/b] for help")

    @on(OptionList.OptionSelected, "#journeys")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "resume":
            self.run_worker(self.action_resume(), group="home-open-resume")
        elif event.option.id == "ipv6":
            self.action_add_ipv6()
        elif event.option.id:
            self.app.switch_mode(event.option.id)
