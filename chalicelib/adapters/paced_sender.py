"""Keep the mailer under SES's sending rate (``MaxSendRate``, messages per second).

SES refuses mail past the account's rate with a throttling error. The mailer's function
runs with a reserved concurrency (``infra``), so each of its containers may send
``MaxSendRate / concurrency`` messages per second: :class:`PacedSender` wraps the SES
sender and waits before a send that would go faster (a token bucket per container). The
rate is read from SES (``GetAccount``'s ``SendQuota.MaxSendRate``) and read again every
``refresh`` seconds, so a raised quota takes effect without a deploy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from chalicelib.services.ports import MailSender

MAILER_CONCURRENCY = 4
"""Mailer containers sending at once: one per open shard of the messages stream (its
parallelization factor is 1); a table this size has at most a few (``docs/scale.md``)."""
DEFAULT_RATE = 1.0
"""SES's sandbox rate, used until the account's rate is read (or if it cannot be)."""


def max_send_rate(client: Any) -> float:
    """The account's ``MaxSendRate`` (SESv2 ``GetAccount``)."""
    quota = client.get_account().get("SendQuota", {})
    return float(quota.get("MaxSendRate") or DEFAULT_RATE)


class PacedSender:
    """Implements :class:`~chalicelib.services.ports.MailSender`: ``inner``, paced.

    Parameters
    ----------
    inner
        The sender that talks to SES.
    rate
        Reads the account's messages per second (:func:`max_send_rate`).
    concurrency
        How many containers share the rate (the mailer's reserved concurrency).
    clock, sleep
        Monotonic seconds and how to wait (injected in tests).
    """

    def __init__(
        self,
        inner: MailSender,
        rate: Callable[[], float],
        concurrency: int = 1,
        refresh: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._inner, self._rate, self._share = inner, rate, max(1, concurrency)
        self._refresh, self._clock, self._sleep = refresh, clock, sleep
        self._lock = threading.Lock()
        self._per_second = 0.0
        self._read_at = float("-inf")
        self._next_free = float("-inf")

    def per_second(self) -> float:
        """This container's share of the account's rate (read again past ``refresh``)."""
        now = self._clock()
        if now - self._read_at >= self._refresh:
            try:
                self._per_second = self._rate() / self._share
            except Exception:  # noqa: BLE001 - keep the last rate (or the sandbox's)
                self._per_second = self._per_second or DEFAULT_RATE / self._share
            self._read_at = now
        return self._per_second

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str:
        """Wait for this container's next slot, then send."""
        with self._lock:
            gap = 1.0 / self.per_second()
            now = self._clock()
            start = max(now, self._next_free)
            self._next_free = start + gap
        if start > now:
            self._sleep(start - now)
        return self._inner.send_raw(sender, recipient, raw)
