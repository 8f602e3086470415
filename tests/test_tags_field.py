"""The wizard's tags field (Basics, both journeys): the user's own tags go on every resource; azwizard's
bookkeeping tags, a nameless item or a name given twice are refused under the field and change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_cleanup_screen import demo, own_data_dir, settle
from textual.widgets import Input

from azwizard.specs.common import TagsTextError, format_tags_text, new_run_id, parse_tags_text

__all__ = ["own_data_dir"]


def test_the_tags_text_reads_as_az_reads_tags() -> None:
    assert parse_tags_text("owner=alice, env = dev ,, cost=a=b, flag") == (
        ("owner", "alice"), ("env", "dev"), ("cost", "a=b"), ("flag", ""))
    assert parse_tags_text("  ") == ()
    tags = (("owner", "alice"), ("env", "dev"))
    assert parse_tags_text(format_tags_text(tags)) == tags


def test_azwizards_own_tags_win_over_a_reserved_name_however_spaced() -> None:
    from azwizard.specs.common import azwizard_tags

    tags = azwizard_tags("run", "vm", "now", {" created-by": "me", "AZWIZARD-RUN ": "x", "team": "web"})
    assert tags == {"created-by": "azwizard", "azwizard-run": "run", "azwizard-journey": "vm",
                    "azwizard-created": "now", "team": "web"}


@pytest.mark.parametrize(("text", "says"), [("Created-By=me", "azwizard's own"), ("azwizard-run=1", "azwizard's own"),
                                            (" created-by =me", "azwizard's own"), ("AZWIZARD-CREATED=1", "azwizard's own"),
                                            ("=x", "no tag name"), ("env=a, ENV=b", "given twice")])
def test_bad_tags_text_is_refused(text: str, says: str) -> None:
    with pytest.raises(TagsTextError, match=says):
        parse_tags_text(text)


@pytest.mark.parametrize("key", ["v", "k"])
async def test_the_basics_tags_field_sets_the_tags_of_every_resource(key: str, tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        step: Any = app.screen
        field = step.query_one("#extra_tags", Input)
        field.value = "created-by=me"
        await settle(app, pilot)
        assert step.journey.spec.extra_tags == ()  # bad input changes nothing
        error = step.query_one("#extra_tags-error")
        assert "azwizard's own" in str(error.render())
        form = step.query_one(".wizard-form")
        assert form.scrollable_content_region.contains_region(error.region)  # scrolled into view, not below it
        assert not step.commit()  # and Next is refused until it is fixed
        field.value = "owner=alice, env=dev"
        await settle(app, pilot)
        assert step.journey.spec.extra_tags == (("owner", "alice"), ("env", "dev"))
        assert step.commit()
        step.journey.run_id = new_run_id()  # as the review does before it plans
        plan = step.journey.make_plan("5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d")
        tagged = [s for s in plan.steps if isinstance(s.body, dict) and "tags" in s.body]
        assert tagged and all(s.body["tags"]["owner"] == "alice" and s.body["tags"]["env"] == "dev" for s in tagged)
        assert all(s.body["tags"]["created-by"] == "azwizard" for s in tagged)
