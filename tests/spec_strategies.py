"""Hypothesis strategies for the VM and AKS specs the journeys can produce (every field the wizard's steps
edit, with the values they offer), shared by the profile and az round-trip tests."""

from __future__ import annotations

import ipaddress
import os

from hypothesis import assume
from hypothesis import strategies as st

from azwizard.specs.aks import (
    AcrSpec,
    AksNetworkSpec,
    AksSpec,
    MaintenanceWindowSpec,
    NodePoolSpec,
    OperationsSpec,
    dual_stack_ipv6,
)
from azwizard.specs.azcli import canonical_window
from azwizard.specs.vm import (
    IMAGES,
    BackupSpec,
    DiskSpec,
    ImageRef,
    NatGatewaySpec,
    NetworkSpec,
    NsgRule,
    PublicIpSpec,
    VmNames,
    VmSpec,
    rules_for_purpose,
)

SUB = "5a1b0c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAM+Y7x+NS548G3RRcpSSlEjLKa47rk45XyCGsobMClj me@laptop"
RESERVED_TAGS = {"created-by", "azwizard-run", "azwizard-journey", "azwizard-created"}

def names_a_path(text: str) -> bool:
    """Whether az would read ``text`` given to --custom-data as the name of a file (it names something that exists:
    ".", "/", "~"), so it is not custom data that can round-trip as text."""
    try:
        return bool(text) and os.path.exists(os.path.expanduser(text))
    except (ValueError, OSError):
        return False


names = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,6}(-[A-Za-z0-9]{1,4})?", fullmatch=True)
# Free text as typed into a field: printable, no line breaks, not starting with "@" (az reads "@x" as a file).
line_text = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\x7f"),
                    max_size=20).filter(lambda t: not t.startswith("@"))
# What a hostile or careless user types where az's parser could misread it: a leading "-" (argparse reads "-n=x"
# as --name x), "--", line breaks, quotes, "$VAR" text (issue 13: the exports and the az reader must keep each a
# value).
hostile = st.sampled_from(["--", "-x", "-n=Evil", "-rg", "a\nb", "it's \"$RG\" $(x) `y`", "\\", "tail \\\n"])
tag_text = st.one_of(line_text, hostile)
tags = st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,8}", fullmatch=True).filter(
    lambda k: k.casefold() not in RESERVED_TAGS), tag_text, max_size=3).map(lambda d: tuple(d.items()))


@st.composite
def ula48(draw: st.DrawFn) -> str:
    gid = draw(st.integers(0, 2**40 - 1))
    return str(ipaddress.IPv6Network(((0xFD << 120) | (gid << 80), 48)).compressed)


@st.composite
def nsg_rules(draw: st.DrawFn) -> tuple[str, tuple[NsgRule, ...]]:
    purpose = draw(st.sampled_from(["web", "ssh-only", "custom"]))
    source = draw(st.sampled_from(["*", "203.0.113.7/32", "Internet"]))
    if purpose != "custom":
        return purpose, rules_for_purpose(purpose, source)  # type: ignore[arg-type]
    n = draw(st.integers(0, 3))
    prios = draw(st.lists(st.integers(100, 4096), min_size=n, max_size=n, unique=True))
    rules = []
    for i, prio in enumerate(prios):
        ports = draw(st.lists(st.sampled_from(["22", "80", "443", "8000-8080", "*"]), min_size=1, max_size=3,
                              unique=True))
        rules.append(NsgRule(
            name=f"Rule-{i}-{draw(st.from_regex(r'[A-Za-z0-9]{0,4}', fullmatch=True))}", priority=prio,
            protocol=draw(st.sampled_from(["Tcp", "Udp", "Icmp", "*"])), destination_ports=tuple(ports),
            source=draw(st.sampled_from(["*", "Internet", "198.51.100.0/24"])),
            access=draw(st.sampled_from(["Allow", "Deny"])),
            description=draw(st.one_of(st.just(""), line_text, hostile)),
        ))
    return purpose, tuple(rules)


disk_skus = st.sampled_from(["StandardSSD_LRS", "Premium_LRS", "Standard_LRS"])


@st.composite
def vm_specs(draw: st.DrawFn) -> VmSpec:
    base = draw(names)
    derived = VmNames.derive(base)
    overrides = draw(st.dictionaries(st.sampled_from(["resource_group", "vnet", "subnet", "nsg", "nic", "vm",
                                                      "public_ipv4", "public_ipv6", "os_disk", "data_disk",
                                                      "vault", "nat_gateway", "nat_public_ipv4"]),
                                     names, max_size=3))
    vm_names = VmNames(**{**derived.__dict__, **overrides})
    # Two resources with one name are refused by the rules (vm-names-unique) and cannot be told apart in the
    # commands either (the reader follows names).
    assume(len({n.lower() for n in vm_names.__dict__.values()}) == len(vm_names.__dict__))
    v6 = draw(ula48())
    v4 = draw(st.sampled_from(["10.0.0.0/16", "10.1.0.0/16", "192.168.0.0/20"]))
    net = NetworkSpec(ipv4_space=v4, ipv6_space=v6,
                      subnet_ipv4=draw(st.sampled_from(["", str(next(ipaddress.ip_network(v4).subnets(new_prefix=24))),
                                                        str(list(ipaddress.ip_network(v4).subnets(new_prefix=24))[3])])),
                      subnet_ipv6=draw(st.sampled_from(["", str(next(ipaddress.ip_network(v6).subnets(new_prefix=64)))])))
    purpose, rules = draw(nsg_rules())
    nat_on = draw(st.booleans())
    custom_image = ImageRef("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", "latest")
    return VmSpec(
        base_name=base, location=draw(st.sampled_from(["norwayeast", "westeurope", "norwaywest"])),
        names=vm_names,
        use_existing_group=draw(st.booleans()),
        network=net,
        public_ip=PublicIpSpec(zones=draw(st.sampled_from([("1", "2", "3"), (), ("2",)])),
                               routing_preference=draw(st.sampled_from(["Microsoft", "Internet"])),
                               idle_timeout_minutes=draw(st.integers(4, 30))),
        nat_gateway=NatGatewaySpec(enabled=nat_on, idle_timeout_minutes=draw(st.integers(4, 120)),
                                   zones=draw(st.sampled_from([(), ("1",)]))),
        purpose=purpose, nsg_rules=rules,  # type: ignore[arg-type]
        image=draw(st.sampled_from([*IMAGES.values(), custom_image])),
        size=draw(st.sampled_from(["Standard_B2s", "Standard_D2s_v5", "Standard_D4ds_v5"])),
        zone=draw(st.sampled_from([None, "1", "3"])),
        security_type=draw(st.sampled_from(["TrustedLaunch", "Standard"])),
        admin_username=draw(st.sampled_from(["azureuser", "ops"])),
        ssh_public_key=draw(st.sampled_from([KEY, ""])),
        os_disk=DiskSpec(size_gb=draw(st.one_of(st.none(), st.integers(30, 1024))), sku=draw(disk_skus),
                         delete_with_vm=draw(st.booleans())),
        data_disk=draw(st.one_of(st.none(), st.builds(DiskSpec, st.one_of(st.none(), st.integers(4, 4096)),
                                                      disk_skus, st.booleans()))),
        nic_delete_with_vm=draw(st.booleans()),
        public_ip_delete_with_vm=draw(st.booleans()),
        accelerated_networking=draw(st.booleans()),
        backup=BackupSpec(draw(st.booleans()), draw(st.sampled_from(["auto", "Standard", "Enhanced"]))),
        custom_data=draw(st.one_of(st.just(""), st.just("#cloud-config\npackages: [nginx]\n"), hostile,
                                   st.text(st.characters(min_codepoint=10, max_codepoint=0x2FF,
                                                         exclude_characters="\r\x0b\x0c\x1c\x1d\x1e\x7f\x85"),
                                           max_size=40).filter(
                                               lambda t: not t.startswith("@") and not names_a_path(t)))),
        extra_tags=draw(tags),
    )


@st.composite
def pools(draw: st.DrawFn, *, system: bool) -> NodePoolSpec:
    os_type = "Linux" if system else draw(st.sampled_from(["Linux", "Windows"]))
    sku = draw(st.sampled_from(["AzureLinux", "Ubuntu"] if os_type == "Linux" else ["Windows2022", "Windows2019"]))
    return NodePoolSpec(
        name=draw(st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True)) if not system else
        draw(st.sampled_from(["nodepool1", "system"])),
        vm_size=draw(st.sampled_from(["Standard_D2s_v5", "Standard_D4ds_v5"])),
        count=draw(st.integers(0 if not system else 1, 5)),
        mode="System" if system else draw(st.sampled_from(["User", "System"])),
        os_type=os_type, os_sku=sku,  # type: ignore[arg-type]
        os_disk_type=draw(st.sampled_from(["Managed", "Ephemeral"])),
        os_disk_size_gb=draw(st.one_of(st.none(), st.integers(30, 512))),
        zones=draw(st.sampled_from([(), ("1", "2", "3"), ("2",)])),
        max_pods=draw(st.one_of(st.none(), st.integers(10, 250))),
    )


@st.composite
def aks_networks(draw: st.DrawFn) -> AksNetworkSpec:
    plugin = draw(st.sampled_from(["azure", "kubenet", "none"]))
    dataplane = draw(st.sampled_from(["cilium", "azure"]))
    # With the Cilium dataplane AKS always runs the Cilium policy engine (the rules block anything else, and an
    # omitted networkPolicy means cilium there).
    policy = "cilium" if dataplane == "cilium" else draw(st.sampled_from(["none", "calico", "azure", "cilium"]))
    dual = draw(st.booleans())
    pods6, svc6 = dual_stack_ipv6(draw(ula48()))
    pods = (draw(st.sampled_from(["10.244.0.0/16", "172.16.0.0/16"])), *((pods6,) if dual else ()))
    services = (draw(st.sampled_from(["10.96.0.0/16", "10.0.0.0/16"])), *((svc6,) if dual else ()))
    return AksNetworkSpec(
        plugin=plugin, plugin_mode=draw(st.sampled_from(["overlay", ""])), dataplane=dataplane,  # type: ignore[arg-type]
        policy=policy, ip_families=("IPv4", "IPv6") if dual else ("IPv4",),  # type: ignore[arg-type]
        pod_cidrs=pods, service_cidrs=services,
        dns_service_ip=draw(st.sampled_from(["", str(ipaddress.ip_network(services[0])[20])])),
        outbound_type=draw(st.sampled_from(["loadBalancer", "managedNATGateway"])),
        load_balancer_sku=draw(st.sampled_from(["standard", "basic"])),
    )


@st.composite
def windows(draw: st.DrawFn) -> MaintenanceWindowSpec | None:
    """A maintenance window of each kind (or none), in the form reading it back gives (canonical_window)."""
    kind = draw(st.sampled_from([None, "Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly"]))
    if kind is None:
        return None
    window = MaintenanceWindowSpec(
        schedule=kind, interval=draw(st.integers(1, 4)), day_of_week=draw(st.sampled_from(["Saturday", "Tuesday"])),
        day_of_month=draw(st.integers(1, 28)), week_index=draw(st.sampled_from(["First", "Last"])),
        start_date=draw(st.sampled_from(["", "2027-01-02"])), start_time=draw(st.sampled_from(["00:00", "22:30"])),
        duration_hours=draw(st.integers(4, 24)), utc_offset=draw(st.sampled_from(["", "+01:00", "-05:00"])))
    return canonical_window(window)


@st.composite
def operations(draw: st.DrawFn) -> OperationsSpec:
    cleaner = draw(st.booleans())
    return OperationsSpec(
        upgrade_channel=draw(st.sampled_from(["", "none", "patch", "stable", "rapid", "node-image"])),
        node_os_upgrade_channel=draw(st.sampled_from(["", "None", "Unmanaged", "NodeImage", "SecurityPatch"])),
        upgrade_window=draw(windows()), node_os_window=draw(windows()), image_cleaner=cleaner,
        image_cleaner_interval_hours=draw(st.sampled_from([24, 168, 720])) if cleaner else 168,
        ssh_access=draw(st.sampled_from(["", "disabled"])), app_routing=draw(st.booleans()),
        monitor_metrics=draw(st.booleans()))


@st.composite
def aks_specs(draw: st.DrawFn) -> AksSpec:
    name = draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True))
    rg = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,12}", fullmatch=True))
    mode = draw(st.sampled_from(["none", "create", "attach"]))
    acr = AcrSpec()
    if mode == "create":
        acr = AcrSpec("create", draw(st.from_regex(r"[a-z][a-z0-9]{4,10}", fullmatch=True)),
                      draw(st.sampled_from(["Basic", "Standard"])))
    elif mode == "attach":
        group = draw(st.sampled_from([rg, "shared-RG"]))
        acr = AcrSpec("attach", existing_id=f"/subscriptions/{SUB}/resourceGroups/{group}/providers/"
                                            f"Microsoft.ContainerRegistry/registries/"
                                            f"{draw(st.from_regex(r'[a-z][a-z0-9]{4,8}', fullmatch=True))}")
    user_pools = draw(st.lists(pools(system=False), max_size=2, unique_by=lambda p: p.name))
    private = draw(st.booleans())
    ranges = () if private else tuple(draw(st.lists(st.sampled_from(["203.0.113.7/32", "198.51.100.0/24",
                                                                      "192.0.2.1"]), max_size=3, unique=True)))
    network = draw(aks_networks())
    if network.outbound_type == "loadBalancer":
        network = network.with_(outbound_ipv4_count=draw(st.sampled_from([None, 1, 3])),
                                outbound_ipv6_count=draw(st.sampled_from([None, 0, 2])) if network.dual_stack
                                else None)
    return AksSpec(
        private_cluster=private, disable_public_fqdn=private and draw(st.booleans()),
        operations=draw(operations()),
        location=draw(st.sampled_from(["norwayeast", "westeurope"])), resource_group=rg,
        use_existing_group=draw(st.booleans()), cluster_name=name,
        dns_prefix=draw(st.sampled_from(["", "mycluster-dns"])),
        tier=draw(st.sampled_from(["free", "standard", "premium"])),
        support_plan=draw(st.sampled_from(["KubernetesOfficial", "AKSLongTermSupport"])),
        kubernetes_version=draw(st.sampled_from(["", "1.33", "1.34.2"])),
        vm_set_type=draw(st.sampled_from(["VirtualMachineScaleSets", "AvailabilitySet"])),
        system_pool=draw(pools(system=True)),
        user_pools=tuple(p for p in user_pools if p.name not in ("nodepool1", "system")),
        network=network,
        authorized_ip_ranges=ranges,
        acr=acr,
        admin_username=draw(st.sampled_from(["azureuser", "k8sadmin"])),
        ssh_public_key=draw(st.sampled_from(["", KEY])),
        extra_tags=draw(tags),
    )
