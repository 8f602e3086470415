"""``az vm create`` on its own (no ``--nics``): az builds an ARM template with the VNet, NSG, public IP, NIC
and VM and sends it as a deployment; the simulator runs it resource by resource through its providers."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from azcli.azcli_helpers import Az

RG = "vmcreate-rg"


def test_az_vm_create_builds_its_network_through_a_template_deployment(az: Az) -> None:
    key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    az.run("group", "create", "--name", RG, "--location", "norwayeast", "-o", "none")
    # Ubuntu2204 is an alias: az asks the cloud's alias document (the simulator answers 404), warns, and uses
    # its bundled copy (Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2).
    out = az.run("vm", "create", "-g", RG, "-n", "vm1", "--image", "Ubuntu2204", "--size", "Standard_B2als_v2",
                 "--admin-username", "azureuser", "--ssh-key-values", key, "-o", "json")
    assert "Failed to retrieve image alias doc" in out.stderr and "Use local copy instead" in out.stderr
    vm = json.loads(out.stdout)
    assert vm["powerState"] == "VM running"
    assert ipaddress.ip_address(vm["privateIpAddress"]) in ipaddress.ip_network("10.0.0.0/24")
    assert ipaddress.ip_address(vm["publicIpAddress"]).version == 4

    state = {k.split("/providers/", 1)[-1]: v for k, v in az.sim.resources().items() if "/providers/" in k}
    assert {k.rsplit("/", 1)[0] for k in state} == {
        "microsoft.network/virtualnetworks", "microsoft.network/networksecuritygroups",
        "microsoft.network/publicipaddresses", "microsoft.network/networkinterfaces",
        "microsoft.compute/virtualmachines", "microsoft.compute/disks"}
    assert all(v["properties"]["provisioningState"] == "Succeeded" for v in state.values())
    nic = state["microsoft.network/networkinterfaces/vm1vmnic"]["properties"]
    assert nic["networkSecurityGroup"]["id"].lower().endswith("/networksecuritygroups/vm1nsg")
    image = state["microsoft.compute/virtualmachines/vm1"]["properties"]["storageProfile"]["imageReference"]
    assert (image["publisher"], image["offer"], image["sku"]) == (
        "Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2")

    # The deployment az sent, as az reads it back; its resources went to the providers in dependsOn order.
    (dep,) = az.json("deployment", "group", "list", "-g", RG)
    assert dep["name"].startswith("vm_deploy_") and dep["properties"]["provisioningState"] == "Succeeded"
    assert len(dep["properties"]["outputResources"]) == 5
    sent = [r for r in az.sim.requests() if r["command"] == "vm create"]
    assert [(r["method"], r["status"]) for r in sent if "/deployments/" in r["path"]][0] == ("PUT", 201)

    # A size the region does not have: the deployment fails with Compute's own error inside DeploymentFailed.
    bad = az.run("vm", "create", "-g", RG, "-n", "vm2", "--image", "Ubuntu2204", "--size", "Standard_Bogus_v9",
                 "--admin-username", "azureuser", "--ssh-key-values", key, "--nsg", "", "--public-ip-address", "",
                 "-o", "json", check=False)
    assert bad.returncode == 1
    assert '"code": "DeploymentFailed"' in bad.stderr and '"code": "InvalidParameter"' in bad.stderr
    assert "The value Standard_Bogus_v9 provided for the VM size is not valid" in bad.stderr
    failed = [d for d in az.json("deployment", "group", "list", "-g", RG)
              if d["properties"]["provisioningState"] == "Failed"]
    assert len(failed) == 1
    assert az.sim.get(f"/subscriptions/{az.sim.subscription}/resourceGroups/{RG}/providers/"
                      "Microsoft.Compute/virtualMachines/vm2") is None


TEMPLATE = """// A template file with a comment, as people write them: az sends its text as it is.
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"name": {"type": "string"}},
  "resources": [{
    "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "[parameters('name')]",
    "location": "[resourceGroup().location]", "sku": {"name": "Standard"}, "zones": ["1", "2", "3"],
    "properties": {"publicIPAddressVersion": "IPv6", "publicIPAllocationMethod": "Static"}
  }],
  "outputs": {"ip": {"type": "string", "value": "[reference(parameters('name')).ipAddress]"}}
}
"""


def test_az_deployment_group_create_runs_a_template_file(az: Az, tmp_path: Path) -> None:
    az.run("group", "create", "--name", RG, "--location", "norwayeast", "-o", "none")
    path = tmp_path / "pip.jsonc"
    path.write_text(TEMPLATE)
    dep = az.json("deployment", "group", "create", "-g", RG, "--name", "pip", "--template-file", str(path),
                  "--parameters", "name=web-ipv6")
    assert dep["properties"]["provisioningState"] == "Succeeded"
    ip = dep["properties"]["outputs"]["ip"]["value"]
    assert ipaddress.ip_address(ip).version == 6
    stored = az.sim.get(f"/subscriptions/{az.sim.subscription}/resourceGroups/{RG}/providers/"
                        "Microsoft.Network/publicIPAddresses/web-ipv6")
    assert stored is not None and stored["properties"]["ipAddress"] == ip and stored["zones"] == ["1", "2", "3"]
    # az validates first (POST .../validate), then PUTs the deployment and polls it.
    sent = [(r["method"], r["path"].rsplit("/", 1)[-1], r["status"]) for r in az.sim.requests()
            if r["command"] == "deployment group create" and "/operationStatuses/" not in r["path"]]
    assert sent[:2] == [("POST", "validate", 200), ("PUT", "pip", 201)]
