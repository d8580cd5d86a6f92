"""DynamoDB items (maps of attribute values) serialized whole in moto's responses.

:mod:`local.moto_serializer` serializes each attribute value directly, but moto 5.2
still reaches every attribute of an item through its model's map walk: per attribute
a path push and pop, a method looked up by the shape's type name and a serialized name
looked up in the shape. A ``GetRecords`` page of 25 order images (old and new) is some
two thousand such steps; measured in the local stack's moto, the walk was most of what
the direct path had left of a stream read.

An item in moto's results is a plain ``{name: attribute value}`` dict, and the JSON
protocol writes a map as a JSON object with the same keys, each attribute value under
its own name (an ``AttributeValue`` member carries no serialized name of its own), so
:func:`install` writes such a map in one pass with
:func:`local.moto_serializer.wire_value` and leaves any other map, or any value not in
wire form, to moto's path. ``tests/unit/local/test_moto_attribute_maps.py`` checks
that both paths answer the same bytes.
"""

from __future__ import annotations

from typing import Any

from moto.core.serialize import BaseJSONSerializer

from local.moto_serializer import NotWireForm, wire_value

_MARK = "_rapport_attribute_maps"


def install() -> None:
    """Serialize maps of attribute values in one pass in this process's moto (idempotent)."""
    model_path = BaseJSONSerializer._serialize_type_map
    if getattr(model_path, _MARK, False):
        return

    def serialize_map(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        values = shape.value
        if values.name == "AttributeValue" and not values.serialization and isinstance(value, dict):
            try:
                whole = {k: wire_value(self, v) for k, v in value.items()}
            except NotWireForm:
                pass  # moto's path serializes what is not in wire form
            else:
                self._default_serialize(serialized, whole, shape, key)
                return
        model_path(self, serialized, value, shape, key)

    setattr(serialize_map, _MARK, True)
    serialize_map.model_path = model_path  # type: ignore[attr-defined]
    BaseJSONSerializer._serialize_type_map = serialize_map  # type: ignore[method-assign]
