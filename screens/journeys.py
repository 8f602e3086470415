"""Entry points of the three journeys, one Textual mode each (its own screen stack). Each mode's
first screen is defined by its journey; until a journey lands, its entry says what is coming."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class JourneyEntry(Screen[None]):
    """A journey's first screen (replaced by the real journey as it is built)."""

    journey_id = ""
    heading = ""
    body = ""
    BINDINGS = [Binding("escape", "app.home", "Home", id="journey.home")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="journey-entry", id=f"{self.journey_id}-entry"):
            yield Static(f"[b]{self.heading}[/b]", classes="journey-heading")
            yield Static(self.body, classes="journey-body")
            yield Static("[dim]This journey is coming next. Press Esc to go back.[/dim]", classes="journey-note")
        yield Footer()


class VmEntry(JourneyEntry):
    journey_id = "vm"
    heading = "Create a virtual machine"
    body = (
        "Resource group, dual-stack VNet (IPv4 /16 + a random ULA IPv6 /48), Standard static zone-redundant "
        "public IPv4 and IPv6, NSG on the subnet, the VM with an SSH key, optional NAT gateway, backup and "
        "cloud-init — each step checked against live SKU, zone and quota facts."
    )


class AksEntry(JourneyEntry):
    journey_id = "aks"
    heading = "Create an AKS cluster"
    body = (
        "Tier, Kubernetes version from the live list, system pool of 3, Azure CNI overlay with Cilium, "
        "dual-stack pod and service CIDRs that do not collide, authorized IP ranges, optional ACR — "
        "the combinations AKS rejects are caught before the ten-minute wait."
    )


class CleanupEntry(JourneyEntry):
    journey_id = "cleanup"
    heading = "Clean up"
    body = (
        "Everything azwizard created (journal and tags), with age and estimated cost; a dry run shows what "
        "will be deleted and in which order before anything is sent."
    )


JOURNEY_MODES = {"vm": VmEntry, "aks": AksEntry, "cleanup": CleanupEntry}
