"""Requests, responses and errors as ARM puts them on the wire.

The simulator speaks in these plain objects; `transport.py` adapts them to azure-core and `server.py`
to a loopback HTTP server, so both see exactly the same answers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class ArmRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes = b""

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        parts = urlsplit(self.url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.path = re.sub(r"/{2,}", "/", unquote(parts.path)).rstrip("/") or "/"
        self.query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.headers = {k.lower(): v for k, v in self.headers.items()}

    @property
    def api_version(self) -> str | None:
        return self.query.get("api-version")

    def json(self) -> Any:
        if not self.body:
            return None
        text = self.body.decode("utf-8-sig") if isinstance(self.body, bytes) else self.body
        if not text.strip():
            return None
        try:
            # ARM's reader (Newtonsoft) takes control characters such as raw newlines inside strings
            # (azure-cli recording test_resource_group_deployment: a template description spanning lines).
            return json.loads(text, strict=False)
        except ValueError as exc:
            raise ArmError(
                400,
                "InvalidRequestContent",
                f"The request content was invalid and could not be deserialized: '{exc}'.",
            ) from exc


@dataclass
class ArmResponse:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def content(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()

    def content_type(self) -> str:
        if self.body is None:
            return ""
        return self.headers.get("Content-Type", "application/json; charset=utf-8")


class ArmError(Exception):
    """An ARM error answer: ``{"error": {"code", "message", "target"?, "details"?}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        target: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"({code}) {message}")
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.details = details
        self.headers = headers or {}

    def error_object(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.target is not None:
            err["target"] = self.target
        if self.details is not None:
            err["details"] = self.details
        return err

    def response(self) -> ArmResponse:
        headers = {"x-ms-failure-cause": "gateway" if self.status == 404 else "service"}
        headers.update(self.headers)
        return ArmResponse(self.status, {"error": self.error_object()}, headers)


class DropConnection(Exception):
    """Raised inside the simulator to make the transport drop the connection (no answer at all)."""
