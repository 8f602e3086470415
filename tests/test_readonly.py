"""azure/readonly.py: what of a resource as read may be sent back in a PUT. The readOnly marks come from the
SDK's spec-generated models (hybrid ``visibility=["read"]``, msrest ``_validation``); what the specs do not
mark read-only (a DNS label, an FQDN, a subnet's NSG reference, child ids) is kept."""

from __future__ import annotations

from azwizard.azure.readonly import etag_of, writable


def test_network_read_only_properties_are_left_out_at_every_depth() -> None:
    nsg = {"id": "/n", "name": "n", "type": "Microsoft.Network/networkSecurityGroups", "etag": 'W/"1"',
           "location": "x", "properties": {
               "provisioningState": "Succeeded", "resourceGuid": "g",
               "defaultSecurityRules": [{"name": "AllowVnetInBound"}], "networkInterfaces": [{"id": "/nic"}],
               "securityRules": [{"name": "r", "id": "/n/r", "etag": 'W/"1"',
                                  "properties": {"priority": 100, "provisioningState": "Succeeded"}}]}}
    assert writable("Microsoft.Network/networkSecurityGroups", nsg) == {
        "id": "/n", "location": "x",
        "properties": {"securityRules": [{"name": "r", "id": "/n/r", "properties": {"priority": 100}}]}}
    vnet = {"properties": {"dhcpOptions": {"dnsServers": ["10.0.0.4"]}, "subnets": [{"name": "s", "properties": {
        "addressPrefix": "10.0.0.0/24", "ipConfigurations": [{"id": "/ipc"}], "networkSecurityGroup": {"id": "/n"}}}]}}
    assert writable("Microsoft.Network/virtualNetworks", vnet) == {"properties": {
        "dhcpOptions": {"dnsServers": ["10.0.0.4"]},
        "subnets": [{"name": "s", "properties": {"addressPrefix": "10.0.0.0/24", "networkSecurityGroup": {"id": "/n"}}}]}}
    pip = {"properties": {"dnsSettings": {"domainNameLabel": "keepme", "fqdn": "keepme.x.cloudapp.azure.com"},
                          "ipAddress": "20.0.0.1", "ipConfiguration": {"id": "/ipc"}}}
    assert writable("Microsoft.Network/publicIPAddresses", pip) == {"properties": {
        "dnsSettings": {"domainNameLabel": "keepme", "fqdn": "keepme.x.cloudapp.azure.com"}, "ipAddress": "20.0.0.1"}}


def test_compute_aks_and_role_assignments() -> None:
    vm = {"id": "/vm", "etag": '"3"', "properties": {"vmId": "u", "timeCreated": "t", "provisioningState": "S",
                                                      "instanceView": {}, "hardwareProfile": {"vmSize": "B2s"}}}
    assert writable("Microsoft.Compute/virtualMachines", vm) == {"properties": {"hardwareProfile": {"vmSize": "B2s"}}}
    aks = {"eTag": "e", "properties": {"fqdn": "f", "powerState": {"code": "Running"}, "kubernetesVersion": "1.33",
                                       "agentPoolProfiles": [{"name": "system", "count": 3,
                                                             "provisioningState": "Succeeded"}]}}
    assert writable("Microsoft.ContainerService/managedClusters", aks) == {"properties": {
        "kubernetesVersion": "1.33", "agentPoolProfiles": [{"name": "system", "count": 3}]}}
    assert etag_of(aks) == "e" and etag_of(vm) == '"3"' and etag_of({}) == ""
    ra = {"id": "/ra", "name": "g", "properties": {"scope": "/s", "roleDefinitionId": "/r", "principalId": "p",
                                                   "createdOn": "c", "updatedBy": "u"}}
    assert writable("Microsoft.Authorization/roleAssignments", ra) == {
        "properties": {"roleDefinitionId": "/r", "principalId": "p"}}
    # a kind without a model: the names read-only in every spec azwizard uses
    assert writable("Microsoft.Test/things", {"etag": "e", "properties": {"provisioningState": "S", "a": 1}}) == {
        "properties": {"a": 1}}
