"""The simulator answers If-Match / If-None-Match as ARM's RPC table says (Addendum.md#etags-for-resources),
with the providers' real 412 shapes: Network's PreconditionFailed + PreconditionFailedEtagMismatch detail,
Compute's PreconditionFailed message. Through the real SDK (per-call ``headers=``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cli_helpers
import pytest
from azure.core.exceptions import HttpResponseError
from existing_helpers import LOC, VM_PROFILE, apply, connection, profile, profile_text, review

from azwizard.azure import ops
from azwizard.exitcodes import EXIT_OK
from azwizard.headless.apply import apply as do_apply
from azwizard.sim import ArmSim

data_dir = cli_helpers.data_dir
PIP = {"location": LOC, "sku": {"name": "Standard"},
       "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}}


def setup() -> tuple[ArmSim, Any]:
    sim = ArmSim()
    conn = connection(sim)
    conn.session.factory.resources().resource_groups.create_or_update("g", {"location": LOC})
    return sim, conn.session.factory.network().public_ip_addresses


def put(pips: Any, name: str, body: dict[str, Any], **headers: str) -> Any:
    return pips.begin_create_or_update("g", name, body, headers=headers).result()


def test_if_match_with_the_etag_read_updates_and_a_stale_one_is_412_with_nrps_shape() -> None:
    sim, pips = setup()
    first = ops.wire(put(pips, "ip", PIP))
    etag = first["etag"]
    updated = ops.wire(put(pips, "ip", {**PIP, "tags": {"a": "1"}}, **{"If-Match": etag}))
    assert updated["tags"] == {"a": "1"} and updated["etag"] != etag
    with pytest.raises(HttpResponseError) as got:
        put(pips, "ip", {**PIP, "tags": {"b": "2"}}, **{"If-Match": etag})  # the etag before the update
    assert got.value.status_code == 412
    assert got.value.error is not None and got.value.error.code == "PreconditionFailed"
    assert got.value.error.message == "Precondition failed."
    detail = got.value.error.details[0]
    assert detail.code == "PreconditionFailedEtagMismatch" and etag in detail.message and updated["etag"] in detail.message
    assert ops.wire(pips.get("g", "ip"))["tags"] == {"a": "1"}  # unchanged
    assert ops.wire(put(pips, "ip", {**PIP, "tags": {"c": "3"}}, **{"If-Match": "*"}))["tags"] == {"c": "3"}


def test_if_none_match_star_and_if_match_on_a_missing_resource() -> None:
    sim, pips = setup()
    with pytest.raises(HttpResponseError) as got:
        put(pips, "new", PIP, **{"If-Match": "*"})
    assert got.value.status_code == 412 and pips_absent(pips, "new")
    assert ops.wire(put(pips, "new", PIP, **{"If-None-Match": "*"}))["name"] == "new"  # does not exist: created
    with pytest.raises(HttpResponseError) as got:
        put(pips, "new", {**PIP, "tags": {"x": "y"}}, **{"If-None-Match": "*"})
    assert got.value.status_code == 412 and got.value.error.code == "PreconditionFailed"
    assert not ops.wire(pips.get("g", "new")).get("tags")
    # DELETE with a stale etag: 412; of a missing resource: as without the header (204)
    with pytest.raises(HttpResponseError) as got:
        pips.begin_delete("g", "new", headers={"If-Match": 'W/"stale"'}).result()
    assert got.value.status_code == 412
    pips.begin_delete("g", "missing", headers={"If-Match": 'W/"stale"'}).result()


def pips_absent(pips: Any, name: str) -> bool:
    from azure.core.exceptions import ResourceNotFoundError

    try:
        pips.get("g", name)
    except ResourceNotFoundError:
        return True
    return False


def test_every_update_put_carries_the_etag_read_and_compute_answers_its_own_412(data_dir: Path,
                                                                                tmp_path: Path) -> None:
    """A tag added in the profile updates every resource: each PUT carries If-Match with its own read's etag
    (Network: W/"uuid"; Compute VM: "n"). A VM PUT with a stale etag gets Compute's 412 message."""
    sim = ArmSim()
    conn = connection(sim)
    assert apply(conn, profile(VM_PROFILE))[0] == EXIT_OK
    tagged = profile_text(VM_PROFILE, tmp_path, extra="\n[tags]\ncostcenter = \"42\"\n")
    r = review(conn, tagged, allow_update=True)
    updates = r.diff.updates
    assert {e.key for e in updates} == {s.key for s in r.plan.steps}
    start = len(sim.requests)
    assert do_apply(conn, r, yes=True, live=False) == EXIT_OK
    for e in updates:
        sent = [q.headers.get("if-match") for q in sim.requests[start:]
                if q.method == "PUT" and q.path.lower() == e.resource_id.lower()]
        if e.kind.lower() == "microsoft.resources/resourcegroups":
            assert sent == [None] and not e.etag  # resource groups have no etag
        else:
            assert e.etag and sent == [e.etag], e.key
    vm = r.diff.get("vm")
    assert vm.etag.startswith('"') and vm.body is not None and "vmId" not in vm.body["properties"]
    with pytest.raises(HttpResponseError) as got:
        conn.session.factory.compute().virtual_machines.begin_create_or_update(
            "Yolo-RG", "Yolo-VM", dict(vm.body), headers={"If-Match": '"7"'}).result()
    assert got.value.status_code == 412 and got.value.error is not None
    assert got.value.error.code == "PreconditionFailed" and not got.value.error.details
    assert got.value.error.message.startswith('Etag provided in if-match header "7" does not match etag "')
