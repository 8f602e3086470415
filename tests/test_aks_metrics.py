"""Managed Prometheus as az aks create --enable-azure-monitor-metrics makes it (#24): the cluster sent with metrics
off, then the workspace, data collection endpoint, rule and association, and a read-modify-write that turns the
metrics on (plan/aks_metrics.py); run against the simulator, exported, and cleaned up.

The expected bodies are what azure-cli 2.91.0 builds (acs/azuremonitormetrics/: amw/create.py create_default_mac,
dc/dce_api.py create_dce, dc/dcr_api.py create_dcr, dc/dcra_api.py create_dcra, addonput.py addon_put; names from
dc/defaults.py get_default_dce_name / get_default_dcr_name / get_default_dcra_name), with azwizard's run tags added
where the type takes tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.aks import plan_aks
from azwizard.plan.aks_metrics import dce_name, dcr_name
from azwizard.plan.exports import arm_template, az_commands, export
from azwizard.plan.model import Plan
from azwizard.run import Runner, StepEvent
from azwizard.sim import ArmSim
from azwizard.specs.aks import (
    AksNetworkSpec,
    AksSpec,
    OperationsSpec,
    monitor_workspace_name,
    preset_dev_dual_stack,
)

SUB = "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
NET = AksNetworkSpec(pod_cidrs=("10.244.0.0/16", "fd3c:1f0e:9a7b::/64"),
                     service_cidrs=("10.96.0.0/16", "fd3c:1f0e:9a7b:1::/108"))
SPEC = preset_dev_dual_stack("mon").with_(network=NET, operations=OperationsSpec(monitor_metrics=True))
TAGS = {"created-by": "azwizard", "azwizard-run": "r1", "azwizard-journey": "aks", "azwizard-created": "t"}


def plan_of(spec: AksSpec = SPEC, sub: str = SUB) -> Plan:
    return plan_aks(spec, subscription_id=sub, run_id="r1", created_at="t")


def run(factory: ClientFactory, plan: Plan, tmp_path: Path) -> tuple[Any, Journal, list[StepEvent]]:
    events: list[StepEvent] = []
    journal = Journal(plan.run_id, "aks", directory=tmp_path)
    result = Runner(factory, journal, poll_interval=0.01, on_event=events.append).run(plan)
    return result, journal, events


# ------------------------------------------------------------------------------------ the plan = az's requests


def test_the_names_are_azs_defaults() -> None:
    # dc/defaults.py: "MSProm-<region>-<cluster>", DCE cut to 44 without "_", DCR cut to 64, both ending alnum
    assert dce_name("norwayeast", "mon") == dcr_name("norwayeast", "mon") == "MSProm-norwayeast-mon"
    long = "a_very_long_cluster_name_that_goes_on_and_on-"
    # cut to 44 first, then the underscores go (so it ends shorter), as sanitize_name does
    assert dce_name("norwayeast", long) == "MSProm-norwayeast-averylongclusternamet"
    assert dcr_name("norwayeast", long) == f"MSProm-norwayeast-{long}"[:64].rstrip("-")
    assert monitor_workspace_name("mon") == "mon-prometheus" and len(monitor_workspace_name("x" * 60)) <= 43


def test_the_follow_up_bodies_are_what_az_sends() -> None:
    plan = plan_of()
    rg = f"/subscriptions/{SUB}/resourceGroups/mon-RG/providers"
    cluster = f"{rg}/Microsoft.ContainerService/managedClusters/mon"
    assert [s.key for s in plan.steps] == ["rg", "amw", "aks", "dce", "dcr", "dcra", "metrics-on"]
    amw = plan.step("amw")
    assert amw.resource_id == f"{rg}/Microsoft.Monitor/accounts/mon-prometheus" and amw.api_version == "2023-04-03"
    assert amw.body == {"location": "norwayeast", "tags": TAGS, "properties": {}}  # create_default_mac + tags
    dce = plan.step("dce")
    assert dce.resource_id == f"{rg}/Microsoft.Insights/dataCollectionEndpoints/MSProm-norwayeast-mon"
    # create_dce + tags; "name" is not on the wire (az serializes a GenericResource, whose name is read-only)
    assert dce.body == {"location": "norwayeast", "kind": "Linux", "tags": TAGS, "properties": {}}
    assert dce.api_version == plan.step("dcr").api_version == plan.step("dcra").api_version == "2022-06-01"
    assert plan.step("dcr").body == {"location": "norwayeast", "kind": "Linux", "tags": TAGS, "properties": {
        "dataCollectionEndpointId": dce.resource_id,
        "dataSources": {"prometheusForwarder": [{"name": "PrometheusDataSource",
                                                 "streams": ["Microsoft-PrometheusMetrics"], "labelIncludeFilter": {}}]},
        "dataFlows": [{"destinations": ["MonitoringAccount1"], "streams": ["Microsoft-PrometheusMetrics"]}],
        "description": "DCR description",
        "destinations": {"monitoringAccounts": [{"accountResourceId": amw.resource_id.lower(),
                                                 "name": "MonitoringAccount1"}]}}}  # create_dcr
    dcra = plan.step("dcra")
    assert dcra.resource_id == (f"{cluster}/providers/Microsoft.Insights/dataCollectionRuleAssociations/"
                                "ContainerInsightsMetricsExtension")
    assert dcra.body == {"location": "norwayeast", "properties": {  # create_dcra (no tags: a proxy resource)
        "dataCollectionRuleId": plan.step("dcr").resource_id,
        "description": "Promtheus data collection association between DCR, DCE and target AKS resource"}}
    on = plan.step("metrics-on")
    assert (on.resource_id, on.patch_of) == (cluster, "aks") and set(on.depends_on) == {"aks", "dcra"}
    assert on.body == {"properties": {"azureMonitorProfile": {"metrics": {"enabled": True}}}}  # addon_put
    # the create itself sends them off, with az's allow lists (set_up_azure_monitor_profile)
    assert plan.step("aks").body["properties"]["azureMonitorProfile"] == {"metrics": {
        "enabled": False, "kubeStateMetrics": {"metricLabelsAllowlist": "", "metricAnnotationsAllowList": ""}}}
    assert any("DefaultResourceGroup" in n for n in plan.notes)


def test_without_metrics_there_are_no_follow_up_steps() -> None:
    plan = plan_of(SPEC.with_(operations=OperationsSpec()))
    assert [s.key for s in plan.steps] == ["rg", "aks"]


# ------------------------------------------------------------------------------------ run, resume, clean up


def test_a_run_links_the_workspace_and_turns_the_metrics_on(sim: ArmSim, factory: ClientFactory,
                                                              tmp_path: Path) -> None:
    plan = plan_of(sub=sim.subscription_id)
    result, journal, events = run(factory, plan, tmp_path)
    assert result.ok, result.errors
    cluster = factory.containerservice().managed_clusters.get("mon-RG", "mon")
    assert cluster.azure_monitor_profile.metrics.enabled is True
    assert cluster.azure_monitor_profile.metrics.kube_state_metrics.metric_labels_allowlist == ""
    # the update was a read-modify-write with If-Match on the etag read, after the association
    puts = _cluster_puts(sim)
    assert len(puts) == 2 and not puts[0].headers.get("if-match") and puts[1].headers.get("if-match")
    assert puts[1].body["properties"]["agentPoolProfiles"], "the whole cluster goes back"
    assert puts[1].body["properties"]["azureMonitorProfile"]["metrics"]["enabled"] is True
    done = [e.key for e in events if e.state == "succeeded"]
    assert done.index("metrics-on") > done.index("dcra") > done.index("dcr") > max(done.index("amw"),
                                                                                   done.index("dce"))
    # every request to the new types carried the api-version az uses for it (acs/azuremonitormetrics/constants.py)
    from azwizard.azure.arm import AZ_CLI_API_VERSIONS

    for r in sim.requests:
        for kind, version in AZ_CLI_API_VERSIONS.items():
            if f"/providers/{kind}/" in r.path.lower():
                assert r.api_version == version, (r.method, r.path, r.api_version)
    assert AZ_CLI_API_VERSIONS["microsoft.monitor/accounts"] == "2023-04-03"  # MAC_API
    assert AZ_CLI_API_VERSIONS["microsoft.insights/datacollectionrules"] == "2022-06-01"  # DC_API
    for step in plan.steps:
        got = sim.get(step.resource_id)
        assert got is not None, step.key
        if "tags" in step.body:
            assert got["tags"]["azwizard-run"] == "r1", step.key
    # the cluster stays this run's (configure-* events change nothing of what the journal proves)
    states = journal.resources()
    assert states[plan.step("aks").resource_id.lower()].state == "created"
    assert "identity" in states[plan.step("aks").resource_id.lower()].detail
    assert [e["event"] for e in journal.events() if e.get("step") == "metrics-on"] == [
        "configure-requested", "configured"]
    # a second run sends nothing: the metrics are on already (journaled as configured, unchanged)
    again, journal, _ = run(factory, plan, tmp_path)
    assert again.ok
    assert len(_cluster_puts(sim)) == 2
    assert [(e["event"], e.get("changed")) for e in journal.events() if e.get("step") == "metrics-on"] == [
        ("configure-requested", None), ("configured", True), ("configured", False)]


def _cluster_puts(sim: ArmSim) -> list[Any]:
    return [r for r in sim.requests_to("PUT", "/managedClusters/mon") if r.path.lower().endswith("/mon")]


def test_an_update_refused_with_412_is_read_again(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """Someone (AKS itself) changes the cluster between the read and the PUT: Azure answers 412 and the step reads
    it again instead of writing over the change."""
    plan = plan_of(sub=sim.subscription_id)
    cluster_id = plan.step("aks").resource_id
    real_get = factory.arm().resource
    stale = {"left": 1}

    def racing(kind: str, rid: str) -> Any:
        body = real_get(kind, rid)
        linked = sim.get(plan.step("dcra").resource_id) is not None
        if rid.lower() == cluster_id.lower() and linked and stale["left"]:  # the patch step's first read
            stale["left"] -= 1
            return {**body, "eTag": "stale"}
        return body

    factory.arm().resource = racing  # type: ignore[method-assign]
    result, journal, _ = run(factory, plan, tmp_path)
    assert result.ok, result.errors
    assert [e["event"] for e in journal.events() if e.get("step") == "metrics-on"] == [
        "configure-requested", "configure-requested", "configured"]
    assert factory.containerservice().managed_clusters.get("mon-RG", "mon").azure_monitor_profile.metrics.enabled


def _fail_the_update(sim: ArmSim, factory: ClientFactory, plan: Plan, **fault: Any) -> None:
    """Once the workspace is linked, the next read of the cluster (the patch step's) arms ``fault`` for its PUT."""
    cluster_id = plan.step("aks").resource_id
    real_get = factory.arm().resource
    armed = []

    def reading(kind: str, rid: str) -> Any:
        if rid.lower() == cluster_id.lower() and sim.get(plan.step("dcra").resource_id) is not None and not armed:
            armed.append(sim.faults.error("PUT", r"/managedClusters/mon$", **fault))
        return real_get(kind, rid)

    factory.arm().resource = reading  # type: ignore[method-assign]


def test_an_update_refused_for_good_is_sent_once_and_fails_only_that_step(sim: ArmSim, factory: ClientFactory,
                                                                         tmp_path: Path) -> None:
    """A 400 is no race: no second try; the step fails with Azure's message, journaled configure-failed, and
    the cluster stays as it was (the metrics off)."""
    plan = plan_of(sub=sim.subscription_id)
    _fail_the_update(sim, factory, plan, status=400, code="BadRequest", message="Metrics are not offered here.",
                     times=5)
    result, journal, _ = run(factory, plan, tmp_path)
    assert result.states["metrics-on"] == "failed" and result.states["dcra"] == "succeeded"
    assert "Metrics are not offered here." in result.errors["metrics-on"].what
    assert len(_cluster_puts(sim)) == 2  # the create, and the update once
    assert [e["event"] for e in journal.events() if e.get("step") == "metrics-on"] == [
        "configure-requested", "configure-failed"]
    assert sim.get(plan.step("aks").resource_id)["properties"]["azureMonitorProfile"]["metrics"]["enabled"] is False


def test_an_update_refused_with_412_on_every_read_stops_as_changed_since_the_read(
        sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    """The etag changes under every try: after the retries (2) the step fails as "changed since the read", and
    nothing was written over the change."""
    plan = plan_of(sub=sim.subscription_id)
    _fail_the_update(sim, factory, plan, status=412, code="PreconditionFailed", message="The etag does not match.",
                     times=5)
    result, journal, _ = run(factory, plan, tmp_path)
    assert result.states["metrics-on"] == "failed"
    assert "changed in Azure after the plan read it" in result.errors["metrics-on"].what
    assert [e["event"] for e in journal.events() if e.get("step") == "metrics-on"] == [
        "configure-requested", "configure-requested", "configure-requested", "configure-failed"]
    assert len(_cluster_puts(sim)) == 4  # the create, and the three tries, each refused
    assert sim.get(plan.step("aks").resource_id)["properties"]["azureMonitorProfile"]["metrics"]["enabled"] is False


# ------------------------------------------------------------------------------------ exports


def test_the_az_export_lets_az_make_them_with_azwizards_workspace() -> None:
    plan = plan_of()
    cmds = az_commands(plan)
    names = [" ".join(c[1:3]) for c in cmds]
    assert names.index("monitor account") < names.index("aks create")
    create = next(c for c in cmds if c[1:3] == ["aks", "create"])
    assert "--enable-azure-monitor-metrics" in create
    flag = "--azure-monitor-workspace-resource-id"
    given = [w.split("=", 1)[1] if "=" in w else create[i + 1] for i, w in enumerate(create) if w.startswith(flag)]
    assert given == [plan.step("amw").resource_id]
    ex = export(plan)
    assert not any(sc.generic for sc in ex.steps), [sc.notes for sc in ex.steps if sc.generic]
    for key in ("dce", "dcr", "dcra", "metrics-on"):
        sc = next(sc for sc in ex.steps if sc.step.key == key)
        assert sc.commands == () and any("--enable-azure-monitor-metrics" in n for n in sc.notes)


def test_the_az_export_links_only_a_workspace_made_before_the_cluster() -> None:
    """Without a workspace in the plan, az aks create --enable-azure-monitor-metrics makes its default one (no
    workspace flag); a workspace the plan makes after the cluster cannot be linked by it: the exact body."""
    from dataclasses import replace

    plan = plan_of()
    alone = replace(plan, steps=tuple(s for s in plan.steps if s.key in ("rg", "aks")))
    create = next(c for c in az_commands(alone) if c[1:3] == ["aks", "create"])
    assert "--enable-azure-monitor-metrics" in create
    assert not [w for w in create if w.startswith("--azure-monitor-workspace-resource-id")]
    late = replace(plan, steps=tuple(replace(s, depends_on=(*s.depends_on, "aks")) if s.key == "amw" else s
                                     for s in plan.steps))
    sc = next(sc for sc in export(late).steps if sc.step.key == "aks")
    assert sc.generic and sc.notes[0].startswith("az cannot express an Azure Monitor workspace created after")


def test_the_arm_template_turns_the_metrics_on_in_a_nested_deployment() -> None:
    template = arm_template(plan_of())
    types = [r["type"] for r in template["resources"]]
    assert types.count("Microsoft.ContainerService/managedClusters") == 1
    nested = [r for r in template["resources"] if r["type"] == "Microsoft.Resources/deployments"]
    assert len(nested) == 1
    [inner] = nested[0]["properties"]["template"]["resources"]
    assert inner["type"] == "Microsoft.ContainerService/managedClusters"
    assert inner["properties"]["azureMonitorProfile"]["metrics"]["enabled"] is True
    assert inner["properties"]["agentPoolProfiles"], "the whole cluster, as the runner's read-modify-write sends it"
    assert any("dataCollectionRuleAssociations" in d for d in nested[0]["dependsOn"])


def test_cleanup_finds_and_deletes_what_the_run_made(sim: ArmSim, factory: ClientFactory, tmp_path: Path) -> None:
    from azwizard.cleanup import Deleter, JournalBook, build_inventory, default_selection, plan_deletion

    plan = plan_of(sub=sim.subscription_id)
    result, _, _ = run(factory, plan, tmp_path)
    assert result.ok, result.errors
    inv = build_inventory(factory, journal_dir=tmp_path)
    found = {it.id.lower() for it in inv.items}
    for key in ("amw", "dce", "dcr", "dcra"):
        assert plan.step(key).resource_id.lower() in found, key
    # priced as what they are: no standing charge (usage only), never "not in the price list"
    for it in inv.items:
        if it.id.lower() in {plan.step(k).resource_id.lower() for k in ("amw", "dce", "dcr")}:
            assert it.cost is not None and it.cost.known and it.cost.hourly == 0, (it.name, it.cost)
            assert "billed per sample" in it.cost.parts[0].note
    deletion = plan_deletion(inv, default_selection(inv, run_id="r1"))
    assert not deletion.blockers, deletion.blockers
    # the rule waits for the cluster (its association, which goes with the cluster, names the rule): an order the
    # plan keeps, not one that holds only when the cluster's delete happens to start first
    ops = {op.type.lower(): op for op in deletion.ops}
    assert ops["microsoft.containerservice/managedclusters"].key in ops["microsoft.insights/datacollectionrules"].after
    done = Deleter(factory, JournalBook(tmp_path), None, poll_interval=0.01, retry_delay=0).run(
        deletion, confirm=deletion.confirmation())
    assert done.ok, done.report()
    for step in plan.steps:
        assert sim.get(step.resource_id) is None, step.key
    # the association is an extension resource of the cluster and goes with it; the rule goes after the cluster and
    # before the endpoint and the workspace it names; the group last
    gone = [r.path.lower() for r in sim.requests if r.method == "DELETE"]

    def first(part: str) -> int:
        return next(i for i, p in enumerate(gone) if part in p)

    assert first("managedclusters/mon") < first("datacollectionrules/") < first("datacollectionendpoints/")
    assert first("datacollectionrules/") < first("microsoft.monitor/accounts/") < len(gone) - 1
    assert gone[-1].endswith("/resourcegroups/mon-rg")


def test_the_az_export_reads_back_and_another_workspace_is_reported() -> None:
    from azwizard.specs.azcli import read_aks, split_commands

    plan = plan_of()
    read = read_aks(az_commands(plan), subscription_id=SUB)
    assert read.unknown == () and read.spec.operations.monitor_metrics
    other = ("az aks create -g mon-RG -n mon --enable-azure-monitor-metrics --azure-monitor-workspace-resource-id "
             f"/subscriptions/{SUB}/resourceGroups/shared/providers/Microsoft.Monitor/accounts/team")
    got = read_aks(split_commands([other]), subscription_id=SUB)
    assert got.spec.operations.monitor_metrics
    assert [u for u in got.unknown if "--azure-monitor-workspace-resource-id" in u and "not used" in u]


def test_a_rerun_after_a_failed_association_finishes_without_asking(sim: ArmSim, factory: ClientFactory,
                                                                     tmp_path: Path) -> None:
    """The association fails: the metrics stay off and the rerun (same run id, with the preflight's diff, as both
    front ends do) sends only what is missing, the read-modify-write included, and asks for no update consent."""
    from azwizard.run.preflight import read_plan

    plan = plan_of(sub=sim.subscription_id)
    sim.faults.error("PUT", r"/dataCollectionRuleAssociations/", status=400, code="InvalidPayload",
                     message="The data collection rule is not valid.")
    first, _, _ = run(factory, plan, tmp_path)
    assert first.states["dcra"] == "failed" and first.states["metrics-on"] == "skipped"
    assert sim.get(plan.step("aks").resource_id)["properties"]["azureMonitorProfile"]["metrics"]["enabled"] is False
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    assert not diff.conflicts and not diff.unknown, [(e.key, e.reason, e.refused, e.changes) for e in diff.conflicts]
    assert not diff.updates, [(e.key, e.changes) for e in diff.updates]
    assert {e.key: e.action for e in diff.entries}["aks"] == "unchanged"
    assert {e.key: e.action for e in diff.entries}["metrics-on"] == "create"  # part of this run: no yes needed
    events: list[StepEvent] = []
    again = Runner(factory, Journal(plan.run_id, "aks", directory=tmp_path), poll_interval=0.01,
                   on_event=events.append).run(plan, diff=diff)
    assert again.ok, again.errors
    assert again.states["aks"] == "existing" and again.states["metrics-on"] == "succeeded"
    assert sim.get(plan.step("aks").resource_id)["properties"]["azureMonitorProfile"]["metrics"]["enabled"] is True


def test_the_json_plan_says_the_update_is_a_change_of_the_cluster() -> None:
    from azwizard.headless.review import step_dict

    plan = plan_of()
    assert step_dict(plan.step("metrics-on"))["patch_of"] == "aks"
    assert "patch_of" not in step_dict(plan.step("aks"))


def test_a_rule_is_deleted_before_the_endpoint_and_workspace_it_uses() -> None:
    from azwizard.cleanup.refs import references

    plan = plan_of()
    dcr = {"id": plan.step("dcr").resource_id, **plan.step("dcr").body}
    uses = {u.lower() for u in references("Microsoft.Insights/dataCollectionRules", dcr).uses}
    assert uses == {plan.step("dce").resource_id.lower(), plan.step("amw").resource_id.lower()}


def test_someone_elses_cluster_of_that_name_is_never_turned_on(sim: ArmSim, factory: ClientFactory,
                                                                tmp_path: Path) -> None:
    """The read-modify-write is only for the cluster this run made: a cluster of the same name that another run
    (another machine's: not in this journal) made is a conflict in the diff, and neither the cluster nor its
    metrics are sent; nothing of it changes."""
    from azwizard.run.preflight import read_plan

    theirs = plan_aks(SPEC.with_(operations=OperationsSpec(monitor_metrics=False)), subscription_id=sim.subscription_id,
                      run_id="r0", created_at="t")
    made, _, _ = run(factory, theirs, tmp_path / "elsewhere")
    assert made.ok, made.errors
    cluster_id = theirs.step("aks").resource_id
    before = sim.get(cluster_id)
    puts = len([r for r in sim.requests if r.method == "PUT"])

    plan = plan_of(sub=sim.subscription_id)
    diff = read_plan(factory, plan, journal_dir=tmp_path)
    assert "aks" in {e.key for e in diff.conflicts}
    result = Runner(factory, Journal(plan.run_id, "aks", directory=tmp_path), poll_interval=0.01).run(plan, diff=diff)
    assert not result.ok and result.states["aks"] != "succeeded" and result.states["metrics-on"] != "succeeded"
    sent = [r for r in sim.requests[puts:] if r.method == "PUT" and "managedclusters/mon" in r.path.lower()]
    assert sent == [] and sim.get(cluster_id) == before



def test_a_cluster_re_made_by_someone_after_this_run_made_it_is_not_turned_on(sim: ArmSim, factory: ClientFactory,
                                                                              tmp_path: Path) -> None:
    """The read-modify-write re-checks what it read: the cluster this run made, deleted and made again by someone
    else before the metrics step (another resourceUID: run/identity.py), is theirs; the metrics update is refused
    and nothing is sent to it."""
    plan = plan_of(sub=sim.subscription_id)
    cluster_id = plan.step("aks").resource_id
    theirs: list[dict[str, Any]] = []

    def replace_cluster(ev: StepEvent) -> None:
        if ev.key == "aks" and ev.state == "succeeded":
            body = sim.get(cluster_id)
            assert body is not None
            body["properties"]["resourceUID"] = "someone-elses-0000"
            body["identity"]["principalId"] = "00000000-0000-0000-0000-00000000beef"
            sim.save(cluster_id, body)
            theirs.append(body)

    journal = Journal(plan.run_id, "aks", directory=tmp_path)
    puts = len(sim.requests)
    result = Runner(factory, journal, poll_interval=0.01, on_event=replace_cluster).run(plan)
    assert theirs and result.states["aks"] == "succeeded" and result.states["metrics-on"] == "failed"
    assert "re-created since this run made it: resourceUID differs" in result.errors["metrics-on"].what
    sent = [r for r in sim.requests[puts:] if r.method == "PUT" and r.path.lower() == cluster_id.lower()]
    assert len(sent) == 1  # the create; the metrics update never went
    assert sim.get(cluster_id) == theirs[0]
    assert any(e.get("event") == "configure-skipped" and e.get("step") == "metrics-on" for e in journal.events())
