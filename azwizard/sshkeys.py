"""SSH keys for the VM's admin account: offer the user's existing public keys, or generate a new
ed25519 pair. The private key is written with mode 0600 and never printed, logged or shown."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .userfiles import KEY_LIMIT, UserFileError, read_user_text

KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
             "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")


@dataclass(frozen=True)
class PublicKey:
    path: Path
    text: str  # "ssh-ed25519 AAAA... comment"

    @property
    def kind(self) -> str:
        return self.text.split(" ", 1)[0]

    @property
    def comment(self) -> str:
        parts = self.text.split(None, 2)
        return parts[2] if len(parts) > 2 else ""


# What stands in a spec, a plan, an export or a message where a private key was given: the key itself never
# goes further than the reader that met it (a profile, an az command). ASCII words only, so it is safe inside
# JSON, TOML and single-quoted shell strings, and it says what happened.
PRIVATE_KEY_WITHHELD = "(withheld: that was a private key; azwizard never copies one)"

# PEM/OpenSSH private keys ("-----BEGIN OPENSSH PRIVATE KEY-----", RSA, EC, DSA, ENCRYPTED, PKCS#8) and PuTTY
# .ppk files; a block cut short (a truncated line) is withheld to its end.
_PRIVATE_BLOCKS = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)"
    r"|PuTTY-User-Key-File-.*?(?:Private-MAC: *[0-9a-fA-F]*|\Z)", re.DOTALL)


def is_private_key(text: str) -> bool:
    """Whether ``text`` holds private key material (or is what stands for one that was withheld)."""
    return ("PRIVATE KEY" in text or "PuTTY-User-Key-File-" in text
            or PRIVATE_KEY_WITHHELD in text)


def withhold_private_key(text: str) -> str:
    """``text``, or :data:`PRIVATE_KEY_WITHHELD` when it holds a private key: what a spec keeps."""
    return PRIVATE_KEY_WITHHELD if is_private_key(text) else text


def redact_private_keys(text: str) -> str:
    """``text`` with every private key block in it replaced: the last guard before anything is printed or
    written (outputs, --output files, the journal)."""
    if "PRIVATE KEY" not in text and "PuTTY-User-Key-File-" not in text:
        return text
    return _PRIVATE_BLOCKS.sub(PRIVATE_KEY_WITHHELD, text).replace("PRIVATE KEY", "private key")


def custom_data_problem(text: str) -> str | None:
    """Why ``text`` cannot be a VM's custom data (None when it can): it holds a private key, which azwizard never
    sends nor writes (the outputs would withhold it while the PUT carried it). Refused where custom data is
    entered (the wizard's field, a profile, ``az vm create --custom-data``), so every output matches the PUT; the
    key itself is never repeated back."""
    if not is_private_key(text):
        return None
    return ("it holds a private key (a -----BEGIN … PRIVATE KEY----- block or a PuTTY key), and azwizard never "
            "sends or writes one. Remove it: sign in with the SSH public key, and have the VM fetch secrets at boot "
            "(e.g. from Key Vault with its managed identity).")


def looks_like_public_key(text: str) -> bool:
    parts = text.strip().split()
    return len(parts) >= 2 and parts[0] in KEY_TYPES and parts[1].startswith("AAAA")


def public_key_problem(text: str) -> str | None:
    """Why ``text`` is not one OpenSSH public key line (None when it is). A private key is refused outright and
    never repeated back. The key blob must decode (base64) to the same key type its line names, as sshd reads
    it: https://man.openbsd.org/sshd.8#AUTHORIZED_KEYS_FILE_FORMAT (RFC 4253 section 6.6 for the blob)."""
    import base64
    import binascii

    stripped = text.strip()
    if "PRIVATE KEY" in stripped or stripped.startswith("-----BEGIN") or stripped.startswith("PuTTY-User-Key-File"):
        return ("That is a private key: never paste or upload it. Paste the public key (the .pub file's one line, "
                "e.g. ssh-ed25519 AAAA… you@host).")
    lines = [line for line in stripped.splitlines() if line.strip()]
    if len(lines) != 1:
        return "Paste exactly one public key line (ssh-ed25519 AAAA… or ssh-rsa AAAA…)."
    parts = lines[0].split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        return f"A public key line starts with its type ({', '.join(KEY_TYPES[:3])}, …) then the key."
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return "The key part is not valid base64: copy the whole line from the .pub file."
    if len(blob) < 4:
        return "The key part is too short: copy the whole line from the .pub file."
    n = int.from_bytes(blob[:4], "big")
    if blob[4:4 + n].decode("ascii", "replace") != parts[0]:
        return f"The key part does not hold a {parts[0]} key: copy the whole line from the .pub file."
    return None


def list_public_keys(ssh_dir: Path | None = None) -> list[PublicKey]:
    d = ssh_dir or Path.home() / ".ssh"
    keys = []
    if d.is_dir():
        for p in sorted(d.glob("*.pub")):
            try:
                text = read_user_text(p, limit=KEY_LIMIT).strip()  # a FIFO named x.pub must not hang the wizard
            except UserFileError:
                continue
            if looks_like_public_key(text):
                keys.append(PublicKey(p, text))
    return keys


def ssh_dir(demo: bool = False) -> Path:
    """Where azwizard looks for and writes keys (and the ssh config it offers to extend): ``~/.ssh``, or in demo
    mode a directory in azwizard's data dir, so a demo never touches the real one."""
    if demo:
        from .paths import data_dir

        return data_dir() / "demo" / "ssh"
    return Path.home() / ".ssh"


def private_key_for(public_key: str, ssh_dir: Path | None = None) -> Path | None:
    """The private key file next to the ``.pub`` file that holds ``public_key`` (same type and key; the comment may
    differ), or None when there is none in ``ssh_dir`` (the key then lives elsewhere, e.g. in an agent)."""
    # A text without both a type and a key matches none: every listed key has both (looks_like_public_key).
    want = public_key.split()[:2]
    for key in list_public_keys(ssh_dir):
        if key.text.split()[:2] == want:
            private = key.path.with_name(key.path.name.removesuffix(".pub"))
            if private != key.path and private.is_file():
                return private
    return None


def generate_keypair(private_path: Path, comment: str) -> PublicKey:
    """Write a new ed25519 key pair (``private_path`` 0600, ``private_path.pub`` 0644); refuses to
    overwrite an existing key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pub_path = private_path.with_name(private_path.name + ".pub")
    if os.path.lexists(private_path) or os.path.lexists(pub_path):  # a link to nothing counts: never written through
        raise FileExistsError(f"{private_path} already exists; choose another name")
    private_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    private_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                      serialization.NoEncryption())
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_bytes)
    os.chmod(private_path, 0o600)  # whatever the umask said
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    text = f"{public.decode()} {comment}".strip()
    fd = os.open(pub_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # nothing there, not even a link
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return PublicKey(pub_path, text)
