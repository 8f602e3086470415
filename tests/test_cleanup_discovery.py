"""How the cleanup inventory finds its candidates (issue 26): one Resource Graph query round for the whole
subscription, not one list per resource group and one GET per resource, with the same inventory as the ARM
lists and GETs give (the fallback when Resource Graph cannot answer)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from cleanup_helpers import foreign_nsg, make_cluster, make_vm_run

from azwizard.azure.session import ClientFactory
from azwizard.cleanup import build_inventory
from azwizard.sim import ArmSim
from azwizard.sim.providers import retailprices

GRAPH = "/providers/Microsoft.ResourceGraph/resources"


def _estate(sim: ArmSim, factory: ClientFactory, journal_dir: Path) -> None:
    """A VM run, a second VM run whose journal is elsewhere (tags only), an AKS cluster with its node group,
    and an NSG someone else made in the first run's group."""
    make_vm_run(sim, factory, journal_dir)
    make_vm_run(sim, factory, journal_dir / "elsewhere", run_id="run-other", base="Other")
    make_cluster(factory, journal_dir)
    foreign_nsg(factory, "Yolo-RG")


def _view(inv: Any) -> tuple[Any, ...]:
    """Everything the inventory says, but two spellings: Resource Graph lower-cases ``type`` (the id's casing
    is used; AKS's own GET answers ``ManagedClusters``), and an untagged disk's creation time comes from its
    ``timeCreated`` (ARM's list adds ``createdTime``, the same instant in another format)."""
    def norm(d: dict[str, Any]) -> dict[str, Any]:
        return {**d, "type": d["type"].lower(), "created": (d["created"] or "")[:19]}

    items = tuple(sorted((norm(dataclasses.asdict(it)) for it in inv.items), key=lambda d: d["id"].lower()))
    contents = {g: tuple(sorted(c.lower() for c in ids)) for g, ids in inv.group_contents.items()}
    return items, contents, inv.warnings


def test_the_inventory_asks_resource_graph_not_each_group_and_resource(sim: ArmSim, factory: ClientFactory,
                                                                       tmp_path: Path) -> None:
    _estate(sim, factory, tmp_path)
    sim.requests.clear()
    inv = build_inventory(factory, journal_dir=tmp_path, include_untagged_in_groups={"Yolo-RG"})
    assert not inv.warnings
    assert {it.name for it in inv.items if it.run_id == "run-other"} >= {"Other-RG", "Other-VM", "Other-NIC"}
    # tags alone are not ownership (issue 18): the run whose journal is elsewhere is listed as not this machine's
    other = {it.name for it in inv.items if it.run_id == "run-other"}
    assert {it.name for it in inv.items if it.foreign} == {"someone-elses-nsg"} | other
    assert all("another machine" in it.note for it in inv.items if it.run_id == "run-other" and it.source == "tag")
    graph = sim.requests_to("POST", GRAPH)
    assert 1 <= len(graph) <= 3  # tagged groups, then resources by tag or group, then the node group
    assert not [r.path for r in sim.requests if r.method == "GET" and r.path.lower().endswith("/resources")]
    reads = [r.path for r in sim.requests if r.method == "GET" and "/providers/microsoft.network/" in r.path.lower()]
    assert reads == []  # every network resource's body came with the query
    # what still needs a GET: the role assignment (not in the resources table), the node resource group (not
    # tagged, not in a group azwizard made), the VMs' power state; and the locks list. The price list
    # (prices.azure.com, not ARM: one region's book, a few requests, read once a week) is not counted.
    others = [r.path for r in sim.requests if r.method == "GET" and r.path != retailprices.PATH]
    assert len(others) <= 8, others


def test_resource_graph_gives_the_same_inventory_as_the_arm_lists_and_gets(sim: ArmSim, factory: ClientFactory,
                                                                           tmp_path: Path) -> None:
    _estate(sim, factory, tmp_path)
    via_graph = build_inventory(factory, journal_dir=tmp_path, include_untagged_in_groups={"Yolo-RG"})
    sim.faults.error("POST", "Microsoft.ResourceGraph", status=403, code="AuthorizationFailed",
                     message="The client does not have authorization to perform action "
                             "'Microsoft.ResourceGraph/resources/read'.", times=100)
    sim.requests.clear()
    via_arm = build_inventory(factory, journal_dir=tmp_path, include_untagged_in_groups={"Yolo-RG"})
    assert sim.requests_to("GET", "/resourceGroups/Yolo-RG/resources")  # it did go the old way
    assert _view(via_graph) == _view(via_arm)
    assert len(via_graph.items) >= 20


def test_a_row_without_the_journaled_identity_is_read_so_a_re_created_registry_is_not_the_runs(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """A container registry's identity is ``systemData.createdAt``, which Resource Graph rows do not carry: the
    inventory reads it with a GET, so a registry deleted and re-created with the run's tags copied is someone
    else's (issue 18), as it is through the ARM lists."""
    make_cluster(factory, tmp_path)
    registries = factory.containerregistry().registries
    old = registries.get("aks-rg", "aks1acr")
    registries.begin_delete("aks-rg", "aks1acr").result()
    registries.begin_create("aks-rg", "aks1acr", {"location": old.location, "sku": {"name": "Basic"},
                                                  "tags": dict(old.tags or {})}).result()
    inv = build_inventory(factory, journal_dir=tmp_path)
    acr = next(it for it in inv.items if it.name == "aks1acr")
    assert acr.foreign and "createdAt differs" in acr.note, (acr.foreign, acr.note)
