"""docs/profiles.md's key tables, generated from the registry.

``python -m azwizard.fields.docs docs/profiles.md`` rewrites the tables between ``<!-- fields:vm -->`` and
``<!-- /fields:vm -->`` (and the same for aks); tests/test_field_registry.py checks the page is current.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .model import Field, Registry

_TYPES = {"list[str]": "list of str", "table[str]": "table of str", "array[table]": "array of tables"}


def _code(value: object) -> str:
    return f"`{value}`" if value != "" else '`""`'


def choices_text(f: Field) -> str:
    """``"`a` (note), `b` or `c`"``: the values a profile may give, with their notes."""
    parts = [_code(c.value) + (f" ({c.note})" if c.note else "") for c in f.choices if c.offered]
    if len(parts) < 2:
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def meaning(f: Field) -> str:
    text = f.doc
    if f.range is not None:
        text = f"{text} ({f.range[0]}-{f.range[1]})" if text else f"{f.range[0]}-{f.range[1]}"
    if f.choices:
        text = (text + ": " if text else "") + choices_text(f)
    return text


def table(registry: Registry) -> str:
    lines = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for f in registry.profile:
        lines.append(f"| `{f.key}` | {_TYPES.get(f.type, f.type)} | {f.default} | {meaning(f)} |".replace("  ", " "))
    return "\n".join(lines)


def render(page: str, registries: dict[str, Registry]) -> str:
    """``page`` with each journey's table replaced by the registry's."""
    for journey, registry in registries.items():
        pattern = re.compile(rf"(<!-- fields:{journey} -->\n).*?(\n<!-- /fields:{journey} -->)", re.S)
        if not pattern.search(page):
            raise ValueError(f"the page has no <!-- fields:{journey} --> ... <!-- /fields:{journey} --> block")
        page = pattern.sub(lambda m, r=registry: m.group(1) + table(r) + m.group(2), page)  # type: ignore[misc]
    return page


def main(argv: list[str]) -> int:
    from . import REGISTRIES

    path = Path(argv[0] if argv else "docs/profiles.md")
    text = path.read_text(encoding="utf-8")
    new = render(text, REGISTRIES)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: tables updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
