"""Send deferred mail once its quiet hours are over (a scheduled job)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.domain import messages
from chalicelib.domain.times import iso
from chalicelib.services.ports import Clock, Outbox


def requeue_due(outbox: Outbox, clock: Clock, page_size: int = 100) -> int:
    """Queue again every deferred message whose ``not_before`` has passed.

    Reads the ``status-created`` index (no scan); the conditional update makes a
    concurrent or repeated run harmless. Returns how many were queued again.

    Also queues again messages left ``sending`` by a sender that died, once the lease ran
    out. The mail may or may not have gone out before the sender died; sending it again
    is the at-least-once side of a case that only a crash between SES and our write can
    cause.
    """
    deferred = _requeue(
        outbox,
        clock,
        page_size,
        messages.DEFERRED,
        lambda item, stamp: item.get("not_before", "") <= stamp,
        outbox.requeue_deferred,
    )
    stuck = _requeue(
        outbox,
        clock,
        page_size,
        messages.SENDING,
        lambda item, stamp: item.get("lease_until", "") < stamp,
        outbox.requeue_expired_claim,
    )
    return deferred + stuck


def _requeue(
    outbox: Outbox,
    clock: Clock,
    page_size: int,
    status: str,
    due: Callable[[dict[str, Any], str], bool],
    requeue: Callable[[str, str, datetime], bool],
) -> int:
    """Queue again the messages in ``status`` that are ``due``; returns how many."""
    now = clock.now()
    stamp = iso(now)
    requeued = 0
    cursor = None
    while True:
        items, cursor = outbox.by_status(status, page_size, cursor)
        for item in items:
            if due(item, stamp) and requeue(item["customer_id"], item["message_key"], now):
                requeued += 1
        if cursor is None:
            return requeued
