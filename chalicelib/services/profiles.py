"""Read and correct a customer's profile."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.corrections import correct
from chalicelib.domain.profile import Profile
from chalicelib.services.exceptions import (
    AlreadyExists,
    ConcurrentUpdate,
    EmailTaken,
    ProfileNotFound,
    StaleWrite,
)
from chalicelib.services.ports import Clock, CustomerRepository


def get_profile(customer_id: str, customers: CustomerRepository) -> Profile:
    """The profile, or :class:`ProfileNotFound`."""
    profile = customers.get(customer_id)
    if profile is None:
        raise ProfileNotFound()
    return profile


def correct_profile(
    customer_id: str,
    payload: Any,
    customers: CustomerRepository,
    clock: Clock,
    source: str = "store",
    correlation_id: str | None = None,
) -> Profile:
    """Apply a correction and keep the change in the profile's version history.

    Optimistic concurrency: if the profile changed between read and write, the
    correction is re-applied once on the fresh profile, then :class:`ConcurrentUpdate`.
    """
    for _ in range(2):
        current = get_profile(customer_id, customers)
        correction = correct(current, payload, clock.now())
        if not correction.changes:
            return current
        try:
            customers.save_correction(current, correction, source, correlation_id)
        except AlreadyExists:
            raise EmailTaken() from None
        except StaleWrite:
            continue
        return correction.profile
    raise ConcurrentUpdate()
