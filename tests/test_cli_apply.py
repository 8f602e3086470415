"""``apply`` creates exactly what the wizard creates (the same requests, the same simulator state), asks first,
reports progress, and ``cleanup delete`` removes it again; bad profiles and blocked plans create nothing."""

from __future__ import annotations

import io
import json
import re
import signal
from pathlib import Path
from typing import Any

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, demo_state, main_in_process, run_cli

from azwizard.azure.credentials import StaticTokenCredential
from azwizard.azure.session import open_session
from azwizard.journal import Journal
from azwizard.plan.model import Plan
from azwizard.profiles import load_profile
from azwizard.run.executor import Runner
from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.transport import SimTransport

data_dir = cli_helpers.data_dir  # the fixture: a fresh data dir per test
VM_PROFILE = EXAMPLES / "yolo-vm.toml"
AKS_PROFILE = EXAMPLES / "aks-dev.toml"

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_FQDN_HASH = re.compile(r"-[0-9a-f]{8}(?=\.(portal\.)?hcp\.)")
_VOLATILE_KEYS = {"internalDomainNameSuffix", "resourceUID", "ipAddress", "azwizard-run", "azwizard-created"}


def normalize(node: Any) -> Any:
    """A resource with what differs between any two runs masked: the run's id and time tags, and the ids,
    etags, times and hashes the server generates."""
    if isinstance(node, dict):
        return {normalize(k): "<masked>" if k in _VOLATILE_KEYS else normalize(v) for k, v in node.items()}
    if isinstance(node, list):
        return [normalize(v) for v in node]
    if isinstance(node, str):
        return _FQDN_HASH.sub("-<hash>", _TIME.sub("<time>", _GUID.sub("<guid>", node)))
    return node


def session_on(sim: ArmSim) -> Any:
    return open_session(None, credential=StaticTokenCredential(), base_url=SIM_BASE_URL, transport=SimTransport(sim),
                        simulated=True, polling_interval=0)


def wizard_creates(plan: Plan, tmp_path: Path) -> ArmSim:
    """What the create screen does with the review's plan: the Runner with a journal, on a fresh subscription."""
    sim = ArmSim()
    runner = Runner(session_on(sim).factory, Journal(plan.run_id, plan.journey, directory=tmp_path / "tui-journal"),
                    poll_interval=0)
    assert runner.run(plan).ok
    return sim


def puts(sim: ArmSim) -> list[tuple[str, Any]]:
    return sorted((r.path.lower(), json.dumps(normalize(r.body), sort_keys=True))
                  for r in sim.requests if r.method == "PUT")


@pytest.mark.parametrize(("kind", "profile"), [("vm", VM_PROFILE), ("aks", AKS_PROFILE)])
def test_apply_sends_the_requests_the_wizard_sends(kind: str, profile: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from azwizard.headless.apply import apply
    from azwizard.headless.common import Connection
    from azwizard.headless.review import review_aks, review_vm

    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    sim = ArmSim()
    conn = Connection(session_on(sim), sim)
    spec = load_profile(profile, kind).spec  # type: ignore[arg-type]
    review = review_vm(conn, spec) if kind == "vm" else review_aks(conn, spec)  # type: ignore[arg-type]
    assert apply(conn, review, yes=True, live=False) == 0
    tui = wizard_creates(review.plan, tmp_path)
    assert puts(sim) == puts(tui)
    assert normalize(sim.snapshot()) == normalize(tui.snapshot())


@pytest.mark.parametrize(("kind", "profile", "group"), [("vm", VM_PROFILE, "Yolo-RG"),
                                                        ("aks", AKS_PROFILE, "aks-dev-RG")])
def test_apply_demo_then_cleanup(kind: str, profile: Path, group: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(data))  # for the in-process runs below
    monkeypatch.setenv("AZWIZARD_DEMO_LATENCY", "none")
    res = run_cli("--demo", kind, "apply", str(profile), "--yes", data_dir=data)
    assert res.code == 0, res.err
    run_id = re.search(r"\(run (\d{8}-\d{6}-[0-9a-f]{4})\)", res.out).group(1)  # type: ignore[union-attr]
    # Plain progress lines (stdout is a pipe), one per state change.
    assert re.search(r"^\[\d\d:\d\d\] ✓ created +Resource group " + group, res.out, re.M)

    # The same plan run by the wizard's runner on a fresh subscription leaves the very same state.
    from azwizard.plan.aks import plan_aks
    from azwizard.plan.vm import plan_vm

    state = demo_state(data)
    spec = load_profile(profile, kind).spec  # type: ignore[arg-type]
    planner = plan_vm if kind == "vm" else plan_aks
    plan = planner(spec, subscription_id=ArmSim().subscription_id, run_id=run_id, created_at="x")  # type: ignore[arg-type]
    tui = wizard_creates(plan, tmp_path)
    assert normalize(state) == normalize(tui.snapshot())
    assert all(step.resource_id.lower() in state for step in plan.steps)

    # (list and the dry run in this process: the same code, quicker than a new interpreter)
    listing = main_in_process(["--demo", "cleanup", "list", "--format", "json"], capsys)
    items = json.loads(listing.out)["items"]
    assert {i["id"].lower() for i in items if i["run_id"] == run_id} >= {s.resource_id.lower() for s in plan.steps}

    dry = main_in_process(["--demo", "cleanup", "delete", "--run", run_id], capsys)
    assert dry.code == 0 and "Dry run: nothing was deleted" in dry.out
    assert demo_state(data) == state

    kubeconfig = data / "demo" / "kube" / "config"
    if kind == "aks":  # credentials merged as the AKS done screen does (the API server by its FQDN)
        cluster = next(b for rid, b in state.items() if "/managedclusters/" in rid and rid.count("/") == 8)
        name, fqdn = cluster["name"], cluster["properties"]["fqdn"]
        kubeconfig.parent.mkdir(parents=True)
        kubeconfig.write_text(
            f"apiVersion: v1\nkind: Config\nclusters:\n- name: {name}\n  cluster: {{server: 'https://{fqdn}:443'}}\n"
            f"contexts:\n- name: {name}\n  context: {{cluster: {name}, user: clusterUser_{group}_{name}}}\n"
            f"current-context: {name}\nusers:\n- name: clusterUser_{group}_{name}\n  user: {{token: x}}\n")
    gone = run_cli("--demo", "cleanup", "delete", "--run", run_id, "--yes", data_dir=data)
    assert gone.code == 0, gone.out + gone.err
    if kind == "aks":  # the deleted cluster's kubeconfig entries went with it, a backup first
        import yaml

        doc = yaml.safe_load(kubeconfig.read_text())
        assert not doc["clusters"] and not doc["contexts"] and not doc["users"] and doc["current-context"] == ""
        assert f"kubeconfig {kubeconfig}: removed {name}" in gone.out
        assert len(list(kubeconfig.parent.glob("config.bak-*"))) == 1
    left = demo_state(data)
    assert not [rid for rid in left if f"/resourcegroups/{group.lower()}" in rid]
    if kind == "aks":  # the cluster's MC_ node group went with it
        assert not [rid for rid in left if "/resourcegroups/mc_" in rid]


def test_whole_group_delete_needs_the_typed_name(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:

    def cli(*args: str) -> Any:
        return main_in_process(["--demo", *args], capsys)

    assert cli("vm", "apply", str(VM_PROFILE), "--yes").code == 0
    before = demo_state(data_dir)
    dry = cli("cleanup", "delete", "--group", "Yolo-RG")
    assert dry.code == 0 and "whole resource group" in dry.out and "--confirm-group Yolo-RG" in dry.out
    refused = cli("cleanup", "delete", "--group", "Yolo-RG", "--yes")
    assert refused.code == 2 and "--confirm-group Yolo-RG" in refused.err
    wrong = cli("cleanup", "delete", "--group", "Yolo-RG", "--yes", "--confirm-group", "yolo")
    assert wrong.code == 2
    assert demo_state(data_dir) == before  # nothing was sent
    done = cli("cleanup", "delete", "--group", "Yolo-RG", "--yes", "--confirm-group", "Yolo-RG")
    assert done.code == 0, done.out + done.err
    assert not [rid for rid in demo_state(data_dir) if "/resourcegroups/yolo-rg" in rid]
    unknown = cli("cleanup", "delete", "--run", "20200101-000000-0000")
    assert unknown.code == 2 and "No resources of run" in unknown.err
    not_ours = cli("cleanup", "delete", "--group", "someone-elses-RG")
    assert not_ours.code == 1 and "blocked" in not_ours.out


def test_apply_asks_first_and_refuses_without_a_terminal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    res = run_cli("--demo", "vm", "apply", str(VM_PROFILE), data_dir=data)  # stdin is not a terminal
    assert res.code == 2
    assert "Refusing to create resources without confirmation" in res.err and "--yes" in res.err
    assert "azwizard will create 7 resources" in res.out
    assert demo_state(data) == {}


@pytest.mark.parametrize("text", [
    'name = "Yolo"\nsize = 3\n',
    'name = "Yolo"\nbogus = true\n',
    'size = "Standard_B2s"\n',
    'name = "Yolo"\n[network]\nipv4_space = "10.0.0.0/8/8"\n',
    'name = "Yolo"\nlicense_type = "Windows_Server"\n',
])
def test_bad_profiles_create_nothing(text: str, data_dir: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text(text)
    res = main_in_process(["--demo", "vm", "apply", str(profile), "--yes"], capsys)
    assert res.code == 2
    assert re.match(rf"azwizard: {re.escape(str(profile))}:\d+: \S+: ", res.err), res.err
    assert len([ln for ln in res.err.splitlines() if ln.startswith("azwizard:")]) == 1
    assert not (data_dir / "demo").exists()  # not even a session was opened


def test_blocking_findings_create_nothing(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "nokey.toml"
    profile.write_text('name = "Yolo"\n')
    res = main_in_process(["--demo", "vm", "apply", str(profile), "--yes"], capsys)
    assert res.code == 1 and "vm-ssh-key" in res.out and "nothing was created" in res.err
    assert demo_state(data_dir) == {}


def test_ctrl_c_stops_watching_and_exits_130(tmp_path: Path) -> None:
    data = tmp_path / "data"
    res = cli_helpers.interrupted(["--demo", "vm", "apply", str(VM_PROFILE), "--yes"], data, "Virtual machine",
                                  signal.SIGINT)
    assert res.code == 130, res.err
    err = res.err
    assert "Stopped watching run" in err and "azwizard cleanup delete --run" in err
    journals = list((data / "journal").glob("*.jsonl"))
    assert journals and '"requested"' in journals[0].read_text()


def test_live_progress_on_a_terminal() -> None:
    from azwizard.headless.progress import Progress

    buf = io.StringIO()
    with Progress("Creating 2 resources", [("rg", "Resource group Yolo-RG"), ("vm", "Virtual machine Yolo-VM")],
                  stream=buf, live=True) as p:
        p.update("rg", "succeeded", "", 1.0)
        p.update("vm", "failed", "SkuNotAvailable", 3.0)
    text = buf.getvalue()
    assert "Creating 2 resources" in text and "✓ created" in text and "✖ failed" in text
    assert "SkuNotAvailable" in text and "[00:" not in text  # a table, not plain lines


def test_every_command_takes_demo_and_subscription(tmp_path: Path) -> None:
    from azwizard.cli import build_parser

    parser = build_parser()
    for argv in (["vm", "plan", "p.toml"], ["vm", "apply", "p.toml"], ["aks", "plan", "p.toml"],
                 ["aks", "apply", "p.toml"], ["check"], ["cleanup", "list"], ["cleanup", "delete", "--run", "x"],
                 ["vm", "--from-az"], ["aks", "--from-az"]):
        args = parser.parse_args([*argv, "--demo", "--subscription", "s"])
        assert args.demo and args.subscription == "s", argv
        before = parser.parse_args(["--demo", "--subscription", "s", *argv])
        assert before.demo and before.subscription == "s", argv
