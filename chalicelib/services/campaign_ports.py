"""The ports a campaign page uses to read and queue a page of buyers at once.

A page of 250 buyers is read and queued in a few requests rather than one per buyer
(:mod:`chalicelib.services.campaign_fanout`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chalicelib.domain.messages import Message
from chalicelib.domain.profile import Profile


class ProfileBatchReader(Protocol):
    """Reads many profiles at once."""

    def get_many(self, customer_ids: Sequence[str]) -> dict[str, Profile]:
        """The profiles of ``customer_ids`` that exist (an erased or unknown id is absent)."""
        ...


class OutboxBatch(Protocol):
    """Queues many messages at once, each exactly once."""

    def enqueue_all(self, messages: Sequence[Message]) -> int:
        """Queue every message whose key is new and whose customer is not erased; returns
        how many were queued now (a message queued before is left as it is)."""
        ...
