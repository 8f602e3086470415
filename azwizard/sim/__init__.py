"""A simulated Azure Resource Manager that the real Azure SDK clients reach through azure-core's
transport layer (in-process) or over loopback HTTP(S) (``azwizard sim serve``).

    sim = ArmSim()
    transport = SimTransport(sim)
    client = ResourceManagementClient(cred, sim.subscription_id, base_url=SIM_BASE_URL, transport=transport)
"""

from .core import SIM_TOKEN, ArmSim
from .latency import DEMO, INSTANT, LatencyProfile

SIM_BASE_URL = "https://management.sim.test"  # .test never resolves (RFC 2606): nothing can leak out

__all__ = ["ArmSim", "SIM_BASE_URL", "SIM_TOKEN", "LatencyProfile", "DEMO", "INSTANT"]
