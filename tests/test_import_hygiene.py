"""The engine never imports Textual; nothing imports the Azure SDK until a client is built; --help and
--version load neither (they answer instantly)."""

from __future__ import annotations

import subprocess
import sys

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
