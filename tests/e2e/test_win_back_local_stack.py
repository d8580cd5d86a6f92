"""Win-back and replenishment through the local stack over HTTP: orders, the nightly
customer-value job and the daily replenishment job on demand, the letters in the viewer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = pytest.mark.e2e

SETTINGS = {"quiet_hours_start": 0, "quiet_hours_end": 0, "replenishment_skus": {"TEA-1": 30}}


def order(oid: str, cid: str, days_ago: int, sku: str, total: int) -> dict[str, Any]:
    name = "Dragon Well tea" if sku == "TEA-1" else "Linen tee"
    placed = datetime.now(UTC) - timedelta(days=days_ago)
    return {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": placed.isoformat(),
        "currency": "CNY",
        "payment_method": "card",
        "total": total,
        "lines": [
            {"sku": sku, "name": name, "category": "tea", "quantity": 1, "unit_price": total}
        ],
    }


def test_a_lapsing_customer_is_won_back_once_and_the_daily_cap_holds_the_tea_reminder(
    local_stack: RunningStack,
) -> None:
    s = local_stack
    assert s.request("PUT", "/v1/admin/settings/store", SETTINGS, key=ADMIN_KEY).status == 200
    history = {"e-lapse": [300, 260, 230, 200, 31], **{f"e-new{n}": [n] for n in range(1, 5)}}
    for cid, days in history.items():
        signup: dict[str, Any] = {"customer_id": cid, "email": f"{cid}@example.com", "name": "Lan"}
        signup["consents"] = {"marketing": True}
        assert s.request("POST", "/v1/signups", signup).status == 201
        for n, days_ago in enumerate(days):
            sku = "TEA-1" if days_ago == 31 else "TEE-M"
            total = 30_000 if cid == "e-lapse" else 2_000
            assert (
                s.request(
                    "POST", "/v1/orders", order(f"{cid}-{n}", cid, days_ago, sku, total)
                ).status
                == 201
            )
    assert wait_for(lambda: s.request("GET", "/v1/customers/e-lapse").body["stats"]["orders"] == 5)
    assert s.run_job("customer-value")["result"]["rfm"] == "stored"
    [win_back] = wait_for(lambda: s.mails_of("win_back", "e-lapse@example.com"))
    assert "there is no special offer in this letter" in win_back["text"]
    assert win_back["headers"].get("List-Unsubscribe")
    result = s.run_job("replenishment")["result"]
    assert result["queued"] == 1, result
    # the same day as the win-back letter: one non-transactional mail a day, so the
    # reminder is recorded suppressed by the daily cap, never sent later in a burst
    capped = wait_for(lambda: reminder_outcome(s, "e-lapse"))
    assert capped == ("suppressed", "frequency_cap"), capped
    assert s.mails_of("replenishment", "e-lapse@example.com") == []
    # the jobs again: nothing new
    s.run_job("customer-value")
    s.run_job("replenishment")
    assert len(s.mails_of("win_back", "e-lapse@example.com")) == 1
    assert s.mails_of("replenishment", "e-lapse@example.com") == []


def reminder_outcome(s: RunningStack, customer_id: str) -> tuple[str, str] | None:
    """The replenishment message's status and reason once the mailer decided it."""
    page = s.request("GET", f"/v1/admin/customers/{customer_id}/messages", key=ADMIN_KEY)
    for message in page.body["items"]:
        if message["template"] == "replenishment" and message["status"] != "queued":
            return message["status"], message.get("reason")
    return None
