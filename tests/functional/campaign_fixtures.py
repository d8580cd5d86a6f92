"""Past buyers for the campaign tests: signups, orders of a sku, and a campaign body."""

from __future__ import annotations

import json
from typing import Any

from tests.functional.conftest import ADMIN, STORE, Stack

SKU = "KETTLE-2"
PRODUCT = {"en": "Clay kettle", "zh-CN": "紫砂壶"}


def signup(stack: Stack, cid: str, locale: str = "en", marketing: bool = True) -> None:
    body = {
        "customer_id": cid,
        "email": f"{cid}@example.com",
        "name": cid.upper(),
        "locale": locale,
        "consents": {"marketing": marketing},
    }
    response = stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))
    assert response.status_code == 201, response.body


def buy(stack: Stack, oid: str, cid: str, sku: str = SKU, name: str = "Clay kettle") -> None:
    line = {"sku": sku, "name": name, "category": "tea", "quantity": 1, "unit_price": 9900}
    body = {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": "2026-11-20T10:00:00+08:00",
        "currency": "CNY",
        "lines": [line],
        "total": 9900,
        "payment_method": "card",
    }
    response = stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body))
    assert response.status_code == 201, response.body


def refund(stack: Stack, oid: str) -> None:
    for status in ("paid", "refunded"):
        body = json.dumps({"status": status})
        assert stack.http.patch(f"/v1/orders/{oid}", headers=STORE, body=body).status_code == 200
        stack.pump()


def no_quiet_hours(stack: Stack) -> None:
    body = json.dumps({"quiet_hours_start": 0, "quiet_hours_end": 0})
    assert stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=body).status_code == 200


def campaign(campaign_id: str = "kettle-v2", **extra: Any) -> dict[str, Any]:
    return {
        "campaign_id": campaign_id,
        "kind": "product_update",
        "sku": SKU,
        "subject": {"en": "Your kettle has a new lid", "zh-CN": "您的紫砂壶有了新壶盖"},
        "body": {
            "en": "The new lid keeps tea hot <longer>.\n\nIt fits every kettle we sold.",
            "zh-CN": "新壶盖保温更久。\n\n我们卖出的每一把壶都适用。",
        },
        **extra,
    }


def post(stack: Stack, body: Any, headers: dict[str, str] = ADMIN) -> Any:
    return stack.http.post("/v1/admin/campaigns", headers=headers, body=json.dumps(body))


def message_log(stack: Stack, customers: list[str], campaign_id: str) -> dict[str, Any]:
    """Each customer's campaign message item as stored (the message log), or nothing."""
    client = stack.dynamodb()
    found = {}
    for cid in customers:
        item = client.get_item(
            TableName=stack.env["RAPPORT_MESSAGES_TABLE"],
            Key={"customer_id": {"S": cid}, "message_key": {"S": f"product-update#{campaign_id}"}},
        ).get("Item")
        if item:
            found[cid] = item
    return found
