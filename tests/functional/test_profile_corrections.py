"""``GET``/``PATCH /v1/customers/{id}``: corrections are versioned and keep email unique."""

from __future__ import annotations

import json
from typing import Any

from tests.functional.conftest import STORE, Stack


def signup(stack: Stack, customer_id: str, email: str) -> None:
    body = {"customer_id": customer_id, "email": email, "name": "Ana"}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201


def patch(stack: Stack, customer_id: str, body: Any) -> Any:
    return stack.http.patch(f"/v1/customers/{customer_id}", headers=STORE, body=json.dumps(body))


def versions(stack: Stack, customer_id: str) -> list[dict[str, Any]]:
    items = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_TIMELINE_TABLE"],
        KeyConditionExpression="customer_id = :c AND begins_with(entry_key, :p)",
        ExpressionAttributeValues={":c": {"S": customer_id}, ":p": {"S": "profile#"}},
    )["Items"]
    return [json.loads(item["changes"]["S"]) for item in items]


def test_correction_changes_the_profile_and_keeps_a_version(stack: Stack) -> None:
    signup(stack, "c-1", "ana@example.com")
    response = patch(stack, "c-1", {"name": "Ana María", "birthday": "--02-29", "locale": "en"})
    assert response.status_code == 200
    assert response.json_body["name"] == "Ana María"
    assert response.json_body["version"] == 2
    history = versions(stack, "c-1")
    assert [h["source"] for h in history] == ["signup", "store"]
    changed = {c["field"]: (c["old"], c["new"]) for c in history[1]["changes"]}
    assert changed == {"name": ("Ana", "Ana María"), "birthday": (None, "--02-29")}


def test_correction_that_changes_nothing_keeps_the_version(stack: Stack) -> None:
    signup(stack, "c-1", "ana@example.com")
    assert patch(stack, "c-1", {"name": "Ana"}).json_body["version"] == 1
    assert len(versions(stack, "c-1")) == 1


def test_email_change_moves_uniqueness(stack: Stack) -> None:
    signup(stack, "c-1", "ana@example.com")
    signup(stack, "c-2", "bo@example.com")
    taken = patch(stack, "c-1", {"email": "BO@example.com"})
    assert taken.status_code == 409 and taken.json_body["error"]["field"] == "email"
    moved = patch(stack, "c-1", {"email": "ana.new@example.com"})
    assert moved.status_code == 200 and moved.json_body["email"] == "ana.new@example.com"
    # the old address is free again, the new one is not
    signup(stack, "c-3", "ana@example.com")
    again = stack.http.post(
        "/v1/signups",
        headers=STORE,
        body=json.dumps({"customer_id": "c-4", "email": "ana.new@example.com"}),
    )
    assert again.status_code == 409


def test_bad_corrections_are_400_and_unknown_customer_404(stack: Stack) -> None:
    signup(stack, "c-1", "ana@example.com")
    assert patch(stack, "c-1", {"customer_id": "c-9"}).json_body["error"]["field"] == "customer_id"
    assert patch(stack, "c-1", {"email": None}).json_body["error"]["field"] == "email"
    assert patch(stack, "c-1", {}).status_code == 400
    assert patch(stack, "nobody", {"name": "X"}).status_code == 404
    assert stack.http.get("/v1/customers/nobody", headers=STORE).status_code == 404
