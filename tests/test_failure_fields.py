"""A failed create's error leads back to the field it is about (issue 12 item 1: "back to edit")."""

from __future__ import annotations

import pytest

from azwizard.run.failure_fields import field_for_failure


@pytest.mark.parametrize(("journey", "step", "code", "target", "message", "field"), [
    # the ARM target wins (arm-errors §6b: {"code":"InvalidParameter","target":"adminUsername",...})
    ("vm", "vm", "InvalidParameter", "adminUsername", "Windows admin user name cannot be ...", "admin_username"),
    ("vm", "vm", "InvalidParameter", "properties.osProfile.computerName", "", "names.vm"),
    # a code that names the setting
    ("vm", "vm", "SkuNotAvailable", "", "The requested size for resource ... is currently not available", "size"),
    ("aks", "aks", "K8sVersionNotSupported", "", "Version 1.24 is not supported in this region.",
     "kubernetes_version"),
    ("aks", "aks", "VMCacheSizeTooSmall", "", "The virtual machine size Standard_D2s_v5 has a cache size ...",
     "system_pool.os_disk_type"),
    # a refused name is the failed resource's own name
    ("vm", "vnet", "InvalidResourceName", "", "Resource name Yolo VNet is invalid.", "names.vnet"),
    ("aks", "aks", "InvalidResourceName", "", "", "cluster_name"),
    # the parameter quoted in the message (arm-errors §12-style AKS wording)
    ("aks", "aks", "InvalidParameter", "", "The value of parameter agentPoolProfile.count is invalid.",
     "system_pool.count"),
    ("aks", "aks", "InvalidParameter", "", "The value of parameter networkProfile.serviceCidr is invalid.",
     "network.service_cidrs"),
])
def test_the_error_names_the_field(journey: str, step: str, code: str, target: str, message: str,
                                   field: str) -> None:
    assert field_for_failure(journey, step, code, target, message) == field


def test_an_error_that_names_no_setting_has_no_field() -> None:
    assert field_for_failure("vm", "vm", "InternalServerError", "", "Something went wrong.") is None
    assert field_for_failure("aks", "aks", None, "", "") is None


def test_every_field_an_error_can_name_is_edited_on_a_step() -> None:
    from azwizard.screens.aks import AKS_FLOW
    from azwizard.screens.vm import VM_FLOW

    from azwizard.run import failure_fields as ff

    for journey, flow in (("vm", VM_FLOW), ("aks", AKS_FLOW)):
        fields = {*ff._TARGETS[journey].values(), *ff._CODES[journey].values(), *ff._NAMES[journey].values()}
        assert [f for f in sorted(fields) if flow.step_for_field(f) is None] == [], journey
