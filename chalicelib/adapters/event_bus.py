"""Put the store's outbound profile events on the EventBridge bus."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.services.exceptions import SendFailed

ENTRIES_PER_CALL = 10
"""``PutEvents`` takes at most ten entries."""


class EventBridgeProfileEvents:
    """Implements :class:`chalicelib.services.ports.ProfileEventBus` on one bus."""

    def __init__(self, client: Any, bus: str, source: str) -> None:
        self._client = client
        self._bus = bus
        self._source = source

    def publish(self, events: list[dict[str, Any]]) -> None:
        """Put every event; raises ``SendFailed`` when EventBridge refused any of them."""
        for start in range(0, len(events), ENTRIES_PER_CALL):
            entries = [
                {
                    "Source": self._source,
                    "DetailType": event["detail_type"],
                    "Detail": json.dumps(event["detail"], ensure_ascii=False),
                    "EventBusName": self._bus,
                }
                for event in events[start : start + ENTRIES_PER_CALL]
            ]
            with throttling_as_adapter_error():
                response = self._client.put_events(Entries=entries)
            if response.get("FailedEntryCount"):
                failed = [e for e in response.get("Entries", []) if e.get("ErrorCode")]
                raise SendFailed(str(failed[0].get("ErrorCode")) if failed else "PutEventsFailed")
