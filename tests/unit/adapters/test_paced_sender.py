"""The mailer's sends stay under SES's MaxSendRate, shared by its concurrent containers."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.paced_sender import PacedSender, max_send_rate


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Sent:
    def __init__(self, clock: Clock) -> None:
        self.at: list[float] = []
        self.clock = clock

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str:
        self.at.append(self.clock.now)
        return f"m-{len(self.at)}"


def paced(rate: float, concurrency: int) -> tuple[PacedSender, Sent, Clock, list[int]]:
    clock, reads = Clock(), [0]
    sent = Sent(clock)

    def read() -> float:
        reads[0] += 1
        return rate

    sender = PacedSender(sent, read, concurrency, refresh=60, clock=clock, sleep=clock.sleep)
    return sender, sent, clock, reads


def test_sends_are_spaced_by_the_containers_share_of_the_rate() -> None:
    sender, sent, _, reads = paced(rate=14.0, concurrency=7)  # 2 per second each
    ids = [sender.send_raw("a@x", "b@x", b"raw") for _ in range(5)]
    assert ids == ["m-1", "m-2", "m-3", "m-4", "m-5"]
    assert sent.at == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert reads == [1]  # the quota is read once, not per mail


def test_a_slow_trickle_never_waits_and_the_rate_is_read_again_later() -> None:
    sender, sent, clock, reads = paced(rate=1.0, concurrency=1)
    sender.send_raw("a@x", "b@x", b"raw")
    clock.now += 61
    sender.send_raw("a@x", "b@x", b"raw")
    assert clock.slept == [] and reads == [2]


def test_the_rate_comes_from_the_accounts_send_quota() -> None:
    class Ses:
        def get_account(self) -> dict[str, Any]:
            return {"SendQuota": {"Max24HourSend": 200000.0, "MaxSendRate": 14.0}}

    assert max_send_rate(Ses()) == 14.0
