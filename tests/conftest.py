"""Shared fixtures: a fresh simulator per test and the real SDK clients wired to it."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from azwizard.screens.app import AzWizardApp
from hypothesis import settings
from textual_speed import install as install_textual_speed

from azwizard.sim import SIM_BASE_URL, ArmSim
from azwizard.sim.transport import SimTransport

# Tests never read or write the user's files (azwizard data dir, Azure CLI profile) and never reach a network.
os.environ["AZWIZARD_DATA_DIR"] = tempfile.mkdtemp(prefix="azwizard-test-data-")
os.environ["AZWIZARD_CACHE_DIR"] = tempfile.mkdtemp(prefix="azwizard-test-cache-")
os.environ.setdefault("AZURE_CORE_COLLECT_TELEMETRY", "no")

# Property tests in CI are deterministic: the "ci" profile derives every example from the test itself
# (derandomize), so a run can be repeated exactly and a green CI run stays green. .ci/run selects it with
# HYPOTHESIS_PROFILE=ci (and CI=true selects it too); locally the default profile keeps exploring new examples.
# The deep, randomized exploration is a separate command run by hand: benchmarks/fuzz.py.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() in ("true", "1") else "default"))


# Garbage collection cost a quarter of a UI test's CPU time with the default thresholds (700, 10, 10): each app
# leaves tens of thousands of objects in reference cycles, and every gen-2 pass walked all the modules' objects
# too. Collect less often, and move what exists once the tests are imported out of the collector's way
# (gc.freeze). Measured on 33 snapshot tests in one process: 63 s CPU and 146 MB peak with the defaults, 43 s and
# 207 MB with these; (10_000, 20, 20) saved no more CPU and grew a worker past 1.5 GB.
gc.set_threshold(10_000, 10, 10)


# Per-app costs of a test process that one app run does not pay: CSS parsed once per process, shorter idle polls
# in Pilot's key presses and pauses (tests/textual_speed.py says what and why).
install_textual_speed()
# ... and no full collection and heap freeze per app (screens/app.py FREEZE_HEAP): the freeze below stays.
AzWizardApp.FREEZE_HEAP = False


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


class FakeCredential:
    """The simulator's credential: a fixed token (the SDK caches it like any other)."""

    def __init__(self, token: str = "azwizard-sim-token") -> None:
        self.token = token
        self.calls = 0

    def get_token(self, *scopes: str, claims: Any = None, tenant_id: Any = None, enable_cae: bool = False,
                  **kw: Any) -> Any:
        import time

        from azure.core.credentials import AccessToken

        self.calls += 1
        return AccessToken(self.token, int(time.time()) + 3600)


class SdkClients:
    """Real azure-mgmt clients against one simulator, built on first use."""

    def __init__(self, sim: ArmSim, **kwargs: Any) -> None:
        self.sim = sim
        self.transport = SimTransport(sim)
        self.credential = FakeCredential()
        self.kwargs = {"base_url": SIM_BASE_URL, "transport": self.transport, "polling_interval": 0, **kwargs}
        self._cache: dict[str, Any] = {}

    def _make(self, name: str, cls: Any, with_sub: bool = True) -> Any:
        if name not in self._cache:
            args = (self.credential, self.sim.subscription_id) if with_sub else (self.credential,)
            self._cache[name] = cls(*args, **self.kwargs)
        return self._cache[name]

    @property
    def resources(self) -> Any:
        from azure.mgmt.resource.resources import ResourceManagementClient

        return self._make("resources", ResourceManagementClient)

    @property
    def subscriptions(self) -> Any:
        from azure.mgmt.resource.subscriptions import SubscriptionClient

        return self._make("subscriptions", SubscriptionClient, with_sub=False)

    @property
    def locks(self) -> Any:
        from azure.mgmt.resource.locks import ManagementLockClient

        return self._make("locks", ManagementLockClient)

    @property
    def network(self) -> Any:
        from azure.mgmt.network import NetworkManagementClient

        return self._make("network", NetworkManagementClient)

    @property
    def compute(self) -> Any:
        from azure.mgmt.compute import ComputeManagementClient

        return self._make("compute", ComputeManagementClient)

    @property
    def containerservice(self) -> Any:
        from azure.mgmt.containerservice import ContainerServiceClient

        return self._make("containerservice", ContainerServiceClient)

    @property
    def containerregistry(self) -> Any:
        from azure.mgmt.containerregistry import ContainerRegistryManagementClient

        return self._make("containerregistry", ContainerRegistryManagementClient)

    @property
    def authorization(self) -> Any:
        from azure.mgmt.authorization import AuthorizationManagementClient

        return self._make("authorization", AuthorizationManagementClient)

    @property
    def recoveryservices(self) -> Any:
        from azure.mgmt.recoveryservices import RecoveryServicesClient

        return self._make("recoveryservices", RecoveryServicesClient)

    @property
    def backup(self) -> Any:
        from azure.mgmt.recoveryservicesbackup import RecoveryServicesBackupClient

        return self._make("backup", RecoveryServicesBackupClient)


def release_operations(sim: ArmSim) -> None:
    """Let every operation the simulator still runs finish at its next poll: an abandoned poller then stops."""
    sim.unwatched_after = 0.0
    for op in list(sim.ops.values()):
        op.min_progress = 0


@pytest.fixture
def sim() -> Iterator[ArmSim]:
    s = ArmSim()
    yield s
    release_operations(s)  # the test's stopped runs' pollers end instead of polling into the next tests


@pytest.fixture
def sdk(sim: ArmSim) -> Iterator[SdkClients]:
    yield SdkClients(sim, retry_total=3)


@pytest.fixture
def rg(sdk: SdkClients) -> str:
    """A resource group in norwayeast (zones 1-3), created through the SDK."""
    sdk.resources.resource_groups.create_or_update("test-rg", {"location": "norwayeast"})
    return "test-rg"


@pytest.fixture
def factory(sim: ArmSim) -> Any:
    """The product's own client factory wired to the simulator (what demo mode uses)."""
    from azwizard.azure.session import ClientFactory

    return ClientFactory(FakeCredential(), sim.subscription_id, base_url=SIM_BASE_URL, transport=SimTransport(sim),
                         polling_interval=0, retry_total=3)
