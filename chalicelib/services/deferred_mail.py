"""Send deferred mail once its quiet hours are over (a scheduled job)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from chalicelib.domain import messages
from chalicelib.domain.times import iso
from chalicelib.services.ports import Clock, Outbox, Retrier
from chalicelib.services.retry import NO_RETRY


def requeue_due(
    outbox: Outbox, clock: Clock, page_size: int = 100, retry: Retrier = NO_RETRY
) -> int:
    """Queue again every deferred message whose ``not_before`` has passed.

    Reads the ``status-created`` index (no scan); the conditional update makes a
    concurrent or repeated run harmless. Returns how many were queued again. Each page
    and each update that fails transiently is made again under ``retry`` (a repeated
    update that had taken effect finds the message queued and is not counted again).

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
        retry,
    )
    stuck = _requeue(
        outbox,
        clock,
        page_size,
        messages.SENDING,
        lambda item, stamp: item.get("lease_until", "") < stamp,
        outbox.requeue_expired_claim,
        retry,
    )
    return deferred + stuck


def _requeue(
    outbox: Outbox,
    clock: Clock,
    page_size: int,
    status: str,
    due: Callable[[dict[str, Any], str], bool],
    requeue: Callable[[str, str, datetime], bool],
    retry: Retrier,
) -> int:
    """Queue again the messages in ``status`` that are ``due``; returns how many."""
    now = clock.now()
    stamp = iso(now)
    requeued = 0
    cursor: str | None = None
    while True:
        items, cursor = retry(partial(outbox.by_status, status, page_size, cursor))
        for item in items:
            key = (item["customer_id"], item["message_key"])
            if due(item, stamp) and retry(partial(requeue, *key, now)):
                requeued += 1
        if cursor is None:
            return requeued
