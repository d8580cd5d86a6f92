"""The update expression's tree copied by pickling, not ``copy.deepcopy``, in moto.

Before it validates an ``UpdateExpression`` against the item, moto 5.2's
``Validator`` deep-copies the expression's syntax tree (its processors replace nodes
in place, and the same tree is validated again for a new item). ``copy.deepcopy``
walks the tree in Python, node by node with its memo; a profile's update sets some
forty attributes, a tree of several hundred nodes, and measured in the local stack's
moto process the copy took about 5 ms of such an ``UpdateItem`` (a fifth of it).

The tree is plain data (nodes with ``children`` lists, ``parent`` links, strings and
attribute values), so a pickle round trip gives the same independent copy, cycles and
shared references included, in C. :func:`install` uses it for the validator's copy and
keeps moto's ``deepcopy`` for anything pickle refuses.
``tests/unit/local/test_moto_update_copies.py`` compares the validated results.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

from moto.dynamodb.parsing import validators

_MARK = "_rapport_pickled_copy"


def tree_copy(tree: Any) -> Any:
    """An independent copy of ``tree``, equal to ``copy.deepcopy(tree)``."""
    try:
        return pickle.loads(pickle.dumps(tree, pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        return copy.deepcopy(tree)


def _validator_init(
    self: Any,
    expression: Any,
    expression_attribute_names: dict[str, str],
    expression_attribute_values: dict[str, dict[str, Any]],
    item: Any,
    table: Any,
) -> None:
    """``Validator.__init__`` (moto 5.2) with the tree copied by :func:`tree_copy`."""
    self.expression_attribute_names = expression_attribute_names
    self.expression_attribute_values = expression_attribute_values
    self.item = item
    self.table = table
    self.processors = self.get_ast_processors()
    self.node_to_validate = tree_copy(expression)


def install() -> None:
    """Copy update expression trees by pickling in this process's moto (idempotent)."""
    if getattr(validators.Validator.__init__, _MARK, False):
        return
    setattr(_validator_init, _MARK, True)
    validators.Validator.__init__ = _validator_init  # type: ignore[method-assign]
