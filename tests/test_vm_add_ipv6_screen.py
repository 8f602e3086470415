"""The add-IPv6 screen with Pilot: pick the demo's IPv4-only VM from the list, see its findings and the plan,
apply, and the done screen gives the IPv6 address, the AAAA hint, ssh -6 and the guest advice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.vm.add_ipv6 import AddIpv6Screen
from existing_helpers import session_on
from textual.app import App
from textual.widgets import DataTable, Static

from azwizard.azure import ops
from azwizard.existing.legacy import Legacy, make_legacy_vm
from azwizard.sim import ArmSim


@pytest.fixture(autouse=True)
def _data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path))


class Host(App[None]):
    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.push_screen(AddIpv6Screen(self.session))


async def until(app: App[Any], pilot: Any, cond: Any, timeout: float = 60.0) -> None:
    """Bounded by time, not by a count of pauses: a pause's length is Pilot's (tests/textual_speed.py shortened
    it), and 200 of them were too few on a loaded machine."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if cond():
            return
        if time.monotonic() > deadline:
            said = detail(app) if app.screen.query("#ipv6-detail") else repr(app.screen)
            raise AssertionError(f"the condition never held in {timeout:.0f} s; the screen says: {said}")


def detail(app: App[Any]) -> str:
    return str(app.screen.query_one("#ipv6-detail", Static).render())


async def test_pick_plan_apply_done() -> None:
    sim = ArmSim()
    session = session_on(sim)
    make_legacy_vm(session.factory)
    app = Host(session)
    async with app.run_test(size=(140, 50)) as pilot:
        await until(app, pilot, lambda: app.screen.query_one("#ipv6-vms", DataTable).row_count == 1)
        table = app.screen.query_one("#ipv6-vms", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:4] == ["Legacy-RG", "legacy-vm", "norwayeast", "Standard_B2s"]
        assert str(table.get_row_at(0)[5]) == "—"
        n = len(sim.requests)
        await pilot.press("a")  # nothing planned yet: nothing happens
        await pilot.press("enter")
        await until(app, pilot, lambda: "Press a to apply" in detail(app))
        text = detail(app)
        assert "doctor-no-ipv6" in text and "~ Virtual network legacy-vnet" in text
        assert not [r for r in sim.requests[n:] if r.method in ("PUT", "DELETE", "PATCH")]
        await pilot.press("a")
        await until(app, pilot, lambda: "has IPv6" in detail(app))
        text = detail(app)
        assert "ssh -6 azureuser@" in text and "AAAA" in text and "MTU to 1280" in text
        assert not [r for r in sim.requests[n:] if r.method != "GET" and "/virtualmachines/" in r.path.lower()]
    nic = ops.wire(ops.get(session.factory, "Microsoft.Network/networkInterfaces",
                           f"/subscriptions/{sim.subscription_id}/resourceGroups/{Legacy().group}/providers/"
                           f"Microsoft.Network/networkInterfaces/{Legacy().nic}"))
    assert [c["properties"]["privateIPAddressVersion"] for c in nic["properties"]["ipConfigurations"]] == ["IPv4",
                                                                                                           "IPv6"]


# ---- the choices (issue 21): the NIC, and IPv6 NSG rules


async def test_the_nsg_choice_plans_and_applies_companion_rules_and_a_bad_prefix_is_refused() -> None:
    from existing_helpers import connection
    from test_vm_add_ipv6_choices import SUBNET_NSG, make_two_nsgs, nsg, rules_of
    from textual.widgets import Input, Select

    sim = ArmSim()
    conn = connection(sim)
    make_two_nsgs(sim, conn)
    app = Host(session_on(sim))
    async with app.run_test(size=(150, 50)) as pilot:
        await until(app, pilot, lambda: app.screen.query_one("#ipv6-vms", DataTable).row_count == 1)
        await pilot.press("enter")
        await until(app, pilot, lambda: "Press a to apply" in detail(app))
        assert "~ Network security group" not in detail(app)  # no NSG change unless chosen
        app.screen.query_one("#ipv6-nsg", Select).value = "prefix"
        await until(app, pilot, lambda: "Type the IPv6 prefix" in detail(app))
        prefix = app.screen.query_one("#ipv6-nsg-prefix", Input)
        prefix.focus()
        await pilot.press(*"203.0.113.0/24", "enter")
        await until(app, pilot, lambda: "IPv4 prefix" in detail(app))
        n = len(sim.requests)
        await pilot.press("a")  # nothing is planned: nothing is applied
        await until(app, pilot, lambda: app.screen.query_one("#ipv6-nsg-prefix", Input).value.endswith("a"))
        assert not [r for r in sim.requests[n:] if r.method in ("PUT", "DELETE", "PATCH")]
        prefix.value = ""
        await pilot.press(*"2001:db8:a::/48", "enter")  # an "a" typed in the field is text, not Apply
        await until(app, pilot, lambda: "Press a to apply" in detail(app))
        assert prefix.value == "2001:db8:a::/48"
        assert not [r for r in sim.requests[n:] if r.method in ("PUT", "DELETE", "PATCH")]
        text = detail(app)
        assert f"~ Network security group {SUBNET_NSG}" in text and "gets rule HTTPS-office-IPv6" in text
        assert "network-security-groups-overview#security-rules" in text
        app.screen.query_one("#ipv6-vms", DataTable).focus()
        await pilot.press("a")
        await until(app, pilot, lambda: "has IPv6" in detail(app))
    rules = rules_of(nsg(conn, sim, SUBNET_NSG))
    assert rules["HTTPS-office-IPv6"]["sourceAddressPrefix"] == "2001:db8:a::/48"


async def test_the_nic_choice_defaults_to_the_primary_and_another_can_be_picked() -> None:
    from existing_helpers import connection
    from test_vm_add_ipv6_choices import make_two_nics, versions
    from textual.widgets import Select

    sim = ArmSim()
    conn = connection(sim)
    make_two_nics(sim, conn)
    app = Host(session_on(sim))
    async with app.run_test(size=(150, 50)) as pilot:
        await until(app, pilot, lambda: app.screen.query_one("#ipv6-vms", DataTable).row_count == 1)
        await pilot.press("enter")
        await until(app, pilot, lambda: "Press a to apply" in detail(app))
        nic = app.screen.query_one("#ipv6-nic", Select)
        assert nic.value == Legacy().nic and not nic.disabled
        assert f"~ Network interface {Legacy().nic}" in detail(app)
        nic.value = f"{Legacy().vm}-nic2"
        await until(app, pilot, lambda: f"~ Network interface {Legacy().vm}-nic2" in detail(app)
                    and "Press a to apply" in detail(app))
        assert "not the VM's primary NIC" in detail(app)
        await pilot.press("a")
        await until(app, pilot, lambda: "has IPv6" in detail(app))
    assert versions(conn, sim, f"{Legacy().vm}-nic2") == ["IPv4", "IPv6"] and versions(conn, sim, Legacy().nic) == [
        "IPv4"]
