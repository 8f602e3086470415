"""What a field is, as data: the registry's types (issue 20).

A :class:`Field` says everything about one setting that is not behaviour: its profile key, its path in the spec,
its type, choices (with the wizard's words for each), range, default and meaning (docs/profiles.md), the ARM
error targets and codes that name it (so a failed create goes back to it), and the wizard step that edits it.
Widgets, request bodies and rule logic stay code; they read the choices and ranges from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str = ""  # the wizard's words for it; "" = the value itself
    note: str = ""  # a few words for docs/profiles.md, e.g. "Enhanced for Trusted Launch, else Standard"
    offered: bool = True  # False: Azure knows the value but azwizard refuses it (a profile error; the rules say why)
    wizard: bool = True  # listed in the wizard's select (a profile or a pasted command may still set it)

    @property
    def shown(self) -> str:
        return self.label or str(self.value)


@dataclass(frozen=True)
class Field:
    key: str  # the profile key, dotted ("public_ip.sku", "nsg_rules[].name"); "" = not in a profile
    type: str  # str | int | float | bool | list[str] | table[str] | table | array[table]
    default: str = ""  # as docs/profiles.md says it (markdown)
    doc: str = ""  # what it means (markdown)
    spec: str | None = None  # the spec path ("names.vm", "user_pools.*.count"); None = the profile only
    choices: tuple[Choice, ...] = ()
    range: tuple[int, int] | None = None  # inclusive
    label: str = ""  # the wizard's label
    step: str = ""  # the wizard step that edits it ("" = none: a profile or a command sets it)
    shows: tuple[str, ...] = ()  # other steps that show its findings too
    widget: str = ""  # the selector of the widget that edits it, where its id is not the spec path with . -> -
    targets: tuple[str, ...] = ()  # ARM error targets naming it, lower-case, matched on their last dotted parts
    codes: tuple[str, ...] = ()  # ARM error codes that name it by themselves
    # A plain field (a top-level str/int/float/bool whose spec path is its key) needs no code of its own in the
    # profile reader and writer, the az reader (``az``: its option of the journey's create command) and the az
    # export (``wire``: its dotted path in the request body); the request body and the widget stay code.
    plain: bool = False
    az: str = ""
    wire: str = ""

    @property
    def values(self) -> tuple[Any, ...]:
        """The values a profile may give (every offered choice)."""
        return tuple(c.value for c in self.choices if c.offered)

    @property
    def known(self) -> tuple[Any, ...]:
        """Every value Azure knows, offered or not (the rules explain the ones azwizard refuses)."""
        return tuple(c.value for c in self.choices)

    def options(self, current: Any = None, *, missing: str = "{value} (from a profile or command)"
                ) -> list[tuple[str, Any]]:
        """The wizard's select options: (label, value) of each choice it lists; ``current``, when it is none of
        them (a profile or a pasted command set it), is added as ``missing`` says, so the select can show it."""
        out = [(c.shown, c.value) for c in self.choices if c.offered and c.wizard]
        if current is not None and all(v != current for _, v in out):
            out.append((missing.format(value=current), current))
        return out

    def parse(self, text: str) -> Any:
        """A plain field's value from command-line text (az's options): a number, a boolean, or one of the choices
        (any case, as az accepts them). ValueError says what is wrong."""
        if self.type == "float":
            return float(text)
        if self.type == "int":
            return int(text)
        if self.type == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError(f"{text!r} is not true or false")
            return text.lower() == "true"
        if self.choices:
            match = next((v for v in self.values if str(v).lower() == text.lower()), None)
            if match is None:
                raise ValueError(f"{text!r} is not one of " + ", ".join(map(str, self.values)))
            return match
        return text

    def label_of(self, value: Any) -> str:
        return next((c.shown for c in self.choices if c.value == value), str(value))


def field(key: str, type_: str, default: str = "", doc: str = "", *, spec: str | None | bool = True,
          choices: Iterable[Choice | str | tuple[Any, str]] = (), **kw: Any) -> Field:
    """A :class:`Field`; ``spec=True`` (the default) means the spec path is the key (``[]`` -> ``.*``), and a
    choice may be a bare value or (value, label)."""
    if spec is True:
        spec = key.replace("[]", ".*") if key else None
    elif spec is False:
        spec = None
    made = tuple(c if isinstance(c, Choice) else Choice(c[0], c[1]) if isinstance(c, tuple) else Choice(c)
                 for c in choices)
    return Field(key, type_, default, doc, spec, made, **kw)


class Registry:
    """One journey's fields, in profile order."""

    def __init__(self, journey: str, fields: Sequence[Field]) -> None:
        self.journey = journey
        self.fields = tuple(fields)
        keys = [f.key for f in self.fields if f.key]
        specs = [f.spec for f in self.fields if f.spec is not None]
        for what, names in (("key", keys), ("spec path", specs)):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{journey} fields: {what} listed twice: {', '.join(twice)}")
        self._by_key = {f.key: f for f in self.fields if f.key}
        self._by_spec = {f.spec: f for f in self.fields if f.spec is not None}

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def key(self, key: str) -> Field:
        return self._by_key[key]

    def spec(self, path: str) -> Field:
        return self._by_spec[path]

    def find(self, path: str) -> Field | None:
        """The field for a spec path, else for its nearest parent (``user_pools.0.count`` finds
        ``user_pools.*.count``, ``names.vm`` itself, ``os_disk.size_gb`` itself)."""
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            head = parts[:n]
            for candidate in (".".join(head), ".".join("*" if p.isdigit() else p for p in head)):
                if candidate in self._by_spec:
                    return self._by_spec[candidate]
        return self._by_spec.get(path)

    @property
    def profile(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.key)

    # -- the wizard

    def owned_by(self, step: str) -> tuple[str, ...]:
        """The spec paths step ``step`` edits (a table's path covers its keys: see ``WizardFlow``)."""
        return tuple(f.spec for f in self.fields if f.step == step and f.spec is not None and "*" not in f.spec)

    def shown_by(self, step: str) -> tuple[str, ...]:
        return tuple(f.spec for f in self.fields if step in f.shows and f.spec is not None)

    def widgets(self, step: str) -> dict[str, str]:
        return {f.spec: f.widget for f in self.fields if f.step == step and f.widget and f.spec is not None}

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.step for f in self.fields if f.step))

    # -- failures

    def targets(self) -> dict[str, str]:
        """ARM error target (lower-case) -> spec path."""
        return {t: f.spec for f in self.fields if f.spec is not None for t in f.targets}

    @property
    def plain(self) -> tuple[Field, ...]:
        """The plain fields (see :class:`Field`): read, written and exported without code of their own."""
        return tuple(f for f in self.fields if f.plain)

    def codes(self) -> dict[str, str]:
        """ARM error code -> spec path."""
        return {c: f.spec for f in self.fields if f.spec is not None for c in f.codes}
