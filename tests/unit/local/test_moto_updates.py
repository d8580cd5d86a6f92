"""The faster update-expression and item paths give what moto's own give, errors included."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser  # type: ignore[attr-defined]
from moto.dynamodb.parsing.executors import UpdateExpressionExecutor
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]
from moto.dynamodb.parsing.validators import UpdateExpressionValidator

from local import moto_updates

EXPRESSION = (
    "SET #a = :a, #n.#m = if_not_exists(#n.#m, :zero) + :one, #l = list_append(#l, :l) "
    "ADD #c :one REMOVE #gone"
)
NAMES = {"#a": "a", "#n": "nested", "#m": "count", "#l": "log", "#c": "counter", "#gone": "old"}
VALUES = {":a": {"S": "x"}, ":zero": {"N": "0"}, ":one": {"N": "1"}, ":l": {"L": [{"S": "e"}]}}
ATTRS: dict[str, Any] = {
    "pk": {"S": "c-1"},
    "nested": {"M": {"count": {"N": "4"}}},
    "log": {"L": [{"S": "d"}]},
    "counter": {"N": "2"},
    "old": {"BOOL": True},
}


class _Table:
    table_key_attrs = ["pk"]
    attribute_keys = ["pk"]
    attr: list[Any] = []


def _apply(item: Item, expression: str) -> dict[str, Any]:
    tree = UpdateExpressionParser.make(expression)
    validated = UpdateExpressionValidator(tree, NAMES, VALUES, item=item, table=_Table()).validate()  # type: ignore[arg-type]
    validated.normalize()
    UpdateExpressionExecutor(validated, item, NAMES).execute()
    return dict(item.to_json())


_moto_traverse = DepthFirstTraverser.traverse
_moto_item_init = Item.__init__


def _both(run: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    with monkeypatch.context() as own:
        own.setattr(UpdateExpressionParser, "make", classmethod(moto_updates._moto_make))
        own.setattr(DepthFirstTraverser, "traverse", _moto_traverse)
        own.setattr(Item, "__init__", _moto_item_init)
        theirs = run()
    with monkeypatch.context() as fast:
        fast.setattr(
            UpdateExpressionParser, "make", classmethod(moto_updates.parse_update_expression)
        )
        fast.setattr(DepthFirstTraverser, "traverse", moto_updates.traverse)
        fast.setattr(Item, "__init__", moto_updates.new_item)
        ours = run()
    return theirs, ours


def _outcome(run: Any) -> Any:
    try:
        return run()
    except Exception as error:  # noqa: BLE001 - the error is the outcome compared
        return (type(error).__name__, str(error))


def test_an_update_expression_changes_the_item_as_moto_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def run() -> Any:
        item = Item(DynamoType(ATTRS["pk"]), None, copy.deepcopy(ATTRS))
        return [_apply(item, EXPRESSION), _apply(item, EXPRESSION)]  # the second from the cache

    theirs, ours = _both(run, monkeypatch)
    assert ours == theirs
    assert theirs[1]["Attributes"]["nested"] == {"M": {"count": {"N": "6"}}}
    assert "old" not in theirs[1]["Attributes"]


@pytest.mark.parametrize(
    "expression",
    [
        "SET #a = :a, #a = :one",  # overlapping paths
        "SET pk = :a",  # a key attribute
        "SET #a = :missing",  # an undefined value
        "SET #c = #c + :a",  # a type mismatch
        "SET #a = :a SET #c = :one",  # a clause twice
        "SET #a == :a",  # not an expression
    ],
)
def test_a_refused_update_expression_is_refused_as_moto_does(
    expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run() -> Any:
        item = Item(DynamoType(ATTRS["pk"]), None, copy.deepcopy(ATTRS))
        return _outcome(lambda: _apply(item, expression)), item.to_json()

    theirs, ours = _both(run, monkeypatch)
    assert ours == theirs
    assert isinstance(theirs[0], tuple)  # refused, item unchanged
    assert theirs[1]["Attributes"] == ATTRS


def test_the_parsed_tree_is_kept_once_per_expression_text() -> None:
    first = moto_updates.parse_update_expression(UpdateExpressionParser, "SET #a = :a")
    assert moto_updates.parse_update_expression(UpdateExpressionParser, "SET #a = :a") is first


@pytest.mark.parametrize(
    "attrs",
    [
        {"pk": {"S": "c-1"}, **{f"a{i}": {"S": "x" * 1000} for i in range(40)}},
        {"pk": {"S": "c-1"}, **{f"a{i}": {"S": "x" * 10_000} for i in range(41)}},  # too large
        {"pk": {"S": "c-1"}, "big": {"S": "x" * 404_990}},  # the limit, byte for byte
        {"pk": {"S": "c-1"}, "big": {"S": "x" * 404_996}},
        {"pk": {"S": "c-1"}, "m": {"M": {"l": {"L": [{"N": "1"}, {"SS": ["a", "b"]}]}}}},
    ],
)
def test_items_are_built_and_refused_as_moto_does(
    attrs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def run() -> Any:
        return _outcome(lambda: Item(DynamoType(attrs["pk"]), None, attrs).to_json())

    theirs, ours = _both(run, monkeypatch)
    assert ours == theirs


def test_an_item_over_the_limit_is_too_large() -> None:
    attrs = {"pk": {"S": "c-1"}, "big": {"S": "x" * 405_000}}
    with pytest.raises(ItemSizeTooLarge):
        moto_updates.new_item(Item.__new__(Item), DynamoType(attrs["pk"]), None, attrs)
