"""A ``Host`` entry for a new VM in the user's ssh client config, added only when asked.

The entry is added at the end of the file (after a backup of it; the file is replaced atomically and keeps its
mode), so every entry already there stays as it was, byte for byte; an alias that is already a ``Host`` pattern in the file is never added twice. ssh reads
the first value it finds for each option, and a ``Host`` block lasts until the next ``Host`` or ``Match``
line: https://man.openbsd.org/ssh_config.5
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from .atomicfile import backup_copy
from .userfiles import output_target, read_output_text, write_user_text

_ALIAS_BAD = re.compile(r"[^a-z0-9._-]+")


def host_alias(vm_name: str) -> str:
    return _ALIAS_BAD.sub("-", vm_name.lower()).strip("-.") or "azure-vm"


def host_entry(alias: str, address: str, user: str, identity_file: Path | None, note: str = "") -> str:
    lines = [f"# {note}" if note else "# added by azwizard", f"Host {alias}", f"    HostName {address}",
             f"    User {user}"]
    if identity_file is not None:
        path = str(identity_file)
        lines.append(f'    IdentityFile "{path}"' if " " in path else f"    IdentityFile {path}")
        lines.append("    IdentitiesOnly yes")
    return "\n".join(lines) + "\n"


def ssh_commands(user: str, ipv4: str | None, ipv6: str | None, identity_file: Path | None) -> list[str]:
    """The ssh commands for a new VM, over IPv4 and IPv6 (``-6``), naming the private key with ``-i`` when known
    (quoted for the shell): what the wizard's done screen and ``vm apply`` print."""
    import shlex

    key = f"-i {shlex.quote(str(identity_file))} " if identity_file is not None else ""
    out = []
    if ipv4:
        out.append(f"ssh {key}{user}@{ipv4}")
    if ipv6:
        out.append(f"ssh -6 {key}{user}@{ipv6}")
    return out


def has_host(text: str, alias: str) -> bool:
    """Whether a ``Host`` line of ``text`` already names ``alias`` (patterns are whitespace-separated)."""
    for line in text.splitlines():
        parts = re.split(r"[\s=]+", line.strip(), maxsplit=1)  # "Host a b" and "Host=a" both
        if len(parts) == 2 and parts[0].lower() == "host" and \
                alias.lower() in (p.strip('"').lower() for p in parts[1].split()):
            return True
    return False


class HostExists(Exception):
    pass


def add_host(path: Path, entry: str, alias: str) -> Path | None:
    """Add ``entry`` at the end of the ssh config at ``path`` (created 0600 in a 0700 directory when missing):
    the file is replaced atomically with its old text plus the entry, keeping its mode, and a linked config has
    its target written. Returns the backup of the previous file (None when there was none). Raises
    :class:`HostExists` when ``alias`` is already a Host there, and
    :class:`~azwizard.userfiles.OutputFileError` when what is at ``path`` is not a regular file (nothing is
    written either way)."""
    old = read_output_text(path)  # a FIFO or a device there is refused, never read
    if old is not None and has_host(old, alias):
        raise HostExists(f"{path} already has a Host {alias} entry; nothing was written")
    target = output_target(path)[0]
    backup = None
    if old is not None:
        backup = backup_copy(target, time.strftime("%Y%m%d-%H%M%S"))
    else:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    separator = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    write_user_text(path, (old or "") + separator + entry, mode=0o600)
    return backup
