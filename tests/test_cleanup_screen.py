"""The cleanup screen end to end in demo mode, driven with the keyboard through Textual's Pilot: runs created
through the engine (plan_vm / plan_aks + Runner, journals in the default journal dir), then the inventory,
the dry run, deleting, the typed group name, blockers, retry, AKS stop/start and the filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.app import AzWizardApp
from azwizard.screens.cleanup import (
    CleanupScreen,
    CleanupState,
    ConfirmGroupScreen,
    DeleteScreen,
    DryRunScreen,
    PowerConfirmScreen,
    TypedConfirmScreen,
)
from azwizard.screens.help import HelpScreen
from cleanup_helpers import deletes, foreign_nsg, ids_in, make_cluster, make_vm_run, region_book
from textual.widgets import DataTable, Input, Select, Static
from tui_helpers import workers_done

from azwizard.azure import ops
from azwizard.azure.session import AzureSession
from azwizard.cleanup.model import ROLE_ASSIGNMENT, key
from azwizard.demo import open_demo_session
from azwizard.paths import journal_dir
from azwizard.sim import INSTANT, ArmSim

# Ages are measured against this clock: the VM run was created 21 h before it, the cluster's run 45 h before.
NOW = dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.timezone.utc)
SIZE = (130, 45)


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own journal dir: the inventory reads every journal in it."""
    data = tmp_path / "data"
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(data))
    return data


def demo(tmp_path: Path) -> tuple[AzWizardApp, dict[str, ArmSim]]:
    holder: dict[str, ArmSim] = {}

    def connect() -> AzureSession:
        d = open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT)
        holder["sim"] = d.sim
        return d.session

    app = AzWizardApp(connect, demo=True)
    app.journeys["cleanup"] = CleanupState(now=lambda: NOW, deleter_options={"poll_interval": 0.01, "retry_delay": 0})
    return app, holder


def demo_kubeconfig_with(app: AzWizardApp, rg: str, name: str) -> Path:
    """The demo kubeconfig holding another cluster and this one's credentials, as the AKS done screen merges
    them."""
    import base64

    from azwizard.kubeconfig import kubeconfig_target, merge_kubeconfig, write_kubeconfig

    creds = app.session.factory.containerservice().managed_clusters.list_cluster_user_credentials(rg, name)  # type: ignore[union-attr]
    value = creds.kubeconfigs[0].value
    other = ("apiVersion: v1\nkind: Config\nclusters:\n- name: kind\n  cluster: {server: 'https://kind.local:6443'}\n"
             "contexts:\n- name: kind\n  context: {cluster: kind, user: kind}\nusers:\n- name: kind\n  user: {}\n")
    merged = merge_kubeconfig(other, (value if isinstance(value, bytes) else base64.b64decode(value)).decode(),
                              context_name=name, overwrite=False)
    path = kubeconfig_target(demo=True)
    write_kubeconfig(path, merged.text or "")
    return path


async def type_confirmation(app: AzWizardApp, pilot: Any) -> None:
    """Answer the typed confirmation a VM, a cluster or several resources need, as the user would."""
    await settle(app, pilot)
    assert isinstance(app.screen, TypedConfirmScreen) and not isinstance(app.screen, ConfirmGroupScreen)
    app.screen.query_one(Input).value = app.screen.expected
    await pilot.press("enter")
    await settle(app, pilot)


async def settle(app: AzWizardApp, pilot: Any) -> None:
    for _ in range(4):
        await workers_done(app)
        await pilot.pause()


async def open_cleanup(app: AzWizardApp, pilot: Any, holder: dict[str, ArmSim], *, vm: bool = True,
                       cluster: bool = True) -> ArmSim:
    """Connect, create the runs through the engine, open cleanup from the home screen (c)."""
    await settle(app, pilot)
    sim = holder["sim"]
    factory = app.session.factory  # type: ignore[union-attr]
    if vm:
        make_vm_run(sim, factory, journal_dir())
    if cluster:
        make_cluster(factory, journal_dir())
    await pilot.press("c")
    await settle(app, pilot)
    assert isinstance(app.screen, CleanupScreen)
    return sim


def screen(app: AzWizardApp) -> CleanupScreen:
    assert isinstance(app.screen, CleanupScreen), type(app.screen)
    return app.screen


async def goto(app: AzWizardApp, pilot: Any, name: str) -> None:
    """Put the cursor on the row of a resource (by name) or a run header ("run:<id>")."""
    rows = screen(app).rows
    index = next(i for i, r in enumerate(rows)
                 if r.key == name or (r.item is not None and r.item.name == name))
    screen(app).query_one("#cleanup-table", DataTable).move_cursor(row=index, animate=False)
    await pilot.pause()


def cells(app: AzWizardApp, name: str) -> list[str]:
    rows = screen(app).rows
    row = next(r for r in rows if r.key == name or (r.item is not None and r.item.name == name))
    return [str(c) for c in screen(app).query_one("#cleanup-table", DataTable).get_row(row.key)]


def text(app: AzWizardApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def expected_hourly(app: AzWizardApp) -> dict[str, float]:
    """What the runs cost per hour, summed here from norwayeast's list prices (the simulator's price list as
    azwizard reads it): the VM set is the D2s_v5, two Standard public IPs and an E4 OS disk (30 GiB Standard
    SSD); the cluster the Standard tier and 3 × D2s_v5 nodes with P10 OS disks (128 GiB Premium), its run also
    a Basic registry; networks, groups and role assignments are free."""
    book = region_book(app.session.factory)  # type: ignore[union-attr]
    assert book.currency == "USD" and book.public_ip_hourly is not None

    def tier(sku: str, name: str) -> float:
        return next(monthly for _, t, monthly in book.disk_tiers[sku] if t == name) / 730

    d2s = book.vm_hourly["standard_d2s_v5"]
    out = {"vm": d2s, "vm_run": d2s + 2 * book.public_ip_hourly + tier("StandardSSD_LRS", "E4"),
           "aks": book.aks_tier_hourly["Standard"] + 3 * (d2s + tier("Premium_LRS", "P10")),
           "aks_stopped": book.aks_tier_hourly["Standard"] + 3 * tier("Premium_LRS", "P10")}
    out["aks_run"] = out["aks"] + book.acr_daily["Basic"] / 24
    return out


def usd(cell: str) -> float:
    """The figure a cell or sentence shows (``[b]$1,234.5678[/b]``, ``$0.0960``), in US dollars."""
    import re

    m = re.search(r"\$([\d,]+\.\d+)", cell)
    assert m is not None, cell
    return float(m.group(1).replace(",", ""))


def shows(cells_: list[str], hourly: float) -> bool:
    """The hourly and monthly (730 h) cells show ``hourly`` to their precision (4 and 2 decimals)."""
    return usd(cells_[6]) == pytest.approx(hourly, abs=6e-5) and usd(cells_[7]) == pytest.approx(hourly * 730, abs=6e-3)


def selected_names(app: AzWizardApp) -> set[str]:
    state = screen(app).state
    assert state.inventory is not None
    return {it.name for it in state.inventory.items if it.key in state.selected}


async def test_both_runs_with_costs_ages_and_where_they_were_found(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder)
        rows = screen(app).rows
        assert [r.key for r in rows if r.kind == "run"] == ["run:run-vm", "run:run-aks"]  # newest first
        vm_run, aks_run = cells(app, "run:run-vm"), cells(app, "run:run-aks")
        want = expected_hourly(app)
        assert "vm journey" in vm_run[2] and vm_run[5] == "21 h" and vm_run[9] == "8 resources"
        assert shows(vm_run, want["vm_run"])
        assert "aks journey" in aks_run[2] and aks_run[5] == "1 d"
        assert shows(aks_run, want["aks_run"])
        vm = cells(app, "Yolo-VM")
        assert (vm[2], vm[4], vm[5], vm[9]) == ("VM", "norwayeast", "21 h", "journal+tag") and shows(vm, want["vm"])
        assert "running" in vm[3]
        aks = cells(app, "aks1")
        assert (aks[2], aks[5]) == ("AKS cluster", "1 d") and shows(aks, want["aks"])
        assert "running" in aks[3]
        assert cells(app, "Yolo-VM-OsDisk")[9] == "with owner"  # untagged, found through the VM
        assert "AKS nodes" in cells(app, "MC_aks-rg_aks1_norwayeast")[9]
        assert cells(app, "Yolo-NSG")[6] == "free"
        summary = text(app, "#cleanup-summary")
        assert "2 run(s), 13 resource(s) cost about $" in summary
        assert usd(summary.split("cost about")[1]) == pytest.approx(want["vm_run"] + want["aks_run"], abs=6e-5)
        book = region_book(app.session.factory)  # type: ignore[union-attr]
        assert f"(list prices, norwayeast, USD, fetched {book.as_of})" in summary  # read by the inventory worker
        assert not selected_names(app)  # nothing is preselected
        await goto(app, pilot, "aks1")
        detail = text(app, "#cleanup-detail")
        assert "3 × Standard_D2s_v5" in detail and "AKS Standard tier" in detail
        assert "15–30 minutes" in detail and "IP addresses" in detail  # the notes' advice next to s/t
        # the help lists the screen's keys
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = text(app, "#help-keys")
        for words in ("space", "Select run", "Whole group", "Dry run", "Show all", "Filter", "Refresh",
                      "Stop AKS", "Start AKS"):
            assert words in keys, words


async def test_dry_run_shows_the_order_and_sends_nothing(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        sim = await open_cleanup(app, pilot, holder)
        await pilot.press("d")  # nothing selected: says how to select
        await pilot.pause()
        assert isinstance(app.screen, CleanupScreen)
        await goto(app, pilot, "Yolo-VM")
        await pilot.press("a")  # the whole run
        await pilot.pause()
        assert selected_names(app) == {"Yolo-RG", "Yolo-VM", "Yolo-VM-OsDisk", "Yolo-NIC", "Yolo-NSG", "Yolo-IPv4",
                                       "Yolo-IPv6", "Yolo-VNet"}
        assert "Selected: 8 resource(s)" in text(app, "#cleanup-summary")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DryRunScreen)
        dry = text(app, "#cleanup-dry-text")
        order = ["1. Virtual machine Yolo-VM", "with it: Disk Yolo-VM-OsDisk", "with it: Network interface Yolo-NIC",
                 "Step 2", "Public IP address Yolo-IPv4", "Virtual network Yolo-VNet", "Step 3",
                 "5. Network security group Yolo-NSG", "Step 4", "6. Resource group Yolo-RG"]
        positions = [dry.index(part) for part in order]
        assert positions == sorted(positions), dry
        assert "once everything in it is gone" in dry and "Nothing has been sent to Azure yet" in dry
        assert usd(dry.split("stops about")[1]) == pytest.approx(expected_hourly(app)["vm_run"], abs=6e-5)
        assert "list prices, norwayeast, USD" in dry
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CleanupScreen)
    assert not deletes(sim)


async def test_delete_a_selection_leaves_everything_else_untouched(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        sim = await open_cleanup(app, pilot, holder)
        kubeconfig = demo_kubeconfig_with(app, "aks-rg", "aks1")
        before = ids_in(sim)
        for name in ("Yolo-VM", "Yolo-IPv4", "Yolo-IPv6", "aks1"):
            await goto(app, pilot, name)
            await pilot.press("space")
        await pilot.pause()
        assert selected_names(app) == {"Yolo-VM", "Yolo-IPv4", "Yolo-IPv6", "aks1"}
        await pilot.press("d")
        await pilot.pause()
        assert "node resource group" in text(app, "#cleanup-dry-text")  # the MC_ group goes with the cluster
        phrase = app.screen.plan.confirmation()
        assert phrase.startswith("delete ") and f"you will type {phrase} to confirm" in text(app, "#cleanup-dry-text")
        await pilot.press("x")  # a cluster, a VM and several resources: typed confirmation, not a keypress
        await settle(app, pilot)
        assert isinstance(app.screen, TypedConfirmScreen)
        assert "AKS cluster aks1" in text(app, "#cleanup-confirm-text")
        await pilot.press("enter")  # nothing typed: refused
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirmScreen) and not deletes(sim)
        assert "nothing is deleted without it" in text(app, "#cleanup-confirm-error")
        for k in phrase:
            await pilot.press("space" if k == " " else k)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DeleteScreen)
        report = text(app, "#cleanup-run-report")
        assert "Done: 7 resource(s) deleted and verified gone" in report, report
        for label in ("Virtual machine Yolo-VM", "Disk Yolo-VM-OsDisk", "Network interface Yolo-NIC",
                      "Public IP address Yolo-IPv4", "AKS cluster aks1", "Resource group MC_aks-rg_aks1_norwayeast"):
            assert f"✓ {label}" in report, label
        table = app.screen.query_one("#cleanup-run-table", DataTable)
        assert all("deleted" in str(table.get_cell(op.key, "State")) for op in app.screen.plan.ops)
        # the cluster's kubeconfig entries went too (demo mode: the demo file, never ~/.kube/config)
        import yaml

        assert "Removed from" in report and "aks1" in report and "current context" in report
        doc = yaml.safe_load(kubeconfig.read_text())
        assert [c["name"] for c in doc["contexts"]] == ["kind"] and doc["current-context"] == ""
        assert list(kubeconfig.parent.glob("config.bak-*"))

        mc = sim.group_id("MC_aks-rg_aks1_norwayeast").lower()
        yolo = sim.group_id("Yolo-RG").lower()
        gone = {f"{yolo}/providers/microsoft.compute/virtualmachines/yolo-vm",
                f"{yolo}/providers/microsoft.compute/disks/yolo-vm-osdisk",
                f"{yolo}/providers/microsoft.network/networkinterfaces/yolo-nic",
                f"{yolo}/providers/microsoft.network/publicipaddresses/yolo-ipv4",
                f"{yolo}/providers/microsoft.network/publicipaddresses/yolo-ipv6",
                f"{sim.group_id('aks-rg').lower()}/providers/microsoft.containerservice/managedclusters/aks1", mc}
        gone |= {i for i in before if i.startswith(mc + "/")}
        remaining = ids_in(sim)
        assert remaining == before - gone  # nothing else was touched

        await pilot.press("enter")  # back to the inventory, read again
        await settle(app, pilot)
        state = screen(app).state
        assert state.inventory is not None and not state.selected
        shown = {it.key for it in state.inventory.items if it.exists and it.kind != ROLE_ASSIGNMENT}
        assert shown == remaining  # the full remaining inventory is exactly what the simulator still holds
        role = next(it for it in state.inventory.items if it.kind == ROLE_ASSIGNMENT)
        assert role.exists and ops.get(app.session.factory, role.type, role.id) is not None  # type: ignore[union-attr]
        assert {r.item.name for r in screen(app).rows if r.item is not None} == {
            "Yolo-RG", "Yolo-NSG", "Yolo-VNet", "aks-rg", "aks1acr", role.name}
        assert "7 resource(s) from the journals are already deleted" in text(app, "#cleanup-summary")


async def test_whole_group_delete_refuses_without_the_typed_name(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        sim = await open_cleanup(app, pilot, holder)
        before = ids_in(sim)
        await goto(app, pilot, "Yolo-NSG")
        await pilot.press("w")  # the NSG's group, as one operation
        await pilot.pause()
        assert all("◆" in cells(app, name)[0] for name in ("Yolo-RG", "Yolo-VM", "Yolo-NSG"))  # all of it goes
        assert "including the whole group(s) Yolo-RG" in text(app, "#cleanup-summary")
        await pilot.press("d")
        await pilot.pause()
        dry = text(app, "#cleanup-dry-text")
        assert "Resource group Yolo-RG — the whole group, one operation" in dry
        assert "everything in it goes (7 resource(s))" in dry and "in it: Virtual machine Yolo-VM" in dry
        assert "you will type Yolo-RG to confirm" in dry
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmGroupScreen)
        await pilot.press("enter")  # nothing typed
        await pilot.pause()
        assert isinstance(app.screen, ConfirmGroupScreen)
        assert "nothing is deleted without it" in text(app, "#cleanup-confirm-error")
        for k in "yolo-rg":  # the letters go to the input, never to the journey keys
            await pilot.press(k if k != "-" else "minus")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmGroupScreen)
        assert app.screen.query_one(Input).value == "yolo-rg"
        assert "is not the group's name" in text(app, "#cleanup-confirm-error")
        await pilot.press("escape")  # cancel
        await pilot.pause()
        assert isinstance(app.screen, DryRunScreen)
        assert not [r for r in sim.requests if r.method == "DELETE"]  # nothing sent
        assert ids_in(sim) == before

        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = "Yolo-RG"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DeleteScreen)
        assert "Done: 8 resource(s) deleted" in text(app, "#cleanup-run-report")  # the group and what was in it
    assert [p.lower() for p in deletes(sim)] == [sim.group_id("Yolo-RG").lower()]  # one operation
    assert ids_in(sim) == {i for i in before if not i.startswith(sim.group_id("Yolo-RG").lower())}


async def test_untagged_resources_are_shown_only_on_request_and_never_preselected(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim = holder["sim"]
        make_vm_run(sim, app.session.factory, journal_dir())  # type: ignore[union-attr]
        foreign = foreign_nsg(app.session.factory, "Yolo-RG")  # type: ignore[union-attr]
        await pilot.press("c")
        await settle(app, pilot)
        names = {r.item.name for r in screen(app).rows if r.item is not None}
        assert "someone-elses-nsg" not in names
        await goto(app, pilot, "Yolo-VM")
        await pilot.press("g")  # show everything in this group
        await settle(app, pilot)
        row = cells(app, "someone-elses-nsg")
        assert "⚠" in row[1] and "not azwizard" in row[9]
        await goto(app, pilot, "someone-elses-nsg")
        assert "Not created by azwizard" in text(app, "#cleanup-detail")
        await pilot.press("a")  # the run: azwizard's own only
        await pilot.pause()
        assert "someone-elses-nsg" not in selected_names(app)
        assert "Yolo-VM" in selected_names(app) and "Yolo-RG" not in selected_names(app)  # the group is not empty
        await pilot.press("n")
        await goto(app, pilot, "run:run-vm")
        await pilot.press("space")  # space on the run line: same
        await pilot.pause()
        assert "someone-elses-nsg" not in selected_names(app) and len(selected_names(app)) == 7
        await pilot.press("d")
        await pilot.pause()
        dry = text(app, "#cleanup-dry-text")
        assert "someone-elses-nsg" not in dry.split("Cannot be deleted now")[0]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await goto(app, pilot, "Yolo-RG")
        await pilot.press("w")
        await pilot.press("d")
        await pilot.pause()
        dry = text(app, "#cleanup-dry-text")
        assert "Nothing in this selection can be deleted now" in dry
        assert "1 resource(s) azwizard did not create: Network security group someone-elses-nsg" in dry
        await pilot.press("x")  # nothing runnable: refused
        await pilot.pause()
        assert isinstance(app.screen, DryRunScreen)
    assert not deletes(sim) and sim.get(foreign) is not None


async def test_a_lock_is_explained_nothing_is_forced_and_retry_keeps_it_blocked(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim = holder["sim"]
        factory = app.session.factory  # type: ignore[union-attr]
        make_vm_run(sim, factory, journal_dir())
        factory.locks().management_locks.create_or_update_at_resource_level(
            "Yolo-RG", "Microsoft.Network", "", "virtualNetworks", "Yolo-VNet", "keep-vnet", {"level": "CanNotDelete"})
        await pilot.press("c")
        await settle(app, pilot)
        await goto(app, pilot, "Yolo-VNet")
        assert "CanNotDelete lock 'keep-vnet'" in text(app, "#cleanup-detail")
        await pilot.press("a")
        await pilot.press("d")
        await pilot.pause()
        dry = text(app, "#cleanup-dry-text")
        assert "Cannot be deleted now — explained, never forced" in dry
        assert "the CanNotDelete lock 'keep-vnet' on Virtual network 'Yolo-VNet'" in dry
        assert "Azure would answer ScopeLocked" in dry
        assert "az lock delete --name 'keep-vnet' --resource-group 'Yolo-RG'" in dry
        assert "azwizard never removes locks itself" in dry
        assert "Not now" in dry and "Network security group Yolo-NSG" in dry
        await pilot.press("x")
        await type_confirmation(app, pilot)
        report = text(app, "#cleanup-run-report")
        assert "Partly done" in report and "Not deleted (1)" in report and "Not attempted (2)" in report
        assert "✖ Virtual network Yolo-VNet — Virtual network Yolo-VNet cannot be deleted: the CanNotDelete lock" in report
        assert "✓ Virtual machine Yolo-VM" in report
        table = app.screen.query_one("#cleanup-run-table", DataTable)
        assert "blocked" in str(table.get_row_at(table.row_count - 3)[2])
        await pilot.press("r")  # retry the rest: still blocked, so the dry run explains it again
        await settle(app, pilot)
        assert isinstance(app.screen, DryRunScreen)
        assert "keep-vnet" in text(app, "#cleanup-dry-text")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CleanupScreen)  # straight back to the (re-read) inventory
        assert {"Yolo-VNet", "Yolo-NSG", "Yolo-RG"} <= {r.item.name for r in screen(app).rows if r.item}
        assert "Yolo-VM" not in {r.item.name for r in screen(app).rows if r.item}
    assert not deletes(sim, "/virtualNetworks/") and not deletes(sim, "/networkSecurityGroups/")
    assert sim.locks and sim.get(f"{sim.group_id('Yolo-RG')}/providers/Microsoft.Network/virtualNetworks/Yolo-VNet")


async def test_a_partial_failure_is_reported_and_the_rest_retried_with_one_key(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        sim = await open_cleanup(app, pilot, holder, cluster=False)
        sim.faults.fail_async("DELETE", r"/virtualMachines/Yolo-VM$", code="OperationNotAllowed",
                              message="The operation is not allowed while the VM is being updated.")
        await goto(app, pilot, "run:run-vm")
        await pilot.press("space", "d", "x")
        await type_confirmation(app, pilot)
        assert isinstance(app.screen, DeleteScreen)
        report = text(app, "#cleanup-run-report")
        assert "Not deleted (1)" in report and "not allowed while the VM is being updated" in report
        assert "Not attempted" in report and "Press r to retry" in report
        table = app.screen.query_one("#cleanup-run-table", DataTable)
        vm_key = key(f"{sim.group_id('Yolo-RG')}/providers/Microsoft.Compute/virtualMachines/Yolo-VM")
        assert "not deleted" in str(table.get_cell(vm_key, "State"))
        assert sim.get(vm_key) is not None
        # a transient fault in the second run is retried by the engine, and the row says so
        sim.faults.fail_async("DELETE", r"/virtualNetworks/Yolo-VNet$", code="InternalServerError",
                              message="An internal error occurred.")
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, DeleteScreen)
        assert "Done: 8 resource(s) deleted" in text(app, "#cleanup-run-report")
        vnet_key = key(f"{sim.group_id('Yolo-RG')}/providers/Microsoft.Network/virtualNetworks/Yolo-VNet")
        table = app.screen.query_one("#cleanup-run-table", DataTable)
        assert "deleted" in str(table.get_cell(vnet_key, "State"))
        assert "(attempt 2)" in str(table.get_cell(vnet_key, "Detail"))
        assert len(deletes(sim, "/virtualNetworks/Yolo-VNet")) == 2
    assert not any(k.startswith(sim.group_id("Yolo-RG").lower()) for k in ids_in(sim))


async def test_aks_stop_and_start_with_the_advice_and_the_power_state(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        sim = await open_cleanup(app, pilot, holder, vm=False)
        await goto(app, pilot, "aks-rg")
        assert not screen(app).check_action("stop_cluster", ())  # only on a cluster's line
        await goto(app, pilot, "aks1")
        assert screen(app).check_action("stop_cluster", ())
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PowerConfirmScreen)
        advice = text(app, "#cleanup-power-advice")
        assert "wait at least 15–30 minutes" in advice and "may change its IP addresses" in advice
        await pilot.press("y")
        await settle(app, pilot)
        assert "stopped" in cells(app, "aks1")[3]
        assert "Stopped" in text(app, "#cleanup-detail")
        # the Standard tier fee and the nodes' managed OS disks; the nodes themselves are not billed
        assert shows(cells(app, "aks1"), expected_hourly(app)["aks_stopped"])
        assert not screen(app).check_action("stop_cluster", ()) and screen(app).check_action("start_cluster", ())
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PowerConfirmScreen)  # azwizard stopped it a moment ago: it says so
        assert app.screen.too_soon and "less than 15 minutes ago" in text(app, "#cleanup-power-what")
        await pilot.press("y")  # start anyway
        await settle(app, pilot)
        assert "running" in cells(app, "aks1")[3]
    actions = [r.path.rsplit("/", 1)[-1] for r in sim.requests if r.method == "POST" and "managedClusters" in r.path]
    assert actions == ["stop", "start"]


async def test_filters_by_run_group_type_and_age(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder)

        def names() -> set[str]:
            return {r.item.name for r in screen(app).rows if r.item is not None}

        everything = names()
        run = app.screen.query_one("#cleanup-filter-run", Select)
        run.value = "run-aks"
        await pilot.pause()
        assert names() == {"aks-rg", "aks1", "aks1acr", "MC_aks-rg_aks1_norwayeast",
                           next(r.item.name for r in screen(app).rows if r.item and r.item.kind == ROLE_ASSIGNMENT)}
        assert "filtered: 5 of 13 shown" in text(app, "#cleanup-summary")
        run.clear()
        kind = app.screen.query_one("#cleanup-filter-type", Select)
        kind.value = "microsoft.network/publicipaddresses"
        await pilot.pause()
        assert names() == {"Yolo-IPv4", "Yolo-IPv6"}
        assert [r.kind for r in screen(app).rows] == ["run", "group", "item", "item"]  # the group header stays
        assert cells(app, "group:run-vm:yolo-rg")[9] == ""  # azwizard's group, only hidden by the filter
        kind.clear()
        app.screen.query_one("#cleanup-filter-group", Select).value = "Yolo-RG"
        await pilot.pause()
        assert {"Yolo-VM", "Yolo-NIC"} <= names() and "aks1" not in names()
        app.screen.query_one("#cleanup-filter-group", Select).clear()
        app.screen.query_one("#cleanup-filter-age", Select).value = "1"  # older than 1 day
        await pilot.pause()
        assert names() == {"aks-rg", "aks1", "aks1acr"}  # 45 h old; the VM run is 21 h old
        app.screen.query_one("#cleanup-filter-age", Select).clear()
        await pilot.pause()
        assert names() == everything
        await pilot.press("f")  # f focuses the filters, esc goes back to the table
        assert app.focused is app.screen.query_one("#cleanup-filter-run")
        await pilot.press("escape")
        assert isinstance(app.screen, CleanupScreen)
        assert app.focused is app.screen.query_one("#cleanup-table")


async def test_the_filter_menus_follow_the_first_frame_with_the_choices_read_before_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The four menus are mounted once the screen has shown its first frame (issue 26: their styling was a third
    of the screen's opening). An inventory read before they arrive still gives them its runs, and f pressed
    before then focuses the run menu once it is there."""
    import asyncio

    from tui_helpers import wait_until

    arrive = asyncio.Event()
    mount = CleanupScreen._mount_filters

    def held(self: CleanupScreen) -> None:  # the screen's messages go on meanwhile
        async def later() -> None:
            await arrive.wait()
            await mount(self)

        tasks.append(asyncio.get_running_loop().create_task(later()))

    tasks: list[asyncio.Task[None]] = []

    monkeypatch.setattr(CleanupScreen, "_mount_filters", held)
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_cleanup(app, pilot, holder)
        assert screen(app).rows and not app.screen.query(Select)  # the inventory is in, the menus not yet
        await pilot.press("f")
        assert app.focused is app.screen.query_one("#cleanup-table")
        arrive.set()
        await wait_until(pilot, lambda: len(app.screen.query(Select)) == 4, what="the filter menus")
        run = app.screen.query_one("#cleanup-filter-run", Select)
        await wait_until(pilot, lambda: app.focused is run, what="the run menu focused")
        assert {value for _, value in screen(app)._filter_options["cleanup-filter-run"]} == {"run-vm", "run-aks"}
        run.value = "run-aks"
        await pilot.pause()
        assert "filtered: 5 of 13 shown" in text(app, "#cleanup-summary")


def test_ages_and_costs_say_unknown_when_they_are() -> None:
    from azwizard.screens.cleanup.view import age_text, hourly_text, monthly_text

    from azwizard.cleanup.costs import FREE, Cost, CostPart, cluster_cost, unknown, vm_cost

    assert [age_text(x) for x in (None, dt.timedelta(seconds=5), dt.timedelta(minutes=7), dt.timedelta(hours=5),
                                  dt.timedelta(days=3, hours=23))] == ["unknown", "<1 min", "7 min", "5 h", "3 d"]
    assert (hourly_text(vm_cost("Standard_D2s_v5")), monthly_text(vm_cost("Standard_D2s_v5"))) == ("$0.0960", "$70.08")
    assert (hourly_text(FREE), monthly_text(FREE)) == ("free", "free")
    odd = vm_cost("Standard_Weird_v9")
    assert (hourly_text(odd), monthly_text(odd), hourly_text(None), hourly_text(Cost())) == (
        "unknown", "unknown", "unknown", "unknown")
    partly = cluster_cost("Standard", [{"vmSize": "Standard_Weird_v9", "count": 3}])
    assert hourly_text(partly).endswith("+?") and monthly_text(partly).endswith("+?")  # known part + unknown
    assert hourly_text(unknown("x", "why") + Cost((CostPart("y", 0.0),))) == "unknown"


async def test_the_backup_promise_stop_protection_delete_data_then_vault_and_group(tmp_path: Path) -> None:
    """The Backup step says a vault with backups cannot be deleted until protection is stopped and the data
    deleted: cleanup offers exactly that (typed vault name, soft delete explained), then deletes it all."""
    from azwizard.screens.cleanup import BackupConfirmScreen
    from textual.widgets import Checkbox

    from azwizard.specs.vm import BackupSpec

    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim = holder["sim"]
        make_vm_run(sim, app.session.factory, journal_dir(), backup=BackupSpec(enabled=True))  # type: ignore[union-attr]
        await pilot.press("c")
        await settle(app, pilot)
        await goto(app, pilot, "run:run-vm")
        await pilot.press("space", "d")
        await settle(app, pilot)
        dry = text(app, "#cleanup-dry-text")
        assert "still protects 1 item(s) (Yolo-VM)" in dry and "Press b to have azwizard stop protection" in dry
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, BackupConfirmScreen)
        explained = text(app, "#cleanup-backup-text")
        assert "14 days" in explained and "learn.microsoft.com/azure/backup" in explained
        assert app.screen.query_one(Checkbox).value is False  # the recoverable choice unless ticked
        app.screen.query_one(Checkbox).value = True  # turn soft delete off: the vault can go now
        await pilot.press("enter")  # nothing typed: refused
        await pilot.pause()
        assert isinstance(app.screen, BackupConfirmScreen) and "Type Yolo-RSV" in text(app, "#cleanup-backup-error")
        app.screen.query_one("#cleanup-backup-input", Input).value = "Yolo-RSV"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DryRunScreen)
        dry = text(app, "#cleanup-dry-text")
        assert "Backup data of Yolo-VM (vault Yolo-RSV)" in dry and "Cannot be deleted now" not in dry
        assert dry.index("Backup data of Yolo-VM") < dry.index("Recovery Services vault Yolo-RSV")
        assert "deleted at once, for good" in dry  # the irreversible choice, said
        assert not [r for r in sim.requests if r.method in ("DELETE", "PATCH")]  # still nothing sent
        await pilot.press("x")
        await type_confirmation(app, pilot)
        assert isinstance(app.screen, DeleteScreen)
        report = text(app, "#cleanup-run-report")
        assert "Done:" in report and "✓ Backup data of Yolo-VM (vault Yolo-RSV)" in report, report
        assert "✓ Recovery Services vault Yolo-RSV" in report and "✓ Resource group Yolo-RG" in report
        assert "deleted at once, for good" in report
    assert not ids_in(sim)
