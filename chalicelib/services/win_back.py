"""Queue a win-back letter when a customer's RFM segment becomes a win-back segment.

Both places that move a segment write the profile: an order fact (the orders stream
rescoring the customer at once) and the nightly ``customer-value`` job. The customers
stream sees each such write with its old and new image, in order per customer, so this
one reaction covers both (:func:`on_segment_change`, called from the customers stream
handler) and needs no hook in either writer.
"""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.profile import Profile
from chalicelib.domain.times import iso, utc_day
from chalicelib.domain.win_back import (
    entered_win_back_segment,
    last_win_back_day,
    win_back_allowed,
    win_back_message,
)
from chalicelib.services.ports import Clock, Outbox, SettingsStore
from chalicelib.services.retry import retry_throttled


class WinBackLog(Protocol):
    """Where the customer's last win-back letter is found."""

    def last_win_back(self, customer_id: str) -> str | None:
        """The newest win-back message key of the customer (consistent), or ``None``."""
        ...


def on_segment_change(
    old: Profile | None,
    new: Profile | None,
    outbox: Outbox,
    log: WinBackLog,
    settings: SettingsStore,
    clock: Clock,
    correlation_id: str | None = None,
) -> str | None:
    """Queue one win-back letter if ``new`` entered a win-back segment and none was
    queued in the last ``win_back_days``; returns the key queued, or ``None``."""
    if new is None or not entered_win_back_segment(old, new):
        return None
    now = clock.now()
    today = utc_day(now)
    every = retry_throttled(settings.store).win_back_days
    last = last_win_back_day(retry_throttled(lambda: log.last_win_back(new.customer_id)))
    if not win_back_allowed(last, today, every):
        return None
    message = win_back_message(new, today, iso(now), correlation_id)
    return message.message_key if outbox.enqueue(message) else None
