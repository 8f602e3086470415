"""A private key in custom data is refused where it is entered (issue 22): az import (``--custom-data``, a file or
inline), a profile (``custom_data`` or ``custom_data_file``) and the wizard's cloud-init field. Before, the az
script, the profile export and the journal withheld it while the JSON and ARM outputs and the PUT carried it;
now no output and no PUT can disagree, because the spec never holds it. The key is never repeated back."""

from __future__ import annotations

import json
from pathlib import Path

import cli_helpers
import pytest
from azwizard.screens.vm.steps import CloudInitStep
from cli_helpers import main_in_process
from test_vm_journey import demo
from tui_helpers import open_steps

from azwizard.profiles import ProfileError, read_profile
from azwizard.specs.azcli import AzReadError, read_vm
from azwizard.sshkeys import custom_data_problem

data_dir = cli_helpers.data_dir
VM = ["check", "--offline", "--", "az", "vm", "create", "-g", "rg", "-n", "v", "--image", "Debian12"]


def private_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()).decode()


def cloud_init_with(key: str) -> str:
    indented = "\n".join("      " + line for line in key.splitlines())
    return f"#cloud-config\nwrite_files:\n  - path: /root/.ssh/id_ed25519\n    content: |\n{indented}\n"


def body_lines(key: str) -> list[str]:
    return [line for line in key.splitlines() if line and not line.startswith("-----")]


def test_the_problem_names_no_key_material() -> None:
    key = private_key()
    problem = custom_data_problem(cloud_init_with(key))
    assert problem is not None and "private key" in problem
    assert not any(line in problem for line in body_lines(key))
    assert custom_data_problem("#cloud-config\npackages: [nginx]\n") is None


def test_az_import_refuses_it_from_a_file_or_inline(tmp_path: Path, data_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    key = private_key()
    data = tmp_path / "cloud-init.yaml"
    data.write_text(cloud_init_with(key))
    for value in (str(data), f"@{data}", cloud_init_with(key)):
        with pytest.raises(AzReadError, match="--custom-data: it holds a private key"):
            read_vm([["az", "vm", "create", "-n", "v", "--image", "Debian12", "--custom-data", value]])
    for fmt in ("json", "arm"):
        res = main_in_process([*VM[:1], "--format", fmt, *VM[1:], "--custom-data", str(data)], capsys)
        assert res.code == 2 and "private key" in res.err and res.out == "", (res.code, res.err)
        assert not any(line in res.err for line in body_lines(key))


def test_a_profile_refuses_it_naming_the_key_and_line(tmp_path: Path) -> None:
    key = private_key()
    data = tmp_path / "cloud-init.yaml"
    data.write_text(cloud_init_with(key))
    for text, where, line in ((f'name = "Yolo"\n\ncustom_data_file = "{data}"\n', "custom_data_file", 3),
                              (f'name = "Yolo"\ncustom_data = {json.dumps(cloud_init_with(key))}\n',
                               "custom_data", 2)):
        with pytest.raises(ProfileError) as exc:
            read_profile(text, "vm", source="p.toml", base_dir=tmp_path)
        (problem,) = exc.value.problems
        assert (problem.key, problem.line) == (where, line) and "private key" in problem.message
        assert not any(line in str(exc.value) for line in body_lines(key))


async def test_the_wizards_field_refuses_it_and_keeps_what_it_had(tmp_path: Path, data_dir: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", CloudInitStep)
        journey = app.journeys["vm"]
        area = app.screen.query_one("#custom_data")
        area.text = "#cloud-config\npackages: [nginx]\n"
        await pilot.pause()
        assert journey.spec.custom_data == "#cloud-config\npackages: [nginx]\n"
        area.text = cloud_init_with(private_key())
        await pilot.pause()
        assert journey.spec.custom_data == "#cloud-config\npackages: [nginx]\n"  # refused: the spec is unchanged
        assert "private key" in str(app.screen.query_one("#custom_data-error").render())
        area.text = "#cloud-config\npackages: [curl]\n"
        await pilot.pause()
        assert journey.spec.custom_data == "#cloud-config\npackages: [curl]\n"
        assert not app.screen.query_one("#custom_data-error").display
