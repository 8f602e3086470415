"""Deep fuzzing of every parser of user input, run by hand (never in CI: .ci/run runs the property tests with a
fixed derivation instead, tests/conftest.py's "ci" profile). Usage:

    python benchmarks/fuzz.py [--examples 10000] [--only NAME ...] [--show 3]

Each target feeds hypothesis-generated hostile input (values starting with "-", "--", quotes, backslashes, NUL,
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
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

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


@functools.lru_cache(maxsize=None)
def plausible(flag: str) -> st.SearchStrategy[str]:
    """A value of the kind the flag takes, so most commands get past the parser into the rules and the plan."""
    f = flag.lower()
    if any(w in f for w in ("count", "size-gb", "osdisk-size", "priority", "timeout", "pods", "max-", "min-")):
        return st.integers(0, 300).map(str)
    if any(w in f for w in ("cidr", "prefix", "ranges", "service-ip", "address-prefixes", "subnet-prefixes")):
        return st.sampled_from(CIDRS)
    if any(w in f for w in ("enable", "accelerated", "admin-enabled", "forwarding")):
        return st.sampled_from(["true", "false"])
    if "zone" in f:
        return st.sampled_from(["1", "2", "3", "1 2 3"])
    if "tags" in f:
        return st.sampled_from(["team=web", "env=dev", "a=b", "x"])
    if any(w in f for w in ("ssh-key", "key-value")):
        return st.just(KEY)
    if any(w in f for w in ("name", "group", "-g", "-n", "vnet", "subnet", "nsg", "nic", "vm", "vault", "acr",
                            "public-ip", "cluster", "-c")):
        return st.sampled_from(NAMES)
    return st.sampled_from(CHOICES)


def values(paths: list[str]) -> st.SearchStrategy[str]:
    text = st.text(st.characters(codec="utf-8"), max_size=30)
    return st.one_of(st.sampled_from(ATOMS + paths + ["@" + p for p in paths]), text,
                     st.tuples(st.sampled_from(ATOMS), st.sampled_from(ATOMS)).map("".join))


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
# Strategies per target


@functools.lru_cache(maxsize=None)
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


@st.composite
def az_command(draw: st.DrawFn, verb: str, value: st.SearchStrategy[str]) -> list[str]:
    flags, arity = _flag_tables()[verb]
    argv = ["az", *verb.split()]
    rnd = draw(st.randoms(use_true_random=False))
    for _ in range(draw(st.integers(0, 12))):
        flag = draw(st.one_of(st.sampled_from(flags), st.sampled_from(["--frobnicate", "--output", "-o", "--yes",
                                                                       "--subscription", "--only-show-errors"])))
        form = 0 if rnd.random() < 0.2 else 1
        # Most values are of the kind the flag takes, so commands reach the rules and the plan (the weight comes
        # from a Random: hypothesis biases its own choices towards the edges, here the hostile values).
        pick = plausible(flag) if rnd.random() < 0.85 else value
        if form == 0:
            argv.append(f"{flag}={draw(pick)}")
        else:
            argv.append(flag)
            n = arity.get(flag, 1)
            count = rnd.randint(1, 3) if n == -1 else (1 if n == 1 else 0)
            if rnd.random() < 0.04:  # a value missing, or one too many
                count = max(0, count + rnd.choice((-1, 1)))
            argv += [draw(pick) for _ in range(count)]
    return argv


@st.composite
def az_words(draw: st.DrawFn, main: str, companions: list[str], value: st.SearchStrategy[str]) -> list[str]:
    commands = [draw(az_command(v, value)) for v in draw(st.lists(st.sampled_from(companions), max_size=3))]
    commands.insert(draw(st.integers(0, len(commands))), draw(az_command(main, value)))
    words: list[str] = []
    for c in commands:
        words += [*([draw(st.sampled_from(["&&", ";"]))] if words else []), *c]
    return words


def az_line(words: st.SearchStrategy[list[str]]) -> st.SearchStrategy[str]:
    """One string, quoted as a user would (or not: unbalanced quotes, a trailing backslash)."""
    import shlex

    return st.tuples(words, st.sampled_from(["", "'", '"', "\\", " \\\n", "'unclosed", ' "x'])).map(
        lambda t: " ".join(shlex.quote(w) if i % 3 else w for i, w in enumerate(t[0])) + t[1])


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


@st.composite
def scripts(draw: st.DrawFn, value: st.SearchStrategy[str], words: st.SearchStrategy[list[str]]) -> str:
    import shlex

    lines: list[str] = []
    for _ in range(draw(st.integers(1, 14))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            lines.append(draw(st.sampled_from(SCRIPT_LINES)))
        elif choice == 1:
            lines.append(shlex.join(draw(words)).replace("\udcff", "?").replace("\udce9", "?"))
        elif choice == 2:
            lines.append(draw(value))
        else:
            lines.append(draw(st.sampled_from(SCRIPT_LINES)) + draw(value))
    return "\n".join(lines)


@st.composite
def toml_profiles(draw: st.DrawFn, kind: str, value: st.SearchStrategy[str], paths: list[str]) -> str:
    import json

    from azwizard.profiles import KEYS, _toml_str

    keys = [k for k in KEYS[kind] if k.type != "table"]

    def typed(key: Any) -> st.SearchStrategy[str]:
        """A value of the key's type (and one of its choices): most profiles get past the reader."""
        if key.choices:
            return st.sampled_from(key.choices).map(json.dumps)
        if key.type == "int":
            return st.integers(1, 130).map(str)
        if key.type == "bool":
            return st.sampled_from(["true", "false"])
        if key.type == "list[str]":
            item = st.sampled_from(CIDRS if "cidr" in key.path or "ranges" in key.path else
                                   ["1", "2", "3"] if "zones" in key.path else ["22", "80", "443", "*"])
            return st.lists(item, max_size=3).map(json.dumps)
        if key.type == "table[str]":
            return st.dictionaries(st.sampled_from(["team", "env", "-n", "a b"]), st.sampled_from(["x", "", "-y"]),
                                   max_size=3).map(lambda d: "{" + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}"
                                                                             for k, v in d.items()) + "}")
        if "file" in key.path:
            return st.sampled_from(paths + ["key.pub", "nope"]).map(json.dumps)
        if any(w in key.path for w in ("space", "subnet", "cidr", "dns_service_ip", "source")):
            return st.sampled_from(CIDRS + ["*", "Internet"]).map(json.dumps)
        if key.path in ("ssh_public_key",):
            return st.sampled_from([KEY, PRIVATE, ""]).map(json.dumps)
        return st.sampled_from(NAMES + CHOICES).map(json.dumps)

    scalar = st.one_of(
        value.map(lambda v: _toml_str(v.encode("utf-8", "replace").decode("utf-8"))),
        st.integers(-10**30, 10**30).map(str), st.sampled_from(["9" * 4300, "9" * 4301, "-0", "0x10", "1_000"]),
        st.sampled_from(["true", "false", "1.5", "inf", "nan", "1979-05-27", "[]", "{}", '""', "'''x'''"]),
        st.sampled_from(paths).map(json.dumps),
        st.lists(value.map(lambda v: _toml_str(v.encode("utf-8", "replace").decode("utf-8"))), max_size=4)
        .map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    )
    # Weights come from a Random (hypothesis biases its own choices towards the edges, here the hostile ones):
    # most keys get a value of their type, so most profiles reach the rules and the plan.
    rnd = draw(st.randoms(use_true_random=False))
    name = rnd.choice(['"Yolo"', '"c"', '"web1"']) if rnd.random() < 0.93 else rnd.choice(['"-x"', '""', "1"])
    sections: dict[str, dict[str, str]] = {"": {"name": name}}
    arrays: dict[str, list[dict[str, str]]] = {}
    required = {"nsg_rules": {"name": '"r1"', "priority": "200", "protocol": '"Tcp"', "ports": '["80"]'},
                "user_pools": {"name": '"apps"'}}
    for _ in range(draw(st.integers(0, 14))):
        key = draw(st.sampled_from(keys))
        rhs = draw(typed(key) if rnd.random() < 0.95 else scalar)
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
        extra = draw(st.sampled_from(["frobnicate", "admin_password", "names", "tags"]))
        sections[""][extra] = draw(scalar)
    out = [f"{k} = {v}" for k, v in sections.pop("").items()]
    for name, values_ in sections.items():
        out += ["", f"[{name}]", *(f"{k} = {v}" for k, v in values_.items())]
    for name, entries in arrays.items():
        for entry in entries:
            out += ["", f"[[{name}]]", *(f"{k} = {v}" for k, v in entry.items())]
    text = "\n".join(out) + "\n"
    if rnd.random() < 0.07:
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from(['"', "'", "[", "]", "=", "\n", "\\", "#", "\x00", "'''"])) + text[i:]
    return text


@st.composite
def cidr_specs(draw: st.DrawFn, value: st.SearchStrategy[str]) -> tuple[str, Any]:
    from azwizard.specs.aks import AksNetworkSpec, preset_dev_dual_stack
    from azwizard.specs.vm import NetworkSpec, VmSpec

    cidr = st.one_of(value, st.builds(lambda a, p: f"{a}/{p}", st.ip_addresses().map(str), st.integers(-1, 130)))
    if draw(st.booleans()):
        net = NetworkSpec(ipv4_space=draw(cidr), ipv6_space=draw(cidr), subnet_ipv4=draw(cidr), subnet_ipv6=draw(cidr))
        return "vm", VmSpec.for_base("Yolo", network=net, ssh_public_key=KEY)
    base = preset_dev_dual_stack()
    net2 = AksNetworkSpec(pod_cidrs=tuple(draw(st.lists(cidr, max_size=3))),
                          service_cidrs=tuple(draw(st.lists(cidr, max_size=3))), dns_service_ip=draw(cidr),
                          ip_families=tuple(draw(st.lists(st.sampled_from(["IPv4", "IPv6", "ipv4", "x"]), max_size=3))))
    return "aks", base.with_(network=net2, authorized_ip_ranges=tuple(draw(st.lists(cidr, max_size=3))))


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


def ssh_key_target(text: str) -> None:
    from azwizard.specs.aks import preset_dev_dual_stack
    from azwizard.specs.vm import VmSpec
    from azwizard.sshkeys import (
        is_private_key,
        looks_like_public_key,
        redact_private_keys,
        withhold_private_key,
    )

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


def kubeconfig_target(existing: str) -> None:
    from azwizard.kubeconfig import KubeconfigError, merge_kubeconfig

    for overwrite in (False, True):
        with contextlib.suppress(KubeconfigError):  # its clear refusal
            merge_kubeconfig(existing, NEW_KUBECONFIG, context_name="c", overwrite=overwrite)
            REVIEWED[0] += overwrite


@st.composite
def kubeconfigs(draw: st.DrawFn, value: st.SearchStrategy[str]) -> str:
    import json

    names = st.one_of(st.sampled_from(["c", "prod", "", "null", "~", "1", "[]", "{}"]), value)
    entry = st.fixed_dictionaries({"name": names, "cluster": st.one_of(st.none(), st.just({"server": "x"}),
                                                                       names, st.lists(names))})
    doc: Any = draw(st.one_of(
        st.fixed_dictionaries({"apiVersion": st.just("v1"), "clusters": st.one_of(st.none(), names, st.lists(entry)),
                               "contexts": st.one_of(st.none(), st.lists(entry)), "users": st.lists(entry),
                               "current-context": names}),
        st.lists(names), names, st.none()))
    text = json.dumps(doc).encode("utf-8", "replace").decode("utf-8")  # JSON is YAML
    return draw(st.sampled_from([text, text[: len(text) // 2], text + "\n: :", "a: &x [*x]", "- !!python/object x",
                                 "[" * 2000, "a: b\n\tc: d"]))


# ---------------------------------------------------------------------------------------------------
# Running


@dataclass
class Result:
    name: str
    examples: int = 0
    reviewed: int = 0  # of the examples, those the parser accepted (the rest it refused with its clear error)
    seconds: float = 0.0
    crashes: list[tuple[str, str, str]] = field(default_factory=list)  # (exception, where, input)


def run_target(name: str, strategy: st.SearchStrategy[Any], fn: Callable[[Any], None], examples: int) -> Result:
    result = Result(name)

    @settings(max_examples=examples, database=None, deadline=None, derandomize=False, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def explore(case: Any) -> None:
        result.examples += 1
        try:
            fn(case)
        except Exception as exc:  # what the CLI would report as "Unexpected error": a crash
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            result.crashes.append((f"{type(exc).__name__}: {str(exc)[:160]}", f"{tb.filename}:{tb.lineno}",
                                   repr(case)[:400]))

    start, before = time.perf_counter(), REVIEWED[0]
    explore()
    result.seconds = time.perf_counter() - start
    result.reviewed = REVIEWED[0] - before
    return result


def targets(tmp: Path) -> dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]]:
    paths = _fixtures(tmp)
    value = values(paths)
    vm_companions = ["network vnet create", "network nic create", "network public-ip create", "network nsg create",
                     "network nsg rule create", "network nat gateway create", "network vnet subnet update",
                     "backup protection enable-for-vm", "group create", "account set"]
    vm_words = az_words("vm create", vm_companions, value)
    aks_words = az_words("aks create", ["aks nodepool add", "acr create", "group create", "account set"], value)
    # Specs built directly hold only what the readers let through: text (no surrogates, which argv and only
    # argv can carry, and which the az reader refuses).
    text_value = value.filter(lambda v: not any("\ud800" <= c <= "\udfff" for c in v))
    return {
        "az-vm": (vm_words, az_pipeline),
        "az-aks": (aks_words, az_pipeline),
        "az-line": (az_line(st.one_of(vm_words, aks_words)), lambda line: az_pipeline([line])),
        "az-script": (scripts(value, st.one_of(vm_words, aks_words)), script_pipeline),
        "profile-vm": (toml_profiles("vm", value, paths), lambda t: profile_pipeline("vm", t, tmp)),
        "profile-aks": (toml_profiles("aks", value, paths), lambda t: profile_pipeline("aks", t, tmp)),
        "cidr": (cidr_specs(text_value), cidr_target),
        "ssh-key": (st.one_of(text_value, st.sampled_from([PRIVATE, KEY, PRIVATE + KEY])), ssh_key_target),
        "kubeconfig": (kubeconfigs(value), kubeconfig_target),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per target (default 10000)")
    parser.add_argument("--only", nargs="*", help="run only these targets")
    parser.add_argument("--show", type=int, default=3, help="crashing inputs to print per target")
    args = parser.parse_args(argv)
    os.environ.setdefault("AZWIZARD_DATA_DIR", tempfile.mkdtemp(prefix="azwizard-fuzz-data-"))
    os.environ.setdefault("AZWIZARD_CACHE_DIR", tempfile.mkdtemp(prefix="azwizard-fuzz-cache-"))
    with tempfile.TemporaryDirectory(prefix="azwizard-fuzz-") as d:
        tmp = Path(d)
        os.chdir(tmp)  # a value naming a relative file names one of ours, never the user's
        results = []
        for name, (strategy, fn) in targets(tmp).items():
            if args.only and name not in args.only:
                continue
            r = run_target(name, strategy, fn, args.examples)
            results.append(r)
            print(f"{r.name:12} {r.examples:7d} examples ({r.reviewed:6d} read, the rest refused) {r.seconds:8.1f} s  "
                  f"{len(r.crashes):5d} uncaught exceptions", flush=True)
    total = sum(len(r.crashes) for r in results)
    for r in results:
        kinds: dict[str, tuple[str, str, str]] = {}
        for crash in r.crashes:
            kinds.setdefault(crash[0].split(":")[0] + " @ " + crash[1], crash)
        for where, (exc, _, case) in list(kinds.items())[: args.show]:
            print(f"\n[{r.name}] {exc}\n  at {where}\n  input: {case}")
    print(f"\n{sum(r.examples for r in results)} examples in {sum(r.seconds for r in results):.1f} s; "
          f"{total} uncaught exceptions")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
