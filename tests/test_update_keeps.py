"""An update keeps what it does not change (issue 22): adoptions and updates are read-modify-write, the diff
lists exactly what the PUT changes (no removal unless asked), every update PUT carries If-Match with the etag
read, and a resource changed between plan and apply is answered 412 and left as it is. Through the real SDK
against the simulator; what was sent is read from the simulator's request log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cli_helpers
import pytest
from cli_helpers import main_in_process
from existing_helpers import LOC, VM_PROFILE, apply, connection, profile, profile_text, puts, review

from azwizard.exitcodes import EXIT_CHANGED, EXIT_OK
from azwizard.headless.apply import apply as do_apply
from azwizard.plan.diff import ABSENT, PlanDiff
from azwizard.sim import ArmSim
from azwizard.sim.transport import SimTransport

data_dir = cli_helpers.data_dir
INTO_GROUP = {'kind = "vm"': 'kind = "vm"\nuse_existing_group = true'}
NO_ZONES = "\n[public_ip]\nzones = []\n"


def removals(diff: PlanDiff) -> list[str]:
    return [f"{e.key}: {c.describe()}" for e in diff.entries for c in e.changes if c.new is ABSENT]


def put_headers(sim: ArmSim, rid: str, since: int = 0) -> list[dict[str, str]]:
    return [r.headers for r in sim.requests[since:] if r.method == "PUT" and r.path.lower() == rid.lower()]


def pip(conn: Any, name: str) -> dict[str, Any]:
    from azwizard.azure import ops

    return ops.wire(conn.session.factory.network().public_ip_addresses.get("Yolo-RG", name))


def test_adopting_a_public_ip_keeps_its_dns_label_and_fqdn(data_dir: Path, tmp_path: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    f = conn.session.factory
    f.resources().resource_groups.create_or_update("Yolo-RG", {"location": LOC})
    f.network().public_ip_addresses.begin_create_or_update(
        "Yolo-RG", "Yolo-IPv4", {"location": LOC, "sku": {"name": "Standard"}, "tags": {"owner": "alice"},
                                 "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4",
                                                "dnsSettings": {"domainNameLabel": "keepme"}}}).result()
    before = pip(conn, "Yolo-IPv4")
    fqdn = before["properties"]["dnsSettings"]["fqdn"]
    assert fqdn.startswith("keepme.")
    prof = profile_text(VM_PROFILE, tmp_path, replace=INTO_GROUP, extra=NO_ZONES)
    r = review(conn, prof, adopt=("Yolo-IPv4",))
    entry = r.diff.get("pip4")
    assert entry.action == "update" and entry.adopted
    assert removals(r.diff) == []
    assert {c.path for c in entry.changes} == {"tags.created-by", "tags.azwizard-journey"}  # run tags not shown
    assert entry.body is not None and entry.body["properties"]["dnsSettings"]["domainNameLabel"] == "keepme"
    start = len(sim.requests)
    assert do_apply(conn, r, yes=True, live=False) == EXIT_OK
    after = pip(conn, "Yolo-IPv4")
    assert after["properties"]["dnsSettings"]["domainNameLabel"] == "keepme"
    assert after["properties"]["dnsSettings"]["fqdn"] == fqdn
    assert after["properties"]["ipAddress"] == before["properties"]["ipAddress"]
    assert after["tags"]["owner"] == "alice" and after["tags"]["azwizard-run"] == r.plan.run_id
    sent = put_headers(sim, r.plan.step("pip4").resource_id, start)
    assert [h.get("if-match") for h in sent] == [before["etag"]]  # If-Match: the etag read


def test_a_label_added_to_azwizards_own_ip_survives_an_allowed_update(data_dir: Path, tmp_path: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    code, first = apply(conn, profile(VM_PROFILE))
    assert code == EXIT_OK
    # the user adds a DNS label by hand (az network public-ip update --dns-name keepme: GET, change, PUT)
    f = conn.session.factory
    body = pip(conn, "Yolo-IPv4")
    body["properties"]["dnsSettings"] = {"domainNameLabel": "keepme"}
    f.network().public_ip_addresses.begin_create_or_update("Yolo-RG", "Yolo-IPv4", body).result()
    fqdn = pip(conn, "Yolo-IPv4")["properties"]["dnsSettings"]["fqdn"]
    changed = profile_text(VM_PROFILE, tmp_path, extra="\n[public_ip]\nidle_timeout_minutes = 9\n")
    r = review(conn, changed, allow_update=True)
    entry = r.diff.get("pip4")
    assert entry.action == "update"
    assert [(c.path, c.old, c.new) for c in entry.changes] == [("properties.idleTimeoutInMinutes", 4, 9)]
    assert removals(r.diff) == []
    start = len(sim.requests)
    assert do_apply(conn, r, yes=True, live=False) == EXIT_OK
    after = pip(conn, "Yolo-IPv4")
    assert after["properties"]["idleTimeoutInMinutes"] == 9
    assert after["properties"]["dnsSettings"]["domainNameLabel"] == "keepme"
    assert after["properties"]["dnsSettings"]["fqdn"] == fqdn
    assert after["tags"]["azwizard-run"] == first.plan.run_id  # still the first run's
    # the pip6 changes too (the timeout is on both); each update carried the etag its own read found
    for key in ("pip4", "pip6"):
        e = r.diff.get(key)
        assert e.etag and [h.get("if-match") for h in put_headers(sim, e.resource_id, start)] == [e.etag]


def test_adopting_a_vnet_keeps_its_dns_servers_and_other_subnets(data_dir: Path, tmp_path: Path) -> None:
    sim = ArmSim()
    conn = connection(sim)
    f = conn.session.factory
    f.resources().resource_groups.create_or_update("Yolo-RG", {"location": LOC})
    f.network().virtual_networks.begin_create_or_update(
        "Yolo-RG", "Yolo-VNet", {"location": LOC, "tags": {"team": "net"}, "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "dhcpOptions": {"dnsServers": ["10.0.0.4", "10.0.0.5"]},
            "subnets": [{"name": "other", "properties": {"addressPrefix": "10.0.9.0/24"}}]}}).result()
    prof = profile_text(VM_PROFILE, tmp_path, replace=INTO_GROUP)
    r = review(conn, prof, adopt=("Yolo-VNet",))
    entry = r.diff.get("vnet")
    assert entry.action == "update", entry.refused
    assert removals(r.diff) == []
    paths = {c.path for c in entry.changes}
    assert "properties.subnets[default]" in paths and not any("dhcpOptions" in p or "[other]" in p for p in paths)
    assert do_apply(conn, r, yes=True, live=False) == EXIT_OK
    from azwizard.azure import ops

    vnet = ops.wire(f.network().virtual_networks.get("Yolo-RG", "Yolo-VNet"))
    assert vnet["properties"]["dhcpOptions"]["dnsServers"] == ["10.0.0.4", "10.0.0.5"]
    assert sorted(s["name"] for s in vnet["properties"]["subnets"]) == ["default", "other"]
    assert vnet["tags"]["team"] == "net"


def test_plan_json_shows_the_exact_body_an_update_sends(data_dir: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    sim = ArmSim(persist_path=data_dir / "demo" / "simulator-state.json")
    conn = connection(sim)
    assert apply(conn, profile(VM_PROFILE))[0] == EXIT_OK
    body = pip(conn, "Yolo-IPv4")
    body["properties"]["dnsSettings"] = {"domainNameLabel": "keepme"}
    conn.session.factory.network().public_ip_addresses.begin_create_or_update("Yolo-RG", "Yolo-IPv4", body).result()
    changed = tmp_path / "t.toml"
    changed.write_text(VM_PROFILE.read_text() + "\n[public_ip]\nidle_timeout_minutes = 9\n")
    capsys.readouterr()
    res = main_in_process(["--demo", "vm", "plan", str(changed), "--format", "json"], capsys)
    data = json.loads(res.out)
    entry = next(e for e in data["diff"]["resources"] if e["key"] == "pip4")
    step = next(s for s in data["plan"]["steps"] if s["key"] == "pip4")
    assert step["body"] == entry["body"]  # the plan lists the body that is sent
    assert entry["body"]["properties"]["dnsSettings"]["domainNameLabel"] == "keepme"
    assert entry["body"]["properties"]["idleTimeoutInMinutes"] == 9
    assert "provisioningState" not in entry["body"]["properties"] and "etag" not in entry["body"]  # read-only
    assert entry["if_match"] == pip(conn, "Yolo-IPv4")["etag"]
    text = main_in_process(["--demo", "vm", "plan", str(changed)], capsys)
    assert "~ properties.idleTimeoutInMinutes: 4 → 9" in text.out and "(absent)" not in text.out


def test_a_resource_changed_between_plan_and_apply_is_412_and_left_as_it_is(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sim = ArmSim()
    conn = connection(sim)
    assert apply(conn, profile(VM_PROFILE))[0] == EXIT_OK
    changed = profile_text(VM_PROFILE, tmp_path, extra="\n[public_ip]\nidle_timeout_minutes = 9\n")
    r = review(conn, changed, allow_update=True)
    assert r.diff.get("pip4").action == "update"
    # someone else changes Yolo-IPv4 after the plan read it
    f = conn.session.factory
    theirs = pip(conn, "Yolo-IPv4")
    theirs["tags"] = {**theirs["tags"], "changed-by": "bob"}
    theirs["properties"]["dnsSettings"] = {"domainNameLabel": "bobs"}
    f.network().public_ip_addresses.begin_create_or_update("Yolo-RG", "Yolo-IPv4", theirs).result()
    left = pip(conn, "Yolo-IPv4")
    capsys.readouterr()
    code = do_apply(conn, r, yes=True, live=False)
    assert code == EXIT_CHANGED == 4
    err = capsys.readouterr().err
    assert "changed in Azure after the plan read it" in err and "Plan again" in err and "PreconditionFailed" in err
    assert pip(conn, "Yolo-IPv4") == left  # nothing written over bob's change
    assert pip(conn, "Yolo-IPv6")["properties"]["idleTimeoutInMinutes"] == 9  # the unchanged one was updated
    events = [json.loads(ln) for p in (data_dir / "journal").glob("*.jsonl") for ln in p.read_text().splitlines()]
    failed = [e for e in events if e["event"] == "update-failed"]
    assert [(e["step"], e["code"]) for e in failed] == [("pip4", "PreconditionFailed")]
    # planning again shows bob's change kept and the update applies over it
    again = review(conn, changed, allow_update=True)
    assert removals(again.diff) == []
    start = len(sim.requests)
    assert do_apply(conn, again, yes=True, live=False) == EXIT_OK
    final = pip(conn, "Yolo-IPv4")
    assert final["properties"]["idleTimeoutInMinutes"] == 9
    assert final["properties"]["dnsSettings"]["domainNameLabel"] == "bobs" and final["tags"]["changed-by"] == "bob"
    assert puts(sim, start) == [again.plan.step("pip4").resource_id.lower()]


class LosesOneAnswer(SimTransport):
    """The PUT to ``path`` reaches Azure and is applied, but its answer is lost once (a dropped connection):
    azure-core's retry sends it again, with the same If-Match."""

    def __init__(self, sim: ArmSim, path: str) -> None:
        super().__init__(sim)
        self.path = path.lower()
        self.lost = 0

    def send(self, request: Any, **kwargs: Any) -> Any:
        response = super().send(request, **kwargs)
        if request.method == "PUT" and self.path in request.url.lower() and not self.lost:
            from azure.core.exceptions import ServiceResponseError

            self.lost += 1
            raise ServiceResponseError("Connection aborted: the answer was lost")
        return response


def test_our_own_put_whose_answer_was_lost_is_not_taken_for_someone_elses_change(data_dir: Path,
                                                                                tmp_path: Path) -> None:
    sim = ArmSim()
    assert apply(connection(sim), profile(VM_PROFILE))[0] == EXIT_OK
    changed = profile_text(VM_PROFILE, tmp_path, extra="\n[public_ip]\nidle_timeout_minutes = 9\n")
    transport = LosesOneAnswer(sim, "/publicIPAddresses/Yolo-IPv4?")
    conn = connection(sim, transport)
    r = review(conn, changed, allow_update=True)
    start = len(sim.requests)
    assert do_apply(conn, r, yes=True, live=False) == EXIT_OK
    assert transport.lost == 1
    sent = [q for q in sim.requests[start:] if q.method == "PUT" and q.path.lower().endswith("/yolo-ipv4")]
    assert len(sent) == 2 and sent[0].headers.get("if-match") == sent[1].headers.get("if-match")  # the retry: 412
    assert pip(conn, "Yolo-IPv4")["properties"]["idleTimeoutInMinutes"] == 9
