"""Campaign rules: the audience (the policy), the counts' moves and the request's bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import campaigns as c
from chalicelib.domain.campaign_audience import campaign_message, exclusion
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.settings import StoreSettings

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)  # noon in Shanghai: outside quiet hours
STAMP = "2026-11-20T04:00:00.000Z"
REQUEST = c.CampaignRequest(
    "kettle-v2",
    "product_update",
    "KETTLE-2",
    {"en": "New lid", "zh-CN": "新壶盖"},
    {"en": "It fits.", "zh-CN": "都适用。"},
)


def buyer(**changes: object) -> Profile:
    person = Profile(
        customer_id="c-1",
        email="c-1@example.com",
        created_at=STAMP,
        updated_at=STAMP,
        time_zone="Asia/Shanghai",
        loyalty="loyal",
        consents=Consents(marketing=True),
    )
    return person.with_changes(**changes)


def reason(person: Profile, suppressed: str | None = None, now: datetime = NOW) -> str | None:
    message = campaign_message(person, REQUEST, "Clay kettle", STAMP)
    return exclusion(message, suppressed, now, StoreSettings())


def test_the_audience_is_the_consenting_reachable_unsuppressed_buyers() -> None:
    assert reason(buyer()) is None
    assert reason(buyer(consents=Consents(marketing=False))) == "no_consent_marketing"
    assert reason(buyer(email_status="bounced")) == "address_bounced"
    assert reason(buyer(email_status="complained")) == "address_complained"
    assert reason(buyer(), suppressed="erased") == "erased"
    assert reason(buyer(loyalty="occasional")) is None  # every past buyer (seed 001)


def test_quiet_hours_defer_a_recipient_but_do_not_leave_them_out() -> None:
    midnight_in_shanghai = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    assert reason(buyer(), now=midnight_in_shanghai) is None


def test_the_message_is_the_product_update_with_its_dedup_key_and_both_texts() -> None:
    message = campaign_message(buyer(), REQUEST, "Clay kettle", STAMP)
    assert (message.template, message.purpose) == ("product_update", "marketing")
    assert message.message_key == "product-update#kettle-v2"
    assert message.context["subject"] == {"en": "New lid", "zh-CN": "新壶盖"}
    assert message.context["product_name"] == "Clay kettle"
    assert c.campaign_of(message.message_key) == "kettle-v2"


def test_a_new_message_counts_a_recipient_and_an_outcome_counts_once() -> None:
    queued = {"status": "queued", "created_at": STAMP}
    assert c.outcome_change(None, queued) == c.Change(f"queued@{STAMP}", {"recipients": 1})
    sending = {"status": "sending", "updated_at": "t1"}
    assert c.outcome_change(queued, sending) is None
    sent = {"status": "sent", "updated_at": "t2"}
    assert c.outcome_change(sending, sent) == c.Change("sent@t2", {"sent": 1})
    assert c.outcome_change(sent, {**sent, "counted": ["sent@t2"]}) is None
    suppressed = {"status": "suppressed", "reason": "no_consent_marketing", "updated_at": "t3"}
    change = c.outcome_change(sending, suppressed)
    assert change is not None and change.add == {"suppressed#no_consent_marketing": 1}
    assert c.outcome_change(sending, {"status": "queued", "updated_at": "t4"}) is None


def test_a_deferred_message_leaves_deferred_when_it_is_queued_again() -> None:
    deferred = {"status": "deferred", "updated_at": "t1"}
    change = c.outcome_change(deferred, {"status": "queued", "updated_at": "t2"})
    assert change == c.Change("queued@t2", {"deferred": -1})


def test_the_status_is_done_once_every_queued_message_has_an_outcome() -> None:
    counts = c.Counts(recipients=3, sent=2, suppressed={"no_consent_marketing": 1})
    assert c.status_of(c.SENDING, True, counts, queued=3) == c.DONE
    assert c.status_of(c.SENDING, False, counts, queued=3) == c.SENDING
    assert c.status_of(c.SENDING, True, counts, queued=4) == c.SENDING  # stream behind
    waiting = c.Counts(recipients=3, sent=2)
    assert c.status_of(c.SENDING, True, waiting, queued=3) == c.SENDING
    deferred = c.Counts(recipients=3, sent=2, deferred=1)
    assert c.status_of(c.SENDING, True, deferred, queued=3) == c.SENDING
    assert c.status_of(c.CANCELLED, True, counts, queued=3) == c.CANCELLED
    assert c.counts_from({"recipients": 3, "sent": 2, "suppressed#x": 1}) == counts.__class__(
        recipients=3, sent=2, suppressed={"x": 1}
    )


def _body(**changes: object) -> dict[str, object]:
    return {**REQUEST.to_dict(), "send_at": None, **changes}


def test_a_request_is_parsed_with_its_paragraphs_and_bounds() -> None:
    request, dry = c.parse_request(_body(body={"en": " A\r\n\r\nB ", "zh-CN": "甲"}), NOW)
    assert request.body == {"en": "A\n\nB", "zh-CN": "甲"} and dry is False
    later = (NOW + timedelta(days=1)).isoformat()
    assert c.parse_request(_body(send_at=later), NOW)[0].send_at == "2026-11-21T04:00:00.000Z"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "newsletter"}, "kind"),
        ({"subject": {"en": "Hi"}}, "subject.zh-CN"),
        ({"subject": {"en": "Hi", "zh-CN": "你好", "fr": "Salut"}}, "subject.fr"),
        ({"body": {"en": "x" * 5001, "zh-CN": "甲"}}, "body.en"),
        ({"send_at": "2026-11-19T00:00:00Z"}, "send_at"),
        ({"send_at": "2027-03-01T00:00:00Z"}, "send_at"),
        ({"send_at": "2026-11-21T00:00:00"}, "send_at"),
        ({"campaign_id": "has space"}, "campaign_id"),
        ({"dry_run": 1}, "dry_run"),
    ],
)
def test_a_bad_request_names_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        c.parse_request(_body(**changes), NOW)
    assert refused.value.field == field
