"""The carrier webhook: HMAC signature over a timestamp and the raw body, validation, one
scan per event, and an event id never reused for other content."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.functional.conftest import Stack
from tests.functional.shipment_fixtures import fixture, post_events, signature

EVENTS = fixture("carrier_events_fedex_journey.json")["events"]


def _scans(stack: Stack) -> list[dict]:
    return stack.dynamodb().scan(TableName=stack.env["RAPPORT_SHIPMENTS_TABLE"])["Items"]


def test_missing_or_wrong_signature_is_401_and_stores_nothing(stack: Stack) -> None:
    raw = json.dumps({"events": EVENTS[:1]}).encode()
    for header in (None, "sha256=" + "0" * 64, signature(raw, b"another-secret"), "garbage"):
        headers = {"Content-Type": "application/json"}
        if header:
            headers["X-Rapport-Signature"] = header
        response = stack.http.post("/v1/carrier-events", headers=headers, body=raw)
        assert response.status_code == 401
        assert response.json_body["error"]["field"] == "X-Rapport-Signature"
    tampered = raw.replace(b"OC", b"DL")
    response = stack.http.post(
        "/v1/carrier-events",
        headers={"Content-Type": "application/json", "X-Rapport-Signature": signature(raw)},
        body=tampered,
    )
    assert response.status_code == 401
    assert _scans(stack) == []


def test_bad_input_is_400_naming_the_field_and_stores_nothing(stack: Stack) -> None:
    cases = [
        ({**EVENTS[2], "occurred_at": "2026-11-19 02:05"}, "events[2].occurred_at"),
        ({**EVENTS[2], "occurred_at": "2026-11-19T02:05:00"}, "events[2].occurred_at"),
        ({**EVENTS[2], "status": "ZZ"}, "events[2].status"),
        ({**EVENTS[2], "carrier": "pigeon"}, "events[2].carrier"),
        ({**EVENTS[2], "estimated_delivery": "soon"}, "events[2].estimated_delivery"),
        ({k: v for k, v in EVENTS[2].items() if k != "event_id"}, "events[2].event_id"),
    ]
    for bad, field in cases:
        response = post_events(stack, [EVENTS[0], EVENTS[1], bad])
        assert response.status_code == 400, (field, response.body)
        assert response.json_body["error"]["field"] == field
    assert post_events(stack, []).json_body["error"]["field"] == "events"
    assert _scans(stack) == []


def test_each_event_is_stored_once_with_its_normalized_status(stack: Stack) -> None:
    first = post_events(stack, EVENTS[:4])
    assert first.status_code == 200 and first.json_body == {"stored": 4, "duplicates": 0}
    again = post_events(stack, EVENTS[2:])
    assert again.json_body == {"stored": 4, "duplicates": 2}
    normalized = {
        "status": "in_transit",
        "tracking_number": EVENTS[0]["tracking_number"],
        "event_id": "agg-1",
        "occurred_at": "2026-11-19T10:00:00Z",
    }
    assert post_events(stack, [normalized]).json_body == {"stored": 1, "duplicates": 0}
    scans = {item["record"]["S"]: item for item in _scans(stack)}
    assert len(scans) == 9
    assert scans["scan#fx-008"]["status"]["S"] == "delivered"
    assert scans["scan#fx-008"]["raw_status"]["S"] == "DL"
    assert scans["scan#fx-006"]["status"]["S"] == "attempt_failed"
    assert scans["scan#agg-1"]["status"]["S"] == "in_transit"


def _post_signed_at(stack: Stack, raw: bytes, at: float) -> Any:
    headers = {"Content-Type": "application/json", "X-Rapport-Signature": signature(raw, at=at)}
    return stack.http.post("/v1/carrier-events", headers=headers, body=raw)


def test_a_captured_call_replayed_after_five_minutes_is_refused(stack: Stack) -> None:
    raw = json.dumps({"events": EVENTS[:1]}).encode()
    now = time.time()
    stale = _post_signed_at(stack, raw, now - 5 * 60 - 5)
    assert stale.status_code == 401
    assert stale.json_body["error"] == {
        "code": "unauthorized",
        "message": "the signature is more than 5 minutes old",
        "field": "X-Rapport-Signature",
    }
    ahead = _post_signed_at(stack, raw, now + 6 * 60)
    assert ahead.status_code == 401
    assert "ahead of our clock" in ahead.json_body["error"]["message"]
    assert _scans(stack) == []
    assert _post_signed_at(stack, raw, now - 60).json_body == {"stored": 1, "duplicates": 0}


def test_the_captured_fixture_is_refused_now_it_is_old(stack: Stack) -> None:
    captured = fixture("carrier_webhook_signed.json")
    response = stack.http.post(
        "/v1/carrier-events", headers=captured["headers"], body=captured["body"].encode()
    )
    assert response.status_code == 401
    assert response.json_body["error"]["message"] == "the signature is more than 5 minutes old"


def test_an_event_id_resent_with_other_content_is_409_the_same_content_a_duplicate(
    stack: Stack,
) -> None:
    assert post_events(stack, EVENTS[:2]).json_body == {"stored": 2, "duplicates": 0}
    same = post_events(stack, EVENTS[:2])
    assert same.status_code == 200 and same.json_body == {"stored": 0, "duplicates": 2}
    # the same instant written in another offset says the same thing
    shifted = {**EVENTS[1], "occurred_at": "2026-11-18T09:40:00+00:00"}
    assert post_events(stack, [shifted]).json_body == {"stored": 0, "duplicates": 1}
    changed = {**EVENTS[1], "status": "DL", "description": "Delivered"}
    response = post_events(stack, [EVENTS[2], changed])
    assert response.status_code == 409
    assert response.json_body["error"] == {
        "code": "conflict",
        "message": "this event_id was already received with different content",
        "field": "events[1].event_id",
    }
    scans = {item["record"]["S"]: item for item in _scans(stack)}
    assert scans["scan#fx-002"]["raw_status"]["S"] == "PU"  # the first content stays
    assert "scan#fx-003" in scans  # the events before the refused one are kept


def test_a_deeply_nested_body_is_401_unsigned_and_400_naming_the_body_signed(
    stack: Stack,
) -> None:
    deep = ('{"events":' + "[" * 5000 + "]" * 5000 + "}").encode()
    headers = {"Content-Type": "application/json"}
    unsigned = stack.http.post("/v1/carrier-events", headers=headers, body=deep)
    assert unsigned.status_code == 401
    signed = _post_signed_at(stack, deep, time.time())
    assert signed.status_code == 400 and signed.json_body["error"]["field"] == "body"
