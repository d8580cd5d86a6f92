"""React to changes of customer profiles (the customers stream)."""

from __future__ import annotations

from chalicelib.domain import messages
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import iso
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
    store had before Rapport: nothing to welcome them to). Queuing is idempotent (the message key is
    deterministic), so a redelivered record queues nothing twice.
    """
    queued: list[str] = []
    if old is None and new is not None and not imported:
        message = messages.welcome(new, iso(clock.now()), correlation_id)
        if outbox.enqueue(message):
            queued.append(message.message_key)
    return queued
