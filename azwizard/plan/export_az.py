"""Export a plan as the equivalent Azure CLI script: the same resources, with the same properties.

Each step's exact wire body is translated by an exporter registered for its ARM kind
(``@az_exporter("Microsoft.Network/networkSecurityGroups")``). An exporter reads the body through a
:class:`BodyReader`, which records what it expressed; any property left over means ``az`` has no flag
for it, and the step falls back to ``az resource create --is-full-object`` with the exact body, so the
script never silently drops a property. Where a flag is close but not identical (``az`` picks a
name, or sends a value Azure normalizes), the exporter records a note and the script says so.

Other journeys register their kinds in their own module (e.g. the AKS exporters), importing
``az_exporter``, ``AzCommand``, ``BodyReader`` and ``AzContext`` from here.

Every flag below was checked against the Azure CLI sources (Azure/azure-cli, ``src/azure-cli/azure/cli/
command_modules/...``): ``network/aaz/latest/network/{nsg/rule,public_ip,nat/gateway,vnet/subnet,nic,
nic/ip_config}/_create.py`` / ``_update.py`` and their custom wrappers (``NICCreate`` names the only
IP configuration "ipconfig1"; ``VNetCreate`` adds ``--subnet-name/--subnet-prefixes/--nsg``; the NAT
gateway wrapper adds ``--public-ip-addresses`` and always sends sku Standard), ``vm/_params.py`` and
``vm/_validators.py`` (``--nics`` with ``--nic-delete-option``; ``--security-type Standard`` sends no
securityProfile), ``backup/_params.py`` and ``backup/custom.py`` (``create_vault``), and
``resource/_params.py`` (``az resource create --is-full-object``).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fields import VM_FIELDS, Registry
from ..userfiles import write_user_text
from .model import Plan, Step

__all__ = [
    "AzCommand", "AzContext", "AzExport", "BodyReader", "Inexpressible", "TextFile", "Var",
    "az_commands", "az_exporter", "az_script", "export", "plan_group", "registered_kinds", "save",
]


# ---------------------------------------------------------------------------------------------------
# Commands and their two renderings (a bash script line, an argv list)


@dataclass(frozen=True)
class Var:
    """A shell variable standing for ``value``: ``"$RG"`` in the script, the value itself in argv."""

    name: str
    value: str


Token = str | Var


@dataclass(frozen=True)
class TextFile:
    """A file the script writes before running the commands (cloud-init custom data)."""

    var: Var  # var.value is the file's text (what argv passes instead of a path)
    data: bytes


@dataclass(frozen=True)
class AzCommand:
    words: tuple[str, ...]  # ("network", "nsg", "create")
    options: tuple[tuple[str, tuple[Token, ...]], ...] = ()

    def argv(self) -> list[str]:
        out = ["az", *self.words]
        for name, values in self.options:
            if _needs_equals(values):
                v = values[0]
                out.append(f"{name}={v.value if isinstance(v, Var) else v}")
            else:
                out.append(name)
                out.extend(v.value if isinstance(v, Var) else v for v in values)
        return out

    def render(self, *, literal: bool = False) -> str:
        """One bash command, one option per continued line. ``literal`` inlines variables' values."""
        lines = ["az " + " ".join(self.words)]
        for name, values in self.options:
            parts = [_shell_token(v, literal) for v in values]
            if _needs_equals(values):
                lines.append(f"{name}={parts[0]}")
            else:
                lines.append(" ".join([name, *parts]))
        # Short commands stay on one line ("az account set --subscription ...").
        return (" " if len(lines) <= 2 else " \\\n  ").join(lines)


def _needs_equals(values: tuple[Token, ...]) -> bool:
    # argparse (az's parser) reads a separate value starting with "-" as an option ("-n=Evil" as --name Evil,
    # "--" as the end of options); "--opt=value" cannot be misread. A variable may hold anything (a group named
    # "-rg", custom data "--"), so it always goes as "--opt=$VAR".
    return len(values) == 1 and (isinstance(values[0], Var) or values[0].startswith("-"))


def _dash_in_list(cmd: AzCommand) -> str | None:
    """An option of several values with one that starts with "-": argparse ends the list there and reads the
    value as an option, and "--opt=value" carries one value only, so no az command line can say it."""
    for name, values in cmd.options:
        if len(values) > 1:
            for v in values:
                text = v.value if isinstance(v, Var) else v
                if text.startswith("-"):
                    return f"{name} with a value starting with '-' ({text[:30]!r}) among several"
    return None


def _shell_token(token: Token, literal: bool) -> str:
    if isinstance(token, Var):
        return shlex.quote(token.value) if literal else f'"${token.name}"'
    return shlex.quote(token)


class _Cmd:
    """A small builder so exporters read like the command they produce."""

    def __init__(self, *words: str) -> None:
        self.words = words
        self.options: list[tuple[str, tuple[Token, ...]]] = []

    def opt(self, name: str, *values: Token) -> _Cmd:
        self.options.append((name, tuple(values)))
        return self

    def build(self) -> AzCommand:
        return AzCommand(self.words, tuple(self.options))


# ---------------------------------------------------------------------------------------------------
# Reading a body while recording what was expressed


class Inexpressible(Exception):
    """Raised by an exporter when the body needs something its az command cannot say."""


_MISSING: Any = object()
Path_ = tuple[str | int, ...]


class BodyReader:
    """Reads a step body and remembers which parts a command expressed.

    ``get`` marks a value as expressed by a flag; ``expect`` marks it only when it equals what the
    command does implicitly (az's own default); ``approx`` marks it as expressed approximately and
    records a note. ``leftovers`` are the leaf paths nobody marked: properties az would not send.
    """

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.body = body
        self._used: set[Path_] = set()
        self.notes: list[str] = []

    def _lookup(self, path: Path_) -> Any:
        node: Any = self.body
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return _MISSING
                node = node[part]
            else:
                if not isinstance(node, Mapping) or part not in node:
                    return _MISSING
                node = node[part]
        return node

    def has(self, *path: str | int) -> bool:
        return self._lookup(path) is not _MISSING

    def peek(self, *path: str | int, default: Any = None) -> Any:
        """The value without marking it (to decide which command to build)."""
        value = self._lookup(path)
        return default if value is _MISSING else value

    def get(self, *path: str | int, default: Any = None) -> Any:
        value = self._lookup(path)
        if value is _MISSING:
            return default
        self._used.add(path)
        return value

    def expect(self, *path: str | int, value: Any) -> bool:
        """Mark ``path`` as expressed if it holds ``value`` (what the command does anyway)."""
        if self._lookup(path) == value:
            self._used.add(path)
            return True
        return False

    def approx(self, *path: str | int, note: str) -> Any:
        value = self._lookup(path)
        if value is not _MISSING:
            self._used.add(path)
            self.notes.append(note)
        return None if value is _MISSING else value

    def leftovers(self) -> list[str]:
        return [".".join(map(str, p)) for p in _leaf_paths(self.body, ())
                if not any(p[:len(u)] == u for u in self._used)]


def _leaf_paths(node: Any, prefix: Path_) -> Iterator[Path_]:
    if isinstance(node, Mapping) and node:
        for key, value in node.items():
            yield from _leaf_paths(value, (*prefix, key))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from _leaf_paths(value, (*prefix, i))
    else:
        yield prefix


# ---------------------------------------------------------------------------------------------------
# Context shared by the exporters of one plan


_ID_RE = re.compile(r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/(.+)$", re.IGNORECASE)


@dataclass
class AzContext:
    plan: Plan
    subscription: Var
    location: Var
    rg: Var
    files: list[TextFile] = field(default_factory=list)

    def group(self, name: str) -> Token:
        return self.rg if name == self.rg.value else name

    def loc(self, location: str) -> Token:
        return self.location if location == self.location.value else location

    def same_group(self, resource_id: str) -> bool:
        m = _ID_RE.match(resource_id)
        return bool(m and m.group(1).lower() == self.subscription.value.lower()
                    and m.group(2).lower() == self.rg.value.lower())

    def ref(self, resource_id: str, kind: str) -> str:
        """How an az flag names another resource: its name when it is a ``kind`` in the plan's resource
        group (az resolves names there), else its full id."""
        ns, _, rtype = kind.partition("/")
        m = _ID_RE.match(resource_id)
        if m and self.same_group(resource_id):
            parts = m.group(3).split("/")
            if len(parts) == 3 and parts[0].lower() == ns.lower() and parts[1].lower() == rtype.lower():
                return parts[2]
        return resource_id

    def subnet_ref(self, subnet_id: str) -> tuple[tuple[str, tuple[Token, ...]], ...]:
        """``--vnet-name V --subnet S`` for a subnet of the plan's group, else ``--subnet <id>``."""
        m = _ID_RE.match(subnet_id)
        if m and self.same_group(subnet_id):
            parts = m.group(3).split("/")
            if (len(parts) == 5 and parts[0].lower() == "microsoft.network"
                    and parts[1].lower() == "virtualnetworks" and parts[3].lower() == "subnets"):
                return (("--vnet-name", (parts[2],)), ("--subnet", (parts[4],)))
        return (("--subnet", (subnet_id,)),)

    def text_file(self, stem: str, data: bytes) -> Var:
        name = stem
        taken = {f.var.name for f in self.files}
        n = 2
        while name in taken:
            name, n = f"{stem}_{n}", n + 1
        var = Var(name, data.decode("utf-8", errors="surrogateescape"))
        self.files.append(TextFile(var, data))
        return var


def _tags(tags: Mapping[str, str]) -> tuple[str, ...]:
    # az splits each "key[=value]" on the first "=" (azure.cli.core.commands.validators.validate_tag).
    return tuple(f"{k}={v}" for k, v in tags.items())


def _common(cmd: _Cmd, r: BodyReader, ctx: AzContext, *, location: bool = True, tags: bool = True) -> None:
    if location and r.has("location"):
        cmd.opt("--location", ctx.loc(r.get("location")))
    if tags and r.has("tags"):
        values = _tags(r.get("tags"))
        if values:
            cmd.opt("--tags", *values)


def _bool(value: Any) -> str:
    return "true" if value else "false"


# ---------------------------------------------------------------------------------------------------
# The registry

AzExporter = Callable[[Step, BodyReader, AzContext], list[AzCommand]]
_EXPORTERS: dict[str, AzExporter] = {}


def az_exporter(kind: str) -> Callable[[AzExporter], AzExporter]:
    """Register the az exporter for an ARM resource type (case-insensitive)."""

    def register(fn: AzExporter) -> AzExporter:
        _EXPORTERS[kind.lower()] = fn
        return fn

    return register


def registered_kinds() -> set[str]:
    return set(_EXPORTERS)


def _generic(step: Step, ctx: AzContext) -> list[AzCommand]:
    """Any resource, exactly: ``az resource create`` PUTs the full body (resource/_params.py:
    ``--is-full-object``: "the properties object includes other options such as location, tags, sku")."""
    return [_Cmd("resource", "create").opt("--id", step.resource_id)
            .opt("--api-version", step.api_version or "")
            .opt("--is-full-object")
            .opt("--properties", json.dumps(step.body, separators=(",", ":"), sort_keys=True)).build()]


# ---------------------------------------------------------------------------------------------------
# VM journey exporters


@az_exporter("Microsoft.Resources/resourceGroups")
def _resource_group(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    cmd = _Cmd("group", "create").opt("--name", ctx.group(step.name))
    _common(cmd, r, ctx)
    return [cmd.build()]


def _list_or_one(r: BodyReader, props: Path_, single: str, plural: str) -> list[str] | None:
    if r.has(*props, plural):
        return [str(v) for v in r.get(*props, plural)]
    if r.has(*props, single):
        return [str(r.get(*props, single))]
    return None


@az_exporter("Microsoft.Network/networkSecurityGroups")
def _nsg(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    create = _Cmd("network", "nsg", "create").opt("--resource-group", ctx.group(step.resource_group)) \
        .opt("--name", step.name)
    _common(create, r, ctx)
    out = [create.build()]
    if r.peek("properties", "securityRules") == []:
        r.get("properties", "securityRules")  # no rules: nsg create makes none
    for i, _ in enumerate(r.peek("properties", "securityRules", default=[])):
        p: Path_ = ("properties", "securityRules", i, "properties")
        rule = _Cmd("network", "nsg", "rule", "create") \
            .opt("--resource-group", ctx.group(step.resource_group)).opt("--nsg-name", step.name) \
            .opt("--name", r.get("properties", "securityRules", i, "name"))
        for key, flag in (("priority", "--priority"), ("direction", "--direction"), ("access", "--access"),
                          ("protocol", "--protocol")):
            if r.has(*p, key):
                rule.opt(flag, str(r.get(*p, key)))
        # The plural flags take one or more values; the wrapper sends one value as the singular property.
        for single, plural, flag in (
                ("sourceAddressPrefix", "sourceAddressPrefixes", "--source-address-prefixes"),
                ("sourcePortRange", "sourcePortRanges", "--source-port-ranges"),
                ("destinationAddressPrefix", "destinationAddressPrefixes", "--destination-address-prefixes"),
                ("destinationPortRange", "destinationPortRanges", "--destination-port-ranges")):
            values = _list_or_one(r, p, single, plural)
            if values is not None:
                rule.opt(flag, *values)
        if r.has(*p, "description"):
            rule.opt("--description", r.get(*p, "description"))
        out.append(rule.build())
    return out


@az_exporter("Microsoft.Network/publicIPAddresses")
def _public_ip(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    cmd = _Cmd("network", "public-ip", "create").opt("--resource-group", ctx.group(step.resource_group)) \
        .opt("--name", step.name)
    p = ("properties",)
    if r.has(*p, "publicIPAddressVersion"):
        cmd.opt("--version", r.get(*p, "publicIPAddressVersion"))
    if r.has("sku", "name"):
        cmd.opt("--sku", r.get("sku", "name"))
    if r.has("sku", "tier"):
        cmd.opt("--tier", r.get("sku", "tier"))
    if r.has(*p, "publicIPAllocationMethod"):
        cmd.opt("--allocation-method", r.get(*p, "publicIPAllocationMethod"))
    if r.has("zones"):
        zones = [str(z) for z in r.get("zones")]
        if zones:
            cmd.opt("--zone", *zones)
    if r.has(*p, "idleTimeoutInMinutes"):
        cmd.opt("--idle-timeout", str(r.get(*p, "idleTimeoutInMinutes")))
    tags = r.peek(*p, "ipTags", default=[])
    if tags:
        values = []
        for i, _ in enumerate(tags):
            values.append(f"{r.get(*p, 'ipTags', i, 'ipTagType')}={r.get(*p, 'ipTags', i, 'tag')}")
        cmd.opt("--ip-tags", *values)  # "Space-separated list of IP tags in 'TYPE=VAL' format"
    _common(cmd, r, ctx)
    return [cmd.build()]


@az_exporter("Microsoft.Network/natGateways")
def _nat_gateway(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    cmd = _Cmd("network", "nat", "gateway", "create").opt("--resource-group", ctx.group(step.resource_group)) \
        .opt("--name", step.name)
    r.expect("sku", "name", value="Standard")  # the CLI's GatewayCreate always sends sku Standard
    p = ("properties",)
    for key, flag, kind in (("publicIpAddresses", "--public-ip-addresses", "Microsoft.Network/publicIPAddresses"),
                            ("publicIpPrefixes", "--public-ip-prefixes", "Microsoft.Network/publicIPPrefixes")):
        refs = r.peek(*p, key, default=[])
        if refs:
            cmd.opt(flag, *[ctx.ref(r.get(*p, key, i, "id"), kind) for i, _ in enumerate(refs)])
    if r.has(*p, "idleTimeoutInMinutes"):
        cmd.opt("--idle-timeout", str(r.get(*p, "idleTimeoutInMinutes")))
    if r.has("zones"):
        zones = [str(z) for z in r.get("zones")]
        if zones:
            cmd.opt("--zone", *zones)
    _common(cmd, r, ctx)
    return [cmd.build()]


def _subnet_options(r: BodyReader, p: Path_, ctx: AzContext) -> list[tuple[str, tuple[Token, ...]]]:
    opts: list[tuple[str, tuple[Token, ...]]] = []
    prefixes = _list_or_one(r, p, "addressPrefix", "addressPrefixes")
    if prefixes:
        opts.append(("--address-prefixes", tuple(prefixes)))
    if r.has(*p, "networkSecurityGroup", "id"):
        opts.append(("--network-security-group", (ctx.ref(r.get(*p, "networkSecurityGroup", "id"),
                                                          "Microsoft.Network/networkSecurityGroups"),)))
    if r.has(*p, "natGateway", "id"):
        opts.append(("--nat-gateway", (ctx.ref(r.get(*p, "natGateway", "id"), "Microsoft.Network/natGateways"),)))
    return opts


@az_exporter("Microsoft.Network/virtualNetworks")
def _vnet(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    rg = ctx.group(step.resource_group)
    cmd = _Cmd("network", "vnet", "create").opt("--resource-group", rg).opt("--name", step.name)
    if r.has("properties", "addressSpace", "addressPrefixes"):
        cmd.opt("--address-prefixes", *r.get("properties", "addressSpace", "addressPrefixes"))
    out: list[AzCommand] = []
    for i, _ in enumerate(r.peek("properties", "subnets", default=[])):
        name = r.get("properties", "subnets", i, "name")
        opts = _subnet_options(r, ("properties", "subnets", i, "properties"), ctx)
        if i == 0:
            # vnet create's subnet flags (VNetCreate wrapper): name, prefixes and the NSG; it has no NAT
            # gateway flag, so the NAT gateway is attached by "vnet subnet update" right after.
            cmd.opt("--subnet-name", name)
            rest = []
            for flag, values in opts:
                if flag == "--address-prefixes":
                    cmd.opt("--subnet-prefixes", *values)
                elif flag == "--network-security-group":
                    cmd.opt("--network-security-group", *values)
                else:
                    rest.append((flag, values))
            if rest:
                upd = _Cmd("network", "vnet", "subnet", "update").opt("--resource-group", rg) \
                    .opt("--vnet-name", step.name).opt("--name", name)
                for flag, values in rest:
                    upd.opt(flag, *values)
                out.append(upd.build())
        else:
            sub = _Cmd("network", "vnet", "subnet", "create").opt("--resource-group", rg) \
                .opt("--vnet-name", step.name).opt("--name", name)
            for flag, values in opts:
                sub.opt(flag, *values)
            out.append(sub.build())
    _common(cmd, r, ctx)
    return [cmd.build(), *out]


def _ip_config_options(r: BodyReader, p: Path_, ctx: AzContext) -> list[tuple[str, tuple[Token, ...]]]:
    opts: list[tuple[str, tuple[Token, ...]]] = []
    # Both commands send Dynamic unless --private-ip-address is given (NICCreate / NICIPConfigCreate).
    if not r.expect(*p, "privateIPAllocationMethod", value="Dynamic"):
        raise Inexpressible("static private IP")
    if r.has(*p, "subnet", "id"):
        opts.extend(ctx.subnet_ref(r.get(*p, "subnet", "id")))
    if r.has(*p, "privateIPAddressVersion"):
        opts.append(("--private-ip-address-version", (r.get(*p, "privateIPAddressVersion"),)))
    if r.has(*p, "publicIPAddress", "id"):
        opts.append(("--public-ip-address", (ctx.ref(r.get(*p, "publicIPAddress", "id"),
                                                     "Microsoft.Network/publicIPAddresses"),)))
    return opts


@az_exporter("Microsoft.Network/networkInterfaces")
def _nic(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    rg = ctx.group(step.resource_group)
    configs = r.peek("properties", "ipConfigurations", default=[])
    if not configs:
        raise Inexpressible("a NIC without IP configurations")
    cmd = _Cmd("network", "nic", "create").opt("--resource-group", rg).opt("--name", step.name)
    first: Path_ = ("properties", "ipConfigurations", 0)
    # NICCreate names its only IP configuration "ipconfig1"; Azure makes a NIC's only config primary.
    if not r.expect(*first, "name", value="ipconfig1"):
        raise Inexpressible("the first IP configuration is not named ipconfig1")
    if r.peek(*first, "properties", "primary") is not None and not r.expect(*first, "properties", "primary",
                                                                         value=True):
        raise Inexpressible("the first IP configuration is not primary")
    for flag, values in _ip_config_options(r, (*first, "properties"), ctx):
        cmd.opt(flag, *values)
    if r.has("properties", "enableAcceleratedNetworking"):
        cmd.opt("--accelerated-networking", _bool(r.get("properties", "enableAcceleratedNetworking")))
    if r.has("properties", "enableIPForwarding"):
        cmd.opt("--ip-forwarding", _bool(r.get("properties", "enableIPForwarding")))
    if r.has("properties", "networkSecurityGroup", "id"):
        cmd.opt("--network-security-group", ctx.ref(r.get("properties", "networkSecurityGroup", "id"),
                                                    "Microsoft.Network/networkSecurityGroups"))
    _common(cmd, r, ctx)
    out = [cmd.build()]
    for i in range(1, len(configs)):
        p: Path_ = ("properties", "ipConfigurations", i)
        ipc = _Cmd("network", "nic", "ip-config", "create").opt("--resource-group", rg) \
            .opt("--nic-name", step.name).opt("--name", r.get(*p, "name"))
        # --make-primary defaults to false.
        if r.peek(*p, "properties", "primary") is not None and not r.expect(*p, "properties", "primary",
                                                                           value=False):
            raise Inexpressible("a secondary IP configuration marked primary")
        for flag, values in _ip_config_options(r, (*p, "properties"), ctx):
            ipc.opt(flag, *values)
        out.append(ipc.build())
    return out


def _one_value(values: Sequence[Any], what: str) -> Any:
    if len(set(map(str, values))) != 1:
        raise Inexpressible(f"different {what} per item")
    return values[0]


def _plain(cmd: _Cmd, r: BodyReader, registry: Registry) -> None:
    """The plain fields (azwizard/fields) in the body, each as its own option."""
    for f in registry.plain:
        if f.az and f.wire and r.has(*f.wire.split(".")):
            cmd.opt(f.az, str(r.get(*f.wire.split("."))))


@az_exporter("Microsoft.Compute/virtualMachines")
def _vm(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    rg = ctx.group(step.resource_group)
    cmd = _Cmd("vm", "create").opt("--resource-group", rg).opt("--name", step.name)
    P: Path_ = ("properties",)

    # Network: existing NICs, the first primary (vm/_validators.py _validate_vm_create_nics).
    nics = r.peek(*P, "networkProfile", "networkInterfaces", default=[])
    if not nics:
        raise Inexpressible("a VM without an existing NIC")
    names, delete_options = [], []
    for i, _ in enumerate(nics):
        p: Path_ = (*P, "networkProfile", "networkInterfaces", i)
        names.append(ctx.ref(r.get(*p, "id"), "Microsoft.Network/networkInterfaces"))
        if r.peek(*p, "properties", "primary") is not None and not r.expect(*p, "properties", "primary",
                                                                           value=(i == 0)):
            raise Inexpressible("a NIC other than the first is primary")
        if r.has(*p, "properties", "deleteOption"):
            delete_options.append(r.get(*p, "properties", "deleteOption"))
    cmd.opt("--nics", *names)
    if delete_options:
        if len(delete_options) != len(names):
            raise Inexpressible("a delete option on only some NICs")
        if len(set(delete_options)) == 1:
            cmd.opt("--nic-delete-option", delete_options[0])
        else:  # "<Name>=<Value>" per NIC (validate_delete_options)
            cmd.opt("--nic-delete-option", *[f"{names[i]}={d}" for i, d in enumerate(delete_options)])

    # Image, size, zone.
    img: Path_ = (*P, "storageProfile", "imageReference")
    parts = [r.get(*img, k) for k in ("publisher", "offer", "sku", "version")]
    if any(x is None for x in parts):
        raise Inexpressible("an image that is not a marketplace URN")
    cmd.opt("--image", ":".join(parts))
    if r.has(*P, "hardwareProfile", "vmSize"):
        cmd.opt("--size", r.get(*P, "hardwareProfile", "vmSize"))
    if r.has("zones"):
        zones = r.get("zones")
        if zones:
            cmd.opt("--zone", str(_one_value(zones, "zones")))

    # Security: "Standard" is az's way of sending no securityProfile (vm/custom.py, COMPATIBLE_SECURITY_
    # TYPE_VALUE); without --security-type az would default Gen2 images to Trusted Launch.
    sec: Path_ = (*P, "securityProfile")
    if r.has(*sec):
        cmd.opt("--security-type", r.get(*sec, "securityType"))
        if r.has(*sec, "uefiSettings", "secureBootEnabled"):
            cmd.opt("--enable-secure-boot", _bool(r.get(*sec, "uefiSettings", "secureBootEnabled")))
        if r.has(*sec, "uefiSettings", "vTpmEnabled"):
            cmd.opt("--enable-vtpm", _bool(r.get(*sec, "uefiSettings", "vTpmEnabled")))
    else:
        cmd.opt("--security-type", "Standard")

    # OS profile: SSH key only.
    osp: Path_ = (*P, "osProfile")
    if r.has(*osp, "computerName"):
        cmd.opt("--computer-name", r.get(*osp, "computerName"))
    user = r.get(*osp, "adminUsername")
    if user is not None:
        cmd.opt("--admin-username", user)
    if not r.expect(*osp, "linuxConfiguration", "disablePasswordAuthentication", value=True):
        raise Inexpressible("password authentication")
    cmd.opt("--authentication-type", "ssh")
    keys = r.peek(*osp, "linuxConfiguration", "ssh", "publicKeys", default=[])
    if keys:
        kp: Path_ = (*osp, "linuxConfiguration", "ssh", "publicKeys")
        cmd.opt("--ssh-key-values", *[r.get(*kp, i, "keyData") for i, _ in enumerate(keys)])
        paths = [r.peek(*kp, i, "path") for i, _ in enumerate(keys)]
        path = _one_value(paths, "SSH key paths")
        default_path = f"/home/{user}/.ssh/authorized_keys"  # az's default (_validate_vm_vmss_create_auth)
        for i, _ in enumerate(keys):
            r.get(*kp, i, "path")
        if path != default_path:
            cmd.opt("--ssh-dest-key-path", path)
    if r.has(*osp, "customData"):
        try:
            data = base64.b64decode(r.get(*osp, "customData"), validate=True)
        except (binascii.Error, ValueError) as e:
            raise Inexpressible("customData is not base64") from e
        if b"\r" in data:
            r.notes.append("az reads --custom-data as text, so carriage returns in the cloud-init data "
                           "become plain newlines")
        cmd.opt("--custom-data", ctx.text_file("CUSTOM_DATA_FILE", data))

    # Storage: OS disk and empty data disks (normalize_disk_info; build_vm_resource).
    od: Path_ = (*P, "storageProfile", "osDisk")
    r.expect(*od, "createOption", value="FromImage")
    if r.has(*od, "name"):
        cmd.opt("--os-disk-name", r.get(*od, "name"))
    if r.has(*od, "caching"):
        cmd.opt("--os-disk-caching", r.get(*od, "caching"))
    if r.has(*od, "diskSizeGB"):
        cmd.opt("--os-disk-size-gb", str(r.get(*od, "diskSizeGB")))
    os_sku = r.get(*od, "managedDisk", "storageAccountType")
    data_disks = r.peek(*P, "storageProfile", "dataDisks", default=[])
    skus = {"os": os_sku} if os_sku else {}
    sizes, data_delete = [], []
    for i, _ in enumerate(data_disks):
        dp: Path_ = (*P, "storageProfile", "dataDisks", i)
        if not (r.expect(*dp, "lun", value=i) and r.expect(*dp, "createOption", value="Empty")):
            raise Inexpressible("data disks that are not new empty disks at LUN 0, 1, ...")
        sizes.append(str(r.get(*dp, "diskSizeGB")))
        if r.has(*dp, "managedDisk", "storageAccountType"):
            skus[str(i)] = r.get(*dp, "managedDisk", "storageAccountType")
        if r.has(*dp, "caching"):
            raise Inexpressible("data disk caching")  # kept simple: the plans never set it
        if r.has(*dp, "deleteOption"):
            data_delete.append(r.get(*dp, "deleteOption"))
        if r.has(*dp, "name"):
            r.approx(*dp, "name", note=f"az vm create cannot name a new data disk: Azure names it instead of "
                                       f"{r.peek(*dp, 'name')!r}")
    if skus:
        if len(set(skus.values())) == 1:
            cmd.opt("--storage-sku", next(iter(skus.values())))
        else:  # "--storage-sku ID=SKU ...", ID being "os" or a LUN
            cmd.opt("--storage-sku", *[f"{k}={v}" for k, v in skus.items()])
    if r.has(*od, "deleteOption"):
        cmd.opt("--os-disk-delete-option", r.get(*od, "deleteOption"))
    if sizes:
        cmd.opt("--data-disk-sizes-gb", *sizes)
        if data_delete:
            if len(data_delete) != len(sizes):
                raise Inexpressible("a delete option on only some data disks")
            cmd.opt("--data-disk-delete-option", _one_value(data_delete, "data disk delete options"))
    _plain(cmd, r, VM_FIELDS)
    _common(cmd, r, ctx)
    out = [cmd.build()]

    # Managed boot diagnostics: vm create only sets bootDiagnostics with a storage account, so enable it
    # right after ("If it's not specified, managed storage will be used").
    bd: Path_ = (*P, "diagnosticsProfile", "bootDiagnostics")
    if r.has(*bd):
        if r.has(*bd, "storageUri"):
            raise Inexpressible("boot diagnostics in a storage account")
        if r.get(*bd, "enabled"):
            out.append(_Cmd("vm", "boot-diagnostics", "enable").opt("--resource-group", rg)
                       .opt("--name", step.name).build())
    return out


@az_exporter("Microsoft.RecoveryServices/vaults")
def _vault(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    cmd = _Cmd("backup", "vault", "create").opt("--resource-group", ctx.group(step.resource_group)) \
        .opt("--name", step.name)
    if r.peek("sku", "tier") in (None, "Standard"):
        r.approx("sku", note="az backup vault create sends sku {\"name\": \"Standard\"} (the Standard tier, "
                             "which Azure reports as RS0) and its own alert and immutability defaults")
    access = r.get("properties", "publicNetworkAccess")
    if access is not None:
        cmd.opt("--public-network-access", {"Enabled": "Enable", "Disabled": "Disable"}.get(access, access))
    _common(cmd, r, ctx)
    return [cmd.build()]


@az_exporter("Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems")
def _protected_item(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    m = re.match(r"^(.*/providers/Microsoft\.RecoveryServices/vaults/([^/]+))/backupFabrics/Azure/",
                 step.resource_id, re.IGNORECASE)
    if not m or not r.expect("properties", "protectedItemType", value="Microsoft.Compute/virtualMachines"):
        raise Inexpressible("a protected item that is not an Azure VM")
    vault_id, vault = m.group(1), m.group(2)
    policy_id = r.peek("properties", "policyId", default="")
    if not policy_id.lower().startswith(vault_id.lower() + "/backuppolicies/"):
        raise Inexpressible("a backup policy from another vault")
    r.get("properties", "policyId")
    cmd = _Cmd("backup", "protection", "enable-for-vm") \
        .opt("--resource-group", ctx.group(step.resource_group)).opt("--vault-name", vault) \
        .opt("--vm", ctx.ref(r.get("properties", "sourceResourceId"), "Microsoft.Compute/virtualMachines")) \
        .opt("--policy-name", policy_id.rsplit("/", 1)[1])
    return [cmd.build()]


# ---------------------------------------------------------------------------------------------------
# The export


@dataclass(frozen=True)
class StepCommands:
    step: Step
    commands: tuple[AzCommand, ...]
    notes: tuple[str, ...] = ()
    generic: bool = False  # az had no flags for part of the body: the exact body is PUT instead


@dataclass(frozen=True)
class AzExport:
    plan: Plan
    variables: tuple[Var, ...]  # SUBSCRIPTION, LOCATION, RG
    files: tuple[TextFile, ...]
    steps: tuple[StepCommands, ...]
    preamble: tuple[AzCommand, ...]

    @property
    def notes(self) -> list[str]:
        return [f"{s.step.label or s.step.name}: {n}" for s in self.steps for n in s.notes]

    def commands(self) -> list[AzCommand]:
        return [*self.preamble, *(c for s in self.steps for c in s.commands)]


def plan_group(plan: Plan) -> str:
    """The resource group the plan creates, else the group of its first step."""
    for s in plan.steps:
        if s.kind.lower() == "microsoft.resources/resourcegroups":
            return s.name
    return plan.steps[0].resource_group if plan.steps else ""


def export(plan: Plan) -> AzExport:
    """Translate every step, in dependency order, into az commands."""
    ctx = AzContext(plan, Var("SUBSCRIPTION", plan.subscription_id), Var("LOCATION", plan.location),
                    Var("RG", plan_group(plan)))
    steps: list[StepCommands] = []
    for step in plan.topological():
        fn = _EXPORTERS.get(step.kind.lower())
        reader = BodyReader(step.body)
        files_before = len(ctx.files)
        reason = ""
        cmds: list[AzCommand] = []
        if fn is None:
            reason = f"azwizard has no az command for {step.kind}"
        else:
            try:
                cmds = fn(step, reader, ctx)
                dash = next((d for d in map(_dash_in_list, cmds) if d), None)
                if dash:
                    raise Inexpressible(dash)
            except Inexpressible as e:
                reason = f"az cannot express {e}"
            else:
                left = reader.leftovers()
                if left:
                    reason = "az has no flag for " + ", ".join(left)
        if reason:
            del ctx.files[files_before:]
            steps.append(StepCommands(step, tuple(_generic(step, ctx)),
                                      (f"{reason}; the exact body is sent with az resource create",), True))
        else:
            steps.append(StepCommands(step, tuple(cmds), tuple(reader.notes)))
    preamble = (_Cmd("account", "set").opt("--subscription", ctx.subscription).build(),)
    return AzExport(plan, (ctx.subscription, ctx.location, ctx.rg), tuple(ctx.files), tuple(steps), preamble)


def az_commands(plan: Plan) -> list[list[str]]:
    """The script's az invocations as argv lists (``["az", "group", "create", ...]``), in order.

    Variables are inlined. ``--custom-data`` carries the cloud-init text itself rather than the
    script's temp file: az accepts either ("Custom init script file or text").
    """
    return [c.argv() for c in export(plan).commands()]


def _comment(text: str) -> str:
    # Names and labels are user input: a newline would end the comment and start a command.
    return "# " + re.sub(r"[\r\n\t\v\f]+", " ", text)


def _heredoc(var: Var, data: bytes) -> list[str]:
    """Write ``data`` to ``"$VAR"`` byte for byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    control = any((ord(c) < 32 and c not in "\n\t") or ord(c) == 127 for c in text)
    if not text or control:
        # Not plain text a here-document can carry exactly (NUL, CR, and bash mangles \x01 in $(...)):
        # decode it from base64 instead.
        b64 = base64.b64encode(data).decode()
        # base64 never contains a quote: always single-quoted, so readers see one shape
        return [f"printf '%s' '{b64}' | base64 -d > \"${var.name}\""]
    lines = text.split("\n")
    delim, n = "AZWIZARD_CUSTOM_DATA", 2
    while delim in lines:
        delim, n = f"AZWIZARD_CUSTOM_DATA_{n}", n + 1
    if text.endswith("\n"):
        return [f"cat > \"${var.name}\" <<'{delim}'", text + delim]
    # A here-document always ends with a newline; $(...) strips exactly that one (the text has none).
    return [f"printf '%s' \"$(cat <<'{delim}'", text, delim, f")\" > \"${var.name}\""]


def az_script(plan: Plan) -> str:
    """A bash script that creates the plan's resources with the Azure CLI."""
    ex = export(plan)
    n_resources = len(plan.steps)
    out = [
        "#!/usr/bin/env bash",
        _comment(f"Generated by azwizard for run {plan.run_id} ({plan.journey} journey): "
                 f"{n_resources} resources, the same ones and with the same properties as on the review screen."),
        "# Equivalent Azure CLI commands, in dependency order. Sign in first (az login), then: bash <this file>",
    ]
    if any(isinstance(v, str) and ("$" in v or "`" in v)
           for c in ex.commands() for _, values in c.options for v in values):
        # Values are single-quoted on purpose (shlex.quote): a "$" in them is text, never an expansion.
        out.insert(1, "# shellcheck disable=SC2016")
    if ex.notes:
        out.append("#")
        out.append("# Where az differs from what azwizard sends:")
        out.extend(_comment(f"  - {note}") for note in ex.notes)
    out += ["", "set -euo pipefail", ""]
    out += [f"{v.name}={shlex.quote(v.value)}" for v in ex.variables]
    if ex.files:
        out += ["", "# Temporary files for the VM's cloud-init custom data, removed on exit."]
        out += [f'{f.var.name}="$(mktemp)"' for f in ex.files]
        out.append("trap 'rm -f " + " ".join(f'"${f.var.name}"' for f in ex.files) + "' EXIT")
        for f in ex.files:
            out += _heredoc(f.var, f.data)
    out += ["", "echo " + shlex.quote(f"azwizard run {plan.run_id}: resource group") + ' "$RG" in "$LOCATION"']
    out += [c.render() for c in ex.preamble]
    for sc in ex.steps:
        title = sc.step.label or f"{sc.step.kind} {sc.step.name}"
        out += ["", _comment(title)]
        out.extend(_comment(f"NOTE: {n}") for n in sc.notes)
        out.append("echo " + shlex.quote(f"==> {title}"))
        out += [c.render() for c in sc.commands]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------
# Saving


def save(plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Write the plan's az script to ``path`` (a new file 0644, an existing one keeps its mode; run it with
    ``bash``)."""
    return write_user_text(path, az_script(plan), mode=0o644)  # the rules of every file a user names
