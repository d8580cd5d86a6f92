"""The carrier webhook: HMAC signature over the raw body, validation, one scan per event."""

from __future__ import annotations

import json

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
