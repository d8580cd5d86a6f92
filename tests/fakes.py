"""In-memory fakes of the service ports, for unit tests of services (no AWS, no moto).

Each fake keeps its adapter's contract in a few lines: the same conditions, the same
return values and the same errors, so a service tested against the fake behaves the
same against the adapter (whose own contract is tested against moto).

Sections, one per service that uses them; add a section rather than growing another's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.adapters.outbox import LEASE, message_from_item, message_to_item, recent_from_item
from chalicelib.adapters.profile_items import profile_to_item
from chalicelib.adapters.value_repository import customer_value_from_item
from chalicelib.domain import messages as m
from chalicelib.domain.admin_keys import AdminKey
from chalicelib.domain.corrections import Correction
from chalicelib.domain.frequency_cap import RecentMail
from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally
from chalicelib.domain.orders import PLACED, Order
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.exceptions import (
    AlreadyApplied,
    AlreadyExists,
    ClaimHeld,
    CustomerMissing,
    NotReady,
    SendFailed,
    StaleWrite,
    Superseded,
)
from chalicelib.services.ports import CustomerValue, Marker, StoredOrder, ValueCommit

# --- the mailer's ports: Clock, Outbox, SettingsStore, MailSender, LinkSigner, ProfileReader ---


class FakeClock:
    """:class:`~chalicelib.services.ports.Clock` that stands still until told to move."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class FenceLost(Exception):
    """A finish by an attempt that no longer holds the claim (the adapter's failed condition)."""


class FakeOutbox:
    """:class:`~chalicelib.services.ports.Outbox` over a dict of items stored as in DynamoDB."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self.tallies: list[Tally] = []

    def item(self, customer_id: str, message_key: str) -> dict[str, Any]:
        """The stored item (for assertions)."""
        return self.items[(customer_id, message_key)]

    def enqueue(self, message: Message, tally: Tally | None = None) -> bool:
        key = (message.customer_id, message.message_key)
        if key in self.items:
            return False
        self.items[key] = message_to_item(message)
        if tally is not None:
            self.tallies.append(tally)
        return True

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None:
        item = self.items.get((customer_id, message_key))
        if item is None:
            return None
        expired = item["status"] == m.SENDING and item.get("lease_until", "") < iso(now)
        if item["status"] != m.QUEUED and not expired:
            if item["status"] == m.SENDING:
                raise ClaimHeld()
            return None
        item.update(status=m.SENDING, lease_until=iso(now + LEASE), updated_at=iso(now))
        item["attempts"] = item.get("attempts", 0) + 1
        return message_from_item(item)

    def _finish(self, message: Message, status: str, now: datetime, **extra: Any) -> None:
        item = self.items[(message.customer_id, message.message_key)]
        if item["status"] != m.SENDING or item["attempts"] != message.attempts:
            raise FenceLost(message.message_key)
        item.update(status=status, updated_at=iso(now), **extra)
        item.pop("lease_until", None)

    def mark_sent(self, message: Message, provider_id: str, now: datetime) -> None:
        self._finish(message, m.SENT, now, sent_at=iso(now), provider_message_id=provider_id)

    def mark_suppressed(self, message: Message, reason: str, now: datetime) -> None:
        self._finish(message, m.SUPPRESSED, now, reason=reason)

    def mark_deferred(self, message: Message, not_before: datetime, now: datetime) -> None:
        self._finish(message, m.DEFERRED, now, reason="quiet_hours", not_before=iso(not_before))

    def release(self, message: Message, error: str, now: datetime) -> None:
        self._finish(message, m.QUEUED, now, last_error=error)

    def mark_failed(self, message: Message, reason: str, now: datetime) -> None:
        self._finish(message, m.FAILED, now, reason=reason)

    def recent_mail(self, customer_id: str, since: datetime) -> list[RecentMail]:
        return [
            recent_from_item(item)
            for (owner, _), item in self.items.items()
            if owner == customer_id
            and item["purpose"] != "transactional"
            and (
                (item["status"] == m.SENT and item.get("sent_at", "") >= iso(since))
                or item["status"] in (m.QUEUED, m.SENDING, m.DEFERRED)
            )
        ]

    def _page(
        self, items: list[dict[str, Any]], limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        start = int(cursor or 0)
        end = start + limit
        return [dict(item) for item in items[start:end]], (str(end) if end < len(items) else None)

    def by_status(
        self, status: str, limit: int = 50, cursor: str | None = None, before: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = sorted(
            (i for i in self.items.values() if i["status"] == status),
            key=lambda item: item["created_at"],
        )
        found = [item for item in found if before is None or item["created_at"] <= before]
        return self._page(found, limit, cursor)

    def for_customer(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = [item for (owner, key), item in sorted(self.items.items()) if owner == customer_id]
        return self._page(found, limit, cursor)

    def _requeue(self, customer_id: str, message_key: str, status: str, due: bool) -> bool:
        item = self.items.get((customer_id, message_key))
        if item is None or item["status"] != status or not due:
            return False
        item["status"] = m.QUEUED
        item.pop("not_before" if status == m.DEFERRED else "lease_until", None)
        return True

    def requeue_deferred(self, customer_id: str, message_key: str, now: datetime) -> bool:
        item = self.items.get((customer_id, message_key), {})
        due = item.get("not_before", "") <= iso(now)
        return self._requeue(customer_id, message_key, m.DEFERRED, due)

    def requeue_expired_claim(self, customer_id: str, message_key: str, now: datetime) -> bool:
        item = self.items.get((customer_id, message_key), {})
        due = item.get("lease_until", "") < iso(now)
        return self._requeue(customer_id, message_key, m.SENDING, due)


class FakeSettingsStore:
    """:class:`~chalicelib.services.ports.SettingsStore` holding one settings value."""

    def __init__(self, settings: StoreSettings | None = None) -> None:
        self.settings = settings or StoreSettings()

    def store(self) -> StoreSettings:
        return self.settings

    def save_store(self, settings: StoreSettings) -> None:
        self.settings = settings


@dataclass(frozen=True)
class SentMail:
    """One mail handed to the fake sender."""

    sender: str
    recipient: str
    raw: bytes


@dataclass
class FakeMailSender:
    """:class:`~chalicelib.services.ports.MailSender`; refuses once per code in ``refusals``."""

    refusals: list[str] = field(default_factory=list)
    sent: list[SentMail] = field(default_factory=list)

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str:
        if self.refusals:
            raise SendFailed(self.refusals.pop(0))
        self.sent.append(SentMail(sender, recipient, raw))
        return f"fake-{len(self.sent)}"


class FakeLinkSigner:
    """:class:`~chalicelib.services.ports.LinkSigner` with readable, unsigned tokens."""

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str:
        return f"{purpose}.{subject}.{int(expires_at.timestamp())}"

    def verify(self, purpose: str, token: str, now: datetime) -> str | None:
        signed_purpose, _, rest = token.partition(".")
        subject, _, expires = rest.rpartition(".")
        if signed_purpose != purpose or not expires.isdigit() or int(expires) < now.timestamp():
            return None
        return subject


@dataclass
class FakeProfiles:
    """:class:`~chalicelib.services.ports.ProfileReader`; counts reads (each is an AWS call)."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    reads: int = 0

    def put(self, profile: Profile) -> None:
        self.profiles[profile.customer_id] = profile

    def erase(self, customer_id: str) -> None:
        self.profiles.pop(customer_id, None)

    def get(self, customer_id: str) -> Profile | None:
        self.reads += 1
        return self.profiles.get(customer_id)


# --- signup and the customers stream: CustomerRepository -----------------------------


@dataclass
class FakeCustomers:
    """:class:`~chalicelib.services.ports.CustomerRepository` over dicts.

    As the adapter: a create whose id exists raises ``AlreadyExists("customer_id")``, one
    whose email another profile owns ``AlreadyExists("email")``, and nothing is written.
    """

    profiles: dict[str, Profile] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # email -> customer_id
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def create(
        self,
        profile: Profile,
        signup_digest: str,
        correlation_id: str | None,
        import_id: str | None = None,
    ) -> None:
        if profile.customer_id in self.profiles:
            raise AlreadyExists("customer_id")
        if profile.email in self.owners:
            raise AlreadyExists("email")
        self.profiles[profile.customer_id] = profile
        self.digests[profile.customer_id] = signup_digest
        self.owners[profile.email] = profile.customer_id
        self.entries.setdefault(profile.customer_id, []).append(
            {"entry_key": f"version#{profile.version:08d}", "source": "signup"}
        )

    def get(self, customer_id: str) -> Profile | None:
        return self.profiles.get(customer_id)

    def owner_of(self, email: str) -> str | None:
        return self.owners.get(email)

    def timeline(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        entries = list(reversed(self.entries.get(customer_id, [])))
        start = int(cursor or 0)
        following = start + limit
        return entries[start:following], str(following) if following < len(entries) else None

    def signup_digest(self, customer_id: str) -> str | None:
        return self.digests.get(customer_id)

    def save_correction(
        self, previous: Profile, correction: Correction, source: str, correlation_id: str | None
    ) -> None:
        stored = self.profiles.get(previous.customer_id)
        if stored is None or stored.version != previous.version:
            raise StaleWrite()
        profile = correction.profile
        if correction.email_changed:
            if self.owners.get(profile.email, profile.customer_id) != profile.customer_id:
                raise AlreadyExists("email")
            self.owners.pop(previous.email, None)
            self.owners[profile.email] = profile.customer_id
        self.profiles[profile.customer_id] = profile
        self.entries.setdefault(profile.customer_id, []).append(
            {"entry_key": f"version#{profile.version:08d}", "source": source}
        )


# --- order facts: ValueRepository, OrdersRepository, settings documents -----------


class FakeValueSettings(FakeSettingsStore):
    """The settings store with the customer-value settings and the settings documents."""

    def __init__(self, values: CustomerValueSettings | None = None) -> None:
        super().__init__()
        self.values = values or CustomerValueSettings()
        self.documents: dict[str, dict[str, Any]] = {}

    def document(self, setting_id: str, fresh: bool = False) -> dict[str, Any] | None:
        return self.documents.get(setting_id)

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        self.documents[setting_id] = value

    def customer_value(self) -> CustomerValueSettings:
        return self.values

    def save_customer_value(self, settings: CustomerValueSettings) -> None:
        self.values = settings


class FakeValues:
    """:class:`~chalicelib.services.ports.ValueRepository` over profile items and markers.

    ``commit`` is all or nothing with the adapter's conditions, checked in its order: the
    marker exists (``AlreadyApplied``), the version moved (``StaleWrite``), a required
    marker is missing (``NotReady``), a marker that must be absent exists
    (``Superseded``). The messages go to ``outbox`` in the same step.
    """

    def __init__(self, outbox: FakeOutbox) -> None:
        self.outbox = outbox
        self.items: dict[str, dict[str, Any]] = {}
        self.markers: dict[tuple[str, str], Marker] = {}
        self.commits = 0
        self.before_commit: list[Callable[[], None]] = []  # run once each, as a concurrent writer

    def add_profile(self, profile: Profile) -> None:
        """A profile as signup stores it (the order path finds it)."""
        self.items[profile.customer_id] = profile_to_item(profile)

    def profile_item(self, customer_id: str) -> dict[str, Any]:
        """The stored item (for assertions)."""
        return self.items[customer_id]

    def load(self, customer_id: str) -> CustomerValue | None:
        item = self.items.get(customer_id)
        return None if item is None else customer_value_from_item(dict(item))

    def marker(self, customer_id: str, entry_key: str) -> dict[str, Any] | None:
        found = self.markers.get((customer_id, entry_key))
        return None if found is None else dict(found.data)

    def returned(self, customer_id: str, order_id: str) -> tuple[int, int]:
        refunded = points = 0
        for (owner, key), marker in self.markers.items():
            same_order = marker.data.get("order_id") == order_id
            if owner == customer_id and key.startswith("return#") and same_order:
                refunded += int(marker.data.get("refund_amount", 0))
                points += int(marker.data.get("points_taken", 0))
        return refunded, points

    def bump(self, customer_id: str) -> None:
        """Another fact's write: the version moves (a concurrent update)."""
        item = self.items[customer_id]
        item["value_version"] = int(item.get("value_version", 0)) + 1

    def _check(self, change: ValueCommit) -> None:
        item = self.items.get(change.customer_id)
        if (change.marker.customer_id, change.marker.entry_key) in self.markers:
            raise AlreadyApplied()
        if item is None or int(item.get("value_version", 0)) != change.expected_version:
            raise StaleWrite()
        if any((m.customer_id, m.entry_key) not in self.markers for m in change.requires):
            raise NotReady()
        if any((m.customer_id, m.entry_key) in self.markers for m in change.absent):
            raise Superseded()
        taken = [(msg.customer_id, msg.message_key) for msg in change.messages]
        if any(key in self.outbox.items for key in taken):
            raise RuntimeError("TransactionCanceledException: a message of the fact exists")

    def commit(self, change: ValueCommit) -> None:
        while self.before_commit:
            self.before_commit.pop(0)()
        self._check(change)
        self.commits += 1
        item = self.items[change.customer_id]
        item.update(change.attributes)
        item["value_version"] = change.expected_version + 1
        self.markers[(change.marker.customer_id, change.marker.entry_key)] = change.marker
        for bonus in change.bonuses:
            self.markers[(bonus.marker.customer_id, bonus.marker.entry_key)] = bonus.marker
            friend = self.items[bonus.customer_id]
            friend["points"] = int(friend.get("points", 0)) + bonus.points
            friend["value_version"] = int(friend.get("value_version", 0)) + 1
        for message in change.messages:
            self.outbox.enqueue(message)


@dataclass
class FakeOrders:
    """:class:`~chalicelib.services.ports.OrdersRepository` over stored orders."""

    orders: dict[str, StoredOrder] = field(default_factory=dict)

    def put(self, order: Order, status: str = PLACED) -> StoredOrder:
        """Store ``order`` with ``status`` (as the API's write and a status change do)."""
        self.orders[order.order_id] = StoredOrder(order, status)
        return self.orders[order.order_id]

    def create(
        self, order: Order, digest: str, now: str, correlation_id: str | None
    ) -> dict[str, Any]:
        if order.order_id in self.orders:
            raise AlreadyExists("order_id")
        self.orders[order.order_id] = StoredOrder(order, PLACED, correlation_id)
        return {**order.to_payload(), "status": PLACED, "order_digest": digest}

    def get(self, order_id: str, record: str = "order") -> dict[str, Any] | None:
        stored = self.orders.get(order_id)
        return None if stored is None else {**stored.order.to_payload(), "status": stored.status}

    def order(self, order_id: str) -> StoredOrder | None:
        return self.orders.get(order_id)

    def set_status(self, order_id: str, old: str, new: str, now: str) -> dict[str, Any]:
        stored = self.orders[order_id]
        if stored.status != old:
            raise StaleWrite()
        self.orders[order_id] = StoredOrder(stored.order, new, stored.correlation_id)
        return {**stored.order.to_payload(), "status": new}

    def all_orders(self) -> list[StoredOrder]:
        return list(self.orders.values())

    def customer_orders(self, customer_id: str) -> list[StoredOrder]:
        found = [s for s in self.orders.values() if s.order.customer_id == customer_id]
        return sorted(found, key=lambda s: s.order.placed_at)


# --- the support inbox: SupportRepository ------------------------------------------


@dataclass
class FakeSupport:
    """:class:`~chalicelib.services.ports.SupportRepository` over dicts.

    As the adapter: a taken message or reply id raises ``AlreadyExists`` and a ticket
    whose status moved raises ``StaleWrite``, with nothing written; the open counter,
    the day figures and the letter change with the ticket, all or nothing.
    """

    outbox: FakeOutbox
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    guards: dict[str, dict[str, Any]] = field(default_factory=dict)
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    open_tickets: int = 0
    counter_reads: int = 0

    def open_count(self) -> int:
        self.counter_reads += 1
        return max(0, self.open_tickets)

    def ticket(self, ticket_id: str) -> dict[str, Any] | None:
        found = self.tickets.get(ticket_id)
        return None if found is None else dict(found)

    def message_guard(self, message_id: str) -> dict[str, Any] | None:
        return self.guards.get(message_id)

    def reply_item(self, ticket_id: str, reply_id: str) -> dict[str, Any] | None:
        return next(
            (e for e in self.entries.get(ticket_id, []) if e.get("reply_id") == reply_id), None
        )

    def _day(self, day: str) -> dict[str, Any]:
        return self.figures.setdefault(day, {"opened": 0, "answered": 0, "on_time": 0})

    def open_ticket(
        self, ticket: dict[str, Any], message: dict[str, Any], letter: Message, day: str
    ) -> None:
        if message["message_id"] in self.guards or ticket["ticket_id"] in self.tickets:
            raise AlreadyExists("message_id")
        self.guards[message["message_id"]] = {
            "target": ticket["ticket_id"],
            "digest": message["digest"],
        }
        self.tickets[ticket["ticket_id"]] = dict(ticket)
        self.entries[ticket["ticket_id"]] = [dict(message)]
        self.open_tickets += 1
        self._day(day)["opened"] += 1
        assert self.outbox.enqueue(letter)

    def follow_up(self, ticket: dict[str, Any], message: dict[str, Any], previous: str) -> None:
        if message["message_id"] in self.guards:
            raise AlreadyExists("message_id")
        if self.tickets[ticket["ticket_id"]]["status"] != previous:
            raise StaleWrite()
        self.guards[message["message_id"]] = {
            "target": ticket["ticket_id"],
            "digest": message["digest"],
        }
        self.tickets[ticket["ticket_id"]] = dict(ticket)
        self.entries[ticket["ticket_id"]].append(dict(message))
        if previous != "open":
            self.open_tickets += 1

    def answer(
        self,
        ticket: dict[str, Any],
        reply: dict[str, Any],
        previous: str,
        letter: Message,
        first_reply: dict[str, Any] | None,
    ) -> None:
        if self.reply_item(ticket["ticket_id"], reply["reply_id"]) is not None:
            raise AlreadyExists("reply_id")
        if self.tickets[ticket["ticket_id"]]["status"] != previous:
            raise StaleWrite()
        self.tickets[ticket["ticket_id"]] = dict(ticket)
        self.entries[ticket["ticket_id"]].append(dict(reply))
        if previous == "open":
            self.open_tickets -= 1
        if first_reply is not None:
            figures = self._day(first_reply["day"])
            figures["answered"] += 1
            figures["on_time"] += 1 if first_reply["on_time"] else 0
            figures.setdefault("reply_minutes", []).append(first_reply["minutes"])
        assert self.outbox.enqueue(letter)

    def thread(self, ticket_id: str) -> list[dict[str, Any]]:
        return sorted(self.entries.get(ticket_id, []), key=lambda e: str(e["at"]))

    def _listed(
        self, found: list[dict[str, Any]], key: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        ordered = sorted(found, key=lambda t: (t[key], t["ticket_id"]))
        start = int(cursor or 0)
        more = str(start + limit) if start + limit < len(ordered) else None
        return ordered[start : start + limit], more

    def by_status(
        self, status: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = [t for t in self.tickets.values() if t["status"] == status]
        return self._listed(found, "opened_at", limit, cursor)

    def overdue(
        self, now: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = [t for t in self.tickets.values() if t["status"] == "open" and t["due_at"] < now]
        return self._listed(found, "due_at", limit, cursor)

    def for_customer(self, customer_id: str, limit: int) -> list[dict[str, Any]]:
        found = [t for t in self.tickets.values() if t["customer_id"] == customer_id]
        return sorted(found, key=lambda t: t["opened_at"], reverse=True)[:limit]

    def days(self, start: str, end: str) -> list[dict[str, Any]]:
        return [v for k, v in sorted(self.figures.items()) if start <= k <= end]


# --- admin keys: AdminKeyStore ---


class FakeAdminKeys:
    """:class:`~chalicelib.services.ports.AdminKeyStore` in a dict; counts use records."""

    def __init__(self) -> None:
        self.keys: dict[str, AdminKey] = {}
        self.use_writes = 0

    def create(self, key: AdminKey) -> None:
        if key.key_id in self.keys:
            raise AlreadyExists("key_id")
        self.keys[key.key_id] = key

    def get(self, key_id: str) -> AdminKey | None:
        return self.keys.get(key_id)

    def page(self, limit: int, cursor: str | None) -> tuple[list[AdminKey], str | None]:
        ordered = sorted(self.keys.values(), key=lambda k: (k.created_at, k.key_id))
        start = int(cursor) if cursor else 0
        end = start + limit
        return ordered[start:end], str(end) if end < len(ordered) else None

    def delete(self, key_id: str) -> bool:
        return self.keys.pop(key_id, None) is not None

    def record_use(self, key_id: str, at: datetime, unless_since: datetime) -> None:
        key = self.keys.get(key_id)
        if key is None or (key.last_used_at is not None and key.last_used_at > unless_since):
            return
        self.keys[key_id] = replace(key, last_used_at=at)
        self.use_writes += 1


# --- shop activity and the cart-reminders job: ActivityStore, CartStore -----------------


@dataclass
class FakeActivity:
    """:class:`~chalicelib.services.activity.ActivityStore` and
    :class:`~chalicelib.services.cart_reminders.CartStore` over dicts, with the adapter's
    conditions (a known profile, a new event id, the cart version it follows)."""

    customers: set[str] = field(default_factory=set)
    events: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    carts: dict[str, Any] = field(default_factory=dict)
    views: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    orders: dict[str, list[datetime]] = field(default_factory=dict)
    carts_read: int = 0

    def record(self, event: Any, digest: str, cart: Any, now: datetime) -> dict[str, Any]:
        if event.customer_id not in self.customers:
            raise CustomerMissing()
        if (event.customer_id, event.event_id) in self.events:
            raise AlreadyExists("event_id")
        if cart is not None and not self._follows(cart):
            raise StaleWrite()
        item = {**event.to_payload(), "digest": digest, "recorded_at": iso(now)}
        self.events[(event.customer_id, event.event_id)] = item
        if cart is not None:
            self.carts[cart.customer_id] = cart
        for line in event.viewed:
            view = self.views.setdefault(event.customer_id, {}).setdefault(line.sku, {})
            view.update(
                name=line.name, seconds=view.get("seconds", 0) + (event.seconds_viewed or 0)
            )
        return item

    def _follows(self, cart: Any) -> bool:
        stored = self.carts.get(cart.customer_id)
        return (stored is None) if cart.version == 1 else stored.version == cart.version - 1

    def event(self, customer_id: str, event_id: str) -> dict[str, Any] | None:
        return self.events.get((customer_id, event_id))

    def cart(self, customer_id: str) -> Any:
        return self.carts.get(customer_id)

    def viewed(self, customer_id: str) -> dict[str, dict[str, Any]]:
        return self.views.get(customer_id, {})

    def save_cart(self, cart: Any) -> bool:
        if not self._follows(cart):
            return False
        self.carts[cart.customer_id] = cart
        return True

    def due_carts(self, idle_before: datetime, retry: Any = None) -> Any:
        due = [c for c in self.carts.values() if c.status == "open" and c.updated_at <= idle_before]
        for cart in sorted(due, key=lambda c: c.updated_at):
            self.carts_read += 1
            yield cart

    def ordered_since(self, customer_id: str, since: datetime) -> bool:
        return any(placed > since for placed in self.orders.get(customer_id, []))
