"""At 80 columns a cut value never looks like another valid one, and a command stays copyable (issue 19 item 12):
the progress table fits the screen and ends a cut cell with "…" (an address lost its last digits at the screen's
edge: 51.120.24.2 for 51.120.24.212), and a long ssh command is split with a shell line continuation instead of
being wrapped at a space mid-command."""

from __future__ import annotations

from azwizard.screens.create import column_widths, cut
from azwizard.screens.vm.done import copyable
from textual.app import App, ComposeResult
from textual.widgets import DataTable

IP4, IP6 = "51.120.24.212", "2603:1020:a00:25::2a"


class Table(App[None]):
    def compose(self) -> ComposeResult:
        table: DataTable[object] = DataTable()
        for label, width in column_widths(80):
            table.add_column(label, key=label, width=width)
        table.add_row(cut("Public IPv4 address Yolo-IPv4"), "✓ created", "00:01", cut(IP4), key="pip4")
        table.add_row(cut("Network interface Yolo-NIC"), "✓ created", "00:01", cut(f"10.0.0.4, fd12:3456:789a::4, {IP6}"),
                      key="nic")
        yield table


async def test_the_progress_table_fits_80_columns_and_marks_what_it_cuts() -> None:
    app = Table()
    async with app.run_test(size=(76, 24)) as pilot:  # 80 columns less the create screen's padding
        await pilot.pause()
        table = app.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing beyond the edge
        lines = [table.render_line(y).text for y in range(3)]
        assert IP4 in lines[1]  # whole
        assert "…" in lines[2] and "10.0.0.4" in lines[2]  # cut, and visibly so


def test_a_long_ssh_command_is_split_so_that_it_pastes_as_one() -> None:
    command = f"ssh -6 -i /home/someone/.azwizard/demo/ssh/azwizard_yolo_ed25519 azureuser@{IP6}"
    text = copyable(command)
    lines = text.splitlines()
    assert len(lines) > 1 and all(len(line) <= 72 for line in lines)  # "  " + each line fits 76 columns
    assert all(line.endswith(" \\") for line in lines[:-1]) and lines[-1].strip() == f"azureuser@{IP6}"
    assert " ".join(line.strip().removesuffix("\\").strip() for line in lines) == command  # the same command
    assert copyable("ssh azureuser@1.2.3.4") == "ssh azureuser@1.2.3.4"


class ManyKeys(App[None]):
    BINDINGS = [(k, f"notify('{d}')", d) for k, d in (("x", "Leave"), ("e", "Back to edit"), ("r", "Retry what is left"),
                                             ("l", "Clean up this run"), ("question_mark", "Help"))]

    def compose(self) -> ComposeResult:
        from azwizard.screens.footer import WrapFooter

        yield WrapFooter()


async def test_footer_keys_wrap_onto_a_second_row_instead_of_running_off_the_edge() -> None:
    from azwizard.screens.footer import WrapFooter
    from textual.widgets._footer import FooterKey

    for width, wrapped in ((80, True), (120, False)):
        app = ManyKeys()
        async with app.run_test(size=(width, 10)) as pilot:
            await pilot.pause()
            await pilot.pause()
            footer = app.query_one(WrapFooter)
            assert footer.has_class("-wrapped") is wrapped
            for key in footer.query(FooterKey):
                assert key.region.right <= width, (key.description, key.region)  # whole, inside the screen
