"""The done screens say who made the resource group from the journals and the group's tags, never from the
wizard's "exists already" (issue 19 item 7): after a resume, the run's own group (made by its first, killed
attempt) is the run's, with the group command; after a rerun that changed nothing, the group existed before and
the run that made it is named; a group someone else made is never offered for deletion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cli_helpers
from azwizard.screens.aks.done import cost_sections
from azwizard.screens.app import AzWizardApp
from azwizard.screens.vm.done import VmDoneScreen
from existing_helpers import VM_PROFILE, apply, connection, killed_run, profile, session_on
from test_plan_review_screen import open_review, settle, text_of

from azwizard.plan.diff import Owner
from azwizard.run.origin import group_id, group_owner
from azwizard.sim import ArmSim

data_dir = cli_helpers.data_dir


def app_on(sim: ArmSim) -> AzWizardApp:
    return AzWizardApp(lambda: session_on(sim), demo=True)


def when_done(app: Any) -> str:
    assert isinstance(app.screen, VmDoneScreen), type(app.screen)
    text = text_of(app.screen, "#done-text")
    return text[text.index("When you are done"):]


async def test_after_a_resume_the_group_the_first_attempt_made_is_the_runs(data_dir: Path) -> None:
    sim = ArmSim()
    run_id = killed_run(sim, profile(VM_PROFILE), 9)  # the group and a few resources made, then killed
    app = app_on(sim)
    async with app.run_test(size=(130, 44)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")  # resume: the journey reopens over Basics, which finds the group existing
        await settle(app, pilot)
        assert app.journeys["vm"].spec.use_existing_group  # what the old text went by
        await pilot.press("c")
        await settle(app, pilot)
        tail = when_done(app)
    assert "az group delete --name Yolo-RG" in tail, tail
    assert "did not create" not in tail and "existed before" not in tail, tail
    assert f"run {run_id}" in tail


async def test_after_a_rerun_that_changed_nothing_the_group_existed_before_and_its_run_is_named(
        data_dir: Path) -> None:
    sim = ArmSim()
    code, first = apply(connection(sim), profile(VM_PROFILE))
    assert code == 0
    app = app_on(sim)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_review(app, pilot, profile(VM_PROFILE).spec)
        await pilot.press("c")
        await settle(app, pilot)
        tail = when_done(app)
    assert "Nothing was created by this run" in tail
    assert "az group delete" not in tail and "or run:" not in tail
    assert "The group Yolo-RG existed before this run" in tail and first.plan.run_id in tail, tail


def test_a_group_someone_else_made_is_said_and_never_offered_for_deletion() -> None:
    from azwizard.plan.aks import plan_aks
    from azwizard.specs.aks import AksSpec

    spec = AksSpec()
    plan = plan_aks(spec, subscription_id="s", run_id="20261126-030000-new0", created_at="2026-11-26T03:00:00Z")
    delete = dict(cost_sections(spec, plan, Owner("foreign")))["Delete it"]
    assert "az group delete" not in delete and "az aks delete" in delete
    assert f"The group {spec.resource_group} existed before this run and is not azwizard's" in delete
    # a resumed run's group (this run made it), although the wizard found it existing: the group command
    mine = dict(cost_sections(spec.with_(use_existing_group=True), plan, Owner("this-run", plan.run_id)))
    assert f"az group delete --name {spec.resource_group}" in mine["Delete it"]


def test_the_groups_owner_is_read_from_the_journal_and_tags_not_the_name(data_dir: Path) -> None:
    sim = ArmSim()
    code, first = apply(connection(sim), profile(VM_PROFILE))
    assert code == 0
    factory = session_on(sim).factory
    assert group_id(first.plan) == f"/subscriptions/{sim.subscription_id}/resourceGroups/Yolo-RG"
    owner = group_owner(factory, first.plan)
    assert owner is not None and owner.relation == "this-run"
    # the same names, another group: deleted and made again by someone else without tags
    factory.resources().resource_groups.begin_delete("Yolo-RG").result()
    factory.resources().resource_groups.create_or_update("Yolo-RG", {"location": "norwayeast"})
    owner = group_owner(factory, first.plan)
    assert owner is not None and owner.relation == "foreign"
