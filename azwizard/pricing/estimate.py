"""A plan's estimate per resource and in total per month, with the currency and the price date: the one
shape the review, ``vm plan`` and ``aks plan`` (text and ``--format json``) show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..cleanup.costs import HOURS_PER_MONTH, NOT_INCLUDED, Cost, amount, estimate_plan_resources
from .book import PriceBook


def monthly_text(cost: Cost) -> str:
    """``$70.08``; ``free``; ``$70.08+?`` when part of it is unknown; ``unknown``."""
    if not cost.parts:
        return "unknown"
    monthly = cost.known_hourly * HOURS_PER_MONTH
    if cost.known:
        return "free" if monthly == 0 else amount(monthly, cost.currency)
    return f"{amount(monthly, cost.currency)}+?" if monthly > 0 else "unknown"


def plan_estimate(steps: Iterable[Any], book: PriceBook) -> dict[str, Any]:
    """JSON-ready: every resource's monthly figure (None when a part is unknown, with why), the total."""
    rows = estimate_plan_resources(steps, book)
    total = Cost((), book.currency)
    resources = []
    for kind, name, cost in rows:
        total = total + cost
        resources.append({
            "type": kind, "name": name, "monthly": None if cost.monthly is None else round(cost.monthly, 2),
            "known_monthly": round(cost.known_hourly * HOURS_PER_MONTH, 2),
            "unknown": [p.note or p.label for p in cost.unknown_parts],
            "notes": [p.note for p in cost.parts if p.hourly is not None and p.note],
        })
    return {
        "currency": book.currency, "price_date": book.as_of, "price_source": book.source, "region": book.region,
        "prices": book.label(), "hours_per_month": HOURS_PER_MONTH, "resources": resources,
        "total_monthly": None if total.monthly is None else round(total.monthly, 2),
        "total_known_monthly": round(total.known_hourly * HOURS_PER_MONTH, 2),
        "not_included": NOT_INCLUDED,
    }


def estimate_lines(steps: Iterable[Any], book: PriceBook) -> list[str]:
    """Plain text: one line per resource, the total, and where the prices come from."""
    rows = estimate_plan_resources(steps, book)
    width = max((len(name) for _, name, _ in rows), default=0)
    total = Cost((), book.currency)
    lines = []
    for kind, name, cost in rows:
        total = total + cost
        lines.append(f"  {name.ljust(width)}  {monthly_text(cost):>12}/month  {kind.split('/')[-1]}")
    lines.append(f"  {'total'.ljust(width)}  {monthly_text(total):>12}/month")
    lines.append(f"  ({book.label()}; {HOURS_PER_MONTH} h a month; {NOT_INCLUDED} not included)")
    return lines
