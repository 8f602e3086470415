"""What the cleanup engine knows about Azure resources: ARM id helpers, the resource kinds it manages,
and the inventory's records (items, locks, backup items). Plain data; no SDK imports.

ARM ids are case-insensitive (Azure itself answers ``resourcegroups`` in some ids and ``resourceGroups``
in others), so every comparison goes through :func:`key`; ids are shown as Azure gave them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .costs import Cost, priced

if TYPE_CHECKING:
    from ..pricing.book import PriceBook

# ARM types, lower-cased (compare with ``kind_key``).
GROUP = "microsoft.resources/resourcegroups"
VM = "microsoft.compute/virtualmachines"
DISK = "microsoft.compute/disks"
NIC = "microsoft.network/networkinterfaces"
PIP = "microsoft.network/publicipaddresses"
NSG = "microsoft.network/networksecuritygroups"
NAT = "microsoft.network/natgateways"
VNET = "microsoft.network/virtualnetworks"
CLUSTER = "microsoft.containerservice/managedclusters"
REGISTRY = "microsoft.containerregistry/registries"
VAULT = "microsoft.recoveryservices/vaults"
ROLE_ASSIGNMENT = "microsoft.authorization/roleassignments"  # an extension resource: it sits on a scope
# Managed Prometheus (plan/aks_metrics.py): the workspace, the data collection endpoint and rule, the rule's
# association with the cluster (an extension resource on it), Prometheus rule groups.
MONITOR_WORKSPACE = "microsoft.monitor/accounts"
DCE = "microsoft.insights/datacollectionendpoints"
DCR = "microsoft.insights/datacollectionrules"
DCRA = "microsoft.insights/datacollectionruleassociations"
RULE_GROUP = "microsoft.alertsmanagement/prometheusrulegroups"
# A backup item in a vault: deleted ("stop protection and delete backup data") only when the user asks.
PROTECTED_ITEM = "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems"

KIND_LABELS: dict[str, str] = {
    GROUP: "Resource group",
    VM: "Virtual machine",
    DISK: "Disk",
    NIC: "Network interface",
    PIP: "Public IP address",
    NSG: "Network security group",
    NAT: "NAT gateway",
    VNET: "Virtual network",
    CLUSTER: "AKS cluster",
    REGISTRY: "Container registry",
    VAULT: "Recovery Services vault",
    ROLE_ASSIGNMENT: "Role assignment",
    PROTECTED_ITEM: "Backup data",
    MONITOR_WORKSPACE: "Azure Monitor workspace",
    DCE: "Data collection endpoint",
    DCR: "Data collection rule",
    DCRA: "Data collection rule association",
    RULE_GROUP: "Prometheus rule group",
}

# The seed order for deleting (preflight rule C6: VM → NIC → public IPs, NSG, NAT gateway → VNet → vault →
# group). Only a tie-breaker: the real references between resources decide the order (a subnet holds its
# NSG and NAT gateway, so a VNet goes before them).
KIND_RANK: dict[str, int] = {
    ROLE_ASSIGNMENT: 0, CLUSTER: 0, VM: 0, DISK: 1, NIC: 1, PIP: 2, NSG: 2, NAT: 2, VNET: 3, REGISTRY: 3,
    PROTECTED_ITEM: 3, VAULT: 4, GROUP: 5,
    # the association before its rule, the rule before the endpoint and the workspace it names
    DCRA: 0, RULE_GROUP: 0, DCR: 1, DCE: 2, MONITOR_WORKSPACE: 2,
}

# What the engine can delete on its own (azwizard.azure.ops has the SDK call for each).
DELETABLE = frozenset({GROUP, VM, DISK, NIC, PIP, NSG, NAT, VNET, CLUSTER, REGISTRY, VAULT, ROLE_ASSIGNMENT,
                       MONITOR_WORKSPACE, DCE, DCR, DCRA, RULE_GROUP})

# journal | tag | both: how azwizard's own resources were found; attached: found through the azwizard resource
# that owns it (a VM's disk, a cluster's MC_ group); group: listed in an azwizard group but not azwizard's.
Source = Literal["journal", "tag", "both", "attached", "group"]


# ------------------------------------------------------------------------------------------ ids


def key(resource_id: str) -> str:
    """The comparable form of an ARM id (lower case, no trailing slash)."""
    return resource_id.strip().rstrip("/").lower()


def _parts(resource_id: str) -> list[str]:
    return [p for p in resource_id.split("/") if p]


def top_level(resource_id: str) -> str:
    """The top-level resource an id belongs to (a subnet → its VNet, an ipconfig → its NIC, a group → itself)."""
    parts = _parts(resource_id)
    if len(parts) >= 8 and parts[4].lower() == "providers":
        return "/" + "/".join(parts[:8])
    if len(parts) >= 4:
        return "/" + "/".join(parts[:4])
    return resource_id


def group_id(resource_id: str) -> str:
    parts = _parts(resource_id)
    return "/" + "/".join(parts[:4]) if len(parts) >= 4 else resource_id


def group_name(resource_id: str) -> str:
    parts = _parts(resource_id)
    return parts[3] if len(parts) >= 4 and parts[2].lower() == "resourcegroups" else ""


def subscription_of(resource_id: str) -> str:
    parts = _parts(resource_id)
    return parts[1] if len(parts) >= 2 else ""


def kind_of(resource_id: str) -> str:
    """The ARM type of a top-level id (``Microsoft.Network/virtualNetworks``)."""
    parts = _parts(top_level(resource_id))
    if len(parts) >= 8:
        return f"{parts[5]}/{parts[6]}"
    return "Microsoft.Resources/resourceGroups"


def name_of(resource_id: str) -> str:
    parts = _parts(resource_id)
    return parts[-1] if parts else resource_id


def is_group_id(resource_id: str) -> bool:
    return len(_parts(resource_id)) == 4


def extension_scope(resource_id: str) -> str | None:
    """The scope an extension resource sits on (a role assignment's registry, group or subscription)."""
    at = resource_id.lower().rfind("/providers/microsoft.authorization/")
    return resource_id[:at] if at > 0 else None


def within(resource_id: str, scope: str) -> bool:
    """True when ``resource_id`` is ``scope`` or lies under it."""
    k, s = key(resource_id), key(scope)
    return k == s or k.startswith(s + "/")


# ------------------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class Cascade:
    """A resource Azure deletes together with another one (a VM's NIC with deleteOption Delete, a group's
    contents, a cluster's MC_ group)."""

    resource_id: str
    type: str
    reason: str
    run_id: str | None = None
    journey: str | None = None


@dataclass(frozen=True)
class Lock:
    """A management lock (``Microsoft.Authorization/locks``); ``scope`` is what it protects."""

    id: str
    name: str
    level: str  # CanNotDelete | ReadOnly
    notes: str = ""

    @property
    def scope(self) -> str:
        marker = "/providers/microsoft.authorization/locks/"
        at = self.id.lower().rfind(marker)
        return self.id[:at] if at >= 0 else self.id

    @property
    def where(self) -> str:
        scope = self.scope
        parts = _parts(scope)
        if len(parts) == 2:
            return f"the subscription {parts[1]}"
        if len(parts) == 4:
            return f"resource group '{parts[3]}'"
        return f"{KIND_LABELS.get(kind_of(scope).lower(), kind_of(scope))} '{name_of(scope)}' (resource group '{group_name(scope)}')"

    @property
    def remove_command(self) -> str:
        """The exact ``az lock delete`` for this lock (``--ids`` for locks below a top-level resource)."""
        parts = _parts(self.scope)
        if len(parts) == 2:
            return f"az lock delete --name '{self.name}' --subscription {parts[1]}"
        if len(parts) == 4:
            return f"az lock delete --name '{self.name}' --resource-group '{parts[3]}' --subscription {parts[1]}"
        if len(parts) == 8:
            return (f"az lock delete --name '{self.name}' --resource-group '{parts[3]}' --resource '{parts[7]}' "
                    f"--resource-type {parts[5]}/{parts[6]} --subscription {parts[1]}")
        return f"az lock delete --ids '{self.id}'"

    def covers(self, resource_id: str) -> bool:
        """Whether this lock stops ``resource_id`` from being deleted: a lock at its scope or above, or
        below it (deleting a scope deletes what a lock below protects). Both levels forbid delete."""
        return within(resource_id, self.scope) or within(self.scope, resource_id)


@dataclass(frozen=True)
class ProtectedItem:
    """A backup item in a Recovery Services vault."""

    id: str
    name: str
    container: str
    friendly_name: str
    source_resource_id: str = ""
    soft_deleted: bool = False
    workload: str = "VM"


@dataclass(frozen=True)
class SoftDelete:
    """A vault's soft-delete setting (``backupconfig/vaultconfig``: softDeleteFeatureState and retention)."""

    state: str = "Enabled"  # Enabled | Disabled | AlwaysON
    days: int = 14
    editable: bool = True

    @property
    def on(self) -> bool:
        return self.state.lower() != "disabled"

    @property
    def always_on(self) -> bool:
        return self.on and (self.state.lower() == "alwayson" or not self.editable)

    def describe(self) -> str:
        if not self.on:
            return "off"
        return f"{'always on' if self.always_on else 'on'}, {self.days} days"


@dataclass(frozen=True)
class InventoryItem:
    """One resource in the inventory, with what cleanup needs to decide and explain."""

    id: str
    type: str
    name: str
    resource_group: str
    location: str = ""
    run_id: str | None = None
    journey: str | None = None
    created: str | None = None  # ISO 8601, UTC
    state: str = ""  # running | stopped | deallocated (VMs), Running | Stopped (AKS), else provisioningState
    source: Source = "tag"
    managed_by: str | None = None
    exists: bool = True
    foreign: bool = False  # in an azwizard group, but azwizard did not create it
    cost: Cost | None = None
    uses: tuple[str, ...] = ()  # top-level ids this resource needs while it exists (must outlive it)
    used_by: tuple[str, ...] = ()  # top-level ids Azure reports as using this resource
    cascade: tuple[Cascade, ...] = ()  # what Azure deletes with it
    keeps: tuple[Cascade, ...] = ()  # parts it leaves behind when deleted (deleteOption Detach)
    node_group_of: str | None = None  # an AKS MC_ group: the cluster that owns it
    contents: tuple[str, ...] = ()  # a group: the ids of what it holds
    protected_items: tuple[ProtectedItem, ...] = ()  # a vault: its backup items
    soft_delete: SoftDelete | None = None  # a vault: its soft-delete setting (None: not read)
    details: tuple[tuple[str, str], ...] = ()  # size, SKU… for display
    # What happened to the run's resource, when the item is not (or no longer) it: "re-created by someone
    # else …", "deleted outside azwizard", "another machine's azwizard run …" (cleanup/inventory.py)
    note: str = ""
    identity: str = ""  # the immutable identity (run/identity.py fingerprint): selections are keyed by it

    @property
    def key(self) -> str:
        return key(self.id)

    @property
    def select_key(self) -> str:
        """The same id with another identity is another resource (deleted and re-created since)."""
        return f"{key(self.id)}#{self.identity}"

    @property
    def kind(self) -> str:
        return self.type.lower()

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP

    @property
    def label(self) -> str:
        return f"{KIND_LABELS.get(self.kind, self.type)} {self.name}"

    @property
    def azwizard(self) -> bool:
        return not self.foreign

    def created_at(self) -> _dt.datetime | None:
        return parse_time(self.created)

    def age(self, now: _dt.datetime | None = None) -> _dt.timedelta | None:
        created = self.created_at()
        if created is None:
            return None
        now = now or _dt.datetime.now(_dt.timezone.utc)
        return max(now - created, _dt.timedelta(0))


@dataclass(frozen=True)
class Inventory:
    """Everything azwizard created in one subscription, as found from journals and tags."""

    items: tuple[InventoryItem, ...]
    subscription_id: str = ""
    locks: tuple[Lock, ...] = ()
    locks_known: bool = True
    # Every resource id in each group that holds azwizard resources (lower-cased group name → ids), shown
    # or not: a whole-group delete takes all of it.
    group_contents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    taken_at: str = ""
    # The price book of each region whose resources cost something (lower-case region → book): every item's
    # estimate comes from its own region's list prices (cleanup/inventory.py, azwizard/pricing).
    prices: Mapping[str, PriceBook] = field(default_factory=dict)

    def book_for(self, item: InventoryItem) -> PriceBook | None:
        """The prices ``item`` was estimated from; None when its region was not priced (a free resource
        elsewhere, or no location: the dated table then)."""
        return self.prices.get(item.location.lower()) if item.location else None

    def books(self, items: Iterable[InventoryItem] | None = None) -> list[PriceBook]:
        """The distinct books the existing, priced ones of ``items`` (default: all) were estimated from, by
        region; the dated table's (:func:`~azwizard.pricing.book.table_book`) when one had none."""
        from ..pricing.book import table_book

        out: dict[str, PriceBook] = {}
        for it in self.items if items is None else items:
            if not it.exists or not priced(it.kind) or it.node_group_of:
                continue
            book = self.book_for(it)
            if book is None:
                out.setdefault("", table_book())
            else:
                out.setdefault(book.region, book)
        return [out[k] for k in sorted(out)]

    def prices_label(self, items: Iterable[InventoryItem] | None = None) -> str:
        """Where the estimates of ``items`` come from: ``list prices, norwayeast, USD, fetched 2026-12-07``
        (joined by ``; `` for several regions), the marked fallback's label when the price list could not be
        read; ``""`` when nothing of them is priced."""
        return "; ".join(book.label() for book in self.books(items))

    def get(self, resource_id: str) -> InventoryItem | None:
        k = key(resource_id)
        return next((it for it in self.items if it.key == k), None)

    def group(self, name: str) -> InventoryItem | None:
        n = name.lower()
        return next((it for it in self.items if it.is_group and it.name.lower() == n), None)

    def runs(self) -> list[str]:
        return sorted({it.run_id for it in self.items if it.run_id})

    def groups(self) -> list[str]:
        seen: dict[str, str] = {}
        for it in self.items:
            seen.setdefault(it.resource_group.lower(), it.resource_group)
        return sorted(seen.values(), key=str.lower)

    def by_run(self) -> dict[str, list[InventoryItem]]:
        out: dict[str, list[InventoryItem]] = {}
        for it in self.items:
            out.setdefault(it.run_id or "", []).append(it)
        return out

    def by_group(self) -> dict[str, list[InventoryItem]]:
        out: dict[str, list[InventoryItem]] = {}
        for it in self.items:
            out.setdefault(it.resource_group, []).append(it)
        return out

    def filter(
        self,
        *,
        run_id: str | None = None,
        group: str | None = None,
        types: Iterable[str] | None = None,
        older_than: _dt.timedelta | None = None,
        include_gone: bool = True,
        now: _dt.datetime | None = None,
    ) -> list[InventoryItem]:
        """The items matching every given filter (run, group, ARM types, minimum age)."""
        wanted = {t.lower() for t in types} if types is not None else None
        out = []
        for it in self.items:
            if run_id is not None and it.run_id != run_id:
                continue
            if group is not None and it.resource_group.lower() != group.lower():
                continue
            if wanted is not None and it.kind not in wanted:
                continue
            if not include_gone and not it.exists:
                continue
            if older_than is not None:
                age = it.age(now)
                if age is None or age < older_than:
                    continue
            out.append(it)
        return out


def parse_time(value: str | None) -> _dt.datetime | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    # Azure sends 7 fractional digits (…03:31:14.3454220+00:00); Python 3.10 takes at most 6.
    if "." in text:
        head, _, rest = text.partition(".")
        digits = "".join(ch for ch in rest if ch.isdigit())
        tz = rest[len(digits):]
        text = f"{head}.{digits[:6]}{tz}"
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)
