"""Fold a parcel's scans, record what to publish, publish it once, queue milestone mail.

Called by the shipments stream handler when a scan is stored or a parcel registered.

The publish protocol (the guarantee is spelled out in ``docs/shipments.md``):

1. **Fold.** One consistent Query reads the parcel and all its scans;
   :func:`~chalicelib.domain.tracking.fold` gives the state and
   :func:`~chalicelib.domain.tracking_publish.advance` the transitions not yet published.
2. **Record.** One conditional update (on the parcel's ``version``) stores the state, the
   new ``published`` and each new transition in the parcel's ``pending`` map, *claimed*
   by this attempt for :data:`LEASE`. Of two handlers folding at once, only one records;
   the other folds again on top of what the winner recorded and finds nothing new.
3. **Publish.** Pending transitions are handled in the order they were recorded: queue
   the mail (idempotent outbox key), publish to SNS, remove the entry (conditional on
   still holding the claim). A transition claimed by another attempt is taken over only
   once its lease has run out; while it is held, this record fails and is retried, so
   nothing is published out of order. A failed publish gives its claim back at once.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.messages import Message
from chalicelib.domain.shipment_messages import mail_context, mail_key, topic_message
from chalicelib.domain.times import iso, parse_iso
from chalicelib.domain.tracking import ParcelState, fold
from chalicelib.domain.tracking_publish import PublishedState, advance, mail_kind
from chalicelib.services.exceptions import ClaimHeld, StaleWrite
from chalicelib.services.retry import retry_throttled
from chalicelib.services.shipments import ShipmentDeps, survey_url, tracking_url

LEASE = timedelta(seconds=10)
ATTEMPTS = 5


@dataclass(frozen=True)
class Refreshed:
    """What one refresh did."""

    registered: bool
    recorded: int
    published: tuple[str, ...]
    mails: tuple[str, ...]


def _state_json(state: Any) -> str:
    return json.dumps(state.to_dict(), ensure_ascii=False, separators=(",", ":"))


def refresh(tracking_number: str, deps: ShipmentDeps) -> Refreshed:
    """Bring the parcel's stored state and its publications up to date with its scans.

    Raises
    ------
    ClaimHeld
        Another attempt holds an unexpired claim on a pending transition (retry later).
    StaleWrite
        The parcel kept changing under us for :data:`ATTEMPTS` tries (retry later).
    """
    me = uuid.uuid4().hex
    for _ in range(ATTEMPTS):
        parcel, scans = deps.shipments.load(tracking_number)
        if parcel is None:
            return Refreshed(False, 0, (), ())  # kept until the store registers the parcel
        state = fold(scans)
        publication = advance(PublishedState.from_dict(parcel.get("published")), state)
        version = int(parcel.get("version", 0))
        now = deps.clock.now()
        new_pending: dict[str, dict[str, Any]] = {}
        for index, transition in enumerate(publication.transitions):
            new_pending[transition.key] = {
                "seq": version * 1000 + index,
                "message": topic_message(tracking_number, parcel.get("order_id"), transition),
                "mail": mail_kind(transition),
                "claim": me,
                "until": iso(now + LEASE),
            }
        state_json = _state_json(state)
        if new_pending or state_json != parcel.get("state"):
            try:
                deps.shipments.record_fold(
                    tracking_number,
                    version,
                    state.to_dict(),
                    publication.published.to_dict(),
                    new_pending,
                )
            except StaleWrite:
                continue
        pending = {**(parcel.get("pending") or {}), **new_pending}
        published, mails = _publish_pending(parcel, pending, state, me, deps)
        return Refreshed(True, len(new_pending), published, mails)
    raise StaleWrite()


def _publish_pending(
    parcel: dict[str, Any],
    pending: dict[str, dict[str, Any]],
    state: ParcelState,
    me: str,
    deps: ShipmentDeps,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tracking_number = parcel["tracking_number"]
    published: list[str] = []
    mails: list[str] = []
    for key, entry in sorted(pending.items(), key=lambda pair: int(pair[1]["seq"])):
        now = deps.clock.now()
        if entry.get("claim") != me:
            if parse_iso(str(entry["until"])) > now:
                raise ClaimHeld()
            if not deps.shipments.take_over(tracking_number, key, entry, me, iso(now + LEASE)):
                raise ClaimHeld()
        try:
            if entry.get("mail"):
                queued = _queue_mail(parcel, key, entry, state, deps, now)
                if queued:
                    mails.append(queued)
            deps.publisher.publish(entry["message"])
        except Exception:
            deps.shipments.release(tracking_number, key, me)
            raise
        # published: losing this write would publish again, so retry it through throttling
        retry_throttled(lambda: deps.shipments.mark_published(tracking_number, key, me))  # noqa: B023
        published.append(key)
    return tuple(published), tuple(mails)


def _queue_mail(
    parcel: dict[str, Any],
    key: str,
    entry: dict[str, Any],
    state: ParcelState,
    deps: ShipmentDeps,
    now: datetime,
) -> str | None:
    customer_id = parcel.get("customer_id")
    profile = deps.customers.get(customer_id) if customer_id else None
    if profile is None:
        return None
    kind = str(entry["mail"])
    tracking_number = parcel["tracking_number"]
    survey = None
    asks = kind == "delivered" and profile.consents.allows("surveys")
    if asks and not _monthly_survey_this_week(profile.customer_id, deps, now):
        survey = survey_url(deps, tracking_number, now)
    message_key = mail_key(tracking_number, kind, key)
    message = Message.transactional(
        profile,
        message_key,
        kind,
        iso(now),
        mail_context(
            entry["message"],
            state,
            parcel.get("carrier"),
            profile.time_zone,
            tracking_url(deps, tracking_number, parcel["registered_at"]),
            survey,
            profile.locale,
            parcel.get("promised_delivery"),
        ),
        parcel.get("correlation_id"),
    )
    deps.outbox.enqueue(message)
    return message_key


MONTHLY_SURVEY = "satisfaction_survey"


def _monthly_survey_this_week(customer_id: str, deps: ShipmentDeps, now: datetime) -> bool:
    """Whether the month's satisfaction survey went out (or waits) in the last 7 days: then
    the delivery letter asks nothing more, never two surveys in one week."""
    recent = deps.outbox.recent_mail(customer_id, now - timedelta(days=7))
    return any(mail.template == MONTHLY_SURVEY for mail in recent)
