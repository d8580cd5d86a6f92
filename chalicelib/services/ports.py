"""Ports: what services need from the outside world, as protocols.

Adapters in :mod:`chalicelib.adapters` implement them against AWS; tests may pass
fakes. Services never import boto3.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from chalicelib.domain.corrections import Correction
from chalicelib.domain.job_runs import JobRun
from chalicelib.domain.messages import Message
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings

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

    def create(self, profile: Profile, signup_digest: str, correlation_id: str | None) -> None:
        """Write a new profile; raises ``CustomerIdTaken``-like outcomes as below.

        Raises
        ------
        chalicelib.adapters.exceptions.AlreadyExists
            The id exists (``field='customer_id'``) or the email is taken (``'email'``).
        """

    def get(self, customer_id: str) -> Profile | None: ...

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

    def enqueue(self, message: Message) -> bool: ...

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None: ...

    def mark_sent(self, message: Message, provider_id: str, now: datetime) -> None: ...

    def mark_suppressed(self, message: Message, reason: str, now: datetime) -> None: ...

    def mark_deferred(self, message: Message, not_before: datetime, now: datetime) -> None: ...

    def release(self, message: Message, error: str, now: datetime) -> None: ...

    def mark_failed(self, message: Message, reason: str, now: datetime) -> None: ...

    def sent_count_since(self, customer_id: str, since: datetime) -> int: ...

    def by_status(
        self, status: str, limit: int = 50, cursor: str | None = None, before: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def for_customer(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def requeue_deferred(self, customer_id: str, message_key: str, now: datetime) -> bool: ...

    def requeue_expired_claim(self, customer_id: str, message_key: str, now: datetime) -> bool: ...


class SettingsStore(Protocol):
    """Store settings (cached by the adapter)."""

    def store(self) -> StoreSettings: ...

    def save_store(self, settings: StoreSettings) -> None: ...


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
