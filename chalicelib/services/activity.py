"""Record the store's shop activity (``POST /v1/events``): the event and its cart or views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.domain import validation as v
from chalicelib.domain.activity import EVENT_FIELDS, PRODUCT_VIEWED, ActivityEvent, parse_event
from chalicelib.domain.carts import Cart, after_event
from chalicelib.domain.exceptions import Conflict, Unprocessable
from chalicelib.services.exceptions import AlreadyExists, CustomerMissing, StaleWrite
from chalicelib.services.ports import Clock, SettingsStore

ATTEMPTS = 3


class ActivityStore(Protocol):
    """The activity table as the API writes it (``adapters/activity_repository.py``)."""

    def record(
        self, event: ActivityEvent, digest: str, cart: Cart | None, now: datetime
    ) -> dict[str, Any]: ...

    def event(self, customer_id: str, event_id: str) -> dict[str, Any] | None: ...

    def cart(self, customer_id: str) -> Cart | None: ...

    def viewed(self, customer_id: str) -> dict[str, dict[str, Any]]: ...


@dataclass(frozen=True)
class RecordResult:
    """The stored event and whether this call recorded it."""

    event: dict[str, Any]
    created: bool


def record_event(
    payload: Any, store: ActivityStore, clock: Clock, settings: SettingsStore
) -> RecordResult:
    """Record an event (201), recognise an identical replay (200) or refuse it.

    400 names a bad field; 422 for a customer with no profile; 409 for an ``event_id``
    already recorded with a different body.
    """
    now = clock.now()
    event = parse_event(v.require_object(payload), bounds=settings.store().time_bounds(now))
    digest = event.digest()
    for _ in range(ATTEMPTS):
        cart = None if event.type == PRODUCT_VIEWED else store.cart(event.customer_id)
        try:
            item = store.record(event, digest, after_event(cart, event), now)
        except CustomerMissing:
            raise Unprocessable(
                "no customer with this customer_id: sign them up first", "customer_id"
            ) from None
        except AlreadyExists:
            stored = store.event(event.customer_id, event.event_id)
            if stored is None or stored.get("digest") != digest:
                raise Conflict(
                    "event_id already recorded with a different body", "event_id"
                ) from None
            return RecordResult(stored, created=False)
        except StaleWrite:
            continue  # another event moved the cart meanwhile: read it again
        return RecordResult(item, created=True)
    raise Conflict("the cart kept changing; send the event again", "event_id")


def event_view(item: dict[str, Any]) -> dict[str, Any]:
    """The event as the API shows it."""
    view = {key: item[key] for key in EVENT_FIELDS if key in item}
    view["recorded_at"] = item.get("recorded_at")
    return view
