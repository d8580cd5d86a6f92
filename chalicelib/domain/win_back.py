"""Win-back: a customer whose RFM segment becomes ``at_risk`` or ``cannot_lose_them``.

One ``win_back`` letter (``marketing`` consent, decided by the mailer's policy) when the
segment *changes into* one of :data:`WIN_BACK_SEGMENTS`, at most one every
``win_back_days`` (store setting, 90 by default). The dedup key carries the day it was
queued (``win-back#2026-12-02``), so the newest key is the last win-back and a
redelivered change on the same day queues nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.messages import Message, non_transactional
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import parse_iso

WIN_BACK_TEMPLATE = "win_back"
WIN_BACK_SEGMENTS = frozenset({"at_risk", "cannot_lose_them"})
WIN_BACK_KEY_PREFIX = "win-back#"


def segment_of(profile: Profile | None) -> str | None:
    """The profile's RFM segment, if it has one."""
    if profile is None or not profile.rfm:
        return None
    segment = profile.rfm.get("segment")
    return str(segment) if segment else None


def entered_win_back_segment(old: Profile | None, new: Profile | None) -> bool:
    """Whether this change moves the customer into a win-back segment (not one that
    stays in it, and not a new or erased profile)."""
    if old is None or new is None:
        return False
    before, after = segment_of(old), segment_of(new)
    return after in WIN_BACK_SEGMENTS and before != after


def last_win_back_day(message_key: str | None) -> date | None:
    """The day a win-back key was queued on (``None`` for no key)."""
    if not message_key or not message_key.startswith(WIN_BACK_KEY_PREFIX):
        return None
    return date.fromisoformat(message_key[len(WIN_BACK_KEY_PREFIX) :][:10])


def win_back_allowed(last: date | None, today: date, every_days: int) -> bool:
    """Whether ``every_days`` have passed since the last win-back (or there was none)."""
    return last is None or (today - last).days >= every_days


def _local_day(moment: str | None, time_zone: str) -> str | None:
    """``moment`` as a day in the customer's time zone (``YYYY-MM-DD``)."""
    if not moment:
        return None
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return parse_iso(moment).astimezone(zone).date().isoformat()


def win_back_message(
    profile: Profile, today: date, created_at: str, correlation_id: str | None
) -> Message:
    """The win-back letter to ``profile``, keyed by ``today``."""
    context: dict[str, Any] = {
        "segment": segment_of(profile),
        "orders": profile.stats.orders,
        "last_order_day": _local_day(profile.stats.last_order_at, profile.time_zone),
    }
    return non_transactional(
        profile,
        f"{WIN_BACK_KEY_PREFIX}{today.isoformat()}",
        WIN_BACK_TEMPLATE,
        created_at,
        context,
        correlation_id,
    )
