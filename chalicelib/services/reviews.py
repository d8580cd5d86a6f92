"""Reviews of received orders (``POST /v1/reviews``) and their coupons.

The route validates and writes one fact, the review beside its order; the orders
stream handler issues the coupon a written review earns and queues its ``review_coupon``
letter, once per order (:func:`review_posted`). ``POST /v1/coupons/{code}/redemptions``
redeems a coupon once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import Conflict, NotFound, Unprocessable
from chalicelib.domain.reviews import (
    CouponTerms,
    Review,
    coupon_code,
    coupon_letter,
    normalized_code,
    parse_review,
)
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.exceptions import AlreadyExists
from chalicelib.services.ports import (
    Clock,
    LinkSigner,
    Outbox,
    ProfileReader,
    SettingsStore,
    ShipmentRepository,
)
from chalicelib.services.shipments import stored_state

COUPON_PURPOSE = "review-coupon"
COUPON_SIGNATURE_EXPIRY = datetime(2100, 1, 1, tzinfo=UTC)
"""A fixed expiry, so the keyed signature (and the code) of an order never changes."""
PUBLIC_FIELDS = ("review_id", "customer_id", "order_id", "rating", "text", "created_at")


class ReviewStore(Protocol):
    """Reviews and their coupons (the orders table)."""

    def review(self, order_id: str) -> dict[str, Any] | None: ...

    def order_of_review(self, review_id: str) -> str | None: ...

    def create_review(self, item: dict[str, Any]) -> None: ...

    def create_coupon(self, item: dict[str, Any]) -> bool: ...

    def coupon(self, code: str) -> dict[str, Any] | None: ...

    def redeem(self, coupon_order_id: str, redeeming_order_id: str, now: datetime) -> bool: ...


@dataclass(frozen=True)
class ReviewDeps:
    """What reviews and coupons need (wired in ``bootstrap``)."""

    reviews: ReviewStore
    shipments: ShipmentRepository
    profiles: ProfileReader
    outbox: Outbox
    signer: LinkSigner
    settings: SettingsStore
    clock: Clock


@dataclass(frozen=True)
class ReviewOutcome:
    """The stored review and whether it was created now."""

    item: dict[str, Any]
    created: bool


def view(item: dict[str, Any]) -> dict[str, Any]:
    """The review as the API shows it."""
    return {field: item.get(field) for field in PUBLIC_FIELDS}


def post_review(payload: Any, deps: ReviewDeps) -> ReviewOutcome:
    """201 new, 200 identical replay, 409 another body, 404 unknown, 422 not received."""
    review = parse_review(payload)
    replay = _replay(review, deps)
    if replay is not None:
        return replay
    _check_received(review, deps)
    item = {
        **{k: value for k, value in asdict(review).items() if value is not None},
        "created_at": iso(deps.clock.now()),
        "request_digest": review.digest(),
    }
    try:
        deps.reviews.create_review(item)
    except AlreadyExists as taken:
        again = _replay(review, deps)
        if again is None:
            raise Conflict("this order has been reviewed already", taken.field) from None
        return again
    return ReviewOutcome(item, True)


def _replay(review: Review, deps: ReviewDeps) -> ReviewOutcome | None:
    """The stored review for an identical replay; 409 when the id or order holds another."""
    stored_order = deps.reviews.order_of_review(review.review_id)
    if stored_order is None:
        return None
    stored = deps.reviews.review(stored_order)
    if stored is not None and stored.get("request_digest") == review.digest():
        return ReviewOutcome(stored, False)
    raise Conflict("review_id already exists with a different review", "review_id")


def _check_received(review: Review, deps: ReviewDeps) -> None:
    """The customer exists and received the order (a parcel of it was delivered)."""
    if deps.profiles.get(review.customer_id) is None:
        raise NotFound("no customer with this id", "customer_id")
    order = deps.shipments.order(review.order_id)
    if order is None or order.get("customer_id") != review.customer_id:
        raise NotFound("this customer has no order with this id", "order_id")
    parcels = deps.shipments.parcels_for_order(review.order_id)
    if not any(stored_state(parcel).delivered_at for parcel in parcels):
        raise Unprocessable(
            "this order has not been delivered yet: review it once it has", "order_id"
        )


def coupon_terms(deps: ReviewDeps) -> CouponTerms:
    """The store's review coupon: how much off, for how long (settings)."""
    store = deps.settings.store()
    return CouponTerms(store.review_coupon_percent_off, store.review_coupon_valid_days)


def review_posted(item: dict[str, Any], deps: ReviewDeps) -> str:
    """Issue the coupon a written review earns, and queue its letter (once per order)."""
    if not str(item.get("text") or "").strip():
        return "no_coupon_for_stars_only"
    profile = deps.profiles.get(str(item["customer_id"]))
    if profile is None:
        raise LookupError("the reviewer's profile is gone")  # erased: the handler drops it
    order_id = str(item["order_id"])
    terms = coupon_terms(deps)
    issued_at = parse_iso(str(item["created_at"]))
    signature = deps.signer.sign(COUPON_PURPOSE, order_id, COUPON_SIGNATURE_EXPIRY)
    coupon = {
        "order_id": order_id,
        "customer_id": profile.customer_id,
        "coupon_code": coupon_code(signature),
        "percent_off": terms.percent_off,
        "valid_until": iso(terms.valid_until(issued_at)),
        "issued_at": iso(issued_at),
    }
    deps.reviews.create_coupon(coupon)
    letter = coupon_letter(profile, coupon, iso(deps.clock.now()))
    return "queued" if deps.outbox.enqueue(letter) else "already_queued"


def redeem_coupon(code: str, payload: Any, deps: ReviewDeps) -> dict[str, Any]:
    """Redeem a coupon for an order of its customer: 200 once, 409 after, 404, 422."""
    body = v.require_object(payload)
    v.reject_unknown(body, ("order_id",))
    order_id = v.identifier(body.get("order_id"), "order_id")
    stored_code = normalized_code(code)
    coupon = deps.reviews.coupon(stored_code) if stored_code else None
    if coupon is None:
        raise NotFound("no coupon with this code", "code")
    now = deps.clock.now()
    if parse_iso(str(coupon["valid_until"])) < now:
        raise Unprocessable(f"this coupon expired on {coupon['valid_until'][:10]}", "code")
    order = deps.shipments.order(order_id)
    if order is None or order.get("customer_id") != coupon["customer_id"]:
        raise Unprocessable("the coupon is its customer's: the order must be theirs", "order_id")
    if not deps.reviews.redeem(str(coupon["order_id"]), order_id, now):
        raise Conflict("this coupon has been redeemed already", "code")
    return {
        "code": coupon["coupon_code"],
        "order_id": order_id,
        "percent_off": coupon["percent_off"],
        "redeemed_at": iso(now),
    }
