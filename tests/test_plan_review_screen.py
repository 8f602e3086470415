"""The wizard's side of issue 11, with Textual's Pilot against the simulator: the review shows what each PUT
would do (read in a worker), a conflict disables Create, adopting is explicit, an update needs a yes, and
the home screen offers to resume an interrupted run, which then continues without sending anything twice."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import cli_helpers
from azwizard.screens.app import AzWizardApp
from azwizard.screens.plan_diff import AdoptScreen, ConfirmUpdatesScreen
from azwizard.screens.review import CreateScreen, ReviewStep
from azwizard.screens.vm import VM_FLOW, VmJourney
from azwizard.screens.vm.done import VmDoneScreen
from azwizard.screens.vm.steps import NetworkStep
from existing_helpers import (
    VM_PROFILE,
    apply,
    connection,
    foreign_vm_neighbours,
    killed_run,
    profile,
    profile_text,
    puts,
    session_on,
)
from textual.widgets import Input
from tui_helpers import record_notifications, workers_done

from azwizard.sim import ArmSim

data_dir = cli_helpers.data_dir


async def settle(app: AzWizardApp, pilot: Any) -> None:
    for _ in range(4):
        await workers_done(app)
        await pilot.pause()


def app_on(sim: ArmSim) -> AzWizardApp:
    return AzWizardApp(lambda: session_on(sim), demo=True)


async def open_review(app: AzWizardApp, pilot: Any, spec: Any) -> ReviewStep:
    await settle(app, pilot)
    return await show_review(app, pilot, VmJourney(spec))


async def show_review(app: AzWizardApp, pilot: Any, journey: VmJourney) -> ReviewStep:
    app.journeys["vm"] = journey
    await pilot.press("v")
    await settle(app, pilot)
    app.push_screen(ReviewStep(journey, VM_FLOW))
    await settle(app, pilot)
    assert isinstance(app.screen, ReviewStep)
    return app.screen


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_review_shows_conflicts_and_create_is_refused_until_adopted(data_dir: Path) -> None:
    sim = ArmSim()
    foreign_vm_neighbours(connection(sim))
    app = app_on(sim)
    async with app.run_test(size=(130, 44)) as pilot:
        review = await open_review(app, pilot, profile(VM_PROFILE).spec)
        changes = text_of(review, "#review-diff")
        assert "! Network security group Yolo-NSG" in changes and "in conflict" in changes
        assert "made by: not azwizard: it has no tags" in changes
        assert "+ properties.securityRules[Allow-SSH]" in changes  # added beside the rule there (read-modify-write)
        assert "properties.securityRules[Allow-RDP]" not in changes  # which is kept
        assert "+ Virtual machine Yolo-VM" in changes
        verdict = text_of(review, "#review-verdict")
        conflicts = len(review.diff.conflicts)  # type: ignore[union-attr]
        assert conflicts >= 2 and "blocking finding" in verdict and f"{conflicts} in conflict" in verdict
        start = len(sim.requests)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep) and not any(isinstance(s, CreateScreen) for s in app.screen_stack)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AdoptScreen)
        said = record_notifications(app)
        await pilot.press("enter")  # nothing marked: it says how to mark, and adopts nothing
        await settle(app, pilot)
        assert isinstance(app.screen, AdoptScreen)
        assert any("Nothing is marked" in m for m in said)
        picker = app.screen.query_one("#adopt-list")
        picker.select(review.diff.get("nsg").resource_id)  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)
        assert review.diff is not None and review.diff.get("nsg").adopted  # type: ignore[union-attr]
        assert review.diff.get("pip4").action == "conflict"  # type: ignore[union-attr]
        assert "adopted on request" in text_of(review, "#review-diff")
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)  # the group and the public IP are still someone else's
    assert puts(sim, start) == []


async def test_an_update_needs_a_yes_and_changes_only_that_resource(data_dir: Path, tmp_path: Path) -> None:
    sim = ArmSim()
    code, first = apply(connection(sim), profile(VM_PROFILE))
    assert code == 0
    changed = profile_text(VM_PROFILE, tmp_path, replace={'"20.100.1.2/32"': '"20.100.1.9/32"'})
    app = app_on(sim)
    start = len(sim.requests)
    async with app.run_test(size=(130, 44)) as pilot:
        review = await open_review(app, pilot, changed.spec)
        assert review.diff is not None and review.diff.counts()["update"] == 1
        changes = text_of(review, "#review-diff")
        assert "~ Network security group Yolo-NSG" in changes and "20.100.1.2/32 → 20.100.1.9/32" in changes
        assert "made by: an earlier run of this vm journey" in changes
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmUpdatesScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep) and puts(sim, start) == []
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, VmDoneScreen), type(app.screen)
    nsg = first.plan.step("nsg").resource_id.lower()
    assert puts(sim, start) == [nsg]
    assert sim.get(nsg)["tags"]["azwizard-run"] == first.plan.run_id  # type: ignore[index]


async def test_home_offers_to_resume_an_interrupted_run_and_it_continues(data_dir: Path) -> None:
    sim = ArmSim()
    prof = profile(VM_PROFILE)
    run_id = killed_run(sim, prof, 9)  # a few resources made, the rest never sent
    app = app_on(sim)
    async with app.run_test(size=(130, 44)) as pilot:
        await settle(app, pilot)
        options = app.screen.query_one("#journeys")
        offer = options.get_option("resume")
        assert "Resume the interrupted run" in str(offer.prompt) and run_id in str(offer.prompt)
        await pilot.press("r")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewStep)
        assert app.journeys["vm"].run_id == run_id
        assert f"Continuing interrupted run {run_id}" in text_of(review, "#review-verdict")
        assert review.diff is not None and review.diff.counts()["unchanged"] >= 1
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, VmDoneScreen), type(app.screen)
    sent = Counter(puts(sim))
    assert set(sent.values()) == {1} and len(sent) == 7  # every resource PUT once over both attempts
    tags = {v["tags"]["azwizard-run"] for v in sim.snapshot().values() if (v.get("tags") or {}).get("created-by")}
    assert tags == {run_id}


async def _review_with_a_drawn_prefix(app: AzWizardApp, pilot: Any, edit_ipv6: str = "") -> ReviewStep:
    """The VM journey as a new wizard session starts it (a random IPv6 prefix drawn), the rest as the profile."""
    await settle(app, pilot)
    journey = VmJourney()
    spec = profile(VM_PROFILE).spec
    journey.spec = dataclasses.replace(spec, network=dataclasses.replace(
        spec.network, ipv6_space=journey.spec.network.ipv6_space, subnet_ipv6=""))
    if edit_ipv6:
        journey.set("network.ipv6_space", edit_ipv6)
    return await show_review(app, pilot, journey)


async def test_a_new_wizard_session_keeps_the_earlier_runs_ipv6_prefix(data_dir: Path) -> None:
    """Quit the wizard, start it again, same names: the VNet keeps the prefix it was created with (a new random
    one would be a conflict: a VNet with NICs cannot change its ranges); a prefix the user typed is kept."""
    sim = ArmSim()
    code, first = apply(connection(sim), profile(VM_PROFILE))
    assert code == 0
    made = first.plan.step("vnet").body["properties"]["addressSpace"]["addressPrefixes"]
    app = app_on(sim)
    async with app.run_test(size=(130, 44)) as pilot:
        review = await _review_with_a_drawn_prefix(app, pilot)
        assert review.journey.spec.network.ipv6_space in made
        assert review.diff is not None and review.diff.get("vnet").action == "unchanged"
        assert "! Virtual network" not in text_of(review, "#review-diff")
        # a Network step opened before the prefix changed, returned to: its field shows the spec's prefix
        network = NetworkStep(review.journey, VM_FLOW)
        app.push_screen(network)
        await settle(app, pilot)
        review.journey.spec = dataclasses.replace(review.journey.spec, network=dataclasses.replace(
            review.journey.spec.network, ipv6_space="fd11:2233:4455::/48", subnet_ipv6=""))
        app.push_screen(ReviewStep(review.journey, VM_FLOW))
        await settle(app, pilot)
        app.pop_screen()
        await settle(app, pilot)
        assert app.screen is network
        assert network.query_one("#network-ipv6_space", Input).value == "fd11:2233:4455::/48"
        assert network.query_one("#network-subnet_ipv6", Input).value == "fd11:2233:4455::/64"
    app = app_on(sim)
    async with app.run_test(size=(130, 44)) as pilot:
        review = await _review_with_a_drawn_prefix(app, pilot, edit_ipv6="fd00:1:2::/48")
        assert review.journey.spec.network.ipv6_space == "fd00:1:2::/48"
        assert review.diff is not None and review.diff.get("vnet").action == "conflict"


def test_the_update_dialog_says_who_made_what_it_changes() -> None:
    """An earlier run's resource keeps its run tags; an adopted one gets azwizard's and its cleanup deletes it."""
    from azwizard.plan.diff import Owner, StepDiff

    def entry(relation: str) -> StepDiff:
        return StepDiff("nsg", "Network security group Yolo-NSG", "nsg", "/x", "update",
                        owner=Owner(relation))  # type: ignore[arg-type]

    earlier = ConfirmUpdatesScreen([entry("same-journey")])._what()
    assert "An earlier run of this journey made it" in earlier and "adopted" not in earlier
    adopted = ConfirmUpdatesScreen([entry("adopted")])._what()
    assert "did not create" in adopted and "cleanup will delete it" in adopted and "earlier run" not in adopted
    both = ConfirmUpdatesScreen([entry("same-journey"), entry("adopted"), entry("adopted")])._what()
    assert "made it" in both and "You adopted 2" in both
