"""The ``co-purchases`` document as stored: zlib-compressed JSON in one text field.

The document lists every sku of the catalog (``catalog`` and ``names``); with a few
thousand skus and Chinese names its plain form passes DynamoDB's 400 KB item limit.
Packed, it is a small fraction of that (``docs/co-purchases.md``, *The document*).
A document stored before packing (plain ``pairs``/``catalog``/``names``) still reads.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

PACKED = "packed"
"""The stored document's one field: base64 of the zlib-compressed JSON document."""


def packed(document: dict[str, Any]) -> dict[str, Any]:
    """The stored form of ``document`` (the same for the same document)."""
    data = zlib.compress(json.dumps(document, sort_keys=True, ensure_ascii=False).encode(), 9)
    return {PACKED: base64.b64encode(data).decode("ascii")}


def unpacked(stored: dict[str, Any] | None) -> dict[str, Any]:
    """The document of a stored one (packed or plain); empty for none."""
    if not stored:
        return {}
    if PACKED not in stored:
        return stored
    document: dict[str, Any] = json.loads(zlib.decompress(base64.b64decode(stored[PACKED])))
    return document
