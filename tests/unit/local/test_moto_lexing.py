"""Condition expressions lexed once give moto's tokens, conditions and errors."""

from __future__ import annotations

from typing import Any

import pytest
from moto.dynamodb.comparisons import ConditionExpressionParser, get_filter_expression
from moto.dynamodb.models.dynamo_type import DynamoType, Item

from local import moto_lexing

NAMES = {"#r": "record", "#v": "value_version", "#s": "seq", "#t": "tags"}
VALUES = {":v": {"N": "3"}, ":s": {"S": "0042"}, ":a": {"S": "a"}, ":b": {"S": "b"}}
ITEM: dict[str, Any] = {
    "pk": {"S": "c-1"},
    "value_version": {"N": "3"},
    "seq": {"S": "0041"},
    "tags": {"SS": ["a"]},
}
EXPRESSIONS = [
    "attribute_not_exists(#r)",
    "#v = :v",
    "attribute_not_exists(#s) OR #s < :s",
    "(#v = :v AND contains(#t, :a)) OR NOT begins_with(#s, :b)",
    "#v BETWEEN :v AND :v AND size(#t) > :v",
    "#s IN (:a, :b, :s)",
]


def _moto_lex(text: str) -> list[Any]:
    return list(moto_lexing._moto_lex(ConditionExpressionParser(text, None, None)))


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_the_tokens_of_a_text_are_moto_s(text: str) -> None:
    parser = ConditionExpressionParser(text, NAMES, VALUES)
    first = moto_lexing.lex_condition_expression(parser)
    again = moto_lexing.lex_condition_expression(parser)  # from the kept tokens
    assert list(first) == list(again) == _moto_lex(text)
    assert all(a.children is not b.children for a, b in zip(first, again, strict=True))


def _outcomes(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[Any, Any]:
    item = Item(DynamoType(ITEM["pk"]), None, ITEM)

    def run() -> Any:
        try:
            return [get_filter_expression(text, NAMES, VALUES).expr(item) for _ in range(2)]
        except Exception as error:  # noqa: BLE001 - the error is the outcome compared
            return (type(error).__name__, str(error))

    theirs = run()
    with monkeypatch.context() as fast:
        fast.setattr(
            ConditionExpressionParser,
            "_lex_condition_expression",
            moto_lexing.lex_condition_expression,
        )
        ours = run()
    return theirs, ours


@pytest.mark.parametrize("text", [*EXPRESSIONS, "#v = = :v", "#v ~ :v", "#v = :missing"])
def test_conditions_hold_and_fail_as_moto_decides(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs, ours = _outcomes(monkeypatch, text)
    assert ours == theirs


def test_a_text_moto_cannot_lex_is_refused_every_time() -> None:
    parser = ConditionExpressionParser("#v ~ :v", NAMES, VALUES)
    for _ in range(2):
        with pytest.raises(ValueError, match="Cannot parse condition"):
            moto_lexing.lex_condition_expression(parser)


def test_install_is_idempotent() -> None:
    moto_lexing.install()
    installed = ConditionExpressionParser._lex_condition_expression
    moto_lexing.install()
    assert ConditionExpressionParser._lex_condition_expression is installed
