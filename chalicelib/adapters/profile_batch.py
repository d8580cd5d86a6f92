"""Many profiles in a few requests: ``BatchGetItem``, 100 keys a call.

DynamoDB may answer part of a batch (``UnprocessedKeys``: over the response's 16 MB or
the table's throughput); those keys are asked for again, after a short wait that grows,
up to ``ATTEMPTS`` calls per chunk, then the read fails as throttled (the campaign page
is retried as a whole, and queues nothing twice). Reads are strongly consistent, as
:meth:`DynamoCustomerRepository.get` reads a profile.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.adapters.profile_items import is_profile, profile_from_item
from chalicelib.domain.profile import Profile
from chalicelib.services.exceptions import Throttled

BATCH_GET_KEYS = 100
"""``BatchGetItem`` takes at most 100 keys."""
ATTEMPTS = 8
FIRST_WAIT = 0.05


class DynamoProfileBatch:
    """Implements :class:`chalicelib.services.campaign_ports.ProfileBatchReader`."""

    def __init__(
        self, client: Any, customers_table: str, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._client = client
        self._table = customers_table
        self._sleep = sleep

    def get_many(self, customer_ids: Sequence[str]) -> dict[str, Profile]:
        """The profiles of ``customer_ids`` that exist (email guards are not profiles)."""
        unique = list(dict.fromkeys(customer_ids))
        found: dict[str, Profile] = {}
        for start in range(0, len(unique), BATCH_GET_KEYS):
            for item in self._chunk(unique[start : start + BATCH_GET_KEYS]):
                if is_profile(item):
                    profile = profile_from_item(item)
                    found[profile.customer_id] = profile
        return found

    def _chunk(self, customer_ids: list[str]) -> list[dict[str, Any]]:
        request: dict[str, Any] = {
            self._table: {
                "Keys": [{"customer_id": {"S": cid}} for cid in customer_ids],
                "ConsistentRead": True,
            }
        }
        items: list[dict[str, Any]] = []
        wait = FIRST_WAIT
        for attempt in range(ATTEMPTS):
            if attempt:
                self._sleep(wait)
                wait *= 2
            with throttling_as_adapter_error():
                response = self._client.batch_get_item(RequestItems=request)
            items.extend(codec.from_item(i) for i in response["Responses"].get(self._table, []))
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return items
        raise Throttled("UnprocessedKeys")
