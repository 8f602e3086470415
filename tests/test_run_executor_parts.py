"""run/executor.py's small decisions in isolation (issue 27's surviving mutants): which ARM error field names the
setting at fault, which faults are worth sending again, which facts of a created resource are kept, and which
steps update what this run did not make. Pure: errors and bodies are built by hand."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from azure.core.exceptions import ServiceRequestError, ServiceResponseError

from azwizard.azure.errors import AzwizardError
from azwizard.plan.diff import Owner, StepDiff
from azwizard.run.executor import (
    TRANSIENT_CODES,
    _updates_other,
    arm_target,
    is_precondition_failed,
    is_transient,
    outputs_of,
)


def _arm_error(target: str | None, *details: str | None) -> Exception:
    exc = Exception("bad request")
    exc.error = SimpleNamespace(target=target,  # type: ignore[attr-defined]
                                details=[SimpleNamespace(target=t) for t in details])
    return exc


def test_the_error_target_is_the_errors_own_else_its_first_detail_that_names_one() -> None:
    assert arm_target(_arm_error("adminUsername", "other")) == "adminUsername"
    assert arm_target(_arm_error(None, None, "osProfile.adminPassword", "third")) == "osProfile.adminPassword"
    assert arm_target(_arm_error("", None)) == ""
    assert arm_target(Exception("no error attached")) == ""  # a network error: no ARM error body at all
    exc = Exception("no details")
    exc.error = SimpleNamespace(target=None, details=None)  # type: ignore[attr-defined]
    assert arm_target(exc) == ""


def _err(code: str | None = None) -> AzwizardError:
    return AzwizardError("it failed", "try again", code=code)


@pytest.mark.parametrize("exc", [ServiceRequestError("connection refused"), ServiceResponseError("connection reset")])
def test_a_dropped_connection_is_transient_whatever_its_code(exc: Exception) -> None:
    assert is_transient(exc, _err(None))
    assert is_transient(exc, _err("InvalidParameter"))


def test_only_the_transient_arm_codes_are_sent_again() -> None:
    assert all(is_transient(Exception(), _err(code)) for code in TRANSIENT_CODES)
    for code in ("InvalidParameter", "QuotaExceeded", "SkuNotAvailable", None, ""):
        assert not is_transient(Exception(), _err(code))


def test_a_412_is_a_precondition_failure_by_status_or_by_code() -> None:
    status = Exception("412")
    status.status_code = 412  # type: ignore[attr-defined]
    assert is_precondition_failed(status, _err(None))
    assert is_precondition_failed(Exception(), _err("PreconditionFailed"))
    other = Exception("409")
    other.status_code = 409  # type: ignore[attr-defined]
    assert not is_precondition_failed(other, _err("Conflict"))


def test_the_facts_kept_of_each_kind_of_created_resource() -> None:
    def props(**p: Any) -> dict[str, Any]:
        return {"properties": p}

    assert outputs_of("Microsoft.Network/publicIPAddresses",
                      props(ipAddress="20.1.2.3", publicIPAddressVersion="IPv4", provisioningState="Succeeded")) == {
        "provisioningState": "Succeeded", "ipAddress": "20.1.2.3", "version": "IPv4"}
    nic = props(ipConfigurations=[{"properties": {"privateIPAddress": "10.0.0.4"}},
                                  {"properties": {"privateIPAddress": "fd00::4"}}, {}])
    assert outputs_of("Microsoft.Network/networkInterfaces", nic) == {
        "provisioningState": "Succeeded", "privateIPs": ["10.0.0.4", "fd00::4", None]}
    assert outputs_of("microsoft.compute/virtualMachines", props(vmId="v-1")) == {
        "provisioningState": "Succeeded", "vmId": "v-1"}
    cluster = {"properties": {"fqdn": "c.hcp.eastus.azmk8s.io", "nodeResourceGroup": "MC_x",
                              "identityProfile": {"kubeletidentity": {"objectId": "k-1"}}},
               "identity": {"principalId": "p-1"}}
    assert outputs_of("Microsoft.ContainerService/managedClusters", cluster) == {
        "provisioningState": "Succeeded", "fqdn": "c.hcp.eastus.azmk8s.io", "nodeResourceGroup": "MC_x",
        "kubeletObjectId": "k-1", "principalId": "p-1"}
    assert outputs_of("Microsoft.ContainerService/managedClusters", {"properties": {}}) == {
        "provisioningState": "Succeeded", "fqdn": None, "nodeResourceGroup": None, "kubeletObjectId": None,
        "principalId": None}
    assert outputs_of("Microsoft.ContainerRegistry/registries", props(loginServer="r.azurecr.io")) == {
        "provisioningState": "Succeeded", "loginServer": "r.azurecr.io"}
    assert outputs_of("Microsoft.Network/networkSecurityGroups", props(provisioningState="Failed")) == {
        "provisioningState": "Failed"}
    assert outputs_of("Microsoft.Network/networkSecurityGroups", {}) == {"provisioningState": "Succeeded"}


@pytest.mark.parametrize(("relation", "other"), [("same-journey", True), ("foreign", True), ("this-run", False),
                                                 ("adopted", False), ("other-run", False), (None, False)])
def test_an_update_of_an_earlier_runs_or_someone_elses_resource_is_journaled_as_an_update(
        relation: str | None, other: bool) -> None:
    owner = Owner(relation, "run-0", "vm") if relation else None  # type: ignore[arg-type]
    entry = StepDiff("nsg", "NSG", "Microsoft.Network/networkSecurityGroups", "/x", "update", owner=owner)
    assert _updates_other(entry) is other
    assert _updates_other(None) is False
