"""Azure Backup inside a Recovery Services vault, enough for one Azure VM: backup policies, VM discovery,
protection (protected items), stop-protection-and-delete with soft delete, undelete, and the operation
endpoints the backup API points at.

Shapes follow azure-mgmt-recoveryservicesbackup 11.2 (api-version 2026-10-01) and
https://learn.microsoft.com/azure/backup/backup-azure-arm-userestapi-backupazurevms (MicrosoftDocs/azure-docs
articles/backup/backup-azure-arm-userestapi-backupazurevms.md): protection is a PUT answered 202 with
``Location`` (``.../protectedItems/{item}/operationResults/{id}``) and ``Azure-AsyncOperation``
(``.../protectedItems/{item}/operationsStatus/{id}``); stop-and-delete is a DELETE answered 202 with
``Location`` ``.../backupOperationResults/{id}`` and ``Azure-AsyncOperation`` ``.../backupOperations/{id}``.

Policies and protected items are stored as child resources of the vault (ids under the vault id), so they
go away with the vault and never show in the generic resource list (which lists top-level types only).
State changes of protect/delete are applied when the request is accepted; the operation only reports, so a
client that never polls still sees the item (Azure does the work whether or not anyone watches).
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .. import ids
from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse
from . import recoveryservices_jobs as jobs
from .authorization import reject_snake_case

if TYPE_CHECKING:
    from ..core import ArmSim, Operation

NS = "Microsoft.RecoveryServices"
VAULT_TYPE = "Microsoft.RecoveryServices/vaults"
POLICY_TYPE = "Microsoft.RecoveryServices/vaults/backupPolicies"
ITEM_TYPE = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"
PROTECTABLE_TYPE = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectableItems"
VM_TYPE = "Microsoft.Compute/virtualMachines"

SUB = "/subscriptions/{sub}"
VAULT = SUB + "/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{vault}"
ITEM = VAULT + "/backupFabrics/{fabric}/protectionContainers/{container}/protectedItems/{item}"

SOFT_DELETE_DAYS_DEFAULT = 14
_CONTAINER = re.compile(r"^iaasvmcontainer;iaasvmcontainerv2;(?P<rg>[^;]+);(?P<vm>[^;]+)$", re.I)
_ITEM = re.compile(r"^vm;iaasvmcontainerv2;(?P<rg>[^;]+);(?P<vm>[^;]+)$", re.I)


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _iso(t: _dt.datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def vault_id(sim: ArmSim, rg: str, vault: str) -> str:
    return ids.resource_id(sim.subscription_id, rg, NS, "vaults", vault)


def require_vault(sim: ArmSim, rg: str, vault: str) -> dict[str, Any]:
    sim.require_group(rg)
    return sim.require(vault_id(sim, rg, vault))


def soft_delete_days(vault: dict[str, Any]) -> int | None:
    """Retention of soft-deleted items, or None when the vault has soft delete disabled."""
    settings = ((vault.get("properties") or {}).get("securitySettings") or {}).get("softDeleteSettings") or {}
    if str(settings.get("softDeleteState", "Enabled")).lower() == "disabled":
        return None
    return int(settings.get("softDeleteRetentionPeriodInDays") or SOFT_DELETE_DAYS_DEFAULT)


# ---------------------------------------------------------------- policies


def _daily_at(day: _dt.date) -> str:
    return f"{day.isoformat()}T21:00:00Z"


def default_policies(vid: str, created: _dt.datetime) -> list[dict[str, Any]]:
    """What every new vault holds (the portal shows DefaultPolicy, EnhancedPolicy and HourlyLogBackup):
    the Standard (V1) and Enhanced (V2) IaaS VM policies, and the SQL log-backup workload policy."""
    run = _daily_at(created.date())
    standard = {
        "id": f"{vid}/backupPolicies/DefaultPolicy",
        "name": "DefaultPolicy",
        "type": POLICY_TYPE,
        "properties": {
            "backupManagementType": "AzureIaasVM",
            "policyType": "V1",
            "instantRPDetails": {},
            "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicy", "scheduleRunFrequency": "Daily",
                               "scheduleRunTimes": [run], "scheduleWeeklyFrequency": 0},
            "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                                "dailySchedule": {"retentionTimes": [run],
                                                  "retentionDuration": {"count": 30, "durationType": "Days"}}},
            "instantRpRetentionRangeInDays": 2,
            "timeZone": "UTC",
            "protectedItemsCount": 0,
        },
    }
    start = f"{created.date().isoformat()}T08:00:00Z"
    enhanced = {
        "id": f"{vid}/backupPolicies/EnhancedPolicy",
        "name": "EnhancedPolicy",
        "type": POLICY_TYPE,
        "properties": {
            "backupManagementType": "AzureIaasVM",
            "policyType": "V2",
            "instantRPDetails": {},
            "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicyV2", "scheduleRunFrequency": "Hourly",
                               "hourlySchedule": {"interval": 4, "scheduleWindowStartTime": start,
                                                  "scheduleWindowDuration": 12}},
            "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                                "dailySchedule": {"retentionTimes": [start],
                                                  "retentionDuration": {"count": 30, "durationType": "Days"}}},
            "instantRpRetentionRangeInDays": 7,
            "timeZone": "UTC",
            "protectedItemsCount": 0,
        },
    }
    hourly_log = {
        "id": f"{vid}/backupPolicies/HourlyLogBackup",
        "name": "HourlyLogBackup",
        "type": POLICY_TYPE,
        "properties": {
            "backupManagementType": "AzureWorkload",
            "workLoadType": "SQLDataBase",
            "settings": {"timeZone": "UTC", "issqlcompression": False, "isCompression": False},
            "subProtectionPolicy": [
                {"policyType": "Full",
                 "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicy", "scheduleRunFrequency": "Daily",
                                    "scheduleRunTimes": [run], "scheduleWeeklyFrequency": 0},
                 "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                                     "dailySchedule": {"retentionTimes": [run],
                                                       "retentionDuration": {"count": 30, "durationType": "Days"}}}},
                {"policyType": "Log",
                 "schedulePolicy": {"schedulePolicyType": "LogSchedulePolicy", "scheduleFrequencyInMins": 60},
                 "retentionPolicy": {"retentionPolicyType": "SimpleRetentionPolicy",
                                     "retentionDuration": {"count": 30, "durationType": "Days"}}},
            ],
            "protectedItemsCount": 0,
        },
    }
    return [standard, enhanced, hourly_log]


def create_default_policies(sim: ArmSim, vid: str) -> None:
    for policy in default_policies(vid, _now()):
        sim.save(policy["id"], policy)


def _policy_view(sim: ArmSim, policy: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(policy)
    pid = ids.key(policy["id"])
    count = sum(1 for it in _items(sim, policy["id"].rsplit("/backupPolicies/", 1)[0])
                if ids.key(it["properties"].get("policyId") or "") == pid and not is_soft_deleted(it))
    out["properties"]["protectedItemsCount"] = count
    return out


def _policies(sim: ArmSim, vid: str) -> list[dict[str, Any]]:
    return [b for b in sim.under(vid) if b.get("type") == POLICY_TYPE]


def _find_policy(sim: ArmSim, vid: str, policy_id_or_name: str) -> dict[str, Any] | None:
    name = policy_id_or_name.rstrip("/").rsplit("/", 1)[-1]
    if "/" in policy_id_or_name and not ids.key(policy_id_or_name).startswith(ids.key(vid) + "/"):
        return None  # a policy of another vault
    return sim.peek(f"{vid}/backupPolicies/{name}")


def _policy_not_found(name: str) -> ArmError:
    # [inferred] code/message: the backup RP's not-found answers are BMSUserError* codes; this one is not
    # quoted in public sources.
    return ArmError(404, "BMSUserErrorPolicyNotExist",
                    f"The specified backup policy '{name}' does not exist in the Recovery Services vault.")


_FILTER_TERM = re.compile(r"^\s*(?P<key>\w+)\s+eq\s+'(?P<value>[^']*)'\s*$", re.I)


def _parse_filter(expr: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if not expr:
        return out
    for term in re.split(r"\s+and\s+", expr.strip(), flags=re.I):
        m = _FILTER_TERM.match(term)
        if m is None:
            raise ArmError(400, "InvalidFilterInQueryString", f"Invalid $filter '{expr}' specified in the query "
                           "string.")
        out[m["key"].lower()] = m["value"]
    return out


@route("GET", VAULT + "/backupPolicies")
def list_policies(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    flt = _parse_filter(req.query.get("$filter"))
    items = []
    for policy in _policies(sim, v["id"]):
        props = policy["properties"]
        if "backupmanagementtype" in flt and props.get("backupManagementType", "").lower() != \
                flt["backupmanagementtype"].lower():
            continue
        workload = props.get("workLoadType") or ("VM" if props.get("backupManagementType") == "AzureIaasVM" else "")
        if "workloadtype" in flt and workload.lower() != flt["workloadtype"].lower():
            continue
        items.append(_policy_view(sim, policy))
    items.sort(key=lambda p: p["name"].lower())
    return sim.paged(req, items)


@route("GET", VAULT + "/backupPolicies/{policy}")
def get_policy(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, policy: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    body = _find_policy(sim, v["id"], policy)
    if body is None:
        raise _policy_not_found(policy)
    return ArmResponse(200, _policy_view(sim, body))


def _policy_type(props: dict[str, Any]) -> str:
    """V2 (Enhanced) is the one with the V2 schedule; the service derives policyType from it."""
    schedule = props.get("schedulePolicy") or {}
    if str(schedule.get("schedulePolicyType", "")).endswith("V2") or str(props.get("policyType", "")) == "V2":
        return "V2"
    return "V1"


@route("PUT", VAULT + "/backupPolicies/{policy}")
def put_policy(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, policy: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    body = req.json() or {}
    props = body.get("properties")
    if not isinstance(props, dict) or not props.get("backupManagementType"):
        # [inferred] the polymorphic ProtectionPolicy cannot be deserialized without its discriminator.
        raise ArmError(400, "BMSUserErrorInvalidInput",
                       "Input provided for the call is invalid. Please check the required inputs.")
    reject_snake_case(req, props, "ProtectionPolicy")
    pid = f"{v['id']}/backupPolicies/{policy}"
    existing = sim.peek(pid)
    new_props = copy.deepcopy(props)
    new_props.pop("protectedItemsCount", None)
    if new_props.get("backupManagementType") == "AzureIaasVM":
        new_type = _policy_type(new_props)
        new_props["policyType"] = new_type
        new_props.setdefault("timeZone", "UTC")
        new_props.setdefault("instantRPDetails", {})
        if existing is not None and existing["properties"].get("policyType") not in (None, new_type):
            in_use = [it for it in _items(sim, v["id"])
                      if ids.key(it["properties"].get("policyId") or "") == ids.key(pid)]
            if in_use:
                # Code from a public IaC changelog ("Reverted policy_type = "V2" on backup policy —
                # BMSUserErrorPolicyObjectInUse blocks recreation while VMs are protected"); message [inferred].
                raise ArmError(400, "BMSUserErrorPolicyObjectInUse",
                               "The policy is associated with one or more backup items and its type cannot be "
                               "changed. Stop protection for these items or move them to another policy, then "
                               "try again.")
    stored = {"id": pid, "name": existing["name"] if existing else policy, "type": POLICY_TYPE,
              "properties": new_props}
    if body.get("tags"):
        stored["tags"] = body["tags"]
    sim.save(pid, stored)
    # ProtectionPolicies_CreateOrUpdate accepts 200 (body) or 202; IaaS VM policies answer 200 at once
    # (recording test_backup_policy.yaml, "backup policy set").
    return ArmResponse(200, _policy_view(sim, stored))


@route("DELETE", VAULT + "/backupPolicies/{policy}")
def delete_policy(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, policy: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    body = _find_policy(sim, v["id"], policy)
    if body is None:
        return ArmResponse(204)
    in_use = [it for it in _items(sim, v["id"]) if ids.key(it["properties"].get("policyId") or "") ==
              ids.key(body["id"])]
    if in_use:
        # Code quoted in public IaC teardown notes ("A surviving active item then blocks its policy's delete
        # (BMSUserErrorPolicyObjectInUse)"); message [inferred].
        raise ArmError(400, "BMSUserErrorPolicyObjectInUse",
                       "The policy cannot be deleted as it is associated with one or more backup items. Stop "
                       "protection for these items or move them to another policy, then try again.")
    sim.remove(body["id"])
    op = _start(sim, req, v, body["id"], "delete")
    q = urlencode({"api-version": req.api_version or ""})
    return ArmResponse(202, None, {
        "Location": f"{req.base}{body['id']}/operationResults/{op.id}?{q}",
        "Azure-AsyncOperation": f"{req.base}{body['id']}/operations/{op.id}?{q}",
        "Retry-After": "60",
    })


@route("GET", VAULT + "/backupPolicies/{policy}/operationResults/{opid}")
def policy_operation_result(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, policy: str,
                            opid: str) -> ArmResponse:
    return _operation_result(sim, req, opid)


@route("GET", VAULT + "/backupPolicies/{policy}/operations/{opid}")
def policy_operation_status(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, policy: str,
                            opid: str) -> ArmResponse:
    return ArmResponse(200, _operation_status(sim, opid))


# ---------------------------------------------------------------- operations


def _start(sim: ArmSim, req: ArmRequest, vault: dict[str, Any], rid: str, kind: str) -> Operation:
    op = sim.start_operation(
        req, namespace=NS, location=vault["location"], resource_id=rid, kind=kind,
        seconds=sim.latency.action("backup" if kind != "delete" else "backupdelete"),
    )
    op.on_failure = lambda err: None  # state was applied on acceptance; a failed op only reports
    return op


def _operation_status(sim: ArmSim, opid: str) -> dict[str, Any]:
    """The backup API's OperationStatus: id and name are the operation id; a job id on success."""
    op = sim.poll(opid)
    body: dict[str, Any] = {"id": op.id, "name": op.id, "status": op.status, "startTime": op.start_time}
    if op.end_time:
        body["endTime"] = op.end_time
    if op.status == "Succeeded":
        body["properties"] = {"objectType": "OperationStatusJobExtendedInfo", "jobId": jobs.job_id_of(op.id)}
    if op.status == "Failed" and op.error is not None:
        body["error"] = op.error
    return body


def _operation_result(sim: ArmSim, req: ArmRequest, opid: str, result: Any = None) -> ArmResponse:
    op = sim.poll(opid)
    if not op.done:
        return ArmResponse(202, None, {"Location": req.url, "Retry-After": "60"})
    if op.status == "Failed" and op.error is not None:
        raise ArmError(op.error_status, op.error["code"], op.error["message"])
    if result is not None:
        return ArmResponse(200, result)
    return ArmResponse(204)


@route("GET", VAULT + "/backupOperations/{opid}")
def backup_operation_status(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, opid: str) -> ArmResponse:
    require_vault(sim, rg, vault)
    return ArmResponse(200, _operation_status(sim, opid))


@route("GET", VAULT + "/backupOperationResults/{opid}")
def backup_operation_result(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, opid: str) -> ArmResponse:
    require_vault(sim, rg, vault)
    return _operation_result(sim, req, opid)


@route("GET", ITEM + "/operationsStatus/{opid}")
def item_operation_status(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, fabric: str,
                          container: str, item: str, opid: str) -> ArmResponse:
    require_vault(sim, rg, vault)
    return ArmResponse(200, _operation_status(sim, opid))


@route("GET", ITEM + "/operationResults/{opid}")
def item_operation_result(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, fabric: str,
                          container: str, item: str, opid: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    body = sim.peek(_item_id(v["id"], fabric, container, item))
    return _operation_result(sim, req, opid, _item_view(sim, body) if body is not None else None)


# ---------------------------------------------------------------- discovery (refresh + protectable items)


@route("POST", VAULT + "/backupFabrics/{fabric}/refreshContainers")
def refresh_containers(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, fabric: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    op = _start(sim, req, v, v["id"], "action")
    q = urlencode({"api-version": req.api_version or ""})
    return ArmResponse(202, None, {"Location": f"{req.base}{v['id']}/backupFabrics/{fabric}/operationResults/{op.id}?{q}",
                                   "Retry-After": "60"})


@route("GET", VAULT + "/backupFabrics/{fabric}/operationResults/{opid}")
def fabric_operation_result(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, fabric: str,
                            opid: str) -> ArmResponse:
    require_vault(sim, rg, vault)
    return _operation_result(sim, req, opid)


def _vm_location(vm: dict[str, Any]) -> str:
    return str(vm.get("location", "")).replace(" ", "").lower()


@route("GET", VAULT + "/backupProtectableItems")
def list_protectable_items(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    """VMs the vault can protect: same region, not yet protected by any vault (only the vault's region is
    discovered, as the portal's 'You can only select VMs in the same region as the vault' says)."""
    v = require_vault(sim, rg, vault)
    protected = {ids.key(it["properties"]["sourceResourceId"]) for vb in sim.of_type(VAULT_TYPE)
                 for it in _items(sim, vb["id"])}
    items = []
    for vm in sim.of_type(VM_TYPE):
        if _vm_location(vm) != _vm_location(v) or ids.key(vm["id"]) in protected:
            continue
        p = ids.parse(vm["id"])
        assert p is not None
        name = f"iaasvmcontainerv2;{p.resource_group};{vm['name']}"
        items.append({
            "id": f"{v['id']}/backupFabrics/Azure/protectionContainers/IaasVMContainer;{name}/protectableItems/"
                  f"vm;{name}",
            "name": name,
            "type": PROTECTABLE_TYPE,
            "properties": {
                "virtualMachineId": vm["id"],
                "virtualMachineVersion": "Compute",
                "resourceGroup": p.resource_group,
                "backupManagementType": "AzureIaasVM",
                "protectableItemType": VM_TYPE,
                "friendlyName": vm["name"],
                "protectionState": "NotProtected",
            },
        })
    return sim.paged(req, items)


# ---------------------------------------------------------------- protected items


def _item_id(vid: str, fabric: str, container: str, item: str) -> str:
    return f"{vid}/backupFabrics/{fabric}/protectionContainers/{container}/protectedItems/{item}"


def _items(sim: ArmSim, vid: str) -> list[dict[str, Any]]:
    """Protected items of the vault; soft-deleted items past their retention are purged here."""
    out = []
    now = _now()
    for body in sim.under(vid):
        if body.get("type") != ITEM_TYPE:
            continue
        purge_at = body.get("_purgeAt")
        if purge_at and _dt.datetime.fromisoformat(purge_at.replace("Z", "+00:00")) <= now:
            sim.remove(body["id"])
            continue
        out.append(body)
    return out


def vault_items(sim: ArmSim, vid: str) -> list[dict[str, Any]]:
    """Public: every protected item of a vault (active and soft-deleted)."""
    return _items(sim, vid)


def is_soft_deleted(item: dict[str, Any]) -> bool:
    return bool(item.get("properties", {}).get("isScheduledForDeferredDelete"))


def _remaining(purge_at: str) -> str:
    left = _dt.datetime.fromisoformat(purge_at.replace("Z", "+00:00")) - _now()
    secs = max(int(left.total_seconds()), 0)
    days, rest = divmod(secs, 86400)
    return f"{days}.{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"


def _item_view(sim: ArmSim, item: dict[str, Any]) -> dict[str, Any]:
    out = {k: copy.deepcopy(v) for k, v in item.items() if not k.startswith("_")}
    if item.get("_purgeAt"):
        out["properties"]["deferredDeleteTimeRemaining"] = _remaining(item["_purgeAt"])
    return out


def _vm_problem_bad_request(message: str) -> ArmError:
    # [inferred] the exact service code is not quoted in public sources; "BadRequest" is ARM's generic code.
    return ArmError(400, "BadRequest", message)


def _protect(sim: ArmSim, req: ArmRequest, v: dict[str, Any], iid: str, container: str, item: str,
             props: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    """Validate a protection request and return the stored item."""
    mc, mi = _CONTAINER.match(container), _ITEM.match(item)
    if mc is None or mi is None or mc["vm"].lower() != mi["vm"].lower() or mc["rg"].lower() != mi["rg"].lower():
        # [inferred] code/message; the container/item naming rule itself is documented in
        # backup-azure-arm-userestapi-backupazurevms.md ("iaasvmcontainer;iaasvmcontainerv2;{rg};{vm}").
        raise ArmError(400, "BMSUserErrorInvalidInput",
                       "Input provided for the call is invalid. Please check the required inputs.")
    source = str(props.get("sourceResourceId") or "")
    vm = sim.peek(source) if source else None
    if vm is None or str(vm.get("type", "")).lower() != VM_TYPE.lower() or vm["name"].lower() != mc["vm"].lower():
        raise _vm_problem_bad_request(
            f"The virtual machine '{source or mc['vm']}' could not be found. Make sure it exists and that the "
            "container and item names match it.")
    if _vm_location(vm) != _vm_location(v):
        # Docs: "You can only select VMs in the same region as the vault" (backup-azure-arm-vms-prepare.md).
        raise _vm_problem_bad_request(
            f"The virtual machine '{vm['name']}' is in region '{vm['location']}' but the Recovery Services vault "
            f"'{v['name']}' is in region '{v['location']}'. You can only back up VMs in the same region as the "
            "vault.")
    for other_vault in sim.of_type(VAULT_TYPE):
        if ids.key(other_vault["id"]) == ids.key(v["id"]):
            continue
        if any(ids.key(it["properties"]["sourceResourceId"]) == ids.key(vm["id"]) for it in
               _items(sim, other_vault["id"])):
            # [inferred] wording of the az CLI's own check ("VM is already Protected with same or other Vault").
            raise _vm_problem_bad_request(
                f"The virtual machine '{vm['name']}' is already protected by the vault '{other_vault['name']}'. "
                "Stop protection there before protecting it with this vault.")

    rehydrate = bool(props.get("isRehydrate"))
    if rehydrate:
        if existing is None or not is_soft_deleted(existing):
            raise _vm_problem_bad_request("Undelete is only possible for a backup item in soft deleted state.")
        restored = copy.deepcopy(existing)
        restored.pop("_purgeAt", None)
        rp = restored["properties"]
        rp.update({"isScheduledForDeferredDelete": False, "protectionState": "ProtectionStopped",
                   "protectionStatus": "Healthy", "isRehydrate": False})
        for key in ("deferredDeleteTimeInUTC", "deferredDeleteTimeRemaining", "isDeferredDeleteScheduleUpcoming"):
            rp.pop(key, None)
        return restored

    policy_ref = str(props.get("policyId") or "")
    policy = _find_policy(sim, v["id"], policy_ref) if policy_ref else None
    if policy_ref and policy is None:
        raise _policy_not_found(policy_ref.rsplit("/", 1)[-1])
    if policy is not None and policy["properties"].get("backupManagementType") != "AzureIaasVM":
        raise ArmError(400, "BMSUserErrorInvalidInput",
                       "Input provided for the call is invalid. Please check the required inputs.")
    security = str(((vm.get("properties") or {}).get("securityProfile") or {}).get("securityType") or "")
    if (policy is not None and security.lower() == "trustedlaunch" and policy["properties"].get("policyType") == "V1"
            and sim.extra.get("backup_tl_requires_enhanced")):
        # Off by default: since May 2025 Trusted Launch VMs can be protected with Standard (V1) policies too
        # (Azure/azure-cli#31062). The opt-in reproduces the earlier rule; the text is the service's
        # "Trusted Launch Backup is supported using Enhanced policy" (MicrosoftDocs/azure-docs#117510).
        raise _vm_problem_bad_request(
            f"The virtual machine '{vm['name']}' uses Trusted Launch. Trusted Launch Backup is supported using "
            "Enhanced policy.")

    if existing is not None and not is_soft_deleted(existing):
        item_body = copy.deepcopy(existing)
    else:
        item_body = {
            "id": iid,
            "name": item,
            "type": ITEM_TYPE,
            "properties": {
                "friendlyName": vm["name"],
                "virtualMachineId": vm["id"],
                "protectionStatus": "Healthy",
                "protectionState": "IRPending",
                "healthStatus": "Passed",
                "lastBackupStatus": "",
                "lastBackupTime": "2001-01-01T00:00:00Z",
                "protectedItemDataId": str(uuid.uuid4().int % 10**14),
                "extendedInfo": {"recoveryPointCount": 0, "policyInconsistent": False},
                "protectedItemType": VM_TYPE,
                "backupManagementType": "AzureIaasVM",
                "workloadType": "VM",
                "containerName": container.split(";", 1)[1],
                "sourceResourceId": vm["id"],
                "isScheduledForDeferredDelete": False,
                "isRehydrate": False,
                "softDeleteRetentionPeriodInDays": soft_delete_days(v) or 0,
                "vaultId": v["id"],
            },
        }
    ip = item_body["properties"]
    if policy is None:  # "Stop protection but retain existing data": PUT with an empty policyId
        ip.update({"policyId": "", "policyName": "", "protectionState": "ProtectionStopped"})
        ip.pop("policyType", None)
    else:
        ip.update({"policyId": policy["id"], "policyName": policy["name"],
                   "policyType": policy["properties"].get("policyType", "V1")})
        if ip.get("protectionState") == "ProtectionStopped":
            ip["protectionState"] = "Protected"
    return item_body


@route("PUT", ITEM)
def put_protected_item(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, fabric: str, container: str,
                       item: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    sim.check_locks(v["id"], "write")
    body = req.json() or {}
    props = body.get("properties")
    if not isinstance(props, dict) or not props.get("protectedItemType"):
        raise ArmError(400, "BMSUserErrorInvalidInput",
                       "Input provided for the call is invalid. Please check the required inputs.")
    reject_snake_case(req, props, "ProtectedItem")
    iid = _item_id(v["id"], fabric, container, item)
    stored = _protect(sim, req, v, iid, container, item, props, sim.peek(iid))
    sim.save(iid, stored)
    op = _start(sim, req, v, iid, "put")
    sp = stored["properties"]
    if props.get("isRehydrate"):
        operation = "Undelete"
    elif sp.get("policyId"):
        operation = "ConfigureBackup"
    else:
        operation = "DisableBackup"
    mc = _CONTAINER.match(container)
    jobs.record_job(sim, v, op, operation, sp["friendlyName"], mc["rg"] if mc else rg, sp.get("policyName"))
    q = urlencode({"api-version": req.api_version or ""})
    return ArmResponse(202, None, {
        "Location": f"{req.base}{iid}/operationResults/{op.id}?{q}",
        "Azure-AsyncOperation": f"{req.base}{iid}/operationsStatus/{op.id}?{q}",
        "Retry-After": "60",
    })


def _item_not_found() -> ArmError:
    # Verbatim: hashicorp/terraform-provider-azurerm#9452 (Status=404 Code="BMSUserErrorDataSourceObjectNotFound").
    return ArmError(404, "BMSUserErrorDataSourceObjectNotFound",
                    "Item not found.\r\nSelected item might have been deleted. Please check if item is registered to "
                    "the vault.")


@route("GET", ITEM)
def get_protected_item(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, fabric: str, container: str,
                       item: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    _items(sim, v["id"])  # purge expired soft-deleted items first
    body = sim.peek(_item_id(v["id"], fabric, container, item))
    if body is None:
        raise _item_not_found()
    return ArmResponse(200, _item_view(sim, body))


@route("DELETE", ITEM)
def delete_protected_item(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, fabric: str,
                          container: str, item: str) -> ArmResponse:
    """Stop protection and delete backup data. With soft delete on (the default, 14 days) the item stays,
    marked ``isScheduledForDeferredDelete`` with ``protectionState: ProtectionStopped``, until it expires
    (https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud)."""
    v = require_vault(sim, rg, vault)
    sim.check_locks(v["id"], "write")
    iid = _item_id(v["id"], fabric, container, item)
    body = sim.peek(iid)
    if body is None:
        raise _item_not_found()
    days = soft_delete_days(v)
    if days is None:
        sim.remove(iid)
    elif not is_soft_deleted(body):
        now = _now()
        body["_purgeAt"] = _iso(now + _dt.timedelta(days=days))
        body["properties"].update({
            "protectionState": "ProtectionStopped",
            "protectionStatus": "Healthy",
            "isScheduledForDeferredDelete": True,
            "deferredDeleteTimeInUTC": _iso(now),
            "isDeferredDeleteScheduleUpcoming": False,
            "policyId": "",
            "policyName": "",
        })
        body["properties"].pop("policyType", None)
        sim.save(iid, body)
    op = _start(sim, req, v, iid, "delete")
    mc = _CONTAINER.match(container)
    jobs.record_job(sim, v, op, "DeleteBackupData", body["properties"]["friendlyName"], mc["rg"] if mc else rg)
    q = urlencode({"api-version": req.api_version or ""})
    return ArmResponse(202, None, {
        "Location": f"{req.base}{v['id']}/backupOperationResults/{op.id}?{q}",
        "Azure-AsyncOperation": f"{req.base}{v['id']}/backupOperations/{op.id}?{q}",
        "Retry-After": "60",
    })


@route("GET", VAULT + "/backupProtectedItems")
def list_protected_items(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    v = require_vault(sim, rg, vault)
    flt = _parse_filter(req.query.get("$filter"))
    items = []
    for body in _items(sim, v["id"]):
        props = body["properties"]
        if "backupmanagementtype" in flt and props["backupManagementType"].lower() != \
                flt["backupmanagementtype"].lower():
            continue
        if "itemtype" in flt and props["workloadType"].lower() != flt["itemtype"].lower():
            continue
        if "policyname" in flt and str(props.get("policyName", "")).lower() != flt["policyname"].lower():
            continue
        items.append(_item_view(sim, body))
    items.sort(key=lambda b: b["id"].lower())
    return sim.paged(req, items)
