"""A product-update campaign through the local stack: past buyers get it, in their language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = pytest.mark.e2e

SKU = "E2E-KETTLE"


def _order(oid: str, cid: str, sku: str, name: str, day: int) -> dict[str, Any]:
    line = {"sku": sku, "name": name, "category": "tea", "quantity": 1, "unit_price": 9900}
    return {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": f"2026-10-{day:02d}T09:30:00+08:00",
        "currency": "CNY",
        "payment_method": "card",
        "total": 9900,
        "lines": [line],
    }


def _buyers(s: RunningStack) -> None:
    quiet_off = {"quiet_hours_start": 0, "quiet_hours_end": 0}
    assert s.request("PUT", "/v1/admin/settings/store", quiet_off, key=ADMIN_KEY).status == 200
    people = (("k-en", "en", "Ana"), ("k-zh", "zh-CN", "安娜"), ("k-gone", "en", "Bo"))
    for cid, locale, name in people:
        signup = {
            "customer_id": cid,
            "email": f"{cid}@example.com",
            "name": name,
            "locale": locale,
            "consents": {"marketing": True},
        }
        assert s.request("POST", "/v1/signups", signup).status == 201
        assert s.request("POST", "/v1/orders", _order(f"{cid}-1", cid, "CUP", "Cup", 3)).status
        assert s.request("POST", "/v1/orders", _order(f"{cid}-2", cid, SKU, "紫砂壶", 9)).status
    for status in ("paid", "refunded"):
        assert s.request("PATCH", "/v1/orders/k-gone-2", {"status": status}).status == 200


def test_a_campaign_reaches_past_buyers_in_the_mail_viewer(local_stack: RunningStack) -> None:
    s = local_stack
    _buyers(s)
    wait_for(lambda: len(s.mails()) >= 9, timeout=60)  # welcome and confirmations first
    body = {
        "campaign_id": "e2e-kettle",
        "kind": "product_update",
        "sku": SKU,
        "subject": {"en": "Your kettle has a new lid", "zh-CN": "您的紫砂壶有了新壶盖"},
        "body": {"en": "The new lid keeps tea hot.", "zh-CN": "新壶盖保温更久。"},
    }

    def campaign_mails() -> list[dict[str, Any]]:
        return [m for m in s.mails() if m["headers"].get("X-Rapport-Message") == "product_update"]

    def refunded_out() -> bool:
        dry = s.request("POST", "/v1/admin/campaigns", {**body, "dry_run": True}, key=ADMIN_KEY)
        return dry.status == 200 and dry.body["recipients"] == 2

    assert wait_for(refunded_out, timeout=60)  # the refund reached the sku index
    created = s.request("POST", "/v1/admin/campaigns", body, key=ADMIN_KEY)
    assert created.status == 201, created.body
    mails = wait_for(lambda: len(campaign_mails()) >= 2 and campaign_mails(), timeout=60)
    by_address = {m["to"][0].split("<")[-1].rstrip(">"): m for m in mails}
    assert sorted(by_address) == ["k-en@example.com", "k-zh@example.com"]
    assert by_address["k-en@example.com"]["subject"] == "Your kettle has a new lid"
    assert "because you bought 紫砂壶" in by_address["k-en@example.com"]["text"]
    chinese = by_address["k-zh@example.com"]
    assert chinese["subject"] == "您的紫砂壶有了新壶盖"
    assert "新壶盖保温更久。" in chinese["text"] and "购买过紫砂壶。" in chinese["text"]

    def done() -> Any:
        view = s.request("GET", "/v1/admin/campaigns/e2e-kettle", key=ADMIN_KEY).body
        return view if view.get("status") == "done" else None

    view = wait_for(done, timeout=30)
    assert view and (view["recipients"], view["sent"]) == (2, 2)
    assert len(campaign_mails()) == 2
