"""Blockers found before create (issue 19 item 3), headless: a region the subscription may not use, and a ReadOnly
lock on the target group, are blocking findings of `vm plan` / `vm apply` (exit 1) before anything is sent; a
CanNotDelete lock is a warning (the create works, cleanup would be blocked). The picker marks such regions."""

from __future__ import annotations

from pathlib import Path

import cli_helpers
import pytest
from azwizard.screens.wizard import region_options
from cli_helpers import EXAMPLES, demo_state, main_in_process
from conftest import SdkClients

from azwizard.facts import Region, SubscriptionFacts
from azwizard.sim import ArmSim

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAM+Y7x+NS548G3RRcpSSlEjLKa47rk45XyCGsobMClj me@laptop"

data_dir = cli_helpers.data_dir


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own journals: another test's run of the same names would make these resources "ours"."""
    data = tmp_path / "own-data"
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(data))
    return data


def profile_in(tmp_path: Path, location: str = "norwayeast") -> Path:
    text = (EXAMPLES / "yolo-vm.toml").read_text().replace('location = "norwayeast"', f'location = "{location}"')
    path = tmp_path / "vm.toml"
    path.write_text(text)
    return path


def lock_group(data_dir: Path, level: str) -> None:
    """Yolo-RG exists in the demo subscription with a lock on it (made as a user would, through the SDK)."""
    sim = ArmSim(persist_path=data_dir / "demo" / "simulator-state.json")
    sdk = SdkClients(sim)
    sdk.resources.resource_groups.create_or_update("Yolo-RG", {"location": "norwayeast"})
    sdk.locks.management_locks.create_or_update_at_resource_group_level("Yolo-RG", "freeze", {"level": level})


def puts(data_dir: Path) -> set[str]:
    return {k for k in demo_state(data_dir) if "/resourcegroups/yolo-rg/" in k.lower()}


def test_plan_in_a_region_the_subscription_cannot_use_is_blocked(data_dir: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "vm", "plan", str(profile_in(tmp_path, "southafricawest"))], capsys)
    assert res.code == 1, res.out + res.err
    assert "vm-region-access" in res.out and "South Africa West (southafricawest) is not available" in res.out
    assert "List of available regions" not in res.out + res.err  # one sentence, not the region list (item 23)


def test_apply_in_a_region_the_subscription_cannot_use_sends_nothing(data_dir: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "vm", "apply", str(profile_in(tmp_path, "southafricawest")), "--yes"], capsys)
    assert res.code == 1 and "vm-region-access" in res.out and "nothing was created" in res.err
    assert demo_state(data_dir) == {}


def test_a_readonly_lock_on_the_group_blocks_plan_and_apply(data_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    lock_group(data_dir, "ReadOnly")
    plan = main_in_process(["--demo", "vm", "plan", str(profile_in(tmp_path))], capsys)
    assert plan.code == 1 and "vm-group-locks" in plan.out
    assert "ReadOnly lock 'freeze'" in plan.out and "az lock delete --name 'freeze' --resource-group 'Yolo-RG'" in \
        plan.out.replace("\n", " ").replace("  ", " ")
    apply = main_in_process(["--demo", "vm", "apply", str(profile_in(tmp_path)), "--yes"], capsys)
    assert apply.code == 1 and "nothing was created" in apply.err
    assert puts(data_dir) == set()


def test_a_cannot_delete_lock_warns_that_cleanup_would_be_blocked(data_dir: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    lock_group(data_dir, "CanNotDelete")
    plan = main_in_process(["--demo", "vm", "plan", str(profile_in(tmp_path))], capsys)
    assert "vm-group-locks" in plan.out and "cleanup cannot delete it" in plan.out
    assert "✖" not in plan.out.split("vm-group-locks")[0].rsplit("\n", 1)[-1]  # a warning, not a block


def test_the_picker_marks_and_sorts_last_the_regions_the_subscription_cannot_use() -> None:
    regions = {r.name: r for r in (Region("norwayeast", "Norway East", ("1", "2", "3")),
                                   Region("southafricawest", "South Africa West", ()),
                                   Region("westeurope", "West Europe", ("1", "2", "3")))}
    facts = SubscriptionFacts("s", regions, {}, {}, usable_regions=frozenset({"norwayeast", "westeurope"}))
    options = region_options(facts)
    assert [v for _, v in options] == ["norwayeast", "westeurope", "southafricawest"]
    assert "not available to this subscription" in options[-1][0]
    assert not any("not available" in label for label, _ in options[:-1])


def test_a_restricted_region_error_is_one_sentence_and_points_to_the_picker() -> None:
    """Item 23: ARM's LocationNotAvailableForResourceGroup / NoRegisteredProviderFound texts name the API version
    and list every region; the explanation is one sentence and says where to pick another."""
    from test_azure_errors import factory_with, raised_by

    from azwizard.azure.errors import explain

    message = ("No registered resource provider found for location 'southafricawest' and API version '2026-04-01' "
               "for type 'locations/usages'. The supported api-versions are '2024-07-01, 2026-04-01'. The supported "
               "locations are 'eastus, southcentralus, westus2, norwayeast'.")
    factory = factory_with("PUT", r"/subscriptions/[^/]+/resourcegroups/rg1", 400,
                           {"code": "NoRegisteredProviderFound", "message": message})
    error = explain(raised_by(lambda: factory.resources().resource_groups.create_or_update(
        "rg1", {"location": "southafricawest"})))
    assert error.what == "The region southafricawest is not available to this subscription"
    assert "picker" in error.fix and "2026-04-01" not in str(error) and "eastus" not in str(error)


async def test_the_review_reads_the_locks_again_and_blocks_create(tmp_path: Path) -> None:
    """A ReadOnly lock put on the group after the facts were read (or the one a failed create met) is a blocking
    finding on the review, read with what exists; Create stays disabled."""
    from azwizard.screens.review import ReviewStep
    from azwizard.screens.vm import VM_FLOW, VmJourney
    from test_vm_journey import demo, settle

    from azwizard.azure.catalog import Catalog
    from azwizard.specs.vm import VmSpec

    app, holder = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sdk = SdkClients(holder["sim"])
        journey = VmJourney(VmSpec.for_base("Yolo", ssh_public_key=KEY))
        journey.catalog = Catalog(app.session.factory, cache_dir=tmp_path / "cache")  # type: ignore[union-attr]
        journey.subscription_facts = journey.catalog.subscription_facts()
        journey.region_facts = journey.catalog.region_facts("norwayeast", kubernetes=False)
        assert not journey.check() or "vm-group-locks" not in {f.rule_id for f in journey.check()}
        sdk.resources.resource_groups.create_or_update("Yolo-RG", {"location": "norwayeast"})
        sdk.locks.management_locks.create_or_update_at_resource_group_level("Yolo-RG", "freeze",
                                                                            {"level": "ReadOnly"})
        app.push_screen(ReviewStep(journey, VM_FLOW))
        await settle(app, pilot)
        blocking = [f for f in journey.findings if f.blocking]
        assert [f.rule_id for f in blocking if f.rule_id == "vm-group-locks"], [f.rule_id for f in blocking]
        verdict = str(app.screen.query_one("#review-verdict").render())
        assert "blocking finding" in verdict and "Ready to create" not in verdict
        puts = len([r for r in holder["sim"].requests if r.method == "PUT"])
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)
        assert len([r for r in holder["sim"].requests if r.method == "PUT"]) == puts  # nothing sent


def test_e_after_a_lock_or_region_failure_goes_to_the_field() -> None:
    """Item 8: after a create failed with ScopeLocked (a lock on the group) or LocationNotAvailableForResourceGroup,
    e went to the review instead of the field the error is about."""
    from azwizard.run.failure_fields import field_for_failure

    assert field_for_failure("vm", "nsg", "ScopeLocked") == "names.resource_group"
    assert field_for_failure("vm", "rg", "LocationNotAvailableForResourceGroup") == "location"
    assert field_for_failure("aks", "aks", "ScopeLocked") == "resource_group"
