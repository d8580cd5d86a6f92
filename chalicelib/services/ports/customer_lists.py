"""The admin's lists of customers and of one customer's records (index Queries)."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.profile import Profile


class SegmentLists(Protocol):
    """Customers listed by RFM segment and by loyalty class (indexes, never a scan)."""

    def by_segment(
        self, segment: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def by_loyalty(
        self, loyalty: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...


class UnreachableList(Protocol):
    """Profiles with no deliverable contact, one page at a time (an index, never a scan)."""

    def page(self, limit: int, cursor: str | None) -> tuple[list[Profile], str | None]: ...


class CustomerLists(Protocol):
    """The admin's lists of customers, each one index Query, a page at a time.

    Every method returns ``(profiles, next_cursor)`` and raises ``ValueError`` for a cursor
    it did not give out.
    """

    def by_tier(
        self, tier: int, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def by_loyalty(
        self, loyalty: str, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def by_segment(
        self, segment: str, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def top(self, by: str, limit: int, cursor: str | None) -> tuple[list[Profile], str | None]: ...

    def signed_up(
        self, first_day: str | None, last_day: str | None, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def search(
        self, prefix: str, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...


class CustomerRecords(Protocol):
    """One customer's orders, parcels and messages, newest first (index Queries).

    Every method returns ``(items, next_cursor)`` and raises ``ValueError`` for a cursor
    it did not give out for this customer.
    """

    def orders(
        self, customer_id: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def parcels(
        self, customer_id: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def messages(
        self, customer_id: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...
