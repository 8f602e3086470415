"""What each planned PUT would do to what already exists, like ``terraform plan``: ``+`` create (the resource
does not exist), ``=`` unchanged (it exists with this spec's values), ``~`` update (it exists and would change:
the fields, old → new), ``!`` conflict (it exists and is not this journey's, or the change is one Azure refuses
in place), ``?`` unknown (it could not be read).

ARM's PUT is create-or-update and replaces the whole resource
(https://learn.microsoft.com/rest/api/azure/#create-the-request: "PUT: create or replace a resource"). So an
update is read-modify-write, as ``az … update`` does (GET, change, PUT): the body sent for an existing resource
is the resource as read, without its read-only properties (``azwizard/azure/readonly.py``), with only the
planned changes applied (``merge``): what the plan does not set stays (a DNS label, DNS servers, other NSG
rules, other subnets, other tags). Lists of named items (NSG rules, subnets, IP configurations, node pools)
are merged by name. The changes listed are the difference between what was read and that exact body, so any
removal the PUT would make is shown; values the server fills in (defaults, ids, provisioning state, etags)
are not changes.

This module is pure: the reads (GETs) and the ownership facts (journals, tags) come from
``azwizard/run/preflight.py``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..azure.readonly import etag_of, writable
from ..specs.common import TAG_CREATED_AT, TAG_CREATED_BY, TAG_JOURNEY, TAG_RUN
from .model import Plan, Step, parse_output_ref

Action = Literal["create", "unchanged", "update", "conflict", "unknown"]
SYMBOLS: dict[str, str] = {"create": "+", "unchanged": "=", "update": "~", "conflict": "!", "unknown": "?"}
VERBS: dict[str, str] = {"create": "to create", "unchanged": "unchanged", "update": "to update",
                         "conflict": "in conflict", "unknown": "could not be read"}

# The tags that say which run made a resource: never compared (a new run has a new id), and on an update
# kept as the resource has them, so a resource is never re-tagged to a run that did not create it.
RUN_TAGS = (TAG_RUN, TAG_CREATED_AT)
OWNER_TAGS = (TAG_CREATED_BY, TAG_RUN, TAG_JOURNEY, TAG_CREATED_AT)
# Sent but never returned by a GET (https://learn.microsoft.com/azure/virtual-machines/custom-data: custom
# data "is not returned" when you read the VM): cannot be compared.
WRITE_ONLY = frozenset({"customData", "adminPassword"})
# Sent as "" to mean "the service picks" (az aks create sends kubernetesVersion / orchestratorVersion "" without
# --kubernetes-version: the region's default version), then read back as the version picked: no change.
SERVICE_PICKS = frozenset({"kubernetesVersion", "orchestratorVersion"})
# Sent with the API's default value, which a read may leave out (an agent pool's scaleSetPriority: "Regular" is the
# default, ManagedClusterAgentPoolProfileProperties.scaleSetPriority, and AKS answers it only for Spot pools): the
# value over an absent one is no change.
DEFAULT_WHEN_ABSENT: dict[str, str] = {"scaleSetPriority": "regular"}


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Change:
    path: str  # "properties.securityRules[Allow-RDP]"
    old: Any  # ABSENT when the resource does not have it
    new: Any  # ABSENT when the PUT would remove it

    def describe(self) -> str:
        return f"{self.path}: {show(self.old)} → {show(self.new)}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": None if self.old is ABSENT else self.old,
                "new": None if self.new is ABSENT else self.new,
                "removed": self.new is ABSENT, "added": self.old is ABSENT}


def show(value: Any, limit: int = 70) -> str:
    if value is ABSENT:
        return "(absent)" if limit else ""
    if isinstance(value, Mapping) and "name" in value and isinstance(value.get("properties"), Mapping):
        props = value["properties"]
        text = f"{value['name']} (" + ", ".join(f"{k}={v}" for k, v in props.items()
                                                 if isinstance(v, str | int | float) and k != "id") + ")"
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class Owner:
    """Who made an existing resource, as far as the journals and its tags tell."""

    relation: Literal["this-run", "same-journey", "other-run", "foreign", "adopted"]
    run_id: str | None = None
    journey: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    journal_known: bool = False  # the run's journal is on this machine
    why: str = ""  # why azwizard does not take it for its own (re-created since, tags only, ...)

    @property
    def ours(self) -> bool:
        return self.relation in ("this-run", "same-journey", "adopted")

    def who(self) -> str:
        tags = dict(self.tags)
        if self.relation == "this-run":
            return f"this run ({self.run_id})"
        if self.relation == "same-journey":
            return f"an earlier run of this {self.journey or ''} journey ({self.run_id})".replace("  ", " ")
        if self.relation == "adopted":
            return "adopted on request (--adopt, or a in the wizard's review)"
        if self.relation == "other-run":
            what = f"azwizard run {self.run_id} ({self.journey or 'another'} journey)"
            if not self.journal_known:
                return f"{what}: {self.why or 'its journal is not on this machine'}"
            return what
        shown = ", ".join(f"{k}={v}" for k, v in sorted(tags.items())[:4])
        if self.why:
            return f"someone else ({'tags: ' + shown if tags else 'no tags'}); {self.why}"
        if not tags:
            return "not azwizard: it has no tags"
        return f"not azwizard (tags: {shown})"


@dataclass(frozen=True)
class StepDiff:
    key: str
    label: str
    kind: str
    resource_id: str
    action: Action
    changes: tuple[Change, ...] = ()
    reason: str = ""  # why a conflict / unknown, in plain words
    fix: str = ""  # what to do about it
    owner: Owner | None = None
    current: Mapping[str, Any] | None = None  # the resource as read (None: absent or unread)
    pending: str = ""  # an operation URL still in flight from an interrupted run (resume polls it)
    refused: tuple[str, ...] = ()  # the changes Azure refuses in place, with the doc behind each
    # The exact body a PUT sends over ``current`` (read-modify-write: what was read, read-only properties left
    # out, with the planned changes); None for a resource that does not exist (the plan's body is sent).
    body: Mapping[str, Any] | None = None
    etag: str = ""  # the etag read, sent as If-Match with the update ("": the provider returns none)

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.action]

    @property
    def adopted(self) -> bool:
        return self.owner is not None and self.owner.relation == "adopted"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "kind": self.kind,
                               "resource_id": self.resource_id, "action": self.action, "symbol": self.symbol,
                               "changes": [c.to_dict() for c in self.changes]}
        if self.owner is not None:
            out["owner"] = {"relation": self.owner.relation, "run_id": self.owner.run_id,
                            "journey": self.owner.journey, "tags": dict(self.owner.tags), "who": self.owner.who(),
                            **({"why": self.owner.why} if self.owner.why else {})}
        if self.reason:
            out["reason"] = self.reason
        if self.fix:
            out["fix"] = self.fix
        if self.refused:
            out["refused"] = list(self.refused)
        if self.pending:
            out["pending_operation"] = True
        if self.body is not None:
            out["body"] = self.body  # exactly what the PUT sends (before run-time outputs are filled in)
        if self.etag:
            out["if_match"] = self.etag
        return out


@dataclass(frozen=True)
class PlanDiff:
    entries: tuple[StepDiff, ...]
    read: bool = True  # False: offline, nothing could be read (every step shown as create, unverified)
    read_at: float = 0.0  # time.time() of the reads (the runner refuses a diff another run of the journey outdated)
    notes: tuple[str, ...] = field(default=())

    def by_key(self) -> dict[str, StepDiff]:
        return {e.key: e for e in self.entries}

    def get(self, key: str) -> StepDiff | None:
        return self.by_key().get(key)

    def of(self, action: Action) -> list[StepDiff]:
        return [e for e in self.entries if e.action == action]

    @property
    def conflicts(self) -> list[StepDiff]:
        return self.of("conflict")

    @property
    def unknown(self) -> list[StepDiff]:
        return self.of("unknown")

    @property
    def updates(self) -> list[StepDiff]:
        return self.of("update")

    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in SYMBOLS}  # type: ignore[arg-type]

    def summary(self) -> str:
        c = self.counts()
        parts = [f"{c['create']} to create", f"{c['unchanged']} unchanged", f"{c['update']} to update",
                 f"{c['conflict']} in conflict"]
        if c["unknown"]:
            parts.append(f"{c['unknown']} could not be read")
        return "Plan: " + ", ".join(parts) + "."

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "counts": self.counts(), "summary": self.summary(),
                "resources": [e.to_dict() for e in self.entries], "notes": list(self.notes)}

    def lines(self) -> list[str]:
        """The plan as text, one symbol per resource and the changing fields below (``terraform plan``)."""
        out = []
        for e in self.entries:
            out.append(f"  {e.symbol} {e.label}  ({VERBS[e.action]})")
            if e.owner is not None and e.action in ("conflict", "update") or e.adopted:
                out.append(f"      made by: {e.owner.who() if e.owner else 'unknown'}")
            for c in e.changes[:12]:
                out.append(f"      {'-' if c.new is ABSENT else '+' if c.old is ABSENT else '~'} {c.describe()}")
            if len(e.changes) > 12:
                out.append(f"      … and {len(e.changes) - 12} more change(s)")
            for r in e.refused:
                out.append(f"      ✖ {r}")
            if e.reason and e.action in ("conflict", "unknown"):
                out.append(f"      why: {e.reason}")
            if e.fix and e.action in ("conflict", "unknown"):
                out.append(f"      what to do: {e.fix}")
        out.append(f"  {self.summary()}")
        return out


def offline_diff(plan: Plan) -> PlanDiff:
    """Without a sign-in nothing can be read: every step would be a create, unverified."""
    return PlanDiff(tuple(StepDiff(s.key, s.label, s.kind, s.resource_id, "create") for s in plan.topological()),
                    read=False, notes=("Offline: nothing was read from Azure, so the plan assumes nothing exists "
                                       "yet. Run without --offline to see what each PUT would do.",))


# ---------------------------------------------------------------------------------------------------
# Comparing a wire body with what exists


def _norm(key: str, value: Any) -> Any:
    if isinstance(value, str):
        if key == "location":
            return "".join(value.split()).lower()
        # ARM ids, enum values and names are case-insensitive
        # (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
        return value.lower() if key not in ("keyData", "description") else value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def _named(items: Sequence[Any]) -> bool:
    return bool(items) and all(isinstance(x, Mapping) and isinstance(x.get("name"), str) for x in items)


def compare(desired: Any, current: Any, path: str = "", key: str = "") -> list[Change]:
    """The changes a PUT of ``desired`` makes to ``current``, over what ``desired`` sets."""
    if parse_output_ref(desired) is not None:
        return []  # known only once the step it reads has run (``known after apply``)
    if isinstance(desired, Mapping):
        if not isinstance(current, Mapping):
            if not desired and current is None:
                return []  # an empty object over none (az's addonProfiles {}) is no change, like an empty list
            return [Change(path or key, ABSENT if current is None else current, desired)]
        out: list[Change] = []
        for k, v in desired.items():
            if k in WRITE_ONLY:
                continue
            p = f"{path}.{k}" if path else k
            if k == "tags":
                out += compare_tags(v, current.get(k), p)
            else:
                out += compare(v, _get(current, k), p, k)
        return out
    if isinstance(desired, list | tuple):
        cur = current if isinstance(current, list | tuple) else None
        if cur is None:
            return [] if not desired and current is None else [Change(path, ABSENT if current is None else current,
                                                                     list(desired))]
        if _named(desired) or (_named(cur) and not desired):
            return _compare_named(list(desired), list(cur), path)
        if all(not isinstance(x, Mapping | list) for x in [*desired, *cur]):
            a = sorted(str(_norm(key, x)) for x in desired)
            b = sorted(str(_norm(key, x)) for x in cur)
            return [] if a == b else [Change(path, list(cur), list(desired))]
        if len(desired) != len(cur):
            return [Change(path, list(cur), list(desired))]
        out = []
        for i, (d, c) in enumerate(zip(desired, cur, strict=True)):
            out += compare(d, c, f"{path}[{i}]", key)
        return out
    if key in SERVICE_PICKS and desired == "":
        return []
    if current is None:
        # ARM's wire JSON spells an unset property as null or leaves it out (the generic reader keeps the nulls
        # as read): a null over a null or absent value is no change; nor is the API's default over an absent value.
        if desired is None or (key in DEFAULT_WHEN_ABSENT and _norm(key, desired) == DEFAULT_WHEN_ABSENT[key]):
            return []
        return [Change(path, ABSENT, desired)]
    if _norm(key, desired) != _norm(key, current):
        return [Change(path, current, desired)]
    return []


def _get(body: Mapping[str, Any], key: str) -> Any:
    if key in body:
        return body[key]
    low = key.lower()
    return next((v for k, v in body.items() if k.lower() == low), None)


def _compare_named(desired: list[Any], current: list[Any], path: str) -> list[Change]:
    cur = {str(c.get("name", "")).lower(): c for c in current if isinstance(c, Mapping)}
    out: list[Change] = []
    names = set()
    for d in desired:
        name = str(d["name"])
        names.add(name.lower())
        c = cur.get(name.lower())
        p = f"{path}[{name}]"
        out += [Change(p, ABSENT, d)] if c is None else compare(d, c, p)
    for lower, c in cur.items():
        if lower not in names:
            out.append(Change(f"{path}[{c.get('name')}]", c, ABSENT))  # the PUT replaces the list
    return out


def compare_tags(desired: Any, current: Any, path: str = "tags") -> list[Change]:
    """Tags are replaced as a whole by a PUT; the run tags never count (see RUN_TAGS)."""
    want = {str(k): str(v) for k, v in (desired or {}).items() if k not in RUN_TAGS}
    have = {str(k): str(v) for k, v in (current or {}).items() if k not in RUN_TAGS}
    out = []
    for k in sorted(set(want) | set(have)):
        if k in want and k in have and want[k] == have[k]:
            continue
        out.append(Change(f"{path}.{k}", have.get(k, ABSENT), want.get(k, ABSENT)))
    return out


# ---------------------------------------------------------------------------------------------------
# The body an update sends: what was read, with the planned changes (read-modify-write)


def merge(desired: Any, base: Any, *, run_tags: Mapping[str, str] | None = None) -> Any:
    """``base`` (an existing resource as read, read-only properties left out) with what ``desired`` sets
    applied, as ``az … update`` does: keys ``desired`` does not name stay; named lists (rules, subnets, IP
    configurations, node pools) are merged item by item, by name; tags are merged (a tag set by the plan wins);
    a value equal to the one read (ARM compares names, ids and enums case-insensitively) stays as read. Values
    sent but never read back (custom data, passwords) are not sent again: they cannot be compared, and a VM's
    OS profile does not change in place. ``run_tags``: tags kept as the resource has them (an earlier run's
    resource is never re-tagged to another run)."""
    return _merge(desired, base, "", run_tags or {})


def _merge(desired: Any, base: Any, key: str, run_tags: Mapping[str, str]) -> Any:
    if base is None:
        if isinstance(desired, list | tuple) and not desired:
            return base  # an empty list over none is no change (compare)
        return copy.deepcopy(_drop_write_only(desired))
    if parse_output_ref(desired) is not None:
        return desired  # filled in just before the PUT (known after apply)
    if isinstance(desired, Mapping):
        if not isinstance(base, Mapping):
            return copy.deepcopy(_drop_write_only(desired))
        out = copy.deepcopy(dict(base))
        for k, v in desired.items():
            if k in WRITE_ONLY:
                continue
            bk = next((b for b in out if b.lower() == k.lower()), k)
            if k == "tags" and isinstance(v, Mapping):
                out[bk] = _merge_tags(v, out.get(bk), run_tags)
            elif bk in out or not (isinstance(v, list | tuple) and not v):
                out[bk] = _merge(v, out.get(bk), k, run_tags)
            # an empty list where the resource has none is no change (compare): nothing to add
        return out
    if isinstance(desired, list | tuple):
        if isinstance(base, list) and _named(desired) and (not base or _named(base)):
            return _merge_named(list(desired), base, run_tags)
        if isinstance(base, list) and not compare(list(desired), base, key=key):
            return copy.deepcopy(base)
        return copy.deepcopy([_drop_write_only(d) for d in desired])
    if not compare(desired, base, key=key):
        return base
    return desired


def _merge_named(desired: list[Any], base: list[Any], run_tags: Mapping[str, str]) -> list[Any]:
    want = {str(d["name"]).lower(): d for d in desired}
    out = [_merge(want[str(b.get("name", "")).lower()], b, "", run_tags)
           if str(b.get("name", "")).lower() in want else copy.deepcopy(b) for b in base]
    have = {str(b.get("name", "")).lower() for b in base}
    out += [copy.deepcopy(_drop_write_only(d)) for d in desired if str(d["name"]).lower() not in have]
    return out


def _merge_tags(desired: Mapping[str, Any], base: Any, run_tags: Mapping[str, str]) -> dict[str, Any]:
    """Tag names are case-insensitive in ARM (https://learn.microsoft.com/azure/azure-resource-manager/
    management/tag-resources#limitations): a planned tag replaces the one of the same name in any case."""
    out = {str(k): v for k, v in (base or {}).items()} if isinstance(base, Mapping) else {}
    for k, v in {**desired, **run_tags}.items():
        for old in [o for o in out if o.lower() == str(k).lower()]:
            del out[old]
        out[str(k)] = v
    return out


def _drop_write_only(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k: _drop_write_only(v) for k, v in node.items() if k not in WRITE_ONLY}
    if isinstance(node, list | tuple):
        return [_drop_write_only(v) for v in node]
    return node


def _set_path(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = body
    for p in parents:
        nxt = node.get(p)
        if not isinstance(nxt, dict):
            return
        node = nxt
    if value is ABSENT:
        node.pop(leaf, None)
    else:
        node[leaf] = copy.deepcopy(value)


def _at(body: Mapping[str, Any] | None, path: str) -> Any:
    node: Any = body
    for p in path.split("."):
        if not isinstance(node, Mapping) or p not in node:
            return ABSENT
        node = node[p]
    return node


# NSG rules (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules):
# "a name that is unique within the network security group", and "You can't create two security rules with
# the same priority and direction" (Azure answers SecurityRuleConflict).
_NSG = "microsoft.network/networksecuritygroups"


def rule_clashes(kind: str, desired: Mapping[str, Any], base: Mapping[str, Any] | None, *,
                 adopting: bool) -> list[str]:
    """Why azwizard's NSG rules cannot be added to the rules there: a rule there with one of azwizard's
    priorities and directions under another name (Azure refuses the PUT), or, when adopting, a rule there with
    one of azwizard's names and other settings (adopting adds azwizard's rules; it does not rewrite the
    owner's)."""
    if kind.lower() != _NSG or not base:
        return []
    want = [r for r in (desired.get("properties") or {}).get("securityRules") or [] if isinstance(r, Mapping)]
    have = [r for r in (base.get("properties") or {}).get("securityRules") or [] if isinstance(r, Mapping)]
    out: list[str] = []
    for d in want:
        name = str(d.get("name", ""))
        dp = d.get("properties") or {}
        for h in have:
            hp = h.get("properties") or {}
            same_name = str(h.get("name", "")).lower() == name.lower()
            if same_name and adopting:
                differ = compare(d, h)
                if differ:
                    out.append(f"properties.securityRules[{name}]: a rule named {name} is there with other "
                               f"settings ({'; '.join(c.describe() for c in differ[:3])}); adopting adds "
                               "azwizard's rules and does not change the rules there. Rename or remove that rule, "
                               "or choose other rules in the profile")
            elif (not same_name and dp.get("priority") == hp.get("priority")
                  and str(dp.get("direction", "Inbound")).lower() == str(hp.get("direction", "Inbound")).lower()):
                out.append(f"properties.securityRules[{name}]: rule {h.get('name')} there has the same priority "
                           f"({dp.get('priority')}) and direction ({dp.get('direction', 'Inbound')}); Azure refuses "
                           "two rules with the same priority and direction (SecurityRuleConflict, "
                           "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules)."
                           " Give azwizard's rule another priority in the profile, or change the rule there")
    return out


# ---------------------------------------------------------------------------------------------------
# Changes Azure refuses in place

_VM_OS = ("PropertyChangeNotAllowed: a VM's osProfile (computer name, admin user, SSH keys, custom data) is fixed "
          "at creation (\"Changing property 'linuxConfiguration.ssh.publicKeys' is not allowed\", "
          "https://github.com/Azure/azure-cli/issues/11840)")
_IMMUTABLE: dict[str, tuple[tuple[str, str], ...]] = {
    "*": (("location", "a resource cannot move to another region by a PUT (InvalidResourceLocation; "
                       "https://learn.microsoft.com/azure/azure-resource-manager/management/move-region)"),),
    "microsoft.network/publicipaddresses": (
        ("zones", "a public IP's zones are fixed at creation "
                  "(https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#availability-zone)"),
        ("properties.publicIPAddressVersion", "a public IP's version (IPv4/IPv6) is fixed at creation "
                                              "(https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses)"),
        ("sku", "a public IP's SKU is fixed (https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#sku)"),
    ),
    "microsoft.network/natgateways": (
        ("zones", "a NAT gateway's zone is fixed at creation "
                  "(https://learn.microsoft.com/azure/nat-gateway/nat-availability-zones)"),
    ),
    "microsoft.compute/virtualmachines": (
        ("zones", "PropertyChangeNotAllowed: a VM's zone is fixed at creation "
                  "(https://learn.microsoft.com/azure/virtual-machines/move-virtual-machines-regional-zonal-portal)"),
        ("properties.osProfile", _VM_OS),
        ("properties.storageProfile.imageReference", "a VM's image is fixed at creation (replacing it means a new OS "
                                                     "disk: https://learn.microsoft.com/azure/virtual-machines/linux/os-disk-swap)"),
        ("properties.storageProfile.osDisk.name", "a VM's OS disk is fixed at creation "
                                                  "(https://learn.microsoft.com/azure/virtual-machines/linux/os-disk-swap)"),
        ("properties.securityProfile", "a VM's security type is fixed at creation "
                                       "(https://learn.microsoft.com/azure/virtual-machines/trusted-launch-existing-vm)"),
    ),
    "microsoft.containerservice/managedclusters": (
        ("properties.networkProfile", "a cluster's network profile (plugin, pod and service CIDRs, DNS service IP, "
                                      "outbound type) is set at creation: \"can only be set at cluster creation time\" "
                                      "(https://learn.microsoft.com/azure/aks/egress-outboundtype ; "
                                      "https://learn.microsoft.com/azure/aks/azure-cni-overlay)"),
        ("properties.dnsPrefix", "a cluster's DNS prefix is fixed at creation "
                                 "(https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update)"),
        ("properties.enableRBAC", "Kubernetes RBAC cannot be turned off or on after creation "
                                  "(https://learn.microsoft.com/azure/aks/manage-azure-rbac)"),
        ("properties.apiServerAccessProfile.enablePrivateCluster",
         "a cluster is private or public from its creation: private-clusters.md lists converting an existing cluster "
         "into a private one as not supported (https://learn.microsoft.com/azure/aks/private-clusters)"),
        ("properties.nodeResourceGroup", "the node resource group is fixed at creation "
                                         "(https://learn.microsoft.com/azure/aks/faq#can-i-provide-my-own-name-for-the-aks-node-resource-group)"),
    ),
    "microsoft.authorization/roleassignments": (
        ("properties.roleDefinitionId", "RoleAssignmentUpdateNotPermitted: a role assignment's role cannot be updated "
                                        "(https://learn.microsoft.com/azure/role-based-access-control/troubleshooting)"),
        ("properties.principalId", "RoleAssignmentUpdateNotPermitted: a role assignment's principal cannot be updated "
                                   "(https://learn.microsoft.com/azure/role-based-access-control/troubleshooting)"),
    ),
}
# Text azwizard writes for people, naming the run: not a setting (a later run of the journey writes its own id).
_NOT_COMPARED: dict[str, tuple[str, ...]] = {"microsoft.authorization/roleassignments": ("properties.description",)}
# Node pool settings that need a new pool (https://learn.microsoft.com/azure/aks/resize-node-pool).
_POOL_FIXED = ("vmSize", "osType", "osSKU", "osDiskType", "osDiskSizeGB", "availabilityZones", "maxPods")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


def refused_changes(kind: str, changes: Sequence[Change], current: Mapping[str, Any] | None) -> list[str]:
    """The changes Azure would refuse on this existing resource (a PUT would fail or be ignored)."""
    k = kind.lower()
    rules = _IMMUTABLE["*"] + _IMMUTABLE.get(k, ())
    out: list[str] = []
    for c in changes:
        if c.path.startswith("tags"):
            continue
        for prefix, why in rules:
            if _under(c.path, prefix):
                out.append(f"{c.path}: {why}")
                break
        else:
            if k == "microsoft.containerservice/managedclusters" and c.path.startswith("properties.agentPoolProfiles["):
                leaf = c.path.rsplit(".", 1)[-1]
                if leaf in _POOL_FIXED and c.old is not ABSENT:
                    out.append(f"{c.path}: a node pool's {leaf} is fixed; changing it needs a new pool "
                               "(https://learn.microsoft.com/azure/aks/resize-node-pool)")
            elif k == "microsoft.network/virtualnetworks":
                why = _vnet_refusal(c, current or {})
                if why:
                    out.append(f"{c.path}: {why}")
    return out


def _subnets_in_use(current: Mapping[str, Any]) -> dict[str, bool]:
    out = {}
    for sn in (current.get("properties") or {}).get("subnets") or []:
        props = sn.get("properties") or {}
        out[str(sn.get("name", "")).lower()] = bool(props.get("ipConfigurations"))
    return out


def _vnet_refusal(c: Change, current: Mapping[str, Any]) -> str:
    """A subnet with NICs in it cannot be re-addressed or removed, and the address space cannot drop the
    range such a subnet is in: InUseSubnetCannotBeUpdated / InUseSubnetCannotBeDeleted
    (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet#change-subnet-settings ;
    https://learn.microsoft.com/azure/virtual-network/manage-virtual-network#add-or-remove-an-address-range)."""
    in_use = _subnets_in_use(current)
    if c.path.startswith("properties.subnets["):
        name = c.path[len("properties.subnets["):].split("]", 1)[0].lower()
        if not in_use.get(name):
            return ""
        rest = c.path.split("]", 1)[1]
        if c.new is ABSENT:
            return ("the subnet has network interfaces in it and a PUT without it would delete it "
                    "(InUseSubnetCannotBeDeleted, https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet#delete-a-subnet)")
        if rest.startswith(".properties.addressPrefix"):
            return ("the subnet has network interfaces in it, so its address range cannot change "
                    "(InUseSubnetCannotBeUpdated, https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet#change-subnet-settings)")
        return ""
    if c.path.startswith("properties.addressSpace") and any(in_use.values()):
        return ("the virtual network has network interfaces in its subnets, and their ranges must stay in the "
                "address space (https://learn.microsoft.com/azure/virtual-network/manage-virtual-network#add-or-remove-an-address-range)")
    return ""


# ---------------------------------------------------------------------------------------------------
# Classifying one step


def classify(step: Step, current: Mapping[str, Any] | None, owner: Owner | None, *, readable: bool = True,
             read_error: str = "", sendable: Mapping[str, Any] | None = None) -> StepDiff:
    """One step's entry: what its PUT would do to ``current`` (None: absent), made by ``owner``. ``sendable`` is
    ``current`` without its read-only properties (default: azure/readonly.py ``writable``): the body sent is
    that with the planned changes (``put_over``), and the changes listed are exactly those between the two."""
    base: dict[str, Any] = dict(key=step.key, label=step.label, kind=step.kind, resource_id=step.resource_id)
    if not readable:
        return StepDiff(**base, action="unknown",
                        reason=f"it could not be read ({read_error or 'no answer'}), so azwizard cannot tell whether "
                               "a PUT would create it or overwrite it",
                        fix="Check your connection and permissions (Reader on the resource group) and run again.")
    if current is None:
        return StepDiff(**base, action="create")
    sent, changes = put_over(step, current, owner, sendable)
    base.update(body=sent, etag=etag_of(current))
    refused = tuple(refused_changes(step.kind, changes, current))
    if owner is None or not owner.ours:
        who = owner.who() if owner is not None else "unknown"
        fix = (f"Choose another base name (or resource name), or take it over explicitly with --adopt {step.name} "
               "(in the wizard: a on the review).")
        if step.kind.lower() == "microsoft.resources/resourcegroups":
            fix = ("Choose another base name, or put the resources into this group without changing the group: "
                   "use_existing_group = true in the profile (in the wizard: 'use the existing group'), or take it "
                   f"over explicitly with --adopt {step.name}.")
        return StepDiff(**base, action="conflict", changes=changes, owner=owner, current=current,
                        refused=refused,
                        reason=f"{step.label} already exists and was not created by this journey (made by: {who}); "
                               "a PUT would overwrite it" + (" and re-tag it" if changes else ""),
                        fix=fix)
    clashes = tuple(rule_clashes(step.kind, step.body, current, adopting=owner.relation == "adopted"))
    if clashes:
        return StepDiff(**base, action="conflict", changes=changes, owner=owner, current=current,
                        refused=(*refused, *clashes),
                        reason=f"{step.label} exists and azwizard's rules cannot be added to the rules there",
                        fix="Change the rule there (it is not azwizard's) or the profile's rules, and plan again.")
    if refused:
        return StepDiff(**base, action="conflict", changes=changes, owner=owner, current=current,
                        refused=refused,
                        reason=f"{step.label} exists and the plan changes what Azure does not change in place",
                        fix="Keep the existing values (e.g. edit the profile back), or delete the resource first "
                            "(azwizard cleanup) and run again, or use another name.")
    state = str(((current.get("properties") or {}).get("provisioningState")) or "Succeeded")
    if state.lower() == "failed":
        changes = (*changes, Change("properties.provisioningState", state, "Succeeded"))
    return StepDiff(**base, action="update" if changes else "unchanged",
                    changes=changes, owner=owner, current=current)


def put_over(step: Step, current: Mapping[str, Any], owner: Owner | None,
             sendable: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], tuple[Change, ...]]:
    """The exact body a PUT of ``step`` sends over ``current`` (read-modify-write) and the changes it makes.
    An earlier run's resource keeps its own run tags (it is never re-tagged to a run that did not create it);
    an adopted one gets this run's (adopting is taking it over). Text azwizard writes for people
    (``_NOT_COMPARED``) stays as read."""
    base = dict(sendable) if sendable is not None else writable(step.kind, current)
    keep: dict[str, str] = {}
    if owner is not None and owner.relation == "same-journey":
        keep = {k: str(v) for k, v in (current.get("tags") or {}).items() if k in RUN_TAGS}
    body = merge(step.body, base, run_tags=keep)
    ignored = _NOT_COMPARED.get(step.kind.lower(), ())
    for path in ignored:
        _set_path(body, path, _at(base, path))
    return body, tuple(compare(body, base))


def body_for_put(step: Step, entry: StepDiff | None) -> Any:
    """The body to send: for a resource that exists, the one the diff computed over what was read (``put_over``);
    else the plan's."""
    if entry is None or entry.body is None:
        return step.body
    return entry.body
