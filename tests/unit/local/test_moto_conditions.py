"""Kept condition trees decide every item as moto's freshly parsed ones do."""

from __future__ import annotations

from typing import Any

import pytest
from moto.dynamodb import comparisons
from moto.dynamodb.models.dynamo_type import DynamoType, Item

from local import moto_conditions

CONDITIONS: list[tuple[str | None, dict[str, str] | None, dict[str, Any] | None]] = [
    ("attribute_not_exists(message_key)", None, None),
    (
        "attribute_not_exists(customer_id) OR #rt <> :erased",
        {"#rt": "record_type"},
        {":erased": {"S": "erased"}},
    ),
    (
        "#s = :queued OR (#s = :sending AND lease_until < :now)",
        {"#s": "status"},
        {
            ":queued": {"S": "queued"},
            ":sending": {"S": "sending"},
            ":now": {"S": "2026-12-02T03:00:00Z"},
        },
    ),
    ("attribute_exists(message_key) AND NOT contains(counted, :ts)", None, {":ts": {"S": "sent"}}),
    (
        "#n IN (:a, :b) AND begins_with(message_key, :p)",
        {"#n": "name"},
        {":a": {"S": "Ana"}, ":b": {"S": "Bo"}, ":p": {"S": "product"}},
    ),
    (None, None, None),
]
ITEMS: list[dict[str, Any]] = [
    {},
    {"customer_id": {"S": "c-1"}, "record_type": {"S": "profile"}, "name": {"S": "Ana"}},
    {"customer_id": {"S": "c-2"}, "record_type": {"S": "erased"}},
    {"message_key": {"S": "product-update#k"}, "status": {"S": "queued"}, "name": {"S": "Bo"}},
    {
        "message_key": {"S": "welcome"},
        "status": {"S": "sending"},
        "lease_until": {"S": "2026-12-01"},
    },
    {"message_key": {"S": "product-update#k"}, "counted": {"SS": ["insert", "sent"]}},
]


def _item(attrs: dict[str, Any]) -> Item | None:
    if not attrs:
        return None
    return Item(DynamoType({"S": "h"}), None, attrs)


def _decisions() -> list[bool]:
    return [
        bool(comparisons.get_filter_expression(text, names, values).expr(_item(attrs)))
        for text, names, values in CONDITIONS
        for attrs in ITEMS
    ]


def test_kept_trees_decide_as_fresh_ones_and_are_parsed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moto_conditions.install()
    kept = comparisons.get_filter_expression
    monkeypatch.setattr(comparisons, "get_filter_expression", kept.moto_parse)  # type: ignore[attr-defined]
    theirs = _decisions()
    monkeypatch.setattr(comparisons, "get_filter_expression", kept)
    assert _decisions() == theirs == _decisions()
    assert any(theirs) and not all(theirs)
    first = comparisons.get_filter_expression(*CONDITIONS[1])
    assert comparisons.get_filter_expression(*CONDITIONS[1]) is first


def test_a_refused_expression_is_refused_at_every_use() -> None:
    moto_conditions.install()
    for _ in range(2):
        with pytest.raises(ValueError):
            comparisons.get_filter_expression("size < :m", None, {":m": {"N": "1"}})


def test_install_is_idempotent() -> None:
    moto_conditions.install()
    installed = comparisons.get_filter_expression
    moto_conditions.install()
    assert comparisons.get_filter_expression is installed
    from moto.dynamodb.models import table

    from local import moto_transactions

    assert table.get_filter_expression is moto_transactions.get_filter_expression is installed
