"""Product-update campaigns: the buyers of a sku, the campaigns and their fan-out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from chalicelib.domain.campaigns import CampaignRequest, Change, Counts
from chalicelib.domain.orders import Order


@dataclass(frozen=True)
class Buyer:
    """One purchase item of the sku index: who bought it, under which product name."""

    customer_id: str
    product_name: str


@dataclass(frozen=True)
class Campaign:
    """A stored campaign: the request, where its fan-out stands, and its counts."""

    request: CampaignRequest
    phase: str
    created_at: str
    page: int = 0
    cursor: str | None = None
    last_customer: str | None = None
    fanned_out: bool = False
    progressed_at: str | None = None
    cancelled_at: str | None = None
    counts: Counts = field(default_factory=Counts)
    queued: int = 0
    """Messages the fan-out queued (the stream's ``recipients`` catches up with it)."""


class Purchases(Protocol):
    """The purchase items of the orders table and their sku index."""

    def record(self, order: Order) -> None: ...

    def withdraw(self, order: Order, at: str) -> None: ...

    def buyers(self, sku: str, limit: int, cursor: str | None) -> tuple[list[Buyer], str | None]:
        """One page of the sku's buyers (a customer may repeat, on adjacent items)."""
        ...


class CampaignStore(Protocol):
    """The campaigns table."""

    def create(self, campaign: Campaign) -> bool:
        """Store a new campaign; ``False`` when its id is taken."""
        ...

    def get(self, campaign_id: str) -> Campaign | None: ...

    def page(self, limit: int, cursor: str | None) -> tuple[list[Campaign], str | None]: ...

    def cancel(self, campaign_id: str, at: str) -> bool:
        """Cancel unless done or cancelled already; ``False`` if it was not cancellable."""
        ...

    def advance(
        self,
        campaign_id: str,
        page: int,
        cursor: str | None,
        last: str | None,
        at: str,
        queued: int = 0,
    ) -> bool:
        """Record page ``page`` as fanned out (``cursor`` ``None``: the last); ``False``
        when that page was recorded already or the campaign was cancelled."""
        ...

    def start(self, campaign_id: str, at: str) -> bool:
        """``scheduled`` → ``sending``; ``False`` if it was not scheduled."""
        ...

    def due(self, limit: int) -> list[Campaign]:
        """Campaigns whose fan-out is not finished, earliest ``send_at`` first."""
        ...

    def count(self, customer_id: str, message_key: str, change: Change) -> bool:
        """Apply one message change to its campaign's counts once; ``False`` when it was
        applied already (or the campaign is unknown)."""
        ...

    def is_cancelled(self, campaign_id: str) -> bool: ...


class CampaignLauncher(Protocol):
    """Run one page of a campaign's fan-out in the campaign's own function."""

    def launch(self, campaign_id: str, page: int) -> None: ...
