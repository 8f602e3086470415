"""Azure Backup jobs of a Recovery Services vault: every protect, stop-protection, delete-data and undelete
operation runs as a job, and the operation status names it (``properties.jobId``); az reads the job
(``GET .../vaults/{v}/backupJobs/{jobId}``) to report the outcome.

Shape from the recorded az CLI runs (Azure/azure-cli ``command_modules/backup/tests/latest/recordings/
test_backup_item.yaml`` and ``test_backup_protection.yaml``, api-version 2023-04-01) and the REST reference
https://learn.microsoft.com/rest/api/backup/job-details/get: ``jobType: AzureIaaSVMJob``, ``operation`` one
of ``ConfigureBackup``, ``DisableBackup``, ``DeleteBackupData``, ``Undelete`` (the JobOperationType enum),
``status`` ``InProgress`` until the operation ends, then ``Completed`` (or ``Failed``).
Jobs are stored as children of the vault (``{vault}/backupJobs/{id}``), so they go away with it.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from typing import TYPE_CHECKING, Any

from ..router import route
from ..wire import ArmError, ArmRequest, ArmResponse

if TYPE_CHECKING:
    from ..core import ArmSim, Operation

JOB_TYPE = "Microsoft.RecoveryServices/vaults/backupJobs"
VAULT = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{vault}"


def job_id_of(opid: str) -> str:
    """The job an operation runs as (stable, so the operation status can name it before the job is read)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, opid))


def record_job(sim: ArmSim, vault: dict[str, Any], op: Operation, operation: str, vm_name: str, rg: str,
               policy_name: str | None = None) -> None:
    jid = job_id_of(op.id)
    bag: dict[str, str] = {"VM Name": vm_name}
    if operation in ("ConfigureBackup", "DisableBackup"):
        bag["Policy Name"] = policy_name or ""
    if operation == "DeleteBackupData":
        bag["Number of Recovery Points"] = "0"
    sim.save(f"{vault['id']}/backupJobs/{jid}", {
        "id": f"{vault['id']}/backupJobs/{jid}",
        "name": jid,
        "type": JOB_TYPE,
        "_opid": op.id,
        "properties": {
            "jobType": "AzureIaaSVMJob",
            "containerName": f"iaasvmcontainerv2;{rg};{vm_name}",
            "duration": "PT0S",
            "virtualMachineVersion": "Compute",
            "extendedInfo": {"tasksList": [], "propertyBag": bag},
            "entityFriendlyName": vm_name,
            "backupManagementType": "AzureIaasVM",
            "operation": operation,
            "status": "InProgress",
            "startTime": op.start_time,
            "activityId": str(uuid.uuid4()),
        },
    })


def _parse(ts: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _job_view(sim: ArmSim, job: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in job.items() if not k.startswith("_")}
    props = dict(job["properties"])
    op = sim.ops.get(job.get("_opid", ""))
    if op is None or op.done:  # an operation not in memory (persisted state) has long finished
        props["status"] = "Failed" if op is not None and op.status == "Failed" else "Completed"
        end = (op.end_time if op is not None else None) or props["startTime"]
        props["endTime"] = end
        secs = max((_parse(end) - _parse(props["startTime"])).total_seconds(), 0.0)
        props["duration"] = f"PT{secs:.7f}S"
    out["properties"] = props
    return out


def vault_jobs(sim: ArmSim, vid: str) -> list[dict[str, Any]]:
    return [b for b in sim.under(vid) if b.get("type") == JOB_TYPE]


def _vault(sim: ArmSim, rg: str, vault: str) -> dict[str, Any]:
    from .recoveryservices_backup import require_vault

    return require_vault(sim, rg, vault)


@route("GET", VAULT + "/backupJobs/{job}")
def get_job(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str, job: str) -> ArmResponse:
    v = _vault(sim, rg, vault)
    body = sim.peek(f"{v['id']}/backupJobs/{job}")
    if body is None:
        # [inferred] code: the backup RP's not-found answers are BMSUserError*; message as the portal shows it.
        raise ArmError(404, "BMSUserErrorJobNotFound", f"The job '{job}' was not found in the vault.")
    return ArmResponse(200, _job_view(sim, body))


@route("GET", VAULT + "/backupJobs")
def list_jobs(sim: ArmSim, req: ArmRequest, sub: str, rg: str, vault: str) -> ArmResponse:
    """BackupJobs_List; ``$filter`` terms ``operation``, ``status`` and ``backupManagementType`` are applied,
    the time window (``startTime``/``endTime``) is accepted and ignored."""
    from .recoveryservices_backup import _parse_filter

    v = _vault(sim, rg, vault)
    flt = _parse_filter(req.query.get("$filter"))
    items = []
    for job in vault_jobs(sim, v["id"]):
        view = _job_view(sim, job)
        p = view["properties"]
        if any(k in flt and str(p.get(k if k != "backupmanagementtype" else "backupManagementType", "")).lower()
               != flt[k].lower() for k in ("operation", "status", "backupmanagementtype")):
            continue
        items.append(view)
    items.sort(key=lambda j: j["properties"]["startTime"], reverse=True)
    return sim.paged(req, items)
