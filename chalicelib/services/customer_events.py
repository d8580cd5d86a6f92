"""The mail a change of a customer profile calls for (the customers stream)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import messages, metrics
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.profile_changes import Letter


def welcome_letter(
    old: Profile | None,
    new: Profile | None,
    now: datetime,
    correlation_id: str | None = None,
    imported: bool = False,
) -> Letter | None:
    """The letter a profile change calls for, not yet queued; ``None`` for most.

    A new profile gets the welcome letter, unless it was ``imported`` (a customer the
    store had before Rapport: nothing to welcome them to). The signup is counted in the
    store's metrics with its welcome (the letter's tally, one transaction), so once.
    Queuing is idempotent (the message key is deterministic), and the change's counts
    go into the same write (:func:`chalicelib.services.profile_changes.record_profile_change`).
    """
    if old is not None or new is None or imported:
        return None
    message = messages.welcome(new, iso(now), correlation_id)
    return Letter(message, metrics.signup(parse_iso(new.created_at)))
