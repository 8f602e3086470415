"""The AKS journey end to end in demo mode, driven with the keyboard through Textual's Pilot: the "dev
dual-stack" preset to a created cluster, the managedCluster PUT body the simulator received, the kubeconfig
written on the last screen (and the confirmation before replacing an entry), and the steps' own checks."""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from azwizard.screens.aks.access import AccessStep
from azwizard.screens.aks.done import AksDoneScreen, ConfirmOverwrite
from azwizard.screens.aks.journey import DEMO_PUBLIC_IPV4
from azwizard.screens.aks.network import NetworkStep
from azwizard.screens.aks.pools import NodePoolStep
from azwizard.screens.aks.steps import BasicsStep, PresetStep
from azwizard.screens.app import AzWizardApp
from azwizard.screens.help import HelpScreen
from azwizard.screens.home import HomeScreen
from azwizard.screens.review import CreateScreen, ReviewStep
from tui_helpers import aks_dev_journey, open_steps, wait_until, workers_done

from azwizard.azure.session import AzureSession
from azwizard.demo import open_demo_session
from azwizard.sim import INSTANT, ArmSim

SIZE = (130, 44)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own data dir: the demo kubeconfig is written there."""
    monkeypatch.setenv("AZWIZARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def demo(tmp_path: Path, scale: float = 0.0) -> tuple[AzWizardApp, dict[str, ArmSim]]:
    """The app on a fresh simulated subscription; ``scale`` > 0: operations take that share of Azure's time."""
    from azwizard.sim import LatencyProfile

    holder: dict[str, ArmSim] = {}

    def connect() -> AzureSession:
        d = open_demo_session(state_file=tmp_path / "state.json",
                              latency=LatencyProfile(scale=scale) if scale else INSTANT)
        holder["sim"] = d.sim
        return d.session

    return AzWizardApp(connect, demo=True), holder


async def settle(app: AzWizardApp, pilot: Any) -> None:
    for _ in range(3):
        await workers_done(app)
        await pilot.pause()


async def next_step(app: AzWizardApp, pilot: Any, expected: type) -> None:
    await pilot.press("ctrl+n")
    await settle(app, pilot)
    assert isinstance(app.screen, expected), type(app.screen)


async def open_journey(app: AzWizardApp, pilot: Any) -> None:
    await settle(app, pilot)
    await pilot.press("k")
    await settle(app, pilot)
    assert isinstance(app.screen, BasicsStep)


async def walk_dev_preset_to_review(app: AzWizardApp, pilot: Any) -> None:
    await open_journey(app, pilot)
    await next_step(app, pilot, PresetStep)
    await pilot.press("enter")  # the highlighted preset: dev dual-stack
    await settle(app, pilot)
    await next_step(app, pilot, NodePoolStep)
    await next_step(app, pilot, NetworkStep)
    await next_step(app, pilot, AccessStep)
    await pilot.press("ctrl+t")  # add my public IPv4 (simulated in demo mode)
    await settle(app, pilot)
    await next_step(app, pilot, ReviewStep)


def cluster_put(sim: ArmSim, name: str) -> dict[str, Any]:
    reqs = [r for r in sim.requests if r.method == "PUT" and r.path.lower().endswith(f"/managedclusters/{name}")]
    assert reqs, "no managedCluster PUT"
    return reqs[-1].body


async def test_dev_dual_stack_preset_to_a_created_cluster(tmp_path: Path, data_dir: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await walk_dev_preset_to_review(app, pilot)
        journey = app.journeys["aks"]
        assert journey.preset == "dev"
        assert not journey.blocking, [f.message for f in journey.blocking]
        assert not [f for f in journey.findings if f.severity == "warn"], [f.message for f in journey.findings]
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, AksDoneScreen), type(app.screen)
        await settle(app, pilot)
        status = str(app.screen.query_one("#kube-status").render())
        assert "Merged into" in status and "aks-dev" in status
        commands = app.screen.query_one("#done-commands").text
        assert "kubectl get nodes -o wide" in commands
        assert "kubectl -n kube-system exec ds/cilium -- cilium status" in commands
        assert "cilium-health status" in commands
        cost = " ".join(str(w.render()) for w in app.screen.query("#done-cost Static"))
        assert "az aks stop --resource-group=aks-dev-RG --name=aks-dev" in cost and "15–30 minutes" in cost
        await pilot.press("g")  # the same credentials again: nothing to change, no rewrite
        await settle(app, pilot)
        assert "already has these credentials" in str(app.screen.query_one("#kube-status").render())
    body = cluster_put(holder["sim"], "aks-dev")
    props = body["properties"]
    net = props["networkProfile"]
    assert (net["networkPlugin"], net["networkPluginMode"], net["networkDataplane"]) == ("azure", "overlay", "cilium")
    assert net["networkPolicy"] == "cilium"
    assert net["ipFamilies"] == ["IPv4", "IPv6"]
    assert [ipaddress.ip_network(c).version for c in net["podCidrs"]] == [4, 6]
    assert net["podCidrs"][0] == "10.244.0.0/16" and ipaddress.ip_network(net["podCidrs"][1]).prefixlen == 64
    assert net["serviceCidrs"][0] == "10.96.0.0/16" and ipaddress.ip_network(net["serviceCidrs"][1]).prefixlen == 108
    assert net["loadBalancerSku"] == "standard" and net["outboundType"] == "loadBalancer"
    (pool,) = props["agentPoolProfiles"]
    assert (pool["mode"], pool["count"], pool["osSKU"], pool["type"]) == (
        "System", 3, "AzureLinux", "VirtualMachineScaleSets")
    assert pool["vmSize"] == "Standard_D2s_v5"
    assert body["sku"] == {"name": "Base", "tier": "Free"}
    assert props["apiServerAccessProfile"]["authorizedIPRanges"] == [f"{DEMO_PUBLIC_IPV4}/32"]
    assert body["tags"]["created-by"] == "azwizard" and body["tags"]["azwizard-run"] == journey.run_id
    # the demo kubeconfig: under the data dir, 0600, context named after the cluster and current
    path = data_dir / "demo" / "kube" / "config"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = yaml.safe_load(path.read_text())
    assert config["current-context"] == "aks-dev"
    assert [c["name"] for c in config["contexts"]] == ["aks-dev"]
    assert not list(path.parent.glob("config.bak-*"))


async def test_existing_kubeconfig_keeps_other_contexts_and_asks_before_overwriting(
        tmp_path: Path, data_dir: Path) -> None:
    path = data_dir / "demo" / "kube" / "config"
    path.parent.mkdir(parents=True)
    other = {"apiVersion": "v1", "kind": "Config", "current-context": "kind",
             "clusters": [{"name": "kind", "cluster": {"server": "https://127.0.0.1:6443"}},
                          {"name": "aks-dev", "cluster": {"server": "https://old.example:443"}}],
             "contexts": [{"name": "kind", "context": {"cluster": "kind", "user": "kind"}}],
             "users": [{"name": "kind", "user": {"token": "t"}}]}
    path.write_text(yaml.safe_dump(other))
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_steps(app, pilot, "aks", ReviewStep, journey=aks_dev_journey())
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmOverwrite), type(app.screen)  # a different 'aks-dev' cluster exists
        await pilot.press("n")  # keep mine: nothing written
        await settle(app, pilot)
        assert isinstance(app.screen, AksDoneScreen)
        assert yaml.safe_load(path.read_text()) == other
        assert "unchanged" in str(app.screen.query_one("#kube-status").render())
        await pilot.press("g")  # get the credentials again, and this time overwrite
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Merged into" in str(app.screen.query_one("#kube-status").render())
    merged = yaml.safe_load(path.read_text())
    assert [c["name"] for c in merged["clusters"]] == ["kind", "aks-dev"]
    assert merged["clusters"][1]["cluster"]["server"] != "https://old.example:443"
    assert [c["name"] for c in merged["contexts"]] == ["kind", "aks-dev"]
    assert merged["users"][0] == other["users"][0]
    assert merged["current-context"] == "aks-dev"
    backups = list(path.parent.glob("config.bak-*"))
    assert len(backups) == 1 and yaml.safe_load(backups[0].read_text()) == other
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_create_shows_elapsed_time_while_the_cluster_is_built(tmp_path: Path) -> None:
    """While AKS works, the create screen keeps ticking (elapsed time, what is running)."""
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_steps(app, pilot, "aks", ReviewStep, journey=aks_dev_journey())
        sim = holder["sim"]
        sim.min_polls = 10**9  # the cluster is being built until the test lets it finish (sim/core.py time model)
        sim.unwatched_after = 10**9
        await pilot.press("c")

        def status() -> str:
            return str(app.screen.query_one("#create-status").render()) if isinstance(app.screen, CreateScreen) else ""

        await wait_until(pilot, lambda: "AKS cluster aks-dev" in status(), what="the cluster shown as running")
        assert "elapsed" in status()
        for op in sim.ops.values():
            op.min_progress = 0
        await wait_until(pilot, lambda: isinstance(app.screen, AksDoneScreen), what="the done screen")
        await settle(app, pilot)  # its widgets mounted (and its kubeconfig written) before the app closes


async def test_presets_fill_the_later_steps(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journey(app, pilot)
        await next_step(app, pilot, PresetStep)
        journey = app.journeys["aks"]
        await pilot.press("down", "enter")  # production dual-stack
        await settle(app, pilot)
        spec = journey.spec
        assert journey.preset == "prod" and spec.tier == "standard"
        assert spec.system_pool.vm_size == "Standard_D4ds_v5" and spec.system_pool.os_disk_type == "Ephemeral"
        assert spec.system_pool.zones == ("1", "2", "3")
        assert [p.name for p in spec.user_pools] == ["apps"]
        assert spec.cluster_name == "aks-dev"  # the basics are kept
        assert not journey.blocking, [f.message for f in journey.blocking]
        await pilot.press("down", "enter")  # plain IPv4
        await settle(app, pilot)
        assert journey.spec.network.ip_families == ("IPv4",) and not journey.spec.user_pools
        assert not journey.blocking
        await next_step(app, pilot, NodePoolStep)
        # the pool step shows what the preset chose
        assert "Standard_D2s_v5" in str(app.screen.query_one("#size-label").render())


async def test_unzoned_region_drops_the_presets_zones(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journey(app, pilot)
        app.screen.query_one("#location").value = "norwaywest"
        await settle(app, pilot)
        journey = app.journeys["aks"]
        assert journey.spec.location == "norwaywest" and journey.region_facts.region.name == "norwaywest"
        await next_step(app, pilot, PresetStep)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert journey.spec.system_pool.zones == ()
        await next_step(app, pilot, NodePoolStep)
        zones = app.screen.query_one("#system_pool-zones")
        assert [v for _, v in zones._options] == [""]  # only "no zones" is offered


async def test_basics_derive_names_and_mark_versions(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journey(app, pilot)
        journey = app.journeys["aks"]
        sub = journey.subscription_id
        assert app.screen.query_one("#dns_prefix").value == f"aks-dev-aks-dev-RG-{sub[:6]}"
        app.screen.query_one("#cluster_name").value = "web"
        await pilot.pause()
        assert journey.spec.resource_group == "web-RG"
        assert app.screen.query_one("#dns_prefix").value == f"web-web-RG-{sub[:6]}"
        assert journey.spec.dns_prefix == ""  # still derived
        app.screen.query_one("#dns_prefix").value = "myweb"
        await pilot.pause()
        assert journey.spec.dns_prefix == "myweb"
        versions = app.screen.query_one("#kubernetes_version")
        from textual.widgets._select import SelectCurrent

        shown = str(versions.query_one(SelectCurrent).query_one("#label").render())
        assert shown.startswith("Region default — 1.34"), shown  # not "(reading the versions offered…)"
        labels = {v: str(label) for label, v in versions._options}
        assert "default" in labels[""] and "the API's default" in labels["1.34"]
        assert "preview" in labels["1.36"] and "LTS only" in labels["1.30"]
        versions.value = "1.30"
        await pilot.pause()
        assert "aks-k8s-version" in {f.rule_id for f in journey.blocking}
        app.screen.query_one("#tier").value = "premium"
        await pilot.pause()
        assert journey.spec.support_plan == "AKSLongTermSupport"
        assert "aks-k8s-version" not in {f.rule_id for f in journey.blocking}


async def test_networking_offers_only_valid_combinations(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steps(app, pilot, "aks", NetworkStep)
        journey = app.journeys["aks"]

        def values(wid: str) -> list[str]:
            return [v for _, v in screen.query_one(wid)._options]

        assert values("#network-policy") == ["cilium"]  # Cilium's dataplane enforces policies itself
        assert "managedNATGateway" not in values("#network-outbound_type")  # NAT gateway is IPv4-only
        screen.query_one("#network-plugin").value = "overlay"
        await pilot.pause()
        assert journey.spec.network.policy == "none" and values("#network-policy") == ["none"]
        screen.query_one("#network-plugin").value = "cni"
        await pilot.pause()
        # traditional CNI is IPv4-only: the dual-stack choice is kept and blocks (issue 19 item 4) until IPv4 only
        assert journey.spec.network.ip_families == ("IPv4", "IPv6")
        assert "aks-dual-stack-plugin" in {f.rule_id for f in journey.blocking}
        screen.query_one("#network-ip_families").value = "v4"
        await pilot.pause()
        assert values("#network-ip_families") == ["v4"]
        assert values("#network-policy") == ["none", "azure", "calico"]
        assert "managedNATGateway" in values("#network-outbound_type")
        assert not screen.query_one("#pod-cidrs").display  # pods take VNet addresses: no pod CIDRs
        screen.query_one("#network-plugin").value = "overlay-cilium"
        await pilot.pause()
        screen.query_one("#network-ip_families").value = "dual"
        await pilot.pause()
        assert journey.spec.network.dual_stack and len(journey.spec.network.service_cidrs) == 2
        assert not journey.blocking, [f.message for f in journey.blocking]
        before = journey.spec.network
        screen.query_one("#network-service_cidrs").value = "10.96.0.0/33"
        await pilot.pause()
        assert journey.spec.network == before  # bad input changes nothing
        assert "not a valid IPv4 network" in str(screen.query_one("#network-service_cidrs-error").render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NetworkStep)  # refused while a field is invalid
        screen.query_one("#network-service_cidrs").value = "10.244.0.0/16"  # the pods' range
        await pilot.pause()
        assert "aks-cidr-overlap" in {f.rule_id for f in journey.blocking}


async def test_node_pools_add_and_remove_with_name_rules(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steps(app, pilot, "aks", NodePoolStep)
        journey = app.journeys["aks"]
        # D2s_v5 has no local disk: no ephemeral OS disk offered
        assert [v for _, v in screen.query_one("#system_pool-os_disk_type")._options] == ["Managed"]
        screen.query_one("#size-filter").value = "b2als"
        await pilot.pause()
        table = screen.query_one("#size")
        assert table.row_count >= 1 and "burstable" in str(table.get_row_at(0)[3])
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert journey.spec.system_pool.vm_size == "Standard_B2als_v2"
        assert "burstable" in str(screen.query_one("#size-note").render())
        assert "aks-system-pool-size" in {f.rule_id for f in journey.findings if f.severity == "warn"}
        screen.query_one("#size-filter").value = "d4ds_v5"
        await pilot.pause()
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        assert journey.spec.system_pool.vm_size == "Standard_D4ds_v5"
        assert "Ephemeral" in [v for _, v in screen.query_one("#system_pool-os_disk_type")._options]
        screen.query_one("#system_pool-count").value = "1"
        await pilot.pause()
        assert "aks-pool-counts" not in {f.rule_id for f in journey.blocking}  # the quickstart's 1 node: a warning
        assert "aks-pool-counts" in {f.rule_id for f in journey.findings if f.severity == "warn"}
        screen.query_one("#system_pool-count").value = "3"
        for wid, value in (("pool-name", "Apps"), ("pool-count", "2")):
            screen.query_one(f"#{wid}").value = value
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert journey.spec.user_pools == ()  # upper case: refused, nothing added
        assert "lower-case" in str(screen.query_one("#pool-error").render())
        screen.query_one("#pool-name").value = "apps"
        screen.query_one("#pool-count").value = "2"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert [(p.name, p.mode, p.count) for p in journey.spec.user_pools] == [("apps", "User", 2)]
        screen.query_one("#pool-name").value = "win1234"
        screen.query_one("#pool-os").value = "Windows"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "at most 6" in str(screen.query_one("#pool-error").render())
        screen.query_one("#user_pools").focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert journey.spec.user_pools == ()
        assert journey.preset == "custom"


async def test_access_ranges_and_registry_checks(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steps(app, pilot, "aks", AccessStep)
        journey = app.journeys["aks"]
        field = screen.query_one("#range-input")
        field.value = "2001:db8::/32"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert journey.spec.authorized_ip_ranges == ()
        assert "IPv4 only" in str(screen.query_one("#range-input-error").render())
        field.value = "20.50.1.7"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert journey.spec.authorized_ip_ranges == ("20.50.1.7/32",)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert journey.spec.authorized_ip_ranges == ("20.50.1.7/32", f"{DEMO_PUBLIC_IPV4}/32")
        assert "simulated" in str(screen.query_one("#authorized_ip_ranges").get_row_at(1)[2])
        # a new registry: its name is checked with Azure, and a taken one blocks
        holder["sim"].extra["acr_taken_names"] = ["takenacr2026"]
        screen.query_one("#acr-mode").value = "create"
        # the name is checked once typing has paused (a timer), then in a worker
        await wait_until(pilot, lambda: journey.acr_name_checked == journey.spec.acr.name != "", what="the check")
        await settle(app, pilot)
        assert journey.spec.acr.mode == "create" and journey.acr_name_available is True
        assert "is available" in str(screen.query_one("#acr-name-note").render())
        screen.query_one("#acr-name").value = "takenacr2026"
        await wait_until(pilot, lambda: journey.acr_name_checked == "takenacr2026", what="the name's check")
        await settle(app, pilot)
        assert journey.acr_name_available is False
        assert "aks-name-acr" in {f.rule_id for f in journey.blocking}
        assert "Owner" in str(screen.query_one("#acr-rights-note").render())  # new group: rights can't be read
        assert journey.can_assign_roles is None
        names = [r for r in holder["sim"].requests if r.path.lower().endswith("/checknameavailability")]
        assert names and names[-1].body["name"] == "takenacr2026"


async def test_attach_existing_registry_reads_the_role_assignment_rights(tmp_path: Path) -> None:
    from azwizard.plan.aks import plan_aks
    from azwizard.specs.aks import AcrSpec, preset_dev_dual_stack

    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sim = holder["sim"]
        # a registry made beforehand, as the notes' optional first step does
        pre = preset_dev_dual_stack("other").with_(acr=AcrSpec("create", "sharedacr2026"))
        factory = app.session.factory
        plan = plan_aks(pre, subscription_id=sim.subscription_id, run_id="r", created_at="t")
        factory.resources().resource_groups.create_or_update("other-RG", dict(plan.step("rg").body))
        factory.containerregistry().registries.begin_create("other-RG", "sharedacr2026",
                                                            dict(plan.step("acr").body)).result()
        sim.extra["caller_role"] = "Contributor"  # may create resources, not role assignments
        await open_steps(app, pilot, "aks", AccessStep)
        journey = app.journeys["aks"]
        app.screen.query_one("#acr-mode").value = "attach"
        await settle(app, pilot)
        registry = app.screen.query_one("#acr-existing_id")
        ids = [v for _, v in registry._options if isinstance(v, str)]
        assert any(i.endswith("/registries/sharedacr2026") for i in ids)
        registry.value = next(i for i in ids if i.endswith("/sharedacr2026"))
        await settle(app, pilot)
        assert journey.spec.acr.existing_id.endswith("/sharedacr2026")
        assert journey.can_assign_roles is False
        assert "aks-acr" in {f.rule_id for f in journey.blocking}
        assert "can't create role assignments" in str(app.screen.query_one("#acr-rights-note").render())


async def test_keys_in_footer_and_help(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_steps(app, pilot, "aks", AccessStep)
        app.screen.query_one("#authorized_ip_ranges").focus()  # in an input, "?" is just a character
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys").render())
        for line in ("ctrl+o  Add range", "ctrl+r  Remove range", "ctrl+t  Add my public IPv4"):
            assert line in text, text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccessStep)
        footer = {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"Next", "Back", "Add range", "Remove range", "Add my public IPv4"} <= footer


async def test_back_to_home_and_review_jumps_to_a_blocking_field(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_steps(app, pilot, "aks", ReviewStep, journey=aks_dev_journey(), under=(NetworkStep,))
        journey = app.journeys["aks"]
        journey.set("network.service_cidrs", ("10.96.0.0/16", "fd00::/64"))  # IPv6 service CIDR too large
        await pilot.pause()
        assert journey.blocking
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)  # Create refused
        first_block = next(i for i, f in enumerate(journey.findings) if f.severity == "block")
        options = app.screen.query_one("#review-findings")
        options.highlighted = first_block
        options.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NetworkStep)
        assert app.focused is not None and app.focused.id == "network-service_cidrs"
        for _ in range(5):
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert not any(r.method == "PUT" for r in holder["sim"].requests)


async def test_every_finding_of_the_seed_command_jumps_to_a_field(tmp_path: Path) -> None:
    """The notes' own `az aks create` command, loaded as a spec: the review lists its problems, and each
    finding with a field leads to a widget on the step that edits it."""
    from azwizard.screens.aks import AKS_FORM_STEPS
    from azwizard.screens.aks.journey import AksJourney

    from azwizard.specs.aks import spec_from_seed_command

    app, _ = demo(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_steps(app, pilot, "aks", ReviewStep, journey=AksJourney(spec_from_seed_command()),
                         under=AKS_FORM_STEPS)
        journey = app.journeys["aks"]
        rules = {f.rule_id for f in journey.findings}
        # the placeholder range, the version not offered, the B-series system pool
        assert {"aks-authorized-ranges", "aks-k8s-version", "aks-system-pool-size"} <= rules, rules
        flow = app.screen.flow
        checked = 0
        for finding in journey.findings:
            if not finding.field:
                continue
            target = flow.step_for_field(finding.field)
            assert target is not None, finding.field
            screen = next(s for s in app.screen_stack if isinstance(s, target))
            screen.set_focus(None)
            screen.focus_field(finding.field)
            await pilot.pause()
            assert screen.focused is not None, (finding.rule_id, finding.field)
            checked += 1
        assert checked >= 5


async def test_a_field_error_is_shown_whole(tmp_path: Path) -> None:
    """A long error wraps inside the form instead of being cut ("at most 12 characte", issue 12 item 7)."""
    app, _ = demo(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_journey(app, pilot)
        await next_step(app, pilot, PresetStep)
        await next_step(app, pilot, NodePoolStep)
        app.screen.query_one("#system_pool-name").value = "Nodepool-number-1"
        await pilot.pause()
        err = app.screen.query_one("#system_pool-name-error")
        assert "at most 12 characters for a Linux pool" in str(err.render())
        form = app.screen.query_one(".wizard-form")
        assert err.region.right <= form.region.right and err.size.height >= 2  # wrapped, not cut
