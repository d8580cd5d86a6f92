"""Cross-sell rules, up-sell, co-purchase counts and the ranking of recommendations."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.orders import OrderLine
from chalicelib.domain.recommendations import (
    CatalogHint,
    Recommendation,
    RecommendationRules,
    category_key,
    co_purchase_pairs,
    parse_key,
    purchased_keys,
    recommend,
    sku_key,
)

RULES = RecommendationRules(
    cross_sell={
        "category:laptop": ("category:camera", "sku:MOUSE-1"),
        "sku:BOTTLE-1": ("category:baby_goods",),
    }
)
CATALOG = {
    "LAP-1": CatalogHint("LAP-1", "laptop", 1),
    "LAP-2": CatalogHint("LAP-2", "laptop", 2),
    "LAP-2B": CatalogHint("LAP-2B", "laptop", 2),
    "LAP-3": CatalogHint("LAP-3", "laptop", 3),
    "MOUSE-1": CatalogHint("MOUSE-1", "accessories", 1),
    "BOTTLE-1": CatalogHint("BOTTLE-1", "baby_feeding", 1),
    "BOTTLE-2": CatalogHint("BOTTLE-2", "baby_feeding", 2, available=False),
    "CAM-1": CatalogHint("CAM-1", "camera", 1),
    "NAPPY-1": CatalogHint("NAPPY-1", "baby_goods"),
}


def line(sku: str, category: str = "misc") -> OrderLine:
    return OrderLine(sku, sku.title(), category, 1, 100)


def run(
    purchased: set[str],
    rules: RecommendationRules = RULES,
    co_counts: dict[tuple[str, str], int] | None = None,
    replenishable: set[str] | None = None,
    limit: int = 10,
) -> list[Recommendation]:
    return recommend(purchased, rules, co_counts or {}, CATALOG, replenishable or set(), limit)


def keys(recs: list[Recommendation]) -> list[str]:
    return [r.key for r in recs]


def test_keys() -> None:
    assert sku_key("A-1") == "sku:A-1"
    assert category_key("baby_goods") == "category:baby_goods"
    assert parse_key("sku:A:1") == ("sku", "A:1")
    assert parse_key("category:camera") == ("category", "camera")
    for bad in ("camera", "brand:x", "sku:", ":x", 5, None):
        with pytest.raises(InvalidInput):
            parse_key(bad)


def test_purchased_keys() -> None:
    lines = [line("LAP-1", "laptop"), line("LAP-1", "laptop"), line("BAG", "bags")]
    assert purchased_keys(lines) == {"sku:LAP-1", "category:laptop", "sku:BAG", "category:bags"}


def test_co_purchase_pairs() -> None:
    lines = [line("B"), line("A"), line("C"), line("A")]
    assert co_purchase_pairs(lines) == Counter({("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1})
    assert co_purchase_pairs([line("A"), line("A")]) == Counter()
    assert co_purchase_pairs([]) == Counter()


def test_bulk_orders_give_no_pairs() -> None:
    many = [line(f"S{i:02}") for i in range(31)]
    assert co_purchase_pairs(many) == Counter()
    assert len(co_purchase_pairs(many[:30])) == 30 * 29 // 2
    assert co_purchase_pairs(many, max_skus=40).total() == 31 * 30 // 2


def test_laptop_to_camera() -> None:
    recs = run({"sku:LAP-3", "category:laptop"})
    assert keys(recs) == ["category:camera", "sku:MOUSE-1"]
    assert recs[0] == Recommendation("category", "camera", "rule", "category:laptop", 100)
    assert recs[0].to_dict() == {
        "kind": "category", "id": "camera", "reason": "rule", "source": "category:laptop",
    }  # fmt: skip


def test_baby_bottle_to_baby_goods() -> None:
    recs = run({"sku:BOTTLE-1"})
    assert recs[0].key == "category:baby_goods"
    assert recs[0].source == "sku:BOTTLE-1"


def test_category_of_a_purchased_sku_comes_from_the_catalog() -> None:
    assert "category:camera" in keys(run({"sku:LAP-3"}))


def test_already_bought_is_excluded() -> None:
    recs = run({"sku:LAP-3", "category:laptop", "category:camera", "sku:MOUSE-1"})
    assert recs == []


def test_replenishable_items_come_back() -> None:
    purchased = {"sku:LAP-3", "category:camera", "sku:MOUSE-1"}
    assert keys(run(purchased, replenishable={"category:camera"})) == ["category:camera"]
    # A sku is replenishable through its category too.
    assert keys(run(purchased, replenishable={"category:accessories"})) == ["sku:MOUSE-1"]


def test_upsell_suggests_the_next_price_tier_in_the_same_category() -> None:
    recs = run({"sku:LAP-1"}, rules=RecommendationRules())
    assert keys(recs) == ["sku:LAP-2", "sku:LAP-2B"]
    assert all(r.reason == "upsell" and r.source == "sku:LAP-1" and r.score == 50 for r in recs)


def test_upsell_skips_unavailable_and_can_be_switched_off() -> None:
    assert run({"sku:BOTTLE-1"}, rules=RecommendationRules()) == []  # BOTTLE-2 unavailable
    assert run({"sku:LAP-1"}, rules=RecommendationRules(upsell=False)) == []
    assert run({"sku:LAP-3"}, rules=RecommendationRules()) == []  # top tier
    assert run({"sku:NAPPY-1"}, rules=RecommendationRules()) == []  # no price tier


def test_co_purchases_need_the_minimum_count() -> None:
    counts = {("CAM-1", "LAP-2"): 2, ("LAP-2", "ZZZ-9"): 1, ("BAG-7", "LAP-2"): 7}
    recs = run({"sku:LAP-2"}, rules=RecommendationRules(upsell=False), co_counts=counts)
    assert [(r.key, r.score, r.reason, r.source) for r in recs] == [
        ("sku:BAG-7", 7, "co_purchase", "sku:LAP-2"),
        ("sku:CAM-1", 2, "co_purchase", "sku:LAP-2"),
    ]


def test_scores_add_up_and_reason_is_the_biggest_contribution() -> None:
    counts = {("CAM-1", "LAP-3"): 150, ("LAP-3", "MOUSE-1"): 30}
    rules = RecommendationRules(
        cross_sell={"category:laptop": ("sku:MOUSE-1", "sku:CAM-1")}, upsell=False
    )
    recs = run({"sku:LAP-3"}, rules=rules, co_counts=counts)
    assert [(r.key, r.score, r.reason) for r in recs] == [
        ("sku:CAM-1", 250, "co_purchase"),
        ("sku:MOUSE-1", 130, "rule"),
    ]


def test_ties_are_broken_by_key_and_insertion_order_does_not_matter() -> None:
    counts = {("LAP-2", "X-2"): 5, ("LAP-2", "X-1"): 5, ("A-1", "LAP-2"): 5}
    rules = RecommendationRules(upsell=False)
    forward = run({"sku:LAP-2"}, rules=rules, co_counts=counts)
    backward = run({"sku:LAP-2"}, rules=rules, co_counts=dict(reversed(list(counts.items()))))
    assert keys(forward) == ["sku:A-1", "sku:X-1", "sku:X-2"]
    assert forward == backward


def test_source_is_deterministic_when_several_purchases_trigger() -> None:
    counts = {("CAM-1", "LAP-1"): 3, ("CAM-1", "BOTTLE-1"): 3}
    recs = run({"sku:LAP-1", "sku:BOTTLE-1"}, rules=RecommendationRules(upsell=False),
               co_counts=counts)  # fmt: skip
    assert [(r.key, r.score, r.source) for r in recs] == [("sku:CAM-1", 6, "sku:BOTTLE-1")]


def test_equal_contributions_prefer_rule_then_upsell() -> None:
    rules = RecommendationRules(
        cross_sell={"sku:LAP-1": ("sku:LAP-2",)}, rule_weight=50, upsell_weight=50
    )
    assert run({"sku:LAP-1"}, rules=rules)[0].reason == "rule"
    counts = {("LAP-1", "LAP-2"): 50}
    no_rule = RecommendationRules(upsell_weight=50)
    assert run({"sku:LAP-1"}, rules=no_rule, co_counts=counts)[0].reason == "upsell"


def test_limit() -> None:
    purchased = {"sku:LAP-1"}
    assert len(run(purchased, limit=10)) == 4
    assert keys(run(purchased, limit=1)) == ["category:camera"]
    assert run(purchased, limit=0) == []


def test_rules_round_trip() -> None:
    data = RULES.to_dict()
    assert data["cross_sell"] == {
        "category:laptop": ["category:camera", "sku:MOUSE-1"],
        "sku:BOTTLE-1": ["category:baby_goods"],
    }
    assert RecommendationRules.from_dict(data) == RULES
    stored = {**data, "rule_weight": Decimal(100), "min_co_purchases": Decimal(2)}
    assert RecommendationRules.from_dict(stored) == RULES
    assert RecommendationRules.from_dict({}) == RecommendationRules()
    deduplicated = RecommendationRules(cross_sell={"sku:A": ["sku:B", "sku:B"]})  # type: ignore[dict-item]
    assert deduplicated.cross_sell["sku:A"] == ("sku:B",)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"cross_sell": {"laptop": ["category:camera"]}}, "cross_sell"),
        ({"cross_sell": {"category:laptop": ["camera"]}}, "cross_sell.category:laptop"),
        ({"cross_sell": {"category:laptop": "category:camera"}}, "cross_sell.category:laptop"),
        ({"cross_sell": ["category:laptop"]}, "cross_sell"),
        ({"upsell": "yes"}, "upsell"),
        ({"rule_weight": -1}, "rule_weight"),
        ({"upsell_weight": 1.5}, "upsell_weight"),
        ({"min_co_purchases": Decimal("2.5")}, "min_co_purchases"),
        ({"weights": {}}, "weights"),
    ],
)
def test_rules_validation(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        RecommendationRules.from_dict(data)
    assert caught.value.field == field


def test_products_viewed_and_not_bought_rank_first_and_longer_looks_higher() -> None:
    purchased = purchased_keys([OrderLine("LAP-1", "Laptop", "laptop", 1, 100_000)])
    plain = recommend(purchased, RULES, {}, CATALOG, set(), 10)
    assert "sku:CAM-1" not in [rec.key for rec in plain]
    viewed = {"CAM-1": 30, "NAPPY-1": 600, "LAP-1": 900}
    ranked = recommend(purchased, RULES, {}, CATALOG, set(), 10, viewed)
    keys = [rec.key for rec in ranked]
    assert keys[:2] == ["sku:NAPPY-1", "sku:CAM-1"]  # ten minutes on a page beat thirty seconds
    assert ranked[0].reason == "viewed" and "sku:LAP-1" not in keys  # bought: not suggested
    assert set(keys[2:]) == {rec.key for rec in plain}  # the rest keep their order
    assert keys[2:] == [rec.key for rec in plain]
