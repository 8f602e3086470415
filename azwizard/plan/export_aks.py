"""Exports for the AKS journey's kinds, which :func:`register` adds to the az and ARM exporters' registries
(azwizard/plan/exports.py calls it: the one place that lists every journey's exporters).

az: the cluster becomes a corrected form of the notes' ``az aks create`` (every choice spelled out: pod
and service CIDRs, DNS service IP, OS disk type, ``--no-ssh-key`` instead of ``--generate-ssh-keys``, and
``--attach-acr`` for the AcrPull assignment), user pools become ``az aks nodepool add``, the registry
``az acr create``. Flags checked against Azure/azure-cli ``src/azure-cli/azure/cli/command_modules/acs/
_params.py`` (``aks create``: ``--tier``, ``--k8s-support-plan``, ``--dns-name-prefix``, ``--nodepool-name``,
``--node-vm-size``, ``--node-osdisk-type``, ``--vm-set-type``, ``--ip-families``/``--pod-cidrs``/
``--service-cidrs`` as comma-separated lists, ``--nodepool-tags``, ``--attach-acr``, ``--no-ssh-key``;
``aks nodepool add``: ``--cluster-name``, ``--mode``, ``--os-type``, ``--tags``) and ``acr/_params.py``.

ARM: the role assignment is an extension resource of the registry (export_arm gives it ``scope``); its
principal is the cluster's kubelet identity, read with ``reference()`` once the cluster exists.
"""

from __future__ import annotations

from typing import Any

from .aks import (
    ACR_PULL_ROLE,
    AZ_POOL_DEFAULTS,
    CLUSTER_KIND,
    KUBELET_OBJECT_ID,
    MAINTENANCE_KIND,
    REGISTRY_KIND,
    ROLE_ASSIGNMENT_KIND,
    az_cluster_defaults,
)
from .export_aks_metrics import workspace_step
from .export_arm import ArmContext, arm_resource, literal, parse_id, q
from .export_az import AzCommand, AzContext, BodyReader, Inexpressible, Token, az_exporter
from .model import Step, output_ref, parse_output_ref

__all__: list[str] = []

Path_ = tuple[str | int, ...]


class _Cmd:
    def __init__(self, *words: str) -> None:
        self.words = words
        self.options: list[tuple[str, tuple[Token, ...]]] = []

    def opt(self, name: str, *values: Token) -> _Cmd:
        self.options.append((name, tuple(values)))
        return self

    def build(self) -> AzCommand:
        return AzCommand(self.words, tuple(self.options))


def _location_and_tags(cmd: _Cmd, r: BodyReader, ctx: AzContext, tags_flag: str = "--tags") -> None:
    if r.has("location"):
        cmd.opt("--location", ctx.loc(r.get("location")))
    _tags(cmd, r, ("tags",), tags_flag)


def _tags(cmd: _Cmd, r: BodyReader, path: Path_, flag: str) -> None:
    if r.has(*path):
        tags = r.get(*path) or {}
        if tags:
            # az splits each "key[=value]" on the first "=" (azure.cli.core validate_tag / validate_nodepool_tags).
            cmd.opt(flag, *[f"{k}={v}" for k, v in tags.items()])


def _acr_pull_steps(ctx: AzContext, cluster: Step) -> list[Step]:
    """The plan's AcrPull assignments for this cluster's kubelet identity (what --attach-acr creates)."""
    ref = output_ref(cluster.key, KUBELET_OBJECT_ID)
    return [s for s in ctx.plan.steps
            if s.kind.lower() == ROLE_ASSIGNMENT_KIND.lower()
            and s.body.get("properties", {}).get("principalId") == ref
            and str(s.body.get("properties", {}).get("roleDefinitionId", "")).lower().endswith(ACR_PULL_ROLE)]


def _scope(role_assignment: Step) -> str:
    return role_assignment.resource_id.partition("/providers/Microsoft.Authorization/roleAssignments/")[0]


def _run_before(ctx: AzContext, step: Step) -> set[str]:
    """The keys of the steps the script runs before ``step`` (the plan's dependency order)."""
    order = [s.key for s in ctx.plan.topological()]
    return set(order[:order.index(step.key)])


def _pool_options(cmd: _Cmd, r: BodyReader, p: Path_, *, create: bool) -> None:
    """The flags one agentPoolProfile needs; ``create``: the ``aks create`` names, else ``nodepool add``."""
    # What az writes into every pool whatever its flags (plan/aks.py AZ_POOL_DEFAULTS), and the cluster's version.
    for key, value in AZ_POOL_DEFAULTS.items():
        if r.has(*p, key) and not r.expect(*p, key, value=value):
            raise Inexpressible(f"a node pool's {key} other than az's {value!r}")
    if r.has(*p, "orchestratorVersion") and not r.expect(
            *p, "orchestratorVersion", value=r.peek("properties", "kubernetesVersion", default="")):
        raise Inexpressible("a node pool version other than the cluster's")
    if r.has(*p, "count"):
        cmd.opt("--node-count", str(r.get(*p, "count")))
    if r.has(*p, "vmSize"):
        cmd.opt("--node-vm-size", r.get(*p, "vmSize"))
    if r.has(*p, "osSKU"):
        cmd.opt("--os-sku", r.get(*p, "osSKU"))
    if r.has(*p, "type"):
        cmd.opt("--vm-set-type", r.get(*p, "type"))
    if r.has(*p, "osDiskType"):
        cmd.opt("--node-osdisk-type", r.get(*p, "osDiskType"))
    if r.has(*p, "osDiskSizeGB"):
        cmd.opt("--node-osdisk-size", str(r.get(*p, "osDiskSizeGB")))
    if r.has(*p, "availabilityZones"):
        zones = [str(z) for z in r.get(*p, "availabilityZones")]
        if zones:
            cmd.opt("--zones", *zones)
    if r.has(*p, "maxPods"):
        cmd.opt("--max-pods", str(r.get(*p, "maxPods")))
    if r.has(*p, "securityProfile", "sshAccess"):
        cmd.opt("--ssh-access", str(r.get(*p, "securityProfile", "sshAccess")).lower())
        note = ("--ssh-access is an aks-preview flag (az extension add --name aks-preview); core az has none "
                "(azure-cli 2.91.0)")
        if note not in r.notes:
            r.notes.append(note)
    _tags(cmd, r, (*p, "tags"), "--nodepool-tags" if create else "--tags")


def _cluster(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    if step.patch_of:  # turning the metrics on: what --enable-azure-monitor-metrics does last (addon_put)
        for key in list(step.body):
            r.get(key)
        r.notes.append("made by az aks create --enable-azure-monitor-metrics once the workspace is linked (it reads "
                       "the cluster and sends it back with the metrics on)")
        return []
    rg = ctx.group(step.resource_group)
    cmd = _Cmd("aks", "create").opt("--resource-group", rg).opt("--name", step.name)
    _location_and_tags(cmd, r, ctx)
    # az aks create's own defaults: a system-assigned identity, the Base SKU, Kubernetes RBAC.
    own = {("identity", "type"): "SystemAssigned", ("sku", "name"): "Base", ("properties", "enableRBAC"): True}
    for path, value in own.items():
        if r.has(*path) and not r.expect(*path, value=value):
            raise Inexpressible(f"{'.'.join(path)} other than {value}")
    if r.has("sku", "tier"):
        cmd.opt("--tier", str(r.get("sku", "tier")).lower())
    P: Path_ = ("properties",)
    if r.has(*P, "supportPlan"):
        cmd.opt("--k8s-support-plan", r.get(*P, "supportPlan"))
    if r.has(*P, "kubernetesVersion") and not r.expect(*P, "kubernetesVersion", value=""):
        cmd.opt("--kubernetes-version", r.get(*P, "kubernetesVersion"))
    # What az aks create sends whatever its flags (plan/aks.py az_cluster_defaults).
    for key, value in az_cluster_defaults().items():
        if r.has(*P, key) and not r.expect(*P, key, value=value):
            raise Inexpressible(f"properties.{key} other than az's {value!r}")
    if r.has(*P, "dnsPrefix"):
        cmd.opt("--dns-name-prefix", r.get(*P, "dnsPrefix"))

    # The system pool is created with the cluster; further pools with az aks nodepool add.
    pools = r.peek(*P, "agentPoolProfiles", default=[])
    if not pools:
        raise Inexpressible("a cluster without node pools")
    first: Path_ = (*P, "agentPoolProfiles", 0)
    if not (r.expect(*first, "mode", value="System") and r.expect(*first, "osType", value="Linux")):
        raise Inexpressible("a first node pool that is not a Linux system pool")
    cmd.opt("--nodepool-name", r.get(*first, "name"))
    _pool_options(cmd, r, first, create=True)

    # Network.
    N: Path_ = (*P, "networkProfile")
    for key, flag in (("networkPlugin", "--network-plugin"), ("networkPluginMode", "--network-plugin-mode"),
                      ("networkDataplane", "--network-dataplane"), ("networkPolicy", "--network-policy")):
        if r.has(*N, key):
            cmd.opt(flag, r.get(*N, key))
    for key, flag in (("ipFamilies", "--ip-families"), ("podCidrs", "--pod-cidrs"),
                      ("serviceCidrs", "--service-cidrs")):
        if r.has(*N, key):
            cmd.opt(flag, ",".join(str(v) for v in r.get(*N, key)))  # comma-separated lists
    for key, flag in (("dnsServiceIP", "--dns-service-ip"), ("loadBalancerSku", "--load-balancer-sku"),
                      ("outboundType", "--outbound-type")):
        if r.has(*N, key):
            cmd.opt(flag, r.get(*N, key))
    M: Path_ = (*N, "loadBalancerProfile", "managedOutboundIPs")
    for key, flag in (("count", "--load-balancer-managed-outbound-ip-count"),
                      ("countIPv6", "--load-balancer-managed-outbound-ipv6-count")):
        if r.has(*M, key):
            cmd.opt(flag, str(r.get(*M, key)))
    _operations(cmd, r, P)
    workspace = workspace_step(ctx, step)
    if workspace is not None and any(name == "--enable-azure-monitor-metrics" for name, _ in cmd.options):
        # azwizard's workspace, made before the cluster: az links it instead of making its default one
        if workspace.key not in _run_before(ctx, step):
            raise Inexpressible("an Azure Monitor workspace created after the cluster")
        cmd.opt("--azure-monitor-workspace-resource-id", workspace.resource_id)

    # Access.
    A: Path_ = (*P, "apiServerAccessProfile")
    ranges = r.peek(*A, "authorizedIPRanges", default=[])
    if ranges:
        cmd.opt("--api-server-authorized-ip-ranges", ",".join(r.get(*A, "authorizedIPRanges")))
    elif r.has(*A, "authorizedIPRanges"):
        r.get(*A, "authorizedIPRanges")  # [] is what az sends for a private cluster
    if r.has(*A, "enablePrivateCluster"):
        if not r.expect(*A, "enablePrivateCluster", value=True):
            raise Inexpressible("enablePrivateCluster other than true")
        cmd.opt("--enable-private-cluster")
    if r.has(*A, "enablePrivateClusterPublicFQDN"):
        if not r.expect(*A, "enablePrivateClusterPublicFQDN", value=False):
            raise Inexpressible("enablePrivateClusterPublicFQDN other than false")
        cmd.opt("--disable-public-fqdn")
    L: Path_ = (*P, "linuxProfile")
    keys = r.peek(*L, "ssh", "publicKeys", default=[])
    if r.has(*L):
        if len(keys) != 1:
            raise Inexpressible("other than one SSH public key")
        cmd.opt("--admin-username", r.get(*L, "adminUsername"))
        # az reads a key file (any type) or an RSA key given inline: a file keeps Ed25519 keys working.
        key = str(r.get(*L, "ssh", "publicKeys", 0, "keyData"))
        cmd.opt("--ssh-key-value", ctx.text_file("SSH_PUBLIC_KEY_FILE", (key.rstrip("\n") + "\n").encode()))
    else:
        # Without it az would read (or with --generate-ssh-keys create) ~/.ssh/id_rsa.pub; AKS needs no key.
        cmd.opt("--no-ssh-key")

    # Registry access: az aks create --attach-acr grants AcrPull to the kubelet identity.
    attach = _acr_pull_steps(ctx, step)
    if len(attach) > 1:
        raise Inexpressible("AcrPull on more than one registry")
    if attach:
        scope = _scope(attach[0])
        # A registry the plan creates must come first in the script: --attach-acr looks it up.
        owner = next((s for s in ctx.plan.steps if s.resource_id.lower() == scope.lower()), None)
        if owner is not None and owner.key not in _run_before(ctx, step):
            raise Inexpressible("a registry created after the cluster")
        cmd.opt("--attach-acr", ctx.ref(scope, REGISTRY_KIND))
    out = [cmd.build()]

    for i in range(1, len(pools)):
        p: Path_ = (*P, "agentPoolProfiles", i)
        add = _Cmd("aks", "nodepool", "add").opt("--resource-group", rg).opt("--cluster-name", step.name) \
            .opt("--name", r.get(*p, "name"))
        if r.has(*p, "mode"):
            add.opt("--mode", r.get(*p, "mode"))
        if r.has(*p, "osType"):
            add.opt("--os-type", r.get(*p, "osType"))
        _pool_options(add, r, p, create=False)
        out.append(add.build())
    if len(pools) > 1:
        r.notes.append("az creates the user node pools one by one after the cluster; azwizard sends them with the "
                       "cluster in one request")
    return out


def _operations(cmd: _Cmd, r: BodyReader, P: Path_) -> None:
    """The production/operations flags (acs/_params.py aks create): the upgrade channels, Image Cleaner, app
    routing and managed Prometheus metrics, each only as az itself sends it."""
    U: Path_ = (*P, "autoUpgradeProfile")
    if r.has(*U, "upgradeChannel"):
        cmd.opt("--auto-upgrade-channel", r.get(*U, "upgradeChannel"))
    if r.has(*U, "nodeOSUpgradeChannel"):
        cmd.opt("--node-os-upgrade-channel", r.get(*U, "nodeOSUpgradeChannel"))
    C: Path_ = (*P, "securityProfile", "imageCleaner")
    if r.has(*C):
        if not r.expect(*C, "enabled", value=True):
            raise Inexpressible("an image cleaner that is not enabled")
        cmd.opt("--enable-image-cleaner")
        if r.has(*C, "intervalHours"):
            cmd.opt("--image-cleaner-interval-hours", str(r.get(*C, "intervalHours")))
    W: Path_ = (*P, "ingressProfile", "webAppRouting")
    if r.has(*W):
        if not r.expect(*W, "enabled", value=True):
            raise Inexpressible("app routing that is not enabled")
        cmd.opt("--enable-app-routing")
    Mx: Path_ = (*P, "azureMonitorProfile", "metrics")
    if r.has(*Mx):
        ksm = (*Mx, "kubeStateMetrics")
        # az sends them off and turns them on once the workspace is linked (the plan's metrics steps are what
        # --enable-azure-monitor-metrics does after the cluster: export_aks_metrics.py).
        if not (r.expect(*Mx, "enabled", value=False) and r.expect(*ksm, "metricLabelsAllowlist", value="")
                and r.expect(*ksm, "metricAnnotationsAllowList", value="")):
            raise Inexpressible("Azure Monitor metrics other than az's (sent off, with its allow lists)")
        cmd.opt("--enable-azure-monitor-metrics")


_SCHEDULE_FLAGS = {
    "daily": ("Daily", (("intervalDays", "--interval-days"),)),
    "weekly": ("Weekly", (("intervalWeeks", "--interval-weeks"), ("dayOfWeek", "--day-of-week"))),
    "absoluteMonthly": ("AbsoluteMonthly", (("intervalMonths", "--interval-months"), ("dayOfMonth", "--day-of-month"))),
    "relativeMonthly": ("RelativeMonthly", (("intervalMonths", "--interval-months"), ("dayOfWeek", "--day-of-week"),
                                            ("weekIndex", "--week-index"))),
}


def _maintenance(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    """``az aks maintenanceconfiguration add`` (acs/maintenanceconfiguration.py constructMaintenanceWindow: the
    schedule type's flags, --duration, --start-time, --start-date and --utc-offset)."""
    cluster_name = step.resource_id.split("/")[-3]  # .../managedClusters/<cluster>/maintenanceConfigurations/<name>
    cmd = _Cmd("aks", "maintenanceconfiguration", "add").opt("--resource-group", ctx.group(step.resource_group)) \
        .opt("--cluster-name", cluster_name).opt("--name", step.name)
    W: Path_ = ("properties", "maintenanceWindow")
    schedule = r.peek(*W, "schedule", default={}) or {}
    kinds = [k for k in schedule if schedule[k] is not None]
    if len(kinds) != 1 or kinds[0] not in _SCHEDULE_FLAGS:
        raise Inexpressible("a maintenance window without exactly one schedule")
    label, flags = _SCHEDULE_FLAGS[kinds[0]]
    cmd.opt("--schedule-type", label)
    for key, flag in flags:
        cmd.opt(flag, str(r.get(*W, "schedule", kinds[0], key)))
    for key, flag in (("durationHours", "--duration"), ("startTime", "--start-time"), ("startDate", "--start-date"),
                      ("utcOffset", "--utc-offset")):
        if r.has(*W, key):
            cmd.opt(flag, str(r.get(*W, key)))
    return [cmd.build()]


def _role_assignment(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    ref = parse_output_ref(r.peek("properties", "principalId"))
    cluster = ctx.plan.step(ref[0]) if ref is not None and ref[0] in {s.key for s in ctx.plan.steps} else None
    if cluster is None or cluster.kind.lower() != CLUSTER_KIND.lower() or step not in _acr_pull_steps(ctx, cluster):
        raise Inexpressible("a role assignment other than AcrPull for a cluster's kubelet identity (azwizard has "
                            "no az command for it)")
    for key in ("roleDefinitionId", "principalId", "principalType"):
        r.get("properties", key)
    if r.has("properties", "description"):
        r.approx("properties", "description",
                 note="the AcrPull assignment is made by az aks create --attach-acr, which picks its own name and "
                      "sets no description")
    return []  # created by --attach-acr on the cluster's az aks create


def _registry(step: Step, r: BodyReader, ctx: AzContext) -> list[AzCommand]:
    cmd = _Cmd("acr", "create").opt("--resource-group", ctx.group(step.resource_group)).opt("--name", step.name)
    if r.has("sku", "name"):
        cmd.opt("--sku", r.get("sku", "name"))
    # az acr create leaves the admin user disabled unless --admin-enabled true.
    if r.has("properties", "adminUserEnabled") and not r.expect("properties", "adminUserEnabled", value=False):
        cmd.opt("--admin-enabled", "true")
        r.get("properties", "adminUserEnabled")
    _location_and_tags(cmd, r, ctx)
    return [cmd.build()]


# ---------------------------------------------------------------------------------------------------
# ARM template hooks


def _output_expression(ctx: ArmContext, step: Step, output: str) -> str | None:
    """A template expression for an output of a plan step (what the runner fills in at run time)."""
    if step.kind.lower() == CLUSTER_KIND.lower():
        rid = ctx.step_id_expr(step)
        if output == KUBELET_OBJECT_ID:
            return f"reference({rid}, {q(step.api_version)}).identityProfile.kubeletidentity.objectId"
        if output == "principalId":
            return f"reference({rid}, {q(step.api_version)}, 'Full').identity.principalId"
    return None


def _fill_outputs(node: Any, ctx: ArmContext) -> Any:
    if isinstance(node, dict):
        return {k: _fill_outputs(v, ctx) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_outputs(v, ctx) for v in node]
    ref = parse_output_ref(node)
    if ref is not None:
        step = next((s for s in ctx.plan.steps if s.key == ref[0]), None)
        expr = _output_expression(ctx, step, ref[1]) if step is not None else None
        if expr is None:
            raise ValueError(f"no template expression for output {ref[1]!r} of step {ref[0]!r}")
        return f"[{expr}]"
    return node


def _role_assignment_resource(step: Step, ctx: ArmContext, resource: dict[str, Any]) -> None:
    """The exporter already makes it an extension resource of the registry (``scope``, ``dependsOn``); here the
    principal becomes the cluster's kubelet identity read with ``reference()`` (the runner's run-time value)."""
    resource["properties"] = _fill_outputs(resource.get("properties", {}), ctx)
    pid = parse_id(step.resource_id)
    if pid is not None and pid.scope is not None and "scope" not in resource:
        # A template's extension resources can only target resources of its own resource group.
        resource["comments"] = literal(
            f"{step.label}. The registry {pid.scope} is outside this deployment's resource group: deploy this "
            "assignment in a template for that group (or run az aks update --attach-acr).")


def register() -> None:
    """Add the AKS kinds to the az and ARM exporters (idempotent)."""
    az_exporter(CLUSTER_KIND)(_cluster)
    az_exporter(ROLE_ASSIGNMENT_KIND)(_role_assignment)
    az_exporter(REGISTRY_KIND)(_registry)
    az_exporter(MAINTENANCE_KIND)(_maintenance)
    arm_resource(ROLE_ASSIGNMENT_KIND)(_role_assignment_resource)
