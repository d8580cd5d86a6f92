"""``POST /v1/signups``: created, replayed, conflicting and rejected signups."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, STORE, Stack

BASE = {
    "customer_id": "c-100",
    "email": "Mei.Lin@Example.COM",
    "name": "林梅",
    "phone": "+86 138 0013 8000",
    "birthday": "1990-05-17",
    "gender": "female",
    "occupation": "teacher",
    "interests": ["tea", "books"],
    "locale": "zh-CN",
    "time_zone": "Asia/Shanghai",
    "consents": {"marketing": True, "greetings": True},
}


def post(stack: Stack, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return stack.http.post("/v1/signups", headers=headers or STORE, body=raw)


def test_created_profile_is_complete_and_normalized(stack: Stack) -> None:
    response = post(stack, BASE)
    assert response.status_code == 201
    profile = response.json_body
    assert profile["email"] == "mei.lin@example.com"
    assert profile["phone"] == "+8613800138000"
    assert profile["age"] is not None and profile["age"] >= 35
    assert profile["consents"] == {
        "marketing": True,
        "recommendations": False,
        "greetings": True,
        "surveys": False,
    }
    assert profile["stats"]["orders"] == 0 and profile["tier"] == 1
    read = stack.http.get("/v1/customers/c-100", headers=STORE).json_body
    assert read["email"] == "mei.lin@example.com" and read["interests"] == ["tea", "books"]


def test_identical_replay_answers_200_with_the_same_profile(stack: Stack) -> None:
    first = post(stack, BASE)
    again = post(stack, {**BASE, "email": "mei.lin@example.com"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json_body["created_at"] == first.json_body["created_at"]


def test_replay_after_a_correction_is_still_a_replay(stack: Stack) -> None:
    post(stack, BASE)
    stack.http.patch("/v1/customers/c-100", headers=STORE, body=json.dumps({"name": "Lin Mei"}))
    assert post(stack, BASE).status_code == 200


def test_same_id_with_a_different_signup_is_409(stack: Stack) -> None:
    post(stack, BASE)
    response = post(stack, {**BASE, "name": "Someone else"})
    assert response.status_code == 409
    assert response.json_body["error"]["field"] == "customer_id"


def test_email_of_another_profile_is_409_and_nothing_is_written(stack: Stack) -> None:
    post(stack, BASE)
    response = post(stack, {"customer_id": "c-200", "email": "MEI.LIN@example.com"})
    assert response.status_code == 409
    assert response.json_body["error"] == {
        "code": "conflict",
        "message": "this email belongs to another customer",
        "field": "email",
    }
    assert stack.http.get("/v1/customers/c-200", headers=STORE).status_code == 404
    timeline = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_TIMELINE_TABLE"],
        KeyConditionExpression="customer_id = :c",
        ExpressionAttributeValues={":c": {"S": "c-200"}},
    )
    assert timeline["Items"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": None}, "email"),
        ({"locale": "fr"}, "locale"),
        ({"birthday": "2023-02-30"}, "birthday"),
        ({"birthday": "2999-01-01"}, "birthday"),
        ({"birthday": "--13-01"}, "birthday"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"phone": "12345"}, "phone"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"consents": {"marketing": "yes"}}, "consents.marketing"),
        ({"consents": {"telepathy": True}}, "consents.telepathy"),
        ({"interests": "tea"}, "interests"),
        ({"customer_id": "has spaces"}, "customer_id"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    stack: Stack, change: dict[str, Any], field: str
) -> None:
    response = post(stack, {**BASE, **change})
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field
    assert response.json_body["error"]["code"] == "invalid_input"


def test_body_that_is_not_json_is_400(stack: Stack) -> None:
    response = post(stack, b"{not json")
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "body"


def test_body_that_is_a_list_is_400(stack: Stack) -> None:
    assert post(stack, [BASE]).status_code == 400


def test_oversized_body_is_413(stack: Stack) -> None:
    response = post(stack, {**BASE, "name": "x" * 70_000})
    assert response.status_code == 413
    assert response.json_body["error"]["code"] == "payload_too_large"


def test_missing_key_is_401_and_wrong_key_403(stack: Stack) -> None:
    assert post(stack, BASE, headers={"Content-Type": "application/json"}).status_code == 401
    wrong = {"Authorization": "Bearer nope", "Content-Type": "application/json"}
    assert post(stack, BASE, headers=wrong).status_code == 403
    assert post(stack, BASE, headers=ADMIN).status_code == 403  # the admin key is no store key
