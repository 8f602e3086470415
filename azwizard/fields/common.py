"""Fields both journeys have (the profile's first keys); each journey's module places them and adds its own."""

from __future__ import annotations

from .model import Choice, Field, field

ZONES = ("1", "2", "3")

KIND = field("kind", "str", "the command's", "optional, but when given it must match the command", spec=False,
             choices=(Choice("vm"), Choice("aks")))
SSH_PUBLIC_KEY_FILE = field("ssh_public_key_file", "str", '`""`',
                            "read the SSH public key from this file instead (relative to the profile; `~` is "
                            "expanded)", spec=False)


def location(step: str, codes: tuple[str, ...]) -> Field:
    return field("location", "str", "`norwayeast`", "the Azure region", step=step, codes=codes)


def use_existing_group(step: str, widget: str) -> Field:
    return field("use_existing_group", "bool", "`false`", "the resource group exists already: do not create it",
                 step=step, widget=widget)


def tags(step: str) -> Field:
    return field("tags", "table[str]", "`{}`",
                 "extra tags on every resource (azwizard adds its own `created-by` and run tags; a profile cannot "
                 "set `created-by`, `azwizard-run`, `azwizard-journey` or `azwizard-created`)",
                 spec="extra_tags", step=step)
