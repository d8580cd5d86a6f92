"""Mail deferred by quiet hours is decided on the live profile when it finally goes out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain.messages import Message, Recipient
from chalicelib.domain.times import iso
from tests.functional.conftest import ADMIN, STORE, Stack, run_job

SURVEY_KEY = "survey#spring"


def quiet_hours(stack: Stack, start: int, end: int) -> None:
    body = json.dumps({"quiet_hours_start": start, "quiet_hours_end": end})
    assert stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=body).status_code == 200


def stored(stack: Stack, key: str) -> dict[str, Any]:
    items, _ = bootstrap.container().outbox.for_customer("c-1", 20, None)
    return next(item for item in items if item["message_key"] == key)


def queue_survey_at_night(stack: Stack) -> None:
    """A signed-up customer who consented to surveys, and a survey mail deferred by quiet hours.

    No producer queues non-transactional mail yet, so the message is put into the outbox
    (the mailer's input) as one would: with the recipient copied as the profile stands.
    """
    body = {
        "customer_id": "c-1",
        "email": "ana@example.com",
        "name": "Ana",
        "consents": {"surveys": True},
    }
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201
    stack.pump()
    hour = datetime.now(UTC).hour  # the customer's zone is UTC: quiet from now for two hours
    quiet_hours(stack, hour, (hour + 2) % 24)
    deps = bootstrap.container()
    profile = deps.customers.get("c-1")
    assert profile is not None and profile.consents.surveys
    survey = Message(
        customer_id="c-1",
        message_key=SURVEY_KEY,
        template="welcome",
        purpose="surveys",
        recipient=Recipient.of(profile),
        created_at=iso(deps.clock.now()),
    )
    assert deps.outbox.enqueue(survey)
    stack.pump()
    assert stored(stack, SURVEY_KEY)["status"] == "deferred"
    assert stored(stack, SURVEY_KEY)["reason"] == "quiet_hours"


def morning_comes(stack: Stack) -> None:
    """Quiet hours end: the deferral's time has passed and the window is over."""
    table = stack.env["RAPPORT_MESSAGES_TABLE"]
    stack.dynamodb().update_item(
        TableName=table,
        Key={"customer_id": {"S": "c-1"}, "message_key": {"S": SURVEY_KEY}},
        UpdateExpression="SET not_before = :past",
        ExpressionAttributeValues={":past": {"S": iso(datetime.now(UTC) - timedelta(seconds=1))}},
    )
    quiet_hours(stack, 0, 0)
    assert run_job(stack, "deferred-mail") == {"job": "deferred-mail", "requeued": 1}
    stack.pump()


def withdraw_by_patch(stack: Stack) -> None:
    body = json.dumps({"consents": {"surveys": False}})
    assert stack.http.patch("/v1/customers/c-1", headers=STORE, body=body).status_code == 200


def withdraw_in_preference_centre(stack: Stack) -> None:
    deps = bootstrap.container()
    token = deps.signer.sign("preferences", "c-1", deps.clock.now() + timedelta(days=1))
    response = stack.http.post(
        f"/v1/preferences?t={token}",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"consents": {"surveys": False}}),
    )
    assert response.status_code == 200, response.body


def withdraw_by_one_click(stack: Stack) -> None:
    deps = bootstrap.container()
    token = deps.signer.sign("unsubscribe:surveys", "c-1", deps.clock.now() + timedelta(days=1))
    response = stack.http.post(
        f"/v1/unsubscribe?t={token}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body="List-Unsubscribe=One-Click",
    )
    assert response.status_code == 200, response.body


@pytest.mark.parametrize(
    "withdraw", [withdraw_by_patch, withdraw_in_preference_centre, withdraw_by_one_click]
)
def test_consent_withdrawn_while_deferred_suppresses_the_mail(stack: Stack, withdraw: Any) -> None:
    queue_survey_at_night(stack)
    withdraw(stack)
    stack.pump()
    morning_comes(stack)
    message = stored(stack, SURVEY_KEY)
    assert (message["status"], message["reason"]) == ("suppressed", "no_consent_surveys")
    assert [mail["headers"]["X-Rapport-Message"] for mail in stack.mails()] == ["welcome"]
    view = stack.http.get("/v1/admin/customers/c-1", headers=ADMIN).json_body
    shown = {m["message_key"]: (m["status"], m.get("reason")) for m in view["messages"]}
    assert shown[SURVEY_KEY] == ("suppressed", "no_consent_surveys")


def test_consent_kept_while_deferred_sends_the_mail_in_the_morning(stack: Stack) -> None:
    queue_survey_at_night(stack)
    morning_comes(stack)
    assert stored(stack, SURVEY_KEY)["status"] == "sent"
    survey = stack.mails()[-1]
    assert survey["to"] == ["Ana <ana@example.com>"]
    assert survey["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_deferred_mail_goes_to_the_address_corrected_meanwhile(stack: Stack) -> None:
    queue_survey_at_night(stack)
    body = json.dumps({"email": "ana.new@example.com", "name": "Ana Li"})
    assert stack.http.patch("/v1/customers/c-1", headers=STORE, body=body).status_code == 200
    stack.pump()
    morning_comes(stack)
    assert stack.mails()[-1]["to"] == ["Ana Li <ana.new@example.com>"]


def test_a_deferred_mail_whose_profile_is_gone_is_suppressed(stack: Stack) -> None:
    queue_survey_at_night(stack)
    stack.dynamodb().delete_item(  # erased (the privacy work will do this through the API)
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"], Key={"customer_id": {"S": "c-1"}}
    )
    stack.pump()
    morning_comes(stack)
    message = stored(stack, SURVEY_KEY)
    assert (message["status"], message["reason"]) == ("suppressed", "profile_gone")
    assert len(stack.mails()) == 1  # the welcome letter only
