"""Condition expressions parsed once per text, names and values, in moto.

moto 5.2 parses a ``ConditionExpression`` (or a ``FilterExpression``) from its text at
every use: a conditional ``PutItem`` in a transaction is parsed twice (once by the
transaction's check, once more by the put it then makes), and a campaign page's 50
messages repeat the same two conditions (``attribute_not_exists(message_key)``, the
customer not erased) 100 times. Measured in a campaign page, parsing was about a sixth
of moto's time.

The parse (``get_filter_expression``) is a pure function of the expression text, its
attribute names and its attribute values, and the tree it builds (``Op`` and ``Func``
nodes) is only read when evaluated against an item, never changed. :func:`install`
keeps the trees of the last ``PARSED`` distinct inputs; an expression moto refuses
still raises at every use (a failed parse is not kept).
``tests/unit/local/test_moto_conditions.py`` checks that the kept trees decide every
item as freshly parsed ones do.
"""

from __future__ import annotations

import functools
import importlib
import json
from typing import Any

from moto.dynamodb import comparisons

_MARK = "_rapport_parsed_conditions"
PARSED = 2048


USERS = ("moto.dynamodb.models", "moto.dynamodb.models.table", "local.moto_transactions")
"""The modules that import ``get_filter_expression`` by name (they get the kept one)."""


def install() -> None:
    """Keep parsed condition expressions in this process's moto (idempotent)."""
    moto_parse = comparisons.get_filter_expression
    if getattr(moto_parse, _MARK, False):
        return

    @functools.lru_cache(maxsize=PARSED)
    def parsed(expression: str | None, names: str, values: str) -> Any:
        return moto_parse(expression, json.loads(names), json.loads(values))

    def get_filter_expression(
        expression: str | None,
        names: dict[str, str] | None,
        values: dict[str, dict[str, str]] | None,
    ) -> Any:
        try:
            key = json.dumps(names, sort_keys=True), json.dumps(values, sort_keys=True)
        except TypeError:  # not plain JSON (binary values): parsed by moto at every use
            return moto_parse(expression, names, values)
        return parsed(expression, *key)

    setattr(get_filter_expression, _MARK, True)
    get_filter_expression.moto_parse = moto_parse  # type: ignore[attr-defined]
    comparisons.get_filter_expression = get_filter_expression  # type: ignore[assignment]
    for name in USERS:
        module = importlib.import_module(name)
        if getattr(module, "get_filter_expression", None) is moto_parse:
            module.get_filter_expression = get_filter_expression  # type: ignore[attr-defined]
