"""Profiles: a VM or AKS spec as a TOML file, for ``azwizard vm|aks plan|apply PROFILE``.

A profile holds only what differs from the defaults (every key and its default is in ``docs/profiles.md``;
``KEYS`` below is the same list, and a test checks that the page documents each one). Reading is strict:
an unknown key, a value of the wrong type, a bad CIDR, an unknown choice or a Windows-only option on a
Linux machine is an error naming the key and its line, and every problem found is reported at once. A
profile that has any problem gives no spec, so nothing can be created from it.

``tomllib`` reports no line numbers for values, so :class:`_LineIndex` scans the text for where each key
and table starts. :func:`dump_vm` / :func:`dump_aks` write a spec back as a profile (every value spelled
out, so reading it gives the same spec).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import ipaddress
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .fields import AKS_FIELDS, VM_FIELDS, Registry
from .fields import aks as aks_fields
from .fields.docs import meaning
from .specs.aks import (
    POD_CIDR_V4,
    SERVICE_CIDR_V4,
    AcrSpec,
    AksNetworkSpec,
    AksSpec,
    MaintenanceWindowSpec,
    NodePoolSpec,
    OperationsSpec,
    dual_stack_ipv6,
)
from .specs.common import is_reserved_tag, random_ula_48
from .specs.vm import (
    IMAGES,
    BackupSpec,
    DiskSpec,
    ImageRef,
    NatGatewaySpec,
    NetworkSpec,
    NsgRule,
    PublicIpSpec,
    VmNames,
    VmSpec,
    rules_for_purpose,
)
from .sshkeys import custom_data_problem, withhold_private_key
from .userfiles import CUSTOM_DATA_LIMIT, KEY_LIMIT, PROFILE_LIMIT, UserFileError, read_user_text, resolve

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]

__all__ = [
    "KEYS", "Profile", "ProfileError", "ProfileProblem", "dump_aks", "dump_vm", "load_profile", "read_profile",
]

Kind = Literal["vm", "aks"]
KeyPath = tuple[str | int, ...]


# ---------------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class ProfileProblem:
    key: str  # dotted: "network.ipv4_space", "nsg_rules[1].priority"
    line: int | None
    message: str

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ProfileError(Exception):
    """The profile cannot be used; ``problems`` lists each one (key, line, what to do)."""

    def __init__(self, source: str, problems: Sequence[ProfileProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(p.render(source) for p in self.problems))


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# ---------------------------------------------------------------------------------------------------
# Where each key is: a small scanner over the TOML text (tomllib gives no positions)


_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _LineIndex:
    """Line numbers of every key, table header and array-of-tables entry of a (valid) TOML text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[KeyPath, int] = {}
        self._counts: dict[KeyPath, int] = {}
        # A construct this small scanner misreads costs line numbers, never a crash.
        with contextlib.suppress(ValueError, IndexError):
            self._scan()

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, else of its nearest enclosing key or table."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return None

    # -- scanning

    def _scan(self) -> None:
        t, i, n = self.text, 0, len(self.text)
        table: KeyPath = ()
        while i < n:
            c = t[i]
            if c in " \t\r\n":
                i += 1
            elif c == "#":
                i = self._eol(i)
            elif c == "[":
                line = self._line(i)
                array = t.startswith("[[", i)
                i += 2 if array else 1
                keys, i = self._keys(i)
                i = t.index("]", i) + (2 if array else 1)
                path = tuple(keys)
                if array:
                    index = self._counts.get(path, 0)
                    self._counts[path] = index + 1
                    self.lines.setdefault(path, line)
                    table = (*path, index)
                else:
                    table = self._resolve(path)
                self._mark((), table, line)
            else:
                line = self._line(i)
                keys, i = self._keys(i)
                self._mark(table, (*table, *keys), line)
                i = self._skip_value(t.index("=", i) + 1)

    def _mark(self, table: KeyPath, path: KeyPath, line: int) -> None:
        """``path`` is on ``line``, and so is each table it makes implicitly below ``table``: a dotted key
        (``foo.bar = 1`` defines ``foo``) or header (``[a.b]`` defines ``a``) names the line where it first
        appears, so an error about ``foo`` points there, not at the enclosing table."""
        for end in range(len(table) + 1, len(path) + 1):
            self.lines.setdefault(path[:end], line)

    def _resolve(self, path: KeyPath) -> KeyPath:
        """A header's path with the current index of each array of tables in it."""
        out: list[str | int] = []
        strings: list[str | int] = []
        for part in path:
            out.append(part)
            strings.append(part)
            count = self._counts.get(tuple(strings))
            if count:
                out.append(count - 1)
        return tuple(out)

    def _line(self, i: int) -> int:
        return self.text.count("\n", 0, i) + 1

    def _eol(self, i: int) -> int:
        j = self.text.find("\n", i)
        return len(self.text) if j < 0 else j

    def _keys(self, i: int) -> tuple[list[str], int]:
        t = self.text
        keys: list[str] = []
        while True:
            while t[i] in " \t":
                i += 1
            if t[i] in "\"'":
                end = self._string_end(i)
                raw = t[i:end]
                keys.append(json.loads(raw) if raw[0] == '"' else raw[1:-1])
                i = end
            else:
                m = _BARE.match(t, i)
                if m is None:
                    return keys, i
                keys.append(m.group())
                i = m.end()
            while i < len(t) and t[i] in " \t":
                i += 1
            if i < len(t) and t[i] == ".":
                i += 1
                continue
            return keys, i

    def _string_end(self, i: int) -> int:
        """The index just past the string starting at ``i``."""
        t = self.text
        for quote in ('"""', "'''"):
            if t.startswith(quote, i):
                j = i + 3
                while True:
                    j = t.index(quote, j)
                    if quote == '"""' and _escaped(t, j):
                        j += 1
                        continue
                    # A closing delimiter may be followed by up to two more quotes that belong to the string.
                    while t.startswith(quote[0], j + 3):
                        j += 1
                    return j + 3
        q = t[i]
        j = i + 1
        while True:
            if t[j] == "\\" and q == '"':
                j += 2
                continue
            if t[j] == q:
                return j + 1
            j += 1

    def _skip_value(self, i: int) -> int:
        t, depth = self.text, 0
        while i < len(t):
            c = t[i]
            if c in "\"'":
                i = self._string_end(i)
                continue
            if c == "#":
                i = self._eol(i)
                continue
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
            elif c == "\n" and depth <= 0:
                return i
            i += 1
        return i


def _escaped(t: str, j: int) -> bool:
    backslashes = 0
    while j - 1 - backslashes >= 0 and t[j - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# ---------------------------------------------------------------------------------------------------
# The schema: every key, its type, its default and what it means (docs/profiles.md says the same)


@dataclass(frozen=True)
class Key:
    path: str  # dotted; "nsg_rules[].name" for keys of each array-of-tables entry
    type: str  # str | int | bool | list[str] | table[str] | table | array[table]
    default: str  # as documented
    doc: str
    choices: tuple[str, ...] = ()


def _keys(registry: Registry) -> tuple[Key, ...]:
    """The profile keys of a journey: its registry's fields that a profile may set (azwizard/fields)."""
    return tuple(Key(f.key, f.type, f.default, meaning(f), f.values) for f in registry.profile)


VM_KEYS = _keys(VM_FIELDS)
AKS_KEYS = _keys(AKS_FIELDS)
DISK_SKUS = VM_FIELDS.key("os_disk.sku").values
OS_SKUS_LINUX = aks_fields.OS_SKUS_LINUX
OS_SKUS_WINDOWS = aks_fields.OS_SKUS_WINDOWS
UPGRADE_CHANNELS = aks_fields.UPGRADE_CHANNELS
NODE_OS_CHANNELS = aks_fields.NODE_OS_CHANNELS
SCHEDULE_TYPES = aks_fields.SCHEDULE_TYPES
WEEK_DAYS = aks_fields.WEEK_DAYS
WEEK_INDEXES = aks_fields.WEEK_INDEXES


def _values(kind: Kind, key: str) -> tuple[Any, ...]:
    return (VM_FIELDS if kind == "vm" else AKS_FIELDS).key(key).values


def _range(kind: Kind, key: str) -> tuple[int, int]:
    bounds = (VM_FIELDS if kind == "vm" else AKS_FIELDS).key(key).range
    assert bounds is not None, key
    return bounds


KEYS: dict[Kind, tuple[Key, ...]] = {"vm": VM_KEYS, "aks": AKS_KEYS}

# Options that exist only for Windows machines: named so the error says why, instead of "unknown key".
WINDOWS_ONLY_VM = {
    "admin_password": "a password sign-in",
    "license_type": "Azure Hybrid Benefit for Windows Server",
    "timezone": "the Windows time zone",
    "enable_automatic_updates": "Windows Update settings",
    "enable_hotpatching": "Windows Server hotpatching",
    "winrm_listeners": "WinRM listeners",
    "additional_unattend_content": "Windows unattend content",
}
WINDOWS_ONLY_AKS = {
    "windows_admin_username": "the Windows nodes' administrator",
    "windows_admin_password": "the Windows nodes' administrator password",
    "enable_ahub": "Azure Hybrid Benefit for Windows nodes",
    "license_type": "Azure Hybrid Benefit for Windows nodes",
    "gmsa": "group managed service accounts for Windows pods",
}


def _schema(kind: Kind) -> dict[str, Key]:
    return {k.path: k for k in KEYS[kind]}


# ---------------------------------------------------------------------------------------------------
# Reading


@dataclass
class Profile:
    kind: Kind
    spec: VmSpec | AksSpec
    source: str
    explicit: frozenset[str] = field(default_factory=frozenset)  # dotted keys the profile sets

    @property
    def vm(self) -> VmSpec:
        assert isinstance(self.spec, VmSpec)
        return self.spec

    @property
    def aks(self) -> AksSpec:
        assert isinstance(self.spec, AksSpec)
        return self.spec


def load_profile(path: str | Path, kind: Kind | None = None) -> Profile:
    """Read a profile file; ``kind`` is what the command expects (a ``kind`` key must agree)."""
    p = Path(path)
    try:
        text = read_user_text(p, limit=PROFILE_LIMIT)
    except UserFileError as exc:
        raise ProfileError(str(path).replace("\0", "\\0"),
                           [ProfileProblem("", None, f"cannot read the profile: {exc.reason}")]) from exc
    return read_profile(text, kind, source=str(path), base_dir=p.parent)


_TOML_POS = re.compile(r"\(at line (\d+), column \d+\)")


def read_profile(text: str, kind: Kind | None = None, *, source: str = "<profile>",
                 base_dir: Path | None = None) -> Profile:
    try:
        data = tomllib.loads(text)
    except RecursionError as exc:  # tomllib nests one Python call per [ or {: a hostile file exhausts the stack
        raise ProfileError(source, [ProfileProblem("", None, "not valid TOML for azwizard: arrays or tables nested "
                                                             "too deeply")]) from exc
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        msg = _TOML_POS.sub("", str(exc)).strip()
        raise ProfileError(source, [ProfileProblem("", int(m.group(1)) if m else None,
                                                   f"not valid TOML: {msg}")]) from exc
    except ValueError as exc:  # tomllib lets int() refuse an integer of more than 4300 digits
        raise ProfileError(source, [ProfileProblem("", None, "not valid TOML for azwizard: a number is too long "
                                                             f"({str(exc)[:60]})")]) from exc
    reader = _Reader(data, _LineIndex(text), base_dir or Path.cwd())
    declared = data.get("kind")
    if kind is None:
        if declared not in ("vm", "aks"):
            reader.problem(("kind",), "say which profile this is: kind = \"vm\" or kind = \"aks\""
                           if declared is None else f"must be \"vm\" or \"aks\", not {declared!r}")
            raise ProfileError(source, reader.problems)
        kind = declared
    elif declared is not None and declared != kind:
        reader.problem(("kind",), f"this is a {declared!r} profile, but the command is `azwizard {kind}`: use "
                                  f"`azwizard {declared} ...` or fix kind")
        raise ProfileError(source, reader.problems)
    assert kind in ("vm", "aks")
    spec = _read_vm(reader) if kind == "vm" else _read_aks(reader)
    if reader.problems or spec is None:
        raise ProfileError(source, sorted(reader.problems, key=lambda p: p.line or 0))
    return Profile(kind, spec, source, frozenset(reader.seen))


_TYPE_WORDS = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array",
               dict: "a table"}


def _type_word(value: Any) -> str:
    for t, word in _TYPE_WORDS.items():
        if isinstance(value, t):
            return word
    return f"a {type(value).__name__}"


class _Reader:
    """Typed access to the parsed TOML that records problems (with lines) instead of raising."""

    def __init__(self, data: Mapping[str, Any], index: _LineIndex, base_dir: Path) -> None:
        self.data = data
        self.index = index
        self.base_dir = base_dir
        self.problems: list[ProfileProblem] = []
        self.seen: set[str] = set()

    def problem(self, path: KeyPath, message: str) -> None:
        # A missing key has no line of its own: its table's line, or line 1 for the top level.
        self.problems.append(ProfileProblem(_dotted(path), self.index.line_of(path) or 1, message))

    def table(self, path: KeyPath) -> Mapping[str, Any]:
        node: Any = self.data
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            elif isinstance(node, dict) and isinstance(part, str):
                node = node.get(part)
            else:
                return {}
        return node if isinstance(node, dict) else {}

    def check_keys(self, path: KeyPath, allowed: set[str], *, windows_only: Mapping[str, str] | None = None,
                   windows_note: str = "") -> None:
        for key in self.table(path):
            if key in allowed:
                continue
            if windows_only and key in windows_only:
                self.problem((*path, key), f"{windows_only[key]} is a Windows-only option; {windows_note}")
                continue
            close = difflib.get_close_matches(key.lower().replace("-", "_"), sorted(allowed), n=1, cutoff=0.75)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            self.problem((*path, key), f"unknown key{hint}; see docs/profiles.md for the keys a profile may hold")

    def get(self, path: KeyPath, want: type | tuple[type, ...], default: Any = None) -> Any:
        node = self.table(path[:-1])
        key = str(path[-1])
        if key not in node:
            return default
        value = node[key]
        self.seen.add(_dotted(tuple(p for p in path if isinstance(p, str))))
        wanted = want if isinstance(want, tuple) else (want,)
        # bool is an int in Python; a profile's true is never a count.
        if isinstance(value, bool) and bool not in wanted or not isinstance(value, wanted):
            words = " or ".join(_TYPE_WORDS[w] for w in wanted)
            self.problem(path, f"expected {words}, got {_type_word(value)} ({_show(value)})")
            return default
        return value

    def has(self, path: KeyPath) -> bool:
        return str(path[-1]) in self.table(path[:-1])

    def str_(self, path: KeyPath, default: str, choices: Sequence[str] = ()) -> str:
        value = self.get(path, str, default)
        if choices and value not in choices:
            fixed = next((c for c in choices if c.lower() == str(value).lower()), None)
            hint = f" (did you mean {fixed!r}?)" if fixed else ""
            self.problem(path, f"{value!r} is not one of " + ", ".join(repr(c) for c in choices) + hint)
            return default
        return str(value)

    def int_(self, path: KeyPath, default: int | None, lo: int | None = None, hi: int | None = None) -> int | None:
        value = self.get(path, int, default)
        if value is None:
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.problem(path, f"{value} is out of range ({lo}-{hi})" if hi is not None else
                         f"{value} is too small (at least {lo})")
            return default
        return int(value)

    def bool_(self, path: KeyPath, default: bool) -> bool:
        return bool(self.get(path, bool, default))

    def strs(self, path: KeyPath, default: Sequence[str]) -> tuple[str, ...]:
        value = self.get(path, list, None)
        if value is None:
            return tuple(default)
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(path, f"item {i + 1} should be a string, got {_type_word(item)} ({_show(item)})")
                return tuple(default)
            out.append(item)
        return tuple(out)

    def str_table(self, path: KeyPath) -> tuple[tuple[str, str], ...]:
        value = self.get(path, dict, {})
        out = []
        for k, v in value.items():
            if is_reserved_tag(str(k)):
                # azwizard's own bookkeeping: who made a resource decides what cleanup may delete and what a
                # later run may change, so a profile cannot claim it (issue 11).
                self.problem((*path, k), f"the tag {k!r} is azwizard's own (it records which run made a resource) "
                                         "and cannot be set in a profile; use another tag name")
                continue
            if not isinstance(v, str):
                self.problem((*path, k), f"a tag value must be a string, got {_type_word(v)} ({_show(v)})")
                continue
            out.append((k, v))
        return tuple(out)

    def file_or_text(self, text_key: KeyPath, file_key: KeyPath, what: str) -> str:
        text = self.get(text_key, str, "")
        path = self.get(file_key, str, "")
        if text and path:
            self.problem(file_key, f"give {what} either inline ({_dotted(text_key)}) or as a file "
                                   f"({_dotted(file_key)}), not both")
            return str(text)
        if not path:
            return str(text)
        p = resolve(str(path), self.base_dir)
        try:
            return read_user_text(p, limit=KEY_LIMIT if "ssh" in _dotted(file_key) else CUSTOM_DATA_LIMIT)
        except UserFileError as exc:
            self.problem(file_key, f"cannot read {exc}")
            return ""

    def cidr(self, path: KeyPath, value: str, version: int | None = None) -> bool:
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError:
            self.problem(path, f"{value!r} is not a valid CIDR (e.g. " +
                         ("fd12:3456:789a::/48" if version == 6 else "10.0.0.0/16") + ")")
            return False
        if "/" not in value:
            self.problem(path, f"{value!r} has no prefix length: write it as a CIDR such as {net.compressed}")
            return False
        if version is not None and net.version != version:
            self.problem(path, f"{value!r} is an IPv{net.version} range; this must be IPv{version}")
            return False
        return True


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _allowed(kind: Kind, table: str) -> set[str]:
    """The keys allowed directly in ``table`` ("" = top level, "nsg_rules[]" for array entries)."""
    prefix = f"{table}." if table else ""
    return {path[len(prefix):] for path in _schema(kind)
            if path.startswith(prefix) and "." not in path[len(prefix):] and "[" not in path[len(prefix):]}


def _plain(r: _Reader, registry: Registry) -> dict[str, Any]:
    """The plain fields (azwizard/fields: top-level scalars that need no code here) the profile sets, read with
    their type, choices and range; a field it leaves out keeps the spec's default."""
    out: dict[str, Any] = {}
    want: dict[str, type | tuple[type, ...]] = {"str": str, "int": int, "float": (int, float), "bool": bool}
    for f in registry.plain:
        path: KeyPath = (f.key,)
        if not r.has(path) or f.spec is None:
            continue
        before = len(r.problems)
        value = r.str_(path, "", f.values) if f.choices else r.get(path, want[f.type])
        if f.range is not None and isinstance(value, (int, float)) and not f.range[0] <= value <= f.range[1]:
            r.problem(path, f"{value} is out of range ({f.range[0]}-{f.range[1]})")
        if len(r.problems) == before and value is not None:
            out[f.spec] = float(value) if f.type == "float" else value
    return out


def _name_ok(r: _Reader, path: KeyPath, value: str) -> str:
    if not value.strip():
        r.problem(path, "must not be empty")
    return value.strip()


# ---------------------------------------------------------------------------------------------------
# VM profiles


def _read_vm(r: _Reader) -> VmSpec | None:
    r.check_keys((), _allowed("vm", ""), windows_only=WINDOWS_ONLY_VM,
                 windows_note="azwizard creates Linux VMs that sign in with SSH keys: remove it")
    for table in ("names", "network", "public_ip", "nat_gateway", "os_disk", "data_disk", "backup"):
        if r.has((table,)) and not isinstance(r.data.get(table), dict):
            r.get((table,), dict)
        else:
            r.check_keys((table,), _allowed("vm", table))
    name = r.get(("name",), str)
    if name is None:
        if "name" not in r.data:
            r.problem(("name",), "missing: every profile needs a name (the VM's base name, e.g. name = \"Yolo\")")
        return None
    name = _name_ok(r, ("name",), name)
    spec = VmSpec.for_base(name or "x")

    names = VmNames.derive(name or "x")
    overrides = {f.name: _name_ok(r, ("names", f.name), r.str_(("names", f.name), getattr(names, f.name)))
                 for f in dataclasses.fields(VmNames) if r.has(("names", f.name))}
    names = dataclasses.replace(names, **overrides)

    image = _vm_image(r)
    net = _vm_network(r)
    pip_zones = r.strs(("public_ip", "zones"), spec.public_ip.zones)
    _zones(r, ("public_ip", "zones"), pip_zones)
    public_ip = PublicIpSpec(
        sku=r.str_(("public_ip", "sku"), "Standard", _values("vm", "public_ip.sku")),
        allocation=r.str_(("public_ip", "allocation"), "Static", _values("vm", "public_ip.allocation")),
        zones=pip_zones,
        routing_preference=r.str_(("public_ip", "routing_preference"), "Microsoft",  # type: ignore[arg-type]
                                  _values("vm", "public_ip.routing_preference")),
        idle_timeout_minutes=r.int_(("public_ip", "idle_timeout_minutes"), 4,
                                    *_range("vm", "public_ip.idle_timeout_minutes")) or 4,
    )
    nat_zones = r.strs(("nat_gateway", "zones"), ())
    _zones(r, ("nat_gateway", "zones"), nat_zones)
    if len(nat_zones) > 1:
        r.problem(("nat_gateway", "zones"), "a Standard NAT gateway is zonal or has no zone: give at most one zone")
    nat = NatGatewaySpec(
        enabled=r.bool_(("nat_gateway", "enabled"), False),
        idle_timeout_minutes=r.int_(("nat_gateway", "idle_timeout_minutes"), 10,
                                    *_range("vm", "nat_gateway.idle_timeout_minutes")) or 10,
        zones=nat_zones,
    )
    purpose, rules = _vm_rules(r)
    zone = r.str_(("zone",), "", _values("vm", "zone"))
    os_disk = DiskSpec(size_gb=r.int_(("os_disk", "size_gb"), None, *_range("vm", "os_disk.size_gb")),
                       sku=r.str_(("os_disk", "sku"), "StandardSSD_LRS", DISK_SKUS),
                       delete_with_vm=r.bool_(("os_disk", "delete_with_vm"), True))
    data_disk = None
    if r.has(("data_disk",)) and isinstance(r.data.get("data_disk"), dict):
        data_disk = DiskSpec(size_gb=r.int_(("data_disk", "size_gb"), None, *_range("vm", "data_disk.size_gb")),
                             sku=r.str_(("data_disk", "sku"), "StandardSSD_LRS", _values("vm", "data_disk.sku")),
                             delete_with_vm=r.bool_(("data_disk", "delete_with_vm"), True))
    backup = BackupSpec(enabled=r.bool_(("backup", "enabled"), False),
                        policy=r.str_(("backup", "policy"), "auto", _values("vm", "backup.policy")))  # type: ignore[arg-type]
    # A private key given here stays here: the spec keeps a placeholder that the rules refuse.
    ssh_key = withhold_private_key(r.file_or_text(("ssh_public_key",), ("ssh_public_key_file",), "the SSH key").strip())
    custom_data = r.file_or_text(("custom_data",), ("custom_data_file",), "the custom data")
    problem = custom_data_problem(custom_data)
    if problem:  # refused here, so no output (az, JSON, ARM) and no PUT can differ about it
        r.problem(("custom_data_file",) if r.has(("custom_data_file",)) else ("custom_data",), problem)
        custom_data = ""
    return spec.with_(
        location=r.str_(("location",), spec.location).strip(),
        names=names,
        use_existing_group=r.bool_(("use_existing_group",), False),
        network=net,
        public_ip=public_ip,
        nat_gateway=nat,
        purpose=purpose,
        nsg_rules=rules,
        image=image,
        size=r.str_(("size",), spec.size),
        zone=zone or None,
        security_type=r.str_(("security_type",), "TrustedLaunch", _values("vm", "security_type")),
        admin_username=r.str_(("admin_username",), "azureuser"),
        ssh_public_key=ssh_key,
        os_disk=os_disk,
        data_disk=data_disk,
        nic_delete_with_vm=r.bool_(("nic_delete_with_vm",), True),
        public_ip_delete_with_vm=r.bool_(("public_ip_delete_with_vm",), False),
        accelerated_networking=r.bool_(("accelerated_networking",), False),
        backup=backup,
        custom_data=custom_data,
        extra_tags=r.str_table(("tags",)),
        **_plain(r, VM_FIELDS),
    )


_WINDOWS_PUBLISHERS = ("microsoftwindowsserver", "microsoftwindowsdesktop", "microsoftsqlserver")


def _vm_image(r: _Reader) -> ImageRef:
    value = r.str_(("image",), "debian-12")
    if value in IMAGES:
        return IMAGES[value]
    parts = value.split(":")
    if len(parts) != 4 or not all(p.strip() for p in parts):
        r.problem(("image",), f"{value!r} is neither an image alias (" + ", ".join(IMAGES) +
                  ") nor a URN publisher:offer:sku:version")
        return IMAGES["debian-12"]
    if parts[0].lower() in _WINDOWS_PUBLISHERS:
        r.problem(("image",), f"{value!r} is a Windows image; azwizard creates Linux VMs (SSH keys, cloud-init)")
    match = next((img for img in IMAGES.values() if img.urn.lower() == value.lower()), None)
    return match or ImageRef(*parts)


def _vm_network(r: _Reader) -> NetworkSpec:
    v4 = r.str_(("network", "ipv4_space"), "10.0.0.0/16")
    v6 = r.str_(("network", "ipv6_space"), "")
    s4 = r.str_(("network", "subnet_ipv4"), "")
    s6 = r.str_(("network", "subnet_ipv6"), "")
    ok = r.cidr(("network", "ipv4_space"), v4, 4)
    ok6 = not v6 or r.cidr(("network", "ipv6_space"), v6, 6)
    for key, value, version, space, space_ok in (("subnet_ipv4", s4, 4, v4, ok), ("subnet_ipv6", s6, 6, v6, ok6)):
        if value and r.cidr(("network", key), value, version) and space and space_ok:
            inner = ipaddress.ip_network(value, strict=False)
            outer = ipaddress.ip_network(space, strict=False)
            if not inner.subnet_of(outer):  # type: ignore[arg-type]
                r.problem(("network", key), f"{value} is not inside the address space {space}")
    return NetworkSpec(ipv4_space=v4, ipv6_space=v6 or random_ula_48(), subnet_ipv4=s4, subnet_ipv6=s6)


def _zones(r: _Reader, path: KeyPath, zones: Sequence[str]) -> None:
    bad = [z for z in zones if z not in ("1", "2", "3")]
    if bad:
        r.problem(path, f"zones are \"1\", \"2\" or \"3\", not {', '.join(map(repr, bad))}")
    elif len(set(zones)) != len(zones):
        r.problem(path, "a zone is listed twice")


def _vm_rules(r: _Reader) -> tuple[Any, tuple[NsgRule, ...]]:
    explicit = r.has(("nsg_rules",))
    purpose = r.str_(("purpose",), "custom" if explicit else "web", _values("vm", "purpose"))
    source = r.str_(("ssh_source",), "*")
    if r.has(("ssh_source",)):
        _source(r, ("ssh_source",), source)
        if explicit:
            r.problem(("ssh_source",), "applies to the rules of purpose web/ssh-only only; with nsg_rules, set "
                                       "source in each rule")
    if not explicit:
        return purpose, rules_for_purpose(purpose, source)  # type: ignore[arg-type]
    entries = r.get(("nsg_rules",), list, [])
    rules: list[NsgRule] = []
    names: set[str] = set()
    priorities: set[tuple[str, int]] = set()
    for i, entry in enumerate(entries):
        p: KeyPath = ("nsg_rules", i)
        if not isinstance(entry, dict):
            r.problem(p, f"each rule is a table ([[nsg_rules]]), got {_type_word(entry)}")
            continue
        r.check_keys(p, _allowed("vm", "nsg_rules[]"))
        missing = [k for k in ("name", "priority", "protocol", "ports") if k not in entry]
        for k in missing:
            r.problem((*p, k), "missing (every rule needs name, priority, protocol and ports)")
        if missing:
            continue
        name = _name_ok(r, (*p, "name"), r.str_((*p, "name"), "x"))
        before = len(r.problems)
        priority = r.int_((*p, "priority"), 100, *_range("vm", "nsg_rules[].priority")) or 100
        priority_ok = len(r.problems) == before
        rule = NsgRule(
            name=name, priority=priority,
            protocol=r.str_((*p, "protocol"), "Tcp", _values("vm", "nsg_rules[].protocol")),  # type: ignore[arg-type]
            destination_ports=_ports(r, (*p, "ports")),
            source=r.str_((*p, "source"), "*"),
            access=r.str_((*p, "access"), "Allow", _values("vm", "nsg_rules[].access")),  # type: ignore[arg-type]
            direction=r.str_((*p, "direction"), "Inbound",  # type: ignore[arg-type]
                             _values("vm", "nsg_rules[].direction")),
            description=r.str_((*p, "description"), ""),
        )
        if r.has((*p, "source")):
            _source(r, (*p, "source"), rule.source)
        if name.lower() in names:
            r.problem((*p, "name"), f"two rules are named {name!r}")
        if priority_ok and (rule.direction, priority) in priorities:
            r.problem((*p, "priority"), f"two {rule.direction.lower()} rules have priority {priority}")
        names.add(name.lower())
        if priority_ok:
            priorities.add((rule.direction, priority))
        rules.append(rule)
    return purpose, tuple(rules)


_PORT = re.compile(r"^(\*|\d{1,5}(-\d{1,5})?)$")


def _ports(r: _Reader, path: KeyPath) -> tuple[str, ...]:
    ports = r.strs(path, ("*",))
    if not ports:
        r.problem(path, "give at least one port, a range such as \"8000-8080\", or \"*\"")
    for port in ports:
        ok = _PORT.match(port) is not None
        if ok and port != "*":
            ok = all(0 <= int(x) <= 65535 for x in port.split("-"))
        if not ok:
            r.problem(path, f"{port!r} is not a port (0-65535), a range such as \"8000-8080\", or \"*\"")
    return ports


_SERVICE_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$")


def _source(r: _Reader, path: KeyPath, value: str) -> None:
    if value == "*":
        return
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        if not _SERVICE_TAG.match(value):  # a service tag: Internet, VirtualNetwork, Storage.WestEurope...
            r.problem(path, f"{value!r} is not *, a service tag such as Internet, or an address/CIDR")


# ---------------------------------------------------------------------------------------------------
# AKS profiles


def _read_aks(r: _Reader) -> AksSpec | None:
    pools = r.data.get("user_pools")
    has_windows_pool = isinstance(pools, list) and any(isinstance(p, dict) and p.get("os_type") == "Windows"
                                                       for p in pools)
    r.check_keys((), _allowed("aks", ""), windows_only=WINDOWS_ONLY_AKS,
                 windows_note=("azwizard does not set it (the cluster's Windows profile is left to AKS)"
                               if has_windows_pool else "this cluster has only Linux node pools: remove it"))
    for table in ("system_pool", "network", "acr", "operations", "operations.upgrade_window",
                  "operations.node_os_window"):
        if r.has((table,)) and not isinstance(r.data.get(table), dict):
            r.get((table,), dict)
        else:
            r.check_keys(tuple(table.split(".")), _allowed("aks", table))
    name = r.get(("name",), str)
    if name is None:
        if "name" not in r.data:
            r.problem(("name",), "missing: every profile needs a name (the cluster's name, e.g. name = \"aks-dev\")")
        return None
    name = _name_ok(r, ("name",), name)
    base = AksSpec()
    system = _pool(r, ("system_pool",), NodePoolSpec(), system=True)
    users: list[NodePoolSpec] = []
    if r.has(("user_pools",)):
        for i, entry in enumerate(r.get(("user_pools",), list, [])):
            p: KeyPath = ("user_pools", i)
            if not isinstance(entry, dict):
                r.problem(p, f"each pool is a table ([[user_pools]]), got {_type_word(entry)}")
                continue
            r.check_keys(p, _allowed("aks", "user_pools[]"))
            if "name" not in entry:
                r.problem((*p, "name"), "missing (every user pool needs a name)")
                continue
            users.append(_pool(r, p, NodePoolSpec(mode="User"), system=False))
    ranges = r.strs(("authorized_ip_ranges",), ())
    for value in ranges:
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError:
            r.problem(("authorized_ip_ranges",), f"{value!r} is not an IPv4 address or CIDR")
            continue
        if net.version != 4:
            r.problem(("authorized_ip_ranges",), f"{value!r}: authorized IP ranges are IPv4 only")
    # A private key given here stays here: the spec keeps a placeholder that the rules refuse.
    ssh_key = withhold_private_key(r.file_or_text(("ssh_public_key",), ("ssh_public_key_file",), "the SSH key").strip())
    return AksSpec(
        location=r.str_(("location",), base.location).strip(),
        resource_group=_name_ok(r, ("resource_group",), r.str_(("resource_group",), f"{name}-RG")),
        use_existing_group=r.bool_(("use_existing_group",), False),
        cluster_name=name,
        dns_prefix=r.str_(("dns_prefix",), ""),
        tier=r.str_(("tier",), "free", _values("aks", "tier")),  # type: ignore[arg-type]
        support_plan=r.str_(("support_plan",), "KubernetesOfficial",  # type: ignore[arg-type]
                            _values("aks", "support_plan")),
        kubernetes_version=r.str_(("kubernetes_version",), "").strip(),
        vm_set_type=r.str_(("vm_set_type",), "VirtualMachineScaleSets",  # type: ignore[arg-type]
                           _values("aks", "vm_set_type")),
        system_pool=system,
        user_pools=tuple(users),
        network=_aks_network(r),
        authorized_ip_ranges=ranges,
        private_cluster=r.bool_(("private_cluster",), False),
        disable_public_fqdn=r.bool_(("disable_public_fqdn",), False),
        operations=_operations(r),
        acr=_acr(r),
        admin_username=r.str_(("admin_username",), "azureuser"),
        ssh_public_key=ssh_key,
        extra_tags=r.str_table(("tags",)),
        **_plain(r, AKS_FIELDS),
    )


def _pool(r: _Reader, p: KeyPath, default: NodePoolSpec, *, system: bool) -> NodePoolSpec:
    table = "system_pool" if system else "user_pools[]"
    os_type = r.str_((*p, "os_type"), "Linux", _values("aks", f"{table}.os_type"))
    os_sku_default = "Windows2022" if os_type == "Windows" else default.os_sku
    os_sku = r.str_((*p, "os_sku"), os_sku_default, AKS_FIELDS.key(f"{table}.os_sku").known)
    if os_type == "Linux" and os_sku in OS_SKUS_WINDOWS:
        r.problem((*p, "os_sku"), f"{os_sku} is a Windows-only OS SKU, and this pool runs Linux (os_type = "
                                  f"\"Linux\"): use one of {', '.join(OS_SKUS_LINUX)}, or os_type = \"Windows\" "
                                  "in a user pool")
    elif os_type == "Windows" and os_sku in OS_SKUS_LINUX:
        r.problem((*p, "os_sku"), f"{os_sku} is a Linux OS SKU, and this pool runs Windows: use one of "
                                  f"{', '.join(OS_SKUS_WINDOWS)}")
    zones = r.strs((*p, "zones"), ())
    _zones(r, (*p, "zones"), zones)
    return NodePoolSpec(
        name=r.str_((*p, "name"), default.name),
        vm_size=r.str_((*p, "vm_size"), default.vm_size),
        count=r.int_((*p, "count"), default.count, *_range("aks", f"{table}.count")) or 0,
        mode="System" if system else r.str_((*p, "mode"), "User",  # type: ignore[arg-type]
                                            _values("aks", "user_pools[].mode")),
        os_type=os_type,  # type: ignore[arg-type]
        os_sku=os_sku,
        os_disk_type=r.str_((*p, "os_disk_type"), "Managed",  # type: ignore[arg-type]
                            _values("aks", f"{table}.os_disk_type")),
        os_disk_size_gb=r.int_((*p, "os_disk_size_gb"), None, *_range("aks", f"{table}.os_disk_size_gb")),
        zones=zones,
        max_pods=r.int_((*p, "max_pods"), None, *_range("aks", f"{table}.max_pods")),
    )


def _aks_network(r: _Reader) -> AksNetworkSpec:
    p: KeyPath = ("network",)
    families = r.strs((*p, "ip_families"), ("IPv4", "IPv6"))
    canon = {"ipv4": "IPv4", "ipv6": "IPv6"}
    if [f.lower() for f in families] not in (["ipv4"], ["ipv4", "ipv6"]):
        r.problem((*p, "ip_families"), f"{list(families)} is not supported: use [\"IPv4\"] or [\"IPv4\", \"IPv6\"] "
                                       "(AKS has no IPv6-only clusters)")
        families = ("IPv4", "IPv6")
    families = tuple(canon[f.lower()] for f in families)
    pods6, services6 = dual_stack_ipv6(random_ula_48())
    pod_default = (POD_CIDR_V4, pods6)[:len(families)]
    svc_default = (SERVICE_CIDR_V4, services6)[:len(families)]
    pods = r.strs((*p, "pod_cidrs"), pod_default)
    services = r.strs((*p, "service_cidrs"), svc_default)
    for key, values in (("pod_cidrs", pods), ("service_cidrs", services)):
        for value in values:
            r.cidr((*p, key), value)
    dns_ip = r.str_((*p, "dns_service_ip"), "")
    if dns_ip:
        try:
            ipaddress.ip_address(dns_ip)
        except ValueError:
            r.problem((*p, "dns_service_ip"), f"{dns_ip!r} is not an IP address")
    return AksNetworkSpec(
        plugin=r.str_((*p, "plugin"), "azure", _values("aks", "network.plugin")),  # type: ignore[arg-type]
        plugin_mode=r.str_((*p, "plugin_mode"), "overlay",  # type: ignore[arg-type]
                           _values("aks", "network.plugin_mode")),
        dataplane=r.str_((*p, "dataplane"), "cilium", _values("aks", "network.dataplane")),  # type: ignore[arg-type]
        policy=r.str_((*p, "policy"), "cilium", _values("aks", "network.policy")),  # type: ignore[arg-type]
        ip_families=families,
        pod_cidrs=pods,
        service_cidrs=services,
        dns_service_ip=dns_ip,
        outbound_type=r.str_((*p, "outbound_type"), "loadBalancer",  # type: ignore[arg-type]
                             _values("aks", "network.outbound_type")),
        load_balancer_sku=r.str_((*p, "load_balancer_sku"), "standard",  # type: ignore[arg-type]
                                 _values("aks", "network.load_balancer_sku")),
        outbound_ipv4_count=r.int_((*p, "outbound_ipv4_count"), None, *_range("aks", "network.outbound_ipv4_count")),
        outbound_ipv6_count=r.int_((*p, "outbound_ipv6_count"), None, *_range("aks", "network.outbound_ipv6_count")),
    )


def _operations(r: _Reader) -> OperationsSpec:
    p: KeyPath = ("operations",)
    if r.has(p) and not isinstance(r.data.get("operations"), dict):
        return OperationsSpec()
    return OperationsSpec(
        upgrade_channel=r.str_((*p, "upgrade_channel"), "", _values("aks", "operations.upgrade_channel")),  # type: ignore[arg-type]
        node_os_upgrade_channel=r.str_((*p, "node_os_upgrade_channel"), "", _values("aks", "operations.node_os_upgrade_channel")),  # type: ignore[arg-type]
        upgrade_window=_window(r, (*p, "upgrade_window")),
        node_os_window=_window(r, (*p, "node_os_window")),
        image_cleaner=r.bool_((*p, "image_cleaner"), False),
        image_cleaner_interval_hours=r.int_((*p, "image_cleaner_interval_hours"), 168, *_range("aks", "operations.image_cleaner_interval_hours")) or 168,
        ssh_access=r.str_((*p, "ssh_access"), "", _values("aks", "operations.ssh_access")),  # type: ignore[arg-type]
        app_routing=r.bool_((*p, "app_routing"), False),
        monitor_metrics=r.bool_((*p, "monitor_metrics"), False),
    )


def _window(r: _Reader, p: KeyPath) -> MaintenanceWindowSpec | None:
    """A maintenance window table; its times are checked for form here, its length by the rules (so a 2-hour
    window is read, and refused with the reason and its source)."""
    if not r.has(p):
        return None
    if not isinstance(r.table(p[:-1]).get(str(p[-1])), dict):
        r.get(p, dict)
        return None
    base = MaintenanceWindowSpec()
    for key, pattern, form in (("start_time", r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "HH:mm, e.g. 22:00"),
                               ("utc_offset", r"^([+-]([01][0-9]|2[0-3]):[0-5][0-9])?$", "+HH:mm or -HH:mm"),
                               ("start_date", r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", "yyyy-MM-dd")):
        value = r.str_((*p, key), getattr(base, key))
        if not re.match(pattern, value):
            r.problem((*p, key), f"{value!r} is not of the form {form}")
    return MaintenanceWindowSpec(
        schedule=r.str_((*p, "schedule"), base.schedule, SCHEDULE_TYPES),  # type: ignore[arg-type]
        interval=r.int_((*p, "interval"), base.interval, 1, 7) or 1,
        day_of_week=r.str_((*p, "day_of_week"), base.day_of_week, WEEK_DAYS),
        day_of_month=r.int_((*p, "day_of_month"), base.day_of_month, 1, 31) or 1,
        week_index=r.str_((*p, "week_index"), base.week_index, WEEK_INDEXES),
        start_date=r.str_((*p, "start_date"), base.start_date),
        start_time=r.str_((*p, "start_time"), base.start_time),
        duration_hours=r.int_((*p, "duration_hours"), base.duration_hours, 1, 24) or base.duration_hours,
        utc_offset=r.str_((*p, "utc_offset"), base.utc_offset),
    )


def _acr(r: _Reader) -> AcrSpec:
    p: KeyPath = ("acr",)
    mode = r.str_((*p, "mode"), "none", _values("aks", "acr.mode"))
    acr = AcrSpec(mode=mode, name=r.str_((*p, "name"), ""), sku=r.str_((*p, "sku"), "Basic",  # type: ignore[arg-type]
                                                                         _values("aks", "acr.sku")),
                  existing_id=r.str_((*p, "existing_id"), ""))
    if mode == "create" and not acr.name:
        r.problem((*p, "name"), "missing: acr.mode = \"create\" needs the registry's name")
    if mode == "attach" and not acr.existing_id:
        r.problem((*p, "existing_id"), "missing: acr.mode = \"attach\" needs the registry's resource id")
    return acr


# ---------------------------------------------------------------------------------------------------
# Writing


def _toml_str(value: str) -> str:
    if "\n" in value and "'''" not in value and not value.endswith("'") and all(
            c in "\n\t" or (c >= " " and c != "\x7f") for c in value):
        return "'''\n" + value + "'''"
    out = json.dumps(value, ensure_ascii=False)
    return out.replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }" \
            if value else "{}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else json.dumps(key, ensure_ascii=False)


class _Writer:
    def __init__(self, header: str) -> None:
        self.lines = [header]

    def keys(self, values: Mapping[str, Any]) -> None:
        for k, v in values.items():
            if v is not None:
                self.lines.append(f"{k} = {_toml_value(v)}")

    def table(self, name: str, values: Mapping[str, Any], *, array: bool = False) -> None:
        self.lines += ["", f"[[{name}]]" if array else f"[{name}]"]
        self.keys(values)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _plain_values(registry: Registry, spec: Any) -> dict[str, Any]:
    return {f.key: getattr(spec, f.spec) for f in registry.plain if f.spec is not None}


def dump_vm(spec: VmSpec) -> str:
    """The profile for ``spec``: every value written out, so reading it gives ``spec`` back."""
    w = _Writer("# azwizard VM profile (docs/profiles.md)")
    ssh_rule = next((rule for rule in spec.nsg_rules if rule.name == "Allow-SSH"), None)
    source = ssh_rule.source if ssh_rule else "*"
    by_purpose = spec.purpose != "custom" and spec.nsg_rules == rules_for_purpose(spec.purpose, source)
    w.keys({
        "kind": "vm", "name": spec.base_name, "location": spec.location,
        "use_existing_group": spec.use_existing_group, "size": spec.size,
        "image": next((k for k, v in IMAGES.items() if v == spec.image), spec.image.urn),
        "zone": spec.zone or "", "security_type": spec.security_type, "admin_username": spec.admin_username,
        "ssh_public_key": withhold_private_key(spec.ssh_public_key), "purpose": spec.purpose,
        "ssh_source": source if by_purpose else None,
        "accelerated_networking": spec.accelerated_networking, "nic_delete_with_vm": spec.nic_delete_with_vm,
        "public_ip_delete_with_vm": spec.public_ip_delete_with_vm, "custom_data": spec.custom_data,
        "tags": dict(spec.extra_tags),
        **_plain_values(VM_FIELDS, spec),
    })
    if not by_purpose and not spec.nsg_rules:
        w.keys({"nsg_rules": []})
    w.table("names", {f.name: getattr(spec.names, f.name) for f in dataclasses.fields(VmNames)})
    w.table("network", dataclasses.asdict(spec.network))
    w.table("public_ip", dataclasses.asdict(spec.public_ip))
    w.table("nat_gateway", {"enabled": spec.nat_gateway.enabled,
                            "idle_timeout_minutes": spec.nat_gateway.idle_timeout_minutes,
                            "zones": spec.nat_gateway.zones})
    w.table("os_disk", dataclasses.asdict(spec.os_disk))
    if spec.data_disk is not None:
        w.table("data_disk", dataclasses.asdict(spec.data_disk))
    w.table("backup", dataclasses.asdict(spec.backup))
    if not by_purpose:
        for rule in spec.nsg_rules:
            w.table("nsg_rules", {"name": rule.name, "priority": rule.priority, "protocol": rule.protocol,
                                  "ports": rule.destination_ports, "source": rule.source, "access": rule.access,
                                  "direction": rule.direction, "description": rule.description}, array=True)
    return w.text()


def _pool_values(pool: NodePoolSpec, *, system: bool) -> dict[str, Any]:
    values = {"name": pool.name, "mode": None if system else pool.mode, "vm_size": pool.vm_size,
              "count": pool.count, "os_type": pool.os_type, "os_sku": pool.os_sku,
              "os_disk_type": pool.os_disk_type, "os_disk_size_gb": pool.os_disk_size_gb, "zones": pool.zones,
              "max_pods": pool.max_pods}
    return values


def dump_aks(spec: AksSpec) -> str:
    w = _Writer("# azwizard AKS profile (docs/profiles.md)")
    w.keys({
        "kind": "aks", "name": spec.cluster_name, "resource_group": spec.resource_group,
        "location": spec.location, "use_existing_group": spec.use_existing_group, "dns_prefix": spec.dns_prefix,
        "tier": spec.tier, "support_plan": spec.support_plan, "kubernetes_version": spec.kubernetes_version,
        "vm_set_type": spec.vm_set_type, "admin_username": spec.admin_username,
        "ssh_public_key": withhold_private_key(spec.ssh_public_key), "authorized_ip_ranges": spec.authorized_ip_ranges,
        "private_cluster": spec.private_cluster, "disable_public_fqdn": spec.disable_public_fqdn,
        "tags": dict(spec.extra_tags),
        **_plain_values(AKS_FIELDS, spec),
    })
    w.table("system_pool", _pool_values(spec.system_pool, system=True))
    net = spec.network
    w.table("network", {"plugin": net.plugin, "plugin_mode": net.plugin_mode, "dataplane": net.dataplane,
                        "policy": net.policy, "ip_families": net.ip_families, "pod_cidrs": net.pod_cidrs,
                        "service_cidrs": net.service_cidrs, "dns_service_ip": net.dns_service_ip,
                        "outbound_type": net.outbound_type, "load_balancer_sku": net.load_balancer_sku,
                        "outbound_ipv4_count": net.outbound_ipv4_count,
                        "outbound_ipv6_count": net.outbound_ipv6_count})
    w.table("acr", dataclasses.asdict(spec.acr))
    ops = spec.operations
    w.table("operations", {k: v for k, v in dataclasses.asdict(ops).items() if not k.endswith("_window")})
    for name, window in (("upgrade_window", ops.upgrade_window), ("node_os_window", ops.node_os_window)):
        if window is not None:
            w.table(f"operations.{name}", dataclasses.asdict(window))
    for pool in spec.user_pools:
        w.table("user_pools", _pool_values(pool, system=False), array=True)
    return w.text()


def iter_documented_keys(kind: Kind) -> Iterator[str]:
    """Every key path of a profile of ``kind`` (for the docs test)."""
    for key in KEYS[kind]:
        yield key.path


def describe_keys(kind: Kind) -> list[tuple[str, str, str, str]]:
    """(key, type, default, meaning + choices) rows, as docs/profiles.md lists them."""
    rows = []
    for key in KEYS[kind]:
        rows.append((key.path, key.type, key.default, key.doc))
    return rows

