"""The nightly customer-value job over moto: boundaries, CLV fit, segments, lists."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.adapters import codec
from chalicelib.domain import rfm
from chalicelib.domain.customer_value import SEGMENT_IDS, ValueInputs
from chalicelib.domain.loyalty import classify
from tests.functional.conftest import ADMIN, STORE, Stack, run_job

AS_OF = date(2026, 11, 1)


def customers(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Profiles with stats and purchase days from a seeded generator (one order a day)."""
    rng = random.Random(seed)
    profiles = []
    for n in range(count):
        first = AS_OF - timedelta(days=rng.randint(30, 700))
        days: dict[str, int] = {}
        day = first
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 9])):
            if day > AS_OF:
                break
            days[day.isoformat()] = rng.randint(5, 400) * 100
            day += timedelta(days=rng.randint(1, 120))
        last = max(days)
        stats = {
            "orders": len(days),
            "spent": sum(days.values()),
            "currency": "USD",
            "first_order_at": f"{min(days)}T10:00:00.000Z",
            "last_order_at": f"{last}T10:00:00.000Z",
            "average_order_value": sum(days.values()) // len(days),
            "returns": 0,
        }
        profiles.append(_profile(f"c-{n:03d}", stats, days))
    return profiles


def _profile(customer_id: str, stats: dict[str, Any], days: dict[str, int]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "record_type": "profile",
        "email": f"{customer_id}@example.com",
        "created_at": "2024-01-02T03:04:05.000Z",
        "updated_at": "2024-01-02T03:04:05.000Z",
        "loyalty": "occasional",
        "stats": stats,
        "purchase_days": days,
    }


def put_profiles(stack: Stack, profiles: list[dict[str, Any]]) -> None:
    client, table = stack.dynamodb(), stack.env["RAPPORT_CUSTOMERS_TABLE"]
    for profile in profiles:
        client.put_item(TableName=table, Item=codec.to_item(profile))
    guard = {"customer_id": "email#c-000@example.com", "record_type": "email_guard"}
    client.put_item(TableName=table, Item=codec.to_item(guard))


def stored(stack: Stack) -> dict[str, dict[str, Any]]:
    client, table = stack.dynamodb(), stack.env["RAPPORT_CUSTOMERS_TABLE"]
    pages = client.get_paginator("scan").paginate(TableName=table)
    items = [codec.from_item(item) for page in pages for item in page["Items"]]
    return {item["customer_id"]: item for item in items if item.get("record_type") == "profile"}


def expected(profiles: list[dict[str, Any]], as_of: date) -> dict[str, tuple[str, str]]:
    """Segment and loyalty per customer, computed here from the data."""
    inputs = [ValueInputs.from_item(p) for p in profiles]
    recency = [i.recency_days(as_of) or 0 for i in inputs]
    bounds = rfm.compute_boundaries(recency, [i.orders for i in inputs], [i.spent for i in inputs])
    return {
        i.customer_id: (rfm.score(bounds, r, i.orders, i.spent).segment, classify(i.orders, r))
        for i, r in zip(inputs, recency, strict=True)
    }


def run(stack: Stack, as_of: date | None = AS_OF) -> dict[str, Any]:
    body = json.dumps({"as_of": as_of.isoformat()}) if as_of else ""
    return run_job(stack, "customer-value", body)


def get(stack: Stack, path: str) -> Any:
    return stack.http.get(path, headers=ADMIN)


def test_job_scores_every_profile_and_serves_models_counts_and_lists(stack: Stack) -> None:
    profiles = customers(60)
    put_profiles(stack, profiles)
    put_profiles(stack, [_profile("c-new", {"orders": 0, "spent": 0}, {})])
    assert get(stack, "/v1/admin/models/clv").status_code == 404
    assert get(stack, "/v1/admin/models/rfm").status_code == 404

    result = run(stack)
    assert result["job"] == "customer-value"
    assert (result["customers"], result["scored"], result["rfm"]) == (61, 60, "stored")
    assert isinstance(result["clv"], dict) and result["clv"]["customers"] == 60
    want = expected(profiles, AS_OF)
    assert result["segments"] == dict(sorted(Counter(s for s, _ in want.values()).items()))

    boundaries = get(stack, "/v1/admin/models/rfm").json_body
    inputs = [ValueInputs.from_item(p) for p in profiles]
    recomputed = rfm.compute_boundaries(
        [i.recency_days(AS_OF) or 0 for i in inputs],
        [i.orders for i in inputs],
        [i.spent for i in inputs],
    )
    assert {k: boundaries[k] for k in ("recency", "frequency", "monetary", "customers")} == (
        recomputed.to_dict()
    )
    assert boundaries["as_of"] == "2026-11-01" and boundaries["computed_at"].endswith("Z")
    model = get(stack, "/v1/admin/models/clv").json_body
    assert {"r", "alpha", "a", "b", "p", "q", "gamma", "log_likelihood"} <= set(model)
    assert (model["time_unit"], model["fitted_at"], model["customers"]) == (
        "days",
        "2026-11-01",
        60,
    )

    items = stored(stack)
    for customer_id, (segment, loyalty) in want.items():
        item = items[customer_id]
        assert (item["segment_key"], item["rfm"]["segment"], item["loyalty"]) == (
            segment,
            segment,
            loyalty,
        )
        assert item["clv_value"] == item["clv"]["value_365d"] >= 0
        assert 0 <= item["clv"]["p_alive"] <= 1
    assert "segment_key" not in items["c-new"] and items["c-new"]["loyalty"] == "occasional"

    stack.pump()  # the customers stream counts every profile change
    counts = get(stack, "/v1/admin/segments").json_body
    assert [entry["segment"] for entry in counts["segments"]] == list(SEGMENT_IDS)
    by_segment = Counter(s for s, _ in want.values())
    assert {e["segment"]: e["customers"] for e in counts["segments"]} == {
        s: by_segment.get(s, 0) for s in SEGMENT_IDS
    }
    assert (counts["total"], counts["unsegmented"]) == (61, 1)  # c-new has no orders yet

    biggest = by_segment.most_common(1)[0][0]
    seen, cursor = [], None
    while True:
        query = f"/v1/admin/segments/{biggest}/customers?limit=3"
        page = get(stack, query + (f"&cursor={cursor}" if cursor else "")).json_body
        assert len(page["items"]) <= 3
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(c["customer_id"] for c in seen) == sorted(
        c for c, (s, _) in want.items() if s == biggest
    )
    values = [c["clv"]["value_365d"] for c in seen]
    assert values == sorted(values, reverse=True)
    assert all(c["segment"] == biggest and "email" not in c for c in seen)

    loyal = get(stack, "/v1/admin/loyalty/loyal/customers?limit=200").json_body
    assert sorted(c["customer_id"] for c in loyal["items"]) == sorted(
        c for c, (_, lo) in want.items() if lo == "loyal"
    )


def test_a_second_run_writes_nothing_and_a_backfill_changes_recency(stack: Stack) -> None:
    profiles = customers(60, seed=11)
    put_profiles(stack, profiles)
    first = run(stack)
    assert first["updated"] == 60
    assert run(stack)["updated"] == 0

    later = date(2026, 11, 30)  # a backfill day: in the past (as_of may not be in the future)
    backfill = run(stack, later)
    assert backfill["updated"] > 0 and backfill["as_of"] == "2026-11-30"
    want = expected(profiles, later)
    items = stored(stack)
    assert {c: (items[c]["segment_key"], items[c]["loyalty"]) for c in want} == want
    assert want != expected(profiles, AS_OF)
    rs = {items[c]["rfm"]["r"] for c in want}
    assert rs <= {1, 2, 3, 4, 5}
    assert get(stack, "/v1/admin/models/rfm").json_body["as_of"] == "2026-11-30"


def test_too_little_data_keeps_the_previous_clv_model(stack: Stack) -> None:
    put_profiles(stack, customers(60, seed=3))
    fitted = run(stack)["clv"]
    client, table = stack.dynamodb(), stack.env["RAPPORT_CUSTOMERS_TABLE"]
    for n in range(8, 60):
        client.delete_item(TableName=table, Key={"customer_id": {"S": f"c-{n:03d}"}})
    result = run(stack, date(2026, 12, 1))
    assert result["clv"] == "not enough data" and result["rfm"] == "stored"
    model = get(stack, "/v1/admin/models/clv").json_body
    assert model["fitted_at"] == "2026-11-01" and model["r"] == fitted["r"]
    assert all("clv" in item for item in stored(stack).values())


def test_first_run_with_too_little_data_scores_rfm_without_clv(stack: Stack) -> None:
    put_profiles(stack, customers(5))
    result = run(stack, None)
    assert (result["clv"], result["scored"]) == ("not enough data", 5)
    assert all("clv" not in item and item["segment_key"] for item in stored(stack).values())
    assert get(stack, "/v1/admin/models/clv").status_code == 404


def test_a_store_too_small_for_a_clv_fit_lists_its_segments(stack: Stack) -> None:
    put_profiles(stack, customers(10))
    result = run(stack)
    assert result["clv"] == "not enough data" and sum(result["segments"].values()) == 10
    stack.pump()  # the customers stream counts every profile change
    counts = get(stack, "/v1/admin/segments").json_body
    assert counts["total"] == 10
    assert {e["segment"]: e["customers"] for e in counts["segments"] if e["customers"]} == (
        result["segments"]
    )
    members = {customer_id: item["segment_key"] for customer_id, item in stored(stack).items()}
    for segment, count in result["segments"].items():
        listed = get(stack, f"/v1/admin/segments/{segment}/customers").json_body["items"]
        assert len(listed) == count
        assert {member["customer_id"] for member in listed} == {
            c for c, s in members.items() if s == segment
        }
        assert all(member["segment"] == segment and member["clv"] is None for member in listed)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/v1/admin/segments/vips/customers", "segment"),
        ("/v1/admin/loyalty/gold/customers", "loyalty"),
        ("/v1/admin/segments/lost/customers?limit=0", "limit"),
        ("/v1/admin/segments/lost/customers?cursor=%%%", "cursor"),
        ("/v1/admin/loyalty/loyal/customers?cursor=eyJ4IjogMX0", "cursor"),
    ],
)
def test_bad_segment_class_or_paging_is_400_naming_the_field(
    stack: Stack, path: str, field: str
) -> None:
    response = get(stack, path)
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field


@pytest.mark.parametrize(
    "path",
    [
        "/v1/admin/models/clv",
        "/v1/admin/models/rfm",
        "/v1/admin/segments",
        "/v1/admin/segments/lost/customers",
        "/v1/admin/loyalty/loyal/customers",
    ],
)
def test_insight_routes_need_the_admin_key(stack: Stack, path: str) -> None:
    assert stack.http.get(path).status_code == 401
    assert stack.http.get(path, headers=STORE).status_code == 403


def test_the_scheduled_handler_runs_the_job(stack: Stack) -> None:
    from local.scheduler import scheduled_event

    names = [name for name in stack.app.handler_map if "customer_value" in name]
    if not names:
        pytest.skip("the customer-value schedule is not registered in app.py yet")
    put_profiles(stack, customers(20))
    from datetime import UTC, datetime

    stack.app.handler_map[names[0]](scheduled_event(names[0], datetime.now(UTC)), None)
    assert all(item.get("segment_key") for item in stored(stack).values())
