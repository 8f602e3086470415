"""`azwizard cleanup delete` and a VM with Azure Backup (issue 12's promise, headless): the vault's backup data
is deleted only when the vault is named with --delete-backup-data, soft delete is turned off only with
--soft-delete-off, and a wrong name or a lone --soft-delete-off changes nothing (exit 2)."""

from __future__ import annotations

from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, demo_state, main_in_process

data_dir = cli_helpers.data_dir
RG = "/resourcegroups/bak-rg"


def _backed_up_vm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (EXAMPLES / "yolo-vm.toml").read_text().replace('name = "Yolo"', 'name = "Bak"')
    profile = tmp_path / "bak.toml"
    profile.write_text(text + '\n[backup]\nenabled = true\n')
    assert main_in_process(["vm", "apply", str(profile), "--yes", "--demo"], capsys).code == 0


def _left(data_dir: Path) -> set[str]:
    """The lower-cased names of what is left in Bak-RG (the state's keys are lower-case resource ids)."""
    return {k.rsplit("/", 1)[-1].lower() for k in demo_state(data_dir) if RG in k.lower()}


def test_the_dry_run_names_the_vault_and_the_flag(data_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _backed_up_vm(tmp_path, capsys)
    dry = main_in_process(["cleanup", "delete", "--run", "latest", "--demo"], capsys)
    assert dry.code == 1  # blocked: the vault holds backup data
    assert "--delete-backup-data Bak-RSV" in dry.out and "Bak-RSV still protects 1 item" in dry.out


@pytest.mark.parametrize(("args", "says"), [
    (["--delete-backup-data", "Other-RSV"], "no vault of this deletion holds backup data by that name"),
    (["--soft-delete-off"], "--soft-delete-off only goes with --delete-backup-data"),
])
def test_a_wrong_vault_name_or_a_lone_soft_delete_off_changes_nothing(args: list[str], says: str, data_dir: Path,
                                                                      tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _backed_up_vm(tmp_path, capsys)
    before = demo_state(data_dir)
    r = main_in_process(["cleanup", "delete", "--run", "latest", "--demo", "--yes", *args], capsys)
    assert r.code == 2 and says in r.err and "nothing was deleted" in r.err
    assert demo_state(data_dir).keys() == before.keys()


def test_named_vault_with_soft_delete_off_lets_everything_go(data_dir: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    _backed_up_vm(tmp_path, capsys)
    dry = main_in_process(["cleanup", "delete", "--run", "latest", "--demo", "--delete-backup-data", "bak-rsv",
                           "--soft-delete-off"], capsys)
    assert dry.code == 0 and "Backup data of Bak-VM (vault Bak-RSV) (soft delete off: deleted at once" in dry.out
    assert "bak-vm" in _left(data_dir)  # a dry run sends nothing
    r = main_in_process(["cleanup", "delete", "--run", "latest", "--demo", "--yes", "--delete-backup-data",
                         "Bak-RSV", "--soft-delete-off"], capsys)
    assert r.code == 0, r.err
    assert _left(data_dir) == set()  # the group went too, with everything in it


def test_keeping_soft_delete_deletes_the_data_and_the_vault_waits(data_dir: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _backed_up_vm(tmp_path, capsys)
    r = main_in_process(["cleanup", "delete", "--run", "latest", "--demo", "--yes", "--delete-backup-data",
                         "Bak-RSV"], capsys)
    left = _left(data_dir)
    assert "bak-vm" not in left and "bak-rsv" in left  # the data soft-deleted, the vault kept for its retention
    assert r.code == 1 and "14 days" in r.out + r.err
