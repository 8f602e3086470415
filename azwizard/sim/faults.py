"""One-shot (or n-shot) faults injected per operation: throttling, server errors, failed async
operations and dropped connections, matched by method and a path regex."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["status", "drop", "async_fail"]


@dataclass
class Fault:
    kind: FaultKind
    method: str | None
    path: re.Pattern[str]
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    code: str = "InternalServerError"
    message: str = "An internal server error occurred. Please try again later."
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and bool(self.path.search(path))

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def _add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def throttle(self, method: str | None, path: str, *, retry_after: int = 7, times: int = 1) -> Fault:
        """429 TooManyRequests with Retry-After, as ARM throttling answers."""
        return self._add(
            Fault(
                "status", method, re.compile(path, re.I), times, 429, {"Retry-After": str(retry_after)},
                "TooManyRequests",
                "The request is being throttled as the limit has been reached for operation type - "
                "Write_ObservationWindow_00:01:00. For more information, refer to - "
                "https://aka.ms/srpthrottlinglimits",
            )
        )

    def server_error(self, method: str | None, path: str, *, status: int = 500, times: int = 1) -> Fault:
        code, message = {
            500: ("InternalServerError", "Encountered internal server error. Please try again."),
            502: ("BadGateway", "The gateway did not receive a response from the service."),
            503: ("ServiceUnavailable", "The server is currently unavailable. Please try again later."),
            504: ("GatewayTimeout", "The gateway did not receive a response within the specified time period."),
        }.get(status, ("InternalServerError", "Encountered internal server error. Please try again."))
        return self._add(Fault("status", method, re.compile(path, re.I), times, status, {}, code, message))

    def error(self, method: str | None, path: str, *, status: int, code: str, message: str,
              times: int = 1, headers: dict[str, str] | None = None) -> Fault:
        return self._add(Fault("status", method, re.compile(path, re.I), times, status, headers or {}, code, message))

    def drop(self, method: str | None, path: str, *, times: int = 1) -> Fault:
        """Close the connection without an answer."""
        return self._add(Fault("drop", method, re.compile(path, re.I), times))

    def fail_async(self, method: str | None, path: str, *, code: str, message: str, times: int = 1) -> Fault:
        """Accept the request, then fail its long-running operation with ``code``."""
        return self._add(Fault("async_fail", method, re.compile(path, re.I), times, 200, {}, code, message))

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for f in self._faults:
                if f.hits < f.times and f.matches(method, path):
                    f.hits += 1
                    return f
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
