"""The satisfaction survey behind the delivery mail: one answer, on the timeline."""

from __future__ import annotations

import json
import re

from tests.functional.conftest import Stack
from tests.functional.shipment_fixtures import (
    LINES,
    fixture,
    post_events,
    pump,
    put_order,
    register,
    sign_up,
)

JOURNEY = fixture("carrier_events_fedex_journey.json")


def _survey_link(stack: Stack) -> str:
    sign_up(stack, "c-sv")
    put_order(stack, "o-sv", "c-sv", LINES)
    register(stack, JOURNEY["tracking_number"], "o-sv")
    post_events(stack, JOURNEY["events"])
    pump(stack)
    delivered = next(m for m in stack.mails() if "delivered" in m["subject"])
    link = re.search(r"http://rapport\.test(/v1/surveys\?t=\S+)", delivered["text"])
    assert link, delivered["text"]
    return link.group(1)


def test_one_answer_per_delivery_lands_on_the_timeline(stack: Stack) -> None:
    path = _survey_link(stack)
    headers = {"Content-Type": "application/json"}
    assert stack.http.get(path).json_body["answered"] is False
    bad = stack.http.post(path, headers=headers, body=json.dumps({"score": 6}))
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "score"
    body = json.dumps({"score": 5, "comment": "Fast and friendly"})
    first = stack.http.post(path, headers=headers, body=body)
    assert first.status_code == 201 and first.json_body["score"] == 5
    second = stack.http.post(path, headers=headers, body=json.dumps({"score": 1}))
    assert second.status_code == 409
    assert stack.http.get(path).json_body == {
        "tracking_number": JOURNEY["tracking_number"],
        "answered": True,
        "score": 5,
    }
    entry = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_TIMELINE_TABLE"],
        Key={
            "customer_id": {"S": "c-sv"},
            "entry_key": {"S": f"survey#{JOURNEY['tracking_number']}"},
        },
    )["Item"]
    assert entry["score"]["N"] == "5" and entry["comment"]["S"] == "Fast and friendly"
    forged = stack.http.post("/v1/surveys?t=forged", headers=headers, body=body)
    assert forged.status_code == 404


def test_the_survey_page_takes_a_form_answer(stack: Stack) -> None:
    path = _survey_link(stack)
    page = stack.http.get(path, headers={"Accept": "text/html"}).body.decode()
    assert "How did we do?" in page and 'name="score"' in page
    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}
    saved = stack.http.post(path, headers=form, body="score=4&comment=ok").body.decode()
    assert "Thank you!" in saved
    again = stack.http.post(path, headers=form, body="score=2").body.decode()
    assert "already rated" in again
