#!/usr/bin/env python3
"""Replay real azure-cli recordings (vcrpy cassettes) against the azwizard ARM simulator and score
how faithfully it answers.

    python replay.py                       # every cassette in ./cassettes, a fresh simulator each
    python replay.py -k aks -v             # only cassettes whose name contains "aks", list every mismatch
    python replay.py --url http://127.0.0.1:8443          # a simulator already running (state is shared)
    python replay.py --relocate eastus --adapt-images     # DIAGNOSTIC: see past region/image catalog gaps

For every cassette the interactions are sent in recorded order to the simulator:
- requests to hosts other than management.azure.com (graph, login, raw.githubusercontent, data
  planes) are skipped and counted as "skipped: outside ARM";
- the recorded subscription 00000000-0000-0000-0000-000000000000 is rewritten to the simulator's,
  in paths, queries and request bodies; responses are compared after the reverse rewrite;
- resource groups that the test framework's preparers created outside the recording (the first
  recorded request already finds them) are created first, with the recorded location and tags
  ("setup", never compared; a refused setup makes the rest of the cassette a cascade);
- async-operation / Location polling URLs are mapped to the ones the simulator returned for the
  corresponding request (operation ids differ); ids the recording and the simulator returned at
  the same place in a compared body (job ids, operation ids), and the name in a one-item list
  (the newest image version), are mapped in later request paths; recorded nextLinks are mapped
  to the simulator's (or skipped when it returned everything in one page);
- a run of GETs to the same URL inside one az command is a polling loop: only its final recorded
  answer is compared, with the simulator polled until it reaches a final state (or a cap), so a
  different number of polls is never a mismatch;
- AKS versions the simulator does not offer (a 2023 recording names retired ones; the client takes
  the version from the service's list) are replaced by the simulator's default: each replacement is
  counted under "harness adaptations".

Each compared interaction is checked for: exact status and status class; the ARM error code when
the recording is 4xx/5xx; for 2xx JSON bodies the key sets at top level and under `properties`
(recorded vs simulated, both directions; list items where the same resource is in both; a list
that is empty in the simulator only), `provisioningState`, the `status` of operation polls, and
the presence of the LRO headers (Azure-AsyncOperation / Location). "lenient" ignores key-set,
body and LRO-header differences. A mismatch on a resource whose earlier write (or whose resource
group's setup) already went another way is marked a cascade and attributed to that root cause;
it still counts. Nothing is tuned away: every difference is listed by kind. The exit status is 0
whenever the replay itself ran.

Two fairness corrections over the first version of this harness (../shared/replay/replay.py), each
undoing an artefact of the recordings rather than hiding a difference:
- azure-cli's recording processor renames every deployment to ``mock-deployment`` in request URIs (not
  in bodies or headers). Replayed as recorded, two different deployments (``vm_deploy_A`` then
  ``vm_deploy_B``) look like a PUT over an existing name, and ARM's 201 for the new name was judged
  against the simulator's (correct) 200 for an existing one. The real name is in the recorded answers
  (``name`` of the deployment body, also of ``validate``): requests are sent under that name
  (:func:`restore_deployment_names`).
- Ids at the same place in both bodies are mapped (above); in a list of several items the items are now
  paired by identity (same ``name``, or the same ``provisioningOperation`` and target resource for
  deployment operations) instead of only for one-item lists, so `deployment operation group show` asks
  for the operation id the simulator listed, as a client does.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import ipaddress
import json
import os
import re
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
REC_SUB = "00000000-0000-0000-0000-000000000000"
ARM_HOST = "management.azure.com"
DEFAULT_AZWIZARD = os.environ.get("AZWIZARD", "/tmp/fresh/.venv/bin/azwizard")
POLL_CAP = 40  # extra simulator polls allowed beyond the recorded count

# az command (CommandName header) -> area of the report; first match wins.
AREAS = [
    ("group lock", "groups"), ("group", "groups"), ("account", "groups"),
    ("deployment", "deployments"),
    ("network vnet", "vnet/subnet"),
    ("network public-ip prefix", "other"), ("network public-ip", "pip"),
    ("network nsg", "nsg"),
    ("network nic", "nic"),
    ("network nat", "natgw"),
    ("vm disk", "disks"), ("disk", "disks"),
    ("vm create", "vm create"), ("vm", "vm other"),
    ("aks", "aks"),
    ("acr", "acr"),
    ("role", "authz"),
    ("backup", "backup"),
]
AREA_ORDER = ["groups", "vnet/subnet", "pip", "nsg", "nic", "natgw", "vm create", "vm other", "disks",
              "aks", "acr", "authz", "backup", "deployments", "other"]

# Resource types the simulator (and so the product) models. Everything else is "outside product scope".
PRODUCT_TYPES = {
    "microsoft.resources": None,  # resource groups, deployments, providers, locations, operation results
    "microsoft.network": {"virtualnetworks", "publicipaddresses", "networksecuritygroups", "networkinterfaces",
                          "natgateways", "locations"},
    "microsoft.compute": {"virtualmachines", "disks", "locations", "skus"},
    "microsoft.containerservice": {"managedclusters", "locations"},
    "microsoft.containerregistry": {"registries", "checknameavailability"},
    "microsoft.authorization": {"roleassignments", "roledefinitions", "locks"},
    "microsoft.recoveryservices": {"vaults", "locations"},
}

_OP_PATH = re.compile(r"/(operations|operationresults|operationstatuses|operationsstatus|backupoperations|"
                      r"backupoperationresults|operationstatus)/[^/]+$", re.I)
_ID_LIKE = re.compile(r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                      r"|[0-9]{12,}|[0-9a-fA-F]{32}|[0-9A-F]{16})$")  # 16 hex: ARM deployment operation ids
_RUNNING = {"inprogress", "running", "accepted", "notstarted", "creating", "updating", "deleting",
            "starting", "stopping", "scaling", "upgrading", "provisioning", "migrating", "canceling"}


# ---------------------------------------------------------------------------------------------- cassettes

@dataclass
class Interaction:
    idx: int
    method: str
    uri: str
    host: str
    path: str
    query: str
    headers: dict[str, str]
    body: str | None
    status: int
    resp_headers: dict[str, list[str]]
    resp_body: str
    command: str

    @property
    def is_arm(self) -> bool:
        return self.host.lower() == ARM_HOST


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            import gzip
            return gzip.decompress(value).decode("utf-8", "replace")
        except OSError:
            return value.decode("utf-8", "replace")
    return str(value)


def load_cassette(path: Path) -> list[Interaction]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as fh:
        data = yaml.load(fh, Loader=loader)
    out = []
    for i, it in enumerate(data.get("interactions") or []):
        req, resp = it["request"], it["response"]
        parts = urlsplit(req["uri"])
        headers = {k: (v[0] if isinstance(v, list) and v else v) for k, v in (req.get("headers") or {}).items()}
        rh = {k.lower(): (v if isinstance(v, list) else [v]) for k, v in (resp.get("headers") or {}).items()}
        body = resp.get("body") or {}
        out.append(Interaction(
            idx=i, method=req["method"].upper(), uri=req["uri"], host=parts.netloc, path=parts.path,
            query=parts.query, headers={k: str(v) for k, v in headers.items()}, body=_text(req.get("body")),
            status=int(resp["status"]["code"]), resp_headers=rh,
            resp_body=_text(body.get("string") if isinstance(body, dict) else body) or "",
            command=str(headers.get("CommandName") or ""),
        ))
    restore_deployment_names(out)
    return out


_MOCK_DEPLOYMENT = re.compile(r"(/deployments/)mock-deployment(?=/|$)", re.I)


def restore_deployment_names(its: list[Interaction]) -> None:
    """Send each deployment request under the deployment's real name (see the module docstring): the name
    the recorded answer gives, else the last one seen (a cancel, an export, an operations list follow the
    request that named it)."""
    current: str | None = None
    for it in its:
        if not _MOCK_DEPLOYMENT.search(it.path):
            continue
        body = _json(it.resp_body)
        name = body.get("name") if isinstance(body, dict) else None
        if isinstance(name, str) and name and re.search(r"/deployments/[^/]+$", str(body.get("id", "")), re.I):
            current = name
        if current:
            it.path = _MOCK_DEPLOYMENT.sub(r"\g<1>" + current.replace("\\", "\\\\"), it.path)


def area_of(command: str) -> str:
    for prefix, area in AREAS:
        if command == prefix or command.startswith(prefix + " "):
            return area
    return "other"


def resource_type(path: str) -> tuple[str, str]:
    """(namespace, first type segment) of an ARM path, lower-cased; ('microsoft.resources', ...) if none."""
    m = re.search(r"/providers/([^/]+)(?:/([^/]+))?", path, re.I)
    if not m:
        return "microsoft.resources", "resourcegroups" if "/resourcegroups/" in path.lower() else "subscription"
    # the innermost provider segment decides (e.g. a role assignment on a VNet is Microsoft.Authorization)
    allm = list(re.finditer(r"/providers/([^/]+)(?:/([^/]+))?", path, re.I))
    last = allm[-1]
    return last.group(1).lower(), (last.group(2) or "").lower()


def in_product(path: str) -> bool:
    ns, t = resource_type(path)
    if ns not in PRODUCT_TYPES:
        return False
    allowed = PRODUCT_TYPES[ns]
    return allowed is None or t in allowed or t == ""


def pattern_of(path: str) -> str:
    """A path with names replaced, for grouping mismatches: /subscriptions/{sub}/resourceGroups/{rg}/..."""
    segs = [s for s in path.split("/") if s]
    out, i = [], 0
    while i < len(segs):
        s = segs[i]
        low = s.lower()
        out.append(s)
        if low in ("subscriptions", "resourcegroups", "locations", "deployments", "operations",
                   "operationresults", "operationstatuses", "operationsstatus", "backupoperations",
                   "backupoperationresults") and i + 1 < len(segs):
            out.append("{" + {"subscriptions": "sub", "resourcegroups": "rg", "locations": "loc"}.get(low, "id") + "}")
            i += 2
            continue
        if low == "providers" and i + 1 < len(segs):
            out.append(segs[i + 1])
            i += 2
            # then type/name pairs
            while i < len(segs) and segs[i].lower() != "providers":
                out.append(segs[i])
                if i + 1 < len(segs) and segs[i + 1].lower() != "providers":
                    out.append("{n}")
                i += 2
            continue
        i += 1
    return "/" + "/".join(out)


# ---------------------------------------------------------------------------------------------- simulator

def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Sim:
    """A simulator on loopback: one we started (`azwizard sim serve --port 0`) or one given by URL."""

    def __init__(self, url: str, subscription: str, proc: subprocess.Popen | None = None) -> None:
        parts = urlsplit(url)
        if not _loopback(parts.hostname or ""):
            raise SystemExit(f"replay: refusing to send traffic to non-loopback {url}")
        self.url = url.rstrip("/")
        self.scheme, self.netloc = parts.scheme, parts.netloc
        self.host, self.port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        self.subscription = subscription
        self.proc = proc
        self.token = ""
        self.tenant = "00000000-0000-0000-0000-000000000001"

    @classmethod
    def start(cls, azwizard: str) -> Sim:
        proc = subprocess.Popen([azwizard, "sim", "serve", "--port", "0"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1)
        url = sub = None
        tenant = None
        deadline = time.time() + 30
        assert proc.stdout is not None
        while time.time() < deadline and (url is None or sub is None):
            line = proc.stdout.readline()
            if not line:
                break
            m = re.search(r"listening on (\S+)", line)
            if m:
                url = m.group(1)
            m = re.search(r"subscription (\S+)\s+tenant (\S+)", line)
            if m:
                sub, tenant = m.group(1), m.group(2)
        if url is None or sub is None:
            proc.kill()
            raise SystemExit("replay: the simulator did not start (no 'listening on' / 'subscription' line)")
        sim = cls(url, sub, proc)
        sim.tenant = tenant or sim.tenant
        return sim

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def _conn(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE  # loopback simulator with a self-signed certificate
            return http.client.HTTPSConnection(self.host, self.port, timeout=60, context=ctx)
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def send(self, method: str, path_query: str, headers: dict[str, str], body: bytes | None
             ) -> tuple[int, dict[str, str], str]:
        conn = self._conn()
        try:
            h = dict(headers)
            h["Host"] = self.netloc
            if self.token:
                h["Authorization"] = f"Bearer {self.token}"
            if body is not None:
                h["Content-Length"] = str(len(body))
            conn.request(method, path_query, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            rh = {k.lower(): v for k, v in resp.getheaders()}
            return resp.status, rh, data.decode("utf-8", "replace")
        finally:
            conn.close()

    def login(self) -> None:
        form = urlencode({"grant_type": "client_credentials", "client_id": "00000000-0000-0000-0000-0000000000c1",
                          "client_secret": "sim-secret", "scope": "https://management.core.windows.net//.default"})
        st, _, body = self.send("POST", f"/{self.tenant}/oauth2/v2.0/token",
                                {"Content-Type": "application/x-www-form-urlencoded"}, form.encode())
        if st != 200:
            raise SystemExit(f"replay: token request failed: {st} {body[:200]}")
        self.token = json.loads(body)["access_token"]

    def discover_subscription(self) -> str:
        st, _, body = self.send("GET", "/subscriptions?api-version=2022-12-01", {}, None)
        if st != 200:
            raise SystemExit(f"replay: GET /subscriptions failed: {st}")
        return json.loads(body)["value"][0]["subscriptionId"]


# ---------------------------------------------------------------------------------------------- comparison

def _json(text: str) -> Any:
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _err_code(body: Any) -> str | None:
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return err.get("code")
        if isinstance(body.get("code"), str):
            return body["code"]
    return None


def _has_lro(headers: dict[str, Any]) -> bool:
    return any(k in headers for k in ("azure-asyncoperation", "location"))


def _keyset_diff(rec: dict, sim: dict, where: str, kinds: list) -> None:
    rk, sk = set(rec), set(sim)
    missing, extra = sorted(rk - sk), sorted(sk - rk)
    low_s = {k.lower(): k for k in sk}
    case_only = [k for k in missing if k.lower() in low_s]
    missing = [k for k in missing if k.lower() not in low_s]
    extra = [k for k in extra if k.lower() not in {m.lower() for m in case_only}]
    if case_only:
        kinds.append((f"key-case:{where}", ",".join(f"{k}~{low_s[k.lower()]}" for k in case_only)))
    if missing:
        kinds.append((f"keys-missing:{where}", ",".join(missing)))
    if extra:
        kinds.append((f"keys-extra:{where}", ",".join(extra)))


def _compare_resource(rec: dict, sim: dict, kinds: list, prefix: str = "") -> None:
    _keyset_diff(rec, sim, prefix + "top", kinds)
    rp, sp = rec.get("properties"), sim.get("properties")
    if isinstance(rp, dict) and isinstance(sp, dict):
        _keyset_diff(rp, sp, prefix + "properties", kinds)
        a, b = rp.get("provisioningState"), sp.get("provisioningState")
        if a is not None and b is not None and str(a).lower() != str(b).lower():
            kinds.append(("provisioningState", f"{a} vs {b}"))
        elif a is not None and b is None and "provisioningState" in sp:
            kinds.append(("provisioningState", f"{a} vs null"))


def _rid(item: Any) -> str | None:
    return item.get("id").lower() if isinstance(item, dict) and isinstance(item.get("id"), str) else None


def compare_bodies(rec: Any, sim: Any, kinds: list, rg_scoped: bool = False, req_path: str = "") -> None:
    if isinstance(rec, dict) and isinstance(sim, dict):
        if isinstance(rec.get("value"), list) and isinstance(sim.get("value"), list) and "value" in rec:
            # a list: top-level keys apart from nextLink; items compared where the same resource is in both
            _keyset_diff({k: 1 for k in rec if k != "nextLink"}, {k: 1 for k in sim if k != "nextLink"}, "list", kinds)
            # items that live under the listed path are the test's own (a real subscription adds inherited role
            # assignments, other groups, built-in catalogues); only those are counted
            own = [x for x in rec["value"] if _rid(x) and _rid(x).startswith(req_path + "/")]
            sim_own = [x for x in sim["value"] if _rid(x) and _rid(x).startswith(req_path + "/")]
            if own and not sim["value"]:
                kinds.append(("list-empty", f"recorded {len(own)} item(s) under the listed path, simulator 0"))
            elif rg_scoped and own and len(own) == len(rec["value"]) and len(own) != len(sim_own) \
                    and "nextLink" not in rec:
                kinds.append(("list-count", f"recorded {len(own)} item(s), simulator {len(sim_own)}"))
            sim_by_id = {_rid(x): x for x in sim["value"] if _rid(x)}
            matched = 0
            for item in rec["value"]:
                rid = _rid(item)
                if rid and rid in sim_by_id and isinstance(item, dict):
                    _compare_resource(item, sim_by_id[rid], kinds, prefix="item.")
                    matched += 1
            rec_ids = {_rid(x) for x in rec["value"] if _rid(x)}
            # nothing in common (e.g. a list of a whole real subscription): compare the first item's shape
            if (not matched and rec_ids and sim["value"] and isinstance(rec["value"][0], dict)
                    and isinstance(sim["value"][0], dict)):
                _compare_resource(rec["value"][0], sim["value"][0], kinds, prefix="item.")
            return
        _compare_resource(rec, sim, kinds)
    elif isinstance(rec, list) and isinstance(sim, list):
        if rec and not sim:
            kinds.append(("list-empty", f"recorded {len(rec)} item(s), simulator 0"))
        if rec and sim and isinstance(rec[0], dict) and isinstance(sim[0], dict):
            _compare_resource(rec[0], sim[0], kinds, prefix="item.")
    elif rec is not None and sim is None:
        kinds.append(("body-missing", "recorded a JSON body, simulator none"))
    elif rec is None and sim is not None and not (isinstance(sim, dict) and not sim):
        kinds.append(("body-extra", "simulator sent a JSON body, recording none"))
    elif type(rec) is not type(sim):
        kinds.append(("body-type", f"{type(rec).__name__} vs {type(sim).__name__}"))


def _identity(item: Any) -> str | None:
    """What makes a list item the same item in the recording and the simulator: its name, or for a
    deployment operation its kind and target resource."""
    if not isinstance(item, dict):
        return None
    props = item.get("properties") if isinstance(item.get("properties"), dict) else {}
    target = props.get("targetResource") if isinstance(props.get("targetResource"), dict) else {}
    if props.get("provisioningOperation"):
        return f"op:{props['provisioningOperation']}:{str(target.get('resourceName', '')).lower()}"
    name = item.get("name")
    return f"name:{name.lower()}" if isinstance(name, str) else None


def collect_ids(rec: Any, sim: Any, out: dict[str, str], depth: int = 0) -> None:
    """Ids found at the same place in both bodies (operation ids, job ids): recorded -> simulated."""
    if depth > 8:
        return
    if isinstance(rec, dict) and isinstance(sim, dict):
        for k, v in rec.items():
            if k in sim:
                collect_ids(v, sim[k], out, depth + 1)
    elif isinstance(rec, list) and isinstance(sim, list) and len(rec) == len(sim) == 1:
        collect_ids(rec[0], sim[0], out, depth + 1)
    elif isinstance(rec, list) and isinstance(sim, list):
        by_identity = {_identity(x): x for x in sim if _identity(x)}
        for x in rec:
            twin = by_identity.get(_identity(x))
            if twin is not None:
                collect_ids(x, twin, out, depth + 1)
    elif (isinstance(rec, str) and isinstance(sim, str) and rec != sim and _ID_LIKE.match(rec)
          and _ID_LIKE.match(sim) and rec != REC_SUB):
        out.setdefault(rec.lower(), sim)


# ---------------------------------------------------------------------------------------------- replay

@dataclass
class Result:
    cassette: str
    idx: int
    command: str
    area: str
    method: str
    path: str
    rec_status: int
    sim_status: int | None
    kinds: list = field(default_factory=list)
    poll: bool = False
    polls_rec: int = 1
    polls_sim: int = 1
    product: bool = True
    cascade: bool = False
    root_cause: str = ""
    rec_code: str | None = None
    sim_code: str | None = None
    note: str = ""

    @property
    def agree(self) -> bool:
        return not self.kinds

    @property
    def cause(self) -> str:
        """A first guess at why it differs (the report still lists every case)."""
        if self.cascade:
            return f"consequence of an earlier divergence ({self.root_cause or '?'})"
        return self.own_cause

    @property
    def own_cause(self) -> str:
        if not self.kinds:
            return ""
        text = " ".join(d for _, d in self.kinds) + " " + (self.sim_code or "") + " " + self.note
        kinds = {k for k, _ in self.kinds}
        if re.search(r"LocationNotAvailable|NoRegisteredProviderFound|is not available for resource group", text):
            return "region missing from the simulator's catalog"
        if re.search(r"IPv4BasicSkuPublicIpCountLimitReached", text) or (
                "StandardSkuPublicIPAddressesMustBeStatic" in text and self.rec_status < 300):
            return "Basic public IP retired since the recording (time drift)"
        if re.search(r"PlatformImageNotFound|Artifact: VMImage was not found", text) or \
                ("list-empty" in kinds and "/vmimage/" in self.path.lower()):
            return "marketplace image missing from the simulator's catalog"
        if not self.product:
            return "resource type outside the product's scope"
        if "missing-route" in kinds:
            return "route not simulated"
        if kinds & {"status-class", "status-code", "error-code", "poll-status", "no-response", "lro-header",
                    "provisioningState", "list-empty", "list-count"}:
            return "behaviour (status / error / LRO / state)"
        return "response shape only (keys)"

    @property
    def agree_lenient(self) -> bool:
        return not [k for k, _ in self.kinds if not (k.startswith("keys-") or k.startswith("key-case")
                                                      or k.startswith("body-") or k == "lro-header")]


@dataclass
class CassetteReport:
    name: str
    results: list[Result] = field(default_factory=list)
    skipped: collections.Counter = field(default_factory=collections.Counter)
    setup: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    relocated: dict = field(default_factory=dict)
    adaptations: collections.Counter = field(default_factory=collections.Counter)

    @property
    def compared(self) -> int:
        return len(self.results)

    @property
    def agreed(self) -> int:
        return sum(r.agree for r in self.results)

    @property
    def main_area(self) -> str:
        c = collections.Counter(r.area for r in self.results)
        return c.most_common(1)[0][0] if c else "-"


class Replayer:
    def __init__(self, sim: Sim, name: str, interactions: list[Interaction], relocate: str | None = None,
                 adapt_images: bool = False) -> None:
        self.sim, self.name, self.its = sim, name, interactions
        self.adapt_images = adapt_images
        self.image_map: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self.reloc: dict[str, str] = {}
        if relocate:
            self.reloc = self._unknown_locations(relocate)
        self.report = CassetteReport(name, relocated=dict(self.reloc))
        if adapt_images:
            self._find_missing_images()
        self.poll_map: dict[str, str | None] = {}   # recorded LRO path (lower, sub-normalised) -> sim URL
        self.rec_poll_keys: set[str] = set()
        self.id_map: dict[str, str] = {}            # recorded id (lower) -> simulator id
        self.diverged: list[tuple[str, str]] = []   # (path where the simulator's state went another way, why)
        self.next_map: dict[str, str | None] = {}   # recorded nextLink (lower) -> simulator nextLink
        self.poll_origin: dict[str, str] = {}       # recorded LRO path -> path of the request that started it
        self.k8s_offer: tuple[set, str | None] | None = None

    # ---- rewriting
    def _unknown_locations(self, target: str) -> dict[str, str]:
        """--relocate (diagnostic only): regions the recording uses that the simulator does not list."""
        st, _, body = self.sim.send("GET", f"/subscriptions/{self.sim.subscription}/locations?api-version=2022-12-01",
                                    {}, None)
        known = {x["name"].lower() for x in (_json(body) or {}).get("value", [])} if st == 200 else set()
        used: set[str] = set()
        for it in self.its:
            for text in (it.path, it.body or ""):
                used.update(m.lower() for m in re.findall(r'/locations/([A-Za-z0-9]+)', text))
                used.update(m.lower() for m in re.findall(r'"location"\s*:\s*"([A-Za-z0-9 ]+)"', text))
        return {u: target for u in sorted(used) if u and u.replace(" ", "") not in known and u != "global"}

    _LINUX_IMAGE = ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts")
    _WINDOWS_IMAGE = ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2")
    _IMG_PATH = re.compile(r"publishers/([^/]+)/artifacttypes/vmimage/offers/([^/]+)/skus/([^/?]+)", re.I)

    def _find_missing_images(self) -> None:
        """--adapt-images (diagnostic only): marketplace images of the recording that the simulator does not offer
        (2023 images such as UbuntuServer 18.04-LTS, CentOS 7.5, WindowsServer 2012-R2) -> a current one."""
        triples = {m.groups() for it in self.its for m in self._IMG_PATH.finditer(it.path)}
        for pub, offer, sku in sorted(triples):
            loc = re.search(r"/locations/([^/]+)/publishers", next(
                it.path for it in self.its if f"/skus/{sku}" in it.path), re.I).group(1)
            loc = self.reloc.get(loc.lower(), loc)
            st, _, body = self.sim.send("GET", f"/subscriptions/{self.sim.subscription}/providers/Microsoft.Compute/"
                                        f"locations/{loc}/publishers/{pub}/artifacttypes/vmimage/offers/{offer}/skus/"
                                        f"{sku}/versions?api-version=2023-03-01", {}, None)
            if st == 200 and _json(body):
                continue
            new = self._WINDOWS_IMAGE if "windows" in pub.lower() else self._LINUX_IMAGE
            self.image_map[(pub.lower(), offer.lower(), sku.lower())] = new
            self.report.relocated[f"image {pub}:{offer}:{sku}"] = ":".join(new)

    def _swap_images_path(self, path: str) -> str:
        def repl(m: re.Match) -> str:
            new = self.image_map.get((m.group(1).lower(), m.group(2).lower(), m.group(3).lower()))
            return m.group(0) if new is None else \
                f"publishers/{new[0]}/artifacttypes/vmimage/offers/{new[1]}/skus/{new[2]}"
        return self._IMG_PATH.sub(repl, path)

    def _swap_images_body(self, text: str) -> str:
        data = _json(text)
        if data is None:
            return text
        changed = False

        def walk(x: Any) -> None:
            nonlocal changed
            if isinstance(x, dict):
                if all(isinstance(x.get(k), str) for k in ("publisher", "offer", "sku")):
                    new = self.image_map.get((x["publisher"].lower(), x["offer"].lower(), x["sku"].lower()))
                    if new:
                        x["publisher"], x["offer"], x["sku"] = new
                        changed = True
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        walk(data)
        return json.dumps(data) if changed else text

    def _sim_sub(self, text: str) -> str:
        text = re.sub(REC_SUB, self.sim.subscription, text, flags=re.I)
        for old in sorted(self.reloc, key=len, reverse=True):
            text = re.sub(r'(?<=/locations/)' + re.escape(old) + r'(?=[/?]|$)', self.reloc[old], text, flags=re.I)
            text = re.sub(r'("location"\s*:\s*")' + re.escape(old) + '"', r'\g<1>' + self.reloc[old] + '"', text,
                          flags=re.I)
        return text

    def _rec_sub(self, text: str) -> str:
        return re.sub(re.escape(self.sim.subscription), REC_SUB, text, flags=re.I)

    @staticmethod
    def _key(path: str) -> str:
        return re.sub(r"/{2,}", "/", path).rstrip("/").lower()

    _SIG_PARAMS = {"api-version", "t", "c", "s", "h", "p"}

    @classmethod
    def _poll_key(cls, path: str, query: str) -> str:
        """An LRO URL's identity: path plus the parameters that are not signatures (Compute's Location is the
        Azure-AsyncOperation path plus ?monitor=true)."""
        extra = sorted((k.lower(), v) for k, v in parse_qsl(query, keep_blank_values=True)
                       if k.lower() not in cls._SIG_PARAMS)
        return cls._key(path) + ("?" + urlencode(extra) if extra else "")

    def _map_path(self, path: str) -> str:
        segs = path.split("/")
        return "/".join(self.id_map.get(s.lower(), s) for s in segs)

    def _target(self, it: Interaction) -> tuple[str, bool]:
        """Path+query to send for a recorded request, and whether it is a (mapped) poll URL."""
        key = self._poll_key(it.path, it.query)
        if key in self.poll_map:
            url = self.poll_map[key]
            if url is None:
                return "", True
            parts = urlsplit(url)
            return parts.path + ("?" + parts.query if parts.query else ""), True
        path = self._sim_sub(self._map_path(it.path))
        if self.image_map:
            path = self._swap_images_path(path)
        q = self._sim_sub(it.query)
        return path + ("?" + q if q else ""), False

    def _headers(self, it: Interaction) -> dict[str, str]:
        skip = {"authorization", "host", "content-length", "connection", "accept-encoding", "cookie"}
        return {k: v for k, v in it.headers.items() if k.lower() not in skip}

    def _body(self, it: Interaction) -> bytes | None:
        if it.method in ("GET", "HEAD"):
            return None
        if it.body is None:
            return b"" if it.method in ("POST", "PUT", "PATCH") else None
        text = self._sim_sub(it.body)
        if self.image_map:
            text = self._swap_images_body(text)
        if "microsoft.containerservice" in it.path.lower():
            text = self._adapt_k8s_versions(text, it.path)
        return text.encode("utf-8")

    def _adapt_k8s_versions(self, text: str, path: str) -> str:
        """The client takes the Kubernetes version from the versions list the service offers *now*; a 2023
        recording names versions AKS has long retired. Versions the simulator does not offer are replaced by
        its default (counted as a harness adaptation, never silently)."""
        if self.k8s_offer is None:
            loc = "westus2"
            for it in self.its:
                b = _json(it.body or "")
                if "microsoft.containerservice" in it.path.lower() and isinstance(b, dict) \
                        and isinstance(b.get("location"), str):
                    loc = b["location"]
                    break
            loc = self.reloc.get(loc.lower(), loc)
            st, _, body = self.sim.send(
                "GET", f"/subscriptions/{self.sim.subscription}/providers/Microsoft.ContainerService/locations/"
                       f"{loc}/kubernetesVersions?api-version=2023-10-01", {}, None)
            data = _json(body) if st == 200 else None
            offered, default = set(), None
            for v in (data or {}).get("values", []) if isinstance(data, dict) else []:
                offered.add(v.get("version"))
                offered.update((v.get("patchVersions") or {}).keys())
                if v.get("isDefault"):
                    default = v.get("version")
            self.k8s_offer = (offered, default)
        offered, default = self.k8s_offer
        if not default:
            return text

        def repl(mm: re.Match) -> str:
            if mm.group(3) in offered:
                return mm.group(0)
            self.report.adaptations[f"AKS version {mm.group(3)} -> {default} (simulator default)"] += 1
            return f"{mm.group(1)}{mm.group(2)}{default}{mm.group(4)}"
        return re.sub(r'("(?:kubernetesVersion|orchestratorVersion)"\s*:\s*)(")([0-9][0-9.]*)(")', repl, text)

    # ---- setup: groups the preparers created outside the recording
    def setup(self) -> None:
        first_use: dict[str, Interaction] = {}
        for it in self.its:
            if not it.is_arm:
                continue
            m = re.search(r"/subscriptions/[^/]+/resourcegroups/([^/?]+)", it.path, re.I)
            if m and m.group(1).lower() not in first_use:
                first_use[m.group(1).lower()] = it
        for rg_low, it in first_use.items():
            rg = re.search(r"/resourcegroups/([^/?]+)", it.path, re.I).group(1)
            own = re.fullmatch(r"/subscriptions/[^/]+/resourcegroups/[^/]+/?", it.path, re.I)
            if own and it.method == "PUT":
                continue  # the recording creates it
            if rg.upper().startswith("MC_"):
                continue  # AKS node resource groups are the service's to create
            location, tags = self._group_location(rg_low)
            location = self.reloc.get(location.lower(), location)
            body = {"location": location} | ({"tags": tags} if tags else {})
            st, _, text = self.sim.send(
                "PUT", f"/subscriptions/{self.sim.subscription}/resourcegroups/{rg}?api-version=2022-09-01",
                {"Content-Type": "application/json"}, json.dumps(body).encode())
            self.report.setup.append(f"PUT resourcegroups/{rg} ({location}) -> {st}")
            if st >= 400:
                code = _err_code(_json(text)) or str(st)
                why = "region missing from the simulator's catalog" if "LocationNotAvailable" in code \
                    else f"harness setup failed ({code})"
                self.diverged.append((self._key(f"/subscriptions/{REC_SUB}/resourcegroups/{rg}"), why))

    def _group_location(self, rg_low: str) -> tuple[str, dict | None]:
        """Location and tags the preparer gave the group, as the recording shows them."""
        for it in self.its:
            if re.fullmatch(r"/subscriptions/[^/]+/resourcegroups/" + re.escape(rg_low) + "/?", it.path, re.I):
                b = _json(it.resp_body)
                if isinstance(b, dict) and b.get("location"):
                    return b["location"], b.get("tags")
        for it in self.its:
            if f"/resourcegroups/{rg_low}/" in it.path.lower() and it.body:
                b = _json(it.body)
                if isinstance(b, dict) and isinstance(b.get("location"), str):
                    return b["location"], None
        return "westus", None

    # ---- main loop
    def run(self) -> CassetteReport:
        t0 = time.time()
        self.setup()
        i, n = 0, len(self.its)
        while i < n:
            it = self.its[i]
            if not it.is_arm:
                self.report.skipped[f"outside ARM ({it.host})"] += 1
                i += 1
                continue
            # record every LRO URL the recording handed out, to recognise polls
            group = [it]
            if it.method == "GET":
                j = i + 1
                while (j < n and self.its[j].method == "GET" and self.its[j].is_arm
                       and self._key(self.its[j].path) == self._key(it.path) and self.its[j].query == it.query
                       and self.its[j].command == it.command):
                    group.append(self.its[j])
                    j += 1
            is_poll = self._poll_key(it.path, it.query) in self.rec_poll_keys or (
                bool(_OP_PATH.search(it.path)) and not re.search(r"/deployments/[^/]+/operations/", it.path, re.I))
            if len(group) > 1 or (is_poll and it.method == "GET"):
                self._replay_poll_group(group)
                i += len(group)
            else:
                self._replay_one(it)
                i += 1
        self.report.seconds = time.time() - t0
        return self.report

    def _note_lro(self, it: Interaction, sim_headers: dict[str, str]) -> None:
        for h in ("azure-asyncoperation", "location"):
            for url in it.resp_headers.get(h, []):
                p = urlsplit(url)
                if p.netloc.lower() != ARM_HOST or not re.search(r"operation", p.path, re.I):
                    continue
                key = self._poll_key(p.path, p.query)
                self.rec_poll_keys.add(key)
                origin = self._origin(it.path)
                self.poll_origin.setdefault(key, origin)
                self.poll_origin.setdefault("#" + p.path.rstrip("/").split("/")[-1].lower(), origin)
                other = "location" if h == "azure-asyncoperation" else "azure-asyncoperation"
                sim_url = sim_headers.get(h) or sim_headers.get(other)
                self.poll_map[key] = sim_url
                if sim_url:
                    rid, sid = p.path.rstrip("/").split("/")[-1], urlsplit(sim_url).path.rstrip("/").split("/")[-1]
                    if rid != sid:
                        self.id_map.setdefault(rid.lower(), sid)

    def _map_single_item_names(self, rec: Any, sim: Any) -> None:
        """A one-item list (e.g. the newest image version, $top=1) names what the client uses next: map its name."""
        if isinstance(rec, list) and isinstance(sim, list):
            rv, sv = rec, sim
        elif isinstance(rec, dict) and isinstance(sim, dict) and isinstance(rec.get("value"), list) \
                and isinstance(sim.get("value"), list):
            rv, sv = rec["value"], sim["value"]
        else:
            return
        if len(rv) == 1 and len(sv) == 1 and isinstance(rv[0], dict) and isinstance(sv[0], dict):
            a, b = rv[0].get("name"), sv[0].get("name")
            if isinstance(a, str) and isinstance(b, str) and a != b:
                self.id_map.setdefault(a.lower(), b)

    def _note_next(self, it: Interaction, sim_text: str) -> None:
        rec = _json(it.resp_body)
        if isinstance(rec, dict) and isinstance(rec.get("nextLink"), str):
            sim = _json(sim_text)
            self.next_map[unquote(rec["nextLink"]).lower()] = sim.get("nextLink") if isinstance(sim, dict) else None

    def _result(self, it: Interaction, sim_status: int | None) -> Result:
        return Result(self.name, it.idx, it.command, area_of(it.command), it.method, it.path, it.status,
                      sim_status, product=in_product(it.path))

    def _send(self, method: str, target: str, headers: dict[str, str], body: bytes | None
              ) -> tuple[int, dict[str, str], str]:
        try:
            return self.sim.send(method, target, headers, body)
        except (http.client.HTTPException, ConnectionError, TimeoutError, OSError) as exc:
            return 0, {}, json.dumps({"error": {"code": "NoResponse", "message": f"{type(exc).__name__}: {exc}"}})

    def _replay_one(self, it: Interaction) -> None:
        target, _ = self._target(it)
        if unquote(it.uri).lower() in self.next_map:
            nxt = self.next_map[unquote(it.uri).lower()]
            if nxt is None:
                self.report.skipped["next page (simulator returned the whole list in one page)"] += 1
                return
            parts = urlsplit(nxt)
            target = parts.path + ("?" + parts.query if parts.query else "")
        if not target:
            self.report.skipped["poll URL not mappable (simulator gave no LRO header)"] += 1
            return
        st, sh, sb = self._send(it.method, target, self._headers(it), self._body(it))
        res = self._result(it, st)
        self._compare(it, st, sh, sb, res)
        self._note_lro(it, sh)
        self._note_next(it, sb)
        self._note_divergence(it, res)
        self.report.results.append(res)

    _STATEFUL = ("status-class", "missing-route", "poll-status", "no-response")

    def _origin(self, path: str) -> str:
        """The resource an operation URL belongs to (by URL, else by operation id: azure-cli's recordings rename
        deployments to 'mock-deployment' in URIs but not in headers)."""
        k = self._key(path)
        return self.poll_origin.get(k) or self.poll_origin.get("#" + k.split("/")[-1]) or k

    def _note_divergence(self, it: Interaction, res: Result) -> None:
        """Remember where the simulator's state went another way, so later consequences are marked cascade."""
        rec = _json(it.resp_body)
        if res.kinds and isinstance(rec, dict) and isinstance(rec.get("properties"), dict) and \
                any(k in ("provisioningState", "status-class") for k, _ in res.kinds):
            # a deployment that ended another way: what it created in the recording is missing or different
            for out in rec["properties"].get("outputResources") or []:
                if isinstance(out, dict) and isinstance(out.get("id"), str):
                    self.diverged.append((self._key(out["id"]), res.root_cause if res.cascade else res.own_cause))
        if any(k in self._STATEFUL for k, _ in res.kinds) and (res.poll or it.method in ("PUT", "PATCH", "DELETE")
                                                                or (it.method == "POST" and it.status < 400)):
            self.diverged.append((self._origin(it.path), res.root_cause if res.cascade else res.own_cause))

    def _replay_poll_group(self, group: list[Interaction]) -> None:
        first, last = group[0], group[-1]
        target, mapped = self._target(first)
        if not target:
            self.report.skipped["poll URL not mappable (simulator gave no LRO header)"] += len(group)
            return
        rec_final_terminal = self._terminal(last.status, _json(last.resp_body))
        op_url = self._poll_key(first.path, first.query) in self.rec_poll_keys or bool(_OP_PATH.search(first.path))
        cap = len(group) + POLL_CAP if rec_final_terminal else len(group)
        polls = 0
        st, sh, sb = 0, {}, ""
        while polls < cap:
            if polls:
                time.sleep(0.02)
            st, sh, sb = self._send("GET", target, self._headers(first), None)
            polls += 1
            body = _json(sb)
            if self._reached(last, st, body, rec_final_terminal, op_url):
                break
        self.report.skipped["intermediate poll (not compared)"] += len(group) - 1
        res = self._result(last, st)
        res.poll, res.polls_rec, res.polls_sim = True, len(group), polls
        self._compare(last, st, sh, sb, res)
        self._note_lro(last, sh)
        self._note_divergence(last, res)
        self.report.results.append(res)

    @staticmethod
    def _terminal(status: int, body: Any) -> bool:
        if status == 202:
            return False
        if isinstance(body, dict):
            s = body.get("status")
            if isinstance(s, str) and s.lower() in _RUNNING:
                return False
            ps = (body.get("properties") or {}).get("provisioningState") if isinstance(body.get("properties"), dict) else None
            if isinstance(ps, str) and ps.lower() in _RUNNING:
                return False
        return True

    def _reached(self, rec: Interaction, st: int, body: Any, rec_terminal: bool, op_url: bool) -> bool:
        if not rec_terminal:
            return False  # poll exactly as often as recorded
        if op_url:
            return self._terminal(st, body)
        # a wait loop on the resource itself (az ... wait, group wait --deleted): poll until the simulator shows
        # what the recording ended with, or the cap
        if st != rec.status:
            return False
        rb = _json(rec.resp_body)
        rps = (rb.get("properties") or {}).get("provisioningState") \
            if isinstance(rb, dict) and isinstance(rb.get("properties"), dict) else None
        sps = (body.get("properties") or {}).get("provisioningState") \
            if isinstance(body, dict) and isinstance(body.get("properties"), dict) else None
        return not (rps and sps and str(rps).lower() != str(sps).lower())

    def _compare(self, it: Interaction, st: int, sh: dict[str, str], sb: str, res: Result) -> None:
        kinds = res.kinds
        rec_body, sim_body = _json(it.resp_body), _json(self._rec_sub(sb))
        res.rec_code, res.sim_code = _err_code(rec_body) if it.status >= 400 else None, \
            _err_code(sim_body) if st >= 400 else None
        sim_msg = ""
        if isinstance(sim_body, dict) and isinstance(sim_body.get("error"), dict):
            err = sim_body["error"]
            sim_msg = str(err.get("message", ""))
            for d in err.get("details") or []:
                if isinstance(d, dict):
                    sim_msg += f" | {d.get('code')}: {d.get('message')}"
        res.note = sim_msg[:600]
        route_missing = it.status not in (404, 405) and (
            (st == 404 and res.sim_code == "InvalidResourceType")
            or (st == 405 and res.sim_code == "MethodNotAllowed")
            or (st == 404 and res.sim_code == "NotFound" and "requested path" in sim_msg))
        if st == 0:
            kinds.append(("no-response", f"{it.status} vs connection closed without an answer"))
        elif st != it.status:
            if route_missing:
                kinds.append(("missing-route", f"{it.status} vs {st} {res.sim_code}"))
            elif st // 100 != it.status // 100:
                kinds.append(("status-class", f"{it.status} vs {st}" + (f" {res.sim_code}" if res.sim_code else "")))
            else:
                kinds.append(("status-code", f"{it.status} vs {st}"))
        if it.status >= 400 and st >= 400 and (res.rec_code or "").lower() != (res.sim_code or "").lower():
            kinds.append(("error-code", f"{res.rec_code} vs {res.sim_code}"))
        if 200 <= it.status < 300 and 200 <= st < 300:
            if res.poll and isinstance(rec_body, dict) and isinstance(sim_body, dict) and "status" in rec_body:
                a, b = rec_body.get("status"), sim_body.get("status")
                if str(a).lower() != str(b).lower():
                    kinds.append(("poll-status", f"{a} vs {b}"))
                ea, eb = _err_code(rec_body), _err_code(sim_body)
                if (ea or eb) and (ea or "").lower() != (eb or "").lower():
                    kinds.append(("error-code", f"{ea} vs {eb} (in operation status)"))
            if it.method != "HEAD":
                compare_bodies(rec_body, sim_body, kinds,
                               rg_scoped=bool(re.search(r"/resourcegroups/[^/]+/", it.path, re.I)),
                               req_path=self._key(it.path))
            if it.method in ("PUT", "PATCH", "DELETE", "POST") and _has_lro(it.resp_headers) != _has_lro(sh):
                kinds.append(("lro-header", f"recorded {'with' if _has_lro(it.resp_headers) else 'without'} "
                                            f"Azure-AsyncOperation/Location, simulator "
                                            f"{'with' if _has_lro(sh) else 'without'}"))
            if rec_body is not None and sim_body is not None:
                collect_ids(rec_body, sim_body, self.id_map)
                self._map_single_item_names(rec_body, sim_body)
        kinds[:] = list(dict.fromkeys((k, d) for k, d in kinds))  # a list repeats item differences per item
        if kinds and self.diverged:
            k = self._origin(it.path)
            hit = [why for d, why in self.diverged if k == d or k.startswith(d + "/")]
            body_low = (it.body or "").lower()
            if not hit and body_low:  # the request refers to something that went another way (a subnet, a PIP)
                hit = [why for d, why in self.diverged if d.count("/") > 4 and ('"' + d + '"') in body_low]
            if hit or (st == 404 and it.status < 400 and not route_missing):
                res.cascade = True
                res.root_cause = hit[-1] if hit else self.diverged[-1][1]


# ---------------------------------------------------------------------------------------------- reporting

def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:5.1f}%" if b else "   - "


def print_report(reports: list[CassetteReport], verbose: bool, out=sys.stdout) -> dict:
    w = out.write
    all_results = [r for rep in reports for r in rep.results]
    w("\n== per cassette ==\n")
    w(f"{'cassette':58} {'area':12} {'agree':>5}/{'cmp':<4} {'score':>6}  {'lenient':>7}  {'skipped':>7}  {'s':>5}\n")
    for rep in reports:
        skipped = sum(rep.skipped.values())
        lenient = sum(r.agree_lenient for r in rep.results)
        name = rep.name if len(rep.name) <= 58 else rep.name[:55] + "..."
        w(f"{name:58} {rep.main_area:12} {rep.agreed:>5}/{rep.compared:<4} {pct(rep.agreed, rep.compared):>6}  "
          f"{pct(lenient, rep.compared):>7}  {skipped:>7}  {rep.seconds:5.1f}"
          + (f"  ERROR {rep.error}" if rep.error else "") + "\n")

    w("\n== per area (by az command of each interaction) ==\n")
    w(f"{'area':14} {'agree':>5}/{'cmp':<5} {'score':>6}  {'lenient':>7}  {'product-scope only':>20}\n")
    by_area = collections.defaultdict(list)
    for r in all_results:
        by_area[r.area].append(r)
    area_rows = {}
    for area in AREA_ORDER + sorted(set(by_area) - set(AREA_ORDER)):
        rs = by_area.get(area)
        if not rs:
            continue
        a = sum(r.agree for r in rs)
        ln = sum(r.agree_lenient for r in rs)
        pr = [r for r in rs if r.product]
        pa = sum(r.agree for r in pr)
        area_rows[area] = {"agree": a, "compared": len(rs), "lenient": ln, "product_agree": pa, "product": len(pr)}
        w(f"{area:14} {a:>5}/{len(rs):<5} {pct(a, len(rs)):>6}  {pct(ln, len(rs)):>7}  "
          f"{pa:>7}/{len(pr):<5} {pct(pa, len(pr)):>6}\n")

    w("\n== mismatches by kind (an interaction can have several) ==\n")
    kind_count = collections.Counter()
    kind_root = collections.Counter()
    for r in all_results:
        for k, _ in r.kinds:
            kind_count[k] += 1
            if not r.cascade:
                kind_root[k] += 1
    w(f"{'kind':34} {'all':>5} {'not cascade':>12}\n")
    for k, c in kind_count.most_common():
        w(f"{k:34} {c:>5} {kind_root[k]:>12}\n")

    w("\n== mismatching interactions by likely cause ==\n")
    causes = collections.Counter(r.cause for r in all_results if r.kinds)
    for k, c in causes.most_common():
        w(f"{c:6}  {k}\n")

    w("\n== skipped (not compared) ==\n")
    sk = collections.Counter()
    for rep in reports:
        sk.update(rep.skipped)
    for k, c in sk.most_common():
        w(f"{c:6}  {k}\n")
    ad = collections.Counter()
    for rep in reports:
        ad.update(rep.adaptations)
    if ad:
        w("\n== harness adaptations (request values the client would have taken from the simulator) ==\n")
        for k, c in ad.most_common():
            w(f"{c:6}  {k}\n")
    setups = sum(len(rep.setup) for rep in reports)
    w(f"{setups:6}  harness setup requests (resource groups made by the test preparers, never compared)\n")

    w("\n== mismatch patterns (kind, method, path pattern, detail) — not cascade, most frequent first ==\n")
    pat = collections.Counter()
    example: dict[tuple, Result] = {}
    for r in all_results:
        if r.cascade:
            continue
        for k, d in r.kinds:
            key = (k, r.method, pattern_of(r.path), d if len(d) < 160 else d[:157] + "...")
            pat[key] += 1
            example.setdefault(key, r)
    limit = None if verbose else 60
    for (k, m, p, d), c in pat.most_common(limit):
        ex = example[(k, m, p, d)]
        w(f"{c:4}x {k}: {m} {p}\n       {d}\n       e.g. {ex.cassette} #{ex.idx} ({ex.command}) -- {ex.cause}\n")
    if verbose:
        w("\n== every mismatching interaction ==\n")
        for r in all_results:
            if r.kinds:
                w(f"{r.cassette} #{r.idx} {r.method} {r.path} [{r.command}] rec {r.rec_status} sim {r.sim_status}"
                  f"{f' (poll {r.polls_rec}/{r.polls_sim})' if r.poll else ''}{' CASCADE' if r.cascade else ''}\n")
                for k, d in r.kinds:
                    w(f"    {k}: {d}\n")

    total = len(all_results)
    agree = sum(r.agree for r in all_results)
    lenient = sum(r.agree_lenient for r in all_results)
    prod = [r for r in all_results if r.product]
    w(f"\nlenient (status, error code, provisioningState, poll status only): {lenient}/{total} ({pct(lenient, total).strip()})\n")
    w(f"product-scope resource types only: {sum(r.agree for r in prod)}/{len(prod)} "
      f"({pct(sum(r.agree for r in prod), len(prod)).strip()})\n")
    w(f"not-cascade mismatching interactions: {sum(1 for r in all_results if r.kinds and not r.cascade)}, "
      f"cascade (after an earlier divergent write): {sum(1 for r in all_results if r.kinds and r.cascade)}\n")
    w(f"replay: {agree}/{total} interactions agree ({100.0 * agree / total if total else 0:.1f}%) "
      f"over {len(reports)} cassettes\n")
    return {"areas": area_rows, "kinds": dict(kind_count), "agree": agree, "compared": total,
            "lenient": lenient, "cassettes": len(reports)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cassettes", nargs="*", help="cassette files (default: every *.yaml in ./cassettes)")
    ap.add_argument("--url", help="use a running simulator at this loopback URL instead of starting one per cassette")
    ap.add_argument("--subscription", help="with --url: its subscription id (default: from GET /subscriptions)")
    ap.add_argument("--tenant", default="00000000-0000-0000-0000-000000000001", help="with --url: tenant for the token")
    ap.add_argument("--azwizard", default=DEFAULT_AZWIZARD, help=f"the azwizard executable (default {DEFAULT_AZWIZARD})")
    ap.add_argument("-k", dest="filter", help="only cassettes whose file name contains this")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every mismatching interaction")
    ap.add_argument("--relocate", metavar="REGION",
                    help="DIAGNOSTIC, not the fidelity figure: rewrite regions the simulator does not list "
                         "(e.g. eastus2, centraluseuap) to REGION, to see what else differs")
    ap.add_argument("--adapt-images", action="store_true",
                    help="DIAGNOSTIC, not the fidelity figure: replace marketplace images the simulator does not offer "
                         "(2023 images) by a current Ubuntu 22.04 / Windows Server 2022 image")
    ap.add_argument("--json", dest="json_out", help="write the full result (every compared interaction) here")
    args = ap.parse_args(argv)

    files = [Path(p) for p in args.cassettes] or sorted((HERE / "cassettes").glob("*.yaml"))
    if args.filter:
        files = [f for f in files if args.filter in f.name]
    if not files:
        print("replay: no cassettes", file=sys.stderr)
        return 0
    t0 = time.time()
    shared: Sim | None = None
    if args.url:
        shared = Sim(args.url, args.subscription or "")
        shared.tenant = args.tenant
        shared.login()
        shared.subscription = args.subscription or shared.discover_subscription()
    reports = []
    for f in files:
        sim = shared
        try:
            if sim is None:
                sim = Sim.start(args.azwizard)
                sim.login()
            rep = Replayer(sim, f.name, load_cassette(f), args.relocate, args.adapt_images).run()
        except Exception as exc:  # a broken cassette or a dead simulator must not stop the others
            rep = CassetteReport(f.name, error=f"{type(exc).__name__}: {exc}")
        finally:
            if shared is None and sim is not None:
                sim.stop()
        reports.append(rep)
        print(f"  {f.name}: {rep.agreed}/{rep.compared}" + (f" ERROR {rep.error}" if rep.error else ""),
              file=sys.stderr, flush=True)
    if args.relocate or args.adapt_images:
        print("NOTE: diagnostic run (--relocate / --adapt-images): regions or images the simulator does not offer "
              "were rewritten; this is NOT the fidelity figure.")
        for rep in reports:
            if rep.relocated:
                print(f"  {rep.name}: {', '.join(f'{k}->{v}' for k, v in rep.relocated.items())}")
    summary = print_report(reports, args.verbose)
    print(f"(runtime {time.time() - t0:.1f} s)", file=sys.stderr)
    if args.json_out:
        data = {"summary": summary, "cassettes": [
            {"name": rep.name, "seconds": rep.seconds, "setup": rep.setup, "skipped": dict(rep.skipped),
             "adaptations": dict(rep.adaptations), "relocated": rep.relocated,
             "error": rep.error, "results": [r.__dict__ | {"agree": r.agree, "cause": r.cause} for r in rep.results]}
            for rep in reports]}
        Path(args.json_out).write_text(json.dumps(data, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
