"""A property (issue 11): for random pre-existing states of the VM journey's resources (absent, someone
else's, another azwizard run's) and random --adopt / --allow-update choices, ``apply`` never changes a
resource it did not create or the user did not adopt: every PUT goes to a resource that did not exist or was
adopted, nothing is deleted, and what it may not touch reads back exactly as before."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from existing_helpers import LOC, VM_PROFILE, apply, connection, profile, rule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azwizard.sim import ArmSim

KINDS = ("nsg", "pip4", "pip6", "vnet")
OTHER_RUN = {"created-by": "azwizard", "azwizard-run": "20200101-000000-dead", "azwizard-journey": "vm"}


def make(conn: Any, key: str, how: str) -> None:
    f = conn.session.factory
    tags = OTHER_RUN if how == "other-run" else {"owner": "bob"}
    if key == "nsg":
        f.network().network_security_groups.begin_create_or_update(
            "Yolo-RG", "Yolo-NSG", {"location": LOC, "tags": tags,
                                    "properties": {"securityRules": [rule("Allow-RDP", "3389")]}}).result()
    elif key in ("pip4", "pip6"):
        version = "IPv4" if key == "pip4" else "IPv6"
        f.network().public_ip_addresses.begin_create_or_update(
            "Yolo-RG", f"Yolo-{version}", {"location": LOC, "tags": tags, "sku": {"name": "Standard"},
                                           "zones": ["1", "2", "3"],
                                           "properties": {"publicIPAllocationMethod": "Static",
                                                          "publicIPAddressVersion": version}}).result()
    else:
        f.network().virtual_networks.begin_create_or_update(
            "Yolo-RG", "Yolo-VNet", {"location": LOC, "tags": tags, "properties": {
                "addressSpace": {"addressPrefixes": ["10.9.0.0/16"]},
                "subnets": [{"name": "default", "properties": {"addressPrefix": "10.9.0.0/24"}}]}}).result()


states = st.fixed_dictionaries({k: st.sampled_from(("absent", "foreign", "other-run")) for k in KINDS})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states=states, group=st.booleans(), adopt=st.sets(st.sampled_from(("rg", *KINDS))),
       allow_update=st.booleans())
def test_apply_never_changes_what_it_did_not_create_or_was_not_given(states: dict[str, str], group: bool,
                                                                    adopt: set[str], allow_update: bool) -> None:
    old = os.environ.get("AZWIZARD_DATA_DIR")
    with tempfile.TemporaryDirectory() as data:
        os.environ["AZWIZARD_DATA_DIR"] = data
        try:
            sim = ArmSim()
            conn = connection(sim)
            existing = {k for k, how in states.items() if how != "absent"}
            if existing or group:
                conn.session.factory.resources().resource_groups.create_or_update("Yolo-RG", {"location": LOC})
                existing.add("rg")
            for k in existing - {"rg"}:
                make(conn, k, states[k])
            before = sim.snapshot()
            start = len(sim.requests)
            prof = profile(VM_PROFILE)

            names = {"rg": "Yolo-RG", "nsg": "Yolo-NSG", "pip4": "Yolo-IPv4", "pip6": "Yolo-IPv6", "vnet": "Yolo-VNet"}
            adopted = adopt & existing
            code, r = apply(conn, prof, adopt=tuple(names[k] for k in sorted(adopted)), allow_update=allow_update)
            ids = {s.key: s.resource_id.lower() for s in r.plan.steps}
            may_touch = {ids[k] for k in adopted} | {ids[k] for k in ids if k not in existing}
            sent = [(q.method, q.path.lower()) for q in sim.requests[start:]
                    if q.method in ("PUT", "PATCH", "DELETE") and "/operations" not in q.path.lower()]
            assert all(m == "PUT" and p in may_touch for m, p in sent), (states, adopted, sent)
            after = sim.snapshot()
            for k in existing - adopted:
                assert after[ids[k]] == before[ids[k]], k
            if existing - adopted:
                assert code == 1 and sent == []  # someone else's resource is in the way: nothing at all is sent
        finally:
            if old is None:
                os.environ.pop("AZWIZARD_DATA_DIR", None)
            else:
                os.environ["AZWIZARD_DATA_DIR"] = old
