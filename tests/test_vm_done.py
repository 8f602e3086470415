"""The VM's done screen with a working ssh command and an optional ssh config entry, and pasting a public key
(issue 12 item 3)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from azwizard.screens.confirm import YesNoScreen
from azwizard.screens.review import ReviewStep
from azwizard.screens.vm.done import VmDoneScreen
from azwizard.screens.vm.steps import VmDetailsStep
from test_vm_journey import demo, settle
from tui_helpers import open_steps

from azwizard.sshconfig import add_host, has_host, host_entry
from azwizard.sshkeys import generate_keypair

OTHER = "Host github.com\n    User git\n    IdentityFile ~/.ssh/id_github\n"


async def create_with_a_generated_key(app: Any, pilot: Any) -> None:
    """The VM step's ctrl+g (a key pair in the data dir), then the review's create."""
    step = await open_steps(app, pilot, "vm", VmDetailsStep)
    await pilot.press("ctrl+g")
    await settle(app, pilot)
    app.push_screen(ReviewStep(step.journey, step.flow))
    await settle(app, pilot)
    await pilot.press("c")
    await settle(app, pilot)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


async def test_done_screen_names_the_generated_key_and_adds_a_host_entry_on_request(tmp_path: Path,
                                                                                   data_dir: Path) -> None:
    ssh = data_dir / "demo" / "ssh"
    ssh.mkdir(parents=True)
    (ssh / "config").write_text(OTHER)
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await create_with_a_generated_key(app, pilot)
        assert isinstance(app.screen, VmDoneScreen)
        private = ssh / "azwizard_yolo_ed25519"
        text = str(app.screen.query_one("#done-text").render())
        ip4 = app.screen.result.outputs["pip4"]["ipAddress"]
        assert f"ssh -i {private} azureuser@{ip4}" in text.replace(" \\\n    ", " ")  # one command (long: split)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, YesNoScreen)
        shown = str(app.screen.query_one("#confirm-text").render())
        assert "Host yolo-vm" in shown and f"HostName {ip4}" in shown and f"IdentityFile {private}" in shown
        assert (ssh / "config").read_text() == OTHER  # shown, not yet written
        await pilot.press("y")
        await pilot.pause()
        config = (ssh / "config").read_text()
        assert config.startswith(OTHER)  # the other entries are untouched
        assert "Host yolo-vm\n" in config and f"    HostName {ip4}\n" in config
        backups = list(ssh.glob("config.bak-*"))
        assert len(backups) == 1 and backups[0].read_text() == OTHER
        await pilot.press("s")  # a second time: the entry is there already, nothing is written
        await pilot.pause()
        assert not isinstance(app.screen, YesNoScreen)
        assert (ssh / "config").read_text() == config


async def test_no_is_the_answer_that_writes_nothing(tmp_path: Path, data_dir: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await create_with_a_generated_key(app, pilot)
        assert isinstance(app.screen, VmDoneScreen)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not (data_dir / "demo" / "ssh" / "config").exists()


async def test_a_pasted_public_key_is_used_and_a_private_key_refused(tmp_path: Path, data_dir: Path) -> None:
    other = generate_keypair(tmp_path / "elsewhere" / "id_ed25519", "me@laptop")
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", VmDetailsStep)
        journey = app.journeys["vm"]
        paste = app.screen.query_one("#ssh_public_key-paste")
        paste.value = (tmp_path / "elsewhere" / "id_ed25519").read_text()
        await pilot.pause()
        assert journey.spec.ssh_public_key == ""  # refused: nothing changes
        assert paste.value == ""  # and the private key is not left on screen
        assert "private key" in str(app.screen.query_one("#ssh_public_key-paste-error").render())
        paste.value = other.text
        await pilot.pause()
        assert journey.spec.ssh_public_key == other.text
        assert app.screen.query_one("#ssh_public_key").value == other.text
        assert not any(f.rule_id == "vm-ssh-key" and f.severity == "block" for f in journey.findings)


def test_add_host_appends_after_a_backup_and_never_twice(tmp_path: Path) -> None:
    path = tmp_path / "config"
    entry = host_entry("web", "20.1.2.3", "azureuser", tmp_path / "k")
    assert add_host(path, entry, "web") is None  # a new file: no backup
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert has_host(path.read_text(), "web") and has_host("Host=web\n", "web") and not has_host(OTHER, "web")
    from azwizard.sshconfig import HostExists

    with pytest.raises(HostExists):
        add_host(path, entry, "web")
    assert path.read_text() == entry
