"""What applying one fact writes: a marker, profile attributes, mail, bonuses.

Services build a :class:`ValueCommit`; the value repository applies it atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.messages import Message


@dataclass(frozen=True)
class Marker:
    """A timeline entry that records a fact as applied."""

    customer_id: str
    entry_key: str
    at: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Bonus:
    """Points added to another customer's profile (a referrer), with its own marker."""

    customer_id: str
    points: int
    marker: Marker


@dataclass
class ValueCommit:
    """Everything one fact changes."""

    customer_id: str
    expected_version: int
    attributes: dict[str, Any]
    marker: Marker
    requires: list[Marker] = field(default_factory=list)
    absent: list[Marker] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    bonuses: list[Bonus] = field(default_factory=list)
