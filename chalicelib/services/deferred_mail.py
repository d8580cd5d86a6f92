"""Send deferred mail once its quiet hours are over (a scheduled job)."""

from __future__ import annotations

from chalicelib.domain import messages
from chalicelib.domain.times import iso
from chalicelib.services.ports import Clock, Outbox


def requeue_due(outbox: Outbox, clock: Clock, page_size: int = 100) -> int:
    """Queue again every deferred message whose ``not_before`` has passed.

    Reads the ``status-created`` index (no scan); the conditional update makes a
    concurrent or repeated run harmless. Returns how many were queued again.
    """
    now = clock.now()
    stamp = iso(now)
    requeued = 0
    cursor = None
    while True:
        items, cursor = outbox.by_status(messages.DEFERRED, page_size, cursor)
        for item in items:
            if item.get("not_before", "") <= stamp and outbox.requeue_deferred(
                item["customer_id"], item["message_key"], now
            ):
                requeued += 1
        if cursor is None:
            return requeued + _requeue_stuck(outbox, clock, page_size)


def _requeue_stuck(outbox: Outbox, clock: Clock, page_size: int) -> int:
    """Messages left ``sending`` by a sender that died: queued again once the lease ran out.

    The mail may or may not have gone out before the sender died; sending it again is the
    at-least-once side of a case that only a crash between SES and our write can cause.
    """
    now = clock.now()
    stamp = iso(now)
    requeued = 0
    cursor = None
    while True:
        items, cursor = outbox.by_status(messages.SENDING, page_size, cursor)
        for item in items:
            if item.get("lease_until", "") < stamp and outbox.requeue_expired_claim(
                item["customer_id"], item["message_key"], now
            ):
                requeued += 1
        if cursor is None:
            return requeued
