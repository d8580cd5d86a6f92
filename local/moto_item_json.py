"""Attribute values turned into JSON once per level in moto, not once per level above.

moto 5.2's ``DynamoType.to_regular_json`` deep-copies its value and then converts each
nested value, which deep-copies that value again: a value nested ``d`` levels down
(an order's ``lines``: a list of maps of attributes) is copied ``d`` times over. moto
converts every item it writes to JSON for the stream record (old and new image) and
every item it answers, so for a table with a stream each write paid it twice; measured
in the local stack's moto, that was about a third of a ``BatchWriteItem`` of orders.

:func:`regular_json` gives the same result (new containers at every level, nested
attribute values converted, blobs decoded as moto decodes them) copying each value once.
``tests/unit/local/test_moto_item_json.py`` compares it with moto's own.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType

_MARK = "_rapport_json_once"
_moto_regular_json = DynamoType.to_regular_json


def _converted(value: Any) -> Any:
    return regular_json(value) if isinstance(value, DynamoType) else copy.deepcopy(value)


def regular_json(self: DynamoType) -> dict[str, Any]:
    """``DynamoType.to_regular_json``, each nested value copied once."""
    value = self.value
    if isinstance(value, dict):
        value = {key: _converted(nested) for key, nested in value.items()}
    elif isinstance(value, list):
        value = [_converted(nested) for nested in value]
    else:
        value = copy.deepcopy(value)
    if self.is_binary() and isinstance(value, str):
        value = base64.b64decode(value)
    return {self.type: value}


def install() -> None:
    """Convert attribute values to JSON with one copy in this process's moto (idempotent)."""
    if getattr(DynamoType.to_regular_json, _MARK, False):
        return
    setattr(regular_json, _MARK, True)
    DynamoType.to_regular_json = regular_json  # type: ignore[method-assign]
