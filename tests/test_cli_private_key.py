"""A private key given where the public key belongs (a profile's ssh_public_key[_file], ``check -- ...
--ssh-key-values`` / ``--ssh-key-value``) is refused by the rules, and its material appears in no output: not in
any --format on stdout, not in an --output file, not in messages, not in the journal."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import main_in_process

from azwizard.sshkeys import PRIVATE_KEY_WITHHELD, redact_private_keys

data_dir = cli_helpers.data_dir
FORMATS = ("text", "json", "az", "arm", "profile")


def private_keys(tmp_path: Path) -> dict[str, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    out = {}
    ed = ed25519.Ed25519PrivateKey.generate()
    out["openssh"] = ed.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                      serialization.NoEncryption())
    out["pkcs8"] = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    paths = {}
    for name, data in out.items():
        p = tmp_path / f"id_{name}"
        p.write_bytes(data)
        p.chmod(0o600)
        paths[name] = p
    return paths


def secret_lines(key: Path) -> list[str]:
    """The key's header and every line of its base64 body."""
    lines = [line for line in key.read_text().splitlines() if line.strip()]
    return ["PRIVATE KEY", *[line for line in lines if not line.startswith("-----")]]


def assert_clean(text: str, key: Path, where: str) -> None:
    for secret in secret_lines(key):
        assert secret not in text, f"{where} holds private key material ({secret[:20]}...)"


def with_options(argv: list[str], *options: str) -> list[str]:
    """Options go before ``--`` (check) or after the profile (plan)."""
    return ["check", *options, *argv[1:]] if argv[0] == "check" else [*argv, *options]


def profiles(tmp_path: Path, key: Path) -> dict[str, Path]:
    vm = tmp_path / "vm.toml"
    vm.write_text(f'kind = "vm"\nname = "Yolo"\nssh_public_key_file = "{key}"\n')
    aks = tmp_path / "aks.toml"
    aks.write_text(f'kind = "aks"\nname = "c"\nssh_public_key = {json.dumps(key.read_text())}\n')
    return {"vm": vm, "aks": aks}


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_holds_the_private_key(fmt: str, tmp_path: Path, data_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    for key_name, key in private_keys(tmp_path).items():
        runs = {
            "vm plan": ["vm", "plan", str(profiles(tmp_path, key)["vm"])],
            "aks plan": ["aks", "plan", str(profiles(tmp_path, key)["aks"])],
            "check vm (file)": ["check", "--", "az", "vm", "create", "-g", "rg", "-n", "v", "--image", "Debian12",
                                "--ssh-key-values", str(key)],
            "check vm (inline)": ["check", "--", "az", "vm", "create", "-n", "v", "--image", "Debian12",
                                  "--ssh-key-values", key.read_text()],
            "check aks (file)": ["check", "--", "az", "aks", "create", "-g", "rg", "-n", "c",
                                 "--ssh-key-value", str(key)],
            "check aks (inline)": ["check", "--", "az", "aks", "create", "-g", "rg", "-n", "c",
                                   "--ssh-key-value", key.read_text()],
        }
        for label, argv in runs.items():
            where = f"{label} --format {fmt} ({key_name})"
            res = main_in_process(with_options(argv, "--offline", "--format", fmt), capsys)
            assert res.code == 1, f"{where}: the private key must be a blocking finding ({res.code}: {res.err})"
            assert_clean(res.out + res.err, key, where)
            out = tmp_path / f"out-{fmt}"
            argv_out = with_options(argv, "--offline", "--format", fmt, "--output", str(out))
            res = main_in_process(argv_out, capsys)
            assert res.code == 1, where
            assert_clean(out.read_text() + res.out + res.err, key, f"{where} --output")
            assert not stat.S_IMODE(out.stat().st_mode) & 0o022, "--output is not writable by others"


def test_the_finding_still_says_it_is_a_private_key(tmp_path: Path, data_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    key = private_keys(tmp_path)["openssh"]
    res = main_in_process(["vm", "plan", str(profiles(tmp_path, key)["vm"]), "--offline", "--format", "json"], capsys)
    findings = {f["id"]: f for f in json.loads(res.out)["findings"]}
    assert findings["vm-ssh-key"]["severity"] == "block"
    assert "PRIVATE key" in findings["vm-ssh-key"]["message"]


def test_the_journal_never_holds_a_private_key(tmp_path: Path) -> None:
    from azwizard.journal import Journal

    key = private_keys(tmp_path)["openssh"]
    journal = Journal("r1", "vm", directory=tmp_path / "journal")
    journal.record("plan", steps=[{"body": {"keyData": key.read_text()}}], message=f"failed: {key.read_text()}")
    assert_clean(journal.path.read_text(), key, "the journal")
    assert PRIVATE_KEY_WITHHELD in journal.path.read_text()


def test_redaction_covers_every_private_key_shape() -> None:
    for text in ("-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----",
                 "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXk\\n-----END OPENSSH PRIVATE KEY-----\\n",
                 "x -----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIcut off",
                 "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAAsecret\nPrivate-MAC: 0a1b"):
        got = redact_private_keys(text)
        assert "PRIVATE KEY" not in got and "MIIabc" not in got and "b3BlbnNzaC1rZXk" not in got
        assert "MIIcut" not in got and "AAAAsecret" not in got
        assert PRIVATE_KEY_WITHHELD in got
