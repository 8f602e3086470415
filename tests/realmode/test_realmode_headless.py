"""``azwizard vm|aks plan|apply`` without --demo, signed in through the real az CLI to the served simulator."""

from __future__ import annotations

from pathlib import Path

from azcli.azcli_helpers import REPO, Az

from realmode.realmode_helpers import (
    SCOPE,
    SIM_CLIENT_ID,
    SIM_CLOUD,
    az_token_fingerprint,
    azwizard_env,
    azwizard_requests,
    issued_tokens,
    run_azwizard,
)

EXAMPLES = REPO / "docs" / "examples"


def assert_signed_in_through_az(az: Az) -> None:
    """Every request azwizard sent carried the token ``az account get-access-token`` hands out, which the
    simulator issued to az's service principal; and azwizard never listed subscriptions (no picker): the
    subscription came from az's profile."""
    sim = az.sim
    requests = azwizard_requests(sim)
    assert requests, "azwizard sent nothing to the simulator"
    token = az_token_fingerprint(az)
    assert {r["token"] for r in requests} == {token}, "a request without az's token"
    issued = [t for t in issued_tokens(sim) if t["sha256"] == token]
    assert issued and issued[0]["client_id"] == SIM_CLIENT_ID and issued[0]["scope"] == SCOPE
    assert not any(r["path"].rstrip("/").lower() == "/subscriptions" for r in requests), "the picker listed them"
    assert any(r["path"].lower() == f"/subscriptions/{sim.subscription}" for r in requests)  # the sign-in check
    assert all(r["status"] < 500 and r["code"] not in ("InvalidAuthenticationToken", "AuthenticationFailed")
               for r in requests), [r for r in requests if r["status"] >= 400]


def header_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.strip().startswith("subscription:"))


def test_vm_plan_and_apply_through_the_az_cli(az: Az, tmp_path: Path) -> None:
    env = azwizard_env(az, tmp_path)
    profile = str(EXAMPLES / "yolo-vm.toml")

    plan = run_azwizard(env, "vm", "plan", profile)
    assert plan.code in (0, 1), plan.err  # 1: findings that block; the example has none
    assert plan.code == 0, plan.out + plan.err
    label = header_line(plan.out)
    assert "SIMULATED" not in label and az.sim.subscription[:8] in label
    assert f"subscription: cloud {SIM_CLOUD} · " in label, label
    assert not az.sim.resources(), "plan created something"

    apply = run_azwizard(env, "vm", "apply", profile, "--yes")
    assert apply.code == 0, apply.out + apply.err
    assert "Traceback" not in apply.err
    sub = az.sim.subscription
    for rid in ("resourceGroups/Yolo-RG",
                "resourceGroups/Yolo-RG/providers/Microsoft.Network/virtualNetworks/Yolo-VNet",
                "resourceGroups/Yolo-RG/providers/Microsoft.Network/publicIPAddresses/Yolo-IPv4",
                "resourceGroups/Yolo-RG/providers/Microsoft.Network/publicIPAddresses/Yolo-IPv6",
                "resourceGroups/Yolo-RG/providers/Microsoft.Network/networkSecurityGroups/Yolo-NSG",
                "resourceGroups/Yolo-RG/providers/Microsoft.Compute/virtualMachines/Yolo-VM"):
        body = az.sim.get(f"/subscriptions/{sub}/{rid}")
        assert body is not None, f"{rid} is not in the simulator"
    vm = az.sim.get(f"/subscriptions/{sub}/resourceGroups/Yolo-RG/providers/Microsoft.Compute/virtualMachines/Yolo-VM")
    assert vm is not None and vm["properties"]["provisioningState"] == "Succeeded"
    assert vm["tags"]["created-by"] == "azwizard"
    # az sees what azwizard created, in the same cloud and subscription
    assert az.json("vm", "show", "--resource-group", "Yolo-RG", "--name", "Yolo-VM")["name"] == "Yolo-VM"
    assert_signed_in_through_az(az)


def test_aks_plan_and_apply_through_the_az_cli(az: Az, tmp_path: Path) -> None:
    env = azwizard_env(az, tmp_path)
    profile = str(EXAMPLES / "aks-dev.toml")

    plan = run_azwizard(env, "aks", "plan", profile)
    assert plan.code == 0, plan.out + plan.err
    assert f"subscription: cloud {SIM_CLOUD} · " in header_line(plan.out)

    apply = run_azwizard(env, "aks", "apply", profile, "--yes")
    assert apply.code == 0, apply.out + apply.err
    sub = az.sim.subscription
    cluster = az.sim.get(f"/subscriptions/{sub}/resourceGroups/aks-dev-RG/providers/Microsoft.ContainerService/"
                         "managedClusters/aks-dev")
    assert cluster is not None, sorted(az.sim.resources())
    assert cluster["properties"]["provisioningState"] == "Succeeded"
    assert cluster["properties"]["networkProfile"]["ipFamilies"] == ["IPv4", "IPv6"]
    shown = az.json("aks", "show", "--resource-group", "aks-dev-RG", "--name", "aks-dev")
    assert shown["name"] == "aks-dev"
    assert_signed_in_through_az(az)
