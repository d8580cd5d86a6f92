"""React to changes of customer profiles (the customers stream)."""

from __future__ import annotations

from chalicelib.domain import messages, metrics
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.ports import Clock, Outbox


def on_profile_change(
    old: Profile | None,
    new: Profile | None,
    outbox: Outbox,
    clock: Clock,
    correlation_id: str | None = None,
    imported: bool = False,
) -> list[str]:
    """Queue the mail a profile change calls for; returns the keys queued now.

    A new profile gets the welcome letter, unless it was ``imported`` (a customer the
    store had before Rapport: nothing to welcome them to). Queuing is idempotent (the
    message key is deterministic), so a redelivered record queues nothing twice; the
    signup is counted in the store's metrics with its welcome (one transaction), so once
    too.
    """
    queued: list[str] = []
    if old is None and new is not None and not imported:
        message = messages.welcome(new, iso(clock.now()), correlation_id)
        if outbox.enqueue(message, metrics.signup(parse_iso(new.created_at))):
            queued.append(message.message_key)
    return queued
