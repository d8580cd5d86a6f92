"""Store settings in the settings table, cached per container for a short time."""

from __future__ import annotations

import time
from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.adapters.items import get_item
from chalicelib.domain.settings import StoreSettings, settings_from_dict
from chalicelib.domain.value_settings import CustomerValueSettings, value_settings_from_dict

STORE_SETTINGS_ID = "store"
CUSTOMER_VALUE_ID = "customer-value"


class DynamoSettingsStore:
    """Implements :class:`chalicelib.services.ports.SettingsStore`.

    Settings change rarely and every mail needs them, so a read is cached for
    ``ttl_seconds`` (a saved change is visible at once in the container that saved it).
    """

    def __init__(self, client: Any, table: str, ttl_seconds: float = 60.0) -> None:
        self._client = client
        self._table = table
        self._ttl = ttl_seconds
        self._documents: dict[str, tuple[float, dict[str, Any] | None]] = {}

    def store(self) -> StoreSettings:
        """The store settings (defaults for anything not overridden)."""
        return settings_from_dict(self.document(STORE_SETTINGS_ID) or {})

    def save_store(self, settings: StoreSettings) -> None:
        """Replace the store settings."""
        self.save_document(STORE_SETTINGS_ID, settings.to_dict())

    def document(self, setting_id: str, fresh: bool = False) -> dict[str, Any] | None:
        """The stored ``value`` of a settings item (cached for ``ttl_seconds``)."""
        cached = self._documents.get(setting_id)
        if cached and not fresh and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        item = get_item(self._client, self._table, {"setting_id": setting_id}, consistent=False)
        value = item.get("value") if item else None
        self._documents[setting_id] = (time.monotonic(), value)
        return value

    @property
    def table(self) -> str:
        """The settings table (for a read that brings stale documents along)."""
        return self._table

    def stale(self, setting_ids: tuple[str, ...]) -> list[str]:
        """Which of ``setting_ids`` a read now would fetch (not cached, or expired)."""
        now = time.monotonic()
        cached = self._documents
        return [i for i in setting_ids if i not in cached or now - cached[i][0] >= self._ttl]

    def fill(self, setting_id: str, item: dict[str, Any] | None) -> None:
        """Cache a settings item another read brought (``None``: there is none)."""
        self._documents[setting_id] = (time.monotonic(), item.get("value") if item else None)

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        """Replace a settings item's ``value``."""
        with throttling_as_adapter_error():
            self._client.put_item(
                TableName=self._table,
                Item=codec.to_item({"setting_id": setting_id, "value": value}),
            )
        self._documents[setting_id] = (time.monotonic(), value)

    def customer_value(self) -> CustomerValueSettings:
        """Tiers, points, loyalty and recommendation settings (defaults where unset)."""
        return value_settings_from_dict(self.document(CUSTOMER_VALUE_ID) or {})

    def save_customer_value(self, settings: CustomerValueSettings) -> None:
        """Replace the customer-value settings."""
        self.save_document(CUSTOMER_VALUE_ID, settings.to_dict())
