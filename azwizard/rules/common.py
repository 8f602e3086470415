"""Checks both journeys need, written once: which region facts apply, resource-provider registration,
and the resource group's name and reuse. Each returns plain messages/Issues the journey's rule yields."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..facts import RegionFacts, SubscriptionFacts
from .model import Finding, Issue

# https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources
RG_NAME = re.compile(r"^[-\w._()]{1,90}$")


def normalized_location(location: str) -> str:
    return "".join(location.split()).lower()


def region_facts_for(location: str, region: RegionFacts | None) -> RegionFacts | None:
    """The region facts, only when they describe ``location`` (stale facts of another region would answer
    the wrong question)."""
    if region is None:
        return None
    loc = normalized_location(location)
    if region.region.name.lower() != loc and normalized_location(region.region.display_name) != loc:
        return None
    return region


def region_zones_for(location: str, subscription: SubscriptionFacts | None,
                     region: RegionFacts | None) -> tuple[str, ...] | None:
    """The region's availability zones, or ``None`` when neither fact source knows the region."""
    rf = region_facts_for(location, region)
    if rf is not None:
        return rf.region.zones
    if subscription is not None:
        known = subscription.region(location)
        if known is not None:
            return known.zones
    return None


SRC_REGION_ACCESS = "https://learn.microsoft.com/troubleshoot/azure/general/region-access-request-process"


def early_access_issues(location: str, sub: SubscriptionFacts | None) -> Iterator[str]:
    """A canary region (centraluseuap, eastus2euap: ``metadata.geography`` "Canary (US)"): listed to every
    subscription, usable only by those enrolled in the Early Updates Access Program, and where services roll
    their changes out first. Others get LocationNotAvailableForResourceGroup."""
    region = sub.region(location) if sub is not None else None
    if region is None or not region.early_access:
        return
    yield (f"{region.display_name} ({region.name}) is an early-access (canary) region: only subscriptions enrolled "
           "in Microsoft's Early Updates Access Program (EUAP) can create resources there, and services try their "
           "changes there first. Others are refused (LocationNotAvailableForResourceGroup). Pick a regular region "
           "unless this subscription is enrolled.")


def region_access_issues(location: str, sub: SubscriptionFacts | None) -> Iterator[str]:
    """A region the subscription lists but may not use (restricted until access is granted; a canary region
    without EUAP enrollment): Azure refuses the resource group there (LocationNotAvailableForResourceGroup)."""
    region = sub.region(location) if sub is not None else None
    if region is None or sub is None or sub.region_usable(location) is not False:
        return
    yield (f"{region.display_name} ({region.name}) is not available to this subscription: Azure refuses resource "
           "groups and resources there (LocationNotAvailableForResourceGroup). Pick another region, or request "
           f"access to this one ({SRC_REGION_ACCESS}).")


def without_unreadable_region_note(findings: list[Finding], location: str,
                                   sub: SubscriptionFacts | None) -> list[Finding]:
    """A region the subscription may not use has no live facts to read: its blocking finding says why, so the
    "could not be read… retry when the connection works" note would only mislead."""
    if sub is None or sub.region_usable(location) is not False:
        return findings
    return [f for f in findings if f.rule_id != "live-facts-unavailable"]


def lock_issues(sub: SubscriptionFacts | None, group: str, what: str) -> Iterator[Issue]:
    """Management locks over the target group, read before create (azwizard/locks.py)."""
    from ..locks import lock_issues as issues

    if sub is not None:
        yield from issues(sub.locks, sub.subscription_id, group, what)


def provider_issues(sub: SubscriptionFacts | None, needed: Sequence[str]) -> Iterator[str | Issue]:
    """Resource providers the plan needs that are not Registered. azure-mgmt-core's auto-registration policy
    answers MissingSubscriptionRegistration by registering and retrying when the caller may (Contributor,
    Owner), so this is a warning; the message says how to do it now.
    https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider"""
    if sub is None:
        return
    for ns in needed:
        state = next((v for k, v in sub.provider_states.items() if k.lower() == ns.lower()), None)
        if state is None or sub.provider_registered(ns):
            continue  # not read: do not guess
        if state.lower() == "registering":
            yield Issue(f"{ns} is still registering in this subscription; creates wait for it (a minute or two) or "
                        "fail with MissingSubscriptionRegistration if it takes longer.", severity="warn")
            continue
        yield (f"The subscription is not registered to use {ns} (state: {state}). The first create registers it "
               "automatically if your role allows (Contributor or Owner), which adds a minute or two; otherwise it "
               f"fails with MissingSubscriptionRegistration. To do it now: `az provider register --namespace {ns}` "
               "(or in the portal: Subscriptions > Resource providers).")


def resource_group_name_issues(name: str) -> Iterator[str]:
    if not name:
        yield "The resource group needs a name (1-90 characters)."
    elif len(name) > 90:
        yield f"The resource group name is {len(name)} characters long; Azure allows at most 90 (InvalidResourceGroup)."
    elif not RG_NAME.match(name):
        bad = "".join(sorted({c for c in name if not re.match(r"[-\w._()]", c)}))
        yield (f"The resource group name '{name}' contains characters Azure does not allow ({bad!r}); use letters, "
               "digits, '-', '_', '.', '(' and ')' (InvalidResourceGroup).")
    elif name.endswith("."):
        yield f"The resource group name '{name}' ends with a period, which Azure does not allow (InvalidResourceGroup)."


def resource_group_reuse_issues(sub: SubscriptionFacts | None, name: str, location: str, *, use_existing: bool,
                                what: str) -> Iterator[str | Issue]:
    """An existing group of the same name: reuse in the same region (warn: its tags would be replaced),
    refused in another (409 InvalidResourceGroupLocation "Invalid resource group location 'x'. The Resource
    group already exists in location 'y'."); "use existing" for a group that does not exist (block)."""
    if sub is None:
        return
    where = sub.group_location(name)
    loc = normalized_location(location)
    if use_existing:
        if where is None:
            yield Issue(f"The resource group {name} does not exist, but the plan reuses an existing group and does "
                        "not create it; every create would fail with ResourceGroupNotFound. Let azwizard create it "
                        "or pick an existing group.", severity="block")
        return
    if where is None:
        return
    if where.lower() != loc:
        yield Issue(f"A resource group named {name} already exists in {where}, and Azure refuses to re-create it in "
                    f"{loc} (InvalidResourceGroupLocation). Pick another name, or reuse the existing group "
                    "(its resources may live in another region).", severity="block")
        return
    yield (f"{name} already exists in {where}; azwizard would add {what} to it and replace the group's tags with its "
           "own. Choose 'use the existing group' to keep its tags, or pick a new name so cleanup can delete the "
           "group without touching anything else.")


# https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
SRC_TAGS = "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations"
_TAG_NAME_REFUSED = set('<>%&\\?/')
MAX_TAGS = 50


def tag_issues(extra: Sequence[tuple[str, str]], own: int) -> Iterator[str]:
    """The user's tags (``own``: how many azwizard adds): what Azure refuses (tag-resources#limitations: at most 50
    tags, names up to 512 characters without < > % & \\ ? /, values up to 256), and a name starting with "-", which
    az's parser reads as an option (``-n=x`` is ``--name x``), so the equivalent az commands could not carry it."""
    if len(extra) + own > MAX_TAGS:
        yield (f"{len(extra)} tags plus azwizard's {own} make {len(extra) + own}; Azure allows at most {MAX_TAGS} on a "
               "resource. Remove some, or put several values in one tag as JSON.")
    for name, value in extra:
        bad = sorted(_TAG_NAME_REFUSED & set(name))
        if bad:
            yield f"The tag name '{name}' holds {' '.join(bad)}, which Azure does not allow in tag names."
        elif len(name) > 512 or not name.strip():
            yield f"The tag name '{name[:40]}' must be 1-512 characters (it has {len(name)})."
        elif name.startswith("-"):
            yield (f"The tag name '{name}' starts with '-': az reads such a word as an option (as it reads -n=x as "
                   "--name x), so the equivalent az commands azwizard shows could not create it. Rename it.")
        if len(value) > 256:
            yield f"The value of tag '{name[:40]}' has {len(value)} characters; Azure allows at most 256."
