"""The VM journey end to end in demo mode, driven with the keyboard through Textual's Pilot: every step,
the review, the create, and the request bodies the simulator received."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from azwizard.screens.app import AzWizardApp
from azwizard.screens.review import CreateScreen, ReviewStep
from azwizard.screens.vm import VM_FLOW
from azwizard.screens.vm.done import VmDoneScreen
from azwizard.screens.vm.steps import BasicsStep, NetworkStep, NsgStep, PublicIpStep, VmDetailsStep
from tui_helpers import open_steps, vm_journey, workers_done

from azwizard.azure.session import AzureSession
from azwizard.demo import open_demo_session
from azwizard.myip import DEMO_ADDRESS
from azwizard.sim import INSTANT, ArmSim


def demo(tmp_path: Path) -> tuple[AzWizardApp, dict[str, ArmSim]]:
    holder: dict[str, ArmSim] = {}

    def connect() -> AzureSession:
        d = open_demo_session(state_file=tmp_path / "state.json", latency=INSTANT)
        holder["sim"] = d.sim
        return d.session

    return AzWizardApp(connect, demo=True), holder


async def settle(app: AzWizardApp, pilot: Any) -> None:
    for _ in range(3):
        await workers_done(app)
        await pilot.pause()


async def open_step(app: AzWizardApp, pilot: Any, steps: int = 0) -> None:
    """Open the VM journey (v) and go ``steps`` steps on with ctrl+n (5: basics -> ... -> the VM step)."""
    await settle(app, pilot)
    await pilot.press("v")
    await settle(app, pilot)
    assert isinstance(app.screen, BasicsStep)
    for _ in range(steps):
        await pilot.press("ctrl+n")
        await settle(app, pilot)


async def walk_to_review(app: AzWizardApp, pilot: Any) -> None:
    await open_step(app, pilot, 5)  # basics -> network -> public IPs -> NAT -> NSG -> VM
    assert isinstance(app.screen, VmDetailsStep)
    await pilot.press("ctrl+g")  # generate an SSH key pair (demo: in the data dir, 0600)
    await settle(app, pilot)
    for _ in range(3):  # VM -> backup -> cloud-init -> review
        await pilot.press("ctrl+n")
        await settle(app, pilot)
    assert isinstance(app.screen, ReviewStep)


def body(sim: ArmSim, fragment: str) -> dict[str, Any]:
    reqs = [r for r in sim.requests if r.method == "PUT" and r.path.lower().endswith(fragment.lower())]
    assert reqs, f"no PUT to {fragment}"
    return reqs[-1].body


async def test_walk_the_journey_with_the_keyboard_and_create_everything(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await walk_to_review(app, pilot)
        journey = app.journeys["vm"]
        assert not journey.blocking, [f.message for f in journey.blocking]
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, VmDoneScreen), type(app.screen)
        text = str(app.screen.query_one("#done-text").render())
        text = text.replace(" \\\n    ", " ")  # a long command is split with a line continuation
        assert "ssh -i " in text and "_ed25519 azureuser@" in text  # the generated key, named
        await pilot.press("h")  # home, then a new VM journey starts fresh
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, BasicsStep)
        assert app.journeys["vm"] is not journey
    sim = holder["sim"]
    run_tag = journey.run_id
    for kind in ("IPv4", "IPv6"):
        pip = body(sim, f"/publicIPAddresses/Yolo-{kind}")
        assert pip["sku"]["name"] == "Standard"
        assert pip["properties"]["publicIPAllocationMethod"] == "Static"
        assert pip["properties"]["publicIPAddressVersion"] == kind
        assert sorted(pip["zones"]) == ["1", "2", "3"]  # norwayeast has zones
        assert pip["tags"]["azwizard-run"] == run_tag
    vnet = body(sim, "/virtualNetworks/Yolo-VNet")
    prefixes = vnet["properties"]["subnets"][0]["properties"]["addressPrefixes"]
    assert prefixes[0] == "10.0.0.0/24" and ipaddress.IPv6Network(prefixes[1]).prefixlen == 64
    assert vnet["properties"]["subnets"][0]["properties"]["networkSecurityGroup"]["id"].endswith("/Yolo-NSG")
    nic = body(sim, "/networkInterfaces/Yolo-NIC")
    assert "networkSecurityGroup" not in nic["properties"]
    c1, c2 = nic["properties"]["ipConfigurations"]
    assert (c1["name"], c1["properties"]["primary"], c1["properties"]["privateIPAddressVersion"]) == (
        "ipconfig1", True, "IPv4")
    assert c1["properties"]["publicIPAddress"]["id"].endswith("/Yolo-IPv4")
    assert (c2["name"], c2["properties"]["privateIPAddressVersion"]) == ("ipconfig2", "IPv6")
    assert c2["properties"]["publicIPAddress"]["id"].endswith("/Yolo-IPv6")
    vm = body(sim, "/virtualMachines/Yolo-VM")
    assert vm["properties"]["storageProfile"]["osDisk"]["deleteOption"] == "Delete"
    assert vm["properties"]["networkProfile"]["networkInterfaces"][0]["properties"]["deleteOption"] == "Delete"
    assert vm["tags"]["created-by"] == "azwizard"
    key = vm["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["keyData"]
    assert key.startswith("ssh-ed25519 ")
    # every resource the run made exists in the simulator
    for rid in ("/resourceGroups/Yolo-RG", "/networkSecurityGroups/Yolo-NSG", "/virtualMachines/Yolo-VM"):
        assert any(k.endswith(rid.lower()) for k in sim.resources)


async def test_unzoned_region_gets_no_zones(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    app.journeys["vm"] = journey = vm_journey()
    async with app.run_test(size=(130, 44)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        app.screen.query_one("#location").value = "norwaywest"
        await settle(app, pilot)
        assert journey.spec.location == "norwaywest"
        assert journey.spec.public_ip.zones == ()
        app.push_screen(PublicIpStep(journey, VM_FLOW))
        await settle(app, pilot)
        assert "no availability zones" in str(app.screen.query_one("#zones-note").render())
        app.push_screen(ReviewStep(journey, VM_FLOW))
        await settle(app, pilot)
        assert not journey.blocking, [f.message for f in journey.blocking]
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, VmDoneScreen), type(app.screen)
    pip = body(holder["sim"], "/publicIPAddresses/Yolo-IPv4")
    assert "zones" not in pip


async def test_blocking_finding_disables_create_and_jumps_to_its_field(tmp_path: Path) -> None:
    app, holder = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", ReviewStep, journey=vm_journey(), under=(NetworkStep,))
        journey = app.journeys["vm"]
        journey.set("network.subnet_ipv6", journey.spec.network.resolved().ipv6_space.replace("/48", "/56"))
        await pilot.pause()
        assert journey.blocking
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewStep)  # Create refused
        assert not any(isinstance(s, CreateScreen) for s in app.screen_stack)
        first_block = next(i for i, f in enumerate(journey.findings) if f.severity == "block")
        options = app.screen.query_one("#review-findings")
        options.highlighted = first_block
        options.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NetworkStep)
    assert not any(r.method == "PUT" for r in holder["sim"].requests)  # nothing was sent


async def test_bad_input_shows_an_error_and_changes_nothing(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        journey = app.journeys["vm"]
        before = journey.spec.network
        field = app.screen.query_one("#network-ipv4_space")
        field.value = "10.0.0.0/33"
        await pilot.pause()
        assert journey.spec.network == before
        assert "not a valid IPv4 network" in str(app.screen.query_one("#network-ipv4_space-error").render())
        await pilot.press("ctrl+n")  # refused while the field is invalid
        await pilot.pause()
        assert app.screen.STEP_TITLE == "Network"


async def test_nsg_step_adds_and_removes_rules(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", NsgStep)
        journey = app.journeys["vm"]
        assert [r.name for r in journey.spec.nsg_rules] == ["Allow-ICMPv4", "Allow-SSH", "Allow-HTTP-HTTPS"]
        for wid, val in (("name", "Allow-App"), ("priority", "200"), ("protocol", "tcp"), ("ports", "8080"),
                         ("source", "*")):
            app.screen.query_one(f"#rule-{wid}").value = val
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert journey.spec.nsg_rules[-1].name == "Allow-App" and journey.spec.nsg_rules[-1].priority == 200
        app.screen.query_one("#rule-name").value = "Bad"
        app.screen.query_one("#rule-priority").value = "x"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert len(journey.spec.nsg_rules) == 4  # bad input: nothing added
        table = app.screen.query_one("#nsg_rules")
        table.focus()
        table.move_cursor(row=3)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [r.name for r in journey.spec.nsg_rules] == ["Allow-ICMPv4", "Allow-SSH", "Allow-HTTP-HTTPS"]


async def test_nsg_source_my_ip_and_rule_edit(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", NsgStep)
        await pilot.press("ctrl+t")  # demo: the simulated address (the AKS journey's too), no network
        await settle(app, pilot)
        journey = app.journeys["vm"]
        ssh = next(r for r in journey.spec.nsg_rules if r.name == "Allow-SSH")
        assert ssh.source == f"{DEMO_ADDRESS}/32"
        assert not any(f.rule_id == "vm-nsg-ssh-open" for f in journey.findings)
        # edit: same name replaces the rule
        for wid, val in (("name", "Allow-SSH"), ("priority", "110"), ("protocol", "Tcp"), ("ports", "2222"),
                         ("source", f"{DEMO_ADDRESS}/32")):
            app.screen.query_one(f"#rule-{wid}").value = val
        await pilot.press("ctrl+o")
        await pilot.pause()
        ssh_rules = [r for r in journey.spec.nsg_rules if r.name == "Allow-SSH"]
        assert len(ssh_rules) == 1 and ssh_rules[0].destination_ports == ("2222",)


async def test_size_filter_enter_picks_the_only_match_and_down_moves_into_the_list(tmp_path: Path) -> None:
    app, _ = demo(tmp_path)
    async with app.run_test(size=(130, 44)) as pilot:
        await open_steps(app, pilot, "vm", VmDetailsStep)
        journey = app.journeys["vm"]
        assert app.focused is not None and app.focused.id == "size-filter"
        await pilot.press(*"4 vcpu")
        await pilot.pause()
        await pilot.press("down")  # into the list
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "size"
        table = app.screen.query_one("#size")
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        field = app.screen.query_one("#size-filter")
        field.focus()
        for name in names:  # a filter that leaves exactly one size
            field.value = name
            await pilot.pause()
            if table.row_count == 1:
                break
        assert table.row_count == 1 and name != journey.spec.size
        await pilot.press("enter")
        await pilot.pause()
        assert journey.spec.size == name
