"""Validation of the store settings' structured values: support hours, mail priorities and
reorder intervals."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.business_hours import parse_holidays, parse_week
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.frequency_cap import UNCAPPED
from chalicelib.domain.messages import NON_TRANSACTIONAL_TEMPLATES


def parse_support(name: str, raw: Any) -> Any:
    """Support's time zone, working week or holidays, as setting ``name`` holds them."""
    if name == "support_time_zone":
        return v.time_zone(raw, name)
    if name == "support_week":
        return parse_week(raw, name)
    return tuple(parse_holidays(raw, name))


CAPPED_TEMPLATES = tuple(t for t in NON_TRANSACTIONAL_TEMPLATES if t not in UNCAPPED)


def parse_priorities(raw: Any) -> tuple[str, ...]:
    """Templates most valuable first, each once (templates left out rank last)."""
    name = "mail_priorities"
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise InvalidInput(f"{name} must be a list of template names", name)
    for index, template in enumerate(raw):
        if template not in CAPPED_TEMPLATES:
            known = ", ".join(CAPPED_TEMPLATES)
            raise InvalidInput(f"{template!r} is not a capped template; known: {known}", name)
        if template in raw[:index]:
            raise InvalidInput(f"{template!r} is listed twice", name)
    return tuple(raw)


MAX_REORDER_DAYS = 730


def parse_intervals(raw: Any, name: str) -> dict[str, int]:
    """A map of sku or category to its reorder interval (1 to 730 days, at most 500)."""
    if not isinstance(raw, dict) or len(raw) > 500:
        raise InvalidInput(f"{name} must be an object of at most 500 entries", name)
    intervals: dict[str, int] = {}
    for key, days in raw.items():
        clean = v.text(key, name, 100)
        where = f"{name}.{clean}"
        if not isinstance(days, int) or isinstance(days, bool):
            raise InvalidInput("a reorder interval must be a whole number of days", where)
        if not 1 <= days <= MAX_REORDER_DAYS:
            raise InvalidInput(f"a reorder interval is 1 to {MAX_REORDER_DAYS} days", where)
        intervals[clean] = days
    return intervals
