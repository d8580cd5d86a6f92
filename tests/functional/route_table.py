"""The example requests, one or more per documented operation, in the order they run.

Later rows may depend on earlier ones (a redemption after the order was paid); the
destructive ones (erasure, key revocation) come last. A new route adds its rows here.
"""

from __future__ import annotations

import json

from tests.functional.route_examples import FORM, TRACKING, Call, World
from tests.functional.route_features import (
    campaign_calls,
    engagement_calls,
    import_and_metrics_calls,
)
from tests.functional.shipment_fixtures import signature
from tests.functional.test_orders import order

C = "/v1/admin/customers"
ONE = "/v1/admin/customers/{customer_id}"
RUNS = "/v1/admin/jobs/{name}/runs"
TICKET = "/v1/admin/support-messages/{ticket_id}"


def _signed(events: list[dict[str, object]]) -> Call:
    raw = json.dumps({"events": events}).encode()
    return Call(
        "POST", "/v1/carrier-events", "/v1/carrier-events", body=raw,
        headers={"X-Rapport-Signature": signature(raw)},
    )  # fmt: skip


def store_calls(world: World) -> list[Call]:
    """The store's and the public routes."""
    t = world.tokens
    signup = {"customer_id": "c-new", "email": "new@example.com", "name": "Neu"}
    scan: dict[str, object] = {"event_id": "x-1", "tracking_number": TRACKING,
            "status": "delivered", "occurred_at": "2026-11-30T10:00:00+00:00"}  # fmt: skip
    refund = {"return_id": "r-1", "order_id": "o-1", "kind": "refund", "reason": "too big",
              "lines": [{"sku": "TEA-1", "quantity": 1}]}  # fmt: skip
    question = {"message_id": "m-1", "customer_id": "c-1", "subject": "Thanks",
                "body": "It arrived.", "channel": "email"}  # fmt: skip
    return [
        Call("GET", "/v1/health", "/v1/health"),
        Call("POST", "/v1/signups", "/v1/signups", "store", signup, expect=201),
        Call("GET", "/v1/customers/{customer_id}", "/v1/customers/c-1", "store"),
        Call(
            "PATCH",
            "/v1/customers/{customer_id}",
            "/v1/customers/c-1",
            "store",
            {"name": "Ana Lima"},
        ),  # fmt: skip
        Call("GET", "/v1/preferences", f"/v1/preferences?t={t['preferences']}"),
        Call(
            "POST",
            "/v1/preferences",
            f"/v1/preferences?t={t['preferences']}",
            body={"consents": {"marketing": True}},
        ),  # fmt: skip
        Call(
            "POST",
            "/v1/unsubscribe",
            f"/v1/unsubscribe?t={t['unsubscribe']}",
            body=b"List-Unsubscribe=One-Click",
            content_type=FORM,
        ),  # fmt: skip
        Call("POST", "/v1/orders", "/v1/orders", "store", order("o-2", "c-1"), expect=201),
        Call("GET", "/v1/orders/{order_id}", "/v1/orders/o-1", "store"),
        Call("PATCH", "/v1/orders/{order_id}", "/v1/orders/o-2", "store", {"status": "paid"}),
        Call(
            "POST",
            "/v1/customers/{customer_id}/points/redemptions",
            "/v1/customers/c-1/points/redemptions",
            "store",
            {"redemption_id": "p-1", "points": 10, "reason": "sample"},
            expect=201,
        ),  # fmt: skip
        Call(
            "GET",
            "/v1/customers/{customer_id}/recommendations",
            "/v1/customers/c-1/recommendations",
            "store",
        ),  # fmt: skip
        Call(
            "POST",
            "/v1/shipments",
            "/v1/shipments",
            "store",
            {"tracking_number": "1Z-2", "carrier": "fedex", "order_id": "o-2"},
            expect=201,
        ),  # fmt: skip
        _signed([scan]),
        *engagement_calls(world),
        Call("GET", "/v1/track/{tracking_number}", f"/v1/track/{TRACKING}?t={t['track']}"),
        Call("GET", "/v1/surveys", f"/v1/surveys?t={t['survey']}"),
        Call(
            "POST", "/v1/surveys", f"/v1/surveys?t={t['survey']}", body={"score": 5}, expect=201
        ),  # fmt: skip
        Call("POST", "/v1/returns", "/v1/returns", "store", refund, expect=201),
        Call(
            "POST", "/v1/support-messages", "/v1/support-messages", "store", question, expect=201
        ),  # fmt: skip
        Call(
            "POST",
            "/v1/preferences/export",
            f"/v1/preferences/export?t={t['preferences']}",
            expect=202,
        ),  # fmt: skip
        Call(
            "POST",
            "/v1/preferences/erasure",
            f"/v1/preferences/erasure?t={t['preferences']}",
            expect=202,
        ),  # fmt: skip
        Call("GET", "/v1/privacy/export", f"/v1/privacy/export?t={t['export']}"),
        Call("GET", "/v1/privacy/erasure", f"/v1/privacy/erasure?t={t['erasure']}"),
    ]


def customer_list_calls() -> list[Call]:
    """Every list of ``GET /v1/admin/customers`` and of one customer."""
    queries = ("email=c-1@example.com", "reachable=false", "tier=1", "loyalty=loyal",
               "segment=champions", "top=clv", "top=spend",
               "signed_up_from=2026-01-01&signed_up_to=2030-12-31", "q=an")  # fmt: skip
    lists = [Call("GET", C, f"{C}?{query}", "admin") for query in queries]
    for tail in ("messages", "timeline", "orders", "shipments"):
        lists.append(Call("GET", f"{ONE}/{tail}", f"{C}/c-1/{tail}?limit=2", "admin"))
    return [Call("GET", ONE, f"{C}/c-1", "admin"), *lists]


def admin_calls(world: World) -> list[Call]:
    """The admin routes, destructive ones last."""
    settings = "/v1/admin/settings/store"
    value = "/v1/admin/settings/customer-value"
    run = f"/v1/admin/jobs/deferred-mail/runs/{world.run_id}"
    reply = {"reply_id": "re-1", "body": "On its way.", "close": False}
    return [
        *customer_list_calls(),
        Call("GET", "/v1/admin/messages", "/v1/admin/messages?status=sent", "admin"),
        *campaign_calls(),
        *import_and_metrics_calls(world),
        Call("GET", settings, settings, "admin"),
        Call("PUT", settings, settings, "admin", {"store_name": "Tea House"}),
        Call("GET", value, value, "admin"),
        Call("PUT", value, value, "admin", {}),
        Call(
            "POST", "/v1/admin/jobs/{name}", "/v1/admin/jobs/deferred-mail", "admin", {}, expect=202
        ),  # fmt: skip
        Call("GET", f"{RUNS}/{{run_id}}", run, "admin"),
        Call("GET", RUNS, "/v1/admin/jobs/deferred-mail/runs?limit=1", "admin"),
        Call("GET", "/v1/admin/models/clv", "/v1/admin/models/clv", "admin", expect=404),
        Call("GET", "/v1/admin/models/rfm", "/v1/admin/models/rfm", "admin", expect=404),
        Call("GET", "/v1/admin/segments", "/v1/admin/segments", "admin"),
        Call(
            "GET",
            "/v1/admin/segments/{segment}/customers",
            "/v1/admin/segments/champions/customers",
            "admin",
        ),  # fmt: skip
        Call(
            "GET",
            "/v1/admin/loyalty/{loyalty}/customers",
            "/v1/admin/loyalty/loyal/customers",
            "admin",
        ),  # fmt: skip
        Call(
            "GET", "/v1/admin/support-messages", "/v1/admin/support-messages?status=open", "admin"
        ),  # fmt: skip
        Call("GET", TICKET, f"/v1/admin/support-messages/{world.ticket_id}", "admin"),
        Call(
            "POST",
            f"{TICKET}/replies",
            f"/v1/admin/support-messages/{world.ticket_id}/replies",
            "admin",
            reply,
            expect=201,
        ),  # fmt: skip
        Call(
            "GET",
            "/v1/admin/support-metrics",
            "/v1/admin/support-metrics?from=2026-11-01&to=2026-12-31",
            "admin",
        ),  # fmt: skip
        Call(
            "POST",
            "/v1/admin/keys",
            "/v1/admin/keys",
            "admin",
            {"name": "reporting", "role": "viewer"},
            expect=201,
        ),  # fmt: skip
        Call("GET", "/v1/admin/keys", "/v1/admin/keys", "admin"),
        Call("GET", f"{ONE}/export", f"{C}/c-1/export", "admin"),
        Call(
            "DELETE",
            "/v1/admin/keys/{key_id}",
            f"/v1/admin/keys/{world.key_id}",
            "admin",
            expect=204,
        ),  # fmt: skip
        Call("DELETE", ONE, f"{C}/c-gone", "admin"),
    ]


def examples(world: World) -> list[Call]:
    """Every example, in order: the store's, the admin's, then the customer's own erasure."""
    erasure = world.tokens["erasure"]
    last = Call("POST", "/v1/privacy/erasure", f"/v1/privacy/erasure?t={erasure}")
    return [*store_calls(world), *admin_calls(world), last]
