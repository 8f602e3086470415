"""The Azure Retail Prices API client: ``GET https://prices.azure.com/api/retail/prices`` with an OData
``$filter``, ``currencyCode`` and ``NextPageLink`` paging.

Docs: https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices — public (no
sign-in); the answer is ``{"BillingCurrency", "CustomerEntityId", "CustomerEntityType", "Items": [...],
"NextPageLink", "Count"}`` with at most 1,000 items a page (``NextPageLink`` is null on the last page);
filter values are case-sensitive from api-version ``2023-01-01-preview``; ``currencyCode`` picks one of the
supported currencies ("Prices shown in USD currency are Microsoft retail prices. Other non-USD prices
returned by the API are for your reference").

The request goes through an azure-core pipeline with the same transport the SDK clients get (so the
simulator answers it in demo mode and tests) and the generated clients' general policies — user agent,
proxy (``HTTPS_PROXY``/``NO_PROXY`` honoured by the default transport), redirect, retry, logging — but no
authentication policy: the API takes no token, and none is sent to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azure.core import PipelineClient
    from azure.core.pipeline.transport import HttpTransport
    from azure.core.rest import HttpRequest, HttpResponse

__all__ = ["API_VERSION", "PRICES_URL", "RetailPricesClient", "odata_filter"]

PRICES_URL = "https://prices.azure.com/api/retail/prices"
API_VERSION = "2023-01-01-preview"
MAX_PAGES = 200  # a guard against a NextPageLink that never ends (a region's VMs are a few pages)


def odata_filter(**fields: str) -> str:
    """``serviceName eq 'Virtual Machines' and armRegionName eq 'eastus'`` (quotes doubled, as OData wants)."""
    return " and ".join(f"{k} eq '{v.replace(chr(39), chr(39) * 2)}'" for k, v in fields.items())


class RetailPricesClient:
    """Reads price items page by page. Thread-safe (the pipeline is)."""

    def __init__(self, *, url: str | None = None, transport: HttpTransport[Any, Any] | None = None,
                 **kwargs: Any) -> None:
        from azure.core import PipelineClient
        from azure.core.pipeline import policies

        from .. import __version__

        for key in ("polling_interval", "credential_scopes", "base_url"):
            kwargs.pop(key, None)  # the ARM clients' settings; this endpoint is not ARM's
        kwargs.setdefault("sdk_moniker", f"azwizard/{__version__}")
        # Offline or behind a black-holing firewall, the estimate must fall back quickly (a fetch runs before
        # the review and `plan` show their figures): few retries, short connect and read timeouts.
        kwargs.setdefault("retry_total", 2)
        kwargs.setdefault("retry_backoff_factor", 0.4)
        kwargs.setdefault("connection_timeout", 10)
        kwargs.setdefault("read_timeout", 30)
        if transport is not None:
            kwargs["transport"] = transport
        chain = [
            policies.RequestIdPolicy(**kwargs),
            policies.HeadersPolicy(**kwargs),
            policies.UserAgentPolicy(**kwargs),
            policies.ProxyPolicy(**kwargs),
            policies.ContentDecodePolicy(**kwargs),
            policies.RedirectPolicy(**kwargs),
            policies.RetryPolicy(**kwargs),
            policies.CustomHookPolicy(**kwargs),
            policies.NetworkTraceLoggingPolicy(**kwargs),
            policies.HttpLoggingPolicy(**kwargs),
        ]
        self.url = url or PRICES_URL
        self._client: PipelineClient[HttpRequest, HttpResponse] = PipelineClient(
            base_url=self.url, policies=chain, **kwargs)

    def close(self) -> None:
        self._client.close()

    def items(self, filter_: str, currency: str = "USD") -> Iterator[dict[str, Any]]:
        """Every item the filter selects, following ``NextPageLink`` to the last page."""
        for page in self.pages(filter_, currency):
            yield from page.get("Items") or []

    def pages(self, filter_: str, currency: str = "USD") -> Iterator[dict[str, Any]]:
        from azure.core.exceptions import HttpResponseError
        from azure.core.rest import HttpRequest

        params = {"api-version": API_VERSION, "$filter": filter_}
        if currency.upper() != "USD":
            params["currencyCode"] = currency.upper()
        request = HttpRequest("GET", self.url, params=params, headers={"Accept": "application/json"})
        for _ in range(MAX_PAGES):
            response = self._client.send_request(request)
            if response.status_code != 200:
                raise HttpResponseError(response=response)
            body = response.json()
            if not isinstance(body, dict):
                raise HttpResponseError(message="The Retail Prices API answered something that is not a page",
                                        response=response)
            yield body
            link = body.get("NextPageLink")
            if not link:
                return
            request = HttpRequest("GET", str(link), headers={"Accept": "application/json"})
        raise HttpResponseError(message=f"The Retail Prices API sent more than {MAX_PAGES} pages")
