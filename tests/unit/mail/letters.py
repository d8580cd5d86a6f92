"""Every letter Rapport writes, built by the real message builders, in both languages.

Each sample is (template, locale, label, context): the context comes from the domain's
builders (confirmation, tier promotion, referral, return, shipment mail) and
``template_context``, so the tests read what a customer would receive. Every value of
every vocabulary (gift occasions, payment methods, shipment statuses, carriers) appears
in at least one sample.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.adapters.signer import HmacLinkSigner
from chalicelib.domain import carts, order_messages, support
from chalicelib.domain.carriers import CARRIER_NAMES
from chalicelib.domain.messages import (
    PRIVACY_TEMPLATES,
    Message,
    non_transactional,
    privacy_request,
    welcome,
)
from chalicelib.domain.orders import GIFT_OCCASIONS, PAYMENT_METHODS, Gift, Order, OrderLine
from chalicelib.domain.profile import Profile, Stats
from chalicelib.domain.replenishment import (
    OWN,
    STORE,
    Interval,
    Purchase,
    Replenishable,
    reminder,
)
from chalicelib.domain.returns import ReturnLine, ReturnRequest, StoredReturn
from chalicelib.domain.reviews import coupon_code, coupon_letter
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.shipment_messages import mail_context
from chalicelib.domain.tiers import PointsSettings, TierChange
from chalicelib.domain.tracking import Scan, fold
from chalicelib.domain.vocabulary import LANGUAGES
from chalicelib.domain.win_back import win_back_message
from chalicelib.mail.render import RenderedMail, render
from chalicelib.services.mail_context import template_context
from tests.unit.mail.campaign_letters import campaign_messages
from tests.unit.mail.engagement_letters import engagement_letters

NOW = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
STAMP = "2026-11-20T08:30:00.000Z"
BASE_URL = "http://rapport.test"
SIGNER = HmacLinkSigner(b"unit-test-secret-0123456789")
SETTINGS = StoreSettings()
SHIPMENT_KINDS = (
    "shipped",
    "out_for_delivery",
    "delivered",
    "attempt_failed",
    "exception",
    "available_for_pickup",
)
TRACKING = "SF1234567890"
ORDER_ID = "o-1001"
RETURN_ID = "r-77"
TICKET_ID = "t-1a2b3c4d5e6f7a8b9c0d"
COUPON = coupon_code("sample-signature")
CODES = (TRACKING, ORDER_ID, RETURN_ID, TICKET_ID, COUPON)
"""Identifiers the letters quote as they are."""

# What a Chinese reader's data looks like, and an English reader's.
NAMES = {"en": "Ana", "zh-CN": "安娜"}
PRODUCTS = {
    "en": [("TEA-1", "Dragon Well tea 100g", 2, 6800), ("CUP-2", "Celadon cup", 1, 4500)],
    "zh-CN": [("TEA-1", "西湖龙井一百克", 2, 6800), ("CUP-2", "青瓷茶杯", 1, 4500)],
}
VARIANTS = {"en": "the large tin", "zh-CN": "大罐装"}
PLACES = {"en": "Shanghai hub", "zh-CN": "上海转运中心"}


@dataclass(frozen=True)
class Letter:
    """One rendered sample letter."""

    template: str
    locale: str
    label: str
    context: dict[str, Any]
    mail: RenderedMail

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.template}-{self.locale}-{self.label}"


def profile(locale: str, name: str | None = "") -> Profile:
    return Profile(
        customer_id="c-1",
        email="ana@example.com",
        created_at=STAMP,
        updated_at=STAMP,
        name=NAMES[locale] if name == "" else name,
        locale=locale,
        time_zone="Asia/Shanghai",
    )


def order(locale: str, payment_method: str = "card", occasion: str | None = None) -> Order:
    return Order(
        order_id=ORDER_ID,
        customer_id="c-1",
        placed_at=NOW - timedelta(days=1),
        currency="CNY",
        lines=tuple(
            OrderLine(sku, name, "tea", quantity, price)
            for sku, name, quantity, price in PRODUCTS[locale]
        ),
        total=sum(quantity * price for _, _, quantity, price in PRODUCTS[locale]),
        payment_method=payment_method,
        gift=Gift(occasion) if occasion else None,
    )


def _letter(message: Message, label: str) -> Letter:
    context = template_context(message, SETTINGS, BASE_URL, SIGNER, NOW)
    locale = message.recipient.locale
    return Letter(
        message.template, locale, label, context, render(message.template, locale, context)
    )


def _order_letters(locale: str) -> Iterator[Letter]:
    person = profile(locale)
    for method in PAYMENT_METHODS:
        message = order_messages.confirmation(person, order(locale, method), [], 131, STAMP, None)
        yield _letter(message, f"pay-{method}")
    for occasion in GIFT_OCCASIONS:
        message = order_messages.confirmation(
            person,
            order(locale, occasion=occasion),
            [{"id": "CUP-2", "name": PRODUCTS[locale][1][1]}],
            0,
            STAMP,
            None,
        )
        yield _letter(message, f"gift-{occasion}")
    points = PointsSettings()
    for orders, old, new in ((1, 1, 2), (4, 2, 3), (9, 1, 4)):
        change = TierChange(NOW, old, new, 60_000)
        message = order_messages.tier_promotion(
            person, change, ORDER_ID, orders, points, STAMP, None
        )
        yield _letter(message, f"tier-{orders}-orders-{old}-to-{new}")
    for role, friend in (("referrer", NAMES[locale]), ("referred", None)):
        message = order_messages.referral_reward(person, role, friend, 500, "c-2", STAMP, None)
        yield _letter(message, f"referral-{role}")
    for kind in ("refund", "exchange"):
        line = ReturnLine("TEA-1", 1, VARIANTS[locale] if kind == "exchange" else None)
        reason = "包装破损" if locale == "zh-CN" else "The box was damaged"
        request = ReturnRequest(RETURN_ID, ORDER_ID, (line,), reason, kind)
        returned = StoredReturn(request, 6800 if kind == "refund" else 0)
        message = order_messages.return_acknowledgement(
            person, order(locale), returned, STAMP, None
        )
        yield _letter(message, f"return-{kind}")


CARRIERS = (
    ("fedex", None),
    ("ups", None),
    ("kuaidi100", "shunfeng"),
    ("kuaidi100", "zhongtong"),
    ("kuaidi100", None),
    ("aftership", "yto"),
    ("easypost", "USPS"),
    *(("rapport", carrier) for carrier in CARRIER_NAMES["en"]),
)
"""(registered carrier, the scans' ``carried_by``): every carrier name appears."""


def _shipment_message(
    locale: str,
    kind: str,
    carrier: str,
    carried_by: str | None,
    eta: str | None,
    promised: str | None,
) -> Message:
    status = "in_transit" if kind == "shipped" else kind
    scan = Scan(
        event_id="ev-1",
        tracking_number=TRACKING,
        status=status,
        occurred_at=NOW,
        location=PLACES[locale],
        carried_by=carried_by,
    )
    topic = {
        "tracking_number": TRACKING,
        "order_id": ORDER_ID,
        "status": status,
        "occurred_at": NOW.isoformat(),
        "estimated_delivery": eta,
    }
    survey = f"{BASE_URL}/v1/surveys?t=token" if kind == "delivered" else None
    context = mail_context(
        topic, fold([scan]), carrier, "Asia/Shanghai", f"{BASE_URL}/v1/track/{TRACKING}?t=token",
        survey, locale, promised,
    )  # fmt: skip
    return Message.transactional(profile(locale), f"shipment#{kind}", kind, STAMP, context, None)


DELIVERY_DATES = (
    (None, None),
    ("2026-11-23", None),
    (None, "2026-11-24"),
    ("2026-11-23", "2026-11-24"),
    ("2026-11-25", "2026-11-24"),
)
"""(carrier estimate, promised date) pairs the shipped letter must tell apart."""


def _shipment_letters(locale: str) -> Iterator[Letter]:
    for kind in SHIPMENT_KINDS:
        for carrier, carried_by in CARRIERS:
            message = _shipment_message(locale, kind, carrier, carried_by, None, None)
            yield _letter(message, f"{carrier}-{carried_by}")
    for eta, promised in DELIVERY_DATES:
        message = _shipment_message(locale, "shipped", "fedex", None, eta, promised)
        yield _letter(message, f"eta-{eta}-promised-{promised}")


QUESTIONS = {
    "en": ("Where is my tea?", "I ordered last week.\n\nCould you tell me when it ships?"),
    "zh-CN": ("我的茶叶到哪儿了？", "我上周下的单。\n\n请问什么时候发货？"),
}
ANSWERS = {
    "en": "Your parcel left our shop this morning.\n\nYou will get the tracking link today.",
    "zh-CN": "您的包裹今天上午已经发出。\n\n今天之内您会收到物流追踪链接。",
}
PROMISES = (
    (NOW + timedelta(hours=3), "same-day"),
    (NOW + timedelta(days=3), "in-three-days"),
    (NOW + timedelta(days=9), "far"),
)
"""(promised answer time, label): a promise a week or more ahead names the date too."""


def _support_letters(locale: str) -> Iterator[Letter]:
    person = profile(locale)
    subject, body = QUESTIONS[locale]
    for order_id in (ORDER_ID, None):
        ticket = {"ticket_id": TICKET_ID, "subject": subject, "order_id": order_id}
        for promised, label in PROMISES:
            message = support.auto_reply(person, ticket, promised, NOW, STAMP, None)
            yield _letter(message, f"auto-{label}-order-{order_id}")
        for close in (False, True):
            reply = support.SupportReply("re-1", ANSWERS[locale], close)
            message = support.answer_letter(person, ticket, body, reply, STAMP, None)
            yield _letter(message, f"reply-close-{close}-order-{order_id}")


def _win_back_letters(locale: str) -> Iterator[Letter]:
    for orders in (1, 7):
        stats = Stats(orders=orders, spent=9900 * orders, last_order_at="2026-05-31T18:30:00Z")
        person = replace(profile(locale), stats=stats, rfm={"segment": "at_risk"})
        message = win_back_message(person, NOW.date(), STAMP, None)
        yield _letter(message, f"win-back-{orders}-orders")


def _replenishment_letters(locale: str) -> Iterator[Letter]:
    sku, product = PRODUCTS[locale][0][:2]
    bought = (date(2026, 8, 3), date(2026, 9, 2), date(2026, 10, 1))
    purchases = tuple(Purchase(f"o-{n}", day) for n, day in enumerate(bought))
    for basis, interval in ((OWN, Interval(30, OWN)), (STORE, Interval(45, STORE))):
        item = Replenishable("c-1", sku, product, "tea", purchases)
        message = reminder(profile(locale), item, interval, STAMP)
        assert message is not None
        yield _letter(message, f"replenishment-{basis}")


def _cart_letters(locale: str) -> Iterator[Letter]:
    """The cart reminder: with the customer's name or without, one product or two."""
    lines = order(locale).lines
    for count in (1, 2):
        for name in (NAMES[locale], None):
            cart = carts.Cart("c-1", "e-1", carts.OPEN, lines[:count], NOW - timedelta(hours=2))
            message = carts.reminder(profile(locale, name), cart, STAMP)
            yield _letter(message, f"cart-{count}-name-{name}")


def _review_letters(locale: str) -> Iterator[Letter]:
    for name in (NAMES[locale], None):
        coupon = {
            "order_id": ORDER_ID,
            "coupon_code": COUPON,
            "percent_off": SETTINGS.review_coupon_percent_off,
            "valid_until": "2027-02-18T08:30:00.000Z",
        }
        yield _letter(coupon_letter(profile(locale, name), coupon, STAMP), f"coupon-{name}")


def letters() -> list[Letter]:
    """Every sample letter in both languages."""
    found: list[Letter] = []
    for locale in LANGUAGES:
        for name in (NAMES[locale], None):
            found.append(_letter(welcome(profile(locale, name), STAMP, None), f"name-{name}"))
        found.extend(_order_letters(locale))
        found.extend(_shipment_letters(locale))
        found.extend(_support_letters(locale))
        found.extend(engagement_letters(locale, profile(locale), _letter))
        found.extend(_cart_letters(locale))
        found.extend(_review_letters(locale))
        survey = non_transactional(
            profile(locale),
            "satisfaction-survey#2026-11",
            "satisfaction_survey",
            STAMP,
            {"month": "2026-11"},
        )
        found.append(_letter(survey, "monthly-survey"))
        found.extend(_letter(message, label) for message, label in campaign_messages(locale))
        for template in PRIVACY_TEMPLATES:
            message = privacy_request(profile(locale), template, STAMP, None)
            found.append(_letter(message, template))
        found.extend(_win_back_letters(locale))
        found.extend(_replenishment_letters(locale))
    return found


LETTERS = letters()
