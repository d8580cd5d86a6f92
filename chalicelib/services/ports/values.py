"""A customer's value and the facts applied to it (markers, commits, rescoring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from chalicelib.domain.customer_value import Rescored
from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally
from chalicelib.domain.order_effects import ValueState
from chalicelib.domain.order_purchases import PlacedPurchases
from chalicelib.domain.profile import Profile


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
    """Everything one fact changes: a marker, profile attributes, mail, bonuses, and what
    it adds to the store's daily metrics."""

    customer_id: str
    expected_version: int
    attributes: dict[str, Any]
    marker: Marker
    requires: list[Marker] = field(default_factory=list)
    absent: list[Marker] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    bonuses: list[Bonus] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    purchases: PlacedPurchases | None = None  # an order placed: its purchases, folded in


@dataclass(frozen=True)
class CustomerValue:
    """A customer's value as stored: the profile, its value state and the version read."""

    profile: Profile
    state: ValueState
    version: int = 0
    referral_credited: bool = False


@dataclass(frozen=True)
class DerivedUpdate:
    """New derived values for a profile, valid while its stats are still ``orders``/``spent``."""

    customer_id: str
    orders: int
    spent: int
    values: Rescored


class ValueRepository(Protocol):
    """Profiles' value attributes and the markers of the facts applied to them."""

    def load(self, customer_id: str) -> CustomerValue | None: ...

    def marker(self, customer_id: str, entry_key: str) -> dict[str, Any] | None: ...

    def returned(self, customer_id: str, order_id: str) -> tuple[int, int]:
        """Refund amount and points already taken back by the order's returns."""
        ...

    def commit(self, change: ValueCommit) -> None:
        """Apply ``change`` atomically.

        Raises
        ------
        AlreadyApplied, StaleWrite, NotReady, Superseded
            From :mod:`chalicelib.services.exceptions`: the marker exists, the version
            moved, a required marker is missing, a marker that must be absent exists.
        """
        ...
