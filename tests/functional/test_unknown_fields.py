"""Every JSON body the document closes (``additionalProperties: false``) refuses a field
it does not know with 400 naming that field (and the signup is not stored)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.shipment_fixtures import signature

SPEC = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text())

# (method, documented path, path as called, headers, a body with one unknown field)
CASES: list[tuple[str, str, str, dict[str, str], dict[str, Any], str]] = [
    (
        "post",
        "/v1/signups",
        "/v1/signups",
        STORE,
        {"customer_id": "c-9", "nickname": "A"},
        "nickname",
    ),
    (
        "post",
        "/v1/signups",
        "/v1/signups",
        STORE,
        {"customer_id": "c-9", "email": "a@example.com", "consents": {"sms": True}},
        "consents.sms",
    ),
    (
        "patch",
        "/v1/customers/{customer_id}",
        "/v1/customers/c-1",
        STORE,
        {"nickname": "A"},
        "nickname",
    ),
    ("post", "/v1/orders", "/v1/orders", STORE, {"order_id": "o-1", "coupon": "X"}, "coupon"),
    (
        "post",
        "/v1/orders",
        "/v1/orders",
        STORE,
        {
            "order_id": "o-1",
            "customer_id": "c-1",
            "placed_at": "2026-11-01T10:00:00+08:00",
            "currency": "CNY",
            "total": 100,
            "payment_method": "card",
            "lines": [
                {
                    "sku": "S",
                    "name": "N",
                    "category": "C",
                    "quantity": 1,
                    "unit_price": 100,
                    "colour": "red",
                }
            ],
        },
        "lines[0].colour",
    ),
    (
        "patch",
        "/v1/orders/{order_id}",
        "/v1/orders/o-1",
        STORE,
        {"status": "paid", "why": "x"},
        "why",
    ),
    (
        "post",
        "/v1/customers/{customer_id}/points/redemptions",
        "/v1/customers/c-1/points/redemptions",
        STORE,
        {"redemption_id": "r", "bonus": 1},
        "bonus",
    ),
    (
        "post",
        "/v1/shipments",
        "/v1/shipments",
        STORE,
        {"tracking_number": "T123", "weight": 1},
        "weight",
    ),
    (
        "post",
        "/v1/returns",
        "/v1/returns",
        STORE,
        {"return_id": "r-1", "refund_to": "card"},
        "refund_to",
    ),
    (
        "put",
        "/v1/admin/settings/store",
        "/v1/admin/settings/store",
        ADMIN,
        {"theme": "dark"},
        "theme",
    ),
    (
        "put",
        "/v1/admin/settings/customer-value",
        "/v1/admin/settings/customer-value",
        ADMIN,
        {"coupons": {}},
        "coupons",
    ),
    (
        "post",
        "/v1/admin/jobs/{name}",
        "/v1/admin/jobs/customer-value",
        ADMIN,
        {"as_of": "2026-11-01", "dry_run": True},
        "dry_run",
    ),
]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        node = SPEC["components"]["schemas"][name]
    return node


@pytest.mark.parametrize(("method", "documented", "path", "headers", "body", "field"), CASES)
def test_an_unknown_field_is_400_naming_it_and_the_document_says_so(
    stack: Stack,
    method: str,
    documented: str,
    path: str,
    headers: dict[str, str],
    body: dict[str, Any],
    field: str,
) -> None:
    schema = _resolve(
        SPEC["paths"][documented][method]["requestBody"]["content"]["application/json"]["schema"]
    )
    assert schema["additionalProperties"] is False
    signup = {"customer_id": "c-1", "email": "c-1@example.com"}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(signup)).status_code == 201
    response = getattr(stack.http, method)(path, headers=headers, body=json.dumps(body))
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["field"] == field
    assert field.rsplit(".", 1)[-1] in response.json_body["error"]["message"]
    assert stack.http.get("/v1/admin/customers/c-9", headers=ADMIN).status_code == 404


def test_a_carrier_scan_with_an_unknown_field_is_400_naming_it(stack: Stack) -> None:
    event = {
        "event_id": "e-1",
        "tracking_number": "T123",
        "status": "PU",
        "occurred_at": "2026-11-18T17:40:00+08:00",
        "mood": "happy",
    }
    raw = json.dumps({"events": [event]}).encode()
    headers = {"Content-Type": "application/json", "X-Rapport-Signature": signature(raw)}
    response = stack.http.post("/v1/carrier-events", headers=headers, body=raw)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["field"] == "events[0].mood"
