"""The review's saves ask where (issue 19 item 17): s (az script), t (ARM template) and p (profile) open a box
prefilled with a path in the current directory named for the VM; nothing is written before enter; the file goes
where the user said (atomically, an existing file keeps its mode) and the notification says where; a directory,
a FIFO or a device is refused in the box with a clear message and nothing is written; esc writes nothing."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from azwizard.screens.review import ReviewStep
from azwizard.screens.save_path import SavePathScreen, save_to
from test_output_files import no_temporaries
from test_vm_journey import demo
from textual.widgets import Input, Static
from tui_helpers import open_steps, record_notifications, settle, vm_journey

from azwizard.userfiles import OutputFileError

SIZE = (130, 44)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_save_to_resolves_relative_and_home_paths_and_refuses_what_is_not_a_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    assert save_to("out.sh", "#!/bin/sh\n", tmp_path) == tmp_path / "out.sh"
    assert save_to("~/in-home.sh", "x\n", tmp_path) == tmp_path / "home" / "in-home.sh"
    assert (tmp_path / "home" / "in-home.sh").read_text() == "x\n"
    (tmp_path / "adir").mkdir()
    with pytest.raises(OutputFileError, match="is a directory"):
        save_to("adir", "x\n", tmp_path)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(OutputFileError, match="not a regular file"):
        save_to(str(tmp_path / "fifo"), "x\n", tmp_path)
    with pytest.raises(ValueError, match="Type a file name"):
        save_to("  ", "x\n", tmp_path)
    assert sorted(p.name for p in (tmp_path / "adir").iterdir()) == []
    assert not no_temporaries(tmp_path)


def box_error(app: object) -> str:
    return str(app.screen.query_one("#save-error", Static).render())  # type: ignore[attr-defined]


async def test_s_asks_for_the_path_prefilled_writes_only_on_enter_and_says_where(work: Path, tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    said = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=vm_journey())
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SavePathScreen)
        field = app.screen.query_one("#save-path", Input)
        assert field.value == str(work / "Yolo-VM-az.sh")  # prefilled: the VM's name, in the current directory
        assert list(work.iterdir()) == []  # nothing written before enter
        # a directory is refused in the box, which stays open; nothing is written into it
        (work / "scripts").mkdir()
        field.value = "scripts"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SavePathScreen)
        assert "scripts: is a directory" in box_error(app) and "nothing was written" in box_error(app)
        assert list((work / "scripts").iterdir()) == []
        # a FIFO: refused at once (never opened, never waited on)
        os.mkfifo(work / "pipe")
        field.value = "pipe"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "pipe: is not a regular file" in box_error(app)
        assert stat.S_ISFIFO((work / "pipe").lstat().st_mode)
        # a relative path in a directory of the user's choosing: written there, and said where
        field.value = "scripts/web.sh"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)
        script = work / "scripts" / "web.sh"
        assert script.read_text().startswith("#!")
        assert any(f"Saved the az script to {script}" == m for m in said), said
        # again over the same file: replaced atomically (a new inode), its mode kept
        script.chmod(0o640)
        inode = script.stat().st_ino
        await pilot.press("s")
        await settle(app, pilot)
        app.screen.query_one("#save-path", Input).value = str(script)
        await pilot.press("enter")
        await settle(app, pilot)
        assert stat.S_IMODE(script.stat().st_mode) == 0o640 and script.stat().st_ino != inode
        # esc: nothing written, and said so
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)
        assert not (work / "Yolo-VM-az.sh").exists()
        assert any(m.startswith("Not saved: the az script") for m in said), said
    assert not no_temporaries(work) and not no_temporaries(work / "scripts")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod of a device needs root")
async def test_t_refuses_a_device_and_p_saves_a_profile_that_reads_back(work: Path, tmp_path: Path) -> None:
    from azwizard.profiles import read_profile

    journey = vm_journey()
    app, _ = demo(tmp_path)
    said = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=journey)
        await pilot.press("t")
        await settle(app, pilot)
        field = app.screen.query_one("#save-path", Input)
        assert field.value == str(work / "Yolo-VM-template.json")
        os.mknod(work / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is: a write "succeeds"
        field.value = "null"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "null: is not a regular file" in box_error(app)
        assert stat.S_ISCHR((work / "null").lstat().st_mode)
        await pilot.press("enter")  # the same refusal again: still open, still nothing written
        await settle(app, pilot)
        assert isinstance(app.screen, SavePathScreen)
        field.value = "template.json"
        await pilot.press("enter")
        await settle(app, pilot)
        template = json.loads((work / "template.json").read_text())
        assert "resources" in template
        await pilot.press("p")
        await settle(app, pilot)
        assert app.screen.query_one("#save-path", Input).value == str(work / "Yolo-VM-profile.toml")
        await pilot.press("enter")
        await settle(app, pilot)
        assert any(f"Saved the profile to {work / 'Yolo-VM-profile.toml'}" == m for m in said), said
    profile = read_profile((work / "Yolo-VM-profile.toml").read_text(), "vm")
    assert profile.spec == journey.spec
