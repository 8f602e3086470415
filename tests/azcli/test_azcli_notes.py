"""The notes' az commands (the dual-stack VM and AKS setups the README describes), run by the real az against ``azwizard sim serve``:
each answered as Azure would, and the simulator's state afterwards is what Azure's would be."""

from __future__ import annotations

import ipaddress
from typing import Any

from azcli.azcli_helpers import Az

RG = "test_rg"
LOC = "norwayeast"


def rid(az: Az, kind: str, name: str, rg: str = RG) -> str:
    return f"/subscriptions/{az.sim.subscription}/resourceGroups/{rg}/providers/{kind}/{name}"


def props(body: dict[str, Any] | None) -> dict[str, Any]:
    assert body is not None
    return dict(body["properties"])


def test_notes_vm_network_commands(az: Az) -> None:
    """Resource group, dual-stack VNet, public IPv4 + IPv6, NSG with the notes' rules on the subnet, a NIC with
    an IPv6 ipconfig; then az group delete removes everything."""
    group = az.json("group", "create", "--name", RG, "--location", LOC)
    assert group["name"] == RG and group["location"] == LOC
    assert group["properties"]["provisioningState"] == "Succeeded"
    assert az.sim.get(f"/subscriptions/{az.sim.subscription}/resourceGroups/{RG}")["location"] == LOC

    # VNet: IPv4 /16 + ULA /48, subnet "default" with the first /24 and /64 (notes, "Create a virtual network").
    vnet = az.json("network", "vnet", "create", "-g", RG, "-n", "Yolo-VNet",
                   "--address-prefixes", "10.0.0.0/16", "fd00:db8:1234::/48",
                   "--subnet-name", "default", "--subnet-prefixes", "10.0.0.0/24", "fd00:db8:1234::/64")["newVNet"]
    assert vnet["provisioningState"] == "Succeeded"
    assert vnet["addressSpace"]["addressPrefixes"] == ["10.0.0.0/16", "fd00:db8:1234::/48"]
    stored = props(az.sim.get(rid(az, "Microsoft.Network/virtualNetworks", "Yolo-VNet")))
    assert stored["provisioningState"] == "Succeeded"
    assert stored["addressSpace"]["addressPrefixes"] == ["10.0.0.0/16", "fd00:db8:1234::/48"]
    (subnet,) = stored["subnets"]
    assert subnet["name"] == "default"
    assert subnet["properties"]["addressPrefixes"] == ["10.0.0.0/24", "fd00:db8:1234::/64"]

    # Public IPs: Standard, static, zone-redundant, both versions.
    for version, name in (("IPv6", "Yolo-IPv6"), ("IPv4", "Yolo-IPv4")):
        pip = az.json("network", "public-ip", "create", "-g", RG, "-n", name, "--version", version,
                      "--sku", "Standard", "--zone", "1", "2", "3")["publicIp"]
        assert pip["publicIPAddressVersion"] == version and pip["zones"] == ["1", "2", "3"]
        stored = az.sim.get(rid(az, "Microsoft.Network/publicIPAddresses", name))
        assert stored is not None and stored["sku"] == {"name": "Standard", "tier": "Regional"}
        assert stored["zones"] == ["1", "2", "3"]
        p = stored["properties"]
        assert p["publicIPAllocationMethod"] == "Static"  # Standard is always static
        assert ipaddress.ip_address(p["ipAddress"]).version == int(version[-1])

    # NSG and the notes' inbound rules: ICMPv4 any port, SSH 22/TCP, HTTP(S) 80,443 any protocol.
    az.run("network", "nsg", "create", "-g", RG, "-n", "Yolo-NSG", "-o", "none")
    for name, priority, protocol, ports in (("ICMPv4", "100", "Icmp", ["*"]), ("SSH", "110", "Tcp", ["22"]),
                                            ("HTTP-HTTPS", "120", "*", ["80", "443"])):
        rule = az.json("network", "nsg", "rule", "create", "-g", RG, "--nsg-name", "Yolo-NSG", "-n", name,
                       "--priority", priority, "--protocol", protocol, "--access", "Allow",
                       "--direction", "Inbound", "--destination-port-ranges", *ports)
        assert rule["provisioningState"] == "Succeeded" and rule["priority"] == int(priority)
    nsg = props(az.sim.get(rid(az, "Microsoft.Network/networkSecurityGroups", "Yolo-NSG")))
    rules = {r["name"]: r["properties"] for r in nsg["securityRules"]}
    assert set(rules) == {"ICMPv4", "SSH", "HTTP-HTTPS"}
    assert rules["SSH"]["destinationPortRange"] == "22" and rules["SSH"]["protocol"] == "Tcp"
    assert rules["HTTP-HTTPS"]["destinationPortRanges"] == ["80", "443"]
    assert rules["ICMPv4"]["protocol"] == "Icmp" and rules["ICMPv4"]["sourceAddressPrefix"] == "*"
    assert all(r["access"] == "Allow" and r["direction"] == "Inbound" for r in rules.values())

    # Associate the NSG with the subnet (notes: "Go to the subnets tab and associate it").
    az.run("network", "vnet", "subnet", "update", "-g", RG, "--vnet-name", "Yolo-VNet", "-n", "default",
           "--network-security-group", "Yolo-NSG", "-o", "none")
    nsg_id = rid(az, "Microsoft.Network/networkSecurityGroups", "Yolo-NSG")
    (subnet,) = props(az.sim.get(rid(az, "Microsoft.Network/virtualNetworks", "Yolo-VNet")))["subnets"]
    assert subnet["properties"]["networkSecurityGroup"]["id"].lower() == nsg_id.lower()

    # NIC: primary IPv4 config with the public IPv4, then the notes' "ipconfig2" for IPv6.
    az.run("network", "nic", "create", "-g", RG, "-n", "Yolo-NIC", "--vnet-name", "Yolo-VNet", "--subnet", "default",
           "--public-ip-address", "Yolo-IPv4", "-o", "none")
    ipc = az.json("network", "nic", "ip-config", "create", "-g", RG, "--nic-name", "Yolo-NIC", "-n", "ipconfig2",
                  "--private-ip-address-version", "IPv6", "--vnet-name", "Yolo-VNet", "--subnet", "default",
                  "--public-ip-address", "Yolo-IPv6")
    assert ipc["privateIPAddressVersion"] == "IPv6" and ipc["primary"] is False
    nic = props(az.sim.get(rid(az, "Microsoft.Network/networkInterfaces", "Yolo-NIC")))
    configs = {c["name"]: c["properties"] for c in nic["ipConfigurations"]}
    assert set(configs) == {"ipconfig1", "ipconfig2"}
    assert configs["ipconfig1"]["primary"] is True
    assert ipaddress.ip_address(configs["ipconfig1"]["privateIPAddress"]) in ipaddress.ip_network("10.0.0.0/24")
    assert ipaddress.ip_address(configs["ipconfig2"]["privateIPAddress"]) in ipaddress.ip_network(
        "fd00:db8:1234::/64")
    assert configs["ipconfig2"]["publicIPAddress"]["id"].lower() == rid(
        az, "Microsoft.Network/publicIPAddresses", "Yolo-IPv6").lower()
    # What az show reads back is the stored NIC.
    shown = az.json("network", "nic", "show", "-g", RG, "-n", "Yolo-NIC")
    assert [c["name"] for c in shown["ipConfigurations"]] == ["ipconfig1", "ipconfig2"]

    az.run("group", "delete", "--name", RG, "--yes")
    assert az.sim.resources() == {}
    assert az.run("group", "show", "--name", RG, check=False).returncode == 3  # az: resource not found


AKS_CORRECTED = [
    # The notes' command with its two errors fixed: 1.29 is out of support (the server default is used
    # instead) and "a.b.c.d/e" is a placeholder (a real public IPv4 range here).
    "--resource-group=test_rg", "--name=test_aks", "--tier=standard", "--load-balancer-sku=standard",
    "--vm-set-type=VirtualMachineScaleSets", "-s", "Standard_B2als_v2", "--node-count=3",
    "--network-plugin=azure", "--network-plugin-mode=overlay", "--network-dataplane=cilium",
    "--ip-families=ipv4,ipv6", "--pod-cidrs=172.16.0.0/16,fdfb:4d1e:98bf::/48",
    "--service-cidrs=10.0.0.0/16,fd92:d839:1c02::/108", "--os-sku=AzureLinux", "--generate-ssh-keys",
    "--api-server-authorized-ip-ranges=51.120.0.0/16",
]


def test_notes_aks_create_corrected_stop_start_delete(az: Az) -> None:
    az.run("group", "create", "--name", RG, "--location", LOC, "-o", "none")
    cluster = az.json("aks", "create", *AKS_CORRECTED)
    assert cluster["provisioningState"] == "Succeeded"
    cid = rid(az, "Microsoft.ContainerService/managedClusters", "test_aks")
    stored = az.sim.get(cid)
    assert stored is not None and stored["sku"] == {"name": "Base", "tier": "Standard"}
    p = stored["properties"]
    assert p["provisioningState"] == "Succeeded" and p["powerState"] == {"code": "Running"}
    # az sent "" for the versions and the notes' size: the server picked its default version.
    versions = az.json("aks", "get-versions", "--location", LOC)
    default = next(v for v in versions["values"] if v.get("isDefault"))["version"]
    assert p["kubernetesVersion"].startswith(default) and p["currentKubernetesVersion"].startswith(default)
    (pool,) = p["agentPoolProfiles"]
    assert (pool["name"], pool["count"], pool["vmSize"], pool["osSKU"], pool["mode"]) == (
        "nodepool1", 3, "Standard_B2als_v2", "AzureLinux", "System")
    net = p["networkProfile"]
    assert net["ipFamilies"] == ["IPv4", "IPv6"]  # az sends ["ipv4","ipv6"]; Azure answers the enum's casing
    assert (net["networkPlugin"], net["networkPluginMode"], net["networkDataplane"]) == ("azure", "overlay", "cilium")
    assert net["podCidrs"] == ["172.16.0.0/16", "fdfb:4d1e:98bf::/48"]
    assert net["serviceCidrs"] == ["10.0.0.0/16", "fd92:d839:1c02::/108"]
    assert net["loadBalancerSku"] == "Standard"  # as the recordings' final GET answers
    assert p["apiServerAccessProfile"]["authorizedIPRanges"] == ["51.120.0.0/16"]
    assert p["linuxProfile"]["ssh"]["publicKeys"][0]["keyData"].startswith("ssh-rsa ")
    assert (az.home / ".ssh" / "id_rsa.pub").exists()  # --generate-ssh-keys wrote into the temp HOME
    node_rg = p["nodeResourceGroup"]
    assert node_rg == f"MC_{RG}_test_aks_{LOC}"
    assert az.sim.get(f"/subscriptions/{az.sim.subscription}/resourceGroups/{node_rg}") is not None

    # Stop and start (notes: az aks stop / start, then .powerState).
    az.run("aks", "stop", "--resource-group=test_rg", "--name=test_aks")
    assert props(az.sim.get(cid))["powerState"] == {"code": "Stopped"}
    assert az.json("aks", "show", "--resource-group=test_rg", "--name=test_aks")["powerState"] == {"code": "Stopped"}
    az.run("aks", "start", "--resource-group=test_rg", "--name=test_aks")
    assert props(az.sim.get(cid))["powerState"] == {"code": "Running"}
    shown = az.json("aks", "nodepool", "show", "--resource-group=test_rg", "--cluster-name=test_aks",
                    "--nodepool-name=nodepool1")
    assert shown["vmSize"] == "Standard_B2als_v2" and shown["count"] == 3

    # What the az commands sent: az's own api-versions and the lower-case resourcegroups path.
    sent = az.sim.requests()
    put = next(r for r in sent if r["method"] == "PUT" and r["path"].lower() == cid.lower())
    assert put["command"] == "aks create" and put["api_version"] == "2026-06-01" and put["status"] == 201
    assert any(r["path"].endswith(f"/resourcegroups/{RG}") and r["api_version"] == "2024-11-01" for r in sent)

    az.run("group", "delete", "--name", RG, "--yes")
    assert az.sim.resources() == {}  # the cluster and its MC_ node resource group went with the group


AKS_AS_WRITTEN = [
    "--resource-group=test_rg", "--name=test_aks", "--tier=standard", "--load-balancer-sku=standard",
    "--vm-set-type=VirtualMachineScaleSets", "-s", "Standard_B2als_v2", "--node-count=3", "--kubernetes-version=1.29",
    "--network-plugin=azure", "--network-plugin-mode=overlay", "--network-dataplane=cilium",
    "--ip-families=ipv4,ipv6", "--pod-cidrs=172.16.0.0/16,fdfb:4d1e:98bf::/48",
    "--service-cidrs=10.0.0.0/16,fd92:d839:1c02::/108", "--os-sku=AzureLinux", "--generate-ssh-keys",
    "--api-server-authorized-ip-ranges=a.b.c.d/e",
]


def test_notes_aks_create_as_written_is_rejected(az: Az) -> None:
    az.run("group", "create", "--name", RG, "--location", LOC, "-o", "none")

    # As written: az refuses the placeholder range itself, before sending anything.
    out = az.run("aks", "create", *AKS_AS_WRITTEN, check=False)
    assert out.returncode != 0
    assert "--api-server-authorized-ip-ranges should be a list of IPv4 addresses or CIDRs" in out.stderr
    assert not [r for r in az.sim.requests() if r["command"] == "aks create"]

    # With only that flag fixed, the request reaches the simulator, which refuses 1.29 as Azure does.
    fixed = [a if not a.startswith("--api-server-authorized-ip-ranges=") else "--api-server-authorized-ip-ranges="
             "51.120.0.0/16" for a in AKS_AS_WRITTEN]
    out = az.run("aks", "create", *fixed, check=False)
    assert out.returncode == 1
    assert "(K8sVersionNotSupported)" in out.stderr and "Code: K8sVersionNotSupported" in out.stderr
    put = [r for r in az.sim.requests() if r["command"] == "aks create" and r["method"] == "PUT"]
    assert [(r["status"], r["code"]) for r in put] == [(400, "K8sVersionNotSupported")]
    assert az.sim.get(rid(az, "Microsoft.ContainerService/managedClusters", "test_aks")) is None
