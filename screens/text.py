"""Putting user and Azure text into Textual markup safely."""

from __future__ import annotations


def escape(text: str) -> str:
    """Every ``[`` escaped, so messages such as ``runcmd: [[ip, link]]`` or ``[b]`` show as written
    (rich.markup.escape leaves ``[[`` half-escaped for Textual's own markup parser)."""
    return str(text).replace("[", "\\[")
