"""The stored co-purchases document fits in one DynamoDB item with a large catalog and
Chinese names, and the recommendations read from it are those of the plain document."""

from __future__ import annotations

import json
import random

from chalicelib.domain.co_purchase_packing import PACKED, packed, unpacked
from chalicelib.domain.co_purchase_summary import Basket, co_purchases_document, summarized
from chalicelib.domain.orders import OrderLine
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.recommending import CO_PURCHASES_ID, recommend_for
from tests.fakes import FakeValueSettings

ITEM_LIMIT = 400 * 1024
SKUS = 5000
HANZI = "茶壶杯盏紫砂青瓷白瓷手工精选礼盒套装经典限量家用便携旅行红绿乌龙普洱花果香"


def catalog_orders(rng: random.Random) -> list[Basket]:
    """Orders over 5,000 skus in 60 categories, each with a Chinese name of 8 to 16
    characters; every sku sold at least once."""
    names = {s: "".join(rng.choice(HANZI) for _ in range(rng.randint(8, 16))) for s in range(SKUS)}
    baskets = []
    for n in range(12_000):
        skus = {n % SKUS, *(int(SKUS * rng.random() ** 2) for _ in range(rng.randint(0, 3)))}
        lines = [
            OrderLine(f"SKU-{s:05d}", names[s], f"品类{s % 60}", 1, 500 + (s * 37) % 20_000)
            for s in sorted(skus)
        ]
        baskets.append(Basket(f"o-{n:06d}", f"2026-{1 + n % 12:02d}-01T08:00:00Z", "paid", lines))
    return baskets


def item_bytes(value: dict[str, object]) -> int:
    """An upper bound of the settings item's size (its key, field names and UTF-8 text)."""
    return len("setting_id" + CO_PURCHASES_ID + "value") + len(
        json.dumps(value, ensure_ascii=False).encode()
    )


def test_five_thousand_skus_with_chinese_names_fit_in_one_item_and_recommend_the_same() -> None:
    rng = random.Random(3)
    document = co_purchases_document(summarized(catalog_orders(rng)))
    assert len(document["catalog"]) == SKUS and len(document["names"]) == SKUS
    assert item_bytes(document) > ITEM_LIMIT  # the plain document would be refused
    stored = packed(document)
    assert set(stored) == {PACKED} and item_bytes(stored) < ITEM_LIMIT / 2
    assert unpacked(stored) == document
    plain, packed_store = FakeValueSettings(), FakeValueSettings()
    plain.documents[CO_PURCHASES_ID], packed_store.documents[CO_PURCHASES_ID] = document, stored
    settings = CustomerValueSettings()
    popular = [f"sku:SKU-{s:05d}" for s in (0, 1, 2, 7, 4999)]
    for bought in ([popular[0]], popular[1:3], popular[3:]):
        suggested = recommend_for(bought, settings, packed_store)
        assert suggested == recommend_for(bought, settings, plain)
        assert suggested and all(item["name"] != item["id"] for item in suggested)
        assert {item["reason"] for item in suggested} & {"co_purchase", "upsell"}


def test_a_document_stored_before_packing_still_reads() -> None:
    plain = {"pairs": [["A", "B", 3]], "catalog": [], "names": {"A": "青瓷杯"}}
    assert unpacked(plain) == plain and unpacked(None) == {}
