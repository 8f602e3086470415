"""The size limit each file a user names is read with (userfiles.py): a profile and a file of az commands
(``check --file``) up to 1 MiB, an SSH public key file up to 64 KiB. One byte more is refused with the limit in
words, before anything of it is used."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from azwizard.headless.commands import CommandError, check_command
from azwizard.profiles import ProfileError, load_profile

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def _padded(head: str, size: int) -> bytes:
    """``head``, then a comment line filling the text to exactly ``size`` bytes."""
    data = (head + "#").encode()
    return data + b"x" * (size - len(data) - 1) + b"\n"


def test_a_profile_of_up_to_1_mib_is_read_and_a_larger_one_refused(tmp_path: Path) -> None:
    p = tmp_path / "p.toml"
    p.write_bytes(_padded('name = "Zed"\n', 1 << 20))
    assert load_profile(p, "vm").vm.base_name == "Zed"
    p.write_bytes(_padded('name = "Zed"\n', (1 << 20) + 1))
    with pytest.raises(ProfileError) as info:
        load_profile(p, "vm")
    assert "is too large (1048577 bytes; at most 1 MiB)" in str(info.value)


def test_a_file_of_az_commands_over_1_mib_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    script = tmp_path / "create.sh"
    script.write_bytes(_padded("az group create --name g --location norwayeast\n", (1 << 20) + 1))
    with pytest.raises(CommandError) as info:
        check_command(argparse.Namespace(az_command=[], file=str(script)))
    assert "is too large (1048577 bytes; at most 1 MiB)" in str(info.value)


def test_an_ssh_public_key_file_of_up_to_64_kib_is_read_and_a_larger_one_refused(tmp_path: Path) -> None:
    (tmp_path / "p.toml").write_text('name = "Zed"\nssh_public_key_file = "id.pub"\n')
    key = tmp_path / "id.pub"
    key.write_bytes(KEY.encode() + b"x" * ((64 << 10) - len(KEY) - 1) + b"\n")  # a very long comment
    assert load_profile(tmp_path / "p.toml", "vm").vm.ssh_public_key.startswith(KEY)
    key.write_bytes(KEY.encode() + b"x" * ((64 << 10) - len(KEY)) + b"\n")
    with pytest.raises(ProfileError) as info:
        load_profile(tmp_path / "p.toml", "vm")
    assert "is too large (65537 bytes; at most 64 KiB)" in str(info.value)
