"""Microsoft.Resources/deployments (what ``az vm create`` sends), the served simulator's poll count and
request log, and state persisted when an operation finishes on a poll.

The project's SDK set has no deployments client (azure-mgmt-resource 26 moved it to its own package), so the
deployment requests here are sent on the wire as az sends them (``wire()``), and the resources they create
are read back through the real SDK clients; tests/azcli runs them with az's own deployments client."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from azwizard.sim import SIM_BASE_URL, SIM_TOKEN, ArmSim, statefile
from azwizard.sim.providers.identity import fingerprint
from azwizard.sim.server import SimServer
from azwizard.sim.wire import ArmRequest, ArmResponse

NSG = {
    "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01",
    "name": "[concat(parameters('prefix'), '-nsg')]", "location": "[resourceGroup().location]",
    "tags": "[variables('tags')]",
    "properties": {"securityRules": [{"name": "SSH", "properties": {
        "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*",
        "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]},
}
VNET = {
    "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01",
    "name": "[format('{0}-vnet', parameters('prefix'))]", "location": "[parameters('location')]",
    "dependsOn": ["[resourceId('Microsoft.Network/networkSecurityGroups', concat(parameters('prefix'), '-nsg'))]"],
    "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16", "fd00:db8:1234::/48"]},
        "subnets": [{"name": "default", "properties": {
            "addressPrefixes": ["10.0.0.0/24", "fd00:db8:1234::/64"],
            "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', "
                                           "concat(parameters('prefix'), '-nsg'))]"}}}],
    },
}


def template(*resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"prefix": {"type": "string"},
                       "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
        "variables": {"tags": {"made-by": "[concat('template-', parameters('prefix'))]"}},
        "resources": list(resources),
        "outputs": outputs or {},
    }


API = "api-version=2024-11-01"  # az's resources api-version


def wire(sim: ArmSim, method: str, path: str, body: Any = None) -> ArmResponse:
    url = path if path.startswith("https://") else f"{SIM_BASE_URL}{path}{'&' if '?' in path else '?'}{API}"
    data = json.dumps(body).encode() if body is not None else b""
    return sim.handle(ArmRequest(method, url, {"Authorization": f"Bearer {SIM_TOKEN}",
                                               "Content-Type": "application/json"}, data))


def dep_path(sim: ArmSim, rg: str, name: str) -> str:
    return f"/subscriptions/{sim.subscription_id}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}"


def deploy(sim: ArmSim, rg: str, name: str, tpl: dict[str, Any], **params: Any) -> dict[str, Any]:
    """PUT the deployment and poll its Azure-AsyncOperation until done, as the SDK's ARM poller does; then
    the final GET. Returns the final status body (with ``error`` when it failed) and the deployment."""
    body = {"properties": {"template": tpl, "parameters": {k: {"value": v} for k, v in params.items()},
                           "mode": "Incremental"}}
    put = wire(sim, "PUT", dep_path(sim, rg, name), body)
    if put.status >= 400:
        return {"put": put}
    assert put.status == 201 and put.body["properties"]["provisioningState"] == "Accepted"
    status_url = put.headers["Azure-AsyncOperation"]
    assert f"/deployments/{name}/operationStatuses/" in status_url
    for _ in range(10):
        status = wire(sim, "GET", status_url).body
        if status["status"] != "Running":
            break
    return {"put": put, "status": status, "deployment": wire(sim, "GET", dep_path(sim, rg, name)).body}


def test_deployment_creates_resources_in_dependency_order(sim: ArmSim, sdk: Any, rg: str) -> None:
    outputs = {"vnetId": {"type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks', 'web-vnet')]"},
               "subnets": {"type": "array",
                           "value": "[reference(resourceId('Microsoft.Network/virtualNetworks', 'web-vnet'), "
                                    "'2025-07-01').subnets]"}}
    # The VNet is listed first but depends on the NSG: the NSG must be PUT first.
    got = deploy(sim, rg, "vm_deploy_abc", template(VNET, NSG, outputs=outputs), prefix="web")
    assert got["status"] == {"status": "Succeeded"}
    result = got["deployment"]["properties"]
    assert result["provisioningState"] == "Succeeded" and result["mode"] == "Incremental"
    sub = sim.subscription_id
    vnet_id = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/web-vnet"
    nsg_id = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/web-nsg"
    assert result["outputs"]["vnetId"] == {"type": "String", "value": vnet_id}
    assert result["outputs"]["subnets"]["value"][0]["name"] == "default"
    assert sorted(r["id"].lower() for r in result["outputResources"]) == sorted([nsg_id.lower(), vnet_id.lower()])
    assert result["dependencies"][0]["resourceName"] == "web-vnet"
    assert result["dependencies"][0]["dependsOn"][0]["resourceName"] == "web-nsg"
    inner = [r.path for r in sim.requests if r.headers.get("x-azwizard-deployment") == "vm_deploy_abc"]
    assert [p.rsplit("/", 2)[-2] for p in inner] == ["networkSecurityGroups", "virtualNetworks"]
    # What the resource providers stored is what the template said, through their own checks and defaults.
    nsg = sdk.network.network_security_groups.get(rg, "web-nsg")
    assert nsg.tags == {"made-by": "template-web"} and nsg.security_rules[0].destination_port_range == "22"
    vnet = sdk.network.virtual_networks.get(rg, "web-vnet")
    assert vnet.location == "norwayeast" and vnet.subnets[0].network_security_group.id.lower() == nsg_id.lower()
    # The deployment and its operations can be read back.
    assert result["parameters"]["prefix"] == {"type": "String", "value": "web"}
    ops = wire(sim, "GET", dep_path(sim, rg, "vm_deploy_abc") + "/operations").body["value"]
    ops = [o for o in ops if o["properties"]["provisioningOperation"] == "Create"]  # not EvaluateDeploymentOutput
    assert {o["properties"]["targetResource"]["resourceName"] for o in ops} == {"web-nsg", "web-vnet"}
    assert {o["properties"]["provisioningState"] for o in ops} == {"Succeeded"}


def test_a_resource_the_provider_refuses_fails_the_deployment(sim: ArmSim, sdk: Any, rg: str) -> None:
    bad = dict(NSG, properties={"securityRules": [{"name": "bad", "properties": {
        "priority": 99999, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*",
        "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]})
    with pytest.raises(HttpResponseError) as e:
        sdk.network.network_security_groups.begin_create_or_update(rg, "direct", {
            "location": "norwayeast", "properties": bad["properties"]}).result()
    direct_code = e.value.error.code
    got = deploy(sim, rg, "dep1", template(bad), prefix="x")
    error = got["status"]["error"]
    assert got["status"]["status"] == "Failed" and error["code"] == "DeploymentFailed"
    assert "At least one resource deployment operation failed" in error["message"]
    assert [d["code"] for d in error["details"]] == [direct_code]  # the provider's own refusal, as ARM nests it
    assert got["deployment"]["properties"]["provisioningState"] == "Failed"


@pytest.mark.parametrize(("resources", "params", "fragment"), [
    ([dict(NSG, name="[nosuchfunction('a')]")], {"prefix": "x"}, "The template function 'nosuchfunction'"),
    ([NSG], {}, "The value for the template parameter 'prefix'"),
    ([dict(NSG, copy={"name": "c", "count": 2})], {"prefix": "x"}, "copy loops"),
    ([dict(VNET, dependsOn=["Microsoft.Network/networkSecurityGroups/missing"])], {"prefix": "x"},
     "is not defined in the template"),
])
def test_invalid_templates_are_refused_before_anything_is_created(sim: ArmSim, sdk: Any, rg: str,
                                                                  resources: list[dict[str, Any]],
                                                                  params: dict[str, Any], fragment: str) -> None:
    put = deploy(sim, rg, "bad", template(*resources), **params)["put"]
    assert put.status == 400 and put.body["error"]["code"] == "InvalidTemplate"
    assert fragment in put.body["error"]["message"]
    assert not sim.of_type("Microsoft.Network/networkSecurityGroups")
    got = wire(sim, "GET", dep_path(sim, rg, "bad"))
    assert got.status == 404 and got.body["error"]["code"] == "DeploymentNotFound"


def test_validate_and_deployments_go_with_their_group(sim: ArmSim, sdk: Any, rg: str) -> None:
    body = {"properties": {"template": template(NSG), "parameters": {"prefix": {"value": "v"}},
                           "mode": "Incremental"}}
    checked = wire(sim, "POST", dep_path(sim, rg, "check") + "/validate", body)
    assert checked.status == 200
    assert [r["id"].rsplit("/", 1)[-1] for r in checked.body["properties"]["validatedResources"]] == ["v-nsg"]
    assert not sim.of_type("Microsoft.Network/networkSecurityGroups")  # validation creates nothing
    deploy(sim, rg, "d1", template(NSG), prefix="v")
    listed = wire(sim, "GET", f"/subscriptions/{sim.subscription_id}/resourcegroups/{rg}/providers/"
                              "Microsoft.Resources/deployments").body["value"]
    assert [d["name"] for d in listed] == ["d1"]
    sdk.resources.resource_groups.begin_delete(rg).result()
    sdk.resources.resource_groups.create_or_update(rg, {"location": "norwayeast"})
    assert wire(sim, "GET", dep_path(sim, rg, "d1")).status == 404  # the history went with the group


def _curl(url: str, *args: str, cacert: Path | None = None) -> tuple[int, dict[str, Any]]:
    cmd = ["curl", "-sS", "--noproxy", "*", "-w", "\n%{http_code}", "-H", f"Authorization: Bearer {SIM_TOKEN}"]
    if cacert is not None:
        cmd += ["--cacert", str(cacert)]
    out = subprocess.run([*cmd, *args, url], capture_output=True, text=True, check=True, timeout=20).stdout
    body, _, code = out.rpartition("\n")
    return int(code), (json.loads(body) if body.strip() else {})


def test_served_simulator_finishes_on_the_first_poll_and_logs_requests(tmp_path: Path) -> None:
    state, log = tmp_path / "state.json", tmp_path / "requests.jsonl"
    server = SimServer(ArmSim(persist_path=state), port=0, request_log=log).start()
    try:
        sub = server.sim.subscription_id
        base = f"{server.url}/subscriptions/{sub}/resourcegroups/rg1"
        assert _curl(f"{base}?api-version=2024-11-01", "-X", "PUT", "-H", "Content-Type: application/json",
                     "-d", '{"location": "norwayeast"}')[0] == 201
        vnet = f"{base}/providers/Microsoft.Network/virtualNetworks/v1?api-version=2025-07-01"
        code, body = _curl(vnet, "-X", "PUT", "-H", "Content-Type: application/json", "-H", "CommandName: vnet create",
                           "-d", json.dumps({"location": "norwayeast", "properties": {
                               "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}))
        assert code == 201 and body["properties"]["provisioningState"] == "Updating"
        stored = statefile.current(state)["resources"]
        assert next(v for k, v in stored.items() if k.endswith("/v1"))["properties"]["provisioningState"] == "Updating"
        # One poll completes it (a real client waits Retry-After before it), and the file says so at once.
        op = next(o for o in server.sim.ops.values() if o.resource_id and o.resource_id.endswith("/v1"))
        code, body = _curl(f"{server.url}/subscriptions/{sub}/providers/Microsoft.Network/locations/norwayeast/"
                           f"operations/{op.id}?api-version=2025-07-01")
        assert code == 200 and body["status"] == "Succeeded"
        stored = statefile.current(state)["resources"]
        assert next(v for k, v in stored.items() if k.endswith("/v1"))["properties"]["provisioningState"] == "Succeeded"
        lines = [json.loads(x) for x in log.read_text().splitlines()]
        assert lines[1] == {"method": "PUT", "path": f"/subscriptions/{sub}/resourcegroups/rg1/providers/"
                            "Microsoft.Network/virtualNetworks/v1", "api_version": "2025-07-01", "status": 201,
                            "code": None, "command": "vnet create", "agent": lines[1]["agent"],
                            "token": fingerprint(SIM_TOKEN)}
        assert lines[1]["agent"].startswith("curl/")  # who sent it; the token only as its fingerprint
        missing = f"{server.url}/subscriptions/{sub}/resourcegroups/nope?api-version=2024-11-01"
        assert _curl(missing)[0] == 404
        assert json.loads(log.read_text().splitlines()[-1])["code"] == "ResourceGroupNotFound"
    finally:
        server.stop()


def test_vm_image_alias_doc_is_a_plain_404(sim: ArmSim) -> None:
    """az fetches ``<cloud vmImageAliasDoc>`` without a token and falls back to its bundled copy on any non-200;
    the simulator says "no such document" (404) rather than ARM's 401 for a missing token."""
    resp = sim.handle(ArmRequest("GET", f"{SIM_BASE_URL}/vmImageAliasDoc", {}))
    assert resp.status == 404 and resp.body["error"]["code"] == "NotFound"
    assert sim.handle(ArmRequest("GET", f"{SIM_BASE_URL}/subscriptions?{API}", {})).status == 401


def test_deployment_body_is_read_as_leniently_as_arm_reads_it(sim: ArmSim, sdk: Any, rg: str) -> None:
    """az deployment group create splices the template file's text into the body with an unquoted ``template:``
    key (azure-cli JsonCTemplatePolicy); ARM's reader accepts that, comments and trailing commas."""
    tpl_text = json.dumps(template(NSG))[:-1] + ", // the file's own comment\n}"
    body = ('{"properties": {"parameters": {"prefix": {"value": "jc"}}, "mode": "Incremental", template:'
            + tpl_text + "}}")
    resp = sim.handle(ArmRequest("PUT", f"{SIM_BASE_URL}{dep_path(sim, rg, 'jsonc')}?{API}",
                                 {"Authorization": f"Bearer {SIM_TOKEN}"}, body.encode()))
    assert resp.status == 201, resp.body
    while wire(sim, "GET", resp.headers["Azure-AsyncOperation"]).body["status"] == "Running":
        pass
    assert sdk.network.network_security_groups.get(rg, "jc-nsg").provisioning_state == "Succeeded"
    broken = sim.handle(ArmRequest("PUT", f"{SIM_BASE_URL}{dep_path(sim, rg, 'broken')}?{API}",
                                   {"Authorization": f"Bearer {SIM_TOKEN}"}, b'{"properties": {'))
    assert broken.status == 400 and broken.body["error"]["code"] == "InvalidRequestContent"


# ------------------------------------------------------------------ fidelity fixes (issue 14)


def test_put_over_an_existing_deployment_answers_200_a_new_name_201(sim: ArmSim, rg: str) -> None:
    """ARM answers 201 for a new deployment name and 200 for a PUT over an existing one (azure-cli recording
    test_resource_group_deployment: deployment000002 201 then 200, deployment000003 201)."""
    first = deploy(sim, rg, "same", template(NSG), prefix="a")
    assert first["put"].status == 201
    body = {"properties": {"template": template(NSG), "parameters": {"prefix": {"value": "a"}},
                           "mode": "Incremental"}}
    again = wire(sim, "PUT", dep_path(sim, rg, "same"), body)
    assert again.status == 200 and again.body["properties"]["provisioningState"] == "Accepted"


def test_deployment_operations_on_the_sdk_path_and_one_by_one(sim: ArmSim, rg: str) -> None:
    """az/SDK read deployment operations at /resourcegroups/{rg}/deployments/{d}/operations (no providers/);
    outputs are evaluated by an operation of their own; the list omits serviceRequestId, the GET has it."""
    got = deploy(sim, rg, "ops", template(NSG, outputs={"x": {"type": "string", "value": "y"}}), prefix="o")
    assert got["deployment"]["properties"]["provisioningState"] == "Succeeded"
    sdk_path = f"/subscriptions/{sim.subscription_id}/resourcegroups/{rg}/deployments/ops/operations"
    listed = wire(sim, "GET", sdk_path)
    assert listed.status == 200, listed.body
    kinds = {o["properties"]["provisioningOperation"] for o in listed.body["value"]}
    assert kinds == {"Create", "EvaluateDeploymentOutput"}
    assert all("serviceRequestId" not in o["properties"] for o in listed.body["value"])
    create = next(o for o in listed.body["value"] if o["properties"]["provisioningOperation"] == "Create")
    one = wire(sim, "GET", f"{sdk_path}/{create['operationId']}")
    assert one.status == 200 and one.body["properties"]["targetResource"]["resourceName"] == "o-nsg"
    assert "serviceRequestId" in one.body["properties"]
    assert wire(sim, "GET", f"{sdk_path}/0000").body["error"]["code"] == "DeploymentOperationNotFound"


def test_export_template_answers_the_template_that_ran(sim: ArmSim, rg: str) -> None:
    tpl = template(NSG)
    deploy(sim, rg, "exp", tpl, prefix="e")
    resp = wire(sim, "POST", dep_path(sim, rg, "exp") + "/exportTemplate")
    assert resp.status == 200 and resp.body == {"template": tpl}
    assert wire(sim, "POST", dep_path(sim, rg, "nope") + "/exportTemplate").body["error"]["code"] == \
        "DeploymentNotFound"


def test_cancel_stops_a_running_deployment_and_refuses_a_finished_one(sim: ArmSim, sdk: Any, rg: str) -> None:
    sim.min_polls = 10_000  # the NSG stays Updating until time passes
    sim.unwatched_after = 10_000.0
    body = {"properties": {"template": template(NSG, VNET), "parameters": {"prefix": {"value": "c"}},
                           "mode": "Incremental"}}
    put = wire(sim, "PUT", dep_path(sim, rg, "cx"), body)
    assert put.status == 201
    assert wire(sim, "POST", dep_path(sim, rg, "cx") + "/cancel").status == 204
    dep = wire(sim, "GET", dep_path(sim, rg, "cx")).body
    assert dep["properties"]["provisioningState"] == "Canceled"
    assert wire(sim, "GET", put.headers["Azure-AsyncOperation"]).body["status"] == "Canceled"
    sim.advance(20_000)
    # what was not started yet is never created; a cancelled deployment cannot be cancelled again
    assert wire(sim, "GET", f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/"
                "Microsoft.Network/virtualNetworks/c-vnet").status == 404
    again = wire(sim, "POST", dep_path(sim, rg, "cx") + "/cancel")
    assert again.status == 409 and again.body["error"]["code"] == "DeploymentCannotBeCancelled"


def test_raw_newlines_inside_json_strings_are_accepted(sim: ArmSim, sdk: Any, rg: str) -> None:
    """ARM's reader takes control characters inside strings (azure-cli recording test_resource_group_deployment:
    a parameter description spanning lines, sent as the template file's text)."""
    tpl_text = json.dumps(template(NSG)).replace('"type": "string"}', '"type": "string", "metadata": '
                                                  '{"description": "two\nlines"}}', 1)
    body = ('{"properties": {"parameters": {"prefix": {"value": "nl"}}, "mode": "Incremental", template:'
            + tpl_text + "}}")
    assert "\n" in body
    for suffix, ok in (("/validate", 200), ("", 201)):
        resp = sim.handle(ArmRequest("POST" if suffix else "PUT", f"{SIM_BASE_URL}{dep_path(sim, rg, 'nl')}{suffix}?{API}",
                                     {"Authorization": f"Bearer {SIM_TOKEN}"}, body.encode()))
        assert resp.status == ok, resp.body
    strict = json.dumps({"location": "norwayeast", "tags": {"note": "PLACEHOLDER"}}).replace("PLACEHOLDER", "a\nb")
    resp = sim.handle(ArmRequest("PUT", f"{SIM_BASE_URL}/subscriptions/{sim.subscription_id}/resourcegroups/nl-rg?"
                                 "api-version=2022-09-01", {"Authorization": f"Bearer {SIM_TOKEN}"}, strict.encode()))
    assert resp.status == 201 and resp.body["tags"] == {"note": "a\nb"}


def test_a_no_wait_deployment_runs_without_being_polled(sim: ArmSim, sdk: Any, rg: str) -> None:
    """`az vm create --no-wait` then `az vm wait`: nobody polls the deployment, yet it runs as time passes."""
    body = {"properties": {"template": template(VNET, NSG), "parameters": {"prefix": {"value": "nw"}},
                           "mode": "Incremental"}}
    assert wire(sim, "PUT", dep_path(sim, rg, "nowait"), body).status == 201
    sim.advance(600)  # the client waits; it only reads the resource afterwards
    vnet = sdk.network.virtual_networks.get(rg, "nw-vnet")
    assert vnet.provisioning_state == "Succeeded"
    assert wire(sim, "GET", dep_path(sim, rg, "nowait")).body["properties"]["provisioningState"] == "Succeeded"


def test_a_deployment_nobody_watches_runs_at_once_and_ends_later(sim: ArmSim, rg: str) -> None:
    """azure-cli recordings: `vm create --no-wait` finds the VM at its first GET (test_vm_create_no_wait), and
    `deployment group create --no-wait` then `cancel` a second later answers 204 (test_resource_group_deployment):
    the resources start at once, the deployment itself ends no sooner than deployments.MIN_SECONDS unless a
    client watches it; what a cancelled deployment created stays."""
    body = {"properties": {"template": template(NSG), "parameters": {"prefix": {"value": "q"}},
                           "mode": "Incremental"}}
    nsg = f"/subscriptions/{sim.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/q-nsg"
    assert wire(sim, "PUT", dep_path(sim, rg, "queued"), body).status == 201
    assert wire(sim, "GET", nsg).status == 200  # another request's tick: the template's resources are under way
    assert wire(sim, "POST", dep_path(sim, rg, "queued") + "/cancel").status == 204
    assert wire(sim, "GET", dep_path(sim, rg, "queued")).body["properties"]["provisioningState"] == "Canceled"
    assert wire(sim, "GET", nsg).status == 200  # a cancel leaves what was created
    # once its time has passed, a deployment nobody watches is done
    assert wire(sim, "PUT", dep_path(sim, rg, "later"), body).status == 201
    sim.advance(2)
    wire(sim, "GET", f"/subscriptions/{sim.subscription_id}/resourcegroups/{rg}?api-version=2022-09-01")
    assert wire(sim, "POST", dep_path(sim, rg, "later") + "/cancel").status == 409


@pytest.mark.parametrize("sections", [False, True])
def test_parameters_and_outputs_keys_follow_what_was_sent(sim: ArmSim, rg: str, sections: bool) -> None:
    """A template and request without ``parameters``/``outputs`` get answers without either key (validate, PUT,
    GET), as Azure answers (issue #25); az vm create's empty sections come back as ``{}`` (recorded
    test_vm_create_ubuntu.yaml)."""
    nsg = {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01", "name": "bare-nsg",
           "location": "[resourceGroup().location]"}
    tpl: dict[str, Any] = {"$schema": template()["$schema"], "contentVersion": "1.0.0.0", "resources": [nsg]}
    props: dict[str, Any] = {"template": tpl, "mode": "Incremental"}
    if sections:
        tpl.update({"parameters": {}, "outputs": {}})
        props["parameters"] = {}
    path = dep_path(sim, rg, "bare")
    answers = [wire(sim, "POST", path + "/validate", {"properties": props}), wire(sim, "PUT", path, {"properties": props})]
    assert [a.status for a in answers] == [200, 201]
    for _ in range(10):
        done = wire(sim, "GET", path)
        if done.body["properties"]["provisioningState"] in ("Succeeded", "Failed"):
            break
    assert done.body["properties"]["provisioningState"] == "Succeeded"
    for answer in answers:
        assert ("parameters" in answer.body["properties"]) is sections
        assert "outputs" not in answer.body["properties"]
    assert ("parameters" in done.body["properties"]) is sections
    assert done.body["properties"].get("outputs") == ({} if sections else None)
