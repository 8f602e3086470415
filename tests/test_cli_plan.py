"""``plan`` and ``check``: the same findings and steps as the wizard's review, the notes' command checked, every
output format usable (the az script passes bash -n and shellcheck, the ARM template's dependsOn covers every
reference), the documented exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, main_in_process, run_cli

from azwizard.profiles import load_profile
from azwizard.specs.aks import SEED_COMMAND, spec_from_seed_command

SHELLCHECK = shutil.which("shellcheck")
data_dir = cli_helpers.data_dir  # the fixture: a fresh data dir per test
VM_PROFILE = str(EXAMPLES / "yolo-vm.toml")
AKS_PROFILE = str(EXAMPLES / "aks-dev.toml")


def demo_catalog() -> Any:
    from azwizard.azure.catalog import Catalog
    from azwizard.demo import open_demo_session
    from azwizard.sim import LatencyProfile

    demo = open_demo_session(latency=LatencyProfile())
    return demo.session, Catalog(demo.session.factory)


def test_vm_plan_json_is_what_the_review_shows(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "vm", "plan", VM_PROFILE, "--format", "json"], capsys)
    assert res.code == 0, res.err
    got = json.loads(res.out)

    # The wizard: the VM journey with the same spec, the facts its steps load, its check() and make_plan().
    pytest.importorskip("textual")
    from azwizard.screens.vm.journey import VmJourney

    session, catalog = demo_catalog()
    journey = VmJourney(load_profile(VM_PROFILE, "vm").vm)
    journey.subscription_facts = catalog.subscription_facts()
    journey.region_facts = catalog.region_facts(journey.spec.location, kubernetes=False)
    journey.set_location(journey.spec.location)  # what the Basics step does once the facts are in
    journey.run_id, journey.created_at = got["plan"]["run_id"], got["created_at"]
    plan = journey.make_plan(session.subscription_id)

    assert got["findings"] == [f.to_dict() for f in journey.findings]
    assert got["verdict"] == "ready"
    steps = got["plan"]["steps"]
    assert [s["key"] for s in steps] == [s.key for s in plan.topological()]
    for mine, theirs in zip(steps, plan.topological(), strict=True):
        assert (mine["kind"], mine["name"], mine["resource_id"], mine["label"]) == \
            (theirs.kind, theirs.name, theirs.resource_id, theirs.label)
        assert mine["body"] == theirs.body
        assert [tuple(kv) for kv in mine["summary"]] == list(theirs.summary)
        assert mine["depends_on"] == list(theirs.depends_on)


def test_aks_plan_json_is_what_the_review_shows(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "aks", "plan", AKS_PROFILE, "--format", "json"], capsys)
    got = json.loads(res.out)
    pytest.importorskip("textual")
    from azwizard.screens.aks.journey import AksJourney

    session, catalog = demo_catalog()
    journey = AksJourney(load_profile(AKS_PROFILE, "aks").aks)
    journey.subscription_facts = catalog.subscription_facts()
    journey.region_facts = catalog.region_facts(journey.spec.location)
    journey.set_location(journey.spec.location)  # what the Basics step does once the facts are in
    journey.recheck()
    journey.run_id, journey.created_at = got["plan"]["run_id"], got["created_at"]
    plan = journey.make_plan(session.subscription_id)
    assert got["findings"] == [f.to_dict() for f in journey.findings]
    assert res.code == (1 if journey.blocking else 0) == 0
    assert [(s["key"], s["resource_id"], s["label"], s["body"]) for s in got["plan"]["steps"]] == \
        [(s.key, s.resource_id, s.label, s.body) for s in plan.topological()]


def test_check_the_notes_command_prints_the_journeys_findings_and_exits_1(tmp_path: Path) -> None:
    from azwizard.rules.aks import AksFacts, check_aks

    res = run_cli("--demo", "check", "--format", "json", "--", *SEED_COMMAND.split(), data_dir=tmp_path)
    assert res.code == 1, res.err
    got = json.loads(res.out)
    _, catalog = demo_catalog()
    spec = spec_from_seed_command()
    expected = check_aks(spec, AksFacts(catalog.subscription_facts(), catalog.region_facts(spec.location)))
    assert got["findings"] == [f.to_dict() for f in expected]
    assert {f["id"] for f in got["findings"] if f["severity"] == "block"} == {"aks-k8s-version",
                                                                              "aks-authorized-ranges"}
    text = run_cli("--demo", "check", "--", *SEED_COMMAND.split(), data_dir=tmp_path)
    assert text.code == 1
    for f in expected:
        assert f.message in text.out, text.out
    assert "2 blocking finding(s)" in text.out


def test_check_reports_unknown_flags(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "check", "--", "az", "aks", "create", "-g", "rg", "-n", "c", "--frobnicate",
                           "--node-vm-size", "Standard_D2s_v5"], capsys)
    assert "--frobnicate is not a flag azwizard understands" in res.out
    res = main_in_process(["--demo", "check", "--format", "json", "--", "az", "vm", "create", "-n", "x",
                           "--image", "Debian12", "--wat", "1"], capsys)
    assert any("--wat 1" in u for u in json.loads(res.out)["import"]["unknown"])
    assert "--wat 1" in res.err


def test_check_refuses_what_it_cannot_read(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["check", "--offline", "--", "az", "aks", "create", "--node-count", "many"], capsys)
    assert res.code == 2 and "--node-count takes a whole number" in res.err
    res = main_in_process(["check", "--offline", "--", "az", "storage", "account", "create"], capsys)
    assert res.code == 2 and "az vm create" in res.err
    res = main_in_process(["check", "--offline"], capsys)
    assert res.code == 2


def test_check_reads_a_file_of_commands(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.sh"
    notes.write_text("# from my notes\naz group create --name test_rg --location norwayeast\n"
                     + SEED_COMMAND.replace(" --network-plugin", " \\\n  --network-plugin") + "\n")
    res = main_in_process(["check", "--offline", "--file", str(notes), "--format", "json"], capsys)
    got = json.loads(res.out)
    assert res.code == 1
    assert got["plan"]["steps"][0]["name"] == "test_rg"


def test_offline_plan_needs_no_sign_in(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["vm", "plan", VM_PROFILE, "--offline"], capsys)
    assert res.code == 0
    assert "live-facts-unavailable" in res.out and "offline" in res.out


def test_az_script_passes_bash_and_shellcheck(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for head, tail in ((["vm", "plan", VM_PROFILE], []), (["aks", "plan", AKS_PROFILE], []),
                       (["check"], ["--", *SEED_COMMAND.split()])):
        script = tmp_path / "plan.sh"
        res = main_in_process(["--demo", *head, "--format", "az", "--output", str(script), *tail], capsys)
        assert res.code in (0, 1) and f"wrote {script}" in res.err
        text = script.read_text()
        assert text.startswith("#!/usr/bin/env bash") and "az " in text
        assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
        if SHELLCHECK:
            sc = subprocess.run([SHELLCHECK, "-s", "bash", str(script)], capture_output=True, text=True)
            assert sc.returncode == 0, sc.stdout


def _split_args(text: str) -> list[str]:
    out, depth, cur, quoted = [], 0, "", False
    for ch in text:
        if ch == "'" :
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*out, cur.strip()]


_RID = re.compile(r"resourceId\('([^']+)', (.+?)\)\]?$")


def references(node: Any) -> list[tuple[str, str]]:
    """(top-level type, name expression) of every resourceId(...) a resource's properties use."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for v in node.values():
            found += references(v)
    elif isinstance(node, list):
        for v in node:
            found += references(v)
    elif isinstance(node, str):
        for m in re.finditer(r"resourceId\('([^']+)', ((?:[^()]|\([^()]*\))+)\)", node):
            rtype, args = m.group(1), _split_args(m.group(2))
            found.append(("/".join(rtype.split("/")[:2]), args[0]))
    return found


def test_arm_template_depends_on_every_reference(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checked = 0
    for args in (["vm", "plan", VM_PROFILE], ["aks", "plan", AKS_PROFILE]):
        res = main_in_process(["--demo", *args, "--format", "arm"], capsys)
        t = json.loads(res.out)
        assert t["$schema"].endswith("deploymentTemplate.json#") and t["contentVersion"]
        declared = {(r["type"], r["name"].strip("[]")) for r in t["resources"]}
        for r in t["resources"]:
            deps = set(r.get("dependsOn", []))
            for rtype, name in references(r.get("properties", {})):
                assert (rtype, name) in declared or not name.startswith("parameters("), (rtype, name)
                if (rtype, name) in declared:
                    assert f"[resourceId('{rtype}', {name})]" in deps, (r["name"], rtype, name)
                    checked += 1
    assert checked >= 5  # the NIC's VNet and public IPs, the VNet's NSG, the VM's NIC


def test_plan_exit_codes(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "Yolo"\nsize = 3\n')
    res = main_in_process(["--demo", "vm", "plan", str(bad)], capsys)
    assert res.code == 2 and f"{bad}:2: size: expected a string" in res.err
    blocked = tmp_path / "blocked.toml"
    blocked.write_text('name = "Yolo"\n')  # no SSH key: a blocking finding
    res = main_in_process(["--demo", "vm", "plan", str(blocked)], capsys)
    assert res.code == 1 and "vm-ssh-key" in res.out
    res = main_in_process(["--demo", "aks", "plan", VM_PROFILE], capsys)
    assert res.code == 2 and "this is a 'vm' profile" in res.err
    res = main_in_process(["--demo", "vm", "plan", str(tmp_path / "missing.toml")], capsys)
    assert res.code == 2 and "cannot read the profile" in res.err
    res = main_in_process(["--demo", "--subscription", "11111111-2222-3333-4444-555555555555", "vm", "plan",
                           VM_PROFILE], capsys)
    assert res.code == 3 and "azwizard:" in res.err


def test_check_writes_the_command_as_a_profile(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from azwizard.profiles import read_profile
    from azwizard.specs.azcli import read_aks, read_vm

    aks = ["az", "aks", "create", "-g", "rg1", "-n", "c1", "--node-count", "3", "--ip-families", "ipv4,ipv6",
           "--tags", "team=web"]
    res = main_in_process(["check", "--offline", "--format", "profile", "--", *aks], capsys)
    assert res.code == 0
    assert read_profile(res.out, "aks").spec == read_aks([aks]).spec
    vm = ["az", "vm", "create", "-g", "Web-RG", "-n", "Web-VM", "--image", "Debian12", "--zone", "1"]
    res = main_in_process(["check", "--offline", "--format", "profile", "--", *vm], capsys)
    spec = read_profile(res.out, "vm").vm
    assert spec.with_(network=spec.network) == read_vm([vm]).spec.with_(network=spec.network)
