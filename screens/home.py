"""The home screen: the three journeys."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

JOURNEYS: list[tuple[str, str, str, str]] = [
    ("vm", "v", "Create a virtual machine",
     "Dual-stack IPv4/IPv6 VNet, zone-redundant public IPs, NSG on the subnet, SSH key, optional NAT gateway and backup."),
    ("aks", "k", "Create an AKS cluster",
     "Dual-stack Azure CNI overlay with Cilium, system pool of 3, authorized IP ranges, optional ACR."),
    ("cleanup", "c", "Clean up what azwizard created",
     "Everything azwizard made, with age and cost; dry run first, then delete in the right order."),
]


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("v", "app.journey('vm')", "VM", id="home.vm"),
        Binding("k", "app.journey('aks')", "AKS", id="home.aks"),
        Binding("c", "app.journey('cleanup')", "Cleanup", id="home.cleanup"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

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

    def _show_status(self) -> None:
        app = self.app
        status = self.query_one("#home-status", Static)
        if getattr(app, "connecting", False):
            status.update("[dim]Connecting to Azure…[/dim]")
        elif getattr(app, "session", None) is not None:
            status.update(f"[dim]Subscription:[/dim] {app.sub_title}")
        else:
            status.update("[b]Not signed in[/b] — press [b]?[/b] for help")

    @on(OptionList.OptionSelected, "#journeys")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.switch_mode(event.option.id)
