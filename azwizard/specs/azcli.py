"""Reading Azure CLI commands back into specs: ``az vm create`` / ``az aks create`` lines from notes, and the
whole scripts azwizard exports (``plan/export_az.py``), so a command can be checked, corrected, or opened in
the wizard.

* :func:`read_vm` takes one or more ``az`` commands (argv lists): a lone ``az vm create`` (az then makes
  the network itself), or the exported sequence (``group create``, ``network nsg|public-ip|nat gateway|vnet|
  nic ... create``, ``vm create``, ``backup ...``) whose names and properties it follows through.
* :func:`read_aks` takes ``az aks create`` (the notes' command among them), ``az aks nodepool add``,
  ``az acr create`` and ``az group create``.

Flags are read as the Azure CLI reads them (``--opt value``, ``--opt=value``, short aliases, space-separated
lists, comma-separated lists where az splits on commas). A flag azwizard does not understand is reported in
``AzRead.unknown``, never dropped silently; a value it cannot read (``--node-count=three``) raises
:class:`AzReadError`.

:func:`canonical_vm` / :func:`canonical_aks` give the one form of a spec among those that create the same
resources (a subnet written out or left to its default, a NAT gateway's settings while it is disabled...):
what the readers return, so ``read(export(spec)) == canonical(spec)``.

Flags checked against Azure/azure-cli ``src/azure-cli/azure/cli/command_modules/acs/_params.py`` (aks),
``vm/_params.py`` (vm create), ``network/aaz/latest/network/...`` (network), ``backup/_params.py``.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import ipaddress
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from ..fields import VM_FIELDS, Registry
from ..sshkeys import custom_data_problem, withhold_private_key
from ..userfiles import CUSTOM_DATA_LIMIT, KEY_LIMIT, UserFileError, expand_user, read_user_text
from .aks import (
    AUTO_UPGRADE_SCHEDULE,
    NODE_OS_UPGRADE_SCHEDULE,
    POD_CIDR_V4,
    AcrSpec,
    AksNetworkSpec,
    AksSpec,
    MaintenanceWindowSpec,
    NodePoolSpec,
    OperationsSpec,
    default_dns_prefix,
    monitor_workspace_id,
)
from .common import default_subnet, is_reserved_tag, random_ula_48
from .vm import (
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

__all__ = [
    "AzRead", "AzReadError", "canonical_aks", "canonical_vm", "infer_base", "read_aks", "read_script", "read_vm",
    "split_commands",
]

S = TypeVar("S")
ZERO_SUB = "00000000-0000-0000-0000-000000000000"


class AzReadError(ValueError):
    """The command cannot be read (not an az command azwizard knows, a value of the wrong form...)."""


@dataclass(frozen=True)
class AzRead(Generic[S]):
    spec: S
    unknown: tuple[str, ...] = ()  # flags / commands azwizard does not understand, each with what it did
    notes: tuple[str, ...] = ()  # understood, but azwizard does it differently
    subscription_id: str | None = None


# ---------------------------------------------------------------------------------------------------
# Tokens


def split_commands(words: Sequence[str]) -> list[list[str]]:
    """``az a ... ; az b ...`` (or ``&&``) as separate argv lists; a single string is shell-split first."""
    for w in words:
        _utf8(w)
    if len(words) == 1 and " " in words[0]:
        try:
            words = shlex.split(words[0].replace("\\\n", " "))
        except ValueError as exc:  # an unbalanced quote, a trailing backslash
            raise AzReadError(f"cannot read the command: {_shlex_reason(exc)}") from None
    out: list[list[str]] = [[]]
    for w in words:
        if w in (";", "&&"):
            out.append([])
        elif w.endswith(";") and w != ";":
            out[-1].append(w[:-1])
            out.append([])
        else:
            out[-1].append(w)
    out = [c for c in out if c]
    for c in out:
        if c[0] != "az":
            raise AzReadError(f"not an az command: {shlex.join(c)[:60]}")
    if not out:
        raise AzReadError("no az command given (e.g. azwizard check -- az aks create --name ...)")
    return out


def _utf8(word: str) -> str:
    """``word`` if it is text; bytes that are not UTF-8 (argv keeps them as surrogates) are refused here, where
    the message can say so, instead of failing in the plan."""
    try:
        word.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AzReadError(f"{_show(word)}: not UTF-8 text (position {exc.start}); azwizard reads az commands "
                          "as UTF-8") from None
    return word


def _show(word: str) -> str:
    text = repr(word.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace"))
    return text if len(text) <= 60 else text[:57] + "...'"


def _shlex_reason(exc: ValueError) -> str:
    reason = str(exc)
    return {"No closing quotation": "a quote is not closed (\" or ')",
            "No escaped character": "it ends with a backslash (\\) that escapes nothing"}.get(reason, reason)


_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
_HEREDOC = re.compile(r"""^(?:cat > "\$(\w+)" <<'(\w+)'|printf '%s' "\$\(cat <<'(\w+)')$""")
_PRINTF_B64 = re.compile(r"""^printf '%s' '([^']*)' \| base64 -d > "\$(\w+)"$""")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def read_script(text: str) -> list[list[str]]:
    """The az commands of a bash script, such as the one ``plan --format az`` writes: variables
    (``RG='...'``) and the here-documents that hold custom data are followed; lines other than ``az ...``
    (comments, ``set``, ``echo``, ``trap``) are skipped. Command substitution is not run.

    Words are read as bash reads them (:func:`_command`): quotes may span lines (a name or a description with a
    newline), ``\\`` + newline continues a command outside single quotes only, ``$VAR`` is expanded outside single
    quotes only, ``#`` starts a comment only at the start of a word."""
    env: dict[str, str] = {}
    commands: list[list[str]] = []
    i, n = 0, len(text)
    while i < n:
        end = text.find("\n", i)
        end = n if end < 0 else end
        physical = text[i:end].strip()
        heredoc = _HEREDOC.match(physical)
        if heredoc:
            var, delim = heredoc.group(1), heredoc.group(2) or heredoc.group(3)
            lines = text[end + 1:].split("\n")
            if delim not in lines:
                raise AzReadError(f"the here-document {delim} is not closed")
            k = lines.index(delim)
            body = "\n".join(lines[:k])
            i = end + 1 + len(body) + (1 if k else 0) + len(delim) + 1
            if var:  # cat > "$VAR": the text and its final newline
                env[var] = body + "\n"
            else:  # printf '%s' "$(cat <<'D' ... D)" > "$VAR": $(...) drops the final newline
                close = text.find("\n", i)
                target = re.search(r'> "\$(\w+)"', text[i:n if close < 0 else close])
                i = n if close < 0 else close + 1
                if target:
                    env[target.group(1)] = body
            continue
        b64 = _PRINTF_B64.match(physical)
        if b64:
            try:
                env[b64.group(2)] = base64.b64decode(b64.group(1), validate=True).decode("utf-8")
            except (binascii.Error, ValueError) as exc:  # UnicodeDecodeError is a ValueError
                raise AzReadError(f"cannot read {physical[:60]!r}: the base64 data does not decode to UTF-8 text "
                                  f"({exc})") from None
            i = end + 1
            continue
        start = i
        words, i = _command(text, i, env)
        if not words:
            continue
        assign = _ASSIGN.match(words[0])
        if assign and len(words) == 1:
            if "$(" not in text[start:i]:
                env[assign.group(1)] = assign.group(2)
            else:  # "$(mktemp)" names a file filled in below: keep what is there
                env.setdefault(assign.group(1), "")
        elif words[0] == "az":
            commands.append(words)
    if not commands:
        raise AzReadError("no az command in the file")
    return commands


def _command(text: str, i: int, env: Mapping[str, str]) -> tuple[list[str], int]:
    """The words of the command starting at ``text[i]`` (up to a newline outside quotes), with the variables
    of ``env`` expanded (an unknown one stays as written), and where the next command starts."""
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    n = len(text)
    begin = i

    def variable(j: int) -> tuple[str | None, int]:
        """``$NAME`` or ``${NAME}`` at ``text[j]`` (the ``$``): its value and the index after it."""
        braced = text.startswith("{", j + 1)
        m = _NAME.match(text, j + 2 if braced else j + 1)
        if m is None or (braced and not text.startswith("}", m.end())):
            return None, j + 1
        after = m.end() + (1 if braced else 0)
        value = env.get(m.group())
        return (value if value is not None else text[j:after]), after

    while i < n:
        c = text[i]
        # Inside quotes every character is text, but in double quotes \\ and $ keep their meaning.
        if quote == "'" or (quote == '"' and c not in "\\$"):
            if c == quote:
                quote = ""
            else:
                word.append(c)
            i += 1
            continue
        if c == "\\":
            if i + 1 < n and text[i + 1] == "\n":  # a continued line (in double quotes too)
                i += 2
                continue
            if i + 1 >= n:
                raise AzReadError(f"cannot read {text[begin:i + 1][:60]!r}: it ends with a backslash (\\) that "
                                  "escapes nothing")
            nxt = text[i + 1]
            if quote == '"' and nxt not in '$`"\\':
                word.append(c)  # in double quotes a backslash escapes only $ ` " \\ and a newline
            else:
                word.append(nxt)
                i += 1
            in_word = True
            i += 1
            continue
        if c == "$":
            value, after = variable(i)
            if value is not None:
                word.append(value)
                in_word = True
                i = after
                continue
        if quote:  # a $ that starts no variable, in double quotes
            word.append(c)
            i += 1
            continue
        if c in "'\"":
            quote = c
            in_word = True
        elif c in " \t\r":
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        elif c == "\n":
            i += 1
            break
        elif c == "#" and not in_word:
            while i < n and text[i] != "\n":
                i += 1
            continue
        else:
            word.append(c)
            in_word = True
        i += 1
    else:
        if quote:
            raise AzReadError(f"cannot read {text[begin:begin + 60]!r}: a quote is not closed (\" or ')")
    if in_word:
        words.append("".join(word))
    return words, i


_GLOBAL_IGNORED = {"--output": 1, "-o": 1, "--query": 1, "--only-show-errors": 0, "--verbose": 0, "--debug": 0,
                   "--no-wait": 0, "--yes": 0, "-y": 0}


@dataclass
class _Flags:
    """One command's options: long name -> values (switches map to [])."""

    command: str
    values: dict[str, list[str]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def one(self, name: str, default: str = "") -> str:
        v = self.values.get(name)
        return v[0] if v else default

    def many(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def has(self, name: str) -> bool:
        return name in self.values

    def int_(self, name: str, default: int | None = None) -> int | None:
        text = self.one(name)
        if not text:
            return default
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", text.strip()):  # int() would take 4300 digits, or "1_0"
            raise AzReadError(f"az {self.command}: {name} takes a whole number, not {_show(text)}")
        return int(text)

    def bool_(self, name: str, default: bool) -> bool:
        if name not in self.values:
            return default
        text = self.one(name, "true").lower()
        if text in ("true", "yes", "1", "enable", "enabled"):
            return True
        if text in ("false", "no", "0", "disable", "disabled"):
            return False
        raise AzReadError(f"az {self.command}: {name} takes true or false, not {text!r}")

    def choice(self, name: str, default: str, choices: Sequence[str]) -> str:
        """An option az declares with ``get_enum_type`` (azure-cli core/commands/parameters.py): matched without
        regard to case and given in az's spelling; a value outside the choices az refuses, and so does this."""
        if name not in self.values:
            return default
        text = self.one(name)
        match = next((c for c in choices if c.lower() == text.lower()), None)
        if match is None:
            raise AzReadError(f"az {self.command}: {name} {_show(text)} is not one of {', '.join(choices)} "
                              "(az refuses it: invalid choice)")
        return match

    def csv(self, name: str) -> tuple[str, ...]:
        return tuple(p.strip() for v in self.many(name) for p in v.split(",") if p.strip())


@dataclass(frozen=True)
class _Table:
    """The flags of one az command: arity (0 switch, 1 value, -1 one or more values), aliases, and the
    flags az has that azwizard reads but does not use (with why)."""

    arity: Mapping[str, int]
    aliases: Mapping[str, str] = field(default_factory=dict)
    ignored: Mapping[str, str] = field(default_factory=dict)


def _parse(argv: Sequence[str], words: int, table: _Table) -> _Flags:
    cmd = " ".join(argv[1:1 + words])
    flags = _Flags(cmd)
    i = 1 + words
    arity = {**{k: v for k, v in _GLOBAL_IGNORED.items()}, "--subscription": 1, **table.arity}
    while i < len(argv):
        word = argv[i]
        i += 1
        if not word.startswith("-") or word == "-":
            raise AzReadError(f"az {cmd}: unexpected argument {word!r} (values follow their --flag)")
        name, eq, value = word.partition("=")
        name = table.aliases.get(name, name)
        n = arity.get(name)
        if eq:
            values = [value]
        else:
            values = []
            want = 1 if n is None else n
            while i < len(argv) and want != 0 and not _is_flag(argv[i], arity, table.aliases):
                values.append(argv[i])
                i += 1
                if want == 1:
                    break
            if n is not None and n != 0 and not values:
                raise AzReadError(f"az {cmd}: {name} needs a value")
        if name in _GLOBAL_IGNORED:
            continue
        if n is None:
            flags.unknown.append(f"az {cmd}: {name}" + (f" {' '.join(values)}" if values else "") +
                                 " is not a flag azwizard understands; it was left out of the check")
            continue
        if name in table.ignored:
            flags.unknown.append(f"az {cmd}: {name}: {table.ignored[name]}")
            continue
        if n == -1 and name in flags.values:
            flags.values[name] += values
        else:
            flags.values[name] = values
    return flags


def _is_flag(word: str, known: Mapping[str, int] | None = None, aliases: Mapping[str, str] | None = None) -> bool:
    """Whether argparse (which az's parser is) reads ``word`` as an option rather than a value, in its order
    (argparse.ArgumentParser._parse_optional): a known option, or ``--known=value``, is one; then a negative
    number is a value, and so is a word with a space ("if it contains a space, it was meant to be a positional")."""
    if not word.startswith("-") or word == "-":
        return False
    head = word.partition("=")[0]
    if known is not None and (aliases or {}).get(head, head) in known:
        return True
    try:
        float(word)  # a negative number is a value
        return False
    except ValueError:
        return " " not in word


def _tags(values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    # az splits each "key[=value]" on the first "=" (azure.cli.core.commands.validators.validate_tag).
    out: dict[str, str] = {}
    for v in values:
        k, _, val = v.partition("=")
        if k and not is_reserved_tag(k):
            out[k] = val
    return tuple(out.items())


def _text_or_file(value: str, what: str, limit: int) -> str:
    """az's convention for keys and custom data: a file's path (or ``@path``) or the text itself. A file is
    read as every file a user names is (userfiles: a regular file, at most ``limit`` bytes, UTF-8)."""
    path = value[1:] if value.startswith("@") else value
    if value.startswith("@") or (len(value) < 4096 and "\n" not in value and "\0" not in value
                                 and not value.startswith("ssh-")):
        p = expand_user(path)
        try:
            exists = bool(path) and p.exists()  # Path("") is ".", a directory: an empty value is empty text
        except (OSError, ValueError):  # a name too long for the OS is no file (found by benchmarks/fuzz.py)
            exists = False
        # A name of something that exists is read as a file, as az does (os.path.exists then open:
        # read_content_if_is_file, azure-cli command_modules/vm/_vm_utils.py): a device, a FIFO or a directory is
        # refused, never taken as the text of its name (issue 22).
        # ``@name`` must be a file, and is read as one.
        if value.startswith("@") or exists:
            try:
                return read_user_text(p, limit=limit)
            except UserFileError as exc:
                raise AzReadError(f"cannot read {what} from {exc}") from exc
    return value


_GROUP = _Table({"--name": 1, "--location": 1, "--tags": -1}, {"-n": "--name", "-g": "--name", "-l": "--location"})
_ACCOUNT = _Table({"--subscription": 1}, {"-s": "--subscription"})


# ---------------------------------------------------------------------------------------------------
# AKS


_AKS_CREATE = _Table(
    {"--resource-group": 1, "--name": 1, "--location": 1, "--tier": 1, "--k8s-support-plan": 1,
     "--kubernetes-version": 1, "--dns-name-prefix": 1, "--nodepool-name": 1, "--node-vm-size": 1,
     "--node-count": 1, "--os-sku": 1, "--vm-set-type": 1, "--node-osdisk-type": 1, "--node-osdisk-size": 1,
     "--max-pods": 1, "--zones": -1, "--network-plugin": 1, "--network-plugin-mode": 1, "--network-dataplane": 1,
     "--network-policy": 1, "--ip-families": 1, "--pod-cidrs": 1, "--pod-cidr": 1, "--service-cidrs": 1,
     "--service-cidr": 1, "--dns-service-ip": 1, "--load-balancer-sku": 1, "--outbound-type": 1,
     "--api-server-authorized-ip-ranges": 1, "--admin-username": 1, "--ssh-key-value": 1,
     "--generate-ssh-keys": 0, "--no-ssh-key": 0, "--attach-acr": 1, "--tags": -1, "--nodepool-tags": -1,
     "--enable-managed-identity": 0, "--enable-addons": 1, "--node-resource-group": 1, "--enable-aad": 0,
     "--enable-azure-rbac": 0, "--enable-private-cluster": 0, "--vnet-subnet-id": 1, "--windows-admin-username": 1,
     "--windows-admin-password": 1, "--enable-cluster-autoscaler": 0, "--min-count": 1, "--max-count": 1,
     "--uptime-sla": 0, "--load-balancer-managed-outbound-ip-count": 1,
     "--load-balancer-managed-outbound-ipv6-count": 1, "--disable-public-fqdn": 0,
     # Production / operations (#24): acs/_params.py (aks create) and aks-preview's --ssh-access.
     "--auto-upgrade-channel": 1, "--node-os-upgrade-channel": 1, "--enable-image-cleaner": 0,
     "--image-cleaner-interval-hours": 1, "--ssh-access": 1, "--enable-app-routing": 0,
     "--enable-azure-monitor-metrics": 0, "--azure-monitor-workspace-resource-id": 1},
    {"-g": "--resource-group", "-n": "--name", "-l": "--location", "-k": "--kubernetes-version",
     "-p": "--dns-name-prefix", "-s": "--node-vm-size", "-c": "--node-count", "-z": "--zones", "-m": "--max-pods",
     "-u": "--admin-username", "-x": "--no-ssh-key", "-a": "--enable-addons"},
    {"--enable-addons": "add-ons are not set up by azwizard; enable them after the cluster exists "
                        "(az aks enable-addons)",
     "--node-resource-group": "azwizard keeps AKS's MC_<group>_<cluster>_<region> node resource group",
     "--enable-aad": "Microsoft Entra integration is not set up by azwizard (az aks update --enable-aad)",
     "--enable-azure-rbac": "Azure RBAC for Kubernetes is not set up by azwizard (az aks update)",
     "--vnet-subnet-id": "azwizard lets AKS create the node network (bring-your-own subnet is not supported)",
     "--windows-admin-username": "the Windows profile is left to AKS",
     "--windows-admin-password": "the Windows profile is left to AKS",
     "--enable-cluster-autoscaler": "azwizard creates fixed-size pools (enable the autoscaler afterwards)",
     "--min-count": "azwizard creates fixed-size pools", "--max-count": "azwizard creates fixed-size pools",
     "--uptime-sla": "use --tier standard"},
)
_NODEPOOL_ADD = _Table(
    {"--resource-group": 1, "--cluster-name": 1, "--name": 1, "--mode": 1, "--os-type": 1, "--os-sku": 1,
     "--node-vm-size": 1, "--node-count": 1, "--node-osdisk-type": 1, "--node-osdisk-size": 1, "--zones": -1,
     "--max-pods": 1, "--tags": -1, "--vm-set-type": 1, "--ssh-access": 1},
    {"-g": "--resource-group", "-n": "--name", "-s": "--node-vm-size", "-c": "--node-count", "-z": "--zones",
     "-m": "--max-pods"},
)
# az aks maintenanceconfiguration add (acs/_params.py 'aks maintenanceconfiguration add'; --duration is
# duration_hours, type=int).
_MAINTENANCE_ADD = _Table(
    {"--resource-group": 1, "--cluster-name": 1, "--name": 1, "--schedule-type": 1, "--interval-days": 1,
     "--interval-weeks": 1, "--interval-months": 1, "--day-of-week": 1, "--day-of-month": 1, "--week-index": 1,
     "--duration": 1, "--utc-offset": 1, "--start-date": 1, "--start-time": 1, "--config-file": 1, "--weekday": 1,
     "--start-hour": 1},
    {"-g": "--resource-group", "-n": "--name"},
    {"--config-file": "azwizard reads the window from the flags (--schedule-type ...), not from a JSON file",
     "--weekday": "the legacy 'default' configuration (--weekday/--start-hour) is not set up by azwizard",
     "--start-hour": "the legacy 'default' configuration (--weekday/--start-hour) is not set up by azwizard"},
)
# az monitor account create (monitor/aaz/latest/monitor/account/_create.py): the Azure Monitor workspace.
_MONITOR_ACCOUNT_CREATE = _Table({"--name": 1, "--resource-group": 1, "--location": 1, "--tags": -1},
                                 {"-n": "--name", "-g": "--resource-group", "-l": "--location"})
_ACR_CREATE = _Table({"--resource-group": 1, "--name": 1, "--sku": 1, "--location": 1, "--admin-enabled": 1,
                      "--tags": -1}, {"-g": "--resource-group", "-n": "--name", "-l": "--location"})


def _family(text: str) -> str:
    return {"ipv4": "IPv4", "ipv6": "IPv6"}.get(text.strip().lower(), text.strip())


# az's enum choices (azure-cli acs/_params.py: node_os_skus_create, node_os_skus, outbound_types, node_mode_types).
_OS_SKUS = ("AzureLinux", "AzureLinux3", "Ubuntu", "CBLMariner", "Mariner", "Ubuntu2204", "Ubuntu2404")
_OS_SKUS_WINDOWS = ("Windows2019", "Windows2022")
_OUTBOUND_TYPES = ("loadBalancer", "userDefinedRouting", "managedNATGateway", "userAssignedNATGateway", "none")
_POOL_MODES = ("System", "User", "Gateway")


def _pool(f: _Flags, *, name: str, mode: str, os_type: str) -> NodePoolSpec:
    return NodePoolSpec(
        name=name,
        vm_size=f.one("--node-vm-size", NodePoolSpec().vm_size),
        count=f.int_("--node-count", 3) or 0,
        mode=mode,  # type: ignore[arg-type]
        os_type=os_type,  # type: ignore[arg-type]
        os_sku=f.choice("--os-sku", "Windows2022" if os_type == "Windows" else "Ubuntu",
                        _OS_SKUS if f.command == "aks create" else _OS_SKUS + _OS_SKUS_WINDOWS),
        os_disk_type=f.choice("--node-osdisk-type", "Managed", ("Managed", "Ephemeral")),  # type: ignore[arg-type]
        os_disk_size_gb=f.int_("--node-osdisk-size"),
        zones=tuple(z for v in f.many("--zones") for z in v.replace(",", " ").split()),
        max_pods=f.int_("--max-pods"),
    )


def read_aks(commands: Sequence[Sequence[str]], *, location: str = "norwayeast",
             subscription_id: str = ZERO_SUB) -> AzRead[AksSpec]:
    """An AksSpec from ``az aks create`` and its companions; az's and AKS's defaults for what is not said
    (``--generate-ssh-keys`` becomes "no SSH key": AKS needs none; with Cilium as the dataplane and no
    ``--network-policy`` AKS enables the Cilium policy engine)."""
    unknown: list[str] = []
    notes: list[str] = []
    create: _Flags | None = None
    pools: list[_Flags] = []
    registries: list[_Flags] = []
    maintenance: list[_Flags] = []
    workspaces: list[_Flags] = []
    group: _Flags | None = None
    sub = subscription_id
    for argv in commands:
        words = list(argv)
        if words[:3] == ["az", "aks", "create"]:
            if create is not None:
                raise AzReadError("more than one az aks create")
            create = _parse(words, 2, _AKS_CREATE)
        elif words[:4] == ["az", "aks", "nodepool", "add"]:
            pools.append(_parse(words, 3, _NODEPOOL_ADD))
        elif words[:4] == ["az", "aks", "maintenanceconfiguration", "add"]:
            maintenance.append(_parse(words, 3, _MAINTENANCE_ADD))
        elif words[:3] == ["az", "acr", "create"]:
            registries.append(_parse(words, 2, _ACR_CREATE))
        elif words[:4] == ["az", "monitor", "account", "create"]:
            workspaces.append(_parse(words, 3, _MONITOR_ACCOUNT_CREATE))
        elif words[:3] == ["az", "group", "create"]:
            group = _parse(words, 2, _GROUP)
        elif words[:3] == ["az", "account", "set"]:
            sub = _parse(words, 2, _ACCOUNT).one("--subscription", sub)
            continue
        else:
            unknown.append(f"{shlex.join(words[:4])} ...: azwizard does not read this command; it was left out")
            continue
    if create is None:
        raise AzReadError("no az aks create command to read")
    for f in [create, *pools, *registries, *maintenance, *workspaces, *([group] if group else [])]:
        unknown += f.unknown
        if f.has("--subscription"):
            sub = f.one("--subscription")
    o = create
    rg = o.one("--resource-group", "aks-RG")
    name = o.one("--name", "aks")
    _monitor_workspace(o, workspaces, sub, rg, name, unknown)

    families = tuple(_family(f) for f in o.csv("--ip-families")) or ("IPv4",)
    # az's choices (acs/_params.py: network_plugins, network_plugin_modes, network_dataplanes; --network-policy
    # has only validate_network_policy, which wants lower case: any other value goes to AKS, and the rules say).
    plugin = o.choice("--network-plugin", "azure", ("kubenet", "azure", "none"))
    plugin_mode = o.choice("--network-plugin-mode", "overlay" if not o.has("--network-plugin") else "", ("overlay",))
    dataplane = o.choice("--network-dataplane", "azure", ("azure", "cilium"))
    policy = o.one("--network-policy", "cilium" if dataplane == "cilium" else "none")
    if o.has("--network-policy") and not policy.islower():
        raise AzReadError(f"az aks create: --network-policy {_show(policy)}: az wants it in lower case "
                          "(\"--network-policy should be provided in lowercase\")")
    pods = o.csv("--pod-cidrs") or o.csv("--pod-cidr")
    services = o.csv("--service-cidrs") or o.csv("--service-cidr")
    uses_pods = plugin == "kubenet" or (plugin == "azure" and plugin_mode == "overlay")
    if families == ("IPv4",):
        pods = pods or ((POD_CIDR_V4,) if uses_pods else ())
        services = services or ("10.0.0.0/16",)
    elif families == ("IPv4", "IPv6") and not (pods and services):
        # AKS's documented dual-stack defaults when none are given (configure-dual-stack.md).
        pods = pods or ((POD_CIDR_V4, "fd12:3456:789a::/64") if uses_pods else ())
        services = services or ("10.0.0.0/16", "fd12:3456:789a:1::/108")
    if not uses_pods and pods:
        notes.append("pod CIDRs are not used with traditional Azure CNI (pods take subnet addresses); ignored")
        pods = ()
    network = AksNetworkSpec(
        outbound_ipv4_count=o.int_("--load-balancer-managed-outbound-ip-count"),
        outbound_ipv6_count=o.int_("--load-balancer-managed-outbound-ipv6-count"),
        plugin=plugin,  # type: ignore[arg-type]
        plugin_mode=plugin_mode if plugin == "azure" else "",  # type: ignore[arg-type]
        dataplane=dataplane if plugin != "none" else "azure",  # type: ignore[arg-type]
        policy=policy,  # type: ignore[arg-type]
        ip_families=families,
        pod_cidrs=tuple(pods),
        service_cidrs=tuple(services),
        dns_service_ip=o.one("--dns-service-ip"),
        outbound_type=o.choice("--outbound-type", "loadBalancer", _OUTBOUND_TYPES),  # type: ignore[arg-type]
        load_balancer_sku=o.choice("--load-balancer-sku", "standard", ("basic", "standard")),  # type: ignore[arg-type]
    )
    if network.dns_service_ip == replace(network, dns_service_ip="").resolved_dns_service_ip():
        network = replace(network, dns_service_ip="")
    network = _outbound_counts(o, network, notes)

    system = _pool(o, name=o.one("--nodepool-name", "nodepool1"), mode="System", os_type="Linux")
    users = []
    for p in pools:
        if p.one("--cluster-name", name) != name:
            unknown.append(f"az aks nodepool add --name {p.one('--name')}: for another cluster "
                           f"({p.one('--cluster-name')}); left out")
            continue
        users.append(_pool(p, name=p.one("--name", "nodepool2"), mode=p.choice("--mode", "User", _POOL_MODES),
                           os_type=p.one("--os-type", "Linux")))
        ssh = p.choice("--ssh-access", "", _SSH_ACCESS)
        if ssh != o.choice("--ssh-access", "", _SSH_ACCESS):
            notes.append(f"az aks nodepool add --name {p.one('--name')} --ssh-access {ssh or '(not given)'}: "
                         "azwizard sets SSH access for every pool as az aks create --ssh-access says")
    vm_set_type = o.one("--vm-set-type", "VirtualMachineScaleSets")

    acr = AcrSpec()
    attach = o.one("--attach-acr")
    made = {r.one("--name").lower(): r for r in registries}
    if attach and attach.lower() in made:
        r = made[attach.lower()]
        acr = AcrSpec("create", name=r.one("--name"), sku=r.one("--sku", "Basic"))
    elif attach:
        rid = attach if attach.startswith("/") else (
            f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{attach}")
        if not attach.startswith("/"):
            notes.append(f"--attach-acr {attach}: taken as the registry {attach} in resource group {rg}")
        acr = AcrSpec("attach", existing_id=rid)
    elif registries:
        r = registries[0]
        notes.append(f"az acr create {r.one('--name')}: the cluster gets pull access to it (AcrPull), as "
                     "--attach-acr would give")
        acr = AcrSpec("create", name=r.one("--name"), sku=r.one("--sku", "Basic"))

    ssh_key = ""
    if o.has("--ssh-key-value") and not o.has("--no-ssh-key"):
        ssh_key = withhold_private_key(_text_or_file(o.one("--ssh-key-value"), "the SSH public key",
                                                     KEY_LIMIT).strip())
    admin = o.one("--admin-username", "azureuser") if ssh_key else "azureuser"

    dns_prefix = o.one("--dns-name-prefix")
    if dns_prefix == default_dns_prefix(name, rg, sub):
        dns_prefix = ""
    for m in maintenance:
        if m.one("--cluster-name", name) != name:
            unknown.append(f"az aks maintenanceconfiguration add --name {m.one('--name')}: for another cluster "
                           f"({m.one('--cluster-name')}); left out")
    private = o.has("--enable-private-cluster")
    ranges = o.csv("--api-server-authorized-ip-ranges")
    if private and ranges:
        # az's own check (acs/managed_cluster_decorator.py _get_enable_private_cluster).
        raise AzReadError("az aks create: --api-server-authorized-ip-ranges is not supported for private cluster "
                          "(az refuses it): drop the ranges, or the private cluster")
    if o.has("--disable-public-fqdn") and not private:
        raise AzReadError("az aks create: --disable-public-fqdn should only be used with --enable-private-cluster "
                          "(az refuses it)")
    spec = AksSpec(
        private_cluster=private,
        disable_public_fqdn=o.has("--disable-public-fqdn"),
        operations=_operations(o, [m for m in maintenance if m.one("--cluster-name", name) == name], unknown),
        location=o.one("--location", group.one("--location", location) if group else location),
        resource_group=rg,
        use_existing_group=group is None and len(commands) > 1 and _exported(commands),
        cluster_name=name,
        dns_prefix=dns_prefix,
        tier=o.choice("--tier", "free", ("free", "standard", "premium")),  # type: ignore[arg-type]
        support_plan=o.choice("--k8s-support-plan", "KubernetesOfficial",  # type: ignore[arg-type]
                              ("KubernetesOfficial", "AKSLongTermSupport")),
        kubernetes_version=o.one("--kubernetes-version").strip(),
        vm_set_type=vm_set_type,  # type: ignore[arg-type]
        system_pool=system,
        user_pools=tuple(users),
        network=network,
        authorized_ip_ranges=ranges,
        acr=acr,
        admin_username=admin,
        ssh_public_key=ssh_key,
        extra_tags=_tags(o.many("--tags")),
    )
    return AzRead(spec, tuple(unknown), tuple(notes), sub)


def _outbound_counts(o: _Flags, network: AksNetworkSpec, notes: list[str]) -> AksNetworkSpec:
    """``--load-balancer-managed-outbound-ip[v6]-count`` (acs/_params.py: type=int), sent as az sends them
    (loadBalancerProfile.managedOutboundIPs count / countIPv6). The API's ranges
    (https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update#managedoutboundips): count 1-100
    ("default 1"), countIPv6 0-100 ("0 for single-stack and 1 for dual-stack")."""
    for flag, what, low in (("--load-balancer-managed-outbound-ip-count", "IPv4", 1),
                            ("--load-balancer-managed-outbound-ipv6-count", "IPv6", 0)):
        count = o.int_(flag)
        if count is None:
            continue
        if not low <= count <= 100:
            raise AzReadError(f"az aks create: {flag} {count}: AKS takes {low}-100 managed outbound {what} addresses")
        if network.outbound_type != "loadBalancer":
            notes.append(f"{flag}: applies to the load balancer outbound type only; ignored")
            network = network.with_(**{"outbound_ipv4_count" if what == "IPv4" else "outbound_ipv6_count": None})
    return network


_UPGRADE_CHANNELS = ("rapid", "stable", "patch", "node-image", "none")  # acs/_params.py auto_upgrade_channels
_NODE_OS_CHANNELS = ("NodeImage", "None", "SecurityPatch", "Unmanaged")  # acs/_params.py node_os_upgrade_channels
_SSH_ACCESS = ("disabled", "localuser")  # aks-preview _consts.py CONST_SSH_ACCESS_DISABLED / _LOCALUSER
_SCHEDULE_TYPES = ("Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly")
_WEEK_INDEXES = ("First", "Second", "Third", "Fourth", "Last")
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _monitor_workspace(o: _Flags, workspaces: list[_Flags], sub: str, rg: str, name: str,
                       unknown: list[str]) -> None:
    """azwizard makes the cluster's Azure Monitor workspace itself, in the cluster's group (plan/aks_metrics.py):
    ``az monitor account create`` of that workspace and ``--azure-monitor-workspace-resource-id`` naming it (what
    azwizard's own az export says) are that; any other workspace is reported, not used."""
    mine = monitor_workspace_id(sub, rg, name).lower()
    given = o.one("--azure-monitor-workspace-resource-id")
    if given and (given.strip().rstrip("/").lower() != mine or not o.has("--enable-azure-monitor-metrics")):
        unknown.append(f"az aks create: --azure-monitor-workspace-resource-id {given}: azwizard makes the metrics' "
                       f"workspace itself in the cluster's group ({mine.rsplit('/', 1)[-1]}); this one is not used")
    for w in workspaces:
        wid = (f"/subscriptions/{sub}/resourceGroups/{w.one('--resource-group', rg)}/providers/Microsoft.Monitor/"
               f"accounts/{w.one('--name')}").lower()
        if wid != mine or not o.has("--enable-azure-monitor-metrics"):
            unknown.append(f"az monitor account create --name {w.one('--name')}: not the cluster's metrics "
                           "workspace as azwizard makes it; left out")


def _operations(o: _Flags, maintenance: list[_Flags], unknown: list[str]) -> OperationsSpec:
    """The production/operations flags of ``az aks create`` and the windows of ``az aks maintenanceconfiguration
    add`` (az's own checks: acs/managed_cluster_decorator.py _get_image_cleaner_interval_hours, and
    maintenanceconfiguration.py construct*Schedule)."""
    if o.has("--image-cleaner-interval-hours") and not o.has("--enable-image-cleaner"):
        raise AzReadError('az aks create: "--image-cleaner-interval-hours" requires "--enable-image-cleaner" in '
                          "create mode (az refuses it)")
    ssh = o.choice("--ssh-access", "", _SSH_ACCESS)
    windows: dict[str, MaintenanceWindowSpec] = {}
    for m in maintenance:
        config = m.one("--name")
        if config not in (AUTO_UPGRADE_SCHEDULE, NODE_OS_UPGRADE_SCHEDULE):
            unknown.append(f"az aks maintenanceconfiguration add --name {config}: azwizard sets up the "
                           f"{AUTO_UPGRADE_SCHEDULE} and {NODE_OS_UPGRADE_SCHEDULE} windows only; left out")
            continue
        if m.has("--config-file") or m.has("--weekday") or m.has("--start-hour"):
            continue  # reported in unknown by the table
        windows[config] = _window(m)
    return OperationsSpec(
        upgrade_channel=o.choice("--auto-upgrade-channel", "", _UPGRADE_CHANNELS),  # type: ignore[arg-type]
        node_os_upgrade_channel=o.choice("--node-os-upgrade-channel", "", _NODE_OS_CHANNELS),  # type: ignore[arg-type]
        upgrade_window=windows.get(AUTO_UPGRADE_SCHEDULE),
        node_os_window=windows.get(NODE_OS_UPGRADE_SCHEDULE),
        image_cleaner=o.has("--enable-image-cleaner"),
        image_cleaner_interval_hours=o.int_("--image-cleaner-interval-hours") or 168,
        ssh_access="disabled" if ssh == "disabled" else "",
        app_routing=o.has("--enable-app-routing"),
        monitor_metrics=o.has("--enable-azure-monitor-metrics"),
    )


def _window(m: _Flags) -> MaintenanceWindowSpec:
    """One ``az aks maintenanceconfiguration add`` as a window, refused where az refuses it."""
    cmd = f"az aks maintenanceconfiguration add --name {m.one('--name')}"
    kind = m.choice("--schedule-type", "", _SCHEDULE_TYPES)
    if not kind:
        raise AzReadError(f"{cmd}: --schedule-type must be one of Daily, Weekly, AbsoluteMonthly or RelativeMonthly")
    needs = {"Daily": ("--interval-days",), "Weekly": ("--interval-weeks", "--day-of-week"),
             "AbsoluteMonthly": ("--interval-months", "--day-of-month"),
             "RelativeMonthly": ("--interval-months", "--day-of-week", "--week-index")}[kind]
    others = {"--interval-days", "--interval-weeks", "--interval-months", "--day-of-week", "--day-of-month",
              "--week-index"} - set(needs)
    missing = [f for f in needs if not m.has(f)]
    if missing:
        raise AzReadError(f"{cmd}: please specify {' and '.join(missing)} when using {kind} schedule (az refuses it)")
    extra = sorted(f for f in others if m.has(f))
    if extra:
        raise AzReadError(f"{cmd}: {', '.join(extra)} cannot be used for {kind} schedule (az refuses it)")
    for flag, pattern, form in (("--utc-offset", r"^[+-]\d{2}:\d{2}$", '"+/-HH:mm", e.g. +05:30'),
                                ("--start-date", r"^\d{4}-\d{2}-\d{2}$", '"yyyy-MM-dd", e.g. 2023-01-01'),
                                ("--start-time", r"^\d{2}:\d{2}$", '"HH:mm", e.g. 09:30')):
        if m.has(flag) and not re.match(pattern, m.one(flag)):
            raise AzReadError(f"{cmd}: {flag} must be in format {form} (az refuses {_show(m.one(flag))})")
    for flag in ("--start-time", "--duration"):
        if not m.has(flag):
            raise AzReadError(f"{cmd}: please specify {flag} for maintenance window (az refuses it)")
    interval_flag = needs[0]
    day = m.one("--day-of-week")
    day_canon = next((d for d in _DAYS if d.lower() == day.lower()), day)
    return MaintenanceWindowSpec(
        schedule=kind,  # type: ignore[arg-type]
        interval=m.int_(interval_flag) or 0,
        day_of_week=day_canon if day else "Saturday",
        day_of_month=m.int_("--day-of-month", 1) or 0,
        week_index=m.choice("--week-index", "First", _WEEK_INDEXES),
        start_date=m.one("--start-date"),
        start_time=m.one("--start-time"),
        duration_hours=m.int_("--duration") or 0,
        utc_offset=m.one("--utc-offset"),
    )


def _exported(commands: Sequence[Sequence[str]]) -> bool:
    """A whole script (``az account set`` first, as azwizard writes it): there a missing ``az group create``
    means the group exists. A lone command from notes says nothing about the group."""
    return bool(commands) and list(commands[0][:3]) == ["az", "account", "set"]


def canonical_window(window: MaintenanceWindowSpec | None) -> MaintenanceWindowSpec | None:
    """A window with the fields its schedule does not use at their defaults (what reading it back gives)."""
    if window is None:
        return None
    base = MaintenanceWindowSpec()
    keep = {"Daily": (), "Weekly": ("day_of_week",), "AbsoluteMonthly": ("day_of_month",),
            "RelativeMonthly": ("day_of_week", "week_index")}.get(window.schedule, ())
    return replace(window, **{f: getattr(base, f) for f in ("day_of_week", "day_of_month", "week_index")
                              if f not in keep})


def canonical_aks(spec: AksSpec, subscription_id: str = ZERO_SUB) -> AksSpec:
    """The form :func:`read_aks` gives for a spec that creates the same resources."""
    net = spec.network
    net = replace(
        net,
        ip_families=tuple(_family(f) for f in net.ip_families),
        plugin_mode=net.plugin_mode if net.plugin == "azure" else "",
        dataplane=net.dataplane if net.plugin != "none" else "azure",
    )
    if not net.uses_pod_cidrs:
        net = replace(net, pod_cidrs=())
    if net.dns_service_ip == replace(net, dns_service_ip="").resolved_dns_service_ip():
        net = replace(net, dns_service_ip="")
    acr = spec.acr
    if acr.mode == "none":
        acr = AcrSpec()
    elif acr.mode == "create":
        acr = AcrSpec("create", name=acr.name, sku=acr.sku)
    else:
        acr = AcrSpec("attach", existing_id=acr.existing_id)
    key = spec.ssh_public_key.strip()
    if net.outbound_type != "loadBalancer":
        net = replace(net, outbound_ipv4_count=None, outbound_ipv6_count=None)
    elif net.outbound_ipv6_count is not None and net.outbound_ipv4_count is None:
        net = replace(net, outbound_ipv4_count=1)  # az sends count 1 with an IPv6 count alone
    ops = spec.operations
    ops = replace(ops, upgrade_window=canonical_window(ops.upgrade_window),
                  node_os_window=canonical_window(ops.node_os_window),
                  image_cleaner_interval_hours=ops.image_cleaner_interval_hours if ops.image_cleaner else 168)
    dns_prefix = "" if spec.dns_prefix == default_dns_prefix(spec.cluster_name, spec.resource_group,
                                                             subscription_id) else spec.dns_prefix
    return replace(
        spec, network=net, acr=acr, ssh_public_key=key, operations=ops,
        disable_public_fqdn=spec.disable_public_fqdn and spec.private_cluster, admin_username=spec.admin_username if key else "azureuser",
        kubernetes_version=spec.kubernetes_version.strip(), dns_prefix=dns_prefix,
        authorized_ip_ranges=tuple(r.strip() for r in spec.authorized_ip_ranges),
        extra_tags=_tags(f"{k}={v}" for k, v in spec.extra_tags),
    )


# ---------------------------------------------------------------------------------------------------
# VM


_NSG_CREATE = _Table({"--resource-group": 1, "--name": 1, "--location": 1, "--tags": -1},
                     {"-g": "--resource-group", "-n": "--name", "-l": "--location"})
_NSG_RULE = _Table(
    {"--resource-group": 1, "--nsg-name": 1, "--name": 1, "--priority": 1, "--direction": 1, "--access": 1,
     "--protocol": 1, "--source-address-prefixes": -1, "--source-port-ranges": -1,
     "--destination-address-prefixes": -1, "--destination-port-ranges": -1, "--description": 1},
    {"-g": "--resource-group", "-n": "--name"},
)
_PIP_CREATE = _Table(
    {"--resource-group": 1, "--name": 1, "--version": 1, "--sku": 1, "--tier": 1, "--allocation-method": 1,
     "--zone": -1, "--idle-timeout": 1, "--ip-tags": -1, "--location": 1, "--tags": -1},
    {"-g": "--resource-group", "-n": "--name", "-l": "--location", "-z": "--zone"},
)
_NAT_CREATE = _Table(
    {"--resource-group": 1, "--name": 1, "--public-ip-addresses": -1, "--idle-timeout": 1, "--zone": -1,
     "--location": 1, "--tags": -1},
    {"-g": "--resource-group", "-n": "--name", "-l": "--location", "-z": "--zone"},
)
_VNET_CREATE = _Table(
    {"--resource-group": 1, "--name": 1, "--address-prefixes": -1, "--subnet-name": 1, "--subnet-prefixes": -1,
     "--network-security-group": 1, "--nsg": 1, "--location": 1, "--tags": -1},
    {"-g": "--resource-group", "-n": "--name", "-l": "--location"},
)
_SUBNET = _Table(
    {"--resource-group": 1, "--vnet-name": 1, "--name": 1, "--address-prefixes": -1, "--network-security-group": 1,
     "--nat-gateway": 1},
    {"-g": "--resource-group", "-n": "--name"},
)
_NIC_CREATE = _Table(
    {"--resource-group": 1, "--name": 1, "--vnet-name": 1, "--subnet": 1, "--private-ip-address-version": 1,
     "--public-ip-address": 1, "--accelerated-networking": 1, "--ip-forwarding": 1, "--network-security-group": 1,
     "--location": 1, "--tags": -1},
    {"-g": "--resource-group", "-n": "--name", "-l": "--location"},
)
_IPCONFIG_CREATE = _Table(
    {"--resource-group": 1, "--nic-name": 1, "--name": 1, "--vnet-name": 1, "--subnet": 1,
     "--private-ip-address-version": 1, "--public-ip-address": 1, "--make-primary": 0},
    {"-g": "--resource-group", "-n": "--name"},
)
_VM_CREATE = _Table(
    {"--resource-group": 1, "--name": 1, "--location": 1, "--tags": -1, "--nics": -1, "--nic-delete-option": -1,
     "--image": 1, "--size": 1, "--zone": 1, "--security-type": 1, "--enable-secure-boot": 1, "--enable-vtpm": 1,
     "--computer-name": 1, "--admin-username": 1, "--authentication-type": 1, "--ssh-key-values": -1,
     "--ssh-dest-key-path": 1, "--generate-ssh-keys": 0, "--custom-data": 1, "--os-disk-name": 1,
     "--os-disk-caching": 1, "--os-disk-size-gb": 1, "--storage-sku": -1, "--os-disk-delete-option": 1,
     "--data-disk-sizes-gb": -1, "--data-disk-delete-option": 1, "--vnet-name": 1, "--subnet": 1,
     "--vnet-address-prefix": 1, "--subnet-address-prefix": 1, "--nsg": 1, "--nsg-rule": 1,
     "--public-ip-address": 1, "--public-ip-sku": 1, "--public-ip-address-allocation": 1,
     "--accelerated-networking": 1, "--admin-password": 1, "--license-type": 1, "--enable-agent": 1,
     "--priority": 1, "--eviction-policy": 1, "--availability-set": 1, "--ppg": 1, "--boot-diagnostics-storage": 1,
     "--assign-identity": -1, "--user-data": 1, "--os-type": 1, "--patch-mode": 1, "--enable-hotpatching": 1,
     "--enable-auto-update": 1, "--public-ip-address-dns-name": 1,
     **{f.az: 1 for f in VM_FIELDS.plain if f.az}},
    {"-g": "--resource-group", "-n": "--name", "-l": "--location", "-z": "--zone"},
    {"--admin-password": "Windows-style password sign-in: azwizard creates Linux VMs that sign in with SSH "
                         "keys only",
     "--license-type": "a Windows-only option (Azure Hybrid Benefit); azwizard creates Linux VMs",
     "--enable-hotpatching": "a Windows-only option; azwizard creates Linux VMs",
     "--enable-auto-update": "a Windows-only option (Windows Update); azwizard creates Linux VMs",
     "--patch-mode": "patching is left to the image's default",
     "--enable-agent": "the VM agent is always installed",
     "--availability-set": "azwizard does not use availability sets",
     "--ppg": "azwizard does not use proximity placement groups",
     "--boot-diagnostics-storage": "azwizard enables managed boot diagnostics",
     "--assign-identity": "azwizard creates no managed identity for the VM",
     "--user-data": "use --custom-data (cloud-init)",
     "--public-ip-address-dns-name": "azwizard sets no DNS label on the public IPs"},
)
_BOOT_DIAG = _Table({"--resource-group": 1, "--name": 1}, {"-g": "--resource-group", "-n": "--name"})
_VAULT_CREATE = _Table({"--resource-group": 1, "--name": 1, "--public-network-access": 1, "--location": 1,
                        "--tags": -1}, {"-g": "--resource-group", "-n": "--name", "-l": "--location"})
_PROTECT = _Table({"--resource-group": 1, "--vault-name": 1, "--vm": 1, "--policy-name": 1},
                  {"-g": "--resource-group", "-v": "--vault-name", "-p": "--policy-name"})

_VM_COMMANDS: dict[tuple[str, ...], _Table] = {
    ("network", "nsg", "create"): _NSG_CREATE,
    ("network", "nsg", "rule", "create"): _NSG_RULE,
    ("network", "public-ip", "create"): _PIP_CREATE,
    ("network", "nat", "gateway", "create"): _NAT_CREATE,
    ("network", "vnet", "create"): _VNET_CREATE,
    ("network", "vnet", "subnet", "update"): _SUBNET,
    ("network", "vnet", "subnet", "create"): _SUBNET,
    ("network", "nic", "create"): _NIC_CREATE,
    ("network", "nic", "ip-config", "create"): _IPCONFIG_CREATE,
    ("vm", "create"): _VM_CREATE,
    ("vm", "boot-diagnostics", "enable"): _BOOT_DIAG,
    ("backup", "vault", "create"): _VAULT_CREATE,
    ("backup", "protection", "enable-for-vm"): _PROTECT,
    ("group", "create"): _GROUP,
    ("account", "set"): _ACCOUNT,
}

# az vm create's URN aliases, exactly as az's alias document lists them: azure-cli reads the cloud's
# vmImageAliasDoc, https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/
# aliases.json (vm/_actions.py load_images_from_aliases_doc), and matches the alias without regard to case
# (vm/_validators.py _parse_image_argument: x['urnAlias'].lower() == image.lower()).
_AZ_LINUX_ALIASES = {
    "CentOS85Gen2": "OpenLogic:CentOS:8_5-gen2:latest",
    "Debian11": "Debian:debian-11:11-backports-gen2:latest",
    "OpenSuseLeap154Gen2": "SUSE:openSUSE-leap-15-4:gen2:latest",
    "RHELRaw8LVMGen2": "RedHat:RHEL:8-lvm-gen2:latest",
    "SuseSles15SP5": "SUSE:sles-15-sp5:gen2:latest",
    "Ubuntu2204": "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
    "Ubuntu2404": "Canonical:ubuntu-24_04-lts:server:latest",
    "Ubuntu2404Pro": "Canonical:ubuntu-24_04-lts:ubuntu-pro:latest",
    "FlatcarLinuxFreeGen2": "kinvolk:flatcar-container-linux-free:stable-gen2:latest",
}
_AZ_WINDOWS_ALIASES = ("Win2022Datacenter", "Win2022AzureEditionCore", "Win2019Datacenter", "Win2016Datacenter",
                       "Win2012R2Datacenter", "Win2012Datacenter")
# Not in az's document: azwizard's own name for its default image (the docs' examples use it). az itself would
# look for a custom image named Debian12.
_AZWIZARD_ALIASES = {"Debian12": IMAGES["debian-12"].urn, **{k: v.urn for k, v in IMAGES.items()}}
_IMAGE_ALIASES = {k.lower(): v for k, v in {**_AZ_LINUX_ALIASES, **_AZWIZARD_ALIASES}.items()}


def _last_name(ref: str) -> str:
    """A resource's name from a name or a full id."""
    return ref.rstrip("/").rsplit("/", 1)[-1]


def infer_base(names: Mapping[str, str]) -> str:
    """The base name whose derived names (``VmNames.derive``) match the most of ``names`` (field -> name):
    ``Yolo-VM`` -> ``Yolo``. Falls back to the VM's name."""
    suffixes = {f.name: getattr(VmNames.derive(""), f.name) for f in dataclasses.fields(VmNames)}
    candidates: list[str] = []
    for fld in ("vm", "resource_group", "nsg", "vnet", "nic", "public_ipv4", "public_ipv6", "os_disk"):
        value, suffix = names.get(fld, ""), suffixes[fld]
        if suffix and value.endswith(suffix) and len(value) > len(suffix):
            candidates.append(value[:-len(suffix)])
    if not candidates:
        return names.get("vm", "") or "vm"

    def score(base: str) -> int:
        derived = VmNames.derive(base)
        return sum(1 for k, v in names.items() if getattr(derived, k) == v)

    return max(candidates, key=score)  # max keeps the first of equal scores (the VM's)


def _expressed_names(spec: VmSpec) -> dict[str, str]:
    """The names the exported commands say (a data disk's name has no az flag; NAT and vault names only
    exist when those are created)."""
    out = {f.name: getattr(spec.names, f.name) for f in dataclasses.fields(VmNames)}
    out.pop("data_disk")
    if not spec.nat_gateway.enabled:
        out.pop("nat_gateway")
        out.pop("nat_public_ipv4")
    if not spec.backup.enabled:
        out.pop("vault")
    return out


def _names_from(expressed: Mapping[str, str]) -> tuple[str, VmNames]:
    base = infer_base(expressed)
    return base, replace(VmNames.derive(base), **expressed)


def _purpose(rules: tuple[NsgRule, ...]) -> Any:
    ssh = next((r for r in rules if r.name == "Allow-SSH"), None)
    source = ssh.source if ssh else "*"
    for purpose in ("web", "ssh-only"):
        if rules == rules_for_purpose(purpose, source):  # type: ignore[arg-type]
            return purpose
    return "custom"


def canonical_vm(spec: VmSpec) -> VmSpec:
    """The form :func:`read_vm` gives for a spec that creates the same resources."""
    net = spec.network
    sub4 = "" if net.subnet_ipv4 in ("", default_subnet(net.ipv4_space, 24)) else net.subnet_ipv4
    sub6 = "" if net.subnet_ipv6 in ("", default_subnet(net.ipv6_space, 64)) else net.subnet_ipv6
    image = next((img for img in IMAGES.values() if img.urn == spec.image.urn),
                 replace(spec.image, label=""))
    nat = spec.nat_gateway if spec.nat_gateway.enabled else NatGatewaySpec()
    backup = BackupSpec()
    if spec.backup.enabled:
        auto = "Enhanced" if spec.security_type == "TrustedLaunch" else "Standard"
        backup = BackupSpec(True, "auto" if spec.backup_policy == auto else spec.backup_policy)
    data = spec.data_disk
    if data is not None:
        data = replace(data, size_gb=data.size_gb or 64)
    spec = replace(spec, nat_gateway=nat, backup=backup, data_disk=data)
    base, names = _names_from(_expressed_names(spec))
    return replace(
        spec, base_name=base, names=names, network=replace(net, subnet_ipv4=sub4, subnet_ipv6=sub6), image=image,
        purpose=_purpose(spec.nsg_rules), public_ip_delete_with_vm=False, zone=spec.zone or None,
        extra_tags=_tags(f"{k}={v}" for k, v in spec.extra_tags),
    )


@dataclass
class _VmCommands:
    group: _Flags | None = None
    nsgs: dict[str, _Flags] = field(default_factory=dict)
    rules: dict[str, list[_Flags]] = field(default_factory=dict)
    pips: dict[str, _Flags] = field(default_factory=dict)
    nats: dict[str, _Flags] = field(default_factory=dict)
    vnets: dict[str, _Flags] = field(default_factory=dict)
    subnets: dict[tuple[str, str], list[_Flags]] = field(default_factory=dict)
    nics: dict[str, _Flags] = field(default_factory=dict)
    ipconfigs: dict[str, list[_Flags]] = field(default_factory=dict)
    vm: _Flags | None = None
    vaults: dict[str, _Flags] = field(default_factory=dict)
    protections: list[_Flags] = field(default_factory=list)
    boot_diagnostics: bool = False
    subscription: str | None = None


def _collect_vm(commands: Sequence[Sequence[str]], unknown: list[str]) -> _VmCommands:
    c = _VmCommands()
    for argv in commands:
        words = tuple(argv[1:])
        table = next(((key, t) for key, t in _VM_COMMANDS.items() if words[:len(key)] == key), None)
        if table is None:
            unknown.append(f"{shlex.join(argv[:4])} ...: azwizard does not read this command; it was left out")
            continue
        key, t = table
        f = _parse(argv, len(key), t)
        unknown += f.unknown
        if f.has("--subscription"):
            c.subscription = f.one("--subscription")
        lower = f.one("--name").lower()
        if key == ("account", "set"):
            c.subscription = f.one("--subscription")
        elif key == ("group", "create"):
            c.group = f
        elif key == ("network", "nsg", "create"):
            c.nsgs[lower] = f
        elif key == ("network", "nsg", "rule", "create"):
            c.rules.setdefault(f.one("--nsg-name").lower(), []).append(f)
        elif key == ("network", "public-ip", "create"):
            c.pips[lower] = f
        elif key == ("network", "nat", "gateway", "create"):
            c.nats[lower] = f
        elif key == ("network", "vnet", "create"):
            c.vnets[lower] = f
        elif key[:3] == ("network", "vnet", "subnet"):
            c.subnets.setdefault((f.one("--vnet-name").lower(), lower), []).append(f)
        elif key == ("network", "nic", "create"):
            c.nics[lower] = f
        elif key == ("network", "nic", "ip-config", "create"):
            c.ipconfigs.setdefault(f.one("--nic-name").lower(), []).append(f)
        elif key == ("vm", "create"):
            if c.vm is not None:
                raise AzReadError("more than one az vm create")
            c.vm = f
        elif key == ("vm", "boot-diagnostics", "enable"):
            c.boot_diagnostics = True
        elif key == ("backup", "vault", "create"):
            c.vaults[lower] = f
        else:
            c.protections.append(f)
    return c


def _zones(f: _Flags, flag: str = "--zone") -> tuple[str, ...]:
    return tuple(z for v in f.many(flag) for z in v.replace(",", " ").split())


def _public_ip(f: _Flags) -> PublicIpSpec:
    tags = dict(t.partition("=")[::2] for t in f.many("--ip-tags"))
    return PublicIpSpec(
        sku=f.one("--sku", "Standard"), allocation=f.one("--allocation-method", "Static"), zones=_zones(f),
        routing_preference="Internet" if tags.get("RoutingPreference") == "Internet" else "Microsoft",
        idle_timeout_minutes=f.int_("--idle-timeout", 4) or 4,
    )


def _rule(f: _Flags) -> NsgRule:
    sources = f.many("--source-address-prefixes") or ["*"]
    return NsgRule(
        name=f.one("--name"), priority=f.int_("--priority", 100) or 100,
        protocol=f.one("--protocol", "*"),  # type: ignore[arg-type]
        destination_ports=tuple(f.many("--destination-port-ranges")) or ("*",),
        source=sources[0], access=f.one("--access", "Allow"),  # type: ignore[arg-type]
        direction=f.one("--direction", "Inbound"),  # type: ignore[arg-type]
        description=f.one("--description"),
    )


def _image(text: str) -> ImageRef:
    parts = text.split(":")
    if len(parts) == 4:
        return next((img for img in IMAGES.values() if img.urn.lower() == text.lower()), ImageRef(*parts))
    urn = _IMAGE_ALIASES.get(text.lower())
    if urn is not None:
        return _image(urn)
    if text.lower() in (w.lower() for w in _AZ_WINDOWS_ALIASES):
        raise AzReadError(f"az vm create: --image {_show(text)} is a Windows image; azwizard creates Linux VMs "
                          "(SSH keys, cloud-init)")
    raise AzReadError(f"az vm create: --image {_show(text)}: give a URN publisher:offer:sku:version or one of az's "
                      f"Linux aliases ({', '.join(_AZ_LINUX_ALIASES)})")


def _ssh_keys(f: _Flags, notes: list[str]) -> str:
    if f.has("--ssh-key-values"):
        keys = [_text_or_file(v, "the SSH public key", KEY_LIMIT) for v in f.many("--ssh-key-values")]
        if len(keys) > 1:
            notes.append("--ssh-key-values: azwizard installs one key; the first was taken")
        return keys[0].strip() if keys else ""
    if f.has("--generate-ssh-keys"):
        # az uses ~/.ssh/id_rsa.pub, generating it if missing (vm/_validators.py _validate_ssh_key).
        default = expand_user("~/.ssh/id_rsa.pub")
        if default.is_file():
            notes.append(f"--generate-ssh-keys: took the key in {default}, as az would")
            try:
                return read_user_text(default, limit=KEY_LIMIT).strip()
            except UserFileError as exc:
                raise AzReadError(f"--generate-ssh-keys: cannot read {exc}") from exc
        notes.append("--generate-ssh-keys: there is no ~/.ssh/id_rsa.pub; choose or generate a key in the wizard")
    return ""


def _disk_sku(values: Sequence[str], which: str, default: str) -> str:
    """``--storage-sku SKU`` for every disk, or ``os=SKU 0=SKU`` per disk."""
    if len(values) == 1 and "=" not in values[0]:
        return values[0]
    for v in values:
        k, _, sku = v.partition("=")
        if k == which:
            return sku
    return default


def _delete(value: str, default: bool) -> bool:
    """A ``--*-delete-option``; without it Azure keeps the resource (Detach)."""
    return default if not value else value.lower() == "delete"


# az vm create's enum options (azure-cli vm/_params.py: get_enum_type of CachingTypes, the delete options, the
# public IP SKU and allocation, the security types, --nsg-rule's SSH/RDP/NONE, --authentication-type).
_VM_CHOICES = {
    "--os-disk-caching": ("None", "ReadOnly", "ReadWrite"),
    "--nsg-rule": ("SSH", "RDP", "NONE"),
    "--security-type": ("TrustedLaunch", "ConfidentialVM", "Standard"),
    "--os-disk-delete-option": ("Delete", "Detach"),
    "--data-disk-delete-option": ("Delete", "Detach"),
    "--public-ip-sku": ("Basic", "Standard"),
    "--public-ip-address-allocation": ("Dynamic", "Static"),
    "--authentication-type": ("ssh", "password", "all"),
}


def _vm_choices(v: _Flags) -> None:
    """az's spelling of each enum option given (a value az would refuse is refused here too)."""
    for flag, choices in _VM_CHOICES.items():
        if v.has(flag):
            v.values[flag] = [v.choice(flag, "", choices)]
    nic_delete = v.many("--nic-delete-option")
    if len(nic_delete) == 1 and "=" not in nic_delete[0]:  # one option for every NIC (else Name=Option each)
        v.values["--nic-delete-option"] = [v.choice("--nic-delete-option", "", ("Delete", "Detach"))]


def read_vm(commands: Sequence[Sequence[str]], *, location: str = "norwayeast") -> AzRead[VmSpec]:
    """A VmSpec from ``az vm create`` (alone, or with the network commands azwizard's script has)."""
    unknown: list[str] = []
    notes: list[str] = []
    c = _collect_vm(commands, unknown)
    if c.vm is None:
        raise AzReadError("no az vm create command to read")
    v = c.vm
    _vm_choices(v)
    rg = v.one("--resource-group") or (c.group.one("--name") if c.group else "")
    loc = v.one("--location") or (c.group.one("--location") if c.group else "") or location
    vm_name = v.one("--name") or "vm"
    names: dict[str, str] = {"vm": vm_name}
    if rg:
        names["resource_group"] = rg

    nic_refs = v.many("--nics")
    if nic_refs:
        spec_parts = _vm_from_nics(c, v, nic_refs, names, unknown, notes)
    else:
        spec_parts = _vm_standalone(v, names, notes)
    if v.has("--os-disk-name"):
        names["os_disk"] = v.one("--os-disk-name")
    if v.has("--computer-name") and v.one("--computer-name") != vm_name:
        notes.append("--computer-name: azwizard names the VM's host after the VM")

    # Backup.
    backup = BackupSpec()
    for p in c.protections:
        if _last_name(p.one("--vm")).lower() != vm_name.lower():
            continue
        vault = p.one("--vault-name")
        names["vault"] = vault
        policy = p.one("--policy-name")
        resolved = "Enhanced" if policy.lower().startswith("enhanced") else "Standard"
        security = v.one("--security-type", "TrustedLaunch")
        auto = "Enhanced" if security == "TrustedLaunch" else "Standard"
        backup = BackupSpec(True, "auto" if resolved == auto else resolved)  # type: ignore[arg-type]

    # Disks.
    skus = v.many("--storage-sku")
    os_disk = DiskSpec(size_gb=v.int_("--os-disk-size-gb"), sku=_disk_sku(skus, "os", "StandardSSD_LRS"),
                       delete_with_vm=_delete(v.one("--os-disk-delete-option"), False))
    data_disk = None
    sizes = v.many("--data-disk-sizes-gb")
    if sizes:
        if len(sizes) > 1:
            notes.append("--data-disk-sizes-gb: azwizard creates one data disk; the first size was taken")
        try:
            size = int(sizes[0])
        except ValueError:
            raise AzReadError(f"az vm create: --data-disk-sizes-gb takes whole numbers, not {sizes[0]!r}") from None
        data_disk = DiskSpec(size_gb=size, sku=_disk_sku(skus, "0", "StandardSSD_LRS"),
                             delete_with_vm=_delete(v.one("--data-disk-delete-option"), False))
    auth = v.one("--authentication-type", "ssh").lower()
    if auth != "ssh":
        unknown.append(f"az vm create: --authentication-type {auth}: azwizard creates Linux VMs that sign in with "
                       "SSH keys only")
    custom = v.one("--custom-data")
    if custom:
        custom = _text_or_file(custom, "the custom data", CUSTOM_DATA_LIMIT)
        problem = custom_data_problem(custom)
        if problem:
            raise AzReadError(f"az vm create: --custom-data: {problem}")
    base, vm_names = _names_from(names)
    security = v.one("--security-type", "TrustedLaunch")
    if security not in ("TrustedLaunch", "Standard"):
        raise AzReadError(f"az vm create: --security-type {security!r}: azwizard offers TrustedLaunch or Standard")
    spec = VmSpec(
        base_name=base, location=loc, names=vm_names,
        use_existing_group=c.group is None and _exported(commands),
        image=_image(v.one("--image", IMAGES["debian-12"].urn)),
        size=v.one("--size", "Standard_DS1_v2" if not nic_refs else "Standard_B2s"),
        zone=v.one("--zone") or None,
        security_type=security,  # type: ignore[arg-type]
        admin_username=v.one("--admin-username", "azureuser"),
        ssh_public_key=withhold_private_key(_ssh_keys(v, notes)),  # a private key stops here
        os_disk=os_disk, data_disk=data_disk, backup=backup, custom_data=custom,
        extra_tags=_tags(v.many("--tags")),
        **spec_parts,
        **_plain(v, VM_FIELDS, "az vm create"),
    )
    if not v.has("--size") and not nic_refs:
        # azure-cli vm/_breaking_change.py: current default Standard_DS1_v2 (Standard_D2s_v5 announced).
        notes.append("no --size: az's default is Standard_DS1_v2")
    return AzRead(spec, tuple(unknown), tuple(notes), c.subscription)


def _plain(v: _Flags, registry: Registry, command: str) -> dict[str, Any]:
    """The plain fields (azwizard/fields) the command sets, each read from its own option."""
    out: dict[str, Any] = {}
    for f in registry.plain:
        if f.az and f.spec is not None and v.has(f.az):
            try:
                out[f.spec] = f.parse(v.one(f.az))
            except ValueError as exc:
                raise AzReadError(f"{command}: {f.az}: {exc}") from None
    return out


def _vm_from_nics(c: _VmCommands, v: _Flags, nic_refs: list[str], names: dict[str, str], unknown: list[str],
                  notes: list[str]) -> dict[str, Any]:
    """The network the exported script builds: NIC -> subnet -> VNet, NSG, NAT gateway; public IPs."""
    nic_name = _last_name(nic_refs[0])
    names["nic"] = nic_name
    if len(nic_refs) > 1:
        notes.append("--nics: azwizard's VM has one NIC; the first was taken")
    nic = c.nics.get(nic_name.lower())
    out: dict[str, Any] = {"nic_delete_with_vm": _delete(" ".join(v.many("--nic-delete-option")), False)}
    if nic is None:
        raise AzReadError(f"az vm create --nics {nic_name}: the NIC is not created by these commands; give the "
                          "az network nic create command too, or drop --nics to let az make the network")
    out["accelerated_networking"] = nic.bool_("--accelerated-networking", False)
    configs = [nic, *c.ipconfigs.get(nic_name.lower(), [])]
    pip4 = pip6 = None
    for cfg in configs:
        ref = cfg.one("--public-ip-address")
        version = cfg.one("--private-ip-address-version", "IPv4")
        if ref:
            if version == "IPv6":
                pip6 = _last_name(ref)
            else:
                pip4 = _last_name(ref)
    vnet_name, subnet_name = nic.one("--vnet-name"), nic.one("--subnet")
    if not vnet_name and subnet_name.startswith("/"):
        parts = subnet_name.split("/")
        vnet_name, subnet_name = parts[-3], parts[-1]
    names.update(vnet=vnet_name, subnet=subnet_name)
    public_ip = PublicIpSpec()
    for label, pip in (("public_ipv4", pip4), ("public_ipv6", pip6)):
        if pip is None:
            continue
        names[label] = pip
        f = c.pips.get(pip.lower())
        if f is not None:
            public_ip = _public_ip(f)
    vnet = c.vnets.get(vnet_name.lower())
    if vnet is None:
        raise AzReadError(f"az network nic create --vnet-name {vnet_name}: the virtual network is not created by "
                          "these commands")
    spaces = vnet.many("--address-prefixes")
    v4 = next((s for s in spaces if ":" not in s), "10.0.0.0/16")
    v6 = next((s for s in spaces if ":" in s), "")
    if not v6:
        v6 = random_ula_48()
        notes.append(f"the virtual network has no IPv6 space; azwizard adds {v6} (a random ULA /48) for dual stack")
    sub_prefixes = vnet.many("--subnet-prefixes") if vnet.one("--subnet-name") == subnet_name else []
    nsg_ref = vnet.one("--network-security-group") or vnet.one("--nsg")
    nat_ref = ""
    for f in c.subnets.get((vnet_name.lower(), subnet_name.lower()), []):
        sub_prefixes = f.many("--address-prefixes") or sub_prefixes
        nsg_ref = f.one("--network-security-group", nsg_ref)
        nat_ref = f.one("--nat-gateway", nat_ref)
    s4 = next((s for s in sub_prefixes if ":" not in s), "")
    s6 = next((s for s in sub_prefixes if ":" in s), "")
    out["network"] = NetworkSpec(ipv4_space=v4, ipv6_space=v6,
                                 subnet_ipv4="" if s4 == default_subnet(v4, 24) else s4,
                                 subnet_ipv6="" if not s6 or s6 == default_subnet(v6, 64) else s6)
    rules: tuple[NsgRule, ...] = ()
    if nsg_ref:
        nsg = _last_name(nsg_ref)
        names["nsg"] = nsg
        rules = tuple(_rule(f) for f in c.rules.get(nsg.lower(), []))
    if nic.has("--network-security-group"):
        notes.append("an NSG on the NIC: azwizard puts the NSG on the subnet only (the notes)")
    out["nsg_rules"] = rules
    out["purpose"] = _purpose(rules)
    out["public_ip"] = public_ip
    nat = NatGatewaySpec()
    if nat_ref:
        nat_name = _last_name(nat_ref)
        names["nat_gateway"] = nat_name
        f = c.nats.get(nat_name.lower())
        if f is not None:
            nat = NatGatewaySpec(enabled=True, idle_timeout_minutes=f.int_("--idle-timeout", 10) or 10,
                                 zones=_zones(f))
            pips = f.many("--public-ip-addresses")
            if pips:
                names["nat_public_ipv4"] = _last_name(pips[0])
        else:
            nat = NatGatewaySpec(enabled=True)
    out["nat_gateway"] = nat
    return out


def _vm_standalone(v: _Flags, names: dict[str, str], notes: list[str]) -> dict[str, Any]:
    """A lone ``az vm create``: az makes the VNet, subnet, NSG (SSH open) and one public IPv4 itself."""
    for flag, key in (("--vnet-name", "vnet"), ("--subnet", "subnet"), ("--nsg", "nsg"),
                      ("--public-ip-address", "public_ipv4")):
        if v.one(flag):
            names[key] = _last_name(v.one(flag))
    v4 = v.one("--vnet-address-prefix", "10.0.0.0/16")
    s4 = v.one("--subnet-address-prefix")
    for value, flag in ((v4, "--vnet-address-prefix"), (s4, "--subnet-address-prefix")):
        if value or v.has(flag):
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise AzReadError(f"az vm create: {flag} {value!r} is not a CIDR") from None
    notes.append("az vm create alone makes an IPv4-only network; azwizard builds the notes' dual-stack network "
                 "(IPv6 from a random ULA /48, a public IPv6, the NSG on the subnet)")
    rule = v.one("--nsg-rule", "SSH").upper()
    purpose = {"SSH": "ssh-only", "NONE": "custom"}.get(rule)
    if purpose is None:
        notes.append(f"--nsg-rule {rule}: RDP is for Windows; azwizard opens SSH instead")
        purpose = "ssh-only"
    zones: tuple[str, ...] = ()
    if v.one("--zone"):
        zones = (v.one("--zone"),)  # az puts the public IP in the VM's zone
    return {
        "network": NetworkSpec(ipv4_space=v4, subnet_ipv4="" if not s4 or s4 == default_subnet(v4, 24) else s4),
        "public_ip": PublicIpSpec(sku=v.one("--public-ip-sku", "Standard"),
                                  allocation=v.one("--public-ip-address-allocation", "Static").capitalize(),
                                  zones=zones or PublicIpSpec().zones),
        "purpose": purpose,
        "nsg_rules": rules_for_purpose(purpose),  # type: ignore[arg-type]
        "accelerated_networking": v.bool_("--accelerated-networking", False),
        "nic_delete_with_vm": _delete(" ".join(v.many("--nic-delete-option")), False),
    }


def encode_custom_data(text: str) -> str:
    """What the plan sends for ``text`` (for tests and notes)."""
    return base64.b64encode(text.encode()).decode()
