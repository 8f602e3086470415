"""The dry run: exactly what a selection deletes, in which order, and what stops it, before anything is sent.

A plan is a DAG of delete operations:

* one operation per selected resource, carrying what Azure deletes with it (a VM's NICs, disks and public
  IPs whose ``deleteOption`` is ``Delete``; an AKS cluster's ``MC_`` node resource group); a selected
  resource that goes with another selected one is folded into that operation, never sent twice;
* a whole resource group (``whole_groups``) as ONE operation, its contents listed under it;
* a selected resource group (not "whole") as the last operation in it, deleting the group once its
  selected contents are gone (blocked while it still holds anything not selected).

Operation A runs before B when something A deletes uses something B deletes (a NIC uses its VNet, a subnet
its NSG): real references from the resources' bodies, with the seed order of preflight rule C6 (VM → NIC →
public IPs / NSG / NAT gateway → VNet → vault → group) only breaking ties. Nothing outside the selection is
ever in the plan except those documented cascades. Blocked operations, and those that would have to wait
for them, are left out of the runnable plan and explained.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from . import blockers as b
from .costs import Cost, total
from .model import (
    CLUSTER,
    DCRA,
    DELETABLE,
    KIND_RANK,
    PROTECTED_ITEM,
    VAULT,
    VM,
    Cascade,
    Inventory,
    InventoryItem,
    key,
    kind_of,
    within,
)

# Deleting one of these (or more than one resource) needs a typed confirmation (DeletionPlan.confirmation).
COSTLY = frozenset({VM, CLUSTER})


@dataclass(frozen=True)
class DeleteOp:
    """One DELETE the engine sends (and waits for), with what Azure removes along with it."""

    resource_id: str
    type: str
    name: str
    resource_group: str
    label: str
    run_id: str | None = None
    journey: str | None = None
    after: tuple[str, ...] = ()  # keys of the operations that must finish first
    with_it: tuple[Cascade, ...] = ()  # deleted by Azure together with this resource
    keeps: tuple[Cascade, ...] = ()  # left behind on purpose (deleteOption Detach)
    whole_group: bool = False
    folded: tuple[str, ...] = ()  # selected ids that go with this operation instead of their own
    cost: Cost = field(default_factory=Cost)  # what stops being billed
    soft_delete_off: bool = False  # backup data: turn the vault's soft delete off first (deleted at once)

    @property
    def key(self) -> str:
        return key(self.resource_id)

    @property
    def kind(self) -> str:
        return self.type.lower()

    @property
    def data_fate(self) -> str:
        """What becomes of the backup data this operation deletes, said wherever it is planned or reported: the
        irreversible choice is never silent (issue 19 item 2). "" for any other operation."""
        if self.kind != PROTECTED_ITEM:
            return ""
        if self.soft_delete_off:
            return "soft delete off: deleted at once, for good (it cannot be undeleted)"
        return "kept soft-deleted for the vault's retention (it can be undeleted until then)"

    @property
    def members(self) -> tuple[str, ...]:
        """Every id this operation deletes: the resource and what goes with it."""
        return (self.resource_id, *(c.resource_id for c in self.with_it))


@dataclass(frozen=True)
class HeldBack:
    """A selected resource left out because something that must go first is blocked."""

    resource_id: str
    label: str
    waits_for: str
    reason: str


@dataclass(frozen=True)
class DeletionPlan:
    ops: tuple[DeleteOp, ...]  # runnable, in an order that respects every dependency
    blockers: tuple[b.Blocker, ...] = ()
    held_back: tuple[HeldBack, ...] = ()
    already_gone: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def op(self, resource_id: str) -> DeleteOp:
        k = key(resource_id)
        for op in self.ops:
            if op.key == k:
                return op
        raise KeyError(resource_id)

    def deleted_ids(self) -> set[str]:
        """Keys of everything the runnable plan deletes (operations and what goes with them)."""
        return {key(m) for op in self.ops for m in op.members}

    def blocked_ids(self) -> set[str]:
        return {key(x.resource_id) for x in self.blockers} | {key(h.resource_id) for h in self.held_back}

    def waves(self) -> list[list[DeleteOp]]:
        """Operations grouped by when they can start: each wave needs only earlier waves."""
        level: dict[str, int] = {}
        for op in self.ops:
            level[op.key] = 1 + max((level[a] for a in op.after if a in level), default=-1)
        out: list[list[DeleteOp]] = [[] for _ in set(level.values())]  # the levels are 0, 1, … with none missing
        for op in self.ops:
            out[level[op.key]].append(op)
        return out

    def cost(self) -> Cost:
        return total(op.cost for op in self.ops)

    def confirmation(self) -> str:
        """What the user types before the operations outside whole groups run (each whole group needs its own
        name typed): the resource's name when one operation deletes a VM, an AKS cluster or more than one
        resource; ``delete N`` (N: how many resources go) when several operations do; "" when the plan deletes
        one inexpensive resource on its own, or only whole groups. A typed answer, not a keypress: one stray
        key must not delete a costly resource or many at once (issue 12 item 6)."""
        parts = [op for op in self.ops if not op.whole_group]
        members = {key(m) for op in parts for m in op.members}
        costly = any(kind_of(m).lower() in COSTLY for op in parts for m in op.members)
        if not parts or (len(members) <= 1 and not costly):
            return ""
        if len(parts) == 1:
            return parts[0].name
        return f"delete {len(members)}"

    def describe(self) -> list[str]:
        """The dry run as text lines (the screen renders the same data its own way)."""
        lines: list[str] = []
        for n, wave in enumerate(self.waves(), 1):
            for op in wave:
                what = "whole resource group (one operation)" if op.whole_group else ""
                if op.data_fate:
                    what = f"({op.data_fate})"
                lines.append(f"{n}. delete {op.label} {what}".rstrip())
                lines += [f"     with it: {c.resource_id.rsplit('/', 1)[-1]} — {c.reason}" for c in op.with_it]
                lines += [f"     kept: {c.resource_id.rsplit('/', 1)[-1]} — {c.reason}" for c in op.keeps]
        for x in self.blockers:
            lines.append(f"blocked: {x.message} Fix: {x.fix}")
        for h in self.held_back:
            lines.append(f"not now: {h.label} — {h.reason}")
        for gone in self.already_gone:
            lines.append(f"already deleted: {gone}")
        lines += [f"note: {w}" for w in self.warnings]
        return lines


# ------------------------------------------------------------------------------------------ selection


def default_selection(inventory: Inventory, run_id: str | None = None) -> set[str]:
    """What to preselect: azwizard's own existing resources (of one run, or all), never untagged ones,
    never an AKS node resource group; a group only when everything in it is preselected too."""
    chosen = {
        it.id for it in inventory.items
        if it.exists and not it.foreign and it.node_group_of is None and not it.is_group
        and (run_id is None or it.run_id == run_id)
    }
    keys = {key(i) for i in chosen}
    for it in inventory.items:
        if not it.is_group or it.foreign or not it.exists or it.node_group_of is not None:
            continue
        if run_id is not None and it.run_id != run_id:
            continue
        contents = inventory.group_contents.get(it.name.lower(), it.contents)
        if all(key(c) in keys for c in contents):
            chosen.add(it.id)
    return chosen


# ------------------------------------------------------------------------------------------ planning


@dataclass
class _Draft:
    op: DeleteOp
    members: set[str]  # keys
    contents_required: set[str] = field(default_factory=set)  # a group deleted once emptied: its contents
    needs_gone: set[str] = field(default_factory=set)  # deleted by another operation, which must run first
    emptied: bool = False


def plan_deletion(inventory: Inventory, selection: Iterable[str], *,
                  whole_groups: Iterable[str] = frozenset(),
                  backup_data: Mapping[str, bool] | None = None) -> DeletionPlan:
    """Exactly what deleting ``selection`` (resource ids) and ``whole_groups`` (group names) does.

    ``backup_data`` (vault id → turn its soft delete off first) is the user's typed word to stop protection
    and delete the backup data of those vaults, so that they (and their groups) can be deleted: one operation
    per backup item, before the vault's. Without it a vault with backup items is a blocker, explained."""
    items = {it.key: it for it in inventory.items}
    selection = list(selection)
    selected = {key(s) for s in selection}
    found: list[b.Blocker] = []
    gone: list[str] = []
    groups: dict[str, InventoryItem] = {}  # whole groups, by lower-cased name
    emptied: dict[str, InventoryItem] = {}  # groups to delete once emptied, by lower-cased name
    targets: dict[str, InventoryItem] = {}

    def take_group(g: InventoryItem, whole: bool) -> None:
        if g.node_group_of is not None:
            found.append(b.node_group_blocker(g))
        elif g.foreign:
            found.append(b.group_not_azwizard_blocker(g.name, g.id))
        elif not g.exists:
            gone.append(g.id)
        else:
            (groups if whole else emptied)[g.name.lower()] = g

    for name in sorted(whole_groups, key=str.lower):
        g = inventory.group(name)
        if g is None:
            found.append(b.group_not_azwizard_blocker(name))
        else:
            take_group(g, whole=True)
    for k in sorted(selected):
        it = items.get(k)
        if it is None:
            found.append(b.not_in_inventory_blocker(next(s for s in selection if key(s) == k)))
        elif it.is_group:
            take_group(it, whole=False)
        elif not it.exists:
            gone.append(it.id)
        elif it.kind not in DELETABLE:
            found.append(b.unsupported_blocker(it))
        else:
            targets[k] = it
    for name in list(emptied):
        if name in groups:
            del emptied[name]

    drafts = _drafts(inventory, items, selected, groups, emptied, targets, found)
    purge = {key(v): off for v, off in (backup_data or {}).items()}
    parents = _backup_drafts(drafts, items, purge)
    users = _users(inventory)
    runnable, held = _settle(drafts, items, users, inventory, selected, found, purge)
    runnable = _only_useful_purges(runnable, parents, found, held)
    ops = _ordered(runnable, users)
    warnings = list(inventory.warnings)
    if not inventory.locks_known:
        warnings.append("Management locks could not be read: a locked resource will be refused by Azure "
                        "(ScopeLocked) and reported; nothing is forced.")
    deleted = {m for d in runnable for m in d.members}
    for vault in inventory.items:
        for p in vault.protected_items:
            if (not p.soft_deleted and key(p.source_resource_id) in deleted and vault.key not in deleted
                    and key(p.id) not in deleted):
                warnings.append(f"{_label(items, p.source_resource_id)} is backed up in {vault.label}: its backups "
                                "stay (and are billed) until protection is stopped and the backup data deleted.")
    for d in runnable:
        for c in d.op.keeps:
            if key(c.resource_id) in items and items[key(c.resource_id)].exists and key(c.resource_id) not in selected:
                warnings.append(f"{d.op.label} leaves {c.resource_id.rsplit('/', 1)[-1]} behind ({c.reason}); "
                                "select it too if it should go.")
    return DeletionPlan(tuple(ops), tuple(found), tuple(held), tuple(gone), tuple(dict.fromkeys(warnings)))


def _backup_drafts(drafts: list[_Draft], items: Mapping[str, InventoryItem],
                   purge: Mapping[str, bool]) -> dict[str, str]:
    """For each vault the user agreed to empty (``purge``) that a draft deletes: one draft per backup item
    ("stop protection and delete backup data"), which the vault's (or its group's) draft waits for. Items
    already soft-deleted get one only when soft delete is turned off (undelete, then delete for good).
    Returns item key → the key of the draft that waits for it."""
    parents: dict[str, str] = {}
    for d in list(drafts):
        for m in sorted(d.members):
            vault = items.get(m)
            if vault is None or vault.kind != VAULT or vault.key not in purge:
                continue
            soft = vault.soft_delete
            off = purge[vault.key] and not (soft is not None and soft.always_on)
            at_once = off or (soft is not None and not soft.on)  # turned off as asked, or off already
            for p in vault.protected_items:
                if p.soft_deleted and not off:
                    continue
                op = DeleteOp(p.id, PROTECTED_ITEM, p.name, vault.resource_group,
                              f"Backup data of {p.friendly_name} (vault {vault.name})", vault.run_id, vault.journey,
                              soft_delete_off=at_once)
                drafts.append(_Draft(op, {op.key}))
                d.needs_gone.add(op.key)
                parents[op.key] = d.op.key
    return parents


def _only_useful_purges(runnable: list[_Draft], parents: Mapping[str, str], found: list[b.Blocker],
                        held: list[HeldBack]) -> list[_Draft]:
    """Backup data is deleted to let its vault go: not when the vault (or its group) is blocked by something
    else (a lock, a resource in use…). Waiting out soft delete is no such reason: the data still goes."""
    live = {d.op.key for d in runnable}
    waits = {"VaultKeepsSoftDeletedData"}
    blocked_by_other = {key(x.resource_id) for x in found if x.code not in waits}
    out = []
    for d in runnable:
        parent = parents.get(d.op.key)
        if parent is not None and parent not in live and parent in blocked_by_other:
            held.append(HeldBack(d.op.resource_id, d.op.label, parent,
                                 "kept: the vault it would empty cannot be deleted now (see why above)"))
            continue
        out.append(d)
    return out


def _label(items: Mapping[str, InventoryItem], rid: str) -> str:
    return b.describe(rid, items.get(key(rid)))


def _drafts(inventory: Inventory, items: Mapping[str, InventoryItem], selected: set[str],
            groups: Mapping[str, InventoryItem], emptied: Mapping[str, InventoryItem],
            targets: Mapping[str, InventoryItem], found: list[b.Blocker]) -> list[_Draft]:
    drafts: list[_Draft] = []
    absorbed: dict[str, str] = {}  # target key → the op that deletes it
    for g in groups.values():
        with_it = _group_contents(inventory, items, g)
        foreign = [c.resource_id for c in with_it
                   if c.reason == "in the group" and (items.get(key(c.resource_id)) is None
                                                      or items[key(c.resource_id)].foreign)
                   and key(c.resource_id) not in selected]
        if foreign:
            found.append(b.foreign_blocker(g, foreign, [_label(items, f) for f in foreign]))
            continue
        members = {g.key} | {key(c.resource_id) for c in with_it}
        folded = tuple(t.id for k, t in targets.items() if k in members)
        absorbed.update({k: g.key for k in members})
        cost = total(items[m].cost for m in members if m in items)
        drafts.append(_Draft(DeleteOp(g.id, g.type, g.name, g.resource_group, g.label, g.run_id, g.journey,
                                      with_it=with_it, whole_group=True, folded=folded, cost=cost), members))
    # Each selected resource is deleted by itself, or goes with the selected resource whose cascade reaches
    # it (largest cascades first, so a chain VM → NIC → … folds into the VM).
    closures = {k: _closure(items, t) for k, t in targets.items() if k not in absorbed}
    covered: set[str] = set()
    for k in sorted(closures, key=lambda k: (-len(closures[k]), k)):
        if k in covered:
            continue
        t, with_it = targets[k], tuple(closures[k].values())
        members = {k} | set(closures[k])
        covered |= members
        folded = tuple(targets[m].id for m in sorted(members) if m != k and m in targets)
        cost = total(items[m].cost for m in members if m in items)
        drafts.append(_Draft(DeleteOp(t.id, t.type, t.name, t.resource_group, t.label, t.run_id, t.journey,
                                      with_it=with_it, keeps=t.keeps, folded=folded, cost=cost), members))
    for name, g in emptied.items():
        contents = {key(c) for c in inventory.group_contents.get(name, g.contents)}
        drafts.append(_Draft(DeleteOp(g.id, g.type, g.name, g.resource_group, g.label, g.run_id, g.journey,
                                      cost=g.cost or Cost()), {g.key}, contents, emptied=True))
    return _dedupe(drafts)


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """Each resource deleted by one operation only. A selected VM whose cascade reaches into a whole group
    deletes that part itself, and the group operation then runs after it."""
    owned: set[str] = set()
    for d in sorted(drafts, key=lambda d: (d.op.whole_group, d.emptied)):
        overlap = (d.members & owned) - {d.op.key}
        if overlap:
            d.members -= overlap
            d.needs_gone |= overlap
            d.op = replace(d.op, with_it=tuple(c for c in d.op.with_it if key(c.resource_id) not in overlap))
        owned |= d.members
    return drafts


def _closure(items: Mapping[str, InventoryItem], t: InventoryItem) -> dict[str, Cascade]:
    """Everything Azure deletes with ``t``: its cascade, and theirs (by key, without ``t``)."""
    out: dict[str, Cascade] = {}
    frontier = [t]
    while frontier:
        nxt = []
        for it in frontier:
            for c in it.cascade:
                k = key(c.resource_id)
                if k != t.key and k not in out:
                    out[k] = _with_run(items, c)
                    if k in items:
                        nxt.append(items[k])
        frontier = nxt
    return out


def _with_run(items: Mapping[str, InventoryItem], c: Cascade) -> Cascade:
    it = items.get(key(c.resource_id))
    if it is None or c.run_id:
        return c
    return Cascade(c.resource_id, c.type, c.reason, it.run_id, it.journey)


def _group_contents(inventory: Inventory, items: Mapping[str, InventoryItem], g: InventoryItem) -> tuple[Cascade, ...]:
    """Everything a group delete removes: its contents, and what they cascade (a cluster's MC_ group)."""
    out: dict[str, Cascade] = {}
    for rid in inventory.group_contents.get(g.name.lower(), g.contents):
        out.setdefault(key(rid), _with_run(items, Cascade(rid, kind_of(rid), "in the group")))
    frontier = list(out)
    while frontier:
        nxt = []
        for k in frontier:
            it = items.get(k)
            if it is None:
                continue
            for c in it.cascade:
                if key(c.resource_id) not in out:
                    out[key(c.resource_id)] = _with_run(items, c)
                    nxt.append(key(c.resource_id))
            for rid in it.contents:  # a cascaded MC_ group's own contents
                if key(rid) not in out:
                    out[key(rid)] = Cascade(rid, kind_of(rid), f"in {it.name}, deleted with it")
        frontier = nxt
    out.pop(g.key, None)
    return tuple(out.values())


def _users(inventory: Inventory) -> dict[str, dict[str, str]]:
    """For each resource (key): who uses it (key → id), from both sides' references."""
    users: dict[str, dict[str, str]] = {}
    for it in inventory.items:
        if not it.exists:
            continue
        for used in it.uses:
            if key(used) != it.key:
                users.setdefault(key(used), {})[it.key] = it.id
        for user in it.used_by:
            if key(user) != it.key:
                users.setdefault(it.key, {})[key(user)] = user
    return users


def _settle(drafts: list[_Draft], items: Mapping[str, InventoryItem], users: Mapping[str, Mapping[str, str]],
            inventory: Inventory, selected: set[str], found: list[b.Blocker],
            purge: Mapping[str, bool]) -> tuple[list[_Draft], list[HeldBack]]:
    """Drop blocked operations (locks, vaults, a user that stays, operations that need each other gone first),
    then, until nothing changes, those that would have to wait for a dropped one."""
    held: list[HeldBack] = []
    planned = {m for d in drafts for m in d.members}  # what the selection would delete if nothing blocked
    runnable: list[_Draft] = []
    for d in drafts:
        own = _own_blockers(d, items, inventory, selected, purge)
        found.extend(own)
        if own:
            held += _folded_held(d, items)
        else:
            runnable.append(d)
    while True:
        runnable = _hold(runnable, planned, items, users, found, held)
        cyclic = _cycles(runnable, users)
        if not cyclic:
            return runnable, held
        for d in cyclic:
            others = [x.op.label for x in cyclic if x is not d]
            found.append(b.cycle_blocker(d.op.resource_id, d.op.label, others, d.op.whole_group))
            held += _folded_held(d, items)
        runnable = [d for d in runnable if d not in cyclic]


def _hold(runnable: list[_Draft], planned: set[str], items: Mapping[str, InventoryItem],
          users: Mapping[str, Mapping[str, str]], found: list[b.Blocker], held: list[HeldBack]) -> list[_Draft]:
    while True:
        deleted = {m for d in runnable for m in d.members}
        dropped = []
        for d in runnable:
            conflict = _conflict(d, items, users, deleted)
            if conflict is None:
                continue
            member, user = conflict
            dropped.append(d)
            left = sorted(c for c in d.contents_required if c not in planned)
            if left:
                found.append(b.group_not_empty_blocker(items[d.op.key], left, [_label(items, c) for c in left]))
            elif key(user) in planned:  # it was to be deleted too, but is blocked: wait for it
                held.append(HeldBack(d.op.resource_id, d.op.label, user,
                                     f"waits for {_label(items, user)}, which cannot be deleted now"))
            else:
                found.append(b.in_use_blocker(d.op.resource_id, d.op.label, member, _label(items, member), user,
                                              _label(items, user)))
            held += _folded_held(d, items)
        if not dropped:
            return runnable
        runnable = [d for d in runnable if d not in dropped]


def _edges(runnable: list[_Draft], users: Mapping[str, Mapping[str, str]]) -> dict[str, set[str]]:
    """For each operation (key): the operations that must finish before it."""
    owner = {m: d.op.key for d in runnable for m in d.members}
    after: dict[str, set[str]] = {d.op.key: set() for d in runnable}
    for d in runnable:
        firsts = [owner.get(_deleted_with(u, owner) or u) for m in d.members for u in users.get(m, {})]
        firsts += [owner.get(c) for c in d.contents_required | d.needs_gone]
        after[d.op.key] |= {f for f in firsts if f is not None and f != d.op.key}
    return after


def _cycles(runnable: list[_Draft], users: Mapping[str, Mapping[str, str]]) -> list[_Draft]:
    """Operations on a dependency cycle (each needs another gone first): no order can work. Only possible
    when a whole group is one operation and something outside it both uses and is used by its contents."""
    after = _edges(runnable, users)
    on_cycle = set()
    for start in after:
        seen: set[str] = set()
        stack = list(after[start])
        while stack:
            k = stack.pop()
            if k == start:
                on_cycle.add(start)
                break
            if k not in seen:
                seen.add(k)
                stack.extend(after.get(k, ()))
    return [d for d in runnable if d.op.key in on_cycle]


def _folded_held(d: _Draft, items: Mapping[str, InventoryItem]) -> list[HeldBack]:
    return [HeldBack(f, _label(items, f), d.op.resource_id, f"goes with {d.op.label}, which cannot be deleted now")
            for f in d.op.folded]


def _own_blockers(d: _Draft, items: Mapping[str, InventoryItem], inventory: Inventory,
                  selected: set[str], purge: Mapping[str, bool]) -> list[b.Blocker]:
    if d.op.kind == PROTECTED_ITEM:
        return []  # its vault's operation carries the reasons (a lock on the vault…): _only_useful_purges
    out: list[b.Blocker] = []
    seen: set[str] = set()
    for lock in inventory.locks:
        if lock.id in seen:
            continue
        # a group deleted once emptied: locks inside it belong to its contents' own operations
        if any(within(m, lock.scope) if d.emptied else lock.covers(m) for m in d.members):
            seen.add(lock.id)
            out.append(b.lock_blocker(d.op.resource_id, d.op.label, lock, whole_group=d.op.whole_group))
    for m in sorted(d.members):
        it = items.get(m)
        if it is not None and it.kind == VAULT and it.protected_items:
            out += b.vault_blockers(d.op.resource_id, it, purge.get(it.key))
    foreign = [items[m].id for m in sorted(d.members) if m in items and items[m].foreign and m not in selected]
    if foreign:
        out.append(b.foreign_cascade_blocker(d.op.resource_id, d.op.label, foreign,
                                             [_label(items, f) for f in foreign]))
    return out


# Extension resources that go when the resource they extend is deleted (never a lock: it stops the delete).
GOES_WITH_PARENT = frozenset({DCRA})


def _deleted_with(k: str, members: Mapping[str, str] | set[str]) -> str | None:
    """The member that deletes ``k``: ``k`` itself, or the resource it is an extension of (a data collection rule
    association under a cluster's id goes with the cluster: such resources are "deleted if the parent resource is
    deleted", https://learn.microsoft.com/azure/azure-resource-manager/templates/deployment-complete-mode-deletion,
    which lists Microsoft.Insights/dataCollectionRuleAssociations among them)."""
    if k in members:
        return k
    parent, _, tail = k.rpartition("/providers/")
    if parent and "/".join(tail.split("/")[:2]).lower() in GOES_WITH_PARENT:
        return parent if parent in members else None
    return None


def _conflict(d: _Draft, items: Mapping[str, InventoryItem], users: Mapping[str, Mapping[str, str]],
              deleted: set[str]) -> tuple[str, str] | None:
    """(member, user): something this operation deletes that a resource which stays still uses."""
    for m in sorted(d.members):
        for user_key, user in sorted(users.get(m, {}).items()):
            if _deleted_with(user_key, deleted) is None:
                return (items[m].id if m in items else m), user
    for c in sorted(d.contents_required | d.needs_gone):
        if c not in deleted:
            return d.op.resource_id, items[c].id if c in items else c
    return None


def _ordered(runnable: list[_Draft], users: Mapping[str, Mapping[str, str]]) -> list[DeleteOp]:
    """Topological order (Kahn; the graph is acyclic after _settle), ready operations by the C6 rank, then
    group and name."""
    after = _edges(runnable, users)
    by_key = {d.op.key: d.op for d in runnable}
    done: list[DeleteOp] = []
    placed: set[str] = set()
    pending = set(by_key)

    def rank(k: str) -> tuple[int, str, str]:
        op = by_key[k]
        return KIND_RANK.get(op.kind, 3), op.resource_group.lower(), op.name.lower()

    while pending:
        ready = sorted((k for k in pending if after[k] <= placed), key=rank)
        if not ready:
            raise ValueError(f"dependency cycle among {sorted(pending)}")
        for k in ready:
            done.append(_with_after(by_key[k], after[k]))
            placed.add(k)
            pending.discard(k)
    return done


def _with_after(op: DeleteOp, after: set[str]) -> DeleteOp:
    return replace(op, after=tuple(sorted(after)))


# The blockers that stopping protection and deleting the backup data resolves.
VAULT_CODES = frozenset({"VaultHasProtectedItems", "VaultHasSoftDeletedItems", "VaultKeepsSoftDeletedData"})


def backup_vaults(plan: DeletionPlan, inventory: Inventory) -> list[InventoryItem]:
    """The vaults whose backup data blocks ``plan`` (the vault itself, or the group holding it): what the user
    may ask to stop protecting and delete the data of (``plan_deletion(..., backup_data=...)``)."""
    from .model import within

    targets = [x.resource_id for x in plan.blockers if x.code in VAULT_CODES]
    return [v for v in inventory.items if v.exists and v.protected_items and any(within(v.id, t) for t in targets)]
