"""The whole tracking path over real HTTP: signed webhook calls with shuffled and
duplicated scans, an SQS subscriber on the tracking topic at the local moto endpoint,
milestone mail in the viewer, and the tracking page in headless Chromium."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from tests.e2e.browser import PHONE, missing_glyphs, phone_page
from tests.e2e.conftest import RunningStack

pytestmark = [pytest.mark.e2e]

EVENTS = json.loads(
    (
        Path(__file__).resolve().parents[1] / "events" / "carrier_events_fedex_journey.json"
    ).read_text()
)
TN = EVENTS["tracking_number"]
ZH_TN = "SF7000000001"


def _aws(stack: RunningStack, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=stack.aws,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _post_events(stack: RunningStack, events: list[dict[str, Any]]) -> int:
    raw = json.dumps({"events": events}).encode()
    timestamp = int(time.time())
    signed = f"{timestamp}.".encode() + raw
    digest = hmac.new(b"dev-carrier-secret", signed, hashlib.sha256).hexdigest()
    signature = f"t={timestamp},v1={digest}"
    response = stack.request(
        "POST", "/v1/carrier-events", raw, key=None, headers={"X-Rapport-Signature": signature}
    )
    return response.status


def _drain_until(sqs: Any, url: str, done: Any, timeout: float = 30.0) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done(seen):
        for message in sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", []):
            seen.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return seen


@pytest.fixture(scope="module")
def parcel(local_stack: RunningStack) -> Iterator[dict[str, Any]]:
    stack = local_stack
    signup = {
        "customer_id": "trk-1",
        "email": "trk@example.com",
        "name": "Ana",
        "locale": "en",
        "time_zone": "Asia/Shanghai",
        "consents": {"surveys": True},
    }
    assert stack.request("POST", "/v1/signups", signup).status == 201
    line = {"sku": "TEE-M", "name": "Linen tee", "category": "tops", "quantity": 1}
    order = {
        "order_id": "o-trk",
        "customer_id": "trk-1",
        "placed_at": "2026-11-17T08:00:00Z",
        "currency": "CNY",
        "lines": [{**line, "unit_price": 12900}],
        "total": 12900,
        "payment_method": "card",
    }
    placed = stack.request("POST", "/v1/orders", order)
    assert placed.status == 201, placed.body
    sqs, sns = _aws(stack, "sqs"), _aws(stack, "sns")
    url = sqs.create_queue(QueueName="e2e-tracking")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    topic = next(
        t["TopicArn"] for t in sns.list_topics()["Topics"] if "rapport-tracking" in t["TopicArn"]
    )
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={
            "RawMessageDelivery": "true",
            "FilterPolicy": json.dumps(
                {"status": ["info_received", "in_transit", "out_for_delivery", "delivered"]}
            ),
        },
    )
    body = {"tracking_number": TN, "carrier": "fedex", "order_id": "o-trk"}
    registered = stack.request("POST", "/v1/shipments", body)
    assert registered.status == 201, registered.body
    events = EVENTS["events"]
    shuffled = random.Random(5).sample(events, len(events))
    # Shuffled, duplicated, over four signed calls; all known before the pump sees most.
    for chunk in (shuffled[:3], shuffled[1:5], shuffled[4:], events[::2]):
        assert _post_events(stack, chunk) == 200
    messages = _drain_until(sqs, url, lambda seen: any(m["status"] == "delivered" for m in seen))
    messages += _drain_until(sqs, url, lambda seen: False, timeout=2.0)  # anything late or twice
    yield {"url": registered.body["tracking_url"], "messages": messages}


def test_subscriber_sees_each_milestone_once_in_order(parcel: dict[str, Any]) -> None:
    statuses = [m["status"] for m in parcel["messages"] if m["milestone"]]
    order = ["info_received", "in_transit", "out_for_delivery", "delivered"]
    assert statuses == sorted(set(statuses), key=order.index)
    assert statuses[-1] == "delivered"
    assert len({m["key"] for m in parcel["messages"]}) == len(parcel["messages"])
    assert all(m["order_id"] == "o-trk" for m in parcel["messages"])


def test_delivery_mail_arrives_once_with_the_tracking_and_survey_links(
    local_stack: RunningStack, parcel: dict[str, Any]
) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        mails = [
            m for m in local_stack.mails() if m["subject"] == "Your order o-trk has been delivered"
        ]
        if mails:
            break
        time.sleep(0.1)
    assert len(mails) == 1
    assert TN in mails[0]["text"] and re.search(r"/v1/surveys\?t=\S+", mails[0]["text"])


@pytest.mark.browser
def test_tracking_page_in_a_phone_browser(parcel: dict[str, Any], tmp_path: Path) -> None:
    with phone_page(parcel["url"], headers={"Accept-Language": "en"}) as page:
        assert page.title().startswith("Track your parcel")
        assert page.get_by_role("status").inner_text() == "Delivered"
        assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
        history = page.locator("ol.history li")
        assert history.count() == len(EVENTS["events"])
        assert "2026-11-22 11:47" in history.first.inner_text()  # Shanghai time
        # no sideways scroll
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(tmp_path / "tracking.png"), full_page=True)
        forged = page.goto(parcel["url"].split("?")[0] + "?t=forged")
        assert forged is not None and forged.status == 404


@pytest.fixture(scope="module")
def chinese_parcel(local_stack: RunningStack) -> str:
    """A zh-CN customer's SF Express parcel reported by Kuaidi100, with a side scan
    after delivery; returns its tracking link once the parcel shows delivered."""
    stack = local_stack
    signup = {
        "customer_id": "trk-zh",
        "email": "trk-zh@example.com",
        "name": "美玲",
        "locale": "zh-CN",
        "time_zone": "Asia/Shanghai",
    }
    assert stack.request("POST", "/v1/signups", signup).status == 201
    line = {
        "sku": "TEA-1",
        "name": "西湖龙井",
        "category": "tea",
        "quantity": 1,
        "unit_price": 6800,
    }
    order = {
        "order_id": "o-trk-zh",
        "customer_id": "trk-zh",
        "placed_at": "2026-11-17T08:00:00Z",
        "currency": "CNY",
        "lines": [line],
        "total": 6800,
        "payment_method": "wallet",
    }
    assert stack.request("POST", "/v1/orders", order).status == 201
    body = {"tracking_number": ZH_TN, "carrier": "kuaidi100", "order_id": "o-trk-zh"}
    registered = stack.request("POST", "/v1/shipments", body)
    assert registered.status == 201, registered.body
    scans = [
        ("101", "2026-11-18T09:00:00+08:00", "深圳"),
        ("0", "2026-11-19T10:00:00+08:00", "深圳转运中心"),
        ("5", "2026-11-21T08:30:00+08:00", "上海"),
        ("3", "2026-11-21T11:47:00+08:00", "上海"),
        ("2", "2026-11-21T15:00:00+08:00", "上海"),  # 疑难, after delivery
    ]
    events = [
        {
            "event_id": f"zh-{index}",
            "tracking_number": ZH_TN,
            "carrier": "kuaidi100",
            "carried_by": "shunfeng",
            "status": code,
            "occurred_at": at,
            "location": place,
        }
        for index, (code, at, place) in enumerate(scans)
    ]
    assert _post_events(stack, events) == 200
    url: str = registered.body["tracking_url"]
    link = urlsplit(url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        view = stack.request("GET", f"{link.path}?{link.query}", key=None).body
        if isinstance(view, dict) and view.get("status") == "delivered":
            break
        time.sleep(0.2)
    assert view["status"] == "delivered", view
    assert view["carried_by"] == "sf_express"
    return url


@pytest.mark.browser
def test_chinese_tracking_page_in_a_phone_browser(chinese_parcel: str, tmp_path: Path) -> None:
    with phone_page(chinese_parcel) as page:
        assert page.title().startswith("包裹追踪")
        assert page.get_by_role("status").inner_text() == "已签收"
        assert page.locator("dl.meta").inner_text().count("顺丰速运") == 1
        assert "KUAIDI100" not in page.content().upper()
        history = page.locator("ol.history li")
        assert history.count() == 5
        assert history.nth(0).get_attribute("class") == "after"
        assert "签收之后记录，包裹仍为已签收。" in history.nth(0).inner_text()
        assert history.nth(1).get_attribute("class") == "current"
        assert "已签收" in history.nth(1).inner_text()
        note = page.locator("p.note").first.inner_text()
        assert "时间按您所在的时区（Asia/Shanghai）显示。查询时间：" in note
        assert missing_glyphs(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(tmp_path / "tracking-zh.png"), full_page=True)
