"""Held stream consumers deliver nothing until released; SIGUSR1 releases the named ones."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from local import holds


class Pump:
    def __init__(self, name: str) -> None:
        self.name = name
        self.polls = 0

    def poll(self) -> int:
        self.polls += 1
        return 1


def test_nothing_is_held_unless_asked() -> None:
    pumps = [Pump("mailer")]
    assert holds.held_pumps(pumps, {}) is pumps


def test_a_held_pump_reads_nothing_until_released() -> None:
    released = threading.Event()
    pump = Pump("mailer")
    [held] = holds.hold([pump], {"mailer"}, released)
    assert held.name == "mailer" and held.poll() == 0 and pump.polls == 0
    released.set()
    assert held.poll() == 1 and pump.polls == 1


def test_an_unknown_consumer_is_refused() -> None:
    with pytest.raises(ValueError, match="on_nothing"):
        holds.hold([Pump("mailer")], {"on_nothing"}, threading.Event())


def test_the_signal_releases_only_the_consumers_named_for_release() -> None:
    previous = signal.getsignal(holds.RELEASE_SIGNAL)
    mailer, customers, orders = Pump("mailer"), Pump("on_customer"), Pump("on_order")
    environ = {holds.HOLD_VARIABLE: "mailer, on_customer", holds.RELEASE_VARIABLE: "mailer"}
    try:
        wrapped = holds.held_pumps([mailer, customers, orders], environ)
        assert [pump.poll() for pump in wrapped] == [0, 0, 1]
        os.kill(os.getpid(), holds.RELEASE_SIGNAL)
        assert [pump.poll() for pump in wrapped] == [1, 0, 1]
    finally:
        signal.signal(holds.RELEASE_SIGNAL, previous)
