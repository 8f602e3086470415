"""Deep fuzzing of every parser of user input, run by hand (never in CI: .ci/run runs the property tests with a
fixed derivation instead, tests/conftest.py's "ci" profile). Usage:

    python benchmarks/fuzz.py [--examples 10000] [--seed N] [--only NAME ...] [--show 3]

Each target feeds generated hostile input (values starting with "-", "--", quotes, backslashes, NUL,
non-UTF-8 surrogates, huge numbers, deep nesting, CIDRs of every length, private keys, paths of devices and
FIFOs) to one parser and then through everything the CLI does with what it read (the rules, the plan, every
output format), as ``azwizard check`` / ``plan`` would. A parser may refuse input only with its documented
error (the error the CLI turns into exit code 2); any other exception is a crash. Crashes are collected,
not raised, so exploration goes on; the report gives examples, time and crashes per target, and the first
inputs that crashed. Exit code 1 when anything crashed.

Targets: az-vm / az-aks (argv of az vm|aks create and the commands around them, specs/azcli.py), az-line (one
shell-quoted string, split_commands), az-script (whole scripts, read_script), profile-vm / profile-aks (TOML
profiles, profiles.py), cidr (specs/common.py's subnet helpers and every rule and plan step that reads a CIDR),
ssh-key (the SSH key rules and the private key redaction), kubeconfig (merging the user's own kubeconfig).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import random
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUB = "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAM+Y7x+NS548G3RRcpSSlEjLKa47rk45XyCGsobMClj me@laptop"
PRIVATE = ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
           "-----END OPENSSH PRIVATE KEY-----\n")


# ---------------------------------------------------------------------------------------------------
# Hostile values


def _fixtures(tmp: Path) -> list[str]:
    """Paths a value may name: a FIFO, a directory, a non-UTF-8 file, a private key, a too-large file."""
    fifo = tmp / "fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    (tmp / "dir").mkdir(exist_ok=True)
    (tmp / "latin1").write_bytes(b"caf\xe9\n")
    (tmp / "id_ed25519").write_text(PRIVATE)
    (tmp / "key.pub").write_text(KEY + "\n")
    with (tmp / "big").open("wb") as fh:
        fh.truncate(3 << 20)
    return [str(fifo), str(tmp / "dir"), str(tmp / "latin1"), str(tmp / "id_ed25519"), str(tmp / "key.pub"),
            str(tmp / "big"), "/dev/zero", "/dev/null", "/nonexistent/x"]


ATOMS = [
    "", " ", "-", "--", "-x", "-n=Evil", "--name", "--name=x", "-rg", "a b", "'", '"', "\\", "a\\", "\n", "a\nb",
    "\t", "\x00", "a\x00b", "\udcff", "caf\udce9", "\x1f", "\x7f", "\r\n", "$RG", "${RG}", "$(touch PWNED)", "`x`",
    "#", "# c", ";", "&&", "true", "false", "yes", "0", "1", "-1", "3", "100", "9" * 19, "9" * 4300, "9" * 4301,
    "1.5", "1e9", "nan", "Standard", "standard", "Basic", "Premium", "free", "gold", "azure", "Azure", "kubenet",
    "none", "calico", "cilium", "Cilium", "overlay", "ebpf", "bogus", "loadBalancer", "managedNATGateway",
    "userDefinedRouting", "Managed", "Ephemeral", "Linux", "Windows", "System", "User", "Ubuntu", "AzureLinux",
    "Windows2022", "ipv4", "ipv6", "ipv4,ipv6", "IPv6,IPv4", "ipv4,ipv4", "10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24",
    "10.0.0.0/25", "10.0.0.0/29", "10.0.0.0/30", "10.0.0.0/32", "10.0.0.1", "10.0.0.0/33", "10.0.0.0/-1",
    "0.0.0.0/0", "256.0.0.0/8", "10.0.0.0/16,fd00::/48", "fd00::/48", "fd00::/64", "fd00::/96", "fd00::/108",
    "fd00::/128", "fd00::/129", "fd00:0000::/48", "::/0", "fe80::1%eth0/64", "a.b.c.d/e", "*", "Internet",
    "VirtualNetwork", "22", "80-443", "443-80", "65536", "0-65535", "1", "2", "3", "4", "1 2 3", "1,2", "Debian12",
    "Debian11", "Ubuntu2204", "ubuntu2404", "Win2022Datacenter", "Debian:debian-12:12-gen2:latest", "a:b:c",
    ":::", "MicrosoftWindowsServer:WindowsServer:2022:latest", "TrustedLaunch", "Standard_B2s", "Standard_D2s_v5",
    "Standard_B2als_v2", "norwayeast", "westeurope", "marsnorth", "NorwayEast", "1.33", "1.29", "1.99.9", "latest",
    KEY, "ssh-rsa AAAA", "ssh-ed25519 !!!", PRIVATE, PRIVATE.replace("\n", " "), "PuTTY-User-Key-File-3: x",
    "k=v", "=v", "k=", "-k=v", "a=b=c", "@", "@/dev/zero", "@/nonexistent", "/subscriptions/x", "/", "//",
    "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr1",
    "x" * 300, "é" * 60, "\u202e", "\ufeff", "🙂",
]


NAMES = ["Yolo", "web-1", "rg", "aks-dev", "c", "nodepool2", "apps", "myacr2026", "default", "Yolo-RG", "Yolo-VNet",
         "Yolo-NIC", "Yolo-IPv4", "Yolo-IPv6", "Yolo-NSG", "Yolo-VM", "Yolo-NATGW", "Yolo-RSV", "azureuser"]
CIDRS = ["10.0.0.0/16", "10.1.0.0/24", "10.244.0.0/16", "10.96.0.0/16", "172.16.0.0/16", "fd00:1::/48",
         "fd00:1::/64", "fd00:1:0:1::/108", "203.0.113.7/32", "192.0.2.1", "10.0.0.0/16,fd00:1::/48",
         "10.244.0.0/16,fd00:2::/64", "10.96.0.0/16,fd00:2:0:1::/108"]
CHOICES = ["Standard", "Basic", "free", "standard", "premium", "azure", "kubenet", "none", "overlay", "cilium",
           "calico", "loadBalancer", "managedNATGateway", "Managed", "Ephemeral", "System", "User", "Linux", "Windows",
           "AzureLinux", "Ubuntu", "Windows2022", "ipv4", "ipv4,ipv6", "TrustedLaunch", "Static", "Dynamic",
           "Delete", "Detach", "true", "false", "Tcp", "Udp", "*", "Allow", "Deny", "Inbound", "IPv4", "IPv6",
           "Standard_B2s", "Standard_D2s_v5", "Debian12", "Ubuntu2204", "norwayeast", "1.33", "KubernetesOfficial",
           "VirtualMachineScaleSets", "StandardSSD_LRS", "Premium_LRS", "Enabled", "Disabled", "ssh", "SSH"]


# ---------------------------------------------------------------------------------------------------
# The pipeline after a parser: what check / plan do with what was read


REVIEWED = [0]  # examples that got past the parser into the rules, the plan and every output format


def _review_all(kind: str, spec: Any, source: str) -> None:
    from azwizard.headless.common import Connection
    from azwizard.headless.review import FORMATS, render, review_aks, review_vm
    from azwizard.plan.export_arm import TemplateError
    from azwizard.sshkeys import redact_private_keys

    REVIEWED[0] += 1
    conn = Connection(None)
    review = review_vm(conn, spec, source=source) if kind == "vm" else review_aks(conn, spec, source=source)
    # One output format per example, in turn (each still sees thousands of examples): rendering all five made an
    # example five times as expensive on a shared machine.
    for fmt in (FORMATS[REVIEWED[0] % len(FORMATS)],):
        try:
            out = redact_private_keys(render(review, fmt))  # type: ignore[arg-type]
        except TemplateError:  # the CLI's clear refusal (a name the rules block), as _emit reports it
            assert review.blocking, "a plan without blocking findings must have an ARM template"
            continue
        assert "PRIVATE KEY" not in out, f"--format {fmt} holds a private key"


def az_pipeline(words: list[str]) -> None:
    """What ``azwizard check --offline -- WORDS`` does; CommandError is its clear refusal (exit 2)."""
    from azwizard.headless.commands import CommandError, _read_az

    try:
        kind, read = _read_az(words, SUB)
    except CommandError:
        return
    _review_all(kind, read.spec, " ".join(words)[:100])


def script_pipeline(text: str) -> None:
    from azwizard.headless.commands import CommandError, _read_az
    from azwizard.specs.azcli import AzReadError, read_script

    try:
        commands = read_script(text)
    except AzReadError:
        return
    words: list[str] = []
    for c in commands:
        words += [*(["&&"] if words else []), *c]
    try:
        kind, read = _read_az(words, SUB)
    except CommandError:
        return
    _review_all(kind, read.spec, "script")


def profile_pipeline(kind: str, text: str, base: Path) -> None:
    from azwizard.profiles import ProfileError, read_profile

    try:
        profile = read_profile(text, kind, base_dir=base)  # type: ignore[arg-type]
    except ProfileError:
        return
    _review_all(kind, profile.spec, "profile")


# ---------------------------------------------------------------------------------------------------
# Generators: each example is built from its own random.Random(seed, index), so any crash is reproduced with
# --seed S --only TARGET --start I --examples 1. Most values are of the kind their flag or key takes (so the
# example reaches the rules and the plan); the rest are hostile.


def plausible(rnd: random.Random, flag: str) -> str:
    """A value of the kind the flag takes, so most commands get past the parser into the rules and the plan."""
    f = flag.lower()
    if any(w in f for w in ("count", "size-gb", "osdisk-size", "priority", "timeout", "pods", "max-", "min-")):
        return str(rnd.randint(0, 300))
    if any(w in f for w in ("cidr", "prefix", "ranges", "service-ip", "address-prefixes", "subnet-prefixes")):
        return rnd.choice(CIDRS)
    if any(w in f for w in ("enable", "accelerated", "admin-enabled", "forwarding")):
        return rnd.choice(["true", "false"])
    if "zone" in f:
        return rnd.choice(["1", "2", "3", "1 2 3"])
    if "tags" in f:
        return rnd.choice(["team=web", "env=dev", "a=b", "x"])
    if any(w in f for w in ("ssh-key", "key-value")):
        return KEY
    if any(w in f for w in ("name", "group", "-g", "-n", "vnet", "subnet", "nsg", "nic", "vm", "vault", "acr",
                            "public-ip", "cluster", "-c")):
        return rnd.choice(NAMES)
    return rnd.choice(CHOICES)


def random_text(rnd: random.Random, size: int = 30) -> str:
    """Any text: ASCII, controls, Latin-1, other planes, and lone surrogates (what argv holds for bytes that are
    not UTF-8)."""
    ranges = [(32, 126), (0, 31), (127, 255), (256, 0x2FFF), (0xD800, 0xDFFF), (0x1F300, 0x1F64F), (0xFFF0, 0xFFFF)]
    out = []
    for _ in range(rnd.randint(0, size)):
        lo, hi = ranges[0] if rnd.random() < 0.6 else rnd.choice(ranges)
        out.append(chr(rnd.randint(lo, hi)))
    return "".join(out)


def hostile(rnd: random.Random, paths: list[str]) -> str:
    r = rnd.random()
    if r < 0.55:
        return rnd.choice(ATOMS)
    if r < 0.7:
        return rnd.choice(paths) if rnd.random() < 0.5 else "@" + rnd.choice(paths)
    if r < 0.85:
        return random_text(rnd)
    return rnd.choice(ATOMS) + rnd.choice(ATOMS)


def text_only(value: str) -> str:
    """What the readers let into a spec: text without lone surrogates (only argv carries them; the az reader
    refuses them)."""
    return value.encode("utf-8", "replace").decode("utf-8")


@functools.cache
def _flag_tables() -> dict[str, tuple[list[str], dict[str, int]]]:
    from azwizard.specs import azcli

    def names(*tables: Any) -> tuple[list[str], dict[str, int]]:
        arity: dict[str, int] = {}
        for t in tables:
            arity.update(t.arity)
            arity.update({a: t.arity.get(full, 1) for a, full in t.aliases.items()})
        return sorted(arity), arity

    return {
        "aks create": names(azcli._AKS_CREATE),
        "aks nodepool add": names(azcli._NODEPOOL_ADD),
        "acr create": names(azcli._ACR_CREATE),
        "vm create": names(azcli._VM_CREATE),
        "network vnet create": names(azcli._VNET_CREATE),
        "network nic create": names(azcli._NIC_CREATE),
        "network public-ip create": names(azcli._PIP_CREATE),
        "network nsg create": names(azcli._NSG_CREATE),
        "network nsg rule create": names(azcli._NSG_RULE),
        "network nat gateway create": names(azcli._NAT_CREATE),
        "network vnet subnet update": names(azcli._SUBNET),
        "backup protection enable-for-vm": names(azcli._PROTECT),
        "group create": names(azcli._GROUP),
        "account set": names(azcli._ACCOUNT),
    }


EXTRA_FLAGS = ["--frobnicate", "--output", "-o", "--yes", "--subscription", "--only-show-errors", "--query"]


def az_command(rnd: random.Random, verb: str, paths: list[str]) -> list[str]:
    flags, arity = _flag_tables()[verb]
    argv = ["az", *verb.split()]
    for _ in range(rnd.randint(0, 12)):
        flag = rnd.choice(flags) if rnd.random() < 0.93 else rnd.choice(EXTRA_FLAGS)

        def pick(flag: str = flag) -> str:
            return plausible(rnd, flag) if rnd.random() < 0.85 else hostile(rnd, paths)

        if rnd.random() < 0.2:
            argv.append(f"{flag}={pick()}")
            continue
        argv.append(flag)
        n = arity.get(flag, 1)
        count = rnd.randint(1, 3) if n == -1 else (1 if n == 1 else 0)
        if rnd.random() < 0.04:  # a value missing, or one too many
            count = max(0, count + rnd.choice((-1, 1)))
        argv += [pick() for _ in range(count)]
    return argv


VM_COMPANIONS = ["network vnet create", "network nic create", "network public-ip create", "network nsg create",
                 "network nsg rule create", "network nat gateway create", "network vnet subnet update",
                 "backup protection enable-for-vm", "group create", "account set"]
AKS_COMPANIONS = ["aks nodepool add", "acr create", "group create", "account set"]


def az_words(rnd: random.Random, paths: list[str], kind: str | None = None) -> list[str]:
    kind = kind or rnd.choice(["vm", "aks"])
    main, companions = ("vm create", VM_COMPANIONS) if kind == "vm" else ("aks create", AKS_COMPANIONS)
    commands = [az_command(rnd, rnd.choice(companions), paths) for _ in range(rnd.randint(0, 3))]
    commands.insert(rnd.randint(0, len(commands)), az_command(rnd, main, paths))
    words: list[str] = []
    for c in commands:
        words += [*([rnd.choice(["&&", ";"])] if words else []), *c]
    return words


def az_line(rnd: random.Random, paths: list[str]) -> str:
    """One string, quoted as a user would (or not: unbalanced quotes, a trailing backslash)."""
    words = az_words(rnd, paths)
    tail = rnd.choice(["", "", "", "'", '"', "\\", " \\\n", "'unclosed", ' "x'])
    return " ".join(shlex.quote(w) if rnd.random() < 0.7 else w for w in words) + tail


SCRIPT_LINES = [
    "#!/usr/bin/env bash", "set -euo pipefail", "# it's a comment with a 'quote", "RG='-rg'", 'RG="$(whoami)"',
    "LOCATION=norwayeast", "SUBSCRIPTION=" + SUB, 'CUSTOM_DATA_FILE="$(mktemp)"', "trap 'rm -f \"$X\"' EXIT",
    "cat > \"$CUSTOM_DATA_FILE\" <<'AZWIZARD_CUSTOM_DATA'", "AZWIZARD_CUSTOM_DATA",
    "printf '%s' \"$(cat <<'AZWIZARD_CUSTOM_DATA'", ")\" > \"$CUSTOM_DATA_FILE\"",
    "printf '%s' 'I2Nsb3VkLWNvbmZpZwo=' | base64 -d > \"$CUSTOM_DATA_FILE\"",
    "printf '%s' '!!!' | base64 -d > \"$CUSTOM_DATA_FILE\"", "printf '%s' '/w==' | base64 -d > \"$F\"",
    "echo 'x' \"$RG\"", "az account set --subscription=\"$SUBSCRIPTION\"", "az group create --name=\"$RG\" \\",
    "  --location=\"$LOCATION\"", "az vm create --name v --image Debian12 --custom-data=\"$CUSTOM_DATA_FILE\"",
    "az vm create -n 'a", "b' --image Ubuntu2204", "az aks create -g rg -n c \\", "  --tier gold", "\\",
    "az aks create -n c --tags 'a=$RG' \"b=$RG\" ${RG} $NOPE", "az vm create -n x # trailing comment",
]


def script(rnd: random.Random, paths: list[str]) -> str:
    """A script such as plan --format az writes (one of them, now and then), or notes with az lines."""
    if rnd.random() < 0.15:
        return exported_script(rnd, paths)
    lines: list[str] = []
    for _ in range(rnd.randint(1, 14)):
        r = rnd.random()
        if r < 0.3:
            lines.append(rnd.choice(SCRIPT_LINES))
        elif r < 0.75:
            lines.append(shlex.join(text_only(w) for w in az_words(rnd, paths)))
        elif r < 0.9:
            lines.append(hostile(rnd, paths))
        else:
            lines.append(rnd.choice(SCRIPT_LINES) + hostile(rnd, paths))
    return "\n".join(lines)


def exported_script(rnd: random.Random, paths: list[str]) -> str:
    """azwizard's own export of a spec with hostile text in it, possibly damaged: the reader must read it back or
    refuse it clearly."""
    from azwizard.plan.export_az import az_script
    from azwizard.plan.vm import plan_vm
    from azwizard.specs.vm import VmSpec

    text = text_only(hostile(rnd, paths))
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY).with_(
        custom_data=text if rnd.random() < 0.5 else "", extra_tags=(("note", text),))
    out = az_script(plan_vm(spec, subscription_id=SUB, run_id="r", created_at="t"))
    if rnd.random() < 0.5:
        i = rnd.randint(0, len(out))
        out = out[:i] + rnd.choice(["'", '"', "\\", "\n", "$", "#", "<<'X'\n"]) + out[i:]
    return out


def toml_profile(rnd: random.Random, kind: str, paths: list[str]) -> str:
    import json

    from azwizard.profiles import KEYS, _toml_str

    keys = [k for k in KEYS[kind] if k.type != "table"]

    def typed(key: Any) -> str:
        """A value of the key's type (one of its choices): most profiles get past the reader."""
        if key.choices:
            return json.dumps(rnd.choice(key.choices))
        if key.type == "int":
            return str(rnd.randint(1, 130))
        if key.type == "bool":
            return rnd.choice(["true", "false"])
        if key.type == "list[str]":
            pool = (CIDRS if "cidr" in key.path or "ranges" in key.path else
                    ["1", "2", "3"] if "zones" in key.path else ["22", "80", "443", "*"])
            return json.dumps(rnd.sample(pool, rnd.randint(0, min(3, len(pool)))))
        if key.type == "table[str]":
            pairs = {rnd.choice(["team", "env", "-n", "a b"]): rnd.choice(["x", "", "-y"]) for _ in range(3)}
            return "{" + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in pairs.items()) + "}"
        if "file" in key.path:
            return json.dumps(rnd.choice(paths + ["key.pub", "nope"]))
        if any(w in key.path for w in ("space", "subnet", "cidr", "dns_service_ip", "source")):
            return json.dumps(rnd.choice(CIDRS + ["*", "Internet"]))
        if key.path == "ssh_public_key":
            return json.dumps(rnd.choice([KEY, PRIVATE, ""]))
        return json.dumps(rnd.choice(NAMES + CHOICES))

    def scalar() -> str:
        r = rnd.random()
        if r < 0.4:
            return _toml_str(text_only(hostile(rnd, paths)))
        if r < 0.55:
            return str(rnd.randint(-10**30, 10**30))
        if r < 0.65:
            return rnd.choice(["9" * 4300, "9" * 4301, "-0", "0x10", "1_000"])
        if r < 0.8:
            return rnd.choice(["true", "false", "1.5", "inf", "nan", "1979-05-27", "[]", "{}", '""', "'''x'''"])
        if r < 0.9:
            return "[" + ", ".join(_toml_str(text_only(hostile(rnd, paths))) for _ in range(rnd.randint(0, 4))) + "]"
        n = rnd.randint(1, 3000)
        return "[" * n + "]" * n

    name = rnd.choice(['"Yolo"', '"c"', '"web1"']) if rnd.random() < 0.93 else rnd.choice(['"-x"', '""', "1"])
    sections: dict[str, dict[str, str]] = {"": {"name": name}}
    arrays: dict[str, list[dict[str, str]]] = {}
    required = {"nsg_rules": {"name": '"r1"', "priority": "200", "protocol": '"Tcp"', "ports": '["80"]'},
                "user_pools": {"name": '"apps"'}}
    for _ in range(rnd.randint(0, 14)):
        key = rnd.choice(keys)
        rhs = typed(key) if rnd.random() < 0.95 else scalar()
        leaf = key.path.rsplit(".", 1)[-1]
        if "[]." in key.path:
            table = key.path.split("[]")[0]
            entries = arrays.setdefault(table, [dict(required.get(table, {}))])
            if rnd.random() < 0.2:
                entry = dict(required.get(table, {}) if rnd.random() < 0.9 else {})
                if "priority" in entry:
                    entry["priority"] = str(200 + len(entries))
                    entry["name"] = f'"r{len(entries) + 1}"'
                elif "name" in entry:
                    entry["name"] = f'"apps{len(entries) + 1}"'
                entries.append(entry)
            entries[-1][leaf] = rhs
        elif "." in key.path:
            sections.setdefault(key.path.split(".")[0], {})[leaf] = rhs
        else:
            sections[""][key.path] = rhs
    if rnd.random() < 0.05:
        sections[""][rnd.choice(["frobnicate", "admin_password", "names", "tags"])] = scalar()
    out = [f"{k} = {v}" for k, v in sections.pop("").items()]
    for table_name, table in sections.items():
        out += ["", f"[{table_name}]", *(f"{k} = {v}" for k, v in table.items())]
    for table_name, entries in arrays.items():
        for entry in entries:
            out += ["", f"[[{table_name}]]", *(f"{k} = {v}" for k, v in entry.items())]
    text = "\n".join(out) + "\n"
    if rnd.random() < 0.07:
        i = rnd.randint(0, len(text))
        text = text[:i] + rnd.choice(['"', "'", "[", "]", "=", "\n", "\\", "#", "\x00", "'''"]) + text[i:]
    return text


def cidr(rnd: random.Random, paths: list[str]) -> str:
    r = rnd.random()
    if r < 0.4:
        return rnd.choice(CIDRS)
    if r < 0.8:
        addr = (f"{rnd.randint(0, 300)}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}"
                if rnd.random() < 0.5 else f"fd{rnd.randint(0, 255):02x}:{rnd.randint(0, 0xFFFF):x}::")
        return f"{addr}/{rnd.randint(-1, 130)}" if rnd.random() < 0.9 else addr
    return text_only(hostile(rnd, paths))


def cidr_spec(rnd: random.Random, paths: list[str]) -> tuple[str, Any]:
    from azwizard.specs.aks import AksNetworkSpec, preset_dev_dual_stack
    from azwizard.specs.vm import NetworkSpec, VmSpec

    if rnd.random() < 0.5:
        net = NetworkSpec(ipv4_space=cidr(rnd, paths), ipv6_space=cidr(rnd, paths), subnet_ipv4=cidr(rnd, paths),
                          subnet_ipv6=cidr(rnd, paths))
        return "vm", VmSpec.for_base("Yolo", network=net, ssh_public_key=KEY)
    net2 = AksNetworkSpec(pod_cidrs=tuple(cidr(rnd, paths) for _ in range(rnd.randint(0, 3))),
                          service_cidrs=tuple(cidr(rnd, paths) for _ in range(rnd.randint(0, 3))),
                          dns_service_ip=cidr(rnd, paths),
                          ip_families=tuple(rnd.choice(["IPv4", "IPv6", "ipv4", "x"]) for _ in range(rnd.randint(0, 3))))
    return "aks", preset_dev_dual_stack().with_(network=net2, authorized_ip_ranges=tuple(
        cidr(rnd, paths) for _ in range(rnd.randint(0, 3))))


def cidr_target(case: tuple[str, Any]) -> None:
    from azwizard.specs.common import compressed, default_subnet, first_subnet

    kind, spec = case
    texts = ([spec.network.ipv4_space, spec.network.ipv6_space, spec.network.subnet_ipv4, spec.network.subnet_ipv6]
             if kind == "vm" else [*spec.network.pod_cidrs, *spec.network.service_cidrs])
    for t in texts:
        for plen in (24, 64, 108):
            default_subnet(t, plen)  # never raises
            with contextlib.suppress(ValueError):  # its documented refusal
                first_subnet(t, plen)
        with contextlib.suppress(ValueError):
            compressed(t)
    _review_all(kind, spec, "cidr")


def ssh_key(rnd: random.Random, paths: list[str]) -> str:
    r = rnd.random()
    if r < 0.3:
        return rnd.choice([PRIVATE, KEY, PRIVATE + KEY, KEY + "\n" + PRIVATE, PRIVATE.replace("\n", "\\n")])
    if r < 0.5:
        return rnd.choice(["ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-nistp256 "]) + random_text(rnd, 60) + " c"
    return text_only(hostile(rnd, paths))


def ssh_key_target(text: str) -> None:
    from azwizard.specs.aks import preset_dev_dual_stack
    from azwizard.specs.vm import VmSpec
    from azwizard.sshkeys import (
        is_private_key,
        looks_like_public_key,
        redact_private_keys,
        withhold_private_key,
    )

    text = text_only(text)
    looks_like_public_key(text)
    assert "PRIVATE KEY" not in redact_private_keys(text)
    if is_private_key(text):
        assert "PRIVATE KEY" not in withhold_private_key(text)
    _review_all("vm", VmSpec.for_base("Yolo", ssh_public_key=text), "key")
    _review_all("aks", preset_dev_dual_stack().with_(ssh_public_key=text), "key")


NEW_KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://c.hcp.norwayeast.azmk8s.io:443"}
users:
- name: clusterUser_rg_c
  user: {token: t}
contexts:
- name: c
  context: {cluster: c, user: clusterUser_rg_c}
current-context: c
"""


def kubeconfig(rnd: random.Random, paths: list[str]) -> str:
    import json

    def name() -> Any:
        return rnd.choice(["c", "prod", "", None, 1, [], {}, "~", text_only(hostile(rnd, paths))])

    def entry() -> Any:
        return {"name": name(), rnd.choice(["cluster", "context", "user"]): rnd.choice(
            [None, {"server": "x"}, {"cluster": name(), "user": name()}, name(), [name()]])}

    doc: Any = rnd.choice([
        {"apiVersion": "v1", "clusters": [entry() for _ in range(rnd.randint(0, 3))],
         "contexts": rnd.choice([None, name(), [entry() for _ in range(rnd.randint(0, 3))]]),
         "users": [entry() for _ in range(rnd.randint(0, 2))], "current-context": name()},
        [name()], name(), None])
    text = json.dumps(doc)  # JSON is YAML
    return rnd.choice([text, text, text, text[: len(text) // 2], text + "\n: :", "a: &x [*x]",
                       "- !!python/object x", "[" * rnd.randint(1, 3000), "a: b\n\tc: d"])


def kubeconfig_target(existing: str) -> None:
    from azwizard.kubeconfig import KubeconfigError, merge_kubeconfig

    for overwrite in (False, True):
        with contextlib.suppress(KubeconfigError):  # its clear refusal
            merge_kubeconfig(existing, NEW_KUBECONFIG, context_name="c", overwrite=overwrite)
            REVIEWED[0] += overwrite


# ---------------------------------------------------------------------------------------------------
# Running


@dataclass
class Result:
    name: str
    examples: int = 0
    reviewed: int = 0  # of the examples, those the parser accepted (the rest it refused with its clear error)
    seconds: float = 0.0
    crashes: list[tuple[int, str, str, str]] = field(default_factory=list)  # (index, exception, where, input)


Generator = Callable[[random.Random, list[str]], Any]


def run_target(name: str, make: Generator, check: Callable[[Any], None], paths: list[str], *, seed: int,
               start: int, examples: int) -> Result:
    result = Result(name)
    begin, before = time.perf_counter(), REVIEWED[0]
    for index in range(start, start + examples):
        rnd = random.Random(f"{seed}:{name}:{index}")
        case = make(rnd, paths)
        result.examples += 1
        try:
            check(case)
        except Exception as exc:  # what the CLI would report as "Unexpected error": a crash
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            result.crashes.append((index, f"{type(exc).__name__}: {str(exc)[:160]}", f"{tb.filename}:{tb.lineno}",
                                   repr(case)[:400]))
    result.seconds = time.perf_counter() - begin
    result.reviewed = REVIEWED[0] - before
    return result


def targets(tmp: Path) -> dict[str, tuple[Generator, Callable[[Any], None]]]:
    return {
        "az-vm": (lambda r, p: az_words(r, p, "vm"), az_pipeline),
        "az-aks": (lambda r, p: az_words(r, p, "aks"), az_pipeline),
        "az-line": (az_line, lambda line: az_pipeline([line])),
        "az-script": (script, script_pipeline),
        "profile-vm": (lambda r, p: toml_profile(r, "vm", p), lambda t: profile_pipeline("vm", t, tmp)),
        "profile-aks": (lambda r, p: toml_profile(r, "aks", p), lambda t: profile_pipeline("aks", t, tmp)),
        "cidr": (cidr_spec, cidr_target),
        "ssh-key": (ssh_key, ssh_key_target),
        "kubeconfig": (kubeconfig, kubeconfig_target),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per target (default 10000)")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="seed (default: the time; printed)")
    parser.add_argument("--start", type=int, default=0, help="index of the first example (to reproduce one)")
    parser.add_argument("--only", nargs="*", help="run only these targets")
    parser.add_argument("--show", type=int, default=3, help="crashing inputs to print per target")
    args = parser.parse_args(argv)
    os.environ.setdefault("AZWIZARD_DATA_DIR", tempfile.mkdtemp(prefix="azwizard-fuzz-data-"))
    os.environ.setdefault("AZWIZARD_CACHE_DIR", tempfile.mkdtemp(prefix="azwizard-fuzz-cache-"))
    print(f"seed {args.seed}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="azwizard-fuzz-") as d:
        tmp = Path(d)
        os.chdir(tmp)  # a value naming a relative file names one of ours, never the user's
        paths = _fixtures(tmp)
        for name, (make, check) in targets(tmp).items():
            if args.only and name not in args.only:
                continue
            r = run_target(name, make, check, paths, seed=args.seed, start=args.start, examples=args.examples)
            results.append(r)
            print(f"{r.name:12} {r.examples:7d} examples ({r.reviewed:6d} read, the rest refused) {r.seconds:8.1f} s  "
                  f"{len(r.crashes):5d} uncaught exceptions", flush=True)
    total = sum(len(r.crashes) for r in results)
    for r in results:
        kinds: dict[str, tuple[int, str, str, str]] = {}
        for crash in r.crashes:
            kinds.setdefault(crash[1].split(":")[0] + " @ " + crash[2], crash)
        for where, (index, exc, _, case) in list(kinds.items())[: args.show]:
            print(f"\n[{r.name} #{index}] {exc}\n  at {where}\n  input: {case}")
    print(f"\n{sum(r.examples for r in results)} examples in {sum(r.seconds for r in results):.1f} s; "
          f"{total} uncaught exceptions (seed {args.seed})")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
