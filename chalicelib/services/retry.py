"""Retry a call that AWS throttled, with capped exponential backoff and jitter.

Used only for writes whose loss would cost exactness (recording that a mail was sent).
Hand-written: six lines, and the SDK's own retries do not cover errors surfaced to us.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from chalicelib.services.exceptions import Throttled

T = TypeVar("T")


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
