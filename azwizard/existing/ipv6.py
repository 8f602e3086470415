"""``vm add-ipv6``: the notes' "Adding IPv6 to VM" as a plan of updates over what exists, in the plan/diff
machinery every create uses (``azwizard/plan/model.py`` steps, ``azwizard/plan/diff.py`` entries), as
Microsoft's own walk-through does it (https://learn.microsoft.com/azure/virtual-network/ip-services/
ipv6-add-to-existing-vnet-cli: ``az network vnet update --address-prefixes``, ``az network vnet subnet update
--address-prefixes``, ``az network public-ip create --sku Standard --version IPv6 --zone 1 2 3``, ``az network
nic ip-config create --private-ip-address-version IPv6``):

- ``~`` the virtual network: its address space plus a random zero-compressed ULA /48 (an IPv6 space already
  there is kept and used), and the VM's subnet: its prefix plus the first free /64 of that space;
- ``+`` a Standard, static, IPv6 public IP, zone-redundant where the region has zones (this run's: tagged and
  journaled, so cleanup can delete it);
- ``~`` the NIC: ``ipconfig2`` (IPv6, dynamic, the new public IP); ``ipconfig1`` stays as it is and primary.

The VM gets no PUT: a NIC's new ipconfig needs no restart (the guest picks the address up by DHCPv6). Each
update sends the resource as read, without its read-only properties, plus only these changes (``put_over``:
read-modify-write) with the etag read as If-Match; the diff lists exactly what the body changes. Nothing that
already has IPv6 is changed again, so a rerun sends nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..azure.readonly import etag_of
from ..plan.diff import ABSENT, Change, Owner, PlanDiff, StepDiff, put_over
from ..plan.model import Plan, Step
from ..rules.model import Finding
from ..specs.common import azwizard_tags, compressed, random_ula_48
from .read import NIC, PIP, VNET, VmNetwork, is_ipv6, prefixes_of, props, subnet_name

JOURNEY = "vm-ipv6"
NETWORK_API = "2024-05-01"
SRC_HOWTO = "https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-add-to-existing-vnet-cli"
SRC_GUEST = "https://learn.microsoft.com/azure/load-balancer/load-balancer-ipv6-for-linux"
SRC_BASIC_UPGRADE = "https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance"
SRC_LIMITS = "https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-overview#limitations"


@dataclass(frozen=True)
class Additions:
    """What the plan adds, for the journal and the report (and, later, for undoing them)."""

    vnet_id: str
    ipv6_space: str
    space_added: bool
    subnet_id: str
    subnet_prefix: str
    prefix_added: bool
    nic_id: str
    ipconfig: str
    ipconfig_added: bool
    public_ip_id: str
    # the IPv6 companion rules added to existing NSGs: (NSG id, rule name) each (existing/nsg6.py)
    nsg_rules: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["nsg_rules"] = [list(x) for x in self.nsg_rules]
        return out


@dataclass
class Ipv6Plan:
    plan: Plan
    diff: PlanDiff
    additions: Additions | None
    findings: list[Finding] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)  # the NSG companion rules (existing/nsg6.py RuleAddition)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def _foreign(body: Mapping[str, Any]) -> Owner:
    return Owner("foreign", tags=tuple(sorted((str(k), str(v)) for k, v in (body.get("tags") or {}).items())))


def _free_64(space: str, taken: list[str]) -> str | None:
    """The first /64 of ``space`` that no other subnet's IPv6 prefix overlaps."""
    net = ipaddress.IPv6Network(space, strict=False)
    used = [ipaddress.ip_network(t, strict=False) for t in taken if is_ipv6(t)]
    if net.prefixlen > 64:
        return None
    for i, sub in enumerate(net.subnets(new_prefix=64)):
        if not any(sub.overlaps(u) for u in used):  # type: ignore[arg-type]
            return sub.compressed
        if i > 4096:
            break
    return None


def _entry(step: Step, current: Mapping[str, Any], body: dict[str, Any], changes: tuple[Change, ...]) -> StepDiff:
    return StepDiff(step.key, step.label, step.kind, step.resource_id, "update" if changes else "unchanged",
                    changes=changes, owner=_foreign(current), current=current, body=body, etag=etag_of(current))


def _block(rule_id: str, message: str, where: str, source: str = SRC_HOWTO) -> Finding:
    return Finding(rule_id, "block", message, where, source, "Adding IPv6")


@dataclass(frozen=True)
class Choices:
    """What the user picks: the NIC to add IPv6 to (``--nic``; "": the VM's primary NIC), and the IPv6 source of
    the NSG companion rules (``--ipv6-nsg-source``: "" adds none; ``*`` or an IPv6 prefix), for the rules named in
    ``nsg_rules`` (``--ipv6-nsg-rule``; empty: every IPv4-only inbound allow rule on the NIC's path)."""

    nic: str = ""
    nsg_source: str = ""
    nsg_rules: tuple[str, ...] = ()


SRC_MULTI_NIC = "https://learn.microsoft.com/azure/virtual-machines/linux/multiple-nics#configure-guest-os-for-multiple-nics"


def plan_add_ipv6(net: VmNetwork, *, run_id: str, created_at: str, ula48: str | None = None,
                  pip_current: Mapping[str, Any] | None = None, pip_owner: Owner | None = None,
                  pip_name: str | None = None, choices: Choices = Choices()) -> Ipv6Plan:
    """The plan and its diff over what ``net`` read. ``pip_current``/``pip_owner``: the planned public IP as read
    (None: it does not exist) and who made it (run/preflight.py ``owner_of``). Raises ``NicNotFound`` for a NIC
    the VM does not have and ValueError for NSG rules it cannot add (the front ends say so as bad input)."""
    from ..plan.diff import classify

    nic = net.nic_named(choices.nic)
    nic_id = str(nic.get("id", ""))
    loc = net.location
    configs = net.ipconfigs(nic)
    primary = next((c for c in configs if c.primary), configs[0] if configs else None)
    findings: list[Finding] = []
    empty = Plan(JOURNEY, run_id, net.subscription_id, loc, ())
    if primary is None or not primary.subnet_id or net.vnet(primary.subnet_id) is None:
        findings.append(_block("ipv6-no-subnet", f"Network interface {nic.get('name')} has no IP configuration in a "
                               "virtual network azwizard could read, so there is no subnet to add IPv6 to.",
                               f"networkInterface:{nic.get('name')}"))
        return Ipv6Plan(empty, PlanDiff(()), None, findings)
    vnet = net.vnet(primary.subnet_id) or {}
    vnet_id = str(vnet.get("id", ""))
    sn_name = subnet_name(primary.subnet_id)
    subnets = list(props(vnet).get("subnets") or [])
    subnet = net.subnet(primary.subnet_id) or {}

    # ---- the VNet and the subnet
    spaces = [str(p) for p in (props(vnet).get("addressSpace") or {}).get("addressPrefixes") or []]
    v6_spaces = [p for p in spaces if is_ipv6(p)]
    space = v6_spaces[0] if v6_spaces else compressed(ula48 or random_ula_48())
    sn_prefixes = prefixes_of(subnet)
    sn_v6 = [p for p in sn_prefixes if is_ipv6(p)]
    others = [p for s in subnets if str(s.get("name", "")).lower() != sn_name.lower() for p in prefixes_of(s)]
    prefix = sn_v6[0] if sn_v6 else _free_64(space, others)
    if prefix is None:
        findings.append(_block("ipv6-no-free-64", f"Virtual network {vnet.get('name')}'s IPv6 space {space} has no "
                               "free /64 left for subnet " + sn_name + " (an IPv6 subnet must be exactly /64).",
                               f"virtualNetwork:{vnet.get('name')}", SRC_LIMITS))
        return Ipv6Plan(empty, PlanDiff(()), None, findings)
    if not sn_v6 and any((props(s).get("resourceNavigationLinks") or []) for s in subnets):
        findings.append(_block("ipv6-navigation-links", f"Virtual network {vnet.get('name')} has a subnet with "
                               "resource navigation links (a service such as App Service or a managed instance "
                               "injected into it): Azure cannot add IPv6 ranges to it; IPv6 has to be there from "
                               "its creation.", f"virtualNetwork:{vnet.get('name')}", SRC_LIMITS))
    desired_vnet: dict[str, Any] = {"properties": {
        "addressSpace": {"addressPrefixes": spaces + ([] if v6_spaces else [space])},
        "subnets": [{"name": str(subnet.get("name") or sn_name),
                     "properties": {"addressPrefixes": sn_prefixes + ([] if sn_v6 else [prefix])}}]}}
    vnet_step = Step("vnet", VNET, str(vnet.get("name", "")), vnet_id, desired_vnet, (),
                     f"Virtual network {vnet.get('name')}",
                     (("address space", ", ".join(desired_vnet["properties"]["addressSpace"]["addressPrefixes"])),
                      (f"subnet {sn_name}", ", ".join(sn_prefixes + ([] if sn_v6 else [prefix])))), NETWORK_API)
    vnet_body, vnet_changes = put_over(vnet_step, vnet, _foreign(vnet))
    if not sn_v6:
        vnet_body, removed = _one_prefix_list(vnet_body, sn_name)
        vnet_changes = (*vnet_changes, *removed)

    # ---- the public IPv6 and the NIC's ipconfig2
    v6_config = next((c for c in configs if c.version == "IPv6"), None)
    steps: list[Step] = [replace(vnet_step, body=vnet_body)]
    entries: list[StepDiff] = [_entry(steps[0], vnet, vnet_body, vnet_changes)]
    names = {c.name.lower() for c in configs}
    ipc_name = v6_config.name if v6_config else next(n for n in ("ipconfig2", "ipconfig-ipv6", "ipconfig-ipv6-2")
                                                      if n not in names)
    pip_id = v6_config.public_ip_id if v6_config else ""
    nic_deps: tuple[str, ...] = ("vnet",)
    if v6_config is None:
        group = net.resource_group
        name = pip_name or f"{net.name}-ipv6"
        pip_id = (f"/subscriptions/{net.subscription_id}/resourceGroups/{group}/providers/Microsoft.Network/"
                  f"publicIPAddresses/{name}")
        pip_body: dict[str, Any] = {
            "location": loc, "tags": azwizard_tags(run_id, JOURNEY, created_at),
            "sku": {"name": "Standard", "tier": "Regional"},
            "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv6"}}
        if net.region_zones:
            pip_body["zones"] = list(net.region_zones)
        pip_step = Step("pip6", PIP, name, pip_id, pip_body, (), f"Public IPv6 address {name}",
                        (("SKU", "Standard, static"), ("zones", ", ".join(net.region_zones or ()) or "none (a region "
                                                        "without zones)")), NETWORK_API)
        steps.append(pip_step)
        entries.append(classify(pip_step, pip_current, pip_owner))
        nic_deps = ("vnet", "pip6")
    # ---- the IPv6 companion rules the user asked for, one read-modify-write update per NSG (existing/nsg6.py)
    rule_adds: list[Any] = []
    notes: list[str] = []
    nsg_keys: list[str] = []
    if choices.nsg_source:
        from .nsg6 import companion_rules
        from .read import NSG

        rule_adds, problems = companion_rules(net, nic, primary.subnet_id, prefix, choices.nsg_source,
                                              choices.nsg_rules)
        for problem in problems:
            findings.append(_block("ipv6-nsg-no-priority", problem, f"networkSecurityGroup:{nic.get('name')}",
                                   "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview"
                                   "#security-rules"))
        by_nsg: dict[str, list[Any]] = {}
        for add in rule_adds:
            by_nsg.setdefault(add.nsg_id.lower(), []).append(add)
        for i, adds in enumerate(by_nsg.values(), 1):
            current = net.nsgs[adds[0].nsg_id.lower()]
            nsg_step = Step(f"nsg{i}", NSG, adds[0].nsg_name, str(current.get("id", adds[0].nsg_id)),
                            {"properties": {"securityRules": [dict(a.rule) for a in adds]}}, (),
                            f"Network security group {adds[0].nsg_name}",
                            tuple((f"rule {a.name}", f"IPv6 companion of {a.mirrors}") for a in adds), NETWORK_API)
            nsg_body, nsg_changes = put_over(nsg_step, current, _foreign(current))
            steps.append(replace(nsg_step, body=nsg_body))
            entries.append(_entry(steps[-1], current, nsg_body, nsg_changes))
            nsg_keys.append(nsg_step.key)
            notes += [a.describe() for a in adds]
        if not rule_adds and not problems:
            notes.append("No NSG rule needs an IPv6 companion: every inbound allow rule on the NIC's path lets "
                         "IPv6 clients in already (a * or service-tag source covers both families).")
    if nsg_keys:
        # The NSG updates land before the VNet's and so before the NIC's: NRP refuses a PUT of a subnet (the VNet's)
        # or a NIC while an NSG it references is still updating (ReferencedResourceNotProvisioned, "… is not in
        # Succeeded state. Resource is in Updating state": a subnet in https://github.com/hashicorp/terraform/issues/
        # 7986, a NIC in https://github.com/hashicorp/terraform/issues/7153), so they never run at once; the rules
        # are also in place before the VNet and the NIC carry IPv6.
        steps[0] = replace(steps[0], depends_on=(*steps[0].depends_on, *nsg_keys))
    if not net.is_primary(nic):
        notes.append(f"Network interface {nic.get('name')} is not the VM's primary NIC: the guest's default route "
                     "goes out of the primary one, so IPv6 on this NIC needs a route for it in the guest "
                     f"({SRC_MULTI_NIC}).")
    # Nothing to add when the NIC has an IPv6 ipconfig already: an empty body changes nothing (an empty list
    # would be a PUT without any ipconfig).
    desired_nic: dict[str, Any] = {} if v6_config else {"properties": {"ipConfigurations": [
        {"name": ipc_name, "properties": {
            "primary": False, "privateIPAddressVersion": "IPv6", "privateIPAllocationMethod": "Dynamic",
            "subnet": {"id": primary.subnet_id}, "publicIPAddress": {"id": pip_id}}}]}}
    nic_step = Step("nic", NIC, str(nic.get("name", "")), nic_id, desired_nic, nic_deps,
                    f"Network interface {nic.get('name')}",
                    ((primary.name, "IPv4, primary (unchanged)"), (ipc_name, f"IPv6, {pip_id.rsplit('/', 1)[-1]}")),
                    NETWORK_API)
    nic_body, nic_changes = put_over(nic_step, nic, _foreign(nic))
    # The NIC is the plan's last step: the plan's identity (run/preflight.py plan_identity: the last step's id for
    # a journey without a main step) is then the NIC's, the same in every run, so a rerun after a kill recognises
    # the public IP the stopped run made as its own.
    steps.append(replace(nic_step, body=nic_body))
    entries.append(_entry(steps[-1], nic, nic_body, nic_changes))
    plan = Plan(JOURNEY, run_id, net.subscription_id, loc, tuple(steps), notes=(
        "The VM itself is not changed (no PUT): the guest gets its IPv6 address by DHCPv6; a Linux image without "
        f"DHCPv6 on its NIC needs it turned on ({SRC_GUEST}).", *notes))
    for pip in net.public_ips.values():
        if str((pip.get("sku") or {}).get("name") or "Basic").lower() == "basic":
            findings.append(Finding(
                "ipv6-basic-public-ip", "warn",
                f"Public IP {pip.get('name')} of the VM is Basic SKU (retired 2025-09-30) and the new public IPv6 is "
                f"Standard: upgrade {pip.get('name')} to Standard first ({SRC_BASIC_UPGRADE}).",
                f"publicIP:{pip.get('name')}", SRC_BASIC_UPGRADE, "Adding IPv6"))
    additions = Additions(vnet_id, space, not v6_spaces, primary.subnet_id, prefix, not sn_v6, nic_id, ipc_name,
                          v6_config is None, pip_id, tuple((a.nsg_id, a.name) for a in rule_adds))
    return Ipv6Plan(plan, PlanDiff(tuple(entries)), additions, findings, rule_adds)


def _one_prefix_list(body: dict[str, Any], sn_name: str) -> tuple[dict[str, Any], tuple[Change, ...]]:
    """A dual-stack subnet lists its prefixes in ``addressPrefixes`` only: ``az network vnet subnet update
    --address-prefixes`` sends them there and leaves ``addressPrefix`` out (azure-cli network module,
    ``update_subnet``). The single ``addressPrefix`` read is dropped, and the diff says so."""
    removed: list[Change] = []
    for s in (body.get("properties") or {}).get("subnets") or []:
        p = s.get("properties") or {}
        if str(s.get("name", "")).lower() == sn_name.lower() and "addressPrefix" in p and p.get("addressPrefixes"):
            removed.append(Change(f"properties.subnets[{s.get('name')}].properties.addressPrefix",
                                  p.pop("addressPrefix"), ABSENT))
    return body, tuple(removed)


def read_pip(factory: Any, plan_: Ipv6Plan | None, subscription_id: str, step: Step) -> tuple[
        dict[str, Any] | None, Owner | None]:
    """The planned public IP as read, and who made it (journals on this machine, then its tags)."""
    from ..azure import ops
    from ..run.preflight import Ledger, owner_of, plan_identity

    model = ops.get(factory, PIP, step.resource_id)
    if model is None:
        return None, None
    body = ops.wire(model)
    plan = plan_.plan if plan_ is not None else Plan(JOURNEY, "", subscription_id, "", (step,))
    return body, owner_of(step.resource_id, body, plan, plan_identity(plan), Ledger.load(), False)


def review_add_ipv6(factory: Any, net: VmNetwork, *, run_id: str, created_at: str,
                    ula48: str | None = None, choices: Choices = Choices()) -> Ipv6Plan:
    """Plan, then read the planned public IP (when the plan makes one) and classify it like any create."""
    first = plan_add_ipv6(net, run_id=run_id, created_at=created_at, ula48=ula48, choices=choices)
    pip = next((s for s in first.plan.steps if s.key == "pip6"), None)
    if pip is None or first.additions is None:
        return first
    current, owner = read_pip(factory, first, net.subscription_id, pip)
    if current is None:
        return first
    return plan_add_ipv6(net, run_id=run_id, created_at=created_at, ula48=first.additions.ipv6_space,
                         pip_current=current, pip_owner=owner, choices=choices)


