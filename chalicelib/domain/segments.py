"""The 11 named RFM segments (numpy-free, so the API can list them cheaply)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

SEGMENTS: Mapping[str, str] = MappingProxyType(
    {
        "champions": "Champions",
        "loyal": "Loyal",
        "potential_loyalist": "Potential loyalist",
        "new_customers": "New customers",
        "promising": "Promising",
        "need_attention": "Need attention",
        "about_to_sleep": "About to sleep",
        "at_risk": "At risk",
        "cannot_lose_them": "Cannot lose them",
        "hibernating": "Hibernating",
        "lost": "Lost",
    }
)
"""Segment id -> display name, best segments first."""
