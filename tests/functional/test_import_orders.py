"""Order history imports: folded once per customer, no mail, idempotent, live orders once."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import bootstrap
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.import_helpers import deliver, jsonl, order_row, rejects, run

PEOPLE = jsonl(
    {"customer_id": "c-1", "email": "c1@example.com", "locale": "zh-CN"},
    {"customer_id": "c-3", "email": "c3@example.com", "referred_by": "c-1"},
)
PAID_AT = "2026-06-01T12:00:00Z"
HISTORY = jsonl(
    order_row("o-1", "c-1", "2024-01-10T10:00:00Z", 600_000, status="paid"),
    order_row("o-2", "c-1", "2026-06-01T10:00:00Z", 250_000, status="fulfilled", paid_at=PAID_AT),
    order_row("o-3", "c-1", "2026-07-01T10:00:00Z", 5_000, status="cancelled"),
    order_row("o-4", "c-3", "2026-08-01T10:00:00Z", 20_000, status="paid"),
    order_row("o-5", "nobody", "2026-08-01T10:00:00Z"),
    {**order_row("o-6", "c-1", "2026-08-01T10:00:00Z"), "total": 1},
)


def profile(stack: Stack, cid: str) -> dict[str, Any]:
    answer: dict[str, Any] = stack.http.get(f"/v1/customers/{cid}", headers=STORE).json_body
    return answer


def _imported_history(stack: Stack) -> dict[str, Any]:
    assert run(stack, "people", "customers", "jsonl", PEOPLE)["imported"] == 2
    return run(stack, "history", "orders", "jsonl", HISTORY)


def test_history_is_folded_into_stats_tier_and_points_without_any_mail(stack: Stack) -> None:
    done = _imported_history(stack)
    assert (done["rows"], done["imported"], done["skipped"], done["rejected"]) == (6, 4, 0, 2)
    assert [r[:2] for r in rejects(stack, "history")[1:]] == [
        ["5", "customer_id"],
        ["6", "total"],
    ]
    stack.pump()
    assert stack.mails() == []  # no confirmation, no tier promotion, no referral reward
    first = profile(stack, "c-1")
    assert first["stats"]["orders"] == 2 and first["stats"]["spent"] == 850_000
    assert first["stats"]["first_order_at"].startswith("2024-01-10")
    assert first["tier"] == 3  # the trailing 12 months: 2,500 yuan (o-1 is older)
    assert first["points"] == 7_500 + 3_125  # both paid orders at 1.25 points per yuan
    assert profile(stack, "c-3")["points"] == 200  # and no referral bonus for c-1
    order = stack.http.get("/v1/orders/o-2", headers=STORE).json_body
    assert order["status"] == "fulfilled"
    assert [h["status"] for h in order["status_history"]] == ["placed", "paid", "fulfilled"]


def test_the_same_file_twice_imports_nothing_twice(stack: Stack) -> None:
    _imported_history(stack)
    before = profile(stack, "c-1")
    again = deliver(stack, "history", HISTORY)
    assert (again["imported"], again["skipped"], again["rejected"]) == (0, 4, 2)
    other = run(stack, "history-copy", "orders", "jsonl", HISTORY)
    assert (other["imported"], other["skipped"]) == (0, 4)
    after = profile(stack, "c-1")
    assert (after["stats"], after["points"]) == (before["stats"], before["points"])


def test_imported_orders_live_on_through_the_api(stack: Stack) -> None:
    _imported_history(stack)
    refund = {"status": "refunded"}
    assert (
        stack.http.patch("/v1/orders/o-2", headers=STORE, body=json.dumps(refund)).status_code
        == 200
    )
    stack.pump()
    after = profile(stack, "c-1")
    assert after["stats"]["orders"] == 1 and after["stats"]["spent"] == 600_000
    assert after["points"] == 7_500  # the refund took back what o-2 earned in the import
    live = order_row("o-9", "c-1", "2026-11-30T10:00:00Z", 1_000)
    assert stack.http.post("/v1/orders", headers=STORE, body=json.dumps(live)).status_code == 201
    stack.pump()
    stack.pump()
    assert [m["headers"].get("X-Rapport-Message") for m in stack.mails()] == ["order_confirmation"]


def test_customers_start_at_zero_points_when_the_store_says_so(stack: Stack) -> None:
    setting = json.dumps({"import_points": "zero"})
    assert (
        stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=setting).status_code == 200
    )
    _imported_history(stack)
    assert profile(stack, "c-1")["points"] == 0
    assert profile(stack, "c-1")["stats"]["orders"] == 2


class LiveOrderMeanwhile:
    """The real history writer; a live order is placed (and counted) before its first fold."""

    def __init__(self, stack: Stack, writer: Any) -> None:
        self._stack = stack
        self._writer = writer
        self.folds = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)

    def commit_folds(self, folds: list[Any]) -> set[str]:
        self.folds += 1
        if self.folds == 1:
            live = order_row("o-live", "c-1", "2026-11-30T10:00:00Z", 7_000)
            posted = self._stack.http.post("/v1/orders", headers=STORE, body=json.dumps(live))
            assert posted.status_code == 201
            self._stack.pump()
        refused: set[str] = self._writer.commit_folds(folds)
        return refused


def test_an_order_placed_through_the_api_during_the_import_counts_once(stack: Stack) -> None:
    assert run(stack, "people", "customers", "jsonl", PEOPLE)["imported"] == 2
    deps = bootstrap.container().imports
    meanwhile = LiveOrderMeanwhile(stack, deps.history.writer)
    object.__setattr__(deps.history, "writer", meanwhile)
    done = run(stack, "history", "orders", "jsonl", HISTORY)
    assert done["imported"] == 4 and meanwhile.folds == 2  # refused once, folded again
    first = profile(stack, "c-1")
    assert first["stats"]["orders"] == 3 and first["stats"]["spent"] == 857_000


def test_shopify_exports_import_and_feed_the_nightly_jobs(stack: Stack) -> None:
    from tests.functional.conftest import run_job
    from tests.unit.domain.shopify_exports import CUSTOMERS_CSV, ORDERS_CSV

    people = run(stack, "shop-c", "customers", "shopify_customers_csv", CUSTOMERS_CSV.encode())
    assert (people["status"], people["imported"], people["rejected"]) == ("done", 2, 0)
    li = profile(stack, "7353446383901")
    assert li["consents"]["marketing"] is True
    orders = run(stack, "shop-o", "orders", "shopify_orders_csv", ORDERS_CSV.encode())
    assert (orders["rows"], orders["imported"], orders["rejected"]) == (2, 2, 0)
    stack.pump()
    assert stack.mails() == []
    li = profile(stack, "7353446383901")
    assert li["stats"]["orders"] == 1 and li["stats"]["spent"] == 32_800
    assert run_job(stack, "co-purchases")["pairs"] == 1  # green tea and teapot, one order
    scored = run_job(stack, "customer-value")
    assert scored["scored"] == 2  # RFM from the imported history (CLV needs 10 customers)
    assert profile(stack, "7353446383901")["rfm"]["segment"] == "about_to_sleep"
