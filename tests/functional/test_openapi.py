"""``docs/openapi.json`` is a valid OpenAPI document and describes exactly the app's routes."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

import app as app_module

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_openapi_document_is_valid() -> None:
    validate(json.loads(SPEC.read_text()))


def test_every_route_is_documented_and_every_documented_route_exists() -> None:
    spec = json.loads(SPEC.read_text())
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    served = {
        (path, method) for path, methods in app_module.app.routes.items() for method in methods
    }
    assert documented == served


def test_documented_profile_fields_are_what_the_api_returns(stack: object) -> None:
    from tests.functional.conftest import STORE, Stack

    assert isinstance(stack, Stack)
    body = json.dumps({"customer_id": "c-doc", "email": "doc@example.com"})
    profile = stack.http.post("/v1/signups", headers=STORE, body=body).json_body
    schema = json.loads(SPEC.read_text())["components"]["schemas"]["Profile"]
    assert set(schema["required"]) <= set(profile)
    assert set(profile) <= set(schema["properties"]) | {"created_at", "updated_at", "referred_by"}


def test_every_body_route_documents_415_and_every_route_the_gateway_429() -> None:
    from infra.gateway import BY_TYPE

    spec = json.loads(SPEC.read_text())
    throttled = BY_TYPE["THROTTLED"]
    assert throttled.status == 429 and throttled.retry_after is not None
    responses = spec["components"]["responses"]
    assert "Retry-After" in responses["TooManyRequests"]["headers"]
    assert "`throttled`" in responses["TooManyRequests"]["description"]
    assert "`unsupported_media_type`" in responses["UnsupportedMediaType"]["description"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            documented = operation["responses"]
            assert documented["429"] == {"$ref": "#/components/responses/TooManyRequests"}
            if "requestBody" in operation:
                assert documented["415"] == {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                }, (path, method)
