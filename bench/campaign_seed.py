"""50,000 past buyers of one sku, written straight into the local stack's moto.

Posting 50,000 signups and orders through the API would take the better part of an hour
here, so the buyers are written the way an import's history lands: ``BatchWriteItem``
(25 items a request, ``UnprocessedItems`` sent again) of the items the app itself would
store, built by the app's own code: the profile from a validated signup
(``parse_signup``) stored by :func:`chalicelib.adapters.profile_items.stored_profile_item`
marked with an ``import_id`` (the customers stream sends imported profiles no welcome
letter), and one purchase item per order of the sku
(:func:`chalicelib.adapters.purchases.purchase_item`, the ``sku-buyers`` index).

The audience is mixed so that the policy has something to decide: both locales, some
buyers without ``marketing`` consent, some whose address bounced or complained, some
who bought the sku twice (two purchase items, one message), and customers who bought
another sku only (not in the audience). :class:`Audience` says what the campaign's
counts must come to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.profile_items import stored_profile_item
from chalicelib.adapters.purchases import purchase_item
from chalicelib.domain.profile import Profile, Stats
from chalicelib.domain.signup import parse_signup, signup_digest
from infra.resources import CUSTOMERS, ORDERS

SKU, OTHER_SKU = "BENCH-KETTLE", "BENCH-CUP"
PRODUCT = "Clay kettle"
IMPORT_ID = "bench-history"
BOUGHT_AT = "2026-10-01T01:30:00+00:00"
BATCH_WRITE_ITEMS = 25
WRITERS = 4
EVERY = {"no_consent_marketing": 17, "address_bounced": 29, "address_complained": 41}
"""One buyer in ``n`` of each kind is suppressed for that reason (first match wins)."""
TWICE_EVERY, OTHER_BUYERS_EVERY = 20, 50


@dataclass
class Audience:
    """What the seeded buyers make of the campaign."""

    buyers: int = 0
    purchase_items: int = 0
    others: int = 0
    locales: Counter[str] = field(default_factory=Counter)
    suppressed: Counter[str] = field(default_factory=Counter)

    @property
    def deliverable(self) -> int:
        """Buyers the policy lets the mail go to."""
        return self.buyers - sum(self.suppressed.values())


def _reason(n: int) -> str | None:
    return next((reason for reason, every in EVERY.items() if n % every == 0), None)


def _profile(n: int, now: datetime) -> tuple[Profile, str]:
    """The imported profile of buyer ``n`` (a validated signup) and its signup digest."""
    reason = _reason(n)
    request = parse_signup(
        {
            "customer_id": f"cb-{n:06d}",
            "email": f"cb-{n:06d}@example.com",
            "name": f"买家{n}" if n % 2 else f"Buyer {n}",
            "locale": "zh-CN" if n % 2 else "en",
            "consents": {"marketing": reason != "no_consent_marketing"},
        },
        now,
    )
    status = {"address_bounced": "bounced", "address_complained": "complained"}.get(reason or "")
    stats = Stats(orders=1, spent=9_900, currency="CNY", first_order_at=BOUGHT_AT)
    profile = request.to_profile(now).with_changes(
        email_status=status or "ok", stats=stats, purchased=(SKU,)
    )
    return profile, signup_digest(request)


def items(buyers: int, now: datetime, audience: Audience) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(table, item)`` for every seeded item, and the audience they make."""
    from chalicelib.adapters import codec

    for n in range(buyers + buyers // OTHER_BUYERS_EVERY):
        profile, digest = _profile(n, now)
        yield (
            CUSTOMERS.name,
            codec.to_item(stored_profile_item(profile, digest, None, IMPORT_ID)),
        )
        cid = profile.customer_id
        if n >= buyers:  # bought the other sku only
            audience.others += 1
            yield ORDERS.name, purchase_item(f"co-{n}", cid, OTHER_SKU, "Cup", BOUGHT_AT)
            continue
        audience.buyers += 1
        audience.locales[profile.locale] += 1
        reason = _reason(n)
        if reason:
            audience.suppressed[reason] += 1
        for order in range(2 if n % TWICE_EVERY == 0 else 1):
            audience.purchase_items += 1
            yield ORDERS.name, purchase_item(f"co-{n}-{order}", cid, SKU, PRODUCT, BOUGHT_AT)


def _write(client: Any, batch: list[tuple[str, dict[str, Any]]]) -> None:
    request: dict[str, Any] = {}
    for table, item in batch:
        request.setdefault(table, []).append({"PutRequest": {"Item": item}})
    while request:
        request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}


def seed(client: Any, buyers: int) -> Audience:
    """Write the buyers into moto through ``client`` (``WRITERS`` requests at once)."""
    audience = Audience()
    batch: list[tuple[str, dict[str, Any]]] = []
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = []
        for entry in items(buyers, datetime.now(UTC), audience):
            batch.append(entry)
            if len(batch) == BATCH_WRITE_ITEMS:
                futures.append(pool.submit(_write, client, batch))
                batch = []
        if batch:
            futures.append(pool.submit(_write, client, batch))
        for future in futures:
            future.result()
    return audience
