"""The rules of SES feedback: which notification makes an address bounced or complained."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.mail_feedback import (
    Feedback,
    next_email_status,
    parse_notification,
    recent_transient_bounces,
    transient_entry,
)
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso, parse_iso

EVENTS = Path(__file__).resolve().parents[2] / "events"
DEFAULTS = StoreSettings()


def sns_message(fixture: str) -> str:
    event = json.loads((EVENTS / fixture).read_text())
    return str(event["Records"][0]["Sns"]["Message"])


def soft(at: str) -> Feedback:
    return Feedback("bounce", "m-1", ("ana@example.com",), at, permanent=False)


def test_a_permanent_bounce_is_read_from_the_ses_notification() -> None:
    feedback = parse_notification(sns_message("sns_ses_bounce_permanent.json"))
    assert feedback.kind == "bounce" and feedback.permanent
    assert feedback.recipients == ("ana@example.com",)
    assert feedback.provider_message_id.startswith("0100018f2a3b4c5d")
    assert feedback.outcome == "bounced"
    assert next_email_status("ok", feedback, [], DEFAULTS) == "bounced"


def test_a_complaint_marks_the_address_complained_even_after_a_bounce() -> None:
    feedback = parse_notification(sns_message("sns_ses_complaint.json"))
    assert feedback.outcome == "complained"
    assert next_email_status("ok", feedback, [], DEFAULTS) == "complained"
    assert next_email_status("bounced", feedback, [], DEFAULTS) == "complained"


def test_a_bounce_never_turns_a_complained_address_back_into_a_bounced_one() -> None:
    feedback = parse_notification(sns_message("sns_ses_bounce_permanent.json"))
    assert next_email_status("complained", feedback, [], DEFAULTS) == "complained"


def test_a_delivery_changes_nothing_about_the_address() -> None:
    feedback = parse_notification(sns_message("sns_ses_delivery.json"))
    assert (feedback.kind, feedback.outcome) == ("delivery", "delivered")
    assert next_email_status("ok", feedback, [], DEFAULTS) == "ok"


def test_event_publishing_notifications_name_their_type_eventtype() -> None:
    body = json.loads(sns_message("sns_ses_bounce_transient.json"))
    body["eventType"] = body.pop("notificationType")
    assert parse_notification(json.dumps(body)).outcome == "soft_bounced"


def test_transient_bounces_count_only_from_the_third_within_thirty_days() -> None:
    first = parse_iso("2024-05-01T04:00:00.000Z")
    entries = [transient_entry(iso(first + timedelta(days=day)), f"n-{day}") for day in (0, 10)]
    second = soft(iso(first + timedelta(days=10)))
    assert next_email_status("ok", second, entries, DEFAULTS) == "ok"
    third_at = iso(first + timedelta(days=29))
    third = [*entries, transient_entry(third_at, "n-29")]
    assert next_email_status("ok", soft(third_at), third, DEFAULTS) == "bounced"


def test_transient_bounces_older_than_the_window_no_longer_count() -> None:
    first = parse_iso("2024-05-01T04:00:00.000Z")
    days = (0, 10, 31)
    entries = [transient_entry(iso(first + timedelta(days=d)), f"n-{d}") for d in days]
    late = soft(iso(first + timedelta(days=31)))
    assert recent_transient_bounces(entries, parse_iso(late.at), DEFAULTS) == 2
    assert next_email_status("ok", late, entries, DEFAULTS) == "ok"


def test_the_transient_limit_and_window_are_settings() -> None:
    strict = StoreSettings(transient_bounce_limit=1, transient_bounce_window_days=7)
    at = "2024-05-01T04:00:00.000Z"
    assert next_email_status("ok", soft(at), [transient_entry(at, "n")], strict) == "bounced"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("not json", "Message"),
        ('{"notificationType": "AmazonSnsSubscriptionSucceeded"}', "notificationType"),
        ('{"notificationType": "Bounce", "bounce": {}}', "mail.messageId"),
        ('{"notificationType": "Bounce", "mail": {"messageId": "m"}}', "bounce"),
    ],
)
def test_a_notification_that_cannot_be_read_names_what_is_wrong(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_notification(text)
    assert raised.value.field == field


@pytest.mark.parametrize("event_type", ["Reject", "Send", "DeliveryDelay"])
def test_other_ses_events_say_nothing_about_the_address(event_type: str) -> None:
    body = json.loads(sns_message("sns_ses_delivery.json"))
    body.pop("notificationType")
    body["eventType"] = event_type
    assert parse_notification(json.dumps(body)) is None
