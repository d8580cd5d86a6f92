"""The mailer's outbox: a cancelled campaign's messages are suppressed at their claim.

The mailer claims every queued message before deciding it; for a campaign's message
this outbox first asks whether the campaign was cancelled and, if so, records the
message ``suppressed`` with ``campaign_cancelled`` and hands the mailer nothing to send
(``skipped``). A message deferred by quiet hours comes back through the same claim.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters.outbox import DynamoOutbox
from chalicelib.domain.campaigns import CANCELLED_REASON, campaign_of, is_campaign_message
from chalicelib.domain.messages import Message
from chalicelib.services.ports import CampaignStore


class CampaignAwareOutbox(DynamoOutbox):
    """The outbox the mailer uses (see the module's docstring)."""

    def __init__(
        self,
        client: Any,
        table: str,
        customers_table: str | None,
        campaigns: CampaignStore,
        metrics: Any = None,
    ) -> None:
        super().__init__(client, table, customers_table, metrics)  # outcomes counted too
        self._campaigns = campaigns

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None:
        """Claim the message; a cancelled campaign's message is suppressed instead."""
        message = super().claim(customer_id, message_key, now)
        if message is None or not is_campaign_message(message_key):
            return message
        if not self._campaigns.is_cancelled(campaign_of(message_key)):
            return message
        self.mark_suppressed(message, CANCELLED_REASON, now)
        return None
