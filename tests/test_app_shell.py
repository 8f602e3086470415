"""The app shell in demo mode, driven with Textual's Pilot: header, home, journeys, help, sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from azwizard.screens.aks.steps import BasicsStep as AksBasicsStep
from azwizard.screens.app import AzWizardApp
from azwizard.screens.cleanup import CleanupScreen
from azwizard.screens.help import HelpScreen
from azwizard.screens.home import HomeScreen
from azwizard.screens.signin import SignInProblemScreen, SubscriptionPicker
from azwizard.screens.vm.steps import BasicsStep
from tui_helpers import workers_done

from azwizard.azure.errors import AzwizardError
from azwizard.azure.session import AzureSession
from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT


def demo_app(tmp_path: Path) -> AzWizardApp:
    def connect() -> AzureSession:
        return open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT).session

    return AzWizardApp(connect, demo=True)


async def settle(app: AzWizardApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await workers_done(app)
    await pilot.pause()


async def test_demo_header_names_the_simulated_subscription(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert app.session is not None
        assert app.session.simulated
        assert "SIMULATED" in app.sub_title
        assert "azwizard simulated subscription" in app.sub_title
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize(("key", "screen_type", "mode"), [("v", BasicsStep, "vm"), ("k", AksBasicsStep, "aks"),
                                                          ("c", CleanupScreen, "cleanup")])
async def test_home_reaches_each_journey_and_back(tmp_path: Path, key: str, screen_type: type, mode: str) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen_type)
        assert app.current_mode == mode
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_journey_selected_from_the_list_with_arrows_and_enter(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")  # highlight moves from the VM journey to AKS
        await pilot.pause()
        assert isinstance(app.screen, AksBasicsStep)


async def test_help_lists_keys_of_the_screen_below(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Cleanup" in keys and "AKS" in keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_sign_in_problem_shows_what_and_fix_and_retries() -> None:
    calls = {"n": 0}

    def connect() -> AzureSession:
        calls["n"] += 1
        raise AzwizardError("You are not signed in to Azure", "Run `az login`, then press r.")

    app = AzWizardApp(connect)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SignInProblemScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "not signed in" in text and "az login" in text
        assert app.session is None
        await pilot.press("r")
        await settle(app, pilot)
        assert calls["n"] == 2
        assert isinstance(app.screen, SignInProblemScreen)


async def test_unexpected_failure_is_explained_not_a_traceback() -> None:
    def connect() -> AzureSession:
        raise RuntimeError("boom")

    app = AzWizardApp(connect)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SignInProblemScreen)
        assert app.return_code is None  # still running: the error became a message


async def test_subscription_picker_opens_the_chosen_subscription(tmp_path: Path) -> None:
    from azwizard.azure.credentials import StaticTokenCredential
    from azwizard.azure.session import SubscriptionPickRequired, list_subscriptions
    from azwizard.sim import SIM_BASE_URL, ArmSim
    from azwizard.sim.transport import SimTransport

    sim = ArmSim()
    transport = SimTransport(sim)
    cred = StaticTokenCredential()

    def connect() -> AzureSession:
        choices = list_subscriptions(cred, base_url=SIM_BASE_URL, transport=transport)
        raise SubscriptionPickRequired(choices, credential=cred, base_url=SIM_BASE_URL, transport=transport)

    app = AzWizardApp(connect)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SubscriptionPicker)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.session is not None
        assert app.session.subscription_id == sim.subscription_id
        assert "azwizard simulated subscription" in app.sub_title


async def test_f1_opens_help_even_while_typing_in_a_field(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        app.screen.query_one("#base_name").focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        assert "Next" in keys and "Back" in keys  # inherited from the wizard frame



async def test_home_opens_add_ipv6_with_the_demos_ipv4_only_vm(tmp_path: Path) -> None:
    """`i` on Home opens "Add IPv6 to an existing VM"; in demo mode its list offers the IPv4-only Legacy-RG VM,
    made with plain PUTs when the screen reads the VMs (as `azwizard --demo vm add-ipv6` does)."""
    from azwizard.screens.vm.add_ipv6 import AddIpv6Screen
    from textual.widgets import DataTable

    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, AddIpv6Screen)
        await settle(app, pilot)
        table = app.screen.query_one("#ipv6-vms", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Legacy-RG", "legacy-vm"] in [r[:2] for r in rows], rows
        assert next(r for r in rows if r[1] == "legacy-vm")[5] == "—"  # IPv4 only
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
