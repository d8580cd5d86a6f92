"""Admin lists of customers, each one Query on an index of the customers table.

Every list is a page of profiles behind an opaque cursor (:mod:`chalicelib.adapters.pages`)
in a stable order; none reads more than a page of index entries, whatever the table's size.

- ``tier-spend`` (``tier_key``, ``spent_12m``): one tier, highest trailing spend first.
- ``top-clv`` / ``top-spend`` (``record_type``, ``clv_value`` / ``spent_12m``): every profile,
  highest first. The partition key is the constant ``record_type = "profile"``, so each index
  has one partition: sparse by its sort key (only profiles carry it; email guards and erased
  records are not in it). See docs/admin-lists.md for its write limit.
- ``signed-up`` (``record_type``, ``created_at``): profiles by signup time, newest first.
- ``name-search`` / ``email-search`` (``record_type``, ``name_search`` / ``email``): a
  ``begins_with`` on the folded name (:mod:`chalicelib.domain.search`) or the normalized email.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.customer_value_store import LOYALTY_INDEX, SEGMENT_INDEX
from chalicelib.adapters.pages import decode_cursor, encode_cursor, key_of, query_page
from chalicelib.adapters.profile_items import PROFILE, is_profile, profile_from_item
from chalicelib.domain.profile import Profile
from chalicelib.domain.search import search_form

TIER_INDEX = "tier-spend"
TOP_CLV_INDEX = "top-clv"
TOP_SPEND_INDEX = "top-spend"
SIGNED_UP_INDEX = "signed-up"
NAME_SEARCH_INDEX = "name-search"
EMAIL_SEARCH_INDEX = "email-search"
_TOP = {"clv": (TOP_CLV_INDEX, "clv_value"), "spend": (TOP_SPEND_INDEX, "spent_12m")}
_EMAIL_PHASE = "search_phase"
"""The cursor field that says a search has moved on from names to addresses."""
_LATEST = "\uffff"
"""Sorts after every time of day: ``to + _LATEST`` ends the day ``to``."""

Page = tuple[list[Profile], str | None]


class DynamoCustomerLists:
    """Implements :class:`chalicelib.services.ports.CustomerLists`."""

    def __init__(self, client: Any, customers_table: str) -> None:
        self._client = client
        self._table = customers_table

    def _query(
        self,
        index: str,
        condition: str,
        values: dict[str, Any],
        limit: int,
        cursor: str | None,
        keys: frozenset[str],
        forward: bool = False,
    ) -> tuple[list[dict[str, Any]], str | None]:
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {f"#{k}": k for k in keys if f"#{k}" in condition},
            "ExpressionAttributeValues": values,
            "ScanIndexForward": forward,
            "Limit": limit,
        }
        return query_page(self._client, arguments, cursor, key_of(keys | {"customer_id"}))

    @staticmethod
    def _profiles(found: tuple[list[dict[str, Any]], str | None]) -> Page:
        items, cursor = found
        return [profile_from_item(item) for item in items if is_profile(item)], cursor

    def by_tier(self, tier: int, limit: int, cursor: str | None) -> Page:
        """Profiles in star ``tier``, highest trailing-12-month spend first."""
        keys = frozenset({"tier_key", "spent_12m"})
        values = {":k": {"S": f"tier#{tier}"}}
        return self._profiles(
            self._query(TIER_INDEX, "#tier_key = :k", values, limit, cursor, keys)
        )

    def by_segment(self, segment: str, limit: int, cursor: str | None) -> Page:
        """Profiles in RFM ``segment``, highest predicted value first (``segment-clv``)."""
        keys = frozenset({"segment_key", "clv_value"})
        values = {":s": {"S": segment}}
        return self._profiles(
            self._query(SEGMENT_INDEX, "#segment_key = :s", values, limit, cursor, keys)
        )

    def by_loyalty(self, loyalty: str, limit: int, cursor: str | None) -> Page:
        """Profiles of a loyalty class, by customer id (the ``loyalty`` index)."""
        keys = frozenset({"loyalty"})
        values = {":l": {"S": loyalty}}
        return self._profiles(
            self._query(LOYALTY_INDEX, "#loyalty = :l", values, limit, cursor, keys, True)
        )

    def top(self, by: str, limit: int, cursor: str | None) -> Page:
        """Every profile, highest ``by`` first: ``clv`` (predicted 365-day value) or
        ``spend`` (trailing-12-month spend)."""
        index, attribute = _TOP[by]
        keys = frozenset({"record_type", attribute})
        values = {":p": {"S": PROFILE}}
        return self._profiles(self._query(index, "#record_type = :p", values, limit, cursor, keys))

    def signed_up(
        self, first_day: str | None, last_day: str | None, limit: int, cursor: str | None
    ) -> Page:
        """Profiles created on days ``first_day`` to ``last_day`` (UTC, either open),
        newest first."""
        keys = frozenset({"record_type", "created_at"})
        values: dict[str, Any] = {":p": {"S": PROFILE}}
        condition = "#record_type = :p"
        if first_day and last_day:
            condition += " AND #created_at BETWEEN :a AND :b"
        elif first_day:
            condition += " AND #created_at >= :a"
        elif last_day:
            condition += " AND #created_at <= :b"
        if first_day:
            values[":a"] = {"S": first_day}
        if last_day:
            values[":b"] = {"S": last_day + _LATEST}
        return self._profiles(self._query(SIGNED_UP_INDEX, condition, values, limit, cursor, keys))

    def search(self, prefix: str, limit: int, cursor: str | None) -> Page:
        """Profiles whose folded name, then (the others) whose email, begins with ``prefix``.

        Names first, in name order, then addresses in address order, leaving out the
        profiles the names already gave; the cursor says which of the two it is in.
        """
        start = decode_cursor(cursor)
        if start is None or "name_search" in start:
            profiles, after = self._names(prefix, limit, cursor)
            if after is not None:
                return profiles, after
            if len(profiles) >= limit:
                return profiles, encode_cursor({_EMAIL_PHASE: {"S": "email"}})
            more, after = self._emails(prefix, limit - len(profiles), None)
            return profiles + more, after
        if start.pop(_EMAIL_PHASE, None) is None and "email" not in start:
            raise ValueError("bad cursor")
        return self._emails(prefix, limit, encode_cursor(start))

    def _names(self, prefix: str, limit: int, cursor: str | None) -> Page:
        keys = frozenset({"record_type", "name_search"})
        values = {":p": {"S": PROFILE}, ":q": {"S": prefix}}
        condition = "#record_type = :p AND begins_with(#name_search, :q)"
        return self._profiles(
            self._query(NAME_SEARCH_INDEX, condition, values, limit, cursor, keys, True)
        )

    def _emails(self, prefix: str, limit: int, cursor: str | None) -> Page:
        keys = frozenset({"record_type", "email"})
        values = {":p": {"S": PROFILE}, ":q": {"S": prefix}}
        condition = "#record_type = :p AND begins_with(#email, :q)"
        profiles, after = self._profiles(
            self._query(EMAIL_SEARCH_INDEX, condition, values, limit, cursor, keys, True)
        )
        named = [p for p in profiles if not (p.name and search_form(p.name).startswith(prefix))]
        return named, after
