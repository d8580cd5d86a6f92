"""Reviews of received orders, and the coupon a written one earns (seed 004: P&G thanks
customers who write up their experience).

A review belongs to one order: its own id is the store's (``review_id``), and a store
posting it again gets the same answer. A review with words (not only stars) of an order
the customer received earns one single-use coupon, once per order. The code is derived
from a keyed signature of the order id, so the stream handler that issues it after a
retry issues the same code, and nobody can guess another order's.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.messages import Message, non_transactional
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import parse_iso

REVIEW_FIELDS = ("review_id", "customer_id", "order_id", "rating", "text")
CODE_LENGTH = 12


@dataclass(frozen=True)
class Review:
    """A validated ``POST /v1/reviews`` body."""

    review_id: str
    customer_id: str
    order_id: str
    rating: int
    text: str | None

    def digest(self) -> str:
        """A fingerprint of the review (an identical replay has the same one)."""
        data = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    @property
    def written(self) -> bool:
        """Whether the customer wrote something (a coupon is for words, not only stars)."""
        return bool(self.text and self.text.strip())


def parse_review(payload: Any) -> Review:
    """Validate a review; ``InvalidInput`` names the field."""
    body = v.require_object(payload)
    v.reject_unknown(body, REVIEW_FIELDS)
    rating = body.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("rating must be a whole number from 1 to 5", "rating")
    text = body.get("text")
    if text is not None:
        if not isinstance(text, str):
            raise InvalidInput("text must be a string", "text")
        text = v.paragraphs(text, "text", 5000) if text.strip() else None
    return Review(
        review_id=v.identifier(body.get("review_id"), "review_id"),
        customer_id=v.identifier(body.get("customer_id"), "customer_id"),
        order_id=v.identifier(body.get("order_id"), "order_id"),
        rating=rating,
        text=text,
    )


@dataclass(frozen=True)
class CouponTerms:
    """What a review coupon is worth and how long it lasts (store settings)."""

    percent_off: int
    valid_days: int

    def valid_until(self, issued_at: datetime) -> datetime:
        """The last moment the coupon may be redeemed."""
        return issued_at + timedelta(days=self.valid_days)


def coupon_code(signature: str) -> str:
    """A code customers can type (``A-Z2-7``, grouped in fours) from a keyed signature."""
    digest = hashlib.sha256(signature.encode("utf-8")).digest()
    raw = base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


CODE_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def normalized_code(code: str) -> str | None:
    """A code as typed (lower case, spaces, no dashes) in its stored form; ``None`` if it
    cannot be one (another length, or characters no code has)."""
    compact = "".join(ch for ch in code.upper() if ch not in " -")
    if len(compact) != CODE_LENGTH or not set(compact) <= CODE_ALPHABET:
        return None
    return "-".join(compact[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def coupon_letter(profile: Profile, coupon: dict[str, Any], created_at: str) -> Message:
    """The ``review_coupon`` letter for the coupon an order's review earned.

    The last day of validity is shown in the reader's own calendar.
    """
    end = parse_iso(str(coupon["valid_until"])).astimezone(ZoneInfo(profile.time_zone))
    context = {k: coupon[k] for k in ("coupon_code", "percent_off", "valid_until", "order_id")}
    context["valid_until_day"] = end.date().isoformat()
    key = f"review-coupon#{coupon['order_id']}"
    return non_transactional(profile, key, "review_coupon", created_at, context)
