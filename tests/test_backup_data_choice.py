"""Deleting backup data defaults to the recoverable choice (issue 19 item 2): the cleanup screen's "turn soft delete
off first" starts unticked, and when it is chosen the dry run and the report say the data goes for good — on the
screen and headless."""

from __future__ import annotations

from pathlib import Path

import cli_helpers
import pytest
from azwizard.screens.cleanup.confirm import BackupConfirmScreen
from azwizard.screens.cleanup.view import data_fate_text, fates_text
from cli_helpers import main_in_process
from test_cli_cleanup_backup import _backed_up_vm
from textual.app import App
from textual.widgets import Checkbox, Input

from azwizard.cleanup.model import PROTECTED_ITEM, VAULT, ProtectedItem
from azwizard.cleanup.model import InventoryItem as Item
from azwizard.cleanup.order import DeleteOp

data_dir = cli_helpers.data_dir
VAULT_ID = "/subscriptions/s/resourceGroups/Yolo-RG/providers/Microsoft.RecoveryServices/vaults/Yolo-RSV"
ITEM_ID = VAULT_ID + "/backupFabrics/Azure/protectionContainers/c/protectedItems/VM;Yolo-VM"


def vault() -> Item:
    from azwizard.cleanup.model import SoftDelete

    return Item(VAULT_ID, VAULT, "Yolo-RSV", "Yolo-RG", soft_delete=SoftDelete(),
                protected_items=(ProtectedItem(ITEM_ID, "VM;Yolo-VM", "c", "Yolo-VM"),))


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answer: object = "unanswered"

    def on_mount(self) -> None:
        self.push_screen(BackupConfirmScreen(vault()), self._answered)

    def _answered(self, answer: object) -> None:
        self.answer = answer


async def test_the_vault_name_alone_keeps_soft_delete_on() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#cleanup-backup-soft-off", Checkbox)
        assert box.value is False and not box.disabled  # offered, not chosen
        app.screen.query_one("#cleanup-backup-input", Input).value = "Yolo-RSV"
        await pilot.press("enter")
        await pilot.pause()
    assert app.answer == (VAULT_ID, False)


async def test_ticking_the_box_is_what_turns_soft_delete_off() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#cleanup-backup-soft-off", Checkbox).value = True
        app.screen.query_one("#cleanup-backup-input", Input).value = "Yolo-RSV"
        await pilot.press("enter")
        await pilot.pause()
    assert app.answer == (VAULT_ID, True)


def test_the_dry_run_and_the_report_say_which_fate_the_data_has() -> None:
    from azwizard.cleanup.order import DeletionPlan

    kept = DeleteOp(ITEM_ID, PROTECTED_ITEM, "VM;Yolo-VM", "Yolo-RG", "Backup data of Yolo-VM (vault Yolo-RSV)")
    gone = DeleteOp(ITEM_ID, PROTECTED_ITEM, "VM;Yolo-VM", "Yolo-RG", "Backup data of Yolo-VM (vault Yolo-RSV)",
                    soft_delete_off=True)
    assert "kept soft-deleted" in data_fate_text(kept) and "can be undeleted" in data_fate_text(kept)
    assert "for good" in data_fate_text(gone) and "cannot be undeleted" in data_fate_text(gone)
    assert "for good" in fates_text(DeletionPlan(ops=(gone,)), [ITEM_ID])
    assert fates_text(DeletionPlan(ops=(gone,)), []) == ""  # not deleted: nothing to say


def test_headless_soft_delete_off_is_said_in_the_dry_run_and_the_report(data_dir: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _backed_up_vm(tmp_path, capsys)
    args = ["cleanup", "delete", "--run", "latest", "--demo", "--delete-backup-data", "Bak-RSV", "--soft-delete-off"]
    dry = main_in_process(args, capsys)
    assert dry.code == 0 and "(soft delete off: deleted at once, for good (it cannot be undeleted))" in dry.out
    done = main_in_process([*args, "--yes"], capsys)
    assert done.code == 0, done.err
    report = done.out[done.out.index("deleted:"):]
    assert "Backup data of Bak-VM (vault Bak-RSV): soft delete off: deleted at once, for good" in report


async def test_the_dry_run_offers_no_delete_key_when_nothing_can_be_deleted() -> None:
    """Item 13: "x Delete this" was in the footer of a dry run in which everything is blocked."""
    from azwizard.screens.cleanup.dryrun import DryRunScreen

    from azwizard.cleanup.model import Inventory
    from azwizard.cleanup.order import DeletionPlan

    class DryHost(App[None]):
        def on_mount(self) -> None:
            self.push_screen(DryRunScreen(DeletionPlan(ops=()), Inventory(()), selection=[], whole=[]))

    app = DryHost()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        from textual.widgets._footer import FooterKey

        await pilot.pause()
        shown = {key.description for key in app.screen.query(FooterKey)}  # dimmed keys are shown too
        assert "Delete this" not in shown and "Back" in shown
