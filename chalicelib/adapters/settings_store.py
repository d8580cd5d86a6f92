"""Store settings in the settings table, cached per container for a short time."""

from __future__ import annotations

import time
from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.domain.settings import StoreSettings, settings_from_dict

STORE_SETTINGS_ID = "store"


class DynamoSettingsStore:
    """Implements :class:`chalicelib.services.ports.SettingsStore`.

    Settings change rarely and every mail needs them, so a read is cached for
    ``ttl_seconds`` (a saved change is visible at once in the container that saved it).
    """

    def __init__(self, client: Any, table: str, ttl_seconds: float = 60.0) -> None:
        self._client = client
        self._table = table
        self._ttl = ttl_seconds
        self._cached: tuple[float, StoreSettings] | None = None

    def store(self) -> StoreSettings:
        """The store settings (defaults for anything not overridden)."""
        if self._cached and time.monotonic() - self._cached[0] < self._ttl:
            return self._cached[1]
        with throttling_as_adapter_error():
            response = self._client.get_item(
                TableName=self._table, Key={"setting_id": {"S": STORE_SETTINGS_ID}}
            )
        item = response.get("Item")
        settings = (
            settings_from_dict(codec.from_item(item).get("value", {})) if item else StoreSettings()
        )
        self._cached = (time.monotonic(), settings)
        return settings

    def save_store(self, settings: StoreSettings) -> None:
        """Replace the store settings."""
        with throttling_as_adapter_error():
            self._client.put_item(
                TableName=self._table,
                Item=codec.to_item({"setting_id": STORE_SETTINGS_ID, "value": settings.to_dict()}),
            )
        self._cached = (time.monotonic(), settings)
