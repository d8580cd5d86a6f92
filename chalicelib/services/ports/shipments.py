"""Parcels, their tracking and the satisfaction surveys after delivery."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.tracking_scan import Scan


class ShipmentRepository(Protocol):
    """Parcels, their carrier scans and the tracking milestones published."""

    def order(self, order_id: str) -> dict[str, Any] | None: ...

    def register(self, parcel: dict[str, Any]) -> None: ...

    def parcel(self, tracking_number: str) -> dict[str, Any] | None: ...

    def parcels_for_order(self, order_id: str) -> list[dict[str, Any]]: ...

    def load(self, tracking_number: str) -> tuple[dict[str, Any] | None, list[Scan]]: ...

    def add_scan(self, scan: Scan, carrier: str | None, received_at: str) -> bool: ...

    def record_fold(
        self,
        tracking_number: str,
        version: int,
        state: dict[str, Any],
        published: dict[str, Any],
        new_pending: dict[str, dict[str, Any]],
    ) -> None: ...

    def mark_published(self, tracking_number: str, key: str, claim: str) -> bool: ...

    def release(self, tracking_number: str, key: str, claim: str) -> bool: ...

    def take_over(
        self, tracking_number: str, key: str, entry: dict[str, Any], claim: str, until: str
    ) -> bool: ...


class SurveyRepository(Protocol):
    """Satisfaction survey answers, one per customer and parcel."""

    def get(self, customer_id: str, tracking_number: str) -> dict[str, Any] | None: ...

    def record(self, customer_id: str, tracking_number: str, entry: dict[str, Any]) -> None: ...


class TrackingPublisher(Protocol):
    """Publishes a parcel's tracking status; returns the provider's message id."""

    def publish(self, message: dict[str, Any]) -> str: ...
