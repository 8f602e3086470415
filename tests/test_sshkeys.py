from __future__ import annotations

from pathlib import Path

import pytest

from azwizard.sshkeys import generate_keypair, list_public_keys, looks_like_public_key


def test_generated_private_key_is_0600_and_public_key_is_listed(tmp_path: Path) -> None:
    pub = generate_keypair(tmp_path / "ssh" / "azwizard_yolo", "azureuser@Yolo-VM")
    priv = tmp_path / "ssh" / "azwizard_yolo"
    assert priv.stat().st_mode & 0o777 == 0o600
    assert b"OPENSSH PRIVATE KEY" in priv.read_bytes()
    assert looks_like_public_key(pub.text) and pub.kind == "ssh-ed25519" and pub.comment == "azureuser@Yolo-VM"
    assert "PRIVATE" not in pub.text
    assert [k.text for k in list_public_keys(tmp_path / "ssh")] == [pub.text]


def test_never_overwrites_an_existing_key(tmp_path: Path) -> None:
    generate_keypair(tmp_path / "k", "x")
    before = (tmp_path / "k").read_bytes()
    with pytest.raises(FileExistsError):
        generate_keypair(tmp_path / "k", "y")
    assert (tmp_path / "k").read_bytes() == before


def test_junk_pub_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "bad.pub").write_text("not a key")
    (tmp_path / "ok.pub").write_text("ssh-rsa AAAAB3NzaC1yc2E test\n")
    assert [k.path.name for k in list_public_keys(tmp_path)] == ["ok.pub"]


def test_a_pasted_public_key_is_checked_and_a_private_key_refused(tmp_path: Path) -> None:
    from azwizard.sshkeys import public_key_problem

    pub = generate_keypair(tmp_path / "k", "me@laptop")
    assert public_key_problem(pub.text) is None
    assert public_key_problem(pub.text + "\n") is None
    private = (tmp_path / "k").read_text()
    problem = public_key_problem(private)
    assert problem is not None and "private key" in problem
    assert private.splitlines()[1] not in problem  # never repeated back
    assert public_key_problem("not a key") is not None
    assert public_key_problem(pub.text + "\n" + pub.text) is not None  # one key per paste
    kind, blob, *_ = pub.text.split()
    assert public_key_problem(f"ssh-rsa {blob}") is not None  # the blob says ed25519
    assert public_key_problem(f"{kind} {blob[:-6]}!!!!!!") is not None  # not base64
