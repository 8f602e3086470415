"""A property (issue 22): for random existing resources (extra properties, tags, named rules and subnets,
read-only fields) and random planned bodies over them (changed and new values, rules, subnets, tags), the body
an update sends is exactly the body read (read-only properties left out) with the diff's changes applied, the
diff removes nothing (a plan sets values, it never names a key to delete), and sending the plan again over
the result is a no-op (``=``). Then through the real SDK against the simulator: random neighbours (NSG rules,
VNet subnets, DNS servers, tags) adopted and applied read back as read with the diff's changes."""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azwizard.plan.diff import ABSENT, RUN_TAGS, Change, Owner, classify, compare
from azwizard.plan.model import Step

KIND = "Microsoft.Test/things"  # no SDK model: the read-only names common to every spec are left out
NAMES = ("alpha", "beta", "gamma", "delta", "eps")
words = st.sampled_from(("x", "y", "Tcp", "Allow", "10.0.0.0/24", "keep"))
scalars = st.one_of(st.integers(1, 5), words, st.booleans())
tag_keys = st.sampled_from(("owner", "env", "team", "cost", "created-by", "azwizard-journey"))
props = st.dictionaries(st.sampled_from(("priority", "access", "port", "extra", "note")), scalars, max_size=4)


def items(draw: Any, names: list[str]) -> list[dict[str, Any]]:
    out = []
    for n in names:
        item: dict[str, Any] = {"name": n, "properties": draw(props)}
        if draw(st.booleans()):
            item["id"] = f"/things/t/items/{n}"
            item["etag"] = 'W/"1"'
            item["properties"]["provisioningState"] = "Succeeded"
        out.append(item)
    return out


@st.composite
def existing(draw: Any) -> dict[str, Any]:
    rules = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4))
    subnets = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    body: dict[str, Any] = {
        "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Test/things/t", "name": "t",
        "location": "norwayeast", "etag": 'W/"abc"',
        "tags": draw(st.dictionaries(tag_keys, words, max_size=4)),
        "properties": {"provisioningState": "Succeeded", "resourceGuid": "guid",
                       "extra": draw(scalars), "nested": draw(props),
                       "dnsSettings": {"domainNameLabel": "keepme", "fqdn": "keepme.norwayeast.cloudapp.azure.com"},
                       "rules": items(draw, rules), "subnets": items(draw, subnets)},
    }
    if draw(st.booleans()):
        body["tags"]["azwizard-run"] = "run-1"
    return body


@st.composite
def planned(draw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"location": draw(st.sampled_from(("norwayeast", "Norway East"))),
                            "tags": {**draw(st.dictionaries(tag_keys, words, max_size=3)), "azwizard-run": "run-2"}}
    p: dict[str, Any] = {}
    if draw(st.booleans()):
        p["nested"] = draw(props)
    if draw(st.booleans()):
        p["extra"] = draw(scalars)
    if draw(st.booleans()):
        p["timeout"] = draw(st.integers(4, 30))
    for key in ("rules", "subnets"):
        names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
        if names:
            p[key] = [{"name": n, "properties": draw(props)} for n in names]
    if draw(st.booleans()):
        p["addressPrefixes"] = draw(st.lists(words, max_size=3))
    body["properties"] = p
    return body


def strip(node: Any) -> Any:
    """The read-only names every spec azwizard uses marks (azure/readonly.py COMMON_READ_ONLY)."""
    ro = {"provisioningState", "resourceGuid", "etag", "eTag", "type", "systemData"}
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ro}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def apply_change(body: dict[str, Any], change: Change) -> None:
    """Set ``change.path`` (``a.b[name].c``, ``tags.k``) to ``change.new``, creating what is missing."""
    parts = re.findall(r"([^.\[\]]+)(?:\[([^\]]+)\])?", change.path)
    node: Any = body
    for i, (key, sel) in enumerate(parts):
        last = i == len(parts) - 1
        if sel:
            lst = node.setdefault(key, [])
            found = next((x for x in lst if str(x.get("name", "")).lower() == sel.lower()), None)
            if last:
                if found is None:
                    lst.append(copy.deepcopy(change.new))
                else:
                    lst[lst.index(found)] = copy.deepcopy(change.new)
                return
            node = found
        elif last:
            node[key] = copy.deepcopy(change.new)
        else:
            node = node.setdefault(key, {})


@settings(max_examples=300, deadline=None)
@given(current=existing(), desired=planned(), relation=st.sampled_from(("same-journey", "adopted", "this-run")))
def test_the_body_sent_is_the_body_read_with_exactly_the_diffs_changes(current: dict[str, Any],
                                                                      desired: dict[str, Any], relation: str) -> None:
    step = Step("x", KIND, "t", current["id"], desired, label="Thing t")
    owner = Owner(relation, "run-1" if relation != "adopted" else "run-2")  # type: ignore[arg-type]
    entry = classify(step, current, owner)
    assert entry.action in ("update", "unchanged")
    assert entry.etag == 'W/"abc"'
    body = entry.body
    assert body is not None
    assert not any(c.new is ABSENT for c in entry.changes), [c.describe() for c in entry.changes]
    expected = strip(current)
    for c in entry.changes:
        apply_change(expected, c)
    # run tags are never listed (a new run has a new id): an earlier run's stay, an adopted resource gets this run's
    for t in RUN_TAGS:
        expected["tags"].pop(t, None)
    sent = copy.deepcopy(body)
    run_tags = {t: sent["tags"].pop(t) for t in RUN_TAGS if t in sent["tags"]}
    assert sent == expected
    if relation == "same-journey" and "azwizard-run" in current["tags"]:
        assert run_tags["azwizard-run"] == "run-1"
    elif relation == "adopted":
        assert run_tags["azwizard-run"] == "run-2"
    # what the plan does not set is kept as read
    assert body["properties"]["dnsSettings"] == current["properties"]["dnsSettings"]
    assert {r["name"] for r in current["properties"]["rules"]} <= {r["name"] for r in body["properties"]["rules"]}
    assert {k for k in current["tags"]} <= set(body["tags"])
    # sending the plan again over what the PUT made changes nothing
    stored = {**body, "etag": 'W/"def"', "properties": {**body["properties"], "provisioningState": "Succeeded"}}
    again = classify(step, stored, owner)
    assert again.action == "unchanged", [c.describe() for c in again.changes]


# ---------------------------------------------------------------------------------------------------
# The same through the real SDK against the simulator: random neighbours adopted, applied, read back


@st.composite
def neighbours(draw: Any) -> dict[str, Any]:
    """Someone's NSG (rules at priorities azwizard does not use) and VNet (other subnets, DNS servers), tagged."""
    rule_names = draw(st.lists(st.sampled_from(("Allow-RDP", "Deny-SMB", "Allow-Web2", "Allow-Mon")), unique=True,
                               max_size=3))
    rules = [{"name": n, "properties": {"priority": 200 + 10 * i, "direction": draw(st.sampled_from(("Inbound",
                                                                                                  "Outbound"))),
                                       "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*",
                                       "sourcePortRange": "*", "destinationAddressPrefix": "*",
                                       "destinationPortRange": str(draw(st.integers(1000, 2000)))}}
             for i, n in enumerate(rule_names)]
    subnets = [{"name": f"other{i}", "properties": {"addressPrefix": f"10.0.{100 + i}.0/24"}}
               for i in range(draw(st.integers(0, 2)))]
    return {"tags": draw(st.dictionaries(st.sampled_from(("owner", "env", "team")), words, max_size=2)),
            "rules": rules, "subnets": subnets,
            "dns": draw(st.lists(st.sampled_from(("10.0.0.4", "10.0.0.5", "168.63.129.16")), unique=True,
                                 max_size=2)),
            "timeout": draw(st.sampled_from((4, 9)))}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(n=neighbours())
def test_adopted_neighbours_read_back_as_read_with_the_diffs_changes(n: dict[str, Any], tmp_path: Any) -> None:
    import os
    import tempfile

    from existing_helpers import LOC, VM_PROFILE, connection, profile_text, review

    from azwizard.azure import ops
    from azwizard.azure.readonly import writable
    from azwizard.headless.apply import apply as do_apply
    from azwizard.sim import ArmSim

    old = os.environ.get("AZWIZARD_DATA_DIR")
    with tempfile.TemporaryDirectory() as data:
        os.environ["AZWIZARD_DATA_DIR"] = data
        try:
            sim = ArmSim()
            conn = connection(sim)
            net = conn.session.factory.network()
            conn.session.factory.resources().resource_groups.create_or_update("Yolo-RG", {"location": LOC})
            net.network_security_groups.begin_create_or_update(
                "Yolo-RG", "Yolo-NSG", {"location": LOC, "tags": n["tags"],
                                        "properties": {"securityRules": n["rules"]}}).result()
            vnet: dict[str, Any] = {"addressSpace": {"addressPrefixes": ["10.0.0.0/16", "fd8a:51c3:7e20::/48"]},
                                    "subnets": n["subnets"]}
            if n["dns"]:
                vnet["dhcpOptions"] = {"dnsServers": n["dns"]}
            net.virtual_networks.begin_create_or_update("Yolo-RG", "Yolo-VNet", {"location": LOC, "tags": n["tags"],
                                                                                 "properties": vnet}).result()
            prof = profile_text(VM_PROFILE, tmp_path, replace={'kind = "vm"': 'kind = "vm"\nuse_existing_group = true'},
                                extra=f"\n[public_ip]\nidle_timeout_minutes = {n['timeout']}\n")
            r = review(conn, prof, adopt=("Yolo-NSG", "Yolo-VNet"))
            assert not r.blocking, [f.message for f in r.blocking]
            before = {k: writable(r.plan.step(k).kind, dict(r.diff.get(k).current or {})) for k in ("nsg", "vnet")}
            assert do_apply(conn, r, yes=True, live=False) == 0
            for key, read in (("nsg", net.network_security_groups.get("Yolo-RG", "Yolo-NSG")),
                              ("vnet", net.virtual_networks.get("Yolo-RG", "Yolo-VNet"))):
                entry = r.diff.get(key)
                assert not any(c.new is ABSENT for c in entry.changes)
                expected = copy.deepcopy(before[key])
                for c in entry.changes:
                    apply_change(expected, c)
                got = writable(entry.kind, ops.wire(read))
                # what the provider fills in on a PUT (ids of new rules and subnets, their defaults) is not sent
                for item in [*got["properties"].get("securityRules", []), *got["properties"].get("subnets", [])]:
                    item.pop("id", None)
                    item.pop("type", None)
                for item in [*expected["properties"].get("securityRules", []),
                             *expected["properties"].get("subnets", [])]:
                    item.pop("id", None)
                    item.pop("type", None)
                assert compare(expected, got) == [], key  # everything sent reads back
                for t, v in n["tags"].items():
                    assert got["tags"][t] == v
                if key == "nsg":
                    assert {x["name"] for x in got["properties"]["securityRules"]} == {
                        *(x["name"] for x in n["rules"]), "Allow-ICMPv4", "Allow-SSH", "Allow-HTTP-HTTPS"}
                else:
                    assert got["properties"].get("dhcpOptions", {}).get("dnsServers", []) == n["dns"]
                    assert {s["name"] for s in got["properties"]["subnets"]} == {
                        *(s["name"] for s in n["subnets"]), r.plan.step("vnet").body["properties"]["subnets"][0]["name"]}
        finally:
            if old is None:
                os.environ.pop("AZWIZARD_DATA_DIR", None)
            else:
                os.environ["AZWIZARD_DATA_DIR"] = old
