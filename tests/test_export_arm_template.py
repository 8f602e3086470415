"""The ARM template's exact text for built plans: parameter names and defaults, each resource's keys and their order,
names from the parents' parameters, the backup item's name, dependencies, the nested deployment of a change, the
ids a template cannot create, and the JSON file itself. Function calls only (no subprocess, no simulator)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import pytest

from azwizard.plan.export_arm import ArmContext, TemplateError, arm_names, arm_resource
from azwizard.plan.exports import arm_template, arm_template_json  # every journey's hooks registered
from azwizard.plan.model import Plan, Step
from azwizard.plan.vm import plan_vm
from azwizard.specs.vm import BackupSpec, VmSpec

SUB = "00000000-0000-0000-0000-000000000000"
GROUP = f"/subscriptions/{SUB}/resourceGroups/Yolo-RG"
NSG = "Microsoft.Network/networkSecurityGroups"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
RG_STEP = Step("rg", "Microsoft.Resources/resourceGroups", "Yolo-RG", GROUP, {"location": "norwayeast"})


def _nsg(key: str, name: str, **kw: Any) -> Step:
    body = kw.pop("body", {"location": "norwayeast"})
    return Step(key, NSG, name, kw.pop("resource_id", f"{GROUP}/providers/{NSG}/{name}"), body,
                kw.pop("depends_on", ("rg",)), api_version="2025-01-01", **kw)


def _plan(*steps: Step, run_id: str = "r") -> Plan:
    return Plan("vm", run_id, SUB, "norwayeast", (RG_STEP, *steps))


def _vm_plan(**changes: Any) -> Plan:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY).with_(backup=BackupSpec(enabled=True), **changes)
    return plan_vm(spec, subscription_id=SUB, run_id="r", created_at="t")


def _edited(plan: Plan, key: str, **changes: Any) -> Plan:
    return replace(plan, steps=tuple(replace(s, **changes) if s.key == key else s for s in plan.steps))


def _resource(template: dict[str, Any], type_: str) -> dict[str, Any]:
    (res,) = [r for r in template["resources"] if r["type"] == type_]
    return res


def test_a_resource_is_written_with_its_keys_in_the_templates_order_and_its_label_as_comments() -> None:
    body = {"properties": {"securityRules": []}, "tags": {"team": "blue"}, "zz-extension": {"a": 1},
            "location": "westeurope", "sku": {"name": "Standard"}}
    template = arm_template(_plan(_nsg("web", "Web", body=body, label="Network security group Web"),
                                  _nsg("bare", "Bare", body={"properties": {}})))
    web, bare = template["resources"]
    assert list(web.items()) == [
        ("type", NSG), ("apiVersion", "2025-01-01"), ("name", "[parameters('webName')]"),
        ("comments", "Network security group Web"), ("location", "westeurope"), ("tags", "[variables('tags')]"),
        ("sku", {"name": "Standard"}), ("properties", {"securityRules": []}), ("zz-extension", {"a": 1})]
    assert list(bare.items()) == [("type", NSG), ("apiVersion", "2025-01-01"), ("name", "[parameters('bareName')]"),
                                  ("properties", {})]  # no label: no comments


def test_parameter_names_are_the_step_keys_in_camel_case() -> None:
    template = arm_template(_plan(_nsg("web-nsg-v2", "a"), _nsg("Public_IP", "b"), _nsg("--", "c"),
                                  _nsg("nsg", "d")))
    assert list(template["parameters"]) == ["location", "webNsgV2Name", "publicIPName", "stepName", "nsgName"]
    pip = Step("pip-v6", "Microsoft.Network/publicIPAddresses", "ip", f"{GROUP}/providers/Microsoft.Network/"
               "publicIPAddresses/ip", {"location": "norwayeast"}, ("rg",), api_version="2024-05-01")
    assert arm_template(_plan(pip))["outputs"] == {"pipV6Address": {
        "type": "string", "value": "[reference(resourceId('Microsoft.Network/publicIPAddresses', "
                                   "parameters('pipV6Name')), '2024-05-01').ipAddress]"}}


def test_a_parameter_default_that_looks_like_an_expression_is_escaped_and_other_values_kept() -> None:
    template = arm_template(_plan(_nsg("odd", "[odd]")))
    assert template["parameters"]["oddName"]["defaultValue"] == "[[odd]"  # ARM reads "[[" as a literal "["
    ctx = ArmContext(_plan(), "Yolo-RG")
    assert ctx.param("count", 3, "How many.", "int") == "parameters('count')"
    assert ctx.param("count", 4, "Declared once.", "int") == "parameters('count')"
    assert ctx.parameters["count"] == {"type": "int", "defaultValue": 3, "metadata": {"description": "How many."}}


@pytest.mark.parametrize("resource_id", [
    f"{GROUP}/providers/{NSG}/a/b",  # a name holding a "/"
    f"{GROUP}/providers/Microsoft.Network",  # no type, no name
    f"{GROUP}/providers/{NSG}",  # no name
    GROUP + "/other",  # not an id at all
    "web",
    GROUP,  # a group's id for a resource of another kind
])
def test_a_resource_a_template_cannot_name_is_refused_with_its_id(resource_id: str) -> None:
    step = _nsg("web", "web", resource_id=resource_id, label="Network security group web")
    with pytest.raises(TemplateError) as e:
        arm_template(_plan(step))
    assert str(e.value) == (f"Network security group web has no resource id a template can create ({resource_id}): "
                            "a name holds a '/' or is empty")


def test_an_id_whose_scope_has_no_expression_stays_as_written() -> None:
    # the scope (a type without a name) is no resource id ARM could name: the whole value is kept literally
    odd = f"/subscriptions/{SUB}/providers/Microsoft.Foo/bars/providers/Microsoft.Authorization/roleAssignments/r1"
    template = arm_template(_plan(_nsg("web", "web", body={"properties": {"ref": odd}})))
    assert template["resources"][0]["properties"] == {"ref": odd}
    assert "dependsOn" not in template["resources"][0]


def test_the_common_tags_are_the_first_non_empty_ones() -> None:
    plan = _plan(_nsg("a", "a", body={"location": "norwayeast", "tags": {}}),
                 _nsg("b", "b", body={"location": "norwayeast", "tags": {"team": "blue"}}, depends_on=("a",)))
    template = arm_template(plan)
    assert template["variables"] == {"tags": {"team": "blue"}}
    assert [r["tags"] for r in template["resources"]] == [{}, "[variables('tags')]"]


def test_a_change_is_a_nested_deployment_named_in_at_most_64_characters_and_declares_no_parameter() -> None:
    run_id = "20261126-031200-" + "x" * 60
    a = _nsg("a", "a")
    patch = _nsg("a-patch", "a", body={"properties": {"y": 1}}, depends_on=("rg", "a"), patch_of="a",
                 label="Change of a")
    template = arm_template(_plan(a, patch, run_id=run_id))
    deployment = template["resources"][1]
    assert deployment["name"] == f"azwizard-a-patch-{run_id}"[:64] and len(deployment["name"]) == 64
    assert deployment["comments"] == "Change of a: the resource sent again with the change (read-modify-write)"
    assert list(template["parameters"]) == ["location", "aName"]  # the change names a's resource by aName
    assert deployment["properties"]["template"]["resources"][0]["name"] == "[parameters('aName')]"


def test_what_waits_for_a_change_depends_on_its_nested_deployment_not_on_the_resource() -> None:
    a = _nsg("a", "a")
    patch = _nsg("a-patch", "a", body={"properties": {"y": 1}}, depends_on=("rg", "a"), patch_of="a")
    b = _nsg("b", "b", depends_on=("rg", "a-patch"))
    later = _nsg("b-patch", "b", body={"properties": {"z": 1}}, depends_on=("rg", "b", "a-patch"),
                 patch_of="b")  # a change that waits for the other change too
    template = arm_template(_plan(a, patch, b, later, run_id="r1"))
    assert template["resources"][0]["name"] == "[parameters('aName')]"  # declared once, by its maker
    (b_res,) = [r for r in template["resources"] if r.get("name") == "[parameters('bName')]"]
    deployment = "[resourceId('Microsoft.Resources/deployments', 'azwizard-a-patch-r1')]"
    assert b_res["dependsOn"] == [deployment]
    (later_dep,) = [r for r in template["resources"] if r.get("name") == "azwizard-b-patch-r1"]
    assert later_dep["dependsOn"] == [deployment, f"[resourceId('{NSG}', parameters('bName'))]"]
    assert [r["name"] for r in template["resources"]] == ["[parameters('aName')]", "azwizard-a-patch-r1",
                                                          "[parameters('bName')]", "azwizard-b-patch-r1"]


def test_the_aks_metrics_template_has_only_parameters_it_reads_and_each_dependency_once() -> None:
    from azwizard.plan.aks import plan_aks
    from azwizard.specs.aks import AksNetworkSpec, dual_stack_ipv6, preset_prod_dual_stack

    pods6, services6 = dual_stack_ipv6("fd3c:1f0e:9a7b::/48")
    net = AksNetworkSpec(pod_cidrs=("10.244.0.0/16", pods6), service_cidrs=("10.96.0.0/16", services6))
    template = arm_template(plan_aks(preset_prod_dual_stack().with_(network=net), subscription_id=SUB, run_id="r",
                                     created_at="t"))
    assert list(template["parameters"]) == ["location", "amwName", "aksName", "dceName", "dcrName"]
    text = json.dumps(template["resources"])
    assert all(f"parameters('{p}')" in text for p in template["parameters"])
    cluster = "[resourceId('Microsoft.ContainerService/managedClusters', parameters('aksName'))]"
    dcra = _resource(template, "Microsoft.Insights/dataCollectionRuleAssociations")
    # the association is on the cluster (its scope): owned by the cluster's step, not by the later change of it
    assert dcra["dependsOn"] == [cluster, "[resourceId('Microsoft.Insights/dataCollectionRules', parameters('dcrName'))]"]
    maintenance = [r["name"] for r in template["resources"]
                   if r["type"] == "Microsoft.ContainerService/managedClusters/maintenanceConfigurations"]
    assert maintenance == ["[concat(parameters('aksName'), '/', 'aksManagedAutoUpgradeSchedule')]",
                           "[concat(parameters('aksName'), '/', 'aksManagedNodeOSUpgradeSchedule')]"]


def test_a_child_of_an_extension_resource_keeps_its_own_names() -> None:
    ext = f"{GROUP}/providers/{NSG}/a/providers/Microsoft.Foo/bars/b"
    plan = _plan(_nsg("a", "a"),
                 Step("bar", "Microsoft.Foo/bars", "b", ext, {}, ("a",)),
                 Step("baz", "Microsoft.Foo/bars/bazs", "c", f"{ext}/bazs/c", {}, ("bar",)))
    names = [r["name"] for r in arm_template(plan)["resources"]]
    assert names == ["[parameters('aName')]", "b", "b/c"]


def test_a_vm_without_an_os_profile_gets_no_admin_parameters() -> None:
    plan = _vm_plan()
    body = copy.deepcopy(dict(plan.step("vm").body))
    del body["properties"]["osProfile"]
    template = arm_template(_edited(plan, "vm", body=body))
    assert "adminUsername" not in template["parameters"] and "adminPublicKey" not in template["parameters"]
    assert "osProfile" not in _resource(template, "Microsoft.Compute/virtualMachines")["properties"]


def test_only_the_first_ssh_key_is_the_admin_key_parameter() -> None:
    plan = _vm_plan()
    body = copy.deepcopy(dict(plan.step("vm").body))
    other = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0ther other@desk"
    body["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"].append(
        {"path": "/srv/keys/authorized_keys", "keyData": other})
    vm = _resource(arm_template(_edited(plan, "vm", body=body)), "Microsoft.Compute/virtualMachines")
    assert vm["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"] == [
        {"path": "[format('/home/{0}/.ssh/authorized_keys', parameters('adminUsername'))]",
         "keyData": "[parameters('adminPublicKey')]"},
        {"path": "/srv/keys/authorized_keys", "keyData": other}]


ITEM = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"


def _item_name(plan: Plan) -> str:
    return str(_resource(arm_template(plan), ITEM)["name"])


def test_a_backup_item_not_of_this_plans_vm_and_vault_in_this_group_keeps_its_names_as_written() -> None:
    plan = _vm_plan()
    item = plan.step("backup")
    container, protected = "IaasVMContainer;iaasvmcontainerv2;Yolo-RG;Yolo-VM", "VM;iaasvmcontainerv2;Yolo-RG;Yolo-VM"
    assert _item_name(plan) == (
        "[concat(parameters('vaultName'), '/', 'Azure', '/', concat('IaasVMContainer;iaasvmcontainerv2;', "
        "resourceGroup().name, ';', parameters('vmName')), '/', concat('VM;iaasvmcontainerv2;', "
        "resourceGroup().name, ';', parameters('vmName')))]")
    # a VM the plan does not make: the vault from its parameter, the rest as written
    other_vm = copy.deepcopy(dict(item.body))
    other_vm["properties"]["sourceResourceId"] = f"{GROUP}/providers/Microsoft.Compute/virtualMachines/Old-VM"
    literal_rest = f"[concat(parameters('vaultName'), '/', 'Azure', '/', '{container}', '/', '{protected}')]"
    assert _item_name(_edited(plan, "backup", body=other_vm)) == literal_rest
    # a container named for the group in another case: not the name resourceGroup().name would give
    lower = item.resource_id.replace(";Yolo-RG;", ";yolo-rg;")
    assert _item_name(_edited(plan, "backup", resource_id=lower)) == literal_rest.replace(";Yolo-RG;", ";yolo-rg;")
    # an item id of another shape (no protected item name)
    short = item.resource_id.rsplit("/protectedItems/", 1)[0]
    assert _item_name(_edited(plan, "backup", resource_id=short)) == (
        f"[concat(parameters('vaultName'), '/', 'Azure', '/', '{container}')]")


def test_a_backup_item_in_a_vault_the_plan_does_not_make_is_named_as_written() -> None:
    plan = _vm_plan()
    vault_id = plan.step("vault").resource_id.replace("Yolo-RSV", "Old-RSV")
    item = plan.step("backup")
    rid = item.resource_id.replace("/vaults/Yolo-RSV/", "/vaults/Old-RSV/")
    body = copy.deepcopy(dict(item.body))
    body["properties"]["policyId"] = f"{vault_id}/backupPolicies/EnhancedPolicy"
    name = _item_name(_edited(plan, "backup", resource_id=rid, body=body, depends_on=("vm",)))
    assert name == ("Old-RSV/Azure/IaasVMContainer;iaasvmcontainerv2;Yolo-RG;Yolo-VM/"
                    "VM;iaasvmcontainerv2;Yolo-RG;Yolo-VM")


def test_the_template_names_the_group_the_plan_creates_wherever_its_step_is() -> None:
    other = _nsg("far", "far", resource_id=f"{GROUP.replace('Yolo-RG', 'Shared-RG')}/providers/{NSG}/far",
                 depends_on=())
    plan = Plan("vm", "r", SUB, "norwayeast", (other, RG_STEP, _nsg("a", "a")))
    assert arm_template(plan)["metadata"]["resourceGroup"]["name"] == "Yolo-RG"


def test_the_template_file_is_indented_json_keeping_non_ascii_text() -> None:
    plan = _plan(_nsg("web", "web", body={"location": "norwayeast", "tags": {"owner": "Kåre Ødegård"}}))
    text = arm_template_json(plan)
    assert text.startswith('{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/'
                           'deploymentTemplate.json#",\n  "contentVersion": "1.0.0.0",\n')
    assert '\n      "owner": "Kåre Ødegård"\n' in text and text.endswith("}\n")
    assert json.loads(text) == arm_template(plan)


def test_registering_a_template_hook_keeps_the_function_its_module_defined() -> None:
    from azwizard.plan import export_arm

    kind = "Microsoft.Example/gadgets"

    def names(step: Step, ctx: ArmContext) -> list[str] | None:
        return None

    def adjust(step: Step, ctx: ArmContext, resource: dict[str, Any]) -> None:
        return None

    try:
        assert arm_names(kind)(names) is names
        assert arm_resource(kind)(adjust) is adjust
        assert export_arm._NAMES[kind.lower()] is names and export_arm._RESOURCE_HOOKS[kind.lower()] is adjust
    finally:
        export_arm._NAMES.pop(kind.lower(), None)
        export_arm._RESOURCE_HOOKS.pop(kind.lower(), None)
