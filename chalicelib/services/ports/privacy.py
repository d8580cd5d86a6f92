"""Export and erasure: everything held about one customer, and the suppression list."""

from __future__ import annotations

from typing import Any, Protocol


class PrivacyStore(Protocol):
    """Everything held about one customer, for export and erasure (key and index reads)."""

    def profile_item(self, customer_id: str) -> dict[str, Any] | None: ...

    def timeline(self, customer_id: str) -> list[dict[str, Any]]: ...

    def messages(self, customer_id: str) -> list[dict[str, Any]]: ...

    def orders(self, customer_id: str) -> list[dict[str, Any]]: ...

    def shipments(self, customer_id: str) -> list[dict[str, Any]]: ...

    def support(self, customer_id: str) -> list[dict[str, Any]]:
        """The customer's tickets and their threads (messages, replies)."""
        ...

    def activity(self, customer_id: str) -> list[dict[str, Any]]:
        """The customer's shop activity (events, cart, product views)."""
        ...

    def message_guard(self, message_id: str) -> dict[str, Any] | None: ...

    def close_ticket(self, ticket: dict[str, Any], previous: str) -> bool:
        """Write a closed ticket if still ``previous``, the open counter in step."""
        ...

    def save(self, table: str, item: dict[str, Any]) -> None: ...

    def delete(self, table: str, key: dict[str, str]) -> None: ...

    def drop_email_guard(self, email: str, owner: str) -> None: ...

    def replace_profile(self, record: dict[str, Any], version: int) -> bool: ...


class SuppressionList(Protocol):
    """Keyed hashes of addresses no mail may go to (erased people)."""

    def add(self, email: str, reason: str, at: str) -> None: ...

    def reason(self, email: str) -> str | None:
        """Why the address is suppressed, or ``None``."""
        ...
