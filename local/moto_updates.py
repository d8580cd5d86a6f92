"""Faster equivalents of three steps moto takes on every DynamoDB write.

Measured with cProfile inside the moto process during a shop replay, update
expressions and item construction were about a third of moto's time:

- moto parses each ``UpdateExpression`` twice per ``UpdateItem`` (once to check the
  placeholders, once to apply it) and once more per ``Update`` of a transaction. The
  parsed tree is only read or deep-copied by its users (the validator works on a copy),
  so :func:`parse_update_expression` keeps the tree of each expression text it has seen.
- its validator walks the tree ten times, and at every node of every walk rebuilds the
  walker's map of node types to process and asks ``isinstance`` of abstract classes.
  The map is fixed per walker and the answers per node class; :func:`traverse` looks
  them up once per class and walk and visits the nodes in the same order.
- an ``Item`` adds its attributes one by one to a dict that re-sums the sizes of all
  those already in it at each addition (quadratic in the attributes). Sizes are never
  negative and the keys of a new item are distinct, so that sum is a running total:
  :func:`new_item` keeps it and checks it at each addition, with moto's own limit.

``tests/unit/local/test_moto_updates.py`` compares each with moto's own path.
"""

from __future__ import annotations

import functools
from typing import Any

from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.utilities import bytesize
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node  # type: ignore[attr-defined]
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]

_MARK = "_rapport_fast_updates"
ITEM_SIZE_LIMIT = 405000  # moto's LimitedSizeDict limit (between DynamoDB's 409 and 410 KB)
PARSED_EXPRESSIONS = 1024

_moto_make = UpdateExpressionParser.make.__func__


@functools.lru_cache(maxsize=PARSED_EXPRESSIONS)
def _parsed(expression: str) -> Any:
    return _moto_make(UpdateExpressionParser, expression)


def parse_update_expression(cls: Any, expression: str) -> Any:
    """``UpdateExpressionParser.make``, parsed once per expression text."""
    if cls is not UpdateExpressionParser:
        return _moto_make(cls, expression)
    return _parsed(expression)


def _node_kinds(self: Any) -> Any:
    """Per node class: whether it is a node, and the walker's processor for it (or None).

    moto asks ``isinstance`` (of abstract classes) twice per node and rebuilds the
    walker's processing map at every processed node; the answers depend only on the
    node's class, so they are looked up once per class and walk.
    """
    types = self.nodes_to_be_processed()
    own_process = type(self).process is DepthFirstTraverser.process
    mapping = list(self._processing_map().items()) if own_process else []
    kinds: dict[type, tuple[bool, Any]] = {}

    def kind(cls: type) -> tuple[bool, Any]:
        if cls not in kinds:
            handled = issubclass(cls, Node) and issubclass(cls, types)
            processor = None
            if handled and own_process:
                processor = next((f for key, f in mapping if issubclass(cls, key)), _none)
            elif handled:
                processor = self.process
            kinds[cls] = (issubclass(cls, Node), processor)
        return kinds[cls]

    return kind


def _none(node: Any) -> None:
    return None  # what moto's ``process`` answers for a class its map does not name


def traverse(self: Any, node: Any) -> Any:
    """``DepthFirstTraverser.traverse`` with each node class's processing looked up once."""
    kind = _node_kinds(self)
    pre = self.pre_processing_of_child
    if type(self).pre_processing_of_child is DepthFirstTraverser.pre_processing_of_child:
        pre = None  # moto's hook does nothing unless a walker overrides it

    def visit(node: Any, child_id: int = -1) -> Any:
        is_node, processor = kind(type(node))
        if is_node:
            parent_node = node.parent
            if node.children is not None:
                for i, child_node in enumerate(node.children):
                    if pre is not None:
                        pre(node, i)
                    visit(child_node, i)
            if processor is not None:
                node = processor(node)
                node.parent = parent_node
                if parent_node:
                    parent_node.children[child_id] = node
        return node

    return visit(node)


def _size(key: str, value: Any) -> int:
    return bytesize(key) + (value.size() if type(value) is DynamoType else bytesize(str(value)))


def new_item(
    self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]
) -> None:
    """``Item.__init__`` with the item's size checked once, after its last attribute."""
    self.hash_key = hash_key
    self.range_key = range_key
    values = LimitedSizeDict()
    total = 0
    for key, value in attrs.items():
        typed = DynamoType(value)
        total += _size(key, typed)  # what moto re-sums at each addition
        if total > ITEM_SIZE_LIMIT:
            raise ItemSizeTooLarge
        dict.__setitem__(values, key, typed)
    self.attrs = values


def install() -> None:
    """Use the faster equivalents in this process's moto (idempotent)."""
    if getattr(Item.__init__, _MARK, False):
        return
    for function in (parse_update_expression, traverse, new_item):
        setattr(function, _MARK, True)
    UpdateExpressionParser.make = classmethod(parse_update_expression)
    DepthFirstTraverser.traverse = traverse
    Item.__init__ = new_item  # type: ignore[method-assign]
