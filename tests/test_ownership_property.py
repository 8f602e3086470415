"""A property (issue 18): random interleavings of azwizard ``apply`` and ``cleanup delete --run latest`` with
outside deletes, re-creates of the same names (other properties, sometimes azwizard's tags copied) and
adoptions: azwizard never writes to (PUT, PATCH, DELETE) a resource it did not make, by identity, or that the
user did not adopt, and never deletes a group holding one. Through the real SDK against the simulator; who
made what is tracked from the simulator's own state, never from azwizard's journal.

Re-created groups get their own tags only: ARM gives a resource group no immutable identity
(https://learn.microsoft.com/rest/api/resources/resource-groups/get), so a group re-created with azwizard's
tags copied onto it cannot be told from the one azwizard made (docs/cli-apply.md says so)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Any

from existing_helpers import LOC, VM_PROFILE, apply, connection, profile, rule
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from azwizard.run.identity import fingerprint
from azwizard.sim import ArmSim

GROUP = "yolo-rg"
OPS = st.sampled_from(("apply", "apply-allow", "apply-adopt-nsg", "cleanup", "delete-group", "delete-contents",
                       "delete-nsg",
                       "recreate-group", "recreate-nsg", "recreate-nsg-copied-tags"))


def top_level(sim: ArmSim) -> dict[str, tuple[str, dict[str, Any]]]:
    """id -> (identity fingerprint, body) for every group and top-level resource."""
    out = {}
    for k, body in sim.snapshot().items():
        parts = [p for p in k.split("/") if p]
        if isinstance(body, dict) and (len(parts) == 4 or (len(parts) == 8 and parts[4] == "providers")):
            out[k.lower()] = (fingerprint(str(body.get("type") or ""), body), body)
    return out


class World:
    def __init__(self) -> None:
        self.sim = ArmSim()
        self.conn = connection(self.sim)
        self.f = self.conn.session.factory
        self.owner: dict[str, tuple[str, str]] = {}  # id -> (fingerprint, "azwizard" | "them")
        self.generation = 0  # groups have no identity: each create is a new generation
        self.nsg_tags: dict[str, str] = {}  # azwizard's tags on the NSG it made last

    def sync(self, who: str, before: dict[str, tuple[str, dict[str, Any]]] | None = None) -> None:
        now = top_level(self.sim)
        for rid in list(self.owner):
            if rid not in now:
                del self.owner[rid]
        for rid, (fp, body) in now.items():
            known = self.owner.get(rid)
            fresh = known is None or known[0] != fp or (before is not None and rid not in before)
            if fresh:
                self.owner[rid] = (fp, who)
            if who == "azwizard" and rid.endswith("/networksecuritygroups/yolo-nsg") and self.owner[rid][1] == who:
                self.nsg_tags = dict(body.get("tags") or {})

    def theirs(self) -> set[str]:
        return {rid for rid, (_, who) in self.owner.items() if who == "them"}

    def outside(self, op: str) -> None:
        network = self.f.network()
        try:
            if op == "delete-group":
                self.f.resources().resource_groups.begin_delete("Yolo-RG").result()
            elif op == "delete-contents":  # everything in the group, one by one (the group stays)
                self.f.compute().virtual_machines.begin_delete("Yolo-RG", "Yolo-VM").result()
                for name in ("Yolo-NIC",):
                    network.network_interfaces.begin_delete("Yolo-RG", name).result()
                network.virtual_networks.begin_delete("Yolo-RG", "Yolo-VNet").result()
                network.network_security_groups.begin_delete("Yolo-RG", "Yolo-NSG").result()
            elif op == "delete-nsg":
                network.network_security_groups.begin_delete("Yolo-RG", "Yolo-NSG").result()
            elif op == "recreate-group":
                if not self.f.resources().resource_groups.check_existence("Yolo-RG"):
                    self.f.resources().resource_groups.create_or_update("Yolo-RG", {"location": LOC,
                                                                                    "tags": {"owner": "colleague"}})
            else:
                tags = self.nsg_tags if op.endswith("copied-tags") and self.nsg_tags else {"owner": "colleague"}
                if any(rid.endswith("/yolo-rg/providers/microsoft.network/networksecuritygroups/yolo-nsg")
                       for rid in top_level(self.sim)):
                    return
        except Exception:
            return  # in use, absent, no group: the outside world's attempt failed, nothing changed
        if op.startswith("recreate-nsg"):
            try:
                network.network_security_groups.begin_create_or_update(
                    "Yolo-RG", "Yolo-NSG", {"location": LOC, "tags": tags,
                                            "properties": {"securityRules": [rule("Allow-RDP", "3389")]}}).result()
            except Exception:
                return
        self.sync("them")

    def azwizard(self, op: str) -> None:
        from azwizard.headless.cleanup import delete_command
        from azwizard.headless.common import CommandError

        before = top_level(self.sim)
        theirs = self.theirs()
        adopted: set[str] = set()
        start = len(self.sim.requests)
        if op == "cleanup":
            with contextlib.suppress(CommandError):  # no run left to clean up
                delete_command(self.conn, run="latest", group=None, yes=True, confirm_group=None, live=False)
        else:
            adopt = ("Yolo-NSG",) if op == "apply-adopt-nsg" else ()
            code, r = apply(self.conn, profile(VM_PROFILE), adopt=adopt, allow_update=op == "apply-allow")
            if adopt and code == 0:
                adopted = {r.plan.step("nsg").resource_id.lower()}
        forbidden = theirs - adopted
        for q in self.sim.requests[start:]:
            path = q.path.lower().split("?")[0]
            if q.method not in ("PUT", "PATCH", "DELETE") or "/operations" in path:
                continue
            assert path not in forbidden, (op, q.method, path)
            if q.method == "DELETE" and path.count("/") == 4:  # a group: it takes everything in it
                assert not any(t.startswith(path + "/") for t in forbidden), (op, path, forbidden)
        for rid in adopted:
            if rid in self.owner:
                self.owner[rid] = (self.owner[rid][0], "azwizard")
        self.sync("azwizard", before)
        for rid in theirs - adopted:  # what is someone else's is as it was, or gone by someone else's hand
            if rid in before and rid in top_level(self.sim):
                assert top_level(self.sim)[rid][0] == before[rid][0], (op, rid)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=2, max_size=7))
@example(ops=["delete-contents", "recreate-nsg-copied-tags", "apply-allow", "cleanup", "apply"])
@example(ops=["delete-group", "recreate-group", "recreate-nsg", "apply-allow", "cleanup"])
@example(ops=["delete-contents", "recreate-nsg", "apply-adopt-nsg", "cleanup"])
def test_azwizard_never_writes_to_what_it_did_not_make_or_was_not_given(ops: list[str]) -> None:
    old = os.environ.get("AZWIZARD_DATA_DIR")
    with tempfile.TemporaryDirectory() as data:
        os.environ["AZWIZARD_DATA_DIR"] = data
        try:
            world = World()
            for op in ["apply", *ops]:
                if op.startswith("apply") or op == "cleanup":
                    world.azwizard(op)
                else:
                    world.outside(op)
        finally:
            if old is None:
                os.environ.pop("AZWIZARD_DATA_DIR", None)
            else:
                os.environ["AZWIZARD_DATA_DIR"] = old
