"""The az script's exact commands for the VM journey's kinds, and every body an az command cannot say falling back to
``az resource create --is-full-object`` with that exact body and a note saying why (the script never drops a
property, never sends one az would change). Built plans, no subprocess: each test is a function call."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from export_helpers import argv as _argv
from export_helpers import commands as _commands
from export_helpers import edited as _edited
from export_helpers import fallback as _fallback

from azwizard.plan.export_az import (
    AzCommand,
    AzContext,
    BodyReader,
    Var,
    _Cmd,
    _heredoc,
    az_exporter,
    export,
)
from azwizard.plan.model import Plan, Step
from azwizard.plan.vm import plan_vm
from azwizard.specs.vm import BackupSpec, DiskSpec, VmSpec

SUB = "00000000-0000-0000-0000-000000000000"
GROUP = f"/subscriptions/{SUB}/resourceGroups/Yolo-RG"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"
NIC_ID = f"{GROUP}/providers/Microsoft.Network/networkInterfaces/Yolo-NIC"
TAGS = ["--tags", "created-by=azwizard", "azwizard-run=r", "azwizard-journey=vm", "azwizard-created=t"]


def _plan(**changes: Any) -> Plan:
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY).with_(backup=BackupSpec(enabled=True), **changes)
    return plan_vm(spec, subscription_id=SUB, run_id="r", created_at="t")


def _props(body: dict[str, Any], *path: str | int) -> Any:
    node: Any = body["properties"]
    for part in path:
        node = node[part]
    return node


def _second_nic(body: dict[str, Any], **props: Any) -> None:
    nics = _props(body, "networkProfile", "networkInterfaces")
    nics.append({"id": NIC_ID.replace("Yolo-NIC", "Yolo-NIC2"), "properties": props})


def _second_key(body: dict[str, Any]) -> None:
    keys = _props(body, "osProfile", "linuxConfiguration", "ssh", "publicKeys")
    keys.append({"path": "/home/other/.ssh/authorized_keys", "keyData": KEY})


# (step, edit of its body, why az cannot say it)
FALLBACKS: dict[str, tuple[str, Callable[[dict[str, Any]], object]]] = {
    "az cannot express static private IP": (
        "nic", lambda b: _props(b, "ipConfigurations", 0, "properties").update(privateIPAllocationMethod="Static")),
    "az cannot express a NIC without IP configurations": ("nic", lambda b: b["properties"].update(ipConfigurations=[])),
    "az cannot express the first IP configuration is not named ipconfig1": (
        "nic", lambda b: _props(b, "ipConfigurations", 0).update(name="primary")),
    "az cannot express the first IP configuration is not primary": (
        "nic", lambda b: _props(b, "ipConfigurations", 0, "properties").update(primary=False)),
    "az cannot express a secondary IP configuration marked primary": (
        "nic", lambda b: _props(b, "ipConfigurations", 1, "properties").update(primary=True)),
    "az cannot express a VM without an existing NIC": (
        "vm", lambda b: _props(b, "networkProfile").update(networkInterfaces=[])),
    "az cannot express a NIC other than the first is primary": (
        "vm", lambda b: _second_nic(b, primary=True, deleteOption="Delete")),
    "az cannot express a delete option on only some NICs": ("vm", lambda b: _second_nic(b, primary=False)),
    "az cannot express an image that is not a marketplace URN": (
        "vm", lambda b: _props(b, "storageProfile").update(imageReference={"id": f"{GROUP}/providers/"
                                                                           "Microsoft.Compute/images/golden"})),
    "az cannot express different zones per item": ("vm", lambda b: b.update(zones=["1", "2"])),
    "az cannot express password authentication": (
        "vm", lambda b: _props(b, "osProfile", "linuxConfiguration").update(disablePasswordAuthentication=False)),
    "az cannot express different SSH key paths per item": ("vm", _second_key),
    # b64decode without validate=True would drop the "!" and read "abc"
    "az cannot express customData is not base64": ("vm", lambda b: _props(b, "osProfile").update(customData="YWJj!")),
    "az cannot express boot diagnostics in a storage account": (
        "vm", lambda b: _props(b, "diagnosticsProfile", "bootDiagnostics").update(
            storageUri="https://yolodiag.blob.core.windows.net/")),
    "az cannot express a protected item that is not an Azure VM": (
        "backup", lambda b: b["properties"].update(protectedItemType="AzureFileShareProtectedItem")),
    "az cannot express a backup policy from another vault": (
        "backup", lambda b: b["properties"].update(policyId=b["properties"]["policyId"].replace("Yolo-RSV", "Other"))),
}


@pytest.mark.parametrize("why", list(FALLBACKS))
def test_what_az_cannot_say_is_sent_as_the_exact_body_with_the_reason(why: str) -> None:
    key, edit = FALLBACKS[why]
    plan = _plan()
    assert not _commands(plan, key).generic
    assert _fallback(_edited(plan, key, edit), key) == why


def _data_disks(*disks: dict[str, Any]) -> Callable[[dict[str, Any]], object]:
    return lambda b: _props(b, "storageProfile").update(dataDisks=[
        {"lun": i, "createOption": "Empty", "diskSizeGB": 64, **d} for i, d in enumerate(disks)])


def test_data_disks_az_vm_create_cannot_make_are_sent_as_the_exact_body() -> None:
    plan = _plan(data_disk=DiskSpec(size_gb=64))
    assert _fallback(_edited(plan, "vm", _data_disks({"caching": "ReadOnly"})), "vm") == \
        "az cannot express data disk caching"
    assert _fallback(_edited(plan, "vm", _data_disks({"deleteOption": "Delete"}, {})), "vm") == \
        "az cannot express a delete option on only some data disks"
    (create, _) = _argv(_edited(plan, "vm", _data_disks({"deleteOption": "Detach"}, {"deleteOption": "Detach"})), "vm")
    at = create.index("--data-disk-sizes-gb")
    assert create[at:at + 5] == ["--data-disk-sizes-gb", "64", "64", "--data-disk-delete-option", "Detach"]


def test_the_nic_commands_are_exact_and_ip_forwarding_is_said_only_when_the_body_has_it() -> None:
    plan = _plan()
    create, ip_config = _argv(plan, "nic")
    assert create == ["az", "network", "nic", "create", "--resource-group=Yolo-RG", "--name", "Yolo-NIC",
                      "--vnet-name", "Yolo-VNet", "--subnet", "default", "--private-ip-address-version", "IPv4",
                      "--public-ip-address", "Yolo-IPv4", "--accelerated-networking", "false",
                      "--location=norwayeast", *TAGS]
    assert ip_config == ["az", "network", "nic", "ip-config", "create", "--resource-group=Yolo-RG",
                         "--nic-name", "Yolo-NIC", "--name", "ipconfig2", "--vnet-name", "Yolo-VNet",
                         "--subnet", "default", "--private-ip-address-version", "IPv6",
                         "--public-ip-address", "Yolo-IPv6"]
    forwarding = _edited(plan, "nic", lambda b: b["properties"].update(enableIPForwarding=True))
    create, _ = _argv(forwarding, "nic")
    assert create[create.index("--accelerated-networking"):][:4] == [
        "--accelerated-networking", "false", "--ip-forwarding", "true"]


def test_two_nics_with_their_own_delete_options_are_named_one_by_one() -> None:
    plan = _edited(_plan(), "vm", lambda b: _second_nic(b, primary=False, deleteOption="Detach"))
    create, _ = _argv(plan, "vm")
    at = create.index("--nics")
    assert create[at:at + 6] == ["--nics", "Yolo-NIC", "Yolo-NIC2", "--nic-delete-option", "Yolo-NIC=Delete",
                                 "Yolo-NIC2=Detach"]


def test_base64_custom_data_becomes_the_scripts_file_of_its_decoded_text() -> None:
    text = b"#cloud-config\nruncmd: [echo hi]\n"
    plan = _edited(_plan(), "vm", lambda b: _props(b, "osProfile").update(customData=base64.b64encode(text).decode()))
    ex = export(plan)
    assert [(f.var.name, f.data) for f in ex.files] == [("CUSTOM_DATA_FILE", text)]
    create = next(sc for sc in ex.steps if sc.step.key == "vm").commands[0].argv()
    assert f"--custom-data={text.decode()}" in create


def _ctx() -> AzContext:
    return AzContext(Plan("vm", "r", SUB, "norwayeast", ()), Var("SUBSCRIPTION", SUB), Var("LOCATION", "norwayeast"),
                     Var("RG", "Yolo-RG"))


def test_a_subnet_is_named_by_its_vnet_only_in_the_plans_group() -> None:
    ctx = _ctx()
    subnet = f"{GROUP}/providers/Microsoft.Network/virtualNetworks/v1/subnets/s1"
    assert ctx.subnet_ref(subnet) == (("--vnet-name", ("v1",)), ("--subnet", ("s1",)))
    for elsewhere in (subnet.replace("Yolo-RG", "Other-RG"),  # another group: az would look in the plan's
                      subnet.replace("virtualNetworks", "virtualHubs"),  # not a VNet's subnet
                      subnet.replace("Microsoft.Network", "Microsoft.Other"),
                      subnet.replace("/subnets/", "/ipConfigurations/"),
                      f"{subnet}/more/x",  # not a subnet's id
                      "s1"):  # not an id
        assert ctx.subnet_ref(elsewhere) == (("--subnet", (elsewhere,)),), elsewhere


def test_a_body_reader_reads_list_items_only_where_they_are() -> None:
    reader = BodyReader({"zones": ["1", "2"], "sku": {"name": "Standard"}})
    assert reader.has("zones", 1) and reader.peek("zones", 1) == "2"
    assert not reader.has("zones", 2)  # one past the end
    assert not reader.has("sku", 0)  # an index into a mapping
    assert reader.peek("zones", 2, default="none") == "none"
    assert reader.get("zones", 5, default="none") == "none"
    assert reader.get("sku", "tier") is None and reader.get("sku", "tier", default="Regional") == "Regional"
    assert reader.leftovers() == ["zones.0", "zones.1", "sku.name"]  # a missing value read marks nothing
    assert reader.get("zones", 0) == "1"
    assert reader.leftovers() == ["zones.1", "sku.name"]


def test_a_short_command_stays_on_one_line_and_a_longer_one_takes_a_line_per_option() -> None:
    one = _Cmd("account", "set").opt("--subscription", Var("SUBSCRIPTION", SUB)).build()
    assert one.render() == 'az account set --subscription="$SUBSCRIPTION"'
    two = _Cmd("group", "show").opt("--name", "g1").opt("--query", "id").build()
    assert two.render() == "az group show \\\n  --name g1 \\\n  --query id"
    assert _Cmd("version").build().render() == "az version"


def test_the_custom_data_delimiter_is_one_no_line_of_the_text_is() -> None:
    var = Var("CUSTOM_DATA_FILE", "")
    assert _heredoc(var, b"echo hi\n") == ["cat > \"$CUSTOM_DATA_FILE\" <<'AZWIZARD_CUSTOM_DATA'",
                                           "echo hi\nAZWIZARD_CUSTOM_DATA"]
    assert _heredoc(var, b"AZWIZARD_CUSTOM_DATA\n")[0].endswith("<<'AZWIZARD_CUSTOM_DATA_2'")
    text = b"AZWIZARD_CUSTOM_DATA\nAZWIZARD_CUSTOM_DATA_2\nAZWIZARD_CUSTOM_DATA_4\n"
    assert _heredoc(var, text) == ["cat > \"$CUSTOM_DATA_FILE\" <<'AZWIZARD_CUSTOM_DATA_3'",
                                   text.decode() + "AZWIZARD_CUSTOM_DATA_3"]


def test_the_scripts_group_variable_is_the_group_the_plan_creates_wherever_its_step_is() -> None:
    plan = _plan()
    rg, vault = plan.step("rg"), plan.step("vault")
    # the first step is a resource of another group; the plan's own group comes after it
    elsewhere = replace(vault, resource_id=vault.resource_id.replace("Yolo-RG", "Shared-RG"))
    moved = replace(plan, steps=(elsewhere, rg, *(s for s in plan.steps if s.key not in ("rg", "vault"))))
    assert export(moved).variables[2] == Var("RG", "Yolo-RG")
    without_group = replace(plan, steps=(replace(elsewhere, depends_on=()),))
    assert export(without_group).variables[2] == Var("RG", "Shared-RG")
    assert export(replace(plan, steps=())).variables[2] == Var("RG", "")


def test_a_registered_exporter_stays_the_function_its_module_defined() -> None:
    from azwizard.plan import export_az

    kind = "Microsoft.Example/gadgets"

    def gadget(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
        return [_Cmd("gadget", "create").opt("--name", step.name).build()]

    try:
        assert az_exporter(kind)(gadget) is gadget  # a decorator: the module's name still calls it
        assert export_az._EXPORTERS[kind.lower()] is gadget
    finally:
        export_az._EXPORTERS.pop(kind.lower(), None)
