"""Every link and every promise in every letter leads somewhere that works.

A customer's whole story (signup, a gift order, a Kuaidi100 parcel with a failed attempt,
delivery, a return) runs through the real handlers in each language. Every link of
ours in the mail that was sent answers 200 with its token, the others are the store's
own pages from its settings, and each capability a letter promises exists as a route.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.adapters import codec
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.recommending import CO_PURCHASES_ID
from tests.functional.conftest import ADMIN, STORE, Stack, mail_at_any_hour, run_job, sent_days_ago
from tests.functional.shipment_fixtures import post_events, register, sign_up, survey_taker

BASE = "http://rapport.test"
TEMPLATES = {
    "welcome",
    "order_confirmation",
    "shipped",
    "out_for_delivery",
    "attempt_failed",
    "delivered",
    "return_ack",
    "greeting",
    "recommendations",
    "occasion_suggestion",
}

# (words in a letter, the route that keeps the promise: path, method)
PROMISES: dict[str, list[tuple[str, tuple[str, str]]]] = {
    "en": [
        ("choose which letters you receive", ("/v1/preferences", "POST")),
        ("Manage your preferences", ("/v1/preferences", "POST")),
        ("rate your order and delivery", ("/v1/surveys", "POST")),
        ("See the delivery details", ("/v1/track/{tracking_number}", "GET")),
        ("Track my parcel", ("/v1/track/{tracking_number}", "GET")),
        ("have a copy of all your data mailed to you", ("/v1/preferences/export", "POST")),
        ("ask us to erase it", ("/v1/preferences/erasure", "POST")),
        ("See the delivery attempt", ("/v1/track/{tracking_number}", "GET")),
    ],
    "zh-CN": [
        ("选择想收到哪些邮件", ("/v1/preferences", "POST")),
        ("管理邮件偏好", ("/v1/preferences", "POST")),
        ("为这次购物和配送打分", ("/v1/surveys", "POST")),
        ("查看签收详情", ("/v1/track/{tracking_number}", "GET")),
        ("查看物流", ("/v1/track/{tracking_number}", "GET")),
        ("把您的全部资料副本发到邮箱", ("/v1/preferences/export", "POST")),
        ("要求我们删除您的资料", ("/v1/preferences/erasure", "POST")),
        ("查看派送记录", ("/v1/track/{tracking_number}", "GET")),
    ],
}
# Words for capabilities that do not exist: no letter may offer them (data is mailed as
# a link on request from the preference centre, never attached or offered as a download
# in the letters of this story).
NOT_YET = {
    "en": ("download", "delete your account"),
    "zh-CN": ("下载", "注销账户"),
}


def _scan(number: str, code: str, hours_ago: float, index: int) -> dict[str, Any]:
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    return {
        "event_id": f"{number}-{index}",
        "tracking_number": number,
        "carrier": "kuaidi100",
        "carried_by": "shunfeng",
        "status": code,
        "occurred_at": at.isoformat(),
        "location": "上海",
    }


def customer_story(stack: Stack, locale: str) -> list[dict[str, Any]]:
    """Run one customer's story and return the mail they received."""
    customer, order_id, number = f"c-{locale}", f"o-{locale}", f"SF{len(locale)}0000001"
    sign_up(stack, customer, locale)
    placed = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    line = {"sku": "TEE-M", "name": "Linen tee", "category": "tops", "quantity": 1}
    order = {
        "order_id": order_id,
        "customer_id": customer,
        "placed_at": placed,
        "currency": "CNY",
        "lines": [{**line, "unit_price": 12900}],
        "total": 12900,
        "payment_method": "wallet",
        "gift": {"occasion": "birthday"},
    }
    assert stack.http.post("/v1/orders", headers=STORE, body=json.dumps(order)).status_code == 201
    for status in ("paid", "fulfilled"):
        body = json.dumps({"status": status})
        assert (
            stack.http.patch(f"/v1/orders/{order_id}", headers=STORE, body=body).status_code == 200
        )
    assert register(stack, number, order_id, carrier="kuaidi100").status_code == 201
    stack.pump()
    for index, (code, hours) in enumerate((("0", 30), ("5", 6), ("204", 5), ("3", 1))):
        assert post_events(stack, [_scan(number, code, hours, index)]).status_code == 200
        stack.pump()
    body = {"return_id": f"r-{locale}", "order_id": order_id, "kind": "refund",
            "lines": [{"sku": "TEE-M", "quantity": 1}], "reason": "too small"}  # fmt: skip
    returned = stack.http.post("/v1/returns", headers=STORE, body=json.dumps(body))
    assert returned.status_code == 201, returned.body
    stack.pump()
    engagement_story(stack, customer, locale)
    address = f"{customer}@example.com".lower()
    return [mail for mail in stack.mails() if any(address in to.lower() for to in mail["to"])]


SHANGHAI = ZoneInfo("Asia/Shanghai")
GIFT_IDEAS = {"en": "Silk scarf", "zh-CN": "真丝围巾"}


def _set_profile(stack: Stack, customer_id: str, values: dict[str, Any]) -> None:
    stack.dynamodb().update_item(
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"],
        Key={"customer_id": {"S": customer_id}},
        UpdateExpression="SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(values))),
        ExpressionAttributeNames={f"#a{i}": key for i, key in enumerate(values)},
        ExpressionAttributeValues={
            f":a{i}": codec.to_value(value) for i, value in enumerate(values.values())
        },
    )


def engagement_story(stack: Stack, customer_id: str, locale: str) -> None:
    """The customer's birthday comes 14 days before a month they bought gifts in twice:
    a greeting (very loyal) and a suggestion; a year on (loyal), recommendations."""
    today = datetime.now(SHANGHAI).date()
    month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    window = month - timedelta(days=14)
    names = {"pairs": [], "catalog": [], "names": {"SCARF-1": GIFT_IDEAS[locale]}}
    bootstrap.container().settings.save_document(CO_PURCHASES_ID, names)
    rules = {"recommendations": {"cross_sell": {"category:tops": ["sku:SCARF-1"]}}}
    body = json.dumps(rules)
    answer = stack.http.put("/v1/admin/settings/customer-value", headers=ADMIN, body=body)
    assert answer.status_code == 200, answer.body
    mail_at_any_hour(stack)
    consents = {"marketing": False, "recommendations": True, "greetings": True, "surveys": True}
    profile = {
        "consents": consents,
        "loyalty": "very_loyal",
        "birthday": f"1990-{window:%m-%d}",
        "birthday_md": f"{window:%m-%d}",
        "gift_months": {f"{month:%m}": {"years": [2024, 2025], "occasion": "birthday"}},
        "occasion_next": f"{month:%m}",
    }
    birthday = window + timedelta(days=3)  # the suggestion's window opens first
    profile["birthday"], profile["birthday_md"] = f"1990-{birthday:%m-%d}", f"{birthday:%m-%d}"
    _set_profile(stack, customer_id, profile)
    last_year = window.year - 1
    for day, loyalty in (
        (window.replace(year=last_year), "very_loyal"),  # the occasion suggestion
        (birthday.replace(year=last_year), "very_loyal"),  # the birthday card
        (birthday, "loyal"),  # a year on: recommendations
    ):
        _set_profile(stack, customer_id, {"loyalty": loyalty})
        as_of = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI).isoformat()
        run_job(stack, "engagement", json.dumps({"as_of": as_of}))
        stack.pump()
        sent_days_ago(stack, customer_id, 2)  # the next run is another day: no daily cap


def links(mail: dict[str, Any]) -> set[str]:
    found = set(re.findall(r"https?://[^\s<>\"]+", mail["text"]))
    found |= {html_lib.unescape(href) for href in re.findall(r'href="([^"]+)"', mail["html"])}
    return {link for link in found if not link.startswith("mailto:")}


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_link_and_promise_in_every_letter_works(stack: Stack, locale: str) -> None:
    mails = customer_story(stack, locale)
    kinds = {mail["headers"].get("X-Rapport-Message", "").rsplit("/", 1)[-1] for mail in mails}
    assert kinds >= TEMPLATES, kinds
    settings = StoreSettings()
    store_pages = {settings.website_url, *(link.url for link in settings.help_links)}
    ours = 0
    for mail in mails:
        for link in links(mail):
            if not link.startswith(BASE):
                assert link in store_pages, f"{mail['subject']}: {link}"
                continue
            parts = urlsplit(link)
            answer = stack.http.get(f"{parts.path}?{parts.query}", headers={"Accept": "text/html"})
            assert answer.status_code == 200, f"{mail['subject']}: {link}"
            ours += 1
    assert ours >= len(TEMPLATES)
    words = " ".join(mail["text"] + html_lib.unescape(mail["html"]) for mail in mails)
    for phrase, (path, method) in PROMISES[locale]:
        assert phrase in words, phrase
        assert method in stack.app.routes[path], (phrase, path)
    for phrase in NOT_YET[locale]:
        assert phrase not in words.casefold(), phrase


ENGAGEMENT_TEMPLATES = {"win_back", "replenishment"}


def lapsing_story(stack: Stack, locale: str) -> list[dict[str, Any]]:
    """A customer who bought a lot long ago and tea a month ago, among four recent
    customers: the nightly job finds them at risk, the daily job due for tea."""
    mail_at_any_hour(stack, replenishment_skus={"TEA-1": 30})
    customer = f"c-e-{locale}"
    history = {customer: [300, 260, 230, 200, 31], **{f"c-e{n}": [n] for n in range(1, 5)}}
    for who, days in history.items():
        sign_up(stack, who, locale, consents={"marketing": True})
        for index, days_ago in enumerate(days):
            sku, name = ("TEA-1", "Dragon Well") if days_ago == 31 else ("TEE-M", "Linen tee")
            line = {"sku": sku, "name": name, "category": "tea", "quantity": 1}
            total = 30_000 if who == customer else 2_000
            body = {
                "order_id": f"o-{who}-{index}",
                "customer_id": who,
                "placed_at": (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(),
                "currency": "CNY",
                "lines": [{**line, "unit_price": total}],
                "total": total,
                "payment_method": "card",
            }
            posted = stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body))
            assert posted.status_code == 201, posted.body
    stack.pump()
    for job in ("customer-value", "replenishment"):
        run_job(stack, job)
        stack.pump()
        sent_days_ago(stack, customer, 2)  # a day apart: the daily cap lets both through
    address = f"{customer}@example.com".lower()
    return [mail for mail in stack.mails() if any(address in to.lower() for to in mail["to"])]


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_link_and_promise_in_the_engagement_letters_works(stack: Stack, locale: str) -> None:
    mails = [
        mail
        for mail in lapsing_story(stack, locale)
        if mail["headers"].get("X-Rapport-Message") in ENGAGEMENT_TEMPLATES
    ]
    assert {mail["headers"]["X-Rapport-Message"] for mail in mails} == ENGAGEMENT_TEMPLATES
    settings = StoreSettings()
    for mail in mails:
        for link in links(mail):
            if not link.startswith(BASE):
                assert link in {settings.website_url}, f"{mail['subject']}: {link}"
                continue
            parts = urlsplit(link)
            answer = stack.http.get(f"{parts.path}?{parts.query}", headers={"Accept": "text/html"})
            assert answer.status_code == 200, f"{mail['subject']}: {link}"
    words = " ".join(mail["text"] + html_lib.unescape(mail["html"]) for mail in mails)
    centre = ("/v1/preferences", "POST")
    for phrase, (path, method) in [p for p in PROMISES[locale] if p[1] == centre]:
        assert phrase in words, phrase
        assert method in stack.app.routes[path], (phrase, path)
    for phrase in NOT_YET[locale]:
        assert phrase not in words.casefold(), phrase


CART_PROMISES = {
    "en": [("Manage your preferences", ("/v1/preferences", "POST"))],
    "zh-CN": [("管理邮件偏好", ("/v1/preferences", "POST"))],
}
NO_INVENTED_OFFER = {
    "en": ("discount", "coupon", "% off", "free shipping"),
    "zh-CN": ("折扣", "优惠券", "包邮"),
}
"""A cart reminder lists the cart and nothing the store did not offer."""


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_cart_reminder_links_and_promises_work(stack: Stack, locale: str) -> None:
    from tests.functional.test_cart_events import event, loyal_customer, reminders, send

    loyal_customer(stack, "c-cart", locale=locale)
    assert send(stack, event("e-1", "c-cart")).status_code == 201
    assert reminders(stack)["queued"] == 1
    stack.pump()
    [mail] = stack.mails_of("cart_reminder")
    settings = StoreSettings()
    store_pages = {settings.website_url, *(link.url for link in settings.help_links)}
    ours = [link for link in links(mail) if link.startswith(BASE)]
    assert ours and {link for link in links(mail) if not link.startswith(BASE)} <= store_pages
    for link in ours:
        parts = urlsplit(link)
        answer = stack.http.get(f"{parts.path}?{parts.query}", headers={"Accept": "text/html"})
        assert answer.status_code == 200, link
    words = mail["text"] + html_lib.unescape(mail["html"])
    for phrase, (path, method) in CART_PROMISES[locale]:
        assert phrase in words and method in stack.app.routes[path], phrase
    for phrase in NO_INVENTED_OFFER[locale]:
        assert phrase not in words.casefold(), phrase


# The letters of listening, each to its own customer (two the same day would meet the cap).
LISTENING_PROMISES = {
    "en": [
        ("Answer the survey", ("/v1/surveys", "POST")),
        ("Manage your preferences", ("/v1/preferences", "POST")),
    ],
    "zh-CN": [("填写调查", ("/v1/surveys", "POST")), ("管理邮件偏好", ("/v1/preferences", "POST"))],
}


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_survey_and_coupon_letters_links_and_promises_work(stack: Stack, locale: str) -> None:
    from tests.functional import test_reviews as reviews
    from tests.functional import test_satisfaction_surveys as monthly

    survey_taker(stack, "c-rv", locale, time_zone="UTC")
    reviews.order(stack, "o-rv", "c-rv")
    assert reviews.review(stack, customer_id="c-rv", order_id="o-rv").status_code == 201
    survey_taker(stack, "c-ms", locale)
    monthly.order(stack, "o-ms", "c-ms", days_ago=20)
    monthly.survey(stack)
    mails = [
        mail
        for mail in stack.mails()
        if mail["headers"]["X-Rapport-Message"] in ("review_coupon", "satisfaction_survey")
    ]
    assert len(mails) == 2, [mail["subject"] for mail in mails]
    store_pages = {StoreSettings().website_url}
    for mail in mails:
        for link in links(mail):
            if not link.startswith(BASE):
                assert link in store_pages, f"{mail['subject']}: {link}"
                continue
            parts = urlsplit(link)
            answer = stack.http.get(f"{parts.path}?{parts.query}", headers={"Accept": "text/html"})
            assert answer.status_code == 200, f"{mail['subject']}: {link}"
    words = " ".join(mail["text"] + html_lib.unescape(mail["html"]) for mail in mails)
    for phrase, (path, method) in LISTENING_PROMISES[locale]:
        assert phrase in words, phrase
        assert method in stack.app.routes[path], (phrase, path)
