"""After a deletion: take each deleted AKS cluster's entries out of the kubeconfig azwizard merged them into
(``azwizard.kubeconfig.forget_cluster``), keeping a 0600 backup of the file first. What ``az aks delete``
leaves behind otherwise: a context pointing at a server that no longer exists, perhaps the current one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..kubeconfig import KubeconfigError, forget_cluster, write_kubeconfig
from ..userfiles import read_output_text
from .model import CLUSTER, Inventory, group_name, key, kind_of, name_of, top_level


@dataclass(frozen=True)
class KubeTidy:
    """What was taken out of ``path`` (one line per cluster), the backup written first, or why not."""

    path: Path
    removed: tuple[str, ...] = ()
    backup: Path | None = None
    current_reset: bool = False
    error: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.removed)

    def lines(self) -> list[str]:
        if self.error:
            return [f"kubeconfig {self.path} not tidied: {self.error}"]
        out = [f"kubeconfig {self.path}: removed {r}" for r in self.removed]
        if self.backup is not None:
            out.append(f"kubeconfig backup (mode 0600): {self.backup}")
        if self.current_reset:
            out.append("kubeconfig current-context pointed at a deleted cluster and was cleared: "
                       "`kubectl config use-context <name>` picks another")
        return out


def deleted_clusters(deleted: Iterable[str]) -> list[str]:
    return sorted({d for d in deleted if kind_of(d).lower() == CLUSTER and key(top_level(d)) == key(d)}, key=str.lower)


def tidy_kubeconfig(deleted: Iterable[str], inventory: Inventory, path: Path) -> KubeTidy | None:
    """Remove the entries of every AKS cluster in ``deleted`` (verified-gone ids) from ``path``; None when no
    cluster was deleted or the file does not exist. Never raises for a bad file: the reason is returned."""
    clusters = deleted_clusters(deleted)
    if not clusters:
        return None
    try:
        text: str | None = read_output_text(path)  # a FIFO or a device there is refused, never read
    except OSError as exc:
        return KubeTidy(path, error=str(exc))
    if text is None:
        return None
    removed: list[str] = []
    reset = False
    for cid in clusters:
        item = inventory.get(cid)
        details = dict(item.details) if item is not None else {}
        fqdns = tuple(v for k, v in details.items() if k in ("fqdn", "private fqdn") and v)
        try:
            result = forget_cluster(text, name=name_of(cid), resource_group=group_name(cid), fqdns=fqdns)
        except KubeconfigError as exc:
            return KubeTidy(path, error=str(exc))
        if result.changed:
            text = result.text
            removed.append(f"{name_of(cid)} ({result.describe()})")
            reset = reset or result.current_reset
    if not removed or text is None:
        return KubeTidy(path)
    try:
        backup = write_kubeconfig(path, text)
    except OSError as exc:
        return KubeTidy(path, error=str(exc))
    return KubeTidy(path, tuple(removed), backup, reset)


__all__ = ["KubeTidy", "deleted_clusters", "tidy_kubeconfig"]
