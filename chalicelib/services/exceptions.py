"""Errors raised by services (beyond the domain's own)."""

from __future__ import annotations

from chalicelib.domain.exceptions import Conflict, NotFound, Unprocessable


class ProfileNotFound(NotFound):
    """No profile with that id."""

    def __init__(self) -> None:
        super().__init__("no customer with this id", "customer_id")


class EmailTaken(Conflict):
    """The address belongs to another profile."""

    def __init__(self) -> None:
        super().__init__("this email belongs to another customer", "email")


class CustomerIdTaken(Conflict):
    """The id exists with a different signup."""

    def __init__(self) -> None:
        super().__init__("customer_id already exists with a different signup", "customer_id")


class EventIdReused(Conflict):
    """A carrier event's id is stored already, with other content."""

    def __init__(self, field: str) -> None:
        super().__init__("this event_id was already received with different content", field)


class ConcurrentUpdate(Conflict):
    """The profile changed while a correction was being applied."""

    def __init__(self) -> None:
        super().__init__("the profile changed meanwhile; read it and try again", None)


class PortError(Exception):
    """Base of the errors that ports (repositories, senders) raise; adapters raise them."""


class AlreadyExists(PortError):
    """A conditional create found the key (or a unique guard) taken."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field} already exists")
        self.field = field


class StaleWrite(PortError):
    """An optimistic-concurrency condition failed."""


class Throttled(PortError):
    """AWS throttled the call after the SDK's own retries; safe to retry later."""


class Unavailable(PortError):
    """AWS did not answer in time, the connection failed, or it answered with a 5xx, after
    the SDK's own retries; safe to retry later (the call may or may not have taken effect,
    so only idempotent calls are retried).

    ``code`` names what happened (``ReadTimeoutError``, ``ServiceUnavailable``, ...);
    ``status`` is the HTTP status AWS answered with, ``None`` when it did not answer.
    """

    def __init__(self, code: str, status: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


class ClaimHeld(PortError):
    """Another attempt holds the message's lease; try again later."""


class SendFailed(PortError):
    """A downstream service (SES, EventBridge) refused or throttled; nothing was sent."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class AlreadyApplied(PortError):
    """The fact's marker exists: its effects were applied before (a redelivery)."""


class NotReady(PortError):
    """A fact this one depends on has not been applied yet; retry later."""


class CustomerMissing(PortError):
    """A fact names a customer with no profile."""


class CurrencyMismatch(PortError):
    """The customer's counted orders are in another currency."""

    def __init__(self, currency: str) -> None:
        super().__init__(currency)
        self.currency = currency


class Superseded(PortError):
    """A later fact already made this one moot (e.g. payment of a cancelled order)."""


class CustomerErased(Unprocessable):
    """The customer was erased while a write that mails them was under way."""

    def __init__(self) -> None:
        super().__init__("the customer no longer exists", "customer_id")
