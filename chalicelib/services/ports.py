"""Ports: what services need from the outside world, as protocols.

Adapters in :mod:`chalicelib.adapters` implement them against AWS; tests may pass
fakes. Services never import boto3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from chalicelib.domain.admin_keys import AdminKey
from chalicelib.domain.campaigns import CampaignRequest, Change, Counts
from chalicelib.domain.corrections import Correction
from chalicelib.domain.customer_value import Rescored
from chalicelib.domain.frequency_cap import RecentMail
from chalicelib.domain.history_purchases import HistoryPurchases
from chalicelib.domain.job_runs import JobRun
from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally
from chalicelib.domain.order_effects import ValueState
from chalicelib.domain.order_purchases import PlacedPurchases
from chalicelib.domain.orders import Order
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.tracking_scan import Scan
from chalicelib.domain.value_settings import CustomerValueSettings

RFM_DOCUMENT = "rfm-boundaries"
"""The settings document holding the RFM quintile boundaries (written by the nightly job)."""
CLV_DOCUMENT = "clv-model"
"""The settings document holding the fitted CLV parameters (written by the nightly job)."""

# --- data the ports exchange -------------------------------------------------------


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


@dataclass(frozen=True)
class StoredOrder:
    """An order as the orders table holds it: the order, its status, its request's id."""

    order: Order
    status: str
    correlation_id: str | None = None


# --- ports ----------------------------------------------------------------------

T = TypeVar("T")


class Retrier(Protocol):
    """Calls ``call`` again after a transient error, within a bound; raises past it
    (:class:`chalicelib.services.retry.RetryPolicy`)."""

    def __call__(self, call: Callable[[], T]) -> T: ...


class Clock(Protocol):
    """The time now (tz-aware UTC)."""

    def now(self) -> datetime: ...


class CustomerRepository(Protocol):
    """Profiles, their email guards and their version history."""

    def create(
        self,
        profile: Profile,
        signup_digest: str,
        correlation_id: str | None,
        import_id: str | None = None,
    ) -> None:
        """Write a new profile (``import_id``: brought in by that import); raises as below.

        Raises
        ------
        chalicelib.adapters.exceptions.AlreadyExists
            The id exists (``field='customer_id'``) or the email is taken (``'email'``).
        """

    def get(self, customer_id: str) -> Profile | None: ...

    def owner_of(self, email: str) -> str | None:
        """The id of the profile that owns ``email``."""
        ...

    def timeline(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the timeline, newest first, and the next page's cursor.

        Raises ``ValueError`` for a cursor this port did not give out for this customer.
        """
        ...

    def signup_digest(self, customer_id: str) -> str | None: ...

    def save_correction(
        self, previous: Profile, correction: Correction, source: str, correlation_id: str | None
    ) -> None: ...


class ProfileReader(Protocol):
    """Reads one profile as it stands now (the mailer's live view of the recipient)."""

    def get(self, customer_id: str) -> Profile | None:
        """The profile (a strongly consistent read), or ``None`` when erased or unknown."""
        ...


class Outbox(Protocol):
    """The messages table: the outbox and the message log."""

    def enqueue(self, message: Message, tally: Tally | None = None) -> bool:
        """Queue ``message`` unless its key exists; ``tally`` is counted with it, once."""
        ...

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None: ...

    def mark_sent(self, message: Message, provider_id: str, now: datetime) -> None: ...

    def mark_suppressed(self, message: Message, reason: str, now: datetime) -> None: ...

    def mark_deferred(self, message: Message, not_before: datetime, now: datetime) -> None: ...

    def release(self, message: Message, error: str, now: datetime) -> None: ...

    def mark_failed(self, message: Message, reason: str, now: datetime) -> None: ...

    def recent_mail(self, customer_id: str, since: datetime) -> list[RecentMail]:
        """The customer's non-transactional mail sent since ``since`` or still waiting."""
        ...

    def by_status(
        self, status: str, limit: int = 50, cursor: str | None = None, before: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def for_customer(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def requeue_deferred(self, customer_id: str, message_key: str, now: datetime) -> bool: ...

    def requeue_expired_claim(self, customer_id: str, message_key: str, now: datetime) -> bool: ...


class SettingsStore(Protocol):
    """Store settings and settings documents (cached by the adapter)."""

    def store(self) -> StoreSettings: ...

    def save_store(self, settings: StoreSettings) -> None: ...

    def document(self, setting_id: str, fresh: bool = False) -> dict[str, Any] | None: ...

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None: ...

    def customer_value(self) -> CustomerValueSettings: ...

    def save_customer_value(self, settings: CustomerValueSettings) -> None: ...


class MailSender(Protocol):
    """Sends one raw MIME message; returns the provider's message id."""

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str: ...


class LinkSigner(Protocol):
    """Signs and verifies public links."""

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str: ...

    def verify(self, purpose: str, token: str, now: datetime) -> str | None: ...


class JobRunStore(Protocol):
    """Requested job runs and how they ended."""

    def create(self, run: JobRun) -> None: ...

    def get(self, run_id: str) -> JobRun | None: ...

    def recent(self, job: str, limit: int, cursor: str | None) -> tuple[list[JobRun], str | None]:
        """One page of ``job``'s runs, the latest requested first (``ValueError`` for a
        cursor it did not give out)."""
        ...

    def start(self, run: JobRun, replacing: str) -> bool:
        """Store ``run`` (attempt *n*, now running) if the stored run is still attempt
        *n - 1* with status ``replacing``; else ``False`` (another delivery got there)."""
        ...

    def finish(self, run: JobRun, only_if: str | None = None) -> None:
        """Store how ``run`` ended (only if the stored run's status is ``only_if``, if given)."""
        ...


class JobLauncher(Protocol):
    """Asks the job's own function to run a queued run (returns before it runs)."""

    def launch(self, run: JobRun) -> None: ...


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


class OrdersRepository(Protocol):
    """Orders, keyed by the store's order id."""

    def create(
        self, order: Order, digest: str, now: str, correlation_id: str | None
    ) -> dict[str, Any]: ...

    def get(self, order_id: str) -> dict[str, Any] | None:
        """The stored order item (the API's views), or ``None``."""
        ...

    def order(self, order_id: str) -> StoredOrder | None: ...

    def set_status(self, order_id: str, old: str, new: str, now: str) -> dict[str, Any]: ...

    def all_orders(self, retry: Retrier = ...) -> list[StoredOrder]: ...

    def customer_orders(self, customer_id: str) -> list[StoredOrder]: ...


class SegmentLists(Protocol):
    """Customers listed by RFM segment and by loyalty class (indexes, never a scan)."""

    def by_segment(
        self, segment: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def by_loyalty(
        self, loyalty: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...


class ShipmentRepository(Protocol):
    """Parcels, their carrier scans and the tracking milestones published."""

    def order(self, order_id: str) -> dict[str, Any] | None: ...

    def register(self, parcel: dict[str, Any]) -> None: ...

    def parcel(self, tracking_number: str) -> dict[str, Any] | None: ...

    def parcels_for_order(self, order_id: str) -> list[dict[str, Any]]: ...

    def load(self, tracking_number: str) -> tuple[dict[str, Any] | None, list[Scan]]: ...

    def add_scan(self, scan: Scan, carrier: str | None, received_at: str) -> bool: ...

    def record_fold(
        self,
        tracking_number: str,
        version: int,
        state: dict[str, Any],
        published: dict[str, Any],
        new_pending: dict[str, dict[str, Any]],
    ) -> None: ...

    def mark_published(self, tracking_number: str, key: str, claim: str) -> bool: ...

    def release(self, tracking_number: str, key: str, claim: str) -> bool: ...

    def take_over(
        self, tracking_number: str, key: str, entry: dict[str, Any], claim: str, until: str
    ) -> bool: ...


class ReturnRepository(Protocol):
    """Return and exchange requests, stored beside their order."""

    def get(self, order_id: str, return_id: str) -> dict[str, Any] | None: ...

    def for_order(self, order_id: str) -> list[dict[str, Any]]: ...

    def create(self, item: dict[str, Any]) -> None: ...


class SurveyRepository(Protocol):
    """Satisfaction survey answers, one per customer and parcel."""

    def get(self, customer_id: str, tracking_number: str) -> dict[str, Any] | None: ...

    def record(self, customer_id: str, tracking_number: str, entry: dict[str, Any]) -> None: ...


class TrackingPublisher(Protocol):
    """Publishes a parcel's tracking status; returns the provider's message id."""

    def publish(self, message: dict[str, Any]) -> str: ...


class SupportRepository(Protocol):
    """Support tickets, their threads, the open-ticket counter and per-day figures.

    Every write that changes a ticket's status moves the open counter and the day's
    figures in the same transaction, and queues the letter it causes with them.
    """

    def open_count(self) -> int:
        """Tickets open now (one counter item, never a scan)."""
        ...

    def ticket(self, ticket_id: str) -> dict[str, Any] | None: ...

    def message_guard(self, message_id: str) -> dict[str, Any] | None:
        """What a message id was taken for (``ticket_id``, ``digest``), or ``None``."""
        ...

    def open_ticket(
        self, ticket: dict[str, Any], message: dict[str, Any], letter: Message, day: str
    ) -> None:
        """Write a new ticket with its first message and auto-reply; ``AlreadyExists``."""
        ...

    def follow_up(self, ticket: dict[str, Any], message: dict[str, Any], previous: str) -> None:
        """Add a customer's message, reopening the ticket; ``AlreadyExists``, ``StaleWrite``."""
        ...

    def answer(
        self,
        ticket: dict[str, Any],
        reply: dict[str, Any],
        previous: str,
        letter: Message,
        first_reply: dict[str, Any] | None,
    ) -> None:
        """Record an answer and queue its letter; ``AlreadyExists``, ``StaleWrite``."""
        ...

    def thread(self, ticket_id: str) -> list[dict[str, Any]]:
        """The ticket's messages and replies, in time order."""
        ...

    def reply_item(self, ticket_id: str, reply_id: str) -> dict[str, Any] | None: ...

    def by_status(
        self, status: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def overdue(
        self, now: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def for_customer(self, customer_id: str, limit: int) -> list[dict[str, Any]]: ...

    def days(self, start: str, end: str) -> list[dict[str, Any]]:
        """The per-day figures from ``start`` to ``end`` (dates, inclusive)."""
        ...


class AdminKeyStore(Protocol):
    """The admin keys the API issued (their digests, never the keys)."""

    def create(self, key: AdminKey) -> None: ...

    def get(self, key_id: str) -> AdminKey | None:
        """A strongly consistent read: a revoked key is gone at once."""
        ...

    def page(self, limit: int, cursor: str | None) -> tuple[list[AdminKey], str | None]:
        """Keys, oldest first; raises ``ValueError`` for a cursor it did not give out."""
        ...

    def delete(self, key_id: str) -> bool:
        """Remove a key; whether it existed."""
        ...

    def record_use(self, key_id: str, at: datetime, unless_since: datetime) -> None:
        """Set ``last_used_at`` unless it is already later than ``unless_since``."""
        ...


class MailFeedbackStore(Protocol):
    """What SES feedback reads and writes: messages by provider id, soft bounces, markers."""

    def seen(self, notification_id: str) -> bool: ...

    def remember(
        self,
        notification_id: str,
        outcome: str,
        now: datetime,
        reason: str | None = None,
        tally: Tally | None = None,
    ) -> None:
        """Mark the notification handled; ``tally`` is counted with the marker, once."""
        ...

    def find_message(self, provider_message_id: str) -> tuple[str, str] | None: ...

    def record_outcome(self, customer_id: str, message_key: str, outcome: str, at: str) -> None: ...

    def count_transient_bounce(self, email: str, customer_id: str, entry: str) -> list[str]: ...


class UnreachableList(Protocol):
    """Profiles with no deliverable contact, one page at a time (an index, never a scan)."""

    def page(self, limit: int, cursor: str | None) -> tuple[list[Profile], str | None]: ...


class CustomerLists(Protocol):
    """The admin's lists of customers, each one index Query, a page at a time.

    Every method returns ``(profiles, next_cursor)`` and raises ``ValueError`` for a cursor
    it did not give out.
    """

    def by_tier(
        self, tier: int, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def by_loyalty(
        self, loyalty: str, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def by_segment(
        self, segment: str, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def top(self, by: str, limit: int, cursor: str | None) -> tuple[list[Profile], str | None]: ...

    def signed_up(
        self, first_day: str | None, last_day: str | None, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...

    def search(
        self, prefix: str, limit: int, cursor: str | None
    ) -> tuple[list[Profile], str | None]: ...


class CustomerRecords(Protocol):
    """One customer's orders, parcels and messages, newest first (index Queries).

    Every method returns ``(items, next_cursor)`` and raises ``ValueError`` for a cursor
    it did not give out for this customer.
    """

    def orders(
        self, customer_id: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def parcels(
        self, customer_id: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def messages(
        self, customer_id: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...


class PrivacyStore(Protocol):
    """Everything held about one customer, for export and erasure (key and index reads)."""

    def profile_item(self, customer_id: str) -> dict[str, Any] | None: ...

    def timeline(self, customer_id: str) -> list[dict[str, Any]]: ...

    def messages(self, customer_id: str) -> list[dict[str, Any]]: ...

    def orders(self, customer_id: str) -> list[dict[str, Any]]: ...

    def shipments(self, customer_id: str) -> list[dict[str, Any]]: ...

    def support(self, customer_id: str) -> list[dict[str, Any]]:
        """The customer's tickets and their threads (messages, replies)."""
        ...

    def activity(self, customer_id: str) -> list[dict[str, Any]]:
        """The customer's shop activity (events, cart, product views)."""
        ...

    def message_guard(self, message_id: str) -> dict[str, Any] | None: ...

    def close_ticket(self, ticket: dict[str, Any], previous: str) -> bool:
        """Write a closed ticket if still ``previous``, the open counter in step."""
        ...

    def save(self, table: str, item: dict[str, Any]) -> None: ...

    def delete(self, table: str, key: dict[str, str]) -> None: ...

    def drop_email_guard(self, email: str, owner: str) -> None: ...

    def replace_profile(self, record: dict[str, Any], version: int) -> bool: ...


class MetricsCounters(Protocol):
    """The store's daily counters (one item per store day, never a scan)."""

    @property
    def time_zone(self) -> str:
        """The zone whose calendar days the counters follow."""
        ...

    def count_once(self, fact_key: str, tally: Tally, now: datetime) -> bool:
        """Add ``tally`` unless ``fact_key`` was counted before; whether it was added now."""
        ...

    def days(self, start: date, end: date) -> dict[str, dict[str, int]]:
        """The counters of the days from ``start`` to ``end`` (inclusive) that have any."""
        ...


class SuppressionList(Protocol):
    """Keyed hashes of addresses no mail may go to (erased people)."""

    def add(self, email: str, reason: str, at: str) -> None: ...

    def reason(self, email: str) -> str | None:
        """Why the address is suppressed, or ``None``."""
        ...


# --- product-update campaigns ---


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


# --- bulk imports ------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryFold:
    """One customer's imported history: the profile's new value attributes (if nobody
    changed them since ``expected_version`` was read) and the import's marker on the
    customer's timeline (``import#<import_id>``, naming the orders it counted)."""

    customer_id: str
    expected_version: int
    attributes: dict[str, Any]
    marker: Marker
    bought: HistoryPurchases | None = None  # its purchase and replenishable items


class ImportRunStore(Protocol):
    """Imports' status and counts."""

    def create(self, run: Any) -> bool:
        """Store a new import; ``False`` when one with its id exists."""
        ...

    def get(self, import_id: str) -> Any | None: ...

    def save(self, run: Any) -> None: ...


class ImportFiles(Protocol):
    """The imports bucket: presigned upload and download links, reading a file."""

    def upload_url(self, key: str, expires_in: int) -> str: ...

    def download_url(self, key: str, expires_in: int) -> str: ...

    def read(self, key: str) -> bytes: ...

    def write(self, key: str, body: bytes, content_type: str) -> None: ...


class HistoryWriter(Protocol):
    """Batched reads and writes of an import (orders in batches, one fold per profile)."""

    def values(self, customer_ids: list[str]) -> dict[str, CustomerValue]:
        """The stored value of each customer that has a profile (consistent reads)."""
        ...

    def owners(self, emails: list[str]) -> dict[str, str]:
        """The customer id owning each known address."""
        ...

    def stored_orders(self, order_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored order items among ``order_ids``."""
        ...

    def marked(self, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which ``(customer_id, entry_key)`` markers exist."""
        ...

    def put_orders(self, orders: list[tuple[Any, str]], import_id: str, now: str) -> None:
        """Write the imported orders (``(ImportedOrder, digest)``) as order items, in
        batches of 25 (unprocessed items retried)."""
        ...

    def put_markers(self, markers: list[Marker]) -> None:
        """Write markers in batches (each order's ``counted`` fact after its fold)."""
        ...

    def commit_folds(self, folds: list[HistoryFold]) -> set[str]:
        """Apply the folds (many per transaction); the customer ids not applied (a
        transaction was refused: a profile changed or the import's marker exists): read
        them again and retry."""
        ...
