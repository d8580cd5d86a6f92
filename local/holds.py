"""Hold some stream consumers of the local stack until it is told to let them go.

``RAPPORT_HOLD_STREAMS=mailer`` (consumer names from ``infra.resources``, comma
separated) starts the stack with those consumers' records waiting in their streams,
as if their functions were throttled to zero; ``SIGUSR1`` to the stack releases those
``RAPPORT_RELEASE_STREAMS`` names (all held ones when unset), and each then reads its
stream from the start, in order, as Lambda catches up; the others stay held until the
stack stops. The campaign bench uses it to time a fan-out alone and then the mailer
alone, on a machine whose two cores they would otherwise share, with the customers'
and orders' reactions to the seeded history held throughout (``bench/campaigns.py``).
Nothing is held unless the variable is set.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Mapping
from typing import Any

HOLD_VARIABLE = "RAPPORT_HOLD_STREAMS"
RELEASE_VARIABLE = "RAPPORT_RELEASE_STREAMS"
RELEASE_SIGNAL = signal.SIGUSR1


class HeldPump:
    """A stream pump that delivers nothing until ``released`` is set."""

    def __init__(self, pump: Any, released: threading.Event) -> None:
        self._pump = pump
        self._released = released
        self.name = pump.name

    def poll(self) -> int:
        """The pump's poll once released; until then nothing is read."""
        return self._pump.poll() if self._released.is_set() else 0


def _names(value: str) -> set[str]:
    return {name.strip() for name in value.split(",") if name.strip()}


def held_names(environ: Mapping[str, str] = os.environ) -> tuple[set[str], set[str]]:
    """The consumers held, and those of them ``SIGUSR1`` releases."""
    held = _names(environ.get(HOLD_VARIABLE, ""))
    released = _names(environ.get(RELEASE_VARIABLE, "")) or held
    return held, released & held


def hold(pumps: list[Any], names: set[str], released: threading.Event) -> list[Any]:
    """``pumps`` with those named in ``names`` held until ``released``."""
    unknown = names - {pump.name for pump in pumps}
    if unknown:
        raise ValueError(f"{HOLD_VARIABLE} names no stream consumer: {sorted(unknown)}")
    return [HeldPump(pump, released) if pump.name in names else pump for pump in pumps]


def release_on_signal(released: threading.Event) -> None:
    """Set ``released`` when the process gets ``SIGUSR1`` (call from the main thread)."""
    signal.signal(RELEASE_SIGNAL, lambda signum, frame: released.set())


def held_pumps(pumps: list[Any], environ: Mapping[str, str] = os.environ) -> list[Any]:
    """The stack's pumps with the environment's holds (unchanged when none is asked)."""
    held, releasable = held_names(environ)
    if not held:
        return pumps
    released = threading.Event()
    release_on_signal(released)
    pumps = hold(pumps, releasable, released)
    return hold(pumps, held - releasable, threading.Event())  # until the stack stops
