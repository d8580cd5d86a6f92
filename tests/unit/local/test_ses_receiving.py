"""The local stack receives mail for the unsubscribe address as SES's receipt rule does."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from chalicelib.services.unsubscribe_mail import UnsubscribeMailDeps, handle_received
from local.ses_receiving import received_notifications
from tests.fakes import FakeClock, FakeCustomers, FakeLinkSigner

TOPIC = "arn:aws:sns:us-east-1:123456789012:rapport-unsubscribe-mail"


def mail(to: str, subject: str) -> dict[str, object]:
    return {
        "id": "0100-in-1",
        "from": "Ana <ana@example.com>",
        "to": [to],
        "subject": subject,
        "headers": {"Subject": subject},
        "text": "",
        "sent_at": "2026-12-01T10:00:00+00:00",
    }


def test_mail_to_the_unsubscribe_address_is_a_received_notification_with_its_verdicts() -> None:
    (body,) = received_notifications(
        mail("Unsubscribe@Shop.Example", "unsubscribe t"), "unsubscribe@shop.example", TOPIC
    )
    assert body["notificationType"] == "Received"
    assert body["receipt"]["recipients"] == ["unsubscribe@shop.example"]
    assert body["receipt"]["spamVerdict"] == {"status": "PASS"}
    assert body["receipt"]["action"] == {"type": "SNS", "topicArn": TOPIC, "encoding": "UTF8"}
    assert body["mail"]["commonHeaders"]["subject"] == "unsubscribe t"
    assert body["mail"]["source"] == "Ana <ana@example.com>"


def test_other_mail_is_not_received() -> None:
    assert (
        received_notifications(mail("ana@example.com", "hi"), "unsubscribe@shop.example", TOPIC)
        == []
    )


def test_the_handler_reads_what_the_local_stack_publishes() -> None:
    clock = FakeClock(datetime(2026, 12, 1, 10, tzinfo=UTC))
    deps = UnsubscribeMailDeps(FakeCustomers(), FakeLinkSigner(), clock, "hello@shop.example")
    token = FakeLinkSigner().sign("unsubscribe:marketing", "c-9", datetime(2027, 1, 1, tzinfo=UTC))
    (body,) = received_notifications(
        mail("unsubscribe@shop.example", f"unsubscribe {token}"), "unsubscribe@shop.example", TOPIC
    )
    result = handle_received(json.dumps(body), deps)
    assert (result.outcome, result.reason, result.purpose) == (
        "ignored",
        "profile_gone",
        "marketing",
    )
