"""The validator's pickled copy of an update expression's tree validates as moto's does."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.parsing import validators
from moto.dynamodb.parsing.executors import UpdateExpressionExecutor
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]

from local import moto_update_copies

NAMES = {f"#a{i}": f"attr{i}" for i in range(40)} | {"#n": "nested", "#l": "log"}
VALUES: dict[str, dict[str, Any]] = {f":v{i}": {"S": f"value {i}"} for i in range(40)} | {
    ":one": {"N": "1"},
    ":l": {"L": [{"S": "e"}]},
}
PROFILE_UPDATE = (
    "SET " + ", ".join(f"#a{i} = :v{i}" for i in range(40)) + ", #l = list_append(#l, :l) "
    "ADD #n :one"
)
ATTRS: dict[str, Any] = {"pk": {"S": "c-1"}, "log": {"L": [{"S": "d"}]}, "nested": {"N": "4"}}


def _shape(node: Any) -> Any:
    """A tree as plain data (nodes compare by identity in moto)."""
    if isinstance(node, list | tuple):
        return [_shape(child) for child in node]
    if not hasattr(node, "children"):
        return node
    fields = {k: _shape(v) for k, v in vars(node).items() if k != "parent"}
    return type(node).__name__, fields


class _Table:
    table_key_attrs = ["pk"]
    attribute_keys = ["pk"]
    attr: list[Any] = []


def _apply(expression: str) -> Any:
    item = Item(DynamoType(ATTRS["pk"]), None, copy.deepcopy(ATTRS))
    tree = UpdateExpressionParser.make(expression)
    try:
        validated = validators.UpdateExpressionValidator(
            tree,
            NAMES,
            VALUES,
            item=item,
            table=_Table(),  # type: ignore[arg-type]
        ).validate()
        validated.normalize()
        UpdateExpressionExecutor(validated, item, NAMES).execute()
    except Exception as error:  # noqa: BLE001 - the error is the outcome compared
        return (type(error).__name__, str(error))
    return item.to_json(), _shape(tree)  # the kept tree is left as it was


@pytest.mark.parametrize(
    "expression",
    [PROFILE_UPDATE, "SET #a0 = :v0, #a0 = :v1", "SET #a1 = :missing", "SET #n = #n + :v2"],
)
def test_validating_a_pickled_copy_gives_moto_s_answer(
    expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = _apply(expression)
    with monkeypatch.context() as fast:
        fast.setattr(validators.Validator, "__init__", moto_update_copies._validator_init)
        ours = _apply(expression)
    assert ours == theirs


def test_the_copy_is_independent_of_the_tree() -> None:
    tree = UpdateExpressionParser.make(PROFILE_UPDATE)
    copied = moto_update_copies.tree_copy(tree)
    assert copied is not tree and _shape(copied) == _shape(copy.deepcopy(tree))
    assert copied.children[0] is not tree.children[0]
    assert copied.children[0].parent is copied


def test_what_pickle_refuses_is_deep_copied() -> None:
    value = {"f": lambda: 1}  # a lambda cannot be pickled
    copied = moto_update_copies.tree_copy(value)
    assert copied == value and copied is not value


def test_install_is_idempotent() -> None:
    moto_update_copies.install()
    installed = validators.Validator.__init__
    moto_update_copies.install()
    assert validators.Validator.__init__ is installed
