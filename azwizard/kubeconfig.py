"""Merging a cluster's credentials into the user's kubeconfig, as ``az aks get-credentials`` does.

``az aks get-credentials`` (azure-cli ``acs/custom.py``: ``merge_kubernetes_configurations`` and
``_handle_merge``) reads the kubeconfig the API hands out, renames its context when asked, and merges its
``clusters``, ``users`` and ``contexts`` into the existing file by name: an entry that is identical is
left as it is, a *different* entry of the same name is only replaced after the user agrees (or with
``--overwrite-existing``); everything else in the file is kept, and ``current-context`` becomes the new
context. The file is written with mode 0600, since it holds credentials.

azwizard does the same with two pure steps the UI can put a confirmation between:
:func:`merge_kubeconfig` (reports the conflicts instead of prompting) and :func:`write_kubeconfig` (keeps a
timestamped backup of the old file, then replaces it atomically with mode 0600).

After a cluster is deleted, :func:`forget_cluster` takes out what the merge put in: its ``clusters`` entry
(found by the API server's host, else by the names ``az aks get-credentials`` gives), the contexts that use
it and the users only those contexts used, and clears ``current-context`` when it named one of them (what
``kubectl config delete-context`` / ``delete-cluster`` / ``delete-user`` do one by one,
https://kubernetes.io/docs/reference/kubectl/generated/kubectl_config/).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .atomicfile import backup_copy
from .userfiles import output_target, write_user_text

__all__ = ["Conflict", "ForgetResult", "KubeconfigError", "MergeResult", "default_kubeconfig_path",
           "forget_cluster", "kubeconfig_target", "merge_kubeconfig", "write_kubeconfig"]

SECTIONS = ("clusters", "users", "contexts")


class KubeconfigError(ValueError):
    """A kubeconfig that can't be read as one (not YAML, or not a mapping with lists of named entries)."""


@dataclass(frozen=True)
class Conflict:
    """An entry of the new kubeconfig whose name is taken by a different entry in the existing file."""

    section: str  # "clusters" | "users" | "contexts"
    name: str

    def describe(self) -> str:
        return f"{self.section[:-1]} '{self.name}'"


@dataclass(frozen=True)
class MergeResult:
    """``text`` is the merged kubeconfig to write, or ``None`` when ``conflicts`` stopped the merge
    (``overwrite=False``). ``replaced`` lists the conflicts that were overwritten, ``added`` the entries
    that are new, ``unchanged`` those already present and identical."""

    text: str | None
    context: str
    conflicts: tuple[Conflict, ...] = ()
    replaced: tuple[Conflict, ...] = ()
    added: tuple[Conflict, ...] = ()
    unchanged: tuple[Conflict, ...] = ()

    @property
    def ok(self) -> bool:
        return self.text is not None


def default_kubeconfig_path(env: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """The file kubectl reads first: the first path of ``$KUBECONFIG``, else ``~/.kube/config``."""
    env = os.environ if env is None else env
    for part in env.get("KUBECONFIG", "").split(os.pathsep):
        if part.strip():
            return Path(part.strip()).expanduser()
    return (home or Path.home()) / ".kube" / "config"


MAX_DEPTH = 64  # a kubeconfig nests 4 levels; PyYAML takes seconds to fail on thousands of [ or {


def _flow_depth(text: str) -> int:
    """The deepest nesting of YAML flow collections ([ and {), counted roughly (brackets in strings count too:
    an overestimate only refuses absurd files)."""
    depth = deepest = 0
    for c in text:
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth = max(depth - 1, 0)
    return deepest


def kubeconfig_target(demo: bool) -> Path:
    """Where azwizard merges credentials: demo mode never touches the real kubeconfig (a file under the data
    dir), else the file kubectl reads first."""
    if demo:
        from .paths import data_dir

        return data_dir() / "demo" / "kube" / "config"
    return default_kubeconfig_path()


def _load(text: str | None, what: str) -> dict[str, Any]:
    if text is None or not text.strip():
        return {}
    if _flow_depth(text) > MAX_DEPTH:
        raise KubeconfigError(f"The {what} is not a kubeconfig: it is nested too deeply.")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KubeconfigError(f"The {what} is not valid YAML: {exc}") from None
    except RecursionError:  # PyYAML nests one call per [ or {: a hostile file exhausts the stack
        raise KubeconfigError(f"The {what} is not a kubeconfig: it is nested too deeply.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KubeconfigError(f"The {what} is not a kubeconfig (a YAML mapping with clusters, users, contexts).")
    for section in SECTIONS:
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise KubeconfigError(f"The {what} has a '{section}' entry that is not a list of named entries.")
    return data


def merge_kubeconfig(existing_yaml: str | None, new_yaml: str, *, context_name: str,
                     overwrite: bool) -> MergeResult:
    """Merge ``new_yaml`` (one cluster's kubeconfig) into ``existing_yaml`` (``None`` or "" = no file yet).

    The new context is renamed ``context_name`` and becomes ``current-context``. Entries are matched by
    name within each section; nothing else of the existing file is lost (other entries, ``preferences``,
    ``extensions``, unknown keys). A different entry with a taken name is a conflict: with ``overwrite``
    it is replaced in place, without it nothing is merged and the conflicts are returned.
    """
    existing = _load(existing_yaml, "existing kubeconfig")
    addition = _load(new_yaml, "cluster's kubeconfig")
    contexts = addition.get("contexts") or []
    if not contexts:
        raise KubeconfigError("The cluster's kubeconfig has no context.")
    # As az does with --context: the (first) context is renamed, and it becomes the current one.
    old_name = contexts[0].get("name")
    contexts[0] = {**contexts[0], "name": context_name}
    if addition.get("current-context") in (None, old_name):
        addition["current-context"] = context_name

    merged: dict[str, Any] = dict(existing) if existing else {"apiVersion": "v1", "kind": "Config",
                                                             "preferences": {}}
    conflicts: list[Conflict] = []
    replaced: list[Conflict] = []
    added: list[Conflict] = []
    unchanged: list[Conflict] = []
    sections: dict[str, list[dict[str, Any]]] = {s: list(merged.get(s) or []) for s in SECTIONS}
    for section in SECTIONS:
        target = sections[section]
        for entry in addition.get(section) or []:
            name = entry.get("name")
            where = next((i for i, e in enumerate(target) if name is not None and e.get("name") == name), None)
            ref = Conflict(section, str(name))
            if where is None:
                target.append(entry)
                added.append(ref)
            elif target[where] == entry:
                unchanged.append(ref)
            elif overwrite:
                target[where] = entry
                replaced.append(ref)
            else:
                conflicts.append(ref)
    if conflicts:
        return MergeResult(None, context_name, tuple(conflicts), (), tuple(added), tuple(unchanged))
    for section in SECTIONS:
        merged[section] = sections[section]
    merged.setdefault("apiVersion", "v1")
    merged.setdefault("kind", "Config")
    merged["current-context"] = addition["current-context"]
    text = yaml.safe_dump(merged, default_flow_style=False, sort_keys=False)
    return MergeResult(text, context_name, (), tuple(replaced), tuple(added), tuple(unchanged))


def write_kubeconfig(path: Path, text: str, *, clock: Any = time.time) -> Path | None:
    """Write ``text`` to ``path`` with mode 0600, atomically (a temporary file in the same directory,
    then a rename), after copying an existing file to ``<path>.bak-<YYYYmmdd-HHMMSS>`` (also 0600: it
    holds credentials too). Creates the directory (0700) when missing. Returns the backup's path, if any.
    A linked kubeconfig (a dotfiles repo) has its target written and keeps the link; anything there that is not
    a regular file (a FIFO, a device, a directory) is refused (:class:`~azwizard.userfiles.OutputFileError`)."""
    target, existing = output_target(path)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    backup: Path | None = None
    if existing is not None:
        backup = backup_copy(target, time.strftime("%Y%m%d-%H%M%S", time.localtime(clock())))
    write_user_text(target, text, mode=0o600, keep_mode=False)  # credentials: 0600 whatever it was
    return backup


@dataclass(frozen=True)
class ForgetResult:
    """``text`` is the kubeconfig without the cluster's entries, or ``None`` when it had none (nothing to
    write). ``current_reset``: ``current-context`` named a removed context and was cleared."""

    text: str | None
    contexts: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    current_reset: bool = False

    @property
    def changed(self) -> bool:
        return self.text is not None

    def describe(self) -> str:
        parts = [f"{label} {', '.join(names)}" for label, names in
                 (("context", self.contexts), ("cluster", self.clusters), ("user", self.users)) if names]
        return "; ".join(parts)


def _host(server: object) -> str:
    from urllib.parse import urlsplit

    try:
        return (urlsplit(str(server or "")).hostname or "").lower()
    except ValueError:
        return ""


def forget_cluster(existing_yaml: str | None, *, name: str, resource_group: str,
                   fqdns: tuple[str, ...] = ()) -> ForgetResult:
    """The kubeconfig without the entries of the deleted AKS cluster ``name`` in ``resource_group``.

    A ``clusters`` entry is the cluster's when its server's host, or its ``tls-server-name`` (the name a
    server reached at another address answers for: demo mode's loopback API servers), is one of ``fqdns`` (the
    cluster's FQDN and private FQDN); with no FQDN known, when it has the cluster's name and a context pairs it with the user
    ``clusterUser_<group>_<name>`` or ``clusterAdmin_<group>_<name>`` (the names ``az aks get-credentials``
    writes). Its contexts go, and the users no remaining context uses. Everything else is kept as it was."""
    data = _load(existing_yaml, "kubeconfig")
    if not data:
        return ForgetResult(None)
    hosts = {f.lower() for f in fqdns if f}
    own_users = {f"clusterUser_{resource_group}_{name}", f"clusterAdmin_{resource_group}_{name}"}
    clusters = list(data.get("clusters") or [])
    contexts = list(data.get("contexts") or [])
    users = list(data.get("users") or [])

    def ctx(entry: dict[str, Any]) -> dict[str, Any]:
        inner = entry.get("context")
        return inner if isinstance(inner, dict) else {}

    if hosts:
        gone_clusters = {str(c.get("name")) for c in clusters
                         if _host((c.get("cluster") or {}).get("server")) in hosts
                         or str((c.get("cluster") or {}).get("tls-server-name") or "").lower() in hosts}
    else:
        gone_clusters = {name} if any(ctx(c).get("cluster") == name and ctx(c).get("user") in own_users
                                      for c in contexts) else set()
    if not gone_clusters:
        return ForgetResult(None)
    gone_contexts = [c for c in contexts if ctx(c).get("cluster") in gone_clusters]
    kept_contexts = [c for c in contexts if c not in gone_contexts]
    still_used = {ctx(c).get("user") for c in kept_contexts}
    dropped_users = {ctx(c).get("user") for c in gone_contexts} - still_used
    data["clusters"] = [c for c in clusters if str(c.get("name")) not in gone_clusters]
    data["contexts"] = kept_contexts
    data["users"] = [u for u in users if u.get("name") not in dropped_users]
    names = {str(c.get("name")) for c in gone_contexts}
    reset = data.get("current-context") in names
    if reset:
        data["current-context"] = ""  # as `kubectl config unset current-context` leaves it
    text = yaml.safe_dump(data, default_flow_style=False, sort_keys=False)
    return ForgetResult(text, tuple(sorted(names)), tuple(sorted(gone_clusters)),
                        tuple(sorted(str(u) for u in dropped_users)), reset)
