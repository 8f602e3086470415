"""SVG snapshots of the screens (fixed terminal size, deterministic data). Update with
`pytest tests/test_snapshots.py --snapshot-update` after an intended change, and look at the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.app import AzWizardApp
from azwizard.screens.vm.journey import VmJourney
from tui_helpers import workers_done

from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import AzureSession
from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT
from azwizard.specs.vm import NetworkSpec, VmSpec

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def fixed_prices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Prices fetched from the simulator carry the date fetched: a fixed date (and a cache of this test's
    own) keeps the pictures the same every day."""
    from datetime import date

    import azwizard.pricing.store as store

    monkeypatch.setattr(store, "utc_today", lambda: date(2026, 11, 26))
    monkeypatch.setattr(store, "cache_path", lambda region, currency, simulated=False:
                        tmp_path / "prices" / f"{region}-{currency}-{simulated}.json")
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop azureuser@Yolo-VM"


def demo_app(tmp_path: Path) -> AzWizardApp:
    def connect() -> AzureSession:
        return open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT).session

    app = AzWizardApp(connect, demo=True)
    journey = VmJourney(VmSpec.for_base("Yolo", network=NetworkSpec(ipv6_space="fd12:3456:789a::/48"),
                                        ssh_public_key=KEY))
    journey.run_id = "20261126-030000-abcd"
    journey.created_at = "2026-11-26T03:00:00Z"
    app.journeys["vm"] = journey
    return app


async def settle(pilot: Any) -> None:
    """Wait until workers are done, live facts have arrived, deferred focus has landed and animations have
    finished — on a loaded CI machine too (conditions, not fixed sleeps, decide)."""
    import time

    app = pilot.app
    deadline = time.monotonic() + 60
    while True:
        for _ in range(3):
            await workers_done(app)
            await pilot.pause()
        journeys = getattr(app, "journeys", {}).values()
        loading = any(getattr(j, "facts_loading", False) for j in journeys)
        busy = any(not w.is_finished for w in app.workers)
        if not loading and not busy:
            break
        # a picture taken while facts are still loading would differ: fail saying so, never take it
        assert time.monotonic() < deadline, "still loading live facts after 60 s"
        await pilot.pause(0.05)
    steady_cursors(pilot)  # every snapshot: the cursor is drawn steadily, whatever the time
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.05)
    await pilot.pause()


def test_home(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_help(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_sign_in_problem(snap_compare: Any) -> None:
    def connect() -> AzureSession:
        raise AzwizardError("You are not signed in to Azure (the Azure CLI has no account)",
                            "Run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET.")

    assert snap_compare(AzWizardApp(connect), terminal_size=SIZE, run_before=settle)


@pytest.mark.parametrize(("name", "steps"), [("basics", 0), ("network", 1), ("public_ips", 2), ("nat", 3),
                                             ("nsg", 4), ("vm", 5), ("backup", 6), ("cloud_init", 7),
                                             ("review", 8)])
def test_vm_steps(snap_compare: Any, tmp_path: Path, name: str, steps: int) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=SIZE, run_before=open_step("v", steps))


# ------------------------------------------------------------------------------------------- AKS journey



def aks_app(tmp_path: Path) -> AzWizardApp:
    from azwizard.screens.aks.journey import AksJourney

    from azwizard.specs.aks import POD_CIDR_V4, SERVICE_CIDR_V4, AksNetworkSpec, preset_dev_dual_stack

    def connect() -> AzureSession:
        return open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT).session

    app = AzWizardApp(connect, demo=True)
    network = AksNetworkSpec(pod_cidrs=(POD_CIDR_V4, "fd12:3456:789a::/64"),
                             service_cidrs=(SERVICE_CIDR_V4, "fd12:3456:789a:1::/108"))
    journey = AksJourney(preset_dev_dual_stack().with_(network=network, authorized_ip_ranges=("20.100.1.2/32",)))
    journey.preset = "dev"
    journey.run_id = "20261126-030000-abcd"
    journey.created_at = "2026-11-26T03:00:00Z"
    app.journeys["aks"] = journey
    return app


def steady_cursors(pilot: Any) -> None:
    """A blinking cursor is on or off depending on when the picture is taken: keep it on."""
    from textual.widgets import Input, TextArea

    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
            if isinstance(widget, TextArea):
                # TextArea caches its lines under a key that is the same for "blinking, cursor hidden just now"
                # and "not blinking": a line painted in the blink's off phase came back without its cursor
                # (test_vm_steps[cloud_init-7] failed so on a loaded machine). Paint afresh.
                widget._line_cache.clear()
                widget.refresh()


@pytest.mark.parametrize(("name", "steps"), [("basics", 0), ("presets", 1), ("node_pools", 2), ("networking", 3),
                                             ("access", 4), ("operations", 5), ("review", 6)])
def test_aks_steps(snap_compare: Any, tmp_path: Path, name: str, steps: int) -> None:
    assert snap_compare(aks_app(tmp_path), terminal_size=SIZE, run_before=open_step("k", steps))


@pytest.fixture
def fixed_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The done screen names the kubeconfig it wrote as ~/...: a temporary home makes that path fixed."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "azwizard"))
    return tmp_path / "azwizard"


def create_and_fix_fqdn() -> Any:
    async def run_before(pilot: Any) -> None:
        await open_step("k", 6)(pilot)
        await pilot.press("c")
        await settle(pilot)
        steady_cursors(pilot)
        await settle(pilot)
        # The API server's FQDN ends in a random hash (as in Azure): show a fixed one.
        done = next(s for s in pilot.app.screen_stack if hasattr(s, "title_text"))
        done.result.outputs["aks"]["fqdn"] = "aks-dev-aks-dev-RG-5a1b0c-00000000.hcp.norwayeast.azmk8s.io"
        done.query_one("#done-title").update(done.title_text())
        steady_cursors(pilot)
        await settle(pilot)

    return run_before


def test_aks_done(snap_compare: Any, tmp_path: Path, fixed_data_dir: Path) -> None:
    assert snap_compare(aks_app(tmp_path), terminal_size=SIZE, run_before=create_and_fix_fqdn())


def test_aks_kubeconfig_confirmation(snap_compare: Any, tmp_path: Path, fixed_data_dir: Path) -> None:
    config = fixed_data_dir / "demo" / "kube" / "config"
    config.parent.mkdir(parents=True)
    config.write_text("apiVersion: v1\nkind: Config\nclusters:\n- name: aks-dev\n  cluster: {server: https://old:443}\n"
                      "contexts: []\nusers: []\n")
    assert snap_compare(aks_app(tmp_path), terminal_size=SIZE, run_before=create_and_fix_fqdn())


# ------------------------------------------------------------------------------------------- cleanup

CLEANUP_NOW = "2026-11-26T00:00:00+00:00"  # ages against a fixed clock: the VM run 21 h old, the cluster's 45 h


def cleanup_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AzWizardApp, dict[str, Any]]:
    """Demo app with its own journal dir; runs are created through the engine in run_before. Resources the
    simulator stamps with the real time (a VM's OS disk) are younger than the clock, so they show "<1 min"."""
    import datetime as dt

    from azwizard.screens.cleanup import CleanupState

    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    holder: dict[str, Any] = {}

    def connect() -> AzureSession:
        d = open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT)
        d.sim.cost_now = lambda: dt.datetime.fromisoformat(CLEANUP_NOW)  # type: ignore[attr-defined]
        holder["sim"] = d.sim
        return d.session

    app = AzWizardApp(connect, demo=True)
    now = dt.datetime.fromisoformat(CLEANUP_NOW)
    app.journeys["cleanup"] = CleanupState(now=lambda: now, deleter_options={"poll_interval": 0.01, "retry_delay": 0})
    return app, holder


def cleanup_before(holder: dict[str, Any], *keys: str, cluster: bool = True, lock: bool = False) -> Any:
    async def run_before(pilot: Any) -> None:
        from cleanup_helpers import make_cluster, make_vm_run

        from azwizard.paths import journal_dir

        await settle(pilot)
        factory = pilot.app.session.factory
        make_vm_run(holder["sim"], factory, journal_dir())
        if cluster:
            make_cluster(factory, journal_dir())
        if lock:
            factory.locks().management_locks.create_or_update_at_resource_level(
                "Yolo-RG", "Microsoft.Network", "", "virtualNetworks", "Yolo-VNet", "keep-vnet",
                {"level": "CanNotDelete", "notes": "shared with the lab"})
        await pilot.press("c")
        await settle(pilot)
        for k in keys:
            await pilot.press(k)
            await settle(pilot)
        await type_confirmation(pilot)
        steady_times(pilot)
        await settle(pilot)

    return run_before


def steady_times(pilot: Any) -> None:
    """A deletion's elapsed times depend on the machine's speed: show them as 00:00."""
    from azwizard.screens.cleanup import DeleteScreen
    from textual.widgets import DataTable

    screen = pilot.app.screen
    if isinstance(screen, DeleteScreen) and screen.result is not None:
        screen.result.elapsed = 0.0
        table = screen.query_one("#cleanup-run-table", DataTable)
        for row_key in list(table.rows):
            if table.get_cell(row_key, "Time"):
                table.update_cell(row_key, "Time", "00:00")
        screen._finished()


async def type_confirmation(pilot: Any) -> None:
    """Deleting a VM or several resources asks for a typed answer: type it, as the user would."""
    from azwizard.screens.cleanup import TypedConfirmScreen
    from textual.widgets import Input

    screen = pilot.app.screen
    if isinstance(screen, TypedConfirmScreen):
        screen.query_one(Input).value = screen.expected
        await pilot.press("enter")
        await settle(pilot)


def test_cleanup_inventory(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, holder = cleanup_app(tmp_path, monkeypatch)
    # select the VM run (a), then move down to the run's VM to show its details
    assert snap_compare(app, terminal_size=SIZE, run_before=cleanup_before(holder, "a", "down", "down"))


def test_cleanup_dry_run(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, holder = cleanup_app(tmp_path, monkeypatch)
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=cleanup_before(holder, "a", "d", cluster=False, lock=True))


def test_cleanup_report(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, holder = cleanup_app(tmp_path, monkeypatch)
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=cleanup_before(holder, "a", "d", "x", cluster=False, lock=True))


# ------------------------------------------------------------------------------------------- 80x24
# The smallest terminal azwizard supports: every step, the review, create, done and cleanup must stay usable
# (issue 12 item 4). Each step is opened directly (the journey's own step screen pushed over Basics) rather
# than walked to, to keep the suite quick, as the 120-column tests above do (the walk itself is tested in
# test_vm_journey.py and test_aks_journey.py).

SMALL = (80, 24)


def open_step(journey_key: str, n: int, *, focus: str | None = None) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(journey_key)
        await settle(pilot)
        if n:
            step = pilot.app.screen
            pilot.app.push_screen(step.flow.steps[n](step.journey, step.flow))
            await settle(pilot)
        if focus is not None:  # a part of the form further down, as a user scrolls to it
            widget = pilot.app.screen.query_one(focus)
            widget.focus()
            await settle(pilot)
            pilot.app.screen.query_one(".wizard-form").scroll_to_widget(widget, animate=False, top=True)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize(("name", "steps", "focus"), [
    pytest.param(name, steps, focus, id=name) for name, steps, focus in (
        ("basics", 0, None), ("network", 1, None), ("public_ips", 2, None), ("nat", 3, None),
        ("nsg", 4, "#rule-name"), ("vm", 5, "#size-filter"), ("backup", 6, None), ("cloud_init", 7, None),
        ("review", 8, None))])
def test_vm_steps_80x24(snap_compare: Any, tmp_path: Path, name: str, steps: int, focus: str | None) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=SMALL, run_before=open_step("v", steps, focus=focus))


@pytest.mark.parametrize(("name", "steps"), [("basics", 0), ("presets", 1), ("node_pools", 2), ("networking", 3),
                                             ("access", 4), ("operations", 5), ("review", 6)])
def test_aks_steps_80x24(snap_compare: Any, tmp_path: Path, name: str, steps: int) -> None:
    assert snap_compare(aks_app(tmp_path), terminal_size=SMALL, run_before=open_step("k", steps))


def test_aks_done_80x24(snap_compare: Any, tmp_path: Path, fixed_data_dir: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await open_step("k", 6)(pilot)
        await pilot.press("c")
        await settle(pilot)
        done = next(s for s in pilot.app.screen_stack if hasattr(s, "title_text"))
        done.result.outputs["aks"]["fqdn"] = "aks-dev-aks-dev-RG-5a1b0c-00000000.hcp.norwayeast.azmk8s.io"
        done.query_one("#done-title").update(done.title_text())
        await settle(pilot)

    assert snap_compare(aks_app(tmp_path), terminal_size=SMALL, run_before=run_before)


def test_vm_create_failed_80x24(snap_compare: Any, tmp_path: Path) -> None:
    """The create screen (it stays when a resource fails): the table of resources and the error fit."""
    holder: dict[str, Any] = {}

    def connect() -> AzureSession:
        demo = open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT)
        demo.sim.faults.error("PUT", r"/virtualMachines/Yolo-VM$", status=409, code="SkuNotAvailable",
                              message="The requested VM size Standard_B2s is currently not available in location "
                                      "'norwayeast'. Please try another size or deploy to a different location.")
        holder["sim"] = demo.sim
        return demo.session

    app = AzWizardApp(connect, demo=True)
    app.journeys["vm"] = demo_app(tmp_path).journeys["vm"]

    async def run_before(pilot: Any) -> None:
        from textual.widgets import DataTable, Static

        await open_step("v", 8)(pilot)
        await pilot.press("c")
        await settle(pilot)
        # the journal's path is under the test's temporary data dir, the times depend on the machine: fix both
        run_id = app.journeys["vm"].run_id
        pilot.app.screen.query_one("#create-journal", Static).update(
            f"[dim]Journal: ~/.local/share/azwizard/journal/{run_id}.jsonl — it records each resource before its "
            "request and after Azure's answer.[/dim]")
        screen = pilot.app.screen
        screen.result.elapsed = 0.0
        screen._finished()
        table = screen.query_one("#create-table", DataTable)
        for row_key in list(table.rows):
            if table.get_cell(row_key, "Time"):
                table.update_cell(row_key, "Time", "00:00")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize(("name", "keys", "cluster", "lock"), [
    pytest.param("inventory", ("a", "down", "down"), True, False, id="inventory"),
    pytest.param("dry_run", ("a", "d"), False, True, id="dry_run"),
    pytest.param("report", ("a", "d", "x"), False, True, id="report")])
def test_cleanup_80x24(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                       keys: tuple[str, ...], cluster: bool, lock: bool) -> None:
    app, holder = cleanup_app(tmp_path, monkeypatch)
    assert snap_compare(app, terminal_size=SMALL, run_before=cleanup_before(holder, *keys, cluster=cluster, lock=lock))


def test_cleanup_backup_data_80x24(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The offer to stop protection and delete the backup data (issue 12 item 5): it fits 80x24."""
    app, holder = cleanup_app(tmp_path, monkeypatch)

    async def run_before(pilot: Any) -> None:
        from cleanup_helpers import make_vm_run

        from azwizard.paths import journal_dir
        from azwizard.specs.vm import BackupSpec

        await settle(pilot)
        make_vm_run(holder["sim"], pilot.app.session.factory, journal_dir(), backup=BackupSpec(enabled=True))
        for key in ("c", "a", "d", "b"):
            await pilot.press(key)
            await settle(pilot)
        pilot.app.screen.query_one("#cleanup-backup-box").scroll_home(animate=False)  # from its title down
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
