"""Profiles: spec -> TOML -> spec is the identity for every spec the journeys can produce; every key is
documented; a bad profile gives one clear error naming the key and its line, and no spec."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from spec_strategies import KEY, aks_specs, vm_specs

from azwizard.profiles import KEYS, ProfileError, _LineIndex, dump_aks, dump_vm, load_profile, read_profile
from azwizard.specs.aks import AksSpec, preset_prod_dual_stack
from azwizard.specs.vm import NsgRule, VmSpec

DOCS = Path(__file__).resolve().parent.parent / "docs"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(vm_specs())
def test_vm_spec_to_profile_and_back(spec: VmSpec) -> None:
    assert read_profile(dump_vm(spec), "vm").spec == spec


@SETTINGS
@given(aks_specs())
def test_aks_spec_to_profile_and_back(spec: AksSpec) -> None:
    assert read_profile(dump_aks(spec), "aks").spec == spec


def test_a_minimal_profile_takes_the_defaults() -> None:
    p = read_profile('name = "Yolo"\n', "vm")
    expected = VmSpec.for_base("Yolo")
    assert p.vm.with_(network=expected.network) == expected
    assert p.vm.network.ipv6_space.startswith("fd") and p.vm.network.ipv6_space.endswith("/48")
    aks = read_profile('name = "aks-dev"\n', "aks").aks
    assert (aks.cluster_name, aks.resource_group, aks.network.dual_stack) == ("aks-dev", "aks-dev-RG", True)
    assert aks.network.pod_cidrs[0] == "10.244.0.0/16" and aks.network.service_cidrs[0] == "10.96.0.0/16"


def test_files_are_read_relative_to_the_profile(tmp_path: Path) -> None:
    (tmp_path / "id.pub").write_text(KEY + "\n")
    (tmp_path / "init.yaml").write_text("#cloud-config\n")
    (tmp_path / "p.toml").write_text('name = "Yolo"\nssh_public_key_file = "id.pub"\ncustom_data_file = "init.yaml"\n')
    p = load_profile(tmp_path / "p.toml", "vm")
    assert p.vm.ssh_public_key == KEY and p.vm.custom_data == "#cloud-config\n"


def test_custom_rules_and_purpose() -> None:
    text = ('name = "Yolo"\n[[nsg_rules]]\nname = "Allow-App"\npriority = 200\nprotocol = "Tcp"\nports = ["8080"]\n'
            'source = "198.51.100.0/24"\n')
    spec = read_profile(text, "vm").vm
    assert spec.purpose == "custom"
    assert spec.nsg_rules == (NsgRule("Allow-App", 200, "Tcp", ("8080",), "198.51.100.0/24"),)


# ---------------------------------------------------------------------------------------------------
# Bad profiles: one clear error each, with the key and its line.

BAD = [
    # (profile text, kind, key, line, words in the message)
    ('name = "Yolo"\nsize = 2\n', "vm", "size", 2, "expected a string, got an integer"),
    ('name = "Yolo"\naccelerated_networking = "yes"\n', "vm", "accelerated_networking", 2, "expected a boolean"),
    ('name = "Yolo"\n\n[public_ip]\nidle_timeout_minutes = true\n', "vm", "public_ip.idle_timeout_minutes", 4,
     "expected an integer, got a boolean"),
    ('name = "Yolo"\nsizee = "Standard_B2s"\n', "vm", "sizee", 2, "unknown key (did you mean `size`?)"),
    ('name = "Yolo"\n[network]\nipv4space = "10.0.0.0/16"\n', "vm", "network.ipv4space", 3, "unknown key"),
    ('location = "norwayeast"\n', "vm", "name", 1, "missing"),
    ('name = "x"\n[[user_pools]]\nvm_size = "Standard_D2s_v5"\n', "aks", "user_pools[0].name", 2, "missing"),
    ('name = "Yolo"\n[network]\nipv4_space = "10.0.0.0/33"\n', "vm", "network.ipv4_space", 3, "not a valid CIDR"),
    ('name = "Yolo"\n[network]\nipv6_space = "10.1.0.0/16"\n', "vm", "network.ipv6_space", 3, "must be IPv6"),
    ('name = "Yolo"\n[network]\nsubnet_ipv4 = "10.9.0.0/24"\n', "vm", "network.subnet_ipv4", 3,
     "not inside the address space 10.0.0.0/16"),
    ('name = "x"\n[network]\npod_cidrs = ["10.244.0.0/16", "fd12::zz/64"]\n', "aks", "network.pod_cidrs", 3,
     "not a valid CIDR"),
    ('name = "x"\nauthorized_ip_ranges = ["2001:db8::/32"]\n', "aks", "authorized_ip_ranges", 2, "IPv4 only"),
    ('name = "Yolo"\nsecurity_type = "trustedlaunch"\n', "vm", "security_type", 2, "did you mean 'TrustedLaunch'"),
    ('name = "x"\ntier = "gold"\n', "aks", "tier", 2, "not one of 'free', 'standard', 'premium'"),
    ('name = "Yolo"\nlicense_type = "Windows_Server"\n', "vm", "license_type", 2, "Windows-only option"),
    ('name = "Yolo"\nadmin_password = "hunter2"\n', "vm", "admin_password", 2, "Windows-only option"),
    ('name = "Yolo"\nimage = "MicrosoftWindowsServer:WindowsServer:2022-datacenter:latest"\n', "vm", "image", 2,
     "Windows image"),
    ('name = "x"\n\n[system_pool]\nos_sku = "Windows2022"\n', "aks", "system_pool.os_sku", 4,
     "Windows-only OS SKU"),
    ('name = "x"\nwindows_admin_username = "admin"\n', "aks", "windows_admin_username", 2, "Windows-only option"),
    ('name = "x"\n[[user_pools]]\nname = "win"\nos_type = "Windows"\nos_sku = "Ubuntu"\n', "aks",
     "user_pools[0].os_sku", 5, "Linux OS SKU"),
    ('name = "Yolo"\n[[nsg_rules]]\nname = "a"\npriority = 99\nprotocol = "Tcp"\nports = ["22"]\n', "vm",
     "nsg_rules[0].priority", 4, "out of range (100-4096)"),
    ('name = "Yolo"\n[[nsg_rules]]\nname = "a"\npriority = 200\nprotocol = "Tcp"\nports = ["99999"]\n', "vm",
     "nsg_rules[0].ports", 6, "not a port"),
    ('kind = "aks"\nname = "Yolo"\n', "vm", "kind", 1, "this is a 'aks' profile"),
    ('name = "Yolo"\n[network\n', "vm", "", 2, "not valid TOML"),
    ('name = "Yolo"\nzone = 1\n', "vm", "zone", 2, "expected a string"),
    ('name = "Yolo"\ntags = { team = 7 }\n', "vm", "tags.team", 2, "must be a string"),
    ('name = "Yolo"\n\n[tags]\nteam = "web"\ncreated-by = "me"\n', "vm", "tags.created-by", 5, "azwizard's own"),
    ('kind = "aks"\nname = "k"\n[tags]\nazwizard-run = "20260101-000000-0000"\n', "aks", "tags.azwizard-run", 4,
     "cannot be set in a profile"),
    # Issue 22: a reserved name however spaced or cased (Azure's tag names ignore case: tag-resources#limitations).
    ('name = "Yolo"\n[tags]\nteam = "web"\n" created-by" = "me"\n', "vm", "tags. created-by", 4, "azwizard's own"),
    ('name = "Yolo"\ntags."AZWIZARD-Run " = "x"\n', "vm", "tags.AZWIZARD-Run ", 2, "azwizard's own"),
    # Issue 22: a dotted key's own line, at the top level and inside a table.
    ('name = "Yolo"\nsize = "Standard_B2s"\n\nfoo.bar = 1\n', "vm", "foo", 4, "unknown key"),
    ('name = "Yolo"\n[network]\nipv4_space = "10.0.0.0/16"\nfoo.bar = 1\n', "vm", "network.foo", 4, "unknown key"),
]


@pytest.mark.parametrize(("text", "kind", "key", "line", "words"), BAD, ids=[b[2] or "toml" for b in BAD])
def test_a_bad_profile_gives_one_clear_error(text: str, kind: str, key: str, line: int, words: str) -> None:
    with pytest.raises(ProfileError) as exc:
        read_profile(text, kind, source="p.toml")  # type: ignore[arg-type]
    problems = exc.value.problems
    assert len(problems) == 1, str(exc.value)
    (p,) = problems
    assert (p.key, p.line) == (key, line)
    assert words in p.message
    assert str(exc.value).startswith(f"p.toml:{line}: ")


def test_every_problem_is_reported_at_once() -> None:
    text = 'name = "Yolo"\nsize = 1\nbogus = 2\n[network]\nipv4_space = "nope"\n'
    with pytest.raises(ProfileError) as exc:
        read_profile(text, "vm")
    assert [(p.key, p.line) for p in exc.value.problems] == [("size", 2), ("bogus", 3), ("network.ipv4_space", 5)]


def test_problems_name_each_keys_own_line_in_line_order() -> None:
    text = 'name = "Yolo"\npublic_ip.zones = 5\nfoo.bar = 1\n[network]\nipv4_space = "10.0.0.0/16"\nbad.x = 2\n'
    with pytest.raises(ProfileError) as exc:
        read_profile(text, "vm")
    assert [(p.key, p.line) for p in exc.value.problems] == [("public_ip.zones", 2), ("foo", 3), ("network.bad", 6)]


def test_unreadable_profile(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read the profile"):
        load_profile(tmp_path / "missing.toml", "vm")


def test_line_index_follows_tables_arrays_and_multiline_values() -> None:
    text = ('a = """\nx = 1\n[not.a.table]\n"""\n'  # lines 1-4: one multi-line string
            "b = [\n  1,\n  2,\n]\n"  # 5-8
            "[t]\n"  # 9
            "c.d = 'x' # comment\n"  # 10
            "[[arr]]\n"  # 11
            "e = 1\n"  # 12
            "[[arr]]\n"  # 13
            "'quoted key' = { f = 2 }\n")  # 14
    idx = _LineIndex(text)
    assert idx.line_of(("a",)) == 1 and idx.line_of(("b",)) == 5 and idx.line_of(("t",)) == 9
    assert idx.line_of(("t", "c", "d")) == 10 and idx.line_of(("arr", 0, "e")) == 12
    assert idx.line_of(("arr", 1)) == 13 and idx.line_of(("arr", 1, "quoted key", "f")) == 14
    assert idx.line_of(("not",)) is None


# ---------------------------------------------------------------------------------------------------
# Documentation


def test_every_key_is_documented_with_its_default() -> None:
    page = (DOCS / "profiles.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([^`]+)` \|.*$", page, re.M)}
    for kind, keys in KEYS.items():
        for key in keys:
            assert key.path in rows, f"docs/profiles.md does not document {kind} key {key.path}"


def test_the_documented_example_profiles_read() -> None:
    for path in sorted((DOCS / "examples").glob("*.toml")):
        p = load_profile(path)
        assert p.kind in ("vm", "aks")
    prod = preset_prod_dual_stack()
    assert read_profile(dump_aks(prod), "aks").aks == prod
