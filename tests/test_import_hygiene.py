"""The engine never imports Textual; nothing imports the Azure SDK until a client is built; --help and
--version load neither (they answer instantly)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENGINE_MODULES = [
    "azwizard",
    "azwizard.cli",
    "azwizard.paths",
    "azwizard.demo",
    "azwizard.azure.session",
    "azwizard.azure.errors",
    "azwizard.azure.profile",
    "azwizard.azure.credentials",
]


def loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


def test_engine_never_imports_textual() -> None:
    mods = loaded_after("\n".join(f"import {m}" for m in ENGINE_MODULES + ["azwizard.sim", "azwizard.sim.server"]))
    assert not any(m == "textual" or m.startswith("textual.") for m in mods)


def test_no_azure_module_until_a_client_is_built() -> None:
    mods = loaded_after("\n".join(f"import {m}" for m in ENGINE_MODULES))
    assert not any(m.startswith("azure.") or m == "azure" for m in mods)
    built = loaded_after(
        "from azwizard.azure.session import ClientFactory\n"
        "from azwizard.azure.credentials import StaticTokenCredential\n"
        "f = ClientFactory(StaticTokenCredential(), '00000000-0000-0000-0000-000000000000')\n"
        "f.network()"
    )
    assert "azure.mgmt.network" in built
    assert "azure.mgmt.compute" not in built  # only what was asked for


def test_screens_do_not_import_azure_at_import_time() -> None:
    mods = loaded_after("import azwizard.screens.app")
    assert "textual.app" in mods
    assert not any(m.startswith("azure.") for m in mods)


def test_help_and_version_import_neither_textual_nor_azure() -> None:
    for flag in ("--help", "--version"):
        res = subprocess.run([sys.executable, "-X", "importtime", "-m", "azwizard", flag],
                             capture_output=True, text=True, check=True)
        imported = res.stderr
        assert "textual" not in imported
        assert " azure" not in imported
        assert "azwizard" in res.stdout


def test_screens_is_not_a_top_level_package() -> None:
    res = subprocess.run([sys.executable, "-c", "import screens"], capture_output=True, text=True, cwd="/")
    assert res.returncode != 0


# --------------------------------------------------------------------------------------------
# Headless commands and the home screen load only what they use (benchmarks/startup.py has the figures).

REPO = Path(__file__).resolve().parents[1]
NOTES_AKS = ["az", "aks", "create", "--resource-group=test_rg", "--name=test_aks", "--tier=standard", "--load-balancer-sku=standard", "--vm-set-type=VirtualMachineScaleSets", "-s", "Standard_B2als_v2", "--node-count=3", "--kubernetes-version=1.29", "--network-plugin=azure", "--network-plugin-mode=overlay", "--network-dataplane=cilium", "--ip-families=ipv4,ipv6", "--pod-cidrs=172.16.0.0/16,fdfb:4d1e:98bf::/48", "--service-cidrs=10.0.0.0/16,fd92:d839:1c02::/108", "--os-sku=AzureLinux", "--generate-ssh-keys", "--api-server-authorized-ip-ranges=a.b.c.d/e"]


def typed_sdk_packages_after(argv: list[str], tmp_path: Path) -> tuple[int, set[str]]:
    """Run ``azwizard ARGV`` in a fresh interpreter; its exit code and the typed SDK packages it imported
    (``azure.mgmt.<service>``; azure-mgmt-core, which the generic reader is built on, does not count)."""
    code = ("import sys\nfrom azwizard.cli import main\nrc = main(sys.argv[1:])\n"
            "print('RC', rc)\nprint('\\n'.join(sorted(sys.modules)))")
    env = {**os.environ, "AZWIZARD_DATA_DIR": str(tmp_path), "AZWIZARD_DEMO_LATENCY": "none"}
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True,
                         cwd=REPO, env=env).stdout
    rc = int(next(line for line in out.splitlines() if line.startswith("RC "))[3:])
    mods = {m for m in out.split() if m.startswith("azure.mgmt.")}
    return rc, {".".join(m.split(".")[:3]) for m in mods} - {"azure.mgmt.core"}


def test_plan_and_check_import_no_typed_sdk_package(tmp_path: Path) -> None:
    """Reads (facts, the plan's GETs, the subscription) go through the generic client: `vm plan` and `check`
    import none of the typed packages (azure.mgmt.network alone takes about a second to import)."""
    rc, typed = typed_sdk_packages_after(["--demo", "vm", "plan", "docs/examples/yolo-vm.toml"], tmp_path / "a")
    assert rc == 0 and typed == set()
    rc, typed = typed_sdk_packages_after(["--demo", "check", "--", *NOTES_AKS], tmp_path / "b")
    assert rc == 1 and typed == set()  # the notes' line has blocking findings (Kubernetes 1.29, a.b.c.d/e)


def test_a_vm_create_imports_neither_the_network_nor_the_compute_package(tmp_path: Path) -> None:
    """The VM's creates (network and compute types) go by id through azure-mgmt-resource's generic operations
    (ops._by_id): a whole `vm apply` loads neither typed package (together about 45 MB: benchmarks/memory.py)."""
    rc, typed = typed_sdk_packages_after(["--demo", "vm", "apply", "docs/examples/yolo-vm.toml", "--yes"],
                                         tmp_path)
    assert rc == 0
    assert typed == {"azure.mgmt.resource"}  # the resource group, and every other resource by id


def test_help_loads_no_sdk_package() -> None:
    mods = loaded_after("import contextlib, io\nfrom azwizard.cli import main\n"
                        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
                        "    main(['--help'])")
    assert "azwizard.cli" in mods
    assert "azure.mgmt.network" not in mods and not any(m.startswith("azure") for m in mods)


def test_simulator_imports_no_sdk_package() -> None:
    mods = loaded_after("from azwizard.sim import ArmSim\nfrom azwizard.sim.transport import SimTransport\n"
                        "SimTransport(ArmSim())")
    assert not any(m.startswith("azure.mgmt") for m in mods)


async def test_journey_stylesheet_waits_for_the_first_journey_screen(tmp_path: Path) -> None:
    """The home screen's first frame parses only the shell's CSS (home.tcss); a journey screen brings the
    journeys' rules (app.tcss) with it, however it is shown (here pushed directly, as tests do)."""
    from azwizard.screens.app import JOURNEYS_CSS, AzWizardApp
    from azwizard.screens.home import HomeScreen
    from azwizard.screens.vm import VM_FLOW, VmJourney
    from azwizard.screens.vm.steps import BasicsStep

    from azwizard.demo import open_demo_session
    from azwizard.sim import INSTANT

    app = AzWizardApp(lambda: open_demo_session(state_file=tmp_path / "s.json", latency=INSTANT).session, demo=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.stylesheet.has_source(str(JOURNEYS_CSS), "")
        app.push_screen(BasicsStep(VmJourney(), VM_FLOW))
        await pilot.pause()
        assert app.stylesheet.has_source(str(JOURNEYS_CSS), "")
        assert app.screen.query_one(".wizard").styles.height is not None
        assert str(app.screen.query_one(".wizard").styles.height) == "1fr"  # a rule from app.tcss


def test_plan_and_check_load_neither_the_executor_nor_the_deletion_engine(tmp_path: Path) -> None:
    """The engine's packages load their modules when first used (azwizard/cleanup and azwizard/run
    __init__): the simulator's price lists need only cleanup.costs, and plan/check need run.preflight, not the
    executor and its thread pool, nor the deletion engine (about 150 ms of each --demo command, issue 26)."""
    heavy = ("azwizard.run.executor", "azwizard.cleanup.delete", "azwizard.cleanup.inventory")
    assert not set(heavy) & loaded_after("import azwizard.sim, azwizard.run.preflight, azwizard.cleanup.costs")
    for argv in (["--demo", "vm", "plan", "docs/examples/yolo-vm.toml"], ["--demo", "check", "--", *NOTES_AKS]):
        code = ("import sys\nfrom azwizard.cli import main\nmain(sys.argv[1:])\n"
                "print('\\n'.join(sorted(sys.modules)))")
        env = {**os.environ, "AZWIZARD_DATA_DIR": str(tmp_path / argv[1]), "AZWIZARD_DEMO_LATENCY": "none"}
        mods = set(subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True,
                                  cwd=REPO, env=env).stdout.split())
        assert "azwizard.plan" in mods and not set(heavy) & mods, argv
    from azwizard.cleanup import Deleter, build_inventory  # the names still resolve, loaded when asked for
    from azwizard.run import Runner

    assert Deleter.__module__ == "azwizard.cleanup.delete" and build_inventory.__module__.endswith("inventory")
    assert Runner.__module__ == "azwizard.run.executor"
