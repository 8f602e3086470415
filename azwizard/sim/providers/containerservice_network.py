"""Microsoft.ContainerService: a managed cluster's ``networkProfile`` as the AKS RP validates it and fills
in its server defaults (pod/service CIDRs, DNS service IP, outbound load balancer, IP families).

Defaults follow the recordings in Azure/azure-cli
``src/azure-cli/azure/cli/command_modules/acs/tests/latest/recordings/test_aks_create_dualstack_with_default_network.yaml``
(podCidr 10.244.0.0/16, serviceCidr 10.0.0.0/16, dnsServiceIP 10.0.0.10, ipFamilies normalised to
``IPv4``/``IPv6``, managedOutboundIPs count/countIPv6) and the dual-stack defaults documented in
azure-aks-docs ``configure-dual-stack.md`` (fd12:3456:789a::/64 pods, fd12:3456:789a:1::/108 services).
Rule numbers are the pre-flight catalogue's (the ``catalogue`` field of azwizard/rules).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from .containerservice_rules import AksError, bad, minor

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_POD_CIDRS = {"IPv4": "10.244.0.0/16", "IPv6": "fd12:3456:789a::/64"}
DEFAULT_SERVICE_CIDRS = {"IPv4": "10.0.0.0/16", "IPv6": "fd12:3456:789a:1::/108"}
# Rule 56 (Azure/AKS#2234 quoting the kubenet prerequisites): ranges AKS keeps for itself.
RESERVED = tuple(ipaddress.ip_network(c) for c in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"))
_FAMILIES = {"ipv4": "IPv4", "ipv6": "IPv6"}
_PLUGINS = ("azure", "kubenet", "none")


def _families(raw: Any) -> list[str]:
    """``ipFamilies`` case-insensitively (``az`` sends ``["ipv4","ipv6"]``), answered as ``IPv4``/``IPv6``.
    Only ``[IPv4]`` and ``[IPv4, IPv6]`` exist (rules 50, 51: IPv6-only is not supported)."""
    if not raw:
        return ["IPv4"]
    fams = []
    for item in raw:
        fam = _FAMILIES.get(str(item).lower())
        if fam is None:
            raise bad("InvalidParameter", f"The value of parameter networkProfile.ipFamilies is invalid: '{item}'. "
                      "Allowed values are 'IPv4' and 'IPv6'.", "networkProfile.ipFamilies")
        fams.append(fam)
    if fams == ["IPv6"]:
        # composed; code from the AKS RP dual-stack catalogue (the AKS RP's Go apierror code list).
        raise bad("InvalidNetworkingConfig", "IPv6 single-stack clusters are not supported. ipFamilies must be "
                  "[IPv4] or [IPv4, IPv6].", "networkProfile.ipFamilies")
    if fams not in (["IPv4"], ["IPv4", "IPv6"]):
        raise bad("InvalidNetworkingConfig", f"ipFamilies {fams} is invalid. ipFamilies must be [IPv4] or "
                  "[IPv4, IPv6], with IPv4 first.", "networkProfile.ipFamilies")
    return fams


def _parse(cidr: Any, field: str) -> Network:
    try:
        return ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        raise bad("InvalidParameter", f"The value of parameter networkProfile.{field} is invalid: '{cidr}' is not a "
                  "valid CIDR notation.", f"networkProfile.{field}") from None


def _cidr_list(np: dict[str, Any], single: str, plural: str, families: list[str],
               defaults: dict[str, str]) -> list[str]:
    """``podCidrs``/``serviceCidrs`` (or their singular forms), one per family in family order (rule 50)."""
    many = np.get(plural)
    one = np.get(single)
    if many and one and one != many[0]:
        raise bad("InvalidNetworkingConfig", f"{single} {one} must match the first entry of {plural} {many}.",
                  f"networkProfile.{plural}")
    cidrs = list(many) if many else ([one] if one else [defaults[f] for f in families])
    nets = [_parse(c, plural) for c in cidrs]
    got = ["IPv4" if n.version == 4 else "IPv6" for n in nets]
    if got != families:
        # composed; code from the AKS RP dual-stack catalogue (the AKS RP's Go apierror code list), rule 50.
        raise bad("InvalidNetworkingConfig", f"{plural} {cidrs} do not match ipFamilies {families}: one CIDR per IP "
                  "family is required, in the same order as ipFamilies.", f"networkProfile.{plural}")
    return cidrs


def _check_reserved(cidrs: list[str], field: str) -> None:
    for c in cidrs:
        net = ipaddress.ip_network(c, strict=False)
        for r in RESERVED:
            if net.version == r.version and net.overlaps(r):
                # composed (rule 56): the RP refuses ranges it reserves.
                raise bad("InvalidParameter", f"The {field} {c} overlaps with the reserved range {r}. The ranges "
                          "169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24 cannot be used.",
                          f"networkProfile.{field}")


def _overlap(a: str, b: str) -> bool:
    na, nb = ipaddress.ip_network(a, strict=False), ipaddress.ip_network(b, strict=False)
    return na.version == nb.version and na.overlaps(nb)


def _policies(np: dict[str, Any], plugin: str, dual: bool, version: str) -> tuple[str, str | None]:
    """Dataplane and policy rules (rules 52, 53)."""
    dataplane = np.get("networkDataplane") or "azure"
    policy = np.get("networkPolicy")
    if dataplane == "cilium":
        policy = policy or "cilium"
        if policy != "cilium":
            # Verbatim, Azure/bicep-registry-modules#3361 and Azure/AKS-Construction#535.
            raise AksError(400, "BadRequest", "Cilium dataplane requires network policy cilium.",
                           target="networkProfile.networkPolicy", subcode="CiliumDataplaneRequiresNetworkPolicyCilium")
        if plugin != "azure":
            # composed: Azure CNI powered by Cilium needs the azure plugin (azure-cni-powered-by-cilium.md).
            raise bad("InvalidParameter", f"Cilium dataplane requires network plugin azure, not {plugin}.",
                      "networkProfile.networkDataplane")
    elif policy == "cilium":
        # Verbatim, AdminTurnedDevOps/DevOps-The-Hard-Way-Azure#1 (2025).
        raise AksError(400, "NetworkPolicyNotSupported", "Network Policy cilium requires NetworkDataplane cilium",
                       target="networkProfile.networkPolicy", subcode="NetworkPolicyCiliumRequiresCiliumDataplane")
    if dual and policy in ("azure", "calico"):
        # Code verbatim from https://github.com/HON95/wiki/blob/main/cloud/azure.md and the AKS RP's Go apierror code list; message in the same words as that page's.
        raise bad("UnsupportedDualStackNetworkPolicy",
                  f"Network policy {policy} is not supported for dual-stack clusters.", "networkProfile.networkPolicy")
    if dual and policy == "cilium" and minor(version) < (1, 29):
        # https://github.com/HON95/wiki/blob/main/cloud/azure.md verbatim (1.29-era): Cilium dual-stack went GA for 1.29+.
        raise bad("UnsupportedDualStackNetworkPolicy", "Network policy cilium is not supported for dual-stack clusters.",
                  "networkProfile.networkPolicy")
    return dataplane, policy


def _dns_service_ip(np: dict[str, Any], service_v4: str) -> str:
    net = ipaddress.ip_network(service_v4, strict=False)
    raw = np.get("dnsServiceIP")
    if not raw:
        return str(net.network_address + 10)
    try:
        ip = ipaddress.ip_address(str(raw))
    except ValueError:
        raise bad("InvalidParameter", f"The value of parameter networkProfile.dnsServiceIP is invalid: '{raw}'.",
                  "networkProfile.dnsServiceIP") from None
    if ip.version != 4 or ip not in net:
        # Verbatim, SupportArticles-docs error-codes/dnsserviceipoutofservicecidr-error.md.
        raise bad("DnsServiceIpOutOfServiceCidr",
                  f"The DNS service IP {ip} is out of the range defined by service CIDR {service_v4}.",
                  "networkProfile.dnsServiceIP")
    if ip in (net.network_address, net.network_address + 1):
        # composed (rule 57): the first addresses of the service range are taken (the kubernetes service).
        raise bad("InvalidParameter", f"The DNS service IP {ip} is reserved: it can't be the first IP address of "
                  f"service CIDR {service_v4}.", "networkProfile.dnsServiceIP")
    return str(ip)


def build_network_profile(np_in: dict[str, Any] | None, version: str,
                          subnet_prefixes: list[str]) -> dict[str, Any]:
    """Validate ``networkProfile`` and answer it with the server defaults filled in.

    ``subnet_prefixes`` are the address prefixes of the pools' BYO subnets (empty with the managed VNet).
    """
    np = dict(np_in or {})
    lb_sku = np.get("loadBalancerSku") or "standard"
    if lb_sku.lower() == "basic":
        # composed (rule 62): new clusters with the Basic load balancer are blocked since 2025-03-31 (Azure/AKS#5020).
        raise bad("InvalidParameter", "Basic load balancer is not supported for new clusters: it was retired on "
                  "30 September 2025. Use loadBalancerSku 'standard'. See https://aka.ms/aks/basic-lb-retirement.",
                  "networkProfile.loadBalancerSku")
    plugin = np.get("networkPlugin")
    mode = np.get("networkPluginMode")
    if not plugin:
        plugin, mode = "azure", mode or "overlay"  # today's default: Azure CNI Overlay
    if plugin not in _PLUGINS:
        raise bad("InvalidParameter", f"The value of parameter networkProfile.networkPlugin is invalid: '{plugin}'.",
                  "networkProfile.networkPlugin")
    overlay = plugin == "azure" and str(mode or "").lower() == "overlay"
    families = _families(np.get("ipFamilies"))
    dual = families == ["IPv4", "IPv6"]
    if dual and plugin == "azure" and not overlay:
        # Code from the AKS RP's Go apierror code list; message composed (rule 51: dual-stack needs Azure CNI Overlay or kubenet).
        raise bad("UnsupportedDualStackNetworkPlugin", "Network plugin azure is not supported for dual-stack clusters "
                  "unless networkPluginMode is overlay.", "networkProfile.networkPlugin")
    dataplane, policy = _policies(np, plugin, dual, version)
    outbound = np.get("outboundType") or "loadBalancer"
    if dual and outbound == "managedNATGateway":
        # composed (rule 59): the managed NAT gateway (Standard) is IPv4-only.
        raise bad("InvalidParameter", "Outbound type managedNATGateway is not supported for dual-stack clusters: the "
                  "managed NAT gateway is IPv4-only. Use outboundType loadBalancer.", "networkProfile.outboundType")

    uses_pod_cidr = plugin == "kubenet" or overlay
    if not uses_pod_cidr and plugin == "azure" and (np.get("podCidr") or np.get("podCidrs")):
        # composed: traditional Azure CNI takes pod IPs from the subnet.
        raise bad("InvalidParameter", "podCidr can't be set when networkPlugin is azure and networkPluginMode isn't "
                  "overlay: pods get their IP addresses from the subnet.", "networkProfile.podCidr")
    pod_cidrs = _cidr_list(np, "podCidr", "podCidrs", families, DEFAULT_POD_CIDRS) if uses_pod_cidr else []
    service_cidrs = _cidr_list(np, "serviceCidr", "serviceCidrs", families, DEFAULT_SERVICE_CIDRS)
    for c in service_cidrs:
        net = ipaddress.ip_network(c, strict=False)
        if net.version == 6 and net.prefixlen < 108:
            # Code from the AKS RP's Go apierror code list; message composed (rule 54, configure-dual-stack.md: at most /108).
            raise bad("InvalidServiceCidrIPv6MaskSize", f"The IPv6 service CIDR {c} is too large: its mask size must "
                      "be /108 or smaller (a prefix length of at least 108).", "networkProfile.serviceCidrs")
    _check_reserved(pod_cidrs, "podCidr")
    _check_reserved(service_cidrs, "serviceCidr")
    for p in pod_cidrs:
        for s in service_cidrs:
            if _overlap(p, s):
                # composed (rule 55).
                raise bad("InvalidParameter", f"The pod CIDR {p} overlaps with the service CIDR {s}.",
                          "networkProfile.podCidr")
    for s in service_cidrs:
        for sub in subnet_prefixes:
            if _overlap(s, sub):
                # Verbatim, SupportArticles-docs error-codes/servicecidroverlapexistingsubnetscidr-error.md.
                raise bad("ServiceCidrOverlapExistingSubnetsCidr",
                          f"The specified service CIDR {s} is conflicted with an existing subnet CIDR {sub}",
                          "networkProfile.serviceCIDR")
    for p in pod_cidrs:
        for sub in subnet_prefixes:
            if _overlap(p, sub):
                # composed (rule 55).
                raise bad("InvalidParameter", f"The specified pod CIDR {p} is conflicted with an existing subnet "
                          f"CIDR {sub}", "networkProfile.podCidr")
    dns_ip = _dns_service_ip(np, service_cidrs[0])

    out: dict[str, Any] = {"networkPlugin": plugin}
    if mode:
        out["networkPluginMode"] = mode
    if policy:
        out["networkPolicy"] = policy
    out["networkDataplane"] = dataplane
    out["loadBalancerSku"] = lb_sku
    if outbound == "loadBalancer":
        lbp = dict(np.get("loadBalancerProfile") or {})
        managed = dict(lbp.get("managedOutboundIPs") or {})
        if not lbp.get("outboundIPs") and not lbp.get("outboundIPPrefixes"):
            managed.setdefault("count", 1)
            if dual:
                managed.setdefault("countIPv6", 1)
            _check_outbound_counts(managed, dual)
            lbp["managedOutboundIPs"] = managed
        lbp.setdefault("backendPoolType", "nodeIPConfiguration")
        out["loadBalancerProfile"] = lbp
    if pod_cidrs:
        out["podCidr"] = pod_cidrs[0]
    out["serviceCidr"] = service_cidrs[0]
    out["dnsServiceIP"] = dns_ip
    out["outboundType"] = outbound
    if pod_cidrs:
        out["podCidrs"] = pod_cidrs
    out["serviceCidrs"] = service_cidrs
    out["ipFamilies"] = families
    for key in ("natGatewayProfile", "staticEgressGatewayProfile", "advancedNetworking", "podLinkLocalAccess"):
        if key in np:
            out[key] = np[key]
    return out


def _check_outbound_counts(managed: dict[str, Any], dual: bool) -> None:
    """ManagedClusterLoadBalancerProfile.managedOutboundIPs: ``count`` 1-100 (default 1), ``countIPv6`` 0-100
    (default 0 single-stack, 1 dual-stack), at most 100 together
    (https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update#managedoutboundips). Messages
    composed; the code is the one AKS answers for a parameter out of range (InvalidParameter)."""
    for key, low in (("count", 1), ("countIPv6", 0)):
        value = managed.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= 100:
            raise bad("InvalidParameter", f"The value of parameter loadBalancerProfile.managedOutboundIPs.{key} is "
                      f"invalid: {value}. It must be between {low} and 100.",
                      f"networkProfile.loadBalancerProfile.managedOutboundIPs.{key}")
    if not dual and managed.get("countIPv6"):
        raise bad("InvalidParameter", "The value of parameter loadBalancerProfile.managedOutboundIPs.countIPv6 is "
                  f"invalid: {managed['countIPv6']}. Managed outbound IPv6 addresses need a dual-stack cluster "
                  "(ipFamilies IPv4 and IPv6).", "networkProfile.loadBalancerProfile.managedOutboundIPs.countIPv6")
    if int(managed.get("count") or 0) + int(managed.get("countIPv6") or 0) > 100:
        raise bad("InvalidParameter", "The total of managed outbound IPs (count + countIPv6) must not exceed 100.",
                  "networkProfile.loadBalancerProfile.managedOutboundIPs")


def max_pods_default(np: dict[str, Any]) -> int:
    """Per-node pod limit when ``maxPods`` is not given: 250 with Azure CNI Overlay (and BYO CNI), 30 with
    traditional Azure CNI, 110 with kubenet (the dual-stack kubenet recording shows 110)."""
    plugin = np.get("networkPlugin")
    if plugin == "kubenet":
        return 110
    if plugin == "azure" and str(np.get("networkPluginMode") or "").lower() != "overlay":
        return 30
    return 250
