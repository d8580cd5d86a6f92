"""Addresses are taken as SES can deliver them; a message that cannot be built is a failure."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters import codec
from chalicelib.adapters.profile_items import profile_to_item
from chalicelib.domain.profile import Profile
from chalicelib.domain.validation import EMAIL_REFUSED
from tests.functional.conftest import STORE, Stack

UNMAILABLE = "josé@exämple.com"


def signup(stack: Stack, customer_id: str, address: str, name: str = "Ana") -> Any:
    body = {"customer_id": customer_id, "email": address, "name": name}
    return stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))


def welcome(customer_id: str) -> dict[str, Any]:
    items, _ = bootstrap.container().outbox.for_customer(customer_id, 10, None)
    return next(item for item in items if item["message_key"] == "welcome")


@pytest.mark.parametrize("address", [UNMAILABLE, "josé@example.com", "用户@例子.广告"])
def test_a_signup_with_a_non_ascii_local_part_is_refused_naming_email(
    stack: Stack, address: str
) -> None:
    response = signup(stack, "c-1", address)
    assert response.status_code == 400
    error = response.json_body["error"]
    assert error["field"] == "email"
    assert error["message"] == EMAIL_REFUSED.format(field="email")  # ours, not the validator's
    assert stack.http.get("/v1/customers/c-1", headers=STORE).status_code == 404


def test_a_correction_to_a_non_ascii_local_part_is_refused_naming_email(stack: Stack) -> None:
    assert signup(stack, "c-1", "ana@example.com").status_code == 201
    body = json.dumps({"email": UNMAILABLE})
    response = stack.http.patch("/v1/customers/c-1", headers=STORE, body=body)
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "email"
    profile = stack.http.get("/v1/customers/c-1", headers=STORE).json_body
    assert profile["email"] == "ana@example.com"


def test_an_internationalized_domain_is_stored_and_mailed_in_idna(stack: Stack) -> None:
    response = signup(stack, "c-1", "Ana@Exämple.com")
    assert response.status_code == 201
    assert response.json_body["email"] == "ana@xn--exmple-cua.com"
    assert signup(stack, "c-2", "ana@xn--exmple-cua.com").status_code == 409  # the same address
    stack.pump()
    (mail,) = stack.mails()
    assert mail["to"] == ["Ana <ana@xn--exmple-cua.com>"]
    assert welcome("c-1")["status"] == "sent"


def test_a_stored_unmailable_address_fails_its_message_and_the_batch_is_sent(
    stack: Stack,
) -> None:
    for n in range(3):
        assert signup(stack, f"c-{n}", f"p{n}@example.com", f"P{n}").status_code == 201
    bad = Profile(  # written before addresses were checked: straight into the table
        customer_id="c-bad",
        email=UNMAILABLE,
        created_at="2026-11-01T00:00:00.000Z",
        updated_at="2026-11-01T00:00:00.000Z",
        name="José",
    )
    stack.dynamodb().put_item(
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"], Item=codec.to_item(profile_to_item(bad))
    )
    signup(stack, "c-3", "p3@example.com", "P3")
    stack.pump()
    failed = welcome("c-bad")
    assert (failed["status"], failed["reason"]) == ("failed", "address_undeliverable")
    assert "lease_until" not in failed
    assert {welcome(f"c-{n}")["status"] for n in range(4)} == {"sent"}
    assert sorted(mail["to"][0] for mail in stack.mails()) == [
        f"P{n} <p{n}@example.com>" for n in range(4)
    ]
    mailer = next(pump for pump in stack.pumps if pump.name == "mailer")
    assert (mailer.stats.retries, mailer.stats.dead_letters) == (0, [])
