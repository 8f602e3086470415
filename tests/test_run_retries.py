"""How often the runner sends a PUT again after a transient failure (run/executor.py): up to
``transient_retries`` more times, not one fewer, not one more."""

from __future__ import annotations

from pathlib import Path

from azwizard.azure.session import ClientFactory
from azwizard.journal import Journal
from azwizard.plan.vm import plan_vm
from azwizard.run import Runner
from azwizard.sim import ArmSim
from azwizard.specs.vm import VmSpec

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbcdefghijklmnopqrstuvwxyz0123456789ABCDEF me@laptop"


def _run(sim: ArmSim, factory: ClientFactory, tmp_path: Path, failures: int, run_id: str):  # type: ignore[no-untyped-def]
    spec = VmSpec.for_base("Yolo", ssh_public_key=KEY, size="Standard_D2s_v5")
    plan = plan_vm(spec, subscription_id=sim.subscription_id, run_id=run_id, created_at="2026-11-26T03:00:00Z")
    sim.faults.fail_async("PUT", r"/networkSecurityGroups/Yolo-NSG$", code="InternalServerError",
                          message="An internal error occurred.", times=failures)
    result = Runner(factory, Journal(run_id, "vm", directory=tmp_path), poll_interval=0.01,
                    transient_retries=2).run(plan, resume=False)
    nsg = plan.step("nsg").resource_id.lower()
    return result, sum(1 for r in sim.requests if r.method == "PUT" and r.path.lower() == nsg)


def test_a_transient_failure_is_sent_again_up_to_the_limit(sim: ArmSim, factory: ClientFactory,
                                                          tmp_path: Path) -> None:
    result, puts = _run(sim, factory, tmp_path, failures=2, run_id="run-1")
    assert result.states["nsg"] == "succeeded" and puts == 3


def test_one_failure_more_than_the_limit_fails_the_step(sim: ArmSim, factory: ClientFactory,
                                                       tmp_path: Path) -> None:
    result, puts = _run(sim, factory, tmp_path, failures=3, run_id="run-1")
    assert result.states["nsg"] == "failed" and puts == 3
    assert result.errors["nsg"].code == "InternalServerError"
