"""A cart left idle, through the local stack: the event, the job with ``as_of``, the mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.domain.times import iso
from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

CONSENTS = {"marketing": True, "recommendations": True, "greetings": True, "surveys": True}
TEA = {"sku": "TEA-9", "name": "Oolong tea", "category": "tea", "quantity": 2, "unit_price": 4500}


def _order(oid: str, cid: str, days_ago: int) -> dict[str, Any]:
    line = {**TEA, "sku": "CUP-1", "name": "Tea cup", "quantity": 1, "unit_price": 3000}
    return {"order_id": oid, "customer_id": cid, "currency": "CNY", "lines": [line],
            "placed_at": iso(datetime.now(UTC) - timedelta(days=days_ago)), "total": 3000,
            "payment_method": "card"}  # fmt: skip


def test_an_idle_cart_gets_one_reminder_in_the_mail_viewer(local_stack: RunningStack) -> None:
    s = local_stack
    quiet = {"quiet_hours_start": 0, "quiet_hours_end": 0}
    assert s.request("PUT", "/v1/admin/settings/store", quiet, key=ADMIN_KEY).status == 200
    signup = {"customer_id": "cart-1", "email": "cart-1@example.com", "name": "Mei",
              "consents": CONSENTS}  # fmt: skip
    assert s.request("POST", "/v1/signups", signup).status == 201
    for n, days in ((1, 20), (2, 10)):
        assert s.request("POST", "/v1/orders", _order(f"cart-o{n}", "cart-1", days)).status == 201
    loyal = wait_for(lambda: s.request("GET", "/v1/customers/cart-1").body["loyalty"] == "loyal")
    assert loyal
    at = iso(datetime.now(UTC) - timedelta(minutes=5))
    event = {"event_id": "cart-e1", "customer_id": "cart-1", "type": "cart_updated",
             "occurred_at": at, "items": [TEA]}  # fmt: skip
    assert s.request("POST", "/v1/events", event).status == 201
    assert s.request("POST", "/v1/events", event).status == 200
    as_of = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()
    assert s.run_job("cart-reminders", {"as_of": as_of})["result"]["queued"] == 1

    [mail] = wait_for(lambda: s.mails_of("cart_reminder"))
    assert "cart-1@example.com" in mail["to"][0] and "2 × Oolong tea" in mail["text"]
    assert mail["headers"]["List-Unsubscribe"]
    assert s.run_job("cart-reminders", {"as_of": as_of})["result"]["queued"] == 0
    assert len(s.mails_of("cart_reminder")) == 1
