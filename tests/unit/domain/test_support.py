"""Support questions and answers: validation, the promise in the reader's words, figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import support
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.times import TimeBounds

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
BOUNDS = TimeBounds(NOW, timedelta(minutes=10))


def question(**changes: Any) -> dict[str, Any]:
    body = {
        "message_id": "m-1",
        "customer_id": "c-1",
        "subject": "Where is my tea?",
        "body": "I ordered last week.",
        "channel": "web",
    }
    return {key: value for key, value in {**body, **changes}.items() if value is not ...}


def test_a_valid_question_parses() -> None:
    message = support.parse_message(question(order_id="o-1"), BOUNDS)
    assert (message.subject, message.channel, message.order_id) == (
        "Where is my tea?",
        "web",
        "o-1",
    )
    assert message.new_ticket_id() == support.parse_message(question(), BOUNDS).new_ticket_id()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"body": ""}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"channel": "fax"}, "channel"),
        ({"message_id": ...}, "message_id"),
        ({"customer_id": 7}, "customer_id"),
        ({"order_id": "o 1"}, "order_id"),
        ({"received_at": "2026-12-01T10:00:00"}, "received_at"),
        ({"received_at": "2030-01-01T00:00:00Z"}, "received_at"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_bad_questions_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        support.parse_message(question(**changes), BOUNDS)
    assert caught.value.field == field


def test_a_body_of_exactly_twenty_thousand_characters_is_taken() -> None:
    assert len(support.parse_message(question(body="x" * 20_000), BOUNDS).body) == 20_000


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reply_id": "r-1", "body": " "}, "body"),
        ({"reply_id": "r-1", "body": "Hi", "close": "yes"}, "close"),
        ({"body": "Hi"}, "reply_id"),
        ({"reply_id": "r-1", "body": "Hi", "cc": "x"}, "cc"),
    ],
)
def test_bad_replies_name_the_field(payload: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        support.parse_reply(payload)
    assert caught.value.field == field


def test_the_promise_is_said_in_the_readers_time_zone_and_language() -> None:
    received = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Tuesday
    promised = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai
    assert support.promise_words(promised, received, "Asia/Shanghai", "en") == "by Thursday 10:00"
    assert support.promise_words(promised, received, "Asia/Shanghai", "zh-CN") == "周四 10:00 前"
    # The same moment is Wednesday evening in Los Angeles.
    assert (
        support.promise_words(promised, received, "America/Los_Angeles", "en")
        == "by Wednesday 18:00"
    )


def test_a_promise_a_week_ahead_names_the_date() -> None:
    received = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    promised = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    words = support.promise_words(promised, received, "Asia/Shanghai", "en")
    assert words == "by Thursday 10 December 10:00"
    assert (
        support.promise_words(promised, received, "Asia/Shanghai", "zh-CN")
        == "12 月 10 日周四 10:00 前"
    )


def test_local_iso_carries_the_customers_offset() -> None:
    moment = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    assert support.local_iso(moment, "Asia/Shanghai") == "2026-12-03T10:00+08:00"
    assert support.local_iso(moment, "America/New_York") == "2026-12-02T21:00-05:00"


def test_metrics_add_up_the_days() -> None:
    days = [
        {"opened": 3, "answered": 2, "on_time": 2, "reply_minutes": [30, 90]},
        {"opened": 1, "answered": 3, "on_time": 1, "reply_minutes": [10, 600, 45]},
    ]
    figures = support.metrics(days, date(2026, 12, 1), date(2026, 12, 2))
    assert figures["opened"] == 4
    assert figures["answered"] == 5
    assert figures["first_reply_median_minutes"] == 45
    assert figures["first_reply_p90_minutes"] == 600
    assert figures["on_time_share"] == 0.6


def test_metrics_without_answers_say_nothing_about_times() -> None:
    figures = support.metrics([{"opened": 2}], date(2026, 12, 1), date(2026, 12, 1))
    assert figures["first_reply_median_minutes"] is None
    assert figures["on_time_share"] is None


def test_percentile_is_nearest_rank() -> None:
    assert support.percentile(range(1, 11), 0.9) == 9
    assert support.percentile([5], 0.9) == 5
    assert support.percentile([], 0.5) is None
