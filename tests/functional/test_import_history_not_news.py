"""History is not news: an import's fold is counted and derived, never announced or mailed.

A lapsing customer's imported history places them in a win-back segment without a
win-back letter or an outbound event (the counts still follow); imported gift orders
teach the learned occasion the engagement job suggests; an imported recent order puts
its customer in the monthly satisfaction survey.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.functional.conftest import ADMIN, STORE, Stack, run_job
from tests.functional.import_helpers import jsonl, order_row, run
from tests.functional.test_engagement_job import mail_to, make
from tests.functional.test_engagement_job import shop as engagement_shop
from tests.functional.test_profile_events import received, subscribe
from tests.functional.test_segment_counts import independent_count, shown
from tests.functional.test_win_back import shop as win_back_shop
from tests.functional.test_win_back import win_backs

NOW = datetime.now(UTC)


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def customer(cid: str, **consents: bool) -> dict[str, Any]:
    return {
        "customer_id": cid,
        "email": f"{cid}@example.com",
        "name": "Ana",
        "locale": "en",
        "time_zone": "Asia/Shanghai",
        "consents": consents,
    }


def segment(stack: Stack, cid: str) -> str | None:
    body = stack.http.get(f"/v1/customers/{cid}", headers=STORE).json_body
    return (body.get("rfm") or {}).get("segment")


def _import_lapsing(stack: Stack) -> None:
    """c-imp, with marketing consent and c-a's history: a lot, long ago."""
    people = run(stack, "p", "customers", "jsonl", jsonl(customer("c-imp", marketing=True)))
    assert people["imported"] == 1
    history = [
        order_row(f"o-imp-{n}", "c-imp", ago(days), 30_000, status="paid")
        for n, days in enumerate((300, 260, 230, 200))
    ]
    assert run(stack, "h", "orders", "jsonl", jsonl(*history))["imported"] == 4
    stack.pump()


def test_an_imported_lapsing_customer_is_counted_at_risk_without_win_back_or_event(
    stack: Stack,
) -> None:
    win_back_shop(stack)  # live customers, then the nightly job stores the RFM boundaries
    run_job(stack, "customer-value")
    stack.pump()
    assert segment(stack, "c-a") == "at_risk" and sorted(win_backs(stack)) == ["c-a"]
    url = subscribe(stack)
    _import_lapsing(stack)
    assert segment(stack, "c-imp") == "at_risk"
    assert sorted(win_backs(stack)) == ["c-a"]  # history is not news: no win-back letter
    assert received(stack, url) == []  # and no Rapport.* event on the bus
    counted = shown(stack)
    assert counted == independent_count(stack) and counted["segments"]["at_risk"] == 2

    live = order_row("o-live", "c-imp", ago(1), 30_000)
    assert stack.http.post("/v1/orders", headers=STORE, body=json.dumps(live)).status_code == 201
    stack.pump()
    moved = segment(stack, "c-imp")
    assert moved != "at_risk"
    events = [e for e in received(stack, url) if e["detail"]["customer_id"] == "c-imp"]
    changes = [e["detail"] for e in events if e["detail-type"] == "Rapport.SegmentChanged"]
    assert [c["segment"] for c in changes] == [{"from": "at_risk", "to": moved}]
    assert shown(stack) == independent_count(stack)


def test_the_first_nightly_job_places_imported_history_without_a_win_back(stack: Stack) -> None:
    win_back_shop(stack)  # no RFM boundaries yet: the fold scores no segment
    _import_lapsing(stack)
    assert segment(stack, "c-imp") is None
    run_job(stack, "customer-value")
    stack.pump()
    assert segment(stack, "c-a") == segment(stack, "c-imp") == "at_risk"
    assert sorted(win_backs(stack)) == ["c-a"]  # the live customer is won back, history not


def gift(oid: str, placed_at: str, occasion: str) -> dict[str, Any]:
    return order_row(oid, "c-gift", placed_at, 100, status="paid", gift={"occasion": occasion})


def test_imported_gift_orders_teach_the_occasion_the_engagement_job_suggests(
    stack: Stack,
) -> None:
    engagement_shop(stack)
    person = customer("c-gift", greetings=True, recommendations=True)
    assert run(stack, "p", "customers", "jsonl", jsonl(person))["imported"] == 1
    orders = [
        gift("o-1", "2024-05-10T12:00:00+08:00", "birthday"),
        gift("o-2", "2025-05-12T12:00:00+08:00", "birthday"),
        order_row("o-3", "c-gift", "2025-08-02T12:00:00+08:00", 100, status="paid"),
    ]
    assert run(stack, "h", "orders", "jsonl", jsonl(*orders))["imported"] == 3
    stack.pump()
    make(stack, "c-gift", "loyal")
    due = run_job(stack, "engagement", json.dumps({"as_of": "2026-04-17T10:00:00+08:00"}))
    assert due["queued"] == 1, due
    stack.pump()
    mail = mail_to(stack, "c-gift", "occasion_suggestion")
    assert mail["subject"] == "May is nearly here: ideas for a birthday gift"
    assert "In 2024 and 2025 you chose a birthday gift with us in May" in mail["text"]
    again = run_job(stack, "engagement", json.dumps({"as_of": "2026-04-17T10:00:00+08:00"}))
    assert again.get("queued", 0) == 0


def test_an_imported_recent_order_puts_its_customer_in_the_monthly_survey(stack: Stack) -> None:
    quiet = json.dumps({"quiet_hours_start": 0, "quiet_hours_end": 0})
    assert stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=quiet).status_code == 200
    people = jsonl(customer("c-recent", surveys=True), customer("c-old", surveys=True))
    assert run(stack, "p", "customers", "jsonl", people)["imported"] == 2
    orders = [
        order_row("o-recent", "c-recent", ago(30), status="paid"),
        order_row("o-old", "c-old", ago(120), status="paid"),
    ]
    assert run(stack, "h", "orders", "jsonl", jsonl(*orders))["imported"] == 2
    stack.pump()
    assert stack.mails() == []
    result = run_job(stack, "satisfaction-surveys", json.dumps({"as_of": NOW.isoformat()}))
    assert result["buyers"] == 1 and result["queued"] == 1, result
    stack.pump()
    mails = stack.mails()
    [mail] = [m for m in mails if m["headers"]["X-Rapport-Message"] == "satisfaction_survey"]
    assert mail["to"] == ["Ana <c-recent@example.com>"]
    assert "We ask once a month at most" in mail["text"]
