"""A direct path for DynamoDB attribute values in moto's response serializer.

moto 5.2 serializes every response through botocore's model: for each member of each
structure it tries several attribute names on the result (``get_possible_keys``). A
DynamoDB ``AttributeValue`` is a union of ten members, so every attribute of every item
in a ``GetItem``, ``Query``, ``Scan`` or stream ``GetRecords`` answer costs ten look-ups
with their aliases, recursively through maps and lists. Measured through the local
stack, that was about half of moto's time (a GetRecords page of 25 profile images took
about 100 ms).

moto's results already hold attribute values in their wire form
(``{"S": "..."}``, ``{"M": {...}}``), so :func:`install` serializes an
``AttributeValue`` by walking that form directly, member by member with the same
conversions the model path applies (strings as text, blobs base64), and falls back to
moto's path for anything else. ``tests/unit/local/test_moto_serializer.py`` checks that
both paths give the same bytes.
"""

from __future__ import annotations

from typing import Any

from moto.core.serialize import BaseJSONSerializer

_MARK = "_rapport_attribute_values"
_SCALARS = frozenset({"S", "N", "BOOL", "NULL"})
_SETS = frozenset({"SS", "NS"})


class NotWireForm(Exception):
    """The value is not a plain attribute value: let moto's own path handle it."""


def _text(value: Any) -> Any:
    return str(value) if value not in (None, {}, []) else value


def wire_value(serializer: Any, value: Any) -> dict[str, Any]:
    """One attribute value as the model path would serialize it (raises if unsure)."""
    if not isinstance(value, dict) or len(value) != 1:
        raise NotWireForm
    ((kind, inner),) = value.items()
    if kind in _SCALARS:
        return {kind: _text(inner) if kind in ("S", "N") else inner}
    if kind in _SETS and isinstance(inner, list):
        return {kind: [_text(v) for v in inner]}
    if kind == "M" and isinstance(inner, dict):
        return {"M": {k: wire_value(serializer, v) for k, v in inner.items()}}
    if kind == "L" and isinstance(inner, list):
        return {"L": [wire_value(serializer, v) for v in inner]}
    if kind == "B":
        return {"B": serializer._base64(inner)}
    if kind == "BS" and isinstance(inner, list):
        return {"BS": [serializer._base64(v) for v in inner]}
    raise NotWireForm


def install() -> None:
    """Serialize DynamoDB attribute values directly in this process's moto (idempotent)."""
    model_path = BaseJSONSerializer._serialize_type_structure
    if getattr(model_path, _MARK, False):
        return

    def serialize_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if key and shape.name == "AttributeValue":
            try:
                serialized[self.get_serialized_name(shape, key)] = wire_value(self, value)
                return
            except NotWireForm:
                pass
        model_path(self, serialized, value, shape, key)

    setattr(serialize_structure, _MARK, True)
    serialize_structure.model_path = model_path  # type: ignore[attr-defined]
    BaseJSONSerializer._serialize_type_structure = serialize_structure  # type: ignore[method-assign]
