"""The outbox whose letter carries the count of the profile change it answers.

A new profile's welcome letter and the change's counters (``profile_counts``) are two
effects of one customers-stream record. :meth:`DynamoCountingOutbox.enqueue_counted`
writes both in one ``TransactWriteItems``: the letter's items (the customer not erased,
the put under its free key, the signup's tally) and the change's (its marker under the
older-sequence condition, the shard's ``ADD``), all on different items. Each condition
is the one its part has when written alone, so the transaction succeeds exactly when
both separate writes would; when it is refused, nothing is written and the caller
writes each part alone.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo_errors import failed_conditions, throttling_as_adapter_error
from chalicelib.adapters.metrics_store import DynamoMetrics
from chalicelib.adapters.outbox import DynamoOutbox
from chalicelib.adapters.profile_counts import DynamoProfileCounts
from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally
from chalicelib.domain.profile_changes import ProfileChange


class DynamoCountingOutbox(DynamoOutbox):
    """Implements :class:`chalicelib.services.profile_changes.CountingOutbox`."""

    def __init__(
        self,
        client: Any,
        table: str,
        customers_table: str,
        metrics: DynamoMetrics,
        counts: DynamoProfileCounts,
    ) -> None:
        super().__init__(client, table, customers_table, metrics)
        self._counts = counts

    def enqueue_counted(self, message: Message, tally: Tally | None, change: ProfileChange) -> bool:
        """Queue ``message`` and count ``change`` in one transaction; ``False`` when a
        condition refused it (nothing is written then)."""
        items = [*self.enqueue_actions(message, tally), *self._counts.actions(change)]
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if failed_conditions(error):
                return False
            raise
        return True
