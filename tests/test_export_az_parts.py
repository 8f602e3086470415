"""The exporters' small helpers in isolation (issue 27's surviving mutants): the names of the files an az script
writes, the options every create command shares, and the tags an ARM template shares or keeps per resource."""

from __future__ import annotations

from azwizard.plan.export_az import AzContext, BodyReader, Var, _Cmd, _common
from azwizard.plan.model import Plan

SUB = "00000000-0000-0000-0000-000000000000"


def _ctx() -> AzContext:
    return AzContext(Plan("vm", "run-1", SUB, "norwayeast", ()), Var("SUBSCRIPTION", SUB),
                     Var("LOCATION", "norwayeast"), Var("RG", "Yolo-RG"))


def test_files_of_one_stem_get_numbered_names_and_keep_their_own_text() -> None:
    ctx = _ctx()
    names = [ctx.text_file("CUSTOM_DATA_FILE", data).name for data in (b"one", b"two", b"three")]
    assert names == ["CUSTOM_DATA_FILE", "CUSTOM_DATA_FILE_2", "CUSTOM_DATA_FILE_3"]
    assert [(f.var.name, f.data) for f in ctx.files] == list(zip(names, (b"one", b"two", b"three"), strict=True))


def _options(body: dict[str, object], **kw: bool) -> dict[str, tuple[object, ...]]:
    cmd = _Cmd("network", "nsg", "create")
    _common(cmd, BodyReader(body), _ctx(), **kw)
    return dict(cmd.build().options)


def test_location_and_tags_are_passed_only_when_the_body_has_them_and_the_command_takes_them() -> None:
    ctx = _ctx()
    both = _options({"location": "norwayeast", "tags": {"team": "blue"}})
    assert both == {"--location": (ctx.location,), "--tags": ("team=blue",)}
    assert _options({"location": "westeurope"}) == {"--location": ("westeurope",)}  # not the script's variable
    assert _options({}) == {}
    assert _options({"tags": {}}) == {}  # no tags: no empty --tags
    assert _options({"location": "norwayeast", "tags": {"a": "b"}}, location=False, tags=False) == {}


def test_an_arm_template_shares_the_common_tags_and_keeps_a_resources_own() -> None:
    from azwizard.plan.export_arm import arm_template
    from azwizard.plan.model import Step

    group = f"/subscriptions/{SUB}/resourceGroups/Yolo-RG"
    kind = "Microsoft.Network/networkSecurityGroups"
    common, own = {"created-by": "azwizard", "azwizard-run": "run-1"}, {"created-by": "azwizard", "team": "blue"}
    plan = Plan("vm", "run-1", SUB, "norwayeast", (
        Step("rg", "Microsoft.Resources/resourceGroups", "Yolo-RG", group, {"location": "norwayeast", "tags": common}),
        Step("a", kind, "a", f"{group}/providers/{kind}/a", {"location": "norwayeast", "tags": common},
             depends_on=("rg",)),
        Step("b", kind, "b", f"{group}/providers/{kind}/b", {"location": "norwayeast", "tags": own},
             depends_on=("rg",)),
    ))
    template = arm_template(plan)
    tags = {str(r["name"]): r.get("tags") for r in template["resources"]}  # the group is outside the template
    assert tags == {"[parameters('aName')]": "[variables('tags')]", "[parameters('bName')]": own}
    assert template["variables"] == {"tags": common}


def test_a_reference_is_a_name_only_for_a_resource_of_that_kind_in_the_plans_group() -> None:
    ctx = _ctx()
    nsg = f"/subscriptions/{SUB}/resourceGroups/Yolo-RG/providers/Microsoft.Network/networkSecurityGroups/web"
    assert ctx.ref(nsg, "Microsoft.Network/networkSecurityGroups") == "web"
    assert ctx.ref(nsg, "Microsoft.Network/publicIPAddresses") == nsg  # another kind: its id
    assert ctx.ref(nsg, "Microsoft.Compute/networkSecurityGroups") == nsg  # another namespace: its id
    other_group = nsg.replace("Yolo-RG", "Other-RG")
    assert ctx.ref(other_group, "Microsoft.Network/networkSecurityGroups") == other_group
    subnet = f"/subscriptions/{SUB}/resourceGroups/Yolo-RG/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
    assert ctx.ref(subnet, "Microsoft.Network/virtualNetworks") == subnet  # a child resource: its id


def test_custom_data_with_a_delete_character_goes_through_base64() -> None:
    from azwizard.plan.export_az import _heredoc

    assert any("base64 -d" in line for line in _heredoc(Var("CUSTOM_DATA", ""), b"a\x7fb"))
    assert not any("base64 -d" in line for line in _heredoc(Var("CUSTOM_DATA", ""), b"#cloud-config\n\tx: 1\n"))


def test_an_arm_template_takes_the_vms_admin_and_backup_item_from_its_parameters() -> None:
    from azwizard.plan.export_arm import arm_template
    from azwizard.plan.vm import plan_vm
    from azwizard.specs.vm import BackupSpec, VmSpec

    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
    spec = VmSpec.for_base("Yolo", ssh_public_key=key).with_(backup=BackupSpec(enabled=True))
    template = arm_template(plan_vm(spec, subscription_id=SUB, run_id="r", created_at="t"))
    by_type = {r["type"]: r for r in template["resources"]}
    vm = by_type["Microsoft.Compute/virtualMachines"]
    assert vm["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"] == [
        {"path": "[format('/home/{0}/.ssh/authorized_keys', parameters('adminUsername'))]",
         "keyData": "[parameters('adminPublicKey')]"}]
    item = by_type["Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"]
    assert item["name"] == (
        "[concat(parameters('vaultName'), '/', 'Azure', '/', concat('IaasVMContainer;iaasvmcontainerv2;', "
        "resourceGroup().name, ';', parameters('vmName')), '/', concat('VM;iaasvmcontainerv2;', "
        "resourceGroup().name, ';', parameters('vmName')))]")


_NSG, _RA = "Microsoft.Network/networkSecurityGroups", "Microsoft.Authorization/roleAssignments"
_GROUP = f"/subscriptions/{SUB}/resourceGroups/Yolo-RG"


def test_an_extension_resource_is_depended_on_by_its_extension_id_and_a_patch_waits_only_for_its_steps() -> None:
    """A step after a role assignment depends on the assignment's extensionResourceId (not a resourceId, which
    names no such resource); a later change to a resource (a nested deployment) depends on exactly the steps it
    depends on, never on the resource group (outside the template) nor on the rest of the plan; an id-shaped
    value with no resource name stays a literal, and a group or subscription id becomes its own expression."""
    from azwizard.plan.export_arm import arm_template
    from azwizard.plan.model import Step

    a_id = f"{_GROUP}/providers/{_NSG}/a"
    no_name = f"{_GROUP}/providers/{_NSG}"  # a type without a name: not a resource id ARM could name
    other = "11111111-1111-1111-1111-111111111111"
    scopes = [_GROUP, _GROUP.replace("Yolo-RG", "Other-RG"), f"/subscriptions/{SUB}", f"/subscriptions/{other}",
              f"/subscriptions/{other}/resourceGroups/g"]
    plan = Plan("vm", "run-1", SUB, "norwayeast", (
        Step("rg", "Microsoft.Resources/resourceGroups", "Yolo-RG", _GROUP, {"location": "norwayeast"}),
        Step("a", _NSG, "a", a_id, {"location": "norwayeast"}, depends_on=("rg",)),
        Step("ra", _RA, "r1", f"{a_id}/providers/{_RA}/r1", {"properties": {"principalId": "p"}}, depends_on=("a",)),
        Step("b", _NSG, "b", f"{_GROUP}/providers/{_NSG}/b", {"location": "norwayeast",
                                                             "properties": {"x": no_name, "scopes": scopes}},
             depends_on=("ra",)),
        Step("a-patch", _NSG, "a", a_id, {"properties": {"y": 1}}, depends_on=("rg", "a", "b"), patch_of="a"),
    ))
    resources = arm_template(plan)["resources"]
    b = next(r for r in resources if r["name"] == "[parameters('bName')]")
    assert b["dependsOn"] == [f"[extensionResourceId(resourceId('{_NSG}', parameters('aName')), '{_RA}', 'r1')]"]
    assert b["properties"] == {"x": no_name, "scopes": [
        "[resourceGroup().id]", "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'Other-RG')]",
        "[subscription().id]", f"/subscriptions/{other}",  # no expression names another subscription itself
        f"[subscriptionResourceId('{other}', 'Microsoft.Resources/resourceGroups', 'g')]"]}
    (patch,) = [r for r in resources if r["type"] == "Microsoft.Resources/deployments"]
    assert patch["dependsOn"] == [f"[resourceId('{_NSG}', parameters('aName'))]",
                                  f"[resourceId('{_NSG}', parameters('bName'))]"]
    assert patch["properties"]["template"]["resources"][0]["properties"] == {"y": 1}


def test_an_extension_resource_gets_a_scope_only_on_a_resource_of_the_deployments_group() -> None:
    from azwizard.plan.export_arm import ArmContext

    ctx = ArmContext(Plan("aks", "run-1", SUB, "norwayeast", ()), "Yolo-RG")
    registry = f"{_GROUP}/providers/Microsoft.ContainerRegistry/registries/reg1"
    assert ctx.scope_value(registry) == "Microsoft.ContainerRegistry/registries/reg1"
    assert ctx.scope_value(registry.replace("Yolo-RG", "yolo-rg")) == "Microsoft.ContainerRegistry/registries/reg1"
    other_sub = "11111111-1111-1111-1111-111111111111"
    for elsewhere in (registry.replace("Yolo-RG", "Other-RG"),  # another group
                      registry.replace(SUB, other_sub),  # another subscription
                      f"/subscriptions/{SUB}/providers/Microsoft.Foo/bars/b1",  # no group
                      f"{registry}/providers/{_RA}/r1",  # itself an extension resource
                      _GROUP,  # a group, not a resource in it
                      f"{_GROUP}/providers/{_NSG}"):  # no name: not an id
        assert ctx.scope_value(elsewhere) is None, elsewhere


def test_a_data_disk_az_vm_create_cannot_make_falls_back_to_the_exact_body() -> None:
    """az vm create --data-disk-sizes-gb makes new empty disks at LUN 0, 1, …: a disk at another LUN or attached
    from elsewhere is not what it would make, so the VM is sent as its exact body."""
    import copy
    from dataclasses import replace

    from azwizard.plan.export_az import StepCommands, export
    from azwizard.plan.vm import plan_vm
    from azwizard.specs.vm import DiskSpec, VmSpec

    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
    plan = plan_vm(VmSpec.for_base("Yolo", ssh_public_key=key, data_disk=DiskSpec(size_gb=64)),
                   subscription_id=SUB, run_id="r", created_at="t")
    vm_step = next(s for s in plan.steps if s.kind == "Microsoft.Compute/virtualMachines")

    def vm_commands(change: dict[str, object]) -> StepCommands:
        body = copy.deepcopy(dict(vm_step.body))
        body["properties"]["storageProfile"]["dataDisks"][0].update(change)
        changed = replace(plan, steps=tuple(replace(s, body=body) if s is vm_step else s for s in plan.steps))
        return next(sc for sc in export(changed).steps if sc.step.key == vm_step.key)

    assert not vm_commands({}).generic
    for change in ({"lun": 1}, {"createOption": "Attach"}):
        sc = vm_commands(change)
        assert sc.generic and "not new empty disks" in sc.notes[0], change


def test_a_list_option_holding_a_value_that_starts_with_a_dash_cannot_be_written() -> None:
    """argparse ends an option's list at a value starting with "-" and "--opt=value" carries one value only: two
    or more values with such a one cannot be said on an az command line; one value can (as --opt=-x)."""
    from azwizard.plan.export_az import AzCommand, _dash_in_list

    def cmd(*values: str) -> AzCommand:
        return _Cmd("network", "nsg", "create").opt("--tags", *values).build()

    assert _dash_in_list(cmd("a=1", "-b=2")) is not None
    assert _dash_in_list(cmd("a=1", "b=2", "-c")) is not None
    assert _dash_in_list(cmd("-a=1")) is None
    assert _dash_in_list(cmd("a=1", "b=2")) is None


def test_a_value_az_only_approximates_is_read_noted_and_counted_as_expressed() -> None:
    reader = BodyReader({"properties": {"description": "made by azwizard", "other": 1}})
    assert reader.approx("properties", "description", note="az sets no description") == "made by azwizard"
    assert reader.approx("properties", "missing", note="never said") is None
    assert reader.notes == ["az sets no description"]
    assert reader.leftovers() == ["properties.other"]


def _vm_plan(**changes: object) -> Plan:
    from azwizard.plan.vm import plan_vm
    from azwizard.specs.vm import VmSpec

    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
    return plan_vm(VmSpec.for_base("Yolo", ssh_public_key=key, **changes),  # type: ignore[arg-type]
                   subscription_id=SUB, run_id="r", created_at="t")


def test_the_ssh_key_path_is_a_flag_only_when_it_is_not_azs_default() -> None:
    import copy
    from dataclasses import replace

    from azwizard.plan.export_az import az_commands

    plan = _vm_plan()
    vm_step = next(s for s in plan.steps if s.kind == "Microsoft.Compute/virtualMachines")
    create = next(c for c in az_commands(plan) if c[1:3] == ["vm", "create"])
    assert not any(a.startswith("--ssh-dest-key-path") for a in create)  # /home/<admin>/.ssh/authorized_keys
    body = copy.deepcopy(dict(vm_step.body))
    body["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["path"] = "/etc/ssh/keys/k"
    moved = replace(plan, steps=tuple(replace(s, body=body) if s is vm_step else s for s in plan.steps))
    create = next(c for c in az_commands(moved) if c[1:3] == ["vm", "create"])
    assert "--ssh-dest-key-path=/etc/ssh/keys/k" in create or "/etc/ssh/keys/k" in create


def test_the_script_tells_shellcheck_a_dollar_is_text_only_when_a_value_holds_one() -> None:
    from azwizard.plan.export_az import az_script

    assert "# shellcheck disable=SC2016" not in az_script(_vm_plan())
    for text in ("cost$centre", "back`tick"):
        script = az_script(_vm_plan(extra_tags=(("team", text),)))
        assert script.splitlines()[1] == "# shellcheck disable=SC2016", text


def test_the_script_lists_where_az_differs_only_when_it_does() -> None:
    import copy
    from dataclasses import replace

    from azwizard.plan.export_az import az_script

    plan = _vm_plan()
    assert "# Where az differs from what azwizard sends:" not in az_script(plan)
    nsg = next(s for s in plan.steps if s.kind == "Microsoft.Network/networkSecurityGroups")
    body = copy.deepcopy(dict(nsg.body))
    body["properties"]["flushConnection"] = True  # no az flag: the exact body, and a note saying so
    script = az_script(replace(plan, steps=tuple(replace(s, body=body) if s is nsg else s for s in plan.steps)))
    lines = script.splitlines()
    at = lines.index("# Where az differs from what azwizard sends:")
    assert "properties.flushConnection" in lines[at + 1]
