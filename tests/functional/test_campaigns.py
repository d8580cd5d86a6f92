"""Product-update campaigns through the API, the orders and messages streams and the mailer."""

from __future__ import annotations

from collections import Counter

from tests.functional.campaign_fixtures import (
    SKU,
    buy,
    campaign,
    message_log,
    no_quiet_hours,
    post,
    refund,
    signup,
)
from tests.functional.conftest import ADMIN, Stack

BUYERS = ["c-en", "c-zh", "c-twice", "c-refunded", "c-no-consent", "c-other"]


def _past_buyers(stack: Stack) -> None:
    """Two orders each (loyal: the marketing gate lets them through), of the sku or not."""
    no_quiet_hours(stack)
    signup(stack, "c-en")
    signup(stack, "c-zh", locale="zh-CN")
    signup(stack, "c-twice")
    signup(stack, "c-refunded")
    signup(stack, "c-no-consent", marketing=False)
    signup(stack, "c-other")
    for cid in BUYERS:
        buy(stack, f"{cid}-other", cid, sku="CUP-9", name="Tea cup")
    for cid in ("c-en", "c-zh", "c-twice", "c-refunded", "c-no-consent"):
        buy(stack, f"{cid}-kettle", cid)
    buy(stack, "c-twice-kettle-2", "c-twice")
    stack.pump()
    refund(stack, "c-refunded-kettle")


def test_a_campaign_reaches_each_past_buyer_once_in_their_language(stack: Stack) -> None:
    _past_buyers(stack)
    created = post(stack, campaign())
    assert created.status_code == 201, created.body
    assert created.headers["Location"] == "/v1/admin/campaigns/kettle-v2"
    stack.pump()
    mails = [m for m in stack.mails() if m["headers"].get("X-Rapport-Message") == "product_update"]
    to = Counter(address for mail in mails for address in mail["to"])
    assert sorted(to) == [
        "C-EN <c-en@example.com>",
        "C-TWICE <c-twice@example.com>",
        "C-ZH <c-zh@example.com>",
    ]
    assert set(to.values()) == {1}
    by_address = {mail["to"][0]: mail for mail in mails}
    english = by_address["C-EN <c-en@example.com>"]
    assert english["subject"] == "Your kettle has a new lid"
    assert "because you bought Clay kettle from" in english["text"]
    assert "keeps tea hot &lt;longer&gt;." in english["html"]
    assert "<longer>" not in english["html"]
    assert english["headers"].get("List-Unsubscribe")
    chinese = by_address["C-ZH <c-zh@example.com>"]
    assert chinese["subject"] == "您的紫砂壶有了新壶盖"
    assert "新壶盖保温更久。" in chinese["text"] and "购买过 Clay kettle。" in chinese["text"]
    assert "Your kettle" not in chinese["text"]


def test_the_counts_equal_the_message_log(stack: Stack) -> None:
    _past_buyers(stack)
    post(stack, campaign())
    stack.pump()
    stack.pump()
    view = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    log = message_log(stack, BUYERS, "kettle-v2")
    statuses = Counter(item["status"]["S"] for item in log.values())
    reasons = Counter(
        item["reason"]["S"] for item in log.values() if item["status"]["S"] == "suppressed"
    )
    assert sorted(log) == ["c-en", "c-no-consent", "c-twice", "c-zh"]  # refunded: not reached
    assert view["status"] == "done"
    assert view["recipients"] == len(log) == 4
    assert view["sent"] == statuses["sent"] == 3
    assert (
        view["suppressed"]
        == {
            "total": statuses["suppressed"],
            "by_reason": dict(reasons),
        }
        == {"total": 1, "by_reason": {"no_consent_marketing": 1}}
    )
    assert view["deferred"] == statuses["deferred"] == 0
    assert view["failed"] == statuses["failed"] == 0
    assert view["sku"] == SKU and view["kind"] == "product_update"
