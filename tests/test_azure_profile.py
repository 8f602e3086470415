"""The Azure CLI profile reader: BOM, missing, empty and corrupt files, and the default entry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from azwizard.azure.errors import AzwizardError
from azwizard.azure.profile import (
    CliSubscription,
    azure_config_dir,
    default_cli_subscription,
    find_cli_subscription,
    read_cli_profile,
)

DEV = "5a1b2c3d-0000-4000-8000-000000000001"
PROD = "9f8e7d6c-0000-4000-8000-000000000002"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def profile_document(default: str = PROD) -> dict[str, Any]:
    """The shape `az login` writes (trimmed), two subscriptions, one default."""
    return {
        "installationId": "0c9b9a4e-1111-4222-8333-444455556666",
        "subscriptions": [
            {
                "id": DEV,
                "name": "Contoso Dev",
                "state": "Enabled",
                "user": {"name": "dev@contoso.com", "type": "user"},
                "isDefault": default == DEV,
                "tenantId": TENANT,
                "homeTenantId": TENANT,
                "environmentName": "AzureCloud",
                "tenantDefaultDomain": "contoso.onmicrosoft.com",
                "tenantDisplayName": "Contoso",
                "managedByTenants": [],
            },
            {
                "id": PROD,
                "name": "Contoso Prod",
                "state": "Warned",
                "user": {"name": "dev@contoso.com", "type": "user"},
                "isDefault": default == PROD,
                "tenantId": TENANT,
                "homeTenantId": TENANT,
                "environmentName": "AzureCloud",
                "managedByTenants": [],
            },
        ],
    }


def write_profile(folder: Path, document: Any, *, encoding: str = "utf-8-sig") -> Path:
    path = folder / "azureProfile.json"
    path.write_text(json.dumps(document, indent=2), encoding=encoding)
    return path


def env_for(folder: Path) -> dict[str, str]:
    return {"AZURE_CONFIG_DIR": str(folder), "HOME": str(folder / "home")}


def test_config_dir_follows_azure_config_dir(tmp_path: Path) -> None:
    assert azure_config_dir({"AZURE_CONFIG_DIR": str(tmp_path / "cfg")}) == tmp_path / "cfg"


def test_config_dir_defaults_to_home_dot_azure(tmp_path: Path) -> None:
    assert azure_config_dir({"HOME": str(tmp_path)}) == tmp_path / ".azure"
    assert azure_config_dir({"HOME": str(tmp_path), "AZURE_CONFIG_DIR": "  "}) == tmp_path / ".azure"


def test_reads_the_profile_the_cli_writes_with_a_bom(tmp_path: Path) -> None:
    path = write_profile(tmp_path, profile_document())
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "the fixture must carry the BOM az writes"

    subs = read_cli_profile(env_for(tmp_path))

    assert [s.id for s in subs] == [DEV, PROD]
    assert subs[0] == CliSubscription(
        id=DEV,
        name="Contoso Dev",
        tenant_id=TENANT,
        is_default=False,
        user="dev@contoso.com",
        state="Enabled",
        tenant_default_domain="contoso.onmicrosoft.com",
        tenant_display_name="Contoso",
        environment_name="AzureCloud",
    )
    assert subs[1].is_default and subs[1].state == "Warned" and subs[1].tenant_default_domain is None


def test_reads_a_profile_without_a_bom_too(tmp_path: Path) -> None:
    write_profile(tmp_path, profile_document(), encoding="utf-8")
    assert len(read_cli_profile(env_for(tmp_path))) == 2


def test_default_subscription_is_the_is_default_entry(tmp_path: Path) -> None:
    write_profile(tmp_path, profile_document(default=DEV))
    default = default_cli_subscription(env_for(tmp_path))
    assert default is not None and default.id == DEV and default.name == "Contoso Dev"


def test_no_default_entry_means_none(tmp_path: Path) -> None:
    write_profile(tmp_path, profile_document(default="nobody"))
    assert default_cli_subscription(env_for(tmp_path)) is None


@pytest.mark.parametrize("content", [None, "", "  \n"])
def test_missing_or_empty_profile_means_no_subscriptions(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        (tmp_path / "azureProfile.json").write_text(content, encoding="utf-8")
    assert read_cli_profile(env_for(tmp_path)) == []
    assert default_cli_subscription(env_for(tmp_path)) is None


def test_corrupt_profile_says_which_file_and_how_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "azureProfile.json"
    path.write_text('\ufeff{"subscriptions": [ {"id": ', encoding="utf-8")

    with pytest.raises(AzwizardError) as caught:
        read_cli_profile(env_for(tmp_path))

    error = caught.value
    assert str(path) in error.what and "not valid JSON" in error.what
    assert "az login" in error.fix
    assert "Traceback" not in str(error)


def test_profile_that_is_not_an_object_is_reported(tmp_path: Path) -> None:
    write_profile(tmp_path, ["not", "a", "profile"])
    with pytest.raises(AzwizardError, match="unexpected shape"):
        read_cli_profile(env_for(tmp_path))


def test_malformed_entries_are_skipped(tmp_path: Path) -> None:
    document = profile_document()
    document["subscriptions"] += [{"name": "no id"}, "junk", {"id": ""}]
    write_profile(tmp_path, document)
    assert [s.id for s in read_cli_profile(env_for(tmp_path))] == [DEV, PROD]


def test_find_by_id_or_name_is_case_insensitive(tmp_path: Path) -> None:
    write_profile(tmp_path, profile_document())
    env = env_for(tmp_path)
    assert [s.id for s in find_cli_subscription(DEV.upper(), env)] == [DEV]
    assert [s.id for s in find_cli_subscription("contoso prod", env)] == [PROD]
    assert find_cli_subscription("nope", env) == []
