"""The demo state file (issue 13): several azwizard processes on one data dir, and a kill in the middle of
operations. Each test states what failed before: a second writer overwrote the first's resources and both
shared one ``simulator-state.json.tmp``; a reload dropped ``Deleting`` resources without their cascades and
took ``Creating`` ones as done without what their completion creates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from conftest import SdkClients
from test_sim_aks import MC, notes_cluster
from test_sim_aks import create as aks_create
from test_sim_compute import Net, vm_body
from test_sim_compute import create as vm_create

from azwizard.sim import ArmSim


def _clients(path: Path) -> SdkClients:
    return SdkClients(ArmSim(persist_path=path))


def _keys(sim: ArmSim) -> set[str]:
    return set(sim.snapshot())


def test_two_simulators_on_one_file_keep_each_others_resources(tmp_path: Path) -> None:
    path = tmp_path / "simulator-state.json"
    a, b = _clients(path), _clients(path)  # both loaded the same (empty) state
    a.resources.resource_groups.create_or_update("from-a", {"location": "norwayeast"})
    b.resources.resource_groups.create_or_update("from-b", {"location": "norwayeast"})
    a.resources.resource_groups.create_or_update("again-a", {"location": "norwayeast"})
    later = _clients(path)
    names = {g.name for g in later.resources.resource_groups.list()}
    assert names == {"from-a", "from-b", "again-a"}
    # each live simulator also sees what the other wrote, and a delete by one is not undone by the other
    assert {g.name for g in a.resources.resource_groups.list()} == names
    b.resources.resource_groups.begin_delete("from-a").result()
    a.resources.resource_groups.create_or_update("third-a", {"location": "norwayeast"})
    assert {g.name for g in _clients(path).resources.resource_groups.list()} == {"from-b", "again-a", "third-a"}


def test_concurrent_processes_write_without_losing_or_crashing(tmp_path: Path) -> None:
    """Two real processes write the same state file at the same time: no shared temporary file, no lost run."""
    path = tmp_path / "demo" / "simulator-state.json"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from conftest import SdkClients
        from azwizard.sim import ArmSim
        sdk = SdkClients(ArmSim(persist_path=Path({str(path)!r})))
        for i in range(25):
            sdk.resources.resource_groups.create_or_update(f"{{sys.argv[1]}}-{{i}}", {{"location": "norwayeast"}})
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, tag], stderr=subprocess.PIPE) for tag in ("p", "q")]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    from azwizard.sim import statefile

    state = statefile.current(path)
    groups = {b["name"] for b in state["resources"].values() if b["type"] == "Microsoft.Resources/resourceGroups"}
    assert groups == {f"{t}-{i}" for t in ("p", "q") for i in range(25)}
    assert not list(path.parent.glob("*.tmp"))


def _vm_with_cascades(sdk: Any, rg: str) -> None:
    net = Net(sdk, rg)
    nic = net.nic("nic-del", pip_id=net.pip("pip-doomed", zones=["1", "2", "3"], delete_option="Delete"))
    vm_create(sdk, rg, "vm1", vm_body(nic))
    kept = net.nic("nic-kept")
    vm_create(sdk, rg, "vm2", vm_body(kept, nic_delete="Detach", computer="vm2"))


def test_a_kill_during_a_vm_delete_reloads_with_its_cascades_done(tmp_path: Path) -> None:
    """Killed while the VMs are Deleting: the next process finds them gone with what their deletion takes
    along (OS disk, NIC and public IP marked Delete) and the kept NIC detached, exactly as if the deletes had
    finished: no NIC 'still used by' a VM that reads 404."""
    path = tmp_path / "simulator-state.json"
    first = _clients(path)
    first.resources.resource_groups.create_or_update("test-rg", {"location": "norwayeast"})
    _vm_with_cascades(first, "test-rg")
    first.compute.virtual_machines.begin_delete("test-rg", "vm1", polling=False)
    first.compute.virtual_machines.begin_delete("test-rg", "vm2", polling=False)
    assert first.compute.virtual_machines.get("test-rg", "vm1").provisioning_state == "Deleting"

    reference = SdkClients(ArmSim())  # the same steps, left to finish
    reference.resources.resource_groups.create_or_update("test-rg", {"location": "norwayeast"})
    _vm_with_cascades(reference, "test-rg")
    reference.compute.virtual_machines.begin_delete("test-rg", "vm1").result()
    reference.compute.virtual_machines.begin_delete("test-rg", "vm2").result()

    after = _clients(path)  # the process was killed: a new one loads the file
    names = lambda s: {k.rsplit("/", 1)[-1] for k in _keys(s)}  # noqa: E731
    assert names(after.sim) == names(reference.sim)
    assert [v.name for v in after.compute.virtual_machines.list("test-rg")] == []
    assert after.network.network_interfaces.get("test-rg", "nic-kept").virtual_machine is None
    after.network.network_interfaces.begin_delete("test-rg", "nic-kept").result()  # cleanup can delete it


def test_an_interrupted_aks_create_reloads_with_all_its_node_resources(tmp_path: Path) -> None:
    path = tmp_path / "simulator-state.json"
    first = _clients(path)
    first.resources.resource_groups.create_or_update("test-rg", {"location": "norwayeast"})
    first.containerservice.managed_clusters.begin_create_or_update("test-rg", "aks1", notes_cluster(), polling=False)
    assert first.containerservice.managed_clusters.get("test-rg", "aks1").provisioning_state == "Creating"

    reference = SdkClients(ArmSim())
    reference.resources.resource_groups.create_or_update("test-rg", {"location": "norwayeast"})
    aks_create(reference, notes_cluster())
    expected = sorted(r.type for r in reference.resources.resources.list_by_resource_group(MC))

    after = _clients(path)
    assert after.containerservice.managed_clusters.get("test-rg", "aks1").provisioning_state == "Succeeded"
    got = sorted(r.type for r in after.resources.resources.list_by_resource_group(MC))
    assert got == expected and len(got) >= 7


def test_a_live_writers_operations_are_not_finished_by_another_process(tmp_path: Path) -> None:
    """What a running process has in flight stays in flight for a second process (it finishes it itself)."""
    from azwizard.sim import statefile

    path = tmp_path / "simulator-state.json"
    first = _clients(path)
    first.resources.resource_groups.create_or_update("test-rg", {"location": "norwayeast"})
    first.network.virtual_networks.begin_create_or_update("test-rg", "vn", {
        "location": "norwayeast", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}},
        polling=False)
    state = statefile.current(path)
    (entry,) = state["pending"].values()
    assert any(k.endswith("/virtualnetworks/vn") for k in entry["changes"]["resources"])
    # recorded for this process; another process (here: a pid that is running) must leave it alone
    log = statefile.log_path(path)
    log.write_text(log.read_text().replace(f'"pid":{os.getpid()}', '"pid":1'))
    assert statefile.pid_alive(1)
    in_flight = next(b for k, b in first.sim.resources.items() if k.endswith("/virtualnetworks/vn"))
    assert in_flight["properties"]["provisioningState"] != "Succeeded"
    other = ArmSim(persist_path=path)
    vnet = next(b for k, b in other.resources.items() if k.endswith("/virtualnetworks/vn"))
    assert vnet["properties"]["provisioningState"] == in_flight["properties"]["provisioningState"]


def test_a_simulator_that_only_reads_sees_what_another_process_wrote(tmp_path: Path) -> None:
    """The wizard's cleanup screen (reads only) and `vm apply --demo` in another terminal: the reader's next
    request sees the new group, and a group the other deleted is gone, without the reader writing anything."""
    path = tmp_path / "simulator-state.json"
    reader, writer = _clients(path), _clients(path)
    assert list(reader.resources.resource_groups.list()) == []
    writer.resources.resource_groups.create_or_update("from-writer", {"location": "norwayeast"})
    assert {g.name for g in reader.resources.resource_groups.list()} == {"from-writer"}
    writer.resources.resource_groups.begin_delete("from-writer").result()
    assert list(reader.resources.resource_groups.list()) == []


def _serve(path: Path) -> tuple[subprocess.Popen[str], str, str]:
    proc = subprocess.Popen([sys.executable, "-m", "azwizard", "sim", "serve", "--port", "0", "--state", str(path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
    sub = proc.stdout.readline().split()[1]
    return proc, url, sub


def _call(url: str, method: str, path: str, body: object = None) -> tuple[int, dict[str, str], Any]:
    import http.client
    from urllib.parse import urlsplit

    conn = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={"Authorization": "Bearer azwizard-sim-token", "Content-Type": "application/json"})
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, json.loads(raw) if raw else None
    finally:
        conn.close()


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()  # SIGTERM: the process dies where it is, nothing written on the way out
    proc.wait(timeout=30)


def test_a_dead_servers_pending_put_is_applied_once_and_never_over_a_later_write(tmp_path: Path) -> None:
    """Issue 22: `sim serve --state F`, PUT a public IP with idle timeout 4 and stop the server before anyone
    polls; the next server applies the pending PUT (4); a PUT of 9 polled to Succeeded; after another restart
    the IP still shows 9 (it showed 4: the dead server's pending change was replayed over the later write)."""
    from urllib.parse import urlsplit

    path = tmp_path / "state.json"
    proc, url, sub = _serve(path)
    group = f"/subscriptions/{sub}/resourcegroups/rg1"
    pip = f"{group}/providers/Microsoft.Network/publicIPAddresses/ip1?api-version=2025-07-01"

    def put(timeout: int) -> dict[str, str]:
        status, headers, body = _call(url, "PUT", pip, {
            "location": "norwayeast", "sku": {"name": "Standard"},
            "properties": {"publicIPAllocationMethod": "Static", "idleTimeoutInMinutes": timeout}})
        assert status in (200, 201), body
        assert body["properties"]["provisioningState"] != "Succeeded"  # in flight until someone looks
        return headers

    def get() -> dict[str, Any]:
        status, _, body = _call(url, "GET", pip)
        assert status == 200, body
        return dict(body["properties"])

    try:
        assert _call(url, "PUT", f"{group}?api-version=2024-11-01", {"location": "norwayeast"})[0] == 201
        put(4)
    finally:
        _stop(proc)

    proc, url, _ = _serve(path)
    try:
        props = get()
        assert (props["idleTimeoutInMinutes"], props["provisioningState"]) == (4, "Succeeded")
        poll = urlsplit(put(9)["azure-asyncoperation"])
        status, _, body = _call(url, "GET", f"{poll.path}?{poll.query}")
        assert (status, body["status"]) == (200, "Succeeded")
        assert get()["idleTimeoutInMinutes"] == 9
    finally:
        _stop(proc)

    for _ in range(2):  # and again: nothing left to replay
        proc, url, _ = _serve(path)
        try:
            props = get()
            assert (props["idleTimeoutInMinutes"], props["provisioningState"]) == (9, "Succeeded")
        finally:
            _stop(proc)


def test_pending_changes_of_dead_writers_apply_in_order_and_not_over_later_writes(tmp_path: Path) -> None:
    """Two writers die with operations in flight on the same group's tags and one resource; a live writer
    changed that resource after them. On reload the older pending change is applied first, the newer over
    it, and neither over the live writer's later write; a second reload changes nothing."""
    from azwizard.sim import statefile

    path = tmp_path / "state.json"
    rid = "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/publicipaddresses/ip"
    other = "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/publicipaddresses/other"
    ArmSim(persist_path=path)  # creates the snapshot and its log
    for writer, value in (("dead-1", 4), ("dead-2", 5)):
        statefile.append(path, {"w": writer, "pid": 2**22 + 1, "pending": {
            "resources": {rid: {"id": rid, "v": value}, other: {"id": other, "v": value}}}})
    statefile.append(path, {"w": "live-later", "pid": 2**22 + 2, "set": {"resources": {rid: {"id": rid, "v": 9}}}})
    assert not statefile.pid_alive(2**22 + 1) and not statefile.pid_alive(2**22 + 2)
    first = ArmSim(persist_path=path)
    assert first.resources[rid] == {"id": rid, "v": 9}  # the later write stands
    assert first.resources[other] == {"id": other, "v": 5}  # dead-2's change came after dead-1's
    assert statefile.current(path)["pending"] == {}
    again = ArmSim(persist_path=path)
    assert again.resources == first.resources


def test_an_unreadable_state_file_is_replaced_and_later_writes_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "simulator-state.json"
    path.write_text("{not json")
    first = _clients(path)
    assert _keys(first.sim) == set()
    first.resources.resource_groups.create_or_update("after", {"location": "norwayeast"})
    assert {g.name for g in _clients(path).resources.resource_groups.list()} == {"after"}


def test_a_long_run_of_writes_is_compacted_into_the_snapshot_without_losing_any(tmp_path: Path) -> None:
    """The log is folded into a new snapshot once it outgrows it; a reader that was behind catches up."""
    from azwizard.sim import statefile

    path = tmp_path / "simulator-state.json"
    writer, reader = _clients(path), _clients(path)
    first_log = statefile.log_path(path).stat().st_ino
    for i in range(40):
        writer.resources.resource_groups.create_or_update(f"g{i}", {"location": "norwayeast",
                                                                     "tags": {"pad": "x" * 250}})
    writer.sim._store.compact()  # type: ignore[union-attr]  (as a write does past the size threshold)
    writer.resources.resource_groups.create_or_update("last", {"location": "norwayeast"})
    assert statefile.log_path(path).stat().st_ino != first_log
    assert len(statefile.log_path(path).read_text().splitlines()) == 2  # the new generation's header + one write
    names = {f"g{i}" for i in range(40)} | {"last"}
    assert {g.name for g in reader.resources.resource_groups.list()} == names
    assert {g.name for g in _clients(path).resources.resource_groups.list()} == names


def test_an_older_one_document_state_file_is_read_and_converted(tmp_path: Path) -> None:
    """A demo data dir from before the log (version 2: one JSON document, pending changes per writer)."""
    from azwizard.sim import statefile

    path = tmp_path / "simulator-state.json"
    gid = "/subscriptions/s/resourcegroups/old"
    path.write_text(json.dumps({"version": 2, "resources": {gid: {"id": gid, "name": "old", "v": 1}}, "meta": {},
                                "locks": {}, "extra": {}, "pending": {"gone-writer": {
                                    "pid": 2**22 + 3, "changes": {"resources": {gid: {"id": gid, "name": "old", "v": 2}}}}}}))
    sim = ArmSim(persist_path=path)
    assert sim.resources[gid]["v"] == 2  # the dead writer's operation finished on load
    snapshot = json.loads(path.read_text())
    assert snapshot["version"] == statefile.VERSION and snapshot["pending"] == {}
    assert statefile.log_path(path).exists()
    assert ArmSim(persist_path=path).resources[gid]["v"] == 2
