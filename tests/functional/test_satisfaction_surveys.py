"""The monthly satisfaction survey: recent buyers, once a month, never the week of a delivery."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from tests.functional.conftest import ADMIN, Stack, run_job
from tests.functional.shipment_fixtures import deliver, post_tea_order, survey_taker

TODAY = datetime.now(UTC).date()
AS_OF = TODAY.isoformat()
TEMPLATE = "satisfaction_survey"


def order(stack: Stack, oid: str, cid: str, days_ago: int) -> None:
    placed = datetime.combine(TODAY, time(12), UTC) - timedelta(days=days_ago, hours=1)
    post_tea_order(stack, oid, cid, placed)
    stack.pump()


def survey(stack: Stack, as_of: str = AS_OF) -> dict[str, Any]:
    result = run_job(stack, "satisfaction-surveys", json.dumps({"as_of": as_of}))
    stack.pump()
    return result


def survey_mails(stack: Stack) -> list[dict[str, Any]]:
    return stack.mails_of(TEMPLATE)


def letters(cid: str) -> list[dict[str, Any]]:
    items, _ = bootstrap.container().outbox.for_customer(cid, 50, None)
    return [item for item in items if item["template"] == TEMPLATE]


def link_of(mail: dict[str, Any]) -> str:
    found = re.search(r"http://rapport\.test(/v1/surveys\?t=\S+)", mail["text"])
    assert found, mail["text"]
    return found.group(1)


def test_a_recent_buyer_gets_one_survey_a_month_and_an_old_one_none(stack: Stack) -> None:
    survey_taker(stack, "c-new")
    order(stack, "o-new", "c-new", days_ago=30)
    survey_taker(stack, "c-old")
    order(stack, "o-old", "c-old", days_ago=95)
    result = survey(stack)
    assert result["buyers"] == 1 and result["queued"] == 1, result
    [mail] = survey_mails(stack)
    assert mail["to"] == ["Ana <c-new@example.com>"]
    assert mail["subject"] == "How are we doing? One question, a minute of your time"
    assert "Dear Ana," in mail["text"] and "We ask once a month at most" in mail["text"]
    assert "List-Unsubscribe" in mail["headers"]
    assert not letters("c-old")
    again = survey(stack)
    assert again["queued"] == 0 and again["already_queued"] == 1, again
    assert len(survey_mails(stack)) == 1
    [letter] = letters("c-new")
    assert letter["status"] == "sent"


def test_a_chinese_survey_letter_reads_in_chinese(stack: Stack) -> None:
    survey_taker(stack, "c-zh", locale="zh-CN")
    order(stack, "o-zh", "c-zh", days_ago=3)
    survey(stack)
    [mail] = survey_mails(stack)
    assert mail["headers"]["X-Rapport-Message"] == "satisfaction_survey"
    assert mail["subject"] == "我们做得怎么样？只需一分钟，回答一个问题"
    assert "亲爱的 Ana：" in mail["text"] and "我们每月最多询问一次" in mail["text"]
    assert "How are we doing" not in mail["text"]


def test_the_week_of_a_delivery_letter_is_left_alone(stack: Stack) -> None:
    survey_taker(stack, "c-1")
    order(stack, "o-1", "c-1", days_ago=5)
    deliver(stack, "o-1")
    assert stack.mails_of("delivered")
    result = survey(stack)
    assert result["delivery_week"] == 1 and result["queued"] == 0, result
    assert not letters("c-1") and not survey_mails(stack)
    later = (TODAY + timedelta(days=10)).isoformat()  # a week on, the survey may go
    assert survey(stack, later)["queued"] == 1
    assert len(survey_mails(stack)) == 1


def test_without_surveys_consent_the_letter_is_suppressed(stack: Stack) -> None:
    survey_taker(stack, "c-no", surveys=False)
    order(stack, "o-no", "c-no", days_ago=10)
    assert survey(stack)["queued"] == 1
    [letter] = letters("c-no")
    assert (letter["status"], letter["reason"]) == ("suppressed", "no_consent_surveys")
    assert not survey_mails(stack)


def test_the_letters_link_opens_the_months_survey_and_takes_one_answer(stack: Stack) -> None:
    survey_taker(stack, "c-1")
    order(stack, "o-1", "c-1", days_ago=20)
    survey(stack)
    path = link_of(survey_mails(stack)[0])
    noon = datetime.combine(TODAY, time(12), UTC)
    month = noon.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    status = stack.http.get(path)
    assert status.status_code == 200
    assert status.json_body == {
        "tracking_number": None,
        "month": month,
        "answered": False,
        "score": None,
    }
    page = stack.http.get(path, headers={"Accept": "text/html"}).body.decode()
    assert "How happy are you with us lately" in page and 'name="score"' in page
    assert "Your parcel" not in page
    headers = {"Content-Type": "application/json"}
    body = json.dumps({"score": 4, "comment": "Good tea, slow reply"})
    first = stack.http.post(path, headers=headers, body=body)
    assert first.status_code == 201, first.body
    assert first.json_body["month"] == month and first.json_body["tracking_number"] is None
    second = stack.http.post(path, headers=headers, body=json.dumps({"score": 1}))
    assert second.status_code == 409
    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}
    again = html.unescape(stack.http.post(path, headers=form, body="score=2").body.decode())
    assert "already answered this month's survey" in again
    assert stack.http.get(path).json_body["score"] == 4
    entry = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_TIMELINE_TABLE"],
        Key={"customer_id": {"S": "c-1"}, "entry_key": {"S": f"survey#month#{month}"}},
    )["Item"]
    assert entry["comment"]["S"] == "Good tea, slow reply"


def test_a_chinese_customer_sees_the_monthly_page_in_chinese(stack: Stack) -> None:
    survey_taker(stack, "c-zh", locale="zh-CN")
    order(stack, "o-zh", "c-zh", days_ago=20)
    survey(stack)
    path = link_of(survey_mails(stack)[0])
    page = stack.http.get(path, headers={"Accept": "text/html"}).body.decode()
    assert "最近在我们这里购物，您满意吗？" in page and "包裹" not in page


def test_a_forged_survey_link_is_not_found(stack: Stack) -> None:
    forged = stack.http.get("/v1/surveys?t=forged")
    assert forged.status_code == 404 and forged.json_body["error"]["field"] == "t"


def test_the_scheduled_event_runs_the_job(stack: Stack) -> None:
    from local.scheduler import scheduled_event

    [name] = [name for name in stack.app.handler_map if name == "satisfaction_surveys"]
    survey_taker(stack, "c-1")
    order(stack, "o-1", "c-1", days_ago=1)
    stack.app.handler_map[name](scheduled_event(name, datetime.now(UTC)), None)
    stack.pump()
    assert len(survey_mails(stack)) == 1


@pytest.mark.parametrize("as_of", ["2026-13-01", "soon"])
def test_a_bad_as_of_is_refused_naming_it(stack: Stack, as_of: str) -> None:
    body = json.dumps({"as_of": as_of})
    refused = stack.http.post("/v1/admin/jobs/satisfaction-surveys", headers=ADMIN, body=body)
    assert refused.status_code == 400 and refused.json_body["error"]["field"] == "as_of"


def test_a_delivery_in_the_week_of_the_monthly_survey_asks_nothing_more(stack: Stack) -> None:
    survey_taker(stack, "c-1")
    order(stack, "o-1", "c-1", days_ago=20)
    assert survey(stack)["queued"] == 1
    order(stack, "o-2", "c-1", days_ago=2)
    deliver(stack, "o-2")
    [delivered] = stack.mails_of("delivered")
    assert "/v1/surveys?t=" not in delivered["text"] + delivered["html"]
    assert len(survey_mails(stack)) == 1  # one survey that week, the month's
