"""Sign a customer up: validate, write the profile once, answer replays and conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.profile import Profile
from chalicelib.domain.signup import parse_signup, signup_digest
from chalicelib.services.exceptions import AlreadyExists, CustomerIdTaken, EmailTaken
from chalicelib.services.ports import Clock, CustomerRepository


@dataclass(frozen=True)
class SignupResult:
    """The stored profile and whether this call created it (201) or replayed it (200)."""

    profile: Profile
    created: bool


def sign_up(
    payload: Any,
    customers: CustomerRepository,
    clock: Clock,
    correlation_id: str | None = None,
) -> SignupResult:
    """Create the profile described by ``payload``.

    Raises
    ------
    InvalidInput
        A field is malformed (400).
    CustomerIdTaken, EmailTaken
        The id exists with a different signup, or the email is another profile's (409).
    """
    request = parse_signup(payload, clock.now())
    digest = signup_digest(request)
    profile = request.to_profile(clock.now())
    try:
        customers.create(profile, digest, correlation_id)
    except AlreadyExists as exists:
        if exists.field == "email":
            raise EmailTaken() from None
        if customers.signup_digest(request.customer_id) != digest:
            raise CustomerIdTaken() from None
        stored = customers.get(request.customer_id)
        if stored is None:  # erased between the two reads
            raise CustomerIdTaken() from None
        return SignupResult(stored, created=False)
    return SignupResult(profile, created=True)
