"""Normalized parcel tracking statuses and the transition rule between them.

The vocabulary follows AfterShip's tags and EasyPost's statuses. Statuses come in
two kinds:

* **milestones** are reached at most once, and each has a *level*: ``pending`` (0),
  ``info_received`` (1), ``in_transit`` (2), ``out_for_delivery`` (3), ``delivered`` (4),
  ``returning_to_sender`` (5), ``returned`` (6). The level of a parcel is the level of the
  highest milestone it reached; it never goes down ("never backwards").
* **interruptions** (``available_for_pickup``, ``attempt_failed``, ``exception``,
  ``expired``) can happen many times; they do not change the level and are left by the
  next scan that moves the parcel on.

:func:`next_status` is the whole state machine: given the public status, the level
and the status of a newer scan, it says what the public status becomes. The rules are
described in ``docs/tracking.md``.
"""

from __future__ import annotations

from chalicelib.domain.exceptions import InvalidInput

PENDING = "pending"
INFO_RECEIVED = "info_received"
IN_TRANSIT = "in_transit"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERED = "delivered"
AVAILABLE_FOR_PICKUP = "available_for_pickup"
ATTEMPT_FAILED = "attempt_failed"
EXCEPTION = "exception"
RETURNING_TO_SENDER = "returning_to_sender"
RETURNED = "returned"
EXPIRED = "expired"

PROGRESS_STATUSES: tuple[str, ...] = (
    PENDING,
    INFO_RECEIVED,
    IN_TRANSIT,
    OUT_FOR_DELIVERY,
    DELIVERED,
)
"""The forward path of a parcel, in order."""

SIDE_STATUSES: tuple[str, ...] = (
    AVAILABLE_FOR_PICKUP,
    ATTEMPT_FAILED,
    EXCEPTION,
    RETURNING_TO_SENDER,
    RETURNED,
    EXPIRED,
)
"""Statuses off the forward path."""

STATUSES: tuple[str, ...] = (*PROGRESS_STATUSES, *SIDE_STATUSES)
"""Every normalized status."""

MILESTONES: tuple[str, ...] = (*PROGRESS_STATUSES, RETURNING_TO_SENDER, RETURNED)
"""Statuses reached at most once, in level order (their index is their level)."""

INTERRUPTIONS: frozenset[str] = frozenset(
    {AVAILABLE_FOR_PICKUP, ATTEMPT_FAILED, EXCEPTION, EXPIRED}
)
"""Side states that may repeat and do not change the level."""

NO_LEVEL = -1
"""Level of a parcel that has reached no milestone yet."""

DELIVERED_LEVEL = MILESTONES.index(DELIVERED)
RETURNING_LEVEL = MILESTONES.index(RETURNING_TO_SENDER)
RETURNED_LEVEL = MILESTONES.index(RETURNED)

_LEVELS = {status: level for level, status in enumerate(MILESTONES)}

# Order of scans that share one instant. A later entry is processed later and so
# wins: a real event beats ``expired``, a problem beats the routine scan it
# interrupts, ``delivered`` beats everything but ``returned``. Every status that
# ``returning_to_sender`` may be derived from sorts before ``exception``, so the
# (instant, tie order) of a public status compares like the scans that set it.
_TIE_ORDER = {
    status: index
    for index, status in enumerate(
        (
            EXPIRED,
            PENDING,
            INFO_RECEIVED,
            IN_TRANSIT,
            OUT_FOR_DELIVERY,
            RETURNING_TO_SENDER,
            ATTEMPT_FAILED,
            AVAILABLE_FOR_PICKUP,
            EXCEPTION,
            DELIVERED,
            RETURNED,
        )
    )
}


def require_status(value: object, field: str = "status") -> str:
    """Return ``value`` if it is a normalized status.

    Parameters
    ----------
    value
        The candidate status.
    field
        The field named in the error.

    Returns
    -------
    str
        ``value`` unchanged.

    Raises
    ------
    InvalidInput
        If ``value`` is not one of :data:`STATUSES`.
    """
    if not isinstance(value, str) or value not in _TIE_ORDER:
        raise InvalidInput(f"unknown tracking status: {value!r}", field)
    return value


def level(status: str | None) -> int:
    """Return the milestone level of ``status``, or :data:`NO_LEVEL` for others."""
    return _LEVELS.get(status, NO_LEVEL) if status is not None else NO_LEVEL


def tie_order(status: str) -> int:
    """Return the rank that orders scans of one instant (higher is processed later)."""
    return _TIE_ORDER[status]


def next_status(current: str | None, reached: int, scan: str) -> str | None:
    """Apply one scan, newer than everything applied so far, to the public status.

    Parameters
    ----------
    current
        The public status, or ``None`` before the first scan took effect.
    reached
        The level of the highest milestone reached so far.
    scan
        The normalized status of the scan.

    Returns
    -------
    str | None
        The new public status, or ``None`` when the scan leaves it unchanged (it is
        then only kept in the history).
    """
    if reached == RETURNED_LEVEL:
        return None
    if reached == RETURNING_LEVEL:
        return _on_return_trip(current, scan)
    if scan in (RETURNING_TO_SENDER, RETURNED):
        return scan
    if scan in _LEVELS:
        return _progress(current, reached, scan)
    if reached == DELIVERED_LEVEL:
        return None
    if scan == EXPIRED and reached > _LEVELS[PENDING]:
        return None
    return scan


def _progress(current: str | None, reached: int, scan: str) -> str | None:
    """Apply a forward scan: a new milestone, or the way back from an interruption."""
    scan_level = _LEVELS[scan]
    if scan_level > reached:
        return scan
    if scan_level == reached and current in INTERRUPTIONS:
        return scan
    return None


def _on_return_trip(current: str | None, scan: str) -> str | None:
    """Apply a scan made while the parcel travels back to its sender."""
    if scan in (DELIVERED, RETURNED):
        return RETURNED
    if scan == EXCEPTION:
        return EXCEPTION
    if current == EXCEPTION and (scan in _LEVELS or scan == RETURNING_TO_SENDER):
        return RETURNING_TO_SENDER
    return None
