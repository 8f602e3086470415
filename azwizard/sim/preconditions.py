"""``If-Match`` / ``If-None-Match`` on writes, as ARM's resource providers answer them.

The rules are the ARM RPC's ETag table (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/
Addendum.md#etags-for-resources): a PUT with ``If-Match`` (a value or ``*``) on a resource that does not exist,
or with an etag other than the resource's, is 412 Precondition Failed; ``If-None-Match: *`` on one that exists
is 412; a PATCH or DELETE of a resource that does not exist answers as without the header (404 / 204), and of
one that exists 412 on a mismatch. A resource whose provider returns no etag cannot match a value.

The error shapes are the real ones: Network answers code ``PreconditionFailed``, message "Precondition
failed.", with a ``PreconditionFailedEtagMismatch`` detail naming both etags and the resource (NRP, route table
PUT: https://github.com/kubernetes-sigs/cluster-api-provider-azure/issues/682); Compute answers
``PreconditionFailed`` with "Etag provided in if-match header "2" does not match etag "3" of resource." and
no details (VMSS PUT: https://github.com/kubernetes-sigs/cloud-provider-azure/issues/9728). The wording for a
missing resource and for ``If-None-Match`` is not recorded anywhere we found (*unverified*; same code).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from .wire import ArmError, ArmRequest

if TYPE_CHECKING:
    from .core import ArmSim

WRITES = ("PUT", "PATCH", "DELETE")


def check(sim: ArmSim, req: ArmRequest) -> None:
    """Raise the 412 ARM answers when the request's precondition does not hold; nothing otherwise."""
    if req.method not in WRITES:
        return
    if_match = (req.headers.get("if-match") or "").strip()
    if_none = (req.headers.get("if-none-match") or "").strip()
    if not if_match and not if_none:
        return
    exists, etag = current_etag(sim, req)
    rid = req.path
    if if_none == "*" and exists and req.method == "PUT":
        raise ArmError(412, "PreconditionFailed",
                       f"The resource '{rid}' already exists and the request has If-None-Match: *.")
    if not if_match:
        return
    if not exists:
        if req.method == "PUT":
            raise ArmError(412, "PreconditionFailed",
                           f"The resource '{rid}' does not exist, so the If-Match precondition cannot hold.")
        return  # PATCH: 404 and DELETE: 204 come from the route, as without the header
    if if_match == "*" or if_match in {t.strip() for t in etag.split(",") if t} and etag:
        return
    shown = etag or '""'
    if "/providers/microsoft.network/" in rid.lower():
        raise ArmError(412, "PreconditionFailed", "Precondition failed.", details=[{
            "code": "PreconditionFailedEtagMismatch",
            "message": f"Etag provided in if-match header {if_match} does not match etag {shown} of resource {rid}."}])
    raise ArmError(412, "PreconditionFailed",
                   f"Etag provided in if-match header {if_match} does not match etag {shown} of resource.")


def current_etag(sim: ArmSim, req: ArmRequest) -> tuple[bool, str]:
    """(whether the resource exists, its etag as a GET at the request's api-version answers it, or "")."""
    from . import router

    found = router.match("GET", req.path)
    if found is None:
        return False, ""
    route_, params = found
    get = dataclasses.replace(req, method="GET", body=b"")
    try:
        resp = router.dispatch(sim, get, route_, params)
    except ArmError:
        return False, ""
    if resp.status >= 300:
        return False, ""
    body: Any = resp.body if isinstance(resp.body, dict) else {}
    header = next((v for k, v in (resp.headers or {}).items() if k.lower() == "etag"), "")
    return True, str(body.get("etag") or body.get("eTag") or header or "")
