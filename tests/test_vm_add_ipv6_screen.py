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


async def until(app: App[Any], pilot: Any, cond: Any) -> None:
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if cond():
            return
    raise AssertionError("the condition never held")


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
