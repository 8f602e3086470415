"""Management locks on where a journey creates, read before anything is sent (issue 19 item 3).

A ``ReadOnly`` lock on the subscription or on the target resource group makes Azure refuse every create and
change there (``ScopeLocked``); a ``CanNotDelete`` lock lets the create through but stops cleanup from deleting
what it made until the lock is removed. Locks are inherited by everything below their scope.
https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources#lock-inheritance
https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources#considerations-before-applying-your-locks

The locks are read with one call (``GET /subscriptions/{id}/providers/Microsoft.Authorization/locks``, which
lists the locks at resource-group and resource scope too: https://learn.microsoft.com/rest/api/resources/management-locks/list-at-subscription-level)
as part of the subscription's facts (azure/catalog.py), so the rules stay pure. Cleanup reads the same list for
its own blockers (cleanup/inventory.py, cleanup/model.py ``Lock``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .azure.session import ClientFactory
    from .rules.model import Issue

SRC_LOCKS = "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources"
_MARKER = "/providers/microsoft.authorization/locks/"


@dataclass(frozen=True)
class ScopeLock:
    """One management lock as plain data: its id (the scope it protects, then ``/providers/Microsoft.Authorization/
    locks/{name}``), its name and level (``CanNotDelete`` | ``ReadOnly``)."""

    id: str
    name: str
    level: str

    @property
    def scope(self) -> str:
        at = self.id.lower().rfind(_MARKER)
        return self.id[:at] if at >= 0 else self.id

    @property
    def read_only(self) -> bool:
        return self.level.lower() == "readonly"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "level": self.level}

    @classmethod
    def from_dict(cls, d: Any) -> ScopeLock:
        return cls(str(d.get("id", "")), str(d.get("name", "")), str(d.get("level", "")))


def read_locks(factory: ClientFactory) -> tuple[ScopeLock, ...]:
    """Every lock in the subscription (one request)."""
    from .azure.ops import list_locks

    return tuple(ScopeLock(d["id"], d["name"], d["level"]) for d in list_locks(factory))


def _scope_parts(scope: str) -> list[str]:
    return [p for p in scope.strip("/").split("/") if p]


def locks_on_group(locks: Iterable[ScopeLock], subscription_id: str, group: str) -> list[ScopeLock]:
    """The locks that apply to everything created in ``group``: on the subscription, or on the group itself."""
    out = []
    for lock in locks:
        parts = _scope_parts(lock.scope)
        if len(parts) < 2 or parts[0].lower() != "subscriptions" or parts[1].lower() != subscription_id.lower():
            continue
        if len(parts) == 2 or (len(parts) == 4 and parts[2].lower() == "resourcegroups"
                               and parts[3].lower() == group.lower()):
            out.append(lock)
    return out


def _where_and_remove(lock: ScopeLock) -> tuple[str, str]:
    parts = _scope_parts(lock.scope)
    if len(parts) == 2:
        return "the subscription", f"az lock delete --name '{lock.name}' --subscription {parts[1]}"
    return (f"resource group {parts[3]}",
            f"az lock delete --name '{lock.name}' --resource-group '{parts[3]}' --subscription {parts[1]}")


def lock_issues(locks: Iterable[ScopeLock] | None, subscription_id: str, group: str, what: str) -> Iterator[Issue]:
    """Blocking for a ReadOnly lock over the target group (every create there is refused), a warning for a
    CanNotDelete one (cleanup could not delete ``what`` until the lock goes); each with what to do."""
    from .rules.model import Issue

    if locks is None:
        return
    for lock in locks_on_group(locks, subscription_id, group):
        where, remove = _where_and_remove(lock)
        if lock.read_only:
            yield Issue(f"{where[0].upper()}{where[1:]} has a ReadOnly lock '{lock.name}': Azure refuses every "
                        f"create and change in it (ScopeLocked), so {what} cannot be created there. Remove the lock "
                        f"(`{remove}`, if you may: it needs Owner or User Access Administrator), or pick another "
                        "resource group.", severity="block")
        else:
            yield Issue(f"{where[0].upper()}{where[1:]} has a CanNotDelete lock '{lock.name}': {what} can be "
                        "created, but cleanup cannot delete it (nor the group) while the lock is there. To clean up "
                        f"later, remove the lock first (`{remove}`).", severity="warn")
