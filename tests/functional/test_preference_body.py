"""The preference centre's JSON body is closed: ``{"consents": {...}}`` and nothing else."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.functional.conftest import Stack
from tests.functional.shipment_fixtures import sign_up

JSON = {"Content-Type": "application/json", "Accept": "application/json"}


def _save(stack: Stack, body: bytes) -> Any:
    token = bootstrap.container().signer.sign(
        "preferences", "c-pref", datetime.now(UTC) + timedelta(days=1)
    )
    return stack.http.post(f"/v1/preferences?t={token}", headers=JSON, body=body)


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.body
    return dict(response.json_body["error"])


@pytest.mark.parametrize("body", ["[]", "null", '"a"', "1", "true"])
def test_a_body_that_is_not_an_object_is_400_naming_the_body(stack: Stack, body: str) -> None:
    sign_up(stack, "c-pref")
    error = _error(_save(stack, body.encode()))
    assert error["field"] == "body"
    assert error["message"] == "expected a JSON object"


def test_an_unknown_field_is_400_naming_it_and_nothing_is_saved(stack: Stack) -> None:
    sign_up(stack, "c-pref")
    body = {"consents": {"surveys": False}, "x": 1}
    error = _error(_save(stack, json.dumps(body).encode()))
    assert (error["field"], error["message"]) == ("x", "unknown field 'x'")
    customer = stack.http.get(
        "/v1/customers/c-pref", headers={"Authorization": "Bearer dev-store-key"}
    )
    assert customer.json_body["consents"]["surveys"] is True


def test_an_empty_body_is_400_saying_consents_is_required(stack: Stack) -> None:
    sign_up(stack, "c-pref")
    error = _error(_save(stack, b"{}"))
    assert error["field"] == "consents"
    assert error["message"] == "consents is required: the consents to keep, on or off"


def test_a_closed_body_is_saved(stack: Stack) -> None:
    sign_up(stack, "c-pref")
    response = _save(stack, json.dumps({"consents": {"surveys": False}}).encode())
    assert response.status_code == 200, response.body
    assert response.json_body["consents"]["surveys"] is False
