"""Count what a profile change means for the store's metrics (the customers stream).

A consent turned off is an unsubscribe for that purpose; a profile replaced by its
erased record is an erasure. These facts have no exactly-once marker of their own, so
each is counted under a fact key (the customer, and the profile version for a consent
change) that the counters take once (``MetricsCounters.count_once``): a redelivered
record adds nothing. (A signup is counted with its welcome letter:
:func:`chalicelib.services.customer_events.welcome_letter`.)
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import metrics
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import parse_iso
from chalicelib.services.ports import MetricsCounters


def withdrawn(old: Profile, new: Profile) -> list[str]:
    """The purposes whose consent ``new`` turned off."""
    before, after = old.consents.to_dict(), new.consents.to_dict()
    return [purpose for purpose, given in before.items() if given and not after[purpose]]


def count_profile_change(
    old: Profile | None,
    new: Profile | None,
    erased: bool,
    counters: MetricsCounters,
    now: datetime,
) -> list[str]:
    """Count the change's facts once; returns the facts counted now (for logs)."""
    facts: list[tuple[str, metrics.Tally | None]] = []
    if old is not None and new is not None:
        key = f"unsubscribe#{new.customer_id}#{new.version}"
        facts.append((key, metrics.unsubscribes(withdrawn(old, new), parse_iso(new.updated_at))))
    elif old is not None and erased:
        facts.append((f"erasure#{old.customer_id}", metrics.erasure(now)))
    return [
        key.split("#", 1)[0]
        for key, tally in facts
        if tally is not None and counters.count_once(key, tally, now)
    ]
