"""A direct path for DynamoDB attribute values in moto's request parser.

moto 5.2 parses every request body through botocore's model after ``json.loads``: for
each structure it walks every member of the shape, so each attribute value of each
item (``{"S": "..."}``, a union of ten members) costs ten look-ups, recursively through
maps and lists. Measured in the local stack's moto, that was about a quarter of a
``BatchWriteItem`` of 25 orders.

On the wire an attribute value already has the form moto keeps (``{"S": "..."}``,
``{"M": {...}}``); the model path only drops members sent as ``null`` and base64-decodes
blobs. :func:`attribute_value` does the same for a value with exactly one member of the
expected JSON type, recursively, and leaves anything else to moto's path.
``tests/unit/local/test_moto_parser.py`` checks that both paths give equal answers.
"""

from __future__ import annotations

import base64
from typing import Any

from moto.core.parse import BaseJSONParser, default_blob_parser

_MARK = "_rapport_attribute_values_parsed"
_TEXT = frozenset({"S", "N"})
_TEXT_SETS = frozenset({"SS", "NS"})
_FLAGS = frozenset({"BOOL", "NULL"})


class NotWireForm(Exception):
    """Not a plain attribute value: moto's own path parses it."""


def attribute_value(value: Any) -> dict[str, Any]:
    """One attribute value as the model path parses it (raises :class:`NotWireForm`)."""
    if not isinstance(value, dict) or len(value) != 1:
        raise NotWireForm
    ((kind, inner),) = value.items()
    if kind in _TEXT and isinstance(inner, str):
        return {kind: inner}
    if kind in _FLAGS and isinstance(inner, bool):
        return {kind: inner}
    if kind == "M" and isinstance(inner, dict):
        return {"M": {k: attribute_value(v) for k, v in inner.items() if isinstance(k, str)}}
    if kind == "L" and isinstance(inner, list):
        return {"L": [attribute_value(v) for v in inner]}
    if kind in _TEXT_SETS and isinstance(inner, list) and all(isinstance(v, str) for v in inner):
        return {kind: list(inner)}
    if kind == "B" and isinstance(inner, str):
        return {"B": base64.b64decode(inner)}
    if kind == "BS" and isinstance(inner, list) and all(isinstance(v, str) for v in inner):
        return {"BS": [base64.b64decode(v) for v in inner]}
    raise NotWireForm


def install() -> None:
    """Parse DynamoDB attribute values directly in this process's moto (idempotent)."""
    model_path = BaseJSONParser._parse_structure
    if getattr(model_path, _MARK, False):
        return

    def parse_structure(self: Any, shape: Any, value: Any) -> Any:
        if shape.name == "AttributeValue" and self._blob_parser is default_blob_parser:
            try:
                return attribute_value(value)
            except (NotWireForm, ValueError):
                pass  # moto's path parses it, or refuses it as it does
        return model_path(self, shape, value)

    setattr(parse_structure, _MARK, True)
    parse_structure.model_path = model_path  # type: ignore[attr-defined]
    BaseJSONParser._parse_structure = parse_structure  # type: ignore[method-assign]
