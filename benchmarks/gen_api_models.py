"""Generate ``azwizard/sim/api_models.json``: per resource type and api-version, the REST keys its model defines.

Source: the Azure SDKs for Python, which are generated from the REST API specifications
(https://github.com/Azure/azure-rest-api-specs, one ``stable/<version>/*.json`` swagger per api-version):
an older multi-version wheel holds one ``vYYYY_MM_DD/models`` package per api-version whose msrest
``_attribute_map`` lists exactly the keys that version defines (``properties.x`` for flattened ones); a
single-version wheel holds the one version its ``_configuration.py`` defaults to; a TypeSpec-generated package
(the installed, newest ones) names each key in ``rest_field(name=...)``.

Nothing is imported from the old wheels (they share package names): their models are read with ``ast``.

    pip download --no-deps -d WHEELS <each pinned wheel in WHEELS_USED>
    python benchmarks/gen_api_models.py WHEELS > azwizard/sim/api_models.json
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

# The wheels read (PyPI names); each one's api-versions are listed in the output's "_sources".
WHEELS_USED = [
    "azure-mgmt-network==19.3.0", "azure-mgmt-network==20.0.0", "azure-mgmt-network==21.0.1",
    "azure-mgmt-network==22.3.0", "azure-mgmt-network==23.1.0", "azure-mgmt-network==25.3.0",
    "azure-mgmt-network==25.4.0", "azure-mgmt-compute==30.0.0", "azure-mgmt-compute==34.1.0", "azure-mgmt-containerservice==29.1.0",
    "azure-mgmt-containerregistry==10.3.0", "azure-mgmt-msi==7.0.0",
]

# resource type -> (SDK package, model class)
TYPES: dict[str, tuple[str, str]] = {
    "Microsoft.Network/networkInterfaces": ("network", "NetworkInterface"),
    "Microsoft.Network/virtualNetworks": ("network", "VirtualNetwork"),
    "Microsoft.Network/virtualNetworks/subnets": ("network", "Subnet"),
    "Microsoft.Network/publicIPAddresses": ("network", "PublicIPAddress"),
    "Microsoft.Network/networkSecurityGroups": ("network", "NetworkSecurityGroup"),
    "Microsoft.Network/natGateways": ("network", "NatGateway"),
    "Microsoft.Compute/disks": ("compute", "Disk"),
    "Microsoft.Compute/virtualMachines": ("compute", "VirtualMachine"),
    "Microsoft.ContainerService/managedClusters": ("containerservice", "ManagedCluster"),
    "Microsoft.ContainerService/managedClusters/agentPools": ("containerservice", "AgentPool"),
    "Microsoft.ContainerRegistry/registries": ("containerregistry", "Registry"),
    "Microsoft.ManagedIdentity/userAssignedIdentities": ("msi", "Identity"),
}

_VERSION_DIR = re.compile(r"azure/mgmt/(\w+)/(v\d{4}_\d\d_\d\d(?:_preview)?)/models/_models_py3\.py$")
_SINGLE = re.compile(r"azure/mgmt/(\w+)/models/_models(?:_py3)?\.py$")
_DEFAULT_VERSION = re.compile(r'api_version[^\n]*?"(\d{4}-\d\d-\d\d(?:-preview)?)"')


def _attribute_maps(source: str, wanted: set[str]) -> dict[str, list[str]]:
    """class name -> the REST keys (``a`` or ``properties.b``) of its msrest ``_attribute_map``."""
    out: dict[str, list[str]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef) or node.name not in wanted:
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign | ast.Assign):
                target = stmt.target if isinstance(stmt, ast.AnnAssign) else stmt.targets[0]
                if isinstance(target, ast.Name) and target.id == "_attribute_map" and stmt.value is not None:
                    value = ast.literal_eval(stmt.value)
                    out[node.name] = [v["key"].replace("\\\\.", "\\.") for v in value.values()]
    return out


def _shape(keys: list[str]) -> dict[str, list[str]]:
    top = sorted({k.split(".")[0] for k in keys})
    props = sorted({k.split(".")[1] for k in keys if k.startswith("properties.") and "." in k})
    return {"top": top, "properties": props}


def from_wheels(folder: Path, models: dict[str, dict[str, Any]], sources: dict[str, list[str]]) -> None:
    wanted_by_pkg: dict[str, dict[str, str]] = {}
    for rtype, (pkg, cls) in TYPES.items():
        wanted_by_pkg.setdefault(pkg, {})[cls] = rtype
    for wheel in sorted(folder.glob("azure_mgmt_*.whl")):
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            for name in names:
                m = _VERSION_DIR.search(name) or _SINGLE.search(name)
                if not m or m.group(1) not in wanted_by_pkg:
                    continue
                pkg = m.group(1)
                if m.re is _VERSION_DIR:
                    version = m.group(2)[1:].replace("_", "-", 2).replace("_preview", "-preview")
                else:
                    root = name.split("models/")[0]
                    found = _version_in(z.read(n).decode() for n in names
                                        if n.startswith(root) and re.search(r"(_configuration|operations/_\w+)\.py$", n))
                    if found is None:
                        continue
                    version = found
                wanted = wanted_by_pkg[pkg]
                for cls, keys in _attribute_maps(z.read(name).decode(), set(wanted)).items():
                    models.setdefault(wanted[cls], {})[version] = _shape(keys)
                sources.setdefault(wheel.name, []).append(version)


def _version_in(sources: Any) -> str | None:
    """The default api-version of a single-version package (its configuration or its operations)."""
    for text in sources:
        found = _DEFAULT_VERSION.search(text)
        if found:
            return found.group(1)
    return None


def _rest_keys(cls: Any) -> dict[str, Any]:
    """REST name -> field of a TypeSpec-generated model class (``rest_field``)."""
    with contextlib.suppress(Exception):  # the field table is built on first use; some models need arguments
        cls()
    return {f._rest_name: f for f in cls._attr_to_rest_field.values()}


def from_installed(models: dict[str, dict[str, Any]], sources: dict[str, list[str]]) -> None:
    """The installed (newest) SDKs: their one api-version, read from the model classes."""
    for rtype, (pkg, cls_name) in TYPES.items():
        try:
            mod = importlib.import_module(f"azure.mgmt.{pkg}.models")
            conf = importlib.import_module(f"azure.mgmt.{pkg}._configuration")
        except ImportError:
            continue
        root = Path(conf.__file__ or "").parent
        found = _version_in(p.read_text() for p in [root / "_configuration.py", *sorted(root.glob("operations/_*.py"))])
        cls = getattr(mod, cls_name, None)
        if found is None or cls is None or not _has_fields(cls):
            continue
        fields = _rest_keys(cls)
        props: list[str] = []
        if "properties" in fields and getattr(fields["properties"], "_class_type", None) is not None:
            props = sorted(_rest_keys(fields["properties"]._class_type))
        models.setdefault(rtype, {})[found] = {"top": sorted(fields), "properties": props}
        sources.setdefault(f"installed azure-mgmt-{pkg}", []).append(found)


def _has_fields(cls: Any) -> bool:
    try:
        _rest_keys(cls)
        return True
    except AttributeError:
        return False


def main(argv: list[str]) -> int:
    models: dict[str, dict[str, Any]] = {}
    sources: dict[str, list[str]] = {}
    from_wheels(Path(argv[1]), models, sources)
    from_installed(models, sources)
    types: dict[str, Any] = {}
    for rtype, versions in sorted(models.items()):
        lists: list[list[str]] = []  # each distinct key list once; a version names its top and properties lists

        def index(keys: list[str], lists: list[list[str]] = lists) -> int:
            if keys not in lists:
                lists.append(keys)
            return lists.index(keys)

        refs = {v: [index(m["top"]), index(m["properties"])] for v, m in sorted(versions.items())}
        types[rtype] = {"versions": refs, "lists": lists}
    out = {"_comment": __doc__.split("\n\n")[0].replace("\n", " "),
           "_sources": {k: sorted(set(v)) for k, v in sorted(sources.items())}, "types": types}
    json.dump(out, sys.stdout, indent=None, separators=(",", ":"), sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
