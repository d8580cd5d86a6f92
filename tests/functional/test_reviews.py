"""Reviews of received orders, the coupon a written one earns by mail, its one redemption."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.shipment_fixtures import deliver, post_tea_order, survey_taker


def order(stack: Stack, oid: str, cid: str, delivered: bool = True) -> None:
    post_tea_order(stack, oid, cid, datetime.now(UTC) - timedelta(days=4))
    if delivered:
        deliver(stack, oid, hours_ago=48)
    stack.pump()


def review(stack: Stack, **changes: Any) -> Any:
    body = {
        "review_id": "rv-1",
        "customer_id": "c-1",
        "order_id": "o-1",
        "rating": 5,
        "text": "The tea smells of spring. Lovely packaging.",
        **changes,
    }
    return stack.http.post("/v1/reviews", headers=STORE, body=json.dumps(body))


def redeem(stack: Stack, code: str, order_id: str) -> Any:
    body = json.dumps({"order_id": order_id})
    return stack.http.post(f"/v1/coupons/{code}/redemptions", headers=STORE, body=body)


def coupon_mail(stack: Stack) -> dict[str, Any]:
    [mail] = stack.mails_of("review_coupon")
    return mail


def code_of(mail: dict[str, Any]) -> str:
    found = re.search(r"\b([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})\b", mail["text"])
    assert found, mail["text"]
    return found.group(1)


@pytest.fixture()
def received(stack: Stack) -> Stack:
    survey_taker(stack, "c-1", time_zone="UTC")
    order(stack, "o-1", "c-1")
    order(stack, "o-2", "c-1")
    return stack


def test_a_written_review_of_a_received_order_earns_one_coupon_by_mail(received: Stack) -> None:
    stack = received
    created = review(stack)
    assert created.status_code == 201, created.body
    assert created.json_body["rating"] == 5 and created.json_body["order_id"] == "o-1"
    assert review(stack).status_code == 200  # the store posts it again
    stack.pump()
    mail = coupon_mail(stack)
    assert "10% off your next order" in mail["subject"]
    code = code_of(mail)
    assert "It can be used once, on an order of your own, until" in mail["text"]
    assert "List-Unsubscribe" in mail["headers"]
    assert review(stack, review_id="rv-1", text="changed").status_code == 409
    assert review(stack, review_id="rv-2").status_code == 409  # one review per order
    stack.pump()
    assert len([m for m in stack.mails() if "review" in m["headers"]["X-Rapport-Message"]]) == 1
    first = redeem(stack, code.lower().replace("-", " "), "o-2")
    assert first.status_code == 200, first.body
    assert first.json_body["code"] == code and first.json_body["percent_off"] == 10
    again = redeem(stack, code, "o-2")
    assert again.status_code == 409 and again.json_body["error"]["field"] == "code"


def test_stars_only_earn_no_coupon_and_a_parcel_not_delivered_cannot_be_reviewed(
    received: Stack,
) -> None:
    stack = received
    assert review(stack, text=None).status_code == 201
    stack.pump()
    assert not stack.mails_of("review_coupon")
    order(stack, "o-3", "c-1", delivered=False)
    early = review(stack, review_id="rv-3", order_id="o-3")
    assert early.status_code == 422 and early.json_body["error"]["field"] == "order_id"


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"rating": 6}, 400, "rating"),
        ({"rating": "5"}, 400, "rating"),
        ({"text": 5}, 400, "text"),
        ({"stars": 5}, 400, "stars"),
        ({"customer_id": "c-nobody"}, 404, "customer_id"),
        ({"order_id": "o-nothing"}, 404, "order_id"),
    ],
)
def test_bad_reviews_are_refused_naming_the_field(
    received: Stack, changes: dict[str, Any], status: int, field: str
) -> None:
    response = review(received, **changes)
    assert response.status_code == status, response.body
    assert response.json_body["error"]["field"] == field


def test_a_coupon_is_its_customers_and_expires(received: Stack) -> None:
    stack = received
    survey_taker(stack, "c-2", time_zone="UTC")
    order(stack, "o-9", "c-2")
    assert review(stack).status_code == 201
    stack.pump()
    code = code_of(coupon_mail(stack))
    foreign = redeem(stack, code, "o-9")
    assert foreign.status_code == 422 and foreign.json_body["error"]["field"] == "order_id"
    assert redeem(stack, "AAAA-BBBB-CCCC", "o-2").status_code == 404
    for junk in ("*", "AAAA-BBBB-CCC1", "兑换码"):  # no code has these: 404 without a lookup
        refused = redeem(stack, junk, "o-2")
        assert refused.status_code == 404 and refused.json_body["error"]["field"] == "code"
    settings = json.dumps({"review_coupon_valid_days": 0})
    assert (
        stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=settings).status_code == 200
    )
    survey_taker(stack, "c-3", time_zone="UTC")
    order(stack, "o-7", "c-3")
    assert review(stack, review_id="rv-7", customer_id="c-3", order_id="o-7").status_code == 201
    stack.pump()
    mails = stack.mails_of("review_coupon")
    expired = redeem(stack, code_of(mails[-1]), "o-7")
    assert expired.status_code == 422 and "expired" in expired.json_body["error"]["message"]


def test_a_coupon_letter_without_surveys_consent_is_suppressed_in_chinese_too(
    stack: Stack,
) -> None:
    survey_taker(stack, "c-1", locale="zh-CN", surveys=False, time_zone="UTC")
    order(stack, "o-1", "c-1")
    assert review(stack, text="茶很香，包装也很用心。").status_code == 201
    stack.pump()
    items, _ = bootstrap.container().outbox.for_customer("c-1", 20, None)
    [letter] = [i for i in items if i["template"] == "review_coupon"]
    assert (letter["status"], letter["reason"]) == ("suppressed", "no_consent_surveys")


def test_a_chinese_coupon_letter_reads_in_chinese(stack: Stack) -> None:
    survey_taker(stack, "c-1", locale="zh-CN", time_zone="UTC")
    order(stack, "o-1", "c-1")
    assert review(stack, text="茶很香。").status_code == 201
    stack.pump()
    mail = coupon_mail(stack)
    assert mail["subject"] == "谢谢您的评价：下次购物享 10% 折扣"
    assert "优惠券仅限您本人的订单使用一次，有效期至" in mail["text"]


def test_a_review_keeps_its_line_breaks_and_refuses_other_control_characters(
    received: Stack,
) -> None:
    written = review(received, text="Great tea.\r\n\r\nWill buy again.")
    assert written.status_code == 201, written.body
    assert written.json_body["text"] == "Great tea.\n\nWill buy again."
    bell = review(received, review_id="rv-2", order_id="o-2", text="ding\x07")
    assert bell.status_code == 400 and bell.json_body["error"]["field"] == "text"
