"""Files written where the user said (issue 22): ``--output -`` is stdout; an existing regular file is replaced
atomically and keeps its mode; a symlink is followed and its target replaced; a directory, a FIFO, a device or a
socket is refused with exit code 2 and a message naming the user's path (never a temporary file's), and is left
as it was. The same rules hold for the kubeconfig and the ssh config azwizard extends."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, ROOT, cli_env, main_in_process

from azwizard.kubeconfig import write_kubeconfig
from azwizard.sshconfig import add_host, host_entry
from azwizard.userfiles import OutputFileError, write_user_text

data_dir = cli_helpers.data_dir
PLAN = ["vm", "plan", str(EXAMPLES / "yolo-vm.toml"), "--offline"]


def plan_to(target: str, capsys: pytest.CaptureFixture[str], fmt: str = "json") -> cli_helpers.Result:
    return main_in_process([*PLAN, "--format", fmt, "--output", target], capsys)


def refused_without_hanging(call: Callable[[], object], fifo: Path) -> OutputFileError:
    """``call()``'s OutputFileError; it runs in a thread, so a call that blocks on ``fifo`` fails the test (the FIFO
    is then opened from this side to let it go) instead of hanging it."""
    caught: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            caught.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():
        fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a reader and a writer: whatever blocked goes on
        thread.join(10)
        os.close(fd)
        pytest.fail(f"blocked on the FIFO {fifo}")
    assert caught and isinstance(caught[0], OutputFileError), caught
    return caught[0]


def no_temporaries(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_dash_is_stdout(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    res = plan_to("-", capsys)
    assert res.code == 0, res.err
    assert res.out.lstrip().startswith("{") and '"findings"' in res.out
    assert not (tmp_path / "-").exists()


def test_an_existing_file_keeps_its_mode_and_is_replaced_atomically(data_dir: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.sh"
    out.write_text("old\n")
    out.chmod(0o640)
    before = out.stat().st_ino
    res = plan_to(str(out), capsys, fmt="az")
    assert res.code == 0, res.err
    assert out.read_text().startswith("#!") and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.stat().st_ino != before  # a new file moved into place, not the old one rewritten in place
    assert not no_temporaries(tmp_path)
    fresh = tmp_path / "new.sh"
    assert plan_to(str(fresh), capsys, fmt="az").code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o755  # a new script: executable, as before


def test_a_symlink_is_followed_and_its_target_replaced(data_dir: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "plan.json"
    target.write_text("old\n")
    target.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(real_dir / "made.json")
    assert plan_to(str(link), capsys).code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().lstrip().startswith("{") and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert plan_to(str(dangling), capsys).code == 0
    assert dangling.is_symlink() and (real_dir / "made.json").read_text().lstrip().startswith("{")
    assert not no_temporaries(tmp_path) and not no_temporaries(real_dir)


def test_a_directory_is_refused_naming_it(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "outdir"
    target.mkdir()
    res = plan_to(str(target), capsys)
    assert res.code == 2, (res.code, res.err)
    assert f"azwizard: {target}: is a directory" in res.err and ".tmp" not in res.err, res.err
    assert target.is_dir() and not list(target.iterdir()) and not no_temporaries(tmp_path)


def test_a_missing_directory_names_the_users_path(data_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nowhere" / "plan.json"
    res = plan_to(str(target), capsys)
    assert res.code == 2 and f"azwizard: {target}: cannot write it" in res.err and ".tmp" not in res.err, res.err


def _refused_in_a_subprocess(target: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    # A subprocess with a timeout: a FIFO opened for writing would block for ever.
    return subprocess.run([sys.executable, "-m", "azwizard", *PLAN, "--format", "json", "--output", str(target)],
                          cwd=ROOT, env=cli_env(data_dir), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60)


def test_a_fifo_is_refused_not_replaced_nor_waited_on(data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    proc = _refused_in_a_subprocess(fifo, data_dir)
    assert proc.returncode == 2, proc.stderr
    assert f"azwizard: {fifo}: is not a regular file" in proc.stderr and ".tmp" not in proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_link_to_the_processes_stdout_is_refused(data_dir: Path, tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/proc/self/fd/1")  # the subprocess's stdout is a pipe
    proc = _refused_in_a_subprocess(link, data_dir)
    assert proc.returncode == 2 and f"{link}: is not a regular file" in proc.stderr, proc.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1" and proc.stdout == ""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod of a device needs root")
def test_a_character_device_is_refused(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    device = tmp_path / "full"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is
    res = plan_to(str(device), capsys)
    assert res.code == 2 and f"azwizard: {device}: is not a regular file" in res.err, res.err
    assert stat.S_ISCHR(device.lstat().st_mode) and device.lstat().st_rdev == os.makedev(1, 7)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(OutputFileError, match="is not a regular file"):
            write_user_text(path, "x", mode=0o644)
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_the_kubeconfig_stays_0600_and_a_fifo_there_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("old: 1\n")
    path.chmod(0o644)
    write_kubeconfig(path, "new: 1\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # credentials: never left readable by others
    fifo = tmp_path / "fifo-config"
    os.mkfifo(fifo)
    # A FIFO: refused at once (the backup's read of it would have hung).
    assert "is not a regular file" in str(refused_without_hanging(lambda: write_kubeconfig(fifo, "new: 1\n"), fifo))
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_the_ssh_config_keeps_its_mode_and_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "ssh_config"
    real.parent.mkdir()
    real.write_text("Host other\n    HostName 10.0.0.1\n")
    real.chmod(0o644)
    link = tmp_path / "config"
    link.symlink_to(real)
    entry = host_entry("web", "20.1.2.3", "azureuser", None)
    backup = add_host(link, entry, "web")
    assert link.is_symlink() and stat.S_IMODE(real.stat().st_mode) == 0o644
    assert real.read_text() == "Host other\n    HostName 10.0.0.1\n\n" + entry
    assert backup is not None and backup.read_text() == "Host other\n    HostName 10.0.0.1\n"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "is not a regular file" in str(refused_without_hanging(lambda: add_host(fifo, entry, "web"), fifo))


def test_a_generated_private_key_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    from azwizard.sshkeys import generate_keypair

    old = os.umask(0)
    try:
        generate_keypair(tmp_path / "id", "me")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "id").stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod of a device needs root")
async def test_the_wizards_saves_replace_atomically_keep_the_mode_and_refuse_a_device(
        tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from azwizard.screens.review import ReviewStep
    from test_vm_journey import demo, settle
    from tui_helpers import open_steps, record_notifications, vm_journey

    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    app, _ = demo(tmp_path)
    said = record_notifications(app)  # a toast leaves app._notifications after its timeout (a loaded machine)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=vm_journey())  # the walk: test_vm_journey.py
        await pilot.press("s")
        await settle(app, pilot)
        (script,) = work.glob("azwizard-vm-*.sh")
        script.chmod(0o640)
        inode = script.stat().st_ino
        await pilot.press("s")
        await settle(app, pilot)
        assert stat.S_IMODE(script.stat().st_mode) == 0o640 and script.stat().st_ino != inode
        assert script.read_text().startswith("#!")
        await pilot.press("t")
        await settle(app, pilot)
        (template,) = work.glob("azwizard-vm-*.json")
        template.unlink()
        os.mknod(template, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is: a write would "succeed"
        await pilot.press("t")
        await settle(app, pilot)
        assert stat.S_ISCHR(template.lstat().st_mode)
        assert any(f"{template}: is not a regular file" in m for m in said), said
        assert not no_temporaries(work)


def test_a_new_key_pair_is_never_written_through_a_link(tmp_path: Path) -> None:
    from azwizard.sshkeys import generate_keypair

    elsewhere = tmp_path / "elsewhere.pub"
    (tmp_path / "id.pub").symlink_to(elsewhere)  # a link to nothing at the public key's name
    with pytest.raises(FileExistsError):
        generate_keypair(tmp_path / "id", "me")
    assert not elsewhere.exists() and not (tmp_path / "id").exists()
