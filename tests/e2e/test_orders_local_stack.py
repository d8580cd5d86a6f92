"""Orders through the local stack over HTTP: confirmation, points, referral, the nightly job."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = pytest.mark.e2e


def order(oid: str, cid: str, day: int, total: int = 8_800) -> dict[str, Any]:
    return {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": f"2026-10-{day:02d}T09:30:00+08:00",
        "currency": "CNY",
        "payment_method": "cash_on_delivery",
        "total": total,
        "lines": [
            {
                "sku": "OOLONG",
                "name": "Oolong tea",
                "category": "tea",
                "quantity": 1,
                "unit_price": total,
            }
        ],
    }


def test_orders_make_the_profile_richer_end_to_end(local_stack: RunningStack) -> None:
    s = local_stack
    assert (
        s.request(
            "POST",
            "/v1/signups",
            {"customer_id": "e-ref", "email": "eref@example.com", "name": "Lan"},
        ).status
        == 201
    )
    assert (
        s.request(
            "POST",
            "/v1/signups",
            {
                "customer_id": "e-new",
                "email": "enew@example.com",
                "name": "Wei",
                "referred_by": "e-ref",
                "locale": "zh-CN",
            },
        ).status
        == 201
    )
    for n, day in enumerate((3, 12, 25)):
        assert s.request("POST", "/v1/orders", order(f"e-o{n}", "e-new", day)).status == 201
    assert s.request("PATCH", "/v1/orders/e-o0", {"status": "paid"}).status == 200
    profile = wait_for(
        lambda: (p := s.request("GET", "/v1/customers/e-new").body)["stats"]["orders"] == 3
        and p["points"] > 0
        and p
    )
    assert profile["stats"]["spent"] == 26_400 and profile["stats"]["currency"] == "CNY"
    assert profile["points"] == 88 and profile["loyalty"] == "loyal"
    assert wait_for(lambda: s.request("GET", "/v1/customers/e-ref").body["points"] == 500)
    mails = wait_for(
        lambda: [m for m in s.mails() if "e-o" in m["subject"]]
        if len([m for m in s.mails() if "e-o" in m["subject"]]) == 3
        else None
    )
    assert mails and all("货到付款" in m["text"] for m in mails)
    thanks = wait_for(lambda: [m for m in s.mails() if "Thank you for bringing" in m["subject"]])
    assert len(thanks) == 1
    run = s.run_job("customer-value", {"as_of": "2026-11-01"})
    assert run["result"]["customers"] >= 2
    # a store this small has no CLV fit: its segments are listed all the same, and counted
    # as the customers stream sees the rescored profiles
    assert run["result"]["clv"] == "not enough data"
    scored = sum(run["result"]["segments"].values())
    counts = wait_for(
        lambda: (c := s.request("GET", "/v1/admin/segments", key=ADMIN_KEY).body)
        and sum(e["customers"] for e in c["segments"]) == scored
        and c
    )
    assert counts and scored > 0 and counts["total"] >= scored
    assert run["attempt"] == 1
