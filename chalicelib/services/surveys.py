"""Satisfaction surveys after delivery: one answer per parcel, on the customer's timeline."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import validation
from chalicelib.domain.exceptions import Conflict, InvalidInput, NotFound
from chalicelib.domain.satisfaction import MONTHLY_SURVEY_PURPOSE, month_of_token
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import AlreadyExists
from chalicelib.services.shipments import SURVEY_PURPOSE, ShipmentDeps


def parcel_for_token(token: str, deps: ShipmentDeps) -> dict[str, Any]:
    """What a survey link was signed for, or 404 (never saying whether it exists).

    A parcel (the delivery letter's survey), or a customer's month (the monthly survey:
    ``tracking_number`` is ``None``, ``month`` is ``YYYY-MM``).
    """
    now = deps.clock.now()
    tracking_number = deps.signer.verify(SURVEY_PURPOSE, token, now)
    parcel = deps.shipments.parcel(tracking_number) if tracking_number else None
    if parcel is not None and parcel.get("customer_id"):
        return parcel
    month = month_of_token(deps.signer.verify(MONTHLY_SURVEY_PURPOSE, token, now))
    if month is not None and deps.customers.get(month[0]) is not None:
        customer_id, when = month
        return {"customer_id": customer_id, "tracking_number": None, "month": when}
    raise NotFound("this link is not valid or has expired", "t")


def _entry(subject: dict[str, Any]) -> str:
    """The survey's own key on the customer's timeline: the parcel's, or the month's."""
    month = subject.get("month")
    return f"month#{month}" if month else str(subject["tracking_number"])


def _month(subject: dict[str, Any]) -> dict[str, Any]:
    """``{"month": ...}`` for the monthly survey; nothing for a parcel's."""
    return {"month": subject["month"]} if subject.get("month") else {}


def parse_answer(payload: Any) -> tuple[int, str | None]:
    """Validate ``{"score": 1..5, "comment": "..."}`` (comment optional)."""
    body = validation.require_object(payload, "body")
    validation.reject_unknown(body, ("score", "comment"))
    score = body.get("score")
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score.strip())  # the HTML form sends text
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput("score must be a whole number from 1 to 5", "score")
    comment = body.get("comment")
    if comment is not None and (not isinstance(comment, str) or comment.strip()):
        comment = validation.text(comment, "comment", 2000)
    else:
        comment = None
    return score, comment


def answer_survey(token: str, payload: Any, deps: ShipmentDeps) -> dict[str, Any]:
    """Store the answer once; a second answer for the same parcel is a 409."""
    return record_answer(parcel_for_token(token, deps), payload, deps)


def record_answer(parcel: dict[str, Any], payload: Any, deps: ShipmentDeps) -> dict[str, Any]:
    """Store the answer for ``parcel`` (from :func:`parcel_for_token`) once, else 409."""
    score, comment = parse_answer(payload)
    entry = {
        "at": iso(deps.clock.now()),
        "tracking_number": parcel["tracking_number"],
        "order_id": parcel.get("order_id"),
        **_month(parcel),
        "score": score,
        "comment": comment,
    }
    try:
        deps.surveys.record(parcel["customer_id"], _entry(parcel), entry)
    except AlreadyExists:
        raise Conflict("this survey has already been answered; thank you", "score") from None
    return {
        "tracking_number": parcel["tracking_number"],
        **_month(parcel),
        "score": score,
        "comment": comment,
    }


def survey_status(token: str, deps: ShipmentDeps) -> dict[str, Any]:
    """Whether the survey behind the link was answered already (for the survey page)."""
    parcel = parcel_for_token(token, deps)
    answer = deps.surveys.get(parcel["customer_id"], _entry(parcel))
    return {
        "tracking_number": parcel["tracking_number"],
        **_month(parcel),
        "customer_id": parcel["customer_id"],
        "answered": answer is not None,
        "score": None if answer is None else answer.get("score"),
    }
