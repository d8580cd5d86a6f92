"""The items of the shipments table: one parcel item and one item per carrier scan in each
tracking number's partition."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.tracking_scan import Scan

PARCEL = "parcel"
SCAN_PREFIX = "scan#"


def scan_from_item(item: dict[str, Any]) -> Scan:
    """Rebuild a scan from its stored item."""
    return Scan.from_dict(item)


def is_scan(item: dict[str, Any]) -> bool:
    """Whether a shipments item is a scan."""
    return str(item.get("record", "")).startswith(SCAN_PREFIX)


def is_parcel(item: dict[str, Any]) -> bool:
    """Whether a shipments item is a parcel."""
    return item.get("record") == PARCEL
