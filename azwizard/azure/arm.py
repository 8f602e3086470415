"""One generic Resource Manager client for reads: GET (or list, or a read-only POST) by path with the
resource type's api-version, answered as ARM's wire JSON.

Why: the typed SDK clients are costly to import (``azure.mgmt.network`` about 1 s, ``azure.mgmt.compute``
about 0.8 s on a small machine: thousands of generated models and operations), and a read needs none of
that: ARM's GET of a resource is the same request for every resource type, ``GET {id}?api-version=...``
(https://learn.microsoft.com/rest/api/azure/#components-of-a-rest-api-requestresponse), and ARM's lists are
``{"value": [...], "nextLink": ...}`` pages
(https://learn.microsoft.com/azure/azure-resource-manager/management/resource-manager-request-limits and
https://github.com/Azure/azure-rest-api-specs/blob/main/documentation/openapi-authoring-automated-guidelines.md
"x-ms-pageable"). Creates, deletes and long-running operations use SDK operations with pollers (azure/ops.py).

The client is azure-mgmt-core's ``ARMPipelineClient`` with the same policies, in the same order, as the
generated clients build (``azure/mgmt/*/_client.py``: request id, headers, user agent, proxy, content
decode, ARM resource provider auto-registration, redirect, retry, ARM challenge authentication, logging),
so a read sends what the typed client's ``get`` sends. (Creates and deletes of the network and compute types
go by id through azure-mgmt-resource's generic operations for the same reason: ``ops._by_id``.) Errors are raised the way the generated operations
raise them (``map_error`` on 401/404/409/304, else ``HttpResponseError`` with ARM's error format), so
``explain`` and every ``except ResourceNotFoundError`` treat them alike.

The api-versions are the installed SDK packages' defaults for those operations (pyproject.toml pins the
packages; ``tests/test_import_hygiene.py`` checks the table against them), so the answers have the shape
the plan's bodies are written for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .credentials import ARM_SCOPE, quiet_sdk_logging

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.pipeline.transport import HttpTransport
    from azure.core.rest import HttpRequest, HttpResponse
    from azure.mgmt.core import ARMPipelineClient

__all__ = ["API_VERSIONS", "AZ_CLI_API_VERSIONS", "ArmClient", "DEFAULT_BASE_URL", "api_version_for"]

DEFAULT_BASE_URL = "https://management.azure.com"

# Lower-cased resource type (or operation) -> api-version: the installed SDK's default for it
# (azure-mgmt-network 33: 2026-03-01; azure-mgmt-compute 39: virtual machines, usages and images 2026-04-01,
# disks 2026-03-02, resource SKUs 2021-07-01; azure-mgmt-containerservice 41: 2026-08-01; ...).
API_VERSIONS: dict[str, str] = {
    "microsoft.resources/subscriptions": "2022-12-01",  # subscriptions, tenants, locations
    "microsoft.resources/tenants": "2022-12-01",
    "microsoft.resources/resourcegroups": "2025-04-01",
    "microsoft.resources/providers": "2025-04-01",
    "microsoft.authorization/locks": "2020-05-01",  # azure-mgmt-resource-locks
    "microsoft.network/networksecuritygroups": "2026-03-01",
    "microsoft.network/publicipaddresses": "2026-03-01",
    "microsoft.network/natgateways": "2026-03-01",
    "microsoft.network/virtualnetworks": "2026-03-01",
    "microsoft.network/networkinterfaces": "2026-03-01",
    "microsoft.network/locations/usages": "2026-03-01",
    "microsoft.compute/virtualmachines": "2026-04-01",
    "microsoft.compute/disks": "2026-03-02",
    "microsoft.compute/skus": "2021-07-01",
    "microsoft.compute/locations/usages": "2026-04-01",
    "microsoft.compute/locations/publishers/artifacttypes/offers/skus/versions": "2026-04-01",  # VM images
    "microsoft.containerservice/managedclusters": "2026-08-01",
    "microsoft.containerservice/managedclusters/agentpools": "2026-08-01",
    "microsoft.containerservice/managedclusters/maintenanceconfigurations": "2026-08-01",
    "microsoft.containerservice/locations/kubernetesversions": "2026-08-01",
    "microsoft.containerregistry/registries": "2025-11-01",
    "microsoft.containerregistry/checknameavailability": "2025-11-01",
    "microsoft.recoveryservices/vaults": "2026-11-01",
    "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems": "2026-10-01",
    "microsoft.authorization/roleassignments": "2022-04-01",
    "microsoft.authorization/permissions": "2022-04-01",
}

# Types no typed SDK package of azwizard's covers (managed Prometheus: plan/aks_metrics.py): the api-versions
# azure-cli 2.91.0's acs module uses for them (acs/azuremonitormetrics/constants.py MAC_API, DC_API, RULES_API), for
# reads here and for creates and deletes too (ops._by_id), so azwizard's requests are az's.
AZ_CLI_API_VERSIONS: dict[str, str] = {
    "microsoft.monitor/accounts": "2023-04-03",
    "microsoft.insights/datacollectionendpoints": "2022-06-01",
    "microsoft.insights/datacollectionrules": "2022-06-01",
    "microsoft.insights/datacollectionruleassociations": "2022-06-01",
    "microsoft.alertsmanagement/prometheusrulegroups": "2023-03-01",
}


def api_version_for(kind: str) -> str:
    """The api-version to read ``kind`` (a resource type such as ``Microsoft.Network/virtualNetworks``)."""
    try:
        return API_VERSIONS.get(kind.lower()) or AZ_CLI_API_VERSIONS[kind.lower()]
    except KeyError:
        raise ValueError(f"azwizard has no api-version to read {kind}") from None


class ArmClient:
    """Reads by path. Thread-safe (the pipeline is); build it through ``ClientFactory.arm()``."""

    def __init__(
        self,
        credential: TokenCredential,
        *,
        base_url: str | None = None,
        transport: HttpTransport[Any, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        from azure.core.pipeline import policies
        from azure.mgmt.core import ARMPipelineClient
        from azure.mgmt.core.policies import (
            ARMAutoResourceProviderRegistrationPolicy,
            ARMChallengeAuthenticationPolicy,
            ARMHttpLoggingPolicy,
        )

        from .. import __version__

        quiet_sdk_logging()
        kwargs.pop("polling_interval", None)  # a typed client's setting; reads do not poll
        scopes = list(kwargs.pop("credential_scopes", None) or [ARM_SCOPE])
        kwargs.setdefault("sdk_moniker", f"azwizard/{__version__}")
        if transport is not None:
            kwargs["transport"] = transport
        redirect = policies.RedirectPolicy(**kwargs)
        chain = [
            policies.RequestIdPolicy(**kwargs),
            policies.HeadersPolicy(**kwargs),
            policies.UserAgentPolicy(**kwargs),
            policies.ProxyPolicy(**kwargs),
            policies.ContentDecodePolicy(**kwargs),
            ARMAutoResourceProviderRegistrationPolicy(),
            redirect,
            policies.RetryPolicy(**kwargs),
            ARMChallengeAuthenticationPolicy(credential, *scopes, **kwargs),
            policies.CustomHookPolicy(**kwargs),
            policies.NetworkTraceLoggingPolicy(**kwargs),
            policies.DistributedTracingPolicy(**kwargs),
            policies.SensitiveHeaderCleanupPolicy(**kwargs),
            ARMHttpLoggingPolicy(**kwargs),
        ]
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._client: ARMPipelineClient[HttpRequest, HttpResponse] = ARMPipelineClient(
            base_url=self.base_url, policies=chain, **kwargs)

    def close(self) -> None:
        self._client.close()

    def send_request(self, request: HttpRequest) -> HttpResponse:
        """Send a prepared request (an operation's absolute polling URL) through the signed pipeline, as is."""
        response: HttpResponse = self._client.send_request(request)
        return response

    # ------------------------------------------------------------------------------------------

    def get(self, path: str, api_version: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        """``GET {path}?api-version=...``: the answer's JSON. 404 raises ``ResourceNotFoundError``."""
        body = self._json(self._send("GET", path, api_version, params))
        return body if isinstance(body, dict) else {"value": body}

    def get_or_none(self, path: str, api_version: str) -> dict[str, Any] | None:
        """The resource, or ``None`` when ARM answers 404 (the resource, or its group, does not exist)."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return self.get(path, api_version)
        except ResourceNotFoundError:
            return None

    def resource(self, kind: str, resource_id: str) -> dict[str, Any] | None:
        """A resource by id with its type's api-version, or ``None`` when it does not exist."""
        return self.get_or_none(resource_id, api_version_for(kind))

    def list_items(self, path: str, api_version: str, params: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a paged list, following ``nextLink`` (an absolute URL carrying its own query)."""
        page: Any = self._json(self._send("GET", path, api_version, params))
        while True:
            items = page.get("value") if isinstance(page, dict) else page
            for item in items or []:
                if isinstance(item, dict):
                    yield item
            link = page.get("nextLink") if isinstance(page, dict) else None
            if not link:
                return
            page = self._json(self._send("GET", str(link), None, None))

    def post(self, path: str, api_version: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A read-only POST (``checkNameAvailability``, ``listKeys``-style actions): the answer's JSON."""
        answer = self._json(self._send("POST", path, api_version, None, body))
        return answer if isinstance(answer, dict) else {}

    # ------------------------------------------------------------------------------------------

    def _send(self, method: str, path: str, api_version: str | None, params: Mapping[str, str] | None,
              body: Mapping[str, Any] | None = None) -> HttpResponse:
        from azure.core.exceptions import (
            ClientAuthenticationError,
            HttpResponseError,
            ResourceExistsError,
            ResourceNotFoundError,
            ResourceNotModifiedError,
            map_error,
        )
        from azure.core.rest import HttpRequest
        from azure.mgmt.core.exceptions import ARMErrorFormat

        query = {"api-version": api_version} if api_version is not None else {}
        query.update(params or {})  # after the api-version, as the generated request builders put them
        request = HttpRequest(method, self._client.format_url(path), params=query,
                              headers={"Accept": "application/json"},
                              json=dict(body) if body is not None else None)
        response: HttpResponse = self._client.send_request(request)
        if response.status_code not in (200, 201):
            # As the generated operations do (e.g. azure/mgmt/containerregistry/operations/_operations.py get).
            error_map = {401: ClientAuthenticationError, 404: ResourceNotFoundError, 409: ResourceExistsError,
                         304: ResourceNotModifiedError}
            map_error(status_code=response.status_code, response=response, error_map=error_map)
            raise HttpResponseError(response=response, error_format=ARMErrorFormat)
        return response

    @staticmethod
    def _json(response: HttpResponse) -> Any:
        try:
            return response.json()
        except ValueError:
            return {}
