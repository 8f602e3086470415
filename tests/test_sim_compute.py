"""The simulated Microsoft.Compute provider, driven through the real ComputeManagementClient (and the
real NetworkManagementClient to make the NICs and public IPs a VM uses)."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from azwizard.sim import ArmSim

SSH_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7nqM4gG0kq9D5yXg3o8W6lqZ4m3QyXv0oZ4w1bU6k3 azwizard@test")
DEBIAN_GEN2 = {"publisher": "Debian", "offer": "debian-12", "sku": "12-gen2", "version": "latest"}
DEBIAN_GEN1 = {"publisher": "Debian", "offer": "debian-12", "sku": "12", "version": "latest"}
DEBIAN_ARM = {"publisher": "Debian", "offer": "debian-12", "sku": "12-arm64", "version": "latest"}


# ---------------------------------------------------------------- helpers


class Net:
    """Makes VNets, public IPs and NICs through the real network client."""

    def __init__(self, sdk: Any, rg: str) -> None:
        self.sdk = sdk
        self.rg = rg
        self.subnets: dict[str, str] = {}

    def subnet(self, location: str) -> str:
        if location not in self.subnets:
            vnet = self.sdk.network.virtual_networks.begin_create_or_update(self.rg, f"vnet-{location}", {
                "location": location,
                "properties": {
                    "addressSpace": {"addressPrefixes": ["10.0.0.0/16", "fd00:db8:1::/48"]},
                    "subnets": [{"name": "default",
                                 "properties": {"addressPrefixes": ["10.0.0.0/24", "fd00:db8:1::/64"]}}],
                },
            }).result()
            self.subnets[location] = vnet.subnets[0].id
        return self.subnets[location]

    def pip(self, name: str, location: str = "norwayeast", zones: list[str] | None = None,
            delete_option: str | None = None) -> str:
        props: dict[str, Any] = {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}
        if delete_option:
            props["deleteOption"] = delete_option
        body: dict[str, Any] = {"location": location, "sku": {"name": "Standard"}, "properties": props}
        if zones is not None:
            body["zones"] = zones
        return self.sdk.network.public_ip_addresses.begin_create_or_update(self.rg, name, body).result().id

    def nic(self, name: str, location: str = "norwayeast", pip_id: str | None = None) -> str:
        cfg: dict[str, Any] = {"subnet": {"id": self.subnet(location)}, "privateIPAllocationMethod": "Dynamic",
                               "primary": True}
        if pip_id:
            cfg["publicIPAddress"] = {"id": pip_id}
        body = {"location": location, "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": cfg}]}}
        return self.sdk.network.network_interfaces.begin_create_or_update(self.rg, name, body).result().id


@pytest.fixture
def net(sdk: Any, rg: str) -> Net:
    return Net(sdk, rg)


def vm_body(nic_id: str, *, size: str = "Standard_D2s_v5", location: str = "norwayeast",
            zones: list[str] | None = None, image: dict[str, str] | None = None,
            computer: str = "vm1", admin: str = "azureuser", os_disk: dict[str, Any] | None = None,
            data_disks: list[dict[str, Any]] | None = None, security: dict[str, Any] | None = None,
            nic_delete: str = "Delete", ssh: bool = True, custom_data: str | None = None) -> dict[str, Any]:
    """A VM create body keyed by wire names (what the SDK sends for a dict)."""
    linux: dict[str, Any] = {"disablePasswordAuthentication": True}
    if ssh:
        linux["ssh"] = {"publicKeys": [{"path": f"/home/{admin}/.ssh/authorized_keys", "keyData": SSH_KEY}]}
    os_profile: dict[str, Any] = {"computerName": computer, "adminUsername": admin, "linuxConfiguration": linux}
    if custom_data is not None:
        os_profile["customData"] = custom_data
    props: dict[str, Any] = {
        "hardwareProfile": {"vmSize": size},
        "storageProfile": {
            "imageReference": image or DEBIAN_GEN2,
            "osDisk": os_disk or {"createOption": "FromImage", "deleteOption": "Delete",
                                  "managedDisk": {"storageAccountType": "StandardSSD_LRS"}},
            "dataDisks": data_disks or [],
        },
        "osProfile": os_profile,
        "networkProfile": {"networkInterfaces": [{"id": nic_id, "properties": {"primary": True,
                                                                               "deleteOption": nic_delete}}]},
    }
    if security:
        props["securityProfile"] = security
    body: dict[str, Any] = {"location": location, "properties": props}
    if zones:
        body["zones"] = zones
    return body


TRUSTED = {"securityType": "TrustedLaunch", "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}}


def create(sdk: Any, rg: str, name: str, body: dict[str, Any]) -> Any:
    return sdk.compute.virtual_machines.begin_create_or_update(rg, name, body).result()


def rejected(sdk: Any, rg: str, name: str, body: dict[str, Any]) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as info:
        create(sdk, rg, name, body)
    return info.value


def statuses(view: Any) -> list[str]:
    return [s.code for s in view.statuses]


# ---------------------------------------------------------------- the notes' VM


def test_create_read_list_the_notes_vm(sdk: Any, rg: str, net: Net, sim: ArmSim) -> None:
    from azure.mgmt.compute import models as m

    pip = net.pip("vm1-ip4", zones=["1", "2", "3"])
    nic = net.nic("vm1-nic", pip_id=pip)
    cloud_init = base64.b64encode(b"#cloud-config\npackages: [nginx]\n").decode()
    vm = m.VirtualMachine(
        location="norwayeast",
        zones=["1"],
        properties=m.VirtualMachineProperties(
            hardware_profile=m.HardwareProfile(vm_size="Standard_D2s_v5"),
            storage_profile=m.StorageProfile(
                image_reference=m.ImageReference(**DEBIAN_GEN2),
                os_disk=m.OSDisk(create_option="FromImage", delete_option="Delete",
                                 managed_disk=m.ManagedDiskParameters(storage_account_type="StandardSSD_LRS")),
                data_disks=[m.DataDisk(lun=0, create_option="Empty", disk_size_gb=64, delete_option="Detach",
                                       managed_disk=m.ManagedDiskParameters(storage_account_type="StandardSSD_LRS"))],
            ),
            os_profile=m.OSProfile(
                computer_name="vm1", admin_username="azureuser", custom_data=cloud_init,
                linux_configuration=m.LinuxConfiguration(
                    disable_password_authentication=True,
                    ssh=m.SshConfiguration(public_keys=[m.SshPublicKey(
                        path="/home/azureuser/.ssh/authorized_keys", key_data=SSH_KEY)]))),
            network_profile=m.NetworkProfile(network_interfaces=[m.NetworkInterfaceReference(
                id=nic, properties=m.NetworkInterfaceReferenceProperties(primary=True, delete_option="Delete"))]),
            security_profile=m.SecurityProfile(security_type="TrustedLaunch", uefi_settings=m.UefiSettings(
                secure_boot_enabled=True, v_tpm_enabled=True)),
        ),
    )
    poller = sdk.compute.virtual_machines.begin_create_or_update(rg, "vm1", vm)
    assert sim.requests_to("PUT", "/virtualMachines/vm1")[-1].api_version == "2026-04-01"
    created = poller.result()
    assert created.provisioning_state == "Succeeded"
    assert re.fullmatch(r"[0-9a-f-]{36}", created.vm_id)
    assert created.zones == ["1"]
    os_disk = created.storage_profile.os_disk
    assert re.fullmatch(r"vm1_OsDisk_1_[0-9a-f]{32}", os_disk.name)
    assert os_disk.disk_size_gb == 30 and os_disk.os_type == "Linux" and os_disk.delete_option == "Delete"
    assert os_disk.managed_disk.storage_account_type == "StandardSSD_LRS"
    assert os_disk.managed_disk.id.endswith(f"/providers/Microsoft.Compute/disks/{os_disk.name}")
    ref = created.storage_profile.image_reference
    assert ref.version == "latest" and ref.exact_version == "0.20261104.2658"
    assert created.security_profile.security_type == "TrustedLaunch"
    assert created.os_profile.linux_configuration.ssh.public_keys[0].key_data == SSH_KEY
    assert created.network_profile.network_interfaces[0].properties.delete_option == "Delete"
    assert created.time_created

    # Secrets are never echoed (nor kept).
    got = sdk.compute.virtual_machines.get(rg, "vm1")
    assert got.os_profile.custom_data is None and got.os_profile.admin_password is None
    assert "customData" not in str(sim.snapshot())

    # The OS and data disks are Microsoft.Compute/disks resources owned by the VM.
    disk = sdk.compute.disks.get(rg, os_disk.name)
    assert disk.managed_by == created.id and disk.disk_state == "Attached" and disk.zones == ["1"]
    assert disk.sku.name == "StandardSSD_LRS" and disk.disk_size_gb == 30
    data = created.storage_profile.data_disks[0]
    assert re.fullmatch(r"vm1_disk2_[0-9a-f]{32}", data.name) and data.disk_size_gb == 64
    assert sdk.compute.disks.get(rg, data.name).managed_by == created.id

    # The NIC knows its VM.
    assert sdk.network.network_interfaces.get(rg, "vm1-nic").virtual_machine.id == created.id

    # Reads and lists.
    expanded = sdk.compute.virtual_machines.get(rg, "vm1", expand="instanceView")
    assert statuses(expanded.instance_view) == ["ProvisioningState/succeeded", "PowerState/running"]
    assert [v.name for v in sdk.compute.virtual_machines.list(rg)] == ["vm1"]
    assert [v.id for v in sdk.compute.virtual_machines.list_all()] == [created.id]


def test_power_actions_and_instance_view(sdk: Any, rg: str, net: Net) -> None:
    create(sdk, rg, "vm1", vm_body(net.nic("nic1")))
    vms = sdk.compute.virtual_machines
    assert statuses(vms.instance_view(rg, "vm1"))[1] == "PowerState/running"
    vms.begin_power_off(rg, "vm1").result()
    view = vms.instance_view(rg, "vm1")
    assert statuses(view) == ["ProvisioningState/succeeded", "PowerState/stopped"]
    assert view.statuses[1].display_status == "VM stopped"
    vms.begin_start(rg, "vm1").result()
    assert statuses(vms.instance_view(rg, "vm1"))[1] == "PowerState/running"
    vms.begin_deallocate(rg, "vm1").result()
    assert statuses(vms.instance_view(rg, "vm1"))[1] == "PowerState/deallocated"
    with pytest.raises(HttpResponseError) as info:
        vms.begin_restart(rg, "vm1").result()
    assert info.value.error.code == "OperationNotAllowed"
    vms.begin_start(rg, "vm1").result()
    vms.begin_restart(rg, "vm1").result()
    assert statuses(vms.instance_view(rg, "vm1"))[1] == "PowerState/running"


def test_power_action_is_an_lro_with_202(sdk: Any, rg: str, net: Net, sim: ArmSim) -> None:
    create(sdk, rg, "vm1", vm_body(net.nic("nic1")))
    poller = sdk.compute.virtual_machines.begin_deallocate(rg, "vm1")
    poller.result()
    answer = sim.requests_to("POST", "/virtualMachines/vm1/deallocate")
    assert len(answer) == 1
    vm = sdk.compute.virtual_machines.get(rg, "vm1", expand="instanceView")
    assert vm.provisioning_state == "Succeeded"
    assert statuses(vm.instance_view)[1] == "PowerState/deallocated"


def test_delete_cascades_by_delete_option(sdk: Any, rg: str, net: Net) -> None:
    kept_pip = net.pip("pip-kept", zones=["1", "2", "3"])
    nic = net.nic("nic-del", pip_id=kept_pip)
    body = vm_body(nic, data_disks=[{"lun": 0, "createOption": "Empty", "diskSizeGB": 32,
                                     "managedDisk": {"storageAccountType": "StandardSSD_LRS"}}])
    vm = create(sdk, rg, "vm1", body)
    os_name = vm.storage_profile.os_disk.name
    data_name = vm.storage_profile.data_disks[0].name
    sdk.compute.virtual_machines.begin_delete(rg, "vm1", force_deletion=True).result()

    names = [d.name for d in sdk.compute.disks.list_by_resource_group(rg)]
    assert os_name not in names  # OS disk deleteOption Delete
    assert sdk.compute.disks.get(rg, data_name).managed_by is None  # data disk kept (Detach)
    assert [n.name for n in sdk.network.network_interfaces.list(rg)] == []  # NIC deleteOption Delete
    assert sdk.network.public_ip_addresses.get(rg, "pip-kept").ip_configuration is None  # PIP kept
    assert [v.name for v in sdk.compute.virtual_machines.list(rg)] == []
    # The detached data disk can now be deleted.
    sdk.compute.disks.begin_delete(rg, data_name).result()


def test_delete_detaches_kept_nic_and_removes_pip_marked_delete(sdk: Any, rg: str, net: Net) -> None:
    doomed_pip = net.pip("pip-doomed", zones=["1", "2", "3"], delete_option="Delete")
    nic_a = net.nic("nic-a", pip_id=doomed_pip)
    create(sdk, rg, "vm1", vm_body(nic_a))
    sdk.compute.virtual_machines.begin_delete(rg, "vm1").result()
    assert [p.name for p in sdk.network.public_ip_addresses.list(rg)] == []

    nic_b = net.nic("nic-b")
    create(sdk, rg, "vm2", vm_body(nic_b, nic_delete="Detach", computer="vm2"))
    sdk.compute.virtual_machines.begin_delete(rg, "vm2").result()
    kept = sdk.network.network_interfaces.get(rg, "nic-b")
    assert kept.virtual_machine is None


def test_update_tags_and_size(sdk: Any, rg: str, net: Net) -> None:
    create(sdk, rg, "vm1", vm_body(net.nic("nic1")))
    updated = sdk.compute.virtual_machines.begin_update(rg, "vm1", {"tags": {"env": "test"}}).result()
    assert updated.tags == {"env": "test"}
    vm = sdk.compute.virtual_machines.get(rg, "vm1")
    vm.hardware_profile.vm_size = "Standard_D4s_v5"
    resized = sdk.compute.virtual_machines.begin_create_or_update(rg, "vm1", vm).result()
    assert resized.hardware_profile.vm_size == "Standard_D4s_v5"
    assert resized.vm_id == vm.vm_id and resized.tags == {"env": "test"}


# ---------------------------------------------------------------- disks


def test_disk_lifecycle_and_attached_delete(sdk: Any, rg: str, net: Net) -> None:
    disk = sdk.compute.disks.begin_create_or_update(rg, "data1", {
        "location": "norwayeast", "sku": {"name": "Premium_LRS"},
        "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 128},
    }).result()
    assert disk.provisioning_state == "Succeeded" and disk.disk_state == "Unattached"
    assert disk.tier == "P10" and disk.disk_size_bytes == 128 * 1024**3
    assert [d.name for d in sdk.compute.disks.list()] == ["data1"]

    body = vm_body(net.nic("nic1"), data_disks=[{"lun": 0, "createOption": "Attach", "managedDisk": {"id": disk.id}}])
    create(sdk, rg, "vm1", body)
    assert sdk.compute.disks.get(rg, "data1").managed_by.endswith("/virtualMachines/vm1")
    with pytest.raises(HttpResponseError) as info:
        sdk.compute.disks.begin_delete(rg, "data1").result()
    assert info.value.error.code == "OperationNotAllowed"
    assert info.value.error.message.startswith("Disk data1 is attached to VM /subscriptions/")


# ---------------------------------------------------------------- catalogs


def test_resource_skus_location_filter_and_model(sdk: Any) -> None:
    skus = list(sdk.compute.resource_skus.list(filter="location eq 'norwayeast'"))
    assert skus and all(s.locations == ["norwayeast"] for s in skus)
    by_name = {s.name: s for s in skus if s.resource_type == "virtualMachines"}
    d2as = by_name["Standard_D2as_v5"]
    assert d2as.restrictions[0].type == "Location"
    assert d2as.restrictions[0].values_property == ["norwayeast"]
    assert d2as.restrictions[0].reason_code == "NotAvailableForSubscription"
    d8s = by_name["Standard_D8s_v5"]
    assert d8s.restrictions[0].type == "Zone" and d8s.restrictions[0].restriction_info.zones == ["2"]
    caps = {c.name: c.value for c in by_name["Standard_D2s_v5"].capabilities}
    assert caps["vCPUs"] == "2" and caps["PremiumIO"] == "True"
    assert by_name["Standard_D2s_v5"].family == "standardDSv5Family"
    assert sorted(by_name["Standard_D2s_v5"].location_info[0].zones) == ["1", "2", "3"]


def test_resource_skus_other_filters_are_ignored(sdk: Any, sim: ArmSim) -> None:
    # The unfiltered catalog is ~12 MB like Azure's; read it raw through the client (decoding ~7000
    # records into SDK models takes seconds) and look at the wire text.
    from azure.core.rest import HttpRequest

    url = (f"/subscriptions/{sim.subscription_id}/providers/Microsoft.Compute/skus?api-version=2021-07-01"
           "&$filter=resourceType%20eq%20%27virtualMachines%27")
    raw = sdk.compute.send_request(HttpRequest("GET", url), stream=True).read().decode()
    assert '"nextLink"' not in raw
    assert '"resourceType": "disks"' in raw and '"resourceType": "virtualMachines"' in raw
    assert len(set(re.findall(r'"locations": \["(\w+)"\]', raw))) > 1


def test_usages_count_vms_including_deallocated(sdk: Any, rg: str, net: Net) -> None:
    def usage() -> dict[str, tuple[int, int]]:
        return {u.name.value: (u.current_value, u.limit) for u in sdk.compute.usage.list("norwayeast")}

    before = usage()
    assert before["cores"] == (0, 100) and before["virtualMachines"][0] == 0
    create(sdk, rg, "vm1", vm_body(net.nic("nic1")))
    sdk.compute.virtual_machines.begin_deallocate(rg, "vm1").result()
    after = usage()
    assert after["cores"][0] == 2
    assert after["standardDSv5Family"][0] == 2
    assert after["virtualMachines"][0] == 1
    item = next(iter(sdk.compute.usage.list("norwayeast")))
    assert item.unit == "Count" and item.name.localized_value


def test_image_lists_and_version(sdk: Any) -> None:
    images = sdk.compute.virtual_machine_images
    assert "Debian" in [p.name for p in images.list_publishers("norwayeast")]
    assert "debian-12" in [o.name for o in images.list_offers("norwayeast", "Debian")]
    assert "12-gen2" in [s.name for s in images.list_skus("norwayeast", "Debian", "debian-12")]
    versions = images.list("norwayeast", "Debian", "debian-12", "12-gen2")
    assert isinstance(versions, list) and versions[-1].name == "0.20261104.2658"
    newest = images.list("norwayeast", "Debian", "debian-12", "12-gen2", top=1, orderby="name desc")
    assert [v.name for v in newest] == ["0.20261104.2658"]
    one = images.get("norwayeast", "Debian", "debian-12", "12-gen2", "0.20261104.2658")
    assert one.hyper_v_generation == "V2" and one.os_disk_image.operating_system == "Linux"
    with pytest.raises(HttpResponseError) as info:
        images.get("norwayeast", "Debian", "debian-12", "12-gen2", "9.9.9")
    assert info.value.error.code == "NotFound"


def test_vm_sizes(sdk: Any) -> None:
    sizes = {s.name: s for s in sdk.compute.virtual_machine_sizes.list("norwayeast")}
    assert sizes["Standard_D2s_v5"].number_of_cores == 2 and sizes["Standard_D2s_v5"].memory_in_mb == 8192
    assert "Standard_D2as_v5" not in sizes  # Location-restricted for this subscription


# ---------------------------------------------------------------- rejections


def test_sku_not_available_location_restriction(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), size="Standard_D2as_v5"))
    assert e.status_code == 409 and e.error.code == "SkuNotAvailable"
    assert e.error.message.startswith("The requested VM size for resource 'Following SKUs have failed for "
                                      "Capacity Restrictions: Standard_D2as_v5' is currently not available in "
                                      "location 'norwayeast'.")


def test_sku_not_available_zone_restriction(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), size="Standard_D8s_v5", zones=["2"]))
    assert e.error.code == "SkuNotAvailable"
    assert create(sdk, rg, "vm1", vm_body(net.nic("nic1"), size="Standard_D8s_v5", zones=["3"])).zones == ["3"]


def test_zones_in_a_region_without_zones(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm2", vm_body(net.nic("nic2", location="norwaywest"), location="norwaywest",
                                         zones=["1"], computer="vm2"))
    # the compute RP's wording (kubernetes-sigs/cluster-api-provider-azure#294); public IPs answer
    # LocationNotSupportAvailabilityZones instead
    assert e.error.code == "ResourceTypeNotSupportAvailabilityZones"
    assert "'virtualMachines' does not support availability zones at location 'norwaywest'" in e.error.message


def test_unknown_size(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), size="Standard_Z99s_v9"))
    assert e.error.code == "InvalidParameter" and e.error.target == "vmSize"


def test_family_quota(sdk: Any, rg: str, net: Net) -> None:
    # westeurope: standardDSv5Family limit 10 (quota catalog).
    create(sdk, rg, "vm1", vm_body(net.nic("nic1", location="westeurope"), location="westeurope",
                                   size="Standard_D8s_v5"))
    e = rejected(sdk, rg, "vm2", vm_body(net.nic("nic2", location="westeurope"), location="westeurope",
                                         size="Standard_D4s_v5", computer="vm2"))
    assert e.status_code == 409 and e.error.code == "OperationNotAllowed"
    assert e.error.message.startswith(
        "Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota. "
        "Additional details - Deployment Model: Resource Manager, Location: westeurope, Current Limit: 10, "
        "Current Usage: 8, Additional Required: 4, (Minimum) New Limit Required: 12. Submit a request for Quota "
        "increase at https://aka.ms/ProdportalCRP/")


def test_regional_quota_counts_deallocated_vms(sdk: Any, rg: str, net: Net) -> None:
    # norwaywest: 20 regional vCPUs, 10 per family.
    for i, size in enumerate(["Standard_D8s_v5", "Standard_E8s_v5", "Standard_B2s"]):
        create(sdk, rg, f"vm{i}", vm_body(net.nic(f"nic{i}", location="norwaywest"), location="norwaywest",
                                          size=size, computer=f"vm{i}"))
    sdk.compute.virtual_machines.begin_deallocate(rg, "vm0").result()
    e = rejected(sdk, rg, "vm9", vm_body(net.nic("nic9", location="norwaywest"), location="norwaywest",
                                         size="Standard_F4s_v2", computer="vm9"))
    assert e.error.code == "OperationNotAllowed"
    assert "approved Total Regional Cores quota" in e.error.message
    assert "Current Limit: 20, Current Usage: 18, Additional Required: 4" in e.error.message


def test_linux_host_name(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), computer="my_vm"))
    assert e.status_code == 400 and e.error.code == "InvalidParameter" and e.error.target == "computerName"
    assert e.error.message.startswith("Linux host name cannot exceed 64 characters in length")


def test_vm_name_too_long(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "v" * 65, vm_body(net.nic("nic1")))
    assert e.error.code == "InvalidParameter" and e.error.target == "vmName"


@pytest.mark.parametrize("admin", ["admin", "root", "Administrator"])
def test_reserved_admin_username(sdk: Any, rg: str, net: Net, admin: str) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), admin=admin))
    assert e.error.code == "InvalidParameter" and e.error.target == "adminUsername"
    assert e.error.message == "The Admin Username specified is not allowed."


def test_missing_ssh_key_with_password_disabled(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), ssh=False))
    assert e.error.code == "InvalidParameter" and e.error.target == "linuxConfiguration"


def test_trusted_launch_on_gen1_only_size(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), size="Standard_D2_v3", security=TRUSTED))
    assert e.error.code == "BadRequest"
    assert e.error.message.startswith("The VM size 'Standard_D2_v3' is not supported for creation of VMs and "
                                      "Virtual Machine Scale Set with 'TrustedLaunch' security type.")


def test_trusted_launch_on_size_with_trusted_launch_disabled(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), size="Standard_D2ps_v5", image=DEBIAN_ARM,
                                         security=TRUSTED))
    assert e.error.code == "BadRequest" and "'TrustedLaunch' security type" in e.error.message


def test_trusted_launch_with_gen1_image(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), image=DEBIAN_GEN1, security=TRUSTED))
    assert e.error.code == "BadRequest"
    assert e.error.message.startswith("Use of TrustedLaunch setting is not supported for the provided image")


def test_premium_disk_on_size_without_premium_io(sdk: Any, rg: str, net: Net) -> None:
    os_disk = {"createOption": "FromImage", "managedDisk": {"storageAccountType": "Premium_LRS"}}
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), size="Standard_D2_v3", image=DEBIAN_GEN1, os_disk=os_disk))
    assert e.error.code == "InvalidParameter"
    assert "does not support the storage account type Premium_LRS" in e.error.message


def test_ephemeral_os_disk_rules(sdk: Any, rg: str, net: Net) -> None:
    nic = net.nic("nic1")
    local = {"createOption": "FromImage", "caching": "ReadOnly", "diffDiskSettings": {"option": "Local"},
             "managedDisk": {"storageAccountType": "Standard_LRS"}}
    e = rejected(sdk, rg, "vm1", vm_body(nic, size="Standard_D2s_v5", os_disk=local))
    assert e.error.code == "NotSupported"
    assert e.error.message == "Ephemeral OS disk is not supported for VM size Standard_D2s_v5."
    too_big = {**local, "diskSizeGB": 100}
    e = rejected(sdk, rg, "vm1", vm_body(nic, size="Standard_DS2_v2", os_disk=too_big))
    assert e.error.code == "NotSupported"
    assert e.error.message.startswith("OS disk of Ephemeral VM with size greater than 86 GB is not allowed for VM "
                                      "size Standard_DS2_v2 when the DiffDiskPlacement is CacheDisk.")
    vm = create(sdk, rg, "vm1", vm_body(nic, size="Standard_DS2_v2", os_disk=local))
    assert vm.storage_profile.os_disk.diff_disk_settings.placement == "CacheDisk"
    assert list(sdk.compute.disks.list_by_resource_group(rg)) == []  # an ephemeral OS disk is no resource


def test_zonal_vm_with_regional_or_other_zone_public_ip(sdk: Any, rg: str, net: Net) -> None:
    regional = net.nic("nic-regional", pip_id=net.pip("pip-regional"))
    e = rejected(sdk, rg, "vm1", vm_body(regional, zones=["1"]))
    assert e.error.code == "ComputeResourceZoneConstraintDoesNotMatchPublicIPAddressZoneConstraint"
    assert e.error.message.endswith("has a different zone constraint Regional.")
    other = net.nic("nic-zone2", pip_id=net.pip("pip-zone2", zones=["2"]))
    e = rejected(sdk, rg, "vm1", vm_body(other, zones=["1"]))
    assert e.error.code == "ComputeResourceZoneConstraintDoesNotMatchPublicIPAddressZoneConstraint"
    redundant = net.nic("nic-zr", pip_id=net.pip("pip-zr", zones=["1", "2", "3"]))
    assert create(sdk, rg, "vm1", vm_body(redundant, zones=["1"])).zones == ["1"]


def test_image_not_found(sdk: Any, rg: str, net: Net) -> None:
    image = {"publisher": "Debian", "offer": "debian-99", "sku": "99", "version": "latest"}
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), image=image))
    assert e.status_code == 404 and e.error.code == "PlatformImageNotFound" and e.error.target == "imageReference"
    assert e.error.message.startswith("The platform image 'Debian:debian-99:99:latest' is not available.")


def test_arm64_image_on_x64_size_and_gen2_image_on_gen1_size(sdk: Any, rg: str, net: Net) -> None:
    nic = net.nic("nic1")
    e = rejected(sdk, rg, "vm1", vm_body(nic, image=DEBIAN_ARM))
    assert e.error.code == "BadRequest" and "only supports a CPU Architecture of 'x64'" in e.error.message
    e = rejected(sdk, rg, "vm1", vm_body(nic, size="Standard_D2_v3"))
    assert e.error.code == "BadRequest"
    assert e.error.message.startswith("The selected VM size 'Standard_D2_v3' cannot boot Hypervisor Generation '2'.")


def test_custom_data_limit(sdk: Any, rg: str, net: Net) -> None:
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1"), custom_data="A" * 87384))
    assert e.error.code == "InvalidParameter" and e.error.target == "customData"


def test_nic_missing_other_region_and_in_use(sdk: Any, rg: str, net: Net, sim: ArmSim) -> None:
    missing = f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/nope"
    assert rejected(sdk, rg, "vm1", vm_body(missing)).error.code == "InvalidResourceReference"
    elsewhere = net.nic("nic-we", location="westeurope")
    assert rejected(sdk, rg, "vm1", vm_body(elsewhere)).error.code == "InvalidResourceReference"
    nic = net.nic("nic1")
    create(sdk, rg, "vm1", vm_body(nic))
    e = rejected(sdk, rg, "vm2", vm_body(nic, computer="vm2"))
    assert e.error.code == "NicInUse"


def test_locks_block_create_delete_and_power_actions(sdk: Any, rg: str, net: Net) -> None:
    nic = net.nic("nic1")
    create(sdk, rg, "vm1", vm_body(nic))
    sdk.locks.management_locks.create_or_update_at_resource_group_level(rg, "nodelete", {"level": "CanNotDelete"})
    with pytest.raises(HttpResponseError) as info:
        sdk.compute.virtual_machines.begin_delete(rg, "vm1").result()
    assert info.value.error.code == "ScopeLocked"
    sdk.locks.management_locks.create_or_update_at_resource_group_level(rg, "ro", {"level": "ReadOnly"})
    with pytest.raises(HttpResponseError) as info:
        sdk.compute.virtual_machines.begin_power_off(rg, "vm1").result()
    assert info.value.error.code == "ScopeLocked"
    # The lock is checked before the body (the NIC being in use would be reported later).
    assert rejected(sdk, rg, "vm2", vm_body(nic, computer="vm2")).error.code == "ScopeLocked"


def test_allocation_failure_injected(sdk: Any, rg: str, net: Net, sim: ArmSim) -> None:
    sim.faults.fail_async("PUT", r"/virtualMachines/vm1$", code="AllocationFailed",
                          message="Allocation failed. We do not have sufficient capacity for the requested VM size "
                                  "in this region.")
    e = rejected(sdk, rg, "vm1", vm_body(net.nic("nic1")))
    assert e.error.code == "AllocationFailed"
    assert sdk.compute.virtual_machines.get(rg, "vm1").provisioning_state == "Failed"


def test_snake_case_body_is_rejected_like_arm(sdk: Any, rg: str, net: Net) -> None:
    body = vm_body(net.nic("nic1"))
    body["properties"]["hardware_profile"] = body["properties"].pop("hardwareProfile")
    e = rejected(sdk, rg, "vm1", body)
    assert e.error.code == "InvalidRequestContent"
    assert "Could not find member 'hardware_profile' on object of type 'VirtualMachineProperties'" in e.error.message


def test_image_versions_with_properties_and_available_sizes(sdk: Any, rg: str, net: Net) -> None:
    images = sdk.compute.virtual_machine_images
    full = images.list_with_properties("norwayeast", "Debian", "debian-12", "12-arm64", expand="Properties", top=1,
                                       orderby="name desc")
    assert full[0].architecture == "Arm64"
    create(sdk, rg, "vm1", vm_body(net.nic("nic1")))
    assert "Standard_D4s_v5" in {s.name for s in sdk.compute.virtual_machines.list_available_sizes(rg, "vm1")}
    listed = list(sdk.compute.virtual_machines.list(rg, expand="instanceView"))
    assert statuses(listed[0].instance_view)[1] == "PowerState/running"


def test_tags_only_put_answers_without_polling_header(sdk: Any, rg: str, net: Net) -> None:
    """Recorded `az vm update --set tags...` (vm test_vm_create_no_wait.yaml #13): 200 Updating, no header."""
    create(sdk, rg, "vm1", vm_body(net.nic("nic1")))
    vm = sdk.compute.virtual_machines.get(rg, "vm1")
    vm.tags = {"mytag": "tagvalue1"}
    first = sdk.compute.virtual_machines.begin_create_or_update(
        rg, "vm1", vm, polling=False, cls=lambda resp, body, headers: resp.http_response).result()
    assert first.status_code == 200 and "Azure-AsyncOperation" not in first.headers
    assert sdk.compute.virtual_machines.get(rg, "vm1").tags == {"mytag": "tagvalue1"}
    vm = sdk.compute.virtual_machines.get(rg, "vm1")
    vm.hardware_profile.vm_size = "Standard_D4s_v5"
    resize = sdk.compute.virtual_machines.begin_create_or_update(
        rg, "vm1", vm, polling=False, cls=lambda resp, body, headers: resp.http_response).result()
    assert "Azure-AsyncOperation" in resize.headers
