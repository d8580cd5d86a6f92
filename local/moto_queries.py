"""DynamoDB ``Query`` in moto without a sort of the whole table per request.

moto 5.2's ``Table.query`` starts from ``Table.all_items()``, which sorts every item of
the table, and then keeps the items of the asked partition: a query of one customer's
messages costs O(n log n) in the size of the messages table. A query of an index then
sorts its matches with ``DynamoType`` comparisons (each one recomputing both values)
and, for a page after the first, walks the earlier pages one item at a time comparing
keys the same way. With 50,000 buyers in the ``sku-buyers`` index a page cost seconds
and the fan-out grew quadratically.

:func:`install` keeps moto's ``query`` and its evaluation (conditions, limits, sizes,
projections, filters, ``LastEvaluatedKey``), and changes only what it iterates:

- a table query sees only its partition's items (the others are dropped by moto's
  own ``hash_key ==`` test), in range-key order as before;
- an index query on string or binary hash keys sees only the items whose hash key
  attributes hold those exact values (moto then checks them again), sorted once by the
  same key attributes' values (``DynamoType`` orders by ``cast_value``, computed here
  once per item), and without the items a start key puts before the page (moto skips
  exactly those: the order is total and the skip test is monotone in it).

Any other query (number hash keys, no hash condition) takes moto's path unchanged.
``tests/unit/local/test_moto_queries.py`` compares both paths' answers page by page.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

_MARK = "_rapport_narrowed_query"
_RAW_EQUALITY = frozenset({"S", "B"})


def _entries(entry: Any, ranged: bool) -> list[Item]:
    """The items of one partition of ``Table.items`` (a dict by range key, or the item)."""
    return list(entry.values()) if ranged else [entry]


def _partition(table: Table, hash_key: DynamoType) -> list[Item]:
    entry = table.items.get(hash_key)
    if entry is None:
        return []
    return _entries(entry, bool(table.range_key_attr))  # moto sorts them by range key


def _index_matches(table: Table, conditions: list[tuple[str, DynamoType]]) -> list[Item] | None:
    if not conditions or any(value.type not in _RAW_EQUALITY for _, value in conditions):
        return None
    matches = []
    for entry in table.items.values():
        for item in _entries(entry, bool(table.range_key_attr)):
            if all(
                (attr := item.attrs.get(name)) is not None
                and attr.type == value.type
                and attr.value == value.value
                for name, value in conditions
            ):
                matches.append(item)
    return matches


def _value(attr: DynamoType) -> Any:
    """``attr.cast_value``, read straight for a string (its cast value is itself)."""
    return attr.value if attr.type == "S" else attr.cast_value


def _sorter(table: Table, start: dict[str, Any] | None, forward: bool) -> Any:
    """``sorted_items`` sorting on values computed once, dropping what precedes ``start``."""

    def sorted_items(
        hash_attrs: list[str], range_attrs: list[str | None], items: list[Item]
    ) -> list[Item]:
        names = table._generate_attr_to_sort_by(hash_attrs, range_attrs)
        keys = [tuple(_value(item.attrs[name]) for name in names) for item in items]
        order = sorted(range(len(items)), key=keys.__getitem__)
        ordered, ordered_keys = [items[i] for i in order], [keys[i] for i in order]
        if start is None or any(name not in start for name in names):
            return ordered
        at = tuple(_value(DynamoType(start[name])) for name in names)
        if forward:
            return ordered[bisect.bisect_right(ordered_keys, at) :]
        return ordered[: bisect.bisect_left(ordered_keys, at)]

    return sorted_items


@contextmanager
def _narrowed(table: Table, items: list[Item], sorter: Any = None) -> Iterator[None]:
    table.all_items = lambda: items  # type: ignore[method-assign]
    if sorter is not None:
        table.sorted_items = sorter  # type: ignore[method-assign]
    try:
        yield
    finally:
        del table.all_items
        if sorter is not None:
            del table.sorted_items


def install() -> None:
    """Narrow every ``Query`` in this process's moto as described above (idempotent)."""
    moto_query = Table.query
    if getattr(moto_query, _MARK, False):
        return

    def query(  # the signature of moto's Table.query
        self: Table,
        hash_key: DynamoType | None,
        range_comparison: str | None,
        range_objs: list[DynamoType],
        limit: int,
        exclusive_start_key: dict[str, Any],
        scan_index_forward: bool,
        projection_expressions: list[list[str]] | None,
        index_name: str | None = None,
        consistent_read: bool = False,
        filter_expression: Any = None,
        hash_key_conditions: list[tuple[str, DynamoType]] | None = None,
        range_key_conditions: list[tuple[str, str, list[DynamoType]]] | None = None,
        **filter_kwargs: Any,
    ) -> Any:
        def call() -> Any:
            return moto_query(
                self,
                hash_key,
                range_comparison,
                range_objs,
                limit,
                exclusive_start_key,
                scan_index_forward,
                projection_expressions,
                index_name,
                consistent_read,
                filter_expression,
                hash_key_conditions=hash_key_conditions,
                range_key_conditions=range_key_conditions,
                **filter_kwargs,
            )

        if filter_kwargs:
            return call()
        if not index_name:
            if hash_key is None:
                return call()
            with _narrowed(self, _partition(self, hash_key)):
                return call()
        matches = _index_matches(self, hash_key_conditions or [])
        if matches is None:
            return call()
        sorter = _sorter(self, exclusive_start_key, scan_index_forward is not False)
        with _narrowed(self, matches, sorter):
            return call()

    setattr(query, _MARK, True)
    query.moto_query = moto_query  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
