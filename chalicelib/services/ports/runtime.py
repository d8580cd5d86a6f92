"""What every service may need: the clock and a bounded retry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

T = TypeVar("T")


class Retrier(Protocol):
    """Calls ``call`` again after a transient error, within a bound; raises past it
    (:class:`chalicelib.services.retry.RetryPolicy`)."""

    def __call__(self, call: Callable[[], T]) -> T: ...


class Clock(Protocol):
    """The time now (tz-aware UTC)."""

    def now(self) -> datetime: ...
