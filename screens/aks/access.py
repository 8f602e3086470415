"""Step 5: access. Who may reach the API server (authorized IPv4 ranges, "add my public IPv4") and an optional
container registry the cluster pulls from: a new one (its global name checked with Azure) or an existing
one (listed from the subscription), with the caller's right to create the AcrPull role assignment read
from the permissions API before anything is created. Every Azure call runs in a thread worker."""

from __future__ import annotations

import ipaddress
import re

from azwizard.screens.text import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, DataTable, Label, Select, Static

from azwizard.azure.permissions import grants_role_assignments
from azwizard.fields import AKS_FIELDS
from azwizard.specs.aks import AcrSpec

from ..appref import azapp
from ..fields import Input
from ..wizard import FieldError, IpDetected
from ..workers import WorkerDone, leaving, posts
from .journey import DEMO_PUBLIC_IPV4
from .steps import AksStep

MAX_RANGES = 200
_ACR_NAME = re.compile(r"^[A-Za-z0-9]{5,50}$")


class AcrNameChecked(WorkerDone["tuple[str, bool, str]"]):
    """A new registry's name, whether Azure says it is available, and Azure's message."""


class RegistriesListed(WorkerDone["list[dict[str, str]]"]):
    """The subscription's registries (id, name, location, sku), by name."""


class RightsRead(WorkerDone["tuple[str, bool]"]):
    """Where the AcrPull assignment would go, and whether the caller may create role assignments there."""


def _explained(error: Exception) -> str:
    """What went wrong and what to do, in one line (azwizard.azure.errors.explain)."""
    from azwizard.azure.errors import explain

    err = explain(error)
    return f"{err.what} {err.fix}".strip()


def parse_range(text: str) -> str:
    """One authorized range as the API wants it: an IPv4 address or CIDR without host bits."""
    text = text.strip()
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError(f"'{text}' is not an IPv4 address or CIDR (e.g. 20.100.1.2/32)") from None
    if net.version == 6:
        raise ValueError("The API server's authorized ranges are IPv4 only, even in a dual-stack cluster")
    if str(net.network_address) != text.partition("/")[0]:
        raise ValueError(f"'{text}' has host bits set; write {net}")
    return text if "/" in text else f"{text}/32"


class AccessStep(AksStep):
    STEP_TITLE = "Access"
    INTRO = ("Who can reach the Kubernetes API server, and an optional container registry. Without authorized "
             "ranges the API server accepts connections from any IPv4 address (sign-in is still required). The "
             "API server is [b]IPv4-only[/b], even in a dual-stack cluster: list IPv4 ranges only.")
    STEP_ID = "access"
    INITIAL_FOCUS = "#range-input"
    BINDINGS = [
        Binding("ctrl+o", "add_range", "Add range", id="aks.access.add"),
        Binding("ctrl+r", "remove_range", "Remove range", id="aks.access.remove"),
        Binding("ctrl+t", "my_ip", "Add my public IPv4", id="aks.access.myip"),
    ]

    _name_timer: Timer | None = None

    def compose_form(self) -> ComposeResult:
        yield Label("API server authorized IP ranges")
        table: DataTable[str] = DataTable(id="authorized_ip_ranges", cursor_type="row", zebra_stripes=True)
        table.add_columns("Range", "Addresses", "Note")
        yield table
        with Horizontal(classes="range-row"):
            yield Input(placeholder="an IPv4 address or CIDR, e.g. 20.100.1.2/32", id="range-input")
            yield Button("Add (ctrl+o)", id="range-add")
        yield FieldError(id="range-input-error")
        yield Static("", id="ranges-note", classes="note")
        yield Label("Container registry (ACR)")
        yield Select(AKS_FIELDS.spec("acr.mode").options(self.spec.acr.mode), value=self.spec.acr.mode, id="acr-mode",
                     allow_blank=False)
        with Vertical(id="acr-create"):
            yield Label("Registry name (5–50 letters and digits, global: <name>.azurecr.io)")
            yield Input(self.spec.acr.name, id="acr-name", placeholder="e.g. aksdev2026acr")
            yield FieldError(id="acr-name-error")
            yield Static("", id="acr-name-note", classes="note")
        with Vertical(id="acr-attach"):
            yield Label("Registry")
            yield Select([], id="acr-existing_id", prompt="choose a registry")
            yield Static("", id="acr-list-note", classes="note")
        yield Static("", id="acr-rights-note", classes="note")
        yield Label("Node admin user and SSH public key (optional: AKS needs no key)")
        with Horizontal(classes="choice-row"):
            yield Input(self.spec.admin_username, id="admin_username")
            yield Input(self.spec.ssh_public_key, id="ssh_public_key", placeholder="paste a public key (ssh-rsa …)")
        yield FieldError(id="ssh_public_key-error")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_form()
        self._acr_mode_shown()

    @on(Input.Changed, "#admin_username")
    def _admin(self, event: Input.Changed) -> None:
        if event.value.strip() != self.spec.admin_username:
            self.journey.update(admin_username=event.value.strip())

    @on(Input.Changed, "#ssh_public_key")
    def _ssh_key(self, event: Input.Changed) -> None:
        from azwizard.sshkeys import public_key_problem

        text = event.value.strip()
        problem = public_key_problem(text) if text else None
        self.set_error(event.input, problem)  # a private key or other text: refused, nothing changes
        if problem is not None and "private key" in problem:
            with self.prevent(Input.Changed):
                event.input.value = ""  # not kept on screen either
            event.input.remove_class("-invalid")
            return
        if problem is None and text != self.spec.ssh_public_key:
            self.journey.update(ssh_public_key=text)

    # -------- authorized ranges

    def refresh_form(self) -> None:
        table = self.query_one("#authorized_ip_ranges", DataTable)
        table.clear()
        mine = self.journey.my_public_ipv4
        for text in self.spec.authorized_ip_ranges:
            try:
                net = ipaddress.ip_network(text, strict=False)
                size = f"{net.num_addresses:,}"
                covered = mine is not None and ipaddress.ip_address(mine) in net
            except ValueError:
                size, covered = "?", False
            note = ("your address (simulated)" if self.demo else "your address") if covered else ""
            table.add_row(text, size, note, key=text)
        n = len(self.spec.authorized_ip_ranges)
        lines = []
        if n == 0:
            lines.append("No ranges: the API server accepts any IPv4 address.")
        else:
            lines.append(f"{n} of at most {MAX_RANGES} ranges. AKS adds the cluster's own outbound IP itself.")
        if self.demo:
            lines.append(f"ctrl+t adds your public IPv4 — in demo mode a simulated one, {DEMO_PUBLIC_IPV4}.")
        else:
            lines.append("ctrl+t looks up your public IPv4 (a public echo service over HTTPS) and adds it; keep it "
                         "in the list, or kubectl from this machine is locked out.")
        self.query_one("#ranges-note", Static).update(f"[dim]{escape(' '.join(lines))}[/dim]")
        self._acr_notes()

    @on(Button.Pressed, "#range-add")
    def _add_pressed(self) -> None:
        self.action_add_range()

    @on(Input.Submitted, "#range-input")
    def _submitted(self) -> None:
        self.action_add_range()

    @on(Input.Changed, "#range-input")
    def _typing(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self.set_error(event.input, None)

    def action_add_range(self) -> None:
        field = self.query_one("#range-input", Input)
        if not field.value.strip():
            self.set_error(field, "Type an IPv4 address or CIDR first")
            return
        try:
            text = parse_range(field.value)
        except ValueError as exc:
            self.set_error(field, str(exc))  # bad input: nothing changes
            return
        self.set_error(field, None)
        self._add(text)
        field.value = ""

    def _add(self, text: str) -> None:
        ranges = self.spec.authorized_ip_ranges
        if text in ranges:
            self.notify(f"{text} is in the list already.", timeout=3)
            return
        if len(ranges) >= MAX_RANGES:
            self.notify(f"AKS allows at most {MAX_RANGES} ranges.", severity="error")
            return
        self.journey.update(authorized_ip_ranges=(*ranges, text))
        self.refresh_form()

    def action_remove_range(self) -> None:
        table = self.query_one("#authorized_ip_ranges", DataTable)
        if table.row_count == 0:
            self.notify("There are no ranges to remove.", timeout=3)
            return
        text = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        self.journey.update(authorized_ip_ranges=tuple(r for r in self.spec.authorized_ip_ranges if r != text))
        self.refresh_form()
        self.notify(f"{text} removed.", timeout=3)

    def action_my_ip(self) -> None:
        if self.demo:
            # azwizard.myip's demo address, the one the VM journey's NSG sources get too: a public one (the
            # aks-authorized-ranges rule rightly refuses non-public ranges), labelled simulated.
            self._my_ip(DEMO_PUBLIC_IPV4)
            return
        self.notify("Looking up your public IPv4 address…", timeout=3)
        self.detect_ip()

    @work(thread=True, exclusive=True, exit_on_error=False, group="myip")
    @posts(IpDetected)
    def detect_ip(self) -> str:
        from azwizard.myip import detect_public_ipv4

        return detect_public_ipv4(demo=False)

    def _my_ip(self, address: str) -> None:
        self.journey.my_public_ipv4 = address
        self._add(f"{address}/32")
        self.journey.recheck()
        simulated = " — simulated: demo mode doesn't look up your real address" if self.demo else ""
        self.notify(f"Added your public IPv4 {address}/32{simulated}.", timeout=5)

    # -------- container registry

    def _acr_mode_shown(self) -> None:
        mode = self.spec.acr.mode
        self.query_one("#acr-create").display = mode == "create"
        self.query_one("#acr-attach").display = mode == "attach"

    @on(Select.Changed, "#acr-mode")
    def _acr_mode(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str) or event.value == self.spec.acr.mode:
            return
        acr = self.spec.acr
        if event.value == "create":
            name = acr.name or re.sub(r"[^a-z0-9]", "", self.spec.cluster_name.lower())[:40] + "acr"
            self.journey.set_acr(AcrSpec("create", name))
            self.set_value("#acr-name", name)
            self._check_name_soon()
            self._check_rights()
        elif event.value == "attach":
            self.journey.set_acr(AcrSpec("attach", existing_id=acr.existing_id))
            self.query_one("#acr-list-note", Static).update("[dim]Reading the registries in this subscription…[/dim]")
            self.list_registries()
            if acr.existing_id:
                self._check_rights()
        else:
            self.journey.set_acr(AcrSpec())
        self._acr_mode_shown()
        self._acr_notes()

    @on(Input.Changed, "#acr-name")
    def _acr_name(self, event: Input.Changed) -> None:
        name = event.value.strip()
        if not _ACR_NAME.match(name):
            self.set_error(event.input, "5–50 letters and digits only (no '-'); it becomes <name>.azurecr.io")
            return
        self.set_error(event.input, None)
        if name != self.spec.acr.name:
            self.journey.set_acr(AcrSpec("create", name))
        self._check_name_soon()

    def _check_name_soon(self) -> None:
        """Ask Azure about the name once typing pauses (not on every key)."""
        if self._name_timer is not None:
            self._name_timer.stop()
        self.journey.acr_name_available = None
        self._acr_notes()
        self._name_timer = self.set_timer(0.5, lambda: self.check_name(self.spec.acr.name))

    @work(thread=True, exclusive=True, exit_on_error=False, group="acr-name")
    @posts(AcrNameChecked)
    def check_name(self, name: str) -> tuple[str, bool, str]:
        session = azapp(self).session
        if session is None:
            raise RuntimeError("not signed in")
        status = session.factory.containerregistry().registries.check_name_availability(
            {"name": name, "type": "Microsoft.ContainerRegistry/registries"})
        return name, bool(status.name_available), str(status.message or "")

    @work(thread=True, exclusive=True, exit_on_error=False, group="acr-list")
    @posts(RegistriesListed)
    def list_registries(self) -> list[dict[str, str]]:
        session = azapp(self).session
        if session is None:
            raise RuntimeError("not signed in")
        out = []
        for r in session.factory.containerregistry().registries.list():
            out.append({"id": str(r.id), "name": str(r.name), "location": str(r.location),
                        "sku": str(r.sku.name if r.sku else "")})
        return sorted(out, key=lambda r: r["name"].lower())

    def _check_rights(self) -> None:
        acr = self.spec.acr
        facts = self.journey.subscription_facts
        if acr.mode == "create":
            if facts is not None and facts.group_location(self.spec.resource_group) is None:
                self.journey.can_assign_roles = None
                self.journey.rights_note = (
                    f"Your right to create the AcrPull role assignment can't be read before {self.spec.resource_group} "
                    "exists; it needs Owner, User Access Administrator or RBAC Administrator there (or above). If "
                    "the assignment is refused, the cluster and registry stay and cleanup can remove them.")
                self._acr_notes()
                return
            self.check_rights(self.spec.resource_group, None)
        elif acr.mode == "attach" and acr.existing_id:
            parts = acr.existing_id.strip("/").split("/")
            if len(parts) >= 8:
                self.check_rights(parts[3], parts[7])

    @work(thread=True, exclusive=True, exit_on_error=False, group="rights")
    @posts(RightsRead)
    def check_rights(self, group: str, registry: str | None) -> tuple[str, bool]:
        session = azapp(self).session
        if session is None:
            raise RuntimeError("not signed in")
        perms = session.factory.authorization().permissions
        blocks = (perms.list_for_resource(group, "Microsoft.ContainerRegistry", "", "registries", registry)
                  if registry else perms.list_for_resource_group(group))
        where = f"registry {registry}" if registry else f"resource group {group}"
        return where, grants_role_assignments(list(blocks))

    @on(Select.Changed, "#acr-existing_id")
    def _registry_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.spec.acr.existing_id:
            self.journey.set_acr(AcrSpec("attach", existing_id=event.value))
            self.journey.acr_exists = True  # listed by Azure a moment ago
            self.journey.recheck()
            self._check_rights()

    @on(IpDetected)
    def _ip_detected(self, message: IpDetected) -> None:
        if leaving(self):
            return  # the step is being popped: the address is not wanted any more
        if message.result:
            self._my_ip(message.result)
        elif message.error is not None:
            self.notify(str(message.error), severity="error", timeout=6)

    @on(AcrNameChecked)
    def _name_checked(self, message: AcrNameChecked) -> None:
        if message.error is not None:
            if leaving(self):
                return
            self.query_one("#acr-name-note", Static).update(
                f"[$warning]▲ Couldn't check the name with Azure:[/] {escape(_explained(message.error))}")
            return
        if message.result is not None:
            name, available, text = message.result
            if name == self.spec.acr.name:
                journey = self.journey
                journey.acr_name_checked, journey.acr_name_available = name, available
                journey.acr_name_message = text
                journey.recheck()
            if not leaving(self):
                self._acr_notes()

    @on(RegistriesListed)
    def _registries_listed(self, message: RegistriesListed) -> None:
        if message.error is not None:
            if leaving(self):
                return
            self.query_one("#acr-list-note", Static).update(
                f"[$warning]▲ Couldn't list the registries:[/] {escape(_explained(message.error))}")
            return
        result = message.result
        if result is None:
            return
        self.journey.registries = result
        if leaving(self):
            return
        select = self.query_one("#acr-existing_id", Select)
        options = [(f"{r['name']} ({r['location']}, {r['sku']})", r["id"]) for r in result]
        with self.prevent(Select.Changed):
            select.set_options(options)
            if any(v == self.spec.acr.existing_id for _, v in options):
                select.value = self.spec.acr.existing_id
        self.query_one("#acr-list-note", Static).update(
            "[dim]No registries in this subscription: create one instead.[/dim]" if not result else
            f"[dim]{len(result)} registr{'y' if len(result) == 1 else 'ies'} in this subscription.[/dim]")
        self._acr_notes()

    @on(RightsRead)
    def _rights_read(self, message: RightsRead) -> None:
        journey = self.journey
        if message.error is not None:
            journey.rights_note = f"Couldn't read your permissions: {_explained(message.error)}"
            if not leaving(self):
                self._acr_notes()
            return
        if message.result is None:
            return
        where, can = message.result
        journey.can_assign_roles = can
        journey.rights_note = (
            f"You can create role assignments on the {where}: the cluster's kubelet identity will get AcrPull."
            if can else
            f"You can't create role assignments on the {where} (needs Owner, User Access Administrator or RBAC "
            "Administrator), so the AcrPull assignment would be refused.")
        journey.recheck()
        if not leaving(self):
            self._acr_notes()

    def _acr_notes(self) -> None:
        journey, acr = self.journey, self.spec.acr
        note = self.query_one("#acr-name-note", Static)
        if acr.mode == "create" and _ACR_NAME.match(acr.name):
            if journey.acr_name_checked != acr.name or journey.acr_name_available is None:
                note.update("[dim]Checking the name with Azure…[/dim]")
            elif journey.acr_name_available:
                note.update(f"[$success]✓[/] {escape(acr.name.lower())}.azurecr.io is available.")
            else:
                note.update(f"[$error]✖[/] {escape(acr.name)} is taken (registry names are global). "
                            f"{escape(journey.acr_name_message)}")
        else:
            note.update("")
        rights = self.query_one("#acr-rights-note", Static)
        if not acr.enabled:
            rights.update("[dim]With a registry, the cluster's kubelet identity gets the AcrPull role on it (what "
                          "az aks create --attach-acr does); creating that assignment needs Owner-level rights.[/dim]")
        elif journey.can_assign_roles is None and not journey.rights_note:
            rights.update("[dim]Reading your permissions…[/dim]" if acr.mode == "create" or acr.existing_id else
                          "[dim]Choose a registry.[/dim]")
        else:
            mark = "[$success]✓[/]" if journey.can_assign_roles else "[$warning]▲[/]"
            rights.update(f"{mark} {escape(journey.rights_note)}")
