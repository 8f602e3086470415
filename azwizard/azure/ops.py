"""One place that knows which SDK call creates, reads and deletes each resource type.

The runner and cleanup work with ARM ids and wire bodies; this module turns them into the real SDK
calls (``begin_create_or_update``, ``get``, ``begin_delete`` …) through the session's client factory.
Long-running calls return their poller so the caller can wait in bounded steps and stay cancellable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .session import ClientFactory

if TYPE_CHECKING:
    from azure.core.polling import LROPoller


@dataclass(frozen=True)
class ParsedId:
    subscription: str
    resource_group: str
    names: tuple[str, ...]  # the resource's name and its parents', outermost first
    resource_id: str = ""  # the id as given (extension resources such as role assignments need their scope)

    @property
    def name(self) -> str:
        return self.names[-1] if self.names else self.resource_group


def parse_id(resource_id: str) -> ParsedId:
    parts = [p for p in resource_id.split("/") if p]
    # subscriptions/{s}/resourceGroups/{rg}[/providers/{ns}/{type}/{name}[/{type}/{name}...]]
    if len(parts) < 4 or parts[0].lower() != "subscriptions" or parts[2].lower() != "resourcegroups":
        raise ValueError(f"not a resource id: {resource_id}")
    names: tuple[str, ...] = ()
    if len(parts) > 4:
        rest = parts[6:]  # after providers/{ns}
        names = tuple(rest[1::2])
    return ParsedId(parts[1], parts[3], names, resource_id)


Result = Any  # an SDK model, a poller, or None


def _body(body: Mapping[str, Any]) -> Any:
    """Wire-keyed bodies go to the SDK as plain dicts (sent as-is: https://aka.ms/azsdk/python/migrate/hybrid-models)."""
    return dict(body)


@dataclass(frozen=True)
class Ops:
    create: Callable[..., Result]  # (factory, parsed id, body, **kwargs for the SDK call)
    get: Callable[[ClientFactory, ParsedId], Result]
    delete: Callable[[ClientFactory, ParsedId], Result]


def _rg_create(f: ClientFactory, p: ParsedId, body: Mapping[str, Any], **kw: Any) -> Any:
    return f.resources().resource_groups.create_or_update(p.resource_group, _body(body), **kw)


def _protected_item_args(p: ParsedId) -> tuple[str, str, str, str, str]:
    vault, fabric, container, item = p.names
    return vault, p.resource_group, fabric, container, item


def _protect(f: ClientFactory, p: ParsedId, body: Mapping[str, Any], **kw: Any) -> Any:
    return f.backup().protected_items.begin_create_or_update(*_protected_item_args(p), _body(body), **kw)


def _get_protected(f: ClientFactory, p: ParsedId) -> Any:
    return f.backup().protected_items.get(*_protected_item_args(p))


def _unprotect(f: ClientFactory, p: ParsedId) -> Any:
    return f.backup().protected_items.delete(*_protected_item_args(p))


def _ra_scope_and_name(p: ParsedId) -> tuple[str, str]:
    """A role assignment id is ``{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}``."""
    scope, sep, name = p.resource_id.rpartition("/providers/Microsoft.Authorization/roleAssignments/")
    if not sep:  # ARM ids are case-insensitive
        low = p.resource_id.lower()
        at = low.rfind("/providers/microsoft.authorization/roleassignments/")
        if at < 0:
            raise ValueError(f"not a role assignment id: {p.resource_id}")
        scope, name = p.resource_id[:at], p.resource_id.rsplit("/", 1)[1]
    return scope, name


def _ra_create(f: ClientFactory, p: ParsedId, body: Mapping[str, Any], **kw: Any) -> Any:
    # role_assignments.create(scope, role_assignment_name, parameters) (azure-mgmt-authorization 4.0,
    # api 2022-04-01): a plain PUT answered 201, not a long-running operation. The wire dict is sent as-is.
    scope, name = _ra_scope_and_name(p)
    return f.authorization().role_assignments.create(scope, name, _body(body), **kw)


def _ra_get(f: ClientFactory, p: ParsedId) -> Any:
    scope, name = _ra_scope_and_name(p)
    return f.authorization().role_assignments.get(scope, name)


def _ra_delete(f: ClientFactory, p: ParsedId) -> Any:
    scope, name = _ra_scope_and_name(p)
    return f.authorization().role_assignments.delete(scope, name)


def _by_id(kind: str) -> Ops:
    """Created, read and deleted by id with the type's api-version (``arm.api_version_for``) through
    azure-mgmt-resource's generic ``resources`` operations, as az itself does for types it has no typed client for
    (acs/azuremonitormetrics: ``get_resources_client(...).begin_create_or_update_by_id`` / ``get_by_id`` /
    ``begin_delete_by_id``; ``az resource create --id``).

    Two groups of types go this way:
    - types without a typed SDK package in azwizard's dependencies (Azure Monitor's workspace, data collection
      endpoint / rule / association, Prometheus rule groups), with the api-versions az uses for them;
    - the network and compute types of the VM journey, with the api-versions azure-mgmt-network 33 and
      azure-mgmt-compute 39 default to (``arm.API_VERSIONS``, checked against those packages by
      tests/test_import_hygiene.py). The request is the typed operation's: ``PUT {id}?api-version=...`` with the
      wire body, ``If-Match`` from the per-call headers, and ARM's long-running-operation protocol through
      azure-mgmt-core's ``ARMPolling`` with the same options (neither package sets ``final-state-via`` for these
      operations; a PUT's final GET is the resource's URL). Importing those two packages costs about 45 MB and
      1.5 s (their generated models), which a create would otherwise pay for nothing
      (benchmarks/memory.py)."""
    from .arm import api_version_for

    version = api_version_for(kind)
    return Ops(
        create=lambda f, p, b, **kw: f.resources().resources.begin_create_or_update_by_id(
            p.resource_id, _body(b), api_version=version, **kw),
        get=lambda f, p: f.resources().resources.get_by_id(p.resource_id, api_version=version),
        delete=lambda f, p: f.resources().resources.begin_delete_by_id(p.resource_id, api_version=version),
    )


BY_ID_KINDS = ("Microsoft.Monitor/accounts", "Microsoft.Insights/dataCollectionEndpoints",
               "Microsoft.Insights/dataCollectionRules", "Microsoft.Insights/dataCollectionRuleAssociations",
               "Microsoft.AlertsManagement/prometheusRuleGroups")

OPS: dict[str, Ops] = {
    "microsoft.resources/resourcegroups": Ops(
        create=_rg_create,
        get=lambda f, p: f.resources().resource_groups.get(p.resource_group),
        delete=lambda f, p: f.resources().resource_groups.begin_delete(p.resource_group),
    ),
    # By id through the generic client (see _by_id): the same PUT and DELETE, with the same api-version, as
    # azure-mgmt-network's and azure-mgmt-compute's typed operations send, without importing those packages.
    **{kind.lower(): _by_id(kind) for kind in ("Microsoft.Network/networkSecurityGroups",
                                               "Microsoft.Network/publicIPAddresses", "Microsoft.Network/natGateways",
                                               "Microsoft.Network/virtualNetworks",
                                               "Microsoft.Network/networkInterfaces",
                                               "Microsoft.Compute/virtualMachines", "Microsoft.Compute/disks")},
    "microsoft.containerservice/managedclusters": Ops(
        create=lambda f, p, b, **kw: f.containerservice().managed_clusters.begin_create_or_update(
            p.resource_group, p.name, _body(b), **kw),
        get=lambda f, p: f.containerservice().managed_clusters.get(p.resource_group, p.name),
        delete=lambda f, p: f.containerservice().managed_clusters.begin_delete(p.resource_group, p.name),
    ),
    "microsoft.containerservice/managedclusters/agentpools": Ops(
        create=lambda f, p, b, **kw: f.containerservice().agent_pools.begin_create_or_update(
            p.resource_group, p.names[0], p.names[1], _body(b), **kw),
        get=lambda f, p: f.containerservice().agent_pools.get(p.resource_group, p.names[0], p.names[1]),
        delete=lambda f, p: f.containerservice().agent_pools.begin_delete(p.resource_group, p.names[0], p.names[1]),
    ),
    # A plain PUT answered 200/201, not a long-running operation (maintenanceConfigurations create-or-update,
    # https://learn.microsoft.com/rest/api/aks/maintenance-configurations/create-or-update).
    "microsoft.containerservice/managedclusters/maintenanceconfigurations": Ops(
        create=lambda f, p, b, **kw: f.containerservice().maintenance_configurations.create_or_update(
            p.resource_group, p.names[0], p.names[1], _body(b), **kw),
        get=lambda f, p: f.containerservice().maintenance_configurations.get(p.resource_group, p.names[0],
                                                                            p.names[1]),
        delete=lambda f, p: f.containerservice().maintenance_configurations.delete(p.resource_group, p.names[0],
                                                                                  p.names[1]),
    ),
    "microsoft.authorization/roleassignments": Ops(create=_ra_create, get=_ra_get, delete=_ra_delete),
    **{kind.lower(): _by_id(kind) for kind in BY_ID_KINDS},
    "microsoft.containerregistry/registries": Ops(
        create=lambda f, p, b, **kw: f.containerregistry().registries.begin_create(p.resource_group, p.name, _body(b),
                                                                                 **kw),
        get=lambda f, p: f.containerregistry().registries.get(p.resource_group, p.name),
        delete=lambda f, p: f.containerregistry().registries.begin_delete(p.resource_group, p.name),
    ),
    "microsoft.recoveryservices/vaults": Ops(
        create=lambda f, p, b, **kw: f.recoveryservices().vaults.begin_create_or_update(p.resource_group, p.name,
                                                                                      _body(b), **kw),
        get=lambda f, p: f.recoveryservices().vaults.get(p.resource_group, p.name),
        delete=lambda f, p: f.recoveryservices().vaults.begin_delete(p.resource_group, p.name),
    ),
    "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems": Ops(
        create=_protect, get=_get_protected, delete=_unprotect,
    ),
}


def ops_for(kind: str) -> Ops:
    try:
        return OPS[kind.lower()]
    except KeyError:
        raise ValueError(f"azwizard does not know how to manage {kind}") from None


def create(factory: ClientFactory, kind: str, resource_id: str, body: Mapping[str, Any], *,
           if_match: str = "") -> Result:
    """Send the PUT: returns a poller for long-running operations, else the model. ``if_match``: the etag the
    resource had when it was read; Azure answers 412 PreconditionFailed when it changed since
    (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/Addendum.md#etags-for-resources). It goes as the ``If-Match`` header through azure-core's per-call ``headers``
    keyword, which every generated operation merges into its request (the network resources' operations have no
    etag parameter; compute's and AKS's azure-core ``etag=``/``match_condition=`` set the same header)."""
    kw: dict[str, Any] = {"headers": {"If-Match": if_match}} if if_match else {}
    return ops_for(kind).create(factory, parse_id(resource_id), body, **kw)


def get(factory: ClientFactory, kind: str, resource_id: str) -> Any | None:
    """The resource as ARM's wire JSON, or None when Azure says it does not exist.

    Read by id with the type's api-version through the one generic client (``azure/arm.py``), the same GET
    the typed client's ``get`` sends, without importing the typed client's package."""
    ops_for(kind)  # a kind azwizard does not manage is refused as before
    parse_id(resource_id)
    return factory.arm().resource(kind, resource_id)


def delete(factory: ClientFactory, kind: str, resource_id: str) -> Result:
    return ops_for(kind).delete(factory, parse_id(resource_id))


def instance_view(factory: ClientFactory, vm_id: str) -> dict[str, Any]:
    """A VM's instance view (power state, statuses) as wire JSON: ``GET {vm id}/instanceView`` with the VM's
    api-version (https://learn.microsoft.com/rest/api/compute/virtual-machines/instance-view), through the
    generic client as azure-mgmt-compute's ``virtual_machines.instance_view`` sends it."""
    from .arm import api_version_for

    parse_id(vm_id)
    return factory.arm().get(f"{vm_id.rstrip('/')}/instanceView", api_version_for("Microsoft.Compute/virtualMachines"))


def power_state(view: Mapping[str, Any]) -> str | None:
    """``running`` / ``stopped`` / ``deallocated`` … from an instance view's ``PowerState/...`` status."""
    for status in view.get("statuses") or []:
        code = str(status.get("code") or "")
        if code.startswith("PowerState/"):
            return code.split("/", 1)[1]
    return None


def cluster_power_action(factory: ClientFactory, cluster_id: str, action: str) -> Result:
    """``stop`` or ``start`` an AKS cluster (``managed_clusters.begin_stop`` / ``begin_start``): a poller."""
    p = parse_id(cluster_id)
    clusters = factory.containerservice().managed_clusters
    if action == "stop":
        return clusters.begin_stop(p.resource_group, p.name)
    if action == "start":
        return clusters.begin_start(p.resource_group, p.name)
    raise ValueError(f"unknown cluster action {action!r}")


def list_locks(factory: ClientFactory) -> list[dict[str, str]]:
    """Every management lock in the subscription (ARM lists locks at resource-group and resource scope too),
    as ``{"id", "name", "level", "notes"}``."""
    from .arm import api_version_for

    path = f"/subscriptions/{factory.subscription_id}/providers/Microsoft.Authorization/locks"
    out = []
    for lock in factory.arm().list_items(path, api_version_for("Microsoft.Authorization/locks")):
        props = lock.get("properties") or {}
        out.append({"id": str(lock.get("id") or ""), "name": str(lock.get("name") or ""),
                    "level": str(props.get("level") or ""), "notes": str(props.get("notes") or "")})
    return out


def list_protected_items(factory: ClientFactory, vault_id: str) -> list[dict[str, Any]]:
    """A Recovery Services vault's backup items (active and soft-deleted) as wire JSON."""
    p = parse_id(vault_id)
    return [wire(item) for item in factory.backup().backup_protected_items.list(p.name, p.resource_group)]


def polling_url(poller: Any) -> str:
    """The URL a long-running PUT is polled at (``Azure-AsyncOperation``, else ``Location``), for the journal:
    a resumed run polls it instead of sending the PUT again. "" when the poller does not say.
    https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations"""
    try:
        url = poller.polling_method()._operation.get_polling_url()
    except Exception:
        return ""
    return str(url or "")


def operation_status(factory: ClientFactory, kind: str, url: str) -> str | None:
    """Poll an operation URL once through the generic client (its pipeline signs the request as a typed client's
    does; the URL is absolute and carries its own api-version):
    ``InProgress`` / ``Succeeded`` / ``Failed`` / ``Canceled``, or None when Azure no longer knows the operation.
    An ``Azure-AsyncOperation`` URL answers ``{"status": ...}``; a ``Location`` URL answers 202 while it runs."""
    from azure.core.rest import HttpRequest

    ops_for(kind)  # a kind azwizard does not manage is refused as before
    response = factory.arm().send_request(HttpRequest("GET", url))
    if response.status_code == 404:
        return None
    if response.status_code == 202:
        return "InProgress"
    response.raise_for_status()
    try:
        body = response.json()
    except Exception:
        body = {}
    status = body.get("status") if isinstance(body, Mapping) else None
    return str(status) if status else "Succeeded"


def is_poller(value: Any) -> bool:
    return hasattr(value, "done") and hasattr(value, "result") and hasattr(value, "wait")


def wire(model: Any) -> dict[str, Any]:
    """A model as wire JSON (camelCase): hybrid models are mappings; msrest-style ones have as_dict()."""
    if model is None:
        return {}
    if isinstance(model, Mapping):
        import json

        return dict(json.loads(json.dumps(dict(model), default=_jsonable)))
    as_dict = getattr(model, "as_dict", None)
    if callable(as_dict):
        return dict(as_dict())
    return {}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


__all__ = ["Ops", "ParsedId", "cluster_power_action", "create", "delete", "get", "instance_view", "is_poller",
           "list_locks", "list_protected_items", "operation_status", "parse_id", "polling_url", "power_state", "wire", "LROPoller"]
