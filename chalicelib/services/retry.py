"""Retry a call that failed transiently, with capped exponential backoff and jitter.

:func:`retry_throttled` is for writes whose loss would cost exactness (recording that a
mail was sent). :class:`RetryPolicy` is the jobs' bound: each page or write of a job is
retried on its own, and only an error that persists past the bound fails the run.
Hand-written: a few lines, and the SDK's own retries do not cover errors surfaced to us.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from chalicelib.services.exceptions import Throttled, Unavailable

T = TypeVar("T")

TRANSIENT: tuple[type[Exception], ...] = (Throttled, Unavailable)
"""Errors that may pass if the same call is made again a little later."""


def retry_throttled(
    call: Callable[[], T], attempts: int = 8, base_delay: float = 0.02, max_delay: float = 1.0
) -> T:
    """Call ``call`` until it does not raise :class:`Throttled` (at most ``attempts`` times)."""
    for attempt in range(attempts - 1):
        try:
            return call()
        except Throttled:
            time.sleep(min(max_delay, base_delay * 2**attempt) * (0.5 + random.random()))
    return call()


@dataclass(frozen=True)
class RetryPolicy:
    """How long one call of a job (a page read, a write) may keep failing transiently.

    Calling the policy with a zero-argument function calls it until it succeeds, making
    at most ``retries`` more calls after the first and giving up once ``seconds`` have
    passed since the first failure; the last error is then raised. Only :data:`TRANSIENT`
    errors are retried, so the retried calls must be idempotent. ``sleep``, ``monotonic``
    and ``jitter`` are injectable, so tests never wait.
    """

    retries: int = 5
    seconds: float = 120.0
    base_delay: float = 0.5
    max_delay: float = 20.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    monotonic: Callable[[], float] = field(default=time.monotonic, compare=False)
    jitter: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, retry: int) -> float:
        """The pause before retry number ``retry`` (0-based): capped, with half jitter."""
        return min(self.max_delay, self.base_delay * 2**retry) * (0.5 + self.jitter() / 2)

    def __call__(self, call: Callable[[], T]) -> T:
        first_failure: float | None = None
        retry = 0
        while True:
            try:
                return call()
            except TRANSIENT:
                now = self.monotonic()
                first_failure = now if first_failure is None else first_failure
                pause = self.delay(retry)
                if retry >= self.retries or now + pause - first_failure > self.seconds:
                    raise
            self.sleep(pause)
            retry += 1


NO_RETRY = RetryPolicy(retries=0)
"""Each call once: a transient error is raised at once."""
