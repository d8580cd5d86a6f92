"""What a change of one customer profile changes for the store: counts and events.

The customers stream sees every profile change with its old and new image. From the
pair this module derives the counter deltas (customers per RFM segment, star tier and
loyalty class, maintained incrementally so ``GET /v1/admin/segments`` reads a few items,
never the table) and the outbound events a store reacts to (tier, segment or loyalty
changed, became unreachable, erased), each carrying no personal data beyond the id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.profile import Profile

UNSEGMENTED = "none"
"""The segment of a profile the nightly job has not scored yet."""
TOTAL = "total"
DIMENSIONS = ("segment", "tier", "loyalty")

EVENT_SOURCE = "rapport.profiles"
TIER_CHANGED = "Rapport.TierChanged"
SEGMENT_CHANGED = "Rapport.SegmentChanged"
LOYALTY_CHANGED = "Rapport.LoyaltyChanged"
BECAME_UNREACHABLE = "Rapport.BecameUnreachable"
CUSTOMER_ERASED = "Rapport.CustomerErased"
EVENT_TYPES = (TIER_CHANGED, SEGMENT_CHANGED, LOYALTY_CHANGED, BECAME_UNREACHABLE, CUSTOMER_ERASED)


@dataclass(frozen=True)
class ProfileEvent:
    """One outbound event: its ``detail-type`` and ``detail`` (ids and classes only)."""

    detail_type: str
    detail: dict[str, Any]


def dimensions(profile: Profile) -> dict[str, str]:
    """The classes a profile is counted in: ``segment``, ``tier`` and ``loyalty``."""
    segment = (profile.rfm or {}).get("segment") or UNSEGMENTED
    return {"segment": str(segment), "tier": str(profile.tier), "loyalty": profile.loyalty}


def counter_name(dimension: str, value: str) -> str:
    """The counter of one class, such as ``segment#champions`` or ``tier#3``."""
    return f"{dimension}#{value}"


def count_deltas(old: Profile | None, new: Profile | None) -> dict[str, int]:
    """How the counters move when ``old`` becomes ``new`` (``None``: absent or erased)."""
    deltas: Counter[str] = Counter()
    for profile, sign in ((old, -1), (new, 1)):
        if profile is None:
            continue
        deltas[TOTAL] += sign
        for dimension, value in dimensions(profile).items():
            deltas[counter_name(dimension, value)] += sign
    return {name: delta for name, delta in deltas.items() if delta}


def profile_events(old: Profile | None, new: Profile | None) -> list[ProfileEvent]:
    """The events a store reacts to when ``old`` becomes ``new``; none for a signup."""
    if old is None:
        return []
    customer = {"customer_id": old.customer_id}
    if new is None:
        return [ProfileEvent(CUSTOMER_ERASED, customer)]
    events = []
    before, after = dimensions(old), dimensions(new)
    for dimension, detail_type in (
        ("tier", TIER_CHANGED),
        ("segment", SEGMENT_CHANGED),
        ("loyalty", LOYALTY_CHANGED),
    ):
        if before[dimension] != after[dimension]:
            change = {"from": _shown(dimension, before), "to": _shown(dimension, after)}
            events.append(ProfileEvent(detail_type, {**customer, dimension: change}))
    if old.reachable and not new.reachable:
        events.append(
            ProfileEvent(BECAME_UNREACHABLE, {**customer, "email_status": new.email_status})
        )
    return events


@dataclass(frozen=True)
class ProfileChange:
    """One profile change as it is counted and announced, once: its counter deltas and
    its outbound events, under the stream record's ``sequence`` (the exactly-once key)."""

    customer_id: str
    sequence: str
    deltas: dict[str, int]
    events: list[dict[str, Any]]

    @property
    def moves_nothing(self) -> bool:
        """Whether the change moves no counter and announces nothing (nothing to write)."""
        return not self.deltas and not self.events


def profile_change(
    customer_id: str,
    sequence: str,
    old: Profile | None,
    new: Profile | None,
    occurred_at: str,
    announce: bool = True,
) -> ProfileChange:
    """The change ``old`` → ``new`` at stream position ``sequence``; its events (none
    unless ``announce``) carry an ``event_id`` a subscriber can deduplicate on."""
    events = [
        {
            "detail_type": event.detail_type,
            "detail": {
                **event.detail,
                "event_id": f"{customer_id}#{sequence}#{index}",
                "occurred_at": occurred_at,
            },
        }
        for index, event in enumerate(profile_events(old, new) if announce else [])
    ]
    return ProfileChange(customer_id, sequence, count_deltas(old, new), events)


def _shown(dimension: str, values: dict[str, str]) -> Any:
    """A class as the event shows it: tiers as numbers, an unscored segment as null."""
    value = values[dimension]
    if dimension == "tier":
        return int(value)
    return None if dimension == "segment" and value == UNSEGMENTED else value


def counts_view(
    totals: dict[str, int], segments: tuple[str, ...], loyalty: tuple[str, ...]
) -> dict[str, Any]:
    """The counters as ``GET /v1/admin/segments`` shows them (every known class listed)."""
    tiers = sorted(int(name.partition("#")[2]) for name in totals if name.startswith("tier#"))
    return {
        "total": totals.get(TOTAL, 0),
        "unsegmented": totals.get(counter_name("segment", UNSEGMENTED), 0),
        "segment_customers": {s: totals.get(counter_name("segment", s), 0) for s in segments},
        "tiers": [{"tier": t, "customers": totals[counter_name("tier", str(t))]} for t in tiers],
        "loyalty": [
            {"loyalty": c, "customers": totals.get(counter_name("loyalty", c), 0)} for c in loyalty
        ],
    }
