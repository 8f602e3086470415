"""Pieces shared by the VM and AKS specs: tags, address helpers, the run id."""

from __future__ import annotations

import datetime as _dt
import ipaddress
import secrets

TAG_CREATED_BY = "created-by"
TAG_CREATED_BY_VALUE = "azwizard"
TAG_RUN = "azwizard-run"
TAG_JOURNEY = "azwizard-journey"
TAG_CREATED_AT = "azwizard-created"
#: azwizard's own bookkeeping tags: who made a resource decides what cleanup may delete and what a later run may
#: change, so no profile, az command or wizard field may set them (issue 11). Azure compares tag names
#: case-insensitively ("Tag names are case-insensitive for operations":
#: https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations), so these are
#: case-folded and compared so, after trimming (issue 22: " created-by" must not pass): :func:`is_reserved_tag`.
RESERVED_TAGS = frozenset(t.casefold() for t in (TAG_CREATED_BY, TAG_RUN, TAG_JOURNEY, TAG_CREATED_AT))


def is_reserved_tag(name: str) -> bool:
    """Whether ``name`` is one of azwizard's own tags, however it is spaced or cased."""
    return name.strip().casefold() in RESERVED_TAGS


class TagsTextError(ValueError):
    """The wizard's tags field holds something that is not ``key=value, key=value``."""


def parse_tags_text(text: str) -> tuple[tuple[str, str], ...]:
    """The wizard's tags field: ``owner=alice, env=dev``. Each item splits on its first ``=`` as az's
    ``--tags key[=value]`` does (azure.cli.core.commands.validators.validate_tag); an item without ``=`` is a
    tag with an empty value. Raises :class:`TagsTextError` for an empty name, a name given twice (Azure's
    names are case-insensitive) or one of azwizard's own tags."""
    out: dict[str, tuple[str, str]] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        name, _, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not name:
            raise TagsTextError(f"'{item.strip()}' has no tag name before '='; write name=value")
        if is_reserved_tag(name):
            raise TagsTextError(f"the tag '{name}' is azwizard's own (it records which run made a resource); "
                                "use another tag name")
        if name.casefold() in out:
            raise TagsTextError(f"the tag '{name}' is given twice (Azure's tag names ignore case)")
        out[name.casefold()] = (name, value)
    return tuple(out.values())


def format_tags_text(tags: tuple[tuple[str, str], ...]) -> str:
    """What :func:`parse_tags_text` reads back: ``owner=alice, env=dev``."""
    return ", ".join(f"{k}={v}" for k, v in tags)


def new_run_id(now: _dt.datetime | None = None) -> str:
    """Sortable and unique: ``20261126-031200-3f9a``."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def azwizard_tags(run_id: str, journey: str, created_at: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The tags on everything azwizard creates, so cleanup finds it from any machine."""
    tags = {
        TAG_CREATED_BY: TAG_CREATED_BY_VALUE,
        TAG_RUN: run_id,
        TAG_JOURNEY: journey,
        TAG_CREATED_AT: created_at,
    }
    if extra:  # the readers refuse azwizard's own names; should one get here anyway, the bookkeeping wins
        tags.update({k: v for k, v in extra.items() if not is_reserved_tag(k)})
    return tags


def random_ula_48(rng: secrets.SystemRandom | None = None) -> str:
    """An RFC 4193 unique local /48: ``fd`` + a random 40-bit global ID, zero-compressed as Azure wants
    (https://datatracker.ietf.org/doc/html/rfc4193#section-3.2.2; seed notes: "remove any leading zeroes")."""
    rng = rng or secrets.SystemRandom()
    global_id = rng.getrandbits(40)
    value = (0xFD << 120) | (global_id << 80)
    return str(ipaddress.IPv6Network((value, 48)).compressed)


def first_subnet(space: str, prefixlen: int) -> str:
    """The first subnet of ``prefixlen`` inside ``space`` (e.g. the first /24 of a /16, the first /64 of a /48)."""
    net: ipaddress.IPv4Network | ipaddress.IPv6Network = ipaddress.ip_network(space, strict=False)
    for sub in net.subnets(new_prefix=prefixlen):
        return sub.compressed
    raise ValueError(f"{space} has no /{prefixlen} subnet")


def default_subnet(space: str, prefixlen: int) -> str:
    """The subnet a spec means by "" (:func:`first_subnet`), or the space itself when it has none (a space
    smaller than a /24 or a /64, or not a CIDR at all): the rules block such a spec and say why
    (rules/vm.py vm-subnet-ipv4, vm-vnet-ipv6-space), and the plan can still be shown."""
    try:
        return first_subnet(space, prefixlen)
    except ValueError:
        return space


def compressed(cidr: str) -> str:
    """The canonical, zero-compressed form of a CIDR (``fd00:0db8::/48`` -> ``fd00:db8::/48``)."""
    return ipaddress.ip_network(cidr, strict=False).compressed
