"""Store settings and the settings documents the nightly jobs write."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.value_settings import CustomerValueSettings

RFM_DOCUMENT = "rfm-boundaries"
"""The settings document holding the RFM quintile boundaries (written by the nightly job)."""


CLV_DOCUMENT = "clv-model"
"""The settings document holding the fitted CLV parameters (written by the nightly job)."""


class SettingsStore(Protocol):
    """Store settings and settings documents (cached by the adapter)."""

    def store(self) -> StoreSettings: ...

    def save_store(self, settings: StoreSettings) -> None: ...

    def document(self, setting_id: str, fresh: bool = False) -> dict[str, Any] | None: ...

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None: ...

    def customer_value(self) -> CustomerValueSettings: ...

    def save_customer_value(self, settings: CustomerValueSettings) -> None: ...
