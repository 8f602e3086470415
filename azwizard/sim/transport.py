"""The azure-core transport that carries the real SDK clients' requests to the simulator in-process.

Only the transport is swapped: serialization, retries, authentication, long-running-operation polling,
paging and error mapping all stay the SDK's own. ``sleep()`` never really sleeps in tests (latency
scale 0); in demo mode it sleeps the scaled time, so Retry-After and polling intervals keep their
proportions.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from azure.core.exceptions import ResponseNotReadError, ServiceResponseError
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest, HttpResponse
from azure.core.utils import case_insensitive_dict

from .core import ArmSim
from .wire import ArmRequest, DropConnection

_REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
    401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
    412: "Precondition Failed", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}


class SimHttpResponse(HttpResponse):
    """A complete, already-read response (the public ABC azure-core offers for custom transports)."""

    def __init__(self, request: HttpRequest, status: int, headers: dict[str, str], body: bytes) -> None:
        self._request = request
        self._status = status
        self._headers = case_insensitive_dict(headers)
        self._body = body
        self._encoding: str | None = None
        self._closed = False
        self._consumed = False

    @property
    def request(self) -> HttpRequest:
        return self._request

    @property
    def status_code(self) -> int:
        return self._status

    @property
    def headers(self) -> Any:
        return self._headers

    @property
    def reason(self) -> str:
        return _REASONS.get(self._status, "Unknown")

    @property
    def content_type(self) -> str | None:
        return self._headers.get("Content-Type")

    @property
    def is_closed(self) -> bool:
        return self._closed

    @property
    def is_stream_consumed(self) -> bool:
        return self._consumed

    @property
    def encoding(self) -> str | None:
        return self._encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        self._encoding = value

    @property
    def url(self) -> str:
        return self._request.url

    @property
    def content(self) -> bytes:
        return self._body

    def text(self, encoding: str | None = None) -> str:
        return self._body.decode(encoding or self._encoding or "utf-8")

    def json(self) -> Any:
        return json.loads(self._body) if self._body else None

    def raise_for_status(self) -> None:
        if self._status >= 400:
            from azure.core.exceptions import HttpResponseError

            raise HttpResponseError(response=self)

    def body(self) -> bytes:
        """The legacy transport-response accessor that msrest-style deserializers look for."""
        return self._body

    def read(self) -> bytes:
        self._consumed = True
        return self._body

    def iter_bytes(self, **kwargs: Any) -> Iterator[bytes]:
        self._consumed = True
        if self._body:
            yield self._body

    def iter_raw(self, **kwargs: Any) -> Iterator[bytes]:
        yield from self.iter_bytes()

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> SimHttpResponse:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SimHttpResponse: {self._status} {self.reason}>"


class SimTransport(HttpTransport):
    """``HttpTransport`` whose ``send`` answers from an :class:`ArmSim` in this process."""

    def __init__(self, sim: ArmSim) -> None:
        self.sim = sim

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> SimTransport:
        return self

    def __exit__(self, *args: Any) -> None:
        pass

    def send(self, request: Any, **kwargs: Any) -> Any:
        body = request.content if hasattr(request, "content") else request.data
        if body is None:
            body = b""
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes | bytearray):
            body = json.dumps(body).encode()
        arm_req = ArmRequest(request.method, request.url, dict(request.headers), bytes(body))
        try:
            resp = self.sim.handle(arm_req)
        except DropConnection as exc:
            raise ServiceResponseError(
                "Connection aborted.: RemoteDisconnected('Remote end closed connection without response')",
                error=exc,
            ) from exc
        headers = dict(resp.headers)
        ctype = resp.content_type()
        if ctype:
            headers["Content-Type"] = ctype
        content = resp.content()
        headers["Content-Length"] = str(len(content))
        return SimHttpResponse(request, resp.status, headers, content)

    def sleep(self, duration: float) -> None:
        """The SDK's poller waits here between polls: a simulated clock moves on by ``duration`` (so an
        operation nobody polls still finishes as time passes); with a latency scale the wait is real.

        Without one (tests, benchmarks) the poller still gives up the GIL here (``time.sleep(0)``). A poller whose
        caller stopped watching goes on polling in its own thread (azure-core's LROPoller); polling without a
        pause, it held the GIL for whole switch intervals, and the thread that stopped it took 0.4-3.4 s instead
        of 3 ms to see the stop (while the poller sent 6,000-39,000 polls)."""
        self.sim.sleeps.append(duration)
        if self.sim.latency.scale > 0:
            time.sleep(duration * self.sim.latency.scale)
        else:
            time.sleep(0)
        self.sim.waited(duration)


__all__ = ["SimTransport", "SimHttpResponse", "ResponseNotReadError"]
