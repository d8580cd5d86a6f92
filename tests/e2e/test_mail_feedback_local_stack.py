"""SES's mailbox simulator through the local stack: a bounce makes the profile unreachable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for


def messages(stack: RunningStack, cid: str) -> list[dict[str, Any]]:
    response = stack.request("GET", f"/v1/admin/customers/{cid}/messages", key=ADMIN_KEY)
    items: list[dict[str, Any]] = response.body["items"]
    return items


def of_template(stack: RunningStack, cid: str, template: str) -> dict[str, Any] | None:
    return next((m for m in messages(stack, cid) if m["template"] == template), None)


def test_a_simulator_bounce_makes_the_profile_unreachable_and_suppresses_later_mail(
    local_stack: RunningStack,
) -> None:
    address = "bounce+e2e@simulator.amazonses.com"
    body = {"customer_id": "c-bounce", "email": address, "name": "Bo"}
    assert local_stack.request("POST", "/v1/signups", body).status == 201

    welcome = wait_for(
        lambda: (of_template(local_stack, "c-bounce", "welcome") or {}).get("feedback")
    )
    assert welcome == "bounced"
    profile = local_stack.request("GET", "/v1/customers/c-bounce").body
    assert (profile["email_status"], profile["reachable"]) == ("bounced", False)
    listed = local_stack.request("GET", "/v1/admin/customers?reachable=false", key=ADMIN_KEY)
    assert "c-bounce" in [p["customer_id"] for p in listed.body["items"]]

    sent = len(local_stack.mails())
    placed = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    line = {"sku": "TEA-1", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 900}
    order = {
        "order_id": "o-bounce",
        "customer_id": "c-bounce",
        "placed_at": placed,
        "currency": "CNY",
        "lines": [line],
        "total": 900,
        "payment_method": "card",
    }
    assert local_stack.request("POST", "/v1/orders", order).status == 201
    confirmation = wait_for(
        lambda: (of_template(local_stack, "c-bounce", "order_confirmation") or {}).get("reason")
    )
    assert confirmation == "address_bounced"
    assert of_template(local_stack, "c-bounce", "order_confirmation")["status"] == "suppressed"  # type: ignore[index]
    assert len(local_stack.mails()) == sent


def test_simulator_complaints_and_deliveries_are_recorded(local_stack: RunningStack) -> None:
    for cid, address in (
        ("c-complaint", "complaint+e2e@simulator.amazonses.com"),
        ("c-success", "success@simulator.amazonses.com"),
    ):
        body = {"customer_id": cid, "email": address, "name": "Co"}
        assert local_stack.request("POST", "/v1/signups", body).status == 201
    assert (
        wait_for(lambda: (of_template(local_stack, "c-complaint", "welcome") or {}).get("feedback"))
        == "complained"
    )
    assert (
        wait_for(lambda: (of_template(local_stack, "c-success", "welcome") or {}).get("feedback"))
        == "delivered"
    )
    statuses = [
        local_stack.request("GET", f"/v1/customers/{cid}").body["email_status"]
        for cid in ("c-complaint", "c-success")
    ]
    assert statuses == ["complained", "ok"]
