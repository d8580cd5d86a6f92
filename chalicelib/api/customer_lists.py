"""``GET /v1/admin/customers``: one customer by email, or one list of them, a page at a time.

Each list is one index Query (:class:`chalicelib.services.ports.CustomerLists`), never a
Scan; exactly one selector per request (a second is a 400 naming it). Items are the
profile summary, as the customer 360 shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Request

from chalicelib import bootstrap
from chalicelib.api.context import page_of, query
from chalicelib.domain import validation
from chalicelib.domain.customer_value import SEGMENT_IDS
from chalicelib.domain.exceptions import InvalidInput, NotFound
from chalicelib.domain.loyalty import LOYALTY_CLASSES
from chalicelib.domain.profile import summary
from chalicelib.domain.search import MAX_QUERY_CHARACTERS, search_form
from chalicelib.domain.tiers import TIERS
from chalicelib.services.profiles import get_profile

SELECTORS = ("email", "reachable", "tier", "loyalty", "segment", "top", "signed_up", "q")
"""The ways to ask, in the order a conflict is reported (the later one is named)."""
TOP_BY = ("clv", "spend")
Fetch = Callable[[int, str | None], tuple[list[Any], str | None]]


def customers_answer(request: Request) -> dict[str, Any]:
    """The profile (``?email=``) or a page of profiles for the one selector given."""
    given = [name for name in SELECTORS if _selector_given(request, name)]
    if not given:
        raise InvalidInput("email is required: GET /v1/admin/customers?email=<address>", "email")
    if len(given) > 1:
        raise InvalidInput(f"give one of {', '.join(SELECTORS)}, not both", _field(given[1]))
    if given[0] == "email":
        return _by_email(str(query(request, "email")))
    fetch = _list_of(request, given[0])
    today = bootstrap.container().clock.now().date()
    return page_of(request, fetch, lambda profile: summary(profile, today))


def _selector_given(request: Request, name: str) -> bool:
    if name == "signed_up":
        return any(query(request, f"signed_up_{end}") is not None for end in ("from", "to"))
    return query(request, name) is not None


def _field(selector: str) -> str:
    return "signed_up_from" if selector == "signed_up" else selector


def _by_email(raw: str) -> dict[str, Any]:
    if not raw:
        raise InvalidInput("email is required: GET /v1/admin/customers?email=<address>", "email")
    email = validation.email(raw, "email")
    deps = bootstrap.container()
    owner = deps.customers.owner_of(email)
    if owner is None:
        raise NotFound("no customer with this email", "email")
    return summary(get_profile(owner, deps.customers), deps.clock.now().date())


def _list_of(request: Request, selector: str) -> Fetch:
    """The page function of the list ``selector`` asks for (its value checked)."""
    deps = bootstrap.container()
    lists = deps.customer_lists
    value = str(query(request, selector) or "")
    if selector == "reachable":
        if value != "false":
            raise InvalidInput("only reachable=false can be listed", "reachable")
        return deps.unreachable.page
    if selector == "tier":
        tier = _tier(value)
        return lambda limit, cursor: lists.by_tier(tier, limit, cursor)
    if selector == "loyalty":
        loyalty = validation.choice(value, LOYALTY_CLASSES, "loyalty")
        return lambda limit, cursor: lists.by_loyalty(loyalty, limit, cursor)
    if selector == "segment":
        segment = validation.choice(value, SEGMENT_IDS, "segment")
        return lambda limit, cursor: lists.by_segment(segment, limit, cursor)
    if selector == "top":
        by = validation.choice(value, TOP_BY, "top")
        return lambda limit, cursor: lists.top(by, limit, cursor)
    if selector == "signed_up":
        first, last = _signup_days(request)
        return lambda limit, cursor: lists.signed_up(first, last, limit, cursor)
    prefix = _prefix(value)
    return lambda limit, cursor: lists.search(prefix, limit, cursor)


def _tier(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) not in TIERS:
        raise InvalidInput(f"tier must be one of {', '.join(map(str, TIERS))}", "tier")
    return int(value)


def _signup_days(request: Request) -> tuple[str | None, str | None]:
    """``signed_up_from`` and ``signed_up_to`` (days, UTC, inclusive; either may be open)."""
    days = {}
    for end in ("from", "to"):
        raw = query(request, f"signed_up_{end}")
        days[end] = None if raw is None else validation.day(raw, f"signed_up_{end}")
    first, last = days["from"], days["to"]
    if first and last and last < first:
        raise InvalidInput("signed_up_to is before signed_up_from", "signed_up_to")
    return (first.isoformat() if first else None, last.isoformat() if last else None)


def _prefix(value: str) -> str:
    prefix = search_form(value)
    if not prefix or len(prefix) > MAX_QUERY_CHARACTERS:
        raise InvalidInput(f"q must be 1 to {MAX_QUERY_CHARACTERS} characters", "q")
    return prefix
