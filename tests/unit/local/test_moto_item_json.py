"""Attribute values convert to the JSON moto's own conversion gives, copies included."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from moto.dynamodb.models.dynamo_type import DynamoType, Item

from local import moto_item_json

ITEM: dict[str, Any] = {
    "pk": {"S": "o-1"},
    "total": {"N": "4800"},
    "paid": {"BOOL": True},
    "gone": {"NULL": True},
    "tags": {"SS": ["a", "b"]},
    "scores": {"NS": ["1", "2.5"]},
    "blob": {"B": base64.b64encode(b"\x00\x01").decode()},
    "raw": {"B": b"\x02"},
    "blobs": {"BS": [b"x"]},
    "lines": {"L": [{"M": {"sku": {"S": "T"}, "q": {"N": "2"}, "l": {"L": [{"S": "deep"}]}}}]},
    "empty": {"M": {}},
}


@pytest.mark.parametrize("name", sorted(ITEM))
def test_each_value_converts_as_moto_converts_it(name: str) -> None:
    typed = DynamoType(ITEM[name])
    assert moto_item_json.regular_json(typed) == moto_item_json._moto_regular_json(typed)


def test_an_item_s_json_is_moto_s_and_shares_nothing_with_the_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    item = Item(DynamoType(ITEM["pk"]), None, ITEM)
    with monkeypatch.context() as own:
        own.setattr(DynamoType, "to_regular_json", moto_item_json._moto_regular_json)
        theirs = item.to_json()
    with monkeypatch.context() as fast:
        fast.setattr(DynamoType, "to_regular_json", moto_item_json.regular_json)
        ours = item.to_json()
    assert ours == theirs
    ours["Attributes"]["lines"]["L"][0]["M"]["l"]["L"].append({"S": "x"})
    ours["Attributes"]["tags"]["SS"].append("c")
    assert item.to_json() == theirs  # the item kept its own values


def test_install_is_idempotent() -> None:
    moto_item_json.install()
    installed = DynamoType.to_regular_json
    moto_item_json.install()
    assert DynamoType.to_regular_json is installed
