"""Merging a cluster's credentials into an existing kubeconfig the way `az aks get-credentials` does:
nothing of the other contexts is lost, conflicts need a yes, the old file is backed up, the new one is 0600."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from azwizard.kubeconfig import (
    Conflict,
    KubeconfigError,
    default_kubeconfig_path,
    forget_cluster,
    merge_kubeconfig,
    write_kubeconfig,
)
from azwizard.sim import ArmSim
from azwizard.specs.aks import preset_dev_dual_stack

EXISTING = """\
apiVersion: v1
kind: Config
preferences:
  colors: true
clusters:
- cluster:
    server: https://kind.local:6443
    certificate-authority-data: S0lORA==
  name: kind-dev
- cluster:
    server: https://prod.example.com
  name: prod
contexts:
- context:
    cluster: kind-dev
    user: kind-dev
    namespace: work
  name: kind-dev
- context:
    cluster: prod
    user: prod-admin
  name: prod
current-context: kind-dev
users:
- name: kind-dev
  user:
    client-certificate-data: Q0VSVA==
- name: prod-admin
  user:
    token: secret-token
extensions:
- name: my-extension
  extension: {a: 1}
"""


def cluster_kubeconfig(name: str = "aks-dev", rg: str = "aks-dev-RG", server: str = "https://aks-dev.hcp.x:443") -> str:
    user = f"clusterUser_{rg}_{name}"
    return yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "preferences": {},
        "clusters": [{"name": name, "cluster": {"server": server, "certificate-authority-data": "Q0E="}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": user}}],
        "current-context": name,
        "users": [{"name": user, "user": {"token": "abc"}}],
    })


def names(doc: dict[str, Any], section: str) -> list[str]:
    return [e["name"] for e in doc[section]]


def test_merge_keeps_everything_of_the_other_contexts() -> None:
    result = merge_kubeconfig(EXISTING, cluster_kubeconfig(), context_name="aks-dev", overwrite=False)
    assert result.ok and not result.conflicts
    merged = yaml.safe_load(result.text or "")
    before = yaml.safe_load(EXISTING)
    for section in ("clusters", "users", "contexts"):
        # every old entry is still there, unchanged and in its place; the new one is appended
        assert merged[section][: len(before[section])] == before[section]
    assert names(merged, "contexts") == ["kind-dev", "prod", "aks-dev"]
    assert names(merged, "users") == ["kind-dev", "prod-admin", "clusterUser_aks-dev-RG_aks-dev"]
    assert merged["current-context"] == "aks-dev"
    assert merged["preferences"] == {"colors": True}
    assert merged["extensions"] == before["extensions"]
    assert {c.section for c in result.added} == {"clusters", "users", "contexts"}


def test_no_existing_file_gives_the_cluster_config() -> None:
    for existing in (None, "", "\n"):
        result = merge_kubeconfig(existing, cluster_kubeconfig(), context_name="aks-dev", overwrite=False)
        merged = yaml.safe_load(result.text or "")
        assert merged["apiVersion"] == "v1" and merged["kind"] == "Config"
        assert names(merged, "contexts") == ["aks-dev"] and merged["current-context"] == "aks-dev"


def test_context_is_renamed_and_made_current() -> None:
    result = merge_kubeconfig(EXISTING, cluster_kubeconfig(), context_name="my-cluster", overwrite=False)
    merged = yaml.safe_load(result.text or "")
    assert names(merged, "contexts")[-1] == "my-cluster"
    assert merged["contexts"][-1]["context"]["cluster"] == "aks-dev"  # only the context's own name changes
    assert merged["current-context"] == "my-cluster"


def test_identical_entries_are_not_conflicts() -> None:
    first = merge_kubeconfig(EXISTING, cluster_kubeconfig(), context_name="aks-dev", overwrite=False)
    again = merge_kubeconfig(first.text, cluster_kubeconfig(), context_name="aks-dev", overwrite=False)
    assert again.ok and not again.conflicts and len(again.unchanged) == 3
    assert yaml.safe_load(again.text or "") == yaml.safe_load(first.text or "")


def test_a_different_entry_of_the_same_name_needs_overwrite() -> None:
    first = merge_kubeconfig(EXISTING, cluster_kubeconfig(), context_name="aks-dev", overwrite=False).text
    recreated = cluster_kubeconfig(server="https://aks-dev-new.hcp.x:443")
    refused = merge_kubeconfig(first, recreated, context_name="aks-dev", overwrite=False)
    assert not refused.ok and refused.text is None
    assert refused.conflicts == (Conflict("clusters", "aks-dev"),)
    assert refused.conflicts[0].describe() == "cluster 'aks-dev'"
    accepted = merge_kubeconfig(first, recreated, context_name="aks-dev", overwrite=True)
    merged = yaml.safe_load(accepted.text or "")
    assert accepted.replaced == (Conflict("clusters", "aks-dev"),)
    assert names(merged, "clusters") == ["kind-dev", "prod", "aks-dev"]  # replaced in place, no duplicate
    assert merged["clusters"][-1]["cluster"]["server"] == "https://aks-dev-new.hcp.x:443"
    assert names(merged, "contexts") == ["kind-dev", "prod", "aks-dev"]


def test_a_context_name_taken_by_another_cluster_is_a_conflict() -> None:
    result = merge_kubeconfig(EXISTING, cluster_kubeconfig(), context_name="prod", overwrite=False)
    assert result.conflicts == (Conflict("contexts", "prod"),)


@pytest.mark.parametrize("bad", ["{not yaml: [", "- a list\n- not a mapping\n", "clusters: 3\n"])
def test_unreadable_existing_file_is_refused(bad: str) -> None:
    with pytest.raises(KubeconfigError):
        merge_kubeconfig(bad, cluster_kubeconfig(), context_name="aks-dev", overwrite=False)


def test_write_backs_up_and_writes_0600(tmp_path: Path) -> None:
    path = tmp_path / "kube" / "config"
    assert write_kubeconfig(path, "first: 1\n") is None  # no old file, no backup
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.chmod(0o644)
    backup = write_kubeconfig(path, "second: 2\n", clock=lambda: 1_800_000_000.0)
    assert backup is not None and backup.name.startswith("config.bak-")
    assert backup.read_text() == "first: 1\n"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert path.read_text() == "second: 2\n" and stat.S_IMODE(path.stat().st_mode) == 0o600
    again = write_kubeconfig(path, "third: 3\n", clock=lambda: 1_800_000_000.0)
    assert again is not None and again != backup and backup.read_text() == "first: 1\n"
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "kubeconfig"
    real.parent.mkdir()
    real.write_text("old: 1\n")
    link = tmp_path / "config"
    link.symlink_to(real)
    write_kubeconfig(link, "new: 2\n")
    assert link.is_symlink() and real.read_text() == "new: 2\n"


def test_default_path_follows_kubeconfig_env(tmp_path: Path) -> None:
    assert default_kubeconfig_path({}, home=tmp_path) == tmp_path / ".kube" / "config"
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    env = {"KUBECONFIG": f"{first}:{second}"}
    assert default_kubeconfig_path(env, home=tmp_path) == first
    assert default_kubeconfig_path({"KUBECONFIG": ""}, home=tmp_path) == tmp_path / ".kube" / "config"


def test_merges_the_simulators_kubeconfig(sim: ArmSim, sdk: Any, rg: str, tmp_path: Path) -> None:
    """The credentials the API hands out (base64 YAML in kubeconfigs[0].value) merge as they are."""
    from azwizard.plan.aks import plan_aks

    spec = preset_dev_dual_stack().with_(resource_group=rg, use_existing_group=True)
    step = plan_aks(spec, subscription_id=sim.subscription_id, run_id="r", created_at="t").step("aks")
    sdk.containerservice.managed_clusters.begin_create_or_update(rg, step.name, dict(step.body)).result()
    creds = sdk.containerservice.managed_clusters.list_cluster_user_credentials(rg, step.name)
    value = creds.kubeconfigs[0].value
    text = (value if isinstance(value, bytes) else base64.b64decode(value)).decode()
    path = tmp_path / "config"
    path.write_text(EXISTING)
    result = merge_kubeconfig(path.read_text(), text, context_name=step.name, overwrite=False)
    backup = write_kubeconfig(path, result.text or "")
    merged = yaml.safe_load(path.read_text())
    assert names(merged, "contexts") == ["kind-dev", "prod", step.name]
    assert merged["current-context"] == step.name
    assert merged["clusters"][-1]["cluster"]["server"].startswith("https://")
    assert backup is not None and backup.read_text() == EXISTING


def test_backup_is_created_0600_not_chmodded_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The backup holds credentials: it is created with mode 0600, so it never exists at the umask's mode (with
    chmod after the copy, an interruption, or chmod failing, left a 0644 copy of the credentials)."""
    path = tmp_path / "config"
    path.write_text("old: secret\n")
    old_umask = os.umask(0o022)
    try:
        monkeypatch.setattr(os, "chmod", lambda *a, **k: None)  # as if the process died right after the copy
        backup = write_kubeconfig(path, "new: 1\n")
    finally:
        os.umask(old_umask)
    assert backup is not None and backup.read_text() == "old: secret\n"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


@pytest.mark.parametrize("text", ["[" * 3000, "{a: " * 2000, "a: " + "[" * 65 + "]" * 65])
def test_a_deeply_nested_kubeconfig_is_refused_quickly(text: str) -> None:
    """PyYAML recursed until RecursionError (seconds later) on thousands of [ or {: refused up front, as not a
    kubeconfig (found by benchmarks/fuzz.py)."""
    from azwizard.kubeconfig import KubeconfigError, merge_kubeconfig

    with pytest.raises(KubeconfigError, match="nested too deeply"):
        merge_kubeconfig(text, "contexts: [{name: c, context: {}}]\n", context_name="c", overwrite=False)


# ------------------------------------------------------------------ forgetting a deleted cluster


def merged_with_cluster(name: str = "aks-dev", rg: str = "aks-dev-RG",
                        server: str = "https://aks-dev.hcp.x:443") -> str:
    result = merge_kubeconfig(EXISTING, cluster_kubeconfig(name, rg, server), context_name=name, overwrite=False)
    assert result.text is not None
    return result.text


def test_forget_removes_the_clusters_entries_and_resets_current_context() -> None:
    text = merged_with_cluster()
    result = forget_cluster(text, name="aks-dev", resource_group="aks-dev-RG", fqdns=("aks-dev.hcp.x",))
    assert result.changed and result.current_reset
    doc = yaml.safe_load(result.text or "")
    before = yaml.safe_load(EXISTING)
    for section in ("clusters", "contexts", "users"):
        assert doc[section] == before[section]  # everything else exactly as it was
    assert doc["current-context"] == ""  # it pointed at the deleted cluster
    assert doc["preferences"] == before["preferences"] and doc["extensions"] == before["extensions"]
    assert (result.contexts, result.clusters, result.users) == (("aks-dev",), ("aks-dev",),
                                                              ("clusterUser_aks-dev-RG_aks-dev",))


def test_forget_keeps_current_context_when_it_names_another_cluster() -> None:
    doc = yaml.safe_load(merged_with_cluster())
    doc["current-context"] = "prod"
    result = forget_cluster(yaml.safe_dump(doc), name="aks-dev", resource_group="aks-dev-RG",
                            fqdns=("aks-dev.hcp.x",))
    out = yaml.safe_load(result.text or "")
    assert not result.current_reset and out["current-context"] == "prod"
    assert names(out, "contexts") == ["kind-dev", "prod"]


def test_forget_leaves_a_same_named_cluster_of_another_server_or_group() -> None:
    # Another cluster called aks-dev (another subscription, another group): its server is not the deleted one's.
    text = merged_with_cluster(server="https://other.hcp.y:443", rg="other-RG")
    assert not forget_cluster(text, name="aks-dev", resource_group="aks-dev-RG", fqdns=("aks-dev.hcp.x",)).changed
    # without an FQDN, the names az gives decide: the user names the group
    assert not forget_cluster(text, name="aks-dev", resource_group="aks-dev-RG").changed
    by_name = forget_cluster(merged_with_cluster(), name="aks-dev", resource_group="aks-dev-RG")
    assert by_name.changed and by_name.clusters == ("aks-dev",)


def test_forget_keeps_a_user_another_context_still_uses() -> None:
    doc = yaml.safe_load(merged_with_cluster())
    doc["contexts"].append({"name": "mine", "context": {"cluster": "prod", "user": "clusterUser_aks-dev-RG_aks-dev"}})
    result = forget_cluster(yaml.safe_dump(doc), name="aks-dev", resource_group="aks-dev-RG",
                            fqdns=("aks-dev.hcp.x",))
    out = yaml.safe_load(result.text or "")
    assert "clusterUser_aks-dev-RG_aks-dev" in names(out, "users") and not result.users
    assert names(out, "contexts") == ["kind-dev", "prod", "mine"]


def test_forget_on_a_file_without_the_cluster_changes_nothing() -> None:
    assert not forget_cluster(EXISTING, name="aks-dev", resource_group="aks-dev-RG", fqdns=("aks-dev.hcp.x",)).changed
    assert not forget_cluster(None, name="aks-dev", resource_group="aks-dev-RG").changed
