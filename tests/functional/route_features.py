"""The example requests of the engagement, campaign, import and metrics routes.

Rows of tests/functional/route_table.py (which orders them): they run on its world,
after the orders o-1 (delivered) and o-2 of c-1 exist.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.times import iso
from tests.functional.campaign_fixtures import campaign
from tests.functional.route_examples import Call, World

CAMPAIGNS = "/v1/admin/campaigns"
ONE_CAMPAIGN = "/v1/admin/campaigns/{campaign_id}"
TEA = {"sku": "TEA-1", "name": "Jasmine tea", "category": "tea", "quantity": 1, "unit_price": 3000}


def engagement_calls(world: World) -> list[Call]:
    """A cart change; a written review of the delivered o-1, its coupon redeemed on o-2."""
    cart = {"event_id": "e-1", "customer_id": "c-1", "type": "cart_updated",
            "occurred_at": iso(datetime.now(UTC) - timedelta(hours=2)), "items": [TEA]}  # fmt: skip
    review = {"review_id": "rv-1", "customer_id": "c-1", "order_id": "o-1", "rating": 5,
              "text": "The tea smells of spring."}  # fmt: skip
    redeem = "/v1/coupons/{code}/redemptions"
    return [
        Call("POST", "/v1/events", "/v1/events", "store", cart, expect=201),
        Call("POST", "/v1/reviews", "/v1/reviews", "store", review, expect=201),
        Call("POST", redeem, redeem.format(code=world.coupon_code), "store", {"order_id": "o-2"}),
    ]


def campaign_calls() -> list[Call]:
    """One sent at once to TEA-1's buyers (c-1), a dry run, one scheduled and cancelled."""
    now = campaign("walk-tea", sku="TEA-1")
    later = campaign("walk-later", sku="TEA-1", send_at=iso(datetime.now(UTC) + timedelta(hours=2)))
    dry = campaign("walk-dry", sku="TEA-1", dry_run=True)
    return [
        Call("POST", CAMPAIGNS, CAMPAIGNS, "admin", now, expect=201),
        Call("POST", CAMPAIGNS, CAMPAIGNS, "admin", dry),
        Call("POST", CAMPAIGNS, CAMPAIGNS, "admin", later, expect=201),
        Call("GET", CAMPAIGNS, f"{CAMPAIGNS}?limit=2", "admin"),
        Call("GET", ONE_CAMPAIGN, f"{CAMPAIGNS}/walk-tea", "admin"),
        Call("POST", f"{ONE_CAMPAIGN}/cancel", f"{CAMPAIGNS}/walk-later/cancel", "admin"),
    ]


def import_and_metrics_calls(world: World) -> list[Call]:
    """A new import (its upload link), the world's finished one, a week of figures."""
    created = {"import_id": "walk-orders", "kind": "orders", "format": "jsonl"}
    today = datetime.now(UTC).date()
    week = f"from={today - timedelta(days=6)}&to={today + timedelta(days=1)}"
    one = "/v1/admin/imports/{import_id}"
    return [  # the one just created, then the world's finished one (its rejects link)
        Call("POST", "/v1/admin/imports", "/v1/admin/imports", "admin", created, expect=201),
        Call("GET", one, "/v1/admin/imports/walk-orders", "admin"),
        Call("GET", one, f"/v1/admin/imports/{world.import_id}", "admin"),
        Call("GET", "/v1/admin/metrics", f"/v1/admin/metrics?{week}", "admin"),
        Call("GET", "/v1/admin/metrics", f"/v1/admin/metrics?{week}&granularity=week", "admin"),
    ]
