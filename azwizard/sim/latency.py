"""How long simulated operations take.

Durations are typical wall-clock seconds seen in Azure for each resource type (rough, from experience
and the products' own docs: AKS clusters take minutes, network resources seconds). ``scale`` multiplies
them: tests use 0 (instant, and the transport never sleeps), demo mode ~1/20, benchmarks what they need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# lower-cased full type -> seconds to create (PUT) / delete
TYPICAL_PUT_SECONDS: dict[str, float] = {
    "microsoft.network/virtualnetworks": 6,
    "microsoft.network/virtualnetworks/subnets": 4,
    "microsoft.network/publicipaddresses": 3,
    "microsoft.network/natgateways": 12,
    "microsoft.network/networksecuritygroups": 3,
    "microsoft.network/networksecuritygroups/securityrules": 3,
    "microsoft.network/networkinterfaces": 3,
    "microsoft.compute/virtualmachines": 50,
    "microsoft.compute/disks": 6,
    "microsoft.containerservice/managedclusters": 360,
    "microsoft.containerservice/managedclusters/agentpools": 180,
    "microsoft.containerregistry/registries": 15,
    "microsoft.recoveryservices/vaults": 10,
}
TYPICAL_DELETE_SECONDS: dict[str, float] = {
    "microsoft.resources/resourcegroups": 45,
    "microsoft.compute/virtualmachines": 40,
    "microsoft.containerservice/managedclusters": 300,
    "microsoft.containerservice/managedclusters/agentpools": 120,
}
TYPICAL_ACTION_SECONDS: dict[str, float] = {
    "stop": 180,
    "start": 180,
    "deallocate": 40,
    "poweroff": 20,
    "restart": 30,
}


@dataclass
class LatencyProfile:
    scale: float = 0.0
    put_seconds: dict[str, float] = field(default_factory=lambda: dict(TYPICAL_PUT_SECONDS))
    delete_seconds: dict[str, float] = field(default_factory=lambda: dict(TYPICAL_DELETE_SECONDS))
    action_seconds: dict[str, float] = field(default_factory=lambda: dict(TYPICAL_ACTION_SECONDS))
    default_seconds: float = 5.0

    def put(self, rtype: str) -> float:
        return self.put_seconds.get(rtype.lower(), self.default_seconds) * self.scale

    def delete(self, rtype: str) -> float:
        return self.delete_seconds.get(rtype.lower(), self.default_seconds) * self.scale

    def action(self, name: str) -> float:
        return self.action_seconds.get(name.lower(), self.default_seconds) * self.scale


INSTANT = LatencyProfile(scale=0.0)
DEMO = LatencyProfile(scale=1 / 20)
