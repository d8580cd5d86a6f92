"""Condition expressions lexed once per text in moto.

moto 5.2 lexes every ``ConditionExpression`` (and ``FilterExpression``) again on each
request: :class:`~moto.dynamodb.comparisons.ConditionExpressionParser` tries up to eight
regular expressions, compiled anew, at each position of the text. A stack's writes use
a handful of expression texts (``attribute_not_exists(#r)``, ``#v = :v``...), once per
item of every transaction, so the lexing was about a tenth of moto's time per write.

The lexer reads nothing but the expression's text (names and values are substituted
later, by the parser), so its tokens for a text never change: :func:`install` keeps
them per text (:data:`LEXED_EXPRESSIONS` texts) and hands each parse fresh nodes equal
to the ones moto's lexer makes (each with its own empty ``children`` list, as moto's). A
text moto cannot lex raises moto's own error, every time (errors are not kept).
``tests/unit/local/test_moto_lexing.py`` compares both paths.
"""

from __future__ import annotations

import functools
from collections import deque
from typing import Any

from moto.dynamodb.comparisons import ConditionExpressionParser

_MARK = "_rapport_lexed_once"
LEXED_EXPRESSIONS = 1024

_moto_lex = ConditionExpressionParser._lex_condition_expression


@functools.lru_cache(maxsize=LEXED_EXPRESSIONS)
def _lexed(expression: str) -> tuple[Any, ...]:
    return tuple(_moto_lex(ConditionExpressionParser(expression, None, None)))


def lex_condition_expression(self: ConditionExpressionParser) -> deque[Any]:
    """``_lex_condition_expression`` with the tokens of each text lexed once."""
    text = self.condition_expression
    if not isinstance(text, str):
        return _moto_lex(self)
    return deque(node._replace(children=[]) for node in _lexed(text))


def install() -> None:
    """Lex each condition expression text once in this process's moto (idempotent)."""
    if getattr(ConditionExpressionParser._lex_condition_expression, _MARK, False):
        return
    setattr(lex_condition_expression, _MARK, True)
    ConditionExpressionParser._lex_condition_expression = lex_condition_expression  # type: ignore[method-assign]
