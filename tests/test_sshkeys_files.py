"""The SSH key files azwizard reads and writes (sshkeys.py): what mutation testing showed untested. A new key
pair never replaces any existing file, not even a lone .pub; the demo never looks in the real ~/.ssh; the
private key of a public key is found by its type and key, whatever its comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from azwizard.sshkeys import PublicKey, generate_keypair, private_key_for, public_key_problem, ssh_dir


def test_a_new_pair_never_replaces_a_lone_public_key_file(tmp_path: Path) -> None:
    (tmp_path / "k.pub").write_text("ssh-ed25519 AAAA-someone-elses me@there\n")
    with pytest.raises(FileExistsError):
        generate_keypair(tmp_path / "k", "y")
    assert (tmp_path / "k.pub").read_text() == "ssh-ed25519 AAAA-someone-elses me@there\n"
    assert not (tmp_path / "k").exists()  # no private key without its public half either


def test_a_new_pair_goes_into_an_existing_directory_or_a_new_0700_one(tmp_path: Path) -> None:
    existing = tmp_path / "ssh"
    existing.mkdir()
    generate_keypair(existing / "a", "x")  # the directory being there is fine
    assert (existing / "a").stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "new" / "ssh"
    generate_keypair(fresh / "b", "x")
    assert fresh.stat().st_mode & 0o777 == 0o700


def test_the_private_key_of_a_public_key_is_found_by_type_and_key(tmp_path: Path) -> None:
    pub = generate_keypair(tmp_path / "id_a", "me@laptop")
    other = generate_keypair(tmp_path / "id_b", "me@laptop")
    kind, blob = pub.text.split()[:2]
    assert private_key_for(f"{kind} {blob} another-comment", tmp_path) == tmp_path / "id_a"
    assert private_key_for(other.text, tmp_path) == tmp_path / "id_b"
    assert private_key_for(f"{kind} {other.text.split()[1][:-4]}AAAA", tmp_path) is None  # not one of them
    assert private_key_for("nonsense", tmp_path) is None
    (tmp_path / "id_a").unlink()
    assert private_key_for(pub.text, tmp_path) is None  # only the .pub is left: the key lives elsewhere


def test_the_demo_never_uses_the_real_ssh_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert ssh_dir() == Path.home() / ".ssh"
    demo = ssh_dir(demo=True)
    assert demo.name == "ssh" and demo.parent.name == "demo"
    assert not str(demo).startswith(str(Path.home() / ".ssh"))


def test_a_public_key_line_with_or_without_a_comment() -> None:
    pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    assert public_key_problem(pub) is None  # the comment is optional (sshd's AUTHORIZED_KEYS format)
    assert public_key_problem(pub + " me@laptop") is None
    assert PublicKey(Path("k.pub"), pub).comment == ""
    assert PublicKey(Path("k.pub"), pub + " me@laptop with spaces").comment == "me@laptop with spaces"
    assert PublicKey(Path("k.pub"), pub + " me@laptop").kind == "ssh-ed25519"
    assert "does not hold" in (public_key_problem("ssh-ed25519 AAAAAA==") or "")  # 4 bytes: a length, no key
    assert "too short" in (public_key_problem("ssh-ed25519 AAAA") or "")


def test_a_public_key_file_without_a_comment_is_offered(tmp_path: Path) -> None:
    from azwizard.sshkeys import list_public_keys

    (tmp_path / "bare.pub").write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop\n")
    (tmp_path / "type-only.pub").write_text("ssh-ed25519\n")
    assert [k.path.name for k in list_public_keys(tmp_path)] == ["bare.pub"]


def test_the_new_public_key_file_is_0644_as_ssh_keygen_writes_it(tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        pub = generate_keypair(tmp_path / "k", "me@laptop")
    finally:
        os.umask(old)
    assert pub.path.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600


def test_each_problem_of_a_pasted_key_is_said(tmp_path: Path) -> None:
    pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    kind, blob = pub.split()
    starts = "A public key line starts with its type (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …) then the key."
    assert public_key_problem(kind) == starts  # the type alone
    assert public_key_problem(f"ssh-foo {blob}") == starts  # a type sshd does not know
    # a character outside base64 inside the key is refused, never skipped over
    assert public_key_problem(f"{kind} {blob[:20]}*{blob[20:]}") == (
        "The key part is not valid base64: copy the whole line from the .pub file.")


def test_custom_data_holding_a_private_key_is_refused_without_repeating_it(tmp_path: Path) -> None:
    from azwizard.sshkeys import custom_data_problem

    generate_keypair(tmp_path / "k", "me@laptop")
    private = (tmp_path / "k").read_text()
    problem = custom_data_problem("#cloud-config\nwrite_files:\n  - content: |\n" + private)
    assert problem is not None and problem.startswith("it holds a private key")
    assert private.splitlines()[1] not in problem
    assert custom_data_problem("#cloud-config\npackages: [nginx]\n") is None
