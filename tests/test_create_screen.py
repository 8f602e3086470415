"""The create screen when things go wrong (issue 12 item 1): back to edit at the field the error names, retry
only what failed, leave with the run kept for cleanup, stop watching an AKS create and watch it again without
sending it twice, and ctrl+q asking first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azwizard.screens.confirm import YesNoScreen
from azwizard.screens.home import HomeScreen
from azwizard.screens.review import CreateScreen, ReviewStep
from azwizard.screens.vm.done import VmDoneScreen
from azwizard.screens.vm.steps import VmDetailsStep
from test_vm_journey import demo
from tui_helpers import aks_dev_journey, open_steps, settle, vm_journey, wait_until

from azwizard.journal import Journal
from azwizard.sim import ArmSim

SKU_MESSAGE = ("The requested size for resource '/subscriptions/x/resourceGroups/Yolo-RG/providers/Microsoft.Compute/"
               "virtualMachines/Yolo-VM' is currently not available in location 'norwayeast' zones '' for "
               "subscription 'x'. Please try another size or deploy to a different location or zones.")


def footer_keys(app: Any) -> set[str]:
    return {b.binding.description for b in app.screen.active_bindings.values()
            if b.binding.show and app.screen.check_action(b.binding.action, ())}


def puts_to(sim: ArmSim, name: str) -> int:
    return sum(1 for r in sim.requests if r.method == "PUT" and r.path.lower().endswith(name.lower()))


async def fail_the_vm(app: Any, pilot: Any, holder: dict[str, ArmSim]) -> ArmSim:
    """The review of a ready VM journey (its VM step beneath, where "back to edit" goes), then a create whose VM
    PUT Azure refuses."""
    await open_steps(app, pilot, "vm", ReviewStep, journey=vm_journey(), under=(VmDetailsStep,))
    sim = holder["sim"]
    sim.faults.error("PUT", r"/virtualMachines/Yolo-VM$", status=409, code="SkuNotAvailable", message=SKU_MESSAGE)
    await pilot.press("c")
    await settle(app, pilot)
    assert isinstance(app.screen, CreateScreen)
    assert app.screen.result is not None and app.screen.result.failed == ["vm"]
    return sim


async def test_a_failed_create_goes_back_to_the_field_the_error_names_and_creates_only_the_rest(
        tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        sim = await fail_the_vm(app, pilot, holder)
        assert {"Back to edit", "Retry what is left", "Leave", "Clean up this run"} <= footer_keys(app)
        assert "Stop watching" not in footer_keys(app)
        status = str(app.screen.query_one("#create-status").render())
        assert "1 resource(s) failed" in status and "Virtual machine › size" in status
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, VmDetailsStep)
        assert app.focused is not None and app.focused.id == "size"
        network_puts = puts_to(sim, "/virtualNetworks/Yolo-VNet")
        for _ in range(3):  # VM -> backup -> cloud-init -> review
            await pilot.press("ctrl+n")
            await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, VmDoneScreen)
        assert puts_to(sim, "/virtualNetworks/Yolo-VNet") == network_puts  # what existed was not sent again
        assert puts_to(sim, "/virtualMachines/Yolo-VM") == 2


async def test_retry_sends_only_what_failed(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        sim = await fail_the_vm(app, pilot, holder)
        before = {n: puts_to(sim, n) for n in ("/networkSecurityGroups/Yolo-NSG", "/networkInterfaces/Yolo-NIC")}
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, VmDoneScreen)
        assert {n: puts_to(sim, n) for n in before} == before
        assert puts_to(sim, "/virtualMachines/Yolo-VM") == 2


async def test_esc_goes_back_to_edit_and_leave_keeps_the_run_for_cleanup(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await fail_the_vm(app, pilot, holder)
        await pilot.press("escape")  # esc is "back to edit" too
        await settle(app, pilot)
        assert isinstance(app.screen, VmDetailsStep)
    app, holder = demo(tmp_path / "second")
    async with app.run_test(size=(130, 44)) as pilot:
        await fail_the_vm(app, pilot, holder)
        run_id = app.screen.plan.run_id
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("v")  # the journey opens on its review, not on the finished create screen
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)
    states = {s.step: s.state for s in Journal(run_id).resources().values()}
    assert states["vm"] == "failed-absent" and states["vnet"] == "created"


async def test_ctrl_q_during_a_create_asks_first(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=vm_journey())
        holder["sim"].min_polls = 10**9  # nothing finishes: the create keeps running
        holder["sim"].unwatched_after = 10**9  # and time alone does not finish them (sim/core.py time model)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CreateScreen) and any(
            e.state == "running" for e in app.screen.events), what="a resource being created")
        assert isinstance(app.screen, CreateScreen) and app.screen.running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, YesNoScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CreateScreen) and app.is_running
        await pilot.press("x")  # stop watching; the run ends with everything in flight
        await settle(app, pilot)  # (the operations finish only after it: finished first, the run would succeed)
        assert isinstance(app.screen, CreateScreen) and app.screen.result is not None
        status = str(app.screen.query_one("#create-status").render())
        assert "0 resource(s) failed" not in status and "Stopped watching" in status


async def test_stop_watching_an_aks_create_then_watch_it_again_without_sending_it_twice(tmp_path: Path) -> None:
    from azwizard.screens.aks.done import AksDoneScreen
    from test_aks_journey import demo as aks_demo

    app, holder = aks_demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "aks", ReviewStep, journey=aks_dev_journey())
        sim = holder["sim"]
        sim.min_polls = 10**9  # the cluster is not finished until the test says so (sim/core.py time model)
        sim.unwatched_after = 10**9
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CreateScreen) and any(
            e.key == "aks" and e.state == "running" for e in app.screen.events), what="the cluster being created")
        assert isinstance(app.screen, CreateScreen) and app.screen.running
        await pilot.press("x")
        await settle(app, pilot)
        result = app.screen.result
        assert result is not None and result.failed == [] and result.in_flight == ["aks"]
        status = str(app.screen.query_one("#create-status").render())
        assert "failed" not in status
        assert "Stopped watching" in status and "Still being created in Azure: AKS cluster" in status
        cluster_puts = [r for r in sim.requests if r.method == "PUT" and "/managedClusters/" in r.path]
        assert len(cluster_puts) == 1
        for op in sim.ops.values():  # Azure finishes the cluster while nobody watches
            op.min_progress = 0
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, AksDoneScreen), type(app.screen)
        assert len([r for r in sim.requests if r.method == "PUT" and "/managedClusters/" in r.path]) == 1
