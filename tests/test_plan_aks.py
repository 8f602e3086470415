"""The AKS plan: exact wire bodies, the run-time output references, a full run against the simulator through
the real SDK (the AcrPull assignment lands on the kubelet identity), resume, and the az / ARM exports."""

from __future__ import annotations

import copy
import json
import shlex
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.aks import ACR_PULL_ROLE, KUBELET_OBJECT_ID, plan_aks, role_assignment_name
from azwizard.plan.exports import arm_template, az_commands, az_script, export
from azwizard.plan.model import Plan, Step, UnresolvedOutput, output_ref, output_refs, resolve_outputs
from azwizard.plan.vm import plan_vm
from azwizard.run import Runner, StepEvent
from azwizard.sim import ArmSim
from azwizard.specs.aks import (
    AcrSpec,
    AksNetworkSpec,
    AksSpec,
    NodePoolSpec,
    dual_stack_ipv6,
    preset_dev_dual_stack,
    preset_prod_dual_stack,
    spec_from_az_aks_create,
    spec_from_seed_command,
)
from azwizard.specs.vm import VmSpec

SUB = "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
RUN = "20261126-031200-3f9a"
CREATED = "2026-11-26T03:12:00Z"
PODS6, SERVICES6 = dual_stack_ipv6("fd3c:1f0e:9a7b::/48")
NET = AksNetworkSpec(pod_cidrs=("10.244.0.0/16", PODS6), service_cidrs=("10.96.0.0/16", SERVICES6))
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def dev(**changes: Any) -> AksSpec:
    return preset_dev_dual_stack().with_(**{"network": NET, "authorized_ip_ranges": ("20.100.1.2/32",), **changes})


def plan_of(spec: AksSpec, sub: str = SUB, run_id: str = RUN) -> Plan:
    return plan_aks(spec, subscription_id=sub, run_id=run_id, created_at=CREATED)


# ---------------------------------------------------------------------------------------------------
# Bodies


def test_dev_preset_cluster_body() -> None:
    plan = plan_of(dev())
    assert [s.key for s in plan.steps] == ["rg", "aks"]
    aks = plan.step("aks")
    assert aks.resource_id == (f"/subscriptions/{SUB}/resourceGroups/aks-dev-RG/providers/"
                               "Microsoft.ContainerService/managedClusters/aks-dev")
    assert aks.api_version == "2026-08-01" and aks.depends_on == ("rg",)
    body = aks.body
    assert body["location"] == "norwayeast" and body["identity"] == {"type": "SystemAssigned"}
    assert body["sku"] == {"name": "Base", "tier": "Free"}
    assert body["tags"]["created-by"] == "azwizard" and body["tags"]["azwizard-run"] == RUN
    props = body["properties"]
    assert props["kubernetesVersion"] == ""  # the region's default, sent as az sends it
    assert props["dnsPrefix"] == "aks-dev-aks-dev-RG-5a1b0c"
    assert props["enableRBAC"] is True and props["supportPlan"] == "KubernetesOfficial"
    assert props["networkProfile"] == {
        "networkPlugin": "azure", "networkPluginMode": "overlay", "networkDataplane": "cilium",
        "networkPolicy": "cilium", "ipFamilies": ["IPv4", "IPv6"], "podCidrs": ["10.244.0.0/16", PODS6],
        "serviceCidrs": ["10.96.0.0/16", SERVICES6], "dnsServiceIP": "10.96.0.10", "loadBalancerSku": "standard",
        "outboundType": "loadBalancer",
    }
    [pool] = props["agentPoolProfiles"]
    assert {k: pool[k] for k in ("name", "mode", "count", "vmSize", "osType", "osSKU", "type", "osDiskType")} == {
        "name": "nodepool1", "mode": "System", "count": 3, "vmSize": "Standard_D2s_v5", "osType": "Linux",
        "osSKU": "AzureLinux", "type": "VirtualMachineScaleSets", "osDiskType": "Managed"}
    assert pool["tags"] == body["tags"]
    assert props["apiServerAccessProfile"] == {"authorizedIPRanges": ["20.100.1.2/32"]}
    assert "linuxProfile" not in props  # no SSH key needed
    # every key is a wire (camelCase) name: the SDK sends plain dicts as they are
    assert not [k for k in _keys(body) if "_" in k and k not in body["tags"]]


def _keys(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [k for k, v in node.items() for k in [k, *_keys(v)]]
    if isinstance(node, list):
        return [k for v in node for k in _keys(v)]
    return []


def test_prod_preset_pools_zones_ephemeral_and_tier() -> None:
    plan = plan_of(preset_prod_dual_stack().with_(network=NET))
    body = plan.step("aks").body
    assert body["sku"]["tier"] == "Standard"
    system, apps = body["properties"]["agentPoolProfiles"]
    assert (system["name"], system["mode"], apps["name"], apps["mode"]) == ("system", "System", "apps", "User")
    for p in (system, apps):
        assert p["availabilityZones"] == ["1", "2", "3"] and p["osDiskType"] == "Ephemeral"
        assert p["vmSize"] == "Standard_D4ds_v5" and "osDiskSizeGB" not in p


def test_optional_fields_and_ssh_key() -> None:
    spec = dev(kubernetes_version="1.34", ssh_public_key=KEY, tier="premium", support_plan="AKSLongTermSupport",
               system_pool=NodePoolSpec(os_disk_size_gb=64, max_pods=60, zones=("1",)),
               network=NET.with_(policy="cilium", dns_service_ip="10.96.0.53"), authorized_ip_ranges=())
    props = plan_of(spec).step("aks").body["properties"]
    assert props["kubernetesVersion"] == "1.34" and props["supportPlan"] == "AKSLongTermSupport"
    assert props["linuxProfile"] == {"adminUsername": "azureuser", "ssh": {"publicKeys": [{"keyData": KEY}]}}
    assert props["agentPoolProfiles"][0]["osDiskSizeGB"] == 64 and props["agentPoolProfiles"][0]["maxPods"] == 60
    assert props["networkProfile"]["dnsServiceIP"] == "10.96.0.53"
    assert "apiServerAccessProfile" not in props
    v4 = plan_of(dev(network=AksNetworkSpec(ip_families=("IPv4",), plugin_mode="", dataplane="azure",
                                            policy="none", pod_cidrs=(), service_cidrs=("10.96.0.0/16",))))
    np = v4.step("aks").body["properties"]["networkProfile"]
    assert "networkPluginMode" not in np and "networkPolicy" not in np and "podCidrs" not in np


def test_existing_group_has_no_group_step() -> None:
    plan = plan_of(dev(use_existing_group=True))
    assert [s.key for s in plan.steps] == ["aks"] and plan.step("aks").depends_on == ()


def test_registry_and_acr_pull_steps() -> None:
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")))
    assert [s.key for s in plan.steps] == ["rg", "acr", "aks", "acrpull"]
    acr = plan.step("acr")
    assert acr.body == {"location": "norwayeast", "tags": plan.step("rg").body["tags"], "sku": {"name": "Basic"},
                        "properties": {"adminUserEnabled": False}}
    ra = plan.step("acrpull")
    assert ra.depends_on == ("aks", "acr") and ra.kind == "Microsoft.Authorization/roleAssignments"
    cluster = plan.step("aks").resource_id
    name = role_assignment_name(cluster, acr.resource_id, "aks")
    assert ra.resource_id == f"{acr.resource_id}/providers/Microsoft.Authorization/roleAssignments/{name}"
    assert name == role_assignment_name(cluster.upper(), acr.resource_id.upper(), "aks")  # per cluster and scope
    assert name != role_assignment_name(cluster + "2", acr.resource_id, "aks")
    assert plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")), run_id="another-run").step("acrpull").name == name
    props = ra.body["properties"]
    assert props["roleDefinitionId"] == (f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/"
                                         f"{ACR_PULL_ROLE}")
    assert props["principalId"] == "${aks.kubeletObjectId}" and props["principalType"] == "ServicePrincipal"
    assert ra.needs_outputs and not plan.step("aks").needs_outputs
    # an existing registry: no registry step, the assignment on its id
    existing = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/shared/providers/"
                "Microsoft.ContainerRegistry/registries/sharedacr01")
    attached = plan_of(dev(acr=AcrSpec("attach", existing_id=existing)))
    assert [s.key for s in attached.steps] == ["rg", "aks", "acrpull"]
    assert attached.step("acrpull").resource_id.startswith(existing + "/providers/Microsoft.Authorization/")
    assert attached.step("acrpull").depends_on == ("aks",)


def test_summaries_for_the_review() -> None:
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")))
    rows = dict(plan.step("aks").summary)
    assert rows["network"] == "Azure CNI Overlay, dataplane cilium, policy cilium"
    assert rows["pod CIDRs"] == f"10.244.0.0/16, {PODS6}" and rows["DNS service IP"] == "10.96.0.10"
    assert rows["system pool nodepool1"].startswith("3 × Standard_D2s_v5, AzureLinux, Managed OS disk 128 GiB")
    assert rows["API server access"] == "20.100.1.2/32" and rows["node resource group"] == "MC_aks-dev-RG_aks-dev_norwayeast"
    assert "kubelet identity" in dict(plan.step("acrpull").summary)["assignee"]
    assert plan.notes


# ---------------------------------------------------------------------------------------------------
# Output references


def test_output_references_resolve_and_validate() -> None:
    ref = output_ref("aks", KUBELET_OBJECT_ID)
    body = {"properties": {"principalId": ref, "list": [ref, "x"], "other": "${not a ref"}}
    assert output_refs(body) == [("aks", KUBELET_OBJECT_ID), ("aks", KUBELET_OBJECT_ID)]
    done = resolve_outputs(body, {"aks": {KUBELET_OBJECT_ID: "oid-1"}})
    assert done == {"properties": {"principalId": "oid-1", "list": ["oid-1", "x"], "other": "${not a ref"}}
    assert body["properties"]["principalId"] == ref  # the plan's body is not changed
    with pytest.raises(UnresolvedOutput):
        resolve_outputs(body, {"aks": {KUBELET_OBJECT_ID: None}})
    with pytest.raises(ValueError):
        output_ref("a.b", "c")
    rg = Step("rg", "Microsoft.Resources/resourceGroups", "g", "/subscriptions/s/resourceGroups/g", {})
    reader = Step("x", "Microsoft.Authorization/roleAssignments", "x", "/subscriptions/s/resourceGroups/g/x",
                  {"properties": {"principalId": output_ref("rg", "id")}})
    with pytest.raises(ValueError, match="without depending"):
        Plan("aks", "r", "s", "l", (rg, reader))
    Plan("aks", "r", "s", "l", (rg, Step(**{**reader.__dict__, "depends_on": ("rg",)})))


def test_vm_plan_has_no_output_references() -> None:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY)
    plan = plan_vm(spec, subscription_id=SUB, run_id=RUN, created_at=CREATED)
    assert not any(s.needs_outputs for s in plan.steps)


# ---------------------------------------------------------------------------------------------------
# Running it against the simulator


def run(factory: ClientFactory, plan: Plan, tmp_path: Path) -> tuple[Any, Journal, list[StepEvent]]:
    events: list[StepEvent] = []
    journal = Journal(plan.run_id, "aks", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.01, on_event=events.append).run(plan)
    return result, journal, events


def _assignments(factory: ClientFactory, scope: str) -> list[Any]:
    return list(factory.authorization().role_assignments.list_for_scope(scope, filter="atScope()"))


def test_full_run_with_registry_grants_acr_pull_to_the_kubelet(sim: ArmSim, factory: ClientFactory,
                                                              tmp_path: Path) -> None:
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")), sub=sim.subscription_id, run_id="run-aks-1")
    result, journal, events = run(factory, plan, tmp_path)
    assert result.ok, result.errors
    cluster = factory.containerservice().managed_clusters.get("aks-dev-RG", "aks-dev")
    np = cluster.network_profile
    assert (np.network_plugin, np.network_plugin_mode, np.network_dataplane, np.network_policy) == \
        ("azure", "overlay", "cilium", "cilium")
    assert list(np.ip_families) == ["IPv4", "IPv6"] and list(np.pod_cidrs) == ["10.244.0.0/16", PODS6]
    assert list(np.service_cidrs) == ["10.96.0.0/16", SERVICES6] and np.dns_service_ip == "10.96.0.10"
    assert cluster.sku.tier == "Free" and cluster.agent_pool_profiles[0].os_sku == "AzureLinux"
    assert list(cluster.api_server_access_profile.authorized_ip_ranges) == ["20.100.1.2/32"]
    kubelet = cluster.identity_profile["kubeletidentity"].object_id
    # the AcrPull assignment exists, on the registry, for the kubelet identity
    acr_id = plan.step("acr").resource_id
    found = [a for a in _assignments(factory, acr_id) if a.role_definition_id.lower().endswith(ACR_PULL_ROLE)]
    assert len(found) == 1 and found[0].principal_id == kubelet and found[0].principal_type == "ServicePrincipal"
    assert found[0].name == plan.step("acrpull").name
    # journal and outputs
    assert result.outputs["aks"][KUBELET_OBJECT_ID] == kubelet
    assert result.outputs["acr"]["loginServer"] == "azwizarddev1234.azurecr.io"
    states = journal.resources()
    assert {s.state for s in states.values()} == {"created"}
    assert states[plan.step("aks").resource_id.lower()].detail[KUBELET_OBJECT_ID] == kubelet
    # the registry and the cluster are created side by side; the assignment waits for both
    assert plan.step("aks").depends_on == ("rg",) and set(plan.step("acrpull").depends_on) == {"aks", "acr"}
    done = [e.key for e in events if e.state == "succeeded"]
    assert done.index("acrpull") > max(done.index("aks"), done.index("acr"))
    # a second run sends nothing again (the role assignment included)
    again, _, _ = run(factory, plan, tmp_path)
    assert again.ok and set(again.states.values()) == {"existing"}
    assert len(_assignments(factory, acr_id)) == 1


def test_resume_fills_the_principal_from_the_existing_cluster(sim: ArmSim, factory: ClientFactory,
                                                               tmp_path: Path) -> None:
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")), sub=sim.subscription_id, run_id="run-aks-2")
    sim.extra["caller_role"] = "Contributor"  # may create resources, not role assignments
    first, _, _ = run(factory, plan, tmp_path)
    assert first.states["aks"] == "succeeded" and first.states["acrpull"] == "failed"
    assert first.errors["acrpull"].code == "AuthorizationFailed"
    sim.extra["caller_role"] = "Owner"
    second, _, events = run(factory, plan, tmp_path)
    assert second.ok and second.states["aks"] == "existing" and second.states["acrpull"] == "succeeded"
    kubelet = factory.containerservice().managed_clusters.get("aks-dev-RG", "aks-dev") \
        .identity_profile["kubeletidentity"].object_id
    [ra] = _assignments(factory, plan.step("acr").resource_id)
    assert ra.principal_id == kubelet


def test_attach_existing_registry(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    factory.resources().resource_groups.create_or_update("shared-rg", {"location": "norwayeast"})
    factory.containerregistry().registries.begin_create(
        "shared-rg", "sharedacr01", {"location": "norwayeast", "sku": {"name": "Basic"}}).result()
    acr_id = (f"/subscriptions/{sim.subscription_id}/resourceGroups/shared-rg/providers/"
              "Microsoft.ContainerRegistry/registries/sharedacr01")
    plan = plan_of(dev(acr=AcrSpec("attach", existing_id=acr_id)), sub=sim.subscription_id, run_id="run-aks-3")
    result, _, _ = run(factory, plan, tmp_path)
    assert result.ok, result.errors
    assert len(_assignments(factory, acr_id)) == 1


# ---------------------------------------------------------------------------------------------------
# Exports


def _flags(argv: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    key = ""
    first = next(i for i, w in enumerate(argv) if w.startswith("--"))
    for word in argv[first:]:
        if word.startswith("--"):
            key, _, value = word.partition("=")
            out[key] = [value] if value else []
        else:
            out[key].append(word)
    return out


def test_az_export_is_a_corrected_seed_command() -> None:
    seed = spec_from_seed_command()
    fixed = seed.with_(kubernetes_version="1.34", authorized_ip_ranges=("20.100.1.2/32",),
                       system_pool=seed.system_pool.with_(vm_size="Standard_D2s_v5"),
                       acr=AcrSpec("create", "testaksacr01"))
    plan = plan_of(fixed)
    commands = az_commands(plan)
    assert [c[:3] for c in commands] == [["az", "account", "set"], ["az", "group", "create"],
                                         ["az", "acr", "create"], ["az", "aks", "create"]]
    create = _flags(commands[3])
    assert create["--resource-group"] == ["test_rg"] and create["--name"] == ["test_aks"]
    expected = {"--tier": ["standard"], "--load-balancer-sku": ["standard"],
                "--vm-set-type": ["VirtualMachineScaleSets"], "--node-vm-size": ["Standard_D2s_v5"],
                "--node-count": ["3"], "--kubernetes-version": ["1.34"], "--network-plugin": ["azure"],
                "--network-plugin-mode": ["overlay"], "--network-dataplane": ["cilium"],
                "--network-policy": ["cilium"], "--ip-families": ["IPv4,IPv6"],
                "--pod-cidrs": ["172.16.0.0/16,fdfb:4d1e:98bf::/48"],
                "--service-cidrs": ["10.0.0.0/16,fd92:d839:1c02::/108"], "--dns-service-ip": ["10.0.0.10"],
                "--os-sku": ["AzureLinux"], "--api-server-authorized-ip-ranges": ["20.100.1.2/32"],
                "--no-ssh-key": [], "--attach-acr": ["testaksacr01"], "--k8s-support-plan": ["KubernetesOfficial"],
                "--dns-name-prefix": ["testaks-testrg-5a1b0c"], "--nodepool-name": ["nodepool1"],
                "--node-osdisk-type": ["Managed"], "--outbound-type": ["loadBalancer"]}
    for flag, values in expected.items():
        assert create[flag] == values, flag
    assert "--generate-ssh-keys" not in create
    # nothing fell back to az resource create: every property had a flag
    assert not any(sc.generic for sc in export(plan).steps)
    # and the command reads back as the same cluster
    again = spec_from_az_aks_create(shlex.join(commands[3]))
    assert again.network == fixed.network.with_(dns_service_ip="10.0.0.10")
    assert again.system_pool == fixed.system_pool and again.tier == fixed.tier
    assert again.authorized_ip_ranges == fixed.authorized_ip_ranges


def test_az_export_user_pools_ssh_key_and_script() -> None:
    plan = plan_of(preset_prod_dual_stack().with_(network=NET, ssh_public_key=KEY))
    ex = export(plan)
    assert not any(sc.generic for sc in ex.steps)
    commands = [c.argv() for c in ex.commands() if c.words[:2] != ("aks", "maintenanceconfiguration")]
    add = _flags(commands[-1])
    assert commands[-1][:4] == ["az", "aks", "nodepool", "add"]
    assert add["--cluster-name"] == ["aks-prod"] and add["--name"] == ["apps"] and add["--mode"] == ["User"]
    assert add["--zones"] == ["1", "2", "3"] and add["--node-osdisk-type"] == ["Ephemeral"]
    create = _flags(commands[-2])
    assert create["--zones"] == ["1", "2", "3"] and create["--ssh-key-value"] == [KEY + "\n"]
    assert ex.files and ex.files[0].data == (KEY + "\n").encode()
    script = az_script(plan)
    assert '--ssh-key-value="$SSH_PUBLIC_KEY_FILE"' in script and "az aks nodepool add" in script


def test_arm_export_role_assignment_reads_the_kubelet_identity() -> None:
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")))
    template = arm_template(plan)
    by_type = {r["type"]: r for r in template["resources"]}
    ra = by_type["Microsoft.Authorization/roleAssignments"]
    assert ra["scope"] == "[concat('Microsoft.ContainerRegistry/registries/', parameters('acrName'))]"
    assert ra["properties"]["principalId"] == (
        "[reference(resourceId('Microsoft.ContainerService/managedClusters', parameters('aksName')), "
        "'2026-08-01').identityProfile.kubeletidentity.objectId]")
    assert ra["properties"]["roleDefinitionId"] == (
        f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{ACR_PULL_ROLE}')]")
    assert "[resourceId('Microsoft.ContainerService/managedClusters', parameters('aksName'))]" in ra["dependsOn"]
    cluster = by_type["Microsoft.ContainerService/managedClusters"]
    assert cluster["properties"]["networkProfile"] == plan.step("aks").body["properties"]["networkProfile"]
    assert "${" not in json.dumps(template)  # no run-time reference left for ARM to choke on


def test_a_missing_run_time_value_fails_only_that_step(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    sub = sim.subscription_id
    rg = Step("rg", "Microsoft.Resources/resourceGroups", "g1", f"/subscriptions/{sub}/resourceGroups/g1",
              {"location": "norwayeast"}, label="Resource group g1")
    ra_id = (f"/subscriptions/{sub}/resourceGroups/g1/providers/Microsoft.Authorization/roleAssignments/"
             "3f2504e0-4f89-41d3-9a0c-0305e82c3301")
    ra = Step("ra", "Microsoft.Authorization/roleAssignments", "3f2504e0-4f89-41d3-9a0c-0305e82c3301", ra_id,
              {"properties": {"roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/"
                                                  f"roleDefinitions/{ACR_PULL_ROLE}",
                              "principalId": output_ref("rg", KUBELET_OBJECT_ID)}},
              ("rg",), label="AcrPull")
    plan = Plan("aks", "run-missing", sub, "norwayeast", (rg, ra))
    result, journal, events = run(factory, plan, tmp_path)
    assert result.states == {"rg": "succeeded", "ra": "failed"}
    assert "needs a value" in result.errors["ra"].what and KUBELET_OBJECT_ID in result.errors["ra"].what
    assert not sim.requests_to("PUT", "/roleAssignments/")  # nothing half-filled was sent
    assert journal.resources()[ra_id.lower()].state == "failed-absent"  # known not to exist


# ---------------------------------------------------------------------------------------------------
# What the exporters cannot express (issue 27's surviving mutants)


def _with_step(plan: Plan, key: str, **changes: Any) -> Plan:
    return replace(plan, steps=tuple(replace(s, **changes) if s.key == key else s for s in plan.steps))


def _with_props(plan: Plan, key: str, **props: Any) -> Plan:
    body = copy.deepcopy(dict(plan.step(key).body))
    body["properties"].update(props)
    return _with_step(plan, key, body=body)


def _cluster_commands(plan: Plan) -> Any:
    return next(sc for sc in export(plan).steps if sc.step.key == "aks")


def test_the_aks_preview_note_is_said_once_for_all_the_pools() -> None:
    plan = plan_of(preset_prod_dual_stack().with_(network=NET))
    assert len(plan.step("aks").body["properties"]["agentPoolProfiles"]) == 2  # both with sshAccess
    sc = _cluster_commands(plan)
    assert not sc.generic
    assert [n for n in sc.notes if "aks-preview" in n] == [
        "--ssh-access is an aks-preview flag (az extension add --name aks-preview); core az has none (azure-cli 2.91.0)"]


def test_what_az_aks_create_cannot_express_falls_back_to_the_exact_body() -> None:
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")))
    assert not _cluster_commands(plan).generic
    # --attach-acr looks the registry up: one the plan makes after the cluster cannot be attached
    late = _with_step(plan, "acr", depends_on=("rg", "aks"))
    assert [s.key for s in late.topological()] == ["rg", "aks", "acr", "acrpull"]
    # az sends each option on or not at all: an option sent "off" has no flag
    off = {"securityProfile": {"imageCleaner": {"enabled": False, "intervalHours": 48}},
           "ingressProfile": {"webAppRouting": {"enabled": False}}}
    cases = {"a registry created after the cluster": late,
             **{what: _with_props(plan, "aks", **{key: value})
                for (key, value), what in zip(off.items(), ("an image cleaner that is not enabled",
                                                             "app routing that is not enabled"), strict=True)}}
    for what, changed in cases.items():
        sc = _cluster_commands(changed)
        assert sc.generic and sc.notes == (f"az cannot express {what}; the exact body is sent with az resource "
                                           "create",), what
        assert sc.commands[0].words == ("resource", "create")


def test_the_arm_template_reads_the_clusters_identities_and_refuses_an_output_it_has_no_expression_for() -> None:
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")))
    ra = plan.step("acrpull")
    body = copy.deepcopy(dict(ra.body))
    body["properties"]["principalId"] = output_ref("aks", "principalId")  # the cluster's own identity
    template = arm_template(_with_step(plan, "acrpull", body=body))
    (assignment,) = [r for r in template["resources"] if r["type"] == "Microsoft.Authorization/roleAssignments"]
    assert assignment["properties"]["principalId"] == (
        "[reference(resourceId('Microsoft.ContainerService/managedClusters', parameters('aksName')), "
        "'2026-08-01', 'Full').identity.principalId]")
    for owner, output in (("aks", "fqdn"), ("acr", KUBELET_OBJECT_ID)):  # not an output of that step in ARM
        body["properties"]["principalId"] = output_ref(owner, output)
        with pytest.raises(ValueError, match=f"no template expression for output '{output}' of step '{owner}'"):
            arm_template(_with_step(plan, "acrpull", body=body))


def test_acr_pull_on_two_registries_is_more_than_attach_acr_says() -> None:
    """az aks create --attach-acr takes one registry: a plan granting AcrPull on two falls back to the exact body."""
    plan = plan_of(dev(acr=AcrSpec("create", "azwizarddev1234")))
    ra = plan.step("acrpull")
    second_scope = ra.resource_id.split("/providers/Microsoft.Authorization/")[0].replace("azwizarddev1234",
                                                                                          "azwizarddev5678")
    second = replace(ra, key="acrpull2", resource_id=f"{second_scope}/providers/Microsoft.Authorization/"
                                                     f"roleAssignments/{ra.name}")
    sc = _cluster_commands(replace(plan, steps=(*plan.steps, second)))
    assert sc.generic and sc.notes[0].startswith("az cannot express AcrPull on more than one registry")


def test_the_user_pools_note_comes_only_with_user_pools() -> None:
    one_by_one = "az creates the user node pools one by one after the cluster"
    assert any(one_by_one in n for n in _cluster_commands(plan_of(preset_prod_dual_stack().with_(network=NET))).notes)
    assert not any(one_by_one in n for n in _cluster_commands(plan_of(dev())).notes)
