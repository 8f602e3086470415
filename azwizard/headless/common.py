"""What every headless command shares: exit codes, the session (real or ``--demo``), live facts for the
rules, console output, and the confirmation prompt."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..azure.session import AzureSession
    from ..rules.aks import AksFacts
    from ..rules.vm import VmFacts
    from ..sim import ArmSim
    from ..specs.aks import AksSpec
    from ..specs.vm import VmSpec

from ..azure.permissions import grants_role_assignments
from ..demo_latency import LATENCY_ENV, latency_choice
from ..exitcodes import EXIT_AZURE, EXIT_OK, EXIT_USAGE

__all__ = ["CommandError", "Connection", "connect"]

OFFLINE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"  # what the review uses before sign-in


class CommandError(Exception):
    """A clear message and the exit code to leave with."""

    def __init__(self, message: str, code: int = EXIT_USAGE, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fix = fix


def err(text: str = "", stream: TextIO | None = None) -> None:
    from ..sshkeys import redact_private_keys

    print(redact_private_keys(text), file=stream or sys.stderr, flush=True)


def out(text: str = "") -> None:
    print(text, flush=True)


@dataclass
class Connection:
    session: AzureSession | None  # None: --offline
    sim: ArmSim | None = None

    @property
    def subscription_id(self) -> str:
        return self.session.subscription_id if self.session is not None else OFFLINE_SUBSCRIPTION

    def label(self) -> str:
        return self.session.header_label() if self.session is not None else "offline (no live checks)"


def connect(args: argparse.Namespace, *, offline: bool = False) -> Connection:
    """The Azure session the command works in: the simulated subscription with ``--demo``, else a real
    sign-in (like the Azure CLI). Failures become :class:`CommandError` with exit code 3 (or 2 when no
    subscription was chosen)."""
    if offline:
        return Connection(None)
    from ..azure.errors import AzwizardError, explain
    from ..azure.session import SubscriptionPickRequired

    try:
        if args.demo:
            from ..demo import LATENCY_CHOICES, demo_latency, open_demo_session

            choice = latency_choice(args)
            if choice not in LATENCY_CHOICES:
                raise CommandError(f"{LATENCY_ENV}={choice!r}: use none, demo or real")
            latency = demo_latency(choice)
            demo = open_demo_session(reset=bool(getattr(args, "reset", False)), latency=latency,
                                     subscription=args.subscription)
            return Connection(demo.session, demo.sim)
        from ..azure.clouds import resolve_cloud
        from ..azure.signin import check_cli_cloud, open_real_session

        try:  # an unknown cloud, or one az is not set to, is the user's setting (exit 2), not Azure's answer
            check_cli_cloud(resolve_cloud(getattr(args, "cloud", None)), os.environ)
        except AzwizardError as e:
            raise CommandError(e.what, EXIT_USAGE, e.fix) from e
        return Connection(open_real_session(args.subscription, getattr(args, "cloud", None)))
    except SubscriptionPickRequired as pick:
        names = "\n".join(f"  {c.id}  {c.name or ''}" for c in pick.choices[:20])
        raise CommandError("No subscription chosen. Pass --subscription with one of:\n" + names,
                           EXIT_USAGE) from pick
    except CommandError:
        raise
    except AzwizardError as e:
        raise CommandError(e.what, EXIT_AZURE, e.fix) from e
    except Exception as e:  # every failure becomes a clear message, never a traceback
        x = explain(e)
        raise CommandError(x.what, EXIT_AZURE, x.fix) from e


# ---------------------------------------------------------------------------------------------------
# Live facts: what the wizard's steps read before the rules run


def _catalog(conn: Connection) -> Any:
    from ..azure.catalog import Catalog

    assert conn.session is not None
    return Catalog(conn.session.factory)


def vm_facts(conn: Connection, spec: VmSpec) -> VmFacts:
    """The facts the VM journey's check() sees: the subscription's and the region's (sizes, quotas)."""
    from ..azure.errors import AzwizardError
    from ..rules.vm import VmFacts

    if conn.session is None:
        return VmFacts(None, None)
    catalog = _catalog(conn)
    sub = region = None
    try:
        sub = catalog.subscription_facts()
        region = catalog.region_facts(spec.location, kubernetes=False)
    except AzwizardError:
        pass  # the rules say which checks could not run (as the wizard does when facts fail)
    return VmFacts(sub, region)


def aks_facts(conn: Connection, spec: AksSpec) -> AksFacts:
    """The subscription's and the region's facts (with Kubernetes versions), and what the registry choice
    needs: whether a new registry's name is free, whether a registry to attach exists."""
    from ..azure import ops
    from ..azure.arm import api_version_for
    from ..azure.errors import AzwizardError
    from ..rules.aks import AksFacts

    if conn.session is None:
        return AksFacts(None, None)
    catalog = _catalog(conn)
    sub = region = None
    try:
        sub = catalog.subscription_facts()
        region = catalog.region_facts(spec.location, kubernetes=True)
    except AzwizardError:
        pass
    facts = AksFacts(sub, region)
    factory = conn.session.factory
    acr = spec.acr
    # What the Access step asks Azure (screens/aks/access.py): a new registry's name, an attached one's
    # existence, and the right to create the AcrPull assignment where it goes. A fact that cannot be read
    # stays unknown (None), as there.
    arm = factory.arm()
    sub_path = f"/subscriptions/{factory.subscription_id}"
    try:
        if acr.mode == "create" and acr.name:
            # https://learn.microsoft.com/rest/api/containerregistry/registries/check-name-availability
            answer = arm.post(f"{sub_path}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
                              api_version_for("Microsoft.ContainerRegistry/checkNameAvailability"),
                              {"name": acr.name, "type": "Microsoft.ContainerRegistry/registries"})
            facts = replace(facts, acr_name_available=bool(answer.get("nameAvailable")))
        elif acr.mode == "attach" and acr.existing_id.startswith("/subscriptions/"):
            facts = replace(facts, acr_exists=ops.get(factory, "Microsoft.ContainerRegistry/registries",
                                                      acr.existing_id) is not None)
    except Exception:
        pass
    # https://learn.microsoft.com/rest/api/authorization/permissions/list-for-resource-group (and -for-resource)
    perms_api = api_version_for("Microsoft.Authorization/permissions")
    try:
        if acr.mode == "create" and sub is not None and sub.group_location(spec.resource_group) is not None:
            facts = replace(facts, can_assign_roles=grants_role_assignments(arm.list_items(
                f"{sub_path}/resourceGroups/{spec.resource_group}/providers/Microsoft.Authorization/permissions",
                perms_api)))
        elif acr.mode == "attach":
            parts = acr.existing_id.strip("/").split("/")
            if len(parts) >= 8:
                facts = replace(facts, can_assign_roles=grants_role_assignments(arm.list_items(
                    f"/subscriptions/{parts[1]}/resourceGroups/{parts[3]}/providers/Microsoft.ContainerRegistry"
                    f"/registries/{parts[7]}/providers/Microsoft.Authorization/permissions", perms_api)))
    except Exception:
        pass
    return facts






def adjust_zones(spec: VmSpec, facts: VmFacts) -> VmSpec:
    """What the wizard does on choosing a region (VmSpec.for_region), from the subscription's facts."""
    region = facts.subscription.region(spec.location) if facts.subscription is not None else None
    return spec.for_region(spec.location, region.has_zones if region is not None else None)


# ---------------------------------------------------------------------------------------------------
# Asking


def confirm(question: str, *, assume_yes: bool, stdin: TextIO | None = None) -> None:
    """Ask before changing anything; without a terminal to ask on, refuse (``--yes`` skips the question)."""
    if assume_yes:
        return
    stream = stdin or sys.stdin
    if stream is None or not stream.isatty():
        raise CommandError("Refusing to create resources without confirmation: there is no terminal to ask on.",
                           EXIT_USAGE, "Pass --yes to apply without asking (for scripts and CI).")
    sys.stdout.write(f"{question} [y/N] ")
    sys.stdout.flush()
    answer = stream.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise CommandError("Nothing was created.", EXIT_OK)


def is_terminal(stream: TextIO | None = None) -> bool:
    s = stream or sys.stdout
    try:
        return bool(s.isatty())
    except (AttributeError, ValueError):
        return False


def mmss(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60:02d}:{s % 60:02d}"


Printer = Callable[[str], None]
